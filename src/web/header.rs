//! The page header: the kqlab home link, the lesson picker, the data clock, "Open lesson
//! file…", "Reset progress" (these three fold behind "More" on a phone) and the theme toggle.

use super::hooks::AppHandle;
use super::theme::ThemeToggle;
use crate::app::state::{Slot, View};
use crate::types::time;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub app: AppHandle,
}

/// The files of a file input (or a drop), as gloo files.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<gloo::file::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).map(gloo::file::File::from).collect()).unwrap_or_default()
}

#[component]
pub fn Header(p: &HeaderProps) -> Html {
    let app = &p.app;
    let st = &app.state;
    // The header's "More" menu (phones only; wider screens show its items inline).
    let menu_open = use_state(|| false);
    let select_value = match st.view {
        View::Lesson(i, _) => i.to_string(),
        View::Playground => "playground".to_string(),
        View::Home => String::new(),
    };
    let clock_text = time::format_datetime(st.clock);
    let clock_text = clock_text.trim_end_matches(":00Z").replacen('T', " ", 1);
    let on_picker = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if v == "playground" {
                app.open_playground(None);
            } else if let Ok(i) = v.parse::<usize>() {
                app.open_lesson(i, None, None);
            }
        })
    };
    let go_home = {
        let app = app.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            app.go_home();
        })
    };
    let on_file_input = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            app.open_files(files_of(input.files()));
            input.set_value("");
        })
    };
    let on_reset = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.reset_progress())
    };
    html! {
        <header class="app-header">
            <h1 class="brand-heading">
                <a class="brand" href="./" aria-label="kqlab home" onclick={go_home}>
                    <span class="brand-mark" aria-hidden="true">{ "kq" }</span>
                    <span class="brand-name">{ "kqlab" }</span>
                </a>
            </h1>
            <label class="visually-hidden" for="lesson-picker">{ "Lesson" }</label>
            <select id="lesson-picker" class="lesson-picker" onchange={on_picker}>
                <option value="" selected={select_value.is_empty()} disabled=true>{ "Choose a lesson…" }</option>
                { for st.lessons.iter().enumerate().filter_map(|(i, s)| match s {
                    Slot::Ready(l, ..) => Some(html! { <option value={i.to_string()} selected={select_value == i.to_string()}>{ &l.title }</option> }),
                    _ => None,
                }) }
                <option value="playground" selected={select_value == "playground"}>{ "Playground (free querying)" }</option>
            </select>
            <span class="header-spacer"></span>
            // On a phone these fold away behind "More" so the header stays one line.
            <button type="button" class="button secondary small header-more" aria-expanded={menu_open.to_string()} aria-controls="header-tools"
                onclick={{ let m = menu_open.clone(); Callback::from(move |_: MouseEvent| m.set(!*m)) }}>{ "More" }</button>
            <div id="header-tools" class={classes!("header-tools", menu_open.then_some("open"))}>
                <span class="data-clock" title="The data is generated relative to this time, so ago() finds it">
                    { format!("Data up to {clock_text} UTC") }
                </span>
                <label class="button secondary small file-button" title="Open a lesson file (.toml, with its .csv files) to preview it">
                    { "Open lesson file…" }
                    <input type="file" accept=".toml,.csv" multiple=true class="visually-hidden" onchange={on_file_input} aria-label="Open a lesson file" />
                </label>
                <button type="button" class="button secondary small" onclick={on_reset}>{ "Reset progress" }</button>
            </div>
            <ThemeToggle />
        </header>
    }
}
