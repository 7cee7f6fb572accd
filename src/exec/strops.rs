//! String predicates with Kusto's semantics.
//!
//! Case-insensitive forms compare without allocating when the needle is ASCII (the common
//! case). `has` matches whole terms: the match must start and end at a term boundary, where a
//! term is a run of letters and digits (so `"contoso-login.com" has "login"` is true and
//! `"logins" has "login"` is false).

use crate::plan::StrOp;
use crate::table::{StrColumn, StrDict};

#[inline]
fn is_term_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A lowered needle, prepared once per predicate.
pub struct Needle {
    pub raw: String,
    pub lower: String,
    ascii: bool,
}

impl Needle {
    pub fn new(s: &str) -> Needle {
        Needle { raw: s.to_string(), lower: s.to_lowercase(), ascii: s.is_ascii() }
    }
}

/// Whether `pred(start, end)` holds for some occurrence of `needle` in `hay`, compared
/// case-insensitively (byte positions). ASCII needles (the common case) are searched without
/// allocating.
fn any_ci(hay: &str, n: &Needle, mut pred: impl FnMut(usize, usize) -> bool) -> bool {
    if n.ascii {
        let nb = n.lower.as_bytes();
        let hb = hay.as_bytes();
        let len = nb.len();
        if len == 0 {
            return pred(0, 0);
        }
        if hb.len() < len {
            return false;
        }
        let first = nb[0];
        // A plain `while` loop, not `Iterator::any` with a closure nor a `..=` range: in the
        // size-optimised web build either stays a call per byte unless V8 inlines it, which
        // depends on the queries run before (bench/profile.mjs: `contains` took 1.7 ms alone,
        // 4.5 ms after another query).
        // `first` is lower case, so `b | 0x20 == first | 0x20` holds for both cases of it (and
        // for a few other bytes, which the full comparison then rejects).
        let (first, end) = (first | 0x20, hb.len() - len + 1);
        let mut i = 0;
        while i < end {
            if hb[i] | 0x20 == first && hb[i..i + len].eq_ignore_ascii_case(nb) && pred(i, i + len) {
                return true;
            }
            i += 1;
        }
        false
    } else {
        find_ci_all(hay, n).any(|(s, e)| pred(s, e))
    }
}

/// Byte positions where `needle` occurs in `hay`, case-insensitively (non-ASCII needles).
fn find_ci_all<'h>(hay: &'h str, n: &'h Needle) -> impl Iterator<Item = (usize, usize)> + 'h {
    // General Unicode: compare lowered text; map positions back by walking chars.
    let lowered: Vec<(usize, char)> = hay.char_indices().flat_map(|(i, c)| c.to_lowercase().map(move |l| (i, l))).collect();
    let needle: Vec<char> = n.lower.chars().collect();
    let hay_len = hay.len();
    (0..lowered.len().saturating_sub(needle.len().saturating_sub(1))).filter_map(move |i| {
        if needle.is_empty() {
            return Some((0, 0));
        }
        if lowered[i..].len() >= needle.len() && lowered[i..i + needle.len()].iter().map(|x| x.1).eq(needle.iter().copied()) {
            let start = lowered[i].0;
            let end = lowered.get(i + needle.len()).map_or(hay_len, |x| x.0);
            Some((start, end))
        } else {
            None
        }
    })
}

/// Whether `pred` holds for some occurrence of `needle` (case-sensitive or not).
fn any_hit(hay: &str, n: &Needle, cs: bool, mut pred: impl FnMut(usize, usize) -> bool) -> bool {
    if cs {
        find_cs_all(hay, &n.raw).any(|(s, e)| pred(s, e))
    } else {
        any_ci(hay, n, pred)
    }
}

fn find_cs_all<'h>(hay: &'h str, n: &'h str) -> impl Iterator<Item = (usize, usize)> + 'h {
    hay.match_indices(n).map(move |(i, m)| (i, i + m.len()))
}

fn boundary_before(hay: &str, start: usize) -> bool {
    hay[..start].chars().next_back().is_none_or(|c| !is_term_char(c))
}

fn boundary_after(hay: &str, end: usize) -> bool {
    hay[end..].chars().next().is_none_or(|c| !is_term_char(c))
}

pub fn contains_ci(hay: &str, n: &Needle) -> bool {
    if n.lower.is_empty() {
        return true;
    }
    any_ci(hay, n, |_, _| true)
}

pub fn eq_ci(a: &str, n: &Needle) -> bool {
    if n.ascii && a.is_ascii() {
        a.eq_ignore_ascii_case(&n.raw)
    } else {
        a.to_lowercase() == n.lower
    }
}

pub fn starts_ci(hay: &str, n: &Needle) -> bool {
    if n.ascii {
        hay.len() >= n.raw.len() && hay.as_bytes()[..n.raw.len()].eq_ignore_ascii_case(n.lower.as_bytes())
    } else {
        hay.to_lowercase().starts_with(&n.lower)
    }
}

pub fn ends_ci(hay: &str, n: &Needle) -> bool {
    if n.ascii {
        hay.len() >= n.raw.len() && hay.as_bytes()[hay.len() - n.raw.len()..].eq_ignore_ascii_case(n.lower.as_bytes())
    } else {
        hay.to_lowercase().ends_with(&n.lower)
    }
}

/// `has`: the needle occurs aligned with term boundaries.
pub fn has(hay: &str, n: &Needle, cs: bool) -> bool {
    if n.raw.is_empty() {
        return true;
    }
    any_hit(hay, n, cs, |s, e| boundary_before(hay, s) && boundary_after(hay, e))
}

pub fn has_prefix(hay: &str, n: &Needle, cs: bool) -> bool {
    if n.raw.is_empty() {
        return true;
    }
    any_hit(hay, n, cs, |s, _| boundary_before(hay, s))
}

pub fn has_suffix(hay: &str, n: &Needle, cs: bool) -> bool {
    if n.raw.is_empty() {
        return true;
    }
    any_hit(hay, n, cs, |_, e| boundary_after(hay, e))
}

/// The terms of a string (lower-cased), for `has_any` over many single-term needles. Terms
/// that are already lower-case ASCII are borrowed.
pub fn terms_lower(hay: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    hay.split(|c: char| !is_term_char(c)).filter(|t| !t.is_empty()).map(|t| {
        if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Borrowed(t)
        } else {
            std::borrow::Cow::Owned(t.to_lowercase())
        }
    })
}

pub fn is_single_term(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_term_char)
}

/// Evaluates a string operator (other than `matches regex`) on one haystack.
pub fn eval_str_op(op: StrOp, hay: &str, n: &Needle) -> bool {
    match op {
        StrOp::Contains => contains_ci(hay, n),
        StrOp::ContainsCs => hay.contains(n.raw.as_str()),
        StrOp::Has => has(hay, n, false),
        StrOp::HasCs => has(hay, n, true),
        StrOp::HasPrefix => has_prefix(hay, n, false),
        StrOp::HasPrefixCs => has_prefix(hay, n, true),
        StrOp::HasSuffix => has_suffix(hay, n, false),
        StrOp::HasSuffixCs => has_suffix(hay, n, true),
        StrOp::StartsWith => starts_ci(hay, n),
        StrOp::StartsWithCs => hay.starts_with(n.raw.as_str()),
        StrOp::EndsWith => ends_ci(hay, n),
        StrOp::EndsWithCs => hay.ends_with(n.raw.as_str()),
        StrOp::MatchesRegex => false,
    }
}

/// Bytes of the dictionary lowered and searched at a time: small enough to stay in the cache
/// between the lowering and the searches.
const SCAN_CHUNK: usize = 1 << 16;

/// The entries of `dict` that may satisfy a predicate implying "contains one of `needles`,
/// ASCII letters compared case-insensitively": those that contain one of them, and every
/// entry with a non-ASCII byte (where Unicode case rules could matter). Each needle must be
/// non-empty lower-case ASCII.
///
/// The search runs over the dictionary's bytes end to end, a chunk at a time: the chunk is
/// lowered (ASCII letters only, a loop the compiler vectorises), then each needle is found
/// with `memchr::memmem` (SIMD, many bytes per step), and a hit is mapped to its entry through
/// the offsets. A hit that runs across two entries is skipped and the search goes on one byte
/// later; after a hit inside an entry it resumes at that entry's end. On a column with one
/// entry per row (a tracking parameter in every URL) this replaces a per-entry call and
/// byte-by-byte loop (BENCHMARKS.md, "Data from another generator").
pub fn dict_candidates(dict: &StrDict, needles: &[&[u8]]) -> Vec<bool> {
    let n = dict.len();
    let mut hit = vec![false; n];
    if n == 0 {
        return hit;
    }
    let bytes = dict.bytes();
    let total = bytes.len();
    let start_of = |k: usize| dict.span(k as u32).0;
    let end_of = |k: usize| dict.span(k as u32).1;
    let finders: Vec<memchr::memmem::Finder<'_>> = needles.iter().map(memchr::memmem::Finder::new).collect();
    let longest = needles.iter().map(|nd| nd.len()).max().unwrap_or(1);
    let mut buf: Vec<u8> = Vec::with_capacity(SCAN_CHUNK + longest);
    let mut chunk_start = 0;
    // The entry holding byte `chunk_start`: offsets only grow, so a cursor finds entries.
    let mut first_entry = 0usize;
    while chunk_start < total {
        let chunk_end = (chunk_start + SCAN_CHUNK).min(total);
        // Matches starting in the chunk may end up to `longest - 1` bytes past it.
        let view_end = (chunk_end + longest - 1).min(total);
        let src = &bytes[chunk_start..view_end];
        lower_ascii_into(src, &mut buf);
        let non_ascii = any_non_ascii(&src[..chunk_end - chunk_start]);
        while first_entry + 1 < n && end_of(first_entry) <= chunk_start {
            first_entry += 1;
        }
        if non_ascii {
            let mut k = first_entry;
            for (i, &b) in src[..chunk_end - chunk_start].iter().enumerate() {
                if b >= 0x80 {
                    let pos = chunk_start + i;
                    while end_of(k) <= pos {
                        k += 1;
                    }
                    hit[k] = true;
                }
            }
        }
        for (f, nd) in finders.iter().zip(needles) {
            let mut at = 0usize;
            let mut k = first_entry;
            while at < chunk_end - chunk_start {
                let Some(p) = f.find(&buf[at..]) else { break };
                let pos = chunk_start + at + p;
                if pos >= chunk_end {
                    break;
                }
                while end_of(k) <= pos {
                    k += 1;
                }
                // Empty entries end where they start: skip past them to the one holding `pos`.
                if start_of(k) <= pos && pos + nd.len() <= end_of(k) {
                    hit[k] = true;
                    at = end_of(k).max(pos + 1) - chunk_start;
                } else {
                    at = pos + 1 - chunk_start;
                }
            }
        }
        chunk_start = chunk_end;
    }
    hit
}

/// A string predicate over a dictionary column, evaluated per entry but with `exact` run only
/// on the entries [`dict_candidates`] finds; every other entry gets `absent`. `exact` must be
/// false (or, for `absent == true`, true) on every entry that contains none of `needles`
/// ASCII-case-insensitively and is ASCII. `None` when the dictionary is much larger than the
/// column (then a per-row evaluation reads fewer bytes) or the search does not apply.
pub fn dict_prefiltered(c: &StrColumn, len: usize, needles: &[String], exact: &dyn Fn(&str) -> bool, absent: bool) -> Option<Vec<bool>> {
    if needles.is_empty() || needles.iter().any(|n| n.is_empty() || !n.is_ascii()) || c.dict.len() > len.saturating_mul(2).max(64) {
        return None;
    }
    let lowered: Vec<Vec<u8>> = needles.iter().map(|n| n.to_ascii_lowercase().into_bytes()).collect();
    let refs: Vec<&[u8]> = lowered.iter().map(|v| v.as_slice()).collect();
    let mut lut = dict_candidates(&c.dict, &refs);
    for (k, m) in lut.iter_mut().enumerate() {
        *m = if *m { exact(c.dict.get(k as u32)) } else { absent };
    }
    Some(crate::table::with_codes!(&c.codes, |codes| lut_by_code(&lut, codes)))
}

/// Each row's entry of `lut`, looked up by the row's dictionary code. An indexed loop: the
/// size-optimised web build leaves an iterator adapter's closure as a call per row.
#[allow(clippy::needless_range_loop)]
pub fn lut_by_code<C: crate::table::Code>(lut: &[bool], codes: &[C]) -> Vec<bool> {
    let mut out = vec![false; codes.len()];
    let o = out.as_mut_slice();
    for i in 0..codes.len() {
        o[i] = lut[codes[i].ix()];
    }
    out
}

/// Eight bytes, each with its high bit set.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// Eight bytes of `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// `src` with ASCII letters lowered (every other byte as it is) into `out`. Natively a byte
/// loop, which LLVM vectorises; in the web build [`lower_ascii_words`].
pub fn lower_ascii_into(src: &[u8], out: &mut Vec<u8>) {
    if cfg!(target_arch = "wasm32") {
        lower_ascii_words(src, out);
    } else {
        out.clear();
        out.extend(src.iter().map(|&b| b | (u8::from(b.wrapping_sub(b'A') < 26) << 5)));
    }
}

/// Whether any byte of `src` is not ASCII (natively vectorised; [`any_non_ascii_words`] in
/// the web build).
pub fn any_non_ascii(src: &[u8]) -> bool {
    if cfg!(target_arch = "wasm32") {
        any_non_ascii_words(src)
    } else {
        src.iter().fold(0u8, |a, &b| a | b) >= 0x80
    }
}

/// [`lower_ascii_into`] eight bytes at a time in a 64-bit word: the web build is optimised
/// for size, which turns off LLVM's loop vectoriser, so a byte loop there runs a byte per
/// step (the largest item in the worker's profile of `Url contains`, BENCHMARKS.md "Where
/// the wasm time goes", point 7).
pub fn lower_ascii_words(src: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.resize(src.len(), 0);
    let body = src.len() / 8 * 8;
    let mut i = 0;
    while i < body {
        let w = u64::from_le_bytes(src[i..i + 8].try_into().expect("eight bytes"));
        // Per byte, on its low seven bits (no carry crosses a byte): the high bit of
        // `x + 0x3f` is set from 'A' (0x41) up, that of `x + 0x25` from '[' (0x5b) up.
        let x = w & !HIGH_BITS;
        let upper = (x + splat(0x3f)) & !(x + splat(0x25)) & !w & HIGH_BITS;
        out[i..i + 8].copy_from_slice(&(w | (upper >> 2)).to_le_bytes());
        i += 8;
    }
    for j in body..src.len() {
        let b = src[j];
        out[j] = b | (u8::from(b.wrapping_sub(b'A') < 26) << 5);
    }
}

/// Whether any byte of `src` is not ASCII, eight bytes at a time (see [`lower_ascii_words`]).
pub fn any_non_ascii_words(src: &[u8]) -> bool {
    let body = src.len() / 8 * 8;
    let mut acc = 0u64;
    let mut i = 0;
    while i < body {
        acc |= u64::from_le_bytes(src[i..i + 8].try_into().expect("eight bytes"));
        i += 8;
    }
    let tail = src[body..].iter().fold(0u8, |a, &b| a | b);
    acc & HIGH_BITS != 0 || tail >= 0x80
}

/// Whether `op` being true on a haystack implies the haystack contains the needle (ASCII
/// letters compared case-insensitively), so [`dict_prefiltered`] may skip the other entries.
pub fn implies_contains(op: StrOp) -> bool {
    use StrOp::*;
    matches!(op, Contains | ContainsCs | Has | HasCs | HasPrefix | HasPrefixCs | HasSuffix | HasSuffixCs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hay: &str, n: &str) -> bool {
        has(hay, &Needle::new(n), false)
    }

    /// The first-byte filter `b | 0x20` also lets through bytes that are not the needle's
    /// first character in either case (`\r` for `-`, `` ` `` for `@`); the full comparison
    /// must reject them.
    #[test]
    fn word_at_a_time_lowering_and_ascii_check_agree_with_the_byte_rules() {
        // Every byte value at every position of a word, and lengths that leave a tail.
        for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 40] {
            for pos in 0..len.max(1) {
                for b in 0..=255u8 {
                    let mut src = vec![b'q'; len];
                    if len > 0 {
                        src[pos] = b;
                    }
                    let want: Vec<u8> = src.iter().map(|&c| if c.is_ascii_uppercase() { c + 32 } else { c }).collect();
                    let (mut words, mut bytes) = (Vec::new(), Vec::new());
                    super::lower_ascii_words(&src, &mut words);
                    super::lower_ascii_into(&src, &mut bytes);
                    assert_eq!(words, want, "byte {b:#x} at {pos} of {len}");
                    assert_eq!(bytes, want, "byte {b:#x} at {pos} of {len}");
                    assert_eq!(super::any_non_ascii_words(&src), !src.is_ascii(), "byte {b:#x} at {pos} of {len}");
                    assert_eq!(super::any_non_ascii(&src), !src.is_ascii(), "byte {b:#x} at {pos} of {len}");
                }
            }
        }
    }

    #[test]
    fn contains_ci_first_byte_filter() {
        let c = |hay: &str, n: &str| contains_ci(hay, &Needle::new(n));
        assert!(c("https://CONTOSO-LOGIN.com", "contoso-login"));
        assert!(c("https://contoso-login.com", "Contoso-Login"));
        assert!(c("xxab", "AB"));
        assert!(c("ab", "ab") && c("Ab", "aB"));
        assert!(!c("x\ra", "-a"));
        assert!(c("x-a", "-A"));
        assert!(!c("`x", "@x"));
        assert!(c("@X", "@x"));
        assert!(!c("contoso-logi", "contoso-login"));
        assert!(!c("a", "ab"));
        assert!(c("anything", ""));
        // The last possible start position is checked.
        assert!(c("xxxxab", "ab") && !c("xxxxa", "ab"));
    }

    #[test]
    fn has_is_term_based() {
        assert!(h("https://contoso-login.com/verify", "contoso"));
        assert!(h("https://contoso-login.com/verify", "LOGIN"));
        assert!(h("https://contoso-login.com/verify", "contoso-login.com"));
        assert!(!h("https://contoso-login.com/verify", "logi"));
        assert!(!h("logins", "login"));
        assert!(h("Phish,Malware", "phish"));
        assert!(!h("", "x"));
        assert!(h("x", ""));
        assert!(has_prefix("user logins", &Needle::new("log"), false));
        assert!(!has_prefix("blog", &Needle::new("log"), false));
        assert!(has_suffix("blog post", &Needle::new("log"), false));
    }

    #[test]
    fn case_insensitive_forms() {
        assert!(contains_ci("Hello World", &Needle::new("o w")));
        assert!(contains_ci("ÉCOLE", &Needle::new("école")));
        assert!(starts_ci("Contoso", &Needle::new("CON")));
        assert!(ends_ci("Contoso", &Needle::new("SO")));
        assert!(eq_ci("ABC", &Needle::new("abc")));
        assert!(!starts_ci("ab", &Needle::new("abc")));
    }
}
