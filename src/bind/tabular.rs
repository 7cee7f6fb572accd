//! Binding of tabular expressions: sources, pipelines and each operator.

use super::expr::{AggScope, RowCtx};
use super::names::{derived_name, Namer};
use super::{BResult, Binder, Binding, FnResult, RenderSpec};
use crate::diag::{codes, did_you_mean, Diagnostic, Span};
use crate::plan::aggregates::AggFn;
use crate::plan::parse_op::{ParsePattern, PatternPart};
use crate::plan::{AggCall, BExpr, BKind, JoinKind, Node, Plan, SortSpec};
use crate::plan::{Aggregate, Expansion, Filter, GetSchema, Join, MvExpand, Parse, Project, Range, Shared, Sort, Take, Top, Union};
use crate::syntax::ast::{self, ColumnPattern, Expr, ExprKind, NamedExpr, NullsPos, OpParam, Operator, OperatorKind, SortDir, SortKey};
use crate::table::{Field, Table};
use crate::types::{DataType, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// What `mv_prepare` gives: the plan computing the expanded expressions, the final fields and
/// the (column, element type) of each expanded item.
pub(crate) type MvPrepared = (Plan, Vec<Field>, Vec<(usize, DataType)>);

pub(crate) fn plan(node: Node, fields: Vec<Field>, span: Span) -> Plan {
    Plan { node, schema: Arc::new(fields), span }
}

/// Wraps a plan so its result is computed once and shared by every reader.
pub(crate) fn shared(p: Plan) -> Plan {
    if matches!(p.node, Node::Scan(_) | Node::Shared(Shared { .. })) {
        return p;
    }
    let schema = p.schema.clone();
    let span = p.span;
    Plan { node: Node::Shared(Shared { input: Rc::new(p), cache: Rc::new(Default::default()) }), schema, span }
}

pub(crate) fn fields_of(p: &Plan) -> Vec<Field> {
    p.schema.as_ref().clone()
}

/// Does a `*` pattern match a name? (`Url*`, `*Id`, `*Url*`, `*`)
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            if !name.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 {
            return name.len() >= pos + part.len() && name[pos..].ends_with(part);
        } else {
            match name[pos..].find(part) {
                Some(f) => pos += f + part.len(),
                None => return false,
            }
        }
    }
    true
}

impl Binder<'_> {
    pub(crate) fn bind_tabular(&mut self, e: &Expr) -> BResult<(Plan, bool)> {
        self.enter(e.span)?;
        let r = self.bind_tabular_inner(e);
        self.leave();
        r
    }

    fn bind_tabular_inner(&mut self, e: &Expr) -> BResult<(Plan, bool)> {
        let span = e.span;
        if let Some(r) = self.bind_pattern_call(e) {
            return r;
        }
        match &e.kind {
            ExprKind::Paren(inner) => self.bind_tabular(inner),
            ExprKind::Name(id) => self.bind_table_name(id),
            ExprKind::Call { name, args } => {
                if let Some(Binding::Function(def, depth)) = self.lookup(&name.name).cloned() {
                    return match self.call_function(&def, depth, args, None, span, &RowCtx::none())? {
                        FnResult::Tabular(p, o) => Ok((p, o)),
                        FnResult::Scalar(_) => {
                            Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, span, format!("'{}' returns a single value, not a table", name.name))))
                        }
                    };
                }
                if name.name == "_GetWatchlist" {
                    return self.bind_watchlist(args, span);
                }
                if name.name == "materialize" && args.len() == 1 {
                    let (p, o) = self.bind_tabular(&args[0])?;
                    return Ok((shared(p), o));
                }
                if let Some(why) = crate::plan::functions::unsupported_function(&name.name) {
                    return Err(self.error(Diagnostic::semantic(codes::UNAVAILABLE, name.span, format!("'{}()' is not supported in kqlab: {why}", name.name))));
                }
                Err(self.error(
                    Diagnostic::semantic(codes::WRONG_KIND, span, format!("'{}(...)' is not a table", name.name))
                        .with_help("A query starts with a table name, for example: UrlClickEvents | take 10"),
                ))
            }
            ExprKind::Pipe { .. } => {
                // The steps are applied in a loop, so a long pipeline costs one nesting level
                // here (the parser bounds the number of steps, see syntax::parser::MAX_STEPS).
                let mut source = e;
                while let ExprKind::Pipe { input, .. } = &source.kind {
                    source = input;
                }
                // A `let` graph read by this pipeline: its steps come first (see bind::graph).
                let graph_lets = self.graph_lets(source);
                let mut steps = Vec::new();
                let mut source = e;
                for outer in std::iter::once(e).chain(graph_lets.iter()) {
                    let mut s = outer;
                    let mut part = Vec::new();
                    while let ExprKind::Pipe { input, op } = &s.kind {
                        part.push(op.as_ref());
                        s = input;
                    }
                    steps.extend(part);
                    source = s;
                }
                steps.reverse();
                if let Some(render) = steps[..steps.len() - 1].iter().find(|op| matches!(op.kind, OperatorKind::Render { .. })) {
                    return Err(self.error(
                        Diagnostic::semantic(codes::EXPECTED, render.span, "'render' must be the last operator of the query")
                            .with_help("Move '| render ...' to the end"),
                    ));
                }
                let (mut p, mut ordered) = self.bind_tabular(source)?;
                let mut rest = &steps[..];
                while let Some((&op, after)) = rest.split_first() {
                    rest = after;
                    if matches!(op.kind, OperatorKind::Graph(crate::syntax::graph::GraphOp::Make(_))) {
                        // make-graph and the graph operators after it are one plan node.
                        let graph_steps: Vec<&Operator> = std::iter::once(op).chain(rest.iter().copied()).collect();
                        let (g, used) = self.bind_graph(p, &graph_steps)?;
                        (p, ordered, rest) = (g, false, &rest[used..]);
                        continue;
                    }
                    let schema = p.schema.clone();
                    (p, ordered) = match self.apply(p, ordered, op) {
                        Ok(r) => r,
                        // A failed step is stood in for where that is safe, so later steps are
                        // checked too (see recover_step).
                        Err(failed) => self.recover_step(op, schema, ordered).ok_or(failed)?,
                    };
                }
                Ok((p, ordered))
            }
            ExprKind::Datatable { columns, values } => self.bind_datatable(columns, values, span),
            ExprKind::ExternalData { columns, urls, props } => self.bind_externaldata(columns, urls, props, span),
            ExprKind::Print { columns } => self.bind_print(columns, span),
            ExprKind::Range { column, from, to, step } => {
                let ctx = RowCtx::none();
                let f = self.bind_scalar(from, &ctx)?;
                let t = self.bind_scalar(to, &ctx)?;
                let s = self.bind_scalar(step, &ctx)?;
                let ty = match (f.ty, s.ty) {
                    (DataType::DateTime, DataType::TimeSpan) => DataType::DateTime,
                    (DataType::TimeSpan, DataType::TimeSpan) => DataType::TimeSpan,
                    (a, b) if a.is_numeric() && b.is_numeric() => {
                        if a == DataType::Real || b == DataType::Real || t.ty == DataType::Real {
                            DataType::Real
                        } else {
                            DataType::Long
                        }
                    }
                    (a, b) => {
                        return Err(self.error(Diagnostic::semantic(
                            codes::TYPE_MISMATCH,
                            span,
                            format!("'range' needs numbers, or datetimes with a timespan step; got {a} from and {b} step"),
                        )))
                    }
                };
                let step_ty = if ty == DataType::DateTime { DataType::TimeSpan } else { ty };
                let f = self.coerce_to(f, ty, "the start")?;
                let t = self.coerce_to(t, ty, "the end")?;
                let s = self.coerce_to(s, step_ty, "the step")?;
                Ok((plan(Node::Range(Range { from: f, to: t, step: s }), vec![Field::new(&column.name, ty)], span), true))
            }
            ExprKind::Union(spec) => {
                let mut inputs = Vec::new();
                let mut names = Vec::new();
                self.union_inputs(&spec.tables, &mut inputs, &mut names, super::more_ops::is_fuzzy(&spec.params))?;
                self.bind_union(inputs, names, &spec.params, span)
            }
            ExprKind::Unsupported { name, .. } => Err(self.error(self.unsupported_source(name, span))),
            ExprKind::SearchSource { params, tables, predicate, find: None } => self.bind_search_source(params, tables, predicate, span),
            ExprKind::SearchSource { params, tables, predicate, find: Some(out) } => self.bind_find(params, tables, predicate, out, span),
            ExprKind::Implicit => match self.implicit.last().cloned() {
                Some(schema) => Ok((Plan { node: Node::Implicit, schema, span }, false)),
                None => Err(self.error(Diagnostic::semantic(codes::EXPECTED, span, "This operator has no input table"))),
            },
            _ => Err(self.error(
                Diagnostic::semantic(codes::WRONG_KIND, span, "A table is expected here, but this is a single value")
                    .with_help("A query starts with a table name, for example: UrlClickEvents | take 10"),
            )),
        }
    }

    /// After a pipeline step failed to bind (its error is reported), a stand-in for its
    /// output so the later steps are still checked: the rest of the query may hold other,
    /// independent mistakes, which are worth reporting together. Only steps whose output
    /// columns are known without binding them recover: filters, sorts and row limits keep
    /// their input's columns; `extend` and `project` keep them too (for `project`, more than
    /// it would have kept: a later reference to a dropped column goes unreported rather than
    /// a kept one being reported wrongly), and the columns they meant to add are marked so
    /// that later references to them are not reported again. Other steps (a
    /// failed `summarize`, `join`, ...) end the checking of the pipeline.
    /// The stand-in is never run: the query has an error.
    fn recover_step(&mut self, op: &Operator, schema: Arc<Vec<Field>>, ordered: bool) -> Option<(Plan, bool)> {
        let fields = fields_of_schema(&schema);
        match &op.kind {
            OperatorKind::Where(_) | OperatorKind::Take(_) | OperatorKind::Sort(_) | OperatorKind::Top { .. } | OperatorKind::Render { .. } => {}
            OperatorKind::Extend(items) | OperatorKind::Project(items) => {
                for it in items {
                    let names = if it.names.is_empty() {
                        derived_name(&it.expr).into_iter().collect()
                    } else {
                        it.names.iter().map(|n| n.name.clone()).collect::<Vec<_>>()
                    };
                    for n in names {
                        if !self.poisoned.contains(&n) {
                            self.poisoned.push(n);
                        }
                    }
                }
            }
            _ => return None,
        }
        let stand_in = plan(Node::Scan(Arc::new(Table::empty(fields.clone()))), fields, op.span);
        Some((stand_in, ordered))
    }

    pub(crate) fn unsupported_source(&self, name: &str, span: Span) -> Diagnostic {
        match name {
            "externaldata" => Diagnostic::semantic(
                codes::UNAVAILABLE,
                span,
                "'externaldata' is not supported in kqlab: it reads files from the internet, and kqlab runs offline in your browser",
            )
            .with_help("Load your own CSV file as a table in the playground instead"),
            "cluster" | "database" | "external_table" | "materialized_view" => {
                Diagnostic::semantic(codes::UNAVAILABLE, span, format!("'{name}()' is not supported in kqlab: there are no clusters or databases to reach"))
            }
            other => Diagnostic::semantic(codes::UNSUPPORTED, span, format!("'{other}' is not supported in kqlab yet")),
        }
    }

    fn bind_table_name(&mut self, id: &ast::Ident) -> BResult<(Plan, bool)> {
        match self.lookup(&id.name).cloned() {
            Some(Binding::Tabular(p, o)) => {
                let mut p = p;
                p.span = id.span;
                return Ok((p, o));
            }
            Some(Binding::Function(def, depth)) => {
                return match self.call_function(&def, depth, &[], None, id.span, &RowCtx::none())? {
                    FnResult::Tabular(p, o) => Ok((p, o)),
                    FnResult::Scalar(_) => Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, id.span, format!("'{}' is a value, not a table", id.name)))),
                };
            }
            Some(Binding::Scalar(_)) => {
                return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, id.span, format!("'{}' is a single value, not a table", id.name))));
            }
            None => {}
        }
        if let Some(t) = self.catalog.get(&id.name) {
            let fields = t.fields.clone();
            return Ok((plan(Node::Scan(t.clone()), fields, id.span), false));
        }
        let mut candidates: Vec<String> = self.catalog.names().map(|s| s.to_string()).collect();
        for s in &self.scopes {
            for (k, v) in s {
                if matches!(v, Binding::Tabular(..)) {
                    candidates.push(k.clone());
                }
            }
        }
        if let Some((msg, help)) = crate::data::renamed_table(&id.name) {
            return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_TABLE, id.span, msg).with_help(help)));
        }
        // Every table, nearest to the typed name first, after a did-you-mean when one is close.
        let mut tables: Vec<&str> = self.catalog.names().collect();
        crate::util::sort::sort_by_key(&mut tables, |t| (crate::diag::edit_distance(&id.name.to_lowercase(), &t.to_lowercase()), *t));
        let list = if tables.is_empty() { "there are none: load a table first".to_string() } else { tables.join(", ") };
        let guess = did_you_mean(&id.name, candidates.iter().map(|s| s.as_str())).map(|s| format!("Did you mean '{s}'? ")).unwrap_or_default();
        let help = Some(format!("{guess}The tables are, nearest first: {list}"));
        Err(self.error(Diagnostic::semantic(codes::UNKNOWN_TABLE, id.span, format!("Unknown table '{}'", id.name)).maybe_help(help)))
    }

    fn union_inputs(&mut self, tables: &[Expr], inputs: &mut Vec<Plan>, names: &mut Vec<String>, fuzzy: bool) -> BResult<()> {
        for (i, t) in tables.iter().enumerate() {
            if let ExprKind::Name(id) = &t.kind {
                if id.name.contains('*') {
                    let mut matched: Vec<String> = self.catalog.names().filter(|n| wildcard_match(&id.name, n)).map(|s| s.to_string()).collect();
                    crate::util::sort::sort(&mut matched);
                    // Views defined with `let Name = view () {...}` take part too (the union page).
                    let views = self.views_matching(&id.name);
                    if matched.is_empty() && views.is_empty() {
                        if fuzzy {
                            continue;
                        }
                        return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_TABLE, id.span, format!("No table matches '{}'", id.name))));
                    }
                    for v in views {
                        let e = Expr { kind: ExprKind::Name(ast::Ident { name: v.clone(), span: id.span }), span: id.span };
                        let (p, _) = self.bind_tabular(&e)?;
                        inputs.push(p);
                        names.push(v);
                    }
                    for m in matched {
                        let tab = self.catalog.get(&m).cloned().ok_or(super::Failed)?;
                        let f = tab.fields.clone();
                        inputs.push(plan(Node::Scan(tab), f, id.span));
                        names.push(m);
                    }
                    continue;
                }
            }
            let (p, _) = self.bind_tabular(t)?;
            inputs.push(p);
            names.push(match &t.kind {
                ExprKind::Name(id) => id.name.clone(),
                // `(... | as T1)` is named T1 in the source column.
                _ => as_name(t).unwrap_or_else(|| format!("union_arg{}", i)),
            });
        }
        Ok(())
    }

    /// `ingestion_time()`: kqlab's tables are generated, not ingested, so kqlab takes each
    /// row's event time as its ingestion time: the `TimeGenerated` column, else `Timestamp`
    /// (a datetime column of the input), else null (as Kusto gives for a table without the
    /// ingestion-time policy). Detection queries written as `ingestion_time() > ago(1h)` then
    /// select the recent events they are meant to.
    pub(crate) fn bind_ingestion_time(&mut self, span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        for name in ["TimeGenerated", "Timestamp"] {
            if ctx.schema.iter().any(|f| f.name == name && f.ty == DataType::DateTime) {
                let e = Expr { kind: ExprKind::Name(ast::Ident { name: name.into(), span }), span };
                return self.bind_scalar(&e, ctx);
            }
        }
        Ok(BExpr::constant(Value::Null, DataType::DateTime, span))
    }

    /// `rand()` (a real in [0, 1)) and `rand(N)` (a whole real in [0, N-1]): kqlab draws from a
    /// fixed pseudo-random sequence, a hash of the row's position salted by
    /// where the call stands in the query, so a query gives the same values on every run
    /// (a fixed seed per session; Kusto's differ from run to run). Lesson solutions may not
    /// use it (`kqlab lessons check` refuses them).
    pub(crate) fn bind_rand(&mut self, args: &[Expr], span: Span) -> BResult<BExpr> {
        use crate::plan::ArithOp;
        let salt = (span.start as i64 % 9973) * 104_729;
        let long = |v: i64| BExpr::constant(Value::Long(v), DataType::Long, span);
        let arith = |op, a: BExpr, b: BExpr, ty| BExpr::new(BKind::Arith(op, Box::new(a), Box::new(b)), ty, span);
        let n = BExpr::new(BKind::RowNumber(salt), DataType::Long, span);
        // h = n * 2654435761 mod 2^32 (Knuth's multiplicative hash), then a non-linear step
        // (h + lo(h) * hi(h) * 40503) mod 2^32 so neighbouring rows do not show the lattice.
        let h = arith(ArithOp::Mod, arith(ArithOp::Mul, n, long(2_654_435_761), DataType::Long), long(1 << 32), DataType::Long);
        let lo = arith(ArithOp::Mod, h.clone(), long(1 << 16), DataType::Long);
        let hi = arith(ArithOp::Div, h.clone(), long(1 << 16), DataType::Long);
        let mixed = arith(ArithOp::Mul, arith(ArithOp::Mul, lo, hi, DataType::Long), long(40_503), DataType::Long);
        let hashed = arith(ArithOp::Mod, arith(ArithOp::Add, h, mixed, DataType::Long), long(1 << 32), DataType::Long);
        let unit = arith(
            ArithOp::Div,
            BExpr::new(BKind::Cast(Box::new(hashed)), DataType::Real, span),
            BExpr::constant(Value::Real((1u64 << 32) as f64), DataType::Real, span),
            DataType::Real,
        );
        let Some(n) = args.first() else { return Ok(unit) };
        let n = self.bind_scalar(n, &RowCtx::none())?;
        if !n.ty.is_numeric() {
            return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, n.span, format!("rand(N) needs a number N, but this is a {}", n.ty))));
        }
        let n = BExpr::new(BKind::Cast(Box::new(n)), DataType::Real, span);
        // The rand page: rand(N) is a real drawn from {0.0, 1.0, ..., N - 1}.
        let whole = BExpr::new(BKind::Cast(Box::new(arith(ArithOp::Mul, unit, n, DataType::Real))), DataType::Long, span);
        Ok(BExpr::new(BKind::Cast(Box::new(whole)), DataType::Real, span))
    }

    pub(crate) fn bind_union_public(&mut self, inputs: Vec<Plan>, names: Vec<String>, params: &[OpParam], span: Span) -> BResult<(Plan, bool)> {
        self.bind_union(inputs, names, params, span)
    }

    fn bind_union(&mut self, inputs: Vec<Plan>, names: Vec<String>, params: &[OpParam], span: Span) -> BResult<(Plan, bool)> {
        let mut inner = false;
        let mut source: Option<String> = None;
        for p in params {
            match p.name.name.as_str() {
                "kind" => match param_word(p).as_deref() {
                    Some("inner") => inner = true,
                    Some("outer") => inner = false,
                    _ => return Err(self.error(Diagnostic::semantic(codes::EXPECTED, p.span, "union kind must be 'inner' or 'outer'"))),
                },
                "withsource" => source = param_word(p),
                "isfuzzy" => {}
                other => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The union parameter '{other}' is not supported")))),
            }
        }
        // Output columns: by name in order of first appearance; a name used with different
        // types becomes one column per type, named name_type (Kusto's rule).
        let mut by_name: Vec<(String, Vec<DataType>)> = Vec::new();
        for p in &inputs {
            for f in p.schema.iter() {
                match by_name.iter_mut().find(|(n, _)| *n == f.name) {
                    Some((_, tys)) => {
                        if !tys.contains(&f.ty) {
                            tys.push(f.ty)
                        }
                    }
                    None => by_name.push((f.name.clone(), vec![f.ty])),
                }
            }
        }
        // Kusto names a split column name_type, and when that name is taken by another
        // column (or an earlier split), it appends 1, 2, ... (the union page's x_long1).
        let mut taken: Vec<String> = by_name.iter().filter(|(_, t)| t.len() == 1).map(|(n, _)| n.clone()).collect();
        let mut fields = Vec::new();
        let mut gather = Vec::new();
        for (name, tys) in &by_name {
            if inner && !inputs.iter().all(|p| p.schema.iter().any(|f| &f.name == name)) {
                continue;
            }
            if tys.len() == 1 {
                fields.push(Field::new(name, tys[0]));
                gather.push((name.clone(), tys[0]));
            } else {
                for t in tys {
                    let base = format!("{name}_{}", t.name());
                    let mut out = base.clone();
                    let mut k = 1;
                    while taken.contains(&out) {
                        out = format!("{base}{k}");
                        k += 1;
                    }
                    taken.push(out.clone());
                    fields.push(Field::new(out, *t));
                    gather.push((name.clone(), *t));
                }
            }
        }
        let source_names = source.as_ref().map(|s| {
            fields.insert(0, Field::new(s, DataType::String));
            names.clone()
        });
        Ok((plan(Node::Union(Union { inputs, source: source_names, columns: gather }), fields, span), false))
    }

    fn bind_datatable(&mut self, columns: &[(ast::Ident, DataType)], values: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let ncol = columns.len();
        if values.len() % ncol != 0 {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!("The datatable has {ncol} column{} but {} values, which is not a whole number of rows", if ncol == 1 { "" } else { "s" }, values.len()),
            )));
        }
        let fields: Vec<Field> = columns.iter().map(|(n, t)| Field::new(&n.name, *t)).collect();
        let ctx = RowCtx::none();
        let mut rows = Vec::new();
        for chunk in values.chunks(ncol) {
            let mut row = Vec::new();
            for (v, f) in chunk.iter().zip(&fields) {
                let b = self.bind_scalar(v, &ctx)?;
                let b = self.coerce_to(b, f.ty, &format!("a value of column '{}'", f.name))?;
                let value = match &b.kind {
                    BKind::Const(x) => convert_const(x, f.ty),
                    BKind::Cast(inner) => match inner.as_const() {
                        Some(x) => convert_const(x, f.ty),
                        None => None,
                    },
                    _ => None,
                };
                let Some(value) = value else {
                    return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, v.span, "Datatable values must be literals")));
                };
                row.push(value);
            }
            rows.push(row);
        }
        let table = Table::from_rows(fields.clone(), &rows);
        Ok((plan(Node::Scan(Arc::new(table)), fields, span), false))
    }

    fn bind_print(&mut self, columns: &[NamedExpr], span: Span) -> BResult<(Plan, bool)> {
        let one_row = Arc::new(Table::with_len(vec![], vec![], 1));
        let input = plan(Node::Scan(one_row), vec![], span);
        let ctx = RowCtx::none();
        let mut namer = Namer::new(Vec::<String>::new());
        let mut exprs = Vec::new();
        let mut fields = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            // A function that returns several columns (array_sort_asc of several arrays...).
            if c.names.len() > 1 || Self::multi_output(&c.expr).is_some() {
                for (name, b) in self.bind_multi_output(c, &ctx)? {
                    fields.push(Field::new(namer.unique(&name), b.ty));
                    exprs.push(b);
                }
                continue;
            }
            let b = self.bind_scalar(&c.expr, &ctx)?;
            let name = match c.names.first() {
                Some(n) => n.name.clone(),
                None => derived_name(&c.expr).unwrap_or_else(|| format!("print_{i}")),
            };
            let name = namer.unique(&name);
            fields.push(Field::new(name, b.ty));
            exprs.push(b);
        }
        Ok((plan(Node::Project(Project { input: Box::new(input), exprs }), fields, span), false))
    }

    fn apply(&mut self, input: Plan, ordered: bool, op: &Operator) -> BResult<(Plan, bool)> {
        let span = op.span;
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        match &op.kind {
            OperatorKind::Where(pred) => {
                let p = self.bind_scalar(pred, &ctx)?;
                let p = match p.ty {
                    DataType::Bool => p,
                    DataType::Dynamic => self.coerce_to(p, DataType::Bool, "the condition")?,
                    t => {
                        return Err(self.error(
                            Diagnostic::semantic(
                                codes::TYPE_MISMATCH,
                                p.span,
                                format!("The 'where' condition must be true or false for each row, but this is a {t}"),
                            )
                            .with_help("Compare it with something, for example: where Url contains \"login\""),
                        ))
                    }
                };
                Ok((plan(Node::Filter(Filter { input: Box::new(input), predicate: p }), fields_of_schema(&schema), span), ordered))
            }
            OperatorKind::Extend(items) => self.bind_extend(input, ordered, items, span),
            OperatorKind::Serialize(items) => {
                let (p, _) = self.bind_extend(input, true, items, span)?;
                Ok((p, true))
            }
            OperatorKind::Project(items) => self.bind_project(input, ordered, items, span),
            OperatorKind::ProjectAway(pats) => {
                let keep = self.match_patterns(&schema, pats, false)?;
                let keep: Vec<usize> = (0..schema.len()).filter(|i| !keep.contains(i)).collect();
                Ok((select(input, &keep, span), ordered))
            }
            OperatorKind::ProjectKeep(pats) => {
                let mut keep = self.match_patterns(&schema, pats, false)?;
                crate::util::sort::sort(&mut keep);
                Ok((select(input, &keep, span), ordered))
            }
            OperatorKind::ProjectReorder(pats) => {
                let mut first = self.match_patterns(&schema, pats, true)?;
                first.dedup();
                let mut order = first.clone();
                order.extend((0..schema.len()).filter(|i| !first.contains(i)));
                Ok((select(input, &order, span), ordered))
            }
            OperatorKind::ProjectByNames(items) => Ok((self.bind_project_by_names(input, items, span)?, ordered)),
            OperatorKind::ProjectRename(pairs) => {
                let mut fields = fields_of(&input);
                for (new, old) in pairs {
                    let Some(i) = fields.iter().position(|f| f.name == old.name) else {
                        return Err(self.unknown_column(&old.name, old.span, &schema));
                    };
                    fields[i].name = new.name.clone();
                }
                let mut seen = Vec::new();
                for f in &fields {
                    if seen.contains(&&f.name) {
                        return Err(self.error(Diagnostic::semantic(
                            codes::DUPLICATE_COLUMN,
                            span,
                            format!("After renaming, two columns are named '{}'", f.name),
                        )));
                    }
                    seen.push(&f.name);
                }
                let exprs = (0..fields.len()).map(|i| BExpr::column(i, fields[i].ty, span)).collect();
                Ok((plan(Node::Project(Project { input: Box::new(input), exprs }), fields, span), ordered))
            }
            OperatorKind::Summarize { params, aggregates, by } => {
                for p in params {
                    if !p.name.name.starts_with("hint.") {
                        return Err(self.error(Diagnostic::semantic(
                            codes::UNSUPPORTED,
                            p.span,
                            format!("The summarize parameter '{}' is not supported", p.name.name),
                        )));
                    }
                }
                self.bind_summarize(input, ordered, aggregates, by, span)
            }
            OperatorKind::Count(alias) => {
                let name = alias.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "Count".into());
                let call = AggCall { func: AggFn::Count, args: vec![], out: vec![DataType::Long], span };
                Ok((
                    plan(Node::Aggregate(Aggregate { input: Box::new(input), keys: vec![], aggs: vec![call] }), vec![Field::new(name, DataType::Long)], span),
                    false,
                ))
            }
            OperatorKind::Distinct(items) => {
                let mut keys = Vec::new();
                let mut fields = Vec::new();
                let mut namer = Namer::new(Vec::<String>::new());
                for it in items {
                    if matches!(it.kind, ExprKind::Star) {
                        for (i, f) in schema.iter().enumerate() {
                            keys.push(BExpr::column(i, f.ty, it.span));
                            fields.push(Field::new(namer.unique(&f.name), f.ty));
                        }
                        continue;
                    }
                    let b = self.bind_scalar(it, &ctx)?;
                    let name = derived_name(it).unwrap_or_else(|| namer.column());
                    fields.push(Field::new(namer.unique(&name), b.ty));
                    keys.push(b);
                }
                self.check_groupable(&keys)?;
                Ok((plan(Node::Aggregate(Aggregate { input: Box::new(input), keys, aggs: vec![] }), fields, span), false))
            }
            OperatorKind::Take(n) => {
                let count = self.row_count(n, "take")?;
                Ok((plan(Node::Take(Take { input: Box::new(input), count }), fields_of_schema(&schema), span), ordered))
            }
            OperatorKind::Top { count, by } => {
                let count = self.row_count(count, "top")?;
                let keys = self.sort_keys(by, &ctx)?;
                Ok((plan(Node::Top(Top { input: Box::new(input), count, keys }), fields_of_schema(&schema), span), true))
            }
            OperatorKind::Sort(by) => {
                let keys = self.sort_keys(by, &ctx)?;
                Ok((plan(Node::Sort(Sort { input: Box::new(input), keys }), fields_of_schema(&schema), span), true))
            }
            OperatorKind::Union(spec) => {
                let mut inputs = vec![input];
                let mut names = vec!["union_arg0".to_string()];
                self.union_inputs(&spec.tables, &mut inputs, &mut names, super::more_ops::is_fuzzy(&spec.params))?;
                self.bind_union(inputs, names, &spec.params, span)
            }
            OperatorKind::Join { params, right, on } => self.bind_join(input, params, right, on, span, false),
            OperatorKind::Lookup { params, right, on } => self.bind_join(input, params, right, on, span, true),
            OperatorKind::MvExpand { params, items, limit } => self.bind_mv_expand(input, ordered, params, items, limit.as_ref(), span),
            OperatorKind::Render { visualization, properties } => {
                let spec = self.bind_render(visualization, properties, &schema)?;
                if self.depth <= 2 {
                    self.render = Some(spec);
                }
                Ok((input, ordered))
            }
            OperatorKind::As(name) => {
                // The rest of the query can use the name as a table (`union T1`, `join T1`);
                // the input is computed once however often it is used.
                let input = shared(input);
                self.define(&name.name, Binding::Tabular(input.clone(), ordered));
                Ok((input, ordered))
            }
            OperatorKind::Getschema => {
                let fields = vec![
                    Field::new("ColumnName", DataType::String),
                    Field::new("ColumnOrdinal", DataType::Int),
                    Field::new("DataType", DataType::String),
                    Field::new("ColumnType", DataType::String),
                ];
                Ok((plan(Node::GetSchema(GetSchema { input: Box::new(input) }), fields, span), false))
            }
            OperatorKind::Parse { params, source, pattern, drop_failed } => self.bind_parse(input, ordered, params, source, pattern, *drop_failed, span),
            OperatorKind::Invoke(call) => {
                let ExprKind::Call { name, args } = &call.kind else {
                    return Err(self.error(Diagnostic::semantic(codes::EXPECTED, call.span, "'invoke' needs a function call, such as invoke MyFunction()")));
                };
                let Some(Binding::Function(def, depth)) = self.lookup(&name.name).cloned() else {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNKNOWN_FUNCTION,
                        name.span,
                        format!("'{}' is not a function defined with 'let'", name.name),
                    )));
                };
                match self.call_function(&def, depth, args, Some((input, ordered)), span, &RowCtx::none())? {
                    FnResult::Tabular(p, o) => Ok((p, o)),
                    FnResult::Scalar(_) => Err(self.error(Diagnostic::semantic(
                        codes::WRONG_KIND,
                        span,
                        format!("'{}' returns a value, but 'invoke' needs a function that returns a table", name.name),
                    ))),
                }
            }
            OperatorKind::Evaluate { params, call, schema: out } => self.bind_evaluate(input, ordered, params, call, out.as_ref(), span),
            OperatorKind::Search { params, predicate } => self.bind_search_filter(input, ordered, params, predicate, span),
            OperatorKind::Scan(spec) => self.bind_scan(input, spec, span),
            OperatorKind::Partition { params, by, subquery } => self.bind_partition(input, params, by, subquery, span),
            OperatorKind::Sample(n) => {
                let count = self.row_count(n, "sample")?;
                Ok((plan(Node::Sample(crate::plan::Sample { input: Box::new(input), count, distinct: None }), fields_of_schema(&schema), span), false))
            }
            OperatorKind::SampleDistinct { count, of } => {
                let count = self.row_count(count, "sample-distinct")?;
                let b = self.bind_scalar(of, &ctx)?;
                let BKind::Column(c) = b.kind else {
                    return Err(self.error(Diagnostic::semantic(
                        codes::EXPECTED,
                        of.span,
                        "sample-distinct picks values of a column: write sample-distinct 10 of Column",
                    )));
                };
                let fields = vec![schema[c].clone()];
                Ok((plan(Node::Sample(crate::plan::Sample { input: Box::new(input), count, distinct: Some(c) }), fields, span), false))
            }
            OperatorKind::MakeSeries(spec) => self.bind_make_series(input, ordered, spec, span),
            OperatorKind::MvApply { params, items, limit, subquery } => self.bind_mv_apply(input, ordered, params, items, limit.as_ref(), subquery, span),
            OperatorKind::TopNested(levels) => self.bind_top_nested(input, ordered, levels, span),
            OperatorKind::ParseKv { source, columns, options } => self.bind_parse_kv(input, ordered, source, columns, options, span),
            OperatorKind::Graph(g) => Err(self.error(
                Diagnostic::semantic(codes::WRONG_KIND, span, format!("'{}' reads a graph, and its input is a table", g.name()))
                    .with_help("Build the graph first: | make-graph Source --> Target [with Nodes on Id] | graph-match ..."),
            )),
            OperatorKind::Unsupported { name, .. } => Err(self.error(self.unsupported_operator(name, span))),
        }
    }

    fn unsupported_operator(&self, name: &str, span: Span) -> Diagnostic {
        match name {
            "externaldata" | "find" => self.unsupported_source(name, span),
            _ => Diagnostic::semantic(codes::UNSUPPORTED, span, format!("'{name}' is not supported in kqlab yet")),
        }
    }

    fn unknown_column(&mut self, name: &str, span: Span, schema: &[Field]) -> super::Failed {
        let help = did_you_mean(name, schema.iter().map(|f| f.name.as_str())).map(|s| format!("Did you mean '{s}'?"));
        self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, span, format!("Unknown column '{name}'")).maybe_help(help))
    }

    fn match_patterns(&mut self, schema: &[Field], pats: &[ColumnPattern], ordered_dirs: bool) -> BResult<Vec<usize>> {
        let mut out = Vec::new();
        for p in pats {
            if p.pattern.contains('*') {
                let mut hits: Vec<usize> = (0..schema.len()).filter(|&i| wildcard_match(&p.pattern, &schema[i].name)).collect();
                if ordered_dirs {
                    match p.dir {
                        Some(SortDir::Asc) => crate::util::sort::sort_by(&mut hits, |a, b| schema[*a].name.cmp(&schema[*b].name)),
                        Some(SortDir::Desc) => crate::util::sort::sort_by(&mut hits, |a, b| schema[*b].name.cmp(&schema[*a].name)),
                        None => {}
                    }
                }
                out.extend(hits.into_iter().filter(|i| !out.contains(i)).collect::<Vec<_>>());
            } else {
                match schema.iter().position(|f| f.name == p.pattern) {
                    Some(i) => out.push(i),
                    None => return Err(self.unknown_column(&p.pattern, p.span, schema)),
                }
            }
        }
        Ok(out)
    }

    fn row_count(&mut self, n: &Expr, op: &str) -> BResult<BExpr> {
        let b = self.bind_scalar(n, &RowCtx::none())?;
        if !b.ty.is_numeric() {
            return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, b.span, format!("'{op}' needs a number of rows, but this is a {}", b.ty))));
        }
        if let Some(v) = b.as_const().and_then(Value::as_i64) {
            if v < 0 {
                return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, b.span, format!("'{op}' needs a number of rows that is not negative"))));
            }
        }
        self.coerce_to(b, DataType::Long, "the number of rows")
    }

    fn sort_keys(&mut self, keys: &[SortKey], ctx: &RowCtx) -> BResult<Vec<SortSpec>> {
        let mut out = Vec::new();
        for k in keys {
            let e = self.bind_scalar(&k.expr, ctx)?;
            if e.ty == DataType::Dynamic {
                // Kusto sorts dynamic values by their text; we do the same.
            }
            let desc = k.dir != Some(SortDir::Asc);
            let nulls_first = match k.nulls {
                Some(NullsPos::First) => true,
                Some(NullsPos::Last) => false,
                None => !desc,
            };
            out.push(SortSpec { expr: e, desc, nulls_first });
        }
        Ok(out)
    }

    fn check_groupable(&mut self, keys: &[BExpr]) -> BResult<()> {
        let _ = keys;
        Ok(())
    }

    /// `extend`: computed columns appended (or replacing same-named ones in place). Later
    /// items may use columns defined by earlier items of the same `extend`.
    fn bind_extend(&mut self, input: Plan, ordered: bool, items: &[NamedExpr], span: Span) -> BResult<(Plan, bool)> {
        let base = input.schema.clone();
        let mut fields = fields_of(&input);
        let mut exprs: Vec<BExpr> = (0..fields.len()).map(|i| BExpr::column(i, fields[i].ty, span)).collect();
        let mut namer = Namer::new(fields.iter().map(|f| f.name.clone()));
        let mut failed = None;
        for it in items {
            // Bind against the columns so far; references to columns added by this extend are
            // replaced by their defining expressions.
            let ctx = RowCtx { schema: &fields, agg: None, ordered };
            if it.names.len() > 1 || Self::multi_output(&it.expr).is_some() {
                let parts = self.bind_multi_output(it, &ctx)?;
                for (name, b) in parts {
                    let b = inline_columns(b, &exprs, base.len());
                    match fields.iter().position(|f| f.name == name) {
                        Some(i) => {
                            // Kusto removes the old column and appends the new value.
                            fields.remove(i);
                            exprs.remove(i);
                            fields.push(Field::new(&name, b.ty));
                            exprs.push(b);
                        }
                        None => {
                            namer.take(&name);
                            fields.push(Field::new(&name, b.ty));
                            exprs.push(b);
                        }
                    }
                }
                continue;
            }
            // pack_all() packs the row that enters the operator, not the columns this extend
            // adds before it: bind such an item against the input columns alone.
            let sees_input_only = calls_pack_all(&it.expr);
            let input_ctx = RowCtx { schema: &base, agg: None, ordered };
            let b = match self.bind_scalar(&it.expr, if sees_input_only { &input_ctx } else { &ctx }) {
                Ok(b) => b,
                Err(f) => {
                    // Later items are still checked; references to this one are not errors
                    // of their own.
                    for n in it.names.iter().map(|n| n.name.clone()).chain(derived_name(&it.expr).filter(|_| it.names.is_empty())) {
                        self.poisoned.push(n);
                    }
                    failed = Some(f);
                    continue;
                }
            };
            let b = if sees_input_only { b } else { inline_columns(b, &exprs, base.len()) };
            let names: Vec<String> = match it.names.len() {
                0 => vec![match derived_name(&it.expr) {
                    Some(n) if namer.is_taken(&n) && base.iter().any(|f| f.name == n) && is_plain_name(&it.expr) => n,
                    Some(n) => namer.unique(&n),
                    None => namer.column(),
                }],
                1 => vec![it.names[0].name.clone()],
                _ => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        it.span,
                        "Assigning several columns at once is only possible for functions that return several columns, which kqlab does not have",
                    )))
                }
            };
            let name = &names[0];
            match fields.iter().position(|f| &f.name == name) {
                Some(i) => {
                    // Kusto removes the old column and appends the new value.
                    let f = fields.remove(i);
                    exprs.remove(i);
                    fields.push(Field::new(f.name, b.ty));
                    exprs.push(b);
                }
                None => {
                    namer.take(name);
                    fields.push(Field::new(name, b.ty));
                    exprs.push(b);
                }
            }
        }
        if let Some(f) = failed {
            return Err(f);
        }
        Ok((plan(Node::Project(Project { input: Box::new(input), exprs }), fields, span), ordered))
    }

    pub(crate) fn bind_project(&mut self, input: Plan, ordered: bool, items: &[NamedExpr], span: Span) -> BResult<(Plan, bool)> {
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let mut fields: Vec<Field> = Vec::new();
        let mut exprs = Vec::new();
        let mut namer = Namer::new(Vec::<String>::new());
        let mut failed = None;
        // Explicit names are reserved first so generated ones avoid them.
        for it in items {
            for n in &it.names {
                namer.take(&n.name);
            }
        }
        for it in items {
            if it.names.len() > 1 || Self::multi_output(&it.expr).is_some() {
                for (name, b) in self.bind_multi_output(it, &ctx)? {
                    if fields.iter().any(|f| f.name == name) {
                        return Err(self.error(Diagnostic::semantic(
                            codes::DUPLICATE_COLUMN,
                            it.span,
                            format!("The column '{name}' appears twice in 'project'"),
                        )));
                    }
                    fields.push(Field::new(name, b.ty));
                    exprs.push(b);
                }
                continue;
            }
            let b = match self.bind_scalar(&it.expr, &ctx) {
                Ok(b) => b,
                Err(f) => {
                    // Check the other items too: their mistakes are independent.
                    failed = Some(f);
                    continue;
                }
            };
            let name = match it.names.len() {
                0 => match derived_name(&it.expr) {
                    // A bare column listed twice is a mistake, not a new column.
                    Some(n) if is_plain_name(&it.expr) => {
                        namer.take(&n);
                        n
                    }
                    Some(n) => namer.unique(&n),
                    None => namer.column(),
                },
                1 => it.names[0].name.clone(),
                _ => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, it.span, "Assigning several columns at once is not supported here"))),
            };
            if fields.iter().any(|f| f.name == name) {
                return Err(self.error(
                    Diagnostic::semantic(codes::DUPLICATE_COLUMN, it.span, format!("The column '{name}' appears twice in 'project'"))
                        .with_help("Give one of them another name, for example: project A = X, B = X"),
                ));
            }
            fields.push(Field::new(name, b.ty));
            exprs.push(b);
        }
        if let Some(f) = failed {
            return Err(f);
        }
        Ok((plan(Node::Project(Project { input: Box::new(input), exprs }), fields, span), ordered))
    }

    fn bind_summarize(&mut self, input: Plan, ordered: bool, aggregates: &[NamedExpr], by: &[NamedExpr], span: Span) -> BResult<(Plan, bool)> {
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let mut namer = Namer::new(Vec::<String>::new());
        for it in aggregates.iter().chain(by) {
            for n in &it.names {
                namer.take(&n.name);
            }
        }
        // Group keys, then the aggregates: a mistake in one item does not stop the others
        // from being checked.
        let mut failed = None;
        let mut keys = Vec::new();
        let mut fields = Vec::new();
        for it in by {
            if let ExprKind::Call { name, .. } = &it.expr.kind {
                if AggFn::from_name(&name.name).is_some() {
                    return Err(self.error(Diagnostic::semantic(
                        codes::AGG_CONTEXT,
                        it.expr.span,
                        format!("{}() is an aggregation, so it goes before 'by', not after", name.name),
                    )));
                }
            }
            let b = match self.bind_scalar(&it.expr, &ctx) {
                Ok(b) => b,
                Err(f) => {
                    failed = Some(f);
                    continue;
                }
            };
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
        let key_count = keys.len();
        let scope = AggScope { input: &schema, input_ordered: ordered, key_count, calls: RefCell::new(Vec::new()) };
        // Each aggregate item is either a multi-column aggregate (arg_max, take_any(*)) or an
        // expression over single-column aggregates; the latter is computed by a projection
        // over the aggregated table.
        let mut outputs: Vec<(String, BExpr)> = Vec::new();
        let mut post_needed = false;
        for it in aggregates {
            if let ExprKind::Call { name, args } = &it.expr.kind {
                if name.name == "percentilesw" {
                    outputs.extend(self.bind_percentilesw(args, it, &scope, &schema, &mut namer, ordered)?);
                    continue;
                }
                let agg = AggFn::from_name(&name.name);
                let multi = matches!(agg, Some(AggFn::ArgMax) | Some(AggFn::ArgMin) | Some(AggFn::Percentiles))
                    || (agg == Some(AggFn::TakeAny) && (args.len() > 1 || args.iter().any(|a| matches!(a.kind, ExprKind::Star))));
                if multi {
                    let agg = agg.ok_or(super::Failed)?;
                    let cols = self.bind_multi_aggregate(agg, name, args, it, &scope, &schema, &fields, &mut namer, ordered)?;
                    for c in cols {
                        outputs.push(c);
                    }
                    continue;
                }
            }
            let agg_ctx = RowCtx { schema: &schema, agg: Some(&scope), ordered };
            let calls_before = scope.calls.borrow().len();
            let b = match self.bind_scalar(&it.expr, &agg_ctx) {
                Ok(b) => b,
                Err(f) => {
                    failed = Some(f);
                    continue;
                }
            };
            if scope.calls.borrow().len() == calls_before {
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::AGG_CONTEXT,
                        it.expr.span,
                        "Each item before 'by' must use an aggregation such as count(), sum() or make_set()",
                    )
                    .with_help("Move plain columns after 'by' to group by them"),
                ));
            }
            let name = match it.names.len() {
                0 => match self.aggregate_name(&it.expr) {
                    Some(n) => namer.unique(&n),
                    None => namer.column(),
                },
                1 => it.names[0].name.clone(),
                _ => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        it.span,
                        "Several names can only be given to arg_max(), arg_min() and take_any()",
                    )))
                }
            };
            if b.as_column().is_none() {
                post_needed = true;
            }
            outputs.push((name, b));
        }
        if let Some(f) = failed {
            return Err(f);
        }
        let calls = scope.calls.into_inner();
        // The aggregate node's own output: keys, then every aggregate slot.
        let mut agg_fields = fields.clone();
        let mut slot_names = Vec::new();
        for c in &calls {
            for t in &c.out {
                let n = format!("__agg{}", slot_names.len());
                slot_names.push(n.clone());
                agg_fields.push(Field::new(n, *t));
            }
        }
        // If every output is a bare slot in order, the aggregate's output is the result.
        let direct =
            !post_needed && outputs.iter().enumerate().all(|(i, (_, e))| e.as_column() == Some(key_count + i)) && outputs.len() + key_count == agg_fields.len();
        let agg_plan = plan(Node::Aggregate(Aggregate { input: Box::new(input), keys, aggs: calls }), agg_fields.clone(), span);
        let mut out_fields = fields.clone();
        for (n, e) in &outputs {
            if out_fields.iter().any(|f| &f.name == n) {
                return Err(self.error(Diagnostic::semantic(codes::DUPLICATE_COLUMN, span, format!("Two output columns of 'summarize' are named '{n}'"))));
            }
            out_fields.push(Field::new(n, e.ty));
        }
        if direct {
            let mut p = agg_plan;
            p.schema = Arc::new(out_fields);
            return Ok((p, false));
        }
        let mut exprs: Vec<BExpr> = (0..key_count).map(|i| BExpr::column(i, agg_fields[i].ty, span)).collect();
        exprs.extend(outputs.into_iter().map(|(_, e)| e));
        Ok((plan(Node::Project(Project { input: Box::new(agg_plan), exprs }), out_fields, span), false))
    }

    /// `arg_max(x, *)`, `arg_min(x, a, b)`, `take_any(*)`, `take_any(a, b)`.
    #[allow(clippy::too_many_arguments)]
    fn bind_multi_aggregate(
        &mut self,
        agg: AggFn,
        name: &ast::Ident,
        args: &[Expr],
        item: &NamedExpr,
        scope: &AggScope,
        schema: &[Field],
        key_fields: &[Field],
        namer: &mut Namer,
        ordered: bool,
    ) -> BResult<Vec<(String, BExpr)>> {
        let inner = RowCtx { schema, agg: None, ordered };
        if agg == AggFn::Percentiles {
            if args.len() < 2 {
                return Err(self.error(Diagnostic::semantic(
                    codes::ARG_COUNT,
                    item.span,
                    "percentiles() needs the value and at least one percentile, e.g. percentiles(x, 50, 95)",
                )));
            }
            let value = self.bind_scalar(&args[0], &inner)?;
            let ty = match agg.result_type(Some(value.ty)) {
                Ok(t) => t,
                Err(m) => return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, value.span, m))),
            };
            let base = derived_name(&args[0]).unwrap_or_default();
            let mut bound = vec![value];
            let mut names = Vec::new();
            for a in &args[1..] {
                let p = self.bind_scalar(a, &RowCtx::none())?;
                if crate::plan::aggregates::percentile_value(&p).is_none() {
                    return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, p.span, "Each percentile must be a constant number from 0 to 100")));
                }
                names.push(format!("percentile_{base}_{}", super::expr::percentile_suffix(&a.to_string())));
                bound.push(p);
            }
            for (i, n) in item.names.iter().enumerate() {
                if i < names.len() {
                    names[i] = n.name.clone();
                }
            }
            let slot = {
                let calls = scope.calls.borrow();
                scope.key_count + calls.iter().map(|c| c.out.len()).sum::<usize>()
            };
            let out = vec![ty; names.len()];
            let mut result = Vec::new();
            for (i, n) in names.iter().enumerate() {
                let n = if item.names.len() > i { n.clone() } else { namer.unique(n) };
                result.push((n, BExpr::column(slot + i, ty, item.span)));
            }
            scope.calls.borrow_mut().push(AggCall { func: agg, args: bound, out, span: item.span });
            return Ok(result);
        }
        if args.is_empty() || (matches!(agg, AggFn::ArgMax | AggFn::ArgMin) && args.len() < 2) {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                item.span,
                format!("{}() needs the expression to maximize and the columns to return, e.g. {}(Timestamp, *)", name.name, name.name),
            )));
        }
        let mut bound = Vec::new();
        let mut names = Vec::new();
        let is_arg = matches!(agg, AggFn::ArgMax | AggFn::ArgMin);
        let prefix = if agg == AggFn::ArgMax {
            "max_"
        } else if agg == AggFn::ArgMin {
            "min_"
        } else {
            "any_"
        };
        for (i, a) in args.iter().enumerate() {
            if matches!(a.kind, ExprKind::Star) {
                if is_arg && i == 0 {
                    return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, a.span, "The first argument must be the expression to maximize, not '*'")));
                }
                for (ci, f) in schema.iter().enumerate() {
                    let already = key_fields.iter().any(|k| k.name == f.name) || names.contains(&f.name);
                    if already {
                        continue;
                    }
                    bound.push(BExpr::column(ci, f.ty, a.span));
                    names.push(f.name.clone());
                }
                continue;
            }
            if let (true, ExprKind::NamedArg { name: alias, .. }) = (is_arg, &a.kind) {
                // The arg_max/arg_min pages document no `Name = Expr` form inside the call.
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        alias.span,
                        format!("{}() does not take '{} = ...' inside its parentheses: the columns it returns keep their own names", name.name, alias.name),
                    )
                    .with_help(format!(
                        "Name the results outside the call: summarize ({}, {}) = {}(...), or rename them after with project-rename",
                        if agg == AggFn::ArgMax { "Max" } else { "Min" },
                        alias.name,
                        name.name
                    )),
                ));
            }
            let b = self.bind_scalar(a, &inner)?;
            if is_arg && i == 0 && b.ty == DataType::Dynamic {
                return Err(self.error(Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    b.span,
                    format!("{}() cannot compare dynamic values; convert them first", name.name),
                )));
            }
            let n = match derived_name(a) {
                // take_any(a, b) keeps the names; only the old spelling any(a, b) prefixes them.
                Some(n) if is_arg || agg != AggFn::TakeAny || name.name != "any" => n,
                Some(n) => format!("any_{n}"),
                None => prefix.to_string(),
            };
            bound.push(b);
            names.push(n);
        }
        // Renames from `(a, b, ...) = arg_max(...)`.
        for (i, n) in item.names.iter().enumerate() {
            if i < names.len() {
                names[i] = n.name.clone();
            }
        }
        let slot = {
            let calls = scope.calls.borrow();
            scope.key_count + calls.iter().map(|c| c.out.len()).sum::<usize>()
        };
        let out: Vec<DataType> = bound.iter().map(|b| b.ty).collect();
        let mut result = Vec::new();
        for (i, (n, t)) in names.iter().zip(&out).enumerate() {
            let n = if item.names.len() > i { n.clone() } else { namer.unique(n) };
            result.push((n, BExpr::column(slot + i, *t, item.span)));
        }
        scope.calls.borrow_mut().push(AggCall { func: agg, args: bound, out, span: item.span });
        Ok(result)
    }

    fn bind_join(&mut self, left: Plan, params: &[OpParam], right: &Expr, on: &[Expr], span: Span, lookup: bool) -> BResult<(Plan, bool)> {
        let mut kind = if lookup { JoinKind::LeftOuter } else { JoinKind::InnerUnique };
        for p in params {
            match p.name.name.as_str() {
                "kind" => {
                    let w = param_word(p).unwrap_or_default();
                    match JoinKind::from_name(&w) {
                        Some(k) if !lookup || matches!(k, JoinKind::LeftOuter | JoinKind::Inner) => kind = k,
                        _ => {
                            let names: Vec<&str> = JoinKind::ALL.iter().map(|k| k.name()).collect();
                            let kinds = if lookup {
                                "leftouter or inner".to_string()
                            } else {
                                format!("{} or {}", names[..names.len() - 1].join(", "), names[names.len() - 1])
                            };
                            let help = did_you_mean(&w, names.iter().copied()).map(|s| format!("Did you mean '{s}'?"));
                            return Err(self.error(
                                Diagnostic::semantic(codes::EXPECTED, p.value.span, format!("'{w}' is not a join kind; use {kinds}")).maybe_help(help),
                            ));
                        }
                    }
                }
                n if n.starts_with("hint.") => {}
                other => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The join parameter '{other}' is not supported")))),
            }
        }
        let (right_plan, _) = self.bind_tabular(right)?;
        let ls = left.schema.clone();
        let rs = right_plan.schema.clone();
        let mut lk = Vec::new();
        let mut rk = Vec::new();
        // `on $left.a == $right.b and $left.c == $right.d` is two conditions, like a comma.
        let mut conds: Vec<&Expr> = Vec::new();
        for cond in on {
            match &cond.kind {
                ExprKind::Chain { op: ast::BinaryOp::And, operands } => conds.extend(operands.iter()),
                _ => conds.push(cond),
            }
        }
        for cond in conds {
            match &cond.kind {
                ExprKind::Name(id) => {
                    let li = ls.iter().position(|f| f.name == id.name);
                    let ri = rs.iter().position(|f| f.name == id.name);
                    match (li, ri) {
                        (Some(l), Some(r)) => {
                            lk.push((l, id.span));
                            rk.push((r, id.span));
                        }
                        (None, _) => {
                            let d = self.unknown_column(&id.name, id.span, &ls);
                            let _ = d;
                            if let Some(last) = self.diags.last_mut() {
                                last.message = format!("The left side of the join has no column '{}'", id.name);
                            }
                            return Err(super::Failed);
                        }
                        (_, None) => {
                            let _ = self.unknown_column(&id.name, id.span, &rs);
                            if let Some(last) = self.diags.last_mut() {
                                last.message = format!("The right side of the join has no column '{}'", id.name);
                            }
                            return Err(super::Failed);
                        }
                    }
                }
                ExprKind::Binary { op: ast::BinaryOp::Eq, left: a, right: b } => {
                    let side = |e: &Expr| match &e.kind {
                        ExprKind::JoinSide { side, column } => Some((*side, column.clone())),
                        _ => None,
                    };
                    let (Some((sa, ca)), Some((sb, cb))) = (side(a), side(b)) else {
                        return Err(self.error(
                            Diagnostic::semantic(codes::EXPECTED, cond.span, "A join condition compares $left.Column == $right.Column")
                                .with_help("Write: on $left.NetworkMessageId == $right.NetworkMessageId, or just: on NetworkMessageId"),
                        ));
                    };
                    if sa == sb {
                        return Err(self.error(Diagnostic::semantic(codes::EXPECTED, cond.span, "A join condition needs one $left and one $right column")));
                    }
                    let (lc, rc) = if sa == ast::JoinSide::Left { (ca, cb) } else { (cb, ca) };
                    let Some(l) = ls.iter().position(|f| f.name == lc.name) else {
                        let _ = self.unknown_column(&lc.name, lc.span, &ls);
                        return Err(super::Failed);
                    };
                    let Some(r) = rs.iter().position(|f| f.name == rc.name) else {
                        let _ = self.unknown_column(&rc.name, rc.span, &rs);
                        return Err(super::Failed);
                    };
                    lk.push((l, lc.span));
                    rk.push((r, rc.span));
                }
                _ => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        cond.span,
                        "kqlab joins on equal columns only: a column name, or $left.A == $right.B",
                    )))
                }
            }
        }
        for ((l, sp), (r, _)) in lk.iter().zip(&rk) {
            let (lt, rt) = (ls[*l].ty, rs[*r].ty);
            let ok =
                lt == rt || (lt.is_numeric() && rt.is_numeric()) || matches!((lt, rt), (DataType::String, DataType::Guid) | (DataType::Guid, DataType::String));
            if !ok {
                return Err(self.error(Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    *sp,
                    format!("The join columns have different types: '{}' is {lt} on the left and '{}' is {rt} on the right", ls[*l].name, rs[*r].name),
                )));
            }
        }
        let left_keys: Vec<usize> = lk.iter().map(|x| x.0).collect();
        let right_keys: Vec<usize> = rk.iter().map(|x| x.0).collect();
        let mut output = Vec::new();
        let mut fields = Vec::new();
        let mut namer = Namer::new(Vec::<String>::new());
        let (with_left, with_right) = match kind {
            JoinKind::LeftAnti | JoinKind::LeftSemi => (true, false),
            JoinKind::RightAnti | JoinKind::RightSemi => (false, true),
            _ => (true, true),
        };
        if with_left {
            for (i, f) in ls.iter().enumerate() {
                fields.push(Field::new(namer.unique(&f.name), f.ty));
                output.push((false, i));
            }
        }
        if with_right {
            for (i, f) in rs.iter().enumerate() {
                if lookup && right_keys.contains(&i) {
                    continue;
                }
                fields.push(Field::new(namer.unique(&f.name), f.ty));
                output.push((true, i));
            }
        }
        let node = Node::Join(Join { left: Box::new(left), right: Box::new(right_plan), kind, left_keys, right_keys, output });
        Ok((plan(node, fields, span), false))
    }

    fn bind_mv_expand(
        &mut self,
        input: Plan,
        ordered: bool,
        params: &[OpParam],
        items: &[ast::MvExpandItem],
        limit: Option<&Expr>,
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let mut index_name: Option<String> = None;
        let mut bag_as_array = false;
        for p in params {
            match p.name.name.as_str() {
                "with_itemindex" => index_name = param_word(p),
                "bagexpansion" | "kind" => bag_as_array = param_word(p).as_deref() == Some("array"),
                other => {
                    return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The mv-expand parameter '{other}' is not supported"))))
                }
            }
        }
        let (pre, mut fields, targets) = self.mv_prepare("mv-expand", input, ordered, items, span)?;
        let limit = match limit {
            Some(l) => {
                let b = self.bind_scalar(l, &RowCtx::none())?;
                match b.as_const().and_then(Value::as_i64) {
                    Some(n) if n >= 0 => Some(n as u64),
                    _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, b.span, "mv-expand's limit must be a constant number"))),
                }
            }
            None => None,
        };
        if let Some(n) = &index_name {
            fields.push(Field::new(n, DataType::Long));
        }
        let node = Node::MvExpand(MvExpand { input: Box::new(pre), expand: Expansion { columns: targets, limit, index: index_name.is_some(), bag_as_array } });
        Ok((plan(node, fields, span), ordered))
    }

    /// The first step of mv-expand and mv-apply: the expanded expressions computed as columns
    /// (replacing same-named ones). Returns that plan, the final fields (expanded columns with
    /// their element types) and the (column, type) of each expanded item.
    pub(crate) fn mv_prepare(&mut self, op: &str, input: Plan, ordered: bool, items: &[ast::MvExpandItem], span: Span) -> BResult<MvPrepared> {
        let mut fields = fields_of(&input);
        let mut exprs: Vec<BExpr> = (0..fields.len()).map(|i| BExpr::column(i, fields[i].ty, span)).collect();
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let mut targets = Vec::new();
        let mut namer = Namer::new(fields.iter().map(|f| f.name.clone()));
        for it in items {
            let b = self.bind_scalar(&it.expr, &ctx)?;
            if b.ty != DataType::Dynamic {
                return Err(self.error(
                    Diagnostic::semantic(codes::TYPE_MISMATCH, b.span, format!("{op} needs a dynamic array or bag, but this is a {}", b.ty))
                        .with_help(format!("Parse text into an array first, for example: {op} x = parse_json(Column)")),
                ));
            }
            let name = match &it.name {
                Some(n) => n.name.clone(),
                None => derived_name(&it.expr).unwrap_or_else(|| namer.column()),
            };
            let ty = it.to_type.unwrap_or(DataType::Dynamic);
            let idx = match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    exprs[i] = b;
                    fields[i].ty = ty;
                    i
                }
                None => {
                    namer.take(&name);
                    fields.push(Field::new(&name, ty));
                    exprs.push(b);
                    fields.len() - 1
                }
            };
            targets.push((idx, ty));
        }
        let mut pre_fields = fields.clone();
        for (i, _) in &targets {
            pre_fields[*i].ty = DataType::Dynamic;
        }
        let pre = plan(Node::Project(Project { input: Box::new(input), exprs }), pre_fields, span);
        Ok((pre, fields, targets))
    }

    fn bind_render(&mut self, vis: &ast::Ident, props: &[OpParam], schema: &[Field]) -> BResult<RenderSpec> {
        let kinds = crate::plan::CHART_KINDS.iter().map(|(k, _)| *k);
        if !kinds.clone().any(|k| k == vis.name) {
            let help = did_you_mean(&vis.name, kinds.clone()).map(|s| format!("Did you mean '{s}'?"));
            return Err(self.error(
                Diagnostic::semantic(codes::UNSUPPORTED, vis.span, format!("'{}' is not a chart type kqlab can draw", vis.name))
                    .maybe_help(help.or_else(|| Some(format!("Use one of: {}", kinds.collect::<Vec<_>>().join(", "))))),
            ));
        }
        let mut spec = RenderSpec { visualization: vis.name.clone(), ..Default::default() };
        for p in props {
            let text = param_text(p);
            let names = param_names(p);
            match p.name.name.as_str() {
                "title" => spec.title = text,
                "xtitle" => spec.xtitle = text,
                "ytitle" => spec.ytitle = text,
                "kind" => spec.kind = text,
                "legend" => spec.legend_hidden = text.as_deref() == Some("hidden"),
                "xcolumn" | "ycolumns" | "series" => {
                    for n in &names {
                        if !schema.iter().any(|f| &f.name == n) {
                            let _ = self.unknown_column(n, p.value.span, schema);
                            return Err(super::Failed);
                        }
                    }
                    match p.name.name.as_str() {
                        "xcolumn" => spec.xcolumn = names.into_iter().next(),
                        "ycolumns" => spec.ycolumns = names,
                        _ => spec.series = names,
                    }
                }
                "ymin" | "ymax" | "xaxis" | "yaxis" | "ysplit" | "accumulate" | "anomalycolumns" => {}
                other => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The render property '{other}' is not supported")))),
            }
        }
        Ok(spec)
    }

    #[allow(clippy::too_many_arguments)]
    fn bind_parse(
        &mut self,
        input: Plan,
        ordered: bool,
        params: &[OpParam],
        source: &Expr,
        pattern: &[ast::ParsePart],
        drop_failed: bool,
        span: Span,
    ) -> BResult<(Plan, bool)> {
        let mut regex_mode = false;
        let mut relaxed = false;
        let mut flags = String::new();
        for p in params {
            match (p.name.name.as_str(), param_word(p).as_deref()) {
                ("kind", Some("simple")) => {}
                ("kind", Some("regex")) => regex_mode = true,
                ("kind", Some("relaxed")) => relaxed = true,
                ("flags", Some(f)) => flags = f.to_string(),
                (n, _) => return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, p.span, format!("The parse parameter '{n}' is not supported")))),
            }
        }
        let schema = input.schema.clone();
        let ctx = RowCtx { schema: &schema, agg: None, ordered };
        let src = self.bind_scalar(source, &ctx)?;
        let src = match src.ty {
            DataType::String => src,
            _ => {
                let sp = src.span;
                BExpr::new(BKind::Call(crate::plan::functions::Func::ToString, vec![src]), DataType::String, sp)
            }
        };
        let mut parts = Vec::new();
        let mut columns: Vec<(String, DataType)> = Vec::new();
        for part in pattern {
            match part {
                ast::ParsePart::Literal(s, _) => parts.push(PatternPart::Literal(s.clone())),
                ast::ParsePart::Star(_) => parts.push(PatternPart::Skip),
                ast::ParsePart::Column(id, ty) => {
                    let ty = ty.unwrap_or(DataType::String);
                    parts.push(PatternPart::Column(columns.len()));
                    columns.push((id.name.clone(), ty));
                }
            }
        }
        if columns.is_empty() {
            return Err(self.error(Diagnostic::semantic(codes::EXPECTED, span, "The parse pattern names no columns to extract")));
        }
        let mut fields = fields_of(&input);
        for (n, t) in &columns {
            match fields.iter_mut().find(|f| &f.name == n) {
                Some(f) => f.ty = *t,
                None => fields.push(Field::new(n, *t)),
            }
        }
        let regex = if regex_mode {
            let regex = crate::plan::parse_op::regex_source(&parts, &columns, &flags);
            if let Err(e) = crate::util::regex::compile_regex(&regex) {
                let (code, _) = crate::util::regex::regex_error(&e);
                return Err(self.error(Diagnostic::semantic(code, span, format!("The parse pattern is not a valid regular expression: {e}"))));
            }
            Some(regex)
        } else {
            None
        };
        let pat = ParsePattern { parts, columns, regex, relaxed };
        Ok((plan(Node::Parse(Parse { input: Box::new(input), source: src, pattern: pat, drop_failed }), fields, span), ordered))
    }
}

fn fields_of_schema(s: &Arc<Vec<Field>>) -> Vec<Field> {
    s.as_ref().clone()
}

pub(crate) fn select(input: Plan, cols: &[usize], span: Span) -> Plan {
    let fields: Vec<Field> = cols.iter().map(|&i| input.schema[i].clone()).collect();
    let exprs = cols.iter().map(|&i| BExpr::column(i, input.schema[i].ty, span)).collect();
    plan(Node::Project(Project { input: Box::new(input), exprs }), fields, span)
}

fn is_plain_name(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Name(_))
}

/// Replaces references to columns at or after `base` (columns defined earlier in the same
/// `extend`) with their defining expressions.
/// A named argument (`f(name = value)`) where the function takes none by name.
pub(crate) fn named_arg_refused(name: &ast::Ident) -> Diagnostic {
    Diagnostic::semantic(codes::UNSUPPORTED, name.span, format!("'{} = ...' passes an argument by name, which this function does not take", name.name))
        .with_help("Pass the arguments in order, without names; the plugins bag_unpack() and ipv4_lookup() take named arguments")
}

/// The name an `as` operator gives at the end of a (parenthesised) pipeline.
fn as_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Paren(inner) => as_name(inner),
        ExprKind::Pipe { op, .. } => match &op.kind {
            OperatorKind::As(id) => Some(id.name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the expression calls pack_all() anywhere.
fn calls_pack_all(e: &Expr) -> bool {
    let mut found = false;
    crate::syntax::visit::walk_expr(e, &mut |n| {
        if let crate::syntax::visit::Node::Expr(Expr { kind: ExprKind::Call { name, .. }, .. }) = n {
            found |= name.name == "pack_all";
        }
    });
    found
}

fn inline_columns(e: BExpr, defs: &[BExpr], base: usize) -> BExpr {
    fn go(e: &mut BExpr, defs: &[BExpr], base: usize) {
        if let BKind::Column(i) = e.kind {
            // `defs[i]` is column i of the current schema in terms of the input columns.
            let span = e.span;
            *e = defs[i].clone();
            e.span = span;
            let _ = base;
            return;
        }
        match &mut e.kind {
            BKind::Column(_) | BKind::Const(_) | BKind::Subquery(_) | BKind::RowNumber(_) => {}
            BKind::Arith(_, a, b) | BKind::Cmp(_, a, b) | BKind::And(a, b) | BKind::Or(a, b) | BKind::Index(a, b) => {
                go(a, defs, base);
                go(b, defs, base);
            }
            BKind::Str { left, right, .. } => {
                go(left, defs, base);
                go(right, defs, base);
            }
            BKind::Not(a) | BKind::Neg(a) | BKind::Cast(a) | BKind::Member(a, _) => go(a, defs, base),
            BKind::InList { value, list, .. } => {
                go(value, defs, base);
                if let crate::plan::ListSource::Exprs(es) = list {
                    es.iter_mut().for_each(|x| go(x, defs, base));
                }
            }
            BKind::Between { value, low, high, .. } => {
                go(value, defs, base);
                go(low, defs, base);
                go(high, defs, base);
            }
            BKind::Call(_, args) => args.iter_mut().for_each(|a| go(a, defs, base)),
            BKind::Shift { value, default, .. } => {
                go(value, defs, base);
                if let Some(d) = default {
                    go(d, defs, base);
                }
            }
        }
    }
    let mut e = e;
    go(&mut e, defs, base);
    e
}

pub(crate) fn convert_const(v: &Value, ty: DataType) -> Option<Value> {
    Some(match (v, ty) {
        (Value::Null, _) => Value::Null,
        (v, t) if v.data_type() == Some(t) => v.clone(),
        (v, DataType::Real) => Value::Real(v.as_f64()?),
        (v, DataType::Long) => Value::Long(v.as_i64()?),
        (v, DataType::Int) => Value::Int(i32::try_from(v.as_i64()?).ok()?),
        (v, DataType::Dynamic) => Value::Dynamic(v.to_dynamic()),
        (Value::Guid(g), DataType::String) => Value::String(g.clone()),
        _ => return None,
    })
}

/// The text of a parameter given as a word or a string: `kind=inner`, `title="x"`.
pub(crate) fn param_word(p: &OpParam) -> Option<String> {
    match &p.value.kind {
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Literal(ast::Literal::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn param_text(p: &OpParam) -> Option<String> {
    match &p.value.kind {
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Literal(l) => Some(match l {
            ast::Literal::String(s) => s.clone(),
            other => other.to_string(),
        }),
        _ => Some(p.value.to_string()),
    }
}

fn param_names(p: &OpParam) -> Vec<String> {
    match &p.value.kind {
        ExprKind::Name(n) => vec![n.name.clone()],
        ExprKind::Literal(ast::Literal::String(s)) => s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
        ExprKind::Call { args, .. } => args
            .iter()
            .filter_map(|a| match &a.kind {
                ExprKind::Name(n) => Some(n.name.clone()),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Url*", "UrlChain"));
        assert!(wildcard_match("*Id", "ReportId"));
        assert!(!wildcard_match("*Id", "Ids"));
        assert!(wildcard_match("*", "x"));
        assert!(wildcard_match("*Message*", "NetworkMessageId"));
        assert!(wildcard_match("Email*", "EmailEvents"));
        assert!(!wildcard_match("Email*", "UrlClickEvents"));
    }
}
