//! Reading the summaries that hll() and tdigest() build. Kusto's are approximate sketches;
//! kqlab's are exact: an hll() summary is the array of distinct values, a tdigest() summary
//! the array of [value, weight] pairs sorted by value. So dcount_hll() is the exact distinct
//! count and percentile_tdigest() the exact weighted nearest-rank percentile, which is what
//! the sketches estimate (and what they give on small data).

use super::{Call, FResult};
use crate::exec::cast::to_f64;
use crate::types::{Dynamic, Value};

/// The [value, weight] pairs of a tdigest() summary (anything else gives none).
pub fn digest_pairs(d: &Dynamic) -> Vec<(Value, f64)> {
    let Dynamic::Array(items) = d else { return Vec::new() };
    items
        .iter()
        .filter_map(|p| match p {
            Dynamic::Array(vw) if vw.len() == 2 => {
                let w = to_f64(&Value::Dynamic(vw[1].clone()))?;
                Some((plain(Value::Dynamic(vw[0].clone())), w))
            }
            _ => None,
        })
        .collect()
}

/// A summary's element as a plain value, so numbers sort as numbers (dynamic values would
/// sort by their text).
fn plain(v: Value) -> Value {
    match v {
        Value::Dynamic(Dynamic::Long(n)) => Value::Long(n),
        Value::Dynamic(Dynamic::Real(x)) => Value::Real(x),
        Value::Dynamic(Dynamic::DateTime(t)) => Value::DateTime(t),
        Value::Dynamic(Dynamic::TimeSpan(t)) => Value::TimeSpan(t),
        Value::Dynamic(Dynamic::String(s)) => Value::String(s),
        Value::Dynamic(Dynamic::Bool(b)) => Value::Bool(b),
        Value::Int(n) => Value::Long(n as i64),
        other => other,
    }
}

/// A tdigest() summary from [value, weight] pairs: sorted by value, equal values merged.
pub fn digest_value(mut pairs: Vec<(Value, f64)>) -> Dynamic {
    let mut pairs: Vec<(Value, f64)> = pairs.drain(..).map(|(v, w)| (plain(v), w)).collect();
    pairs.sort_by(|a, b| a.0.cmp_sort(&b.0));
    let mut out: Vec<(Value, f64)> = Vec::with_capacity(pairs.len());
    for (v, w) in pairs {
        match out.last_mut() {
            Some((last, lw)) if last.cmp_sort(&v).is_eq() => *lw += w,
            _ => out.push((v, w)),
        }
    }
    let whole = |w: f64| if w.fract() == 0.0 && w.abs() < 9e15 { Dynamic::Long(w as i64) } else { Dynamic::Real(w) };
    Dynamic::array(out.into_iter().map(|(v, w)| Dynamic::array(vec![v.to_dynamic(), whole(w)])).collect())
}

fn digest(v: &Value) -> Option<Vec<(Value, f64)>> {
    match v {
        Value::Dynamic(d @ Dynamic::Array(_)) => Some(digest_pairs(d)),
        _ => None,
    }
}

/// dcount_hll(summary): the number of distinct values in an hll() summary.
pub fn dcount_hll(c: &Call) -> FResult {
    Ok(match &c.a[0] {
        Value::Dynamic(Dynamic::Array(xs)) => Value::Long(xs.len() as i64),
        // hll() of a group without values is null: it counts nothing.
        Value::Null | Value::Dynamic(Dynamic::Null) => Value::Long(0),
        _ => Value::Null,
    })
}

/// hll_merge(s1, s2, ...) (the scalar form, two or more summaries): one summary holding the
/// distinct values of all of them, in order of first appearance; null summaries add nothing.
pub fn hll_merge(c: &Call) -> FResult {
    let mut seen: std::collections::HashSet<String, crate::table::FxBuildHasher> = Default::default();
    let mut out = Vec::new();
    for v in c.a {
        if let Value::Dynamic(Dynamic::Array(xs)) = v {
            for d in xs.iter() {
                if seen.insert(d.to_json()) {
                    out.push(d.clone());
                }
            }
        }
    }
    Ok(if out.is_empty() { Value::Dynamic(Dynamic::Null) } else { Value::Dynamic(Dynamic::array(out)) })
}

/// merge_tdigest(s1, s2, ...): one summary holding every input summary's values.
pub fn merge_tdigest(c: &Call) -> FResult {
    let mut all = Vec::new();
    for v in c.a {
        all.extend(digest(v).unwrap_or_default());
    }
    Ok(Value::Dynamic(digest_value(all)))
}

/// The weighted nearest-rank percentile of sorted pairs: the first value whose cumulative
/// weight reaches p% of the total.
fn percentile_of(pairs: &[(Value, f64)], p: f64) -> Value {
    let total: f64 = pairs.iter().map(|(_, w)| w).sum();
    if pairs.is_empty() || !(0.0..=100.0).contains(&p) {
        return Value::Null;
    }
    let rank = (p / 100.0 * total).ceil().max(1.0);
    let mut seen = 0.0;
    pairs
        .iter()
        .find(|(_, w)| {
            seen += w;
            seen >= rank
        })
        .or(pairs.last())
        .map_or(Value::Null, |(v, _)| v.clone())
}

/// percentile_tdigest(summary, p[, type]): the p-th percentile, as a real (or as the type
/// of the optional third argument's value).
pub fn percentile_tdigest(c: &Call) -> FResult {
    let (Some(pairs), Some(p)) = (digest(&c.a[0]), c.a.get(1).and_then(to_f64)) else { return Ok(Value::Null) };
    Ok(crate::exec::cast::cast_value(&percentile_of(&pairs, p), c.ty))
}

/// percentiles_array_tdigest(summary, p1, p2, ... | dynamic([p1, ...])): the percentiles as
/// an array.
pub fn percentiles_array_tdigest(c: &Call) -> FResult {
    let Some(pairs) = digest(&c.a[0]) else { return Ok(Value::Null) };
    let mut ps = Vec::new();
    for v in &c.a[1..] {
        match v {
            Value::Dynamic(Dynamic::Array(xs)) => ps.extend(xs.iter().filter_map(|d| to_f64(&Value::Dynamic(d.clone())))),
            other => ps.extend(to_f64(other)),
        }
    }
    Ok(Value::Dynamic(Dynamic::array(ps.into_iter().map(|p| percentile_of(&pairs, p).to_dynamic()).collect())))
}

/// The total weight of the values at or below `v`.
fn weight_at_or_below(pairs: &[(Value, f64)], v: &Value) -> f64 {
    let v = plain(v.clone());
    pairs.iter().filter(|(x, _)| x.cmp_sort(&v).is_le()).map(|(_, w)| w).sum()
}

/// rank_tdigest(summary, v): how many values (by weight) are at or below v.
pub fn rank_tdigest(c: &Call) -> FResult {
    let Some(pairs) = digest(&c.a[0]) else { return Ok(Value::Null) };
    if c.a[1].is_null() {
        return Ok(Value::Null);
    }
    Ok(Value::Long(weight_at_or_below(&pairs, &c.a[1]).round() as i64))
}

/// percentrank_tdigest(summary, v): the percentage of the weight at or below v.
pub fn percentrank_tdigest(c: &Call) -> FResult {
    let Some(pairs) = digest(&c.a[0]) else { return Ok(Value::Null) };
    let total: f64 = pairs.iter().map(|(_, w)| w).sum();
    if c.a[1].is_null() || total == 0.0 {
        return Ok(Value::Null);
    }
    Ok(Value::Real(100.0 * weight_at_or_below(&pairs, &c.a[1]) / total))
}
