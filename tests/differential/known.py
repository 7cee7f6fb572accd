"""known_differences.toml: ClickHouse deviations from Kusto's documented semantics.

Each entry explains findings (see compare.py) of one kind. An entry matches a finding when
every matcher it sets matches:

  kind    the finding kind (name, type, values, rows, order, columns, column-order,
          kqlab-error), or
          `any` for a deviation that shows up as several kinds at once (a column order
          difference shifts names, types and values); every kind but name and type needs
          a `query` pattern
  query   a regular expression searched in the query text (re.search, multi-line, dot-all)
  column  a regular expression the kqlab column name must match in full
  kqlab   a regular expression the kqlab side must match in full (column name for `name`,
          type for `type`, the shown value for `values`: every distinct differing pair of
          the column must match, so one entry cannot hide an unrelated wrong value)
  peer    the same for the ClickHouse side

A query whose findings are all matched is "explained"; one unmatched finding makes it
"unexplained". Entries that match nothing in a run are listed as unused (not an error:
the generator is random), so stale entries are visible.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from compare import Finding

FIELDS = ("kind", "query", "column", "kqlab", "peer")
REQUIRED = ("id", "kind", "basis", "summary", "kusto_doc", "evidence")
KINDS = {"name", "type", "values", "rows", "order", "columns", "column-order", "kqlab-error", "any"}
# documented: Kusto's reference states the behaviour kqlab has and ClickHouse lacks.
# undocumented: the reference is silent (e.g. generated column names); kqlab keeps its
# choice, and the entry says what it would take to settle it.
BASES = {"documented", "undocumented"}


@dataclass
class Known:
    id: str
    kind: str
    basis: str
    summary: str
    kusto_doc: str
    evidence: str
    clickhouse: str = ""
    query: re.Pattern | None = None
    column: re.Pattern | None = None
    kqlab: re.Pattern | None = None
    peer: re.Pattern | None = None
    hits: int = 0
    queries: set = field(default_factory=set)

    def matches(self, f: Finding, query: str) -> bool:
        if self.kind != "any" and f.kind != self.kind:
            return False
        if self.query is not None and not self.query.search(query):
            return False
        if self.column is not None and not self.column.fullmatch(f.column or ""):
            return False
        # a `values` finding carries every distinct differing pair: all must match
        pairs = f.pairs or [(f.kqlab or "", f.peer or "")]
        for kq, pe in pairs:
            if self.kqlab is not None and not self.kqlab.fullmatch(kq):
                return False
            if self.peer is not None and not self.peer.fullmatch(pe):
                return False
        return True


def load(path: Path) -> list[Known]:
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    out, ids = [], set()
    for i, e in enumerate(doc.get("difference", [])):
        where = f"{path.name}: entry {i + 1} ({e.get('id', '?')})"
        for r in REQUIRED:
            if not e.get(r):
                raise ValueError(f"{where}: missing `{r}`")
        if e["kind"] not in KINDS:
            raise ValueError(f"{where}: kind must be one of {sorted(KINDS)}")
        if e["basis"] not in BASES:
            raise ValueError(f"{where}: basis must be one of {sorted(BASES)}")
        if e["id"] in ids:
            raise ValueError(f"{where}: duplicate id")
        ids.add(e["id"])
        unknown = set(e) - set(REQUIRED) - set(FIELDS) - {"clickhouse"}
        if unknown:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
        if e["kind"] not in ("name", "type") and "query" not in e:
            raise ValueError(f"{where}: a `{e['kind']}` entry needs a `query` pattern to stay narrow")
        pats = {}
        for k in ("query", "column", "kqlab", "peer"):
            if k in e:
                try:
                    pats[k] = re.compile(e[k], re.S | re.M)
                except re.error as err:
                    raise ValueError(f"{where}: bad `{k}` pattern: {err}") from None
        out.append(Known(id=e["id"], kind=e["kind"], basis=e["basis"], summary=e["summary"].strip(), kusto_doc=e["kusto_doc"],
                         evidence=e["evidence"].strip(), clickhouse=e.get("clickhouse", "").strip(), **pats))
    return out


def explain(findings: list[Finding], query: str, known: list[Known], qid: str) -> bool:
    """Marks each finding with the first entry that explains it; True if all are explained."""
    for f in findings:
        for k in known:
            if k.matches(f, query):
                f.explained_by = k.id
                k.hits += 1
                k.queries.add(qid)
                break
    return all(f.explained_by for f in findings)
