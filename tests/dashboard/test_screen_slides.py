"""The screen's slides and rotation, as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.screen import presets
from dashboard.screen.slides import MAX_BARS, SLIDES, _fig, esc, header, pick, shown_categories, ticker
from data_access.read import public
from data_access.store import db


@pytest.mark.parametrize(
    ("entries", "at", "expected"),
    [
        ([("a", 10), ("b", 5)], 0, 0),
        ([("a", 10), ("b", 5)], 9, 0),
        ([("a", 10), ("b", 5)], 10, 1),
        ([("a", 10), ("b", 5)], 14, 1),
        ([("a", 10), ("b", 5)], 15, 0),  # the loop starts again
        ([("a", 10), ("b", 5)], 15 * 1000 + 12, 1),
        ([("only", 7)], 123456, 0),
        ([], 99, 0),
    ],
)
def test_pick_is_a_function_of_the_clock(entries, at, expected):
    assert pick(entries, at) == expected


@pytest.mark.parametrize(
    ("key", "width", "strip"),
    [("1080p", 1920, False), ("wide", 3840, False), ("strip", 1024, True), ("nonsense", 1920, False)],
)
def test_presets(key, width, strip):
    p = presets.preset(key)
    assert (p.width, p.strip) == (width, strip)


def test_esc_turns_markup_into_text():
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture(scope="module")
def data_2018(seeded_db):
    with db.read_session(seeded_db) as s:
        return public.screen_data(s, "qingyang", dt.date(2018, 12, 31))


@pytest.mark.parametrize("key", list(SLIDES))
def test_every_slide_renders_the_demo(data_2018, key):
    html = SLIDES[key].render(data_2018)
    assert html.startswith("<h2>") and "</h2>" in html


def test_slides_show_the_figures(data_2018):
    assert ">158<" in SLIDES["headline"].render(data_2018)
    assert ">954<" in SLIDES["headline"].render(data_2018)
    assert ">35<" in SLIDES["categories"].render(data_2018)
    assert "和平路拓改工程安置房项目" in SLIDES["projects"].render(data_2018)
    assert "0595-85601021" in header(
        data_2018, "青阳街道", data_2018.hotline, dt.datetime(2018, 12, 31, 9, 5)
    )
    assert "09:05" in header(data_2018, "青阳街道", None, dt.datetime(2018, 12, 31, 9, 5))


def test_a_script_title_is_shown_as_text(data_2018):
    item = public.PublicItem("<script>alert(1)</script>标题", dt.date(2018, 12, 1), "机构职能类")
    data = public.ScreenData(**{**data_2018.__dict__, "newest": (item,)})
    for html in (SLIDES["newest"].render(data), ticker(data)):
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;标题" in html


def test_empty_unit_slides(data_2018):
    empty = public.ScreenData(
        **{
            **data_2018.__dict__,
            "newest": (),
            "projects": (),
            "projects_month": None,
            "by_category": dict.fromkeys(data_2018.by_category, 0),
        }
    )
    for key in SLIDES:
        assert SLIDES[key].render(empty)
    assert "暂无" in SLIDES["newest"].render(empty) and "暂无" in SLIDES["projects"].render(empty)


def test_the_ticker_leads_with_what_it_is_given(data_2018):
    html = ticker(data_2018, "青阳街道政务公开　政务热线 0595-85601021")
    assert "<span>青阳街道政务公开　政务热线 0595-85601021　◆　12月" in html
    # Two identical copies side by side (the seamless loop), each every title once.
    first, second = html.split("<span>")[1:]
    assert first == second.replace("</div>", "")
    assert ticker(data_2018).count("◆") == 2 * len(data_2018.newest)


def test_a_short_ticker_is_repeated_to_fill_the_widest_screen(data_2018):
    empty = public.ScreenData(**{**data_2018.__dict__, "newest": ()})
    html = ticker(empty)
    copy = html.split("<span>")[1].split("</span>")[0]
    assert copy.startswith("欢迎查阅政府信息公开内容") and len(copy) >= 80


@pytest.mark.parametrize(("value", "width"), [(7, "1.86"), ("158/158", "4.34"), ("12345/12345", "6.82")])
def test_a_long_figure_asks_for_a_smaller_type(value, width):
    # The figure's type is min(13vh, box width / --n): a longer value gets a larger --n.
    assert f'style="--n:{width}"' in _fig(value, "x")


def test_a_large_catalogue_shows_its_largest_categories_and_sums_the_rest():
    ten = {f"类{i}": i for i in range(10)}
    assert shown_categories(ten) == list(ten.items())  # up to MAX_BARS: every one, in order
    many = {f"类{i}": (i * 7) % 20 for i in range(20)}
    bars = shown_categories(many)
    assert len(bars) == MAX_BARS and bars[-1][0] == "其余9类"
    assert sum(n for _name, n in bars) == sum(many.values())
    assert [name for name, _n in bars[:-1]] == [name for name in many if name in dict(bars)]
