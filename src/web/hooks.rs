//! `use_app`: the page's one state ([`AppState`]) and the query worker ([`EngineHost`]) that
//! serves it. Every change goes through [`AppState::reduce`]; this hook runs the commands it
//! returns (send a request, restart the worker) and re-renders. The methods of [`AppHandle`]
//! add what only the browser can do (the address, session storage, fetching files) around the
//! actions.

use super::lang::LangHost;
use super::worker::{EngineHost, Event as WorkerEvent};
use super::{dom, loader, storage};
use crate::app::share::ShareState;
use crate::app::state::{Action, AppState, Command, Slot, Source, View};
use crate::app::worker::{LangAnswer, LangAsk};
use crate::lesson::parse_lesson;
use crate::types::time;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use yew::prelude::*;

struct Core {
    state: Rc<AppState>,
    host: Option<EngineHost>,
    /// The language worker (live errors, completion, Format), started with the query worker.
    lang: Option<LangHost>,
    /// Actions sent while one is being applied (a worker that fails to start reports it at
    /// once), applied in order after it.
    queue: VecDeque<Action>,
    busy: bool,
    rerender: Option<Rc<dyn Fn()>>,
}

/// The page's state and a way to change it. Compared by the state's identity, so components
/// re-render when the state changed.
#[derive(Clone)]
pub struct AppHandle {
    pub state: Rc<AppState>,
    core: Rc<RefCell<Core>>,
}

impl PartialEq for AppHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

fn apply(core: &Rc<RefCell<Core>>, action: Action) {
    {
        let mut c = core.borrow_mut();
        c.queue.push_back(action);
        if c.busy {
            return;
        }
        c.busy = true;
    }
    loop {
        let Some(action) = core.borrow_mut().queue.pop_front() else { break };
        let (commands, host) = {
            let mut c = core.borrow_mut();
            let commands = Rc::make_mut(&mut c.state).reduce(action);
            (commands, c.host.clone())
        };
        for cmd in commands {
            let Some(h) = &host else { continue };
            match cmd {
                Command::Send(req) => h.send(&req),
                Command::Restart => h.restart(),
                // Restart outside the worker's event handler (the host is borrowed while it runs).
                Command::RestartLater => {
                    let h = h.clone();
                    gloo::timers::callback::Timeout::new(0, move || h.restart()).forget();
                }
            }
        }
    }
    let rerender = {
        let mut c = core.borrow_mut();
        c.busy = false;
        c.rerender.clone()
    };
    if let Some(r) = rerender {
        r();
    }
}

/// The session clock: now, rounded down to the hour (datasets are generated relative to it).
fn session_clock() -> i64 {
    let ms = js_sys::Date::now() as i64;
    let ticks = ms * time::TICKS_PER_MILLI;
    ticks.div_euclid(time::TICKS_PER_HOUR) * time::TICKS_PER_HOUR
}

/// The page's state, its worker, and the effects that keep them in step with the browser
/// (saving progress, other tabs, notices that go away, the lesson list).
#[hook]
pub fn use_app() -> AppHandle {
    let update = use_force_update();
    let core = use_mut_ref(|| {
        let (progress, notice) = storage::load();
        Core { state: Rc::new(AppState::new(session_clock(), progress, notice)), host: None, lang: None, queue: VecDeque::new(), busy: false, rerender: None }
    });
    core.borrow_mut().rerender = Some(Rc::new(move || update.force_update()));
    {
        // The query worker, started once; its events become actions.
        let core = core.clone();
        use_effect_with((), move |_| {
            let weak = Rc::downgrade(&core);
            let clock = core.borrow().state.clock;
            let host = EngineHost::new(clock, move |ev| {
                let Some(core) = weak.upgrade() else { return };
                let action = match ev {
                    WorkerEvent::Ready => Action::WorkerReady,
                    WorkerEvent::Reply(reply, table) => Action::WorkerReply { reply, table, now: dom::now_ms() },
                    WorkerEvent::Crashed(msg) => Action::WorkerCrashed(msg),
                };
                apply(&core, action);
            });
            // The language worker gets the same compiled engine module (no second download).
            let lang = LangHost::new(clock);
            let mut c = core.borrow_mut();
            c.host = Some(host);
            c.lang = Some(lang);
        });
    }
    let app = AppHandle { state: core.borrow().state.clone(), core: core.clone() };

    // Informational notices go away by themselves; problems stay until dismissed.
    {
        let app = app.clone();
        use_effect_with(app.state.notices.iter().filter(|n| !n.error).map(|n| n.id).collect::<Vec<_>>(), move |ids| {
            let timers: Vec<gloo::timers::callback::Timeout> = ids
                .iter()
                .map(|&id| {
                    let app = app.clone();
                    gloo::timers::callback::Timeout::new(8000, move || app.dispatch(Action::Dismiss(id)))
                })
                .collect();
            move || drop(timers)
        });
    }
    // Another tab's progress appears here without a reload (and is kept when this tab saves).
    {
        let app = app.clone();
        use_effect_with((), move |_| {
            let listener = storage::watch(move |change| match change {
                storage::Change::Saved(p) => app.dispatch(Action::MergeProgress(p)),
                storage::Change::Cleared => {
                    clear_tab_steps();
                    app.dispatch(Action::ProgressCleared);
                }
            });
            move || drop(listener)
        });
    }
    // Save progress whenever it changes.
    {
        let app = app.clone();
        use_effect_with(app.state.progress.clone(), move |p| {
            if let Some(msg) = storage::save(p) {
                app.notify(msg, true);
            }
        });
    }
    // Live errors wait until the learner pauses typing (as editors do): checking every
    // keystroke flags words still being typed (`summarize c` → "Unknown column 'c'").
    {
        let app = app.clone();
        let checked = app.state.checked.clone();
        use_effect_with(app.state.query.clone(), move |q| {
            let q = q.clone();
            let timer = (checked != q).then(|| gloo::timers::callback::Timeout::new(LIVE_CHECK_DELAY_MS, move || app.dispatch(Action::Checked(q))));
            move || drop(timer)
        });
    }
    // The text as it stands after a pause (or a run) goes to the language worker with the
    // schemas of the tables it runs against; its errors come back as an action, kept only if
    // that text is still the one checked (an answer for an older text is dropped).
    {
        let core = core.clone();
        let checked = app.state.checked.clone();
        let tables = app.state.active.as_ref().map(|a| a.tables.clone());
        let tables_key = tables.as_ref().map(|t| Rc::as_ptr(t) as usize);
        let lang_started = core.borrow().lang.is_some();
        use_effect_with((checked, tables_key, lang_started), move |(text, _, _)| {
            let lang = core.borrow().lang.clone();
            if let (Some(lang), Some(tables)) = (lang, tables) {
                lang.set_schema(tables);
                let weak = Rc::downgrade(&core);
                let text = text.clone();
                lang.ask(LangAsk::Check { text: text.clone() }, move |answer| {
                    let (Some(core), LangAnswer::Errors(errors)) = (weak.upgrade(), answer) else { return };
                    apply(&core, Action::LiveErrors { text, errors });
                });
            }
        });
    }
    // A share link in the address, read once the lessons are known.
    let pending_share = use_mut_ref(|| None::<ShareState>);
    // The lesson to return to, as saved when the page opened: taken once. Progress imported
    // or merged from another tab while the lessons load must not open a lesson by itself.
    let resume = use_mut_ref(|| app.state.progress.last_lesson.clone());
    // Load the lesson list (or the one lesson named by ?lesson=) and read a share link.
    {
        let app = app.clone();
        let pending_share = pending_share.clone();
        use_effect_with((), move |_| {
            let loc = dom::window().location();
            let hash = loc.hash().unwrap_or_default();
            if hash.len() > 1 {
                match ShareState::from_fragment(&hash) {
                    Ok(s) => *pending_share.borrow_mut() = Some(s),
                    Err(e) => app.notify(format!("This link could not be used: {e}."), true),
                }
                // Used once: a later reload starts from the saved progress, not the link.
                clear_fragment();
            }
            let search = loc.search().unwrap_or_default();
            let lesson_url = web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("lesson"));
            wasm_bindgen_futures::spawn_local(async move { load_lessons(app, lesson_url).await });
        });
    }
    // Once lessons are known, apply a share link or return to the last lesson.
    {
        let app = app.clone();
        let resume = resume.clone();
        use_effect_with(app.state.lessons.clone(), move |slots| {
            let all_known = !slots.is_empty() && slots.iter().all(|s| !matches!(s, Slot::Loading(_)));
            // Taken the first time every lesson is known, whatever the page shows then.
            let resume_to = if all_known { resume.borrow_mut().take() } else { None };
            if all_known && app.state.view == View::Home {
                let ready = |id: &str| slots.iter().position(|s| matches!(s, Slot::Ready(l, ..) if l.id == id));
                let share = pending_share.borrow_mut().take();
                if let Some(share) = share {
                    match &share.lesson {
                        Some(id) => match ready(id) {
                            Some(i) => {
                                let step = match (&share.step, &slots[i]) {
                                    (Some(sid), Slot::Ready(l, ..)) => l.steps.iter().position(|s| &s.id == sid),
                                    _ => None,
                                };
                                app.open_lesson(i, step, share.query.clone());
                            }
                            None => app.notify(format!("The link names a lesson '{id}' that this site does not have."), true),
                        },
                        None => app.open_playground(share.query.clone()),
                    }
                } else if current_route() == Route::Playground {
                    app.open_playground(None);
                } else if let Some(i) = resume_to.as_deref().and_then(ready) {
                    app.open_lesson(i, None, None);
                } else if slots.len() == 1 && matches!(slots[0], Slot::Ready(..)) {
                    app.open_lesson(0, None, None);
                }
            }
        });
    }
    app
}

/// How long typing must pause before the query is checked for errors as it stands.
const LIVE_CHECK_DELAY_MS: u32 = 700;

/// Fetches and parses the lesson list (each lesson once, here), or the one `?lesson=` file.
async fn load_lessons(app: AppHandle, lesson_url: Option<String>) {
    match lesson_url {
        Some(url) => {
            if let Err(e) = loader::allowed_lesson_url(&url) {
                app.notify(e, true);
                return;
            }
            app.dispatch(Action::SetLessons(vec![Slot::Loading(url.clone())]));
            let text = loader::fetch_text(&url).await;
            app.dispatch(Action::SetLessons(vec![Slot::from_text(url.clone(), &url, loader::base_of(&url), text)]));
        }
        None => {
            let index = match loader::fetch_text("lessons/index.toml").await {
                Ok(t) => t,
                Err(e) => {
                    app.notify(format!("The lesson list could not be loaded ({e}). The playground still works."), true);
                    return;
                }
            };
            let idx = match crate::lesson::parse_index(&index) {
                Ok(i) => i,
                Err(errs) => {
                    let errs = crate::app::state::lesson_errors("lessons/index.toml", &errs).join("; ");
                    app.notify(format!("lessons/index.toml has problems: {errs}"), true);
                    return;
                }
            };
            let mut list: Vec<Slot> = idx.lessons.iter().map(|e| Slot::Loading(e.file.clone())).collect();
            app.dispatch(Action::SetLessons(list.clone()));
            for (i, e) in idx.lessons.iter().enumerate() {
                let text = loader::fetch_text(&format!("lessons/{}", e.file)).await;
                list[i] = Slot::from_text(e.file.clone(), &e.file, "lessons/".into(), text);
                app.dispatch(Action::SetLessons(list.clone()));
            }
        }
    }
}

impl AppHandle {
    /// The language worker (live errors, completion, Format), once started.
    pub fn lang(&self) -> Option<LangHost> {
        self.core.borrow().lang.clone()
    }

    /// Applies an action (and runs the worker commands it returns), then re-renders.
    pub fn dispatch(&self, action: Action) {
        apply(&self.core, action);
    }

    /// The state as it is now (newer than `self.state` when actions were applied since this
    /// handle was rendered).
    pub fn now(&self) -> Rc<AppState> {
        self.core.borrow().state.clone()
    }

    pub fn notify(&self, text: impl Into<String>, error: bool) {
        self.dispatch(Action::Notify { text: text.into(), error });
    }

    /// A callback that sends the action `f` makes of its argument.
    pub fn callback<T: 'static>(&self, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
        let app = self.clone();
        Callback::from(move |x| app.dispatch(f(x)))
    }

    /// Opens step `step` of lesson slot `idx` (this tab's or the saved step when `None`).
    pub fn open_lesson(&self, idx: usize, step: Option<usize>, shared_query: Option<String>) {
        let Some(Slot::Ready(lesson, source)) = self.now().lessons.get(idx).cloned() else { return };
        if shared_query.is_none() {
            clear_fragment();
        }
        self.dispatch(Action::OpenLesson { idx, step, shared_query, tab_step: tab_step(&lesson.id) });
        if let Some((_, sid)) = self.now().step_ids() {
            set_tab_step(&lesson.id, &sid);
        }
        set_route(Route::Lesson);
        // The worker prepares the lesson's tables (its CSV files fetched here first).
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut csv = Vec::new();
            for file in lesson.dataset.files() {
                let t = match &source {
                    Source::Url(base) => loader::fetch_text(&format!("{base}{file}")).await,
                    Source::Local(map) => map.get(&file).cloned().ok_or_else(|| format!("open '{file}' together with the lesson file")),
                };
                match t {
                    Ok(t) => csv.push((file, t)),
                    Err(e) => app.notify(format!("{}: {e}", lesson.title), true),
                }
            }
            app.dispatch(Action::PrepareLesson { idx, csv });
        });
    }

    /// Moves to step `step` of the lesson shown.
    pub fn select_step(&self, step: usize) {
        if let View::Lesson(i, _) = self.now().view {
            self.open_lesson(i, Some(step), None);
        }
    }

    pub fn open_playground(&self, shared_query: Option<String>) {
        set_route(Route::Playground);
        // Files loaded before a reload are gone (they are never stored): say so.
        if self.now().csv_tables.is_empty() {
            let names = forgotten_files();
            if !names.is_empty() {
                self.notify(
                    format!(
                        "Files loaded into the playground are not kept when the page reloads: load {} again to query {}.",
                        names.join(", "),
                        if names.len() == 1 { "it" } else { "them" }
                    ),
                    true,
                );
            }
        }
        let (seed, rows) = playground_spec();
        self.dispatch(Action::OpenPlayground { shared_query, seed, rows });
    }

    pub fn go_home(&self) {
        clear_fragment();
        set_route(Route::Home);
        self.dispatch(Action::GoHome);
    }

    /// Asks first; forgets every passed step and saved query (in every tab).
    pub fn reset_progress(&self) {
        if gloo::dialogs::confirm("Reset all progress? Your passed steps and saved queries will be forgotten.") {
            storage::clear();
            clear_tab_steps();
            set_route(Route::Home);
            self.dispatch(Action::ResetProgress);
        }
    }

    /// Offers the progress as a file (kqlab-progress.json) to keep or to carry to another
    /// browser.
    pub fn export_progress(&self) {
        if let Err(e) = dom::download("kqlab-progress.json", "application/json", &self.state.progress.to_json()) {
            self.notify(format!("The progress could not be exported: {e}."), true);
        }
    }

    /// Reads a progress file the learner chose and merges it (see `Action::ImportProgress`).
    pub fn import_progress(&self, file: gloo::file::File) {
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if file.size() as usize > crate::app::progress::MAX_BYTES {
                app.notify(
                    format!(
                        "The progress file was not imported, and nothing was changed: {} is {} bytes, more than the {} allowed.",
                        file.name(),
                        file.size(),
                        crate::app::progress::MAX_BYTES
                    ),
                    true,
                );
                return;
            }
            match gloo::file::futures::read_as_text(&file).await {
                Ok(text) => app.dispatch(Action::ImportProgress(text)),
                Err(e) => app.notify(format!("The progress file was not imported: {} could not be read ({e}).", file.name()), true),
            }
        });
    }

    pub fn edit(&self, text: String) {
        self.dispatch(Action::Edit { text, now: js_sys::Date::now() });
    }

    pub fn run(&self) {
        self.dispatch(Action::Run { now: dom::now_ms(), epoch_ms: js_sys::Date::now() });
    }

    /// Runs the query block around the cursor (Shift+Enter).
    pub fn run_block(&self, cursor: usize) {
        self.dispatch(Action::RunBlock { now: dom::now_ms(), epoch_ms: js_sys::Date::now(), cursor });
    }

    pub fn stop(&self) {
        self.dispatch(Action::Stop { now: dom::now_ms() });
    }

    /// Instructor preview: lesson files (the .toml and any CSV files it names) opened or dropped.
    pub fn open_files(&self, files: Vec<gloo::file::File>) {
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut csv = HashMap::new();
            let mut lessons = Vec::new();
            for f in &files {
                if f.size() as usize > loader::MAX_FETCH {
                    app.notify(format!("{} is too large ({} bytes).", f.name(), f.size()), true);
                    continue;
                }
                match gloo::file::futures::read_as_text(f).await {
                    Ok(text) if f.name().ends_with(".toml") => lessons.push((f.name(), text)),
                    Ok(text) if [".csv", ".json", ".txt"].iter().any(|x| f.name().ends_with(x)) => {
                        csv.insert(f.name(), text);
                    }
                    Ok(_) => app.notify(format!("{}: only .toml lesson files and .csv, .json or .txt data files can be opened here.", f.name()), true),
                    Err(e) => app.notify(format!("{} could not be read: {e}", f.name()), true),
                }
            }
            let csv = Rc::new(csv);
            for (name, text) in lessons {
                let slot = match parse_lesson(&text) {
                    Err(errs) => Slot::Failed(name.clone(), crate::app::state::lesson_errors(&name, &errs)),
                    Ok(l) => Slot::Ready(Rc::new(l), Source::Local(csv.clone())),
                };
                let ready = matches!(slot, Slot::Ready(..));
                app.dispatch(Action::AddLesson(slot));
                if ready {
                    let idx = app.now().lessons.len() - 1;
                    let app = app.clone();
                    gloo::timers::callback::Timeout::new(0, move || app.open_lesson(idx, Some(0), None)).forget();
                }
            }
        });
    }

    /// Playground: CSV files loaded as tables (read here, parsed by the worker, never uploaded).
    pub fn load_csv(&self, files: Vec<gloo::file::File>) {
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut read = Vec::new();
            for f in files {
                let name = f.name();
                let table_name: String = name.trim_end_matches(".csv").chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
                let table_name = if table_name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) { table_name } else { format!("T_{table_name}") };
                if f.size() as usize > loader::MAX_FETCH {
                    app.notify(format!("{name} is too large ({} bytes; the limit is {}).", f.size(), loader::MAX_FETCH), true);
                    continue;
                }
                match gloo::file::futures::read_as_text(&f).await {
                    Ok(text) => read.push((table_name, name, text)),
                    Err(e) => app.notify(format!("{name} could not be read: {e}"), true),
                }
            }
            let (seed, rows) = playground_spec();
            app.dispatch(Action::CsvLoaded { files: read, seed, rows });
            remember_files(&app.now().csv_tables.iter().map(|(_, file, _)| file.clone()).collect::<Vec<_>>());
        });
    }

    /// Puts a link to this step with this query in the address and on the clipboard; `done`
    /// hears whether it was copied.
    pub fn copy_link(&self, done: Callback<bool>) {
        let st = self.now();
        let ids = st.step_ids();
        let s = ShareState { lesson: ids.as_ref().map(|x| x.0.clone()), step: ids.as_ref().map(|x| x.1.clone()), query: Some(st.query.clone()) };
        let frag = s.to_fragment();
        let _ = dom::window().history().map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{frag}"))));
        let url = dom::window().location().href().unwrap_or_default();
        let app = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match dom::copy_text(&url).await {
                Ok(()) => done.emit(true),
                Err(e) => {
                    done.emit(false);
                    app.notify(format!("The link could not be copied ({e}); it is in the address bar."), true);
                }
            }
        });
    }
}

/// The playground's generated data: `?seed=` and `?rows=` in the address, else the lessons'
/// defaults (seed 42, 5,000 click events).
fn playground_spec() -> (u64, usize) {
    let search = dom::window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |k: &str| params.as_ref().and_then(|p| p.get(k)).and_then(|v| v.replace('_', "").parse::<u64>().ok());
    // Above MAX_PLAYGROUND_ROWS the worker generates its largest size and says so.
    let rows = get("rows").map_or(5000, |r| usize::try_from(r).unwrap_or(usize::MAX).max(1));
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
