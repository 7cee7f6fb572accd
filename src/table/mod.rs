//! Columnar in-memory tables: typed columns with null masks, dictionary-encoded strings,
//! tables, and the catalog of named tables a query runs against.
//!
//! Architecture invariant: nothing here knows about queries; the executor, the data
//! generators, CSV import and the lesson checker all build and read tables through this API.

mod column;
mod csv;
pub mod format;
pub mod guids;
mod hash;
mod strings;

pub use column::{Column, ColumnBuilder, Prim};
pub use csv::{read_csv, read_csv_from, write_csv, write_csv_to, CsvError, CsvOptions, CsvWarning, HeaderStyle};
pub use guids::GuidColumn;
pub use hash::{hasher, FxBuildHasher, FxHashMap, FxHashSet, FxHasher};
pub(crate) use strings::with_codes;
pub use strings::{Code, Codes, CodesBuilder, CodesIter, StrColumn, StrDict, StrDictBuilder};

use crate::types::{DataType, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A column's name and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: DataType,
}

impl Field {
    pub fn new(name: impl Into<String>, ty: DataType) -> Field {
        Field { name: name.into(), ty }
    }
}

/// A table: fields and equally long columns. Columns are shared (`Arc`), so projecting,
/// renaming or reordering never copies data.
#[derive(Clone, Debug)]
pub struct Table {
    pub fields: Vec<Field>,
    pub columns: Vec<Arc<Column>>,
    len: usize,
}

impl Table {
    /// Builds a table; panics if the columns disagree with the fields (a programming error).
    pub fn new(fields: Vec<Field>, columns: Vec<Arc<Column>>) -> Table {
        assert_eq!(fields.len(), columns.len(), "fields and columns differ in number");
        let len = columns.first().map(|c| c.len()).unwrap_or(0);
        for (f, c) in fields.iter().zip(&columns) {
            assert_eq!(c.len(), len, "column {} has a different length", f.name);
            assert_eq!(c.data_type(), f.ty, "column {} has a different type", f.name);
        }
        Table { fields, columns, len }
    }

    /// A table with the given fields and `len` rows but no columns materialised is not
    /// representable; an empty schema still needs a row count (e.g. `range` then
    /// `project-away` everything), which this constructor keeps.
    pub fn with_len(fields: Vec<Field>, columns: Vec<Arc<Column>>, len: usize) -> Table {
        let mut t = Table::new(fields, columns);
        if t.columns.is_empty() {
            t.len = len;
        }
        t
    }

    /// A table some of whose columns are placeholders ([`Column::placeholder`]: no rows)
    /// standing for columns nobody reads; the others have `len` rows. Only the executor builds
    /// such tables, for its own operators (column pruning); query results never contain them.
    /// `take` and `head` keep placeholders as they are.
    pub fn with_placeholders(fields: Vec<Field>, columns: Vec<Arc<Column>>, len: usize) -> Table {
        assert_eq!(fields.len(), columns.len(), "fields and columns differ in number");
        for (f, c) in fields.iter().zip(&columns) {
            assert!(c.len() == len || c.is_empty(), "column {} has a different length", f.name);
            assert_eq!(c.data_type(), f.ty, "column {} has a different type", f.name);
        }
        Table { fields, columns, len }
    }

    /// The columns that hold rows (all but the placeholders): what an operator's output
    /// really holds, and what the executor's cell limit counts.
    pub fn materialised_columns(&self) -> usize {
        (0..self.columns.len()).filter(|&i| !self.is_placeholder(i)).count()
    }

    /// Whether column `i` is a placeholder (see [`Table::with_placeholders`]).
    pub fn is_placeholder(&self, i: usize) -> bool {
        self.len > 0 && self.columns[i].is_empty()
    }

    pub fn empty(fields: Vec<Field>) -> Table {
        let columns = fields.iter().map(|f| Arc::new(Column::empty(f.ty))).collect();
        Table { fields, columns, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.column_index(name).map(|i| &*self.columns[i])
    }

    pub fn value(&self, row: usize, col: usize) -> Value {
        self.columns[col].value(row)
    }

    pub fn row(&self, row: usize) -> Vec<Value> {
        self.columns.iter().map(|c| c.value(row)).collect()
    }

    /// Keeps the rows at `indices`, in that order.
    pub fn take(&self, indices: &[u32]) -> Table {
        Table {
            fields: self.fields.clone(),
            columns: self.columns.iter().enumerate().map(|(i, c)| if self.is_placeholder(i) { c.clone() } else { Arc::new(c.take(indices)) }).collect(),
            len: indices.len(),
        }
    }

    /// The first `n` rows.
    pub fn head(&self, n: usize) -> Table {
        if n >= self.len {
            return self.clone();
        }
        Table {
            fields: self.fields.clone(),
            columns: self.columns.iter().enumerate().map(|(i, c)| if self.is_placeholder(i) { c.clone() } else { Arc::new(c.slice(0, n)) }).collect(),
            len: n,
        }
    }

    /// Builds a table row by row from values (tests, `datatable`, CSV); values that do not
    /// match a field's type are converted when possible, else null.
    pub fn from_rows(fields: Vec<Field>, rows: &[Vec<Value>]) -> Table {
        let mut builders: Vec<ColumnBuilder> = fields.iter().map(|f| ColumnBuilder::new(f.ty, rows.len())).collect();
        for row in rows {
            for (b, v) in builders.iter_mut().zip(row) {
                b.push(v);
            }
        }
        let columns = builders.into_iter().map(|b| Arc::new(b.finish())).collect();
        let mut t = Table::new(fields, columns);
        t.len = rows.len();
        t
    }

    /// Bytes held by the table's columns (dictionaries counted once per column, and a column
    /// that two fields share, such as `TimeGenerated` and `Timestamp`, once).
    pub fn heap_bytes(&self) -> usize {
        let mut seen: Vec<*const Column> = Vec::with_capacity(self.columns.len());
        let mut total = 0;
        for c in &self.columns {
            let p = Arc::as_ptr(c);
            if !seen.contains(&p) {
                seen.push(p);
                total += c.heap_bytes();
            }
        }
        total
    }
}

/// Documentation of a table for the schema pane and completion.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TableDoc {
    pub description: String,
    /// One description per column, in column order.
    pub columns: Vec<String>,
}

/// Makes a table on first use (see [`Catalog::insert_lazy`]).
pub type Generator = Arc<dyn Fn() -> Table + Send + Sync>;

/// A table that is generated the first time someone reads its rows.
struct Lazy {
    fields: Vec<Field>,
    cell: std::sync::OnceLock<Arc<Table>>,
    make: Generator,
}

/// A catalog slot: a table, or the recipe for one.
#[derive(Clone)]
enum Slot {
    Ready(Arc<Table>),
    /// Shared, so clones of a catalog generate the table once between them.
    Lazy(Arc<Lazy>),
}

impl Slot {
    fn fields(&self) -> &[Field] {
        match self {
            Slot::Ready(t) => &t.fields,
            Slot::Lazy(l) => &l.fields,
        }
    }

    fn table(&self) -> &Arc<Table> {
        match self {
            Slot::Ready(t) => t,
            Slot::Lazy(l) => l.cell.get_or_init(|| {
                let t = (l.make)();
                assert_eq!(t.fields, l.fields, "a lazily generated table has the schema it announced");
                Arc::new(t)
            }),
        }
    }

    fn generated(&self) -> Option<&Arc<Table>> {
        match self {
            Slot::Ready(t) => Some(t),
            Slot::Lazy(l) => l.cell.get(),
        }
    }
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Ready(t) => write!(f, "Ready({} rows)", t.len()),
            Slot::Lazy(l) => write!(f, "Lazy({} columns, generated: {})", l.fields.len(), l.cell.get().is_some()),
        }
    }
}

/// What [`Catalog::entries`] lists: a table's name, columns and documentation, and its row
/// count if its rows exist yet.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub name: &'a str,
    pub fields: &'a [Field],
    /// `None` for a lazily generated table nobody has read yet.
    pub rows: Option<usize>,
    pub doc: &'a TableDoc,
}

/// The named tables a query can read. Names are case-sensitive, as in Kusto.
///
/// A table is either stored ([`Catalog::insert`]) or generated on first use
/// ([`Catalog::insert_lazy`]): its columns are known up front, and its rows are made the first
/// time [`Catalog::get`] (or [`Catalog::iter`]) asks for them. Listing names, schemas and
/// documentation ([`Catalog::names`], [`Catalog::schema`], [`Catalog::entries`]) never
/// generates anything.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    tables: BTreeMap<String, (Slot, TableDoc)>,
    /// Files a lesson bundles for `externaldata` (by URL, raw text) and Sentinel watchlists
    /// (by name); queries reach them only through those forms, so they are never listed.
    externals: BTreeMap<String, Arc<str>>,
    watchlists: BTreeMap<String, Arc<Table>>,
}

impl Catalog {
    pub fn new() -> Catalog {
        Catalog::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, table: Table, doc: TableDoc) {
        self.tables.insert(name.into(), (Slot::Ready(Arc::new(table)), doc));
    }

    pub fn insert_shared(&mut self, name: impl Into<String>, table: Arc<Table>, doc: TableDoc) {
        self.tables.insert(name.into(), (Slot::Ready(table), doc));
    }

    /// Adds a table that `make` generates the first time its rows are needed. `make` must
    /// return a table with exactly `fields` (checked when it runs).
    pub fn insert_lazy(&mut self, name: impl Into<String>, fields: Vec<Field>, doc: TableDoc, make: Generator) {
        let lazy = Lazy { fields, cell: std::sync::OnceLock::new(), make };
        self.tables.insert(name.into(), (Slot::Lazy(Arc::new(lazy)), doc));
    }

    /// Serves `text` as the file at `url` to `externaldata` (nothing is ever downloaded).
    pub fn insert_external(&mut self, url: impl Into<String>, text: &str) {
        self.externals.insert(url.into(), Arc::from(text));
    }

    pub fn external(&self, url: &str) -> Option<&Arc<str>> {
        self.externals.get(url)
    }

    pub fn external_urls(&self) -> impl Iterator<Item = &str> {
        self.externals.keys().map(|s| s.as_str())
    }

    /// Serves `table` to `_GetWatchlist(name)`.
    pub fn insert_watchlist(&mut self, name: impl Into<String>, table: Table) {
        self.watchlists.insert(name.into(), Arc::new(table));
    }

    pub fn watchlist(&self, name: &str) -> Option<&Arc<Table>> {
        self.watchlists.get(name)
    }

    pub fn watchlist_names(&self) -> impl Iterator<Item = &str> {
        self.watchlists.keys().map(|s| s.as_str())
    }

    /// The table's rows, generating them first if the table is lazy and nobody asked before.
    pub fn get(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.get(name).map(|(t, _)| t.table())
    }

    /// Whether a table of this name exists (generates nothing).
    pub fn contains(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }

    /// The columns of a table (generates nothing).
    pub fn schema(&self, name: &str) -> Option<&[Field]> {
        self.tables.get(name).map(|(t, _)| t.fields())
    }

    /// Whether a table's rows exist: true for stored tables and for lazy ones already read.
    pub fn is_generated(&self, name: &str) -> bool {
        self.tables.get(name).is_some_and(|(t, _)| t.generated().is_some())
    }

    pub fn doc(&self, name: &str) -> Option<&TableDoc> {
        self.tables.get(name).map(|(_, d)| d)
    }

    pub fn remove(&mut self, name: &str) -> bool {
        self.tables.remove(name).is_some()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(|s| s.as_str())
    }

    /// Every table with its rows; lazy tables are generated here. To list tables without
    /// generating them, use [`Catalog::entries`].
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arc<Table>, &TableDoc)> {
        self.tables.iter().map(|(n, (t, d))| (n.as_str(), t.table(), d))
    }

    /// Every table's name, columns, documentation and (if generated) row count, without
    /// generating anything: for schema panes and completion.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.tables.iter().map(|(n, (t, d))| Entry { name: n.as_str(), fields: t.fields(), rows: t.generated().map(|t| t.len()), doc: d })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn lazy_catalog(calls: Arc<AtomicUsize>) -> Catalog {
        let fields = vec![Field::new("x", DataType::Long)];
        let mut c = Catalog::new();
        let f = fields.clone();
        c.insert_lazy(
            "T",
            fields,
            TableDoc::default(),
            Arc::new(move || {
                calls.fetch_add(1, Ordering::SeqCst);
                Table::from_rows(f.clone(), &[vec![Value::Long(1)], vec![Value::Long(2)]])
            }),
        );
        c
    }

    #[test]
    fn a_lazy_table_is_generated_once_on_first_read() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = lazy_catalog(calls.clone());
        assert!(c.contains("T") && !c.is_generated("T"));
        assert_eq!(c.schema("T").unwrap()[0].name, "x");
        let e: Vec<Entry> = c.entries().collect();
        assert_eq!((e[0].name, e[0].rows), ("T", None));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "listing generates nothing");
        let copy = c.clone();
        assert_eq!(c.get("T").unwrap().len(), 2);
        assert_eq!(copy.get("T").unwrap().len(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "clones share the generated rows");
        assert_eq!(c.entries().next().unwrap().rows, Some(2));
    }
}
