//! Lesson text: Markdown rendered by [`crate::view::markdown`] (all source text escaped).

use super::HighlightFn;
use crate::view::markdown::{to_html_with, Options};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MarkdownProps {
    /// The Markdown source (untrusted).
    pub source: AttrValue,
    /// Colours ```` ```kql ```` blocks with the same highlighter as the editor.
    #[prop_or_default]
    pub highlight: Option<HighlightFn>,
    /// Added to heading levels, so a lesson's `#` sits below the page's headings.
    #[prop_or(1)]
    pub heading_offset: u8,
    #[prop_or_default]
    pub class: Classes,
}

#[component]
pub fn Markdown(props: &MarkdownProps) -> Html {
    let html = {
        let highlight = props.highlight.clone();
        use_memo((props.source.clone(), props.highlight.clone(), props.heading_offset), move |(source, _, offset)| {
            let opts = Options { heading_offset: *offset, highlight_kql: highlight.as_ref().map(|h| &*h.0) };
            // Safe: `to_html_with` escapes every character of the source; the only markup is
            // what the renderer writes.
            Html::from_html_unchecked(AttrValue::from(to_html_with(source, &opts)))
        })
    };
    html! { <div class={classes!("markdown", props.class.clone())}>{ (*html).clone() }</div> }
}
