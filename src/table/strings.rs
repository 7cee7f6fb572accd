//! Dictionary-encoded strings. A [`StrColumn`] is a shared dictionary ([`StrDict`]: all the
//! distinct strings packed in one buffer) plus one `u32` code per row. Filtering or sorting
//! moves codes only; a string predicate runs once per dictionary entry, not once per row.

use super::hash::FxBuildHasher;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Strings packed in one buffer. `unique` is true when no string appears twice, which lets
/// grouping and `distinct` work on codes directly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrDict {
    offsets: Vec<u32>,
    bytes: String,
    unique: bool,
}

impl StrDict {
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, code: u32) -> &str {
        let i = code as usize;
        &self.bytes[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The byte range of an entry in [`StrDict::bytes`].
    #[inline]
    pub fn span(&self, code: u32) -> (usize, usize) {
        let i = code as usize;
        (self.offsets[i] as usize, self.offsets[i + 1] as usize)
    }

    /// All entries' bytes, end to end.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_bytes()
    }

    pub fn is_unique(&self) -> bool {
        self.unique
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as u32).map(move |c| self.get(c))
    }

    pub fn heap_bytes(&self) -> usize {
        self.offsets.len() * 4 + self.bytes.len()
    }

    /// Each entry's rank in ordinal (byte-wise) string order, equal strings sharing a rank:
    /// sorting rows by rank sorts them by string, with one string comparison per pair of
    /// entries instead of per pair of rows.
    pub fn ranks(&self) -> Vec<u32> {
        let order = crate::util::sort::order(self.len(), &mut |a, b| self.get(a as u32).cmp(self.get(b as u32)));
        let mut rank = vec![0u32; self.len()];
        let mut r = 0u32;
        for (i, &code) in order.iter().enumerate() {
            if i > 0 && self.get(order[i - 1]) != self.get(code) {
                r += 1;
            }
            rank[code as usize] = r;
        }
        rank
    }

    /// A dictionary from strings already packed end to end: `offsets` holds `len + 1`
    /// ascending byte offsets into `bytes`, starting at 0 and ending at `bytes.len()`, each on a
    /// character boundary. Entries may repeat. `None` if the offsets do not describe `bytes`.
    /// Lets generators build columns of mostly-unique strings without hashing every row.
    pub fn from_packed(bytes: String, offsets: Vec<u32>) -> Option<StrDict> {
        let ok = offsets.first() == Some(&0)
            && offsets.last().map(|&e| e as usize) == Some(bytes.len())
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.iter().all(|&o| bytes.is_char_boundary(o as usize));
        ok.then_some(StrDict { offsets, bytes, unique: false })
    }

    /// A dictionary with exactly these entries, in order (duplicates allowed).
    pub fn from_strings<'a>(items: impl IntoIterator<Item = &'a str>) -> StrDict {
        let mut d = StrDict { offsets: vec![0], bytes: String::new(), unique: false };
        for s in items {
            d.bytes.push_str(s);
            d.offsets.push(d.bytes.len() as u32);
        }
        d
    }
}

/// Builds a dictionary, deduplicating as it goes.
///
/// The lookup table holds only codes: a string is found by its hash and compared with the
/// dictionary's own copy, so interning a new string stores its bytes once (no boxed key per
/// entry to allocate and free) and hashes it once. On a million distinct short keys this is
/// 2.4x faster than a `HashMap<Box<str>, u32>` (BENCHMARKS.md, "Hashing short similar keys").
pub struct StrDictBuilder {
    dict: StrDict,
    lookup: hashbrown::HashTable<u32>,
    hasher: FxBuildHasher,
}

impl Default for StrDictBuilder {
    fn default() -> Self {
        StrDictBuilder {
            dict: StrDict { offsets: vec![0], bytes: String::new(), unique: true },
            lookup: hashbrown::HashTable::new(),
            hasher: FxBuildHasher::default(),
        }
    }
}

impl StrDictBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The code of `s`, adding it if new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        let StrDictBuilder { dict, lookup, hasher } = self;
        let hash = hasher.hash_one(s);
        let entry = lookup.entry(hash, |&c| dict.get(c) == s, |&c| hasher.hash_one(dict.get(c)));
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let code = dict.len() as u32;
                dict.bytes.push_str(s);
                dict.offsets.push(dict.bytes.len() as u32);
                e.insert(code);
                code
            }
        }
    }

    pub fn finish(self) -> Arc<StrDict> {
        Arc::new(self.dict)
    }
}

/// A string column: codes into a shared dictionary.
#[derive(Clone, Debug)]
pub struct StrColumn {
    pub dict: Arc<StrDict>,
    pub codes: Vec<u32>,
}

impl StrColumn {
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    #[inline]
    pub fn get(&self, row: usize) -> &str {
        self.dict.get(self.codes[row])
    }

    /// Interns every string (deduplicated dictionary).
    pub fn from_strs<'a>(items: impl IntoIterator<Item = &'a str>) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let codes = items.into_iter().map(|s| b.intern(s)).collect();
        StrColumn { dict: b.finish(), codes }
    }

    /// Stores strings as they come, without deduplication (for mostly-unique computed values).
    pub fn from_strs_plain<'a>(items: impl IntoIterator<Item = &'a str>) -> StrColumn {
        let dict = StrDict::from_strings(items);
        let codes = (0..dict.len() as u32).collect();
        StrColumn { dict: Arc::new(dict), codes }
    }

    /// Applies `f` to every dictionary entry once and keeps the codes: the fast path for a
    /// string-to-string function on a dictionary column.
    pub fn map_dict(&self, mut f: impl FnMut(&str) -> String) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let remap: Vec<u32> = self.dict.iter().map(|s| b.intern(&f(s))).collect();
        StrColumn { dict: b.finish(), codes: self.codes.iter().map(|&c| remap[c as usize]).collect() }
    }

    /// A copy whose dictionary holds only the strings still used, deduplicated.
    pub fn compact(&self) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let mut remap = vec![u32::MAX; self.dict.len()];
        let codes = self
            .codes
            .iter()
            .map(|&c| {
                let r = &mut remap[c as usize];
                if *r == u32::MAX {
                    *r = b.intern(self.dict.get(c));
                }
                *r
            })
            .collect();
        StrColumn { dict: b.finish(), codes }
    }

    /// Ensures the dictionary is deduplicated (needed for grouping on codes).
    pub fn unique(&self) -> StrColumn {
        if self.dict.is_unique() {
            self.clone()
        } else {
            self.compact()
        }
    }
}
