//! Binding of `project-by-names` and other operators whose arguments are constants known
//! when binding.

use super::expr::RowCtx;
use super::tabular::{select, wildcard_match};
use super::{BResult, Binder};
use crate::diag::{codes, Diagnostic, Span};
use crate::plan::Plan;
use crate::syntax::ast::Expr;
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
}
