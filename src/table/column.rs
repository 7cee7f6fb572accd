//! Typed columns. Primitive columns are a `Vec<T>` plus an optional validity mask (absent
//! when the column has no nulls); strings and guids are dictionary-encoded ([`StrColumn`]);
//! `dynamic` values are stored as they are.

use super::guids::GuidColumn;
use super::strings::{Codes, CodesBuilder, StrColumn, StrDictBuilder};
use crate::types::{DataType, Dynamic, Value};
use std::sync::Arc;

/// A primitive column: values plus validity (`valid[i] == false` means null; the value slot
/// then holds `T::default()`).
#[derive(Clone, Debug, PartialEq)]
pub struct Prim<T> {
    pub values: Vec<T>,
    pub valid: Option<Vec<bool>>,
}

impl<T: Copy + Default> Prim<T> {
    pub fn new(values: Vec<T>) -> Self {
        Prim { values, valid: None }
    }

    pub fn with_validity(values: Vec<T>, valid: Vec<bool>) -> Self {
        let valid = if valid.iter().all(|&v| v) { None } else { Some(valid) };
        Prim { values, valid }
    }

    pub fn from_options(items: impl IntoIterator<Item = Option<T>>) -> Self {
        let mut values = Vec::new();
        let mut valid = Vec::new();
        for it in items {
            valid.push(it.is_some());
            values.push(it.unwrap_or_default());
        }
        Self::with_validity(values, valid)
    }

    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        self.valid.as_ref().is_none_or(|v| v[i])
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<T> {
        if self.is_valid(i) {
            Some(self.values[i])
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn null_count(&self) -> usize {
        self.valid.as_ref().map_or(0, |v| v.iter().filter(|b| !**b).count())
    }

    pub fn take(&self, idx: &[u32]) -> Self {
        Prim {
            values: idx.iter().map(|&i| self.values[i as usize]).collect(),
            valid: self.valid.as_ref().map(|v| idx.iter().map(|&i| v[i as usize]).collect()),
        }
        .normalized()
    }

    pub fn slice(&self, start: usize, len: usize) -> Self {
        Prim { values: self.values[start..start + len].to_vec(), valid: self.valid.as_ref().map(|v| v[start..start + len].to_vec()) }.normalized()
    }

    fn normalized(mut self) -> Self {
        if self.valid.as_ref().is_some_and(|v| v.iter().all(|&b| b)) {
            self.valid = None;
        }
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<T>> + '_ {
        (0..self.values.len()).map(move |i| self.get(i))
    }
}

/// One column of a table.
#[derive(Clone, Debug)]
pub enum Column {
    Bool(Prim<bool>),
    Int(Prim<i32>),
    Long(Prim<i64>),
    Real(Prim<f64>),
    DateTime(Prim<i64>),
    TimeSpan(Prim<i64>),
    String(StrColumn),
    Guid(StrColumn),
    /// A `string` column whose values are all GUIDs in Kusto's text form (or empty), stored as
    /// 16-byte numbers ([`GuidColumn`]); its type is `string`.
    GuidText(GuidColumn),
    Dynamic(Vec<Dynamic>),
}

macro_rules! each_prim {
    ($self:expr, $p:ident => $e:expr, $s:ident => $se:expr, $d:ident => $de:expr) => {
        match $self {
            Column::Bool($p) => $e,
            Column::Int($p) => $e,
            Column::Long($p) => $e,
            Column::Real($p) => $e,
            Column::DateTime($p) => $e,
            Column::TimeSpan($p) => $e,
            Column::String($s) | Column::Guid($s) => $se,
            Column::GuidText($s) => $se,
            Column::Dynamic($d) => $de,
        }
    };
}

impl Column {
    pub fn data_type(&self) -> DataType {
        match self {
            Column::Bool(_) => DataType::Bool,
            Column::Int(_) => DataType::Int,
            Column::Long(_) => DataType::Long,
            Column::Real(_) => DataType::Real,
            Column::DateTime(_) => DataType::DateTime,
            Column::TimeSpan(_) => DataType::TimeSpan,
            Column::String(_) | Column::GuidText(_) => DataType::String,
            Column::Guid(_) => DataType::Guid,
            Column::Dynamic(_) => DataType::Dynamic,
        }
    }

    pub fn empty(ty: DataType) -> Column {
        ColumnBuilder::new(ty, 0).finish()
    }

    /// A stand-in, with no rows, for a column that no later step of a query reads (see
    /// [`Table::with_placeholders`](super::Table::with_placeholders)): filters, sorts and joins
    /// then need not copy it. Reading a row of it panics, so a wrong pruning decision shows up
    /// loudly in tests instead of as wrong values.
    pub fn placeholder(ty: DataType) -> Column {
        static EMPTY: std::sync::OnceLock<Arc<super::StrDict>> = std::sync::OnceLock::new();
        let empty_dict = || EMPTY.get_or_init(|| Arc::new(super::StrDict::from_strings([]))).clone();
        match ty {
            DataType::Bool => Column::Bool(Prim::new(Vec::new())),
            DataType::Int => Column::Int(Prim::new(Vec::new())),
            DataType::Long => Column::Long(Prim::new(Vec::new())),
            DataType::Real => Column::Real(Prim::new(Vec::new())),
            DataType::DateTime => Column::DateTime(Prim::new(Vec::new())),
            DataType::TimeSpan => Column::TimeSpan(Prim::new(Vec::new())),
            DataType::String => Column::String(StrColumn { dict: empty_dict(), codes: Codes::default() }),
            DataType::Guid => Column::Guid(StrColumn { dict: empty_dict(), codes: Codes::default() }),
            DataType::Dynamic => Column::Dynamic(Vec::new()),
        }
    }

    /// A column of `len` nulls (empty strings for string columns).
    pub fn nulls(ty: DataType, len: usize) -> Column {
        Column::repeat(&Value::Null, ty, len)
    }

    /// `len` copies of one value, converted to `ty`.
    pub fn repeat(v: &Value, ty: DataType, len: usize) -> Column {
        match ty {
            DataType::String | DataType::Guid => {
                let s = if v.is_null() { String::new() } else { v.to_display() };
                let mut b = StrDictBuilder::new();
                let code = b.intern(&s);
                let sc = StrColumn { codes: Codes::repeat(code, len, 1), dict: b.finish() };
                if ty == DataType::String {
                    Column::String(sc)
                } else {
                    Column::Guid(sc)
                }
            }
            _ => {
                let mut b = ColumnBuilder::new(ty, len);
                for _ in 0..len {
                    b.push(v);
                }
                b.finish()
            }
        }
    }

    pub fn len(&self) -> usize {
        each_prim!(self, p => p.len(), s => s.len(), d => d.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_null(&self, i: usize) -> bool {
        each_prim!(self, p => !p.is_valid(i), _s => false, d => d[i].is_null())
    }

    /// The value at row `i` (slow path: tests, rendering, rarely used functions).
    pub fn value(&self, i: usize) -> Value {
        match self {
            Column::Bool(p) => p.get(i).map_or(Value::Null, Value::Bool),
            Column::Int(p) => p.get(i).map_or(Value::Null, Value::Int),
            Column::Long(p) => p.get(i).map_or(Value::Null, Value::Long),
            Column::Real(p) => p.get(i).map_or(Value::Null, Value::Real),
            Column::DateTime(p) => p.get(i).map_or(Value::Null, Value::DateTime),
            Column::TimeSpan(p) => p.get(i).map_or(Value::Null, Value::TimeSpan),
            Column::String(s) => Value::String(Arc::from(s.get(i))),
            Column::GuidText(g) => Value::String(Arc::from(g.text(i))),
            Column::Guid(s) => {
                let g = s.get(i);
                if g.is_empty() {
                    Value::Null
                } else {
                    Value::Guid(Arc::from(g))
                }
            }
            Column::Dynamic(d) => Value::Dynamic(d[i].clone()),
        }
    }

    pub fn take(&self, idx: &[u32]) -> Column {
        match self {
            Column::Bool(p) => Column::Bool(p.take(idx)),
            Column::Int(p) => Column::Int(p.take(idx)),
            Column::Long(p) => Column::Long(p.take(idx)),
            Column::Real(p) => Column::Real(p.take(idx)),
            Column::DateTime(p) => Column::DateTime(p.take(idx)),
            Column::TimeSpan(p) => Column::TimeSpan(p.take(idx)),
            Column::String(s) => Column::String(StrColumn { dict: s.dict.clone(), codes: s.codes.take(idx) }),
            Column::Guid(s) => Column::Guid(StrColumn { dict: s.dict.clone(), codes: s.codes.take(idx) }),
            Column::GuidText(g) => Column::GuidText(g.take(idx)),
            Column::Dynamic(d) => Column::Dynamic(idx.iter().map(|&i| d[i as usize].clone()).collect()),
        }
    }

    pub fn slice(&self, start: usize, len: usize) -> Column {
        match self {
            Column::Bool(p) => Column::Bool(p.slice(start, len)),
            Column::Int(p) => Column::Int(p.slice(start, len)),
            Column::Long(p) => Column::Long(p.slice(start, len)),
            Column::Real(p) => Column::Real(p.slice(start, len)),
            Column::DateTime(p) => Column::DateTime(p.slice(start, len)),
            Column::TimeSpan(p) => Column::TimeSpan(p.slice(start, len)),
            Column::String(s) => Column::String(StrColumn { dict: s.dict.clone(), codes: s.codes.slice(start, len) }),
            Column::Guid(s) => Column::Guid(StrColumn { dict: s.dict.clone(), codes: s.codes.slice(start, len) }),
            Column::GuidText(g) => Column::GuidText(g.slice(start, len)),
            Column::Dynamic(d) => Column::Dynamic(d[start..start + len].to_vec()),
        }
    }

    /// Appends columns of the same type (for `union`).
    pub fn concat(ty: DataType, parts: &[&Column]) -> Column {
        let total: usize = parts.iter().map(|c| c.len()).sum();
        if ty == DataType::String && parts.iter().all(|p| matches!(p, Column::GuidText(_))) {
            let mut values = Vec::with_capacity(total);
            for p in parts {
                if let Column::GuidText(g) = p {
                    values.extend_from_slice(&g.values);
                }
            }
            return Column::GuidText(GuidColumn { values });
        }
        if matches!(ty, DataType::String | DataType::Guid) {
            let mut b = StrDictBuilder::new();
            // The dictionary grows part by part; the codes widen when it passes 256 or 65,536
            // entries.
            let mut codes = CodesBuilder::with_capacity(0, total);
            for p in parts {
                if let Column::String(s) | Column::Guid(s) = p {
                    let remap: Vec<u32> = s.dict.iter().map(|x| b.intern(x)).collect();
                    crate::table::with_codes!(&s.codes, |c| c.iter().for_each(|&k| codes.push(remap[k as usize])));
                } else {
                    for i in 0..p.len() {
                        codes.push(b.intern(&p.value(i).to_display()));
                    }
                }
            }
            let sc = StrColumn { dict: b.finish(), codes: codes.finish() };
            return if ty == DataType::String { Column::String(sc) } else { Column::Guid(sc) };
        }
        let mut b = ColumnBuilder::new(ty, total);
        for p in parts {
            if p.data_type() == ty {
                b.extend_from(p);
            } else {
                for i in 0..p.len() {
                    b.push(&p.value(i));
                }
            }
        }
        b.finish()
    }

    pub fn heap_bytes(&self) -> usize {
        fn prim<T>(p: &Prim<T>) -> usize {
            p.values.len() * std::mem::size_of::<T>() + p.valid.as_ref().map_or(0, |v| v.len())
        }
        match self {
            Column::Bool(p) => prim(p),
            Column::Int(p) => prim(p),
            Column::Long(p) => prim(p),
            Column::Real(p) => prim(p),
            Column::DateTime(p) => prim(p),
            Column::TimeSpan(p) => prim(p),
            Column::String(s) | Column::Guid(s) => s.heap_bytes(),
            Column::GuidText(g) => g.heap_bytes(),
            Column::Dynamic(d) => d.len() * std::mem::size_of::<Dynamic>() + d.iter().map(|x| x.to_json().len()).sum::<usize>(),
        }
    }

    pub fn as_str_column(&self) -> Option<&StrColumn> {
        match self {
            Column::String(s) | Column::Guid(s) => Some(s),
            _ => None,
        }
    }
}

/// Builds a column of a given type from values, converting where Kusto would (`long` into a
/// `real` column, anything into a `string` column via its text form) and storing null where
/// the value cannot be represented.
pub enum ColumnBuilder {
    Bool(Vec<bool>, Vec<bool>),
    Int(Vec<i32>, Vec<bool>),
    Long(Vec<i64>, Vec<bool>),
    Real(Vec<f64>, Vec<bool>),
    DateTime(Vec<i64>, Vec<bool>),
    TimeSpan(Vec<i64>, Vec<bool>),
    Str(bool, StrDictBuilder, CodesBuilder),
    Dynamic(Vec<Dynamic>),
}

impl ColumnBuilder {
    pub fn new(ty: DataType, cap: usize) -> Self {
        match ty {
            DataType::Bool => ColumnBuilder::Bool(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::Int => ColumnBuilder::Int(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::Long => ColumnBuilder::Long(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::Real => ColumnBuilder::Real(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::DateTime => ColumnBuilder::DateTime(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::TimeSpan => ColumnBuilder::TimeSpan(Vec::with_capacity(cap), Vec::with_capacity(cap)),
            DataType::String => ColumnBuilder::Str(false, StrDictBuilder::new(), CodesBuilder::with_capacity(0, cap)),
            DataType::Guid => ColumnBuilder::Str(true, StrDictBuilder::new(), CodesBuilder::with_capacity(0, cap)),
            DataType::Dynamic => ColumnBuilder::Dynamic(Vec::with_capacity(cap)),
        }
    }

    pub fn push(&mut self, v: &Value) {
        fn put<T: Default>(vals: &mut Vec<T>, valid: &mut Vec<bool>, x: Option<T>) {
            valid.push(x.is_some());
            vals.push(x.unwrap_or_default());
        }
        match self {
            ColumnBuilder::Bool(a, m) => put(
                a,
                m,
                match v {
                    Value::Bool(b) => Some(*b),
                    Value::Dynamic(Dynamic::Bool(b)) => Some(*b),
                    _ => None,
                },
            ),
            ColumnBuilder::Int(a, m) => put(a, m, v.as_i64().and_then(|x| i32::try_from(x).ok()).filter(|_| !matches!(v, Value::Bool(_)))),
            ColumnBuilder::Long(a, m) => put(a, m, if matches!(v, Value::Bool(_)) { None } else { v.as_i64() }),
            ColumnBuilder::Real(a, m) => put(a, m, v.as_f64()),
            ColumnBuilder::DateTime(a, m) => put(
                a,
                m,
                match v {
                    Value::DateTime(t) | Value::Dynamic(Dynamic::DateTime(t)) => Some(*t),
                    _ => None,
                },
            ),
            ColumnBuilder::TimeSpan(a, m) => put(
                a,
                m,
                match v {
                    Value::TimeSpan(t) | Value::Dynamic(Dynamic::TimeSpan(t)) => Some(*t),
                    _ => None,
                },
            ),
            ColumnBuilder::Str(_, b, codes) => {
                let code = match v {
                    Value::String(s) | Value::Guid(s) => b.intern(s),
                    Value::Null => b.intern(""),
                    other => b.intern(&other.to_display()),
                };
                codes.push(code);
            }
            ColumnBuilder::Dynamic(d) => d.push(v.to_dynamic()),
        }
    }

    pub fn push_null(&mut self) {
        self.push(&Value::Null)
    }

    /// Appends a whole column of the same type.
    pub fn extend_from(&mut self, c: &Column) {
        fn ext<T: Copy + Default>(a: &mut Vec<T>, m: &mut Vec<bool>, p: &Prim<T>) {
            a.extend_from_slice(&p.values);
            match &p.valid {
                Some(v) => m.extend_from_slice(v),
                None => m.extend(std::iter::repeat_n(true, p.values.len())),
            }
        }
        match (self, c) {
            (ColumnBuilder::Bool(a, m), Column::Bool(p)) => ext(a, m, p),
            (ColumnBuilder::Int(a, m), Column::Int(p)) => ext(a, m, p),
            (ColumnBuilder::Long(a, m), Column::Long(p)) => ext(a, m, p),
            (ColumnBuilder::Real(a, m), Column::Real(p)) => ext(a, m, p),
            (ColumnBuilder::DateTime(a, m), Column::DateTime(p)) => ext(a, m, p),
            (ColumnBuilder::TimeSpan(a, m), Column::TimeSpan(p)) => ext(a, m, p),
            (ColumnBuilder::Dynamic(d), Column::Dynamic(x)) => d.extend(x.iter().cloned()),
            (b, c) => {
                for i in 0..c.len() {
                    b.push(&c.value(i));
                }
            }
        }
    }

    pub fn finish(self) -> Column {
        match self {
            ColumnBuilder::Bool(a, m) => Column::Bool(Prim::with_validity(a, m)),
            ColumnBuilder::Int(a, m) => Column::Int(Prim::with_validity(a, m)),
            ColumnBuilder::Long(a, m) => Column::Long(Prim::with_validity(a, m)),
            ColumnBuilder::Real(a, m) => Column::Real(Prim::with_validity(a, m)),
            ColumnBuilder::DateTime(a, m) => Column::DateTime(Prim::with_validity(a, m)),
            ColumnBuilder::TimeSpan(a, m) => Column::TimeSpan(Prim::with_validity(a, m)),
            ColumnBuilder::Str(guid, b, codes) => {
                let sc = StrColumn { dict: b.finish(), codes: codes.finish() };
                if guid {
                    Column::Guid(sc)
                } else {
                    Column::String(sc)
                }
            }
            ColumnBuilder::Dynamic(d) => Column::Dynamic(d),
        }
    }
}
