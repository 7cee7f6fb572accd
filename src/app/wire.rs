//! A compact binary form of a result table, for passing results from the query worker to the
//! page (a `Uint8Array` is copied far faster than millions of JS values). Strings travel as
//! their dictionary plus one code per row.
//!
//! The decoder checks every length, so damaged bytes give an error, never a panic.

use crate::table::{Column, Field, Prim, StrColumn, StrDict, Table};
use crate::types::{DataType, Dynamic};
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"KQT1";

fn tag(t: DataType) -> u8 {
    DataType::all().iter().position(|x| *x == t).unwrap_or(0) as u8
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn put_prim<T: Copy + Default>(out: &mut Vec<u8>, p: &Prim<T>, bytes: impl Fn(T) -> Vec<u8>) {
    match &p.valid {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend(v.iter().map(|&b| b as u8));
        }
    }
    for &x in &p.values {
        out.extend_from_slice(&bytes(x));
    }
}

/// Encodes a table.
pub fn encode_table(t: &Table) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + t.len() * t.fields.len() * 8);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, t.fields.len());
    put_u32(&mut out, t.len());
    for (f, c) in t.fields.iter().zip(&t.columns) {
        put_str(&mut out, &f.name);
        out.push(tag(f.ty));
        match &**c {
            Column::Bool(p) => put_prim(&mut out, p, |x| vec![x as u8]),
            Column::Int(p) => put_prim(&mut out, p, |x| x.to_le_bytes().to_vec()),
            Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => put_prim(&mut out, p, |x| x.to_le_bytes().to_vec()),
            Column::Real(p) => put_prim(&mut out, p, |x| x.to_le_bytes().to_vec()),
            Column::String(s) | Column::Guid(s) => {
                // Send only the strings the rows use.
                let s = if s.dict.len() > s.codes.len() { s.compact() } else { s.clone() };
                put_u32(&mut out, s.dict.len());
                for e in s.dict.iter() {
                    put_str(&mut out, e);
                }
                for code in s.codes.iter() {
                    out.extend_from_slice(&code.to_le_bytes());
                }
            }
            // GUIDs stored as numbers travel as text, one dictionary entry per row.
            Column::GuidText(g) => {
                put_u32(&mut out, g.len());
                for i in 0..g.len() {
                    put_str(&mut out, g.get(i, &mut [0u8; 36]));
                }
                for code in 0..g.len() as u32 {
                    out.extend_from_slice(&code.to_le_bytes());
                }
            }
            Column::Dynamic(d) => {
                for x in d {
                    put_str(&mut out, &x.to_json());
                }
            }
        }
    }
    out
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len()).ok_or("the result data is cut short")?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<usize, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.u32()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| "the result data has invalid text".to_string())
    }
    fn prim<T: Copy + Default, const N: usize>(&mut self, rows: usize, conv: impl Fn([u8; N]) -> T) -> Result<Prim<T>, String> {
        let valid = match self.u8()? {
            0 => None,
            1 => Some(self.take(rows)?.iter().map(|&b| b != 0).collect::<Vec<bool>>()),
            _ => return Err("the result data is damaged".into()),
        };
        let raw = self.take(rows.checked_mul(N).ok_or("too many rows")?)?;
        let values = raw.chunks_exact(N).map(|c| conv(c.try_into().unwrap_or([0; N]))).collect();
        Ok(Prim { values, valid })
    }
}

/// Decodes a table produced by [`encode_table`].
pub fn decode_table(bytes: &[u8]) -> Result<Table, String> {
    let mut r = Reader { b: bytes, pos: 0 };
    if r.take(4)? != MAGIC {
        return Err("the result data is not a kqlab table".into());
    }
    let ncol = r.u32()?;
    let rows = r.u32()?;
    if ncol > 100_000 || rows > bytes.len().saturating_mul(8).max(1 << 20) {
        return Err("the result data is damaged".into());
    }
    let mut fields = Vec::with_capacity(ncol);
    let mut columns = Vec::with_capacity(ncol);
    for _ in 0..ncol {
        let name = r.str()?.to_string();
        let ty = *DataType::all().get(r.u8()? as usize).ok_or("unknown column type in the result data")?;
        let col = match ty {
            DataType::Bool => Column::Bool(r.prim(rows, |b: [u8; 1]| b[0] != 0)?),
            DataType::Int => Column::Int(r.prim(rows, i32::from_le_bytes)?),
            DataType::Long => Column::Long(r.prim(rows, i64::from_le_bytes)?),
            DataType::DateTime => Column::DateTime(r.prim(rows, i64::from_le_bytes)?),
            DataType::TimeSpan => Column::TimeSpan(r.prim(rows, i64::from_le_bytes)?),
            DataType::Real => Column::Real(r.prim(rows, f64::from_le_bytes)?),
            DataType::String | DataType::Guid => {
                let n = r.u32()?;
                let mut packed = String::new();
                let mut offsets = Vec::with_capacity(n.min(rows + 1) + 1);
                offsets.push(0u32);
                for _ in 0..n {
                    packed.push_str(r.str()?);
                    offsets.push(packed.len() as u32);
                }
                let dict = StrDict::from_packed(packed, offsets).ok_or("the result data is damaged")?;
                let raw = r.take(rows.checked_mul(4).ok_or("too many rows")?)?;
                let codes: Vec<u32> = raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
                if codes.iter().any(|&c| c as usize >= n) {
                    return Err("the result data is damaged".into());
                }
                let sc = StrColumn::new(Arc::new(dict), codes);
                if ty == DataType::Guid {
                    Column::Guid(sc)
                } else {
                    Column::String(sc)
                }
            }
            DataType::Dynamic => {
                let mut items = Vec::with_capacity(rows);
                for _ in 0..rows {
                    items.push(Dynamic::parse_json(r.str()?).unwrap_or(Dynamic::Null));
                }
                Column::Dynamic(items)
            }
        };
        fields.push(Field::new(name, ty));
        columns.push(Arc::new(col));
    }
    Ok(Table::with_len(fields, columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{url_click_events, DatasetSpec};
    use crate::engine::{run, RunOptions};
    use crate::table::Catalog;

    #[test]
    fn round_trip_of_every_type() {
        let q = r#"print b = true, nb = bool(null), i = int(7), l = long(null), r = 2.5, s = "é", t = datetime(2026-01-02), ts = 90m, g = guid(74be27de-1e4e-49d9-b579-fe0b331d3642), d = dynamic({"a": [1, "x"]})"#;
        let t = run(q, &Catalog::new(), &RunOptions::default()).unwrap().table;
        let back = decode_table(&encode_table(&t)).unwrap();
        assert_eq!(back.fields, t.fields);
        assert_eq!(back.row(0), t.row(0));
        let big = url_click_events(&DatasetSpec::new(1, 500, 0));
        let back = decode_table(&encode_table(&big)).unwrap();
        assert_eq!(back.len(), 500);
        for r in [0, 250, 499] {
            assert_eq!(back.row(r), big.row(r));
        }
        // A slice of a table sends only the strings it uses.
        let head = big.head(3);
        assert!(encode_table(&head).len() < 4000);
    }

    #[test]
    fn damaged_bytes_are_an_error() {
        let t = run("range x from 1 to 3 step 1 | extend s = tostring(x)", &Catalog::new(), &RunOptions::default()).unwrap().table;
        let bytes = encode_table(&t);
        for cut in 0..bytes.len() {
            assert!(decode_table(&bytes[..cut]).is_err());
        }
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] = 200;
        assert!(decode_table(&bad).is_err(), "a string code outside the dictionary");
        assert!(decode_table(b"nope").is_err());
    }
}
