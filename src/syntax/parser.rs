//! The parser: tokens → [`Script`]. Hand-written recursive descent over the token list, with a
//! precedence-climbing loop for expressions.
//!
//! Invariants: it never panics; it never silently drops input (everything up to the end must
//! be consumed, or a diagnostic says where it stopped); after an error inside a pipeline step it
//! skips to the next top-level `|` and carries on, so several independent errors are reported.

use super::ast::*;
use super::token::{is_operator_name, Token, TokenKind, TokenValue};
use crate::diag::{codes, did_you_mean, Diagnostic, Span};
use crate::types::{time, DataType, Dynamic};

/// Deepest nesting accepted: brackets, calls and operators in a chain count (an `and` / `or`
/// chain counts once, however many terms it has: it stays flat). It guards the recursion of
/// every later stage; the browser runs on a 1 MiB stack, and an optimised build takes about
/// 6.5 KiB of it per level of nested calls while parsing. The binder follows at most 64
/// levels anyway (tests/it/limits.rs checks both on small stacks).
pub const MAX_DEPTH: usize = 100;

/// Most pipeline steps (`| operator`) in one query, all pipelines together. Parsing and
/// binding walk a pipeline with a loop, but the plan nests one node per step and the
/// executor descends it recursively, so the steps are bounded as a whole; tests/it/limits.rs
/// runs the longest accepted pipeline on a 1 MiB stack.
pub const MAX_STEPS: usize = 250;

/// A syntax error was reported; the caller recovers.
#[derive(Debug)]
pub struct Fail;
type PResult<T> = Result<T, Fail>;

#[path = "graph_parse.rs"]
mod graph_parse;

pub struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    pub diags: Vec<Diagnostic>,
    depth: usize,
    /// Pipeline steps parsed so far (see [`MAX_STEPS`]).
    steps: usize,
    /// Inside a `search` predicate, where `Col:"term"` is allowed.
    search_mode: bool,
}

/// Statement keywords Kusto has and kqlab does not support.
const UNSUPPORTED_STATEMENTS: &[&str] = &["set", "declare", "alias", "restrict", "pattern", "evaluate"];

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, tokens: Vec<Token>) -> Self {
        let toks = tokens.into_iter().filter(|t| t.kind != TokenKind::Comment).collect();
        Parser { src, toks, pos: 0, diags: Vec::new(), depth: 0, steps: 0, search_mode: false }
    }

    // ---- token helpers ----

    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &Token {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    fn prev_span(&self) -> Span {
        if self.pos == 0 {
            Span::new(0, 0)
        } else {
            self.toks[self.pos - 1].span
        }
    }

    fn at_punct(&self, p: &str) -> bool {
        self.peek().is_punct(p)
    }

    fn at_word(&self, w: &str) -> bool {
        self.peek().is_word(w)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.at_punct(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.at_word(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn at_eof(&self) -> bool {
        self.peek().kind == TokenKind::Eof
    }

    /// Reports "expected X, found Y" at the current token and fails.
    fn expected<T>(&mut self, what: &str) -> PResult<T> {
        let t = self.peek().clone();
        if t.kind == TokenKind::Error {
            // The lexer already reported this token.
            return Err(Fail);
        }
        let span = if t.kind == TokenKind::Eof { self.prev_span().after() } else { t.span };
        let d = Diagnostic::syntax(codes::EXPECTED, span, format!("expected {what}, found {}", t.describe())).maybe_help(self.mistake_help(&t));
        self.diags.push(d);
        Err(Fail)
    }

    /// Help for mistakes people make coming from SQL or other languages.
    fn mistake_help(&self, t: &Token) -> Option<String> {
        let prev = if self.pos > 0 { self.toks.get(self.pos - 1) } else { None };
        if t.is_punct("=") {
            return Some("To compare values, use == (a single = names a column, as in extend x = 1)".into());
        }
        if t.is_punct("(") && prev.is_some_and(|p| p.is_word("count")) {
            return Some("The count operator takes no parentheses: write | count, or | summarize count()".into());
        }
        if t.kind == TokenKind::Ident {
            let lower = t.text.to_lowercase();
            if lower != t.text && (super::token::is_keyword(&lower) || is_operator_name(&lower)) {
                return Some(format!("KQL keywords are lower case: write '{lower}'"));
            }
        }
        None
    }

    fn expect_punct(&mut self, p: &str, context: &str) -> PResult<Span> {
        if self.at_punct(p) {
            Ok(self.bump().span)
        } else {
            self.expected(&format!("'{p}' {context}"))
        }
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        let t = self.peek().clone();
        match t.kind {
            TokenKind::Ident => {
                self.pos += 1;
                Ok(Ident { name: t.text, span: t.span })
            }
            TokenKind::Punct if t.text == "[" => self.bracket_ident(what),
            _ => self.expected(what),
        }
    }

    /// Whether a call's next argument is `name = value`, the name bare or bracketed
    /// (`['dynamic'] = ...`, as the printer writes a name that is a keyword).
    fn at_named_arg(&self) -> bool {
        match self.peek().kind {
            TokenKind::Ident => self.peek_at(1).is_punct("="),
            TokenKind::Punct if self.peek().text == "[" => {
                self.peek_at(1).kind == TokenKind::String && self.peek_at(2).is_punct("]") && self.peek_at(3).is_punct("=")
            }
            _ => false,
        }
    }

    /// `['name']` or `["name"]`
    fn bracket_ident(&mut self, what: &str) -> PResult<Ident> {
        let start = self.peek().span;
        if self.peek_at(1).kind == TokenKind::String && self.peek_at(2).is_punct("]") {
            self.pos += 1;
            let s = self.bump();
            let end = self.bump().span;
            let TokenValue::Str(name) = s.value else { return self.expected(what) };
            return Ok(Ident { name, span: start.to(end) });
        }
        self.expected(what)
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.peek().span;
            self.diags.push(Diagnostic::syntax(
                codes::TOO_DEEP,
                span,
                format!("The query is nested too deeply to parse (more than {MAX_DEPTH} levels of brackets, operators and pipeline steps)"),
            ));
            return Err(Fail);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Inside a bracket just opened: the span of a `.` at this bracket level when there is no
    /// `..` at that level before the closing bracket.
    fn lone_dot_in_brackets(&self) -> Option<Span> {
        let mut depth = 0i32;
        let mut dot = None;
        for t in &self.toks[self.pos..] {
            if t.kind == TokenKind::Eof {
                break;
            }
            if t.kind != TokenKind::Punct {
                continue;
            }
            match t.text.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" if depth == 0 => break,
                ")" | "]" | "}" => depth -= 1,
                ".." if depth == 0 => return None,
                "." if depth == 0 && dot.is_none() => dot = Some(t.span),
                "|" | ";" if depth == 0 => break,
                _ => {}
            }
        }
        dot
    }

    /// After an error inside a bracket: skips to the bracket that closes it and past it (or to
    /// a top-level `|`, `;` or the end, when it is never closed).
    fn skip_past_close(&mut self) {
        self.recover();
        if self.peek().kind == TokenKind::Punct && matches!(self.peek().text.as_str(), ")" | "]" | "}") {
            self.pos += 1;
        }
    }

    /// Skips to the next top-level `|`, `;`, closing bracket of the current level, or the end.
    fn recover(&mut self) {
        let mut depth = 0i32;
        loop {
            let t = self.peek();
            if t.kind == TokenKind::Eof {
                return;
            }
            if t.kind == TokenKind::Punct {
                match t.text.as_str() {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => {
                        if depth == 0 {
                            return;
                        }
                        depth -= 1;
                    }
                    "|" | ";" if depth == 0 => return,
                    _ => {}
                }
            }
            self.pos += 1;
        }
    }

    // ---- statements ----

    pub fn parse_script(&mut self) -> Option<Script> {
        let start = self.peek().span;
        let mut statements = Vec::new();
        let mut failed = false;
        loop {
            while self.eat_punct(";") {}
            if self.at_eof() {
                break;
            }
            let res = self.statement();
            match res {
                Ok(s) => statements.push(s),
                Err(Fail) => {
                    failed = true;
                    self.recover();
                }
            }
            if self.at_eof() {
                break;
            }
            if !self.at_punct(";") {
                let t = self.peek().clone();
                if t.is_punct(")") || t.is_punct("]") || t.is_punct("}") {
                    self.diags.push(Diagnostic::syntax(codes::UNBALANCED, t.span, format!("'{}' has no matching opening bracket", t.text)));
                } else if t.kind != TokenKind::Error {
                    let msg = format!("expected '|' or the end of the query, found {}", t.describe());
                    let mut d = Diagnostic::syntax(codes::TRAILING, t.span, msg).maybe_help(self.mistake_help(&t));
                    if t.kind == TokenKind::Ident && is_operator_name(&t.text) {
                        d = d.with_help(format!("Put '|' before '{}' to start a new pipeline step", t.text));
                    }
                    self.diags.push(d);
                }
                failed = true;
                // The rest of this statement cannot be read reliably: skip to the next ';'.
                while !self.at_eof() && !self.at_punct(";") {
                    self.pos += 1;
                }
            }
        }
        let end = self.prev_span();
        if statements.is_empty() && !failed {
            return None;
        }
        Some(Script { statements, span: start.to(end) })
    }

    fn statement(&mut self) -> PResult<Statement> {
        let t = self.peek().clone();
        if t.is_word("let") {
            return self.let_stmt().map(Statement::Let);
        }
        if t.is_word("declare") && self.peek_at(1).is_word("query_parameters") && self.peek_at(2).is_punct("(") {
            return self.query_parameters();
        }
        if t.kind == TokenKind::Ident && UNSUPPORTED_STATEMENTS.contains(&t.text.as_str()) && t.text != "evaluate" {
            // `set x = 1;`, `declare query_parameters(...)`: skip to ';'.
            let start = t.span;
            self.recover();
            let span = start.to(self.prev_span());
            let text = self.src[span.range()].to_string();
            return Ok(Statement::Unsupported { name: t.text.clone(), text, span });
        }
        self.pipeline().map(Statement::Query)
    }

    /// `declare query_parameters(name: type [= default], ...)`
    fn query_parameters(&mut self) -> PResult<Statement> {
        let start = self.bump().span; // declare
        self.bump(); // query_parameters
        self.bump(); // (
        let mut params = Vec::new();
        if !self.at_punct(")") {
            loop {
                let name = self.ident("a parameter name")?;
                self.expect_punct(":", &format!("and a type after query parameter '{}'", name.name))?;
                let ty = ParamType::Scalar(self.type_name()?);
                let default = if self.eat_punct("=") { Some(self.expect_expr("a default value after '='")?) } else { None };
                params.push(Param { name, ty, default });
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        let end = self.expect_punct(")", "to close the query parameters")?;
        Ok(Statement::QueryParameters { params, span: start.to(end) })
    }

    fn let_stmt(&mut self) -> PResult<LetStmt> {
        let start = self.bump().span; // let
        let name = self.ident("a name after 'let'")?;
        self.expect_punct("=", &format!("after 'let {}'", name.name))?;
        let value = if self.at_function_def() {
            LetValue::Function(self.function_def()?)
        } else {
            LetValue::Expr(self.expect_pipeline(&format!("a value for '{}' after '='", name.name))?)
        };
        let span = start.to(self.prev_span());
        Ok(LetStmt { name, value, span })
    }

    /// `(` followed by `)` `{`, or by `name :` — a function definition rather than a
    /// parenthesised expression; or `view (`.
    fn at_function_def(&self) -> bool {
        if self.at_word("view") && self.peek_at(1).is_punct("(") {
            return true;
        }
        if !self.at_punct("(") {
            return false;
        }
        let a = self.peek_at(1);
        let b = self.peek_at(2);
        (a.is_punct(")") && b.is_punct("{")) || (a.kind == TokenKind::Ident && b.is_punct(":"))
    }

    fn function_def(&mut self) -> PResult<FunctionDef> {
        let start = self.peek().span;
        let is_view = self.eat_word("view");
        self.expect_punct("(", "to start the parameter list")?;
        let mut params = Vec::new();
        if !self.at_punct(")") {
            loop {
                let name = self.ident("a parameter name")?;
                self.expect_punct(":", &format!("and a type after parameter '{}'", name.name))?;
                let ty = if self.at_punct("(") {
                    self.bump();
                    let mut cols = Vec::new();
                    if self.eat_punct("*") {
                    } else {
                        loop {
                            let c = self.ident("a column name in the tabular parameter")?;
                            self.expect_punct(":", "and a type after the column name")?;
                            let t = self.type_name()?;
                            cols.push((c, t));
                            if !self.eat_punct(",") {
                                break;
                            }
                        }
                    }
                    self.expect_punct(")", "to close the tabular parameter's columns")?;
                    ParamType::Tabular(cols)
                } else {
                    ParamType::Scalar(self.type_name()?)
                };
                let default = if self.eat_punct("=") { Some(self.expr()?) } else { None };
                params.push(Param { name, ty, default });
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        self.expect_punct(")", "to close the parameter list")?;
        self.expect_punct("{", "to start the function body")?;
        let mut body = Vec::new();
        loop {
            while self.eat_punct(";") {}
            if self.at_punct("}") {
                break;
            }
            if self.at_word("let") {
                body.push(Statement::Let(self.let_stmt()?));
            } else {
                body.push(Statement::Query(self.expect_pipeline("the function's result expression")?));
            }
            if !self.at_punct(";") && !self.at_punct("}") {
                return self.expected("';' or '}' in the function body");
            }
        }
        let end = self.expect_punct("}", "to close the function body")?;
        Ok(FunctionDef { params, body, is_view, span: start.to(end) })
    }

    fn type_name(&mut self) -> PResult<DataType> {
        let t = self.peek().clone();
        if t.kind == TokenKind::Ident {
            if let Some(ty) = DataType::from_name(&t.text) {
                self.pos += 1;
                return Ok(ty);
            }
            if t.text == "decimal" {
                self.diags.push(Diagnostic::semantic(codes::UNSUPPORTED, t.span, "The 'decimal' type is not supported in kqlab; use 'real'"));
                return Err(Fail);
            }
            let names = ["bool", "int", "long", "real", "string", "datetime", "timespan", "guid", "dynamic"];
            let help = did_you_mean(&t.text, names).map(|s| format!("Did you mean '{s}'?"));
            self.diags.push(
                Diagnostic::syntax(codes::EXPECTED, t.span, format!("'{}' is not a type", t.text))
                    .maybe_help(help)
                    .with_help("Types are bool, int, long, real, string, datetime, timespan, guid and dynamic"),
            );
            return Err(Fail);
        }
        // `typeof(x)` after `to` in mv-expand; datetime/timespan/guid come as identifiers too.
        self.expected("a type name such as string or long")
    }

    // ---- pipelines ----

    fn expect_pipeline(&mut self, what: &str) -> PResult<Expr> {
        if self.starts_expr() {
            self.pipeline()
        } else {
            self.expected(what)
        }
    }

    /// `expr (| operator)*`
    pub fn pipeline(&mut self) -> PResult<Expr> {
        let input = self.expr()?;
        self.pipeline_rest(input)
    }

    /// The `| operator` steps after a pipeline's input.
    fn pipeline_rest(&mut self, input: Expr) -> PResult<Expr> {
        let base = self.depth;
        let r = self.pipeline_steps(input);
        self.depth = base;
        r
    }

    /// The steps are read in a loop; they count toward [`MAX_STEPS`], not the nesting depth.
    fn pipeline_steps(&mut self, input: Expr) -> PResult<Expr> {
        let mut input = input;
        let mut failed = false;
        while self.at_punct("|") {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                let span = self.peek().span;
                self.diags.push(
                    Diagnostic::syntax(codes::TOO_DEEP, span, format!("The query has more than {MAX_STEPS} pipeline steps ('| operator'); kqlab stops here"))
                        .with_help("Combine steps: one 'where' can test several conditions with 'and', one 'extend' can add several columns"),
                );
                // The limit is for the whole query: stop reading it, so that this is the only
                // error reported (no cascade from the steps or brackets left unread).
                while !self.at_eof() {
                    self.bump();
                }
                return Err(Fail);
            }
            self.bump();
            match self.operator() {
                Ok(op) => {
                    if !failed {
                        let span = input.span.to(op.span);
                        input = Expr { kind: ExprKind::Pipe { input: Box::new(input), op: Box::new(op) }, span };
                    }
                }
                Err(Fail) => {
                    failed = true;
                    self.recover();
                }
            }
        }
        if failed {
            Err(Fail)
        } else {
            Ok(input)
        }
    }

    fn operator(&mut self) -> PResult<Operator> {
        let t = self.peek().clone();
        if t.kind != TokenKind::Ident {
            return self.expected("an operator name after '|' such as where, project or summarize");
        }
        let start = t.span;
        let name = t.text.as_str();
        self.bump();
        let kind = match name {
            "where" | "filter" => OperatorKind::Where(self.expect_expr_after(name)?),
            "project" => OperatorKind::Project(self.named_list(name, true)?),
            "extend" => OperatorKind::Extend(self.named_list(name, true)?),
            "project-away" => OperatorKind::ProjectAway(self.pattern_list(name, false)?),
            "project-keep" => OperatorKind::ProjectKeep(self.pattern_list(name, false)?),
            "project-reorder" => OperatorKind::ProjectReorder(self.pattern_list(name, true)?),
            "project-by-names" => OperatorKind::ProjectByNames(
                self.expr_list("a column name string, a dynamic array of names or a pattern such as \"C*\" after 'project-by-names'")?,
            ),
            "project-rename" => {
                let mut pairs = Vec::new();
                loop {
                    let new = self.ident("a new column name after 'project-rename'")?;
                    self.expect_punct("=", &format!("after '{}' (write NewName = OldName)", new.name))?;
                    let old = self.ident("the existing column name after '='")?;
                    pairs.push((new, old));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                OperatorKind::ProjectRename(pairs)
            }
            "summarize" => {
                let params = self.op_params()?;
                let aggregates = if self.at_word("by") { Vec::new() } else { self.named_list("summarize", false)? };
                let by = if self.eat_word("by") { self.named_list("by", true)? } else { Vec::new() };
                if aggregates.is_empty() && by.is_empty() {
                    return self.expected("an aggregation such as count() or 'by' after 'summarize'");
                }
                OperatorKind::Summarize { params, aggregates, by }
            }
            "count" => {
                let alias = if self.eat_word("as") { Some(self.ident("a column name after 'as'")?) } else { None };
                OperatorKind::Count(alias)
            }
            "distinct" => {
                let mut items = Vec::new();
                loop {
                    if self.at_punct("*") {
                        let s = self.bump().span;
                        items.push(Expr { kind: ExprKind::Star, span: s });
                    } else {
                        items.push(self.expect_expr("a column name after 'distinct'")?);
                        if self.at_punct("=") {
                            // The distinct page takes column names only.
                            let t = self.peek().clone();
                            self.diags.push(
                                Diagnostic::syntax(codes::EXPECTED, t.span, "distinct takes column names, not 'Name = Expr'")
                                    .with_help("Compute the value first, then deduplicate it: | extend Name = Expr | distinct Name"),
                            );
                            return Err(Fail);
                        }
                    }
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                OperatorKind::Distinct(items)
            }
            "take" | "limit" => OperatorKind::Take(self.expect_expr_after(name)?),
            "top" => {
                let count = self.expect_expr("the number of rows after 'top'")?;
                if !self.eat_word("by") {
                    return self.expected("'by' after the number of rows in 'top'");
                }
                OperatorKind::Top { count, by: self.sort_keys("by")? }
            }
            "sort" | "order" => {
                if !self.eat_word("by") {
                    return self.expected(&format!("'by' after '{name}'"));
                }
                OperatorKind::Sort(self.sort_keys("by")?)
            }
            "union" => OperatorKind::Union(self.union_spec()?),
            "join" | "lookup" => {
                let params = self.op_params()?;
                let right = self.join_right(name)?;
                if !self.eat_word("on") {
                    return self.expected(&format!("'on' and the columns to match after the right side of '{name}'"));
                }
                let mut on = Vec::new();
                loop {
                    let e = self.expect_expr("a column to join on after 'on'")?;
                    // `on ($left.a == $right.b and ...)`: the parentheses only group.
                    let e = match e.kind {
                        ExprKind::Paren(inner) => *inner,
                        kind => Expr { kind, span: e.span },
                    };
                    on.push(e);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                if name == "join" {
                    OperatorKind::Join { params, right, on }
                } else {
                    OperatorKind::Lookup { params, right, on }
                }
            }
            // `mvexpand` is the old spelling; it means the same and prints as mv-expand.
            "mv-expand" | "mvexpand" => {
                let params = self.op_params()?;
                let items = self.mv_items("mv-expand")?;
                let limit = if self.eat_word("limit") { Some(self.expect_expr("a number after 'limit'")?) } else { None };
                OperatorKind::MvExpand { params, items, limit }
            }
            "render" => {
                let visualization = self.ident("a chart type after 'render', such as timechart or columnchart")?;
                let mut properties = Vec::new();
                if self.eat_word("with") {
                    self.expect_punct("(", "after 'with'")?;
                    if !self.at_punct(")") {
                        loop {
                            let pstart = self.peek().span;
                            let name = self.ident("a property name such as title")?;
                            self.expect_punct("=", &format!("after '{}'", name.name))?;
                            let value = self.param_value(&name.name)?;
                            properties.push(OpParam { name, value, span: pstart.to(self.prev_span()) });
                            if !self.eat_punct(",") {
                                break;
                            }
                        }
                    }
                    self.expect_punct(")", "to close the render properties")?;
                } else {
                    // Legacy form: `render timechart title="x"`.
                    properties = self.op_params()?;
                }
                OperatorKind::Render { visualization, properties }
            }
            "serialize" => {
                let items = if self.starts_expr() { self.named_list(name, true)? } else { Vec::new() };
                OperatorKind::Serialize(items)
            }
            "as" => {
                let _ = self.op_params()?;
                OperatorKind::As(self.ident("a name after 'as'")?)
            }
            "getschema" => OperatorKind::Getschema,
            "parse" | "parse-where" => self.parse_operator(name == "parse-where")?,
            "invoke" => OperatorKind::Invoke(self.expect_expr("a function call after 'invoke'")?),
            "evaluate" => {
                let params = self.op_params()?;
                let call = if self.peek().kind == TokenKind::Ident && self.peek_at(1).is_punct("(") {
                    self.plugin_call()?
                } else {
                    self.expect_expr("a plugin call after 'evaluate', such as bag_unpack(Column)")?
                };
                let schema = if self.eat_punct(":") { Some(self.output_schema()?) } else { None };
                OperatorKind::Evaluate { params, call, schema }
            }
            "search" => {
                let params = self.op_params()?;
                OperatorKind::Search { params, predicate: self.search_predicate()? }
            }
            "make-series" => self.make_series()?,
            "mv-apply" => {
                let params = self.op_params()?;
                let items = self.mv_items("mv-apply")?;
                let limit = if self.eat_word("limit") { Some(self.expect_expr("a number after 'limit'")?) } else { None };
                if !self.eat_word("on") {
                    return self.expected("'on' and a subquery in parentheses after the columns of 'mv-apply'");
                }
                let open = self.expect_punct("(", "to start the subquery after 'on'")?;
                let implicit = Expr { kind: ExprKind::Implicit, span: Span::new(open.end as usize, open.end as usize) };
                let first = self.operator()?;
                let span = first.span;
                let start = Expr { kind: ExprKind::Pipe { input: Box::new(implicit), op: Box::new(first) }, span };
                let subquery = self.pipeline_rest(start)?;
                self.expect_punct(")", "to close the subquery of 'mv-apply'")?;
                OperatorKind::MvApply { params, items, limit, subquery }
            }
            "scan" => OperatorKind::Scan(Box::new(self.scan_spec()?)),
            "make-graph" | "graph-match" | "graph-shortest-paths" | "graph-to-table" | "graph-mark-components" => self.graph_operator(name)?,
            "partition" => {
                let params = self.op_params()?;
                if !self.eat_word("by") {
                    return self.expected("'by' and a column after 'partition'");
                }
                let by = self.ident("the column to partition by")?;
                let close = if self.at_punct("{") { "}" } else { ")" };
                let open = if close == "}" { self.bump().span } else { self.expect_punct("(", "to start the subquery of 'partition'")? };
                let implicit = Expr { kind: ExprKind::Implicit, span: Span::new(open.end as usize, open.end as usize) };
                let first = self.operator()?;
                let span = first.span;
                let start = Expr { kind: ExprKind::Pipe { input: Box::new(implicit), op: Box::new(first) }, span };
                let subquery = self.pipeline_rest(start)?;
                self.expect_punct(close, "to close the subquery of 'partition'")?;
                OperatorKind::Partition { params, by, subquery }
            }
            "sample" => OperatorKind::Sample(self.expect_expr("the number of rows after 'sample'")?),
            "sample-distinct" => {
                let count = self.expect_expr("the number of values after 'sample-distinct'")?;
                if !self.eat_word("of") {
                    return self.expected("'of' and a column after the number in 'sample-distinct'");
                }
                OperatorKind::SampleDistinct { count, of: self.expect_expr("a column after 'of'")? }
            }
            "top-nested" => {
                let mut levels = Vec::new();
                loop {
                    let lstart = self.peek().span;
                    let count = if self.at_word("of") { None } else { Some(self.expect_expr("the number of values after 'top-nested'")?) };
                    if !self.eat_word("of") {
                        return self.expected("'of' and a column after the number in 'top-nested'");
                    }
                    let of = self.named_item("of")?;
                    let others = if self.at_word("with") && self.peek_at(1).is_word("others") {
                        self.pos += 2;
                        self.expect_punct("=", "after 'with others'")?;
                        Some(self.expect_expr("the value for other rows after 'with others ='")?)
                    } else {
                        None
                    };
                    if !self.eat_word("by") {
                        return self.expected("'by' and an aggregation in 'top-nested'");
                    }
                    let by = self.named_item("by")?;
                    let dir = if self.eat_word("asc") {
                        Some(SortDir::Asc)
                    } else if self.eat_word("desc") {
                        Some(SortDir::Desc)
                    } else {
                        None
                    };
                    levels.push(TopNestedLevel { count, of, others, by, dir, span: lstart.to(self.prev_span()) });
                    if !self.eat_punct(",") {
                        break;
                    }
                    if !self.eat_word("top-nested") {
                        return self.expected("'top-nested' to start the next level after ','");
                    }
                }
                OperatorKind::TopNested(levels)
            }
            "parse-kv" => {
                let source = self.expect_expr("the column to parse after 'parse-kv'")?;
                if !self.eat_word("as") {
                    return self.expected("'as' and the columns to extract, e.g. as (a: string, b: long)");
                }
                self.expect_punct("(", "after 'as'")?;
                let mut columns = Vec::new();
                loop {
                    let name = self.ident("a column name")?;
                    self.expect_punct(":", &format!("and a type after '{}'", name.name))?;
                    let ty = self.type_name()?;
                    columns.push((name, ty));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct(")", "to close the column list")?;
                let mut options = Vec::new();
                if self.eat_word("with") {
                    self.expect_punct("(", "after 'with'")?;
                    loop {
                        let pstart = self.peek().span;
                        let name = self.ident("an option such as pair_delimiter")?;
                        self.expect_punct("=", &format!("after '{}'", name.name))?;
                        let value = self.param_value(&name.name)?;
                        options.push(OpParam { name, value, span: pstart.to(self.prev_span()) });
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                    self.expect_punct(")", "to close the options")?;
                }
                OperatorKind::ParseKv { source, columns, options }
            }
            // A real operator kqlab does not run (super::operators::Support::Refused), or one
            // of the tabular sources, which cannot follow '|'.
            other if is_operator_name(other) => {
                self.recover();
                let text = self.src[start.to(self.prev_span()).range()].to_string();
                OperatorKind::Unsupported { name: other.to_string(), text }
            }
            other => {
                let ops: Vec<&str> = super::operators::spellings().collect();
                let mut d = Diagnostic::syntax(codes::UNKNOWN_OPERATOR, start, format!("'{other}' is not a KQL operator"));
                d = match did_you_mean(other, ops) {
                    Some(s) => d.with_help(format!("Did you mean '{s}'?")),
                    None => d.with_help("After '|' comes an operator such as where, project, extend, summarize, sort or take"),
                };
                self.diags.push(d);
                return Err(Fail);
            }
        };
        Ok(Operator { kind, span: start.to(self.prev_span()) })
    }

    /// `scan [with_match_id=Id] [declare (...)] with (step ...; ...)`
    fn scan_spec(&mut self) -> PResult<ScanSpec> {
        let mut match_id = None;
        if self.eat_word("with_match_id") {
            self.expect_punct("=", "after 'with_match_id'")?;
            match_id = Some(self.ident("a column name for the match id")?);
        }
        let mut declare = Vec::new();
        if self.eat_word("declare") {
            self.expect_punct("(", "after 'declare'")?;
            loop {
                let name = self.ident("a column name to declare")?;
                self.expect_punct(":", &format!("and a type after '{}'", name.name))?;
                let ty = self.type_name()?;
                let default = if self.eat_punct("=") { Some(self.expect_expr("a default value after '='")?) } else { None };
                declare.push(ScanDecl { name, ty, default });
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct(")", "to close the declared columns")?;
        }
        if !self.eat_word("with") {
            return self.expected("'with' and the steps in parentheses after 'scan'");
        }
        self.expect_punct("(", "to start the steps of 'scan'")?;
        let mut steps = Vec::new();
        while !self.at_punct(")") {
            if !self.eat_word("step") {
                return self.expected("'step Name: condition;' inside scan's with (...)");
            }
            let name = self.ident("a step name after 'step'")?;
            let output = if self.eat_word("output") {
                self.expect_punct("=", "after 'output'")?;
                Some(self.ident("all, last or none after 'output='")?)
            } else {
                None
            };
            self.expect_punct(":", &format!("and a condition after the step name '{}'", name.name))?;
            let condition = self.expect_expr("the step's condition")?;
            let mut assign = Vec::new();
            if self.eat_punct("=>") {
                loop {
                    let col = self.ident("a declared column to assign after '=>'")?;
                    self.expect_punct("=", &format!("after '{}'", col.name))?;
                    assign.push((col, self.expect_expr("the value to assign")?));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            self.expect_punct(";", "to end the step")?;
            steps.push(ScanStep { name, output, condition, assign });
        }
        self.expect_punct(")", "to close the steps of 'scan'")?;
        if steps.is_empty() {
            return self.expected("at least one step in scan's with (...)");
        }
        Ok(ScanSpec { match_id, declare, steps })
    }

    /// `parse [kind=...] Source with [*] "lit" Col[:type] ...`
    fn parse_operator(&mut self, drop_failed: bool) -> PResult<OperatorKind> {
        let params = self.op_params()?;
        let source = self.expect_expr("the column to parse")?;
        if !self.eat_word("with") {
            return self.expected("'with' and a pattern after the parsed column");
        }
        let mut pattern = Vec::new();
        loop {
            let t = self.peek().clone();
            match t.kind {
                TokenKind::Punct if t.text == "*" => {
                    self.bump();
                    pattern.push(ParsePart::Star(t.span));
                }
                TokenKind::String => {
                    self.bump();
                    let TokenValue::Str(s) = t.value else { unreachable_fail!(self) };
                    pattern.push(ParsePart::Literal(s, t.span));
                }
                TokenKind::Ident if !t.is_word("with") => {
                    let name = self.ident("a column name in the parse pattern")?;
                    let ty = if self.eat_punct(":") { Some(self.type_name()?) } else { None };
                    pattern.push(ParsePart::Column(name, ty));
                }
                TokenKind::Punct if t.text == "[" => {
                    let name = self.bracket_ident("a column name")?;
                    let ty = if self.eat_punct(":") { Some(self.type_name()?) } else { None };
                    pattern.push(ParsePart::Column(name, ty));
                }
                _ => break,
            }
        }
        if pattern.is_empty() {
            return self.expected("a pattern of strings and column names after 'with'");
        }
        Ok(OperatorKind::Parse { params, source, pattern, drop_failed })
    }

    /// A search predicate: an expression where `Col:"term"` means `Col has "term"`.
    /// `find [withsource=Name] [in (T1, T2)] [where] predicate [project-smart | project ...]`
    fn find_source(&mut self) -> PResult<Expr> {
        let start = self.bump().span; // find
        let params = self.op_params()?;
        let mut tables = Vec::new();
        if self.at_word("in") && self.peek_at(1).is_punct("(") {
            self.pos += 2;
            loop {
                tables.push(self.ident("a table name in 'find in (...)'")?);
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct(")", "to close the table list")?;
        }
        self.eat_word("where");
        let predicate = self.search_predicate()?;
        let mut out = FindOutput { project: None, pack_all: false };
        if self.at_word("project") && self.peek_at(1).is_punct("-") && self.peek_at(2).is_word("smart") {
            self.pos += 3;
        } else if self.eat_word("project") {
            let mut cols = Vec::new();
            loop {
                if self.at_word("pack_all") && self.peek_at(1).is_punct("(") {
                    self.pos += 2;
                    self.expect_punct(")", "to close 'pack_all('")?;
                    out.pack_all = true;
                } else {
                    let name = self.ident("a column name after 'project'")?;
                    let ty = if self.eat_punct(":") { Some(self.type_name()?) } else { None };
                    cols.push((name, ty));
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
            out.project = Some(cols);
        }
        let span = start.to(self.prev_span());
        Ok(Expr { kind: ExprKind::SearchSource { params, tables, predicate: Box::new(predicate), find: Some(Box::new(out)) }, span })
    }

    fn search_predicate(&mut self) -> PResult<Expr> {
        if !self.starts_expr() {
            return self.expected("a search term or predicate after 'search', such as \"phish\"");
        }
        let saved = self.search_mode;
        self.search_mode = true;
        let r = self.expr();
        self.search_mode = saved;
        r
    }

    /// `(Col: type, ...)` or `(*, Col: type, ...)` after `evaluate plugin(...) :`.
    fn output_schema(&mut self) -> PResult<OutputSchema> {
        self.expect_punct("(", "to start the output schema, e.g. : (Name: string)")?;
        let mut wildcard = false;
        let mut columns = Vec::new();
        loop {
            if columns.is_empty() && !wildcard && self.eat_punct("*") {
                wildcard = true;
            } else {
                let name = self.ident("a column name in the output schema")?;
                self.expect_punct(":", &format!("and a type after '{}'", name.name))?;
                let ty = self.type_name()?;
                columns.push((name, ty));
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")", "to close the output schema")?;
        Ok(OutputSchema { wildcard, columns })
    }

    /// `[Name =] expr [to typeof(T)], ...` of mv-expand and mv-apply.
    fn mv_items(&mut self, op: &str) -> PResult<Vec<MvExpandItem>> {
        let mut items = Vec::new();
        loop {
            let istart = self.peek().span;
            let name = if self.at_named() { Some(self.named_prefix()?) } else { None };
            let expr = self.expect_expr(&format!("a dynamic column to expand after '{op}'"))?;
            let to_type = if self.eat_word("to") {
                if !self.eat_word("typeof") {
                    return self.expected("'typeof(type)' after 'to'");
                }
                self.expect_punct("(", "after 'typeof'")?;
                let t = self.type_name()?;
                self.expect_punct(")", "to close 'typeof('")?;
                Some(t)
            } else {
                None
            };
            items.push(MvExpandItem { name, expr, to_type, span: istart.to(self.prev_span()) });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(items)
    }

    /// One `[Name =] expr` item.
    fn named_item(&mut self, after: &str) -> PResult<NamedExpr> {
        let start = self.peek().span;
        let names = if self.at_named() && !self.at_punct("(") { vec![self.named_prefix()?] } else { Vec::new() };
        let expr = self.expect_expr(&format!("an expression after '{after}'"))?;
        Ok(NamedExpr { names, span: start.to(expr.span), expr })
    }

    /// `make-series [kind=nonempty] [Name =] Agg [default = v], ... on Axis [from a] [to b] step s [by ...]`
    fn make_series(&mut self) -> PResult<OperatorKind> {
        let params = self.op_params()?;
        let mut aggregates = Vec::new();
        loop {
            let agg = self.named_item("make-series")?;
            let default = if self.at_word("default") && self.peek_at(1).is_punct("=") {
                self.pos += 2;
                Some(self.expect_expr("a default value after 'default ='")?)
            } else {
                None
            };
            aggregates.push(SeriesAgg { agg, default });
            if !self.eat_punct(",") {
                break;
            }
        }
        if !self.eat_word("on") {
            return self.expected("'on' and the axis column (usually Timestamp) after the aggregations of 'make-series'");
        }
        if !self.starts_expr() {
            return self.expected("the axis column after 'on'");
        }
        let axis = self.unary()?;
        if self.at_word("in") {
            let t = self.peek().clone();
            self.diags.push(
                Diagnostic::semantic(codes::UNSUPPORTED, t.span, "The 'on Axis in range(start, stop, step)' form of make-series is not supported in kqlab")
                    .with_help("Write: on Axis from start to stop step step"),
            );
            return Err(Fail);
        }
        let from = if self.eat_word("from") { Some(self.expect_expr("the start after 'from'")?) } else { None };
        let to = if self.eat_word("to") { Some(self.expect_expr("the end after 'to'")?) } else { None };
        if !self.eat_word("step") {
            return self.expected("'step' and the bin size (e.g. step 1h) in 'make-series'");
        }
        let step = self.expect_expr("the bin size after 'step'")?;
        let by = if self.eat_word("by") { self.named_list("by", false)? } else { Vec::new() };
        Ok(OperatorKind::MakeSeries(Box::new(MakeSeriesSpec { params, aggregates, axis, from, to, step, by })))
    }

    fn join_right(&mut self, op: &str) -> PResult<Expr> {
        if self.at_punct("(") {
            let start = self.bump().span;
            let inner = self.expect_pipeline(&format!("the right side of '{op}'"))?;
            let end = self.expect_punct(")", &format!("to close the right side of '{op}'"))?;
            return Ok(Expr { kind: ExprKind::Paren(Box::new(inner)), span: start.to(end) });
        }
        self.primary_expr(&format!("the table to {op} with"))
    }

    fn union_spec(&mut self) -> PResult<UnionSpec> {
        let params = self.op_params()?;
        let mut tables = Vec::new();
        loop {
            if self.at_punct("(") {
                let start = self.bump().span;
                let inner = self.expect_pipeline("a table expression")?;
                let end = self.expect_punct(")", "to close the table expression")?;
                tables.push(Expr { kind: ExprKind::Paren(Box::new(inner)), span: start.to(end) });
            } else if self.at_punct("*") {
                // `union *`: every table.
                let span = self.bump().span;
                tables.push(Expr { kind: ExprKind::Name(Ident { name: "*".into(), span }), span });
            } else {
                // Table names may contain wildcards: `union Email*`.
                let t = self.peek().clone();
                if t.kind == TokenKind::Ident && self.peek_at(1).is_punct("*") && self.peek_at(1).span.start == t.span.end {
                    self.pos += 2;
                    let span = t.span.to(self.prev_span());
                    tables.push(Expr { kind: ExprKind::Name(Ident { name: format!("{}*", t.text), span }), span });
                } else {
                    tables.push(self.primary_expr("a table name after 'union'")?);
                }
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(UnionSpec { params, tables })
    }

    /// `name=value` operator parameters: `kind=inner`, `withsource=T`, `hint.strategy=...`.
    fn op_params(&mut self) -> PResult<Vec<OpParam>> {
        let mut params = Vec::new();
        loop {
            let t = self.peek().clone();
            if t.kind != TokenKind::Ident {
                break;
            }
            // hint.x=...
            let (name, consumed) = if t.text == "hint" && self.peek_at(1).is_punct(".") && self.peek_at(2).kind == TokenKind::Ident {
                let n = self.peek_at(2).clone();
                (Ident { name: format!("hint.{}", n.text), span: t.span.to(n.span) }, 3)
            } else {
                (Ident { name: t.text.clone(), span: t.span }, 1)
            };
            let known = name.name.starts_with("hint.")
                || matches!(
                    name.name.as_str(),
                    "kind"
                        | "withsource"
                        | "isfuzzy"
                        | "bagexpansion"
                        | "with_itemindex"
                        | "flags"
                        | "title"
                        | "xcolumn"
                        | "ycolumns"
                        | "series"
                        | "ytitle"
                        | "xtitle"
                        | "legend"
                        | "ysplit"
                        | "accumulate"
                        | "xaxis"
                        | "yaxis"
                        | "ymin"
                        | "ymax"
                        | "anomalycolumns"
                        | "decimals"
                        | "materialized"
                        | "source"
                );
            if !known || !self.peek_at(consumed).is_punct("=") {
                break;
            }
            self.pos += consumed + 1;
            let value = self.param_value(&name.name)?;
            params.push(OpParam { span: name.span.to(value.span), name, value });
        }
        Ok(params)
    }

    /// The value of an operator or render parameter: a literal, a name, a parenthesised
    /// expression, or for list parameters (`ycolumns=a, b`) several names.
    fn param_value(&mut self, name: &str) -> PResult<Expr> {
        if self.at_punct("(") {
            return self.primary_expr("a value");
        }
        let v = self.bump();
        let span = v.span;
        Ok(match (&v.kind, v.value) {
            (TokenKind::String, TokenValue::Str(s)) => Expr { kind: ExprKind::Literal(Literal::String(s)), span },
            (TokenKind::Long, TokenValue::Long(n)) => Expr { kind: ExprKind::Literal(Literal::Long(n)), span },
            (TokenKind::Real, TokenValue::Real(n)) => Expr { kind: ExprKind::Literal(Literal::Real(n)), span },
            (TokenKind::Ident, _) if v.text == "true" || v.text == "false" => Expr { kind: ExprKind::Literal(Literal::Bool(v.text == "true")), span },
            (TokenKind::Ident, _) => {
                let mut names = vec![Ident { name: v.text.clone(), span }];
                if super::display::is_list_param(name) {
                    while self.at_punct(",") && self.peek_at(1).kind == TokenKind::Ident && !self.peek_at(2).is_punct("=") {
                        self.pos += 1;
                        let n = self.bump();
                        names.push(Ident { name: n.text, span: n.span });
                    }
                }
                if names.len() == 1 {
                    let n = names.remove(0);
                    Expr { kind: ExprKind::Name(n), span }
                } else {
                    let span = span.to(self.prev_span());
                    let items = names.into_iter().map(|n| Expr { span: n.span, kind: ExprKind::Name(n) }).collect();
                    Expr { kind: ExprKind::Call { name: Ident { name: "pack_array".into(), span }, args: items }, span }
                }
            }
            _ => {
                self.pos -= 1;
                return self.expected(&format!("a value for '{name}'"));
            }
        })
    }

    fn sort_keys(&mut self, after: &str) -> PResult<Vec<SortKey>> {
        let mut keys = Vec::new();
        loop {
            let expr = self.expect_expr(&format!("a column name after '{after}'"))?;
            let dir = if self.eat_word("asc") {
                Some(SortDir::Asc)
            } else if self.eat_word("desc") {
                Some(SortDir::Desc)
            } else {
                None
            };
            let nulls = if self.eat_word("nulls") {
                if self.eat_word("first") {
                    Some(NullsPos::First)
                } else if self.eat_word("last") {
                    Some(NullsPos::Last)
                } else {
                    return self.expected("'first' or 'last' after 'nulls'");
                }
            } else {
                None
            };
            let span = expr.span.to(self.prev_span());
            keys.push(SortKey { expr, dir, nulls, span });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(keys)
    }

    /// One or more expressions separated by commas (`project-by-names`).
    fn expr_list(&mut self, what: &str) -> PResult<Vec<Expr>> {
        let mut out = vec![self.expect_expr(what)?];
        while self.eat_punct(",") {
            out.push(self.expect_expr(what)?);
        }
        Ok(out)
    }

    fn pattern_list(&mut self, op: &str, allow_dir: bool) -> PResult<Vec<ColumnPattern>> {
        let mut out = Vec::new();
        loop {
            let start = self.peek().span;
            let mut pattern = String::new();
            // A pattern is a run of adjacent identifier and '*' tokens: Url*, *Id, *.
            loop {
                let t = self.peek().clone();
                let adjacent = pattern.is_empty() || t.span.start == self.prev_span().end;
                if !adjacent {
                    break;
                }
                if t.kind == TokenKind::Ident || t.is_punct("*") {
                    pattern.push_str(&t.text);
                    self.pos += 1;
                } else if t.is_punct("[") && pattern.is_empty() {
                    pattern = self.bracket_ident("a column name")?.name;
                    break;
                } else {
                    break;
                }
            }
            if pattern.is_empty() {
                return self.expected(&format!("a column name after '{op}'"));
            }
            let dir = if allow_dir && self.eat_word("asc") {
                Some(SortDir::Asc)
            } else if allow_dir && self.eat_word("desc") {
                Some(SortDir::Desc)
            } else {
                None
            };
            out.push(ColumnPattern { pattern, dir, span: start.to(self.prev_span()) });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(out)
    }

    /// Is the next thing `name =` or `(a, b) =`?
    fn at_named(&self) -> bool {
        let t = self.peek();
        if t.kind == TokenKind::Ident && self.peek_at(1).is_punct("=") {
            return true;
        }
        if t.is_punct("[") && self.peek_at(1).kind == TokenKind::String && self.peek_at(2).is_punct("]") && self.peek_at(3).is_punct("=") {
            return true;
        }
        if t.is_punct("(") {
            let mut i = 1;
            loop {
                // A name, or a quoted one: ['name'] (the printer quotes keywords that way).
                if self.peek_at(i).kind == TokenKind::Ident {
                    i += 1;
                } else if self.peek_at(i).is_punct("[") && self.peek_at(i + 1).kind == TokenKind::String && self.peek_at(i + 2).is_punct("]") {
                    i += 3;
                } else {
                    return false;
                }
                if self.peek_at(i).is_punct(",") {
                    i += 1;
                    continue;
                }
                return self.peek_at(i).is_punct(")") && self.peek_at(i + 1).is_punct("=");
            }
        }
        false
    }

    /// Parses `name =` and returns the name.
    fn named_prefix(&mut self) -> PResult<Ident> {
        let n = self.ident("a column name")?;
        self.expect_punct("=", "after the column name")?;
        Ok(n)
    }

    fn named_list(&mut self, after: &str, allow_tuple: bool) -> PResult<Vec<NamedExpr>> {
        let mut out = Vec::new();
        loop {
            let start = self.peek().span;
            let mut names = Vec::new();
            if self.at_named() {
                if self.at_punct("(") {
                    if !allow_tuple {
                        // Still accepted: summarize (a, b) = arg_max(...).
                    }
                    self.bump();
                    loop {
                        names.push(self.ident("a column name")?);
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                    self.expect_punct(")", "after the column names")?;
                    self.expect_punct("=", "after the column names")?;
                } else {
                    names.push(self.named_prefix()?);
                }
            }
            let what = if names.is_empty() {
                if after == "by" {
                    "a column name after 'by'".to_string()
                } else {
                    format!("a column name or expression after '{after}'")
                }
            } else {
                format!("an expression after '{} ='", names[0].name)
            };
            let expr = self.expect_expr(&what)?;
            out.push(NamedExpr { names, span: start.to(expr.span), expr });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(out)
    }

    // ---- expressions ----

    /// Can the current token start an expression?
    fn starts_expr(&self) -> bool {
        let t = self.peek();
        match t.kind {
            TokenKind::Ident => !matches!(t.text.as_str(), "by" | "on" | "with" | "asc" | "desc" | "and" | "or"),
            TokenKind::String | TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::TypedLiteral | TokenKind::Dollar => true,
            TokenKind::Punct => matches!(t.text.as_str(), "(" | "[" | "-" | "+" | "*"),
            _ => false,
        }
    }

    fn expect_expr(&mut self, what: &str) -> PResult<Expr> {
        if self.starts_expr() {
            self.expr()
        } else {
            self.expected(what)
        }
    }

    fn expect_expr_after(&mut self, op: &str) -> PResult<Expr> {
        self.expect_expr(&format!("a condition after '{op}'"))
    }

    pub fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.binary(0);
        self.leave();
        r
    }

    /// The binary operator at the current position: (op, its precedence, tokens it spans).
    fn peek_binary(&self) -> Option<(BinOrList, u8, usize)> {
        let t = self.peek();
        let b = |op| Some((BinOrList::Bin(op), 0, 1));
        let r = match t.kind {
            TokenKind::Punct => match t.text.as_str() {
                "==" => b(BinaryOp::Eq),
                "!=" | "<>" => b(BinaryOp::Ne),
                "<" => b(BinaryOp::Lt),
                "<=" => b(BinaryOp::Le),
                ">" => b(BinaryOp::Gt),
                ">=" => b(BinaryOp::Ge),
                "=~" => b(BinaryOp::EqCi),
                "!~" => b(BinaryOp::NeCi),
                "+" => b(BinaryOp::Add),
                "-" => b(BinaryOp::Sub),
                "*" => b(BinaryOp::Mul),
                "/" => b(BinaryOp::Div),
                "%" => b(BinaryOp::Mod),
                _ => None,
            },
            TokenKind::Ident => match t.text.as_str() {
                "and" => b(BinaryOp::And),
                "or" => b(BinaryOp::Or),
                "in" => Some((BinOrList::List(ListOp::In), 0, 1)),
                "has_any" => Some((BinOrList::List(ListOp::HasAny), 0, 1)),
                "has_all" => Some((BinOrList::List(ListOp::HasAll), 0, 1)),
                "between" => Some((BinOrList::Between(false), 0, 1)),
                "matches" if self.peek_at(1).is_word("regex") => Some((BinOrList::Bin(BinaryOp::Str(StrOp::MatchesRegex, false)), 0, 2)),
                w => StrOp::from_word(w).map(|op| (BinOrList::Bin(BinaryOp::Str(op, false)), 0, 1)),
            },
            TokenKind::WordOp => match t.text.as_str() {
                "in~" => Some((BinOrList::List(ListOp::InCi), 0, 1)),
                "!in" => Some((BinOrList::List(ListOp::NotIn), 0, 1)),
                "!in~" => Some((BinOrList::List(ListOp::NotInCi), 0, 1)),
                "!between" => Some((BinOrList::Between(true), 0, 1)),
                "!has_any" | "!has_all" => Some((BinOrList::BadNegation, 0, 1)),
                w => StrOp::from_word(&w[1..]).map(|op| (BinOrList::Bin(BinaryOp::Str(op, true)), 0, 1)),
            },
            _ => None,
        };
        r.map(|(op, _, n)| {
            let prec = match &op {
                BinOrList::Bin(BinaryOp::Or) => 1,
                BinOrList::Bin(BinaryOp::And) => 2,
                BinOrList::Bin(BinaryOp::Add | BinaryOp::Sub) => 4,
                BinOrList::Bin(BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod) => 5,
                _ => 3,
            };
            (op, prec, n)
        })
    }

    /// A left-deep chain (`a + b + c ...`) nests one level per operator, so every operator
    /// counts toward [`MAX_DEPTH`]: later stages walk the tree recursively.
    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let base = self.depth;
        let r = self.binary_chain(min_prec);
        self.depth = base;
        r
    }

    fn binary_chain(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut left = self.unary()?;
        // In a search predicate, `Col:"term"` means `Col has "term"`.
        if self.search_mode && matches!(left.kind, ExprKind::Name(_)) && self.at_punct(":") && self.peek_at(1).kind == TokenKind::String {
            self.bump();
            let right = self.primary_expr("a string after ':'")?;
            let span = left.span.to(right.span);
            let has = Expr { kind: ExprKind::Binary { op: BinaryOp::Str(StrOp::Has, false), left: Box::new(left), right: Box::new(right) }, span };
            // Kept as one operand, as if in parentheses: printed back as `(Col has "term")`, so
            // `Account < Upn:"x"` does not print as `(Account < Upn) has "x"` (found by fuzzing).
            left = Expr { kind: ExprKind::Paren(Box::new(has)), span };
        }
        while let Some((op, prec, ntok)) = self.peek_binary() {
            if prec <= min_prec {
                break;
            }
            let op_tok = self.peek().clone();
            let op_text = if ntok == 2 { "matches regex".to_string() } else { op_tok.text.clone() };
            if let BinOrList::Bin(bop @ (BinaryOp::And | BinaryOp::Or)) = op {
                // `and` / `or` chains stay flat (ExprKind::Chain): each further term costs no
                // nesting level here or in later stages.
                self.pos += ntok;
                if !self.starts_expr() {
                    return self.expected(&format!("an expression after '{op_text}'"));
                }
                let right = self.binary_rhs(prec)?;
                let span = left.span.to(right.span);
                left = match left.kind {
                    ExprKind::Chain { op: lop, mut operands } if lop == bop => {
                        operands.push(right);
                        Expr { kind: ExprKind::Chain { op: bop, operands }, span }
                    }
                    kind => Expr { kind: ExprKind::Chain { op: bop, operands: vec![Expr { kind, span: left.span }, right] }, span },
                };
                continue;
            }
            self.enter()?;
            self.pos += ntok;
            left = match op {
                BinOrList::Bin(bop) => {
                    if !self.starts_expr() {
                        return self.expected(&format!("an expression after '{op_text}'"));
                    }
                    let right = self.binary_rhs(prec)?;
                    let span = left.span.to(right.span);
                    Expr { kind: ExprKind::Binary { op: bop, left: Box::new(left), right: Box::new(right) }, span }
                }
                BinOrList::List(lop) => {
                    self.expect_punct("(", &format!("after '{op_text}' (write {op_text} (\"a\", \"b\"))"))?;
                    let mut items = Vec::new();
                    if !self.at_punct(")") {
                        loop {
                            items.push(self.expect_pipeline(&format!("a value in the '{op_text}' list"))?);
                            if !self.eat_punct(",") {
                                break;
                            }
                        }
                    }
                    let end = self.expect_punct(")", &format!("to close the '{op_text}' list"))?;
                    let span = left.span.to(end);
                    Expr { kind: ExprKind::InList { value: Box::new(left), op: lop, items }, span }
                }
                BinOrList::Between(negated) => {
                    self.expect_punct("(", &format!("after '{op_text}' (write {op_text} (low .. high))"))?;
                    // `between (a . b)`: one dot reads as a member access (`a.b`), which would
                    // give a puzzling error; name the real mistake instead.
                    if let Some(dot) = self.lone_dot_in_brackets() {
                        self.diags.push(
                            Diagnostic::syntax(codes::EXPECTED, dot, format!("'{op_text}' needs two dots between the bounds"))
                                .with_help(format!("Write {op_text} (low .. high), for example {op_text} (1 .. 10)")),
                        );
                        self.skip_past_close();
                        return Err(Fail);
                    }
                    let bounds: PResult<(Expr, Expr, Span)> = (|| {
                        let low = self.expect_expr("the lower bound")?;
                        self.expect_punct("..", "between the bounds (write low .. high)")?;
                        let high = self.expect_expr("the upper bound")?;
                        let end = self.expect_punct(")", "to close the range")?;
                        Ok((low, high, end))
                    })();
                    let Ok((low, high, end)) = bounds else {
                        // Skip what is left of the range with its closing bracket, so the
                        // bracket is not reported again as unmatched.
                        self.skip_past_close();
                        return Err(Fail);
                    };
                    let span = left.span.to(end);
                    Expr { kind: ExprKind::Between { value: Box::new(left), low: Box::new(low), high: Box::new(high), negated }, span }
                }
                BinOrList::BadNegation => {
                    self.diags.push(
                        Diagnostic::syntax(codes::EXPECTED, op_tok.span, format!("'{}' is not a KQL operator", op_tok.text))
                            .with_help(format!("Write not(x {} (...)) instead", &op_tok.text[1..])),
                    );
                    return Err(Fail);
                }
            };
        }
        Ok(left)
    }

    fn binary_rhs(&mut self, prec: u8) -> PResult<Expr> {
        self.enter()?;
        let r = self.binary(prec);
        self.leave();
        r
    }

    fn unary(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        if t.is_punct("-") || t.is_punct("+") {
            self.bump();
            self.enter()?;
            let operand = self.unary();
            self.leave();
            let operand = operand?;
            // Fold negative numeric literals so `-5` is a literal, as Kusto treats it.
            if t.is_punct("-") {
                if let ExprKind::Literal(lit) = &operand.kind {
                    let folded = match lit {
                        Literal::Long(n) => Some(Literal::Long(n.wrapping_neg())),
                        Literal::Real(f) => Some(Literal::Real(-f)),
                        Literal::TimeSpan(ts) => Some(Literal::TimeSpan(-ts)),
                        _ => None,
                    };
                    if let Some(l) = folded {
                        if operand.span.start == t.span.end {
                            return Ok(Expr { kind: ExprKind::Literal(l), span: t.span.to(operand.span) });
                        }
                    }
                }
            }
            let op = if t.is_punct("-") { UnaryOp::Neg } else { UnaryOp::Plus };
            let span = t.span.to(operand.span);
            return Ok(Expr { kind: ExprKind::Unary { op, operand: Box::new(operand) }, span });
        }
        let e = self.primary_expr("an expression")?;
        self.postfix(e)
    }

    fn postfix(&mut self, mut e: Expr) -> PResult<Expr> {
        loop {
            if self.at_punct(".") {
                self.bump();
                // `x.[0]` (and `x.[i]`): an index written after a dot, the same as `x[0]`.
                if self.at_punct("[") && self.peek_at(1).kind != TokenKind::String {
                    self.bump();
                    let index = self.expect_expr("an index inside '[ ]'")?;
                    let end = self.expect_punct("]", "to close the index")?;
                    let span = e.span.to(end);
                    e = Expr { kind: ExprKind::Index { target: Box::new(e), index: Box::new(index) }, span };
                    continue;
                }
                let name = match self.peek().kind {
                    TokenKind::Ident => self.ident("a property name after '.'")?,
                    TokenKind::Punct if self.at_punct("[") => self.bracket_ident("a property name")?,
                    _ => return self.expected("a property name after '.'"),
                };
                let span = e.span.to(name.span);
                e = Expr { kind: ExprKind::Member { target: Box::new(e), name }, span };
            } else if self.at_punct("[") {
                self.bump();
                let index = self.expect_expr("an index or key inside '[ ]'")?;
                let end = self.expect_punct("]", "to close the index")?;
                let span = e.span.to(end);
                e = Expr { kind: ExprKind::Index { target: Box::new(e), index: Box::new(index) }, span };
            } else {
                return Ok(e);
            }
        }
    }

    fn primary_expr(&mut self, what: &str) -> PResult<Expr> {
        let t = self.peek().clone();
        let lit = |l, span| Ok(Expr { kind: ExprKind::Literal(l), span });
        match (&t.kind, &t.value) {
            (TokenKind::Long, TokenValue::Long(n)) => {
                self.bump();
                lit(Literal::Long(*n), t.span)
            }
            (TokenKind::Real, TokenValue::Real(n)) => {
                self.bump();
                lit(Literal::Real(*n), t.span)
            }
            (TokenKind::TimeSpan, TokenValue::Ticks(n)) => {
                self.bump();
                lit(Literal::TimeSpan(*n), t.span)
            }
            (TokenKind::String, TokenValue::Str(s)) => {
                self.bump();
                // Adjacent string literals are concatenated: "a" "b" == "ab".
                let mut s = s.clone();
                let mut span = t.span;
                while let (TokenKind::String, TokenValue::Str(more)) = (&self.peek().kind, &self.peek().value) {
                    s.push_str(more);
                    span = span.to(self.peek().span);
                    self.bump();
                }
                lit(Literal::String(s), span)
            }
            (TokenKind::TypedLiteral, TokenValue::Typed(ty, raw)) => {
                self.bump();
                self.typed_literal(*ty, raw, t.span)
            }
            (TokenKind::Dollar, _) => {
                self.bump();
                let side = match t.text.as_str() {
                    "$left" => JoinSide::Left,
                    "$right" => JoinSide::Right,
                    // `$table` (the column `search` and `union withsource` add) is a name.
                    _ => {
                        let id = Ident { name: t.text.clone(), span: t.span };
                        return Ok(Expr { kind: ExprKind::Name(id), span: t.span });
                    }
                };
                self.expect_punct(".", &format!("after '{}' (write {}.Column)", t.text, t.text))?;
                let column = self.ident("a column name")?;
                let span = t.span.to(column.span);
                Ok(Expr { kind: ExprKind::JoinSide { side, column }, span })
            }
            (TokenKind::Punct, _) if t.text == "(" => {
                self.bump();
                let inner = self.expect_pipeline("an expression after '('")?;
                if !self.at_punct(")") {
                    if self.at_punct(",") {
                        return self.expected("')' (a list in parentheses only follows 'in', 'has_any' or 'has_all')");
                    }
                    return self.expected("')' to close '('");
                }
                let end = self.bump().span;
                Ok(Expr { kind: ExprKind::Paren(Box::new(inner)), span: t.span.to(end) })
            }
            (TokenKind::Punct, _) if t.text == "[" => {
                let id = self.bracket_ident(what)?;
                Ok(Expr { span: id.span, kind: ExprKind::Name(id) })
            }
            (TokenKind::Punct, _) if t.text == "*" => {
                self.bump();
                Ok(Expr { kind: ExprKind::Star, span: t.span })
            }
            (TokenKind::Ident, _) => self.word_expr(t),
            _ => self.expected(what),
        }
    }

    fn typed_literal(&mut self, ty: DataType, raw: &str, span: Span) -> PResult<Expr> {
        let lit = if raw.eq_ignore_ascii_case("null") {
            Literal::TypedNull(ty)
        } else {
            match ty {
                // `datetime("2022-11-07")`: Kusto also reads the text in quotes.
                DataType::DateTime => match time::parse_datetime(unquote(raw)).or_else(|| spaced_date(unquote(raw))) {
                    Some(t) => Literal::DateTime(t),
                    None => {
                        return self.bad_literal(
                            span,
                            &format!("'{raw}' is not a valid datetime"),
                            "Write datetime(2026-11-22), datetime(2026-11-22 10:30:00) or datetime(2026-11-22T10:30:00Z)",
                        )
                    }
                },
                DataType::TimeSpan => match time::parse_timespan(raw) {
                    Some(t) => Literal::TimeSpan(t),
                    None => {
                        return self.bad_literal(span, &format!("'{raw}' is not a valid timespan"), "Write timespan(1d), timespan(2h) or timespan(1.02:03:04)")
                    }
                },
                _ => {
                    let ok = raw.len() == 36 && raw.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
                    if !ok {
                        return self.bad_literal(span, &format!("'{raw}' is not a valid guid"), "A guid looks like 74be27de-1e4e-49d9-b579-fe0b331d3642");
                    }
                    Literal::Guid(raw.to_ascii_lowercase())
                }
            }
        };
        Ok(Expr { kind: ExprKind::Literal(lit), span })
    }

    fn bad_literal<T>(&mut self, span: Span, msg: &str, help: &str) -> PResult<T> {
        self.diags.push(Diagnostic::syntax(codes::BAD_LITERAL, span, msg).with_help(help));
        Err(Fail)
    }

    fn word_expr(&mut self, t: Token) -> PResult<Expr> {
        let w = t.text.as_str();
        let next_paren = self.peek_at(1).is_punct("(");
        match w {
            "true" | "false" => {
                self.bump();
                return Ok(Expr { kind: ExprKind::Literal(Literal::Bool(w == "true")), span: t.span });
            }
            "null" => {
                self.bump();
                return Ok(Expr { kind: ExprKind::Literal(Literal::Null), span: t.span });
            }
            "dynamic" if next_paren => return self.dynamic_literal(),
            "typeof" if next_paren => {
                self.pos += 2;
                let ty = self.type_name()?;
                let end = self.expect_punct(")", "to close 'typeof('")?;
                return Ok(Expr { kind: ExprKind::TypeOf(ty), span: t.span.to(end) });
            }
            "int" | "long" | "real" | "double" | "bool" | "boolean" | "decimal" if next_paren => return self.scalar_literal(),
            "datatable" if next_paren => return self.datatable(),
            "externaldata" if next_paren => return self.externaldata(),
            "print" => return self.print(),
            "range" if self.range_ahead() => return self.range(),
            "union" => {
                self.bump();
                let spec = self.union_spec()?;
                let span = t.span.to(self.prev_span());
                return Ok(Expr { kind: ExprKind::Union(spec), span });
            }
            "search" => {
                self.bump();
                let params = self.op_params()?;
                let mut tables = Vec::new();
                if self.at_word("in") && self.peek_at(1).is_punct("(") {
                    self.pos += 2;
                    loop {
                        tables.push(self.ident("a table name in 'search in (...)'")?);
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                    self.expect_punct(")", "to close the table list")?;
                }
                let predicate = self.search_predicate()?;
                let span = t.span.to(self.prev_span());
                return Ok(Expr { kind: ExprKind::SearchSource { params, tables, predicate: Box::new(predicate), find: None }, span });
            }
            "find" if !next_paren => return self.find_source(),
            "externaldata" | "find" | "evaluate" | "materialized_view" | "cluster" | "database" | "external_table"
                if !matches!(w, "cluster" | "database" | "external_table" | "materialized_view") || next_paren =>
            {
                // Recognised but not supported as a query source: skip its text.
                self.bump();
                self.recover();
                let span = t.span.to(self.prev_span());
                let text = self.src[span.range()].to_string();
                return Ok(Expr { kind: ExprKind::Unsupported { name: w.to_string(), text }, span });
            }
            _ => {}
        }
        self.bump();
        let name = Ident { name: t.text.clone(), span: t.span };
        if next_paren {
            self.bump();
            let mut args = Vec::new();
            if !self.at_punct(")") {
                loop {
                    // `name = value`: a named argument (a single '=', which no expression has).
                    if self.at_named_arg() {
                        let arg = self.ident("a parameter name")?;
                        self.bump();
                        let value = self.expect_expr(&format!("a value for the parameter '{}'", arg.name))?;
                        let span = arg.span.to(value.span);
                        args.push(Expr { kind: ExprKind::NamedArg { name: arg, value: Box::new(value) }, span });
                    } else {
                        args.push(self.expect_pipeline(&format!("an argument of '{}'", name.name))?);
                    }
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            let end = self.expect_punct(")", &format!("to close the arguments of '{}'", name.name))?;
            return Ok(Expr { kind: ExprKind::Call { name, args }, span: t.span.to(end) });
        }
        Ok(Expr { kind: ExprKind::Name(name), span: t.span })
    }

    /// `long(5)`, `real(null)`, `bool(true)`, `real(nan)`, `real(+inf)`
    fn scalar_literal(&mut self) -> PResult<Expr> {
        let t = self.bump();
        self.bump(); // (
        let ty = match t.text.as_str() {
            "int" => DataType::Int,
            "long" => DataType::Long,
            "real" | "double" => DataType::Real,
            "bool" | "boolean" => DataType::Bool,
            _ => {
                self.diags.push(Diagnostic::semantic(codes::UNSUPPORTED, t.span, "The 'decimal' type is not supported in kqlab; use 'real'"));
                return Err(Fail);
            }
        };
        let mut neg = false;
        if self.eat_punct("-") {
            neg = true;
        } else {
            self.eat_punct("+");
        }
        let v = self.bump();
        let lit = match (ty, &v.kind, &v.value, v.text.as_str()) {
            (_, TokenKind::Ident, _, "null") => Literal::TypedNull(ty),
            (DataType::Bool, TokenKind::Ident, _, "true") => Literal::Bool(true),
            (DataType::Bool, TokenKind::Ident, _, "false") => Literal::Bool(false),
            (DataType::Bool, TokenKind::Long, TokenValue::Long(n), _) => Literal::Bool(*n != 0),
            (DataType::Int, TokenKind::Long, TokenValue::Long(n), _) => match i32::try_from(if neg { -n } else { *n }) {
                Ok(i) => Literal::Int(i),
                Err(_) => return self.bad_literal(v.span, &format!("{} does not fit in an int", v.text), "An int holds values up to 2147483647; use long"),
            },
            (DataType::Long, TokenKind::Long, TokenValue::Long(n), _) => Literal::Long(if neg { -n } else { *n }),
            (DataType::Real, TokenKind::Long, TokenValue::Long(n), _) => Literal::Real(if neg { -(*n as f64) } else { *n as f64 }),
            (DataType::Real, TokenKind::Real, TokenValue::Real(n), _) => Literal::Real(if neg { -n } else { *n }),
            (DataType::Real, TokenKind::Ident, _, "nan") => Literal::Real(f64::NAN),
            (DataType::Real, TokenKind::Ident, _, "inf") => Literal::Real(if neg { f64::NEG_INFINITY } else { f64::INFINITY }),
            _ => {
                return self.bad_literal(
                    v.span.to(t.span),
                    &format!("'{}' is not a valid {} literal", v.text, ty),
                    "Write e.g. long(5), real(1.5), bool(true) or long(null)",
                )
            }
        };
        let end = self.expect_punct(")", &format!("to close '{}('", t.text))?;
        Ok(Expr { kind: ExprKind::Literal(lit), span: t.span.to(end) })
    }

    /// `dynamic(...)`: a JSON-like value whose scalars are KQL literals, as the dynamic-type
    /// page documents: any string form (`'x'`, `@'C:\x'`, ```` ```...``` ````), numbers,
    /// `true`/`false`/`null`, and typed literals (`datetime(...)`, `1h`, `guid(...)`,
    /// `long(5)`, a nested `dynamic(...)`). Comments and no-break spaces between the parts are
    /// whitespace, since the lexer reads them.
    fn dynamic_literal(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        self.bump(); // (
        let open_pos = self.pos;
        // A dynamic(...) inside a dynamic(...) comes back here through the expression parser.
        self.enter()?;
        let value = self.dynamic_value(0);
        self.leave();
        let value = match value {
            Ok(v) if self.at_punct(")") => v,
            Ok(_) => {
                let t = self.peek().clone();
                let _: PResult<()> = self.bad_dynamic(t.span, "expected ')' to close 'dynamic(' after its value");
                return self.skip_dynamic(open_pos);
            }
            Err(_) => return self.skip_dynamic(open_pos),
        };
        let close = self.bump().span;
        Ok(Expr { kind: ExprKind::Literal(Literal::Dynamic(value)), span: start.to(close) })
    }

    fn dynamic_value(&mut self, depth: usize) -> PResult<Dynamic> {
        if depth > 256 {
            let t = self.peek().clone();
            return self.bad_dynamic(t.span, "it is nested too deeply (more than 256 arrays or bags inside each other)");
        }
        if self.at_punct("[") {
            self.bump();
            let mut items = Vec::new();
            if !self.at_punct("]") {
                loop {
                    items.push(self.dynamic_value(depth + 1)?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            if !self.at_punct("]") {
                let t = self.peek().clone();
                return self.bad_dynamic(t.span, "expected ',' or ']' in an array");
            }
            self.bump();
            return Ok(Dynamic::array(items));
        }
        if self.at_punct("{") {
            self.bump();
            let mut items: Vec<(std::sync::Arc<str>, Dynamic)> = Vec::new();
            if !self.at_punct("}") {
                loop {
                    let t = self.peek().clone();
                    let key = match (&t.kind, &t.value) {
                        (TokenKind::String, TokenValue::Str(s)) => s.clone(),
                        _ => return self.bad_dynamic(t.span, "expected a quoted property name"),
                    };
                    self.bump();
                    if !self.eat_punct(":") {
                        let t = self.peek().clone();
                        return self.bad_dynamic(t.span, &format!("expected ':' after the property name \"{key}\""));
                    }
                    let v = self.dynamic_value(depth + 1)?;
                    // A repeated key keeps its last value, as JSON readers do.
                    match items.iter_mut().find(|(k, _)| **k == *key) {
                        Some(slot) => slot.1 = v,
                        None => items.push((std::sync::Arc::from(key.as_str()), v)),
                    }
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            if !self.at_punct("}") {
                let t = self.peek().clone();
                return self.bad_dynamic(t.span, "expected ',' or '}' in a property bag");
            }
            self.bump();
            return Ok(Dynamic::object(items));
        }
        let t = self.peek().clone();
        if !self.starts_expr() || t.is_punct(")") {
            return self.bad_dynamic(t.span, "expected a value");
        }
        let e = self.unary()?;
        let lit = match &e.kind {
            ExprKind::Literal(l) => l.clone(),
            _ => {
                return self.bad_dynamic(e.span, "a value inside dynamic(...) must be a literal, not an expression");
            }
        };
        Ok(match lit {
            Literal::Null | Literal::TypedNull(_) => Dynamic::Null,
            Literal::Bool(b) => Dynamic::Bool(b),
            Literal::Int(i) => Dynamic::Long(i64::from(i)),
            Literal::Long(n) => Dynamic::Long(n),
            Literal::Real(x) => Dynamic::Real(x),
            Literal::String(s) => Dynamic::string(&s),
            Literal::DateTime(t) => Dynamic::DateTime(t),
            Literal::TimeSpan(t) => Dynamic::TimeSpan(t),
            Literal::Guid(g) => Dynamic::string(&g),
            Literal::Dynamic(d) => d,
        })
    }

    /// After an error inside `dynamic(`, moves past its closing ')' so that one mistake gives
    /// one message.
    fn skip_dynamic(&mut self, open_pos: usize) -> PResult<Expr> {
        self.pos = open_pos;
        let mut depth = 0i32;
        loop {
            let t = self.peek().clone();
            match t.kind {
                TokenKind::Eof => break,
                TokenKind::Punct if matches!(t.text.as_str(), "(" | "[" | "{") => depth += 1,
                TokenKind::Punct if matches!(t.text.as_str(), ")" | "]" | "}") => {
                    if depth == 0 {
                        self.bump();
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.bump();
        }
        Err(Fail)
    }

    fn bad_dynamic<T>(&mut self, span: Span, why: &str) -> PResult<T> {
        let d = Diagnostic::syntax(codes::BAD_LITERAL, span, format!("This dynamic literal is not valid: {why}")).with_help(
            "Write dynamic([1, \"two\", datetime(2026-01-01)]), dynamic({\"key\": \"value\"}) or dynamic(null); values are JSON values or KQL literals",
        );
        self.diags.push(d);
        Err(Fail)
    }

    /// `datatable(a: long, b: string) [1, "x", 2, "y"]`
    fn datatable(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        self.bump(); // (
        let mut columns = Vec::new();
        loop {
            let name = self.ident("a column name in 'datatable('")?;
            self.expect_punct(":", &format!("and a type after '{}'", name.name))?;
            let ty = self.type_name()?;
            columns.push((name, ty));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")", "to close the datatable's columns")?;
        self.expect_punct("[", "to start the datatable's values")?;
        let mut values = Vec::new();
        if !self.at_punct("]") {
            loop {
                values.push(self.expect_expr("a value")?);
                if !self.eat_punct(",") {
                    break;
                }
                if self.at_punct("]") {
                    break; // trailing comma
                }
            }
        }
        let end = self.expect_punct("]", "to close the datatable's values")?;
        Ok(Expr { kind: ExprKind::Datatable { columns, values }, span: start.to(end) })
    }

    /// A plugin call after `evaluate`: like a function call, but an argument may be named
    /// (`return_unmatched = true`), which is kept as `name == value` (the "xdr" engineer's
    /// function, for `ipv4_lookup`).
    fn plugin_call(&mut self) -> PResult<Expr> {
        let t = self.bump();
        let name = Ident { name: t.text.clone(), span: t.span };
        self.bump(); // (
        let mut args = Vec::new();
        if !self.at_punct(")") {
            loop {
                if self.at_named_arg() {
                    // A named argument, as in any call: `return_unmatched = true`.
                    let n = self.ident("a parameter name")?;
                    self.bump(); // =
                    let value = self.expect_expr(&format!("a value for '{}'", n.name))?;
                    let span = n.span.to(value.span);
                    args.push(Expr { kind: ExprKind::NamedArg { name: n, value: Box::new(value) }, span });
                } else {
                    args.push(self.expect_pipeline(&format!("an argument of '{}'", name.name))?);
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        let end = self.expect_punct(")", &format!("to close the arguments of '{}'", name.name))?;
        Ok(Expr { kind: ExprKind::Call { name, args }, span: t.span.to(end) })
    }

    /// `externaldata(col: type, ...) [url, ...] [with (name = value, ...)]` (the "xdr" engineer's
    /// function: its grammar is kept here, apart from the rest of the parser).
    fn externaldata(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        self.bump(); // (
        let mut columns = Vec::new();
        loop {
            let name = self.ident("a column name in 'externaldata('")?;
            self.expect_punct(":", &format!("and a type after '{}'", name.name))?;
            let ty = self.type_name()?;
            columns.push((name, ty));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")", "to close the externaldata columns")?;
        self.expect_punct("[", "to start the list of URLs, e.g. [\"https://example.com/file.csv\"]")?;
        let mut urls = Vec::new();
        if !self.at_punct("]") {
            loop {
                urls.push(self.expect_expr("a URL string")?);
                if !self.eat_punct(",") || self.at_punct("]") {
                    break;
                }
            }
        }
        let mut end = self.expect_punct("]", "to close the list of URLs")?;
        let mut props = Vec::new();
        if self.at_word("with") && self.peek_at(1).is_punct("(") {
            self.pos += 2;
            if !self.at_punct(")") {
                loop {
                    let name = self.ident("a property name, e.g. format")?;
                    self.expect_punct("=", &format!("and '=' after '{}'", name.name))?;
                    props.push((name, self.expect_expr("a property value")?));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            end = self.expect_punct(")", "to close 'with ('")?;
        }
        Ok(Expr { kind: ExprKind::ExternalData { columns, urls, props }, span: start.to(end) })
    }

    fn print(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        let columns = if self.starts_expr() { self.named_list("print", true)? } else { Vec::new() };
        Ok(Expr { kind: ExprKind::Print { columns }, span: start.to(self.prev_span()) })
    }

    /// `range x from` or `range ['x'] from`: the start of a range source.
    fn range_ahead(&self) -> bool {
        let name_len = match self.peek_at(1).kind {
            TokenKind::Ident => 1,
            TokenKind::Punct if self.peek_at(1).text == "[" && self.peek_at(2).kind == TokenKind::String && self.peek_at(3).is_punct("]") => 3,
            _ => return false,
        };
        self.peek_at(1 + name_len).is_word("from")
    }

    /// `range x from 1 to 10 step 2`
    fn range(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        let column = self.ident("a column name after 'range'")?;
        self.bump(); // from
        let from = self.expect_expr("the start value after 'from'")?;
        if !self.eat_word("to") {
            return self.expected("'to' and the end value");
        }
        let to = self.expect_expr("the end value after 'to'")?;
        if !self.eat_word("step") {
            return self.expected("'step' and the step size");
        }
        let step = self.expect_expr("the step size after 'step'")?;
        let span = start.to(step.span);
        Ok(Expr { kind: ExprKind::Range { column, from: Box::new(from), to: Box::new(to), step: Box::new(step) }, span })
    }
}

enum BinOrList {
    Bin(BinaryOp),
    List(ListOp),
    Between(bool),
    BadNegation,
}

macro_rules! unreachable_fail {
    ($self:expr) => {
        return $self.expected("a string")
    };
}
use unreachable_fail;

/// The text inside one pair of matching quotes, or the text itself.
fn unquote(raw: &str) -> &str {
    let t = raw.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return &t[1..t.len() - 1];
        }
    }
    raw
}

/// A date written as three numbers, year first, separated by commas or by dashes with
/// spaces around them: `datetime(2025, 6, 14)`, `datetime(2017 - 08 - 01)`. Kusto reads a
/// datetime literal with .NET's lenient date parser, which accepts these forms (the docs'
/// startofweek, endofweek and sliding_window_counts examples use them); kqlab reads exactly
/// this shape and no other.
fn spaced_date(raw: &str) -> Option<i64> {
    let sep = if raw.contains(',') { ',' } else { '-' };
    let parts: Vec<&str> = raw.split(sep).map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) || parts[0].len() != 4 {
        return None;
    }
    let (m, d) = (parts[1].parse::<u32>().ok()?, parts[2].parse::<u32>().ok()?);
    time::parse_datetime(&format!("{}-{m:02}-{d:02}", parts[0]))
}
