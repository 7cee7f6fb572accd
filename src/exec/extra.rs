//! The less common operators: `make-series`, `mv-apply`, `bag_unpack`, `pivot`,
//! `top-nested` and `parse-kv`. They run row group by row group, so they use the row-level
//! paths more than the core operators do (they are the long tail).

use super::aggregate::{compute, group_ids};
use super::eval::{eval, EResult};
use super::{cast, execute, ops, ExecCtx};
use crate::diag::{codes, Diagnostic, Span};
use crate::plan::{BExpr, BagUnpack, Expansion, MakeSeries, MvApply, ParseKv, ParseKvOptions, Partition, Pivot, ScanOutput, Schema, StepScan, TopNestedLevel};
use crate::table::{Column, ColumnBuilder, Field, Table};
use crate::types::{DataType, Dynamic, Value};
use std::cmp::Ordering;
use std::sync::Arc;

/// Most bins one series may have (Kusto's limit).
const MAX_BINS: usize = 1 << 20;

fn const_value(e: &BExpr, cx: &ExecCtx) -> EResult<Value> {
    let one = Table::with_len(vec![], vec![], 1);
    Ok(eval(e, &one, cx)?.value(0))
}

/// The axis: which bin each row falls in, and the value of each bin.
struct Axis {
    bin_of: Vec<Option<u32>>,
    values: Vec<Dynamic>,
}

/// Where `bin()` counts from: 0001-01-01 for datetimes, zero otherwise.
fn bin_origin(ty: DataType) -> i64 {
    if ty == DataType::DateTime {
        crate::types::time::MIN_DATETIME
    } else {
        0
    }
}

fn axis_bins(m: &MakeSeries, col: &Column, cx: &ExecCtx, span: Span) -> EResult<Axis> {
    let len = col.len();
    let from = match &m.from {
        Some(e) => Some(const_value(e, cx)?),
        None => None,
    };
    let to = match &m.to {
        Some(e) => Some(const_value(e, cx)?),
        None => None,
    };
    let step = const_value(&m.step, cx)?;
    let too_many = |n: f64| -> EResult<()> {
        if n > MAX_BINS as f64 {
            return Err(Diagnostic::runtime(codes::LIMIT, span, format!("This series would have {n:.0} bins; the most is {MAX_BINS}"))
                .with_help("Use a larger step or a shorter range"));
        }
        Ok(())
    };
    if m.axis.ty == DataType::Real {
        let s = step
            .as_f64()
            .filter(|s| *s > 0.0 && s.is_finite())
            .ok_or_else(|| Diagnostic::runtime(codes::RUNTIME, m.step.span, "The step of make-series must be positive"))?;
        let vals: Vec<Option<f64>> = (0..len).map(|i| col.value(i).as_f64()).collect();
        let lo = vals.iter().flatten().fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = vals.iter().flatten().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let start = match from.as_ref().and_then(Value::as_f64) {
            Some(f) => f,
            None if lo.is_finite() => (lo / s).floor() * s,
            None => return Ok(Axis { bin_of: vec![None; len], values: vec![] }),
        };
        let end = match to.as_ref().and_then(Value::as_f64) {
            Some(t) => t,
            None if hi.is_finite() => (hi / s).floor() * s + s,
            None => start,
        };
        let n = if end > start { ((end - start) / s).ceil() } else { 0.0 };
        too_many(n)?;
        let n = n as usize;
        let bin_of =
            vals.iter().map(|v| v.filter(|v| *v >= start && *v < end).map(|v| (((v - start) / s).floor() as usize).min(n.saturating_sub(1)) as u32)).collect();
        let values = (0..n).map(|k| Dynamic::Real(start + k as f64 * s)).collect();
        return Ok(Axis { bin_of, values });
    }
    let get = |v: &Value| match v {
        Value::Long(x) | Value::DateTime(x) | Value::TimeSpan(x) => Some(*x),
        Value::Int(x) => Some(*x as i64),
        _ => None,
    };
    let s = get(&step).filter(|s| *s > 0).ok_or_else(|| Diagnostic::runtime(codes::RUNTIME, m.step.span, "The step of make-series must be positive"))?;
    let vals: Vec<Option<i64>> = (0..len).map(|i| get(&col.value(i))).collect();
    let lo = vals.iter().flatten().min().copied();
    let hi = vals.iter().flatten().max().copied();
    // Bin arithmetic in i128: axis ends and steps from the query may be anywhere in i64
    // (found by fuzzing); the bin count is checked before anything is built.
    let (s128, origin) = (s as i128, bin_origin(m.axis.ty) as i128);
    let start: i128 = match from.as_ref().and_then(get) {
        Some(f) => f as i128,
        None => match lo {
            Some(lo) => origin + (lo as i128 - origin).div_euclid(s128) * s128,
            None => return Ok(Axis { bin_of: vec![None; len], values: vec![] }),
        },
    };
    let end: i128 = match to.as_ref().and_then(get) {
        Some(t) => t as i128,
        None => match hi {
            Some(hi) => origin + (hi as i128 - origin).div_euclid(s128) * s128 + s128,
            None => start,
        },
    };
    let n = if end > start { ((end - start + s128 - 1) / s128) as f64 } else { 0.0 };
    too_many(n)?;
    let bin_of = vals.iter().map(|v| v.map(i128::from).filter(|v| *v >= start && *v < end).map(|v| ((v - start) / s128) as u32)).collect();
    let values = (0..n as i64)
        .map(|k| {
            let x = i64::try_from(start + k as i128 * s128).unwrap_or(i64::MAX);
            match m.axis.ty {
                DataType::DateTime => Dynamic::DateTime(x),
                DataType::TimeSpan => Dynamic::TimeSpan(x),
                _ => Dynamic::Long(x),
            }
        })
        .collect();
    Ok(Axis { bin_of, values })
}

pub fn make_series(m: &MakeSeries, schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let t = execute(&m.input, cx)?;
    let len = t.len();
    let axis_col = eval(&m.axis, &t, cx)?.into_column(m.axis.ty, len);
    let axis = axis_bins(m, &axis_col, cx, span)?;
    let nbins = axis.values.len();
    let sel: Vec<u32> = (0..len).filter(|&i| axis.bin_of[i].is_some()).map(|i| i as u32).collect();
    let sub = t.take(&sel);
    let n = sub.len();
    let key_cols: Vec<Arc<Column>> = m.keys.iter().map(|k| eval(k, &sub, cx).map(|v| v.into_column(k.ty, n))).collect::<EResult<_>>()?;
    let (gid, first) = group_ids(&key_cols, n);
    let ngroups = if n == 0 {
        0
    } else if m.keys.is_empty() {
        1
    } else {
        first.len()
    };
    let ncells = ngroups.saturating_mul(nbins);
    if ncells > cx.limits.max_rows {
        return Err(Diagnostic::runtime(
            codes::LIMIT,
            span,
            format!("This make-series would hold {ngroups} series of {nbins} bins; kqlab stops at {} values", cx.limits.max_rows),
        )
        .with_help("Use a larger step, a shorter range or fewer groups"));
    }
    let cell: Vec<u32> = (0..n).map(|i| gid[i] * nbins as u32 + axis.bin_of[sel[i] as usize].unwrap_or(0)).collect();
    let mut present = vec![false; ncells];
    for &c in &cell {
        present[c as usize] = true;
    }
    let axis_array = Dynamic::array(axis.values.clone());
    if ngroups == 0 {
        if !m.nonempty {
            return Ok(Table::empty(schema.as_ref().clone()));
        }
        // kind=nonempty: one row of default series.
        let mut cols: Vec<Arc<Column>> = m.keys.iter().map(|k| Arc::new(Column::nulls(k.ty, 1))).collect();
        for d in &m.defaults {
            cols.push(Arc::new(Column::Dynamic(vec![Dynamic::array(vec![d.to_dynamic(); nbins])])));
        }
        cols.push(Arc::new(Column::Dynamic(vec![axis_array])));
        return Ok(Table::with_len(schema.as_ref().clone(), cols, 1));
    }
    let mut columns: Vec<Arc<Column>> = key_cols.iter().map(|c| Arc::new(c.take(&first[..ngroups.min(first.len())]))).collect();
    for (a, default) in m.aggs.iter().zip(&m.defaults) {
        let args: Vec<Arc<Column>> = a.args.iter().map(|e| eval(e, &sub, cx).map(|v| v.into_column(e.ty, n))).collect::<EResult<_>>()?;
        let out = compute(a, &args, &cell, ncells, n).into_iter().next().unwrap_or_else(|| Column::nulls(a.out[0], ncells));
        let d = default.to_dynamic();
        let series: Vec<Dynamic> = (0..ngroups)
            .map(|g| {
                Dynamic::array(
                    (0..nbins)
                        .map(|b| {
                            let c = g * nbins + b;
                            if present[c] {
                                out.value(c).to_dynamic()
                            } else {
                                d.clone()
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        columns.push(Arc::new(Column::Dynamic(series)));
    }
    columns.push(Arc::new(Column::Dynamic(vec![axis_array; ngroups])));
    Ok(Table::with_len(schema.as_ref().clone(), columns, ngroups))
}

pub fn mv_apply(t: &Table, node: &MvApply, schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let MvApply { expand: Expansion { columns: expand, .. }, keep, sub, sub_schema, .. } = node;
    let mut parts: Vec<Table> = Vec::new();
    let mut total = 0usize;
    // Each row's subtable holds just the expanded columns, in order.
    let per_row = Expansion { columns: (0..expand.len()).map(|i| (i, expand[i].1)).collect(), ..node.expand.clone() };
    let row_fields: Vec<Field> = expand.iter().map(|(ci, _)| Field::new(&t.fields[*ci].name, DataType::Dynamic)).collect();
    for r in 0..t.len() {
        let one: Vec<Arc<Column>> = expand.iter().map(|(ci, _)| Arc::new(t.columns[*ci].take(&[r as u32]))).collect();
        let row = Table::with_len(row_fields.clone(), one, 1);
        let subtable = ops::mv_expand(&row, &per_row, sub_schema, span, cx)?;
        cx.implicit.borrow_mut().push(Arc::new(subtable));
        // Subqueries inside depend on the row: forget results cached for the previous one.
        cx.scalars.borrow_mut().clear();
        cx.tables.borrow_mut().clear();
        let res = execute(sub, cx);
        cx.implicit.borrow_mut().pop();
        let res = res?;
        total += res.len();
        cx.check_rows(total, span, "This mv-apply")?;
        let idx = vec![r as u32; res.len()];
        let mut columns: Vec<Arc<Column>> = keep.iter().map(|&k| Arc::new(t.columns[k].take(&idx))).collect();
        columns.extend(res.columns.iter().cloned());
        parts.push(Table::with_len(schema.as_ref().clone(), columns, res.len()));
    }
    let columns = (0..schema.len())
        .map(|c| {
            let refs: Vec<&Column> = parts.iter().map(|p| &*p.columns[c]).collect();
            Arc::new(Column::concat(schema[c].ty, &refs))
        })
        .collect();
    Ok(Table::with_len(schema.as_ref().clone(), columns, total))
}

pub fn bag_unpack(t: &Table, node: &BagUnpack, schema: &Schema) -> Table {
    let BagUnpack { column, keep, keys, order, .. } = node;
    let column = *column;
    let len = t.len();
    let mut columns: Vec<Arc<Column>> = keep.iter().map(|&k| t.columns[k].clone()).collect();
    let bags: Vec<Dynamic> = (0..len)
        .map(|r| match t.columns[column].value(r) {
            Value::Dynamic(d) => d,
            _ => Dynamic::Null,
        })
        .collect();
    // One pass over each bag (looking every key up in every bag is keys × bag size per row).
    let index: crate::table::FxHashMap<&str, usize> = keys.iter().enumerate().map(|(i, (k, _))| (k.as_str(), i)).collect();
    let mut builders: Vec<ColumnBuilder> = keys.iter().map(|(_, ty)| ColumnBuilder::new(*ty, len)).collect();
    let mut row: Vec<Dynamic> = vec![Dynamic::Null; keys.len()];
    let mut seen: Vec<bool> = vec![false; keys.len()];
    for bag in &bags {
        if let Dynamic::Object(items) = bag {
            seen.iter_mut().for_each(|s| *s = false);
            for (k, v) in items.iter() {
                // The first of duplicate keys wins, as in Dynamic::get.
                if let Some(&i) = index.get(&**k) {
                    if !seen[i] {
                        seen[i] = true;
                        row[i] = v.clone();
                    }
                }
            }
        }
        for ((b, (_, ty)), v) in builders.iter_mut().zip(keys).zip(row.iter_mut()) {
            b.push(&match (*ty, std::mem::replace(v, Dynamic::Null)) {
                (_, Dynamic::Null) => Value::Null,
                (DataType::Dynamic, v) => Value::Dynamic(v),
                (DataType::String, v) => Value::str(&v.to_plain_string()),
                (ty, v) => cast::cast_value(&Value::Dynamic(v), ty),
            });
        }
    }
    columns.extend(builders.into_iter().map(|b| Arc::new(b.finish())));
    if !order.is_empty() {
        columns = order.iter().map(|&i| columns[i].clone()).collect();
    }
    Table::with_len(schema.as_ref().clone(), columns, len)
}

pub fn pivot(t: &Table, node: &Pivot, schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let Pivot { keys, pivot, values, agg, .. } = node;
    let pivot = *pivot;
    let len = t.len();
    let names: Vec<String> = values.iter().map(|v| v.to_display()).collect();
    let vi: Vec<Option<usize>> = (0..len)
        .map(|r| {
            let v = t.columns[pivot].value(r).to_display();
            names.iter().position(|n| *n == v)
        })
        .collect();
    let sel: Vec<u32> = (0..len).filter(|&r| vi[r].is_some()).map(|r| r as u32).collect();
    let sub = t.take(&sel);
    let n = sub.len();
    let key_cols: Vec<Arc<Column>> = keys.iter().map(|&k| sub.columns[k].clone()).collect();
    let (gid, first) = group_ids(&key_cols, n);
    let ngroups = if n == 0 {
        0
    } else if keys.is_empty() {
        1
    } else {
        first.len()
    };
    let nv = values.len();
    if ngroups.saturating_mul(nv) > cx.limits.max_rows {
        return Err(Diagnostic::runtime(
            codes::LIMIT,
            agg.span,
            format!("This pivot would hold {ngroups} rows of {nv} columns; kqlab stops at {} cells", cx.limits.max_rows),
        ));
    }
    let cell: Vec<u32> = (0..n).map(|i| gid[i] * nv as u32 + vi[sel[i] as usize].unwrap_or(0) as u32).collect();
    let args: Vec<Arc<Column>> = agg.args.iter().map(|e| eval(e, &sub, cx).map(|v| v.into_column(e.ty, n))).collect::<EResult<_>>()?;
    let out = compute(agg, &args, &cell, ngroups * nv, n).into_iter().next().unwrap_or_else(|| Column::nulls(agg.out[0], ngroups * nv));
    let mut columns: Vec<Arc<Column>> = key_cols.iter().map(|c| Arc::new(c.take(&first[..ngroups.min(first.len())]))).collect();
    for v in 0..nv {
        let idx: Vec<u32> = (0..ngroups).map(|g| (g * nv + v) as u32).collect();
        columns.push(Arc::new(out.take(&idx)));
    }
    Ok(Table::with_len(schema.as_ref().clone(), columns, ngroups))
}

pub fn top_nested(t: &Table, levels: &[TopNestedLevel], schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let len = t.len();
    let keys: Vec<Arc<Column>> = levels.iter().map(|l| eval(&l.key, t, cx).map(|v| v.into_column(l.key.ty, len))).collect::<EResult<_>>()?;
    let args: Vec<Vec<Arc<Column>>> = levels
        .iter()
        .map(|l| l.agg.args.iter().map(|e| eval(e, t, cx).map(|v| v.into_column(e.ty, len))).collect::<EResult<Vec<_>>>())
        .collect::<EResult<_>>()?;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let all: Vec<u32> = (0..len as u32).collect();
    nested(levels, &keys, &args, 0, &all, &mut Vec::new(), &mut rows);
    cx.check_rows(rows.len(), Span::new(0, 0), "This top-nested")?;
    Ok(Table::from_rows(schema.as_ref().clone(), &rows))
}

fn nested(
    levels: &[TopNestedLevel],
    keys: &[Arc<Column>],
    args: &[Vec<Arc<Column>>],
    depth: usize,
    rows: &[u32],
    prefix: &mut Vec<Value>,
    out: &mut Vec<Vec<Value>>,
) {
    if depth == levels.len() {
        out.push(prefix.clone());
        return;
    }
    if rows.is_empty() {
        return;
    }
    let l = &levels[depth];
    let key = Arc::new(keys[depth].take(rows));
    let (gid, first) = group_ids(std::slice::from_ref(&key), rows.len());
    let ngroups = first.len();
    let a: Vec<Arc<Column>> = args[depth].iter().map(|c| Arc::new(c.take(rows))).collect();
    let agg = compute(&l.agg, &a, &gid, ngroups, rows.len()).into_iter().next().unwrap_or_else(|| Column::nulls(l.agg.out[0], ngroups));
    let order: Vec<usize> = crate::util::sort::order(ngroups, &mut |x, y| {
        let o = agg.value(x).cmp_sort(&agg.value(y));
        let o = if l.desc { o.reverse() } else { o };
        if o == Ordering::Equal {
            x.cmp(&y)
        } else {
            o
        }
    })
    .into_iter()
    .map(|g| g as usize)
    .collect();
    let keep = l.count.map_or(ngroups, |c| (c as usize).min(ngroups));
    // Each group's rows, in one pass (not one pass per group: that is quadratic).
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); ngroups];
    for (i, &g) in gid.iter().enumerate().take(rows.len()) {
        buckets[g as usize].push(rows[i]);
    }
    for &g in &order[..keep] {
        let members = std::mem::take(&mut buckets[g]);
        prefix.push(key.value(first[g] as usize));
        prefix.push(agg.value(g));
        nested(levels, keys, args, depth + 1, &members, prefix, out);
        prefix.truncate(prefix.len() - 2);
    }
    if let Some(other) = &l.others {
        let rest: Vec<usize> = order[keep..].to_vec();
        if !rest.is_empty() {
            let mut in_rest = vec![false; ngroups];
            for &g in &rest {
                in_rest[g] = true;
            }
            let members: Vec<u32> = (0..rows.len()).filter(|&i| in_rest[gid[i] as usize]).map(|i| rows[i]).collect();
            let sub: Vec<Arc<Column>> = args[depth].iter().map(|c| Arc::new(c.take(&members))).collect();
            let zero = vec![0u32; members.len()];
            let v = compute(&l.agg, &sub, &zero, 1, members.len()).into_iter().next().map_or(Value::Null, |c| c.value(0));
            prefix.push(other.clone());
            prefix.push(v);
            nested(levels, keys, args, depth + 1, &members, prefix, out);
            prefix.truncate(prefix.len() - 2);
        }
    }
}

/// The quote pairs of parse-kv's `quote` option: two different characters are an opening
/// and a closing quote (`quote='()'`); otherwise each character opens and closes.
fn quote_pairs(quote: &[char]) -> Vec<(char, char)> {
    match quote {
        [open, close] if open != close => vec![(*open, *close)],
        _ => quote.iter().map(|&q| (q, q)).collect(),
    }
}

/// Splits `text` at `delim` outside quotes.
fn split_outside_quotes<'a>(text: &'a str, delim: &str, quotes: &[(char, char)], escape: Option<char>) -> Vec<&'a str> {
    if delim.is_empty() {
        return vec![text];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut close: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = close {
            if Some(c) == escape {
                chars.next();
            } else if c == q {
                close = None;
            }
            continue;
        }
        if let Some(&(_, q)) = quotes.iter().find(|(o, _)| *o == c) {
            close = Some(q);
            continue;
        }
        if text[i..].starts_with(delim) {
            out.push(&text[start..i]);
            start = i + delim.len();
            for _ in 1..delim.chars().count() {
                chars.next();
            }
        }
    }
    out.push(&text[start..]);
    out
}

fn unquote(s: &str, quotes: &[(char, char)], escape: Option<char>) -> String {
    let s = s.trim();
    let mut cs = s.chars();
    match (cs.next(), s.chars().last()) {
        (Some(a), Some(b)) if s.chars().count() >= 2 && quotes.contains(&(a, b)) => {
            let inner: String = s[a.len_utf8()..s.len() - b.len_utf8()].to_string();
            match escape {
                Some(e) => {
                    let mut out = String::new();
                    let mut it = inner.chars();
                    while let Some(c) = it.next() {
                        if c == e {
                            if let Some(n) = it.next() {
                                out.push(n);
                            }
                        } else {
                            out.push(c);
                        }
                    }
                    out
                }
                None => inner,
            }
        }
        _ => s.to_string(),
    }
}

/// The key/value pairs of one text, in order.
pub fn kv_pairs(text: &str, o: &ParseKvOptions, cx: &ExecCtx) -> Result<Vec<(String, String)>, String> {
    if let Some(re) = &o.regex {
        let re = cx.regex_str(re)?;
        return Ok(re.captures_iter(text).filter_map(|c| Some((c.get(1)?.as_str().to_string(), c.get(2).map_or("", |m| m.as_str()).to_string()))).collect());
    }
    let (Some(pd), Some(kd)) = (o.pair_delimiter.as_deref(), o.kv_delimiter.as_deref()) else {
        return Ok(kv_pairs_any_delimiter(text, o));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    let quotes = quote_pairs(&o.quote);
    for tok in split_outside_quotes(text, pd, &quotes, o.escape) {
        let kv = split_outside_quotes(tok, kd, &quotes, o.escape);
        if kv.len() >= 2 {
            let key = unquote(kv[0], &quotes, o.escape);
            let value = unquote(&tok[kv[0].len() + kd.len()..], &quotes, o.escape);
            pairs.push((key, value));
        } else if o.greedy {
            if let Some(last) = pairs.last_mut() {
                last.1.push_str(pd);
                last.1.push_str(tok);
            }
        }
    }
    Ok(pairs)
}

/// `parse-kv` without delimiters: the text is a sequence of words (letters, digits and '_')
/// and quoted values, separated by runs of any other characters; each word with the word or
/// quoted value after it is a candidate pair (the first pair of a key wins, in
/// [`parse_kv`]). `Text: Started, Id:7` gives (Text, Started), (Started, Id), (Id, 7).
fn kv_pairs_any_delimiter(text: &str, o: &ParseKvOptions) -> Vec<(String, String)> {
    let quotes = quote_pairs(&o.quote);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut tokens: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if let Some(&(_, close)) = quotes.iter().find(|(open, _)| *open == c) {
            chars.next();
            let mut v = String::new();
            while let Some(d) = chars.next() {
                if Some(d) == o.escape {
                    if let Some(n) = chars.next() {
                        v.push(n);
                    }
                } else if d == close {
                    break;
                } else {
                    v.push(d);
                }
            }
            tokens.push(v);
        } else if is_word(c) {
            let mut v = String::new();
            while let Some(&d) = chars.peek() {
                if !is_word(d) {
                    break;
                }
                v.push(d);
                chars.next();
            }
            tokens.push(v);
        } else {
            chars.next();
        }
    }
    tokens.windows(2).map(|w| (w[0].clone(), w[1].clone())).collect()
}

pub fn parse_kv(t: &Table, node: &ParseKv, schema: &Schema, cx: &ExecCtx) -> EResult<Table> {
    let ParseKv { source, keys, options: o, .. } = node;
    let len = t.len();
    let src = eval(source, t, cx)?;
    let mut builders: Vec<ColumnBuilder> = keys.iter().map(|(_, ty)| ColumnBuilder::new(*ty, len)).collect();
    for r in 0..len {
        let text = src.value(r).to_display();
        let pairs = kv_pairs(&text, o, cx).map_err(|m| Diagnostic::runtime(codes::RUNTIME, source.span, m))?;
        for ((k, ty), b) in keys.iter().zip(builders.iter_mut()) {
            match pairs.iter().find(|(pk, _)| pk == k) {
                Some((_, v)) => b.push(&cast::cast_value(&Value::str(v), *ty)),
                None => b.push(&cast::cast_value(&Value::Null, *ty)),
            }
        }
    }
    let mut columns = t.columns.clone();
    let mut fields = t.fields.clone();
    for ((k, ty), b) in keys.iter().zip(builders) {
        let c = Arc::new(b.finish());
        match fields.iter().position(|f| &f.name == k) {
            Some(i) => {
                fields[i].ty = *ty;
                columns[i] = c;
            }
            None => {
                fields.push(Field::new(k, *ty));
                columns.push(c);
            }
        }
    }
    Ok(Table::with_len(schema.as_ref().clone(), columns, len))
}

// ---------------------------------------------------------------- scan

/// Runs `scan`, `partition` and `sample` nodes (kept out of [`execute`]'s frame).
#[inline(never)]
pub fn run_rare(plan: &crate::plan::Plan, cx: &ExecCtx) -> EResult<Table> {
    use crate::plan::Node;
    match &plan.node {
        Node::StepScan(n) => step_scan(&execute(&n.input, cx)?, n, &plan.schema, plan.span, cx),
        Node::Partition(n) => partition(&execute(&n.input, cx)?, n, &plan.schema, plan.span, cx),
        Node::Sample(n) => {
            let t = execute(&n.input, cx)?;
            let count = ops::count_value(&n.count, cx)?;
            Ok(sample(&t, count, n.distinct, &plan.schema))
        }
        _ => Err(Diagnostic::runtime(codes::RUNTIME, plan.span, "internal error: run_rare got another operator")),
    }
}

/// The state of one step: the records that matched steps 0..=k of its sequence, the
/// sequence's match id, and (for `output=last`) the record not yet output.
struct StepState {
    slots: Vec<Vec<Value>>,
    match_id: i64,
}

/// `scan`: each record is checked against the steps from the last to the first (Kusto's
/// documented matching logic). Check 1: the previous step has a sequence and the record meets
/// this step's condition (seen with that sequence): the sequence moves up to this step.
/// Check 2 (only when check 1 did not match): this step has a sequence, or is the first
/// step, and the record meets its condition: the record replaces this step's record (the
/// first step starts a new sequence with the next match id).
pub fn step_scan(t: &Table, node: &StepScan, schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let StepScan { defaults, steps, match_id, .. } = node;
    let w = t.fields.len();
    let width = w + defaults.len();
    let n = steps.len();
    // The fields of the row the expressions see (names do not matter to evaluation).
    let vfields: Vec<Field> = (0..=n)
        .flat_map(|_| t.fields.iter().map(|f| f.ty).chain(schema[w..w + defaults.len()].iter().map(|f| f.ty)))
        .enumerate()
        .map(|(i, ty)| Field::new(format!("c{i}"), ty))
        .collect();
    let empty: Vec<Value> = std::iter::repeat_n(Value::Null, w).chain(defaults.iter().cloned()).collect();
    let view = |rec: &[Value], st: Option<&StepState>| -> Vec<Value> {
        let mut row = rec.to_vec();
        for j in 0..n {
            match st.and_then(|s| s.slots.get(j)) {
                Some(r) => row.extend(r.iter().cloned()),
                None => row.extend(empty.iter().cloned()),
            }
        }
        row
    };
    let eval_row = |e: &BExpr, row: Vec<Value>| -> EResult<Value> {
        let one = Table::from_rows(vfields.clone(), &[row]);
        Ok(eval(e, &one, cx)?.value(0))
    };
    let mut state: Vec<Option<StepState>> = (0..n).map(|_| None).collect();
    let mut pending: Vec<Option<(Vec<Value>, i64)>> = vec![None; n];
    let mut out: Vec<(Vec<Value>, i64)> = Vec::new();
    let mut next_id = 0i64;
    // Computes the step's assignments on the record as the condition saw it.
    let assign = |k: usize, rec: &[Value], row: Vec<Value>| -> EResult<Vec<Value>> {
        let mut r = rec.to_vec();
        for (d, e) in &steps[k].assign {
            r[w + d] = eval_row(e, row.clone())?;
        }
        Ok(r)
    };
    for i in 0..t.len() {
        let mut rec = t.row(i);
        rec.extend(defaults.iter().cloned());
        debug_assert_eq!(rec.len(), width);
        for k in (0..n).rev() {
            let mut moved = false;
            if k > 0 && state[k - 1].is_some() {
                let row = view(&rec, state[k - 1].as_ref());
                if eval_row(&steps[k].condition, row.clone())? == Value::Bool(true) {
                    let r = assign(k, &rec, row)?;
                    // This step's old sequence ends, and the previous step's moves up.
                    for j in [k, k - 1] {
                        if let Some(p) = pending[j].take() {
                            out.push(p);
                        }
                    }
                    let mut st = state[k - 1].take().expect("checked above");
                    st.slots.truncate(k);
                    st.slots.push(r.clone());
                    match steps[k].output {
                        ScanOutput::All => out.push((r, st.match_id)),
                        ScanOutput::Last => pending[k] = Some((r, st.match_id)),
                        ScanOutput::None => {}
                    }
                    state[k] = Some(st);
                    moved = true;
                }
            }
            if !moved && (k == 0 || state[k].is_some()) {
                let row = view(&rec, state[k].as_ref());
                if eval_row(&steps[k].condition, row.clone())? == Value::Bool(true) {
                    let r = assign(k, &rec, row)?;
                    let id = if k == 0 {
                        // A new sequence (and match id) begins when the first step has none;
                        // otherwise the record replaces the first step's record.
                        let id = match &state[0] {
                            Some(st) => st.match_id,
                            None => {
                                next_id += 1;
                                next_id - 1
                            }
                        };
                        state[0] = Some(StepState { slots: vec![r.clone()], match_id: id });
                        id
                    } else {
                        let st = state[k].as_mut().expect("checked above");
                        st.slots[k] = r.clone();
                        st.match_id
                    };
                    match steps[k].output {
                        ScanOutput::All => out.push((r, id)),
                        ScanOutput::Last => pending[k] = Some((r, id)),
                        ScanOutput::None => {}
                    }
                }
            }
        }
        cx.check_rows(out.len(), span, "This scan")?;
    }
    out.extend(pending.into_iter().flatten());
    let rows: Vec<Vec<Value>> = out
        .into_iter()
        .map(|(mut r, id)| {
            if *match_id {
                r.push(Value::Long(id));
            }
            r
        })
        .collect();
    Ok(Table::from_rows(schema.as_ref().clone(), &rows))
}

// ---------------------------------------------------------------- partition, sample

/// `partition by key (sub)`: the subquery once per key value (nulls are one value), in the
/// order the values first appear.
pub fn partition(t: &Table, node: &Partition, schema: &Schema, span: Span, cx: &ExecCtx) -> EResult<Table> {
    let (gid, firsts) = group_ids(&[t.columns[node.key].clone()], t.len());
    let ngroups = firsts.len();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); ngroups];
    for (i, g) in gid.iter().enumerate() {
        members[*g as usize].push(i as u32);
    }
    // In the order the values first appear.
    members.retain(|m| !m.is_empty());
    crate::util::sort::sort_by_key(&mut members, |m| m[0]);
    let mut parts = Vec::new();
    let mut total = 0;
    for rows in &members {
        cx.implicit.borrow_mut().push(Arc::new(t.take(rows)));
        cx.scalars.borrow_mut().clear();
        cx.tables.borrow_mut().clear();
        let res = execute(&node.sub, cx);
        cx.implicit.borrow_mut().pop();
        let res = res?;
        total += res.len();
        cx.check_rows(total, span, "This partition")?;
        parts.push(res);
    }
    let columns = (0..schema.len())
        .map(|c| {
            let refs: Vec<&Column> = parts.iter().map(|p| &*p.columns[c]).collect();
            Arc::new(Column::concat(schema[c].ty, &refs))
        })
        .collect();
    Ok(Table::with_len(schema.as_ref().clone(), columns, total))
}

/// A fixed pseudo-random key for position i (splitmix64): the same on every run.
fn shuffle_key(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `sample N`: N rows in a fixed pseudo-random order; `sample-distinct N of c`: N distinct
/// values of column c, picked the same way.
pub fn sample(t: &Table, count: usize, distinct: Option<usize>, schema: &Schema) -> Table {
    let rows: Vec<u32> = match distinct {
        Some(c) => group_ids(&[t.columns[c].clone()], t.len()).1,
        None => (0..t.len() as u32).collect(),
    };
    let mut keyed: Vec<(u64, u32)> = rows.iter().map(|&r| (shuffle_key(r as u64), r)).collect();
    keyed.sort_unstable();
    let picked: Vec<u32> = keyed.into_iter().take(count).map(|(_, r)| r).collect();
    match distinct {
        Some(c) => Table::with_len(schema.as_ref().clone(), vec![Arc::new(t.columns[c].take(&picked))], picked.len()),
        None => t.take(&picked),
    }
}
