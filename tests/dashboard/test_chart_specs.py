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


def test_a_spec_is_built_once_per_set_of_figures() -> None:
    frame = pd.DataFrame([("政府网站", 3), ("政务新媒体", 1)], columns=["label", "value"])
    first = chart_specs.chart_spec("bars", frame, title="渠道", label="渠道", value="条数")
    assert chart_specs.chart_spec("bars", frame.copy(), title="渠道", label="渠道", value="条数") is first
    other = chart_specs.chart_spec("bars", frame, title="渠道", label="渠道", value="件数")
    assert other is not first
    assert isinstance(next(iter(first["datasets"].values())), bytes), "rows already in Arrow form"
