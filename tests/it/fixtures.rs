//! Shared test data.

use kqlab::table::Catalog;

/// The catalog the conformance cases run against.
pub fn catalog() -> Catalog {
    Catalog::new()
}
