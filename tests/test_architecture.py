"""The dependency rules: data_access and seed never import streamlit; pages never touch SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0] if node.level == 0 else "")
    return names


def _files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


@pytest.mark.parametrize("path", _files("data_access", "seed"), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_never_imports_the_ui(path):
    assert not _imports(path) & {"streamlit", "altair", "dashboard", "pages"}


@pytest.mark.parametrize("path", _files("pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_never_touch_sql(path):
    source = path.read_text(encoding="utf-8")
    assert "sqlalchemy" not in _imports(path), (
        f"{path.name} imports SQLAlchemy (catch dashboard.errors.DatabaseError)"
    )
    for forbidden in (r"session\.execute", r"engine\.connect", r"(?<![\w.])text\(", r"(?<![\w.])select\("):
        assert not re.search(forbidden, source), f"{path.name} uses {forbidden}"


def test_only_resources_touches_the_caches():
    for path in _files("dashboard", "pages"):
        if not path.name.startswith("resources"):
            source = path.read_text(encoding="utf-8")
            assert "cache_data" not in source and "cache_resource" not in source, path


def test_every_registered_page_checks_its_role():
    from dashboard.navigation import PAGES

    for spec in PAGES:
        assert "require_page(__file__)" in (ROOT / spec.path).read_text(encoding="utf-8"), spec.path
