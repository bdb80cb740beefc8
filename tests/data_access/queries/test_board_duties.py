"""The overview's boards (periods done, counted by the database) against the page's (every update
judged by rules.duties.board_status), over many boards and days, on every backend."""

from __future__ import annotations

import datetime as dt
import random

from data_access.read.queries import duties
from data_access.read.queries.scope import scope
from data_access.store import db
from data_access.store.models import Board, BoardUpdate, OrgUnit, UploadBatch
from data_access.store.reference import ensure_reference_data

KINDS = ("年度换新", "季度更新", "季度更新", "即时更新", "修缮")

# Days to judge on: mid-quarter, a quarter's last and first day, 1 January after the year (the
# year judged as ended), and a year before any update.
DAYS = (
    (2018, dt.date(2018, 5, 20)),
    (2018, dt.date(2018, 6, 30)),
    (2018, dt.date(2018, 7, 1)),
    (2018, dt.date(2019, 1, 1)),
    (2019, dt.date(2019, 11, 15)),
    (2017, dt.date(2019, 11, 15)),
    (2016, dt.date(2019, 11, 15)),
)


def _office(engine) -> None:  # type: ignore[no-untyped-def]
    """A district with four sub-districts: one records nothing until mid-2018 (未登记 before),
    one never records anything, one has an LED screen; 40 boards, updates from 2017 to 2019."""
    rnd = random.Random(19)
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        top = OrgUnit(code="d", name="某区", level="district")
        s.add(top)
        s.flush()
        units = [
            OrgUnit(code=f"d{i}", name=f"第{i}街道", level="subdistrict", parent_id=top.id) for i in range(4)
        ]
        s.add_all(units)
        s.flush()
        for i, unit in enumerate(units):
            batch = UploadBatch(
                kind="boards", unit_id=unit.id, period_key="2019", file_name="b.xlsx", file_hash=f"{i}" * 64
            )
            s.add(batch)
            s.flush()
            if i == 2:
                led = Board(unit_id=unit.id, name="LED屏", kind="led")
                s.add(led)
                s.flush()
                s.add(
                    BoardUpdate(
                        board_id=led.id, update_date=dt.date(2018, 3, 1), kind="即时更新", batch_id=batch.id
                    )
                )
            for k in range(10):
                board = Board(unit_id=unit.id, name=f"{unit.name}公开栏{k}", kind="community")
                s.add(board)
                s.flush()
                if i == 3:
                    continue
                start = dt.date(2018, 6, 15) if i == 1 else dt.date(2017, 1, 1)
                for _ in range(rnd.randint(0, 12)):
                    day = start + dt.timedelta(days=rnd.randint(0, (dt.date(2019, 12, 31) - start).days))
                    s.add(
                        BoardUpdate(
                            board_id=board.id, update_date=day, kind=rnd.choice(KINDS), batch_id=batch.id
                        )
                    )


def test_the_overviews_boards_owe_what_the_page_says(empty_db) -> None:  # type: ignore[no-untyped-def]
    _office(empty_db)
    seen_overdue = seen_unrecorded = 0
    with db.read_session(empty_db) as s:
        for code in ("d", "d1", "d3"):
            sc = scope(s, code)
            for year, today in DAYS:
                judged = duties.judged_boards(s, sc.ids, year, today)
                page = duties.boards(s, sc.ids, year, today)
                assert [(b.unit, b.name, b.overdue, b.unrecorded) for b in judged] == [
                    (b.unit, b.name, b.overdue, b.unrecorded) for b in page
                ], (code, year, today)
                seen_overdue += sum(bool(b.overdue) for b in judged)
                seen_unrecorded += sum(b.unrecorded for b in judged)
    assert seen_overdue > 50 and seen_unrecorded > 20  # the comparison met both kinds of finding
