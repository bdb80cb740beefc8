"""The dependency rules, each a test that fails when broken.

- data_access/ and seed/ never import the UI (streamlit, altair, dashboard, pages);
- inside data_access/, each folder imports only the folders below it:
  rules ← store ← read ← write ← cli (settings.py is read by all), and rules/ imports no
  SQLAlchemy; see each folder's __init__ docstring;
- no import cycle among the modules of data_access/ and dashboard/, counting imports
  made inside functions;
- pages never touch SQL; only dashboard/reads/ touches Streamlit's caches;
- inside dashboard/, each folder keeps to its role (see each folder's __init__ docstring):
  widgets/ draw and do no I/O (no reads, writes, panels, session, SQLAlchemy, nor data_access
  beyond rules and settings, but for types and the pure helpers named in PURE_HELPERS);
  reads/ never import writes/, panels/ or widgets/; writes/ never import panels/, widgets/, the
  session, Streamlit or the cached reads (only reads/cache.py: the engine and `refresh`);
- pages import data_access only for rules/ and settings (labels, vocabularies, permissions, the
  settings: pure, and shared with the command line); everything that reads or writes goes through
  dashboard/, so caching, the data version and the database errors stay in one place;
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


def _type_only(tree: ast.AST) -> set[int]:
    """The ids of the import statements under `if TYPE_CHECKING:` (they never run)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return found


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in _files("data_access", "dashboard")}


def imports_of(
    path: Path, modules: Iterable[str] = MODULES, runtime: bool = False, source: str | None = None
) -> set[tuple[str, str | None]]:
    """(module, name) for every import of a file, anywhere in it (inside functions too): our own
    modules by their full dotted name (``from a.b import c`` is ``(a.b.c, None)`` when c is a
    module, else ``(a.b, c)``), others by their top-level package. runtime=True leaves out the
    imports under `if TYPE_CHECKING:`; `source` stands in for the file's text."""
    known = set(modules)
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    skipped = _type_only(tree) if runtime else set()
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {(a.name if a.name in known else a.name.split(".")[0], None) for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(stem + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in known:
                    found.add((full, None))
                else:
                    found.add((base, alias.name) if base in known else (base.split(".")[0], None))
    return {(m, n) for m, n in found if m != name}


def imported(path: Path, modules: Iterable[str] = MODULES) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too), as imports_of names it."""
    return {m for m, _name in imports_of(path, modules)}


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


# ----------------------------------------------------------------------------- dashboard/ and pages/
# Pure helpers that live in data_access/read today (they do no I/O) and that widgets may use; the
# list only shrinks, as each moves to data_access/rules.
PURE_HELPERS = {
    ("data_access.read.reports.xlsx", "safe_text"),
    ("data_access.read.reports", "is_number"),
    ("data_access.read.reports.format_2021", "APPEAL_RESULTS"),
    ("data_access.read.reports.old_format", "narrative_sentences"),
    ("data_access.read.queries.overview", "ATTENTION_SHOWN"),
}
PURE_DATA_ACCESS = ("data_access.rules", "data_access.settings")


def _within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def dashboard_problems(module: str, imports: Iterable[tuple[str, str | None]]) -> list[str]:
    """What a module of dashboard/ or pages/ imports (at run time) against its folder's role."""
    problems = []
    for other, name in sorted(imports, key=lambda i: (i[0], i[1] or "")):
        what = f"{module} imports {other}{'.' + name if name else ''}"
        if _within(module, "dashboard.widgets"):
            if _within(other, "dashboard.reads", "dashboard.writes", "dashboard.panels", "dashboard.session"):
                problems.append(f"{what}: widgets/ do no I/O")
            elif other == "sqlalchemy" or (
                _within(other, "data_access")
                and not _within(other, *PURE_DATA_ACCESS)
                and (other, name) not in PURE_HELPERS
            ):
                problems.append(f"{what}: widgets/ do no I/O (only data_access.rules and settings)")
        elif _within(module, "dashboard.reads"):
            if _within(other, "dashboard.writes", "dashboard.panels", "dashboard.widgets"):
                problems.append(f"{what}: reads/ never import writes/, panels/ or widgets/")
        elif _within(module, "dashboard.writes"):
            if other == "streamlit" or _within(
                other, "dashboard.panels", "dashboard.widgets", "dashboard.session"
            ):
                problems.append(f"{what}: writes/ draw nothing and never reach for the UI")
            elif _within(other, "dashboard.reads") and other != "dashboard.reads.cache":
                problems.append(f"{what}: writes/ use only reads/cache.py (the engine, refresh)")
        elif module.startswith("pages."):
            if other == "data_access" and name not in (None, "settings"):
                problems.append(f"{what}: pages import data_access only for rules/ and settings")
            elif (
                _within(other, "data_access")
                and other != "data_access"
                and not _within(other, *PURE_DATA_ACCESS)
            ):
                problems.append(f"{what}: pages import data_access only for rules/ and settings")
    return problems


@pytest.mark.parametrize("path", _files("dashboard", "pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_dashboard_folder_keeps_to_its_role(path):
    modules = set(MODULES) | {_module(p) for p in _files("pages")}
    assert dashboard_problems(_module(path), imports_of(path, modules, runtime=True)) == []


def test_the_dashboard_rules_catch_what_they_are_for():
    # A made-up violation of each rule, and what stays allowed.
    w = "dashboard.widgets.tables"
    assert dashboard_problems(w, {("dashboard.reads.figures", None)})
    assert dashboard_problems(w, {("dashboard.writes.admin", None)})
    assert dashboard_problems(w, {("dashboard.panels.filters", None)})
    assert dashboard_problems(w, {("dashboard.session", None)})
    assert dashboard_problems(w, {("data_access.store.db", None)})
    assert dashboard_problems(w, {("data_access.read.reports.xlsx", "xlsx_bytes")})
    assert dashboard_problems(w, {("sqlalchemy", None)})
    assert not dashboard_problems(
        w, {("data_access.rules.vocab", "CATEGORY_NAMES"), ("data_access.read.reports.xlsx", "safe_text")}
    )
    assert dashboard_problems("dashboard.reads.admin", {("dashboard.writes.admin", None)})
    assert dashboard_problems("dashboard.reads.cache", {("dashboard.widgets.charts", None)})
    assert dashboard_problems("dashboard.reads.cache", {("dashboard.panels.filters", None)})
    assert not dashboard_problems("dashboard.reads.admin", {("dashboard.reads.cache", "cached_read")})
    assert dashboard_problems("dashboard.writes.admin", {("dashboard.panels.admin_ui", None)})
    assert dashboard_problems("dashboard.writes.admin", {("dashboard.widgets.audit_table", None)})
    assert dashboard_problems("dashboard.writes.admin", {("dashboard.session", None)})
    assert dashboard_problems("dashboard.writes.admin", {("streamlit", None)})
    assert dashboard_problems("dashboard.writes.admin", {("dashboard.reads.figures", None)})
    assert not dashboard_problems("dashboard.writes.admin", {("dashboard.reads.cache", "engine")})
    assert dashboard_problems("pages.upload", {("data_access.write.importing", None)})
    assert dashboard_problems("pages.overview", {("data_access.read.queries.overview", "ATTENTION_SHOWN")})
    assert dashboard_problems("pages.overview", {("data_access", "store")})
    assert not dashboard_problems(
        "pages.overview", {("data_access", "settings"), ("data_access.rules.vocab", "ROLES")}
    )


def test_type_only_imports_are_told_apart():
    made_up = ROOT / "dashboard" / "widgets" / "made_up.py"
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from data_access.store.audit import AuditEntry\n"
    entry = ("data_access.store.audit", "AuditEntry")
    assert entry not in imports_of(made_up, runtime=True, source=source)
    assert entry in imports_of(made_up, runtime=False, source=source)
    assert dashboard_problems("dashboard.widgets.made_up", imports_of(made_up, source=source))


def test_every_dashboard_folder_says_what_it_holds_and_may_import():
    for folder in ("reads", "writes", "widgets", "panels"):
        doc = ast.get_docstring(ast.parse((ROOT / "dashboard" / folder / "__init__.py").read_text("utf-8")))
        assert doc and "import" in doc, folder


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
