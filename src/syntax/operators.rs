//! One table of facts per tabular operator (what follows `|`): its KQL spelling, whether
//! kqlab runs it, the words that are spelled differently but mean the same, the one-line
//! summary completion shows, and Microsoft's reference page. The lexer (hyphenated names),
//! the parser (known-but-unsupported operators, "did you mean"), the highlighter and the
//! editor's completion all read this table, so adding an operator starts here; its parse
//! function is the parser's `operator` match, which a test keeps in step with this table.

/// Whether kqlab runs an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Parsed, bound and executed.
    Runs,
    /// A real Kusto operator kqlab recognises by name and refuses with a clear message
    /// (never approximated).
    Refused,
}

/// The facts about one tabular operator.
#[derive(Debug)]
pub struct OperatorFacts {
    /// The KQL spelling after `|` (`project-away`, `mv-expand`).
    pub name: &'static str,
    pub support: Support,
    /// Other spellings with the same meaning (`filter` for `where`, `limit` for `take`).
    pub aliases: &'static [&'static str],
    /// What completion inserts, when it is not the name (`order by`).
    pub completion: Option<&'static str>,
    /// One line for completion and help; empty for operators completion does not offer.
    pub summary: &'static str,
    /// The page under <https://learn.microsoft.com/kusto/query/>.
    pub docs: &'static str,
}

const fn runs(name: &'static str, summary: &'static str, docs: &'static str) -> OperatorFacts {
    OperatorFacts { name, support: Support::Runs, aliases: &[], completion: None, summary, docs }
}

const fn refused(name: &'static str, docs: &'static str) -> OperatorFacts {
    OperatorFacts { name, support: Support::Refused, aliases: &[], completion: None, summary: "", docs }
}

/// Every tabular operator kqlab knows of, supported ones first in the order completion
/// offers them.
pub static OPERATORS: &[OperatorFacts] = &[
    OperatorFacts { aliases: &["filter"], ..runs("where", "Keep the rows where a condition is true", "where-operator") },
    runs("project", "Choose, rename or compute the output columns", "project-operator"),
    runs("extend", "Add computed columns", "extend-operator"),
    runs("summarize", "Group rows and aggregate: count(), dcount(), make_set(), ...", "summarize-operator"),
    OperatorFacts { aliases: &["order"], completion: Some("sort by"), ..runs("sort", "Sort rows (descending unless you say asc)", "sort-operator") },
    runs("top", "The first N rows by an expression: top 10 by Count", "top-operator"),
    OperatorFacts { aliases: &["limit"], ..runs("take", "Any N rows", "take-operator") },
    runs("count", "The number of rows", "count-operator"),
    runs("distinct", "The distinct combinations of columns", "distinct-operator"),
    runs("project-away", "Remove columns", "project-away-operator"),
    runs("project-keep", "Keep only some columns", "project-keep-operator"),
    runs("project-rename", "Rename columns: project-rename New = Old", "project-rename-operator"),
    runs("project-reorder", "Move columns to the front", "project-reorder-operator"),
    runs("project-by-names", "Keep the columns named by strings, arrays or patterns", "project-by-names-operator"),
    runs("join", "Combine rows with another table on matching columns", "join-operator"),
    runs("lookup", "Add columns from a small table by key", "lookup-operator"),
    runs("union", "Append the rows of other tables", "union-operator"),
    runs("mv-expand", "One row per element of a dynamic array or bag", "mv-expand-operator"),
    runs("mv-apply", "Run a subquery on each row's array elements", "mv-apply-operator"),
    runs("parse", "Extract columns from a string by a pattern", "parse-operator"),
    runs("parse-where", "Like parse, dropping rows that do not match", "parse-where-operator"),
    runs("parse-kv", "Extract key=value pairs into typed columns", "parse-kv-operator"),
    runs("make-series", "Aggregate into arrays over a time axis (for charts and series functions)", "make-series-operator"),
    runs("top-nested", "Top values within top values: top-nested 3 of A by count(), ...", "top-nested-operator"),
    runs("render", "Draw a chart: render timechart, columnchart, piechart, ...", "render-operator"),
    runs("serialize", "Freeze the row order (for row_number, prev, next)", "serialize-operator"),
    runs("getschema", "The columns and their types", "getschema-operator"),
    runs("search", "Rows where any column has a term", "search-operator"),
    runs("invoke", "Call a function defined with let on this table", "invoke-operator"),
    runs("evaluate", "Run a plugin: evaluate bag_unpack(Col), pivot(...)", "evaluate-operator"),
    runs("as", "Name the result", "as-operator"),
    runs("make-graph", "Build a graph from a table of edges (and tables of nodes)", "make-graph-operator"),
    runs("graph-match", "Find a pattern in a graph: (a)-[e*1..3]->(b)", "graph-match-operator"),
    runs("graph-shortest-paths", "The shortest paths of a pattern in a graph", "graph-shortest-paths-operator"),
    runs("graph-to-table", "A graph's nodes or edges as a table", "graph-to-table-operator"),
    runs("graph-mark-components", "Number the connected components of a graph's nodes", "graph-mark-components-operator"),
    refused("top-hitters", "top-hitters-operator"),
    runs("scan", "Match sequences of rows step by step, carrying state", "scan-operator"),
    runs("partition", "Run a subquery on each value's rows: partition by Col (top 3 by x)", "partition-operator"),
    runs("sample", "N rows picked at random (kqlab: a fixed seed, so the same rows each run)", "sample-operator"),
    runs("sample-distinct", "N distinct values of a column (kqlab: a fixed seed)", "sample-distinct-operator"),
    refused("fork", "fork-operator"),
    refused("facet", "facet-operator"),
    refused("reduce", "reduce-operator"),
    refused("consume", "consume-operator"),
    refused("find", "find-operator"),
    refused("macro-expand", "macro-expand-operator"),
    refused("assert-schema", "assert-schema-operator"),
    refused("externaldata", "externaldata-operator"),
    // Tabular sources, valid at the start of a query but not after `|`.
    refused("print", "print-operator"),
    refused("range", "range-operator"),
    refused("datatable", "datatable-operator"),
];

/// The facts for a spelling (a name or an alias).
pub fn find(word: &str) -> Option<&'static OperatorFacts> {
    OPERATORS.iter().find(|o| o.name == word || o.aliases.contains(&word))
}

/// Is `word` a tabular operator's name or alias (supported or not)?
pub fn is_operator_name(word: &str) -> bool {
    find(word).is_some()
}

/// Every spelling, names and aliases (for "did you mean").
pub fn spellings() -> impl Iterator<Item = &'static str> {
    OPERATORS.iter().flat_map(|o| std::iter::once(o.name).chain(o.aliases.iter().copied()))
}

/// The hyphenated spellings the lexer reads as one word.
pub fn hyphenated() -> impl Iterator<Item = &'static str> {
    spellings().filter(|s| s.contains('-'))
}

/// What completion offers after `|`: (text, summary) for each operator kqlab runs, with the
/// aliases Kusto users type (`order by`, `limit`) as entries of their own.
pub fn completions() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for o in OPERATORS.iter().filter(|o| o.support == Support::Runs) {
        match (o.name, o.completion) {
            ("sort", Some(c)) => {
                out.push(("order by", o.summary));
                out.push((c, o.summary));
            }
            (_, Some(c)) => out.push((c, o.summary)),
            ("take", None) => {
                out.push(("take", o.summary));
                out.push(("limit", "Any N rows (same as take)"));
            }
            (name, None) => out.push((name, o.summary)),
        }
    }
    out
}

/// The reference page of an operator.
pub fn docs_url(o: &OperatorFacts) -> String {
    format!("https://learn.microsoft.com/kusto/query/{}", o.docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_supported_ones_have_a_summary() {
        let mut seen = std::collections::BTreeSet::new();
        for s in spellings() {
            assert!(seen.insert(s), "{s} twice");
        }
        for o in OPERATORS {
            assert_eq!(o.support == Support::Runs, !o.summary.is_empty(), "{}", o.name);
            assert!(o.docs.ends_with("-operator"), "{}", o.name);
        }
        assert_eq!(find("filter").map(|o| o.name), Some("where"));
        assert!(hyphenated().any(|h| h == "project-away") && !hyphenated().any(|h| h == "where"));
    }

    #[test]
    fn the_parser_runs_exactly_the_supported_operators() {
        // Each operator kqlab runs parses to its own node; each refused one to an
        // `Unsupported` node naming it. A new row in the table without a parse function (or
        // the reverse) fails here.
        for o in OPERATORS.iter().filter(|o| !matches!(o.name, "print" | "range" | "datatable")) {
            for spelling in std::iter::once(o.name).chain(o.aliases.iter().copied()) {
                let (script, _) = super::super::parse(&format!("T | {spelling} x"));
                let kind = script.and_then(|s| match s.statements.last() {
                    Some(crate::syntax::ast::Statement::Query(e)) => match &e.kind {
                        crate::syntax::ast::ExprKind::Pipe { op, .. } => Some(op.kind.clone()),
                        _ => None,
                    },
                    _ => None,
                });
                match (o.support, kind) {
                    (Support::Refused, Some(crate::syntax::ast::OperatorKind::Unsupported { name, .. })) => assert_eq!(name, spelling),
                    (Support::Refused, other) => panic!("{spelling}: expected an Unsupported node, got {other:?}"),
                    (Support::Runs, Some(crate::syntax::ast::OperatorKind::Unsupported { .. })) => panic!("{spelling} runs, but the parser refuses it"),
                    (Support::Runs, _) => {}
                }
            }
        }
    }
}
