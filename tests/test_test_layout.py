"""Tests never import from one another: what several test modules share lives in tests/helpers.

Every import under tests/ (at the top or inside a function, absolute or relative) that names a
module of the `tests` package must name tests.helpers or a module in it. A test module or a
conftest imported from elsewhere runs its fixtures and module code twice, couples files that
should move independently, and hides the shared helper where nobody looks for it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ALLOWED = "tests.helpers"


def _module_name(path: Path) -> str:
    parts = path.relative_to(TESTS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import in the tree, relative ones resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "tests":  # `from tests import conftest` names tests.conftest
                found += [(node.lineno, f"tests.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def imports_of_other_tests(source: str, path: Path) -> list[str]:
    """The imports of `source` (the file at `path` under tests/) that name a module of the tests
    package outside tests.helpers, as 'file:line: module'."""
    module = _module_name(path)
    tree = ast.parse(source, filename=str(path))
    bad = []
    for line, target in _imported(tree, module, path.name == "__init__.py"):
        if target != "tests" and not target.startswith("tests."):
            continue
        if target == ALLOWED or target.startswith(ALLOWED + "."):
            continue
        bad.append(f"{path.relative_to(TESTS.parent)}:{line}: {target}")
    return bad


def test_no_test_imports_another_test_module():
    bad = []
    for path in sorted(TESTS.rglob("*.py")):
        bad += imports_of_other_tests(path.read_text(encoding="utf-8"), path)
    assert not bad, "move what these share into tests/helpers:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("from tests.data_access.test_duties import make_unit_and_batch\n", "tests.data_access.test_duties"),
        ("from tests.conftest import create_database\n", "tests.conftest"),
        ("import tests.e2e.conftest\n", "tests.e2e.conftest"),
        ("def f():\n    from tests.pages.test_upload_page import XLSX\n", "tests.pages.test_upload_page"),
        ("from .test_reading import ROWS\n", "tests.data_access.importing.test_reading"),
        ("from . import races\n", "tests.data_access.importing"),
        ("from ..test_tally import assert_exact\n", "tests.data_access.test_tally"),
        ("from tests import conftest\n", "tests.conftest"),
    ],
)
def test_the_check_finds_a_made_up_import_of_another_test(source, where):
    path = TESTS / "data_access" / "importing" / "test_made_up.py"
    (found,) = imports_of_other_tests(source, path)
    assert found.endswith(f": {where}")


@pytest.mark.parametrize(
    "source",
    [
        "from tests.helpers.builders import xlsx\n",
        "from tests.helpers import hostile_files as hostile\n",
        "import tests.helpers.databases\n",
        "from data_access.store import db\nimport pytest\n",
    ],
)
def test_the_check_lets_helpers_and_the_product_through(source):
    assert imports_of_other_tests(source, TESTS / "pages" / "test_made_up.py") == []
