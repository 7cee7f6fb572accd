//! String functions added through the function table: replacing several strings at once,
//! sizes, byte formatting, code points, hex, and splitting a Windows command line.

use super::{Call, FResult};
use crate::exec::cast::{to_f64, to_i64};
use crate::types::{Dynamic, Value};

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

fn strings_of(v: &Value) -> Vec<Option<String>> {
    match v {
        Value::Dynamic(Dynamic::Array(items)) => items.iter().map(|d| if let Dynamic::String(s) = d { Some(s.to_string()) } else { None }).collect(),
        _ => Vec::new(),
    }
}

/// replace_strings(text, lookups, rewrites): the lookups are applied in list order, each to
/// the text no earlier lookup matched, so an earlier lookup wins where matches overlap and
/// replaced text is never searched again. A lookup that is not a string is ignored; a match
/// whose rewrite is not a string keeps its text (and still shields it from later lookups).
pub fn replace_strings(c: &Call) -> FResult {
    let source = text(&c.a[0]);
    let lookups = strings_of(&c.a[1]);
    let rewrites = strings_of(&c.a[2]);
    // The text in pieces: (piece, matched already?).
    let mut pieces: Vec<(String, bool)> = vec![(source, false)];
    for (i, lookup) in lookups.iter().enumerate() {
        let Some(lookup) = lookup.as_deref().filter(|l| !l.is_empty()) else { continue };
        let rewrite = rewrites.get(i).and_then(Option::as_deref);
        let mut next = Vec::with_capacity(pieces.len());
        for (piece, matched) in pieces {
            if matched || !piece.contains(lookup) {
                next.push((piece, matched));
                continue;
            }
            let mut rest = piece.as_str();
            while let Some(at) = rest.find(lookup) {
                if at > 0 {
                    next.push((rest[..at].to_string(), false));
                }
                next.push((rewrite.unwrap_or(lookup).to_string(), true));
                rest = &rest[at + lookup.len()..];
            }
            if !rest.is_empty() {
                next.push((rest.to_string(), false));
            }
        }
        pieces = next;
        c.cx.check_value_size(pieces.iter().map(|(p, _)| p.len()).sum(), "replace_strings()")?;
    }
    Ok(Value::str(&pieces.into_iter().map(|(p, _)| p).collect::<String>()))
}

/// string_size(text): the UTF-8 length in bytes.
pub fn string_size(c: &Call) -> FResult {
    Ok(match &c.a[0] {
        Value::Null => Value::Null,
        v => Value::Long(text(v).len() as i64),
    })
}

const UNITS: [&str; 7] = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

/// format_bytes(size[, precision[, units]]): powers of 1024, the unit picked by size unless
/// given, rounded to `precision` decimals (0 by default).
pub fn format_bytes(c: &Call) -> FResult {
    let Some(size) = to_f64(&c.a[0]) else { return Ok(Value::str("")) };
    let precision = c.a.get(1).and_then(to_i64).unwrap_or(0).clamp(0, 15) as usize;
    let wanted = c.a.get(2).map(text).unwrap_or_default();
    let unit = if wanted.is_empty() {
        let mut u = 0;
        while u + 1 < UNITS.len() && size.abs() >= 1024f64.powi(u as i32 + 1) {
            u += 1;
        }
        u
    } else {
        match UNITS.iter().position(|u| u.eq_ignore_ascii_case(&wanted)) {
            Some(u) => u,
            None => return Ok(Value::str("")),
        }
    };
    let scaled = super::round_away(size / 1024f64.powi(unit as i32), precision as i64);
    Ok(Value::str(&format!("{scaled:.precision$} {}", UNITS[unit])))
}

/// unicode_codepoints_from_string(text): the code points as an array of longs.
pub fn unicode_codepoints_from_string(c: &Call) -> FResult {
    Ok(match &c.a[0] {
        Value::Null => Value::Null,
        v => Value::Dynamic(Dynamic::array(text(v).chars().map(|ch| Dynamic::Long(i64::from(u32::from(ch)))).collect())),
    })
}

/// unicode_codepoints_to_string(values...): numbers or arrays of numbers; null if any is not a
/// valid code point.
pub fn unicode_codepoints_to_string(c: &Call) -> FResult {
    let mut out = String::new();
    let mut push = |v: Option<i64>| -> bool {
        match v.and_then(|n| u32::try_from(n).ok()).and_then(char::from_u32) {
            Some(ch) => {
                out.push(ch);
                true
            }
            None => false,
        }
    };
    for v in c.a {
        let ok = match v {
            Value::Dynamic(Dynamic::Array(items)) => items.iter().all(|d| push(to_i64(&Value::Dynamic(d.clone())))),
            other => push(to_i64(other)),
        };
        if !ok {
            return Ok(Value::Null);
        }
    }
    Ok(Value::str(&out))
}

/// tohex(value[, min_length]): two's complement hex of an int (32 bits) or long (64 bits),
/// padded with zeros to `min_length` (at most 16).
pub fn tohex(c: &Call) -> FResult {
    let digits = match &c.a[0] {
        Value::Int(n) => format!("{:x}", *n as u32),
        Value::Long(n) => format!("{:x}", *n as u64),
        Value::Dynamic(Dynamic::Long(n)) => format!("{:x}", *n as u64),
        _ => return Ok(Value::Null),
    };
    let min = c.a.get(1).and_then(to_i64).unwrap_or(0).clamp(0, 16) as usize;
    Ok(Value::str(&format!("{digits:0>min$}")))
}

/// parse_command_line(text, "windows"): the arguments as CommandLineToArgvW splits them.
pub fn parse_command_line(c: &Call) -> FResult {
    let kind = text(&c.a[1]);
    if !kind.eq_ignore_ascii_case("windows") {
        return Err(format!("parse_command_line() supports the parser type \"windows\" only, not {kind:?}"));
    }
    Ok(match &c.a[0] {
        Value::Null => Value::Null,
        v => Value::Dynamic(Dynamic::array(windows_argv(&text(v)).iter().map(|s| Dynamic::string(s)).collect())),
    })
}

/// CommandLineToArgvW's rules: the first argument (the program) ends at the first space
/// outside quotes and takes quotes literally otherwise; after it, `2n` backslashes before a
/// quote are `n` backslashes and the quote toggles quoting, `2n+1` are `n` and a literal quote,
/// backslashes elsewhere are literal, and `""` inside quotes is a literal quote.
fn windows_argv(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // The program name.
    let mut prog = String::new();
    let mut quoted = false;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '"' {
            quoted = !quoted;
        } else if !quoted && (ch == ' ' || ch == '\t') {
            break;
        } else {
            prog.push(ch);
        }
        i += 1;
    }
    out.push(prog);
    loop {
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut arg = String::new();
        let mut quoted = false;
        while i < chars.len() {
            let ch = chars[i];
            if ch == '\\' {
                let start = i;
                while i < chars.len() && chars[i] == '\\' {
                    i += 1;
                }
                let n = i - start;
                if i < chars.len() && chars[i] == '"' {
                    arg.extend(std::iter::repeat_n('\\', n / 2));
                    if n % 2 == 1 {
                        arg.push('"');
                        i += 1;
                    }
                } else {
                    arg.extend(std::iter::repeat_n('\\', n));
                }
                continue;
            }
            if ch == '"' {
                if quoted && chars.get(i + 1) == Some(&'"') {
                    arg.push('"');
                    i += 2;
                    continue;
                }
                quoted = !quoted;
            } else if !quoted && (ch == ' ' || ch == '\t') {
                break;
            } else {
                arg.push(ch);
            }
            i += 1;
        }
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::windows_argv;

    #[test]
    fn splits_like_command_line_to_argv() {
        assert_eq!(windows_argv(r#"echo "hello world!""#), vec!["echo", "hello world!"]);
        assert_eq!(windows_argv(r#""C:\Program Files\x.exe" -a "b c""#), vec![r"C:\Program Files\x.exe", "-a", "b c"]);
        assert_eq!(windows_argv(r#"p a\\\"b c\\"d e" f\g"#), vec!["p", r#"a\"b"#, r"c\d e", r"f\g"]);
    }
}
