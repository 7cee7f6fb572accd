//! The bound, typed plan: what the binder produces and the executor runs.
//!
//! Names are resolved to column indices, every expression has its type, and every plan node
//! knows its output schema. Spans are kept so run-time errors can point at the query.

use crate::diag::Span;
use crate::table::{Field, Table};
use crate::types::{DataType, Value};
use std::cell::RefCell;
use std::fmt::{self, Write};
use std::rc::Rc;
use std::sync::Arc;

pub mod aggregates;
pub mod function_table;
pub mod functions;
pub mod graph;
pub mod parse_op;
mod shape;

pub use shape::{OutputKey, OutputOrder};

use aggregates::AggFn;
use functions::Func;

/// A typed scalar expression over the columns of one input table.
#[derive(Clone, Debug)]
pub struct BExpr {
    pub kind: BKind,
    pub ty: DataType,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    EqCi,
    NeCi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Clone, Debug)]
pub enum BKind {
    Column(usize),
    Const(Value),
    /// Both operands have the same type (the binder inserts casts), except datetime/timespan
    /// arithmetic whose operand types are given by the operator's rule.
    Arith(ArithOp, Box<BExpr>, Box<BExpr>),
    /// Both operands have the same comparison type.
    Cmp(CmpOp, Box<BExpr>, Box<BExpr>),
    And(Box<BExpr>, Box<BExpr>),
    Or(Box<BExpr>, Box<BExpr>),
    Not(Box<BExpr>),
    Neg(Box<BExpr>),
    /// `left op right` on strings.
    Str {
        op: StrOp,
        negated: bool,
        left: Box<BExpr>,
        right: Box<BExpr>,
    },
    /// `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all` against a list fixed before the rows are
    /// read (constants, a dynamic array, or a subquery evaluated once).
    InList {
        op: ListOp,
        value: Box<BExpr>,
        list: ListSource,
    },
    Between {
        value: Box<BExpr>,
        low: Box<BExpr>,
        high: Box<BExpr>,
        negated: bool,
    },
    Call(Func, Vec<BExpr>),
    Cast(Box<BExpr>),
    /// `d.key` / `d["key"]`
    Member(Box<BExpr>, String),
    /// `d[i]` / `d[expr]`
    Index(Box<BExpr>, Box<BExpr>),
    /// `toscalar(...)`: the first cell of a subquery, computed once per run.
    Subquery(Rc<Plan>),
    /// The row's position (`row_number()` after `serialize`), 1-based plus an offset.
    RowNumber(i64),
    /// `prev(col, offset, default)` / `next(...)`: the value `offset` rows away.
    Shift {
        value: Box<BExpr>,
        offset: i64,
        default: Option<Box<BExpr>>,
    },
}

/// A string predicate (`left op right`). Case-insensitive unless `_cs`. The parser keeps its
/// own `syntax::ast::StrOp` (the words as written); the binder maps it onto this one, so the
/// executor never sees the syntax tree.
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
    /// The operator as KQL writes it (for plan printing).
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
}

/// A membership test against a list (`in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`); the
/// plan's counterpart of `syntax::ast::ListOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// The list of an `in` / `has_any` operator.
#[derive(Clone, Debug)]
pub enum ListSource {
    /// Row-independent expressions, evaluated once; dynamic arrays among them are flattened.
    Exprs(Vec<BExpr>),
    /// A tabular subquery; its first column is the list.
    Subquery(Rc<Plan>),
}

impl BExpr {
    pub fn new(kind: BKind, ty: DataType, span: Span) -> BExpr {
        BExpr { kind, ty, span }
    }

    /// (nodes, depth) of the expression tree; subqueries count as one node (their plans are
    /// shared, not copied). The binder uses it to bound what inlining `let` values copies.
    pub fn size(&self) -> (usize, usize) {
        let mut nodes = 0;
        let mut depth = 0;
        let mut add = |e: &BExpr| {
            let (n, d) = e.size();
            nodes += n;
            depth = depth.max(d);
        };
        match &self.kind {
            BKind::Column(_) | BKind::Const(_) | BKind::Subquery(_) | BKind::RowNumber(_) => {}
            BKind::Arith(_, a, b) | BKind::Cmp(_, a, b) | BKind::And(a, b) | BKind::Or(a, b) | BKind::Index(a, b) => {
                add(a);
                add(b);
            }
            BKind::Str { left, right, .. } => {
                add(left);
                add(right);
            }
            BKind::Not(a) | BKind::Neg(a) | BKind::Cast(a) | BKind::Member(a, _) => add(a),
            BKind::InList { value, list, .. } => {
                add(value);
                if let ListSource::Exprs(items) = list {
                    items.iter().for_each(&mut add);
                }
            }
            BKind::Between { value, low, high, .. } => {
                add(value);
                add(low);
                add(high);
            }
            BKind::Call(_, args) => args.iter().for_each(&mut add),
            BKind::Shift { value, default, .. } => {
                add(value);
                if let Some(d) = default {
                    add(d);
                }
            }
        }
        (nodes + 1, depth + 1)
    }

    pub fn constant(v: Value, ty: DataType, span: Span) -> BExpr {
        BExpr { kind: BKind::Const(v), ty, span }
    }

    pub fn column(i: usize, ty: DataType, span: Span) -> BExpr {
        BExpr { kind: BKind::Column(i), ty, span }
    }

    pub fn as_const(&self) -> Option<&Value> {
        match &self.kind {
            BKind::Const(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_column(&self) -> Option<usize> {
        match &self.kind {
            BKind::Column(i) => Some(*i),
            _ => None,
        }
    }

    /// Visits this expression and all sub-expressions.
    pub fn walk(&self, f: &mut impl FnMut(&BExpr)) {
        f(self);
        match &self.kind {
            BKind::Column(_) | BKind::Const(_) | BKind::Subquery(_) | BKind::RowNumber(_) => {}
            BKind::Arith(_, a, b) | BKind::Cmp(_, a, b) | BKind::And(a, b) | BKind::Or(a, b) | BKind::Index(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            BKind::Str { left, right, .. } => {
                left.walk(f);
                right.walk(f);
            }
            BKind::Not(a) | BKind::Neg(a) | BKind::Cast(a) | BKind::Member(a, _) => a.walk(f),
            BKind::InList { value, list, .. } => {
                value.walk(f);
                if let ListSource::Exprs(es) = list {
                    es.iter().for_each(|e| e.walk(f));
                }
            }
            BKind::Between { value, low, high, .. } => {
                value.walk(f);
                low.walk(f);
                high.walk(f);
            }
            BKind::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
            BKind::Shift { value, default, .. } => {
                value.walk(f);
                if let Some(d) = default {
                    d.walk(f);
                }
            }
        }
    }

    /// Does the expression depend on the row order (`row_number`, `prev`, `next`)?
    pub fn needs_order(&self) -> bool {
        let mut found = false;
        self.walk(&mut |e| found |= matches!(e.kind, BKind::RowNumber(_) | BKind::Shift { .. }));
        found
    }
}

/// One aggregate of a `summarize`.
#[derive(Clone, Debug)]
pub struct AggCall {
    pub func: AggFn,
    pub args: Vec<BExpr>,
    /// The output types (one for most aggregates; `arg_max(x, a, b)` yields several).
    pub out: Vec<DataType>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    InnerUnique,
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftAnti,
    RightAnti,
    LeftSemi,
    RightSemi,
}

impl JoinKind {
    /// Every kind, in the order the editor offers them (the default first).
    pub const ALL: [JoinKind; 9] = [
        JoinKind::InnerUnique,
        JoinKind::Inner,
        JoinKind::LeftOuter,
        JoinKind::RightOuter,
        JoinKind::FullOuter,
        JoinKind::LeftAnti,
        JoinKind::RightAnti,
        JoinKind::LeftSemi,
        JoinKind::RightSemi,
    ];

    /// What the kind keeps, in a few words (for completion).
    pub fn doc(self) -> &'static str {
        match self {
            JoinKind::InnerUnique => "the default: duplicate left keys removed, then matching pairs",
            JoinKind::Inner => "every matching pair of rows",
            JoinKind::LeftOuter => "every left row, with right columns where a match exists",
            JoinKind::RightOuter => "every right row, with left columns where a match exists",
            JoinKind::FullOuter => "every row of both sides, matched where possible",
            JoinKind::LeftAnti => "left rows that have no match",
            JoinKind::RightAnti => "right rows that have no match",
            JoinKind::LeftSemi => "left rows that have a match (left columns only)",
            JoinKind::RightSemi => "right rows that have a match (right columns only)",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            JoinKind::InnerUnique => "innerunique",
            JoinKind::Inner => "inner",
            JoinKind::LeftOuter => "leftouter",
            JoinKind::RightOuter => "rightouter",
            JoinKind::FullOuter => "fullouter",
            JoinKind::LeftAnti => "leftanti",
            JoinKind::RightAnti => "rightanti",
            JoinKind::LeftSemi => "leftsemi",
            JoinKind::RightSemi => "rightsemi",
        }
    }

    pub fn from_name(s: &str) -> Option<JoinKind> {
        Some(match s {
            "innerunique" => JoinKind::InnerUnique,
            "inner" => JoinKind::Inner,
            "leftouter" => JoinKind::LeftOuter,
            "rightouter" => JoinKind::RightOuter,
            "fullouter" => JoinKind::FullOuter,
            "leftanti" | "anti" | "leftantisemi" => JoinKind::LeftAnti,
            "rightanti" | "rightantisemi" => JoinKind::RightAnti,
            "leftsemi" => JoinKind::LeftSemi,
            "rightsemi" => JoinKind::RightSemi,
            _ => return None,
        })
    }
}

/// The chart types `render` accepts, with what each draws (the binder checks against this
/// list, the editor offers it).
pub const CHART_KINDS: &[(&str, &str)] = &[
    ("timechart", "lines over a datetime x-axis"),
    ("columnchart", "vertical bars"),
    ("barchart", "horizontal bars"),
    ("piechart", "slices of a whole"),
    ("linechart", "lines over any x-axis"),
    ("areachart", "filled lines"),
    ("stackedareachart", "filled lines stacked on each other"),
    ("scatterchart", "points"),
    ("anomalychart", "a timechart that marks anomalies"),
    ("card", "one big value"),
    ("table", "the result grid"),
];

#[derive(Clone, Debug)]
pub struct SortSpec {
    pub expr: BExpr,
    pub desc: bool,
    pub nulls_first: bool,
}

/// A plan's output columns.
pub type Schema = Arc<Vec<Field>>;

/// A tabular plan node with its output schema.
#[derive(Clone, Debug)]
pub struct Plan {
    pub node: Node,
    pub schema: Schema,
    pub span: Span,
}

/// Results computed once and shared by every reader (`materialize()`, and `let` tables used
/// more than once).
#[derive(Debug, Default)]
pub struct SharedCache {
    pub cell: RefCell<Option<Arc<Table>>>,
}

/// A tabular plan node: one variant per operator, each holding its own struct (so the
/// executor takes the node whole, and code can name a node's type).
#[derive(Clone, Debug)]
pub enum Node {
    /// A stored table (or a constant one from `datatable` / `print`).
    Scan(Arc<Table>),
    Range(Range),
    Filter(Filter),
    Project(Project),
    Aggregate(Aggregate),
    Sort(Sort),
    Top(Top),
    Take(Take),
    Union(Union),
    Join(Join),
    MvExpand(MvExpand),
    Parse(Parse),
    Shared(Shared),
    GetSchema(GetSchema),
    /// The per-row subtable inside an `mv-apply` subquery.
    Implicit,
    MakeSeries(Box<MakeSeries>),
    MvApply(MvApply),
    BagUnpack(BagUnpack),
    Pivot(Pivot),
    TopNested(TopNested),
    ParseKv(ParseKv),
    StepScan(StepScan),
    Partition(Partition),
    Sample(Sample),
    /// `make-graph` and the graph operators after it (see `plan::graph`).
    Graph(Box<graph::GraphPlan>),
}

/// `range x from a to b step s`
#[derive(Clone, Debug)]
pub struct Range {
    pub from: BExpr,
    pub to: BExpr,
    pub step: BExpr,
}

/// `where`: the rows for which `predicate` is true.
#[derive(Clone, Debug)]
pub struct Filter {
    pub input: Box<Plan>,
    pub predicate: BExpr,
}

/// Computes exactly the output columns.
#[derive(Clone, Debug)]
pub struct Project {
    pub input: Box<Plan>,
    pub exprs: Vec<BExpr>,
}

/// Groups by `keys`, computes `aggs`; output = keys then each aggregate's columns.
#[derive(Clone, Debug)]
pub struct Aggregate {
    pub input: Box<Plan>,
    pub keys: Vec<BExpr>,
    pub aggs: Vec<AggCall>,
}

/// `sort by` / `order by`.
#[derive(Clone, Debug)]
pub struct Sort {
    pub input: Box<Plan>,
    pub keys: Vec<SortSpec>,
}

/// `top count by keys`: the first `count` rows in the keys' order.
#[derive(Clone, Debug)]
pub struct Top {
    pub input: Box<Plan>,
    pub count: BExpr,
    pub keys: Vec<SortSpec>,
}

/// `take` / `limit`: the first `count` rows in input order.
#[derive(Clone, Debug)]
pub struct Take {
    pub input: Box<Plan>,
    pub count: BExpr,
}

/// Output columns are the union of the inputs' (by name); `source` adds a column naming
/// the input each row came from.
#[derive(Clone, Debug)]
pub struct Union {
    pub inputs: Vec<Plan>,
    pub source: Option<Vec<String>>,
    /// For each output column after the source column: the name and type of the input
    /// columns it gathers (an input without such a column gives nulls). The output name can
    /// differ (`x_long`, `x_long1` when the inputs disagree on the type of `x`).
    pub columns: Vec<(String, DataType)>,
}

/// `left_keys[i]` matches `right_keys[i]`; the output lists (from_right, column) pairs.
#[derive(Clone, Debug)]
pub struct Join {
    pub left: Box<Plan>,
    pub right: Box<Plan>,
    pub kind: JoinKind,
    pub left_keys: Vec<usize>,
    pub right_keys: Vec<usize>,
    pub output: Vec<(bool, usize)>,
}

/// `mv-expand`: one row per item of the arrays/bags in its input's columns.
#[derive(Clone, Debug)]
pub struct MvExpand {
    pub input: Box<Plan>,
    pub expand: Expansion,
}

/// What `mv-expand` (and `mv-apply`, for each row's subtable) expands: the dynamic
/// arrays/bags in `columns` (replaced in place, converted to the given type), at most `limit`
/// items per row; `index` appends an item-index column; `bag_as_array` turns a bag's
/// properties into `[key, value]` arrays instead of one-property bags.
#[derive(Clone, Debug)]
pub struct Expansion {
    pub columns: Vec<(usize, DataType)>,
    pub limit: Option<u64>,
    pub index: bool,
    pub bag_as_array: bool,
}

/// `parse`: extracts columns from a string by a pattern.
#[derive(Clone, Debug)]
pub struct Parse {
    pub input: Box<Plan>,
    pub source: BExpr,
    pub pattern: parse_op::ParsePattern,
    pub drop_failed: bool,
}

/// A subplan whose result is computed once and shared. The plan itself is shared too, so
/// a `let` table used twice in the next `let`, and so on, stays linear in size.
#[derive(Clone, Debug)]
pub struct Shared {
    pub input: Rc<Plan>,
    pub cache: Rc<SharedCache>,
}

/// `getschema`
#[derive(Clone, Debug)]
pub struct GetSchema {
    pub input: Box<Plan>,
}

/// `mv-apply`: `input` has the expanded expressions as columns `expand.columns`; for each
/// row the subtable (those columns, expanded, plus an optional item index) is fed to `sub`;
/// the output is the row's `keep` columns followed by the subquery's columns.
#[derive(Clone, Debug)]
pub struct MvApply {
    pub input: Box<Plan>,
    pub expand: Expansion,
    pub keep: Vec<usize>,
    pub sub: Box<Plan>,
    pub sub_schema: Schema,
}

/// `scan`: the steps see one row of `width * (1 + steps.len())` values: the record (its
/// input columns, then the declared columns at their defaults), then for each step j the
/// state's record of step j (nulls and defaults when the state has none). The output is the
/// input columns, the declared columns, and the match id when `match_id`.
#[derive(Clone, Debug)]
pub struct StepScan {
    pub input: Box<Plan>,
    /// The declared columns' defaults (null when none is given).
    pub defaults: Vec<Value>,
    pub steps: Vec<ScanStepPlan>,
    pub match_id: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanOutput {
    All,
    Last,
    None,
}

#[derive(Clone, Debug)]
pub struct ScanStepPlan {
    pub name: String,
    pub output: ScanOutput,
    pub condition: BExpr,
    /// (declared column index, value)
    pub assign: Vec<(usize, BExpr)>,
}

/// `partition by key (sub)`: `sub` runs on the rows of each value of `key` (its implicit
/// input); the results are appended in the order the values first appear.
#[derive(Clone, Debug)]
pub struct Partition {
    pub input: Box<Plan>,
    pub key: usize,
    pub sub: Box<Plan>,
}

/// `sample N` (all columns) or `sample-distinct N of c` (`distinct = Some(c)`, one column):
/// rows or values picked by a fixed pseudo-random order, so a query gives the same sample on
/// every run.
#[derive(Clone, Debug)]
pub struct Sample {
    pub input: Box<Plan>,
    pub count: BExpr,
    pub distinct: Option<usize>,
}

/// `evaluate bag_unpack(...)`: `keep` input columns, then one column per bag key.
#[derive(Clone, Debug)]
pub struct BagUnpack {
    pub input: Box<Plan>,
    pub column: usize,
    pub keep: Vec<usize>,
    pub keys: Vec<(String, DataType)>,
    /// The output's columns as indexes into (kept columns ++ unpacked keys); empty when that
    /// is the order. `columnsConflict='replace_source'` puts a key's column where the input
    /// column it replaces was.
    pub order: Vec<usize>,
}

/// `evaluate pivot(...)`: group by `keys`, one column per pivot value with `agg` of its rows.
#[derive(Clone, Debug)]
pub struct Pivot {
    pub input: Box<Plan>,
    pub keys: Vec<usize>,
    pub pivot: usize,
    pub values: Vec<Value>,
    pub agg: AggCall,
}

/// `top-nested`: each level groups by its key within the previous level's chosen groups.
#[derive(Clone, Debug)]
pub struct TopNested {
    pub input: Box<Plan>,
    pub levels: Vec<TopNestedLevel>,
}

/// `parse-kv`: extracts the listed keys from key/value text.
#[derive(Clone, Debug)]
pub struct ParseKv {
    pub input: Box<Plan>,
    pub source: BExpr,
    pub keys: Vec<(String, DataType)>,
    pub options: ParseKvOptions,
}

/// One bound level of `top-nested`.
#[derive(Clone, Debug)]
pub struct TopNestedLevel {
    pub key: BExpr,
    pub agg: AggCall,
    pub count: Option<u64>,
    pub desc: bool,
    pub others: Option<Value>,
}

/// How `parse-kv` splits its text.
#[derive(Clone, Debug, Default)]
pub struct ParseKvOptions {
    pub pair_delimiter: Option<String>,
    pub kv_delimiter: Option<String>,
    pub quote: Vec<char>,
    pub escape: Option<char>,
    pub greedy: bool,
    /// `with (regex = ...)`: each match's group 1 is a key and group 2 its value.
    pub regex: Option<String>,
}

/// `make-series`: one row per group with each aggregate as an array over the axis bins,
/// then the axis itself as an array.
#[derive(Clone, Debug)]
pub struct MakeSeries {
    pub input: Plan,
    pub keys: Vec<BExpr>,
    pub axis: BExpr,
    pub from: Option<BExpr>,
    pub to: Option<BExpr>,
    pub step: BExpr,
    pub aggs: Vec<AggCall>,
    /// The value of empty bins for each aggregate.
    pub defaults: Vec<Value>,
    /// `kind=nonempty`: an empty input still gives one row of default series.
    pub nonempty: bool,
}

impl Plan {
    pub fn input(&self) -> Option<&Plan> {
        match &self.node {
            Node::Scan(_) | Node::Range(Range { .. }) => None,
            Node::Filter(Filter { input, .. })
            | Node::Project(Project { input, .. })
            | Node::Aggregate(Aggregate { input, .. })
            | Node::Sort(Sort { input, .. })
            | Node::Top(Top { input, .. })
            | Node::Take(Take { input, .. })
            | Node::MvExpand(MvExpand { input, .. })
            | Node::Parse(Parse { input, .. })
            | Node::GetSchema(GetSchema { input })
            | Node::MvApply(MvApply { input, .. })
            | Node::BagUnpack(BagUnpack { input, .. })
            | Node::Pivot(Pivot { input, .. })
            | Node::TopNested(TopNested { input, .. })
            | Node::ParseKv(ParseKv { input, .. })
            | Node::StepScan(StepScan { input, .. })
            | Node::Partition(Partition { input, .. })
            | Node::Sample(Sample { input, .. }) => Some(input),
            Node::MakeSeries(m) => Some(&m.input),
            Node::Graph(g) => Some(&g.edges),
            Node::Shared(Shared { input, .. }) => Some(input),
            Node::Union(Union { .. }) | Node::Join(Join { .. }) | Node::Implicit => None,
        }
    }

    /// An indented tree of the plan, one node per line (EXPLAIN).
    pub fn display_indent(&self) -> String {
        let mut out = String::new();
        self.write_indent(&mut out, 0).ok();
        out
    }

    fn write_indent(&self, out: &mut String, depth: usize) -> fmt::Result {
        let pad = "  ".repeat(depth);
        let cols: Vec<String> = self.schema.iter().map(|f| format!("{}:{}", f.name, f.ty)).collect();
        let label = match &self.node {
            Node::Scan(t) => format!("Scan rows={}", t.len()),
            Node::Range(Range { .. }) => "Range".to_string(),
            Node::Filter(Filter { predicate, .. }) => format!("Filter {}", predicate.describe()),
            Node::Project(Project { exprs, .. }) => format!("Project {}", exprs.iter().map(|e| e.describe()).collect::<Vec<_>>().join(", ")),
            Node::Aggregate(Aggregate { keys, aggs, .. }) => format!(
                "Aggregate keys=[{}] aggs=[{}]",
                keys.iter().map(|e| e.describe()).collect::<Vec<_>>().join(", "),
                aggs.iter()
                    .map(|a| format!("{}({})", a.func.name(), a.args.iter().map(|e| e.describe()).collect::<Vec<_>>().join(", ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Node::Sort(Sort { keys, .. }) => format!("Sort {}", sort_desc(keys)),
            Node::Top(Top { keys, count, .. }) => format!("Top {} by {}", count.describe(), sort_desc(keys)),
            Node::Take(Take { count, .. }) => format!("Take {}", count.describe()),
            Node::Union(Union { inputs, .. }) => format!("Union inputs={}", inputs.len()),
            Node::Join(Join { kind, left_keys, right_keys, .. }) => format!("Join kind={} left={left_keys:?} right={right_keys:?}", kind.name()),
            Node::MvExpand(MvExpand { expand, .. }) => format!("MvExpand {:?}", expand.columns),
            Node::Parse(Parse { .. }) => "Parse".to_string(),
            Node::Shared(Shared { .. }) => "Shared".to_string(),
            Node::GetSchema(GetSchema { .. }) => "GetSchema".to_string(),
            Node::Implicit => "Implicit".to_string(),
            Node::MakeSeries(m) => format!("MakeSeries keys={} aggs={}", m.keys.len(), m.aggs.len()),
            Node::MvApply(MvApply { expand, .. }) => format!("MvApply {:?}", expand.columns),
            Node::BagUnpack(BagUnpack { keys, .. }) => format!("BagUnpack keys={}", keys.len()),
            Node::Pivot(Pivot { values, .. }) => format!("Pivot values={}", values.len()),
            Node::TopNested(TopNested { levels, .. }) => format!("TopNested levels={}", levels.len()),
            Node::ParseKv(ParseKv { keys, .. }) => format!("ParseKv keys={}", keys.len()),
            Node::StepScan(StepScan { steps, .. }) => format!("Scan steps={}", steps.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(",")),
            Node::Partition(Partition { key, .. }) => format!("Partition key={key}"),
            Node::Graph(g) => g.describe(),
            Node::Sample(Sample { count, distinct, .. }) => match distinct {
                Some(c) => format!("SampleDistinct {} of {c}", count.describe()),
                None => format!("Sample {}", count.describe()),
            },
        };
        writeln!(out, "{pad}{label} -> ({})", cols.join(", "))?;
        for c in self.children() {
            c.write_indent(out, depth + 1)?;
        }
        Ok(())
    }
}

fn sort_desc(keys: &[SortSpec]) -> String {
    keys.iter()
        .map(|k| format!("{} {}{}", k.expr.describe(), if k.desc { "desc" } else { "asc" }, if k.nulls_first { " nulls first" } else { "" }))
        .collect::<Vec<_>>()
        .join(", ")
}

impl BExpr {
    /// A compact description for plan printing.
    pub fn describe(&self) -> String {
        match &self.kind {
            BKind::Column(i) => format!("#{i}"),
            BKind::Const(v) => match v {
                Value::String(s) => format!("{s:?}"),
                Value::Null => "null".into(),
                v => v.to_display(),
            },
            BKind::Arith(op, a, b) => format!("({} {:?} {})", a.describe(), op, b.describe()),
            BKind::Cmp(op, a, b) => format!("({} {:?} {})", a.describe(), op, b.describe()),
            BKind::And(a, b) => format!("({} and {})", a.describe(), b.describe()),
            BKind::Or(a, b) => format!("({} or {})", a.describe(), b.describe()),
            BKind::Not(a) => format!("not({})", a.describe()),
            BKind::Neg(a) => format!("-{}", a.describe()),
            BKind::Str { op, negated, left, right } => {
                format!("({} {}{} {})", left.describe(), if *negated { "!" } else { "" }, op.word(), right.describe())
            }
            BKind::InList { op, value, .. } => format!("({} {} (...))", value.describe(), op.word()),
            BKind::Between { value, low, high, negated } => {
                format!("({} {}between {} .. {})", value.describe(), if *negated { "!" } else { "" }, low.describe(), high.describe())
            }
            BKind::Call(f, args) => format!("{}({})", f.name(), args.iter().map(|a| a.describe()).collect::<Vec<_>>().join(", ")),
            BKind::Cast(a) => format!("to{}({})", self.ty, a.describe()),
            BKind::Member(a, k) => format!("{}.{k}", a.describe()),
            BKind::Index(a, i) => format!("{}[{}]", a.describe(), i.describe()),
            BKind::Subquery(_) => "toscalar(...)".into(),
            BKind::RowNumber(_) => "row_number()".into(),
            BKind::Shift { value, offset, .. } => format!("shift({}, {offset})", value.describe()),
        }
    }
}
