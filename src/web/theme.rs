//! Light and dark themes. The page follows the system setting (`prefers-color-scheme`) until
//! the learner presses the toggle; the choice is kept in `localStorage`. The CSS reads the
//! `data-theme` attribute of `<html>` (absent = follow the system).

use super::dom;
use gloo::events::EventListener;
use yew::prelude::*;

/// What the learner chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

const STORAGE_KEY: &str = "kqlab.theme";
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// The stored choice; anything unreadable or unknown means "follow the system".
pub fn load() -> ThemeChoice {
    let stored = dom::window().local_storage().ok().flatten().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match stored.as_deref() {
        Some("light") => ThemeChoice::Light,
        Some("dark") => ThemeChoice::Dark,
        _ => ThemeChoice::System,
    }
}

fn save(choice: ThemeChoice) {
    if let Ok(Some(storage)) = dom::window().local_storage() {
        let _ = match choice {
            ThemeChoice::System => storage.remove_item(STORAGE_KEY),
            ThemeChoice::Light => storage.set_item(STORAGE_KEY, "light"),
            ThemeChoice::Dark => storage.set_item(STORAGE_KEY, "dark"),
        };
    }
}

/// Sets `data-theme` on the root element.
pub fn apply(choice: ThemeChoice) {
    let Some(root) = dom::document().document_element() else { return };
    let _ = match choice {
        ThemeChoice::System => root.remove_attribute("data-theme"),
        ThemeChoice::Light => root.set_attribute("data-theme", "light"),
        ThemeChoice::Dark => root.set_attribute("data-theme", "dark"),
    };
}

fn system_is_dark() -> bool {
    dom::window().match_media(DARK_QUERY).ok().flatten().is_some_and(|m| m.matches())
}

/// Whether the page is dark under this choice right now.
pub fn is_dark(choice: ThemeChoice) -> bool {
    match choice {
        ThemeChoice::System => system_is_dark(),
        ThemeChoice::Light => false,
        ThemeChoice::Dark => true,
    }
}

/// The theme toggle button for the header: a pressed "Dark theme" switch.
#[component]
pub fn ThemeToggle() -> Html {
    let choice = use_state(load);
    let system_dark = use_state(system_is_dark);
    {
        // Follow system changes while no explicit choice is stored.
        let system_dark = system_dark.clone();
        use_effect_with((), move |_| {
            let listener = dom::window().match_media(DARK_QUERY).ok().flatten().map(|mql| {
                let target = mql.clone();
                EventListener::new(&mql, "change", move |_| system_dark.set(target.matches()))
            });
            move || drop(listener)
        });
    }
    let dark = match *choice {
        ThemeChoice::System => *system_dark,
        c => is_dark(c),
    };
    let onclick = {
        let choice = choice.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if dark { ThemeChoice::Light } else { ThemeChoice::Dark };
            save(next);
            apply(next);
            choice.set(next);
        })
    };
    html! {
        <button type="button" class="theme-toggle" aria-pressed={dark.to_string()} title="Toggle dark theme" {onclick}>
            if dark {
                <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/></svg>
            } else {
                <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><circle cx="12" cy="12" r="4.5" fill="currentColor"/><path stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8"/></svg>
            }
            <span>{ "Dark theme" }</span>
        </button>
    }
}
