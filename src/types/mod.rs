//! Scalar types and values shared by every layer: [`DataType`], [`Value`], [`Dynamic`] and the
//! datetime/timespan representation (100-nanosecond ticks, as Kusto counts them).

pub mod cast;
mod dynamic;
pub mod time;
mod value;

pub use dynamic::{format_real_json, Dynamic, JsonError};
pub use value::Value;

use serde::{Deserialize, Serialize};
use std::fmt;

/// Kusto's scalar data types. `decimal` is not supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DataType {
    Bool,
    Int,
    Long,
    Real,
    String,
    DateTime,
    TimeSpan,
    Guid,
    Dynamic,
}

impl DataType {
    /// The name Kusto prints for the type (`getschema`, `typeof`).
    pub fn name(self) -> &'static str {
        match self {
            DataType::Bool => "bool",
            DataType::Int => "int",
            DataType::Long => "long",
            DataType::Real => "real",
            DataType::String => "string",
            DataType::DateTime => "datetime",
            DataType::TimeSpan => "timespan",
            DataType::Guid => "guid",
            DataType::Dynamic => "dynamic",
        }
    }

    /// Parses a type name as written in `datatable(a:long)`, `typeof(string)`, CSV headers.
    /// Accepts Kusto's synonyms (`boolean`, `double`, `date`, `time`, `int64`, ...).
    pub fn from_name(name: &str) -> Option<DataType> {
        Some(match name.to_ascii_lowercase().as_str() {
            "bool" | "boolean" => DataType::Bool,
            "int" | "int32" => DataType::Int,
            "long" | "int64" => DataType::Long,
            "real" | "double" | "float" => DataType::Real,
            "string" => DataType::String,
            "datetime" | "date" => DataType::DateTime,
            "timespan" | "time" => DataType::TimeSpan,
            "guid" | "uniqueid" => DataType::Guid,
            "dynamic" => DataType::Dynamic,
            _ => return None,
        })
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, DataType::Int | DataType::Long | DataType::Real)
    }

    pub fn is_summable(self) -> bool {
        self.is_numeric() || self == DataType::TimeSpan
    }

    pub fn all() -> [DataType; 9] {
        use DataType::*;
        [Bool, Int, Long, Real, String, DateTime, TimeSpan, Guid, Dynamic]
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
