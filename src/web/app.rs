//! The page: header (title, data clock, lesson picker, theme), the lesson or playground pane
//! with the schema, and the work pane (editor, Run, results as a grid or chart).
//!
//! State lives here; logic that needs no browser is in [`crate::app`] (sessions, progress,
//! share links, completion) and is tested natively.

use super::chart::Chart;
use super::editor::Editor;
use super::grid::ResultGrid;
use super::lesson::{LessonChecks, StepList, StepView, VerdictPanel};
use super::markdown::Markdown;
use super::schema::SchemaPane;
use super::theme::ThemeToggle;
use super::worker::{EngineHost, Event as WorkerEvent};
use super::{dom, loader, storage, CompleteFn, HighlightFn, InsertRequest, SharedTable};
use crate::app::complete;
use crate::app::progress::Progress;
use crate::app::share::ShareState;
use crate::app::worker::{schema_catalog, Reply, Request, StepCheck, TableInfo, Target};
use crate::bind::RenderSpec;
use crate::diag::{thousands, Diagnostic};
use crate::engine;
use crate::lesson::check::{check_answer, Status, Verdict};
use crate::lesson::{parse_index, parse_lesson, Lesson, LessonError};
use crate::table::Catalog;
use crate::types::time;
use crate::view::chart::{ChartKind, ChartSpec, Stacking};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where a lesson came from, which decides where its CSV files are read.
#[derive(Clone, PartialEq)]
enum Source {
    /// A URL folder (the site's `lessons/`, or the folder of a `?lesson=` URL).
    Url(String),
    /// Files the instructor opened; the CSV texts came with them.
    Local(Rc<HashMap<String, String>>),
}

#[derive(Clone, PartialEq)]
enum Slot {
    Loading(String),
    /// The parsed lesson, where its files are, and its text (sent to the query worker).
    Ready(Rc<Lesson>, Source, Rc<String>),
    Failed(String, Vec<String>),
}

#[derive(Clone, Copy, PartialEq)]
enum View {
    Home,
    Playground,
    Lesson(usize, usize),
}

/// The tables queries run against right now: what the worker has loaded, as schemas.
#[derive(Clone)]
struct Active {
    target: Target,
    tables: Rc<Vec<TableInfo>>,
    /// Schema-only catalog for completion and live diagnostics on the page.
    schema: Rc<Catalog>,
}

impl PartialEq for Active {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target && Rc::ptr_eq(&self.tables, &other.tables)
    }
}

/// Progress changes, applied to the latest progress (replies from the worker arrive later).
enum ProgressAction {
    /// A draft query of a step (or of the playground), edited at a time (ms since the epoch).
    SetQuery(Option<(String, String)>, String, f64),
    Passed(String, String),
    Hint(String, String),
    Solution(String, String),
    Current(String, String),
    Reset,
    /// Progress another tab saved.
    Merge(Progress),
}

#[derive(Clone, PartialEq, Default)]
struct ProgressState(Progress);

impl Reducible for ProgressState {
    type Action = ProgressAction;
    fn reduce(self: Rc<Self>, a: ProgressAction) -> Rc<Self> {
        let mut p = self.0.clone();
        match a {
            ProgressAction::SetQuery(Some((l, s)), q, now) => p.set_query(&l, &s, q, now),
            ProgressAction::SetQuery(None, q, now) => {
                p.playground_query = q;
                p.playground_at = now;
            }
            ProgressAction::Passed(l, s) => p.step_mut(&l, &s).passed = true,
            ProgressAction::Hint(l, s) => p.step_mut(&l, &s).hints_shown += 1,
            ProgressAction::Solution(l, s) => p.step_mut(&l, &s).solution_shown = true,
            ProgressAction::Current(l, s) => {
                p.last_lesson = Some(l.clone());
                p.lessons.entry(l).or_default().current_step = Some(s);
            }
            ProgressAction::Reset => p = Progress::default(),
            ProgressAction::Merge(other) => {
                p.merge(&other);
                if p == self.0 {
                    return self;
                }
            }
        }
        Rc::new(ProgressState(p))
    }
}

#[derive(Clone, PartialEq, Default)]
struct Notices(Vec<Notice>);

enum NoticeAction {
    Add(String, bool),
    Dismiss(u64),
}

impl Reducible for Notices {
    type Action = NoticeAction;
    fn reduce(self: Rc<Self>, a: NoticeAction) -> Rc<Self> {
        let mut v = self.0.clone();
        match a {
            NoticeAction::Add(text, error) => {
                if !v.iter().any(|n| n.text == text) {
                    let id = v.iter().map(|n| n.id).max().unwrap_or(0) + 1;
                    v.push(Notice { id, text, error });
                }
            }
            NoticeAction::Dismiss(id) => v.retain(|n| n.id != id),
        }
        Rc::new(Notices(v))
    }
}

#[derive(Clone, PartialEq)]
struct RunView {
    /// Milliseconds from Run to the result arriving on the page (engine time plus transfer).
    roundtrip_ms: f64,
    table: SharedTable,
    chart: Option<ChartSpec>,
    elapsed_ms: f64,
    notice: Option<AttrValue>,
    /// Diagnostics of a query that did not run.
    errors: Vec<Diagnostic>,
    query: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Table,
    Chart,
}

#[derive(Clone, PartialEq)]
struct Notice {
    id: u64,
    text: String,
    error: bool,
}

/// The session clock: now, rounded down to the hour (datasets are generated relative to it).
fn session_clock() -> i64 {
    let ms = js_sys::Date::now() as i64;
    let ticks = ms * time::TICKS_PER_MILLI;
    ticks.div_euclid(time::TICKS_PER_HOUR) * time::TICKS_PER_HOUR
}

/// Maps a `render` request onto the chart component's spec.
fn chart_spec(r: &RenderSpec) -> Option<ChartSpec> {
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

/// The playground's generated data: `?seed=` and `?rows=` in the address, else the lessons'
/// defaults (seed 42, 5,000 click events).
fn playground_spec() -> (u64, usize) {
    let search = dom::window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |k: &str| params.as_ref().and_then(|p| p.get(k)).and_then(|v| v.replace('_', "").parse::<u64>().ok());
    let rows = get("rows").map_or(5000, |r| (r as usize).clamp(1, crate::app::worker::MAX_PLAYGROUND_ROWS));
    (get("seed").unwrap_or(42), rows)
}

/// Removes `#...` from the address without reloading.
fn clear_fragment() {
    let w = dom::window();
    let loc = w.location();
    if loc.hash().map(|h| h.len() > 1).unwrap_or(false) {
        let url = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
        let _ = w.history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
    }
}

/// Where the page is, as kept in the address (`?view=playground`) so that a reload comes
/// back to it. Lessons need nothing there: a reload returns to the last lesson anyway.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Route {
    Home,
    Playground,
    Lesson,
}

fn current_route() -> Route {
    let search = dom::window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    match params.and_then(|p| p.get("view")).as_deref() {
        Some("playground") => Route::Playground,
        _ => Route::Home,
    }
}

/// Writes the route into the address without reloading (other parameters and `#...` stay).
fn set_route(route: Route) {
    if current_route() == route || (route == Route::Lesson && current_route() == Route::Home) {
        return;
    }
    let w = dom::window();
    let loc = w.location();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default()) else { return };
    match route {
        Route::Playground => params.set("view", "playground"),
        Route::Home | Route::Lesson => params.delete("view"),
    }
    let query: String = params.to_string().into();
    let url = format!(
        "{}{}{}",
        loc.pathname().unwrap_or_default(),
        if query.is_empty() { String::new() } else { format!("?{query}") },
        loc.hash().unwrap_or_default()
    );
    let _ = w.history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
}

/// The step this tab last showed of a lesson (session storage: per tab, kept across reloads).
fn tab_step(lesson: &str) -> Option<String> {
    dom::window().session_storage().ok().flatten()?.get_item(&format!("kqlab.step.{lesson}")).ok().flatten()
}

fn set_tab_step(lesson: &str, step: &str) {
    if let Some(s) = dom::window().session_storage().ok().flatten() {
        let _ = s.set_item(&format!("kqlab.step.{lesson}"), step);
    }
}

/// Forgets this tab's places in every lesson (Reset progress starts each lesson afresh).
fn clear_tab_steps() {
    let Some(s) = dom::window().session_storage().ok().flatten() else { return };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with("kqlab.step.")).collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// The session-storage key listing the files loaded into the playground (names only: the
/// files themselves are not kept, and after a reload the page says to load them again).
const FILES_KEY: &str = "kqlab.playground-files";

fn remember_files(names: &[String]) {
    if let Some(s) = dom::window().session_storage().ok().flatten() {
        let _ = s.set_item(FILES_KEY, &names.join("\n"));
    }
}

/// The files this tab had loaded before a reload (then forgotten, so the notice shows once).
fn forgotten_files() -> Vec<String> {
    let Some(s) = dom::window().session_storage().ok().flatten() else { return Vec::new() };
    let names = s.get_item(FILES_KEY).ok().flatten().unwrap_or_default();
    let _ = s.remove_item(FILES_KEY);
    names.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn lesson_errors(file: &str, errs: &[LessonError]) -> Vec<String> {
    errs.iter()
        .map(|e| {
            let pos = if e.line > 0 { format!("{file}, line {}, column {}", e.line, e.column) } else { file.to_string() };
            format!("{pos}: {}{}", e.field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default(), e.message)
        })
        .collect()
}

/// Is this diagnostic among the editor's live errors (same place, same message)?
fn listed_in_editor(errors: &[(std::ops::Range<usize>, String)], d: &Diagnostic) -> bool {
    errors.iter().any(|(span, m)| *span == d.span.range() && m.starts_with(&d.message))
}

/// Would the editor's error list repeat what the run's error report shows for this same text?
/// The playground's error box lists every error of the run; a lesson verdict explains the
/// first one (with its help), so it covers the list only when that is the only error.
fn run_covers_live_errors(run: Option<&RunView>, verdict: Option<&Verdict>, query: &str, errors: &[(std::ops::Range<usize>, String)]) -> bool {
    let Some(r) = run.filter(|r| r.query == query && !r.errors.is_empty()) else { return false };
    if errors.is_empty() || !errors.iter().all(|(span, _)| r.errors.iter().any(|d| d.span.range() == *span)) {
        return false;
    }
    match verdict {
        None => true,
        Some(v) => v.status == Status::Error && v.diagnostics.len() == 1 && errors.len() == 1 && listed_in_editor(errors, &v.diagnostics[0]),
    }
}

/// How long typing must pause before the query is checked for errors as it stands.
const LIVE_CHECK_DELAY_MS: u32 = 700;

const EXAMPLES: &[(&str, &str)] = &[
    ("Recent clicks", "UrlClickEvents\n| where Timestamp > ago(7d)\n| project Timestamp, AccountUpn, Url, ActionType\n| order by Timestamp desc"),
    ("Clicks per hour (chart)", "UrlClickEvents\n| where Timestamp > ago(7d)\n| summarize Clicks = count() by bin(Timestamp, 1h)\n| render timechart"),
    ("Threat verdicts", "UrlClickEvents\n| where ThreatTypes != \"\"\n| summarize Clicks = count(), Users = dcount(AccountUpn) by ThreatTypes, Url"),
    ("Delivered, then clicked", "EmailEvents\n| where SenderFromDomain == \"contoso-login.com\"\n| join kind=inner (UrlClickEvents | project NetworkMessageId, ClickTime = Timestamp, ActionType) on NetworkMessageId\n| project RecipientEmailAddress, DeliveryAction, ClickTime, ActionType"),
    ("Actions (pie chart)", "UrlClickEvents\n| summarize count() by ActionType\n| render piechart"),
];

/// A run waiting for the worker: its id, when it started, and the lesson step it belongs to.
#[derive(Clone, PartialEq)]
struct Pending {
    id: u64,
    started: f64,
    step: Option<(String, String)>,
    query: String,
}

#[component]
pub fn App() -> Html {
    let clock = *use_memo((), |_| session_clock());
    let slots = use_state(Vec::<Slot>::new);
    let view = use_state(|| View::Home);
    let initial = use_memo((), |_| storage::load());
    let progress = use_reducer(|| ProgressState(initial.0.clone()));
    let notices = use_reducer(|| Notices(initial.1.iter().map(|t| Notice { id: 1, text: t.clone(), error: true }).collect()));
    let query = use_state(String::new);
    // The text the live errors were last computed for (it lags `query` while typing).
    let checked = use_state(String::new);
    let run = use_state(|| None::<RunView>);
    let tab = use_state(|| Tab::Table);
    let insert = use_state(|| None::<InsertRequest>);
    let answer = use_state(String::new);
    let answer_verdict = use_state(|| None::<Verdict>);
    // The checker's verdict on the last run, and whether it is the lesson's fault.
    let run_verdict = use_state(|| None::<(Verdict, bool)>);
    // The validator's findings for a lesson file opened for preview: (worker key, per step).
    let reviews = use_state(|| None::<(String, Rc<Vec<StepCheck>>)>);
    // A run that was stopped: how long it had run (seconds).
    let stopped = use_state(|| None::<f64>);
    let active = use_state(|| None::<Active>);
    let loading = use_state(|| None::<String>);
    let running = use_state(|| None::<Pending>);
    let tick = use_state(|| 0u32);
    let copied = use_state(|| false);
    // The header's "More" menu (phones only; wider screens show its items inline).
    let menu_open = use_state(|| false);
    let dragging = use_state(|| false);
    let pending_share = use_mut_ref(|| None::<ShareState>);
    // What the worker should have loaded (re-sent after a restart), and what it has.
    let want_open = use_mut_ref(|| None::<Request>);
    let opened = use_mut_ref(HashMap::<String, Rc<Vec<TableInfo>>>::new);
    let pending = use_mut_ref(|| None::<Pending>);
    let worker_ready = use_mut_ref(|| false);
    let csv_tables = use_mut_ref(Vec::<(String, String, String)>::new);

    let notify = {
        let notices = notices.dispatcher();
        Callback::from(move |(text, error): (String, bool)| notices.dispatch(NoticeAction::Add(text, error)))
    };
    // Informational notices go away by themselves; problems stay until dismissed.
    {
        let notices = notices.clone();
        use_effect_with(notices.0.iter().filter(|n| !n.error).map(|n| n.id).collect::<Vec<_>>(), move |ids| {
            let timers: Vec<gloo::timers::callback::Timeout> = ids
                .iter()
                .map(|&id| {
                    let d = notices.dispatcher();
                    gloo::timers::callback::Timeout::new(8000, move || d.dispatch(NoticeAction::Dismiss(id)))
                })
                .collect();
            move || drop(timers)
        });
    }

    // The query worker and what to do with its messages.
    let host: Rc<EngineHost> = {
        let notify = notify.clone();
        let active = active.clone();
        let loading = loading.clone();
        let run = run.clone();
        let run_verdict = run_verdict.clone();
        let running = running.clone();
        let tab = tab.clone();
        let progress = progress.dispatcher();
        let want_open = want_open.clone();
        let opened = opened.clone();
        let pending = pending.clone();
        let worker_ready = worker_ready.clone();
        let view = view.clone();
        let reviews = reviews.clone();
        use_memo((), move |_| {
            let host_cell: Rc<RefCell<Option<EngineHost>>> = Rc::new(RefCell::new(None));
            let hc = host_cell.clone();
            let host = EngineHost::new(clock, move |ev| match ev {
                WorkerEvent::Ready => {
                    *worker_ready.borrow_mut() = true;
                    if let Some(h) = hc.borrow().as_ref() {
                        // The tables first (a fresh worker has none), then what waited.
                        if let Some(req) = want_open.borrow().clone() {
                            h.send(&req);
                        }
                        h.flush();
                    }
                }
                WorkerEvent::Reply(reply, table) => match *reply {
                    Reply::Opened { target, tables, notices, checks } => {
                        for n in notices {
                            let error = !n.starts_with("Loaded ") || n.contains("could not be read");
                            notify.emit((n, error));
                        }
                        let tables = Rc::new(tables);
                        let key = match &target {
                            Target::Lesson { key, .. } => key.clone(),
                            Target::Playground => "playground".into(),
                        };
                        opened.borrow_mut().insert(key, tables.clone());
                        let still_wanted = match (&target, &*want_open.borrow()) {
                            (Target::Lesson { key, .. }, Some(Request::OpenLesson { key: k, .. })) => key == k,
                            (Target::Playground, Some(Request::OpenPlayground { .. })) => true,
                            _ => false,
                        };
                        if let Target::Lesson { key, .. } = &target {
                            if still_wanted && matches!(&*want_open.borrow(), Some(Request::OpenLesson { review: true, .. })) {
                                reviews.set(Some((key.clone(), Rc::new(checks))));
                            }
                        }
                        if still_wanted {
                            let schema = Rc::new(schema_catalog(&tables));
                            active.set(Some(Active { target, tables, schema }));
                            loading.set(None);
                        }
                    }
                    Reply::OpenFailed { errors, .. } => {
                        loading.set(None);
                        notify.emit((format!("The data could not be prepared: {}", errors.join("; ")), true));
                    }
                    // The page never asks for a benchmark; bench/browser.mjs talks to its own worker.
                    Reply::Benched { .. } => {}
                    Reply::Ran { id, total_rows, render, elapsed_ms, errors, verdict, lesson_fault } => {
                        let Some(p) = pending.borrow().clone().filter(|p| p.id == id) else { return };
                        *pending.borrow_mut() = None;
                        running.set(None);
                        let _ = &view;
                        let view_of = if errors.is_empty() {
                            let table = table.unwrap_or_else(|| crate::table::Table::empty(vec![]));
                            let notice = (total_rows > table.len())
                                .then(|| AttrValue::from(format!("Showing the first {} of {} rows.", thousands(table.len()), thousands(total_rows))));
                            // A `render` opens the chart; a time-binned result offers one on a tab.
                            let asked = render.as_ref().and_then(chart_spec);
                            tab.set(if asked.is_some() { Tab::Chart } else { Tab::Table });
                            let chart = asked.or_else(|| crate::view::chart::suggest(&table));
                            RunView {
                                roundtrip_ms: dom::now_ms() - p.started,
                                table: table.into(),
                                chart,
                                elapsed_ms,
                                notice,
                                errors: vec![],
                                query: p.query.clone(),
                            }
                        } else {
                            RunView {
                                roundtrip_ms: dom::now_ms() - p.started,
                                table: SharedTable(Rc::new(crate::table::Table::empty(vec![]))),
                                chart: None,
                                elapsed_ms,
                                notice: None,
                                errors,
                                query: p.query.clone(),
                            }
                        };
                        run.set(Some(view_of));
                        if let (Some(v), Some((l, s))) = (&verdict, &p.step) {
                            if v.status == Status::Pass {
                                progress.dispatch(ProgressAction::Passed(l.clone(), s.clone()));
                            }
                        }
                        run_verdict.set(verdict.map(|v| (v, lesson_fault)));
                    }
                },
                WorkerEvent::Crashed(msg) => {
                    *worker_ready.borrow_mut() = false;
                    opened.borrow_mut().clear();
                    let was_running = pending.borrow_mut().take().is_some();
                    running.set(None);
                    notify.emit((
                        format!(
                            "The query engine stopped ({msg}){}. It has been restarted; your query and progress are kept.",
                            if was_running { " while running your query" } else { "" }
                        ),
                        true,
                    ));
                    let hc = hc.clone();
                    // Restart outside this callback (the host is borrowed while it runs).
                    gloo::timers::callback::Timeout::new(0, move || {
                        if let Some(h) = hc.borrow().as_ref() {
                            h.restart();
                        }
                    })
                    .forget();
                }
            });
            *host_cell.borrow_mut() = Some(host.clone());
            host
        })
    };

    // Tick while a query runs, to show the elapsed time.
    {
        let tick = tick.clone();
        use_effect_with(running.is_some(), move |is_running| {
            let interval = is_running.then(|| gloo::timers::callback::Interval::new(250, move || tick.set(js_sys::Date::now() as u32)));
            move || drop(interval)
        });
    }

    // Another tab's progress appears here without a reload (and is kept when this tab saves).
    {
        let progress = progress.dispatcher();
        use_effect_with((), move |_| {
            let listener = storage::watch(move |change| match change {
                storage::Change::Saved(p) => progress.dispatch(ProgressAction::Merge(p)),
                storage::Change::Cleared => {
                    clear_tab_steps();
                    progress.dispatch(ProgressAction::Reset);
                }
            });
            move || drop(listener)
        });
    }

    // Save progress whenever it changes.
    {
        let notify = notify.clone();
        use_effect_with(progress.0.clone(), move |p| {
            if let Some(msg) = storage::save(p) {
                notify.emit((msg, true));
            }
        });
    }

    // Asks the worker for a target's tables (immediately if it has them).
    let request_open = {
        let host = host.clone();
        let want_open = want_open.clone();
        let opened = opened.clone();
        let active = active.clone();
        let loading = loading.clone();
        let worker_ready = worker_ready.clone();
        Callback::from(move |(req, label): (Request, String)| {
            let (key, target) = match &req {
                Request::OpenLesson { key, .. } => (key.clone(), Target::Lesson { key: key.clone(), step: 0 }),
                _ => ("playground".to_string(), Target::Playground),
            };
            *want_open.borrow_mut() = Some(req.clone());
            let known = opened.borrow().get(&key).cloned();
            match (known, &req) {
                (Some(tables), Request::OpenLesson { .. }) => {
                    let schema = Rc::new(schema_catalog(&tables));
                    active.set(Some(Active { target, tables, schema }));
                }
                _ => {
                    active.set(None);
                    loading.set(Some(label));
                    if *worker_ready.borrow() {
                        host.send(&req);
                    }
                }
            }
        })
    };

    // Load the lesson list (or the one lesson named by ?lesson=) and read a share link.
    {
        let slots = slots.clone();
        let notify = notify.clone();
        let pending_share = pending_share.clone();
        use_effect_with((), move |_| {
            let loc = dom::window().location();
            let hash = loc.hash().unwrap_or_default();
            if hash.len() > 1 {
                match ShareState::from_fragment(&hash) {
                    Ok(s) => *pending_share.borrow_mut() = Some(s),
                    Err(e) => notify.emit((format!("This link could not be used: {e}."), true)),
                }
                // Used once: a later reload starts from the saved progress, not the link.
                clear_fragment();
            }
            let search = loc.search().unwrap_or_default();
            let lesson_url = web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("lesson"));
            wasm_bindgen_futures::spawn_local(async move {
                let read = |file: String, url: String, base: String, text: Result<String, String>| match text {
                    Err(e) => Slot::Failed(file, vec![e]),
                    Ok(text) => match parse_lesson(&text) {
                        Ok(l) => Slot::Ready(Rc::new(l), Source::Url(base), Rc::new(text)),
                        Err(errs) => Slot::Failed(file.clone(), lesson_errors(&url, &errs)),
                    },
                };
                match lesson_url {
                    Some(url) => {
                        if let Err(e) = loader::allowed_lesson_url(&url) {
                            notify.emit((e, true));
                            return;
                        }
                        slots.set(vec![Slot::Loading(url.clone())]);
                        let text = loader::fetch_text(&url).await;
                        slots.set(vec![read(url.clone(), url.clone(), loader::base_of(&url), text)]);
                    }
                    None => {
                        let index = match loader::fetch_text("lessons/index.toml").await {
                            Ok(t) => t,
                            Err(e) => {
                                notify.emit((format!("The lesson list could not be loaded ({e}). The playground still works."), true));
                                return;
                            }
                        };
                        let idx = match parse_index(&index) {
                            Ok(i) => i,
                            Err(errs) => {
                                notify.emit((format!("lessons/index.toml has problems: {}", lesson_errors("lessons/index.toml", &errs).join("; ")), true));
                                return;
                            }
                        };
                        let mut list: Vec<Slot> = idx.lessons.iter().map(|e| Slot::Loading(e.file.clone())).collect();
                        slots.set(list.clone());
                        for (i, e) in idx.lessons.iter().enumerate() {
                            let text = loader::fetch_text(&format!("lessons/{}", e.file)).await;
                            list[i] = read(e.file.clone(), e.file.clone(), "lessons/".into(), text);
                            slots.set(list.clone());
                        }
                    }
                }
            });
        });
    }

    // Opens step `step` of lesson slot `idx`.
    let open_lesson = {
        let slots = slots.clone();
        let view = view.clone();
        let query = query.clone();
        let progress = progress.clone();
        let run = run.clone();
        let run_verdict = run_verdict.clone();
        let answer = answer.clone();
        let answer_verdict = answer_verdict.clone();
        let notify = notify.clone();
        let request_open = request_open.clone();
        let stopped = stopped.clone();
        Callback::from(move |(idx, step, shared_query): (usize, Option<usize>, Option<String>)| {
            let Some(Slot::Ready(lesson, source, text)) = slots.get(idx).cloned() else { return };
            if shared_query.is_none() {
                clear_fragment();
            }
            let lesson_prog = progress.0.lessons.get(&lesson.id).cloned().unwrap_or_default();
            // This tab's own place first (it survives a reload; other tabs have their own), then
            // the place saved with the progress.
            let step = step
                .or_else(|| tab_step(&lesson.id).and_then(|id| lesson.steps.iter().position(|s| s.id == id)))
                .or_else(|| lesson_prog.current_step.as_ref().and_then(|id| lesson.steps.iter().position(|s| &s.id == id)))
                .unwrap_or(0)
                .min(lesson.steps.len().saturating_sub(1));
            let sid = lesson.steps[step].id.clone();
            set_tab_step(&lesson.id, &sid);
            let saved = progress.0.step(&lesson.id, &sid).map(|s| s.query.clone()).filter(|q| !q.is_empty());
            query.set(shared_query.clone().or(saved).unwrap_or_else(|| lesson.steps[step].starter.clone()));
            set_route(Route::Lesson);
            run.set(None);
            stopped.set(None);
            run_verdict.set(None);
            answer.set(String::new());
            answer_verdict.set(None);
            progress.dispatch(ProgressAction::Current(lesson.id.clone(), sid));
            view.set(View::Lesson(idx, step));
            // The worker prepares the lesson's tables (CSV files fetched here first).
            let key = format!("{}#{idx}", lesson.id);
            let label = format!("Preparing the data for \"{}\"…", lesson.title);
            let request_open = request_open.clone();
            let notify = notify.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut csv = Vec::new();
                for c in &lesson.dataset.csv {
                    let t = match &source {
                        Source::Url(base) => loader::fetch_text(&format!("{base}{}", c.file)).await,
                        Source::Local(map) => map.get(&c.file).cloned().ok_or_else(|| format!("open '{}' together with the lesson file", c.file)),
                    };
                    match t {
                        Ok(t) => csv.push((c.file.clone(), t)),
                        Err(e) => notify.emit((format!("{}: {e}", lesson.title), true)),
                    }
                }
                let review = matches!(source, Source::Local(_));
                request_open.emit((Request::OpenLesson { key, lesson_toml: (*text).clone(), csv, review }, label));
            });
        })
    };

    let open_playground = {
        let view = view.clone();
        let query = query.clone();
        let progress = progress.clone();
        let run = run.clone();
        let run_verdict = run_verdict.clone();
        let request_open = request_open.clone();
        let csv_tables = csv_tables.clone();
        let stopped = stopped.clone();
        let notify = notify.clone();
        Callback::from(move |shared_query: Option<String>| {
            let q = shared_query.or_else(|| Some(progress.0.playground_query.clone()).filter(|q| !q.is_empty())).unwrap_or_else(|| EXAMPLES[0].1.to_string());
            query.set(q);
            set_route(Route::Playground);
            // Files loaded before a reload are gone (they are never stored): say so.
            if csv_tables.borrow().is_empty() {
                let names = forgotten_files();
                if !names.is_empty() {
                    notify.emit((
                        format!(
                            "Files loaded into the playground are not kept when the page reloads: load {} again to query {}.",
                            names.join(", "),
                            if names.len() == 1 { "it" } else { "them" }
                        ),
                        true,
                    ));
                }
            }
            run.set(None);
            stopped.set(None);
            run_verdict.set(None);
            view.set(View::Playground);
            let (seed, rows) = playground_spec();
            request_open.emit((
                Request::OpenPlayground { tables: csv_tables.borrow().clone(), seed, rows },
                format!("Preparing the playground's data ({} click events)…", thousands(rows)),
            ));
        })
    };

    // Once lessons are known, apply a share link or return to the last lesson.
    {
        let pending_share = pending_share.clone();
        let open_lesson = open_lesson.clone();
        let open_playground = open_playground.clone();
        let notify = notify.clone();
        let view_now = *view;
        let progress = progress.clone();
        use_effect_with((*slots).clone(), move |slots| {
            let all_known = !slots.is_empty() && slots.iter().all(|s| !matches!(s, Slot::Loading(_)));
            if all_known && view_now == View::Home {
                let ready = |id: &str| slots.iter().position(|s| matches!(s, Slot::Ready(l, ..) if l.id == id));
                if let Some(share) = pending_share.borrow_mut().take() {
                    match &share.lesson {
                        Some(id) => match ready(id) {
                            Some(i) => {
                                let step = match (&share.step, &slots[i]) {
                                    (Some(sid), Slot::Ready(l, ..)) => l.steps.iter().position(|s| &s.id == sid),
                                    _ => None,
                                };
                                open_lesson.emit((i, step, share.query.clone()));
                            }
                            None => notify.emit((format!("The link names a lesson '{id}' that this site does not have."), true)),
                        },
                        None => open_playground.emit(share.query.clone()),
                    }
                } else if current_route() == Route::Playground {
                    open_playground.emit(None);
                } else if let Some(i) = progress.0.last_lesson.as_deref().and_then(ready) {
                    open_lesson.emit((i, None, None));
                } else if slots.len() == 1 && matches!(slots[0], Slot::Ready(..)) {
                    open_lesson.emit((0, None, None));
                }
            }
        });
    }

    // The current lesson and step, if any.
    let current: Option<(usize, usize, Rc<Lesson>)> = match *view {
        View::Lesson(i, s) => match slots.get(i) {
            Some(Slot::Ready(l, ..)) => Some((i, s, l.clone())),
            _ => None,
        },
        _ => None,
    };
    let step_ids: Option<(String, String)> = current.as_ref().map(|(_, s, l)| (l.id.clone(), l.steps[*s].id.clone()));

    // Keep the step's query in the progress as the learner types.
    let on_change = {
        let query = query.clone();
        let progress = progress.dispatcher();
        let step_ids = step_ids.clone();
        let is_playground = *view == View::Playground;
        Callback::from(move |text: String| {
            if step_ids.is_some() || is_playground {
                progress.dispatch(ProgressAction::SetQuery(step_ids.clone(), text.clone(), js_sys::Date::now()));
            }
            query.set(text);
        })
    };

    let on_run = {
        let query = query.clone();
        let active = active.clone();
        let host = host.clone();
        let pending = pending.clone();
        let running = running.clone();
        let step_ids = step_ids.clone();
        let view = view.clone();
        let stopped = stopped.clone();
        let checked = checked.clone();
        Callback::from(move |_: ()| {
            let Some(act) = (*active).clone() else { return };
            // Running is a pause: check now.
            checked.set((*query).clone());
            let target = match (&act.target, *view) {
                (Target::Lesson { key, .. }, View::Lesson(_, step)) => Target::Lesson { key: key.clone(), step },
                (t, _) => t.clone(),
            };
            let id = pending.borrow().as_ref().map_or(1, |p| p.id + 1).max(js_sys::Date::now() as u64);
            let p = Pending { id, started: dom::now_ms(), step: step_ids.clone(), query: (*query).clone() };
            *pending.borrow_mut() = Some(p.clone());
            stopped.set(None);
            running.set(Some(p));
            host.send(&Request::Run { id, target, query: (*query).clone() });
        })
    };

    let on_stop = {
        let host = host.clone();
        let pending = pending.clone();
        let running = running.clone();
        let worker_ready = worker_ready.clone();
        let opened = opened.clone();
        let run = run.clone();
        let run_verdict = run_verdict.clone();
        let stopped = stopped.clone();
        Callback::from(move |_: MouseEvent| {
            let started = pending.borrow_mut().take().map(|p| p.started);
            running.set(None);
            // The previous run's results belong to another query: show that this run stopped.
            run.set(None);
            run_verdict.set(None);
            stopped.set(Some(started.map_or(0.0, |t| (dom::now_ms() - t) / 1000.0)));
            *worker_ready.borrow_mut() = false;
            // A fresh worker has no tables: the current ones are prepared again on Ready.
            opened.borrow_mut().clear();
            // The results area says the run was stopped (no second message in a notice).
            host.restart();
        })
    };

    let highlight = use_memo((), |_| HighlightFn::new(crate::syntax::highlight));
    let complete_fn = {
        let schema = (*active).as_ref().map(|a| a.schema.clone());
        use_memo(schema.as_ref().map(|c| Rc::as_ptr(c) as usize), move |_| {
            let schema = schema.clone();
            CompleteFn::new(move |text, cursor| match &schema {
                Some(c) => complete::complete(text, cursor, c, clock),
                None => Vec::new(),
            })
        })
    };
    // Live errors wait until the learner pauses typing (as editors do): checking every
    // keystroke flags words still being typed (`summarize c` → "Unknown column 'c'").
    {
        let checked = checked.clone();
        use_effect_with((*query).clone(), move |q| {
            let q = q.clone();
            let timer = (*checked != q).then(|| gloo::timers::callback::Timeout::new(LIVE_CHECK_DELAY_MS, move || checked.set(q)));
            move || drop(timer)
        });
    }
    let errors: Vec<(std::ops::Range<usize>, String)> = {
        let schema = (*active).as_ref().map(|a| a.schema.clone());
        let q = (*checked).clone();
        let errors = (*use_memo((q, schema.as_ref().map(|c| Rc::as_ptr(c) as usize)), move |(q, _)| {
            let Some(cat) = schema else { return Vec::new() };
            // Plugins that discover columns from the data cannot be checked on schemas alone.
            if q.trim().is_empty() || q.contains("evaluate") {
                return Vec::new();
            }
            engine::check(q, &cat, clock)
                .into_iter()
                .map(|d| {
                    let msg = match &d.help {
                        Some(h) => format!("{} ({h})", d.message),
                        None => d.message.clone(),
                    };
                    (d.span.range(), msg)
                })
                .collect::<Vec<_>>()
        }))
        .clone();
        // Spans of an older text would point at the wrong places.
        if *checked == *query {
            errors
        } else {
            Vec::new()
        }
    };

    let on_insert = {
        let insert = insert.clone();
        Callback::from(move |text: String| {
            let id = insert.as_ref().map_or(1, |r| r.id + 1);
            insert.set(Some(InsertRequest { id, text }));
        })
    };

    // Replaces the whole query (the solution, an example) as one edit of the editor, so one
    // Ctrl+Z brings the learner's text back: the editor's text is selected and the new text
    // inserted over it through the editor's insert route (the browser's editing commands).
    let replace_query = {
        let insert = insert.clone();
        let on_change = on_change.clone();
        let notify = notify.clone();
        Callback::from(move |text: String| {
            let editor = dom::document().get_element_by_id("query").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
            let Some(ta) = editor else {
                on_change.emit(text);
                return;
            };
            let old = ta.value();
            if old == text {
                return;
            }
            let _ = ta.set_selection_range(0, old.encode_utf16().count() as u32);
            let id = insert.as_ref().map_or(1, |r| r.id + 1);
            insert.set(Some(InsertRequest { id, text }));
            if !old.trim().is_empty() {
                notify.emit(("Your query was replaced. Press Ctrl+Z (Cmd+Z on a Mac) in the editor to bring it back.".into(), false));
            }
        })
    };

    let select_step = {
        let open_lesson = open_lesson.clone();
        let view = view.clone();
        Callback::from(move |s: usize| {
            if let View::Lesson(i, _) = *view {
                open_lesson.emit((i, Some(s), None));
            }
        })
    };

    let on_picker = {
        let open_lesson = open_lesson.clone();
        let open_playground = open_playground.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if v == "playground" {
                open_playground.emit(None);
            } else if let Ok(i) = v.parse::<usize>() {
                open_lesson.emit((i, None, None));
            }
        })
    };

    // Instructor preview: open lesson files (the .toml and any CSV files it names).
    let open_files = {
        let slots = slots.clone();
        let open_lesson = open_lesson.clone();
        let notify = notify.clone();
        Callback::from(move |files: Vec<gloo::file::File>| {
            let slots = slots.clone();
            let open_lesson = open_lesson.clone();
            let notify = notify.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut csv = HashMap::new();
                let mut lessons = Vec::new();
                for f in &files {
                    if f.size() as usize > loader::MAX_FETCH {
                        notify.emit((format!("{} is too large ({} bytes).", f.name(), f.size()), true));
                        continue;
                    }
                    match gloo::file::futures::read_as_text(f).await {
                        Ok(text) if f.name().ends_with(".toml") => lessons.push((f.name(), text)),
                        Ok(text) if f.name().ends_with(".csv") => {
                            csv.insert(f.name(), text);
                        }
                        Ok(_) => notify.emit((format!("{}: only .toml lesson files and .csv data files can be opened here.", f.name()), true)),
                        Err(e) => notify.emit((format!("{} could not be read: {e}", f.name()), true)),
                    }
                }
                let csv = Rc::new(csv);
                for (name, text) in lessons {
                    let mut list = (*slots).clone();
                    match parse_lesson(&text) {
                        Err(errs) => {
                            list.push(Slot::Failed(name.clone(), lesson_errors(&name, &errs)));
                            slots.set(list);
                            notify.emit((format!("{name} cannot be opened: {}", lesson_errors(&name, &errs).join(" · ")), true));
                        }
                        Ok(l) => {
                            list.push(Slot::Ready(Rc::new(l), Source::Local(csv.clone()), Rc::new(text)));
                            let idx = list.len() - 1;
                            slots.set(list);
                            let open_lesson = open_lesson.clone();
                            gloo::timers::callback::Timeout::new(0, move || open_lesson.emit((idx, Some(0), None))).forget();
                        }
                    }
                }
            });
        })
    };
    let files_of = |list: Option<web_sys::FileList>| -> Vec<gloo::file::File> {
        list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).map(gloo::file::File::from).collect()).unwrap_or_default()
    };
    let on_file_input = {
        let open_files = open_files.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            open_files.emit(files_of(input.files()));
            input.set_value("");
        })
    };
    let on_drop = {
        let open_files = open_files.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            open_files.emit(files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };

    // Playground: load CSV files as tables (read here, parsed by the worker, never uploaded).
    let on_csv = {
        let notify = notify.clone();
        let csv_tables = csv_tables.clone();
        let opened = opened.clone();
        let request_open = request_open.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let files = files_of(input.files());
            input.set_value("");
            let notify = notify.clone();
            let csv_tables = csv_tables.clone();
            let opened = opened.clone();
            let request_open = request_open.clone();
            wasm_bindgen_futures::spawn_local(async move {
                for f in files {
                    let name = f.name();
                    let table_name: String =
                        name.trim_end_matches(".csv").chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
                    let table_name = if table_name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) { table_name } else { format!("T_{table_name}") };
                    if f.size() as usize > loader::MAX_FETCH {
                        notify.emit((format!("{name} is too large ({} bytes; the limit is {}).", f.size(), loader::MAX_FETCH), true));
                        continue;
                    }
                    match gloo::file::futures::read_as_text(&f).await {
                        Ok(text) => {
                            let mut t = csv_tables.borrow_mut();
                            t.retain(|(n, _, _)| *n != table_name);
                            t.push((table_name.clone(), name.clone(), text));
                        }
                        Err(e) => notify.emit((format!("{name} could not be read: {e}"), true)),
                    }
                }
                remember_files(&csv_tables.borrow().iter().map(|(_, file, _)| file.clone()).collect::<Vec<_>>());
                opened.borrow_mut().remove("playground");
                let (seed, rows) = playground_spec();
                request_open.emit((Request::OpenPlayground { tables: csv_tables.borrow().clone(), seed, rows }, "Loading your tables…".into()));
            });
        })
    };

    let on_copy_link = {
        let query = query.clone();
        let copied = copied.clone();
        let notify = notify.clone();
        let step_ids = step_ids.clone();
        Callback::from(move |_: MouseEvent| {
            let s = ShareState { lesson: step_ids.as_ref().map(|x| x.0.clone()), step: step_ids.as_ref().map(|x| x.1.clone()), query: Some((*query).clone()) };
            let frag = s.to_fragment();
            let _ = dom::window().history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{frag}"))));
            let url = dom::window().location().href().unwrap_or_default();
            let copied = copied.clone();
            let notify = notify.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match dom::copy_text(&url).await {
                    Ok(()) => {
                        copied.set(true);
                        let copied = copied.clone();
                        gloo::timers::callback::Timeout::new(2500, move || copied.set(false)).forget();
                    }
                    Err(e) => notify.emit((format!("The link could not be copied ({e}); it is in the address bar."), true)),
                }
            });
        })
    };

    let on_reset = {
        let progress = progress.dispatcher();
        let view = view.clone();
        let active = active.clone();
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            if gloo::dialogs::confirm("Reset all progress? Your passed steps and saved queries will be forgotten.") {
                storage::clear();
                progress.dispatch(ProgressAction::Reset);
                clear_tab_steps();
                set_route(Route::Home);
                view.set(View::Home);
                active.set(None);
                run.set(None);
            }
        })
    };

    let dismiss = {
        let notices = notices.dispatcher();
        move |id: u64| {
            let notices = notices.clone();
            Callback::from(move |_: MouseEvent| notices.dispatch(NoticeAction::Dismiss(id)))
        }
    };

    let go_home = {
        let view = view.clone();
        let active = active.clone();
        let run = run.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            clear_fragment();
            set_route(Route::Home);
            view.set(View::Home);
            active.set(None);
            run.set(None);
        })
    };

    let select_value = match *view {
        View::Lesson(i, _) => i.to_string(),
        View::Playground => "playground".to_string(),
        View::Home => String::new(),
    };
    let clock_text = time::format_datetime(clock);
    let clock_text = clock_text.trim_end_matches(":00Z").replacen('T', " ", 1);
    let pgress = &progress.0;

    let side = match &current {
        Some((_, step, lesson)) => {
            let lp = pgress.lessons.get(&lesson.id).cloned().unwrap_or_default();
            let sid = lesson.steps[*step].id.clone();
            let sp = lp.steps.get(&sid).cloned().unwrap_or_default();
            let on_hint = {
                let progress = progress.dispatcher();
                let ids = (lesson.id.clone(), sid.clone());
                Callback::from(move |_| progress.dispatch(ProgressAction::Hint(ids.0.clone(), ids.1.clone())))
            };
            let on_solution = {
                let progress = progress.dispatcher();
                let ids = (lesson.id.clone(), sid.clone());
                Callback::from(move |_| progress.dispatch(ProgressAction::Solution(ids.0.clone(), ids.1.clone())))
            };
            let on_next = {
                let select_step = select_step.clone();
                let s = *step;
                Callback::from(move |_| select_step.emit(s + 1))
            };
            let on_answer_change = {
                let answer = answer.clone();
                Callback::from(move |t: String| answer.set(t))
            };
            let on_answer = {
                let answer = answer.clone();
                let answer_verdict = answer_verdict.clone();
                let progress = progress.dispatcher();
                let lesson = lesson.clone();
                let s = *step;
                Callback::from(move |_| {
                    let st = &lesson.steps[s];
                    if let Some(q) = &st.question {
                        let v = check_answer(&lesson.id, &st.id, &answer, &q.answer_sha256);
                        if v.is_pass() {
                            progress.dispatch(ProgressAction::Passed(lesson.id.clone(), st.id.clone()));
                        }
                        answer_verdict.set(Some(v));
                    }
                })
            };
            let verdict = if lesson.steps[*step].question.is_some() { (*answer_verdict).clone() } else { None };
            html! {
                <>
                    <div class="lesson-head">
                        <p class="lesson-title">{ &lesson.title }</p>
                        <p class="lesson-progress">{ format!("{} of {} steps passed", pgress.passed_count(&lesson.id).min(lesson.steps.len()), lesson.steps.len()) }</p>
                    </div>
                    if let Some((_, checks)) = (*reviews).as_ref().filter(|(key, _)| *key == format!("{}#{}", lesson.id, current.as_ref().map_or(0, |c| c.0))) {
                        <LessonChecks checks={checks.clone()} on_select={select_step.clone()} />
                    }
                    <StepList lesson={lesson.clone()} current={*step} progress={lp.clone()} on_select={select_step.clone()} />
                    <StepView lesson={lesson.clone()} index={*step} passed={sp.passed} hints_shown={sp.hints_shown} solution_shown={sp.solution_shown}
                        verdict={verdict} answer={AttrValue::from((*answer).clone())} highlight={(*highlight).clone()}
                        on_hint={on_hint} on_solution={on_solution} on_use_solution={replace_query.clone()} on_next={on_next}
                        on_answer_change={on_answer_change} on_answer={on_answer} />
                </>
            }
        }
        None if *view == View::Playground => {
            let pick = |q: &'static str| {
                let replace_query = replace_query.clone();
                Callback::from(move |_: MouseEvent| replace_query.emit(q.to_string()))
            };
            html! {
                <section class="playground-pane" aria-labelledby="pg-title">
                    <h2 id="pg-title">{ "Playground" }</h2>
                    <p>{ "Query the generated Defender XDR tables freely, or load your own CSV file as a table. Nothing leaves your browser." }</p>
                    <h3>{ "Examples" }</h3>
                    <ul class="examples">
                        { for EXAMPLES.iter().map(|(title, q)| html! {
                            <li><button type="button" class="link-button" onclick={pick(q)}>{ *title }</button></li>
                        }) }
                    </ul>
                    <label class="button secondary file-button">
                        { "Load a CSV file as a table…" }
                        <input type="file" accept=".csv,text/csv" multiple=true class="visually-hidden" onchange={on_csv} aria-label="Load a CSV file as a table" />
                    </label>
                </section>
            }
        }
        None => html! {
            <section class="home-pane" aria-labelledby="home-title">
                <h2 id="home-title">{ "Learn KQL by following an investigation" }</h2>
                <p>{ "kqlab runs a KQL engine and realistic Microsoft Defender XDR data right in your browser. Pick a lesson, write queries, and get told what is right and what is not." }</p>
                <p class="phone-note">{ "On a phone, the lesson comes first and the query editor and results below it; wide results scroll sideways. Everything works, but a screen at least 900 pixels wide shows the lesson and the editor side by side, which is much easier to work with." }</p>
                <ul class="lesson-cards">
                    { for slots.iter().enumerate().map(|(i, s)| match s {
                        Slot::Loading(f) => html! { <li class="lesson-card muted">{ format!("Loading {f}…") }</li> },
                        Slot::Failed(f, errs) => html! {
                            <li class="lesson-card failed">
                                <p><strong>{ format!("{f} could not be loaded") }</strong></p>
                                <ul class="lesson-errors">{ for errs.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                            </li>
                        },
                        Slot::Ready(l, ..) => {
                            let open = open_lesson.clone();
                            let done = pgress.passed_count(&l.id).min(l.steps.len());
                            html! {
                                <li class="lesson-card">
                                    <button type="button" class="lesson-open" onclick={Callback::from(move |_| open.emit((i, None, None)))}>
                                        <span class="lesson-card-title">{ &l.title }</span>
                                        <span class="lesson-card-meta">{ format!("{:?} · {} steps{} · {done} passed", l.level, l.steps.len(), l.minutes.map(|m| format!(" · ~{m} min")).unwrap_or_default()) }</span>
                                        <span class="lesson-card-summary">{ &l.summary }</span>
                                    </button>
                                </li>
                            }
                        }
                    }) }
                </ul>
                <p><button type="button" class="link-button" onclick={open_playground.reform(|_: MouseEvent| None)}>{ "Open the playground" }</button>{ " to query freely." }</p>
            </section>
        },
    };

    // A run's errors are shown once: where the run reports them, the editor's list (the same
    // errors, found while typing) is hidden; the underlines stay.
    let errors_repeated = running.is_none() && run_covers_live_errors(run.as_ref(), run_verdict.as_ref().map(|(v, _)| v), &query, &errors);
    let results = match (&*running, &*run) {
        (Some(p), _) => {
            let secs = (dom::now_ms() - p.started) / 1000.0;
            let _ = *tick;
            html! {
                <div class="running" role="status" aria-live="polite">
                    <span class="spinner" aria-hidden="true"></span>
                    <span>{ format!("Running… {secs:.1} s") }</span>
                    <button type="button" class="button secondary small" onclick={on_stop.clone()}>{ "Stop" }</button>
                </div>
            }
        }
        (None, None) if stopped.is_some() => html! {
            <p class="results-stopped" role="status">
                { format!("The run was stopped after {:.1} s, so there are no results to show. To get an answer sooner, narrow the query (a shorter time range, or take 100) and run it again.", stopped.unwrap_or_default()) }
            </p>
        },
        (None, None) => html! { <p class="results-empty">{ if active.is_some() { "Run the query to see its results here (Ctrl+Enter)." } else { "" } }</p> },
        (None, Some(r)) if !r.errors.is_empty() && run_verdict.is_some() => html! {},
        (None, Some(r)) if !r.errors.is_empty() => {
            let li = crate::diag::LineIndex::new(&r.query);
            html! {
                <div class="run-errors" role="alert">
                    <p class="run-errors-title">{ if r.errors.len() == 1 { "The query has an error".to_string() } else { format!("The query has {} errors", r.errors.len()) } }</p>
                    <ul>
                        { for r.errors.iter().map(|d| {
                            let (l, c) = li.line_col(d.span.start as usize);
                            html! { <li><span class="err-pos">{ format!("Line {l}, column {c}: ") }</span>{ &d.message }
                                if let Some(h) = &d.help { <span class="err-help">{ format!(" {h}") }</span> }
                                <span class="err-code">{ format!(" [{}]", d.code) }</span></li> }
                        }) }
                    </ul>
                </div>
            }
        }
        (None, Some(r)) => {
            let select_tab = |t: Tab| {
                let tab = tab.clone();
                Callback::from(move |_: MouseEvent| tab.set(t))
            };
            // WAI-ARIA tabs: arrows move to the other tab and select it, Home/End go to the
            // first/last; only the selected tab is in the Tab order.
            let on_tab_key = {
                let tab = tab.clone();
                Callback::from(move |e: KeyboardEvent| {
                    let next = match (e.key().as_str(), *tab) {
                        ("ArrowLeft" | "ArrowRight", Tab::Chart) | ("End", _) => Tab::Table,
                        ("ArrowLeft" | "ArrowRight", Tab::Table) | ("Home", _) => Tab::Chart,
                        _ => return,
                    };
                    e.prevent_default();
                    tab.set(next);
                    let id = if next == Tab::Chart { "tab-chart" } else { "tab-table" };
                    if let Some(b) = dom::document().get_element_by_id(id).and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = b.focus();
                    }
                })
            };
            let tabindex = |t: Tab| if *tab == t { "0" } else { "-1" };
            html! {
                <>
                    // Exact timings for benchmarks and tests (bench/browser.mjs).
                    <span class="run-stats" hidden=true data-engine-ms={r.elapsed_ms.to_string()} data-roundtrip-ms={r.roundtrip_ms.to_string()} data-rows={r.table.0.len().to_string()}></span>
                    if let Some(spec) = &r.chart {
                        <div class="tabs" role="tablist" aria-label="Result views" onkeydown={on_tab_key}>
                            <button type="button" role="tab" id="tab-chart" aria-controls="panel-chart" aria-selected={(*tab == Tab::Chart).to_string()} tabindex={tabindex(Tab::Chart)} onclick={select_tab(Tab::Chart)}>{ "Chart" }</button>
                            <button type="button" role="tab" id="tab-table" aria-controls="panel-table" aria-selected={(*tab == Tab::Table).to_string()} tabindex={tabindex(Tab::Table)} onclick={select_tab(Tab::Table)}>{ "Table" }</button>
                        </div>
                        if *tab == Tab::Chart {
                            <div id="panel-chart" role="tabpanel" aria-labelledby="tab-chart" class="tab-panel">
                                <Chart table={r.table.clone()} spec={spec.clone()} />
                            </div>
                        }
                    }
                    if r.chart.is_none() || *tab == Tab::Table {
                        <div id="panel-table" role="tabpanel" aria-labelledby={r.chart.as_ref().map(|_| "tab-table")} class="tab-panel">
                            <ResultGrid table={r.table.clone()} elapsed_ms={r.elapsed_ms} notice={r.notice.clone()} />
                        </div>
                    }
                </>
            }
        }
    };

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <header class="app-header">
                <h1 class="brand-heading">
                    <a class="brand" href="./" aria-label="kqlab home" onclick={go_home}>
                        <span class="brand-mark" aria-hidden="true">{ "kq" }</span>
                        <span class="brand-name">{ "kqlab" }</span>
                    </a>
                </h1>
                <label class="visually-hidden" for="lesson-picker">{ "Lesson" }</label>
                <select id="lesson-picker" class="lesson-picker" onchange={on_picker}>
                    <option value="" selected={select_value.is_empty()} disabled=true>{ "Choose a lesson…" }</option>
                    { for slots.iter().enumerate().filter_map(|(i, s)| match s {
                        Slot::Ready(l, ..) => Some(html! { <option value={i.to_string()} selected={select_value == i.to_string()}>{ &l.title }</option> }),
                        _ => None,
                    }) }
                    <option value="playground" selected={select_value == "playground"}>{ "Playground (free querying)" }</option>
                </select>
                <span class="header-spacer"></span>
                // On a phone these fold away behind "More" so the header stays one line.
                <button type="button" class="button secondary small header-more" aria-expanded={menu_open.to_string()} aria-controls="header-tools"
                    onclick={{ let m = menu_open.clone(); Callback::from(move |_: MouseEvent| m.set(!*m)) }}>{ "More" }</button>
                <div id="header-tools" class={classes!("header-tools", menu_open.then_some("open"))}>
                    <span class="data-clock" title="The data is generated relative to this time, so ago() finds it">
                        { format!("Data up to {clock_text} UTC") }
                    </span>
                    <label class="button secondary small file-button" title="Open a lesson file (.toml, with its .csv files) to preview it">
                        { "Open lesson file…" }
                        <input type="file" accept=".toml,.csv" multiple=true class="visually-hidden" onchange={on_file_input} aria-label="Open a lesson file" />
                    </label>
                    <button type="button" class="button secondary small" onclick={on_reset}>{ "Reset progress" }</button>
                </div>
                <ThemeToggle />
            </header>
            <div class="notices" role="status" aria-live="polite">
                { for notices.0.iter().map(|n| html! {
                    <div class={classes!("notice", n.error.then_some("notice-error"))}>
                        <span>{ &n.text }</span>
                        <button type="button" class="notice-close" aria-label="Dismiss" onclick={dismiss(n.id)}>{ "×" }</button>
                    </div>
                }) }
            </div>
            <main class="app-main">
                <aside class="side-pane" aria-label="Lesson and schema">
                    if active.is_some() && *view != View::Home {
                        // Phones stack the lesson above the editor: a way down to it.
                        <button type="button" class="link-button jump-editor" onclick={Callback::from(|_: MouseEvent| {
                            if let Some(e) = dom::document().get_element_by_id("query").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                                e.scroll_into_view();
                                let _ = e.focus();
                            }
                        })}>{ "Go to the query editor ↓" }</button>
                    }
                    { side }
                    if let Some(msg) = &*loading { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ msg }</p> }
                    if let Some(a) = &*active {
                        <SchemaPane tables={a.tables.clone()} on_insert={on_insert.clone()}
                            focus={a.tables.iter().find(|t| query.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == t.name)).map(|t| t.name.clone()).or_else(|| Some("UrlClickEvents".into()))} />
                    }
                </aside>
                <section class={classes!("work-pane", errors_repeated.then_some("run-errors-shown"))} aria-label="Query and results">
                    if active.is_some() {
                        <div class="editor-bar">
                            <h2 class="editor-title"><label for="query">{ "Query" }</label></h2>
                            <span class="toolbar-spacer"></span>
                            <button type="button" class="button secondary small" onclick={on_copy_link} title="Copy a link that opens this lesson step with this query">
                                { if *copied { "Link copied ✓" } else { "Copy link" } }
                            </button>
                            <button type="button" class="run-button" onclick={on_run.reform(|_: MouseEvent| ())} disabled={running.is_some()} aria-keyshortcuts="Control+Enter Meta+Enter">
                                <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M7 4.5v15l13-7.5z"/></svg>
                                { "Run" }
                                <kbd>{ "Ctrl+Enter" }</kbd>
                            </button>
                        </div>
                        <Editor value={AttrValue::from((*query).clone())} on_change={on_change.clone()} on_run={on_run.clone()}
                            highlight={(*highlight).clone()} complete={(*complete_fn).clone()}
                            errors={errors.clone()} insert={(*insert).clone()} />
                        if let (Some((_, step, lesson)), Some((v, lesson_fault)), None) = (&current, &*run_verdict, &*running) {
                            if lesson.steps[*step].question.is_none() {
                                <VerdictPanel verdict={v.clone()} lesson_fault={*lesson_fault}
                                    on_next={(*step + 1 < lesson.steps.len()).then(|| { let sel = select_step.clone(); let n = *step + 1; Callback::from(move |_| sel.emit(n)) })} />
                            }
                        }
                        <div class="results">{ results }</div>
                    } else if current.is_some() || *view == View::Playground {
                        <p class="results-empty"><span class="spinner" aria-hidden="true"></span>{ "Preparing the data…" }</p>
                    } else {
                        <div class="welcome">
                            <Markdown source={AttrValue::Static(WELCOME)} highlight={(*highlight).clone()} heading_offset={1} />
                        </div>
                    }
                </section>
            </main>
        </div>
    }
}

const WELCOME: &str = "## How it works\n\n1. Choose a lesson on the left (or from the list at the top).\n2. Read the story and the task, then write a query in the editor.\n3. Press **Run** or **Ctrl+Enter**: kqlab runs it here in your browser and tells you whether the result matches the expected answer — and if not, what differs.\n\nHints come one at a time, and the solution is there when you need it. Your progress is saved in this browser.\n\n```kql\nUrlClickEvents\n| where Timestamp > ago(7d)\n| summarize Clicks = count() by AccountUpn\n| top 10 by Clicks\n```";
