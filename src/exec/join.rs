//! Hash joins. Keys of both sides are mapped into one code space (a dictionary column's
//! distinct strings are looked up once, not once per row); the right side is bucketed by key
//! and the left side probes it.

use super::aggregate::take_opt;
use super::eval::EResult;
use super::ExecCtx;
use crate::bind::plan::{JoinKind, Schema};
use crate::diag::Span;
use crate::table::{Column, FxHashMap, Table};
use std::sync::Arc;

const NONE: u32 = u32::MAX;

/// Per-row key codes for a (left column, right column) pair in a shared code space.
/// Null keys never match (code NONE).
fn pair_codes(l: &Column, r: &Column) -> (Vec<u32>, Vec<u32>) {
    match (l.as_str_column(), r.as_str_column()) {
        (Some(ls), Some(rs)) => {
            let mut map: FxHashMap<&str, u32> = FxHashMap::default();
            let rlut: Vec<u32> = rs
                .dict
                .iter()
                .map(|s| {
                    let n = map.len() as u32;
                    *map.entry(s).or_insert(n)
                })
                .collect();
            let llut: Vec<u32> = ls.dict.iter().map(|s| map.get(s).copied().unwrap_or(NONE)).collect();
            (ls.codes.iter().map(|&c| llut[c as usize]).collect(), rs.codes.iter().map(|&c| rlut[c as usize]).collect())
        }
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

fn fx(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::table::FxHasher::default();
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

#[allow(clippy::too_many_arguments)]
pub fn join(l: &Table, r: &Table, kind: JoinKind, lk: &[usize], rk: &[usize], output: &[(bool, usize)], schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
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
    let mut li: Vec<Option<u32>> = Vec::new();
    let mut ri: Vec<Option<u32>> = Vec::new();
    let mut right_matched = vec![false; r.len()];
    let mut left_seen_key = vec![false; nkeys];
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
                    right_matched[rr as usize] = true;
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
        .map(|&(from_right, c)| Arc::new(if from_right { take_opt(&r.columns[c], &ri) } else { take_opt(&l.columns[c], &li) }))
        .collect();
    Ok(Table::with_len(schema.as_ref().clone(), columns, n))
}
