//! The lesson pane: step list with progress marks, the step's story and task, hints one at a
//! time, the solution on request, typed-answer questions, the verdict, and after a pass the
//! explanation and "Next step".

use super::markdown::Markdown;
use super::HighlightFn;
use crate::app::progress::LessonProgress;
use crate::app::worker::StepCheck;
use crate::lesson::check::{Status, Verdict};
use crate::lesson::Lesson;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StepListProps {
    pub lesson: Rc<Lesson>,
    pub current: usize,
    pub progress: LessonProgress,
    pub on_select: Callback<usize>,
}

/// Width of a step pill plus the gap after it, in CSS pixels (see `.step-item` in the CSS).
const PILL_PX: i32 = 40;

#[component]
pub fn StepList(p: &StepListProps) -> Html {
    // Pills that do not fit on one line are spread over rows of equal length (never a lone
    // "12" on the last row): the list is measured, and on resizes measured again.
    let list = use_node_ref();
    let width = use_state(|| 0i32);
    {
        let list = list.clone();
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = list.cast::<web_sys::Element>() {
                    width.set(el.client_width());
                }
            };
            measure();
            let listener = gloo::events::EventListener::new(&super::dom::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }
    let n = p.lesson.steps.len().max(1) as i32;
    let per_line = if *width > 0 { (*width + 4) / PILL_PX } else { n }.max(1);
    let rows = (n + per_line - 1) / per_line;
    let per_row = (n + rows - 1) / rows;
    html! {
        <nav class="step-list" aria-label="Steps">
            <ol ref={list} style={format!("--per-row:{per_row}")}>
                { for p.lesson.steps.iter().enumerate().map(|(i, s)| {
                    let passed = p.progress.steps.get(&s.id).is_some_and(|x| x.passed);
                    let on_select = p.on_select.clone();
                    let current = i == p.current;
                    html! {
                        <li class={classes!("step-item", current.then_some("current"), passed.then_some("passed"))}>
                            <button type="button" onclick={Callback::from(move |_| on_select.emit(i))}
                                aria-current={current.then_some("step")}
                                title={format!("Step {}: {}{}", i + 1, s.title, if passed { " (passed)" } else { "" })}>
                                <span class="step-mark" aria-hidden="true">{ if passed { "✓" } else { "" } }</span>
                                <span class="step-number">{ i + 1 }</span>
                                <span class="step-title">{ &s.title }</span>
                                <span class="visually-hidden">{ if passed { " (passed)" } else { "" } }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct StepViewProps {
    pub lesson: Rc<Lesson>,
    pub index: usize,
    pub passed: bool,
    pub hints_shown: u32,
    pub solution_shown: bool,
    pub verdict: Option<Verdict>,
    pub answer: AttrValue,
    pub highlight: HighlightFn,
    pub on_hint: Callback<()>,
    pub on_solution: Callback<()>,
    pub on_use_solution: Callback<String>,
    pub on_next: Callback<()>,
    pub on_answer_change: Callback<String>,
    pub on_answer: Callback<()>,
}

#[component]
pub fn StepView(p: &StepViewProps) -> Html {
    let step = &p.lesson.steps[p.index];
    let total = p.lesson.steps.len();
    let hints: Vec<&String> = step.hints.iter().take(p.hints_shown as usize).collect();
    let more_hints = (p.hints_shown as usize) < step.hints.len();
    let on_hint = p.on_hint.reform(|_: MouseEvent| ());
    let on_solution = {
        let cb = p.on_solution.clone();
        Callback::from(move |_: MouseEvent| {
            if gloo::dialogs::confirm("Show the solution? Try the hints first: you learn more by finding it yourself.") {
                cb.emit(());
            }
        })
    };
    let use_solution = {
        let cb = p.on_use_solution.clone();
        let s = step.solution.clone();
        Callback::from(move |_: MouseEvent| cb.emit(s.clone()))
    };
    let on_next = p.on_next.reform(|_: MouseEvent| ());
    let on_answer_input = p.on_answer_change.reform(|e: InputEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
    let on_answer_submit = {
        let cb = p.on_answer.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(());
        })
    };
    let solution_md = format!("```kql\n{}\n```", step.solution.trim_end());
    html! {
        <article class="step-view" aria-labelledby="step-title">
            <p class="step-counter">{ format!("Step {} of {}", p.index + 1, total) }
                if p.passed { <span class="badge badge-ok">{ "✓ Passed" }</span> }
            </p>
            <h2 id="step-title" class="step-heading">{ &step.title }</h2>
            <Markdown source={AttrValue::from(step.narrative.clone())} highlight={p.highlight.clone()} heading_offset={2} class={classes!("narrative")} />
            <section class="task" aria-label="Your task">
                <h3>{ "Your task" }</h3>
                <Markdown source={AttrValue::from(step.task.clone())} highlight={p.highlight.clone()} heading_offset={3} />
            </section>
            if let Some(q) = &step.question {
                <form class="question" onsubmit={on_answer_submit}>
                    <label for="answer">{ &q.prompt }</label>
                    <div class="question-row">
                        <input id="answer" type="text" autocomplete="off" spellcheck="false" value={p.answer.clone()} oninput={on_answer_input} />
                        <button type="submit" class="button">{ "Check answer" }</button>
                    </div>
                </form>
            }
            if let Some(v) = &p.verdict {
                <VerdictPanel verdict={v.clone()} />
            }
            if p.passed && !step.explanation.trim().is_empty() {
                <section class="explanation" aria-label="Why it works">
                    <h3>{ "Why it works" }</h3>
                    <Markdown source={AttrValue::from(step.explanation.clone())} highlight={p.highlight.clone()} heading_offset={3} />
                </section>
            }
            <div class="step-actions">
                if !hints.is_empty() {
                    <ol class="hints" aria-label="Hints">
                        { for hints.iter().enumerate().map(|(i, h)| html! {
                            <li class="hint"><strong>{ format!("Hint {}: ", i + 1) }</strong>
                                <Markdown source={AttrValue::from((*h).clone())} highlight={p.highlight.clone()} class={classes!("hint-text")} />
                            </li>
                        }) }
                    </ol>
                }
                <div class="button-row">
                    if more_hints {
                        <button type="button" class="button secondary" onclick={on_hint}>
                            { format!("Show a hint ({} of {})", p.hints_shown + 1, step.hints.len()) }
                        </button>
                    }
                    if !p.solution_shown {
                        <button type="button" class="button secondary" onclick={on_solution}>{ "Show solution" }</button>
                    }
                    if p.passed && p.index + 1 < total {
                        <button type="button" class="button" onclick={on_next}>{ "Next step →" }</button>
                    }
                </div>
                if p.solution_shown {
                    <section class="solution" aria-label="Solution">
                        <h3>{ "Solution" }</h3>
                        <Markdown source={AttrValue::from(solution_md)} highlight={p.highlight.clone()} />
                        <button type="button" class="button secondary" onclick={use_solution}>{ "Put it in the editor" }</button>
                    </section>
                }
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct VerdictProps {
    pub verdict: Verdict,
    /// Shown as a "Next step" button on a pass.
    #[prop_or_default]
    pub on_next: Option<Callback<()>>,
    /// The error is the lesson's (its reference solution does not run), not the query's.
    #[prop_or_default]
    pub lesson_fault: bool,
}

/// The checker's verdict, with the expected-vs-yours preview when there is one.
#[component]
pub fn VerdictPanel(p: &VerdictProps) -> Html {
    let v = &p.verdict;
    let (class, title) = match v.status {
        Status::Pass => ("verdict pass", "Correct"),
        Status::Fail => ("verdict fail", "Not yet"),
        Status::Error if p.lesson_fault => ("verdict error lesson-fault", "This step cannot be checked"),
        Status::Error => ("verdict error", "The query has an error"),
    };
    // Which columns of the preview differ, so the table can show them even when it is wide.
    let differs: Vec<bool> = v.preview.as_ref().map_or_else(Vec::new, |pv| {
        (0..pv.columns.len())
            .map(|c| {
                let cell = |rows: &Vec<Vec<String>>, r: usize| rows.get(r).and_then(|row| row.get(c)).cloned();
                (0..pv.expected.len().max(pv.yours.len())).any(|r| cell(&pv.expected, r) != cell(&pv.yours, r))
            })
            .collect()
    });
    html! {
        <section class={class} role="status" aria-live="polite" aria-label="Result of the check">
            <p class="verdict-title">{ title }</p>
            <p class="verdict-message">{ code_spans(&v.message) }</p>
            if let Some(help) = v.diagnostics.first().and_then(|d| d.help.clone()) {
                <p class="verdict-help">{ help }</p>
            }
            if let (Status::Pass, Some(next)) = (v.status, &p.on_next) {
                <p><button type="button" class="button" onclick={next.reform(|_: MouseEvent| ())}>{ "Next step →" }</button>
                    <span class="muted">{ " The explanation is next to the task." }</span></p>
            }
            if let Some(pv) = &v.preview {
                <div class="preview">
                    <PreviewTable title="Expected" columns={pv.columns.clone()} rows={pv.expected.clone()} first={pv.first_row} differs={differs.clone()} />
                    <PreviewTable title="Yours" columns={pv.columns.clone()} rows={pv.yours.clone()} first={pv.first_row} differs={differs.clone()} />
                </div>
            }
        </section>
    }
}

/// Text with backquoted parts shown as code.
pub(super) fn code_spans(text: &str) -> Html {
    html! { { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }) } }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    title: AttrValue,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    first: usize,
    /// Per column: do the expected and the learner's values differ?
    differs: Vec<bool>,
}

/// One side of the expected-vs-yours preview. Columns that differ are marked, and the table
/// scrolls sideways to the first of them: a wide result would otherwise hide the difference
/// past the right edge.
#[component]
fn PreviewTable(p: &PreviewProps) -> Html {
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        use_effect_with((p.differs.clone(), p.rows.clone()), move |_| {
            let Some(box_) = scroller.cast::<web_sys::HtmlElement>() else { return };
            let Some(cell) = box_.query_selector("th.differs").ok().flatten().and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
            // The row-number column stays in view on the left.
            let sticky = box_.query_selector("th").ok().flatten().and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()).map_or(0, |c| c.offset_width());
            let (left, right) = (cell.offset_left(), cell.offset_left() + cell.offset_width());
            let (view_left, view_right) = (box_.scroll_left() + sticky, box_.scroll_left() + box_.client_width());
            if left < view_left || right > view_right {
                box_.set_scroll_left((left - sticky).max(0));
            }
        });
    }
    let mark = |c: usize| p.differs.get(c).copied().unwrap_or(false).then_some("differs");
    html! {
        <div class="preview-table" ref={scroller}>
            <p class="preview-title">{ &p.title }</p>
            if p.rows.is_empty() {
                <p class="muted">{ "(no rows)" }</p>
            } else {
                <table>
                    <thead><tr><th scope="col">{ "#" }</th>{ for p.columns.iter().enumerate().map(|(i, c)| html! {
                        <th scope="col" class={classes!(mark(i))} title={mark(i).map(|_| "The values in this column differ")}>{ c }</th>
                    }) }</tr></thead>
                    <tbody>
                        { for p.rows.iter().enumerate().map(|(i, r)| html! {
                            <tr><th scope="row">{ p.first + i }</th>{ for r.iter().enumerate().map(|(c, v)| html! { <td class={classes!(mark(c))}>{ v }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonChecksProps {
    pub checks: Rc<Vec<StepCheck>>,
    /// Opens a step (0-based).
    pub on_select: Callback<usize>,
}

/// The validator's findings for a lesson file an author opened to preview (what `kqlab
/// lessons check` reports): problems that would make the lesson fail for learners, then
/// warnings, each linked to its step.
#[component]
pub fn LessonChecks(p: &LessonChecksProps) -> Html {
    let errors: usize = p.checks.iter().map(|c| c.errors.len()).sum();
    let warnings: usize = p.checks.iter().map(|c| c.warnings.len()).sum();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = match (errors, warnings) {
        (0, 0) => format!("All {} pass the lesson checks.", plural(p.checks.len(), "step")),
        (0, w) => format!("No problems; {} worth a look.", plural(w, "warning")),
        (e, 0) => format!("{} to fix before learners use this lesson.", plural(e, "problem")),
        (e, w) => format!("{} to fix before learners use this lesson, and {}.", plural(e, "problem"), plural(w, "warning")),
    };
    html! {
        <section class={classes!("lesson-checks", (errors > 0).then_some("has-problems"))} aria-label="Lesson checks">
            <h3>{ "Lesson checks (preview)" }</h3>
            <p class="lesson-checks-summary">{ summary }</p>
            if errors + warnings > 0 {
                <ul>
                    { for p.checks.iter().flat_map(|c| {
                        let open = p.on_select.clone();
                        let step = c.step;
                        let label = format!("Step {} ({})", c.step + 1, c.title);
                        c.errors.iter().map(|e| (true, e)).chain(c.warnings.iter().map(|w| (false, w))).map(move |(is_error, text)| {
                            let open = open.clone();
                            html! {
                                <li class={if is_error { "check-error" } else { "check-warning" }}>
                                    <span class="check-kind">{ if is_error { "Problem: " } else { "Warning: " } }</span>
                                    <button type="button" class="link-button" onclick={Callback::from(move |_: MouseEvent| open.emit(step))}>{ label.clone() }</button>
                                    <pre class="check-text">{ text }</pre>
                                </li>
                            }
                        }).collect::<Vec<_>>()
                    }) }
                </ul>
            }
        </section>
    }
}
