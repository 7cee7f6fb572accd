//! String, URL, encoding and IP address functions.

use super::{Call, FResult};
use crate::exec::cast::to_i64;
use crate::exec::ExecCtx;
use crate::plan::functions::Func;
use crate::types::{DataType, Dynamic, Value};
use std::sync::Arc;

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

fn dstr(x: &str) -> Dynamic {
    Dynamic::String(Arc::from(x))
}

/// `\1`-style group references in a rewrite string become the regex crate's `${1}`.
fn rewrite_template(r: &str) -> String {
    let mut out = String::new();
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|d| d.is_ascii_digit()) => {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                out.push_str(&format!("${{{n}}}"));
            }
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

pub fn row(c: &Call) -> FResult {
    let Call { f, a, ty, cx } = *c;
    use Func::*;
    Ok(match f {
        Substring => {
            let text: Vec<char> = s(&a[0]).chars().collect();
            let Some(mut start) = to_i64(&a[1]) else { return Ok(Value::str("")) };
            let len = a.get(2).and_then(to_i64).unwrap_or(i64::MAX);
            // A negative start counts from the end of the string.
            if start < 0 {
                start = (text.len() as i64 + start).max(0);
            }
            if len <= 0 || start as usize >= text.len() {
                return Ok(Value::str(""));
            }
            let end = (start as usize).saturating_add(len as usize).min(text.len());
            Value::str(&text[start as usize..end].iter().collect::<String>())
        }
        Split => {
            let text = s(&a[0]);
            let delim = s(&a[1]);
            if delim.is_empty() {
                return Err("split() needs a non-empty delimiter".into());
            }
            // Each piece costs an array slot and a string header besides its text.
            cx.check_value_size(text.matches(delim.as_str()).count().saturating_add(1).saturating_mul(32).saturating_add(text.len()), "split()")?;
            let parts: Vec<Dynamic> = text.split(delim.as_str()).map(dstr).collect();
            match a.get(2) {
                Some(i) => match to_i64(i) {
                    Some(i) if i >= 0 && (i as usize) < parts.len() => Value::Dynamic(Dynamic::array(vec![parts[i as usize].clone()])),
                    _ => Value::Dynamic(Dynamic::array(vec![])),
                },
                None => Value::Dynamic(Dynamic::array(parts)),
            }
        }
        Extract => {
            let re = cx.regex_str(&s(&a[0]))?;
            let group = to_i64(&a[1]).unwrap_or(0);
            let text = s(&a[2]);
            let found = re.captures(&text).and_then(|c| c.get(group.max(0) as usize)).map(|m| m.as_str().to_string());
            match found {
                None => {
                    if ty == DataType::String {
                        Value::str("")
                    } else {
                        Value::Null
                    }
                }
                Some(m) => crate::exec::cast::cast_value(&Value::str(&m), ty),
            }
        }
        ExtractAll => {
            let re = cx.regex_str(&s(&a[0]))?;
            let (groups, text) = if a.len() == 3 {
                // Groups by number or by name: dynamic([1, 'name']).
                let g: Vec<i64> = match &a[1] {
                    Value::Dynamic(Dynamic::Array(items)) => items
                        .iter()
                        .map(|d| match d {
                            Dynamic::Long(n) => Ok(*n),
                            Dynamic::String(name) => re
                                .capture_names()
                                .position(|n| n == Some(&**name))
                                .map(|i| i as i64)
                                .ok_or_else(|| format!("extract_all(): the regular expression has no capture group named '{name}'")),
                            other => Err(format!("extract_all()'s capture groups must be numbers or group names, not {}", other.to_json())),
                        })
                        .collect::<Result<_, String>>()?,
                    _ => return Err("extract_all()'s capture groups must be a dynamic array of numbers or names, e.g. dynamic([1, 'user'])".into()),
                };
                (Some(g), s(&a[2]))
            } else {
                (None, s(&a[1]))
            };
            let ngroups = re.captures_len() - 1;
            let per_match = groups.as_ref().map_or(ngroups.max(1), |g| g.len().max(1));
            let mut out = Vec::new();
            let mut cost = text.len();
            for c in re.captures_iter(&text) {
                cost = cost.saturating_add(per_match.saturating_mul(32));
                cx.check_value_size(cost, "extract_all()")?;
                let pick = |g: usize| c.get(g).map_or(Dynamic::Null, |m| dstr(m.as_str()));
                match &groups {
                    Some(gs) => out.push(Dynamic::array(gs.iter().map(|g| pick(*g as usize)).collect())),
                    None if ngroups <= 1 => out.push(pick(ngroups)),
                    None => out.push(Dynamic::array((1..=ngroups).map(pick).collect())),
                }
            }
            if out.is_empty() {
                Value::Dynamic(Dynamic::Null)
            } else {
                Value::Dynamic(Dynamic::array(out))
            }
        }
        ReplaceString => {
            let (text, lookup, rewrite) = (s(&a[0]), s(&a[1]), s(&a[2]));
            if lookup.is_empty() {
                Value::str(&text)
            } else {
                if rewrite.len() > lookup.len() {
                    let n = text.matches(lookup.as_str()).count();
                    cx.check_value_size(text.len().saturating_add(n.saturating_mul(rewrite.len())), "replace_string()")?;
                }
                Value::str(&text.replace(lookup.as_str(), &rewrite))
            }
        }
        ReplaceRegex | Replace => {
            let (pat, text, rewrite) = if f == Replace { (s(&a[0]), s(&a[2]), s(&a[1])) } else { (s(&a[1]), s(&a[0]), s(&a[2])) };
            let re = cx.regex_str(&pat)?;
            check_replace_size(&re, &text, &rewrite, cx)?;
            Value::str(&re.replace_all(&text, rewrite_template(&rewrite).as_str()))
        }
        Trim | TrimStart | TrimEnd => {
            let pat = s(&a[0]);
            let mut text = s(&a[1]);
            if f != TrimEnd {
                let re = cx.regex_str(&format!("^(?:{pat})+"))?;
                text = re.replace(&text, "").into_owned();
            }
            if f != TrimStart {
                let re = cx.regex_str(&format!("(?:{pat})+$"))?;
                text = re.replace(&text, "").into_owned();
            }
            Value::str(&text)
        }
        IndexOf => {
            let text: Vec<char> = s(&a[0]).chars().collect();
            let lookup: Vec<char> = s(&a[1]).chars().collect();
            let start = a.get(2).and_then(to_i64).unwrap_or(0);
            // A negative start counts back from the end (the indexof page).
            let start = if start < 0 { (text.len() as i64 + start).max(0) } else { start };
            let length = a.get(3).and_then(to_i64).unwrap_or(-1);
            let occurrence = a.get(4).and_then(to_i64).unwrap_or(1);
            if start as usize > text.len() || occurrence < 1 {
                return Ok(Value::Long(-1));
            }
            // Each occurrence is looked for in a window of `length` characters that starts at
            // `start`, then just after the previous match: the page's example finds the second
            // "cde" of "abcdefgabcdefg" at 9 with start 1 and length 10.
            let mut from = start as usize;
            let mut seen = 0;
            loop {
                let end = if length < 0 { text.len() } else { (from + length as usize).min(text.len()) };
                let hit = (from..end).find(|&i| i + lookup.len() <= end && text[i..i + lookup.len()] == lookup[..]);
                match hit {
                    Some(i) => {
                        seen += 1;
                        if seen == occurrence {
                            break Value::Long(i as i64);
                        }
                        from = i + 1;
                    }
                    None => break Value::Long(-1),
                }
            }
        }
        CountOf => {
            let (text, search) = (s(&a[0]), s(&a[1]));
            let kind = a.get(2).map(s).unwrap_or_else(|| "normal".into());
            if search.is_empty() {
                return Ok(Value::Long(0));
            }
            match kind.as_str() {
                "regex" => Value::Long(cx.regex_str(&search)?.find_iter(&text).count() as i64),
                "normal" => {
                    // Overlapping occurrences count, as in Kusto.
                    let (t, n) = (text.as_bytes(), search.as_bytes());
                    Value::Long((0..t.len().saturating_sub(n.len() - 1)).filter(|&i| &t[i..i + n.len()] == n).count() as i64)
                }
                other => return Err(format!("countof() kind must be 'normal' or 'regex', not '{other}'")),
            }
        }
        Strrep => {
            let n = to_i64(&a[1]).unwrap_or(0).clamp(0, 10_000) as usize;
            let d = a.get(2).map(s).unwrap_or_default();
            let text = s(&a[0]);
            cx.check_value_size(text.len().saturating_add(d.len()).saturating_mul(n), "strrep()")?;
            let mut out = String::with_capacity((text.len() + d.len()) * n);
            for i in 0..n {
                if i > 0 {
                    out.push_str(&d);
                }
                out.push_str(&text);
            }
            Value::str(&out)
        }
        Strcmp => Value::Int(match s(&a[0]).cmp(&s(&a[1])) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }),
        UrlDecode => Value::str(&url_decode(&s(&a[0]))),
        UrlEncode | UrlEncodeComponent => Value::str(&url_encode(&s(&a[0]), f == UrlEncodeComponent)),
        Base64DecodeToString => match base64_decode(&s(&a[0])).and_then(|b| String::from_utf8(b).ok()) {
            Some(t) => Value::str(&t),
            None => Value::str(""),
        },
        Base64EncodeToString => Value::str(&base64_encode(s(&a[0]).as_bytes())),
        ParseUrl => Value::Dynamic(parse_url(&s(&a[0]))),
        ParsePath => Value::Dynamic(parse_path(&s(&a[0]))),
        // A prefix length masks the address: "192.168.1.1/24" is 192.168.1.0.
        ParseIpv4 => {
            parse_ipv4_cidr(&s(&a[0])).map_or(Value::Null, |(ip, bits)| Value::Long((if bits == 0 { 0 } else { ip & (u32::MAX << (32 - bits)) }) as i64))
        }
        Ipv4IsPrivate => match parse_ipv4_cidr(&s(&a[0])) {
            Some((ip, _)) => {
                Value::Bool([(0x0A00_0000u32, 8u32), (0xAC10_0000, 12), (0xC0A8_0000, 16)].iter().any(|(net, bits)| ip >> (32 - bits) == net >> (32 - bits)))
            }
            None => Value::Null,
        },
        Ipv4IsInRange => match (parse_ipv4_cidr(&s(&a[0])), parse_ipv4_cidr(&s(&a[1]))) {
            (Some((ip, _)), Some((net, bits))) => Value::Bool(in_range(ip, net, bits)),
            _ => Value::Null,
        },
        Ipv4IsInAnyRange => {
            let Some((ip, _)) = parse_ipv4_cidr(&s(&a[0])) else { return Ok(Value::Null) };
            let mut ranges: Vec<String> = Vec::new();
            for v in &a[1..] {
                match v {
                    Value::Dynamic(Dynamic::Array(items)) => ranges.extend(items.iter().map(|d| d.to_plain_string())),
                    other => ranges.push(s(other)),
                }
            }
            Value::Bool(ranges.iter().filter_map(|r| parse_ipv4_cidr(r)).any(|(net, bits)| in_range(ip, net, bits)))
        }
        Ipv4Compare => {
            let bits = a.get(2).and_then(to_i64).unwrap_or(32).clamp(0, 32) as u32;
            match (parse_ipv4_cidr(&s(&a[0])), parse_ipv4_cidr(&s(&a[1]))) {
                (Some((x, bx)), Some((y, by))) => {
                    let b = bits.min(bx).min(by);
                    let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
                    Value::Int(match (x & mask).cmp(&(y & mask)) {
                        std::cmp::Ordering::Less => -1,
                        std::cmp::Ordering::Equal => 0,
                        std::cmp::Ordering::Greater => 1,
                    })
                }
                _ => Value::Null,
            }
        }
        _ => return Err(super::not_here(f, "text")),
    })
}

fn in_range(ip: u32, net: u32, bits: u32) -> bool {
    if bits == 0 {
        return true;
    }
    ip >> (32 - bits) == net >> (32 - bits)
}

/// `10.1.2.3` or `10.1.0.0/16` → (address, prefix bits).
pub fn parse_ipv4_cidr(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    let (addr, bits) = match text.split_once('/') {
        Some((a, b)) => (a, b.trim().parse::<u32>().ok().filter(|b| *b <= 32)?),
        None => (text, 32),
    };
    let parts: Vec<&str> = addr.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut ip = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        ip = (ip << 8) | n;
    }
    Some((ip, bits))
}

pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                Ok(v) => {
                    out.push(v);
                    i += 3;
                }
                Err(_) => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// url_encode and url_encode_component as the Kusto reference shows them: every byte outside
/// a small safe set becomes `%xx` in lower-case hex (`https%3a%2f%2f...`); url_encode writes a
/// space as `+` and keeps `-_.!*()` (the form-encoding rule), url_encode_component writes it
/// as `%20` and keeps `-_.~`.
fn url_encode(s: &str, component: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') || if component { b == b'~' } else { matches!(b, b'!' | b'*' | b'(' | b')') };
        if keep {
            out.push(b as char);
        } else if b == b' ' && !component {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// Standard base64 with `=` padding, as `base64_encode_tostring` writes it.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Reads base64 leniently: padding optional and not checked, unused low bits of the last
/// character ignored.
const BASE64_LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new().with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
);

/// Decodes standard or URL-safe base64 (the two alphabets may mix; padding optional; spaces
/// and line breaks skipped; anything after the first `=` ignored); `None` if malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let body = s.trim();
    let body = &body[..body.find('=').unwrap_or(body.len())];
    let mut text: Vec<u8> = body
        .bytes()
        .filter(|c| !matches!(c, b'\n' | b'\r' | b' '))
        .map(|c| match c {
            b'-' => b'+',
            b'_' => b'/',
            c => c,
        })
        .collect();
    // A last lone character holds fewer than 8 bits: no byte, so it is dropped.
    if text.len() % 4 == 1 {
        text.pop();
    }
    BASE64_LENIENT.decode(&text).ok()
}

fn parse_url(url: &str) -> Dynamic {
    let bag = |scheme: &str, host: &str, port: &str, path: &str, user: &str, pass: &str, query: Vec<(Arc<str>, Dynamic)>, frag: &str| {
        Dynamic::object(vec![
            (Arc::from("Scheme"), dstr(scheme)),
            (Arc::from("Host"), dstr(host)),
            (Arc::from("Port"), dstr(port)),
            (Arc::from("Path"), dstr(path)),
            (Arc::from("Username"), dstr(user)),
            (Arc::from("Password"), dstr(pass)),
            (Arc::from("Query Parameters"), Dynamic::object(query)),
            (Arc::from("Fragment"), dstr(frag)),
        ])
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Dynamic::object(vec![]);
    };
    let (rest, frag) = match rest.split_once('#') {
        Some((r, f)) => (r, f),
        None => (rest, ""),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q),
        None => (rest, ""),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (u, h),
        None => ("", authority),
    };
    let (user, pass) = match userinfo.split_once(':') {
        Some((u, p)) => (u, p),
        None => (userinfo, ""),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|c| c.is_ascii_digit()) && !h.ends_with(']') || hostport.starts_with('[') && hostport.contains("]:") => {
            if hostport.starts_with('[') {
                let (h, p) = hostport.split_once("]:").unwrap_or((hostport, ""));
                (h.trim_start_matches('['), p)
            } else {
                (h, p)
            }
        }
        _ => (hostport, ""),
    };
    let mut params: Vec<(Arc<str>, Dynamic)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.push((Arc::from(url_decode(k).as_str()), dstr(&url_decode(v))));
    }
    bag(scheme, host, port, path, user, pass, params, frag)
}

fn parse_path(p: &str) -> Dynamic {
    let (scheme, rest) = match p.split_once("://") {
        Some((s, r)) => (s, r),
        None => ("", p),
    };
    let sep = if rest.contains('\\') { '\\' } else { '/' };
    let (dir, file) = match rest.rfind(sep) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => ("", rest),
    };
    let (file, ads) = match file.split_once(':') {
        Some((f, a)) => (f, a),
        None => (file, ""),
    };
    let ext = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let root = if rest.len() >= 2 && rest.as_bytes()[1] == b':' {
        &rest[..2]
    } else if rest.starts_with(sep) {
        &rest[..1]
    } else {
        ""
    };
    let dir_name = dir.rsplit(sep).next().unwrap_or("");
    Dynamic::object(vec![
        (Arc::from("Scheme"), dstr(scheme)),
        (Arc::from("RootPath"), dstr(root)),
        (Arc::from("DirectoryPath"), dstr(dir)),
        (Arc::from("DirectoryName"), dstr(dir_name)),
        (Arc::from("Filename"), dstr(file)),
        (Arc::from("Extension"), dstr(ext)),
        (Arc::from("AlternateDataStreamName"), dstr(ads)),
    ])
}

/// Refuses a regex replacement whose result would be larger than a value may be: every match
/// adds the rewrite text, and every `$n` in it can add up to the whole text again.
fn check_replace_size(re: &regex_lite::Regex, text: &str, rewrite: &str, cx: &ExecCtx) -> Result<(), String> {
    let refs = rewrite.matches('$').count().saturating_add(1);
    // At most len + 1 matches: skip counting them when even that would fit.
    let bound = |matches: usize| text.len().saturating_add(matches.saturating_mul(rewrite.len())).saturating_add(refs.saturating_mul(text.len()));
    if bound(text.len() + 1) <= cx.limits.max_value_bytes {
        return Ok(());
    }
    cx.check_value_size(bound(re.find_iter(text).count()), "This replacement")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        // Lenient like the hand-written reader it replaced: no padding, URL-safe letters,
        // line breaks, text after the padding, unused bits and a lone last character.
        for ok in ["aGVsbG8", " aGVs\nbG8= ", "aGVsbG8=junk", "aGVsbG9", "aGVsbG8xA"] {
            assert_eq!(&base64_decode(ok).unwrap()[..5], b"hello", "{ok}");
        }
        assert_eq!(base64_decode("-_-_").unwrap(), base64_decode("+/+/").unwrap());
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("not base64!").is_none());
        assert!(base64_decode("a.bc").is_none());
        assert_eq!(url_decode("a%20b%2Fc+d"), "a b/c d");
        assert_eq!(parse_ipv4_cidr("10.0.0.1"), Some((0x0A00_0001, 32)));
        assert_eq!(parse_ipv4_cidr("192.168.0.0/16"), Some((0xC0A8_0000, 16)));
        assert!(parse_ipv4_cidr("256.1.1.1").is_none());
        assert_eq!(rewrite_template(r"\1-\2"), "${1}-${2}");
        let u = parse_url("https://user:pw@contoso-login.com:8443/a/b?x=1&y=two#frag");
        assert_eq!(u.get("Host"), dstr("contoso-login.com"));
        assert_eq!(u.get("Port"), dstr("8443"));
        assert_eq!(u.get("Path"), dstr("/a/b"));
        assert_eq!(u.get("Query Parameters").get("y"), dstr("two"));
        assert_eq!(u.get("Fragment"), dstr("frag"));
    }
}
