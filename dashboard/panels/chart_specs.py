"""The dashboards' charts as Vega-Lite specs, each built once per set of figures and labels.

Building an Altair chart and checking it against the schema costs 30–60 ms. A spec is kept per set
of figures and labels in this process, with its data already in the Arrow form Streamlit sends
(st.vega_lite_chart would otherwise turn the rows into a pandas frame and then Arrow on every
draw), so drawing a chart again costs a lookup and the spec's JSON. Pages draw them with
st.vega_lite_chart.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Hashable
from typing import Any

import pandas as pd
from streamlit import dataframe_util

from dashboard.reads.cache import cached_pure
from dashboard.widgets import charts, charts_pages


def _frozen(value: Any) -> Hashable:
    """A hashable stand-in for an option (dicts and lists of labels, names). A dict keeps its order:
    a legend lists its labels in the order given."""
    if isinstance(value, dict):
        return ("dict", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


# Up to this many rows a chart's frame is keyed by its values; a larger one (a city's board
# timeline: thousands of events) by pandas' 64-bit hash of each row, which costs a tenth as much.
_KEY_BY_VALUES = 256


def _frame_key(frame: pd.DataFrame) -> Hashable:
    """A chart's rows as tuples (NaN as None, so the same figures give the same key)."""
    shape = tuple(frame.columns), tuple(str(d) for d in frame.dtypes)
    if len(frame) > _KEY_BY_VALUES:
        return shape, len(frame), pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    rows = tuple(
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    )
    return shape, rows


def _with_arrow_data(spec: dict) -> dict:
    """The spec with each named dataset as the Arrow stream Streamlit would make of it."""
    datasets = spec.get("datasets")
    if datasets:
        spec["datasets"] = {
            name: rows if isinstance(rows, bytes) else dataframe_util.convert_anything_to_arrow_bytes(rows)
            for name, rows in datasets.items()
        }
    return spec


def _own_copy(spec: dict) -> dict:
    """The spec for one draw: st.vega_lite_chart patches a few nested entries of the spec it is given
    (a null legend title, say), so each draw gets its own copy of everything but the Arrow rows,
    which nothing changes (a copy of a few small dicts, not of the data)."""
    return {key: value if key == "datasets" else copy.deepcopy(value) for key, value in spec.items()}


def category_chart_spec(counts: tuple[tuple[str, int], ...], labels: tuple[str, str, str, str]) -> dict:
    """The overview's category chart (title, category, count, share labels)."""
    return _own_copy(_category_chart_spec(counts, labels))


def chart_spec(builder: str, frame: pd.DataFrame, **options: Any) -> dict:
    """dashboard.widgets.charts_pages.<builder>(frame, **options) as a spec."""
    return _own_copy(_chart_spec(builder, frame, **options))


@cached_pure(max_entries=256, key=lambda counts, labels: (counts, labels))
def _category_chart_spec(counts: tuple[tuple[str, int], ...], labels: tuple[str, str, str, str]) -> dict:
    title, category, count, share = labels
    chart = charts.category_bar(dict(counts), title=title, category=category, count=count, share=share)
    return _with_arrow_data(chart.to_dict(validate=False))


@cached_pure(
    max_entries=512, key=lambda builder, frame, **options: (builder, _frame_key(frame), _frozen(options))
)
def _chart_spec(builder: str, frame: pd.DataFrame, **options: Any) -> dict:
    return _with_arrow_data(getattr(charts_pages, builder)(frame, **options).to_dict(validate=False))
