"""The 帮助 page's reading of the user manual: docs/用户手册.md, one chapter (## heading) per role,
shown to the roles it is for, its screenshots (docs/images/) drawn with st.image.

The manual ships with the app: it sits in docs/ beside pages/ and serve.py, which are run from the
project directory and never installed as a package.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from data_access.rules.permissions import ADMIN, LEADER, STAFF

DOCS = Path(__file__).resolve().parents[2] / "docs"
MANUAL = DOCS / "用户手册.md"
# Each role's chapters, by the words before "：" in the chapter's heading ("## 领导：查看看板…").
ROLE_CHAPTERS: dict[str, tuple[str, ...]] = {
    LEADER: ("通用", "领导"),
    STAFF: ("通用", "工作人员", "大屏"),
    ADMIN: ("通用", "管理员", "大屏"),
}
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$", re.M)


def chapters(text: str) -> dict[str, str]:
    """The manual's chapters by name (the heading's words before "："), each with its heading."""
    found: dict[str, str] = {}
    parts = re.split(r"^(?=## )", text, flags=re.M)
    for part in parts:
        if part.startswith("## "):
            name = part[3:].split("\n", 1)[0].split("：", 1)[0].strip()
            found[name] = part.rstrip() + "\n"
    return found


def images(chapter: str) -> list[tuple[str, str]]:
    """The (caption, relative path) of every screenshot a chapter shows on a line of its own."""
    return [(m.group(1), m.group(2)) for m in _IMAGE.finditer(chapter)]


def role_chapters(role: str, text: str) -> list[str]:
    """The chapters a role reads, in the manual's order of ROLE_CHAPTERS."""
    by_name = chapters(text)
    return [by_name[name] for name in ROLE_CHAPTERS.get(role, ()) if name in by_name]


def read_manual() -> str | None:
    """The manual's text, or None when it is missing from the installation."""
    try:
        return MANUAL.read_text(encoding="utf-8")
    except OSError:
        return None


def draw_chapter(chapter: str) -> None:
    """One chapter: its Markdown, and each screenshot line as an image with its caption."""
    position = 0
    for match in _IMAGE.finditer(chapter):
        if chapter[position : match.start()].strip():
            st.markdown(chapter[position : match.start()])
        path = (DOCS / match.group(2)).resolve()
        if path.is_file() and DOCS in path.parents:
            st.image(str(path), caption=match.group(1), width=960)
        position = match.end()
    if chapter[position:].strip():
        st.markdown(chapter[position:])
