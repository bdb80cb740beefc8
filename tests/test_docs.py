"""The README documents every setting and every locale has every key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.i18n import LOCALES, LOCALES_DIR
from data_access.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default(setting):
    line = next((ln for ln in README.splitlines() if f"`{setting.name}`" in ln), None)
    assert line is not None, f"README does not document {setting.name}"
    if setting.name != "DATABASE_URL":  # its default is a path on the user's machine
        assert f"`{setting.default}`" in line, f"README gives no default for {setting.name}"
    assert setting.help


def test_every_locale_has_every_key():
    keys = {
        loc: set(json.loads((LOCALES_DIR / f"{loc}.json").read_text(encoding="utf-8"))) for loc in LOCALES
    }
    reference = keys["zh_CN"]
    for loc, found in keys.items():
        assert found == reference, f"{loc}: missing {reference - found}, extra {found - reference}"


def test_readme_names_the_two_commands():
    assert "make run" in README and "make test" in README
