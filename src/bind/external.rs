//! `externaldata` and `_GetWatchlist('name')`: tables from files a lesson bundles.
//!
//! kqlab never downloads anything. A lesson maps each URL its queries read to a file next to
//! it (`[[dataset.external]]`) and each watchlist name to a CSV file (`[[dataset.watchlist]]`);
//! the catalog carries them ([`Catalog::external`], [`Catalog::watchlist`]) and these binders
//! turn them into constant tables, so a real query copied verbatim runs unchanged. A URL or
//! watchlist nobody bundled is an error that names it and says how to add it.

use super::tabular::plan;
use super::{BResult, Binder};
use crate::diag::{codes, Diagnostic, Span};
use crate::plan::{Node, Plan};
use crate::syntax::ast::{Expr, ExprKind, Ident, Literal};
use crate::table::{read_csv, CsvOptions, Field, Table};
use crate::types::{DataType, Dynamic};
use std::sync::Arc;

/// A string literal's text, or `None` for any other expression.
fn literal_string(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Literal(Literal::String(s)) => Some(s),
        ExprKind::Paren(inner) => literal_string(inner),
        _ => None,
    }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

impl Binder<'_> {
    pub(crate) fn bind_externaldata(&mut self, columns: &[(Ident, DataType)], urls: &[Expr], props: &[(Ident, Expr)], span: Span) -> BResult<(Plan, bool)> {
        let fields: Vec<Field> = columns.iter().map(|(n, t)| Field::new(&n.name, *t)).collect();
        let mut format = "csv".to_string();
        let mut ignore_first = false;
        for (name, value) in props {
            match name.name.as_str() {
                "format" => match literal_string(value) {
                    Some(f) => format = f.to_ascii_lowercase(),
                    None => {
                        return Err(self.error(Diagnostic::semantic(
                            codes::NOT_CONSTANT,
                            value.span,
                            "The externaldata format must be a string, e.g. format=\"csv\"",
                        )))
                    }
                },
                "ignoreFirstRecord" => {
                    ignore_first = match (&value.kind, literal_string(value)) {
                        (ExprKind::Literal(Literal::Bool(b)), _) => *b,
                        (_, Some(t)) => t.eq_ignore_ascii_case("true"),
                        _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, value.span, "ignoreFirstRecord takes true or false"))),
                    }
                }
                // Properties about reaching or decompressing the files have nothing to do here.
                _ => {}
            }
        }
        if !matches!(format.as_str(), "csv" | "txt" | "raw" | "json" | "multijson") {
            return Err(self.error(Diagnostic::semantic(
                codes::UNSUPPORTED,
                span,
                format!("externaldata format '{format}' is not supported in kqlab; use csv, txt, raw, json or multijson"),
            )));
        }
        let mut tables = Vec::new();
        for u in urls {
            let Some(url) = literal_string(u) else {
                return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, u.span, "An externaldata URL must be a string literal")));
            };
            let Some(text) = self.catalog.external(url).cloned() else {
                if self.probe.is_none() {
                    // The editor's live check runs on a catalog of schemas only, without the
                    // lesson's files: the run reports a missing file.
                    self.deferred = true;
                    return Err(super::Failed);
                }
                let known: Vec<&str> = self.catalog.external_urls().collect();
                let have =
                    if known.is_empty() { "No files are bundled for externaldata here".to_string() } else { format!("Bundled here: {}", known.join(", ")) };
                return Err(self.error(
                    Diagnostic::semantic(codes::UNAVAILABLE, u.span, format!("externaldata: '{url}' is not bundled here, and kqlab never downloads files. {have}"))
                        .with_help(format!("To serve it, put the file next to the lesson and declare it: [[dataset.external]] url = \"{url}\" file = \"<file name>\" (see lessons/README.md)")),
                ));
            };
            let table = match read_external(&text, &format, ignore_first, &fields) {
                Ok(t) => t,
                Err(m) => return Err(self.error(Diagnostic::semantic(codes::RUNTIME, u.span, format!("externaldata: the file bundled for '{url}' {m}")))),
            };
            tables.push(table);
        }
        let table = if tables.len() == 1 { tables.pop().expect("one table") } else { concat(&fields, &tables) };
        Ok((plan(Node::Scan(Arc::new(table)), fields, span), false))
    }

    pub(crate) fn bind_watchlist(&mut self, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let Some(name) = args.first().and_then(literal_string).filter(|_| args.len() == 1) else {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                "_GetWatchlist takes one argument, the watchlist's alias as a string: _GetWatchlist('IOCs')",
            )));
        };
        let Some(table) = self.catalog.watchlist(name).cloned() else {
            if self.probe.is_none() {
                // As for externaldata: the live check has no watchlists; the run has them.
                self.deferred = true;
                return Err(super::Failed);
            }
            let known: Vec<&str> = self.catalog.watchlist_names().collect();
            let have = if known.is_empty() { "There are no watchlists here".to_string() } else { format!("Watchlists here: {}", known.join(", ")) };
            return Err(self.error(Diagnostic::semantic(codes::UNAVAILABLE, args[0].span, format!("There is no watchlist '{name}'. {have}")).with_help(
                format!("A lesson adds one from a CSV file next to it: [[dataset.watchlist]] name = \"{name}\" file = \"<file>.csv\" (see lessons/README.md)"),
            )));
        };
        let fields = table.fields.clone();
        Ok((plan(Node::Scan(table), fields, span), false))
    }
}

/// Reads a bundled file as `fields`, the way `externaldata` would read the download.
fn read_external(text: &str, format: &str, ignore_first: bool, fields: &[Field]) -> Result<Table, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = if ignore_first { text.split_once('\n').map_or("", |(_, rest)| rest) } else { text };
    let csv = match format {
        "txt" | "raw" => {
            // One record per line, in the first column.
            let lines: Vec<String> = body.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.is_empty()).map(quote).collect();
            let pad = ",".repeat(fields.len().saturating_sub(1));
            lines.iter().map(|l| format!("{l}{pad}\n")).collect::<String>()
        }
        "json" | "multijson" => {
            let records: Vec<Dynamic> = match Dynamic::parse_json(body.trim()) {
                Ok(Dynamic::Array(items)) => items.iter().cloned().collect(),
                Ok(one @ Dynamic::Object(_)) => vec![one],
                _ => body
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .enumerate()
                    .map(|(i, l)| Dynamic::parse_json(l.trim()).map_err(|_| format!("is not JSON at line {}", i + 1)))
                    .collect::<Result<_, _>>()?,
            };
            let mut out = String::new();
            for r in &records {
                let cells: Vec<String> = fields
                    .iter()
                    .map(|f| match r.get(&f.name) {
                        Dynamic::Null => String::new(),
                        Dynamic::String(s) if f.ty != DataType::Dynamic => quote(&s),
                        d => quote(&d.to_json()),
                    })
                    .collect();
                out.push_str(&cells.join(","));
                out.push('\n');
            }
            out
        }
        _ => body.to_string(),
    };
    let header: Vec<String> = fields.iter().map(|f| quote(&f.name)).collect();
    let opts = CsvOptions { types: fields.iter().map(|f| (f.name.clone(), f.ty)).collect(), lenient: true, ..CsvOptions::default() };
    let (table, _) = read_csv(&format!("{}\n{csv}", header.join(",")), &opts).map_err(|e| {
        let line = if e.line > 1 { format!(" at line {}", e.line - 1 + ignore_first as usize) } else { String::new() };
        format!("could not be read as {format}{line}: {}", e.message)
    })?;
    Ok(table)
}

/// The rows of several tables with the same columns, one after the other.
fn concat(fields: &[Field], tables: &[Table]) -> Table {
    let rows: Vec<Vec<crate::types::Value>> = tables.iter().flat_map(|t| (0..t.len()).map(move |r| t.row(r))).collect();
    Table::from_rows(fields.to_vec(), &rows)
}

/// A CIDR range (`10.0.0.0/8`) or a single address, as (network, prefix length).
fn parse_range(text: &str) -> Option<(u32, u32)> {
    let (addr, bits) = match text.trim().split_once('/') {
        Some((a, b)) => (a, b.parse::<u32>().ok().filter(|b| *b <= 32)?),
        None => (text.trim(), 32),
    };
    let mut parts = addr.split('.');
    let mut out = [0u8; 4];
    for b in &mut out {
        *b = parts.next()?.parse().ok()?;
    }
    parts.next().is_none().then(|| (u32::from_be_bytes(out), bits))
}

fn bracket(name: &str) -> String {
    format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl Binder<'_> {
    /// `evaluate ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupRange [, ExtraKey...]
    /// [, return_unmatched = true])`: each input row extended with the lookup rows whose range
    /// (CIDR or single address) contains its address and whose extra keys are equal (one output
    /// row per matching range); with `return_unmatched`, rows without a match are kept with
    /// empty lookup columns.
    ///
    /// The lookup table is computed first (through the probe, like `bag_unpack`'s input), its
    /// ranges become a constant list, and the step is bound as the KQL it stands for: the
    /// list expanded on each row, the ranges that contain the address kept, and a join with the
    /// lookup table on the range (and the extra keys).
    pub(crate) fn bind_ipv4_lookup(&mut self, input: Plan, ordered: bool, args: &[Expr], span: Span) -> BResult<(Plan, bool)> {
        let usage = "ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupRange [, ExtraKey...] [, return_unmatched = true])";
        let mut positional: Vec<&Expr> = Vec::new();
        let mut unmatched = false;
        for a in args {
            match &a.kind {
                ExprKind::NamedArg { name, value: right } if name.name == "return_unmatched" => {
                    unmatched = match &right.kind {
                        ExprKind::Literal(Literal::Bool(b)) => *b,
                        _ => return Err(self.error(Diagnostic::semantic(codes::NOT_CONSTANT, right.span, "return_unmatched takes true or false"))),
                    }
                }
                _ => positional.push(a),
            }
        }
        if positional.len() < 3 {
            return Err(self.error(Diagnostic::semantic(
                codes::ARG_COUNT,
                span,
                format!("ipv4_lookup needs a lookup table, the address column and the range column: {usage}"),
            )));
        }
        let name_of = |e: &Expr| match &e.kind {
            ExprKind::Name(n) => Some(n.name.clone()),
            _ => None,
        };
        let (lookup, _) = self.bind_tabular(positional[0])?;
        let (lookup, table) = self.run_now(lookup, positional[0].span)?;
        let mut names = Vec::new();
        for e in &positional[1..] {
            match name_of(e) {
                Some(n) => names.push((n, e.span)),
                None => return Err(self.error(Diagnostic::semantic(codes::EXPECTED, e.span, format!("A column name is expected here: {usage}")))),
            }
        }
        let (source, range) = (&names[0], &names[1]);
        match input.schema.iter().find(|f| f.name == source.0) {
            Some(f) if f.ty == DataType::String => {}
            Some(f) => {
                return Err(self.error(Diagnostic::semantic(
                    codes::TYPE_MISMATCH,
                    source.1,
                    format!("'{}' is a {}; ipv4_lookup needs a string column of IPv4 addresses", f.name, f.ty),
                )))
            }
            None => return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, source.1, format!("The input has no column '{}'", source.0)))),
        }
        let Some(ri) = table.column_index(&range.0) else {
            return Err(self.error(Diagnostic::semantic(codes::UNKNOWN_COLUMN, range.1, format!("The lookup table has no column '{}'", range.0))));
        };
        for (extra, s) in &names[2..] {
            if !input.schema.iter().any(|f| &f.name == extra) || table.column_index(extra).is_none() {
                return Err(self.error(Diagnostic::semantic(
                    codes::UNKNOWN_COLUMN,
                    *s,
                    format!("The extra key '{extra}' must be a column of both the input and the lookup table"),
                )));
            }
        }
        // The distinct valid ranges, longest prefix first.
        let mut ranges: Vec<(u32, String)> = Vec::new();
        for r in 0..table.len() {
            let text = table.row(r)[ri].to_display();
            if let Some((_, bits)) = parse_range(&text) {
                if !ranges.iter().any(|(_, t)| *t == text) {
                    ranges.push((bits, text));
                }
            }
        }
        crate::util::sort::sort_by_key(&mut ranges, |(bits, _)| std::cmp::Reverse(*bits));
        let list: Vec<String> = ranges.iter().map(|(_, t)| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))).collect();
        let src = bracket(&source.0);
        let keep = if unmatched {
            format!("ipv4_is_in_range({src}, __kqlab_range) or (__kqlab_range == '' and iff(ipv4_is_in_any_range({src}, __kqlab_ranges), false, true))")
        } else {
            format!("ipv4_is_in_range({src}, __kqlab_range)")
        };
        let mut on = vec![format!("$left.__kqlab_range == $right.{}", bracket(&range.0))];
        on.extend(names[2..].iter().map(|(n, _)| bracket(n)));
        let sentinel = if unmatched { ", \"\"" } else { "" };
        let text = format!(
            "__kqlab_input | extend __kqlab_ranges = dynamic([{}{sentinel}]) | mv-expand __kqlab_range = __kqlab_ranges to typeof(string) | where {keep} \
             | join kind={} (__kqlab_lookup | extend __kqlab_range_key = tostring({})) on {} | project-away __kqlab_ranges, __kqlab_range, __kqlab_range_key",
            list.join(", "),
            if unmatched { "leftouter" } else { "inner" },
            bracket(&range.0),
            on.join(", "),
        );
        let text = text.replace(&format!("$right.{}", bracket(&range.0)), "$right.__kqlab_range_key");
        let (script, diags) = crate::syntax::parse(&text);
        let Some(script) = script.filter(|_| diags.is_empty()) else {
            return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, span, "ipv4_lookup: these column names cannot be used here")));
        };
        let Some(crate::syntax::ast::Statement::Query(q)) = script.statements.last() else {
            return Err(self.error(Diagnostic::semantic(codes::UNSUPPORTED, span, "ipv4_lookup could not be bound")));
        };
        let mut frame = crate::table::FxHashMap::default();
        frame.insert("__kqlab_input".to_string(), super::Binding::Tabular(input, ordered));
        frame.insert("__kqlab_lookup".to_string(), super::Binding::Tabular(lookup, false));
        self.scopes.push(frame);
        let errors_before = self.diags.len();
        let r = self.bind_tabular(q);
        self.scopes.pop();
        match r {
            Ok((mut p, _)) => {
                p.span = span;
                Ok((p, false))
            }
            Err(f) => {
                // The step's text is made up here: point its errors at the call.
                for d in &mut self.diags[errors_before..] {
                    d.span = span;
                }
                Err(f)
            }
        }
    }
}
