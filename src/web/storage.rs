//! Progress in localStorage. An unreadable entry is moved to a backup key (not deleted) and
//! reported; the app then starts with empty progress.
//!
//! Other tabs write the same entry: [`save`] merges what is stored into what it writes, and
//! [`watch`] reports what another tab wrote, so each tab can merge it in.

use crate::app::progress::{Progress, BACKUP_KEY, STORAGE_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Loads saved progress. The second value is a message for the learner when something was
/// set aside.
pub fn load() -> (Progress, Option<String>) {
    let Some(s) = storage() else {
        return (
            Progress::default(),
            Some("This browser does not let kqlab save progress (storage is disabled); your work lasts until you close the tab.".into()),
        );
    };
    let Ok(Some(text)) = s.get_item(STORAGE_KEY) else { return (Progress::default(), None) };
    match Progress::from_json(&text) {
        Ok(p) => (p, None),
        Err(why) => {
            let _ = s.set_item(BACKUP_KEY, &text);
            let _ = s.remove_item(STORAGE_KEY);
            (
                Progress::default(),
                Some(format!(
                    "Your saved progress could not be read ({why}). It was kept under '{BACKUP_KEY}' in this browser's storage, and kqlab started afresh."
                )),
            )
        }
    }
}

/// Saves progress merged with what is stored (another tab may have written since this one
/// read it); returns a message if the browser refused (e.g. storage full).
pub fn save(p: &Progress) -> Option<String> {
    let s = storage()?;
    let stored = s.get_item(STORAGE_KEY).ok().flatten();
    let mut merged = p.clone();
    if let Some(other) = stored.as_deref().and_then(|t| Progress::from_json(t).ok()) {
        merged.merge(&other);
    }
    let json = merged.to_json();
    if stored.as_deref() == Some(json.as_str()) {
        return None;
    }
    match s.set_item(STORAGE_KEY, &json) {
        Ok(()) => None,
        Err(_) => Some("Progress could not be saved: the browser's storage is full or disabled.".into()),
    }
}

pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// What another tab did to the saved progress.
pub enum Change {
    /// It saved this progress.
    Saved(Progress),
    /// It reset all progress.
    Cleared,
}

/// Calls `f` when another tab of this site changes the saved progress (the browser's
/// `storage` event, which is not fired in the tab that wrote). Unreadable entries are ignored:
/// this tab keeps what it has. Listens until the returned value is dropped.
pub fn watch(f: impl Fn(Change) + 'static) -> gloo::events::EventListener {
    gloo::events::EventListener::new(&super::dom::window(), "storage", move |e| {
        let get = |k: &str| js_sys::Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string());
        if get("key").as_deref() != Some(STORAGE_KEY) {
            return;
        }
        match get("newValue") {
            None => f(Change::Cleared),
            Some(text) => {
                if let Ok(p) = Progress::from_json(&text) {
                    f(Change::Saved(p));
                }
            }
        }
    })
}
