"""docs/部署手册.md read as data: its numbered sections and their shell blocks (what the reader types)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

MANUAL = Path(__file__).resolve().parents[2] / "docs" / "部署手册.md"
_BLOCK = re.compile(r"^[ \t]*```(?:sh|bash|shell)\n(.*?)^[ \t]*```", flags=re.M | re.S)


def shell_blocks(text: str, *, joined: bool = True) -> list[str]:
    """The ```sh blocks in order, dedented (a block inside a list item is indented). joined: with
    backslash-continued lines joined into one line (to read commands); else as the reader types them."""
    blocks = [textwrap.dedent(block) for block in _BLOCK.findall(text)]
    return [re.sub(r"\\\n\s*", " ", block) for block in blocks] if joined else blocks


def sections(text: str) -> dict[int, str]:
    """The text of each numbered section (`## 3. …`), by its number."""
    parts = re.split(r"^## (\d+)\. .*$", text, flags=re.M)
    return {int(number): body for number, body in zip(parts[1::2], parts[2::2], strict=True)}
