"""Reads the conformance suite (tests/cases/*.kqltest; the format is documented in
tests/it/cases.rs): `query` / `query rowsort` / `error` blocks, the query up to `----`, the
expected table up to the next blank line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Case:
    file: str
    line: int
    header: str
    query: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def expects_error(self) -> bool:
        return self.header == "error"

    @property
    def rowsort(self) -> bool:
        return "rowsort" in self.header


def parse_file(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        l = lines[i]
        if l.startswith("query") or l == "error":
            start, header = i + 1, l.strip()
            i += 1
            q = []
            while i < len(lines) and lines[i] != "----":
                q.append(lines[i])
                i += 1
            i += 1
            while i < len(lines) and lines[i] != "":
                i += 1
            cases.append(Case(path.name, start, header, "\n".join(q)))
        else:
            i += 1
    return cases


def load(dir: Path) -> list[Case]:
    out = []
    for p in sorted(dir.glob("*.kqltest")):
        out += parse_file(p)
    return out
