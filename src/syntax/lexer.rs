//! The lexer: query text → tokens, written with nom combinators at the character level.
//!
//! It never fails: a character it cannot read becomes an [`TokenKind::Error`] token plus a
//! diagnostic, and lexing continues, so the editor can still highlight the rest and the parser
//! can report the first real problem. Comments are kept as tokens (the highlighter shows them;
//! the parser skips them).

use super::token::{Token, TokenKind, TokenValue, NEGATABLE};
use crate::diag::{codes, Diagnostic, Span};
use crate::types::{time, DataType};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, hex_digit1, satisfy};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser};

/// Largest query the lexer accepts, in bytes (a guard against pathological input).
pub const MAX_QUERY_BYTES: usize = 1 << 20;

/// Splits `text` into tokens. The last token is always [`TokenKind::Eof`].
pub fn lex(text: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut tokens = Vec::new();
    let mut diags = Vec::new();
    if text.len() > MAX_QUERY_BYTES {
        diags.push(Diagnostic::syntax(
            codes::TOO_DEEP,
            Span::new(0, 0),
            format!("The query is {} bytes long; the limit is {} bytes", text.len(), MAX_QUERY_BYTES),
        ));
        tokens.push(Token { kind: TokenKind::Eof, span: Span::new(0, 0), text: String::new(), value: TokenValue::None });
        return (tokens, diags);
    }
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace());
        let start = text.len() - rest.len();
        if rest.is_empty() {
            tokens.push(Token { kind: TokenKind::Eof, span: Span::new(start, start), text: String::new(), value: TokenValue::None });
            break;
        }
        let (kind, len, value) = next_token(rest, &mut diags, start);
        let len = len.max(rest.chars().next().map_or(1, |c| c.len_utf8()));
        let span = Span::new(start, start + len);
        tokens.push(Token { kind, span, text: rest[..len].to_string(), value });
        rest = &rest[len..];
    }
    (tokens, diags)
}

fn next_token(s: &str, diags: &mut Vec<Diagnostic>, offset: usize) -> (TokenKind, usize, TokenValue) {
    let c = s.chars().next().unwrap_or(' ');
    // Comments.
    if s.starts_with("//") {
        let len = s.find('\n').unwrap_or(s.len());
        return (TokenKind::Comment, len, TokenValue::None);
    }
    // Strings: "..." '...' @"..." h"..." h@"..." ```...```
    if let Some(r) = string_literal(s) {
        return match r {
            Ok((len, value)) => (TokenKind::String, len, TokenValue::Str(value)),
            Err(len) => {
                diags.push(
                    Diagnostic::syntax(codes::UNTERMINATED_STRING, Span::new(offset, offset + len), "This string has no closing quote")
                        .with_help("Close the string with the same quote it starts with"),
                );
                (TokenKind::Error, len, TokenValue::None)
            }
        };
    }
    // Numbers and timespans.
    if c.is_ascii_digit() || (c == '.' && s[1..].starts_with(|d: char| d.is_ascii_digit()) && !s.starts_with("..")) {
        return number(s, diags, offset);
    }
    // Words.
    if c.is_alphabetic() || c == '_' {
        let word_res: IResult<&str, &str> = word(s);
        let Ok((_, w)) = word_res else { return (TokenKind::Error, c.len_utf8(), TokenValue::None) };
        // Hyphenated operator names.
        for h in super::operators::hyphenated() {
            if s.starts_with(h) && !s[h.len()..].starts_with(is_word_char) {
                return (TokenKind::Ident, h.len(), TokenValue::None);
            }
        }
        if w == "in" && s[2..].starts_with('~') {
            return (TokenKind::WordOp, 3, TokenValue::None);
        }
        // Typed literals whose contents are not KQL tokens.
        let ty = match w {
            "datetime" => Some(DataType::DateTime),
            "timespan" | "time" => Some(DataType::TimeSpan),
            "guid" => Some(DataType::Guid),
            _ => None,
        };
        if let Some(ty) = ty {
            let after = &s[w.len()..];
            let ws = after.len() - after.trim_start().len();
            if after[ws..].starts_with('(') {
                let inner_start = w.len() + ws + 1;
                return match s[inner_start..].find([')', '\n']) {
                    Some(close) if s[inner_start + close..].starts_with(')') => {
                        let raw = s[inner_start..inner_start + close].trim().to_string();
                        (TokenKind::TypedLiteral, inner_start + close + 1, TokenValue::Typed(ty, raw))
                    }
                    _ => {
                        diags.push(Diagnostic::syntax(
                            codes::UNBALANCED,
                            Span::new(offset, offset + inner_start),
                            format!("'{w}(' is missing its closing ')'"),
                        ));
                        (TokenKind::Error, inner_start, TokenValue::None)
                    }
                };
            }
        }
        return (TokenKind::Ident, w.len(), TokenValue::None);
    }
    if c == '$' {
        let r: IResult<&str, &str> = recognize(pair(char('$'), word)).parse(s);
        if let Ok((_, w)) = r {
            return (TokenKind::Dollar, w.len(), TokenValue::None);
        }
    }
    // `&&` and `||` are not KQL; say what is.
    for (sym, word) in [("&&", "and"), ("||", "or")] {
        if s.starts_with(sym) {
            diags.push(
                Diagnostic::syntax(codes::UNEXPECTED_CHAR, Span::new(offset, offset + 2), format!("'{sym}' is not a KQL operator"))
                    .with_help(format!("Write '{word}' instead")),
            );
            return (TokenKind::Error, 2, TokenValue::None);
        }
    }
    // `!contains`, `!in~`, ...
    if c == '!' {
        let r: IResult<&str, &str> = word(&s[1..]);
        if let Ok((_, w)) = r {
            let tilde = w == "in" && s[3..].starts_with('~');
            let name = if tilde { "in~" } else { w };
            if NEGATABLE.contains(&name) {
                return (TokenKind::WordOp, 1 + name.len(), TokenValue::None);
            }
        }
    }
    // Punctuation, longest first.
    const PUNCT: &[&str] = &[
        "==", "!=", "<>", "<=", ">=", "=~", "!~", "..", "=>", "|", "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%",
        "!", "?", "@",
    ];
    for p in PUNCT {
        if s.starts_with(p) {
            return (TokenKind::Punct, p.len(), TokenValue::None);
        }
    }
    // Invisible characters pasted with a query from a web page or a chat: name them, since
    // the learner cannot see them. (A no-break space is whitespace and never reaches here.)
    let invisible = match c {
        '\u{200B}' => Some("zero-width space"),
        '\u{200C}' => Some("zero-width non-joiner"),
        '\u{200D}' => Some("zero-width joiner"),
        '\u{2060}' => Some("word joiner"),
        '\u{FEFF}' => Some("byte order mark (zero-width no-break space)"),
        _ => None,
    };
    let d = match invisible {
        Some(what) => Diagnostic::syntax(
            codes::UNEXPECTED_CHAR,
            Span::new(offset, offset + c.len_utf8()),
            format!("Invisible character here: a {what} (U+{:04X})", c as u32),
        )
        .with_help("It usually comes with text copied from a web page or a chat. Delete it (or retype the query around it); KQL does not read it as a space"),
        None => Diagnostic::syntax(codes::UNEXPECTED_CHAR, Span::new(offset, offset + c.len_utf8()), format!("Unexpected character '{c}'"))
            .with_help("This character has no meaning in KQL here; put text inside quotes"),
    };
    diags.push(d);
    (TokenKind::Error, c.len_utf8(), TokenValue::None)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word(s: &str) -> IResult<&str, &str> {
    recognize(pair(satisfy(|c| c.is_alphabetic() || c == '_'), take_while(is_word_char))).parse(s)
}

/// Reads a string literal at the start of `s`. `None`: not a string; `Some(Err(len))`: an
/// unterminated string of `len` bytes (to the end of the line or text).
fn string_literal(s: &str) -> Option<Result<(usize, String), usize>> {
    // Multi-line ```...``` (also ~~~).
    for fence in ["```", "~~~"] {
        if let Some(body) = s.strip_prefix(fence) {
            return Some(match body.find(fence) {
                Some(end) => Ok((end + 6, body[..end].to_string())),
                None => Err(s.len()),
            });
        }
    }
    let (prefix_len, verbatim) = {
        let b = s.as_bytes();
        match b {
            [b'@', b'"' | b'\'', ..] => (1, true),
            [b'h' | b'H', b'@', b'"' | b'\'', ..] => (2, true),
            [b'h' | b'H', b'"' | b'\'', ..] => (1, false),
            [b'"' | b'\'', ..] => (0, false),
            _ => return None,
        }
    };
    let quote = s.as_bytes()[prefix_len] as char;
    let body = &s[prefix_len + 1..];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, ch)) = chars.next() {
        if ch == '\n' {
            break;
        }
        if ch == quote {
            if verbatim && body[i + 1..].starts_with(quote) {
                out.push(quote);
                chars.next();
                continue;
            }
            return Some(Ok((prefix_len + 1 + i + 1, out)));
        }
        if ch == '\\' && !verbatim {
            // `\uXXXX`: a UTF-16 code unit in hex (a surrogate pair makes one character),
            // as Kusto reads `"Hello\u00A0World"`.
            if body[i + 1..].starts_with('u') {
                if let Some((c, used)) = unicode_escape(&body[i + 2..]) {
                    out.push(c);
                    for _ in 0..=used {
                        chars.next();
                    }
                    continue;
                }
            }
            match chars.next() {
                Some((_, e)) => out.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    other => other,
                }),
                None => break,
            }
            continue;
        }
        out.push(ch);
    }
    let line_end = s.find('\n').unwrap_or(s.len());
    Some(Err(line_end))
}

/// The character of `XXXX` (and of `XXXX\uYYYY` for a surrogate pair) at the start of `s`,
/// with how many bytes of `s` it used; `None` when `s` does not start with four hex digits
/// naming a character.
fn unicode_escape(s: &str) -> Option<(char, usize)> {
    let unit = |t: &str| t.get(..4).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit())).and_then(|h| u32::from_str_radix(h, 16).ok());
    let hi = unit(s)?;
    if (0xD800..0xDC00).contains(&hi) {
        let lo = s[4..].strip_prefix("\\u").and_then(unit).filter(|lo| (0xDC00..0xE000).contains(lo))?;
        let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
        return Some((c, 10));
    }
    char::from_u32(hi).map(|c| (c, 4))
}

fn number(s: &str, diags: &mut Vec<Diagnostic>, offset: usize) -> (TokenKind, usize, TokenValue) {
    // Hex.
    let hex: IResult<&str, &str> = recognize(pair(alt((tag("0x"), tag("0X"))), hex_digit1)).parse(s);
    if let Ok((rest, h)) = hex {
        if !rest.starts_with(is_word_char) {
            return match i64::from_str_radix(&h[2..], 16) {
                Ok(v) => (TokenKind::Long, h.len(), TokenValue::Long(v)),
                Err(_) => bad_number(h.len(), h, diags, offset, "is too large for a long"),
            };
        }
    }
    let mantissa: IResult<&str, &str> = recognize(pair(
        alt((recognize(pair(digit1, opt(pair(char('.'), take_while(|c: char| c.is_ascii_digit()))))), recognize(pair(char('.'), digit1)))),
        opt(recognize((alt((char('e'), char('E'))), opt(alt((char('+'), char('-')))), digit1))),
    ))
    .parse(s);
    let Ok((rest, m)) = mantissa else { return bad_number(1, &s[..1], diags, offset, "is not a number") };
    // `1..2` inside `between (1 .. 2)`: a trailing '.' followed by '.' is not part of the number.
    let m = if m.ends_with('.') && rest.starts_with('.') { &m[..m.len() - 1] } else { m };
    let rest = &s[m.len()..];
    let is_real = m.contains(['.', 'e', 'E']);
    // A unit suffix makes a timespan: 1d, 1.5h, 30m, 100ms, 10microseconds, 1tick.
    let unit_res: IResult<&str, &str> = take_while1(|c: char| c.is_ascii_alphabetic()).parse(rest);
    if let Ok((after, unit)) = unit_res {
        let total = m.len() + unit.len();
        if after.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
            let t = &s[..total + after.len() - after.trim_start_matches(is_word_char).len()];
            return bad_number(t.len(), t, diags, offset, "is not a number or a timespan");
        }
        if m.contains(['e', 'E']) {
            return bad_number(total, &s[..total], diags, offset, "is not a number or a timespan");
        }
        return match time::timespan_unit(unit).and_then(|per| time::scale(m, per)) {
            Some(t) => (TokenKind::TimeSpan, total, TokenValue::Ticks(t)),
            None => {
                let d = Diagnostic::syntax(codes::BAD_NUMBER, Span::new(offset, offset + total), format!("'{}' is not a number or a timespan", &s[..total]))
                    .with_help("Timespans are written like 1d, 2h, 30m, 10s, 100ms, 5microseconds or 1tick");
                diags.push(d);
                (TokenKind::Error, total, TokenValue::None)
            }
        };
    }
    if rest.starts_with('_') {
        return bad_number(m.len() + 1, &s[..m.len() + 1], diags, offset, "is not a number");
    }
    if is_real {
        match m.parse::<f64>() {
            Ok(v) if v.is_finite() => (TokenKind::Real, m.len(), TokenValue::Real(v)),
            Ok(_) => bad_number(m.len(), m, diags, offset, "is too large for a real (write real(+inf) for infinity)"),
            Err(_) => bad_number(m.len(), m, diags, offset, "is not a number"),
        }
    } else {
        match m.parse::<i64>() {
            Ok(v) => (TokenKind::Long, m.len(), TokenValue::Long(v)),
            Err(_) => bad_number(m.len(), m, diags, offset, "is too large for a long (64-bit integer)"),
        }
    }
}

fn bad_number(len: usize, text: &str, diags: &mut Vec<Diagnostic>, offset: usize, why: &str) -> (TokenKind, usize, TokenValue) {
    diags.push(Diagnostic::syntax(codes::BAD_NUMBER, Span::new(offset, offset + len), format!("'{text}' {why}")));
    (TokenKind::Error, len, TokenValue::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(TokenKind, String)> {
        let (t, d) = lex(s);
        assert!(d.is_empty(), "{d:?}");
        t.into_iter().filter(|t| t.kind != TokenKind::Eof).map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn words_and_hyphens() {
        use TokenKind::*;
        assert_eq!(
            kinds("T | project-away a | where android and b-c"),
            vec![
                (Ident, "T".into()),
                (Punct, "|".into()),
                (Ident, "project-away".into()),
                (Ident, "a".into()),
                (Punct, "|".into()),
                (Ident, "where".into()),
                (Ident, "android".into()),
                (Ident, "and".into()),
                (Ident, "b".into()),
                (Punct, "-".into()),
                (Ident, "c".into()),
            ]
        );
        assert_eq!(kinds("x !contains 'a' and y in~ (1) and z !in~ (2)")[1], (WordOp, "!contains".into()));
        assert_eq!(kinds("y in~ (1)")[1], (WordOp, "in~".into()));
        assert_eq!(kinds("$left.a")[0], (Dollar, "$left".into()));
    }

    #[test]
    fn literals() {
        let (t, d) = lex(r#"1d 1.5h 30m 100ms 10microseconds 1tick 42 1.5 1e3 0x1F "a\"b" 'c' @"C:\x" h"secret" ```multi
line``` datetime(2026-11-22 10:00) guid(74be27de-1e4e-49d9-b579-fe0b331d3642)"#);
        assert!(d.is_empty(), "{d:?}");
        let v: Vec<_> = t.iter().map(|t| t.value.clone()).collect();
        assert_eq!(v[0], TokenValue::Ticks(time::TICKS_PER_DAY));
        assert_eq!(v[1], TokenValue::Ticks(90 * time::TICKS_PER_MINUTE));
        assert_eq!(v[3], TokenValue::Ticks(100 * time::TICKS_PER_MILLI));
        assert_eq!(v[4], TokenValue::Ticks(100));
        assert_eq!(v[5], TokenValue::Ticks(1));
        assert_eq!(v[6], TokenValue::Long(42));
        assert_eq!(v[7], TokenValue::Real(1.5));
        assert_eq!(v[8], TokenValue::Real(1000.0));
        assert_eq!(v[9], TokenValue::Long(31));
        assert_eq!(v[10], TokenValue::Str("a\"b".into()));
        assert_eq!(v[11], TokenValue::Str("c".into()));
        assert_eq!(v[12], TokenValue::Str("C:\\x".into()));
        assert_eq!(v[13], TokenValue::Str("secret".into()));
        assert_eq!(v[14], TokenValue::Str("multi\nline".into()));
        assert_eq!(v[15], TokenValue::Typed(DataType::DateTime, "2026-11-22 10:00".into()));
        assert_eq!(v[16], TokenValue::Typed(DataType::Guid, "74be27de-1e4e-49d9-b579-fe0b331d3642".into()));
    }

    #[test]
    fn range_dots_are_not_decimals() {
        use TokenKind::*;
        assert_eq!(kinds("(1..5)"), vec![(Punct, "(".into()), (Long, "1".into()), (Punct, "..".into()), (Long, "5".into()), (Punct, ")".into())]);
    }

    #[test]
    fn errors_are_reported_and_lexing_continues() {
        let (t, d) = lex("T | where x == \"abc\n| take 5q # 3");
        let codes: Vec<_> = d.iter().map(|d| d.code.as_ref()).collect();
        assert_eq!(codes, vec![codes::UNTERMINATED_STRING, codes::BAD_NUMBER, codes::UNEXPECTED_CHAR]);
        assert!(t.iter().any(|t| t.text == "take"));
        assert_eq!(t.last().unwrap().kind, TokenKind::Eof);
    }
}
