"""The running counts (stat_tally) always equal a recount of the rows, whoever wrote them.

Triggers keep them (data_access.store.tally): the seeds, an upload that adds, changes and removes
rows, its undo, a plain UPDATE and DELETE; the scale loader counts them itself on SQLite.
"""

from __future__ import annotations

from sqlalchemy import Engine, event, text

from data_access.rules.permissions import OPERATOR
from data_access.store import db, tally
from data_access.store.tally import large_writes
from data_access.write.importing import commit
from data_access.write.undo import undo
from seed import scale
from tests.helpers.builders import (
    PUB_HEADER,
    UNIT,
    csv_bytes,
    publication_rows,
    setup_unit,
    snapshot,
    xlsx,
)
from tests.helpers.checks import assert_exact


def test_seed_upload_change_undo_keep_exact_counts(empty_db: Engine) -> None:
    setup_unit(empty_db)
    assert assert_exact(empty_db) == {}
    first = [PUB_HEADER, *publication_rows(6)]
    a = commit(empty_db, OPERATOR, xlsx(first), "publications", UNIT, "2018-12", "v1.xlsx")
    assert a.status == "committed"
    after_first = assert_exact(empty_db)
    assert sum(n for key, n in after_first.items() if key[1] == "pc") == 6
    second = [PUB_HEADER, *publication_rows(4)]
    second[1][2] = "规划计划类"  # a changed category moves one count
    second[2][6] = "政府公报"  # a changed channel too
    b = commit(empty_db, OPERATOR, xlsx(second), "publications", UNIT, "2018-12", "v2.xlsx")
    assert b.status == "committed"
    assert_exact(empty_db)
    undo(empty_db, OPERATOR, b.batch_id)
    assert assert_exact(empty_db) == after_first
    undo(empty_db, OPERATOR, a.batch_id)
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
        # an item's register listings go first (publication_listing refers to it)
        conn.execute(text("DELETE FROM publication_listing WHERE publication_id IN "
                          "(SELECT id FROM publication WHERE published_year = 2010)"))  # fmt: skip
        conn.execute(text("DELETE FROM publication WHERE published_year = 2010"))
        conn.execute(text("UPDATE disclosure_request SET reply_date = NULL, outcome = NULL"))
        conn.execute(text("DELETE FROM project_progress WHERE month = 12"))
        # every timeliness flag: published before formed, formed before the due table, late
        conn.execute(text("UPDATE publication SET formed_date = '2016-12-31' WHERE published_year = 2015"))
        conn.execute(text("UPDATE publication SET formed_date = '1985-03-01' WHERE published_year = 2016"))
        conn.execute(text("UPDATE publication SET formed_date = '2013-01-07' WHERE published_year = 2014"))
    after = assert_exact(empty_db)
    assert after != before
    flags = {key[4].rsplit("|", 1)[1] for key, n in after.items() if key[1] == "pl" and n > 0}
    assert flags == {"1", "0", "x", "?"}


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
        "rt",
        "pp",
        "pr",
        "yh",
        "yf",
        "yr",
        "ya",
        "yp",
    }


# ------------------------------------------------------------------ large writes (tally.bulk)
REQUEST_HEADER = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
OUTCOMES = ("予以公开", "部分公开", "不予公开-国家秘密", "无法提供-本机关不掌握相关政府信息")


def _request_rows(n: int, *, changed: bool = False) -> list[list]:
    return [
        [
            f"R-{i:05d}",
            f"2019-0{1 + i % 6}-0{1 + i % 9}",
            ("网络", "当面", "信函")[(i + changed) % 3],
            "自然人",
            f"申请{i}",
            None if i % 7 == 0 else f"2019-0{1 + i % 6}-2{i % 8}",
            None if i % 7 == 0 else OUTCOMES[(i + 2 * changed) % len(OUTCOMES)],
        ]
        for i in range(n)
    ]


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []

    def before(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    return seen


def _triggers_switched_off(statements: list[str]) -> bool:
    return any("DROP TRIGGER" in s or "DISABLE TRIGGER" in s for s in statements)


def test_a_large_upload_its_replacement_and_their_undo_keep_exact_counts(empty_db: Engine) -> None:
    setup_unit(empty_db)
    statements = _statements(empty_db)
    n = tally.BULK_ROWS + 200
    first = [PUB_HEADER, *publication_rows(n)]
    a = commit(empty_db, OPERATOR, xlsx(first), "publications", UNIT, "2018-12", "big.xlsx")
    assert a.status == "committed" and len(a.added) == n
    # MariaDB's DDL would commit the upload half-way: its triggers keep counting.
    assert _triggers_switched_off(statements) == (empty_db.dialect.name != "mysql")
    after_first = assert_exact(empty_db)
    assert sum(v for k, v in after_first.items() if k[1] == "pc") == n
    with db.read_session(empty_db) as session:
        live = snapshot(empty_db, ("publication",))
        assert session.scalar(text("SELECT count(*) FROM publication")) == n
    second = [PUB_HEADER, *publication_rows(n - 150)]  # 150 removed
    for row in second[1:400]:
        row[2], row[6], row[7] = "规划计划类", "政府公报", "否"  # 399 changed (category, channel, full text)
    second += [[f"QY-NEW-{i}", f"新增{i}", "机构职能类", None, "2018-12-01", "2018-12-02", "公开栏", "是"]
               for i in range(30)]  # fmt: skip
    b = commit(empty_db, OPERATOR, xlsx(second), "publications", UNIT, "2018-12", "big2.xlsx")
    assert (len(b.added), len(b.changed), len(b.removed)) == (30, 399, 150)
    assert assert_exact(empty_db) != after_first
    undo(empty_db, OPERATOR, b.batch_id)
    assert assert_exact(empty_db) == after_first
    assert snapshot(empty_db, ("publication",)) == live
    undo(empty_db, OPERATOR, a.batch_id)
    assert assert_exact(empty_db) == {}
    # The row triggers are back: a plain write after the large ones still counts.
    commit(
        empty_db,
        OPERATOR,
        xlsx([PUB_HEADER, *publication_rows(3)]),
        "publications",
        UNIT,
        "2018-12",
        "s.xlsx",
    )
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE publication SET channel = '公开栏'"))
    assert sum(v for k, v in assert_exact(empty_db).items() if k[1] == "ph" and k[4] == "公开栏") == 3


def test_large_request_uploads_and_undo_keep_exact_counts(empty_db: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    setup_unit(empty_db)
    monkeypatch.setattr(large_writes, "BULK_ROWS", 50)  # the recount path on a small file
    statements = _statements(empty_db)
    a = commit(
        empty_db, OPERATOR, csv_bytes([REQUEST_HEADER, *_request_rows(120)]), "requests", UNIT, None, "r1.csv"
    )
    assert a.status == "committed"
    assert _triggers_switched_off(statements) == (empty_db.dialect.name != "mysql")
    after_first = assert_exact(empty_db)
    assert sum(v for k, v in after_first.items() if k[1] == "rr") == 120
    b = commit(
        empty_db,
        OPERATOR,
        csv_bytes([REQUEST_HEADER, *_request_rows(90, changed=True)]),
        "requests",
        UNIT,
        None,
        "r2.csv",
    )
    assert b.status == "committed" and len(b.removed) == 30 and len(b.changed) == 90
    assert assert_exact(empty_db) != after_first
    undo(empty_db, OPERATOR, b.batch_id)
    assert assert_exact(empty_db) == after_first
    undo(empty_db, OPERATOR, a.batch_id)
    assert assert_exact(empty_db) == {}


def test_bulk_counting_does_nothing_for_small_writes_and_other_tables(empty_sqlite: Engine) -> None:
    with empty_sqlite.begin() as conn:
        for source, rows in (("publication", tally.BULK_ROWS - 1), ("board_update", 10**6)):
            with tally.bulk(conn, source, rows) as counts:
                assert not counts.active
        on_publication = (
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'publication' ORDER BY name"
        )
        with tally.bulk(conn, "publication", tally.BULK_ROWS) as counts:
            assert counts.active
            # the publication dims' triggers are off; the one moving its listings' counts stays
            assert conn.exec_driver_sql(on_publication).scalars().all() == ["tally_listing_move"]
        assert conn.exec_driver_sql(on_publication).scalars().all() == [
            "tally_listing_move",
            "tally_publication_del",
            "tally_publication_ins",
            "tally_publication_upd",
        ]


def test_a_failed_large_upload_leaves_the_triggers_and_counts_as_they_were(
    empty_db: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from data_access.write.importing.changelog import ChangeLog

    setup_unit(empty_db)
    monkeypatch.setattr(large_writes, "BULK_ROWS", 10)
    first = commit(
        empty_db,
        OPERATOR,
        xlsx([PUB_HEADER, *publication_rows(40)]),
        "publications",
        UNIT,
        "2018-12",
        "a.xlsx",
    )
    before = assert_exact(empty_db)

    def boom(self: ChangeLog, session) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(ChangeLog, "write", boom)
        changed = [PUB_HEADER, *publication_rows(30)]
        for row in changed[1:]:
            row[6] = "公开栏"
        try:
            commit(empty_db, OPERATOR, xlsx(changed), "publications", UNIT, "2018-12", "b.xlsx")
        except RuntimeError:
            pass
        else:
            raise AssertionError("the upload did not fail")
    assert assert_exact(empty_db) == before
    monkeypatch.setattr(large_writes, "BULK_ROWS", 10**9)  # the row triggers must be there to count this
    with empty_db.begin() as conn:
        conn.execute(text("DELETE FROM publication_listing WHERE publication_id IN "
                          "(SELECT id FROM publication WHERE index_no LIKE '%00001')"))  # fmt: skip
        conn.execute(text("DELETE FROM publication WHERE index_no LIKE '%00001'"))
    assert sum(v for k, v in assert_exact(empty_db).items() if k[1] == "pc") == 39
    assert first.status == "committed"


def _register_counts(conn) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        text(
            "SELECT l.register, count(*) FROM publication_listing l JOIN publication p ON p.id = l.publication_id "
            "WHERE p.attribute = 'proactive' AND p.published_year = 2018 GROUP BY l.register"
        )
    )
    return {register: int(n) for register, n in rows}


def _counted_registers(conn) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        text(
            f"SELECT item, sum(n) FROM {tally.TABLE} WHERE dim = 'pr' AND attribute = 'proactive' "
            "AND ym BETWEEN 201801 AND 201812 GROUP BY item"
        )
    )
    return {item: int(n) for item, n in rows if n}


def test_register_counts_follow_listings_and_corrected_items(empty_db: Engine) -> None:
    """Dim 'pr' (listings per register, by their item's unit and month): a listing added, moved to
    another register or removed, and a listed item whose month, attribute or unit is corrected —
    also inside a large write, whose recounts read the publication rows only."""
    from seed import qingyang2018

    with db.write_session(empty_db) as session:
        qingyang2018.load(session)
    with empty_db.connect() as conn:
        before = _register_counts(conn)
        assert _counted_registers(conn) == before and set(before) == {"政府网站"}
    with empty_db.begin() as conn:
        conn.execute(text(
            "INSERT INTO publication_listing (publication_id, unit_id, register, batch_id) "
            "SELECT id, unit_id, '政务新媒体', batch_id FROM publication WHERE published_ym IN (201803, 201804)"
        ))  # fmt: skip
        conn.execute(text("UPDATE publication_listing SET register = '政府公报' WHERE register = '政务新媒体' "
                          "AND publication_id IN (SELECT id FROM publication WHERE published_ym = 201804)"))  # fmt: skip
        conn.execute(text("DELETE FROM publication_listing WHERE register = '政府网站' AND publication_id IN "
                          "(SELECT id FROM publication WHERE published_ym = 201805)"))  # fmt: skip
        conn.execute(text("UPDATE publication SET published_ym = 201711, published_year = 2017 "
                          "WHERE published_ym = 201803"))  # fmt: skip
        conn.execute(text("UPDATE publication SET attribute = 'on_request' WHERE published_ym = 201806"))
        # an item moved to another unit: its listings count under the item's unit
        conn.execute(text("UPDATE publication SET unit_id = (SELECT max(id) FROM org_unit) WHERE published_ym = 201807 "
                          "AND unit_id <> (SELECT max(id) FROM org_unit)"))  # fmt: skip
    assert_exact(empty_db)
    with empty_db.connect() as conn:
        moved = _register_counts(conn)
        assert _counted_registers(conn) == moved
        assert set(moved) == {"政府网站", "政府公报"} and 0 < moved["政府网站"] < before["政府网站"]
    with empty_db.begin() as conn:  # a large write of items: their listings' counts still move
        ids = conn.execute(text("SELECT id FROM publication WHERE published_ym = 201804")).scalars().all()
        with tally.bulk(conn, "publication", tally.BULK_ROWS) as counts:
            assert counts.active == (empty_db.dialect.name in ("sqlite", "postgresql"))  # MariaDB: triggers
            counts.subtract(ids=ids)
            conn.execute(text("UPDATE publication SET published_ym = 201909, published_year = 2019 "
                              "WHERE published_ym = 201804"))  # fmt: skip
            counts.add(ids=ids)
    assert_exact(empty_db)
    with empty_db.connect() as conn:
        assert "政府公报" not in _counted_registers(conn)
        assert _counted_registers(conn) == _register_counts(conn)


def _flags(conn, *ids: int) -> list[bool]:  # type: ignore[no-untyped-def]
    return [
        bool(conn.execute(text("SELECT paused FROM disclosure_request WHERE id = :i"), {"i": i}).scalar_one())
        for i in ids
    ]


def test_pause_flags_follow_the_pauses(empty_db: Engine) -> None:
    """disclosure_request.paused (tally.pauses): a pause added raises its request's flag, removing
    one of two leaves it, moving the last to another request moves the flag, and a row image put
    back by undo (store.update_by_id, store.insert_rows) never writes it."""
    from data_access.store.models import DisclosureRequest
    from data_access.write.importing import store

    scale.load(empty_db, scale.ScaleSpec(units=1, years=1, per_year=400, seed=5))
    assert_exact(empty_db)
    with empty_db.connect() as conn:
        a, b = conn.execute(text(
            "SELECT min(id), max(id) FROM disclosure_request r "
            "WHERE NOT EXISTS (SELECT 1 FROM request_pause p WHERE p.request_id = r.id)"
        )).one()  # fmt: skip
        assert _flags(conn, a, b) == [False, False]
    pause = (
        "INSERT INTO request_pause (request_id, kind, start_date, end_date) VALUES (:r, :k, '2018-03-05', :e)"
    )
    with empty_db.begin() as conn:
        conn.execute(text(pause), {"r": a, "k": "correction", "e": "2018-03-09"})
        conn.execute(text(pause), {"r": a, "k": "third_party", "e": None})
        assert _flags(conn, a, b) == [True, False]
    with empty_db.begin() as conn:
        conn.execute(
            text("DELETE FROM request_pause WHERE request_id = :r AND kind = 'correction'"), {"r": a}
        )
        assert _flags(conn, a, b) == [True, False]
    with empty_db.begin() as conn:
        conn.execute(text("UPDATE request_pause SET request_id = :b WHERE request_id = :a"), {"a": a, "b": b})
        assert _flags(conn, a, b) == [False, True]
    assert_exact(empty_db)
    with db.write_session(empty_db) as session:  # an old image of b (paused False) put back by undo
        table = DisclosureRequest.__table__
        store.update_by_id(session, table, [{"id": b, "paused": False, "summary": "改"}])
        assert _flags(session.connection(), b) == [True]
    with empty_db.begin() as conn:
        conn.execute(text("DELETE FROM request_pause WHERE request_id = :b"), {"b": b})
        assert _flags(conn, a, b) == [False, False]
    assert_exact(empty_db)
    with db.write_session(empty_db) as session:  # a removed request re-inserted from its image
        image = dict(session.execute(table.select().where(table.c.id == a)).mappings().one())
        session.execute(table.delete().where(table.c.id == a))
        store.insert_rows(session, table, [{**image, "paused": True}])
        assert _flags(session.connection(), a) == [False]
    assert_exact(empty_db)
