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

/// One stage of a query's pipeline as the pipeline stepper shows it: the source (the table or
/// expression before the first `|`) or an operator, with the rows it produced.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// Where the pipeline this stage belongs to starts (its source's first byte): the rows
    /// after this stage are those of `query[..prelude] + query[from..end]`.
    #[serde(default)]
    pub from: u32,
    /// The end of the statements before the query (`let`s), which a stage's text may use.
    #[serde(default)]
    pub prelude: u32,
    /// Pipelines inside this stage, each with its own stages: a join's or lookup's right
    /// side, each input of a union.
    #[serde(default)]
    pub inner: Vec<Inner>,
}

/// A pipeline inside a stage (a join's right side, a union's input), named for the stepper.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Inner {
    /// "right side", "input 2", ...
    pub label: String,
    pub stages: Vec<Stage>,
}

impl Stage {
    /// The text whose result is the rows after this stage: the statements before the query,
    /// then this stage's pipeline up to the stage's end.
    pub fn prefix<'a>(&self, query: &'a str) -> std::borrow::Cow<'a, str> {
        let (prelude, from, end) = (self.prelude as usize, self.from as usize, self.end as usize);
        match (query.get(..prelude), query.get(from..end)) {
            _ if from == prelude => std::borrow::Cow::Borrowed(query.get(..end).unwrap_or(query)),
            (Some(a), Some(b)) => std::borrow::Cow::Owned(format!("{a}\n{b}")),
            _ => std::borrow::Cow::Borrowed(query),
        }
    }

    /// Every stage, pre-order: each stage, then the stages of its inner pipelines.
    pub fn flatten(stages: &[Stage]) -> Vec<&Stage> {
        let mut out = Vec::new();
        fn go<'a>(stages: &'a [Stage], out: &mut Vec<&'a Stage>) {
            for s in stages {
                out.push(s);
                for i in &s.inner {
                    go(&i.stages, out);
                }
            }
        }
        go(stages, &mut out);
        out
    }
}

/// Runs `query` like [`run`] and also returns the row count after each stage of its main
/// pipeline (the last statement's `T | a | b | …`) and of the pipelines inside it (join right
/// sides, union inputs), counted while the query runs (no re-execution). A query that is not
/// a pipeline has one stage.
pub fn run_staged(query: &str, catalog: &Catalog, opts: &RunOptions) -> Result<(QueryResult, Vec<Stage>), Vec<Diagnostic>> {
    let bound = compile_with(query, catalog, &ExecProbe { clock: opts.clock, limits: opts.limits.clone() })?;
    let cx = ExecCtx::new(opts.clock, opts.limits.clone()).traced();
    let table = exec::execute(&bound.plan, &cx).map_err(|d| vec![d])?;
    let trace = cx.take_trace();
    let total_rows = table.len();
    let mut columns_at: Vec<(crate::diag::Span, usize)> = Vec::new();
    bound.plan.walk(&mut |p| columns_at.push((p.span, p.schema.len())));
    let counts = Counts { trace: &trace, columns: &columns_at, query };
    let script = syntax::parse(query).0;
    let main = script.as_ref().and_then(|s| s.statements.iter().rev().find_map(|st| if let syntax::ast::Statement::Query(q) = st { Some(q) } else { None }));
    let stages = main.map(|q| counts.stages(q, q.span.start)).unwrap_or_default();
    let table = match opts.max_result_rows {
        Some(n) if n < total_rows => table.head(n),
        _ => table,
    };
    Ok((QueryResult { table, render: bound.render, total_rows }, stages))
}

/// What a traced run recorded, to fill in the stages.
struct Counts<'a> {
    trace: &'a [(crate::diag::Span, usize)],
    columns: &'a [(crate::diag::Span, usize)],
    query: &'a str,
}

impl Counts<'_> {
    /// The stages of the pipeline `e` (its source, then each operator), with their inner ones.
    fn stages(&self, e: &syntax::ast::Expr, prelude: u32) -> Vec<Stage> {
        use syntax::ast::{ExprKind, OperatorKind};
        let mut chain = Vec::new();
        let mut cur = e;
        while let ExprKind::Pipe { input, op } = &cur.kind {
            let inner: Vec<(String, &syntax::ast::Expr)> = match &op.kind {
                OperatorKind::Join { right, .. } | OperatorKind::Lookup { right, .. } => vec![("right side".to_string(), right)],
                OperatorKind::Union(u) => u.tables.iter().enumerate().map(|(i, t)| (format!("input {}", i + 2), t)).collect(),
                _ => Vec::new(),
            };
            chain.push((op.span, inner));
            cur = input;
        }
        let source_inner: Vec<(String, &syntax::ast::Expr)> = match &unparen(cur).kind {
            ExprKind::Union(u) => u.tables.iter().enumerate().map(|(i, t)| (format!("input {}", i + 1), t)).collect(),
            _ => Vec::new(),
        };
        chain.push((cur.span, source_inner));
        chain.reverse();
        let from = cur.span.start;
        chain
            .into_iter()
            .map(|(span, inner)| {
                // The outermost node of a stage finishes last among the nodes with its span.
                let rows = self.trace.iter().rev().find(|(s, _)| *s == span).map(|(_, n)| *n);
                let columns = self.columns.iter().find(|(s, _)| *s == span).map(|(_, n)| *n);
                let inner = inner
                    .into_iter()
                    .map(|(label, e)| Inner { label, stages: self.stages(unparen(e), prelude) })
                    // A bare table name inside is one stage that says nothing new.
                    .filter(|i| i.stages.len() > 1)
                    .collect();
                Stage { text: self.query[span.range()].trim().to_string(), start: span.start, end: span.end, rows, columns, from, prelude, inner }
            })
            .collect()
    }
}

fn unparen(e: &syntax::ast::Expr) -> &syntax::ast::Expr {
    match &e.kind {
        syntax::ast::ExprKind::Paren(inner) => unparen(inner),
        _ => e,
    }
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

/// Parses and binds without running anything (see [`bind::bind_unprobed`]): the schema of a
/// pipeline for completion in the page, whose module does not link the executor.
pub fn compile_unprobed(query: &str, catalog: &Catalog) -> Result<bind::BoundQuery, Vec<Diagnostic>> {
    let (script, diags) = syntax::parse(query);
    match script {
        Some(script) if diags.is_empty() => bind::bind_unprobed(&script, catalog),
        _ => Err(diags),
    }
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
