//! `Display` for the syntax tree: canonical KQL that parses back to an equal tree (spans
//! aside). Used by round-trip tests, error messages that quote an expression, and default
//! column names.

use super::ast::*;
use super::token::is_keyword;
use crate::types::{time, Dynamic};
use std::fmt::{self, Display, Formatter, Write};

/// `Email*`: the shape the parser reads as a table pattern after `union`.
fn is_table_wildcard(name: &str) -> bool {
    name == "*"
        || name.strip_suffix('*').is_some_and(|stem| {
            stem.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && stem.chars().all(|c| c.is_alphanumeric() || c == '_') && !is_keyword(stem)
        })
}

/// Writes a name, quoting it as `['...']` when it is not a plain identifier.
pub fn write_name(f: &mut impl Write, name: &str) -> fmt::Result {
    let plain = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !is_keyword(name)
        && !matches!(name, "print" | "range" | "union" | "datatable" | "externaldata" | "find" | "search" | "evaluate");
    if plain {
        f.write_str(name)
    } else {
        f.write_str("['")?;
        for c in name.chars() {
            match c {
                '\'' => f.write_str("\\'")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                c => f.write_char(c)?,
            }
        }
        f.write_str("']")
    }
}

fn write_string(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\0' => f.write_str("\\0")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// A timespan in the largest unit that divides it: `1d`, `90m`, `1500ms`, `7tick`.
pub fn timespan_literal(ticks: i64) -> String {
    let units: [(i64, &str); 7] = [
        (time::TICKS_PER_DAY, "d"),
        (time::TICKS_PER_HOUR, "h"),
        (time::TICKS_PER_MINUTE, "m"),
        (time::TICKS_PER_SECOND, "s"),
        (time::TICKS_PER_MILLI, "ms"),
        (time::TICKS_PER_MICRO, "microsecond"),
        (1, "tick"),
    ];
    for (per, unit) in units {
        if ticks % per == 0 {
            return format!("{}{}", ticks / per, unit);
        }
    }
    format!("{ticks}tick")
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_name(f, &self.name)
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::TypedNull(t) => write!(f, "{}(null)", t.name()),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "int({i})"),
            Literal::Long(n) => write!(f, "{n}"),
            Literal::Real(x) => {
                if x.is_nan() {
                    f.write_str("real(nan)")
                } else if x.is_infinite() {
                    f.write_str(if *x > 0.0 { "real(inf)" } else { "real(-inf)" })
                } else {
                    write!(f, "{x:?}")
                }
            }
            Literal::String(s) => write_string(f, s),
            Literal::DateTime(t) => write!(f, "datetime({})", time::format_datetime(*t)),
            Literal::TimeSpan(t) => f.write_str(&timespan_literal(*t)),
            Literal::Guid(g) => write!(f, "guid({g})"),
            Literal::Dynamic(d) => {
                let mut json = String::new();
                dynamic_literal(d, &mut json);
                write!(f, "dynamic({json})")
            }
        }
    }
}

/// The text of a `dynamic(...)` literal that reads back as the same value: unlike Kusto's
/// output format, an integral real keeps a fraction (`0.0`), so it does not come back as a
/// long; datetimes, timespans and non-finite reals are written as KQL literals, which a
/// dynamic literal may hold.
fn dynamic_literal(d: &Dynamic, out: &mut String) {
    match d {
        Dynamic::Real(x) if x.is_finite() && *x == x.trunc() => {
            let _ = write!(out, "{x:?}");
        }
        Dynamic::Real(x) if x.is_nan() => out.push_str("real(nan)"),
        Dynamic::Real(x) if x.is_infinite() => out.push_str(if *x > 0.0 { "real(+inf)" } else { "real(-inf)" }),
        Dynamic::DateTime(t) => {
            let _ = write!(out, "datetime({})", time::format_datetime(*t));
        }
        Dynamic::TimeSpan(t) => out.push_str(&timespan_literal(*t)),
        Dynamic::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                dynamic_literal(v, out);
            }
            out.push(']');
        }
        Dynamic::Object(items) => {
            out.push('{');
            for (i, (k, v)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Dynamic::String(k.clone()).to_json());
                out.push(':');
                dynamic_literal(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_json()),
    }
}

fn comma<T: Display>(f: &mut Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{it}")?;
    }
    Ok(())
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            // A name with a '*' is a wildcard only after `union` (see UnionSpec); anywhere
            // else it came from `['a*b']` and is quoted again (found by fuzzing).
            ExprKind::Name(n) => write!(f, "{n}"),
            ExprKind::JoinSide { side, column } => {
                write!(f, "{}.{column}", if *side == JoinSide::Left { "$left" } else { "$right" })
            }
            ExprKind::Star => f.write_str("*"),
            // `10 .x` must not print as `10.x` (a number, then a name).
            ExprKind::Member { target, name } if matches!(target.kind, ExprKind::Literal(Literal::Long(_) | Literal::Int(_) | Literal::Real(_))) => {
                write!(f, "{target} .{name}")
            }
            ExprKind::Member { target, name } => write!(f, "{target}.{name}"),
            ExprKind::Index { target, index } => write!(f, "{target}[{index}]"),
            ExprKind::Call { name, args } => {
                write!(f, "{}(", name.name)?;
                comma(f, args)?;
                f.write_str(")")
            }
            ExprKind::Unary { op, operand } => write!(f, "{} {operand}", if *op == UnaryOp::Neg { "-" } else { "+" }),
            ExprKind::Binary { op, left, right } => write!(f, "{left} {} {right}", op.symbol()),
            ExprKind::Chain { op, operands } => {
                let sep = format!(" {} ", op.symbol());
                for (i, e) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(&sep)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            ExprKind::Between { value, low, high, negated } => {
                write!(f, "{value} {}between ({low} .. {high})", if *negated { "!" } else { "" })
            }
            ExprKind::InList { value, op, items } => {
                write!(f, "{value} {} (", op.word())?;
                comma(f, items)?;
                f.write_str(")")
            }
            ExprKind::Pipe { input, op } => {
                if matches!(input.kind, ExprKind::Implicit) {
                    write!(f, "{op}")
                } else {
                    write!(f, "{input}\n| {op}")
                }
            }
            ExprKind::SearchSource { params: ps, tables, predicate, find } => {
                f.write_str(if find.is_some() { "find " } else { "search " })?;
                params(f, ps)?;
                if !tables.is_empty() {
                    f.write_str("in (")?;
                    comma(f, tables)?;
                    f.write_str(") ")?;
                }
                let Some(out) = find else { return write!(f, "{predicate}") };
                write!(f, "where {predicate}")?;
                if let Some(cols) = &out.project {
                    f.write_str(" project ")?;
                    let mut parts: Vec<String> = cols.iter().map(|(c, t)| t.map_or_else(|| c.to_string(), |t| format!("{c}: {}", t.name()))).collect();
                    if out.pack_all {
                        parts.push("pack_all()".into());
                    }
                    f.write_str(&parts.join(", "))?;
                }
                Ok(())
            }
            ExprKind::Implicit => Ok(()),
            ExprKind::Datatable { columns, values } => {
                f.write_str("datatable(")?;
                for (i, (n, t)) in columns.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n}: {}", t.name())?;
                }
                f.write_str(") [")?;
                comma(f, values)?;
                f.write_str("]")
            }
            ExprKind::ExternalData { columns, urls, props } => {
                f.write_str("externaldata(")?;
                for (i, (n, t)) in columns.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n}: {}", t.name())?;
                }
                f.write_str(") [")?;
                comma(f, urls)?;
                f.write_str("]")?;
                if !props.is_empty() {
                    f.write_str(" with (")?;
                    for (i, (n, v)) in props.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{n}={v}")?;
                    }
                    f.write_str(")")?;
                }
                Ok(())
            }
            ExprKind::Print { columns } => {
                f.write_str("print")?;
                if !columns.is_empty() {
                    f.write_str(" ")?;
                    comma(f, columns)?;
                }
                Ok(())
            }
            ExprKind::Range { column, from, to, step } => write!(f, "range {column} from {from} to {to} step {step}"),
            ExprKind::Union(spec) => write!(f, "union {spec}"),
            ExprKind::TypeOf(t) => write!(f, "typeof({})", t.name()),
            ExprKind::Paren(inner) => write!(f, "({inner})"),
            ExprKind::NamedArg { name, value } => write!(f, "{name} = {value}"),
            ExprKind::Unsupported { text, .. } => f.write_str(text),
        }
    }
}

impl Display for NamedExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.names.len() {
            0 => {}
            1 => write!(f, "{} = ", self.names[0])?,
            _ => {
                f.write_str("(")?;
                comma(f, &self.names)?;
                f.write_str(") = ")?;
            }
        }
        write!(f, "{}", self.expr)
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        match self.dir {
            Some(SortDir::Asc) => f.write_str(" asc")?,
            Some(SortDir::Desc) => f.write_str(" desc")?,
            None => {}
        }
        match self.nulls {
            Some(NullsPos::First) => f.write_str(" nulls first"),
            Some(NullsPos::Last) => f.write_str(" nulls last"),
            None => Ok(()),
        }
    }
}

impl Display for OpParam {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name.name)?;
        f.write_str("=")?;
        match &self.value.kind {
            // A list of column names (ycolumns=a, b) is kept as a pack_array of names.
            ExprKind::Call { name, args } if name.name == "pack_array" && is_list_param(&self.name.name) => comma(f, args),
            // Parameter words (`kind=regex`, `kind=inner`) are written as they are.
            // (including hyphenated keywords the parser read as a word: `kind=project-reorder`)
            ExprKind::Name(n) if !n.name.is_empty() && n.name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '-')) => f.write_str(&n.name),
            _ => write!(f, "{}", self.value),
        }
    }
}

/// Parameters whose value may be a comma-separated list of column names.
pub fn is_list_param(name: &str) -> bool {
    matches!(name, "ycolumns" | "anomalycolumns" | "series")
}

fn params(f: &mut Formatter<'_>, ps: &[OpParam]) -> fmt::Result {
    for p in ps {
        write!(f, "{p} ")?;
    }
    Ok(())
}

fn typed_columns(f: &mut Formatter<'_>, cols: &[(Ident, crate::types::DataType)]) -> fmt::Result {
    for (i, (n, t)) in cols.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{n}: {}", t.name())?;
    }
    Ok(())
}

fn mv_items(f: &mut Formatter<'_>, items: &[MvExpandItem]) -> fmt::Result {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        if let Some(n) = &it.name {
            write!(f, "{n} = ")?;
        }
        write!(f, "{}", it.expr)?;
        if let Some(t) = it.to_type {
            write!(f, " to typeof({})", t.name())?;
        }
    }
    Ok(())
}

impl Display for UnionSpec {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        params(f, &self.params)?;
        for (i, t) in self.tables.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match &t.kind {
                // `union Email*`: the parser reads an identifier followed by '*' as a pattern.
                ExprKind::Name(n) if is_table_wildcard(&n.name) => f.write_str(&n.name)?,
                _ => write!(f, "{t}")?,
            }
        }
        Ok(())
    }
}

impl Display for ColumnPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.pattern.contains('*') {
            f.write_str(&self.pattern)?;
        } else {
            write_name(f, &self.pattern)?;
        }
        match self.dir {
            Some(SortDir::Asc) => f.write_str(" asc"),
            Some(SortDir::Desc) => f.write_str(" desc"),
            None => Ok(()),
        }
    }
}

impl Display for Operator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            OperatorKind::Where(e) => write!(f, "where {e}"),
            OperatorKind::Project(items) => {
                f.write_str("project ")?;
                comma(f, items)
            }
            OperatorKind::ProjectAway(p) => {
                f.write_str("project-away ")?;
                comma(f, p)
            }
            OperatorKind::ProjectKeep(p) => {
                f.write_str("project-keep ")?;
                comma(f, p)
            }
            OperatorKind::ProjectReorder(p) => {
                f.write_str("project-reorder ")?;
                comma(f, p)
            }
            OperatorKind::ProjectByNames(items) => {
                f.write_str("project-by-names ")?;
                comma(f, items)
            }
            OperatorKind::ProjectRename(pairs) => {
                f.write_str("project-rename ")?;
                for (i, (new, old)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{new} = {old}")?;
                }
                Ok(())
            }
            OperatorKind::Extend(items) => {
                f.write_str("extend ")?;
                comma(f, items)
            }
            OperatorKind::Summarize { params: ps, aggregates, by } => {
                f.write_str("summarize ")?;
                params(f, ps)?;
                comma(f, aggregates)?;
                if !by.is_empty() {
                    if !aggregates.is_empty() {
                        f.write_str(" ")?;
                    }
                    f.write_str("by ")?;
                    comma(f, by)?;
                }
                Ok(())
            }
            OperatorKind::Count(alias) => match alias {
                Some(a) => write!(f, "count as {a}"),
                None => f.write_str("count"),
            },
            OperatorKind::Distinct(items) => {
                f.write_str("distinct ")?;
                comma(f, items)
            }
            OperatorKind::Take(n) => write!(f, "take {n}"),
            OperatorKind::Top { count, by } => {
                write!(f, "top {count} by ")?;
                comma(f, by)
            }
            OperatorKind::Sort(keys) => {
                f.write_str("sort by ")?;
                comma(f, keys)
            }
            OperatorKind::Union(spec) => write!(f, "union {spec}"),
            OperatorKind::Join { params: ps, right, on } | OperatorKind::Lookup { params: ps, right, on } => {
                f.write_str(if matches!(self.kind, OperatorKind::Join { .. }) { "join " } else { "lookup " })?;
                params(f, ps)?;
                write!(f, "{right} on ")?;
                comma(f, on)
            }
            OperatorKind::MvExpand { params: ps, items, limit } => {
                f.write_str("mv-expand ")?;
                params(f, ps)?;
                mv_items(f, items)?;
                if let Some(l) = limit {
                    write!(f, " limit {l}")?;
                }
                Ok(())
            }
            OperatorKind::Render { visualization, properties } => {
                write!(f, "render {visualization}")?;
                if !properties.is_empty() {
                    f.write_str(" with (")?;
                    comma(f, properties)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            OperatorKind::Serialize(items) => {
                f.write_str("serialize")?;
                if !items.is_empty() {
                    f.write_str(" ")?;
                    comma(f, items)?;
                }
                Ok(())
            }
            OperatorKind::As(n) => write!(f, "as {n}"),
            OperatorKind::Getschema => f.write_str("getschema"),
            OperatorKind::Parse { params: ps, source, pattern, drop_failed } => {
                f.write_str(if *drop_failed { "parse-where " } else { "parse " })?;
                params(f, ps)?;
                write!(f, "{source} with")?;
                for p in pattern {
                    match p {
                        ParsePart::Literal(s, _) => {
                            f.write_str(" ")?;
                            write_string(f, s)?;
                        }
                        ParsePart::Column(n, t) => {
                            write!(f, " {n}")?;
                            if let Some(t) = t {
                                write!(f, ":{}", t.name())?;
                            }
                        }
                        ParsePart::Star(_) => f.write_str(" *")?,
                    }
                }
                Ok(())
            }
            OperatorKind::Invoke(e) => write!(f, "invoke {e}"),
            OperatorKind::Evaluate { params: ps, call, schema } => {
                f.write_str("evaluate ")?;
                params(f, ps)?;
                write!(f, "{call}")?;
                if let Some(s) = schema {
                    f.write_str(" : (")?;
                    if s.wildcard {
                        f.write_str("*")?;
                        if !s.columns.is_empty() {
                            f.write_str(", ")?;
                        }
                    }
                    typed_columns(f, &s.columns)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            OperatorKind::Search { params: ps, predicate } => {
                f.write_str("search ")?;
                params(f, ps)?;
                write!(f, "{predicate}")
            }
            OperatorKind::MakeSeries(spec) => {
                f.write_str("make-series ")?;
                params(f, &spec.params)?;
                for (i, a) in spec.aggregates.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", a.agg)?;
                    if let Some(d) = &a.default {
                        write!(f, " default = {d}")?;
                    }
                }
                write!(f, " on {}", spec.axis)?;
                if let Some(x) = &spec.from {
                    write!(f, " from {x}")?;
                }
                if let Some(x) = &spec.to {
                    write!(f, " to {x}")?;
                }
                write!(f, " step {}", spec.step)?;
                if !spec.by.is_empty() {
                    f.write_str(" by ")?;
                    comma(f, &spec.by)?;
                }
                Ok(())
            }
            OperatorKind::MvApply { params: ps, items, limit, subquery } => {
                f.write_str("mv-apply ")?;
                params(f, ps)?;
                mv_items(f, items)?;
                if let Some(l) = limit {
                    write!(f, " limit {l}")?;
                }
                write!(f, " on ({subquery})")
            }
            OperatorKind::TopNested(levels) => {
                f.write_str("top-nested ")?;
                for (i, l) in levels.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", top-nested ")?;
                    }
                    if let Some(c) = &l.count {
                        write!(f, "{c} ")?;
                    }
                    write!(f, "of {}", l.of)?;
                    if let Some(o) = &l.others {
                        write!(f, " with others = {o}")?;
                    }
                    write!(f, " by {}", l.by)?;
                    match l.dir {
                        Some(SortDir::Asc) => f.write_str(" asc")?,
                        Some(SortDir::Desc) => f.write_str(" desc")?,
                        None => {}
                    }
                }
                Ok(())
            }
            OperatorKind::ParseKv { source, columns, options } => {
                write!(f, "parse-kv {source} as (")?;
                typed_columns(f, columns)?;
                f.write_str(")")?;
                if !options.is_empty() {
                    f.write_str(" with (")?;
                    comma(f, options)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            OperatorKind::Scan(spec) => {
                f.write_str("scan ")?;
                if let Some(m) = &spec.match_id {
                    write!(f, "with_match_id={m} ")?;
                }
                if !spec.declare.is_empty() {
                    f.write_str("declare (")?;
                    for (i, d) in spec.declare.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{}: {}", d.name, d.ty.name())?;
                        if let Some(v) = &d.default {
                            write!(f, " = {v}")?;
                        }
                    }
                    f.write_str(") ")?;
                }
                f.write_str("with (")?;
                for s in &spec.steps {
                    write!(f, " step {}", s.name)?;
                    if let Some(o) = &s.output {
                        write!(f, " output={o}")?;
                    }
                    write!(f, ": {}", s.condition)?;
                    for (i, (c, e)) in s.assign.iter().enumerate() {
                        f.write_str(if i == 0 { " => " } else { ", " })?;
                        write!(f, "{c} = {e}")?;
                    }
                    f.write_str(";")?;
                }
                f.write_str(" )")
            }
            OperatorKind::Partition { params: ps, by, subquery } => {
                f.write_str("partition ")?;
                params(f, ps)?;
                write!(f, "by {by} ({subquery})")
            }
            OperatorKind::Sample(n) => write!(f, "sample {n}"),
            OperatorKind::SampleDistinct { count, of } => write!(f, "sample-distinct {count} of {of}"),
            OperatorKind::Graph(g) => write!(f, "{g}"),
            OperatorKind::Unsupported { text, .. } => f.write_str(text),
        }
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Let(l) => write!(f, "{l}"),
            Statement::Query(q) => write!(f, "{q}"),
            Statement::QueryParameters { params, .. } => {
                f.write_str("declare query_parameters(")?;
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: ", p.name)?;
                    if let ParamType::Scalar(t) = &p.ty {
                        f.write_str(t.name())?;
                    }
                    if let Some(d) = &p.default {
                        write!(f, " = {d}")?;
                    }
                }
                f.write_str(")")
            }
            Statement::Unsupported { text, .. } => f.write_str(text),
        }
    }
}

impl Display for LetStmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "let {} = ", self.name)?;
        match &self.value {
            LetValue::Expr(e) => write!(f, "{e}"),
            LetValue::Function(def) => write!(f, "{def}"),
        }
    }
}

impl Display for FunctionDef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.is_view {
            f.write_str("view ")?;
        }
        f.write_str("(")?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: ", p.name)?;
            match &p.ty {
                ParamType::Scalar(t) => f.write_str(t.name())?,
                ParamType::Tabular(cols) => {
                    f.write_str("(")?;
                    if cols.is_empty() {
                        f.write_str("*")?;
                    }
                    for (j, (c, t)) in cols.iter().enumerate() {
                        if j > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{c}: {}", t.name())?;
                    }
                    f.write_str(")")?;
                }
            }
            if let Some(d) = &p.default {
                write!(f, " = {d}")?;
            }
        }
        f.write_str(") { ")?;
        for (i, s) in self.body.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{s}")?;
        }
        f.write_str(" }")
    }
}

impl Display for Script {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, s) in self.statements.iter().enumerate() {
            if i > 0 {
                f.write_str(";\n")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}
