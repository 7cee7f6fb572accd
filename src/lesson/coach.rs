//! The hunting-craft coach: after a right answer, tips on how an experienced hunter would
//! write the same query (faster, safer, closer to what Defender allows). Tips never change a
//! verdict. Each rule is one row of [`RULES`]: an id (instructors switch a rule off per step
//! with `coach_off = ["id"]`), a one-line why, a link to Microsoft's documentation, and a
//! detector that reads the query's syntax tree.
//!
//! Detectors look only at the text the learner wrote, never at data, so a tip is the same on
//! every dataset. They aim to be quiet: a tip fires only when the pattern is unambiguous
//! (`sort by … | take n`, `tolower(x) == "…"`), because a coach that nags is ignored.

use crate::diag::Span;
use crate::syntax::ast::*;
use crate::syntax::visit::{walk_expr, walk_script, Node};

/// One coaching rule.
pub struct Rule {
    /// Stable id, used in lesson files (`coach_off`) and tests.
    pub id: &'static str,
    /// Why a hunter writes it the other way, in one line.
    pub why: &'static str,
    /// Microsoft's page on the subject.
    pub docs: &'static str,
    detect: fn(&Ctx) -> Vec<Finding>,
}

/// What every detector reads: the tree, the text, and the names `let` binds (a name that is
/// not a `let` is taken to be a table).
struct Ctx<'a> {
    script: &'a Script,
    src: &'a str,
    lets: Vec<&'a str>,
}

impl Ctx<'_> {
    fn is_table_source(&self, e: &Expr) -> bool {
        matches!(&strip(e).kind, ExprKind::Name(id) if !self.lets.contains(&id.name.as_str()))
    }
}

/// What a detector found: where, and the tip's text for this query.
struct Finding {
    span: Span,
    message: String,
}

/// A tip for the learner.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tip {
    pub rule: String,
    /// What to write instead, naming the learner's own text.
    pub message: String,
    pub why: String,
    pub docs: String,
    /// The part of the query the tip is about (byte offsets).
    pub start: u32,
    pub end: u32,
}

/// Every rule, in the order tips are shown.
pub static RULES: &[Rule] = &[
    Rule {
        id: "time-filter-first",
        why: "Filtering on time first lets the engine skip whole blocks of data before it reads any other column.",
        docs: "https://learn.microsoft.com/defender-xdr/advanced-hunting-best-practices",
        detect: time_filter_first,
    },
    Rule {
        id: "has-not-contains",
        why: "`has` looks a whole term up in the term index; `contains` has to scan every character of every value.",
        docs: "https://learn.microsoft.com/kusto/query/has-operator",
        detect: has_not_contains,
    },
    Rule {
        id: "case-insensitive-operator",
        why: "Lower-casing every value costs a pass over the column; the `~` operators compare without case for free, and the string operators ignore case already.",
        docs: "https://learn.microsoft.com/kusto/query/best-practices",
        detect: case_insensitive_operator,
    },
    Rule {
        id: "in-list",
        why: "One `in`/`has_any` list is easier to read and extend than a chain of `or`, and the engine checks it in one pass.",
        docs: "https://learn.microsoft.com/kusto/query/in-operator",
        detect: in_list,
    },
    Rule {
        id: "top-not-sort-take",
        why: "`top` keeps only the best n rows while it reads; `sort` orders every row before `take` throws most of them away.",
        docs: "https://learn.microsoft.com/kusto/query/top-operator",
        detect: top_not_sort_take,
    },
    Rule {
        id: "join-time-window",
        why: "Without a time bound, a join pairs events that are days apart and reads both tables in full; hunters bound both sides in time.",
        docs: "https://learn.microsoft.com/kusto/query/join-time-window",
        detect: join_time_window,
    },
    Rule {
        id: "project-before-join",
        why: "A join carries every column of both sides; projecting the right side to the key and the columns you use makes the join smaller.",
        docs: "https://learn.microsoft.com/defender-xdr/advanced-hunting-best-practices",
        detect: project_before_join,
    },
    Rule {
        id: "summarize-before-join",
        why: "When the result is only a count per key, summarizing each side first joins a few rows per key instead of every event.",
        docs: "https://learn.microsoft.com/kusto/query/best-practices",
        detect: summarize_before_join,
    },
    Rule {
        id: "retention-30-days",
        why: "Advanced hunting keeps 30 days of data: a longer look-back returns the same rows as 30 days and suggests history that is not there.",
        docs: "https://learn.microsoft.com/defender-xdr/advanced-hunting-limits",
        detect: retention_30_days,
    },
    Rule {
        id: "row-limit",
        why: "Defender returns at most 100,000 rows (and shows 10,000): a query with no filter and no summary on a real tenant is cut off silently.",
        docs: "https://learn.microsoft.com/defender-xdr/advanced-hunting-limits",
        detect: row_limit,
    },
];

/// The rules' ids, in [`RULES`]' order. The lesson reader checks a step's `coach_off` against
/// this list rather than [`RULES`], so the page's module, which reads lessons but leaves the
/// coaching to the query worker, does not link the rules (a test keeps the two in step).
pub const RULE_IDS: &[&str] = &[
    "time-filter-first",
    "has-not-contains",
    "case-insensitive-operator",
    "in-list",
    "top-not-sort-take",
    "join-time-window",
    "project-before-join",
    "summarize-before-join",
    "retention-30-days",
    "row-limit",
];

/// Is `id` a rule's id? (For checking a step's `coach_off`.)
pub fn is_rule(id: &str) -> bool {
    RULE_IDS.contains(&id)
}

/// The tips for `query`, without the rules in `off`. A query that does not parse gets none.
pub fn coach(query: &str, off: &[String]) -> Vec<Tip> {
    let (script, diags) = crate::syntax::parse(query);
    let Some(script) = script.filter(|_| diags.is_empty()) else { return Vec::new() };
    let mut lets = Vec::new();
    collect_lets(&script.statements, &mut lets);
    let ctx = Ctx { script: &script, src: query, lets };
    let mut tips = Vec::new();
    for rule in RULES.iter().filter(|r| !off.iter().any(|o| o == r.id)) {
        for f in (rule.detect)(&ctx) {
            tips.push(Tip {
                rule: rule.id.to_string(),
                message: f.message,
                why: rule.why.to_string(),
                docs: rule.docs.to_string(),
                start: f.span.start,
                end: f.span.end,
            });
        }
    }
    tips
}

// ---- helpers ----

fn collect_lets<'a>(stmts: &'a [Statement], out: &mut Vec<&'a str>) {
    for s in stmts {
        if let Statement::Let(l) = s {
            out.push(&l.name.name);
            match &l.value {
                LetValue::Function(f) => {
                    for p in &f.params {
                        out.push(&p.name.name);
                    }
                    collect_lets(&f.body, out);
                }
                LetValue::Expr(_) => {}
            }
        }
    }
}

fn text(src: &str, span: Span) -> &str {
    src.get(span.start as usize..span.end as usize).unwrap_or("").trim()
}

/// `e` without parentheses.
fn strip(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Paren(inner) => strip(inner),
        _ => e,
    }
}

fn string_literal(e: &Expr) -> Option<&str> {
    match &strip(e).kind {
        ExprKind::Literal(Literal::String(s)) => Some(s),
        _ => None,
    }
}

fn call<'a>(e: &'a Expr, names: &[&str]) -> Option<&'a [Expr]> {
    match &strip(e).kind {
        ExprKind::Call { name, args } if names.contains(&name.name.as_str()) => Some(args),
        _ => None,
    }
}

/// The operators of every maximal pipeline (`T | a | b` gives `[a, b]` with source `T`),
/// including pipelines nested in joins, `let` values and subqueries.
fn pipelines(script: &Script) -> Vec<(&Expr, Vec<&Operator>)> {
    let mut inner: Vec<*const Expr> = Vec::new();
    let mut all: Vec<&Expr> = Vec::new();
    walk_script(script, &mut |n| {
        if let Node::Expr(e) = n {
            if let ExprKind::Pipe { input, .. } = &e.kind {
                all.push(e);
                if matches!(input.kind, ExprKind::Pipe { .. }) {
                    inner.push(&**input as *const Expr);
                }
            }
        }
    });
    all.into_iter()
        .filter(|e| !inner.contains(&(*e as *const Expr)))
        .map(|top| {
            let mut ops = Vec::new();
            let mut cur = top;
            while let ExprKind::Pipe { input, op } = &cur.kind {
                ops.push(&**op);
                cur = input;
            }
            ops.reverse();
            (cur, ops)
        })
        .collect()
}

/// Does `e` mention time: a column named like `Timestamp`/`TimeGenerated`/`…Time`, `ago()`,
/// `now()`, or a datetime literal?
fn mentions_time(e: &Expr) -> bool {
    let mut found = false;
    walk_expr(e, &mut |n| {
        if let Node::Expr(x) = n {
            match &x.kind {
                ExprKind::Name(id) if is_time_name(&id.name) => found = true,
                ExprKind::Call { name, .. } if matches!(name.name.as_str(), "ago" | "now" | "datetime") => found = true,
                ExprKind::Literal(Literal::DateTime(_)) => found = true,
                _ => {}
            }
        }
    });
    found
}

fn is_time_name(n: &str) -> bool {
    n == "Timestamp" || n == "TimeGenerated" || n.ends_with("Time") || n.ends_with("Timestamp")
}

/// Does any `where` of the pipeline under `e` (its own operators, not a join's other side)
/// filter on time?
fn pipeline_filters_time(e: &Expr) -> bool {
    let mut cur = strip(e);
    loop {
        match &cur.kind {
            ExprKind::Pipe { input, op } => {
                if let OperatorKind::Where(p) = &op.kind {
                    if mentions_time(p) {
                        return true;
                    }
                }
                cur = strip(input);
            }
            _ => return false,
        }
    }
}

// ---- the rules ----

/// `T | where Url has "x" | where Timestamp > ago(1d)`: the time filter is not the first
/// filter of a pipeline that reads a table.
fn time_filter_first(ctx: &Ctx) -> Vec<Finding> {
    let script = ctx.script;
    let mut out = Vec::new();
    for (source, ops) in pipelines(script) {
        if !ctx.is_table_source(source) {
            continue;
        }
        let Some(first) = ops.first() else { continue };
        if let OperatorKind::Where(p) = &first.kind {
            if mentions_time(p) {
                continue;
            }
        }
        let later = ops.iter().skip(1).find(|op| matches!(&op.kind, OperatorKind::Where(p) if mentions_time(p)));
        if let Some(op) = later {
            out.push(Finding {
                span: op.span,
                message: "Move the time filter up to be the first `where` after the table name (or put it first in one `where … and …`).".into(),
            });
        }
    }
    out
}

/// A term made of letters and digits only (what `has` can find as a whole term).
fn is_term(s: &str) -> bool {
    s.len() >= 3 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `Url contains "login"` where the value is a whole term: `has` is the hunter's choice.
fn has_not_contains(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    walk_script(script, &mut |n| {
        if let Node::Expr(e) = n {
            if let ExprKind::Binary { op: BinaryOp::Str(sop @ (StrOp::Contains | StrOp::ContainsCs), neg), left, right } = &e.kind {
                if let Some(lit) = string_literal(right).filter(|s| is_term(s)) {
                    let better = match (sop, neg) {
                        (StrOp::Contains, false) => "has",
                        (StrOp::Contains, true) => "!has",
                        (_, false) => "has_cs",
                        (_, true) => "!has_cs",
                    };
                    out.push(Finding {
                        span: e.span,
                        message: format!(
                            "If you mean the whole word \"{lit}\" (not part of a longer word), write `{} {better} \"{lit}\"`.",
                            text(src, left.span)
                        ),
                    });
                }
            }
        }
    });
    out
}

/// `tolower(x) == "a"` → `x =~ "a"`; `tolower(x) in (…)` → `x in~ (…)`; `tolower(x) has "a"`
/// → `x has "a"` (the string operators ignore case already).
fn case_insensitive_operator(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    walk_script(script, &mut |n| {
        let Node::Expr(e) = n else { return };
        let (lowered, instead): (&Expr, String) = match &e.kind {
            ExprKind::Binary { op, left, .. } => {
                let Some(args) = call(left, &["tolower", "toupper"]) else { return };
                let Some(arg) = args.first() else { return };
                let instead = match op {
                    BinaryOp::Eq => "=~".to_string(),
                    BinaryOp::Ne => "!~".to_string(),
                    BinaryOp::Str(s, neg) if !s.case_sensitive() => format!("{}{} (it ignores case already)", if *neg { "!" } else { "" }, s.word()),
                    _ => return,
                };
                (arg, instead)
            }
            ExprKind::InList { value, op, .. } => {
                let Some(args) = call(value, &["tolower", "toupper"]) else { return };
                let Some(arg) = args.first() else { return };
                let instead = match op {
                    ListOp::In => "in~",
                    ListOp::NotIn => "!in~",
                    ListOp::HasAny => "has_any (it ignores case already)",
                    ListOp::HasAll => "has_all (it ignores case already)",
                    _ => return,
                };
                (arg, instead.to_string())
            }
            _ => return,
        };
        out.push(Finding {
            span: e.span,
            message: format!("Compare `{}` directly with `{instead}` instead of changing its case first.", text(src, lowered.span)),
        });
    });
    out
}

/// `x == "a" or x == "b" or x == "c"` → `x in ("a", "b", "c")`; the same with `=~` (`in~`)
/// and `has` (`has_any`).
fn in_list(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    walk_script(script, &mut |n| {
        let Node::Expr(e) = n else { return };
        let ExprKind::Chain { op: BinaryOp::Or, operands } = &e.kind else { return };
        if operands.len() < 3 {
            return;
        }
        let mut shape: Option<(BinaryOp, String)> = None;
        for o in operands {
            let ExprKind::Binary { op, left, right } = &strip(o).kind else { return };
            if !matches!(op, BinaryOp::Eq | BinaryOp::EqCi | BinaryOp::Str(StrOp::Has, false)) || string_literal(right).is_none() {
                return;
            }
            let col = text(src, left.span).to_string();
            match &shape {
                None => shape = Some((*op, col)),
                Some((o2, c2)) if o2 == op && *c2 == col => {}
                _ => return,
            }
        }
        let Some((op, col)) = shape else { return };
        let list = match op {
            BinaryOp::Eq => "in",
            BinaryOp::EqCi => "in~",
            _ => "has_any",
        };
        out.push(Finding { span: e.span, message: format!("Write the {} values as one list: `{col} {list} (…)`.", operands.len()) });
    });
    out
}

/// `sort by x | take n` → `top n by x`.
fn top_not_sort_take(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    for (_, ops) in pipelines(script) {
        for pair in ops.windows(2) {
            if let (OperatorKind::Sort(keys), OperatorKind::Take(n)) = (&pair[0].kind, &pair[1].kind) {
                let by: Vec<&str> = keys.iter().map(|k| text(src, k.span)).collect();
                out.push(Finding {
                    span: pair[0].span.to(pair[1].span),
                    message: format!("`top {} by {}` does the sort and the take in one step.", text(src, n.span), by.join(", ")),
                });
            }
        }
    }
    out
}

/// Each join or lookup of the script with its left input.
fn joins(script: &Script) -> Vec<(&Expr, &Operator, &Expr)> {
    let mut out = Vec::new();
    walk_script(script, &mut |n| {
        if let Node::Expr(e) = n {
            if let ExprKind::Pipe { input, op } = &e.kind {
                if let OperatorKind::Join { right, .. } = &op.kind {
                    out.push((&**input, &**op, right));
                }
            }
        }
    });
    out
}

/// A join of two tables where neither side is bounded in time (and the join condition does
/// not compare times either).
fn join_time_window(ctx: &Ctx) -> Vec<Finding> {
    let script = ctx.script;
    let mut out = Vec::new();
    for (left, op, right) in joins(script) {
        let OperatorKind::Join { on, .. } = &op.kind else { continue };
        let reads_table = |e: &Expr| {
            let mut cur = strip(e);
            while let ExprKind::Pipe { input, .. } = &cur.kind {
                cur = strip(input);
            }
            ctx.is_table_source(cur)
        };
        if !(reads_table(left) && reads_table(right)) {
            continue;
        }
        if pipeline_filters_time(left) || pipeline_filters_time(right) || on.iter().any(mentions_time) {
            continue;
        }
        out.push(Finding {
            span: op.span,
            message: "Bound the join in time: a `where Timestamp > ago(…)` on each side, or a time-window condition on the joined rows.".into(),
        });
    }
    out
}

/// `| join (Table) on Key` with the whole right table: project it first.
fn project_before_join(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    for (_, _, right) in joins(script) {
        let mut cur = strip(right);
        let mut narrowed = false;
        while let ExprKind::Pipe { input, op } = &cur.kind {
            if matches!(
                op.kind,
                OperatorKind::Project(_)
                    | OperatorKind::ProjectKeep(_)
                    | OperatorKind::ProjectAway(_)
                    | OperatorKind::Summarize { .. }
                    | OperatorKind::Distinct(_)
                    | OperatorKind::Count(_)
                    | OperatorKind::Top { .. }
                    | OperatorKind::TopNested(_)
                    | OperatorKind::MakeSeries(_)
            ) {
                narrowed = true;
            }
            cur = strip(input);
        }
        if !narrowed && ctx.is_table_source(cur) {
            out.push(Finding {
                span: right.span,
                message: format!("End the right side `{}` with a `project` of the key and the columns you need.", text(src, right.span)),
            });
        }
    }
    out
}

/// The plain column names a join condition uses (`on DeviceId`, `on $left.A == $right.B`).
fn join_keys(on: &[Expr]) -> Vec<String> {
    let mut keys = Vec::new();
    for c in on {
        walk_expr(c, &mut |n| {
            if let Node::Expr(e) = n {
                match &e.kind {
                    ExprKind::Name(id) => keys.push(id.name.clone()),
                    ExprKind::JoinSide { column, side: JoinSide::Left } => keys.push(column.name.clone()),
                    _ => {}
                }
            }
        });
    }
    keys
}

/// `A | join B on K | summarize count() by K`: the join only feeds a count per key.
fn summarize_before_join(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    let mut out = Vec::new();
    for (_, ops) in pipelines(script) {
        for (i, op) in ops.iter().enumerate() {
            let OperatorKind::Join { right, on, .. } = &op.kind else { continue };
            let right_summarized = {
                let mut cur = strip(right);
                let mut s = false;
                while let ExprKind::Pipe { input, op } = &cur.kind {
                    s |= matches!(op.kind, OperatorKind::Summarize { .. } | OperatorKind::Distinct(_) | OperatorKind::Count(_));
                    cur = strip(input);
                }
                s
            };
            if right_summarized {
                continue;
            }
            let keys = join_keys(on);
            let next = ops[i + 1..].iter().find(|o| !matches!(o.kind, OperatorKind::Where(_)));
            let Some(Operator { kind: OperatorKind::Summarize { aggregates, by, .. }, span }) = next else { continue };
            let counts_only = aggregates.iter().all(|a| call(&a.expr, &["count", "dcount", "countif", "sum"]).is_some());
            let by_key = !by.is_empty() && by.iter().all(|b| matches!(&strip(&b.expr).kind, ExprKind::Name(id) if keys.contains(&id.name)));
            if counts_only && by_key {
                out.push(Finding {
                    span: *span,
                    message: format!(
                        "The join only feeds `{}`: summarize each side by the key before joining, then join the small results.",
                        text(src, *span).trim_start_matches('|').trim()
                    ),
                });
            }
        }
    }
    out
}

/// `ago(90d)`: more than the 30 days advanced hunting keeps.
fn retention_30_days(ctx: &Ctx) -> Vec<Finding> {
    let (script, src) = (ctx.script, ctx.src);
    const DAY: i64 = 86_400 * 10_000_000;
    let mut out = Vec::new();
    walk_script(script, &mut |n| {
        let Node::Expr(e) = n else { return };
        let Some(args) = call(e, &["ago"]) else { return };
        if let Some(ExprKind::Literal(Literal::TimeSpan(t))) = args.first().map(|a| &strip(a).kind) {
            if *t > 30 * DAY {
                out.push(Finding {
                    span: e.span,
                    message: format!("`{}` reaches further back than advanced hunting keeps data: use at most `ago(30d)`.", text(src, e.span)),
                });
            }
        }
    });
    out
}

/// The query's result pipeline reads a table with no filter and nothing that bounds the rows.
fn row_limit(ctx: &Ctx) -> Vec<Finding> {
    let script = ctx.script;
    let Some(Statement::Query(q)) = script.statements.iter().rev().find(|s| matches!(s, Statement::Query(_))) else { return Vec::new() };
    let mut cur = strip(q);
    let mut ops = Vec::new();
    while let ExprKind::Pipe { input, op } = &cur.kind {
        ops.push(&**op);
        cur = strip(input);
    }
    if !ctx.is_table_source(cur) {
        return Vec::new();
    }
    let bounded = ops.iter().any(|op| {
        !matches!(
            op.kind,
            OperatorKind::Project(_)
                | OperatorKind::ProjectAway(_)
                | OperatorKind::ProjectKeep(_)
                | OperatorKind::ProjectRename(_)
                | OperatorKind::ProjectReorder(_)
                | OperatorKind::Extend(_)
                | OperatorKind::Sort(_)
                | OperatorKind::Serialize(_)
                | OperatorKind::As(_)
                | OperatorKind::Render { .. }
        )
    });
    if bounded {
        return Vec::new();
    }
    vec![Finding {
        span: q.span,
        message: "This returns every row of the table: add a `where`, a `summarize` or a `take` before running it on a real tenant.".into(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(q: &str) -> Vec<String> {
        coach(q, &[]).into_iter().map(|t| t.rule).collect()
    }

    fn fires(rule: &str, q: &str) -> Tip {
        let tips = coach(q, &[]);
        tips.iter().find(|t| t.rule == rule).cloned().unwrap_or_else(|| panic!("{rule} did not fire on {q}: {tips:?}"))
    }

    fn quiet(rule: &str, q: &str) {
        let tips = coach(q, &[]);
        assert!(!tips.iter().any(|t| t.rule == rule), "{rule} fired on {q}: {tips:?}");
    }

    #[test]
    fn every_rule_has_why_docs_and_a_unique_id() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(r.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert!(r.why.len() > 20 && r.why.ends_with('.'), "{}", r.id);
            assert!(r.docs.starts_with("https://learn.microsoft.com/"), "{}", r.id);
        }
        assert!(is_rule("row-limit") && !is_rule("nope"));
    }

    #[test]
    fn time_filter_first() {
        let t = fires("time-filter-first", "UrlClickEvents | where Url has \"x\" | where Timestamp > ago(1d)");
        assert!(t.message.contains("first `where`"));
        assert_eq!(&"UrlClickEvents | where Url has \"x\" | where Timestamp > ago(1d)"[t.start as usize..t.end as usize], "where Timestamp > ago(1d)");
        quiet("time-filter-first", "UrlClickEvents | where Timestamp > ago(1d) | where Url has \"x\"");
        quiet("time-filter-first", "UrlClickEvents | where Url has \"x\" and Timestamp > ago(1d)");
        quiet("time-filter-first", "UrlClickEvents | where Url has \"x\"");
    }

    #[test]
    fn has_not_contains() {
        let t = fires("has-not-contains", "UrlClickEvents | where Url contains \"login\"");
        assert!(t.message.contains("`Url has \"login\"`"), "{}", t.message);
        assert!(fires("has-not-contains", "T | where Url !contains_cs \"Login\"").message.contains("!has_cs"));
        // Part of a word, or punctuation: contains is the right tool.
        quiet("has-not-contains", "UrlClickEvents | where Url contains \"log\\.\"");
        quiet("has-not-contains", "UrlClickEvents | where Url contains \"/in\"");
        quiet("has-not-contains", "UrlClickEvents | where Url has \"login\"");
    }

    #[test]
    fn case_insensitive_operator() {
        assert!(fires("case-insensitive-operator", "T | where tolower(AccountUpn) == \"emma@contoso.com\"")
            .message
            .contains("`AccountUpn` directly with `=~`"));
        assert!(fires("case-insensitive-operator", "T | where toupper(A) in (\"X\", \"Y\")").message.contains("in~"));
        assert!(fires("case-insensitive-operator", "T | where tolower(Url) contains \"x\"").message.contains("ignores case"));
        quiet("case-insensitive-operator", "T | where AccountUpn =~ \"emma@contoso.com\"");
        quiet("case-insensitive-operator", "T | where tolower(Url) contains_cs \"x\"");
    }

    #[test]
    fn in_list() {
        assert!(fires("in-list", "T | where A == \"x\" or A == \"y\" or A == \"z\"").message.contains("`A in (…)`"));
        assert!(fires("in-list", "T | where A =~ \"x\" or A =~ \"y\" or A =~ \"z\"").message.contains("in~"));
        assert!(fires("in-list", "T | where Url has \"x\" or Url has \"y\" or Url has \"z\"").message.contains("has_any"));
        quiet("in-list", "T | where A == \"x\" or A == \"y\"");
        quiet("in-list", "T | where A == \"x\" or B == \"y\" or A == \"z\"");
    }

    #[test]
    fn top_not_sort_take() {
        let t = fires("top-not-sort-take", "T | sort by Clicks desc | take 5");
        assert_eq!(t.message, "`top 5 by Clicks desc` does the sort and the take in one step.");
        quiet("top-not-sort-take", "T | top 5 by Clicks desc");
        quiet("top-not-sort-take", "T | sort by Clicks desc | project A | take 5");
    }

    #[test]
    fn join_time_window() {
        fires("join-time-window", "A | join (B | project K) on K");
        quiet("join-time-window", "A | where Timestamp > ago(1d) | join (B | project K) on K");
        quiet("join-time-window", "A | join (B | where Timestamp > ago(1d)) on K");
        quiet("join-time-window", "let x = datatable(K: long)[1]; x | join (x) on K");
    }

    #[test]
    fn project_before_join() {
        assert!(fires("project-before-join", "A | join kind=inner (B) on K").message.contains("`(B)`"));
        fires("project-before-join", "A | join kind=inner (B | where X == 1) on K");
        quiet("project-before-join", "A | join kind=inner (B | project K, X) on K");
        quiet("project-before-join", "A | join kind=inner (B | summarize count() by K) on K");
    }

    #[test]
    fn summarize_before_join() {
        fires("summarize-before-join", "A | join kind=inner (B | project K) on K | summarize count() by K");
        quiet("summarize-before-join", "A | join kind=inner (B | project K) on K | summarize make_set(X) by K");
        quiet("summarize-before-join", "A | join kind=inner (B | project K) on K | summarize count() by Other");
        quiet("summarize-before-join", "A | join kind=inner (B | distinct K) on K | summarize count() by K");
    }

    #[test]
    fn retention_30_days() {
        assert!(fires("retention-30-days", "T | where Timestamp > ago(90d)").message.contains("`ago(90d)`"));
        quiet("retention-30-days", "T | where Timestamp > ago(30d)");
        quiet("retention-30-days", "T | where Timestamp > ago(7d)");
    }

    #[test]
    fn row_limit() {
        fires("row-limit", "UrlClickEvents | project Url, Timestamp");
        quiet("row-limit", "UrlClickEvents | where Url has \"x\" | project Url");
        quiet("row-limit", "UrlClickEvents | take 10");
        quiet("row-limit", "print 1");
    }

    #[test]
    fn rules_can_be_switched_off_and_bad_queries_get_no_tips() {
        let q = "UrlClickEvents | sort by Timestamp desc | take 5";
        assert_eq!(ids(q), vec!["top-not-sort-take"]);
        assert!(coach(q, &["top-not-sort-take".into()]).is_empty());
        assert!(coach("UrlClickEvents | where", &[]).is_empty());
    }

    /// Every step of every lesson file in lessons/.
    fn lesson_steps() -> Vec<(String, crate::lesson::Step)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") || path.file_name().is_some_and(|n| n == "index.toml") {
                continue;
            }
            let lesson = crate::lesson::parse_lesson(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.extend(lesson.steps.into_iter().map(|s| (path.display().to_string(), s)));
        }
        out
    }

    #[test]
    fn every_lesson_solution_formats_to_the_same_meaning() {
        // The editor's Format command (syntax::layout) on real queries: it must accept each
        // solution and be idempotent.
        let steps = lesson_steps();
        assert!(steps.len() > 20);
        for (file, s) in &steps {
            let f = crate::syntax::layout::format_query(&s.solution).unwrap_or_else(|e| panic!("{file}: {}: {e}", s.id));
            assert_eq!(crate::syntax::layout::format_query(&f).unwrap(), f, "not idempotent: {file}: {}", s.id);
        }
    }

    #[test]
    fn the_rule_ids_list_names_every_rule_in_order() {
        assert_eq!(RULES.iter().map(|r| r.id).collect::<Vec<_>>(), RULE_IDS);
    }

    #[test]
    fn the_lessons_solutions_get_few_tips() {
        // A tip on a lesson's own solution teaches the opposite of the lesson: every tip on a
        // solution must be a deliberate choice, switched off in that step with `coach_off`.
        let mut bad = Vec::new();
        for (file, s) in lesson_steps() {
            let tips = coach(&s.solution, &s.coach_off);
            if !tips.is_empty() {
                bad.push(format!("{file}: step {}: {:?}", s.id, tips.iter().map(|t| &t.rule).collect::<Vec<_>>()));
            }
        }
        assert!(bad.is_empty(), "solutions that get tips (rewrite them, or add coach_off with a reason):\n{}", bad.join("\n"));
    }
}
