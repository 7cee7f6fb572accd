//! Measures kqlab's JSON reader (`Dynamic::parse_json`) against `serde_json` reading the same
//! texts into the same `Dynamic` values, and prints how the two treat the inputs whose
//! handling kqlab's tests pin (see ARCHITECTURE.md, "Standard formats use their crates").
//!
//!     cargo run --release --example json_bench

use kqlab::types::Dynamic;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::sync::Arc;

/// A `Dynamic` read by serde_json: longs stay longs, keys keep their order, a repeated key
/// keeps its first place and its last value (as kqlab's reader does).
struct ViaSerde(Dynamic);

impl<'de> Deserialize<'de> for ViaSerde {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ViaSerde, D::Error> {
        d.deserialize_any(DynamicVisitor)
    }
}

struct DynamicVisitor;

impl<'de> Visitor<'de> for DynamicVisitor {
    type Value = ViaSerde;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<ViaSerde, E> {
        Ok(ViaSerde(Dynamic::Null))
    }
    fn visit_bool<E>(self, b: bool) -> Result<ViaSerde, E> {
        Ok(ViaSerde(Dynamic::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<ViaSerde, E> {
        Ok(ViaSerde(Dynamic::Long(n)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<ViaSerde, E> {
        Ok(ViaSerde(i64::try_from(n).map(Dynamic::Long).unwrap_or(Dynamic::Real(n as f64))))
    }
    fn visit_f64<E>(self, n: f64) -> Result<ViaSerde, E> {
        Ok(ViaSerde(Dynamic::Real(n)))
    }
    fn visit_str<E>(self, s: &str) -> Result<ViaSerde, E> {
        Ok(ViaSerde(Dynamic::String(Arc::from(s))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<ViaSerde, A::Error> {
        let mut items = Vec::new();
        while let Some(ViaSerde(x)) = a.next_element()? {
            items.push(x);
        }
        Ok(ViaSerde(Dynamic::array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<ViaSerde, A::Error> {
        let mut items: Vec<(Arc<str>, Dynamic)> = Vec::new();
        while let Some((k, ViaSerde(v))) = a.next_entry::<String, ViaSerde>()? {
            match items.iter_mut().find(|(ek, _)| **ek == *k) {
                Some(slot) => slot.1 = v,
                None => items.push((Arc::from(k), v)),
            }
        }
        Ok(ViaSerde(Dynamic::object(items)))
    }
}

fn serde(text: &str) -> Result<Dynamic, String> {
    serde_json::from_str::<ViaSerde>(text).map(|d| d.0).map_err(|e| e.to_string())
}

fn main() {
    let n = 200_000;
    let texts: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"Url":"https://contoso-{i}.example/path/{i}?x={i}","ClickCount":{i},"Score":{}.25,"Tags":["phish","mail","t{}"],"Device":{{"Name":"pc-{i}","Os":"Windows","Ip":"10.0.{}.{}","Tier":{}}},"Flag":true,"Note":null}}"#,
                i % 97,
                i % 13,
                i % 256,
                (i * 7) % 256,
                i % 5
            )
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    for t in texts.iter().take(1000) {
        assert_eq!(Dynamic::parse_json(t).ok(), serde(t).ok(), "{t}");
    }
    let mut best = [f64::MAX; 2];
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let ours: usize = texts.iter().map(|t| Dynamic::parse_json(t).map_or(0, |d| d.get("Tags").index(2).to_plain_string().len())).sum();
        best[0] = best[0].min(start.elapsed().as_secs_f64());
        let start = std::time::Instant::now();
        let theirs: usize = texts.iter().map(|t| serde(t).map_or(0, |d| d.get("Tags").index(2).to_plain_string().len())).sum();
        best[1] = best[1].min(start.elapsed().as_secs_f64());
        assert_eq!(ours, theirs);
    }
    let mb = bytes as f64 / 1e6;
    println!("{n} objects, {mb:.1} MB, read (best of 5):");
    println!("  kqlab reader {:.0} ms ({:.0} MB/s), serde_json {:.0} ms ({:.0} MB/s)", best[0] * 1e3, mb / best[0], best[1] * 1e3, mb / best[1]);
    let deep_ok = "[".repeat(128) + &"]".repeat(128);
    for t in ["NaN", "-Infinity", "1e400", "\"\\ud800\"", "{'a': 1}", "\"a\u{1}b\"", "[\"\\q\"]", "-0", "01", &deep_ok] {
        let show = |r: Result<Dynamic, String>| match r {
            Ok(d) => format!("ok {}", d.to_json().chars().take(16).collect::<String>()),
            Err(e) => format!("error: {e}"),
        };
        let label: String = t.chars().take(12).collect();
        println!("  {label:>12}  kqlab: {:<24} serde_json: {}", show(Dynamic::parse_json(t).map_err(|e| e.message)), show(serde(t)));
    }
}
