//! Splits a CSV file into records with kqlab's record reader (a copy of `Parser` in
//! `src/table/csv.rs`, which is private) and with `csv-core`, and prints the best of 7 times
//! of each, then what each does with a field `"x"y` and with an unclosed quote.
//!
//!     cargo run --release --bin kqlab -- gen UrlClickEvents --rows 50000 --out /tmp/u.csv
//!     cargo run --release --example csv_bench -- /tmp/u.csv
use std::borrow::Cow;

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
}
impl<'a> Parser<'a> {
    fn next_record(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Result<bool, String> {
        let b = self.s.as_bytes();
        if self.pos >= b.len() {
            return Ok(false);
        }
        let line = self.line;
        fields.clear();
        loop {
            if self.pos < b.len() && b[self.pos] == b'"' {
                fields.push(self.quoted(line)?);
            } else {
                let start = self.pos;
                while self.pos < b.len() && !matches!(b[self.pos], b',' | b'\r' | b'\n') {
                    self.pos += 1;
                }
                fields.push(Cow::Borrowed(&self.s[start..self.pos]));
            }
            match b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if b.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    self.line += 1;
                    break;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    break;
                }
                _ => break,
            }
        }
        Ok(true)
    }
    fn quoted(&mut self, line: usize) -> Result<Cow<'a, str>, String> {
        let b = self.s.as_bytes();
        self.pos += 1;
        let mut seg = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let Some(rel) = b[self.pos..].iter().position(|&c| c == b'"' || c == b'\n') else {
                return Err(format!("line {line}: never closed"));
            };
            let q = self.pos + rel;
            if b[q] == b'\n' {
                self.line += 1;
                self.pos = q + 1;
                continue;
            }
            if b.get(q + 1) == Some(&b'"') {
                owned.get_or_insert_with(String::new).push_str(&self.s[seg..=q]);
                self.pos = q + 2;
                seg = self.pos;
                continue;
            }
            let field = match owned {
                Some(mut o) => {
                    o.push_str(&self.s[seg..q]);
                    Cow::Owned(o)
                }
                None => Cow::Borrowed(&self.s[seg..q]),
            };
            self.pos = q + 1;
            return match b.get(self.pos) {
                None | Some(b',' | b'\r' | b'\n') => Ok(field),
                Some(_) => Err(format!("line {}: text after quote", self.line)),
            };
        }
    }
}

fn hand(text: &str) -> (usize, usize) {
    let mut p = Parser { s: text, pos: 0, line: 1 };
    let mut fields = Vec::new();
    let (mut recs, mut bytes) = (0, 0);
    while p.next_record(&mut fields).unwrap() {
        recs += 1;
        bytes += fields.iter().map(|f| f.len()).sum::<usize>();
    }
    (recs, bytes)
}

fn core(text: &str) -> (usize, usize) {
    let mut rdr = csv_core::Reader::new();
    let mut input = text.as_bytes();
    let mut out = vec![0u8; 1 << 16];
    let mut ends = vec![0usize; 1024];
    let (mut recs, mut bytes) = (0, 0);
    loop {
        let (res, nin, nout, nend) = rdr.read_record(input, &mut out, &mut ends);
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                recs += 1;
                // The fields must be UTF-8 for the engine's columns.
                let s = std::str::from_utf8(&out[..nout]).unwrap();
                bytes += s.len();
                let _ = &ends[..nend];
            }
            csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::InputEmpty => {}
            r => panic!("{r:?}"),
        }
    }
    (recs, bytes)
}

fn main() {
    let path = std::env::args().nth(1).expect("a CSV file");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(hand(&text), core(&text));
    let mut best = [f64::MAX; 2];
    for _ in 0..7 {
        let t = std::time::Instant::now();
        std::hint::black_box(hand(&text));
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        std::hint::black_box(core(&text));
        best[1] = best[1].min(t.elapsed().as_secs_f64());
    }
    let (recs, _) = hand(&text);
    println!("{path}: {recs} records, {:.1} MB; kqlab records {:.2} ms, csv-core {:.2} ms", text.len() as f64 / 1e6, best[0] * 1e3, best[1] * 1e3);
    for bad in ["a,b\n\"x\"y,2\n", "a,b\n\"x,2\n3,4\n"] {
        let mut p = Parser { s: bad, pos: 0, line: 1 };
        let mut f = Vec::new();
        let mut r = Ok(true);
        while matches!(r, Ok(true)) {
            r = p.next_record(&mut f);
        }
        let mut rdr = csv_core::Reader::new();
        let mut out = [0u8; 256];
        let mut ends = [0usize; 16];
        let mut input = bad.as_bytes();
        let mut recs = Vec::new();
        loop {
            let (res, nin, nout, nend) = rdr.read_record(input, &mut out, &mut ends);
            input = &input[nin..];
            match res {
                csv_core::ReadRecordResult::Record => {
                    let mut s = 0;
                    recs.push(
                        ends[..nend]
                            .iter()
                            .map(|&e| {
                                let f = String::from_utf8_lossy(&out[s..e]).to_string();
                                s = e;
                                f
                            })
                            .collect::<Vec<_>>(),
                    );
                    let _ = nout;
                }
                csv_core::ReadRecordResult::End => break,
                _ => {}
            }
        }
        println!("{bad:?}: kqlab {r:?}; csv-core records {recs:?}");
    }
}
