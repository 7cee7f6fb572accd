//! Binding of the less common tabular operators: `search`, `make-series`, `mv-apply`,
//! `evaluate` plugins (`bag_unpack`, `pivot`), `top-nested` and `parse-kv`.
//!
//! `bag_unpack` and `pivot` without a declared output schema have a schema that depends on
//! the data (Kusto runs the input to find it, and so do we): their input is run once at bind
//! time through the [`Probe`](super::Probe) the caller supplied, and the result is kept for
//! the run. The binder itself never runs anything; without a probe (a check-only bind) it
//! stops checking at that step.

use super::expr::{AggScope, RowCtx};
use super::names::{derived_name, Namer};
use super::tabular::{convert_const, fields_of, param_word, plan, shared};
use super::{BResult, Binder, Failed};
use crate::diag::{codes, did_you_mean, Diagnostic, Span};
use crate::plan::aggregates::AggFn;
use crate::plan::StrOp;
use crate::plan::{AggCall, BExpr, BKind, MakeSeries, Node, ParseKvOptions, Plan, TopNestedLevel};
use crate::plan::{BagUnpack, Expansion, Filter, MvApply, ParseKv, Partition, Pivot, ScanOutput, ScanStepPlan, Shared, StepScan, TopNested};
use crate::syntax::ast::{self, Expr, ExprKind, Literal, MakeSeriesSpec, NamedExpr, OpParam, OutputSchema, SortDir};
use crate::table::{Field, Table};
use crate::types::{DataType, Dynamic, Value};
use std::cell::RefCell;
use std::sync::Arc;

/// Most columns `bag_unpack` and `pivot` may create.
const MAX_PLUGIN_COLUMNS: usize = 2000;

/// Plugins of `evaluate` that exist in Kusto but not in kqlab, with the reason.
fn unsupported_plugin(name: &str) -> Option<&'static str> {
    Some(match name {
        "python" | "r" => "it runs code in a sandbox on the Kusto cluster",
        "sql_request"
        | "cosmosdb_sql_request"
        | "mysql_request"
        | "postgresql_request"
        | "azure_digital_twins_query_request"
        | "http_request"
        | "http_request_post" => "it queries an external service, and kqlab runs offline in your browser",
        "autocluster"
        | "basket"
        | "diffpatterns"
        | "diffpatterns_text"
        | "funnel_sequence"
        | "funnel_sequence_completion"
        | "activity_engagement"
        | "activity_metrics"
        | "new_activity_metrics"
        | "session_count"
        | "sequence_detect"
        | "narrow"
        | "infer_storage_schema"
        | "preview" => "kqlab does not implement this plugin yet",
        _ => return None,
    })
}

fn type_of_dynamic(d: &Dynamic) -> Option<DataType> {
    Some(match d {
        Dynamic::Null => return None,
        Dynamic::Bool(_) => DataType::Bool,
        Dynamic::Long(_) => DataType::Long,
        Dynamic::Real(_) => DataType::Real,
        Dynamic::String(_) => DataType::String,
        Dynamic::DateTime(_) => DataType::DateTime,
        Dynamic::TimeSpan(_) => DataType::TimeSpan,
        Dynamic::Array(_) | Dynamic::Object(_) => DataType::Dynamic,
    })
}

impl Binder<'_> {
    /// Runs a plan now through the caller's probe (for plugins whose output schema depends on
    /// the data) and returns the plan rewritten to read the computed table. A check-only bind
    /// has no probe: the step's columns are unknown until the query runs, so binding stops
    /// here without an error and later mistakes are not reported (they might be about columns
    /// the step would create).
    pub(crate) fn run_now(&mut self, input: Plan, span: Span) -> BResult<(Plan, Arc<Table>)> {
        let Some(probe) = self.probe else {
            self.deferred = true;
            return Err(Failed);
        };
        let p = shared(input);
        match probe.run(&p) {
            Ok(t) => {
                let t = Arc::new(t);
                if let Node::Shared(Shared { cache, .. }) = &p.node {
                    *cache.cell.borrow_mut() = Some(t.clone());
                }
                Ok((p, t))
            }
            Err(mut d) => {
                if d.span.is_empty() {
                    d.span = span;
                }
                Err(self.error(d))
            }
        }
    }

    // ---- scan, partition ----

    /// `scan`: the conditions and assignments see the record's columns (declared ones at
    /// their defaults) and, as `Step.Column`, the columns of each step's record in the state.
    pub(crate) fn bind_scan(&mut self, input: Plan, spec: &ast::ScanSpec, span: Span) -> BResult<(Plan, bool)> {
        let mut fields = fields_of(&input);
        let w = fields.len();
        let mut defaults = Vec::new();
        for d in &spec.declare {
            if fields.iter().any(|f| f.name == d.name.name) {
                return Err(self.error(Diagnostic::semantic(
                    codes::EXPECTED,
                    d.name.span,
                    format!("scan declares '{}', but the input already has a column of that name", d.name.name),
                )));
            }
            let v = match &d.default {
                None => Value::Null,
                Some(e) => {
                    let b = self.bind_scalar(e, &RowCtx::none())?;
                    let b = self.coerce_to(b, d.ty, &format!("the default of '{}'", d.name.name))?;
                    let c = match &b.kind {
                        BKind::Const(x) => convert_const(x, d.ty),
                        BKind::Cast(inner) => inner.as_const().and_then(|x| convert_const(x, d.ty)),
                        _ => None,
                    };
                    let Some(c) = c else {
                        return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, e.span, "A declared column's default must be a constant")));
                    };
                    c
                }
            };
            fields.push(Field::new(&d.name.name, d.ty));
            defaults.push(v);
        }
        let names: Vec<String> = spec.steps.iter().map(|s| s.name.name.clone()).collect();
        for (i, s) in spec.steps.iter().enumerate() {
            if names[..i].contains(&s.name.name) || fields.iter().any(|f| f.name == s.name.name) {
                return Err(self.error(Diagnostic::semantic(
                    codes::EXPECTED,
                    s.name.span,
                    format!("The step name '{}' is used twice (step names must differ from each other and from the columns)", s.name.name),
                )));
            }
        }
        let mut vfields = fields.clone();
        for n in &names {
            vfields.extend(fields.iter().map(|f| Field::new(format!("{n}.{}", f.name), f.ty)));
        }
        let ctx = RowCtx { schema: &vfields, agg: None, ordered: true };
        let mut steps = Vec::new();
        for s in &spec.steps {
            let output = match s.output.as_ref().map(|o| o.name.as_str()) {
                None | Some("all") => ScanOutput::All,
                Some("last") => ScanOutput::Last,
                Some("none") => ScanOutput::None,
                Some(other) => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::EXPECTED,
                        s.output.as_ref().map_or(span, |o| o.span),
                        format!("'{other}' is not a scan output mode; write output=all, output=last or output=none"),
                    )))
                }
            };
            let cond = self.bind_scalar(&step_refs(&s.condition, &names), &ctx)?;
            let condition = self.need_bool(cond, "the step's condition")?;
            let mut assign = Vec::new();
            for (col, e) in &s.assign {
                let Some(d) = spec.declare.iter().position(|d| d.name.name == col.name) else {
                    return Err(self.error(
                        Diagnostic::semantic(
                            codes::EXPECTED,
                            col.span,
                            format!("'{}' is not a declared column; a step can assign only the columns in declare (...)", col.name),
                        )
                        .with_help(format!("Add it: declare ({}: long)", col.name)),
                    ));
                };
                let b = self.bind_scalar(&step_refs(e, &names), &ctx)?;
                let b = self.coerce_to(b, fields[w + d].ty, &format!("the value of '{}'", col.name))?;
                assign.push((d, b));
            }
            steps.push(ScanStepPlan { name: s.name.name.clone(), output, condition, assign });
        }
        if let Some(m) = &spec.match_id {
            fields.push(Field::new(&m.name, DataType::Long));
        }
        let node = StepScan { input: Box::new(input), defaults, steps, match_id: spec.match_id.is_some() };
        Ok((plan(Node::StepScan(node), fields, span), true))
    }

    /// `partition by Col (subquery)`: the subquery is bound with the input's columns as its
    /// implicit input.
    pub(crate) fn bind_partition(&mut self, input: Plan, params: &[OpParam], by: &ast::Ident, subquery: &Expr, span: Span) -> BResult<(Plan, bool)> {
        for p in params {
            if !p.name.name.starts_with("hint.") {
                return Err(self.error(Diagnostic::semantic(
                    codes::UNSUPPORTED,
                    p.span,
                    format!("The partition parameter '{}' is not supported", p.name.name),
                )));
            }
        }
        let schema = input.schema.clone();
        let Some(key) = schema.iter().position(|f| f.name == by.name) else {
            let help = did_you_mean(&by.name, schema.iter().map(|f| f.name.as_str())).map(|s| format!("Did you mean '{s}'?"));
            return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, by.span, format!("Unknown column '{}'", by.name)).maybe_help(help)));
        };
        self.implicit.push(schema.clone());
        let sub = self.bind_tabular(subquery);
        self.implicit.pop();
        let (sub, _) = sub?;
        let fields = fields_of(&sub);
        Ok((plan(Node::Partition(Partition { input: Box::new(input), key, sub: Box::new(sub) }), fields, span), false))
    }

    // ---- search ----

    /// The tables `search` and `find` read: those named after `in` (each must exist), or every
    /// table of the catalog in name order.
    fn source_tables(&mut self, tables: &[ast::Ident]) -> BResult<Vec<String>> {
        if tables.is_empty() {
            let mut names: Vec<String> = self.catalog.names().map(|s| s.to_string()).collect();
            crate::util::sort::sort(&mut names);
            return Ok(names);
        }
        let mut names = Vec::with_capacity(tables.len());
        for t in tables {
            if self.catalog.get(&t.name).is_none() {
                let help = did_you_mean(&t.name, self.catalog.names()).map(|s| format!("Did you mean '{s}'?"));
                return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_TABLE, t.span, format!("Unknown table '{}'", t.name)).maybe_help(help)));
            }
            names.push(t.name.clone());
        }
        Ok(names)
    }

    /// `search [kind=...] [in (T1, T2)] predicate` at the start of a query: the union of the
    /// tables (all of them without `in`) with a `$table` column, filtered.
    pub(crate) fn bind_search_source(&mut self, params: &[OpParam], tables: &[ast::Ident], predicate: &Expr, span: Span) -> BResult<(Plan, bool)> {
        let names = self.source_tables(tables)?;
        let mut inputs = Vec::new();
        for n in &names {
            let t = self.catalog.get(n).cloned().ok_or(Failed)?;
            let f = t.fields.clone();
            inputs.push(plan(Node::Scan(t), f, span));
        }
        let source = ast::OpParam {
            name: ast::Ident { name: "withsource".into(), span },
            value: Expr { kind: ExprKind::Name(ast::Ident { name: "$table".into(), span }), span },
            span,
        };
        let (u, _) = self.bind_union_public(inputs, names, &[source], span)?;
        self.bind_search_filter(u, false, params, predicate, span)
    }

    /// `find`: each table whose columns the predicate can use is filtered by it (a table that
    /// lacks a column the predicate names is left out, as the find page says), then shaped to
    /// the output: with `project-smart` (the default) the columns the predicate names and the
    /// columns every such table shares, and the rest of each row packed into `pack_`; with
    /// `project a, b: long [, pack_all()]` the listed columns (null where a table lacks one)
    /// and every column packed into `pack_`. The tables' rows are then put together as a
    /// union whose first column (`source_`, or the `withsource=` name) names the table.
    pub(crate) fn bind_find(
        &mut self,
        params: &[OpParam],
        tables: &[ast::Ident],
        predicate: &Expr,
        out: &ast::FindOutput,
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let mut source = "source_".to_string();
        for p in params {
            match (p.name.name.as_str(), param_word(p)) {
                ("withsource", Some(w)) => source = w,
                (n, _) => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        p.span,
                        format!("The find parameter '{n}' is not supported; use withsource=Name"),
                    )));
                }
            }
        }
        let names = self.source_tables(tables)?;
        // The columns the predicate names.
        let mut named: Vec<String> = Vec::new();
        crate::syntax::visit::walk_expr(predicate, &mut |n| {
            if let crate::syntax::visit::Node::Expr(Expr { kind: ExprKind::Name(id), .. }) = n {
                if !named.contains(&id.name) {
                    named.push(id.name.clone());
                }
            }
        });
        // Filter each table; a table the predicate cannot be bound against is left out.
        let mut filtered: Vec<(String, Plan)> = Vec::new();
        let mut first_error = None;
        for n in &names {
            let t = self.catalog.get(n).cloned().ok_or(Failed)?;
            let f = t.fields.clone();
            let scan = plan(Node::Scan(t), f, span);
            let before = self.diags.len();
            match self.bind_search_filter(scan, false, &[], predicate, span) {
                Ok((p, _)) => filtered.push((n.clone(), p)),
                Err(_) => {
                    if first_error.is_none() {
                        first_error = self.diags.get(before).cloned();
                    }
                    self.diags.truncate(before);
                }
            }
        }
        if filtered.is_empty() {
            let d = first_error.unwrap_or_else(|| Diagnostic::semantic(codes::UNKNOWN_TABLE, span, "find has no table to look in"));
            return Err(self.error(d));
        }
        let name_expr = |c: &str| Expr { kind: ExprKind::Name(ast::Ident { name: c.to_string(), span }), span };
        let call = |f: &str, args: Vec<Expr>| Expr { kind: ExprKind::Call { name: ast::Ident { name: f.to_string(), span }, args }, span };
        let item = |c: &str, e: Expr| NamedExpr { names: vec![ast::Ident { name: c.to_string(), span }], expr: e, span };
        let has = |p: &Plan, c: &str| p.schema.iter().any(|f| f.name == c);
        // project-smart's columns: those the predicate names, then those every table has
        // (same name and type).
        let smart: Vec<String> = if out.project.is_none() {
            let mut cols: Vec<String> = named.iter().filter(|c| filtered.iter().any(|(_, p)| has(p, c))).cloned().collect();
            for f in filtered[0].1.schema.iter() {
                let everywhere = filtered.iter().all(|(_, p)| p.schema.iter().any(|g| g.name == f.name && g.ty == f.ty));
                if everywhere && !cols.contains(&f.name) {
                    cols.push(f.name.clone());
                }
            }
            cols
        } else {
            Vec::new()
        };
        let mut inputs = Vec::new();
        let mut sources = Vec::new();
        for (n, p) in filtered {
            let mut items = Vec::new();
            match &out.project {
                None => {
                    for c in smart.iter().filter(|c| has(&p, c)) {
                        items.push(item(c, name_expr(c)));
                    }
                    // The rest of the row: pack_all() without the columns kept above (a table
                    // may have more columns than bag_pack() takes arguments).
                    let kept: Vec<Dynamic> = smart.iter().filter(|c| has(&p, c)).map(|c| Dynamic::string(c)).collect();
                    let kept = Expr { kind: ExprKind::Literal(Literal::Dynamic(Dynamic::array(kept))), span };
                    items.push(item("pack_", call("bag_remove_keys", vec![call("pack_all", vec![]), kept])));
                }
                Some(cols) => {
                    for (c, ty) in cols {
                        let e = match (has(&p, &c.name), ty) {
                            (true, None) => name_expr(&c.name),
                            (true, Some(t)) => call(convert_name(*t), vec![name_expr(&c.name)]),
                            (false, Some(t)) => Expr { kind: ExprKind::Literal(Literal::TypedNull(*t)), span },
                            (false, None) => continue,
                        };
                        items.push(item(&c.name, e));
                    }
                    if out.pack_all {
                        items.push(item("pack_", call("pack_all", vec![])));
                    }
                }
            }
            if items.is_empty() {
                items.push(item("pack_", call("bag_pack", vec![])));
            }
            let (shaped, _) = self.bind_project(p, false, &items, span)?;
            inputs.push(shaped);
            sources.push(n);
        }
        let source = ast::OpParam {
            name: ast::Ident { name: "withsource".into(), span },
            value: Expr { kind: ExprKind::Name(ast::Ident { name: source, span }), span },
            span,
        };
        self.bind_union_public(inputs, sources, &[source], span)
    }

    /// `T | search ...` (and the filter step of a query-start search).
    pub(crate) fn bind_search_filter(&mut self, input: Plan, ordered: bool, params: &[OpParam], predicate: &Expr, span: Span) -> BResult<(Plan, bool)> {
        let mut cs = false;
        for p in params {
            match (p.name.name.as_str(), param_word(p).as_deref()) {
                ("kind", Some("case_sensitive")) => cs = true,
                ("kind", Some("case_insensitive")) => cs = false,
                (n, _) => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        p.span,
                        format!("The search parameter '{n}' is not supported; use kind=case_sensitive or kind=case_insensitive"),
                    )))
                }
            }
        }
        let schema = input.schema.clone();
        let pred = self.search_expr(predicate, &schema, ordered, cs)?;
        let fields = fields_of(&input);
        Ok((plan(Node::Filter(Filter { input: Box::new(input), predicate: pred }), fields, span), ordered))
    }

    /// Binds a search predicate: a bare string is a term looked for in every column
    /// (`"x"` has, `"x*"` hasprefix, `"*x"` hassuffix, `"*x*"` contains); `and`, `or`,
    /// `not()` combine; anything else is an ordinary condition.
    fn search_expr(&mut self, e: &Expr, schema: &[Field], ordered: bool, cs: bool) -> BResult<BExpr> {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(Literal::String(term)) => Ok(self.search_term(term, schema, span, cs)),
            // `search *` keeps every row.
            ExprKind::Star => Ok(BExpr::constant(Value::Bool(true), DataType::Bool, span)),
            ExprKind::Paren(inner) => self.search_expr(inner, schema, ordered, cs),
            ExprKind::Chain { op, operands } => {
                let bound = operands.iter().map(|o| self.search_expr(o, schema, ordered, cs)).collect::<BResult<Vec<_>>>()?;
                Ok(super::expr::balanced(*op, bound, span))
            }
            ExprKind::Call { name, args } if name.name == "not" && args.len() == 1 => {
                let x = self.search_expr(&args[0], schema, ordered, cs)?;
                Ok(BExpr::new(BKind::Not(Box::new(x)), DataType::Bool, span))
            }
            _ => {
                let ctx = RowCtx { schema, agg: None, ordered };
                let p = self.bind_scalar(e, &ctx)?;
                self.need_bool(p, "'search'")
            }
        }
    }

    fn search_term(&mut self, term: &str, schema: &[Field], span: Span, cs: bool) -> BExpr {
        let (op, needle) = match (term.len() > 1 && term.starts_with('*'), term.len() > 1 && term.ends_with('*')) {
            (true, true) if term.len() > 2 => (if cs { StrOp::ContainsCs } else { StrOp::Contains }, &term[1..term.len() - 1]),
            (false, true) => (if cs { StrOp::HasPrefixCs } else { StrOp::HasPrefix }, &term[..term.len() - 1]),
            (true, false) => (if cs { StrOp::HasSuffixCs } else { StrOp::HasSuffix }, &term[1..]),
            _ => (if cs { StrOp::HasCs } else { StrOp::Has }, term),
        };
        let mut acc: Option<BExpr> = None;
        for (i, f) in schema.iter().enumerate() {
            if !matches!(f.ty, DataType::String | DataType::Dynamic | DataType::Guid) {
                continue;
            }
            let col = BExpr::column(i, f.ty, span);
            let col =
                if f.ty == DataType::String { col } else { BExpr::new(BKind::Call(crate::plan::functions::Func::ToString, vec![col]), DataType::String, span) };
            let t = BExpr::constant(Value::str(needle), DataType::String, span);
            let e = BExpr::new(BKind::Str { op, negated: false, left: Box::new(col), right: Box::new(t) }, DataType::Bool, span);
            acc = Some(match acc {
                None => e,
                Some(a) => BExpr::new(BKind::Or(Box::new(a), Box::new(e)), DataType::Bool, span),
            });
        }
        acc.unwrap_or_else(|| BExpr::constant(Value::Bool(false), DataType::Bool, span))
    }

    // ---- make-series ----

    pub(crate) fn bind_make_series(&mut self, input: Plan, ordered: bool, spec: &MakeSeriesSpec, span: Span) -> BResult<(Plan, bool)> {
        let mut nonempty = false;
        for p in &spec.params {
            match (p.name.name.as_str(), param_word(p).as_deref()) {
                ("kind", Some("nonempty")) => nonempty = true,
                (n, _) if n.starts_with("hint.") => {}
                (n, _) => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        p.span,
                        format!("The make-series parameter '{n}' is not supported; only kind=nonempty is"),
                    )))
                }
            }
        }
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let mut namer = Namer::new(Vec::<String>::new());
        for it in spec.aggregates.iter().map(|a| &a.agg).chain(&spec.by) {
            for n in &it.names {
                namer.take(&n.name);
            }
        }
        // Group keys.
        let mut keys = Vec::new();
        let mut fields = Vec::new();
        for it in &spec.by {
            let b = self.bind_scalar(&it.expr, &ctx)?;
            let name = match it.names.first() {
                Some(n) => n.name.clone(),
                None => match derived_name(&it.expr) {
                    Some(n) => namer.unique(&n),
                    None => namer.column(),
                },
            };
            if fields.iter().any(|f: &Field| f.name == name) {
                return Err(self.error(Diagnostic::semantic(codes::DUPLICATE_COLUMN, it.span, format!("The column '{name}' appears twice after 'by'"))));
            }
            fields.push(Field::new(name, b.ty));
            keys.push(b);
        }
        // The axis.
        let axis = self.bind_scalar(&spec.axis, &ctx)?;
        if !(axis.ty.is_numeric() || matches!(axis.ty, DataType::DateTime | DataType::TimeSpan)) {
            return Err(self.error(Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                axis.span,
                format!("The axis of make-series must be a datetime, timespan or number, but this is a {}", axis.ty),
            )));
        }
        let axis_ty = if axis.ty == DataType::Int { DataType::Long } else { axis.ty };
        let axis = self.coerce_to(axis, axis_ty, "the axis")?;
        let axis_name = match derived_name(&spec.axis) {
            Some(n) => n,
            None => {
                return Err(self.error(
                    Diagnostic::semantic(codes::EXPECTED, spec.axis.span, "The axis of make-series must be a column")
                        .with_help("Compute it first with extend, then use: on NewColumn"),
                ))
            }
        };
        let step_ty = if axis_ty == DataType::DateTime { DataType::TimeSpan } else { axis_ty };
        let none = RowCtx::none();
        let bound_const = |b: &mut Self, e: &Expr, ty: DataType, what: &str| -> BResult<BExpr> {
            let x = b.bind_scalar(e, &none)?;
            let mut refers = false;
            x.walk(&mut |y| refers |= matches!(y.kind, BKind::Column(_)));
            if refers {
                return Err(b.error(Diagnostic::semantic(codes::NOT_CONSTANT, x.span, format!("{what} of make-series must not depend on the row"))));
            }
            b.coerce_to(x, ty, what)
        };
        let from = match &spec.from {
            Some(e) => Some(bound_const(self, e, axis_ty, "The start ('from')")?),
            None => None,
        };
        let to = match &spec.to {
            Some(e) => Some(bound_const(self, e, axis_ty, "The end ('to')")?),
            None => None,
        };
        let step = bound_const(self, &spec.step, step_ty, "The step")?;
        // Aggregates: one aggregation call each.
        let scope = AggScope { input: &schema, input_ordered: ordered, key_count: keys.len(), calls: RefCell::new(Vec::new()) };
        let mut names = Vec::new();
        let mut defaults = Vec::new();
        for a in &spec.aggregates {
            let agg_ctx = RowCtx { schema: &schema, agg: Some(&scope), ordered };
            let before = scope.calls.borrow().len();
            let is_call = matches!(&a.agg.expr.kind, ExprKind::Call { name, .. } if AggFn::from_name(&name.name).is_some_and(|f| !matches!(f, AggFn::ArgMax | AggFn::ArgMin)));
            let b = self.bind_scalar(&a.agg.expr, &agg_ctx)?;
            if !is_call || scope.calls.borrow().len() != before + 1 || b.as_column().is_none() {
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::AGG_CONTEXT,
                        a.agg.expr.span,
                        "Each series of make-series is one aggregation, such as count(), sum(x) or avg(x)",
                    )
                    .with_help("Compute other expressions afterwards with extend and the series_* functions"),
                ));
            }
            let ty = b.ty;
            if !matches!(ty, DataType::Int | DataType::Long | DataType::Real | DataType::Bool) {
                return Err(self.error(Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    a.agg.expr.span,
                    format!("make-series needs aggregations that give numbers, but this gives {ty}"),
                )));
            }
            let default = match &a.default {
                Some(d) => {
                    let x = self.bind_scalar(d, &RowCtx::none())?;
                    let x = self.coerce_to(x, ty, "the default value")?;
                    let v = match &x.kind {
                        BKind::Const(v) => crate::types::cast::cast_value(v, ty),
                        BKind::Cast(inner) => match inner.as_const() {
                            Some(v) => crate::types::cast::cast_value(v, ty),
                            None => {
                                return Err(self.error(Diagnostic::semantic(
                                    codes::NOT_CONSTANT,
                                    d.span,
                                    "The default value of make-series must be a constant",
                                )))
                            }
                        },
                        _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, d.span, "The default value of make-series must be a constant"))),
                    };
                    v
                }
                None => crate::types::cast::cast_value(&Value::Long(0), ty),
            };
            defaults.push(default);
            let name = match a.agg.names.len() {
                0 => match self.aggregate_name(&a.agg.expr) {
                    Some(n) => namer.unique(&n),
                    None => namer.column(),
                },
                1 => a.agg.names[0].name.clone(),
                _ => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, a.agg.span, "A series has one name"))),
            };
            names.push(name);
        }
        let aggs = scope.calls.into_inner();
        for n in &names {
            fields.push(Field::new(n, DataType::Dynamic));
        }
        let axis_name = if fields.iter().any(|f| f.name == axis_name) { namer.unique(&axis_name) } else { axis_name };
        fields.push(Field::new(axis_name, DataType::Dynamic));
        let mut seen: Vec<&str> = Vec::new();
        for f in &fields {
            if seen.contains(&f.name.as_str()) {
                return Err(self.error(Diagnostic::semantic(
                    codes::DUPLICATE_COLUMN,
                    span,
                    format!("Two output columns of 'make-series' are named '{}'", f.name),
                )));
            }
            seen.push(&f.name);
        }
        let node = MakeSeries { input, keys, axis, from, to, step, aggs, defaults, nonempty };
        Ok((plan(Node::MakeSeries(Box::new(node)), fields, span), false))
    }

    // ---- mv-apply ----

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn bind_mv_apply(
        &mut self,
        input: Plan,
        ordered: bool,
        params: &[OpParam],
        items: &[ast::MvExpandItem],
        limit: Option<&Expr>,
        subquery: &Expr,
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let mut index_name: Option<String> = None;
        for p in params {
            match p.name.name.as_str() {
                "with_itemindex" => index_name = param_word(p),
                other => {
                    return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The mv-apply parameter '{other}' is not supported"))))
                }
            }
        }
        let (pre, fields, targets) = self.mv_prepare("mv-apply", input, ordered, items, span)?;
        let limit = match limit {
            Some(l) => {
                let b = self.bind_scalar(l, &RowCtx::none())?;
                match b.as_const().and_then(Value::as_i64) {
                    Some(n) if n >= 0 => Some(n as u64),
                    _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, b.span, "mv-apply's limit must be a constant number"))),
                }
            }
            None => None,
        };
        // The subquery sees the expanded columns (and the item index).
        let mut sub_fields: Vec<Field> = targets.iter().map(|(i, t)| Field::new(&fields[*i].name, *t)).collect();
        if let Some(n) = &index_name {
            sub_fields.push(Field::new(n, DataType::Long));
        }
        let sub_schema = Arc::new(sub_fields);
        self.implicit.push(sub_schema.clone());
        let sub = self.bind_tabular(subquery);
        self.implicit.pop();
        let (sub, _) = sub?;
        let keep: Vec<usize> = (0..fields.len()).filter(|i| !targets.iter().any(|(t, _)| t == i)).collect();
        let mut out: Vec<Field> = keep.iter().map(|&i| fields[i].clone()).collect();
        let mut namer = Namer::new(out.iter().map(|f| f.name.clone()));
        for f in sub.schema.iter() {
            out.push(Field::new(namer.unique(&f.name), f.ty));
        }
        let node = Node::MvApply(MvApply {
            input: Box::new(pre),
            expand: Expansion { columns: targets, limit, index: index_name.is_some(), bag_as_array: false },
            keep,
            sub: Box::new(sub),
            sub_schema,
        });
        Ok((plan(node, out, span), false))
    }

    // ---- evaluate ----

    pub(crate) fn bind_evaluate(
        &mut self,
        input: Plan,
        ordered: bool,
        params: &[OpParam],
        call: &Expr,
        schema: Option<&OutputSchema>,
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let ExprKind::Call { name, args } = &call.kind else {
            return Err(self.error(Diagnostic::semantic(
                codes::EXPECTED,
                call.span,
                "'evaluate' needs a plugin call, such as bag_unpack(Column) or pivot(Column)",
            )));
        };
        for p in params {
            if !p.name.name.starts_with("hint.") {
                return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The evaluate parameter '{}' is not supported", p.name.name))));
            }
        }
        if Self::is_more_plugin(&name.name) {
            return self.bind_more_plugins(input, ordered, &name.name, args, call.span);
        }
        match name.name.as_str() {
            "bag_unpack" => self.bind_bag_unpack(input, args, schema, call.span),
            "ipv4_lookup" => self.bind_ipv4_lookup(input, ordered, args, call.span),
            "pivot" => self.bind_pivot(input, ordered, args, schema, call.span),
            other => {
                if let Some(why) = unsupported_plugin(other) {
                    let code = if why.contains("offline") || why.contains("cluster") { codes::UNAVAILABLE } else { codes::UNSUPPORTED };
                    return Err(self.error(Diagnostic::semantic(code, name.span, format!("The '{other}' plugin is not supported in kqlab: {why}"))));
                }
                let help = did_you_mean(other, ["bag_unpack", "pivot"])
                    .map(|s| format!("Did you mean '{s}'?"))
                    .unwrap_or_else(|| "kqlab's plugins include bag_unpack, pivot, ipv4_lookup, rows_near, schema_merge and the activity plugins".to_string());
                let _ = span;
                Err(self.error(Diagnostic::semantic(codes::UNKNOWN_FUNCTION, name.span, format!("Unknown plugin '{other}'")).with_help(help)))
            }
        }
    }

    fn const_string_arg(&mut self, e: &Expr, what: &str) -> BResult<String> {
        let b = self.bind_scalar(e, &RowCtx::none())?;
        match b.as_const() {
            Some(Value::String(s)) => Ok(s.to_string()),
            _ => Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, e.span, format!("{what} must be a constant string")))),
        }
    }

    fn column_arg(&mut self, e: &Expr, schema: &[Field], what: &str) -> BResult<usize> {
        let ExprKind::Name(id) = &e.kind else {
            return Err(self.error(Diagnostic::semantic(codes::EXPECTED, e.span, format!("{what} must be a column name"))));
        };
        match schema.iter().position(|f| f.name == id.name) {
            Some(i) => Ok(i),
            None => {
                let help = did_you_mean(&id.name, schema.iter().map(|f| f.name.as_str())).map(|s| format!("Did you mean '{s}'?"));
                Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, id.span, format!("Unknown column '{}'", id.name)).maybe_help(help)))
            }
        }
    }

    /// `bag_unpack(Column [, Prefix] [, columnsConflict] [, ignoredProperties])`.
    fn bind_bag_unpack(&mut self, input: Plan, raw_args: &[Expr], schema: Option<&OutputSchema>, span: Span) -> BResult<(Plan, bool)> {
        if raw_args.is_empty() || raw_args.len() > 4 {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!("bag_unpack() takes 1 to 4 arguments, but {} were given", raw_args.len()),
            )));
        }
        // The documented parameter names, in order; after a named argument, only named ones.
        const PARAMS: [&str; 4] = ["Column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"];
        let mut slots: [Option<&Expr>; 4] = [None; 4];
        let mut named_seen = false;
        for (i, a) in raw_args.iter().enumerate() {
            match &a.kind {
                ExprKind::NamedArg { name, value } => {
                    named_seen = true;
                    let Some(p) = PARAMS.iter().position(|p| p.eq_ignore_ascii_case(&name.name)) else {
                        let help = did_you_mean(&name.name, PARAMS).map(|s| format!("Did you mean '{s}'?"));
                        return Err(self.error(
                            Diagnostic::semantic(codes::EXPECTED, name.span, format!("bag_unpack() has no parameter '{}'", name.name))
                                .maybe_help(help.or_else(|| Some(format!("Its parameters are {}", PARAMS.join(", "))))),
                        ));
                    };
                    if slots[p].is_some() {
                        return Err(self.error(Diagnostic::semantic(codes::EXPECTED, name.span, format!("bag_unpack()'s '{}' is given twice", PARAMS[p]))));
                    }
                    slots[p] = Some(value);
                }
                _ if named_seen => {
                    return Err(self.error(Diagnostic::syntax(codes::EXPECTED, a.span, "After a named argument, the other arguments must be named too")));
                }
                _ => slots[i] = Some(a),
            }
        }
        let Some(first) = slots[0] else {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, "bag_unpack() needs the column to unpack")));
        };
        let arg = |i: usize| slots[i];
        let in_fields = fields_of(&input);
        let column = self.column_arg(first, &in_fields, "The first argument of bag_unpack()")?;
        if in_fields[column].ty != DataType::Dynamic {
            return Err(self.error(Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                first.span,
                format!("bag_unpack() unpacks a dynamic column, but '{}' is {}", in_fields[column].name, in_fields[column].ty),
            )));
        }
        let prefix = match arg(1) {
            Some(e) => self.const_string_arg(e, "The column prefix of bag_unpack()")?,
            None => String::new(),
        };
        let conflict = match arg(2) {
            Some(e) => {
                let c = self.const_string_arg(e, "The columnsConflict argument of bag_unpack()")?;
                if !matches!(c.as_str(), "error" | "replace_source" | "keep_source") {
                    return Err(self.error(Diagnostic::semantic(
                        codes::EXPECTED,
                        e.span,
                        format!("'{c}' is not a conflict rule; use error, replace_source or keep_source"),
                    )));
                }
                c
            }
            None => "error".to_string(),
        };
        let ignored: Vec<String> = match arg(3) {
            Some(e) => {
                let b = self.bind_scalar(e, &RowCtx::none())?;
                match b.as_const() {
                    Some(Value::Dynamic(Dynamic::Array(items))) => items.iter().map(|d| d.to_plain_string()).collect(),
                    Some(Value::Null) => Vec::new(),
                    _ => {
                        return Err(self.error(Diagnostic::semantic(
                            codes::NOT_CONSTANT,
                            e.span,
                            "The ignored properties of bag_unpack() must be a constant dynamic array",
                        )))
                    }
                }
            }
            None => Vec::new(),
        };
        let mut keep: Vec<usize> = (0..in_fields.len()).filter(|&i| i != column).collect();
        let (input, keys): (Plan, Vec<(String, DataType)>) = match schema {
            Some(s) => {
                if !s.wildcard {
                    keep.clear();
                }
                let mut keys = Vec::new();
                for (n, t) in &s.columns {
                    let key = n.name.strip_prefix(prefix.as_str()).unwrap_or(&n.name).to_string();
                    keys.push((key, *t));
                }
                (input, keys)
            }
            None => {
                let (input, table) = self.run_now(input, span)?;
                let mut found: Vec<(String, Option<DataType>, bool)> = Vec::new();
                // Key → position in `found` (a linear search per key is quadratic).
                let mut index: crate::table::FxHashMap<Arc<str>, usize> = Default::default();
                let col = &table.columns[column];
                for r in 0..table.len() {
                    if let Value::Dynamic(Dynamic::Object(items)) = col.value(r) {
                        for (k, v) in items.iter() {
                            if ignored.iter().any(|x| **x == **k) {
                                continue;
                            }
                            let t = type_of_dynamic(v);
                            if !index.contains_key(k) {
                                if found.len() >= MAX_PLUGIN_COLUMNS {
                                    return Err(self.error(Diagnostic::semantic(
                                        codes::LIMIT,
                                        span,
                                        format!("bag_unpack() would create more than {MAX_PLUGIN_COLUMNS} columns; kqlab stops at {MAX_PLUGIN_COLUMNS}"),
                                    )));
                                }
                                index.insert(k.clone(), found.len());
                            }
                            match found.get_mut(index[k]) {
                                Some((_, ty, mixed)) => {
                                    if let Some(t) = t {
                                        match ty {
                                            None => *ty = Some(t),
                                            Some(old) if *old != t => *mixed = true,
                                            _ => {}
                                        }
                                    }
                                }
                                None => found.push((k.to_string(), t, false)),
                            }
                        }
                    }
                }
                crate::util::sort::sort_by(&mut found, |a, b| a.0.cmp(&b.0));
                let keys = found.into_iter().map(|(k, t, mixed)| (k, if mixed { DataType::Dynamic } else { t.unwrap_or(DataType::Dynamic) })).collect();
                (input, keys)
            }
        };
        let mut fields: Vec<Field> = keep.iter().map(|&i| in_fields[i].clone()).collect();
        let kept_names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let mut replaced: Vec<String> = Vec::new();
        let mut out_keys = Vec::new();
        for (k, t) in keys {
            let name = format!("{prefix}{k}");
            if let Some(pos) = fields.iter().position(|f| f.name == name) {
                match conflict.as_str() {
                    "replace_source" => {
                        fields.remove(pos);
                        keep.remove(pos);
                        replaced.push(name.clone());
                    }
                    "keep_source" => continue,
                    _ => {
                        return Err(self.error(
                            Diagnostic::semantic(
                                codes::DUPLICATE_COLUMN,
                                span,
                                format!("bag_unpack() would create a column '{name}', but the input already has one"),
                            )
                            .with_help("Add a prefix, e.g. bag_unpack(Col, 'p_'), or pass 'replace_source' or 'keep_source' as the third argument"),
                        ))
                    }
                }
            }
            fields.push(Field::new(&name, t));
            out_keys.push((k, t));
        }
        // A replaced column keeps its place (the bag_unpack page's replace_source example
        // lists the replaced Name before the new Age); other keys follow the kept columns.
        let mut order = Vec::new();
        if !replaced.is_empty() {
            let key_at = |name: &str| fields.iter().skip(keep.len()).position(|f| f.name == name).map(|i| keep.len() + i);
            let mut kept = 0;
            for n in &kept_names {
                if replaced.contains(n) {
                    order.extend(key_at(n));
                } else {
                    order.push(kept);
                    kept += 1;
                }
            }
            let rest: Vec<usize> = (keep.len()..fields.len()).filter(|i| !order.contains(i)).collect();
            order.extend(rest);
            fields = order.iter().map(|&i| fields[i].clone()).collect();
        }
        Ok((plan(Node::BagUnpack(BagUnpack { input: Box::new(input), column, keep, keys: out_keys, order }), fields, span), false))
    }

    /// `pivot(PivotColumn [, Aggregation] [, Column, ...])`.
    fn bind_pivot(&mut self, input: Plan, ordered: bool, args: &[Expr], schema: Option<&OutputSchema>, span: Span) -> BResult<(Plan, bool)> {
        if args.is_empty() {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, "pivot() needs the column to pivot on, e.g. pivot(State)")));
        }
        let in_schema = input.schema.clone();
        let pivot = self.column_arg(&args[0], &in_schema, "The first argument of pivot()")?;
        // The aggregation (default count()).
        let (agg_expr, rest) = match args.get(1) {
            Some(e @ Expr { kind: ExprKind::Call { name, .. }, .. }) if AggFn::from_name(&name.name).is_some() => (Some(e), &args[2..]),
            _ => (None, &args[1.min(args.len())..]),
        };
        let scope = AggScope { input: &in_schema, input_ordered: ordered, key_count: 0, calls: RefCell::new(Vec::new()) };
        let agg = match agg_expr {
            Some(e) => {
                let ctx = RowCtx { schema: &in_schema, agg: Some(&scope), ordered };
                let b = self.bind_scalar(e, &ctx)?;
                let calls = scope.calls.borrow().len();
                if calls != 1 || b.as_column().is_none() || matches!(scope.calls.borrow()[0].func, AggFn::ArgMax | AggFn::ArgMin) {
                    return Err(self.error(Diagnostic::semantic(
                        codes::AGG_CONTEXT,
                        e.span,
                        "pivot() takes one aggregation such as count(), sum(x) or dcount(x)",
                    )));
                }
                scope.calls.into_inner().remove(0)
            }
            None => AggCall { func: AggFn::Count, args: vec![], out: vec![DataType::Long], span },
        };
        let mut used_by_agg: Vec<usize> = Vec::new();
        for a in &agg.args {
            a.walk(&mut |x| {
                if let BKind::Column(i) = x.kind {
                    used_by_agg.push(i);
                }
            });
        }
        let keys: Vec<usize> = if rest.is_empty() {
            (0..in_schema.len()).filter(|i| *i != pivot && !used_by_agg.contains(i)).collect()
        } else {
            let mut k = Vec::new();
            for e in rest {
                k.push(self.column_arg(e, &in_schema, "A grouping column of pivot()")?);
            }
            k
        };
        let out_ty = agg.out[0];
        let mut fields: Vec<Field> = keys.iter().map(|&i| in_schema[i].clone()).collect();
        let (input, values): (Plan, Vec<Value>) = match schema {
            Some(s) => {
                let mut values = Vec::new();
                for (n, t) in &s.columns {
                    if fields.iter().any(|f| f.name == n.name) {
                        continue;
                    }
                    if *t != out_ty && !(t.is_numeric() && out_ty.is_numeric()) {
                        return Err(self.error(Diagnostic::semantic(
                            codes::TYPE_MISMATCH,
                            n.span,
                            format!("The pivoted column '{}' is declared {t}, but the aggregation gives {out_ty}", n.name),
                        )));
                    }
                    values.push(Value::str(&n.name));
                }
                (input, values)
            }
            None => {
                let (input, table) = self.run_now(input, span)?;
                let col = &table.columns[pivot];
                let mut seen = crate::table::FxHashSet::default();
                let mut values = Vec::new();
                for r in 0..table.len() {
                    let v = col.value(r);
                    if seen.insert(v.to_display()) {
                        values.push(v);
                    }
                }
                (input, values)
            }
        };
        if values.len() > MAX_PLUGIN_COLUMNS {
            return Err(self.error(
                Diagnostic::semantic(codes::LIMIT, span, format!("pivot() would create {} columns; kqlab stops at {MAX_PLUGIN_COLUMNS}", values.len()))
                    .with_help("Pivot on a column with fewer distinct values"),
            ));
        }
        let mut namer = Namer::new(fields.iter().map(|f| f.name.clone()));
        for v in &values {
            fields.push(Field::new(namer.unique(&v.to_display()), out_ty));
        }
        Ok((plan(Node::Pivot(Pivot { input: Box::new(input), keys, pivot, values, agg }), fields, span), false))
    }

    // ---- top-nested ----

    pub(crate) fn bind_top_nested(&mut self, input: Plan, ordered: bool, levels: &[ast::TopNestedLevel], span: Span) -> BResult<(Plan, bool)> {
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let mut fields = Vec::new();
        let mut namer = Namer::new(Vec::<String>::new());
        let mut out = Vec::new();
        for (li, l) in levels.iter().enumerate() {
            let key = self.bind_scalar(&l.of.expr, &ctx)?;
            let key_name = match l.of.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&l.of.expr).unwrap_or_else(|| format!("Column{}", li + 1)),
            };
            let count = match &l.count {
                Some(c) => {
                    let b = self.bind_scalar(c, &RowCtx::none())?;
                    match b.as_const().and_then(Value::as_i64) {
                        Some(n) if n >= 0 => Some(n as u64),
                        _ => {
                            return Err(self.error(Diagnostic::semantic(
                                codes::NOT_CONSTANT,
                                c.span,
                                "The number of values in top-nested must be a constant number",
                            )))
                        }
                    }
                }
                None => None,
            };
            let scope = AggScope { input: &schema, input_ordered: ordered, key_count: 0, calls: RefCell::new(Vec::new()) };
            let actx = RowCtx { schema: &schema, agg: Some(&scope), ordered };
            let b = self.bind_scalar(&l.by.expr, &actx)?;
            let calls = scope.calls.into_inner();
            if calls.len() != 1 || b.as_column().is_none() || matches!(calls[0].func, AggFn::ArgMax | AggFn::ArgMin) || calls[0].out.len() != 1 {
                return Err(self.error(Diagnostic::semantic(
                    codes::AGG_CONTEXT,
                    l.by.expr.span,
                    "Each level of top-nested is ranked by one aggregation, such as count() or sum(x)",
                )));
            }
            let agg = calls.into_iter().next().ok_or(Failed)?;
            let agg_name = match l.by.names.first() {
                Some(n) => n.name.clone(),
                None => format!("aggregated_{key_name}"),
            };
            let others = match &l.others {
                Some(e) => {
                    let b = self.bind_scalar(e, &RowCtx::none())?;
                    let b = self.coerce_to(b, key.ty, "the 'with others' value")?;
                    match &b.kind {
                        BKind::Const(v) => Some(crate::types::cast::cast_value(v, key.ty)),
                        BKind::Cast(inner) if inner.as_const().is_some() => inner.as_const().map(|v| crate::types::cast::cast_value(v, key.ty)),
                        _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, e.span, "The 'with others' value must be a constant"))),
                    }
                }
                None => None,
            };
            fields.push(Field::new(namer.unique(&key_name), key.ty));
            fields.push(Field::new(namer.unique(&agg_name), agg.out[0]));
            out.push(TopNestedLevel { key, agg, count, desc: l.dir != Some(SortDir::Asc), others });
        }
        Ok((plan(Node::TopNested(TopNested { input: Box::new(input), levels: out }), fields, span), false))
    }

    // ---- parse-kv ----

    pub(crate) fn bind_parse_kv(
        &mut self,
        input: Plan,
        ordered: bool,
        source: &Expr,
        columns: &[(ast::Ident, DataType)],
        options: &[OpParam],
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let src = self.bind_scalar(source, &ctx)?;
        let src = if src.ty == DataType::String {
            src
        } else {
            let sp = src.span;
            BExpr::new(BKind::Call(crate::plan::functions::Func::ToString, vec![src]), DataType::String, sp)
        };
        let mut o = ParseKvOptions::default();
        for p in options {
            let text = match &p.value.kind {
                ExprKind::Literal(Literal::String(s)) => Some(s.clone()),
                ExprKind::Literal(Literal::Bool(b)) => Some(b.to_string()),
                ExprKind::Name(n) => Some(n.name.clone()),
                _ => None,
            };
            let Some(text) = text else {
                return Err(self.error(Diagnostic::semantic(
                    codes::NOT_CONSTANT,
                    p.value.span,
                    format!("The parse-kv option '{}' needs a constant", p.name.name),
                )));
            };
            match p.name.name.as_str() {
                "pair_delimiter" => o.pair_delimiter = Some(text),
                "kv_delimiter" => o.kv_delimiter = Some(text),
                "quote" => o.quote = text.chars().collect(),
                "escape" => o.escape = text.chars().next(),
                "greedy" => o.greedy = text == "true",
                "regex" => {
                    if let Err(e) = crate::util::regex::compile_regex(&text) {
                        return Err(self.error({
                            let (code, message) = crate::util::regex::regex_error(&e);
                            Diagnostic::semantic(code, p.value.span, message)
                        }));
                    }
                    o.regex = Some(text)
                }
                other => {
                    let help =
                        did_you_mean(other, ["pair_delimiter", "kv_delimiter", "quote", "escape", "greedy", "regex"]).map(|s| format!("Did you mean '{s}'?"));
                    return Err(
                        self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.name.span, format!("'{other}' is not a parse-kv option")).maybe_help(help))
                    );
                }
            }
        }
        // Without delimiters (the "nonspecified delimiter" form), any run of characters other
        // than letters, digits and '_' separates a key from its value; one delimiter alone is
        // not a documented form.
        if o.regex.is_none() && (o.pair_delimiter.is_none() != o.kv_delimiter.is_none()) {
            return Err(self.error(
                Diagnostic::semantic(
                    codes::EXPECTED,
                    span,
                    "parse-kv needs both pair_delimiter and kv_delimiter, or neither (any other character then separates keys and values), or regex=...",
                )
                .with_help("For example: parse-kv Text as (user: string) with (pair_delimiter=' ', kv_delimiter='=')"),
            ));
        }
        let mut fields = fields_of(&input);
        let mut keys = Vec::new();
        for (n, t) in columns {
            match fields.iter_mut().find(|f| f.name == n.name) {
                Some(f) => f.ty = *t,
                None => fields.push(Field::new(&n.name, *t)),
            }
            keys.push((n.name.clone(), *t));
        }
        Ok((plan(Node::ParseKv(ParseKv { input: Box::new(input), source: src, keys, options: o }), fields, span), ordered))
    }

    /// Whether `e` is a call of a function that returns several columns: the function's name,
    /// the columns' default names, and what each column is (for messages).
    pub(crate) fn multi_output(e: &Expr) -> Option<(&'static str, Vec<String>, Vec<String>)> {
        let ExprKind::Call { name, args } = &e.kind else { return None };
        let (fname, parts): (&'static str, &[&str]) = match name.name.as_str() {
            "series_decompose_anomalies" => ("series_decompose_anomalies", &["ad_flag", "ad_score", "baseline"]),
            "series_decompose" => ("series_decompose", &["baseline", "seasonal", "trend", "residual"]),
            "series_stats" => ("series_stats", &["min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"]),
            // Several arrays sorted together: one column per array, named after it.
            f @ ("array_sort_asc" | "array_sort_desc") => {
                let arrays = Self::sorted_arrays(args);
                if arrays.len() < 2 {
                    return None;
                }
                let fname = if f == "array_sort_asc" { "array_sort_asc" } else { "array_sort_desc" };
                let names: Vec<String> =
                    arrays.iter().enumerate().map(|(i, a)| format!("{}_sorted", derived_name(a).unwrap_or_else(|| format!("array{}", i + 1)))).collect();
                return Some((fname, names.clone(), names));
            }
            _ => return None,
        };
        let arg = args.first().and_then(derived_name).unwrap_or_default();
        let names = parts.iter().map(|p| if arg.is_empty() { format!("{fname}_{p}") } else { format!("{fname}_{arg}_{p}") }).collect();
        Some((fname, names, parts.iter().map(|p| p.to_string()).collect()))
    }

    /// The array arguments of array_sort_asc/desc: all but a trailing true/false (nulls_last).
    fn sorted_arrays(args: &[Expr]) -> &[Expr] {
        match args.split_last() {
            Some((last, rest)) if matches!(last.kind, ExprKind::Literal(Literal::Bool(_))) => rest,
            _ => args,
        }
    }

    /// Binds `(a, b, c) = f(...)` for a multi-column function: one expression per column. The
    /// series functions get the component index as a hidden last argument; array_sort_asc/desc
    /// return an array of the sorted arrays, and column i is its element i.
    pub(crate) fn bind_multi_output(&mut self, item: &NamedExpr, ctx: &RowCtx) -> BResult<Vec<(String, BExpr)>> {
        let Some((fname, defaults, parts)) = Self::multi_output(&item.expr) else {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                item.span,
                "Several names can only be given to a function that returns several columns, such as series_decompose_anomalies()",
            )));
        };
        self.multi_ok = true;
        let base = self.bind_scalar(&item.expr, ctx);
        self.multi_ok = false;
        let base = base?;
        let names: Vec<String> = match item.names.len() {
            0 => defaults,
            1 => {
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::EXPECTED,
                        item.span,
                        format!("{fname}() returns {} columns ({}); give a name to each", parts.len(), parts.join(", ")),
                    )
                    .with_help(format!("Write: extend ({}) = {fname}(...)", parts.join(", "))),
                ))
            }
            n if n != parts.len() => {
                return Err(self.error(Diagnostic::semantic(
                    codes::ARG_COUNT,
                    item.span,
                    format!("{fname}() returns {} columns ({}), but {n} names were given", parts.len(), parts.join(", ")),
                )))
            }
            _ => item.names.iter().map(|n| n.name.clone()).collect(),
        };
        let mut out = Vec::new();
        for (i, n) in names.into_iter().enumerate() {
            let index = BExpr::constant(Value::Long(i as i64), DataType::Long, item.span);
            let e = if fname.starts_with("array_sort") {
                BExpr::new(BKind::Index(Box::new(base.clone()), Box::new(index)), DataType::Dynamic, item.span)
            } else {
                let mut e = base.clone();
                if let BKind::Call(_, a) = &mut e.kind {
                    a.push(index);
                }
                // series_stats' columns are numbers: positions are longs, the rest reals.
                if fname == "series_stats" {
                    e.ty = if parts[i].ends_with("_idx") { DataType::Long } else { DataType::Real };
                }
                e
            };
            out.push((n, e));
        }
        Ok(out)
    }
}

/// A copy of a scan expression where `Step.Column` (a step name, then a column) becomes the
/// single name "Step.Column", the way the scan's row names the state's columns.
fn step_refs(e: &Expr, steps: &[String]) -> Expr {
    let mut e = e.clone();
    rewrite_step_refs(&mut e, steps);
    e
}

fn rewrite_step_refs(e: &mut Expr, steps: &[String]) {
    if let ExprKind::Member { target, name } = &e.kind {
        if let ExprKind::Name(s) = &target.kind {
            if steps.contains(&s.name) {
                let id = ast::Ident { name: format!("{}.{}", s.name, name.name), span: e.span };
                e.kind = ExprKind::Name(id);
                return;
            }
        }
    }
    match &mut e.kind {
        ExprKind::Member { target, .. } => rewrite_step_refs(target, steps),
        ExprKind::Index { target, index } => {
            rewrite_step_refs(target, steps);
            rewrite_step_refs(index, steps);
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| rewrite_step_refs(a, steps)),
        ExprKind::Unary { operand, .. } => rewrite_step_refs(operand, steps),
        ExprKind::Binary { left, right, .. } => {
            rewrite_step_refs(left, steps);
            rewrite_step_refs(right, steps);
        }
        ExprKind::Chain { operands, .. } => operands.iter_mut().for_each(|a| rewrite_step_refs(a, steps)),
        ExprKind::Between { value, low, high, .. } => {
            rewrite_step_refs(value, steps);
            rewrite_step_refs(low, steps);
            rewrite_step_refs(high, steps);
        }
        ExprKind::InList { value, items, .. } => {
            rewrite_step_refs(value, steps);
            items.iter_mut().for_each(|a| rewrite_step_refs(a, steps));
        }
        ExprKind::Paren(inner) => rewrite_step_refs(inner, steps),
        _ => {}
    }
}

/// The conversion function for a declared type (`long` → `tolong`).
pub(crate) fn convert_name(t: DataType) -> &'static str {
    match t {
        DataType::Bool => "tobool",
        DataType::Int => "toint",
        DataType::Long => "tolong",
        DataType::Real => "toreal",
        DataType::String => "tostring",
        DataType::DateTime => "todatetime",
        DataType::TimeSpan => "totimespan",
        DataType::Guid => "toguid",
        _ => "todynamic",
    }
}
