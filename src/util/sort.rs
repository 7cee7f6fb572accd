//! Stable sorting through one shared instantiation of the standard library's sort.
//!
//! Each `slice::sort_by` call with its own closure or element type is its own copy of the
//! standard library's sort (driftsort, ~4 KB of wasm each; `sort_unstable*` likewise), and a
//! crate-wide habit of calling it at every site cost ~160 KB of the web module. The helpers
//! here sort a permutation of `u32` indices with a `dyn` comparator — the single copy —
//! and the generic wrappers only build the comparator and move elements into place.
//!
//! Every helper is stable: elements that compare equal keep their order. The engine's hot
//! paths (radix passes and `top` selection in `exec/sort.rs`) stay specialised.

use std::cmp::Ordering;

/// Sorts `idx` by `cmp`, stably. The one instantiation of the standard library's stable sort
/// that the helpers share.
#[inline(never)]
pub fn sort_indices(idx: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    idx.sort_by(|&a, &b| cmp(a, b));
}

/// The stable sort order of `0..n` under `cmp`: `order[k]` is the index that goes to place `k`.
pub fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    assert!(u32::try_from(n).is_ok(), "at most u32::MAX elements to sort");
    let mut idx: Vec<u32> = (0..n as u32).collect();
    sort_indices(&mut idx, &mut |a, b| cmp(a as usize, b as usize));
    idx
}

/// Sorts `v` by `cmp`, stably (like `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut idx = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut idx);
}

/// Sorts `v` by the key `key` gives each element, stably (like `slice::sort_by_key`: the
/// key is computed at each comparison).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in ascending order, stably (like `slice::sort`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts reals in the IEEE total order (`f64::total_cmp`: -NaN < -inf < … < inf < NaN).
pub fn sort_f64(v: &mut [f64]) {
    sort_by(v, f64::total_cmp);
}

/// Moves `v[perm[k]]` to place `k` for every `k`, following the permutation's cycles;
/// `perm` is left as the identity.
fn permute<T>(v: &mut [T], perm: &mut [u32]) {
    for i in 0..v.len() {
        let mut j = i;
        loop {
            let k = perm[j] as usize;
            perm[j] = j as u32;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x >> 33
        }
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        let mut rnd = lcg(7);
        for len in [0usize, 1, 2, 3, 10, 100, 1000] {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (rnd() % 17, i)).collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |p| p.0);
            assert_eq!(got, want, "stable by key, len {len}");
            let mut got = v.clone();
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            let mut want = v.clone();
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(got, want, "stable descending, len {len}");
        }
    }

    #[test]
    fn order_permutes_and_keeps_ties() {
        let keys = [3, 1, 2, 1, 3, 0];
        assert_eq!(order(keys.len(), &mut |a, b| keys[a].cmp(&keys[b])), vec![5, 1, 3, 2, 0, 4]);
        let mut s = vec!["b".to_string(), "a".to_string(), "c".to_string(), "a".to_string()];
        sort(&mut s);
        assert_eq!(s, ["a", "a", "b", "c"]);
        let mut r = vec![2.0, f64::NAN, -0.0, 0.0, f64::NEG_INFINITY, 1.5];
        sort_f64(&mut r);
        assert_eq!(format!("{r:?}"), "[-inf, -0.0, 0.0, 1.5, 2.0, NaN]");
    }
}
