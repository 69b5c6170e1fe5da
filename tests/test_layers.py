"""The floors of the house, checked by reading every module's imports (``ast``, nothing run).

Data flows one way: records ← transport ← sources; records ← warehouse; records ←
analysis; those ← refining, briefs, gathering ← tasks ← flows ← the CLI. A module that imports
upward, a source that touches the database, or an import cycle fails here, naming the
module and the line.
"""
from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Per package: the mi packages it may import (besides itself) and outside packages it must not.
RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "mi.records": (frozenset(), frozenset({"sqlalchemy", "prefect", "requests"})),
    "mi.reference": (frozenset(), frozenset({"sqlalchemy", "prefect"})),
    "mi.transport": (frozenset({"mi.records"}), frozenset({"prefect"})),
    "mi.sources": (frozenset({"mi.records", "mi.transport", "mi.reference"}),
                   frozenset({"sqlalchemy", "alembic", "psycopg", "prefect"})),
    # migrations/env.py reads the database URL from the settings when alembic runs by hand.
    "mi.warehouse": (frozenset({"mi.records", "mi.reference", "mi.settings"}), frozenset({"prefect"})),
    "mi.analysis": (frozenset({"mi.records", "mi.reference"}), frozenset({"sqlalchemy", "prefect"})),
    "mi.refining": (frozenset({"mi.records", "mi.reference", "mi.warehouse", "mi.analysis"}), frozenset({"prefect"})),
    # Composition (it reads the warehouse's marts) and rendering of RM briefs.
    # Briefs carry the product department's decisions back to the RMs (mi.signals.feedback).
    "mi.briefs": (frozenset({"mi.records", "mi.reference", "mi.warehouse", "mi.analysis", "mi.signals"}),
                  frozenset({"prefect"})),
    # Delivery reads the outbox through the warehouse and its channel settings; a webhook POST
    # is an outbound write, not a read, so it uses requests directly rather than mi.transport.
    "mi.delivery": (frozenset({"mi.records", "mi.warehouse", "mi.settings"}), frozenset({"prefect"})),
    "mi.signals": (frozenset({"mi.records", "mi.reference", "mi.warehouse", "mi.analysis"}), frozenset({"prefect"})),
    "mi.tasks": (frozenset({"mi.records", "mi.reference", "mi.warehouse", "mi.analysis", "mi.refining",
                            "mi.sources", "mi.transport", "mi.gathering", "mi.runtime", "mi.settings",
                            "mi.briefs", "mi.delivery", "mi.briefing", "mi.signals"}),
                 frozenset()),
    # mi.memory (allocator settings, no mi imports): daily hands freed memory back after each stage.
    # mi.heartbeats: flow runs that end without waiting for their heartbeat thread (flows/__init__.py).
    "mi.flows": (frozenset({"mi.records", "mi.tasks", "mi.gathering", "mi.briefing", "mi.runtime", "mi.settings",
                            "mi.refining", "mi.memory", "mi.heartbeats"}), frozenset()),
    # The web app reads through briefs and signals (the same composition and decisions as the
    # email and the CLI), the warehouse and the records; notes land through the warehouse's
    # one way in; staff pages show mi.reports' channel health and mi.inspect's views.
    "mi.desk": (frozenset({"mi.records", "mi.briefs", "mi.signals", "mi.warehouse", "mi.settings", "mi.reports",
                           "mi.inspect"}), frozenset({"prefect"})),
}
#: The only modules outside the desk that may import it.
DESK_IMPORTERS = frozenset({"mi.cli"})


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports, absolute
    line: int
    top_level: bool  # at module level (not inside a function)


def _package_dirs() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in config["tool"]["setuptools"]["package-dir"].items()}


def _modules() -> Iterator[tuple[str, Path]]:
    for package, folder in _package_dirs().items():
        if package == "mi":
            yield from ((f"mi.{path.stem}" if path.stem != "__init__" else "mi", path)
                        for path in sorted(folder.glob("*.py")))
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            yield ".".join((package, *parts[:-1], *(() if parts[-1] == "__init__" else parts[-1:]))), path


def _imports(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    is_package = path.stem == "__init__"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno, id(node) in top_level)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                # "from mi.sources import feeds" imports a module; "from x import name" a name.
                yield Import(module, f"{base}.{alias.name}", node.lineno, id(node) in top_level)


MODULES = dict(_modules())
IMPORTS = [imp for name, path in MODULES.items() for imp in _imports(name, path)]


def _owner(module: str) -> str:
    """The mi package a module belongs to, for the rules: mi.sources.feeds.feed -> mi.sources."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _resolve(target: str) -> str | None:
    """The mi module an import names (a module, or a name inside one); None outside mi."""
    if not (target == "mi" or target.startswith("mi.")):
        return None
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def test_the_walk_sees_every_floor() -> None:
    owners = {_owner(name) for name in MODULES}
    assert set(RULES) <= owners
    assert len(MODULES) > 80 and len(IMPORTS) > 300


@pytest.mark.parametrize("package", sorted(RULES))
def test_no_module_imports_upward_or_outside_its_floor(package: str) -> None:
    allowed, banned_outside = RULES[package]
    wrong = []
    for imp in IMPORTS:
        if _owner(imp.module) != package:
            continue
        resolved = _resolve(imp.target)
        if resolved is not None:
            owner = _owner(resolved)
            if owner != package and owner not in allowed and resolved not in allowed:
                wrong.append(f"{imp.module}:{imp.line} imports {resolved}")
        elif imp.target.split(".")[0] in banned_outside:
            wrong.append(f"{imp.module}:{imp.line} imports {imp.target}")
    assert not wrong, "\n".join(wrong)


def test_nothing_but_the_cli_imports_the_desk() -> None:
    wrong = [f"{imp.module}:{imp.line} imports {imp.target}" for imp in IMPORTS
             if (_resolve(imp.target) or "").startswith("mi.desk") and _owner(imp.module) != "mi.desk"
             and imp.module not in DESK_IMPORTERS]
    assert not wrong, "\n".join(wrong)


def test_there_is_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in IMPORTS:
        resolved = _resolve(imp.target)
        if resolved and resolved != imp.module:
            graph[imp.module].add(resolved)
    cycles = _cycles(graph)
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_rules_catch_a_source_that_writes_to_the_warehouse(tmp_path: Path) -> None:
    """The walk itself must be able to fail: a planted bad import is reported."""
    planted = tmp_path / "bad.py"
    planted.write_text("from sqlalchemy import Connection\nfrom mi.warehouse.loading import insert_new\n")
    found = list(_imports("mi.sources.bad", planted))
    assert [(_resolve(i.target), i.target.split(".")[0]) for i in found] == [(None, "sqlalchemy"),
                                                                            ("mi.warehouse.loading", "mi")]
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
