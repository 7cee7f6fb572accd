//! Values flowing through expression evaluation: a whole column, or one scalar standing for
//! every row (constants are never widened into columns until they must be).

use crate::table::{Column, Prim, StrColumn};
use crate::types::{DataType, Dynamic, Value};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum Val {
    Col(Arc<Column>),
    Scalar(Value),
}

impl Val {
    pub fn col(c: Column) -> Val {
        Val::Col(Arc::new(c))
    }

    pub fn is_scalar(&self) -> bool {
        matches!(self, Val::Scalar(_))
    }

    /// The value at row `i`.
    pub fn value(&self, i: usize) -> Value {
        match self {
            Val::Col(c) => c.value(i),
            Val::Scalar(v) => v.clone(),
        }
    }

    /// A full column of type `ty` and length `len`.
    pub fn into_column(self, ty: DataType, len: usize) -> Arc<Column> {
        match self {
            Val::Col(c) => {
                if c.data_type() == ty {
                    c
                } else {
                    Arc::new(super::cast::cast_column(&c, ty))
                }
            }
            Val::Scalar(v) => Arc::new(Column::repeat(&super::cast::cast_value(&v, ty), ty, len)),
        }
    }
}

/// A primitive operand: a column or a scalar (None = null).
pub enum P<'a, T> {
    C(&'a Prim<T>),
    S(Option<T>),
}

impl<T: Copy + Default> P<'_, T> {
    #[inline]
    pub fn get(&self, i: usize) -> Option<T> {
        match self {
            P::C(p) => p.get(i),
            P::S(s) => *s,
        }
    }
}

pub fn p_i64(v: &Val) -> P<'_, i64> {
    match v {
        Val::Col(c) => match &**c {
            Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => P::C(p),
            _ => P::S(None),
        },
        Val::Scalar(s) => P::S(match s {
            Value::Long(x) | Value::DateTime(x) | Value::TimeSpan(x) => Some(*x),
            Value::Int(x) => Some(*x as i64),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }),
    }
}

pub fn p_i32(v: &Val) -> P<'_, i32> {
    match v {
        Val::Col(c) => match &**c {
            Column::Int(p) => P::C(p),
            _ => P::S(None),
        },
        Val::Scalar(s) => P::S(match s {
            Value::Int(x) => Some(*x),
            Value::Long(x) => i32::try_from(*x).ok(),
            _ => None,
        }),
    }
}

pub fn p_f64(v: &Val) -> P<'_, f64> {
    match v {
        Val::Col(c) => match &**c {
            Column::Real(p) => P::C(p),
            _ => P::S(None),
        },
        Val::Scalar(s) => P::S(s.as_f64()),
    }
}

pub fn p_bool(v: &Val) -> P<'_, bool> {
    match v {
        Val::Col(c) => match &**c {
            Column::Bool(p) => P::C(p),
            _ => P::S(None),
        },
        Val::Scalar(s) => P::S(match s {
            Value::Bool(b) => Some(*b),
            Value::Dynamic(Dynamic::Bool(b)) => Some(*b),
            _ => None,
        }),
    }
}

/// A string operand.
pub enum SV<'a> {
    C(&'a StrColumn),
    S(String),
}

pub fn sv(v: &Val) -> SV<'_> {
    match v {
        Val::Col(c) => match &**c {
            Column::String(s) | Column::Guid(s) => SV::C(s),
            _ => SV::S(String::new()),
        },
        Val::Scalar(s) => SV::S(match s {
            Value::Null => String::new(),
            Value::String(x) | Value::Guid(x) => x.to_string(),
            other => other.to_display(),
        }),
    }
}

/// The result of a kernel: one scalar for all rows, or a column.
pub enum Out<T> {
    S(Option<T>),
    C(Prim<T>),
}

/// Applies `f` row by row to two primitive operands (scalar × scalar stays scalar).
pub fn map2<A: Copy + Default, B: Copy + Default, O: Copy + Default>(len: usize, a: &P<A>, b: &P<B>, f: impl Fn(A, B) -> Option<O>) -> Out<O> {
    match (a, b) {
        (P::S(x), P::S(y)) => Out::S(match (x, y) {
            (Some(x), Some(y)) => f(*x, *y),
            _ => None,
        }),
        (P::C(ca), P::S(Some(y))) if ca.valid.is_none() => collect(len, (0..len).map(|i| f(ca.values[i], *y))),
        (P::S(Some(x)), P::C(cb)) if cb.valid.is_none() => collect(len, (0..len).map(|i| f(*x, cb.values[i]))),
        (P::C(ca), P::C(cb)) if ca.valid.is_none() && cb.valid.is_none() => collect(len, (0..len).map(|i| f(ca.values[i], cb.values[i]))),
        _ => collect(
            len,
            (0..len).map(|i| match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => f(x, y),
                _ => None,
            }),
        ),
    }
}

/// Applies `f` row by row to one primitive operand.
pub fn map1<A: Copy + Default, O: Copy + Default>(len: usize, a: &P<A>, mut f: impl FnMut(A) -> Option<O>) -> Out<O> {
    match a {
        P::S(x) => Out::S(x.and_then(&mut f)),
        P::C(c) if c.valid.is_none() => collect(len, c.values.iter().map(|&x| f(x))),
        P::C(c) => collect(len, (0..len).map(|i| c.get(i).and_then(&mut f))),
    }
}

/// Builds a primitive column from optional values, allocating a validity mask only if a null
/// appears.
pub fn collect<O: Copy + Default>(len: usize, it: impl Iterator<Item = Option<O>>) -> Out<O> {
    let mut values = Vec::with_capacity(len);
    let mut valid: Option<Vec<bool>> = None;
    for (i, x) in it.enumerate() {
        match x {
            Some(v) => {
                values.push(v);
                if let Some(m) = valid.as_mut() {
                    m.push(true);
                }
            }
            None => {
                values.push(O::default());
                let m = valid.get_or_insert_with(|| {
                    let mut m = Vec::with_capacity(len);
                    m.resize(i, true);
                    m
                });
                m.push(false);
            }
        }
    }
    Out::C(Prim { values, valid })
}

fn wrap<T: Copy + Default>(o: Out<T>, scalar: impl Fn(T) -> Value, column: impl Fn(Prim<T>) -> Column) -> Val {
    match o {
        Out::S(Some(x)) => Val::Scalar(scalar(x)),
        Out::S(None) => Val::Scalar(Value::Null),
        Out::C(p) => Val::col(column(p)),
    }
}

pub fn out_bool(o: Out<bool>) -> Val {
    wrap(o, Value::Bool, Column::Bool)
}

pub fn out_i32(o: Out<i32>) -> Val {
    wrap(o, Value::Int, Column::Int)
}

pub fn out_f64(o: Out<f64>) -> Val {
    wrap(o, Value::Real, Column::Real)
}

/// Wraps i64 results as long, datetime or timespan.
pub fn out_i64(o: Out<i64>, ty: DataType) -> Val {
    match ty {
        DataType::DateTime => wrap(o, Value::DateTime, Column::DateTime),
        DataType::TimeSpan => wrap(o, Value::TimeSpan, Column::TimeSpan),
        _ => wrap(o, Value::Long, Column::Long),
    }
}
