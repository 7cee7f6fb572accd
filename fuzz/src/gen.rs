//! Grammar-aware generation and mutation of KQL queries for fuzzing.
//!
//! Shared by the libFuzzer targets (`fuzz/fuzz_targets/*.rs`, where the fuzzer's bytes drive
//! every choice) and the stable, coverage-free bounded pass (`tests/fuzz_bounded.rs`, where a
//! seeded RNG does). Generation is schema-aware (it tracks the columns each operator leaves)
//! so that most queries bind and reach the executor, and it favours edge values: huge and tiny
//! numbers, NaN and infinities, nulls, empty and long strings, unicode, deep nesting.

use kqlab::bind::aggregates::AggFn;
use kqlab::bind::functions::Func;
use kqlab::types::DataType;

/// Where choices come from.
pub trait Src {
    fn byte(&mut self) -> u8;

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let v = if n <= 256 { self.byte() as usize } else { (self.byte() as usize) << 8 | self.byte() as usize };
        v % n
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The fuzzer's input as a source of choices; zeros once it is used up.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, pos: 0 }
    }

    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos.min(self.data.len())..]
    }
}

impl Src for Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
}

/// SplitMix64: a small, seeded, platform-independent RNG.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Src for Rng {
    fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// The test table every generated query may use, as a `datatable` the harness loads as `T`.
/// One column per type, with nulls, empty strings and edge values.
pub const T_SCHEMA: &[(&str, DataType)] = &[
    ("b", DataType::Bool),
    ("i", DataType::Int),
    ("l", DataType::Long),
    ("r", DataType::Real),
    ("s", DataType::String),
    ("d", DataType::DateTime),
    ("t", DataType::TimeSpan),
    ("g", DataType::Guid),
    ("y", DataType::Dynamic),
];

pub const T_QUERY: &str = r#"datatable(b: bool, i: int, l: long, r: real, s: string, d: datetime, t: timespan, g: guid, y: dynamic) [
    true, 1, 10, 1.5, "alice@contoso.com", datetime(2026-11-21 07:05), 1h, guid(00000000-0000-0000-0000-000000000001), dynamic({"a": 1, "b": [1, 2, 3], "c": {"d": "x"}}),
    false, -2147483648, 9223372036854775807, real(nan), "", datetime(1970-01-01), -1d, guid(ffffffff-ffff-ffff-ffff-ffffffffffff), dynamic([1, "two", 3.5, null, true]),
    bool(null), int(null), long(null), real(null), "Ünïcødé 😀 ∑", datetime(null), timespan(null), guid(null), dynamic(null),
    true, 2147483647, -9223372036854775807, real(+inf), "https://contoso-login.com/auth?x=1&y=%41", datetime(9999-12-31 23:59:59.9999999), 10675199d, guid(12345678-1234-1234-1234-123456789abc), dynamic("str"),
    false, 0, 0, -0.0, "a,b;c=d e\tf\ng", datetime(0001-01-01), 0s, guid(00000000-0000-0000-0000-000000000000), dynamic({}),
    true, 7, 42, 1e308, "contoso-login.com", datetime(2026-11-22 11:59), 30m, guid(00000000-0000-0000-0000-000000000002), dynamic([]),
    false, 7, 42, -1e-308, "alice@contoso.com", datetime(2026-11-22 11:59), 30m, guid(00000000-0000-0000-0000-000000000002), dynamic([[1, [2, [3]]]])
]"#;

/// The fixture table's columns (tests/fixtures/UrlClickEvents.csv), loaded as `UrlClickEvents`.
pub const U_SCHEMA: &[(&str, DataType)] = &[
    ("Timestamp", DataType::DateTime),
    ("Url", DataType::String),
    ("ActionType", DataType::String),
    ("AccountUpn", DataType::String),
    ("IPAddress", DataType::String),
    ("IsClickedThrough", DataType::Bool),
    ("ReportId", DataType::String),
];

const TYPES: &[DataType] = &[
    DataType::Bool,
    DataType::Int,
    DataType::Long,
    DataType::Real,
    DataType::String,
    DataType::DateTime,
    DataType::TimeSpan,
    DataType::Guid,
    DataType::Dynamic,
];

type Schema = Vec<(String, DataType)>;

/// A query generator over one source of choices.
pub struct Gen<'s, S: Src> {
    src: &'s mut S,
    fresh: usize,
    /// Size budget: generation gets simpler as it is spent, so output stays bounded.
    budget: usize,
}

impl<'s, S: Src> Gen<'s, S> {
    pub fn new(src: &'s mut S) -> Self {
        Gen { src, fresh: 0, budget: 400 }
    }

    fn name(&mut self) -> String {
        self.fresh += 1;
        format!("c{}", self.fresh)
    }

    fn spend(&mut self, n: usize) -> bool {
        if self.budget < n {
            return false;
        }
        self.budget -= n;
        true
    }

    /// A whole query: optional `let` statements, then a tabular pipeline.
    pub fn query(&mut self) -> String {
        let mut out = String::new();
        let mut lets: Vec<(String, Schema)> = Vec::new();
        if self.src.chance(10) {
            let opt = *self.src.pick(&[
                "set query_bin_auto_size = 1h;\n",
                "set query_bin_auto_size = 10;\nset query_bin_auto_at = 5;\n",
                "set query_bin_auto_size = 0s;\n",
                "set notruncation;\n",
                "set query_now = datetime(2026-01-01);\n",
                "set nonsense_option = 1;\n",
            ]);
            out.push_str(opt);
        }
        for _ in 0..self.src.below(3) {
            match self.src.below(5) {
                0 => {
                    let n = self.name();
                    let ty = *self.src.pick(TYPES);
                    let v = self.literal(ty);
                    out.push_str(&format!("let {n} = {v};\n"));
                }
                1 => {
                    let n = self.name();
                    let (p, schema) = self.pipeline(2);
                    let p = if self.src.chance(30) { format!("materialize({p})") } else { p };
                    out.push_str(&format!("let {n} = {p};\n"));
                    lets.push((n, schema));
                }
                2 => {
                    let n = self.name();
                    let body = self.expr(Some(DataType::Long), &[("x".to_string(), DataType::Long)], 2);
                    out.push_str(&format!("let {n} = (x: long) {{ {body} }};\n"));
                    // Call it once so it is not unused.
                    let e = self.expr(Some(DataType::Long), &[], 1);
                    out.push_str(&format!("let {}_v = {n}({e});\n", n));
                }
                3 => {
                    let n = self.name();
                    let k = self.src.below(50);
                    out.push_str(&format!("let {n} = (T: (l: long), k: long) {{ T | where l > k | take {k} }};\n"));
                    lets.push((format!("T | invoke {n}({k})"), t_schema()));
                }
                _ => {
                    // Recursion (direct, mutual, tabular) is an error, never a stack overflow.
                    let n = self.name();
                    let m = self.name();
                    match self.src.below(4) {
                        0 => out.push_str(&format!("let {n} = (x: long) {{ {n}(x - 1) }};\nlet {n}_v = {n}(1);\n")),
                        1 => out.push_str(&format!("let {n} = (x: long) {{ {m}(x) }};\nlet {m} = (x: long) {{ {n}(x) }};\nlet {n}_v = {n}(1);\n")),
                        2 => {
                            out.push_str(&format!("let {n} = (T: (l: long)) {{ T | invoke {n}() }};\n"));
                            lets.push((format!("T | invoke {n}()"), t_schema()));
                        }
                        _ => out.push_str(&format!("let {n} = (x: long) {{ {n}(x - 1) }};\n")),
                    }
                }
            }
        }
        let (mut p, _) = self.pipeline(4);
        if !lets.is_empty() && self.src.chance(50) {
            let (src, _) = self.src.pick(&lets).clone();
            p = format!("{src} | count");
        }
        out.push_str(&p);
        out
    }

    fn source(&mut self, depth: usize) -> (String, Schema) {
        match self.src.below(10) {
            0..=3 => ("T".into(), t_schema()),
            4 => ("UrlClickEvents".into(), U_SCHEMA.iter().map(|(n, t)| (n.to_string(), *t)).collect()),
            5 => {
                let (from, to, step) = match self.src.below(6) {
                    0 => ("1".into(), "10".into(), "1".into()),
                    1 => ("-5".into(), "5".into(), "2".into()),
                    2 => ("datetime(2026-11-22)".into(), "datetime(2026-11-23)".into(), "1h".into()),
                    3 => ("10".into(), "1".into(), "-3".into()),
                    4 => (self.num_lit(), self.num_lit(), self.num_lit()),
                    _ => ("0".into(), self.src.pick(&["1000", "100000", "9223372036854775807", "10000000000"]).to_string(), "1".into()),
                };
                let ty = if from.starts_with("datetime") {
                    DataType::DateTime
                } else if from.contains('.') || from.contains('e') {
                    DataType::Real
                } else {
                    DataType::Long
                };
                (format!("range x from {from} to {to} step {step}"), vec![("x".into(), ty)])
            }
            6 => {
                let n = self.src.below(4) + 1;
                let cols: Vec<(String, DataType)> = (0..n).map(|_| (self.name(), *self.src.pick(TYPES))).collect();
                let rows = self.src.below(4);
                let mut vals = Vec::new();
                for _ in 0..rows {
                    for (_, ty) in &cols {
                        vals.push(self.literal(*ty));
                    }
                }
                let decl: Vec<String> = cols.iter().map(|(n, t)| format!("{n}: {}", t.name())).collect();
                (format!("datatable({}) [{}]", decl.join(", "), vals.join(", ")), cols)
            }
            7 => {
                let n = self.src.below(3) + 1;
                let mut parts = Vec::new();
                let mut cols = Vec::new();
                for _ in 0..n {
                    let name = self.name();
                    let ty = *self.src.pick(TYPES);
                    parts.push(format!("{name} = {}", self.expr(Some(ty), &[], 3)));
                    cols.push((name, ty));
                }
                (format!("print {}", parts.join(", ")), cols)
            }
            8 if depth > 0 => {
                let (a, s) = self.pipeline(depth - 1);
                let (b, _) = self.pipeline(depth - 1);
                (format!("union ({a}), ({b})"), s)
            }
            _ => ("T".into(), t_schema()),
        }
    }

    /// A tabular pipeline and (approximately) the columns it ends with.
    fn pipeline(&mut self, depth: usize) -> (String, Schema) {
        let (mut q, mut schema) = self.source(depth);
        let n = self.src.below(5);
        for _ in 0..n {
            if !self.spend(10) {
                break;
            }
            let (op, next) = self.operator(&schema, depth);
            q.push_str("\n| ");
            q.push_str(&op);
            schema = next;
        }
        (q, schema)
    }

    fn col_of(&mut self, schema: &[(String, DataType)], ty: Option<DataType>) -> Option<String> {
        let cands: Vec<&String> = schema.iter().filter(|(_, t)| ty.is_none_or(|w| *t == w)).map(|(n, _)| n).collect();
        if cands.is_empty() {
            None
        } else {
            Some(self.src.pick(&cands).to_string())
        }
    }

    fn any_col(&mut self, schema: &[(String, DataType)]) -> String {
        self.col_of(schema, None).unwrap_or_else(|| "x".into())
    }

    fn operator(&mut self, schema: &Schema, depth: usize) -> (String, Schema) {
        let s = schema.clone();
        match self.src.below(39) {
            0..=3 => (format!("where {}", self.expr(Some(DataType::Bool), schema, 3)), s),
            4..=6 => {
                let n = self.name();
                let ty = *self.src.pick(TYPES);
                let e = self.expr(Some(ty), schema, 3);
                let mut s = s;
                s.push((n.clone(), ty));
                (format!("extend {n} = {e}"), s)
            }
            7 => {
                let k = self.src.below(schema.len().max(1)) + 1;
                let cols: Vec<(String, DataType)> = (0..k).filter_map(|_| schema.get(self.src.below(schema.len().max(1))).cloned()).collect();
                let mut cols = cols;
                cols.dedup_by(|a, b| a.0 == b.0);
                if cols.is_empty() {
                    return ("take 1".into(), s);
                }
                (format!("project {}", cols.iter().map(|c| c.0.clone()).collect::<Vec<_>>().join(", ")), cols)
            }
            8..=10 => self.summarize(schema),
            11 => (format!("take {}", self.count_lit()), s),
            12 => {
                let c = self.any_col(schema);
                let dir = *self.src.pick(&["", " asc", " desc", " asc nulls first", " desc nulls last"]);
                (format!("top {} by {c}{dir}", self.count_lit()), s)
            }
            13 => {
                let c = self.any_col(schema);
                let c2 = self.any_col(schema);
                let dir = *self.src.pick(&["", " asc", " desc nulls first"]);
                (format!("sort by {c}{dir}, {c2}"), s)
            }
            14 => {
                let c = self.any_col(schema);
                let ty = schema.iter().find(|x| x.0 == c).map_or(DataType::Long, |x| x.1);
                (format!("distinct {c}"), vec![(c, ty)])
            }
            15 => ("count".into(), vec![("Count".into(), DataType::Long)]),
            16 if depth > 0 => {
                let kind = *self.src.pick(&[
                    "",
                    "kind=inner ",
                    "kind=innerunique ",
                    "kind=leftouter ",
                    "kind=rightouter ",
                    "kind=fullouter ",
                    "kind=leftanti ",
                    "kind=rightanti ",
                    "kind=leftsemi ",
                    "kind=rightsemi ",
                ]);
                let (r, rs) = self.pipeline(depth - 1);
                let common: Vec<&(String, DataType)> = schema.iter().filter(|c| rs.iter().any(|d| d.0 == c.0)).collect();
                let key = if let Some(c) = common.first() { c.0.clone() } else { format!("$left.{} == $right.{}", self.any_col(schema), self.any_col(&rs)) };
                let word = if self.src.chance(20) { "lookup" } else { "join" };
                let kind = if word == "lookup" { "" } else { kind };
                let mut out = s;
                for c in rs {
                    if !out.iter().any(|d| d.0 == c.0) {
                        out.push(c);
                    }
                }
                (format!("{word} {kind}({r}) on {key}"), out)
            }
            17 => {
                let c = self.col_of(schema, Some(DataType::Dynamic)).unwrap_or_else(|| "y".into());
                let extra = *self.src.pick(&["", " limit 2", " to typeof(long)", " to typeof(string)", " limit 0"]);
                let idx = if self.src.chance(30) { "with_itemindex=ix " } else { "" };
                let kind = if self.src.chance(20) { "kind=array " } else { "" };
                let mut s = s;
                if !idx.is_empty() {
                    s.push(("ix".into(), DataType::Long));
                }
                (format!("mv-expand {kind}{idx}{c}{extra}"), s)
            }
            18 => {
                let c = self.col_of(schema, Some(DataType::String)).unwrap_or_else(|| "s".into());
                let (p, added) = match self.src.below(4) {
                    0 => (format!("parse {c} with * \"@\" dom:string"), vec![("dom".to_string(), DataType::String)]),
                    1 => (
                        format!("parse kind=regex {c} with p1 @\"[.,]\" p2:long"),
                        vec![("p1".to_string(), DataType::String), ("p2".to_string(), DataType::Long)],
                    ),
                    2 => (format!("parse-where {c} with a1 \"=\" b1:int"), vec![("a1".to_string(), DataType::String), ("b1".to_string(), DataType::Int)]),
                    _ => (
                        format!("parse-kv {c} as (a: string, x: long) with (pair_delimiter=',', kv_delimiter='=')"),
                        vec![("a".to_string(), DataType::String), ("x".to_string(), DataType::Long)],
                    ),
                };
                let mut s = s;
                s.extend(added);
                (p, s)
            }
            19 => {
                let dt = self.col_of(schema, Some(DataType::DateTime));
                let num = self.col_of(schema, Some(DataType::Long)).or_else(|| self.col_of(schema, Some(DataType::Real)));
                let agg = match &num {
                    Some(n) => format!("{}({n})", self.src.pick(&["sum", "avg", "max", "min", "count_distinct", "stdev"])),
                    None => "count()".into(),
                };
                let by = if self.src.chance(50) { format!(" by {}", self.any_col(schema)) } else { String::new() };
                let default = if self.src.chance(30) { format!(" default = {}", self.num_lit()) } else { String::new() };
                let kind = if self.src.chance(20) { "kind=nonempty " } else { "" };
                let q = match dt {
                    Some(d) => {
                        let (from, to, step) = match self.src.below(5) {
                            0 => ("datetime(2026-11-20)", "datetime(2026-11-23)", "1h"),
                            1 => ("datetime(2026-11-20)", "datetime(2026-11-23)", "1tick"),
                            2 => ("datetime(0001-01-01)", "datetime(9999-12-31)", "1d"),
                            3 => ("datetime(2026-11-23)", "datetime(2026-11-20)", "1h"),
                            _ => ("datetime(2026-11-22)", "datetime(2026-11-22)", "-1h"),
                        };
                        if self.src.chance(30) {
                            format!("make-series {kind}m = {agg}{default} on {d} step {step}{by}")
                        } else {
                            format!("make-series {kind}m = {agg}{default} on {d} from {from} to {to} step {step}{by}")
                        }
                    }
                    None => {
                        let on = self.any_col(schema);
                        format!("make-series {kind}m = {agg}{default} on {on} from {} to {} step {}{by}", self.num_lit(), self.num_lit(), self.num_lit())
                    }
                };
                (q, vec![("m".into(), DataType::Dynamic)])
            }
            20 => {
                let c = self.col_of(schema, Some(DataType::Dynamic)).unwrap_or_else(|| "y".into());
                let sub = *self.src.pick(&[
                    "summarize n = count()",
                    "where isnotnull(v)",
                    "top 1 by tostring(v)",
                    "extend w = tostring(v)",
                    "take 0",
                    "summarize make_list(v)",
                ]);
                (format!("mv-apply v = {c} on ({sub})"), vec![])
            }
            21 => {
                let c = self.any_col(schema);
                let c2 = self.any_col(schema);
                (format!("top-nested {} of {c} by count(), top-nested {} of {c2} with others = -1 by n = count()", self.count_lit(), self.count_lit()), vec![])
            }
            22 => {
                let c = self.col_of(schema, Some(DataType::Dynamic)).unwrap_or_else(|| "y".into());
                let args = *self.src.pick(&["", ", \"p_\"", ", \"\", \"replace_source\"", ", \"\", \"keep_source\""]);
                (format!("evaluate bag_unpack({c}{args})"), vec![])
            }
            23 => {
                let c = self.any_col(schema);
                let agg = if self.src.chance(50) { format!(", {}", self.agg_call(schema)) } else { String::new() };
                (format!("evaluate pivot({c}{agg})"), vec![])
            }
            24 => {
                let n = self.name();
                let f = *self.src.pick(&["row_number()", "row_number(-5)", "prev(l)", "next(s, 2)", "prev(l, 100000, 0)", "row_cumsum(l)"]);
                let mut s = s;
                s.push((n.clone(), DataType::Long));
                (format!("serialize {n} = {f}"), s)
            }
            25 => ("getschema".into(), vec![("ColumnName".into(), DataType::String), ("ColumnOrdinal".into(), DataType::Int)]),
            26 => {
                let c = self.any_col(schema);
                let s2: Schema = s.iter().filter(|x| x.0 != c).cloned().collect();
                (format!("project-away {c}"), s2)
            }
            27 => {
                let c = self.any_col(schema);
                let n = self.name();
                let s2: Schema = s.iter().map(|x| if x.0 == c { (n.clone(), x.1) } else { x.clone() }).collect();
                (format!("project-rename {n} = {c}"), s2)
            }
            28 => {
                let term = self.string_lit();
                (format!("search {term}"), s)
            }
            29 => (format!("render {}", self.src.pick(&["timechart", "barchart", "piechart", "columnchart", "table", "scatterchart", "areachart"])), s),
            30 => ("as Tmp".into(), s),
            32 => {
                // scan with a running count and a second step referring to the first.
                let cond = self.expr(Some(DataType::Bool), schema, 2);
                let out = *self.src.pick(&["", " output=last", " output=none", " output=all"]);
                let mid = if self.src.chance(50) { "with_match_id=m " } else { "" };
                let mut s = s;
                s.push(("acc".into(), DataType::Long));
                if !mid.is_empty() {
                    s.push(("m".into(), DataType::Long));
                }
                (format!("scan {mid}declare (acc: long = 0) with (step s1{out}: {cond} => acc = s1.acc + 1; step s2: s1.acc > 2;)"), s)
            }
            33 => {
                let c = self.any_col(schema);
                let c2 = self.any_col(schema);
                (format!("partition hint.strategy=native by {c} (top {} by {c2})", self.count_lit()), s)
            }
            34 => {
                if self.src.chance(50) {
                    (format!("sample {}", self.count_lit()), s)
                } else {
                    let c = self.any_col(schema);
                    let s2: Schema = s.iter().filter(|x| x.0 == c).take(1).cloned().collect();
                    (format!("sample-distinct {} of {c}", self.count_lit()), s2)
                }
            }
            35 => ("as Tmp | union (Tmp | take 1)".into(), s),
            36 => {
                // A graph over two columns, read back as a table: edges, nodes with components,
                // or the matches of a pattern (fixed or variable length, any direction).
                let a = self.any_col(schema);
                let b = self.any_col(schema);
                let ty = schema.iter().find(|x| x.0 == a).map_or(DataType::Long, |x| x.1);
                let make = format!("make-graph {a} --> {b}");
                match self.src.below(4) {
                    0 => (format!("{make} | graph-to-table edges with_source_id=sid"), std::iter::once(("sid".into(), DataType::Long)).chain(s).collect()),
                    1 => (
                        format!("{make} with_node_id=id | graph-mark-components kind=strong | graph-to-table nodes"),
                        vec![("id".into(), ty), ("ComponentId".into(), DataType::Long)],
                    ),
                    2 => {
                        let cycles = *self.src.pick(&["", "cycles=none ", "cycles=all "]);
                        let edge = *self.src.pick(&["-[e*0..3]->", "<-[e*1..2]-", "-[e*1..2]-"]);
                        (
                            format!("{make} with_node_id=id | graph-match {cycles}(x){edge}(y) where any(e, true) project x.id, n = array_length(map(e, {a}))"),
                            vec![("x_id".into(), ty), ("n".into(), DataType::Long)],
                        )
                    }
                    _ => (
                        format!("{make} with_node_id=id | graph-shortest-paths (x)-[e*1..3]->(y) project x.id, y.id"),
                        vec![("x_id".into(), ty), ("y_id".into(), ty)],
                    ),
                }
            }
            37 => {
                // Names as strings, wildcards and arrays; an unknown name is skipped.
                let a = self.any_col(schema);
                let b = self.any_col(schema);
                let out: Schema = s.iter().filter(|x| x.0 == a || x.0 == b).cloned().collect();
                match self.src.below(3) {
                    0 => (format!("project-by-names \"{a}\", \"{b}\", \"nope\""), out),
                    1 => (format!("project-by-names dynamic([\"{a}\", \"{b}\"])"), out),
                    _ => ("project-by-names \"*\"".into(), s),
                }
            }
            38 => {
                // bin_auto reads its size and origin from `set` statements (query() may write them).
                let c = self.col_of(schema, Some(DataType::Long)).or_else(|| self.col_of(schema, Some(DataType::DateTime)));
                match c {
                    Some(c) => {
                        let ty = s.iter().find(|x| x.0 == c).map_or(DataType::Long, |x| x.1);
                        (format!("summarize n = count() by b = bin_auto({c})"), vec![("b".into(), ty), ("n".into(), DataType::Long)])
                    }
                    None => ("take 3".into(), s),
                }
            }
            _ => {
                let c = self.any_col(schema);
                (format!("project-reorder {c} desc"), s)
            }
        }
    }

    fn agg_call(&mut self, schema: &[(String, DataType)]) -> String {
        let f = *self.src.pick(AggFn::ALL);
        let (min, max) = f.arity();
        let n = min + self.src.below(max.saturating_sub(min) + 1);
        let args: Vec<String> = (0..n)
            .map(|i| {
                if i == 0 && f.name().ends_with("if") && f.name() != "countif" {
                    self.expr(None, schema, 2)
                } else if i == n - 1 && (f.name().ends_with("if")) {
                    self.expr(Some(DataType::Bool), schema, 2)
                } else if f.name().starts_with("percentile") && i > 0 {
                    self.num_lit()
                } else if f.name().starts_with("make_") && i == n - 1 && i > 0 {
                    self.count_lit()
                } else if self.src.chance(70) {
                    self.any_col(schema)
                } else {
                    self.expr(None, schema, 2)
                }
            })
            .collect();
        let args = if f.name() == "arg_max" || f.name() == "arg_min" {
            format!("{}, *", args.first().cloned().unwrap_or_else(|| "l".into()))
        } else {
            args.join(", ")
        };
        format!("{}({args})", f.name())
    }

    fn summarize(&mut self, schema: &Schema) -> (String, Schema) {
        let mut out = Vec::new();
        let mut parts = Vec::new();
        for _ in 0..self.src.below(3) + 1 {
            let n = self.name();
            let call = self.agg_call(schema);
            parts.push(format!("{n} = {call}"));
            out.push((n, DataType::Dynamic));
        }
        let mut by = Vec::new();
        for _ in 0..self.src.below(3) {
            if self.src.chance(30) {
                let dt = self.col_of(schema, Some(DataType::DateTime)).unwrap_or_else(|| "d".into());
                let bin = *self.src.pick(&["1h", "1d", "1tick", "0s", "-1h", "36500d"]);
                let n = self.name();
                by.push(format!("{n} = bin({dt}, {bin})"));
                out.push((n, DataType::DateTime));
            } else {
                let c = self.any_col(schema);
                if let Some(t) = schema.iter().find(|x| x.0 == c) {
                    out.push(t.clone());
                }
                by.push(c);
            }
        }
        let by = if by.is_empty() { String::new() } else { format!(" by {}", by.join(", ")) };
        (format!("summarize {}{by}", parts.join(", ")), out)
    }

    /// A scalar expression, preferably of type `want`.
    pub fn expr(&mut self, want: Option<DataType>, schema: &[(String, DataType)], depth: usize) -> String {
        if depth == 0 || !self.spend(1) || self.src.chance(25) {
            return self.leaf(want, schema);
        }
        let d = depth - 1;
        let ty = want.unwrap_or_else(|| *self.src.pick(TYPES));
        match self.src.below(14) {
            0..=3 => self.call(ty, schema, d),
            4 => {
                let a = self.expr(Some(ty), schema, d);
                format!("({a})")
            }
            5 => {
                let c = self.expr(Some(DataType::Bool), schema, d);
                let a = self.expr(Some(ty), schema, d);
                let b = self.expr(Some(ty), schema, d);
                format!("iff({c}, {a}, {b})")
            }
            6 => {
                let c = self.expr(Some(DataType::Dynamic), schema, d);
                let acc = match self.src.below(4) {
                    0 => ".a".to_string(),
                    1 => format!("[{}]", self.num_lit()),
                    2 => "[\"b\"][-1]".into(),
                    _ => ".c.d".into(),
                };
                match ty {
                    DataType::Dynamic => format!("{c}{acc}"),
                    _ => format!("to{}({c}{acc})", if ty == DataType::Real { "real" } else { ty.name() }),
                }
            }
            _ => match ty {
                DataType::Bool => self.predicate(schema, d),
                DataType::Long | DataType::Int | DataType::Real => {
                    let op = *self.src.pick(&["+", "-", "*", "/", "%"]);
                    let a = self.expr(Some(ty), schema, d);
                    let b = self.expr(Some(ty), schema, d);
                    if self.src.chance(10) {
                        format!("-{a}")
                    } else {
                        format!("{a} {op} {b}")
                    }
                }
                DataType::DateTime => {
                    let a = self.expr(Some(DataType::DateTime), schema, d);
                    if self.src.chance(15) {
                        // Time zones: known, unknown, and a date before a zone's rule starts.
                        let f = self.src.pick(&["datetime_utc_to_local", "datetime_local_to_utc"]);
                        let z = self.src.pick(&["\"Europe/Paris\"", "\"US/Pacific\"", "\"UTC\"", "\"Mars/Olympus\"", "\"\""]);
                        return format!("{f}({a}, {z})");
                    }
                    let b = self.expr(Some(DataType::TimeSpan), schema, d);
                    format!("{a} {} {b}", self.src.pick(&["+", "-"]))
                }
                DataType::TimeSpan => {
                    if self.src.chance(50) {
                        let a = self.expr(Some(DataType::DateTime), schema, d);
                        let b = self.expr(Some(DataType::DateTime), schema, d);
                        format!("{a} - {b}")
                    } else {
                        let a = self.expr(Some(DataType::TimeSpan), schema, d);
                        let b = self.expr(Some(DataType::Long), schema, d);
                        format!("{a} {} {b}", self.src.pick(&["*", "/", "+"]))
                    }
                }
                DataType::String => {
                    let a = self.expr(Some(DataType::String), schema, d);
                    let b = self.expr(None, schema, d);
                    format!("strcat({a}, {b})")
                }
                _ => self.call(ty, schema, d),
            },
        }
    }

    fn predicate(&mut self, schema: &[(String, DataType)], d: usize) -> String {
        match self.src.below(8) {
            0 => {
                let ty = *self.src.pick(TYPES);
                let a = self.expr(Some(ty), schema, d);
                let b = self.expr(Some(ty), schema, d);
                format!("{a} {} {b}", self.src.pick(&["==", "!=", "<", "<=", ">", ">=", "=~", "!~", "<>"]))
            }
            1 => {
                let a = self.expr(Some(DataType::String), schema, d);
                let b = self.expr(Some(DataType::String), schema, d);
                let op = *self.src.pick(&[
                    "contains",
                    "!contains",
                    "contains_cs",
                    "has",
                    "!has",
                    "has_cs",
                    "hasprefix",
                    "hassuffix",
                    "startswith",
                    "endswith",
                    "!startswith",
                    "endswith_cs",
                    "matches regex",
                    "like",
                ]);
                format!("{a} {op} {b}")
            }
            2 => {
                let a = self.expr(Some(DataType::Bool), schema, d);
                let b = self.expr(Some(DataType::Bool), schema, d);
                format!("({a}) {} ({b})", self.src.pick(&["and", "or"]))
            }
            3 => {
                let ty = *self.src.pick(TYPES);
                let a = self.expr(Some(ty), schema, d);
                let n = self.src.below(4);
                let items: Vec<String> = (0..n).map(|_| self.literal(ty)).collect();
                format!("{a} {} ({})", self.src.pick(&["in", "!in", "in~", "!in~", "has_any", "has_all"]), items.join(", "))
            }
            4 => {
                let ty = *self.src.pick(&[DataType::Long, DataType::Real, DataType::DateTime]);
                let a = self.expr(Some(ty), schema, d);
                let lo = self.literal(ty);
                let hi = self.literal(ty);
                format!("{a} {}between ({lo} .. {hi})", if self.src.chance(30) { "!" } else { "" })
            }
            5 => {
                let a = self.expr(None, schema, d);
                format!("{}({a})", self.src.pick(&["isnull", "isnotnull", "isempty", "isnotempty", "not"]))
            }
            6 => {
                let c = self.any_col(schema);
                format!("{c} in (T | project {c})")
            }
            _ => self.leaf(Some(DataType::Bool), schema),
        }
    }

    /// A function call: a random registered function with a valid number of arguments.
    fn call(&mut self, ty: DataType, schema: &[(String, DataType)], d: usize) -> String {
        let f = *self.src.pick(Func::ALL);
        let (min, max) = f.arity();
        let max = max.min(min + 3);
        let n = min + self.src.below(max - min + 1);
        let args: Vec<String> = (0..n)
            .map(|i| {
                let t = if i == 0 && self.src.chance(40) { ty } else { *self.src.pick(TYPES) };
                self.expr(Some(t), schema, d)
            })
            .collect();
        match f.name() {
            "toscalar" => format!("toscalar(T | summarize {})", self.agg_call(&t_schema())),
            "materialize" => "toscalar(materialize(T | count))".into(),
            "column_ifexists" => format!("column_ifexists(\"{}\", {})", self.any_col(schema), self.literal(ty)),
            name => format!("{name}({})", args.join(", ")),
        }
    }

    fn leaf(&mut self, want: Option<DataType>, schema: &[(String, DataType)]) -> String {
        if self.src.chance(55) {
            if let Some(c) = self.col_of(schema, want) {
                return c;
            }
        }
        let ty = want.unwrap_or_else(|| *self.src.pick(TYPES));
        self.literal(ty)
    }

    fn count_lit(&mut self) -> String {
        self.src.pick(&["0", "1", "3", "10", "-1", "1000000", "9223372036854775807", "long(null)", "2147483648", "1.5"]).to_string()
    }

    fn num_lit(&mut self) -> String {
        self.src
            .pick(&[
                "0",
                "1",
                "-1",
                "2",
                "7",
                "100",
                "0.5",
                "-0.0",
                "1e308",
                "-1e308",
                "5e-324",
                "9223372036854775807",
                "-9223372036854775808",
                "4294967296",
                "real(nan)",
                "real(+inf)",
                "real(-inf)",
                "long(null)",
                "int(null)",
                "real(null)",
                "1e20",
                "0x7fffffffffffffff",
                "3.14159",
            ])
            .to_string()
    }

    pub fn string_lit(&mut self) -> String {
        match self.src.below(12) {
            0 => "\"\"".into(),
            1 => "\"contoso\"".into(),
            2 => "'a,b;c=d'".into(),
            3 => "@\"C:\\path\\x\"".into(),
            4 => "\"\\u00e9\\n\\t\\\"\\\\\"".into(),
            5 => "\"Ünïcødé 😀 ∑ \u{200b}\"".into(),
            6 => format!("\"{}\"", "x".repeat(self.src.pick(&[100usize, 1000, 5000]).to_owned())),
            7 => "\"(a+)+$\"".into(),
            8 => "\"[\"".into(),
            9 => "\"%\"".into(),
            10 => "h\"secret\"".into(),
            _ => "\"@\"".into(),
        }
    }

    /// A literal of type `ty`, often an edge value.
    pub fn literal(&mut self, ty: DataType) -> String {
        if self.src.chance(8) {
            return format!("{}(null)", ty.name());
        }
        match ty {
            DataType::Bool => self.src.pick(&["true", "false", "bool(null)", "bool(1)"]).to_string(),
            DataType::Int => self.src.pick(&["int(0)", "int(-1)", "int(2147483647)", "int(-2147483648)", "int(7)"]).to_string(),
            DataType::Long => self.num_lit(),
            DataType::Real => self.src.pick(&["1.5", "real(nan)", "real(+inf)", "real(-inf)", "1e308", "-0.0", "5e-324", "0.1", "real(1)"]).to_string(),
            DataType::String => self.string_lit(),
            DataType::DateTime => self
                .src
                .pick(&[
                    "datetime(2026-11-22)",
                    "datetime(2026-11-22 11:30:00.1234567)",
                    "datetime(0001-01-01)",
                    "datetime(9999-12-31 23:59:59.9999999)",
                    "datetime(1970-01-01)",
                    "now()",
                    "ago(7d)",
                    "datetime(2024-02-29)",
                    "datetime(null)",
                    "datetime(2025, 6, 14)",
                    "datetime(2017 - 08 - 01)",
                ])
                .to_string(),
            DataType::TimeSpan => self
                .src
                .pick(&["1h", "0s", "-1d", "1tick", "10675199d", "-10675199d", "1.5s", "timespan(1.02:03:04.5)", "30m", "1ms", "time(null)"])
                .to_string(),
            DataType::Guid => self.src.pick(&["guid(00000000-0000-0000-0000-000000000001)", "guid(ffffffff-ffff-ffff-ffff-ffffffffffff)"]).to_string(),
            DataType::Dynamic => match self.src.below(10) {
                0 => "dynamic(null)".into(),
                1 => "dynamic([])".into(),
                2 => "dynamic({})".into(),
                3 => "dynamic([1, 2, 3])".into(),
                4 => "dynamic({\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 1.5}})".into(),
                5 => {
                    let n = *self.src.pick(&[5usize, 30, 100]);
                    format!("dynamic({}1{})", "[".repeat(n), "]".repeat(n))
                }
                6 => "dynamic([9223372036854775807, -9223372036854775808, 1e308, \"\"])".into(),
                7 => "pack_array(1, \"a\", 2.5)".into(),
                // KQL literals inside a dynamic literal (the dynamic-type page), a comment and
                // a no-break space between the parts.
                8 => "dynamic({'a': @'C:\\x', \"b\": [datetime(2026-01-01), 1h, guid(00000000-0000-0000-0000-000000000001), real(nan)], // c\n \u{a0}\"c\": dynamic([-1, long(2)])})".into(),
                _ => "bag_pack(\"k\", 1, \"k\", 2)".into(),
            },
        }
    }
}

fn t_schema() -> Schema {
    T_SCHEMA.iter().map(|(n, t)| (n.to_string(), *t)).collect()
}

/// Words and symbols the token-level mutator inserts: operators, keywords, punctuation,
/// edge literals, function names.
pub fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = [
        "|",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ";",
        "=",
        "==",
        "!=",
        "=~",
        "..",
        ".",
        ":",
        "*",
        "-",
        "+",
        "/",
        "%",
        "<",
        ">",
        "!",
        "@",
        "$left",
        "$right",
        "where",
        "project",
        "extend",
        "summarize",
        "by",
        "take",
        "top",
        "sort",
        "order",
        "asc",
        "desc",
        "nulls",
        "first",
        "last",
        "join",
        "kind",
        "on",
        "union",
        "mv-expand",
        "mv-apply",
        "make-series",
        "from",
        "to",
        "step",
        "range",
        "print",
        "datatable",
        "let",
        "materialize",
        "toscalar",
        "evaluate",
        "bag_unpack",
        "pivot",
        "parse",
        "parse-kv",
        "with",
        "search",
        "in",
        "!in",
        "has",
        "contains",
        "between",
        "and",
        "or",
        "not",
        "render",
        "timechart",
        "dynamic",
        "typeof",
        "count",
        "distinct",
        "top-nested",
        "scan",
        "declare",
        "step",
        "with_match_id",
        "output",
        "=>",
        "partition",
        "sample",
        "sample-distinct",
        "mvexpand",
        "of",
        "others",
        "invoke",
        "serialize",
        "as",
        "getschema",
        "project-away",
        "project-rename",
        "project-reorder",
        "lookup",
        "limit",
        "default",
        "with_itemindex",
        "T",
        "UrlClickEvents",
        "l",
        "s",
        "y",
        "d",
        "x",
        "0",
        "1",
        "-1",
        "9223372036854775807",
        "99999999999999999999999",
        "1e308",
        "1e-400",
        "0x",
        "0xffffffffffffffffff",
        "real(nan)",
        "\"\"",
        "\"x\"",
        "\"\\u00A0\"",
        "\"\\uD83D\\uDE00\"",
        "\"\\uD800\"",
        "\"\\u12\"",
        "dynamic([datetime(2026-01-01), 1h, @'x'])",
        "dynamic({'k': dynamic([1])})",
        "find ",
        "find withsource=S in (T) where ",
        "make-graph ",
        " --> ",
        " with_node_id=",
        " partitioned-by ",
        "graph-match ",
        "graph-shortest-paths ",
        "graph-to-table ",
        "graph-mark-components ",
        "(a)-[e*1..3]->(b)",
        "<--",
        "-[*0..2]-",
        "cycles=none ",
        "inner_nodes(",
        "node_degree_in(",
        " project-smart",
        " project a, b: long, pack_all()",
        "declare query_parameters(",
        "declare query_parameters(p: long = 1, q: string);",
        "declare pattern app = (name: string) { (\"a\") = { print 1 }; };",
        "declare pattern ",
        "project-by-names ",
        "set query_bin_auto_size = 1h;",
        "bin_auto(",
        "evaluate sliding_window_counts(",
        "evaluate active_users_count(",
        "evaluate activity_counts_metrics(",
        "evaluate rolling_percentile(",
        "evaluate dcount_intersect(",
        "evaluate schema_merge()",
        "evaluate rows_near(",
        "evaluate ipv6_lookup(",
        "estimate_data_size(*)",
        "hll_merge(",
        "union isfuzzy=true V*",
        "f(x = 1)",
        "parse-kv",
        "with (quote='\"', escape='\\\\')",
        "'",
        "\"",
        "@\"",
        "h'",
        "```",
        "//",
        "/*",
        "datetime(",
        "datetime(9999-12-31)",
        "timespan(",
        "guid(",
        "1h",
        "1tick",
        "10675199d",
        "99999999999d",
        "\u{0}",
        "\u{feff}",
        "😀",
        "é",
        "\\",
        "\n",
        "\t",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(Func::ALL.iter().map(|f| f.name().to_string()));
    v.extend(AggFn::ALL.iter().map(|f| f.name().to_string()));
    v
}

/// Splits a query into rough tokens (words, numbers, quoted strings, symbols, spaces) for
/// the token-level mutator. Lossless: the pieces concatenate to the input.
pub fn rough_tokens(q: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = q.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-' || b[i] >= 0x80) {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
        } else if c.is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
        } else {
            i += 1;
        }
        while !q.is_char_boundary(i) {
            i += 1;
        }
        out.push(&q[start..i]);
    }
    out
}

/// One random mutation of a query: token insert/delete/duplicate/swap/replace, splicing in
/// part of another query, nesting, or a byte-level edit (kept valid UTF-8).
pub fn mutate<S: Src>(src: &mut S, q: &str, other: &str, vocab: &[String]) -> String {
    let toks = rough_tokens(q);
    let mut toks: Vec<String> = toks.into_iter().map(str::to_string).collect();
    let n_mut = 1 + src.below(4);
    for _ in 0..n_mut {
        let len = toks.len();
        match src.below(10) {
            0 if len > 0 => {
                toks.remove(src.below(len));
            }
            1 => {
                let w = src.pick(vocab).clone();
                toks.insert(src.below(len + 1), format!(" {w} "));
            }
            2 if len > 0 => {
                let i = src.below(len);
                let t = toks[i].clone();
                toks.insert(i, t);
            }
            3 if len > 1 => {
                let (i, j) = (src.below(len), src.below(len));
                toks.swap(i, j);
            }
            4 if len > 0 => {
                let i = src.below(len);
                toks[i] = src.pick(vocab).clone();
            }
            5 => {
                let o = rough_tokens(other);
                if !o.is_empty() {
                    let a = src.below(o.len());
                    let b = (a + 1 + src.below(8)).min(o.len());
                    let at = src.below(len + 1);
                    toks.insert(at, o[a..b].concat());
                }
            }
            6 if len > 0 => {
                // Deep nesting around a token.
                let i = src.below(len);
                let k = *src.pick(&[3usize, 50, 200, 2000]);
                let (open, close) = *src.pick(&[("(", ")"), ("[", "]"), ("-", ""), ("not(", ")"), ("strlen(", ")"), ("dynamic([", "])")]);
                toks[i] = format!("{}{}{}", open.repeat(k), toks[i], close.repeat(k));
            }
            7 if len > 0 => {
                // A huge number or a long string in place of a token.
                let i = src.below(len);
                toks[i] = match src.below(4) {
                    0 => "9".repeat(src.below(400) + 1),
                    1 => format!("\"{}\"", "ab".repeat(src.below(20000))),
                    2 => format!("{}e{}", "1".repeat(30), src.below(1000)),
                    _ => format!("datetime({})", src.pick(&["99999-01-01", "2026-13-40", "0000-00-00", "-1", "2026-11-22T25:61:61.99999999999Z"])),
                };
            }
            8 => {
                // Byte-level edit, then repair to UTF-8.
                let mut bytes = toks.concat().into_bytes();
                if !bytes.is_empty() {
                    let i = src.below(bytes.len());
                    match src.below(3) {
                        0 => bytes[i] = src.byte(),
                        1 => {
                            bytes.remove(i);
                        }
                        _ => bytes.insert(i, src.byte()),
                    }
                }
                let s = String::from_utf8_lossy(&bytes).into_owned();
                toks = rough_tokens(&s).into_iter().map(str::to_string).collect();
            }
            _ => {
                // Append a pipe step from the vocabulary.
                let w = src.pick(vocab).clone();
                toks.push(format!(" | {w} "));
            }
        }
    }
    toks.concat()
}

/// Fragments the text mutator inserts into TOML, CSV and JSON inputs.
pub const TEXT_PIECES: &[&str] = &[
    "\u{0}",
    "\r\n",
    "\n",
    "\r",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    ",",
    ";",
    "=",
    ":",
    "[",
    "]",
    "{",
    "}",
    "[[steps]]",
    "[dataset]",
    "[steps.check]",
    "[steps.question]",
    "\\",
    "\\u0000",
    "\\uD800",
    "\\ud83d\\ude00",
    "\u{feff}",
    "😀",
    "é",
    "\u{202e}",
    "null",
    "true",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "-0",
    "9223372036854775808",
    "-9223372036854775809",
    "0x10",
    "1979-05-27T07:32:00Z",
    "2026-11-22T12:00:00Z",
    "#",
    "id = \"x\"",
    "solution = \"print 1\"",
    "rows = 0",
    "rows = 99999999999",
    "tolerance = -1",
    "columns = \"positions\"",
    "order = true",
    ":long",
    ":datetime",
    ":dynamic",
    ":bool",
    ":guid",
    ":timespan",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "https://evil.example/x.csv",
    "version",
    "lessons",
    "steps",
    "query",
    "playground",
    "lesson=",
    "&step=",
    "&q=",
    "#",
    "%00",
    "%ZZ",
];

/// One random mutation of a non-KQL text (TOML, CSV, JSON, a URL fragment): byte edits,
/// inserted fragments, duplicated or deleted lines, splices from another input, deep nesting.
pub fn mutate_text<S: Src>(src: &mut S, text: &str, other: &str) -> String {
    let mut t = text.to_string();
    for _ in 0..1 + src.below(4) {
        let at = |src: &mut S, t: &str| {
            let mut i = src.below(t.len() + 1);
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        match src.below(9) {
            0 => {
                let i = at(src, &t);
                let p = *src.pick(TEXT_PIECES);
                t.insert_str(i, p);
            }
            1 if !t.is_empty() => {
                let i = at(src, &t);
                let j = at(src, &t);
                let (a, b) = (i.min(j), i.max(j));
                if b - a < 200 {
                    t.replace_range(a..b, "");
                }
            }
            2 => {
                let lines: Vec<&str> = t.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = src.below(lines.len());
                    let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                    match src.below(3) {
                        0 => {
                            v.remove(i);
                        }
                        1 => v.insert(i, lines[i].to_string()),
                        _ => {
                            let j = src.below(lines.len());
                            v.swap(i, j);
                        }
                    }
                    t = v.concat();
                }
            }
            3 => {
                let lines: Vec<&str> = other.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let l = lines[src.below(lines.len())];
                    let i = at(src, &t);
                    t.insert_str(i, l);
                }
            }
            4 => {
                let i = at(src, &t);
                let k = *src.pick(&[10usize, 100, 1000, 100_000]);
                let (o, c) = *src.pick(&[("[", "]"), ("{", "}"), ("{\"a\":", "}"), ("a = [", "]"), ("x = {", "}")]);
                t.insert_str(i, &format!("{}{}", o.repeat(k), c.repeat(k)));
            }
            5 => {
                let i = at(src, &t);
                let k = *src.pick(&[100usize, 5000, 200_000]);
                let piece = *src.pick(&["x", ",", "a,", "\"", "\n", "9"]);
                t.insert_str(i, &piece.repeat(k));
            }
            6 => {
                let mut bytes = t.into_bytes();
                if !bytes.is_empty() {
                    let i = src.below(bytes.len());
                    bytes[i] = src.byte();
                }
                t = String::from_utf8_lossy(&bytes).into_owned();
            }
            7 => {
                // Truncate.
                let i = at(src, &t);
                t.truncate(i);
            }
            _ => {
                let i = at(src, &t);
                let c = src.pick(&["\u{0}", "\u{7f}", "\u{ffff}", "\u{10ffff}", "\u{fffd}"]).to_string();
                t.insert_str(i, &c);
            }
        }
    }
    t
}
