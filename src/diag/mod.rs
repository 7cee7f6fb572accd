//! Diagnostics: errors as data.
//!
//! Every problem the engine reports is a [`Diagnostic`]: a stable code, a message, the byte
//! span it is about, optional extra labels and a help line (often a did-you-mean). Rendering is
//! separate: [`render_text`] draws a caret under the span for terminals and tests; the web app
//! renders the same value as HTML. Offsets are UTF-8 byte offsets into the query text;
//! [`LineIndex`] converts them to line/column (and to UTF-16 for the browser) at the edges.

use serde::{Deserialize, Serialize};
use std::fmt;

mod render;
pub use render::{render_text, render_text_all};

/// A half-open byte range `start..end` in the source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// An empty span at the end of this one (used for "expected X after Y").
    pub fn after(self) -> Span {
        Span { start: self.end, end: self.end }
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Which stage found the problem. Learners see different wording for each: a syntax error is
/// about how the query is written, a semantic error about what it refers to, a runtime error
/// about what happened while running it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Syntax,
    Semantic,
    Runtime,
}

/// One problem found in a query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code such as `KQL0101`; see [`codes`].
    pub code: std::borrow::Cow<'static, str>,
    pub stage: Stage,
    pub message: String,
    /// The primary location.
    pub span: Span,
    /// Secondary locations with a short note each.
    pub labels: Vec<(Span, String)>,
    /// A suggestion, e.g. "Did you mean 'AccountUpn'?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, stage: Stage, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { code: std::borrow::Cow::Borrowed(code), stage, message: message.into(), span, labels: Vec::new(), help: None }
    }
    pub fn syntax(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Stage::Syntax, span, message)
    }
    pub fn semantic(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Stage::Semantic, span, message)
    }
    pub fn runtime(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Stage::Runtime, span, message)
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_label(mut self, span: Span, note: impl Into<String>) -> Self {
        self.labels.push((span, note.into()));
        self
    }
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// The stable diagnostic codes. Ranges: 00xx lexical, 01xx syntax, 02xx names, 03xx types,
/// 04xx unsupported features, 05xx runtime and limits.
pub mod codes {
    /// A character that cannot start any token, e.g. `#`.
    pub const UNEXPECTED_CHAR: &str = "KQL0001";
    /// A string literal without its closing quote: `"abc`.
    pub const UNTERMINATED_STRING: &str = "KQL0002";
    /// A malformed number or timespan literal: `1.2.3`, `5q`.
    pub const BAD_NUMBER: &str = "KQL0003";
    /// A malformed `datetime(...)`, `timespan(...)`, `guid(...)` or `dynamic(...)` literal.
    pub const BAD_LITERAL: &str = "KQL0004";
    /// A bracket without its partner: `(a`, `a)`.
    pub const UNBALANCED: &str = "KQL0005";
    /// The parser expected one thing and found another: `T | where`.
    pub const EXPECTED: &str = "KQL0101";
    /// An operator name that does not exist after `|`: `T | wher x`.
    pub const UNKNOWN_OPERATOR: &str = "KQL0102";
    /// Text left over after a complete query: `T | take 5 5`.
    pub const TRAILING: &str = "KQL0103";
    /// The query is empty or only `let` statements.
    pub const NO_QUERY: &str = "KQL0104";
    /// Nesting too deep to parse safely.
    pub const TOO_DEEP: &str = "KQL0105";
    /// A table name that does not exist: `UrlClickEvent`.
    pub const UNKNOWN_TABLE: &str = "KQL0201";
    /// A column name that does not exist in the input: `AcountUpn`.
    pub const UNKNOWN_COLUMN: &str = "KQL0202";
    /// A function name that does not exist: `tolowr(x)`.
    pub const UNKNOWN_FUNCTION: &str = "KQL0203";
    /// Two output columns with the same name where Kusto forbids it.
    pub const DUPLICATE_COLUMN: &str = "KQL0204";
    /// A name used in the wrong role, e.g. a table where a scalar is needed.
    pub const WRONG_KIND: &str = "KQL0205";
    /// An argument of the wrong type: `strlen(5)`, `Timestamp > "x"`.
    pub const TYPE_MISMATCH: &str = "KQL0301";
    /// Too few or too many arguments: `substring()`.
    pub const ARG_COUNT: &str = "KQL0302";
    /// An aggregate used outside `summarize`, or a scalar where an aggregate is required.
    pub const AGG_CONTEXT: &str = "KQL0303";
    /// An argument that must be a constant is not: `bin(x, y)` with column `y`.
    pub const NOT_CONSTANT: &str = "KQL0304";
    /// A real KQL operator, function or form that kqlab does not implement.
    pub const UNSUPPORTED: &str = "KQL0401";
    /// A KQL feature that cannot work in a browser sandbox (network, cluster).
    pub const UNAVAILABLE: &str = "KQL0402";
    /// A run-time failure of a function, e.g. an invalid regular expression.
    pub const RUNTIME: &str = "KQL0501";
    /// A resource limit was reached (rows materialised, join size, time).
    pub const LIMIT: &str = "KQL0502";
}

/// Line/column lookup for a source text. Lines and columns are 1-based; columns count
/// characters (what a learner sees), and [`LineIndex::utf16_offset`] gives the offsets a
/// browser text area uses.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { text, line_starts }
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = self.text[self.line_starts[line]..offset].chars().count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_starts[line - 1];
        let end = self.line_starts.get(line).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The UTF-16 code-unit offset of a byte offset (what JavaScript strings count).
    pub fn utf16_offset(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        self.text[..offset].encode_utf16().count()
    }
}

/// Formats a number with thousands separators, as learners read them: `1,204`.
pub fn thousands(n: usize) -> String {
    thousands_u64(n as u64)
}

/// [`thousands`] for counts that may not fit a 32-bit `usize` (wasm32): sizes computed before
/// anything is built.
pub fn thousands_u64(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Levenshtein distance, case-insensitive, for did-you-mean suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(|c| c.to_lowercase()).collect();
    let b: Vec<char> = b.chars().flat_map(|c| c.to_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = if a[i - 1] == b[j - 1] { 0 } else { 1 };
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if any is close enough to be a plausible typo.
pub fn did_you_mean<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = match name.chars().count() {
        0..=2 => 1,
        3..=5 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.eq_ignore_ascii_case(name) {
            return Some(c);
        }
        let d = edit_distance(name, c);
        let prefix_hit = c.len() > 3 && name.len() > 3 && c.to_lowercase().starts_with(&name.to_lowercase());
        let d = if prefix_hit { d.min(limit) } else { d };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_chars_and_utf16() {
        let text = "ab\nçd😀x";
        let li = LineIndex::new(text);
        assert_eq!(li.line_col(0), (1, 1));
        assert_eq!(li.line_col(3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(li.line_col(x), (2, 4));
        assert_eq!(li.utf16_offset(x), 3 + 1 + 1 + 2);
        assert_eq!(li.line_text(2), "çd😀x");
    }

    #[test]
    fn suggestions() {
        let cols = ["AccountUpn", "Url", "Timestamp", "ActionType"];
        assert_eq!(did_you_mean("AcountUpn", cols), Some("AccountUpn"));
        assert_eq!(did_you_mean("timestamp", cols), Some("Timestamp"));
        assert_eq!(did_you_mean("Zebra", cols), None);
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1000000), "1,000,000");
        assert_eq!(thousands(12), "12");
    }
}
