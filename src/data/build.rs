//! Column-building helpers for the generators: rows carry small integer codes, and columns
//! are assembled from those codes without a per-cell [`Value`](crate::types::Value).

use crate::table::{Codes, CodesBuilder, Column, Field, Prim, StrColumn, StrDict, StrDictBuilder, Table};
use std::sync::Arc;

/// Interns strings up front; rows then store the returned codes.
#[derive(Default)]
pub(crate) struct Dict {
    builder: StrDictBuilder,
}

impl Dict {
    pub fn new() -> Dict {
        Dict::default()
    }

    pub fn code(&mut self, s: &str) -> u32 {
        self.builder.intern(s)
    }

    /// A column from `u32` codes (narrowed to the dictionary's width).
    pub fn column(self, codes: Vec<u32>) -> Column {
        Column::String(StrColumn::new(self.builder.finish(), codes))
    }

    /// Room for `rows` codes, already as narrow as the entries interned so far allow (a
    /// generator that interns every string before its row loop never widens).
    pub fn codes(&self, rows: usize) -> CodesBuilder {
        CodesBuilder::with_capacity(self.builder.len(), rows)
    }

    /// A column from codes built with [`Dict::codes`].
    pub fn column_of(self, codes: CodesBuilder) -> Column {
        Column::String(StrColumn { dict: self.builder.finish(), codes: codes.finish() })
    }
}

/// Strings written end to end, one per row, without deduplication: for identifiers that
/// are (almost) unique per row, where hashing every value would only cost time and memory.
pub(crate) struct Packed {
    bytes: String,
    offsets: Vec<u32>,
}

impl Packed {
    pub fn with_capacity(rows: usize, avg_len: usize) -> Packed {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Packed { bytes: String::with_capacity(rows * avg_len), offsets }
    }

    fn end_row(&mut self) {
        self.offsets.push(self.bytes.len() as u32);
    }

    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.end_row();
    }

    pub fn column(self) -> Column {
        let rows = self.offsets.len() - 1;
        let mut bytes = self.bytes;
        if bytes.capacity() - bytes.len() > bytes.len() / 16 {
            bytes.shrink_to_fit();
        }
        let dict = StrDict::from_packed(bytes, fit(self.offsets)).expect("offsets are written in order on char boundaries");
        Column::String(StrColumn { dict: Arc::new(dict), codes: Codes::identity(rows) })
    }
}

/// A `string` column of GUIDs (or empty strings) built straight into its 16-byte number form
/// (`table::guids`): no text is written or parsed, and the rows never take the 40-odd bytes
/// each that text and offsets would. [`Guids::column`] keeps the form the text would have been
/// compacted into (`compact` decides the same way), so the stored columns do not change.
pub(crate) struct Guids {
    values: Vec<u128>,
    nonzero: usize,
}

impl Guids {
    pub fn with_capacity(rows: usize) -> Guids {
        Guids { values: Vec::with_capacity(rows), nonzero: 0 }
    }

    /// The GUID [`push_guid`](super::rng::push_guid) writes for `hash`.
    #[inline]
    pub fn push(&mut self, hash: u64) {
        self.values.push(super::rng::guid_value(hash));
        self.nonzero += 1;
    }

    /// An empty string.
    #[inline]
    pub fn push_empty(&mut self) {
        self.values.push(0);
    }

    pub fn column(self) -> Column {
        let n = self.values.len();
        let g = crate::table::GuidColumn { values: fit(self.values) };
        // The text form's size: 36 bytes per GUID, a 4-byte offset and a code per row (what
        // `table::guids::encode` compares with 16 bytes a row).
        let text = self.nonzero * crate::table::guids::GUID_TEXT_LEN + (n + 1) * 4 + n * Codes::width_for(n);
        if n == 0 || self.nonzero == 0 || text <= n * std::mem::size_of::<u128>() {
            Column::String(g.to_str_column())
        } else {
            Column::GuidText(g)
        }
    }
}

/// A string column holding one value on every row.
pub(crate) fn constant(s: &str, rows: usize) -> Column {
    let mut d = Dict::new();
    let c = d.code(s);
    Column::String(StrColumn { codes: Codes::repeat(c, rows, 1), dict: d.builder.finish() })
}

/// Gives back a vector's spare room when it is more than a sixteenth of its length: builders
/// reserve for the most rows a table can have, and a stored column keeps its allocation for
/// good (in the browser, wasm memory that is never returned).
pub(crate) fn fit<T>(mut v: Vec<T>) -> Vec<T> {
    if v.capacity() - v.len() > v.len() / 16 {
        v.shrink_to_fit();
    }
    v
}

pub(crate) fn datetimes(v: Vec<i64>) -> Column {
    Column::DateTime(Prim::new(fit(v)))
}

pub(crate) fn bools(v: Vec<bool>) -> Column {
    Column::Bool(Prim::new(fit(v)))
}

pub(crate) fn ints(v: Vec<i32>) -> Column {
    Column::Int(Prim::new(fit(v)))
}

pub(crate) fn longs(v: Vec<i64>) -> Column {
    Column::Long(Prim::new(fit(v)))
}

/// A table from named columns, checked against the expected schema (a programming error if
/// they disagree).
pub(crate) fn table(schema: &[Field], columns: Vec<(&str, Column)>) -> Table {
    assert_eq!(schema.len(), columns.len(), "generator and schema disagree on the column count");
    let mut cols = Vec::with_capacity(columns.len());
    for (f, (name, c)) in schema.iter().zip(columns) {
        assert_eq!(f.name, name, "generator and schema disagree on column order");
        cols.push(Arc::new(c));
    }
    compact(Table::new(schema.to_vec(), cols))
}

/// A generated table in less memory, with the same values and types: its GUID-only string
/// columns (`ReportId`, `NetworkMessageId`, …) stored as 16-byte numbers instead of dictionary
/// text (`table::guids`), and `TimeGenerated` sharing `Timestamp`'s column when they are equal
/// (as they are in every generated table that has both).
pub(crate) fn compact(t: Table) -> Table {
    let mut t = crate::table::guids::encode_guid_columns(t);
    if let (Some(ts), Some(tg)) = (t.column_index("Timestamp"), t.column_index("TimeGenerated")) {
        if let (Column::DateTime(a), Column::DateTime(b)) = (&*t.columns[ts], &*t.columns[tg]) {
            if a == b {
                t.columns[tg] = t.columns[ts].clone();
            }
        }
    }
    t
}
