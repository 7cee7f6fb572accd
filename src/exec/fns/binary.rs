//! Bitwise functions: and, or, xor, not, shifts and the count of set bits, on 64-bit
//! integers (ints widen to long). A null or a value that is not an integer gives null.

use super::{Call, FResult};
use crate::exec::cast::to_i64;
use crate::types::Value;

fn pair(c: &Call, f: impl Fn(i64, i64) -> Option<i64>) -> FResult {
    Ok(match (c.a.first().and_then(to_i64), c.a.get(1).and_then(to_i64)) {
        (Some(x), Some(y)) => f(x, y).map_or(Value::Null, Value::Long),
        _ => Value::Null,
    })
}

pub fn binary_and(c: &Call) -> FResult {
    pair(c, |x, y| Some(x & y))
}

pub fn binary_or(c: &Call) -> FResult {
    pair(c, |x, y| Some(x | y))
}

pub fn binary_xor(c: &Call) -> FResult {
    pair(c, |x, y| Some(x ^ y))
}

pub fn binary_not(c: &Call) -> FResult {
    Ok(c.a.first().and_then(to_i64).map_or(Value::Null, |x| Value::Long(!x)))
}

/// binary_shift_left(value, n): value << (n mod 64); a negative n gives null.
pub fn binary_shift_left(c: &Call) -> FResult {
    pair(c, |x, n| (n >= 0).then(|| x.wrapping_shl((n % 64) as u32)))
}

/// binary_shift_right(value, n): an arithmetic shift by n mod 64; a negative n gives null.
pub fn binary_shift_right(c: &Call) -> FResult {
    pair(c, |x, n| (n >= 0).then(|| x.wrapping_shr((n % 64) as u32)))
}

/// bitset_count_ones(value): the number of 1 bits in the 64-bit two's complement form.
pub fn bitset_count_ones(c: &Call) -> FResult {
    Ok(c.a.first().and_then(to_i64).map_or(Value::Null, |x| Value::Long(x.count_ones() as i64)))
}
