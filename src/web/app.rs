//! The page: the header, the notices, the lesson pane (with the schema) and the work pane
//! (editor and results), and dropping lesson files anywhere on it.
//!
//! The state and every change to it are in [`crate::app::state`] (tested natively); the
//! [`use_app`](super::hooks::use_app) hook owns that state and the query worker. What is
//! left here is the layout and the editor's insert route, which both panes use.

use super::dom;
use super::header::{files_of, Header};
use super::hooks::use_app;
use super::lesson_pane::LessonPane;
use super::work_pane::WorkPane;
use super::{HighlightFn, InsertRequest};
use crate::app::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let app = use_app();
    let insert = use_state(|| None::<InsertRequest>);
    let dragging = use_state(|| false);
    let highlight = use_memo((), |_| HighlightFn::new(crate::syntax::highlight));

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
    let on_replace = {
        let insert = insert.clone();
        let app = app.clone();
        Callback::from(move |text: String| {
            let editor = dom::document().get_element_by_id("query").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
            let Some(ta) = editor else {
                app.edit(text);
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
                app.notify("Your query was replaced. Press Ctrl+Z (Cmd+Z on a Mac) in the editor to bring it back.", false);
            }
        })
    };
    let on_drop = {
        let app = app.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            app.open_files(files_of(e.data_transfer().and_then(|d| d.files())));
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
    let dismiss = |id: u64| app.callback(move |_: MouseEvent| Action::Dismiss(id));

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <Header app={app.clone()} />
            <div class="notices" role="status" aria-live="polite">
                { for app.state.notices.iter().map(|n| html! {
                    <div class={classes!("notice", n.error.then_some("notice-error"))}>
                        <span>{ &n.text }</span>
                        <button type="button" class="notice-close" aria-label="Dismiss" onclick={dismiss(n.id)}>{ "×" }</button>
                    </div>
                }) }
            </div>
            <main class="app-main">
                <LessonPane app={app.clone()} highlight={(*highlight).clone()} on_insert={on_insert} on_replace={on_replace} />
                <WorkPane app={app.clone()} highlight={(*highlight).clone()} insert={(*insert).clone()} />
            </main>
        </div>
    }
}
