"""Type-aware comparison of a kqlab result with a ClickHouse result.

The comparison produces a list of findings, each one narrow enough to be matched by an entry
of known_differences.toml:

  name     a column is named differently (same position)
  type     a column's type class differs (int/real/string/bool/datetime/timespan/guid/dynamic)
  columns  the number of columns differs (nothing else is compared)
  column-order  the same column names in another order (the peer's columns are then
           reordered to kqlab's and compared as usual)
  rows     the number of rows differs
  values   same row count, but some rows differ; one finding per column that differs
  order    the query sorts, and the sort keys come back in a different order

Values are normalised before comparison: integers of any width are ints; reals compare
with a relative tolerance; datetimes become nanoseconds since the epoch whatever their
text form or precision; timespans become nanoseconds (ClickHouse gives Interval<unit>
numbers or Decimal seconds); strings compare exactly. Rows compare as multisets unless the
query sorts (see kqltext.order_spec), in which case rows tied on the sort keys may come in
any order, and at a top/take cut-off any of the tied rows may be chosen.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from engines import Outcome
from kqltext import OrderSpec

REL_TOL = 1e-9
ABS_TOL = 1e-9

KQLAB_CLASS = {
    "bool": "bool", "int": "int", "long": "int", "real": "real", "decimal": "real",
    "string": "string", "datetime": "datetime", "timespan": "timespan", "guid": "guid",
    "dynamic": "dynamic",
}

_INTERVAL_NS = {
    "Nanosecond": 1, "Microsecond": 1_000, "Millisecond": 1_000_000, "Second": 1_000_000_000,
    "Minute": 60_000_000_000, "Hour": 3_600_000_000_000, "Day": 86_400_000_000_000,
    "Week": 7 * 86_400_000_000_000,
}


def _unwrap(t: str) -> str:
    while True:
        m = re.fullmatch(r"(?:Nullable|LowCardinality)\((.*)\)", t)
        if not m:
            return t
        t = m.group(1)


def peer_class(t: str) -> tuple[str, int | None]:
    """ClickHouse type -> (class, nanoseconds per unit for intervals)."""
    t = _unwrap(t)
    if re.fullmatch(r"U?Int\d+", t):
        return "int", None
    if t.startswith("Float") or t.startswith("BFloat"):
        return "real", None
    if t.startswith("Decimal"):
        return "decimal", None
    if t == "Bool":
        return "bool", None
    if t in ("String", "UUID") or t.startswith("FixedString") or t.startswith("Enum"):
        return ("guid" if t == "UUID" else "string"), None
    if t.startswith("DateTime") or t in ("Date", "Date32"):
        return "datetime", None
    m = re.fullmatch(r"Interval(\w+)", t)
    if m:
        return "timespan", _INTERVAL_NS.get(m.group(1))
    if t == "Nothing":
        return "null", None
    return "dynamic", None


# ---------------------------------------------------------------------------------------
# value normalisation

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def parse_datetime_ns(s: str) -> int | None:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?Z?", s.strip())
    if not m:
        return None
    y, mo, d, h, mi, sec, frac = m.groups()
    base = _dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0), tzinfo=_dt.timezone.utc)
    delta = base - _EPOCH
    ns = (delta.days * 86400 + delta.seconds) * 1_000_000_000
    if frac:
        ns += int((frac + "000000000")[:9])
    return ns


def parse_timespan_ns(s: str) -> int | None:
    m = re.fullmatch(r"(-)?(?:(\d+)\.)?(\d+):(\d\d):(\d\d)(?:\.(\d+))?", s.strip())
    if not m:
        return None
    neg, d, h, mi, sec, frac = m.groups()
    ns = ((int(d or 0) * 24 + int(h)) * 3600 + int(mi) * 60 + int(sec)) * 1_000_000_000
    if frac:
        ns += int((frac + "000000000")[:9])
    return -ns if neg else ns


def _num(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return None  # kqlab's JSON writes non-finite reals as null
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return v
        if not math.isfinite(f):
            return None
        return int(v) if re.fullmatch(r"-?\d+", v) else f
    return v


def norm_kqlab(v, cls: str):
    if v is None:
        return None
    if cls in ("int", "real"):
        return _num(v)
    if cls == "datetime" and isinstance(v, str):
        ns = parse_datetime_ns(v)
        return ns if ns is not None else v
    if cls == "timespan" and isinstance(v, str):
        ns = parse_timespan_ns(v)
        return ns if ns is not None else v
    if cls == "guid" and isinstance(v, str):
        return v.lower()
    return v


def norm_peer(v, pcls: str, unit_ns: int | None, target: str):
    """A ClickHouse JSON value in the representation of the kqlab class `target`."""
    if v is None:
        return None
    if target in ("int", "real"):
        if pcls == "timespan" and unit_ns:
            return _num(v)
        return _num(v)
    if target == "datetime":
        if isinstance(v, str):
            ns = parse_datetime_ns(v)
            return ns if ns is not None else v
        return v
    if target == "timespan":
        if pcls == "timespan":
            n = _num(v)
            return n * (unit_ns or 1) if isinstance(n, (int, float)) else n
        if pcls == "decimal":  # ClickHouse: datetime - datetime is Decimal seconds
            n = _num(v)
            return round(n * 1_000_000_000) if isinstance(n, (int, float)) else n
        if isinstance(v, str):
            ns = parse_timespan_ns(v)
            return ns if ns is not None else v
        return v
    if target == "bool":
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v in (0, 1):
            return bool(v)
        return v
    if target == "guid" and isinstance(v, str):
        return v.lower()
    if target == "dynamic" and isinstance(v, str) and pcls == "string":
        try:
            return json.loads(v)
        except (json.JSONDecodeError, ValueError):
            return v
    return v


def values_equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    return a == b


def _sig(x: float) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.9g}")


def key(v):
    """A total-order sort key that treats values equal within tolerance alike (mostly)."""
    if v is None:
        return (0,)
    if isinstance(v, bool):
        return (1, v)
    if isinstance(v, int):
        return (2, _sig(float(v)) if abs(v) > 2**53 else v, v if abs(v) > 2**53 else 0)
    if isinstance(v, float):
        return (2, _sig(v), 0)
    if isinstance(v, str):
        return (3, v)
    if isinstance(v, list):
        return (4, tuple(key(x) for x in v))
    if isinstance(v, dict):
        return (5, tuple(sorted((k, key(x)) for k, x in v.items())))
    return (6, repr(v))


def sort_arrays(v):
    if isinstance(v, list):
        return sorted((sort_arrays(x) for x in v), key=key)
    return v


def show(v) -> str:
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, separators=(",", ":"))[:120]
    return "null" if v is None else str(v)


# ---------------------------------------------------------------------------------------
# comparison


@dataclass
class Finding:
    kind: str
    column: str = ""
    kqlab: str = ""
    peer: str = ""
    detail: str = ""
    explained_by: str | None = None
    # for `values`: every distinct (kqlab, peer) pair of differing cells, as shown text
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        col = f" [{self.column}]" if self.column else ""
        side = f" kqlab={self.kqlab!s} peer={self.peer!s}" if (self.kqlab or self.peer) else ""
        return f"{self.kind}{col}:{side} {self.detail}".rstrip()


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    order_checked: bool = False
    note: str = ""


def compare(k: Outcome, p: Outcome, spec: OrderSpec, unordered_arrays: bool) -> Comparison:
    cmp = Comparison()
    f = cmp.findings
    if len(k.columns) != len(p.columns):
        f.append(Finding("columns", kqlab=",".join(n for n, _ in k.columns), peer=",".join(n for n, _ in p.columns),
                         detail=f"{len(k.columns)} vs {len(p.columns)} columns"))
        if len(k.rows) != len(p.rows):
            f.append(Finding("rows", kqlab=str(len(k.rows)), peer=str(len(p.rows)), detail="row count"))
        return cmp

    knames = [n for n, _ in k.columns]
    pnames = [n for n, _ in p.columns]
    if knames != pnames and sorted(knames) == sorted(pnames) and len(set(knames)) == len(knames):
        # Same columns in another order: say so once, then compare column by column.
        f.append(Finding("column-order", kqlab=",".join(knames), peer=",".join(pnames)))
        perm = [pnames.index(n) for n in knames]
        p = Outcome(True, [p.columns[i] for i in perm], [[r[i] for i in perm] for r in p.rows])
    targets = []
    converters = []
    for (kn, kt), (pn, pt) in zip(k.columns, p.columns):
        if kn != pn:
            f.append(Finding("name", column=kn, kqlab=kn, peer=pn))
        kc = KQLAB_CLASS.get(kt, kt)
        pc, unit = peer_class(pt)
        compatible = kc == pc or (kc == "real" and pc == "decimal") or pc == "null"
        if not compatible:
            f.append(Finding("type", column=kn, kqlab=kt, peer=pt, detail=f"{kc} vs {pc}"))
        targets.append(kc)
        converters.append((pc, unit))

    def krow(r):
        out = [norm_kqlab(v, targets[i]) for i, v in enumerate(r)]
        return [sort_arrays(v) if unordered_arrays and isinstance(v, list) else v for v in out]

    def prow(r):
        out = [norm_peer(v, converters[i][0], converters[i][1], targets[i]) for i, v in enumerate(r)]
        return [sort_arrays(v) if unordered_arrays and isinstance(v, list) else v for v in out]

    krows = [krow(r) for r in k.rows]
    prows = [prow(r) for r in p.rows]

    if len(krows) != len(prows):
        f.append(Finding("rows", kqlab=str(len(krows)), peer=str(len(prows)), detail="row count"))
        _row_examples(cmp, _diff_rows(krows, prows), _diff_rows(prows, krows))
        return cmp
    if spec.sampled:
        cmp.note = "take/limit without a sort: only columns and row count compared"
        return cmp

    kidx = None
    if spec.keys is not None and spec.keys_known:
        names = [n for n, _ in k.columns]
        if all(x in names for x in spec.keys):
            kidx = [names.index(x) for x in spec.keys]

    if kidx is not None and krows:
        cmp.order_checked = True
        kkeys = [tuple(key(r[i]) for i in kidx) for r in krows]
        pkeys = [tuple(key(r[i]) for i in kidx) for r in prows]
        # groups of consecutive rows tied on the sort keys (kqlab's side)
        groups, start = [], 0
        for i in range(1, len(kkeys) + 1):
            if i == len(kkeys) or kkeys[i] != kkeys[start]:
                groups.append((start, i))
                start = i
        if kkeys != pkeys:
            if sorted(kkeys) == sorted(pkeys):
                pos = next(i for i in range(len(kkeys)) if kkeys[i] != pkeys[i])
                f.append(Finding("order", column=",".join(spec.keys),
                                 detail=f"first difference at row {pos}: kqlab {[show(krows[pos][i]) for i in kidx]} "
                                        f"peer {[show(prows[pos][i]) for i in kidx]}"))
            else:
                _multiset(cmp, krows, prows, k.columns)
                if not any(x.kind == "values" for x in f):
                    f.append(Finding("order", column=",".join(spec.keys), detail="sort keys differ"))
            return cmp
        for gi, (a, b) in enumerate(groups):
            if spec.limited and gi == len(groups) - 1 and b == len(krows):
                break  # the tie at the cut-off: any of the tied rows may be chosen
            _multiset(cmp, krows[a:b], prows[a:b], k.columns)
        _merge_value_findings(cmp)
        return cmp

    if spec.keys is not None and spec.limited:
        cmp.note = "sorted by an expression and cut: only columns and row count compared"
        return cmp
    _multiset(cmp, krows, prows, k.columns)
    _merge_value_findings(cmp)
    if spec.keys is not None:
        cmp.note = "sorted by an expression: compared as a multiset"
    return cmp


def _rowkey(r):
    return tuple(key(v) for v in r)


def _diff_rows(a_rows, b_rows):
    """The rows of a_rows that b_rows lacks (as multisets), in a canonical order."""
    cnt = Counter(_rowkey(r) for r in b_rows)
    only = []
    for r in a_rows:
        k = _rowkey(r)
        if cnt[k] > 0:
            cnt[k] -= 1
        else:
            only.append(r)
    return sorted(only, key=_rowkey)


def _multiset(cmp: Comparison, krows, prows, columns):
    only_k = _diff_rows(krows, prows)
    only_p = _diff_rows(prows, krows)
    if not only_k and not only_p:
        return
    # rows that differ only within tolerance are not differences
    if len(only_k) == len(only_p) and all(all(values_equal(a, b) for a, b in zip(x, y)) for x, y in zip(only_k, only_p)):
        return
    counts = Counter()
    pairs: dict[int, dict] = {}
    for x, y in zip(only_k, only_p):
        for i in range(len(columns)):
            if not values_equal(x[i], y[i]):
                counts[i] += 1
                pairs.setdefault(i, {})[(show(x[i]), show(y[i]))] = None
    for i in sorted(counts):
        ps = list(pairs[i])
        cmp.findings.append(Finding("values", column=columns[i][0], kqlab=ps[0][0], peer=ps[0][1],
                                    detail=f"{counts[i]} of {len(krows)} rows differ", pairs=ps))
    _row_examples(cmp, only_k, only_p)


def _row_examples(cmp: Comparison, only_k, only_p, n: int = 3):
    lines = [f"    rows only in kqlab: {len(only_k)}, only in peer: {len(only_p)}"]
    for label, rows in (("kqlab", only_k), ("peer ", only_p)):
        for r in rows[:n]:
            lines.append(f"    {label}: " + " | ".join(show(v) for v in r))
    cmp.note = (cmp.note + "\n" if cmp.note else "") + "\n".join(lines)


def _merge_value_findings(cmp: Comparison):
    """Several tie groups may report the same column: keep one finding per column."""
    merged, seen = [], {}
    for fd in cmp.findings:
        if fd.kind == "values":
            if fd.column in seen:
                prev = seen[fd.column]
                prev.pairs += [p for p in fd.pairs if p not in prev.pairs]
                continue
            seen[fd.column] = fd
        merged.append(fd)
    cmp.findings[:] = merged
