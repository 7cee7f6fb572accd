//! gzip and zlib to and from base64 text: `gzip_compress_to_base64_string`,
//! `gzip_decompress_from_base64_string`, `zlib_compress_to_base64_string`,
//! `zlib_decompress_from_base64_string`.
//!
//! Compressing writes the deflate data as stored (uncompressed) blocks, which is what the
//! docs' examples show Kusto writing for a short text, byte for byte (gzip header with no
//! flags, no time and OS 255; zlib header 78 01). For a long text Kusto's output is smaller
//! than kqlab's; either decompresses to the same text, in Kusto and here. Decompressing reads
//! any deflate data (miniz_oxide's inflater). As documented, a gzip header must have ID1, ID2,
//! CM = 8 and FLG = 0 (no optional fields), and a failure of any step gives an empty string.

use super::text::{base64_decode, base64_encode};
use super::{Call, FResult};
use crate::types::Value;

/// The longest stored deflate block.
const STORED_MAX: usize = 65_535;

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => Some(other.to_display()),
    }
}

/// `data` as deflate stored blocks (an empty input is one empty final block).
fn deflate_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / STORED_MAX + 1));
    let mut chunks = data.chunks(STORED_MAX).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let len = chunk.len() as u16;
        out.push(u8::from(chunks.peek().is_none()));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// CRC-32 (IEEE, reflected), as gzip's trailer holds it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
    }
    (b << 16) | a
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(deflate_stored(data));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b || bytes[2] != 8 || bytes[3] != 0 {
        return None;
    }
    let body = &bytes[10..bytes.len() - 8];
    let data = miniz_oxide::inflate::decompress_to_vec(body).ok()?;
    let tail = &bytes[bytes.len() - 8..];
    let (crc, size) = (u32::from_le_bytes(tail[..4].try_into().ok()?), u32::from_le_bytes(tail[4..].try_into().ok()?));
    (crc == crc32(&data) && size == data.len() as u32).then_some(data)
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    out.extend(deflate_stored(data));
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn unzlib(bytes: &[u8]) -> Option<Vec<u8>> {
    let data = miniz_oxide::inflate::decompress_to_vec_zlib(bytes).ok()?;
    Some(data)
}

fn compress(c: &Call, f: fn(&[u8]) -> Vec<u8>) -> FResult {
    Ok(text(&c.a[0]).map_or(Value::Null, |t| Value::str(&base64_encode(&f(t.as_bytes())))))
}

fn decompress(c: &Call, f: fn(&[u8]) -> Option<Vec<u8>>) -> FResult {
    let Some(t) = text(&c.a[0]) else { return Ok(Value::Null) };
    let out = base64_decode(&t).and_then(|b| f(&b)).and_then(|d| String::from_utf8(d).ok()).unwrap_or_default();
    Ok(Value::str(&out))
}

/// gzip_compress_to_base64_string(text).
pub fn gzip_compress_to_base64_string(c: &Call) -> FResult {
    compress(c, gzip)
}

/// gzip_decompress_from_base64_string(text).
pub fn gzip_decompress_from_base64_string(c: &Call) -> FResult {
    decompress(c, gunzip)
}

/// zlib_compress_to_base64_string(text).
pub fn zlib_compress_to_base64_string(c: &Call) -> FResult {
    compress(c, zlib)
}

/// zlib_decompress_from_base64_string(text).
pub fn zlib_decompress_from_base64_string(c: &Call) -> FResult {
    decompress(c, unzlib)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_and_round_trips() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(gunzip(&gzip(&long)).as_deref(), Some(&long[..]));
        assert_eq!(unzlib(&zlib(&long)).as_deref(), Some(&long[..]));
        assert_eq!(gunzip(&gzip(b"")).as_deref(), Some(&b""[..]));
        let mut bad = gzip(b"abc");
        bad[3] = 8; // FLG with FNAME set: optional fields are refused
        assert_eq!(gunzip(&bad), None);
    }
}
