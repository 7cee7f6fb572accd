//! Punycode (RFC 3492), the ASCII form of Unicode labels in internationalised domain names:
//! punycode_from_string / punycode_to_string for one label, and the domain forms that add or
//! strip the `xn--` prefix label by label. Labels keep their case (no IDNA mapping), as the
//! docs' examples show ("xn--Ge-mia" is "Gáe"). A failure gives an empty string.

use super::{Call, FResult};
use crate::types::Value;

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_display(),
    }
}

/// The bias after each coded character, so that small deltas take few digits.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

fn digit_char(d: u32) -> char {
    if d < 26 {
        (b'a' + d as u8) as char
    } else {
        (b'0' + (d - 26) as u8) as char
    }
}

fn char_digit(c: char) -> Option<u32> {
    match c {
        'a'..='z' => Some(c as u32 - 'a' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        '0'..='9' => Some(c as u32 - '0' as u32 + 26),
        _ => None,
    }
}

/// Encodes one label: its ASCII characters first, a '-', then the places and values of the
/// others as variable-length base-36 numbers.
pub fn encode(input: &str) -> Option<String> {
    let cps: Vec<u32> = input.chars().map(|c| c as u32).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while (handled as usize) < cps.len() {
        let m = cps.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit_char(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit_char(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// Decodes one label (the inverse of [`encode`]); `None` for text that is not punycode.
pub fn decode(input: &str) -> Option<String> {
    let (basic, coded) = match input.rfind('-') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = coded.chars();
    while let Some(first) = digits.next() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        let mut c = Some(first);
        loop {
            let d = char_digit(c?)?;
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
            c = digits.next();
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

pub fn punycode_from_string(c: &Call) -> FResult {
    Ok(Value::str(&encode(&text(&c.a[0])).unwrap_or_default()))
}

pub fn punycode_to_string(c: &Call) -> FResult {
    Ok(Value::str(&decode(&text(&c.a[0])).unwrap_or_default()))
}

/// Label separators: the full stop and its ideographic, full-width and half-width forms.
fn labels(domain: &str) -> impl Iterator<Item = &str> {
    domain.split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'])
}

/// punycode_domain_to_string(domain): each label with non-ASCII characters as xn--punycode.
pub fn punycode_domain_to_string(c: &Call) -> FResult {
    let domain = text(&c.a[0]);
    let parts: Option<Vec<String>> = labels(&domain).map(|l| if l.is_ascii() { Some(l.to_string()) } else { encode(l).map(|e| format!("xn--{e}")) }).collect();
    Ok(Value::str(&parts.map(|p| p.join(".")).unwrap_or_default()))
}

/// punycode_domain_from_string(domain): each xn-- label decoded.
pub fn punycode_domain_from_string(c: &Call) -> FResult {
    let domain = text(&c.a[0]);
    let parts: Option<Vec<String>> = labels(&domain)
        .map(|l| match l.get(..4) {
            Some(p) if p.eq_ignore_ascii_case("xn--") => decode(&l[4..]),
            _ => Some(l.to_string()),
        })
        .collect();
    Ok(Value::str(&parts.map(|p| p.join(".")).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_labels() {
        // RFC 3492's sample "(A) Arabic (Egyptian)" and a mixed label.
        assert_eq!(encode("ليهمابتكلموشعربي؟").as_deref(), Some("egbpdaj6bu4bxfgehfvwxn"));
        assert_eq!(encode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(decode("bcher-kva").as_deref(), Some("bücher"));
        for s in ["münchen", "日本語", "a-b-ç", "ÀÉ"] {
            assert_eq!(decode(&encode(s).unwrap()).as_deref(), Some(s));
        }
        assert_eq!(decode("a-!"), None);
    }
}
