//! The work pane: the editor with its toolbar (Copy link, Run), a lesson step's verdict, and
//! the results (running and Stop, errors, the grid, the chart on a tab).

use super::chart::Chart;
use super::dom;
use super::editor::Editor;
use super::grid::ResultGrid;
use super::hooks::AppHandle;
use super::lesson::VerdictPanel;
use super::markdown::Markdown;
use super::{CompleteFn, FormatFn, HighlightFn, InsertRequest, SharedTable};
use crate::app::state::{Action, AppState, Tab, View};
use crate::app::worker::{LangAnswer, LangAsk};
use std::ops::Range;

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkPaneProps {
    pub app: AppHandle,
    pub highlight: HighlightFn,
    /// Text for the editor to insert at its cursor (once per new id).
    pub insert: Option<InsertRequest>,
    /// Replaces the whole query as one undoable edit (a query from the history).
    pub on_replace: Callback<String>,
}

#[component]
pub fn WorkPane(p: &WorkPaneProps) -> Html {
    let app = &p.app;
    let st = &app.state;
    let copied = use_state(|| false);
    // Completion and Format are answered by the language worker (`web::lang`), which has the
    // schemas of the tables queries run against; before they are known there is no completion.
    let lang = app.lang();
    let has_tables = st.active.is_some();
    let complete_fn = {
        let lang = lang.clone();
        use_memo((lang.clone(), has_tables), move |_| {
            CompleteFn::new(move |text, cursor, done| {
                let (Some(lang), true) = (&lang, has_tables) else { return };
                lang.ask(LangAsk::Complete { text: text.to_string(), cursor }, move |answer| {
                    if let LangAnswer::Completions(items) = answer {
                        done(items);
                    }
                });
            })
        })
    };
    let format_fn = use_memo(lang.clone(), move |lang| {
        let lang = lang.clone();
        FormatFn::new(move |text, done| {
            let Some(lang) = &lang else { return };
            lang.ask(LangAsk::Format { text: text.to_string() }, move |answer| {
                if let LangAnswer::Formatted(result) = answer {
                    done(result);
                }
            });
        })
    });
    // The language worker's errors, while the text they are for is the editor's (spans of an
    // older text would point at the wrong places).
    let errors: Vec<(Range<usize>, String)> = match &st.live {
        Some((text, errors)) if *text == st.query && st.checked == st.query => errors.clone(),
        _ => Vec::new(),
    };
    // Tick while a query runs, to show the elapsed time.
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with(st.running.is_some(), move |is_running| {
            let interval = is_running.then(|| gloo::timers::callback::Interval::new(250, move || tick.set(js_sys::Date::now() as u32)));
            move || drop(interval)
        });
    }
    let on_copy_link = {
        let app = app.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            app.copy_link(Callback::from(move |ok: bool| {
                if ok {
                    copied.set(true);
                    let copied = copied.clone();
                    gloo::timers::callback::Timeout::new(2500, move || copied.set(false)).forget();
                }
            }));
        })
    };
    let on_run = {
        let app = app.clone();
        Callback::from(move |_: ()| app.run())
    };
    let on_change = {
        let app = app.clone();
        Callback::from(move |text: String| app.edit(text))
    };
    let on_run_block = {
        let app = app.clone();
        Callback::from(move |cursor: usize| app.run_block(cursor))
    };
    let on_message = {
        let app = app.clone();
        Callback::from(move |text: String| app.notify(text, true))
    };
    // The step's query history (the last runs with their verdicts), shown on request.
    let show_history = use_state(|| false);
    let history: Vec<crate::app::progress::HistoryEntry> =
        st.step_ids().and_then(|(l, s)| st.progress.step(&l, &s).map(|p| p.history.clone())).unwrap_or_default();
    let on_toggle_history = {
        let show_history = show_history.clone();
        Callback::from(move |_: MouseEvent| show_history.set(!*show_history))
    };
    // The Format button asks the editor to format (a new id each click).
    let format = use_state(|| None::<u64>);
    let on_format = {
        let format = format.clone();
        Callback::from(move |_: MouseEvent| format.set(Some(format.map_or(1, |n| n + 1))))
    };

    // A run's errors are shown once: where the run reports them, the editor's list (the same
    // errors, found while typing) is hidden; the underlines stay.
    let errors_repeated = st.run_covers_live_errors(&errors);
    let current = st.current();
    html! {
        <section class={classes!("work-pane", errors_repeated.then_some("run-errors-shown"))} aria-label="Query and results">
            // The editor is there as soon as a lesson or the playground is shown: the learner
            // can write (and Run) while the engine loads; completion and live errors come with
            // the tables' schemas.
            if st.active.is_some() || current.is_some() || st.view == View::Playground {
                <div class="editor-bar">
                    <h2 class="editor-title"><label for="query">{ "Query" }</label></h2>
                    <span class="toolbar-spacer"></span>
                    if !history.is_empty() {
                        <button type="button" class="button secondary small history-toggle" onclick={on_toggle_history}
                            aria-expanded={if *show_history { "true" } else { "false" }} aria-controls="query-history"
                            title="The queries you ran in this step, with their verdicts">
                            { format!("History ({})", history.len()) }
                        </button>
                    }
                    <button type="button" class="button secondary small" onclick={on_format} title="Lay the query out with one pipe stage per line (Shift+Alt+F)" aria-keyshortcuts="Shift+Alt+F">
                        { "Format" }
                    </button>
                    <button type="button" class="button secondary small" onclick={on_copy_link} title="Copy a link that opens this lesson step with this query">
                        { if *copied { "Link copied ✓" } else { "Copy link" } }
                    </button>
                    <button type="button" class="run-button" onclick={on_run.reform(|_: MouseEvent| ())} disabled={st.running.is_some()} aria-keyshortcuts="Control+Enter Meta+Enter">
                        <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M7 4.5v15l13-7.5z"/></svg>
                        { "Run" }
                        <kbd>{ "Ctrl+Enter" }</kbd>
                    </button>
                </div>
                if *show_history && !history.is_empty() {
                    <QueryHistory entries={history.clone()} on_pick={{
                        let on_replace = p.on_replace.clone();
                        let show_history = show_history.clone();
                        Callback::from(move |q: String| { show_history.set(false); on_replace.emit(q); })
                    }} />
                }
                <Editor value={AttrValue::from(st.query.clone())} on_change={on_change} on_run={on_run}
                    on_run_block={Some(on_run_block)} format={*format} on_message={Some(on_message)}
                    highlight={p.highlight.clone()} complete={(*complete_fn).clone()} formatter={(*format_fn).clone()}
                    errors={errors} insert={p.insert.clone()} />
                if let (Some((_, step, lesson)), Some((v, lesson_fault)), None) = (&current, &st.verdict, &st.running) {
                    if lesson.steps[*step].question.is_none() {
                        <VerdictPanel verdict={v.clone()} lesson_fault={*lesson_fault}
                            on_next={(*step + 1 < lesson.steps.len()).then(|| { let app = app.clone(); let n = *step + 1; Callback::from(move |_| app.select_step(n)) })} />
                        if !st.tips.is_empty() {
                            <CoachTips tips={st.tips.clone()} />
                        }
                        if let Some(note) = st.last.as_ref().and_then(|r| r.parting.clone()) {
                            <p class="verdict-parting" role="note">{ super::lesson::code_spans(&note) }</p>
                        }
                    }
                }
                if let Some(r) = st.last.as_ref().filter(|r| st.running.is_none() && r.stages.len() > 1) {
                    <Stepper stages={r.stages.clone()} query={r.query.clone()} selected={st.stage.as_ref().map(|s| s.stage)}
                        on_pick={app.callback(Action::ShowStage)} />
                }
                <div class="results">{ results(app, st, *tick) }</div>
            } else {
                <div class="welcome">
                    <Markdown source={AttrValue::Static(WELCOME)} highlight={p.highlight.clone()} heading_offset={1} />
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StepperProps {
    stages: Vec<crate::engine::Stage>,
    /// The text that ran (same byte positions as the editor's).
    query: String,
    /// The stage whose table the grid shows (`None`: the result).
    selected: Option<usize>,
    /// Show a stage's table (`None`: the result again).
    on_pick: Callback<Option<usize>>,
}

/// The row funnel of the last run: one chip per pipeline stage with the rows it produced; a
/// join's right side and a union's inputs follow their stage as smaller funnels of their own.
/// A click (or Enter) selects the stage's text in the editor and shows the rows after that
/// stage in the grid; clicking the chosen chip again, or the main pipeline's last one, shows
/// the result. The arrow keys, Home and End move between chips.
#[function_component]
fn Stepper(p: &StepperProps) -> Html {
    let total = crate::engine::Stage::flatten(&p.stages).len();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let Some(chip) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        let Some(i) = chip.get_attribute("data-stage").and_then(|v| v.parse::<usize>().ok()) else { return };
        let to = match e.key().as_str() {
            "ArrowRight" | "ArrowDown" => (i + 1).min(total - 1),
            "ArrowLeft" | "ArrowUp" => i.saturating_sub(1),
            "Home" => 0,
            "End" => total - 1,
            _ => return,
        };
        e.prevent_default();
        let sel = format!(".stepper-chip[data-stage=\"{to}\"]");
        if let Some(b) = dom::document().query_selector(&sel).ok().flatten().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = b.focus();
        }
    });
    let mut next = 0;
    html! {
        <ol class="stepper" aria-label="Rows after each stage of the query: choose one to see its rows" {onkeydown}>
            { chips(p, &p.stages, None, &mut next) }
        </ol>
    }
}

/// The chips of one pipeline (`within`: the inner pipeline's label, `None` for the main one),
/// numbered in [`crate::engine::Stage::flatten`]'s order from `*next`.
fn chips(p: &StepperProps, stages: &[crate::engine::Stage], within: Option<&str>, next: &mut usize) -> Html {
    let n = stages.len();
    let mut items = Vec::new();
    for (k, st) in stages.iter().enumerate() {
        let i = *next;
        *next += 1;
        let is_result = within.is_none() && k + 1 == n;
        let (start, end) = (st.start as usize, st.end as usize);
        let query = p.query.clone();
        let on_pick = p.on_pick.clone();
        let pick = if p.selected == Some(i) || is_result { None } else { Some(i) };
        let onclick = Callback::from(move |e: MouseEvent| {
            on_pick.emit(pick);
            let Some(ta) = dom::document().get_element_by_id("query").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
            // The editor still holds the text that ran: select the stage in it. A mouse
            // click also moves the focus there, so the selection shows; from the
            // keyboard (Enter or Space: no click count) the focus stays on the chips.
            if ta.value() == query || ta.value().len() == query.len() {
                let text = ta.value();
                let (a, b) = (crate::view::editor::byte_to_utf16(&text, start), crate::view::editor::byte_to_utf16(&text, end));
                if e.detail() > 0 {
                    let _ = ta.focus();
                }
                let _ = ta.set_selection_range(a as u32, b as u32);
            }
        });
        let label: String = {
            let one = st.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if one.chars().count() > 40 {
                format!("{}…", one.chars().take(38).collect::<String>())
            } else {
                one
            }
        };
        let count = match st.rows {
            Some(r) => format!("{} {}", crate::diag::thousands(r), if r == 1 { "row" } else { "rows" }),
            None => "with the next".to_string(),
        };
        let place = match within {
            None => format!("Stage {} of {n}", k + 1),
            Some(w) => format!("The {w}, stage {} of {n}", k + 1),
        };
        let title = match st.rows {
            Some(_) => format!("{place}: {}", st.text),
            None => format!("{place}: {} (run together with the next stage, so it has no count of its own)", st.text),
        };
        let pressed = p.selected == Some(i) || (p.selected.is_none() && is_result);
        let inner = st.inner.iter().map(|inn| {
            html! {
                <li class="stepper-inner" aria-label={format!("The {}", inn.label)}>
                    <span class="stepper-inner-label">{ format!("{}:", inn.label) }</span>
                    <ol class="stepper-nested">{ chips(p, &inn.stages, Some(&inn.label), next) }</ol>
                </li>
            }
        });
        let inner: Html = inner.collect();
        items.push(html! {
            <>
                <li class="stepper-stage">
                    if k > 0 { <span class="stepper-arrow" aria-hidden="true">{ "→" }</span> }
                    <button type="button" class={classes!("stepper-chip", (p.selected == Some(i)).then_some("selected"))} {title} {onclick}
                        data-stage={i.to_string()} data-rows={st.rows.map(|r| r.to_string())}
                        aria-pressed={if pressed { "true" } else { "false" }}>
                        <code class="stepper-text">{ label }</code>
                        <span class="stepper-rows">{ count }</span>
                    </button>
                </li>
                { inner }
            </>
        });
    }
    items.into_iter().collect()
}

#[derive(Properties, PartialEq)]
struct QueryHistoryProps {
    entries: Vec<crate::app::progress::HistoryEntry>,
    on_pick: Callback<String>,
}

/// The step's last runs, newest first: the verdict, when, and the query's first line; a click
/// puts the query back in the editor (Ctrl+Z undoes it).
#[function_component]
fn QueryHistory(p: &QueryHistoryProps) -> Html {
    html! {
        <div id="query-history" class="query-history" role="region" aria-label="Query history of this step">
            <ol class="history-list">
                { for p.entries.iter().rev().map(|h| {
                    let q = h.query.clone();
                    let on_pick = p.on_pick.clone();
                    let first = h.query.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                    let more = h.query.lines().filter(|l| !l.trim().is_empty()).count().saturating_sub(1);
                    let (label, kind) = match h.verdict.as_str() { "pass" => ("✓ correct", "pass"), "error" => ("⚠ error", "error"), _ => ("✗ not yet", "fail") };
                    html! {
                        <li>
                            <button type="button" class={classes!("history-item", format!("history-{kind}"))} title={h.query.clone()}
                                onclick={Callback::from(move |_: MouseEvent| on_pick.emit(q.clone()))}>
                                <span class="history-verdict">{ label }</span>
                                <span class="history-time">{ clock_time(h.at) }</span>
                                <code class="history-query">{ first }{ if more > 0 { format!("  (+{more} lines)") } else { String::new() } }</code>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// A time (ms since the epoch) as the learner's local HH:MM, with the date when not today.
fn clock_time(ms: f64) -> String {
    if ms <= 0.0 {
        return String::new();
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let now = js_sys::Date::new_0();
    let hm = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    if d.to_date_string() == now.to_date_string() {
        hm
    } else {
        format!("{} {hm}", String::from(d.to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED)))
    }
}

#[derive(Properties, PartialEq)]
struct CoachTipsProps {
    tips: Vec<crate::lesson::coach::Tip>,
}

/// The hunting-craft coach's tips after a right answer: what to write, why, and the docs.
#[function_component]
fn CoachTips(p: &CoachTipsProps) -> Html {
    html! {
        <aside class="coach" aria-label="How a hunter would write it">
            <p class="coach-title">{ "Correct. A hunter would also…" }</p>
            <ul class="coach-list">
                { for p.tips.iter().map(|t| html! {
                    <li class="coach-tip" data-rule={t.rule.clone()}>
                        <span class="coach-message">{ super::lesson::code_spans(&t.message) }</span>
                        { " " }
                        <span class="coach-why">{ super::lesson::code_spans(&t.why) }</span>
                        { " " }
                        <a class="coach-docs" href={t.docs.clone()} target="_blank" rel="noopener noreferrer">{ "Docs ↗" }</a>
                    </li>
                }) }
            </ul>
        </aside>
    }
}

/// The results area: the run in progress, a stopped run, the run's errors, or its table and chart.
fn results(app: &AppHandle, st: &AppState, _tick: u32) -> Html {
    match (&st.running, &st.last) {
        (Some(p), _) => {
            let secs = (dom::now_ms() - p.started) / 1000.0;
            let on_stop = {
                let app = app.clone();
                Callback::from(move |_: MouseEvent| app.stop())
            };
            let text = match (st.active.is_some(), st.worker_ready) {
                (true, _) => format!("Running… {secs:.1} s"),
                (false, false) => format!("Waiting for the query engine to load… {secs:.1} s. Your query runs as soon as it is ready."),
                (false, true) => format!("Preparing the data… {secs:.1} s. Your query runs as soon as it is ready."),
            };
            html! {
                <div class="running" role="status" aria-live="polite">
                    <span class="spinner" aria-hidden="true"></span>
                    <span>{ text }</span>
                    <button type="button" class="button secondary small" onclick={on_stop}>{ "Stop" }</button>
                </div>
            }
        }
        (None, None) if st.stopped.is_some() => html! {
            <p class="results-stopped" role="status">
                { format!("The run was stopped after {:.1} s, so there are no results to show. To get an answer sooner, narrow the query (a shorter time range, or take 100) and run it again.", st.stopped.unwrap_or_default()) }
            </p>
        },
        (None, None) if st.active.is_some() => html! { <p class="results-empty">{ "Run the query to see its results here (Ctrl+Enter)." }</p> },
        (None, None) => html! {
            <p class="results-empty results-waiting"><span class="spinner" aria-hidden="true"></span>
                { if st.worker_ready { "Preparing the data…" } else { "Loading the query engine…" } }
                { " You can write and run your query now; it runs as soon as the tables are ready." }
            </p>
        },
        (None, Some(r)) if !r.errors.is_empty() && st.verdict.is_some() => html! {},
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
        (None, Some(r)) if st.stage.is_some() => stage_view(app, r, st.stage.as_ref().expect("matched")),
        (None, Some(r)) => {
            let tab = st.tab;
            let select_tab = |t: Tab| app.callback(move |_: MouseEvent| Action::SelectTab(t));
            // WAI-ARIA tabs: arrows move to the other tab and select it, Home/End go to the
            // first/last; only the selected tab is in the Tab order.
            let on_tab_key = {
                let app = app.clone();
                Callback::from(move |e: KeyboardEvent| {
                    let next = match (e.key().as_str(), tab) {
                        ("ArrowLeft" | "ArrowRight", Tab::Chart) | ("End", _) => Tab::Table,
                        ("ArrowLeft" | "ArrowRight", Tab::Table) | ("Home", _) => Tab::Chart,
                        _ => return,
                    };
                    e.prevent_default();
                    app.dispatch(Action::SelectTab(next));
                    let id = if next == Tab::Chart { "tab-chart" } else { "tab-table" };
                    if let Some(b) = dom::document().get_element_by_id(id).and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = b.focus();
                    }
                })
            };
            let tabindex = |t: Tab| if tab == t { "0" } else { "-1" };
            let table = SharedTable(r.table.clone());
            html! {
                <>
                    // Exact timings for benchmarks and tests (bench/browser.mjs).
                    <span class="run-stats" hidden=true data-engine-ms={r.elapsed_ms.to_string()} data-roundtrip-ms={r.roundtrip_ms.to_string()} data-rows={r.table.len().to_string()}></span>
                    if let Some(spec) = &r.chart {
                        <div class="tabs" role="tablist" aria-label="Result views" onkeydown={on_tab_key}>
                            <button type="button" role="tab" id="tab-chart" aria-controls="panel-chart" aria-selected={(tab == Tab::Chart).to_string()} tabindex={tabindex(Tab::Chart)} onclick={select_tab(Tab::Chart)}>{ "Chart" }</button>
                            <button type="button" role="tab" id="tab-table" aria-controls="panel-table" aria-selected={(tab == Tab::Table).to_string()} tabindex={tabindex(Tab::Table)} onclick={select_tab(Tab::Table)}>{ "Table" }</button>
                        </div>
                        if tab == Tab::Chart {
                            <div id="panel-chart" role="tabpanel" aria-labelledby="tab-chart" class="tab-panel">
                                <Chart table={table.clone()} spec={spec.clone()} />
                            </div>
                        }
                    }
                    if r.chart.is_none() || tab == Tab::Table {
                        <div id="panel-table" role="tabpanel" aria-labelledby={r.chart.as_ref().map(|_| "tab-table")} class="tab-panel">
                            <ResultGrid table={table} elapsed_ms={r.elapsed_ms} notice={r.notice.clone().map(AttrValue::from)} />
                        </div>
                    }
                </>
            }
        }
    }
}

/// The rows after one stage of the last run (a stepper chip), with the way back to the result.
fn stage_view(app: &AppHandle, r: &crate::app::state::Finished, shown: &crate::app::state::StageShown) -> Html {
    let place = locate(&r.stages, None, shown.stage, &mut 0);
    let (where_, text) = match place {
        Some((None, k, n, st)) => (format!("stage {} of {n}", k + 1), st.text.clone()),
        Some((Some(label), k, n, st)) => (format!("the {label}'s stage {} of {n}", k + 1), st.text.clone()),
        None => (String::from("this stage"), String::new()),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let back = app.callback(|_: MouseEvent| Action::ShowStage(None));
    html! {
        <div class="stage-view" role="region" aria-label={format!("Rows after {where_}")}>
            <p class="stage-caption">
                <span>{ format!("The rows after {where_}: ") }<code>{ text }</code></span>
                <button type="button" class="button secondary small" onclick={back}>{ "Back to the result" }</button>
            </p>
            { match &shown.result {
                None => html! { <p class="running" role="status"><span class="spinner" aria-hidden="true"></span>{ "Computing this stage's rows…" }</p> },
                Some(Err(errors)) => html! {
                    <p class="run-errors" role="alert">{ format!("This stage's rows could not be computed: {}", errors.first().map_or("no result", |d| d.message.as_str())) }</p>
                },
                Some(Ok((table, total))) => {
                    let notice = (*total > table.len()).then(|| AttrValue::from(format!("Showing the first {} of {} rows.", crate::diag::thousands(table.len()), crate::diag::thousands(*total))));
                    html! { <ResultGrid table={SharedTable(table.clone())} elapsed_ms={None::<f64>} {notice} /> }
                }
            } }
        </div>
    }
}

/// Chip `target` (in `Stage::flatten` order): its pipeline's label (`None`: the main one), its
/// place and count there, and the stage.
fn locate<'a>(
    stages: &'a [crate::engine::Stage],
    label: Option<&'a str>,
    target: usize,
    next: &mut usize,
) -> Option<(Option<&'a str>, usize, usize, &'a crate::engine::Stage)> {
    for (k, st) in stages.iter().enumerate() {
        if *next == target {
            return Some((label, k, stages.len(), st));
        }
        *next += 1;
        for inn in &st.inner {
            if let Some(found) = locate(&inn.stages, Some(&inn.label), target, next) {
                return Some(found);
            }
        }
    }
    None
}

const WELCOME: &str = "## How it works\n\n1. Choose a lesson on the left (or from the list at the top).\n2. Read the story and the task, then write a query in the editor.\n3. Press **Run** or **Ctrl+Enter**: kqlab runs it here in your browser and tells you whether the result matches the expected answer — and if not, what differs.\n\nHints come one at a time, and the solution is there when you need it. Your progress is saved in this browser.\n\n```kql\nUrlClickEvents\n| where Timestamp > ago(7d)\n| summarize Clicks = count() by AccountUpn\n| top 10 by Clicks\n```";
