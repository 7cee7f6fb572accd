//! A pre-order walk over a syntax tree: every statement, named item, expression and operator,
//! once each, in source order. For read-only analyses of a query's text (the hunting-craft
//! coach, the constructs a lesson step practises); the
//! binder has its own recursion because it builds a plan as it goes.

use super::ast::*;

/// One node of the walk.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    /// A statement (`let`, a query, or one kqlab recognises but does not run), before its parts.
    Stmt(&'a Statement),
    /// A named item (`Name = Expr` in project, extend, summarize, print...), before its expression.
    Named(&'a NamedExpr),
    Expr(&'a Expr),
    Op(&'a Operator),
}

/// Calls `f` for every expression and operator of the script (`let` values and function
/// bodies included), parents before children.
pub fn walk_script<'a>(script: &'a Script, f: &mut dyn FnMut(Node<'a>)) {
    statements(&script.statements, f);
}

/// Calls `f` for `e` and everything under it.
pub fn walk_expr<'a>(e: &'a Expr, f: &mut dyn FnMut(Node<'a>)) {
    expr(e, f);
}

fn statements<'a>(stmts: &'a [Statement], f: &mut dyn FnMut(Node<'a>)) {
    for s in stmts {
        f(Node::Stmt(s));
        match s {
            Statement::Let(l) => match &l.value {
                LetValue::Expr(e) => expr(e, f),
                LetValue::Function(def) => {
                    for p in &def.params {
                        if let Some(d) = &p.default {
                            expr(d, f);
                        }
                    }
                    statements(&def.body, f);
                }
            },
            Statement::Query(e) => expr(e, f),
            Statement::QueryParameters { params, .. } => {
                for d in params.iter().filter_map(|p| p.default.as_ref()) {
                    expr(d, f);
                }
            }
            Statement::Unsupported { .. } => {}
        }
    }
}

fn named<'a>(items: &'a [NamedExpr], f: &mut dyn FnMut(Node<'a>)) {
    for n in items {
        f(Node::Named(n));
        expr(&n.expr, f);
    }
}

fn params<'a>(ps: &'a [OpParam], f: &mut dyn FnMut(Node<'a>)) {
    for p in ps {
        expr(&p.value, f);
    }
}

fn exprs<'a>(es: &'a [Expr], f: &mut dyn FnMut(Node<'a>)) {
    for e in es {
        expr(e, f);
    }
}

fn expr<'a>(e: &'a Expr, f: &mut dyn FnMut(Node<'a>)) {
    f(Node::Expr(e));
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Name(_)
        | ExprKind::JoinSide { .. }
        | ExprKind::Star
        | ExprKind::TypeOf(_)
        | ExprKind::Implicit
        | ExprKind::Unsupported { .. } => {}
        ExprKind::Member { target, .. } => expr(target, f),
        ExprKind::Index { target, index } => {
            expr(target, f);
            expr(index, f);
        }
        ExprKind::Call { args, .. } => exprs(args, f),
        ExprKind::Unary { operand, .. } => expr(operand, f),
        ExprKind::Binary { left, right, .. } => {
            expr(left, f);
            expr(right, f);
        }
        ExprKind::Chain { operands, .. } => exprs(operands, f),
        ExprKind::Between { value, low, high, .. } => {
            expr(value, f);
            expr(low, f);
            expr(high, f);
        }
        ExprKind::InList { value, items, .. } => {
            expr(value, f);
            exprs(items, f);
        }
        ExprKind::Pipe { input, op } => {
            expr(input, f);
            operator(op, f);
        }
        ExprKind::Datatable { values, .. } => exprs(values, f),
        ExprKind::ExternalData { urls, props, .. } => {
            exprs(urls, f);
            for (_, v) in props {
                expr(v, f);
            }
        }
        ExprKind::Print { columns } => named(columns, f),
        ExprKind::Range { from, to, step, .. } => {
            expr(from, f);
            expr(to, f);
            expr(step, f);
        }
        ExprKind::Union(u) => {
            params(&u.params, f);
            exprs(&u.tables, f);
        }
        ExprKind::Paren(inner) => expr(inner, f),
        ExprKind::NamedArg { value, .. } => expr(value, f),
        ExprKind::SearchSource { params: ps, predicate, .. } => {
            params(ps, f);
            expr(predicate, f);
        }
    }
}

fn operator<'a>(op: &'a Operator, f: &mut dyn FnMut(Node<'a>)) {
    f(Node::Op(op));
    match &op.kind {
        OperatorKind::Where(e) | OperatorKind::Take(e) | OperatorKind::Invoke(e) => expr(e, f),
        OperatorKind::Project(items) | OperatorKind::Extend(items) | OperatorKind::Serialize(items) => named(items, f),
        OperatorKind::ProjectAway(_)
        | OperatorKind::ProjectKeep(_)
        | OperatorKind::ProjectRename(_)
        | OperatorKind::ProjectReorder(_)
        | OperatorKind::Count(_)
        | OperatorKind::As(_)
        | OperatorKind::Getschema
        | OperatorKind::Unsupported { .. } => {}
        OperatorKind::Summarize { params: ps, aggregates, by } => {
            params(ps, f);
            named(aggregates, f);
            named(by, f);
        }
        OperatorKind::Distinct(items) | OperatorKind::ProjectByNames(items) => exprs(items, f),
        OperatorKind::Top { count, by } => {
            expr(count, f);
            for k in by {
                expr(&k.expr, f);
            }
        }
        OperatorKind::Sort(keys) => {
            for k in keys {
                expr(&k.expr, f);
            }
        }
        OperatorKind::Union(u) => {
            params(&u.params, f);
            exprs(&u.tables, f);
        }
        OperatorKind::Join { params: ps, right, on } | OperatorKind::Lookup { params: ps, right, on } => {
            params(ps, f);
            expr(right, f);
            exprs(on, f);
        }
        OperatorKind::MvExpand { params: ps, items, limit } => {
            params(ps, f);
            for i in items {
                expr(&i.expr, f);
            }
            if let Some(l) = limit {
                expr(l, f);
            }
        }
        OperatorKind::Render { properties, .. } => params(properties, f),
        OperatorKind::Parse { params: ps, source, .. } => {
            params(ps, f);
            expr(source, f);
        }
        OperatorKind::Evaluate { params: ps, call, .. } => {
            params(ps, f);
            expr(call, f);
        }
        OperatorKind::MakeSeries(spec) => {
            params(&spec.params, f);
            for a in &spec.aggregates {
                expr(&a.agg.expr, f);
                if let Some(d) = &a.default {
                    expr(d, f);
                }
            }
            expr(&spec.axis, f);
            if let Some(x) = &spec.from {
                expr(x, f);
            }
            if let Some(x) = &spec.to {
                expr(x, f);
            }
            expr(&spec.step, f);
            named(&spec.by, f);
        }
        OperatorKind::MvApply { params: ps, items, limit, subquery } => {
            params(ps, f);
            for i in items {
                expr(&i.expr, f);
            }
            if let Some(l) = limit {
                expr(l, f);
            }
            expr(subquery, f);
        }
        OperatorKind::TopNested(levels) => {
            for l in levels {
                if let Some(c) = &l.count {
                    expr(c, f);
                }
                expr(&l.of.expr, f);
                if let Some(o) = &l.others {
                    expr(o, f);
                }
                expr(&l.by.expr, f);
            }
        }
        OperatorKind::ParseKv { source, options, .. } => {
            expr(source, f);
            params(options, f);
        }
        OperatorKind::Search { params: ps, predicate } => {
            params(ps, f);
            expr(predicate, f);
        }
        OperatorKind::Scan(spec) => {
            for d in &spec.declare {
                if let Some(v) = &d.default {
                    expr(v, f);
                }
            }
            for s in &spec.steps {
                expr(&s.condition, f);
                for (_, e) in &s.assign {
                    expr(e, f);
                }
            }
        }
        OperatorKind::Partition { params: ps, subquery, .. } => {
            params(ps, f);
            expr(subquery, f);
        }
        OperatorKind::Graph(g) => match g {
            super::graph::GraphOp::Make(m) => {
                for (t, _) in &m.nodes {
                    expr(t, f);
                }
                params(&m.params, f);
                if let Some((_, sub)) = &m.partition {
                    expr(sub, f);
                }
            }
            super::graph::GraphOp::Match(m) => {
                params(&m.params, f);
                if let Some(w) = &m.predicate {
                    expr(w, f);
                }
                named(&m.project, f);
            }
            super::graph::GraphOp::ToTable(parts) => {
                for p in parts {
                    params(&p.params, f);
                }
            }
            super::graph::GraphOp::MarkComponents(ps) => params(ps, f),
        },
        OperatorKind::Sample(n) => expr(n, f),
        OperatorKind::SampleDistinct { count, of } => {
            expr(count, f);
            expr(of, f);
        }
    }
}
