"""Which kinds were entered for a scope and years, and the opening balances that apply to it.

The rule is data_access.rules.entered; these are its two queries:
- `entered_kinds(session, ids, first, last)`: the ENTRY_KINDS entered for the units `ids` in any
  year first..last (one statement of EXISTS tests over indexed columns, and one over zero reports;
  `entered_spans` asks the same for several spans of years in those two statements);
- `opening_balances(session, ids)`: the balances of the units in scope that no balance higher up
  in the scope covers, each with the ids it covers (the unit and those under it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Exists, column, exists, func, select, table, union_all
from sqlalchemy.orm import Session

from data_access.rules import entered as rule
from data_access.store import tally
from data_access.store.built import built, each_bound
from data_access.store.id_lists import among
from data_access.store.models import (
    Appeal,
    Delivery,
    HotlineDuty,
    OpeningBalance,
    OrgUnit,
    PolicyInterpretation,
    ProjectProgress,
    StatTally,
    UploadBatch,
    ZeroReport,
)


def entered_kinds(session: Session, ids: list[int], first: int, last: int) -> frozenset[str]:
    """The kinds of rules.entered.ENTRY_KINDS entered for these units in any year first..last."""
    return entered_spans(session, ids, ((first, last),))[0]


def entered_spans(
    session: Session, ids: list[int], spans: tuple[tuple[int, int], ...]
) -> list[frozenset[str]]:
    """`entered_kinds` for several spans of years (first, last) at once: one statement of EXISTS
    tests and one over zero reports, whatever the number of spans."""
    names, tested, zeroes = _entered(
        tuple(ids), tuple(spans), session.connection().dialect.name == "postgresql"
    )
    has = {name: bool(value) for name, value in zip(names, session.execute(tested).one(), strict=True)}
    zero_years = session.execute(zeroes).all()
    out = []
    for n, (first, last) in enumerate(spans):
        zero = {kind for kind, year in zero_years if first <= year <= last}
        out.append(
            frozenset(
                kind
                for kind in rule.ENTRY_KINDS
                if rule.entered(
                    kind,
                    has_rows=has[f"{kind}_{n}"],
                    zero_report=kind in zero,
                    request_sheet=has[f"request_sheet_{n}"],
                )
            )
        )
    return out


@built
def _entered(
    ids: tuple[int, ...], spans: tuple[tuple[int, int], ...], postgres: bool
) -> tuple[list[str], Any, Any]:
    """entered_spans' statements: the EXISTS tests (one column each, named kind_n for span n) and
    the zero reports' kinds and years."""
    tests: dict[str, Any] = {}
    for n, (first, last) in enumerate(spans):
        for name, test in _tests(ids, first, last, postgres).items():
            tests[f"{name}_{n}"] = test
    lowest, highest = min(first for first, _ in spans), max(last for _, last in spans)
    zeroes = (
        select(ZeroReport.kind, ZeroReport.year)
        .distinct()
        .where(among(ZeroReport.unit_id, ids), ZeroReport.year.between(lowest, highest))
    )
    return list(tests), select(*(test.label(name) for name, test in tests.items())), zeroes


def _tests(ids: tuple[int, ...], first: int, last: int, postgres: bool) -> dict[str, Any]:
    """Per kind, whether the units have a record of it in any year first..last (EXISTS tests)."""
    start, end = dt.date(max(first, 1), 1, 1), dt.date(last, 12, 31)
    appeals = (among(Appeal.unit_id, ids), Appeal.filed_date.between(start, end))
    return {
        # A proactive item with a topic, from the running counts (dim 'pt': item '' is no topic).
        "topics": _topics(ids, first, last, postgres),
        "deliveries": exists().where(
            among(Delivery.unit_id, ids), Delivery.period_ym.between(first * 100 + 1, last * 100 + 12)
        ),
        "interpretations": exists().where(
            among(PolicyInterpretation.unit_id, ids), PolicyInterpretation.published_date.between(start, end)
        ),
        "hotline": exists().where(among(HotlineDuty.unit_id, ids), HotlineDuty.duty_date.between(start, end)),
        "appeals": exists().where(*appeals, Appeal.kind.in_(each_bound(("reconsideration", "litigation")))),
        "complaints": exists().where(*appeals, Appeal.kind == "complaint"),
        "projects": exists().where(
            among(ProjectProgress.unit_id, ids), ProjectProgress.year.between(first, last)
        ),
        "request_sheet": exists().where(
            among(UploadBatch.unit_id, ids),
            UploadBatch.kind == "requests",
            UploadBatch.status == "active",
            func.length(UploadBatch.period_key) == 4,
            UploadBatch.period_key.between(str(first).zfill(4), str(last).zfill(4)),
        ),
    }


_DELTA = table(
    tally.DELTA,
    column("unit_id"),
    column("dim"),
    column("attribute"),
    column("ym"),
    column("item"),
    column("n"),
)


def _topics(ids: tuple[int, ...], first: int, last: int, postgres: bool) -> Exists:
    """Whether a proactive item with a topic is counted for the units in first..last.

    On PostgreSQL the counts a transaction changes wait in the delta table until its commit
    (data_access.store.tally.triggers), so a writer asking in the middle of its own transaction
    (an empty upload filing its 零报告 after removing a month's items) adds its pending deltas."""

    def where(t: Any) -> tuple[ColumnElement[bool], ...]:
        return (
            among(t.c.unit_id, ids),
            t.c.dim == "pt",
            t.c.attribute == "proactive",
            t.c.ym.between(first * 100 + 1, last * 100 + 12),
            t.c.item != "",
        )

    counts = StatTally.__table__
    if not postgres:
        return exists().where(*where(counts), counts.c.n > 0)
    keys = ("unit_id", "ym", "item")
    both = union_all(
        select(*(counts.c[k] for k in keys), counts.c.n).where(*where(counts)),
        select(*(_DELTA.c[k] for k in keys), _DELTA.c.n).where(*where(_DELTA)),
    ).subquery()
    return select(both.c.item).group_by(*(both.c[k] for k in keys)).having(func.sum(both.c.n) > 0).exists()


@dataclass(frozen=True)
class Balance:
    """One unit's opening balance and the units it covers (itself and those under it)."""

    unit_id: int
    before_year: int
    figures: Mapping[str, int | None]
    covers: frozenset[int]


def opening_balances(session: Session, ids: list[int]) -> list[Balance]:
    """The balances that apply in the scope `ids`: a balance covered by another one higher up in
    the scope is left out (the higher one's 历年累计 already includes it)."""
    rows = session.execute(select(OpeningBalance).where(among(OpeningBalance.unit_id, ids))).scalars().all()
    if not rows:
        return []
    parent: dict[int, int | None] = {
        uid: up for uid, up in session.execute(select(OrgUnit.id, OrgUnit.parent_id))
    }
    scope, with_balance = set(ids), {r.unit_id for r in rows}

    def ancestors(uid: int) -> list[int]:
        found, current, seen = [], parent.get(uid), {uid}
        while current is not None and current not in seen:
            found.append(current)
            seen.add(current)
            current = parent.get(current)
        return found

    out = []
    for row in rows:
        if any(a in with_balance and a in scope for a in ancestors(row.unit_id)):
            continue
        covers = frozenset(uid for uid in scope if uid == row.unit_id or row.unit_id in ancestors(uid))
        figures = {key: getattr(row, key) for key in rule.BALANCE_KEYS}
        out.append(Balance(row.unit_id, row.before_year, figures, covers))
    return sorted(out, key=lambda b: b.unit_id)


def balance_sums(balances: list[Balance], year: int) -> dict[str, int | None] | None:
    """The balances that apply to `year` (before_year ≤ year) summed per figure; a figure one of
    them left out is None (未录入). None when no balance applies."""
    applying = [b for b in balances if rule.counted_from(b.before_year, year)]
    if not applying:
        return None
    sums: dict[str, int | None] = {}
    for key in rule.BALANCE_KEYS:
        values = [b.figures[key] for b in applying]
        sums[key] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
    return sums
