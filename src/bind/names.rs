//! Output column naming, following Kusto: a column keeps its name; `a.b.c` becomes `a_b_c`;
//! `bin(Timestamp, 1h)` and conversions like `tostring(d.x)` take their first argument's name;
//! the summary readers `dcount_hll(x)` and `percentile_tdigest(x, ...)` prefix it;
//! other expressions become `Column1`, `Column2`, ...; aggregates become `count_`,
//! `sum_Amount`, `set_Url`, ...

use crate::syntax::ast::{Expr, ExprKind, Literal};

/// The name Kusto derives from an expression, if it derives one.
pub fn derived_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Member { target, name } => Some(match derived_name(target) {
            Some(t) => format!("{t}_{}", name.name),
            None => name.name.clone(),
        }),
        ExprKind::Index { target, index } => {
            let key = match &index.kind {
                ExprKind::Literal(Literal::String(s)) => s.clone(),
                _ => return None,
            };
            match derived_name(target) {
                Some(t) => Some(format!("{t}_{key}")),
                // `f(x)[0]` has no name of its own (a bare number is not a column name).
                None if matches!(index.kind, ExprKind::Literal(Literal::Long(_))) => None,
                None => Some(key),
            }
        }
        ExprKind::Paren(inner) => derived_name(inner),
        ExprKind::Call { name, args } if passes_name(&name.name) => args.first().and_then(derived_name),
        ExprKind::Call { name, args } => {
            let prefix = sketch_reader_prefix(&name.name)?;
            args.first().and_then(derived_name).map(|a| format!("{prefix}_{a}"))
        }
        _ => None,
    }
}

/// The functions that read an hll/tdigest summary name their column after the summary:
/// `dcount_hll(merged)` is `dcount_hll_merged`, and `percentile_tdigest(t, 95)` and
/// `percentiles_array_tdigest(t, ...)` are both `percentile_tdigest_t` (the docs' examples of
/// these functions and of merging summaries show these names).
fn sketch_reader_prefix(f: &str) -> Option<&'static str> {
    match f {
        "dcount_hll" => Some("dcount_hll"),
        "percentile_tdigest" | "percentiles_array_tdigest" => Some("percentile_tdigest"),
        _ => None,
    }
}

/// Functions whose result column is named after their first argument.
fn passes_name(f: &str) -> bool {
    matches!(
        f,
        "bin"
            | "floor"
            | "bin_at"
            | "bin_auto"
            | "tostring"
            | "toint"
            | "tolong"
            | "todouble"
            | "toreal"
            | "tobool"
            | "toboolean"
            | "todatetime"
            | "totimespan"
            | "toguid"
            | "todynamic"
            | "parse_json"
    )
}

/// Hands out unique names within one output schema: explicit names are kept (clashes are
/// the caller's to report), generated ones get `Column1`, `Column2`, ... or a numeric suffix.
pub struct Namer {
    taken: Vec<String>,
    next_column: usize,
}

impl Namer {
    pub fn new(existing: impl IntoIterator<Item = String>) -> Namer {
        Namer { taken: existing.into_iter().collect(), next_column: 1 }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.iter().any(|t| t == name)
    }

    pub fn take(&mut self, name: &str) {
        self.taken.push(name.to_string());
    }

    /// `base`, or `base1`, `base2`, ... if taken.
    pub fn unique(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut i = 1;
        while self.is_taken(&name) {
            name = format!("{base}{i}");
            i += 1;
        }
        self.take(&name);
        name
    }

    /// The next free `ColumnN`.
    pub fn column(&mut self) -> String {
        loop {
            let name = format!("Column{}", self.next_column);
            self.next_column += 1;
            if !self.is_taken(&name) {
                self.take(&name);
                return name;
            }
        }
    }
}
