//! The schema pane: the tables a query can use, their columns, types and descriptions.
//! Clicking a name inserts it at the editor's cursor.

use yew::prelude::*;

pub use crate::app::worker::TableInfo;

#[derive(Properties, PartialEq)]
pub struct SchemaProps {
    pub tables: std::rc::Rc<Vec<TableInfo>>,
    pub on_insert: Callback<String>,
    /// The table to show open (the one the query uses); default the first.
    #[prop_or_default]
    pub focus: Option<String>,
}

fn order(tables: &[TableInfo]) -> Vec<&TableInfo> {
    let mut out: Vec<&TableInfo> = tables.iter().collect();
    // Watchlists last.
    crate::util::sort::sort_by_key(&mut out, |t| (t.watchlist, crate::data::is_old_name(&t.name)));
    out
}

#[component]
pub fn SchemaPane(p: &SchemaProps) -> Html {
    let insert = |text: String| {
        let cb = p.on_insert.clone();
        Callback::from(move |_: MouseEvent| cb.emit(text.clone()))
    };
    html! {
        <section class="schema-pane" aria-labelledby="schema-title">
            <h2 id="schema-title">{ "Tables" }</h2>
            // A table under a name Microsoft has since replaced comes after the current ones.
            { for order(&p.tables).into_iter().enumerate().map(|(ti, t)| html! {
                <details open={p.focus.as_deref().map_or(ti == 0, |f| f == t.name)}>
                    <summary>
                        <span class={if t.watchlist { "schema-table schema-watchlist" } else { "schema-table" }}>{ &t.name }</span>
                        <span class="schema-rows">{ match t.rows {
                            Some(n) if t.watchlist => format!(" watchlist, {} rows", crate::diag::thousands(n)),
                            Some(n) => format!(" {} rows", crate::diag::thousands(n)),
                            None => " made when first queried".to_string(),
                        } }</span>
                    </summary>
                    if !t.description.is_empty() { <p class="schema-desc">{ &t.description }</p> }
                    if t.watchlist {
                        <button type="button" class="schema-column schema-insert-table" onclick={insert(format!("_GetWatchlist('{}')", t.name))} title="Insert the call that reads this watchlist">
                            <span class="col-name">{ format!("Insert _GetWatchlist('{}')", t.name) }</span>
                        </button>
                    } else {
                        <button type="button" class="schema-column schema-insert-table" onclick={insert(t.name.clone())} title="Insert the table name">
                            <span class="col-name">{ format!("Insert {}", t.name) }</span>
                        </button>
                    }
                    <ul class="schema-columns">
                        { for t.columns.iter().map(|(name, ty, doc)| { let ty = ty.name(); html! {
                            <li>
                                <button type="button" class="schema-column" onclick={insert(name.clone())}
                                    title={if doc.is_empty() { "Click to insert".to_string() } else { format!("{doc} Click to insert.") }}>
                                    <span class="col-name">{ name }</span>
                                    <span class="col-type">{ ty }</span>
                                </button>
                                if !doc.is_empty() { <span class="visually-hidden">{ doc }</span> }
                            </li>
                        }}) }
                    </ul>
                </details>
            }) }
        </section>
    }
}
