"""The version of pyproject.toml is what `--version` prints (both commands) and the app's footer shows."""

from __future__ import annotations

import tomllib
from pathlib import Path

from data_access.version import VERSION
from tests.helpers.cli import GONGKAI, run_process
from tests.helpers.pages import principal, run

ROOT = Path(__file__).resolve().parent.parent
DECLARED = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_version_is_pyprojects():
    assert VERSION == DECLARED


def test_both_commands_print_the_version():
    for command in (None, (str(GONGKAI),)):
        done = run_process("--version") if command is None else run_process("--version", command=command)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"政务公开看板 {DECLARED}"


def test_the_footer_shows_the_version(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, who=principal("staff"))
    assert f"政务公开看板 版本 {DECLARED}" in [str(c.value) for c in at.sidebar.caption]
