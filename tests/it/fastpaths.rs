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

/// Joins on GUID columns stored as numbers (the partitioned hash join of
/// `table::guids::join_key_codes`) answer as the same columns stored as text do, with enough
/// rows for many partitions: keys repeated on both sides, empty keys (strings have no null;
/// the empty string is a key like any other and matches the other side's empty strings), keys
/// on one side only, and every kind of join the benchmark and the lessons use.
#[test]
fn joins_on_guid_numbers_answer_as_joins_on_text_do() {
    let (ids, users) = guid_rows(60_000, 11);
    let (mut ids2, users2) = guid_rows(45_000, 12);
    // Half of the right side's keys are left keys (some of them repeated on the left too,
    // some empty).
    let mut rng = Rng(99);
    for (i, id) in ids2.iter_mut().enumerate() {
        if i % 2 == 0 {
            *id = ids[(rng.next() % ids.len() as u64) as usize].clone();
        }
        if id.is_empty() && i % 64 != 1 {
            // A few dozen empty keys on this side (each matches the left's 6,000 or so).
            *id = guid_text(&mut rng);
        }
    }
    let mut as_text = Catalog::new();
    let mut as_numbers = Catalog::new();
    for (name, t) in [("L", guid_table(&ids, &users)), ("R", guid_table(&ids2, &users2))] {
        as_text.insert(name, t.clone(), TableDoc::default());
        let encoded = kqlab::table::guids::encode_guid_columns(t);
        assert!(matches!(&*encoded.columns[0], Column::GuidText(_)), "{name} is stored as numbers");
        as_numbers.insert(name, encoded, TableDoc::default());
    }
    let mut checks = 0;
    for kind in ["inner", "innerunique", "leftouter", "rightouter", "fullouter", "leftsemi", "leftanti", "rightsemi", "rightanti"] {
        for q in [
            format!("L | join kind={kind} (R) on Id | summarize n = count(), h = hash(strcat_array(make_list(strcat(Row, '.', Row1)), ',')) "),
            format!("L | join kind={kind} (R) on Id | take 100000 | summarize count() by User, isempty(Id)"),
            format!("L | project Id, Row | join kind={kind} (R | project Id, Row) on Id | where Row < 300 or Row > 59900"),
        ] {
            // Kinds without right columns have no Row1.
            if q.contains("Row1") && matches!(kind, "leftsemi" | "leftanti" | "rightsemi" | "rightanti") {
                continue;
            }
            let (a, b) = (rows(&q, &as_numbers), rows(&q, &as_text));
            assert!(!a.is_empty(), "{q}");
            assert_eq!(a, b, "{q}");
            checks += 1;
        }
    }
    assert!(checks >= 23);
    // The benchmark's shape: the mail side's key unique, the click side's repeated or empty.
    let q = "L | summarize arg_min(Row, User) by Id | join kind=inner (R | project Id, U = User) on Id | summarize Clicks = count(), Users = dcount(U) by User | order by User asc";
    assert_eq!(rows(q, &as_numbers), rows(q, &as_text), "{q}");
}

/// A table for the course-step fast paths (BENCHMARKS.md, "Every course step"): command lines
/// (one dictionary entry per row, with repeats, empty strings, upper case and non-ASCII text),
/// a device name (deduplicated dictionary), a URL (dictionary with repeated entries), and
/// numbers, times, reals and booleans with nulls.
fn processes(n: usize) -> Catalog {
    let mut rng = Rng(0x5eed_c0de_1234_5678);
    let verbs = [
        "net group \"Domain Admins\" /domain",
        "NET  GROUP x /DOMAIN",
        "net user bob",
        "net\tgroup /domain",
        "whoami /all",
        "",
        "powershell -enc SQBFAFgA",
        "nét group /domain",
        "cmd.exe /c net group admins /domain",
    ];
    let devices = ["laptop-01", "LAPTOP-01", "laptop-02", "", "srv-é"];
    let (mut cmds, mut devs, mut urls) = (Vec::new(), Vec::new(), Vec::new());
    let (mut times, mut tvalid, mut longs, mut lvalid, mut reals, mut rvalid, mut bools) = (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let base = kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").expect("a datetime");
    for i in 0..n {
        let v = verbs[(rng.next() % verbs.len() as u64) as usize];
        cmds.push(if rng.next() % 3 == 0 { v.to_string() } else { format!("{v} #{}", rng.next() % 1000) });
        devs.push(devices[(rng.next() % devices.len() as u64) as usize]);
        urls.push(["a.example", "b.example", "A.example", ""][(rng.next() % 4) as usize]);
        times.push(base - (rng.next() % 1_000_000_000_000) as i64 + if i == 7 { kqlab::types::time::MAX_DATETIME - base } else { 0 });
        tvalid.push(i % 13 != 3);
        longs.push((rng.next() % 5) as i64 - 2);
        lvalid.push(i % 7 != 1);
        reals.push(if i % 11 == 4 { f64::NAN } else { (rng.next() % 100) as f64 / 4.0 });
        rvalid.push(i % 17 != 2);
        bools.push(rng.next() % 2 == 0);
    }
    times[9] = kqlab::types::time::MIN_DATETIME;
    let t = Table::new(
        vec![
            Field::new("Row", DataType::Long),
            Field::new("Cmd", DataType::String),
            Field::new("Device", DataType::String),
            Field::new("Url", DataType::String),
            Field::new("Timestamp", DataType::DateTime),
            Field::new("N", DataType::Long),
            Field::new("R", DataType::Real),
            Field::new("B", DataType::Bool),
        ],
        vec![
            Arc::new(Column::Long(Prim::new((0..n as i64).collect()))),
            Arc::new(Column::String(StrColumn::from_strs_plain(cmds.iter().map(String::as_str)))),
            Arc::new(Column::String(StrColumn::from_strs(devs.iter().copied()))),
            Arc::new(Column::String(StrColumn::from_strs_plain(urls.iter().copied()))),
            Arc::new(Column::DateTime(Prim::with_validity(times, tvalid))),
            Arc::new(Column::Long(Prim::with_validity(longs, lvalid))),
            Arc::new(Column::Real(Prim::with_validity(reals, rvalid))),
            Arc::new(Column::Bool(Prim::new(bools))),
        ],
    );
    let mut cat = Catalog::new();
    cat.insert("P", t, TableDoc::default());
    cat
}

/// `matches regex` with a constant pattern runs the regex only on the dictionary entries that
/// hold the text every match needs (`exec::regex_literals`). The rows it keeps are those a
/// direct `is_match` keeps, for patterns with optional parts, classes, alternations, flags,
/// empty and non-ASCII text, and the same as a pattern held in a column (no pre-filter).
#[test]
fn regex_with_a_literal_prefilter_keeps_the_rows_the_regex_keeps() {
    let cat = processes(3_000);
    let all = rows("P | project Cmd", &cat);
    let patterns = [
        r"net\s+group\s.*/domain",
        r"(?i)net\s+group\s.*/domain",
        r"NET\s+GROUP\s.*/DOMAIN",
        r"^net",
        r"groups?",
        r"grou?p",
        r"(net|cmd)\.exe",
        r"net group|whoami",
        r"/domain$",
        r"#\d{2}$",
        r"n.t group",
        r"nét",
        r"\x6eet",
        r"(?i)NET(?-i) group",
        r"enc SQ[A-Z]+",
        r"",
        r"zzz-not-there",
        r"a{0}/domain",
    ];
    for pat in patterns {
        let re = regex_lite::Regex::new(pat).expect("a valid pattern");
        let want: Vec<String> = all.iter().enumerate().filter(|(_, r)| re.is_match(&r[0])).map(|(i, _)| i.to_string()).collect();
        let not_want: Vec<String> = all.iter().enumerate().filter(|(_, r)| !re.is_match(&r[0])).map(|(i, _)| i.to_string()).collect();
        let q = |body: &str| rows(body, &cat).into_iter().map(|r| r[0].clone()).collect::<Vec<String>>();
        // A verbatim string: backslashes stay as they are, quotes double.
        let lit = format!("@\"{}\"", pat.replace('"', "\"\""));
        assert_eq!(q(&format!("P | where Cmd matches regex {lit} | project Row")), want, "{pat}");
        assert_eq!(q(&format!("P | where not(Cmd matches regex {lit}) | project Row")), not_want, "not {pat}");
        assert_eq!(q(&format!("P | extend Pat = {lit} | where Cmd matches regex Pat | project Row")), want, "{pat} from a column");
        assert!(!want.is_empty() || pat.contains("zzz"), "{pat} matches some rows");
        // In an expression (not a filter), over a deduplicated dictionary.
        let flags = rows(&format!("P | extend m = Device matches regex {lit} | project Device, m"), &cat);
        assert!(flags.iter().all(|r| r[1] == re.is_match(&r[0]).to_string()), "{pat} on Device");
    }
}

/// `prev()`/`next()` move whole columns (strings keep their codes): the values are those of
/// the row `offset` away, and the default (or null) where that row does not exist, for every
/// column type, with nulls, NaN and offsets beyond the table.
#[test]
fn prev_and_next_give_the_value_offset_rows_away() {
    let cat = processes(500);
    let base = rows("P | serialize | project Row, Cmd, Device, Url, Timestamp, N, R, B", &cat);
    let shifts: [(&str, usize, i64, &str); 11] = [
        ("prev(N)", 5, -1, ""),
        ("next(N, 2)", 5, 2, ""),
        ("prev(N, 3, 42)", 5, -3, "42"),
        ("prev(Cmd)", 1, -1, ""),
        ("next(Device, 1, 'none')", 2, 1, "none"),
        ("prev(Url, 4)", 3, -4, ""),
        ("prev(Timestamp)", 4, -1, ""),
        ("next(R)", 6, 1, ""),
        ("prev(B, 1, true)", 7, -1, "true"),
        ("prev(N, 100000)", 5, -100_000, ""),
        ("next(Cmd, 0)", 1, 0, ""),
    ];
    let exprs: Vec<String> = shifts.iter().enumerate().map(|(k, (e, ..))| format!("s{k} = {e}")).collect();
    let got = rows(
        &format!("P | serialize | extend {} | project {}", exprs.join(", "), (0..shifts.len()).map(|k| format!("s{k}")).collect::<Vec<_>>().join(", ")),
        &cat,
    );
    for (i, row) in got.iter().enumerate() {
        for (k, (e, col, off, dflt)) in shifts.iter().enumerate() {
            let j = i as i64 + off;
            let want = if j >= 0 && (j as usize) < base.len() { base[j as usize][*col].as_str() } else { dflt };
            assert_eq!(row[k], want, "{e} at row {i}");
        }
    }
}

/// `==`/`!=` between two string columns compare dictionary codes: the same answers as
/// comparing the text (`strcmp`), case-sensitively, for a column against its own `prev()`
/// (one dictionary), against another column, and dictionaries with repeated entries.
#[test]
fn string_columns_compared_by_code_answer_as_the_text_does() {
    let cat = processes(2_000);
    for (a, b) in
        [("Device", "prev(Device)"), ("Url", "prev(Url)"), ("Device", "Url"), ("Url", "next(Url, 3)"), ("Cmd", "prev(Cmd)"), ("Device", "tolower(Device)")]
    {
        let q = format!("P | serialize | extend A = {a}, Bv = {b} | extend eq = A == Bv, ne = A != Bv, ref = strcmp(A, Bv) == 0 | project eq, ne, ref");
        let got = rows(&q, &cat);
        assert!(got.iter().all(|r| r[0] == r[2] && r[1] != r[0]), "{a} vs {b}");
        assert!(got.iter().any(|r| r[0] == "true") || a == "Cmd", "{a} vs {b}: some rows equal");
    }
}

/// `datetime_diff` with a constant part of fixed length computes a column at once; the answers
/// are those of the row-by-row implementation (the part read from a column), for every part
/// name and alias, nulls, and the first and last representable datetimes.
#[test]
fn datetime_diff_over_columns_answers_as_the_row_path_does() {
    let cat = processes(1_000);
    for part in [
        "day",
        "DD",
        " d ",
        "dayofyear",
        "dy",
        "y",
        "hour",
        "hh",
        "minute",
        "mi",
        "n",
        "second",
        "ss",
        "s",
        "millisecond",
        "ms",
        "microsecond",
        "mcs",
        "nanosecond",
        "ns",
        "week",
        "month",
        "quarter",
        "year",
    ] {
        let fast = rows(&format!("P | serialize | extend d = datetime_diff({part:?}, Timestamp, prev(Timestamp, 1, datetime(2026-01-01))) | project d"), &cat);
        let slow = rows(
            &format!(
                "P | serialize | extend Part = {part:?} | extend d = datetime_diff(Part, Timestamp, prev(Timestamp, 1, datetime(2026-01-01))) | project d"
            ),
            &cat,
        );
        assert_eq!(fast, slow, "{part}");
        assert!(fast.iter().any(|r| r[0].is_empty()) && fast.iter().any(|r| !r[0].is_empty()), "{part}: nulls and values");
    }
}

/// `dcount` when every row counts and none is null runs one loop over the pairs' bitmap; it
/// counts what `dcountif(x, true)` (the general loop) and a set per group count.
#[test]
fn dcount_over_the_bitmap_counts_as_the_general_loop_does() {
    let cat = processes(4_000);
    for (col, key) in [("Cmd", "Device"), ("Url", "Device"), ("Device", "Url"), ("Timestamp", "Device"), ("B", "Url")] {
        let fast = rows(&format!("P | summarize d = dcount({col}) by {key} | order by {key} asc"), &cat);
        let general = rows(&format!("P | summarize d = dcountif({col}, true) by {key} | order by {key} asc"), &cat);
        assert_eq!(fast, general, "dcount({col}) by {key}");
    }
    let all = rows("P | project Device, Cmd", &cat);
    let mut want: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for r in &all {
        want.entry(r[0].clone()).or_default().insert(r[1].clone());
    }
    let got = rows("P | summarize d = dcount(Cmd) by Device | order by Device asc", &cat);
    let want: Vec<Vec<String>> = want.into_iter().map(|(k, v)| vec![k, v.len().to_string()]).collect();
    assert_eq!(got, want);
}

#[test]
fn a_summary_over_a_filter_reads_the_selected_rows_as_the_gathered_table_does() {
    // `project` between the filter and the summary makes the summary see a gathered table;
    // without it, the binned column is read through the filter's row list. Null times,
    // random order, a filter that keeps every row, one that keeps none, several keys, an
    // aggregate that reads other columns, and a binned expression that is not a column.
    let cat = clicks(20_000);
    let filters = [
        "where Timestamp > datetime(2026-11-19)",
        "where AccountUpn != \"user3@contoso.com\"",
        "where Url contains \"login\" and Timestamp < datetime(2026-11-20)",
        "where isnotempty(Url)",
        "where Timestamp > datetime(2030-01-01)",
        "where Timestamp > datetime(2026-11-15) | where AccountUpn has \"user1\"",
    ];
    // The reference computes each bin with `extend` first: a plain column key, grouped by
    // hashing on the gathered rows.
    let summaries = [
        ("summarize n = count() by bin(Timestamp, 1h)", "extend b = bin(Timestamp, 1h) | summarize n = count() by b"),
        (
            "summarize n = count(), u = dcount(AccountUpn), last = max(Timestamp) by bin(Timestamp, 1d)",
            "extend b = bin(Timestamp, 1d) | summarize n = count(), u = dcount(AccountUpn), last = max(Timestamp) by b",
        ),
        ("summarize n = count() by AccountUpn, bin(Timestamp, 6h)", "extend b = bin(Timestamp, 6h) | summarize n = count() by AccountUpn, b"),
        ("summarize n = count() by bin(Timestamp + 1h, 1d)", "extend b = bin(Timestamp + 1h, 1d) | summarize n = count() by b"),
        ("summarize n = count(), m = count() by bin(Timestamp, 1d)", "extend b = bin(Timestamp, 1d) | summarize n = count(), m = count() by b"),
        ("summarize n = count() by AccountUpn", "summarize n = count() by AccountUpn"),
        ("summarize n = count(), first = min(Timestamp)", "summarize n = count(), first = min(Timestamp)"),
    ];
    for f in filters {
        for (fast, general) in summaries {
            let fast = format!("Clicks | {f} | {fast}");
            let general = format!("Clicks | {f} | project Timestamp, Url, AccountUpn | {general}");
            assert_eq!(rows(&fast, &cat), rows(&general, &cat), "{fast}");
        }
    }
    let kept = rows("Clicks | where AccountUpn != \"user3@contoso.com\" | summarize n = count() by bin(Timestamp, 1h)", &cat);
    assert!(kept.iter().any(|r| r[0].is_empty()), "the kept null times form a group");
}

#[test]
fn make_set_and_make_list_of_strings_share_each_value_and_collect_as_the_dynamic_path_does() {
    // The string path builds each distinct value once; `pack_array(x)` takes the dynamic
    // path, which collects an array's elements one by one. A column with a URL per row,
    // one with few values, a `make_set_if`, a size cap and a GUID column.
    let cat = clicks(5_000);
    for (fast, general) in [
        ("Clicks | summarize s = make_set(AccountUpn) by bin(Timestamp, 1d)", "Clicks | summarize s = make_set(pack_array(AccountUpn)) by bin(Timestamp, 1d)"),
        ("Clicks | summarize s = make_list(AccountUpn) by bin(Timestamp, 1d)", "Clicks | summarize s = make_list(pack_array(AccountUpn)) by bin(Timestamp, 1d)"),
        ("Clicks | summarize s = make_set(Url) by AccountUpn", "Clicks | summarize s = make_set(pack_array(Url)) by AccountUpn"),
        ("Clicks | summarize s = make_list(Url, 7) by AccountUpn", "Clicks | summarize s = make_list(pack_array(Url), 7) by AccountUpn"),
        (
            "Clicks | summarize s = make_set_if(Url, Url contains \"login\") by AccountUpn",
            "Clicks | summarize s = make_set_if(pack_array(Url), Url contains \"login\") by AccountUpn",
        ),
        (
            "Clicks | extend g = toguid(strcat(\"00000000-0000-0000-0000-00000000000\", tostring(hash(AccountUpn) % 8))) | summarize s = make_set(g) by AccountUpn",
            "Clicks | extend g = toguid(strcat(\"00000000-0000-0000-0000-00000000000\", tostring(hash(AccountUpn) % 8))) | summarize s = make_set(pack_array(g)) by AccountUpn",
        ),
    ] {
        assert_eq!(rows(fast, &cat), rows(general, &cat), "{fast}");
    }
}

/// Haystacks where a byte-level shortcut could go wrong: empty, one byte, bytes that equal a
/// needle's first byte only after `| 0x20` (`\r` and `-`, `` ` `` and `@`), a match at the
/// last position, repeats before a match, and non-ASCII letters whose case rules differ from
/// ASCII's.
const EDGE_STRINGS: [&str; 22] = [
    "",
    "a",
    "A",
    "ab",
    "aB",
    "x\ra",
    "x-a",
    "`x",
    "@X",
    "https://Contoso-LOGIN.example/a",
    "contoso-logi",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    "LOGINlogin",
    "\u{c9}COLE \u{e9}cole",
    "stra\u{df}e STRASSE",
    "\u{130}stanbul",
    "\u{212a}elvin kelvin",
    "caf\u{e9}-Login",
    "sign in, signin; SIGNIN",
    "-",
    " ",
    "zzzz-a",
];

/// Reference semantics of the case-insensitive operators: an ASCII needle folds ASCII letters
/// only (the engine's rule, so `"\u{212a}"` is not `"k"`), a non-ASCII one compares lowered
/// text.
fn ci_contains(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
    } else {
        hay.to_lowercase().contains(&needle.to_lowercase())
    }
}

fn ci_starts(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        hay.len() >= needle.len() && hay.as_bytes()[..needle.len()].eq_ignore_ascii_case(needle.as_bytes())
    } else {
        hay.to_lowercase().starts_with(&needle.to_lowercase())
    }
}

fn ci_ends(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        hay.len() >= needle.len() && hay.as_bytes()[hay.len() - needle.len()..].eq_ignore_ascii_case(needle.as_bytes())
    } else {
        hay.to_lowercase().ends_with(&needle.to_lowercase())
    }
}

/// `has`: some case-insensitive occurrence starts and ends at term boundaries (a term is a
/// run of letters and digits).
fn ci_has(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let (h, n) = if needle.is_ascii() { (hay.to_ascii_lowercase(), needle.to_ascii_lowercase()) } else { (hay.to_lowercase(), needle.to_lowercase()) };
    h.match_indices(n.as_str())
        .any(|(i, m)| h[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric()) && h[i + m.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// A string operator's name and its reference definition (haystack, needle).
type StrOpCase = (&'static str, fn(&str, &str) -> bool);

/// The string operators the kernels crate speeds up (`contains` through its first-byte
/// search, the dictionary search and the lookups by one-, two- and four-byte codes) answer as
/// the plain definitions do, on the edge strings, both through the dictionary (every entry
/// once) and row by row (a filtered column whose dictionary is much larger than it).
#[test]
fn string_operators_through_the_kernels_answer_as_the_definitions_do() {
    // Dictionary sizes that give one-, two- and four-byte codes.
    for fillers in [0usize, 300, 70_000] {
        let mut strs: Vec<String> = EDGE_STRINGS.iter().map(|s| s.to_string()).collect();
        strs.extend((0..fillers).map(|i| format!("filler-{i}-qq")));
        let n = strs.len();
        let t = Table::new(
            vec![Field::new("Id", DataType::Long), Field::new("S", DataType::String)],
            vec![Arc::new(Column::Long(Prim::new((0..n as i64).collect()))), Arc::new(Column::String(StrColumn::from_strs(strs.iter().map(String::as_str))))],
        );
        let mut cat = Catalog::new();
        cat.insert("T", t, TableDoc::default());
        let ops: [StrOpCase; 6] = [
            ("contains", ci_contains),
            ("!contains", |h, n| !ci_contains(h, n)),
            ("has", ci_has),
            ("!has", |h, n| !ci_has(h, n)),
            ("startswith", ci_starts),
            ("endswith", ci_ends),
        ];
        for needle in ["a", "ab", "-a", "@x", "contoso-login", "login", "signin", "\u{e9}cole", "\u{c9}", "k", "strasse", "i", " ", "zzzz-a", ""] {
            for (op, want) in ops {
                // The whole column (the dictionary path), then only the edge rows (the row path:
                // the filtered column keeps the whole dictionary).
                for filter in ["", &format!("| where Id < {}", EDGE_STRINGS.len())] {
                    let q = format!("T {filter} | extend r = S {op} {needle:?} | project Id, r");
                    let got = rows(&q, &cat);
                    let expect_rows = if filter.is_empty() { n } else { EDGE_STRINGS.len() };
                    assert_eq!(got.len(), expect_rows, "{q}");
                    for r in &got {
                        let id: usize = r[0].parse().expect("an id");
                        let expect = want(&strs[id], needle);
                        assert_eq!(r[1], expect.to_string(), "{q}: row {id} {:?}", strs[id]);
                    }
                }
            }
        }
        // has_any over single terms and over phrases, both paths.
        for filter in ["", &format!("| where Id < {}", EDGE_STRINGS.len())] {
            for terms in [vec!["login", "signin", "kelvin"], vec!["sign in", "\u{e9}cole", "x-a"]] {
                let list = terms.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", ");
                let q = format!("T {filter} | extend r = S has_any ({list}) | project Id, r");
                for r in rows(&q, &cat) {
                    let id: usize = r[0].parse().expect("an id");
                    let expect = terms.iter().any(|t| ci_has(&strs[id], t));
                    assert_eq!(r[1], expect.to_string(), "{q}: row {id} {:?}", strs[id]);
                }
            }
        }
    }
}
