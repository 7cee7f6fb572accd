#!/usr/bin/env python3
"""What the web build's wasm module is made of, grouped by component.

Reads a .wasm file that still has its name section (a build with
`CARGO_PROFILE_WEB_STRIP=false`, passed through wasm-bindgen and `wasm-opt -Oz -g`, which
`bench/run.sh size` prepares), attributes every function body to the crate or kqlab module
its (demangled) name starts with, and prints a Markdown table: functions, code bytes, share
of the module, and each group's bytes when gzip-compressed on their own (a rough guide to
what removing the group would save from the download; compression across groups is shared).

Only the Python standard library is used, so it runs wherever the benchmarks run.

    python3 bench/wasm_components.py target/size/app_named.wasm
    python3 bench/wasm_components.py --modules target/size/app_named.wasm

With `--modules`, kqlab's own code is listed per module (`kqlab::lesson::coach`, two path
levels) instead of per layer, to see what one feature costs.

    python3 bench/wasm_components.py --match 'Stepper|lesson::coach' target/size/app_named.wasm

With `--match REGEX` (repeatable), it prints instead, for each pattern, the functions whose
demangled name matches it anywhere (so `yew::…<kqlab::web::work_pane::Stepper>` and
`core::ptr::drop_in_place<kqlab::bind::…>` count for the type they are made for), their code
bytes and gzip -9 alone, and the ten largest of them. Read-only data is not attributed.
"""

import re
import sys
import zlib
from collections import defaultdict


def leb128(buf, pos):
    """Reads an unsigned LEB128 number at `pos`; returns (value, next position)."""
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def read_name(buf, pos):
    size, pos = leb128(buf, pos)
    return buf[pos:pos + size].decode("utf-8", "replace"), pos + size


def sections(buf):
    """Yields (id, custom name or None, payload start, payload end) for each section."""
    if buf[:4] != b"\0asm":
        sys.exit("wasm_components.py: not a WebAssembly module")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb128(buf, pos + 1)
        end = pos + size
        name = None
        if sid == 0:
            name, _ = read_name(buf, pos)
        yield sid, name, pos, end
        pos = end


def imported_functions(buf, start):
    """Counts the function imports: defined functions are numbered after them."""
    count, pos = leb128(buf, start)
    functions = 0
    for _ in range(count):
        _, pos = read_name(buf, pos)
        _, pos = read_name(buf, pos)
        kind = buf[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb128(buf, pos)
            functions += 1
        elif kind == 1:  # table: reference type, limits
            flags, pos = leb128(buf, pos + 1)
            _, pos = leb128(buf, pos)
            if flags & 1:
                _, pos = leb128(buf, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb128(buf, pos)
            _, pos = leb128(buf, pos)
            if flags & 1:
                _, pos = leb128(buf, pos)
        elif kind == 3:  # global: value type, mutability
            pos += 2
        else:  # tag: attribute, type index
            pos += 1
            _, pos = leb128(buf, pos)
    return functions


def function_names(buf, start, end):
    """The function-name subsection (id 1) of the custom `name` section."""
    _, pos = read_name(buf, start)
    names = {}
    while pos < end:
        sub = buf[pos]
        size, pos = leb128(buf, pos + 1)
        if sub == 1:
            count, p = leb128(buf, pos)
            for _ in range(count):
                index, p = leb128(buf, p)
                names[index], p = read_name(buf, p)
        pos += size
    return names


LEGACY_ESCAPES = {
    "$LT$": "<", "$GT$": ">", "$RF$": "&", "$BP$": "*", "$C$": ",", "$SP$": "@",
    "$u20$": " ", "$u27$": "'", "$u5b$": "[", "$u5d$": "]", "$u7b$": "{", "$u7d$": "}",
    "$u7e$": "~", "$u3b$": ";", "$u2b$": "+", "$u22$": '"', "..": "::",
}


def demangle(name):
    """Legacy Rust symbols (`_ZN5kqlab4exec3run17h…E`) to `kqlab::exec::run`; already
    demangled names lose their crate disambiguators (`core[c593…]::`) and hashes."""
    if not name.startswith("_ZN"):
        return re.sub(r"::h[0-9a-f]{16}$", "", re.sub(r"\[[0-9a-f]{16}\]", "", name))
    pos, parts = 3, []
    while pos < len(name) and name[pos].isdigit():
        digits = re.match(r"\d+", name[pos:]).group()
        pos += len(digits)
        part = name[pos:pos + int(digits)]
        pos += int(digits)
        if re.fullmatch(r"h[0-9a-f]{16}", part):
            continue
        for escape, text in LEGACY_ESCAPES.items():
            part = part.replace(escape, text)
        parts.append(part.lstrip("_") if part.startswith("_$") else part)
    return "::".join(parts)


# (component, pattern on the demangled name), first match wins. A trait method
# `<kqlab::web::app::App as yew::…>::run` belongs to the type's crate or module; generic std
# code (`core::ptr::drop_in_place<kqlab::…>`) is counted as std, since removing the caller
# removes it only if no other caller instantiates the same code.
COMPONENTS = [
    ("serde: derived (de)serialisers and their drivers", r"serde|Deserializ|Serializ|Visitor"),
    ("toml (lesson files)", r"^<?toml"),
    ("engine: executor (kqlab::exec)", r"^<?kqlab::exec"),
    ("engine: binder (kqlab::bind)", r"^<?kqlab::bind"),
    ("engine: parser (kqlab::syntax)", r"^<?kqlab::syntax"),
    ("engine: tables, types, diagnostics", r"^<?kqlab::(table|types|diag|util|engine)"),
    ("data generator (kqlab::data)", r"^<?kqlab::data"),
    ("lessons, checker, app logic (kqlab::lesson, kqlab::app)", r"^<?kqlab::(lesson|app)"),
    ("web UI (kqlab::web, kqlab::view)", r"^<?kqlab::(web|view)"),
    ("yew, gloo (with their generic code for kqlab's components)", r"^<?(yew|gloo|implicit_clone|slab|indexmap)"),
    ("wasm-bindgen, js-sys, web-sys", r"^<?(wasm_bindgen|js_sys|web_sys)"),
    ("regex-lite", r"^<?regex_lite"),
    ("hashbrown", r"^<?hashbrown"),
    ("allocator (dlmalloc)", r"dlmalloc"),
    ("nom, chrono", r"^<?(nom|chrono)"),
    ("std: sorting", r"^<?(core::slice::sort|alloc::slice)"),
    ("std: formatting, numbers, strings, maths",
     r"^<?(core::(fmt|num|str|unicode|char)|alloc::(fmt|str|string)|compiler_builtins|__|(str|char|f32|f64|[iu](8|16|32|64|128|size))\b)"),
    ("std: other generics (drop, Vec, Rc, iterators, ...)", r"\b(core|alloc|std)::"),
]


def kqlab_module(name):
    """`kqlab::lesson::coach::…` (or a method of a type there) to `kqlab::lesson::coach`."""
    m = re.match(r"^<?(kqlab::[a-z_0-9]+(?:::[a-z_0-9]+)?)", name)
    return m.group(1) if m else None


def main():
    args = sys.argv[1:]
    by_module = "--modules" in args
    args = [a for a in args if a != "--modules"]
    matches = []
    while "--match" in args:
        i = args.index("--match")
        if i + 1 >= len(args):
            sys.exit("wasm_components.py: --match needs a regular expression")
        matches.append(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    path = args[0]
    buf = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    data = b""
    for sid, custom, start, end in sections(buf):
        if sid == 2:
            imports = imported_functions(buf, start)
        elif sid == 10:
            count, pos = leb128(buf, start)
            for _ in range(count):
                size, pos = leb128(buf, pos)
                bodies.append(buf[pos:pos + size])
                pos += size
        elif sid == 11:
            data = buf[start:end]
        elif custom == "name":
            names = function_names(buf, start, end)
    if not names:
        sys.exit("wasm_components.py: the module has no function names (build with CARGO_PROFILE_WEB_STRIP=false, wasm-opt -g)")

    if matches:
        named = [(demangle(names.get(imports + i, "")), body) for i, body in enumerate(bodies)]
        for pattern in matches:
            hit = [(n, b) for n, b in named if re.search(pattern, n)]
            size = sum(len(b) for _, b in hit)
            packed = len(zlib.compress(b"".join(b for _, b in hit), 9)) if hit else 0
            print(f"`{pattern}`: {len(hit):,} functions, {size:,} bytes of code, {packed:,} gzip -9 alone")
            for n, b in sorted(hit, key=lambda nb: -len(nb[1]))[:10]:
                print(f"    {len(b):>8,}  {n[:150]}")
        return

    groups = defaultdict(list)
    for i, body in enumerate(bodies):
        name = demangle(names.get(imports + i, ""))
        component = (by_module and kqlab_module(name)) or next(
            (c for c, pattern in COMPONENTS if re.search(pattern, name)), "other (glue, closures without a path, small functions)")
        groups[component].append(body)
    groups["read-only data (messages, help, names, tables)"] = [data]

    total = sum(len(b) for bs in groups.values() for b in bs)
    print(f"`{path.rsplit('/', 1)[-1]}`: {len(bodies):,} functions, {total:,} bytes of code and data (name section excluded).")
    print()
    print("| component | functions | bytes | share | gzip -9 alone |")
    print("|---|---:|---:|---:|---:|")
    rows = sorted(groups.items(), key=lambda kv: -sum(len(b) for b in kv[1]))
    for component, bs in rows:
        size = sum(len(b) for b in bs)
        functions = "" if component.startswith("read-only") else f"{len(bs):,}"
        packed = len(zlib.compress(b"".join(bs), 9))
        print(f"| {component} | {functions} | {size:,} | {100 * size / total:.1f}% | {packed:,} |")
    print(f"| **total** | {len(bodies):,} | {total:,} | 100% | {len(zlib.compress(b''.join(bodies) + data, 9)):,} |")


if __name__ == "__main__":
    main()
