"""The product's version: the installed distribution's (pyproject.toml), or pyproject.toml itself
when the code runs from a checkout that was never installed."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "gongkai-kanban"
_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _version() -> str:
    if _PYPROJECT.is_file():  # a checkout: its own pyproject.toml, even if another copy is installed
        match = re.search(r'^version\s*=\s*"([^"]+)"', _PYPROJECT.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1)
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


VERSION = _version()
