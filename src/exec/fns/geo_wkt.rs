//! geo_from_wkt: Well-Known Text (OGC) to GeoJSON. Points, lines, polygons, their multi forms
//! and geometry collections, in two dimensions; anything else, or malformed text, gives null.

use super::geo::text;
use super::{Call, FResult};
use crate::types::{Dynamic, Value};
use std::sync::Arc;

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn skip(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.skip();
        (self.s.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn word(&mut self) -> String {
        self.skip();
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_alphabetic() {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).to_ascii_uppercase()
    }

    fn number(&mut self) -> Option<f64> {
        self.skip();
        let start = self.i;
        while self.i < self.s.len() && matches!(self.s[self.i], b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E') {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok()?.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// `x y`
    fn position(&mut self) -> Option<Dynamic> {
        let x = self.number()?;
        let y = self.number()?;
        Some(Dynamic::Array(Arc::new(vec![num(x), num(y)])))
    }

    /// `( item, item, ... )`
    fn list(&mut self, item: fn(&mut Self) -> Option<Dynamic>) -> Option<Dynamic> {
        self.eat(b'(')?;
        let mut out = vec![item(self)?];
        while self.eat(b',').is_some() {
            out.push(item(self)?);
        }
        self.eat(b')')?;
        Some(Dynamic::Array(Arc::new(out)))
    }

    fn positions(&mut self) -> Option<Dynamic> {
        self.list(Self::position)
    }

    fn rings(&mut self) -> Option<Dynamic> {
        self.list(Self::positions)
    }

    fn polygons(&mut self) -> Option<Dynamic> {
        self.list(Self::rings)
    }

    /// A MULTIPOINT's member, written `x y` or `(x y)`.
    fn multipoint_member(&mut self) -> Option<Dynamic> {
        if self.eat(b'(').is_some() {
            let p = self.position()?;
            self.eat(b')')?;
            Some(p)
        } else {
            self.position()
        }
    }

    fn geometry(&mut self) -> Option<Dynamic> {
        let kind = self.word();
        let (name, coords) = match kind.as_str() {
            "POINT" => {
                self.eat(b'(')?;
                let p = self.position()?;
                self.eat(b')')?;
                ("Point", p)
            }
            "LINESTRING" => ("LineString", self.positions()?),
            "POLYGON" => ("Polygon", self.rings()?),
            "MULTIPOINT" => ("MultiPoint", self.list(Self::multipoint_member)?),
            "MULTILINESTRING" => ("MultiLineString", self.rings()?),
            "MULTIPOLYGON" => ("MultiPolygon", self.polygons()?),
            "GEOMETRYCOLLECTION" => {
                let Dynamic::Array(items) = self.list(Self::geometry)? else { return None };
                return Some(bag(vec![("type", Dynamic::String("GeometryCollection".into())), ("geometries", Dynamic::Array(items))]));
            }
            _ => return None,
        };
        Some(bag(vec![("type", Dynamic::String(name.into())), ("coordinates", coords)]))
    }
}

/// Whole numbers stay whole (`[1,2]`, as Kusto prints them).
fn num(f: f64) -> Dynamic {
    if f.fract() == 0.0 && f.abs() < 9e15 {
        Dynamic::Long(f as i64)
    } else {
        Dynamic::Real(f)
    }
}

fn bag(pairs: Vec<(&str, Dynamic)>) -> Dynamic {
    Dynamic::Object(Arc::new(pairs.into_iter().map(|(k, v)| (Arc::<str>::from(k), v)).collect()))
}

/// Parses one WKT geometry; trailing text makes it invalid.
pub fn parse_wkt(s: &str) -> Option<Dynamic> {
    let mut r = Reader { s: s.as_bytes(), i: 0 };
    let g = r.geometry()?;
    r.skip();
    (r.i == r.s.len()).then_some(g)
}

/// geo_from_wkt(text).
pub fn from_wkt(c: &Call) -> FResult {
    Ok(text(c.a.first()).as_deref().and_then(parse_wkt).map_or(Value::Null, Value::Dynamic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind_and_rejects_the_rest() {
        let json = |s| parse_wkt(s).map(|d| d.to_json());
        assert_eq!(json("point(1.5 -2)").as_deref(), Some(r#"{"type":"Point","coordinates":[1.5,-2]}"#));
        assert_eq!(json("MULTIPOINT ((1 1), (2 2))").as_deref(), Some(r#"{"type":"MultiPoint","coordinates":[[1,1],[2,2]]}"#));
        assert!(parse_wkt("LINESTRING").is_none());
        assert!(parse_wkt("POINT (1 2) extra").is_none());
        assert!(parse_wkt("CIRCLE (1 2)").is_none());
        assert!(parse_wkt("POINT (1)").is_none());
    }
}
