"""The screen's slides: each a registered function from public data to HTML.

Every value that comes from the database passes through `esc()`, so a title such as
"<script>…" is shown as text. The data itself comes only from data_access.read.public.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

from data_access.read.public import ScreenData


def esc(value: object) -> str:
    """Text made safe for HTML."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Slide:
    """A registered slide: its key, Chinese title and renderer."""

    key: str
    title: str
    render: Callable[[ScreenData], str]


def _fig(value: object, label: str) -> str:
    """A figure box; --n (the value's width in em, about 0.62 per digit) lets a long value shrink to fit."""
    width = 0.62 * max(len(str(value)), 3)
    return (
        f'<div class="fig"><div class="v" style="--n:{width:.2f}">{esc(value)}</div>'
        f'<div class="l">{esc(label)}</div></div>'
    )


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def headline(d: ScreenData) -> str:
    """This year's headline figures."""
    figs = [
        _fig(d.published_year, f"{d.year}年主动公开信息（条）"),
        _fig(d.published_month, f"{d.month}月新公开（条）"),
        _fig(d.published_cumulative, "历年累计公开（条）"),
        _fig(d.requests_received, "依申请公开受理（件）"),
        _fig(f"{d.deliveries['archive']}/{d.deliveries['library']}", "送交档案馆/图书馆（份）"),
        _fig(_pct(d.projects_rate) if d.projects_rate is not None else "—", "重点项目年度完成率"),
    ]
    return f'<h2>{esc(d.unit_name)} {d.year} 年政务公开</h2><div class="figs">{"".join(figs)}</div>'


MAX_BARS = 12  # what fits the slide; a larger catalogue shows its largest and sums the rest


def shown_categories(by_category: dict[str, int]) -> list[tuple[str, int]]:
    """The bars of the category slide: every category, or for a catalogue with more than MAX_BARS
    level-one entries the largest MAX_BARS - 1 (in catalogue order) and one bar for the rest."""
    items = list(by_category.items())
    if len(items) <= MAX_BARS:
        return items
    largest = {name for name, _n in sorted(items, key=lambda i: -i[1])[: MAX_BARS - 1]}
    kept = [(name, n) for name, n in items if name in largest]
    rest = [n for name, n in items if name not in largest]
    return [*kept, (f"其余{len(rest)}类", sum(rest))]


def categories(d: ScreenData) -> str:
    """Publications by category, as bars."""
    top = max(d.by_category.values(), default=0) or 1
    rows = "".join(
        f'<div class="bar"><span class="n">{esc(name)}</span>'
        f'<span class="t"><span class="f" style="display:block;width:{100 * n / top:.1f}%"></span></span>'
        f'<span class="c">{n}</span></div>'
        for name, n in shown_categories(d.by_category)
    )
    return f'<h2>{d.year} 年主动公开信息分类统计</h2><div class="bars">{rows}</div>'


def newest(d: ScreenData) -> str:
    """The newest published items."""
    if not d.newest:
        return '<h2>最新公开信息</h2><div class="empty">暂无公开信息</div>'
    items = "".join(
        f'<li><span class="d">{i.published:%m-%d}</span><span class="x">{esc(i.title)}</span></li>'
        for i in d.newest[:8]
    )
    return f'<h2>最新公开信息</h2><ul class="items">{items}</ul>'


def projects(d: ScreenData) -> str:
    """Key-project completion: the five furthest ahead and the five furthest behind."""
    if not d.projects:
        return '<h2>重点项目完成情况</h2><div class="empty">本年度暂无重点项目数据</div>'
    rows = "".join(
        f'<div class="bar{" warn" if p.lagging else ""}"><span class="n">{esc(p.name)}</span>'
        f'<span class="t"><span class="f" style="display:block;width:{min(100.0, 100 * p.rate):.1f}%"></span></span>'
        f'<span class="c">{_pct(p.rate)}</span></div>'
        for p in d.projects  # the furthest ahead and the furthest behind (data_access.read.public)
    )
    return f'<h2>重点项目完成进度（1-{d.projects_month}月）</h2><div class="bars">{rows}</div>'


def requests(d: ScreenData) -> str:
    """Requests statistics: counts only."""
    figs = [_fig(d.requests_received, "受理申请（件）"), _fig(d.requests_replied, "已答复（件）")]
    figs += [_fig(n, f"{kind}（件）") for kind, n in d.replies.items()]
    return f'<h2>{d.year} 年依申请公开办理情况</h2><div class="figs">{"".join(figs[:6])}</div>'


def duties(d: ScreenData) -> str:
    """Bulletin boards' last updates and the deliveries to the archive and the library."""
    items = "".join(
        f'<li><span class="d">{b.last_update:%Y-%m-%d}</span><span class="x">{esc(b.name)}（{esc(b.last_kind)}）</span></li>'
        if b.last_update
        else f'<li><span class="d">—</span><span class="x">{esc(b.name)}（暂无更新记录）</span></li>'
        for b in d.boards[:5]
    )
    deliveries = (
        f'<li><span class="d">送交两馆</span><span class="x">{esc(d.recipient_names["archive"])} '
        f"{d.deliveries['archive']} 份 · {esc(d.recipient_names['library'])} {d.deliveries['library']} 份</span></li>"
    )
    return f'<h2>公开栏更新与送交两馆</h2><ul class="items">{items}{deliveries}</ul>'


SLIDES: dict[str, Slide] = {
    s.key: s
    for s in (
        Slide("headline", "年度主要数据", headline),
        Slide("categories", "分类统计", categories),
        Slide("newest", "最新公开信息", newest),
        Slide("projects", "重点项目完成情况", projects),
        Slide("requests", "依申请公开统计", requests),
        Slide("duties", "公开栏与送交两馆", duties),
    )
}


TICKER_CHARS_PER_SECOND = 3
TICKER_MIN_CHARS = 80  # one copy of the line is at least this long: wider than the widest preset


def ticker(d: ScreenData, lead: str = "") -> str:
    """The scrolling line of the latest published titles (after `lead`, if given).

    The line is drawn twice, one copy after the other, and moves left by one copy's width per
    cycle: the screen is never blank, from the first frame after a (re)load, and the loop has no seam.
    """
    parts = [lead] if lead else []
    parts += [f"{i.published:%m月%d日} {i.title}" for i in d.newest] or ["欢迎查阅政府信息公开内容"]
    line = "".join(f"{part}　◆　" for part in parts)
    line *= -(-TICKER_MIN_CHARS // len(line))  # repeated until it is long enough
    seconds = max(10, len(line) // TICKER_CHARS_PER_SECOND)
    copy = f"<span>{esc(line)}</span>"
    return f'<div class="tick" style="--tick-seconds:{seconds}s">{copy}{copy}</div>'


def header(d: ScreenData | None, unit_name: str, hotline: str | None, now: dt.datetime) -> str:
    """The bar always on top: office name, date and time, hotline."""
    weekday = "一二三四五六日"[now.weekday()]
    hot = f"政务热线 {esc(hotline)}" if hotline else ""
    return (
        f'<div class="scr-top"><span>{esc(unit_name)}政务公开</span>'
        f'<span class="clock">{now:%Y年%m月%d日} 星期{weekday} {now:%H:%M}</span>'
        f'<span class="hot">{hot}</span></div>'
    )


def pick(entries: list[tuple[str, int]], epoch_seconds: float) -> int:
    """Index of the slide showing at this moment: the loop is a pure function of the clock."""
    cycle = sum(seconds for _key, seconds in entries)
    if cycle <= 0:
        return 0
    position = int(epoch_seconds) % cycle
    for index, (_key, seconds) in enumerate(entries):
        if position < seconds:
            return index
        position -= seconds
    return 0
