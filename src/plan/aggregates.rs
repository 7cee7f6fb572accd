//! The aggregate function registry for `summarize`: names, arity, result types and the
//! default output column names Kusto gives them (`count_`, `sum_Amount`, `set_Url`, ...).

use super::BExpr;
use crate::types::{DataType, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggFn {
    Count,
    CountIf,
    DCount,
    DCountIf,
    CountDistinct,
    Sum,
    SumIf,
    Avg,
    AvgIf,
    Min,
    Max,
    MinIf,
    MaxIf,
    MakeSet,
    MakeSetIf,
    MakeList,
    MakeListIf,
    MakeBag,
    MakeBagIf,
    ArgMax,
    ArgMin,
    TakeAny,
    TakeAnyIf,
    Stdev,
    Variance,
    Percentile,
    Percentiles,
    StdevIf,
    VarianceIf,
}

impl AggFn {
    pub const ALL: &'static [AggFn] = &[
        AggFn::Count,
        AggFn::CountIf,
        AggFn::DCount,
        AggFn::DCountIf,
        AggFn::CountDistinct,
        AggFn::Sum,
        AggFn::SumIf,
        AggFn::Avg,
        AggFn::AvgIf,
        AggFn::Min,
        AggFn::Max,
        AggFn::MinIf,
        AggFn::MaxIf,
        AggFn::MakeSet,
        AggFn::MakeSetIf,
        AggFn::MakeList,
        AggFn::MakeListIf,
        AggFn::MakeBag,
        AggFn::MakeBagIf,
        AggFn::ArgMax,
        AggFn::ArgMin,
        AggFn::TakeAny,
        AggFn::TakeAnyIf,
        AggFn::Stdev,
        AggFn::Variance,
        AggFn::Percentile,
        AggFn::Percentiles,
        AggFn::StdevIf,
        AggFn::VarianceIf,
    ];

    pub fn from_name(name: &str) -> Option<AggFn> {
        Some(match name {
            "count" => AggFn::Count,
            "countif" => AggFn::CountIf,
            "dcount" => AggFn::DCount,
            "dcountif" => AggFn::DCountIf,
            "count_distinct" => AggFn::CountDistinct,
            "sum" => AggFn::Sum,
            "sumif" => AggFn::SumIf,
            "avg" => AggFn::Avg,
            "avgif" => AggFn::AvgIf,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            "minif" => AggFn::MinIf,
            "maxif" => AggFn::MaxIf,
            "make_set" | "makeset" => AggFn::MakeSet,
            "make_set_if" => AggFn::MakeSetIf,
            "make_list" | "makelist" => AggFn::MakeList,
            "make_list_if" => AggFn::MakeListIf,
            "make_bag" => AggFn::MakeBag,
            "make_bag_if" => AggFn::MakeBagIf,
            "arg_max" | "argmax" => AggFn::ArgMax,
            "arg_min" | "argmin" => AggFn::ArgMin,
            "take_any" | "any" => AggFn::TakeAny,
            "take_anyif" | "anyif" => AggFn::TakeAnyIf,
            "stdev" => AggFn::Stdev,
            "variance" => AggFn::Variance,
            "percentile" => AggFn::Percentile,
            "percentiles" => AggFn::Percentiles,
            "stdevif" => AggFn::StdevIf,
            "varianceif" => AggFn::VarianceIf,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            AggFn::Count => "count",
            AggFn::CountIf => "countif",
            AggFn::DCount => "dcount",
            AggFn::DCountIf => "dcountif",
            AggFn::CountDistinct => "count_distinct",
            AggFn::Sum => "sum",
            AggFn::SumIf => "sumif",
            AggFn::Avg => "avg",
            AggFn::AvgIf => "avgif",
            AggFn::Min => "min",
            AggFn::Max => "max",
            AggFn::MinIf => "minif",
            AggFn::MaxIf => "maxif",
            AggFn::MakeSet => "make_set",
            AggFn::MakeSetIf => "make_set_if",
            AggFn::MakeList => "make_list",
            AggFn::MakeListIf => "make_list_if",
            AggFn::MakeBag => "make_bag",
            AggFn::MakeBagIf => "make_bag_if",
            AggFn::ArgMax => "arg_max",
            AggFn::ArgMin => "arg_min",
            AggFn::TakeAny => "take_any",
            AggFn::TakeAnyIf => "take_anyif",
            AggFn::Stdev => "stdev",
            AggFn::Variance => "variance",
            AggFn::Percentile => "percentile",
            AggFn::Percentiles => "percentiles",
            AggFn::StdevIf => "stdevif",
            AggFn::VarianceIf => "varianceif",
        }
    }

    pub fn doc(self) -> &'static str {
        match self {
            AggFn::Count => "The number of rows in the group",
            AggFn::CountIf => "The number of rows where the predicate is true",
            AggFn::DCount => "The number of distinct values",
            AggFn::DCountIf => "The number of distinct values where the predicate is true",
            AggFn::CountDistinct => "The exact number of distinct values",
            AggFn::Sum => "The sum of the values",
            AggFn::SumIf => "The sum of the values where the predicate is true",
            AggFn::Avg => "The average of the values",
            AggFn::AvgIf => "The average of the values where the predicate is true",
            AggFn::Min => "The smallest value",
            AggFn::Max => "The largest value",
            AggFn::MinIf => "The smallest value where the predicate is true",
            AggFn::MaxIf => "The largest value where the predicate is true",
            AggFn::MakeSet => "An array of the distinct values",
            AggFn::MakeSetIf => "An array of the distinct values where the predicate is true",
            AggFn::MakeList => "An array of all the values",
            AggFn::MakeListIf => "An array of the values where the predicate is true",
            AggFn::MakeBag => "A property bag merging the group's bags",
            AggFn::MakeBagIf => "A property bag merging the bags where the predicate is true",
            AggFn::ArgMax => "The row with the largest value: arg_max(Timestamp, *)",
            AggFn::ArgMin => "The row with the smallest value: arg_min(Timestamp, *)",
            AggFn::TakeAny => "Any one value of the group",
            AggFn::TakeAnyIf => "Any one value where the predicate is true",
            AggFn::Stdev => "The sample standard deviation",
            AggFn::Variance => "The sample variance",
            AggFn::Percentile => "The nearest-rank percentile: percentile(x, 95)",
            AggFn::Percentiles => "Several nearest-rank percentiles: percentiles(x, 50, 95)",
            AggFn::StdevIf => "The sample standard deviation where the predicate is true",
            AggFn::VarianceIf => "The sample variance where the predicate is true",
        }
    }

    /// (minimum, maximum) number of arguments.
    pub fn arity(self) -> (usize, usize) {
        match self {
            AggFn::Count => (0, 1),
            AggFn::CountIf => (1, 1),
            AggFn::DCount => (1, 2),
            AggFn::DCountIf => (2, 3),
            AggFn::CountDistinct => (1, 1),
            AggFn::Sum | AggFn::Avg | AggFn::Min | AggFn::Max | AggFn::Stdev | AggFn::Variance => (1, 1),
            AggFn::SumIf | AggFn::AvgIf | AggFn::MinIf | AggFn::MaxIf => (2, 2),
            AggFn::MakeSet | AggFn::MakeList => (1, 2),
            AggFn::MakeSetIf | AggFn::MakeListIf => (2, 3),
            AggFn::MakeBag => (1, 2),
            AggFn::MakeBagIf => (2, 3),
            AggFn::ArgMax | AggFn::ArgMin => (2, 64),
            AggFn::TakeAny => (1, 64),
            AggFn::TakeAnyIf => (2, 2),
            AggFn::Percentile => (2, 2),
            AggFn::Percentiles => (2, 64),
            AggFn::StdevIf | AggFn::VarianceIf => (2, 2),
        }
    }

    /// The prefix of the default column name: `sum` → `sum_Amount`, `make_set` → `set_Url`.
    pub fn column_prefix(self) -> &'static str {
        match self {
            AggFn::Count => "count",
            AggFn::CountIf => "countif",
            AggFn::DCount => "dcount",
            AggFn::DCountIf => "dcountif",
            AggFn::CountDistinct => "count_distinct",
            AggFn::Sum => "sum",
            AggFn::SumIf => "sumif",
            AggFn::Avg => "avg",
            AggFn::AvgIf => "avgif",
            AggFn::Min => "min",
            AggFn::Max => "max",
            AggFn::MinIf => "minif",
            AggFn::MaxIf => "maxif",
            AggFn::MakeSet | AggFn::MakeSetIf => "set",
            AggFn::MakeList | AggFn::MakeListIf => "list",
            AggFn::MakeBag | AggFn::MakeBagIf => "bag",
            AggFn::ArgMax => "max",
            AggFn::ArgMin => "min",
            AggFn::TakeAny | AggFn::TakeAnyIf => "any",
            AggFn::Stdev => "stdev",
            AggFn::Variance => "variance",
            AggFn::Percentile | AggFn::Percentiles => "percentile",
            AggFn::StdevIf => "stdevif",
            AggFn::VarianceIf => "varianceif",
        }
    }

    /// Result type for a single-column aggregate given its first argument's type.
    pub fn result_type(self, arg: Option<DataType>) -> Result<DataType, String> {
        use DataType::*;
        Ok(match self {
            AggFn::Count | AggFn::CountIf | AggFn::DCount | AggFn::DCountIf | AggFn::CountDistinct => Long,
            AggFn::Sum | AggFn::SumIf => match arg {
                Some(Int) | Some(Long) | Some(Bool) => Long,
                Some(Real) | Some(Dynamic) => Real,
                Some(TimeSpan) => TimeSpan,
                Some(t) => return Err(format!("{}() needs numbers or timespans, not {t}", self.name())),
                None => Long,
            },
            AggFn::Percentile | AggFn::Percentiles => match arg {
                Some(t @ (Int | Long | Real | DateTime | TimeSpan)) => t,
                Some(Dynamic) => Real,
                Some(t) => return Err(format!("{}() needs numbers, datetimes or timespans, not {t}", self.name())),
                None => Real,
            },
            AggFn::Avg | AggFn::AvgIf | AggFn::Stdev | AggFn::Variance | AggFn::StdevIf | AggFn::VarianceIf => match arg {
                Some(Int) | Some(Long) | Some(Real) | Some(Dynamic) | Some(Bool) => Real,
                Some(TimeSpan) if self == AggFn::Avg || self == AggFn::AvgIf => TimeSpan,
                Some(DateTime) if self == AggFn::Avg || self == AggFn::AvgIf => DateTime,
                Some(t) => return Err(format!("{}() needs numbers, not {t}", self.name())),
                None => Real,
            },
            AggFn::Min | AggFn::Max | AggFn::MinIf | AggFn::MaxIf | AggFn::TakeAny | AggFn::TakeAnyIf => match arg {
                Some(Dynamic) if !matches!(self, AggFn::TakeAny | AggFn::TakeAnyIf) => {
                    return Err(format!("{}() cannot compare dynamic values; convert them first, e.g. with tostring() or tolong()", self.name()))
                }
                Some(t) => t,
                None => Long,
            },
            AggFn::MakeSet | AggFn::MakeSetIf | AggFn::MakeList | AggFn::MakeListIf | AggFn::MakeBag | AggFn::MakeBagIf => Dynamic,
            AggFn::ArgMax | AggFn::ArgMin => arg.unwrap_or(Long),
        })
    }
}

/// A constant percentile from 0 to 100.
pub fn percentile_value(e: &BExpr) -> Option<f64> {
    let v = match e.as_const()? {
        Value::Long(n) => *n as f64,
        Value::Int(n) => *n as f64,
        Value::Real(f) => *f,
        _ => return None,
    };
    (0.0..=100.0).contains(&v).then_some(v)
}
