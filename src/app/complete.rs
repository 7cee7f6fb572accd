//! Editor completion: what can come next at the cursor, from the query so far and the schema.
//!
//! The context is read from the tokens before the word being typed:
//! - after `|`: tabular operators; at the start of a statement: tables, `let` names and
//!   statement words; after `join`/`lookup`/`union`: tables and `let` names;
//! - after `kind=`: the kinds the operator accepts (join kinds, union kinds, ...); after
//!   `render`: the chart types the engine draws;
//! - after a value (a column, a literal, a closing bracket): what may follow a value in the
//!   current operator: comparison and string operators in `where`/`extend`, `by` in
//!   `summarize`, `asc`/`desc` in `order by`, `on` in `join`, ...;
//! - otherwise: the columns of the table flowing into the operator (found by binding the
//!   pipeline up to the last `|`), `let` names in scope, functions and keywords.
//!
//! Inside a string literal or a comment nothing is offered. Candidates that start with the
//! typed word rank above those that merely contain it; a candidate equal to the typed word
//! comes first, so a word that is already complete is never pushed aside by a longer one.

use crate::bind::aggregates::AggFn;
use crate::bind::functions::Func;
use crate::bind::plan::{JoinKind, CHART_KINDS};
use crate::engine;
use crate::syntax::lex;
use crate::syntax::token::{Token, TokenKind};
use crate::table::{Catalog, Field};
use crate::view::editor::{word_before, Completion, CompletionKind};

/// The tabular operators with a one-line description (from the operator table,
/// [`crate::syntax::operators`]).
fn operators() -> Vec<(&'static str, &'static str)> {
    crate::syntax::operators::completions()
}

const STATEMENT_WORDS: &[(&str, &str)] = &[
    ("let", "Name a value, a table or a function: let x = ...;"),
    ("print", "One row of computed values: print x = 1 + 1"),
    ("range", "A column of numbers or times: range x from 1 to 10 step 1"),
    ("datatable", "An inline table: datatable(a: long) [1, 2]"),
    ("union", "The rows of several tables"),
];

const EXPR_KEYWORDS: &[(&str, &str)] = &[
    ("and", "both conditions"),
    ("or", "either condition"),
    ("not", "not(condition): the opposite"),
    ("true", "boolean true"),
    ("false", "boolean false"),
    ("dynamic", "a dynamic value: dynamic([1, 2]) or dynamic({\"a\": 1})"),
    ("datetime", "a date and time: datetime(2024-01-31 12:00)"),
    ("timespan", "a duration: timespan(1h), or write 1h"),
    ("typeof", "a type, as in mv-expand x to typeof(string)"),
];

/// What may follow a value in a condition or a computed column.
pub const VALUE_OPERATORS: &[(&str, &str)] = &[
    ("==", "equals (case-sensitive)"),
    ("!=", "not equal (case-sensitive)"),
    ("=~", "equals, ignoring case"),
    ("!~", "not equal, ignoring case"),
    ("contains", "contains the text, ignoring case"),
    ("has", "has the whole term, ignoring case"),
    ("startswith", "starts with, ignoring case"),
    ("endswith", "ends with, ignoring case"),
    ("in", "is one of: in (\"a\", \"b\")"),
    ("has_any", "has any of the terms: has_any (\"a\", \"b\")"),
    ("has_all", "has all of the terms: has_all (\"a\", \"b\")"),
    ("between", "in a range: between (a .. b)"),
    ("matches regex", "matches a regular expression"),
    ("<", "less than"),
    ("<=", "less than or equal"),
    (">", "greater than"),
    (">=", "greater than or equal"),
    ("and", "both conditions"),
    ("or", "either condition"),
    ("!contains", "does not contain the text"),
    ("!has", "does not have the term"),
    ("!startswith", "does not start with"),
    ("!endswith", "does not end with"),
    ("!in", "is none of: !in (\"a\", \"b\")"),
    ("!between", "outside a range: !between (a .. b)"),
    ("in~", "is one of, ignoring case"),
    ("!in~", "is none of, ignoring case"),
    ("hasprefix", "has a term starting with, ignoring case"),
    ("hassuffix", "has a term ending with, ignoring case"),
    ("contains_cs", "contains the text (case-sensitive)"),
    ("has_cs", "has the whole term (case-sensitive)"),
    ("startswith_cs", "starts with (case-sensitive)"),
    ("endswith_cs", "ends with (case-sensitive)"),
];

/// What may follow a sort key in `order by`, `sort by` and `top ... by`.
const SORT_WORDS: &[(&str, &str)] = &[
    ("asc", "ascending: smallest first"),
    ("desc", "descending: largest first (the default)"),
    ("nulls first", "empty values before the others"),
    ("nulls last", "empty values after the others"),
];

const LOOKUP_KINDS: &[(&str, &str)] =
    &[("leftouter", "the default: every left row, with looked-up columns where found"), ("inner", "only left rows that are found")];

const UNION_KINDS: &[(&str, &str)] = &[("outer", "the default: all columns of all tables"), ("inner", "only the columns every table has")];

const MV_EXPAND_KINDS: &[(&str, &str)] =
    &[("bag", "a property bag expands to one bag per property (the default)"), ("array", "a property bag expands to [key, value] arrays")];

/// Words that are never a value: after them comes a value, not an operator on one.
fn is_keyword(w: &str) -> bool {
    const OTHER: &[&str] = &[
        "by",
        "on",
        "kind",
        "with",
        "asc",
        "desc",
        "nulls",
        "first",
        "last",
        "from",
        "to",
        "step",
        "of",
        "matches",
        "regex",
        "not",
        "typeof",
        "dynamic",
        "let",
        "print",
        "range",
        "datatable",
        "order",
        "sort",
        "with_itemindex",
        "bagexpansion",
    ];
    OTHER.contains(&w)
        || operators().iter().any(|(o, _)| *o == w)
        || VALUE_OPERATORS.iter().any(|(o, _)| *o == w)
        || STATEMENT_WORDS.iter().any(|(o, _)| *o == w)
}

fn significant(tokens: &[Token]) -> Vec<&Token> {
    tokens.iter().filter(|t| !matches!(t.kind, TokenKind::Comment | TokenKind::Eof)).collect()
}

/// Whether `cursor` lies inside a comment or a string literal (closed or not).
pub fn in_string_or_comment(text: &str, cursor: usize) -> bool {
    let cursor = crate::view::editor::floor_boundary(text, cursor);
    let (tokens, _) = lex(&text[..cursor]);
    let Some(last) = tokens.iter().rev().find(|t| t.kind != TokenKind::Eof) else { return false };
    let end = last.span.end as usize;
    if end != cursor {
        return false;
    }
    match last.kind {
        TokenKind::Comment => true,
        // A string that runs to the cursor has no closing quote yet: the cursor is inside it.
        TokenKind::Error => {
            let t = last.text.as_str();
            t.starts_with(['"', '\'', '@'])
                || t.starts_with("```")
                || t.starts_with("~~~")
                || t.starts_with("h\"")
                || t.starts_with("H\"")
                || t.starts_with("h'")
                || t.starts_with("H'")
                || t.starts_with("h@")
                || t.starts_with("H@")
        }
        _ => false,
    }
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

/// The operator the end of `toks` belongs to: the first token after the last `|`, `;` or
/// unclosed opening bracket, and the tokens after it at the same bracket depth.
fn current_operator<'a>(toks: &[&'a Token]) -> (Option<&'a Token>, Vec<&'a Token>) {
    let mut depth = 0usize;
    let mut start = 0;
    for i in (0..toks.len()).rev() {
        let t = toks[i];
        if t.kind != TokenKind::Punct {
            continue;
        }
        match t.text.as_str() {
            ")" | "]" | "}" => depth += 1,
            "(" | "[" | "{" if depth == 0 => {
                start = i + 1;
                break;
            }
            "(" | "[" | "{" => depth -= 1,
            "|" | ";" if depth == 0 => {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let op = toks.get(start).copied();
    let mut rest = Vec::new();
    let mut depth = 0usize;
    for t in toks.iter().skip(start + 1) {
        if t.kind == TokenKind::Punct {
            match t.text.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
        } else if depth == 0 {
            rest.push(*t);
        }
    }
    (op, rest)
}

/// The names defined by `let` statements that end before the cursor, and whether each is a
/// function (`let f = (x: long) { ... };`).
fn let_names(toks: &[&Token]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut pending: Option<(String, bool)> = None;
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokenKind::Punct {
            match t.text.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                ";" if depth == 0 => {
                    if let Some(p) = pending.take() {
                        out.retain(|(n, _)| *n != p.0);
                        out.push(p);
                    }
                }
                _ => {}
            }
            continue;
        }
        let starts_statement = i == 0 || toks[i - 1].is_punct(";");
        if depth == 0 && starts_statement && t.is_word("let") {
            if let (Some(name), Some(eq)) = (toks.get(i + 1), toks.get(i + 2)) {
                if name.kind == TokenKind::Ident && eq.is_punct("=") {
                    // `(` then `)` or `name:` starts a parameter list.
                    let is_fn = toks.get(i + 3).is_some_and(|t| t.is_punct("("))
                        && toks.get(i + 4).is_some_and(|t| t.is_punct(")") || (t.kind == TokenKind::Ident && toks.get(i + 5).is_some_and(|c| c.is_punct(":"))));
                    pending = Some((name.text.clone(), is_fn));
                }
            }
        }
    }
    out
}

/// Whether the token ends a value, so that what follows is an operator on it.
fn is_value(t: &Token, before: Option<&Token>) -> bool {
    match t.kind {
        TokenKind::String | TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::TypedLiteral | TokenKind::Dollar => true,
        TokenKind::Punct => t.text == ")" || t.text == "]",
        // A name right after `|` is the operator itself, not a value.
        TokenKind::Ident => !is_keyword(&t.text) && !before.is_some_and(|b| b.is_punct("|")),
        _ => false,
    }
}

/// What may follow a value inside the operator `op` (`rest`: its tokens so far).
fn after_value_words(op: Option<&Token>, rest: &[&Token]) -> Vec<(&'static str, &'static str)> {
    let has = |w: &str| rest.iter().any(|t| t.is_word(w));
    let op = op.filter(|t| t.kind == TokenKind::Ident).map(|t| t.text.as_str()).unwrap_or("");
    match op {
        "order" | "sort" => SORT_WORDS.to_vec(),
        "top" if has("by") => SORT_WORDS.to_vec(),
        "top" => vec![("by", "the expression to rank by")],
        "summarize" if !has("by") => {
            let mut v = vec![("by", "group by these columns or expressions")];
            v.extend_from_slice(VALUE_OPERATORS);
            v
        }
        "join" | "lookup" if !has("on") => vec![("on", "the columns to match on")],
        "join" | "lookup" => vec![("==", "match $left.a == $right.b"), ("and", "another matching condition")],
        "range" => {
            [("from", "the first value"), ("to", "the last value"), ("step", "the distance between values")].into_iter().filter(|(w, _)| !has(w)).collect()
        }
        "render" | "parse" | "parse-where" => vec![("with", "properties or the pattern")],
        "mv-expand" => vec![("to typeof", "the type of the expanded values: to typeof(string)")],
        "project-away" | "project-keep" | "project-reorder" | "distinct" | "take" | "limit" | "count" | "getschema" | "as" | "union" => Vec::new(),
        _ => VALUE_OPERATORS.to_vec(),
    }
}

/// The columns flowing into the operator at `cursor`, if they can be worked out.
/// Nothing runs: the page's module has no executor, so after a step whose columns depend on the
/// data (`evaluate bag_unpack()`, `pivot()`) the statement's first table's columns are offered.
pub fn columns_at(text: &str, cursor: usize, catalog: &Catalog, _clock: i64) -> Vec<Field> {
    let (tokens, _) = lex(text);
    let toks = significant(&tokens);
    let (pipe, stmt_start) = pipeline_cut(&toks, cursor);
    if let Some(p) = pipe {
        if let Ok(b) = engine::compile_unprobed(&text[..p], catalog) {
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

/// Collects candidates that match the typed word: it starts them (any case), or, from three
/// letters on, occurs inside them.
struct Collector<'a> {
    typed: &'a str,
    prefix: String,
    out: Vec<Completion>,
}

impl Collector<'_> {
    fn push(&mut self, label: &str, kind: CompletionKind, detail: &str, insert: String) {
        let l = label.to_lowercase();
        let matches = l.starts_with(&self.prefix) || (self.prefix.len() >= 3 && l.contains(&self.prefix));
        if matches && !self.out.iter().any(|c| c.label == label) {
            self.out.push(Completion { label: label.to_string(), kind, detail: detail.to_string(), insert });
        }
    }

    fn words(&mut self, words: &[(&str, &str)], kind: CompletionKind) {
        for (w, doc) in words {
            self.push(w, kind, doc, w.to_string());
        }
    }

    fn tables(&mut self, catalog: &Catalog) {
        for (name, t, doc) in catalog.iter() {
            let d = if doc.description.is_empty() { format!("{} rows", t.len()) } else { doc.description.clone() };
            self.push(name, CompletionKind::Table, &d, quote_name(name));
        }
        // A watchlist is a table source too: offered whole, so `_Get` or a part of its name
        // (`IOC`) finds it.
        for name in sorted_watchlists(catalog) {
            let call = format!("_GetWatchlist('{name}')");
            self.push(&call, CompletionKind::Table, "watchlist", call.clone());
        }
    }

    fn lets(&mut self, lets: &[(String, bool)]) {
        for (name, is_fn) in lets {
            if *is_fn {
                self.push(name, CompletionKind::Function, "defined by let", format!("{}(", quote_name(name)));
            } else {
                self.push(name, CompletionKind::Value, "defined by let", quote_name(name));
            }
        }
    }

    fn finish(self) -> Vec<Completion> {
        rank(self.out, self.typed)
    }
}

/// Completion candidates at `cursor` (a byte offset), best first.
pub fn complete(text: &str, cursor: usize, catalog: &Catalog, clock: i64) -> Vec<Completion> {
    let cursor = crate::view::editor::floor_boundary(text, cursor);
    let word = word_before(text, cursor);
    let typed = &text[word.clone()];
    // Inside the quotes of `_GetWatchlist('...`: the watchlists' names.
    if let Some(names) = watchlist_argument(text, cursor, typed, catalog) {
        return names;
    }
    // A number is being typed, or the cursor is in text that is not code.
    if typed.starts_with(|c: char| c.is_ascii_digit()) || in_string_or_comment(text, cursor) {
        return Vec::new();
    }
    let mut c = Collector { typed, prefix: typed.to_lowercase(), out: Vec::new() };
    let (tokens, _) = lex(&text[..word.start]);
    let toks = significant(&tokens);
    let n = toks.len();
    let prev = toks.last().copied();
    let prev2 = if n >= 2 { Some(toks[n - 2]) } else { None };
    let prev3 = if n >= 3 { Some(toks[n - 3]) } else { None };
    let lets = let_names(&toks);
    let (op, rest) = current_operator(&toks);
    let op_word = op.filter(|t| t.kind == TokenKind::Ident).map(|t| t.text.as_str());

    if prev.is_some_and(|t| t.is_punct("|")) {
        c.words(&operators(), CompletionKind::Operator);
        return c.finish();
    }
    // `kind=` (or `kind =`) of join, lookup, union, mv-expand.
    if prev.is_some_and(|t| t.is_punct("=")) && prev2.is_some_and(|t| t.is_word("kind")) {
        if op_word == Some("join") {
            for k in JoinKind::ALL {
                c.push(k.name(), CompletionKind::Keyword, k.doc(), k.name().to_string());
            }
            return c.finish();
        }
        let kinds = match op_word {
            Some("lookup") => LOOKUP_KINDS,
            Some("union") => UNION_KINDS,
            Some("mv-expand") => MV_EXPAND_KINDS,
            _ => &[],
        };
        c.words(kinds, CompletionKind::Keyword);
        return c.finish();
    }
    if prev.is_some_and(|t| t.is_word("render")) && prev2.is_some_and(|t| t.is_punct("|")) {
        c.words(CHART_KINDS, CompletionKind::Keyword);
        return c.finish();
    }
    if prev.is_none_or(|t| t.is_punct(";")) {
        c.tables(catalog);
        c.lets(&lets);
        c.words(STATEMENT_WORDS, CompletionKind::Keyword);
        return c.finish();
    }
    // `join T`, `join (T`, `join kind=inner T`, `join kind=inner (T`, `union T, U`.
    let joinish = |t: Option<&Token>| t.is_some_and(|t| t.is_word("join") || t.is_word("lookup") || t.is_word("union"));
    let after_kind = prev.is_some_and(|t| t.kind == TokenKind::Ident) && prev2.is_some_and(|t| t.is_punct("=")) && prev3.is_some_and(|t| t.is_word("kind"));
    let paren_after_kind = n >= 5
        && toks[n - 1].is_punct("(")
        && toks[n - 2].kind == TokenKind::Ident
        && toks[n - 3].is_punct("=")
        && toks[n - 4].is_word("kind")
        && joinish(Some(toks[n - 5]));
    let wants_table = joinish(prev)
        || (prev.is_some_and(|t| t.is_punct("(")) && joinish(prev2))
        || paren_after_kind
        || (after_kind && matches!(op_word, Some("join" | "lookup" | "union")))
        || (op_word == Some("union") && prev.is_some_and(|t| t.is_punct(",")));
    if wants_table {
        c.tables(catalog);
        c.lets(&lets);
        return c.finish();
    }
    // `Url !c`: the negated string operators, written after the `!`.
    if prev.is_some_and(|t| t.is_punct("!")) && prev2.is_some_and(|t| is_value(t, prev3)) {
        for (w, doc) in VALUE_OPERATORS {
            if let Some(negated) = w.strip_prefix('!').filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic())) {
                c.push(negated, CompletionKind::Keyword, doc, negated.to_string());
            }
        }
        return c.finish();
    }
    if prev.is_some_and(|t| t.is_word("order") || t.is_word("sort")) {
        c.push("by", CompletionKind::Keyword, "the columns to sort by", "by".into());
        return c.finish();
    }
    // After a value: what may follow it in this operator. A word that matches none of those
    // falls through to the names below (the guess about the value may be wrong).
    if prev.is_some_and(|t| is_value(t, prev2)) {
        c.words(&after_value_words(op, &rest), CompletionKind::Keyword);
        if !c.out.is_empty() || typed.is_empty() {
            return c.finish();
        }
    }
    for f in columns_at(text, word.start, catalog, clock) {
        c.push(&f.name, CompletionKind::Column, f.ty.name(), quote_name(&f.name));
    }
    c.lets(&lets);
    let in_summarize = op_word == Some("summarize");
    if in_summarize {
        for a in AggFn::ALL {
            c.push(a.name(), CompletionKind::Function, a.doc(), format!("{}(", a.name()));
        }
    }
    for f in Func::ALL {
        c.push(f.name(), CompletionKind::Function, f.doc(), format!("{}(", f.name()));
    }
    if !in_summarize {
        for a in AggFn::ALL {
            c.push(a.name(), CompletionKind::Function, a.doc(), format!("{}(", a.name()));
        }
    }
    c.words(EXPR_KEYWORDS, CompletionKind::Keyword);
    c.finish()
}

fn sorted_watchlists(catalog: &Catalog) -> Vec<&str> {
    let mut names: Vec<&str> = catalog.watchlist_names().collect();
    names.sort_unstable();
    names
}

/// The names of the catalog's watchlists when the cursor is in the (unclosed) string argument
/// of `_GetWatchlist(`; each completes the name and closes the string and the call.
fn watchlist_argument(text: &str, cursor: usize, typed: &str, catalog: &Catalog) -> Option<Vec<Completion>> {
    let (tokens, _) = lex(&text[..cursor]);
    let toks = significant(&tokens);
    let [.., call, open, arg] = toks.as_slice() else { return None };
    let quote = arg.text.chars().next().filter(|q| matches!(q, '\'' | '"'))?;
    let open_string = arg.kind == TokenKind::Error && arg.span.end as usize == cursor && arg.text[1..] == *typed;
    if !open_string || !open.is_punct("(") || !call.is_word("_GetWatchlist") {
        return None;
    }
    let prefix = typed.to_lowercase();
    let out = sorted_watchlists(catalog)
        .into_iter()
        .filter(|n| n.to_lowercase().starts_with(&prefix))
        // (No row count: the page completes against schemas without rows.)
        .map(|n| Completion { label: n.to_string(), kind: CompletionKind::Table, detail: "watchlist".into(), insert: format!("{n}{quote})") })
        .collect();
    Some(out)
}

/// The word itself first, then candidates that start with it in the same case, then those
/// that start with it in another case, then those that only contain it. Within each group
/// the order of the context is kept (the sort is stable).
fn rank(mut out: Vec<Completion>, typed: &str) -> Vec<Completion> {
    let prefix = typed.to_lowercase();
    crate::util::sort::sort_by_key(&mut out, |c| {
        if c.label == typed {
            0
        } else if c.label.starts_with(typed) {
            1
        } else if c.label.to_lowercase().starts_with(&prefix) {
            2
        } else {
            3
        }
    });
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
    fn watchlists_complete_as_sources_and_inside_get_watchlist() {
        let c = cat();
        let names: Vec<&str> = sorted_watchlists(&c);
        assert!(names.contains(&"IOCs"), "the built-in watchlists: {names:?}");
        assert!(labels("_Get").contains(&"_GetWatchlist('IOCs')".to_string()), "{:?}", labels("_Get"));
        assert!(labels("IOC").contains(&"_GetWatchlist('IOCs')".to_string()), "a part of the name finds it");
        // Inside the string: the names, and the insert closes the string and the call.
        let text = "_GetWatchlist('Net";
        let got = complete(text, text.len(), &c, 0);
        assert_eq!(got.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["NetworkRanges"]);
        assert_eq!(got[0].insert, "NetworkRanges')");
        let text = "let bad = _GetWatchlist(\"";
        let got = complete(text, text.len(), &c, 0);
        assert_eq!(got.len(), names.len(), "every name for an empty prefix");
        assert!(got.iter().all(|c| c.insert.ends_with("\")")), "the same quote closes it");
        // Any other string still gets nothing.
        assert!(labels("print x = 'Net").is_empty());
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

    fn first(text: &str) -> String {
        labels(text).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn a_complete_word_comes_first_and_is_not_replaced() {
        // Lesson 1 step 4's hint: `asc` and `desc` stay what they are.
        let q = "UrlClickEvents\n| summarize ClickCount = count() by bin(Timestamp, 1h)\n| order by Timestamp asc";
        assert_eq!(labels(q), ["asc"], "only sort words after a sort key");
        assert_eq!(labels("UrlClickEvents | order by Timestamp desc"), ["desc"]);
        assert_eq!(labels("UrlClickEvents | top 10 by Timestamp desc"), ["desc"]);
        for text in ["UrlClickEvents | where Url contains", "UrlClickEvents | summarize count() by", "UrlClickEvents | where Timestamp > ago(1d) and"] {
            let word = &text[word_before(text, text.len())];
            let c = complete(text, text.len(), &cat(), 0);
            assert_eq!(c[0].label, word, "{text}: {c:?}");
            assert_eq!(c[0].insert, word, "accepting a complete word leaves it alone");
        }
        // A complete column name ranks above longer names that start with it.
        assert_eq!(first("UrlClickEvents | project Url"), "Url");
        assert_eq!(first("UrlClickEvents | project Timestamp"), "Timestamp");
        // A complete table name.
        assert_eq!(first("UrlClickEvents"), "UrlClickEvents");
    }

    #[test]
    fn prefix_matches_rank_above_substring_matches() {
        // `coun` starts some names (count, countif, countof) and is inside others (dcount).
        let l = labels("UrlClickEvents | summarize coun");
        let last_prefix = l.iter().rposition(|x| x.to_lowercase().starts_with("coun")).expect("a prefix match");
        let first_inner = l.iter().position(|x| !x.to_lowercase().starts_with("coun")).expect("a substring match");
        assert!(last_prefix < first_inner, "{l:?}");
        assert!(l.contains(&"dcount".to_string()) && l.contains(&"countif".to_string()), "{l:?}");
        // After a column, operators on values come before functions.
        assert_eq!(first("UrlClickEvents | where Url c"), "contains");
        let l = labels("UrlClickEvents | where Url c");
        assert!(l.iter().position(|x| x == "contains") < l.iter().position(|x| x == "countof").or(Some(usize::MAX)), "{l:?}");
    }

    #[test]
    fn operators_after_a_value() {
        let l = labels("UrlClickEvents | where Url ");
        for op in ["==", "contains", "has", "startswith", "in", "!contains", "and", "or"] {
            assert!(l.contains(&op.to_string()), "{op} in {l:?}");
        }
        assert!(!l.contains(&"Timestamp".to_string()), "no columns right after a column: {l:?}");
        // After a literal and after a call, too.
        assert!(labels("UrlClickEvents | where Url has \"x\" ").contains(&"and".to_string()));
        assert!(labels("UrlClickEvents | where Timestamp > ago(1d) ").contains(&"and".to_string()));
        // What follows depends on the operator.
        assert_eq!(first("UrlClickEvents | summarize count() "), "by");
        assert_eq!(labels("UrlClickEvents | order by Timestamp "), ["asc", "desc", "nulls first", "nulls last"]);
        assert_eq!(labels("UrlClickEvents | top 5 "), ["by"]);
        assert_eq!(labels("UrlClickEvents | order "), ["by"]);
        assert_eq!(labels("UrlClickEvents | join kind=inner EmailEvents "), ["on"]);
        assert_eq!(labels("UrlClickEvents | render timechart "), ["with"]);
        assert!(labels("UrlClickEvents | project-away Url ").is_empty());
        // After `!`, the operators that can be negated.
        assert_eq!(labels("UrlClickEvents | where Url !c"), ["contains"]);
        assert!(labels("UrlClickEvents | where Url !").contains(&"startswith".to_string()));
        // A word no operator starts falls back to names (the value guess may be wrong).
        assert!(labels("UrlClickEvents | where Url Acc").contains(&"AccountUpn".to_string()));
    }

    #[test]
    fn every_offered_operator_parses() {
        let catalog = cat();
        for (op, _) in VALUE_OPERATORS {
            let q = match *op {
                "in" | "!in" | "in~" | "!in~" | "has_any" | "has_all" => format!("Url {op} (\"a\", \"b\")"),
                "between" | "!between" => format!("Timestamp {op} (ago(2d) .. ago(1d))"),
                "<" | "<=" | ">" | ">=" => format!("Timestamp {op} ago(1d)"),
                "and" | "or" => format!("Url == \"a\" {op} Url == \"b\""),
                _ => format!("Url {op} \"a\""),
            };
            let q = format!("UrlClickEvents | where {q}");
            let diags = engine::check(&q, &catalog, 0);
            assert!(diags.is_empty(), "{q}: {diags:?}");
        }
        for (w, _) in SORT_WORDS {
            assert!(engine::check(&format!("UrlClickEvents | order by Timestamp {w}"), &catalog, 0).is_empty(), "{w}");
        }
    }

    #[test]
    fn join_kinds_and_chart_types() {
        let l = labels("UrlClickEvents | join kind=");
        assert_eq!(l, JoinKind::ALL.iter().map(|k| k.name().to_string()).collect::<Vec<_>>());
        for k in ["inner", "innerunique", "leftouter", "rightouter", "fullouter", "leftanti", "rightanti", "leftsemi", "rightsemi"] {
            assert!(l.contains(&k.to_string()), "{k}");
        }
        assert_eq!(first("UrlClickEvents | join kind = left"), "leftouter");
        assert_eq!(labels("UrlClickEvents | lookup kind="), ["leftouter", "inner"]);
        assert_eq!(labels("union kind="), ["outer", "inner"]);
        assert_eq!(labels("UrlClickEvents | union kind="), ["outer", "inner"]);
        let l = labels("UrlClickEvents | render ");
        for k in ["timechart", "columnchart", "barchart", "piechart", "linechart", "areachart", "scatterchart"] {
            assert!(l.contains(&k.to_string()), "{k} in {l:?}");
        }
        assert_eq!(first("UrlClickEvents | render pie"), "piechart");
        // Each offered chart type is one `render` accepts.
        let catalog = cat();
        for (k, _) in CHART_KINDS {
            let q = format!("UrlClickEvents | summarize count() by bin(Timestamp, 1h) | render {k}");
            let diags = engine::check(&q, &catalog, 0);
            assert!(diags.iter().all(|d| !d.message.contains("not a chart type")), "{k}: {diags:?}");
        }
    }

    #[test]
    fn let_names_in_scope() {
        let q = "let recent = UrlClickEvents | where Timestamp > ago(1d);\nlet limit = 5;\nlet f = (n: long) { n + 1 };\n";
        let at_start = labels(&format!("{q}rec"));
        assert_eq!(at_start[0], "recent", "{at_start:?}");
        let l = labels(&format!("{q}recent | where Url has \"x\" | take li"));
        assert!(l.contains(&"limit".to_string()), "{l:?}");
        let c = complete(&format!("{q}print f"), q.len() + 7, &cat(), 0);
        let f = c.iter().find(|c| c.label == "f").expect("f offered");
        assert_eq!(f.insert, "f(");
        // Columns of a let table flow into the pipeline after it.
        assert!(labels(&format!("{q}recent | where Acc")).contains(&"AccountUpn".to_string()));
        // A let is not in scope inside its own definition, nor before it.
        assert!(!labels("let recent = UrlClickEvents | where rec").contains(&"recent".to_string()));
        assert!(labels(&format!("{q}UrlClickEvents | join (rec")).contains(&"recent".to_string()));
    }

    #[test]
    fn nothing_inside_strings_or_comments() {
        assert!(labels("UrlClickEvents | where Url has \"cont").is_empty());
        assert!(labels("UrlClickEvents | where Url has 'a b ").is_empty());
        assert!(labels("UrlClickEvents | where Url has @\"c:\\wh").is_empty());
        assert!(labels("UrlClickEvents // where con").is_empty());
        assert!(labels("// a comment\nUrlClickEvents | where Url has \"a\" // and con").is_empty());
        // Right after a closed string, or on the line after a comment, completion is back.
        assert!(!labels("UrlClickEvents | where Url has \"x\" ").is_empty());
        assert!(!labels("// a comment\nUrl").is_empty());
        // The cursor inside a closed string.
        let text = "UrlClickEvents | where Url has \"contoso\"";
        assert!(complete(text, text.len() - 3, &cat(), 0).is_empty());
        // Numbers are not completed.
        assert!(labels("UrlClickEvents | take 1").is_empty());
    }

    #[test]
    fn functions_and_aggregates() {
        let l = labels("UrlClickEvents | summarize dc");
        assert_eq!(l[0], "dcount");
        let c = complete("UrlClickEvents | extend x = tolow", 33, &cat(), 0);
        assert_eq!(c[0].insert, "tolower(");
    }
}
