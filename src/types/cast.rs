//! Conversions of one value between types: the implicit ones the binder inserts (numeric
//! widening, dynamic to scalar) and the explicit `tostring()`, `tolong()`, `todatetime()`, ...
//! family. A value that cannot be converted becomes null (strings: empty), as in Kusto. The
//! executor's column-at-a-time form is `exec::cast::cast_column`; the binder uses these to fold
//! constants, which is why they live below both.

use super::{time, DataType, Dynamic, Value};
use std::sync::Arc;

/// Converts one value to `ty`.
pub fn cast_value(v: &Value, ty: DataType) -> Value {
    if v.is_null() {
        return if ty == DataType::String { Value::str("") } else { Value::Null };
    }
    match ty {
        DataType::String => Value::str(&v.to_display()),
        DataType::Long => to_i64(v).map_or(Value::Null, Value::Long),
        DataType::Int => to_i64(v).and_then(|x| i32::try_from(x).ok()).map_or(Value::Null, Value::Int),
        DataType::Real => to_f64(v).map_or(Value::Null, Value::Real),
        DataType::Bool => to_bool(v).map_or(Value::Null, Value::Bool),
        DataType::DateTime => to_datetime(v).map_or(Value::Null, Value::DateTime),
        DataType::TimeSpan => to_timespan(v).map_or(Value::Null, Value::TimeSpan),
        DataType::Guid => to_guid(v).map_or(Value::Null, |g| Value::Guid(Arc::from(g.as_str()))),
        DataType::Dynamic => match v {
            Value::Dynamic(d) => Value::Dynamic(d.clone()),
            other => Value::Dynamic(other.to_dynamic()),
        },
    }
}

fn dyn_inner(v: &Value) -> Option<Value> {
    match v {
        Value::Dynamic(d) => Some(match d {
            Dynamic::Null => Value::Null,
            Dynamic::Bool(b) => Value::Bool(*b),
            Dynamic::Long(n) => Value::Long(*n),
            Dynamic::Real(f) => Value::Real(*f),
            Dynamic::String(s) => Value::String(s.clone()),
            Dynamic::DateTime(t) => Value::DateTime(*t),
            Dynamic::TimeSpan(t) => Value::TimeSpan(*t),
            other => Value::str(&other.to_json()),
        }),
        _ => None,
    }
}

pub fn to_i64(v: &Value) -> Option<i64> {
    if let Some(inner) = dyn_inner(v) {
        return to_i64(&inner);
    }
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(i) | Value::TimeSpan(i) => Some(*i),
        // A datetime as a number is its tick count since 0001-01-01, as in Kusto (.NET ticks).
        Value::DateTime(t) => Some(t - time::MIN_DATETIME),
        Value::Real(f) => {
            if f.is_finite() && f.abs() < 9.2e18 {
                Some(f.trunc() as i64)
            } else {
                None
            }
        }
        Value::Bool(b) => Some(*b as i64),
        Value::String(s) => {
            let t = s.trim();
            t.parse::<i64>().ok().or_else(|| {
                let f: f64 = t.parse().ok()?;
                if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 {
                    Some(f as i64)
                } else {
                    None
                }
            })
        }
        _ => None,
    }
}

pub fn to_f64(v: &Value) -> Option<f64> {
    if let Some(inner) = dyn_inner(v) {
        return to_f64(&inner);
    }
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Long(i) | Value::DateTime(i) | Value::TimeSpan(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::String(s) => {
            let t = s.trim();
            match t {
                "NaN" => Some(f64::NAN),
                "Infinity" | "+Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                _ => t.parse::<f64>().ok().filter(|f| f.is_finite()),
            }
        }
        _ => None,
    }
}

pub fn to_bool(v: &Value) -> Option<bool> {
    if let Some(inner) = dyn_inner(v) {
        return to_bool(&inner);
    }
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Long(i) => Some(*i != 0),
        Value::Real(f) => Some(*f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub fn to_datetime(v: &Value) -> Option<i64> {
    if let Some(inner) = dyn_inner(v) {
        return to_datetime(&inner);
    }
    match v {
        Value::DateTime(t) => Some(*t),
        Value::String(s) => time::parse_datetime(s),
        _ => None,
    }
}

pub fn to_timespan(v: &Value) -> Option<i64> {
    if let Some(inner) = dyn_inner(v) {
        return to_timespan(&inner);
    }
    match v {
        Value::TimeSpan(t) => Some(*t),
        Value::Long(n) => Some(*n),
        Value::Int(n) => Some(*n as i64),
        Value::String(s) => time::parse_timespan(s),
        _ => None,
    }
}

pub fn to_guid(v: &Value) -> Option<String> {
    let s = match v {
        Value::Guid(g) => return Some(g.to_string()),
        Value::String(s) => s.to_string(),
        Value::Dynamic(Dynamic::String(s)) => s.to_string(),
        _ => return None,
    };
    // The toguid page's rule: hex digits and properly placed hyphens only (no braces).
    let t = s.trim();
    let ok = t.len() == 36 && t.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
    if ok {
        return Some(t.to_ascii_lowercase());
    }
    // 32 hex digits without dashes, or with dashes elsewhere (the toguid page reads
    // 0123456789ab-cdef-0123-456789abcdef), are the same guid.
    let h: String = t.chars().filter(|&c| c != '-').collect();
    if h.len() == 32 && h.bytes().all(|c| c.is_ascii_hexdigit()) && !t.starts_with('-') && !t.ends_with('-') && !t.contains("--") {
        let h = h.to_ascii_lowercase();
        return Some(format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]));
    }
    None
}
