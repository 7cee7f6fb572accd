//! The answer checker: compares a learner's result with the expected answer and explains the
//! first difference in plain words.
//!
//! The expected answer is the reference solution's result on the lesson's data at the same
//! clock. Order matters only when the solution orders its rows (`sort`, `order`, `top`), and
//! then rows tied on the sort keys may come in any order; with `top N`, any valid choice among
//! rows tied at the cut-off is accepted.

use super::format::{CheckOptions, ColumnRule, OrderRule};
use crate::diag::{thousands, Diagnostic, LineIndex};
use crate::engine;
use crate::table::format::cell_text;
use crate::table::{Catalog, Table};
use crate::types::{DataType, Value};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How the expected rows are ordered: output column, descending?, nulls first?
pub use crate::plan::OutputKey as SortKey;

/// Everything needed to judge answers to one step.
#[derive(Clone, Debug)]
pub struct Expected {
    pub table: Table,
    /// The solution orders its rows. `keys` is empty when the sort keys are not output columns
    /// (then the order must match exactly).
    pub ordered: bool,
    pub keys: Vec<SortKey>,
    /// For `top N` solutions: every row that could legitimately appear (the solution without
    /// its row limit), in order.
    pub candidates: Option<Table>,
    /// The solution text (for hints).
    pub solution: String,
    /// Output columns holding arrays built by make_set/make_list, whose element order Kusto
    /// does not define: compared as multisets.
    pub set_columns: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    MissingColumn,
    ExtraColumn,
    ColumnOrder,
    ColumnType,
    RowCount,
    RowOrder,
    Values,
    Answer,
    /// A pass: the rows are right, but the query does not use a construct the step practises.
    OtherWay,
    /// Right on the visible data, wrong on the hidden copy (see [`recheck`]): the query
    /// probably hard-codes a value read off the screen.
    HiddenData,
}

impl Reason {
    pub const ALL: &'static [Reason] = &[
        Reason::MissingColumn,
        Reason::ExtraColumn,
        Reason::ColumnOrder,
        Reason::ColumnType,
        Reason::RowCount,
        Reason::RowOrder,
        Reason::Values,
        Reason::Answer,
        Reason::OtherWay,
        Reason::HiddenData,
    ];

    /// The kebab-case name ("row-count") serde gives it: the query history and the instructor
    /// view record verdicts by it (a test keeps the two spellings equal).
    pub fn name(self) -> &'static str {
        match self {
            Reason::MissingColumn => "missing-column",
            Reason::ExtraColumn => "extra-column",
            Reason::ColumnOrder => "column-order",
            Reason::ColumnType => "column-type",
            Reason::RowCount => "row-count",
            Reason::RowOrder => "row-order",
            Reason::Values => "values",
            Reason::Answer => "answer",
            Reason::OtherWay => "other-way",
            Reason::HiddenData => "hidden-data",
        }
    }
}

/// A compact expected-vs-yours view of the rows around the first difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub columns: Vec<String>,
    pub expected: Vec<Vec<String>>,
    pub yours: Vec<Vec<String>>,
    /// 1-based number of the first row shown.
    pub first_row: usize,
}

/// The checker's judgement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    pub reason: Option<Reason>,
    pub message: String,
    pub preview: Option<Preview>,
    /// For `Status::Error`: what is wrong with the query, with spans to underline.
    pub diagnostics: Vec<Diagnostic>,
}

impl Verdict {
    pub fn pass(message: impl Into<String>) -> Verdict {
        Verdict { status: Status::Pass, reason: None, message: message.into(), preview: None, diagnostics: vec![] }
    }

    fn fail(reason: Reason, message: impl Into<String>) -> Verdict {
        Verdict { status: Status::Fail, reason: Some(reason), message: message.into(), preview: None, diagnostics: vec![] }
    }

    fn with_preview(mut self, p: Preview) -> Verdict {
        self.preview = Some(p);
        self
    }

    pub fn is_pass(&self) -> bool {
        self.status == Status::Pass
    }
}

/// Runs the solution and works out how answers are compared.
pub fn expected_for(solution: &str, catalog: &Catalog, clock: i64, opts: &CheckOptions) -> Result<Expected, Vec<Diagnostic>> {
    let bound = engine::compile(solution, catalog, clock)?;
    let run = engine::RunOptions::at(clock);
    let table = engine::execute(&bound.plan, &run)?;
    let order = bound.plan.output_order();
    let ordered = match opts.order {
        OrderRule::Auto => order.sorted,
        OrderRule::Any => false,
        OrderRule::Strict => true,
    };
    // With `top N`, any valid choice among rows tied at the cut-off is right: keep every row
    // the `top` could have chosen from.
    let candidates = if ordered && order.has_top { engine::execute(&bound.plan.without_top_limit(), &run).ok() } else { None };
    let (keys, set_columns) = (order.keys, bound.plan.collection_columns());
    Ok(Expected { table, ordered, keys, candidates, solution: solution.to_string(), set_columns })
}

/// The expected answer on the hidden copy of the data: the solution run there with its leads
/// translated ([`hidden_query`]). The solution text kept in it is the original (its literals
/// are what a learner's query is compared with).
pub fn hidden_expected_for(solution: &str, hidden: &Catalog, clock: i64, opts: &CheckOptions) -> Result<Expected, Vec<Diagnostic>> {
    let mut e = expected_for(&hidden_query(solution), hidden, clock, opts)?;
    e.solution = solution.to_string();
    Ok(e)
}

/// Runs the learner's query and judges it.
pub fn check_query(query: &str, expected: &Expected, catalog: &Catalog, clock: i64, opts: &CheckOptions) -> Verdict {
    match engine::run(query, catalog, &engine::RunOptions::at(clock)) {
        Err(diags) => error_verdict(query, diags),
        Ok(r) => check_result(&r.table, query, expected, opts),
    }
}

/// A query that does not run is not "wrong": say it is an error and where.
pub fn error_verdict(query: &str, diags: Vec<Diagnostic>) -> Verdict {
    let li = LineIndex::new(query);
    let first = &diags[0];
    let (l, c) = li.line_col(first.span.start as usize);
    let more = if diags.len() > 1 { format!(" (and {} more problem{})", diags.len() - 1, if diags.len() == 2 { "" } else { "s" }) } else { String::new() };
    Verdict {
        status: Status::Error,
        reason: None,
        message: format!("Your query has an error at line {l}, column {c}: {}{more}", first.message),
        preview: None,
        diagnostics: diags,
    }
}

fn compatible(a: DataType, b: DataType) -> bool {
    a == b || (a.is_numeric() && b.is_numeric()) || matches!((a, b), (DataType::String, DataType::Guid) | (DataType::Guid, DataType::String))
}

fn describe_type(t: DataType) -> &'static str {
    match t {
        DataType::Bool => "true/false value (bool)",
        DataType::Int | DataType::Long => "whole number (long)",
        DataType::Real => "number (real)",
        DataType::String => "text (string)",
        DataType::DateTime => "date and time (datetime)",
        DataType::TimeSpan => "duration (timespan)",
        DataType::Guid => "guid",
        DataType::Dynamic => "dynamic value (array or bag)",
    }
}

fn show(v: &Value) -> String {
    let s = cell_text(v);
    if s.is_empty() {
        return if v.is_null() { "null".into() } else { "an empty string".into() };
    }
    let short: String = s.chars().take(48).collect();
    if short.len() < s.len() {
        format!("`{short}…`")
    } else {
        format!("`{s}`")
    }
}

/// An array with its elements in a canonical order (for set-like columns).
fn sorted_array(v: &Value) -> Value {
    match v {
        Value::Dynamic(crate::types::Dynamic::Array(items)) => {
            let mut items: Vec<crate::types::Dynamic> = items.as_ref().clone();
            crate::util::sort::sort_by_key(&mut items, |d| d.to_json());
            Value::Dynamic(crate::types::Dynamic::array(items))
        }
        other => other.clone(),
    }
}

/// Compares two cells: numbers numerically with a tolerance, text exactly.
/// The text of a string or guid cell, without copying it.
fn str_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) | Value::Guid(s) => Some(s),
        _ => None,
    }
}

fn cell_eq(a: &Value, b: &Value, tol: f64) -> bool {
    if let (Some(x), Some(y)) = (str_of(a), str_of(b)) {
        return x == y;
    }
    match (a, b) {
        (Value::DateTime(x), Value::DateTime(y)) | (Value::TimeSpan(x), Value::TimeSpan(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::Null) | (Value::Null, Value::String(x)) => x.is_empty(),
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) if !matches!(a, Value::Dynamic(_)) && !matches!(b, Value::Dynamic(_)) => {
                x == y || (x.is_nan() && y.is_nan()) || (x - y).abs() <= tol * 1f64.max(x.abs().max(y.abs()))
            }
            _ => cell_text(a) == cell_text(b),
        },
    }
}

fn cell_cmp(a: &Value, b: &Value) -> Ordering {
    if let (Some(x), Some(y)) = (str_of(a), str_of(b)) {
        return x.cmp(y);
    }
    // Times by value: the text of `10:00:00.5` sorts before `10:00:00` (`.` < `Z`).
    match (a, b) {
        (Value::DateTime(x), Value::DateTime(y)) | (Value::TimeSpan(x), Value::TimeSpan(y)) => return x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => return x.cmp(y),
        _ => {}
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if !matches!(a, Value::Dynamic(_)) => x.total_cmp(&y),
        _ => match (a.is_null(), b.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => cell_text(a).cmp(&cell_text(b)),
        },
    }
}

fn rows_of(t: &Table, perm: &[usize]) -> Vec<Vec<Value>> {
    (0..t.len()).map(|r| perm.iter().map(|&c| t.value(r, c)).collect()).collect()
}

fn row_eq(a: &[Value], b: &[Value], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| cell_eq(x, y, tol))
}

fn row_cmp(a: &[Value], b: &[Value]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = cell_cmp(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn multiset_eq(a: &[Vec<Value>], b: &[Vec<Value>], tol: f64) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut x: Vec<&Vec<Value>> = a.iter().collect();
    let mut y: Vec<&Vec<Value>> = b.iter().collect();
    crate::util::sort::sort_by(&mut x, |p, q| row_cmp(p, q));
    crate::util::sort::sort_by(&mut y, |p, q| row_cmp(p, q));
    x.iter().zip(&y).all(|(p, q)| row_eq(p, q, tol))
}

/// Compares the sort keys of two rows the way the solution sorts.
fn key_cmp(a: &[Value], b: &[Value], keys: &[SortKey]) -> Ordering {
    for k in keys {
        let (x, y) = (&a[k.column], &b[k.column]);
        let o = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => {
                if k.nulls_first {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, true) => {
                if k.nulls_first {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            _ => {
                let o = cell_cmp(x, y);
                if k.desc {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The sort keys with their directions reversed.
fn flipped(keys: &[SortKey]) -> Vec<SortKey> {
    keys.iter().map(|k| SortKey { column: k.column, desc: !k.desc, nulls_first: !k.nulls_first }).collect()
}

/// Are `rows` sorted by the first sort key in the opposite direction (and not all equal on
/// it)? That is the mark of `asc` written for `desc` or the other way round.
fn sorted_the_other_way(rows: &[Vec<Value>], keys: &[SortKey]) -> bool {
    let Some(k) = keys.first() else { return false };
    if rows.len() < 2 {
        return false;
    }
    let other = flipped(std::slice::from_ref(k));
    let mut strict = false;
    for w in rows.windows(2) {
        match key_cmp(&w[0], &w[1], &other) {
            Ordering::Greater => return false,
            Ordering::Less => strict = true,
            Ordering::Equal => {}
        }
    }
    strict
}

/// "newest first", "largest ClickCount first", "alphabetical by AccountUpn".
fn order_words(keys: &[SortKey], cols: &[String], types: &[DataType]) -> String {
    let Some(k) = keys.first() else { return "the same order as the expected answer".into() };
    let name = &cols[k.column];
    match (types[k.column], k.desc) {
        (DataType::DateTime, true) => format!("newest first (by {name})"),
        (DataType::DateTime, false) => format!("oldest first (by {name})"),
        (t, true) if t.is_numeric() || t == DataType::TimeSpan => format!("largest {name} first"),
        (t, false) if t.is_numeric() || t == DataType::TimeSpan => format!("smallest {name} first"),
        (_, false) => format!("in alphabetical order of {name}"),
        (_, true) => format!("in reverse alphabetical order of {name}"),
    }
}

fn row_texts(rows: &[Vec<Value>], from: usize, n: usize) -> Vec<Vec<String>> {
    rows.iter().skip(from).take(n).map(|r| r.iter().map(cell_text).collect()).collect()
}

/// Hints for a wrong row count, from how the solution differs from the learner's query.
fn count_hint(learner_query: &str, solution: &str, yours: usize, expected: usize, requires: &[String]) -> String {
    let l = learner_query.to_lowercase();
    let s = solution.to_lowercase();
    // A construct the step practises and the query lacks is a better lead than the guesses
    // below, which compare words and can be misled (a `summarize` inside `toscalar()`).
    let missing_required = || construct_missing(learner_query, requires).map(|m| format!(" This step is about {m}, which your query does not use."));
    // Only a literal window (`ago(7d)`) can be named in a hint; `ago(Lookback)` is a parameter.
    let literal_ago = s.find("ago(").filter(|&i| s[i + 4..].trim_start().starts_with(|c: char| c.is_ascii_digit()));
    if yours > expected {
        if let Some(i) = literal_ago {
            let arg: String = s[i + 4..].chars().take_while(|c| *c != ')').collect();
            let window = format!("ago({})", arg.trim());
            if !l.contains("ago(") {
                return format!(" Did you keep only the events of the last {}?", spell_span(arg.trim()));
            }
            if !l.replace(' ', "").contains(&window.replace(' ', "")) {
                return format!(" Check the time window: the task asks for the last {}.", spell_span(arg.trim()));
            }
        }
        if let Some(h) = missing_required() {
            return h;
        }
        if s.contains("distinct") && !l.contains("distinct") && !l.contains("summarize") {
            return " Did you keep only the distinct values?".into();
        }
        if s.contains("summarize") && !l.contains("summarize") {
            return " Did you group the rows with summarize?".into();
        }
        if (s.contains("top ") || s.contains("take ")) && !(l.contains("top ") || l.contains("take ") || l.contains("limit ")) {
            return " Did you keep only the first rows with top or take?".into();
        }
        if s.matches("where").count() > l.matches("where").count() {
            return " Did you apply every filter the task asks for?".into();
        }
    } else {
        let both_ago = literal_ago.filter(|_| l.contains("ago("));
        if let Some(i) = both_ago {
            let arg: String = s[i + 4..].chars().take_while(|c| *c != ')').collect();
            if !l.replace(' ', "").contains(&format!("ago({})", arg.trim()).replace(' ', "")) {
                return format!(" Check the time window: the task asks for the last {}.", spell_span(arg.trim()));
            }
        }
        if let Some(h) = missing_required() {
            return h;
        }
        if both_ago.is_none() && s.matches("where").count() < l.matches("where").count() {
            return " One of your filters may be removing rows the task needs.".into();
        }
    }
    String::new()
}

fn spell_span(s: &str) -> String {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_alphabetic()).unwrap_or(s.len()));
    let word = match unit {
        "d" => "day",
        "h" => "hour",
        "m" => "minute",
        "s" => "second",
        _ => return s.to_string(),
    };
    if num == "1" {
        word.to_string()
    } else {
        format!("{num} {word}s")
    }
}

/// Judges a result table against the expected answer, then applies the step's
/// required-construct gate: a right answer that does not use what the step practises
/// (`opts.requires`) still passes, with a note saying what to try.
pub fn check_result(learner: &Table, learner_query: &str, expected: &Expected, opts: &CheckOptions) -> Verdict {
    let mut v = check_rows(learner, learner_query, expected, opts);
    if v.is_pass() {
        if let Some(note) = construct_note(learner_query, &opts.requires) {
            v.message = format!("{} {note}", v.message);
            v.reason = Some(Reason::OtherWay);
        }
    }
    v
}

/// The note for a right answer that misses required constructs (read from the query's syntax
/// tree, not its text), or `None` when it uses them all.
pub fn construct_note(query: &str, requires: &[String]) -> Option<String> {
    let list = construct_missing(query, requires)?;
    Some(format!("Right answer, another way: this step is about {list}, which your query does not use. Try it that way too; the hints show how."))
}

/// The required constructs `query` does not use, as a list of code spans, or `None`.
fn construct_missing(query: &str, requires: &[String]) -> Option<String> {
    if requires.is_empty() {
        return None;
    }
    let used = super::constructs::constructs(query)?;
    let missing: Vec<String> = requires.iter().filter(|r| !used.contains(r.as_str())).map(|r| format!("`{r}`")).collect();
    match missing.len() {
        0 => None,
        1 => Some(missing[0].clone()),
        n => Some(format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1])),
    }
}

fn check_rows(learner: &Table, learner_query: &str, expected: &Expected, opts: &CheckOptions) -> Verdict {
    let exp = &expected.table;
    let ecols: Vec<String> = exp.fields.iter().map(|f| f.name.clone()).collect();
    let etypes: Vec<DataType> = exp.fields.iter().map(|f| f.ty).collect();
    let lcols: Vec<String> = learner.fields.iter().map(|f| f.name.clone()).collect();
    // Which learner column supplies each expected column.
    let perm: Vec<usize> = match opts.columns {
        ColumnRule::Exact => {
            if let Some(m) = ecols.iter().find(|c| !lcols.contains(c)) {
                let similar = lcols.iter().find(|l| l.eq_ignore_ascii_case(m));
                let mut msg = format!("Column `{m}` is missing from your result.");
                if let Some(s) = similar {
                    msg.push_str(&format!(" Your result has `{s}`: column names are case-sensitive."));
                } else if let Some(extra) = lcols.iter().find(|l| !ecols.contains(l)) {
                    msg.push_str(&format!(" Your result has `{extra}` instead, which the answer does not have."));
                }
                return Verdict::fail(Reason::MissingColumn, msg);
            }
            if let Some(x) = lcols.iter().find(|c| !ecols.contains(c)) {
                return Verdict::fail(
                    Reason::ExtraColumn,
                    format!("Your result has a column the answer does not: `{x}`. The expected columns are: {}.", ecols.join(", ")),
                );
            }
            if lcols.len() > ecols.len() {
                return Verdict::fail(
                    Reason::ExtraColumn,
                    format!("Your result has {} columns; the expected answer has {}: {}.", lcols.len(), ecols.len(), ecols.join(", ")),
                );
            }
            let perm: Vec<usize> = ecols.iter().map(|c| lcols.iter().position(|l| l == c).unwrap_or(0)).collect();
            if perm.iter().enumerate().any(|(i, &p)| i != p) {
                return Verdict::fail(Reason::ColumnOrder, format!("The columns are right but in a different order. Expected: {}.", ecols.join(", ")));
            }
            perm
        }
        ColumnRule::AnyNames => {
            if lcols.len() != ecols.len() {
                return Verdict::fail(
                    if lcols.len() < ecols.len() { Reason::MissingColumn } else { Reason::ExtraColumn },
                    format!("Your result has {} column{}; the expected answer has {}.", lcols.len(), if lcols.len() == 1 { "" } else { "s" }, ecols.len()),
                );
            }
            (0..ecols.len()).collect()
        }
    };
    for (i, &p) in perm.iter().enumerate() {
        let (lt, et) = (learner.fields[p].ty, etypes[i]);
        if !compatible(lt, et) {
            let which = if opts.columns == ColumnRule::Exact { format!("`{}`", ecols[i]) } else { format!("number {}", i + 1) };
            return Verdict::fail(
                Reason::ColumnType,
                format!("Column {which} holds a {} in your result, but the answer has a {}.", describe_type(lt), describe_type(et)),
            );
        }
    }
    let mut yours = rows_of(learner, &perm);
    let mut want = rows_of(exp, &(0..ecols.len()).collect::<Vec<_>>());
    for &c in &expected.set_columns {
        for r in yours.iter_mut().chain(want.iter_mut()) {
            r[c] = sorted_array(&r[c]);
        }
    }
    let tol = opts.tolerance;
    let preview = |from: usize| Preview { columns: ecols.clone(), expected: row_texts(&want, from, 5), yours: row_texts(&yours, from, 5), first_row: from + 1 };
    // The common case, a correct answer in the expected order, needs no sorting.
    let in_step = yours.len() == want.len() && yours.iter().zip(&want).all(|(a, b)| row_eq(a, b, tol));
    if in_step {
        return Verdict::pass(pass_message(exp.len()));
    }
    let same_set = multiset_eq(&yours, &want, tol);
    if !same_set {
        // With `top N`, rows tied at the cut-off may be swapped for other tied rows.
        if let Some(cands) = &expected.candidates {
            if top_choice_valid(&yours, &want, &rows_of(cands, &(0..ecols.len()).collect::<Vec<_>>()), &expected.keys, tol) {
                return Verdict::pass(pass_message(exp.len()));
            }
        }
        if yours.len() != want.len() {
            let hint = count_hint(learner_query, &expected.solution, yours.len(), want.len(), &opts.requires);
            let msg = format!(
                "Your result has {} row{}; the expected answer has {}.{hint}",
                thousands(yours.len()),
                if yours.len() == 1 { "" } else { "s" },
                thousands(want.len())
            );
            let first = (0..yours.len().min(want.len())).find(|&i| !row_eq(&yours[i], &want[i], tol)).unwrap_or(yours.len().min(want.len()));
            return Verdict::fail(Reason::RowCount, msg).with_preview(preview(first.saturating_sub(1)));
        }
        if expected.ordered && sorted_the_other_way(&yours, &expected.keys) {
            // `top 10 by X asc` where the answer keeps the largest: other rows, and the cause
            // is the direction, not the values.
            let k = &expected.keys[..1];
            return Verdict::fail(
                Reason::Values,
                format!(
                    "Your rows are sorted the other way: {}, but the answer has {}. Check `asc`/`desc` in your `top` or `order by` (Kusto sorts descending unless you write `asc`).",
                    order_words(&flipped(k), &ecols, &etypes),
                    order_words(k, &ecols, &etypes)
                ),
            )
            .with_preview(preview(0));
        }
        let mut v = values_verdict(&yours, &want, &ecols, expected.ordered, tol).with_preview_from(preview);
        v.message.push_str(&count_hint(learner_query, &expected.solution, yours.len() + 1, want.len(), &opts.requires));
        return v;
    }
    if expected.ordered {
        let in_order = if expected.keys.is_empty() {
            yours.iter().zip(&want).all(|(a, b)| row_eq(a, b, tol))
        } else {
            yours.windows(2).all(|w| key_cmp(&w[0], &w[1], &expected.keys) != Ordering::Greater)
        };
        if !in_order {
            let first = (0..yours.len()).find(|&i| !row_eq(&yours[i], &want[i], tol)).unwrap_or(0);
            let message = if sorted_the_other_way(&yours, &expected.keys) {
                let k = &expected.keys[..1];
                format!(
                    "The rows are right but in reverse order: the answer has {}, yours are {}. Swap `asc` and `desc` in your sort.",
                    order_words(k, &ecols, &etypes),
                    order_words(&flipped(k), &ecols, &etypes)
                )
            } else {
                format!("The rows are right but not in the expected order: {}.", order_words(&expected.keys, &ecols, &etypes))
            };
            return Verdict::fail(Reason::RowOrder, message).with_preview(preview(first));
        }
    }
    Verdict::pass(pass_message(exp.len()))
}

fn pass_message(n: usize) -> String {
    format!("Your result matches the expected answer ({} row{}).", thousands(n), if n == 1 { "" } else { "s" })
}

/// Same number of rows, different values: name the first row and column that differ.
fn values_verdict(yours: &[Vec<Value>], want: &[Vec<Value>], cols: &[String], ordered: bool, tol: f64) -> VerdictAt {
    let (a, b): (Vec<&Vec<Value>>, Vec<&Vec<Value>>) = if ordered {
        (yours.iter().collect(), want.iter().collect())
    } else {
        let mut a: Vec<&Vec<Value>> = yours.iter().collect();
        let mut b: Vec<&Vec<Value>> = want.iter().collect();
        crate::util::sort::sort_by(&mut a, |p, q| row_cmp(p, q));
        crate::util::sort::sort_by(&mut b, |p, q| row_cmp(p, q));
        (a, b)
    };
    let i = (0..a.len()).find(|&i| !row_eq(a[i], b[i], tol)).unwrap_or(0);
    let c = (0..cols.len()).find(|&c| !cell_eq(&a[i][c], &b[i][c], tol)).unwrap_or(0);
    if let Some(msg) = array_length_verdict(&a, &b, cols) {
        let index = yours.iter().position(|r| !want.iter().any(|x| row_eq(x, r, tol))).unwrap_or(0);
        return VerdictAt(Verdict::fail(Reason::Values, msg), index);
    }
    let msg = if ordered {
        format!("Row {} differs: {} is {}, expected {}.", i + 1, cols[c], show(&a[i][c]), show(&b[i][c]))
    } else {
        // Unordered: point at a value the answer has and the result does not.
        let missing = b.iter().find(|r| !a.iter().any(|x| row_eq(x, r, tol))).copied().unwrap_or(b[i]);
        match (0..cols.len()).find(|&c| !a.iter().any(|x| cell_eq(&x[c], &missing[c], tol))) {
            Some(c) => format!("Some rows differ: the expected answer has a row with {} = {} that your result does not have.", cols[c], show(&missing[c])),
            // Every value is somewhere in the result, in the wrong combination (labels swapped):
            // name the whole row, since no single value is missing.
            None => format!(
                "Some rows differ: the expected answer has the row {} that your result does not have (your rows pair these values differently).",
                cols.iter().zip(missing.iter()).map(|(n, v)| format!("{n} = {}", show(v))).collect::<Vec<_>>().join(", ")
            ),
        }
    };
    let index = if ordered { i } else { yours.iter().position(|r| !want.iter().any(|x| row_eq(x, r, tol))).unwrap_or(0) };
    VerdictAt(Verdict::fail(Reason::Values, msg), index)
}

/// The number of elements of an array cell.
fn array_len(v: &Value) -> Option<usize> {
    match v {
        Value::Dynamic(crate::types::Dynamic::Array(items)) => Some(items.len()),
        _ => None,
    }
}

/// When a column holds arrays in every row of both results and no array of yours has a length
/// any expected array has (a series with another step, a list with values missing), the lengths
/// are the news: printing the first elements of a long array tells nothing. `None` otherwise.
fn array_length_verdict(yours: &[&Vec<Value>], want: &[&Vec<Value>], cols: &[String]) -> Option<String> {
    (0..cols.len()).find_map(|c| {
        let mine: Vec<usize> = yours.iter().map(|r| array_len(&r[c])).collect::<Option<_>>()?;
        let theirs: Vec<usize> = want.iter().map(|r| array_len(&r[c])).collect::<Option<_>>()?;
        if mine.is_empty() || mine.iter().any(|n| theirs.contains(n)) {
            return None;
        }
        let describe = |ns: &[usize]| {
            let (lo, hi) = (ns.iter().min().copied().unwrap_or(0), ns.iter().max().copied().unwrap_or(0));
            let n = if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
            format!("{n} value{}", if hi == 1 { "" } else { "s" })
        };
        Some(format!(
            "The `{}` arrays have {} in your result and {} in the expected answer. Check what goes into them: the rows a list or set collects, or a series' step and range.",
            cols[c],
            describe(&mine),
            describe(&theirs)
        ))
    })
}

struct VerdictAt(Verdict, usize);

impl VerdictAt {
    fn with_preview_from(self, f: impl Fn(usize) -> Preview) -> Verdict {
        self.0.with_preview(f(self.1))
    }
}

/// Is `yours` a valid `top N` answer: sorted by the keys, the rows strictly before the
/// cut-off value equal to the expected ones, and the rest drawn from the rows tied at it?
fn top_choice_valid(yours: &[Vec<Value>], want: &[Vec<Value>], candidates: &[Vec<Value>], keys: &[SortKey], tol: f64) -> bool {
    if keys.is_empty() || yours.len() != want.len() || want.is_empty() {
        return false;
    }
    if !yours.windows(2).all(|w| key_cmp(&w[0], &w[1], keys) != Ordering::Greater) {
        return false;
    }
    let boundary = &want[want.len() - 1];
    let split =
        |rows: &[Vec<Value>]| -> (Vec<Vec<Value>>, Vec<Vec<Value>>) { rows.iter().cloned().partition(|r| key_cmp(r, boundary, keys) == Ordering::Less) };
    let (y_before, y_tied) = split(yours);
    let (w_before, _) = split(want);
    if !multiset_eq(&y_before, &w_before, tol) {
        return false;
    }
    let tied: Vec<&Vec<Value>> = candidates.iter().filter(|r| key_cmp(r, boundary, keys) == Ordering::Equal).collect();
    let mut used = vec![false; tied.len()];
    y_tied.iter().all(|r| {
        key_cmp(r, boundary, keys) == Ordering::Equal
            && match (0..tied.len()).find(|&j| !used[j] && row_eq(tied[j], r, tol)) {
                Some(j) => {
                    used[j] = true;
                    true
                }
                None => false,
            }
    })
}

/// The normalised form of a typed answer: trimmed, lower-case, surrounding quotes removed,
/// runs of white space collapsed to one space; a number is written in one canonical way
/// (`1,204`, `1204` and `1204.0` all become `1204`).
///
/// Only one value is ever accepted: an answer that names several candidates (`65 or 66`,
/// `18/20`) or hedges (`about 65`, `65%`) does not normalise to the value and so never
/// matches. The accepted forms are listed in lessons/README.md.
pub fn normalize_answer(s: &str) -> String {
    let t = s.trim().trim_matches(|c| c == '"' || c == '\'' || c == '`').trim().to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    match parse_plain_number(&t) {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Some(n) => format!("{n}"),
        None => t,
    }
}

/// A number written the way people type one value: an optional sign, digits (optionally
/// grouped in threes by `,`, `_` or a space: `1,204`, `1 204`), an optional fraction
/// (`12.5`). Anything else (`6,5`, `65%`, `1e3`, `18/20`) is not a plain number.
fn parse_plain_number(t: &str) -> Option<f64> {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit() || matches!(b, b',' | b'_' | b' ')) {
        return None;
    }
    let groups: Vec<&str> = int.split([',', '_', ' ']).collect();
    if groups.len() > 1 {
        // Separators only between groups of three digits after a first group of one to three.
        let seps: Vec<u8> = int.bytes().filter(|b| !b.is_ascii_digit()).collect();
        let one_kind = seps.windows(2).all(|w| w[0] == w[1]);
        let shape = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !one_kind || !shape {
            return None;
        }
    }
    let digits: String = groups.concat();
    let text = match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    let n: f64 = text.parse().ok()?;
    let n = if t.starts_with('-') { -n } else { n };
    n.is_finite().then_some(n)
}

/// The digest stored in a lesson for the answer `answer` to step `step` of lesson `lesson`.
pub fn answer_digest(lesson: &str, step: &str, answer: &str) -> String {
    super::sha256::sha256_hex(format!("kqlab:{lesson}:{step}:{}", normalize_answer(answer)).as_bytes())
}

/// Checks a typed answer against the stored digest. Exactly one value is accepted; an
/// answer that does not match and holds more than the value (several numbers, words around a
/// number) is told to type just the value.
pub fn check_answer(lesson: &str, step: &str, typed: &str, digest: &str) -> Verdict {
    if typed.trim().is_empty() {
        return Verdict::fail(Reason::Answer, "Type your answer first.");
    }
    if answer_digest(lesson, step, typed).eq_ignore_ascii_case(digest) {
        return Verdict::pass("That is the answer.");
    }
    let shown = typed.trim();
    let numbers = shown.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).filter(|w| w.chars().any(|c| c.is_ascii_digit())).count();
    let message = if numbers > 1 {
        format!("`{shown}` names more than one value. Type a single answer: the one value your query's result shows.")
    } else if numbers == 1
        && (shown.ends_with('%') || (shown.split_whitespace().count() > 1 && shown.split_whitespace().any(|w| parse_plain_number(w).is_some())))
    {
        format!("`{shown}` is not accepted: type only the value, without words or signs around it (for example `1204`).")
    } else {
        format!("`{shown}` is not the answer. Look at your query's result again.")
    };
    Verdict::fail(Reason::Answer, message)
}

/// What the hidden-data re-check says when a query that is right on the visible data gives
/// another answer on the hidden copy.
pub const HIDDEN_DATA_MESSAGE: &str = "Your query gives the right rows here, but not on a second copy of the data that tells the same story with other names, addresses and times. It probably relies on a value read off the screen; write the logic that finds it instead.";

/// The hidden-data re-check of a query that passed on the visible data: runs it on the hidden
/// copy (`hidden`, with `expected` the solution's result there) and returns the failing
/// verdict, or `None` when it gives the right answer there too. The verdict shows nothing of
/// the hidden data: it names only the literals of the learner's own query that the solution
/// does not contain.
pub fn recheck(query: &str, expected: &Expected, hidden: &Catalog, clock: i64, opts: &CheckOptions) -> Option<Verdict> {
    let ok = match engine::run(&hidden_query(query), hidden, &engine::RunOptions::at(clock)) {
        Ok(r) => check_rows(&r.table, query, expected, opts).is_pass(),
        Err(_) => false,
    };
    if ok {
        return None;
    }
    let literals = new_literals(query, &expected.solution);
    let mut message = HIDDEN_DATA_MESSAGE.to_string();
    if !literals.is_empty() {
        let shown: Vec<String> = literals.iter().take(4).map(|l| format!("`{l}`")).collect();
        let (these, them) = if literals.len() == 1 { ("this value", "it") } else { ("these values", "them") };
        message.push_str(&format!(" Look at {these} in your query: {} — could the query work {them} out instead?", shown.join(", ")));
    }
    Some(Verdict::fail(Reason::HiddenData, message))
}

/// `query` as it runs on the hidden copy of the data: its string literals that name one of the
/// story's leads (the campaign's domain, the victim's laptop...; see
/// [`crate::data::translate_lead`]) name the hidden variant's instead. Numbers, times and
/// every other value are kept, so a query that hard-codes an answer keeps it.
pub fn hidden_query(query: &str) -> String {
    use crate::syntax::token::{TokenKind, TokenValue};
    let mut out = String::with_capacity(query.len());
    let mut last = 0;
    for t in crate::syntax::lex(query).0 {
        let (TokenKind::String, TokenValue::Str(v)) = (t.kind, &t.value) else { continue };
        let translated = crate::data::translate_lead(v, 1);
        if translated != *v {
            let r = t.span.range();
            out.push_str(&query[last..r.start]);
            out.push_str(&quote_string(&translated));
            last = r.end;
        }
    }
    out.push_str(&query[last..]);
    out
}

fn quote_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r").replace('\t', "\\t"))
}

/// The literals (strings, numbers, timespans, `datetime(...)`...) of `query` that `solution`
/// does not contain, in the order they appear, each once.
pub fn new_literals(query: &str, solution: &str) -> Vec<String> {
    use crate::syntax::token::TokenKind;
    let literals = |q: &str| -> Vec<(String, String)> {
        crate::syntax::lex(q)
            .0
            .into_iter()
            .filter(|t| matches!(t.kind, TokenKind::String | TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::TypedLiteral))
            .map(|t| {
                // Compare strings by their value (quotes and escapes aside), case-insensitively.
                let key = match &t.value {
                    crate::syntax::token::TokenValue::Str(s) => s.to_lowercase(),
                    _ => t.text.to_lowercase(),
                };
                (key, t.text)
            })
            .collect()
    };
    let known: std::collections::HashSet<String> = literals(solution).into_iter().map(|(k, _)| k).collect();
    let mut seen = std::collections::HashSet::new();
    literals(query).into_iter().filter(|(k, _)| !known.contains(k) && seen.insert(k.clone())).map(|(_, text)| text).collect()
}

/// A query that returns exactly `table` from literals: `datatable(...)[...]`, the answer
/// hard-coded (the validator checks that the hidden-data re-check catches it).
pub fn datatable_of(table: &Table) -> String {
    let schema: Vec<String> = table.fields.iter().map(|f| format!("['{}']:{}", f.name.replace('\'', "\\'"), f.ty.name())).collect();
    let mut cells = Vec::with_capacity(table.len() * table.fields.len());
    for row in 0..table.len() {
        for (col, f) in table.fields.iter().enumerate() {
            cells.push(value_literal(&table.value(row, col), f.ty));
        }
    }
    format!("datatable({})[{}]", schema.join(", "), cells.join(", "))
}

fn value_literal(v: &Value, ty: DataType) -> String {
    let quoted = quote_string;
    if matches!(v, Value::Null) {
        return format!("{}(null)", ty.name());
    }
    let text = cell_text(v);
    match ty {
        DataType::String => quoted(&text),
        DataType::Bool | DataType::Long | DataType::Int => format!("{}({text})", ty.name()),
        DataType::Real => format!("real({text})"),
        DataType::DateTime => format!("datetime({text})"),
        DataType::TimeSpan => format!("timespan({text})"),
        DataType::Guid => format!("guid({text})"),
        DataType::Dynamic => format!("dynamic({text})"),
    }
}
