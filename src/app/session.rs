//! A lesson in progress: its tables, the expected answer of each step (computed on first use
//! and kept), and running a learner's query with the verdict.

use crate::diag::Diagnostic;
use crate::engine::{self, QueryResult, RunOptions};
use crate::lesson::check::{self, Expected, Verdict};
use crate::lesson::{dataset, Lesson, LessonError};
use crate::table::Catalog;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Most rows a result may show in the grid (the checker still sees them all).
pub const MAX_SHOWN_ROWS: usize = 500_000;

pub struct LessonSession {
    pub lesson: Lesson,
    pub catalog: Catalog,
    pub clock: i64,
    expected: RefCell<HashMap<usize, Result<Rc<Expected>, String>>>,
    /// The hidden copy of the tables (built the first time a re-check needs it; `None` inside
    /// for a lesson without built-in tables).
    hidden: std::cell::OnceCell<Option<Catalog>>,
    /// The solution's result on the hidden copy, per step (`None`: cannot be re-checked).
    hidden_expected: RefCell<HashMap<usize, Option<Rc<Expected>>>>,
    /// The solution's pipeline stages, per step (run traced on the first wrong answer, then
    /// kept: every later wrong answer is lined up against the same stages).
    solution_stages: RefCell<HashMap<usize, Option<Rc<Vec<engine::Stage>>>>>,
}

/// The outcome of running a query in a step.
pub struct StepRun {
    pub result: Result<QueryResult, Vec<Diagnostic>>,
    /// `None` for question steps (the typed answer is checked separately).
    pub verdict: Option<Verdict>,
    /// The verdict is the lesson's fault: the step's reference solution does not run.
    pub lesson_fault: bool,
    /// The rows after each stage of the query's pipeline (the pipeline stepper).
    pub stages: Vec<engine::Stage>,
    /// For a wrong answer: where its stages first part from the solution's
    /// ([`crate::lesson::stages::parting_note`]).
    pub parting: Option<String>,
}

impl LessonSession {
    /// Builds the lesson's tables. `load` returns the text of a CSV file the lesson names.
    pub fn new(lesson: Lesson, clock: i64, load: &dyn Fn(&str) -> Result<String, String>) -> Result<LessonSession, Vec<LessonError>> {
        let catalog = dataset::catalog_for(&lesson, clock, load)?;
        Ok(LessonSession {
            lesson,
            catalog,
            clock,
            expected: RefCell::new(HashMap::new()),
            hidden: Default::default(),
            hidden_expected: Default::default(),
            solution_stages: Default::default(),
        })
    }

    /// The expected answer of step `i` (runs the solution the first time).
    pub fn expected(&self, i: usize) -> Result<Rc<Expected>, String> {
        if let Some(e) = self.expected.borrow().get(&i) {
            return e.clone();
        }
        let step = &self.lesson.steps[i];
        let e = check::expected_for(&step.solution, &self.catalog, self.clock, &step.check).map(Rc::new).map_err(|d| {
            let what = d.first().map_or_else(|| "no result".to_string(), |d| d.message.clone());
            format!("This step's reference solution does not run: {what} — tell the lesson's author. Your query itself ran; its result is below.")
        });
        self.expected.borrow_mut().insert(i, e.clone());
        e
    }

    /// The hidden copy of the lesson's tables (generated on first use).
    pub fn hidden_catalog(&self) -> Option<&Catalog> {
        self.hidden.get_or_init(|| dataset::hidden_catalog(&self.lesson, self.clock, &self.catalog)).as_ref()
    }

    /// The solution's result on the hidden copy for step `i`, if the step is re-checked and the
    /// solution runs there (computed the first time and kept).
    pub fn hidden_expected(&self, i: usize) -> Option<Rc<Expected>> {
        if let Some(e) = self.hidden_expected.borrow().get(&i) {
            return e.clone();
        }
        let step = &self.lesson.steps[i];
        let e = match dataset::rechecks(&self.lesson, i) {
            Ok(()) => self.hidden_catalog().and_then(|h| check::hidden_expected_for(&step.solution, h, self.clock, &step.check).ok().map(Rc::new)),
            Err(_) => None,
        };
        self.hidden_expected.borrow_mut().insert(i, e.clone());
        e
    }

    /// Runs `query` in step `i` and judges it.
    pub fn run_step(&self, i: usize, query: &str) -> StepRun {
        let step = &self.lesson.steps[i];
        let (full, stages) = match engine::run_staged(query, &self.catalog, &RunOptions::at(self.clock)) {
            Ok((r, st)) => (Ok(r), st),
            Err(d) => (Err(d), Vec::new()),
        };
        let mut lesson_fault = false;
        let verdict = if step.question.is_some() {
            None
        } else {
            Some(match &full {
                Err(d) => check::error_verdict(query, d.clone()),
                Ok(r) => match self.expected(i) {
                    Ok(exp) => {
                        let v = check::check_result(&r.table, query, &exp, &step.check);
                        // A right answer must be right on the hidden copy too (generated the
                        // first time an answer passes; a wrong one costs nothing extra).
                        let hidden = if v.is_pass() { self.hidden_expected(i).zip(self.hidden_catalog()) } else { None };
                        match hidden {
                            Some((hexp, cat)) => check::recheck(query, &hexp, cat, self.clock, &step.check).unwrap_or(v),
                            None => v,
                        }
                    }
                    Err(msg) => {
                        lesson_fault = true;
                        Verdict { status: check::Status::Error, reason: None, message: msg, preview: None, diagnostics: vec![] }
                    }
                },
            })
        };
        // A wrong result: line its stages up with the solution's (run again, traced; only on
        // a wrong answer, so a right one costs nothing extra).
        let parting = match &verdict {
            Some(v) if v.status == check::Status::Fail && v.reason != Some(check::Reason::HiddenData) && !stages.is_empty() => {
                self.solution_stages(i).and_then(|expected| crate::lesson::stages::parting_note(&stages, &expected))
            }
            _ => None,
        };
        let result = full.map(|mut r| {
            if r.table.len() > MAX_SHOWN_ROWS {
                r.table = r.table.head(MAX_SHOWN_ROWS);
            }
            r
        });
        StepRun { result, verdict, lesson_fault, stages, parting }
    }

    /// The stages of step `i`'s solution (run traced the first time; `None` if it does not run).
    fn solution_stages(&self, i: usize) -> Option<Rc<Vec<engine::Stage>>> {
        if let Some(s) = self.solution_stages.borrow().get(&i) {
            return s.clone();
        }
        let s = engine::run_staged(&self.lesson.steps[i].solution, &self.catalog, &RunOptions::at(self.clock)).ok().map(|(_, st)| Rc::new(st));
        self.solution_stages.borrow_mut().insert(i, s.clone());
        s
    }

    /// How many steps' solution stages are kept (for tests).
    #[cfg(test)]
    fn kept_solution_stages(&self) -> usize {
        self.solution_stages.borrow().len()
    }

    /// Checks a typed answer to step `i`'s question.
    pub fn answer(&self, i: usize, typed: &str) -> Verdict {
        let step = &self.lesson.steps[i];
        match &step.question {
            Some(q) => check::check_answer(&self.lesson.id, &step.id, typed, &q.answer_sha256),
            None => Verdict::pass(""),
        }
    }
}

/// Runs a query outside lessons (the playground).
/// [`run_free`] with the row count after each stage of the pipeline.
pub fn run_free_staged(query: &str, catalog: &Catalog, clock: i64) -> Result<(QueryResult, Vec<engine::Stage>), Vec<Diagnostic>> {
    engine::run_staged(query, catalog, &RunOptions { clock, max_result_rows: Some(MAX_SHOWN_ROWS), ..Default::default() })
}

pub fn run_free(query: &str, catalog: &Catalog, clock: i64) -> Result<QueryResult, Vec<Diagnostic>> {
    engine::run(query, catalog, &RunOptions { clock, max_result_rows: Some(MAX_SHOWN_ROWS), ..Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::parse_lesson;
    use crate::table::Table;

    const LESSON: &str = r#"
id = "t"
title = "T"
summary = "s"
[dataset]
rows = 300
[[steps]]
id = "count"
title = "Count"
narrative = "n"
task = "t"
solution = "UrlClickEvents | where Url has \"contoso-login\" | summarize Users = dcount(AccountUpn)"
[[steps]]
id = "q"
title = "Q"
narrative = "n"
task = "t"
solution = "UrlClickEvents | where IsClickedThrough | project AccountUpn"
[steps.question]
prompt = "Who clicked through?"
answer_column = "AccountUpn"
answer_sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
"#;

    /// A lesson on the built-in tables whose steps a hard-coded answer could pass.
    const STORY: &str = r#"
id = "h"
title = "H"
summary = "s"
[dataset]
rows = 2000
[[steps]]
id = "clickers"
title = "Clickers"
narrative = "n"
task = "t"
solution = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" | summarize Clickers = dcount(AccountUpn)"
[[steps]]
id = "allowed"
title = "Allowed"
narrative = "n"
task = "t"
solution = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" and ActionType == \"ClickAllowed\" | distinct AccountUpn"
[[steps]]
id = "first"
title = "First"
narrative = "n"
task = "t"
solution = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" | summarize First = min(Timestamp)"
[[steps]]
id = "plain"
title = "Plain"
narrative = "n"
task = "t"
recheck = false
recheck_why = "testing the switch"
solution = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" | summarize Clickers = dcount(AccountUpn)"
"#;

    fn story_session() -> LessonSession {
        let clock = crate::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap();
        LessonSession::new(parse_lesson(STORY).unwrap(), clock, &|_| Err("no files".into())).unwrap()
    }

    /// The visible answer of step `i` as the learner would paste it.
    fn visible(s: &LessonSession, i: usize) -> Table {
        s.expected(i).unwrap().table.clone()
    }

    fn reason(s: &LessonSession, i: usize, q: &str) -> (check::Status, Option<check::Reason>, String) {
        let v = s.run_step(i, q).verdict.unwrap();
        (v.status, v.reason, v.message)
    }

    #[test]
    fn the_solution_is_traced_once_per_step_for_the_parting_notes() {
        let s = story_session();
        let wrong = [
            "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" | distinct AccountUpn",
            "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso\" and ActionType == \"ClickAllowed\" | distinct AccountUpn",
        ];
        let expected = engine::run_staged(&s.lesson.steps[1].solution, &s.catalog, &RunOptions::at(s.clock)).unwrap().1;
        for q in wrong {
            let run = s.run_step(1, q);
            assert_eq!(run.verdict.as_ref().unwrap().status, check::Status::Fail, "{q}");
            let fresh = crate::lesson::stages::parting_note(&run.stages, &expected);
            assert!(fresh.is_some(), "{q}: the stages can be lined up");
            assert_eq!(run.parting, fresh, "{q}: the kept stages give the note a fresh trace gives");
        }
        assert_eq!(s.kept_solution_stages(), 1, "one traced run of the solution for two wrong answers");
        // A right answer traces nothing.
        let _ = s.run_step(0, &s.lesson.steps[0].solution.clone());
        assert_eq!(s.kept_solution_stages(), 1);
    }

    #[test]
    fn hard_coded_answers_fail_the_hidden_data_recheck() {
        let s = story_session();
        let hidden = Some(check::Reason::HiddenData);
        // A hard-coded count.
        let n = visible(&s, 0).value(0, 0);
        let (status, why, msg) = reason(&s, 0, &format!("print Clickers = {}", crate::table::format::cell_text(&n)));
        assert_eq!((status, why), (check::Status::Fail, hidden), "{msg}");
        assert!(msg.contains("second copy of the data") && msg.contains(&format!("`{}`", crate::table::format::cell_text(&n))), "{msg}");
        // A hard-coded name (someone the lesson does not introduce: Safe Links let Priya through).
        let q = "UrlClickEvents | where Timestamp > ago(7d) and Url has \"contoso-login\" and ActionType == \"ClickAllowed\" | where AccountUpn in (\"priya.raman@contoso.com\", \"emma.vargas@contoso.com\", \"sofia.lindqvist@contoso.com\") | distinct AccountUpn";
        assert_eq!(
            s.run_step(1, &q.replace(" | where AccountUpn in (\"priya.raman@contoso.com\", \"emma.vargas@contoso.com\", \"sofia.lindqvist@contoso.com\")", ""))
                .verdict
                .unwrap()
                .status,
            check::Status::Pass
        );
        let (status, why, msg) = reason(&s, 1, "UrlClickEvents | where AccountUpn in (\"priya.raman@contoso.com\", \"emma.vargas@contoso.com\", \"sofia.lindqvist@contoso.com\") | distinct AccountUpn");
        assert_eq!((status, why), (check::Status::Fail, hidden), "{msg}");
        assert!(msg.contains("`\"priya.raman@contoso.com\"`"), "the literal the solution lacks is named: {msg}");
        let _ = q;
        // A hard-coded timestamp.
        let first = crate::table::format::cell_text(&visible(&s, 2).value(0, 0));
        let (status, why, msg) = reason(&s, 2, &format!("print First = datetime({first})"));
        assert_eq!((status, why), (check::Status::Fail, hidden), "{msg}");
        // A datatable of the whole answer.
        for i in 0..3 {
            let dt = check::datatable_of(&visible(&s, i));
            let (status, why, msg) = reason(&s, i, &dt);
            assert_eq!((status, why), (check::Status::Fail, hidden), "step {i}: {msg}");
        }
        // The solutions and equivalent rewrites pass.
        for (i, step) in s.lesson.steps.iter().enumerate() {
            assert!(s.run_step(i, &step.solution).verdict.unwrap().is_pass(), "step {i}");
        }
        let rewrite = "UrlClickEvents | where Url contains \"CONTOSO-LOGIN\" | where Timestamp >= ago(7d) | summarize Clickers = count_distinct(AccountUpn)";
        let v = s.run_step(0, rewrite).verdict.unwrap();
        assert!(v.is_pass(), "{v:?}");
        let rewrite = "UrlClickEvents | where Timestamp > ago(7d) | where Url has \"contoso-login\" | top 1 by Timestamp asc | project First = Timestamp";
        assert!(s.run_step(2, rewrite).verdict.unwrap().is_pass());
        // `recheck = false`: the hard-coded count passes there.
        assert!(s.run_step(3, &format!("print Clickers = {}", crate::table::format::cell_text(&n))).verdict.unwrap().is_pass());
    }

    #[test]
    fn the_hidden_copy_is_built_only_when_an_answer_passes() {
        let s = story_session();
        let wrong = s.run_step(0, "UrlClickEvents | summarize Clickers = dcount(AccountUpn)");
        assert!(!wrong.verdict.unwrap().is_pass());
        assert!(s.hidden.get().is_none(), "a wrong answer does not generate the hidden copy");
        assert!(s.run_step(0, &s.lesson.steps[0].solution.clone()).verdict.unwrap().is_pass());
        assert!(s.hidden.get().is_some());
        assert!(s.hidden_expected.borrow().contains_key(&0), "the hidden expected answer is kept");
    }

    #[test]
    fn run_and_check_a_step() {
        let l = parse_lesson(LESSON).unwrap();
        let s = LessonSession::new(l, 0, &|_| Err("no files".into())).unwrap();
        let ok = s.run_step(0, "UrlClickEvents | where Url contains \"contoso-login\" | summarize Users = dcount(AccountUpn)");
        assert!(ok.verdict.unwrap().is_pass());
        let wrong = s.run_step(0, "UrlClickEvents | summarize Users = dcount(AccountUpn)");
        assert!(!wrong.verdict.unwrap().is_pass());
        let err = s.run_step(0, "UrlClickEvents | summarize Users = dcount(AcountUpn)");
        assert_eq!(err.verdict.unwrap().status, check::Status::Error);
        assert!(s.run_step(1, "UrlClickEvents | take 1").verdict.is_none(), "question steps are judged by the typed answer");
        let who = crate::lesson::check::answer_digest("t", "q", "sofia.lindqvist@contoso.com");
        assert_ne!(who, "0000000000000000000000000000000000000000000000000000000000000000");
    }
}
