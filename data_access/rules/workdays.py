"""The working-day calendar: official holidays and 调休, with the office's own overrides winning.

Three sources, in order of precedence:

1. rows of the `workday_override` table (entered or imported by an admin);
2. the `chinese-calendar` package (it knows 2004–2026 and raises for other years);
3. for a year neither knows: weekends plus the fixed-date holidays 元旦 (1-1),
   劳动节 (5-1) and 国庆节 (10-1..10-3). Lunar holidays (春节, 清明, 端午, 中秋) and
   调休 cannot be guessed, so every answer that used such a day carries the warning
   "YYYY 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"; nothing raises.

A year counts as entered when the package knows it or the override table holds at
least one day of it (importing a year's schedule writes its holidays and 调休 days).

`Calendar` is a pure value built from a mapping of overrides, so the rules in
`deadlines` and `duties` stay pure functions; `data_access.store.holidays.load_calendar(session)`
builds one from the table. Due dates are never stored: they are always computed from the
current calendar, so when the calendar changes every open request's due date is
recomputed the next time it is shown. The one exception is the publication due date of each
calendar day, stored for the running counts (data_access.store.publication_due): every write of
the table refreshes it in the same transaction.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MAKEUP_WORKDAY = "调休上班"
WORKDAY = "工作日"
# Fixed-date holidays assumed for a year whose schedule nobody has entered.
FALLBACK_HOLIDAYS: Mapping[tuple[int, int], str] = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}
# The package's short Chinese names, spelled as the office writes them.
_HOLIDAY_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}

SOURCE_OVERRIDE = "override"
SOURCE_PACKAGE = "package"
SOURCE_FALLBACK = "fallback"  # a year nobody entered: guessed, with a warning
SOURCE_RULE = "rule"  # a day of an entered year that no override names: weekends / fixed holidays


def missing_year_warning(year: int) -> str:
    """The warning carried by every result that used a day of a year nobody has entered."""
    return f"{year} 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"


@dataclass(frozen=True)
class DayOverride:
    """One admin-entered day: working or not, with an optional name (e.g. 国庆节, 国庆节调休)."""

    day: dt.date
    is_workday: bool
    name: str | None = None


@dataclass(frozen=True)
class DayInfo:
    """Whether a day is worked, why (周六 / 国庆节 / 调休上班 / 工作日) and where that came from."""

    day: dt.date
    is_workday: bool
    reason: str
    source: str  # override | package | rule | fallback
    holiday: str | None = None  # the holiday a 调休 day belongs to, when known

    @property
    def estimated(self) -> bool:
        """True when the day's status was guessed (its year's schedule is missing)."""
        return self.source == SOURCE_FALLBACK


def _package_holiday_name(english: str | None) -> str | None:
    if not english:
        return None
    try:
        chinese: str = chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english
    return _HOLIDAY_NAMES.get(chinese, chinese)


@functools.cache
def _package_day(day: dt.date) -> DayInfo | None:
    """The package's answer, or None when it does not know the year (the package's data never
    changes while the process runs, so each day is asked once)."""
    try:
        working = chinese_calendar.is_workday(day)
        _, english = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    name = _package_holiday_name(english)
    weekend = day.weekday() >= 5
    if working:
        if weekend:
            return DayInfo(day, True, MAKEUP_WORKDAY, SOURCE_PACKAGE, name)
        return DayInfo(day, True, WORKDAY, SOURCE_PACKAGE)
    return DayInfo(day, False, name or WEEKDAY_NAMES[day.weekday()], SOURCE_PACKAGE, name)


def _fallback_day(day: dt.date) -> DayInfo:
    name = FALLBACK_HOLIDAYS.get((day.month, day.day))
    if name:
        return DayInfo(day, False, name, SOURCE_FALLBACK, name)
    if day.weekday() >= 5:
        return DayInfo(day, False, WEEKDAY_NAMES[day.weekday()], SOURCE_FALLBACK)
    return DayInfo(day, True, WORKDAY, SOURCE_FALLBACK)


def _override_day(o: DayOverride) -> DayInfo:
    weekend = o.day.weekday() >= 5
    if o.is_workday:
        if weekend:
            return DayInfo(o.day, True, MAKEUP_WORKDAY, SOURCE_OVERRIDE, o.name)
        return DayInfo(o.day, True, WORKDAY, SOURCE_OVERRIDE, o.name)
    reason = o.name or (WEEKDAY_NAMES[o.day.weekday()] if weekend else "休息日（本单位录入）")
    return DayInfo(o.day, False, reason, SOURCE_OVERRIDE, o.name)


@functools.cache
def _jan_1(year: int) -> int:
    """The ordinal of the year's 1 January: a day's place in its year by subtraction."""
    return dt.date(year, 1, 1).toordinal()


class Calendar:
    """Working days from overrides (winning), the package, then weekends plus fixed holidays."""

    def __init__(self, overrides: Mapping[dt.date, DayOverride | bool] | Iterable[DayOverride] = ()) -> None:
        """Build from {day: DayOverride or bool} or an iterable of DayOverride."""
        items: dict[dt.date, DayOverride] = {}
        if isinstance(overrides, Mapping):
            for day, value in overrides.items():
                items[day] = value if isinstance(value, DayOverride) else DayOverride(day, bool(value))
        else:
            for o in overrides:
                items[o.day] = o
        self._overrides = items
        self._override_years = frozenset(d.year for d in items)
        self._cache: dict[dt.date, DayInfo] = {}
        self._known: dict[int, bool] = {}
        # Per year: running[i] = working days from 1 January to the (i+1)-th day, inclusive.
        self._running: dict[int, list[int]] = {}
        # Per year: the days off and the worked weekends (调休), in date order.
        self._special: dict[int, tuple[list[dt.date], list[DayInfo]]] = {}
        # (year, month, n) → the n-th working day: each month's deadlines are asked for once per
        # unit and recipient (a city's overview judges 2,400 deliveries over 12 months).
        self._nth: dict[tuple[int, int, int], dt.date] = {}
        self._warnings: dict[tuple[int, int], tuple[str, ...]] = {}

    @property
    def overrides(self) -> Mapping[dt.date, DayOverride]:
        """The overrides this calendar was built from."""
        return dict(self._overrides)

    def info(self, day: dt.date) -> DayInfo:
        """Everything about one day: worked or not, and why."""
        cached = self._cache.get(day)
        if cached is None:
            override = self._overrides.get(day)
            if override is not None:
                cached = _override_day(override)
            else:
                cached = _package_day(day) or _fallback_day(day)
                if cached.source == SOURCE_FALLBACK and day.year in self._override_years:
                    # The office entered this year: the rest of it is plain weekends/fixed holidays.
                    cached = DayInfo(day, cached.is_workday, cached.reason, SOURCE_RULE, cached.holiday)
            self._cache[day] = cached
        return cached

    def is_workday(self, day: dt.date) -> bool:
        """True when the office works on that day."""
        return self.info(day).is_workday

    def reason(self, day: dt.date) -> str:
        """Why the day is (not) worked: 周六, 周日, a holiday's name, 调休上班 or 工作日."""
        return self.info(day).reason

    def year_is_known(self, year: int) -> bool:
        """True when the package or the override table gives that year's schedule."""
        known = self._known.get(year)
        if known is None:
            known = self._known[year] = (
                year in self._override_years or _package_day(dt.date(year, 6, 1)) is not None
            )
        return known

    def warnings_between(self, start: dt.date, end: dt.date) -> tuple[str, ...]:
        """The missing-schedule warnings for every unknown year the days start..end touch."""
        low, high = min(start.year, end.year), max(start.year, end.year)
        found = self._warnings.get((low, high))
        if found is None:
            found = self._warnings[(low, high)] = tuple(
                missing_year_warning(y) for y in range(low, high + 1) if not self.year_is_known(y)
            )
        return found

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself not counted); n=0 gives start."""
        if n <= 0:
            return start
        year, target = start.year, self._through(start) + n
        while True:
            running = self._running_of(year)
            if running[-1] >= target:
                return dt.date(year, 1, 1) + dt.timedelta(days=bisect.bisect_left(running, target))
            target -= running[-1]
            year += 1

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """Working days in start < day <= end (0 when end <= start)."""
        if end <= start:
            return 0
        count = self._through(end) - self._through(start)
        for year in range(start.year, end.year):
            count += self._running_of(year)[-1]
        return count

    def _running_of(self, year: int) -> list[int]:
        running = self._running.get(year)
        if running is None:
            running, total, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                total += self.is_workday(day)
                running.append(total)
                day += dt.timedelta(days=1)
            self._running[year] = running
        return running

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of day's year to day, inclusive."""
        return self._running_of(day.year)[day.toordinal() - _jan_1(day.year)]

    def non_workdays(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """The days start..end (inclusive) that are not worked, each with its reason."""
        out, day = [], start
        while day <= end:
            info = self.info(day)
            if not info.is_workday:
                out.append(info)
            day += dt.timedelta(days=1)
        return out

    def special_days(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """The days start..end (inclusive) that are not worked or are worked weekends (调休), in order."""
        out: list[DayInfo] = []
        for year in range(start.year, end.year + 1):
            days, infos = self._special_of(year)
            out.extend(infos[bisect.bisect_left(days, start) : bisect.bisect_right(days, end)])
        return out

    def _special_of(self, year: int) -> tuple[list[dt.date], list[DayInfo]]:
        special = self._special.get(year)
        if special is None:
            infos, day = [], dt.date(year, 1, 1)
            while day.year == year:
                info = self.info(day)
                if not info.is_workday or day.weekday() >= 5:
                    infos.append(info)
                day += dt.timedelta(days=1)
            special = self._special[year] = ([i.day for i in infos], infos)
        return special

    def nth_workday_of_month(self, year: int, month: int, n: int) -> dt.date:
        """The n-th working day of a month (n >= 1; may run into the next month for large n)."""
        found = self._nth.get((year, month, n))
        if found is None:
            found = self._nth[(year, month, n)] = self.add_workdays(
                dt.date(year, month, 1) - dt.timedelta(days=1), n
            )
        return found

    def workday_number_in_month(self, day: dt.date) -> int:
        """How many working days of day's month have passed by the end of day (inclusive)."""
        return self.count_workdays(day.replace(day=1) - dt.timedelta(days=1), day)


SCHEDULE_NOTICE_FROM = (11, 1)  # (month, day): from then on, next year's missing schedule is announced


def next_year_missing(today: dt.date, calendar: Calendar) -> int | None:
    """Next year, when it is 1 November or later and nobody has entered next year's statutory
    holiday schedule (the State Council publishes it around then; chinese-calendar learns it only
    with a new release); None otherwise."""
    if (today.month, today.day) < SCHEDULE_NOTICE_FROM:
        return None
    return None if calendar.year_is_known(today.year + 1) else today.year + 1


def package_calendar() -> Calendar:
    """A calendar with no overrides: the package, then the weekend fallback."""
    return Calendar()


def parse_schedule(text: str) -> list[DayOverride]:
    """Parse lines "YYYY-MM-DD 休|班 [名称]" (comma, tab or space separated; # starts a comment)."""
    out: list[DayOverride] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].replace("，", ",").replace(",", " ").strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"第 {lineno} 行格式应为“日期 休/班 名称”：{raw.strip()}")
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError as exc:
            raise ValueError(f"第 {lineno} 行日期无效（应为 YYYY-MM-DD）：{parts[0]}") from exc
        if parts[1] not in ("休", "班"):
            raise ValueError(f"第 {lineno} 行第二列应为“休”或“班”：{parts[1]}")
        name = " ".join(parts[2:]) or None
        out.append(DayOverride(day, parts[1] == "班", name))
    return out


def package_schedule(year: int) -> list[DayOverride]:
    """The package's holidays and 调休 days of a year as override rows (a starting point to edit)."""
    cal = package_calendar()
    if not cal.year_is_known(year):
        raise ValueError(f"chinese-calendar 未包含 {year} 年的安排，请手工录入")
    out, day = [], dt.date(year, 1, 1)
    while day.year == year:
        info = cal.info(day)
        weekend = day.weekday() >= 5
        if (info.is_workday and weekend) or (not info.is_workday and info.holiday):
            out.append(DayOverride(day, info.is_workday, info.holiday))
        day += dt.timedelta(days=1)
    return out
