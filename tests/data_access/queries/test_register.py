"""The register: paged and searched in SQL, and withheld items only for staff of their unit."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.read.queries.register import RegisterFilter, attributes_for, chunks, count, page
from data_access.read.queries.scope import personal_unit_ids, scope
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.store.models import Category, Publication
from seed import qingyang2018


def test_paging_search_and_filters(seeded_db):
    with db.read_session(seeded_db) as s:
        ids = scope(s, "qingyang").ids
        year = RegisterFilter(2018)
        assert count(s, ids, (), year) == 158
        first, second = page(s, ids, (), year, 20, 0), page(s, ids, (), year, 20, 20)
        assert len(first) == len(second) == 20 and not set(first["索引号"]) & set(second["索引号"])
        assert list(first["公开日期"]) == sorted(first["公开日期"], reverse=True)
        assert "不公开理由" not in first.columns
        assert count(s, ids, (), RegisterFilter(2018, category="机构职能类")) == 35
        assert count(s, ids, (), RegisterFilter(2018, month=1)) == 14
        assert (
            count(s, ids, (), RegisterFilter(2018, search="qy-0101-2018"))
            == count(s, ids, (), RegisterFilter(2018, search="QY-0101-2018"))
            > 0
        )
        assert count(s, ids, (), RegisterFilter(2018, search="危房翻建")) == 3
        assert count(s, ids, (), RegisterFilter(2018, search="100%_")) == 0  # LIKE wildcards are escaped
        assert sum(len(c) for c in chunks(s, ids, (), year, size=50)) == 158
        assert count(s, ids, (), RegisterFilter(2017)) == 141


def _withheld(session, unit_id: int) -> None:
    root = session.query(Category).filter_by(level=1, name="机构职能类").one()
    batch_id = session.query(Publication.batch_id).limit(1).scalar()
    session.add(
        Publication(
            unit_id=unit_id, index_no="QY-0101-2018-9001", title="不公开测试文件（内部）", category_id=root.id,
            category_root_id=root.id, formed_date=dt.date(2018, 5, 3), published_date=None, attribute="withheld",
            withheld_reason="工作秘密", channel="其他", batch_id=batch_id,
        )
    )  # fmt: skip


@pytest.mark.parametrize("role", ["leader", "staff", "admin"])
def test_withheld_items_only_for_staff_of_the_unit(empty_db, role):
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
        qy = scope(s, "qingyang")
        _withheld(s, qy.unit_id)
    with db.read_session(empty_db) as s:
        qy, xiyuan = scope(s, "qingyang"), scope(s, "qingyang-xiyuan")
        inside = Principal(9, "u", "u", role, qy.unit_id, "qingyang", False)
        outside = Principal(9, "u", "u", role, xiyuan.unit_id, "qingyang-xiyuan", False)
        mine, theirs = personal_unit_ids(s, inside, qy.ids), personal_unit_ids(s, outside, qy.ids)
        search = RegisterFilter(2018, search="不公开测试")
        # Staff of a community see their own community's items, never the sub-district's.
        assert theirs == (() if role == "leader" else (xiyuan.unit_id,))
        assert count(s, qy.ids, theirs, search) == 0
        if role == "leader":
            assert mine == () and count(s, qy.ids, mine, search) == 0
            assert attributes_for(mine) == ("proactive",)
            return
        assert count(s, qy.ids, mine, search) == 1
        row = page(s, qy.ids, mine, search, 20, 0).iloc[0]
        assert (row["公开属性"], row["不公开理由"], row["公开日期"]) == ("不公开", "工作秘密", None)
        assert count(s, qy.ids, mine, RegisterFilter(2018, month=5, attribute="withheld")) == 1
        assert count(s, qy.ids, mine, RegisterFilter(2018)) == 159
