//! The bound form of the `parse` operator's pattern and its matcher.
//!
//! `parse Url with "https://" Host "/" Path` walks the string left to right: a literal must
//! appear next (at the start for the first one, else the next occurrence), a column takes the
//! text up to the next literal (or to the end), `*` skips like a column that is not kept.
//! Extracted text is converted to the column's declared type (null when it does not convert).

use crate::types::DataType;

#[derive(Clone, Debug, PartialEq)]
pub enum PatternPart {
    Literal(String),
    /// Index into the operator's new columns.
    Column(usize),
    Skip,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParsePattern {
    pub parts: Vec<PatternPart>,
    /// The new columns: name and type.
    pub columns: Vec<(String, DataType)>,
    /// `kind=regex` patterns are compiled from the parts instead of matched literally.
    pub regex: Option<String>,
    /// `kind=relaxed`: a typed column that does not convert is null, the others are kept;
    /// otherwise such a row does not match at all.
    pub relaxed: bool,
}

/// The regular expression of a `kind=regex` pattern. Literals are regex text; `*` and string
/// columns take as much as they can (`.*`, greedy: the parse page's flags example shows a
/// string column running to the last delimiter, and `flags=U` making it stop at the first);
/// numbers take digits. Columns are named groups `c0`, `c1`..., so groups written inside the
/// literals do not shift them. `flags` (e.g. `Ui`) become an inline `(?Ui)` prefix.
pub fn regex_source(parts: &[PatternPart], columns: &[(String, DataType)], flags: &str) -> String {
    let mut re = String::new();
    if !flags.is_empty() {
        re.push_str(&format!("(?{flags})"));
    }
    for part in parts {
        match part {
            PatternPart::Literal(s) => re.push_str(s),
            PatternPart::Skip => re.push_str(".*"),
            PatternPart::Column(c) => {
                let body = match columns[*c].1 {
                    DataType::Int | DataType::Long => "-?\\d+",
                    DataType::Real => "-?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?",
                    _ => ".*",
                };
                re.push_str(&format!("(?P<c{c}>{body})"));
            }
        }
    }
    re
}

/// The longest prefix of `text` that is a value of a numeric type, for a typed column that a
/// `*` follows (`n:long *`): the column ends where its value does.
fn typed_prefix(text: &str, ty: DataType) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > s
    };
    match ty {
        DataType::Int | DataType::Long => digits(&mut i).then_some(i),
        DataType::Real => {
            if !digits(&mut i) {
                return None;
            }
            if i < b.len() && b[i] == b'.' {
                i += 1;
                digits(&mut i);
            }
            Some(i)
        }
        _ => None,
    }
}

impl ParsePattern {
    /// Matches `text`; on success returns the extracted text of each column.
    pub fn match_simple<'t>(&self, text: &'t str) -> Option<Vec<Option<&'t str>>> {
        let mut out = vec![None; self.columns.len()];
        let mut pos = 0usize;
        let mut pending: Option<Option<usize>> = None; // a column or skip waiting for its end
        for part in &self.parts {
            match part {
                PatternPart::Literal(lit) => {
                    match pending.take() {
                        Some(target) => {
                            let found = text[pos..].find(lit.as_str())?;
                            if let Some(c) = target {
                                out[c] = Some(&text[pos..pos + found]);
                            }
                            pos += found + lit.len();
                        }
                        None => {
                            if !text[pos..].starts_with(lit.as_str()) {
                                // Kusto's simple mode skips to the literal's first occurrence
                                // only after a `*` or column; a leading literal must match here.
                                return None;
                            }
                            pos += lit.len();
                        }
                    }
                }
                PatternPart::Column(c) => {
                    if let Some(Some(prev)) = pending.take() {
                        // Two columns in a row: the first gets nothing.
                        out[prev] = Some("");
                    }
                    pending = Some(Some(*c));
                }
                PatternPart::Skip => match pending {
                    // `n:long *`: the number ends the column, the `*` skips what follows it.
                    Some(Some(c)) => {
                        if let Some(end) = typed_prefix(&text[pos..], self.columns[c].1) {
                            out[c] = Some(&text[pos..pos + end]);
                            pos += end;
                            pending = Some(None);
                        }
                        // Other columns followed by `*` run to the next literal.
                    }
                    _ => pending = Some(None),
                },
            }
        }
        if let Some(Some(c)) = pending {
            out[c] = Some(&text[pos..]);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_patterns() {
        let p = ParsePattern {
            parts: vec![PatternPart::Literal("https://".into()), PatternPart::Column(0), PatternPart::Literal("/".into()), PatternPart::Column(1)],
            columns: vec![("Host".into(), DataType::String), ("Path".into(), DataType::String)],
            regex: None,
            relaxed: false,
        };
        assert_eq!(p.match_simple("https://a.com/x/y"), Some(vec![Some("a.com"), Some("x/y")]));
        assert_eq!(p.match_simple("http://a.com/x"), None);
        let p2 = ParsePattern {
            parts: vec![PatternPart::Skip, PatternPart::Literal("id=".into()), PatternPart::Column(0), PatternPart::Literal(";".into()), PatternPart::Skip],
            columns: vec![("Id".into(), DataType::Long)],
            regex: None,
            relaxed: false,
        };
        assert_eq!(p2.match_simple("x id=42; rest"), Some(vec![Some("42")]));
    }
}
