"""The State Council's yearly holiday notice (国务院办公厅关于某年部分节假日安排的通知), read line by line.

Each holiday line of the notice names the holiday, the days off and the weekend days worked in
their place, e.g. 「春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。」.
`parse_notice(text, year)` turns the lines into the calendar's rows: every day from the first to the
last day off is off (named after the holiday), every day the line says 上班 is a 调休 workday.

- the numbering (一、 / （一）) and anything in brackets (（星期六）, （农历除夕、周二）) are ignored;
- the days off are the dates before 放假 in the line: one date (「4月5日放假」) or a range
  (「10月1日至7日」, 「1月28日至2月4日」, 「2022年12月31日至2023年1月2日」); a date without a year is in
  the notice's year, a range without years that crosses New Year starts in the year before;
- the workdays are every date in the sentences that say 上班; a date without a month takes the one
  before it;
- lines that are not holiday lines (the title, 「经国务院批准…」, the closing advice: no name and colon
  at the start, no day of a month) are returned as `ignored`, so the person entering the notice
  sees them;
- a holiday line that cannot be read raises NoticeError naming the line and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from data_access.rules.workdays import DayOverride

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)\s*|\d+[.、])\s*")
_BRACKETS = re.compile(r"\([^)]*\)|【[^】]*】")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_RANGE_JOIN = re.compile(r"^\s*(?:至|到|-|~|—|–)\s*$")
_SENTENCES = re.compile(r"[。;；]")
_MAX_SPAN = 31  # no holiday in a notice runs longer: a longer range is a typing error


class NoticeError(ValueError):
    """A line of the notice that cannot be read (message in Chinese, naming the line)."""


@dataclass(frozen=True)
class NoticeSchedule:
    """What the notice's lines give: the days off and the 调休 workdays (sorted by day), and the
    lines that were not holiday lines (shown to whoever enters the notice)."""

    days: tuple[DayOverride, ...]
    ignored: tuple[str, ...]

    def in_year(self, year: int) -> tuple[DayOverride, ...]:
        """The days of one year (a notice's 元旦 may begin on 30 or 31 December of the year before)."""
        return tuple(d for d in self.days if d.day.year == year)


def _where(lineno: int, raw: str) -> str:
    shown = raw.strip()
    return f"第 {lineno} 行「{shown[:60]}{'…' if len(shown) > 60 else ''}」"


def _dates(text: str, year: int, lineno: int, raw: str) -> list[tuple[dt.date, int, int]]:
    """Every date in the text as (date, start, end of its match); a missing month or year is taken
    from the date before (the first date's year: the notice's)."""
    out: list[tuple[dt.date, int, int]] = []
    last_year, last_month = year, None
    for m in _DATE.finditer(text):
        y = int(m.group(1)) if m.group(1) else last_year
        month = int(m.group(2)) if m.group(2) else last_month
        if month is None:
            raise NoticeError(f"{_where(lineno, raw)}：「{m.group(0)}」没有月份")
        try:
            day = dt.date(y, month, int(m.group(3)))
        except ValueError as exc:
            raise NoticeError(f"{_where(lineno, raw)}：日期「{m.group(0)}」不存在") from exc
        out.append((day, m.start(), m.end()))
        last_year, last_month = y, month
    return out


def _off_days(text: str, year: int, lineno: int, raw: str) -> tuple[dt.date, dt.date]:
    """The first and last day off in the text before 放假."""
    found = _dates(text, year, lineno, raw)
    if not found:
        raise NoticeError(f"{_where(lineno, raw)}：“放假”之前没有日期（应如“2月4日至10日放假”）")
    if len(found) > 2:
        raise NoticeError(
            f"{_where(lineno, raw)}：放假日期应为一天或“某日至某日”，这里有 {len(found)} 个日期"
        )
    first = found[0][0]
    if len(found) == 1:
        return first, first
    (start, _, end_of_start), (end, begin_of_end, _) = found
    if not _RANGE_JOIN.match(text[end_of_start:begin_of_end]):
        raise NoticeError(f"{_where(lineno, raw)}：两个放假日期之间应为“至”")
    if (
        end < start
        and (start.month, end.month) == (12, 1)
        and not any(m.group(1) for m in _DATE.finditer(text))
    ):
        start = start.replace(year=year - 1)  # 「12月31日至1月2日」 in the notice for January's year
        end = end.replace(year=year)
    if end < start:
        raise NoticeError(f"{_where(lineno, raw)}：放假结束日期 {end} 早于开始日期 {start}")
    if (end - start).days >= _MAX_SPAN:
        raise NoticeError(f"{_where(lineno, raw)}：放假 {start} 至 {end} 超过 {_MAX_SPAN} 天，请核对")
    return start, end


def _is_holiday_line(line: str) -> bool:
    """A line that says 放假 or 上班 and either begins with a name and a colon or has a date with a
    month (the notice's title and preamble name the year, never a day)."""
    if "放假" not in line and "上班" not in line:
        return False
    return 0 <= line.find(":") <= 12 or any(m.group(2) for m in _DATE.finditer(line))


def parse_notice(text: str, year: int) -> NoticeSchedule:
    """The days off and 调休 workdays the notice's lines give for `year` (NoticeError on a bad line)."""
    days: dict[dt.date, DayOverride] = {}
    ignored: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        line = _NUMBERING.sub("", line)
        if not _is_holiday_line(line):
            ignored.append(raw.strip())
            continue
        name, colon, rest = line.partition(":")
        name = name.strip()
        if not colon or not name or _DATE.search(name):
            raise NoticeError(f"{_where(lineno, raw)}：应以节日名称和冒号开头，如“春节：”")
        rest = _BRACKETS.sub("", rest)
        sentences = [s for s in _SENTENCES.split(rest) if s.strip()]
        off_sentences = [s for s in sentences if "放假" in s]
        if not off_sentences:
            raise NoticeError(f"{_where(lineno, raw)}：没有“放假”的日期（应如“2月4日至10日放假调休”）")
        start, end = _off_days(off_sentences[0].split("放假", 1)[0], year, lineno, raw)
        day = start
        while day <= end:
            days[day] = DayOverride(day, False, name)
            day += dt.timedelta(days=1)
        for sentence in sentences:
            if "上班" not in sentence:
                continue
            worked = _dates(sentence.split("上班", 1)[0], year, lineno, raw)
            if not worked:
                raise NoticeError(f"{_where(lineno, raw)}：“上班”之前没有日期（应如“2月2日（星期六）上班”）")
            for w, _, _ in worked:
                if abs((w - start).days) > 180:  # 「12月29日上班」 beside a 元旦 that began in December
                    w = w.replace(year=start.year)
                if start <= w <= end:
                    raise NoticeError(f"{_where(lineno, raw)}：{w} 既在放假期间又写明上班")
                if w.weekday() < 5:
                    raise NoticeError(
                        f"{_where(lineno, raw)}：{w} 是工作日（周{'一二三四五'[w.weekday()]}），调休上班的应是周六或周日"
                    )
                days[w] = DayOverride(w, True, f"{name}调休")
    return NoticeSchedule(tuple(sorted(days.values(), key=lambda d: d.day)), tuple(ignored))
