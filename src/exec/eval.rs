//! Vectorised evaluation of bound expressions over a table.

use super::strops::{self, Needle};
use super::val::*;
use super::{cast, scalar, ExecCtx};
use crate::diag::Diagnostic;
use crate::plan::{ArithOp, BExpr, BKind, CmpOp, ListSource};
use crate::plan::{ListOp, StrOp};
use crate::table::{Column, ColumnBuilder, Table};
use crate::types::{DataType, Dynamic, Value};

pub type EResult<T> = Result<T, Diagnostic>;

/// Like [`eval`], but a bare column comes back in its stored form, so a GUID column stored as
/// numbers stays numbers: for consumers that handle [`Column::GuidText`] themselves (grouping
/// keys, `dcount`).
pub fn eval_key(e: &BExpr, t: &Table, cx: &ExecCtx) -> EResult<Val> {
    match &e.kind {
        BKind::Column(i) => Ok(Val::Col(t.columns[*i].clone())),
        _ => eval(e, t, cx),
    }
}

/// Evaluates `e` over every row of `t`.
pub fn eval(e: &BExpr, t: &Table, cx: &ExecCtx) -> EResult<Val> {
    let len = t.len();
    Ok(match &e.kind {
        BKind::Column(i) => match &*t.columns[*i] {
            // GUIDs stored as numbers are read as their text here, so every string kernel sees
            // an ordinary dictionary column; the paths that work on the numbers take the
            // column before this (`eval_key`, the filters, joins).
            Column::GuidText(g) => Val::col(Column::String(g.to_str_column())),
            _ => Val::Col(t.columns[*i].clone()),
        },
        BKind::Const(v) => Val::Scalar(v.clone()),
        BKind::Cast(inner) => {
            let v = eval(inner, t, cx)?;
            match v {
                Val::Scalar(s) => Val::Scalar(cast::cast_value(&s, e.ty)),
                Val::Col(c) => Val::col(cast::cast_column(&c, e.ty)),
            }
        }
        BKind::Cmp(op, l, r) => {
            let a = eval(l, t, cx)?;
            let b = eval(r, t, cx)?;
            compare(*op, l.ty, &a, &b, len)
        }
        BKind::Arith(op, l, r) => {
            let a = eval(l, t, cx)?;
            let b = eval(r, t, cx)?;
            arith(*op, l.ty, r.ty, e.ty, &a, &b, len)
        }
        BKind::And(l, r) => {
            let a = eval(l, t, cx)?;
            // Short-circuit a constant false.
            if let Val::Scalar(Value::Bool(false)) = a {
                return Ok(a);
            }
            let b = eval(r, t, cx)?;
            out_bool(map2_kleene(len, &p_bool(&a), &p_bool(&b), true))
        }
        BKind::Or(l, r) => {
            let a = eval(l, t, cx)?;
            if let Val::Scalar(Value::Bool(true)) = a {
                return Ok(a);
            }
            let b = eval(r, t, cx)?;
            out_bool(map2_kleene(len, &p_bool(&a), &p_bool(&b), false))
        }
        BKind::Not(x) => {
            let a = eval(x, t, cx)?;
            out_bool(map1(len, &p_bool(&a), |b| Some(!b)))
        }
        BKind::Neg(x) => {
            let a = eval(x, t, cx)?;
            match e.ty {
                DataType::Real => out_f64(map1(len, &p_f64(&a), |v| Some(-v))),
                DataType::Int => out_i32(map1(len, &p_i32(&a), |v| v.checked_neg())),
                ty => out_i64(map1(len, &p_i64(&a), |v| v.checked_neg()), ty),
            }
        }
        BKind::Str { op, negated, left, right } => {
            let a = eval(left, t, cx)?;
            let b = eval(right, t, cx)?;
            str_pred(*op, *negated, &a, &b, len, cx, right)?
        }
        BKind::InList { op, value, list } => {
            let v = eval(value, t, cx)?;
            let items = list_items(list, t, cx)?;
            in_list(*op, value.ty, &v, &items, len)
        }
        BKind::Between { value, low, high, negated } => {
            let v = eval(value, t, cx)?;
            let lo = eval(low, t, cx)?;
            let hi = eval(high, t, cx)?;
            let neg = *negated;
            if value.ty == DataType::Real {
                let (pv, pl, ph) = (p_f64(&v), p_f64(&lo), p_f64(&hi));
                out_bool(collect_or_scalar(len, [&v, &lo, &hi], |i| match (pv.get(i), pl.get(i), ph.get(i)) {
                    (Some(x), Some(a), Some(b)) => Some((x >= a && x <= b) != neg),
                    _ => None,
                }))
            } else if value.ty == DataType::Int {
                let (pv, pl, ph) = (p_i32(&v), p_i32(&lo), p_i32(&hi));
                out_bool(collect_or_scalar(len, [&v, &lo, &hi], |i| match (pv.get(i), pl.get(i), ph.get(i)) {
                    (Some(x), Some(a), Some(b)) => Some((x >= a && x <= b) != neg),
                    _ => None,
                }))
            } else if value.ty == DataType::Dynamic {
                out_bool(collect_or_scalar(len, [&v, &lo, &hi], |i| {
                    let (x, a, b) = (cast::to_f64(&v.value(i))?, cast::to_f64(&lo.value(i))?, cast::to_f64(&hi.value(i))?);
                    Some((x >= a && x <= b) != neg)
                }))
            } else {
                let (pv, pl, ph) = (p_i64(&v), p_i64(&lo), p_i64(&hi));
                if let (P::S(Some(a)), P::S(Some(b))) = (&pl, &ph) {
                    let (a, b) = (*a, *b);
                    out_bool(map1(len, &pv, |x| Some((x >= a && x <= b) != neg)))
                } else {
                    out_bool(collect_or_scalar(len, [&v, &lo, &hi], |i| match (pv.get(i), pl.get(i), ph.get(i)) {
                        (Some(x), Some(a), Some(b)) => Some((x >= a && x <= b) != neg),
                        _ => None,
                    }))
                }
            }
        }
        BKind::Call(f, args) => {
            let vals: Vec<Val> = args.iter().map(|a| eval(a, t, cx)).collect::<EResult<_>>()?;
            scalar::call(*f, &vals, args, e, len, cx)?
        }
        BKind::Member(target, key) => {
            let v = eval(target, t, cx)?;
            map_dynamic(&v, len, |d| d.get(key))
        }
        BKind::Index(target, idx) => {
            let v = eval(target, t, cx)?;
            let i = eval(idx, t, cx)?;
            if v.is_scalar() && i.is_scalar() {
                Val::Scalar(index_value(&v.value(0), &i.value(0)))
            } else {
                let items: Vec<Dynamic> = (0..len)
                    .map(|r| match index_value(&v.value(r), &i.value(r)) {
                        Value::Dynamic(d) => d,
                        _ => Dynamic::Null,
                    })
                    .collect();
                Val::col(Column::Dynamic(items))
            }
        }
        BKind::Subquery(plan) => Val::Scalar(cx.scalar_subquery(plan)?),
        BKind::RowNumber(start) => {
            let s = *start;
            Val::col(Column::Long(crate::table::Prim::new((0..len as i64).map(|i| s + i).collect())))
        }
        BKind::Shift { value, offset, default } => {
            let v = eval(value, t, cx)?.into_column(value.ty, len);
            let d = match default {
                Some(d) => eval(d, t, cx)?,
                None => Val::Scalar(Value::Null),
            };
            if let Val::Scalar(fill) = &d {
                if v.data_type() == e.ty && e.ty != DataType::Dynamic {
                    return Ok(Val::col(shift(&v, *offset, fill, len)));
                }
            }
            let mut b = ColumnBuilder::new(e.ty, len);
            for i in 0..len {
                let j = i as i64 + offset;
                if j >= 0 && (j as usize) < len {
                    b.push(&v.value(j as usize));
                } else {
                    b.push(&d.value(i));
                }
            }
            Val::col(b.finish())
        }
    })
}

/// `prev()`/`next()` of a whole column: the column moved by `offset` rows (`prev` is negative),
/// the rows it leaves empty filled with `fill` converted to the column's type. Slices and one
/// concatenation instead of a value per row: a string column keeps its codes (the dictionary is
/// remapped once per entry, not once per row).
fn shift(v: &Column, offset: i64, fill: &Value, len: usize) -> Column {
    let ty = v.data_type();
    let k = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX).min(len);
    let fill = Column::repeat(fill, ty, k);
    if offset < 0 {
        Column::concat(ty, &[&fill, &v.slice(0, len - k)])
    } else {
        Column::concat(ty, &[&v.slice(k, len - k), &fill])
    }
}

fn index_value(target: &Value, idx: &Value) -> Value {
    let Value::Dynamic(d) = target else { return Value::Null };
    let r = match idx {
        Value::Long(i) => d.index(*i),
        Value::Int(i) => d.index(*i as i64),
        Value::String(k) => d.get(k),
        Value::Dynamic(Dynamic::Long(i)) => d.index(*i),
        Value::Dynamic(Dynamic::String(k)) => d.get(k),
        _ => Dynamic::Null,
    };
    Value::Dynamic(r)
}

/// Applies a dynamic-to-dynamic function row by row.
pub fn map_dynamic(v: &Val, len: usize, f: impl Fn(&Dynamic) -> Dynamic) -> Val {
    match v {
        Val::Scalar(Value::Dynamic(d)) => Val::Scalar(Value::Dynamic(f(d))),
        Val::Scalar(_) => Val::Scalar(Value::Dynamic(Dynamic::Null)),
        Val::Col(c) => match &**c {
            Column::Dynamic(items) => Val::col(Column::Dynamic(items.iter().map(&f).collect())),
            _ => Val::col(Column::Dynamic(vec![Dynamic::Null; len])),
        },
    }
}

/// Row-wise evaluation when several operands may be columns; stays scalar if all are.
fn collect_or_scalar<const N: usize>(len: usize, vals: [&Val; N], f: impl Fn(usize) -> Option<bool>) -> Out<bool> {
    if vals.iter().all(|v| v.is_scalar()) {
        Out::S(f(0))
    } else {
        collect(len, (0..len).map(f))
    }
}

/// Kusto's three-valued `and` / `or`: false and null = false; true or null = true.
fn map2_kleene(len: usize, a: &P<bool>, b: &P<bool>, is_and: bool) -> Out<bool> {
    let f = |x: Option<bool>, y: Option<bool>| -> Option<bool> {
        if is_and {
            match (x, y) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            }
        } else {
            match (x, y) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            }
        }
    };
    match (a, b) {
        (P::S(x), P::S(y)) => Out::S(f(*x, *y)),
        (P::C(ca), P::C(cb)) if ca.valid.is_none() && cb.valid.is_none() => {
            let values: Vec<bool> = if is_and {
                ca.values.iter().zip(&cb.values).map(|(x, y)| *x && *y).collect()
            } else {
                ca.values.iter().zip(&cb.values).map(|(x, y)| *x || *y).collect()
            };
            Out::C(crate::table::Prim::new(values))
        }
        _ => collect(len, (0..len).map(|i| f(a.get(i), b.get(i)))),
    }
}

fn cmp_result(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq | CmpOp::EqCi => o == Equal,
        CmpOp::Ne | CmpOp::NeCi => o != Equal,
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
    }
}

fn compare(op: CmpOp, ty: DataType, a: &Val, b: &Val, len: usize) -> Val {
    if matches!(op, CmpOp::EqCi | CmpOp::NeCi) {
        let want = op == CmpOp::EqCi;
        return out_bool(str_binary(
            len,
            &sv(a),
            &sv(b),
            |x, y| strops::eq_ci(x, &Needle::new(y)) == want,
            |n| {
                let needle = Needle::new(n);
                move |x: &str| strops::eq_ci(x, &needle) == want
            },
        ));
    }
    match ty {
        DataType::Bool => out_bool(cmp2(op, len, &p_bool(a), &p_bool(b), |x, y| Some(cmp_result(op, x.cmp(&y))))),
        DataType::Int => out_bool(cmp2(op, len, &p_i32(a), &p_i32(b), |x, y| Some(cmp_result(op, x.cmp(&y))))),
        DataType::Long | DataType::DateTime | DataType::TimeSpan => out_bool(cmp2(op, len, &p_i64(a), &p_i64(b), |x, y| Some(cmp_result(op, x.cmp(&y))))),
        DataType::Real => {
            out_bool(cmp2(op, len, &p_f64(a), &p_f64(b), |x: f64, y: f64| x.partial_cmp(&y).map(|o| cmp_result(op, o)).or(Some(op == CmpOp::Ne))))
        }
        DataType::String | DataType::Guid => {
            if ty == DataType::Guid && is_null_guid(a, b) {
                return guid_vs_null(op, a, b, len);
            }
            if let (CmpOp::Eq | CmpOp::Ne, SV::C(x), SV::C(y)) = (op, sv(a), sv(b)) {
                if let Some(eq) = columns_equal(x, y, len) {
                    let want = op == CmpOp::Eq;
                    return out_bool(Out::C(crate::table::Prim::new(eq.iter().map(|&e| e == want).collect())));
                }
            }
            out_bool(str_binary(
                len,
                &sv(a),
                &sv(b),
                |x, y| cmp_result(op, x.cmp(y)),
                |n| {
                    let n = n.to_string();
                    move |x: &str| cmp_result(op, x.cmp(n.as_str()))
                },
            ))
        }
        DataType::Dynamic => {
            let f = |i: usize| -> Option<bool> {
                let (x, y) = (a.value(i), b.value(i));
                match (x.is_null(), y.is_null()) {
                    (true, true) => return None,
                    (true, false) | (false, true) => return Some(op == CmpOp::Ne),
                    (false, false) => {}
                }
                let eq = dynamic_eq(&x, &y);
                Some(if op == CmpOp::Eq { eq } else { !eq })
            };
            if a.is_scalar() && b.is_scalar() {
                out_bool(Out::S(f(0)))
            } else {
                out_bool(collect(len, (0..len).map(f)))
            }
        }
    }
}

/// `==` and `!=` with a null on exactly one side are false and true (the null-values page of the
/// Kusto reference); with nulls on both sides, and for the ordering operators, the result is null.
fn cmp2<T: Copy + Default>(op: CmpOp, len: usize, a: &P<T>, b: &P<T>, f: impl Fn(T, T) -> Option<bool>) -> Out<bool> {
    let has_null = |p: &P<T>| match p {
        P::S(x) => x.is_none(),
        P::C(c) => c.valid.is_some(),
    };
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) || !(has_null(a) || has_null(b)) {
        return map2(len, a, b, f);
    }
    let one = |x: Option<T>, y: Option<T>| match (x, y) {
        (Some(x), Some(y)) => f(x, y),
        (None, None) => None,
        _ => Some(op == CmpOp::Ne),
    };
    match (a, b) {
        (P::S(x), P::S(y)) => Out::S(one(*x, *y)),
        _ => collect(len, (0..len).map(|i| one(a.get(i), b.get(i)))),
    }
}

/// A guid compared with a null guid: the same rule as [`cmp2`], row by row.
fn guid_vs_null(op: CmpOp, a: &Val, b: &Val, len: usize) -> Val {
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Val::Scalar(Value::Null);
    }
    let f = |i: usize| match (a.value(i).is_null(), b.value(i).is_null()) {
        (true, true) => None,
        (false, false) => Some(cmp_result(op, a.value(i).to_display().cmp(&b.value(i).to_display()))),
        _ => Some(op == CmpOp::Ne),
    };
    if a.is_scalar() && b.is_scalar() {
        out_bool(Out::S(f(0)))
    } else {
        out_bool(collect(len, (0..len).map(f)))
    }
}

/// Row by row, whether two string columns hold the same string, comparing codes instead of
/// bytes: directly when both share one deduplicated dictionary (a column and its `prev()`),
/// otherwise through codes both dictionaries are mapped to once (one hash per entry). `None`
/// when the dictionaries are larger than the column (then comparing rows reads less).
fn columns_equal(x: &crate::table::StrColumn, y: &crate::table::StrColumn, len: usize) -> Option<Vec<bool>> {
    use crate::table::Code;
    // Both widths as type parameters: one loop per pair of widths.
    fn same<A: Code, B: Code>(cx: &[A], cy: &[B]) -> Vec<bool> {
        cx.iter().zip(cy).map(|(&a, &b)| a.ix() == b.ix()).collect()
    }
    fn mapped<A: Code, B: Code>(cx: &[A], cy: &[B], mx: &[u32], my: &[u32]) -> Vec<bool> {
        cx.iter().zip(cy).map(|(&a, &b)| mx[a.ix()] == my[b.ix()]).collect()
    }
    if std::sync::Arc::ptr_eq(&x.dict, &y.dict) && x.dict.is_unique() {
        return Some(crate::table::with_codes!(&x.codes, |cx| crate::table::with_codes!(&y.codes, |cy| same(&cx[..len], &cy[..len]))));
    }
    if x.dict.len() + y.dict.len() > len {
        return None;
    }
    let mut common = crate::table::StrDictBuilder::new();
    let mx: Vec<u32> = x.dict.iter().map(|s| common.intern(s)).collect();
    let my: Vec<u32> = y.dict.iter().map(|s| common.intern(s)).collect();
    Some(crate::table::with_codes!(&x.codes, |cx| crate::table::with_codes!(&y.codes, |cy| mapped(&cx[..len], &cy[..len], &mx, &my))))
}

fn is_null_guid(a: &Val, b: &Val) -> bool {
    matches!(a, Val::Scalar(Value::Null)) || matches!(b, Val::Scalar(Value::Null))
}

fn dynamic_eq(x: &Value, y: &Value) -> bool {
    let (dx, dy) = (x.to_dynamic(), y.to_dynamic());
    match (&dx, &dy) {
        (Dynamic::Long(a), Dynamic::Real(b)) | (Dynamic::Real(b), Dynamic::Long(a)) => (*a as f64) == *b,
        _ => dx == dy,
    }
}

/// A predicate over two string operands. When one side is a dictionary column and the other a
/// constant, the predicate runs once per distinct string.
pub fn str_binary<F, G, H>(len: usize, a: &SV, b: &SV, f: F, make: G) -> Out<bool>
where
    F: Fn(&str, &str) -> bool,
    G: Fn(&str) -> H,
    H: Fn(&str) -> bool,
{
    match (a, b) {
        (SV::S(x), SV::S(y)) => Out::S(Some(f(x, y))),
        (SV::C(c), SV::S(y)) => {
            let g = make(y);
            Out::C(crate::table::Prim::new(dict_lut(c, len, &g)))
        }
        (SV::S(x), SV::C(c)) => {
            let flipped = |s: &str| f(x, s);
            Out::C(crate::table::Prim::new(dict_lut(c, len, &flipped)))
        }
        (SV::C(ca), SV::C(cb)) => Out::C(crate::table::Prim::new((0..len).map(|i| f(ca.get(i), cb.get(i))).collect())),
    }
}

/// Evaluates a string predicate per row of a dictionary column, computing it once per
/// distinct string when the dictionary is not much larger than the column.
pub fn dict_lut(c: &crate::table::StrColumn, len: usize, g: &dyn Fn(&str) -> bool) -> Vec<bool> {
    if c.dict.len() <= len.saturating_mul(2).max(64) {
        let lut: Vec<bool> = c.dict.iter().map(g).collect();
        strops::lut_by_code(&lut, &c.codes)
    } else {
        crate::table::with_codes!(&c.codes, |codes| codes.iter().map(|&k| g(c.dict.get(crate::table::Code::code(k)))).collect())
    }
}

fn str_pred(op: StrOp, negated: bool, a: &Val, b: &Val, len: usize, cx: &ExecCtx, right: &BExpr) -> EResult<Val> {
    if op == StrOp::MatchesRegex {
        let (sa, sb) = (sv(a), sv(b));
        return Ok(match sb {
            SV::S(pattern) => {
                let re = cx.regex(&pattern, right.span)?;
                // Text every match contains: the regex runs only on the dictionary entries
                // that hold it (a substring search over the dictionary's bytes).
                if let (SV::C(c), Some(lit)) = (&sa, super::regex_literals::required_literal(&pattern)) {
                    let exact = |x: &str| re.is_match(x) != negated;
                    if let Some(v) = strops::dict_prefiltered(c, len, &[lit], &exact, negated) {
                        return Ok(out_bool(Out::C(crate::table::Prim::new(v))));
                    }
                }
                out_bool(str_binary(
                    len,
                    &sa,
                    &SV::S(String::new()),
                    |x, _| re.is_match(x) != negated,
                    |_| {
                        let re = re.clone();
                        move |x: &str| re.is_match(x) != negated
                    },
                ))
            }
            SV::C(c) => {
                let mut out = Vec::with_capacity(len);
                for i in 0..len {
                    let re = cx.regex(c.get(i), right.span)?;
                    let hay = match &sa {
                        SV::C(x) => x.get(i).to_string(),
                        SV::S(s) => s.clone(),
                    };
                    out.push(re.is_match(&hay) != negated);
                }
                out_bool(Out::C(crate::table::Prim::new(out)))
            }
        });
    }
    // A substring search over the dictionary's bytes instead of a call per entry.
    if let (SV::C(c), SV::S(y)) = (sv(a), sv(b)) {
        if strops::implies_contains(op) {
            let n = Needle::new(&y);
            let exact = |x: &str| strops::eval_str_op(op, x, &n) != negated;
            if let Some(v) = strops::dict_prefiltered(c, len, std::slice::from_ref(&y), &exact, negated) {
                return Ok(out_bool(Out::C(crate::table::Prim::new(v))));
            }
        }
    }
    Ok(out_bool(str_binary(
        len,
        &sv(a),
        &sv(b),
        |x, y| strops::eval_str_op(op, x, &Needle::new(y)) != negated,
        |y| {
            let n = Needle::new(y);
            move |x: &str| strops::eval_str_op(op, x, &n) != negated
        },
    )))
}

fn list_items(list: &ListSource, t: &Table, cx: &ExecCtx) -> EResult<Vec<Value>> {
    let mut out = Vec::new();
    match list {
        ListSource::Exprs(es) => {
            let one = Table::with_len(vec![], vec![], 1);
            for e in es {
                let v = eval(e, if t.columns.is_empty() { t } else { &one }, cx)?;
                let v = v.value(0);
                match v {
                    Value::Dynamic(Dynamic::Array(items)) => out.extend(items.iter().map(dyn_to_value)),
                    other => out.push(other),
                }
            }
        }
        ListSource::Subquery(p) => {
            let table = cx.run_shared(p)?;
            if let Some(c) = table.columns.first() {
                for i in 0..table.len() {
                    match c.value(i) {
                        Value::Dynamic(Dynamic::Array(items)) if table.fields[0].ty == DataType::Dynamic => out.extend(items.iter().map(dyn_to_value)),
                        v => out.push(v),
                    }
                }
            }
        }
    }
    Ok(out)
}

pub fn dyn_to_value(d: &Dynamic) -> Value {
    match d {
        Dynamic::Null => Value::Null,
        Dynamic::Bool(b) => Value::Bool(*b),
        Dynamic::Long(n) => Value::Long(*n),
        Dynamic::Real(f) => Value::Real(*f),
        Dynamic::String(s) => Value::String(s.clone()),
        Dynamic::DateTime(t) => Value::DateTime(*t),
        Dynamic::TimeSpan(t) => Value::TimeSpan(*t),
        other => Value::Dynamic(other.clone()),
    }
}

fn in_list(op: ListOp, ty: DataType, v: &Val, items: &[Value], len: usize) -> Val {
    let negate = matches!(op, ListOp::NotIn | ListOp::NotInCi);
    match op {
        ListOp::HasAny | ListOp::HasAll => {
            let needles: Vec<Needle> = items.iter().filter(|x| !x.is_null()).map(|x| Needle::new(&x.to_display())).collect();
            let raw: Vec<String> = needles.iter().map(|n| n.raw.clone()).collect();
            let all = op == ListOp::HasAll;
            let single_terms = needles.iter().all(|n| strops::is_single_term(&n.raw));
            let term_set: crate::table::FxHashSet<String> = if single_terms { needles.iter().map(|n| n.lower.clone()).collect() } else { Default::default() };
            let check = move |hay: &str| -> bool {
                if needles.is_empty() {
                    return false;
                }
                if single_terms && !all {
                    return strops::terms_lower(hay).any(|t| term_set.contains(t.as_ref()));
                }
                if all {
                    needles.iter().all(|n| strops::has(hay, n, false))
                } else {
                    needles.iter().any(|n| strops::has(hay, n, false))
                }
            };
            // Every term list of has_any / has_all implies containing one of its terms.
            if let SV::C(c) = sv(v) {
                if let Some(out) = strops::dict_prefiltered(c, len, &raw, &check, false) {
                    return out_bool(Out::C(crate::table::Prim::new(out)));
                }
            }
            out_bool(str_unary(len, &sv(v), &check))
        }
        ListOp::InCi | ListOp::NotInCi => {
            let set: crate::table::FxHashSet<String> = items.iter().map(|x| x.to_display().to_lowercase()).collect();
            let check = move |s: &str| set.contains(&s.to_lowercase()) != negate;
            out_bool(str_unary(len, &sv(v), &check))
        }
        ListOp::In | ListOp::NotIn => match ty {
            DataType::String | DataType::Guid => {
                let set: crate::table::FxHashSet<String> = items.iter().filter(|x| !matches!(x, Value::Null)).map(|x| x.to_display()).collect();
                let check = move |s: &str| set.contains(s) != negate;
                out_bool(str_unary(len, &sv(v), &check))
            }
            DataType::Int | DataType::Long | DataType::DateTime | DataType::TimeSpan | DataType::Bool if items.iter().all(|x| !matches!(x, Value::Real(_))) => {
                let set: crate::table::FxHashSet<i64> = items
                    .iter()
                    .filter_map(|x| match x {
                        Value::Int(i) => Some(*i as i64),
                        Value::Long(i) | Value::DateTime(i) | Value::TimeSpan(i) => Some(*i),
                        Value::Bool(b) => Some(*b as i64),
                        _ => None,
                    })
                    .collect();
                // `in` is an `or` of `==`, and a null is unequal to every item: a null value is
                // not `in` the list and is `!in` it.
                fn member<T: Copy + Default>(len: usize, p: &P<T>, negate: bool, hit: impl Fn(T) -> bool) -> Out<bool> {
                    match p {
                        P::S(x) => Out::S(Some(x.map_or(negate, |x| hit(x) != negate))),
                        P::C(c) if c.valid.is_none() => map1(len, p, |x| Some(hit(x) != negate)),
                        P::C(c) => collect(len, (0..len).map(|i| Some(c.get(i).map_or(negate, |x| hit(x) != negate)))),
                    }
                }
                if ty == DataType::Int {
                    return out_bool(member(len, &p_i32(v), negate, |x| set.contains(&(x as i64))));
                } else if ty == DataType::Bool {
                    return out_bool(member(len, &p_bool(v), negate, |x| set.contains(&(x as i64))));
                }
                out_bool(member(len, &p_i64(v), negate, |x| set.contains(&x)))
            }
            _ => {
                let f = |i: usize| -> Option<bool> {
                    let x = v.value(i);
                    if x.is_null() {
                        return Some(negate);
                    }
                    let hit = items.iter().any(|it| match (x.as_f64(), it.as_f64()) {
                        (Some(a), Some(b)) => a == b,
                        _ => dynamic_eq(&x, it) || x.to_display() == it.to_display() && it.as_str().is_some(),
                    });
                    Some(hit != negate)
                };
                if v.is_scalar() {
                    out_bool(Out::S(f(0)))
                } else {
                    out_bool(collect(len, (0..len).map(f)))
                }
            }
        },
    }
}

/// A predicate over one string operand (dictionary columns evaluate once per string).
pub fn str_unary(len: usize, a: &SV, f: &dyn Fn(&str) -> bool) -> Out<bool> {
    match a {
        SV::S(s) => Out::S(Some(f(s))),
        SV::C(c) => Out::C(crate::table::Prim::new(dict_lut(c, len, f))),
    }
}

fn arith(op: ArithOp, lt: DataType, rt: DataType, out: DataType, a: &Val, b: &Val, len: usize) -> Val {
    use DataType::*;
    match (lt, rt) {
        (Real, Real) => out_f64(map2(len, &p_f64(a), &p_f64(b), |x, y| {
            Some(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                // Kusto's modulo is never negative: 0 <= N % D < abs(D).
                ArithOp::Mod => x.rem_euclid(y),
            })
        })),
        (Int, Int) => out_i32(map2(len, &p_i32(a), &p_i32(b), |x, y| match op {
            ArithOp::Add => x.checked_add(y),
            ArithOp::Sub => x.checked_sub(y),
            ArithOp::Mul => x.checked_mul(y),
            ArithOp::Div => x.checked_div(y),
            ArithOp::Mod => x.checked_rem_euclid(y),
        })),
        (TimeSpan, TimeSpan) if out == Real => out_f64(map2(len, &p_i64(a), &p_i64(b), |x, y| Some(x as f64 / y as f64))),
        (TimeSpan, Real) | (TimeSpan, Int) | (TimeSpan, Long) if rt != TimeSpan => {
            let pb = if rt == Real { None } else { Some(p_i64(b)) };
            match pb {
                Some(pb) => out_i64(
                    map2(len, &p_i64(a), &pb, |x, y| match op {
                        ArithOp::Mul => x.checked_mul(y),
                        _ => x.checked_div(y),
                    }),
                    TimeSpan,
                ),
                None => out_i64(
                    map2(len, &p_i64(a), &p_f64(b), |x, y| {
                        let r = if op == ArithOp::Mul { x as f64 * y } else { x as f64 / y };
                        r.is_finite().then(|| r.round() as i64)
                    }),
                    TimeSpan,
                ),
            }
        }
        (Real, TimeSpan) => out_i64(
            map2(len, &p_f64(a), &p_i64(b), |x, y| {
                let r = x * y as f64;
                r.is_finite().then(|| r.round() as i64)
            }),
            TimeSpan,
        ),
        (Int, TimeSpan) | (Long, TimeSpan) => out_i64(map2(len, &p_i64(a), &p_i64(b), |x, y| x.checked_mul(y)), TimeSpan),
        _ => {
            // A datetime result outside 0001-01-01 .. 9999-12-31 is null, as an overflow is.
            let range = if out == DateTime { crate::types::time::MIN_DATETIME..=crate::types::time::MAX_DATETIME } else { i64::MIN..=i64::MAX };
            out_i64(
                map2(len, &p_i64(a), &p_i64(b), |x, y| {
                    match op {
                        ArithOp::Add => x.checked_add(y),
                        ArithOp::Sub => x.checked_sub(y),
                        ArithOp::Mul => x.checked_mul(y),
                        ArithOp::Div => x.checked_div(y),
                        ArithOp::Mod => x.checked_rem_euclid(y),
                    }
                    .filter(|r| range.contains(r))
                }),
                out,
            )
        }
    }
}

/// Builds a column of type `ty` by evaluating `f` for each row.
pub fn build_rows(ty: DataType, len: usize, mut f: impl FnMut(usize) -> Value) -> Column {
    let mut b = ColumnBuilder::new(ty, len);
    for i in 0..len {
        b.push(&f(i));
    }
    b.finish()
}
