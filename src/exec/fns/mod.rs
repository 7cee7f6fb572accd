//! Row-level implementations of the scalar functions: one value in, one value out. Vectorised
//! callers (`exec::scalar`) decide how often these run.

mod binary;
mod compress;
mod convert;
mod dynamic;
mod geo;
mod geo_h3;
mod geo_s2;
mod geo_shape;
mod geo_wkt;
mod hash;
mod ip;
mod math;
mod misc;
mod punycode;
mod series;
mod series_math;
mod sketch;
mod strings;
mod text;
mod time_fns;
mod tz;

pub use sketch::{digest_pairs, digest_value};

use super::cast::{self, to_f64, to_i64};
use super::ExecCtx;
use crate::plan::functions::Func;
use crate::types::{DataType, Dynamic, Value};

pub type FResult = Result<Value, String>;

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

fn long(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Long)
}

fn real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

/// One call's arguments as the implementations see them: the function, this row's argument
/// values, the call's bound result type and the query's context.
#[derive(Clone, Copy)]
pub struct Call<'a> {
    pub f: Func,
    pub a: &'a [Value],
    pub ty: DataType,
    pub cx: &'a ExecCtx,
}

/// A function's row-at-a-time implementation, as named by its row in the function table.
pub type Impl = fn(&Call) -> FResult;

/// Reads the function table's implementation column (paths resolve in this module).
macro_rules! exec_dispatch {
    ($($variant:ident = $name:literal ($sig:literal) -> $ret:tt, $imp:path, $page:literal, $doc:literal;)*) => {
        /// The implementation of `f`, from its row in the table.
        pub fn implementation(f: Func) -> Impl {
            match f { $(Func::$variant => $imp,)* }
        }
    };
}

crate::plan::function_table::function_table!(exec_dispatch);

/// Evaluates `f` on one row's argument values. `ty` is the call's bound result type.
pub fn row(f: Func, a: &[Value], ty: DataType, cx: &ExecCtx) -> FResult {
    implementation(f)(&Call { f, a, ty, cx })
}

/// The error of a shared implementation reached by a function it does not handle (a table row
/// naming the wrong implementation; `tests::every_function_has_an_implementation` catches it).
fn not_here(f: Func, group: &str) -> String {
    format!("{}() has no implementation among the {group} functions", f.name())
}

/// Functions whose table row names a binder rewrite: they never reach the executor.
fn binder_only(c: &Call) -> FResult {
    Err(format!("{}() cannot be used here", c.f.name()))
}

/// range(): its size is checked against the query's limits.
fn range(c: &Call) -> FResult {
    dynamic::row(c).map_err(|m| c.cx.over_limit(m))
}

/// The small functions implemented here rather than in a themed module.
fn general(c: &Call) -> FResult {
    use Func::*;
    let Call { f, a, ty, cx } = *c;
    Ok(match f {
        // Out of range (ago(-10675199d)) is null, as datetime arithmetic is.
        Ago => match &a[0] {
            Value::TimeSpan(t) => cx.clock.checked_sub(*t).map_or(Value::Null, Value::DateTime),
            _ => Value::Null,
        },
        Now => match a.first() {
            Some(Value::TimeSpan(t)) => cx.clock.checked_add(*t).map_or(Value::Null, Value::DateTime),
            Some(_) => Value::Null,
            None => Value::DateTime(cx.clock),
        },
        Bin | Floor => bin(&a[0], &a[1], None, ty),
        BinAt => bin(&a[0], &a[1], Some(&a[2]), ty),
        ToString => Value::str(&s(&a[0])),
        ToInt | ToLong | ToDouble | ToReal | ToBool | ToBoolean | ToDatetime | ToTimespan | ToGuid => cast::cast_value(&a[0], ty),
        ToDynamic | ParseJson => match &a[0] {
            Value::Dynamic(d) => Value::Dynamic(d.clone()),
            Value::String(t) => Value::Dynamic(Dynamic::parse_json(t).unwrap_or_else(|_| Dynamic::String(t.clone()))),
            Value::Null => Value::Dynamic(Dynamic::Null),
            other => Value::Dynamic(other.to_dynamic()),
        },
        GetType => Value::str(match &a[0] {
            Value::Dynamic(d) => d.type_name(),
            Value::Null => "null",
            v => v.data_type().map_or("null", |t| t.name()),
        }),
        ToLower => Value::str(&s(&a[0]).to_lowercase()),
        ToUpper => Value::str(&s(&a[0]).to_uppercase()),
        Strlen => Value::Long(s(&a[0]).chars().count() as i64),
        // A datetime is reversed in its seven-digit round-trip form (the reverse page's example).
        Reverse => match &a[0] {
            Value::DateTime(t) => Value::str(&hash::datetime_full_text(*t).chars().rev().collect::<String>()),
            v => Value::str(&s(v).chars().rev().collect::<String>()),
        },
        Strcat => {
            let parts: Vec<String> = a.iter().map(s).collect();
            cx.check_value_size(parts.iter().map(String::len).fold(0usize, usize::saturating_add), "strcat()")?;
            Value::str(&parts.concat())
        }
        StrcatDelim => {
            let d = s(&a[0]);
            let parts: Vec<String> = a[1..].iter().map(s).collect();
            cx.check_value_size(parts.iter().map(|p| p.len().saturating_add(d.len())).fold(0usize, usize::saturating_add), "strcat_delim()")?;
            Value::str(&parts.join(&d))
        }
        StrcatArray => {
            // Every element gets a copy of the delimiter.
            if let Value::Dynamic(Dynamic::Array(items)) = &a[0] {
                let est =
                    super::approx_bytes(&Dynamic::Array(items.clone()), cx.limits.max_value_bytes).saturating_add(items.len().saturating_mul(s(&a[1]).len()));
                cx.check_value_size(est, "strcat_array()")?;
            }
            dynamic::row(c)?
        }
        ParseXml => match &a[0] {
            Value::Dynamic(d) => Value::Dynamic(d.clone()),
            v => dynamic::parse_xml(&s(v)).map_or(Value::Dynamic(Dynamic::Null), Value::Dynamic),
        },
        ExtractJson | ExtractJsonOld => match dynamic::extract_json(&s(&a[0]), &s(&a[1])) {
            None => cast::cast_value(&Value::Null, ty),
            Some(d) => match ty {
                DataType::String => Value::str(&d.to_plain_string()),
                DataType::Dynamic => Value::Dynamic(d),
                _ => cast::cast_value(&Value::Dynamic(d), ty),
            },
        },
        Iff | Iif => {
            if matches!(a[0], Value::Bool(true) | Value::Dynamic(Dynamic::Bool(true))) {
                a[1].clone()
            } else {
                a[2].clone()
            }
        }
        Case => {
            let n = a.len();
            let mut i = 0;
            while i + 1 < n {
                if matches!(a[i], Value::Bool(true)) {
                    return Ok(a[i + 1].clone());
                }
                i += 2;
            }
            a[n - 1].clone()
        }
        Coalesce => a.iter().find(|v| !v.is_null() && !matches!(v, Value::String(s) if s.is_empty())).cloned().unwrap_or(if ty == DataType::String {
            Value::str("")
        } else {
            Value::Null
        }),
        IsEmpty => Value::Bool(is_empty(&a[0])),
        IsNotEmpty => Value::Bool(!is_empty(&a[0])),
        IsNull => Value::Bool(a[0].is_null()),
        IsNotNull => Value::Bool(!a[0].is_null()),
        Not => match &a[0] {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Null,
        },
        IsNan => to_f64(&a[0]).map_or(Value::Null, |x| Value::Bool(x.is_nan())),
        IsInf => to_f64(&a[0]).map_or(Value::Null, |x| Value::Bool(x.is_infinite())),
        IsFinite => to_f64(&a[0]).map_or(Value::Null, |x| Value::Bool(x.is_finite())),
        Abs => match &a[0] {
            Value::Int(x) => x.checked_abs().map_or(Value::Null, Value::Int),
            Value::Long(x) => long(x.checked_abs()),
            Value::TimeSpan(x) => x.checked_abs().map_or(Value::Null, Value::TimeSpan),
            v => real(to_f64(v).map(f64::abs)),
        },
        Sign => match &a[0] {
            Value::Int(x) => Value::Int(x.signum()),
            Value::Long(x) => Value::Long(x.signum()),
            v => real(to_f64(v).map(|x| if x == 0.0 { 0.0 } else { x.signum() })),
        },
        Round => {
            let digits = a.get(1).and_then(to_i64).unwrap_or(0);
            match &a[0] {
                Value::Int(x) if digits >= 0 => Value::Int(*x),
                Value::Long(x) if digits >= 0 => Value::Long(*x),
                v => {
                    let Some(x) = to_f64(v) else { return Ok(Value::Null) };
                    let r = round_away(x, digits);
                    match ty {
                        DataType::Long => long(to_i64(&Value::Real(r))),
                        DataType::Int => to_i64(&Value::Real(r)).and_then(|n| i32::try_from(n).ok()).map_or(Value::Null, Value::Int),
                        _ => Value::Real(r),
                    }
                }
            }
        }
        Ceiling => match &a[0] {
            Value::Int(x) => Value::Int(*x),
            Value::Long(x) => Value::Long(*x),
            v => real(to_f64(v).map(f64::ceil)),
        },
        Sqrt => real(to_f64(&a[0]).map(f64::sqrt).filter(|x| !x.is_nan())),
        Pow => match (to_f64(&a[0]), to_f64(&a[1])) {
            (Some(x), Some(y)) => Value::Real(x.powf(y)),
            _ => Value::Null,
        },
        Log => real(to_f64(&a[0]).filter(|x| *x >= 0.0).map(f64::ln)),
        Log10 => real(to_f64(&a[0]).filter(|x| *x >= 0.0).map(f64::log10)),
        Log2 => real(to_f64(&a[0]).filter(|x| *x >= 0.0).map(f64::log2)),
        Exp => real(to_f64(&a[0]).map(f64::exp)),
        MinOf | MaxOf => {
            let mut best: Option<&Value> = None;
            for v in a.iter().filter(|v| !v.is_null()) {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let o = v.cmp_sort(b);
                        if (f == MinOf && o.is_lt()) || (f == MaxOf && o.is_gt()) {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            best.map_or(Value::Null, |v| cast::cast_value(v, ty))
        }
        _ => return Err(not_here(f, "general")),
    })
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Dynamic(Dynamic::Null) => true,
        Value::Dynamic(Dynamic::String(s)) => s.is_empty(),
        _ => false,
    }
}

/// Rounds half away from zero to `digits` decimals.
pub fn round_away(x: f64, digits: i64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let d = digits.clamp(-15, 15) as i32;
    let p = 10f64.powi(d);
    (x * p).round() / p
}

/// `o + floor((x - o) / s) * s` for a positive step `s`, or `None` when the bin lies outside
/// the 64-bit range (a value and an origin at opposite ends: `bin_at`, `bin_auto`).
pub(crate) fn bin_from(x: i64, s: i64, o: i64) -> Option<i64> {
    let b = o as i128 + (x as i128 - o as i128).div_euclid(s as i128) * s as i128;
    i64::try_from(b).ok()
}

fn bin(v: &Value, size: &Value, at: Option<&Value>, ty: DataType) -> Value {
    let origin = |x: i64, s: i64, o: i64| bin_from(x, s, o);
    match (v, size) {
        (Value::DateTime(t), Value::TimeSpan(s)) if *s > 0 => {
            let o = match at {
                Some(Value::DateTime(o)) => *o,
                // Kusto bins datetimes from 0001-01-01 (so 7d bins start on Mondays).
                _ => crate::types::time::MIN_DATETIME,
            };
            origin(*t, *s, o).map_or(Value::Null, Value::DateTime)
        }
        (Value::TimeSpan(t), Value::TimeSpan(s)) if *s > 0 => {
            let o = match at {
                Some(Value::TimeSpan(o)) => *o,
                _ => 0,
            };
            origin(*t, *s, o).map_or(Value::Null, Value::TimeSpan)
        }
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (x, s) => match ty {
            DataType::Long => match (to_i64(x), to_i64(s)) {
                (Some(x), Some(s)) if s > 0 => {
                    let o = at.and_then(to_i64).unwrap_or(0);
                    origin(x, s, o).map_or(Value::Null, Value::Long)
                }
                _ => Value::Null,
            },
            _ => match (to_f64(x), to_f64(s)) {
                (Some(x), Some(s)) if s > 0.0 => {
                    let o = at.and_then(to_f64).unwrap_or(0.0);
                    Value::Real(o + ((x - o) / s).floor() * s)
                }
                _ => Value::Null,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Limits;

    /// Every row of the function table reaches code that handles it: a row naming a shared
    /// implementation that does not know the function fails here, not in a query. The calls
    /// are made up (null arguments, none of the extra ones the binder adds for a few
    /// functions), so an implementation may panic on them; that still shows it took the call.
    #[test]
    fn every_function_has_an_implementation() {
        let cx = ExecCtx::new(0, Limits::default());
        for &f in Func::ALL {
            let a = vec![Value::Null; f.arity().0];
            let ty = match f.result_rule() {
                crate::plan::functions::ResultRule::Fixed(t) => t,
                crate::plan::functions::ResultRule::Rule(_) => DataType::Dynamic,
            };
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| row(f, &a, ty, &cx)));
            if let Ok(Err(m)) = out {
                assert!(!m.contains("has no implementation"), "{}: {m}", f.name());
            }
        }
    }
}
