//! The page's state and every change to it, without the browser: [`AppState`] is changed only
//! by [`AppState::reduce`] with an [`Action`], which returns the [`Command`]s for the query
//! worker (send a request, restart it). `web::hooks::use_app` owns one `AppState` and the
//! worker, and runs the commands; the components read the state and send actions.
//!
//! Readiness of the query worker is kept here, and only here: requests wait in
//! [`AppState::outbox`] until the worker says it is ready, and a fresh worker (after Stop or a
//! crash) first gets the tables the page needs ([`AppState::wanted`]) again.

use super::progress::Progress;
use super::worker::{LiveErrors, Reply, Request, StepCheck, TableInfo, Target};
use crate::bind::RenderSpec;
use crate::diag::{thousands, Diagnostic};
use crate::lesson::check::{Status, Verdict};
use crate::lesson::{Lesson, LessonError};
use crate::table::Table;
use crate::view::chart::{ChartKind, ChartSpec, Stacking};
use std::collections::HashMap;
use std::rc::Rc;

/// Where a lesson came from, which decides where its CSV files are read.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A URL folder (the site's `lessons/`, or the folder of a `?lesson=` URL).
    Url(String),
    /// Files the instructor opened; the CSV texts came with them.
    Local(Rc<HashMap<String, String>>),
}

/// One entry of the lesson list.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Loading(String),
    /// The parsed lesson (parsed once, here on the page; the worker gets the parsed value)
    /// and where its files are.
    Ready(Rc<Lesson>, Source),
    Failed(String, Vec<String>),
}

impl Slot {
    /// The slot for a lesson file's text (or the reason it could not be fetched). `url` names
    /// the file in error messages; `base` is the folder its CSV files are read from.
    pub fn from_text(file: String, url: &str, base: String, text: Result<String, String>) -> Slot {
        match text {
            Err(e) => Slot::Failed(file, vec![e]),
            Ok(text) => match crate::lesson::parse_lesson(&text) {
                Ok(l) => Slot::Ready(Rc::new(l), Source::Url(base)),
                Err(errs) => Slot::Failed(file, lesson_errors(url, &errs)),
            },
        }
    }
}

/// A lesson file's problems, each with its place ("file, line 3, column 1: field: message").
pub fn lesson_errors(file: &str, errs: &[LessonError]) -> Vec<String> {
    errs.iter()
        .map(|e| {
            let pos = if e.line > 0 { format!("{file}, line {}, column {}", e.line, e.column) } else { file.to_string() };
            format!("{pos}: {}{}", e.field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default(), e.message)
        })
        .collect()
}

/// The key under which the worker keeps lesson slot `idx`'s session.
pub fn lesson_key(lesson_id: &str, idx: usize) -> String {
    format!("{lesson_id}#{idx}")
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum View {
    Home,
    Playground,
    /// Lesson slot, step.
    Lesson(usize, usize),
}

/// The tables queries run against right now: what the worker has loaded, as schemas (the
/// page sends them to the language worker for live errors and completion).
#[derive(Clone, Debug)]
pub struct Active {
    pub target: Target,
    pub tables: Rc<Vec<TableInfo>>,
}

impl PartialEq for Active {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target && Rc::ptr_eq(&self.tables, &other.tables)
    }
}

impl Active {
    fn new(target: Target, tables: Rc<Vec<TableInfo>>) -> Active {
        Active { target, tables }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tab {
    Table,
    Chart,
}

/// The run waiting for the worker: its id, when it started (page milliseconds), the lesson
/// step it belongs to and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub id: u64,
    pub started: f64,
    /// When it started, in milliseconds since the Unix epoch (for the step's history).
    pub epoch_ms: f64,
    pub step: Option<(String, String)>,
    pub query: String,
}

/// The last run's outcome as the results area shows it.
#[derive(Clone, Debug)]
pub struct Finished {
    /// Milliseconds from Run to the result arriving on the page (engine time plus transfer).
    pub roundtrip_ms: f64,
    pub table: Rc<Table>,
    pub chart: Option<ChartSpec>,
    pub elapsed_ms: f64,
    /// E.g. "Showing the first 500,000 of 1,000,000 rows."
    pub notice: Option<String>,
    /// Diagnostics of a query that did not run.
    pub errors: Vec<Diagnostic>,
    pub query: String,
    /// Rows after each stage of the pipeline (the stepper's chips).
    pub stages: Vec<crate::engine::Stage>,
    /// Where a wrong answer first parts from the solution, stage by stage.
    pub parting: Option<String>,
}

/// A stage's rows (the first of them, and how many there are in all), or why there are none.
pub type StageRows = Result<(Rc<Table>, usize), Vec<Diagnostic>>;

/// One stage of the last run shown in place of its result (a click on a stepper chip).
#[derive(Clone, Debug)]
pub struct StageShown {
    /// 0-based chip number: `engine::Stage::flatten` of `Finished::stages` (inner pipelines'
    /// stages follow the stage that holds them).
    pub stage: usize,
    /// The request's id (a reply to an older click is dropped).
    pub id: u64,
    /// `None` while the worker computes it; then the table (first rows) and its total rows,
    /// or why it could not be computed.
    pub result: Option<StageRows>,
}

impl PartialEq for StageShown {
    fn eq(&self, o: &Self) -> bool {
        self.stage == o.stage
            && self.id == o.id
            && match (&self.result, &o.result) {
                (Some(Ok((a, _))), Some(Ok((b, _)))) => Rc::ptr_eq(a, b),
                (Some(Err(a)), Some(Err(b))) => a == b,
                (None, None) => true,
                _ => false,
            }
    }
}

impl PartialEq for Finished {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.table, &o.table) && self.errors == o.errors && self.query == o.query && self.elapsed_ms == o.elapsed_ms
    }
}

/// The playground's example queries (title, query).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("Recent clicks", "UrlClickEvents\n| where Timestamp > ago(7d)\n| project Timestamp, AccountUpn, Url, ActionType\n| order by Timestamp desc"),
    ("Clicks per hour (chart)", "UrlClickEvents\n| where Timestamp > ago(7d)\n| summarize Clicks = count() by bin(Timestamp, 1h)\n| render timechart"),
    ("Threat verdicts", "UrlClickEvents\n| where ThreatTypes != \"\"\n| summarize Clicks = count(), Users = dcount(AccountUpn) by ThreatTypes, Url"),
    ("Delivered, then clicked", "EmailEvents\n| where SenderFromDomain == \"contoso-login.com\"\n| join kind=inner (UrlClickEvents | project NetworkMessageId, ClickTime = Timestamp, ActionType) on NetworkMessageId\n| project RecipientEmailAddress, DeliveryAction, ClickTime, ActionType"),
    ("Actions (pie chart)", "UrlClickEvents\n| summarize count() by ActionType\n| render piechart"),
];

/// Everything the page shows that is not a detail of one component.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The session clock (ticks): the data is generated relative to it.
    pub clock: i64,
    pub lessons: Vec<Slot>,
    pub view: View,
    pub progress: Progress,
    pub notices: Vec<Notice>,
    /// The editor's text.
    pub query: String,
    /// The text the live errors were last asked for (it lags `query` while typing).
    pub checked: String,
    /// The language worker's live errors and the text they are for (shown while that text
    /// is still the editor's); `None` until the first answer.
    pub live: Option<(String, LiveErrors)>,
    /// The run in progress, stored once.
    pub running: Option<Pending>,
    /// The last run's outcome (kept while a new run is under way).
    pub last: Option<Finished>,
    /// A stage of the last run shown in the grid instead of its result (the stepper).
    pub stage: Option<StageShown>,
    /// The checker's verdict on the last run, and whether it is the lesson's fault.
    pub verdict: Option<(Verdict, bool)>,
    /// The hunting-craft coach's tips on the last run, when it passed a step
    /// ([`crate::lesson::coach`]; never given for a wrong answer, never changing a verdict).
    pub tips: Vec<crate::lesson::coach::Tip>,
    /// A run that was stopped: how long it had run (seconds).
    pub stopped: Option<f64>,
    pub tab: Tab,
    /// The typed answer of a question step, and the worker's verdict on it.
    pub answer: String,
    pub answer_verdict: Option<Verdict>,
    /// The validator's findings for a lesson file opened for preview: (worker key, per step).
    pub reviews: Option<(String, Rc<Vec<StepCheck>>)>,
    /// The query worker said it is ready (and has not been stopped or crashed since).
    pub worker_ready: bool,
    /// Requests waiting for the worker to be ready, in order.
    pub outbox: Vec<Rc<Request>>,
    /// The tables the page needs (sent again to a fresh worker).
    pub wanted: Option<Rc<Request>>,
    /// What the current worker has prepared, by key.
    pub opened: HashMap<String, Rc<Vec<TableInfo>>>,
    pub active: Option<Active>,
    /// What is being prepared ("Preparing the data for …").
    pub loading: Option<String>,
    /// CSV files loaded into the playground: (table name, file name, text).
    pub csv_tables: Rc<Vec<(String, String, String)>>,
    /// A typed answer submitted before its lesson's tables were asked for (its CSV files are
    /// still being fetched): sent right after that request, so the worker has the lesson.
    held_answer: Option<Request>,
    /// The same for a run ([`AppState::start_run`]).
    held_run: Option<Request>,
    last_run_id: u64,
}

/// A change to the state: what the learner did, what the worker answered, what time passed.
#[derive(Clone, Debug)]
pub enum Action {
    /// The lesson list changed (loading, loaded, failed).
    SetLessons(Vec<Slot>),
    /// A lesson file the instructor opened joins the list (at the end).
    AddLesson(Slot),
    /// Open lesson slot `idx` at `step` (else this tab's place `tab_step`, else the saved
    /// place, else the first step), with a shared query in the editor if there is one.
    OpenLesson {
        idx: usize,
        step: Option<usize>,
        shared_query: Option<String>,
        tab_step: Option<String>,
    },
    /// Open the playground (with a shared query).
    OpenPlayground {
        shared_query: Option<String>,
        seed: u64,
        rows: usize,
    },
    /// Ask the worker for a lesson's tables (the CSV files were read): the parsed lesson is sent.
    PrepareLesson {
        idx: usize,
        csv: Vec<(String, String)>,
    },
    /// CSV files read in the playground: (table name, file name, text).
    CsvLoaded {
        files: Vec<(String, String, String)>,
        seed: u64,
        rows: usize,
    },
    GoHome,
    /// Reset progress (this tab's button).
    ResetProgress,
    /// The learner edited the query (at a time in ms since the epoch, for the draft's date).
    Edit {
        text: String,
        now: f64,
    },
    /// Typing paused: check the text as it stands.
    Checked(String),
    /// The language worker's live errors for `text` (UTF-8 byte spans and messages).
    LiveErrors {
        text: String,
        errors: LiveErrors,
    },
    /// Run the query (`now`: page milliseconds; `epoch_ms`: for a fresh run id).
    Run {
        now: f64,
        epoch_ms: f64,
    },
    /// Run only the query block around byte offset `cursor` (Shift+Enter): the lines between
    /// blank lines, as in Data Explorer's editor.
    RunBlock {
        now: f64,
        epoch_ms: f64,
        cursor: usize,
    },
    Stop {
        now: f64,
    },
    /// Show the table after stage `Some(i)` of the last run's pipeline in the grid (a stepper
    /// chip), or the run's own result again (`None`, or the last stage).
    ShowStage(Option<usize>),
    SelectTab(Tab),
    AnswerTyped(String),
    /// Check the typed answer (in the worker, with `LessonSession::answer`).
    SubmitAnswer,
    ShowHint,
    ShowSolution,
    Notify {
        text: String,
        error: bool,
    },
    Dismiss(u64),
    /// Another tab saved progress.
    MergeProgress(Progress),
    /// A progress file the learner chose to import (its text): merged into the progress,
    /// never replacing it; a file that cannot be read changes nothing and says why.
    ImportProgress(String),
    /// Another tab reset progress.
    ProgressCleared,
    WorkerReady,
    /// A reply from the worker, its result table, and the page time it arrived.
    WorkerReply {
        reply: Box<Reply>,
        table: Option<Table>,
        now: f64,
    },
    WorkerCrashed(String),
}

/// What the state asks of the query worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Send(Rc<Request>),
    /// Terminate the worker (stopping what it runs) and start a fresh one.
    Restart,
    /// Restart the worker once the current event has been handled (after a crash).
    RestartLater,
}

/// Maps a `render` request onto the chart component's spec.
pub fn chart_spec(r: &RenderSpec) -> Option<ChartSpec> {
    let kind = ChartKind::from_name(&r.visualization)?;
    let mut s = ChartSpec::new(kind);
    s.title = r.title.clone();
    s.xcolumn = r.xcolumn.clone();
    s.ycolumns = r.ycolumns.clone();
    s.series = r.series.clone();
    s.xtitle = r.xtitle.clone();
    s.ytitle = r.ytitle.clone();
    s.legend = !r.legend_hidden;
    s.stacking = match r.kind.as_deref() {
        Some("stacked") => Stacking::Stacked,
        Some("stacked100") => Stacking::Stacked100,
        _ => Stacking::Unstacked,
    };
    Some(s)
}

/// The query block around `cursor` (see [`crate::syntax::layout::query_block_at`]) with
/// every other character of `text` turned into a space (newlines kept), so that line and
/// column numbers of errors in the block are those of the editor. The whole text when there is
/// only one block.
pub fn block_text(text: &str, cursor: usize) -> String {
    let Some(r) = crate::syntax::layout::query_block_at(text, cursor) else { return text.to_string() };
    if text[..r.start].trim().is_empty() && text[r.end..].trim().is_empty() {
        return text.to_string();
    }
    text.char_indices().map(|(i, c)| if r.contains(&i) || c == '\n' { c.to_string() } else { " ".repeat(c.len_utf8()) }).collect()
}

/// Is this diagnostic among the editor's live errors (same place, same message)?
fn listed_in_editor(errors: &[(std::ops::Range<usize>, String)], d: &Diagnostic) -> bool {
    errors.iter().any(|(span, m)| *span == d.span.range() && m.starts_with(&d.message))
}

impl AppState {
    /// A fresh page: saved progress, and a notice if it could not be read.
    pub fn new(clock: i64, progress: Progress, notice: Option<String>) -> AppState {
        AppState {
            clock,
            lessons: Vec::new(),
            view: View::Home,
            progress,
            notices: notice.map(|text| Notice { id: 1, text, error: true }).into_iter().collect(),
            query: String::new(),
            checked: String::new(),
            live: None,
            running: None,
            last: None,
            stage: None,
            verdict: None,
            tips: Vec::new(),
            stopped: None,
            tab: Tab::Table,
            answer: String::new(),
            answer_verdict: None,
            reviews: None,
            worker_ready: false,
            outbox: Vec::new(),
            wanted: None,
            opened: HashMap::new(),
            active: None,
            loading: None,
            csv_tables: Rc::default(),
            held_answer: None,
            held_run: None,
            last_run_id: 0,
        }
    }

    /// The current lesson slot, step and lesson, if a lesson is shown.
    pub fn current(&self) -> Option<(usize, usize, Rc<Lesson>)> {
        match self.view {
            View::Lesson(i, s) => match self.lessons.get(i) {
                Some(Slot::Ready(l, ..)) => Some((i, s, l.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    /// The (lesson id, step id) shown, if any.
    pub fn step_ids(&self) -> Option<(String, String)> {
        self.current().map(|(_, s, l)| (l.id.clone(), l.steps[s].id.clone()))
    }

    /// Would the editor's error list repeat what the run's error report shows for this same
    /// text? The playground's error box lists every error of the run; a lesson verdict
    /// explains the first one (with its help), so it covers the list only when that is the
    /// only error.
    pub fn run_covers_live_errors(&self, errors: &[(std::ops::Range<usize>, String)]) -> bool {
        if self.running.is_some() {
            return false;
        }
        let Some(r) = self.last.as_ref().filter(|r| r.query == self.query && !r.errors.is_empty()) else { return false };
        if errors.is_empty() || !errors.iter().all(|(span, _)| r.errors.iter().any(|d| d.span.range() == *span)) {
            return false;
        }
        match self.verdict.as_ref().map(|(v, _)| v) {
            None => true,
            Some(v) => v.status == Status::Error && v.diagnostics.len() == 1 && errors.len() == 1 && listed_in_editor(errors, &v.diagnostics[0]),
        }
    }

    /// Row counts for tables a run generated on first use, in the open lesson's (or the
    /// playground's) table list.
    fn tables_made(&mut self, made: &[(String, usize)]) {
        let Some(active) = self.active.as_mut() else { return };
        if made.is_empty() {
            return;
        }
        let mut tables = (*active.tables).clone();
        for t in tables.iter_mut().filter(|t| !t.watchlist) {
            if let Some((_, rows)) = made.iter().find(|(n, _)| *n == t.name) {
                t.rows = Some(*rows);
            }
        }
        let tables = Rc::new(tables);
        active.tables = tables.clone();
        let key = match &active.target {
            Target::Lesson { key, .. } => key.clone(),
            Target::Playground => "playground".into(),
        };
        self.opened.insert(key, tables);
    }

    fn notify(&mut self, text: String, error: bool) {
        if !self.notices.iter().any(|n| n.text == text) {
            let id = self.notices.iter().map(|n| n.id).max().unwrap_or(0) + 1;
            self.notices.push(Notice { id, text, error });
        }
    }

    /// Sends a request now if the worker is ready, else when it is.
    fn send(&mut self, req: Request, out: &mut Vec<Command>) {
        let req = Rc::new(req);
        if self.worker_ready {
            out.push(Command::Send(req));
        } else {
            self.outbox.push(req);
        }
    }

    /// Asks the worker for a target's tables (at once from memory if it has them already).
    fn request_open(&mut self, req: Request, label: String, out: &mut Vec<Command>) {
        let (key, target) = match &req {
            Request::OpenLesson { key, .. } => (key.clone(), Target::Lesson { key: key.clone(), step: 0 }),
            _ => ("playground".to_string(), Target::Playground),
        };
        let req = Rc::new(req);
        self.wanted = Some(req.clone());
        match (self.opened.get(&key).cloned(), &*req) {
            (Some(tables), Request::OpenLesson { .. }) => self.active = Some(Active::new(target, tables)),
            _ => {
                self.active = None;
                self.loading = Some(label);
                // A worker that is not ready gets `wanted` first thing when it is.
                if self.worker_ready {
                    out.push(Command::Send(req));
                }
            }
        }
    }

    /// Sends `text` to run: the whole editor, or one block of it laid over blanks (so the
    /// positions of errors stay those of the editor's text).
    ///
    /// The tables need not be ready: a run asked for while the engine loads or the data is
    /// prepared is sent behind the request for them (the worker answers in order), or, when a
    /// lesson's files are still being fetched, held until that request goes out.
    fn start_run(&mut self, text: String, now: f64, epoch_ms: f64, out: &mut Vec<Command>) {
        let (target, asked) = match (self.active.as_ref().map(|a| &a.target), self.view) {
            (Some(Target::Lesson { key, .. }), View::Lesson(_, step)) => (Target::Lesson { key: key.clone(), step }, true),
            (Some(t), _) => (t.clone(), true),
            (None, View::Lesson(idx, step)) => {
                let Some((_, _, lesson)) = self.current() else { return };
                let key = lesson_key(&lesson.id, idx);
                let asked = matches!(self.wanted.as_deref(), Some(Request::OpenLesson { key: k, .. }) if *k == key);
                (Target::Lesson { key, step }, asked)
            }
            (None, View::Playground) => (Target::Playground, matches!(self.wanted.as_deref(), Some(Request::OpenPlayground { .. }))),
            (None, View::Home) => return,
        };
        // Running is a pause: check now.
        self.checked = self.query.clone();
        let id = (self.last_run_id + 1).max(epoch_ms as u64);
        self.last_run_id = id;
        self.running = Some(Pending { id, started: now, epoch_ms, step: self.step_ids(), query: text.clone() });
        self.stopped = None;
        self.stage = None;
        self.tips.clear();
        let req = Request::Run { id, target, query: text };
        if asked {
            self.send(req, out);
        } else {
            self.held_run = Some(req);
        }
    }

    /// The results of the last run no longer belong to what is shown.
    fn clear_results(&mut self) {
        self.last = None;
        self.stage = None;
        self.stopped = None;
        self.verdict = None;
        self.tips.clear();
    }

    /// Applies `action`; returns what the worker must be told.
    pub fn reduce(&mut self, action: Action) -> Vec<Command> {
        let mut out = Vec::new();
        match action {
            Action::SetLessons(list) => self.lessons = list,
            Action::AddLesson(slot) => {
                if let Slot::Failed(name, errs) = &slot {
                    let text = format!("{name} cannot be opened: {}", errs.join(" · "));
                    self.notify(text, true);
                }
                self.lessons.push(slot);
            }
            Action::OpenLesson { idx, step, shared_query, tab_step } => {
                let Some(Slot::Ready(lesson, _)) = self.lessons.get(idx).cloned() else { return out };
                let lp = self.progress.lessons.get(&lesson.id).cloned().unwrap_or_default();
                // This tab's own place first (it survives a reload; other tabs have their
                // own), then the place saved with the progress.
                let step = step
                    .or_else(|| tab_step.and_then(|id| lesson.steps.iter().position(|s| s.id == id)))
                    .or_else(|| lp.current_step.as_ref().and_then(|id| lesson.steps.iter().position(|s| &s.id == id)))
                    .unwrap_or(0)
                    .min(lesson.steps.len().saturating_sub(1));
                let sid = lesson.steps[step].id.clone();
                let saved = self.progress.step(&lesson.id, &sid).map(|s| s.query.clone()).filter(|q| !q.is_empty());
                self.query = shared_query.or(saved).unwrap_or_else(|| lesson.steps[step].starter.clone());
                self.clear_results();
                self.answer.clear();
                self.answer_verdict = None;
                self.held_answer = None;
                // A run held for another lesson's tables will not happen.
                if self.held_run.take().is_some() {
                    self.running = None;
                }
                self.progress.last_lesson = Some(lesson.id.clone());
                self.progress.lessons.entry(lesson.id.clone()).or_default().current_step = Some(sid);
                self.view = View::Lesson(idx, step);
            }
            Action::PrepareLesson { idx, csv } => {
                let Some(Slot::Ready(lesson, source)) = self.lessons.get(idx).cloned() else { return out };
                let req = Request::OpenLesson { key: lesson_key(&lesson.id, idx), lesson: (*lesson).clone(), csv, review: matches!(source, Source::Local(_)) };
                self.request_open(req, format!("Preparing the data for \"{}\"…", lesson.title), &mut out);
                for req in [self.held_answer.take(), self.held_run.take()].into_iter().flatten() {
                    self.send(req, &mut out);
                }
            }
            Action::OpenPlayground { shared_query, seed, rows } => {
                let saved = Some(self.progress.playground_query.clone()).filter(|q| !q.is_empty());
                self.query = shared_query.or(saved).unwrap_or_else(|| EXAMPLES[0].1.to_string());
                self.clear_results();
                self.view = View::Playground;
                let req = Request::OpenPlayground { tables: (*self.csv_tables).clone(), seed, rows };
                self.request_open(req, format!("Preparing the playground's data ({} click events)…", thousands(rows)), &mut out);
            }
            Action::CsvLoaded { files, seed, rows } => {
                let tables = Rc::make_mut(&mut self.csv_tables);
                for (name, file, text) in files {
                    tables.retain(|(n, _, _)| *n != name);
                    tables.push((name, file, text));
                }
                self.opened.remove("playground");
                let req = Request::OpenPlayground { tables: (*self.csv_tables).clone(), seed, rows };
                self.request_open(req, "Loading your tables…".into(), &mut out);
            }
            Action::GoHome | Action::ResetProgress => {
                if matches!(action, Action::ResetProgress) {
                    self.progress = Progress::default();
                }
                self.view = View::Home;
                self.active = None;
                self.last = None;
            }
            Action::Edit { text, now } => {
                match (self.step_ids(), self.view) {
                    (Some((l, s)), _) => self.progress.set_query(&l, &s, text.clone(), now),
                    (None, View::Playground) => {
                        self.progress.playground_query = text.clone();
                        self.progress.playground_at = now;
                    }
                    _ => {}
                }
                self.query = text;
            }
            Action::Checked(text) => self.checked = text,
            // An answer for a text no longer the one checked is stale: dropped.
            Action::LiveErrors { text, errors } => {
                if text == self.checked {
                    self.live = Some((text, errors));
                }
            }
            Action::RunBlock { now, epoch_ms, cursor } => {
                let text = block_text(&self.query, cursor);
                self.start_run(text, now, epoch_ms, &mut out);
            }
            Action::Run { now, epoch_ms } => {
                let text = self.query.clone();
                self.start_run(text, now, epoch_ms, &mut out);
            }
            Action::ShowStage(i) => {
                let (Some(r), Some(act)) = (&self.last, &self.active) else { return out };
                // `i` counts every chip, inner pipelines' too; the main pipeline's last stage
                // is the result itself.
                let flat = crate::engine::Stage::flatten(&r.stages);
                let Some(i) = i.filter(|&i| i < flat.len() && !r.stages.last().is_some_and(|l| std::ptr::eq(l, flat[i]))) else {
                    self.stage = None;
                    return out;
                };
                let target = match (&act.target, self.view) {
                    (Target::Lesson { key, .. }, View::Lesson(_, step)) => Target::Lesson { key: key.clone(), step },
                    (t, _) => t.clone(),
                };
                let text = flat[i].prefix(&r.query).into_owned();
                self.last_run_id += 1;
                let id = self.last_run_id;
                self.stage = Some(StageShown { stage: i, id, result: None });
                self.send(Request::StageTable { id, target, text }, &mut out);
            }
            Action::Stop { now } => {
                let started = self.running.take().map(|p| p.started);
                self.held_run = None;
                // The previous run's results belong to another query: say that this run stopped.
                self.last = None;
                self.stage = None;
                self.verdict = None;
                self.stopped = Some(started.map_or(0.0, |t| (now - t) / 1000.0));
                // A fresh worker has no tables: the current ones are prepared again when it is
                // ready. Requests meant for the old worker are dropped.
                self.worker_ready = false;
                self.opened.clear();
                self.outbox.clear();
                out.push(Command::Restart);
            }
            Action::SelectTab(t) => self.tab = t,
            Action::AnswerTyped(t) => self.answer = t,
            Action::SubmitAnswer => {
                let Some((idx, step, lesson)) = self.current() else { return out };
                if lesson.steps[step].question.is_some() {
                    let key = lesson_key(&lesson.id, idx);
                    let asked = matches!(self.wanted.as_deref(), Some(Request::OpenLesson { key: k, .. }) if *k == key);
                    let req = Request::Answer { key, step, typed: self.answer.clone() };
                    if asked {
                        self.send(req, &mut out);
                    } else {
                        self.held_answer = Some(req);
                    }
                }
            }
            Action::ShowHint | Action::ShowSolution => {
                if let Some((l, s)) = self.step_ids() {
                    let sp = self.progress.step_mut(&l, &s);
                    match action {
                        Action::ShowHint => sp.hints_shown += 1,
                        _ => sp.solution_shown = true,
                    }
                }
            }
            Action::Notify { text, error } => self.notify(text, error),
            Action::Dismiss(id) => self.notices.retain(|n| n.id != id),
            Action::MergeProgress(other) => self.progress.merge(&other),
            Action::ImportProgress(text) => match Progress::from_json(&text) {
                Ok(other) => {
                    let passed = |p: &Progress| p.lessons.values().flat_map(|l| l.steps.values()).filter(|s| s.passed).count();
                    let before = passed(&self.progress);
                    self.progress.merge(&other);
                    let lessons = other.lessons.values().filter(|l| l.steps.values().any(|s| s.passed)).count();
                    let added = passed(&self.progress) - before;
                    self.notify(
                        format!(
                            "Progress imported: {} passed step{} in {} lesson{} in the file; {added} of them new here. Nothing you had was replaced.",
                            passed(&other),
                            if passed(&other) == 1 { "" } else { "s" },
                            lessons,
                            if lessons == 1 { "" } else { "s" },
                        ),
                        false,
                    );
                }
                Err(e) => self
                    .notify(format!("The progress file was not imported, and nothing was changed: {}.", e.replacen("the saved progress", "the file", 1)), true),
            },
            Action::ProgressCleared => self.progress = Progress::default(),
            Action::WorkerReady => {
                self.worker_ready = true;
                // The tables first (a fresh worker has none), then what waited.
                if let Some(req) = self.wanted.clone() {
                    out.push(Command::Send(req));
                }
                out.extend(self.outbox.drain(..).map(Command::Send));
            }
            Action::WorkerCrashed(msg) => {
                self.worker_ready = false;
                self.opened.clear();
                self.outbox.clear();
                let was_running = self.running.take().is_some();
                self.held_run = None;
                let text = format!(
                    "The query engine stopped ({msg}){}. It has been restarted; your query and progress are kept.",
                    if was_running { " while running your query" } else { "" }
                );
                self.notify(text, true);
                out.push(Command::RestartLater);
            }
            Action::WorkerReply { reply, table, now } => self.on_reply(*reply, table, now),
        }
        out
    }

    fn on_reply(&mut self, reply: Reply, table: Option<Table>, now: f64) {
        match reply {
            Reply::Opened { target, tables, notices, checks } => {
                for n in notices {
                    self.notify(n.text, n.error);
                }
                let tables = Rc::new(tables);
                let key = match &target {
                    Target::Lesson { key, .. } => key.clone(),
                    Target::Playground => "playground".into(),
                };
                self.opened.insert(key, tables.clone());
                let (still_wanted, review) = match (&target, self.wanted.as_deref()) {
                    (Target::Lesson { key, .. }, Some(Request::OpenLesson { key: k, review, .. })) => (key == k, *review),
                    (Target::Playground, Some(Request::OpenPlayground { .. })) => (true, false),
                    _ => (false, false),
                };
                if let (Target::Lesson { key, .. }, true, true) = (&target, still_wanted, review) {
                    self.reviews = Some((key.clone(), Rc::new(checks)));
                }
                if still_wanted {
                    self.active = Some(Active::new(target, tables));
                    self.loading = None;
                }
            }
            Reply::OpenFailed { errors, .. } => {
                self.loading = None;
                self.notify(format!("The data could not be prepared: {}", errors.join("; ")), true);
            }
            // The page never asks for a benchmark; bench/browser.mjs talks to its own worker.
            // The language worker's answers go to `web::lang`, not here.
            Reply::Benched { .. } | Reply::Lang { .. } | Reply::SchemaSet => {}
            Reply::StageTable { id, total_rows, errors } => {
                let Some(shown) = self.stage.as_mut().filter(|s| s.id == id) else { return };
                shown.result = Some(if errors.is_empty() { Ok((Rc::new(table.unwrap_or_else(|| Table::empty(vec![]))), total_rows)) } else { Err(errors) });
            }
            Reply::Answered { key, step, verdict } => {
                let Some((idx, lesson)) = self.lessons.iter().enumerate().find_map(|(i, s)| match s {
                    Slot::Ready(l, _) if lesson_key(&l.id, i) == key => Some((i, l.clone())),
                    _ => None,
                }) else {
                    return;
                };
                let Some(st) = lesson.steps.get(step) else { return };
                if verdict.is_pass() {
                    self.progress.step_mut(&lesson.id, &st.id).passed = true;
                }
                if self.view == View::Lesson(idx, step) {
                    self.answer_verdict = Some(verdict);
                }
            }
            Reply::Ran { id, total_rows, render, elapsed_ms, errors, verdict, lesson_fault, stages, parting, tips, made } => {
                self.tables_made(&made);
                let Some(p) = self.running.take_if(|p| p.id == id) else { return };
                let finished = if errors.is_empty() {
                    let table = table.unwrap_or_else(|| Table::empty(vec![]));
                    let notice = (total_rows > table.len()).then(|| format!("Showing the first {} of {} rows.", thousands(table.len()), thousands(total_rows)));
                    // A `render` opens the chart; a time-binned result offers one on a tab.
                    let asked = render.as_ref().and_then(chart_spec);
                    self.tab = if asked.is_some() { Tab::Chart } else { Tab::Table };
                    let chart = asked.or_else(|| crate::view::chart::suggest(&table));
                    Finished {
                        roundtrip_ms: now - p.started,
                        table: Rc::new(table),
                        chart,
                        elapsed_ms,
                        notice,
                        errors: vec![],
                        query: p.query.clone(),
                        stages,
                        parting,
                    }
                } else {
                    Finished {
                        roundtrip_ms: now - p.started,
                        table: Rc::new(Table::empty(vec![])),
                        chart: None,
                        elapsed_ms,
                        notice: None,
                        errors,
                        query: p.query.clone(),
                        stages: Vec::new(),
                        parting: None,
                    }
                };
                self.last = Some(finished);
                self.tips.clear();
                if let (Some(v), Some((l, s))) = (&verdict, &p.step) {
                    // "fail:row-count": the instructor view counts the kinds of wrong answers.
                    let word = match (v.status, v.reason) {
                        (Status::Pass, _) => "pass".to_string(),
                        (Status::Error, _) => "error".to_string(),
                        (_, Some(r)) => format!("fail:{}", r.name()),
                        (_, None) => "fail".to_string(),
                    };
                    self.progress.step_mut(l, s).record(&p.query, &word, p.epoch_ms);
                    if v.status == Status::Pass {
                        self.progress.step_mut(l, s).passed = true;
                        self.tips = tips;
                    }
                }
                self.verdict = verdict.map(|v| (v, lesson_fault));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::worker::{live_check_skips, live_errors, schema_catalog, WorkerState};
    use crate::lesson::parse_lesson;

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
starter = "UrlClickEvents"
solution = "UrlClickEvents | count"
[[steps]]
id = "q"
title = "Q"
narrative = "n"
task = "t"
solution = "print n = 42"
[steps.question]
prompt = "What is n?"
answer_column = "n"
answer_sha256 = "ANSWER"
"#;

    fn lesson() -> Lesson {
        let digest = crate::lesson::check::answer_digest("t", "q", "42");
        parse_lesson(&LESSON.replace("ANSWER", &digest)).unwrap()
    }

    /// A page with the lesson listed and a ready worker (the commands of getting there are
    /// returned for a look).
    fn page_with_lesson() -> (AppState, Vec<Command>) {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        let mut cmds = s.reduce(Action::WorkerReady);
        cmds.extend(s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None }));
        cmds.extend(s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] }));
        (s, cmds)
    }

    /// Plays the page's commands against a real worker state and feeds the replies back.
    fn pump(s: &mut AppState, w: &mut WorkerState, cmds: Vec<Command>) {
        for c in cmds {
            if let Command::Send(req) = c {
                let (reply, bytes) = w.handle((*req).clone(), &|| 0.0);
                let table = bytes.map(|b| crate::app::wire::decode_table(&b).unwrap());
                let more = s.reduce(Action::WorkerReply { reply: Box::new(reply), table, now: 5.0 });
                pump(s, w, more);
            }
        }
    }

    /// The requests among `cmds`.
    fn sent(cmds: &[Command]) -> Vec<&Request> {
        cmds.iter().filter_map(|c| if let Command::Send(r) = c { Some(&**r) } else { None }).collect()
    }

    /// The page with the lesson open and its tables prepared, and the worker that has them.
    fn opened() -> (AppState, WorkerState) {
        let (mut s, cmds) = page_with_lesson();
        let mut w = WorkerState::new(0);
        pump(&mut s, &mut w, cmds);
        assert!(s.active.is_some(), "the lesson's tables are prepared");
        (s, w)
    }

    #[test]
    fn opening_a_lesson_sends_the_parsed_lesson_once_the_worker_is_ready() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        assert!(s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None }).is_empty());
        assert_eq!(s.view, View::Lesson(0, 0));
        assert_eq!(s.query, "UrlClickEvents", "the starter query");
        assert_eq!(s.progress.last_lesson.as_deref(), Some("t"));
        // The worker is not ready yet: nothing is sent, the page says what it prepares.
        assert!(s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] }).is_empty());
        assert_eq!(s.loading.as_deref(), Some("Preparing the data for \"T\"…"));
        let cmds = s.reduce(Action::WorkerReady);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { key, lesson, .. }] if key == "t#0" && lesson.id == "t"), "{cmds:?}");
    }

    #[test]
    fn a_run_asked_for_while_the_engine_loads_runs_once_the_tables_are_ready() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None });
        s.reduce(Action::Edit { text: "UrlClickEvents | count".into(), now: 10.0 });
        // The lesson's files are still being fetched: the run is held, not lost.
        assert!(s.reduce(Action::Run { now: 100.0, epoch_ms: 7.0 }).is_empty());
        assert!(s.running.is_some(), "the page shows the run as waiting");
        // The files arrived; the engine is still loading: nothing can be sent yet.
        assert!(s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] }).is_empty());
        // The engine is ready: the tables first, then the run, in one go.
        let cmds = s.reduce(Action::WorkerReady);
        assert!(
            matches!(&sent(&cmds)[..], [Request::OpenLesson { key, .. }, Request::Run { id: 7, target: Target::Lesson { key: k, step: 0 }, query }]
                if key == "t#0" && k == "t#0" && query == "UrlClickEvents | count"),
            "{cmds:?}"
        );
        let mut w = WorkerState::new(0);
        pump(&mut s, &mut w, cmds);
        assert!(s.active.is_some() && s.running.is_none(), "the tables are there and the run finished");
        let r = s.last.as_ref().expect("a result");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(s.verdict.as_ref().map(|(v, _)| v.status), Some(Status::Pass));

        // With the files read but the engine not ready, the run waits in line behind the tables.
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None });
        s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] });
        assert!(s.reduce(Action::Run { now: 100.0, epoch_ms: 8.0 }).is_empty());
        let cmds = s.reduce(Action::WorkerReady);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { .. }, Request::Run { id: 8, .. }]), "{cmds:?}");
        // Stop before the engine is ready drops the held run with the rest.
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None });
        s.reduce(Action::Run { now: 100.0, epoch_ms: 9.0 });
        s.reduce(Action::Stop { now: 200.0 });
        s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] });
        let cmds = s.reduce(Action::WorkerReady);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { .. }]), "{cmds:?}");
        // On the home page there is nothing to run.
        let mut s = AppState::new(0, Progress::default(), None);
        assert!(s.reduce(Action::Run { now: 1.0, epoch_ms: 1.0 }).is_empty());
        assert!(s.running.is_none());
    }

    #[test]
    fn a_run_is_stored_once_from_start_to_finish() {
        let (mut s, mut w) = opened();
        s.reduce(Action::Edit { text: "UrlClickEvents | count".into(), now: 10.0 });
        assert_eq!(s.progress.step("t", "count").unwrap().query, "UrlClickEvents | count", "the draft is kept");
        let cmds = s.reduce(Action::Run { now: 100.0, epoch_ms: 7.0 });
        let p = s.running.clone().expect("running");
        assert_eq!((p.id, p.step.clone()), (7, Some(("t".into(), "count".into()))));
        assert_eq!(s.checked, s.query, "a run checks the text at once");
        assert!(matches!(&sent(&cmds)[..], [Request::Run { id: 7, .. }]));
        // A reply to another run is not this run's.
        s.reduce(Action::WorkerReply {
            reply: Box::new(Reply::Ran {
                id: 6,
                total_rows: 0,
                render: None,
                elapsed_ms: 0.0,
                errors: vec![],
                verdict: None,
                lesson_fault: false,
                stages: vec![],
                parting: None,
                tips: vec![],
                made: vec![],
            }),
            table: None,
            now: 120.0,
        });
        assert!(s.running.is_some());
        pump(&mut s, &mut w, cmds);
        assert!(s.running.is_none());
        let last = s.last.as_ref().expect("finished");
        assert_eq!(last.roundtrip_ms, 5.0 - 100.0);
        assert_eq!(last.table.len(), 1);
        assert!(s.verdict.as_ref().unwrap().0.is_pass());
        assert!(s.progress.step("t", "count").unwrap().passed, "a passed step is saved");
        // The next run gets a larger id even when the clock says otherwise.
        s.reduce(Action::Run { now: 200.0, epoch_ms: 3.0 });
        assert_eq!(s.running.as_ref().unwrap().id, 8);
    }

    #[test]
    fn a_stepper_chip_shows_that_stage_s_table_and_the_result_comes_back() {
        let (mut s, mut w) = opened();
        let q = "let n = 3;\nUrlClickEvents\n| where AccountUpn != \"\"\n| take n\n| count";
        s.reduce(Action::Edit { text: q.into(), now: 10.0 });
        let cmds = s.reduce(Action::Run { now: 100.0, epoch_ms: 7.0 });
        pump(&mut s, &mut w, cmds);
        let stages = s.last.as_ref().unwrap().stages.clone();
        assert_eq!(stages.len(), 4, "{stages:?}");
        // Stage 3 (`take n`): the rows after it, computed from the text up to its end (the
        // let before the query included); the verdict and the result are left as they are.
        let cmds = s.reduce(Action::ShowStage(Some(2)));
        assert!(matches!(&sent(&cmds)[..], [Request::StageTable { text, .. }] if text == &q[..stages[2].end as usize]), "{cmds:?}");
        assert!(s.stage.as_ref().is_some_and(|st| st.stage == 2 && st.result.is_none()));
        pump(&mut s, &mut w, cmds);
        let Some(Ok((table, total))) = s.stage.as_ref().and_then(|st| st.result.clone()) else { panic!("{:?}", s.stage) };
        assert_eq!((table.len(), total), (3, 3), "three clicks");
        assert!(table.fields.len() > 10 && table.fields.iter().any(|f| f.name == "AccountUpn"), "with all their columns");
        assert!(s.verdict.is_some() && s.last.as_ref().unwrap().table.len() == 1);
        // The last stage is the result itself; None goes back to it too.
        s.reduce(Action::ShowStage(Some(3)));
        assert!(s.stage.is_none());
        let cmds = s.reduce(Action::ShowStage(Some(0)));
        s.reduce(Action::ShowStage(None));
        assert!(s.stage.is_none());
        // A reply to a chip no longer shown is dropped; a new run clears the stage view.
        pump(&mut s, &mut w, cmds);
        assert!(s.stage.is_none());
        s.reduce(Action::ShowStage(Some(1)));
        s.reduce(Action::Run { now: 300.0, epoch_ms: 9.0 });
        assert!(s.stage.is_none());
    }

    #[test]
    fn an_imported_progress_file_is_merged_and_a_bad_one_changes_nothing() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.progress.step_mut("a", "one").passed = true;
        s.progress.set_query("a", "two", "mine".into(), 500.0);
        let mut file = Progress::default();
        file.step_mut("a", "one").passed = true;
        file.step_mut("b", "x").passed = true;
        file.set_query("a", "two", "older".into(), 100.0);
        s.reduce(Action::ImportProgress(file.to_json()));
        assert!(s.progress.step("b", "x").unwrap().passed);
        assert_eq!(s.progress.step("a", "two").unwrap().query, "mine", "the newer draft is kept");
        assert_eq!(
            s.notices.last().unwrap().text,
            "Progress imported: 2 passed steps in 2 lessons in the file; 1 of them new here. Nothing you had was replaced."
        );
        let before = s.progress.clone();
        for (bad, why) in [
            ("{not json", "the file is not valid JSON"),
            (r#"{"version": 7, "lessons": {}}"#, "the file has version 7"),
            ("[1, 2]", "the file has no version number"),
        ] {
            s.reduce(Action::ImportProgress(bad.into()));
            let n = s.notices.last().unwrap();
            assert!(n.error && n.text.starts_with("The progress file was not imported, and nothing was changed: ") && n.text.contains(why), "{}", n.text);
            assert_eq!(s.progress, before);
        }
        s.reduce(Action::ImportProgress("x".repeat(crate::app::progress::MAX_BYTES + 1)));
        assert!(s.notices.last().unwrap().text.contains("more than the"));
        assert_eq!(s.progress, before);
    }

    #[test]
    fn runs_go_into_the_step_s_history_with_their_verdicts() {
        let (mut s, mut w) = opened();
        for (i, q) in ["UrlClickEvents | take 1", "UrlClickEvents | where", "UrlClickEvents | count"].iter().enumerate() {
            s.reduce(Action::Edit { text: (*q).into(), now: 10.0 });
            let cmds = s.reduce(Action::Run { now: 100.0, epoch_ms: 1000.0 + i as f64 });
            pump(&mut s, &mut w, cmds);
        }
        let h: Vec<(&str, &str)> = s.progress.step("t", "count").unwrap().history.iter().map(|h| (h.query.as_str(), h.verdict.as_str())).collect();
        assert_eq!(h, [("UrlClickEvents | take 1", "fail:missing-column"), ("UrlClickEvents | where", "error"), ("UrlClickEvents | count", "pass")]);
        assert_eq!(s.progress.step("t", "count").unwrap().history[2].at, 1002.0);
    }

    #[test]
    fn shift_enter_runs_the_block_under_the_cursor_with_the_editor_s_positions() {
        let text = "UrlClickEvents | take 3\n\n// the count\nUrlClickEvents | count\n";
        let masked = block_text(text, text.find("count").unwrap());
        assert_eq!(masked.len(), text.len(), "byte offsets are kept");
        assert_eq!(masked.trim(), "// the count\nUrlClickEvents | count");
        assert_eq!(masked.find("UrlClickEvents | count"), text.find("UrlClickEvents | count"));
        // One block: the text as it is.
        assert_eq!(block_text("T | count", 3), "T | count");
        assert_eq!(block_text("é | x\n\nT", 0), "é | x\n\n ", "a multi-byte character outside the block keeps its length");

        let (mut s, mut w) = opened();
        s.reduce(Action::Edit { text: text.into(), now: 10.0 });
        let cmds = s.reduce(Action::RunBlock { now: 100.0, epoch_ms: 7.0, cursor: text.len() - 3 });
        assert!(matches!(&sent(&cmds)[..], [Request::Run { query, .. }] if query.trim() == "// the count\nUrlClickEvents | count"));
        pump(&mut s, &mut w, cmds);
        assert!(s.verdict.as_ref().unwrap().0.is_pass(), "the block is the step's answer");
        assert_eq!(s.query, text, "the editor keeps all of its text");
        // An error in a block is reported at its place in the editor.
        let text = "UrlClickEvents | count\n\nUrlClickEvents | where Nope";
        s.reduce(Action::Edit { text: text.into(), now: 11.0 });
        let cmds = s.reduce(Action::RunBlock { now: 200.0, epoch_ms: 8.0, cursor: text.len() });
        pump(&mut s, &mut w, cmds);
        let errs = &s.last.as_ref().unwrap().errors;
        assert_eq!(errs[0].span.range(), text.find("Nope").unwrap()..text.len());
    }

    #[test]
    fn a_passing_run_gets_the_coach_s_tips_and_a_failing_one_none() {
        let (mut s, mut w) = opened();
        s.reduce(Action::Edit { text: "UrlClickEvents | sort by Timestamp desc | take 300 | count".into(), now: 10.0 });
        let cmds = s.reduce(Action::Run { now: 100.0, epoch_ms: 7.0 });
        pump(&mut s, &mut w, cmds);
        assert!(s.verdict.as_ref().unwrap().0.is_pass());
        assert_eq!(s.tips.iter().map(|t| t.rule.as_str()).collect::<Vec<_>>(), ["top-not-sort-take"]);
        s.reduce(Action::Edit { text: "UrlClickEvents | sort by Timestamp desc | take 3 | count".into(), now: 11.0 });
        let cmds = s.reduce(Action::Run { now: 200.0, epoch_ms: 8.0 });
        assert!(s.tips.is_empty(), "a new run clears the tips");
        pump(&mut s, &mut w, cmds);
        assert!(!s.verdict.as_ref().unwrap().0.is_pass());
        assert!(s.tips.is_empty(), "no tips on a wrong answer");
    }

    #[test]
    fn stop_restarts_the_worker_and_the_fresh_worker_gets_the_tables_again() {
        let (mut s, _) = opened();
        s.reduce(Action::Run { now: 1000.0, epoch_ms: 1.0 });
        let cmds = s.reduce(Action::Stop { now: 3500.0 });
        assert_eq!(cmds, vec![Command::Restart]);
        assert!(s.running.is_none() && s.last.is_none());
        assert_eq!(s.stopped, Some(2.5));
        assert!(!s.worker_ready && s.opened.is_empty());
        // A run while the fresh worker starts waits, behind the tables.
        s.reduce(Action::Run { now: 4000.0, epoch_ms: 2.0 });
        assert_eq!(s.stopped, None);
        let cmds = s.reduce(Action::WorkerReady);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { .. }, Request::Run { .. }]), "{cmds:?}");
        assert!(s.outbox.is_empty());
    }

    #[test]
    fn a_crash_while_running_is_reported_and_the_worker_restarted() {
        let (mut s, _) = opened();
        s.reduce(Action::Run { now: 0.0, epoch_ms: 1.0 });
        let cmds = s.reduce(Action::WorkerCrashed("out of memory".into()));
        assert_eq!(cmds, vec![Command::RestartLater]);
        assert!(s.running.is_none() && !s.worker_ready);
        assert_eq!(
            s.notices.last().unwrap().text,
            "The query engine stopped (out of memory) while running your query. It has been restarted; your query and progress are kept."
        );
        assert!(s.active.is_some(), "the schemas stay for the editor");
        // The restarted worker prepares the lesson again.
        let cmds = s.reduce(Action::WorkerReady);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { .. }]));
    }

    #[test]
    fn a_typed_answer_is_checked_by_the_lesson_session_in_the_worker() {
        let (mut s, mut w) = opened();
        s.reduce(Action::OpenLesson { idx: 0, step: Some(1), shared_query: None, tab_step: None });
        assert_eq!(s.view, View::Lesson(0, 1));
        s.reduce(Action::AnswerTyped("41".into()));
        let cmds = s.reduce(Action::SubmitAnswer);
        assert_eq!(sent(&cmds), vec![&Request::Answer { key: "t#0".into(), step: 1, typed: "41".into() }]);
        pump(&mut s, &mut w, cmds);
        assert!(!s.answer_verdict.as_ref().unwrap().is_pass());
        assert!(!s.progress.step("t", "q").is_some_and(|p| p.passed));
        s.reduce(Action::AnswerTyped(" 42 ".into()));
        let cmds = s.reduce(Action::SubmitAnswer);
        pump(&mut s, &mut w, cmds);
        assert!(s.answer_verdict.as_ref().unwrap().is_pass());
        assert!(s.progress.step("t", "q").unwrap().passed);
        // Switching steps forgets the answer and its verdict.
        s.reduce(Action::OpenLesson { idx: 0, step: Some(0), shared_query: None, tab_step: None });
        assert!(s.answer.is_empty() && s.answer_verdict.is_none());
    }

    #[test]
    fn switching_lessons_resumes_this_tabs_step_then_the_saved_one() {
        let (mut s, _) = opened();
        s.reduce(Action::OpenLesson { idx: 0, step: Some(1), shared_query: None, tab_step: None });
        s.reduce(Action::Edit { text: "print n = 42".into(), now: 1.0 });
        s.reduce(Action::GoHome);
        assert_eq!((s.view, s.active.is_none()), (View::Home, true));
        // The saved place (step 2) and its draft.
        s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: None, tab_step: None });
        assert_eq!((s.view, s.query.as_str()), (View::Lesson(0, 1), "print n = 42"));
        // This tab's own place wins over the saved one; a shared query over the draft.
        s.reduce(Action::OpenLesson { idx: 0, step: None, shared_query: Some("take 1".into()), tab_step: Some("count".into()) });
        assert_eq!((s.view, s.query.as_str()), (View::Lesson(0, 0), "take 1"));
        // The tables of a lesson the worker prepared are used at once.
        let cmds = s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] });
        assert!(cmds.is_empty() && s.active.is_some());
    }

    #[test]
    fn another_tabs_progress_is_merged_and_its_reset_applied() {
        let (mut s, _) = opened();
        let mut other = Progress::default();
        other.step_mut("t", "q").passed = true;
        other.set_query("t", "count", "newer".into(), 50.0);
        s.reduce(Action::Edit { text: "older".into(), now: 10.0 });
        s.reduce(Action::MergeProgress(other));
        assert!(s.progress.step("t", "q").unwrap().passed);
        assert_eq!(s.progress.step("t", "count").unwrap().query, "newer", "the newer draft wins");
        assert_eq!(s.query, "older", "the editor keeps this tab's text");
        s.reduce(Action::ProgressCleared);
        assert_eq!(s.progress, Progress::default());
    }

    #[test]
    fn notices_are_not_repeated_and_can_be_dismissed() {
        let mut s = AppState::new(0, Progress::default(), Some("storage is disabled".into()));
        s.reduce(Action::Notify { text: "a".into(), error: false });
        s.reduce(Action::Notify { text: "a".into(), error: false });
        assert_eq!(s.notices.iter().map(|n| (n.id, n.text.as_str())).collect::<Vec<_>>(), vec![(1, "storage is disabled"), (2, "a")]);
        s.reduce(Action::Dismiss(1));
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn run_errors_cover_the_editors_list_only_for_the_same_text() {
        let (mut s, mut w) = opened();
        s.reduce(Action::Edit { text: "UrlClickEvents | where Nope".into(), now: 1.0 });
        let live = live_errors(&s.query, &schema_catalog(&s.active.as_ref().unwrap().tables), 0);
        assert_eq!(live.len(), 1, "{live:?}");
        let cmds = s.reduce(Action::Run { now: 0.0, epoch_ms: 1.0 });
        assert!(!s.run_covers_live_errors(&live), "not while running");
        pump(&mut s, &mut w, cmds);
        assert!(s.run_covers_live_errors(&live));
        s.reduce(Action::Edit { text: "UrlClickEvents | where Nope ".into(), now: 2.0 });
        assert!(!s.run_covers_live_errors(&live), "edited: the editor lists the errors again");
    }

    #[test]
    fn live_errors_for_a_text_no_longer_checked_are_dropped() {
        let (mut s, _) = opened();
        s.reduce(Action::Edit { text: "UrlClickEvents | where Nope > 1".into(), now: 1.0 });
        s.reduce(Action::Checked("UrlClickEvents | where Nope > 1".into()));
        s.reduce(Action::Edit { text: "UrlClickEvents".into(), now: 2.0 });
        s.reduce(Action::Checked("UrlClickEvents".into()));
        s.reduce(Action::LiveErrors { text: "UrlClickEvents".into(), errors: vec![] });
        // The older text's answer arrives late: it does not replace the newer one.
        s.reduce(Action::LiveErrors { text: "UrlClickEvents | where Nope > 1".into(), errors: vec![(23..27, "Unknown column".into())] });
        assert_eq!(s.live, Some(("UrlClickEvents".to_string(), vec![])));
    }

    #[test]
    fn the_live_check_binds_up_to_a_plugin_without_running_it() {
        let cat = schema_catalog(&crate::app::worker::describe(&crate::data::builtin_catalog(&crate::data::DatasetSpec::lesson(0))));
        assert!(live_check_skips("  "));
        // The plugin's input is checked (the word "evaluate" no longer hides its errors)...
        assert_eq!(live_errors("UrlClickEvents | evaluate bag_unpack(Nope)", &cat, 0).len(), 1);
        // ...and what comes after a plugin whose columns come from the data is left alone.
        assert!(live_errors("UrlClickEvents | extend d = parse_json(Url) | evaluate bag_unpack(d) | where Whatever > 1", &cat, 0).is_empty());
        assert!(!live_errors("UrlClickEvents | where Nope", &cat, 0).is_empty());
    }

    #[test]
    fn the_page_knows_the_watchlists_for_live_checks_and_completion() {
        let cat = schema_catalog(&crate::app::worker::describe(&crate::data::builtin_catalog(&crate::data::DatasetSpec::lesson(0))));
        assert!(live_errors("_GetWatchlist('IOCs') | project SearchKey", &cat, 0).is_empty(), "a built-in watchlist is no error");
        assert_eq!(live_errors("_GetWatchlist('IOCs') | project Nope", &cat, 0).len(), 1, "its columns are known");
        // An unknown name is left to the run, whose error lists the watchlists there.
        assert!(live_errors("_GetWatchlist('Nope')", &cat, 0).is_empty());
        let text = "_GetWatchlist('IO";
        let got = crate::app::complete::complete(text, text.len(), &cat, 0);
        assert_eq!(got.first().map(|c| c.insert.as_str()), Some("IOCs')"));
    }

    #[test]
    fn a_playground_csv_replaces_a_table_of_the_same_name_and_reopens_the_playground() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::WorkerReady);
        let cmds = s.reduce(Action::OpenPlayground { shared_query: None, seed: 42, rows: 300 });
        assert_eq!(s.query, EXAMPLES[0].1);
        assert!(matches!(&sent(&cmds)[..], [Request::OpenPlayground { rows: 300, .. }]));
        s.reduce(Action::CsvLoaded { files: vec![("A".into(), "a.csv".into(), "x\n1\n".into())], seed: 42, rows: 300 });
        let cmds = s.reduce(Action::CsvLoaded { files: vec![("A".into(), "a2.csv".into(), "x\n2\n".into())], seed: 42, rows: 300 });
        assert_eq!(*s.csv_tables, vec![("A".to_string(), "a2.csv".to_string(), "x\n2\n".to_string())]);
        assert_eq!(s.loading.as_deref(), Some("Loading your tables…"));
        let mut w = WorkerState::new(0);
        pump(&mut s, &mut w, cmds);
        assert!(s.active.as_ref().unwrap().tables.iter().any(|t| t.name == "A"));
        assert_eq!(s.notices.last().map(|n| (n.text.as_str(), n.error)), Some(("Loaded a2.csv as table A (1 row).", false)));
    }

    #[test]
    fn a_table_made_by_a_run_shows_its_row_count_instead_of_made_when_first_queried() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::WorkerReady);
        let mut w = WorkerState::new(0);
        let cmds = s.reduce(Action::OpenPlayground { shared_query: None, seed: 42, rows: 300 });
        pump(&mut s, &mut w, cmds);
        let rows_of = |s: &AppState, name: &str| s.active.as_ref().unwrap().tables.iter().find(|t| t.name == name).unwrap().rows;
        assert_eq!(rows_of(&s, "DeviceProcessEvents"), None, "not made before a query reads it");
        assert_eq!(rows_of(&s, "DeviceNetworkEvents"), None);
        s.reduce(Action::Edit { text: "DeviceProcessEvents | count".into(), now: 10.0 });
        let cmds = s.reduce(Action::Run { now: 100.0, epoch_ms: 7.0 });
        pump(&mut s, &mut w, cmds);
        let made = rows_of(&s, "DeviceProcessEvents").expect("the run made the table: the pane shows its rows");
        assert_eq!(s.last.as_ref().unwrap().table.value(0, 0), crate::types::Value::Long(made as i64));
        assert_eq!(rows_of(&s, "DeviceNetworkEvents"), None, "a table the run did not read stays unmade");
        // Reopening the playground from the cache keeps the count.
        assert_eq!(s.opened["playground"].iter().find(|t| t.name == "DeviceProcessEvents").unwrap().rows, Some(made));
    }

    #[test]
    fn the_worker_decides_which_notices_are_problems_and_a_capped_size_is_not_one() {
        use super::super::worker::{size_notice, WorkerNotice, MAX_PLAYGROUND_ROWS};
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::WorkerReady);
        let capped = size_notice(MAX_PLAYGROUND_ROWS + 1).unwrap();
        let notices = vec![
            WorkerNotice::info(capped.clone()),
            WorkerNotice::problem("Loaded b.csv as table B (2 rows). 1 cells could not be read and were left empty (first at line 3: x).".into()),
        ];
        let reply = Reply::Opened { target: Target::Playground, tables: vec![], notices, checks: vec![] };
        s.reduce(Action::WorkerReply { reply: Box::new(reply), table: None, now: 1.0 });
        let kinds: Vec<(&str, bool)> = s.notices.iter().map(|n| (n.text.as_str(), n.error)).collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        assert_eq!(kinds[0], (capped.as_str(), false), "the size cap is information, not an error");
        assert!(kinds[1].1, "cells left empty are a problem: {kinds:?}");
    }

    #[test]
    fn a_lesson_file_is_parsed_once_into_its_slot_and_its_problems_name_their_place() {
        let text = LESSON.replace("ANSWER", &crate::lesson::check::answer_digest("t", "q", "42"));
        let ok = Slot::from_text("t.toml".into(), "t.toml", "lessons/".into(), Ok(text.clone()));
        assert!(matches!(&ok, Slot::Ready(l, Source::Url(base)) if l.id == "t" && base == "lessons/"));
        let Slot::Failed(file, errs) =
            Slot::from_text("b.toml".into(), "https://x/b.toml", "https://x/".into(), Ok(text.replace("id = \"t\"", "id = \"t t\"")))
        else {
            panic!("a bad id is refused")
        };
        assert_eq!(file, "b.toml");
        assert!(errs[0].starts_with("https://x/b.toml, line 2, column 1: id: "), "{errs:?}");
        let missing = Slot::from_text("m.toml".into(), "m.toml", "lessons/".into(), Err("HTTP 404".into()));
        assert_eq!(missing, Slot::Failed("m.toml".into(), vec!["HTTP 404".into()]));
    }

    #[test]
    fn tables_of_a_target_no_longer_wanted_are_kept_but_not_shown() {
        let (mut s, mut w) = opened();
        // The learner moves to the playground before the lesson's (re)opening is answered.
        let lesson_req = Request::OpenLesson { key: "t#0".into(), lesson: lesson(), csv: vec![], review: true };
        let cmds = s.reduce(Action::OpenPlayground { shared_query: None, seed: 1, rows: 10 });
        assert!(s.active.is_none(), "the lesson's tables are not the playground's");
        pump(&mut s, &mut w, vec![Command::Send(Rc::new(lesson_req))]);
        assert!(s.active.is_none() && s.reviews.is_none(), "a reply for what is no longer wanted changes nothing shown");
        pump(&mut s, &mut w, cmds);
        assert_eq!(s.active.as_ref().map(|a| &a.target), Some(&Target::Playground));
        assert!(s.loading.is_none());
        assert!(s.opened.contains_key("t#0") && s.opened.contains_key("playground"));
    }

    #[test]
    fn hints_and_the_solution_are_counted_for_the_step_shown() {
        let (mut s, _) = opened();
        s.reduce(Action::ShowHint);
        s.reduce(Action::ShowHint);
        s.reduce(Action::ShowSolution);
        let p = s.progress.step("t", "count").unwrap();
        assert_eq!((p.hints_shown, p.solution_shown), (2, true));
        s.reduce(Action::GoHome);
        s.reduce(Action::ShowHint);
        assert_eq!(s.progress.step("t", "count").unwrap().hints_shown, 2, "no step shown, nothing counted");
    }

    #[test]
    fn an_answer_submitted_while_the_lessons_files_are_fetched_waits_for_the_lesson() {
        let mut s = AppState::new(0, Progress::default(), None);
        s.reduce(Action::SetLessons(vec![Slot::Ready(Rc::new(lesson()), Source::Url("lessons/".into()))]));
        s.reduce(Action::WorkerReady);
        s.reduce(Action::OpenLesson { idx: 0, step: Some(1), shared_query: None, tab_step: None });
        s.reduce(Action::AnswerTyped("42".into()));
        assert!(s.reduce(Action::SubmitAnswer).is_empty(), "the worker does not have the lesson yet");
        let cmds = s.reduce(Action::PrepareLesson { idx: 0, csv: vec![] });
        assert!(matches!(&sent(&cmds)[..], [Request::OpenLesson { .. }, Request::Answer { step: 1, .. }]), "{cmds:?}");
        let mut w = WorkerState::new(0);
        pump(&mut s, &mut w, cmds);
        assert!(s.answer_verdict.as_ref().unwrap().is_pass());
    }
}
