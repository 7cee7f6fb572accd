//! Which KQL constructs a query uses, read from its syntax tree: operators, functions, join
//! kinds, string and list operators, literal forms. Used by the required-construct gate of a
//! step (`requires = ["bin()"]`) and by `kqlab lessons coverage`.
//!
//! Construct names follow the ranked usage list of real hunting queries ([`USAGE_ITEMS`]):
//! operators by their KQL name (`summarize`, `mv-expand`, `sort/order by`, `take/limit`),
//! functions with parentheses (`bin()`, `arg_max()`), operators on values by their symbol
//! (`==`, `has_any`, `!contains`), and a few syntax forms by a description
//! (`timespan literal (1d, 5m...)`). Two more families name details the usage list does not
//! split out: `join kind=inner` (a plain `join` is `join kind=innerunique`) and
//! `lookup kind=leftouter`.

use crate::syntax::ast::*;
use crate::syntax::token::{TokenKind, TokenValue};
use crate::syntax::visit::{walk_script, Node};
use crate::types::DataType;
use std::collections::BTreeSet;

/// The items of the usage list (`kql-usage.md`: operators, functions and syntax forms of 4,127
/// public Defender XDR / Sentinel hunting queries), most used first: rank = index + 1. Names
/// only; the counts are in the list itself.
pub const USAGE_ITEMS: &[&str] = &[
    r##"where"##,                                // 1
    r##"=="##,                                   // 2
    r##"extend"##,                               // 3
    r##"project"##,                              // 4
    r##"timespan literal (1d, 5m...)"##,         // 5
    r##"summarize"##,                            // 6
    r##"ago()"##,                                // 7
    r##"let"##,                                  // 8
    r##"dynamic access (.prop / [key] / [i])"##, // 9
    r##"tostring()"##,                           // 10
    r##"join"##,                                 // 11
    r##"isnotempty()"##,                         // 12
    r##"verbatim string @"...""##,               // 13
    r##"count()"##,                              // 14
    r##"parse_json()"##,                         // 15
    r##"in"##,                                   // 16
    r##"sort/order by"##,                        // 17
    r##"has_any"##,                              // 18
    r##"has"##,                                  // 19
    r##"quoted identifier ['...']"##,            // 20
    r##"arg_max()"##,                            // 21
    r##"distinct"##,                             // 22
    r##"contains"##,                             // 23
    r##"dynamic() literal"##,                    // 24
    r##"make_set()"##,                           // 25
    r##"mv-expand"##,                            // 26
    r##"join on $left.x == $right.y"##,          // 27
    r##"not()"##,                                // 28
    r##"!="##,                                   // 29
    r##"union"##,                                // 30
    r##"todynamic()"##,                          // 31
    r##"=~"##,                                   // 32
    r##"split()"##,                              // 33
    r##"iff()"##,                                // 34
    r##"strcat()"##,                             // 35
    r##"dcount()"##,                             // 36
    r##"between"##,                              // 37
    r##"make_list()"##,                          // 38
    r##"bin()"##,                                // 39
    r##"project-reorder"##,                      // 40
    r##"externaldata"##,                         // 41
    r##"toscalar()"##,                           // 42
    r##"now()"##,                                // 43
    r##"startswith"##,                           // 44
    r##"min()"##,                                // 45
    r##"array_length()"##,                       // 46
    r##"render"##,                               // 47
    r##"typeof() literal"##,                     // 48
    r##"in~"##,                                  // 49
    r##"case()"##,                               // 50
    r##"endswith"##,                             // 51
    r##"tolower()"##,                            // 52
    r##"project-away"##,                         // 53
    r##"take_any()"##,                           // 54
    r##"isempty()"##,                            // 55
    r##"matches regex"##,                        // 56
    r##"extract()"##,                            // 57
    r##"max()"##,                                // 58
    r##"project-rename"##,                       // 59
    r##"invoke"##,                               // 60
    r##"top"##,                                  // 61
    r##"mv-apply"##,                             // 62
    r##"pack_array()"##,                         // 63
    r##"arg_min()"##,                            // 64
    r##"let: user-defined function"##,           // 65
    r##"!in"##,                                  // 66
    r##"datetime() literal"##,                   // 67
    r##"parse"##,                                // 68
    r##"toint()"##,                              // 69
    r##"ingestion_time()"##,                     // 70
    r##"materialize()"##,                        // 71
    r##"coalesce()"##,                           // 72
    r##"evaluate"##,                             // 73
    r##"lookup"##,                               // 74
    r##"strcat_array()"##,                       // 75
    r##"make_set_if()"##,                        // 76
    r##"has_all"##,                              // 77
    r##"take/limit"##,                           // 78
    r##"todatetime()"##,                         // 79
    r##"make_bag()"##,                           // 80
    r##"countif()"##,                            // 81
    r##"extract_all()"##,                        // 82
    r##"sum()"##,                                // 83
    r##"geo_info_from_ip_address()"##,           // 84
    r##"bag_pack()"##,                           // 85
    r##"iif()"##,                                // 86
    r##"datetime_diff()"##,                      // 87
    r##"datatable"##,                            // 88
    r##"array_sort_asc()"##,                     // 89
    r##"ipv4_is_private()"##,                    // 90
    r##"as"##,                                   // 91
    r##"parse_ipv4()"##,                         // 92
    r##"replace_string()"##,                     // 93
    r##"startofday()"##,                         // 94
    r##"dcountif()"##,                           // 95
    r##"obfuscated string h"...""##,             // 96
    r##"bag_unpack()"##,                         // 97
    r##"!contains"##,                            // 98
    r##"substring()"##,                          // 99
    r##"range()"##,                              // 100
    r##"replace_regex()"##,                      // 101
    r##"search"##,                               // 102
    r##"pack()"##,                               // 103
    r##"ipv4_is_in_any_range()"##,               // 104
    r##"bag_keys()"##,                           // 105
    r##"!startswith"##,                          // 106
    r##"array_slice()"##,                        // 107
    r##"dynamic_to_json()"##,                    // 108
    r##"make-series"##,                          // 109
    r##"print"##,                                // 110
    r##"toupper()"##,                            // 111
    r##"parse_url()"##,                          // 112
    r##"multi-line string ```...```"##,          // 113
    r##"trim_end()"##,                           // 114
    r##"column_ifexists()"##,                    // 115
    r##"pack_all()"##,                           // 116
    r##"isnotnull()"##,                          // 117
    r##"makeset()"##,                            // 118
    r##"todouble()"##,                           // 119
    r##"trim()"##,                               // 120
    r##"set_has_element()"##,                    // 121
    r##"!has"##,                                 // 122
    r##"array_concat()"##,                       // 123
    r##"strlen()"##,                             // 124
    r##"!endswith"##,                            // 125
    r##"!in~"##,                                 // 126
    r##"series_decompose_anomalies()"##,         // 127
    r##"parse_ipv6()"##,                         // 128
    r##"take_anyif()"##,                         // 129
    r##"extractjson()"##,                        // 130
    r##"round()"##,                              // 131
    r##"abs()"##,                                // 132
    r##"any()"##,                                // 133
    r##"avg()"##,                                // 134
    r##"format_datetime()"##,                    // 135
    r##"pivot()"##,                              // 136
    r##"tolong()"##,                             // 137
    r##"toreal()"##,                             // 138
    r##"trim_start()"##,                         // 139
    r##"replace()"##,                            // 140
    r##"set_difference()"##,                     // 141
    r##"!~"##,                                   // 142
    r##"indexof()"##,                            // 143
    r##"parse-where"##,                          // 144
    r##"prev()"##,                               // 145
    r##"base64_decode_tostring()"##,             // 146
    r##"countof()"##,                            // 147
    r##"parse_xml()"##,                          // 148
    r##"activity_counts_metrics()"##,            // 149
    r##"isnull()"##,                             // 150
];

/// The usage-list names of items kqlab cannot run, and why. `kqlab lessons coverage` leaves
/// them out of "not taught yet" (a lesson cannot teach what the playground rejects); a unit
/// test checks each one is still rejected, so the list cannot go stale silently.
/// Items of the usage list kqlab cannot run, with the reason; the coverage report does not ask
/// lessons to teach them. Empty since `externaldata` reads the files a lesson bundles
/// (`[[dataset.external]]`), which was the last one.
pub const NOT_RUNNABLE: &[(&str, &str)] = &[];

pub const TIMESPAN_LITERAL: &str = "timespan literal (1d, 5m...)";
pub const DYNAMIC_ACCESS: &str = "dynamic access (.prop / [key] / [i])";
pub const JOIN_ON_SIDES: &str = "join on $left.x == $right.y";

/// The constructs `query` uses, or `None` when it does not parse.
pub fn constructs(query: &str) -> Option<BTreeSet<String>> {
    let (script, diags) = crate::syntax::parse(query);
    let script = script.filter(|_| diags.is_empty())?;
    let mut c = Collector { text: query, found: BTreeSet::new() };
    walk_script(&script, &mut |n| c.node(n));
    c.tokens();
    Some(c.found)
}

/// Is `name` a construct name [`constructs`] can report? (For checking a step's `requires`.)
pub fn is_construct_name(name: &str) -> bool {
    if USAGE_ITEMS.contains(&name) {
        return true;
    }
    if let Some(kind) = name.strip_prefix("join kind=").or_else(|| name.strip_prefix("lookup kind=")) {
        return JOIN_KINDS.contains(&kind);
    }
    if let Some(f) = name.strip_suffix("()") {
        return !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    }
    OPERATOR_NAMES.contains(&name)
}

const JOIN_KINDS: &[&str] = &[
    "innerunique",
    "inner",
    "leftouter",
    "rightouter",
    "fullouter",
    "leftanti",
    "rightanti",
    "leftsemi",
    "rightsemi",
    "anti",
    "leftantisemi",
    "rightantisemi",
    "semi",
];

/// Operator names as [`constructs`] reports them, besides those in the usage list.
const OPERATOR_NAMES: &[&str] = &[
    "where",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "count",
    "distinct",
    "take/limit",
    "top",
    "sort/order by",
    "union",
    "join",
    "lookup",
    "mv-expand",
    "render",
    "serialize",
    "as",
    "getschema",
    "parse",
    "parse-where",
    "invoke",
    "evaluate",
    "make-series",
    "mv-apply",
    "top-nested",
    "parse-kv",
    "search",
    "let",
    "print",
    "datatable",
    "range",
    "between",
    "!between",
];

struct Collector<'a> {
    text: &'a str,
    found: BTreeSet<String>,
}

impl Collector<'_> {
    fn add(&mut self, name: impl Into<String>) {
        self.found.insert(name.into());
    }

    /// Does the source text at `span` start with `[` (a quoted name: `['Runs in 7 days']`)?
    fn quoted(&self, span: crate::diag::Span) -> bool {
        self.text.get(span.range()).is_some_and(|t| t.starts_with('['))
    }

    /// The constructs one node of the walk shows by itself (its children come as their own nodes).
    fn node(&mut self, n: Node<'_>) {
        match n {
            Node::Stmt(Statement::Let(l)) => {
                self.add("let");
                if matches!(l.value, LetValue::Function(_)) {
                    self.add("let: user-defined function");
                }
            }
            Node::Stmt(Statement::Unsupported { name, .. }) => self.add(name.clone()),
            Node::Stmt(Statement::QueryParameters { .. }) => self.add("declare query_parameters"),
            Node::Stmt(Statement::Query(_)) => {}
            // A new column's name can be quoted too: `summarize ['Runs in 7 days'] = count()`.
            Node::Named(item) => {
                if item.names.iter().any(|id| self.quoted(id.span)) {
                    self.add("quoted identifier ['...']");
                }
            }
            Node::Expr(e) => self.expr(e),
            Node::Op(op) => self.operator(op),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Literal(Literal::Dynamic(_)) => self.add("dynamic() literal"),
            ExprKind::Name(id) if self.quoted(id.span) => self.add("quoted identifier ['...']"),
            ExprKind::Member { .. } | ExprKind::Index { .. } => self.add(DYNAMIC_ACCESS),
            ExprKind::Call { name, .. } => self.add(format!("{}()", name.name)),
            ExprKind::Binary { op, .. } if !matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod) => {
                self.add(op.symbol())
            }
            ExprKind::Chain { op, .. } => self.add(op.symbol()),
            ExprKind::Between { negated, .. } => self.add(if *negated { "!between" } else { "between" }),
            ExprKind::InList { op, .. } => self.add(op.word()),
            ExprKind::Datatable { .. } => self.add("datatable"),
            ExprKind::ExternalData { .. } => self.add("externaldata"),
            ExprKind::Print { .. } => self.add("print"),
            ExprKind::Range { .. } => self.add("range"),
            ExprKind::Union(_) => self.add("union"),
            ExprKind::TypeOf(_) => self.add("typeof() literal"),
            ExprKind::SearchSource { find: Some(_), .. } => self.add("find"),
            ExprKind::SearchSource { .. } => self.add("search"),
            ExprKind::Unsupported { name, .. } => self.add(name.clone()),
            _ => {}
        }
    }

    fn join_like(&mut self, what: &str, params: &[OpParam], on: &[Expr], default_kind: &str) {
        self.add(what);
        let kind = params
            .iter()
            .find(|p| p.name.name == "kind")
            .and_then(|p| match &p.value.kind {
                ExprKind::Name(id) => Some(id.name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| default_kind.to_string());
        self.add(format!("{what} kind={kind}"));
        if on.iter().any(uses_join_side) {
            self.add(JOIN_ON_SIDES);
        }
    }

    fn operator(&mut self, op: &Operator) {
        match &op.kind {
            OperatorKind::Take(_) => self.add("take/limit"),
            OperatorKind::Sort(_) => self.add("sort/order by"),
            OperatorKind::Union(_) => self.add("union"),
            OperatorKind::Join { params, on, .. } => self.join_like("join", params, on, "innerunique"),
            OperatorKind::Lookup { params, on, .. } => self.join_like("lookup", params, on, "leftouter"),
            OperatorKind::MvExpand { items, .. } => {
                self.add("mv-expand");
                // `mv-expand x to typeof(string)`: the type names a typeof() literal.
                if items.iter().any(|i| i.to_type.is_some()) {
                    self.add("typeof() literal");
                }
            }
            // Every other operator is reported by its own name (parse and parse-where alike).
            _ => self.add(op.kind.name()),
        }
    }

    /// Forms visible only in the tokens: how a string or a time literal was written.
    fn tokens(&mut self) {
        let (tokens, _) = crate::syntax::lex(self.text);
        for t in &tokens {
            match t.kind {
                TokenKind::TimeSpan => self.add(TIMESPAN_LITERAL),
                TokenKind::TypedLiteral if matches!(t.value, TokenValue::Typed(DataType::DateTime, _)) => self.add("datetime() literal"),
                TokenKind::String => {
                    let lower = t.text.to_ascii_lowercase();
                    if lower.starts_with("```") {
                        self.add("multi-line string ```...```");
                    } else if lower.starts_with('h') {
                        self.add(r#"obfuscated string h"...""#);
                    }
                    if lower.starts_with('@') {
                        self.add(r#"verbatim string @"...""#);
                    }
                }
                _ => {}
            }
        }
    }
}

fn uses_join_side(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::JoinSide { .. } => true,
        ExprKind::Binary { left, right, .. } => uses_join_side(left) || uses_join_side(right),
        ExprKind::Chain { operands, .. } => operands.iter().any(uses_join_side),
        ExprKind::Paren(inner) => uses_join_side(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(q: &str, name: &str) -> bool {
        constructs(q).unwrap_or_else(|| panic!("does not parse: {q}")).contains(name)
    }

    #[test]
    fn operators_functions_and_operators_on_values() {
        let q = "UrlClickEvents | where Timestamp > ago(7d) and ActionType == \"ClickBlocked\" | summarize n = count() by bin(Timestamp, 1h) | order by n desc";
        let c = constructs(q).unwrap();
        for name in ["where", "ago()", "==", ">", "and", "summarize", "count()", "bin()", "sort/order by", TIMESPAN_LITERAL] {
            assert!(c.contains(name), "{name} missing from {c:?}");
        }
        assert!(!c.contains("join"));
        assert!(has("T | sort by x", "sort/order by"));
        assert!(has("T | limit 3", "take/limit"));
        assert!(has("T | where a !contains \"x\" or b has_any (\"y\", \"z\")", "!contains"));
        assert!(has("T | where a !contains \"x\" or b has_any (\"y\", \"z\")", "has_any"));
        assert!(has("T | where a in~ (\"x\")", "in~"));
        assert!(has("T | where a between (1 .. 3)", "between"));
        assert!(has("T | where a matches regex \"x+\"", "matches regex"));
    }

    #[test]
    fn a_name_in_text_is_not_a_construct() {
        // Substring search would find bin and join here; the tree has neither.
        let q = "UrlClickEvents | where Url has \"bin(\" and AccountUpn == \"join\" | project binary = 1";
        let c = constructs(q).unwrap();
        assert!(!c.contains("bin()"), "{c:?}");
        assert!(!c.contains("join"), "{c:?}");
        // A comment is not a use either.
        assert!(!has("// | summarize by bin(Timestamp, 1h)\nT | take 1", "bin()"));
    }

    #[test]
    fn join_kinds_and_sides() {
        let q = "A | join (B) on Id";
        assert!(has(q, "join"));
        assert!(has(q, "join kind=innerunique"));
        assert!(!has(q, JOIN_ON_SIDES));
        let q = "A | join kind=inner (B) on $left.Id == $right.Key";
        assert!(has(q, "join kind=inner"));
        assert!(!has(q, "join kind=innerunique"));
        assert!(has(q, JOIN_ON_SIDES));
        assert!(has("A | lookup (B) on Id", "lookup kind=leftouter"));
        assert!(has("A | lookup kind=inner (B) on Id", "lookup kind=inner"));
    }

    #[test]
    fn let_materialize_union_and_nested_queries() {
        let q = "let m = materialize(EmailEvents | where Subject has \"invoice\");\nlet f = (n: long) { n + 1 };\nunion (m | project x = 1), (m | extend y = toscalar(m | count))";
        let c = constructs(q).unwrap();
        for name in ["let", "materialize()", "let: user-defined function", "union", "has", "project", "extend", "toscalar()", "count"] {
            assert!(c.contains(name), "{name} missing from {c:?}");
        }
    }

    #[test]
    fn literal_and_access_forms() {
        assert!(has("T | where Path == @\"C:\\x\"", r#"verbatim string @"...""#));
        assert!(!has("T | where Path == \"C:\\\\x\"", r#"verbatim string @"...""#));
        assert!(has("T | where t > datetime(2026-01-01)", "datetime() literal"));
        assert!(has("T | where a in (dynamic([1, 2]))", "dynamic() literal"));
        assert!(has("T | extend u = tostring(parse_json(x).user)", DYNAMIC_ACCESS));
        assert!(has("T | extend u = x[0]", DYNAMIC_ACCESS));
        assert!(has("T | project ['My Col']", "quoted identifier ['...']"));
        assert!(!has("T | project MyCol", "quoted identifier ['...']"));
        assert!(has("T | summarize ['Runs in 7 days'] = count()", "quoted identifier ['...']"));
        assert!(has("T | extend ['My Col'] = 1", "quoted identifier ['...']"));
        assert!(!has("T | extend MyCol = 1", "quoted identifier ['...']"));
        assert!(has("T | mv-expand x = todynamic(s) to typeof(string)", "typeof() literal"));
        assert!(!has("T | mv-expand x = todynamic(s)", "typeof() literal"));
        assert!(has("T | mv-expand x | parse y with * \"=\" v", "mv-expand"));
        assert!(has("T | mv-expand x | parse y with * \"=\" v", "parse"));
    }

    #[test]
    fn a_query_that_does_not_parse_has_no_constructs() {
        assert!(constructs("T | where (").is_none());
    }

    #[test]
    fn construct_names() {
        for n in ["bin()", "join kind=inner", "lookup", "let", "sort/order by", "mv-expand", TIMESPAN_LITERAL] {
            assert!(is_construct_name(n), "{n}");
        }
        for n in ["bin", "join kind=sideways", "order by", ""] {
            assert!(!is_construct_name(n), "{n}");
        }
        // Every usage item the collector can report is a valid requirement.
        assert!(USAGE_ITEMS.iter().all(|n| is_construct_name(n)));
        assert_eq!(USAGE_ITEMS.len(), 150);
        assert_eq!(USAGE_ITEMS[0], "where");
        assert_eq!(USAGE_ITEMS[38], "bin()");
    }

    #[test]
    fn externaldata_runs_from_a_bundled_file_so_lessons_must_teach_it() {
        let q = "externaldata(x: string) [\"https://example.org/x.csv\"] with (ignoreFirstRecord=true)";
        let mut catalog = crate::table::Catalog::default();
        assert!(crate::engine::compile(q, &catalog, 0).is_err(), "a URL no lesson bundles is refused");
        catalog.insert_external("https://example.org/x.csv", "x\nfirst\nsecond\n");
        assert!(crate::engine::compile(q, &catalog, 0).is_ok(), "a bundled file is read");
        assert!(NOT_RUNNABLE.is_empty(), "{NOT_RUNNABLE:?}");
    }
}
