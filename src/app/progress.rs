//! What a learner has done, saved in the browser's localStorage as versioned JSON.
//!
//! Several tabs may have kqlab open at once, so a tab never overwrites what another saved:
//! it merges ([`Progress::merge`]) what is stored with its own before writing, and merges
//! what another tab wrote when the browser tells it (the `storage` event).
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

/// Runs kept per step in the query history.
pub const HISTORY_LEN: usize = 20;
/// Longest query kept in the history (a longer run is not recorded there; the draft keeps it).
pub const HISTORY_QUERY: usize = 16 * 1024;

/// One run of a step's query, for the history list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryEntry {
    pub query: String,
    /// "pass", "error", or "fail:<reason>" (the checker's verdict; see [`is_verdict_word`]).
    pub verdict: String,
    /// When it ran (milliseconds since the Unix epoch).
    pub at: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepProgress {
    pub passed: bool,
    /// The learner's last query in this step.
    pub query: String,
    pub hints_shown: u32,
    pub solution_shown: bool,
    /// When `query` was last edited (milliseconds since the Unix epoch; 0 when unknown): of
    /// two tabs' drafts, the newer one is kept.
    pub saved_at: f64,
    /// The last [`HISTORY_LEN`] runs in this step, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl StepProgress {
    /// Records a run; the same query run again moves to the end with its new verdict.
    pub fn record(&mut self, query: &str, verdict: &str, at: f64) {
        let query = query.trim();
        if query.is_empty() || query.len() > HISTORY_QUERY {
            return;
        }
        self.history.retain(|h| h.query != query);
        self.history.push(HistoryEntry { query: query.to_string(), verdict: verdict.to_string(), at });
        let extra = self.history.len().saturating_sub(HISTORY_LEN);
        self.history.drain(..extra);
    }
}

/// "pass", "error", "fail", or "fail:" and a reason in kebab case ("fail:row-count").
pub fn is_verdict_word(v: &str) -> bool {
    matches!(v, "pass" | "fail" | "error")
        || v.strip_prefix("fail:").is_some_and(|r| !r.is_empty() && r.len() <= 32 && r.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
}

/// Two histories as one: every run of either, by time, the same query once (its latest run),
/// the last [`HISTORY_LEN`].
fn merge_history(a: &[HistoryEntry], b: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut all: Vec<HistoryEntry> = a.iter().chain(b).cloned().collect();
    crate::util::sort::sort_by(&mut all, |x, y| x.at.total_cmp(&y.at).then_with(|| x.query.cmp(&y.query)));
    let mut out: Vec<HistoryEntry> = Vec::new();
    for h in all.into_iter().rev() {
        if !out.iter().any(|o| o.query == h.query) {
            out.push(h);
        }
    }
    out.truncate(HISTORY_LEN);
    out.reverse();
    out
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
    /// When `playground_query` was last edited (as [`StepProgress::saved_at`]).
    pub playground_at: f64,
}

impl Progress {
    pub fn step(&self, lesson: &str, step: &str) -> Option<&StepProgress> {
        self.lessons.get(lesson).and_then(|l| l.steps.get(step))
    }

    pub fn step_mut(&mut self, lesson: &str, step: &str) -> &mut StepProgress {
        self.lessons.entry(lesson.to_string()).or_default().steps.entry(step.to_string()).or_default()
    }

    /// Sets a step's draft query, edited at `now` (milliseconds since the Unix epoch).
    pub fn set_query(&mut self, lesson: &str, step: &str, query: String, now: f64) {
        let s = self.step_mut(lesson, step);
        s.query = query;
        s.saved_at = now;
    }

    /// Takes in progress saved by another tab: passed steps, shown hints and solutions are
    /// united (nothing done anywhere is lost), and of two drafts of the same query the newer
    /// one is kept. This tab's current lesson and step stay as they are.
    pub fn merge(&mut self, other: &Progress) {
        fn newer(mine: (&str, f64), theirs: (&str, f64)) -> bool {
            theirs.1 > mine.1 || (mine.0.is_empty() && mine.1 == 0.0 && !theirs.0.is_empty())
        }
        for (lid, ol) in &other.lessons {
            let l = self.lessons.entry(lid.clone()).or_default();
            if l.current_step.is_none() {
                l.current_step = ol.current_step.clone();
            }
            for (sid, os) in &ol.steps {
                let s = l.steps.entry(sid.clone()).or_default();
                s.passed |= os.passed;
                s.hints_shown = s.hints_shown.max(os.hints_shown);
                s.solution_shown |= os.solution_shown;
                if newer((&s.query, s.saved_at), (&os.query, os.saved_at)) {
                    s.query = os.query.clone();
                    s.saved_at = os.saved_at;
                }
                if s.history != os.history {
                    s.history = merge_history(&s.history, &os.history);
                }
            }
        }
        if self.last_lesson.is_none() {
            self.last_lesson = other.last_lesson.clone();
        }
        if newer((&self.playground_query, self.playground_at), (&other.playground_query, other.playground_at)) {
            self.playground_query = other.playground_query.clone();
            self.playground_at = other.playground_at;
        }
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
                                (k("at"), Dynamic::Real(st.saved_at)),
                                (
                                    k("history"),
                                    Dynamic::array(
                                        st.history
                                            .iter()
                                            .map(|h| Dynamic::object(vec![(k("q"), s(&h.query)), (k("v"), s(&h.verdict)), (k("at"), Dynamic::Real(h.at))]))
                                            .collect(),
                                    ),
                                ),
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
        top.push((k("playground_at"), Dynamic::Real(self.playground_at)));
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
        // Times written by this or an older build (none: 0, "unknown").
        let time_of = |d: &Dynamic| match d {
            Dynamic::Real(t) if t.is_finite() && *t >= 0.0 => *t,
            Dynamic::Long(t) if *t >= 0 => *t as f64,
            _ => 0.0,
        };
        let mut p = Progress {
            last_lesson: text_of(&d.get("last")),
            playground_query: text_of(&d.get("playground")).unwrap_or_default(),
            playground_at: time_of(&d.get("playground_at")),
            ..Default::default()
        };
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
                        saved_at: time_of(&st.get("at")),
                        history: match st.get("history") {
                            Dynamic::Array(items) => {
                                let mut h: Vec<HistoryEntry> = items
                                    .iter()
                                    .filter_map(|e| {
                                        let query = text_of(&e.get("q"))?;
                                        let verdict = text_of(&e.get("v")).filter(|v| is_verdict_word(v))?;
                                        (!query.trim().is_empty() && query.len() <= HISTORY_QUERY).then(|| HistoryEntry {
                                            query,
                                            verdict,
                                            at: time_of(&e.get("at")),
                                        })
                                    })
                                    .collect();
                                let extra = h.len().saturating_sub(HISTORY_LEN);
                                h.drain(..extra);
                                h
                            }
                            _ => Vec::new(),
                        },
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
        s.saved_at = 1_765_000_000_123.0;
        p.lessons.get_mut("following-the-click").unwrap().current_step = Some("recent".into());
        p.last_lesson = Some("following-the-click".into());
        p.playground_query = "print 1".into();
        p.playground_at = 17.0;
        assert_eq!(Progress::from_json(&p.to_json()).unwrap(), p);
        assert_eq!(p.passed_count("following-the-click"), 1);
    }

    #[test]
    fn the_history_keeps_the_last_runs_once_each_and_travels_with_the_progress() {
        let mut st = StepProgress::default();
        for i in 0..25 {
            st.record(&format!("T | take {i}"), if i % 2 == 0 { "pass" } else { "fail" }, i as f64);
        }
        assert_eq!(st.history.len(), HISTORY_LEN);
        assert_eq!(st.history[0].query, "T | take 5", "the oldest runs go first");
        st.record("  T | take 10\n", "error", 99.0);
        assert_eq!(st.history.len(), HISTORY_LEN);
        assert_eq!(st.history.last().map(|h| (h.query.as_str(), h.verdict.as_str())), Some(("T | take 10", "error")), "a rerun moves to the end");
        assert_eq!(st.history.iter().filter(|h| h.query == "T | take 10").count(), 1);
        st.record("   ", "pass", 100.0);
        st.record(&"x".repeat(HISTORY_QUERY + 1), "pass", 100.0);
        assert_eq!(st.history.last().unwrap().at, 99.0, "empty and huge queries are not recorded");

        let mut p = Progress::default();
        *p.step_mut("l", "s") = st.clone();
        let back = Progress::from_json(&p.to_json()).unwrap();
        assert_eq!(back.step("l", "s").unwrap().history, st.history);
        // Entries a hand-edited file got wrong are dropped, not trusted.
        let odd =
            r#"{"version": 1, "lessons": {"l": {"steps": {"s": {"history": [{"q": "T", "v": "pass", "at": 1}, {"q": "T2", "v": "hacked"}, {"q": 5}, 7]}}}}}"#;
        assert_eq!(Progress::from_json(odd).unwrap().step("l", "s").unwrap().history.len(), 1);

        // Two tabs' histories merge by time, each query once.
        let mut a = Progress::default();
        a.step_mut("l", "s").record("A1", "fail", 1.0);
        a.step_mut("l", "s").record("same", "fail", 2.0);
        let mut b = Progress::default();
        b.step_mut("l", "s").record("B1", "pass", 1.5);
        b.step_mut("l", "s").record("same", "pass", 3.0);
        a.merge(&b);
        let h: Vec<(&str, &str)> = a.step("l", "s").unwrap().history.iter().map(|h| (h.query.as_str(), h.verdict.as_str())).collect();
        assert_eq!(h, [("A1", "fail"), ("B1", "pass"), ("same", "pass")]);
        let mut again = a.clone();
        again.merge(&a);
        assert_eq!(again, a);
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

    #[test]
    fn merging_two_tabs_keeps_both_tabs_work() {
        const L: &str = "following-the-click";
        // Both tabs start from the same stored progress.
        let mut a = Progress::default();
        a.set_query(L, "intro", "old".into(), 100.0);
        let mut b = a.clone();
        // Tab A passes step 2, tab B passes step 3 and shows a hint, tab A passes step 7.
        a.step_mut(L, "s2").passed = true;
        b.step_mut(L, "s3").passed = true;
        b.step_mut(L, "s3").hints_shown = 1;
        b.set_query(L, "intro", "newer, from B".into(), 300.0);
        a.set_query(L, "s7", "A's answer".into(), 200.0);
        a.step_mut(L, "s7").passed = true;
        a.lessons.get_mut(L).unwrap().current_step = Some("s7".into());
        b.lessons.get_mut(L).unwrap().current_step = Some("s3".into());
        // What A writes is A merged with what B stored.
        let stored = Progress::from_json(&b.to_json()).unwrap();
        let mut written = a.clone();
        written.merge(&stored);
        for s in ["s2", "s3", "s7"] {
            assert!(written.step(L, s).unwrap().passed, "{s} passed");
        }
        assert_eq!(written.step(L, "s3").unwrap().hints_shown, 1);
        assert_eq!(written.step(L, "intro").unwrap().query, "newer, from B", "the newer draft wins");
        assert_eq!(written.step(L, "s7").unwrap().query, "A's answer");
        assert_eq!(written.lessons[L].current_step.as_deref(), Some("s7"), "each tab keeps its own place");
        assert_eq!(written.passed_count(L), 3);
        // Merging is idempotent, so tabs that echo each other's writes settle.
        let mut again = written.clone();
        again.merge(&written);
        assert_eq!(again, written);
        // Drafts from before times were saved (0) lose to any timed one, but fill an empty step.
        let mut old = Progress::default();
        old.step_mut(L, "s9").query = "from an old build".into();
        let mut fresh = Progress::default();
        fresh.merge(&old);
        assert_eq!(fresh.step(L, "s9").unwrap().query, "from an old build");
        let mut p = Progress { playground_query: "mine".into(), playground_at: 5.0, ..Default::default() };
        let q = Progress { playground_query: "theirs".into(), playground_at: 9.0, ..Default::default() };
        p.merge(&q);
        assert_eq!(p.playground_query, "theirs");
    }
}
