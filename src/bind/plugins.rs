//! `evaluate` plugins bound as the KQL they stand for (`sliding_window_counts`,
//! `active_users_count`, `activity_counts_metrics`, `rolling_percentile`,
//! `dcount_intersect`), and `schema_merge`, computed from its input's rows.
//!
//! A desugared plugin is written as a query over `__kqlab_input` (the piped table); its
//! constant arguments are printed back as KQL (the printer round-trips), so they may name
//! the query's `let` values. Errors inside the made-up text point at the plugin call.

use super::expr::RowCtx;
use super::tabular::plan;
use super::{BResult, Binder, Binding};
use crate::diag::{codes, Diagnostic, Span};
use crate::plan::{Node, Plan};
use crate::syntax::ast::{Expr, ExprKind, Literal};
use crate::table::{Field, Table};
use crate::types::{DataType, Value};
use std::sync::Arc;

fn quoted(name: &str) -> String {
    format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl Binder<'_> {
    /// Binds `text` (a query over `__kqlab_input`) in the current scope.
    fn bind_desugared(&mut self, input: Plan, ordered: bool, text: &str, span: Span) -> BResult<(Plan, bool)> {
        self.bind_desugared_with(input, ordered, None, text, span)
    }

    /// As [`Self::bind_desugared`], with a second table as `__kqlab_lookup`; the text may start
    /// with `let` statements.
    fn bind_desugared_with(&mut self, input: Plan, ordered: bool, lookup: Option<Plan>, text: &str, span: Span) -> BResult<(Plan, bool)> {
        let (script, diags) = crate::syntax::parse(text);
        let Some(script) = script.filter(|_| diags.is_empty()) else {
            return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, span, "this plugin call cannot be rewritten: check its column names")));
        };
        let Some(crate::syntax::ast::Statement::Query(q)) = script.statements.last() else {
            return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, span, "this plugin call could not be bound")));
        };
        let mut frame = crate::table::FxHashMap::default();
        frame.insert("__kqlab_input".to_string(), Binding::Tabular(input, ordered));
        if let Some(l) = lookup {
            frame.insert("__kqlab_lookup".to_string(), Binding::Tabular(l, false));
        }
        self.scopes.push(frame);
        let before = self.diags.len();
        let mut r = Ok(());
        for st in &script.statements {
            if let crate::syntax::ast::Statement::Let(l) = st {
                r = r.and_then(|_| self.bind_let(l));
            }
        }
        let r = r.and_then(|_| self.bind_tabular(q));
        self.scopes.pop();
        match r {
            Ok((mut p, o)) => {
                p.span = span;
                Ok((p, o))
            }
            Err(f) => {
                for d in &mut self.diags[before..] {
                    d.span = span;
                }
                Err(f)
            }
        }
    }

    /// The name of a column argument that the input has.
    fn plugin_column(&mut self, input: &Plan, e: &Expr, plugin: &str, what: &str) -> BResult<(String, DataType)> {
        let ExprKind::Name(id) = &e.kind else {
            return Err(self.error(Diagnostic::semantic(codes::EXPECTED, e.span, format!("{plugin}(): {what} must be a column name"))));
        };
        match input.schema.iter().find(|f| f.name == id.name) {
            Some(f) => Ok((f.name.clone(), f.ty)),
            None => {
                let help = crate::diag::did_you_mean(&id.name, input.schema.iter().map(|f| f.name.as_str())).map(|s| format!("Did you mean '{s}'?"));
                Err(self
                    .error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, id.span, format!("{plugin}(): the input has no column '{}'", id.name)).maybe_help(help)))
            }
        }
    }

    /// A constant argument, checked and printed back as KQL text (in parentheses).
    fn plugin_const(&mut self, e: &Expr, plugin: &str, what: &str) -> BResult<(String, Value)> {
        let b = self.bind_scalar(e, &RowCtx::none())?;
        match b.as_const() {
            Some(v) if !v.is_null() => Ok((format!("({e})"), v.clone())),
            _ => Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, e.span, format!("{plugin}(): {what} must be a constant")))),
        }
    }

    fn plugin_arity(&mut self, args: &[Expr], min: usize, plugin: &str, usage: &str, span: Span) -> BResult<()> {
        if args.len() < min {
            return Err(self.error(Diagnostic::semantic(codes::ARG_COUNT, span, format!("{plugin} takes at least {min} arguments: {usage}"))));
        }
        Ok(())
    }

    fn plugin_dims(&mut self, input: &Plan, args: &[Expr], plugin: &str) -> BResult<Vec<String>> {
        let mut out = Vec::new();
        for a in args {
            out.push(quoted(&self.plugin_column(input, a, plugin, "a dimension")?.0));
        }
        Ok(out)
    }

    /// Is `name` one of the plugins bound here?
    pub(crate) fn is_more_plugin(name: &str) -> bool {
        matches!(
            name,
            "sliding_window_counts"
                | "active_users_count"
                | "activity_counts_metrics"
                | "rolling_percentile"
                | "dcount_intersect"
                | "schema_merge"
                | "rows_near"
                | "ipv6_lookup"
        )
    }

    /// Binds a plugin of [`Self::is_more_plugin`].
    pub(crate) fn bind_more_plugins(&mut self, input: Plan, ordered: bool, name: &str, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        match name {
            "sliding_window_counts" => self.sliding_window_counts(input, args, span),
            "active_users_count" => self.active_users_count(input, args, span),
            "activity_counts_metrics" => self.activity_counts_metrics(input, args, span),
            "rolling_percentile" => self.rolling_percentile(input, args, span),
            "dcount_intersect" => self.dcount_intersect(input, ordered, args, span),
            "rows_near" => self.rows_near(input, ordered, args, span),
            "ipv6_lookup" => self.ipv6_lookup(input, args, span),
            _ => self.schema_merge(input, args, span),
        }
    }

    /// `sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dims])`: for each bin
    /// from Start to End, the rows (Count) and distinct ids (dcount) of the lookback window
    /// that ends with that bin (Lookback / Bin whole bins, rounded down).
    fn sliding_window_counts(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "sliding_window_counts";
        self.plugin_arity(args, 6, p, "sliding_window_counts(IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin [, dim1, ...])", span)?;
        let (id, _) = self.plugin_column(&input, &args[0], p, "the id")?;
        let (tl, _) = self.plugin_column(&input, &args[1], p, "the timeline")?;
        let (start, _) = self.plugin_const(&args[2], p, "Start")?;
        let (end, _) = self.plugin_const(&args[3], p, "End")?;
        let (lookback, _) = self.plugin_const(&args[4], p, "LookbackWindow")?;
        let (bin, bv) = self.plugin_const(&args[5], p, "Bin")?;
        if matches!(bv, Value::String(_)) {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                args[5].span,
                "sliding_window_counts(): kqlab takes a fixed Bin (such as 1d), not week, month or year",
            )));
        }
        let dims = self.plugin_dims(&input, &args[6..], p)?;
        let by: String = dims.iter().map(|d| format!(", {d}")).collect();
        let (tlq, idq) = (quoted(&tl), quoted(&id));
        let text = format!(
            "__kqlab_input | where {tlq} >= {start} and {tlq} <= {end} \
             | extend __kqlab_b = bin_at({tlq}, {bin}, {start}) \
             | extend __kqlab_w = range(__kqlab_b, __kqlab_b + (tolong({lookback} / {bin}) - 1) * {bin}, {bin}) \
             | mv-expand __kqlab_w to typeof({ty}) | where __kqlab_w <= {end} \
             | summarize Count = count(), dcount = dcount({idq}) by {tlq} = __kqlab_w{by} | sort by {tlq} asc{asc}",
            ty = input.schema.iter().find(|f| f.name == tl).map(|f| f.ty).unwrap_or(DataType::DateTime),
            asc = dims.iter().map(|d| format!(", {d} asc")).collect::<String>(),
        );
        self.bind_desugared(input, false, &text, span)
    }

    /// `active_users_count(Id, Time, Start, End, Lookback, Period, ActivePeriods, Bin [, dims])`:
    /// per bin, the distinct ids with an appearance in the bin that is active: the id appears in
    /// at least ActivePeriods distinct periods of the lookback window that ends at the
    /// appearance (after appearance - Lookback, up to the appearance itself).
    fn active_users_count(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "active_users_count";
        self.plugin_arity(
            args,
            8,
            p,
            "active_users_count(IdColumn, TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin [, dim1, ...])",
            span,
        )?;
        let (id, _) = self.plugin_column(&input, &args[0], p, "the id")?;
        let (tl, _) = self.plugin_column(&input, &args[1], p, "the timeline")?;
        let (start, _) = self.plugin_const(&args[2], p, "Start")?;
        let (end, _) = self.plugin_const(&args[3], p, "End")?;
        let (lookback, _) = self.plugin_const(&args[4], p, "LookbackWindow")?;
        let (period, _) = self.plugin_const(&args[5], p, "Period")?;
        let (active, _) = self.plugin_const(&args[6], p, "ActivePeriodsCount")?;
        let (bin, bv) = self.plugin_const(&args[7], p, "Bin")?;
        if matches!(bv, Value::String(_)) {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                args[7].span,
                "active_users_count(): kqlab takes a fixed Bin (such as 7d), not week, month or year",
            )));
        }
        let dims = self.plugin_dims(&input, &args[8..], p)?;
        let by: String = dims.iter().map(|d| format!(", {d}")).collect();
        let on: String = dims.iter().map(|d| format!(", {d}")).collect();
        let (tlq, idq) = (quoted(&tl), quoted(&id));
        let text = format!(
            "__kqlab_input | where {tlq} >= {start} and {tlq} <= {end} | project __kqlab_id = {idq}, __kqlab_t = {tlq}{by} \
             | join kind=inner (__kqlab_input | project __kqlab_id = {idq}, __kqlab_t2 = {tlq}{by}) on __kqlab_id{on} \
             | where __kqlab_t2 > __kqlab_t - {lookback} and __kqlab_t2 <= __kqlab_t \
             | summarize __kqlab_n = dcount(bin(__kqlab_t2, {period})) by __kqlab_id, __kqlab_t{by} \
             | where __kqlab_n >= {active} \
             | summarize dcount = dcount(__kqlab_id) by {tlq} = bin_at(__kqlab_t, {bin}, {start}){by} | sort by {tlq} asc{asc}",
            asc = dims.iter().map(|d| format!(", {d} asc")).collect::<String>(),
        );
        self.bind_desugared(input, false, &text, span)
    }

    /// `activity_counts_metrics(Id, Time, Start, End, Step [, dims])`: per window, the rows,
    /// the distinct ids, the ids first seen in this window, and the distinct ids seen so far.
    fn activity_counts_metrics(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "activity_counts_metrics";
        self.plugin_arity(args, 5, p, "activity_counts_metrics(IdColumn, TimelineColumn, Start, End, Step [, dim1, ...])", span)?;
        let (id, _) = self.plugin_column(&input, &args[0], p, "the id")?;
        let (tl, _) = self.plugin_column(&input, &args[1], p, "the timeline")?;
        let (start, _) = self.plugin_const(&args[2], p, "Start")?;
        let (end, _) = self.plugin_const(&args[3], p, "End")?;
        let (step, sv) = self.plugin_const(&args[4], p, "Step")?;
        if matches!(sv, Value::String(_)) {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                args[4].span,
                "activity_counts_metrics(): kqlab takes a fixed Step (such as 1d), not week, month or year",
            )));
        }
        let dims = self.plugin_dims(&input, &args[5..], p)?;
        let by: String = dims.iter().map(|d| format!(", {d}")).collect();
        let (tlq, idq) = (quoted(&tl), quoted(&id));
        let src = format!("__kqlab_input | where {tlq} >= {start} and {tlq} <= {end} | extend __kqlab_b = bin_at({tlq}, {step}, {start})");
        let ty = input.schema.iter().find(|f| f.name == tl).map(|f| f.ty).unwrap_or(DataType::DateTime);
        // Each id's first window, and (expanded to every later window up to End) the ids seen
        // so far.
        let firsts = format!("{src} | summarize __kqlab_f = min(__kqlab_b) by {idq}{by}");
        let text = format!(
            "{src} | summarize ['count'] = count(), dcount = dcount({idq}) by __kqlab_b{by} \
             | join kind=leftouter ({firsts} | summarize new_dcount = count() by __kqlab_b = __kqlab_f{by}) on __kqlab_b{by} \
             | join kind=leftouter ({firsts} | extend __kqlab_w = range(__kqlab_f, bin_at({end}, {step}, {start}), {step}) | mv-expand __kqlab_w to typeof({ty}) \
                 | summarize aggregated_dcount = count() by __kqlab_b = __kqlab_w{by}) on __kqlab_b{by} \
             | project {tlq} = __kqlab_b{by}, ['count'], dcount, new_dcount = coalesce(new_dcount, 0), aggregated_dcount \
             | sort by {dims_sort}{tlq} asc",
            dims_sort = dims.iter().map(|d| format!("{d} asc, ")).collect::<String>(),
        );
        self.bind_desugared(input, false, &text, span)
    }

    /// `rolling_percentile(Value, Pct, Index, BinSize, BinsPerWindow [, dims])`: per bin of the
    /// index (that has rows), the percentile of the values of the window of BinsPerWindow
    /// bins that ends with it.
    fn rolling_percentile(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "rolling_percentile";
        self.plugin_arity(args, 5, p, "rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, dim1, ...])", span)?;
        let (val, _) = self.plugin_column(&input, &args[0], p, "the value")?;
        let (pct, pv) = self.plugin_const(&args[1], p, "Percentile")?;
        let (idx, _) = self.plugin_column(&input, &args[2], p, "the index")?;
        let (bin, _) = self.plugin_const(&args[3], p, "BinSize")?;
        let (n, nv) = self.plugin_const(&args[4], p, "BinsPerWindow")?;
        let Some(count) = nv.as_i64().filter(|c| *c >= 1) else {
            return Err(self.error(Diagnostic::semantic(
                codes::TYPE_MISMATCH,
                args[4].span,
                "rolling_percentile(): BinsPerWindow must be a whole number of bins, 1 or more",
            )));
        };
        let pct_text = pv.to_display().replace('.', "_");
        let dims = self.plugin_dims(&input, &args[5..], p)?;
        let by: String = dims.iter().map(|d| format!(", {d}")).collect();
        let (idxq, valq) = (quoted(&idx), quoted(&val));
        let out = quoted(&format!("rolling_{count}_percentile_{val}_{pct_text}"));
        let ty = input.schema.iter().find(|f| f.name == idx).map(|f| f.ty).unwrap_or(DataType::DateTime);
        let text = format!(
            "__kqlab_input | extend __kqlab_b = bin({idxq}, {bin}) \
             | extend __kqlab_w = range(__kqlab_b, __kqlab_b + ({n} - 1) * {bin}, {bin}) \
             | mv-expand __kqlab_w to typeof({ty}) \
             | join kind=inner (__kqlab_input | summarize by __kqlab_last = bin({idxq}, {bin}){by}) on $left.__kqlab_w == $right.__kqlab_last{on} \
             | summarize {out} = percentile({valq}, {pct}) by {idxq} = __kqlab_w{by} | sort by {dims_sort}{idxq} asc",
            on = dims.iter().map(|d| format!(", {d}")).collect::<String>(),
            dims_sort = dims.iter().map(|d| format!("{d} asc, ")).collect::<String>(),
        );
        self.bind_desugared(input, false, &text, span)
    }

    /// `rows_near(Condition, NumRows [, RowsAfter])` over ordered rows: every row within
    /// NumRows before (and NumRows, or RowsAfter, after) a row where the condition holds, in
    /// the input's order, each once.
    fn rows_near(&mut self, input: Plan, ordered: bool, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "rows_near";
        self.plugin_arity(args, 2, p, "rows_near(Condition, NumRows [, RowsAfter])", span)?;
        if !ordered {
            return Err(self.error(
                Diagnostic::semantic(codes::EXPECTED, span, "rows_near() needs rows in a defined order")
                    .with_help("Sort the rows first: | sort by Timestamp asc | evaluate rows_near(...)"),
            ));
        }
        let mut counts = Vec::new();
        for (a, what) in args[1..].iter().zip(["NumRows", "RowsAfter"]) {
            let (_, v) = self.plugin_const(a, p, what)?;
            match v.as_i64().filter(|n| *n >= 0) {
                Some(n) => counts.push(n),
                None => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::TYPE_MISMATCH,
                        a.span,
                        format!("rows_near(): {what} must be a whole number, 0 or more"),
                    )))
                }
            }
        }
        let before = counts[0];
        let after = counts.get(1).copied().unwrap_or(before);
        let cond = &args[0];
        let text = format!(
            "__kqlab_input | serialize __kqlab_i = row_number() \
             | join kind=inner (__kqlab_input | serialize __kqlab_i = row_number() | where ({cond}) \
                 | extend __kqlab_near = range(__kqlab_i - {before}, __kqlab_i + {after}, 1) | mv-expand __kqlab_near to typeof(long) \
                 | summarize by __kqlab_near) on $left.__kqlab_i == $right.__kqlab_near \
             | sort by __kqlab_i asc | project-away __kqlab_i, __kqlab_near"
        );
        self.bind_desugared(input, true, &text, span)
    }

    /// `ipv6_lookup(LookupTable, SourceIPv6Key, IPv6LookupRange [, return_unmatched])`: each
    /// input row with the lookup rows whose IPv6 range (a prefix or an address) contains its
    /// address, the lookup table's columns first (as the plugin's page shows); with
    /// return_unmatched (true), rows without a match are kept with empty lookup columns.
    fn ipv6_lookup(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "ipv6_lookup";
        let mut positional: Vec<&Expr> = Vec::new();
        let mut unmatched = false;
        for a in args {
            match &a.kind {
                ExprKind::NamedArg { name, value } if name.name == "return_unmatched" => match &value.kind {
                    ExprKind::Literal(Literal::Bool(b)) => unmatched = *b,
                    _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, value.span, "return_unmatched takes true or false"))),
                },
                _ => positional.push(a),
            }
        }
        if let Some(last) = positional.get(3) {
            match &last.kind {
                ExprKind::Literal(Literal::Bool(b)) => {
                    unmatched = *b;
                    positional.truncate(3);
                }
                _ => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::NOT_CONSTANT,
                        last.span,
                        "ipv6_lookup(): the fourth argument, return_unmatched, is true or false",
                    )))
                }
            }
        }
        if positional.len() != 3 {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                "ipv6_lookup needs a lookup table, the address column and the range column: ipv6_lookup(LookupTable, SourceIPv6Key, IPv6LookupRange [, return_unmatched])",
            )));
        }
        let (lookup, _) = self.bind_tabular(positional[0])?;
        let (src, _) = self.plugin_column(&input, positional[1], p, "the address")?;
        let ExprKind::Name(range) = &positional[2].kind else {
            return Err(self.error(Diagnostic::semantic(codes::EXPECTED, positional[2].span, "ipv6_lookup(): the range must be a column of the lookup table")));
        };
        if !lookup.schema.iter().any(|f| f.name == range.name) {
            return Err(self.error(Diagnostic::semantic(
                codes::UNKNOWN_COLUMN,
                range.span,
                format!("ipv6_lookup(): the lookup table has no column '{}'", range.name),
            )));
        }
        let lookup_cols: Vec<String> = lookup.schema.iter().map(|f| quoted(&f.name)).collect();
        let (srcq, rq) = (quoted(&src), quoted(&range.name));
        let matched = format!(
            "let __kqlab_rows = __kqlab_input | serialize __kqlab_r = row_number(); \
             let __kqlab_hits = __kqlab_rows | extend __kqlab_k = 1 | join kind=inner (__kqlab_lookup | extend __kqlab_k = 1) on __kqlab_k \
                 | where ipv6_is_in_range({srcq}, {rq}) | project-away __kqlab_k, __kqlab_k1 | project-reorder {cols};",
            cols = lookup_cols.join(", ")
        );
        let text = if unmatched {
            format!("{matched} union __kqlab_hits, (__kqlab_rows | join kind=leftanti (__kqlab_hits | project __kqlab_r) on __kqlab_r) | sort by __kqlab_r asc | project-away __kqlab_r")
        } else {
            format!("{matched} __kqlab_hits | sort by __kqlab_r asc | project-away __kqlab_r")
        };
        self.bind_desugared_with(input, false, Some(lookup), &text, span)
    }

    /// `dcount_intersect(hll_1, hll_2, ...)`: s0 = the distinct count of the first summary,
    /// s1 of the intersection of the first two, and so on (kqlab's hll() summaries are exact
    /// sets, so the counts are exact).
    fn dcount_intersect(&mut self, input: Plan, ordered: bool, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let p = "dcount_intersect";
        self.plugin_arity(args, 2, p, "dcount_intersect(hll_1, hll_2 [, hll_3, ...])", span)?;
        let mut cols = Vec::new();
        for a in args {
            let (c, ty) = self.plugin_column(&input, a, p, "each argument")?;
            if ty != DataType::Dynamic {
                return Err(self.error(Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    a.span,
                    format!("dcount_intersect(): '{c}' is a {ty}; pass hll() summaries"),
                )));
            }
            cols.push(quoted(&c));
        }
        let mut ext = Vec::new();
        for i in 0..cols.len() {
            let set = if i == 0 { format!("set_union({0}, {0})", cols[0]) } else { format!("set_intersect({})", cols[..=i].join(", ")) };
            ext.push(format!("s{i} = tolong(array_length({set}))"));
        }
        let text = format!("__kqlab_input | extend {}", ext.join(", "));
        self.bind_desugared(input, ordered, &text, span)
    }

    /// `schema_merge([PreserveOrder])` over getschema rows (several schemas one after another,
    /// each starting at ordinal 0): the merged column list. A column met at another ordinal
    /// than its place in the merged list moves to the end; with PreserveOrder (the default)
    /// it is marked as an error there, as Kusto does.
    fn schema_merge(&mut self, input: Plan, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let mut preserve = true;
        for a in args {
            let v = match &a.kind {
                ExprKind::NamedArg { name, value } if name.name == "PreserveOrder" => value,
                ExprKind::NamedArg { name, .. } => {
                    return Err(self.error(Diagnostic::semantic(
                        codes::UNSUPPORTED,
                        name.span,
                        format!("schema_merge() takes PreserveOrder, not '{}'", name.name),
                    )))
                }
                _ => a,
            };
            match &v.kind {
                ExprKind::Literal(Literal::Bool(b)) => preserve = *b,
                _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, v.span, "schema_merge(): PreserveOrder is true or false"))),
            }
        }
        let names = ["ColumnName", "ColumnOrdinal", "DataType", "ColumnType"];
        let mut idx = Vec::new();
        for n in names {
            match input.schema.iter().position(|f| f.name == n) {
                Some(i) => idx.push(i),
                None => {
                    return Err(self.error(
                        Diagnostic::semantic(codes::UNKNOWN_COLUMN, span, format!("schema_merge() reads getschema output, and its input has no column '{n}'"))
                            .with_help("Pass the union of getschema results: union (T1 | getschema), (T2 | getschema) | evaluate schema_merge()"),
                    ))
                }
            }
        }
        let fields: Vec<Field> = idx.iter().map(|&i| input.schema[i].clone()).collect();
        let (_, table) = self.run_now(input, span)?;
        // (name, data type, column type, out of order)
        let mut merged: Vec<(Value, Value, Value, bool)> = Vec::new();
        let mut pos_in_schema = 0i64;
        for r in 0..table.len() {
            let row = table.row(r);
            let name = row[idx[0]].clone();
            let ordinal = row[idx[1]].as_i64().unwrap_or(pos_in_schema);
            pos_in_schema = ordinal + 1;
            match merged.iter().position(|m| m.0 == name) {
                None => merged.push((name, row[idx[2]].clone(), row[idx[3]].clone(), false)),
                Some(p) if p as i64 == ordinal => {}
                Some(p) => {
                    let mut m = merged.remove(p);
                    m.3 = m.3 || preserve;
                    merged.push(m);
                }
            }
        }
        let err = "columns are out of order";
        let ord = |i: usize, bad: bool| -> Value {
            let n = if bad { -1 } else { i as i64 };
            match fields[1].ty {
                DataType::Int => Value::Int(n as i32),
                _ => Value::Long(n),
            }
        };
        let rows: Vec<Vec<Value>> = merged
            .into_iter()
            .enumerate()
            .map(|(i, (name, dt, ct, bad))| {
                if bad {
                    vec![
                        name,
                        ord(i, true),
                        Value::String(format!("ERROR(unknown CSL type:ERROR({err}))").into()),
                        Value::String(format!("ERROR({err})").into()),
                    ]
                } else {
                    vec![name, ord(i, false), dt, ct]
                }
            })
            .collect();
        let t = Table::from_rows(fields.clone(), &rows);
        Ok((plan(Node::Scan(Arc::new(t)), fields, span), false))
    }
}
