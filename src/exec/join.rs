//! Hash joins. Keys of both sides are mapped into one code space (a dictionary column's
//! distinct strings are looked up once, not once per row); the right side is bucketed by key
//! and the left side probes it.

use super::aggregate::take_opt;
use super::eval::EResult;
use super::ExecCtx;
use crate::diag::Span;
use crate::plan::{Join, JoinKind, Schema};
use crate::table::{Column, FxHashMap, StrColumn, Table};
use std::sync::Arc;

const NONE: u32 = u32::MAX;

/// Per-row key codes for a (left column, right column) pair in a shared code space.
/// Null keys never match (code NONE).
fn pair_codes(l: &Column, r: &Column) -> (Vec<u32>, Vec<u32>) {
    // GUIDs stored as numbers are matched as numbers (`table::guids`).
    if let Some(codes) = crate::table::guids::join_key_codes(l, r) {
        return codes;
    }
    match (l.as_str_column(), r.as_str_column()) {
        (Some(ls), Some(rs)) => string_pair_codes(ls, rs),
        _ => {
            let real = matches!(l, Column::Real(_)) || matches!(r, Column::Real(_));
            let key = |c: &Column, i: usize| -> Option<u64> {
                let v = c.value(i);
                if v.is_null() {
                    return None;
                }
                if real {
                    v.as_f64().map(|f| if f == 0.0 { 0u64 } else { f.to_bits() })
                } else if let Some(n) = v.as_i64() {
                    Some(n as u64)
                } else {
                    Some(fx(&v.to_display()))
                }
            };
            let mut map: FxHashMap<u64, u32> = FxHashMap::default();
            let rc: Vec<u32> = (0..r.len())
                .map(|i| match key(r, i) {
                    Some(k) => {
                        let n = map.len() as u32;
                        *map.entry(k).or_insert(n)
                    }
                    None => NONE,
                })
                .collect();
            let lc: Vec<u32> = (0..l.len()).map(|i| key(l, i).and_then(|k| map.get(&k).copied()).unwrap_or(NONE)).collect();
            (lc, rc)
        }
    }
}

/// Key codes for two string columns: every distinct string of the left side's entries gets a
/// code; right entries equal to one of them get the same code, others `NONE` (they match
/// nothing, so they need no code of their own: every right row is a match candidate only
/// through its code).
///
/// Strings are hashed once per dictionary entry in use. The entries of both sides are then
/// partitioned by hash so that each partition's hash table fits in the cache: with a million
/// distinct keys a single table would miss the cache on nearly every lookup.
fn string_pair_codes(ls: &StrColumn, rs: &StrColumn) -> (Vec<u32>, Vec<u32>) {
    let (lu, ru) = (entries_in_use(ls), entries_in_use(rs));
    let lh = hashed_entries(&lu, ls);
    let rh = hashed_entries(&ru, rs);
    let total = lh.len() + rh.len();
    let pbits = (usize::BITS - (total / 2048).leading_zeros()).min(10);
    let parts = 1usize << pbits;
    let part_of = |h: u64| if pbits == 0 { 0 } else { (h >> (64 - pbits)) as usize };
    let (lp, lstart) = partition(&lh, parts, part_of);
    let (rp, rstart) = partition(&rh, parts, part_of);
    let (lb, rb) = (ls.dict.bytes(), rs.dict.bytes());
    let mut llut = vec![NONE; ls.dict.len()];
    let mut rlut = vec![NONE; rs.dict.len()];
    let mut next = 0u32;
    let mut slots: Vec<u32> = Vec::new();
    for p in 0..parts {
        let left = &lp[lstart[p]..lstart[p + 1]];
        let right = &rp[rstart[p]..rstart[p + 1]];
        if left.is_empty() {
            continue;
        }
        // Open addressing over indices into `left`; NONE marks a free slot. Strings are only
        // read when the full 64-bit hashes agree.
        let cap = (left.len() * 2).next_power_of_two();
        let mask = cap - 1;
        slots.clear();
        slots.resize(cap, NONE);
        for (k, e) in left.iter().enumerate() {
            let mut at = e.hash as usize & mask;
            loop {
                let slot = slots[at];
                if slot == NONE {
                    slots[at] = k as u32;
                    llut[e.code as usize] = next;
                    next += 1;
                    break;
                }
                let o = &left[slot as usize];
                if o.hash == e.hash && o.text(lb) == e.text(lb) {
                    llut[e.code as usize] = llut[o.code as usize];
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        for e in right {
            let mut at = e.hash as usize & mask;
            loop {
                let slot = slots[at];
                if slot == NONE {
                    break;
                }
                let o = &left[slot as usize];
                if o.hash == e.hash && o.text(lb) == e.text(rb) {
                    rlut[e.code as usize] = llut[o.code as usize];
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }
    (
        crate::table::with_codes!(&ls.codes, |c| c.iter().map(|&c| llut[c as usize]).collect()),
        crate::table::with_codes!(&rs.codes, |c| c.iter().map(|&c| rlut[c as usize]).collect()),
    )
}

/// A dictionary entry with its hash and where its bytes are.
#[derive(Clone, Copy, Default)]
struct Entry {
    hash: u64,
    code: u32,
    start: u32,
    end: u32,
}

impl Entry {
    #[inline]
    fn text<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        &bytes[self.start as usize..self.end as usize]
    }
}

/// The dictionary entries in use, hashed.
fn hashed_entries(used: &Option<Vec<u32>>, s: &StrColumn) -> Vec<Entry> {
    let mut out = Vec::with_capacity(used.as_ref().map_or(s.dict.len(), Vec::len));
    let bytes = s.dict.bytes();
    for_entries(used, s, |c| {
        let (a, b) = s.dict.span(c);
        out.push(Entry { hash: hash_bytes(&bytes[a..b]), code: c, start: a as u32, end: b as u32 });
    });
    out
}

/// Groups entries by partition (a counting sort); returns them and each partition's start.
fn partition(items: &[Entry], parts: usize, part_of: impl Fn(u64) -> usize) -> (Vec<Entry>, Vec<usize>) {
    let mut start = vec![0usize; parts + 1];
    for e in items {
        start[part_of(e.hash) + 1] += 1;
    }
    for p in 0..parts {
        start[p + 1] += start[p];
    }
    let mut fill = start.clone();
    let mut out = vec![Entry::default(); items.len()];
    for &e in items {
        let p = part_of(e.hash);
        out[fill[p]] = e;
        fill[p] += 1;
    }
    (out, start)
}

/// A 64-bit hash of a string whose high bits (partition) and low bits (slot) are both well
/// mixed.
fn hash_bytes(s: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut f = crate::table::hasher();
    f.write(s);
    f.write_usize(s.len());
    let mut h = f.finish();
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The dictionary entries a column's rows use, when the dictionary is much larger than the
/// column (a filtered column shares its table's dictionary); `None`: look at every entry.
fn entries_in_use(s: &StrColumn) -> Option<Vec<u32>> {
    if s.dict.len() <= s.codes.len().saturating_mul(2) {
        return None;
    }
    let mut seen = vec![false; s.dict.len()];
    let mut used = Vec::new();
    for c in s.codes.iter() {
        if !seen[c as usize] {
            seen[c as usize] = true;
            used.push(c);
        }
    }
    Some(used)
}

fn for_entries(used: &Option<Vec<u32>>, s: &StrColumn, mut f: impl FnMut(u32)) {
    match used {
        Some(u) => u.iter().for_each(|&c| f(c)),
        None => (0..s.dict.len() as u32).for_each(f),
    }
}

fn fx(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::table::hasher();
    s.hash(&mut h);
    h.finish()
}

/// Combined key codes over several key columns.
fn key_codes(l: &Table, r: &Table, lk: &[usize], rk: &[usize]) -> (Vec<u32>, Vec<u32>) {
    let (mut lc, mut rc) = pair_codes(&l.columns[lk[0]], &r.columns[rk[0]]);
    for k in 1..lk.len() {
        let (l2, r2) = pair_codes(&l.columns[lk[k]], &r.columns[rk[k]]);
        let mut map: FxHashMap<u64, u32> = FxHashMap::default();
        for i in 0..rc.len() {
            if rc[i] == NONE || r2[i] == NONE {
                rc[i] = NONE;
                continue;
            }
            let key = (rc[i] as u64) << 32 | r2[i] as u64;
            let n = map.len() as u32;
            rc[i] = *map.entry(key).or_insert(n);
        }
        for i in 0..lc.len() {
            if lc[i] == NONE || l2[i] == NONE {
                lc[i] = NONE;
                continue;
            }
            lc[i] = map.get(&((lc[i] as u64) << 32 | l2[i] as u64)).copied().unwrap_or(NONE);
        }
    }
    (lc, rc)
}

pub fn join(l: &Table, r: &Table, node: &Join, need: &[bool], schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let (kind, lk, rk, output) = (node.kind, &node.left_keys[..], &node.right_keys[..], &node.output[..]);
    let (lc, rc) = key_codes(l, r, lk, rk);
    // Bucket right rows by key (CSR layout).
    let nkeys = rc.iter().filter(|&&c| c != NONE).map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut start = vec![0u32; nkeys + 1];
    for &c in &rc {
        if c != NONE {
            start[c as usize + 1] += 1;
        }
    }
    for k in 0..nkeys {
        start[k + 1] += start[k];
    }
    let mut fill = start.clone();
    let mut rows = vec![0u32; rc.iter().filter(|&&c| c != NONE).count()];
    for (i, &c) in rc.iter().enumerate() {
        if c != NONE {
            rows[fill[c as usize] as usize] = i as u32;
            fill[c as usize] += 1;
        }
    }
    let bucket = |c: u32| -> &[u32] {
        if c == NONE || c as usize >= nkeys {
            &[]
        } else {
            &rows[start[c as usize] as usize..start[c as usize + 1] as usize]
        }
    };
    // Every matching pair for the kinds that list them (exactly that many for inner joins
    // whose left keys are unique), so the row lists are allocated once.
    let pairs = match kind {
        JoinKind::LeftSemi | JoinKind::LeftAnti | JoinKind::RightSemi | JoinKind::RightAnti => 0,
        _ => rows.len(),
    };
    let mut li: Vec<Option<u32>> = Vec::with_capacity(pairs);
    let mut ri: Vec<Option<u32>> = Vec::with_capacity(pairs);
    // Only the kinds that report right rows by whether they matched keep track of it.
    let track_right = matches!(kind, JoinKind::RightOuter | JoinKind::FullOuter | JoinKind::RightSemi | JoinKind::RightAnti);
    let mut right_matched = vec![false; if track_right { r.len() } else { 0 }];
    let mut left_seen_key = vec![false; if kind == JoinKind::InnerUnique { nkeys } else { 0 }];
    let mut produced = 0usize;
    for (i, &c) in lc.iter().enumerate() {
        let b = bucket(c);
        match kind {
            JoinKind::InnerUnique => {
                if b.is_empty() || left_seen_key[c as usize] {
                    continue;
                }
                left_seen_key[c as usize] = true;
                produced += b.len();
                cx.check_rows(produced, span, "This join")?;
                for &rr in b {
                    li.push(Some(i as u32));
                    ri.push(Some(rr));
                }
            }
            JoinKind::Inner | JoinKind::LeftOuter | JoinKind::FullOuter | JoinKind::RightOuter => {
                if b.is_empty() {
                    if matches!(kind, JoinKind::LeftOuter | JoinKind::FullOuter) {
                        li.push(Some(i as u32));
                        ri.push(None);
                    }
                    continue;
                }
                produced += b.len();
                cx.check_rows(produced, span, "This join")?;
                for &rr in b {
                    li.push(Some(i as u32));
                    ri.push(Some(rr));
                }
                if track_right {
                    for &rr in b {
                        right_matched[rr as usize] = true;
                    }
                }
            }
            JoinKind::LeftSemi => {
                if !b.is_empty() {
                    li.push(Some(i as u32));
                    ri.push(None);
                }
            }
            JoinKind::LeftAnti => {
                if b.is_empty() {
                    li.push(Some(i as u32));
                    ri.push(None);
                }
            }
            JoinKind::RightSemi | JoinKind::RightAnti => {
                for &rr in b {
                    right_matched[rr as usize] = true;
                }
            }
        }
    }
    match kind {
        JoinKind::RightOuter | JoinKind::FullOuter => {
            for (j, m) in right_matched.iter().enumerate() {
                if !m {
                    li.push(None);
                    ri.push(Some(j as u32));
                }
            }
        }
        JoinKind::RightSemi | JoinKind::RightAnti => {
            let want = kind == JoinKind::RightSemi;
            for (j, m) in right_matched.iter().enumerate() {
                if *m == want {
                    li.push(None);
                    ri.push(Some(j as u32));
                }
            }
        }
        _ => {}
    }
    let n = li.len();
    cx.check_rows(n, span, "This join")?;
    cx.check_cells(n, output.len(), span)?;
    let columns: Vec<Arc<Column>> = output
        .iter()
        .zip(need)
        .map(|(&(from_right, c), &used)| {
            let src = if from_right { &r.columns[c] } else { &l.columns[c] };
            Arc::new(if !used {
                Column::placeholder(src.data_type())
            } else if from_right {
                take_opt(src, &ri)
            } else {
                take_opt(src, &li)
            })
        })
        .collect();
    Ok(Table::with_placeholders(schema.as_ref().clone(), columns, n))
}
