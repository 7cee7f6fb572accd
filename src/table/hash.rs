//! The crate's hasher for hash joins, grouping, dictionary building and every engine map or
//! set: foldhash's fast hasher with its fixed seed.
//!
//! Why this one: the hash maps (std's, i.e. hashbrown) take the bucket from the low bits of
//! the hash and a tag from the top seven, so every input byte must reach both ends. The Fx
//! hash used before (one multiply per word, no final mixing) did not do that: keys that
//! differ only in their high bytes, such as `kk1`…`kk999999`, collided in the low bits and a
//! million-row `strcat("kk", x)` took 37 s (BENCHMARKS.md, "Hashing short similar keys").
//! foldhash folds a 128-bit product per word and mixes the end, and is as fast as Fx on
//! integers. The fixed seed keeps runs identical from one run to the next; no hash value or
//! hash-map order ever reaches a result, so that the values differ between native and wasm32
//! builds (foldhash uses a narrower multiply there) does not matter. It is not DoS-resistant,
//! which does not matter for local data.

use std::collections::{HashMap, HashSet};

/// The hasher's builder: a fixed seed, so no run depends on a random one.
pub type FxBuildHasher = foldhash::fast::FixedState;
/// The hasher itself (for code that hashes values by hand, such as the join's partitioner).
pub type FxHasher = foldhash::fast::FoldHasher<'static>;
/// A hash set with the crate's hasher.
pub type FxHashSet<K> = HashSet<K, FxBuildHasher>;
/// A hash map with the crate's hasher.
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// A fresh hasher with the fixed seed.
#[inline]
pub fn hasher() -> FxHasher {
    use std::hash::BuildHasher;
    FxBuildHasher::default().build_hasher()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{Hash, Hasher};

    fn hash_str(s: &str) -> u64 {
        let mut h = hasher();
        s.hash(&mut h);
        h.finish()
    }

    /// Keys that differ only in bytes 2..8 (ID-like strings) must spread over both the low
    /// bits (the bucket) and the top seven bits (the tag) of the hash.
    #[test]
    fn id_like_keys_spread_over_low_and_high_bits() {
        let keys: Vec<String> = (0..4096).map(|i| format!("kk{i}")).collect();
        let low: FxHashSet<u64> = keys.iter().map(|k| hash_str(k) & 0xfff).collect();
        let high: FxHashSet<u64> = keys.iter().map(|k| hash_str(k) >> 57).collect();
        // 4096 keys into 4096 buckets: a uniform hash fills about 63% of them.
        assert!(low.len() > 2300, "low 12 bits take only {} values", low.len());
        assert_eq!(high.len(), 128, "top 7 bits take only {} values", high.len());
    }

    #[test]
    fn same_key_same_hash() {
        assert_eq!(hash_str("contoso-login.com"), hash_str("contoso-login.com"));
        assert_ne!(hash_str("kk1"), hash_str("kk2"));
    }
}
