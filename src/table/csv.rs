//! CSV import and export.
//!
//! **Export** ([`write_csv`], [`write_csv_to`]) writes a header row and one line per row,
//! quoting fields as RFC 4180 says (a field containing a comma, a double quote or a line
//! break is wrapped in double quotes, with inner quotes doubled). The header is either
//! `Name:type` per column ([`HeaderStyle::Typed`], so the types can be read back) or the bare
//! names ([`HeaderStyle::Plain`], for other tools). Values are written the way Kusto prints
//! them: datetimes in ISO 8601 with `Z`, timespans as `[-][d.]hh:mm:ss[.fffffff]`, bools as
//! `true`/`false`, dynamic values as compact JSON, and nulls as empty fields. Lines end
//! with `\n`.
//!
//! **Import** ([`read_csv`]) needs a header row. A column's type comes, in order of
//! precedence, from the caller ([`CsvOptions::types`], e.g. declared by a lesson file), from
//! a `Name:type` header annotation, or from the values themselves. Inference is
//! conservative: a column is `bool` only if every non-empty cell is `true` or `false`,
//! `long` only if every one is a plain integer (no leading zeros, so codes like `007` stay
//! strings), `real` if every one is a plain decimal number, `datetime` if every one is an
//! ISO 8601 date, `timespan` if every one is `hh:mm:ss` shaped, and `string` otherwise.
//!
//! The reader accepts quoted fields with commas, doubled quotes and line breaks, CRLF or LF
//! line ends, a UTF-8 byte order mark, and blank lines (skipped; at the end of the file, or
//! anywhere in a file with more than one column). Problems are reported with the 1-based
//! line number and the column name: structural problems (a wrong number of fields, an
//! unterminated quote, a bad header, too much input) are always errors; a cell that does
//! not fit its column's type is an error, or with [`CsvOptions::lenient`] a null plus a
//! [`CsvWarning`]. The reader never panics, whatever the input.

use super::{CodesBuilder, Column, Field, Prim, StrColumn, StrDictBuilder, Table};
use crate::types::time::{format_datetime, format_timespan, parse_datetime, parse_timespan};
use crate::types::{DataType, Dynamic};
use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::Arc;

/// How [`write_csv`] writes the header row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HeaderStyle {
    /// `Name:type`, so [`read_csv`] recovers the column types exactly.
    #[default]
    Typed,
    /// Bare column names.
    Plain,
}

/// Options for [`read_csv`].
#[derive(Clone, Debug)]
pub struct CsvOptions {
    /// Column types declared by the caller, by column name; they win over header
    /// annotations and inference. Naming a column the file does not have is an error.
    pub types: Vec<(String, DataType)>,
    /// Turn cells that do not fit their column's type into nulls with a warning, instead of
    /// failing.
    pub lenient: bool,
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Largest accepted number of data rows.
    pub max_rows: usize,
    /// Largest accepted number of columns.
    pub max_columns: usize,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { types: Vec::new(), lenient: false, max_bytes: 256 << 20, max_rows: 5_000_000, max_columns: 1000 }
    }
}

/// Why a CSV text could not be read. `line` is 1-based (0 when the problem is the input as
/// a whole); `column` names the column when the problem is in one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

/// A cell that was read as null because it did not fit its column (lenient mode), or a note
/// about the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvWarning {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

fn describe(f: &mut fmt::Formatter<'_>, line: usize, column: &Option<String>, message: &str) -> fmt::Result {
    match (line, column) {
        (0, None) => write!(f, "{message}"),
        (0, Some(c)) => write!(f, "column '{c}': {message}"),
        (l, None) => write!(f, "line {l}: {message}"),
        (l, Some(c)) => write!(f, "line {l}, column '{c}': {message}"),
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(f, self.line, &self.column, &self.message)
    }
}

impl std::error::Error for CsvError {}

impl fmt::Display for CsvWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(f, self.line, &self.column, &self.message)
    }
}

fn error(line: usize, column: Option<&str>, message: impl Into<String>) -> CsvError {
    CsvError { line, column: column.map(str::to_string), message: message.into() }
}

// ---------------------------------------------------------------------------------------------
// Export

fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

fn push_field(out: &mut String, s: &str) {
    if needs_quotes(s) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Writes one cell of `col` at `row` (nothing for null).
fn push_cell(out: &mut String, col: &Column, row: usize, quoted_dict: Option<&[Option<String>]>) {
    use std::fmt::Write as _;
    match col {
        Column::Bool(p) => {
            if let Some(b) = p.get(row) {
                out.push_str(if b { "true" } else { "false" });
            }
        }
        Column::Int(p) => {
            if let Some(v) = p.get(row) {
                let _ = write!(out, "{v}");
            }
        }
        Column::Long(p) => {
            if let Some(v) = p.get(row) {
                let _ = write!(out, "{v}");
            }
        }
        Column::Real(p) => {
            if let Some(v) = p.get(row) {
                out.push_str(&crate::types::Value::Real(v).to_display());
            }
        }
        Column::DateTime(p) => {
            if let Some(v) = p.get(row) {
                out.push_str(&format_datetime(v));
            }
        }
        Column::TimeSpan(p) => {
            if let Some(v) = p.get(row) {
                out.push_str(&format_timespan(v));
            }
        }
        Column::String(s) | Column::Guid(s) => {
            let code = s.codes.get(row);
            match quoted_dict.and_then(|q| q[code as usize].as_deref()) {
                Some(q) => out.push_str(q),
                None => out.push_str(s.dict.get(code)),
            }
        }
        Column::GuidText(g) => out.push_str(g.get(row, &mut [0u8; super::guids::GUID_TEXT_LEN])),
        Column::Dynamic(d) => {
            if !d[row].is_null() {
                push_field(out, &d[row].to_json());
            }
        }
    }
}

/// Writes a table as CSV into a string.
pub fn write_csv(table: &Table, header: HeaderStyle) -> String {
    let mut out = String::new();
    let _ = write_rows(table, header, &mut |chunk: &mut String| {
        out.push_str(chunk);
        chunk.clear();
        Ok(())
    });
    out
}

/// Writes a table as CSV to any writer, in chunks (for large tables and files).
pub fn write_csv_to<W: io::Write>(table: &Table, header: HeaderStyle, w: &mut W) -> io::Result<()> {
    write_rows(table, header, &mut |chunk: &mut String| {
        w.write_all(chunk.as_bytes())?;
        chunk.clear();
        Ok(())
    })?;
    w.flush()
}

fn write_rows(table: &Table, header: HeaderStyle, flush: &mut dyn FnMut(&mut String) -> io::Result<()>) -> io::Result<()> {
    let mut buf = String::with_capacity(1 << 16);
    let single = table.fields.len() == 1;
    for (i, f) in table.fields.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        match header {
            HeaderStyle::Typed => push_field(&mut buf, &format!("{}:{}", f.name, f.ty)),
            HeaderStyle::Plain => push_field(&mut buf, &f.name),
        }
    }
    buf.push('\n');
    // Quoted forms of dictionary entries that need quoting, computed once per entry.
    let quoted: Vec<Option<Vec<Option<String>>>> = table
        .columns
        .iter()
        .map(|c| {
            c.as_str_column().map(|s| {
                s.dict
                    .iter()
                    .map(|v| {
                        if needs_quotes(v) || (single && v.is_empty()) {
                            let mut q = String::new();
                            if v.is_empty() {
                                q.push_str("\"\"");
                            } else {
                                push_field(&mut q, v);
                            }
                            Some(q)
                        } else {
                            None
                        }
                    })
                    .collect()
            })
        })
        .collect();
    for row in 0..table.len() {
        let start = buf.len();
        for (i, c) in table.columns.iter().enumerate() {
            if i > 0 {
                buf.push(',');
            }
            push_cell(&mut buf, c, row, quoted[i].as_deref());
        }
        if single && buf.len() == start {
            // A lone empty field would be a blank line, which readers skip.
            buf.push_str("\"\"");
        }
        buf.push('\n');
        if buf.len() >= 1 << 16 {
            flush(&mut buf)?;
        }
    }
    flush(&mut buf)
}

// ---------------------------------------------------------------------------------------------
// Import: the record parser

/// One parsed record: its fields, the line it starts on, and whether it was a blank line.
struct Record<'a> {
    fields: Vec<Cow<'a, str>>,
    line: usize,
    blank: bool,
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
    /// False while more input may follow `s` (a streamed import): a record that reaches the
    /// end of `s` without its line break is then incomplete, and [`Parser::next_record`]
    /// leaves it for the next piece.
    last: bool,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Parser<'a> {
        Parser { s, pos: 0, line: 1, last: true }
    }

    fn next_record(&mut self) -> Result<Option<Record<'a>>, CsvError> {
        let b = self.s.as_bytes();
        if self.pos >= b.len() {
            return Ok(None);
        }
        let (start, line) = (self.pos, self.line);
        let mut fields = Vec::new();
        let mut any_quoted = false;
        let complete = loop {
            if self.pos < b.len() && b[self.pos] == b'"' {
                any_quoted = true;
                match self.quoted(line)? {
                    Some(f) => fields.push(f),
                    None => break false,
                }
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
                    // A `\r` at the end of a piece may have its `\n` in the next one.
                    break self.pos < b.len() || b[self.pos - 1] == b'\n' || self.last;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    break true;
                }
                _ => break self.last,
            }
        };
        if !complete {
            (self.pos, self.line) = (start, line);
            return Ok(None);
        }
        let blank = !any_quoted && fields.len() == 1 && fields[0].is_empty();
        Ok(Some(Record { fields, line, blank }))
    }

    /// A quoted field starting at `self.pos` (on the opening quote); `None` if the piece ends
    /// before its closing quote and more input may follow.
    fn quoted(&mut self, line: usize) -> Result<Option<Cow<'a, str>>, CsvError> {
        let b = self.s.as_bytes();
        self.pos += 1;
        let mut seg = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let Some(rel) = b[self.pos..].iter().position(|&c| c == b'"' || c == b'\n') else {
                if !self.last {
                    return Ok(None);
                }
                return Err(error(line, None, "a quoted field is never closed (missing '\"')"));
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
                None | Some(b',' | b'\r' | b'\n') => Ok(Some(field)),
                Some(_) => Err(error(self.line, None, "unexpected text after a closing quote (a quote inside a quoted field must be doubled)")),
            };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Import: types

fn is_plain_int(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    !d.is_empty() && d.len() <= 19 && d.bytes().all(|c| c.is_ascii_digit()) && (d == "0" || !d.starts_with('0'))
}

fn is_plain_real(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match d.find(['e', 'E']) {
        Some(i) => (&d[..i], Some(&d[i + 1..])),
        None => (d, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |x: &str| x.bytes().all(|c| c.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.len() <= 4 && digits(e)
    });
    (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac) && (int.len() <= 1 || !int.starts_with('0')) && exp_ok
}

fn looks_like_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

fn looks_like_clock_timespan(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    let parts: Vec<&str> = d.split(':').collect();
    parts.len() == 3
        && d.bytes().all(|c| c.is_ascii_digit() || c == b':' || c == b'.')
        && parts[1].len() == 2
        && parts[2].split('.').next().is_some_and(|x| x.len() == 2)
}

fn is_guid(s: &str) -> bool {
    let s = s.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(s);
    let b = s.as_bytes();
    b.len() == 36 && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

/// What the values of a column could be, narrowed cell by cell.
#[derive(Clone, Copy)]
struct Guess {
    any: bool,
    bool_: bool,
    long: bool,
    real: bool,
    datetime: bool,
    timespan: bool,
}

impl Guess {
    fn new() -> Guess {
        Guess { any: false, bool_: true, long: true, real: true, datetime: true, timespan: true }
    }

    fn see(&mut self, cell: &str) {
        let t = cell.trim();
        if t.is_empty() {
            return;
        }
        self.any = true;
        if self.bool_ {
            self.bool_ = t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false");
        }
        if self.long {
            self.long = is_plain_int(t) && t.parse::<i64>().is_ok();
        }
        if self.real {
            self.real = is_plain_real(t) && t.parse::<f64>().is_ok();
        }
        if self.datetime {
            self.datetime = t.len() <= 40 && looks_like_iso_date(t) && safe_parse_datetime(t).is_some();
        }
        if self.timespan {
            self.timespan = looks_like_clock_timespan(t) && parse_timespan(t).is_some();
        }
    }

    fn result(self) -> DataType {
        match self {
            Guess { any: false, .. } => DataType::String,
            Guess { bool_: true, .. } => DataType::Bool,
            Guess { long: true, .. } => DataType::Long,
            Guess { real: true, .. } => DataType::Real,
            Guess { datetime: true, .. } => DataType::DateTime,
            Guess { timespan: true, .. } => DataType::TimeSpan,
            _ => DataType::String,
        }
    }
}

/// `parse_datetime` with a length cap (no legitimate datetime text is longer).
fn safe_parse_datetime(t: &str) -> Option<i64> {
    if t.len() > 64 {
        return None;
    }
    parse_datetime(t)
}

/// Column storage while reading.
enum Acc {
    Bool(Vec<bool>, Vec<bool>),
    Int(Vec<i32>, Vec<bool>),
    Long(Vec<i64>, Vec<bool>),
    Real(Vec<f64>, Vec<bool>),
    DateTime(Vec<i64>, Vec<bool>),
    TimeSpan(Vec<i64>, Vec<bool>),
    Str(StrDictBuilder, CodesBuilder),
    Guid(StrDictBuilder, CodesBuilder),
    Dynamic(Vec<Dynamic>),
}

impl Acc {
    fn new(ty: DataType) -> Acc {
        match ty {
            DataType::Bool => Acc::Bool(Vec::new(), Vec::new()),
            DataType::Int => Acc::Int(Vec::new(), Vec::new()),
            DataType::Long => Acc::Long(Vec::new(), Vec::new()),
            DataType::Real => Acc::Real(Vec::new(), Vec::new()),
            DataType::DateTime => Acc::DateTime(Vec::new(), Vec::new()),
            DataType::TimeSpan => Acc::TimeSpan(Vec::new(), Vec::new()),
            DataType::String => Acc::Str(StrDictBuilder::new(), CodesBuilder::new()),
            DataType::Guid => Acc::Guid(StrDictBuilder::new(), CodesBuilder::new()),
            DataType::Dynamic => Acc::Dynamic(Vec::new()),
        }
    }

    /// Appends a cell; `Err(())` if it does not fit (nothing is appended then).
    fn push(&mut self, cell: &str) -> Result<(), ()> {
        fn put<T: Default>(v: &mut Vec<T>, m: &mut Vec<bool>, x: Option<T>) {
            m.push(x.is_some());
            v.push(x.unwrap_or_default());
        }
        fn parsed<T>(t: &str, f: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, ()> {
            if t.is_empty() {
                Ok(None)
            } else {
                f(t).map(Some).ok_or(())
            }
        }
        let t = cell.trim();
        match self {
            Acc::Bool(v, m) => put(
                v,
                m,
                parsed(t, |t| match t.to_ascii_lowercase().as_str() {
                    "true" | "1" => Some(true),
                    "false" | "0" => Some(false),
                    _ => None,
                })?,
            ),
            Acc::Int(v, m) => put(v, m, parsed(t, |t| t.parse().ok())?),
            Acc::Long(v, m) => put(v, m, parsed(t, |t| t.parse().ok())?),
            Acc::Real(v, m) => put(v, m, parsed(t, |t| t.parse().ok())?),
            Acc::DateTime(v, m) => put(v, m, parsed(t, safe_parse_datetime)?),
            Acc::TimeSpan(v, m) => put(v, m, parsed(t, parse_timespan)?),
            Acc::Str(b, codes) => codes.push(b.intern(cell)),
            Acc::Guid(b, codes) => {
                if !t.is_empty() && !is_guid(t) {
                    return Err(());
                }
                let g = t.trim_start_matches('{').trim_end_matches('}');
                codes.push(b.intern(g));
            }
            Acc::Dynamic(d) => d.push(if t.is_empty() {
                Dynamic::Null
            } else {
                // Text that is not JSON is kept as a dynamic string, as Kusto ingestion does.
                Dynamic::parse_json(t).unwrap_or_else(|_| Dynamic::string(cell))
            }),
        }
        Ok(())
    }

    fn push_null(&mut self) {
        match self {
            Acc::Bool(v, m) => {
                v.push(false);
                m.push(false);
            }
            Acc::Int(v, m) => {
                v.push(0);
                m.push(false);
            }
            Acc::Long(v, m) | Acc::DateTime(v, m) | Acc::TimeSpan(v, m) => {
                v.push(0);
                m.push(false);
            }
            Acc::Real(v, m) => {
                v.push(0.0);
                m.push(false);
            }
            Acc::Str(b, codes) | Acc::Guid(b, codes) => codes.push(b.intern("")),
            Acc::Dynamic(d) => d.push(Dynamic::Null),
        }
    }

    fn finish(self) -> Column {
        match self {
            Acc::Bool(v, m) => Column::Bool(Prim::with_validity(v, m)),
            Acc::Int(v, m) => Column::Int(Prim::with_validity(v, m)),
            Acc::Long(v, m) => Column::Long(Prim::with_validity(v, m)),
            Acc::Real(v, m) => Column::Real(Prim::with_validity(v, m)),
            Acc::DateTime(v, m) => Column::DateTime(Prim::with_validity(v, m)),
            Acc::TimeSpan(v, m) => Column::TimeSpan(Prim::with_validity(v, m)),
            Acc::Str(b, codes) => Column::String(StrColumn { dict: b.finish(), codes: codes.finish() }),
            Acc::Guid(b, codes) => Column::Guid(StrColumn { dict: b.finish(), codes: codes.finish() }),
            Acc::Dynamic(d) => Column::Dynamic(d),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Import: the driver

const MAX_WARNINGS: usize = 200;

/// Splits a header cell into its name and an optional `:type` annotation.
fn split_header(cell: &str) -> (&str, Option<DataType>) {
    if let Some((name, ty)) = cell.rsplit_once(':') {
        if let Some(t) = DataType::from_name(ty.trim()) {
            return (name.trim(), Some(t));
        }
    }
    (cell.trim(), None)
}

fn check_rows(rows: usize, line: usize, opts: &CsvOptions) -> Result<(), CsvError> {
    if rows > opts.max_rows {
        return Err(error(line, None, format!("too many rows: the limit is {} data rows", opts.max_rows)));
    }
    Ok(())
}

fn show(cell: &str) -> String {
    let t = cell.trim();
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t.to_string()
    }
}

/// What a pass over the records does with each data row.
enum Pass {
    /// Narrow the guesses of the columns without a declared type (the first of two passes).
    Infer(Vec<Guess>),
    /// Append the cells to the columns.
    Build(Vec<Acc>),
}

/// An import in progress, fed one record at a time: by [`read_csv`] from text in memory, or
/// by [`read_csv_from`] from a stream, a piece at a time. When some column's type must be
/// inferred, the records are fed twice: once to infer, once to build.
struct Import<'o> {
    opts: &'o CsvOptions,
    /// Names and types from the header (and the declared types), once it has been read.
    names: Vec<String>,
    types: Vec<Option<DataType>>,
    header_seen: bool,
    pass: Pass,
    rows: usize,
    /// Blank lines of a one-column file, rows only if more data follows.
    pending_blank: Vec<usize>,
    warnings: Vec<CsvWarning>,
    suppressed: usize,
}

impl<'o> Import<'o> {
    fn new(opts: &'o CsvOptions) -> Import<'o> {
        Import {
            opts,
            names: Vec::new(),
            types: Vec::new(),
            header_seen: false,
            pass: Pass::Infer(Vec::new()),
            rows: 0,
            pending_blank: Vec::new(),
            warnings: Vec::new(),
            suppressed: 0,
        }
    }

    /// Feeds every complete record of the parser's piece.
    fn feed(&mut self, parser: &mut Parser<'_>) -> Result<(), CsvError> {
        while let Some(rec) = parser.next_record()? {
            self.record(&rec)?;
        }
        Ok(())
    }

    fn record(&mut self, rec: &Record<'_>) -> Result<(), CsvError> {
        if !self.header_seen {
            if rec.blank {
                return Ok(());
            }
            self.header_seen = true;
            // The second pass meets the header again: it is already known.
            if matches!(self.pass, Pass::Infer(_)) && self.names.is_empty() {
                self.header(rec)?;
            }
            return Ok(());
        }
        let ncols = self.names.len();
        // Blank lines are skipped, except in a one-column file where a blank line before more
        // data is a row with one empty field.
        if rec.blank {
            if ncols == 1 {
                self.pending_blank.push(rec.line);
            }
            return Ok(());
        }
        if rec.fields.len() != ncols {
            return Err(error(rec.line, None, format!("expected {ncols} field{}, found {}", if ncols == 1 { "" } else { "s" }, rec.fields.len())));
        }
        for line in std::mem::take(&mut self.pending_blank) {
            self.row(&Record { fields: vec![Cow::Borrowed("")], line, blank: false })?;
        }
        self.row(rec)
    }

    fn header(&mut self, header: &Record<'_>) -> Result<(), CsvError> {
        let (opts, header_line) = (self.opts, header.line);
        if header.fields.len() > opts.max_columns {
            return Err(error(header_line, None, format!("{} columns; the limit is {}", header.fields.len(), opts.max_columns)));
        }
        for (k, cell) in header.fields.iter().enumerate() {
            let (name, ty) = split_header(cell);
            if name.is_empty() {
                return Err(error(header_line, None, format!("column {} has no name in the header row", k + 1)));
            }
            if let Some(first) = self.names.iter().position(|n| n == name) {
                return Err(error(header_line, Some(name), format!("the column name appears twice in the header (columns {} and {})", first + 1, k + 1)));
            }
            self.names.push(name.to_string());
            self.types.push(ty);
        }
        for (name, ty) in &opts.types {
            let Some(k) = self.names.iter().position(|n| n == name) else {
                return Err(error(header_line, Some(name), "a type is declared for this column, but the file has no such column"));
            };
            if let Some(annotated) = self.types[k] {
                if annotated != *ty {
                    self.warnings.push(CsvWarning {
                        line: header_line,
                        column: Some(name.clone()),
                        message: format!("the header says {annotated} but {ty} was declared; reading it as {ty}"),
                    });
                }
            }
            self.types[k] = Some(*ty);
        }
        self.pass = if self.types.iter().any(Option::is_none) {
            Pass::Infer(vec![Guess::new(); self.names.len()])
        } else {
            Pass::Build(self.types.iter().map(|t| Acc::new(t.unwrap_or(DataType::String))).collect())
        };
        Ok(())
    }

    fn row(&mut self, rec: &Record<'_>) -> Result<(), CsvError> {
        self.rows += 1;
        check_rows(self.rows, rec.line, self.opts)?;
        match &mut self.pass {
            Pass::Infer(guesses) => {
                for (k, g) in guesses.iter_mut().enumerate() {
                    if self.types[k].is_none() {
                        g.see(&rec.fields[k]);
                    }
                }
            }
            Pass::Build(accs) => {
                for (k, acc) in accs.iter_mut().enumerate() {
                    let cell = &rec.fields[k];
                    if acc.push(cell).is_err() {
                        let ty = self.types[k].unwrap_or(DataType::String);
                        let message = format!("cannot read '{}' as {ty}", show(cell));
                        if !self.opts.lenient {
                            return Err(error(rec.line, Some(&self.names[k]), message));
                        }
                        acc.push_null();
                        if self.warnings.len() < MAX_WARNINGS {
                            self.warnings.push(CsvWarning { line: rec.line, column: Some(self.names[k].clone()), message: format!("{message}; using null") });
                        } else {
                            self.suppressed += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// After a pass: `true` if the records must be fed again (the types were being inferred).
    fn next_pass(&mut self) -> Result<bool, CsvError> {
        if !self.header_seen {
            return Err(error(1, None, "the file is empty: a header row with the column names is required"));
        }
        let Pass::Infer(guesses) = &mut self.pass else { return Ok(false) };
        for (t, g) in self.types.iter_mut().zip(std::mem::take(guesses)) {
            t.get_or_insert(g.result());
        }
        self.pass = Pass::Build(self.types.iter().map(|t| Acc::new(t.unwrap_or(DataType::String))).collect());
        self.header_seen = false;
        self.rows = 0;
        self.pending_blank.clear();
        Ok(true)
    }

    fn finish(mut self) -> (Table, Vec<CsvWarning>) {
        if self.suppressed > 0 {
            self.warnings.push(CsvWarning { line: 0, column: None, message: format!("{} more cells could not be read and are null", self.suppressed) });
        }
        let types: Vec<DataType> = self.types.iter().map(|t| t.unwrap_or(DataType::String)).collect();
        let fields = self.names.into_iter().zip(&types).map(|(n, &t)| Field::new(n, t)).collect();
        let columns = match self.pass {
            Pass::Build(accs) => accs.into_iter().map(|a| Arc::new(a.finish())).collect(),
            Pass::Infer(_) => Vec::new(),
        };
        (Table::new(fields, columns), self.warnings)
    }
}

/// The largest input either reader accepts: the caller's cap, and at most 2 GiB (string
/// dictionaries use 32-bit offsets; stay well inside that).
fn byte_limit(opts: &CsvOptions) -> usize {
    opts.max_bytes.min(1 << 31)
}

/// Reads CSV text into a table, with the warnings of a lenient read.
pub fn read_csv(text: &str, opts: &CsvOptions) -> Result<(Table, Vec<CsvWarning>), CsvError> {
    let limit = byte_limit(opts);
    if text.len() > limit {
        return Err(error(0, None, format!("the input is {} bytes; the limit is {limit} bytes", text.len())));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut import = Import::new(opts);
    loop {
        import.feed(&mut Parser::new(text))?;
        if !import.next_pass()? {
            break;
        }
    }
    Ok(import.finish())
}

/// Bytes read from a stream at a time by [`read_csv_from`].
const READ_BLOCK: usize = 4 << 20;

/// Reads CSV from a stream without holding the whole input: a block at a time, each block's
/// complete records fed to the import and the incomplete last one carried into the next
/// block. `open` is called once, or twice when a column's type must be inferred (a first pass
/// over the rows infers, a second builds). Same result, errors and warnings as [`read_csv`] on
/// the whole text; an I/O error is reported as an error of the input as a whole.
pub fn read_csv_from<R: io::Read>(open: impl FnMut() -> io::Result<R>, opts: &CsvOptions) -> Result<(Table, Vec<CsvWarning>), CsvError> {
    read_csv_blocks(open, opts, READ_BLOCK)
}

fn read_csv_blocks<R: io::Read>(mut open: impl FnMut() -> io::Result<R>, opts: &CsvOptions, block: usize) -> Result<(Table, Vec<CsvWarning>), CsvError> {
    let mut import = Import::new(opts);
    loop {
        let reader = open().map_err(|e| error(0, None, format!("cannot read the input: {e}")))?;
        stream_pass(reader, &mut import, byte_limit(opts), block)?;
        if !import.next_pass()? {
            break;
        }
    }
    Ok(import.finish())
}

/// One pass of [`read_csv_from`] over a stream.
fn stream_pass(mut reader: impl io::Read, import: &mut Import<'_>, limit: usize, block: usize) -> Result<(), CsvError> {
    let mut buf: Vec<u8> = Vec::new();
    let (mut total, mut line, mut first, mut eof) = (0usize, 1usize, true, false);
    while !eof {
        // Read at least a block, and at least as much again as an unfinished record holds
        // (so a record longer than a block is not re-scanned once per block).
        let want = block.max(buf.len());
        let start = buf.len();
        buf.resize(start + want, 0);
        let mut got = 0;
        while got < want {
            match reader.read(&mut buf[start + got..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(error(0, None, format!("cannot read the input: {e}"))),
            }
        }
        buf.truncate(start + got);
        total += got;
        if total > limit {
            return Err(error(0, None, format!("the input is over {limit} bytes, the limit")));
        }
        // A byte order mark is dropped once its three bytes (or the whole input) are in.
        if first {
            if buf.len() < 3 && !eof {
                continue;
            }
            if buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
            first = false;
        }
        // Text up to the last whole character (a block may end inside one).
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) if e.error_len().is_none() && !eof => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default(),
            Err(e) => {
                let at = total - (buf.len() - e.valid_up_to());
                return Err(error(0, None, format!("the input is not UTF-8 text (byte offset {at}); save the file as UTF-8")));
            }
        };
        let mut parser = Parser { s: text, pos: 0, line, last: eof };
        import.feed(&mut parser)?;
        line = parser.line;
        let used = parser.pos;
        buf.drain(..used);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Value;

    fn read(text: &str) -> Result<(Table, Vec<CsvWarning>), CsvError> {
        read_csv(text, &CsvOptions::default())
    }

    fn types(t: &Table) -> Vec<DataType> {
        t.fields.iter().map(|f| f.ty).collect()
    }

    #[test]
    fn infers_types_conservatively() {
        let (t, w) = read("a,b,c,d,e,f,g,h\ntrue,1,1.5,2026-11-22T10:00:00Z,01:30:00,007,x,\nFALSE,-2,3,2026-11-21,1.00:00:00,8,y,\n").unwrap();
        assert!(w.is_empty());
        use DataType::*;
        assert_eq!(types(&t), vec![Bool, Long, Real, DateTime, TimeSpan, String, String, String]);
        assert_eq!(t.value(1, 0), Value::Bool(false));
        assert_eq!(t.value(0, 5), Value::str("007"), "leading zeros keep a column a string");
        assert_eq!(t.value(1, 2), Value::Real(3.0));
    }

    #[test]
    fn empty_cells_are_null_except_in_strings() {
        let (t, _) = read("n,s\n1,\n,x\n").unwrap();
        assert_eq!(types(&t), vec![DataType::Long, DataType::String]);
        assert_eq!(t.value(1, 0), Value::Null);
        assert_eq!(t.value(0, 1), Value::str(""));
    }

    #[test]
    fn quoting_crlf_bom_and_trailing_blank_lines() {
        let text = "\u{feff}name,note\r\n\"Smith, Ann\",\"said \"\"hi\"\"\r\nthen left\"\r\nBob,plain\r\n\r\n\r\n";
        let (t, _) = read(text).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.value(0, 0), Value::str("Smith, Ann"));
        assert_eq!(t.value(0, 1), Value::str("said \"hi\"\r\nthen left"));
        assert_eq!(t.fields[0].name, "name");
    }

    #[test]
    fn header_annotations_and_declared_types() {
        let (t, w) = read("id:string,n:long,when:datetime\n1,2,2026-01-01\n").unwrap();
        assert!(w.is_empty());
        assert_eq!(types(&t), vec![DataType::String, DataType::Long, DataType::DateTime]);
        let opts = CsvOptions { types: vec![("n".into(), DataType::Real)], ..Default::default() };
        let (t, w) = read_csv("id:string,n:long\n1,2\n", &opts).unwrap();
        assert_eq!(t.fields[1].ty, DataType::Real);
        assert_eq!(w.len(), 1, "a disagreement between header and declaration is reported");
        let opts = CsvOptions { types: vec![("missing".into(), DataType::Long)], ..Default::default() };
        let e = read_csv("a\n1\n", &opts).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("missing"));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = read("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "expected 2 fields, found 1"));
        let e = read("a:long,b\n1,x\nzz,y\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.column.as_deref(), Some("a"));
        assert_eq!(e.to_string(), "line 3, column 'a': cannot read 'zz' as long");
        let e = read("a,b\n\"open,2\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("never closed"));
        let e = read("a,b\n\"x\"y,2\n").unwrap_err();
        assert!(e.message.contains("after a closing quote"));
        // Line numbers count the lines inside quoted fields.
        let e = read("a,b\n\"1\n2\",3\n4\n").unwrap_err();
        assert_eq!(e.line, 4);
    }

    #[test]
    fn header_problems() {
        assert_eq!(read("").unwrap_err().line, 1);
        assert!(read("\n\n").unwrap_err().message.contains("header"));
        let e = read("a,,c\n1,2,3\n").unwrap_err();
        assert_eq!(e.message, "column 2 has no name in the header row");
        let e = read("a,b,a\n1,2,3\n").unwrap_err();
        assert_eq!(e.column.as_deref(), Some("a"));
        assert!(e.message.contains("columns 1 and 3"));
    }

    #[test]
    fn lenient_turns_bad_cells_into_nulls() {
        let opts = CsvOptions { lenient: true, ..Default::default() };
        let (t, w) = read_csv("a:long\n1\nx\n3\n", &opts).unwrap();
        assert_eq!(t.value(1, 0), Value::Null);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].column.as_deref()), (3, Some("a")));
    }

    /// Every input of these tests, read whole and streamed in blocks of 1 to 9 bytes (so
    /// blocks end inside quoted fields, CRLF pairs, multi-byte characters and the byte order
    /// mark), gives the same table, warnings or error.
    #[test]
    fn streamed_import_matches_the_whole_text_read() {
        let inputs = [
            "a,b\n1,x\n2,y\n",
            "\u{feff}n:long,s\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n",
            "s\nx\n\ny\n\n",
            "s\r\nx\r\n\r\ny\r",
            "t,q\n2026-11-22T12:00:00Z,\"two\nlines\"\n2026-11-22T12:00:01.5Z,é€𝄞\n",
            "\n\nh\n1\n2\n",
            "a,b\n1,2\n3\n",
            "a\n\"never closed\n",
            "a\n\"x\"y\n",
            "n:long\n1\nzz\n",
            "",
            "\n\n",
            "a,a\n",
            "d:dynamic,g:guid\n\"{\"\"a\"\":[1,2]}\",0F8FAD5B-D9CB-469F-A165-70867728950E\nnot json,\n",
            "x,y\n1,2",
        ];
        let show = |r: Result<(Table, Vec<CsvWarning>), CsvError>| match r {
            Ok((t, w)) => format!("{:?}\n{}\n{w:?}", t.fields, write_csv(&t, HeaderStyle::Typed)),
            Err(e) => format!("error {e:?}"),
        };
        for lenient in [false, true] {
            let opts = CsvOptions { lenient, ..Default::default() };
            for text in inputs {
                let whole = show(read_csv(text, &opts));
                for block in 1..10 {
                    let streamed = show(read_csv_blocks(|| Ok::<_, io::Error>(text.as_bytes()), &opts, block));
                    assert_eq!(streamed, whole, "{text:?} in blocks of {block}");
                }
            }
        }
        // Bytes that are not UTF-8 are an error naming where they are.
        let e = read_csv_blocks(|| Ok::<_, io::Error>(&b"a\nok\n\xff\n"[..]), &CsvOptions::default(), 2).unwrap_err();
        assert_eq!(e.message, "the input is not UTF-8 text (byte offset 5); save the file as UTF-8");
        // The byte cap holds without the input's size known in advance.
        let big = "a\n".to_string() + &"x\n".repeat(100);
        let e = read_csv_blocks(|| Ok::<_, io::Error>(big.as_bytes()), &CsvOptions { max_bytes: 50, ..Default::default() }, 16).unwrap_err();
        assert!(e.message.contains("over 50 bytes"), "{e}");
    }

    /// Random texts rich in CSV syntax: the streamed reader, in small blocks, agrees with the
    /// whole-text reader on every one (table, warnings or error).
    #[test]
    fn streamed_import_agrees_on_random_input() {
        let alphabet: Vec<char> = ",\"\n\r a1-:.tTZe{}é\u{feff}0x9".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let show = |r: Result<(Table, Vec<CsvWarning>), CsvError>| match r {
            Ok((t, w)) => format!("{:?}\n{}\n{w:?}", t.fields, write_csv(&t, HeaderStyle::Typed)),
            Err(e) => format!("error {e:?}"),
        };
        for case in 0..1500 {
            let len = (next() % 60) as usize;
            let body: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let text = if case % 3 == 0 { format!("a,b\n{body}") } else { body };
            let opts = CsvOptions { lenient: case % 2 == 0, ..Default::default() };
            let whole = show(read_csv(&text, &opts));
            for block in [1, 2, 3, 5, 8] {
                assert_eq!(show(read_csv_blocks(|| Ok::<_, io::Error>(text.as_bytes()), &opts, block)), whole, "{text:?} in blocks of {block}");
            }
        }
    }

    #[test]
    fn limits() {
        let opts = CsvOptions { max_bytes: 5, ..Default::default() };
        let e = read_csv("a,b\n1,2\n", &opts).unwrap_err();
        assert!(e.message.contains("limit"));
        let opts = CsvOptions { max_rows: 2, ..Default::default() };
        let e = read_csv("a\n1\n2\n3\n", &opts).unwrap_err();
        assert_eq!(e.line, 4);
        let opts = CsvOptions { max_columns: 2, ..Default::default() };
        assert!(read_csv("a,b,c\n", &opts).is_err());
    }

    #[test]
    fn one_column_files_keep_empty_rows() {
        let (t, _) = read("s\nx\n\ny\n\n").unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t.value(1, 0), Value::str(""));
    }

    #[test]
    fn dynamic_and_guid_columns() {
        let (t, _) = read("d:dynamic,g:guid\n\"{\"\"a\"\":[1,2]}\",0F8FAD5B-D9CB-469F-A165-70867728950E\nnot json,\n").unwrap();
        assert_eq!(t.value(0, 0), Value::Dynamic(Dynamic::parse_json(r#"{"a":[1,2]}"#).unwrap()));
        assert_eq!(t.value(1, 0), Value::Dynamic(Dynamic::string("not json")));
        assert_eq!(t.value(1, 1), Value::Null);
        assert!(read("g:guid\nnot-a-guid\n").is_err());
    }

    #[test]
    fn round_trip_every_type() {
        let fields = vec![
            Field::new("b", DataType::Bool),
            Field::new("i", DataType::Int),
            Field::new("l", DataType::Long),
            Field::new("r", DataType::Real),
            Field::new("s", DataType::String),
            Field::new("d", DataType::DateTime),
            Field::new("t", DataType::TimeSpan),
            Field::new("g", DataType::Guid),
            Field::new("y", DataType::Dynamic),
        ];
        let rows = vec![
            vec![
                Value::Bool(true),
                Value::Int(-7),
                Value::Long(i64::MIN),
                Value::Real(0.1),
                Value::str("a, \"quoted\"\nline"),
                Value::DateTime(17_000_000_000_000_001),
                Value::TimeSpan(-15 * 10_000_000 - 5),
                Value::Guid(Arc::from("0f8fad5b-d9cb-469f-a165-70867728950e")),
                Value::Dynamic(Dynamic::parse_json(r#"{"k":[1,"x,y",null,2.5]}"#).unwrap()),
            ],
            vec![
                Value::Null,
                Value::Null,
                Value::Long(i64::MAX),
                Value::Real(f64::INFINITY),
                Value::str(""),
                Value::Null,
                Value::TimeSpan(3 * 864_000_000_000 + 1),
                Value::Null,
                Value::Dynamic(Dynamic::string("")),
            ],
            vec![
                Value::Bool(false),
                Value::Int(i32::MAX),
                Value::Null,
                Value::Real(-1.5e300),
                Value::str("  spaces  "),
                Value::DateTime(-621_355_968_000_000_000),
                Value::Null,
                Value::Null,
                Value::Null,
            ],
        ];
        let table = Table::from_rows(fields, &rows);
        let text = write_csv(&table, HeaderStyle::Typed);
        let (back, w) = read(&text).unwrap();
        assert!(w.is_empty());
        assert_eq!(back.fields, table.fields);
        for r in 0..table.len() {
            assert_eq!(back.row(r), table.row(r), "row {r} of\n{text}");
        }
        let plain = write_csv(&table, HeaderStyle::Plain);
        assert!(plain.starts_with("b,i,l,r,s,d,t,g,y\n"));
    }

    #[test]
    fn single_column_round_trip_keeps_empty_values() {
        let t = Table::from_rows(vec![Field::new("s", DataType::String)], &[vec![Value::str("")], vec![Value::str("x")], vec![Value::str("")]]);
        let (back, _) = read(&write_csv(&t, HeaderStyle::Typed)).unwrap();
        assert_eq!(back.len(), 3);
        let t = Table::from_rows(vec![Field::new("n", DataType::Long)], &[vec![Value::Null], vec![Value::Long(2)]]);
        let (back, _) = read(&write_csv(&t, HeaderStyle::Typed)).unwrap();
        assert_eq!(back.row(0), vec![Value::Null]);
    }

    #[test]
    fn never_panics_on_random_input() {
        // A small deterministic generator (xorshift) over an alphabet rich in CSV syntax.
        let alphabet: Vec<char> = ",\"\n\r a1-:.tTZe{}[]é\u{feff}0x9".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let declared =
            [DataType::Long, DataType::DateTime, DataType::TimeSpan, DataType::Guid, DataType::Dynamic, DataType::Bool, DataType::Int, DataType::Real];
        for case in 0..3000 {
            let len = (next() % 80) as usize;
            let text: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let lenient = case % 2 == 0;
            let _ = read_csv(&text, &CsvOptions { lenient, ..Default::default() });
            let ty = declared[case % declared.len()];
            let typed = format!("c:{ty}\n{text}");
            let _ = read_csv(&typed, &CsvOptions { lenient, ..Default::default() });
        }
        // Random bytes made into text, and hostile numbers for the datetime/timespan parsers.
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..(next() % 60)).map(|_| next() as u8).collect();
            let _ = read(&String::from_utf8_lossy(&bytes));
        }
        for cell in
            ["99999999.23:59:59", "-99999999.00:00:00", "2026-01-01T00:00+99999999999:00", "9999999999999999999999d", "2026-01-01T00:00:00.99999999999999999Z"]
        {
            for ty in ["datetime", "timespan", "string"] {
                let _ = read(&format!("c:{ty}\n{cell}\n"));
            }
            let _ = read(&format!("c\n{cell}\n"));
        }
    }
}
