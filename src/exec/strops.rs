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
        // Candidates from a SIMD search for the needle's first byte in either case
        // (`kqlab_kernels`, built for speed in the web build too).
        let mut from = 0;
        while let Some(i) = kqlab_kernels::find_ascii_ci(hb, nb, from) {
            if pred(i, i + len) {
                return true;
            }
            from = i + 1;
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

/// The entries of `dict` that may satisfy a predicate implying "contains one of `needles`,
/// ASCII letters compared case-insensitively": those that contain one of them, and every
/// entry with a non-ASCII byte (where Unicode case rules could matter). Each needle must be
/// non-empty lower-case ASCII.
///
/// One search over the dictionary's bytes end to end (`kqlab_kernels::dict_candidates`: a
/// chunk lowered, then `memchr::memmem` per needle, a hit mapped to its entry through the
/// offsets) instead of a call and a byte loop per entry. On a column with one entry per row
/// (a tracking parameter in every URL) that is what keeps `contains` ahead (BENCHMARKS.md,
/// "Data from another generator").
pub fn dict_candidates(dict: &StrDict, needles: &[&[u8]]) -> Vec<bool> {
    kqlab_kernels::dict_candidates(dict.bytes(), dict.offsets(), needles)
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
    Some(lut_by_code(&lut, &c.codes))
}

/// Each row's entry of `lut`, looked up by the row's dictionary code (a loop of
/// `kqlab_kernels`, built for speed in the web build too).
pub fn lut_by_code(lut: &[bool], codes: &crate::table::Codes) -> Vec<bool> {
    match codes {
        crate::table::Codes::U8(c) => kqlab_kernels::lut_by_code_u8(lut, c),
        crate::table::Codes::U16(c) => kqlab_kernels::lut_by_code_u16(lut, c),
        crate::table::Codes::U32(c) => kqlab_kernels::lut_by_code_u32(lut, c),
    }
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

    /// The first byte is searched in both cases; bytes that only look alike after `| 0x20`
    /// (`\r` for `-`, `` ` `` for `@`) must not match.
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
