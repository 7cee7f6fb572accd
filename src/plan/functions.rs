//! The scalar function registry: names, arity, argument checks, result types and docs, all
//! read from the one table in [`super::function_table`].
//!
//! Implementations live in `exec::fns`, which reads the same table's implementation column;
//! this module only knows what a call is allowed to look like and what type it returns.
//! Unknown names get a did-you-mean; real Kusto functions kqlab does not implement are
//! rejected by name (see [`unsupported_function`]).

use super::function_table::function_table;
use crate::types::DataType;

/// The most arguments a function with a repeating argument accepts.
pub const MANY: usize = 64;

/// What the binder learns from a row's result column.
#[derive(Clone, Copy)]
pub enum ResultRule {
    /// Always this type.
    Fixed(DataType),
    /// Checks beyond the argument list and the type, computed from the argument types.
    Rule(fn(Func, &[DataType]) -> TypeCheck),
}

macro_rules! result_rule {
    ({ $rule:ident }) => {
        ResultRule::Rule(rules::$rule)
    };
    ($ty:ident) => {
        ResultRule::Fixed(DataType::$ty)
    };
}

macro_rules! plan_facts {
    ($($variant:ident = $name:literal ($sig:literal) -> $ret:tt, $imp:path, $page:literal, $doc:literal;)*) => {
        /// A scalar function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Func { $($variant),* }

        impl Func {
            pub const ALL: &'static [Func] = &[$(Func::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Func::$variant => $name),* }
            }

            /// The argument kinds, as written in the table (see [`Signature`]).
            pub fn signature_text(self) -> &'static str {
                match self { $(Func::$variant => $sig),* }
            }

            /// How the result type is found.
            pub fn result_rule(self) -> ResultRule {
                match self { $(Func::$variant => result_rule!($ret)),* }
            }

            /// A one-line description for completion and the schema pane.
            pub fn doc(self) -> &'static str {
                match self { $(Func::$variant => $doc),* }
            }

            /// The function's page under <https://learn.microsoft.com/kusto/query/>.
            pub fn docs_page(self) -> &'static str {
                match self { $(Func::$variant => $page),* }
            }

            pub fn from_name(name: &str) -> Option<Func> {
                match name {
                    $($name => Some(Func::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

function_table!(plan_facts);

impl Func {
    /// The parsed argument list. The table's lists are checked by a test, so a malformed
    /// one (a bug in the table) reads as "no arguments" rather than panicking.
    pub fn signature(self) -> Signature {
        Signature::parse(self.signature_text()).unwrap_or_default()
    }

    /// (minimum, maximum) number of arguments; the maximum is [`MANY`] for a repeating list.
    pub fn arity(self) -> (usize, usize) {
        self.signature().arity()
    }

    /// The full address of the function's documentation page.
    pub fn docs_url(self) -> String {
        format!("https://learn.microsoft.com/kusto/query/{}", self.docs_page())
    }
}

/// What one argument may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    Any,
    String,
    Number,
    Bool,
    DateTime,
    TimeSpan,
    /// Any dynamic value.
    Dynamic,
    /// A dynamic array.
    Array,
    /// A dynamic property bag.
    Bag,
    /// A dynamic array of keys.
    Keys,
    /// A dynamic array holding a series.
    Series,
}

impl ArgKind {
    fn parse(word: &str) -> Option<ArgKind> {
        Some(match word {
            "any" => ArgKind::Any,
            "string" => ArgKind::String,
            "num" => ArgKind::Number,
            "bool" => ArgKind::Bool,
            "datetime" => ArgKind::DateTime,
            "timespan" => ArgKind::TimeSpan,
            "dynamic" => ArgKind::Dynamic,
            "array" => ArgKind::Array,
            "bag" => ArgKind::Bag,
            "keys" => ArgKind::Keys,
            "series" => ArgKind::Series,
            _ => return None,
        })
    }

    /// Does a value of type `t` fit? A dynamic value fits everywhere: its type is per row.
    pub fn accepts(self, t: DataType) -> bool {
        t == DataType::Dynamic
            || match self {
                ArgKind::Any => true,
                ArgKind::String => t == DataType::String,
                ArgKind::Number => t.is_numeric(),
                ArgKind::Bool => t == DataType::Bool,
                ArgKind::DateTime => t == DataType::DateTime,
                ArgKind::TimeSpan => t == DataType::TimeSpan,
                ArgKind::Dynamic | ArgKind::Array | ArgKind::Bag | ArgKind::Keys | ArgKind::Series => false,
            }
    }

    /// How an error message names the kind.
    pub fn describe(self) -> &'static str {
        match self {
            ArgKind::Any => "any value",
            ArgKind::String => "a string",
            ArgKind::Number => "a number",
            ArgKind::Bool => "a bool",
            ArgKind::DateTime => "a datetime",
            ArgKind::TimeSpan => "a timespan",
            ArgKind::Dynamic => "a dynamic value",
            ArgKind::Array => "a dynamic array",
            ArgKind::Bag => "a dynamic property bag",
            ArgKind::Keys => "a dynamic array of keys",
            ArgKind::Series => "a dynamic array (a series)",
        }
    }
}

/// A function's argument list: required kinds, then optional ones, then maybe one that
/// repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub required: Vec<ArgKind>,
    pub optional: Vec<ArgKind>,
    pub repeat: Option<ArgKind>,
}

impl Signature {
    /// Reads a table entry such as `"string, num?, any*"`.
    pub fn parse(text: &str) -> Result<Signature, String> {
        let mut sig = Signature::default();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if sig.repeat.is_some() {
                return Err(format!("'{item}' follows a repeating argument in {text:?}"));
            }
            let (word, mark) = match item.strip_suffix('?') {
                Some(w) => (w, '?'),
                None => match item.strip_suffix('*') {
                    Some(w) => (w, '*'),
                    None => (item, ' '),
                },
            };
            let kind = ArgKind::parse(word).ok_or_else(|| format!("unknown argument kind '{word}' in {text:?}"))?;
            match mark {
                '?' => sig.optional.push(kind),
                '*' => sig.repeat = Some(kind),
                _ if sig.optional.is_empty() => sig.required.push(kind),
                _ => return Err(format!("required argument '{item}' after an optional one in {text:?}")),
            }
        }
        Ok(sig)
    }

    pub fn arity(&self) -> (usize, usize) {
        let min = self.required.len();
        let max = if self.repeat.is_some() { MANY } else { min + self.optional.len() };
        (min, max)
    }

    /// The kind expected at position `i`, if the list reaches it.
    pub fn kind_at(&self, i: usize) -> Option<ArgKind> {
        self.required.get(i).or_else(|| self.optional.get(i - self.required.len().min(i))).copied().or(self.repeat)
    }
}

/// Real Kusto functions kqlab does not run, with the reason given to the learner.
pub fn unsupported_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "cluster" | "database" | "external_table" | "materialized_view" | "table" => "kqlab has no clusters or databases to reach",
        "current_principal" | "current_principal_details" | "current_cluster_endpoint" | "current_database" => {
            "it describes the Kusto service, which kqlab does not have"
        }
        "new_guid" => "it would make lesson answers change from run to run",
        "series_fit_line" | "series_fit_2lines" | "series_periods_detect" | "series_periods_validate" | "series_decompose_forecast" => {
            "kqlab does not implement this series function yet"
        }
        "todecimal" => "the decimal type is not supported; use todouble()",
        "parse_user_agent" | "parse_version" => "kqlab does not implement this parser yet",
        _ => return None,
    })
}

/// Did the argument types fit? `Err` carries the learner-facing reason.
pub type TypeCheck = Result<DataType, String>;

/// The result type of `f` applied to arguments of types `args` (arity already checked):
/// every argument is checked against the row's list, then the row's result rule applies.
pub fn result_type(f: Func, args: &[DataType]) -> TypeCheck {
    let sig = f.signature();
    for (i, &t) in args.iter().enumerate() {
        if let Some(kind) = sig.kind_at(i) {
            if !kind.accepts(t) {
                return Err(format!("argument {} of {}() must be {}, but it is {t}", i + 1, f.name(), kind.describe()));
            }
        }
    }
    match f.result_rule() {
        ResultRule::Fixed(t) => Ok(t),
        ResultRule::Rule(rule) => rule(f, args),
    }
}

/// The result rules the table names in braces: checks its argument lists cannot express,
/// and result types that depend on the argument types.
pub mod rules {
    use super::{common_type, Func, TypeCheck};
    use crate::types::DataType::{self, *};

    fn need(args: &[DataType], i: usize, ok: impl Fn(DataType) -> bool, what: &str, f: Func) -> Result<(), std::string::String> {
        match args.get(i) {
            Some(&t) if ok(t) || t == Dynamic => Ok(()),
            Some(&t) => Err(format!("argument {} of {}() must be {what}, but it is {t}", i + 1, f.name())),
            None => Ok(()),
        }
    }

    /// bin / floor / bin_at: the value's type decides the size's (and origin's) type.
    pub fn bin_type(f: Func, args: &[DataType]) -> TypeCheck {
        let ts = |i| need(args, i, |t| t == TimeSpan, "a timespan", f);
        Ok(match args[0] {
            DateTime => {
                ts(1)?;
                if f == Func::BinAt {
                    need(args, 2, |t| t == DateTime, "a datetime", f)?;
                }
                DateTime
            }
            TimeSpan => {
                ts(1)?;
                TimeSpan
            }
            t @ (Int | Long | Real) => {
                need(args, 1, DataType::is_numeric, "a number", f)?;
                if args[1] == Real || t == Real {
                    Real
                } else {
                    Long
                }
            }
            Dynamic => Dynamic,
            other => return Err(format!("{}() works on numbers, datetimes and timespans, not {other}", f.name())),
        })
    }

    /// pack / bag_pack: key, value pairs with string keys.
    pub fn pairs_type(f: Func, args: &[DataType]) -> TypeCheck {
        if args.len() % 2 != 0 {
            return Err(format!("{}() takes key, value pairs, so it needs an even number of arguments", f.name()));
        }
        for i in (0..args.len()).step_by(2) {
            need(args, i, |t| t == String, "a string", f)?;
        }
        Ok(Dynamic)
    }

    /// iff / iif: the two branches share a type.
    pub fn iff_type(f: Func, args: &[DataType]) -> TypeCheck {
        common_type(&args[1..]).ok_or_else(|| format!("the two branches of {}() have different types ({} and {})", f.name(), args[1], args[2]))
    }

    /// case: condition, value pairs and an else value; the values share a type.
    pub fn case_type(f: Func, args: &[DataType]) -> TypeCheck {
        if args.len() % 2 == 0 {
            return Err("case() needs condition, value pairs followed by an else value (an odd number of arguments)".into());
        }
        let mut vals = Vec::new();
        for i in (0..args.len() - 1).step_by(2) {
            need(args, i, |t| t == Bool, "a bool", f)?;
            vals.push(args[i + 1]);
        }
        vals.push(args[args.len() - 1]);
        common_type(&vals).ok_or_else(|| "the values of case() have different types".into())
    }

    /// coalesce / min_of / max_of: all arguments share a type.
    pub fn common_of_all(f: Func, args: &[DataType]) -> TypeCheck {
        common_type(args).ok_or_else(|| format!("the arguments of {}() have different types", f.name()))
    }

    /// abs / sign: numbers and timespans keep their type.
    pub fn abs_type(f: Func, args: &[DataType]) -> TypeCheck {
        if !(args[0].is_numeric() || args[0] == TimeSpan || args[0] == Dynamic) {
            return Err(format!("argument 1 of {}() must be a number, but it is {}", f.name(), args[0]));
        }
        Ok(args[0])
    }

    /// round / ceiling: the number's own type (real for a dynamic value).
    pub fn same_number(_: Func, args: &[DataType]) -> TypeCheck {
        Ok(if args[0] == Dynamic { Real } else { args[0] })
    }

    /// prev / next: the type of the value looked at.
    pub fn first_arg(_: Func, args: &[DataType]) -> TypeCheck {
        Ok(args[0])
    }

    /// range: numbers, datetimes (with a timespan step) or timespans.
    pub fn range_type(f: Func, args: &[DataType]) -> TypeCheck {
        let numeric = |t: DataType| t.is_numeric() || t == Dynamic;
        match (args[0], args[1]) {
            // The step defaults to an hour.
            (DateTime, DateTime) | (TimeSpan, TimeSpan) => need(args, 2, |t| t == TimeSpan, "a timespan", f)?,
            (a, b) if numeric(a) && numeric(b) => need(args, 2, DataType::is_numeric, "a number", f)?,
            (a, b) => return Err(format!("range() needs two numbers, datetimes or timespans, not {a} and {b}")),
        }
        Ok(Dynamic)
    }

    /// Functions the binder rewrites before their row is read (toscalar, column_ifexists...).
    pub fn binder(f: Func, _: &[DataType]) -> TypeCheck {
        Err(format!("{}() is handled by the binder", f.name()))
    }
}

/// The type several values can share: identical types, numbers widen (int < long < real),
/// `null`-typed positions are given by the caller as the other type.
pub fn common_type(types: &[DataType]) -> Option<DataType> {
    let mut t = *types.first()?;
    for &u in &types[1..] {
        t = match (t, u) {
            (a, b) if a == b => a,
            (a, b) if a.is_numeric() && b.is_numeric() => {
                if a == DataType::Real || b == DataType::Real {
                    DataType::Real
                } else {
                    DataType::Long
                }
            }
            (DataType::String, DataType::Guid) | (DataType::Guid, DataType::String) => DataType::String,
            _ => return None,
        };
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the table is well formed and reachable by its name.
    #[test]
    fn every_row_parses_and_round_trips() {
        let mut names = std::collections::BTreeSet::new();
        for &f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f), "{} does not look itself up", f.name());
            assert!(names.insert(f.name()), "{} is listed twice", f.name());
            if let Err(e) = Signature::parse(f.signature_text()) {
                panic!("{}(): {e}", f.name());
            }
            assert!(!f.doc().is_empty() && !f.docs_page().is_empty() && !f.docs_page().contains('/'), "{} lacks docs", f.name());
            assert!(unsupported_function(f.name()).is_none(), "{} is both implemented and rejected", f.name());
        }
    }

    #[test]
    fn signatures_give_arity_and_checks() {
        let sig = Signature::parse("string, num?, any*").unwrap();
        assert_eq!(sig.arity(), (1, MANY));
        assert_eq!(sig.kind_at(0), Some(ArgKind::String));
        assert_eq!(sig.kind_at(1), Some(ArgKind::Number));
        assert_eq!(sig.kind_at(5), Some(ArgKind::Any));
        assert_eq!(Signature::parse("datetime, num?").unwrap().arity(), (1, 2));
        assert!(Signature::parse("num?, string").is_err());
        assert!(Signature::parse("any*, string").is_err());
        assert!(Signature::parse("text").is_err());
        assert_eq!(result_type(Func::Strlen, &[DataType::Long]).unwrap_err(), "argument 1 of strlen() must be a string, but it is long");
        assert_eq!(result_type(Func::Strlen, &[DataType::Dynamic]), Ok(DataType::Long));
        assert_eq!(result_type(Func::Bin, &[DataType::DateTime, DataType::TimeSpan]), Ok(DataType::DateTime));
    }
}
