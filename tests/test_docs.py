"""The README documents every setting and every locale has every key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.i18n import LOCALES, LOCALES_DIR, catalogue
from data_access.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default(setting):
    line = next((ln for ln in README.splitlines() if ln.startswith(f"| `{setting.name}` |")), None)
    assert line is not None, f"README does not document {setting.name}"
    if setting.name != "DATABASE_URL":  # its default is a path on the user's machine
        assert f"`{setting.default}`" in line, f"README gives no default for {setting.name}"
    assert setting.help


def test_every_locale_has_every_key():
    files = {loc: sorted(p.name for p in (LOCALES_DIR / loc).glob("*.json")) for loc in LOCALES}
    assert len({tuple(f) for f in files.values()}) == 1, f"locales have different files: {files}"
    for name in files["zh_CN"]:
        keys = {
            loc: set(json.loads((LOCALES_DIR / loc / name).read_text(encoding="utf-8"))) for loc in LOCALES
        }
        for loc, found in keys.items():
            missing, extra = keys["zh_CN"] - found, found - keys["zh_CN"]
            assert not missing and not extra, f"{loc}/{name}: missing {missing}, extra {extra}"
    for loc in LOCALES:
        assert catalogue(loc)  # raises if a key is defined in two files


def test_readme_names_the_two_commands():
    assert "make run" in README and "make test" in README
