//! Plain-text rendering of tables for the CLI and tests.

use super::Table;
use crate::types::Value;

/// A cell as shown to people: datetimes ISO 8601 with Z, nulls empty, dynamic as JSON.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Dynamic(d) => d.to_json(),
        other => other.to_display(),
    }
}

/// An aligned text table with a header row, e.g.
///
/// ```text
/// AccountUpn           ClickCount
/// -------------------- ----------
/// bob@contoso.com               4
/// ```
pub fn to_text(t: &Table) -> String {
    let ncol = t.fields.len();
    let mut cells: Vec<Vec<String>> = vec![t.fields.iter().map(|f| f.name.clone()).collect()];
    for r in 0..t.len() {
        cells.push((0..ncol).map(|c| cell_text(&t.value(r, c)).replace('\n', "\\n")).collect());
    }
    let widths: Vec<usize> = (0..ncol).map(|c| cells.iter().map(|row| row[c].chars().count()).max().unwrap_or(0)).collect();
    let numeric: Vec<bool> = t.fields.iter().map(|f| f.ty.is_numeric()).collect();
    let mut out = String::new();
    for (ri, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let pad = widths[c] - s.chars().count();
                if numeric[c] && ri > 0 {
                    format!("{}{}", " ".repeat(pad), s)
                } else {
                    format!("{}{}", s, " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if ri == 0 {
            out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
            out.push('\n');
        }
    }
    out
}
