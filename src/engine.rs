//! The engine's front door: query text in, result table (or diagnostics) out.
//!
//! ```
//! use kqlab::{engine, table::Catalog};
//! let out = engine::run("print x = 1 + 1", &Catalog::new(), &engine::RunOptions::default()).unwrap();
//! assert_eq!(out.table.value(0, 0), kqlab::types::Value::Long(2));
//! ```

use crate::bind::{self, Probe, RenderSpec};
use crate::diag::Diagnostic;
/// The engine's resource limits (part of [`RunOptions`]), re-exported so callers above the
/// engine need not reach into the executor.
pub use crate::exec::Limits;
use crate::exec::{self, ExecCtx};
use crate::plan::Plan;
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
    let bound = compile_with(query, catalog, &ExecProbe { clock: opts.clock, limits: opts.limits.clone() })?;
    let table = execute(&bound.plan, opts)?;
    let total_rows = table.len();
    let table = match opts.max_result_rows {
        Some(n) if n < total_rows => table.head(n),
        _ => table,
    };
    Ok(QueryResult { table, render: bound.render, total_rows })
}

/// One stage of the query's main pipeline as the pipeline stepper shows it: the source (the
/// table or expression before the first `|`) or an operator, with the rows it produced.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stage {
    /// The stage's text as written (an operator without its `|`).
    pub text: String,
    /// Byte range of that text in the query.
    pub start: u32,
    pub end: u32,
    /// Rows out of this stage; `None` when the engine ran it together with a neighbour (a
    /// `sort` followed by `take` runs as one `top`), so no count of its own exists.
    pub rows: Option<usize>,
    /// Columns out of this stage (when known).
    pub columns: Option<usize>,
}

/// Runs `query` like [`run`] and also returns the row count after each stage of its main
/// pipeline (the last statement's `T | a | b | …`), counted while the query runs (no
/// re-execution). A query that is not a pipeline has one stage.
pub fn run_staged(query: &str, catalog: &Catalog, opts: &RunOptions) -> Result<(QueryResult, Vec<Stage>), Vec<Diagnostic>> {
    let bound = compile_with(query, catalog, &ExecProbe { clock: opts.clock, limits: opts.limits.clone() })?;
    let cx = ExecCtx::new(opts.clock, opts.limits.clone()).traced();
    let table = exec::execute(&bound.plan, &cx).map_err(|d| vec![d])?;
    let trace = cx.take_trace();
    let total_rows = table.len();
    let mut columns_at: Vec<(crate::diag::Span, usize)> = Vec::new();
    bound.plan.walk(&mut |p| columns_at.push((p.span, p.schema.len())));
    let stages = pipeline_spans(query)
        .into_iter()
        .map(|span| {
            // The outermost node of a stage finishes last among the nodes with its span.
            let rows = trace.iter().rev().find(|(s, _)| *s == span).map(|(_, n)| *n);
            let columns = columns_at.iter().find(|(s, _)| *s == span).map(|(_, n)| *n);
            Stage { text: query[span.range()].trim().to_string(), start: span.start, end: span.end, rows, columns }
        })
        .collect();
    let table = match opts.max_result_rows {
        Some(n) if n < total_rows => table.head(n),
        _ => table,
    };
    Ok((QueryResult { table, render: bound.render, total_rows }, stages))
}

/// The spans of the main pipeline's stages: its source, then each operator.
fn pipeline_spans(query: &str) -> Vec<crate::diag::Span> {
    use syntax::ast::{ExprKind, Statement};
    let (Some(script), _) = syntax::parse(query) else { return Vec::new() };
    let Some(Statement::Query(q)) = script.statements.iter().rev().find(|s| matches!(s, Statement::Query(_))) else { return Vec::new() };
    let mut spans = Vec::new();
    let mut cur = q;
    while let ExprKind::Pipe { input, op } = &cur.kind {
        spans.push(op.span);
        cur = input;
    }
    spans.push(cur.span);
    spans.reverse();
    spans
}

/// Runs a plan from [`compile`] (or one derived from it, as the lesson checker does to see
/// every row a `top` could pick) with the options' clock and limits. All rows are returned.
pub fn execute(plan: &Plan, opts: &RunOptions) -> Result<Table, Vec<Diagnostic>> {
    exec::execute(plan, &ExecCtx::new(opts.clock, opts.limits.clone())).map_err(|d| vec![d])
}

/// Parses and binds without running anything: the diagnostics an editor shows as you type.
/// A query with `evaluate bag_unpack()` or `pivot()` (whose columns depend on the data) is
/// checked up to that step; the rest is checked when it runs. `_clock` has no effect, since a
/// check runs nothing; it is kept so a check and a run take the same arguments.
pub fn check(query: &str, catalog: &Catalog, _clock: i64) -> Vec<Diagnostic> {
    let (script, diags) = syntax::parse(query);
    match script {
        Some(script) if diags.is_empty() => bind::check(&script, catalog),
        _ => diags,
    }
}

/// Parses and binds (running the input of `evaluate bag_unpack()` / `pivot()` when their
/// columns depend on the data, with default limits).
pub fn compile(query: &str, catalog: &Catalog, clock: i64) -> Result<bind::BoundQuery, Vec<Diagnostic>> {
    compile_with(query, catalog, &ExecProbe { clock, limits: Limits::default() })
}

fn compile_with(query: &str, catalog: &Catalog, probe: &ExecProbe) -> Result<bind::BoundQuery, Vec<Diagnostic>> {
    let (script, diags) = syntax::parse(query);
    if !diags.is_empty() {
        return Err(diags);
    }
    let Some(script) = script else { return Err(diags) };
    bind::bind(&script, catalog, probe)
}

/// The binder's [`Probe`]: runs a plan with the executor at the session clock.
struct ExecProbe {
    clock: i64,
    limits: Limits,
}

impl Probe for ExecProbe {
    fn run(&self, plan: &Plan) -> Result<Table, Diagnostic> {
        exec::execute(plan, &ExecCtx::new(self.clock, self.limits.clone()))
    }
}
