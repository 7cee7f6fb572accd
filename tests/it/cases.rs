//! The conformance suite: `tests/cases/*.kqltest` files of query → expected table (or
//! expected error), in the spirit of sqllogictest.
//!
//! ```text
//! # A comment.
//! query                      (or: query rowsort — compare ignoring row order)
//! datatable(x: long) [1, 2] | summarize sum(x)
//! ----
//! sum_x:long
//! 3
//!
//! error
//! print strlen(5)
//! ----
//! 1:7: argument 1 of strlen() must be a string, but it is long [KQL0301]
//! ```
//!
//! Cells are separated by ` | `; an empty string is written `(empty)` and a null `null`.
//! Run with `UPDATE_CASES=1` to rewrite expectations from the current behaviour (then review
//! the diff: the expectations are the specification).

use kqlab::diag::LineIndex;
use kqlab::engine::{self, RunOptions};
use kqlab::table::Catalog;
use kqlab::types::{format_real_json, time, DataType, Value};
use std::fmt::Write;
use std::path::Path;

pub const CLOCK: &str = "2026-11-22T12:00:00Z";

pub fn clock() -> i64 {
    time::parse_datetime(CLOCK).unwrap()
}

pub fn cell(v: &Value, ty: DataType) -> String {
    match v {
        Value::Null if ty == DataType::String => "(empty)".into(),
        Value::Null => "null".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::Real(f) => format_real_json(*f),
        Value::Dynamic(d) => d.to_json(),
        other => other.to_display().replace('\n', "\\n"),
    }
}

/// The text form of a query's outcome, as written in case files.
pub fn outcome(query: &str, catalog: &Catalog, rowsort: bool) -> String {
    match engine::run(query, catalog, &RunOptions::at(clock())) {
        Ok(r) => {
            let t = &r.table;
            let mut out = t.fields.iter().map(|f| format!("{}:{}", f.name, f.ty.name())).collect::<Vec<_>>().join(" | ");
            out.push('\n');
            let mut rows: Vec<String> =
                (0..t.len()).map(|i| (0..t.fields.len()).map(|c| cell(&t.value(i, c), t.fields[c].ty)).collect::<Vec<_>>().join(" | ")).collect();
            if rowsort {
                rows.sort();
            }
            for r in rows {
                out.push_str(&r);
                out.push('\n');
            }
            out
        }
        Err(ds) => {
            let li = LineIndex::new(query);
            let mut out = String::new();
            for d in ds {
                let (l, c) = li.line_col(d.span.start as usize);
                let _ = writeln!(out, "{l}:{c}: {} [{}]", d.message, d.code);
                if let Some(h) = &d.help {
                    let _ = writeln!(out, "help: {h}");
                }
            }
            out
        }
    }
}

pub struct Case {
    /// Comment and blank lines before the case (kept when expectations are rewritten).
    pub lead: Vec<String>,
    pub line: usize,
    pub header: String,
    pub query: String,
    pub expected: String,
}

/// Every case of every file: (file name, case).
pub fn all_cases() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "kqltest")).collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for c in parse_file(&text).0 {
            out.push((name.clone(), c));
        }
    }
    out
}

pub fn parse_file(text: &str) -> (Vec<Case>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    let preamble = Vec::new();
    let mut lead: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("query") || l == "error" {
            let start = i + 1;
            let header = l.to_string();
            i += 1;
            let mut q = Vec::new();
            while i < lines.len() && lines[i] != "----" {
                q.push(lines[i]);
                i += 1;
            }
            i += 1;
            let mut e = Vec::new();
            while i < lines.len() && !lines[i].is_empty() {
                e.push(lines[i]);
                i += 1;
            }
            cases.push(Case {
                lead: std::mem::take(&mut lead),
                line: start,
                header,
                query: q.join("\n"),
                expected: e.iter().map(|x| format!("{x}\n")).collect(),
            });
        } else {
            lead.push(l.to_string());
            i += 1;
        }
    }
    (cases, preamble)
}

pub fn catalog() -> Catalog {
    crate::fixtures::catalog()
}

#[test]
fn conformance_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var("UPDATE_CASES").is_ok();
    let cat = catalog();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "kqltest")).collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (cases, preamble) = parse_file(&text);
        let mut rewritten = preamble.join("\n");
        if !rewritten.is_empty() {
            rewritten.push('\n');
        }
        for c in &cases {
            total += 1;
            let rowsort = c.header.contains("rowsort");
            let actual = outcome(&c.query, &cat, rowsort);
            let is_error_case = c.header == "error";
            let actual_is_error = actual.lines().next().is_some_and(|l| l.contains(": ") && l.ends_with(']') && l.contains("[KQL"));
            if actual != c.expected || is_error_case != actual_is_error {
                failures.push(format!(
                    "{}:{}: {}\n--- query\n{}\n--- expected\n{}--- actual\n{}",
                    path.file_name().unwrap().to_string_lossy(),
                    c.line,
                    c.header,
                    c.query,
                    c.expected,
                    actual
                ));
            }
            let header = if update && !c.header.starts_with("query rowsort") {
                if actual_is_error {
                    "error".to_string()
                } else if c.header == "error" {
                    "query".to_string()
                } else {
                    c.header.clone()
                }
            } else {
                c.header.clone()
            };
            let mut lead = c.lead.clone();
            while lead.first().is_some_and(|l| l.trim().is_empty()) && !rewritten.is_empty() {
                lead.remove(0);
            }
            for l in lead {
                rewritten.push_str(&l);
                rewritten.push('\n');
            }
            let _ = write!(rewritten, "{header}\n{}\n----\n{}\n", c.query, actual);
        }
        if update {
            std::fs::write(&path, rewritten.trim_end().to_string() + "\n").unwrap();
        }
    }
    assert!(total > 0, "no cases found");
    if !update {
        assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), total, failures.join("\n"));
    }
}
