//! Filters as selection vectors, and the column pruning that lets them copy only what the
//! rest of the plan reads.
//!
//! A chain of `where` steps is one conjunction: its conjuncts are evaluated one after the
//! other, each only on the rows the earlier ones kept (a sorted list of row numbers, the
//! *selection*), and only at the end are the columns that later operators read gathered.
//! Conjuncts run cheapest first:
//!
//! 1. predicates over one dictionary-encoded string column (`Url contains "x"`,
//!    `ThreatTypes != ""`, `Url has_any (...)`): evaluated once per distinct string by running
//!    the ordinary expression evaluator over the dictionary itself, then tested per row by code;
//! 2. comparisons of a numeric or datetime column with a constant: a tight loop;
//! 3. anything else: the ordinary evaluator over the selected rows of the columns it reads.
//!
//! Results are exactly those of evaluating each `where` on the whole table: a row's result
//! depends only on its own values. Expressions that depend on row positions (`row_number()`,
//! `prev()`, `next()`) keep the plain path. One difference is deliberate: a conjunct that can
//! fail at run time is no longer evaluated on rows an earlier conjunct already rejected.

use super::eval::{eval, EResult};
use super::val::Val;
use super::{run, ExecCtx};
use crate::plan::Filter;
use crate::plan::{BExpr, BKind, CmpOp, Plan};
use crate::table::{Column, StrColumn, Table};
use crate::types::{DataType, Value};
use std::sync::Arc;

/// Columns of the input that an expression reads.
pub fn expr_columns(e: &BExpr, need: &mut [bool]) {
    e.walk(&mut |x| {
        if let BKind::Column(i) = x.kind {
            if let Some(n) = need.get_mut(i) {
                *n = true;
            }
        }
    });
}

/// The single column an expression reads, if it reads exactly one.
fn single_column(e: &BExpr) -> Option<usize> {
    let mut col: Option<usize> = None;
    let mut many = false;
    e.walk(&mut |x| {
        if let BKind::Column(i) = x.kind {
            match col {
                None => col = Some(i),
                Some(c) if c != i => many = true,
                _ => {}
            }
        }
    });
    if many {
        None
    } else {
        col
    }
}

/// `Filter(Filter(... input ...))`: the input and the predicates, innermost first.
/// The input under a chain of adjacent filters, and each filter's span and predicate in the
/// order they apply.
fn filter_chain(plan: &Plan) -> (&Plan, Vec<(crate::diag::Span, &BExpr)>) {
    let mut preds = Vec::new();
    let mut p = plan;
    while let crate::plan::Node::Filter(Filter { input, predicate }) = &p.node {
        preds.push((p.span, predicate));
        p = input;
    }
    preds.reverse();
    (p, preds)
}

fn conjuncts<'a>(e: &'a BExpr, out: &mut Vec<&'a BExpr>) {
    match &e.kind {
        BKind::And(l, r) => {
            conjuncts(l, out);
            conjuncts(r, out);
        }
        _ => out.push(e),
    }
}

/// A numeric column compared with an expression that does not depend on the row (a literal,
/// `ago(7d)`, `now() - 1h`): `(column, op as seen from the column, that expression)`.
fn column_vs_const(e: &BExpr) -> Option<(usize, CmpOp, &BExpr)> {
    let BKind::Cmp(op, l, r) = &e.kind else { return None };
    let flip = |op: CmpOp| match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    };
    let numeric = |t: DataType| matches!(t, DataType::Long | DataType::DateTime | DataType::TimeSpan | DataType::Int | DataType::Real);
    if !numeric(l.ty) || matches!(op, CmpOp::EqCi | CmpOp::NeCi) {
        return None;
    }
    match (&l.kind, &r.kind) {
        (BKind::Column(i), _) if row_independent(r) => Some((*i, *op, r)),
        (_, BKind::Column(i)) if row_independent(l) => Some((*i, flip(*op), l)),
        _ => None,
    }
}

/// Whether an expression has the same value on every row (reads no column and no position).
fn row_independent(e: &BExpr) -> bool {
    let mut dependent = false;
    e.walk(&mut |x| dependent |= matches!(x.kind, BKind::Column(_) | BKind::RowNumber(_) | BKind::Shift { .. }));
    !dependent
}

/// Runs a chain of filters; `need` says which output columns the consumer reads.
pub fn filter_node(plan: &Plan, cx: &ExecCtx, need: Option<&[bool]>) -> EResult<Table> {
    let (t, rows) = filter_rows(plan, cx, need)?;
    Ok(gather(&t, rows, need))
}

/// [`filter_node`] before its gather: the filters' input table (the columns in `need` and
/// those the predicates read) and the rows that pass (`None`: all of them). A consumer that
/// can read through the row list (`aggregate::aggregate_selected`) skips copying them.
pub fn filter_rows(plan: &Plan, cx: &ExecCtx, need: Option<&[bool]>) -> EResult<(Table, Option<Vec<u32>>)> {
    let (input, preds) = filter_chain(plan);
    if preds.iter().any(|(_, p)| p.needs_order()) {
        // Positional predicates see exactly the rows of their own input: one step at a time.
        let crate::plan::Node::Filter(Filter { input, predicate }) = &plan.node else { unreachable!("a filter node") };
        let width = input.schema.len();
        let mut need_in = need.map_or_else(|| vec![true; width], |n| n.to_vec());
        expr_columns(predicate, &mut need_in);
        let t = run(input, cx, Some(&need_in))?;
        let rows = truth_rows(&eval(predicate, &t, cx)?, t.len());
        return Ok((t, rows));
    }
    let width = input.schema.len();
    let mut need_in = need.map_or_else(|| vec![true; width], |n| n.to_vec());
    let mut groups = Vec::new();
    for (span, p) in &preds {
        expr_columns(p, &mut need_in);
        let mut group = Vec::new();
        conjuncts(p, &mut group);
        groups.push((*span, group));
    }
    let t = run(input, cx, Some(&need_in))?;
    // Cheapest first; the sort is stable, so equal classes keep the query's order.
    let class = |e: &BExpr| -> u8 {
        match single_column(e) {
            Some(c) if t.columns[c].as_str_column().is_some() || matches!(*t.columns[c], Column::GuidText(_)) => 0,
            _ if column_vs_const(e).is_some() => 1,
            _ => 2,
        }
    };
    let mut sel: Option<Vec<u32>> = None;
    if cx.tracing() {
        // The pipeline stepper counts the rows after each `where`: the filters apply in the
        // query's order, each one's conjuncts cheapest first, with the same kernels.
        for (span, mut group) in groups {
            crate::util::sort::sort_by_key(&mut group, |e| class(e));
            for p in group {
                sel = Some(refine(p, &t, sel, cx)?);
            }
            cx.record(span, sel.as_ref().map_or(t.len(), |s| s.len()));
        }
        return Ok((t, sel));
    }
    let mut all: Vec<&BExpr> = groups.into_iter().flat_map(|(_, g)| g).collect();
    crate::util::sort::sort_by_key(&mut all, |e| class(e));
    for p in all {
        sel = Some(refine(p, &t, sel, cx)?);
    }
    Ok((t, sel))
}

/// The rows of `sel` (all rows when `None`) where `p` is true.
fn refine(p: &BExpr, t: &Table, sel: Option<Vec<u32>>, cx: &ExecCtx) -> EResult<Vec<u32>> {
    let n = sel.as_ref().map_or(t.len(), |s| s.len());
    if let Some(c) = single_column(p) {
        if let Column::GuidText(g) = &*t.columns[c] {
            return guid_rows(p, t, c, g, sel, cx);
        }
        if let Some(sc) = t.columns[c].as_str_column() {
            if sc.dict.len() <= n.saturating_mul(2).max(64) {
                let lut = dict_truth(p, t, c, sc, cx)?;
                return Ok(crate::table::with_codes!(&sc.codes, |codes| lut_rows(&lut, &codes[..t.len()], sel)));
            }
        }
    }
    if let Some((c, op, other)) = column_vs_const(p) {
        let one = Table::with_len(vec![], vec![], 1);
        if let Val::Scalar(v) = eval(other, &one, cx)? {
            let mut sel = sel;
            if let Some(rows) = compare_const(&t.columns[c], op, &v, &mut sel, t.len()) {
                return Ok(rows);
            }
            return generic(p, t, sel, cx);
        }
    }
    generic(p, t, sel, cx)
}

/// Any predicate: the evaluator over the selected rows of the columns it reads.
fn generic(p: &BExpr, t: &Table, sel: Option<Vec<u32>>, cx: &ExecCtx) -> EResult<Vec<u32>> {
    match sel {
        None => {
            let v = eval(p, t, cx)?;
            Ok(truth_rows(&v, t.len()).unwrap_or_else(|| (0..t.len() as u32).collect()))
        }
        Some(sel) => {
            let mut cols = vec![false; t.columns.len()];
            expr_columns(p, &mut cols);
            let sub = take_columns(t, &sel, &cols);
            let v = eval(p, &sub, cx)?;
            Ok(match truth_rows(&v, sub.len()) {
                None => sel,
                Some(rows) => rows.iter().map(|&r| sel[r as usize]).collect(),
            })
        }
    }
}

/// The rows of `sel` (all when `None`) where `p`, whose only column `c` holds GUIDs stored as
/// numbers, is true. `==` and `!=` with a constant compare numbers (the constant parsed once;
/// a text that is no GUID in Kusto's form equals no row but the empty ones, if it is empty).
/// Anything else runs the ordinary evaluator over the rows' texts, a block of rows at a time,
/// so the texts of a large table are never all held at once.
fn guid_rows(p: &BExpr, t: &Table, c: usize, g: &crate::table::GuidColumn, sel: Option<Vec<u32>>, cx: &ExecCtx) -> EResult<Vec<u32>> {
    let values = g.values.as_slice();
    if let BKind::Cmp(op @ (CmpOp::Eq | CmpOp::Ne), l, r) = &p.kind {
        let konst = match (&l.kind, &r.kind) {
            (BKind::Column(_), BKind::Const(Value::String(s))) | (BKind::Const(Value::String(s)), BKind::Column(_)) => Some(s),
            _ => None,
        };
        if let Some(s) = konst {
            let want = *op == CmpOp::Eq;
            // u128::MAX is never stored (its text has no hyphens): no row equals it.
            let target = if s.is_empty() { 0 } else { crate::table::guids::parse_guid_text(s).unwrap_or(u128::MAX) };
            return Ok(pick(sel, t.len(), |i| (values[i] == target) == want));
        }
    }
    const BLOCK: usize = 1 << 14;
    let rows: Vec<u32> = sel.unwrap_or_else(|| (0..t.len() as u32).collect());
    let mut out = Vec::new();
    for block in rows.chunks(BLOCK) {
        let texts = g.take(block).to_str_column();
        let lut = dict_truth(p, t, c, &texts, cx)?;
        out.extend(block.iter().zip(&lut).filter(|(_, &keep)| keep).map(|(&r, _)| r));
    }
    Ok(out)
}

/// `p` evaluated once per dictionary entry of column `c` (its only column): true where the
/// predicate is true (null counts as false).
fn dict_truth(p: &BExpr, t: &Table, c: usize, sc: &StrColumn, cx: &ExecCtx) -> EResult<Vec<bool>> {
    let n = sc.dict.len();
    let entries = StrColumn { dict: sc.dict.clone(), codes: crate::table::Codes::identity(n) };
    let col = match &*t.columns[c] {
        Column::Guid(_) => Column::Guid(entries),
        _ => Column::String(entries),
    };
    let columns: Vec<Arc<Column>> =
        t.columns.iter().enumerate().map(|(i, x)| if i == c { Arc::new(col.clone()) } else { Arc::new(Column::placeholder(x.data_type())) }).collect();
    let dt = Table::with_placeholders(t.fields.clone(), columns, n);
    let v = eval(p, &dt, cx)?;
    let mut lut = vec![false; n];
    match truth_rows(&v, n) {
        None => lut.iter_mut().for_each(|x| *x = true),
        Some(rows) => rows.iter().for_each(|&r| lut[r as usize] = true),
    }
    Ok(lut)
}

/// Row numbers where a predicate's value is true; `None` means every row.
pub fn truth_rows(v: &Val, len: usize) -> Option<Vec<u32>> {
    match v {
        Val::Scalar(Value::Bool(true)) => None,
        Val::Scalar(_) => Some(Vec::new()),
        Val::Col(c) => match &**c {
            Column::Bool(p) => {
                let values = p.values.as_slice();
                Some(match p.valid.as_deref() {
                    None => pick(None, len, |i| values[i]),
                    Some(m) => pick(None, len, |i| values[i] && m[i]),
                })
            }
            other => Some(pick(None, len, |i| matches!(other.value(i), Value::Bool(true) | Value::Dynamic(crate::types::Dynamic::Bool(true))))),
        },
    }
}

/// The rows of `sel` (all `len` rows when `None`) for which `f` is true, in order.
///
/// Per-row loops here and in the filters index slices, not `Vec`s: the web build is
/// optimised for size, which leaves `Vec`'s `Index` impl as a call per row (seen in the
/// worker's CPU profile, `bench/profile.mjs`), while slice indexing is built in.
#[inline(always)]
pub fn pick(sel: Option<Vec<u32>>, len: usize, mut f: impl FnMut(usize) -> bool) -> Vec<u32> {
    match sel {
        None => {
            let mut out = vec![0u32; len];
            let o = out.as_mut_slice();
            let mut n = 0;
            for i in 0..len {
                o[n] = i as u32;
                n += usize::from(f(i));
            }
            out.truncate(n);
            out
        }
        Some(mut s) => {
            let v = s.as_mut_slice();
            let mut n = 0;
            for k in 0..v.len() {
                let i = v[k];
                v[n] = i;
                n += usize::from(f(i as usize));
            }
            s.truncate(n);
            s
        }
    }
}

/// Integer column values widened to `i64` for [`in_range`].
trait Widen: Copy {
    fn widen(self) -> i64;
}
impl Widen for i64 {
    #[inline(always)]
    fn widen(self) -> i64 {
        self
    }
}
impl Widen for i32 {
    #[inline(always)]
    fn widen(self) -> i64 {
        i64::from(self)
    }
}

/// The rows (of `sel`, or all) whose value lies in `lo..=hi` (outside it when `neg`); nulls
/// never. Written as plain loops rather than through [`pick`] and a closure: the size-optimised
/// web build does not inline the closure, which cost a call per row (the largest item in the
/// worker's profile of `where Timestamp > ago(7d)`). Indexed loops, not iterator adapters,
/// for the same reason.
#[allow(clippy::needless_range_loop)]
fn in_range<T: Widen>(values: &[T], valid: Option<&[bool]>, sel: Option<Vec<u32>>, (lo, hi, neg): (i64, i64, bool)) -> Vec<u32> {
    let mut n = 0;
    let Some(mut out) = sel else {
        let mut out = vec![0u32; values.len()];
        let o = out.as_mut_slice();
        match valid {
            None => {
                for i in 0..values.len() {
                    let x = values[i].widen();
                    o[n] = i as u32;
                    n += usize::from(((lo <= x) & (x <= hi)) != neg);
                }
            }
            Some(m) => {
                for i in 0..values.len() {
                    let x = values[i].widen();
                    o[n] = i as u32;
                    // A null cell is unequal to the (non-null) constant: only `!=` keeps it.
                    n += usize::from((m[i] & (((lo <= x) & (x <= hi)) != neg)) | (neg & !m[i]));
                }
            }
        }
        out.truncate(n);
        return out;
    };
    let o = out.as_mut_slice();
    for k in 0..o.len() {
        let i = o[k];
        let x = values[i as usize].widen();
        let hit = ((lo <= x) & (x <= hi)) != neg;
        o[n] = i;
        n += usize::from(match valid {
            None => hit,
            Some(m) => (m[i as usize] & hit) | (neg & !m[i as usize]),
        });
    }
    out.truncate(n);
    out
}

/// The rows (of `sel`, or all) whose dictionary code is true in `lut`: a string predicate
/// evaluated once per distinct string. Plain loops, as in [`in_range`].
#[allow(clippy::needless_range_loop)]
fn lut_rows<C: crate::table::Code>(lut: &[bool], codes: &[C], sel: Option<Vec<u32>>) -> Vec<u32> {
    let mut n = 0;
    let Some(mut out) = sel else {
        let mut out = vec![0u32; codes.len()];
        let o = &mut out[..codes.len()];
        for i in 0..codes.len() {
            o[n] = i as u32;
            n += usize::from(lut[codes[i].ix()]);
        }
        out.truncate(n);
        return out;
    };
    let o = out.as_mut_slice();
    for k in 0..o.len() {
        let i = o[k];
        o[n] = i;
        n += usize::from(lut[codes[i as usize].ix()]);
    }
    out.truncate(n);
    out
}

/// `column op constant` over the selected rows, with the evaluator's semantics: null on
/// either side is not true; for reals, NaN is unequal to everything. `None` (and `sel` left
/// alone) when the column or constant is of another kind.
fn compare_const(c: &Column, op: CmpOp, v: &Value, sel: &mut Option<Vec<u32>>, len: usize) -> Option<Vec<u32>> {
    fn run<T: Copy>(values: &[T], valid: Option<&[bool]>, sel: &mut Option<Vec<u32>>, len: usize, ne: bool, test: impl Fn(T) -> bool) -> Vec<u32> {
        let sel = sel.take();
        match valid {
            None => pick(sel, len, |i| test(values[i])),
            Some(m) => pick(sel, len, |i| if m[i] { test(values[i]) } else { ne }),
        }
    }
    // Every integer comparison as one range test, `lo <= x <= hi` (negated for `!=`), so the
    // row loop does not branch on the operator.
    fn range(op: CmpOp, k: i64) -> (i64, i64, bool) {
        const NONE: (i64, i64, bool) = (i64::MAX, i64::MIN, false);
        match op {
            CmpOp::Eq => (k, k, false),
            CmpOp::Ne => (k, k, true),
            CmpOp::Lt => k.checked_sub(1).map_or(NONE, |h| (i64::MIN, h, false)),
            CmpOp::Le => (i64::MIN, k, false),
            CmpOp::Gt => k.checked_add(1).map_or(NONE, |l| (l, i64::MAX, false)),
            CmpOp::Ge => (k, i64::MAX, false),
            CmpOp::EqCi | CmpOp::NeCi => NONE,
        }
    }
    // Against a null constant only `!=` holds, and only on the non-null cells.
    let vs_null = |valid: Option<&[bool]>, sel: &mut Option<Vec<u32>>| -> Vec<u32> {
        if op != CmpOp::Ne {
            return Vec::new();
        }
        match valid {
            None => pick(sel.take(), len, |_| true),
            Some(m) => pick(sel.take(), len, |i| m[i]),
        }
    };
    match c {
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => {
            let k = match v {
                Value::Long(x) | Value::DateTime(x) | Value::TimeSpan(x) => *x,
                Value::Int(x) => *x as i64,
                Value::Null => return Some(vs_null(p.valid.as_deref(), sel)),
                _ => return None,
            };
            Some(in_range(&p.values, p.valid.as_deref(), sel.take(), range(op, k)))
        }
        Column::Int(p) => {
            let k = match v {
                Value::Int(x) => *x,
                Value::Null => return Some(vs_null(p.valid.as_deref(), sel)),
                _ => return None,
            };
            Some(in_range(&p.values, p.valid.as_deref(), sel.take(), range(op, i64::from(k))))
        }
        Column::Real(p) => {
            let k = match v {
                Value::Real(x) => *x,
                Value::Null => return Some(vs_null(p.valid.as_deref(), sel)),
                _ => return None,
            };
            // partial_cmp: NaN on either side compares as nothing, so only != is true.
            Some(run(&p.values, p.valid.as_deref(), sel, len, op == CmpOp::Ne, move |x: f64| match x.partial_cmp(&k) {
                None => op == CmpOp::Ne,
                Some(o) => match op {
                    CmpOp::Eq => o.is_eq(),
                    CmpOp::Ne => o.is_ne(),
                    CmpOp::Lt => o.is_lt(),
                    CmpOp::Le => o.is_le(),
                    CmpOp::Gt => o.is_gt(),
                    CmpOp::Ge => o.is_ge(),
                    CmpOp::EqCi | CmpOp::NeCi => false,
                },
            }))
        }
        _ => None,
    }
}

/// The selected rows of the columns marked in `cols`; the others are placeholders.
pub fn take_columns(t: &Table, rows: &[u32], cols: &[bool]) -> Table {
    let columns =
        t.columns.iter().zip(cols).map(|(c, &keep)| if keep { Arc::new(c.take(rows)) } else { Arc::new(Column::placeholder(c.data_type())) }).collect();
    Table::with_placeholders(t.fields.clone(), columns, rows.len())
}

/// The filter's output: the selected rows of the needed columns (`None` = all rows).
fn gather(t: &Table, rows: Option<Vec<u32>>, need: Option<&[bool]>) -> Table {
    let Some(rows) = rows else { return t.clone() };
    if rows.len() == t.len() {
        return t.clone();
    }
    match need {
        None => t.take(&rows),
        Some(n) => take_columns(t, &rows, n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Prim;

    /// The range form of `compare_const` against the comparison written out, for every
    /// operator at the edges of the integer types, with nulls, with and without a selection.
    #[test]
    fn integer_comparisons_with_a_constant_match_the_plain_comparison() {
        let longs = [Some(i64::MIN), Some(i64::MIN + 1), Some(-1), None, Some(0), Some(1), Some(i64::MAX - 1), Some(i64::MAX)];
        let ints = [Some(i32::MIN), Some(-1), None, Some(0), Some(1), Some(i32::MAX)];
        let ops = [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
        let holds = |op: CmpOp, x: i64, k: i64| match op {
            CmpOp::Eq => x == k,
            CmpOp::Ne => x != k,
            CmpOp::Lt => x < k,
            CmpOp::Le => x <= k,
            CmpOp::Gt => x > k,
            CmpOp::Ge => x >= k,
            CmpOp::EqCi | CmpOp::NeCi => unreachable!(),
        };
        let cases: Vec<(Column, Vec<Option<i64>>)> = vec![
            (Column::Long(Prim::from_options(longs)), longs.to_vec()),
            (Column::DateTime(Prim::from_options(longs)), longs.to_vec()),
            (Column::Int(Prim::from_options(ints)), ints.iter().map(|x| x.map(i64::from)).collect()),
        ];
        for (col, cells) in &cases {
            for op in ops {
                for k in longs.iter().flatten().copied() {
                    let v = match col {
                        Column::Int(_) => match i32::try_from(k) {
                            Ok(k) => Value::Int(k),
                            Err(_) => continue,
                        },
                        Column::DateTime(_) => Value::DateTime(k),
                        _ => Value::Long(k),
                    };
                    let want: Vec<u32> = (0..cells.len() as u32).filter(|&i| cells[i as usize].map_or(op == CmpOp::Ne, |x| holds(op, x, k))).collect();
                    assert_eq!(compare_const(col, op, &v, &mut None, cells.len()), Some(want.clone()), "{op:?} {k}");
                    // Only the odd rows selected.
                    let odd: Vec<u32> = want.iter().copied().filter(|i| i % 2 == 1).collect();
                    let mut sel = Some((1..cells.len() as u32).step_by(2).collect());
                    assert_eq!(compare_const(col, op, &v, &mut sel, cells.len()), Some(odd), "{op:?} {k}, odd rows");
                    assert_eq!(compare_const(col, op, &v, &mut Some(vec![]), cells.len()), Some(vec![]), "{op:?} {k}, no rows");
                }
                let non_null: Vec<u32> = (0..cells.len() as u32).filter(|&i| op == CmpOp::Ne && cells[i as usize].is_some()).collect();
                assert_eq!(compare_const(col, op, &Value::Null, &mut None, cells.len()), Some(non_null), "{op:?} null");
            }
        }
    }
}
