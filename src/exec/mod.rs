//! The executor: runs a bound [`Plan`] over in-memory columnar tables.
//!
//! Each operator consumes whole tables and produces a new one. Filters compute a boolean
//! mask, turn it into row indices and `take` only the columns still needed; projections share
//! untouched columns (`Arc`); strings stay dictionary-encoded throughout.
//!
//! Invariants: no wall clock (the session clock comes in [`ExecCtx`]); no browser APIs; every
//! failure is a [`Diagnostic`] pointing at the part of the query that caused it; resource
//! limits end a query with an error instead of exhausting memory.

mod aggregate;
pub mod cast;
mod eval;
mod extra;
mod fns;
mod graph;
mod join;
mod ops;
mod regex_literals;
mod scalar;
mod select;
mod sort;
pub mod strops;
mod val;

pub use eval::eval;
pub use val::Val;

use crate::diag::{codes, thousands, Diagnostic, Span};
use crate::plan::{Aggregate, Filter, GetSchema, Join, Node, Plan, Project, Shared, Sort, Take, Top, Union};
use crate::table::{FxHashMap, Table};
use crate::types::Value;
use crate::util::regex::{compile_regex, regex_error};
use regex_lite::Regex;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// Resource limits that end a runaway query with a clear error (`KQL0502`) instead of
/// exhausting the browser tab's memory or time. RELIABILITY.md lists each with its test.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most rows any operator may produce.
    pub max_rows: usize,
    /// Longest regular expression accepted, in bytes.
    pub max_regex_len: usize,
    /// Most elements one `mv-expand` row or `range` may produce.
    pub max_expand: usize,
    /// Most cells (rows × columns) one operator's output may hold. Only the columns the
    /// operator holds count: not the placeholders of columns no later step reads, and not a
    /// table scan's own columns (the table is already in memory; scanning copies nothing).
    pub max_cells: usize,
    /// Largest string or dynamic value a function may build, in bytes (dynamic values are
    /// measured approximately, as their JSON size).
    pub max_value_bytes: usize,
    /// Most bytes of strings and dynamic values the scalar functions of one query may build
    /// in all: a work and memory budget proportional to the rows times the values' sizes.
    pub max_built_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: MAX_TABLE_ROWS,
            max_regex_len: 4096,
            max_expand: 10_000_000,
            max_cells: 100_000_000,
            max_value_bytes: 32 << 20,
            max_built_bytes: 256 << 20,
        }
    }
}

/// The largest table the app builds (the playground's generated `UrlClickEvents`, its
/// mail tables a little above it): the default row limit, so that scanning or filtering the
/// largest table the playground offers is never refused, while a join or `mv-expand` that
/// multiplies rows past it is.
pub const MAX_TABLE_ROWS: usize = 12_000_000;

/// What a running query can see besides its input tables.
pub struct ExecCtx {
    /// The session clock (`now()`), in ticks.
    pub clock: i64,
    pub limits: Limits,
    regexes: RefCell<FxHashMap<String, Regex>>,
    scalars: RefCell<FxHashMap<usize, Value>>,
    tables: RefCell<FxHashMap<usize, Arc<Table>>>,
    /// The subtables of the `mv-apply` subqueries running now (innermost last).
    implicit: RefCell<Vec<Arc<Table>>>,
    /// Bytes of strings and dynamic values built so far (see [`Limits::max_built_bytes`]).
    built: Cell<usize>,
    /// Set when a function's error is a resource limit, so it is reported as `KQL0502`.
    limit_hit: Cell<bool>,
    /// When tracing ([`ExecCtx::traced`]): every plan node's span and output row count, in the
    /// order the nodes finished (inputs before the nodes that read them).
    trace: Option<RefCell<Vec<(Span, usize)>>>,
}

impl ExecCtx {
    pub fn new(clock: i64, limits: Limits) -> ExecCtx {
        ExecCtx {
            clock,
            limits,
            regexes: RefCell::default(),
            scalars: RefCell::default(),
            tables: RefCell::default(),
            implicit: RefCell::default(),
            built: Cell::new(0),
            limit_hit: Cell::new(false),
            trace: None,
        }
    }

    /// Records each node's output row count as it runs (the pipeline stepper reads them).
    pub fn traced(mut self) -> ExecCtx {
        self.trace = Some(RefCell::default());
        self
    }

    /// Is this run recording each node's rows? (Then adjacent filters run one at a time, so
    /// each `where` has a count of its own.)
    pub fn tracing(&self) -> bool {
        self.trace.is_some()
    }

    /// Records a node's output rows when tracing (a filter chain counts each of its `where`s).
    pub fn record(&self, span: Span, rows: usize) {
        if let Some(t) = &self.trace {
            t.borrow_mut().push((span, rows));
        }
    }

    /// What [`ExecCtx::traced`] recorded: (node span, rows), in finishing order.
    pub fn take_trace(&self) -> Vec<(Span, usize)> {
        self.trace.as_ref().map(|t| std::mem::take(&mut *t.borrow_mut())).unwrap_or_default()
    }

    /// The message of a function error that is a resource limit (reported as `KQL0502`).
    pub fn over_limit(&self, message: String) -> String {
        self.limit_hit.set(true);
        message
    }

    /// The diagnostic code for a function's error: `KQL0502` after [`ExecCtx::over_limit`].
    pub fn error_code(&self) -> &'static str {
        if self.limit_hit.replace(false) {
            codes::LIMIT
        } else {
            codes::RUNTIME
        }
    }

    /// Checks that a value of `bytes` may be built (see [`Limits::max_value_bytes`]); the
    /// message explains the limit.
    pub fn check_value_size(&self, bytes: usize, what: &str) -> Result<(), String> {
        if bytes > self.limits.max_value_bytes {
            return Err(self.over_limit(format!(
                "{what} would build a value of {} bytes; kqlab stops at {} bytes per value",
                thousands(bytes),
                thousands(self.limits.max_value_bytes)
            )));
        }
        Ok(())
    }

    /// Counts a value a function built against [`Limits::max_value_bytes`] and
    /// [`Limits::max_built_bytes`]. Numbers, bools and dates are free (bounded by the rows).
    pub fn charge(&self, v: &Value, span: Span) -> Result<(), Diagnostic> {
        let bytes = match v {
            Value::String(s) => s.len(),
            Value::Dynamic(d) => approx_bytes(d, self.limits.max_value_bytes),
            _ => return Ok(()),
        };
        if bytes > self.limits.max_value_bytes {
            return Err(Diagnostic::runtime(
                codes::LIMIT,
                span,
                format!(
                    "This builds a value of more than {} bytes; kqlab stops at {} bytes per value",
                    thousands(bytes),
                    thousands(self.limits.max_value_bytes)
                ),
            ));
        }
        let total = self.built.get().saturating_add(bytes);
        self.built.set(total);
        if total > self.limits.max_built_bytes {
            return Err(Diagnostic::runtime(
                codes::LIMIT,
                span,
                format!(
                    "This query builds more than {} MiB of strings and dynamic values; kqlab stops there to keep your browser responsive",
                    self.limits.max_built_bytes >> 20
                ),
            )
            .with_help("Filter or summarize before building large strings or arrays for every row"));
        }
        Ok(())
    }

    /// Checks the cells (rows × columns) an operator is about to build.
    pub fn check_cells(&self, rows: usize, columns: usize, span: Span) -> Result<(), Diagnostic> {
        // In u64: on wasm32 a usize product would saturate at 4,294,967,295.
        let cells = (rows as u64).saturating_mul(columns.max(1) as u64);
        if cells > self.limits.max_cells as u64 {
            return Err(Diagnostic::runtime(
                codes::LIMIT,
                span,
                format!(
                    "This step would hold {} cells ({} rows × {} columns); kqlab stops at {} to keep your browser responsive",
                    crate::diag::thousands_u64(cells),
                    thousands(rows),
                    thousands(columns),
                    thousands(self.limits.max_cells)
                ),
            )
            .with_help("Project only the columns you need, or filter earlier"));
        }
        Ok(())
    }

    /// A compiled regex, cached per query.
    pub fn regex(&self, pattern: &str, span: Span) -> Result<Regex, Diagnostic> {
        self.regex_str(pattern).map_err(|m| Diagnostic::runtime(self.error_code(), span, m))
    }

    pub fn regex_str(&self, pattern: &str) -> Result<Regex, String> {
        if let Some(r) = self.regexes.borrow().get(pattern) {
            return Ok(r.clone());
        }
        if pattern.len() > self.limits.max_regex_len {
            return Err(self.over_limit(format!("The regular expression is {} bytes long; the limit is {}", pattern.len(), self.limits.max_regex_len)));
        }
        let r = compile_regex(pattern).map_err(|e| match regex_error(&e) {
            (codes::LIMIT, m) => self.over_limit(m),
            (_, m) => m,
        })?;
        self.regexes.borrow_mut().insert(pattern.to_string(), r.clone());
        Ok(r)
    }

    /// Runs a subquery once per query and returns its first cell (`toscalar`).
    pub fn scalar_subquery(&self, plan: &Rc<Plan>) -> Result<Value, Diagnostic> {
        let key = Rc::as_ptr(plan) as usize;
        if let Some(v) = self.scalars.borrow().get(&key) {
            return Ok(v.clone());
        }
        let t = self.run_shared(plan)?;
        let v = if t.is_empty() || t.columns.is_empty() { Value::Null } else { t.value(0, 0) };
        self.scalars.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    /// Runs a subquery once per query (`in (T | ...)`).
    pub fn run_shared(&self, plan: &Rc<Plan>) -> Result<Arc<Table>, Diagnostic> {
        let key = Rc::as_ptr(plan) as usize;
        if let Some(t) = self.tables.borrow().get(&key) {
            return Ok(t.clone());
        }
        let t = Arc::new(execute(plan, self)?);
        self.tables.borrow_mut().insert(key, t.clone());
        Ok(t)
    }

    fn check_rows(&self, n: usize, span: Span, what: &str) -> Result<(), Diagnostic> {
        if n > self.limits.max_rows {
            return Err(Diagnostic::runtime(
                codes::LIMIT,
                span,
                format!("{what} would produce {} rows; kqlab stops at {} to keep your browser responsive", thousands(n), thousands(self.limits.max_rows)),
            )
            .with_help("Filter earlier, or summarize instead of listing every row"));
        }
        Ok(())
    }
}

/// The approximate memory a dynamic value takes (16 bytes a slot, plus string texts), counting
/// no further than `cap`.
pub fn approx_bytes(d: &crate::types::Dynamic, cap: usize) -> usize {
    use crate::types::Dynamic;
    fn walk(d: &Dynamic, total: &mut usize, cap: usize) {
        if *total > cap {
            return;
        }
        match d {
            Dynamic::String(s) => *total += s.len() + 16,
            Dynamic::Array(items) => {
                *total += 16 + 16 * items.len();
                for x in items.iter() {
                    walk(x, total, cap);
                }
            }
            Dynamic::Object(items) => {
                *total += 16 + 32 * items.len();
                for (k, x) in items.iter() {
                    *total += k.len();
                    walk(x, total, cap);
                }
            }
            _ => *total += 16,
        }
    }
    let mut total = 0;
    walk(d, &mut total, cap);
    total
}

/// Runs a plan and returns its result table.
pub fn execute(plan: &Plan, cx: &ExecCtx) -> Result<Table, Diagnostic> {
    run(plan, cx, None)
}

/// The checks and the trace record every step's output gets: `rows` rows of `width` columns.
fn check_step(cx: &ExecCtx, plan: &Plan, rows: usize, width: usize) -> Result<(), Diagnostic> {
    cx.check_rows(rows, plan.span, "This step")?;
    cx.check_cells(rows, width, plan.span)?;
    cx.record(plan.span, rows);
    Ok(())
}

/// Runs a plan whose consumer reads only the output columns marked in `need` (`None`: all).
///
/// Column pruning: a column no later step reads may come back as a
/// [`Column::placeholder`](crate::table::Column::placeholder) (of the right type, without
/// rows; see [`Table::with_placeholders`]), so filters, sorts and joins copy only what is used. `need` only ever shrinks along plan
/// nodes whose column use is known (filter, project, summarize, sort, top, take, join);
/// every other node asks its input for all columns, and [`execute`] for all of its own.
fn run(plan: &Plan, cx: &ExecCtx, need: Option<&[bool]>) -> Result<Table, Diagnostic> {
    let all_of = |p: &Plan| vec![true; p.schema.len()];
    let out = match &plan.node {
        Node::Scan(t) => (**t).clone(),
        Node::Range(n) => ops::range(plan, n, cx)?,
        Node::Filter(Filter { .. }) => select::filter_node(plan, cx, need)?,
        Node::Project(Project { input, exprs }) => {
            // Plain column references that nobody reads need not be computed; everything
            // else is evaluated (it might fail, and failures must not depend on use).
            let mut need_in = vec![false; input.schema.len()];
            let mut kept = Vec::with_capacity(exprs.len());
            for (k, e) in exprs.iter().enumerate() {
                let used = need.is_none_or(|n| n.get(k).copied().unwrap_or(true)) || e.as_column().is_none();
                if used {
                    select::expr_columns(e, &mut need_in);
                }
                kept.push(used);
            }
            let t = run(input, cx, Some(&need_in))?;
            cx.check_cells(t.len(), kept.iter().filter(|&&k| k).count(), plan.span)?;
            ops::project(&t, exprs, &kept, &plan.schema, cx)?
        }
        Node::Aggregate(Aggregate { input, keys, aggs }) => {
            let mut need_in = vec![false; input.schema.len()];
            keys.iter().for_each(|k| select::expr_columns(k, &mut need_in));
            aggs.iter().flat_map(|a| &a.args).for_each(|e| select::expr_columns(e, &mut need_in));
            if matches!(input.node, Node::Filter(_)) {
                // The filter's rows are passed on as a list, not copied out (a binned key
                // reads its column through the list); the filter's own checks still apply.
                let (t, rows) = select::filter_rows(input, cx, Some(&need_in))?;
                // The columns the filter's output would hold (the others stay placeholders).
                let held = need_in.iter().filter(|&&n| n).count();
                match rows {
                    Some(rows) if rows.len() < t.len() => {
                        check_step(cx, input, rows.len(), held)?;
                        aggregate::aggregate_selected(&t, &rows, &need_in, keys, aggs, &plan.schema, cx)?
                    }
                    _ => {
                        check_step(cx, input, t.len(), held)?;
                        aggregate::aggregate(&t, keys, aggs, &plan.schema, cx)?
                    }
                }
            } else {
                let t = run(input, cx, Some(&need_in))?;
                aggregate::aggregate(&t, keys, aggs, &plan.schema, cx)?
            }
        }
        Node::Sort(Sort { input, keys }) => {
            let mut need_in = need.map_or_else(|| all_of(input), |n| n.to_vec());
            keys.iter().for_each(|k| select::expr_columns(&k.expr, &mut need_in));
            let t = run(input, cx, Some(&need_in))?;
            sort::sort(&t, keys, None, need, cx)?
        }
        Node::Top(Top { input, count, keys }) => {
            let mut need_in = need.map_or_else(|| all_of(input), |n| n.to_vec());
            keys.iter().for_each(|k| select::expr_columns(&k.expr, &mut need_in));
            let t = run(input, cx, Some(&need_in))?;
            let n = ops::count_value(count, cx)?;
            sort::sort(&t, keys, Some(n), need, cx)?
        }
        Node::Take(Take { input, count }) => {
            let t = run(input, cx, need)?;
            let n = ops::count_value(count, cx)?;
            t.head(n)
        }
        Node::Union(Union { inputs, source, columns }) => {
            let tables: Vec<Table> = inputs.iter().map(|p| execute(p, cx)).collect::<Result<_, _>>()?;
            ops::union(&tables, source.as_deref(), columns, &plan.schema, plan.span, cx)?
        }
        Node::Join(n) => {
            let Join { left, right, left_keys, right_keys, output, .. } = n;
            let mut need_l = vec![false; left.schema.len()];
            let mut need_r = vec![false; right.schema.len()];
            left_keys.iter().for_each(|&k| need_l[k] = true);
            right_keys.iter().for_each(|&k| need_r[k] = true);
            let mut out_need = Vec::with_capacity(output.len());
            for (k, &(from_right, c)) in output.iter().enumerate() {
                let used = need.is_none_or(|n| n.get(k).copied().unwrap_or(true));
                if used {
                    if from_right {
                        need_r[c] = true;
                    } else {
                        need_l[c] = true;
                    }
                }
                out_need.push(used);
            }
            let l = run(left, cx, Some(&need_l))?;
            let r = run(right, cx, Some(&need_r))?;
            join::join(&l, &r, n, &out_need, &plan.schema, plan.span, cx)?
        }
        Node::MvExpand(n) => {
            let t = execute(&n.input, cx)?;
            ops::mv_expand(&t, &n.expand, &plan.schema, plan.span, cx)?
        }
        Node::Parse(n) => {
            let t = execute(&n.input, cx)?;
            ops::parse(&t, n, &plan.schema, cx)?
        }
        Node::Shared(Shared { input, cache }) => {
            if let Some(t) = cache.cell.borrow().as_ref() {
                return Ok((**t).clone());
            }
            let t = Arc::new(execute(input, cx)?);
            *cache.cell.borrow_mut() = Some(t.clone());
            (*t).clone()
        }
        Node::GetSchema(GetSchema { input }) => ops::get_schema(&input.schema),
        Node::Implicit => match cx.implicit.borrow().last() {
            Some(t) => (**t).clone(),
            None => return Err(Diagnostic::runtime(codes::RUNTIME, plan.span, "This operator has no input table")),
        },
        Node::MakeSeries(m) => extra::make_series(m, &plan.schema, plan.span, cx)?,
        Node::MvApply(n) => {
            let t = execute(&n.input, cx)?;
            extra::mv_apply(&t, n, &plan.schema, plan.span, cx)?
        }
        Node::BagUnpack(n) => {
            let t = execute(&n.input, cx)?;
            cx.check_cells(t.len(), plan.schema.len(), plan.span)?;
            extra::bag_unpack(&t, n, &plan.schema)
        }
        Node::Pivot(n) => {
            let t = execute(&n.input, cx)?;
            extra::pivot(&t, n, &plan.schema, cx)?
        }
        Node::TopNested(n) => {
            let t = execute(&n.input, cx)?;
            extra::top_nested(&t, &n.levels, &plan.schema, cx)?
        }
        Node::ParseKv(n) => {
            let t = execute(&n.input, cx)?;
            extra::parse_kv(&t, n, &plan.schema, cx)?
        }
        // In a function of their own: this one recurses once per plan level, so its frame
        // stays small.
        Node::StepScan(_) | Node::Partition(_) | Node::Sample(_) => extra::run_rare(plan, cx)?,
        Node::Graph(g) => graph::run(g, &plan.schema, plan.span, cx)?,
    };
    // A scan hands on the stored table's columns without copying them: no cells to count.
    if matches!(plan.node, Node::Scan(_)) {
        cx.check_rows(out.len(), plan.span, "This step")?;
        cx.record(plan.span, out.len());
    } else {
        check_step(cx, plan, out.len(), out.materialised_columns())?;
    }
    // Keep the binder's names (the executor builds columns by position).
    let mut out = out;
    if out.fields.len() == plan.schema.len() {
        for (f, s) in out.fields.iter_mut().zip(plan.schema.iter()) {
            f.name.clone_from(&s.name);
        }
    }
    Ok(out)
}
