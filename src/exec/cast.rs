//! Conversions of whole columns between types. One value at a time is `types::cast` (the
//! binder folds constants with it too); this module adds the column form with fast paths.

use super::val::{collect, Out};
use crate::table::{Column, ColumnBuilder, Prim, StrColumn};
pub use crate::types::cast::{cast_value, to_bool, to_datetime, to_f64, to_guid, to_i64, to_timespan};
use crate::types::{DataType, Value};

/// Converts a whole column to `ty`, with fast paths for numeric widening.
pub fn cast_column(c: &Column, ty: DataType) -> Column {
    let len = c.len();
    match (c, ty) {
        (Column::Int(p), DataType::Long) => Column::Long(Prim { values: p.values.iter().map(|&x| x as i64).collect(), valid: p.valid.clone() }),
        (Column::Int(p), DataType::Real) => Column::Real(Prim { values: p.values.iter().map(|&x| x as f64).collect(), valid: p.valid.clone() }),
        (Column::Long(p), DataType::Real) => Column::Real(Prim { values: p.values.iter().map(|&x| x as f64).collect(), valid: p.valid.clone() }),
        (Column::Bool(p), DataType::Long) => Column::Long(Prim { values: p.values.iter().map(|&x| x as i64).collect(), valid: p.valid.clone() }),
        (Column::Long(p), DataType::Int) => match collect(len, (0..len).map(|i| p.get(i).and_then(|x| i32::try_from(x).ok()))) {
            Out::C(p) => Column::Int(p),
            Out::S(_) => Column::nulls(DataType::Int, len),
        },
        (Column::Real(p), DataType::Long) => match collect(len, (0..len).map(|i| p.get(i).and_then(|x| to_i64(&Value::Real(x))))) {
            Out::C(p) => Column::Long(p),
            Out::S(_) => Column::nulls(DataType::Long, len),
        },
        (Column::Guid(s), DataType::String) => Column::String(s.clone()),
        (Column::String(s), DataType::Guid) => {
            let m = s.map_dict(|x| to_guid(&Value::str(x)).unwrap_or_default());
            Column::Guid(m)
        }
        (Column::String(s), _) if ty != DataType::Dynamic => {
            // Convert each distinct string once.
            let per_entry: Vec<Value> = s.dict.iter().map(|x| cast_value(&Value::str(x), ty)).collect();
            let mut b = ColumnBuilder::new(ty, len);
            crate::table::with_codes!(&s.codes, |codes| {
                for &code in codes {
                    b.push(&per_entry[code as usize]);
                }
            });
            b.finish()
        }
        (_, DataType::String) => {
            let texts: Vec<String> = (0..len).map(|i| cast_value(&c.value(i), DataType::String).to_display()).collect();
            Column::String(StrColumn::from_strs(texts.iter().map(|s| s.as_str())))
        }
        _ => {
            let mut b = ColumnBuilder::new(ty, len);
            for i in 0..len {
                b.push(&cast_value(&c.value(i), ty));
            }
            b.finish()
        }
    }
}
