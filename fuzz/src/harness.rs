//! What each fuzz target does with one input, shared by the libFuzzer targets and the stable
//! bounded pass (`tests/fuzz_bounded.rs`). Each function panics only when it finds a bug: a
//! panic inside kqlab, or a broken invariant (a span outside the text, a printed tree that
//! parses differently, a result larger than the limits allow).

use kqlab::data::{builtin_catalog, DatasetSpec};
use kqlab::engine::{self, RunOptions};
use kqlab::table::{read_csv, write_csv, Catalog, CsvOptions, HeaderStyle, TableDoc};
use kqlab::types::Dynamic;
use std::sync::OnceLock;

/// The session clock of every fuzzed run: 2026-11-22T12:00:00Z.
pub fn clock() -> i64 {
    kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").expect("a datetime")
}

/// Rows shown, as the playground truncates them.
pub const MAX_RESULT_ROWS: usize = 1000;

/// The catalog fuzzed queries run against: the built-in Defender tables (200 rows, seed 1)
/// plus `T`, a table with one column of each type full of edge values
/// ([`crate::gen::T_QUERY`]).
pub fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut c = builtin_catalog(&DatasetSpec::new(1, 200, clock()));
        let t = engine::run(crate::gen::T_QUERY, &Catalog::new(), &RunOptions::at(clock())).expect("the T datatable runs").table;
        c.insert("T", t, TableDoc::default());
        c
    })
}

/// Lexes, parses and checks the parser's invariants: every diagnostic span is inside the
/// text and on character boundaries; a tree that parsed cleanly prints as KQL that parses
/// back to the same tree.
pub fn parse(text: &str) {
    let (script, diags) = kqlab::syntax::parse(text);
    for d in &diags {
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        assert!(s <= e && e <= text.len(), "diagnostic span {s}..{e} outside a text of {} bytes: {d:?}", text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e), "diagnostic span {s}..{e} splits a character");
    }
    let _ = kqlab::syntax::highlight(text);
    if let (Some(a), true) = (script, diags.is_empty()) {
        let printed = a.to_string();
        let (b, d2) = kqlab::syntax::parse(&printed);
        assert!(d2.is_empty(), "the printed query does not parse:\n{printed}\n{d2:?}");
        let b = b.expect("a script");
        assert_eq!(strip_spans(&format!("{a:?}")), strip_spans(&format!("{b:?}")), "printing changed the tree:\n{printed}");
    }
}

/// Removes spans (`span: a..b`, and bare `a..b` ranges) from a Debug dump, to compare trees
/// parsed from different texts.
pub fn strip_spans(dbg: &str) -> String {
    let mut out = String::with_capacity(dbg.len());
    let mut rest = dbg;
    while let Some(i) = rest.find("..") {
        // Digits on both sides of `..` are a span (a quoted string would be escaped text, and
        // a span inside a string literal's Debug cannot contain `"`).
        let before = &rest[..i];
        let digits_before = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let after = &rest[i + 2..];
        let digits_after = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits_before > 0 && digits_after > 0 {
            let keep = before[..before.len() - digits_before].strip_suffix("span: ").unwrap_or(&before[..before.len() - digits_before]);
            out.push_str(keep);
            rest = &after[digits_after..];
        } else {
            out.push_str(&rest[..i + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Parses, binds and runs a query against [`catalog`] as the playground does, then formats
/// the result as the UI and CLI would. Checks that a result respects the truncation and that
/// error spans are inside the text.
pub fn run(text: &str) {
    let opts = RunOptions { clock: clock(), max_result_rows: Some(MAX_RESULT_ROWS), ..Default::default() };
    match engine::run(text, catalog(), &opts) {
        Ok(r) => {
            assert!(r.table.len() <= MAX_RESULT_ROWS, "{} rows shown", r.table.len());
            assert!(r.total_rows >= r.table.len());
            for (f, c) in r.table.fields.iter().zip(&r.table.columns) {
                assert_eq!(c.len(), r.table.len(), "column {} has {} values in a table of {} rows", f.name, c.len(), r.table.len());
            }
            let small = r.table.head(50);
            let _ = kqlab::table::format::to_text(&small);
            let _ = write_csv(&small, HeaderStyle::Typed);
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error without a diagnostic");
            for d in &diags {
                let (s, e) = (d.span.start as usize, d.span.end as usize);
                assert!(s <= e && e <= text.len(), "diagnostic span {s}..{e} outside a text of {} bytes: {d:?}", text.len());
            }
            let _ = kqlab::diag::render_text(text, &diags[0]);
        }
    }
}

/// A lesson file: `parse_lesson` and `parse_index` return a lesson or errors that point
/// inside the text; a lesson that reads builds its catalog (CSV files are refused).
pub fn lesson(text: &str) {
    let lines = text.lines().count() + 1;
    match kqlab::lesson::parse_lesson(text) {
        Ok(l) => {
            if l.dataset.rows <= 2000 {
                let _ = kqlab::lesson::dataset::catalog_for(&l, clock(), &|f| Err(format!("no file {f}")));
            }
        }
        Err(errs) => {
            assert!(!errs.is_empty());
            for e in errs {
                assert!(e.line <= lines, "error line {} beyond the {} lines: {e:?}", e.line, lines);
                assert!(!e.message.is_empty());
            }
        }
    }
    let _ = kqlab::lesson::parse_index(text);
}

/// CSV text, strict and lenient, with and without declared types; a table that reads is
/// written back and read again.
pub fn csv(text: &str, lenient: bool) {
    let opts = CsvOptions { lenient, max_rows: 100_000, max_columns: 1000, ..Default::default() };
    match read_csv(text, &opts) {
        Ok((t, _warnings)) => {
            for (f, c) in t.fields.iter().zip(&t.columns) {
                assert_eq!(c.len(), t.len(), "column {} has {} values in a table of {} rows", f.name, c.len(), t.len());
            }
            let out = write_csv(&t, HeaderStyle::Typed);
            let (back, _) = read_csv(&out, &CsvOptions { lenient: true, ..opts }).unwrap_or_else(|e| panic!("written CSV does not read back: {e:?}\n{out}"));
            assert_eq!(back.len(), t.len(), "row count changed on a CSV round trip:\n{out}");
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            // The reader ends a record at "\n", "\r\n" or a lone "\r" (old Mac files), as
            // editors count lines; `str::lines` knows only the first two.
            let breaks = text.matches('\n').count() + text.match_indices('\r').filter(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n')).count();
            assert!(e.line <= breaks + 2, "error line {} beyond the text: {e:?}", e.line);
        }
    }
}

/// Stored progress and share links.
pub fn app_state(text: &str) {
    if let Ok(p) = kqlab::app::progress::Progress::from_json(text) {
        use kqlab::app::progress::{Progress, MAX_QUERY};
        let again = Progress::from_json(&p.to_json()).expect("written progress reads back");
        // Queries longer than MAX_QUERY characters are cut when saved (the UI warns).
        let cut = |p: &Progress| {
            let mut p = p.clone();
            p.playground_query = p.playground_query.chars().take(MAX_QUERY).collect();
            for l in p.lessons.values_mut() {
                for s in l.steps.values_mut() {
                    s.query = s.query.chars().take(MAX_QUERY).collect();
                }
            }
            p
        };
        assert!(again == cut(&p), "stored progress changed on a round trip");
    }
    if let Ok(s) = kqlab::app::share::ShareState::from_fragment(text) {
        if s.query.as_ref().is_none_or(|q| q.chars().count() <= kqlab::app::share::MAX_QUERY) {
            let again = kqlab::app::share::ShareState::from_fragment(&s.to_fragment()).expect("a written link reads back");
            assert_eq!(again, s);
        }
    }
}

/// JSON into `Dynamic`: a value that parses prints as JSON that parses to the same value.
pub fn json(text: &str) {
    if let Ok(d) = Dynamic::parse_json(text) {
        let out = d.to_json();
        let back = Dynamic::parse_json(&out).unwrap_or_else(|e| panic!("printed JSON does not parse: {e:?}\n{out}"));
        assert_eq!(back.to_json(), out, "JSON round trip changed the value");
        let _ = d.to_plain_string();
    }
}
