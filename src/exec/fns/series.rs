//! Time-series functions over dynamic numeric arrays (the output of `make-series`):
//! `series_decompose()`, `series_outliers()` and `series_decompose_anomalies()`.
//!
//! Kusto documents the algorithm but not every detail; kqlab follows the documented steps and
//! makes these choices where the documentation is silent (tests in
//! `tests/cases/series.kqltest` pin them):
//!
//! * **Seasonality** (`-1`, the default, autodetects): Kusto uses `series_periods_detect`. kqlab
//!   scores each candidate period `p` (4 to (n-1)/2: at least 4 points and more than two full periods; for series
//!   over 40,000 points, fewer so the work stays bounded) by the Pearson
//!   correlation of the learning points with themselves shifted by `p`, and takes the best
//!   period whose score reaches the seasonality threshold (default 0.6), or its shortest
//!   divisor scoring at least 90% as well (multiples of a period score about as well as it). The seasonal component is, as documented, the median of the learning points in
//!   the same phase.
//! * **Trend**: `avg` (default) is the mean of the de-seasonalised learning points; `linefit` is
//!   a least-squares line over their indices; `none` is zero.
//! * **Outlier scores** (`series_outliers`, used on the residual): with the normal range
//!   `[Q1, Q3]` given by the 10th/90th percentiles (`ctukey`, the default) or the 25th/75th
//!   (`tukey`), a point above `Q3` scores `(x − Q3) / (Q3 − Q1)`, below `Q1` scores
//!   `(x − Q1) / (Q3 − Q1)` (negative), and inside scores 0, so a score above the threshold k
//!   (1.5 by default) is exactly a point outside Tukey's fence `Q3 + k·IQR`. Percentiles
//!   interpolate linearly between ranks. When the range is zero (or below 1e-9 of the largest
//!   residual: rounding noise), e.g. a flat series with one spike, the mean absolute deviation
//!   from the median is used instead; a constant series scores 0 everywhere.
//! * **Missing values** (nulls, non-numbers) are left out of the learning and score 0; their
//!   baseline is still computed.
//! * `series_decompose_anomalies` flags +1 where the score is above the threshold, −1 where it
//!   is below −threshold, 0 elsewhere.

use super::{Call, FResult};
use crate::exec::cast::{to_f64, to_i64};
use crate::plan::functions::Func;
use crate::types::{Dynamic, Value};

fn series(v: &Value) -> Option<Vec<Option<f64>>> {
    match v {
        Value::Dynamic(Dynamic::Array(items)) => Some(
            items
                .iter()
                .map(|d| match d {
                    Dynamic::Long(n) => Some(*n as f64),
                    Dynamic::Real(f) if f.is_finite() => Some(*f),
                    Dynamic::Bool(b) => Some(*b as i64 as f64),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

fn reals(xs: &[f64]) -> Value {
    Value::Dynamic(Dynamic::array(xs.iter().map(|x| Dynamic::Real(*x)).collect()))
}

/// The p-th percentile (0-100) of sorted values, interpolating linearly between ranks.
fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = (p / 100.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn median(mut xs: Vec<f64>) -> f64 {
    crate::util::sort::sort_f64(&mut xs);
    percentile_sorted(&xs, 50.0)
}

/// Autodetects a seasonal period (see the module documentation).
pub fn detect_period(x: &[Option<f64>], learn: usize, threshold: f64) -> Option<usize> {
    let pts = &x[..learn];
    let mut best: Option<(usize, f64)> = None;
    let mut scores: Vec<(usize, f64)> = Vec::new();
    // A period has at least 4 points and fits more than twice in the series (the
    // series_periods_detect page's limits; the series_seasonal page's third example, 12 points
    // that repeat every 6, is "too short to be detected"). Bound the work (about n × periods)
    // for very long series.
    let max_period = (learn.saturating_sub(1) / 2).min((20_000_000 / learn.max(1)).max(4));
    for p in 4..=max_period {
        // Pearson correlation of the series with itself shifted by p.
        let pairs: Vec<(f64, f64)> = (0..learn - p).filter_map(|i| Some((pts[i]?, pts[i + p]?))).collect();
        if pairs.len() < p.max(3) {
            continue;
        }
        let k = pairs.len() as f64;
        let (ma, mb) = (pairs.iter().map(|q| q.0).sum::<f64>() / k, pairs.iter().map(|q| q.1).sum::<f64>() / k);
        let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
        for (a, b) in &pairs {
            sab += (a - ma) * (b - mb);
            saa += (a - ma) * (a - ma);
            sbb += (b - mb) * (b - mb);
        }
        if saa <= 0.0 || sbb <= 0.0 {
            continue;
        }
        let score = sab / (saa * sbb).sqrt();
        if score >= threshold {
            scores.push((p, score));
            if best.is_none_or(|(_, s)| score > s + 1e-9) {
                best = Some((p, score));
            }
        }
    }
    // A multiple of the true period scores about as well as the period itself: prefer the
    // shortest divisor of the best period that scores at least 90% as well.
    let (bp, bs) = best?;
    scores.iter().find(|(p, s)| bp % p == 0 && *s >= 0.9 * bs).map(|(p, _)| *p).or(Some(bp))
}

pub struct Decomposition {
    pub baseline: Vec<f64>,
    pub seasonal: Vec<f64>,
    pub trend: Vec<f64>,
    pub residual: Vec<f64>,
}

pub fn decompose(x: &[Option<f64>], seasonality: i64, trend: &str, test_points: usize, seasonality_threshold: f64) -> Result<Decomposition, String> {
    let n = x.len();
    let learn = n.saturating_sub(test_points);
    let period = match seasonality {
        -1 => detect_period(x, learn, seasonality_threshold),
        0 => None,
        p if p > 0 => Some(p as usize),
        other => return Err(format!("seasonality must be -1 (detect), 0 (none) or a positive number of bins, not {other}")),
    };
    let mut seasonal = vec![0.0; n];
    if let Some(p) = period.filter(|p| *p < n.max(1)) {
        let mut phase_median = vec![0.0; p];
        for (ph, m) in phase_median.iter_mut().enumerate() {
            let vals: Vec<f64> = (ph..learn).step_by(p).filter_map(|i| x[i]).collect();
            if !vals.is_empty() {
                *m = median(vals);
            }
        }
        for (i, s) in seasonal.iter_mut().enumerate() {
            *s = phase_median[i % p];
        }
    }
    let de: Vec<Option<f64>> = x.iter().zip(&seasonal).map(|(v, s)| v.map(|v| v - s)).collect();
    let pts: Vec<(f64, f64)> = de[..learn].iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64, v))).collect();
    let trend_v: Vec<f64> = match trend {
        "avg" => {
            let m = if pts.is_empty() { 0.0 } else { pts.iter().map(|p| p.1).sum::<f64>() / pts.len() as f64 };
            vec![m; n]
        }
        "linefit" => {
            let k = pts.len() as f64;
            if pts.is_empty() {
                vec![0.0; n]
            } else {
                let mx = pts.iter().map(|p| p.0).sum::<f64>() / k;
                let my = pts.iter().map(|p| p.1).sum::<f64>() / k;
                let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
                let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
                let slope = if sxx == 0.0 { 0.0 } else { sxy / sxx };
                (0..n).map(|i| my + slope * (i as f64 - mx)).collect()
            }
        }
        "none" => vec![0.0; n],
        other => return Err(format!("trend must be 'avg', 'linefit' or 'none', not '{other}'")),
    };
    let baseline: Vec<f64> = seasonal.iter().zip(&trend_v).map(|(s, t)| s + t).collect();
    let residual: Vec<f64> = x.iter().zip(&baseline).map(|(v, b)| v.map_or(0.0, |v| v - b)).collect();
    Ok(Decomposition { baseline, seasonal, trend: trend_v, residual })
}

/// Tukey-fence scores (see the module documentation). `known[i]` is false for missing points.
pub fn outlier_scores(r: &[f64], known: &[bool], learn: usize, low_pct: f64, high_pct: f64) -> Vec<f64> {
    let mut sample: Vec<f64> = (0..learn.min(r.len())).filter(|&i| known[i]).map(|i| r[i]).collect();
    crate::util::sort::sort_f64(&mut sample);
    if sample.is_empty() {
        return vec![0.0; r.len()];
    }
    let q1 = percentile_sorted(&sample, low_pct);
    let q3 = percentile_sorted(&sample, high_pct);
    let mut range = q3 - q1;
    // A range that is only rounding noise counts as zero.
    let scale = sample.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    if range <= 1e-9 * scale {
        let med = percentile_sorted(&sample, 50.0);
        range = sample.iter().map(|v| (v - med).abs()).sum::<f64>() / sample.len() as f64;
    }
    r.iter()
        .zip(known)
        .map(|(&v, &k)| {
            if !k || range <= 1e-9 * scale {
                0.0
            } else if v > q3 {
                (v - q3) / range
            } else if v < q1 {
                (v - q1) / range
            } else {
                0.0
            }
        })
        .collect()
}

fn str_arg(a: &[Value], i: usize, default: &str) -> String {
    match a.get(i) {
        None | Some(Value::Null) => default.to_string(),
        Some(v) => v.to_display(),
    }
}

fn num_arg(a: &[Value], i: usize, default: f64) -> f64 {
    a.get(i).and_then(to_f64).unwrap_or(default)
}

/// `args` ends with the hidden component index for the multi-column functions.
pub fn row(c: &Call) -> FResult {
    let Call { f, a, .. } = *c;
    match f {
        Func::SeriesOutliers => {
            let Some(x) = series(&a[0]) else { return Ok(Value::Null) };
            let kind = str_arg(a, 1, "ctukey");
            let ignore = a.get(2).and_then(to_f64);
            let (lo, hi) = match kind.as_str() {
                "ctukey" => (num_arg(a, 3, 10.0), num_arg(a, 4, 90.0)),
                "tukey" => (25.0, 75.0),
                other => return Err(format!("series_outliers() kind must be 'ctukey' or 'tukey', not '{other}'")),
            };
            if !(2.0..=98.0).contains(&lo) || !(2.0..=98.0).contains(&hi) || lo >= hi {
                return Err("series_outliers() percentiles must be within [2, 98], the minimum below the maximum".into());
            }
            let known: Vec<bool> = x.iter().map(|v| v.is_some() && *v != ignore).collect();
            let vals: Vec<f64> = x.iter().map(|v| v.unwrap_or(0.0)).collect();
            Ok(reals(&outlier_scores(&vals, &known, vals.len(), lo, hi)))
        }
        Func::SeriesDecompose | Func::SeriesDecomposeAnomalies => {
            let (user, part) = a.split_at(a.len() - 1);
            let part = to_i64(&part[0]).unwrap_or(0);
            let Some(x) = series(&user[0]) else { return Ok(Value::Null) };
            let anomalies = f == Func::SeriesDecomposeAnomalies;
            // series_decompose(Series, Seasonality, Trend, Test_points, Seasonality_threshold)
            // series_decompose_anomalies(Series, Threshold, Seasonality, Trend, Test_points, AD_method, Seasonality_threshold)
            let o = usize::from(anomalies);
            let threshold = if anomalies { num_arg(user, 1, 1.5) } else { 1.5 };
            let seasonality = user.get(1 + o).and_then(to_i64).unwrap_or(-1);
            let trend = str_arg(user, 2 + o, "avg");
            let test_points = user.get(3 + o).and_then(to_i64).unwrap_or(0).max(0) as usize;
            let method = if anomalies { str_arg(user, 5, "ctukey") } else { String::new() };
            let s_threshold = num_arg(user, if anomalies { 6 } else { 4 }, 0.6);
            let d = decompose(&x, seasonality, &trend, test_points, s_threshold)?;
            if !anomalies {
                return Ok(reals(match part {
                    0 => &d.baseline,
                    1 => &d.seasonal,
                    2 => &d.trend,
                    _ => &d.residual,
                }));
            }
            let (lo, hi) = match method.as_str() {
                "ctukey" => (10.0, 90.0),
                "tukey" => (25.0, 75.0),
                other => return Err(format!("series_decompose_anomalies() AD_method must be 'ctukey' or 'tukey', not '{other}'")),
            };
            let known: Vec<bool> = x.iter().map(|v| v.is_some()).collect();
            let learn = x.len().saturating_sub(test_points);
            let scores = outlier_scores(&d.residual, &known, learn, lo, hi);
            Ok(match part {
                0 => Value::Dynamic(Dynamic::array(
                    scores
                        .iter()
                        .map(|s| {
                            Dynamic::Long(if *s > threshold {
                                1
                            } else if *s < -threshold {
                                -1
                            } else {
                                0
                            })
                        })
                        .collect(),
                )),
                1 => reals(&scores),
                _ => reals(&d.baseline),
            })
        }
        _ => Err(super::not_here(f, "series")),
    }
}

/// The elements of a series as dynamic values, or `None` when it is not an array.
fn elements(v: &Value) -> Option<Vec<Dynamic>> {
    match v {
        Value::Dynamic(Dynamic::Array(items)) => Some(items.as_ref().clone()),
        _ => None,
    }
}

/// Is this element missing: null, or equal to the placeholder the call names?
fn missing(d: &Dynamic, placeholder: Option<&Value>) -> bool {
    if d.is_null() || matches!(d, Dynamic::Real(f) if f.is_nan()) {
        return true;
    }
    match placeholder {
        None | Some(Value::Null) => false,
        Some(p) => match (to_f64(&Value::Dynamic(d.clone())), to_f64(p)) {
            (Some(x), Some(y)) => x == y,
            _ => Value::Dynamic(d.clone()).to_display() == p.to_display(),
        },
    }
}

fn out(items: Vec<Dynamic>) -> FResult {
    Ok(Value::Dynamic(Dynamic::array(items)))
}

/// series_fill_forward(series[, placeholder]): each missing element takes the last value seen
/// before it (missing elements at the start stay).
pub fn series_fill_forward(c: &Call) -> FResult {
    let Some(mut x) = elements(&c.a[0]) else { return Ok(Value::Null) };
    let mut last: Option<Dynamic> = None;
    for d in x.iter_mut() {
        if missing(d, c.a.get(1)) {
            if let Some(v) = &last {
                *d = v.clone();
            }
        } else {
            last = Some(d.clone());
        }
    }
    out(x)
}

/// series_fill_backward(series[, placeholder]): each missing element takes the next value seen
/// after it (missing elements at the end stay).
pub fn series_fill_backward(c: &Call) -> FResult {
    let Some(mut x) = elements(&c.a[0]) else { return Ok(Value::Null) };
    let mut next: Option<Dynamic> = None;
    for d in x.iter_mut().rev() {
        if missing(d, c.a.get(1)) {
            if let Some(v) = &next {
                *d = v.clone();
            }
        } else {
            next = Some(d.clone());
        }
    }
    out(x)
}

/// series_fill_const(series, value[, placeholder]).
pub fn series_fill_const(c: &Call) -> FResult {
    let Some(x) = elements(&c.a[0]) else { return Ok(Value::Null) };
    let fill = match &c.a[1] {
        Value::Dynamic(d) => d.clone(),
        v => v.to_dynamic(),
    };
    out(x.into_iter().map(|d| if missing(&d, c.a.get(2)) { fill.clone() } else { d }).collect())
}

/// series_fill_linear(series[, placeholder[, fill_edges[, constant]]]): missing elements
/// between two values are interpolated on a straight line (truncated to whole numbers when
/// every value is a whole number), those at the edges take the nearest value unless
/// `fill_edges` is false, and a series with no value at all is filled with `constant` (0).
pub fn series_fill_linear(c: &Call) -> FResult {
    let Some(x) = elements(&c.a[0]) else { return Ok(Value::Null) };
    let placeholder = c.a.get(1);
    let fill_edges = !matches!(c.a.get(2), Some(Value::Bool(false)));
    let known: Vec<Option<f64>> = x.iter().map(|d| if missing(d, placeholder) { None } else { to_f64(&Value::Dynamic(d.clone())) }).collect();
    let whole = x.iter().zip(&known).all(|(d, k)| k.is_none() || matches!(d, Dynamic::Long(_)));
    let num = |v: f64| if whole { Dynamic::Long(v.trunc() as i64) } else { Dynamic::Real(v) };
    let idx: Vec<usize> = (0..x.len()).filter(|&i| known[i].is_some()).collect();
    let (Some(&first), Some(&last)) = (idx.first(), idx.last()) else {
        let fill = match c.a.get(3) {
            None => Dynamic::Long(0),
            Some(Value::Dynamic(d)) => d.clone(),
            Some(v) => v.to_dynamic(),
        };
        return out(x.iter().map(|_| fill.clone()).collect());
    };
    let mut res = x.clone();
    for i in 0..x.len() {
        if known[i].is_some() {
            continue;
        }
        res[i] = if i < first {
            if fill_edges {
                x[first].clone()
            } else {
                x[i].clone()
            }
        } else if i > last {
            if fill_edges {
                x[last].clone()
            } else {
                x[i].clone()
            }
        } else {
            let after = idx.partition_point(|&k| k < i);
            let (lo, hi) = (idx[after - 1], idx[after]);
            let (a, b) = (known[lo].unwrap_or_default(), known[hi].unwrap_or_default());
            num(a + (b - a) * (i - lo) as f64 / (hi - lo) as f64)
        };
    }
    out(res)
}

/// The statistics of series_stats and series_stats_dynamic, in Kusto's order: min, min_idx,
/// max, max_idx, avg, stdev, variance (sample), sum, len. `None` when a value is not finite
/// and `ignore_nonfinite` is false.
fn stats(x: &[Option<f64>], ignore: bool) -> Option<Vec<(&'static str, Dynamic)>> {
    if !ignore && x.iter().any(Option::is_none) {
        return None;
    }
    let vals: Vec<(usize, f64)> = x.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let n = vals.len() as f64;
    let sum: f64 = vals.iter().map(|p| p.1).sum();
    let avg = sum / n;
    let variance = if vals.len() > 1 { vals.iter().map(|p| (p.1 - avg).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    let min = vals.iter().fold(None::<(usize, f64)>, |m, &(i, v)| if m.is_none_or(|(_, b)| v < b) { Some((i, v)) } else { m });
    let max = vals.iter().fold(None::<(usize, f64)>, |m, &(i, v)| if m.is_none_or(|(_, b)| v > b) { Some((i, v)) } else { m });
    let real = |v: Option<f64>| v.filter(|v| v.is_finite()).map_or(Dynamic::Null, Dynamic::Real);
    let idx = |m: Option<(usize, f64)>| m.map_or(Dynamic::Null, |(i, _)| Dynamic::Long(i as i64));
    Some(vec![
        ("min", real(min.map(|m| m.1))),
        ("min_idx", idx(min)),
        ("max", real(max.map(|m| m.1))),
        ("max_idx", idx(max)),
        ("avg", real(Some(avg))),
        ("stdev", real(Some(variance.sqrt()))),
        ("variance", real(Some(variance))),
        ("sum", real(Some(sum))),
        ("len", Dynamic::Long(x.len() as i64)),
    ])
}

/// series_stats_dynamic(series[, ignore_nonfinite]): the statistics as a property bag.
pub fn series_stats_dynamic(c: &Call) -> FResult {
    let Some(x) = series(&c.a[0]) else { return Ok(Value::Null) };
    Ok(match stats(&x, matches!(c.a.get(1), Some(Value::Bool(true)))) {
        Some(s) => Value::Dynamic(Dynamic::object(s.into_iter().map(|(k, v)| (std::sync::Arc::from(k), v)).collect())),
        None => Value::Dynamic(Dynamic::Null),
    })
}

/// series_stats(series[, ignore_nonfinite]): one column per statistic; the binder passes the
/// column's position (0 = min ... 6 = variance) as a hidden last argument.
pub fn series_stats(c: &Call) -> FResult {
    let (user, part) = c.a.split_at(c.a.len().saturating_sub(1));
    let part = part.first().and_then(to_i64).unwrap_or(0).clamp(0, 6) as usize;
    let Some(x) = user.first().and_then(series) else { return Ok(Value::Null) };
    Ok(match stats(&x, matches!(user.get(1), Some(Value::Bool(true)))).and_then(|s| s.into_iter().nth(part)) {
        Some((_, Dynamic::Long(n))) => Value::Long(n),
        Some((_, Dynamic::Real(x))) => Value::Real(x),
        _ => Value::Null,
    })
}

/// series_fir(series, filter[, normalize[, center]]): y[i] = sum of filter[j] * x[i - j]
/// (values before the start count as 0); `center` moves the window to be centred on i;
/// `normalize` (true unless a coefficient is negative) divides by the coefficients' sum.
pub fn series_fir(c: &Call) -> FResult {
    let (Some(x), Some(f)) = (series(&c.a[0]), series(&c.a[1])) else { return Ok(Value::Null) };
    let f: Vec<f64> = f.iter().map(|v| v.unwrap_or(0.0)).collect();
    let negative = f.iter().any(|v| *v < 0.0);
    let normalize = match c.a.get(2) {
        Some(Value::Bool(b)) => *b,
        _ => !negative,
    };
    if normalize && negative {
        return Ok(Value::Null);
    }
    let center = matches!(c.a.get(3), Some(Value::Bool(true)));
    let scale = if normalize { f.iter().sum::<f64>() } else { 1.0 };
    let shift = if center { (f.len() / 2) as i64 } else { 0 };
    let x: Vec<f64> = x.iter().map(|v| v.unwrap_or(0.0)).collect();
    let at = |k: i64| if k >= 0 { x.get(k as usize).copied().unwrap_or(0.0) } else { 0.0 };
    let y: Vec<f64> = (0..x.len() as i64).map(|i| f.iter().enumerate().map(|(j, w)| w * at(i + shift - j as i64)).sum::<f64>() / scale).collect();
    Ok(reals(&y))
}

/// series_iir(series, numerators b, denominators a):
/// y[i] = (sum of b[j] * x[i - j] - sum over j > 0 of a[j] * y[i - j]) / a[0].
pub fn series_iir(c: &Call) -> FResult {
    let (Some(x), Some(b), Some(a)) = (series(&c.a[0]), series(&c.a[1]), series(&c.a[2])) else { return Ok(Value::Null) };
    let b: Vec<f64> = b.iter().map(|v| v.unwrap_or(0.0)).collect();
    let a: Vec<f64> = a.iter().map(|v| v.unwrap_or(0.0)).collect();
    let Some(&a0) = a.first().filter(|a0| **a0 != 0.0) else { return Ok(Value::Null) };
    let x: Vec<f64> = x.iter().map(|v| v.unwrap_or(0.0)).collect();
    let mut y: Vec<f64> = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let mut acc = 0.0;
        for (j, bj) in b.iter().enumerate().take(i + 1) {
            acc += bj * x[i - j];
        }
        for (j, aj) in a.iter().enumerate().skip(1).take(i) {
            acc -= aj * y[i - j];
        }
        y.push(acc / a0);
    }
    Ok(reals(&y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile_sorted(&s, 50.0), 3.0);
        assert_eq!(percentile_sorted(&s, 25.0), 2.0);
        assert!((percentile_sorted(&s, 10.0) - 1.4).abs() < 1e-12);
    }

    #[test]
    fn weekly_period_is_found() {
        let x: Vec<Option<f64>> = (0..28).map(|i| Some(if i % 7 == 0 { 10.0 } else { 1.0 })).collect();
        assert_eq!(detect_period(&x, 28, 0.6), Some(7));
        let flat: Vec<Option<f64>> = (0..28).map(|i| Some(if i == 20 { 9.0 } else { 1.0 })).collect();
        assert_eq!(detect_period(&flat, 28, 0.6), None);
    }

    #[test]
    fn a_spike_on_a_flat_series_is_an_anomaly() {
        let x: Vec<Option<f64>> = (0..10).map(|i| Some(if i == 6 { 10.0 } else { 0.0 })).collect();
        let d = decompose(&x, -1, "avg", 0, 0.6).unwrap();
        assert!((d.baseline[0] - 1.0).abs() < 1e-12);
        let known = vec![true; 10];
        let s = outlier_scores(&d.residual, &known, 10, 10.0, 90.0);
        assert!(s[6] > 1.5, "{s:?}");
        assert!(s.iter().enumerate().all(|(i, v)| i == 6 || *v == 0.0), "{s:?}");
    }
}
