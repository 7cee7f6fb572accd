#!/usr/bin/env python3
"""Run the documented examples of the Kusto reference through kqlab and sort the outcomes.

This is a local tool, run by hand; it is not part of CI. It needs a local copy of the public
MicrosoftDocs/dataexplorer-docs repository, which it reads but never copies into this repo:

    git clone --depth 1 https://github.com/MicrosoftDocs/dataexplorer-docs /tmp/dataexplorer-docs
    cargo build --release
    python3 tests/docs/harness.py /tmp/dataexplorer-docs            # writes FIDELITY.md
    python3 tests/docs/harness.py /tmp/dataexplorer-docs --show different

The path may be the repository root or its data-explorer/kusto/query folder.

An *example* is a ```kusto fenced block on one of the query/*.md pages that is followed, before
the next fenced block or heading, by a markdown table: the documented output. Each example runs
with `kqlab query --format json` and lands in one outcome:

  same          kqlab prints the documented table cell for cell, reading the docs' display
                forms (PRESENTATION: markdown decoration, Kusto.Explorer's datetime and number
                forms, spaced JSON, True/False) as the values Kusto returns
  formatting    the same values once formatting-only differences are removed; each such
                difference has a name (see NORMALISERS) and FIDELITY.md counts them
  different     kqlab answers, and the answer differs from the documented one; FIDELITY.md
                lists each with a reason (tests/docs/reasons.json, written by hand, keyed by
                page#example; the harness adds what it found different)
  unsupported   kqlab rejects the query (an unknown function or operator, a syntax error...);
                the first line of kqlab's message is the reason
  external      not self-contained: the query reads a table that exists only on a cluster
                (StormEvents, ...), or calls cluster()/database()/externaldata/inline_external_table

FIDELITY.md carries page names, example numbers and short reasons only, never the docs' text.
"""

import argparse
import collections
import datetime as dt
import json
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

FENCE = re.compile(r"^\s*(`{3,})\s*([A-Za-z0-9_-]*)\s*$")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
DATA_ROW = re.compile(r"^\s*\|.*\S")
SEPARATOR = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?\|?\s*$")
EXTERNAL_CALLS = re.compile(r"\b(cluster|database|externaldata|external_table|inline_external_table|materialized_view|entity_group)\s*\(", re.I)
# Persistent graph models (graph("Simple"), the sample graphs on the help cluster) and the
# graph_time_travel() function of the best-practices page exist only on a cluster.
GRAPH_MODELS = re.compile(r"(?<![-\w])(graph|graph_time_travel)\s*\(", re.I)
# The "Run the query" link the docs put before an example: its query= parameter is the query
# text, gzip-compressed and base64-encoded (URL-escaped).
RUN_LINK = re.compile(r"dataexplorer\.azure\.com/clusters/[^\s\"]*[?&]query=([A-Za-z0-9%+/=_-]+)")


def link_query(line):
    """The query of a "Run the query" link on this line, or None."""
    m = RUN_LINK.search(line)
    if not m:
        return None
    import base64
    import gzip
    import urllib.parse
    try:
        return gzip.decompress(base64.b64decode(urllib.parse.unquote(m.group(1)))).decode("utf-8")
    except (ValueError, OSError, EOFError):
        return None


def query_dir(path):
    for cand in (path, os.path.join(path, "data-explorer", "kusto", "query")):
        if os.path.isdir(cand) and any(n.endswith(".md") for n in os.listdir(cand)):
            if os.path.exists(os.path.join(cand, "datatable-operator.md")) or cand != path:
                return cand
    sys.exit(f"harness: {path} holds no data-explorer/kusto/query/*.md pages; "
             "clone https://github.com/MicrosoftDocs/dataexplorer-docs and pass its path")


def split_row(line):
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur.append("|")
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur).strip())
    return cells


def extract(page_path):
    """Yield (number, query, header, rows, partial, link) for each kusto block of a page.

    number counts every kusto block of the page from 1, so it stays stable when an example
    without an output table sits between two with one. header is None when no table follows.
    link is the query of the "Run the query" link between the previous block and this one
    (the docs' runnable form of the example), or None."""
    with open(page_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i, n, link = 0, 0, None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            link = link_query(lines[i]) or link
            i += 1
            continue
        block_link, link = link, None
        ticks, lang = m.group(1), m.group(2).lower()
        j = i + 1
        body = []
        while j < len(lines) and not re.match(r"^\s*" + ticks + r"\s*$", lines[j]):
            body.append(lines[j])
            j += 1
        i = j + 1
        if lang not in ("kusto", "kql"):
            continue
        n += 1
        # look for the output table before the next fence or heading
        k, header, rows, partial = i, None, [], False
        while k < len(lines):
            ln = lines[k]
            if FENCE.match(ln) or HEADING.match(ln):
                break
            if re.search(r"(only the first|first \d+ rows|partial|truncated|sample of)", ln, re.I) and not TABLE_ROW.match(ln):
                partial = True
            if TABLE_ROW.match(ln) and k + 1 < len(lines) and SEPARATOR.match(lines[k + 1]):
                header = split_row(ln)
                k += 2
                # a data row may lack its closing pipe (`|a| b| c`): it still starts with one
                while k < len(lines) and (TABLE_ROW.match(lines[k]) or DATA_ROW.match(lines[k])):
                    rows.append(split_row(lines[k]))
                    k += 1
                break
            k += 1
        yield n, "\n".join(body), header, rows, partial, block_link


# ---------------------------------------------------------------- rendering kqlab's answer

def render(value, typ):
    """kqlab's JSON value as Kusto's documentation prints it (the web UI's text form)."""
    if value is None:
        return ""
    if typ == "dynamic":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if typ == "bool":
        return "true" if value else "false"
    if typ == "real" and isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


# ---------------------------------------------------------------- normalisers
# Each takes one cell text (docs or kqlab) and returns a canonical form. They are applied in
# order, one more at a time, and the first that makes the tables equal names the difference.

def strip_decoration(s):
    s = s.strip()
    for a, b in (("`", "`"), ("**", "**"), ("*", "*"), ("'", "'"), ('"', '"')):
        if len(s) >= 2 * len(a) and s.startswith(a) and s.endswith(b):
            s = s[len(a):-len(b)].strip()
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("<br>", " ")
    # a cell drawn as a markdown link to itself, [url](url), is the text url
    m = re.match(r"^\[([^\]]*)\]\(([^)]*)\)$", s)
    if m and m.group(1) == m.group(2):
        s = m.group(1)
    return s


DT_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|\+00:00)?$")


def norm_datetime(s):
    m = DT_RE.match(s.strip())
    if not m:
        return s
    hms = m.group(2)
    if len(hms) == 5:
        hms += ":00"
    frac = (m.group(3) or "").rstrip("0")
    if frac == ".":
        frac = ""
    return f"{m.group(1)}T{hms}{frac}Z"


TS_RE = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?$")


def norm_timespan(s):
    m = TS_RE.match(s.strip())
    if not m:
        return s
    sign, d, h, mi, se, frac = m.groups()
    frac = (frac or "").rstrip("0")
    if frac == ".":
        frac = ""
    d = int(d or 0)
    return f"{sign or ''}{str(d) + '.' if d else ''}{int(h):02d}:{mi}:{se}{frac}"


def norm_number(s):
    t = s.strip().replace(",", "") if re.match(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$", s.strip()) else s.strip()
    try:
        if re.match(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$", t):
            v = float(t)
            if v == int(v) and abs(v) < 1e15:
                return str(int(v))
            return f"{v:.12g}"
    except ValueError:
        pass
    low = t.lower()
    if low in ("nan",):
        return "NaN"
    if low in ("infinity", "inf", "+inf", "+infinity", "\u221e"):
        return "Infinity"
    if low in ("-infinity", "-inf", "-\u221e"):
        return "-Infinity"
    return s


def _canon_json(v):
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return int(v)
    if isinstance(v, float):
        return float(f"{v:.12g}")
    if isinstance(v, list):
        return [_canon_json(x) for x in v]
    if isinstance(v, dict):
        return {k: _canon_json(x) for k, x in v.items()}
    if isinstance(v, str):
        d = norm_datetime(v)
        return d
    return v


def norm_json_spacing(s):
    """JSON as the docs draw it (spaces, single quotes) in compact form, keys kept in order."""
    t = s.strip()
    if not t or t[0] not in "[{":
        return s
    try:
        v = json.loads(t)
    except ValueError:
        try:
            v = json.loads(t.replace("'", '"'))
        except ValueError:
            return s
    return json.dumps(_canon_json(v), separators=(",", ":"), ensure_ascii=False)


def norm_json(s):
    t = s.strip()
    if not t or t[0] not in "[{":
        return s
    try:
        v = json.loads(t)
    except ValueError:
        try:  # the docs sometimes print single-quoted or unquoted-key forms
            v = json.loads(t.replace("'", '"'))
        except ValueError:
            return s
    return json.dumps(_canon_json(v), separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def norm_bool(s):
    t = s.strip()
    if t in ("True", "TRUE", "False", "FALSE"):
        return t.lower()
    if t in ("0", "1"):
        return s
    return s


def norm_null(s):
    t = s.strip()
    if t.lower() in ("null", "(null)", "<null>", "_null_", "nan"):
        return ""
    return s


def norm_space(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


NORMALISERS = [
    ("cell decoration (backticks, quotes, html entities, a link to itself)", strip_decoration),
    ("datetime form (space or T, fraction digits)", norm_datetime),
    ("timespan form (fraction digits)", norm_timespan),
    ("number form (1.0 vs 1, exponent, digits printed)", norm_number),
    ("dynamic/JSON form (spacing, quotes)", norm_json_spacing),
    ("bool case (True vs true)", norm_bool),
    ("whitespace inside a cell", norm_space),
    ("dynamic/JSON key order", norm_json),
    ("null printed as text", norm_null),
]

BOOL_AS_DIGIT = "bool drawn as 1/0 (the column's type is bool)"


# How the docs' markdown tables draw a value that Kusto returns in another form; a difference
# of only these is no difference in the answer, so such an example counts as "same". Kusto's own
# output is the oracle for kqlab's printing: datetimes as 2019-07-15T00:00:00Z, timespans as
# 1.02:03:04, reals in their shortest exact form, bools as true/false, dynamic values as compact
# JSON; the docs' tables instead show Kusto.Explorer's display forms (2019-07-15 00:00:00.0000000,
# 1.0, True) and markdown decoration (backticks, escaped characters, spaced JSON, quotes).
PRESENTATION = {
    BOOL_AS_DIGIT,
    "cell decoration (backticks, quotes, html entities, a link to itself)",
    "datetime form (space or T, fraction digits)",
    "timespan form (fraction digits)",
    "number form (1.0 vs 1, exponent, digits printed)",
    "dynamic/JSON form (spacing, quotes)",
    "bool case (True vs true)",
    "whitespace inside a cell",
}


def apply(cells, fns):
    out = []
    for c in cells:
        for f in fns:
            c = f(c)
        out.append(c)
    return out


def bools_as_digits(doc_rows, kq_types):
    """The docs' rows with a bool column's 1/0 (Kusto.Explorer's display of a bool) read as
    true/false; only in columns whose kqlab type is bool, so a number 1 never passes for true."""
    out, changed = [], False
    for r in doc_rows:
        row = list(r)
        for ci, t in enumerate(kq_types or []):
            if t == "bool" and ci < len(row) and row[ci].strip() in ("0", "1"):
                row[ci] = "true" if row[ci].strip() == "1" else "false"
                changed = True
        out.append(row)
    return out, changed


def compare(doc_header, doc_rows, kq_header, kq_rows, sorted_query, kq_types=None):
    """Return ("same", []) / ("formatting", [names]) / ("different", detail)."""
    if [h.strip() for h in doc_header] == kq_header and doc_rows == kq_rows:
        return "same", []
    doc_rows, digits = bools_as_digits(doc_rows, kq_types)
    # header: names may carry decoration in the docs; otherwise names must be equal
    dh = [strip_decoration(h) for h in doc_header]
    names = []
    if dh != kq_header:
        if [h.lower() for h in dh] == [h.lower() for h in kq_header]:
            names.append("column name case")
        else:
            return "different", f"columns: docs {dh} / kqlab {kq_header}"
    if len(doc_rows) != len(kq_rows):
        return "different", f"rows: docs {len(doc_rows)} / kqlab {len(kq_rows)}"
    bad_width = [r for r in doc_rows if len(r) != len(dh)]
    if bad_width:
        return "different", f"a docs row has {len(bad_width[0])} cells for {len(dh)} columns (docs table malformed)"
    fns = []
    used = list(names) + ([BOOL_AS_DIGIT] if digits else [])
    d_rows, k_rows = doc_rows, kq_rows
    for name, fn in NORMALISERS:
        d_rows = [apply(r, fns) for r in doc_rows]
        k_rows = [apply(r, fns) for r in kq_rows]
        if d_rows == k_rows:
            break
        fns.append(fn)
        before = [apply(r, fns[:-1]) for r in doc_rows], [apply(r, fns[:-1]) for r in kq_rows]
        after = [apply(r, fns) for r in doc_rows], [apply(r, fns) for r in kq_rows]
        if before != after:
            used.append(name)
    d_rows = [apply(r, fns) for r in doc_rows]
    k_rows = [apply(r, fns) for r in kq_rows]
    if d_rows == k_rows:
        if all(u in PRESENTATION for u in used):
            return "same", used
        return "formatting", used
    if not sorted_query and sorted(d_rows) == sorted(k_rows):
        return "formatting", used + ["row order (the query does not sort)"]
    for ri, (a, b) in enumerate(zip(d_rows, k_rows)):
        for ci, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return "different", f"row {ri + 1} column {dh[ci]}: docs {short(x)} / kqlab {short(y)}"
    return "different", "rows differ"


def short(s, n=60):
    s = s.replace("\n", " ")
    return repr(s if len(s) <= n else s[: n - 1] + "…")


# ---------------------------------------------------------------- running

def run_kqlab(kqlab, query, now):
    try:
        p = subprocess.run([kqlab, "query", "--format", "json", "--now", now, "-"], input=query,
                           capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None, "timed out after 30 s"
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["(no message)"])[0]
    try:
        return json.loads(p.stdout), None
    except ValueError:
        return None, "kqlab printed no JSON"


def non_finite_reals(kqlab, query, now, out, types):
    """JSON has no infinities or NaN, so kqlab's JSON output writes those reals as null; its
    CSV output spells them (-Infinity, NaN). Where a real column holds a null, read the CSV
    form of the same answer and put the non-finite values back."""
    nulls = [(ri, ci) for ri, r in enumerate(out["rows"]) for ci, v in enumerate(r) if v is None and types[ci] == "real"]
    if not nulls:
        return
    import csv
    import io
    p = subprocess.run([kqlab, "query", "--format", "csv", "--now", now, "-"], input=query, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        return
    table = list(csv.reader(io.StringIO(p.stdout)))[1:]
    if len(table) != len(out["rows"]):
        return
    spelled = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
    for ri, ci in nulls:
        if ci < len(table[ri]) and table[ri][ci] in spelled:
            out["rows"][ri][ci] = spelled[table[ri][ci]]


def classify(kqlab, query, header, rows, now, link=None):
    """(outcome, detail, kqlab's rows, ran_link). Some docs blocks are not the query the docs
    ran: most show a bare scalar expression (`asin(0.5)`), which is not a query (Kusto, like
    kqlab, needs a tabular statement). The page's "Run the query" link holds what the docs
    actually ran (a `print`); when kqlab refuses the block and the link differs, the link's
    query runs instead and the report lists the example."""
    outcome, detail, kq_rows = classify_one(kqlab, query, header, rows, now)
    if outcome == "unsupported" and link and link.strip() != query.strip():
        o2, d2, r2 = classify_one(kqlab, link, header, rows, now)
        if o2 != "unsupported":
            return o2, d2, r2, True
    return outcome, detail, kq_rows, False


def classify_one(kqlab, query, header, rows, now):
    if EXTERNAL_CALLS.search(query):
        return "external", "reads data outside the query (cluster/database/externaldata/external storage)", None
    if GRAPH_MODELS.search(query):
        return "external", "reads a graph model stored on the cluster (graph(\"Name\"), graph_time_travel())", None
    out, err = run_kqlab(kqlab, query, now)
    if err is not None:
        m = re.search(r"Unknown table '([^']+)'", err)
        if m:
            return "external", f"needs the cluster table {m.group(1)}", None
        msg = re.sub(r"^\d+:\d+:\s*", "", err)
        return "unsupported", msg, None
    kq_header = [c["name"] for c in out["columns"]]
    types = [c["type"] for c in out["columns"]]
    non_finite_reals(kqlab, query, now, out, types)
    kq_rows = [[render(v, t) for v, t in zip(r, types)] for r in out["rows"]]
    sorted_query = re.search(r"\b(sort|order|top|top-nested|serialize)\b", query) is not None
    outcome, detail = compare(header, rows, kq_header, kq_rows, sorted_query, types)
    return outcome, detail, kq_rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("docs", help="path of a dataexplorer-docs clone (or its data-explorer/kusto/query folder)")
    ap.add_argument("--kqlab", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "kqlab"))
    ap.add_argument("--out", default=os.path.join(ROOT, "FIDELITY.md"), help="where to write the report (- for none)")
    ap.add_argument("--page", help="only pages whose file name contains this")
    ap.add_argument("--show", choices=["same", "formatting", "different", "unsupported", "external"], action="append",
                    help="print the examples with this outcome (query, docs table, kqlab's rows)")
    ap.add_argument("--now", default="2026-11-22T12:00:00Z", help="session clock passed to kqlab")
    args = ap.parse_args()
    if not os.path.exists(args.kqlab):
        sys.exit(f"harness: {args.kqlab} not found; run `cargo build --release` or pass --kqlab")
    qdir = query_dir(args.docs)
    reasons_path = os.path.join(HERE, "reasons.json")
    reasons = json.load(open(reasons_path)) if os.path.exists(reasons_path) else {}

    results = []  # (page, n, outcome, detail)
    linked = []  # examples run from their "Run the query" link (a bare expression in the block)
    no_table = 0
    for name in sorted(os.listdir(qdir)):
        if not name.endswith(".md") or (args.page and args.page not in name):
            continue
        for n, query, header, rows, partial, link in extract(os.path.join(qdir, name)):
            if header is None:
                no_table += 1
                continue
            page = name[:-3]
            outcome, detail, kq_rows, ran_link = classify(args.kqlab, query, header, rows, args.now, link)
            if ran_link:
                linked.append(f"{page}#{n}")
                query = link
            if outcome == "different" and partial and detail.startswith("rows:"):
                detail += " (the docs show part of the output)"
            results.append((page, n, outcome, detail))
            if args.show and outcome in args.show:
                print(f"=== {page}#{n}: {outcome}: {detail}")
                print(query)
                print("--- docs:", header)
                for r in rows:
                    print("   ", r)
                if kq_rows is not None:
                    print("--- kqlab:")
                    for r in kq_rows:
                        print("   ", r)
    order = ["same", "formatting", "different", "unsupported", "external"]
    counts = collections.Counter(r[2] for r in results)
    print("examples with an output table:", len(results), " without one:", no_table)
    for o in order:
        print(f"  {o:12} {counts[o]}")
    if args.out != "-" and not args.page:
        write_report(args.out, results, counts, no_table, reasons, linked)
        print("wrote", args.out)


# Where kqlab chooses a documented behaviour that a playground cannot copy exactly; written
# by hand, kept in the report so the choices stay next to the numbers.
DELIBERATE = [
    "## Deliberate choices",
    "",
    "- `rand()`, `rand(N)`, `sample` and `sample-distinct` draw from a fixed pseudo-random sequence",
    "  (a fixed seed per session): the same query gives the same rows and values on every run,",
    "  where Kusto's differ from run to run. Documented examples that show random output are",
    "  listed as nondeterministic. `kqlab lessons check` refuses a lesson solution that uses",
    "  them, since its answer would depend on chance.",
    "- `ingestion_time()`: kqlab's tables are generated, not ingested, so a row's ingestion time is",
    "  its event time: the `TimeGenerated` column, else `Timestamp`; null when the input has",
    "  neither (as Kusto gives for a table without the ingestion-time policy).",
    "- `T | as Name` lets the rest of the query use `Name`; kqlab computes that input once, as",
    "  Kusto does with `as hint.materialized=true`.",
    "- Query text: a no-break space (U+00A0) is whitespace, as in Kusto; a zero-width space,",
    "  zero-width joiner or byte order mark is an error that names the invisible character.",
    "- Named arguments (`f(name = value)`) are read by `bag_unpack` (its documented parameters) and",
    "  `ipv4_lookup` (`return_unmatched`); other functions refuse them by name.",
    "- `declare query_parameters(name: type = default, ...)`: kqlab has no client to pass values, so",
    "  each parameter is its default converted to the declared type; one without a default is an",
    "  error that says so.",
    "- `find` looks in kqlab's own tables (all of them, or those `in (...)` names); its",
    "  `project-smart` keeps the columns the predicate names and the columns every matching table",
    "  shares, and packs the rest of each row into `pack_`. The docs' examples read other",
    "  databases' tables, so they stay not comparable.",
    "- `parse-kv` without delimiters: a word (letters, digits, '_') or a quoted value is a key or a",
    "  value, and any other run of characters separates them; the first word equal to a requested",
    "  key takes the word or quoted value after it.",
    "- `dynamic(...)` literals read their scalars as KQL literals (any string form, `datetime(...)`,",
    "  timespans, `guid(...)`, typed literals, nested `dynamic(...)`); a datetime or timespan keeps",
    "  its type inside the dynamic value, and a guid becomes a string.",
    "- `gzip_compress_to_base64_string` / `zlib_compress_to_base64_string` write stored (uncompressed)",
    "  deflate blocks: the bytes the docs show Kusto writing for a short text, exactly; for a long",
    "  text Kusto's output is shorter. Both decompress to the same text, and the decompress",
    "  functions read any deflate data.",
    "- `geo_info_from_ip_address` reads kqlab's synthetic geolocation table (`src/data/geo.rs`),",
    "  which places the IPv4 blocks the generated data uses; it is not a real geolocation",
    "  database, so a real address may land elsewhere than in Kusto, and IPv6 addresses are not",
    "  found.",
    "- Period detection (`series_seasonal`, `series_decompose*` with period -1) considers periods of",
    "  4 points up to just under half the series, the limits the series_periods_detect page gives.",
    "- Time zones (`datetime_utc_to_local`, `datetime_local_to_utc`): kqlab carries no time-zone",
    "  database but a built-in list of common zones (src/exec/fns/tz.rs), each a standard offset and",
    "  one of four daylight-saving rules (EU, US, south-east Australia, New Zealand) as they stand",
    "  today. Another zone, or a date before the year the zone's rule took its present form, is an",
    "  error that says so. A local time that occurs twice or never (clock changes) takes the offset",
    "  in force after the change, as the datetime_local_to_utc page shows for a skipped hour.",
    "- `set`: the options that change how Kusto runs a query but not its rows (notruncation,",
    "  querytrace, servertimeout, query_results_cache_max_age, the fan-out and memory options,",
    "  query_results_progressive_enabled) are accepted and have no effect; query_bin_auto_size and",
    "  query_bin_auto_at give `bin_auto()` its bin; any other option is refused by name.",
    "- `estimate_data_size()`: 1 byte for a bool, 4 for an int, 8 for a long, real, datetime or",
    "  timespan, 16 for a guid, a string's UTF-8 length, and a dynamic value's JSON text length. The",
    "  docs give only the long and string sizes; Kusto's dynamic values count more than their text.",
    "- The activity plugins (`sliding_window_counts`, `active_users_count`,",
    "  `activity_counts_metrics`) and `rolling_percentile` take a fixed bin or step (not week,",
    "  month or year), count rows whose time lies from Start to End, and list only windows that",
    "  have rows. `activity_metrics` and `new_activity_metrics` stay rejected: their documented",
    "  examples draw from rand(), so no run could reproduce them.",
    "- `declare pattern`: the cases written in the declaration are run; a pattern declared without",
    "  a body (one an application would fill) is refused.",
    "- `ipv6_lookup` lists every lookup range that contains the address (one row each), the lookup",
    "  table's columns first, as its page shows.",
    "",
]


def write_report(path, results, counts, no_table, reasons, linked):
    order = ["same", "formatting", "different", "unsupported", "external"]
    L = []
    L.append("# Fidelity to the Kusto reference")
    L.append("")
    L.append("Generated by `tests/docs/harness.py` (run by hand; see its header for how to get the docs")
    L.append("and run it). Each *example* is a `kusto` block of a `data-explorer/kusto/query/*.md` page of")
    L.append("MicrosoftDocs/dataexplorer-docs that is followed by its documented output table. Examples are")
    L.append("named `page#n`, n counting the page's kusto blocks from 1. No text of the docs is kept here.")
    L.append("")
    L.append("| outcome | examples | meaning |")
    L.append("|--|--:|--|")
    meaning = {
        "same": "kqlab prints the documented table, cell for cell (reading the docs' display forms, below)",
        "formatting": "same values; only formatting differs (named below)",
        "different": "kqlab gives another answer (each listed below with its reason)",
        "unsupported": "kqlab rejects the query by name (function, operator or syntax it lacks)",
        "external": "not self-contained: needs a cluster table such as StormEvents",
    }
    for o in order:
        L.append(f"| {o} | {counts[o]} | {meaning[o]} |")
    L.append(f"| **documented output reached** | **{counts['same'] + counts['formatting']}** | same + formatting |")
    L.append("")
    L.append(f"{sum(counts.values())} examples have an output table; {no_table} kusto blocks have none and are not counted.")
    L.append("")
    if linked:
        L.append(f"{len(linked)} blocks that kqlab refuses have a \"Run the query\" link whose query differs from the block")
        L.append("(most show a bare scalar expression, which is not a query: Kusto needs a tabular statement such")
        L.append("as `print`); the link is what the docs ran, so for these the harness runs the link's query: " + ", ".join(linked) + ".")
        L.append("")
    L.extend(DELIBERATE)
    fmt = collections.Counter()
    for r in results:
        if r[2] == "formatting":
            for name in r[3]:
                fmt[name] += 1
    pres = collections.Counter()
    for r in results:
        if r[2] == "same":
            for name in r[3]:
                pres[name] += 1
    L.append("## The docs' presentation")
    L.append("")
    L.append("A \"same\" example may differ from the docs' markdown table only in how the table draws a")
    L.append("value (Kusto.Explorer's display forms, markdown decoration); kqlab prints what Kusto returns")
    L.append("(datetimes as 2019-07-15T00:00:00Z, compact JSON, true/false). How many \"same\" examples")
    L.append("needed each reading (one example may need several):")
    L.append("")
    L.append("| the docs' table draws | examples |")
    L.append("|--|--:|")
    for name, c in pres.most_common():
        L.append(f"| {name} | {c} |")
    L.append("")
    L.append("## Formatting-only differences")
    L.append("")
    L.append("How many \"formatting\" examples needed each normalisation (one example may need several);")
    L.append("these are the values the docs show in another order, case or form than kqlab returns.")
    L.append("")
    L.append("| difference | examples |")
    L.append("|--|--:|")
    for name, c in fmt.most_common():
        L.append(f"| {name} | {c} |")
    L.append("")
    L.append("## Different answers")
    L.append("")
    L.append("Reason: the hand-written explanation from `tests/docs/reasons.json` where there is one")
    L.append("(docs error, nondeterministic, deliberate, or a kqlab bug), then what the harness saw.")
    L.append("")
    L.append("| example | reason | what differs |")
    L.append("|--|--|--|")
    for page, n, o, d in results:
        if o == "different":
            key = f"{page}#{n}"
            L.append(f"| {key} | {reasons.get(key, 'not yet analysed')} | {md(d if len(d) <= 400 else d[:399] + '…')} |")
    L.append("")
    L.append("## Why examples are rejected")
    L.append("")
    L.append("The most frequent first lines of kqlab's message (identifiers abbreviated).")
    L.append("")
    rej = collections.Counter()
    for r in results:
        if r[2] == "unsupported":
            rej[re.sub(r"\s*\[KQL\d+\]$", "", r[3])] += 1
    L.append("| message | examples |")
    L.append("|--|--:|")
    for msg, c in rej.most_common(60):
        L.append(f"| {md(msg)} | {c} |")
    L.append("")
    L.append("## Per page")
    L.append("")
    L.append("| page | " + " | ".join(order) + " |")
    L.append("|--|" + "--:|" * len(order))
    per = collections.defaultdict(collections.Counter)
    for page, n, o, d in results:
        per[page][o] += 1
    for page in sorted(per):
        L.append(f"| {page} | " + " | ".join(str(per[page][o] or "") for o in order) + " |")
    L.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    main()
