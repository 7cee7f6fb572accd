//! Walking a plan: its child plans, a pre-order visit, and the questions the lesson checker
//! asks about a bound solution (is its output ordered and by which columns, which output
//! columns are make_set/make_list arrays, the same plan without its final `top` limit).

use super::aggregates::AggFn;
use super::{BKind, Filter, Node, Plan, Project, Sort, Take, Top};
use crate::table::Table;
use std::sync::Arc;

/// One key of a plan's output order: an output column, descending?, nulls first?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputKey {
    pub column: usize,
    pub desc: bool,
    pub nulls_first: bool,
}

/// How a plan's output rows are ordered (see [`Plan::output_order`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputOrder {
    /// The plan ends in a `sort` or `top` (through steps that keep the order).
    pub sorted: bool,
    /// The sort keys as output columns; empty when `sorted` but a key is not an output
    /// column (then only the exact order can be compared).
    pub keys: Vec<OutputKey>,
    /// The sort is a `top N`.
    pub has_top: bool,
}

impl Plan {
    /// The plans this node reads, in the order the node reads them: an operator's input, a
    /// join's left then right side, a union's inputs, an `mv-apply`'s input then its
    /// per-row subquery. Subqueries inside expressions (`toscalar`, `in (T | …)`) are not
    /// children: they belong to the expression.
    pub fn children(&self) -> Vec<&Plan> {
        match &self.node {
            Node::Scan(_) | Node::Range(_) | Node::Implicit => Vec::new(),
            Node::Union(u) => u.inputs.iter().collect(),
            Node::Join(j) => vec![&j.left, &j.right],
            Node::MvApply(m) => vec![&m.input, &m.sub],
            Node::Partition(p) => vec![&p.input, &p.sub],
            Node::Graph(g) => std::iter::once(&g.edges).chain(g.nodes.iter().map(|n| &n.plan)).collect(),
            _ => self.input().into_iter().collect(),
        }
    }

    /// The child plans this node owns, to rewrite them in place. The input of a shared node
    /// (`materialize()`, a `let` table used more than once) is left out: other readers share
    /// it, so it is not changed through one of them.
    pub fn children_mut(&mut self) -> Vec<&mut Plan> {
        match &mut self.node {
            Node::Scan(_) | Node::Range(_) | Node::Implicit | Node::Shared(_) => Vec::new(),
            Node::Union(u) => u.inputs.iter_mut().collect(),
            Node::Join(j) => vec![&mut j.left, &mut j.right],
            Node::MvApply(m) => vec![&mut m.input, &mut m.sub],
            Node::Partition(p) => vec![&mut p.input, &mut p.sub],
            Node::MakeSeries(m) => vec![&mut m.input],
            Node::Graph(g) => std::iter::once(&mut g.edges).chain(g.nodes.iter_mut().map(|n| &mut n.plan)).collect(),
            Node::Filter(Filter { input, .. })
            | Node::Project(Project { input, .. })
            | Node::Aggregate(super::Aggregate { input, .. })
            | Node::Sort(Sort { input, .. })
            | Node::Top(Top { input, .. })
            | Node::Take(Take { input, .. })
            | Node::MvExpand(super::MvExpand { input, .. })
            | Node::Parse(super::Parse { input, .. })
            | Node::GetSchema(super::GetSchema { input })
            | Node::BagUnpack(super::BagUnpack { input, .. })
            | Node::Pivot(super::Pivot { input, .. })
            | Node::TopNested(super::TopNested { input, .. })
            | Node::ParseKv(super::ParseKv { input, .. })
            | Node::StepScan(super::StepScan { input, .. })
            | Node::Sample(super::Sample { input, .. }) => vec![input],
        }
    }

    /// Visits this node, then each child's subtree in [`Plan::children`] order.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Plan)) {
        f(self);
        for c in self.children() {
            c.walk(f);
        }
    }

    /// Follows the plan down through steps that keep every row's values unchanged (`where`,
    /// `take`, a `project` whose plain column references are traced; and `sort`/`top` when
    /// `through_sort`) to the first other step. Returns that step and, for each of its
    /// output columns, the position where it appears in this plan's output (the first one),
    /// if it does.
    fn trace_down(&self, through_sort: bool) -> (&Plan, Vec<Option<usize>>) {
        // Level by level, how each level's output columns map to its input's.
        let mut maps: Vec<Vec<Option<usize>>> = Vec::new();
        let mut p = self;
        loop {
            match &p.node {
                Node::Project(Project { input, exprs }) => {
                    maps.push(exprs.iter().map(|e| if let BKind::Column(i) = e.kind { Some(i) } else { None }).collect());
                    p = input;
                }
                Node::Filter(Filter { input, .. }) | Node::Take(Take { input, .. }) => {
                    maps.push((0..p.schema.len()).map(Some).collect());
                    p = input;
                }
                Node::Sort(Sort { input, .. }) | Node::Top(Top { input, .. }) if through_sort => {
                    maps.push((0..p.schema.len()).map(Some).collect());
                    p = input;
                }
                _ => break,
            }
        }
        let up = (0..p.schema.len())
            .map(|c| {
                let mut col = Some(c);
                for m in maps.iter().rev() {
                    col = col.and_then(|c| m.iter().position(|x| *x == Some(c)));
                }
                col
            })
            .collect();
        (p, up)
    }

    /// Does the plan end in a `sort` or `top` (through steps that keep the order: `where`,
    /// `take`, `project`), and by which output columns? A constant sort key orders nothing
    /// and is skipped.
    pub fn output_order(&self) -> OutputOrder {
        let (base, up) = self.trace_down(false);
        let (keys, has_top) = match &base.node {
            Node::Sort(Sort { keys, .. }) => (keys, false),
            Node::Top(Top { keys, .. }) => (keys, true),
            _ => return OutputOrder::default(),
        };
        let mut out = Vec::new();
        for k in keys {
            let BKind::Column(col) = k.expr.kind else {
                if k.expr.as_const().is_some() {
                    continue;
                }
                return OutputOrder { sorted: true, keys: Vec::new(), has_top };
            };
            // A sort keeps its input's columns, so the key is one of the sort's own outputs.
            match up.get(col).copied().flatten() {
                Some(column) => out.push(OutputKey { column, desc: k.desc, nulls_first: k.nulls_first }),
                None => return OutputOrder { sorted: true, keys: Vec::new(), has_top },
            }
        }
        OutputOrder { sorted: true, keys: out, has_top }
    }

    /// Output columns that come straight from a `make_set`/`make_list` aggregate (through
    /// `where`, `take`, `sort`, `top` and plain-column `project` steps): arrays whose element
    /// order Kusto does not define.
    pub fn collection_columns(&self) -> Vec<usize> {
        let (base, up) = self.trace_down(true);
        let Node::Aggregate(agg) = &base.node else { return Vec::new() };
        let mut slot = agg.keys.len();
        let mut out = Vec::new();
        for a in &agg.aggs {
            if matches!(a.func, AggFn::MakeSet | AggFn::MakeSetIf | AggFn::MakeList | AggFn::MakeListIf) {
                out.extend(up.get(slot).copied().flatten());
            }
            slot += a.out.len();
        }
        out
    }

    /// The plan with its final `top N` (below any `project`, `where`, `take`) turned into a
    /// plain sort: every row the `top` could have chosen from, in order.
    pub fn without_top_limit(&self) -> Plan {
        fn go(p: &mut Plan) {
            match &mut p.node {
                Node::Project(Project { input, .. }) | Node::Filter(Filter { input, .. }) | Node::Take(Take { input, .. }) => go(input),
                Node::Top(Top { input, keys, .. }) => {
                    let placeholder = Plan { node: Node::Scan(Arc::new(Table::empty(vec![]))), schema: Default::default(), span: Default::default() };
                    let input = std::mem::replace(input, Box::new(placeholder));
                    let keys = std::mem::take(keys);
                    p.node = Node::Sort(Sort { input, keys });
                }
                _ => {}
            }
        }
        let mut p = self.clone();
        go(&mut p);
        p
    }
}
