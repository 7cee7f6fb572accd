//! The executor's fast paths (issue 17) give the same answers as the general paths they
//! replace, on data shaped to defeat them: rows in random order with distinct sub-second
//! times, a string dictionary with one entry per row, matches across entry and chunk
//! boundaries, non-ASCII text.

use kqlab::engine::{self, RunOptions};
use kqlab::exec::strops::{dict_candidates, dict_prefiltered};
use kqlab::table::{Catalog, Column, Field, Prim, StrColumn, StrDict, Table, TableDoc};
use kqlab::types::DataType;
use std::sync::Arc;

/// A small seeded generator (xorshift), so the tests need no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const TICKS_PER_SECOND: i64 = 10_000_000;

/// `n` clicks in random order, microsecond timestamps (all distinct) over ten days before
/// 2026-11-22, a few null times, and a unique URL per row.
fn clicks(n: usize) -> Catalog {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let end = kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").expect("a datetime");
    let span = 10 * 24 * 3600 * TICKS_PER_SECOND;
    let mut times = Vec::with_capacity(n);
    let mut valid = Vec::with_capacity(n);
    let mut urls = Vec::with_capacity(n);
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let us = (rng.next() % (span as u64 / 10)) as i64 * 10 + (i as i64 % 10);
        times.push(end - span + us);
        valid.push(i % 997 != 5);
        let host = ["contoso.sharepoint.com", "Contoso-Login.secure.example", "learn.microsoft.com", "xn--bcher.example/Bücher"][(rng.next() % 4) as usize];
        urls.push(format!("https://{host}/p{}?ctid={:x}", rng.next() % 50, rng.next()));
        users.push(format!("user{}@contoso.com", rng.next() % 7));
    }
    let url_refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let user_refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let t = Table::new(
        vec![Field::new("Timestamp", DataType::DateTime), Field::new("Url", DataType::String), Field::new("AccountUpn", DataType::String)],
        vec![
            Arc::new(Column::DateTime(Prim::with_validity(times, valid))),
            Arc::new(Column::String(StrColumn::from_strs_plain(url_refs))),
            Arc::new(Column::String(StrColumn::from_strs(user_refs))),
        ],
    );
    let mut cat = Catalog::new();
    cat.insert("Clicks", t, TableDoc::default());
    cat
}

/// The rows of a result, as text, in order.
fn rows(q: &str, cat: &Catalog) -> Vec<Vec<String>> {
    let r = engine::run(q, cat, &RunOptions::default()).unwrap_or_else(|e| panic!("{q}: {e:?}"));
    (0..r.table.len()).map(|i| r.table.columns.iter().map(|c| c.value(i).to_display()).collect()).collect()
}

#[test]
fn time_bins_on_random_order_sub_second_times_group_as_the_general_path_does() {
    let cat = clicks(20_000);
    // `extend` first makes the key a plain column: the general (hashing) path.
    for (fast, general) in [
        ("Clicks | summarize n = count() by bin(Timestamp, 1h)", "Clicks | extend b = bin(Timestamp, 1h) | summarize n = count() by b"),
        (
            "Clicks | summarize n = count(), u = dcount(AccountUpn) by bin(Timestamp, 7d)",
            "Clicks | extend b = bin(Timestamp, 7d) | summarize n = count(), u = dcount(AccountUpn) by b",
        ),
        ("Clicks | summarize n = count() by AccountUpn, bin(Timestamp, 1d)", "Clicks | extend b = bin(Timestamp, 1d) | summarize n = count() by AccountUpn, b"),
        ("Clicks | summarize n = count() by bin(Timestamp, 1ms)", "Clicks | extend b = bin(Timestamp, 1ms) | summarize n = count() by b"),
        (
            "Clicks | where Timestamp > datetime(2030-01-01) | summarize n = count() by bin(Timestamp, 1h)",
            "Clicks | where Timestamp > datetime(2030-01-01) | extend b = bin(Timestamp, 1h) | summarize n = count() by b",
        ),
        (
            "Clicks | extend s = Timestamp - datetime(2026-11-12) | summarize n = count() by bin(s, 90m)",
            "Clicks | extend s = Timestamp - datetime(2026-11-12) | extend b = bin(s, 90m) | summarize n = count() by b",
        ),
        (
            "Clicks | extend x = tolong(Timestamp) % 1000 - 500 | summarize n = count() by bin(x, 7)",
            "Clicks | extend x = tolong(Timestamp) % 1000 - 500 | extend b = bin(x, 7) | summarize n = count() by b",
        ),
    ] {
        let (a, b) = (rows(fast, &cat), rows(general, &cat));
        assert_eq!(a, b, "{fast}");
    }
    // The null times form their own group, with a null key.
    let hourly = rows("Clicks | summarize n = count() by bin(Timestamp, 1h)", &cat);
    assert!(hourly.iter().any(|r| r[0].is_empty()), "a group of null times");
    assert!(hourly.len() > 200, "ten days of hours: {}", hourly.len());
}

/// The reference for `contains` with an ASCII needle: ASCII letters folded, nothing else.
fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
}

#[test]
fn the_dictionary_search_finds_every_entry_holding_a_needle_and_no_other() {
    // Entries whose concatenation holds the needle across a boundary ("ab" + "aba"), empty
    // entries, a needle at the very start and end, and enough bytes for several chunks.
    let mut entries: Vec<String> = vec!["".into(), "ab".into(), "aba".into(), "".into(), "xAbA".into(), "b".into(), "a".into()];
    let mut rng = Rng(42);
    while entries.iter().map(String::len).sum::<usize>() < 300_000 {
        let n = (rng.next() % 40) as usize;
        let s: String = (0..n).map(|_| b"abAB-./x"[(rng.next() % 8) as usize] as char).collect();
        entries.push(s);
    }
    entries.push("ééaba".into());
    entries.push("tail-aba".into());
    let dict = StrDict::from_strings(entries.iter().map(String::as_str));
    for needles in [vec!["aba"], vec!["a"], vec!["ab.", "-b"], vec!["xx", "ba-a"]] {
        let nb: Vec<&[u8]> = needles.iter().map(|n| n.as_bytes()).collect();
        let got = dict_candidates(&dict, &nb);
        for (k, e) in entries.iter().enumerate() {
            let want = needles.iter().any(|n| contains_ascii_ci(e, n));
            // Entries with non-ASCII bytes are always candidates (the exact check decides).
            assert_eq!(got[k], want || !e.is_ascii(), "entry {k} {e:?}, needles {needles:?}");
        }
    }
}

#[test]
fn contains_and_has_any_on_a_column_with_a_url_per_row_match_a_row_by_row_reference() {
    let cat = clicks(30_000);
    let r = engine::run("Clicks", &cat, &RunOptions::default()).expect("runs");
    let urls: Vec<String> = (0..r.table.len()).map(|i| r.table.columns[1].value(i).to_display()).collect();
    let count = |q: &str| -> usize { engine::run(q, &cat, &RunOptions::default()).unwrap_or_else(|e| panic!("{q}: {e:?}")).table.len() };
    for needle in ["contoso-login", "CTID=a", "/p4", "bücher", "ü", "?"] {
        let want =
            urls.iter().filter(|u| if needle.is_ascii() { contains_ascii_ci(u, needle) } else { u.to_lowercase().contains(&needle.to_lowercase()) }).count();
        assert_eq!(count(&format!("Clicks | where Url contains {needle:?}")), want, "contains {needle}");
        assert_eq!(count(&format!("Clicks | where Url !contains {needle:?}")), urls.len() - want, "!contains {needle}");
        let cs = urls.iter().filter(|u| u.contains(needle)).count();
        assert_eq!(count(&format!("Clicks | where Url contains_cs {needle:?}")), cs, "contains_cs {needle}");
    }
    // has: whole terms (letters and digits) only.
    let has = |u: &str, t: &str| u.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(t));
    for term in ["login", "LEARN", "p4", "sharepoint", "Bücher"] {
        let want = urls.iter().filter(|u| has(u, term)).count();
        assert_eq!(count(&format!("Clicks | where Url has {term:?}")), want, "has {term}");
    }
    let terms = ["login", "p7", "microsoft", "nosuchterm"];
    let want = urls.iter().filter(|u| terms.iter().any(|t| has(u, t))).count();
    assert_eq!(count("Clicks | where Url has_any (\"login\", \"p7\", \"microsoft\", \"nosuchterm\")"), want);
    let want_all = urls.iter().filter(|u| has(u, "learn") && has(u, "p7")).count();
    assert_eq!(count("Clicks | where Url has_all (\"learn\", \"p7\")"), want_all);
    assert!(want > 0 && want < urls.len() && want_all > 0, "the terms select some rows, not all");
}

#[test]
fn the_prefiltered_lookup_is_used_for_a_dictionary_with_an_entry_per_row() {
    let col = StrColumn::from_strs_plain(["a-login-b", "nothing", "LOGIN", "xlogin"]);
    let exact = |s: &str| s.to_ascii_lowercase().contains("login");
    let got = dict_prefiltered(&col, col.len(), &["login".to_string()], &exact, false).expect("applies");
    assert_eq!(got, [true, false, true, true]);
    // A non-ASCII needle, or an empty one, is left to the general path.
    assert!(dict_prefiltered(&col, col.len(), &["é".to_string()], &exact, false).is_none());
    assert!(dict_prefiltered(&col, col.len(), &[String::new()], &exact, false).is_none());
}
