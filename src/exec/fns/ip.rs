//! IPv4 and IPv6 functions: matching, comparing, ranges, masks, formatting, and finding IPv4
//! addresses in text.
//!
//! Kusto compares IPv6 addresses as 128-bit numbers. An IPv4 address in an IPv6 function is
//! the mapped address `::ffff:a.b.c.d`, and its `/prefix` counts IPv4 bits, so `/24` there is
//! 96 + 24 IPv6 bits. When two addresses carry prefixes (in the text or as an argument) the
//! shortest one decides how many leading bits are compared.

use super::text::parse_ipv4_cidr;
use super::{Call, FResult};
use crate::exec::cast::to_i64;
use crate::types::{Dynamic, Value};
use std::cmp::Ordering;
use std::net::Ipv6Addr;

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

/// Every string in the arguments, with dynamic arrays flattened (`ipv4_is_in_any_range(ip,
/// dynamic([...]))` and the list form are the same).
fn strings(args: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for v in args {
        match v {
            Value::Dynamic(Dynamic::Array(items)) => out.extend(items.iter().map(|d| d.to_plain_string())),
            other => out.push(text(other)),
        }
    }
    out
}

fn mask32(bits: u32) -> u32 {
    if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    }
}

fn mask128(bits: u32) -> u128 {
    if bits == 0 {
        0
    } else {
        u128::MAX << (128 - bits.min(128))
    }
}

fn order(o: Ordering) -> Value {
    Value::Int(match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

/// The optional prefix argument: `None` when absent, `Err` when it is outside 0..=max.
fn prefix_arg(a: &[Value], i: usize, max: i64) -> Result<Option<u32>, ()> {
    match a.get(i) {
        None => Ok(None),
        Some(v) => match to_i64(v) {
            Some(p) if (0..=max).contains(&p) => Ok(Some(p as u32)),
            _ => Err(()),
        },
    }
}

/// Compares two IPv4 addresses on the shortest of their prefixes and the given one.
fn ipv4_order(a: &[Value]) -> Option<Ordering> {
    let extra = prefix_arg(a, 2, 32).ok()?.unwrap_or(32);
    let (x, bx) = parse_ipv4_cidr(&text(&a[0]))?;
    let (y, by) = parse_ipv4_cidr(&text(&a[1]))?;
    let m = mask32(extra.min(bx).min(by));
    Some((x & m).cmp(&(y & m)))
}

/// An IPv6 or IPv4 address with an optional `/prefix`, as (address, prefix in IPv6 bits).
pub(super) fn parse_ipv6_cidr(s: &str) -> Option<(u128, u32)> {
    let s = s.trim();
    if let Some((ip, bits)) = parse_ipv4_cidr(s) {
        return Some(((0xffffu128 << 32) | u128::from(ip), 96 + bits));
    }
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, b.trim().parse::<u32>().ok().filter(|b| *b <= 128)?),
        None => (s, 128),
    };
    let ip: Ipv6Addr = addr.trim().parse().ok()?;
    Some((u128::from(ip), bits))
}

fn ipv6_order(a: &[Value]) -> Option<Ordering> {
    let extra = prefix_arg(a, 2, 128).ok()?.unwrap_or(128);
    let (x, bx) = parse_ipv6_cidr(&text(&a[0]))?;
    let (y, by) = parse_ipv6_cidr(&text(&a[1]))?;
    let m = mask128(extra.min(bx).min(by));
    Some((x & m).cmp(&(y & m)))
}

/// ipv4_is_match(ip1, ip2[, prefix]): equal on the shortest prefix.
pub fn ipv4_is_match(c: &Call) -> FResult {
    Ok(ipv4_order(c.a).map_or(Value::Null, |o| Value::Bool(o.is_eq())))
}

/// ipv6_compare(ip1, ip2[, prefix]): -1, 0 or 1.
pub fn ipv6_compare(c: &Call) -> FResult {
    Ok(ipv6_order(c.a).map_or(Value::Null, order))
}

/// ipv6_is_match(ip1, ip2[, prefix]): equal on the shortest prefix.
pub fn ipv6_is_match(c: &Call) -> FResult {
    Ok(ipv6_order(c.a).map_or(Value::Null, |o| Value::Bool(o.is_eq())))
}

fn in_ipv6_range(ip: u128, range: &str) -> Option<bool> {
    let (net, bits) = parse_ipv6_cidr(range)?;
    let m = mask128(bits);
    Some(ip & m == net & m)
}

/// ipv6_is_in_range(ip, range).
pub fn ipv6_is_in_range(c: &Call) -> FResult {
    let Some((ip, _)) = parse_ipv6_cidr(&text(&c.a[0])) else { return Ok(Value::Null) };
    Ok(in_ipv6_range(ip, &text(&c.a[1])).map_or(Value::Null, Value::Bool))
}

/// ipv6_is_in_any_range(ip, range, ...) or (ip, dynamic([ranges])).
pub fn ipv6_is_in_any_range(c: &Call) -> FResult {
    let Some((ip, _)) = parse_ipv6_cidr(&text(&c.a[0])) else { return Ok(Value::Null) };
    Ok(Value::Bool(strings(&c.a[1..]).iter().any(|r| in_ipv6_range(ip, r) == Some(true))))
}

/// The address and prefix of `format_ipv4`'s first argument: a string, or a number holding
/// the address in big-endian order.
fn ipv4_of(v: &Value) -> Option<(u32, u32)> {
    match v {
        Value::Int(_) | Value::Long(_) | Value::Real(_) => to_i64(v).and_then(|n| u32::try_from(n).ok()).map(|n| (n, 32)),
        Value::Null => None,
        other => parse_ipv4_cidr(&text(other)),
    }
}

/// The masked address and prefix for the format functions, or `None` (an empty string).
fn masked_ipv4(a: &[Value]) -> Option<(u32, u32)> {
    let extra = prefix_arg(a, 1, 32).ok()?.unwrap_or(32);
    let (ip, bits) = ipv4_of(&a[0])?;
    let bits = bits.min(extra);
    Some((ip & mask32(bits), bits))
}

fn dotted(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

/// parse_ipv4_mask(ip, prefix): the masked address as a long.
pub fn parse_ipv4_mask(c: &Call) -> FResult {
    let Ok(Some(extra)) = prefix_arg(c.a, 1, 32) else { return Ok(Value::Null) };
    Ok(parse_ipv4_cidr(&text(&c.a[0])).map_or(Value::Null, |(ip, bits)| Value::Long(i64::from(ip & mask32(bits.min(extra))))))
}

/// format_ipv4(ip[, prefix]): the masked address in dotted form.
pub fn format_ipv4(c: &Call) -> FResult {
    Ok(Value::str(&masked_ipv4(c.a).map_or(String::new(), |(ip, _)| dotted(ip))))
}

/// format_ipv4_mask(ip[, prefix]): the masked address with its prefix, `a.b.c.d/n`.
pub fn format_ipv4_mask(c: &Call) -> FResult {
    Ok(Value::str(&masked_ipv4(c.a).map_or(String::new(), |(ip, bits)| format!("{}/{bits}", dotted(ip)))))
}

/// parse_ipv6(ip): the canonical (full, lower-case) IPv6 form, masked by the prefix if any.
pub fn parse_ipv6(c: &Call) -> FResult {
    Ok(Value::str(&match parse_ipv6_cidr(&text(&c.a[0])) {
        Some((ip, bits)) => {
            let b = (ip & mask128(bits)).to_be_bytes();
            b.chunks(2).map(|g| format!("{:02x}{:02x}", g[0], g[1])).collect::<Vec<_>>().join(":")
        }
        None => String::new(),
    }))
}

/// The IPv4 addresses written in `source`: runs of digits and dots that are not glued to a
/// letter, digit or dot on either side, and that are valid addresses (so `54127.0.0.1` and
/// `127.0.0.256` are not).
fn addresses_in(source: &str) -> Vec<&str> {
    source
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '.'))
        .map(|run| run.trim_end_matches('.'))
        .filter(|run| matches!(parse_ipv4_cidr(run), Some((_, 32))))
        .collect()
}

/// A valid IPv4 address prefix: a whole address, or one to three octets each followed by a dot.
fn valid_prefix(p: &str) -> bool {
    if matches!(parse_ipv4_cidr(p), Some((_, 32))) {
        return !p.contains('/');
    }
    let Some(body) = p.strip_suffix('.') else { return false };
    let parts: Vec<&str> = body.split('.').collect();
    (1..=3).contains(&parts.len())
        && parts.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()) && o.parse::<u32>().is_ok_and(|n| n <= 255))
}

fn has_any(source: &Value, wanted: &[String], prefix: bool) -> Value {
    let found = addresses_in(&text(source)).into_iter().map(|a| a.to_string()).collect::<Vec<_>>();
    Value::Bool(wanted.iter().any(|w| {
        let w = w.trim();
        if prefix {
            valid_prefix(w) && found.iter().any(|a| if w.ends_with('.') { a.starts_with(w) } else { a == w })
        } else {
            matches!(parse_ipv4_cidr(w), Some((_, 32))) && !w.contains('/') && found.iter().any(|a| a == w)
        }
    }))
}

/// has_ipv4(source, ip): is the address written in the text?
pub fn has_ipv4(c: &Call) -> FResult {
    Ok(has_any(&c.a[0], &[text(&c.a[1])], false))
}

/// has_ipv4_prefix(source, prefix): is an address starting with the prefix written in the text?
pub fn has_ipv4_prefix(c: &Call) -> FResult {
    Ok(has_any(&c.a[0], &[text(&c.a[1])], true))
}

/// has_any_ipv4(source, ip, ...) or (source, dynamic([ips])).
pub fn has_any_ipv4(c: &Call) -> FResult {
    Ok(has_any(&c.a[0], &strings(&c.a[1..]), false))
}

/// has_any_ipv4_prefix(source, prefix, ...) or (source, dynamic([prefixes])).
pub fn has_any_ipv4_prefix(c: &Call) -> FResult {
    Ok(has_any(&c.a[0], &strings(&c.a[1..]), true))
}

/// `geo_info_from_ip_address`: where kqlab's synthetic geo table (`data::geo`) places the
/// address, as Kusto's bag (country, state, city, latitude, longitude); null when it does not.
pub fn geo_info(c: &Call) -> FResult {
    let ip = match &c.a[0] {
        Value::Null => return Ok(Value::Null),
        v => v.to_display(),
    };
    Ok(crate::data::geo::info_json(&ip).and_then(|j| Dynamic::parse_json(&j).ok()).map_or(Value::Null, Value::Dynamic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_delimited_addresses_only() {
        assert_eq!(addresses_in("05:04:54 127.0.0.1 GET"), vec!["127.0.0.1"]);
        assert!(addresses_in("05:04:54127.0.0.1 GET").is_empty());
        assert!(addresses_in("x 127.0.0.256 y").is_empty());
        assert_eq!(addresses_in("ends with 10.0.0.1."), vec!["10.0.0.1"]);
        assert!(valid_prefix("127.0.") && valid_prefix("10.1.2.3") && !valid_prefix("127.0") && !valid_prefix("300."));
    }

    #[test]
    fn ipv4_maps_into_ipv6_with_its_prefix() {
        assert_eq!(parse_ipv6_cidr("192.168.1.1/24"), Some((0xffff_c0a8_0101, 120)));
        assert_eq!(parse_ipv6_cidr("::ffff:c0a8:0101"), Some((0xffff_c0a8_0101, 128)));
        assert_eq!(parse_ipv6_cidr("fe80::1/200"), None);
    }
}
