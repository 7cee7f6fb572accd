//! Functions over dynamic arrays and property bags.

use super::{Call, FResult};
use crate::exec::cast::{to_f64, to_i64};
use crate::plan::functions::Func;
use crate::types::{Dynamic, Value};
use std::sync::Arc;

fn d(v: &Value) -> Dynamic {
    match v {
        Value::Dynamic(d) => d.clone(),
        other => other.to_dynamic(),
    }
}

fn arr(v: &Value) -> Option<Arc<Vec<Dynamic>>> {
    match v {
        Value::Dynamic(Dynamic::Array(a)) => Some(a.clone()),
        _ => None,
    }
}

fn dv(x: Dynamic) -> Value {
    Value::Dynamic(x)
}

/// Equality used by the set functions: numbers compare by value across long/real.
fn same(a: &Dynamic, b: &Dynamic) -> bool {
    match (a, b) {
        (Dynamic::Long(x), Dynamic::Real(y)) | (Dynamic::Real(y), Dynamic::Long(x)) => *x as f64 == *y,
        _ => a == b,
    }
}

/// A hashable key with the equality of [`same`] (a long equals the real of the same value),
/// so set functions run in linear time, not quadratic.
fn set_key(x: &Dynamic) -> String {
    fn num(f: f64) -> String {
        format!("n:{}", if f == 0.0 { 0 } else { f.to_bits() })
    }
    match x {
        Dynamic::Long(n) if (*n as f64) as i64 == *n && *n != i64::MAX => num(*n as f64),
        Dynamic::Real(f) => num(*f),
        other => format!("{}:{}", other.type_name(), other.to_json()),
    }
}

fn key_set(items: &[Dynamic]) -> crate::table::FxHashSet<String> {
    items.iter().map(set_key).collect()
}

fn distinct(items: impl Iterator<Item = Dynamic>) -> Vec<Dynamic> {
    let mut out: Vec<Dynamic> = Vec::new();
    let mut seen = crate::table::FxHashSet::default();
    for x in items {
        let key = x.to_json();
        if seen.insert(key) {
            out.push(x);
        }
    }
    out
}

fn sort_key(x: &Dynamic) -> (u8, f64, String) {
    match x {
        Dynamic::Null => (3, 0.0, String::new()),
        Dynamic::Bool(b) => (0, *b as i64 as f64, String::new()),
        Dynamic::Long(n) => (0, *n as f64, String::new()),
        Dynamic::Real(f) => (0, *f, String::new()),
        Dynamic::DateTime(t) | Dynamic::TimeSpan(t) => (0, *t as f64, String::new()),
        Dynamic::String(s) => (1, 0.0, s.to_string()),
        other => (2, 0.0, other.to_json()),
    }
}

pub fn row(c: &Call) -> FResult {
    let Call { f, a, .. } = *c;
    use Func::*;
    Ok(match f {
        ArrayLength => arr(&a[0]).map_or(Value::Null, |x| Value::Long(x.len() as i64)),
        PackArray => dv(Dynamic::array(a.iter().map(d).collect())),
        BagPack | Pack => {
            let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
            for pair in a.chunks(2) {
                let k: Arc<str> = Arc::from(pair[0].to_display().as_str());
                let v = d(&pair[1]);
                match items.iter_mut().find(|(ek, _)| *ek == k) {
                    Some(slot) => slot.1 = v,
                    None => items.push((k, v)),
                }
            }
            dv(Dynamic::object(items))
        }
        BagKeys => match d(&a[0]) {
            Dynamic::Object(items) => dv(Dynamic::array(items.iter().map(|(k, _)| Dynamic::String(k.clone())).collect())),
            _ => Value::Null,
        },
        BagHasKey => match d(&a[0]) {
            bag @ Dynamic::Object(_) => {
                let k = a[1].to_display();
                Value::Bool(path_keys(&k).is_some_and(|keys| has_path(&bag, &keys)))
            }
            _ => Value::Bool(false),
        },
        BagMerge => {
            let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
            let mut seen: crate::table::FxHashSet<Arc<str>> = Default::default();
            for v in a {
                if let Dynamic::Object(bag) = d(v) {
                    for (k, x) in bag.iter() {
                        if seen.insert(k.clone()) {
                            items.push((k.clone(), x.clone()));
                        }
                    }
                }
            }
            dv(Dynamic::object(items))
        }
        ArrayConcat => {
            let mut out = Vec::new();
            for v in a {
                match arr(v) {
                    Some(x) => out.extend(x.iter().cloned()),
                    None => return Ok(Value::Null),
                }
            }
            dv(Dynamic::array(out))
        }
        ArraySlice => {
            let Some(x) = arr(&a[0]) else { return Ok(Value::Null) };
            let n = x.len() as i64;
            let norm = |i: i64| if i < 0 { n + i } else { i };
            let (Some(s), Some(e)) = (to_i64(&a[1]).map(norm), to_i64(&a[2]).map(norm)) else { return Ok(Value::Null) };
            let s = s.max(0);
            let e = e.min(n - 1);
            if s > e || s >= n {
                dv(Dynamic::array(vec![]))
            } else {
                dv(Dynamic::array(x[s as usize..=e as usize].to_vec()))
            }
        }
        // array_sort_asc(a1[, a2, ...][, nulls_last]): a1 is sorted and every other array is
        // put in the same order; one array gives the sorted array, several give an array of
        // them (an array whose length differs from a1's becomes null).
        ArraySortAsc | ArraySortDesc => {
            let (arrays, nulls_last) = match a.split_last() {
                Some((Value::Bool(b), rest)) => (rest, *b),
                Some((Value::Null, rest)) if !rest.is_empty() => (rest, true),
                _ => (a, true),
            };
            let Some(first) = arrays.first().and_then(arr) else { return Ok(Value::Null) };
            let mut order: Vec<usize> = (0..first.len()).collect();
            crate::util::sort::sort_by(&mut order, |&p, &q| {
                let (p, q) = (&first[p], &first[q]);
                match (p.is_null(), q.is_null()) {
                    (true, true) => return std::cmp::Ordering::Equal,
                    (true, false) => return if nulls_last { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Less },
                    (false, true) => return if nulls_last { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater },
                    (false, false) => {}
                }
                let (kp, kq) = (sort_key(p), sort_key(q));
                let o = kp.0.min(2).cmp(&kq.0.min(2)).then(kp.1.total_cmp(&kq.1)).then(kp.2.cmp(&kq.2));
                if f == ArraySortDesc {
                    o.reverse()
                } else {
                    o
                }
            });
            let reorder = |v: &Value| match arr(v) {
                Some(x) if x.len() == first.len() => Dynamic::array(order.iter().map(|&i| x[i].clone()).collect()),
                _ => Dynamic::Null,
            };
            if arrays.len() == 1 {
                dv(reorder(&arrays[0]))
            } else {
                dv(Dynamic::array(arrays.iter().map(reorder).collect()))
            }
        }
        ArrayReverse => match arr(&a[0]) {
            Some(x) => dv(Dynamic::array(x.iter().rev().cloned().collect())),
            None => Value::Null,
        },
        ArraySum => match arr(&a[0]) {
            Some(x) => {
                let mut sum = 0.0;
                for e in x.iter() {
                    match to_f64(&Value::Dynamic(e.clone())) {
                        Some(v) => sum += v,
                        None => return Ok(Value::Null),
                    }
                }
                Value::Real(sum)
            }
            None => Value::Null,
        },
        SetHasElement => match arr(&a[0]) {
            Some(x) => {
                let needle = d(&a[1]);
                Value::Bool(x.iter().any(|e| same(e, &needle)))
            }
            None => Value::Null,
        },
        SetDifference => {
            let Some(first) = arr(&a[0]) else { return Ok(Value::Null) };
            let others: Vec<Arc<Vec<Dynamic>>> = a[1..].iter().filter_map(arr).collect();
            let others: Vec<_> = others.iter().map(|o| key_set(o)).collect();
            dv(Dynamic::array(distinct(first.iter().filter(|e| !others.iter().any(|o| o.contains(&set_key(e)))).cloned())))
        }
        SetUnion => {
            let all: Vec<Arc<Vec<Dynamic>>> = a.iter().filter_map(arr).collect();
            dv(Dynamic::array(distinct(all.iter().flat_map(|x| x.iter().cloned()))))
        }
        SetIntersect => {
            let all: Vec<Arc<Vec<Dynamic>>> = a.iter().filter_map(arr).collect();
            let Some(first) = all.first() else { return Ok(Value::Null) };
            let rest: Vec<_> = all[1..].iter().map(|o| key_set(o)).collect();
            dv(Dynamic::array(distinct(first.iter().filter(|e| rest.iter().all(|o| o.contains(&set_key(e)))).cloned())))
        }
        StrcatArray => match arr(&a[0]) {
            Some(x) => {
                let delim = a[1].to_display();
                Value::str(&x.iter().map(|e| e.to_plain_string()).collect::<Vec<_>>().join(&delim))
            }
            None => Value::str(""),
        },
        DynamicToJson => Value::str(&sorted_json(&d(&a[0]))),
        Range => range(a)?,
        PackAll => {
            let ignore_empty = matches!(a[0], Value::Bool(true));
            let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
            for pair in a[1..].chunks(2) {
                let v = &pair[1];
                if ignore_empty && (v.is_null() || matches!(v, Value::String(s) if s.is_empty())) {
                    continue;
                }
                items.push((Arc::from(pair[0].to_display().as_str()), d(v)));
            }
            dv(Dynamic::object(items))
        }
        ArrayIff => {
            let Some(cond) = arr(&a[0]) else { return Ok(Value::Null) };
            let pick = |v: &Value, i: usize| -> Dynamic {
                match v {
                    Value::Dynamic(Dynamic::Array(x)) => x.get(i).cloned().unwrap_or_default(),
                    other => d(other),
                }
            };
            let out = cond
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    Dynamic::Bool(true) => pick(&a[1], i),
                    Dynamic::Bool(false) => pick(&a[2], i),
                    Dynamic::Long(n) => pick(&a[if *n != 0 { 1 } else { 2 }], i),
                    _ => Dynamic::Null,
                })
                .collect();
            dv(Dynamic::array(out))
        }
        BagRemoveKeys => match (d(&a[0]), arr(&a[1])) {
            (Dynamic::Object(items), Some(keys)) => {
                let mut bag = Dynamic::Object(items);
                for k in keys.iter() {
                    if let Some(path) = path_keys(&k.to_plain_string()) {
                        bag = remove_path(&bag, &path);
                    }
                }
                dv(bag)
            }
            (Dynamic::Object(items), None) => dv(Dynamic::Object(items)),
            _ => Value::Null,
        },
        Zip => {
            let arrays: Vec<Arc<Vec<Dynamic>>> = match a.iter().map(arr).collect::<Option<Vec<_>>>() {
                Some(x) => x,
                None => return Ok(Value::Null),
            };
            let n = arrays.iter().map(|x| x.len()).max().unwrap_or(0);
            dv(Dynamic::array((0..n).map(|i| Dynamic::array(arrays.iter().map(|x| x.get(i).cloned().unwrap_or_default()).collect())).collect()))
        }
        _ => return Err(super::not_here(f, "dynamic")),
    })
}

/// JSON with property-bag keys sorted, as `dynamic_to_json()` produces.
fn sorted_json(x: &Dynamic) -> String {
    match x {
        Dynamic::Object(items) => {
            let mut items: Vec<&(Arc<str>, Dynamic)> = items.iter().collect();
            crate::util::sort::sort_by(&mut items, |a, b| a.0.cmp(&b.0));
            let parts: Vec<String> = items.iter().map(|(k, v)| format!("{}:{}", Dynamic::String(k.clone()).to_json(), sorted_json(v))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Dynamic::Array(items) => format!("[{}]", items.iter().map(sorted_json).collect::<Vec<_>>().join(",")),
        other => other.to_json(),
    }
}

/// Most elements `range()` may produce (Kusto's limit).
const MAX_RANGE: i64 = 1_048_576;

/// `range(start, stop[, step])`: numbers (long when all are long), datetimes or timespans.
fn range(a: &[Value]) -> FResult {
    // Kusto cuts a range at 2^20 values; kqlab refuses a longer one instead, because 2^20
    // values are already over its per-value size limit, and says so.
    let too_many = || Err(format!("range() would produce more than {MAX_RANGE} elements"));
    // How many values an integer range has (in i128: `stop - start` can overflow an i64).
    let count = |s: i64, e: i64, st: i64| -> Option<i64> {
        let n = (e as i128 - s as i128) / st as i128;
        if n < 0 {
            Some(0)
        } else if n >= MAX_RANGE as i128 {
            None
        } else {
            Some(n as i64 + 1)
        }
    };
    match (&a[0], &a[1]) {
        (Value::DateTime(s), Value::DateTime(e)) | (Value::TimeSpan(s), Value::TimeSpan(e)) => {
            let dt = matches!(a[0], Value::DateTime(_));
            let step = match a.get(2) {
                Some(Value::TimeSpan(t)) => *t,
                Some(_) => return Ok(Value::Null),
                // The default step of a datetime or timespan range is an hour.
                None => crate::types::time::TICKS_PER_HOUR,
            };
            if step == 0 {
                return Ok(Value::Null);
            }
            let Some(n) = count(*s, *e, step) else { return too_many() };
            // Every value lies between start and stop, so s + k * step fits in an i64.
            let out =
                (0..n).map(|k| (*s as i128 + k as i128 * step as i128) as i64).map(|x| if dt { Dynamic::DateTime(x) } else { Dynamic::TimeSpan(x) }).collect();
            Ok(dv(Dynamic::array(out)))
        }
        (x, y) => {
            let step = a.get(2).cloned().unwrap_or(Value::Long(1));
            let longs = [x, y, &step].iter().all(|v| matches!(v, Value::Long(_) | Value::Int(_)) || matches!(v, Value::Dynamic(Dynamic::Long(_))));
            if longs {
                let (Some(s), Some(e), Some(st)) = (to_i64(x), to_i64(y), to_i64(&step)) else { return Ok(Value::Null) };
                if st == 0 {
                    return Ok(Value::Null);
                }
                let Some(n) = count(s, e, st) else { return too_many() };
                let out = (0..n).map(|k| Dynamic::Long((s as i128 + k as i128 * st as i128) as i64)).collect();
                return Ok(dv(Dynamic::array(out)));
            }
            let (Some(s), Some(e), Some(st)) = (to_f64(x), to_f64(y), to_f64(&step)) else { return Ok(Value::Null) };
            if st == 0.0 || !st.is_finite() {
                return Ok(Value::Null);
            }
            let n = (e - s) / st;
            if n.is_nan() {
                return Ok(Value::Null);
            }
            if n >= MAX_RANGE as f64 {
                return too_many();
            }
            let mut out: Vec<Dynamic> = Vec::new();
            let mut i = 0.0;
            loop {
                let v = s + i * st;
                // A step too small to move v would never end; one value past the estimate
                // allows for rounding.
                if (st > 0.0 && v > e) || (st < 0.0 && v < e) || i > n + 1.0 || matches!(out.last(), Some(Dynamic::Real(p)) if *p == v) {
                    break;
                }
                out.push(Dynamic::Real(v));
                i += 1.0;
            }
            Ok(dv(Dynamic::array(out)))
        }
    }
}

/// The keys of a bag key argument: a plain key is itself; a JSONPath (`$.a.b`, `$['a'].b`)
/// names nested keys (bag_has_key and bag_remove_keys accept both). None for a path with an
/// index or a malformed one.
fn path_keys(k: &str) -> Option<Vec<String>> {
    let Some(mut rest) = k.strip_prefix('$') else { return Some(vec![k.to_string()]) };
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(r[..end].to_string());
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            let q = inner.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')).or_else(|| inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')))?;
            out.push(q.to_string());
            rest = &r[close + 1..];
        } else {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn has_path(bag: &Dynamic, keys: &[String]) -> bool {
    let Dynamic::Object(items) = bag else { return false };
    match items.iter().find(|(k, _)| **k == *keys[0]) {
        None => false,
        Some(_) if keys.len() == 1 => true,
        Some((_, v)) => has_path(v, &keys[1..]),
    }
}

fn remove_path(bag: &Dynamic, keys: &[String]) -> Dynamic {
    let Dynamic::Object(items) = bag else { return bag.clone() };
    let kept = items
        .iter()
        .filter(|(k, _)| keys.len() > 1 || **k != *keys[0])
        .map(|(k, v)| if **k == *keys[0] { (k.clone(), remove_path(v, &keys[1..])) } else { (k.clone(), v.clone()) })
        .collect();
    Dynamic::object(kept)
}

/// `extract_json(path, text)`: the element at a JSONPath (`$`, `.key`, `['key']`, `[i]`).
pub fn extract_json(path: &str, text: &str) -> Option<Dynamic> {
    let root = Dynamic::parse_json(text).ok()?;
    let p = path.trim();
    let mut rest = p.strip_prefix('$')?;
    let mut cur = root;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            if key.is_empty() {
                return None;
            }
            cur = cur.get(key);
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            if let Some(q) = inner.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')).or_else(|| inner.strip_prefix('"').and_then(|x| x.strip_suffix('"'))) {
                cur = cur.get(q);
            } else {
                cur = cur.index(inner.parse::<i64>().ok()?);
            }
            rest = &r[close + 1..];
        } else {
            return None;
        }
        if cur.is_null() {
            return None;
        }
    }
    Some(cur)
}

/// `parse_xml(text)`: XML converted to JSON the usual way (Kusto's documented conversion):
/// an element becomes a property named after it; attributes become `@name` properties; text
/// is the value of an element without attributes or children, else a `#text` property;
/// repeated child elements become an array; an empty element is null. Comments, processing
/// instructions and DOCTYPE are skipped. Not well-formed text gives null.
pub fn parse_xml(text: &str) -> Option<Dynamic> {
    let mut p = Xml { s: text.as_bytes(), pos: 0, text };
    p.misc();
    let (name, value) = p.element(0)?;
    p.misc();
    if p.pos != p.s.len() {
        return None;
    }
    Some(Dynamic::object(vec![(Arc::from(name.as_str()), value)]))
}

struct Xml<'a> {
    s: &'a [u8],
    pos: usize,
    text: &'a str,
}

impl Xml<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// Skips whitespace, comments, processing instructions and DOCTYPE.
    fn misc(&mut self) {
        loop {
            self.ws();
            let r = self.rest();
            let end = if r.starts_with("<?") {
                r.find("?>").map(|i| i + 2)
            } else if r.starts_with("<!--") {
                r.find("-->").map(|i| i + 3)
            } else if r.starts_with("<!DOCTYPE") || r.starts_with("<!doctype") {
                r.find('>').map(|i| i + 1)
            } else {
                return;
            };
            match end {
                Some(e) => self.pos += e,
                None => {
                    self.pos = self.s.len();
                    return;
                }
            }
        }
    }

    fn name(&mut self) -> Option<String> {
        let start = self.pos;
        while self.pos < self.s.len() && !self.s[self.pos].is_ascii_whitespace() && !matches!(self.s[self.pos], b'>' | b'/' | b'=') {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.text[start..self.pos].to_string())
    }

    fn element(&mut self, depth: usize) -> Option<(String, Dynamic)> {
        if depth > 64 || self.s.get(self.pos) != Some(&b'<') {
            return None;
        }
        self.pos += 1;
        let name = self.name()?;
        let mut props: Vec<(Arc<str>, Dynamic)> = Vec::new();
        loop {
            self.ws();
            match self.s.get(self.pos)? {
                b'/' => {
                    if self.s.get(self.pos + 1) != Some(&b'>') {
                        return None;
                    }
                    self.pos += 2;
                    let v = if props.is_empty() { Dynamic::Null } else { Dynamic::object(props) };
                    return Some((name, v));
                }
                b'>' => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    let attr = self.name()?;
                    self.ws();
                    if self.s.get(self.pos) != Some(&b'=') {
                        return None;
                    }
                    self.pos += 1;
                    self.ws();
                    let q = *self.s.get(self.pos)?;
                    if q != b'"' && q != b'\'' {
                        return None;
                    }
                    let end = self.rest()[1..].find(q as char)? + self.pos + 1;
                    let v = unescape_xml(&self.text[self.pos + 1..end]);
                    self.pos = end + 1;
                    props.push((Arc::from(format!("@{attr}").as_str()), Dynamic::string(&v)));
                }
            }
        }
        let mut repeated: Vec<String> = Vec::new();
        let mut text = String::new();
        loop {
            let r = self.rest();
            if r.starts_with("</") {
                self.pos += 2;
                let close = self.name()?;
                self.ws();
                if close != name || self.s.get(self.pos) != Some(&b'>') {
                    return None;
                }
                self.pos += 1;
                break;
            } else if r.starts_with("<!--") {
                self.pos += r.find("-->")? + 3;
            } else if let Some(c) = r.strip_prefix("<![CDATA[") {
                let e = c.find("]]>")?;
                text.push_str(&c[..e]);
                self.pos += 9 + e + 3;
            } else if r.starts_with("<?") {
                self.pos += r.find("?>")? + 2;
            } else if r.starts_with('<') {
                let (child, v) = self.element(depth + 1)?;
                match props.iter().position(|(k, _)| **k == *child) {
                    Some(i) => {
                        let items = if repeated.contains(&child) {
                            match &props[i].1 {
                                Dynamic::Array(a) => a.as_ref().clone(),
                                other => vec![other.clone()],
                            }
                        } else {
                            repeated.push(child.clone());
                            vec![props[i].1.clone()]
                        };
                        let mut items = items;
                        items.push(v);
                        props[i].1 = Dynamic::array(items);
                    }
                    None => props.push((Arc::from(child.as_str()), v)),
                }
            } else {
                let e = r.find('<')?;
                text.push_str(&unescape_xml(&r[..e]));
                self.pos += e;
            }
        }
        let text = text.trim();
        if props.is_empty() {
            return Some((name, if text.is_empty() { Dynamic::Null } else { Dynamic::string(text) }));
        }
        if !text.is_empty() {
            props.push((Arc::from("#text"), Dynamic::string(text)));
        }
        Some((name, Dynamic::object(props)))
    }
}

fn unescape_xml(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(semi) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let ent = &after[1..semi];
        let ch = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// bag_zip(keys, values): a bag pairing the keys (strings only) with the values at the same
/// positions; a key without a value gets null, values without a key are dropped.
pub fn bag_zip(c: &Call) -> FResult {
    let Some(keys) = arr(&c.a[0]) else { return Ok(Value::Null) };
    // Values that are not an array leave every key null.
    let values = arr(&c.a[1]).unwrap_or_default();
    let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let Dynamic::String(k) = k else { continue };
        let v = values.get(i).cloned().unwrap_or_default();
        match items.iter_mut().find(|(ek, _)| ek == k) {
            Some(slot) => slot.1 = v,
            None => items.push((k.clone(), v)),
        }
    }
    Ok(dv(Dynamic::object(items)))
}

fn set_path(bag: &Dynamic, keys: &[String], value: Dynamic) -> Dynamic {
    let Some((first, rest)) = keys.split_first() else { return value };
    let mut items: Vec<(Arc<str>, Dynamic)> = match bag {
        Dynamic::Object(items) => items.as_ref().clone(),
        _ => Vec::new(),
    };
    match items.iter_mut().find(|(k, _)| **k == **first) {
        Some(slot) => slot.1 = set_path(&slot.1, rest, value),
        None => items.push((Arc::from(first.as_str()), set_path(&Dynamic::Null, rest, value))),
    }
    Dynamic::object(items)
}

/// bag_set_key(bag, key, value): the bag with the key (a name or a `$.a.b` path, creating the
/// bags on the way) set to the value; null when the input is not a property bag.
pub fn bag_set_key(c: &Call) -> FResult {
    let bag = d(&c.a[0]);
    if !matches!(bag, Dynamic::Object(_)) {
        return Ok(Value::Null);
    }
    let key = c.a[1].to_display();
    let Some(path) = path_keys(&key).filter(|p| !p.is_empty()) else {
        return Err(format!("bag_set_key() cannot set {key:?}: give a key name or a JSONPath such as '$.a.b' (array indexes are not supported)"));
    };
    Ok(dv(set_path(&bag, &path, d(&c.a[2]))))
}

/// How far to move the elements of an array of `len` elements left; a negative count moves
/// them right.
fn left_by(count: &Value, len: usize, right: bool) -> Option<i64> {
    let n = to_i64(count)?;
    let n = if right { n.checked_neg()? } else { n };
    Some(if len == 0 { 0 } else { n.rem_euclid(len as i64) })
}

fn rotate(c: &Call, right: bool) -> FResult {
    let Some(items) = arr(&c.a[0]) else { return Ok(Value::Null) };
    let Some(k) = left_by(&c.a[1], items.len(), right) else { return Ok(Value::Null) };
    let mut v = items.as_ref().clone();
    v.rotate_left(k as usize);
    Ok(dv(Dynamic::array(v)))
}

/// array_rotate_left(arr, n).
pub fn array_rotate_left(c: &Call) -> FResult {
    rotate(c, false)
}

/// array_rotate_right(arr, n).
pub fn array_rotate_right(c: &Call) -> FResult {
    rotate(c, true)
}

fn shift(c: &Call, right: bool) -> FResult {
    let Some(items) = arr(&c.a[0]) else { return Ok(Value::Null) };
    let Some(n) = to_i64(&c.a[1]) else { return Ok(Value::Null) };
    let n = if right { n.saturating_neg() } else { n };
    let fill = c.a.get(2).map(d).unwrap_or_default();
    let len = items.len() as i64;
    let out = (0..len)
        .map(|i| {
            let from = i.saturating_add(n);
            if (0..len).contains(&from) {
                items[from as usize].clone()
            } else {
                fill.clone()
            }
        })
        .collect();
    Ok(dv(Dynamic::array(out)))
}

/// array_shift_left(arr, n[, fill]).
pub fn array_shift_left(c: &Call) -> FResult {
    shift(c, false)
}

/// array_shift_right(arr, n[, fill]).
pub fn array_shift_right(c: &Call) -> FResult {
    shift(c, true)
}

/// array_split(arr, index or [indexes]): the pieces between the indexes (a negative index
/// counts from the end; indexes are clamped to the array).
pub fn array_split(c: &Call) -> FResult {
    let Some(items) = arr(&c.a[0]) else { return Ok(Value::Null) };
    let len = items.len() as i64;
    let raw: Vec<Option<i64>> = match &c.a[1] {
        Value::Dynamic(Dynamic::Array(ix)) => ix.iter().map(|x| to_i64(&Value::Dynamic(x.clone()))).collect(),
        other => vec![to_i64(other)],
    };
    let mut cuts = Vec::with_capacity(raw.len());
    for i in raw {
        let Some(i) = i else { return Ok(Value::Null) };
        let i = if i < 0 { len + i } else { i };
        cuts.push(i.clamp(0, len));
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0i64;
    for cut in cuts.into_iter().chain(std::iter::once(len)) {
        let end = cut.max(start);
        out.push(Dynamic::array(items[start as usize..end as usize].to_vec()));
        start = end;
    }
    Ok(dv(Dynamic::array(out)))
}
