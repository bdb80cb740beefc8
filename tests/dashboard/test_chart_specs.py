"""dashboard.panels.chart_specs: a spec is kept per set of figures, so equal figures (a small frame
keyed by its values, a large one by its rows' hashes) find it and any changed figure does not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.panels import chart_specs


@pytest.mark.parametrize("rows", [3, 5_000])
def test_equal_figures_share_a_key_and_a_changed_one_does_not(rows: int) -> None:
    frame = pd.DataFrame(
        {
            "unit": ["青阳街道"] * rows,
            "day": [dt.date(2025, 1, 1)] * rows,
            "n": range(rows),
            "x": [float("nan")] * rows,
        }
    )
    assert chart_specs._frame_key(frame) == chart_specs._frame_key(frame.copy())
    changed = frame.copy()
    changed.loc[rows - 1, "n"] = -1
    assert chart_specs._frame_key(changed) != chart_specs._frame_key(frame)
    renamed = frame.rename(columns={"n": "count"})
    assert chart_specs._frame_key(renamed) != chart_specs._frame_key(frame)


def test_a_spec_is_built_once_per_set_of_figures_and_each_draw_gets_its_own() -> None:
    frame = pd.DataFrame([("政府网站", 3), ("政务新媒体", 1)], columns=["label", "value"])
    first = chart_specs.chart_spec("bars", frame, title="渠道", label="渠道", value="条数")
    (name, rows), *_ = first["datasets"].items()
    assert isinstance(rows, bytes), "rows already in Arrow form"
    again = chart_specs.chart_spec("bars", frame.copy(), title="渠道", label="渠道", value="条数")
    assert again == first and again["datasets"][name] is rows, "the same kept spec, not built again"
    nested = next(v for k, v in first.items() if k != "datasets" and isinstance(v, dict))
    nested["patched"] = " "  # st.vega_lite_chart patches nested entries of what it is given
    assert chart_specs.chart_spec("bars", frame, title="渠道", label="渠道", value="条数") == again
    other = chart_specs.chart_spec("bars", frame, title="渠道", label="渠道", value="件数")
    assert other != again


def test_labels_in_another_order_are_another_spec() -> None:
    """A legend lists its labels in the order given, so the order is part of what the spec is kept by."""
    frame = pd.DataFrame([("1月", "市档案馆", "on_time", "按时")], columns=["x", "y", "status", "label"])
    one = chart_specs.chart_spec(
        "status_grid", frame, title="送交", x="月份", y="单位", labels={"on_time": "按时", "late": "逾期"}
    )
    other = chart_specs.chart_spec(
        "status_grid", frame, title="送交", x="月份", y="单位", labels={"late": "逾期", "on_time": "按时"}
    )
    assert one["encoding"]["color"]["legend"] != other["encoding"]["color"]["legend"]
