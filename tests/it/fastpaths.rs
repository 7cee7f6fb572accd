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

/// The text form of a GUID made from two random words (`8-4-4-4-12`, lower case).
fn guid_text(rng: &mut Rng) -> String {
    let (a, b) = (rng.next(), rng.next());
    let h = format!("{a:016x}{b:016x}");
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// `n` rows of GUID text (some repeated, some empty) and a user, as ordinary dictionary text.
fn guid_rows(n: usize, seed: u64) -> (Vec<String>, Vec<String>) {
    let mut rng = Rng(seed);
    let mut ids: Vec<String> = Vec::with_capacity(n);
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let id = match rng.next() % 10 {
            0 => String::new(),
            1 if i > 0 => ids[(rng.next() % i as u64) as usize].clone(),
            _ => guid_text(&mut rng),
        };
        ids.push(id);
        users.push(format!("user{}", rng.next() % 5));
    }
    (ids, users)
}

fn guid_table(ids: &[String], users: &[String]) -> Table {
    Table::new(
        vec![Field::new("Id", DataType::String), Field::new("User", DataType::String), Field::new("Row", DataType::Long)],
        vec![
            Arc::new(Column::String(StrColumn::from_strs_plain(ids.iter().map(String::as_str)))),
            Arc::new(Column::String(StrColumn::from_strs(users.iter().map(String::as_str)))),
            Arc::new(Column::Long(Prim::new((0..ids.len() as i64).collect()))),
        ],
    )
}

/// GUID columns stored as 16-byte numbers (`table::guids`) answer every query as the same
/// column stored as text does: filters (the numeric `==`/`!=` and the block-wise evaluator),
/// grouping, `dcount`, sorting, joins against numbers and against text, `union`, output.
#[test]
fn guid_columns_stored_as_numbers_answer_as_text_does() {
    // More rows than one block of the filter's text evaluation (16,384).
    let (ids, users) = guid_rows(40_000, 7);
    let (ids2, users2) = guid_rows(3_000, 8);
    // The join partner as text: some of the left's GUIDs, one in upper case, a non-GUID, empty.
    let mut other: Vec<String> = ids.iter().step_by(41).cloned().collect();
    other.push(ids[5].to_uppercase());
    other.push("not-a-guid".into());
    other.push(String::new());
    let other_users: Vec<String> = other.iter().enumerate().map(|(i, _)| format!("u{}", i % 3)).collect();
    let text_tables = [("G", guid_table(&ids, &users)), ("G2", guid_table(&ids2, &users2)), ("H", guid_table(&other, &other_users))];
    let mut as_text = Catalog::new();
    let mut as_numbers = Catalog::new();
    for (name, t) in text_tables {
        as_text.insert(name, t.clone(), TableDoc::default());
        let encoded = kqlab::table::guids::encode_guid_columns(t);
        let stored_as_numbers = matches!(&*encoded.columns[0], Column::GuidText(_));
        // H is a join partner that must stay text (it holds a non-GUID).
        assert_eq!(stored_as_numbers, name != "H", "{name}'s Id column");
        as_numbers.insert(name, encoded, TableDoc::default());
    }
    let some = &ids[1234];
    let upper = some.to_uppercase();
    let queries = [
        format!("G | where Id == '{some}' | project Row"),
        format!("G | where Id != '{some}' | count"),
        format!("G | where '{some}' == Id | project Row"),
        "G | where Id == '' | count".to_string(),
        "G | where Id != '' | count".to_string(),
        format!("G | where Id == '{upper}' | count"),
        format!("G | where Id =~ '{upper}' | project Row"),
        format!("G | where Id in ('{some}', '{}', 'x') | project Row", ids[9]),
        format!("G | where Id !in ('{some}') | count"),
        format!("G | where Id has '{}' | project Row", &some[9..13]),
        "G | where Id contains 'abc' | project Row".to_string(),
        "G | where Id startswith '00' | project Row, Id".to_string(),
        "G | where Id endswith 'f' and User == 'user1' | count".to_string(),
        "G | where Id matches regex '^[0-3][a-f]' | count".to_string(),
        "G | where Id > '8' | count".to_string(),
        "G | where isempty(Id) | count".to_string(),
        "G | where strlen(Id) == 36 | count".to_string(),
        "G | summarize n = count() by Id | order by n desc, Id asc | take 20".to_string(),
        "G | summarize n = count(), d = dcount(Id), c = count_distinct(Id) by User | order by User asc".to_string(),
        "G | summarize dcount(Id)".to_string(),
        "G | summarize lo = min(Id), hi = max(Id), any = take_any(Id) by User | order by User asc".to_string(),
        "G | distinct Id | count".to_string(),
        "G | order by Id asc, Row asc | take 30".to_string(),
        "G | order by Id desc, Row asc | take 30".to_string(),
        "G | top 5 by Id asc".to_string(),
        "G | extend s = strcat(Id, '/', User), u = toupper(Id) | take 5".to_string(),
        "G | project Id | take 5".to_string(),
        "G | summarize s = make_set(Id) by User | order by User asc | project User, n = array_length(s)".to_string(),
        "G | join kind=inner (G2) on Id | order by Id asc, Row asc, Row1 asc | take 50".to_string(),
        "G | join kind=inner (H) on Id | order by Row asc, Row1 asc".to_string(),
        "H | join kind=inner (G) on Id | order by Row asc, Row1 asc".to_string(),
        "H | join kind=leftouter (G) on Id | summarize count() by isempty(Id1)".to_string(),
        "union G, G2 | summarize dcount(Id), count()".to_string(),
        "union G, H | where Id == 'not-a-guid' | project Row".to_string(),
        "G | summarize by Id, User | count".to_string(),
    ];
    for q in &queries {
        assert_eq!(rows(q, &as_numbers), rows(q, &as_text), "{q}");
    }
    // `project`, `extend` and `join` pass the numbers on instead of turning them into text.
    for q in ["G | project Id, User", "G | extend x = 1", "G | project Id | join kind=inner (G2 | project Id) on Id"] {
        let r = engine::run(q, &as_numbers, &RunOptions::default()).unwrap_or_else(|e| panic!("{q}: {e:?}"));
        assert!(matches!(&*r.table.columns[0], Column::GuidText(_)), "{q} keeps the numbers");
    }
    // The numbers are a third of the text's bytes here (the text costs 36 + 4 + 4 per row).
    let (n, t) = (as_numbers.get("G").unwrap().columns[0].heap_bytes(), as_text.get("G").unwrap().columns[0].heap_bytes());
    assert_eq!(n, 16 * ids.len());
    assert!(t > 2 * n, "text {t} bytes, numbers {n}");
}
