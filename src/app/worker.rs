//! What the query worker does, without the browser: it holds the tables (generated data,
//! lesson CSV files, the learner's own CSV files) and the lesson sessions, and answers
//! requests from the page. The page keeps only schemas, so generating data and running
//! queries never freeze it; a runaway query is stopped by terminating the worker.
//!
//! `web::worker` moves these values across `postMessage`; everything here is tested natively.

use super::session::{run_free, run_free_staged, LessonSession};
use super::wire::encode_table;
use crate::bind::RenderSpec;
use crate::data::{builtin_catalog, DatasetSpec};
use crate::diag::Diagnostic;
use crate::lesson::check::Verdict;
use crate::lesson::Lesson;
use crate::table::{read_csv, Catalog, CsvOptions, Field, Table, TableDoc};
use crate::types::DataType;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Largest generated UrlClickEvents table the playground offers (`?rows=`): what a browser
/// tab's 4 GiB wasm heap holds with every mail table (`EmailEvents` is generated alongside,
/// the other three when a query first reads them). Measured in Chromium (BENCHMARKS.md, "10
/// million rows"): 9M rows and all mail tables leave 3,505 MiB of linear memory; at 10M the
/// clicks, `EmailEvents` and the benchmark queries fit (2,959 MiB) but generating the other
/// mail tables runs out. A larger size is generated at this one, with a notice.
pub const MAX_PLAYGROUND_ROWS: usize = 9_000_000;

/// The notice for a playground size above [`MAX_PLAYGROUND_ROWS`].
pub fn size_notice(asked: usize) -> Option<String> {
    (asked > MAX_PLAYGROUND_ROWS).then(|| {
        format!(
            "You asked for {} click events; the playground generates at most {} (with the mail tables that go with them, that is what a browser tab's memory holds). Generated {}.",
            crate::diag::thousands(asked),
            crate::diag::thousands(MAX_PLAYGROUND_ROWS),
            crate::diag::thousands(MAX_PLAYGROUND_ROWS)
        )
    })
}

/// A message about opening a lesson or the playground, with its kind decided where it is
/// made (the page shows problems until dismissed and lets information go by itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerNotice {
    pub text: String,
    /// A problem (a file not read, cells left empty), not just information.
    pub error: bool,
}

impl WorkerNotice {
    pub fn info(text: String) -> WorkerNotice {
        WorkerNotice { text, error: false }
    }
    pub fn problem(text: String) -> WorkerNotice {
        WorkerNotice { text, error: true }
    }
}

/// A table as the schema pane, completion and live error checking need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    /// `None` for a table generated on first use that no query has read yet.
    pub rows: Option<usize>,
    pub description: String,
    /// (name, type, description)
    pub columns: Vec<(String, DataType, String)>,
    /// A watchlist, read with `_GetWatchlist('name')` rather than by its name.
    #[serde(default)]
    pub watchlist: bool,
}

/// The schemas of a catalog, without generating the tables that are made on first use (so
/// opening a lesson does not build tables its queries never read).
pub fn describe(catalog: &Catalog) -> Vec<TableInfo> {
    let mut out: Vec<TableInfo> = catalog
        .entries()
        .map(|e| TableInfo {
            name: e.name.to_string(),
            rows: e.rows,
            description: e.doc.description.clone(),
            columns: e.fields.iter().enumerate().map(|(i, f)| (f.name.clone(), f.ty, e.doc.columns.get(i).cloned().unwrap_or_default())).collect(),
            watchlist: false,
        })
        .collect();
    // The watchlists, so the page's checks and completion know their names and columns.
    let mut names: Vec<&str> = catalog.watchlist_names().collect();
    names.sort_unstable();
    for name in names {
        let Some(t) = catalog.watchlist(name) else { continue };
        out.push(TableInfo {
            name: name.to_string(),
            rows: Some(t.len()),
            description: format!("Watchlist: read it with _GetWatchlist('{name}')."),
            columns: t.fields.iter().map(|f| (f.name.clone(), f.ty, String::new())).collect(),
            watchlist: true,
        });
    }
    out
}

/// A catalog with the same tables and columns but no rows: enough to bind queries (for
/// completion and live diagnostics on the page).
pub fn schema_catalog(tables: &[TableInfo]) -> Catalog {
    let mut c = Catalog::new();
    for t in tables {
        let fields: Vec<Field> = t.columns.iter().map(|(n, ty, _)| Field::new(n, *ty)).collect();
        if t.watchlist {
            c.insert_watchlist(t.name.clone(), Table::empty(fields));
            continue;
        }
        let doc = TableDoc { description: t.description.clone(), columns: t.columns.iter().map(|(_, _, d)| d.clone()).collect() };
        c.insert(t.name.clone(), Table::empty(fields), doc);
    }
    c
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    Lesson { key: String, step: usize },
    Playground,
}

// Requests are built once and moved across the worker boundary, like replies.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Prepare a lesson's tables; CSV files come as (file name, text). The lesson was parsed
    /// on the page (once); it comes as the parsed value. With `review` (the instructor's
    /// preview of a lesson file) the reply carries the validator's findings.
    OpenLesson {
        key: String,
        lesson: Lesson,
        csv: Vec<(String, String)>,
        #[serde(default)]
        review: bool,
    },
    /// Prepare the playground's tables (generated data plus the learner's CSV files, as
    /// (table name, file name, text)).
    OpenPlayground { tables: Vec<(String, String, String)>, seed: u64, rows: usize },
    /// Check the answer typed in step `step` (a question step) of the lesson session `key`.
    Answer { key: String, step: usize, typed: String },
    /// Run a query; the reply carries the same `id`.
    Run { id: u64, target: Target, query: String },
    /// The table after one stage of a run's pipeline (the stepper's chip): `text` is the
    /// stage's prefix (`engine::Stage::prefix`), run on the target's tables without judging it.
    StageTable { id: u64, target: Target, text: String },
    /// Run a query on the playground `repeat` times in a row and time the batch (the browser
    /// benchmark, `bench/browser.mjs`: the worker's clock is too coarse to time one short run).
    Bench { query: String, repeat: u32 },
    /// For the language worker: the schemas of the tables queries run against now (it keeps
    /// them as a catalog without rows; it never generates or loads a table).
    Schema { tables: Vec<TableInfo> },
    /// For the language worker: a question about the editor's text, answered with the same
    /// `seq` ([`Reply::Lang`]) against the last [`Request::Schema`].
    Lang { seq: u64, ask: LangAsk },
}

/// What the page asks the language worker while the learner types (see [`Request::Lang`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LangAsk {
    /// The live errors of the text (see [`live_errors`]).
    Check { text: String },
    /// Completion candidates at byte offset `cursor`, best first.
    Complete { text: String, cursor: usize },
    /// The text laid out with one pipe stage per line (`syntax::layout::format_query`).
    Format { text: String },
}

/// Live errors: (UTF-8 byte span, message with its help).
pub type LiveErrors = Vec<(std::ops::Range<usize>, String)>;

/// The language worker's answer to a [`LangAsk`] of the same kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LangAnswer {
    Errors(LiveErrors),
    Completions(Vec<crate::view::editor::Completion>),
    /// The formatted text, or why it could not be formatted.
    Formatted(Result<String, String>),
}

/// Answers a [`LangAsk`] against a schema-only catalog (the language worker's whole job).
pub fn answer(ask: LangAsk, schema: &Catalog, clock: i64) -> LangAnswer {
    match ask {
        LangAsk::Check { text } => LangAnswer::Errors(live_errors(&text, schema, clock)),
        LangAsk::Complete { text, cursor } => {
            let cursor = cursor.min(text.len());
            if !text.is_char_boundary(cursor) {
                return LangAnswer::Completions(Vec::new());
            }
            LangAnswer::Completions(super::complete::complete(&text, cursor, schema, clock))
        }
        LangAsk::Format { text } => LangAnswer::Formatted(crate::syntax::layout::format_query(&text).map_err(|e| e.to_string())),
    }
}

/// Whether the live check has nothing to look at. (It never runs anything: `engine::check`
/// binds without a probe, so a plugin that learns its columns from the data, such as
/// `evaluate bag_unpack(...)`, ends the check at that step instead of running its input.)
pub fn live_check_skips(query: &str) -> bool {
    query.trim().is_empty()
}

/// The live errors of `query` against schemas only: (byte span, message with its help).
pub fn live_errors(query: &str, schema: &Catalog, clock: i64) -> LiveErrors {
    if live_check_skips(query) {
        return Vec::new();
    }
    crate::engine::check(query, schema, clock)
        .into_iter()
        .map(|d| {
            let msg = match &d.help {
                Some(h) => format!("{} ({h})", d.message),
                None => d.message.clone(),
            };
            (d.span.range(), msg)
        })
        .collect()
}

// Replies are built once and moved across the worker boundary; their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Opened {
        target: Target,
        tables: Vec<TableInfo>,
        notices: Vec<WorkerNotice>,
        /// The validator's findings, step by step (only when the request asked for a review).
        #[serde(default)]
        checks: Vec<StepCheck>,
    },
    OpenFailed {
        target: Target,
        errors: Vec<String>,
    },
    /// The result table travels separately, encoded by `wire`. `lesson_fault`: the verdict is
    /// an error of the lesson (its reference solution does not run), not of the query.
    Ran {
        id: u64,
        total_rows: usize,
        render: Option<RenderSpec>,
        elapsed_ms: f64,
        errors: Vec<Diagnostic>,
        verdict: Option<Verdict>,
        #[serde(default)]
        lesson_fault: bool,
        /// Rows after each stage of the pipeline (the stepper's chips).
        #[serde(default)]
        stages: Vec<crate::engine::Stage>,
        /// For a wrong answer in a lesson: where it first parts from the solution.
        #[serde(default)]
        parting: Option<String>,
        /// Tables made on first use that this run generated, with their row counts (the
        /// schema pane then shows the count instead of "made when first queried").
        #[serde(default)]
        made: Vec<(String, usize)>,
        /// For a passed lesson step: the hunting-craft coach's tips on the query
        /// ([`crate::lesson::coach`], without the rules the step switches off).
        #[serde(default)]
        tips: Vec<crate::lesson::coach::Tip>,
    },
    /// The verdict on a typed answer (`Request::Answer`).
    Answered {
        key: String,
        step: usize,
        verdict: Verdict,
    },
    /// A stage's table (`Request::StageTable`); the table travels separately, as with `Ran`.
    StageTable {
        id: u64,
        total_rows: usize,
        errors: Vec<Diagnostic>,
    },
    /// The time of a `Bench` batch, or the first error.
    Benched {
        runs: u32,
        elapsed_ms: f64,
        error: Option<String>,
    },
    /// The language worker's answer to `Request::Lang` with this `seq`.
    Lang {
        seq: u64,
        answer: LangAnswer,
    },
    /// The language worker took the schemas of `Request::Schema`.
    SchemaSet,
}

/// What the lesson validator (`kqlab lessons check`) found in one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepCheck {
    /// 0-based step number.
    pub step: usize,
    pub title: String,
    /// Problems that make the lesson invalid.
    pub errors: Vec<String>,
    /// Things worth a look.
    pub warnings: Vec<String>,
}

/// The validator's findings for a lesson session, one entry per step.
pub fn review(s: &LessonSession) -> Vec<StepCheck> {
    crate::lesson::validate::validate(&s.lesson, &s.catalog, s.clock)
        .into_iter()
        .enumerate()
        .map(|(step, r)| StepCheck { step, title: r.title, errors: r.errors, warnings: r.warnings })
        .collect()
}

/// The worker's state.
pub struct WorkerState {
    pub clock: i64,
    lessons: HashMap<String, LessonSession>,
    playground: Option<Catalog>,
    /// The language worker's schema-only catalog (`Request::Schema`).
    schema: Catalog,
}

impl WorkerState {
    pub fn new(clock: i64) -> WorkerState {
        WorkerState { clock, lessons: HashMap::new(), playground: None, schema: Catalog::new() }
    }

    /// Handles one request; `now()` is a millisecond clock for timing queries.
    pub fn handle(&mut self, req: Request, now: &dyn Fn() -> f64) -> (Reply, Option<Vec<u8>>) {
        match req {
            Request::Schema { tables } => {
                self.schema = schema_catalog(&tables);
                (Reply::SchemaSet, None)
            }
            Request::Lang { seq, ask } => (Reply::Lang { seq, answer: answer(ask, &self.schema, self.clock) }, None),
            Request::OpenLesson { key, mut lesson, csv, review: wants_review } => {
                let target = Target::Lesson { key: key.clone(), step: 0 };
                // `check.requires` is a copy of each step's `requires` that the reader fills
                // in; it is not part of the serialized form, so it is filled in again here.
                for s in &mut lesson.steps {
                    s.check.requires = s.requires.clone();
                }
                let files: HashMap<String, String> = csv.into_iter().collect();
                let load = |f: &str| files.get(f).cloned().ok_or_else(|| format!("the file '{f}' was not provided"));
                match LessonSession::new(lesson, self.clock, &load) {
                    Ok(s) => {
                        let tables = describe(&s.catalog);
                        let checks = if wants_review { review(&s) } else { Vec::new() };
                        self.lessons.insert(key, s);
                        (Reply::Opened { target, tables, notices: vec![], checks }, None)
                    }
                    Err(errs) => (Reply::OpenFailed { target, errors: errs.iter().map(|e| e.to_string()).collect() }, None),
                }
            }
            Request::OpenPlayground { tables, seed, rows } => {
                let mut cat = builtin_catalog(&DatasetSpec::new(seed, rows.clamp(1, MAX_PLAYGROUND_ROWS), self.clock));
                let mut notices: Vec<WorkerNotice> = size_notice(rows).map(WorkerNotice::info).into_iter().collect();
                for (name, file, text) in tables {
                    match read_csv(&text, &CsvOptions { lenient: true, ..CsvOptions::default() }) {
                        Ok((t, warnings)) => {
                            let mut msg =
                                format!("Loaded {file} as table {name} ({} row{}).", crate::diag::thousands(t.len()), if t.len() == 1 { "" } else { "s" });
                            let partial = !warnings.is_empty();
                            if let Some(w) = warnings.first() {
                                msg.push_str(&format!(
                                    " {} cells could not be read and were left empty (first at line {}: {}).",
                                    warnings.len(),
                                    w.line,
                                    w.message
                                ));
                            }
                            notices.push(if partial { WorkerNotice::problem(msg) } else { WorkerNotice::info(msg) });
                            cat.insert(name.clone(), t, TableDoc { description: format!("Loaded from your file {file}"), columns: vec![] });
                        }
                        Err(e) => notices.push(WorkerNotice::problem(format!(
                            "{file}: line {}{}: {}",
                            e.line,
                            e.column.map(|c| format!(", column {c}")).unwrap_or_default(),
                            e.message
                        ))),
                    }
                }
                let tables = describe(&cat);
                self.playground = Some(cat);
                (Reply::Opened { target: Target::Playground, tables, notices, checks: vec![] }, None)
            }
            Request::Bench { query, repeat } => {
                let cat = self.playground.get_or_insert_with(|| builtin_catalog(&DatasetSpec::lesson(self.clock)));
                let runs = repeat.max(1);
                let started = now();
                for _ in 0..runs {
                    if let Err(errors) = run_free(&query, cat, self.clock) {
                        let error = errors.first().map(|d| d.message.clone()).or(Some("the query failed".into()));
                        return (Reply::Benched { runs, elapsed_ms: 0.0, error }, None);
                    }
                }
                (Reply::Benched { runs, elapsed_ms: now() - started, error: None }, None)
            }
            Request::StageTable { id, target, text } => {
                let catalog = match &target {
                    Target::Lesson { key, .. } => self.lessons.get(key).map(|s| &s.catalog),
                    Target::Playground => self.playground.as_ref(),
                };
                let Some(catalog) = catalog else {
                    return (Reply::StageTable { id, total_rows: 0, errors: vec![missing("the data is not loaded; run the query again")] }, None);
                };
                match run_free(&text, catalog, self.clock) {
                    Ok(r) => (Reply::StageTable { id, total_rows: r.total_rows, errors: vec![] }, Some(encode_table(&r.table))),
                    Err(errors) => (Reply::StageTable { id, total_rows: 0, errors }, None),
                }
            }
            Request::Answer { key, step, typed } => {
                let verdict = match self.lessons.get(&key) {
                    Some(s) if step < s.lesson.steps.len() => s.answer(step, &typed),
                    _ => Verdict {
                        status: crate::lesson::check::Status::Error,
                        reason: None,
                        message: "The lesson's data is not loaded; open the lesson again.".into(),
                        preview: None,
                        diagnostics: vec![],
                    },
                };
                (Reply::Answered { key, step, verdict }, None)
            }
            Request::Run { id, target, query } => {
                let started = now();
                let pending = self.not_yet_made(&target);
                let mut tips = Vec::new();
                let (result, verdict, lesson_fault, stages, parting) = match &target {
                    Target::Lesson { key, step } => match self.lessons.get(key) {
                        Some(s) if *step < s.lesson.steps.len() => {
                            let r = s.run_step(*step, &query);
                            // The coach's tips come with a passed step's verdict (a parse of
                            // the query and a walk of its tree: microseconds next to the run).
                            if r.verdict.as_ref().is_some_and(|v| v.is_pass()) {
                                tips = crate::lesson::coach::coach(&query, &s.lesson.steps[*step].coach_off);
                            }
                            (r.result, r.verdict, r.lesson_fault, r.stages, r.parting)
                        }
                        _ => {
                            let errors = vec![missing("the lesson's data is not loaded; reopen the lesson")];
                            return (
                                Reply::Ran {
                                    id,
                                    total_rows: 0,
                                    render: None,
                                    elapsed_ms: 0.0,
                                    errors,
                                    verdict: None,
                                    lesson_fault: false,
                                    stages: vec![],
                                    parting: None,
                                    tips: vec![],
                                    made: vec![],
                                },
                                None,
                            );
                        }
                    },
                    Target::Playground => {
                        if self.playground.is_none() {
                            self.playground = Some(builtin_catalog(&DatasetSpec::lesson(self.clock)));
                        }
                        match run_free_staged(&query, self.playground.as_ref().expect("set above"), self.clock) {
                            Ok((r, st)) => (Ok(r), None, false, st, None),
                            Err(e) => (Err(e), None, false, vec![], None),
                        }
                    }
                };
                let elapsed_ms = now() - started;
                let made = self.made_since(&target, &pending);
                match result {
                    Ok(r) => {
                        let bytes = encode_table(&r.table);
                        (
                            Reply::Ran {
                                id,
                                total_rows: r.total_rows,
                                render: r.render,
                                elapsed_ms,
                                errors: vec![],
                                verdict,
                                lesson_fault,
                                stages,
                                parting,
                                tips,
                                made,
                            },
                            Some(bytes),
                        )
                    }
                    Err(errors) => {
                        (Reply::Ran { id, total_rows: 0, render: None, elapsed_ms, errors, verdict, lesson_fault, stages, parting, tips, made }, None)
                    }
                }
            }
        }
    }
}

impl WorkerState {
    /// The catalog a run on `target` reads.
    fn catalog_of(&self, target: &Target) -> Option<&Catalog> {
        match target {
            Target::Lesson { key, .. } => self.lessons.get(key).map(|s| &s.catalog),
            Target::Playground => self.playground.as_ref(),
        }
    }

    /// The tables of `target`'s catalog that are made on first use and not made yet.
    fn not_yet_made(&self, target: &Target) -> Vec<String> {
        self.catalog_of(target).map_or_else(Vec::new, |c| c.entries().filter(|e| e.rows.is_none()).map(|e| e.name.to_string()).collect())
    }

    /// Which of `pending` exist now, with their row counts.
    fn made_since(&self, target: &Target, pending: &[String]) -> Vec<(String, usize)> {
        let Some(c) = self.catalog_of(target) else { return vec![] };
        c.entries().filter_map(|e| Some((e.name.to_string(), e.rows?))).filter(|(n, _)| pending.contains(n)).collect()
    }
}

fn missing(msg: &str) -> Diagnostic {
    Diagnostic::runtime(crate::diag::codes::RUNTIME, crate::diag::Span::new(0, 0), msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::wire::decode_table;
    use crate::lesson::parse_lesson;

    const LESSON: &str = r#"
id = "t"
title = "T"
summary = "s"
[dataset]
rows = 300
[[dataset.csv]]
table = "Extra"
file = "extra.csv"
[[steps]]
id = "count"
title = "Count"
narrative = "n"
task = "t"
solution = "Extra | summarize n = sum(v)"
"#;

    #[test]
    fn open_run_and_check_through_messages() {
        let mut w = WorkerState::new(0);
        let now = || 0.0;
        let (reply, _) = w.handle(
            Request::OpenLesson {
                key: "t".into(),
                lesson: parse_lesson(LESSON).unwrap(),
                csv: vec![("extra.csv".into(), "v:long\n1\n2\n".into())],
                review: false,
            },
            &now,
        );
        let Reply::Opened { tables, .. } = reply else { panic!("{reply:?}") };
        assert!(tables.iter().any(|t| t.name == "Extra" && t.rows == Some(2)));
        assert!(tables.iter().any(|t| t.name == "UrlClickEvents"));
        let (reply, bytes) =
            w.handle(Request::Run { id: 7, target: Target::Lesson { key: "t".into(), step: 0 }, query: "Extra | summarize n = sum(v)".into() }, &now);
        let Reply::Ran { id, verdict, errors, .. } = reply else { panic!() };
        assert_eq!(id, 7);
        assert!(errors.is_empty());
        assert!(verdict.unwrap().is_pass());
        assert_eq!(decode_table(&bytes.unwrap()).unwrap().value(0, 0), crate::types::Value::Long(3));
        // Errors come back as diagnostics, with the verdict saying so.
        let (reply, _) =
            w.handle(Request::Run { id: 8, target: Target::Lesson { key: "t".into(), step: 0 }, query: "Extra | summarize n = sum(w)".into() }, &now);
        let Reply::Ran { errors, verdict, .. } = reply else { panic!() };
        assert_eq!(errors[0].code, crate::diag::codes::UNKNOWN_COLUMN);
        assert_eq!(verdict.unwrap().status, crate::lesson::Status::Error);
    }

    #[test]
    fn the_language_worker_answers_from_schemas_alone_and_generates_no_table() {
        // The schemas as the query worker describes them, without generating anything.
        let tables = describe(&builtin_catalog(&DatasetSpec::lesson(0)));
        let mut w = WorkerState::new(0);
        let now = || 0.0;
        let ask = |w: &mut WorkerState, seq: u64, ask: LangAsk| match w.handle(Request::Lang { seq, ask }, &now) {
            (Reply::Lang { seq: s, answer }, None) => {
                assert_eq!(s, seq, "the answer carries the question's number");
                answer
            }
            other => panic!("{other:?}"),
        };
        // Before the schemas come, a table name is unknown; after, its columns are known.
        let LangAnswer::Errors(e) = ask(&mut w, 1, LangAsk::Check { text: "UrlClickEvents | where Nope > 1".into() }) else { panic!() };
        assert!(!e.is_empty());
        assert_eq!(w.handle(Request::Schema { tables }, &now).0, Reply::SchemaSet);
        let text = "UrlClickEvents | where Nope > 1";
        let LangAnswer::Errors(e) = ask(&mut w, 2, LangAsk::Check { text: text.into() }) else { panic!() };
        assert_eq!(e.len(), 1);
        assert_eq!(&text[e[0].0.clone()], "Nope");
        let LangAnswer::Errors(e) = ask(&mut w, 3, LangAsk::Check { text: "UrlClickEvents | where Url has \"x\"".into() }) else { panic!() };
        assert!(e.is_empty(), "{e:?}");
        let text = "UrlClickEvents | where AccountU";
        let LangAnswer::Completions(c) = ask(&mut w, 4, LangAsk::Complete { text: text.into(), cursor: text.len() }) else { panic!() };
        assert_eq!(c[0].label, "AccountUpn");
        // A cursor past the end or inside a character gets no list, not a panic.
        let LangAnswer::Completions(c) = ask(&mut w, 5, LangAsk::Complete { text: "é".into(), cursor: 1 }) else { panic!() };
        assert!(c.is_empty());
        let LangAnswer::Formatted(f) = ask(&mut w, 6, LangAsk::Format { text: "UrlClickEvents | where Url has \"a\" | count".into() }) else { panic!() };
        assert_eq!(f.unwrap(), "UrlClickEvents\n| where Url has \"a\"\n| count");
        let LangAnswer::Formatted(f) = ask(&mut w, 7, LangAsk::Format { text: "UrlClickEvents | where".into() }) else { panic!() };
        assert!(f.unwrap_err().contains("errors"));
        // Nothing was generated or loaded: the worker holds schemas only.
        assert!(w.playground.is_none() && w.lessons.is_empty());
    }

    #[test]
    fn a_playground_size_above_the_largest_says_what_it_generated() {
        let notice = size_notice(MAX_PLAYGROUND_ROWS + 1).expect("a notice above the largest size");
        assert!(notice.contains(&crate::diag::thousands(MAX_PLAYGROUND_ROWS + 1)), "{notice}");
        assert!(notice.contains(&format!("Generated {}.", crate::diag::thousands(MAX_PLAYGROUND_ROWS))), "{notice}");
        assert_eq!(size_notice(MAX_PLAYGROUND_ROWS), None);
        let mut w = WorkerState::new(0);
        let (reply, _) = w.handle(Request::OpenPlayground { tables: vec![], seed: 42, rows: 300 }, &|| 0.0);
        let Reply::Opened { notices, .. } = reply else { panic!("{reply:?}") };
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn bench_times_a_batch_of_runs_on_the_playground() {
        let mut w = WorkerState::new(0);
        let (reply, _) = w.handle(Request::OpenPlayground { tables: vec![], seed: 42, rows: 300 }, &|| 0.0);
        assert!(matches!(reply, Reply::Opened { .. }));
        // A clock that advances 1.5 ms per reading: the batch is read twice.
        let t = std::cell::Cell::new(0.0);
        let now = || {
            t.set(t.get() + 1.5);
            t.get()
        };
        let (reply, bytes) = w.handle(Request::Bench { query: "UrlClickEvents | count".into(), repeat: 4 }, &now);
        assert_eq!(reply, Reply::Benched { runs: 4, elapsed_ms: 1.5, error: None });
        assert!(bytes.is_none());
        let (reply, _) = w.handle(Request::Bench { query: "UrlClickEvents | where Nope".into(), repeat: 0 }, &now);
        let Reply::Benched { runs: 1, error: Some(e), .. } = reply else { panic!("{reply:?}") };
        assert!(e.contains("Nope"), "{e}");
    }

    #[test]
    fn playground_tables_and_bad_csv() {
        let mut w = WorkerState::new(0);
        let (reply, _) = w.handle(
            Request::OpenPlayground {
                tables: vec![("Good".into(), "good.csv".into(), "a,b\n1,x\n".into()), ("Bad".into(), "bad.csv".into(), "a,b\n1\n".into())],
                seed: 42,
                rows: 300,
            },
            &|| 0.0,
        );
        let Reply::Opened { tables, notices, .. } = reply else { panic!() };
        assert!(tables.iter().any(|t| t.name == "Good"));
        assert_eq!(notices[0], WorkerNotice::info("Loaded good.csv as table Good (1 row).".into()));
        assert!(notices[1].error && notices[1].text.starts_with("bad.csv: line 2"), "{notices:?}");
        let cat = schema_catalog(&tables);
        assert!(crate::engine::check("Good | where b == \"x\"", &cat, 0).is_empty());
        assert!(!crate::engine::check("Good | where c == 1", &cat, 0).is_empty());
    }

    #[test]
    fn a_review_reports_the_validators_findings_and_a_broken_solution_is_the_lessons_fault() {
        let broken = LESSON.replace("Extra | summarize n = sum(v)", "Extra | summarize n = sum(nope)")
            + "[[steps]]\nid = \"starter\"\ntitle = \"Starter\"\nnarrative = \"n\"\ntask = \"t\"\nstarter = \"Extra | count\"\nsolution = \"Extra | count\"\nhints = [\"h\"]\n";
        let mut w = WorkerState::new(0);
        let now = || 0.0;
        let csv = vec![("extra.csv".to_string(), "v:long\n1\n2\n".to_string())];
        let (reply, _) = w.handle(Request::OpenLesson { key: "t".into(), lesson: parse_lesson(&broken).unwrap(), csv: csv.clone(), review: true }, &now);
        let Reply::Opened { checks, .. } = reply else { panic!("{reply:?}") };
        assert_eq!(checks.len(), 2);
        assert!(checks[0].errors[0].contains("the solution does not run"), "{checks:?}");
        assert!(checks[1].errors.iter().any(|e| e.contains("starter query already passes")), "{checks:?}");
        // Without a review, no checks are run.
        let (reply, _) = w.handle(Request::OpenLesson { key: "u".into(), lesson: parse_lesson(&broken).unwrap(), csv, review: false }, &now);
        assert!(matches!(reply, Reply::Opened { ref checks, .. } if checks.is_empty()));
        // A learner who runs a working query in the broken step is told it is the lesson's fault.
        let (reply, _) = w.handle(Request::Run { id: 1, target: Target::Lesson { key: "t".into(), step: 0 }, query: "Extra | count".into() }, &now);
        let Reply::Ran { verdict: Some(v), lesson_fault, errors, .. } = reply else { panic!() };
        assert!(lesson_fault);
        assert!(errors.is_empty());
        assert!(v.message.starts_with("This step's reference solution does not run: "), "{}", v.message);
        assert!(v.message.contains("tell the lesson's author"), "{}", v.message);
        // A query with its own error is the learner's to fix.
        let (reply, _) = w.handle(Request::Run { id: 2, target: Target::Lesson { key: "t".into(), step: 0 }, query: "Extra | where".into() }, &now);
        let Reply::Ran { lesson_fault, .. } = reply else { panic!() };
        assert!(!lesson_fault);
    }

    #[test]
    fn a_lesson_sent_without_its_derived_fields_still_applies_required_constructs() {
        let with_requires =
            LESSON.replace("solution = \"Extra | summarize n = sum(v)\"", "solution = \"Extra | summarize n = sum(v)\"\nrequires = [\"summarize\"]");
        let mut lesson = parse_lesson(&with_requires).unwrap();
        assert_eq!(lesson.steps[0].check.requires, vec!["summarize".to_string()]);
        // What the page's message carries: `check.requires` is not serialized.
        lesson.steps[0].check.requires.clear();
        let mut w = WorkerState::new(0);
        let now = || 0.0;
        let csv = vec![("extra.csv".to_string(), "v:long\n1\n2\n".to_string())];
        let (reply, _) = w.handle(Request::OpenLesson { key: "t".into(), lesson, csv, review: false }, &now);
        assert!(matches!(reply, Reply::Opened { .. }), "{reply:?}");
        let (reply, _) = w.handle(Request::Run { id: 1, target: Target::Lesson { key: "t".into(), step: 0 }, query: "print n = 3".into() }, &now);
        let Reply::Ran { verdict: Some(v), .. } = reply else { panic!("{reply:?}") };
        assert_eq!(v.reason, Some(crate::lesson::check::Reason::OtherWay), "the same numbers without summarize are noted: {v:?}");
        // An answer to a lesson the worker does not have says so.
        let (reply, _) = w.handle(Request::Answer { key: "nope".into(), step: 0, typed: "3".into() }, &now);
        let Reply::Answered { verdict, .. } = reply else { panic!("{reply:?}") };
        assert!(verdict.message.contains("not loaded"), "{}", verdict.message);
    }
}
