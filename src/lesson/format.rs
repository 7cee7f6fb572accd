//! The lesson file format (TOML), as documented in `lessons/README.md`, and its reader.
//!
//! Reading never panics: every problem becomes a [`LessonError`] naming the file position and
//! the field, so an instructor sees "line 12, column 3: steps[2].solution: ..." rather than a
//! blank page.

use crate::diag::LineIndex;
use crate::types::DataType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole lesson.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Short stable identifier (letters, digits, `-`); progress is stored under it.
    pub id: String,
    pub title: String,
    /// One or two sentences shown in the lesson picker.
    pub summary: String,
    #[serde(default)]
    pub level: Level,
    /// Rough time to complete, for the picker.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// Ids of lessons to take first (shown with the lesson; `kqlab lessons check` verifies
    /// they name published lessons).
    #[serde(default)]
    pub prerequisites: Vec<String>,
    #[serde(default)]
    pub dataset: Dataset,
    pub steps: Vec<Step>,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Beginner,
    Intermediate,
    Advanced,
}

/// The tables a lesson's queries run against.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Generate the built-in Defender XDR tables (UrlClickEvents, EmailEvents, ...).
    #[serde(default = "yes")]
    pub builtin: bool,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Rows of UrlClickEvents (the e-mail tables scale with it).
    #[serde(default = "default_rows")]
    pub rows: usize,
    /// CSV files placed next to the lesson file, each loaded as a table.
    #[serde(default)]
    pub csv: Vec<CsvTable>,
    /// Files next to the lesson that `externaldata` reads in place of a URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<ExternalFile>,
    /// CSV files next to the lesson that `_GetWatchlist(name)` returns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watchlist: Vec<WatchlistFile>,
}

impl Dataset {
    /// Every file the dataset reads, relative to the lesson file (CSV tables, externaldata
    /// files, watchlists).
    pub fn files(&self) -> Vec<String> {
        let mut out: Vec<String> = self.csv.iter().map(|c| c.file.clone()).collect();
        out.extend(self.external.iter().map(|e| e.file.clone()));
        out.extend(self.watchlist.iter().map(|w| w.file.clone()));
        out
    }
}

/// `[[dataset.external]]`: `externaldata` over `url` reads `file` instead (nothing is fetched).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExternalFile {
    pub url: String,
    pub file: String,
}

/// `[[dataset.watchlist]]`: `_GetWatchlist(name)` returns the CSV `file` (header row required),
/// with `search_key` (default: the first column) as its `SearchKey`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WatchlistFile {
    pub name: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_key: Option<String>,
}

fn yes() -> bool {
    true
}
fn default_seed() -> u64 {
    42
}
fn default_rows() -> usize {
    5000
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset { builtin: true, seed: default_seed(), rows: default_rows(), csv: Vec::new(), external: Vec::new(), watchlist: Vec::new() }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CsvTable {
    /// The table name queries use.
    pub table: String,
    /// The file, relative to the lesson file.
    pub file: String,
    /// Column types (`Timestamp = "datetime"`); columns not listed are typed by the CSV
    /// header (`Name:type`) or inferred from the values.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// A description of the table for the schema pane.
    #[serde(default)]
    pub description: String,
}

/// One step of a lesson.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// Markdown: the story so far and what this step teaches.
    pub narrative: String,
    /// Markdown: what the learner must do.
    pub task: String,
    /// The query the editor starts with.
    #[serde(default)]
    pub starter: String,
    /// The reference solution; its result on the lesson's data is the expected answer.
    pub solution: String,
    /// Revealed one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Markdown shown after the step is passed.
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub check: CheckOptions,
    /// A question the learner answers by typing, instead of matching the solution's table.
    #[serde(default)]
    pub question: Option<Question>,
    /// Typical wrong queries for this step. The validator runs each one and fails the lesson if
    /// it passes: a wrong query that passes means the data cannot tell the mistake from the
    /// idea the step teaches. Never shown to learners.
    #[serde(default)]
    pub wrong: Vec<WrongQuery>,
    /// Constructs the step practises (`"bin()"`, `"join kind=inner"`, `"lookup"`; names as
    /// `kqlab lessons coverage` prints them). A right answer that uses none of them still
    /// passes, with a note that asks the learner to try it the step's way.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Hunting-craft coach rules (`kqlab::lesson::coach::RULES` ids) that give no tips in this
    /// step, where the step teaches the other way on purpose.
    #[serde(default)]
    pub coach_off: Vec<String>,
    /// Re-run a passing answer on the hidden copy of the data (other names, addresses, counts
    /// and times) and accept it only if it is right there too. Unset: on for every step whose
    /// solution filters or summarises a built-in table (see [`Step::rechecks`]).
    #[serde(default)]
    pub recheck: Option<bool>,
    /// Why `recheck = false` (required with it; the validator prints it).
    #[serde(default)]
    pub recheck_why: String,
}

/// Operators that make a solution's answer depend on the data's values (so a hard-coded
/// answer can be told from a real one on the hidden copy).
const FILTERS_OR_SUMMARISES: &[&str] =
    &["where", "filter", "summarize", "count", "distinct", "top", "top-nested", "make-series", "join", "lookup", "search", "arg_max()", "arg_min()"];

impl Step {
    /// Is a passing answer to this step re-checked on the hidden data, and if not, why not?
    /// `csv_tables` are the lesson's own tables, which have no hidden copy.
    pub fn rechecks(&self, builtin: bool, csv_tables: &[String]) -> Result<(), String> {
        if self.question.is_some() {
            return Err("a question step: the typed answer is checked instead".into());
        }
        if self.recheck == Some(false) {
            return Err(format!("recheck = false: {}", self.recheck_why));
        }
        if !builtin {
            return Err("the lesson has no built-in tables, so no hidden copy".into());
        }
        let words: Vec<&str> = self.solution.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
        if let Some(t) = csv_tables.iter().find(|t| words.contains(&t.as_str())) {
            return Err(format!("the solution reads the lesson's own table {t}, which has no hidden copy"));
        }
        if self.recheck == Some(true) {
            return Ok(());
        }
        let used = super::constructs::constructs(&self.solution).unwrap_or_default();
        if FILTERS_OR_SUMMARISES.iter().any(|c| used.contains(*c)) {
            Ok(())
        } else {
            Err("the solution neither filters nor summarises (set recheck = true to re-check it anyway)".into())
        }
    }
}

/// A typical wrong query: the query alone, or the query with the reason it is wrong (printed
/// by the validator when the query passes after all).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum WrongQuery {
    Query(String),
    Explained(ExplainedWrongQuery),
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExplainedWrongQuery {
    pub query: String,
    pub why: String,
}

impl WrongQuery {
    pub fn query(&self) -> &str {
        match self {
            WrongQuery::Query(q) => q,
            WrongQuery::Explained(e) => &e.query,
        }
    }

    pub fn why(&self) -> Option<&str> {
        match self {
            WrongQuery::Query(_) => None,
            WrongQuery::Explained(e) => Some(&e.why),
        }
    }
}

/// How a learner's result is compared with the expected one.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckOptions {
    /// `exact`: column names must match; `any-names`: only positions and types.
    #[serde(default)]
    pub columns: ColumnRule,
    /// `auto`: order matters only when the solution sorts; `any`: never; `strict`: always.
    #[serde(default)]
    pub order: OrderRule,
    /// Allowed difference for real numbers (absolute, or relative for large values).
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// A copy of the step's `requires`, filled in by [`parse_lesson`] so that everything that
    /// judges with these options applies the required-construct gate.
    #[serde(skip)]
    pub requires: Vec<String>,
}

fn default_tolerance() -> f64 {
    1e-6
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { columns: ColumnRule::Exact, order: OrderRule::Auto, tolerance: default_tolerance(), requires: Vec::new() }
    }
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnRule {
    #[default]
    Exact,
    AnyNames,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OrderRule {
    #[default]
    Auto,
    Any,
    Strict,
}

/// A typed-answer question. The answer is not stored: only its SHA-256 digest, which the
/// validator checks against the cell of the solution's result named here.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    /// The column of the solution's result holding the answer.
    pub answer_column: String,
    /// The row (0-based) of that result; default the first.
    #[serde(default)]
    pub answer_row: usize,
    /// `sha256("kqlab:<lesson id>:<step id>:<normalised answer>")`, from `kqlab lessons check`.
    pub answer_sha256: String,
}

/// The list of lessons the web app offers, in order (`lessons/index.toml`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LessonIndex {
    pub lessons: Vec<IndexEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// File name relative to the index.
    pub file: String,
}

/// A problem in a lesson file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonError {
    /// 1-based; 0 when the problem has no single position.
    pub line: usize,
    pub column: usize,
    /// The field path, e.g. `steps[2].solution`, when known.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: ", self.line, self.column)?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Largest lesson file accepted, in bytes.
pub const MAX_LESSON_BYTES: usize = 2 * 1024 * 1024;

fn toml_error(text: &str, e: toml::de::Error) -> LessonError {
    let (line, column) = match e.span() {
        Some(s) => LineIndex::new(text).line_col(s.start),
        None => (0, 0),
    };
    let mut message = e.message().trim().to_string();
    // The toml crate's words for a control character ("invalid comment character") or none at
    // all do not say which character; name it (found by fuzzing).
    let at = e.span().map_or(0, |s| s.start);
    match text.get(at..).and_then(|t| t.chars().next()) {
        Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
            message = format!("the control character U+{:04X} is not allowed in a TOML file (only tabs and line breaks are)", c as u32);
        }
        _ if message.is_empty() => message = "this is not valid TOML".to_string(),
        _ => {}
    }
    let (mut line, mut column) = (line, column);
    if message.contains("recurse") || message.contains("recursion") {
        message = "values are nested too deeply (the TOML reader's recursion limit); flatten the tables or arrays".to_string();
        if e.span().is_none() {
            // Some nesting errors come without a position: point at the line that nests most.
            let depth = |l: &str| l.bytes().filter(|b| matches!(b, b'[' | b'{' | b'.')).count();
            if let Some((i, _)) = text.lines().enumerate().max_by_key(|(i, l)| (depth(l), usize::MAX - i)) {
                (line, column) = (i + 1, 1);
            }
        }
    }
    // serde names the field in backquotes: "missing field `title`", "unknown field `titel`".
    let field = message.split('`').nth(1).filter(|_| message.contains("field")).map(|s| s.to_string());
    let message = match (&field, message.starts_with("unknown field")) {
        (Some(f), true) => misplaced_key(text, line, f).unwrap_or_else(|| friendlier(&message)),
        _ => friendlier(&message),
    };
    LessonError { line, column, field, message }
}

/// Keys of a step, of the lesson and of `[dataset]` (for [`misplaced_key`]).
const STEP_KEYS: &[&str] = &[
    "id",
    "title",
    "narrative",
    "task",
    "starter",
    "solution",
    "hints",
    "explanation",
    "check",
    "question",
    "wrong",
    "requires",
    "coach_off",
    "recheck",
    "recheck_why",
];
const LESSON_KEYS: &[&str] = &["id", "title", "summary", "level", "minutes", "prerequisites", "dataset", "steps"];
const DATASET_KEYS: &[&str] = &["builtin", "seed", "rows", "csv", "external", "watchlist"];

/// An unknown key that is a valid key of an enclosing table: by TOML's rules a `key = value`
/// line belongs to the last `[section]` above it, so a step's `hint` written after
/// `[steps.question]` lands in the question. Say so, and where to move it.
fn misplaced_key(text: &str, line: usize, key: &str) -> Option<String> {
    let header = text
        .lines()
        .take(line.saturating_sub(1))
        .filter_map(|l| {
            let t = l.trim();
            t.starts_with('[').then(|| t.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string())
        })
        .last()?;
    let shown = |h: &str| if h == "steps" || h == "dataset.csv" { format!("[[{h}]]") } else { format!("[{h}]") };
    let (owner, parent, keys): (&str, &str, &[&str]) = match header.as_str() {
        "steps.question" | "steps.check" => ("the step", "question", STEP_KEYS),
        "dataset" => ("the lesson", "dataset", LESSON_KEYS),
        "steps" => ("the lesson", "step", LESSON_KEYS),
        "dataset.csv" => ("[dataset]", "CSV table", DATASET_KEYS),
        "dataset.csv.columns" => ("the CSV table", "column list", &["table", "file", "description", "columns"]),
        _ => return None,
    };
    if !keys.contains(&key) {
        return None;
    }
    let parent = if header == "steps.check" { "check" } else { parent };
    let place = if owner == "the lesson" { "to the top of the file, before any [section]".to_string() } else { format!("above {}", shown(&header)) };
    Some(format!("'{key}' belongs to {owner}, but it comes after {}, so TOML reads it as part of the {parent}; move it {place}", shown(&header)))
}

fn friendlier(m: &str) -> String {
    if let Some(rest) = m.strip_prefix("unknown field ") {
        return format!("unknown field {rest} (check the spelling against lessons/README.md)");
    }
    m.to_string()
}

fn field_pos(text: &str, key: &str, nth_step: Option<usize>) -> (usize, usize) {
    // Best effort: the line where `key =` appears (inside the nth [[steps]] table if given).
    let mut step = None::<usize>;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("[[steps]]") {
            step = Some(step.map_or(0, |s| s + 1));
        }
        if (nth_step.is_none() || step == nth_step) && t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return (i + 1, line.len() - t.len() + 1);
        }
    }
    (0, 0)
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads a lesson file. On failure returns every problem found.
pub fn parse_lesson(text: &str) -> Result<Lesson, Vec<LessonError>> {
    if text.len() > MAX_LESSON_BYTES {
        return Err(vec![LessonError {
            line: 0,
            column: 0,
            field: None,
            message: format!("the file is {} bytes; lesson files may be at most {} bytes", text.len(), MAX_LESSON_BYTES),
        }]);
    }
    let mut lesson: Lesson = toml::from_str(text).map_err(|e| vec![toml_error(text, e)])?;
    for s in &mut lesson.steps {
        s.check.requires = s.requires.clone();
    }
    let mut errs = Vec::new();
    let mut err = |field: String, step: Option<usize>, key: &str, message: String| {
        let (line, column) = field_pos(text, key, step);
        errs.push(LessonError { line, column, field: Some(field), message });
    };
    if !valid_id(&lesson.id) {
        err("id".into(), None, "id", "use letters, digits, '-' and '_' only (at most 64)".into());
    }
    if lesson.title.trim().is_empty() {
        err("title".into(), None, "title", "the title is empty".into());
    }
    for (k, p) in lesson.prerequisites.iter().enumerate() {
        if !valid_id(p) {
            err(format!("prerequisites[{k}]"), None, "prerequisites", format!("'{p}' is not a lesson id (letters, digits, '-' and '_')"));
        } else if *p == lesson.id {
            err(format!("prerequisites[{k}]"), None, "prerequisites", "a lesson cannot be its own prerequisite".into());
        }
    }
    if lesson.steps.is_empty() {
        err("steps".into(), None, "steps", "a lesson needs at least one [[steps]] table".into());
    }
    if lesson.dataset.rows == 0 && lesson.dataset.builtin {
        err("dataset.rows".into(), None, "rows", "rows must be at least 1".into());
    }
    if lesson.dataset.rows > 1_000_000 {
        err("dataset.rows".into(), None, "rows", "lessons run in the browser: use at most 1,000,000 rows".into());
    }
    for (i, c) in lesson.dataset.csv.iter().enumerate() {
        if c.table.is_empty() || !c.table.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
            err(format!("dataset.csv[{i}].table"), None, "table", format!("'{}' is not a valid table name (letters, digits and _)", c.table));
        }
        if c.file.contains("..") || c.file.starts_with('/') || c.file.contains([':', '\\']) {
            err(format!("dataset.csv[{i}].file"), None, "file", format!("'{}' must be a file next to the lesson (no '..', no absolute paths or URLs)", c.file));
        }
        for (col, ty) in &c.columns {
            if DataType::from_name(ty).is_none() {
                err(
                    format!("dataset.csv[{i}].columns.{col}"),
                    None,
                    col,
                    format!("'{ty}' is not a type; use bool, int, long, real, string, datetime, timespan, guid or dynamic"),
                );
            }
        }
    }
    let bad_file = |f: &str| f.contains("..") || f.starts_with('/') || f.contains([':', '\\']) || f.is_empty();
    for (i, x) in lesson.dataset.external.iter().enumerate() {
        if !(x.url.starts_with("https://") || x.url.starts_with("http://")) {
            err(format!("dataset.external[{i}].url"), None, "url", format!("'{}' is not an http(s) URL", x.url));
        }
        if bad_file(&x.file) {
            err(
                format!("dataset.external[{i}].file"),
                None,
                "file",
                format!("'{}' must be a file next to the lesson (no '..', no absolute paths or URLs)", x.file),
            );
        }
    }
    for (i, w) in lesson.dataset.watchlist.iter().enumerate() {
        if w.name.is_empty() {
            err(format!("dataset.watchlist[{i}].name"), None, "name", "a watchlist needs a name (its alias in _GetWatchlist('name'))".into());
        }
        if bad_file(&w.file) {
            err(
                format!("dataset.watchlist[{i}].file"),
                None,
                "file",
                format!("'{}' must be a file next to the lesson (no '..', no absolute paths or URLs)", w.file),
            );
        }
    }
    let mut seen = crate::table::FxHashSet::default();
    for (i, s) in lesson.steps.iter().enumerate() {
        if !valid_id(&s.id) {
            err(format!("steps[{i}].id"), Some(i), "id", "use letters, digits, '-' and '_' only".into());
        } else if !seen.insert(s.id.clone()) {
            err(format!("steps[{i}].id"), Some(i), "id", format!("the id '{}' is used by an earlier step", s.id));
        }
        if s.solution.trim().is_empty() {
            err(format!("steps[{i}].solution"), Some(i), "solution", "every step needs a reference solution".into());
        }
        if !(s.check.tolerance >= 0.0 && s.check.tolerance.is_finite()) {
            err(format!("steps[{i}].check.tolerance"), Some(i), "tolerance", "the tolerance must be a number that is not negative".into());
        }
        for (k, w) in s.wrong.iter().enumerate() {
            if w.query().trim().is_empty() {
                err(format!("steps[{i}].wrong[{k}]"), Some(i), "wrong", "a wrong query is empty; write the typical mistake's query".into());
            }
        }
        for (k, r) in s.requires.iter().enumerate() {
            if !super::constructs::is_construct_name(r) {
                let guess = if super::constructs::is_construct_name(&format!("{r}()")) {
                    format!(" (a function is written with parentheses: \"{r}()\")")
                } else {
                    String::new()
                };
                err(
                    format!("steps[{i}].requires[{k}]"),
                    Some(i),
                    "requires",
                    format!("'{r}' is not a construct name{guess}; use an operator (\"summarize\", \"mv-expand\"), a function with parentheses (\"bin()\"), a join kind (\"join kind=inner\") or a name from 'kqlab lessons coverage'"),
                );
            }
        }
        if s.recheck == Some(false) && s.recheck_why.trim().is_empty() {
            err(
                format!("steps[{i}].recheck_why"),
                Some(i),
                "recheck",
                "recheck = false needs recheck_why: say why a hard-coded answer cannot be told from a real one in this step".to_string(),
            );
        }
        if s.recheck != Some(false) && !s.recheck_why.trim().is_empty() {
            err(
                format!("steps[{i}].recheck_why"),
                Some(i),
                "recheck_why",
                "recheck_why explains recheck = false; set recheck = false or remove it".to_string(),
            );
        }
        for (k, r) in s.coach_off.iter().enumerate() {
            if !super::coach::is_rule(r) {
                let ids = super::coach::RULE_IDS;
                err(format!("steps[{i}].coach_off[{k}]"), Some(i), "coach_off", format!("'{r}' is not a coach rule; the rules are: {}", ids.join(", ")));
            }
        }
        if let Some(q) = &s.question {
            if q.answer_sha256.len() != 64 || !q.answer_sha256.chars().all(|c| c.is_ascii_hexdigit()) {
                err(
                    format!("steps[{i}].question.answer_sha256"),
                    Some(i),
                    "answer_sha256",
                    "must be 64 hex digits; run 'kqlab lessons check' to get the right value".into(),
                );
            }
        }
    }
    if errs.is_empty() {
        Ok(lesson)
    } else {
        Err(errs)
    }
}

/// Reads `lessons/index.toml`.
pub fn parse_index(text: &str) -> Result<LessonIndex, Vec<LessonError>> {
    let idx: LessonIndex = toml::from_str(text).map_err(|e| vec![toml_error(text, e)])?;
    let bad: Vec<LessonError> = idx
        .lessons
        .iter()
        .enumerate()
        .filter(|(_, e)| e.file.contains("..") || e.file.starts_with('/') || e.file.contains([':', '\\']) || !e.file.ends_with(".toml"))
        .map(|(i, e)| LessonError {
            line: 0,
            column: 0,
            field: Some(format!("lessons[{i}].file")),
            message: format!("'{}' must be a .toml file in the lessons folder", e.file),
        })
        .collect();
    if bad.is_empty() {
        Ok(idx)
    } else {
        Err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "demo"
title = "Demo"
summary = "A tiny lesson."

[[steps]]
id = "one"
title = "Count"
narrative = "Story."
task = "Count the clicks."
solution = "UrlClickEvents | count"
"#;

    #[test]
    fn minimal_lesson_reads_with_defaults() {
        let l = parse_lesson(MINIMAL).unwrap();
        assert_eq!(l.dataset.rows, 5000);
        assert!(l.dataset.builtin);
        assert_eq!(l.steps[0].check.columns, ColumnRule::Exact);
    }

    #[test]
    fn coach_off_names_known_rules() {
        let ok = MINIMAL.replace("solution = ", "coach_off = [\"row-limit\"]\nsolution = ");
        assert_eq!(parse_lesson(&ok).unwrap().steps[0].coach_off, vec!["row-limit".to_string()]);
        let bad = MINIMAL.replace("solution = ", "coach_off = [\"row-limits\"]\nsolution = ");
        let e = parse_lesson(&bad).unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("steps[0].coach_off[0]"));
        assert!(e[0].message.starts_with("'row-limits' is not a coach rule; the rules are: time-filter-first, "), "{e:?}");
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let bad = MINIMAL.replace("title = \"Count\"", "titel = \"Count\"");
        let e = parse_lesson(&bad).unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("titel"));
        assert!(e[0].line > 0, "{e:?}");
        let e = parse_lesson("id = \"x\"\ntitle = \"t\"\nsummary = 3\nsteps = []").unwrap_err();
        assert!(e[0].message.contains("invalid type"), "{e:?}");
        assert_eq!(e[0].line, 3);
        let dup = format!("{MINIMAL}\n[[steps]]\nid = \"one\"\ntitle = \"x\"\nnarrative = \"n\"\ntask = \"t\"\nsolution = \"print 1\"\n");
        let e = parse_lesson(&dup).unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("steps[1].id"));
        assert!(e[0].line > 10);
    }

    #[test]
    fn a_step_key_after_the_question_section_is_told_to_move() {
        let text = format!("{MINIMAL}[steps.question]\nprompt = \"p\"\nanswer_column = \"Count\"\nanswer_sha256 = \"{}\"\nhint = \"h\"\n", "0".repeat(64))
            .replace("hint =", "hints =");
        let e = parse_lesson(&text).unwrap_err();
        assert_eq!(
            e[0].message,
            "'hints' belongs to the step, but it comes after [steps.question], so TOML reads it as part of the question; move it above [steps.question]"
        );
        assert_eq!(e[0].line, text.lines().count(), "{e:?}");
        let e = parse_lesson(&format!("{MINIMAL}[steps.check]\norder = \"any\"\nexplanation = \"x\"\n")).unwrap_err();
        assert!(
            e[0].message.starts_with("'explanation' belongs to the step, but it comes after [steps.check], so TOML reads it as part of the check"),
            "{e:?}"
        );
        let text = MINIMAL.replace("summary = \"A tiny lesson.\"\n", "summary = \"A tiny lesson.\"\n[dataset]\nseed = 1\nminutes = 5\n");
        let e = parse_lesson(&text).unwrap_err();
        assert!(e[0].message.starts_with("'minutes' belongs to the lesson, but it comes after [dataset]"), "{e:?}");
        // A plain misspelling keeps the spelling advice.
        let e = parse_lesson(&format!("{MINIMAL}[steps.question]\nprompt = \"p\"\nanswr_column = \"x\"\n")).unwrap_err();
        assert!(e[0].message.contains("check the spelling"), "{e:?}");
    }
}
