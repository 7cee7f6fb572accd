//! The instructor's view, without a server: many learners' exported progress files (the
//! "Export progress" JSON, which carries each step's run history) summarised per step — how
//! many tried it and passed, how many runs and minutes it took to pass, how much help they
//! used, and which kinds of wrong answer were most common. Everything is computed from the
//! files in the browser; nothing is uploaded.

use super::progress::{Progress, StepProgress};
use std::collections::BTreeMap;

/// Most files one report reads (a class), and the most bytes of each (as an import).
pub const MAX_FILES: usize = 500;

/// One step's figures over all the learners who tried it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepStats {
    pub lesson: String,
    pub step: String,
    /// Learners with a run, a hint or a pass in this step.
    pub tried: usize,
    pub passed: usize,
    /// Median number of runs up to and including the first pass (learners with a history).
    pub runs_to_pass: Option<f64>,
    /// Median minutes from the first run to the first passing run.
    pub minutes_to_pass: Option<f64>,
    /// Mean hints shown per learner who tried.
    pub hints: f64,
    /// Learners who showed the solution.
    pub solutions: usize,
    /// The kinds of wrong answer ("row-count", "error"…), most common first, with counts.
    pub wrong: Vec<(String, usize)>,
}

/// The report: per step, in the order given (lesson order, then step order), and a line per
/// file that could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub learners: usize,
    pub steps: Vec<StepStats>,
    pub problems: Vec<String>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    crate::util::sort::sort_f64(&mut v);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

/// Summarises the progress files `files` (name, text). `order` lists the lessons and their
/// steps as the course has them; steps in the files that are not in `order` come after, by id.
pub fn report(files: &[(String, String)], order: &[(String, Vec<String>)]) -> Report {
    let mut rep = Report::default();
    let mut per_step: BTreeMap<(String, String), Vec<StepProgress>> = BTreeMap::new();
    for (i, (name, text)) in files.iter().enumerate() {
        if i >= MAX_FILES {
            rep.problems.push(format!("{} more files were not read: a report reads at most {MAX_FILES}", files.len() - MAX_FILES));
            break;
        }
        match Progress::from_json(text) {
            Ok(p) => {
                rep.learners += 1;
                for (lid, l) in p.lessons {
                    for (sid, st) in l.steps {
                        per_step.entry((lid.clone(), sid)).or_default().push(st);
                    }
                }
            }
            Err(e) => rep.problems.push(format!("{name}: not read, {}", e.replacen("the saved progress", "the file", 1))),
        }
    }
    let rank = |l: &str, s: &str| -> (usize, usize) {
        match order.iter().position(|(id, _)| id == l) {
            Some(li) => (li, order[li].1.iter().position(|x| x == s).unwrap_or(usize::MAX)),
            None => (usize::MAX, usize::MAX),
        }
    };
    let mut keys: Vec<(String, String)> = per_step.keys().cloned().collect();
    crate::util::sort::sort_by(&mut keys, |a, b| rank(&a.0, &a.1).cmp(&rank(&b.0, &b.1)).then_with(|| a.cmp(b)));
    for key in keys {
        let learners = &per_step[&key];
        let tried: Vec<&StepProgress> = learners.iter().filter(|s| s.passed || s.hints_shown > 0 || s.solution_shown || !s.history.is_empty()).collect();
        if tried.is_empty() {
            continue;
        }
        let mut runs = Vec::new();
        let mut minutes = Vec::new();
        let mut wrong: BTreeMap<String, usize> = BTreeMap::new();
        for s in &tried {
            if let Some(k) = s.history.iter().position(|h| h.verdict == "pass") {
                runs.push((k + 1) as f64);
                let (first, pass) = (s.history[0].at, s.history[k].at);
                if first > 0.0 && pass >= first {
                    minutes.push((pass - first) / 60_000.0);
                }
            }
            for h in s.history.iter().filter(|h| h.verdict != "pass") {
                let kind = h.verdict.strip_prefix("fail:").unwrap_or(&h.verdict).to_string();
                *wrong.entry(kind).or_default() += 1;
            }
        }
        let mut wrong: Vec<(String, usize)> = wrong.into_iter().collect();
        crate::util::sort::sort_by(&mut wrong, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        rep.steps.push(StepStats {
            lesson: key.0.clone(),
            step: key.1.clone(),
            tried: tried.len(),
            passed: tried.iter().filter(|s| s.passed).count(),
            runs_to_pass: median(runs),
            minutes_to_pass: median(minutes),
            hints: tried.iter().map(|s| s.hints_shown as f64).sum::<f64>() / tried.len() as f64,
            solutions: tried.iter().filter(|s| s.solution_shown).count(),
            wrong,
        });
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One step of a made-up learner: step id, runs as (verdict, minute), hints, solution shown.
    type StepLog<'a> = (&'a str, &'a [(&'a str, f64)], u32, bool);

    /// A learner's exported file.
    fn learner(steps: &[StepLog]) -> String {
        let mut p = Progress::default();
        for (sid, runs, hints, solution) in steps {
            let st = p.step_mut("lesson-a", sid);
            for (i, (v, minute)) in runs.iter().enumerate() {
                st.record(&format!("T | take {i}"), v, minute * 60_000.0 + 1.0);
                if *v == "pass" {
                    st.passed = true;
                }
            }
            st.hints_shown = *hints;
            st.solution_shown = *solution;
        }
        p.to_json()
    }

    #[test]
    fn three_learners_summarised_per_step() {
        let files = vec![
            ("ana.json".to_string(), learner(&[("one", &[("fail:row-count", 0.0), ("pass", 3.0)], 1, false), ("two", &[("error", 5.0)], 2, true)])),
            ("ben.json".to_string(), learner(&[("one", &[("pass", 1.0)], 0, false)])),
            ("cleo.json".to_string(), learner(&[("one", &[("fail:row-count", 0.0), ("fail:values", 1.0), ("pass", 10.0)], 3, false)])),
            ("broken.json".to_string(), "{not json".to_string()),
        ];
        let order = vec![("lesson-a".to_string(), vec!["one".to_string(), "two".to_string()])];
        let r = report(&files, &order);
        assert_eq!(r.learners, 3);
        assert_eq!(r.problems, ["broken.json: not read, the file is not valid JSON (expected a quoted property name at byte 1)"]);
        let one = &r.steps[0];
        assert_eq!((one.step.as_str(), one.tried, one.passed), ("one", 3, 3));
        assert_eq!(one.runs_to_pass, Some(2.0), "runs to pass: 2, 1, 3");
        assert_eq!(one.minutes_to_pass, Some(3.0), "minutes: 3, 0, 10");
        assert!((one.hints - 4.0 / 3.0).abs() < 1e-9);
        assert_eq!(one.wrong, [("row-count".to_string(), 2), ("values".to_string(), 1)]);
        let two = &r.steps[1];
        assert_eq!((two.step.as_str(), two.tried, two.passed, two.solutions), ("two", 1, 0, 1));
        assert_eq!(two.runs_to_pass, None);
        assert_eq!(two.wrong, [("error".to_string(), 1)]);
    }

    #[test]
    fn steps_follow_the_course_order_and_unknown_ones_come_last() {
        let files =
            vec![("a".to_string(), learner(&[("zz", &[("pass", 0.0)], 0, false), ("b", &[("pass", 0.0)], 0, false), ("a", &[("pass", 0.0)], 0, false)]))];
        let order = vec![("lesson-a".to_string(), vec!["b".to_string(), "a".to_string()])];
        let r = report(&files, &order);
        assert_eq!(r.steps.iter().map(|s| s.step.as_str()).collect::<Vec<_>>(), ["b", "a", "zz"]);
    }
}
