//! Hash functions. The digests (sha256, md5, sha1) hash a value's text: a string's UTF-8
//! bytes, a datetime written with all seven fraction digits (`2020-01-01T00:00:00.0000000Z`),
//! a number as written. `hash()` of a datetime instead hashes its .NET ticks (100 ns since
//! 0001-01-01) as eight little-endian bytes: the hash page's datetime example gives
//! 1380966698541616202 for 2015-01-01, which is exactly that.

use super::{Call, FResult};
use crate::exec::cast::to_i64;
use crate::types::time::{self, TICKS_PER_SECOND};
use crate::types::Value;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The bytes Kusto hashes for a value; `None` for null.
fn hashed_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::DateTime(t) => datetime_full_text(*t),
        other => other.to_display(),
    })
}

/// A datetime as .NET's round-trip form writes it, all seven fraction digits
/// (`2017-10-15T12:00:00.0000000Z`): the text hashed by the digests and reversed by `reverse`.
pub(crate) fn datetime_full_text(t: i64) -> String {
    let whole = time::format_datetime(t - t.rem_euclid(TICKS_PER_SECOND));
    format!("{}.{:07}Z", whole.trim_end_matches('Z'), t.rem_euclid(TICKS_PER_SECOND))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest<D: Digest>(c: &Call) -> FResult {
    Ok(hashed_text(&c.a[0]).map_or(Value::Null, |t| Value::str(&hex(&D::digest(t.as_bytes())))))
}

/// hash_sha256(value): lower-case hex.
pub fn hash_sha256(c: &Call) -> FResult {
    digest::<Sha256>(c)
}

/// hash_md5(value): lower-case hex.
pub fn hash_md5(c: &Call) -> FResult {
    digest::<Md5>(c)
}

/// hash_sha1(value): lower-case hex.
pub fn hash_sha1(c: &Call) -> FResult {
    digest::<Sha1>(c)
}

/// hash(value[, mod]) and hash_xxhash64(value[, mod]): the 64-bit xxHash (seed 0) as a long,
/// or its remainder by `mod` (never negative).
pub fn hash_xxhash64(c: &Call) -> FResult {
    let h = match &c.a[0] {
        Value::DateTime(t) => xxhash_rust::xxh64::xxh64(&(t - time::MIN_DATETIME).to_le_bytes(), 0),
        v => {
            let Some(text) = hashed_text(v) else { return Ok(Value::Null) };
            xxhash_rust::xxh64::xxh64(text.as_bytes(), 0)
        }
    };
    Ok(match c.a.get(1) {
        None => Value::Long(h as i64),
        Some(m) => match to_i64(m) {
            Some(m) if m > 0 => Value::Long((h % m as u64) as i64),
            _ => Value::Null,
        },
    })
}
