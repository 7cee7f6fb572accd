//! The instructor's page (`?instructor`): drop or choose many learners' exported progress files
//! and read per-step figures (`app::instructor::report`). Files are read in the browser and
//! never leave it; the page starts no query worker.

use super::header::files_of;
use super::loader;
use crate::app::instructor::{self, Report, MAX_FILES};
use crate::app::progress::MAX_BYTES;
use crate::lesson::{parse_index, parse_lesson};
use yew::prelude::*;

/// A lesson of the course: id, title, and its steps (id, title).
type CourseLesson = (String, String, Vec<(String, String)>);

/// Is the page asked to show the instructor's view (`?instructor` in the address)?
pub fn wanted() -> bool {
    let search = super::dom::window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().is_some_and(|p| p.has("instructor"))
}

async fn load_course() -> Vec<CourseLesson> {
    let Ok(text) = loader::fetch_text("lessons/index.toml").await else { return Vec::new() };
    let Ok(index) = parse_index(&text) else { return Vec::new() };
    let mut out = Vec::new();
    for e in index.lessons {
        if let Ok(l) = loader::fetch_text(&format!("lessons/{}", e.file)).await.map_err(|_| ()).and_then(|t| parse_lesson(&t).map_err(|_| ())) {
            out.push((l.id.clone(), l.title.clone(), l.steps.iter().map(|s| (s.id.clone(), s.title.clone())).collect()));
        }
    }
    out
}

fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.digits$}"))
}

#[function_component]
pub fn InstructorPage() -> Html {
    let course = use_state(Vec::<CourseLesson>::new);
    let files = use_state(Vec::<(String, String)>::new);
    let notes = use_state(Vec::<String>::new);
    let dragging = use_state(|| false);
    {
        let course = course.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { course.set(load_course().await) });
        });
    }
    let add = {
        let files = files.clone();
        let notes = notes.clone();
        Callback::from(move |list: Vec<gloo::file::File>| {
            let files = files.clone();
            let notes = notes.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut got = (*files).clone();
                let mut said = Vec::new();
                for f in list {
                    if got.len() >= MAX_FILES {
                        said.push(format!("{}: not read, a report reads at most {MAX_FILES} files", f.name()));
                        continue;
                    }
                    if f.size() as usize > MAX_BYTES {
                        said.push(format!("{}: not read, {} bytes is more than the {MAX_BYTES} allowed", f.name(), f.size()));
                        continue;
                    }
                    match gloo::file::futures::read_as_text(&f).await {
                        Ok(text) => {
                            got.retain(|(n, _)| *n != f.name());
                            got.push((f.name(), text));
                        }
                        Err(e) => said.push(format!("{}: could not be read ({e})", f.name())),
                    }
                }
                files.set(got);
                notes.set(said);
            });
        })
    };
    let on_input = {
        let add = add.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            add.emit(files_of(input.files()));
            input.set_value("");
        })
    };
    let on_drop = {
        let add = add.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            add.emit(files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_clear = {
        let files = files.clone();
        let notes = notes.clone();
        Callback::from(move |_: MouseEvent| {
            files.set(Vec::new());
            notes.set(Vec::new());
        })
    };
    let order: Vec<(String, Vec<String>)> = course.iter().map(|(id, _, steps)| (id.clone(), steps.iter().map(|(s, _)| s.clone()).collect())).collect();
    let rep: Report = instructor::report(&files, &order);
    let title_of = |lesson: &str, step: &str| -> (String, String) {
        match course.iter().find(|(id, ..)| id == lesson) {
            Some((_, t, steps)) => (t.clone(), steps.iter().find(|(s, _)| s == step).map_or_else(|| step.to_string(), |(_, st)| st.clone())),
            None => (lesson.to_string(), step.to_string()),
        }
    };
    html! {
        <main class={classes!("instructor", dragging.then_some("dragging"))} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <h1>{ "kqlab · instructor view" }</h1>
            <p>{ "Drop your learners' progress files here (each learner saves one with \"Export progress\" on the home page), or choose them. The figures are computed in this browser; no file leaves it." }</p>
            <p class="instructor-tools">
                <label class="button secondary small file-button">
                    { "Choose progress files…" }
                    <input type="file" accept=".json,application/json" multiple=true class="visually-hidden" onchange={on_input} aria-label="Choose learners' progress files" />
                </label>
                if !files.is_empty() {
                    <button type="button" class="button secondary small" onclick={on_clear}>{ "Clear" }</button>
                }
                <a href="./">{ "Back to the lessons" }</a>
            </p>
            <p class="instructor-summary" role="status">{ format!("{} learner file{} read.", rep.learners, if rep.learners == 1 { "" } else { "s" }) }</p>
            if !(rep.problems.is_empty() && notes.is_empty()) {
                <ul class="instructor-problems">
                    { for notes.iter().chain(rep.problems.iter()).map(|p| html! { <li>{ p }</li> }) }
                </ul>
            }
            if !rep.steps.is_empty() {
                <table class="instructor-table">
                    <thead><tr>
                        <th scope="col">{ "Lesson" }</th><th scope="col">{ "Step" }</th><th scope="col">{ "Tried" }</th><th scope="col">{ "Passed" }</th>
                        <th scope="col">{ "Pass rate" }</th><th scope="col">{ "Runs to pass (median)" }</th><th scope="col">{ "Minutes to pass (median)" }</th>
                        <th scope="col">{ "Hints (mean)" }</th><th scope="col">{ "Solution shown" }</th><th scope="col">{ "Most common wrong answers" }</th>
                    </tr></thead>
                    <tbody>
                        { for rep.steps.iter().map(|s| {
                            let (lt, st) = title_of(&s.lesson, &s.step);
                            html! {
                                <tr data-step={s.step.clone()}>
                                    <td>{ lt }</td><td>{ st }</td>
                                    <td class="num">{ s.tried }</td><td class="num">{ s.passed }</td>
                                    <td class="num">{ format!("{}%", s.passed * 100 / s.tried.max(1)) }</td>
                                    <td class="num">{ fmt_opt(s.runs_to_pass, 1) }</td>
                                    <td class="num">{ fmt_opt(s.minutes_to_pass, 1) }</td>
                                    <td class="num">{ format!("{:.1}", s.hints) }</td>
                                    <td class="num">{ s.solutions }</td>
                                    <td>{ s.wrong.iter().take(3).map(|(k, n)| format!("{} ×{n}", k.replace('-', " "))).collect::<Vec<_>>().join(", ") }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </main>
    }
}
