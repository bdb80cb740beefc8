"""The floor of bench.floor: a generated app with each page's elements, and the verdicts printed.

`python -m bench.floor` records every leader's page of the demo, generates the floor app, records
each floor page and compares the two element trees (kind of every block and element by container):
its table says `yes` per page and it exits 1 when one differs. The comparison itself is checked
here on made-up trees (it must tell a missing, an extra and a moved element), and the generated
code on a made-up page. The figures are the machine's; only their presence is checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import floor_gen
from tests.helpers.cli import run_bench

PAGES = ("总览 /", "主动公开 /publications", "重点项目 /projects", "依申请公开 /requests", "公开栏与两馆 /duties",
         "年度报告 /annual_report")  # fmt: skip


def _block(path: list[int], border: bool = False, horizontal: bool = False, weight: float = 0) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    block = msg.delta.add_block
    if weight:
        block.column.weight = weight
    else:
        block.flex_container.border = border
        if horizontal:
            block.flex_container.direction = block.flex_container.HORIZONTAL
    return msg


def _element(path: list[int], kind: str, **fields: object) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    proto = getattr(msg.delta.new_element, kind)
    proto.SetInParent()
    for name, value in fields.items():
        setattr(proto, name, value)
    return msg


def _cards() -> list[ForwardMsg]:
    """A sidebar link, a heading, then two bordered metric cards in columns."""
    return [
        _element([1, 0], "markdown", body="看板"),
        _element([0, 0], "heading", tag="h1", body="总览"),
        _block([0, 1], horizontal=True),
        _block([0, 1, 0], weight=0.5),
        _block([0, 1, 1], weight=0.5),
        _block([0, 1, 0, 0], border=True),
        _element([0, 1, 0, 0, 0], "metric", label="主动公开信息（条）", body="158"),
        _block([0, 1, 1, 0], border=True),
        _element([0, 1, 1, 0, 0], "metric", label="按时公开率", body="100.0%"),
    ]


def test_the_shape_tells_a_missing_an_extra_and_a_moved_element() -> None:
    page = floor_gen.shape(floor_gen.tree(_cards()))
    assert page == [
        "main/0: heading",
        "main/1: block:flex_container",
        "main/1/0: block:column",
        "main/1/0/0: block:flex_container",
        "main/1/0/0/0: metric",
        "main/1/1: block:column",
        "main/1/1/0: block:flex_container",
        "main/1/1/0/0: metric",
        "sidebar/0: markdown",
    ]
    missing = _cards()[:-1]
    extra = [*_cards(), _element([0, 1, 1, 0, 1], "markdown", body="说明")]
    moved = [*_cards()[:-1], _element([0, 1, 1, 0, 0], "markdown", body="158")]
    for other in (missing, extra, moved):
        assert floor_gen.shape(floor_gen.tree(other)) != page
    # A run cut short by st.rerun: only the last run's elements count.
    assert floor_gen.shape(floor_gen.tree([_element([0, 5], "text", body="旧"), ForwardMsg(new_session={}),
                                           *_cards()])) == page  # fmt: skip


def test_the_generated_page_draws_the_same_containers_from_constants(tmp_path: Path) -> None:
    source = floor_gen.page_source(floor_gen.tree(_cards()), "总览", tmp_path, "p0", {})
    assert "with st.sidebar:\n    st.markdown('看板')" in source
    assert "st.title('总览')" in source
    assert "cols1 = st.columns([0.5, 0.5], gap='small')" in source
    assert "with cols1[0]:\n    with st.container(border=True" in source
    assert "st.metric('主动公开信息（条）', '158')" in source
    compile(source, "p0.py", "exec")
    with pytest.raises(floor_gen.Unsupported, match="element imgs"):
        floor_gen.page_source(floor_gen.tree([_element([0, 0], "imgs")]), "x", tmp_path, "p1", {})


@pytest.mark.bench
def test_every_leader_page_has_a_floor_of_its_shape_and_the_verdicts_are_printed() -> None:
    done = run_bench(
        "bench.floor",
        "--quick",
        "--loads",
        "1",
        "--reruns",
        "1",
        "--seconds",
        "2",
        "--skip-browser",
        timeout=240,
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    number = r"\d+\.\d"
    for page in PAGES:
        row = rf"^{re.escape(page)} +{number} +{number} +{number} +{number} +\d\.\d\d× \| .* \| yes$"
        assert re.search(row, out, re.MULTILINE), (page, out)
        title = page.split()[0]
        assert re.search(
            rf"^  \[(met|NOT met)\] new session ≤ 1\.3× its floor \(demo, {title}\): \d", out, re.M
        ), out
        assert re.search(
            rf"^  \[(met|NOT met)\] rerun ≤ 1\.2× the floor's rerun \(demo, {title}\): \d", out, re.M
        ), out
    assert re.search(r"^page loads per second, one app process, 4 clients .*\(this code\): \d+\.\d\d/s, errors 0$",
                     out, re.MULTILINE), out  # fmt: skip
    assert "[not measured] page loads a second ≥ 3× the baseline's" in out, out
    assert "[not measured] click-to-figures in chromium ≤ 1.3× the floor's (--skip-browser" in out, out
