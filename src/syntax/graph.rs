//! The syntax of Kusto's graph operators: `make-graph`, `graph-match`, `graph-shortest-paths`,
//! `graph-to-table` and `graph-mark-components`, with the pattern language of `graph-match`
//! (`(a)-[e*1..3]->(b)<--(c)`). They are one [`OperatorKind::Graph`](super::ast::OperatorKind)
//! node holding a [`GraphOp`]; the parser's part is in `graph_parse.rs`, the printer is here.

use super::ast::{Expr, Ident, NamedExpr, OpParam};
use crate::diag::Span;
use std::fmt::{self, Display, Formatter};

/// The longest variable-length edge kqlab accepts (`*1..64`), and the most edges one match of
/// a whole pattern may follow (the binder checks the sum of the maximums): the number of paths
/// grows exponentially with it and the search recurses once per edge, so a pattern asking for
/// more is refused with this number.
pub const MAX_HOPS: i64 = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum GraphOp {
    /// `make-graph Source --> Target [with Nodes on Key, ...] [with_node_id=Name] [partitioned-by Col (graph ops)]`
    Make(Box<MakeGraph>),
    /// `graph-match` (or, with `shortest` set, `graph-shortest-paths`).
    Match(Box<GraphMatch>),
    /// `graph-to-table nodes [as N] [with_node_id=X] [, edges ...]`
    ToTable(Vec<TablePart>),
    /// `graph-mark-components [kind=weak|strong] [with_component_id=Name]`
    MarkComponents(Vec<OpParam>),
}

impl GraphOp {
    pub fn name(&self) -> &'static str {
        match self {
            GraphOp::Make(_) => "make-graph",
            GraphOp::Match(m) if m.shortest => "graph-shortest-paths",
            GraphOp::Match(_) => "graph-match",
            GraphOp::ToTable(_) => "graph-to-table",
            GraphOp::MarkComponents(_) => "graph-mark-components",
        }
    }

    /// Does this operator read a graph (rather than build one)?
    pub fn reads_graph(&self) -> bool {
        !matches!(self, GraphOp::Make(_))
    }

    /// Does this operator's output stay a graph?
    pub fn gives_graph(&self) -> bool {
        matches!(self, GraphOp::Make(_) | GraphOp::MarkComponents(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MakeGraph {
    pub source: Ident,
    pub target: Ident,
    /// `with T on Key`: up to two node tables.
    pub nodes: Vec<(Expr, Ident)>,
    /// `with_node_id=Name`
    pub params: Vec<OpParam>,
    /// `partitioned-by Col (graph-match ...)`: the subquery starts from an implicit graph.
    pub partition: Option<(Ident, Expr)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphMatch {
    pub shortest: bool,
    /// `cycles=` (graph-match) or `output=` (graph-shortest-paths).
    pub params: Vec<OpParam>,
    pub paths: Vec<PathPattern>,
    pub predicate: Option<Expr>,
    pub project: Vec<NamedExpr>,
}

/// `(a)-[e]->(b)<--(c)`: a first node, then (edge, node) steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPattern {
    pub first: NodePattern,
    pub steps: Vec<(EdgePattern, NodePattern)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodePattern {
    pub var: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeDir {
    /// `-->`, `-[e]->`
    Right,
    /// `<--`, `<-[e]-`
    Left,
    /// `--`, `-[e]-`
    Any,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgePattern {
    pub var: Option<Ident>,
    pub dir: EdgeDir,
    /// `*min..max` of a variable-length edge.
    pub hops: Option<(i64, i64)>,
    pub span: Span,
}

/// One part of `graph-to-table`: `nodes [as N] [with_node_id=X]` or
/// `edges [as E] [with_source_id=X] [with_target_id=Y]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TablePart {
    pub edges: bool,
    pub alias: Option<Ident>,
    pub params: Vec<OpParam>,
    pub span: Span,
}

impl Display for GraphOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            GraphOp::Make(m) => {
                write!(f, "make-graph {} --> {}", m.source, m.target)?;
                for (i, (t, k)) in m.nodes.iter().enumerate() {
                    f.write_str(if i == 0 { " with " } else { ", " })?;
                    write!(f, "{t} on {k}")?;
                }
                for p in &m.params {
                    write!(f, " {p}")?;
                }
                if let Some((col, sub)) = &m.partition {
                    write!(f, " partitioned-by {col} ({sub})")?;
                }
                Ok(())
            }
            GraphOp::Match(m) => {
                f.write_str(if m.shortest { "graph-shortest-paths" } else { "graph-match" })?;
                for p in &m.params {
                    write!(f, " {p}")?;
                }
                for (i, path) in m.paths.iter().enumerate() {
                    f.write_str(if i == 0 { " " } else { ", " })?;
                    write!(f, "{path}")?;
                }
                if let Some(w) = &m.predicate {
                    write!(f, " where {w}")?;
                }
                f.write_str(" project ")?;
                for (i, it) in m.project.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{it}")?;
                }
                Ok(())
            }
            GraphOp::ToTable(parts) => {
                f.write_str("graph-to-table")?;
                for (i, p) in parts.iter().enumerate() {
                    f.write_str(if i == 0 { " " } else { ", " })?;
                    f.write_str(if p.edges { "edges" } else { "nodes" })?;
                    if let Some(a) = &p.alias {
                        write!(f, " as {a}")?;
                    }
                    for q in &p.params {
                        write!(f, " {q}")?;
                    }
                }
                Ok(())
            }
            GraphOp::MarkComponents(ps) => {
                f.write_str("graph-mark-components")?;
                for p in ps {
                    write!(f, " {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for PathPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        for (e, n) in &self.steps {
            write!(f, "{e}{n}")?;
        }
        Ok(())
    }
}

impl Display for NodePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.var {
            Some(v) => write!(f, "({v})"),
            None => f.write_str("()"),
        }
    }
}

impl Display for EdgePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.var.is_none() && self.hops.is_none() {
            return f.write_str(match self.dir {
                EdgeDir::Right => "-->",
                EdgeDir::Left => "<--",
                EdgeDir::Any => "--",
            });
        }
        f.write_str(if self.dir == EdgeDir::Left { "<-[" } else { "-[" })?;
        if let Some(v) = &self.var {
            write!(f, "{v}")?;
        }
        if let Some((lo, hi)) = self.hops {
            write!(f, "*{lo}..{hi}")?;
        }
        f.write_str(if self.dir == EdgeDir::Right { "]->" } else { "]-" })
    }
}
