//! The geospatial functions that need no grid library: geohash cells, distances on the sphere,
//! circles, and the GeoJSON values they read and write. H3 cells are in `geo_h3.rs`, S2 cells
//! in `geo_s2.rs`.
//!
//! Conventions, as Kusto's geospatial pages state them: coordinates are WGS-84 degrees,
//! longitude first (GeoJSON order), longitude in [-180, 180] and latitude in [-90, 90]; an
//! invalid coordinate, level or cell gives null (an empty string for functions that return a
//! cell token). Distances are measured on a sphere whose radius is S2's Earth radius,
//! 6,371,010 m: with it `geo_distance_2points` reproduces the documented Seattle to Los Angeles
//! distance to all 15 printed digits (the WGS-84 mean radius, 6,371,008.8 m, misses from the
//! seventh digit).

use super::cast::{to_f64, to_i64};
use super::{Call, FResult};
use crate::types::{Dynamic, Value};
use std::sync::Arc;

/// The Earth radius of the distance functions, in meters.
pub const EARTH_RADIUS_M: f64 = 6_371_010.0;

/// A finite real, or None for null, NaN and non-numbers.
pub(super) fn num(v: Option<&Value>) -> Option<f64> {
    let v = v?;
    if let Value::String(_) = v {
        return None;
    }
    to_f64(v).filter(|f| f.is_finite())
}

/// An integer argument (a level, a resolution), or None for null and non-integers.
pub(super) fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Real(f) if f.fract() != 0.0 => None,
        Value::String(_) => None,
        v => to_i64(v),
    }
}

/// The (longitude, latitude) at arguments `i`, `i + 1`, when both are valid.
pub(super) fn lon_lat(a: &[Value], i: usize) -> Option<(f64, f64)> {
    let lon = num(a.get(i))?;
    let lat = num(a.get(i + 1))?;
    valid(lon, lat).then_some((lon, lat))
}

pub(super) fn valid(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// A string argument, or None when it is null or not a string.
pub(super) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.to_string()),
        Value::Dynamic(Dynamic::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

fn object(pairs: Vec<(&str, Dynamic)>) -> Dynamic {
    Dynamic::Object(Arc::new(pairs.into_iter().map(|(k, v)| (Arc::<str>::from(k), v)).collect()))
}

fn position(lon: f64, lat: f64) -> Dynamic {
    Dynamic::Array(Arc::new(vec![Dynamic::Real(lon), Dynamic::Real(lat)]))
}

/// A GeoJSON point.
pub(super) fn point_json(lon: f64, lat: f64) -> Value {
    Value::Dynamic(object(vec![("type", Dynamic::String("Point".into())), ("coordinates", position(lon, lat))]))
}

/// A GeoJSON polygon with one ring; the ring is closed here (its first vertex repeated last).
pub(super) fn polygon_json(ring: &[(f64, f64)]) -> Value {
    let mut coords: Vec<Dynamic> = ring.iter().map(|&(x, y)| position(x, y)).collect();
    if let Some(&(x, y)) = ring.first() {
        coords.push(position(x, y));
    }
    Value::Dynamic(object(vec![("type", Dynamic::String("Polygon".into())), ("coordinates", Dynamic::Array(Arc::new(vec![Dynamic::Array(Arc::new(coords))])))]))
}

/// An array of cell tokens.
pub(super) fn token_array(tokens: impl IntoIterator<Item = String>) -> Value {
    Value::Dynamic(Dynamic::Array(Arc::new(tokens.into_iter().map(|t| Dynamic::String(t.into())).collect())))
}

// ------------------------------------------------------------------------------ geohash

const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// The geohash of a point with `len` characters: bits alternate longitude, latitude, starting
/// with longitude, each halving the interval (the upper half when the value is at or above its
/// middle).
fn geohash_encode(lon: f64, lat: f64, len: usize) -> String {
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (-180.0f64, 180.0f64, -90.0f64, 90.0f64);
    let mut out = String::with_capacity(len);
    let mut even = true;
    for _ in 0..len {
        let mut ch = 0usize;
        for _ in 0..5 {
            let (v, lo, hi) = if even { (lon, &mut lo_x, &mut hi_x) } else { (lat, &mut lo_y, &mut hi_y) };
            let mid = (*lo + *hi) / 2.0;
            ch <<= 1;
            if v >= mid {
                ch |= 1;
                *lo = mid;
            } else {
                *hi = mid;
            }
            even = !even;
        }
        out.push(BASE32[ch] as char);
    }
    out
}

/// The rectangle (min lon, min lat, max lon, max lat) of a geohash of 1 to 18 characters.
fn geohash_box(hash: &str) -> Option<(f64, f64, f64, f64)> {
    if hash.is_empty() || hash.len() > 18 {
        return None;
    }
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (-180.0f64, 180.0f64, -90.0f64, 90.0f64);
    let mut even = true;
    for b in hash.bytes() {
        let ch = BASE32.iter().position(|&c| c == b)?;
        for bit in (0..5).rev() {
            let (lo, hi) = if even { (&mut lo_x, &mut hi_x) } else { (&mut lo_y, &mut hi_y) };
            let mid = (*lo + *hi) / 2.0;
            if ch >> bit & 1 == 1 {
                *lo = mid;
            } else {
                *hi = mid;
            }
            even = !even;
        }
    }
    Some((lo_x, lo_y, hi_x, hi_y))
}

/// geo_point_to_geohash(lon, lat[, accuracy = 5]): accuracy 1 to 18; empty when invalid.
pub fn point_to_geohash(c: &Call) -> FResult {
    let len = if c.a.len() > 2 { int(c.a.get(2)) } else { Some(5) };
    Ok(match (lon_lat(c.a, 0), len) {
        (Some((lon, lat)), Some(n @ 1..=18)) => Value::str(&geohash_encode(lon, lat, n as usize)),
        _ => Value::str(""),
    })
}

/// geo_geohash_to_central_point(hash): the centre of the cell's rectangle.
pub fn geohash_to_central_point(c: &Call) -> FResult {
    Ok(match text(c.a.first()).as_deref().and_then(geohash_box) {
        Some((x0, y0, x1, y1)) => point_json((x0 + x1) / 2.0, (y0 + y1) / 2.0),
        None => Value::Null,
    })
}

/// geo_geohash_to_polygon(hash): the cell's rectangle, counterclockwise from its south-west corner.
pub fn geohash_to_polygon(c: &Call) -> FResult {
    Ok(match text(c.a.first()).as_deref().and_then(geohash_box) {
        Some((x0, y0, x1, y1)) => polygon_json(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1)]),
        None => Value::Null,
    })
}

/// The order in which geo_geohash_neighbors lists the eight neighbours, as (east, north)
/// steps. It is the order of the page's example (south-west, north-west, south-east, north,
/// west, north-east, east, south); the page states no rule.
const NEIGHBOR_STEPS: [(f64, f64); 8] = [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, -1.0)];

/// geo_geohash_neighbors(hash): the cells of the same length around it. Longitudes wrap at the
/// antimeridian; beyond a pole there is no cell, so a cell on the top or bottom row has fewer.
pub fn geohash_neighbors(c: &Call) -> FResult {
    let Some(hash) = text(c.a.first()) else { return Ok(Value::Null) };
    let Some((x0, y0, x1, y1)) = geohash_box(&hash) else { return Ok(Value::Null) };
    let (w, h) = (x1 - x0, y1 - y0);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut out = Vec::with_capacity(8);
    for (dx, dy) in NEIGHBOR_STEPS {
        let lat = cy + dy * h;
        if !(-90.0..=90.0).contains(&lat) {
            continue;
        }
        let mut lon = cx + dx * w;
        if lon > 180.0 {
            lon -= 360.0;
        } else if lon < -180.0 {
            lon += 360.0;
        }
        out.push(geohash_encode(lon, lat, hash.len()));
    }
    Ok(token_array(out))
}

// ------------------------------------------------------------------------------ distances

/// The great-circle distance in meters between two points (haversine form, stable for short
/// distances).
pub(super) fn sphere_distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// geo_distance_2points(lon1, lat1, lon2, lat2[, use_spheroid]): meters on the sphere.
pub fn distance_2points(c: &Call) -> FResult {
    if let Some(v) = c.a.get(4) {
        if matches!(v, Value::Bool(true) | Value::Dynamic(Dynamic::Bool(true))) {
            return Err("geo_distance_2points(): use_spheroid = true (distance on the WGS-84 ellipsoid) is not supported in kqlab; \
                 leave it out or pass false to measure on the sphere"
                .into());
        }
    }
    Ok(match (lon_lat(c.a, 0), lon_lat(c.a, 2)) {
        (Some((x1, y1)), Some((x2, y2))) => Value::Real(sphere_distance(x1, y1, x2, y2)),
        _ => Value::Null,
    })
}

/// geo_point_in_circle(lon, lat, centre lon, centre lat, radius): a spherical cap; the radius
/// is measured along the surface, in meters, and must not be negative.
pub fn point_in_circle(c: &Call) -> FResult {
    let radius = num(c.a.get(4)).filter(|r| *r >= 0.0);
    Ok(match (lon_lat(c.a, 0), lon_lat(c.a, 2), radius) {
        (Some((x1, y1)), Some((x2, y2)), Some(r)) => Value::Bool(sphere_distance(x1, y1, x2, y2) <= r),
        _ => Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geohash_round_trips_through_its_box() {
        let h = geohash_encode(-80.195829, 25.802215, 8);
        assert_eq!(h, "dhwfz15h");
        let (x0, y0, x1, y1) = geohash_box(&h).unwrap();
        assert!(x0 <= -80.195829 && -80.195829 < x1 && y0 <= 25.802215 && 25.802215 < y1);
        assert!(geohash_box("a").is_none() && geohash_box("").is_none() && geohash_box(&"s".repeat(19)).is_none());
    }

    #[test]
    fn sphere_distance_is_symmetric_and_zero_on_a_point() {
        let d = sphere_distance(10.0, 20.0, 11.0, 21.0);
        assert!((d - sphere_distance(11.0, 21.0, 10.0, 20.0)).abs() < 1e-6);
        assert_eq!(sphere_distance(5.0, 5.0, 5.0, 5.0), 0.0);
        // Half the circumference between antipodes.
        assert!((sphere_distance(0.0, 0.0, 180.0, 0.0) - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1e-6);
    }
}
