//! The instructor's validator: does every step of a lesson work, and can it only be passed by
//! doing the task (the starter, the bare table and the step's listed typical wrong queries must
//! all fail)? Used by `kqlab lessons check` and by the web app's lesson preview.

use super::check::{answer_digest, check_query, expected_for, Status};
use super::format::{Lesson, Step};
use crate::diag::{render_text_all, LineIndex};
use crate::table::format::cell_text;
use crate::table::{Catalog, Table};
use crate::types::Value;

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
}

impl StepReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Validates every step of `lesson` against `catalog` at `clock`.
pub fn validate(lesson: &Lesson, catalog: &Catalog, clock: i64) -> Vec<StepReport> {
    lesson.steps.iter().map(|s| validate_step(lesson, s, catalog, clock)).collect()
}

fn first_table(solution: &str, catalog: &Catalog) -> Option<String> {
    // The first word of the query part that names a catalog table.
    solution.split(|c: char| !(c.is_alphanumeric() || c == '_')).find(|w| catalog.get(w).is_some()).map(|s| s.to_string())
}

fn validate_step(lesson: &Lesson, s: &Step, catalog: &Catalog, clock: i64) -> StepReport {
    let mut r = StepReport { id: s.id.clone(), title: s.title.clone(), errors: vec![], warnings: vec![], expected: None, order: String::new() };
    let exp = match expected_for(&s.solution, catalog, clock, &s.check) {
        Ok(e) => e,
        Err(diags) => {
            r.errors.push(format!("the solution does not run:\n{}", indent(&render_text_all(&s.solution, &diags))));
            return r;
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
    // The bare table must not pass either.
    if s.question.is_none() {
        if let Some(t) = first_table(&s.solution, catalog) {
            let v = check_query(&t, &exp, catalog, clock, &s.check);
            if v.status == Status::Pass {
                r.errors.push(format!("the check passes for the bare table '{t}'; the step needs a more specific answer"));
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
                Ok(res) => {
                    let t = &res.table;
                    let hit = t
                        .column_index(&q.answer_column)
                        .filter(|_| q.answer_row < t.len())
                        .is_some_and(|c| answer_digest(&lesson.id, &s.id, &answer_text(&t.value(q.answer_row, c))).eq_ignore_ascii_case(&q.answer_sha256));
                    if hit {
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
    r.expected = Some(exp.table);
    r
}

/// The text a learner would type for a cell.
pub fn answer_text(v: &Value) -> String {
    cell_text(v)
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}
