//! Tokens: what the lexer produces and the parser and the editor's highlighter consume.

use crate::diag::Span;
use crate::types::DataType;

/// The kind of a token. Words (operator names, function names, column names, keywords such as
/// `and` or `by`) are all [`TokenKind::Ident`]: KQL keywords are contextual, so the parser
/// decides what a word means. Hyphenated operator names (`project-away`, `mv-expand`) and
/// negated string operators (`!contains`, `!in~`) are lexed as single tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Ident,
    /// A `$left` / `$right` join qualifier.
    Dollar,
    /// A string operator written with symbols or a leading `!`: `!contains`, `in~`, `!in~`,
    /// `!has_cs`, ... (`=~` and `!~` are [`TokenKind::Punct`]).
    WordOp,
    String,
    Long,
    Real,
    TimeSpan,
    /// `datetime(...)`, `timespan(...)`, `time(...)`, `guid(...)` with their raw contents.
    TypedLiteral,
    Punct,
    Comment,
    /// A character or literal the lexer could not read (a diagnostic was reported).
    Error,
    Eof,
}

/// A decoded literal value carried by a token.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenValue {
    None,
    Str(String),
    Long(i64),
    Real(f64),
    Ticks(i64),
    /// The literal's type and its raw text between the parentheses.
    Typed(DataType, String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// The token's source text (for strings: including quotes).
    pub text: String,
    pub value: TokenValue,
}

impl Token {
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == p
    }

    /// A word compared case-sensitively (KQL keywords are lower case).
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == TokenKind::Ident && self.text == w
    }

    /// How the token is described in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self.kind {
            TokenKind::Eof => "the end of the query".to_string(),
            TokenKind::String => "a string".to_string(),
            TokenKind::Long | TokenKind::Real => format!("the number {}", self.text),
            TokenKind::TimeSpan => format!("the timespan {}", self.text),
            _ => {
                let t: String = self.text.chars().take(30).collect();
                format!("'{t}'")
            }
        }
    }

    /// The CSS class the editor uses to colour this token.
    pub fn highlight_class(&self) -> &'static str {
        match self.kind {
            TokenKind::Ident => {
                if is_operator_name(&self.text) {
                    "tok-operator"
                } else if is_keyword(&self.text) {
                    "tok-keyword"
                } else if DataType::from_name(&self.text).is_some() {
                    "tok-type"
                } else {
                    "tok-ident"
                }
            }
            TokenKind::Dollar => "tok-keyword",
            TokenKind::WordOp => "tok-keyword",
            TokenKind::String => "tok-string",
            TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::TypedLiteral => "tok-number",
            TokenKind::Punct => {
                if self.text == "|" {
                    "tok-pipe"
                } else {
                    "tok-punct"
                }
            }
            TokenKind::Comment => "tok-comment",
            TokenKind::Error => "tok-error",
            TokenKind::Eof => "",
        }
    }
}

/// Words with a fixed meaning inside operators and expressions.
pub const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "by",
    "on",
    "kind",
    "with",
    "let",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "between",
    "contains",
    "contains_cs",
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "has_any",
    "has_all",
    "in",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "matches",
    "regex",
    "to",
    "from",
    "step",
    "true",
    "false",
    "null",
    "typeof",
    "dynamic",
    "view",
    "set",
    "withsource",
    "isfuzzy",
    "with_itemindex",
    "bagexpansion",
    "hint",
    "declare",
    "materialize",
    "toscalar",
    "totable",
];

/// A tabular operator's name or alias, supported or not (see [`super::operators`]).
pub fn is_operator_name(w: &str) -> bool {
    super::operators::is_operator_name(w)
}

pub fn is_keyword(w: &str) -> bool {
    KEYWORDS.contains(&w)
}

/// String operators that can be negated with a leading `!` (lexed as one [`TokenKind::WordOp`]).
pub const NEGATABLE: &[&str] = &[
    "contains",
    "contains_cs",
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "in",
    "in~",
    "between",
    "has_any",
    "has_all",
];
