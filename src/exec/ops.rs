//! Row-shaping operators: filter, project, range, union, mv-expand, parse, getschema.

use super::eval::{eval, EResult};
use super::{cast, ExecCtx};
use crate::diag::{codes, thousands, Diagnostic, Span};
use crate::plan::{BExpr, Expansion, Parse, Plan, Range, Schema};
use crate::table::{Column, ColumnBuilder, Field, Prim, Table};
use crate::types::{DataType, Dynamic, Value};
use std::sync::Arc;

/// Evaluates a row-count expression (`take N`, `top N`).
pub fn count_value(e: &BExpr, cx: &ExecCtx) -> EResult<usize> {
    let one = Table::with_len(vec![], vec![], 1);
    match eval(e, &one, cx)?.value(0).as_i64() {
        Some(n) if n >= 0 => Ok(n as usize),
        _ => Err(Diagnostic::runtime(codes::RUNTIME, e.span, "The number of rows must be a number that is not negative")),
    }
}

/// Computes the output columns; where `kept[k]` is false (a plain column reference nobody
/// reads) the output is a placeholder.
pub fn project(t: &Table, exprs: &[BExpr], kept: &[bool], schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let len = t.len();
    let mut columns = Vec::with_capacity(exprs.len());
    for ((e, f), &keep) in exprs.iter().zip(schema.iter()).zip(kept) {
        if keep {
            // A bare column keeps its stored form (GUIDs stored as numbers stay numbers).
            columns.push(super::eval::eval_key(e, t, cx)?.into_column(f.ty, len));
        } else {
            columns.push(Arc::new(Column::placeholder(f.ty)));
        }
    }
    Ok(Table::with_placeholders(schema.as_ref().clone(), columns, len))
}

pub fn range(plan: &Plan, node: &Range, cx: &ExecCtx) -> EResult<Table> {
    let Range { from, to, step } = node;
    let one = Table::with_len(vec![], vec![], 1);
    let f = eval(from, &one, cx)?.value(0);
    let t = eval(to, &one, cx)?.value(0);
    let s = eval(step, &one, cx)?.value(0);
    let ty = plan.schema[0].ty;
    let too_many = |n: f64| -> EResult<()> {
        if n > cx.limits.max_expand as f64 {
            return Err(Diagnostic::runtime(
                codes::LIMIT,
                plan.span,
                if n.is_finite() && n < 1e18 {
                    format!("This range has about {} values; kqlab stops at {}", crate::diag::thousands_u64(n as u64), thousands(cx.limits.max_expand))
                } else {
                    format!("This range has no end in sight; kqlab stops at {} values", thousands(cx.limits.max_expand))
                },
            ));
        }
        Ok(())
    };
    let col = match ty {
        DataType::Real => {
            let (Some(a), Some(b), Some(st)) = (f.as_f64(), t.as_f64(), s.as_f64()) else { return Ok(Table::empty(plan.schema.as_ref().clone())) };
            if st == 0.0 || !st.is_finite() {
                return Err(Diagnostic::runtime(codes::RUNTIME, step.span, "The range step must not be zero"));
            }
            if a.is_nan() || b.is_nan() {
                return Ok(Table::empty(plan.schema.as_ref().clone()));
            }
            let n = ((b - a) / st).max(0.0) + 1.0;
            too_many(n)?;
            let mut v = Vec::new();
            let mut i = 0.0;
            loop {
                let x = a + i * st;
                // A step too small to move x (5e-324 from 3.14) would never end; at most one
                // value past the estimate allows for rounding.
                if (st > 0.0 && x > b) || (st < 0.0 && x < b) || v.last() == Some(&x) || i > n {
                    break;
                }
                v.push(x);
                i += 1.0;
            }
            Column::Real(Prim::new(v))
        }
        _ => {
            let get = |v: &Value| match v {
                Value::Long(x) | Value::DateTime(x) | Value::TimeSpan(x) => Some(*x),
                Value::Int(x) => Some(*x as i64),
                _ => None,
            };
            let (Some(a), Some(b), Some(st)) = (get(&f), get(&t), get(&s)) else { return Ok(Table::empty(plan.schema.as_ref().clone())) };
            if st == 0 {
                return Err(Diagnostic::runtime(codes::RUNTIME, step.span, "The range step must not be zero"));
            }
            let n = if (st > 0 && b < a) || (st < 0 && b > a) { 0.0 } else { ((b as f64 - a as f64) / st as f64).floor() + 1.0 };
            too_many(n)?;
            let mut v = Vec::with_capacity(n as usize);
            let mut x = a;
            while (st > 0 && x <= b) || (st < 0 && x >= b) {
                v.push(x);
                match x.checked_add(st) {
                    Some(nx) => x = nx,
                    None => break,
                }
            }
            let p = Prim::new(v);
            match ty {
                DataType::DateTime => Column::DateTime(p),
                DataType::TimeSpan => Column::TimeSpan(p),
                _ => Column::Long(p),
            }
        }
    };
    Ok(Table::new(plan.schema.as_ref().clone(), vec![Arc::new(col)]))
}

pub fn union(tables: &[Table], source: Option<&[String]>, gather: &[(String, DataType)], schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let total: usize = tables.iter().map(|t| t.len()).sum();
    cx.check_rows(total, span, "This union")?;
    let mut columns = Vec::new();
    if let Some(names) = source {
        let mut b = ColumnBuilder::new(DataType::String, total);
        for (t, n) in tables.iter().zip(names) {
            for _ in 0..t.len() {
                b.push(&Value::str(n));
            }
        }
        columns.push(Arc::new(b.finish()));
    }
    for (name, ty) in gather {
        // Each input gives its column of this name and type, or nulls.
        let parts: Vec<Column> = tables
            .iter()
            .map(|t| match t.fields.iter().position(|tf| &tf.name == name && tf.ty == *ty) {
                Some(i) => (*t.columns[i]).clone(),
                None => Column::nulls(*ty, t.len()),
            })
            .collect();
        let refs: Vec<&Column> = parts.iter().collect();
        columns.push(Arc::new(Column::concat(*ty, &refs)));
    }
    Ok(Table::with_len(schema.as_ref().clone(), columns, total))
}

/// Splits each row into one row per element of the expanded arrays (in parallel; shorter
/// arrays pad with null). A null value gives one row with null; an empty array gives none.
pub fn mv_expand(t: &Table, expand: &Expansion, schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let Expansion { columns, limit, index, bag_as_array } = expand;
    let (limit, index, bag_as_array) = (*limit, *index, *bag_as_array);
    let len = t.len();
    let mut rows: Vec<u32> = Vec::new();
    let mut item_idx: Vec<i64> = Vec::new();
    let mut expanded: Vec<Vec<Dynamic>> = vec![Vec::new(); columns.len()];
    let items_of =
        |d: &Dynamic| -> Option<Vec<Dynamic>> {
            match d {
                Dynamic::Null => None,
                Dynamic::Array(a) => Some(a.as_ref().clone()),
                Dynamic::Object(bag) => Some(
                    bag.iter()
                        .map(|(k, v)| {
                            if bag_as_array {
                                Dynamic::array(vec![Dynamic::String(k.clone()), v.clone()])
                            } else {
                                Dynamic::object(vec![(k.clone(), v.clone())])
                            }
                        })
                        .collect(),
                ),
                other => Some(vec![other.clone()]),
            }
        };
    for r in 0..len {
        let lists: Vec<Option<Vec<Dynamic>>> = columns
            .iter()
            .map(|(ci, _)| match t.columns[*ci].value(r) {
                Value::Dynamic(d) => items_of(&d),
                _ => None,
            })
            .collect();
        let n = if lists.iter().all(|l| l.is_none()) { 1 } else { lists.iter().map(|l| l.as_ref().map_or(0, |x| x.len())).max().unwrap_or(0) };
        let n = limit.map_or(n, |l| n.min(l as usize));
        for k in 0..n {
            rows.push(r as u32);
            item_idx.push(k as i64);
            for (slot, l) in expanded.iter_mut().zip(&lists) {
                slot.push(l.as_ref().and_then(|x| x.get(k).cloned()).unwrap_or(Dynamic::Null));
            }
        }
        if rows.len() > cx.limits.max_rows {
            cx.check_rows(rows.len(), span, "This mv-expand")?;
        }
    }
    let base = t.take(&rows);
    let mut cols = base.columns.clone();
    for ((ci, ty), values) in columns.iter().zip(expanded) {
        let c = Column::Dynamic(values);
        cols[*ci] = Arc::new(if *ty == DataType::Dynamic { c } else { cast_strict(&c, *ty) });
    }
    if index {
        cols.push(Arc::new(Column::Long(Prim::new(item_idx))));
    }
    Ok(Table::with_len(schema.as_ref().clone(), cols, rows.len()))
}

/// `to typeof(T)`: keeps elements that already are of type T (strings are not parsed).
fn cast_strict(c: &Column, ty: DataType) -> Column {
    let Column::Dynamic(items) = c else { return cast::cast_column(c, ty) };
    let mut b = ColumnBuilder::new(ty, items.len());
    for d in items {
        let v = match (d, ty) {
            (Dynamic::String(s), DataType::String) => Value::String(s.clone()),
            (Dynamic::String(s), DataType::Guid) => Value::Guid(s.clone()),
            (Dynamic::Long(n), DataType::Long) => Value::Long(*n),
            (Dynamic::Long(n), DataType::Int) => i32::try_from(*n).map_or(Value::Null, Value::Int),
            (Dynamic::Long(n), DataType::Real) => Value::Real(*n as f64),
            (Dynamic::Real(f), DataType::Real) => Value::Real(*f),
            (Dynamic::Bool(x), DataType::Bool) => Value::Bool(*x),
            (Dynamic::DateTime(t), DataType::DateTime) => Value::DateTime(*t),
            (Dynamic::TimeSpan(t), DataType::TimeSpan) => Value::TimeSpan(*t),
            (Dynamic::String(s), DataType::DateTime) => crate::types::time::parse_datetime(s).map_or(Value::Null, Value::DateTime),
            (Dynamic::Null, _) => Value::Null,
            (other, DataType::String) => Value::str(&other.to_json()),
            _ => Value::Null,
        };
        b.push(&v);
    }
    b.finish()
}

pub fn parse(t: &Table, node: &Parse, schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let Parse { source, pattern, drop_failed, .. } = node;
    let drop_failed = *drop_failed;
    let len = t.len();
    let src = eval(source, t, cx)?;
    let regex = match &pattern.regex {
        Some(r) => Some(cx.regex(r, source.span)?),
        None => None,
    };
    let mut extracted: Vec<Vec<Value>> = vec![Vec::with_capacity(len); pattern.columns.len()];
    let mut keep: Vec<u32> = Vec::new();
    for r in 0..len {
        let text = src.value(r).to_display();
        let mut got: Option<Vec<Option<String>>> = match &regex {
            Some(re) => re.captures(&text).map(|c| (0..pattern.columns.len()).map(|g| c.name(&format!("c{g}")).map(|m| m.as_str().to_string())).collect()),
            None => pattern.match_simple(&text).map(|v| v.into_iter().map(|x| x.map(|s| s.to_string())).collect()),
        };
        let ok = got.as_ref().is_some_and(|vals| {
            vals.iter()
                .zip(&pattern.columns)
                .all(|(v, (_, ty))| *ty == DataType::String || v.as_ref().is_some_and(|s| !cast::cast_value(&Value::str(s), *ty).is_null()))
        });
        // Outside relaxed mode a typed column that does not convert fails the whole match.
        if !ok && !pattern.relaxed {
            got = None;
        }
        if drop_failed && !ok {
            continue;
        }
        keep.push(r as u32);
        for (k, (_, ty)) in pattern.columns.iter().enumerate() {
            let v = got.as_ref().and_then(|g| g[k].clone());
            extracted[k].push(match v {
                Some(s) => cast::cast_value(&Value::str(&s), *ty),
                None => {
                    if *ty == DataType::String {
                        Value::str("")
                    } else {
                        Value::Null
                    }
                }
            });
        }
    }
    let base = if drop_failed { t.take(&keep) } else { t.clone() };
    let mut fields = base.fields.clone();
    let mut cols = base.columns.clone();
    for ((name, ty), values) in pattern.columns.iter().zip(extracted) {
        let mut b = ColumnBuilder::new(*ty, values.len());
        for v in &values {
            b.push(v);
        }
        let c = Arc::new(b.finish());
        match fields.iter().position(|f| &f.name == name) {
            Some(i) => {
                fields[i].ty = *ty;
                cols[i] = c;
            }
            None => {
                fields.push(Field::new(name, *ty));
                cols.push(c);
            }
        }
    }
    let n = keep.len();
    Ok(Table::with_len(schema.as_ref().clone(), cols, n))
}

pub fn get_schema(schema: &Schema) -> Table {
    let rows: Vec<Vec<Value>> = schema
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let clr = match f.ty {
                DataType::Bool => "System.SByte",
                DataType::Int => "System.Int32",
                DataType::Long => "System.Int64",
                DataType::Real => "System.Double",
                DataType::String => "System.String",
                DataType::DateTime => "System.DateTime",
                DataType::TimeSpan => "System.TimeSpan",
                DataType::Guid => "System.Guid",
                DataType::Dynamic => "System.Object",
            };
            vec![Value::str(&f.name), Value::Int(i as i32), Value::str(clr), Value::str(f.ty.name())]
        })
        .collect();
    Table::from_rows(
        vec![
            Field::new("ColumnName", DataType::String),
            Field::new("ColumnOrdinal", DataType::Int),
            Field::new("DataType", DataType::String),
            Field::new("ColumnType", DataType::String),
        ],
        &rows,
    )
}
