//! The results grid: a header with column names and types, the row count and run time,
//! click-to-sort, copy as CSV/TSV, CSV download, and virtual scrolling (only the rows in
//! view, plus a few, are in the DOM, so 100,000 rows scroll smoothly).

use super::{dom, SharedTable};
use crate::diag::thousands;
use crate::view::grid::{
    column_widths, format_cell, is_right_aligned, next_sort, sort_order, to_delimited, visible_window, Delimiter, SortDir, Viewport, Window,
};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver};
use yew::prelude::*;

/// Row height in pixels; `.grid-row` in `www/style.css` uses the same value.
pub const ROW_HEIGHT: f64 = 28.0;
/// Height of the sticky header row (`.grid-header`).
const HEADER_HEIGHT: f64 = 44.0;
/// Width of one character of the cell font, for column widths.
const CHAR_PX: f64 = 7.8;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct ResultGridProps {
    pub table: SharedTable,
    /// How long the query took, shown next to the row count.
    #[prop_or_default]
    pub elapsed_ms: Option<f64>,
    /// A note shown above the grid (e.g. that the result was truncated).
    #[prop_or_default]
    pub notice: Option<AttrValue>,
    /// Base name of the exported file (`.csv` is added).
    #[prop_or(AttrValue::Static("kqlab-results"))]
    pub file_name: AttrValue,
}

#[component]
pub fn ResultGrid(props: &ResultGridProps) -> Html {
    let table = props.table.0.clone();
    let n = table.len();
    let scroller = use_node_ref();
    let sort = use_state_eq(|| None::<(usize, SortDir)>);
    let viewport_h = use_state_eq(|| 480.0f64);
    let window = use_state_eq(|| visible_window(n, 0.0, &Viewport { row_height: ROW_HEIGHT, height: 480.0, overscan: OVERSCAN }));
    let status = use_state(|| None::<String>);

    // A new table starts unsorted, scrolled to the top.
    {
        let sort = sort.clone();
        let scroller = scroller.clone();
        let status = status.clone();
        use_effect_with(props.table.clone(), move |_| {
            sort.set(None);
            status.set(None);
            if let Some(el) = scroller.cast::<Element>() {
                el.set_scroll_top(0);
            }
        });
    }

    let order: Rc<Option<Vec<u32>>> = use_memo((props.table.clone(), *sort), |(t, sort)| {
        // The sort may still name a column of the previous table for one render.
        sort.filter(|(c, _)| *c < t.0.fields.len()).map(|(c, dir)| sort_order(&t.0, c, dir))
    });
    let widths = use_memo(props.table.clone(), |t| column_widths(&t.0, 200, CHAR_PX));

    let viewport = Viewport { row_height: ROW_HEIGHT, height: (*viewport_h - HEADER_HEIGHT).max(ROW_HEIGHT), overscan: OVERSCAN };
    // Recompute the window whenever the data or the size changes.
    {
        let window = window.clone();
        let scroller = scroller.clone();
        use_effect_with((props.table.clone(), *viewport_h), move |(t, _)| {
            let top = scroller.cast::<Element>().map(|e| e.scroll_top() as f64).unwrap_or(0.0);
            window.set(visible_window(t.0.len(), top, &viewport));
        });
    }

    // Track the scroller's height.
    {
        let scroller = scroller.clone();
        let viewport_h = viewport_h.clone();
        use_effect_with((), move |_| {
            let observer = scroller.cast::<Element>().and_then(|el| {
                let h = viewport_h.clone();
                let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                        h.set(entry.content_rect().height());
                    }
                });
                let obs = ResizeObserver::new(cb.as_ref().unchecked_ref()).ok()?;
                obs.observe(&el);
                Some((obs, cb))
            });
            move || {
                if let Some((obs, _cb)) = observer {
                    obs.disconnect();
                }
            }
        });
    }

    let onscroll = {
        let window = window.clone();
        let total = n;
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<Element>() {
                window.set(visible_window(total, el.scroll_top() as f64, &viewport));
            }
        })
    };

    let export_text = {
        let table = table.clone();
        let order = order.clone();
        move |d: Delimiter| to_delimited(&table, (*order).as_deref(), d)
    };
    let copy = |d: Delimiter, label: &'static str| {
        let status = status.clone();
        let export_text = export_text.clone();
        Callback::from(move |_: MouseEvent| {
            let text = export_text(d);
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match dom::copy_text(&text).await {
                    Ok(()) => status.set(Some(format!("Copied {} rows as {label}.", thousands(n)))),
                    Err(e) => status.set(Some(format!("Could not copy: {e}."))),
                }
            });
        })
    };
    let on_export = {
        let status = status.clone();
        let export_text = export_text.clone();
        let name = format!("{}.csv", props.file_name);
        Callback::from(move |_: MouseEvent| match dom::download(&name, "text/csv;charset=utf-8", &export_text(Delimiter::Comma)) {
            Ok(()) => status.set(Some(format!("Saved {name}."))),
            Err(e) => status.set(Some(format!("Could not export: {e}."))),
        })
    };
    let on_sort = |col: usize| {
        let sort = sort.clone();
        Callback::from(move |_: MouseEvent| sort.set(Some(next_sort(*sort, col))))
    };

    let template: String = widths.iter().map(|w| format!("{w}px")).collect::<Vec<_>>().join(" ");
    let total_width: u32 = widths.iter().sum();
    let Window { rows, offset_px, content_px } = (*window).clone();
    let rows = rows.start.min(n)..rows.end.min(n);
    let row_at = |r: usize| -> usize { (*order).as_ref().map_or(r, |o| o[r] as usize) };

    html! {
        <section class="result-grid" aria-label="Query results">
            <div class="grid-toolbar">
                <span class="grid-count" data-testid="row-count">{ format!("{} {}", thousands(n), if n == 1 { "row" } else { "rows" }) }</span>
                if let Some(ms) = props.elapsed_ms {
                    <span class="grid-elapsed">{ format_elapsed(ms) }</span>
                }
                if let Some(notice) = &props.notice {
                    <span class="grid-notice" title={notice.clone()}>{ notice }</span>
                }
                <span class="toolbar-spacer"></span>
                <span class="grid-actions">
                    <button type="button" onclick={copy(Delimiter::Comma, "CSV")} disabled={table.fields.is_empty()}>{ "Copy CSV" }</button>
                    <button type="button" onclick={copy(Delimiter::Tab, "TSV")} disabled={table.fields.is_empty()}>{ "Copy TSV" }</button>
                    <button type="button" onclick={on_export} disabled={table.fields.is_empty()}>{ "Export CSV" }</button>
                </span>
            </div>
            <p class="grid-status" role="status" aria-live="polite">{ (*status).clone().unwrap_or_default() }</p>
            <div class="grid" role="grid" tabindex="0" ref={scroller} {onscroll}
                 aria-rowcount={(n + 1).to_string()} aria-colcount={table.fields.len().to_string()}
                 aria-label={format!("Results: {} rows", thousands(n))}>
                <div class="grid-header" role="row" aria-rowindex="1" style={format!("grid-template-columns:{template};width:{total_width}px")}>
                    { for table.fields.iter().enumerate().map(|(i, f)| {
                        let sorted = sort.filter(|(c, _)| *c == i).map(|(_, d)| d);
                        html! {
                            <div role="columnheader" aria-colindex={(i + 1).to_string()} aria-sort={sorted.map_or("none", SortDir::aria)}
                                 class={classes!("grid-th", is_right_aligned(f.ty).then_some("num"))}>
                                <button type="button" onclick={on_sort(i)} title={format!("Sort by {}", f.name)}>
                                    <span class="th-name">{ &f.name }</span>
                                    <span class="th-type">{ f.ty.name() }</span>
                                    <span class="th-sort" aria-hidden="true">{ match sorted { Some(SortDir::Asc) => "▲", Some(SortDir::Desc) => "▼", None => "" } }</span>
                                </button>
                            </div>
                        }
                    }) }
                </div>
                if n == 0 {
                    <p class="grid-empty">{ "The query returned no rows." }</p>
                } else {
                    <div class="grid-body" style={format!("height:{}px;width:{total_width}px", content_px.round())}>
                        <div class="grid-rows" style={format!("transform:translateY({}px)", offset_px.round())}>
                            { for rows.map(|r| {
                                let data_row = row_at(r);
                                html! {
                                    <div role="row" aria-rowindex={(r + 2).to_string()} key={r}
                                         class={classes!("grid-row", (r % 2 == 1).then_some("odd"))}
                                         style={format!("grid-template-columns:{template}")}>
                                        { for table.columns.iter().zip(&table.fields).map(|(c, f)| html! {
                                            <div role="gridcell" class={classes!("grid-td", is_right_aligned(f.ty).then_some("num"))}>
                                                { format_cell(c, data_row) }
                                            </div>
                                        }) }
                                    </div>
                                }
                            }) }
                        </div>
                    </div>
                }
            </div>
        </section>
    }
}

/// `12 ms`, `1.25 s`.
fn format_elapsed(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{} ms", ms.round() as i64)
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}
