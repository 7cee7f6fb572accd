"""The two engines under comparison: the `kqlab` binary and ClickHouse's KQL dialect (chdb).

Both return an `Outcome`: either a result (columns with engine type names, rows of JSON
values) or an error message. Nothing here interprets values; see compare.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    ok: bool
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, engine type name)
    rows: list[list] = field(default_factory=list)
    error: str = ""


# ---------------------------------------------------------------------------------------
# kqlab


class Kqlab:
    """Runs `kqlab query --format json` once per query (a fresh process: no shared state)."""

    def __init__(self, binary: Path, now: str, tables: dict[str, Path], timeout: float = 60.0):
        self.binary = str(binary)
        self.now = now
        self.tables = tables
        self.timeout = timeout

    def run(self, query: str) -> Outcome:
        args = [self.binary, "query", "--format", "json", "--now", self.now]
        # Load only the tables the query names (cheaper), but always pass at least one --data
        # so that no built-in table is generated behind the harness's back.
        named = [n for n in self.tables if re.search(r"\b%s\b" % re.escape(n), query)]
        for n in named or list(self.tables)[:1]:
            args += ["--data", f"{n}={self.tables[n]}"]
        args += ["--max-rows", "100000000"]
        args.append("-")
        try:
            p = subprocess.run(args, input=query.encode(), capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return Outcome(False, error=f"kqlab timed out after {self.timeout}s")
        if p.returncode != 0:
            err = p.stderr.decode(errors="replace").strip() or f"exit {p.returncode}"
            m = re.search(r"panicked at (\S+):\n?(.*)", err)
            if m:  # a crash, not a diagnostic: say so first (thread ids vary between runs)
                err = f"PANIC at {m.group(1)} {m.group(2).strip()}"
            return Outcome(False, error=err)
        try:
            doc = json.loads(p.stdout)
        except json.JSONDecodeError as e:
            return Outcome(False, error=f"kqlab printed invalid JSON: {e}")
        return Outcome(True, [(c["name"], c["type"]) for c in doc["columns"]], doc["rows"])


# ---------------------------------------------------------------------------------------
# ClickHouse (chdb)

# kqlab column type -> ClickHouse column type. Strings are never null in Kusto, so they are
# plain String; other types are Nullable only when the data has an empty cell.
CH_TYPES = {
    "bool": "Bool",
    "int": "Int32",
    "long": "Int64",
    "real": "Float64",
    "string": "String",
    "datetime": "DateTime64(7, 'UTC')",
    "timespan": "Int64",  # not produced by the generators; ticks if it ever is
    "guid": "String",
    "dynamic": "String",
}

KQL_SETTINGS = (
    "SET allow_experimental_kusto_dialect = 1; "
    "SET output_format_json_quote_64bit_integers = 0; "
    "SET output_format_json_quote_decimals = 0; "
    "SET output_format_json_quote_denormals = 0; "
    "SET max_execution_time = 30; "
    "SET dialect = 'kusto'; "
)


def read_typed_header(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n")
    cols = []
    for cell in header.split(","):
        name, _, ty = cell.partition(":")
        cols.append((name, ty or "string"))
    return cols


def _has_empty_cells(path: Path, ncols: int) -> list[bool]:
    import csv

    empty = [False] * ncols
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            for i, v in enumerate(row[:ncols]):
                if v == "":
                    empty[i] = True
    return empty


class ClickHouse:
    """An in-process ClickHouse (chdb session) holding one database per dataset."""

    def __init__(self):
        from chdb import session  # imported late so --help works without the venv

        self.s = session.Session()
        self.version = self._sql("SELECT version()", "CSV").strip().strip('"')

    def _sql(self, sql: str, fmt: str = "CSV") -> str:
        # Always switch back to SQL first: the session keeps the last dialect.
        r = self.s.query("SET dialect = 'clickhouse'; " + sql, fmt)
        return r.bytes().decode() if hasattr(r, "bytes") else str(r)

    def load_csv(self, db: str, table: str, path: Path) -> tuple[list[tuple[str, str]], int]:
        cols = read_typed_header(path)
        empty = _has_empty_cells(path, len(cols))
        defs = []
        for (name, ty), e in zip(cols, empty):
            ch = CH_TYPES[ty]
            if e and ty not in ("string", "guid", "dynamic"):
                ch = f"Nullable({ch})"
            defs.append(f"`{name}` {ch}")
        structure = ", ".join(defs)
        self._sql(f"CREATE DATABASE IF NOT EXISTS {db}")
        self._sql(f"DROP TABLE IF EXISTS {db}.{table}")
        self._sql(f"CREATE TABLE {db}.{table} ({structure}) ENGINE = Memory")
        esc = str(path.resolve()).replace("'", "\\'")
        self._sql(
            f"INSERT INTO {db}.{table} SELECT * FROM file('{esc}', 'CSV', '{structure.replace(chr(39), chr(92) + chr(39))}') "
            "SETTINGS input_format_csv_skip_first_lines = 1, date_time_input_format = 'best_effort', "
            "input_format_csv_empty_as_default = 0, format_csv_allow_single_quotes = 0"
        )
        n = int(self._sql(f"SELECT count() FROM {db}.{table}").strip())
        return cols, n

    def _flush(self) -> None:
        """chdb (4.4.0) leaks the partial output of a query that failed while executing
        into the next query's result; a throwaway query absorbs it."""
        try:
            self.s.query("SET dialect = 'clickhouse'; SELECT 1", "JSONCompact")
        except Exception:
            pass

    def run(self, db: str, query: str) -> Outcome:
        try:
            r = self.s.query(f"SET dialect = 'clickhouse'; USE {db}; " + KQL_SETTINGS + query, "JSONCompact")
            text = r.bytes().decode()
        except Exception as e:  # chdb raises its own error types
            msg = str(e).strip().splitlines()
            self._flush()
            return Outcome(False, error=msg[0] if msg else type(e).__name__)
        if not text.strip():
            return Outcome(False, error="peer returned no result set")
        try:
            doc, end = json.JSONDecoder().raw_decode(text.strip())
        except json.JSONDecodeError as e:
            return Outcome(False, error=f"peer printed invalid JSON: {e}")
        if text.strip()[end:].strip():
            # more than one result set (e.g. a script of several queries): not comparable
            return Outcome(False, error="peer returned several result sets")
        return Outcome(True, [(m["name"], m["type"]) for m in doc["meta"]], doc["data"])
