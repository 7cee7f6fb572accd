//! `sort` and `top`: compute a permutation of row indices with a comparator over the key
//! columns, then `take`. String keys compare by a rank computed once per dictionary entry.
//! Sorting is stable (ties keep their input order); `top` uses a partial selection.

use super::eval::{eval, EResult};
use super::val::Val;
use super::ExecCtx;
use crate::bind::plan::SortSpec;
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
            let mut order: Vec<u32> = (0..s.dict.len() as u32).collect();
            order.sort_by(|a, b| s.dict.get(*a).cmp(s.dict.get(*b)));
            let mut rank = vec![0u32; s.dict.len()];
            let mut r = 0u32;
            for (i, &code) in order.iter().enumerate() {
                if i > 0 && s.dict.get(order[i - 1]) != s.dict.get(code) {
                    r += 1;
                }
                rank[code as usize] = r;
            }
            Key::Rank(s.codes.iter().map(|&c| rank[c as usize]).collect())
        }
        Column::Dynamic(d) => Key::Text(d.iter().map(|x| if x.is_null() { None } else { Some(x.to_json()) }).collect()),
    }
}

/// Sorts `t` by `keys`; with `top = Some(n)` keeps only the first `n` rows.
pub fn sort(t: &Table, keys: &[SortSpec], top: Option<usize>, cx: &ExecCtx) -> EResult<Table> {
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
    let cmp = |a: &u32, b: &u32| -> Ordering {
        for k in &sk {
            let o = k.cmp(*a as usize, *b as usize);
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(b)
    };
    let mut idx: Vec<u32> = (0..len as u32).collect();
    match top {
        Some(n) if n < len => {
            if n == 0 {
                return Ok(t.head(0));
            }
            idx.select_nth_unstable_by(n - 1, cmp);
            idx.truncate(n);
            idx.sort_unstable_by(cmp);
        }
        _ => idx.sort_unstable_by(cmp),
    }
    Ok(t.take(&idx))
}
