//! The chart of a `render` result: SVG from [`crate::view::chart`] (all data text escaped).

use super::SharedTable;
use crate::view::chart::{build_model, render_svg, ChartSpec, SvgOptions};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub table: SharedTable,
    pub spec: ChartSpec,
}

#[component]
pub fn Chart(props: &ChartProps) -> Html {
    let drawn = use_memo((props.table.clone(), props.spec.clone()), |(table, spec)| {
        build_model(&table.0, spec).map(|model| {
            let svg = render_svg(&model, &SvgOptions::default());
            // Safe: render_svg escapes every string that comes from the data or the query.
            (Html::from_html_unchecked(AttrValue::from(svg)), model.notes)
        })
    });
    match &*drawn {
        Ok((svg, notes)) => html! {
            <figure class="chart-wrap">
                { svg.clone() }
                if !notes.is_empty() {
                    <figcaption class="chart-notes">
                        { for notes.iter().map(|n| html! { <p>{ n }</p> }) }
                    </figcaption>
                }
            </figure>
        },
        Err(e) => html! {
            <div class="chart-error" role="alert">
                <strong>{ "Cannot draw this chart. " }</strong>{ &e.message }
            </div>
        },
    }
}
