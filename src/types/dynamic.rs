//! Kusto's `dynamic` type: JSON-like values (null, bool, long, real, string, datetime,
//! timespan, arrays and property bags), with a small JSON reader and writer of our own so
//! numbers keep Kusto's long/real distinction.

use super::time;
use std::fmt::Write as _;
use std::sync::Arc;

/// A dynamic value. Arrays and bags are shared (`Arc`) so copying a value is cheap.
/// Property bags keep their keys in insertion order.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Dynamic {
    #[default]
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    String(Arc<str>),
    DateTime(i64),
    TimeSpan(i64),
    Array(Arc<Vec<Dynamic>>),
    Object(Arc<Vec<(Arc<str>, Dynamic)>>),
}

/// Where and why a JSON text could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
}

impl Dynamic {
    pub fn is_null(&self) -> bool {
        matches!(self, Dynamic::Null)
    }

    pub fn array(items: Vec<Dynamic>) -> Dynamic {
        Dynamic::Array(Arc::new(items))
    }

    pub fn object(items: Vec<(Arc<str>, Dynamic)>) -> Dynamic {
        Dynamic::Object(Arc::new(items))
    }

    pub fn string(s: &str) -> Dynamic {
        Dynamic::String(Arc::from(s))
    }

    /// `bag.key` / `bag["key"]`: null when absent or when this is not a bag.
    pub fn get(&self, key: &str) -> Dynamic {
        match self {
            Dynamic::Object(items) => items.iter().find(|(k, _)| &**k == key).map(|(_, v)| v.clone()).unwrap_or_default(),
            _ => Dynamic::Null,
        }
    }

    /// `arr[i]`; a negative index counts from the end, as in Kusto.
    pub fn index(&self, i: i64) -> Dynamic {
        match self {
            Dynamic::Array(items) => {
                let len = items.len() as i64;
                let i = if i < 0 { len + i } else { i };
                if (0..len).contains(&i) {
                    items[i as usize].clone()
                } else {
                    Dynamic::Null
                }
            }
            _ => Dynamic::Null,
        }
    }

    /// The name `gettype()` reports for this value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Dynamic::Null => "null",
            Dynamic::Bool(_) => "bool",
            Dynamic::Long(_) => "long",
            Dynamic::Real(_) => "real",
            Dynamic::String(_) => "string",
            Dynamic::DateTime(_) => "datetime",
            Dynamic::TimeSpan(_) => "timespan",
            Dynamic::Array(_) => "array",
            Dynamic::Object(_) => "dictionary",
        }
    }

    /// Parses JSON text. Integers that fit in i64 become longs; other numbers become reals.
    pub fn parse_json(text: &str) -> Result<Dynamic, JsonError> {
        let mut p = JsonParser { s: text.as_bytes(), pos: 0, depth: 0 };
        p.ws();
        let v = p.value()?;
        p.ws();
        if p.pos != p.s.len() {
            return Err(p.err("unexpected text after the JSON value"));
        }
        Ok(v)
    }

    /// Compact JSON, as Kusto prints dynamic values: `{"a":1,"b":["x"]}`.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Dynamic::Null => out.push_str("null"),
            Dynamic::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Dynamic::Long(n) => {
                let _ = write!(out, "{n}");
            }
            Dynamic::Real(f) => out.push_str(&format_real_json(*f)),
            Dynamic::String(s) => write_json_string(s, out),
            Dynamic::DateTime(t) => write_json_string(&time::format_datetime(*t), out),
            Dynamic::TimeSpan(t) => write_json_string(&time::format_timespan(*t), out),
            Dynamic::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Dynamic::Object(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// The text `tostring()` gives: strings without quotes, other values as JSON.
    pub fn to_plain_string(&self) -> String {
        match self {
            Dynamic::Null => String::new(),
            Dynamic::String(s) => s.to_string(),
            Dynamic::DateTime(t) => time::format_datetime(*t),
            Dynamic::TimeSpan(t) => time::format_timespan(*t),
            other => other.to_json(),
        }
    }
}

/// Formats a real the way Kusto's JSON does: integral values without a fraction (`2`),
/// others in the shortest form that reads back exactly; NaN and infinities as `NaN`,
/// `Infinity`, `-Infinity`.
pub fn format_real_json(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let s = format!("{f}");
    if s.len() > 24 {
        format!("{f:e}")
    } else {
        s
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

const MAX_JSON_DEPTH: usize = 128;

struct JsonParser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl JsonParser<'_> {
    fn err(&self, msg: &str) -> JsonError {
        JsonError { offset: self.pos, message: msg.to_string() }
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Dynamic, JsonError> {
        match self.s.get(self.pos) {
            None => Err(self.err("expected a JSON value, found the end of the text")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') | Some(b'\'') => Ok(Dynamic::String(Arc::from(self.string()?))),
            Some(b't') => self.word("true", Dynamic::Bool(true)),
            Some(b'f') => self.word("false", Dynamic::Bool(false)),
            Some(b'n') => self.word("null", Dynamic::Null),
            Some(b'N') => self.word("NaN", Dynamic::Real(f64::NAN)),
            Some(b'I') => self.word("Infinity", Dynamic::Real(f64::INFINITY)),
            Some(c) if *c == b'-' || c.is_ascii_digit() => self.number(),
            Some(_) => Err(self.err("expected a JSON value")),
        }
    }

    fn word(&mut self, w: &str, v: Dynamic) -> Result<Dynamic, JsonError> {
        if self.s[self.pos..].starts_with(w.as_bytes()) {
            self.pos += w.len();
            Ok(v)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Dynamic, JsonError> {
        let start = self.pos;
        if self.eat(b'-') && self.s[self.pos..].starts_with(b"Infinity") {
            self.pos += 8;
            return Ok(Dynamic::Real(f64::NEG_INFINITY));
        }
        let mut is_real = false;
        while let Some(&c) = self.s.get(self.pos) {
            match c {
                b'0'..=b'9' => {}
                b'.' | b'e' | b'E' | b'+' | b'-' => is_real = true,
                _ => break,
            }
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        if !is_real {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Dynamic::Long(n));
            }
        }
        text.parse::<f64>().map(Dynamic::Real).map_err(|_| JsonError { offset: start, message: format!("'{text}' is not a number") })
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let quote = self.s[self.pos];
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(self.err("a string is missing its closing quote"));
            };
            self.pos += 1;
            match c {
                c if c == quote => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.pos) else {
                        return Err(self.err("a string ends in the middle of an escape"));
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'/' => out.push(b'/'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp) && self.s[self.pos..].starts_with(b"\\u") {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            let mut buf = [0; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("a string is not valid UTF-8"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self.s.get(self.pos..self.pos + 4).ok_or_else(|| self.err("a \\u escape needs four hex digits"))?;
        let h = std::str::from_utf8(h).map_err(|_| self.err("bad \\u escape"))?;
        let v = u32::from_str_radix(h, 16).map_err(|_| self.err("a \\u escape needs four hex digits"))?;
        self.pos += 4;
        Ok(v)
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_JSON_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Dynamic, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if !self.eat(b']') {
            loop {
                self.ws();
                items.push(self.value()?);
                self.ws();
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    break;
                }
                return Err(self.err("expected ',' or ']' in an array"));
            }
        }
        self.depth -= 1;
        Ok(Dynamic::array(items))
    }

    fn object(&mut self) -> Result<Dynamic, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
        self.ws();
        if !self.eat(b'}') {
            loop {
                self.ws();
                if !matches!(self.s.get(self.pos), Some(b'"') | Some(b'\'')) {
                    return Err(self.err("expected a quoted property name"));
                }
                let k = self.string()?;
                self.ws();
                if !self.eat(b':') {
                    return Err(self.err("expected ':' after a property name"));
                }
                self.ws();
                let v = self.value()?;
                if let Some(slot) = items.iter_mut().find(|(ek, _)| **ek == *k) {
                    slot.1 = v;
                } else {
                    items.push((Arc::from(k), v));
                }
                self.ws();
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    break;
                }
                return Err(self.err("expected ',' or '}' in an object"));
            }
        }
        self.depth -= 1;
        Ok(Dynamic::object(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        let v = Dynamic::parse_json(r#" {"a": 1, "b": [true, null, 2.5, "x\"y"], "c": {"d": -3}} "#).unwrap();
        assert_eq!(v.to_json(), r#"{"a":1,"b":[true,null,2.5,"x\"y"],"c":{"d":-3}}"#);
        assert_eq!(v.get("b").index(2), Dynamic::Real(2.5));
        assert_eq!(v.get("b").index(-1), Dynamic::string("x\"y"));
        assert_eq!(v.get("zz"), Dynamic::Null);
        assert_eq!(Dynamic::parse_json("2.0").unwrap().to_json(), "2");
        assert_eq!(Dynamic::parse_json("\"\\u00e9\"").unwrap(), Dynamic::string("é"));
        assert!(Dynamic::parse_json("[1,").is_err());
        assert!(Dynamic::parse_json("{1:2}").is_err());
        assert!(Dynamic::parse_json(&"[".repeat(500)).is_err());
    }
}
