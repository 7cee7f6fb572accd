"""A seeded generator of KQL queries over the generated UrlClickEvents / EmailEvents tables.

Queries are pipelines of the shapes hunting queries use: filters (comparisons, string
predicates, `in`, `between`, emptiness, and/or/not), `extend` with arithmetic, string and
datetime functions, then one of: rows (project / project-away, optionally sorted, `top`,
`sort | take`), `summarize` (count, dcount, sum, min, max, avg, countif, sumif, dcountif,
make_set; by zero to two keys among categorical columns, `bin(Timestamp, ...)` and derived
values), `distinct`, or `count`.

Literals are drawn from the data itself (values, substrings, terms, timestamps inside the
data's range) so that filters select something. The same (seed, data) gives the same
queries: every choice goes through one `random.Random(seed)`, and every pool drawn from is
sorted. The generator stays inside what ClickHouse's KQL dialect implements, so most
queries are comparable; it never uses a construct whose result is legitimately
nondeterministic (take without sort before an aggregation, arg_max ties, take_any).
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ColProfile:
    name: str
    ty: str
    values: list = field(default_factory=list)  # sorted distinct values (strings as text)
    tokens: list = field(default_factory=list)  # for strings: alphanumeric terms, sorted
    categorical: bool = False


@dataclass
class TableProfile:
    name: str
    columns: list[ColProfile]

    def col(self, name):
        return next(c for c in self.columns if c.name == name)


def profile_csv(name: str, path: Path) -> TableProfile:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    cols = []
    for i, cell in enumerate(header):
        n, _, ty = cell.partition(":")
        vals = sorted({row[i] for row in rows})
        p = ColProfile(n, ty or "string", vals)
        if p.ty == "string":
            p.categorical = 1 < len(vals) <= 40
            toks = set()
            for v in vals[:2000]:
                toks.update(t for t in re.findall(r"[A-Za-z0-9]+", v) if len(t) >= 2)
            p.tokens = sorted(toks)
        elif p.ty in ("int", "long"):
            p.values = sorted({int(v) for v in vals if v != ""})
            p.categorical = len(p.values) <= 12
        elif p.ty == "bool":
            p.categorical = True
        cols.append(p)
    return TableProfile(name, cols)


SPANS = ["15m", "30m", "1h", "2h", "6h", "12h", "1d"]
# Columns that are per-row identifiers or constants: poor keys, fine for filters.
SKIP_KEYS = {"ReportId", "NetworkMessageId", "InternetMessageId", "SourceId", "TenantId", "Type"}


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class QueryGen:
    def __init__(self, tables: list[TableProfile], seed: int, clock_ns: int):
        self.tables = tables
        self.r = random.Random(seed)
        self.clock_ns = clock_ns
        self.n = 0

    # -- helpers ------------------------------------------------------------------------
    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def wpick(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.r.random() * total
        for v, w in pairs:
            x -= w
            if x < 0:
                return v
        return pairs[-1][0]

    def chance(self, p):
        return self.r.random() < p

    def case_mangle(self, s):
        m = self.r.randrange(4)
        if m == 0:
            return s.upper()
        if m == 1:
            return s.lower()
        if m == 2:
            return "".join(c.upper() if self.r.random() < 0.5 else c.lower() for c in s)
        return s

    def safe_values(self, p: ColProfile):
        vs = [v for v in p.values if '"' not in v and "\\" not in v]
        return vs or [""]

    def dt_literal(self, ns: int) -> str:
        import datetime as dt

        t = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=ns // 1000)
        form = self.r.randrange(4)
        if form == 0:
            return f"datetime({t:%Y-%m-%dT%H:%M:%SZ})"
        if form == 1:
            return f"datetime({t:%Y-%m-%d %H:%M})"
        if form == 2:
            return f"datetime({t:%Y-%m-%d})"
        return f"datetime({t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z)"

    def dt_ns_in(self, p: ColProfile) -> int:
        from compare import parse_datetime_ns

        v = self.pick(p.values)
        ns = parse_datetime_ns(v)
        # round to a minute, or an hour, sometimes exactly a data value
        unit = self.pick([1, 60_000_000_000, 3_600_000_000_000, 86_400_000_000_000])
        return ns - ns % unit

    # -- predicates ---------------------------------------------------------------------
    def pred(self, table: TableProfile, cols, depth=0) -> str:
        if depth < 2 and self.chance(0.3):
            a = self.pred(table, cols, depth + 1)
            b = self.pred(table, cols, depth + 1)
            form = self.wpick([("and", 4), ("or", 4), ("notand", 1), ("paren", 1)])
            if form == "and":
                return f"{a} and {b}"
            if form == "or":
                return f"({a} or {b})" if depth else f"{a} or {b}"
            if form == "notand":
                return f"not({a} and {b})"
            c = self.pred(table, cols, depth + 1)
            return f"({a} or {b}) and {c}"
        name, ty = self.pick(cols)
        prof = next((c for c in table.columns if c.name == name), None)
        if ty == "string":
            return self.str_pred(name, prof)
        if ty in ("int", "long", "real"):
            return self.num_pred(name, ty, prof)
        if ty == "datetime":
            return self.dt_pred(name, prof)
        if ty == "bool":
            return self.pick([name, f"not({name})", f"{name} == true", f"{name} == false", f"{name} != true"])
        if ty == "timespan":
            return f"{name} {self.pick(['<', '>', '>='])} {self.pick(['1h', '1d', '30m', '3d'])}"
        return "true"

    def str_pred(self, name, prof: ColProfile | None) -> str:
        if prof is None:  # a derived string column: no data profile
            op = self.pick(["isempty", "isnotempty", "==", "contains", "startswith"])
            if op in ("isempty", "isnotempty"):
                return f"{op}({name})"
            return f"{name} {op} {_lit(self.pick(['a', 'e', 'contoso', 'http', '-', 'Phish']))}"
        vals = self.safe_values(prof)
        op = self.wpick([
            ("==", 6), ("!=", 3), ("=~", 3), ("!~", 1), ("contains", 6), ("!contains", 2), ("contains_cs", 2),
            ("has", 6), ("!has", 2), ("has_cs", 2), ("startswith", 3), ("!startswith", 1), ("endswith", 3),
            ("!endswith", 1), ("in", 4), ("!in", 2), ("in~", 2), ("!in~", 1), ("isempty", 2), ("isnotempty", 3),
            ("hasprefix", 1), ("matches regex", 1),
        ])
        v = self.pick(vals)
        if op in ("isempty", "isnotempty"):
            return f"{op}({name})"
        if op in ("==", "!="):
            return f"{name} {op} {_lit(v)}"
        if op in ("=~", "!~"):
            return f"{name} {op} {_lit(self.case_mangle(v))}"
        if op in ("in", "!in", "in~", "!in~"):
            k = self.r.randint(1, 4)
            items = sorted({self.pick(vals) for _ in range(k)})
            if op.endswith("~"):
                items = [self.case_mangle(x) for x in items]
            if self.chance(0.15):
                items.append("no-such-value")
            return f"{name} {op} ({', '.join(_lit(x) for x in items)})"
        if op in ("has", "!has", "has_cs", "hasprefix"):
            if prof.tokens and self.chance(0.8):
                t = self.pick(prof.tokens)
                if op == "hasprefix" or self.chance(0.15):
                    t = t[: max(1, len(t) // 2)]  # a partial term
            else:
                t = self.substring(v)
            if op != "has_cs":
                t = self.case_mangle(t) if self.chance(0.5) else t
            return f"{name} {op} {_lit(t)}"
        if op == "matches regex":
            t = re.escape(self.substring(v) or "a")
            t = t.replace("\\", "\\\\").replace('"', '\\"')
            return f'{name} matches regex "{t}"'
        # substring predicates
        if op in ("startswith", "!startswith"):
            t = v[: self.r.randint(1, max(1, len(v)))]
        elif op in ("endswith", "!endswith"):
            t = v[-self.r.randint(1, max(1, len(v))):] if v else ""
        else:
            t = self.substring(v)
        if not op.endswith("_cs") and self.chance(0.5):
            t = self.case_mangle(t)
        return f"{name} {op} {_lit(t)}"

    def substring(self, v: str) -> str:
        if not v:
            return "a"
        i = self.r.randrange(len(v))
        j = min(len(v), i + self.r.randint(1, 12))
        return v[i:j]

    def num_pred(self, name, ty, prof: ColProfile | None) -> str:
        if prof is not None and prof.values:
            v = self.pick(prof.values)
            w = self.pick(prof.values)
        else:
            v, w = self.r.randint(-2, 30), self.r.randint(-2, 60)
        lo, hi = min(v, w), max(v, w)
        op = self.wpick([("==", 3), ("!=", 2), ("<", 3), ("<=", 2), (">", 3), (">=", 2), ("between", 2),
                         ("!between", 1), ("in", 2)])
        if op == "between" or op == "!between":
            return f"{name} {op} ({lo} .. {hi})"
        if op == "in":
            items = sorted({self.pick(prof.values) if prof and prof.values else self.r.randint(0, 9) for _ in range(3)})
            return f"{name} in ({', '.join(str(x) for x in items)})"
        return f"{name} {op} {v}"

    def dt_pred(self, name, prof: ColProfile | None) -> str:
        if prof is None:
            ns = self.clock_ns - self.r.randint(0, 10) * 86_400_000_000_000
        else:
            ns = self.dt_ns_in(prof)
        form = self.wpick([("cmp", 5), ("between", 2), ("ago", 3), ("arith", 1)])
        if form == "cmp":
            return f"{name} {self.pick(['<', '<=', '>', '>='])} {self.dt_literal(ns)}"
        if form == "between":
            ns2 = ns + self.r.randint(1, 72) * 3_600_000_000_000
            return f"{name} between ({self.dt_literal(ns)} .. {self.dt_literal(ns2)})"
        if form == "ago":
            return f"{name} {self.pick(['>', '>=', '<'])} ago({self.pick(['1h', '6h', '1d', '2d', '3d', '7d', '12h'])})"
        return f"{name} - {self.pick(['1h', '1d', '30m'])} > {self.dt_literal(ns)}"

    # -- extend -------------------------------------------------------------------------
    def expr(self, table: TableProfile, cols) -> tuple[str, str]:
        """A (expression, kqlab type) over the columns."""
        name, ty = self.pick(cols)
        strs = [c for c, t in cols if t == "string"]
        if ty == "string":
            s = name
            k = self.pick([
                "strlen", "toupper", "tolower", "substring", "substring2", "strcat", "indexof", "countof",
                "replace_string", "split", "extract", "iff", "case", "isempty", "reverse", "trim_start",
                "strcat_delim",
            ])
            if k == "strlen":
                return f"strlen({s})", "long"
            if k in ("toupper", "tolower", "reverse"):
                return f"{k}({s})", "string"
            if k == "substring":
                return f"substring({s}, {self.r.randint(0, 12)}, {self.r.randint(0, 15)})", "string"
            if k == "substring2":
                return f"substring({s}, {self.r.randint(0, 20)})", "string"
            if k == "strcat":
                other = self.pick(strs)
                return f'strcat({s}, "{self.pick(["-", "/", " ", ""])}", {other})', "string"
            if k == "strcat_delim":
                other = self.pick(strs)
                return f'strcat_delim("|", {s}, {other})', "string"
            if k == "indexof":
                return f'indexof({s}, {_lit(self.pick(["@", ".", "/", "-", "o", "contoso", "x"]))})', "long"
            if k == "countof":
                return f'countof({s}, {_lit(self.pick(["o", ".", "/", "-", "co", "a"]))})', "long"
            if k == "replace_string":
                return f'replace_string({s}, {_lit(self.pick(["o", ".", "/", "contoso"]))}, "_")', "string"
            if k == "split":
                return f'tostring(split({s}, {_lit(self.pick(["@", ".", "/", "-"]))})[{self.r.randint(0, 2)}])', "string"
            if k == "extract":
                rx = self.pick([r"([a-z]+)@", r"^(\\w+)", r"([0-9]+)", r"\\.([a-z]+)$", r"//([^/]+)"])
                return f'extract("{rx}", 1, {s})', "string"
            if k == "iff":
                return f'iff({self.pred(table, cols, 2)}, {s}, "other")', "string"
            if k == "case":
                return f'case({self.pred(table, cols, 2)}, "a", {self.pred(table, cols, 2)}, "b", "c")', "string"
            if k == "trim_start":
                return f'trim_start("[a-z]+", {s})', "string"
            return f"isempty({s})", "bool"
        if ty in ("int", "long"):
            k = self.pick(["mul", "add", "sub", "div", "mod", "realmul", "realdiv", "round", "abs", "bin", "iff",
                           "neg"])
            n = name
            if k == "mul":
                return f"{n} * {self.r.randint(-3, 5)}", ty
            if k == "add":
                return f"{n} + {self.r.randint(-5, 100)}", ty
            if k == "sub":
                return f"{n} - {self.r.randint(-5, 100)}", ty
            if k == "div":
                return f"{n} / {self.pick([1, 2, 3, 4, -2, 7])}", ty
            if k == "mod":
                return f"{n} % {self.pick([2, 3, 5, 7])}", ty
            if k == "realmul":
                return f"{n} * {self.pick(['1.5', '0.25', '2.0', '-0.5'])}", "real"
            if k == "realdiv":
                return f"{n} / {self.pick(['2.0', '3.0', '0.5', '4.0'])}", "real"
            if k == "round":
                return f"round({n} * 1.7, {self.r.randint(0, 2)})", "real"
            if k == "abs":
                return f"abs({n} - {self.r.randint(0, 5)})", ty
            if k == "bin":
                return f"bin({n}, {self.pick([2, 3, 5])})", ty
            if k == "neg":
                return f"-{n}", ty
            return f"iff({n} > {self.r.randint(0, 3)}, 1, 0)", "long"
        if ty == "datetime":
            k = self.pick(["hourofday", "dayofmonth", "getmonth", "getyear", "startofday", "bin", "plus", "minus",
                           "diff", "datetime_part", "floor", "dayofyear", "datetime_add", "datetime_diff"])
            t = name
            if k in ("hourofday", "dayofmonth", "getmonth", "getyear", "dayofyear"):
                return f"{k}({t})", "int"
            if k == "startofday":
                return f"startofday({t})", "datetime"
            if k == "bin":
                return f"bin({t}, {self.pick(SPANS)})", "datetime"
            if k == "floor":
                return f"floor({t}, {self.pick(SPANS)})", "datetime"
            if k == "plus":
                return f"{t} + {self.pick(SPANS + ['-2h', '90s'])}", "datetime"
            if k == "minus":
                return f"{t} - {self.pick(SPANS)}", "datetime"
            if k == "diff":
                return f"{t} - {self.dt_literal(self.clock_ns - self.r.randint(1, 9) * 86_400_000_000_000)}", "timespan"
            if k == "datetime_add":
                return f'datetime_add("{self.pick(["day", "hour", "minute"])}", {self.r.randint(-3, 3)}, {t})', "datetime"
            if k == "datetime_diff":
                return (f'datetime_diff("{self.pick(["day", "hour"])}", {t}, '
                        f"{self.dt_literal(self.clock_ns - self.r.randint(1, 9) * 86_400_000_000_000)})"), "long"
            return f'datetime_part("{self.pick(["hour", "day", "month", "minute"])}", {t})', "int"
        if ty == "bool":
            return self.pick([(f"not({name})", "bool"), (f"iff({name}, 1, 0)", "long"), (f'iff({name}, "yes", "no")', "string")])
        return name, ty

    # -- whole queries ------------------------------------------------------------------
    def agg(self, table, cols):
        nums = [c for c, t in cols if t in ("int", "long", "real") and c != "EmailClusterId"]
        dts = [c for c, t in cols if t == "datetime"]
        cats = [c for c, t in cols if self._categorical(table, c, t)]
        strs = [c for c, t in cols if t == "string"]
        choices = [("count()", "count_", 6), ("dcount", None, 4), ("countif", "countif_", 2)]
        if nums:
            choices += [("sum", None, 3), ("avg", None, 2), ("minmax", None, 2), ("sumif", None, 1)]
        if dts:
            choices += [("dtminmax", None, 2)]
        if cats:
            choices += [("make_set", None, 1), ("dcountif", None, 1)]
        k = self.wpick([((a, b), w) for a, b, w in choices])
        kind, fixed = k
        if kind == "count()":
            return "count()", "count_", "long"
        if kind == "dcount":
            c = self.pick(strs or [cols[0][0]])
            return f"dcount({c})", f"dcount_{c}", "long"
        if kind == "countif":
            return f"countif({self.pred(table, cols, 1)})", "countif_", "long"
        if kind == "sum":
            c = self.pick(nums)
            return f"sum({c})", f"sum_{c}", "long"
        if kind == "sumif":
            c = self.pick(nums)
            return f"sumif({c}, {self.pred(table, cols, 1)})", f"sumif_{c}", "long"
        if kind == "avg":
            c = self.pick(nums)
            return f"avg({c})", f"avg_{c}", "real"
        if kind == "minmax":
            c, f = self.pick(nums), self.pick(["min", "max"])
            return f"{f}({c})", f"{f}_{c}", "long"
        if kind == "dtminmax":
            c, f = self.pick(dts), self.pick(["min", "max"])
            return f"{f}({c})", f"{f}_{c}", "datetime"
        if kind == "make_set":
            c = self.pick(cats)
            return f"make_set({c})", None, "dynamic"  # implicit names differ (set_X vs make_set_X)
        c = self.pick(cats)
        return f"dcountif({c}, {self.pred(table, cols, 1)})", f"dcountif_{c}", "long"

    def _categorical(self, table, c, t):
        if c in SKIP_KEYS:
            return False
        p = next((x for x in table.columns if x.name == c), None)
        return p is not None and p.categorical

    def query(self) -> str:
        self.n += 1
        table = self.wpick([(t, 1) for t in self.tables])
        cols = [(c.name, c.ty) for c in table.columns]
        parts = [table.name]
        for _ in range(self.wpick([(0, 2), (1, 5), (2, 3), (3, 1)])):
            parts.append("where " + self.pred(table, cols))
        if self.chance(0.45):
            items = []
            for i in range(self.r.randint(1, 3)):
                e, t = self.expr(table, cols)
                if self.chance(0.1):
                    items.append((e, None, t))  # unnamed: Column1, ...
                else:
                    items.append((e, f"x{i + 1}", t))
            parts.append("extend " + ", ".join(e if n is None else f"{n} = {e}" for e, n, _ in items))
            # Unnamed expressions get generated names (Column1, ...) that ClickHouse numbers
            # differently; later steps never refer to them, so the query stays comparable.
            named = [(n, t) for _, n, t in items if n is not None]
            cols = cols + named
            if named and self.chance(0.35):
                parts.append("where " + self.pred(table, named))
        shape = self.wpick([("rows", 35), ("summarize", 42), ("distinct", 10), ("count", 4), ("top", 9)])
        if shape == "rows":
            parts += self.rows_shape(table, cols)
        elif shape == "summarize":
            parts += self.summarize_shape(table, cols)
        elif shape == "distinct":
            keys = [c for c, t in cols if self._categorical(table, c, t)] or [cols[1][0]]
            ks = sorted({self.pick(keys) for _ in range(self.r.randint(1, 2))})
            parts.append("distinct " + ", ".join(ks))
            if self.chance(0.4):
                parts.append(f"sort by {ks[0]} {self.pick(['asc', 'desc'])}")
        elif shape == "count":
            parts.append("count")
        else:
            c = self.pick([c for c, t in cols if t in ("datetime", "int", "long", "string")])
            parts.append(f"top {self.r.randint(1, 25)} by {c} {self.pick(['asc', 'desc', ''])}".rstrip())
        return "\n| ".join(parts)

    def rows_shape(self, table, cols):
        out = []
        mode = self.wpick([("project", 6), ("project-away", 1), ("all", 1)])
        if mode == "project":
            k = self.r.randint(1, 5)
            chosen = []
            for _ in range(k):
                c = self.pick(cols)
                if c not in chosen:
                    chosen.append(c)
            items = [c for c, _ in chosen]
            if self.chance(0.3):
                e, t = self.expr(table, cols)
                items.append(f"p1 = {e}")
                chosen.append(("p1", t))
            out.append("project " + ", ".join(items))
            cols = chosen
        elif mode == "project-away":
            away = sorted({self.pick(cols)[0] for _ in range(self.r.randint(1, 4))})
            if len(away) >= len(cols):
                away = away[:1]
            out.append("project-away " + ", ".join(away))
            cols = [c for c in cols if c[0] not in away]
        order = self.wpick([("none", 3), ("sort", 3), ("sorttake", 3), ("top", 3)])
        sortable = [c for c, t in cols if t != "dynamic"] or [cols[0][0]]
        keys = sorted({self.pick(sortable) for _ in range(self.r.randint(1, 2))}, key=sortable.index)
        spec = ", ".join(f"{k} {self.pick(['asc', 'desc', ''])}".rstrip() for k in keys)
        if order == "sort":
            out.append(f"{self.pick(['sort', 'order'])} by {spec}")
        elif order == "sorttake":
            out.append(f"sort by {spec}")
            out.append(f"take {self.r.randint(1, 30)}")
        elif order == "top":
            out.append(f"top {self.r.randint(1, 30)} by {spec}")
        return out

    def summarize_shape(self, table, cols):
        out = []
        aggs = []
        names = set()
        for i in range(self.r.randint(1, 3)):
            e, implicit, t = self.agg(table, cols)
            if implicit is None or self.chance(0.45) or implicit in names:
                n = f"a{i + 1}"
                aggs.append((f"{n} = {e}", n, t))
            else:
                aggs.append((e, implicit, t))
            names.add(aggs[-1][1])
        keys = []
        key_names = []
        cats = [c for c, t in cols if self._categorical(table, c, t)]
        dts = [c for c, t in cols if t == "datetime"]
        derived = [c for c, t in cols if re.fullmatch(r"x\d|Column\d", c) and t in ("int", "long", "string", "bool")]
        for _ in range(self.wpick([(0, 2), (1, 5), (2, 3)])):
            kind = self.wpick([("cat", 6), ("bin", 3 if dts else 0), ("derived", 1 if derived else 0),
                               ("fn", 1 if dts else 0)])
            if kind == "cat" and cats:
                c = self.pick(cats)
                if c not in key_names:
                    keys.append(c)
                    key_names.append(c)
            elif kind == "bin":
                c = self.pick(dts)
                if c not in key_names:
                    keys.append(f"bin({c}, {self.pick(SPANS)})")
                    key_names.append(c)
            elif kind == "derived":
                c = self.pick(derived)
                if c not in key_names:
                    keys.append(c)
                    key_names.append(c)
            elif kind == "fn":
                c = self.pick(dts)
                n = self.pick(["Day", "Hour"])
                if n not in key_names:
                    keys.append(f"{n} = {'startofday' if n == 'Day' else 'hourofday'}({c})")
                    key_names.append(n)
        by = (" by " + ", ".join(keys)) if keys else ""
        out.append("summarize " + ", ".join(a for a, _, _ in aggs) + by)
        sortable = [n for _, n, t in aggs if t != "dynamic"] + key_names
        post = self.wpick([("none", 4), ("sort", 3), ("top", 3), ("where", 1)])
        if post == "where" and any(t in ("long",) for _, _, t in aggs):
            n = self.pick([n for _, n, t in aggs if t == "long"])
            out.append(f"where {n} > {self.r.randint(0, 5)}")
        elif post in ("sort", "top") and sortable:
            ks = sorted({self.pick(sortable) for _ in range(self.r.randint(1, 2))}, key=sortable.index)
            spec = ", ".join(f"{k} {self.pick(['asc', 'desc', ''])}".rstrip() for k in ks)
            if post == "sort":
                out.append(f"sort by {spec}")
                if self.chance(0.4):
                    out.append(f"take {self.r.randint(1, 10)}")
            else:
                out.append(f"top {self.r.randint(1, 10)} by {spec}")
        return out
