//! `summarize`, `count` and `distinct`: hash grouping on per-column key codes, then one
//! vectorised pass per aggregate.
//!
//! Grouping never hashes strings: a dictionary column's codes are its keys. Several key
//! columns are combined pairwise into dense group ids. Groups come out in the order of their
//! first row, which keeps results deterministic.

use super::eval::{eval, eval_key, EResult};

use super::ExecCtx;
use crate::plan::aggregates::AggFn;
use crate::plan::{AggCall, BExpr, Schema};
use crate::table::with_codes;
use crate::table::{Code, Codes, Column, ColumnBuilder, FxHashMap, Prim, Table};
use crate::types::{DataType, Dynamic, Value};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// Per-row codes of one column such that equal values have equal codes (nulls get a code
/// too), and the number of codes (every code is below it). A string column with a unique
/// dictionary lends its own codes, in their width (1, 2 or 4 bytes).
pub fn key_codes_domain(c: &Column) -> (Cow<'_, Codes>, usize) {
    fn by_bits<'a>(len: usize, valid: Option<&Vec<bool>>, get: impl Fn(usize) -> u64) -> (Cow<'a, Codes>, usize) {
        // Equal neighbours are common (time-ordered data, sorted input): remember the last key.
        let mut map: FxHashMap<u64, u32> = FxHashMap::default();
        let mut null_code = u32::MAX;
        let mut next = 0u32;
        let mut last: Option<(u64, u32)> = None;
        let mut codes = Vec::with_capacity(len);
        for i in 0..len {
            if valid.is_some_and(|m| !m[i]) {
                if null_code == u32::MAX {
                    null_code = next;
                    next += 1;
                }
                codes.push(null_code);
                continue;
            }
            let k = get(i);
            let code = match last {
                Some((lk, lc)) if lk == k => lc,
                _ => {
                    let c = *map.entry(k).or_insert_with(|| {
                        next += 1;
                        next - 1
                    });
                    last = Some((k, c));
                    c
                }
            };
            codes.push(code);
        }
        (Cow::Owned(Codes::U32(codes)), next as usize)
    }
    let len = c.len();
    match c {
        Column::String(s) | Column::Guid(s) => {
            if s.dict.is_unique() {
                (Cow::Borrowed(&s.codes), s.dict.len())
            } else {
                let (codes, n) = dedup_codes(s);
                (Cow::Owned(Codes::U32(codes)), n)
            }
        }
        Column::GuidText(g) => {
            let (codes, n) = g.key_codes();
            (Cow::Owned(Codes::U32(codes)), n)
        }
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => by_bits(len, p.valid.as_ref(), |i| p.values[i] as u64),
        Column::Int(p) => by_bits(len, p.valid.as_ref(), |i| p.values[i] as u32 as u64),
        Column::Real(p) => by_bits(len, p.valid.as_ref(), |i| {
            let x = p.values[i];
            let x = if x == 0.0 { 0.0 } else { x };
            if x.is_nan() {
                f64::NAN.to_bits()
            } else {
                x.to_bits()
            }
        }),
        Column::Bool(p) => (Cow::Owned(Codes::U8((0..len).map(|i| p.get(i).map_or(2, |b| b as u8)).collect())), 3),
        Column::Dynamic(d) => {
            let mut map: FxHashMap<String, u32> = FxHashMap::default();
            let codes = d
                .iter()
                .map(|x| {
                    let n = map.len() as u32;
                    *map.entry(x.to_json()).or_insert(n)
                })
                .collect();
            let n = map.len();
            (Cow::Owned(Codes::U32(codes)), n)
        }
    }
}

/// Codes of a string column whose dictionary may repeat entries: equal strings get equal
/// codes. Only the entries the rows use are looked at, and strings are borrowed, not copied.
fn dedup_codes(s: &crate::table::StrColumn) -> (Vec<u32>, usize) {
    let mut remap = vec![u32::MAX; s.dict.len()];
    let mut map: FxHashMap<&str, u32> = FxHashMap::default();
    let codes = with_codes!(&s.codes, |c| c
        .iter()
        .map(|&c| {
            let r = &mut remap[c as usize];
            if *r == u32::MAX {
                let n = map.len() as u32;
                *r = *map.entry(s.dict.get(c.code())).or_insert(n);
            }
            *r
        })
        .collect());
    let n = map.len();
    (codes, n)
}

/// Remembers which (group, value code) pairs were seen: a bitmap when groups × codes is
/// small enough, else a hash set.
struct PairSet {
    domain: u64,
    bits: Vec<u64>,
    set: FxHashMap<u64, ()>,
}

impl PairSet {
    const MAX_BITS: u64 = 1 << 26;

    fn new(ngroups: usize, domain: usize) -> PairSet {
        let cells = (ngroups as u64).saturating_mul(domain as u64);
        let bits = if cells <= Self::MAX_BITS { vec![0u64; cells.div_ceil(64) as usize] } else { Vec::new() };
        PairSet { domain: domain as u64, bits, set: FxHashMap::default() }
    }

    /// True if the pair is new.
    #[inline]
    fn insert(&mut self, group: u32, code: u32) -> bool {
        let k = group as u64 * self.domain + code as u64;
        if self.bits.is_empty() {
            self.set.insert(k, ()).is_none()
        } else {
            let (w, b) = ((k / 64) as usize, 1u64 << (k % 64));
            let new = self.bits[w] & b == 0;
            self.bits[w] |= b;
            new
        }
    }
}

/// Distinct (group, code) pairs counted per group through the bitmap of a [`PairSet`]: the
/// loop of `dcount` when every row counts and none is null.
#[allow(clippy::needless_range_loop)]
fn dcount_dense<C: Code>(gid: &[u32], codes: &[C], domain: u64, bits: &mut [u64], n: &mut [i64]) {
    for i in 0..gid.len() {
        let g = gid[i];
        let k = g as u64 * domain + codes[i].ix() as u64;
        let (w, b) = ((k >> 6) as usize, 1u64 << (k & 63));
        let word = bits[w];
        bits[w] = word | b;
        n[g as usize] += i64::from(word & b == 0);
    }
}

/// Rows per group: an indexed loop over slices (an iterator's closure, or `Vec`'s `Index`,
/// stays a call per row in the size-optimised web build).
#[allow(clippy::needless_range_loop)]
fn count_groups(gid: &[u32], n: &mut [i64]) {
    for i in 0..gid.len() {
        n[gid[i] as usize] += 1;
    }
}

/// Largest (groups so far × codes of the next key) combined through a direct table.
const DENSE_GROUPS: u64 = 1 << 22;

/// Dense group ids (first-appearance order) and the first row of each group.
pub fn group_ids(cols: &[Arc<Column>], len: usize) -> (Vec<u32>, Vec<u32>) {
    group_ids_of(cols.iter().map(|c| key_codes_domain(c)).collect(), len)
}

/// [`group_ids`] from each key's codes and their number (see [`key_codes_domain`]).
fn group_ids_of(keys: Vec<(Cow<'_, Codes>, usize)>, len: usize) -> (Vec<u32>, Vec<u32>) {
    if keys.is_empty() {
        return (vec![0; len], vec![0]);
    }
    // Slices, not `Vec`s, in the row loops (see `select::pick`).
    let mut gid_vec = vec![0u32; len];
    let gid = gid_vec.as_mut_slice();
    let mut first: Vec<u32> = Vec::new();
    {
        let (codes, domain) = &keys[0];
        let mut remap_vec = vec![u32::MAX; *domain];
        let remap = remap_vec.as_mut_slice();
        with_codes!(&**codes, |codes| {
            for (i, &c) in codes.iter().enumerate() {
                let slot = &mut remap[c as usize];
                if *slot == u32::MAX {
                    *slot = first.len() as u32;
                    first.push(i as u32);
                }
                gid[i] = *slot;
            }
        });
    }
    for (codes, domain) in &keys[1..] {
        first = with_codes!(&**codes, |codes| next_key(codes, *domain, gid, &first));
    }
    (gid_vec, first)
}

/// Combines the group ids so far with one more key's codes: the new groups' first rows.
fn next_key<C: Code>(codes: &[C], domain: usize, gid: &mut [u32], first: &[u32]) -> Vec<u32> {
    let len = gid.len();
    {
        let mut new_first = Vec::new();
        let cells = (first.len() as u64).saturating_mul(domain as u64);
        if cells <= DENSE_GROUPS {
            // Few combinations: a direct table instead of hashing.
            let mut remap_vec = vec![u32::MAX; cells as usize];
            let remap = remap_vec.as_mut_slice();
            for i in 0..len {
                let slot = &mut remap[gid[i] as usize * domain + codes[i].ix()];
                if *slot == u32::MAX {
                    *slot = new_first.len() as u32;
                    new_first.push(i as u32);
                }
                gid[i] = *slot;
            }
        } else {
            let mut map: FxHashMap<u64, u32> = FxHashMap::default();
            for i in 0..len {
                let k = (gid[i] as u64) << 32 | codes[i].ix() as u64;
                let g = match map.entry(k) {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        let g = new_first.len() as u32;
                        new_first.push(i as u32);
                        e.insert(g);
                        g
                    }
                };
                gid[i] = g;
            }
        }
        new_first
    }
}

pub fn aggregate(t: &Table, keys: &[BExpr], aggs: &[AggCall], schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let len = t.len();
    if let Some(r) = aggregate_dense_bins(t, None, keys, aggs, schema, cx)? {
        return Ok(r);
    }
    let key_cols: Vec<Arc<Column>> = keys.iter().map(|k| eval_key(k, t, cx).map(|v| v.into_column(k.ty, len))).collect::<EResult<_>>()?;
    let (gid, first) = group_ids(&key_cols, len);
    let ngroups = if keys.is_empty() { 1 } else { first.len() };
    let mut columns: Vec<Arc<Column>> = key_cols.iter().map(|c| Arc::new(c.take(&first))).collect();
    for a in aggs {
        let args = agg_args(a, t, cx)?;
        for c in compute(a, &args, &gid, ngroups, len) {
            columns.push(Arc::new(c));
        }
    }
    Ok(Table::with_len(schema.as_ref().clone(), columns, ngroups))
}

/// An aggregate's arguments as columns. The value argument of the aggregates that only
/// compare values for equality (`dcount` and its kin, `count(x)`) keeps its stored form (see
/// [`eval_key`]): a GUID column stored as numbers is counted without its text.
fn agg_args(a: &AggCall, t: &Table, cx: &ExecCtx) -> EResult<Vec<Arc<Column>>> {
    let by_value = matches!(a.func, AggFn::DCount | AggFn::DCountIf | AggFn::CountDistinct | AggFn::Count);
    let len = t.len();
    a.args.iter().enumerate().map(|(i, e)| if i == 0 && by_value { eval_key(e, t, cx) } else { eval(e, t, cx) }.map(|v| v.into_column(e.ty, len))).collect()
}

fn pred_at(c: Option<&Arc<Column>>, i: usize) -> bool {
    match c.map(|c| &**c) {
        Some(Column::Bool(p)) => p.get(i) == Some(true),
        Some(other) => matches!(other.value(i), Value::Bool(true) | Value::Dynamic(Dynamic::Bool(true))),
        None => true,
    }
}

/// Rows that count for an aggregate: all rows, or those whose predicate is true.
fn selected(pred: Option<&Arc<Column>>, len: usize) -> Sel {
    match pred {
        None => Sel(None),
        Some(p) => Sel(Some((0..len).map(|i| pred_at(Some(p), i)).collect())),
    }
}

/// Which rows an aggregate uses (`None`: all of them).
struct Sel(Option<Vec<bool>>);

impl std::ops::Index<usize> for Sel {
    type Output = bool;
    #[inline]
    fn index(&self, i: usize) -> &bool {
        match &self.0 {
            None => &true,
            Some(v) => &v[i],
        }
    }
}

pub(crate) fn compute(a: &AggCall, args: &[Arc<Column>], gid: &[u32], ngroups: usize, len: usize) -> Vec<Column> {
    use AggFn::*;
    let out_ty = a.out[0];
    let const_arg = |i: usize| -> Option<i64> { a.args.get(i).and_then(|e| e.as_const()).and_then(Value::as_i64) };
    match a.func {
        Count | CountIf => {
            let mut n = vec![0i64; ngroups];
            match (a.func, args.first()) {
                // count(x) counts rows, nulls included, as count() does (the summarize page:
                // "the standard count function includes null values in its count").
                (Count, _) => count_groups(gid, &mut n),
                (_, p) => (0..len).filter(|&i| pred_at(p, i)).for_each(|i| n[gid[i] as usize] += 1),
            }
            vec![Column::Long(Prim::new(n))]
        }
        DCount | DCountIf | CountDistinct => {
            let pred = if a.func == DCountIf { args.get(1) } else { None };
            let sel = selected(pred, len);
            let (codes, domain) = key_codes_domain(&args[0]);
            let nullable = has_nulls(&args[0]);
            let mut seen = PairSet::new(ngroups, domain);
            let mut n = vec![0i64; ngroups];
            if sel.0.is_none() && !nullable && !seen.bits.is_empty() {
                // Every row counts and the pairs fit the bitmap: one branch-free loop over
                // slices. In the size-optimised web build the general loop below stays a call
                // per row (`Sel`'s index, `PairSet::insert`): x3_dcount_by_user ran at 2.65x
                // native (BENCHMARKS.md, "Where the wasm time goes").
                with_codes!(&*codes, |codes| dcount_dense(&gid[..len], &codes[..len], seen.domain, &mut seen.bits, &mut n));
                return vec![Column::Long(Prim::new(n))];
            }
            for i in 0..len {
                if !sel[i] || (nullable && args[0].is_null(i)) {
                    continue;
                }
                if seen.insert(gid[i], codes.get(i)) {
                    n[gid[i] as usize] += 1;
                }
            }
            vec![Column::Long(Prim::new(n))]
        }
        Sum | SumIf => {
            let sel = selected(if a.func == SumIf { args.get(1) } else { None }, len);
            match &*args[0] {
                Column::Real(p) => {
                    let mut s = vec![0f64; ngroups];
                    for i in 0..len {
                        if sel[i] {
                            if let Some(x) = p.get(i) {
                                s[gid[i] as usize] += x;
                            }
                        }
                    }
                    vec![Column::Real(Prim::new(s))]
                }
                Column::Long(p) | Column::TimeSpan(p) => {
                    let mut s = vec![0i64; ngroups];
                    for i in 0..len {
                        if sel[i] {
                            if let Some(x) = p.get(i) {
                                s[gid[i] as usize] = s[gid[i] as usize].wrapping_add(x);
                            }
                        }
                    }
                    vec![if out_ty == DataType::TimeSpan { Column::TimeSpan(Prim::new(s)) } else { Column::Long(Prim::new(s)) }]
                }
                other => {
                    let mut s = vec![0f64; ngroups];
                    for i in 0..len {
                        if sel[i] {
                            if let Some(x) = super::cast::to_f64(&other.value(i)) {
                                s[gid[i] as usize] += x;
                            }
                        }
                    }
                    vec![typed_from_f64(s.into_iter().map(Some).collect(), out_ty)]
                }
            }
        }
        Percentile | Percentiles => {
            let ps: Vec<f64> = a.args[1..].iter().filter_map(crate::plan::aggregates::percentile_value).collect();
            // Dynamic values are bound as reals (non-numbers become nulls).
            let cast;
            let c = if args[0].data_type() == DataType::Dynamic {
                cast = super::cast::cast_column(&args[0], DataType::Real);
                &cast
            } else {
                &*args[0]
            };
            let mut rows: Vec<Vec<u32>> = vec![Vec::new(); ngroups];
            for i in 0..len {
                if !c.is_null(i) && !matches!(c, Column::Real(p) if p.get(i).is_some_and(f64::is_nan)) {
                    rows[gid[i] as usize].push(i as u32);
                }
            }
            let mut picks: Vec<Vec<Option<u32>>> = vec![vec![None; ngroups]; ps.len()];
            for (g, r) in rows.iter_mut().enumerate() {
                if r.is_empty() {
                    continue;
                }
                crate::util::sort::sort_indices(r, &mut |x, y| c.value(x as usize).cmp_sort(&c.value(y as usize)));
                for (k, p) in ps.iter().enumerate() {
                    // Nearest rank: the smallest value with at least p% of the values at or below it.
                    let rank = ((p / 100.0) * r.len() as f64).ceil().max(1.0) as usize;
                    picks[k][g] = Some(r[rank.min(r.len()) - 1]);
                }
            }
            picks.iter().map(|pk| take_opt(c, pk)).collect()
        }
        Avg | AvgIf | Stdev | Variance | StdevIf | VarianceIf => {
            let sel = selected(if matches!(a.func, AvgIf | StdevIf | VarianceIf) { args.get(a.args.len() - 1) } else { None }, len);
            let mut n = vec![0f64; ngroups];
            let mut mean = vec![0f64; ngroups];
            let mut m2 = vec![0f64; ngroups];
            let c = &*args[0];
            for i in 0..len {
                if !sel[i] {
                    continue;
                }
                let x = match c {
                    Column::Real(p) => p.get(i),
                    Column::Long(p) | Column::TimeSpan(p) | Column::DateTime(p) => p.get(i).map(|v| v as f64),
                    other => super::cast::to_f64(&other.value(i)),
                };
                if let Some(x) = x {
                    let g = gid[i] as usize;
                    n[g] += 1.0;
                    let d = x - mean[g];
                    mean[g] += d / n[g];
                    m2[g] += d * (x - mean[g]);
                }
            }
            let vals: Vec<Option<f64>> = (0..ngroups)
                .map(|g| match a.func {
                    Avg | AvgIf => (n[g] > 0.0).then_some(mean[g]),
                    Variance | VarianceIf => Some(if n[g] > 1.0 { m2[g] / (n[g] - 1.0) } else { 0.0 }),
                    _ => Some(if n[g] > 1.0 { (m2[g] / (n[g] - 1.0)).sqrt() } else { 0.0 }),
                })
                .collect();
            vec![typed_from_f64(vals, out_ty)]
        }
        Min | Max | MinIf | MaxIf => {
            let sel = selected(if matches!(a.func, MinIf | MaxIf) { args.get(1) } else { None }, len);
            let want = if matches!(a.func, Min | MinIf) { Ordering::Less } else { Ordering::Greater };
            let best = best_rows(&args[0], gid, ngroups, &sel, want);
            vec![take_opt(&args[0], &best)]
        }
        ArgMax | ArgMin => {
            let want = if a.func == ArgMin { Ordering::Less } else { Ordering::Greater };
            let sel = Sel(None);
            let mut best = best_rows(&args[0], gid, ngroups, &sel, want);
            // A group whose keys are all null still gives one row: Kusto returns the null key
            // with the other columns of the group's first row.
            if best.iter().any(Option::is_none) {
                for (i, &g) in gid.iter().enumerate().take(len) {
                    let slot = &mut best[g as usize];
                    if slot.is_none() {
                        *slot = Some(i as u32);
                    }
                }
            }
            args.iter().map(|c| take_opt(c, &best)).collect()
        }
        TakeAny | TakeAnyIf => {
            let sel = selected(if a.func == TakeAnyIf { args.get(1) } else { None }, len);
            let cols: &[Arc<Column>] = if a.func == TakeAnyIf { &args[..1] } else { args };
            // The first row of each group whose value is not empty (for one column).
            let mut pick: Vec<Option<u32>> = vec![None; ngroups];
            let mut fallback: Vec<Option<u32>> = vec![None; ngroups];
            for i in 0..len {
                if !sel[i] {
                    continue;
                }
                let g = gid[i] as usize;
                if fallback[g].is_none() {
                    fallback[g] = Some(i as u32);
                }
                if pick[g].is_none() && (cols.len() > 1 || !is_empty_cell(&cols[0], i)) {
                    pick[g] = Some(i as u32);
                }
            }
            let rows: Vec<Option<u32>> = pick.iter().zip(&fallback).map(|(p, f)| p.or(*f)).collect();
            cols.iter().map(|c| take_opt(c, &rows)).collect()
        }
        MakeSet | MakeSetIf | MakeList | MakeListIf => {
            let is_set = matches!(a.func, MakeSet | MakeSetIf);
            let has_pred = matches!(a.func, MakeSetIf | MakeListIf);
            let sel = selected(if has_pred { args.get(1) } else { None }, len);
            let max = const_arg(if has_pred { 2 } else { 1 }).filter(|m| *m > 0).map_or(1_048_576, |m| m as usize);
            if let Column::Dynamic(items) = &*args[0] {
                return vec![Column::Dynamic(dynamic_collect(items, &sel, gid, ngroups, max, is_set))];
            }
            // Strings are built once per distinct value and shared by every list holding it
            // (one allocation per value, not per item; allocation is slow in the wasm build).
            let shared = matches!(&*args[0], Column::String(_) | Column::Guid(_) | Column::GuidText(_));
            let (codes, domain) = if is_set || shared { key_codes_domain(&args[0]) } else { (Cow::Owned(Codes::default()), 0) };
            let nullable = has_nulls(&args[0]);
            let mut seen = PairSet::new(if is_set { ngroups } else { 0 }, domain);
            let mut lists: Vec<Vec<Dynamic>> = vec![Vec::new(); ngroups];
            let mut built: Vec<Option<Dynamic>> = if shared { vec![None; domain] } else { Vec::new() };
            for i in 0..len {
                if !sel[i] || (nullable && args[0].is_null(i)) {
                    continue;
                }
                let g = gid[i] as usize;
                if lists[g].len() >= max {
                    continue;
                }
                if is_set && !seen.insert(g as u32, codes.get(i)) {
                    continue;
                }
                let item = if shared {
                    built[codes.get(i) as usize].get_or_insert_with(|| args[0].value(i).to_dynamic()).clone()
                } else {
                    args[0].value(i).to_dynamic()
                };
                lists[g].push(item);
            }
            vec![Column::Dynamic(lists.into_iter().map(Dynamic::array).collect())]
        }
        MakeBag | MakeBagIf => {
            let sel = selected(if a.func == MakeBagIf { args.get(1) } else { None }, len);
            let mut bags: Vec<Vec<(Arc<str>, Dynamic)>> = vec![Vec::new(); ngroups];
            // (group, key) pairs already in a bag: a linear search per key is quadratic.
            let mut keys: std::collections::HashSet<(u32, Arc<str>), crate::table::FxBuildHasher> = Default::default();
            for i in 0..len {
                if !sel[i] {
                    continue;
                }
                if let Value::Dynamic(Dynamic::Object(items)) = args[0].value(i) {
                    let bag = &mut bags[gid[i] as usize];
                    for (k, v) in items.iter() {
                        if keys.insert((gid[i], k.clone())) {
                            bag.push((k.clone(), v.clone()));
                        }
                    }
                }
            }
            vec![Column::Dynamic(bags.into_iter().map(Dynamic::object).collect())]
        }
        Stdevp | StdevpIf | Variancep | VariancepIf | Covariance | CovarianceIf | Covariancep | CovariancepIf | BinaryAllAnd | BinaryAllOr | BinaryAllXor
        | MakeListWithNulls | BuildSchema | PercentilesArray | PercentileW | PercentilesWArray | Hll | HllIf | HllMerge | TDigest | TDigestMerge => {
            tail::compute(a, args, gid, ngroups, len)
        }
    }
}

/// make_set and make_list over a dynamic column: an array contributes its elements, any other
/// value itself; nulls are skipped. The make_set page's "set from array column" example shows
/// it for sets; for lists, the docs' geo examples rely on it (`make_list(pack_array(p))` to
/// collect polygons, `make_list` of H3 rings giving one flat list of cells).
fn dynamic_collect(items: &[Dynamic], sel: &Sel, gid: &[u32], ngroups: usize, max: usize, is_set: bool) -> Vec<Dynamic> {
    let mut seen: std::collections::HashSet<(u32, String), crate::table::FxBuildHasher> = Default::default();
    let mut sets: Vec<Vec<Dynamic>> = vec![Vec::new(); ngroups];
    for (i, d) in items.iter().enumerate() {
        if !sel[i] {
            continue;
        }
        let g = gid[i];
        let mut add = |x: &Dynamic| {
            if !matches!(x, Dynamic::Null) && sets[g as usize].len() < max && (!is_set || seen.insert((g, x.to_json()))) {
                sets[g as usize].push(x.clone());
            }
        };
        match d {
            Dynamic::Array(xs) => xs.iter().for_each(&mut add),
            other => add(other),
        }
    }
    sets.into_iter().map(Dynamic::array).collect()
}

/// Whether any row of `c` can be null (strings never are).
fn has_nulls(c: &Column) -> bool {
    match c {
        Column::Bool(p) => p.valid.is_some(),
        Column::Int(p) => p.valid.is_some(),
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => p.valid.is_some(),
        Column::Real(p) => p.valid.is_some(),
        Column::String(_) | Column::Guid(_) | Column::GuidText(_) => false,
        Column::Dynamic(_) => true,
    }
}

fn is_empty_cell(c: &Column, i: usize) -> bool {
    match c {
        Column::String(s) | Column::Guid(s) => s.get(i).is_empty(),
        Column::GuidText(g) => g.values[i] == 0,
        other => other.is_null(i),
    }
}

fn typed_from_f64(vals: Vec<Option<f64>>, ty: DataType) -> Column {
    let mut b = ColumnBuilder::new(ty, vals.len());
    for v in vals {
        b.push(&match (v, ty) {
            (None, _) => Value::Null,
            (Some(x), DataType::TimeSpan) => Value::TimeSpan(x.round() as i64),
            (Some(x), DataType::DateTime) => Value::DateTime(x.round() as i64),
            (Some(x), DataType::Long) => Value::Long(x as i64),
            (Some(x), _) => Value::Real(x),
        });
    }
    b.finish()
}

/// For each group, the row with the smallest (`Less`) or largest (`Greater`) non-null value;
/// the first such row wins ties.
fn best_rows(c: &Column, gid: &[u32], ngroups: usize, sel: &Sel, want: Ordering) -> Vec<Option<u32>> {
    let mut best: Vec<Option<u32>> = vec![None; ngroups];
    macro_rules! scan {
        ($get:expr, $cmp:expr) => {{
            for i in 0..gid.len() {
                if !sel[i] {
                    continue;
                }
                let Some(x) = $get(i) else { continue };
                let g = gid[i] as usize;
                match best[g] {
                    None => best[g] = Some(i as u32),
                    Some(b) => {
                        let y = $get(b as usize).expect("best row has a value");
                        if $cmp(&x, &y) == want {
                            best[g] = Some(i as u32);
                        }
                    }
                }
            }
        }};
    }
    match c {
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => scan!(|i| p.get(i), |a: &i64, b: &i64| a.cmp(b)),
        Column::Int(p) => scan!(|i| p.get(i), |a: &i32, b: &i32| a.cmp(b)),
        Column::Real(p) => scan!(|i| p.get(i).filter(|x: &f64| !x.is_nan()), |a: &f64, b: &f64| a.total_cmp(b)),
        Column::Bool(p) => scan!(|i| p.get(i), |a: &bool, b: &bool| a.cmp(b)),
        Column::String(s) | Column::Guid(s) => scan!(|i| Some(s.get(i)).filter(|x: &&str| !x.is_empty()), |a: &&str, b: &&str| a.cmp(b)),
        // The numbers sort as their texts do; 0 is the empty string.
        Column::GuidText(g) => scan!(|i| Some(g.values[i]).filter(|&x| x != 0), |a: &u128, b: &u128| a.cmp(b)),
        Column::Dynamic(d) => scan!(|i| Some(&d[i]).filter(|x: &&Dynamic| !x.is_null()).map(|x| x.to_json()), |a: &String, b: &String| a.cmp(b)),
    }
    best
}

/// Gathers rows; `None` gives null (empty string for strings).
pub fn take_opt(c: &Column, rows: &[Option<u32>]) -> Column {
    if rows.iter().all(|r| r.is_some()) {
        let idx: Vec<u32> = rows.iter().map(|r| r.unwrap_or(0)).collect();
        return c.take(&idx);
    }
    let mut b = ColumnBuilder::new(c.data_type(), rows.len());
    for r in rows {
        match r {
            Some(i) => b.push(&c.value(*i as usize)),
            None => b.push_null(),
        }
    }
    b.finish()
}

/// A `bin(x, size)` group key computed straight into dense codes: the bin's index in the range
/// of bins the column's values span. Grouping then indexes an array instead of hashing each
/// row's bin, and the binned column is never built (only the groups' keys are).
struct DenseBin {
    /// 4-byte codes ([`Codes::U32`]), one per row.
    codes: Codes,
    /// Bins in the range, plus one code for nulls.
    domain: usize,
    /// The first bin of the range and the bin size.
    low: i64,
    size: i64,
    ty: DataType,
    /// The binned column (datetime, timespan or long) and its binning.
    col: Arc<Column>,
    bin: Binner,
}

/// Most bins a dense bin key may span: beyond this (or beyond a few per row) the range is too
/// sparse for an array and the hashing path is used.
const DENSE_BINS: u64 = 1 << 22;

impl DenseBin {
    /// The dense codes of `key` if it is `bin()` of a datetime, timespan or long column by a
    /// constant positive size whose values span few enough bins. With `sel`, the codes are
    /// those of the rows `sel` lists (a filter's selection over the unfiltered `t`), read
    /// straight from the column, so the filtered column is never copied; that needs the
    /// binned expression to be a plain column (`None` otherwise: the caller gathers).
    ///
    /// With `counts_only`, the codes are left empty: the caller counts rows per bin with
    /// [`count_bins`] over `col` instead.
    fn of(key: &BExpr, t: &Table, sel: Option<&[u32]>, counts_only: bool, cx: &ExecCtx) -> EResult<Option<DenseBin>> {
        use crate::plan::functions::Func;
        let crate::plan::BKind::Call(Func::Bin, args) = &key.kind else { return Ok(None) };
        let (Some(size), 2) = (args.get(1).and_then(|a| a.as_const()), args.len()) else { return Ok(None) };
        // Datetimes are binned from Kusto's origin (0001-01-01), timespans and longs from zero,
        // as `bin` itself does (exec::scalar).
        let (size, origin) = match (key.ty, size) {
            (DataType::DateTime, Value::TimeSpan(s)) => (*s, crate::types::time::MIN_DATETIME),
            (DataType::TimeSpan, Value::TimeSpan(s)) => (*s, 0),
            (DataType::Long, Value::Long(s)) => (*s, 0),
            (DataType::Long, Value::Int(s)) => (*s as i64, 0),
            _ => return Ok(None),
        };
        if size <= 0 {
            return Ok(None);
        }
        let col = match (sel, args[0].as_column()) {
            (None, _) => eval(&args[0], t, cx)?.into_column(args[0].ty, t.len()),
            (Some(_), Some(i)) => t.columns[i].clone(),
            (Some(_), None) => return Ok(None),
        };
        let p = match (&*col, key.ty) {
            (Column::DateTime(p), DataType::DateTime) | (Column::TimeSpan(p), DataType::TimeSpan) | (Column::Long(p), DataType::Long) => p,
            _ => return Ok(None),
        };
        let (values, valid) = (&p.values[..], p.valid.as_deref());
        let rows = sel.map_or(values.len(), <[u32]>::len);
        let (lo, hi) = value_range(values, valid, sel);
        let low = if lo > hi { 0 } else { (origin as i128 + (lo as i128 - origin as i128).div_euclid(size as i128) * size as i128) as i64 };
        let bins = if lo > hi { 0 } else { ((hi as i128 - low as i128) / size as i128 + 1) as u64 };
        if bins > DENSE_BINS || bins > (rows as u64).saturating_mul(4).max(4096) {
            return Ok(None);
        }
        let bin = Binner::new(low, size);
        let codes = if counts_only {
            // Filled by `count_bins` instead (see `aggregate_dense_bins`).
            Codes::U32(Vec::new())
        } else {
            Codes::U32(bin_codes(values, valid, sel, bin, bins as u32))
        };
        let col = col.clone();
        Ok(Some(DenseBin { codes, domain: bins as usize + 1, low, size, ty: key.ty, col, bin }))
    }

    /// The key column of groups whose bin codes are `codes`.
    fn keys(&self, codes: impl Iterator<Item = u32>) -> Column {
        let null_code = (self.domain - 1) as u32;
        let vals = codes.map(|c| (c != null_code).then(|| self.low + c as i64 * self.size));
        let p = Prim::from_options(vals);
        match self.ty {
            DataType::DateTime => Column::DateTime(p),
            DataType::TimeSpan => Column::TimeSpan(p),
            _ => Column::Long(p),
        }
    }

    /// Turns the codes into group ids in place (groups in the order of their first row, as
    /// [`group_ids_of`] numbers them): the only key needs no second per-row array. Returns
    /// the first row of each group and each group's bin code.
    #[allow(clippy::needless_range_loop)]
    fn codes_to_groups(&mut self) -> (Vec<u32>, Vec<u32>) {
        let mut remap_vec = vec![u32::MAX; self.domain];
        let remap = remap_vec.as_mut_slice();
        let Codes::U32(codes) = &mut self.codes else { unreachable!("a dense bin's codes are 4 bytes wide") };
        let codes = codes.as_mut_slice();
        let (mut first, mut group_codes) = (Vec::new(), Vec::new());
        for i in 0..codes.len() {
            let c = codes[i];
            let slot = &mut remap[c as usize];
            if *slot == u32::MAX {
                *slot = first.len() as u32;
                first.push(i as u32);
                group_codes.push(c);
            }
            codes[i] = *slot;
        }
        (first, group_codes)
    }
}

/// The row a position of a selection stands for (`None`: every row, in order).
#[inline(always)]
fn row_at(sel: Option<&[u32]>, k: usize) -> usize {
    match sel {
        None => k,
        Some(s) => s[k] as usize,
    }
}

/// Smallest and largest non-null value of the selected rows (`(i64::MAX, i64::MIN)` if none).
fn value_range(values: &[i64], valid: Option<&[bool]>, sel: Option<&[u32]>) -> (i64, i64) {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let rows = sel.map_or(values.len(), <[u32]>::len);
    match valid {
        None => {
            for k in 0..rows {
                let x = values[row_at(sel, k)];
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        Some(v) => {
            for k in 0..rows {
                let i = row_at(sel, k);
                if v[i] {
                    lo = lo.min(values[i]);
                    hi = hi.max(values[i]);
                }
            }
        }
    }
    (lo, hi)
}

/// A value's bin index from `low`. The division by the bin size goes through its reciprocal:
/// the estimate is off by at most one (the quotient is below 2^22, far inside f64's
/// precision), which the two tests fix.
#[derive(Clone, Copy)]
struct Binner {
    low: i64,
    size: u64,
    inv: f64,
}

impl Binner {
    fn new(low: i64, size: i64) -> Binner {
        Binner { low, size: size as u64, inv: 1.0 / size as f64 }
    }

    #[inline(always)]
    fn code(self, x: i64) -> u32 {
        let d = x.wrapping_sub(self.low) as u64;
        let mut q = (d as f64 * self.inv) as u64;
        if q.saturating_mul(self.size) > d {
            q -= 1;
        } else if (q + 1).saturating_mul(self.size) <= d {
            q += 1;
        }
        q as u32
    }
}

/// Each selected row's bin index from `low` (`null_code` for nulls).
#[allow(clippy::needless_range_loop)]
fn bin_codes(values: &[i64], valid: Option<&[bool]>, sel: Option<&[u32]>, bin: Binner, null_code: u32) -> Vec<u32> {
    let rows = sel.map_or(values.len(), <[u32]>::len);
    let mut codes = vec![0u32; rows];
    let out = codes.as_mut_slice();
    match valid {
        None => {
            for k in 0..rows {
                out[k] = bin.code(values[row_at(sel, k)]);
            }
        }
        Some(v) => {
            for k in 0..rows {
                let i = row_at(sel, k);
                out[k] = if v[i] { bin.code(values[i]) } else { null_code };
            }
        }
    }
    codes
}

/// The bin of the selection's `k`th row.
#[inline(always)]
fn row_bin(values: &[i64], valid: Option<&[bool]>, sel: Option<&[u32]>, bin: Binner, null_code: u32, k: usize) -> usize {
    let i = row_at(sel, k);
    match valid {
        Some(v) if !v[i] => null_code as usize,
        _ => bin.code(values[i]) as usize,
    }
}

/// Rows per bin (`null_code` counting the nulls) and each bin's first position in the
/// selection (`u32::MAX` for none): `count()` by one dense bin needs no per-row array.
fn count_bins(values: &[i64], valid: Option<&[bool]>, sel: Option<&[u32]>, bin: Binner, null_code: u32) -> (Vec<i64>, Vec<u32>) {
    let rows = sel.map_or(values.len(), <[u32]>::len);
    let domain = null_code as usize + 1;
    let (mut count_vec, mut first_vec) = (vec![0i64; domain], vec![u32::MAX; domain]);
    let (count, first) = (count_vec.as_mut_slice(), first_vec.as_mut_slice());
    // Neighbouring rows usually share a bin (time-ordered data): count a run of equal bins
    // in a register and add it when the bin changes, rather than one add through memory
    // per row (each waiting for the previous one to the same counter).
    let (mut cur, mut run) = (0usize, 0i64);
    for k in 0..rows {
        let c = row_bin(values, valid, sel, bin, null_code, k);
        if c != cur {
            count[cur] += run;
            cur = c;
            run = 0;
            first[c] = first[c].min(k as u32);
        }
        run += 1;
    }
    count[cur] += run;
    if rows > 0 {
        // The first row's bin, if it was bin 0, never saw a change.
        first[row_bin(values, valid, sel, bin, null_code, 0)] = 0;
    }
    (count_vec, first_vec)
}

/// `summarize … by bin(x, size)` (with or without other keys) when a key is a [`DenseBin`]:
/// the same result as the general path, groups in the order of their first row.
///
/// `sel` is a filter's selection over the unfiltered `t` (see [`aggregate_selected`]): only
/// the columns the other keys and the aggregates read are gathered.
fn aggregate_dense_bins(t: &Table, sel: Option<&[u32]>, keys: &[BExpr], aggs: &[AggCall], schema: &Schema, cx: &ExecCtx) -> EResult<Option<Table>> {
    // `count()` by one bin: rows counted per bin straight from the column.
    let counts_only = keys.len() == 1 && aggs.iter().all(|a| a.func == AggFn::Count && a.args.is_empty());
    let mut bins: Vec<Option<DenseBin>> = Vec::with_capacity(keys.len());
    for k in keys {
        bins.push(DenseBin::of(k, t, sel, counts_only, cx)?);
    }
    if bins.iter().all(Option::is_none) {
        return Ok(None);
    }
    if let (true, [Some(b)]) = (counts_only, &bins[..]) {
        let (Column::DateTime(p) | Column::TimeSpan(p) | Column::Long(p)) = &*b.col else { unreachable!("a dense bin is of an integer column") };
        let null_code = (b.domain - 1) as u32;
        let (count, first) = count_bins(&p.values, p.valid.as_deref(), sel, b.bin, null_code);
        // Groups in the order of their first row, as the general path numbers them.
        let mut used: Vec<u32> = (0..b.domain as u32).filter(|&c| first[c as usize] != u32::MAX).collect();
        crate::util::sort::sort_by_key(&mut used, |&c| first[c as usize]);
        #[cfg(test)]
        tests::DENSE_RUNS.with(|n| n.set(n.get() + 1));
        let mut columns = vec![Arc::new(b.keys(used.iter().copied()))];
        for _ in aggs {
            columns.push(Arc::new(Column::Long(Prim::new(used.iter().map(|&c| count[c as usize]).collect()))));
        }
        return Ok(Some(Table::with_len(schema.as_ref().clone(), columns, used.len())));
    }
    // The rows the other keys and the aggregates see.
    let gathered;
    let t = match sel {
        None => t,
        Some(rows) => {
            let mut need = vec![false; t.columns.len()];
            for (k, b) in keys.iter().zip(&bins) {
                if b.is_none() {
                    super::select::expr_columns(k, &mut need);
                }
            }
            aggs.iter().flat_map(|a| &a.args).for_each(|e| super::select::expr_columns(e, &mut need));
            gathered = super::select::take_columns(t, rows, &need);
            &gathered
        }
    };
    let len = t.len();
    #[cfg(test)]
    tests::DENSE_RUNS.with(|n| n.set(n.get() + 1));
    let mut columns: Vec<Arc<Column>>;
    let (gid, ngroups) = if let [Some(b)] = &mut bins[..] {
        // One key: its codes become the group ids.
        let (first, group_codes) = b.codes_to_groups();
        columns = vec![Arc::new(b.keys(group_codes.into_iter()))];
        let Codes::U32(gid) = std::mem::take(&mut b.codes) else { unreachable!("a dense bin's codes are 4 bytes wide") };
        (gid, first.len())
    } else {
        let mut key_cols: Vec<Option<Arc<Column>>> = Vec::with_capacity(keys.len());
        for (k, b) in keys.iter().zip(&bins) {
            key_cols.push(if b.is_some() { None } else { Some(eval_key(k, t, cx)?.into_column(k.ty, len)) });
        }
        let codes: Vec<(Cow<'_, Codes>, usize)> = bins
            .iter()
            .zip(&key_cols)
            .map(|(b, c)| match (b, c) {
                (Some(b), _) => (Cow::Borrowed(&b.codes), b.domain),
                (None, Some(c)) => key_codes_domain(c),
                (None, None) => unreachable!("a key is either a dense bin or evaluated"),
            })
            .collect();
        let (gid, first) = group_ids_of(codes, len);
        columns = bins
            .iter()
            .zip(&key_cols)
            .map(|(b, c)| match (b, c) {
                (Some(b), _) => Arc::new(b.keys(first.iter().map(|&r| b.codes.get(r as usize)))),
                (None, Some(c)) => Arc::new(c.take(&first)),
                (None, None) => unreachable!("a key is either a dense bin or evaluated"),
            })
            .collect();
        (gid, first.len())
    };
    for a in aggs {
        let args = agg_args(a, t, cx)?;
        for c in compute(a, &args, &gid, ngroups, len) {
            columns.push(Arc::new(c));
        }
    }
    Ok(Some(Table::with_len(schema.as_ref().clone(), columns, ngroups)))
}

/// `summarize` over a filter's output given as the unfiltered `t` and the selected rows:
/// [`aggregate_dense_bins`] reads a binned column through the selection; every other
/// summary gathers the columns it reads and runs [`aggregate`].
pub fn aggregate_selected(t: &Table, sel: &[u32], need: &[bool], keys: &[BExpr], aggs: &[AggCall], schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    if let Some(r) = aggregate_dense_bins(t, Some(sel), keys, aggs, schema, cx)? {
        return Ok(r);
    }
    aggregate(&super::select::take_columns(t, sel, need), keys, aggs, schema, cx)
}

#[cfg(test)]
mod tests {
    use crate::engine::{self, RunOptions};
    use crate::table::{Catalog, Column, Field, Prim, Table, TableDoc};
    use crate::types::DataType;
    use std::cell::Cell;
    use std::sync::Arc;

    thread_local! {
        /// Summaries answered by [`super::aggregate_dense_bins`] on this thread.
        pub static DENSE_RUNS: Cell<usize> = const { Cell::new(0) };
    }

    /// Runs `q` and says whether the dense-bin path answered it.
    fn dense(q: &str, cat: &Catalog) -> (bool, usize) {
        let before = DENSE_RUNS.with(Cell::get);
        let r = engine::run(q, cat, &RunOptions::default()).unwrap_or_else(|e| panic!("{q}: {e:?}"));
        (DENSE_RUNS.with(Cell::get) > before, r.table.len())
    }

    #[test]
    fn bins_over_random_order_sub_second_times_take_the_dense_path_and_wide_ranges_do_not() {
        // Times in scrambled order, each a distinct number of 100 ns ticks, over three days.
        let n = 5000i64;
        let day = 864_000_000_000i64;
        let times: Vec<i64> = (0..n).map(|i| 639_000_000_000_000_000 + (i * 7919 % n) * (3 * day / n) + i % 10).collect();
        let longs: Vec<i64> = (0..n).map(|i| (i * 7919 % n) * 1_000_000_007).collect();
        let t = Table::new(
            vec![Field::new("T", DataType::DateTime), Field::new("L", DataType::Long)],
            vec![Arc::new(Column::DateTime(Prim::new(times))), Arc::new(Column::Long(Prim::new(longs)))],
        );
        let mut cat = Catalog::new();
        cat.insert("X", t, TableDoc::default());
        assert_eq!(dense("X | summarize count() by bin(T, 1h)", &cat), (true, 72));
        assert_eq!(dense("X | summarize count() by L, bin(T, 1d)", &cat), (true, 5000));
        // A plain column key, and bins too many for their rows (one per row over a range of
        // 5e12 values), use the general path.
        assert!(!dense("X | extend b = bin(T, 1h) | summarize count() by b", &cat).0);
        assert_eq!(dense("X | summarize count() by bin(L, 1)", &cat), (false, 5000));
    }
}

/// The aggregates added in session 5 (population spreads, covariances, bitwise folds,
/// make_list_with_nulls and buildschema), kept apart from the fast paths above.
mod tail {
    use super::{selected, typed_from_f64, AggFn, Column, Prim};
    use crate::exec::cast::{to_f64, to_i64};
    use crate::plan::AggCall;
    use crate::types::{Dynamic, Value};
    use std::sync::Arc;

    pub(super) fn compute(a: &AggCall, args: &[Arc<Column>], gid: &[u32], ngroups: usize, len: usize) -> Vec<Column> {
        use AggFn::*;
        let pred = match a.func {
            StdevpIf | VariancepIf => args.get(1),
            CovarianceIf | CovariancepIf => args.get(2),
            _ => None,
        };
        let sel = selected(pred, len);
        match a.func {
            Stdevp | StdevpIf | Variancep | VariancepIf => {
                // Welford's running mean and sum of squared deviations, divided by n.
                let (mut n, mut mean, mut m2) = (vec![0f64; ngroups], vec![0f64; ngroups], vec![0f64; ngroups]);
                for i in (0..len).filter(|&i| sel[i]) {
                    let Some(x) = to_f64(&args[0].value(i)) else { continue };
                    let g = gid[i] as usize;
                    n[g] += 1.0;
                    let d = x - mean[g];
                    mean[g] += d / n[g];
                    m2[g] += d * (x - mean[g]);
                }
                let sqrt = matches!(a.func, Stdevp | StdevpIf);
                let vals = (0..ngroups).map(|g| Some(if n[g] > 0.0 { m2[g] / n[g] } else { 0.0 })).map(|v| v.map(|v| if sqrt { v.sqrt() } else { v }));
                vec![typed_from_f64(vals.collect(), a.out[0])]
            }
            Covariance | CovarianceIf | Covariancep | CovariancepIf => {
                // Running means and co-moment over the rows where both values are numbers.
                let (mut n, mut mx, mut my, mut c) = (vec![0f64; ngroups], vec![0f64; ngroups], vec![0f64; ngroups], vec![0f64; ngroups]);
                for i in (0..len).filter(|&i| sel[i]) {
                    let (Some(x), Some(y)) = (to_f64(&args[0].value(i)), to_f64(&args[1].value(i))) else { continue };
                    let g = gid[i] as usize;
                    n[g] += 1.0;
                    let dx = x - mx[g];
                    mx[g] += dx / n[g];
                    my[g] += (y - my[g]) / n[g];
                    c[g] += dx * (y - my[g]);
                }
                let sample = matches!(a.func, Covariance | CovarianceIf);
                let vals = (0..ngroups).map(|g| {
                    let d = if sample { n[g] - 1.0 } else { n[g] };
                    Some(if d > 0.0 { c[g] / d } else { 0.0 })
                });
                vec![typed_from_f64(vals.collect(), a.out[0])]
            }
            BinaryAllAnd | BinaryAllOr | BinaryAllXor => {
                let mut acc: Vec<Option<i64>> = vec![None; ngroups];
                for i in 0..len {
                    let Some(x) = to_i64(&args[0].value(i)) else { continue };
                    let slot = &mut acc[gid[i] as usize];
                    *slot = Some(match (*slot, a.func) {
                        (None, _) => x,
                        (Some(v), BinaryAllAnd) => v & x,
                        (Some(v), BinaryAllOr) => v | x,
                        (Some(v), _) => v ^ x,
                    });
                }
                vec![Column::Long(Prim::from_options(acc))]
            }
            PercentilesArray | PercentileW | PercentilesWArray => percentiles(a, args, gid, ngroups, len),
            Hll | HllIf | HllMerge => {
                // The exact set of distinct values (kqlab's stand-in for Kusto's HyperLogLog
                // sketch), as a dynamic array; merging unions the arrays.
                let sel = selected(if a.func == HllIf { args.get(1) } else { None }, len);
                let mut seen: std::collections::HashSet<(u32, String), crate::table::FxBuildHasher> = Default::default();
                let mut sets: Vec<Vec<Dynamic>> = vec![Vec::new(); ngroups];
                for i in (0..len).filter(|&i| sel[i]) {
                    let items: Vec<Dynamic> = match (a.func, args[0].value(i)) {
                        (HllMerge, Value::Dynamic(Dynamic::Array(xs))) => xs.to_vec(),
                        (HllMerge, _) | (_, Value::Null) => continue,
                        (_, v) => vec![v.to_dynamic()],
                    };
                    for d in items {
                        if seen.insert((gid[i], d.to_json())) {
                            sets[gid[i] as usize].push(d);
                        }
                    }
                }
                // A group without a value has no sketch: null (the summarize page's example of
                // aggregates over an empty table shows hll and tdigest as empty cells).
                vec![Column::Dynamic(sets.into_iter().map(|s| if s.is_empty() { Dynamic::Null } else { Dynamic::array(s) }).collect())]
            }
            TDigest | TDigestMerge => {
                // Every value with its weight, as [value, weight] pairs sorted by value (kqlab's
                // stand-in for Kusto's t-digest sketch); merging concatenates and re-sorts.
                let mut pairs: Vec<Vec<(Value, f64)>> = vec![Vec::new(); ngroups];
                for (i, &g) in gid.iter().enumerate().take(len) {
                    let g = g as usize;
                    match (a.func, args[0].value(i)) {
                        (TDigestMerge, Value::Dynamic(d)) => pairs[g].extend(crate::exec::fns::digest_pairs(&d)),
                        (TDigestMerge, _) | (_, Value::Null) => {}
                        (_, v) => {
                            let w = args.get(1).map_or(Some(1.0), |w| to_f64(&w.value(i))).unwrap_or(0.0);
                            if w > 0.0 {
                                pairs[g].push((v, w));
                            }
                        }
                    }
                }
                vec![Column::Dynamic(pairs.into_iter().map(|p| if p.is_empty() { Dynamic::Null } else { crate::exec::fns::digest_value(p) }).collect())]
            }
            MakeListWithNulls => {
                let max = a.args.get(1).and_then(|e| e.as_const()).and_then(Value::as_i64).filter(|m| *m > 0).map_or(1_048_576, |m| m as usize);
                let mut lists: Vec<Vec<Dynamic>> = vec![Vec::new(); ngroups];
                for i in 0..len {
                    let list = &mut lists[gid[i] as usize];
                    if list.len() < max {
                        list.push(args[0].value(i).to_dynamic());
                    }
                }
                vec![Column::Dynamic(lists.into_iter().map(Dynamic::array).collect())]
            }
            _ => {
                let mut schemas: Vec<Option<Shape>> = vec![None; ngroups];
                for i in 0..len {
                    let Value::Dynamic(d) = args[0].value(i) else { continue };
                    let Some(s) = Shape::of(&d) else { continue };
                    let slot = &mut schemas[gid[i] as usize];
                    *slot = Some(match slot.take() {
                        None => s,
                        Some(old) => old.merge(s),
                    });
                }
                vec![Column::Dynamic(schemas.into_iter().map(|s| s.map_or(Dynamic::Null, |s| s.to_dynamic())).collect())]
            }
        }
    }

    /// The percentiles asked for: constant numbers, or one constant dynamic array of them.
    fn wanted(a: &AggCall, from: usize) -> Vec<f64> {
        let mut ps = Vec::new();
        for e in a.args.iter().skip(from) {
            match e.as_const() {
                Some(Value::Dynamic(Dynamic::Array(xs))) => ps.extend(xs.iter().filter_map(|d| to_f64(&Value::Dynamic(d.clone())))),
                Some(v) => ps.extend(to_f64(v)),
                None => {}
            }
        }
        ps.retain(|p| (0.0..=100.0).contains(p));
        ps
    }

    /// Nearest-rank percentiles, each row counted `weight` times (once without a weight):
    /// the smallest value whose cumulative weight reaches p% of the group's total.
    fn percentiles(a: &AggCall, args: &[Arc<Column>], gid: &[u32], ngroups: usize, len: usize) -> Vec<Column> {
        let weighted = matches!(a.func, AggFn::PercentileW | AggFn::PercentilesWArray);
        let ps = wanted(a, if weighted { 2 } else { 1 });
        let mut rows: Vec<Vec<(Value, f64)>> = vec![Vec::new(); ngroups];
        for i in 0..len {
            let v = args[0].value(i);
            if v.is_null() || matches!(v, Value::Real(x) if x.is_nan()) {
                continue;
            }
            let w = if weighted { to_f64(&args[1].value(i)).unwrap_or(0.0) } else { 1.0 };
            if w > 0.0 {
                rows[gid[i] as usize].push((v, w));
            }
        }
        let picks: Vec<Vec<Value>> = rows
            .into_iter()
            .map(|mut r| {
                r.sort_by(|x, y| x.0.cmp_sort(&y.0));
                let total: f64 = r.iter().map(|(_, w)| w).sum();
                ps.iter()
                    .map(|p| {
                        let rank = (p / 100.0 * total).ceil().max(1.0);
                        let mut seen = 0.0;
                        r.iter()
                            .find(|(_, w)| {
                                seen += w;
                                seen >= rank
                            })
                            .or(r.last())
                            .map_or(Value::Null, |(v, _)| v.clone())
                    })
                    .collect()
            })
            .collect();
        if a.func == AggFn::PercentileW {
            let mut b = crate::table::ColumnBuilder::new(a.out[0], ngroups);
            for p in &picks {
                b.push(&crate::exec::cast::cast_value(p.first().unwrap_or(&Value::Null), a.out[0]));
            }
            return vec![b.finish()];
        }
        vec![Column::Dynamic(
            picks
                .into_iter()
                .map(
                    |vs| {
                        if vs.iter().all(Value::is_null) && !vs.is_empty() {
                            Dynamic::Null
                        } else {
                            Dynamic::array(vs.iter().map(Value::to_dynamic).collect())
                        }
                    },
                )
                .collect(),
        )]
    }

    /// What buildschema() has seen at one place: the alternatives, in the order first seen.
    /// Scalars are type names; a property bag's keys each have a shape; an array's elements
    /// share one shape (written under the key `` `indexer` ``).
    #[derive(Clone, Default)]
    struct Shape {
        scalars: Vec<&'static str>,
        bag: Option<Vec<(Arc<str>, Shape)>>,
        array: Option<Box<Shape>>,
        /// Where the bag and the array come among the scalars, for the output order.
        order: Vec<Alt>,
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Alt {
        Scalar(usize),
        Bag,
        Array,
    }

    impl Shape {
        fn of(d: &Dynamic) -> Option<Shape> {
            let mut s = Shape::default();
            match d {
                Dynamic::Null => return None,
                Dynamic::Object(items) => {
                    s.bag = Some(items.iter().filter_map(|(k, v)| Some((k.clone(), Shape::of(v)?))).collect());
                    s.order.push(Alt::Bag);
                }
                Dynamic::Array(items) => {
                    s.array = Some(Box::new(items.iter().filter_map(Shape::of).reduce(Shape::merge).unwrap_or_default()));
                    s.order.push(Alt::Array);
                }
                other => {
                    s.scalars.push(match other {
                        Dynamic::Real(_) => "double",
                        Dynamic::Bool(_) => "bool",
                        x => x.type_name(),
                    });
                    s.order.push(Alt::Scalar(0));
                }
            }
            Some(s)
        }

        fn merge(mut self, other: Shape) -> Shape {
            for alt in other.order {
                match alt {
                    Alt::Scalar(k) => {
                        let name = other.scalars[k];
                        if !self.scalars.contains(&name) {
                            self.scalars.push(name);
                            self.order.push(Alt::Scalar(self.scalars.len() - 1));
                        }
                    }
                    Alt::Bag => {
                        let theirs = other.bag.clone().unwrap_or_default();
                        match &mut self.bag {
                            None => {
                                self.bag = Some(theirs);
                                self.order.push(Alt::Bag);
                            }
                            Some(mine) => {
                                for (k, v) in theirs {
                                    match mine.iter_mut().find(|(m, _)| *m == k) {
                                        Some((_, s)) => *s = std::mem::take(s).merge(v),
                                        None => mine.push((k, v)),
                                    }
                                }
                            }
                        }
                    }
                    Alt::Array => {
                        let theirs = *other.array.clone().unwrap_or_default();
                        match self.array.take() {
                            None => {
                                self.array = Some(Box::new(theirs));
                                self.order.push(Alt::Array);
                            }
                            Some(mine) => self.array = Some(Box::new(mine.merge(theirs))),
                        }
                    }
                }
            }
            self
        }

        fn to_dynamic(&self) -> Dynamic {
            let alts: Vec<Dynamic> = self
                .order
                .iter()
                .map(|alt| match alt {
                    Alt::Scalar(k) => Dynamic::String(Arc::from(self.scalars[*k])),
                    Alt::Bag => Dynamic::object(self.bag.iter().flatten().map(|(k, v)| (k.clone(), v.to_dynamic())).collect()),
                    Alt::Array => Dynamic::object(vec![(Arc::from("`indexer`"), self.array.as_ref().map_or(Dynamic::Null, |a| a.to_dynamic()))]),
                })
                .collect();
            match alts.len() {
                0 => Dynamic::Null,
                1 => alts.into_iter().next().unwrap_or_default(),
                _ => Dynamic::array(alts),
            }
        }
    }
}
