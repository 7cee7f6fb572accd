//! The H3 cell functions (geo_point_to_h3cell, geo_h3cell_*), on the `h3o` crate, a pure-Rust
//! port of Uber's H3 library (what Kusto's pages link to). A token is the cell index in
//! lower-case hexadecimal; an invalid token, resolution or distance gives null (an empty
//! string for the functions that return one token), as the pages say.

use super::geo::{int, lon_lat, point_json, polygon_json, text, token_array};
use super::{Call, FResult};
use crate::types::{Dynamic, Value};
use h3o::{CellIndex, LatLng, Resolution};
use std::sync::Arc;

fn token(c: CellIndex) -> String {
    format!("{:x}", u64::from(c))
}

fn cell(v: Option<&Value>) -> Option<CellIndex> {
    text(v)?.parse().ok()
}

fn resolution(v: i64) -> Option<Resolution> {
    u8::try_from(v).ok().and_then(|r| Resolution::try_from(r).ok())
}

/// geo_point_to_h3cell(lon, lat[, resolution = 6]): resolution 0 to 15.
pub fn point_to_h3cell(c: &Call) -> FResult {
    let res = if c.a.len() > 2 { int(c.a.get(2)).and_then(resolution) } else { Some(Resolution::Six) };
    let ll = lon_lat(c.a, 0).and_then(|(lon, lat)| LatLng::new(lat, lon).ok());
    Ok(match (ll, res) {
        (Some(ll), Some(r)) => Value::str(&token(ll.to_cell(r))),
        _ => Value::str(""),
    })
}

/// geo_h3cell_to_central_point(cell).
pub fn h3cell_to_central_point(c: &Call) -> FResult {
    Ok(match cell(c.a.first()) {
        Some(h) => {
            let ll = LatLng::from(h);
            point_json(ll.lng(), ll.lat())
        }
        None => Value::Null,
    })
}

/// geo_h3cell_to_polygon(cell): the cell's boundary in H3's vertex order (counterclockwise).
pub fn h3cell_to_polygon(c: &Call) -> FResult {
    Ok(match cell(c.a.first()) {
        Some(h) => polygon_json(&h.boundary().iter().map(|ll| (ll.lng(), ll.lat())).collect::<Vec<_>>()),
        None => Value::Null,
    })
}

/// geo_h3cell_level(cell): its resolution.
pub fn h3cell_level(c: &Call) -> FResult {
    Ok(cell(c.a.first()).map_or(Value::Null, |h| Value::Int(u8::from(h.resolution()) as i32)))
}

/// geo_h3cell_parent(cell[, resolution]): the default is one level up; a resolution outside
/// [0, 14] or finer than the cell's gives an empty string.
pub fn h3cell_parent(c: &Call) -> FResult {
    let Some(h) = cell(c.a.first()) else { return Ok(Value::str("")) };
    let own = u8::from(h.resolution()) as i64;
    let want = if c.a.len() > 1 { int(c.a.get(1)) } else { Some(own - 1) };
    let parent = want.filter(|r| (0..=14).contains(r) && *r <= own).and_then(resolution).and_then(|r| h.parent(r));
    Ok(Value::str(&parent.map(token).unwrap_or_default()))
}

/// How many levels below a cell geo_h3cell_children reaches (the page: at most 5, 16,807 cells).
const MAX_CHILD_LEVELS: i64 = 5;

/// geo_h3cell_children(cell[, resolution]): the default is the next level; a resolution
/// outside [1, 15], coarser than the cell's, or more than 5 levels below it gives null.
pub fn h3cell_children(c: &Call) -> FResult {
    let Some(h) = cell(c.a.first()) else { return Ok(Value::Null) };
    let own = u8::from(h.resolution()) as i64;
    let want = if c.a.len() > 1 { int(c.a.get(1)) } else { Some(own + 1) };
    let Some(r) = want.filter(|r| (1..=15).contains(r) && *r >= own && *r - own <= MAX_CHILD_LEVELS).and_then(resolution) else {
        return Ok(Value::Null);
    };
    Ok(token_array(h.children(r).map(token)))
}

/// The cells at grid distance `k`, in the order of H3's C library (what Kusto prints): h3o
/// walks the same ring from the cell before, so its last cell moves to the front.
fn ring(h: CellIndex, k: u32) -> Vec<CellIndex> {
    let mut cells = h.grid_ring::<Vec<_>>(k);
    if k > 0 && !cells.is_empty() {
        cells.rotate_left(1);
    }
    cells
}

/// geo_h3cell_neighbors(cell): the six (five around a pentagon) cells at distance 1.
pub fn h3cell_neighbors(c: &Call) -> FResult {
    Ok(match cell(c.a.first()) {
        Some(h) => token_array(ring(h, 1).into_iter().map(token)),
        None => Value::Null,
    })
}

/// The largest ring distance geo_h3cell_rings accepts (its page).
const MAX_RING: i64 = 142;

/// geo_h3cell_rings(cell, distance): an array of rings, ring 0 holding the cell itself.
pub fn h3cell_rings(c: &Call) -> FResult {
    let (Some(h), Some(k)) = (cell(c.a.first()), int(c.a.get(1)).filter(|k| (0..=MAX_RING).contains(k))) else {
        return Ok(Value::Null);
    };
    let rings: Vec<Dynamic> =
        (0..=k as u32).map(|i| Dynamic::Array(Arc::new(ring(h, i).into_iter().map(|c| Dynamic::String(token(c).into())).collect()))).collect();
    Ok(Value::Dynamic(Dynamic::Array(Arc::new(rings))))
}
