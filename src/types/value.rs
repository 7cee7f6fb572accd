//! A single scalar value. Used for literals, constants folded by the binder, the row-wise
//! fallback of rarely used functions, and result cells handed to renderers — never in the
//! executor's hot loops, which work on typed columns.

use super::{time, DataType, Dynamic};
use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// Null of any type. Strings are never null in Kusto: they are empty instead.
    #[default]
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    String(Arc<str>),
    DateTime(i64),
    TimeSpan(i64),
    Guid(Arc<str>),
    Dynamic(Dynamic),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null | Value::Dynamic(Dynamic::Null))
    }

    /// The type of a non-null value.
    pub fn data_type(&self) -> Option<DataType> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => DataType::Bool,
            Value::Int(_) => DataType::Int,
            Value::Long(_) => DataType::Long,
            Value::Real(_) => DataType::Real,
            Value::String(_) => DataType::String,
            Value::DateTime(_) => DataType::DateTime,
            Value::TimeSpan(_) => DataType::TimeSpan,
            Value::Guid(_) => DataType::Guid,
            Value::Dynamic(_) => DataType::Dynamic,
        })
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Long(i) => Some(*i as f64),
            Value::Real(f) => Some(*f),
            Value::Dynamic(Dynamic::Long(i)) => Some(*i as f64),
            Value::Dynamic(Dynamic::Real(f)) => Some(*f),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i as i64),
            Value::Long(i) => Some(*i),
            Value::Real(f) if f.is_finite() => Some(*f as i64),
            Value::Bool(b) => Some(*b as i64),
            Value::Dynamic(Dynamic::Long(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Guid(s) => Some(s),
            _ => None,
        }
    }

    /// The value as Kusto's `tostring()` renders it; nulls become the empty string.
    pub fn to_display(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => if *b { "true" } else { "false" }.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Long(i) => i.to_string(),
            Value::Real(f) => super::dynamic::format_real_json(*f),
            Value::String(s) | Value::Guid(s) => s.to_string(),
            Value::DateTime(t) => time::format_datetime(*t),
            Value::TimeSpan(t) => time::format_timespan(*t),
            Value::Dynamic(d) => d.to_plain_string(),
        }
    }

    /// Converts to a dynamic value (for `pack_array`, `make_set`, ...).
    pub fn to_dynamic(&self) -> Dynamic {
        match self {
            Value::Null => Dynamic::Null,
            Value::Bool(b) => Dynamic::Bool(*b),
            Value::Int(i) => Dynamic::Long(*i as i64),
            Value::Long(i) => Dynamic::Long(*i),
            Value::Real(f) => Dynamic::Real(*f),
            Value::String(s) | Value::Guid(s) => Dynamic::String(s.clone()),
            Value::DateTime(t) => Dynamic::DateTime(*t),
            Value::TimeSpan(t) => Dynamic::TimeSpan(*t),
            Value::Dynamic(d) => d.clone(),
        }
    }

    /// Total order used by sorting and min/max: nulls first (callers place them), then by
    /// value; numbers compare across int/long/real; NaN sorts below all reals.
    pub fn cmp_sort(&self, other: &Value) -> Ordering {
        use Value::*;
        match (self, other) {
            (Null, Null) => Ordering::Equal,
            (Null, _) => Ordering::Less,
            (_, Null) => Ordering::Greater,
            (Bool(a), Bool(b)) => a.cmp(b),
            (String(a), String(b)) | (Guid(a), Guid(b)) => a.cmp(b),
            (DateTime(a), DateTime(b)) | (TimeSpan(a), TimeSpan(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Long(a), Long(b)) => a.cmp(b),
            (Dynamic(a), Dynamic(b)) => a.to_json().cmp(&b.to_json()),
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                _ => a.to_display().cmp(&b.to_display()),
            },
        }
    }
}
