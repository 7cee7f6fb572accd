"""Checks that two kqlab binaries give identical results: a guard for engine optimisations.

    .tools/diff-venv/bin/python bench/same_results.py --old OLD/kqlab --new target/release/kqlab \
        [--queries 600] [--seed 99] [--work target/differential]

Queries come from the differential tests' generator (tests/differential/querygen.py) over the
CSV files in --work (written by tests/differential/run.sh: 20,000 rows gives bigger
dictionaries than the default 3,000), plus bench/queries.txt. Each runs in both binaries twice:
on the CSV files (deduplicated dictionaries) and on the same tables generated in memory (the
generator's packed dictionaries), and the JSON outputs (elapsed time removed) must be equal
byte for byte, row order included. Exit status 1 if any differs.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "differential"))
from compare import parse_datetime_ns  # noqa: E402
from querygen import QueryGen, profile_csv  # noqa: E402

NOW = "2026-11-22T12:00:00Z"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "differential")
    ap.add_argument("--rows", type=int, default=20000, help="rows of the CSV files in --work (for the in-memory run)")
    ap.add_argument("--data-seed", type=int, default=7, help="dataset seed of the CSV files in --work")
    a = ap.parse_args()
    paths = {t: a.work / f"{t}.csv" for t in ("UrlClickEvents", "EmailEvents")}
    g = QueryGen([profile_csv(t, p) for t, p in paths.items()], a.seed, parse_datetime_ns(NOW))
    qs = [g.query() for _ in range(a.queries)]
    qs += [line.split(":", 1)[1].strip() for line in (ROOT / "bench" / "queries.txt").read_text().splitlines() if line.strip() and not line.startswith("#")]

    def run(binary: str, q: str, in_memory: bool):
        args = [binary, "query", "--format", "json", "--now", NOW, "--max-rows", "100000000"]
        if in_memory:
            args += ["--rows", str(a.rows), "--seed", str(a.data_seed)]
        else:
            for t, p in paths.items():
                args += ["--data", f"{t}={p}"]
        p = subprocess.run(args + ["-"], input=q.encode(), capture_output=True)
        if p.returncode != 0:
            return ("error", p.stderr.decode(errors="replace")[:300])
        doc = json.loads(p.stdout)
        doc.pop("elapsed_ms", None)
        return ("ok", json.dumps(doc))

    bad = 0
    for i, q in enumerate(qs):
        for in_memory in (False, True):
            x, y = run(a.old, q, in_memory), run(a.new, q, in_memory)
            if x != y:
                bad += 1
                print(f"DIFFERENT (in_memory={in_memory}) #{i}: {q}\n  old: {x[0]} {x[1][:300]}\n  new: {y[0]} {y[1][:300]}\n", flush=True)
    print(f"{len(qs)} queries x 2 datasets: {bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
