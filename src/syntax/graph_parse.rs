//! Parsing the graph operators (see `syntax::graph` for the tree). A child module of the
//! parser, so it uses the parser's token helpers.

use super::Parser;
use super::{Fail, PResult};
use crate::diag::{codes, Diagnostic, Span};
use crate::syntax::ast::*;
use crate::syntax::graph::*;
use crate::syntax::token::{TokenKind, TokenValue};

/// An edge's variable and `*min..max`.
type EdgeBody = (Option<Ident>, Option<(i64, i64)>);

impl Parser<'_> {
    /// The operator after `|` once its name (`make-graph`, `graph-match`, ...) was read.
    pub(super) fn graph_operator(&mut self, name: &str) -> PResult<OperatorKind> {
        let op = match name {
            "make-graph" => GraphOp::Make(Box::new(self.make_graph()?)),
            "graph-match" | "graph-shortest-paths" => GraphOp::Match(Box::new(self.graph_match(name == "graph-shortest-paths")?)),
            "graph-to-table" => GraphOp::ToTable(self.graph_to_table()?),
            _ => GraphOp::MarkComponents(self.graph_params(&["kind", "with_component_id"])?),
        };
        Ok(OperatorKind::Graph(op))
    }

    /// `name = value` parameters among `names`, in any order.
    fn graph_params(&mut self, names: &[&str]) -> PResult<Vec<OpParam>> {
        let mut out = Vec::new();
        while self.peek().kind == TokenKind::Ident && names.contains(&self.peek().text.as_str()) && self.peek_at(1).is_punct("=") {
            let t = self.bump();
            self.bump();
            let name = Ident { name: t.text.clone(), span: t.span };
            let value = self.param_value(&t.text)?;
            out.push(OpParam { span: t.span.to(value.span), name, value });
        }
        Ok(out)
    }

    fn make_graph(&mut self) -> PResult<MakeGraph> {
        let source = self.ident("the column of source node ids after 'make-graph'")?;
        if !(self.at_punct("-") && self.peek_at(1).is_punct("-") && self.peek_at(2).is_punct(">")) {
            if self.at_punct("-") && self.peek_at(1).is_punct("-") {
                let span = self.peek().span.to(self.peek_at(1).span);
                self.diags.push(
                    Diagnostic::syntax(codes::EXPECTED, span, "make-graph builds a directed graph: write Source --> Target")
                        .with_help("graph-match can still follow edges either way with --, -[e]-"),
                );
                return Err(Fail);
            }
            return self.expected("'-->' between the source and target columns of 'make-graph'");
        }
        self.pos += 3;
        let target = self.ident("the column of target node ids after '-->'")?;
        let mut nodes = Vec::new();
        if self.eat_word("with") {
            loop {
                let t = self.expect_expr("a table of nodes after 'with'")?;
                if !self.eat_word("on") {
                    return self.expected("'on' and the node id column of the nodes table");
                }
                let key = self.ident("the node id column after 'on'")?;
                nodes.push((t, key));
                if nodes.len() == 2 || !self.eat_punct(",") {
                    break;
                }
            }
        }
        let params = self.graph_params(&["with_node_id"])?;
        let mut partition = None;
        if self.at_word("partitioned") && self.peek_at(1).is_punct("-") && self.peek_at(2).is_word("by") {
            self.pos += 3;
            let col = self.ident("the column to partition the graph by")?;
            let open = self.expect_punct("(", "to start the graph operator applied to each partition")?;
            let implicit = Expr { kind: ExprKind::Implicit, span: Span::new(open.end as usize, open.end as usize) };
            let first = self.operator()?;
            let span = first.span;
            let start = Expr { kind: ExprKind::Pipe { input: Box::new(implicit), op: Box::new(first) }, span };
            let sub = self.pipeline_rest(start)?;
            self.expect_punct(")", "to close the graph operator of 'partitioned-by'")?;
            partition = Some((col, sub));
        }
        Ok(MakeGraph { source, target, nodes, params, partition })
    }

    fn graph_match(&mut self, shortest: bool) -> PResult<GraphMatch> {
        let op = if shortest { "graph-shortest-paths" } else { "graph-match" };
        let params = self.graph_params(if shortest { &["output"] } else { &["cycles"] })?;
        let mut paths = Vec::new();
        loop {
            paths.push(self.path_pattern()?);
            if !self.eat_punct(",") {
                break;
            }
        }
        let predicate = if self.eat_word("where") { Some(self.expect_expr("a condition after 'where'")?) } else { None };
        if !self.eat_word("project") {
            return self.expected(&format!("'where' or 'project' after the pattern of '{op}' (it ends with project Column = expression, ...)"));
        }
        let project = self.named_list("project", false)?;
        Ok(GraphMatch { shortest, params, paths, predicate, project })
    }

    fn path_pattern(&mut self) -> PResult<PathPattern> {
        let first = self.node_pattern()?;
        let start = first.span;
        let mut steps = Vec::new();
        while self.at_punct("-") || (self.at_punct("<") && self.peek_at(1).is_punct("-")) {
            let e = self.edge_pattern()?;
            let n = self.node_pattern()?;
            steps.push((e, n));
        }
        Ok(PathPattern { first, steps, span: start.to(self.prev_span()) })
    }

    fn node_pattern(&mut self) -> PResult<NodePattern> {
        let open = self.expect_punct("(", "to start a node of the pattern, such as (n) or ()")?;
        let var = if self.peek().kind == TokenKind::Ident { Some(self.ident("a node variable")?) } else { None };
        self.expect_punct(")", "to close the node of the pattern")?;
        Ok(NodePattern { var, span: open.to(self.prev_span()) })
    }

    /// The end of an edge: `>` makes it point right unless it began with `<`; neither is any direction.
    fn edge_direction(&mut self, left: bool) -> EdgeDir {
        if left {
            EdgeDir::Left
        } else if self.eat_punct(">") {
            EdgeDir::Right
        } else {
            EdgeDir::Any
        }
    }

    /// `-->`, `<--`, `--`, `-[e]->`, `<-[e]-`, `-[e]-`, with `*min..max` inside the brackets.
    fn edge_pattern(&mut self) -> PResult<EdgePattern> {
        let start = self.peek().span;
        let left = self.eat_punct("<");
        self.expect_punct("-", "in an edge of the pattern")?;
        if !self.at_punct("[") {
            self.expect_punct("-", "in an edge of the pattern (-->, <-- or --)")?;
            let dir = self.edge_direction(left);
            return Ok(EdgePattern { var: None, dir, hops: None, span: start.to(self.prev_span()) });
        }
        self.bump();
        let (var, hops) = match self.edge_body() {
            Ok(b) => b,
            Err(Fail) => {
                // Skip to the closing bracket, so it is not reported as unmatched too.
                while !self.at_eof() && !self.at_punct("|") && !self.eat_punct("]") {
                    self.bump();
                }
                return Err(Fail);
            }
        };
        self.expect_punct("]", "to close the edge of the pattern")?;
        self.expect_punct("-", "after ']' in an edge of the pattern")?;
        let dir = self.edge_direction(left);
        Ok(EdgePattern { var, dir, hops, span: start.to(self.prev_span()) })
    }

    /// Inside the brackets of an edge: `[e]`, `[e*1..3]`, `[*1..3]`.
    fn edge_body(&mut self) -> PResult<EdgeBody> {
        let var = if self.peek().kind == TokenKind::Ident { Some(self.ident("an edge variable")?) } else { None };
        let mut hops = None;
        if self.eat_punct("*") {
            let lo_span = self.peek().span;
            let lo = self.hop_count()?;
            if !self.eat_punct("..") {
                self.diags.push(
                    Diagnostic::syntax(codes::EXPECTED, lo_span.to(self.peek().span), "a variable length edge needs both bounds: *min..max")
                        .with_help(format!("For example -[e*1..3]->; kqlab follows at most {MAX_HOPS} edges")),
                );
                return Err(Fail);
            }
            let hi = self.hop_count()?;
            let span = lo_span.to(self.prev_span());
            if lo > hi || hi > MAX_HOPS {
                let msg = if lo > hi {
                    format!("the minimum length {lo} is larger than the maximum {hi}")
                } else {
                    format!("kqlab follows at most {MAX_HOPS} edges in a variable length edge, not {hi}")
                };
                self.diags
                    .push(Diagnostic::syntax(codes::EXPECTED, span, msg).with_help("Write the bounds as *min..max with 0 <= min <= max, for example *1..5"));
                return Err(Fail);
            }
            hops = Some((lo, hi));
        }
        Ok((var, hops))
    }

    fn hop_count(&mut self) -> PResult<i64> {
        let t = self.peek().clone();
        match (t.kind, &t.value) {
            (TokenKind::Long, TokenValue::Long(n)) => {
                self.bump();
                Ok(*n)
            }
            _ => {
                self.diags.push(
                    Diagnostic::syntax(codes::EXPECTED, t.span, format!("expected a whole number of edges in '*min..max', found {}", t.describe()))
                        .with_help(format!("A variable length edge needs both bounds, for example -[e*1..3]->; kqlab follows at most {MAX_HOPS} edges")),
                );
                Err(Fail)
            }
        }
    }

    fn graph_to_table(&mut self) -> PResult<Vec<TablePart>> {
        let mut parts = Vec::new();
        loop {
            let start = self.peek().span;
            let edges = if self.eat_word("edges") {
                true
            } else if self.eat_word("nodes") {
                false
            } else {
                return self.expected("'nodes' or 'edges' after 'graph-to-table'");
            };
            let names: &[&str] = if edges { &["with_source_id", "with_target_id"] } else { &["with_node_id"] };
            let mut params = self.graph_params(names)?;
            let alias = if self.eat_word("as") { Some(self.ident("a table name after 'as'")?) } else { None };
            params.extend(self.graph_params(names)?);
            parts.push(TablePart { edges, alias, params, span: start.to(self.prev_span()) });
            if parts.len() == 2 || !self.eat_punct(",") {
                break;
            }
        }
        Ok(parts)
    }
}
