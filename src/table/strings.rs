//! Dictionary-encoded strings. A [`StrColumn`] is a shared dictionary ([`StrDict`]: all the
//! distinct strings packed in one buffer) plus one code per row ([`Codes`]: 1, 2 or 4 bytes
//! wide, the narrowest that holds the dictionary). Filtering or sorting moves codes only; a
//! string predicate runs once per dictionary entry, not once per row.

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

    /// Where each entry starts in [`StrDict::bytes`], then where the last one ends.
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
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

    /// Entries so far.
    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    pub fn finish(self) -> Arc<StrDict> {
        Arc::new(self.dict)
    }
}

/// One code of a [`Codes`] vector: `u8`, `u16` or `u32`. Kernels written over `&[C]` with
/// `C: Code` are compiled once per width (see [`with_codes!`](crate::table::with_codes)), so reading
/// a narrow code costs what reading a `u32` did.
pub trait Code: Copy + Into<u32> + Send + Sync + 'static {
    /// The code as an index into the dictionary (or into a per-entry table).
    fn ix(self) -> usize;
    /// The code as a dictionary code ([`StrDict::get`]).
    fn code(self) -> u32;
}

macro_rules! impl_code {
    ($($t:ty),*) => {$(
        impl Code for $t {
            #[inline(always)]
            fn ix(self) -> usize {
                self as usize
            }
            #[inline(always)]
            #[allow(clippy::unnecessary_cast)]
            fn code(self) -> u32 {
                self as u32
            }
        }
    )*};
}

impl_code!(u8, u16, u32);

/// The per-row codes of a string column, stored in the narrowest of three widths: 1 byte when
/// the dictionary has at most 256 entries, 2 bytes up to 65,536, 4 bytes above. Most columns of
/// the generated tables (an action, an app name, a user among a few hundred) fit in one byte,
/// which is what keeps a 10-million-row table inside a browser tab's 4 GiB heap.
///
/// A width is a storage choice, never a meaning: any width holding every code is valid, and
/// two columns with equal codes in different widths hold the same values.
#[derive(Clone, Debug)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

/// Runs an expression once per code width, with `$c` bound to the codes as `&[u8]`, `&[u16]` or
/// `&[u32]`: the expression is compiled three times, each a loop over plain integers.
///
/// ```ignore
/// let lens: Vec<usize> = with_codes!(&col.codes, |c| c.iter().map(|&k| len[k as usize]).collect());
/// ```
macro_rules! with_codes {
    ($codes:expr, |$c:ident| $body:expr) => {
        match $codes {
            $crate::table::Codes::U8($c) => {
                let $c: &[u8] = &$c[..];
                $body
            }
            $crate::table::Codes::U16($c) => {
                let $c: &[u16] = &$c[..];
                $body
            }
            $crate::table::Codes::U32($c) => {
                let $c: &[u32] = &$c[..];
                $body
            }
        }
    };
}
pub(crate) use with_codes;

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl PartialEq for Codes {
    /// Equal codes, whatever their widths.
    fn eq(&self, other: &Codes) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

impl Codes {
    /// The width (in bytes) that holds codes into a dictionary of `entries` entries.
    pub fn width_for(entries: usize) -> usize {
        if entries <= 1 << 8 {
            1
        } else if entries <= 1 << 16 {
            2
        } else {
            4
        }
    }

    /// Empty codes of the width for a dictionary of `entries` entries, with room for `cap` rows.
    pub fn with_capacity(entries: usize, cap: usize) -> Codes {
        match Codes::width_for(entries) {
            1 => Codes::U8(Vec::with_capacity(cap)),
            2 => Codes::U16(Vec::with_capacity(cap)),
            _ => Codes::U32(Vec::with_capacity(cap)),
        }
    }

    /// Codes into a dictionary of `entries` entries, narrowed from `u32`s (each must be below
    /// `entries`).
    pub fn from_u32(codes: Vec<u32>, entries: usize) -> Codes {
        match Codes::width_for(entries) {
            1 => Codes::U8(codes.iter().map(|&c| c as u8).collect()),
            2 => Codes::U16(codes.iter().map(|&c| c as u16).collect()),
            _ => Codes::U32(codes),
        }
    }

    /// `0, 1, …, n - 1`: one row per entry of an `n`-entry dictionary.
    pub fn identity(n: usize) -> Codes {
        match Codes::width_for(n) {
            1 => Codes::U8((0..n).map(|c| c as u8).collect()),
            2 => Codes::U16((0..n).map(|c| c as u16).collect()),
            _ => Codes::U32((0..n as u32).collect()),
        }
    }

    /// `len` copies of `code`, in the width for a dictionary of `entries` entries.
    pub fn repeat(code: u32, len: usize, entries: usize) -> Codes {
        match Codes::width_for(entries) {
            1 => Codes::U8(vec![code as u8; len]),
            2 => Codes::U16(vec![code as u16; len]),
            _ => Codes::U32(vec![code; len]),
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        with_codes!(self, |c| c.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows there is room for without reallocating.
    pub fn capacity(&self) -> usize {
        match self {
            Codes::U8(c) => c.capacity(),
            Codes::U16(c) => c.capacity(),
            Codes::U32(c) => c.capacity(),
        }
    }

    /// Bytes per code: 1, 2 or 4.
    pub fn width(&self) -> usize {
        match self {
            Codes::U8(_) => 1,
            Codes::U16(_) => 2,
            Codes::U32(_) => 4,
        }
    }

    /// The code of row `i` (one branch on the width; loops over many rows use
    /// [`with_codes!`](crate::table::with_codes)).
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(c) => c[i] as u32,
            Codes::U16(c) => c[i] as u32,
            Codes::U32(c) => c[i],
        }
    }

    /// Every code as a `u32`.
    pub fn iter(&self) -> CodesIter<'_> {
        CodesIter { codes: self, i: 0 }
    }

    /// The codes widened to `u32` (for code that needs one layout, such as the worker's wire
    /// format).
    pub fn to_u32(&self) -> Vec<u32> {
        with_codes!(self, |c| c.iter().map(|&k| k.code()).collect())
    }

    /// The codes of rows `idx`, in that order, in the same width.
    pub fn take(&self, idx: &[u32]) -> Codes {
        match self {
            Codes::U8(c) => Codes::U8(idx.iter().map(|&i| c[i as usize]).collect()),
            Codes::U16(c) => Codes::U16(idx.iter().map(|&i| c[i as usize]).collect()),
            Codes::U32(c) => Codes::U32(idx.iter().map(|&i| c[i as usize]).collect()),
        }
    }

    /// Rows `start .. start + len`, in the same width.
    pub fn slice(&self, start: usize, len: usize) -> Codes {
        match self {
            Codes::U8(c) => Codes::U8(c[start..start + len].to_vec()),
            Codes::U16(c) => Codes::U16(c[start..start + len].to_vec()),
            Codes::U32(c) => Codes::U32(c[start..start + len].to_vec()),
        }
    }

    /// The first `len` rows (the rest dropped).
    pub fn truncated(&self, len: usize) -> Codes {
        self.slice(0, len.min(self.len()))
    }

    /// Each code replaced by `map[code]`, stored in the width for a dictionary of `entries`
    /// entries (every value of `map` must be below `entries`).
    pub fn remap(&self, map: &[u32], entries: usize) -> Codes {
        let mut b = CodesBuilder::with_capacity(entries, self.len());
        with_codes!(self, |c| c.iter().for_each(|&k| b.push(map[k.ix()])));
        b.finish()
    }

    pub fn heap_bytes(&self) -> usize {
        self.len() * self.width()
    }
}

/// Iterates over [`Codes`] as `u32`s.
pub struct CodesIter<'a> {
    codes: &'a Codes,
    i: usize,
}

impl Iterator for CodesIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.i < self.codes.len() {
            self.i += 1;
            Some(self.codes.get(self.i - 1))
        } else {
            None
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.codes.len() - self.i;
        (n, Some(n))
    }
}

impl ExactSizeIterator for CodesIter<'_> {}

/// Appends codes in the narrowest width so far, widening (1 → 2 → 4 bytes) the first time a
/// code does not fit: a column can be built row by row while its dictionary grows.
#[derive(Clone, Debug, Default)]
pub struct CodesBuilder {
    codes: Codes,
}

impl CodesBuilder {
    pub fn new() -> CodesBuilder {
        CodesBuilder::default()
    }

    /// Room for `cap` rows, starting at the width for `entries` dictionary entries.
    pub fn with_capacity(entries: usize, cap: usize) -> CodesBuilder {
        CodesBuilder { codes: Codes::with_capacity(entries, cap) }
    }

    #[inline]
    pub fn push(&mut self, code: u32) {
        match &mut self.codes {
            Codes::U8(v) if code <= u8::MAX as u32 => v.push(code as u8),
            Codes::U16(v) if code <= u16::MAX as u32 => v.push(code as u16),
            Codes::U32(v) => v.push(code),
            _ => {
                self.widen(code);
                self.push(code)
            }
        }
    }

    #[cold]
    fn widen(&mut self, code: u32) {
        let old = std::mem::take(&mut self.codes);
        // The room reserved for the rows still to come, in the new width.
        let cap = old.capacity().max(old.len().max(16) * 2);
        self.codes = if code <= u16::MAX as u32 {
            let mut v = Vec::with_capacity(cap);
            with_codes!(&old, |c| v.extend(c.iter().map(|&k| Into::<u32>::into(k) as u16)));
            Codes::U16(v)
        } else {
            let mut v = Vec::with_capacity(cap);
            with_codes!(&old, |c| v.extend(c.iter().map(|&k| Into::<u32>::into(k))));
            Codes::U32(v)
        };
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The codes, without spare room beyond a sixteenth of their length (a builder sized for
    /// the most rows a table can have gives the rest back).
    pub fn finish(self) -> Codes {
        fn fit<T>(mut v: Vec<T>) -> Vec<T> {
            if v.capacity() - v.len() > v.len() / 16 {
                v.shrink_to_fit();
            }
            v
        }
        match self.codes {
            Codes::U8(v) => Codes::U8(fit(v)),
            Codes::U16(v) => Codes::U16(fit(v)),
            Codes::U32(v) => Codes::U32(fit(v)),
        }
    }
}

/// A string column: codes into a shared dictionary.
#[derive(Clone, Debug)]
pub struct StrColumn {
    pub dict: Arc<StrDict>,
    pub codes: Codes,
}

impl StrColumn {
    /// A column from a dictionary and `u32` codes into it, stored in the narrowest width.
    pub fn new(dict: Arc<StrDict>, codes: Vec<u32>) -> StrColumn {
        let codes = Codes::from_u32(codes, dict.len());
        StrColumn { dict, codes }
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    #[inline]
    pub fn get(&self, row: usize) -> &str {
        self.dict.get(self.codes.get(row))
    }

    /// Interns every string (deduplicated dictionary).
    pub fn from_strs<'a>(items: impl IntoIterator<Item = &'a str>) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let mut codes = CodesBuilder::new();
        for s in items {
            codes.push(b.intern(s));
        }
        StrColumn { dict: b.finish(), codes: codes.finish() }
    }

    /// Stores strings as they come, without deduplication (for mostly-unique computed values).
    pub fn from_strs_plain<'a>(items: impl IntoIterator<Item = &'a str>) -> StrColumn {
        let dict = StrDict::from_strings(items);
        let codes = Codes::identity(dict.len());
        StrColumn { dict: Arc::new(dict), codes }
    }

    /// Applies `f` to every dictionary entry once and keeps the codes: the fast path for a
    /// string-to-string function on a dictionary column.
    pub fn map_dict(&self, mut f: impl FnMut(&str) -> String) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let remap: Vec<u32> = self.dict.iter().map(|s| b.intern(&f(s))).collect();
        let dict = b.finish();
        StrColumn { codes: self.codes.remap(&remap, dict.len()), dict }
    }

    /// A copy whose dictionary holds only the strings still used, deduplicated.
    pub fn compact(&self) -> StrColumn {
        let mut b = StrDictBuilder::new();
        let mut remap = vec![u32::MAX; self.dict.len()];
        let mut codes = CodesBuilder::with_capacity(0, self.len());
        with_codes!(&self.codes, |c| {
            for &k in c {
                let r = &mut remap[k.ix()];
                if *r == u32::MAX {
                    *r = b.intern(self.dict.get(k.code()));
                }
                codes.push(*r);
            }
        });
        StrColumn { dict: b.finish(), codes: codes.finish() }
    }

    /// Ensures the dictionary is deduplicated (needed for grouping on codes).
    pub fn unique(&self) -> StrColumn {
        if self.dict.is_unique() {
            self.clone()
        } else {
            self.compact()
        }
    }

    /// Bytes held: the codes and the dictionary.
    pub fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes() + self.dict.heap_bytes()
    }
}
