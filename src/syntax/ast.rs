//! The syntax tree. Every node carries the byte span of the text it came from.
//!
//! A query is a [`Script`]: `let` statements then one query expression. Tabular pipelines are
//! expressions too: `T | where x` is [`ExprKind::Pipe`] with `T` as input, so a parenthesised
//! pipeline can appear wherever an expression can (`join (T | where ...)`, `toscalar(...)`,
//! `x in (T | project y)`). Whether an expression is scalar or tabular is decided by the binder.
//! `Display` prints canonical KQL that parses back to an equal tree (spans aside).

use crate::diag::Span;
use crate::types::{DataType, Dynamic};

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `let name = value;`
    Let(LetStmt),
    /// The query expression (normally the last statement).
    Query(Expr),
    /// `declare query_parameters(name: type [= default], ...)`: names whose values a client
    /// passes with the query; kqlab has no client, so each takes its default.
    QueryParameters { params: Vec<Param>, span: Span },
    /// A real KQL statement kqlab does not support: `set`, `declare`, `alias`, `restrict`,
    /// `pattern`. The binder rejects it by name.
    /// `text` is the statement's source, kept so it prints back as written.
    Unsupported { name: String, text: String, span: Span },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LetStmt {
    pub name: Ident,
    pub value: LetValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    Expr(Expr),
    /// `let f = (a: string, b: long = 1) { ... };` or `let v = view () { ... };`
    Function(FunctionDef),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub params: Vec<Param>,
    /// `let` statements then the result expression.
    pub body: Vec<Statement>,
    pub is_view: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: ParamType,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamType {
    Scalar(DataType),
    /// `(x: long, y: string)` or `(*)`: a tabular parameter with the columns it needs.
    Tabular(Vec<(Ident, DataType)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinSide {
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A column, table, `let` or parameter name.
    Name(Ident),
    /// `$left.Col` / `$right.Col` in a join condition.
    JoinSide {
        side: JoinSide,
        column: Ident,
    },
    /// `*` as an argument (`arg_max(Timestamp, *)`, `count(*)` is not KQL).
    Star,
    /// `expr.name`
    Member {
        target: Box<Expr>,
        name: Ident,
    },
    /// `expr[index]`
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `name(args)`, including aggregates and `materialize`, `toscalar`.
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// Two or more operands joined by the same `and` or `or`: `a or b or c`. Both are
    /// associative, so a chain is kept flat instead of nesting one level per operator: an
    /// IOC list in a hunting query can have hundreds of terms, and later stages then walk it
    /// with a loop, not a recursion per term. `op` is `BinaryOp::And` or `BinaryOp::Or`.
    Chain {
        op: BinaryOp,
        operands: Vec<Expr>,
    },
    /// `x between (a .. b)` / `x !between (a .. b)`
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    /// `x in (a, b)`, `x !in~ (T | project y)`, `x has_any (...)`, `x has_all (...)`
    InList {
        value: Box<Expr>,
        op: ListOp,
        items: Vec<Expr>,
    },
    /// `input | operator`
    Pipe {
        input: Box<Expr>,
        op: Box<Operator>,
    },
    /// `datatable(a: long, b: string) [1, "x", 2, "y"]`
    Datatable {
        columns: Vec<(Ident, DataType)>,
        values: Vec<Expr>,
    },
    /// `externaldata(a: string, b: long) ["https://…"] with (format="csv", ignoreFirstRecord=true)`:
    /// the URLs and the `with` properties as written (the binder checks them).
    ExternalData {
        columns: Vec<(Ident, DataType)>,
        urls: Vec<Expr>,
        props: Vec<(Ident, Expr)>,
    },
    /// `print a = 1, 2`
    Print {
        columns: Vec<NamedExpr>,
    },
    /// `range x from 1 to 10 step 1`
    Range {
        column: Ident,
        from: Box<Expr>,
        to: Box<Expr>,
        step: Box<Expr>,
    },
    /// `union [kind=...] [withsource=...] T1, T2` at the start of a query.
    Union(UnionSpec),
    /// `typeof(string)`: a type used as a value (`to typeof(long)`, `column_ifexists`).
    TypeOf(DataType),
    /// A parenthesised expression (kept so that printing preserves the author's grouping).
    Paren(Box<Expr>),
    /// `name = value` as an argument of a call: `bag_unpack(d, columnsConflict='keep_source')`.
    /// Only the functions and plugins that document named parameters accept it.
    NamedArg {
        name: Ident,
        value: Box<Expr>,
    },
    /// `search [kind=...] [in (T1, T2)] predicate` at the start of a query; with `find` set,
    /// `find [withsource=Name] [in (T1, T2)] [where] predicate [project-smart | project ...]`.
    SearchSource {
        params: Vec<OpParam>,
        tables: Vec<Ident>,
        predicate: Box<Expr>,
        find: Option<Box<FindOutput>>,
    },
    /// The implicit input of an `mv-apply` subquery: `on (top 2 by x)` is
    /// `Pipe { input: Implicit, op: top ... }`. Prints as nothing.
    Implicit,
    /// A real KQL form that kqlab does not support, recognised by name (`externaldata`,
    /// `find`, ...). The binder reports it; `text` is its source, printed back as written.
    Unsupported {
        name: String,
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `null` where no type is given (only valid where the binder can infer one).
    Null,
    /// `long(null)`, `datetime(null)`, ...
    TypedNull(DataType),
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    String(String),
    DateTime(i64),
    TimeSpan(i64),
    Guid(String),
    Dynamic(Dynamic),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    EqCi,
    NeCi,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    /// A string operator such as `contains`, `!has_cs`, `startswith`, `matches regex`.
    Str(StrOp, bool /* negated */),
}

/// The string predicates. Case-insensitive unless `_cs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrOp {
    Contains,
    ContainsCs,
    Has,
    HasCs,
    HasPrefix,
    HasPrefixCs,
    HasSuffix,
    HasSuffixCs,
    StartsWith,
    StartsWithCs,
    EndsWith,
    EndsWithCs,
    MatchesRegex,
}

impl StrOp {
    pub fn from_word(w: &str) -> Option<StrOp> {
        Some(match w {
            "contains" => StrOp::Contains,
            "contains_cs" => StrOp::ContainsCs,
            "has" => StrOp::Has,
            "has_cs" => StrOp::HasCs,
            "hasprefix" => StrOp::HasPrefix,
            "hasprefix_cs" => StrOp::HasPrefixCs,
            "hassuffix" => StrOp::HasSuffix,
            "hassuffix_cs" => StrOp::HasSuffixCs,
            "startswith" => StrOp::StartsWith,
            "startswith_cs" => StrOp::StartsWithCs,
            "endswith" => StrOp::EndsWith,
            "endswith_cs" => StrOp::EndsWithCs,
            _ => return None,
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            StrOp::Contains => "contains",
            StrOp::ContainsCs => "contains_cs",
            StrOp::Has => "has",
            StrOp::HasCs => "has_cs",
            StrOp::HasPrefix => "hasprefix",
            StrOp::HasPrefixCs => "hasprefix_cs",
            StrOp::HasSuffix => "hassuffix",
            StrOp::HasSuffixCs => "hassuffix_cs",
            StrOp::StartsWith => "startswith",
            StrOp::StartsWithCs => "startswith_cs",
            StrOp::EndsWith => "endswith",
            StrOp::EndsWithCs => "endswith_cs",
            StrOp::MatchesRegex => "matches regex",
        }
    }

    pub fn case_sensitive(self) -> bool {
        matches!(
            self,
            StrOp::ContainsCs | StrOp::HasCs | StrOp::HasPrefixCs | StrOp::HasSuffixCs | StrOp::StartsWithCs | StrOp::EndsWithCs | StrOp::MatchesRegex
        )
    }
}

impl BinaryOp {
    pub fn symbol(self) -> String {
        match self {
            BinaryOp::Or => "or".into(),
            BinaryOp::And => "and".into(),
            BinaryOp::Eq => "==".into(),
            BinaryOp::Ne => "!=".into(),
            BinaryOp::Lt => "<".into(),
            BinaryOp::Le => "<=".into(),
            BinaryOp::Gt => ">".into(),
            BinaryOp::Ge => ">=".into(),
            BinaryOp::EqCi => "=~".into(),
            BinaryOp::NeCi => "!~".into(),
            BinaryOp::Add => "+".into(),
            BinaryOp::Sub => "-".into(),
            BinaryOp::Mul => "*".into(),
            BinaryOp::Div => "/".into(),
            BinaryOp::Mod => "%".into(),
            BinaryOp::Str(op, neg) => format!("{}{}", if neg { "!" } else { "" }, op.word()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    In,
    NotIn,
    InCi,
    NotInCi,
    HasAny,
    HasAll,
}

impl ListOp {
    pub fn word(self) -> &'static str {
        match self {
            ListOp::In => "in",
            ListOp::NotIn => "!in",
            ListOp::InCi => "in~",
            ListOp::NotInCi => "!in~",
            ListOp::HasAny => "has_any",
            ListOp::HasAll => "has_all",
        }
    }
}

/// `name = expr`, `(a, b) = expr` or a bare `expr` in `project`, `extend`, `summarize`, ...
/// The output clause of `find`: `project-smart` (None), or `project Col[: type], ...
/// [, pack_all()]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FindOutput {
    pub project: Option<Vec<(Ident, Option<DataType>)>>,
    pub pack_all: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamedExpr {
    pub names: Vec<Ident>,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDir {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullsPos {
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub expr: Expr,
    pub dir: Option<SortDir>,
    pub nulls: Option<NullsPos>,
    pub span: Span,
}

/// `name=value` parameters of operators (`kind=inner`, `withsource=T`, `hint.strategy=...`).
#[derive(Clone, Debug, PartialEq)]
pub struct OpParam {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionSpec {
    pub params: Vec<OpParam>,
    pub tables: Vec<Expr>,
}

/// A column name or wildcard pattern in `project-away`, `project-keep`, `project-reorder`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnPattern {
    /// The name, possibly with `*` wildcards.
    pub pattern: String,
    pub dir: Option<SortDir>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MvExpandItem {
    pub name: Option<Ident>,
    pub expr: Expr,
    pub to_type: Option<DataType>,
    pub span: Span,
}

/// One element of a `parse` pattern: a literal to match, a column to extract, or `*`.
#[derive(Clone, Debug, PartialEq)]
pub enum ParsePart {
    Literal(String, Span),
    Column(Ident, Option<DataType>),
    Star(Span),
}

/// The declared output columns of a plugin: `: (a: string, b: long)` or `: (*, a: string)`.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSchema {
    pub wildcard: bool,
    pub columns: Vec<(Ident, DataType)>,
}

/// One aggregate of `make-series`, with its `default=` value.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesAgg {
    pub agg: NamedExpr,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MakeSeriesSpec {
    pub params: Vec<OpParam>,
    pub aggregates: Vec<SeriesAgg>,
    pub axis: Expr,
    pub from: Option<Expr>,
    pub to: Option<Expr>,
    pub step: Expr,
    pub by: Vec<NamedExpr>,
}

/// The parts of a `scan` operator.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanSpec {
    /// `with_match_id = Name`: an output column numbering the matched sequences from 0.
    pub match_id: Option<Ident>,
    /// `declare (Col: type [= default], ...)`: the columns the steps assign.
    pub declare: Vec<ScanDecl>,
    pub steps: Vec<ScanStep>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScanDecl {
    pub name: Ident,
    pub ty: DataType,
    pub default: Option<Expr>,
}

/// `step Name [output = all|last|none]: Condition [=> Col = Expr, ...];`
#[derive(Clone, Debug, PartialEq)]
pub struct ScanStep {
    pub name: Ident,
    pub output: Option<Ident>,
    pub condition: Expr,
    pub assign: Vec<(Ident, Expr)>,
}

/// One level of `top-nested`: `N of Expr [with others = V] by Agg [asc|desc]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TopNestedLevel {
    pub count: Option<Expr>,
    pub of: NamedExpr,
    pub others: Option<Expr>,
    pub by: NamedExpr,
    pub dir: Option<SortDir>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    pub kind: OperatorKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OperatorKind {
    /// `where` (or `filter`)
    Where(Expr),
    Project(Vec<NamedExpr>),
    ProjectAway(Vec<ColumnPattern>),
    ProjectKeep(Vec<ColumnPattern>),
    ProjectRename(Vec<(Ident, Ident)>),
    ProjectReorder(Vec<ColumnPattern>),
    /// `project-by-names Spec, ...`: each spec a constant string (a name or a `*` pattern)
    /// or a dynamic array of names, such as `column_names_of(T)`.
    ProjectByNames(Vec<Expr>),
    Extend(Vec<NamedExpr>),
    Summarize {
        params: Vec<OpParam>,
        aggregates: Vec<NamedExpr>,
        by: Vec<NamedExpr>,
    },
    /// `count` (as an operator)
    Count(Option<Ident>),
    /// `distinct a, b` or `distinct *`
    Distinct(Vec<Expr>),
    /// `take N` (or `limit N`)
    Take(Expr),
    Top {
        count: Expr,
        by: Vec<SortKey>,
    },
    /// `sort by` / `order by`
    Sort(Vec<SortKey>),
    Union(UnionSpec),
    Join {
        params: Vec<OpParam>,
        right: Expr,
        on: Vec<Expr>,
    },
    Lookup {
        params: Vec<OpParam>,
        right: Expr,
        on: Vec<Expr>,
    },
    MvExpand {
        params: Vec<OpParam>,
        items: Vec<MvExpandItem>,
        limit: Option<Expr>,
    },
    /// `render timechart with (title="...")`
    Render {
        visualization: Ident,
        properties: Vec<OpParam>,
    },
    Serialize(Vec<NamedExpr>),
    As(Ident),
    Getschema,
    /// `parse [kind=...] Expr with * "x" Col:type ...`, `parse-where ...`
    Parse {
        params: Vec<OpParam>,
        source: Expr,
        pattern: Vec<ParsePart>,
        drop_failed: bool,
    },
    /// `invoke f(args)`
    Invoke(Expr),
    /// `evaluate plugin(args) [: (Col: type, ...)]`
    Evaluate {
        params: Vec<OpParam>,
        call: Expr,
        schema: Option<OutputSchema>,
    },
    /// `make-series [kind=nonempty] Agg [default=x], ... on Axis [from a] [to b] step s [by ...]`
    MakeSeries(Box<MakeSeriesSpec>),
    /// `mv-apply [with_itemindex=i] x [to typeof(t)], ... [limit n] on (subquery)`
    MvApply {
        params: Vec<OpParam>,
        items: Vec<MvExpandItem>,
        limit: Option<Expr>,
        subquery: Expr,
    },
    /// `top-nested N of Col [with others = x] by Agg [asc|desc], ...`
    TopNested(Vec<TopNestedLevel>),
    /// `parse-kv Source as (Col: type, ...) with (pair_delimiter=..., kv_delimiter=..., ...)`
    ParseKv {
        source: Expr,
        columns: Vec<(Ident, DataType)>,
        options: Vec<OpParam>,
    },
    /// `scan [with_match_id=Id] [declare (Col: type [= default], ...)] with (step s [output=all|last|none]: Cond [=> Col = Expr, ...]; ...)`
    Scan(Box<ScanSpec>),
    /// `partition [hint.x=y ...] by Col (subquery)`: the subquery runs once per value of Col
    /// with that value's rows as its input.
    Partition {
        params: Vec<OpParam>,
        by: Ident,
        subquery: Expr,
    },
    /// `sample N`
    Sample(Expr),
    /// `sample-distinct N of Col`
    SampleDistinct {
        count: Expr,
        of: Expr,
    },
    /// `search [kind=...] "term"` / `search Col has "x"` as an operator
    Search {
        params: Vec<OpParam>,
        predicate: Expr,
    },
    /// `make-graph`, `graph-match`, `graph-shortest-paths`, `graph-to-table`,
    /// `graph-mark-components` (see `syntax::graph`).
    Graph(super::graph::GraphOp),
    /// A real KQL operator kqlab does not support yet; `name` is its KQL spelling and `text`
    /// its source (printed back as written).
    Unsupported {
        name: String,
        text: String,
    },
}

impl OperatorKind {
    /// The KQL name of the operator (for messages).
    pub fn name(&self) -> &str {
        match self {
            OperatorKind::Where(_) => "where",
            OperatorKind::Project(_) => "project",
            OperatorKind::ProjectAway(_) => "project-away",
            OperatorKind::ProjectKeep(_) => "project-keep",
            OperatorKind::ProjectRename(_) => "project-rename",
            OperatorKind::ProjectReorder(_) => "project-reorder",
            OperatorKind::ProjectByNames(_) => "project-by-names",
            OperatorKind::Extend(_) => "extend",
            OperatorKind::Summarize { .. } => "summarize",
            OperatorKind::Count(_) => "count",
            OperatorKind::Distinct(_) => "distinct",
            OperatorKind::Take(_) => "take",
            OperatorKind::Top { .. } => "top",
            OperatorKind::Sort(_) => "sort",
            OperatorKind::Union(_) => "union",
            OperatorKind::Join { .. } => "join",
            OperatorKind::Lookup { .. } => "lookup",
            OperatorKind::MvExpand { .. } => "mv-expand",
            OperatorKind::Render { .. } => "render",
            OperatorKind::Serialize(_) => "serialize",
            OperatorKind::As(_) => "as",
            OperatorKind::Getschema => "getschema",
            OperatorKind::Parse { drop_failed: true, .. } => "parse-where",
            OperatorKind::Parse { .. } => "parse",
            OperatorKind::Invoke(_) => "invoke",
            OperatorKind::Evaluate { .. } => "evaluate",
            OperatorKind::MakeSeries(_) => "make-series",
            OperatorKind::MvApply { .. } => "mv-apply",
            OperatorKind::TopNested(_) => "top-nested",
            OperatorKind::ParseKv { .. } => "parse-kv",
            OperatorKind::Search { .. } => "search",
            OperatorKind::Scan(_) => "scan",
            OperatorKind::Partition { .. } => "partition",
            OperatorKind::Sample(_) => "sample",
            OperatorKind::SampleDistinct { .. } => "sample-distinct",
            OperatorKind::Graph(g) => g.name(),
            OperatorKind::Unsupported { name, .. } => name,
        }
    }
}
