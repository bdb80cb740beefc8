"""Migration 0018 (publication registers) files existing data under 政府网站 on every backend: the
five registers are there, every publications batch and every existing item is 政府网站; afterwards
two registers may each have an upload in force for the same (unit, month), but one register still only
one. The downgrade keeps every item, leaves one upload in force per (unit, month) (the 政府网站 one)
and drops the listings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import add_unit, create_database, migrate

BATCH = (
    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, status, row_count) "
    "VALUES (:kind, :unit, :period, 'f.xlsx', :hash, '2018-02-01 10:00:00', 'active', 1)"
)
BATCH_REGISTER = (
    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, status, row_count, "
    "register) VALUES ('publications', :unit, '2018-01', 'f.xlsx', :hash, '2018-02-01 10:00:00', 'active', 1, "
    ":register)"
)
PUBLICATION = (
    "INSERT INTO publication (unit_id, index_no, title, category_id, category_root_id, is_official_document, "
    "formed_date, published_date, published_year, published_ym, channel, full_text, attribute, "
    "secrecy_reviewed, batch_id) VALUES (:unit, :index_no, '某信息', :cat, :cat, false, '2018-01-02', "
    "'2018-01-05', 2018, 201801, '政府门户网站', true, 'proactive', false, :batch)"
)


def _batch(conn, kind: str, unit: int, period: str, digest: str) -> int:  # type: ignore[no-untyped-def]
    conn.execute(text(BATCH), {"kind": kind, "unit": unit, "period": period, "hash": digest})
    return int(conn.scalar(text("SELECT max(id) FROM upload_batch")))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0018_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0017")
        with engine.begin() as conn:
            unit = add_unit(conn)
            conn.execute(text("INSERT INTO catalogue_scheme (name) VALUES ('默认目录')"))
            scheme = conn.scalar(text("SELECT id FROM catalogue_scheme"))
            conn.execute(
                text(
                    "INSERT INTO category (scheme_id, code, name, level, sort_order) "
                    "VALUES (:scheme, '01', '机构职能类', 1, 0)"
                ),
                {"scheme": scheme},
            )
            cat = conn.scalar(text("SELECT id FROM category"))
            pubs = _batch(conn, "publications", unit, "2018-01", "a" * 64)
            requests = _batch(conn, "requests", unit, "2018", "b" * 64)
            for n in ("QY-1", "QY-2"):
                conn.execute(text(PUBLICATION), {"unit": unit, "index_no": n, "cat": cat, "batch": pubs})
        migrate(engine, url, "upgrade", "0018")
        assert "register" in {c["name"] for c in inspect(engine).get_columns("upload_batch")}
        with engine.begin() as conn:
            assert [
                r[0] for r in conn.execute(text("SELECT name FROM publication_register ORDER BY sort_order"))
            ] == [
                "政府网站",
                "政务新媒体",
                "政府公报",
                "公开栏",
                "其他",
            ]
            assert dict(conn.execute(text("SELECT id, register FROM upload_batch")).all()) == {
                pubs: "政府网站",
                requests: "",
            }
            listed = conn.execute(text("SELECT register, batch_id FROM publication_listing")).all()
            items = int(conn.scalar(text("SELECT count(*) FROM publication")))
            assert items == 2 and sorted(listed) == [("政府网站", pubs)] * items
            media = conn.execute(
                text(BATCH_REGISTER), {"unit": unit, "hash": "c" * 64, "register": "政务新媒体"}
            )
            assert media.rowcount == 1  # a second register in force for the same month
            with pytest.raises(DBAPIError), conn.begin_nested():  # but one upload in force per register
                conn.execute(text(BATCH_REGISTER), {"unit": unit, "hash": "d" * 64, "register": "政务新媒体"})
        migrate(engine, url, "downgrade", "0017")
        assert "register" not in {c["name"] for c in inspect(engine).get_columns("upload_batch")}
        assert not {"publication_listing", "publication_register"} & set(inspect(engine).get_table_names())
        with engine.begin() as conn:
            active = conn.execute(
                text("SELECT id FROM upload_batch WHERE kind = 'publications' AND status = 'active'")
            ).all()
            assert active == [(pubs,)]
            assert int(conn.scalar(text("SELECT count(*) FROM publication"))) == items
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
