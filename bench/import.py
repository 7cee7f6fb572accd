"""CSV import throughput: kqlab against DuckDB's read_csv (and Polars), one thread each.

    bench/run.sh import            (makes the venv, the CSV files and the table)
    .tools/bench-venv/bin/python bench/import.py --kqlab target/release/kqlab FILE.csv ... [--repeat 3]

For every file: kqlab's `bench --import`: the file read once, then `table::read_csv` on the
text in memory (what the page's file import does; read and parse reported separately and
together), and `table::read_csv_from` streaming the file in 4 MiB blocks (what the CLI's
`--data` does, the whole text never in memory; this is the kqlab figure compared); DuckDB `CREATE TABLE … AS SELECT * FROM read_csv(…)` with
`SET threads = 1` (it reads the file itself, from the page cache after the first run) and
Polars `read_csv` with POLARS_MAX_THREADS=1. Median of --repeat runs after one untimed run.
Throughput is the file's bytes over the time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ["POLARS_MAX_THREADS"] = "1"


def med(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def timed(fn, repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return med(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kqlab", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown")
    ap.add_argument("files", nargs="+", help="CSV files, optionally LABEL=FILE")
    a = ap.parse_args()

    import duckdb
    import polars as pl

    rows_out = []
    for spec in a.files:
        label, _, path = spec.rpartition("=")
        path = Path(path)
        label = label or path.name
        size = path.stat().st_size
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "adv" in path.name else "%Y-%m-%dT%H:%M:%S.%gZ"
        k = json.loads(subprocess.run([a.kqlab, "bench", "--import", str(path), "--min-runs", str(a.repeat)], capture_output=True, text=True, check=True).stdout)

        duck = duckdb.connect()
        duck.execute("SET threads = 1")

        def duck_load():
            duck.execute("DROP TABLE IF EXISTS t")
            duck.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header = true, timestampformat = '{fmt}')")

        d = timed(duck_load, a.repeat)
        drows = duck.execute("SELECT count(*) FROM t").fetchall()[0][0]
        p = timed(lambda: pl.read_csv(path, try_parse_dates=True, infer_schema_length=10000), a.repeat)
        kq_total = k["read_ms"] + k["parse_ms"]
        row = {
            "label": label, "bytes": size, "rows": k["rows"], "duck_rows": drows, "kqlab_read_ms": k["read_ms"], "kqlab_parse_ms": k["parse_ms"],
            "kqlab_ms": kq_total, "kqlab_stream_ms": k["stream_ms"], "duckdb_ms": d, "polars_ms": p,
        }
        rows_out.append(row)
        print(f"  {label}: {size} bytes, kqlab streamed {k['stream_ms']:.0f} ms, whole text {kq_total:.0f} ms (read {k['read_ms']:.0f} + parse {k['parse_ms']:.0f}), duckdb {d:.0f} ms, polars {p:.0f} ms", file=sys.stderr)

    mb = lambda b, ms: b / 1e6 / (ms / 1000)  # noqa: E731
    lines = [
        f"One thread per engine, median of {a.repeat} runs after an untimed one; milliseconds, and MB/s of CSV. DuckDB {duckdb.__version__}, Polars {pl.__version__}.",
        "",
        "| file | rows | MB | kqlab streamed (CLI --data) ms | kqlab streamed MB/s | kqlab whole text: read + parse ms | DuckDB read_csv ms | DuckDB MB/s | Polars read_csv ms | kqlab streamed / DuckDB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows_out:
        flag = "" if r["rows"] == r["duck_rows"] else f" (DuckDB: {r['duck_rows']} rows)"
        lines.append(
            f"| {r['label']} | {r['rows']:,}{flag} | {r['bytes'] / 1e6:.1f} | {r['kqlab_stream_ms']:.0f} | {mb(r['bytes'], r['kqlab_stream_ms']):.0f} | "
            f"{r['kqlab_read_ms']:.0f} + {r['kqlab_parse_ms']:.0f} | {r['duckdb_ms']:.0f} | {mb(r['bytes'], r['duckdb_ms']):.0f} | {r['polars_ms']:.0f} | "
            f"{r['kqlab_stream_ms'] / r['duckdb_ms']:.2f} |"
        )
    md = "\n".join(lines) + "\n"
    print(md)
    if a.markdown:
        Path(a.markdown).write_text(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
