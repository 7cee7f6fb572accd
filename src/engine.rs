//! The engine's front door: query text in, result table (or diagnostics) out.
//!
//! ```
//! use kqlab::{engine, table::Catalog};
//! let out = engine::run("print x = 1 + 1", &Catalog::new(), &engine::RunOptions::default()).unwrap();
//! assert_eq!(out.table.value(0, 0), kqlab::types::Value::Long(2));
//! ```

use crate::bind::{self, RenderSpec};
use crate::diag::Diagnostic;
use crate::exec::{self, ExecCtx, Limits};
use crate::syntax;
use crate::table::{Catalog, Table};

/// How to run a query.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// The session clock: what `now()` returns, in ticks since 1970 (see `types::time`).
    pub clock: i64,
    pub limits: Limits,
    /// Keep at most this many result rows (the rest are counted, not returned).
    pub max_result_rows: Option<usize>,
}

impl RunOptions {
    pub fn at(clock: i64) -> RunOptions {
        RunOptions { clock, ..Default::default() }
    }
}

/// A successful run.
#[derive(Clone, Debug)]
pub struct QueryResult {
    pub table: Table,
    /// The chart the query asked for with `render`, if any.
    pub render: Option<RenderSpec>,
    /// Rows the query produced before truncation.
    pub total_rows: usize,
}

impl QueryResult {
    pub fn truncated(&self) -> bool {
        self.total_rows > self.table.len()
    }
}

/// Parses, binds and runs `query` against `catalog`.
pub fn run(query: &str, catalog: &Catalog, opts: &RunOptions) -> Result<QueryResult, Vec<Diagnostic>> {
    let bound = compile(query, catalog, opts.clock)?;
    let cx = ExecCtx::new(opts.clock, opts.limits.clone());
    let table = exec::execute(&bound.plan, &cx).map_err(|d| vec![d])?;
    let total_rows = table.len();
    let table = match opts.max_result_rows {
        Some(n) if n < total_rows => table.head(n),
        _ => table,
    };
    Ok(QueryResult { table, render: bound.render, total_rows })
}

/// Parses and binds without running: the diagnostics an editor shows as you type.
pub fn check(query: &str, catalog: &Catalog, clock: i64) -> Vec<Diagnostic> {
    match compile(query, catalog, clock) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

/// Parses and binds.
pub fn compile(query: &str, catalog: &Catalog, clock: i64) -> Result<bind::BoundQuery, Vec<Diagnostic>> {
    let (script, diags) = syntax::parse(query);
    if !diags.is_empty() {
        return Err(diags);
    }
    let Some(script) = script else { return Err(diags) };
    bind::bind(&script, catalog, clock)
}
