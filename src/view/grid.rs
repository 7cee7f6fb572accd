//! The results grid's logic: cell text, sorting by a clicked column, CSV/TSV text for copy and
//! export, column widths, and the arithmetic of a virtualised (windowed) list of rows.

use crate::table::{Column, Prim, Table};
use crate::types::{time, DataType, Dynamic, Value};
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::ops::Range;

/// The text of a value in a grid cell: datetimes in ISO 8601 with `Z`, timespans as
/// `[d.]hh:mm:ss[.fffffff]`, reals in the shortest form that reads back exactly, dynamic
/// values as compact JSON, and null as an empty cell.
pub fn format_value(v: &Value) -> String {
    match v {
        Value::Null | Value::Dynamic(Dynamic::Null) => String::new(),
        Value::Dynamic(d) => d.to_json(),
        other => other.to_display(),
    }
}

/// The text of one cell, without building a [`Value`] for strings or datetimes.
pub fn format_cell(column: &Column, row: usize) -> String {
    let mut out = String::new();
    write_cell(&mut out, column, row);
    out
}

/// Appends the text of one cell (as [`format_cell`] gives it) to `out`.
pub fn write_cell(out: &mut String, column: &Column, row: usize) {
    match column {
        Column::String(s) | Column::Guid(s) => out.push_str(s.get(row)),
        Column::DateTime(p) => {
            if let Some(t) = p.get(row) {
                push_datetime(out, t)
            }
        }
        Column::Long(p) => {
            if let Some(v) = p.get(row) {
                let _ = write!(out, "{v}");
            }
        }
        Column::Int(p) => {
            if let Some(v) = p.get(row) {
                let _ = write!(out, "{v}");
            }
        }
        Column::Bool(p) => {
            if let Some(v) = p.get(row) {
                out.push_str(if v { "true" } else { "false" });
            }
        }
        Column::TimeSpan(p) => {
            if let Some(t) = p.get(row) {
                out.push_str(&time::format_timespan(t));
            }
        }
        other => out.push_str(&format_value(&other.value(row))),
    }
}

fn push_digits(out: &mut String, v: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = buf.len().saturating_sub(width).min(i);
    out.push_str(std::str::from_utf8(&buf[start..]).expect("ASCII digits"));
}

/// Appends a datetime exactly as [`time::format_datetime`] writes it, without going through
/// calendar types: grids and exports format hundreds of thousands of them.
pub fn push_datetime(out: &mut String, ticks: i64) {
    if !(time::MIN_DATETIME..=time::MAX_DATETIME).contains(&ticks) {
        out.push_str(&time::format_datetime(ticks));
        return;
    }
    let days = ticks.div_euclid(time::TICKS_PER_DAY);
    let rem = ticks.rem_euclid(time::TICKS_PER_DAY);
    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let secs = rem / time::TICKS_PER_SECOND;
    let frac = rem % time::TICKS_PER_SECOND;
    push_digits(out, year as u32, 4);
    out.push('-');
    push_digits(out, month as u32, 2);
    out.push('-');
    push_digits(out, day as u32, 2);
    out.push('T');
    push_digits(out, (secs / 3600) as u32, 2);
    out.push(':');
    push_digits(out, (secs / 60 % 60) as u32, 2);
    out.push(':');
    push_digits(out, (secs % 60) as u32, 2);
    if frac != 0 {
        out.push('.');
        push_digits(out, frac as u32, 7);
    }
    out.push('Z');
}

/// Whether a type's cells are right-aligned (numbers and durations).
pub fn is_right_aligned(ty: DataType) -> bool {
    matches!(ty, DataType::Int | DataType::Long | DataType::Real | DataType::TimeSpan)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }

    /// The value of `aria-sort` for a header sorted this way.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Asc => "ascending",
            SortDir::Desc => "descending",
        }
    }
}

/// The sort state after a header click: a new column sorts ascending, the same column flips.
pub fn next_sort(current: Option<(usize, SortDir)>, clicked: usize) -> (usize, SortDir) {
    match current {
        Some((c, dir)) if c == clicked => (c, dir.flip()),
        _ => (clicked, SortDir::Asc),
    }
}

fn sort_by_key<K>(n: usize, dir: SortDir, key: impl Fn(usize) -> Option<K>, cmp: impl Fn(&K, &K) -> Ordering) -> Vec<u32> {
    let keys: Vec<Option<K>> = (0..n).map(&key).collect();
    crate::util::sort::order(n, &mut |a, b| match (&keys[a], &keys[b]) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => match dir {
            SortDir::Asc => cmp(x, y),
            SortDir::Desc => cmp(y, x),
        },
    })
}

fn sort_prim<T: Copy + Default>(p: &Prim<T>, dir: SortDir, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u32> {
    sort_by_key(p.len(), dir, |i| p.get(i), cmp)
}

/// The row order for sorting by one column: stable (equal keys keep their order), nulls last
/// in both directions. Strings compare by code point (ordinal, case-sensitive); an empty guid
/// counts as null.
pub fn sort_order(table: &Table, column: usize, dir: SortDir) -> Vec<u32> {
    let n = table.len();
    match &*table.columns[column] {
        Column::Bool(p) => sort_prim(p, dir, Ord::cmp),
        Column::Int(p) => sort_prim(p, dir, Ord::cmp),
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => sort_prim(p, dir, Ord::cmp),
        Column::Real(p) => sort_prim(p, dir, f64::total_cmp),
        Column::String(s) | Column::Guid(s) => {
            // Rank dictionary entries once; rows then compare by rank.
            let rank = s.dict.ranks();
            let guid = matches!(&*table.columns[column], Column::Guid(_));
            sort_by_key(
                n,
                dir,
                |i| {
                    let code = s.codes.get(i);
                    if guid && s.dict.get(code).is_empty() {
                        None
                    } else {
                        Some(rank[code as usize])
                    }
                },
                Ord::cmp,
            )
        }
        Column::GuidText(g) => {
            let rank = g.ranks();
            sort_by_key(n, dir, |i| Some(rank[i]), Ord::cmp)
        }
        Column::Dynamic(d) => sort_by_key(n, dir, |i| (!d[i].is_null()).then(|| Value::Dynamic(d[i].clone())), |a, b| a.cmp_sort(b)),
    }
}

/// Separator of exported text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// RFC 4180 CSV.
    Comma,
    /// Tab-separated, as spreadsheets paste it; fields with tabs, newlines or quotes are
    /// quoted the CSV way, which Excel and Google Sheets both read.
    Tab,
}

fn push_field(out: &mut String, field: &str, delim: Delimiter) {
    let sep = match delim {
        Delimiter::Comma => b',',
        Delimiter::Tab => b'\t',
    };
    let needs_quotes = field.bytes().any(|b| b == sep || b == b'"' || b == b'\n' || b == b'\r')
        || (delim == Delimiter::Comma && (field.starts_with(' ') || field.ends_with(' ')));
    if needs_quotes {
        out.push('"');
        for (i, part) in field.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// How one column is written: strings once per dictionary entry, datetimes and numbers
/// directly (they never need quotes), the rest through a scratch buffer.
enum CellWriter<'a> {
    Dict(&'a crate::table::Codes, Vec<String>),
    Plain(&'a Column),
    Quoted(&'a Column),
}

/// The table as CSV or TSV text: a header row of column names, then the rows in `order` (all
/// rows in table order when `None`). Lines end with CRLF for CSV (RFC 4180) and LF for TSV.
/// Cells are written as the grid shows them ([`format_cell`]).
pub fn to_delimited(table: &Table, order: Option<&[u32]>, delim: Delimiter) -> String {
    let sep = match delim {
        Delimiter::Comma => ",",
        Delimiter::Tab => "\t",
    };
    let eol = match delim {
        Delimiter::Comma => "\r\n",
        Delimiter::Tab => "\n",
    };
    let mut out = String::new();
    for (i, f) in table.fields.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        push_field(&mut out, &f.name, delim);
    }
    out.push_str(eol);
    let writers: Vec<CellWriter> = table
        .columns
        .iter()
        .map(|c| match &**c {
            Column::String(s) | Column::Guid(s) => {
                let cells = s
                    .dict
                    .iter()
                    .map(|text| {
                        let mut f = String::with_capacity(text.len());
                        push_field(&mut f, text, delim);
                        f
                    })
                    .collect();
                CellWriter::Dict(&s.codes, cells)
            }
            Column::DateTime(_) | Column::Long(_) | Column::Int(_) | Column::Bool(_) | Column::Real(_) => CellWriter::Plain(c),
            _ => CellWriter::Quoted(c),
        })
        .collect();
    let rows = order.map_or(table.len(), <[u32]>::len);
    out.reserve(rows * (writers.len() * 12 + 2));
    let mut scratch = String::new();
    let mut write_row = |row: usize| {
        for (i, w) in writers.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            match w {
                CellWriter::Dict(codes, cells) => out.push_str(&cells[codes.get(row) as usize]),
                CellWriter::Plain(c) => write_cell(&mut out, c, row),
                CellWriter::Quoted(c) => {
                    scratch.clear();
                    write_cell(&mut scratch, c, row);
                    push_field(&mut out, &scratch, delim);
                }
            }
        }
        out.push_str(eol);
    };
    match order {
        Some(rows) => rows.iter().for_each(|&r| write_row(r as usize)),
        None => (0..table.len()).for_each(&mut write_row),
    }
    out
}

/// Column widths in pixels, estimated from the header (name and type) and the text of the
/// first `sample` rows, for a monospace cell font of `char_px` pixels per character.
pub fn column_widths(table: &Table, sample: usize, char_px: f64) -> Vec<u32> {
    const MIN: f64 = 72.0;
    const MAX: f64 = 420.0;
    const PADDING: f64 = 28.0;
    let rows = table.len().min(sample);
    table
        .fields
        .iter()
        .zip(&table.columns)
        .map(|(f, c)| {
            let header = f.name.chars().count().max(f.ty.name().len()) as f64 + 2.0;
            let widest = (0..rows).map(|r| format_cell(c, r).chars().count()).max().unwrap_or(0) as f64;
            ((header.max(widest) * char_px + PADDING).clamp(MIN, MAX)).round() as u32
        })
        .collect()
}

/// The geometry of a windowed list of rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Height of one row in pixels.
    pub row_height: f64,
    /// Height of the visible area in pixels.
    pub height: f64,
    /// Extra rows rendered above and below the visible ones, so fast scrolling shows no gaps.
    pub overscan: usize,
}

/// Tallest scrollable content the grid creates. Browsers cap element heights (about 33.5 M
/// pixels in Chromium, less in Firefox); past this height the scroll position is mapped onto
/// rows proportionally instead of one pixel per pixel.
pub const MAX_CONTENT_PX: f64 = 8_000_000.0;

/// Which rows to render for a scroll position, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Rows to put in the DOM.
    pub rows: Range<usize>,
    /// Distance from the top of the scrollable content to the top of `rows.start`.
    pub offset_px: f64,
    /// Height of the scrollable content.
    pub content_px: f64,
}

/// Computes the rows visible at `scroll_top` (plus overscan) for `total` rows.
pub fn visible_window(total: usize, scroll_top: f64, vp: &Viewport) -> Window {
    let rh = if vp.row_height > 0.0 { vp.row_height } else { 1.0 };
    let height = vp.height.max(0.0);
    let natural = total as f64 * rh;
    let content_px = natural.min(MAX_CONTENT_PX);
    if total == 0 {
        return Window { rows: 0..0, offset_px: 0.0, content_px: 0.0 };
    }
    let max_scroll = (content_px - height).max(0.0);
    let scroll_top = if scroll_top.is_finite() { scroll_top.clamp(0.0, max_scroll) } else { 0.0 };
    let visible = (height / rh).ceil() as usize;
    // Fractional index of the row at the top edge of the viewport.
    let first_f = if natural <= MAX_CONTENT_PX || max_scroll == 0.0 {
        scroll_top / rh
    } else {
        let max_first = total.saturating_sub(visible) as f64;
        (scroll_top / max_scroll) * max_first
    };
    let top = (first_f.floor() as usize).min(total.saturating_sub(1));
    let start = top.saturating_sub(vp.overscan);
    let end = (top + visible + 1 + vp.overscan).min(total);
    let offset_px = scroll_top + (start as f64 - first_f) * rh;
    Window { rows: start..end, offset_px, content_px }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Field;
    use crate::types::Dynamic;
    use std::sync::Arc;

    fn sample() -> Table {
        let fields = vec![
            Field::new("Name", DataType::String),
            Field::new("Count", DataType::Long),
            Field::new("When", DataType::DateTime),
            Field::new("Score", DataType::Real),
        ];
        let t0 = time::parse_datetime("2026-11-22T15:00:00Z").unwrap();
        let rows = vec![
            vec![Value::str("b"), Value::Long(2), Value::DateTime(t0), Value::Real(0.5)],
            vec![Value::str("a"), Value::Null, Value::DateTime(t0 + time::TICKS_PER_HOUR), Value::Real(0.1 + 0.2)],
            vec![Value::str("c"), Value::Long(2), Value::Null, Value::Null],
            vec![Value::str("a"), Value::Long(-7), Value::DateTime(t0 - 5), Value::Real(f64::NAN)],
        ];
        Table::from_rows(fields, &rows)
    }

    #[test]
    fn formats_cells() {
        let t = sample();
        assert_eq!(format_cell(&t.columns[2], 0), "2026-11-22T15:00:00Z");
        assert_eq!(format_cell(&t.columns[2], 3), "2026-11-22T14:59:59.9999995Z");
        assert_eq!(format_cell(&t.columns[1], 1), "");
        assert_eq!(format_cell(&t.columns[3], 1), "0.30000000000000004");
        assert_eq!(format_cell(&t.columns[3], 2), "");
        assert_eq!(format_value(&Value::TimeSpan(90 * time::TICKS_PER_MINUTE)), "01:30:00");
        assert_eq!(format_value(&Value::TimeSpan(-(time::TICKS_PER_DAY + 1))), "-1.00:00:00.0000001");
        let d = Dynamic::parse_json(r#"{"a":[1,"x"],"b":null}"#).unwrap();
        assert_eq!(format_value(&Value::Dynamic(d)), r#"{"a":[1,"x"],"b":null}"#);
        assert_eq!(format_value(&Value::Dynamic(Dynamic::string("s"))), "\"s\"");
        assert_eq!(format_value(&Value::Dynamic(Dynamic::Null)), "");
        assert_eq!(format_value(&Value::Bool(true)), "true");
        assert!(is_right_aligned(DataType::Real) && !is_right_aligned(DataType::String));
    }

    #[test]
    fn fast_datetimes_match_the_reference_formatter() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut samples = vec![0, -1, 1, time::MIN_DATETIME, time::MAX_DATETIME, time::MIN_DATETIME - 1, time::MAX_DATETIME + 1];
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let span = (time::MAX_DATETIME - time::MIN_DATETIME) as u64;
            samples.push(time::MIN_DATETIME + (state % span) as i64);
            // Whole seconds and dates around 1970 and leap days are common in data.
            samples.push((state % 4_000_000_000) as i64 * time::TICKS_PER_SECOND - 2_000_000_000 * time::TICKS_PER_SECOND);
        }
        samples.push(time::parse_datetime("2024-02-29T23:59:59.9999999Z").unwrap());
        samples.push(time::parse_datetime("2000-03-01T00:00:00.1Z").unwrap());
        for t in samples {
            let mut fast = String::new();
            push_datetime(&mut fast, t);
            assert_eq!(fast, time::format_datetime(t), "ticks {t}");
        }
    }

    #[test]
    fn sorts_stably_with_nulls_last() {
        let t = sample();
        assert_eq!(sort_order(&t, 0, SortDir::Asc), vec![1, 3, 0, 2]);
        assert_eq!(sort_order(&t, 0, SortDir::Desc), vec![2, 0, 1, 3]);
        // Ties (the two 2s) keep table order in both directions; the null stays last.
        assert_eq!(sort_order(&t, 1, SortDir::Asc), vec![3, 0, 2, 1]);
        assert_eq!(sort_order(&t, 1, SortDir::Desc), vec![0, 2, 3, 1]);
        assert_eq!(sort_order(&t, 2, SortDir::Asc), vec![3, 0, 1, 2]);
        assert_eq!(sort_order(&t, 3, SortDir::Asc), vec![1, 0, 3, 2]);
        assert_eq!(next_sort(None, 2), (2, SortDir::Asc));
        assert_eq!(next_sort(Some((2, SortDir::Asc)), 2), (2, SortDir::Desc));
        assert_eq!(next_sort(Some((2, SortDir::Desc)), 1), (1, SortDir::Asc));
    }

    #[test]
    fn sorts_guids_and_dynamics() {
        let t = Table::from_rows(
            vec![Field::new("g", DataType::Guid), Field::new("d", DataType::Dynamic)],
            &[
                vec![Value::Null, Value::Dynamic(Dynamic::Long(3))],
                vec![Value::Guid(Arc::from("b")), Value::Null],
                vec![Value::Guid(Arc::from("a")), Value::Dynamic(Dynamic::Long(1))],
            ],
        );
        assert_eq!(sort_order(&t, 0, SortDir::Asc), vec![2, 1, 0]);
        assert_eq!(sort_order(&t, 0, SortDir::Desc), vec![1, 2, 0]);
        assert_eq!(sort_order(&t, 1, SortDir::Desc), vec![0, 2, 1]);
    }

    #[test]
    fn writes_csv_and_tsv() {
        let t = Table::from_rows(
            vec![Field::new("a,b", DataType::String), Field::new("n", DataType::Long)],
            &[
                vec![Value::str("say \"hi\""), Value::Long(1)],
                vec![Value::str("two\nlines"), Value::Null],
                vec![Value::str(" pad"), Value::Long(3)],
                vec![Value::str("tab\there"), Value::Long(4)],
            ],
        );
        assert_eq!(to_delimited(&t, None, Delimiter::Comma), "\"a,b\",n\r\n\"say \"\"hi\"\"\",1\r\n\"two\nlines\",\r\n\" pad\",3\r\ntab\there,4\r\n");
        assert_eq!(to_delimited(&t, Some(&[3, 0]), Delimiter::Tab), "a,b\tn\n\"tab\there\"\t4\n\"say \"\"hi\"\"\"\t1\n");
        let empty = Table::empty(vec![Field::new("x", DataType::Long)]);
        assert_eq!(to_delimited(&empty, None, Delimiter::Comma), "x\r\n");
    }

    #[test]
    fn widths_follow_content() {
        let t = sample();
        let w = column_widths(&t, 100, 8.0);
        assert_eq!(w.len(), 4);
        // "When" holds 28-character datetimes: 28 * 8 + 28 = 252.
        assert_eq!(w[2], 252);
        assert!(w.iter().all(|&x| (72..=420).contains(&x)));
    }

    #[test]
    fn window_at_top_middle_and_bottom() {
        let vp = Viewport { row_height: 20.0, height: 200.0, overscan: 5 };
        let w = visible_window(100_000, 0.0, &vp);
        assert_eq!(w.rows, 0..16);
        assert_eq!(w.offset_px, 0.0);
        assert_eq!(w.content_px, 2_000_000.0);
        let w = visible_window(100_000, 10_010.0, &vp);
        // Row 500 is partly hidden at the top; rows 495..516 are rendered.
        assert_eq!(w.rows, 495..516);
        assert_eq!(w.offset_px, 9_900.0);
        let w = visible_window(100_000, 1e12, &vp);
        assert_eq!(w.rows.end, 100_000);
        assert!(w.rows.len() <= 10 + 1 + 10);
        // Few rows: all of them.
        assert_eq!(visible_window(3, 0.0, &vp).rows, 0..3);
        assert_eq!(visible_window(0, 50.0, &vp).rows, 0..0);
        // Garbage in, sane out.
        assert_eq!(visible_window(10, f64::NAN, &vp).rows, 0..10);
        let bad = Viewport { row_height: 0.0, height: -5.0, overscan: 0 };
        assert_eq!(visible_window(10, 3.0, &bad).rows, 3..4);
    }

    #[test]
    fn huge_tables_map_scroll_proportionally() {
        let vp = Viewport { row_height: 24.0, height: 480.0, overscan: 2 };
        let total = 10_000_000;
        let w = visible_window(total, 0.0, &vp);
        assert_eq!(w.content_px, MAX_CONTENT_PX);
        assert_eq!(w.rows.start, 0);
        let bottom = MAX_CONTENT_PX - 480.0;
        let w = visible_window(total, bottom, &vp);
        assert_eq!(w.rows.end, total);
        // The last row ends exactly at the bottom of the viewport.
        let last_bottom = w.offset_px + (w.rows.len() as f64) * 24.0;
        assert!((last_bottom - MAX_CONTENT_PX).abs() < 1e-6, "{last_bottom}");
        // Halfway down the scrollbar is halfway through the rows.
        let w = visible_window(total, bottom / 2.0, &vp);
        let middle = (w.rows.start + w.rows.end) / 2;
        assert!((middle as f64 - total as f64 / 2.0).abs() < 50.0, "{middle}");
    }
}
