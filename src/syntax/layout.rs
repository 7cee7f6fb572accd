//! Text layout of queries, for the editor: the query block under the cursor (what
//! Shift+Enter runs) and a formatter (one pipe stage per line).
//!
//! The formatter works on tokens, not on the syntax tree: it only changes the whitespace
//! between tokens, so comments, verbatim strings, literal spellings and quoted names stay
//! exactly as the learner wrote them. It then parses both texts and refuses its own output if
//! the two trees differ (printed canonically), so formatting can never change what a query
//! means.

use super::token::TokenKind;
use std::ops::Range;

/// The query block around byte offset `cursor`: the run of non-blank lines that contains it.
/// Blank lines separate queries in Data Explorer's editor, and Shift+Enter runs the block under
/// the cursor. On a blank line, the nearest block above is used (then below); `None` when the
/// text has no non-blank line. The range covers whole lines, without the final newline.
pub fn query_block_at(text: &str, cursor: usize) -> Option<Range<usize>> {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    // Lines as (start, end) byte ranges, end excluding the newline.
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push((start, i));
            start = i + 1;
        }
    }
    lines.push((start, text.len()));
    let blank = |&(s, e): &(usize, usize)| text[s..e].trim().is_empty();
    let at = lines.iter().position(|&(s, e)| cursor >= s && cursor <= e).unwrap_or(lines.len() - 1);
    let line = if !blank(&lines[at]) {
        at
    } else if let Some(up) = (0..at).rev().find(|&i| !blank(&lines[i])) {
        up
    } else {
        (at + 1..lines.len()).find(|&i| !blank(&lines[i]))?
    };
    let first = (0..=line).rev().take_while(|&i| !blank(&lines[i])).last().unwrap_or(line);
    let last = (line..lines.len()).take_while(|&i| !blank(&lines[i])).last().unwrap_or(line);
    Some(lines[first].0..lines[last].1)
}

/// Why a query could not be formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The query has syntax errors: formatting waits until it parses.
    DoesNotParse,
    /// The laid-out text would mean something else (a formatter bug; the text is left alone).
    WouldChangeMeaning,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::DoesNotParse => f.write_str("the query has errors: fix them first, then format"),
            FormatError::WouldChangeMeaning => f.write_str("formatting would change this query's meaning, so it was left as it is (please report it)"),
        }
    }
}

const INDENT: &str = "    ";

/// Lays a query out with one pipe stage per line (`| where …`), pipelines inside parentheses
/// indented one level per parenthesis, one statement per line, single spaces between tokens
/// that had space between them, and blank lines between statements kept (one at most).
pub fn format_query(text: &str) -> Result<String, FormatError> {
    let (before, diags) = super::parse(text);
    let Some(before) = before.filter(|_| diags.is_empty()) else { return Err(FormatError::DoesNotParse) };
    let (tokens, _) = super::lex(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut depth = 0usize;
    let mut prev_end: Option<usize> = None;
    let mut prev_kind = TokenKind::Eof;
    let mut prev_text = "";
    for t in tokens.iter().filter(|t| t.kind != TokenKind::Eof) {
        let (s, e) = (t.span.start as usize, t.span.end as usize);
        let tok = &text[s..e];
        if let Some(pe) = prev_end {
            let gap = &text[pe..s];
            let newlines = gap.matches('\n').count();
            let pad = INDENT.repeat(depth);
            if t.kind == TokenKind::Punct && tok == "|" {
                out.push('\n');
                out.push_str(&pad);
            } else if prev_kind == TokenKind::Comment || (prev_text == ";" && depth == 0) {
                out.push('\n');
                if newlines >= 2 {
                    out.push('\n');
                }
                out.push_str(&pad);
            } else if t.kind == TokenKind::Comment && newlines > 0 {
                // A comment on a line of its own stays on a line of its own.
                out.push('\n');
                out.push_str(&pad);
            } else if (prev_kind == TokenKind::Punct && prev_text == "|") || !gap.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(tok);
        if t.kind == TokenKind::Punct {
            match tok {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev_end = Some(e);
        prev_kind = t.kind;
        prev_text = tok;
    }
    let (after, diags) = super::parse(&out);
    match after.filter(|_| diags.is_empty()) {
        Some(after) if canonical(&after) == canonical(&before) => Ok(out),
        _ => Err(FormatError::WouldChangeMeaning),
    }
}

fn canonical(s: &super::ast::Script) -> String {
    s.statements
        .iter()
        .map(|st| match st {
            super::ast::Statement::Let(l) => format!("{l}"),
            super::ast::Statement::Query(q) => format!("{q}"),
            super::ast::Statement::QueryParameters { .. } => format!("{st}"),
            super::ast::Statement::Unsupported { text, .. } => text.clone(),
        })
        .collect::<Vec<_>>()
        .join(";\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, at: &str) -> String {
        let cursor = text.find(at).unwrap();
        query_block_at(text, cursor).map(|r| text[r].to_string()).unwrap_or_default()
    }

    #[test]
    fn the_block_under_the_cursor() {
        let t = "A\n| take 1\n\nB\n| count\n\n\nC";
        assert_eq!(block(t, "take"), "A\n| take 1");
        assert_eq!(block(t, "| count"), "B\n| count");
        assert_eq!(block(t, "C"), "C");
        // On a blank line: the block above.
        assert_eq!(query_block_at(t, t.find("\n\nB").unwrap() + 1).map(|r| &t[r]), Some("A\n| take 1"));
        // At the very end, on the last character.
        assert_eq!(query_block_at(t, t.len()).map(|r| &t[r]), Some("C"));
        // A blank first line: the block below.
        assert_eq!(query_block_at("\n\nA | count", 0).map(|r| r.start), Some(2));
        assert_eq!(query_block_at("  \n \n", 2), None);
        assert_eq!(query_block_at("", 0), None);
        // Inside a multi-byte character.
        assert_eq!(query_block_at("print 'é'", 8).map(|r| r.end), Some(10));
    }

    #[test]
    fn formats_one_stage_per_line() {
        let q = "UrlClickEvents | where Timestamp > ago(1d)   and Url has \"x\" | summarize count() by AccountUpn | top 3 by count_";
        assert_eq!(
            format_query(q).unwrap(),
            "UrlClickEvents\n| where Timestamp > ago(1d) and Url has \"x\"\n| summarize count() by AccountUpn\n| top 3 by count_"
        );
    }

    #[test]
    fn nested_pipelines_indent_and_lets_get_their_own_lines() {
        let q = "let a = 1; let B = EmailEvents | project NetworkMessageId;\n\nUrlClickEvents | join kind=inner (B | where NetworkMessageId != \"\" | take 5) on NetworkMessageId | count";
        assert_eq!(
            format_query(q).unwrap(),
            "let a = 1;\nlet B = EmailEvents\n| project NetworkMessageId;\n\nUrlClickEvents\n| join kind=inner (B\n    | where NetworkMessageId != \"\"\n    | take 5) on NetworkMessageId\n| count"
        );
    }

    #[test]
    fn keeps_comments_literals_and_spelling() {
        let q = "// find the clicks\nUrlClickEvents // all of them\n| where Url has @'c:\\x' and Timestamp > datetime(2026-11-21)   // recent\n| project ['odd name'] = 1h";
        let f = format_query(q).unwrap();
        assert_eq!(
            f,
            "// find the clicks\nUrlClickEvents // all of them\n| where Url has @'c:\\x' and Timestamp > datetime(2026-11-21) // recent\n| project ['odd name'] = 1h"
        );
        // Formatting is idempotent.
        assert_eq!(format_query(&f).unwrap(), f);
    }

    #[test]
    fn refuses_a_query_with_errors() {
        assert_eq!(format_query("UrlClickEvents | where"), Err(FormatError::DoesNotParse));
        assert!(FormatError::DoesNotParse.to_string().contains("fix them first"));
    }
}
