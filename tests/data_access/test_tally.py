"""The running counts (stat_tally) always equal a recount of the rows, whoever wrote them.

Triggers keep them (data_access.tally): the seeds, an upload that adds, changes and removes
rows, its undo, a plain UPDATE and DELETE; the scale loader counts them itself on SQLite.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from data_access import db, tally
from data_access.importing import commit, undo
from seed import scale
from tests.data_access.importing.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx


def _live(conn) -> dict[tuple, int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(text(f"SELECT unit_id, dim, attribute, ym, item, n FROM {tally.TABLE} WHERE n <> 0"))
    return {tuple(r[:5]): int(r[5]) for r in rows}


def assert_exact(engine: Engine) -> dict[tuple, int]:
    """The stored counts equal a fresh recount (done in a transaction that is rolled back)."""
    with engine.connect() as conn:
        stored = _live(conn)
        tally.rebuild(conn)
        recounted = _live(conn)
        conn.rollback()
    assert stored == recounted
    return stored


def test_seed_upload_change_undo_keep_exact_counts(empty_db: Engine) -> None:
    setup_unit(empty_db)
    assert assert_exact(empty_db) == {}
    first = [PUB_HEADER, *publication_rows(6)]
    a = commit(empty_db, xlsx(first), "publications", UNIT, "2018-12", "v1.xlsx")
    assert a.status == "committed"
    after_first = assert_exact(empty_db)
    assert sum(n for key, n in after_first.items() if key[1] == "pc") == 6
    second = [PUB_HEADER, *publication_rows(4)]
    second[1][2] = "规划计划类"  # a changed category moves one count
    second[2][6] = "政府公报"  # a changed channel too
    b = commit(empty_db, xlsx(second), "publications", UNIT, "2018-12", "v2.xlsx")
    assert b.status == "committed"
    assert_exact(empty_db)
    undo(empty_db, b.batch_id)
    assert assert_exact(empty_db) == after_first
    undo(empty_db, a.batch_id)
    assert assert_exact(empty_db) == {}


def test_plain_updates_and_deletes_keep_exact_counts(empty_db: Engine) -> None:
    from seed import qingyang2018

    with db.write_session(empty_db) as session:
        qingyang2018.load(session)
    before = assert_exact(empty_db)
    assert sum(n for key, n in before.items() if key[1] == "pc" and key[2] == "proactive") == 954
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE publication SET channel = '公开栏' WHERE published_year = 2018"))
        conn.execute(text("UPDATE publication SET attribute = 'on_request' WHERE published_year = 2017"))
        conn.execute(text("DELETE FROM policy_interpretation"))
        conn.execute(text("DELETE FROM publication WHERE published_year = 2010"))
        conn.execute(text("UPDATE disclosure_request SET reply_date = NULL, outcome = NULL"))
        conn.execute(text("DELETE FROM project_progress WHERE month = 12"))
    after = assert_exact(empty_db)
    assert after != before


def test_scale_load_counts_exactly(empty_db: Engine) -> None:
    scale.load(empty_db, scale.ScaleSpec(units=2, years=2, per_year=300, seed=3))
    counts = assert_exact(empty_db)
    assert {key[1] for key in counts} == {
        "pc",
        "pt",
        "ph",
        "pf",
        "pl",
        "rr",
        "ra",
        "pp",
        "yh",
        "yf",
        "yr",
        "ya",
        "yp",
    }
