//! Progress in localStorage. An unreadable entry is moved to a backup key (not deleted) and
//! reported; the app then starts with empty progress.

use crate::app::progress::{Progress, BACKUP_KEY, STORAGE_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Loads saved progress. The second value is a message for the learner when something was
/// set aside.
pub fn load() -> (Progress, Option<String>) {
    let Some(s) = storage() else {
        return (Progress::default(), Some("This browser does not let kqlab save progress (storage is disabled); your work lasts until you close the tab.".into()));
    };
    let Ok(Some(text)) = s.get_item(STORAGE_KEY) else { return (Progress::default(), None) };
    match Progress::from_json(&text) {
        Ok(p) => (p, None),
        Err(why) => {
            let _ = s.set_item(BACKUP_KEY, &text);
            let _ = s.remove_item(STORAGE_KEY);
            (Progress::default(), Some(format!("Your saved progress could not be read ({why}). It was kept under '{BACKUP_KEY}' in this browser's storage, and kqlab started afresh.")))
        }
    }
}

/// Saves progress; returns a message if the browser refused (e.g. storage full).
pub fn save(p: &Progress) -> Option<String> {
    let s = storage()?;
    match s.set_item(STORAGE_KEY, &p.to_json()) {
        Ok(()) => None,
        Err(_) => Some("Progress could not be saved: the browser's storage is full or disabled.".into()),
    }
}

pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}
