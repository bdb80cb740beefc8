"""User-interface strings: t("key") looks the key up in the chosen locale (zh_CN by default)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LOCALE = "zh_CN"
LOCALES = {"zh_CN": "中文", "en": "English"}

_current = DEFAULT_LOCALE


@cache
def catalogue(locale: str) -> dict[str, str]:
    """All strings of one locale."""
    return json.loads((LOCALES_DIR / f"{locale}.json").read_text(encoding="utf-8"))


def set_locale(locale: str) -> None:
    """Choose the locale for this script run (unknown locales fall back to zh_CN)."""
    global _current
    _current = locale if locale in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    """The locale of this script run."""
    return _current


def t(key: str, **values: object) -> str:
    """The string for key in the current locale, formatted with values."""
    text = catalogue(_current).get(key) or catalogue(DEFAULT_LOCALE)[key]
    return text.format(**values) if values else text
