//! Scalar function calls: fast vectorised paths for the functions hunting queries use most,
//! and a row-at-a-time path for the rest. A call whose only non-constant argument is a
//! dictionary-encoded string column runs once per distinct string, whatever the function.

use super::eval::{build_rows, dict_lut, EResult};
use super::fns;
use super::val::*;
use super::ExecCtx;
use crate::diag::Diagnostic;
use crate::plan::functions::Func;
use crate::plan::BExpr;
use crate::table::{Column, ColumnBuilder, Prim, StrColumn, StrDictBuilder};
use crate::types::{time, DataType, Dynamic, Value};
use std::sync::Arc;

/// Evaluates `f(args)` for every row.
pub fn call(f: Func, vals: &[Val], args: &[BExpr], e: &BExpr, len: usize, cx: &ExecCtx) -> EResult<Val> {
    if let Some(v) = fast_path(f, vals, args, e.ty, len) {
        return Ok(v);
    }
    // Every string or dynamic value built is charged against the query's limits.
    let row = |a: &[Value]| {
        let v = fns::row(f, a, e.ty, cx).map_err(|m| Diagnostic::runtime(cx.error_code(), e.span, m))?;
        cx.charge(&v, e.span)?;
        Ok::<Value, Diagnostic>(v)
    };
    // All constant: one evaluation.
    if vals.iter().all(|v| v.is_scalar()) {
        let a: Vec<Value> = vals.iter().map(|v| v.value(0)).collect();
        return Ok(Val::Scalar(row(&a)?));
    }
    // One dictionary column, the rest constant: once per distinct string.
    let cols: Vec<usize> = (0..vals.len()).filter(|&i| !vals[i].is_scalar()).collect();
    if cols.len() == 1 && len > 0 && !matches!(f, Func::Iff | Func::Iif | Func::Case) {
        if let Val::Col(c) = &vals[cols[0]] {
            if let Some(sc) = c.as_str_column() {
                if sc.dict.len() <= len.saturating_mul(2).max(64) {
                    let is_guid = matches!(**c, Column::Guid(_));
                    let mut a: Vec<Value> = vals.iter().map(|v| v.value(0)).collect();
                    let mut per_entry = Vec::with_capacity(sc.dict.len());
                    for s in sc.dict.iter() {
                        a[cols[0]] = if is_guid { Value::Guid(Arc::from(s)) } else { Value::str(s) };
                        per_entry.push(row(&a)?);
                    }
                    return Ok(Val::col(crate::table::with_codes!(&sc.codes, |codes| gather(&per_entry, codes, e.ty))));
                }
            }
        }
    }
    // General case: row by row.
    let mut b = ColumnBuilder::new(e.ty, len);
    let mut a: Vec<Value> = vec![Value::Null; vals.len()];
    for i in 0..len {
        for (slot, v) in a.iter_mut().zip(vals) {
            *slot = v.value(i);
        }
        b.push(&row(&a)?);
    }
    Ok(Val::col(b.finish()))
}

/// Builds a column from one value per dictionary entry and the rows' codes.
fn gather<C: crate::table::Code>(per_entry: &[Value], codes: &[C], ty: DataType) -> Column {
    if ty == DataType::String {
        let mut b = StrDictBuilder::new();
        let remap: Vec<u32> = per_entry.iter().map(|v| b.intern(&v.to_display())).collect();
        let dict = b.finish();
        let mut out = crate::table::CodesBuilder::with_capacity(dict.len(), codes.len());
        codes.iter().for_each(|&c| out.push(remap[c.ix()]));
        return Column::String(StrColumn { dict, codes: out.finish() });
    }
    let mut b = ColumnBuilder::new(ty, codes.len());
    for &c in codes {
        b.push(&per_entry[c.ix()]);
    }
    b.finish()
}

/// `o + floor((x - o) / s) * s` for a positive step `s`, remembering the last bin: values
/// close together (time-ordered data) then skip the division.
fn bin_cached(o: i64, s: i64) -> impl FnMut(i64) -> Option<i64> {
    let mut lo = 0i64;
    let mut hi = 0i64; // empty range: the first value computes
    move |x| {
        if x >= lo && x < hi {
            return Some(lo);
        }
        let b = super::fns::bin_from(x, s, o)?;
        lo = b;
        hi = b.saturating_add(s);
        Some(b)
    }
}

fn fast_path(f: Func, vals: &[Val], args: &[BExpr], ty: DataType, len: usize) -> Option<Val> {
    let scalar_arg = |i: usize| match vals.get(i) {
        Some(Val::Scalar(v)) => Some(v.clone()),
        _ => None,
    };
    match f {
        Func::Bin | Func::Floor if !vals[0].is_scalar() => {
            let size = scalar_arg(1)?;
            match ty {
                DataType::DateTime | DataType::TimeSpan => {
                    let Value::TimeSpan(s) = size else { return Some(Val::Scalar(Value::Null)) };
                    if s <= 0 {
                        return Some(Val::Scalar(Value::Null));
                    }
                    // Datetimes are binned from Kusto's origin, 0001-01-01 (weekly bins start on
                    // Mondays); timespans from zero.
                    let o = if ty == DataType::DateTime { time::MIN_DATETIME } else { 0 };
                    Some(out_i64(map1(len, &p_i64(&vals[0]), bin_cached(o, s)), ty))
                }
                DataType::Long => {
                    let s = size.as_i64()?;
                    if s <= 0 {
                        return Some(Val::Scalar(Value::Null));
                    }
                    Some(out_i64(map1(len, &p_i64(&vals[0]), bin_cached(0, s)), ty))
                }
                DataType::Real => {
                    let s = size.as_f64()?;
                    if s <= 0.0 {
                        return Some(Val::Scalar(Value::Null));
                    }
                    Some(out_f64(map1(len, &p_f64(&vals[0]), |x| Some((x / s).floor() * s))))
                }
                _ => None,
            }
        }
        Func::ToLower | Func::ToUpper => {
            let Val::Col(c) = &vals[0] else { return None };
            let sc = c.as_str_column()?;
            let lower = f == Func::ToLower;
            Some(Val::col(Column::String(sc.map_dict(|s| if lower { s.to_lowercase() } else { s.to_uppercase() }))))
        }
        Func::IsEmpty | Func::IsNotEmpty | Func::IsNull | Func::IsNotNull => {
            let Val::Col(c) = &vals[0] else { return None };
            let want_empty = matches!(f, Func::IsEmpty | Func::IsNull);
            let null_only = matches!(f, Func::IsNull | Func::IsNotNull);
            let out: Vec<bool> = match &**c {
                Column::String(s) | Column::Guid(s) => {
                    if null_only && matches!(**c, Column::String(_)) {
                        vec![!want_empty; len]
                    } else {
                        dict_lut(s, len, &|x: &str| x.is_empty() == want_empty)
                    }
                }
                Column::Dynamic(d) => d
                    .iter()
                    .map(|x| {
                        let empty = x.is_null() || (!null_only && matches!(x, Dynamic::String(s) if s.is_empty()));
                        empty == want_empty
                    })
                    .collect(),
                other => (0..len).map(|i| other.is_null(i) == want_empty).collect(),
            };
            Some(Val::col(Column::Bool(Prim::new(out))))
        }
        Func::ToString => {
            let Val::Col(c) = &vals[0] else { return None };
            match &**c {
                Column::String(_) => Some(Val::Col(c.clone())),
                Column::Guid(s) => Some(Val::col(Column::String(s.clone()))),
                _ => None,
            }
        }
        Func::Strlen => {
            let Val::Col(c) = &vals[0] else { return None };
            let sc = c.as_str_column()?;
            let lut: Vec<i64> = sc.dict.iter().map(|s| s.chars().count() as i64).collect();
            Some(Val::col(Column::Long(Prim::new(crate::table::with_codes!(&sc.codes, |c| c.iter().map(|&k| lut[k as usize]).collect())))))
        }
        Func::Iff | Func::Iif => {
            if vals[0].is_scalar() {
                let c = matches!(vals[0].value(0), Value::Bool(true));
                return Some(if c { vals[1].clone() } else { vals[2].clone() });
            }
            let cond = p_bool(&vals[0]);
            let a = vals[1].clone().into_column(ty, len);
            let b = vals[2].clone().into_column(ty, len);
            let idx_a: Vec<bool> = (0..len).map(|i| cond.get(i) == Some(true)).collect();
            Some(Val::col(select(&idx_a, &a, &b)))
        }
        Func::DatetimeDiff if args.len() == 3 && args[1].ty == DataType::DateTime && args[2].ty == DataType::DateTime => {
            let Value::String(part) = scalar_arg(0)? else { return None };
            let unit = fixed_unit(&part)?;
            let (a, b) = (p_i64(&vals[1]), p_i64(&vals[2]));
            Some(out_i64(
                map2(len, &a, &b, |t1, t2| Some(if unit == 0 { (t1 - t2).saturating_mul(100) } else { t1.div_euclid(unit) - t2.div_euclid(unit) })),
                DataType::Long,
            ))
        }
        Func::Ago | Func::Now => None,
        Func::GetType | Func::Coalesce | Func::Case => None,
        _ => {
            let _ = args;
            None
        }
    }
}

/// The length in ticks of a `datetime_diff` part that is a fixed length of time (0 for
/// nanoseconds, finer than a tick), by the names `fns::time_fns` accepts; `None` for the
/// calendar parts (week, month, quarter, year) and unknown names, which take the row path and
/// its error.
fn fixed_unit(part: &str) -> Option<i64> {
    Some(match part.trim().to_ascii_lowercase().as_str() {
        "day" | "dd" | "d" | "dayofyear" | "dy" | "y" => time::TICKS_PER_DAY,
        "hour" | "hh" => time::TICKS_PER_HOUR,
        "minute" | "mi" | "n" => time::TICKS_PER_MINUTE,
        "second" | "ss" | "s" => time::TICKS_PER_SECOND,
        "millisecond" | "ms" => time::TICKS_PER_MILLI,
        "microsecond" | "mcs" => 10,
        "nanosecond" | "ns" => 0,
        _ => return None,
    })
}

/// Row-wise choice between two columns of the same type.
fn select(pick_a: &[bool], a: &Column, b: &Column) -> Column {
    match (a, b) {
        (Column::Long(x), Column::Long(y)) => Column::Long(prim_select(pick_a, x, y)),
        (Column::Real(x), Column::Real(y)) => Column::Real(prim_select(pick_a, x, y)),
        (Column::DateTime(x), Column::DateTime(y)) => Column::DateTime(prim_select(pick_a, x, y)),
        (Column::TimeSpan(x), Column::TimeSpan(y)) => Column::TimeSpan(prim_select(pick_a, x, y)),
        (Column::Bool(x), Column::Bool(y)) => Column::Bool(prim_select(pick_a, x, y)),
        (Column::Int(x), Column::Int(y)) => Column::Int(prim_select(pick_a, x, y)),
        _ => build_rows(a.data_type(), pick_a.len(), |i| if pick_a[i] { a.value(i) } else { b.value(i) }),
    }
}

fn prim_select<T: Copy + Default>(pick_a: &[bool], a: &Prim<T>, b: &Prim<T>) -> Prim<T> {
    let values = pick_a.iter().enumerate().map(|(i, &p)| if p { a.values[i] } else { b.values[i] }).collect();
    let valid = if a.valid.is_none() && b.valid.is_none() {
        None
    } else {
        Some(pick_a.iter().enumerate().map(|(i, &p)| if p { a.is_valid(i) } else { b.is_valid(i) }).collect())
    };
    Prim { values, valid }
}
