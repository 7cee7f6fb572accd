//! TEMPORARY demo content for the page shell, used until the KQL engine is wired in.
//!
//! Everything here goes away when `App` calls the engine:
//! - [`demo_table`] stands in for a query result (100,000 generated rows, to exercise the grid);
//! - [`demo_chart`] stands in for a `render timechart` result;
//! - [`highlight`] and [`diagnostics`] stand in for the KQL lexer's tokens and errors
//!   (they only recognise words, strings, numbers and comments);
//! - [`complete`] stands in for schema-aware completion.
//!
//! None of it evaluates the query text: Run always shows the same demo table, and the page
//! says so.

use super::Highlights;
use crate::table::{Field, Table};
use crate::types::{time, DataType, Value};
use crate::view::chart::{ChartKind, ChartSpec};
use crate::view::editor::{word_before, Completion, CompletionKind};
use std::collections::BTreeMap;
use std::ops::Range;

pub const TABLE_NAME: &str = "DemoClicks";
pub const ROWS: usize = 100_000;

/// Column names, types and descriptions of the demo table.
pub const COLUMNS: [(&str, DataType, &str); 8] = [
    ("Timestamp", DataType::DateTime, "When the link was clicked"),
    ("AccountUpn", DataType::String, "Who clicked"),
    ("Url", DataType::String, "The link"),
    ("ActionType", DataType::String, "What the click protection did"),
    ("IsClickedThrough", DataType::Bool, "Whether the user went past a warning"),
    ("Workload", DataType::String, "Where the click happened"),
    ("LatencyMs", DataType::Real, "Time to check the link"),
    ("ClickCount", DataType::Long, "Clicks in the event"),
];

pub const INTRO: &str = "\
# Welcome to kqlab

This page is the **app shell** running on demo data while the KQL engine is being built.
Pressing **Run** (or **Ctrl+Enter**) shows a fixed table of 100,000
generated clicks and a chart of clicks per hour, *whatever the query says*.

> [!NOTE]
> Try the editor: colours, `Tab` to indent, completion while typing a name, and an
> unterminated `\"string` to see an error underline.

- Click a column header to sort; the grid keeps only the visible rows in the page.
- **Copy CSV**, **Copy TSV** and **Export CSV** use the current sort order.
- Click a column name on the left to insert it at the cursor.
";

pub const STARTER_QUERY: &str = "DemoClicks\n| where Timestamp > ago(7d)\n| summarize Clicks = count() by bin(Timestamp, 1h), ActionType\n| render timechart";

/// A small portable generator (SplitMix64), so the demo is the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The demo result: `ROWS` clicks over seven days before `clock`.
pub fn demo_table(clock: i64) -> Table {
    let users = ["alex@contoso.example", "bo@contoso.example", "chen@contoso.example", "dana@contoso.example", "eli@contoso.example"];
    let urls = [
        "https://contoso-payroll.example/login",
        "https://docs.contoso.example/handbook",
        "https://fabrikam-invoices.example/pay?id=7731",
        "https://intranet.contoso.example/news",
        "https://login-contoso.example/<verify>",
    ];
    let actions = ["ClickAllowed", "ClickAllowed", "ClickAllowed", "ClickBlocked", "UrlScanInProgress"];
    let workloads = ["Email", "Teams", "Office"];
    let span = 7 * time::TICKS_PER_DAY;
    let mut rng = Rng(0x006b_716c_6162);
    let mut stamps: Vec<i64> = (0..ROWS).map(|_| clock - span + (rng.below(span as u64) as i64)).collect();
    stamps.sort_unstable();
    let rows: Vec<Vec<Value>> = stamps
        .into_iter()
        .map(|ts| {
            let action = actions[rng.below(actions.len() as u64) as usize];
            vec![
                Value::DateTime(ts),
                Value::str(users[rng.below(users.len() as u64) as usize]),
                Value::str(urls[rng.below(urls.len() as u64) as usize]),
                Value::str(action),
                Value::Bool(action == "ClickBlocked" && rng.below(4) == 0),
                Value::str(workloads[rng.below(workloads.len() as u64) as usize]),
                if rng.below(50) == 0 { Value::Null } else { Value::Real((rng.below(40_000) as f64) / 100.0) },
                Value::Long(1 + rng.below(3) as i64),
            ]
        })
        .collect();
    let fields = COLUMNS.iter().map(|(n, t, _)| Field::new(*n, *t)).collect();
    Table::from_rows(fields, &rows)
}

/// Clicks per hour and action of the demo table, with the chart to draw.
pub fn demo_chart(table: &Table) -> (Table, ChartSpec) {
    let mut counts: BTreeMap<(i64, String), i64> = BTreeMap::new();
    let (ts, action) = (&table.columns[0], &table.columns[3]);
    for r in 0..table.len() {
        if let (Value::DateTime(t), Value::String(a)) = (ts.value(r), action.value(r)) {
            *counts.entry((t.div_euclid(time::TICKS_PER_HOUR) * time::TICKS_PER_HOUR, a.to_string())).or_default() += 1;
        }
    }
    let rows: Vec<Vec<Value>> = counts.into_iter().map(|((t, a), n)| vec![Value::DateTime(t), Value::str(&a), Value::Long(n)]).collect();
    let summary = Table::from_rows(
        vec![Field::new("Timestamp", DataType::DateTime), Field::new("ActionType", DataType::String), Field::new("Clicks", DataType::Long)],
        &rows,
    );
    let mut spec = ChartSpec::new(ChartKind::TimeChart);
    spec.title = Some("Demo: clicks per hour by ActionType".into());
    (summary, spec)
}

const OPERATORS: [&str; 16] = [
    "where", "project", "project-away", "extend", "summarize", "take", "top", "sort", "order", "count", "distinct", "render", "join",
    "union", "limit", "mv-expand",
];
const KEYWORDS: [&str; 12] = ["by", "and", "or", "asc", "desc", "has", "contains", "in", "between", "on", "kind", "with"];
const FUNCTIONS: [&str; 12] = ["ago", "now", "bin", "count", "dcount", "countif", "tolower", "strcat", "make_set", "max", "min", "avg"];

fn word_class(w: &str) -> &'static str {
    if OPERATORS.contains(&w) {
        "tok-operator"
    } else if KEYWORDS.contains(&w) {
        "tok-keyword"
    } else if FUNCTIONS.contains(&w) {
        "tok-function"
    } else if DataType::from_name(w).is_some() && w.chars().all(|c| c.is_ascii_lowercase()) {
        "tok-type"
    } else {
        "tok-ident"
    }
}

/// Scans words, numbers, strings, comments and punctuation; returns token classes and the
/// ranges of unterminated strings.
fn scan(text: &str) -> (Highlights, Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut tokens = Vec::new();
    let mut unterminated = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = text[i..].find('\n').map_or(b.len(), |p| i + p);
            tokens.push((start..i, "tok-comment"));
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != c && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            if i < b.len() && b[i] == c {
                i += 1;
            } else {
                i = i.min(b.len());
                unterminated.push(start..i);
            }
            tokens.push((start..i, "tok-string"));
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            tokens.push((start..i, "tok-number"));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || (b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic()))
            {
                i += 1;
            }
            tokens.push((start..i, word_class(&text[start..i])));
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            tokens.push((start..i, if c == b'|' { "tok-pipe" } else { "tok-punct" }));
        }
    }
    (tokens, unterminated)
}

/// Token classes for the editor overlay.
pub fn highlight(text: &str) -> Highlights {
    scan(text).0
}

/// Errors the demo scanner can see: unterminated string literals.
pub fn diagnostics(text: &str) -> Vec<(Range<usize>, String)> {
    scan(text).1.into_iter().map(|r| (r, "This string has no closing quote. Close it with the same quote character it starts with.".to_string())).collect()
}

/// Names that start with the word before the cursor (case-insensitive): operators right after
/// `|`, otherwise the table, columns, functions and keywords.
pub fn complete(text: &str, cursor: usize) -> Vec<Completion> {
    let word = word_before(text, cursor);
    let prefix = text[word.clone()].to_ascii_lowercase();
    let before = text[..word.start].trim_end();
    let after_pipe = before.ends_with('|');
    let mut out = Vec::new();
    let mut push = |label: &str, kind: CompletionKind, detail: &str| {
        if label.to_ascii_lowercase().starts_with(&prefix) && label != &text[word.clone()] {
            out.push(Completion { label: label.to_string(), kind, detail: detail.to_string(), insert: label.to_string() });
        }
    };
    if after_pipe {
        for op in OPERATORS {
            push(op, CompletionKind::Operator, "tabular operator");
        }
        return out;
    }
    if before.is_empty() {
        push(TABLE_NAME, CompletionKind::Table, "demo table, 100,000 rows");
    }
    for (name, ty, _) in COLUMNS {
        push(name, CompletionKind::Column, ty.name());
    }
    for f in FUNCTIONS {
        push(f, CompletionKind::Function, "function");
    }
    for k in KEYWORDS {
        push(k, CompletionKind::Keyword, "keyword");
    }
    out
}
