"""Altair charts built from small aggregated DataFrames (pure: no Streamlit here)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from data_access.rules.vocab import CATEGORY_NAMES

# One colour per category, the same on every chart (Tableau 10, ordered as the default catalogue;
# an office's own categories take the Tableau 20 colours after them, in the order they come).
CATEGORY_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#f1ce63",
    "#86bcb6", "#ff9d9a", "#79706e", "#d37295", "#d4a6c8",
)  # fmt: skip


# A vertical axis's title written level above the axis, as Chinese charts do, not turned sideways.
UPRIGHT_TITLE = {"titleAngle": 0, "titleAnchor": "end", "titleAlign": "right", "titleBaseline": "bottom",
                 "titleX": -6, "titleY": -10}  # fmt: skip


def category_colour_scale(names: Sequence[str] = ()) -> alt.Scale:
    """The category → colour scale over exactly `names` (so a legend lists only those): the default
    catalogue's categories keep their fixed colours, an office's own take the unused ones in order."""
    domain = list(dict.fromkeys(names)) or list(CATEGORY_NAMES)
    fixed = {name: CATEGORY_COLOURS[i] for i, name in enumerate(CATEGORY_NAMES)}
    free = [c for c in CATEGORY_COLOURS if c not in {fixed[n] for n in domain if n in fixed}]
    colours, spare = [], iter(free)
    for name in domain:
        colours.append(
            fixed.get(name) or next(spare, None) or CATEGORY_COLOURS[len(colours) % len(CATEGORY_COLOURS)]
        )
    return alt.Scale(domain=domain, range=colours)


def category_bar(counts: dict[str, int], *, title: str, category: str, count: str, share: str) -> alt.Chart:
    """A horizontal bar per category with its count and share, in catalogue order."""
    total = sum(counts.values())
    frame = pd.DataFrame(
        {
            "category": list(counts),
            "count": list(counts.values()),
            "share": [n / total if total else 0.0 for n in counts.values()],
        }
    )
    frame["label"] = [f"{n}（{s:.2%}）" for n, s in zip(frame["count"], frame["share"], strict=True)]
    order = list(counts)
    bars = (
        alt.Chart(frame, title=alt.Title(title, anchor="start", fontSize=18))
        .mark_bar()
        .encode(
            y=alt.Y(
                "category:N",
                sort=order,
                title=category,
                axis=alt.Axis(labelLimit=260, labelFontSize=13, **UPRIGHT_TITLE),
            ),
            x=alt.X("count:Q", title=count, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("category:N", scale=category_colour_scale(list(counts)), legend=None),
            tooltip=[
                alt.Tooltip("category:N", title=category),
                alt.Tooltip("count:Q", title=count),
                alt.Tooltip("share:Q", title=share, format=".2%"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=13).encode(
        text=alt.Text("label:N"), color=alt.value("#333")
    )
    return (bars + labels).properties(height=alt.Step(34))
