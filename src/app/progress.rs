//! What a learner has done, saved in the browser's localStorage as versioned JSON.
//!
//! Stored data is untrusted: a corrupt entry, one from an unknown version, or one that is too
//! large is rejected with a reason (the web app keeps the old text under a backup key and
//! starts afresh) — it never crashes the app.

use crate::types::Dynamic;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The format version written by this build.
pub const VERSION: i64 = 1;
/// The localStorage key of the progress, and of the backup of an unreadable one.
pub const STORAGE_KEY: &str = "kqlab.progress";
pub const BACKUP_KEY: &str = "kqlab.progress.backup";
/// Longest query kept per step (longer ones are cut, not lost silently: the UI warns).
pub const MAX_QUERY: usize = 64 * 1024;
/// Largest stored progress accepted.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepProgress {
    pub passed: bool,
    /// The learner's last query in this step.
    pub query: String,
    pub hints_shown: u32,
    pub solution_shown: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonProgress {
    pub current_step: Option<String>,
    pub steps: BTreeMap<String, StepProgress>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub lessons: BTreeMap<String, LessonProgress>,
    pub last_lesson: Option<String>,
    pub playground_query: String,
}

impl Progress {
    pub fn step(&self, lesson: &str, step: &str) -> Option<&StepProgress> {
        self.lessons.get(lesson).and_then(|l| l.steps.get(step))
    }

    pub fn step_mut(&mut self, lesson: &str, step: &str) -> &mut StepProgress {
        self.lessons.entry(lesson.to_string()).or_default().steps.entry(step.to_string()).or_default()
    }

    pub fn passed_count(&self, lesson: &str) -> usize {
        self.lessons.get(lesson).map_or(0, |l| l.steps.values().filter(|s| s.passed).count())
    }

    pub fn to_json(&self) -> String {
        let s = |x: &str| Dynamic::String(Arc::from(x));
        let k = |x: &str| Arc::<str>::from(x);
        let lessons = self
            .lessons
            .iter()
            .map(|(id, l)| {
                let steps = l
                    .steps
                    .iter()
                    .map(|(sid, st)| {
                        let q: String = st.query.chars().take(MAX_QUERY).collect();
                        (
                            k(sid),
                            Dynamic::object(vec![
                                (k("passed"), Dynamic::Bool(st.passed)),
                                (k("query"), s(&q)),
                                (k("hints"), Dynamic::Long(st.hints_shown as i64)),
                                (k("solution"), Dynamic::Bool(st.solution_shown)),
                            ]),
                        )
                    })
                    .collect();
                let mut fields = vec![(k("steps"), Dynamic::object(steps))];
                if let Some(c) = &l.current_step {
                    fields.push((k("current"), s(c)));
                }
                (k(id), Dynamic::object(fields))
            })
            .collect();
        let mut top = vec![(k("version"), Dynamic::Long(VERSION)), (k("lessons"), Dynamic::object(lessons))];
        if let Some(l) = &self.last_lesson {
            top.push((k("last"), s(l)));
        }
        top.push((k("playground"), s(&self.playground_query.chars().take(MAX_QUERY).collect::<String>())));
        Dynamic::object(top).to_json()
    }

    /// Reads stored progress; `Err` explains why it cannot be used.
    pub fn from_json(text: &str) -> Result<Progress, String> {
        if text.len() > MAX_BYTES {
            return Err(format!("the saved progress is {} bytes, more than the {} allowed", text.len(), MAX_BYTES));
        }
        let d = Dynamic::parse_json(text).map_err(|e| format!("the saved progress is not valid JSON ({} at byte {})", e.message, e.offset))?;
        match d.get("version") {
            Dynamic::Long(VERSION) => {}
            Dynamic::Long(v) => return Err(format!("the saved progress has version {v}, and this version of kqlab reads version {VERSION}")),
            _ => return Err("the saved progress has no version number".into()),
        }
        let text_of = |d: &Dynamic| match d {
            Dynamic::String(s) => Some(s.to_string()),
            _ => None,
        };
        let mut p = Progress { last_lesson: text_of(&d.get("last")), playground_query: text_of(&d.get("playground")).unwrap_or_default(), ..Default::default() };
        let Dynamic::Object(lessons) = d.get("lessons") else { return Err("the saved progress has no lessons section".into()) };
        for (id, l) in lessons.iter() {
            let mut lp = LessonProgress { current_step: text_of(&l.get("current")), ..Default::default() };
            if let Dynamic::Object(steps) = l.get("steps") {
                for (sid, st) in steps.iter() {
                    let sp = StepProgress {
                        passed: matches!(st.get("passed"), Dynamic::Bool(true)),
                        query: text_of(&st.get("query")).unwrap_or_default(),
                        hints_shown: match st.get("hints") {
                            Dynamic::Long(n) if (0..1000).contains(&n) => n as u32,
                            _ => 0,
                        },
                        solution_shown: matches!(st.get("solution"), Dynamic::Bool(true)),
                    };
                    lp.steps.insert(sid.to_string(), sp);
                }
            } else {
                return Err(format!("the saved progress of lesson '{id}' has no steps"));
            }
            p.lessons.insert(id.to_string(), lp);
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut p = Progress::default();
        let s = p.step_mut("following-the-click", "recent");
        s.passed = true;
        s.query = "UrlClickEvents\n| where \"x\\\" 😀".into();
        s.hints_shown = 2;
        p.lessons.get_mut("following-the-click").unwrap().current_step = Some("recent".into());
        p.last_lesson = Some("following-the-click".into());
        p.playground_query = "print 1".into();
        assert_eq!(Progress::from_json(&p.to_json()).unwrap(), p);
        assert_eq!(p.passed_count("following-the-click"), 1);
    }

    #[test]
    fn corrupt_or_foreign_data_is_rejected_with_a_reason() {
        assert!(Progress::from_json("{not json").unwrap_err().contains("not valid JSON"));
        assert!(Progress::from_json(r#"{"version": 99, "lessons": {}}"#).unwrap_err().contains("version 99"));
        assert!(Progress::from_json(r#"{"lessons": {}}"#).unwrap_err().contains("no version"));
        assert!(Progress::from_json(r#"{"version": 1, "lessons": {"x": 5}}"#).unwrap_err().contains("lesson 'x'"));
        assert!(Progress::from_json("[]").is_err());
        // Odd but harmless values are tolerated.
        let p = Progress::from_json(r#"{"version": 1, "lessons": {"x": {"steps": {"s": {"hints": -4, "passed": "yes"}}}}}"#).unwrap();
        assert_eq!(p.step("x", "s").unwrap(), &StepProgress::default());
    }
}
