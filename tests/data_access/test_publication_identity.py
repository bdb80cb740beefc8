"""更正 and 撤回 of a published item (issue 16, item 2), on every backend.

A withdrawn item stays counted where it was published — kpis, both annual reports and the running
counts are the same before and after — and from its withdrawal date on it is not on the public
read path (public.screen_data) nor on the screen's slides; restoring it brings it back. A
correction keeps the old and new values and its date, changes the item's current fields and does
not move it. Leaders may do neither, staff may not restore, every action is audited, a save from a
stale form is refused, and an upload that names the item again never un-withdraws it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, func, select

from dashboard.screen import slides
from data_access.read import kpis, public, reports
from data_access.rules.permissions import OPERATOR, PermissionDenied, Principal
from data_access.store import db
from data_access.store.models import AppUser, AuditLog, OrgUnit, Publication, PublicationCorrection, StatTally
from data_access.write import auth, records
from data_access.write.importing import commit
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx

TODAY = dt.date(2019, 1, 10)
ITEM = "QY-T-2018-00003"  # 测试信息3, published 2018-12-13
OTHER = "QY-T-2018-00001"  # 测试信息1, published 2018-12-11


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    with db.write_session(empty_db) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        for name, role in (("clerk", "staff"), ("boss", "leader"), ("root", "admin")):
            s.add(AppUser(username=name, display_name=name, password_hash="x", role=role, unit_id=unit_id))
    data = xlsx([PUB_HEADER, *publication_rows(6)])
    assert (
        commit(empty_db, OPERATOR, data, "publications", UNIT, "2018-12", "12月.xlsx").status == "committed"
    )
    return empty_db


def who(engine: Engine, name: str) -> Principal:
    with db.read_session(engine) as s:
        found = auth.principal_for_username(s, name)
    assert found is not None
    return found


def item(engine: Engine, index_no: str = ITEM) -> records.PublicationItem:
    with db.read_session(engine) as s:
        found = records.find_publication(s, UNIT, index_no)
    assert found is not None
    return found


def withdraw(engine: Engine, principal: Principal, day: str = "2018-12-20", reason: str = "内容有误") -> None:
    with db.write_session(engine) as s:
        records.withdraw_publication(s, principal, UNIT, ITEM, day, reason, TODAY, loaded=item(engine).stamp)


def figures(engine: Engine) -> tuple[object, ...]:
    """Everything that counts the item: kpis, both reports, the running counts, the screen's counts."""
    with db.read_session(engine) as s:
        k = kpis.compute(s, 2018, unit_code=UNIT, today=TODAY)
        old = reports.build(s, 2018, UNIT, "old")
        new = reports.build(s, 2018, UNIT, "2021")
        tally = sorted(s.execute(select(StatTally.dim, StatTally.ym, StatTally.item, StatTally.n)).all())
        screen = public.screen_data(s, UNIT, dt.date(2018, 12, 31))
    assert screen is not None
    counts = (screen.published_year, screen.published_month, screen.published_cumulative, screen.by_category)
    return json.dumps(k, ensure_ascii=False, sort_keys=True, default=str), repr(old), repr(new), tally, counts


def newest_titles(engine: Engine, today: dt.date) -> list[str]:
    with db.read_session(engine) as s:
        screen = public.screen_data(s, UNIT, today)
    assert screen is not None
    return [i.title for i in screen.newest]


def test_a_withdrawn_item_stays_counted_where_published_and_leaves_the_screen(engine):
    before = figures(engine)
    assert "测试信息3" in newest_titles(engine, dt.date(2018, 12, 31))
    withdraw(engine, who(engine, "clerk"))
    assert figures(engine) == before  # kpis, both reports, running counts, the screen's counts
    assert "测试信息3" not in newest_titles(engine, dt.date(2018, 12, 31))
    assert "测试信息3" not in newest_titles(engine, dt.date(2018, 12, 20))  # from its withdrawal date on
    assert "测试信息3" in newest_titles(engine, dt.date(2018, 12, 19))  # before it: still shown
    assert len(newest_titles(engine, dt.date(2018, 12, 31))) == 5  # the other five
    with db.read_session(engine) as s:
        data = public.screen_data(s, UNIT, dt.date(2018, 12, 31))
    assert data is not None
    drawn = [slide.render(data) for slide in slides.SLIDES.values()] + [slides.ticker(data)]
    assert not [html for html in drawn if "测试信息3" in html]
    assert "测试信息4" in slides.newest(data) and "测试信息4" in slides.ticker(data)
    shown = item(engine)
    assert shown.withdrawal is not None
    assert (shown.withdrawal.date, shown.withdrawal.reason, shown.withdrawal.username) == (
        dt.date(2018, 12, 20),
        "内容有误",
        "clerk",
    )
    with db.read_session(engine) as s:
        listed = public_listing(s)
    assert listed == [(ITEM, "测试信息3", dt.date(2018, 12, 20), "内容有误")]


def public_listing(session):  # type: ignore[no-untyped-def]
    from data_access.read import withdrawals

    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
    return [
        (w.index_no, w.title, w.withdrawn_date, w.reason)
        for w in withdrawals.withdrawn_items(session, [unit_id], 2018)
    ]


def test_restore_brings_it_back_and_the_history_keeps_both(engine):
    withdraw(engine, who(engine, "clerk"))
    with pytest.raises(PermissionDenied, match="恢复已撤回的信息"), db.write_session(engine) as s:
        records.restore_publication(
            s, who(engine, "clerk"), UNIT, ITEM, "2019-01-02", "", TODAY, loaded=item(engine).stamp
        )
    with db.write_session(engine) as s:
        records.restore_publication(
            s, who(engine, "root"), UNIT, ITEM, "2019-01-02", "误撤回", TODAY, loaded=item(engine).stamp
        )
    assert item(engine).withdrawal is None
    assert "测试信息3" in newest_titles(engine, dt.date(2019, 1, 5))
    with db.read_session(engine) as s:
        history = records.publication_history(s, UNIT, ITEM)
    assert [(e.action, e.date, e.note, e.username) for e in history] == [
        ("withdraw", dt.date(2018, 12, 20), "内容有误", "clerk"),
        ("restore", dt.date(2019, 1, 2), "误撤回", "root"),
    ]
    with db.write_session(engine) as s:  # nothing to restore any more
        with pytest.raises(records.RecordError, match="没有被撤回"):
            records.restore_publication(
                s, who(engine, "root"), UNIT, ITEM, "2019-01-03", "", TODAY, loaded=item(engine).stamp
            )


def test_a_correction_keeps_old_and_new_and_does_not_move_the_item(engine):
    before = figures(engine)
    with db.read_session(engine) as s:
        row_before = s.execute(
            select(Publication.published_ym, Publication.category_id).where(Publication.index_no == ITEM)
        ).one()
    with db.write_session(engine) as s:
        done = records.correct_publication(
            s, who(engine, "clerk"), UNIT, ITEM, {"信息名称": "测试信息3（更正）", "doc_no": "青街〔2018〕9号"},
            "2019-01-05", "标题错字", TODAY, loaded=item(engine).stamp,
        )  # fmt: skip
    assert done.entry.changes == (
        ("信息名称", "测试信息3", "测试信息3（更正）"),
        ("文号", None, "青街〔2018〕9号"),
    )
    now = item(engine)
    assert (now.title, now.doc_no, now.published_date) == (
        "测试信息3（更正）",
        "青街〔2018〕9号",
        dt.date(2018, 12, 13),
    )
    with db.read_session(engine) as s:
        assert (
            s.execute(
                select(Publication.published_ym, Publication.category_id).where(Publication.index_no == ITEM)
            ).one()
            == row_before
        )
        history = records.publication_history(s, UNIT, ITEM)
    assert [(e.action, e.date, e.changes, e.note) for e in history] == [
        ("correct", dt.date(2019, 1, 5), done.entry.changes, "标题错字")
    ]
    after = figures(engine)
    assert after[0] == before[0] and after[3:] == before[3:]  # kpis, counts unchanged
    assert "测试信息3（更正）" in newest_titles(
        engine, dt.date(2018, 12, 31)
    )  # the screen shows the new title


@pytest.mark.parametrize(
    ("values", "day", "message"),
    [
        ({"公开日期": "2019-01-01"}, "2019-01-05", "不能更正：只能更正信息名称、文号"),
        ({"title": "  "}, "2019-01-05", "“信息名称”：不能为空"),
        ({"title": "测试信息3"}, "2019-01-05", "没有需要更正的内容"),
        ({"title": "新"}, "2018-12-01", "早于该信息的公开日期 2018-12-13"),
        ({"title": "新"}, "2019-02-01", "晚于今天"),
        ({"title": "新"}, "2019-02-30", "“更正日期”"),
    ],
)
def test_a_bad_correction_says_what_and_changes_nothing(engine, values, day, message):
    with db.read_session(engine) as s:
        before = s.scalar(select(func.count()).select_from(PublicationCorrection)), item(engine)
    with db.write_session(engine) as s, pytest.raises(records.RecordError, match=message):
        records.correct_publication(
            s, who(engine, "clerk"), UNIT, ITEM, values, day, "", TODAY, loaded=item(engine).stamp
        )
    with db.read_session(engine) as s:
        assert (s.scalar(select(func.count()).select_from(PublicationCorrection)), item(engine)) == before


def test_withdrawal_needs_a_reason_and_a_published_item_and_happens_once(engine):
    with db.write_session(engine) as s, pytest.raises(records.RecordError, match="“撤回原因”：必须填写"):
        records.withdraw_publication(
            s, who(engine, "clerk"), UNIT, ITEM, "2018-12-20", " ", TODAY, loaded=item(engine).stamp
        )
    withdraw(engine, who(engine, "clerk"))
    with db.write_session(engine) as s, pytest.raises(records.RecordError, match="已于 2018-12-20 撤回"):
        records.withdraw_publication(
            s, who(engine, "clerk"), UNIT, ITEM, "2018-12-21", "再撤", TODAY, loaded=item(engine).stamp
        )


def test_leaders_may_not_and_every_action_is_audited(engine):
    with pytest.raises(PermissionDenied, match="逐条登记"), db.write_session(engine) as s:
        records.withdraw_publication(
            s, who(engine, "boss"), UNIT, ITEM, "2018-12-20", "x", TODAY, loaded=item(engine).stamp
        )
    with pytest.raises(PermissionDenied, match="逐条登记"), db.write_session(engine) as s:
        records.correct_publication(
            s,
            who(engine, "boss"),
            UNIT,
            ITEM,
            {"title": "x"},
            "2019-01-01",
            "",
            TODAY,
            loaded=item(engine).stamp,
        )
    assert item(engine).withdrawal is None and item(engine).title == "测试信息3"
    withdraw(engine, who(engine, "clerk"))
    with db.write_session(engine) as s:
        records.restore_publication(
            s, who(engine, "root"), UNIT, ITEM, "2019-01-02", "", TODAY, loaded=item(engine).stamp
        )
    with db.read_session(engine) as s:
        entries = s.execute(
            select(AuditLog.username, AuditLog.detail)
            .where(AuditLog.action == "publication_change")
            .order_by(AuditLog.id)
        ).all()
    assert [
        (name, json.loads(detail)["action"], json.loads(detail)["index_no"]) for name, detail in entries
    ] == [
        ("clerk", "撤回", ITEM),
        ("root", "恢复", ITEM),
    ]
    assert json.loads(entries[0][1])["note"] == "内容有误"


def test_a_save_from_a_stale_form_is_refused(engine):
    loaded = item(engine).stamp
    with db.write_session(engine) as s:
        records.correct_publication(
            s, who(engine, "clerk"), UNIT, ITEM, {"title": "甲"}, "2019-01-05", "", TODAY, loaded=loaded
        )
    with db.write_session(engine) as s, pytest.raises(records.StaleRecord):
        records.withdraw_publication(
            s, who(engine, "clerk"), UNIT, ITEM, "2018-12-20", "乙", TODAY, loaded=loaded
        )
    assert item(engine).withdrawal is None and item(engine).title == "甲"


def test_an_upload_naming_the_item_again_never_un_withdraws_it(engine):
    withdraw(engine, who(engine, "clerk"))
    rows = publication_rows(6)
    rows[3][1] = "测试信息3（重新上传）"
    result = commit(
        engine, OPERATOR, xlsx([PUB_HEADER, *rows]), "publications", UNIT, "2018-12", "12月-2.xlsx"
    )
    assert result.status == "committed"
    shown = item(engine)
    assert shown.withdrawal is not None and shown.title == "测试信息3（重新上传）"
    assert "测试信息3（重新上传）" not in newest_titles(engine, dt.date(2018, 12, 31))
    # a stamp loaded before the upload is stale: the upload moved the item's version
    with db.write_session(engine) as s:
        records.restore_publication(s, OPERATOR, UNIT, ITEM, "2019-01-02", "", TODAY, loaded=shown.stamp)


def test_the_item_is_found_by_index_no_or_title(engine):
    with db.read_session(engine) as s:
        by_no = records.find_publications(s, UNIT, ITEM)
        by_title = records.find_publications(s, UNIT, "测试信息")
        none = records.find_publications(s, UNIT, "100%_")
    assert [i.index_no for i in by_no] == [ITEM]
    assert len(by_title) == 6 and by_title[0].published_date == dt.date(2018, 12, 15)
    assert none == []
