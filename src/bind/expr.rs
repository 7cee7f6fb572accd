//! Binding of scalar expressions: names to columns, types, implicit conversions, functions.

use super::names;
use super::{BResult, Binder, Binding, FnResult};
use crate::diag::{codes, did_you_mean, Diagnostic, Span};
use crate::plan::aggregates::AggFn;
use crate::plan::functions::{self, common_type, Func};
use crate::plan::{AggCall, ArithOp, BExpr, BKind, CmpOp, ListSource};
use crate::plan::{ListOp, StrOp};
use crate::syntax::ast::{self, BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use crate::table::Field;
use crate::types::{DataType, Value};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// What a scalar expression can see.
pub struct RowCtx<'s> {
    /// The input row's columns.
    pub schema: &'s [Field],
    /// Inside `summarize`: aggregates are collected here and the expression is evaluated
    /// over the aggregated row.
    pub agg: Option<&'s AggScope<'s>>,
    /// The input is in a defined order (after `sort`, `top`, `serialize`), so `row_number()`,
    /// `prev()` and `next()` are allowed.
    pub ordered: bool,
}

impl RowCtx<'_> {
    pub fn none() -> RowCtx<'static> {
        RowCtx { schema: &[], agg: None, ordered: false }
    }
}

pub struct AggScope<'s> {
    pub input: &'s [Field],
    pub input_ordered: bool,
    /// Output columns before the first aggregate (the `by` keys).
    pub key_count: usize,
    pub calls: RefCell<Vec<AggCall>>,
}

impl AggScope<'_> {
    fn next_slot(&self) -> usize {
        self.key_count + self.calls.borrow().iter().map(|c| c.out.len()).sum::<usize>()
    }
}

fn cnst(v: Value, ty: DataType, span: Span) -> BExpr {
    BExpr::constant(v, ty, span)
}

fn is_untyped_null(e: &BExpr) -> bool {
    matches!(e.kind, BKind::Const(Value::Null)) && e.ty == DataType::Dynamic
}

pub fn literal(l: &Literal, span: Span) -> BExpr {
    use DataType as T;
    match l {
        Literal::Null => cnst(Value::Null, T::Dynamic, span),
        Literal::TypedNull(t) => cnst(Value::Null, *t, span),
        Literal::Bool(b) => cnst(Value::Bool(*b), T::Bool, span),
        Literal::Int(i) => cnst(Value::Int(*i), T::Int, span),
        Literal::Long(n) => cnst(Value::Long(*n), T::Long, span),
        Literal::Real(f) => cnst(Value::Real(*f), T::Real, span),
        Literal::String(s) => cnst(Value::str(s), T::String, span),
        Literal::DateTime(t) => cnst(Value::DateTime(*t), T::DateTime, span),
        Literal::TimeSpan(t) => cnst(Value::TimeSpan(*t), T::TimeSpan, span),
        Literal::Guid(g) => cnst(Value::Guid(Arc::from(g.as_str())), T::Guid, span),
        Literal::Dynamic(d) => cnst(Value::Dynamic(d.clone()), T::Dynamic, span),
    }
}

impl Binder<'_> {
    pub(crate) fn bind_scalar(&mut self, e: &Expr, ctx: &RowCtx) -> BResult<BExpr> {
        self.enter(e.span)?;
        let r = self.bind_scalar_inner(e, ctx);
        self.leave();
        r
    }

    fn bind_scalar_inner(&mut self, e: &Expr, ctx: &RowCtx) -> BResult<BExpr> {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(l) => Ok(literal(l, span)),
            ExprKind::Paren(inner) => {
                if self.is_tabular(inner) {
                    return Err(self.wrong_kind_table(span));
                }
                self.bind_scalar(inner, ctx)
            }
            ExprKind::Name(id) => self.bind_name(id, ctx),
            ExprKind::JoinSide { .. } => {
                Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, span, "$left and $right can only be used in a join's 'on' clause")))
            }
            ExprKind::Star => Err(self.error(Diagnostic::semantic(
                codes::WRONG_KIND,
                span,
                "'*' is not a value here; it can stand for all columns in arg_max(x, *), take_any(*) and distinct *",
            ))),
            ExprKind::Member { target, name } => {
                let t = self.bind_scalar(target, ctx)?;
                let t = self.need_dynamic(t, &format!(".{}", name.name))?;
                Ok(BExpr::new(BKind::Member(Box::new(t), name.name.clone()), DataType::Dynamic, span))
            }
            ExprKind::Index { target, index } => {
                let t = self.bind_scalar(target, ctx)?;
                let t = self.need_dynamic(t, "[...]")?;
                let i = self.bind_scalar(index, ctx)?;
                match i.ty {
                    DataType::String | DataType::Int | DataType::Long | DataType::Dynamic => {}
                    other => {
                        return Err(self.error(Diagnostic::semantic(
                            codes::TYPE_MISMATCH,
                            i.span,
                            format!("An index must be a number (for arrays) or a string (for property bags), not {other}"),
                        )))
                    }
                }
                if let Some(Value::String(k)) = i.as_const() {
                    return Ok(BExpr::new(BKind::Member(Box::new(t), k.to_string()), DataType::Dynamic, span));
                }
                Ok(BExpr::new(BKind::Index(Box::new(t), Box::new(i)), DataType::Dynamic, span))
            }
            ExprKind::Call { name, args } => self.bind_call(name, args, span, ctx),
            ExprKind::Unary { op, operand } => {
                let x = self.bind_scalar(operand, ctx)?;
                match (op, x.ty) {
                    (UnaryOp::Plus, t) if t.is_numeric() || t == DataType::TimeSpan => Ok(x),
                    (UnaryOp::Neg, t) if t.is_numeric() || t == DataType::TimeSpan || t == DataType::Dynamic => {
                        let ty = if t == DataType::Dynamic { DataType::Real } else { t };
                        let x = self.coerce_to(x, ty, "the operand of '-'")?;
                        Ok(BExpr::new(BKind::Neg(Box::new(x)), ty, span))
                    }
                    (_, t) => Err(self.error(Diagnostic::semantic(
                        codes::TYPE_MISMATCH,
                        span,
                        format!("A sign can only go before a number or a timespan, not a {t}"),
                    ))),
                }
            }
            ExprKind::Binary { op, left, right } => {
                let before = self.diags.len();
                let r = self.bind_binary(*op, left, right, span, ctx);
                if r.is_err() && *op == BinaryOp::Sub {
                    // `contoso-login` anywhere: a word with a hyphen, read as a subtraction.
                    self.quote_hint(before, e);
                }
                r
            }
            ExprKind::Chain { op, operands } => self.bind_chain(*op, operands, span, ctx),
            ExprKind::Between { value, low, high, negated } => {
                let v = self.bind_scalar(value, ctx)?;
                let lo = self.bind_scalar(low, ctx)?;
                let mut hi = self.bind_scalar(high, ctx)?;
                // `Timestamp between (start .. 1d)`: a timespan upper bound is relative to the lower.
                if v.ty == DataType::DateTime && lo.ty == DataType::DateTime && hi.ty == DataType::TimeSpan {
                    let hspan = hi.span;
                    hi = BExpr::new(BKind::Arith(ArithOp::Add, Box::new(lo.clone()), Box::new(hi)), DataType::DateTime, hspan);
                }
                let ty = self.comparison_type(&v, &lo, span).and_then(|t1| {
                    let t2 = self.comparison_type(&v, &hi, span)?;
                    common_type(&[t1, t2]).ok_or(super::Failed)
                })?;
                if !(ty.is_numeric() || matches!(ty, DataType::DateTime | DataType::TimeSpan | DataType::Dynamic)) {
                    return Err(self.error(Diagnostic::semantic(
                        codes::TYPE_MISMATCH,
                        span,
                        format!("'between' compares numbers, datetimes or timespans, not {ty}"),
                    )));
                }
                let v = self.coerce_to(v, ty, "the value")?;
                let lo = self.coerce_to(lo, ty, "the lower bound")?;
                let hi = self.coerce_to(hi, ty, "the upper bound")?;
                Ok(BExpr::new(BKind::Between { value: Box::new(v), low: Box::new(lo), high: Box::new(hi), negated: *negated }, DataType::Bool, span))
            }
            ExprKind::InList { value, op, items } => self.bind_in(value, *op, items, span, ctx),
            ExprKind::TypeOf(_) => Err(self.error(Diagnostic::semantic(
                codes::WRONG_KIND,
                span,
                "typeof(...) names a type; it is only used in 'mv-expand ... to typeof(...)' and a few function arguments",
            ))),
            ExprKind::Unsupported { name, .. } => Err(self.error(self.unsupported_source(name, span))),
            ExprKind::NamedArg { name, .. } => Err(self.error(super::tabular::named_arg_refused(name))),
            ExprKind::Pipe { .. }
            | ExprKind::Datatable { .. }
            | ExprKind::ExternalData { .. }
            | ExprKind::Print { .. }
            | ExprKind::Range { .. }
            | ExprKind::Union(_)
            | ExprKind::SearchSource { .. }
            | ExprKind::Implicit => Err(self.wrong_kind_table(span)),
        }
    }

    fn wrong_kind_table(&mut self, span: Span) -> super::Failed {
        self.error(
            Diagnostic::semantic(codes::WRONG_KIND, span, "A table is used where a single value is expected")
                .with_help("Wrap it in toscalar(...) to use its first value, or use it with 'in' / 'join'"),
        )
    }

    fn need_dynamic(&mut self, t: BExpr, what: &str) -> BResult<BExpr> {
        if t.ty == DataType::Dynamic {
            return Ok(t);
        }
        let help = if t.ty == DataType::String {
            format!("Parse the text first: parse_json(column){what}")
        } else {
            "Only dynamic values (arrays and property bags) have properties and elements".to_string()
        };
        Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, t.span, format!("'{what}' needs a dynamic value, but this is a {}", t.ty)).with_help(help)))
    }

    fn bind_name(&mut self, id: &ast::Ident, ctx: &RowCtx) -> BResult<BExpr> {
        if let Some(agg) = ctx.agg {
            // Outside an aggregation inside summarize: only constants and let values.
            if agg.input.iter().any(|f| f.name == id.name) && !matches!(self.lookup(&id.name), Some(Binding::Scalar(_))) {
                return Err(self.error(
                    Diagnostic::semantic(codes::AGG_CONTEXT, id.span, format!("Column '{}' must be inside an aggregation here", id.name))
                        .with_help(format!("Use it in an aggregation such as take_any({0}) or max({0}), or list it after 'by'", id.name)),
                ));
            }
        }
        if let Some(i) = ctx.schema.iter().position(|f| f.name == id.name) {
            return Ok(BExpr::column(i, ctx.schema[i].ty, id.span));
        }
        match self.lookup(&id.name) {
            Some(Binding::Scalar(e)) => {
                let e = e.clone();
                self.inline(&e, id.span)?;
                let mut e = e;
                e.span = id.span;
                return Ok(e);
            }
            Some(Binding::Tabular(..)) => {
                return Err(self.error(
                    Diagnostic::semantic(codes::WRONG_KIND, id.span, format!("'{}' is a table, but a single value is expected here", id.name))
                        .with_help(format!("Use toscalar({}) for its first value, or '{} in ({})'", id.name, "x", id.name)),
                ))
            }
            Some(Binding::Function(..)) => {
                return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, id.span, format!("'{}' is a function; call it with ()", id.name))))
            }
            None => {}
        }
        if self.catalog.get(&id.name).is_some() {
            return Err(self.error(
                Diagnostic::semantic(codes::WRONG_KIND, id.span, format!("'{}' is a table, but a column or value is expected here", id.name))
                    .with_help("Inside an operator you refer to the columns of the piped table by name"),
            ));
        }
        let scope = if let Some(agg) = ctx.agg { agg.input } else { ctx.schema };
        let candidates: Vec<&str> = scope.iter().map(|f| f.name.as_str()).collect();
        let help = did_you_mean(&id.name, candidates.iter().copied()).map(|s| format!("Did you mean '{s}'?"));
        let help = help.or_else(|| {
            if scope.is_empty() {
                None
            } else {
                let mut list: Vec<&str> = candidates.iter().copied().take(12).collect();
                if candidates.len() > 12 {
                    list.push("...");
                }
                Some(format!("The columns here are: {}", list.join(", ")))
            }
        });
        if let Some((msg, help)) = crate::data::removed_column(&id.name, &candidates) {
            return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, id.span, msg).with_help(help)));
        }
        let msg = if scope.is_empty() { format!("Unknown name '{}'", id.name) } else { format!("Unknown column '{}'", id.name) };
        Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, id.span, msg).maybe_help(help)))
    }

    /// Converts `e` to type `ty` where Kusto converts implicitly (numeric widening, typed
    /// nulls, dynamic values); otherwise reports a type mismatch naming `what`.
    pub(crate) fn coerce_to(&mut self, e: BExpr, ty: DataType, what: &str) -> BResult<BExpr> {
        if e.ty == ty {
            return Ok(e);
        }
        if is_untyped_null(&e) {
            return Ok(cnst(Value::Null, ty, e.span));
        }
        let ok = (e.ty.is_numeric() && ty.is_numeric())
            || e.ty == DataType::Dynamic
            || ty == DataType::Dynamic
            || (e.ty == DataType::Guid && ty == DataType::String)
            || (e.ty == DataType::Bool && ty.is_numeric());
        if ok {
            let span = e.span;
            return Ok(BExpr::new(BKind::Cast(Box::new(e)), ty, span));
        }
        Err(self.error(Diagnostic::semantic(
            codes::TYPE_MISMATCH,
            e.span,
            format!("{what} must be {} {ty}, but it is {} {}", article(ty), article(e.ty), e.ty),
        )))
    }

    /// The common type two operands are compared in.
    pub(crate) fn comparison_type(&mut self, l: &BExpr, r: &BExpr, span: Span) -> BResult<DataType> {
        use DataType::*;
        if is_untyped_null(l) {
            return Ok(r.ty);
        }
        if is_untyped_null(r) {
            return Ok(l.ty);
        }
        let t = match (l.ty, r.ty) {
            (a, b) if a == b => a,
            (a, b) if a.is_numeric() && b.is_numeric() => common_type(&[a, b]).unwrap_or(Real),
            // A dynamic number compares by value (d.r > 1 is true for 1.5), so against a number
            // both sides are compared as reals.
            (Dynamic, b) if b.is_numeric() => Real,
            (a, Dynamic) if a.is_numeric() => Real,
            (Dynamic, b) => b,
            (a, Dynamic) => a,
            (String, Guid) | (Guid, String) => String,
            (Bool, b) if b.is_numeric() => Long,
            (a, Bool) if a.is_numeric() => Long,
            // Deliberate: a bool compared with the string literal "0"/"1"/"true"/"false" (as in
            // Microsoft's own UrlClickEvents example, `IsClickedThrough != "0"`) compares as bool.
            (Bool, String) if bool_literal(r).is_some() => Bool,
            (String, Bool) if bool_literal(l).is_some() => Bool,
            (a, b) => {
                let help = match (a, b) {
                    (DateTime, String) | (String, DateTime) => Some("Write the date as datetime(2026-11-22) instead of a string"),
                    (TimeSpan, String) | (String, TimeSpan) => Some("Write the duration as a timespan such as 1h or 7d"),
                    (String, _) | (_, String) => Some("Convert one side, for example with tostring(), tolong() or todatetime()"),
                    _ => None,
                };
                let d = Diagnostic::semantic(codes::TYPE_MISMATCH, span, format!("Cannot compare values of types {a} and {b}"));
                return Err(self.error(match help {
                    Some(h) => d.with_help(h),
                    None => d,
                }));
            }
        };
        Ok(t)
    }

    fn coerce_cmp_operand(&mut self, e: BExpr, ty: DataType) -> BResult<BExpr> {
        if ty == DataType::Bool && e.ty == DataType::String {
            if let Some(b) = bool_literal(&e) {
                return Ok(cnst(Value::Bool(b), DataType::Bool, e.span));
            }
        }
        self.coerce_to(e, ty, "this operand")
    }

    /// `a and b and ...` / `a or b or ...`: every operand is bound (so each one's mistakes
    /// are reported), then they are combined as a balanced tree, whose depth grows with the
    /// logarithm of the number of terms (both operators are associative, and Kusto's
    /// three-valued logic is too).
    fn bind_chain(&mut self, op: BinaryOp, operands: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        let what = if op == BinaryOp::And { "'and'" } else { "'or'" };
        let mut bound = Vec::with_capacity(operands.len());
        let mut failed = false;
        for e in operands {
            match self.bind_scalar(e, ctx).and_then(|b| self.need_bool(b, what)) {
                Ok(b) => bound.push(b),
                Err(_) => failed = true,
            }
        }
        if failed {
            return Err(super::Failed);
        }
        Ok(balanced(op, bound, span))
    }

    /// Unknown names that are really unquoted text: when the expression `e` is a bare word
    /// (`contoso`, `contoso-login`, `login.microsoftonline.com`) and every error reported
    /// since `from` is an unknown name inside it, the errors become one, covering the word,
    /// with help that says to put the word in quotes.
    pub(crate) fn quote_hint(&mut self, from: usize, e: &Expr) {
        let Some(word) = bare_word(e) else { return };
        let added = &self.diags[from.min(self.diags.len())..];
        if added.is_empty() || added.iter().any(|d| d.code != codes::UNKNOWN_COLUMN) {
            return;
        }
        let mut d = self.diags[from].clone();
        self.diags.truncate(from);
        let quote = format!("To match the text {word}, put it in quotes: \"{word}\"");
        d.help = Some(match d.help.take() {
            // A near-miss column name (`Urll`) may still be what was meant.
            Some(h) if h.starts_with("Did you mean") && !word.contains(['-', '.']) => format!("{h} {quote}"),
            _ => quote,
        });
        d.span = e.span;
        self.diags.push(d);
    }

    fn bind_binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr, span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        let l = self.bind_scalar(left, ctx);
        let mid = self.diags.len();
        let r = self.bind_scalar(right, ctx);
        if r.is_err() {
            let wants_text = matches!(op, BinaryOp::Str(..) | BinaryOp::EqCi | BinaryOp::NeCi)
                || (matches!(op, BinaryOp::Eq | BinaryOp::Ne) && l.as_ref().is_ok_and(|l| l.ty == DataType::String));
            if wants_text {
                self.quote_hint(mid, right);
            }
        }
        let (l, r) = (l?, r?);
        match op {
            // The parser keeps `and` / `or` as ExprKind::Chain; a two-operand tree binds the same.
            BinaryOp::And | BinaryOp::Or => {
                let what = if op == BinaryOp::And { "'and'" } else { "'or'" };
                let (l, r) = (self.need_bool(l, what)?, self.need_bool(r, what)?);
                Ok(balanced(op, vec![l, r], span))
            }
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let ty = self.comparison_type(&l, &r, span)?;
                let l = self.coerce_cmp_operand(l, ty)?;
                let r = self.coerce_cmp_operand(r, ty)?;
                let cop = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if ty == DataType::Dynamic && !matches!(cop, CmpOp::Eq | CmpOp::Ne) {
                    return Err(self.error(
                        Diagnostic::semantic(codes::TYPE_MISMATCH, span, "Dynamic values can only be compared with == and !=")
                            .with_help("Convert them first, for example tolong(d.count) > 5"),
                    ));
                }
                Ok(BExpr::new(BKind::Cmp(cop, Box::new(l), Box::new(r)), DataType::Bool, span))
            }
            BinaryOp::EqCi | BinaryOp::NeCi => {
                let l = self.string_operand(l, &op.symbol())?;
                let r = self.string_operand(r, &op.symbol())?;
                let cop = if op == BinaryOp::EqCi { CmpOp::EqCi } else { CmpOp::NeCi };
                Ok(BExpr::new(BKind::Cmp(cop, Box::new(l), Box::new(r)), DataType::Bool, span))
            }
            BinaryOp::Str(sop, negated) => {
                let l = self.string_operand(l, &op.symbol())?;
                let r = self.string_operand(r, &op.symbol())?;
                if sop == ast::StrOp::MatchesRegex {
                    if let Some(Value::String(re)) = r.as_const() {
                        if let Err(e) = crate::util::regex::compile_regex(re) {
                            return Err(self.error({
                                let (code, message) = crate::util::regex::regex_error(&e);
                                Diagnostic::semantic(code, r.span, message)
                            }));
                        }
                    }
                }
                Ok(BExpr::new(BKind::Str { op: str_op(sop), negated, left: Box::new(l), right: Box::new(r) }, DataType::Bool, span))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => self.bind_arith(op, l, r, span),
        }
    }

    fn bind_arith(&mut self, op: BinaryOp, l: BExpr, r: BExpr, span: Span) -> BResult<BExpr> {
        use DataType::*;
        let aop = match op {
            BinaryOp::Add => ArithOp::Add,
            BinaryOp::Sub => ArithOp::Sub,
            BinaryOp::Mul => ArithOp::Mul,
            BinaryOp::Div => ArithOp::Div,
            _ => ArithOp::Mod,
        };
        let (l, r) = match (is_untyped_null(&l), is_untyped_null(&r)) {
            (true, false) => (cnst(Value::Null, r.ty, l.span), r),
            (false, true) => {
                let t = l.ty;
                (l, cnst(Value::Null, t, r.span))
            }
            _ => (l, r),
        };
        let lt = if l.ty == Dynamic {
            if r.ty == Dynamic {
                Real
            } else {
                r.ty
            }
        } else {
            l.ty
        };
        let rt = if r.ty == Dynamic { lt } else { r.ty };
        let (lt, rt) = (if lt == Bool { Long } else { lt }, if rt == Bool { Long } else { rt });
        // (left type, right type, result type) per Kusto's arithmetic rules.
        let result: Option<(DataType, DataType, DataType)> = match (aop, lt, rt) {
            (_, a, b) if a.is_numeric() && b.is_numeric() => {
                let t = common_type(&[a, b]).unwrap_or(Real);
                Some((t, t, t))
            }
            (ArithOp::Sub, DateTime, DateTime) => Some((DateTime, DateTime, TimeSpan)),
            (ArithOp::Add | ArithOp::Sub, DateTime, TimeSpan) => Some((DateTime, TimeSpan, DateTime)),
            (ArithOp::Add, TimeSpan, DateTime) => Some((TimeSpan, DateTime, DateTime)),
            (ArithOp::Add | ArithOp::Sub | ArithOp::Mod, TimeSpan, TimeSpan) => Some((TimeSpan, TimeSpan, TimeSpan)),
            (ArithOp::Div, TimeSpan, TimeSpan) => Some((TimeSpan, TimeSpan, Real)),
            (ArithOp::Mul | ArithOp::Div, TimeSpan, b) if b.is_numeric() => Some((TimeSpan, if b == Real { Real } else { Long }, TimeSpan)),
            (ArithOp::Mul, a, TimeSpan) if a.is_numeric() => Some((if a == Real { Real } else { Long }, TimeSpan, TimeSpan)),
            _ => None,
        };
        let Some((want_l, want_r, out)) = result else {
            let sym = op.symbol();
            let help = if op == BinaryOp::Add && (lt == String || rt == String) {
                Some("Join strings with strcat(a, b)")
            } else if lt == DateTime && rt == DateTime && op == BinaryOp::Add {
                Some("Two datetimes cannot be added; subtract them to get a timespan")
            } else {
                None
            };
            let d = Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                span,
                format!("The operator '{sym}' cannot combine {} {} and {} {}", article(l.ty), l.ty, article(r.ty), r.ty),
            );
            return Err(self.error(match help {
                Some(h) => d.with_help(h),
                None => d,
            }));
        };
        let l = self.coerce_to(l, want_l, "the left operand")?;
        let r = self.coerce_to(r, want_r, "the right operand")?;
        Ok(BExpr::new(BKind::Arith(aop, Box::new(l), Box::new(r)), out, span))
    }

    pub(crate) fn need_bool(&mut self, e: BExpr, what: &str) -> BResult<BExpr> {
        match e.ty {
            DataType::Bool => Ok(e),
            DataType::Dynamic => self.coerce_to(e, DataType::Bool, what),
            t => Err(self.error(Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                e.span,
                format!("The operands of {what} must be true/false conditions, but this is {} {t}", article(t)),
            ))),
        }
    }

    /// String operators apply to the text of a value: strings as they are, guids and dynamic
    /// values converted; other types are rejected (Kusto requires an explicit tostring()).
    fn string_operand(&mut self, e: BExpr, op: &str) -> BResult<BExpr> {
        match e.ty {
            DataType::String => Ok(e),
            DataType::Guid | DataType::Dynamic => {
                let span = e.span;
                Ok(BExpr::new(BKind::Call(Func::ToString, vec![e]), DataType::String, span))
            }
            _ if is_untyped_null(&e) => Ok(cnst(Value::str(""), DataType::String, e.span)),
            t => Err(self.error(
                Diagnostic::semantic(codes::TYPE_MISMATCH, e.span, format!("'{op}' works on strings, but this is {} {t}", article(t)))
                    .with_help("Convert it with tostring() first"),
            )),
        }
    }

    fn bind_in(&mut self, value: &Expr, op: ast::ListOp, items: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        let op = list_op(op);
        let v = self.bind_scalar(value, ctx)?;
        let is_has = matches!(op, ListOp::HasAny | ListOp::HasAll);
        let ci = matches!(op, ListOp::InCi | ListOp::NotInCi);
        let v = if is_has || ci { self.string_operand(v, op.word())? } else { v };
        if items.len() == 1 && self.is_tabular(&items[0]) {
            let (plan, _) = self.bind_tabular(&items[0])?;
            let Some(first) = plan.schema.first().cloned() else {
                return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, items[0].span, "This table has no columns to compare with")));
            };
            if !is_has && !ci {
                self.comparison_type(&v, &BExpr::column(0, first.ty, items[0].span), span)?;
            }
            let list = ListSource::Subquery(Rc::new(plan));
            return Ok(BExpr::new(BKind::InList { op, value: Box::new(v), list }, DataType::Bool, span));
        }
        let mut list = Vec::new();
        let row_free = RowCtx { schema: ctx.schema, agg: None, ordered: false };
        for it in items {
            if self.is_tabular(it) {
                return Err(self.error(
                    Diagnostic::semantic(codes::WRONG_KIND, it.span, "A table can only be the only item of an 'in' list")
                        .with_help("Write x in (T | project y) on its own"),
                ));
            }
            let from = self.diags.len();
            let b = self.bind_scalar(it, &row_free);
            if b.is_err() && (is_has || ci || v.ty == DataType::String) {
                self.quote_hint(from, it);
            }
            let b = b?;
            let mut refers_to_row = false;
            b.walk(&mut |x| refers_to_row |= matches!(x.kind, BKind::Column(_)));
            if refers_to_row {
                return Err(self.error(Diagnostic::semantic(
                    codes::NOT_CONSTANT,
                    it.span,
                    format!("The items of '{}' must be constants, not columns", op.word()),
                )));
            }
            if b.ty != DataType::Dynamic && !is_has && !ci {
                self.comparison_type(&v, &b, it.span)?;
            }
            list.push(b);
        }
        if list.is_empty() && is_has {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, format!("'{}' needs at least one value in its list", op.word()))));
        }
        Ok(BExpr::new(BKind::InList { op, value: Box::new(v), list: ListSource::Exprs(list) }, DataType::Bool, span))
    }

    fn bind_call(&mut self, name: &ast::Ident, args: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        let fname = name.name.as_str();
        let multi_ok = std::mem::take(&mut self.multi_ok);
        // User-defined functions shadow built-ins.
        if let Some(Binding::Function(def, depth)) = self.lookup(fname).cloned() {
            return match self.call_function(&def, depth, args, None, span, ctx)? {
                FnResult::Scalar(e) => Ok(e),
                FnResult::Tabular(..) => Err(self.wrong_kind_table(span)),
            };
        }
        // hll_merge with two or more arguments is the scalar function of that name (the
        // aggregate takes one column).
        let scalar_form = fname == "hll_merge" && args.len() >= 2;
        if let Some(agg) = AggFn::from_name(fname).filter(|_| !scalar_form) {
            return self.bind_aggregate(agg, name, args, span, ctx);
        }
        if fname == "rand" && args.len() <= 1 && self.lookup(fname).is_none() {
            return self.bind_rand(args, span);
        }
        if fname == "estimate_data_size" {
            return self.bind_estimate_data_size(args, span, ctx);
        }
        if fname == "bin_auto" && self.lookup(fname).is_none() {
            return self.bind_bin_auto(args, span, ctx);
        }
        if fname == "ingestion_time" && args.is_empty() {
            return self.bind_ingestion_time(span, ctx);
        }
        let Some(func) = Func::from_name(fname) else {
            if let Some(why) = functions::unsupported_function(fname) {
                let code = if why.contains("kqlab has no") || why.contains("database") || why.contains("watchlists") {
                    codes::UNAVAILABLE
                } else {
                    codes::UNSUPPORTED
                };
                return Err(self.error(Diagnostic::semantic(code, name.span, format!("'{fname}()' is not supported in kqlab: {why}"))));
            }
            let mut candidates: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
            candidates.extend(AggFn::ALL.iter().map(|a| a.name()));
            let help = did_you_mean(fname, candidates).map(|s| format!("Did you mean '{s}()'?"));
            return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_FUNCTION, name.span, format!("Unknown function '{fname}'")).maybe_help(help)));
        };
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            let expect = if min == max {
                format!("{min}")
            } else if max >= 64 {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!(
                    "{fname}() takes {expect} argument{}, but {} {} given",
                    if expect == "1" { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
            )));
        }
        match func {
            Func::ToScalar => {
                if !self.is_tabular(&args[0]) {
                    // toscalar(5) is allowed and is just 5.
                    return self.bind_scalar(&args[0], ctx);
                }
                let (plan, _) = self.bind_tabular(&args[0])?;
                let ty =
                    plan.schema.first().map(|f| f.ty).ok_or_else(|| {
                        self.error(Diagnostic::semantic(codes::WRONG_KIND, args[0].span, "toscalar() needs a table with at least one column"))
                    })?;
                return Ok(BExpr::new(BKind::Subquery(Rc::new(plan)), ty, span));
            }
            Func::ColumnNamesOf => return self.bind_column_names_of(&args[0], span),
            Func::SeriesDecomposeAnomalies | Func::SeriesDecompose | Func::SeriesStats if !multi_ok => {
                let parts = match func {
                    Func::SeriesDecompose => "(baseline, seasonal, trend, residual)",
                    Func::SeriesStats => "(min, min_idx, max, max_idx, avg, stdev, variance)",
                    _ => "(flag, score, baseline)",
                };
                return Err(self.error(
                    Diagnostic::semantic(
                        codes::EXPECTED,
                        span,
                        format!("{fname}() returns several columns, so it must be assigned on its own in extend or project"),
                    )
                    .with_help(format!("Write: extend {parts} = {fname}(...)")),
                ));
            }
            Func::PackAll => {
                let ignore_empty = match args.first() {
                    None => false,
                    Some(a) => match self.bind_scalar(a, &RowCtx::none())?.as_const() {
                        Some(Value::Bool(b)) => *b,
                        _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, a.span, "pack_all()'s argument must be true or false"))),
                    },
                };
                if ctx.agg.is_some() {
                    return Err(self.error(Diagnostic::semantic(
                        codes::AGG_CONTEXT,
                        span,
                        "pack_all() packs the columns of a row; use it in extend or project, or inside an aggregation",
                    )));
                }
                let mut bound = vec![cnst(Value::Bool(ignore_empty), DataType::Bool, span)];
                for (i, f) in ctx.schema.iter().enumerate() {
                    bound.push(cnst(Value::str(&f.name), DataType::String, span));
                    bound.push(BExpr::column(i, f.ty, span));
                }
                return Ok(BExpr::new(BKind::Call(Func::PackAll, bound), DataType::Dynamic, span));
            }
            Func::BagPackColumns => {
                let mut bound = vec![cnst(Value::Bool(false), DataType::Bool, span)];
                for a in args {
                    let Some(n) = names::derived_name(a) else {
                        return Err(self.error(Diagnostic::semantic(codes::EXPECTED, a.span, "bag_pack_columns() takes column names")));
                    };
                    bound.push(cnst(Value::str(&n), DataType::String, a.span));
                    bound.push(self.bind_scalar(a, ctx)?);
                }
                return Ok(BExpr::new(BKind::Call(Func::PackAll, bound), DataType::Dynamic, span));
            }
            Func::Materialize => {
                return Err(self.error(
                    Diagnostic::semantic(codes::WRONG_KIND, span, "materialize() returns a table; use it in a 'let' statement")
                        .with_help("let cached = materialize(UrlClickEvents | where ...);"),
                ))
            }
            Func::ColumnIfExists => {
                let ExprKind::Literal(Literal::String(col)) = &args[0].kind else {
                    return Err(self.error(Diagnostic::semantic(
                        codes::NOT_CONSTANT,
                        args[0].span,
                        "column_ifexists() needs the column name as a string literal",
                    )));
                };
                if let Some(i) = ctx.schema.iter().position(|f| &f.name == col) {
                    return Ok(BExpr::column(i, ctx.schema[i].ty, span));
                }
                return self.bind_scalar(&args[1], ctx);
            }
            Func::RowNumber | Func::Prev | Func::Next => {
                if !ctx.ordered {
                    return Err(self.error(
                        Diagnostic::semantic(codes::AGG_CONTEXT, span, format!("{fname}() needs rows in a defined order"))
                            .with_help("Add '| serialize' or '| sort by ...' before this operator"),
                    ));
                }
                let bound: Vec<BExpr> = args.iter().map(|a| self.bind_scalar(a, ctx)).collect::<BResult<_>>()?;
                if func == Func::RowNumber {
                    let start = match bound.first().map(|b| b.as_const().and_then(Value::as_i64)) {
                        None => 1,
                        Some(Some(n)) => n,
                        Some(None) => {
                            return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, bound[0].span, "row_number()'s start must be a constant number")))
                        }
                    };
                    return Ok(BExpr::new(BKind::RowNumber(start), DataType::Long, span));
                }
                let mut it = bound.into_iter();
                let value = it.next().ok_or(super::Failed)?;
                let offset = match it.next() {
                    None => 1,
                    Some(o) => match o.as_const().and_then(Value::as_i64) {
                        Some(n) => n,
                        None => {
                            return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, o.span, format!("{fname}()'s offset must be a constant number"))))
                        }
                    },
                };
                let ty = value.ty;
                let default = match it.next() {
                    Some(d) => Some(Box::new(self.coerce_to(d, ty, "the default value")?)),
                    None => None,
                };
                let offset = if func == Func::Prev { -offset } else { offset };
                return Ok(BExpr::new(BKind::Shift { value: Box::new(value), offset, default }, ty, span));
            }
            _ => {}
        }
        // extract(regex, group, text, typeof(T)): the optional type decides the result.
        let mut extract_type = None;
        let mut bound = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            if let ExprKind::TypeOf(t) = a.kind {
                if (func == Func::Extract && i == 3) || (matches!(func, Func::ExtractJson | Func::ExtractJsonOld | Func::PercentileTdigest) && i == 2) {
                    extract_type = Some(t);
                    continue;
                }
            }
            if matches!(a.kind, ExprKind::Star) {
                return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, a.span, format!("'*' is not a valid argument of {fname}()"))));
            }
            bound.push(self.bind_scalar(a, ctx)?);
        }
        let types: Vec<DataType> = bound.iter().map(|b| if is_untyped_null(b) { DataType::Dynamic } else { b.ty }).collect();
        let mut ty = match functions::result_type(func, &types) {
            Ok(t) => t,
            Err(msg) => return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, span, msg))),
        };
        if let Some(t) = extract_type {
            ty = t;
        }
        // Unify the value arguments of iff/case/coalesce/min_of/max_of to the result type.
        match func {
            Func::Iff | Func::Iif => {
                for b in bound.iter_mut().skip(1) {
                    *b = self.coerce_to(b.clone(), ty, "this branch")?;
                }
            }
            Func::Case => {
                let n = bound.len();
                for (i, b) in bound.iter_mut().enumerate() {
                    if i % 2 == 1 || i == n - 1 {
                        *b = self.coerce_to(b.clone(), ty, "this value")?;
                    }
                }
            }
            Func::Coalesce | Func::MinOf | Func::MaxOf => {
                for b in bound.iter_mut() {
                    *b = self.coerce_to(b.clone(), ty, "this argument")?;
                }
            }
            Func::Bin | Func::Floor | Func::BinAt => {
                if !matches!(bound[1].kind, BKind::Const(_)) {
                    // Kusto allows any expression, but a per-row bin size is almost always a
                    // mistake; we still allow it (evaluated per row).
                }
                if ty == DataType::Real {
                    bound[0] = self.coerce_to(bound[0].clone(), DataType::Real, "the value")?;
                    bound[1] = self.coerce_to(bound[1].clone(), DataType::Real, "the bin size")?;
                } else if ty == DataType::Long {
                    bound[0] = self.coerce_to(bound[0].clone(), DataType::Long, "the value")?;
                    bound[1] = self.coerce_to(bound[1].clone(), DataType::Long, "the bin size")?;
                }
            }
            Func::Not => {
                let b = self.coerce_to(bound.remove(0), DataType::Bool, "the argument of not()")?;
                return Ok(BExpr::new(BKind::Not(Box::new(b)), DataType::Bool, span));
            }
            _ => {}
        }
        // Regex arguments given as constants are checked now, so the error points at them.
        let regex_arg = match func {
            Func::Extract | Func::ExtractAll => Some(0),
            Func::ReplaceRegex | Func::Trim | Func::TrimStart | Func::TrimEnd => Some(if func == Func::ReplaceRegex { 1 } else { 0 }),
            Func::Replace => Some(0),
            _ => None,
        };
        if let Some(i) = regex_arg {
            if let Some(Value::String(re)) = bound.get(i).and_then(|b| b.as_const()) {
                if let Err(e) = crate::util::regex::compile_regex(re) {
                    return Err(self.error({
                        let (code, message) = crate::util::regex::regex_error(&e);
                        Diagnostic::semantic(code, bound[i].span, message)
                    }));
                }
            }
        }
        Ok(BExpr::new(BKind::Call(func, bound), ty, span))
    }

    fn bind_aggregate(&mut self, agg: AggFn, name: &ast::Ident, args: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        let Some(scope) = ctx.agg else {
            return Err(self.error(
                Diagnostic::semantic(codes::AGG_CONTEXT, span, format!("{}() is an aggregation; it can only be used in 'summarize'", name.name)).with_help(
                    if agg == AggFn::Count {
                        "To count rows, end the query with '| count' or '| summarize count()'"
                    } else {
                        "Write '| summarize ...' to aggregate"
                    },
                ),
            ));
        };
        if matches!(agg, AggFn::ArgMax | AggFn::ArgMin | AggFn::Percentiles)
            || (agg == AggFn::TakeAny && (args.len() > 1 || args.iter().any(|a| matches!(a.kind, ExprKind::Star))))
        {
            return Err(self.error(
                Diagnostic::semantic(codes::AGG_CONTEXT, span, format!("{}() returns several columns, so it cannot be part of a larger expression", name.name))
                    .with_help(format!("Use it on its own: summarize {}(...) by ...", name.name)),
            ));
        }
        let (min, max) = agg.arity();
        if args.len() < min || args.len() > max {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!(
                    "{}() takes {} argument{}, but {} {} given",
                    name.name,
                    if min == max { min.to_string() } else { format!("{min} to {max}") },
                    if max == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
            )));
        }
        let inner = RowCtx { schema: scope.input, agg: None, ordered: scope.input_ordered };
        let mut bound = Vec::new();
        for a in args {
            if matches!(a.kind, ExprKind::Star) {
                return Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, a.span, format!("'*' is not a valid argument of {}()", name.name))));
            }
            if let ExprKind::Call { name: inner_name, .. } = &a.kind {
                if AggFn::from_name(&inner_name.name).is_some() {
                    return Err(self.error(Diagnostic::semantic(codes::AGG_CONTEXT, a.span, "An aggregation cannot be nested inside another aggregation")));
                }
            }
            bound.push(self.bind_scalar(a, &inner)?);
        }
        // Predicate arguments of the *if variants.
        let pred_index = match agg {
            AggFn::CountIf => Some(0),
            AggFn::DCountIf
            | AggFn::SumIf
            | AggFn::AvgIf
            | AggFn::MinIf
            | AggFn::MaxIf
            | AggFn::MakeSetIf
            | AggFn::MakeListIf
            | AggFn::MakeBagIf
            | AggFn::TakeAnyIf
            | AggFn::StdevIf
            | AggFn::VarianceIf
            | AggFn::StdevpIf
            | AggFn::VariancepIf
            | AggFn::HllIf => Some(1),
            AggFn::CovarianceIf | AggFn::CovariancepIf => Some(2),
            _ => None,
        };
        if let Some(p) = pred_index {
            let b = bound[p].clone();
            bound[p] = self.need_bool(b, &format!("the condition of {}()", name.name))?;
        }
        // Size limits (make_set(x, 100)) and accuracy (dcount(x, 2)) must be constants.
        let const_index = match agg {
            AggFn::MakeSet | AggFn::MakeList | AggFn::MakeBag | AggFn::DCount => Some(1),
            AggFn::MakeSetIf | AggFn::MakeListIf | AggFn::MakeBagIf | AggFn::DCountIf => Some(2),
            _ => None,
        };
        if let Some(ci) = const_index {
            if let Some(b) = bound.get(ci) {
                if b.as_const().and_then(Value::as_i64).is_none() {
                    return Err(self.error(Diagnostic::semantic(
                        codes::NOT_CONSTANT,
                        b.span,
                        format!("This argument of {}() must be a constant number", name.name),
                    )));
                }
            }
        }
        if matches!(agg, AggFn::MakeBag | AggFn::MakeBagIf) && bound[0].ty != DataType::Dynamic {
            return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, bound[0].span, "make_bag() needs dynamic property bags")));
        }
        let arg_ty = if agg == AggFn::CountIf || agg == AggFn::Count { None } else { bound.first().map(|b| b.ty) };
        let ty = match agg.result_type(arg_ty) {
            Ok(t) => t,
            Err(m) => return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, span, m))),
        };
        // The percentiles of the array and weighted forms must be constants too.
        let first_percentile = match agg {
            AggFn::PercentilesArray => 1,
            AggFn::PercentileW | AggFn::PercentilesWArray => 2,
            _ => usize::MAX,
        };
        if let Some(b) = bound.iter().skip(first_percentile).find(|b| b.as_const().is_none()) {
            return Err(self.error(Diagnostic::semantic(
                codes::NOT_CONSTANT,
                b.span,
                format!("The percentiles of {}() must be constant numbers from 0 to 100 (or one constant dynamic array of them)", name.name),
            )));
        }
        if agg == AggFn::Percentile && crate::plan::aggregates::percentile_value(&bound[1]).is_none() {
            return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, bound[1].span, "The percentile must be a constant number from 0 to 100")));
        }
        if matches!(agg, AggFn::Sum | AggFn::SumIf | AggFn::Avg | AggFn::AvgIf | AggFn::Stdev | AggFn::Variance | AggFn::StdevIf | AggFn::VarianceIf) {
            let target = match ty {
                DataType::Real => Some(DataType::Real),
                DataType::Long => Some(DataType::Long),
                _ => None,
            };
            if let Some(t) = target {
                if bound[0].ty != DataType::TimeSpan && bound[0].ty != DataType::DateTime {
                    bound[0] = self.coerce_to(bound[0].clone(), t, "the value")?;
                }
            }
        }
        let slot = scope.next_slot();
        scope.calls.borrow_mut().push(AggCall { func: agg, args: bound, out: vec![ty], span });
        Ok(BExpr::column(slot, ty, span))
    }

    /// The default output name of an aggregate call: `count_`, `sum_Amount`, `set_Url`.
    pub(crate) fn aggregate_name(&self, e: &Expr) -> Option<String> {
        let ExprKind::Call { name, args } = &e.kind else { return None };
        let agg = AggFn::from_name(&name.name)?;
        // count() is `count_`, count(x) `count_x`; countif(predicate) is `countif_`.
        let arg = match agg {
            AggFn::CountIf => None,
            _ => args.first(),
        };
        let suffix = arg.and_then(names::derived_name).unwrap_or_default();
        // take_any(State) keeps the column's own name (the take_any page).
        if matches!(agg, AggFn::TakeAny | AggFn::TakeAnyIf) && name.name != "any" && !suffix.is_empty() {
            return Some(suffix);
        }
        if agg == AggFn::Percentile || agg == AggFn::PercentileW {
            let p = args.get(if agg == AggFn::Percentile { 1 } else { 2 }).map(|p| percentile_suffix(&p.to_string())).unwrap_or_default();
            return Some(format!("percentile_{suffix}_{p}"));
        }
        // covariance(x, y) is `covariance_x_y` (the covariance page).
        if matches!(agg, AggFn::Covariance | AggFn::CovarianceIf | AggFn::Covariancep | AggFn::CovariancepIf) {
            let second = args.get(1).and_then(names::derived_name).unwrap_or_default();
            return Some(format!("{}_{suffix}_{second}", agg.column_prefix()));
        }
        Some(format!("{}_{}", agg.column_prefix(), suffix))
    }
}

/// The plan's string predicate for the parser's.
fn str_op(op: ast::StrOp) -> StrOp {
    match op {
        ast::StrOp::Contains => StrOp::Contains,
        ast::StrOp::ContainsCs => StrOp::ContainsCs,
        ast::StrOp::Has => StrOp::Has,
        ast::StrOp::HasCs => StrOp::HasCs,
        ast::StrOp::HasPrefix => StrOp::HasPrefix,
        ast::StrOp::HasPrefixCs => StrOp::HasPrefixCs,
        ast::StrOp::HasSuffix => StrOp::HasSuffix,
        ast::StrOp::HasSuffixCs => StrOp::HasSuffixCs,
        ast::StrOp::StartsWith => StrOp::StartsWith,
        ast::StrOp::StartsWithCs => StrOp::StartsWithCs,
        ast::StrOp::EndsWith => StrOp::EndsWith,
        ast::StrOp::EndsWithCs => StrOp::EndsWithCs,
        ast::StrOp::MatchesRegex => StrOp::MatchesRegex,
    }
}

/// The plan's list operator for the parser's.
fn list_op(op: ast::ListOp) -> ListOp {
    match op {
        ast::ListOp::In => ListOp::In,
        ast::ListOp::NotIn => ListOp::NotIn,
        ast::ListOp::InCi => ListOp::InCi,
        ast::ListOp::NotInCi => ListOp::NotInCi,
        ast::ListOp::HasAny => ListOp::HasAny,
        ast::ListOp::HasAll => ListOp::HasAll,
    }
}

/// How a percentile appears in a column name: `95` → `95`, `99.5` → `99_5`.
pub(crate) fn percentile_suffix(text: &str) -> String {
    text.replace(['.', '-'], "_")
}

fn bool_literal(e: &BExpr) -> Option<bool> {
    match e.as_const()? {
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "0" | "false" => Some(false),
            "1" | "true" => Some(true),
            _ => None,
        },
        _ => None,
    }
}

fn article(t: DataType) -> &'static str {
    match t {
        DataType::Int => "an",
        _ => "a",
    }
}

/// Combines two or more bound `and`/`or` operands into a balanced tree of binary nodes.
/// The result spans its operands; the caller gives the root the span of the whole chain.
pub(crate) fn balanced(op: BinaryOp, mut items: Vec<BExpr>, span: Span) -> BExpr {
    let mut root = balanced_tree(op, &mut items);
    root.span = span;
    root
}

fn balanced_tree(op: BinaryOp, items: &mut Vec<BExpr>) -> BExpr {
    debug_assert!(!items.is_empty());
    if items.len() == 1 {
        return items.pop().expect("one operand");
    }
    let mut right = items.split_off(items.len() / 2);
    let (l, r) = (balanced_tree(op, items), balanced_tree(op, &mut right));
    let s = l.span.to(r.span);
    let kind = if op == BinaryOp::And { BKind::And(Box::new(l), Box::new(r)) } else { BKind::Or(Box::new(l), Box::new(r)) };
    BExpr::new(kind, DataType::Bool, s)
}

/// The text of an unquoted word the parser read as names joined by `-` or `.` (with no
/// spaces around them): `contoso-login` is `contoso - login`, `login.microsoftonline.com` is
/// member access. `None` for anything else.
pub(crate) fn bare_word(e: &Expr) -> Option<String> {
    fn go(e: &Expr, out: &mut String, names: &mut usize) -> bool {
        match &e.kind {
            ExprKind::Name(n) => {
                *names += 1;
                out.push_str(&n.name);
                true
            }
            ExprKind::Literal(Literal::Long(v)) => {
                out.push_str(&v.to_string());
                true
            }
            ExprKind::Literal(Literal::Int(v)) => {
                out.push_str(&v.to_string());
                true
            }
            ExprKind::Binary { op: BinaryOp::Sub, left, right } if left.span.end + 1 == right.span.start => {
                go(left, out, names) && {
                    out.push('-');
                    go(right, out, names)
                }
            }
            ExprKind::Member { target, name } if target.span.end + 1 == name.span.start => {
                go(target, out, names) && {
                    out.push('.');
                    *names += 1;
                    out.push_str(&name.name);
                    true
                }
            }
            _ => false,
        }
    }
    let mut out = String::new();
    let mut names = 0;
    (go(e, &mut out, &mut names) && names > 0).then_some(out)
}

impl Binder<'_> {
    /// column_names_of(T): the names of a tabular expression's columns, known when binding,
    /// so the call is a constant array.
    fn bind_column_names_of(&mut self, arg: &Expr, span: Span) -> BResult<BExpr> {
        if !self.is_tabular(arg) {
            return Err(self.error(
                Diagnostic::semantic(
                    codes::WRONG_KIND,
                    arg.span,
                    "column_names_of() takes a table: a table name, a tabular 'let' or a function call that returns a table",
                )
                .with_help("Write column_names_of(T), where T is a table or a tabular expression"),
            ));
        }
        let (plan, _) = self.bind_tabular(arg)?;
        let names = plan.schema.iter().map(|f| crate::types::Dynamic::String(f.name.to_string().into())).collect();
        Ok(cnst(Value::Dynamic(crate::types::Dynamic::array(names)), DataType::Dynamic, span))
    }
}
