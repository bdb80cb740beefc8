"""The dependency rules, each a test that fails when broken.

- data_access/ and seed/ never import the UI (streamlit, altair, dashboard, pages);
- inside data_access/, each folder imports only the folders below it:
  rules ← store ← read ← write ← cli (settings.py is read by all), and rules/ imports no
  SQLAlchemy; see each folder's __init__ docstring;
- no import cycle among the modules of data_access/ and dashboard/, counting imports
  made inside functions;
- pages never touch SQL; only dashboard/reads/ touches Streamlit's caches;
- every page checks its permission.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("rules", "store", "read", "write", "cli")  # each may import those before it
EXTERNAL_BANS = {
    "rules": {"sqlalchemy", "alembic", "pandas", "streamlit"},
    "store": {"streamlit"},
    "read": {"streamlit"},
    "write": {"streamlit"},
    "cli": {"streamlit"},
}


def _files(*folders: str) -> list[Path]:
    return [
        p
        for folder in folders
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in p.relative_to(ROOT).parts
    ]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in _files("data_access", "dashboard")}


def imported(path: Path, modules: Iterable[str] = MODULES) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too): our own modules by
    their full dotted name (``from a.b import c`` is ``a.b.c`` when c is a module), others by
    their top-level package."""
    known = set(modules)
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name if a.name in known else a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(stem + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base if base in known else base.split(".")[0])
    return found - {name}


def layer(module: str) -> str | None:
    """The folder of data_access a module belongs to (None for settings and the package itself)."""
    parts = module.split(".")
    if parts[0] != "data_access" or len(parts) < 2:
        return None
    return "cli" if parts[1] == "__main__" else parts[1] if parts[1] in LAYERS else None


def layer_problems(module: str, imports: Iterable[str]) -> list[str]:
    """What a data_access module imports against the folder rules."""
    own = layer(module)
    if own is None:
        return []
    may = set(LAYERS[: LAYERS.index(own) + 1])
    problems = []
    for other in sorted(imports):
        theirs = layer(other)
        if theirs is not None and theirs not in may:
            problems.append(f"{module} imports {other} ({own}/ may import only {'、'.join(sorted(may))})")
        if other in EXTERNAL_BANS[own]:
            problems.append(f"{module} imports {other}, which {own}/ must not")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


GRAPH = {name: {m for m in imported(path) if m in MODULES} for name, path in MODULES.items()}


@pytest.mark.parametrize("path", _files("data_access", "seed"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_imports_the_ui(path):
    imports = {m.split(".")[0] for m in imported(path)}
    assert not imports & {"streamlit", "altair", "dashboard", "pages"}


@pytest.mark.parametrize("path", _files("data_access"), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_folder_imports_only_the_folders_below_it(path):
    assert layer_problems(_module(path), imported(path)) == []


def test_no_import_cycle_in_data_access_or_dashboard():
    assert cycles(GRAPH) == []


def test_the_rules_catch_what_they_are_for():
    # The checks themselves: a read importing a write, rules importing SQLAlchemy, a cycle.
    assert layer_problems("data_access.read.kpis", {"data_access.write.auth"})
    assert layer_problems("data_access.rules.deadlines", {"sqlalchemy"})
    assert not layer_problems("data_access.write.auth", {"data_access.read.kpis", "sqlalchemy"})
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_folder_says_what_it_holds_and_may_import():
    for folder in LAYERS:
        doc = ast.get_docstring(ast.parse((ROOT / "data_access" / folder / "__init__.py").read_text("utf-8")))
        assert doc and "import" in doc, folder


@pytest.mark.parametrize("path", _files("pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_never_touch_sql(path):
    source = path.read_text(encoding="utf-8")
    assert "sqlalchemy" not in {m.split(".")[0] for m in imported(path)}, (
        f"{path.name} imports SQLAlchemy (catch dashboard.errors.DatabaseError)"
    )
    for forbidden in (r"session\.execute", r"engine\.connect", r"(?<![\w.])text\(", r"(?<![\w.])select\("):
        assert not re.search(forbidden, source), f"{path.name} uses {forbidden}"


def test_only_dashboard_reads_touches_the_caches():
    for path in _files("dashboard", "pages"):
        if "reads" not in path.relative_to(ROOT).parts:
            source = path.read_text(encoding="utf-8")
            assert "cache_data" not in source and "cache_resource" not in source, path


def test_every_registered_page_checks_its_role():
    from dashboard.navigation import PAGES

    for spec in PAGES:
        assert "require_page(__file__)" in (ROOT / spec.path).read_text(encoding="utf-8"), spec.path
