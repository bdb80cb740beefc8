"""User-interface strings: t("key") looks the key up in the chosen locale (zh_CN by default).

Each locale is a folder of JSON files (one per area of the app, e.g. core.json, pages.json);
a key must be unique across the files of a locale, and every locale has every key (tested).
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LOCALE = "zh_CN"
LOCALES = {"zh_CN": "中文", "en": "English"}

# Per script run, not per process: Streamlit runs each session's script in its own thread, and a
# new thread starts with an empty context, so one user's choice never reaches another's page.
_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@cache
def catalogue(locale: str) -> dict[str, str]:
    """All strings of one locale, merged from its files."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.json")):
        strings = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & strings.keys()
        if clash:
            raise ValueError(f"{path}: keys defined twice in locale {locale}: {sorted(clash)}")
        merged.update(strings)
    return merged


def set_locale(locale: str) -> None:
    """Choose the locale for this script run (unknown locales fall back to zh_CN)."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def current_locale() -> str:
    """The locale of this script run."""
    return _current.get()


def t(key: str, **values: object) -> str:
    """The string for key in the current locale, formatted with values."""
    text = catalogue(_current.get()).get(key) or catalogue(DEFAULT_LOCALE)[key]
    return text.format(**values) if values else text
