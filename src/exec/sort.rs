//! `sort` and `top`: compute a permutation of row indices with a comparator over the key
//! columns, then `take`. String keys compare by a rank computed once per dictionary entry.
//! Sorting is stable (ties keep their input order). Keys with an integer encoding (all but
//! dynamic values) sort by radix passes and a one-key `top` uses a heap or a partial
//! selection; the rest goes through the shared comparison sort of `util::sort`.

use super::eval::{eval, EResult};
use super::val::Val;
use super::ExecCtx;
use crate::plan::SortSpec;
use crate::table::{Column, Table};
use std::cmp::Ordering;

enum Key {
    I64(Vec<i64>, Option<Vec<bool>>),
    I32(Vec<i32>, Option<Vec<bool>>),
    F64(Vec<f64>, Option<Vec<bool>>),
    Bool(Vec<bool>, Option<Vec<bool>>),
    /// Rank of each row's string.
    Rank(Vec<u32>),
    Text(Vec<Option<String>>),
}

struct SortKey {
    key: Key,
    desc: bool,
    nulls_first: bool,
}

fn valid(m: &Option<Vec<bool>>, i: usize) -> bool {
    m.as_ref().is_none_or(|v| v[i])
}

impl SortKey {
    #[inline]
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        let (va, vb, o) = match &self.key {
            Key::I64(v, m) => (valid(m, a), valid(m, b), v[a].cmp(&v[b])),
            Key::I32(v, m) => (valid(m, a), valid(m, b), v[a].cmp(&v[b])),
            Key::F64(v, m) => (valid(m, a) && !v[a].is_nan(), valid(m, b) && !v[b].is_nan(), v[a].total_cmp(&v[b])),
            Key::Bool(v, m) => (valid(m, a), valid(m, b), v[a].cmp(&v[b])),
            Key::Rank(r) => (true, true, r[a].cmp(&r[b])),
            Key::Text(t) => (t[a].is_some(), t[b].is_some(), t[a].cmp(&t[b])),
        };
        match (va, vb) {
            (true, true) => {
                if self.desc {
                    o.reverse()
                } else {
                    o
                }
            }
            (false, false) => Ordering::Equal,
            (false, true) => {
                if self.nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (true, false) => {
                if self.nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
        }
    }
}

fn build_key(c: &Column) -> Key {
    match c {
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => Key::I64(p.values.clone(), p.valid.clone()),
        Column::Int(p) => Key::I32(p.values.clone(), p.valid.clone()),
        Column::Real(p) => Key::F64(p.values.clone(), p.valid.clone()),
        Column::Bool(p) => Key::Bool(p.values.clone(), p.valid.clone()),
        Column::String(s) | Column::Guid(s) => {
            // Rank the dictionary once; rows compare ranks.
            let rank = s.dict.ranks();
            Key::Rank(crate::table::with_codes!(&s.codes, |c| c.iter().map(|&c| rank[c as usize]).collect()))
        }
        Column::GuidText(g) => Key::Rank(g.ranks()),
        Column::Dynamic(d) => Key::Text(d.iter().map(|x| if x.is_null() { None } else { Some(x.to_json()) }).collect()),
    }
}

impl SortKey {
    /// The key as unsigned integers whose ascending order is the requested order: lets
    /// sorting use radix passes and top-N use plain integer comparisons. Nulls (and NaN,
    /// which sorts as null) all get one integer below or above every value: 32-bit keys
    /// leave room for it; for 64-bit keys it is 0 or `u64::MAX`, and a value that encodes
    /// to it too makes this `None` (as for dynamic keys), leaving the comparison sort.
    fn radix(&self) -> Option<Vec<u64>> {
        let desc = self.desc;
        // 32-bit keys: 1 + the value, so 0 and 2^32 + 1 are free for nulls.
        let narrow = move |k: u32| 1 + if desc { !k } else { k } as u64;
        let wide = move |k: u64| if desc { !k } else { k };
        // Without nulls: one tight loop per type.
        match &self.key {
            Key::I64(v, None) => return Some(v.iter().map(|&x| wide((x as u64) ^ (1 << 63))).collect()),
            Key::I32(v, None) => return Some(v.iter().map(|&x| narrow((x as u32) ^ (1 << 31))).collect()),
            Key::Bool(v, None) => return Some(v.iter().map(|&x| narrow(x as u32)).collect()),
            Key::Rank(r) => return Some(r.iter().map(|&x| narrow(x)).collect()),
            Key::F64(v, None) if !v.iter().any(|x| x.is_nan()) => return Some(v.iter().map(|&x| wide(real_bits(x))).collect()),
            _ => {}
        }
        let (len, valid_mask, is_wide): (usize, &Option<Vec<bool>>, bool) = match &self.key {
            Key::I64(v, m) => (v.len(), m, true),
            Key::F64(v, m) => (v.len(), m, true),
            Key::I32(v, m) => (v.len(), m, false),
            Key::Bool(v, m) => (v.len(), m, false),
            Key::Rank(r) => (r.len(), &None, false),
            Key::Text(_) => return None,
        };
        let null = match (self.nulls_first, is_wide) {
            (true, _) => 0,
            (false, true) => u64::MAX,
            (false, false) => (1 << 32) + 1,
        };
        let value = |i: usize| -> Option<u64> {
            if !valid(valid_mask, i) {
                return None;
            }
            match &self.key {
                Key::I64(v, _) => Some(wide((v[i] as u64) ^ (1 << 63))),
                Key::F64(v, _) => (!v[i].is_nan()).then(|| wide(real_bits(v[i]))),
                Key::I32(v, _) => Some(narrow((v[i] as u32) ^ (1 << 31))),
                Key::Bool(v, _) => Some(narrow(v[i] as u32)),
                Key::Rank(r) => Some(narrow(r[i])),
                Key::Text(_) => None,
            }
        };
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            match value(i) {
                Some(k) if k == null => return None,
                Some(k) => out.push(k),
                None => out.push(null),
            }
        }
        Some(out)
    }
}

/// The IEEE total order (what `total_cmp` uses) as unsigned integers.
fn real_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// Sorts `t` by `keys`; with `top = Some(n)` keeps only the first `n` rows. Only the columns
/// marked in `need` (all when `None`) are gathered; the others are placeholders.
pub fn sort(t: &Table, keys: &[SortSpec], top: Option<usize>, need: Option<&[bool]>, cx: &ExecCtx) -> EResult<Table> {
    let len = t.len();
    let mut sk = Vec::new();
    for k in keys {
        match eval(&k.expr, t, cx)? {
            Val::Scalar(_) => continue,
            Val::Col(c) => {
                sk.push(SortKey { key: build_key(&c), desc: k.desc, nulls_first: k.nulls_first });
            }
        }
    }
    let idx = match top {
        Some(n) if n < len => top_rows(&sk, len, n),
        _ => {
            let idx = sorted_rows(&sk, len);
            if idx.iter().enumerate().all(|(i, &r)| r as usize == i) {
                return Ok(t.clone());
            }
            idx
        }
    };
    Ok(match need {
        None => t.take(&idx),
        Some(n) => super::select::take_columns(t, &idx, n),
    })
}

/// The general comparison: keys in turn, then the row number (so sorting is stable).
fn compare_rows(sk: &[SortKey], a: u32, b: u32) -> Ordering {
    for k in sk {
        let o = k.cmp(a as usize, b as usize);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.cmp(&b)
}

/// The first `n` rows in sort order (`n` < `len`).
fn top_rows(sk: &[SortKey], len: usize, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    if let [k] = sk {
        if let Some(keys) = k.radix() {
            // (key, row) pairs compare exactly like the general comparison.
            if n <= 64 {
                // A small top: keep the n smallest in a max-heap while scanning.
                let mut heap = std::collections::BinaryHeap::with_capacity(n + 1);
                for (i, &x) in keys.iter().enumerate() {
                    if heap.len() < n {
                        heap.push((x, i as u32));
                    } else if let Some(&worst) = heap.peek() {
                        if (x, i as u32) < worst {
                            heap.pop();
                            heap.push((x, i as u32));
                        }
                    }
                }
                return heap.into_sorted_vec().into_iter().map(|(_, i)| i).collect();
            }
            // The n smallest pairs, then the shared comparison sort on them.
            let mut all: Vec<(u64, u32)> = keys.iter().enumerate().map(|(i, &x)| (x, i as u32)).collect();
            all.select_nth_unstable(n - 1);
            all.truncate(n);
            crate::util::sort::sort_by(&mut all, |a, b| a.cmp(b));
            return all.into_iter().map(|(_, i)| i).collect();
        }
    }
    // Keys without an integer encoding (dynamic values): rare, and slow to compare anyway.
    let mut idx = sorted_rows(sk, len);
    idx.truncate(n);
    idx
}

/// All rows in sort order. Keys without nulls sort by stable radix passes (last key first);
/// input already in order, or in reverse order, is recognised in one pass.
fn sorted_rows(sk: &[SortKey], len: usize) -> Vec<u32> {
    let radix: Option<Vec<Vec<u64>>> = sk.iter().map(SortKey::radix).collect();
    let Some(radix) = radix else {
        // The shared comparison sort (see `util::sort`): keys without an integer encoding.
        let mut idx: Vec<u32> = (0..len as u32).collect();
        crate::util::sort::sort_indices(&mut idx, &mut |a, b| compare_rows(sk, a, b));
        return idx;
    };
    if let [keys] = radix.as_slice() {
        if keys.windows(2).all(|w| w[0] <= w[1]) {
            return (0..len as u32).collect();
        }
        if keys.windows(2).all(|w| w[0] >= w[1]) {
            // Reverse, keeping rows with equal keys in their original order.
            let mut idx = Vec::with_capacity(len);
            let mut end = len;
            while end > 0 {
                let mut start = end - 1;
                while start > 0 && keys[start - 1] == keys[end - 1] {
                    start -= 1;
                }
                idx.extend(start as u32..end as u32);
                end = start;
            }
            return idx;
        }
    }
    let mut idx: Vec<u32> = (0..len as u32).collect();
    for keys in radix.iter().rev() {
        idx = radix_pass(&idx, keys);
    }
    idx
}

/// Stable LSD radix sort of the rows `idx` by `keys[row]`, 11 bits at a time, skipping digits
/// that every key shares.
fn radix_pass(idx: &[u32], keys: &[u64]) -> Vec<u32> {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const PASSES: usize = 64usize.div_ceil(BITS as usize);
    let n = idx.len();
    let mut cur: Vec<(u64, u32)> = idx.iter().map(|&i| (keys[i as usize], i)).collect();
    let mut hist = vec![[0u32; BUCKETS]; PASSES];
    for &(k, _) in &cur {
        for (p, h) in hist.iter_mut().enumerate() {
            h[((k >> (p as u32 * BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    let mut next: Vec<(u64, u32)> = vec![(0, 0); n];
    for (p, h) in hist.iter().enumerate() {
        if h.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut pos = [0u32; BUCKETS];
        let mut sum = 0u32;
        for (b, &c) in h.iter().enumerate() {
            pos[b] = sum;
            sum += c;
        }
        let shift = p as u32 * BITS;
        for &(k, i) in &cur {
            let b = ((k >> shift) as usize) & (BUCKETS - 1);
            next[pos[b] as usize] = (k, i);
            pos[b] += 1;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(v: Vec<i64>, desc: bool) -> SortKey {
        SortKey { key: Key::I64(v, None), desc, nulls_first: false }
    }

    /// The reference: a comparison sort with the row number as the last key.
    fn reference(sk: &[SortKey], len: usize) -> Vec<u32> {
        let mut idx: Vec<u32> = (0..len as u32).collect();
        idx.sort_by(|a, b| compare_rows(sk, *a, *b));
        idx
    }

    #[test]
    fn radix_and_shortcuts_agree_with_the_comparison_sort() {
        let mut x: u64 = 7;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let random: Vec<i64> = (0..5000).map(|_| (rnd() % 100) as i64 - 50).collect();
        let wide: Vec<i64> = (0..5000).map(|_| rnd() as i64).collect();
        let ascending: Vec<i64> = (0..5000).map(|i| i / 3).collect();
        let descending: Vec<i64> = (0..5000).map(|i| -(i / 3)).collect();
        for data in [random, wide, ascending, descending] {
            for desc in [false, true] {
                let sk = [key(data.clone(), desc)];
                assert_eq!(sorted_rows(&sk, data.len()), reference(&sk, data.len()));
                for n in [1, 10, 100, 4999] {
                    assert_eq!(top_rows(&sk, data.len(), n), reference(&sk, data.len())[..n].to_vec());
                }
            }
        }
    }

    #[test]
    fn several_keys_and_reals() {
        let a: Vec<i64> = (0..3000).map(|i| (i * 7919) % 13).collect();
        let b: Vec<f64> = (0..3000).map(|i| ((i * 104729) % 101) as f64 - 50.5).collect();
        let sk = [key(a, true), SortKey { key: Key::F64(b, None), desc: false, nulls_first: false }];
        assert_eq!(sorted_rows(&sk, 3000), reference(&sk, 3000));
        assert_eq!(top_rows(&sk, 3000, 20), reference(&sk, 3000)[..20].to_vec());
    }

    #[test]
    fn nulls_and_nan_sort_by_radix_like_the_comparison() {
        let n = 2000usize;
        let mask: Vec<bool> = (0..n).map(|i| i % 7 != 3).collect();
        let longs: Vec<i64> = (0..n as i64).map(|i| (i * 7919) % 37 - 18).collect();
        let extremes: Vec<i64> = (0..n).map(|i| [i64::MIN, 0, i64::MAX][i % 3]).collect();
        let ints: Vec<i32> = (0..n as i32).map(|i| [i32::MIN, -1, 0, 5, i32::MAX][(i % 5) as usize]).collect();
        let reals: Vec<f64> = (0..n).map(|i| [f64::NAN, -0.0, 0.0, 1.5, f64::NEG_INFINITY, f64::INFINITY, -2.0][i % 7]).collect();
        let bools: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
        for desc in [false, true] {
            for nulls_first in [false, true] {
                let keys = [
                    Key::I64(longs.clone(), Some(mask.clone())),
                    Key::I64(extremes.clone(), Some(mask.clone())),
                    Key::I32(ints.clone(), Some(mask.clone())),
                    Key::F64(reals.clone(), None),
                    Key::F64(reals.clone(), Some(mask.clone())),
                    Key::Bool(bools.clone(), Some(mask.clone())),
                ];
                for key in keys {
                    let sk = [SortKey { key, desc, nulls_first }];
                    let want = reference(&sk, n);
                    assert_eq!(sorted_rows(&sk, n), want);
                    for top in [1, 50, 100, 1999] {
                        assert_eq!(top_rows(&sk, n, top), want[..top].to_vec());
                    }
                }
            }
        }
        // Two keys, the second nullable.
        let sk = [
            SortKey { key: Key::Bool(bools.clone(), None), desc: true, nulls_first: false },
            SortKey { key: Key::F64(reals.clone(), Some(mask.clone())), desc: false, nulls_first: true },
        ];
        assert_eq!(sorted_rows(&sk, n), reference(&sk, n));
        assert_eq!(top_rows(&sk, n, 30), reference(&sk, n)[..30].to_vec());
    }
}
