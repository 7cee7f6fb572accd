//! The S2 cell functions (geo_point_to_s2cell, geo_s2cell_*), on the `s2` crate (a port of
//! Google's S2 geometry library, the one Kusto's pages link to). A token is the cell id in
//! hexadecimal without its trailing zeros, as S2 writes it; an invalid token or level gives
//! null (an empty string for geo_point_to_s2cell).

use super::geo::{int, lon_lat, point_json, polygon_json, text, token_array};
use super::{Call, FResult};
use crate::types::Value;
use s2::cell::Cell;
use s2::cellid::CellID;
use s2::latlng::LatLng;

/// A token of 1 to 16 hexadecimal digits naming a valid cell.
fn cell(v: Option<&Value>) -> Option<CellID> {
    let t = text(v)?;
    if t.is_empty() || t.len() > 16 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let id = CellID::from_token(&t);
    (id.0 != 0 && id.is_valid()).then_some(id)
}

fn degrees(ll: LatLng) -> (f64, f64) {
    (ll.lng.deg(), ll.lat.deg())
}

/// geo_point_to_s2cell(lon, lat[, level = 11]): level 0 to 30.
pub fn point_to_s2cell(c: &Call) -> FResult {
    let level = if c.a.len() > 2 { int(c.a.get(2)) } else { Some(11) };
    Ok(match (lon_lat(c.a, 0), level) {
        (Some((lon, lat)), Some(l @ 0..=30)) => Value::str(&CellID::from(LatLng::from_degrees(lat, lon)).parent(l as u64).to_token()),
        _ => Value::str(""),
    })
}

/// geo_s2cell_to_central_point(cell).
pub fn s2cell_to_central_point(c: &Call) -> FResult {
    Ok(match cell(c.a.first()) {
        Some(id) => {
            let (lon, lat) = degrees(LatLng::from(id));
            point_json(lon, lat)
        }
        None => Value::Null,
    })
}

/// geo_s2cell_to_polygon(cell): its four vertices in S2's order (counterclockwise).
pub fn s2cell_to_polygon(c: &Call) -> FResult {
    Ok(match cell(c.a.first()) {
        Some(id) => {
            let cell = Cell::from(id);
            polygon_json(&(0..4).map(|k| degrees(LatLng::from(cell.vertex(k)))).collect::<Vec<_>>())
        }
        None => Value::Null,
    })
}

/// Where each of S2's `all_neighbors` cells goes in geo_s2cell_neighbors' answer. S2 lists
/// them (i, j steps) as (-1,-1) (+1,-1) (0,-1) (0,+1) (-1,0) (+1,0) (-1,+1) (+1,+1); the
/// page's example lists (+1,+1) first and swaps (-1,0) and (+1,0). The page states no rule,
/// so this follows its example.
const NEIGHBOR_ORDER: [usize; 8] = [7, 0, 1, 2, 3, 5, 4, 6];

/// geo_s2cell_neighbors(cell): the eight cells of the same level that share an edge or a
/// corner with it (fewer at a cube corner, where one would repeat).
pub fn s2cell_neighbors(c: &Call) -> FResult {
    let Some(id) = cell(c.a.first()) else { return Ok(Value::Null) };
    let all = id.all_neighbors(id.level());
    let ordered: Vec<CellID> = if all.len() == 8 { NEIGHBOR_ORDER.iter().map(|&i| all[i]).collect() } else { all };
    let mut seen = Vec::with_capacity(8);
    for n in ordered {
        if n != id && !seen.contains(&n) {
            seen.push(n);
        }
    }
    Ok(token_array(seen.into_iter().map(|n| n.to_token())))
}
