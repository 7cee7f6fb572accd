//! The tables a lesson runs on: the built-in generated tables and/or CSV files shipped beside
//! the lesson. File access is the caller's (the CLI reads disk, the web app fetches), so this
//! module works the same natively and in the browser.

use super::format::{Lesson, LessonError};
use crate::data::{self, DatasetSpec};
use crate::table::{read_csv, Catalog, CsvOptions, TableDoc};
use crate::types::DataType;

/// Builds the catalog for `lesson` at `clock`. `load(file)` returns the text of a CSV file named
/// in the lesson (relative to the lesson file).
pub fn catalog_for(lesson: &Lesson, clock: i64, load: &dyn Fn(&str) -> Result<String, String>) -> Result<Catalog, Vec<LessonError>> {
    let d = &lesson.dataset;
    let mut catalog = if d.builtin { builtin(&DatasetSpec::new(d.seed, d.rows, clock)) } else { Catalog::new() };
    let mut errors = Vec::new();
    for (i, c) in d.csv.iter().enumerate() {
        let field = Some(format!("dataset.csv[{i}]"));
        let text = match load(&c.file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(LessonError { line: 0, column: 0, field, message: format!("cannot read '{}': {e}", c.file) });
                continue;
            }
        };
        let types: Vec<(String, DataType)> = c.columns.iter().filter_map(|(k, v)| DataType::from_name(v).map(|t| (k.clone(), t))).collect();
        let opts = CsvOptions { types, ..CsvOptions::default() };
        match read_csv(&text, &opts) {
            Ok((table, _warnings)) => {
                let doc = TableDoc { description: c.description.clone(), columns: vec![String::new(); table.fields.len()] };
                catalog.insert(c.table.clone(), table, doc);
            }
            Err(e) => errors.push(LessonError {
                line: 0,
                column: 0,
                field,
                message: format!("{}: line {}{}: {}", c.file, e.line, e.column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default(), e.message),
            }),
        }
    }
    for (i, x) in d.external.iter().enumerate() {
        match load(&x.file) {
            Ok(text) => catalog.insert_external(x.url.clone(), &text),
            Err(e) => errors.push(LessonError {
                line: 0,
                column: 0,
                field: Some(format!("dataset.external[{i}]")),
                message: format!("cannot read '{}' (served for {}): {e}", x.file, x.url),
            }),
        }
    }
    for (i, w) in d.watchlist.iter().enumerate() {
        let field = Some(format!("dataset.watchlist[{i}]"));
        match load(&w.file).and_then(|text| data::watchlists::from_csv(&w.name, &text, w.search_key.as_deref(), clock - crate::types::time::TICKS_PER_DAY)) {
            Ok(table) => catalog.insert_watchlist(w.name.clone(), table),
            Err(e) => errors.push(LessonError { line: 0, column: 0, field, message: format!("watchlist '{}' from '{}': {e}", w.name, w.file) }),
        }
    }
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(errors)
    }
}

thread_local! {
    /// The built-in catalogs made while [`sharing_builtin_tables`] runs, so lessons on the same
    /// dataset at the same clock generate it once.
    static SHARED: std::cell::RefCell<Option<Vec<(DatasetSpec, Catalog)>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the built-in tables shared: every lesson `f` builds a catalog for at the same
/// clock, seed and size gets the same generated tables (generation is deterministic, so this
/// changes no result, only the time). `kqlab lessons check --clocks` checks all lessons at one
/// clock inside one call. Nested calls share the outer call's tables.
pub fn sharing_builtin_tables<R>(f: impl FnOnce() -> R) -> R {
    let outer = SHARED.with(|s| s.borrow().is_some());
    if outer {
        return f();
    }
    SHARED.with(|s| *s.borrow_mut() = Some(Vec::new()));
    let r = f();
    SHARED.with(|s| *s.borrow_mut() = None);
    r
}

fn builtin(spec: &DatasetSpec) -> Catalog {
    if let Some(c) = SHARED.with(|s| s.borrow().as_ref().and_then(|v| v.iter().find(|(k, _)| k == spec).map(|(_, c)| c.clone()))) {
        return c;
    }
    let c = data::builtin_catalog(spec);
    SHARED.with(|s| {
        if let Some(v) = s.borrow_mut().as_mut() {
            v.push((spec.clone(), c.clone()));
        }
    });
    c
}

/// The hidden copy of a lesson's tables, for the re-check of passing answers: the built-in
/// tables of the hidden story variant (same story, other names, addresses, counts and times;
/// see [`DatasetSpec::hidden`]) and the lesson's own CSV tables as they are (they have no
/// hidden copy; steps that read them are not re-checked). `None` for a lesson without
/// built-in tables.
pub fn hidden_catalog(lesson: &Lesson, clock: i64, visible: &Catalog) -> Option<Catalog> {
    let d = &lesson.dataset;
    if !d.builtin {
        return None;
    }
    let spec = DatasetSpec::new(d.seed, d.rows, clock).hidden();
    let mut catalog = builtin(&spec);
    for c in &d.csv {
        if let (Some(t), Some(doc)) = (visible.get(&c.table), visible.doc(&c.table)) {
            catalog.insert_shared(c.table.clone(), t.clone(), doc.clone());
        }
    }
    // The lesson's own files tell the hidden story too: an indicator list that names the
    // visible attacker would find nothing in the hidden tables.
    for w in &d.watchlist {
        if let Some(t) = visible.watchlist(&w.name) {
            catalog.insert_watchlist(w.name.clone(), data::disguise_list(t.as_ref().clone(), spec.variant));
        }
    }
    for x in &d.external {
        if let Some(text) = visible.external(&x.url) {
            catalog.insert_external(x.url.clone(), &data::disguise_text(text, spec.variant));
        }
    }
    Some(catalog)
}

/// The names of the lesson's own CSV tables.
pub fn csv_tables(lesson: &Lesson) -> Vec<String> {
    lesson.dataset.csv.iter().map(|c| c.table.clone()).collect()
}

/// Is a passing answer to step `i` re-checked on the hidden data? `Err` says why not.
pub fn rechecks(lesson: &Lesson, i: usize) -> Result<(), String> {
    lesson.steps[i].rechecks(lesson.dataset.builtin, &csv_tables(lesson))
}
