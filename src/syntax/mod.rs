//! The language front end: text → tokens → syntax tree, with diagnostics.

pub mod ast;
pub mod display;
pub mod graph;
pub mod layout;
mod lexer;
pub mod operators;
mod parser;
pub mod token;
pub mod visit;

pub use lexer::{lex, MAX_QUERY_BYTES};
pub use parser::MAX_DEPTH;

use crate::diag::{codes, Diagnostic, Span};

/// Parses a query. Returns the tree (if any statement could be read) and every diagnostic
/// from lexing and parsing. A query is usable only when the diagnostics are empty.
pub fn parse(text: &str) -> (Option<ast::Script>, Vec<Diagnostic>) {
    let (tokens, mut diags) = lex(text);
    if diags.iter().any(|d| d.code == codes::TOO_DEEP) {
        return (None, diags);
    }
    let mut p = parser::Parser::new(text, tokens);
    let script = p.parse_script();
    diags.extend(p.diags);
    crate::util::sort::sort_by_key(&mut diags, |d| d.span.start);
    diags.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    if script.is_none() && diags.is_empty() {
        diags.push(
            Diagnostic::syntax(codes::NO_QUERY, Span::new(0, text.len()), "The query is empty")
                .with_help("Start with a table name, for example: UrlClickEvents | take 10"),
        );
    }
    (script, diags)
}

/// Highlighting spans for the editor: (byte range, CSS class) for every token, comments included.
pub fn highlight(text: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let (tokens, _) = lex(text);
    let mut out: Vec<(std::ops::Range<usize>, &'static str)> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == token::TokenKind::Eof {
            continue;
        }
        let mut class = t.highlight_class();
        // A word followed by '(' is a function call.
        if class == "tok-ident" && tokens.get(i + 1).is_some_and(|n| n.is_punct("(")) {
            class = "tok-function";
        }
        out.push((t.span.range(), class));
    }
    out
}
