#!/usr/bin/env python3
"""Differential testing of kqlab against ClickHouse's KQL dialect (chdb, in-process).

    python tests/differential/run.py [--queries N] [--seed S] [--rows R] [--only generated|cases]
    python tests/differential/run.py --query 'UrlClickEvents | count' [--dataset gen|fixture]

Exit status: 0 when every disagreement is explained by known_differences.toml, 1 when at
least one is not, 2 when the harness itself cannot run. See README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import cases as cases_mod  # noqa: E402
import known as known_mod  # noqa: E402
from compare import Comparison, Finding, compare, parse_datetime_ns  # noqa: E402
from engines import ClickHouse, Kqlab, Outcome  # noqa: E402
from kqltext import OrderSpec, order_spec, rewrite_clock  # noqa: E402
from querygen import QueryGen, profile_csv  # noqa: E402

CLOCK = "2026-11-22T12:00:00Z"  # the conformance suite's clock (tests/it/cases.rs)
GEN_TABLES = ("UrlClickEvents", "EmailEvents")
UNORDERED_ARRAYS = re.compile(r"\b(make_set|make_set_if|makeset|make_list|make_list_if|makelist|set_union|set_intersect|set_difference|make_bag)\b")

CATEGORIES = ("agreed", "explained", "unexplained", "unsupported by peer", "rejected by both", "error case")


@dataclass
class Item:
    id: str
    source: str  # generated | case
    query: str
    dataset: str  # gen | fix
    rowsort: bool = False
    expects_error: bool = False
    peer_query: str = ""
    kqlab: Outcome | None = None
    peer: Outcome | None = None
    category: str = ""
    comparison: Comparison = field(default_factory=Comparison)


def peer_error_reason(msg: str) -> str:
    m = re.search(r"DB::Exception: (.*)", msg)
    s = m.group(1) if m else msg
    s = re.sub(r"at position \d+", "", s)
    s = re.sub(r"\. \(\w+\)$", "", s)
    s = re.sub(r": In scope .*", "", s)
    s = re.sub(r", found .*", "", s)
    return s.strip()[:110]


def classify(it: Item, known: list) -> None:
    k, p = it.kqlab, it.peer
    if it.expects_error:
        it.category = "error case"
        return
    if k.ok and not p.ok:
        it.category = "unsupported by peer"
        return
    if not k.ok and not p.ok:
        it.category = "rejected by both"
        return
    if not k.ok:
        it.comparison.findings.append(Finding("kqlab-error", kqlab=k.error.splitlines()[0][:200], detail="kqlab rejects a query the peer runs"))
    else:
        spec = OrderSpec() if it.rowsort else order_spec(it.query)
        it.comparison = compare(k, p, spec, bool(UNORDERED_ARRAYS.search(it.query)))
    if not it.comparison.findings:
        it.category = "agreed"
    elif known_mod.explain(it.comparison.findings, it.query, known, it.id):
        it.category = "explained"
    else:
        it.category = "unexplained"


def fmt_outcome(o: Outcome, limit: int = 8) -> str:
    if not o.ok:
        return "  error: " + o.error.replace("\n", "\n         ")
    lines = ["  " + " | ".join(f"{n}:{t}" for n, t in o.columns)]
    for r in o.rows[:limit]:
        lines.append("  " + " | ".join(json.dumps(v, separators=(",", ":")) for v in r))
    if len(o.rows) > limit:
        lines.append(f"  ... {len(o.rows)} rows")
    return "\n".join(lines)


def describe(it: Item, full: bool = True) -> str:
    out = [f"--- {it.id} [{it.category}]", it.query]
    if it.peer_query and it.peer_query != it.query:
        out.append(f"(peer ran: {it.peer_query})")
    for f in it.comparison.findings:
        tag = f"explained by {f.explained_by}" if f.explained_by else "UNEXPLAINED"
        out.append(f"  * {f.text()}  ({tag})")
    if it.comparison.note:
        out.append(it.comparison.note)
    if full:
        out.append("kqlab:")
        out.append(fmt_outcome(it.kqlab))
        out.append("clickhouse:")
        out.append(fmt_outcome(it.peer))
    return "\n".join(out)


def gen_data(kqlab: Path, work: Path, rows: int, seed: int, now: str) -> dict[str, Path]:
    paths = {}
    for t in GEN_TABLES:
        out = work / f"{t}.csv"
        subprocess.run([str(kqlab), "gen", t, "--rows", str(rows), "--seed", str(seed), "--now", now,
                        "--out", str(out), "--header", "typed"], check=True, capture_output=True)
        paths[t] = out
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", type=int, default=400, help="generated queries (default 400)")
    ap.add_argument("--seed", type=int, default=20261122, help="query generator seed")
    ap.add_argument("--data-seed", type=int, default=7, help="dataset seed for kqlab gen")
    ap.add_argument("--rows", type=int, default=3000, help="rows per generated table")
    ap.add_argument("--now", default=CLOCK, help="session clock for data generation and queries")
    ap.add_argument("--kqlab", type=Path, default=ROOT / "target" / "release" / "kqlab")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "differential")
    ap.add_argument("--cases", type=Path, default=ROOT / "tests" / "cases")
    ap.add_argument("--fixture", type=Path, default=ROOT / "tests" / "fixtures" / "UrlClickEvents.csv")
    ap.add_argument("--known", type=Path, default=HERE / "known_differences.toml")
    ap.add_argument("--only", choices=("all", "generated", "cases"), default="all")
    ap.add_argument("--jobs", type=int, default=2, help="parallel kqlab processes")
    ap.add_argument("--show", choices=("none", "unexplained", "explained", "unsupported", "all"), default="unexplained",
                    help="which queries to print in full (default: unexplained)")
    ap.add_argument("--query", help="run one query on both engines and compare (triage)")
    ap.add_argument("--dataset", choices=("gen", "fixture"), default="gen", help="tables for --query")
    args = ap.parse_args(argv)

    if not args.kqlab.exists():
        print(f"kqlab binary not found at {args.kqlab} (cargo build --release)", file=sys.stderr)
        return 2
    try:
        known = known_mod.load(args.known)
    except (ValueError, OSError) as e:
        print(f"known differences: {e}", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()

    gen_paths = gen_data(args.kqlab, args.work, args.rows, args.data_seed, args.now)
    peer = ClickHouse()
    for t, p in gen_paths.items():
        peer.load_csv("gen", t, p)
    peer.load_csv("fix", "UrlClickEvents", args.fixture)
    engines = {
        "gen": Kqlab(args.kqlab, args.now, gen_paths),
        "fix": Kqlab(args.kqlab, CLOCK, {"UrlClickEvents": args.fixture}),
    }
    clocks = {"gen": args.now, "fix": CLOCK}

    items: list[Item] = []
    if args.query:
        ds = "fix" if args.dataset == "fixture" else "gen"
        items.append(Item("adhoc", "adhoc", args.query, ds))
    else:
        if args.only in ("all", "generated"):
            profiles = [profile_csv(t, p) for t, p in gen_paths.items()]
            g = QueryGen(profiles, args.seed, parse_datetime_ns(args.now))
            width = len(str(args.queries))
            for i in range(args.queries):
                items.append(Item(f"gen-{i + 1:0{width}d}", "generated", g.query(), "gen"))
        if args.only in ("all", "cases"):
            for c in cases_mod.load(args.cases):
                items.append(Item(c.id, "case", c.query, "fix", rowsort=c.rowsort, expects_error=c.expects_error))

    for it in items:
        it.peer_query = rewrite_clock(it.query, clocks[it.dataset])

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(engines[it.dataset].run, it.query) for it in items]
        for it, fut in zip(items, futures):
            it.peer = peer.run(it.dataset, it.peer_query)
            it.kqlab = fut.result()
            classify(it, known)
    elapsed = time.monotonic() - t0

    if args.query:
        it = items[0]
        print(describe(it))
        return 1 if it.category == "unexplained" else 0

    # ---- report ---------------------------------------------------------------------
    show = {"none": set(), "unexplained": {"unexplained"}, "explained": {"unexplained", "explained"},
            "unsupported": {"unexplained", "unsupported by peer"}, "all": set(CATEGORIES)}[args.show]
    for it in items:
        if it.category in show:
            print(describe(it))
            print()

    report = args.work / "report.txt"
    with open(report, "w", encoding="utf-8") as fh:
        for it in items:
            if it.category != "agreed":
                fh.write(describe(it, full=it.category in ("unexplained", "explained", "rejected by both")) + "\n\n")

    srcs = ("generated", "case")
    counts = {s: {c: 0 for c in CATEGORIES} for s in srcs}
    for it in items:
        counts[it.source][it.category] += 1
    naming = [it for it in items if any(f.kind == "name" for f in it.comparison.findings)]

    print(f"kqlab vs ClickHouse {peer.version} (chdb) KQL dialect; query seed {args.seed}, data seed "
          f"{args.data_seed}, {args.rows} rows per table, clock {args.now}; {elapsed:.1f}s")
    print()
    hdr = f"{'':24}{'generated':>10}{'cases':>8}{'total':>8}"
    print(hdr)
    print("-" * len(hdr))

    def row(label, vals):
        print(f"{label:24}{vals[0]:>10}{vals[1]:>8}{vals[0] + vals[1]:>8}")

    tot = [sum(1 for it in items if it.source == s) for s in srcs]
    row("queries", tot)
    row("  error cases (skipped)", [counts[s]["error case"] for s in srcs])
    row("  unsupported by peer", [counts[s]["unsupported by peer"] for s in srcs])
    row("  rejected by both", [counts[s]["rejected by both"] for s in srcs])
    compared = [counts[s]["agreed"] + counts[s]["explained"] + counts[s]["unexplained"] for s in srcs]
    row("  compared", compared)
    row("    agreed", [counts[s]["agreed"] for s in srcs])
    row("    explained", [counts[s]["explained"] for s in srcs])
    row("    unexplained", [counts[s]["unexplained"] for s in srcs])
    print()
    nn = sum(1 for it in naming if any(f.kind == "name" and not f.explained_by for f in it.comparison.findings))
    print(f"column-naming differences: {len(naming)} queries ({len(naming) - nn} explained, {nn} unexplained)")
    used = [k for k in known if k.hits]
    print(f"known differences used: {len(used)} of {len(known)}")
    for k in known:
        print(f"  {k.id:34} {len(k.queries):4} queries  {k.kind}")
    reasons: dict[str, int] = {}
    for it in items:
        if it.category == "unsupported by peer":
            r = peer_error_reason(it.peer.error)
            reasons[r] = reasons.get(r, 0) + 1
    if reasons:
        print("unsupported by peer, by reason:")
        for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))[:15]:
            print(f"  {n:4}  {r}")
        if len(reasons) > 15:
            print(f"  ... {len(reasons) - 15} more reasons in {report}")
    both = [it.id for it in items if it.category == "rejected by both"]
    if both:
        print(f"rejected by both: {', '.join(both[:20])}{' ...' if len(both) > 20 else ''}")
    print(f"details: {report}")
    unexplained = sum(counts[s]["unexplained"] for s in srcs)
    if unexplained:
        print(f"FAILED: {unexplained} unexplained disagreement(s)")
        return 1
    print("OK: no unexplained disagreements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
