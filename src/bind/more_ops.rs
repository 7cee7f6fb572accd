//! Binding of `project-by-names` and other operators whose arguments are constants known
//! when binding.

use super::expr::{AggScope, RowCtx};
use super::names::{derived_name, Namer};
use super::tabular::{select, wildcard_match};
use super::{BResult, Binder};
use crate::diag::{codes, Diagnostic, Span};
use crate::plan::aggregates::AggFn;
use crate::plan::{AggCall, BExpr, Plan};
use crate::syntax::ast::{Expr, NamedExpr};
use crate::table::Field;
use crate::types::{Dynamic, Value};

impl Binder<'_> {
    /// `project-by-names Spec, ...`: each spec is a constant string (a column name, or a
    /// pattern with `*`) or a dynamic array of such strings (`column_names_of(T)` gives one).
    /// The output has the named columns in the order the specs name them, each once; a name
    /// no column has is skipped, as the operator's page documents.
    pub(crate) fn bind_project_by_names(&mut self, input: Plan, items: &[Expr], span: Span) -> BResult<Plan> {
        let mut names: Vec<(String, Span)> = Vec::new();
        for e in items {
            let b = self.bind_scalar(e, &RowCtx::none())?;
            let bad = || {
                Diagnostic::semantic(
                    codes::NOT_CONSTANT,
                    e.span,
                    "project-by-names takes constant column names: a string, a pattern such as \"C*\", or a dynamic array of names",
                )
                .with_help("Write the names as strings (project-by-names \"Name\", \"City\") or pass dynamic([...]) or column_names_of(T)")
            };
            match b.as_const() {
                Some(Value::String(s)) => names.push((s.to_string(), e.span)),
                Some(Value::Dynamic(Dynamic::String(s))) => names.push((s.to_string(), e.span)),
                Some(Value::Dynamic(Dynamic::Array(a))) => {
                    for v in a.iter() {
                        match v {
                            Dynamic::String(s) => names.push((s.to_string(), e.span)),
                            Dynamic::Null => {}
                            _ => return Err(self.error(bad())),
                        }
                    }
                }
                _ => return Err(self.error(bad())),
            }
        }
        let mut cols: Vec<usize> = Vec::new();
        for (name, _) in &names {
            for (i, f) in input.schema.iter().enumerate() {
                let hit = if name.contains('*') { wildcard_match(name, &f.name) } else { f.name == *name };
                if hit && !cols.contains(&i) {
                    cols.push(i);
                }
            }
        }
        Ok(select(input, &cols, span))
    }

    /// `percentilesw(Value, Weight, p1, p2, ...)` in `summarize`: one weighted nearest-rank
    /// percentile column per p, named percentile_Value_p (as percentiles() names them).
    pub(crate) fn bind_percentilesw(
        &mut self,
        args: &[Expr],
        item: &NamedExpr,
        scope: &AggScope,
        schema: &[Field],
        namer: &mut Namer,
        ordered: bool,
    ) -> BResult<Vec<(String, BExpr)>> {
        if args.len() < 3 {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                item.span,
                "percentilesw() needs the value, the weight and at least one percentile, e.g. percentilesw(x, w, 50, 95)",
            )));
        }
        let inner = RowCtx { schema, agg: None, ordered };
        let value = self.bind_scalar(&args[0], &inner)?;
        let weight = self.bind_scalar(&args[1], &inner)?;
        if !weight.ty.is_numeric() {
            return Err(self.error(Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                weight.span,
                format!("percentilesw(): the weight must be a number, not a {}", weight.ty),
            )));
        }
        let ty = match AggFn::PercentileW.result_type(Some(value.ty)) {
            Ok(t) => t,
            Err(m) => return Err(self.error(Diagnostic::semantic(codes::TYPE_MISMATCH, value.span, m))),
        };
        let base = derived_name(&args[0]).unwrap_or_default();
        let mut out = Vec::new();
        for (i, a) in args[2..].iter().enumerate() {
            let p = self.bind_scalar(a, &RowCtx::none())?;
            if crate::plan::aggregates::percentile_value(&p).is_none() {
                return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, p.span, "Each percentile must be a constant number from 0 to 100")));
            }
            let name = match item.names.get(i) {
                Some(n) => n.name.clone(),
                None => namer.unique(&format!("percentile_{base}_{}", super::expr::percentile_suffix(&a.to_string()))),
            };
            let slot = {
                let calls = scope.calls.borrow();
                scope.key_count + calls.iter().map(|c| c.out.len()).sum::<usize>()
            };
            scope.calls.borrow_mut().push(AggCall { func: AggFn::PercentileW, args: vec![value.clone(), weight.clone(), p], out: vec![ty], span: item.span });
            out.push((name, BExpr::column(slot, ty, item.span)));
        }
        Ok(out)
    }

    /// `set Option [= Value]`: kqlab accepts the options that change how Kusto runs a query
    /// but not its answer (listed in [`HARMLESS_OPTIONS`]), and the two that `bin_auto()`
    /// reads (query_bin_auto_size, query_bin_auto_at); any other option is refused by name,
    /// since ignoring it could give an answer Kusto would not.
    pub(crate) fn bind_set(&mut self, text: &str, span: Span) {
        let body = text.trim().trim_end_matches(';').trim();
        let body = body.strip_prefix("set").unwrap_or(body).trim();
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (body, None),
        };
        let lower = name.to_ascii_lowercase();
        if HARMLESS_OPTIONS.contains(&lower.as_str()) {
            return;
        }
        if lower == "query_bin_auto_size" || lower == "query_bin_auto_at" {
            let Some(v) = value else {
                let _ = self.error(Diagnostic::semantic(codes::EXPECTED, span, format!("set {name} needs a value: set {name} = ...")));
                return;
            };
            let (script, diags) = crate::syntax::parse(&format!("print {v}"));
            let parsed = script.filter(|_| diags.is_empty()).and_then(|s| match s.statements.into_iter().last() {
                Some(crate::syntax::ast::Statement::Query(Expr { kind: crate::syntax::ast::ExprKind::Print { columns }, .. })) => columns.into_iter().next(),
                _ => None,
            });
            let bound = parsed.and_then(|c| self.bind_scalar(&c.expr, &RowCtx::none()).ok()).filter(|b| b.as_const().is_some_and(|v| !v.is_null()));
            match bound {
                Some(mut b) => {
                    b.span = span;
                    self.define(&format!("__kqlab_set_{lower}"), super::Binding::Scalar(b));
                }
                None => {
                    let _ = self.error(Diagnostic::semantic(
                        codes::NOT_CONSTANT,
                        span,
                        format!("set {name}: the value must be a constant, such as 1h or datetime(2026-01-01)"),
                    ));
                }
            }
            return;
        }
        let _ = self.error(
            Diagnostic::semantic(codes::UNSUPPORTED, span, format!("The option '{name}' of the 'set' statement is not supported in kqlab"))
                .with_help("kqlab accepts set for the options that do not change a query's answer (such as notruncation or querytrace) and for query_bin_auto_size / query_bin_auto_at"),
        );
    }

    /// `bin_auto(x)`: bin(x, size) or bin_at(x, size, at) with the size and origin the query
    /// set with `set query_bin_auto_size = ...` and `set query_bin_auto_at = ...`.
    pub(crate) fn bind_bin_auto(&mut self, args: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        if args.len() != 1 {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, "bin_auto() takes one argument: bin_auto(Timestamp)")));
        }
        let Some(super::Binding::Scalar(size)) = self.lookup("__kqlab_set_query_bin_auto_size").cloned() else {
            return Err(self.error(
                Diagnostic::semantic(
                    codes::UNSUPPORTED,
                    span,
                    "bin_auto() needs the bin size from 'set query_bin_auto_size = ...'; kqlab has no client to choose one",
                )
                .with_help("Start the query with: set query_bin_auto_size = 1h; (and optionally set query_bin_auto_at = datetime(...);)"),
            ));
        };
        let at = match self.lookup("__kqlab_set_query_bin_auto_at").cloned() {
            Some(super::Binding::Scalar(a)) => Some(a),
            _ => None,
        };
        let mut call_args = vec![args[0].clone(), const_expr(size.as_const(), span)];
        if let Some(a) = &at {
            call_args.push(const_expr(a.as_const(), span));
        }
        let name = crate::syntax::ast::Ident { name: if at.is_some() { "bin_at" } else { "bin" }.to_string(), span };
        let call = Expr { kind: crate::syntax::ast::ExprKind::Call { name, args: call_args }, span };
        self.bind_scalar(&call, ctx)
    }

    /// The names of the views in scope (`let Name = view () { ... }`) that match a `*` pattern,
    /// sorted.
    pub(crate) fn views_matching(&self, pattern: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for frame in &self.scopes {
            for (name, b) in frame {
                if let super::Binding::Function(def, _) = b {
                    if def.is_view && def.params.is_empty() && wildcard_match(pattern, name) && !out.contains(name) {
                        out.push(name.clone());
                    }
                }
            }
        }
        crate::util::sort::sort(&mut out);
        out
    }

    /// `estimate_data_size(*)` or `estimate_data_size(Col, ...)`: the bytes of the row's values
    /// by type, as kqlab counts them: 1 for a bool, 4 for an int, 8 for a long, real, datetime
    /// or timespan, 16 for a guid, a string's UTF-8 length, and a dynamic value's JSON text
    /// length. Kusto documents only that the estimate follows types and values (a long is 8,
    /// a string its length); its dynamic values are larger than their text.
    pub(crate) fn bind_estimate_data_size(&mut self, args: &[Expr], span: Span, ctx: &RowCtx) -> BResult<BExpr> {
        use crate::syntax::ast::ExprKind;
        use crate::types::DataType as T;
        if args.is_empty() {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, "estimate_data_size() takes columns, or * for all of them")));
        }
        let mut cols: Vec<(String, T)> = Vec::new();
        for a in args {
            match &a.kind {
                ExprKind::Star => cols.extend(ctx.schema.iter().map(|f| (f.name.clone(), f.ty))),
                _ => {
                    let b = self.bind_scalar(a, ctx)?;
                    cols.push((format!("({a})"), b.ty));
                }
            }
        }
        let parts: Vec<String> = cols
            .iter()
            .map(|(name, ty)| {
                let col = if name.starts_with('(') { name.clone() } else { format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'")) };
                match ty {
                    T::Bool => "1".to_string(),
                    T::Int => "4".to_string(),
                    T::Guid => "16".to_string(),
                    T::String => format!("string_size({col})"),
                    T::Dynamic => format!("string_size(tostring({col}))"),
                    _ => "8".to_string(),
                }
            })
            .collect();
        let text = format!("print tolong({})", if parts.is_empty() { "0".to_string() } else { parts.join(" + ") });
        let (script, diags) = crate::syntax::parse(&text);
        let expr = script.filter(|_| diags.is_empty()).and_then(|s| match s.statements.into_iter().last() {
            Some(crate::syntax::ast::Statement::Query(Expr { kind: ExprKind::Print { columns }, .. })) => columns.into_iter().next(),
            _ => None,
        });
        let Some(item) = expr else {
            return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, span, "estimate_data_size(): these columns cannot be measured")));
        };
        let mut b = self.bind_scalar(&item.expr, ctx)?;
        b.span = span;
        Ok(b)
    }

    /// `declare pattern Name = (args)[path] { (values).[path] = { query }; ... };`: each case
    /// becomes a function without parameters, kept under a key made of the pattern's name, the
    /// argument values and the path; `Name(values).path` runs the case's query.
    pub(crate) fn bind_pattern(&mut self, text: &str, span: Span) {
        match parse_pattern(text) {
            Ok((name, cases)) => {
                self.define(
                    &pattern_key(&name, None),
                    super::Binding::Scalar(BExpr::new(crate::plan::BKind::Const(Value::Bool(true)), crate::types::DataType::Bool, span)),
                );
                for (values, path, body) in cases {
                    let (script, diags) = crate::syntax::parse(&body);
                    let Some(script) = script.filter(|_| diags.is_empty()) else {
                        let _ = self.error(Diagnostic::semantic(
                            codes::EXPECTED,
                            span,
                            format!("The query of the pattern case ({}) of '{name}' does not parse", values.join(", ")),
                        ));
                        return;
                    };
                    let def = crate::syntax::ast::FunctionDef { params: Vec::new(), body: script.statements, is_view: false, span };
                    let depth = self.scopes.len();
                    self.define(&pattern_key(&name, Some((&values, path.as_deref()))), super::Binding::Function(std::rc::Rc::new(def), depth));
                }
            }
            Err(m) => {
                let _ = self.error(
                    Diagnostic::semantic(codes::UNSUPPORTED, span, m)
                        .with_help("kqlab reads: declare pattern Name = (arg: string)[path: string] { (\"value\").[\"path\"] = { query }; ... };"),
                );
            }
        }
    }

    /// `Name(values)` or `Name(values).path` where Name is a declared pattern.
    pub(crate) fn bind_pattern_call(&mut self, e: &Expr) -> Option<BResult<(Plan, bool)>> {
        use crate::syntax::ast::ExprKind;
        let (call, path) = match &e.kind {
            ExprKind::Member { target, name } => (&**target, Some(name.name.clone())),
            ExprKind::Index { target, index } => match &index.kind {
                ExprKind::Literal(crate::syntax::ast::Literal::String(s)) => (&**target, Some(s.clone())),
                _ => return None,
            },
            _ => (e, None),
        };
        let ExprKind::Call { name, args } = &call.kind else { return None };
        self.lookup(&pattern_key(&name.name, None))?;
        let mut values = Vec::new();
        for a in args {
            let b = match self.bind_scalar(a, &RowCtx::none()) {
                Ok(b) => b,
                Err(f) => return Some(Err(f)),
            };
            match b.as_const() {
                Some(v) => values.push(v.to_display()),
                None => return Some(Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, a.span, "A pattern's arguments must be constants")))),
            }
        }
        let key = pattern_key(&name.name, Some((&values, path.as_deref())));
        let Some(super::Binding::Function(def, depth)) = self.lookup(&key).cloned() else {
            let shown = match &path {
                Some(p) => format!("{}({}).{p}", name.name, values.join(", ")),
                None => format!("{}({})", name.name, values.join(", ")),
            };
            return Some(Err(self.error(Diagnostic::semantic(
                codes::UNKNOWN_TABLE,
                e.span,
                format!("The pattern '{}' declares no case for {shown}", name.name),
            ))));
        };
        Some(match self.call_function(&def, depth, &[], None, e.span, &RowCtx::none()) {
            Ok(super::FnResult::Tabular(p, o)) => Ok((p, o)),
            Ok(super::FnResult::Scalar(_)) => {
                Err(self.error(Diagnostic::semantic(codes::WRONG_KIND, e.span, "This pattern case gives a single value, not a table")))
            }
            Err(f) => Err(f),
        })
    }

    /// The arguments of a call to a user-defined function, one slot per parameter after the
    /// `invoke` input (`offset`): a positional argument fills the parameter at its position,
    /// `name = value` the parameter of that name (`checkLength(len = 3, input)`).
    pub(crate) fn arrange_named_args<'e>(&mut self, def: &crate::syntax::ast::FunctionDef, args: &'e [Expr], offset: usize) -> BResult<Vec<Option<&'e Expr>>> {
        let n = def.params.len().saturating_sub(offset);
        let mut slots: Vec<Option<&Expr>> = vec![None; n.max(args.len())];
        for (i, a) in args.iter().enumerate() {
            let (slot, value) = match &a.kind {
                crate::syntax::ast::ExprKind::NamedArg { name, value } => {
                    let Some(p) = def.params.iter().skip(offset).position(|p| p.name.name == name.name) else {
                        let names: Vec<&str> = def.params.iter().skip(offset).map(|p| p.name.name.as_str()).collect();
                        return Err(self.error(
                            Diagnostic::semantic(codes::UNKNOWN_COLUMN, name.span, format!("This function has no parameter named '{}'", name.name))
                                .with_help(format!("Its parameters are: {}", names.join(", "))),
                        ));
                    };
                    (p, &**value)
                }
                _ => (i, a),
            };
            if slots[slot].is_some() {
                return Err(self.error(Diagnostic::semantic(codes::EXPECTED, a.span, "This argument fills a parameter that another argument already gives")));
            }
            slots[slot] = Some(value);
        }
        Ok(slots)
    }
}

/// A whole-number constant converted to a wider number type (a `real` or `long` parameter
/// given 99) as the constant of that type, so that the body sees a constant where it needs
/// one (`percentiles(x, p)` inside a function called with p = 99).
pub(crate) fn widen_const(e: BExpr) -> BExpr {
    use crate::plan::BKind;
    let BKind::Cast(inner) = &e.kind else { return e };
    let v = match (inner.as_const(), e.ty) {
        (Some(Value::Int(n)), crate::types::DataType::Long) => Value::Long(*n as i64),
        (Some(Value::Int(n)), crate::types::DataType::Real) => Value::Real(*n as f64),
        (Some(Value::Long(n)), crate::types::DataType::Real) if n.unsigned_abs() < (1u64 << 53) => Value::Real(*n as f64),
        _ => return e,
    };
    BExpr::new(BKind::Const(v), e.ty, e.span)
}

/// `set` options that change how Kusto runs or returns a query, not the rows it computes.
const HARMLESS_OPTIONS: &[&str] = &[
    "notruncation",
    "querytrace",
    "servertimeout",
    "query_results_cache_max_age",
    "query_fanout_threads_percent",
    "query_fanout_nodes_percent",
    "maxmemoryconsumptionperiterator",
    "max_memory_consumption_per_query_per_node",
    "query_results_progressive_enabled",
];

/// A constant as an expression (its printed KQL, read back).
fn const_expr(v: Option<&Value>, span: Span) -> Expr {
    use crate::syntax::ast::{ExprKind, Literal};
    let lit = match v {
        Some(Value::Long(n)) => Literal::Long(*n),
        Some(Value::Int(n)) => Literal::Int(*n),
        Some(Value::Real(f)) => Literal::Real(*f),
        Some(Value::DateTime(t)) => Literal::DateTime(*t),
        Some(Value::TimeSpan(t)) => Literal::TimeSpan(*t),
        _ => Literal::Null,
    };
    Expr { kind: ExprKind::Literal(lit), span }
}

/// `isfuzzy=true` among an operator's parameters.
pub(crate) fn is_fuzzy(params: &[crate::syntax::ast::OpParam]) -> bool {
    params.iter().any(|p| {
        p.name.name == "isfuzzy"
            && (matches!(p.value.kind, crate::syntax::ast::ExprKind::Literal(crate::syntax::ast::Literal::Bool(true)))
                || super::tabular::param_word(p).as_deref() == Some("true"))
    })
}

/// Is this `declare` statement a pattern declaration?
pub(crate) fn is_pattern(text: &str) -> bool {
    let mut w = text.split_whitespace();
    w.next() == Some("declare") && w.next() == Some("pattern")
}

fn pattern_key(name: &str, case: Option<(&[String], Option<&str>)>) -> String {
    match case {
        None => format!("\u{1}pattern {name}"),
        Some((values, path)) => format!("\u{1}pattern {name}\u{1}{}\u{1}{}", values.join("\u{2}"), path.unwrap_or("")),
    }
}

/// Reads `declare pattern Name = (...)[...] { (v, ...).[p] = { query }; ... }` into the name
/// and its cases (argument values, path, query text).
#[allow(clippy::type_complexity)]
fn parse_pattern(text: &str) -> Result<(String, Vec<(Vec<String>, Option<String>, String)>), String> {
    let c: Vec<char> = text.trim().trim_end_matches(';').chars().collect();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while *i < c.len() && c[*i].is_whitespace() {
            *i += 1;
        }
    };
    let word = |i: &mut usize| -> String {
        let s = *i;
        while *i < c.len() && (c[*i].is_alphanumeric() || c[*i] == '_') {
            *i += 1;
        }
        c[s..*i].iter().collect()
    };
    // The text from an opening bracket to its match, strings skipped; i ends after it.
    let group = |i: &mut usize, open: char, close: char| -> Option<String> {
        if c.get(*i) != Some(&open) {
            return None;
        }
        let (start, mut depth) = (*i + 1, 0);
        while *i < c.len() {
            let ch = c[*i];
            if ch == '"' || ch == '\'' {
                *i += 1;
                while *i < c.len() && c[*i] != ch {
                    if c[*i] == '\\' {
                        *i += 1;
                    }
                    *i += 1;
                }
            } else if ch == open {
                depth += 1;
            } else if ch == close {
                depth -= 1;
                if depth == 0 {
                    *i += 1;
                    return Some(c[start..*i - 1].iter().collect());
                }
            }
            *i += 1;
        }
        None
    };
    let literal = |s: &str| -> String {
        let t = s.trim();
        let t = t.strip_prefix('@').unwrap_or(t);
        if t.len() >= 2 && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))) {
            t[1..t.len() - 1].to_string()
        } else {
            t.to_string()
        }
    };
    let bad = |what: &str| format!("kqlab could not read this pattern declaration: {what}");
    // `declare`, `pattern`, then the name.
    ws(&mut i);
    word(&mut i);
    ws(&mut i);
    word(&mut i);
    ws(&mut i);
    let name = word(&mut i);
    if name.is_empty() {
        return Err(bad("expected the pattern's name"));
    }
    ws(&mut i);
    if c.get(i) != Some(&'=') {
        return Err(format!("The pattern '{name}' has no body: kqlab runs patterns declared with their cases (declare pattern {name} = (...) {{ ... }})"));
    }
    i += 1;
    ws(&mut i);
    group(&mut i, '(', ')').ok_or_else(|| bad("expected the argument list after '='"))?;
    ws(&mut i);
    let _ = group(&mut i, '[', ']');
    ws(&mut i);
    let body = group(&mut i, '{', '}').ok_or_else(|| bad("expected '{' and the cases"))?;
    let mut cases = Vec::new();
    let b: Vec<char> = body.chars().collect();
    let mut j = 0;
    loop {
        while j < b.len() && (b[j].is_whitespace() || b[j] == ';') {
            j += 1;
        }
        if j >= b.len() {
            break;
        }
        let rest: String = b[j..].iter().collect();
        let (args, used) = sub_group(&rest, '(', ')').ok_or_else(|| bad("expected a case's values in parentheses"))?;
        j += used;
        let values: Vec<String> = split_top(&args).iter().map(|v| literal(v)).collect();
        while j < b.len() && b[j].is_whitespace() {
            j += 1;
        }
        let mut path = None;
        if b.get(j) == Some(&'.') {
            j += 1;
            let rest: String = b[j..].iter().collect();
            if let Some((p, used)) = sub_group(&rest, '[', ']') {
                path = Some(literal(&p));
                j += used;
            } else {
                let s = j;
                while j < b.len() && (b[j].is_alphanumeric() || b[j] == '_') {
                    j += 1;
                }
                path = Some(b[s..j].iter().collect());
            }
        }
        while j < b.len() && b[j].is_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&'=') {
            return Err(bad("expected '=' after a case's values"));
        }
        j += 1;
        while j < b.len() && b[j].is_whitespace() {
            j += 1;
        }
        let rest: String = b[j..].iter().collect();
        let (query, used) = sub_group(&rest, '{', '}').ok_or_else(|| bad("expected '{' and the case's query"))?;
        j += used;
        cases.push((values, path, query));
    }
    Ok((name, cases))
}

/// The inside of a bracketed group at the start of `s` (strings skipped), and the characters
/// it takes.
fn sub_group(s: &str, open: char, close: char) -> Option<(String, usize)> {
    let c: Vec<char> = s.chars().collect();
    if c.first() != Some(&open) {
        return None;
    }
    let mut depth = 0;
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '"' || ch == '\'' {
            i += 1;
            while i < c.len() && c[i] != ch {
                if c[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
        } else if ch == open {
            depth += 1;
        } else if ch == close {
            depth -= 1;
            if depth == 0 {
                return Some((c[1..i].iter().collect(), i + 1));
            }
        }
        i += 1;
    }
    None
}

/// Splits on commas outside strings and brackets.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut depth, mut quote) = (String::new(), 0, None::<char>);
    for ch in s.chars() {
        match quote {
            Some(q) => {
                cur.push(ch);
                if ch == q {
                    quote = None;
                }
            }
            None => match ch {
                '"' | '\'' => {
                    quote = Some(ch);
                    cur.push(ch);
                }
                '(' | '[' | '{' => {
                    depth += 1;
                    cur.push(ch);
                }
                ')' | ']' | '}' => {
                    depth -= 1;
                    cur.push(ch);
                }
                ',' if depth == 0 => out.push(std::mem::take(&mut cur)),
                _ => cur.push(ch),
            },
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}
