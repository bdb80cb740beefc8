"""Optimistic concurrency of the record forms: a save made from a form loaded before someone else's
save (or an upload) is refused with "该记录已被他人修改，请刷新后重试" and changes nothing; of
truly simultaneous saves of one request exactly one wins; migration 0010 gives existing rows
version 1 on every backend."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select, text

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AppUser, AuditLog, Delivery, DisclosureRequest, OrgUnit, UploadBatch
from data_access.write import records
from data_access.write.importing import commit, preview
from tests.helpers.builders import UNIT, csv_bytes, table_counts
from tests.helpers.databases import create_database, migrate
from tests.helpers.request_forms import clerk, engine_fixture, form, load, progress, register  # noqa: F401

TODAY = dt.date(2019, 12, 31)
STALE = "该记录已被他人修改，请刷新后重试"
ROUNDS = 6
THREADS = 5


def stored(engine: Engine, no: str):  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        return s.execute(
            select(
                DisclosureRequest.reply_date,
                DisclosureRequest.outcome,
                DisclosureRequest.extension_days,
                DisclosureRequest.version,
            ).where(DisclosureRequest.request_no == no)
        ).one()


def test_a_form_loaded_before_another_save_is_refused_and_the_reply_is_kept(engine: Engine) -> None:
    register(engine, "YSQ-1")
    first, second = load(engine, "YSQ-1"), load(engine, "YSQ-1")  # two staff open the same request
    assert first.stamp.version == 1
    assert progress(engine, first, form(first, reply_date="2019-10-30", outcome="予以公开")).status == "saved"
    before = table_counts(engine)
    with pytest.raises(records.StaleRecord) as refused:
        progress(engine, second, form(second, extension_days=5))  # its reply fields are the old, empty ones
    assert str(refused.value) == STALE
    assert table_counts(engine) == before, "a refused save writes no batch, log, audit entry or pause"
    assert stored(engine, "YSQ-1") == (dt.date(2019, 10, 30), "予以公开", 0, 2)

    again = load(engine, "YSQ-1")  # 刷新: the form drawn again shows the reply
    assert progress(engine, again, form(again, extension_days=5)).status == "saved"
    assert stored(engine, "YSQ-1") == (dt.date(2019, 10, 30), "予以公开", 5, 3)


def test_a_pause_change_moves_the_version_so_an_older_form_is_refused(engine: Engine) -> None:
    register(engine, "YSQ-2")
    a, b = load(engine, "YSQ-2"), load(engine, "YSQ-2")
    assert progress(engine, a, form(a, correction_start="2019-09-30")).status == "saved"
    with pytest.raises(records.StaleRecord):
        progress(engine, b, form(b, reply_date="2019-10-30", outcome="予以公开"))
    row = load(engine, "YSQ-2")
    assert row.pauses == (("correction", dt.date(2019, 9, 30), None),) and row.reply_date is None
    assert row.stamp.version == 2


def test_an_unchanged_save_does_not_move_the_version(engine: Engine) -> None:
    register(engine, "YSQ-3")
    row = load(engine, "YSQ-3")
    assert progress(engine, row, form(row)).status == "unchanged"
    assert load(engine, "YSQ-3").stamp == row.stamp


def test_an_upload_since_the_form_was_loaded_refuses_the_save(engine: Engine) -> None:
    register(engine, "YSQ-4")
    loaded = load(engine, "YSQ-4")
    header = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"]
    data = csv_bytes([header, ["YSQ-4", "2019-09-27", "网络", "自然人", "摘要", "2019-10-21", "部分公开"]])
    assert commit(engine, OPERATOR, data, "requests", UNIT, None, "r.csv").status == "committed"
    with pytest.raises(records.StaleRecord):
        progress(engine, loaded, form(loaded, extension_days=5))
    assert stored(engine, "YSQ-4")[:3] == (dt.date(2019, 10, 21), "部分公开", 0)
    assert load(engine, "YSQ-4").stamp.batch_id != loaded.stamp.batch_id


def test_a_request_gone_since_the_form_was_loaded_is_refused(engine: Engine) -> None:
    register(engine, "YSQ-5")
    loaded = load(engine, "YSQ-5")
    with db.write_session(engine) as s:
        batch = s.scalar(select(DisclosureRequest.batch_id).where(DisclosureRequest.request_no == "YSQ-5"))
    from data_access.write.undo import undo

    undo(engine, OPERATOR, batch)
    with pytest.raises(records.StaleRecord):
        progress(engine, loaded, form(loaded, extension_days=5))


def test_a_reupload_of_the_same_requests_still_shows_them_unchanged(engine: Engine) -> None:
    """The version column is not one of the compared values (importing.store.COMPARE)."""
    header = ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要"]
    rows = [
        header,
        ["R1", "2019-06-03", "网络", "自然人", "甲"],
        ["R2", "2019-06-04", "当面", "自然人", "乙"],
    ]
    assert commit(engine, OPERATOR, csv_bytes(rows), "requests", UNIT, None, "r1.csv").status == "committed"
    more = preview(engine, csv_bytes([*rows, ["R3", "2019-06-05", "当面", "自然人", "丙"]]), "requests", UNIT)
    assert (len(more.added), len(more.changed), more.unchanged_rows) == (1, 0, 2)


def test_truly_simultaneous_saves_exactly_one_wins_each_round(engine: Engine) -> None:
    """THREADS staff press 保存 at once on forms loaded from the same version, each on its own connection."""
    for i in range(ROUNDS):
        no = f"SIM-{i}"
        register(engine, no)
        row = load(engine, no)
        barrier = threading.Barrier(THREADS)
        results: list[str | None] = [None] * THREADS

        def save(k: int, row: records.RequestRow = row, results: list = results, barrier=barrier) -> None:  # type: ignore[no-untyped-def]
            values = form(row, extension_days=k + 1)
            barrier.wait()
            try:
                results[k] = progress(engine, row, values).status
            except records.StaleRecord:
                results[k] = "refused"
            except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
                results[k] = repr(exc)

        threads = [threading.Thread(target=save, args=(k,)) for k in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["refused"] * (THREADS - 1) + ["saved"], (i, results)
        winner = results.index("saved")
        assert stored(engine, no)[2:] == (winner + 1, 2), "the winner's value, written once"
    with db.read_session(engine) as s:
        forms = s.scalar(
            select(func.count()).select_from(UploadBatch).where(UploadBatch.file_name.like("表单：更新%"))
        )
        audits = s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "upload"))
    assert forms == ROUNDS and audits == 2 * ROUNDS, (
        "one batch and one audit entry per round (and per register)"
    )


# ------------------------------------------------------------------ deliveries
DELIVERY = {"period_ym": "2019-09", "recipient": "市档案馆", "delivered_date": "2019-10-09", "item_count": 12}


def deliver(engine: Engine, values: dict, loaded: records.Stamp | None) -> records.Saved:
    with db.write_session(engine) as s:
        return records.save_delivery(s, clerk(engine), UNIT, values, TODAY, loaded=loaded)


def shown(engine: Engine) -> records.Stamp | None:
    with db.read_session(engine) as s:
        found = records.find_delivery(s, UNIT, 201909, "archive")
    return found.stamp if found else None


def test_a_delivery_registered_or_corrected_meanwhile_is_refused(engine: Engine) -> None:
    assert records.delivery_key(DELIVERY) == (201909, "archive")
    assert deliver(engine, DELIVERY, None).status == "saved"
    with pytest.raises(records.StaleRecord):  # a second clerk's form showed no entry for September
        deliver(engine, {**DELIVERY, "item_count": 11}, None)
    seen = shown(engine)
    assert deliver(engine, {**DELIVERY, "item_count": 13}, seen).status == "saved"
    with pytest.raises(records.StaleRecord):  # corrected from the entry as it was before that
        deliver(engine, {**DELIVERY, "item_count": 14}, seen)
    with db.read_session(engine) as s:
        assert s.execute(select(Delivery.item_count, Delivery.version)).one() == (13, 2)


# ------------------------------------------------------------------ migration 0010
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0010_gives_existing_rows_version_1(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0009")
        with engine.begin() as conn:  # the unit as the schema of 0009 holds it (not today's models)
            conn.execute(
                text(
                    "INSERT INTO org_unit (code, name, level, sort_order) VALUES (:c, '青阳街道', 'subdistrict', 0)"
                ),
                {"c": UNIT},
            )
            unit = conn.scalar(text("SELECT id FROM org_unit WHERE code = :c"), {"c": UNIT})
            conn.execute(
                text(
                    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, "
                    "status, row_count) VALUES ('requests', :u, '', 'old', 'h', '2019-01-01 00:00:00', 'active', 1)"
                ),
                {"u": unit},
            )
            batch = conn.scalar(text("SELECT id FROM upload_batch"))
            conn.execute(
                text(
                    "INSERT INTO disclosure_request (unit_id, request_no, received_date, received_year, channel, "
                    "applicant_type, summary, extension_approved, extension_days, batch_id) "
                    "VALUES (:u, 'OLD-1', '2019-06-03', 2019, '网络', '自然人', '摘要', :f, 0, :b)"
                ),
                {"u": unit, "b": batch, "f": False},
            )
            conn.execute(
                text(
                    "INSERT INTO delivery (unit_id, period_ym, recipient, item_count, batch_id) "
                    "VALUES (:u, 201906, 'archive', 3, :b)"
                ),
                {"u": unit, "b": batch},
            )
            conn.execute(
                text(
                    "INSERT INTO annual_target (unit_id, year, metric, target) VALUES (:u, 2019, 'publications', 150)"
                ),
                {"u": unit},
            )
        migrate(engine, url, "upgrade", "head")
        with engine.connect() as conn:
            for table in ("disclosure_request", "delivery", "annual_target"):
                assert conn.scalar(text(f"SELECT version FROM {table}")) == 1, table
        register_and_save = load_after_upgrade(engine)
        assert register_and_save == (dt.date(2019, 7, 1), 2)
        migrate(engine, url, "downgrade", "0009")
        columns = {c["name"] for c in inspect(engine).get_columns("disclosure_request")}
        assert "version" not in columns and "request_no" in columns
        if backend == "sqlite":  # dropped in place: the running-count triggers are still there
            with engine.connect() as conn:
                triggers = conn.scalars(
                    text(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'disclosure_request'"
                    )
                ).all()
            assert triggers
    finally:
        engine.dispose()
        drop()


def load_after_upgrade(engine: Engine) -> tuple[dt.date, int]:
    """A request stored before 0010 can be answered through the form (its version 1 → 2)."""
    with db.write_session(engine) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        s.add(
            AppUser(username="clerk", display_name="小王", password_hash="x", role="staff", unit_id=unit_id)
        )
    row = load(engine, "OLD-1")
    progress(engine, row, form(row, reply_date="2019-07-01", outcome="予以公开"))
    reply, _outcome, _ext, version = stored(engine, "OLD-1")
    return reply, version
