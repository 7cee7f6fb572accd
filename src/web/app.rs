//! The page shell: header (title, data clock, theme toggle), a side pane (lesson text and
//! schema) and the work pane (editor, Run, results as a grid or a chart).
//!
//! Until the engine is wired in, Run shows the demo result from [`super::demo`]; the places
//! that change are marked `ENGINE:`.

use super::chart::Chart;
use super::demo;
use super::editor::Editor;
use super::grid::ResultGrid;
use super::markdown::Markdown;
use super::theme::ThemeToggle;
use super::{dom, CompleteFn, HighlightFn, InsertRequest, SharedTable};
use crate::types::time;
use crate::view::chart::ChartSpec;
use yew::prelude::*;

/// What the last run produced.
#[derive(Clone, PartialEq)]
struct RunResult {
    table: SharedTable,
    /// The table and visualization to chart, when the query asked for one.
    chart: Option<(SharedTable, ChartSpec)>,
    elapsed_ms: f64,
    notice: Option<AttrValue>,
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Table,
    Chart,
}

/// The session clock: now, rounded down to the hour (datasets are generated relative to it).
fn session_clock() -> i64 {
    let ms = js_sys::Date::now() as i64;
    let ticks = ms * time::TICKS_PER_MILLI;
    ticks.div_euclid(time::TICKS_PER_HOUR) * time::TICKS_PER_HOUR
}

#[component]
pub fn App() -> Html {
    let clock = use_memo((), |_| session_clock());
    let query = use_state(|| demo::STARTER_QUERY.to_string());
    let result = use_state(|| None::<RunResult>);
    let tab = use_state(|| Tab::Table);
    let insert = use_state(|| None::<InsertRequest>);
    // ENGINE: the lexer's tokens (`Token::highlight_class`) and the schema-aware completer.
    let highlight = use_memo((), |_| HighlightFn::new(demo::highlight));
    let complete = use_memo((), |_| CompleteFn::new(demo::complete));
    // The demo result is generated on the first Run and reused.
    let demo_result = use_mut_ref(|| None::<RunResult>);

    let on_change = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };

    let on_run = {
        let result = result.clone();
        let tab = tab.clone();
        let clock = *clock;
        Callback::from(move |_: ()| {
            let started = dom::now_ms();
            // ENGINE: run the query here, e.g. `engine::run(&query, &catalog, &limits)` in the
            // query worker, and build `RunResult` from its table, its `render` request (mapped
            // onto `ChartSpec`) and its elapsed time. Until then the demo result stands in.
            let mut cached = demo_result.borrow_mut();
            let run = cached.get_or_insert_with(|| {
                let table = demo::demo_table(clock);
                let (summary, spec) = demo::demo_chart(&table);
                RunResult {
                    table: table.into(),
                    chart: Some((summary.into(), spec)),
                    elapsed_ms: 0.0,
                    notice: Some(AttrValue::Static("Demo data: the query engine is not connected yet.")),
                }
            });
            run.elapsed_ms = dom::now_ms() - started;
            tab.set(if run.chart.is_some() { Tab::Chart } else { Tab::Table });
            result.set(Some(run.clone()));
        })
    };
    let on_run_click = {
        let on_run = on_run.clone();
        Callback::from(move |_: MouseEvent| on_run.emit(()))
    };

    // ENGINE: syntax and semantic diagnostics of the query (byte spans and messages).
    let errors = demo::diagnostics(&query);

    let insert_column = |name: &'static str| {
        let insert = insert.clone();
        Callback::from(move |_: MouseEvent| {
            let id = insert.as_ref().map_or(1, |r| r.id + 1);
            insert.set(Some(InsertRequest { id, text: name.to_string() }));
        })
    };
    let select_tab = |t: Tab| {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(t))
    };

    let clock_text = time::format_datetime(*clock);
    let clock_text = clock_text.trim_end_matches(":00Z").replacen('T', " ", 1);

    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="brand-heading">
                    <a class="brand" href="./" aria-label="kqlab home">
                        <span class="brand-mark" aria-hidden="true">{ "kq" }</span>
                        <span class="brand-name">{ "kqlab" }</span>
                    </a>
                </h1>
                <span class="tagline">{ "KQL training playground" }</span>
                <span class="header-spacer"></span>
                <span class="data-clock" title="Data is generated relative to this time, so ago() finds it">
                    { format!("Data up to {clock_text} UTC") }
                </span>
                <ThemeToggle />
            </header>
            <main class="app-main">
                <aside class="side-pane" aria-label="Lesson and schema">
                    <section class="lesson-pane" aria-label="Lesson">
                        <Markdown source={demo::INTRO} highlight={(*highlight).clone()} heading_offset={1} />
                    </section>
                    <section class="schema-pane" aria-labelledby="schema-title">
                        <h2 id="schema-title">{ "Tables" }</h2>
                        <details open=true>
                            <summary><span class="schema-table">{ demo::TABLE_NAME }</span></summary>
                            <ul class="schema-columns">
                                { for demo::COLUMNS.iter().map(|(name, ty, doc)| html! {
                                    <li>
                                        <button type="button" class="schema-column" title={format!("{doc}. Click to insert.")} onclick={insert_column(name)}>
                                            <span class="col-name">{ *name }</span>
                                            <span class="col-type">{ ty.name() }</span>
                                        </button>
                                    </li>
                                }) }
                            </ul>
                        </details>
                    </section>
                </aside>
                <section class="work-pane" aria-label="Query and results">
                    <div class="editor-bar">
                        <h2 class="editor-title"><label for="query">{ "Query" }</label></h2>
                        <button type="button" class="run-button" onclick={on_run_click} aria-keyshortcuts="Control+Enter Meta+Enter">
                            <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M7 4.5v15l13-7.5z"/></svg>
                            { "Run" }
                            <kbd>{ "Ctrl+Enter" }</kbd>
                        </button>
                    </div>
                    <Editor value={(*query).clone()} on_change={on_change} on_run={on_run}
                        highlight={(*highlight).clone()} complete={(*complete).clone()}
                        errors={errors} insert={(*insert).clone()} />
                    <div class="results">
                        { match &*result {
                            None => html! {
                                <p class="results-empty">{ "Run the query to see its results here." }</p>
                            },
                            Some(run) => html! {
                                <>
                                    if let Some((chart_table, spec)) = &run.chart {
                                        <div class="tabs" role="tablist" aria-label="Result views">
                                            <button type="button" role="tab" id="tab-chart" aria-controls="panel-chart"
                                                aria-selected={(*tab == Tab::Chart).to_string()} onclick={select_tab(Tab::Chart)}>{ "Chart" }</button>
                                            <button type="button" role="tab" id="tab-table" aria-controls="panel-table"
                                                aria-selected={(*tab == Tab::Table).to_string()} onclick={select_tab(Tab::Table)}>{ "Table" }</button>
                                        </div>
                                        if *tab == Tab::Chart {
                                            <div id="panel-chart" role="tabpanel" aria-labelledby="tab-chart" class="tab-panel">
                                                <Chart table={chart_table.clone()} spec={spec.clone()} />
                                            </div>
                                        }
                                    }
                                    if run.chart.is_none() {
                                        <ResultGrid table={run.table.clone()} elapsed_ms={run.elapsed_ms} notice={run.notice.clone()} />
                                    } else if *tab == Tab::Table {
                                        <div id="panel-table" role="tabpanel" aria-labelledby="tab-table" class="tab-panel">
                                            <ResultGrid table={run.table.clone()} elapsed_ms={run.elapsed_ms} notice={run.notice.clone()} />
                                        </div>
                                    }
                                </>
                            },
                        } }
                    </div>
                </section>
            </main>
        </div>
    }
}
