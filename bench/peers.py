"""kqlab against DuckDB, ClickHouse (chdb) and Polars on the benchmark queries, side by side.

    bench/run.sh peers [--rows 1000000] [--repeat 7] [--filter s5]   (makes the venv first)

Every engine runs on one thread, on the same generated data (CSV from `kqlab gen ... --header
plain`), loaded before timing. kqlab answers from a `kqlab bench --serve` process that holds
the same tables generated in memory; the peers load the CSV files. For each query the engines
take turns (kqlab, DuckDB, ClickHouse, Polars), each with one untimed warm-up run and then
--repeat timed runs; the table shows medians in milliseconds.

Each engine produces its own in-memory result: a kqlab `Table`, an Arrow table (DuckDB's
`to_arrow_table()`, chdb's `ArrowTable` format) or a Polars `DataFrame`. Row counts are compared
with kqlab's; a mismatch is flagged in the table, since a timing of a different answer means
little. ClickHouse runs the KQL text itself through its Kusto dialect where that gives the same
number of rows, and the SQL equivalent otherwise (marked `sql`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

# One thread for Polars: must be set before polars is imported.
os.environ["POLARS_MAX_THREADS"] = "1"

CLOCK = "2026-11-22T12:00:00Z"
SEED = 42
AGO_7D = "2026-11-15 12:00:00"  # ago(7d) at CLOCK
HERE = Path(__file__).resolve().parent


def read_queries() -> list[tuple[str, str]]:
    out = []
    for line in (HERE / "queries.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, q = line.partition(":")
        out.append((name.strip(), q.strip()))
    return out


# ---------------------------------------------------------------------------------------
# The equivalents. {T7} is ago(7d) as a timestamp literal of the engine's dialect.

U = "UrlClickEvents"
E = "EmailEvents"

SQL = {
    "s1_recent_sorted": f"SELECT Timestamp, AccountUpn, Url, ActionType FROM {U} WHERE Timestamp > {{T7}} ORDER BY Timestamp DESC",
    "s2_contains_sorted": f"SELECT Timestamp, AccountUpn, Url FROM {U} WHERE Timestamp > {{T7}} AND Url ILIKE '%contoso-login%' ORDER BY Timestamp DESC",
    "s3_top10_users": f"SELECT AccountUpn, count(*) AS ClickCount FROM {U} WHERE Timestamp > {{T7}} GROUP BY AccountUpn ORDER BY ClickCount DESC LIMIT 10",
    "s4_top1_user": f"SELECT AccountUpn, count(*) AS ClickCount FROM {U} WHERE Timestamp > {{T7}} GROUP BY AccountUpn ORDER BY ClickCount DESC LIMIT 1",
    "s5_hourly": f"SELECT {{HOUR}} AS Timestamp, count(*) AS ClickCount FROM {U} WHERE Timestamp > {{T7}} GROUP BY 1 ORDER BY 1",
    "s6_distinct_url": f"SELECT DISTINCT Url FROM {U} WHERE Timestamp > {{T7}}",
    "s7_threats_sorted": f"SELECT Timestamp, AccountUpn, Url, ThreatTypes FROM {U} WHERE Timestamp > {{T7}} AND ThreatTypes <> '' ORDER BY Timestamp DESC",
    "s8_top10_user_threat": f"SELECT AccountUpn, ThreatTypes, count(*) AS ClickCount FROM {U} WHERE Timestamp > {{T7}} GROUP BY AccountUpn, ThreatTypes ORDER BY ClickCount DESC LIMIT 10",
    "s9_hunt": f"SELECT DISTINCT ReportId, IsClickedThrough, AccountUpn, NetworkMessageId, ThreatTypes, Timestamp FROM {U} "
    "WHERE (ActionType = 'ClickAllowed' OR IsClickedThrough <> false) AND {HAS_PHISH}",
    "x1_join_mail_clicks": f"SELECT e.SenderFromDomain, count(*) AS Clicks, count(DISTINCT u.AccountUpn) AS Users FROM {E} e "
    f"JOIN {U} u ON e.NetworkMessageId = u.NetworkMessageId GROUP BY e.SenderFromDomain",
    "x2_has_any": f"SELECT Timestamp, AccountUpn, Url FROM {U} WHERE {{HAS_ANY}}",
    "x3_dcount_by_user": f"SELECT AccountUpn, count(DISTINCT Url) AS Urls, count(*) AS Clicks FROM {U} GROUP BY AccountUpn",
    "x4_make_set_by_domain": f"SELECT SenderFromDomain, {{SET}} AS Recipients FROM {E} GROUP BY SenderFromDomain",
}

HAS_ANY_TERMS = ["login", "signin", "password", "invoice"]

# `has` is a whole-term match (terms are runs of letters and digits), case-insensitive.
DUCK = {
    "T7": f"TIMESTAMPTZ '{AGO_7D}+00'",
    "HOUR": "date_trunc('hour', Timestamp)",
    "HAS_PHISH": r"regexp_matches(ThreatTypes, '(?i)(^|[^[:alnum:]])phish($|[^[:alnum:]])')",
    "HAS_ANY": r"regexp_matches(Url, '(?i)(^|[^[:alnum:]])(" + "|".join(HAS_ANY_TERMS) + r")($|[^[:alnum:]])')",
    "SET": "list(DISTINCT RecipientEmailAddress)",
}
# DuckDB-WASM (bench/duckdb.mjs): the same SQL, but the browser build has no ICU extension
# (it would be downloaded on first use), so times are plain TIMESTAMPs in UTC.
DUCK_WASM = {**DUCK, "T7": f"TIMESTAMP '{AGO_7D}'"}

CH = {
    "T7": f"toDateTime64('{AGO_7D}', 3, 'UTC')",
    "HOUR": "toStartOfHour(Timestamp)",
    "HAS_PHISH": "hasTokenCaseInsensitive(ThreatTypes, 'phish')",
    "HAS_ANY": "(" + " OR ".join(f"hasTokenCaseInsensitive(Url, '{t}')" for t in HAS_ANY_TERMS) + ")",
    "SET": "groupUniqArray(RecipientEmailAddress)",
}


def render_sql(name: str, dialect: dict[str, str]) -> str:
    q = SQL[name]
    for k, v in dialect.items():
        q = q.replace("{" + k + "}", v)
    return q


def polars_queries(pl, u, e):
    """Lazy Polars plans over the in-memory DataFrames `u` (UrlClickEvents) and `e` (EmailEvents)."""
    t7 = datetime(2026, 11, 15, 12, tzinfo=timezone.utc)
    c = pl.col
    recent = u.lazy().filter(c("Timestamp") > t7)
    term = lambda words: r"(?i)(^|[^\p{L}\p{N}])(" + "|".join(words) + r")($|[^\p{L}\p{N}])"  # noqa: E731
    return {
        "s1_recent_sorted": lambda: recent.select("Timestamp", "AccountUpn", "Url", "ActionType").sort("Timestamp", descending=True),
        "s2_contains_sorted": lambda: recent.filter(c("Url").str.contains("(?i)contoso-login")).select("Timestamp", "AccountUpn", "Url").sort("Timestamp", descending=True),
        "s3_top10_users": lambda: recent.group_by("AccountUpn").agg(pl.len().alias("ClickCount")).top_k(10, by="ClickCount"),
        "s4_top1_user": lambda: recent.group_by("AccountUpn").agg(pl.len().alias("ClickCount")).top_k(1, by="ClickCount"),
        "s5_hourly": lambda: recent.group_by(c("Timestamp").dt.truncate("1h")).agg(pl.len().alias("ClickCount")).sort("Timestamp"),
        "s6_distinct_url": lambda: recent.select("Url").unique(),
        "s7_threats_sorted": lambda: recent.filter(c("ThreatTypes") != "").select("Timestamp", "AccountUpn", "Url", "ThreatTypes").sort("Timestamp", descending=True),
        "s8_top10_user_threat": lambda: recent.group_by("AccountUpn", "ThreatTypes").agg(pl.len().alias("ClickCount")).top_k(10, by="ClickCount"),
        "s9_hunt": lambda: u.lazy()
        .filter(((c("ActionType") == "ClickAllowed") | (c("IsClickedThrough") != False)) & c("ThreatTypes").str.contains(term(["phish"])))  # noqa: E712
        .select("ReportId", "IsClickedThrough", "AccountUpn", "NetworkMessageId", "ThreatTypes", "Timestamp")
        .unique(),
        "x1_join_mail_clicks": lambda: e.lazy()
        .select("NetworkMessageId", "SenderFromDomain")
        .join(u.lazy().select("NetworkMessageId", "AccountUpn"), on="NetworkMessageId", how="inner")
        .group_by("SenderFromDomain")
        .agg(pl.len().alias("Clicks"), c("AccountUpn").n_unique().alias("Users")),
        "x2_has_any": lambda: u.lazy().filter(c("Url").str.contains(term(HAS_ANY_TERMS))).select("Timestamp", "AccountUpn", "Url"),
        "x3_dcount_by_user": lambda: u.lazy().group_by("AccountUpn").agg(c("Url").n_unique().alias("Urls"), pl.len().alias("Clicks")),
        "x4_make_set_by_domain": lambda: e.lazy().group_by("SenderFromDomain").agg(c("RecipientEmailAddress").unique().alias("Recipients")),
    }


# ---------------------------------------------------------------------------------------
# Engines


def timed(fn, repeat: int) -> tuple[float, int]:
    """One warm-up run, then `repeat` timed runs; (median ms, rows of the result)."""
    rows = fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000.0)
    runs.sort()
    n = len(runs)
    med = runs[n // 2] if n % 2 else (runs[n // 2 - 1] + runs[n // 2]) / 2
    return med, rows


class KqlabServer:
    def __init__(self, binary: str, rows: int, data: list[str] | None = None, no_limits: bool = False, only: str = ""):
        extra = [x for d in data or [] for x in ("--data", d)] + (["--no-limits"] if no_limits else []) + (["--filter", only] if only else [])
        self.p = subprocess.Popen([binary, "bench", "--serve", "--rows", str(rows), *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = json.loads(self.p.stdout.readline())

    def run(self, name: str, repeat: int) -> dict:
        self.p.stdin.write(f"{name} {repeat}\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def kqlab_types(binary: str) -> dict[str, list[tuple[str, str]]]:
    """Column names and kqlab types of the built-in tables (from `kqlab tables`)."""
    out: dict[str, list[tuple[str, str]]] = {}
    cur = None
    for line in subprocess.run([binary, "tables"], capture_output=True, text=True, check=True).stdout.splitlines():
        if line and not line.startswith(" "):
            cur = out.setdefault(line.strip(), [])
        elif cur is not None and line.strip():
            parts = line.split()
            cur.append((parts[0], parts[1]))
    return out


CH_TYPES = {"bool": "Bool", "int": "Int32", "long": "Int64", "real": "Float64", "datetime": "DateTime64(3, 'UTC')", "timespan": "Int64"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kqlab", help="the kqlab binary (release build)")
    ap.add_argument("--work", default="target/bench", help="folder for the generated CSV files")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--filter", default="", help="only queries whose name contains this (or one of these, comma-separated)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--markdown", help="also write the table here")
    ap.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="NAME=FILE.csv",
        help="use these CSV files instead of kqlab's generated tables (repeatable; every engine loads them, kqlab through --data)",
    )
    ap.add_argument("--timestamp-format", default="%Y-%m-%dT%H:%M:%S.%gZ", help="DuckDB's timestampformat for the CSV files (kqlab gen: milliseconds, %%g)")
    ap.add_argument("--no-limits", action="store_true", help="lift kqlab's row and cell limits (kqlab bench --no-limits; needed at 10M rows)")
    ap.add_argument("--peers", default="duckdb,chdb,polars", help="which peers to load and time (comma-separated; at 10M rows memory may not hold all three)")
    ap.add_argument("--label", default="", help="what the data is, for the table's caption")
    ap.add_argument("--print-sql", choices=["duckdb", "duckdb-wasm", "clickhouse"], help="print the SQL equivalents as JSON ({name: sql}) and stop")
    a = ap.parse_args()
    if a.print_sql:
        dialect = {"duckdb": DUCK, "duckdb-wasm": DUCK_WASM, "clickhouse": CH}[a.print_sql]
        print(json.dumps({n: render_sql(n, dialect) for n, _ in read_queries() if a.filter in n}, indent=1))
        return 0

    if not a.kqlab:
        ap.error("--kqlab is required")
    import duckdb
    import polars as pl
    from chdb import session as chsession

    wanted = a.filter.split(",")
    queries = [(n, q) for n, q in read_queries() if any(w in n for w in wanted)]
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    schemas = kqlab_types(a.kqlab)
    tables = [t for t in (U, E) if any(t in q for _, q in queries)]

    # 1. The data, as CSV (generated once per size and kept), or the files given with --data.
    paths = {}
    given = dict(d.split("=", 1) for d in a.data)
    if given:
        queries = [(n, q) for n, q in queries if all(t in given for t in (U, E) if t in q)]
        tables = [t for t in tables if t in given]
        CH_TYPES["datetime"] = "DateTime64(6, 'UTC')"  # other generators write microseconds
        paths = {t: Path(given[t]) for t in tables}
    for t in tables if not given else []:
        p = work / f"{t}_{a.rows}_seed{SEED}.csv"
        if not p.exists():
            tmp = p.with_suffix(".tmp")
            subprocess.run([a.kqlab, "gen", t, "--rows", str(a.rows), "--seed", str(SEED), "--now", CLOCK, "--header", "plain", "--out", str(tmp)], check=True)
            tmp.rename(p)
        paths[t] = p

    # 2. Load every engine (not timed).
    versions = {"duckdb": duckdb.__version__, "polars": pl.__version__}
    print(f"loading {', '.join(tables)} at {a.rows} rows ...", file=sys.stderr)
    kq = KqlabServer(a.kqlab, a.rows, [f"{t}={p}" for t, p in paths.items()] if given else None, a.no_limits, ",".join(n for n, _ in queries))
    if a.no_limits:
        a.label = (a.label + "; " if a.label else "") + "kqlab with its row and cell limits lifted (--no-limits)"

    duck = duckdb.connect()
    duck.execute("SET threads = 1")
    duck.execute("SET TimeZone = 'UTC'")
    for t, p in paths.items():
        duck.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv('{p}', header = true, timestampformat = '{a.timestamp_format}')")

    peers = [x for x in ("duckdb", "chdb", "polars") if x in a.peers.split(",")]
    if len(peers) < 3:
        a.label = (a.label + "; " if a.label else "") + f"peers loaded: {', '.join(peers)} (memory)"
    ch = chsession.Session()
    ch.query("SET max_threads = 1")
    ch.query("SET allow_experimental_kusto_dialect = 1")
    versions["chdb"] = ch.query("SELECT version()", "CSV").bytes().decode().strip().strip('"')
    for t, p in paths.items() if "chdb" in peers else []:
        defs = []
        for name, ty in schemas[t]:
            if ty in CH_TYPES:
                nulls = duck.execute(f'SELECT count(*) - count("{name}") FROM {t}').fetchall()[0][0]
                chty = CH_TYPES[ty] if nulls == 0 else f"Nullable({CH_TYPES[ty]})"
            else:
                chty = "String"
            defs.append(f"`{name}` {chty}")
        structure = ", ".join(defs)
        ch.query(f"CREATE TABLE {t} ({structure}) ENGINE = Memory")
        ch.query(
            f"INSERT INTO {t} SELECT * FROM file('{p}', 'CSVWithNames', '{structure.replace(chr(39), chr(92) + chr(39))}') "
            "SETTINGS date_time_input_format = 'best_effort', input_format_csv_empty_as_default = 1"
        )
    assert ch.query("SELECT getSetting('max_threads')", "CSV").bytes().decode().strip() == "1"

    frames = {t: pl.read_csv(p, try_parse_dates=True, infer_schema_length=10000) for t, p in paths.items() if "polars" in peers}
    assert pl.thread_pool_size() == 1, "POLARS_MAX_THREADS=1 was not applied"
    pq = polars_queries(pl, frames.get(U), frames.get(E))

    # 3. Time, query by query, engines in turn.
    def ch_kql(q: str):
        kql = q.replace("ago(7d)", f"datetime({AGO_7D})")
        return lambda: ch.query(f"SET dialect = 'kusto'; {kql}", "ArrowTable").num_rows

    def ch_sql(name: str):
        sql = render_sql(name, CH)
        return lambda: ch.query(f"SET dialect = 'clickhouse'; {sql}", "ArrowTable").num_rows

    results = []
    for name, q in queries:
        k = kq.run(name, a.repeat)
        if "error" in k:
            print(f"{name}: kqlab error: {k['error']}", file=sys.stderr)
            continue
        row = {"name": name, "kqlab": k["median_ms"], "kqlab_rows": k["rows_out"], "notes": []}
        dsql = render_sql(name, DUCK)
        skipped = (math.nan, row["kqlab_rows"])  # a peer left out (--peers)
        row["duckdb"], row["duckdb_rows"] = timed(lambda: duck.sql(dsql).to_arrow_table().num_rows, a.repeat) if "duckdb" in peers else skipped
        # ClickHouse: its KQL dialect when it answers with the same number of rows.
        how = "kql"
        try:
            if "chdb" not in peers:
                raise LookupError("not loaded")
            fn = ch_kql(q)
            n = fn()
            if n != k["rows_out"]:
                raise ValueError(f"{n} rows")
        except LookupError:
            fn = None
        except Exception as ex:  # chdb raises its own error types
            how = "sql"
            msg = str(ex).strip().splitlines()
            row["notes"].append(f"chdb KQL: {msg[0][:80] if msg else type(ex).__name__}")
            ch.query("SET dialect = 'clickhouse'")
            fn = ch_sql(name)
        row["chdb"], row["chdb_rows"] = timed(fn, a.repeat) if fn else skipped
        row["chdb_how"] = how
        row["polars"], row["polars_rows"] = timed(lambda: pq[name]().collect().height, a.repeat) if "polars" in peers else skipped
        for peer in ("duckdb", "chdb", "polars"):
            if row[f"{peer}_rows"] != row["kqlab_rows"]:
                row["notes"].append(f"{peer} returned {row[f'{peer}_rows']} rows, kqlab {row['kqlab_rows']}")
        fastest = min(row[x] for x in peers)
        row["ratio"] = row["kqlab"] / fastest
        results.append(row)
        print(f"  {name:<24} kqlab {row['kqlab']:8.2f}  duckdb {row['duckdb']:8.2f}  chdb {row['chdb']:8.2f} ({how})  polars {row['polars']:8.2f}  ratio {row['ratio']:.2f}", file=sys.stderr)
    kq.close()

    if given:
        a.rows = next((m["rows"] for m in kq.ready.get("memory", []) if m["table"] == U), 0)  # UrlClickEvents' rows
    md = markdown(results, a.rows, a.repeat, versions, kq.ready.get("memory", []), a.label)
    print(md)
    if a.markdown:
        Path(a.markdown).write_text(md)
    if a.json:
        Path(a.json).write_text(json.dumps({"rows": a.rows, "repeat": a.repeat, "versions": versions, "results": results}, indent=1))
    return 0


def markdown(results: list[dict], rows: int, repeat: int, versions: dict, memory: list[dict], label: str = "") -> str:
    lines = [
        f"{label + ', ' if label else ''}{rows:,} rows, one thread per engine, median of {repeat} runs after a warm-up run (milliseconds). "
        f"DuckDB {versions['duckdb']}, ClickHouse {versions['chdb']} (chdb), Polars {versions['polars']}.",
        "",
        "| query | kqlab | duckdb | chdb | polars | kqlab / fastest peer |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f2 = lambda x: "–" if math.isnan(x) else f"{x:.2f}"  # noqa: E731 (a peer left out)
        ch = f2(r["chdb"]) + (" (sql)" if r["chdb_how"] == "sql" and not math.isnan(r["chdb"]) else "")
        flag = " ≠" if any("returned" in n for n in r["notes"]) else ""
        lines.append(f"| {r['name']} | {r['kqlab']:.2f} | {f2(r['duckdb'])} | {ch} | {f2(r['polars'])} | {r['ratio']:.2f}{flag} |")
    if results:
        gm = math.exp(sum(math.log(r["ratio"]) for r in results) / len(results))
        worst = max(results, key=lambda r: r["ratio"])
        lines.append("")
        lines.append(f"Geometric mean of kqlab / fastest peer: **{gm:.2f}**; highest: {worst['ratio']:.2f} ({worst['name']}).")
    notes = [(r["name"], n) for r in results for n in r["notes"]]
    if notes:
        lines.append("")
        lines.append("Notes:")
        for name, n in notes:
            lines.append(f"- {name}: {n}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
