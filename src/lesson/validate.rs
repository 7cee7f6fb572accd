//! The instructor's validator: does every step of a lesson work, and can it only be passed by
//! doing the task (the starter, the bare table and the step's listed typical wrong queries must
//! all fail)? Used by `kqlab lessons check` and by the web app's lesson preview.

use super::check::{answer_digest, check_query, datatable_of, expected_for, recheck, Expected, Status};
use super::format::{Lesson, Question, Step};
use crate::diag::{render_text_all, LineIndex};
use crate::table::format::cell_text;
use crate::table::{Catalog, Table};
use crate::types::Value;
use std::ops::Not;

/// The outcome for one step.
#[derive(Clone, Debug)]
pub struct StepReport {
    pub id: String,
    pub title: String,
    /// Problems that make the lesson invalid.
    pub errors: Vec<String>,
    /// Things worth a look that do not make it invalid.
    pub warnings: Vec<String>,
    /// The expected answer (the solution's result), if the solution ran.
    pub expected: Option<Table>,
    /// "ordered by ..." or "any order".
    pub order: String,
    /// The verdict a learner would read for each of the step's typical wrong queries (the
    /// `wrong` list), so the author can check that it helps: "wrong query 1: Your result has ...".
    pub wrong_verdicts: Vec<String>,
}

impl StepReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Validates every step of `lesson` against `catalog` at `clock`.
pub fn validate(lesson: &Lesson, catalog: &Catalog, clock: i64) -> Vec<StepReport> {
    let mut done: Vec<(StepReport, Option<Expected>)> = lesson.steps.iter().map(|s| validate_step(lesson, s, catalog, clock)).collect();
    // The hidden-data re-check (generated only if some step is re-checked).
    let rechecked: Vec<usize> = (0..lesson.steps.len()).filter(|&i| super::dataset::rechecks(lesson, i).is_ok()).collect();
    let hidden = if rechecked.is_empty() { None } else { super::dataset::hidden_catalog(lesson, clock, catalog) };
    for (i, (report, expected)) in done.iter_mut().enumerate() {
        if !rechecked.contains(&i) {
            continue;
        }
        if let (Some(exp), Some(hidden)) = (expected.as_ref(), hidden.as_ref()) {
            report.errors.extend(recheck_problems(&lesson.steps[i], exp, catalog, hidden, clock));
        }
    }
    // Neighbouring steps must ask for different answers: if the solution of the step before or
    // after passes this step's check, a learner can pass both with one query, and one of the
    // two steps teaches nothing new.
    for (i, (report, expected)) in done.iter_mut().enumerate() {
        let s = &lesson.steps[i];
        if s.question.is_some() {
            continue;
        }
        let Some(exp) = expected.as_ref() else { continue };
        let mut found = Vec::new();
        for j in [i.wrapping_sub(1), i + 1] {
            let Some(other) = lesson.steps.get(j) else { continue };
            if check_query(&other.solution, exp, catalog, clock, &s.check).status == Status::Pass {
                found.push(format!(
                    "the solution of step {} '{}' also passes this step's check: one query passes both steps. Ask for something the other step's answer does not give",
                    j + 1,
                    other.id
                ));
            }
        }
        report.errors.extend(found);
    }
    done.into_iter().map(|(r, _)| r).collect()
}

/// The session clocks `lessons check --clocks N` validates a lesson at: `n` hours from `base`
/// (rounded down to the hour, as the app does), `stride` hours apart, where the stride is the
/// first number of hours at least two weeks / `n` that shares no factor with the 168 hours of a
/// week. So the clocks spread over about two weeks (or more); no two fall on the same hour of
/// the week (the data repeats weekly: a clock a week later only shifts every timestamp), the
/// first 24 fall on 24 different hours of the day (so 24 or more clocks include the first and
/// last hour of every local day), and 168 clocks are every hour of the week: all the data
/// there is.
pub fn sweep_clocks(base: i64, n: usize) -> Vec<i64> {
    use crate::types::time::TICKS_PER_HOUR;
    const WEEK: usize = 168;
    let n = n.clamp(1, WEEK);
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut stride = (2 * WEEK).div_ceil(n).max(1);
    while gcd(stride, WEEK) != 1 {
        stride += 1;
    }
    let start = base.div_euclid(TICKS_PER_HOUR) * TICKS_PER_HOUR;
    (0..n).map(|i| start + (i * stride) as i64 * TICKS_PER_HOUR).collect()
}

/// One step's outcome over many session clocks.
#[derive(Clone, Debug)]
pub struct StepSweep {
    pub id: String,
    pub title: String,
    /// The clocks at which the step is invalid, in the order they were checked.
    pub failing: Vec<i64>,
    /// The errors at the first failing clock.
    pub first_errors: Vec<String>,
    /// The verdicts learners read for the step's wrong queries, grouped by form (the text with
    /// every run of digits as `#`): one example of each form, the clock it was read at, and at
    /// how many clocks the form was read.
    pub verdicts: Vec<(String, i64, usize)>,
}

impl StepSweep {
    /// An empty sweep for each step of `lesson`.
    pub fn for_lesson(lesson: &Lesson) -> Vec<StepSweep> {
        lesson.steps.iter().map(|s| StepSweep { id: s.id.clone(), title: s.title.clone(), failing: vec![], first_errors: vec![], verdicts: vec![] }).collect()
    }

    /// Adds the reports of one clock to the sweeps of the lesson's steps.
    pub fn add(sweeps: &mut [StepSweep], reports: Vec<StepReport>, clock: i64) {
        for (sweep, report) in sweeps.iter_mut().zip(reports) {
            if !report.ok() {
                if sweep.failing.is_empty() {
                    sweep.first_errors = report.errors.clone();
                }
                sweep.failing.push(clock);
            }
            for v in report.wrong_verdicts {
                let form = verdict_form(&v);
                match sweep.verdicts.iter_mut().find(|(e, _, _)| verdict_form(e) == form) {
                    Some((_, _, n)) => *n += 1,
                    None => sweep.verdicts.push((v, clock, 1)),
                }
            }
        }
    }
}

/// Validates `lesson` at every clock of `clocks`; `catalog_at` builds its tables for a clock.
/// Errors building the tables stop the sweep at the first clock that has them.
pub fn validate_at_clocks(
    lesson: &Lesson,
    clocks: &[i64],
    catalog_at: &dyn Fn(i64) -> Result<Catalog, Vec<super::LessonError>>,
) -> Result<Vec<StepSweep>, (i64, Vec<super::LessonError>)> {
    let mut out = StepSweep::for_lesson(lesson);
    for &clock in clocks {
        let catalog = catalog_at(clock).map_err(|e| (clock, e))?;
        StepSweep::add(&mut out, validate(lesson, &catalog, clock), clock);
    }
    Ok(out)
}

/// A verdict with every run of digits after its "wrong query K: " prefix replaced by `#`, so
/// "3 rows" and "12 rows" group.
fn verdict_form(v: &str) -> String {
    let (name, text) = v.split_once(": ").unwrap_or(("", v));
    let mut out = format!("{name}: ");
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The hidden-data re-check of one step: the solution must run on the hidden copy and find
/// something there whenever it finds something on the visible data, and a query that
/// hard-codes the visible answer (a `datatable` of it) must fail the re-check.
pub fn recheck_problems(s: &Step, exp: &Expected, catalog: &Catalog, hidden: &Catalog, clock: i64) -> Vec<String> {
    let hexp = match super::check::hidden_expected_for(&s.solution, hidden, clock, &s.check) {
        Ok(e) => e,
        Err(diags) => {
            return vec![format!(
                "the solution does not run on the hidden copy of the data (other names, addresses and times):\n{}",
                indent(&render_text_all(&s.solution, &diags))
            )]
        }
    };
    if hexp.table.is_empty() && !exp.table.is_empty() {
        return vec![
            "the solution finds no rows on the hidden copy of the data: the step's answer depends on something only the visible story has; make the hidden variant tell it too, or set recheck = false with recheck_why".into(),
        ];
    }
    let hard_coded = datatable_of(&exp.table);
    let caught = match check_query(&hard_coded, exp, catalog, clock, &s.check).status {
        // The hard-coded answer passes the visible data, as it should: the re-check must catch it.
        Status::Pass => recheck(&hard_coded, &hexp, hidden, clock, &s.check).is_some(),
        // The answer cannot be written as literals exactly (say, a real that prints rounded):
        // then the hidden answer itself must differ from the visible one.
        _ => check_rows_pass(&exp.table, &hexp, s).not(),
    };
    if caught {
        Vec::new()
    } else {
        vec![format!(
            "the hidden copy of the data gives the same answer as the visible data ({} row{}), so a query that hard-codes the answer passes the re-check: make the hidden variant differ in what this step finds, or set recheck = false with recheck_why",
            exp.table.len(),
            if exp.table.len() == 1 { "" } else { "s" }
        )]
    }
}

fn check_rows_pass(table: &Table, expected: &Expected, s: &Step) -> bool {
    super::check::check_result(table, &s.solution, expected, &s.check).is_pass()
}

fn first_table(solution: &str, catalog: &Catalog) -> Option<String> {
    // The first word of the query part that names a catalog table.
    solution.split(|c: char| !(c.is_alphanumeric() || c == '_')).find(|w| catalog.get(w).is_some()).map(|s| s.to_string())
}

fn validate_step(lesson: &Lesson, s: &Step, catalog: &Catalog, clock: i64) -> (StepReport, Option<Expected>) {
    let mut r =
        StepReport { id: s.id.clone(), title: s.title.clone(), errors: vec![], warnings: vec![], expected: None, order: String::new(), wrong_verdicts: vec![] };
    prose_checks(s, &mut r);
    let exp = match expected_for(&s.solution, catalog, clock, &s.check) {
        Ok(e) => e,
        Err(diags) => {
            r.errors.push(format!("the solution does not run:\n{}", indent(&render_text_all(&s.solution, &diags))));
            return (r, None);
        }
    };
    r.order = if exp.ordered {
        if exp.keys.is_empty() {
            "rows must come in exactly this order".into()
        } else {
            let cols: Vec<String> = exp.keys.iter().map(|k| format!("{} {}", exp.table.fields[k.column].name, if k.desc { "desc" } else { "asc" })).collect();
            format!("ordered by {}", cols.join(", "))
        }
    } else {
        "any row order".into()
    };
    if exp.table.is_empty() && s.question.is_none() {
        r.errors.push("the solution returns no rows, so there is nothing to check against".into());
    }
    if let Some(q) = &s.question {
        match exp.table.column_index(&q.answer_column) {
            None => r.errors.push(format!("question.answer_column: the solution's result has no column '{}'", q.answer_column)),
            Some(c) if q.answer_row >= exp.table.len() => {
                let _ = c;
                r.errors.push(format!("question.answer_row: the solution's result has only {} rows", exp.table.len()));
            }
            Some(c) => {
                let v = exp.table.value(q.answer_row, c);
                if let Some(place) = answer_given_away(s, &answer_text(&v)) {
                    r.errors.push(format!(
                        "the answer ({}) is written in the step's {place}, where learners read it before answering; leave it to the query to find",
                        answer_text(&v)
                    ));
                }
                let digest = answer_digest(&lesson.id, &s.id, &answer_text(&v));
                if !digest.eq_ignore_ascii_case(&q.answer_sha256) {
                    r.errors.push(format!(
                        "question.answer_sha256 does not match the solution's answer; for the answer {} it should be:\n    answer_sha256 = \"{digest}\"",
                        answer_text(&v)
                    ));
                }
            }
        }
    }
    // The starter must run (or at least parse) and must not already pass.
    if !s.starter.trim().is_empty() {
        let v = check_query(&s.starter, &exp, catalog, clock, &s.check);
        match v.status {
            Status::Pass if s.question.is_none() => r.errors.push("the starter query already passes the check; give learners something to change".into()),
            Status::Error => {
                let li = LineIndex::new(&s.starter);
                let (l, c) = v.diagnostics.first().map(|d| li.line_col(d.span.start as usize)).unwrap_or((0, 0));
                r.warnings.push(format!(
                    "the starter query does not run yet (line {l}, column {c}: {})",
                    v.diagnostics.first().map(|d| d.message.as_str()).unwrap_or("")
                ))
            }
            _ => {}
        }
    }
    // The bare table must not pass either, nor the other queries that need no thought: the
    // table with just the solution's time filter, or a row count.
    if let Some(t) = first_table(&s.solution, catalog) {
        for (k, trivial) in trivial_queries(&t, &s.solution).iter().enumerate() {
            match &s.question {
                None => {
                    if check_query(trivial, &exp, catalog, clock, &s.check).status == Status::Pass {
                        r.errors.push(if k == 0 {
                            format!("the check passes for the bare table '{t}'; the step needs a more specific answer")
                        } else {
                            format!("the check passes for the trivial query '{trivial}'; the step needs a more specific answer")
                        });
                    }
                }
                Some(q) => {
                    if gives_answer(lesson, s, q, trivial, catalog, clock) {
                        r.errors.push(format!("the trivial query '{trivial}' already gives the answer; ask for something that takes the step's idea to find"));
                    }
                }
            }
        }
    }
    // Typical wrong queries must not pass: if one does, the data cannot tell the mistake from
    // the idea the step teaches.
    for (k, w) in s.wrong.iter().enumerate() {
        let why = w.why().map(|y| format!(" ({y})")).unwrap_or_default();
        let first_line = w.query().trim().lines().next().unwrap_or("").trim().to_string();
        let name = format!("wrong query {}{why}", k + 1);
        match &s.question {
            None => {
                let v = check_query(w.query(), &exp, catalog, clock, &s.check);
                r.wrong_verdicts.push(format!("wrong query {}: {}", k + 1, v.message));
                match v.status {
                    Status::Pass => r.errors.push(format!(
                        "{name} passes the check: the data cannot tell this mistake from the solution. Add data where they differ, or make the task stricter. The query starts: {first_line}"
                    )),
                    Status::Error => r.warnings.push(format!("{name} does not run, so it shows nothing about the data: {}", v.message)),
                    Status::Fail => {}
                }
            }
            Some(q) => match crate::engine::run(w.query(), catalog, &crate::engine::RunOptions::at(clock)) {
                Err(diags) => r.warnings.push(format!("{name} does not run, so it shows nothing about the data: {}", diags[0].message)),
                Ok(_) => {
                    if shows_answer_first(lesson, s, q, w.query(), catalog, clock) {
                        r.errors.push(format!(
                            "{name} gives the right answer: the data cannot tell this mistake from the solution. Add data where they differ. The query starts: {first_line}"
                        ));
                    }
                }
            },
        }
    }
    // The solution must use what the step says it practises (this also catches a misspelt
    // construct name that is a valid name but not the one meant).
    if !s.requires.is_empty() {
        if let Some(used) = super::constructs::constructs(&s.solution) {
            for req in s.requires.iter().filter(|r| !used.contains(r.as_str())) {
                let shown: Vec<&str> = used.iter().map(|u| u.as_str()).collect();
                r.errors.push(format!("requires lists '{req}', but the solution does not use it (the solution uses: {})", shown.join(", ")));
            }
        }
    }
    // kqlab's random draws are fixed, Kusto's are not: an answer that depends on them would
    // pass here and fail anywhere else.
    if let Some(used) = super::constructs::constructs(&s.solution) {
        for random in ["rand()", "sample", "sample-distinct"].iter().filter(|r| used.contains(**r)) {
            r.errors.push(format!("the solution uses {random}, whose rows or values are random in Kusto; a lesson answer must not depend on chance"));
        }
    }
    let lower = s.solution.to_lowercase();
    if !exp.ordered && (lower.contains("| take ") || lower.contains("| limit ")) {
        r.warnings.push(
            "the solution keeps rows with take/limit without sorting first; Kusto returns arbitrary rows, so learners' correct queries may get different ones"
                .into(),
        );
    }
    if s.hints.is_empty() {
        r.warnings.push("no hints: learners who are stuck get none".into());
    }
    r.expected = Some(exp.table.clone());
    (r, Some(exp))
}

/// Queries that need no thought, which must not pass a step: the bare table, the table with
/// the solution's first `ago()` filter on `Timestamp`, and the row counts of both.
fn trivial_queries(table: &str, solution: &str) -> Vec<String> {
    let mut out = vec![table.to_string(), format!("{table} | count")];
    let lower = solution.to_lowercase();
    if let Some(i) = lower.find("ago(") {
        let arg: String = solution[i + 4..].chars().take_while(|c| *c != ')').collect();
        if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
            let filtered = format!("{table} | where Timestamp > ago({arg})");
            out.push(format!("{filtered} | count"));
            out.push(filtered);
        }
    }
    out
}

/// Does a typical wrong query show a question's answer where the learner reads it: in the
/// answer column of the answer row? A learner who made that mistake types what that cell shows
/// (the e2e course walks do exactly this), so the wrong query must show something else there.
fn shows_answer_first(lesson: &Lesson, s: &Step, q: &Question, query: &str, catalog: &Catalog, clock: i64) -> bool {
    let Ok(res) = crate::engine::run(query, catalog, &crate::engine::RunOptions::at(clock)) else { return false };
    let t = &res.table;
    t.column_index(&q.answer_column)
        .filter(|_| q.answer_row < t.len())
        .is_some_and(|c| answer_digest(&lesson.id, &s.id, &answer_text(&t.value(q.answer_row, c))).eq_ignore_ascii_case(&q.answer_sha256))
}

/// Does a query that needs no thought (see [`trivial_queries`]) give a question's answer, so
/// that a learner who runs it reads the answer off? That is when every row of its result has
/// the answer in the answer column: one row (a count), or a column with one value throughout.
/// A bare table whose first row happens to hold the answer (say, the first click of the ten
/// days was a blocked one, and the question asks for a block's `ActionType`) gives nothing
/// away: the learner would have to pick that row among thousands, which is what the step
/// teaches. (A typical wrong query is held to the stricter [`shows_answer_first`]: it is the
/// query of a learner who believes its first row.)
fn gives_answer(lesson: &Lesson, s: &Step, q: &Question, query: &str, catalog: &Catalog, clock: i64) -> bool {
    let Ok(res) = crate::engine::run(query, catalog, &crate::engine::RunOptions::at(clock)) else { return false };
    let t = &res.table;
    let Some(c) = t.column_index(&q.answer_column).filter(|_| q.answer_row < t.len()) else { return false };
    let answer = answer_text(&t.value(q.answer_row, c));
    answer_digest(&lesson.id, &s.id, &answer).eq_ignore_ascii_case(&q.answer_sha256) && (0..t.len()).all(|r| answer_text(&t.value(r, c)) == answer)
}

/// Where the step's own text (narrative, task, hints, the question's prompt) contains a typed
/// answer as a whole word, or `None`. Answers of one character are not looked for: a `1` in
/// "step 1" gives nothing away.
fn answer_given_away(s: &Step, answer: &str) -> Option<&'static str> {
    let want = super::check::normalize_answer(answer);
    if want.chars().count() < 2 {
        return None;
    }
    let mut places: Vec<(&'static str, &str)> = vec![("narrative", &s.narrative), ("task", &s.task)];
    places.extend(s.hints.iter().map(|h| ("hints", h.as_str())));
    if let Some(q) = &s.question {
        places.push(("question prompt", &q.prompt));
    }
    places.into_iter().find(|(_, text)| contains_word(&text.to_lowercase(), &want)).map(|(p, _)| p)
}

/// `needle` occurs in `hay` with no letter, digit or `_` right before or after it.
fn contains_word(hay: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    hay.match_indices(needle).any(|(i, m)| !word(hay[..i].chars().next_back()) && !word(hay[i + m.len()..].chars().next()))
}

/// Checks on the step's prose that need no data: a hint must not be the whole solution, and
/// KQL in the hints and the explanation must parse.
fn prose_checks(s: &Step, r: &mut StepReport) {
    let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != '`').collect::<String>();
    let solution = squash(&s.solution);
    for (k, h) in s.hints.iter().enumerate() {
        if !solution.is_empty() && squash(h).contains(&solution) {
            r.errors.push(format!(
                "hint {} is the whole solution; the Solution button is there for that. Make the hint a step towards it (the line to add, the function to use)",
                k + 1
            ));
        }
    }
    let texts = s
        .hints
        .iter()
        .enumerate()
        .map(|(k, h)| (format!("hint {}", k + 1), h.as_str()))
        .chain(std::iter::once(("the explanation".to_string(), s.explanation.as_str())));
    for (place, text) in texts {
        for span in code_spans(text) {
            if let Some(msg) = kql_span_error(&span) {
                r.errors.push(format!("{place}: the KQL `{span}` does not parse: {msg}"));
            }
        }
    }
}

/// The inline code spans (`...`) and fenced blocks of a Markdown text.
fn code_spans(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('`') {
        if rest[i..].starts_with("```") {
            let body = &rest[i + 3..];
            let Some(end) = body.find("```") else { break };
            let block = &body[..end];
            // Drop the language word on the fence line.
            let code = block.split_once('\n').map(|(_, c)| c).unwrap_or(block);
            out.push(code.trim().to_string());
            rest = &body[end + 3..];
        } else {
            let body = &rest[i + 1..];
            let Some(end) = body.find('`') else { break };
            out.push(body[..end].to_string());
            rest = &body[end + 1..];
        }
    }
    out
}

/// Tabular operators a code span may start with, to be read as a piece of a pipeline.
const OPERATOR_WORDS: &[&str] = &[
    "where",
    "extend",
    "project",
    "project-away",
    "project-rename",
    "project-reorder",
    "summarize",
    "join",
    "lookup",
    "order",
    "sort",
    "top",
    "distinct",
    "mv-expand",
    "make-series",
    "parse",
    "serialize",
    "take",
    "limit",
    "count",
    "render",
    "union",
    "invoke",
    "top-nested",
    "as",
];

/// If `span` is KQL (it starts with `|`, a tabular operator followed by a space, `let`, or a
/// capitalised name followed by `|`), the first parse error; `None` when it parses or is not
/// KQL. A span with `...` is an elided sketch, not a query.
fn kql_span_error(span: &str) -> Option<String> {
    let t = span.trim();
    // Fewer than three words is an operator's name in prose (`order by`), not a query.
    if t.contains("...") || t.contains('\u{2026}') || t.split_whitespace().count() < 3 {
        return None;
    }
    let first: String = t.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let after = &t[first.len()..];
    let query = if t.starts_with('|') {
        format!("T {t}")
    } else if OPERATOR_WORDS.contains(&first.as_str()) && after.starts_with(' ') && after.trim_start().chars().next().is_some_and(|c| c != '=' && c != ',') {
        format!("T | {t}")
    } else if first == "let" && after.starts_with(' ') {
        if t.trim_end().ends_with(';') {
            format!("{t} print 1")
        } else {
            t.to_string()
        }
    } else if first.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && after.trim_start().starts_with('|') {
        t.to_string()
    } else {
        return None;
    };
    let (_, diags) = crate::syntax::parse(&query);
    diags.first().map(|d| d.message.clone())
}

/// The text a learner would type for a cell.
pub fn answer_text(v: &Value) -> String {
    cell_text(v)
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::check::answer_digest;
    use crate::lesson::dataset::catalog_for;
    use crate::lesson::format::parse_lesson;
    use crate::types::time::parse_datetime;

    /// Four sign-ins in the ten days before the clock, one of them older than 7 days.
    const CSV: &str = "Timestamp,User,Ok\n\
        2026-11-21T09:00:00Z,ann,true\n\
        2026-11-20T09:00:00Z,bob,false\n\
        2026-11-19T09:00:00Z,ann,true\n\
        2026-11-13T09:00:00Z,cy,true\n";

    fn clock() -> i64 {
        parse_datetime("2026-11-22T12:00:00Z").unwrap()
    }

    /// A lesson on the `Logins` CSV table with the given steps (TOML text).
    fn lesson(steps: &str) -> String {
        format!(
            "id = \"demo\"\ntitle = \"Demo\"\nsummary = \"s\"\n[dataset]\nbuiltin = false\n[[dataset.csv]]\ntable = \"Logins\"\nfile = \"l.csv\"\n\
             [dataset.csv.columns]\nTimestamp = \"datetime\"\nOk = \"bool\"\n\n{steps}"
        )
    }

    fn step(id: &str, solution: &str, hints: &[&str], extra: &str) -> String {
        let hints: Vec<String> = hints.iter().map(|h| format!("'''{h}'''")).collect();
        format!(
            "[[steps]]\nid = \"{id}\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"Do it.\"\nsolution = '''{solution}'''\nhints = [{}]\n{extra}\n",
            hints.join(", ")
        )
    }

    fn reports(text: &str) -> Vec<StepReport> {
        let l = parse_lesson(text).unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = catalog_for(&l, clock(), &|_| Ok(CSV.to_string())).unwrap();
        validate(&l, &catalog, clock())
    }

    fn errors(text: &str) -> Vec<String> {
        reports(text).into_iter().flat_map(|r| r.errors).collect()
    }

    /// A lesson on the built-in tables with the given steps.
    fn builtin_lesson(steps: &str) -> Vec<StepReport> {
        let text = format!("id = \"b\"\ntitle = \"B\"\nsummary = \"s\"\n[dataset]\nrows = 2000\n\n{steps}");
        let l = parse_lesson(&text).unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = catalog_for(&l, clock(), &|_| Err("no files".into())).unwrap();
        validate(&l, &catalog, clock())
    }

    #[test]
    fn the_hidden_data_recheck_is_validated() {
        let campaign = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\"";
        let r = builtin_lesson(
            &[
                // Fine: other clickers, counts and times on the hidden copy.
                step("ok", &format!("{campaign} | summarize Clickers = dcount(AccountUpn)"), &[], ""),
                // The same answer on both copies: a hard-coded answer would pass.
                step("same", &format!("{campaign} | summarize Kinds = dcount(ThreatTypes)"), &[], ""),
                // Only the visible story has this person among the clickers.
                step("gone", &format!("{campaign} | where AccountUpn == \"tom.becker@contoso.com\" | project Timestamp"), &[], ""),
                // Switched off, with a reason.
                step(
                    "off",
                    &format!("{campaign} | summarize Kinds = dcount(ThreatTypes)"),
                    &[],
                    "recheck = false\nrecheck_why = \"one threat type either way\"",
                ),
            ]
            .concat(),
        );
        assert!(r[0].errors.is_empty(), "{:?}", r[0].errors);
        assert!(r[1].errors.iter().any(|e| e.contains("gives the same answer as the visible data")), "{:?}", r[1].errors);
        assert!(r[2].errors.iter().any(|e| e.contains("finds no rows on the hidden copy")), "{:?}", r[2].errors);
        assert!(r[3].errors.is_empty(), "switched off with a reason: {:?}", r[3]);
    }

    #[test]
    fn recheck_false_needs_a_reason() {
        let text = lesson(&step("a", "Logins | where Ok == false | project User", &[], "recheck = false"));
        let e = parse_lesson(&text).unwrap_err();
        assert!(e.iter().any(|e| e.message.contains("recheck_why")), "{e:?}");
    }

    #[test]
    fn a_valid_lesson_has_no_errors() {
        let text = lesson(&step("a", "Logins | where Timestamp > ago(7d) | where Ok == false | project User", &["Filter on `Ok`."], ""));
        assert_eq!(errors(&text), Vec::<String>::new());
    }

    #[test]
    fn a_solution_that_depends_on_chance_is_rejected() {
        // kqlab's random draws are fixed, Kusto's are not (issue 13).
        for (solution, what) in [
            ("Logins | where Timestamp > ago(7d) | where rand() < 2.0 | project User", "rand()"),
            ("Logins | where Timestamp > ago(7d) | where Ok == false | sample 3 | project User", "sample"),
        ] {
            let e = errors(&lesson(&step("a", solution, &["Filter on `Ok`."], "")));
            assert!(e.iter().any(|e| e.starts_with(&format!("the solution uses {what},"))), "{solution}: {e:?}");
        }
    }

    #[test]
    fn the_time_filter_alone_must_not_pass() {
        // Every sign-in of the last 7 days has a user, so the step's second filter changes
        // nothing: the solution's answer is the time-filtered table.
        let text = lesson(&step("a", "Logins | where Timestamp > ago(7d) | where isnotempty(User)", &["Use isnotempty."], ""));
        let e = errors(&text);
        assert!(e.iter().any(|e| e.starts_with("the check passes for the trivial query 'Logins | where Timestamp > ago(7d)'")), "{e:?}");
    }

    #[test]
    fn a_question_a_row_count_answers_is_rejected() {
        // "How many sign-ins in the last 10 days?" is the table's row count.
        let q = format!("[steps.question]\nprompt = \"How many?\"\nanswer_column = \"Count\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "4"));
        let text = lesson(&step("a", "Logins | where Timestamp > ago(10d) | count", &["Count them."], &q));
        let e = errors(&text);
        assert!(e.iter().any(|e| e.starts_with("the trivial query 'Logins | count' already gives the answer")), "{e:?}");
        // Over 7 days the answer (3) is no trivial query's.
        let q = format!("[steps.question]\nprompt = \"How many?\"\nanswer_column = \"Count\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "3"));
        let text = lesson(&step("a", "Logins | where Timestamp > ago(7d) | count", &["Count them."], &q));
        // `Logins | where Timestamp > ago(7d) | count` is a trivial query too, and gives 3.
        let e = errors(&text);
        assert!(e.iter().any(|e| e.contains("'Logins | where Timestamp > ago(7d) | count' already gives the answer")), "{e:?}");
    }

    #[test]
    fn a_bare_tables_first_row_holding_the_answer_by_chance_gives_nothing_away() {
        // The latest sign-in is ann's, and so is the table's first row; a learner who runs
        // `Logins` sees three people and has to find the latest one, which is the step.
        let q = format!("[steps.question]\nprompt = \"Who?\"\nanswer_column = \"User\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "ann"));
        let sol = "Logins | where Timestamp > ago(7d) | top 1 by Timestamp | project User";
        assert_eq!(errors(&lesson(&step("a", sol, &["Sort by time."], &q))), Vec::<String>::new());
        // A typical wrong query is the query of a learner who believes its first row: one
        // whose first row holds the answer gives it away, however many rows follow.
        let q = format!("[steps.question]\nprompt = \"Who?\"\nanswer_column = \"User\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "ann"));
        let many = format!("wrong = ['''Logins | where Timestamp > ago(7d) | project User''']\n{q}");
        let e = errors(&lesson(&step("a", sol, &["Sort by time."], &many)));
        assert!(e.iter().any(|e| e.starts_with("wrong query 1 gives the right answer")), "{e:?}");
        let one = format!("wrong = ['''Logins | top 1 by Timestamp | project User''']\n{q}");
        let e = errors(&lesson(&step("a", sol, &["Sort by time."], &one)));
        assert!(e.iter().any(|e| e.starts_with("wrong query 1 gives the right answer")), "{e:?}");
        // When every row of the bare table holds the answer, it is given away.
        let q = format!("[steps.question]\nprompt = \"Which?\"\nanswer_column = \"Kind\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "vpn"));
        let text = lesson(&step("a", "Logins | where Timestamp > ago(7d) | top 1 by Timestamp | extend Kind = \"vpn\" | project Kind", &["h"], &q));
        let text = text.replace("[dataset.csv.columns]", "[dataset.csv.columns]\nKind = \"string\"");
        let csv_with_kind: String = CSV.lines().enumerate().map(|(i, l)| format!("{l},{}\n", if i == 0 { "Kind" } else { "vpn" })).collect();
        let l = parse_lesson(&text).unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = catalog_for(&l, clock(), &|_| Ok(csv_with_kind.clone())).unwrap();
        let e: Vec<String> = validate(&l, &catalog, clock()).into_iter().flat_map(|r| r.errors).collect();
        assert!(
            e.iter().any(|e| e.starts_with("the check passes for the bare table") || e.starts_with("the trivial query 'Logins' already gives the answer")),
            "{e:?}"
        );
    }

    #[test]
    fn neighbouring_steps_must_ask_for_different_answers() {
        let a = step("a", "Logins | where Timestamp > ago(7d) | where Ok == false | project User", &["Filter on `Ok`."], "");
        let same = step("b", "Logins | where Timestamp > ago(7d) | where not(Ok) | project User", &["Use `not()`."], "");
        let e = errors(&lesson(&format!("{a}{same}")));
        assert!(e.iter().any(|e| e.starts_with("the solution of step 2 'b' also passes this step's check")), "{e:?}");
        assert!(e.iter().any(|e| e.starts_with("the solution of step 1 'a' also passes this step's check")), "{e:?}");
        let other = step("b", "Logins | where Timestamp > ago(7d) | where Ok | distinct User", &["Keep the good ones."], "");
        assert_eq!(errors(&lesson(&format!("{a}{other}"))), Vec::<String>::new());
    }

    #[test]
    fn a_hint_that_is_the_whole_solution_is_rejected() {
        let sol = "Logins\n| where Timestamp > ago(7d)\n| where Ok == false\n| project User";
        let text = lesson(&step("a", sol, &["Filter on `Ok`.", "`Logins | where Timestamp > ago(7d) | where Ok == false | project User`"], ""));
        let e = errors(&text);
        assert!(e.iter().any(|e| e.starts_with("hint 2 is the whole solution")), "{e:?}");
        // A line of it is fine.
        let text = lesson(&step("a", sol, &["Filter on `Ok`.", "`| where Ok == false`, then project."], ""));
        assert_eq!(errors(&text), Vec::<String>::new());
    }

    #[test]
    fn a_typed_answer_written_in_the_step_is_rejected() {
        let q = format!("[steps.question]\nprompt = \"Who failed?\"\nanswer_column = \"User\"\nanswer_sha256 = \"{}\"\n", answer_digest("demo", "a", "bob"));
        let sol = "Logins | where Timestamp > ago(7d) | where Ok == false | project User";
        let e = errors(&lesson(&step("a", sol, &["Look at Bob's row."], &q)));
        assert!(e.iter().any(|e| e.starts_with("the answer (bob) is written in the step's hints")), "{e:?}");
        // Inside another word it is not the answer.
        assert_eq!(errors(&lesson(&step("a", sol, &["Look at the `bobs` table."], &q))), Vec::<String>::new());
    }

    #[test]
    fn kql_in_hints_and_explanations_must_parse() {
        let sol = "Logins | where Timestamp > ago(7d) | where Ok == false | project User";
        let e = errors(&lesson(&step("a", sol, &["`| where Ok == (false`"], "explanation = '''Try `Logins | summarize by`.'''")));
        assert!(e.iter().any(|e| e.starts_with("hint 1: the KQL `| where Ok == (false` does not parse")), "{e:?}");
        assert!(e.iter().any(|e| e.starts_with("the explanation: the KQL `Logins | summarize by` does not parse")), "{e:?}");
        // Operator names in prose and elided sketches are not queries.
        let ok = "explanation = '''`order by` sorts; `summarize ... by User` groups; `where x` filters.'''";
        assert_eq!(errors(&lesson(&step("a", sol, &["Use `where Ok == false`."], ok))), Vec::<String>::new());
    }

    #[test]
    fn the_report_carries_each_wrong_querys_verdict() {
        let sol = "Logins | where Timestamp > ago(7d) | where Ok == false | project User";
        let r = reports(&lesson(&step("a", sol, &["h"], "wrong = ['''Logins | where Timestamp > ago(7d) | where Ok | project User''']")));
        assert_eq!(r[0].wrong_verdicts.len(), 1);
        assert!(r[0].wrong_verdicts[0].starts_with("wrong query 1: Your result has 2 rows; the expected answer has 1."), "{:?}", r[0].wrong_verdicts);
    }

    #[test]
    fn arrays_of_another_length_are_named_by_their_lengths() {
        // A daily series where the answer is a half-daily one: the first values of the arrays
        // say nothing, their lengths say what is wrong.
        let sol = "Logins | make-series N = count() default=0 on Timestamp from ago(7d) to now() step 12h";
        let wrong = "wrong = ['''Logins | make-series N = count() default=0 on Timestamp from ago(7d) to now() step 1d''']";
        let r = reports(&lesson(&step("a", sol, &["h"], wrong)));
        let v = &r[0].wrong_verdicts[0];
        assert!(v.starts_with("wrong query 1: The `N` arrays have 7 values in your result and 14 values in the expected answer."), "{v}");
        // Same lengths, other values: the usual message.
        let wrong = "wrong = ['''Logins | where Ok | make-series N = count() default=0 on Timestamp from ago(7d) to now() step 12h''']";
        let r = reports(&lesson(&step("a", sol, &["h"], wrong)));
        assert!(r[0].wrong_verdicts[0].starts_with("wrong query 1: Some rows differ"), "{:?}", r[0].wrong_verdicts);
    }

    #[test]
    fn swapped_labels_are_named_as_a_whole_row() {
        // The solution labels ann's sign-ins "good"; the wrong query swaps the labels, so every
        // single value is somewhere in its result, paired differently.
        let sol = "Logins | where Timestamp > ago(7d) | summarize N = count() by Label = iff(Ok, \"good\", \"bad\")";
        let wrong = "wrong = ['''Logins | where Timestamp > ago(7d) | summarize N = count() by Label = iff(Ok, \"bad\", \"good\")''']";
        let r = reports(&lesson(&step("a", sol, &["h"], wrong)));
        assert!(r[0].ok(), "{:?}", r[0].errors);
        let v = &r[0].wrong_verdicts[0];
        assert!(
            v.contains("the expected answer has the row Label = `bad`, N = `1` that your result does not have (your rows pair these values differently)"),
            "{v}"
        );
    }

    #[test]
    fn a_count_hint_never_names_a_window_parameter() {
        // The solution's window is a let parameter; the learner's literal window is right, so
        // "the task asks for the last Lookback" would be nonsense.
        let sol = "let Lookback = 7d; Logins | where Timestamp > ago(Lookback) | where Ok | project User";
        let wrong = "wrong = ['''Logins | where Timestamp > ago(7d) | project User''']";
        let r = reports(&lesson(&step("a", sol, &["h"], wrong)));
        let v = &r[0].wrong_verdicts[0];
        assert!(v.starts_with("wrong query 1: Your result has 3 rows; the expected answer has 2."), "{v}");
        assert!(!v.to_lowercase().contains("lookback") && !v.contains("time window"), "{v}");
    }
}
