#!/usr/bin/env python3
"""Fails when Baton's modules import each other in a circle.

Reads every file under src/ (tests excluded: `*_tests.rs`, `tests/` folders, and a trailing
`#[cfg(test)] mod tests { ... }`), strips comments and string literals, and collects every path
that starts with `crate::` or `super::` (in `use` items and inline, e.g. `crate::metrics::f()`),
including the branches of grouped imports (`use crate::{a, b::c}`). Each path is resolved to the
file of the longest module prefix that exists. Then:

- top-level modules (the first segment under the crate: `input`, `model`, `render`...) must not
  import each other in a circle;
- files must not import each other in a circle (a `mod.rs` counts as the file of its folder).

Usage: python3 .ci/layers.py [src]   (prints every circle found; exit 1 if any)
"""
import os
import re
import sys


def strip(text):
    """Source without comments, string and char literals (kept as empty strings)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + len(m.group(0)))
            out.append('""')
            i = n if end < 0 else end + 1 + len(m.group(1))
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            m = re.match(r"'(\\.|[^\\'])'", text[i:])
            out.append("' '")
            i += len(m.group(0))
        elif c == "'" and re.match(r"'\\u\{[0-9a-fA-F]+\}'", text[i:i + 12]):
            m = re.match(r"'\\u\{[0-9a-fA-F]+\}'", text[i:])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def drop_test_module(text):
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text)
    return text[: m.start()] if m else text


def module_of(path, src):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def expand(prefix, body):
    """Paths of a `use` tree body such as `a::{b, c::{d, e}}`."""
    body = body.strip()
    m = re.match(r"^([\w:]*?)::\{(.*)\}$", body, re.S) or (re.match(r"^\{(.*)\}$", body, re.S) and None)
    if body.startswith("{") and body.endswith("}"):
        inner, head = body[1:-1], ""
    elif m:
        head, inner = m.group(1), m.group(2)
    else:
        return [prefix + "::" + body if prefix else body]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    base = "::".join(p for p in (prefix, head) if p)
    paths = []
    for p in parts:
        p = p.strip()
        if p:
            paths.extend(expand(base, p))
    return paths


def references(text):
    """Every `crate::`, `super::` and `self::` path in stripped source: in `use` items (grouped
    branches expanded) and inline. A `mod.rs` naming its children by bare name (`statement::f`)
    is the parent organising its parts, not a dependency, and is not counted."""
    refs = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", text):
        tree = re.sub(r"\s+as\s+\w+", "", m.group(1))
        refs.extend(expand("", re.sub(r"\s+", "", tree)))
    for m in re.finditer(r"(?<![\w:])((?:crate|super|self)(?:::(?:super|\w+))+)", text):
        refs.append(m.group(1))
    return refs


def resolve(ref, here, is_mod, modules):
    segs = ref.split("::")
    if segs[0] == "crate":
        base, rest = [], segs[1:]
    else:
        base = list(here)
        rest = segs
        if rest[0] == "self":
            rest = rest[1:]
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    path = tuple(base)
    best = path if path in modules else None
    for s in rest:
        path = path + (s,)
        if path in modules:
            best = path
    return best


def circles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    files = {}
    for dirpath, _, names in os.walk(src):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src).split(os.sep)
            if name.endswith("_tests.rs") or name == "tests.rs" or "tests" in rel[:-1]:
                continue
            if rel == ["main.rs"] or rel[0] == "bin":
                continue
            files[module_of(path, src)] = (path, name in ("mod.rs", "lib.rs"))
    modules = set(files)
    file_graph, top_graph = {}, {}
    for mod, (path, is_mod) in files.items():
        text = drop_test_module(strip(open(path, encoding="utf-8").read()))
        for ref in references(text):
            target = resolve(ref, mod, is_mod, modules)
            if target is None or target == mod:
                continue
            if target in modules and target != ():
                file_graph.setdefault(mod, set()).add(target)
            if mod and target and mod[0] != target[0]:
                top_graph.setdefault(mod[0], set()).add(target[0])
    found = False
    for comp in circles(top_graph):
        found = True
        print("circle between top-level modules: " + ", ".join(comp))
        for a in comp:
            for b in sorted(top_graph.get(a, ())):
                if b in comp:
                    print(f"  {a} -> {b}")
    for comp in circles(file_graph):
        found = True
        names = ["::".join(c) for c in comp]
        print("circle between files: " + ", ".join(names))
        for a in comp:
            for b in sorted(file_graph.get(a, ())):
                if b in comp:
                    print(f"  {'::'.join(a)} -> {'::'.join(b)}")
    if found:
        sys.exit(1)
    print(f"no import circle among {len(files)} files")


if __name__ == "__main__":
    main()
