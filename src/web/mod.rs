//! The browser front end (compiled only for `wasm32`): Yew components around the pure logic
//! in [`crate::view`].
//!
//! - [`editor::Editor`]: the query editor (highlighting, completion, error underlines);
//! - [`grid::ResultGrid`]: the virtualised results grid with sorting and CSV/TSV export;
//! - [`chart::Chart`]: the SVG chart of a `render` result;
//! - [`markdown::Markdown`]: lesson text;
//! - [`theme`]: light/dark theme following the system, with a toggle;
//! - [`app::App`]: the page: [`header::Header`], [`lesson_pane::LessonPane`] and
//!   [`work_pane::WorkPane`] around one state, which [`hooks::use_app`] owns together with
//!   the query worker ([`worker::EngineHost`]); the state itself is [`crate::app::state`].
//!
//! Only escaped HTML produced by `view` reaches `Html::from_html_unchecked`.

pub mod app;
pub mod chart;
mod dom;
pub mod editor;
pub mod grid;
pub mod header;
pub mod hooks;
pub mod instructor;
pub mod lang;
pub mod lesson;
pub mod lesson_pane;
mod loader;
pub mod markdown;
pub mod schema;
mod storage;
pub mod theme;
pub mod work_pane;
pub mod worker;

use crate::table::Table;
use crate::view::editor::Completion;
use std::ops::Range;
use std::rc::Rc;

/// A result table shared between components. Props compare it by identity, so handing the
/// same `Rc` down again does not re-render anything.
#[derive(Clone, Debug)]
pub struct SharedTable(pub Rc<Table>);

impl PartialEq for SharedTable {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<Table> for SharedTable {
    fn from(t: Table) -> Self {
        SharedTable(Rc::new(t))
    }
}

/// Token ranges (UTF-8 byte offsets into the text) and their CSS classes (`tok-keyword`, ...).
pub type Highlights = Vec<(Range<usize>, &'static str)>;

/// A highlighter function: `text → token classes`.
pub type Highlighter = dyn Fn(&str) -> Highlights;
/// Receives an answer that came back from the language worker.
pub type Answer<T> = Box<dyn FnOnce(T)>;
/// A completion function: `(text, cursor byte offset, where the candidates go)`. The answer
/// comes later (from the language worker), or never (a newer question made it stale).
pub type Completer = dyn Fn(&str, usize, Answer<Vec<Completion>>);
/// A formatter: `(text, where the laid-out text or the reason it cannot be laid out goes)`.
pub type Formatter = dyn Fn(&str, Answer<Result<String, String>>);

/// The editor's highlighter. Compared by identity in props.
#[derive(Clone)]
pub struct HighlightFn(pub Rc<Highlighter>);

impl HighlightFn {
    pub fn new(f: impl Fn(&str) -> Highlights + 'static) -> Self {
        HighlightFn(Rc::new(f))
    }
}

impl PartialEq for HighlightFn {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The editor's completion source: `(text, cursor byte offset) → candidates`, best first.
#[derive(Clone)]
pub struct CompleteFn(pub Rc<Completer>);

impl CompleteFn {
    pub fn new(f: impl Fn(&str, usize, Answer<Vec<Completion>>) + 'static) -> Self {
        CompleteFn(Rc::new(f))
    }
}

/// The editor's formatter (Format and Shift+Alt+F). Compared by identity in props.
#[derive(Clone)]
pub struct FormatFn(pub Rc<Formatter>);

impl FormatFn {
    pub fn new(f: impl Fn(&str, Answer<Result<String, String>>) + 'static) -> Self {
        FormatFn(Rc::new(f))
    }
}

impl PartialEq for FormatFn {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for CompleteFn {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Asks the editor to insert text at its cursor (e.g. a column name clicked in the schema
/// pane). The editor acts once per new `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct InsertRequest {
    pub id: u64,
    pub text: String,
}

/// Panics on purpose with `message`. The end-to-end tests call it, in the page and in the
/// query worker, to check that a panic is reported and that nothing the learner did is lost.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = kqlabSelfTestPanic)]
pub fn self_test_panic(message: &str) {
    panic!("{message}");
}

/// Starts the app on `<body>`. The query worker has a module of its own
/// (`src/bin/engine.rs`, which runs [`worker::run_worker`]): nothing here reaches the worker's
/// loop, so the executor and the data generators are not linked into the page's module.
pub fn start() {
    dom::install_panic_hook();
    theme::apply(theme::load());
    if instructor::wanted() {
        yew::Renderer::<instructor::InstructorPage>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}
