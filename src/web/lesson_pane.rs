//! The side pane: the lesson (its step list and the step), the playground's examples and CSV
//! loading, or the home page's lesson cards; below them the schema of the tables in use.

use super::dom;
use super::header::files_of;
use super::hooks::AppHandle;
use super::lesson::{LessonChecks, StepList, StepView};
use super::schema::SchemaPane;
use super::HighlightFn;
use crate::app::state::{lesson_key, Action, Slot, View, EXAMPLES};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPaneProps {
    pub app: AppHandle,
    pub highlight: HighlightFn,
    /// Inserts text at the editor's cursor (a name clicked in the schema).
    pub on_insert: Callback<String>,
    /// Replaces the editor's text as one undoable edit (the solution, an example).
    pub on_replace: Callback<String>,
}

#[component]
pub fn LessonPane(p: &LessonPaneProps) -> Html {
    let app = &p.app;
    let st = &app.state;
    let side = match st.current() {
        Some((idx, step, lesson)) => {
            let lp = st.progress.lessons.get(&lesson.id).cloned().unwrap_or_default();
            let sid = lesson.steps[step].id.clone();
            let sp = lp.steps.get(&sid).cloned().unwrap_or_default();
            let select_step = {
                let app = app.clone();
                Callback::from(move |s: usize| app.select_step(s))
            };
            let on_next = {
                let app = app.clone();
                Callback::from(move |_| app.select_step(step + 1))
            };
            let verdict = if lesson.steps[step].question.is_some() { st.answer_verdict.clone() } else { None };
            let key = lesson_key(&lesson.id, idx);
            html! {
                <>
                    <div class="lesson-head">
                        <p class="lesson-title">{ &lesson.title }</p>
                        <p class="lesson-progress">{ format!("{} of {} steps passed", st.progress.passed_count(&lesson.id).min(lesson.steps.len()), lesson.steps.len()) }</p>
                    </div>
                    if let Some((_, checks)) = st.reviews.as_ref().filter(|(k, _)| *k == key) {
                        <LessonChecks checks={checks.clone()} on_select={select_step.clone()} />
                    }
                    <StepList lesson={lesson.clone()} current={step} progress={lp.clone()} on_select={select_step.clone()} />
                    <StepView lesson={lesson.clone()} index={step} passed={sp.passed} hints_shown={sp.hints_shown} solution_shown={sp.solution_shown}
                        verdict={verdict} answer={AttrValue::from(st.answer.clone())} highlight={p.highlight.clone()}
                        on_hint={app.callback(|_| Action::ShowHint)} on_solution={app.callback(|_| Action::ShowSolution)}
                        on_use_solution={p.on_replace.clone()} on_next={on_next}
                        on_answer_change={app.callback(Action::AnswerTyped)} on_answer={app.callback(|_| Action::SubmitAnswer)} />
                </>
            }
        }
        None if st.view == View::Playground => {
            let pick = |q: &'static str| {
                let replace = p.on_replace.clone();
                Callback::from(move |_: MouseEvent| replace.emit(q.to_string()))
            };
            let on_csv = {
                let app = app.clone();
                Callback::from(move |e: Event| {
                    let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
                    let files = files_of(input.files());
                    input.set_value("");
                    app.load_csv(files);
                })
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
        None => {
            let open_playground = {
                let app = app.clone();
                Callback::from(move |_: MouseEvent| app.open_playground(None))
            };
            html! {
                <section class="home-pane" aria-labelledby="home-title">
                    <h2 id="home-title">{ "Learn KQL by following an investigation" }</h2>
                    <p>{ "kqlab runs a KQL engine and realistic Microsoft Defender XDR data right in your browser. Pick a lesson, write queries, and get told what is right and what is not." }</p>
                    <p class="phone-note">{ "On a phone, the lesson comes first and the query editor and results below it; wide results scroll sideways. Everything works, but a screen at least 900 pixels wide shows the lesson and the editor side by side, which is much easier to work with." }</p>
                    <p class="course-path">{ "The course runs from your first query to a hunt across mail, endpoint and identity data. Take the lessons in order, or start where you like: each one says which lessons it builds on." }</p>
                    <ol class="lesson-cards">
                        { for st.lessons.iter().enumerate().map(|(i, s)| match s {
                            Slot::Loading(f) => html! { <li class="lesson-card muted">{ format!("Loading {f}…") }</li> },
                            Slot::Failed(f, errs) => html! {
                                <li class="lesson-card failed">
                                    <p><strong>{ format!("{f} could not be loaded") }</strong></p>
                                    <ul class="lesson-errors">{ for errs.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                                </li>
                            },
                            Slot::Ready(l, ..) => {
                                let app = app.clone();
                                let done = st.progress.passed_count(&l.id).min(l.steps.len());
                                let total = l.steps.len().max(1);
                                // The lessons to take first, by title, and whether they are done.
                                let before: Vec<(String, bool)> = l
                                    .prerequisites
                                    .iter()
                                    .map(|id| {
                                        let found = st.lessons.iter().find_map(|s| match s {
                                            Slot::Ready(p, ..) if &p.id == id => Some((p.title.clone(), st.progress.passed_count(&p.id) >= p.steps.len())),
                                            _ => None,
                                        });
                                        found.unwrap_or_else(|| (id.clone(), false))
                                    })
                                    .collect();
                                let ready = before.iter().all(|(_, d)| *d);
                                let level = format!("{:?}", l.level);
                                html! {
                                    <li class={classes!("lesson-card", (done == l.steps.len()).then_some("complete"))}>
                                        <button type="button" class="lesson-open" onclick={Callback::from(move |_| app.open_lesson(i, None, None))}>
                                            <span class="lesson-card-head">
                                                <span class="lesson-card-number" aria-hidden="true">{ i + 1 }</span>
                                                <span class="lesson-card-title">{ &l.title }</span>
                                                <span class={classes!("level-badge", format!("level-{}", level.to_lowercase()))}>{ &level }</span>
                                            </span>
                                            <span class="lesson-card-meta">{ format!("{level} · {} steps{} · {done} passed", l.steps.len(), l.minutes.map(|m| format!(" · ~{m} min")).unwrap_or_default()) }</span>
                                            <span class="lesson-card-bar" role="progressbar" aria-label={format!("{} progress", l.title)}
                                                aria-valuemin="0" aria-valuemax={l.steps.len().to_string()} aria-valuenow={done.to_string()}>
                                                <span class="lesson-card-bar-fill" style={format!("width: {}%", done * 100 / total)}></span>
                                            </span>
                                            <span class="lesson-card-summary">{ &l.summary }</span>
                                            if !before.is_empty() {
                                                <span class={classes!("lesson-card-before", (!ready).then_some("pending"))}>
                                                    { format!("{}: {}", if ready { "Builds on" } else { "Take first" }, before.iter().map(|(t, d)| format!("{t}{}", if *d { " ✓" } else { "" })).collect::<Vec<_>>().join(", ")) }
                                                </span>
                                            }
                                        </button>
                                    </li>
                                }
                            }
                        }) }
                    </ol>
                    <p><button type="button" class="link-button" onclick={open_playground}>{ "Open the playground" }</button>{ " to query freely." }</p>
                    <div class="progress-tools" role="group" aria-label="Your progress">
                        <span class="muted">{ "Your progress is kept in this browser. " }</span>
                        <button type="button" class="button secondary small" onclick={{ let app = app.clone(); Callback::from(move |_: MouseEvent| app.export_progress()) }}
                            title="Save your progress as a file, to keep it or to continue in another browser">{ "Export progress" }</button>
                        <label class="button secondary small file-button" title="Add the progress saved in a file to this browser's (nothing is replaced)">
                            { "Import progress…" }
                            <input type="file" accept=".json,application/json" class="visually-hidden" aria-label="Import a progress file"
                                onchange={{ let app = app.clone(); Callback::from(move |e: Event| {
                                    let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
                                    if let Some(f) = super::header::files_of(input.files()).into_iter().next() {
                                        app.import_progress(f);
                                    }
                                    input.set_value("");
                                }) }} />
                        </label>
                    </div>
                </section>
            }
        }
    };
    html! {
        <aside class="side-pane" aria-label="Lesson and schema">
            if st.active.is_some() && st.view != View::Home {
                // Phones stack the lesson above the editor: a way down to it.
                <button type="button" class="link-button jump-editor" onclick={Callback::from(|_: MouseEvent| {
                    if let Some(e) = dom::document().get_element_by_id("query").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                        e.scroll_into_view();
                        let _ = e.focus();
                    }
                })}>{ "Go to the query editor ↓" }</button>
            }
            { side }
            if let Some(msg) = &st.loading { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ msg }</p> }
            if let Some(a) = &st.active {
                <SchemaPane tables={a.tables.clone()} on_insert={p.on_insert.clone()}
                    focus={a.tables.iter().find(|t| st.query.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == t.name)).map(|t| t.name.clone()).or_else(|| Some("UrlClickEvents".into()))} />
            }
        </aside>
    }
}
