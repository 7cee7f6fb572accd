"""Just enough KQL text handling for the harness: split a query into pipeline steps outside
strings and brackets, find what orders the final result, and rewrite clock functions for
the peer (ClickHouse has no settable clock, so `now()`/`ago()` become datetime literals).

This is deliberately not a parser: it only has to be right for the shapes the generator
writes and the conformance cases use. Anything it cannot classify is compared as a multiset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _scan(q: str):
    """Yield (index, char, depth, in_code) for each character; strips nothing.

    in_code is False inside string literals and `//` comments.
    """
    i, n, depth = 0, len(q), 0
    while i < n:
        c = q[i]
        # comments
        if c == "/" and i + 1 < n and q[i + 1] == "/":
            j = q.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                yield k, q[k], depth, False
            i = j
            continue
        # verbatim / obfuscated string prefixes: @"..", h"..", h@".."
        if c in "\"'" or (c in "@hH" and i + 1 < n and q[i + 1] in "\"'@" and (i == 0 or not (q[i - 1].isalnum() or q[i - 1] == "_"))):
            start = i
            verbatim = False
            while i < n and q[i] in "@hH":
                verbatim = verbatim or q[i] == "@"
                i += 1
            if i >= n or q[i] not in "\"'":
                # not actually a string prefix (e.g. identifier `h`)
                for k in range(start, i):
                    yield k, q[k], depth, True
                continue
            quote = q[i]
            i += 1
            while i < n:
                if not verbatim and q[i] == "\\":
                    i += 2
                    continue
                if q[i] == quote:
                    if verbatim and i + 1 < n and q[i + 1] == quote:
                        i += 2
                        continue
                    break
                i += 1
            i += 1
            for k in range(start, min(i, n)):
                yield k, q[k], depth, False
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        yield i, c, depth, True
        i += 1


def split_top(q: str, sep: str) -> list[str]:
    parts, cur = [], []
    for _, c, depth, code in _scan(q):
        if code and depth == 0 and c == sep:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def last_statement(q: str) -> str:
    stmts = [s for s in split_top(remove_comments(q), ";") if s.strip()]
    return stmts[-1] if stmts else ""


def remove_comments(q: str) -> str:
    """Drops `//` comments (outside strings)."""
    out = []
    i, n = 0, len(q)
    in_str = None
    verbatim = False
    while i < n:
        c = q[i]
        if in_str:
            out.append(c)
            if not verbatim and c == "\\" and i + 1 < n:
                out.append(q[i + 1])
                i += 2
                continue
            if c == in_str:
                in_str = None
            i += 1
            continue
        if c == "/" and i + 1 < n and q[i + 1] == "/":
            j = q.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            verbatim = i > 0 and q[i - 1] == "@"
            in_str = c
        out.append(c)
        i += 1
    return "".join(out)


@dataclass
class OrderSpec:
    keys: list[str] | None = None  # output column names the result is sorted by; None: unordered
    keys_known: bool = True  # False when a key is an expression, not a column name
    limited: bool = False  # a top/take cut the sorted rows: ties at the cut may differ
    sampled: bool = False  # take/limit without a sort: any rows may come back
    notes: list[str] = field(default_factory=list)


_ORDER_KEEPING = {
    "where", "filter", "extend", "project", "project-away", "project-keep", "project-rename",
    "project-reorder", "serialize", "as", "parse", "parse-where",
}
_IDENT = re.compile(r"^(?:\[\s*['\"](.+)['\"]\s*\]|([A-Za-z_][A-Za-z0-9_]*))$")


def _key_name(expr: str) -> str | None:
    e = expr.strip()
    e = re.sub(r"\s+(asc|desc)\b.*$", "", e, flags=re.I)
    e = re.sub(r"\s+nulls\s+(first|last)\s*$", "", e, flags=re.I).strip()
    m = _IDENT.match(e)
    return (m.group(1) or m.group(2)) if m else None


def order_spec(query: str) -> OrderSpec:
    steps = [s.strip() for s in split_top(last_statement(query), "|")]
    spec = OrderSpec()
    for step in steps[1:]:
        m = re.match(r"([A-Za-z][A-Za-z-]*)", step)
        op = m.group(1).lower() if m else ""
        if op in ("sort", "order"):
            by = re.sub(r"^(sort|order)\s+by\s+", "", step, flags=re.I)
            names = [_key_name(k) for k in split_top(by, ",")]
            spec.keys = [k for k in names if k]
            spec.keys_known = all(names)
            spec.limited = False
        elif op == "top":
            mm = re.match(r"top\s+(\S+)\s+by\s+(.*)$", step, flags=re.I | re.S)
            if not mm:
                spec.keys, spec.keys_known = [], False
            else:
                names = [_key_name(k) for k in split_top(mm.group(2), ",")]
                spec.keys = [k for k in names if k]
                spec.keys_known = all(names)
            spec.limited = True
        elif op in ("take", "limit"):
            if spec.keys is not None:
                spec.limited = True
            else:
                spec.sampled = True
        elif op in _ORDER_KEEPING:
            if op == "project-rename" and spec.keys:
                for pair in split_top(step[len("project-rename"):], ","):
                    if "=" in pair:
                        new, old = (x.strip() for x in pair.split("=", 1))
                        spec.keys = [new if k == old else k for k in spec.keys]
            continue
        else:
            spec.keys = None
            spec.limited = False
    if spec.keys is not None and not spec.keys:
        spec.keys_known = False
    return spec


def find_call_end(q: str, open_idx: int) -> int:
    """Index of the parenthesis closing the one at open_idx (string-aware)."""
    for i, c, depth, code in _scan(q[open_idx:]):
        if code and c == ")" and depth == 0:
            return open_idx + i
    return -1


_CLOCK_FN = re.compile(r"\b(now|ago)\s*\(")


def rewrite_clock(q: str, clock_literal: str) -> str:
    """now() -> datetime(CLOCK); now(x) -> (datetime(CLOCK) + (x)); ago(x) -> (datetime(CLOCK) - (x))."""
    code_positions = {i for i, _, _, code in _scan(q) if code}
    out, pos = [], 0
    for m in _CLOCK_FN.finditer(q):
        if m.start() < pos or m.start() not in code_positions:
            continue
        if m.start() > 0 and (q[m.start() - 1].isalnum() or q[m.start() - 1] in "_."):
            continue
        open_idx = m.end() - 1
        close = find_call_end(q, open_idx)
        if close < 0:
            continue
        arg = q[open_idx + 1 : close].strip()
        arg = rewrite_clock(arg, clock_literal)
        lit = f"datetime({clock_literal})"
        if m.group(1) == "now":
            rep = lit if not arg else f"({lit} + ({arg}))"
        else:
            rep = f"({lit} - ({arg}))"
        out.append(q[pos : m.start()])
        out.append(rep)
        pos = close + 1
    out.append(q[pos:])
    return "".join(out)
