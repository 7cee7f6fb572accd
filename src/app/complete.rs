//! Editor completion: what can come next at the cursor, from the query so far and the schema.
//!
//! After `|` come operators; at the start of a query, tables and `let`; inside an operator,
//! the columns of the table flowing into it (found by binding the pipeline up to the last
//! `|`), functions, `let` names and keywords; after a value, comparison and string operators.

use crate::bind::aggregates::AggFn;
use crate::bind::functions::Func;
use crate::engine;
use crate::syntax::lex;
use crate::syntax::token::{Token, TokenKind};
use crate::table::{Catalog, Field};
use crate::view::editor::{word_before, Completion, CompletionKind};

/// The tabular operators with a one-line description.
pub const OPERATORS: &[(&str, &str)] = &[
    ("where", "Keep the rows where a condition is true"),
    ("project", "Choose, rename or compute the output columns"),
    ("extend", "Add computed columns"),
    ("summarize", "Group rows and aggregate: count(), dcount(), make_set(), ..."),
    ("order by", "Sort rows (descending unless you say asc)"),
    ("sort by", "Sort rows (descending unless you say asc)"),
    ("top", "The first N rows by an expression: top 10 by Count"),
    ("take", "Any N rows"),
    ("limit", "Any N rows (same as take)"),
    ("count", "The number of rows"),
    ("distinct", "The distinct combinations of columns"),
    ("project-away", "Remove columns"),
    ("project-keep", "Keep only some columns"),
    ("project-rename", "Rename columns: project-rename New = Old"),
    ("project-reorder", "Move columns to the front"),
    ("join", "Combine rows with another table on matching columns"),
    ("lookup", "Add columns from a small table by key"),
    ("union", "Append the rows of other tables"),
    ("mv-expand", "One row per element of a dynamic array or bag"),
    ("parse", "Extract columns from a string by a pattern"),
    ("parse-where", "Like parse, dropping rows that do not match"),
    ("render", "Draw a chart: render timechart, columnchart, piechart, ..."),
    ("serialize", "Freeze the row order (for row_number, prev, next)"),
    ("getschema", "The columns and their types"),
    ("search", "Rows where any column has a term"),
    ("invoke", "Call a function defined with let on this table"),
    ("as", "Name the result"),
];

const STATEMENT_WORDS: &[(&str, &str)] = &[
    ("let", "Name a value, a table or a function: let x = ...;"),
    ("print", "One row of computed values: print x = 1 + 1"),
    ("range", "A column of numbers or times: range x from 1 to 10 step 1"),
    ("datatable", "An inline table: datatable(a: long) [1, 2]"),
    ("union", "The rows of several tables"),
];

const EXPR_KEYWORDS: &[&str] = &["and", "or", "not", "true", "false", "null", "dynamic", "datetime", "timespan", "typeof"];

const AFTER_VALUE: &[(&str, &str)] = &[
    ("==", "equals (case-sensitive)"),
    ("!=", "not equal"),
    ("=~", "equals, ignoring case"),
    ("contains", "contains the text, ignoring case"),
    ("has", "has the whole term, ignoring case"),
    ("has_any", "has any of the terms: has_any (\"a\", \"b\")"),
    ("startswith", "starts with, ignoring case"),
    ("endswith", "ends with, ignoring case"),
    ("in", "is one of: in (\"a\", \"b\")"),
    ("between", "in a range: between (a .. b)"),
    ("matches regex", "matches a regular expression"),
    ("!contains", "does not contain"),
    ("!has", "does not have the term"),
    ("!in", "is none of"),
    ("and", "both conditions"),
    ("or", "either condition"),
    ("by", "group or sort by"),
    ("asc", "ascending"),
    ("desc", "descending"),
];

fn significant(tokens: &[Token]) -> Vec<&Token> {
    tokens.iter().filter(|t| !matches!(t.kind, TokenKind::Comment | TokenKind::Eof)).collect()
}

/// Byte offset of the last `|` before `end` at bracket depth 0 within the current statement,
/// and the offset where the current statement starts.
fn pipeline_cut(tokens: &[&Token], end: usize) -> (Option<usize>, usize) {
    let mut depth = 0i32;
    let mut last_pipe = None;
    let mut stmt_start = 0;
    let mut depth_stack: Vec<Option<usize>> = Vec::new();
    for t in tokens.iter().filter(|t| (t.span.end as usize) <= end) {
        if t.kind != TokenKind::Punct {
            continue;
        }
        match t.text.as_str() {
            "(" | "[" | "{" => {
                depth += 1;
                depth_stack.push(last_pipe);
                last_pipe = None;
            }
            ")" | "]" | "}" => {
                depth -= 1;
                last_pipe = depth_stack.pop().flatten();
            }
            "|" => last_pipe = Some(t.span.start as usize),
            ";" if depth == 0 => {
                stmt_start = t.span.end as usize;
                last_pipe = None;
            }
            _ => {}
        }
    }
    (last_pipe, stmt_start)
}

/// The columns flowing into the operator at `cursor`, if they can be worked out.
pub fn columns_at(text: &str, cursor: usize, catalog: &Catalog, clock: i64) -> Vec<Field> {
    let (tokens, _) = lex(text);
    let toks = significant(&tokens);
    let (pipe, stmt_start) = pipeline_cut(&toks, cursor);
    if let Some(p) = pipe {
        if let Ok(b) = engine::compile(&text[..p], catalog, clock) {
            return b.plan.schema.as_ref().clone();
        }
    }
    // Fall back to the first table named in the statement.
    toks.iter()
        .filter(|t| t.kind == TokenKind::Ident && (t.span.start as usize) >= stmt_start)
        .find_map(|t| catalog.get(&t.text))
        .map(|t| t.fields.clone())
        .unwrap_or_default()
}

/// Completion candidates at `cursor` (a byte offset), best first.
pub fn complete(text: &str, cursor: usize, catalog: &Catalog, clock: i64) -> Vec<Completion> {
    let cursor = cursor.min(text.len());
    let word = word_before(text, cursor);
    let typed = &text[word.clone()];
    let prefix = typed.to_lowercase();
    let (tokens, _) = lex(&text[..word.start]);
    let toks = significant(&tokens);
    let prev = toks.last().copied();
    let prev2 = if toks.len() >= 2 { Some(toks[toks.len() - 2]) } else { None };
    let mut out: Vec<Completion> = Vec::new();
    let mut push = |label: &str, kind: CompletionKind, detail: String, insert: String| {
        let l = label.to_lowercase();
        if (l.starts_with(&prefix) || (prefix.len() >= 3 && l.contains(&prefix))) && label != typed && !out.iter().any(|c: &Completion| c.label == label) {
            out.push(Completion { label: label.to_string(), kind, detail, insert });
        }
    };
    let tables = |push: &mut dyn FnMut(&str, CompletionKind, String, String)| {
        for (name, t, doc) in catalog.iter() {
            let d = if doc.description.is_empty() { format!("{} rows", t.len()) } else { doc.description.clone() };
            push(name, CompletionKind::Table, d, name.to_string());
        }
    };
    let at_start = prev.is_none_or(|t| t.is_punct(";"));
    let after_pipe = prev.is_some_and(|t| t.is_punct("|"));
    let joinish = |t: Option<&Token>| t.is_some_and(|t| t.is_word("join") || t.is_word("lookup") || t.is_word("union"));
    // `join T`, `join (T`, `join kind=inner T`, `join kind=inner (T`, `union T, U`.
    let wants_table = joinish(prev)
        || (prev.is_some_and(|t| t.is_punct("(")) && joinish(prev2))
        || toks.iter().rev().take(5).any(|t| t.is_word("join") || t.is_word("lookup"))
            && prev.is_some_and(|t| t.is_punct("(") || (t.kind == TokenKind::Ident && toks.len() >= 3 && toks[toks.len() - 2].is_punct("=")));
    if after_pipe {
        for (op, doc) in OPERATORS {
            push(op, CompletionKind::Operator, doc.to_string(), op.to_string());
        }
        return rank(out, typed);
    }
    if at_start {
        tables(&mut push);
        for (w, doc) in STATEMENT_WORDS {
            push(w, CompletionKind::Keyword, doc.to_string(), w.to_string());
        }
        return rank(out, typed);
    }
    if wants_table {
        tables(&mut push);
        return rank(out, typed);
    }
    // After a complete value (a literal or a closing bracket) come operators on values.
    let after_value = prev.is_some_and(|t| {
        matches!(t.kind, TokenKind::String | TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::TypedLiteral) || t.is_punct(")")
    });
    if after_value && prefix.is_empty() {
        for (w, doc) in AFTER_VALUE {
            push(w, CompletionKind::Keyword, doc.to_string(), w.to_string());
        }
        return rank(out, typed);
    }
    for f in columns_at(text, word.start, catalog, clock) {
        push(&f.name, CompletionKind::Column, f.ty.name().to_string(), quote_name(&f.name));
    }
    let in_summarize = toks.iter().rev().take_while(|t| !t.is_punct("|")).any(|t| t.is_word("summarize"));
    if in_summarize {
        for a in AggFn::ALL {
            push(a.name(), CompletionKind::Function, a.doc().to_string(), format!("{}(", a.name()));
        }
    }
    for f in Func::ALL {
        push(f.name(), CompletionKind::Function, f.doc().to_string(), format!("{}(", f.name()));
    }
    if !in_summarize {
        for a in AggFn::ALL {
            push(a.name(), CompletionKind::Function, a.doc().to_string(), format!("{}(", a.name()));
        }
    }
    for (w, doc) in AFTER_VALUE {
        if w.chars().all(|c| c.is_alphabetic() || c == '_') {
            push(w, CompletionKind::Keyword, doc.to_string(), w.to_string());
        }
    }
    for k in EXPR_KEYWORDS {
        push(k, CompletionKind::Keyword, "keyword".into(), k.to_string());
    }
    rank(out, typed)
}

/// Exact-case prefix matches first, then case-insensitive ones, then other matches; the
/// order of kinds within each group is kept (the sort is stable).
fn rank(mut out: Vec<Completion>, typed: &str) -> Vec<Completion> {
    let prefix = typed.to_lowercase();
    crate::util::sort::sort_by_key(&mut out, |c| (!c.label.starts_with(typed), !c.label.to_lowercase().starts_with(&prefix)));
    out
}

/// A name as it must be written in a query.
fn quote_name(name: &str) -> String {
    let mut s = String::new();
    let _ = crate::syntax::display::write_name(&mut s, name);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{builtin_catalog, DatasetSpec};

    fn cat() -> Catalog {
        builtin_catalog(&DatasetSpec::new(1, 300, 0))
    }

    fn labels(text: &str) -> Vec<String> {
        complete(text, text.len(), &cat(), 0).into_iter().map(|c| c.label).collect()
    }

    #[test]
    fn operators_after_a_pipe() {
        let l = labels("UrlClickEvents | su");
        assert_eq!(l[0], "summarize");
        assert!(labels("UrlClickEvents | ").contains(&"where".to_string()));
    }

    #[test]
    fn tables_at_the_start_and_after_join() {
        assert_eq!(labels("Url")[0], "UrlClickEvents");
        assert!(labels("UrlClickEvents | join kind=inner (Em").contains(&"EmailEvents".to_string()));
    }

    #[test]
    fn columns_of_the_piped_table() {
        let l = labels("UrlClickEvents | where Acc");
        assert_eq!(l[0], "AccountUpn");
        // After a summarize, only its output columns are in scope.
        let l = labels("UrlClickEvents | summarize Clicks = count() by AccountUpn | where Cl");
        assert!(l.contains(&"Clicks".to_string()), "{l:?}");
        assert!(!l.contains(&"ClickAllowed".to_string()));
    }

    #[test]
    fn functions_and_aggregates() {
        let l = labels("UrlClickEvents | summarize dc");
        assert_eq!(l[0], "dcount");
        let c = complete("UrlClickEvents | extend x = tolow", 33, &cat(), 0);
        assert_eq!(c[0].insert, "tolower(");
    }
}
