//! JSON output of a result table: `{"columns":[{"name","type"}],"rows":[[...]],"elapsed_ms":…}`.

use crate::table::Table;
use crate::types::{format_real_json, Dynamic, Value};

fn cell(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Long(i) => i.to_string(),
        Value::Real(f) if f.is_finite() => format_real_json(*f),
        Value::Real(_) => "null".into(),
        Value::Dynamic(d) => d.to_json(),
        other => Dynamic::String(other.to_display().into()).to_json(),
    }
}

pub fn result_json(t: &Table, elapsed_ms: f64) -> String {
    let cols: Vec<String> =
        t.fields.iter().map(|f| format!("{{\"name\":{},\"type\":\"{}\"}}", Dynamic::String(f.name.as_str().into()).to_json(), f.ty.name())).collect();
    let mut rows = Vec::with_capacity(t.len());
    for r in 0..t.len() {
        let cells: Vec<String> = (0..t.fields.len()).map(|c| cell(&t.value(r, c))).collect();
        rows.push(format!("[{}]", cells.join(",")));
    }
    format!("{{\"columns\":[{}],\"rows\":[{}],\"elapsed_ms\":{:.3}}}", cols.join(","), rows.join(","), elapsed_ms)
}
