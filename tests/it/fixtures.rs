//! Shared test data.

use kqlab::table::{read_csv, Catalog, CsvOptions, TableDoc};

/// The catalog the conformance cases run against: a hand-made 12-row `UrlClickEvents`
/// (tests/fixtures/UrlClickEvents.csv) whose query results are worked out by hand in
/// tests/cases/seeds.kqltest.
pub fn catalog() -> Catalog {
    let mut c = Catalog::new();
    let text = include_str!("../fixtures/UrlClickEvents.csv");
    let (t, warnings) = read_csv(text, &CsvOptions::default()).expect("fixture reads");
    assert!(warnings.is_empty());
    c.insert("UrlClickEvents", t, TableDoc::default());
    c
}
