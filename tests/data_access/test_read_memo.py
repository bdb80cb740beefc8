"""What a read session keeps (db.remembered) and the statements a builder keeps (store.built)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from data_access.read.queries import requests, scope
from data_access.rules.permissions import OPERATOR
from data_access.rules.workdays import DayOverride
from data_access.store import db
from data_access.store.built import built
from data_access.store.holidays import load_calendar, set_overrides
from data_access.store.reference import ensure_reference_data, subtrees, unit_profiles
from data_access.write import admin

SATURDAY = dt.date(2031, 3, 8)


def _reads_of(engine, table: str):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(_conn, _cur, statement, *_rest):  # type: ignore[no-untyped-def]
        if f"FROM {table}" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_a_read_session_reads_the_calendar_once_and_a_new_one_sees_a_change(empty_sqlite) -> None:  # type: ignore[no-untyped-def]
    seen, stop = _reads_of(empty_sqlite, "workday_override")
    try:
        with db.read_session(empty_sqlite) as s:
            assert load_calendar(s).is_workday(SATURDAY) is False
            assert load_calendar(s) is load_calendar(s)
        assert len(seen) == 1
        with db.write_session(empty_sqlite) as s:  # a writer reads it every time: it may change it
            load_calendar(s)
            load_calendar(s)
            assert len(seen) == 3
            set_overrides(s, [DayOverride(SATURDAY, True, "调休")])
            assert load_calendar(s).is_workday(SATURDAY) is True
        with db.read_session(empty_sqlite) as s:  # the next read session reads the change
            before = len(seen)
            assert load_calendar(s).is_workday(SATURDAY) is True
            load_calendar(s)
        assert len(seen) == before + 1
    finally:
        stop()


def test_remembered_keeps_one_value_per_key_in_read_sessions_only(empty_sqlite) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def compute(key: str) -> list[str]:
        calls.append(key)
        return [key]

    with db.read_session(empty_sqlite) as s:
        first = db.remembered(s, "a", lambda: compute("a"))
        assert db.remembered(s, "a", lambda: compute("a")) is first
        assert db.remembered(s, "b", lambda: compute("b")) == ["b"]
    with db.read_session(empty_sqlite) as s:
        assert db.remembered(s, "a", lambda: compute("a")) is not first
    with db.write_session(empty_sqlite) as s:
        db.remembered(s, "a", lambda: compute("a"))
        db.remembered(s, "a", lambda: compute("a"))
    assert calls == ["a", "b", "a", "a", "a"]


def test_a_builder_hands_out_the_same_statement_for_the_same_arguments() -> None:
    made: list[tuple[int, ...]] = []

    @built
    def statement(ids: tuple[int, ...], year: int):  # type: ignore[no-untyped-def]
        made.append(ids)
        return select(year).where(True)

    assert statement((1, 2), 2018) is statement((1, 2), 2018)
    assert statement((1, 2), 2019) is not statement((1, 2), 2018)
    assert made == [(1, 2), (1, 2)]
    # the requests' kept statements differ where their arguments do
    assert requests._paused((1, 2, 3), 2018) is requests._paused((1, 2, 3), 2018)
    assert str(requests._paused((1, 2, 3), 2018)) != str(requests._paused((1, 2, 4), 2018))


def test_a_read_session_reads_the_unit_table_once_for_the_tree_names_and_profiles(empty_sqlite) -> None:  # type: ignore[no-untyped-def]
    with db.write_session(empty_sqlite) as s:
        ensure_reference_data(s)
        admin.add_unit(s, code="dist", name="某区", level="district", parent_code=None, actor=OPERATOR)
        admin.add_unit(s, code="sd1", name="东街道", level="subdistrict", parent_code="dist", actor=OPERATOR)
    seen, stop = _reads_of(empty_sqlite, "org_unit")
    try:
        with db.read_session(empty_sqlite) as s:
            sc = scope.scope(s, "dist")
            assert scope.unit_names(s, sc.ids) == dict(zip(sc.ids, ("某区", "东街道"), strict=True))
            assert [p.name for p in unit_profiles(s, sc.ids).values()] == ["某区", "东街道"]
            assert subtrees(s, [sc.unit_id]) == {sc.unit_id: list(sc.ids)}
        whole = "SELECT org_unit.id, org_unit.parent_id, org_unit.code, org_unit.name, org_unit.hotline,"
        assert len([st for st in seen if st.startswith(whole)]) == 1, seen
        with db.write_session(empty_sqlite) as s:  # a writer reads the table again: it may change it
            admin.rename_unit(s, "sd1", "东城街道", actor=OPERATOR)
            assert scope.unit_names(s, sc.ids)[sc.ids[1]] == "东城街道"
            unit_profiles(s, sc.ids)
        assert len([st for st in seen if st.startswith(whole)]) == 3
    finally:
        stop()
