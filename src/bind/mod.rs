//! The binder: syntax tree + catalog → typed [`Plan`].
//!
//! It resolves table, column, `let` and function names; infers and checks types (inserting
//! the implicit numeric widenings Kusto performs); names output columns the way Kusto does;
//! and reports every problem as a [`Diagnostic`] with a span and, where it can, a
//! did-you-mean. Real KQL features kqlab does not implement are rejected by name.
//!
//! Architecture invariant: the binder never reads table *data* (only schemas), except for
//! constant tables built from the query itself (`datatable`, `print`), and it never runs a
//! plan: the two operators whose columns depend on the data (`evaluate bag_unpack()` and
//! `pivot()` without a declared schema) ask the caller's [`Probe`] to run their input.

mod expr;
mod external;
mod extra;
mod graph;
mod more_ops;
mod names;
mod plugins;
mod tabular;

// The plan and its registries live one layer down (`crate::plan`), shared with the executor;
// these re-exports keep the binder's callers' paths (`bind::plan::…`, `bind::functions::…`).
pub use crate::plan::{self, aggregates, functions, parse_op};
pub use crate::plan::{AggCall, BExpr, BKind, JoinKind, ListSource, Node, Plan, Schema, SortSpec};

use crate::diag::{codes, Diagnostic, Span};
use crate::syntax::ast::{self, Expr, FunctionDef, Script, Statement};
use crate::table::FxHashMap as HashMap;
use crate::table::{Catalog, Table};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// A `render` request recorded on the result, for the UI to draw.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RenderSpec {
    /// `timechart`, `columnchart`, `barchart`, `piechart`, `linechart`, `areachart`,
    /// `scatterchart`, `table`, `card`.
    pub visualization: String,
    pub title: Option<String>,
    pub xcolumn: Option<String>,
    pub ycolumns: Vec<String>,
    pub series: Vec<String>,
    pub xtitle: Option<String>,
    pub ytitle: Option<String>,
    /// `default`, `stacked`, `stacked100`, `unstacked`.
    pub kind: Option<String>,
    pub legend_hidden: bool,
}

/// What the binder produced for a whole query.
#[derive(Clone, Debug)]
pub struct BoundQuery {
    pub plan: Plan,
    pub render: Option<RenderSpec>,
}

/// Runs a plan while binding, for the operators whose output columns depend on the data
/// (`evaluate bag_unpack()` and `pivot()` without a declared output schema), as Kusto does.
/// The engine supplies one that runs the executor at the session clock; the binder does not
/// import the executor.
pub trait Probe {
    fn run(&self, plan: &Plan) -> Result<Table, Diagnostic>;
}

/// A name bound by `let` (or a function parameter).
#[derive(Clone, Debug)]
enum Binding {
    Scalar(BExpr),
    Tabular(Plan, bool),
    Function(Rc<FunctionDef>, usize),
}

pub(crate) struct Binder<'a> {
    catalog: &'a Catalog,
    diags: Vec<Diagnostic>,
    scopes: Vec<HashMap<String, Binding>>,
    depth: usize,
    render: Option<RenderSpec>,
    /// Runs the input of plugins whose columns depend on the data; `None` for a check-only
    /// bind.
    probe: Option<&'a dyn Probe>,
    /// A check-only bind met such a plugin: the rest of the query cannot be checked, and
    /// no further diagnostics are reported.
    deferred: bool,
    /// Schemas of the implicit inputs of the `mv-apply` subqueries being bound.
    implicit: Vec<plan::Schema>,
    /// Set while binding a multi-column function through `(a, b) = f(...)`.
    multi_ok: bool,
    /// Expression nodes copied by inlining `let` values and parameters, and function bodies
    /// bound, so far: `let a1 = a0 + a0; let a2 = a1 + a1; ...` doubles at every step, and
    /// these budgets stop it (see [`MAX_INLINED_NODES`], [`MAX_FUNCTION_CALLS`]).
    inlined: usize,
    calls: usize,
    /// The "nested too deeply" error was reported: it is reported once per query, not once
    /// per level it unwinds through.
    too_deep: bool,
    /// Columns and `let` names whose definition failed to bind (an `extend x = <error>`, a
    /// `let T = <error>;`): later "unknown column/name/table" errors about them are
    /// consequences of the first error, not new mistakes, and are not reported.
    poisoned: Vec<String>,
}

/// Most expression nodes a query may copy by inlining `let` values.
const MAX_INLINED_NODES: usize = 1_000_000;
/// Deepest `let` value that may be inlined (the executor evaluates expressions recursively).
const MAX_INLINED_DEPTH: usize = 200;
/// Most function bodies a query may bind (each call of a user function binds its body).
const MAX_FUNCTION_CALLS: usize = 10_000;

/// Deepest nesting of function calls / subqueries the binder follows.
const MAX_BIND_DEPTH: usize = 64;

/// The binder reported at least one diagnostic; recovery happens at statement level.
#[derive(Debug)]
pub(crate) struct Failed;
pub(crate) type BResult<T> = Result<T, Failed>;

/// Binds a parsed script against the catalog. `probe` runs the input of `evaluate
/// bag_unpack()` / `pivot()` without a declared schema (see [`Probe`]).
pub fn bind(script: &Script, catalog: &Catalog, probe: &dyn Probe) -> Result<BoundQuery, Vec<Diagnostic>> {
    bind_with(script, catalog, Some(probe))
}

/// Binds a parsed script without running anything: a plugin whose columns depend on the data
/// ends the bind there (an error with no diagnostic). For callers that need the plan's schema
/// but cannot run the executor (the page's completion: the executor lives in the query worker).
pub fn bind_unprobed(script: &Script, catalog: &Catalog) -> Result<BoundQuery, Vec<Diagnostic>> {
    bind_with(script, catalog, None)
}

/// Checks a parsed script without running anything (an editor's live diagnostics): the same
/// diagnostics as [`bind`], except that a plugin whose columns depend on the data ends the
/// check there without an error, since its columns are known only when the query runs.
pub fn check(script: &Script, catalog: &Catalog) -> Vec<Diagnostic> {
    match bind_with(script, catalog, None) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

fn bind_with(script: &Script, catalog: &Catalog, probe: Option<&dyn Probe>) -> Result<BoundQuery, Vec<Diagnostic>> {
    let mut b = Binder {
        catalog,
        diags: Vec::new(),
        scopes: vec![HashMap::default()],
        depth: 0,
        render: None,
        probe,
        deferred: false,
        implicit: Vec::new(),
        multi_ok: false,
        inlined: 0,
        calls: 0,
        too_deep: false,
        poisoned: Vec::new(),
    };
    let mut result = None;
    let n = script.statements.len();
    for (i, st) in script.statements.iter().enumerate() {
        match st {
            Statement::Let(l) => {
                if b.bind_let(l).is_err() && !b.poisoned.contains(&l.name.name) {
                    // Its error is reported once; later uses of the name are not new mistakes.
                    b.poisoned.push(l.name.name.clone());
                }
            }
            Statement::QueryParameters { params, .. } => b.bind_query_parameters(params),
            Statement::Unsupported { name, text, span } if name == "set" => b.bind_set(text, *span),
            Statement::Unsupported { name, text, span } if name == "declare" && more_ops::is_pattern(text) => b.bind_pattern(text, *span),
            Statement::Unsupported { name, span, .. } => {
                b.diags.push(Diagnostic::semantic(codes::UNSUPPORTED, *span, format!("The '{name}' statement is not supported in kqlab")));
            }
            Statement::Query(q) => {
                if i + 1 != n {
                    // Kusto runs only one query per request; extra ones are a mistake.
                    b.diags.push(
                        Diagnostic::semantic(codes::TRAILING, q.span, "Only one query can run at a time; this one is followed by another")
                            .with_help("Separate statements with ';' only after 'let' statements, or delete the extra query"),
                    );
                    continue;
                }
                b.render = None;
                if let Ok((plan, _)) = b.bind_tabular(q) {
                    result = Some(plan);
                }
            }
        }
    }
    if !b.diags.is_empty() {
        // Binding may find mistakes out of reading order (a summarize checks its 'by' keys
        // before its aggregates); report them as they appear in the query.
        let mut diags = b.diags;
        crate::util::sort::sort_by_key(&mut diags, |d| d.span.start);
        return Err(diags);
    }
    match result {
        Some(plan) => Ok(BoundQuery { plan, render: b.render }),
        // Only a check-only bind defers (see `Binder::deferred`): nothing is wrong so far.
        None if b.deferred => Err(Vec::new()),
        None => Err(vec![Diagnostic::semantic(codes::NO_QUERY, script.span.after(), "The query has only 'let' statements and nothing to run")
            .with_help("End with a query that uses them, for example: let x = 5; UrlClickEvents | take x")]),
    }
}

impl<'a> Binder<'a> {
    pub(crate) fn error(&mut self, d: Diagnostic) -> Failed {
        if self.deferred {
            // Past a step whose columns are unknown without running it: later "mistakes"
            // may be about its columns.
            return Failed;
        }
        let cascade = if d.code == codes::UNKNOWN_COLUMN {
            self.poisoned.iter().any(|n| d.message == format!("Unknown column '{n}'") || d.message == format!("Unknown name '{n}'"))
        } else {
            d.code == codes::UNKNOWN_TABLE && self.poisoned.iter().any(|n| d.message == format!("Unknown table '{n}'"))
        };
        if !cascade {
            self.diags.push(d);
        }
        Failed
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn define(&mut self, name: &str, b: Binding) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), b);
        }
    }

    /// Accounts for inlining a `let` value or parameter (see [`MAX_INLINED_NODES`]).
    pub(crate) fn inline(&mut self, e: &BExpr, span: Span) -> BResult<()> {
        let (nodes, depth) = e.size();
        self.inlined = self.inlined.saturating_add(nodes);
        if depth > MAX_INLINED_DEPTH || self.inlined > MAX_INLINED_NODES {
            return Err(self.error(
                Diagnostic::semantic(codes::LIMIT, span, "This value is built from too many nested 'let' values; kqlab stops expanding it")
                    .with_help("Each use of a 'let' value copies its whole expression; compute it once with toscalar() or simplify the chain"),
            ));
        }
        Ok(())
    }

    fn enter(&mut self, span: Span) -> BResult<()> {
        self.depth += 1;
        if self.depth > MAX_BIND_DEPTH {
            self.depth -= 1;
            if std::mem::replace(&mut self.too_deep, true) {
                return Err(Failed);
            }
            return Err(self.error(Diagnostic::semantic(codes::TOO_DEEP, span, format!("The query is nested too deeply (more than {MAX_BIND_DEPTH} levels of operators, pipeline steps, subqueries or function calls; is a function calling itself?)"))));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// `declare query_parameters(...)`: kqlab has no client to pass values, so each parameter
    /// is its default, converted to the declared type (a `let` of `tolong(default)` ...).
    fn bind_query_parameters(&mut self, params: &[ast::Param]) {
        for p in params {
            let ast::ParamType::Scalar(ty) = &p.ty else { continue };
            let Some(default) = &p.default else {
                self.diags.push(
                    Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        p.name.span,
                        format!("The query parameter '{}' has no default value, and kqlab has no client to pass one", p.name.name),
                    )
                    .with_help(format!("Give it a default: declare query_parameters({}: {} = ...)", p.name.name, ty.name())),
                );
                // The name still exists (as a null), so its uses give no second error.
                let null = ast::Expr { kind: ast::ExprKind::Literal(ast::Literal::TypedNull(*ty)), span: p.name.span };
                let _ = self.bind_let(&ast::LetStmt { name: p.name.clone(), value: ast::LetValue::Expr(null), span: p.name.span });
                continue;
            };
            let convert = extra::convert_name(*ty);
            let span = default.span;
            let value = ast::Expr { kind: ast::ExprKind::Call { name: ast::Ident { name: convert.to_string(), span }, args: vec![default.clone()] }, span };
            let l = ast::LetStmt { name: p.name.clone(), value: ast::LetValue::Expr(value), span: p.name.span.to(span) };
            let _ = self.bind_let(&l);
        }
    }

    fn bind_let(&mut self, l: &ast::LetStmt) -> BResult<()> {
        let binding = match &l.value {
            ast::LetValue::Function(def) => Binding::Function(Rc::new(def.clone()), self.scopes.len()),
            // `let G = Edges | make-graph ...;`: kept as a view and spliced into the pipelines
            // that read it (a graph is never bound on its own, see bind::graph).
            ast::LetValue::Expr(e) if graph::gives_graph(e) => Binding::Function(
                Rc::new(ast::FunctionDef { params: Vec::new(), body: vec![ast::Statement::Query(e.clone())], is_view: true, span: e.span }),
                self.scopes.len(),
            ),
            ast::LetValue::Expr(e) => {
                if self.is_tabular(e) {
                    let (plan, ordered) = self.bind_tabular(e)?;
                    // A `let` table used several times is computed once per run.
                    let plan = tabular::shared(plan);
                    Binding::Tabular(plan, ordered)
                } else {
                    let ctx = expr::RowCtx::none();
                    Binding::Scalar(self.bind_scalar(e, &ctx)?)
                }
            }
        };
        self.define(&l.name.name, binding);
        Ok(())
    }

    /// Does this expression denote a table (as opposed to a scalar)?
    fn is_tabular(&self, e: &Expr) -> bool {
        self.is_tabular_within(e, 0)
    }

    /// [`Binder::is_tabular`] looking through at most [`MAX_BIND_DEPTH`] function bodies: a
    /// function that calls itself (`let f = (x: long) { f(x) }`) has no answer, and binding
    /// it then reports the recursion.
    fn is_tabular_within(&self, e: &Expr, depth: usize) -> bool {
        use ast::ExprKind::*;
        if depth > MAX_BIND_DEPTH {
            return false;
        }
        match &e.kind {
            Pipe { .. } | Datatable { .. } | ExternalData { .. } | Print { .. } | Range { .. } | Union(_) | SearchSource { .. } | Implicit => true,
            Paren(inner) => self.is_tabular_within(inner, depth + 1),
            Name(n) => match self.lookup(&n.name) {
                Some(Binding::Tabular(..)) => true,
                Some(Binding::Scalar(_)) => false,
                Some(Binding::Function(..)) => true,
                None => self.catalog.get(&n.name).is_some() || n.name.contains('*'),
            },
            Call { name, .. } => match self.lookup(&name.name) {
                Some(Binding::Function(def, _)) => def.body.last().is_some_and(|s| match s {
                    Statement::Query(q) => self.is_tabular_in_fn(q, def, depth + 1),
                    _ => false,
                }),
                _ => matches!(name.name.as_str(), "materialize" | "view" | "_GetWatchlist"),
            },
            Unsupported { .. } => true,
            _ => false,
        }
    }

    /// Guess whether a function body's result is tabular (parameters unknown at this point).
    fn is_tabular_in_fn(&self, q: &Expr, def: &FunctionDef, depth: usize) -> bool {
        if let ast::ExprKind::Name(n) = &q.kind {
            if let Some(p) = def.params.iter().find(|p| p.name.name == n.name) {
                return matches!(p.ty, ast::ParamType::Tabular(_));
            }
        }
        self.is_tabular_within(q, depth)
    }

    /// Calls a user-defined function: binds its body with the parameters bound to `args`.
    /// `input` is the piped table for `invoke`.
    fn call_function(
        &mut self,
        def: &FunctionDef,
        scope_depth: usize,
        args: &[Expr],
        input: Option<(Plan, bool)>,
        span: Span,
        ctx: &expr::RowCtx,
    ) -> BResult<FnResult> {
        self.calls += 1;
        if self.calls > MAX_FUNCTION_CALLS {
            return Err(self.error(
                Diagnostic::semantic(
                    codes::LIMIT,
                    span,
                    format!("This query calls its functions more than {MAX_FUNCTION_CALLS} times once expanded; kqlab stops there"),
                )
                .with_help("A function that calls another one several times, which calls another one several times, grows very fast"),
            ));
        }
        self.enter(span)?;
        let r = self.call_function_inner(def, scope_depth, args, input, span, ctx);
        self.leave();
        r
    }

    fn call_function_inner(
        &mut self,
        def: &FunctionDef,
        scope_depth: usize,
        args: &[Expr],
        input: Option<(Plan, bool)>,
        span: Span,
        ctx: &expr::RowCtx,
    ) -> BResult<FnResult> {
        let offset = usize::from(input.is_some());
        let total = args.len() + offset;
        let required = def.params.iter().filter(|p| p.default.is_none()).count();
        if total < required || total > def.params.len() {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!(
                    "This function takes {} argument{}, but {} {} given",
                    def.params.len(),
                    if def.params.len() == 1 { "" } else { "s" },
                    total,
                    if total == 1 { "was" } else { "were" }
                ),
            )));
        }
        let arranged = self.arrange_named_args(def, args, offset)?;
        let mut frame = HashMap::default();
        let mut input = input;
        for (i, p) in def.params.iter().enumerate() {
            let binding = if i < offset {
                let (plan, ordered) = input.take().ok_or(Failed)?;
                Binding::Tabular(plan, ordered)
            } else if let Some(a) = arranged.get(i - offset).copied().flatten() {
                match &p.ty {
                    ast::ParamType::Tabular(_) => {
                        let (plan, ordered) = self.bind_tabular(a)?;
                        Binding::Tabular(plan, ordered)
                    }
                    ast::ParamType::Scalar(t) => {
                        let e = self.bind_scalar(a, ctx)?;
                        let e = self.coerce_to(e, *t, &format!("parameter '{}'", p.name.name))?;
                        Binding::Scalar(more_ops::widen_const(e))
                    }
                }
            } else if let Some(d) = &p.default {
                let e = self.bind_scalar(d, &expr::RowCtx::none())?;
                Binding::Scalar(e)
            } else {
                return Err(Failed);
            };
            frame.insert(p.name.name.clone(), binding);
        }
        // The body sees the scopes that existed where the function was defined, plus its
        // parameters.
        let saved: Vec<_> = self.scopes.drain(scope_depth.min(self.scopes.len())..).collect();
        self.scopes.push(frame);
        let mut result = Err(Failed);
        for (i, st) in def.body.iter().enumerate() {
            match st {
                Statement::Let(l) if self.bind_let(l).is_err() => break,
                Statement::Let(_) => {}
                Statement::Query(q) if i + 1 == def.body.len() => {
                    result = if self.is_tabular(q) {
                        self.bind_tabular(q).map(|(p, o)| FnResult::Tabular(p, o))
                    } else {
                        self.bind_scalar(q, ctx).map(FnResult::Scalar)
                    };
                }
                _ => {}
            }
        }
        self.scopes.pop();
        self.scopes.extend(saved);
        result
    }
}

enum FnResult {
    Scalar(BExpr),
    Tabular(Plan, bool),
}
