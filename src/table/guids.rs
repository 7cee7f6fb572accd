//! `string` columns whose values are GUIDs, stored as 128-bit numbers.
//!
//! Many identifier columns of the Defender tables (`ReportId`, `NetworkMessageId`, …) are
//! `string` in Microsoft's schema but hold one GUID per row in Kusto's text form: lower case,
//! `8-4-4-4-12`. As dictionary text each costs 36 bytes plus a 4-byte offset and a 4-byte code
//! per row; as a number it costs 16. [`GuidColumn`] is that number form. It is only a storage
//! choice, like the dictionary: the column's type stays `string`, [`Column::value`] gives the
//! same text, and the executor turns the column into ordinary text wherever an expression reads
//! it (`exec::eval`), except on the paths that work on the numbers directly (grouping keys,
//! `dcount`, join keys, sorting, filters comparing with a constant).
//!
//! The empty string (a row without a GUID) is stored as 0. The nil GUID
//! (`00000000-0000-0000-0000-000000000000`) would also be 0, so a column that holds it is not
//! encoded. Because every value has the same length and the hex digits `0-9a-f` sort in ASCII
//! order, comparing the numbers gives the byte-wise order of the texts, with the empty string
//! first: sorting needs no text.
//!
//! [`Column::value`]: super::Column::value

use super::hash::FxHashMap;
use super::strings::{StrColumn, StrDict};
use super::{Column, Table};
use std::sync::Arc;

/// GUID texts as 128-bit values; 0 is the empty string.
#[derive(Clone, Debug, PartialEq)]
pub struct GuidColumn {
    pub values: Vec<u128>,
}

/// Kusto's text form of a GUID is 36 characters.
pub const GUID_TEXT_LEN: usize = 36;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Byte positions of the hyphens in the text form.
#[inline]
fn is_hyphen_at(i: usize) -> bool {
    matches!(i, 8 | 13 | 18 | 23)
}

/// The value of a GUID written in Kusto's text form (lower-case hex, `8-4-4-4-12`), or `None`
/// for any other text (upper case, braces, another length, the nil GUID).
pub fn parse_guid_text(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != GUID_TEXT_LEN {
        return None;
    }
    let mut v: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if is_hyphen_at(i) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u128::from(d);
    }
    (v != 0).then_some(v)
}

/// Writes the text form of `v` into `buf` and returns it (the empty string for 0).
#[inline]
pub fn format_guid(v: u128, buf: &mut [u8; GUID_TEXT_LEN]) -> &str {
    if v == 0 {
        return "";
    }
    let mut digit = 32;
    for (i, out) in buf.iter_mut().enumerate() {
        if is_hyphen_at(i) {
            *out = b'-';
        } else {
            digit -= 1;
            *out = HEX[((v >> (4 * digit)) & 15) as usize];
        }
    }
    std::str::from_utf8(buf).expect("hex digits and hyphens are ASCII")
}

impl GuidColumn {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The text at row `i`, written into `buf`.
    #[inline]
    pub fn get<'a>(&self, i: usize, buf: &'a mut [u8; GUID_TEXT_LEN]) -> &'a str {
        format_guid(self.values[i], buf)
    }

    /// The text at row `i`, owned.
    pub fn text(&self, i: usize) -> String {
        let mut buf = [0u8; GUID_TEXT_LEN];
        self.get(i, &mut buf).to_string()
    }

    /// The number form of a string column, if every value in use is a GUID in Kusto's text
    /// form or empty. Each dictionary entry is parsed once.
    pub fn from_str_column(s: &StrColumn) -> Option<GuidColumn> {
        const UNSEEN: u8 = 0;
        const OK: u8 = 1;
        let mut state = vec![UNSEEN; s.dict.len()];
        let mut parsed = vec![0u128; s.dict.len()];
        let mut values = Vec::with_capacity(s.codes.len());
        crate::table::with_codes!(&s.codes, |codes| {
            for &c in codes {
                let k = c as usize;
                if state[k] == UNSEEN {
                    let text = s.dict.get(super::strings::Code::code(c));
                    parsed[k] = if text.is_empty() { 0 } else { parse_guid_text(text)? };
                    state[k] = OK;
                }
                values.push(parsed[k]);
            }
        });
        Some(GuidColumn { values })
    }

    /// The same values as dictionary text, one entry per row (the form every string kernel
    /// reads).
    pub fn to_str_column(&self) -> StrColumn {
        let n = self.values.len();
        let mut bytes = String::with_capacity(n * GUID_TEXT_LEN);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut buf = [0u8; GUID_TEXT_LEN];
        for &v in &self.values {
            bytes.push_str(format_guid(v, &mut buf));
            offsets.push(bytes.len() as u32);
        }
        let dict = StrDict::from_packed(bytes, offsets).expect("offsets are written in order on ASCII text");
        StrColumn { dict: Arc::new(dict), codes: crate::table::Codes::identity(n) }
    }

    pub fn take(&self, idx: &[u32]) -> GuidColumn {
        let v = self.values.as_slice();
        GuidColumn { values: idx.iter().map(|&i| v[i as usize]).collect() }
    }

    pub fn slice(&self, start: usize, len: usize) -> GuidColumn {
        GuidColumn { values: self.values[start..start + len].to_vec() }
    }

    pub fn heap_bytes(&self) -> usize {
        self.values.len() * std::mem::size_of::<u128>()
    }

    /// Per-row codes, equal values sharing one, numbered in the order of first appearance,
    /// and how many there are (a grouping key without text).
    pub fn key_codes(&self) -> (Vec<u32>, usize) {
        let mut map: FxHashMap<u128, u32> = FxHashMap::default();
        map.reserve(self.values.len().min(1 << 20));
        let codes = self
            .values
            .iter()
            .map(|&v| {
                let n = map.len() as u32;
                *map.entry(v).or_insert(n)
            })
            .collect();
        let n = map.len();
        (codes, n)
    }

    /// Each row's rank in the byte-wise order of the texts, equal texts sharing a rank (what
    /// sorting by a string column uses).
    pub fn ranks(&self) -> Vec<u32> {
        let order = crate::util::sort::order(self.values.len(), &mut |a, b| self.values[a].cmp(&self.values[b]));
        let mut rank = vec![0u32; self.values.len()];
        let mut r = 0u32;
        for (k, &row) in order.iter().enumerate() {
            if k > 0 && self.values[order[k - 1] as usize] != self.values[row as usize] {
                r += 1;
            }
            rank[row as usize] = r;
        }
        rank
    }
}

/// A string column in its GUID number form, when every value is a GUID (or empty) and the
/// number form is smaller than the dictionary; `None` otherwise.
pub fn encode(c: &Column) -> Option<GuidColumn> {
    let Column::String(s) = c else { return None };
    let rows = s.codes.len();
    if rows == 0 || s.heap_bytes() <= rows * std::mem::size_of::<u128>() {
        return None;
    }
    let g = GuidColumn::from_str_column(s)?;
    g.values.iter().any(|&v| v != 0).then_some(g)
}

/// The table with each string column that holds only GUIDs (see [`encode`]) stored as
/// numbers. Values, types and column order are unchanged.
pub fn encode_guid_columns(t: Table) -> Table {
    let len = t.len();
    let columns = t.columns.iter().map(|c| if let Some(g) = encode(c) { Arc::new(Column::GuidText(g)) } else { c.clone() }).collect();
    Table::with_len(t.fields, columns, len)
}

/// Join key codes for two string columns when at least one is in GUID number form: both sides
/// in one code space (equal texts, equal codes), `u32::MAX` for a key that matches nothing (an
/// empty string, which never equals a right-side GUID text unless the right side has it too,
/// is a key like any other). `None` when neither column is in number form or one side is not
/// a string column.
pub fn join_key_codes(l: &Column, r: &Column) -> Option<(Vec<u32>, Vec<u32>)> {
    // One side as numbers; a text side's entries that are not GUIDs match nothing on the
    // other side unless they are empty (0 in both forms).
    fn as_numbers(c: &Column) -> Option<std::borrow::Cow<'_, [u128]>> {
        match c {
            Column::GuidText(g) => Some(std::borrow::Cow::Borrowed(&g.values)),
            Column::String(s) => {
                // u128::MAX is no valid text form (its hyphens would be digits): a non-GUID.
                let lut: Vec<u128> = s.dict.iter().map(|t| if t.is_empty() { 0 } else { parse_guid_text(t).unwrap_or(u128::MAX) }).collect();
                Some(std::borrow::Cow::Owned(crate::table::with_codes!(&s.codes, |c| c.iter().map(|&k| lut[k as usize]).collect())))
            }
            _ => None,
        }
    }
    if !matches!(l, Column::GuidText(_)) && !matches!(r, Column::GuidText(_)) {
        return None;
    }
    let (lv, rv) = (as_numbers(l)?, as_numbers(r)?);
    Some(partitioned_codes(&lv, &rv))
}

/// A 64-bit hash of a 128-bit value with every bit mixed (the partition takes the high bits,
/// the slot the low ones). 64-bit arithmetic only: the wasm build emulates 128-bit multiplies.
#[inline]
fn mix128(v: u128) -> u64 {
    #[inline]
    fn fmix(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fmix((v as u64) ^ fmix((v >> 64) as u64 ^ 0x9e37_79b9_7f4a_7c15))
}

/// Codes in one space for the values of two sides (u128::MAX: a value that matches nothing,
/// code `u32::MAX`): a left value's code is the first left row that holds it, right values
/// equal to one get the same code, others `u32::MAX`. Numbering codes by left row keeps the
/// join's per-key arrays in the left side's order, so its pass over the left rows reads them
/// in order; and a left row whose value is new (every row, when the left keys are unique) is
/// its own code, written in one sequential pass.
///
/// With millions of distinct keys a single hash table misses the cache (and the TLB) on every
/// lookup. So both sides are first copied into groups by the high bits of their values' hash
/// (a counting sort of (value, row) pairs, at most 1,024 groups so the scattered writes stay
/// within reach of the TLB), and each group is then matched with a hash table small enough for
/// the cache, reading its values in order. Besides the two code arrays the answer needs, the
/// working memory is the two grouped copies (20 bytes a row) and one group's table.
fn partitioned_codes(lv: &[u128], rv: &[u128]) -> (Vec<u32>, Vec<u32>) {
    const NONE: u32 = u32::MAX;
    // About 8,192 left rows per group, at most 1,024 groups.
    let pbits = (usize::BITS - (lv.len() / 8192).leading_zeros()).min(10);
    let parts = 1usize << pbits;
    let part_of = |h: u64| if pbits == 0 { 0 } else { (h >> (64 - pbits)) as usize };
    struct Grouped {
        values: Vec<u128>,
        rows: Vec<u32>,
        start: Vec<usize>,
    }
    let group = |vals: &[u128]| -> Grouped {
        let mut start = vec![0usize; parts + 1];
        for &v in vals {
            if v != u128::MAX {
                start[part_of(mix128(v)) + 1] += 1;
            }
        }
        for p in 0..parts {
            start[p + 1] += start[p];
        }
        let mut fill = start.clone();
        let n = start[parts];
        let mut values = vec![0u128; n];
        let mut rows = vec![0u32; n];
        for (i, &v) in vals.iter().enumerate() {
            if v != u128::MAX {
                let p = part_of(mix128(v));
                let at = fill[p];
                values[at] = v;
                rows[at] = i as u32;
                fill[p] = at + 1;
            }
        }
        Grouped { values, rows, start }
    };
    let (lg, rg) = (group(lv), group(rv));
    let mut lc: Vec<u32> = lv.iter().enumerate().map(|(i, &v)| if v == u128::MAX { NONE } else { i as u32 }).collect();
    let mut rc = vec![NONE; rv.len()];
    // One group's table: the value and its code in each slot (a code of NONE: a free slot).
    let mut slots: Vec<(u128, u32)> = Vec::new();
    for p in 0..parts {
        let (a, b) = (lg.start[p], lg.start[p + 1]);
        if a == b {
            continue;
        }
        let cap = ((b - a) * 2).next_power_of_two();
        let mask = cap - 1;
        slots.clear();
        slots.resize(cap, (0, NONE));
        // Rows of a group are in ascending order, so the first row of a value claims its slot.
        for (&v, &row) in lg.values[a..b].iter().zip(&lg.rows[a..b]) {
            let mut at = mix128(v) as usize & mask;
            loop {
                let (sv, code) = slots[at];
                if code == NONE {
                    slots[at] = (v, row);
                    break;
                }
                if sv == v {
                    lc[row as usize] = code;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        let (a, b) = (rg.start[p], rg.start[p + 1]);
        for (&v, &row) in rg.values[a..b].iter().zip(&rg.rows[a..b]) {
            let mut at = mix128(v) as usize & mask;
            loop {
                let (sv, code) = slots[at];
                if code == NONE {
                    break;
                }
                if sv == v {
                    rc[row as usize] = code;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }
    (lc, rc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const G1: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const G2: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    #[test]
    fn text_form_round_trips_and_only_kustos_form_parses() {
        for g in [G1, G2, "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000001"] {
            let v = parse_guid_text(g).expect("canonical");
            let mut buf = [0u8; GUID_TEXT_LEN];
            assert_eq!(format_guid(v, &mut buf), g);
        }
        for bad in [
            "",
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "0f8fad5b-d9cb-469f-a165_70867728950e",
            "00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(parse_guid_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn number_order_is_text_order_with_empty_first() {
        let mut texts =
            vec![G2, "", G1, "0f8fad5b-d9cb-469f-a165-70867728950f", "a0000000-0000-4000-8000-000000000000", "9fffffff-ffff-4fff-bfff-ffffffffffff"];
        let s = StrColumn::from_strs(texts.iter().copied());
        let g = GuidColumn::from_str_column(&s).expect("all GUIDs or empty");
        let ranks = g.ranks();
        let mut by_rank: Vec<(u32, String)> = ranks.iter().enumerate().map(|(i, &r)| (r, g.text(i))).collect();
        by_rank.sort();
        texts.sort();
        assert_eq!(by_rank.into_iter().map(|x| x.1).collect::<Vec<_>>(), texts);
    }

    #[test]
    fn encodes_only_all_guid_columns_that_get_smaller() {
        let many: Vec<String> = (1..=100u128).map(|i| format_guid(i * 0x1234_5678_9abc_def0_1111, &mut [0u8; 36]).to_string()).collect();
        let mut with_empty: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
        with_empty[7] = "";
        let g = encode(&Column::String(StrColumn::from_strs(with_empty.iter().copied()))).expect("GUIDs and one empty");
        assert_eq!(g.text(7), "");
        assert_eq!(g.text(8), many[8]);
        assert_eq!(g.heap_bytes(), 100 * 16);
        // One value that is not a GUID in Kusto's form keeps the text.
        let mut upper = with_empty.clone();
        let up = many[3].to_uppercase();
        upper[3] = &up;
        assert!(encode(&Column::String(StrColumn::from_strs(upper.iter().copied()))).is_none());
        // One GUID repeated on every row is smaller as a dictionary.
        assert!(encode(&Column::String(StrColumn::from_strs(std::iter::repeat_n(G1, 100)))).is_none());
        // Only empty strings: nothing to encode.
        assert!(encode(&Column::String(StrColumn::from_strs_plain(std::iter::repeat_n("", 100)))).is_none());
    }

    #[test]
    fn join_codes_match_equal_texts_across_forms() {
        let l = Column::GuidText(GuidColumn::from_str_column(&StrColumn::from_strs([G1, G2, "", G1])).unwrap());
        let r = Column::String(StrColumn::from_strs([G2, "not a guid", G1, "", "7C9E6679-7425-40DE-944B-E07FC1F90AE7"]));
        let (lc, rc) = join_key_codes(&l, &r).expect("one side in number form");
        assert_eq!(lc[0], lc[3]);
        assert_eq!(rc[0], lc[1]);
        assert_eq!(rc[1], u32::MAX);
        assert_eq!(rc[2], lc[0]);
        assert_eq!(rc[3], lc[2]);
        assert_eq!(rc[4], u32::MAX, "text comparison is case-sensitive");
        assert!(join_key_codes(&r, &r).is_none());
    }
}
