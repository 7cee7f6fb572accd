//! Smaller functions added in the long tail: base64 to and from byte arrays and GUIDs,
//! around(), has_any_index(), indexof_regex(), isascii()/isutf8(), jaccard_index(),
//! regex_quote(), Unix micro- and nanosecond times, ipv4_netmask_suffix(),
//! ipv4_range_to_cidr_list() and parse_urlquery().

use super::{Call, FResult};
use crate::exec::cast::{to_f64, to_i64};
use crate::exec::strops::{has, Needle};
use crate::types::{Dynamic, Value};
use base64::Engine as _;
use std::sync::Arc;

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

/// Decoding to bytes or a GUID wants canonical base64 (padded): the docs' example of unpadded
/// text gives null.
fn decode(v: &Value) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text(v).trim()).ok()
}

/// base64_decode_toarray(s): the decoded bytes as an array of longs; null if not base64.
pub fn base64_decode_toarray(c: &Call) -> FResult {
    Ok(decode(&c.a[0]).map_or(Value::Null, |b| Value::Dynamic(Dynamic::array(b.into_iter().map(|x| Dynamic::Long(x as i64)).collect()))))
}

/// base64_encode_fromarray(bytes): null when an element is not a number from 0 to 255.
pub fn base64_encode_fromarray(c: &Call) -> FResult {
    let Value::Dynamic(Dynamic::Array(items)) = &c.a[0] else { return Ok(Value::Null) };
    let bytes: Option<Vec<u8>> = items.iter().map(|d| if let Dynamic::Long(n) = d { u8::try_from(*n).ok() } else { None }).collect();
    Ok(bytes.map_or(Value::Null, |b| Value::str(&base64::engine::general_purpose::STANDARD.encode(b))))
}

/// The 16 bytes of a GUID in the order .NET stores them: the first three groups
/// little-endian, the last two as written.
fn guid_bytes(g: &str) -> Option<[u8; 16]> {
    let hex: String = g.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let mut b = [0u8; 16];
    for (i, slot) in b.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    b[0..4].reverse();
    b[4..6].reverse();
    b[6..8].reverse();
    Some(b)
}

fn guid_text(mut b: [u8; 16]) -> String {
    b[0..4].reverse();
    b[4..6].reverse();
    b[6..8].reverse();
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// base64_decode_toguid(s): 16 bytes read as a GUID (.NET byte order); null otherwise.
pub fn base64_decode_toguid(c: &Call) -> FResult {
    Ok(match decode(&c.a[0]).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
        Some(b) => Value::Guid(Arc::from(guid_text(b).as_str())),
        None => Value::Null,
    })
}

/// base64_encode_fromguid(g): the GUID's 16 bytes (.NET byte order) as base64.
pub fn base64_encode_fromguid(c: &Call) -> FResult {
    Ok(match &c.a[0] {
        Value::Guid(g) => guid_bytes(g).map_or(Value::Null, |b| Value::str(&base64::engine::general_purpose::STANDARD.encode(b))),
        _ => Value::Null,
    })
}

/// around(value, center, delta): center - delta ≤ value ≤ center + delta, for numbers,
/// datetimes and timespans; null if an argument is null.
pub fn around(c: &Call) -> FResult {
    let (v, center, delta) = (&c.a[0], &c.a[1], &c.a[2]);
    Ok(match (v, center, delta) {
        (Value::DateTime(x), Value::DateTime(m), Value::TimeSpan(d)) | (Value::TimeSpan(x), Value::TimeSpan(m), Value::TimeSpan(d)) => {
            Value::Bool((*x as i128 - *m as i128).abs() <= (*d as i128).abs())
        }
        _ => match (to_f64(v), to_f64(center), to_f64(delta)) {
            (Some(x), Some(m), Some(d)) => Value::Bool((x - m).abs() <= d.abs()),
            _ => Value::Null,
        },
    })
}

/// has_any_index(source, values): the position of the first value that `source has`
/// (whole terms, any case), or -1.
pub fn has_any_index(c: &Call) -> FResult {
    let source = text(&c.a[0]);
    let Value::Dynamic(Dynamic::Array(items)) = &c.a[1] else { return Ok(Value::Long(-1)) };
    let found = items.iter().position(|d| {
        let t = d.to_plain_string();
        !t.is_empty() && has(&source, &Needle::new(&t), false)
    });
    Ok(Value::Long(found.map_or(-1, |i| i as i64)))
}

/// indexof_regex(s, re[, start[, length[, occurrence]]]): where the occurrence-th match
/// (not overlapping) starts, counted in characters, within s[start .. start+length]; -1 if
/// there is none; null for a negative start or occurrence or a length below -1.
pub fn indexof_regex(c: &Call) -> FResult {
    let s = text(&c.a[0]);
    let start = c.a.get(2).and_then(to_i64).unwrap_or(0);
    let length = c.a.get(3).and_then(to_i64).unwrap_or(-1);
    let occurrence = c.a.get(4).and_then(to_i64).unwrap_or(1);
    if start < 0 || occurrence < 0 || length < -1 {
        return Ok(Value::Null);
    }
    let re = crate::util::regex::compile_regex(&text(&c.a[1]))?;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len() as i64;
    if start > n {
        return Ok(Value::Long(-1));
    }
    let end = if length == -1 { n } else { (start + length).min(n) };
    let byte = |i: i64| chars.get(i as usize).map_or(s.len(), |(b, _)| *b);
    let window = &s[byte(start)..byte(end)];
    let Some(m) = re.find_iter(window).nth(occurrence.max(1) as usize - 1) else { return Ok(Value::Long(-1)) };
    Ok(Value::Long(start + window[..m.start()].chars().count() as i64))
}

pub fn isascii(c: &Call) -> FResult {
    Ok(Value::Bool(text(&c.a[0]).is_ascii()))
}

/// isutf8: kqlab's strings are always valid UTF-8.
pub fn isutf8(c: &Call) -> FResult {
    Ok(match &c.a[0] {
        Value::Null => Value::Null,
        _ => Value::Bool(true),
    })
}

/// jaccard_index(a, b): |distinct common values| / |distinct values of either|.
pub fn jaccard_index(c: &Call) -> FResult {
    let (Value::Dynamic(Dynamic::Array(a)), Value::Dynamic(Dynamic::Array(b))) = (&c.a[0], &c.a[1]) else { return Ok(Value::Null) };
    let set = |xs: &[Dynamic]| xs.iter().map(Dynamic::to_json).collect::<std::collections::BTreeSet<String>>();
    let (a, b) = (set(a), set(b));
    let union = a.union(&b).count();
    if union == 0 {
        return Ok(Value::Real(0.0));
    }
    Ok(Value::Real(a.intersection(&b).count() as f64 / union as f64))
}

/// regex_quote(s): every regex metacharacter escaped with a backslash.
pub fn regex_quote(c: &Call) -> FResult {
    let mut out = String::new();
    for ch in text(&c.a[0]).chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    Ok(Value::str(&out))
}

/// Unix time in some unit (num/den 100 ns ticks each) to a datetime, null out of range.
fn unix(c: &Call, ticks_per_unit_num: i128, ticks_per_unit_den: i128) -> FResult {
    use crate::types::time::{MAX_DATETIME, MIN_DATETIME};
    let ticks = match &c.a[0] {
        Value::Real(x) => (x * ticks_per_unit_num as f64 / ticks_per_unit_den as f64).round() as i128,
        v => match to_i64(v) {
            Some(n) => n as i128 * ticks_per_unit_num / ticks_per_unit_den,
            None => return Ok(Value::Null),
        },
    };
    Ok(if (MIN_DATETIME as i128..=MAX_DATETIME as i128).contains(&ticks) { Value::DateTime(ticks as i64) } else { Value::Null })
}

pub fn unixtime_microseconds_todatetime(c: &Call) -> FResult {
    unix(c, 10, 1)
}

pub fn unixtime_nanoseconds_todatetime(c: &Call) -> FResult {
    unix(c, 1, 100)
}

/// An IPv4 address with an optional /prefix: (address, prefix).
fn ipv4_with_prefix(s: &str) -> Option<(u32, u32)> {
    let (addr, prefix) = match s.trim().split_once('/') {
        Some((a, p)) => (a, p.trim().parse::<u32>().ok().filter(|p| *p <= 32)?),
        None => (s.trim(), 32),
    };
    Some((u32::from(addr.trim().parse::<std::net::Ipv4Addr>().ok()?), prefix))
}

/// ipv4_netmask_suffix(ip): the /prefix of an address (32 without one); null if invalid.
pub fn ipv4_netmask_suffix(c: &Call) -> FResult {
    Ok(ipv4_with_prefix(&text(&c.a[0])).map_or(Value::Null, |(_, p)| Value::Long(p as i64)))
}

/// ipv4_range_to_cidr_list(start, end): the fewest CIDR blocks covering start..=end.
pub fn ipv4_range_to_cidr_list(c: &Call) -> FResult {
    let (Some((start, _)), Some((end, _))) = (ipv4_with_prefix(&text(&c.a[0])), ipv4_with_prefix(&text(&c.a[1]))) else {
        return Ok(Value::Null);
    };
    let mut blocks = Vec::new();
    let (mut at, end) = (start as u64, end as u64);
    while at <= end {
        // The largest aligned block starting here that does not pass the end.
        let mut size = if at == 0 { 1u64 << 32 } else { at & at.wrapping_neg() };
        while at + size - 1 > end {
            size /= 2;
        }
        let prefix = 32 - size.trailing_zeros();
        blocks.push(Dynamic::String(Arc::from(format!("{}/{prefix}", std::net::Ipv4Addr::from(at as u32)).as_str())));
        at += size;
    }
    Ok(Value::Dynamic(Dynamic::array(blocks)))
}

/// parse_urlquery(query): {"Query Parameters": {key: value, ...}}, values %-decoded.
pub fn parse_urlquery(c: &Call) -> FResult {
    let q = text(&c.a[0]);
    let q = q.strip_prefix('?').unwrap_or(&q);
    let mut params: Vec<(Arc<str>, Dynamic)> = Vec::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        match params.iter_mut().find(|(key, _)| **key == *k) {
            Some(slot) => slot.1 = Dynamic::String(Arc::from(v.as_str())),
            None => params.push((Arc::from(k.as_str()), Dynamic::String(Arc::from(v.as_str())))),
        }
    }
    Ok(Value::Dynamic(Dynamic::object(vec![(Arc::from("Query Parameters"), Dynamic::object(params))])))
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1).and_then(|c| hex(*c)), b.get(i + 2).and_then(|c| hex(*c))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (x, _, _) => out.push(x),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// parse_csv(text): the first record of comma-separated text as an array of strings. A field
/// in double quotes may hold commas, line breaks and doubled quotes (""); the record ends at
/// the first line break outside quotes.
pub fn parse_csv(c: &Call) -> FResult {
    let s = text(&c.a[0]);
    let mut fields: Vec<Dynamic> = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(Dynamic::String(Arc::from(std::mem::take(&mut field).as_str()))),
            ('\n' | '\r', false) => break,
            (ch, _) => field.push(ch),
        }
    }
    fields.push(Dynamic::String(Arc::from(field.as_str())));
    Ok(Value::Dynamic(Dynamic::array(fields)))
}

/// assert(condition, message): true when the condition holds; otherwise the query stops with
/// the message, as Kusto's assert does.
pub fn assert(c: &Call) -> FResult {
    match &c.a[0] {
        Value::Bool(true) => Ok(Value::Bool(true)),
        _ => Err(format!("assert() failed: {}", text(&c.a[1]))),
    }
}

/// array_index_of(array, value[, start[, length[, occurrence]]]): the position of the
/// occurrence-th element equal to value within array[start .. start+length], or -1. A
/// negative start counts back from the end; a length of -1 reaches the end. Null for a
/// negative occurrence or a length below -1.
pub fn array_index_of(c: &Call) -> FResult {
    let Value::Dynamic(Dynamic::Array(items)) = &c.a[0] else { return Ok(Value::Null) };
    let needle = c.a[1].to_dynamic();
    let n = items.len() as i64;
    let start = c.a.get(2).and_then(to_i64).unwrap_or(0);
    let length = c.a.get(3).and_then(to_i64).unwrap_or(-1);
    let occurrence = c.a.get(4).and_then(to_i64).unwrap_or(1);
    if occurrence < 0 || length < -1 {
        return Ok(Value::Null);
    }
    let start = if start < 0 { (n + start).max(0) } else { start };
    if start >= n {
        return Ok(Value::Long(-1));
    }
    let end = if length == -1 { n } else { (start + length).min(n) };
    let same = |d: &Dynamic| match (to_f64(&Value::Dynamic(d.clone())), to_f64(&Value::Dynamic(needle.clone()))) {
        (Some(x), Some(y)) if !matches!(d, Dynamic::String(_)) && !matches!(needle, Dynamic::String(_)) => x == y,
        _ => d.to_json() == needle.to_json(),
    };
    let found = (start..end).filter(|&i| same(&items[i as usize])).nth(occurrence.max(1) as usize - 1);
    Ok(Value::Long(found.unwrap_or(-1)))
}

/// parse_ipv6_mask(ip, prefix): the canonical IPv6 form masked by the smaller of the
/// address's own prefix and the given one (0 to 128); empty if the address or prefix is bad.
pub fn parse_ipv6_mask(c: &Call) -> FResult {
    let bits = match c.a.get(1).and_then(to_i64) {
        Some(b) if (0..=128).contains(&b) => b as u32,
        _ => return Ok(Value::str("")),
    };
    let address = text(&c.a[0]);
    Ok(Value::str(&match super::ip::parse_ipv6_cidr(&address) {
        Some((ip, own)) => {
            // An IPv4 address written after "::" is read as IPv4-mapped (::ffff:a.b.c.d), as
            // the page's example shows.
            // Its prefix (::a.b.c.d/24) counts IPv4 bits, so it is 96 more in IPv6 terms.
            let embedded = ip >> 32 == 0 && address.contains('.');
            let ip = if embedded { ip | (0xffff_u128 << 32) } else { ip };
            let own = if embedded && own <= 32 { own + 96 } else { own };
            let keep = own.min(bits);
            let mask = if keep == 0 { 0 } else { u128::MAX << (128 - keep) };
            let b = (ip & mask).to_be_bytes();
            b.chunks(2).map(|g| format!("{:02x}{:02x}", g[0], g[1])).collect::<Vec<_>>().join(":")
        }
        None => String::new(),
    }))
}
