//! Running a graph plan (`plan::graph`): build the graph from its edges and nodes tables,
//! mark components, then list its nodes or edges or search it for a pattern.
//!
//! Nodes are numbered in the order they first appear: the nodes tables' rows, then each
//! edge's source and target. A node's id properties hold its id even when no nodes table lists
//! it; `with_node_id` / `with_source_id` / `with_target_id` columns are `hash()` of the id (the
//! 64-bit xxHash of its text, as Kusto's node hash ids are).
//!
//! Pattern search is a depth-first search over the pattern's edges in an order where each edge
//! starts at a node already bound (the first edge's left node is tried at every node). A
//! variable-length edge `*min..max` walks up to `max` edges and ends at every length from `min`.
//! `cycles=unique_edges` (the default) keeps an edge from appearing twice in one match,
//! `cycles=none` keeps a node from appearing twice (except where the pattern repeats a
//! variable), `cycles=all` allows both. The `where` clause runs on the match table;
//! `graph-shortest-paths` then keeps, for each pair of end nodes, the shortest matching path
//! (the first one found with `output=any`, all of that length with `output=all`).
//!
//! Limits: the search stops with `KQL0502` after [`MAX_MATCHES`] matches or [`MAX_WORK`] edge
//! steps, whichever comes first (lower when the row limit is: at most the row limit of matches
//! and 50 steps per row).

use super::aggregate::group_ids;
use super::eval::{eval, EResult};
use super::{execute, ExecCtx};
use crate::diag::{codes, thousands, Diagnostic, Span};
use crate::plan::graph::{Cycles, Fold, GraphOutput, GraphPlan, MatchColumn, MatchPlan};
use crate::table::{Column, ColumnBuilder, Field, Table};
use crate::types::{DataType, Dynamic, Value};
use std::sync::Arc;

/// Most matches one `graph-match` may produce before it stops with an error.
pub const MAX_MATCHES: usize = 1_000_000;
/// Most edge steps one pattern search may take before it stops with an error.
pub const MAX_WORK: u64 = 50_000_000;

const UNSET: u32 = u32::MAX;

/// The graph: node properties (then marks, then in and out degree), ids, edges.
struct Built {
    n: usize,
    nodes: Table,
    ids: Column,
    src: Vec<u32>,
    dst: Vec<u32>,
    out_adj: Vec<Vec<u32>>,
    in_adj: Vec<Vec<u32>>,
}

pub fn run(g: &GraphPlan, schema: &Arc<Vec<Field>>, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let edges = execute(&g.edges, cx)?;
    let mut node_tabs = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        node_tabs.push(execute(&n.plan, cx)?);
    }
    let Some(pcol) = g.partition else {
        return one(g, &edges, &node_tabs, schema, span, cx);
    };
    // partitioned-by: one graph per value of the column, in the order the values first
    // appear among the edges; each nodes table contributes its rows with that value.
    let ty = edges.fields[pcol].ty;
    let mut parts: Vec<&Column> = vec![&edges.columns[pcol]];
    let mut casted = Vec::new();
    for (t, n) in node_tabs.iter().zip(&g.nodes) {
        let c = &t.columns[n.partition.unwrap_or(0)];
        if c.data_type() != ty {
            casted.push(Column::nulls(ty, t.len()));
        } else {
            casted.push((**c).clone());
        }
    }
    parts.extend(casted.iter());
    let all = Arc::new(Column::concat(ty, &parts));
    let (gid, firsts) = group_ids(&[all], parts.iter().map(|c| c.len()).sum());
    let mut results = Vec::new();
    let mut total = 0;
    for (grp, &first) in firsts.iter().enumerate() {
        if first as usize >= edges.len() {
            continue; // a value only the nodes tables have: no edges, no graph
        }
        let rows = |off: usize, len: usize| -> Vec<u32> { (0..len).filter(|&r| gid[off + r] as usize == grp).map(|r| r as u32).collect() };
        let e = edges.take(&rows(0, edges.len()));
        let mut off = edges.len();
        let mut ns = Vec::with_capacity(node_tabs.len());
        for t in &node_tabs {
            ns.push(t.take(&rows(off, t.len())));
            off += t.len();
        }
        let r = one(g, &e, &ns, schema, span, cx)?;
        total += r.len();
        cx.check_rows(total, span, "This graph operator")?;
        results.push(r);
    }
    let columns = (0..schema.len())
        .map(|c| {
            let refs: Vec<&Column> = results.iter().map(|p| &*p.columns[c]).collect();
            Arc::new(Column::concat(schema[c].ty, &refs))
        })
        .collect();
    Ok(Table::with_len(schema.as_ref().clone(), columns, total))
}

fn node_hash(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        v => Value::Long(xxhash_rust::xxh64::xxh64(v.to_display().as_bytes(), 0) as i64),
    }
}

fn hash_column(ids: &Column, rows: impl Iterator<Item = u32>) -> Arc<Column> {
    let mut b = ColumnBuilder::new(DataType::Long, 0);
    for r in rows {
        b.push(&node_hash(&ids.value(r as usize)));
    }
    Arc::new(b.finish())
}

fn one(g: &GraphPlan, edges: &Table, node_tabs: &[Table], schema: &Arc<Vec<Field>>, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let b = build(g, edges, node_tabs, cx, span)?;
    let fields = schema.as_ref().clone();
    match &g.output {
        GraphOutput::Nodes { with_id } => {
            let mut cols = Vec::new();
            if *with_id {
                cols.push(hash_column(&b.ids, 0..b.n as u32));
            }
            cols.extend(b.nodes.columns[..g.props.len() + g.marks.len()].iter().cloned());
            Ok(Table::with_len(fields, cols, b.n))
        }
        GraphOutput::Edges { source_id, target_id } => {
            let mut cols = Vec::new();
            if *source_id {
                cols.push(hash_column(&b.ids, b.src.iter().copied()));
            }
            if *target_id {
                cols.push(hash_column(&b.ids, b.dst.iter().copied()));
            }
            cols.extend(edges.columns.iter().cloned());
            Ok(Table::with_len(fields, cols, edges.len()))
        }
        GraphOutput::Match(m) => search(&b, edges, m, fields, span, cx),
    }
}

fn build(g: &GraphPlan, edges: &Table, node_tabs: &[Table], cx: &ExecCtx, span: Span) -> EResult<Built> {
    let m = edges.len();
    let id_ty = edges.fields[g.source].ty;
    // Every id in order of appearance: the nodes tables' keys, then each edge's source and target.
    let ends = Column::concat(id_ty, &[&edges.columns[g.source], &edges.columns[g.target]]);
    let inter: Vec<u32> = (0..m as u32).flat_map(|e| [e, e + m as u32]).collect();
    let ends = ends.take(&inter);
    let mut parts: Vec<&Column> = node_tabs.iter().zip(&g.nodes).map(|(t, n)| &*t.columns[n.key]).collect();
    parts.push(&ends);
    let total: usize = parts.iter().map(|c| c.len()).sum();
    let all = Column::concat(id_ty, &parts);
    let (gid, firsts) = group_ids(&[Arc::new(all.clone())], total);
    let n = firsts.len();
    cx.check_rows(n, span, "This graph")?;
    let ids = all.take(&firsts);
    let mut first_row: Vec<Vec<u32>> = Vec::new();
    let mut off = 0;
    for t in node_tabs {
        let mut fr = vec![UNSET; n];
        for r in 0..t.len() {
            let node = gid[off + r] as usize;
            if fr[node] == UNSET {
                fr[node] = r as u32;
            }
        }
        off += t.len();
        first_row.push(fr);
    }
    let src: Vec<u32> = (0..m).map(|e| gid[off + 2 * e]).collect();
    let dst: Vec<u32> = (0..m).map(|e| gid[off + 2 * e + 1]).collect();
    let mut out_adj = vec![Vec::new(); n];
    let mut in_adj = vec![Vec::new(); n];
    for e in 0..m {
        out_adj[src[e] as usize].push(e as u32);
        in_adj[dst[e] as usize].push(e as u32);
    }
    // Properties: the first nodes table that lists the node and has the property; else the
    // id for an id property; else null.
    let mut cols: Vec<Arc<Column>> = Vec::new();
    let mut fields = g.props.clone();
    for (p, f) in g.props.iter().enumerate() {
        let sources: Vec<(usize, usize)> = g.nodes.iter().enumerate().filter_map(|(t, ns)| ns.props.iter().position(|&q| q == p).map(|c| (t, c))).collect();
        let is_id = g.id_props.contains(&p);
        let mut b = ColumnBuilder::new(f.ty, n);
        for (node, id) in (0..n).map(|i| (i, ids.value(i))) {
            match sources.iter().find(|(t, _)| first_row[*t][node] != UNSET) {
                Some(&(t, c)) => b.push(&node_tabs[t].columns[c].value(first_row[t][node] as usize)),
                None if is_id => b.push(&id),
                None => b.push_null(),
            }
        }
        cols.push(Arc::new(b.finish()));
    }
    let mut built = Built { n, nodes: Table::empty(vec![]), ids, src, dst, out_adj, in_adj };
    for mark in &g.marks {
        let comp = if mark.strong { strong_components(&built) } else { weak_components(&built) };
        cols.push(Arc::new(Column::Long(crate::table::Prim::new(comp))));
        fields.push(Field::new(&mark.name, DataType::Long));
    }
    let deg_in: Vec<i64> = built.in_adj.iter().map(|a| a.len() as i64).collect();
    let deg_out: Vec<i64> = built.out_adj.iter().map(|a| a.len() as i64).collect();
    cols.push(Arc::new(Column::Long(crate::table::Prim::new(deg_in))));
    cols.push(Arc::new(Column::Long(crate::table::Prim::new(deg_out))));
    fields.push(Field::new("node_degree_in()", DataType::Long));
    fields.push(Field::new("node_degree_out()", DataType::Long));
    built.nodes = Table::with_len(fields, cols, n);
    Ok(built)
}

/// Weakly connected components, numbered from 0 in the order of their first node.
fn weak_components(b: &Built) -> Vec<i64> {
    let mut parent: Vec<u32> = (0..b.n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for e in 0..b.src.len() {
        let (x, y) = (find(&mut parent, b.src[e]), find(&mut parent, b.dst[e]));
        if x != y {
            parent[x.max(y) as usize] = x.min(y);
        }
    }
    let roots: Vec<u32> = (0..b.n as u32).map(|x| find(&mut parent, x)).collect();
    renumber(&roots)
}

/// Strongly connected components (Kosaraju, iterative), numbered like the weak ones.
fn strong_components(b: &Built) -> Vec<i64> {
    let n = b.n;
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for s in 0..n {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut stack = vec![(s, 0usize)];
        while let Some((u, i)) = stack.pop() {
            if let Some(&e) = b.out_adj[u].get(i) {
                stack.push((u, i + 1));
                let v = b.dst[e as usize] as usize;
                if !seen[v] {
                    seen[v] = true;
                    stack.push((v, 0));
                }
            } else {
                order.push(u);
            }
        }
    }
    let mut label = vec![UNSET; n];
    for (c, &s) in order.iter().rev().enumerate() {
        if label[s] != UNSET {
            continue;
        }
        label[s] = c as u32;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &e in &b.in_adj[u] {
                let v = b.src[e as usize] as usize;
                if label[v] == UNSET {
                    label[v] = c as u32;
                    stack.push(v);
                }
            }
        }
    }
    renumber(&label)
}

fn renumber(labels: &[u32]) -> Vec<i64> {
    let mut map = crate::table::FxHashMap::default();
    labels
        .iter()
        .map(|l| {
            let next = map.len() as i64;
            *map.entry(*l).or_insert(next)
        })
        .collect()
}

/// One step of the search: bind a node slot to every node, or walk a pattern edge from its
/// bound end (`reversed`: from its right node).
#[derive(Clone, Copy)]
enum Action {
    Bind(usize),
    Step(usize, bool),
}

struct Record {
    nodes: Vec<u32>,
    edges: Vec<Vec<u32>>,
    inner: Vec<Vec<u32>>,
}

struct Search<'a> {
    b: &'a Built,
    m: &'a MatchPlan,
    actions: Vec<Action>,
    node_of: Vec<u32>,
    edges_of: Vec<Vec<u32>>,
    inner_of: Vec<Vec<u32>>,
    used_edge: Vec<bool>,
    node_use: Vec<u32>,
    out: Vec<Record>,
    max_matches: usize,
    work: u64,
    max_work: u64,
    span: Span,
    /// Per node slot, the nodes its `where` terms allow (`None`: every node).
    candidates: Vec<Option<Vec<bool>>>,
}

impl Search<'_> {
    /// May `slot` be bound to node `v` (by the `where` terms on that variable alone)?
    fn allowed(&self, slot: usize, v: u32) -> bool {
        self.candidates[slot].as_ref().is_none_or(|c| c[v as usize])
    }

    fn go(&mut self, k: usize) -> EResult<()> {
        if k == self.actions.len() {
            if self.out.len() >= self.max_matches {
                return Err(Diagnostic::runtime(
                    codes::LIMIT,
                    self.span,
                    format!("The pattern has more than {} matches; kqlab stops there to keep your browser responsive", thousands(self.max_matches)),
                )
                .with_help("Constrain the pattern: fewer hops in *min..max, conditions on the nodes in where, or cycles=none"));
            }
            self.out.push(Record { nodes: self.node_of.clone(), edges: self.edges_of.clone(), inner: self.inner_of.clone() });
            return Ok(());
        }
        match self.actions[k] {
            Action::Bind(slot) => {
                for v in 0..self.b.n as u32 {
                    if !self.allowed(slot, v) {
                        continue;
                    }
                    if self.m.cycles == Cycles::None && self.node_use[v as usize] > 0 {
                        continue;
                    }
                    self.node_of[slot] = v;
                    self.node_use[v as usize] += 1;
                    let r = self.go(k + 1);
                    self.node_use[v as usize] -= 1;
                    r?;
                }
                self.node_of[slot] = UNSET;
                Ok(())
            }
            Action::Step(s, rev) => {
                let st = &self.m.steps[s];
                let from = if rev { st.b } else { st.a };
                let start = self.node_of[from];
                let mut path = Vec::new();
                let mut nodes = Vec::new();
                self.walk(k, s, rev, start, &mut path, &mut nodes, false)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(&mut self, k: usize, s: usize, rev: bool, cur: u32, path: &mut Vec<u32>, nodes: &mut Vec<u32>, terminal: bool) -> EResult<()> {
        let st = &self.m.steps[s];
        let (min, max, fwd) = (st.min, st.max, st.forward);
        let to = if rev { st.a } else { st.b };
        let len = path.len();
        if len >= min {
            let bound = self.node_of[to];
            if bound == cur || (bound == UNSET && self.allowed(to, cur)) {
                let mut e = path.clone();
                let mut inner: Vec<u32> = nodes[..len.saturating_sub(1)].to_vec();
                if rev {
                    e.reverse();
                    inner.reverse();
                }
                self.edges_of[s] = e;
                self.inner_of[s] = inner;
                if bound == UNSET {
                    self.node_of[to] = cur;
                }
                let r = self.go(k + 1);
                if bound == UNSET {
                    self.node_of[to] = UNSET;
                }
                r?;
            }
        }
        if len >= max || terminal {
            return Ok(());
        }
        // Which way the edges run when walking from the bound end.
        let (out_ok, in_ok) = match (fwd, rev) {
            (Some(f), r) => (f != r, f == r),
            (None, _) => (true, true),
        };
        let b = self.b;
        for dir in [true, false] {
            if (dir && !out_ok) || (!dir && !in_ok) {
                continue;
            }
            let adj = if dir { &b.out_adj[cur as usize] } else { &b.in_adj[cur as usize] };
            for &e in adj {
                self.work += 1;
                if self.work > self.max_work {
                    return Err(Diagnostic::runtime(
                        codes::LIMIT,
                        self.span,
                        format!(
                            "The pattern search took more than {} steps; kqlab stops there to keep your browser responsive",
                            thousands(self.max_work as usize)
                        ),
                    )
                    .with_help("Constrain the pattern: fewer hops in *min..max, or a smaller graph (filter the edges before make-graph)"));
                }
                if self.m.cycles != Cycles::All && self.used_edge[e as usize] {
                    continue;
                }
                let next = if dir { b.dst[e as usize] } else { b.src[e as usize] };
                let mut term = false;
                if self.m.cycles == Cycles::None && self.node_use[next as usize] > 0 {
                    // Only as the pattern's own repeated variable, ending the edge here.
                    if self.node_of[to] != next || len + 1 < min {
                        continue;
                    }
                    term = true;
                }
                self.used_edge[e as usize] = true;
                self.node_use[next as usize] += 1;
                path.push(e);
                nodes.push(next);
                let r = self.walk(k, s, rev, next, path, nodes, term);
                path.pop();
                nodes.pop();
                self.node_use[next as usize] -= 1;
                self.used_edge[e as usize] = false;
                r?;
            }
        }
        Ok(())
    }
}

fn plan_actions(m: &MatchPlan) -> Vec<Action> {
    let mut bound = vec![false; m.slots];
    let mut done = vec![false; m.steps.len()];
    let mut actions = Vec::new();
    for _ in 0..m.steps.len() {
        let pick = (0..m.steps.len()).find(|&i| !done[i] && (bound[m.steps[i].a] || bound[m.steps[i].b]));
        let i = match pick {
            Some(i) => i,
            None => {
                let i = (0..m.steps.len()).find(|&i| !done[i]).unwrap_or(0);
                actions.push(Action::Bind(m.steps[i].a));
                bound[m.steps[i].a] = true;
                i
            }
        };
        actions.push(Action::Step(i, !bound[m.steps[i].a]));
        bound[m.steps[i].a] = true;
        bound[m.steps[i].b] = true;
        done[i] = true;
    }
    for (s, b) in bound.iter().enumerate() {
        if !b {
            actions.push(Action::Bind(s));
        }
    }
    actions
}

fn bag(t: &Table, row: usize, cols: usize) -> Dynamic {
    Dynamic::Object(Arc::new((0..cols).map(|c| (Arc::from(t.fields[c].name.as_str()), t.columns[c].value(row).to_dynamic())).collect()))
}

fn search(b: &Built, edges: &Table, m: &MatchPlan, fields: Vec<Field>, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let mut candidates: Vec<Option<Vec<bool>>> = vec![None; m.slots];
    for (slot, f) in &m.node_filters {
        let v = eval(f, &b.nodes, cx)?;
        let ok: Vec<bool> = (0..b.n).map(|i| v.value(i) == Value::Bool(true)).collect();
        candidates[*slot] = Some(match candidates[*slot].take() {
            Some(prev) => prev.iter().zip(&ok).map(|(a, b)| *a && *b).collect(),
            None => ok,
        });
    }
    let mut s = Search {
        candidates,
        b,
        m,
        actions: plan_actions(m),
        node_of: vec![UNSET; m.slots],
        edges_of: vec![Vec::new(); m.steps.len()],
        inner_of: vec![Vec::new(); m.steps.len()],
        used_edge: vec![false; edges.len()],
        node_use: vec![0; b.n],
        out: Vec::new(),
        max_matches: MAX_MATCHES.min(cx.limits.max_rows),
        work: 0,
        max_work: MAX_WORK.min((cx.limits.max_rows as u64).saturating_mul(50)),
        span,
    };
    s.go(0)?;
    let recs = s.out;
    let len = recs.len();
    let props = b.nodes.fields.len() - 2;
    let mut cols: Vec<Arc<Column>> = Vec::with_capacity(m.columns.len());
    for (c, f) in m.columns.iter().zip(&fields) {
        let col = match c {
            MatchColumn::Node { slot, prop } => {
                let idx: Vec<u32> = recs.iter().map(|r| r.nodes[*slot]).collect();
                Arc::new(b.nodes.columns[*prop].take(&idx))
            }
            MatchColumn::NodeBag { slot } => dyn_column(recs.iter().map(|r| bag(&b.nodes, r.nodes[*slot] as usize, props))),
            MatchColumn::Edge { step, col } if m.steps[*step].variable => dyn_column(
                recs.iter().map(|r| Dynamic::Array(Arc::new(r.edges[*step].iter().map(|&e| edges.columns[*col].value(e as usize).to_dynamic()).collect()))),
            ),
            MatchColumn::Edge { step, col } => {
                let idx: Vec<u32> = recs.iter().map(|r| r.edges[*step][0]).collect();
                Arc::new(edges.columns[*col].take(&idx))
            }
            MatchColumn::EdgeBag { step } if m.steps[*step].variable => {
                dyn_column(recs.iter().map(|r| Dynamic::Array(Arc::new(r.edges[*step].iter().map(|&e| bag(edges, e as usize, edges.fields.len())).collect()))))
            }
            MatchColumn::EdgeBag { step } => dyn_column(recs.iter().map(|r| bag(edges, r.edges[*step][0] as usize, edges.fields.len()))),
            MatchColumn::Fold { step, inner, fold, expr } => {
                fn elems(r: &Record, inner: bool, step: usize) -> &[u32] {
                    if inner {
                        &r.inner[step]
                    } else {
                        &r.edges[step]
                    }
                }
                let all: Vec<u32> = recs.iter().flat_map(|r| elems(r, *inner, *step).iter().copied()).collect();
                let t = if *inner { b.nodes.take(&all) } else { edges.take(&all) };
                let v = eval(expr, &t, cx)?;
                let mut i = 0;
                let mut bld = ColumnBuilder::new(f.ty, len);
                for r in &recs {
                    let k = elems(r, *inner, *step).len();
                    let vals = (i..i + k).map(|j| v.value(j));
                    let out = match fold {
                        Fold::All => Value::Bool(vals.into_iter().all(|x| x == Value::Bool(true))),
                        Fold::Any => Value::Bool(vals.into_iter().any(|x| x == Value::Bool(true))),
                        Fold::Map => Value::Dynamic(Dynamic::Array(Arc::new(vals.map(|x| x.to_dynamic()).collect()))),
                    };
                    bld.push(&out);
                    i += k;
                }
                Arc::new(bld.finish())
            }
        };
        cols.push(col);
    }
    let table = Table::with_len(fields, cols, len);
    let mut keep: Vec<u32> = match &m.predicate {
        Some(p) => {
            let v = eval(p, &table, cx)?;
            (0..len as u32).filter(|&i| v.value(i as usize) == Value::Bool(true)).collect()
        }
        None => (0..len as u32).collect(),
    };
    if let Some(all) = m.shortest {
        let (a, z) = (m.steps[0].a, m.steps[m.steps.len() - 1].b);
        let length = |i: u32| recs[i as usize].edges.iter().map(|e| e.len()).sum::<usize>();
        let mut best: crate::table::FxHashMap<(u32, u32), usize> = Default::default();
        for &i in &keep {
            let r = &recs[i as usize];
            let l = length(i);
            let e = best.entry((r.nodes[a], r.nodes[z])).or_insert(l);
            *e = (*e).min(l);
        }
        let mut taken: crate::table::FxHashMap<(u32, u32), bool> = Default::default();
        keep.retain(|&i| {
            let r = &recs[i as usize];
            let key = (r.nodes[a], r.nodes[z]);
            if length(i) != best[&key] {
                return false;
            }
            let t = taken.entry(key).or_insert(false);
            let ok = all || !*t;
            *t = true;
            ok
        });
    }
    Ok(if keep.len() == len { table } else { table.take(&keep) })
}

fn dyn_column(values: impl Iterator<Item = Dynamic>) -> Arc<Column> {
    let mut b = ColumnBuilder::new(DataType::Dynamic, 0);
    for d in values {
        b.push(&Value::Dynamic(d));
    }
    Arc::new(b.finish())
}
