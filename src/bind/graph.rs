//! Binding the graph operators. `make-graph` and the graph operators after it, up to the first
//! one that gives a table, become one `GraphPlan` node (see `plan::graph`); a graph is never a
//! value that other operators see, so an operator that is not a graph operator right after a
//! graph is an error that says what may follow.
//!
//! `graph-match` expressions name pattern variables (`n.name`, `e.weight`, `map(e, weight)`):
//! the binder rewrites each such reference into a column of the match table that the executor
//! fills (`n.name`, a name no query can spell as an identifier) and binds the rewritten `where`
//! and `project` clauses with the ordinary expression binder over that table.

use super::expr::RowCtx;
use super::names::{derived_name, Namer};
use super::tabular::plan;
use super::{BResult, Binder};
use crate::diag::{codes, did_you_mean, Diagnostic, Span};
use crate::plan::graph::{Cycles, Fold, GraphOutput, GraphPlan, Mark, MatchColumn, MatchPlan, MatchStep, NodeSource};
use crate::plan::{Node, Plan};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Ident, Literal, NamedExpr, OpParam, Operator, OperatorKind};
use crate::syntax::graph::{EdgeDir, GraphMatch, GraphOp, MakeGraph, TablePart, MAX_HOPS};
use crate::table::Field;
use crate::types::{DataType, Dynamic};
use std::collections::HashMap;
use std::sync::Arc;

const FOLLOWERS: &str = "graph-match, graph-shortest-paths, graph-to-table or graph-mark-components";

/// The name of the in-degree and out-degree columns of the node table (not identifiers, so
/// only `node_degree_in()` / `node_degree_out()` reach them).
const DEGREE_IN: &str = "node_degree_in()";
const DEGREE_OUT: &str = "node_degree_out()";

/// What a graph operator that ends the graph gives: the plan node's columns, its output, the
/// `project` items to bind over them (for `graph-match`), and its span.
type GraphEnd = (Vec<Field>, GraphOutput, Option<Vec<NamedExpr>>, Span);

#[derive(Clone, Copy)]
enum Var {
    Node(usize),
    Edge(usize),
}

/// What `graph-match` expressions can name, and the match-table columns named so far.
struct Scope {
    vars: HashMap<String, Var>,
    /// Node properties, marks, then the two degrees.
    node_fields: Vec<Field>,
    edge_fields: Vec<Field>,
    variable: Vec<bool>,
    columns: Vec<MatchColumn>,
    fields: Vec<Field>,
    folds: usize,
}

impl Scope {
    fn column(&mut self, name: String, ty: DataType, c: MatchColumn) -> String {
        if !self.fields.iter().any(|f| f.name == name) {
            self.fields.push(Field::new(&name, ty));
            self.columns.push(c);
        }
        name
    }
}

fn name_expr(name: String, span: Span) -> ExprKind {
    ExprKind::Name(Ident { name, span })
}

fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    match &mut e.kind {
        ExprKind::Member { target, .. } => vec![target],
        ExprKind::Index { target, index } => vec![target, index],
        ExprKind::Call { args, .. } => args.iter_mut().collect(),
        ExprKind::Unary { operand, .. } => vec![operand],
        ExprKind::Binary { left, right, .. } => vec![left, right],
        ExprKind::Chain { operands, .. } => operands.iter_mut().collect(),
        ExprKind::Between { value, low, high, .. } => vec![value, low, high],
        ExprKind::InList { value, items, .. } => std::iter::once(&mut **value).chain(items.iter_mut()).collect(),
        ExprKind::Paren(inner) => vec![inner],
        ExprKind::NamedArg { value, .. } => vec![value],
        _ => Vec::new(),
    }
}

fn empty_labels(span: Span) -> ExprKind {
    let _ = span;
    ExprKind::Literal(Literal::Dynamic(Dynamic::Array(Arc::new(Vec::new()))))
}

/// The `and` terms of a condition.
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Chain { op: BinaryOp::And, operands } => operands.iter().flat_map(conjuncts).collect(),
        ExprKind::Binary { op: BinaryOp::And, left, right } => conjuncts(left).into_iter().chain(conjuncts(right)).collect(),
        ExprKind::Paren(inner) => conjuncts(inner),
        _ => vec![e],
    }
}

/// Rewrites a condition that reads the properties of one node variable only (`n.Tier > 0`,
/// `node_degree_in(n) == 3`) to read the node table (`Tier > 0`); false if it reads anything
/// else of the pattern.
fn node_only(e: &mut Expr, vars: &HashMap<String, Var>, props: &[Field], slot: &mut Option<usize>) -> bool {
    let same = |v: usize, slot: &mut Option<usize>| {
        let ok = slot.is_none_or(|s| s == v);
        *slot = Some(v);
        ok
    };
    match &mut e.kind {
        ExprKind::Member { target, name } => {
            if let ExprKind::Name(n) = &target.kind {
                match vars.get(&n.name) {
                    Some(Var::Node(v)) => {
                        if !same(*v, slot) {
                            return false;
                        }
                        e.kind = ExprKind::Name(name.clone());
                        return true;
                    }
                    Some(Var::Edge(_)) => return false,
                    None => {}
                }
            }
        }
        // A variable by itself, or a name that would mean a node property once rewritten.
        ExprKind::Name(n) if vars.contains_key(&n.name) || props.iter().any(|f| f.name == n.name) => return false,
        ExprKind::Call { name, args } => match (name.name.as_str(), args.len()) {
            ("node_degree_in" | "node_degree_out", 1) => {
                let col = if name.name == "node_degree_in" { DEGREE_IN } else { DEGREE_OUT };
                if let ExprKind::Name(n) = &args[0].kind {
                    if let Some(Var::Node(v)) = vars.get(&n.name) {
                        if !same(*v, slot) {
                            return false;
                        }
                        e.kind = name_expr(col.to_string(), e.span);
                        return true;
                    }
                }
                return false;
            }
            ("all" | "any" | "map" | "labels" | "inner_nodes" | "node_degree_in" | "node_degree_out", _) => return false,
            _ => {}
        },
        _ => {}
    }
    children_mut(e).into_iter().all(|c| node_only(c, vars, props, slot))
}

fn param_word(p: &OpParam) -> Option<String> {
    match &p.value.kind {
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Literal(Literal::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Is this a pipeline whose result is a graph (`T | make-graph ...`, `... | graph-mark-components`)?
pub(crate) fn gives_graph(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Paren(inner) => gives_graph(inner),
        ExprKind::Pipe { op, .. } => matches!(&op.kind, OperatorKind::Graph(g) if g.gives_graph()),
        _ => false,
    }
}

impl Binder<'_> {
    /// The `let` graphs a pipeline starting at `source` reads, outermost first: `G` in
    /// `let G = E | make-graph ...; G | graph-match ...` (and `H` then `G` if
    /// `let H = G | graph-mark-components`). Their pipelines are spliced in front of the
    /// reader's steps, so the graph is bound with the operator that reads it.
    pub(crate) fn graph_lets(&self, source: &Expr) -> Vec<Expr> {
        let mut out = Vec::new();
        let mut s = source.clone();
        while out.len() < 16 {
            let ExprKind::Name(id) = &s.kind else { break };
            let Some(super::Binding::Function(def, _)) = self.lookup(&id.name) else { break };
            let [ast_stmt] = def.body.as_slice() else { break };
            let crate::syntax::ast::Statement::Query(q) = ast_stmt else { break };
            if !(def.params.is_empty() && gives_graph(q)) {
                break;
            }
            let q = match &q.kind {
                ExprKind::Paren(inner) => (**inner).clone(),
                _ => q.clone(),
            };
            let mut src = &q;
            while let ExprKind::Pipe { input, .. } = &src.kind {
                src = input;
            }
            s = src.clone();
            out.push(q);
        }
        out
    }

    /// `steps[0]` is `make-graph`; binds it and the graph operators after it into one plan.
    /// Returns the plan and how many of `steps` it used.
    pub(crate) fn bind_graph(&mut self, edges: Plan, steps: &[&Operator]) -> BResult<(Plan, usize)> {
        let OperatorKind::Graph(GraphOp::Make(m)) = &steps[0].kind else {
            return Err(self.error(Diagnostic::semantic(codes::EXPECTED, steps[0].span, "expected make-graph")));
        };
        let make_span = steps[0].span;
        let mut g = self.bind_make_graph(edges, m, make_span)?;
        let inner: Vec<&Operator>;
        let (ops, used): (&[&Operator], usize) = match &m.partition {
            Some((_, sub)) => {
                let mut v = Vec::new();
                let mut s = sub;
                while let ExprKind::Pipe { input, op } = &s.kind {
                    v.push(op.as_ref());
                    s = input;
                }
                v.reverse();
                inner = v;
                (&inner, 0)
            }
            None => (&steps[1..], 0),
        };
        let mut last = make_span;
        let mut n = 0;
        let mut out: Option<GraphEnd> = None;
        for op in ops {
            let OperatorKind::Graph(gop) = &op.kind else {
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::WRONG_KIND,
                        op.span,
                        format!("'{}' cannot read a graph: a graph must be followed by {FOLLOWERS}", op.kind.name()),
                    )
                    .with_help("Turn the graph into a table first, for example: | graph-to-table nodes, or | graph-match (a)-->(b) project a, b"),
                ));
            };
            n += 1;
            last = op.span;
            match gop {
                GraphOp::Make(_) => {
                    return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, op.span, "make-graph reads a table of edges, not a graph")));
                }
                GraphOp::MarkComponents(ps) => {
                    let mut mark = Mark { strong: false, name: "ComponentId".into() };
                    for p in ps {
                        let w = param_word(p).unwrap_or_default();
                        match p.name.name.as_str() {
                            "kind" if w == "weak" || w == "strong" => mark.strong = w == "strong",
                            "kind" => {
                                return Err(self.error(
                                    Diagnostic::semantic(codes::EXPECTED, p.value.span, format!("kind={w} is not a kind of component"))
                                        .with_help("Write kind=weak (edges in either direction, the default) or kind=strong (paths both ways)"),
                                ))
                            }
                            _ => mark.name = w,
                        }
                    }
                    if g.props.iter().any(|f| f.name == mark.name) || g.marks.iter().any(|k| k.name == mark.name) {
                        return Err(self.error(
                            Diagnostic::semantic(codes::DUPLICATE_COLUMN, op.span, format!("The nodes already have a property '{}'", mark.name))
                                .with_help("Name the component column with with_component_id=Name"),
                        ));
                    }
                    g.marks.push(mark);
                }
                GraphOp::ToTable(parts) => {
                    out = Some(self.bind_graph_to_table(&g, parts, op.span)?);
                    break;
                }
                GraphOp::Match(gm) => {
                    let (fields, mp, items) = self.bind_graph_match(&g, gm, op.span)?;
                    out = Some((fields, GraphOutput::Match(Box::new(mp)), Some(items), op.span));
                    break;
                }
            }
        }
        let Some((fields, output, items, span)) = out else {
            return Err(self.error(
                Diagnostic::semantic(codes::WRONG_KIND, last, format!("A graph must be followed by {FOLLOWERS}"))
                    .with_help("For example: | graph-match (a)-[e]->(b) project a.name, b.name, or | graph-to-table edges"),
            ));
        };
        if m.partition.is_some() && n < ops.len() {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                ops[n].span,
                "Inside partitioned-by ( ... ) kqlab runs one graph operator; put the other operators after the closing parenthesis",
            )));
        }
        g.output = output;
        let whole = make_span.to(span);
        let p = plan(Node::Graph(Box::new(g)), fields, whole);
        let p = match items {
            Some(items) => self.bind_project(p, false, &items, span)?.0,
            None => p,
        };
        Ok((p, if m.partition.is_some() { used } else { n }))
    }

    fn column_of(&mut self, schema: &[Field], id: &Ident, what: &str) -> BResult<usize> {
        match schema.iter().position(|f| f.name == id.name) {
            Some(i) => Ok(i),
            None => {
                let help = did_you_mean(&id.name, schema.iter().map(|f| f.name.as_str())).map(|s| format!("Did you mean '{s}'?"));
                Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, id.span, format!("Unknown column '{}' ({what})", id.name)).maybe_help(help)))
            }
        }
    }

    fn bind_make_graph(&mut self, edges: Plan, m: &MakeGraph, span: Span) -> BResult<GraphPlan> {
        let es = edges.schema.clone();
        let source = self.column_of(&es, &m.source, "the source node ids")?;
        let target = self.column_of(&es, &m.target, "the target node ids")?;
        let id_ty = es[source].ty;
        if es[target].ty != id_ty {
            return Err(self.error(
                Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    m.source.span.to(m.target.span),
                    format!("The source ids are {} and the target ids {}: node ids must have one type", id_ty, es[target].ty),
                )
                .with_help("Convert one of them first, for example: | extend Target = tostring(Target)"),
            ));
        }
        let partition = match &m.partition {
            Some((col, _)) => Some(self.column_of(&es, col, "the partition column of the edges")?),
            None => None,
        };
        let mut props: Vec<Field> = Vec::new();
        let mut id_props = Vec::new();
        let mut nodes = Vec::new();
        for (t, key) in &m.nodes {
            let (p, _) = self.bind_tabular(t)?;
            let ns = p.schema.clone();
            let k = self.column_of(&ns, key, "the node ids of the nodes table")?;
            if ns[k].ty != id_ty {
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::TYPE_MISMATCH,
                        key.span,
                        format!("The node ids '{}' are {}, but the edges' ids are {id_ty}", key.name, ns[k].ty),
                    )
                    .with_help("Convert one side first, for example with tostring() or tolong()"),
                ));
            }
            let mut map = Vec::new();
            for f in ns.iter() {
                match props.iter().position(|q| q.name == f.name) {
                    Some(i) if props[i].ty != f.ty => {
                        return Err(self.error(Diagnostic::semantic(
                            codes::TYPE_MISMATCH,
                            t.span,
                            format!("The node property '{}' is {} in one nodes table and {} in the other", f.name, props[i].ty, f.ty),
                        )))
                    }
                    Some(i) => map.push(i),
                    None => {
                        props.push(f.clone());
                        map.push(props.len() - 1);
                    }
                }
            }
            if !id_props.contains(&map[k]) {
                id_props.push(map[k]);
            }
            let part = match &m.partition {
                Some((col, _)) => match ns.iter().position(|f| f.name == col.name) {
                    Some(i) => Some(i),
                    None => {
                        return Err(self.error(
                            Diagnostic::semantic(codes::UNKNOWN_COLUMN, t.span, format!("This nodes table has no column '{}' to partition by", col.name))
                                .with_help("With partitioned-by, the edges and every nodes table must have the partition column"),
                        ))
                    }
                },
                None => None,
            };
            nodes.push(NodeSource { plan: p, key: k, props: map, partition: part });
        }
        for p in &m.params {
            let Some(name) = param_word(p) else {
                return Err(self.error(Diagnostic::semantic(codes::EXPECTED, p.value.span, "with_node_id= takes a property name")));
            };
            match props.iter().position(|f| f.name == name) {
                Some(i) if props[i].ty == id_ty => {
                    if !id_props.contains(&i) {
                        id_props.push(i);
                    }
                }
                Some(_) => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::DUPLICATE_COLUMN,
                        p.span,
                        format!("The nodes already have a property '{name}' of another type than the node ids"),
                    )))
                }
                None => {
                    props.push(Field::new(&name, id_ty));
                    id_props.push(props.len() - 1);
                }
            }
        }
        let _ = span;
        Ok(GraphPlan { edges, source, target, nodes, props, id_props, partition, marks: Vec::new(), output: GraphOutput::Nodes { with_id: false } })
    }

    fn bind_graph_to_table(&mut self, g: &GraphPlan, parts: &[TablePart], span: Span) -> BResult<GraphEnd> {
        if parts.len() > 1 {
            return Err(self.error(
                Diagnostic::semantic(codes::UNSUPPORTED, span, "graph-to-table with both nodes and edges gives two tables, which kqlab cannot show at once")
                    .with_help("Run one query with | graph-to-table nodes and another with | graph-to-table edges"),
            ));
        }
        let part = &parts[0];
        let mut fields = Vec::new();
        let mut flags = [false, false];
        for p in &part.params {
            let Some(name) = param_word(p) else {
                return Err(self.error(Diagnostic::semantic(codes::EXPECTED, p.value.span, format!("{} takes a column name", p.name.name))));
            };
            let i = usize::from(p.name.name == "with_target_id");
            if flags[i] {
                return Err(self.error(Diagnostic::semantic(codes::DUPLICATE_COLUMN, p.span, format!("{} is given twice", p.name.name))));
            }
            flags[i] = true;
            // The id columns come first, source before target.
            fields.insert(fields.len().min(i), Field::new(&name, DataType::Long));
        }
        let output = if part.edges {
            fields.extend(g.edges.schema.iter().cloned());
            GraphOutput::Edges { source_id: flags[0], target_id: flags[1] }
        } else {
            fields.extend(g.props.iter().cloned());
            fields.extend(g.marks.iter().map(|m| Field::new(&m.name, DataType::Long)));
            GraphOutput::Nodes { with_id: flags[0] }
        };
        for (i, f) in fields.iter().enumerate() {
            if fields[..i].iter().any(|q| q.name == f.name) {
                return Err(self.error(Diagnostic::semantic(
                    codes::DUPLICATE_COLUMN,
                    part.span,
                    format!("The column '{}' appears twice in the output", f.name),
                )));
            }
        }
        Ok((fields, output, None, span))
    }

    fn bind_graph_match(&mut self, g: &GraphPlan, gm: &GraphMatch, span: Span) -> BResult<(Vec<Field>, MatchPlan, Vec<NamedExpr>)> {
        let op = if gm.shortest { "graph-shortest-paths" } else { "graph-match" };
        // Variables and the pattern's structure.
        let mut vars: HashMap<String, Var> = HashMap::new();
        let mut slots = 0;
        let mut steps: Vec<MatchStep> = Vec::new();
        let node_slot = |vars: &mut HashMap<String, Var>, v: &Option<Ident>, slots: &mut usize| -> Result<usize, Diagnostic> {
            match v {
                None => {
                    *slots += 1;
                    Ok(*slots - 1)
                }
                Some(id) => match vars.get(&id.name) {
                    Some(Var::Node(s)) => Ok(*s),
                    Some(Var::Edge(_)) => {
                        Err(Diagnostic::semantic(codes::DUPLICATE_COLUMN, id.span, format!("'{}' names an edge and a node of the pattern", id.name)))
                    }
                    None => {
                        vars.insert(id.name.clone(), Var::Node(*slots));
                        *slots += 1;
                        Ok(*slots - 1)
                    }
                },
            }
        };
        let mut seen_slots: Vec<bool> = Vec::new();
        for (pi, path) in gm.paths.iter().enumerate() {
            let first = node_slot(&mut vars, &path.first.var, &mut slots).map_err(|d| self.error(d))?;
            let mut path_slots = vec![first];
            let mut a = first;
            for (e, nd) in &path.steps {
                let b = node_slot(&mut vars, &nd.var, &mut slots).map_err(|d| self.error(d))?;
                path_slots.push(b);
                if let Some(id) = &e.var {
                    if vars.contains_key(&id.name) {
                        return Err(self.error(Diagnostic::semantic(
                            codes::DUPLICATE_COLUMN,
                            id.span,
                            format!("'{}' is used twice in the pattern; an edge variable names one edge", id.name),
                        )));
                    }
                    vars.insert(id.name.clone(), Var::Edge(steps.len()));
                }
                let (min, max) = e.hops.unwrap_or((1, 1));
                let forward = match e.dir {
                    EdgeDir::Right => Some(true),
                    EdgeDir::Left => Some(false),
                    EdgeDir::Any => None,
                };
                steps.push(MatchStep { a, b, forward, min: min as usize, max: max as usize, variable: e.hops.is_some() });
                a = b;
            }
            seen_slots.resize(slots, false);
            if pi > 0 && !path_slots.iter().any(|s| seen_slots[*s]) {
                return Err(self.error(
                    Diagnostic::semantic(codes::UNSUPPORTED, path.span, "This part of the pattern shares no node variable with the parts before it")
                        .with_help("Only connected patterns are supported: repeat a node variable, as in (a)-->(n), (n)-->(b)"),
                ));
            }
            for s in path_slots {
                seen_slots[s] = true;
            }
        }
        // The search recurses once per edge it follows: the whole pattern is bounded.
        let longest: usize = steps.iter().map(|s| s.max).sum();
        if longest > MAX_HOPS as usize {
            let span = gm.paths[0].span.to(gm.paths[gm.paths.len() - 1].span);
            return Err(self.error(
                Diagnostic::semantic(codes::LIMIT, span, format!("This pattern can follow {longest} edges in one match; kqlab follows at most {MAX_HOPS}"))
                    .with_help("Use fewer edges, or smaller maximums in *min..max"),
            ));
        }
        let mut cycles = Cycles::UniqueEdges;
        let mut shortest = None;
        if gm.shortest {
            shortest = Some(false);
            if gm.paths.len() > 1 {
                return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, gm.paths[1].span, "graph-shortest-paths takes one path pattern, not several")));
            }
            if !steps.iter().any(|s| s.variable) {
                return Err(self.error(
                    Diagnostic::semantic(codes::EXPECTED, gm.paths[0].span, "graph-shortest-paths needs a variable length edge in its pattern")
                        .with_help("For example: (a)-[e*1..5]->(b)"),
                ));
            }
        }
        for p in &gm.params {
            let w = param_word(p).unwrap_or_default();
            match (p.name.name.as_str(), w.as_str()) {
                ("cycles", "unique_edges") => cycles = Cycles::UniqueEdges,
                ("cycles", "none") => cycles = Cycles::None,
                ("cycles", "all") => cycles = Cycles::All,
                ("output", "any") => shortest = Some(false),
                ("output", "all") => shortest = Some(true),
                (name, _) => {
                    let allowed = if name == "cycles" { "unique_edges (the default), none or all" } else { "any (the default) or all" };
                    return Err(self.error(
                        Diagnostic::semantic(codes::EXPECTED, p.value.span, format!("'{w}' is not a value of {name}= in {op}"))
                            .with_help(format!("Write {name}= followed by {allowed}")),
                    ));
                }
            }
        }
        // The node table: properties, marks, degrees.
        let mut node_fields = g.props.clone();
        node_fields.extend(g.marks.iter().map(|m| Field::new(&m.name, DataType::Long)));
        node_fields.push(Field::new(DEGREE_IN, DataType::Long));
        node_fields.push(Field::new(DEGREE_OUT, DataType::Long));
        let mut scope = Scope {
            vars,
            node_fields,
            edge_fields: g.edges.schema.as_ref().clone(),
            variable: steps.iter().map(|s| s.variable).collect(),
            columns: Vec::new(),
            fields: Vec::new(),
            folds: 0,
        };
        let mut pred = gm.predicate.clone();
        if let Some(p) = &mut pred {
            self.graph_rewrite(p, &mut scope)?;
        }
        // Named the way Kusto names them (`n.name` is `n_name`, others `Column1`...) before
        // the rewrite, as `project` would name them.
        let mut namer = Namer::new(Vec::<String>::new());
        for it in &gm.project {
            for n in &it.names {
                namer.take(&n.name);
            }
        }
        let mut items = Vec::new();
        for it in &gm.project {
            let mut it = it.clone();
            if it.names.is_empty() {
                // Kusto names node_degree_in(n) after the function.
                let graph_fn = match &it.expr.kind {
                    ExprKind::Call { name, .. } if matches!(name.name.as_str(), "node_degree_in" | "node_degree_out") => Some(name.name.clone()),
                    _ => None,
                };
                let name = match (graph_fn, derived_name(&it.expr)) {
                    (Some(n), _) => namer.unique(&n),
                    (None, Some(n)) if matches!(it.expr.kind, ExprKind::Name(_)) => {
                        namer.take(&n);
                        n
                    }
                    (None, Some(n)) => namer.unique(&n),
                    (None, None) => namer.column(),
                };
                it.names.push(Ident { name, span: it.expr.span });
            }
            self.graph_rewrite(&mut it.expr, &mut scope)?;
            items.push(it);
        }
        let fields = scope.fields.clone();
        let predicate = match &pred {
            Some(p) => {
                let ctx = RowCtx { schema: &fields, agg: None, ordered: false };
                let b = self.bind_scalar(p, &ctx)?;
                Some(self.coerce_to(b, DataType::Bool, "the where clause")?)
            }
            None => None,
        };
        let _ = span;
        // Conditions on one node variable alone also run before the search, on the node
        // table, so the search starts from (and ends at) only the nodes that can match.
        let mut node_filters = Vec::new();
        if let (Some(w), Some(_)) = (&gm.predicate, &predicate) {
            for c in conjuncts(w) {
                let mut c = c.clone();
                let mut slot = None;
                if !node_only(&mut c, &scope.vars, &scope.node_fields, &mut slot) {
                    continue;
                }
                let Some(slot) = slot else { continue };
                let ctx = RowCtx { schema: &scope.node_fields, agg: None, ordered: false };
                let before = self.diags.len();
                match self.bind_scalar(&c, &ctx).and_then(|b| self.coerce_to(b, DataType::Bool, "the where clause")) {
                    Ok(b) => node_filters.push((slot, b)),
                    // Not expected (the whole clause bound); the search then tries every node.
                    Err(_) => self.diags.truncate(before),
                }
            }
        }
        Ok((fields, MatchPlan { slots, steps, cycles, shortest, columns: scope.columns, predicate, node_filters }, items))
    }

    /// Rewrites references to pattern variables in a `where` or `project` expression into
    /// match-table columns (see the module comment).
    fn graph_rewrite(&mut self, e: &mut Expr, s: &mut Scope) -> BResult<()> {
        let span = e.span;
        let var_of = |x: &Expr, s: &Scope| match &x.kind {
            ExprKind::Name(n) => s.vars.get(&n.name).map(|v| (*v, n.name.clone())),
            _ => None,
        };
        match &mut e.kind {
            ExprKind::Member { target, name } => {
                if let Some((v, vname)) = var_of(target, s) {
                    let col = match v {
                        Var::Node(slot) => {
                            let Some(prop) = s.node_fields.iter().position(|f| f.name == name.name && f.name != DEGREE_IN && f.name != DEGREE_OUT) else {
                                return Err(self.no_property(&vname, name, &s.node_fields[..s.node_fields.len() - 2], "node"));
                            };
                            let ty = s.node_fields[prop].ty;
                            s.column(format!("{vname}.{}", name.name), ty, MatchColumn::Node { slot, prop })
                        }
                        Var::Edge(step) => {
                            let Some(col) = s.edge_fields.iter().position(|f| f.name == name.name) else {
                                return Err(self.no_property(&vname, name, &s.edge_fields.clone(), "edge"));
                            };
                            let ty = if s.variable[step] { DataType::Dynamic } else { s.edge_fields[col].ty };
                            s.column(format!("{vname}.{}", name.name), ty, MatchColumn::Edge { step, col })
                        }
                    };
                    e.kind = name_expr(col, span);
                    return Ok(());
                }
            }
            ExprKind::Name(n) => {
                if let Some(v) = s.vars.get(&n.name).copied() {
                    let c = match v {
                        Var::Node(slot) => MatchColumn::NodeBag { slot },
                        Var::Edge(step) => MatchColumn::EdgeBag { step },
                    };
                    let col = s.column(n.name.clone(), DataType::Dynamic, c);
                    e.kind = name_expr(col, span);
                }
                return Ok(());
            }
            ExprKind::Call { name, args } => {
                let fname = name.name.as_str();
                match (fname, args.len()) {
                    ("labels", 0) => {
                        return Err(self.error(
                            Diagnostic::semantic(codes::EXPECTED, span, "labels() without an argument is only valid inside all(), any() or map()")
                                .with_help("Name the node or edge: labels(n)"),
                        ))
                    }
                    ("labels", 1) if var_of(&args[0], s).is_some() => {
                        // Graphs built by make-graph have no labels.
                        e.kind = empty_labels(span);
                        return Ok(());
                    }
                    ("node_degree_in" | "node_degree_out", 1) => {
                        if let Some((Var::Node(slot), vname)) = var_of(&args[0], s) {
                            let out = fname == "node_degree_out";
                            let prop = s.node_fields.len() - if out { 1 } else { 2 };
                            let col = s.column(format!("{fname}({vname})"), DataType::Long, MatchColumn::Node { slot, prop });
                            e.kind = name_expr(col, span);
                            return Ok(());
                        }
                        return Err(self.error(Diagnostic::semantic(codes::EXPECTED, args[0].span, format!("{fname}() takes a node variable of the pattern"))));
                    }
                    ("node_degree_in" | "node_degree_out", 0) => {
                        return Err(self.error(
                            Diagnostic::semantic(
                                codes::EXPECTED,
                                span,
                                format!("{fname}() without an argument is only valid inside all(), any() or map() over inner_nodes()"),
                            )
                            .with_help(format!("Name the node: {fname}(n)")),
                        ))
                    }
                    ("inner_nodes", _) => {
                        return Err(self.error(
                            Diagnostic::semantic(codes::EXPECTED, span, "inner_nodes() can only be the first argument of all(), any() or map()")
                                .with_help("For example: map(inner_nodes(e), name)"),
                        ))
                    }
                    ("all" | "any" | "map", 2) => {
                        let (target, inner) = match &args[0].kind {
                            ExprKind::Call { name: n2, args: a2 } if n2.name == "inner_nodes" && a2.len() == 1 => (&a2[0], true),
                            _ => (&args[0], false),
                        };
                        let step = match var_of(target, s) {
                            Some((Var::Edge(step), _)) if s.variable[step] => step,
                            _ => {
                                return Err(self.error(
                                    Diagnostic::semantic(
                                        codes::EXPECTED,
                                        args[0].span,
                                        format!("{fname}() takes a variable length edge of the pattern, or inner_nodes() of one"),
                                    )
                                    .with_help(format!("For example: (a)-[e*1..3]->(b) ... {fname}(e, ...)")),
                                ))
                            }
                        };
                        let fold = match fname {
                            "all" => Fold::All,
                            "any" => Fold::Any,
                            _ => Fold::Map,
                        };
                        let elem: Vec<Field> = if inner { s.node_fields.clone() } else { s.edge_fields.clone() };
                        let mut body = args[1].clone();
                        self.graph_element_rewrite(&mut body, inner)?;
                        let ctx = RowCtx { schema: &elem, agg: None, ordered: false };
                        let b = self.bind_scalar(&body, &ctx)?;
                        let (b, ty) = if fold == Fold::Map {
                            (b, DataType::Dynamic)
                        } else {
                            (self.coerce_to(b, DataType::Bool, &format!("the condition of {fname}()"))?, DataType::Bool)
                        };
                        s.folds += 1;
                        let col = s.column(format!("{fname}#{}", s.folds), ty, MatchColumn::Fold { step, inner, fold, expr: b });
                        e.kind = name_expr(col, span);
                        return Ok(());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        for c in children_mut(e) {
            self.graph_rewrite(c, s)?;
        }
        Ok(())
    }

    /// Inside `all()`, `any()`, `map()`: `labels()` is empty, `node_degree_in()` and
    /// `node_degree_out()` read the inner node's degree.
    fn graph_element_rewrite(&mut self, e: &mut Expr, inner: bool) -> BResult<()> {
        let span = e.span;
        if let ExprKind::Call { name, args } = &e.kind {
            match (name.name.as_str(), args.len()) {
                ("labels", 0) => {
                    e.kind = empty_labels(span);
                    return Ok(());
                }
                ("node_degree_in" | "node_degree_out", 0) if inner => {
                    let col = if name.name == "node_degree_in" { DEGREE_IN } else { DEGREE_OUT };
                    e.kind = name_expr(col.to_string(), span);
                    return Ok(());
                }
                ("node_degree_in" | "node_degree_out", 0) => {
                    return Err(self.error(Diagnostic::semantic(codes::EXPECTED, span, format!("{}() reads a node: use it over inner_nodes(e)", name.name))));
                }
                _ => {}
            }
        }
        for c in children_mut(e) {
            self.graph_element_rewrite(c, inner)?;
        }
        Ok(())
    }

    fn no_property(&mut self, var: &str, prop: &Ident, fields: &[Field], what: &str) -> super::Failed {
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let help = match did_you_mean(&prop.name, names.iter().copied()) {
            Some(s) => format!("Did you mean '{var}.{s}'?"),
            None if names.is_empty() => format!("The {what}s of this graph have no properties"),
            None => format!("The {what}s' properties are: {}", names.join(", ")),
        };
        self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, prop.span, format!("The {what} '{var}' has no property '{}'", prop.name)).with_help(help))
    }
}
