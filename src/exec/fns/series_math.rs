//! Element-wise series functions (series_add, series_sin, series_greater...) and the
//! series-to-number reductions (series_sum, series_magnitude, series_dot_product,
//! series_cosine_similarity, series_pearson_correlation).
//!
//! An element that is not a number, or that one of two arrays of different lengths lacks,
//! gives a null element. A number in place of an array is repeated to the other array's
//! length. Sums, differences and products of two whole numbers stay whole (as long as they
//! fit); everything else is a real, as the pages' examples show ([0.25,1.0,4.0]).

use super::{Call, FResult};
use crate::exec::cast::to_f64;
use crate::types::{Dynamic, Value};

/// A number element: whole or real.
#[derive(Clone, Copy)]
enum Num {
    Whole(i64),
    Real(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::Whole(n) => n as f64,
            Num::Real(x) => x,
        }
    }
}

fn num(d: &Dynamic) -> Option<Num> {
    match d {
        Dynamic::Long(n) => Some(Num::Whole(*n)),
        Dynamic::Real(x) => Some(Num::Real(*x)),
        _ => None,
    }
}

/// An argument: an array of maybe-numbers, or one number to repeat.
enum Operand {
    Array(Vec<Option<Num>>),
    Scalar(Num),
}

fn operand(v: &Value) -> Option<Operand> {
    match v {
        Value::Dynamic(Dynamic::Array(items)) => Some(Operand::Array(items.iter().map(num).collect())),
        Value::Dynamic(d) => num(d).map(Operand::Scalar),
        Value::Int(n) => Some(Operand::Scalar(Num::Whole(*n as i64))),
        Value::Long(n) => Some(Operand::Scalar(Num::Whole(*n))),
        Value::Real(x) => Some(Operand::Scalar(Num::Real(*x))),
        _ => None,
    }
}

fn values(v: &Value) -> Option<Vec<Option<Num>>> {
    match operand(v)? {
        Operand::Array(xs) => Some(xs),
        Operand::Scalar(_) => None,
    }
}

fn array(items: Vec<Dynamic>) -> FResult {
    Ok(Value::Dynamic(Dynamic::array(items)))
}

fn real_or_null(x: Option<f64>) -> Dynamic {
    x.map_or(Dynamic::Null, Dynamic::Real)
}

/// Applies `f` to every element of a one-array call.
fn each(c: &Call, f: impl Fn(Num) -> Dynamic) -> FResult {
    let Some(xs) = values(&c.a[0]) else { return Ok(Value::Null) };
    array(xs.into_iter().map(|x| x.map_or(Dynamic::Null, &f)).collect())
}

fn each_real(c: &Call, f: impl Fn(f64) -> Option<f64>) -> FResult {
    each(c, |x| real_or_null(f(x.f())))
}

/// Applies `f` to the pairs of a two-argument call (at least one of them an array).
fn pairs(c: &Call, f: impl Fn(Num, Num) -> Dynamic) -> FResult {
    let (Some(a), Some(b)) = (operand(&c.a[0]), operand(&c.a[1])) else { return Ok(Value::Null) };
    let n = match (&a, &b) {
        (Operand::Array(x), Operand::Array(y)) => x.len().max(y.len()),
        (Operand::Array(x), _) | (_, Operand::Array(x)) => x.len(),
        _ => return Ok(Value::Null),
    };
    let at = |o: &Operand, i: usize| match o {
        Operand::Array(xs) => xs.get(i).copied().flatten(),
        Operand::Scalar(s) => Some(*s),
    };
    array((0..n).map(|i| if let (Some(x), Some(y)) = (at(&a, i), at(&b, i)) { f(x, y) } else { Dynamic::Null }).collect())
}

fn whole_or_real(x: Num, y: Num, whole: fn(i64, i64) -> Option<i64>, real: fn(f64, f64) -> f64) -> Dynamic {
    match (x, y) {
        (Num::Whole(a), Num::Whole(b)) => whole(a, b).map_or_else(|| Dynamic::Real(real(a as f64, b as f64)), Dynamic::Long),
        _ => Dynamic::Real(real(x.f(), y.f())),
    }
}

pub fn series_add(c: &Call) -> FResult {
    pairs(c, |x, y| whole_or_real(x, y, i64::checked_add, |a, b| a + b))
}

pub fn series_subtract(c: &Call) -> FResult {
    pairs(c, |x, y| whole_or_real(x, y, i64::checked_sub, |a, b| a - b))
}

pub fn series_multiply(c: &Call) -> FResult {
    pairs(c, |x, y| whole_or_real(x, y, i64::checked_mul, |a, b| a * b))
}

/// series_divide: always real, with the real division's infinities and NaN for a zero divisor.
pub fn series_divide(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Real(x.f() / y.f()))
}

pub fn series_pow(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Real(x.f().powf(y.f())))
}

pub fn series_equals(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() == y.f()))
}

pub fn series_not_equals(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() != y.f()))
}

pub fn series_greater(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() > y.f()))
}

pub fn series_greater_equals(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() >= y.f()))
}

pub fn series_less(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() < y.f()))
}

pub fn series_less_equals(c: &Call) -> FResult {
    pairs(c, |x, y| Dynamic::Bool(x.f() <= y.f()))
}

pub fn series_abs(c: &Call) -> FResult {
    each(c, |x| match x {
        Num::Whole(n) => n.checked_abs().map_or(Dynamic::Real((n as f64).abs()), Dynamic::Long),
        Num::Real(r) => Dynamic::Real(r.abs()),
    })
}

pub fn series_sign(c: &Call) -> FResult {
    each(c, |x| match x {
        Num::Whole(n) => Dynamic::Long(n.signum()),
        Num::Real(r) => Dynamic::Real(if r == 0.0 { 0.0 } else { r.signum() }),
    })
}

pub fn series_ceiling(c: &Call) -> FResult {
    each_real(c, |x| Some(x.ceil()))
}

pub fn series_floor(c: &Call) -> FResult {
    each_real(c, |x| Some(x.floor()))
}

pub fn series_exp(c: &Call) -> FResult {
    each_real(c, |x| Some(x.exp()))
}

/// series_log: the natural logarithm; null for a negative element, as log() gives.
pub fn series_log(c: &Call) -> FResult {
    each_real(c, |x| (x >= 0.0).then(|| x.ln()))
}

pub fn series_sin(c: &Call) -> FResult {
    each_real(c, |x| Some(x.sin()))
}

pub fn series_cos(c: &Call) -> FResult {
    each_real(c, |x| Some(x.cos()))
}

pub fn series_tan(c: &Call) -> FResult {
    each_real(c, |x| Some(x.tan()))
}

pub fn series_asin(c: &Call) -> FResult {
    each_real(c, |x| (-1.0..=1.0).contains(&x).then(|| x.asin()))
}

pub fn series_acos(c: &Call) -> FResult {
    each_real(c, |x| (-1.0..=1.0).contains(&x).then(|| x.acos()))
}

pub fn series_atan(c: &Call) -> FResult {
    each_real(c, |x| Some(x.atan()))
}

/// The numeric elements of an array, non-numbers left out.
fn numbers(v: &Value) -> Option<Vec<f64>> {
    values(v).map(|xs| xs.into_iter().flatten().map(Num::f).collect())
}

pub fn series_sum(c: &Call) -> FResult {
    Ok(numbers(&c.a[0]).map_or(Value::Null, |xs| Value::Real(xs.iter().sum())))
}

pub fn series_product(c: &Call) -> FResult {
    Ok(numbers(&c.a[0]).map_or(Value::Null, |xs| Value::Real(xs.iter().product())))
}

/// series_magnitude: the Euclidean length, √(Σ x²).
pub fn series_magnitude(c: &Call) -> FResult {
    Ok(numbers(&c.a[0]).map_or(Value::Null, |xs| Value::Real(xs.iter().map(|x| x * x).sum::<f64>().sqrt())))
}

/// The pairs of two operands up to the shorter array's length (a number repeats), both
/// elements numeric; `None` when an array is empty or an argument is neither.
fn truncated_pairs(a: &Value, b: &Value) -> Option<Vec<(f64, f64)>> {
    let (x, y) = (operand(a)?, operand(b)?);
    let n = match (&x, &y) {
        (Operand::Array(p), Operand::Array(q)) => p.len().min(q.len()),
        (Operand::Array(p), _) | (_, Operand::Array(p)) => p.len(),
        _ => return None,
    };
    let at = |o: &Operand, i: usize| match o {
        Operand::Array(xs) => xs[i],
        Operand::Scalar(s) => Some(*s),
    };
    if n == 0 {
        return None;
    }
    Some((0..n).filter_map(|i| Some((at(&x, i)?.f(), at(&y, i)?.f()))).collect())
}

/// series_dot_product: Σ xᵢ·yᵢ over the shorter length; non-numbers are skipped.
pub fn series_dot_product(c: &Call) -> FResult {
    Ok(truncated_pairs(&c.a[0], &c.a[1]).map_or(Value::Null, |ps| Value::Real(ps.iter().map(|(x, y)| x * y).sum())))
}

/// series_cosine_similarity(s1, s2[, m1[, m2]]): the dot product over the two magnitudes
/// (given, or computed from the arrays).
pub fn series_cosine_similarity(c: &Call) -> FResult {
    let Some(ps) = truncated_pairs(&c.a[0], &c.a[1]) else { return Ok(Value::Null) };
    let dot: f64 = ps.iter().map(|(x, y)| x * y).sum();
    let given = |i: usize| c.a.get(i).and_then(to_f64);
    let m1 = given(2).unwrap_or_else(|| ps.iter().map(|(x, _)| x * x).sum::<f64>().sqrt());
    let m2 = given(3).unwrap_or_else(|| ps.iter().map(|(_, y)| y * y).sum::<f64>().sqrt());
    Ok(Value::Real(dot / (m1 * m2)))
}

/// series_pearson_correlation: null when the arrays differ in length or hold a non-number.
pub fn series_pearson_correlation(c: &Call) -> FResult {
    let (Some(x), Some(y)) = (values(&c.a[0]), values(&c.a[1])) else { return Ok(Value::Null) };
    if x.len() != y.len() || x.is_empty() {
        return Ok(Value::Null);
    }
    let (Some(x), Some(y)) =
        (x.into_iter().map(|v| v.map(Num::f)).collect::<Option<Vec<f64>>>(), y.into_iter().map(|v| v.map(Num::f)).collect::<Option<Vec<f64>>>())
    else {
        return Ok(Value::Null);
    };
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(&y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    Ok(Value::Real(sxy / (sxx * syy).sqrt()))
}

/// series_seasonal(s[, period]): each point's seasonal component, the median of the points
/// in the same phase. A period of -1 (the default) is detected as series_decompose detects it
/// (with a 0.7 score threshold); 0, or no period found, gives zeros. Missing points are left
/// out of the medians.
pub fn series_seasonal(c: &Call) -> FResult {
    let Some(xs) = values(&c.a[0]) else { return Ok(Value::Null) };
    let xs: Vec<Option<f64>> = xs.into_iter().map(|v| v.map(Num::f).filter(|x| x.is_finite())).collect();
    let n = xs.len();
    let asked = c.a.get(1).and_then(crate::exec::cast::to_i64).unwrap_or(-1);
    let period = match asked {
        -1 => super::series::detect_period(&xs, n, 0.7),
        p if p > 0 => Some(p as usize),
        _ => None,
    };
    let Some(p) = period.filter(|p| *p < n.max(1)) else { return array(vec![Dynamic::Real(0.0); n]) };
    let medians: Vec<f64> = (0..p)
        .map(|phase| {
            let mut vals: Vec<f64> = xs.iter().skip(phase).step_by(p).flatten().copied().collect();
            vals.sort_by(f64::total_cmp);
            match vals.len() {
                0 => 0.0,
                k if k % 2 == 1 => vals[k / 2],
                k => (vals[k / 2 - 1] + vals[k / 2]) / 2.0,
            }
        })
        .collect();
    array((0..n).map(|i| Dynamic::Real(medians[i % p])).collect())
}
