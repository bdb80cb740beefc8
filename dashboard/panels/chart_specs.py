"""The dashboards' charts as Vega-Lite specs, each built once per set of figures and labels.

Building an Altair chart and checking it against the schema costs 30–60 ms; a revisit then costs
a dict copy instead. Pages draw them with st.vega_lite_chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.reads.cache import cached_pure
from dashboard.widgets import charts, charts_pages


@cached_pure(max_entries=256)
def category_chart_spec(counts: tuple[tuple[str, int], ...], labels: tuple[str, str, str, str]) -> dict:
    """The overview's category chart (title, category, count, share labels), built and validated
    once per set of figures, not on every rerun."""
    title, category, count, share = labels
    return charts.category_bar(
        dict(counts), title=title, category=category, count=count, share=share
    ).to_dict(validate=False)


@cached_pure(max_entries=512)
def chart_spec(builder: str, frame: pd.DataFrame, **options: Any) -> dict:
    """dashboard.widgets.charts_pages.<builder>(frame, **options), built once per set of figures
    and labels (the cache hashes the small aggregated frame) instead of on every rerun."""
    return getattr(charts_pages, builder)(frame, **options).to_dict(validate=False)
