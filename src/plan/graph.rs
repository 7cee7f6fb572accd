//! The bound graph operators. A graph is never a value of its own in kqlab: `make-graph` and
//! the graph operators after it (up to the first one whose output is a table) are bound as one
//! [`GraphPlan`] node, which builds the graph, marks its components, and gives a table: its
//! nodes, its edges, or the matches of a pattern. For `graph-match` that table has one column
//! per property the `where` and `project` clauses read (`n.name`, `e.weight`, ...), and the
//! binder puts a `Project` node above it; the `where` clause runs inside, because
//! `graph-shortest-paths` keeps the shortest of the paths that satisfy it.

use super::{BExpr, Plan};
use crate::table::Field;

#[derive(Clone, Debug)]
pub struct GraphPlan {
    pub edges: Plan,
    /// Columns of `edges` with the source and target node ids.
    pub source: usize,
    pub target: usize,
    pub nodes: Vec<NodeSource>,
    /// The node properties: the node tables' columns merged by name, then the
    /// `with_node_id=` column.
    pub props: Vec<Field>,
    /// Properties that hold the node id itself (each nodes table's key column, the
    /// `with_node_id=` column): a node that no nodes table lists gets its id there.
    pub id_props: Vec<usize>,
    /// `partitioned-by`: the column of `edges` (and of each nodes table, `NodeSource::partition`).
    pub partition: Option<usize>,
    /// `graph-mark-components` steps, in order; each adds a `long` property after `props`.
    pub marks: Vec<Mark>,
    pub output: GraphOutput,
}

/// One `with T on Key` table.
#[derive(Clone, Debug)]
pub struct NodeSource {
    pub plan: Plan,
    pub key: usize,
    /// For each column of the table, its property index.
    pub props: Vec<usize>,
    pub partition: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Mark {
    pub strong: bool,
    pub name: String,
}

#[derive(Clone, Debug)]
pub enum GraphOutput {
    /// `graph-to-table nodes [with_node_id=X]`: (id column?) then the properties and marks.
    Nodes {
        with_id: bool,
    },
    /// `graph-to-table edges`: (source id?) (target id?) then the edge columns.
    Edges {
        source_id: bool,
        target_id: bool,
    },
    Match(Box<MatchPlan>),
}

/// How edges and nodes may repeat within one match (`graph-match cycles=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cycles {
    /// No edge twice in a match (the default).
    UniqueEdges,
    /// No node twice, except where the pattern names the same variable twice.
    None,
    All,
}

#[derive(Clone, Debug)]
pub struct MatchPlan {
    /// Node variables: named ones once each, each anonymous node its own.
    pub slots: usize,
    /// Edges of the pattern, left to right in each path.
    pub steps: Vec<MatchStep>,
    pub cycles: Cycles,
    /// `graph-shortest-paths`: `Some(all)` with `output=all`.
    pub shortest: Option<bool>,
    /// The match table's columns (see [`MatchColumn`]).
    pub columns: Vec<MatchColumn>,
    /// The `where` clause over the match table.
    pub predicate: Option<BExpr>,
    /// The `and` terms of the `where` clause that read one node variable only, over the node
    /// table: the search binds that variable only to nodes where the term is true (the whole
    /// clause still runs on each match).
    pub node_filters: Vec<(usize, BExpr)>,
}

/// One edge of the pattern between node slots `a` (left) and `b` (right).
#[derive(Clone, Debug)]
pub struct MatchStep {
    pub a: usize,
    pub b: usize,
    /// `Some(true)`: a → b (`-->`), `Some(false)`: b → a (`<--`), `None`: either.
    pub forward: Option<bool>,
    pub min: usize,
    pub max: usize,
    /// Written with `*min..max` (its properties are arrays, even for `*1..1`).
    pub variable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    All,
    Any,
    Map,
}

/// A column of the match table.
#[derive(Clone, Debug)]
pub enum MatchColumn {
    /// A node property (index into properties, marks, then in/out degree).
    Node { slot: usize, prop: usize },
    /// A node variable by itself: a bag of its properties.
    NodeBag { slot: usize },
    /// An edge property; for a variable-length edge, the array of its values along the path.
    Edge { step: usize, col: usize },
    /// An edge variable by itself: a bag of its columns (an array of them for a
    /// variable-length edge).
    EdgeBag { step: usize },
    /// `all()`, `any()`, `map()` over a variable-length edge's edges, or over its inner nodes
    /// with `inner_nodes()`; `expr` reads the edge columns or the node properties.
    Fold { step: usize, inner: bool, fold: Fold, expr: BExpr },
}

impl GraphPlan {
    /// One line for plan printing.
    pub fn describe(&self) -> String {
        let out = match &self.output {
            GraphOutput::Nodes { .. } => "nodes".to_string(),
            GraphOutput::Edges { .. } => "edges".to_string(),
            GraphOutput::Match(m) => format!(
                "{} steps={} columns={} node_filters={}{}",
                if m.shortest.is_some() { "shortest-paths" } else { "match" },
                m.steps.len(),
                m.columns.len(),
                m.node_filters.len(),
                m.predicate.as_ref().map(|p| format!(" where {}", p.describe())).unwrap_or_default()
            ),
        };
        format!("Graph nodes={} marks={} {out}", self.nodes.len(), self.marks.len())
    }
}
