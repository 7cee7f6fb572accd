//! The scalar function registry: names, arity, argument checks and result types.
//!
//! Implementations live in `exec::scalar`; this module only knows what a call is allowed to
//! look like and what type it returns. Unknown names get a did-you-mean; real Kusto functions
//! kqlab does not implement are rejected by name (see [`unsupported_function`]).

use crate::types::DataType;

macro_rules! functions {
    ($($variant:ident = $name:literal, $min:expr, $max:expr, $doc:literal;)*) => {
        /// A scalar function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Func { $($variant),* }

        impl Func {
            pub const ALL: &'static [Func] = &[$(Func::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Func::$variant => $name),* }
            }

            /// (minimum, maximum) number of arguments.
            pub fn arity(self) -> (usize, usize) {
                match self { $(Func::$variant => ($min, $max)),* }
            }

            /// A one-line description for completion and the schema pane.
            pub fn doc(self) -> &'static str {
                match self { $(Func::$variant => $doc),* }
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

const MANY: usize = 64;

functions! {
    // time
    Ago = "ago", 1, 1, "The session clock minus a timespan: ago(7d)";
    Now = "now", 0, 1, "The session clock, optionally plus an offset";
    Bin = "bin", 2, 2, "Rounds down to a multiple of a bin size: bin(Timestamp, 1h)";
    BinAt = "bin_at", 3, 3, "Rounds down to bins aligned on a fixed point";
    Floor = "floor", 2, 2, "Same as bin()";
    DatetimeDiff = "datetime_diff", 3, 3, "The number of calendar periods between two datetimes";
    DatetimeAdd = "datetime_add", 3, 3, "Adds a number of calendar periods to a datetime";
    DatetimePart = "datetime_part", 2, 2, "One part (year, hour, ...) of a datetime";
    StartOfDay = "startofday", 1, 2, "Midnight of the datetime's day";
    StartOfWeek = "startofweek", 1, 2, "The Sunday that starts the datetime's week";
    StartOfMonth = "startofmonth", 1, 2, "The first day of the datetime's month";
    StartOfYear = "startofyear", 1, 2, "The first day of the datetime's year";
    EndOfDay = "endofday", 1, 2, "The last tick of the datetime's day";
    EndOfWeek = "endofweek", 1, 2, "The last tick of the datetime's week";
    EndOfMonth = "endofmonth", 1, 2, "The last tick of the datetime's month";
    EndOfYear = "endofyear", 1, 2, "The last tick of the datetime's year";
    DayOfWeek = "dayofweek", 1, 1, "Days since the preceding Sunday, as a timespan";
    DayOfMonth = "dayofmonth", 1, 1, "The day of the month (1-31)";
    DayOfYear = "dayofyear", 1, 1, "The day of the year (1-366)";
    HourOfDay = "hourofday", 1, 1, "The hour (0-23)";
    GetYear = "getyear", 1, 1, "The year";
    GetMonth = "getmonth", 1, 1, "The month (1-12)";
    MonthOfYear = "monthofyear", 1, 1, "The month (1-12)";
    WeekOfYear = "week_of_year", 1, 1, "The ISO 8601 week number";
    FormatDatetime = "format_datetime", 2, 2, "Formats a datetime: format_datetime(Timestamp, 'yyyy-MM-dd HH:mm')";
    FormatTimespan = "format_timespan", 2, 2, "Formats a timespan: format_timespan(d, 'hh:mm:ss')";
    UnixtimeSecondsToDatetime = "unixtime_seconds_todatetime", 1, 1, "Seconds since 1970 as a datetime";
    UnixtimeMillisecondsToDatetime = "unixtime_milliseconds_todatetime", 1, 1, "Milliseconds since 1970 as a datetime";
    // conversion
    ToString = "tostring", 1, 1, "Converts to a string";
    ToInt = "toint", 1, 1, "Converts to int (null if it cannot)";
    ToLong = "tolong", 1, 1, "Converts to long (null if it cannot)";
    ToDouble = "todouble", 1, 1, "Converts to real (null if it cannot)";
    ToReal = "toreal", 1, 1, "Converts to real (null if it cannot)";
    ToBool = "tobool", 1, 1, "Converts to bool (null if it cannot)";
    ToBoolean = "toboolean", 1, 1, "Converts to bool (null if it cannot)";
    ToDatetime = "todatetime", 1, 1, "Converts to datetime (null if it cannot)";
    ToTimespan = "totimespan", 1, 1, "Converts to timespan (null if it cannot)";
    ToGuid = "toguid", 1, 1, "Converts to guid (null if it cannot)";
    ToDynamic = "todynamic", 1, 1, "Parses a JSON string into a dynamic value";
    ParseJson = "parse_json", 1, 1, "Parses a JSON string into a dynamic value";
    GetType = "gettype", 1, 1, "The type name of a value";
    // strings
    ToLower = "tolower", 1, 1, "Lower-cases a string";
    ToUpper = "toupper", 1, 1, "Upper-cases a string";
    Strlen = "strlen", 1, 1, "The number of characters in a string";
    Substring = "substring", 2, 3, "Part of a string: substring(s, start[, length]) (0-based)";
    Strcat = "strcat", 1, MANY, "Joins values into one string";
    StrcatDelim = "strcat_delim", 2, MANY, "Joins values with a delimiter";
    Split = "split", 2, 3, "Splits a string into an array";
    Extract = "extract", 3, 4, "A regex capture group: extract(@\"user=(\\w+)\", 1, s)";
    ExtractAll = "extract_all", 2, 3, "All regex matches as an array";
    ReplaceString = "replace_string", 3, 3, "Replaces every occurrence of a string";
    ReplaceRegex = "replace_regex", 3, 3, "Replaces every regex match";
    Replace = "replace", 3, 3, "Replaces every regex match: replace(regex, rewrite, s)";
    Trim = "trim", 2, 2, "Removes a regex match from both ends";
    TrimStart = "trim_start", 2, 2, "Removes a regex match from the start";
    TrimEnd = "trim_end", 2, 2, "Removes a regex match from the end";
    IndexOf = "indexof", 2, 5, "The 0-based position of a substring, or -1";
    CountOf = "countof", 2, 3, "How many times a substring (or regex) occurs";
    Reverse = "reverse", 1, 1, "Reverses a string";
    Strrep = "strrep", 2, 3, "Repeats a string";
    Strcmp = "strcmp", 2, 2, "Compares two strings: -1, 0 or 1";
    UrlDecode = "url_decode", 1, 1, "Decodes %xx escapes";
    UrlEncode = "url_encode", 1, 1, "Encodes a string for a URL";
    UrlEncodeComponent = "url_encode_component", 1, 1, "Encodes a string for a URL component";
    Base64DecodeToString = "base64_decode_tostring", 1, 1, "Decodes base64 into a UTF-8 string";
    Base64EncodeToString = "base64_encode_tostring", 1, 1, "Encodes a string as base64";
    ParseUrl = "parse_url", 1, 1, "Splits a URL into scheme, host, port, path, query and fragment";
    ParsePath = "parse_path", 1, 1, "Splits a file path into its parts";
    // ip
    ParseIpv4 = "parse_ipv4", 1, 1, "An IPv4 address as a long";
    ParseIpv6 = "parse_ipv6", 1, 1, "An IPv6 (or IPv4) address in canonical IPv6 form";
    Ipv4IsPrivate = "ipv4_is_private", 1, 1, "Is the IPv4 address in a private range?";
    Ipv4IsInRange = "ipv4_is_in_range", 2, 2, "Is the IPv4 address in the CIDR range?";
    Ipv4IsInAnyRange = "ipv4_is_in_any_range", 2, MANY, "Is the IPv4 address in any of the ranges?";
    Ipv4Compare = "ipv4_compare", 2, 3, "Compares two IPv4 addresses";
    GeoInfoFromIpAddress = "geo_info_from_ip_address", 1, 1, "Country, state, city, latitude and longitude of an IP address (kqlab's synthetic table)";
    // dynamic
    ArrayLength = "array_length", 1, 1, "The number of elements of an array (null if not an array)";
    PackArray = "pack_array", 1, MANY, "Builds an array";
    BagPack = "bag_pack", 0, MANY, "Builds a property bag from key, value pairs";
    Pack = "pack", 0, MANY, "Builds a property bag from key, value pairs";
    BagKeys = "bag_keys", 1, 1, "The keys of a property bag";
    BagHasKey = "bag_has_key", 2, 2, "Does the bag have the key?";
    BagMerge = "bag_merge", 1, MANY, "Merges property bags";
    ArrayConcat = "array_concat", 1, MANY, "Concatenates arrays";
    ArraySlice = "array_slice", 3, 3, "A slice of an array: array_slice(arr, start, end)";
    ArraySortAsc = "array_sort_asc", 1, 2, "Sorts an array ascending";
    ArraySortDesc = "array_sort_desc", 1, 2, "Sorts an array descending";
    ArrayIndexOf = "array_index_of", 2, 2, "The position of a value in an array, or -1";
    ArrayReverse = "array_reverse", 1, 1, "Reverses an array";
    ArraySum = "array_sum", 1, 1, "The sum of a numeric array";
    SetHasElement = "set_has_element", 2, 2, "Does the array contain the value?";
    SetDifference = "set_difference", 2, MANY, "Distinct values of the first array that are in no other";
    SetUnion = "set_union", 2, MANY, "Distinct values of all arrays";
    SetIntersect = "set_intersect", 2, MANY, "Distinct values found in every array";
    StrcatArray = "strcat_array", 2, 2, "Joins an array's values with a delimiter";
    Range = "range", 2, 3, "An array of numbers or datetimes: range(start, stop[, step])";
    PackAll = "pack_all", 0, 1, "A property bag of all the row's columns";
    BagPackColumns = "bag_pack_columns", 1, MANY, "A property bag of the given columns, keyed by their names";
    ExtractJson = "extract_json", 2, 3, "A JSONPath element of a JSON text: extract_json('$.a.b', text)";
    ExtractJsonOld = "extractjson", 2, 3, "A JSONPath element of a JSON text (old name of extract_json)";
    ParseXml = "parse_xml", 1, 1, "XML text converted to a dynamic value";
    ArrayIff = "array_iff", 3, 3, "Element-wise iff over arrays";
    BagRemoveKeys = "bag_remove_keys", 2, 2, "A property bag without the given keys";
    Zip = "zip", 2, MANY, "Pairs up the elements of several arrays";
    SeriesDecomposeAnomalies = "series_decompose_anomalies", 1, 7, "Anomaly flags, scores and baseline of a series: (flag, score, baseline) = series_decompose_anomalies(s)";
    SeriesDecompose = "series_decompose", 1, 5, "Baseline, seasonal, trend and residual of a series";
    SeriesOutliers = "series_outliers", 1, 5, "Tukey-fence anomaly scores of a series";
    DynamicToJson = "dynamic_to_json", 1, 1, "A dynamic value as JSON text";
    // logic
    Iff = "iff", 3, 3, "iff(condition, then, else)";
    Iif = "iif", 3, 3, "iif(condition, then, else)";
    Case = "case", 3, MANY, "case(cond1, value1, cond2, value2, ..., else)";
    Coalesce = "coalesce", 1, MANY, "The first value that is not null (or empty)";
    IsEmpty = "isempty", 1, 1, "Is the value null or an empty string?";
    IsNotEmpty = "isnotempty", 1, 1, "Is the value neither null nor an empty string?";
    IsNull = "isnull", 1, 1, "Is the value null?";
    IsNotNull = "isnotnull", 1, 1, "Is the value not null?";
    Not = "not", 1, 1, "Logical negation";
    IsNan = "isnan", 1, 1, "Is the real NaN?";
    IsInf = "isinf", 1, 1, "Is the real infinite?";
    IsFinite = "isfinite", 1, 1, "Is the real finite?";
    // math
    Abs = "abs", 1, 1, "Absolute value";
    Round = "round", 1, 2, "Rounds to a number of decimals";
    Ceiling = "ceiling", 1, 1, "Smallest integer not below the value";
    Sqrt = "sqrt", 1, 1, "Square root";
    Pow = "pow", 2, 2, "Power";
    Log = "log", 1, 1, "Natural logarithm";
    Log10 = "log10", 1, 1, "Base-10 logarithm";
    Log2 = "log2", 1, 1, "Base-2 logarithm";
    Exp = "exp", 1, 1, "e to the power";
    Sign = "sign", 1, 1, "-1, 0 or 1";
    MinOf = "min_of", 2, MANY, "The smallest argument";
    MaxOf = "max_of", 2, MANY, "The largest argument";
    // tabular-context helpers
    RowNumber = "row_number", 0, 2, "The row's position after serialize/sort";
    Prev = "prev", 1, 3, "The value in an earlier row (after serialize/sort)";
    Next = "next", 1, 3, "The value in a later row (after serialize/sort)";
    ColumnIfExists = "column_ifexists", 2, 2, "A column if it exists, else a default";
    ToScalar = "toscalar", 1, 1, "The first cell of a tabular expression";
    Materialize = "materialize", 1, 1, "Caches a tabular expression's result";
}

/// Real Kusto functions kqlab does not run, with the reason given to the learner.
pub fn unsupported_function(name: &str) -> Option<&'static str> {
    Some(match name {
        "ingestion_time" => "kqlab tables are generated, not ingested, so there is no ingestion time",
        "cluster" | "database" | "external_table" | "materialized_view" | "table" => "kqlab has no clusters or databases to reach",
        "current_principal" | "current_principal_details" | "current_cluster_endpoint" | "current_database" => {
            "it describes the Kusto service, which kqlab does not have"
        }
        "rand" => "it would make lesson answers change from run to run",
        "new_guid" => "it would make lesson answers change from run to run",
        "series_fir"
        | "series_iir"
        | "series_stats"
        | "series_stats_dynamic"
        | "series_fit_line"
        | "series_fit_2lines"
        | "series_periods_detect"
        | "series_periods_validate"
        | "series_fill_linear"
        | "series_fill_forward"
        | "series_fill_backward"
        | "series_fill_const"
        | "series_seasonal"
        | "series_decompose_forecast" => "kqlab implements series_decompose_anomalies(), series_decompose() and series_outliers() only",
        "hash" | "hash_sha256" | "hash_md5" | "hash_sha1" => "kqlab does not implement hash functions yet",
        "todecimal" => "the decimal type is not supported; use todouble()",
        "percentiles_array" | "percentilew" | "percentilesw" | "tdigest" | "tdigest_merge" | "hll" | "hll_merge" | "merge_tdigest" => {
            "kqlab does not implement this aggregate yet"
        }
        "parse_csv" | "parse_user_agent" | "parse_version" | "parse_command_line" => "kqlab does not implement this parser yet",
        "format_bytes" | "format_ipv4" | "format_ipv4_mask" | "punycode_to_string" => "kqlab does not implement this function yet",
        "array_split" | "array_rotate_left" | "array_rotate_right" | "array_shift_left" | "array_shift_right" => "kqlab does not implement this function yet",
        _ => return None,
    })
}

/// Did the argument types fit? `Err` carries the learner-facing reason.
pub type TypeCheck = Result<DataType, String>;

fn is_num(t: DataType) -> bool {
    t.is_numeric()
}

fn need(args: &[DataType], i: usize, ok: impl Fn(DataType) -> bool, what: &str, f: Func) -> Result<(), String> {
    match args.get(i) {
        Some(&t) if ok(t) || t == DataType::Dynamic => Ok(()),
        Some(&t) => Err(format!("argument {} of {}() must be {what}, but it is {t}", i + 1, f.name())),
        None => Ok(()),
    }
}

/// The result type of `f` applied to arguments of types `args` (arity already checked).
pub fn result_type(f: Func, args: &[DataType]) -> TypeCheck {
    use DataType::*;
    use Func::*;
    let s = |i| need(args, i, |t| t == String, "a string", f);
    let n = |i| need(args, i, is_num, "a number", f);
    let dt = |i| need(args, i, |t| t == DateTime, "a datetime", f);
    let ts = |i| need(args, i, |t| t == TimeSpan, "a timespan", f);
    let b = |i| need(args, i, |t| t == Bool, "a bool", f);
    Ok(match f {
        Ago => {
            ts(0)?;
            DateTime
        }
        Now => {
            ts(0)?;
            DateTime
        }
        Bin | Floor | BinAt => {
            let t = args[0];
            match t {
                DateTime => {
                    ts(1)?;
                    if f == BinAt {
                        dt(2)?;
                    }
                    DateTime
                }
                TimeSpan => {
                    ts(1)?;
                    TimeSpan
                }
                Int | Long | Real => {
                    n(1)?;
                    if args[1] == Real || t == Real {
                        Real
                    } else {
                        Long
                    }
                }
                Dynamic => Dynamic,
                other => return Err(format!("{}() works on numbers, datetimes and timespans, not {other}", f.name())),
            }
        }
        DatetimeDiff => {
            s(0)?;
            dt(1)?;
            dt(2)?;
            Long
        }
        DatetimeAdd => {
            s(0)?;
            n(1)?;
            dt(2)?;
            DateTime
        }
        DatetimePart => {
            s(0)?;
            dt(1)?;
            Int
        }
        StartOfDay | StartOfWeek | StartOfMonth | StartOfYear | EndOfDay | EndOfWeek | EndOfMonth | EndOfYear => {
            dt(0)?;
            n(1)?;
            DateTime
        }
        DayOfWeek => {
            dt(0)?;
            TimeSpan
        }
        DayOfMonth | DayOfYear | HourOfDay | GetYear | GetMonth | MonthOfYear | WeekOfYear => {
            dt(0)?;
            Int
        }
        FormatDatetime => {
            dt(0)?;
            s(1)?;
            String
        }
        FormatTimespan => {
            ts(0)?;
            s(1)?;
            String
        }
        UnixtimeSecondsToDatetime | UnixtimeMillisecondsToDatetime => {
            n(0)?;
            DateTime
        }
        ToString => String,
        ToInt => Int,
        ToLong => Long,
        ToDouble | ToReal => Real,
        ToBool | ToBoolean => Bool,
        ToDatetime => DateTime,
        ToTimespan => TimeSpan,
        ToGuid => Guid,
        ToDynamic | ParseJson => Dynamic,
        GetType => String,
        ToLower | ToUpper | Reverse | UrlDecode | UrlEncode | UrlEncodeComponent | Base64DecodeToString | Base64EncodeToString => {
            s(0)?;
            String
        }
        Strlen => {
            s(0)?;
            Long
        }
        Substring => {
            n(1)?;
            n(2)?;
            String
        }
        Strcat => String,
        StrcatDelim => String,
        Split => {
            s(0)?;
            s(1)?;
            n(2)?;
            Dynamic
        }
        Extract => {
            s(0)?;
            n(1)?;
            // The 4th argument is typeof(T): handled by the binder, which passes the type.
            String
        }
        ExtractAll => {
            s(0)?;
            Dynamic
        }
        ReplaceString | ReplaceRegex | Replace => {
            s(0)?;
            s(1)?;
            s(2)?;
            String
        }
        Trim | TrimStart | TrimEnd => {
            s(0)?;
            s(1)?;
            String
        }
        IndexOf => {
            s(1)?;
            n(2)?;
            n(3)?;
            n(4)?;
            Long
        }
        CountOf => {
            s(0)?;
            s(1)?;
            s(2)?;
            Long
        }
        Strrep => {
            n(1)?;
            s(2)?;
            String
        }
        Strcmp => {
            s(0)?;
            s(1)?;
            Int
        }
        ParseUrl | ParsePath | GeoInfoFromIpAddress => {
            s(0)?;
            Dynamic
        }
        ParseIpv4 => {
            s(0)?;
            Long
        }
        ParseIpv6 => {
            s(0)?;
            String
        }
        Ipv4IsPrivate => {
            s(0)?;
            Bool
        }
        Ipv4IsInRange => {
            s(0)?;
            s(1)?;
            Bool
        }
        Ipv4IsInAnyRange => {
            s(0)?;
            Bool
        }
        Ipv4Compare => {
            s(0)?;
            s(1)?;
            n(2)?;
            Int
        }
        ArrayLength => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            Long
        }
        PackArray => Dynamic,
        BagPack | Pack => {
            if args.len() % 2 != 0 {
                return Err(format!("{}() takes key, value pairs, so it needs an even number of arguments", f.name()));
            }
            for i in (0..args.len()).step_by(2) {
                s(i)?;
            }
            Dynamic
        }
        BagKeys | ArrayReverse | ArraySortAsc | ArraySortDesc => {
            need(args, 0, |t| t == Dynamic, "a dynamic value", f)?;
            if matches!(f, ArraySortAsc | ArraySortDesc) {
                b(1)?;
            }
            Dynamic
        }
        BagHasKey => {
            need(args, 0, |t| t == Dynamic, "a dynamic value", f)?;
            s(1)?;
            Bool
        }
        BagMerge | ArrayConcat | SetDifference | SetUnion | SetIntersect => {
            for i in 0..args.len() {
                need(args, i, |t| t == Dynamic, "a dynamic array", f)?;
            }
            Dynamic
        }
        ArraySlice => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            n(1)?;
            n(2)?;
            Dynamic
        }
        ArrayIndexOf => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            Long
        }
        ArraySum => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            Real
        }
        SetHasElement => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            Bool
        }
        StrcatArray => {
            need(args, 0, |t| t == Dynamic, "a dynamic array", f)?;
            s(1)?;
            String
        }
        DynamicToJson => String,
        Iff | Iif => {
            b(0)?;
            common_type(&args[1..]).ok_or_else(|| format!("the two branches of {}() have different types ({} and {})", f.name(), args[1], args[2]))?
        }
        Case => {
            if args.len() % 2 == 0 {
                return Err("case() needs condition, value pairs followed by an else value (an odd number of arguments)".into());
            }
            let mut vals = Vec::new();
            for i in (0..args.len() - 1).step_by(2) {
                b(i)?;
                vals.push(args[i + 1]);
            }
            vals.push(args[args.len() - 1]);
            common_type(&vals).ok_or_else(|| "the values of case() have different types".to_string())?
        }
        Coalesce | MinOf | MaxOf => common_type(args).ok_or_else(|| format!("the arguments of {}() have different types", f.name()))?,
        IsEmpty | IsNotEmpty | IsNull | IsNotNull => Bool,
        Not => {
            b(0)?;
            Bool
        }
        IsNan | IsInf | IsFinite => {
            n(0)?;
            Bool
        }
        Abs | Sign => {
            if !(is_num(args[0]) || args[0] == TimeSpan || args[0] == Dynamic) {
                return Err(format!("argument 1 of {}() must be a number, but it is {}", f.name(), args[0]));
            }
            if args[0] == Int {
                Int
            } else {
                args[0]
            }
        }
        Round => {
            n(0)?;
            n(1)?;
            if args[0] == Dynamic {
                Real
            } else {
                args[0]
            }
        }
        Ceiling => {
            n(0)?;
            if args[0] == Dynamic {
                Real
            } else {
                args[0]
            }
        }
        Sqrt | Pow | Log | Log10 | Log2 | Exp => {
            n(0)?;
            n(1)?;
            Real
        }
        RowNumber => {
            n(0)?;
            Long
        }
        Prev | Next => {
            n(1)?;
            args[0]
        }
        Range => {
            let numeric = |t: DataType| t.is_numeric() || t == Dynamic;
            match (args[0], args[1]) {
                (DateTime, DateTime) => {
                    if args.len() < 3 {
                        return Err("range() over datetimes needs a timespan step: range(start, stop, 1d)".into());
                    }
                    ts(2)?;
                }
                (TimeSpan, TimeSpan) => {
                    ts(2)?;
                }
                (a, b) if numeric(a) && numeric(b) => {
                    n(2)?;
                }
                (a, b) => return Err(format!("range() needs two numbers, datetimes or timespans, not {a} and {b}")),
            }
            Dynamic
        }
        PackAll | BagPackColumns => Dynamic,
        ParseXml => {
            s(0)?;
            Dynamic
        }
        ExtractJson | ExtractJsonOld => {
            s(0)?;
            s(1)?;
            String
        }
        ArrayIff => Dynamic,
        BagRemoveKeys => {
            need(args, 0, |t| t == Dynamic, "a dynamic property bag", f)?;
            need(args, 1, |t| t == Dynamic, "a dynamic array of keys", f)?;
            Dynamic
        }
        Zip => {
            for i in 0..args.len() {
                need(args, i, |t| t == Dynamic, "a dynamic array", f)?;
            }
            Dynamic
        }
        SeriesDecomposeAnomalies | SeriesDecompose | SeriesOutliers => {
            need(args, 0, |t| t == Dynamic, "a dynamic array (a series)", f)?;
            Dynamic
        }
        ColumnIfExists | ToScalar | Materialize => return Err(format!("{}() is handled by the binder", f.name())),
    })
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
