"""更正与撤回 on the 主动公开 page in AppTest: a clerk withdraws an item (only once the confirmation
is ticked) and it is marked 已撤回 in the register and listed with its reason; a clerk corrects a
title and the history shows old → new; a leader reads the history with no form; an admin restores."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from data_access.store import db
from data_access.store.models import Publication, PublicationCorrection, PublicationWithdrawal
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.pages import frame, run, staff, url

PAGE = "pages/publications.py"
Y2018 = {"unit": "qingyang", "year": "2018"}
WITHDRAWN = "QY-0101-2018-0157"  # 青阳街道办事处领导信息, published 2018-12-27
CORRECTED = "QY-0402-2018-0158"


@pytest.fixture
def seeded(empty_sqlite: Engine) -> Engine:
    """A writable copy of the 2018 demo."""
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def find(at, text: str):  # type: ignore[no-untyped-def]
    at.text_input(key="fix-search").input(text)
    return at.run()


def counts(engine: Engine) -> tuple[int, int]:
    with db.read_session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(PublicationCorrection)) or 0,
            s.scalar(select(func.count()).select_from(PublicationWithdrawal)) or 0,
        )


def test_a_clerk_withdraws_then_corrects_and_a_leader_reads_the_history(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, query=Y2018, who=staff(seeded))
    at = find(at, WITHDRAWN)
    assert not at.exception
    scope = f"qingyang_{WITHDRAWN}_0"
    at.text_input(key=f"fix_reason_{scope}").input("领导分工调整，内容已过时")
    at = button(at, "撤回该信息").click().run()
    assert "请先勾选确认。" in [w.value for w in at.warning]
    assert counts(seeded) == (0, 0)
    at.checkbox(key=f"fix_wsure_{scope}").check()
    at = button(at, "撤回该信息").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"已撤回：{WITHDRAWN}（")
    assert counts(seeded) == (1, 1)
    register = frame(at, "状态")
    mark = register[register["索引号"] == WITHDRAWN].iloc[0]["状态"]
    assert mark.startswith("已撤回（") and "领导分工调整，内容已过时" in mark
    listed = frame(at, "撤回原因")
    assert listed.iloc[0]["索引号"] == WITHDRAWN and listed.iloc[0]["撤回原因"] == "领导分工调整，内容已过时"
    assert any("已撤回" in w.value for w in at.warning)  # the item's card says so
    assert not [b for b in at.button if b.label == "恢复该信息"]  # staff may not restore

    at = find(at, CORRECTED)
    scope = f"qingyang_{CORRECTED}_1"
    at.text_input(key=f"fix_title_{scope}").input("青阳街道2018年11月份重点项目完成情况表")
    at.text_input(key=f"fix_note_{scope}").input("错别字")
    at.checkbox(key=f"fix_csure_{scope}").check()
    at = button(at, "保存更正").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"已更正：{CORRECTED}（")
    history = frame(at, "更正内容（原 → 新）")
    assert history.iloc[0]["更正内容（原 → 新）"] == (
        "信息名称：青阳街道2018年11月份重大项目完成情况表 → 青阳街道2018年11月份重点项目完成情况表"
    )
    with db.read_session(seeded) as s:
        assert s.execute(
            select(Publication.title, Publication.published_ym).where(Publication.index_no == CORRECTED)
        ).one() == ("青阳街道2018年11月份重点项目完成情况表", 201812)

    leader = run(monkeypatch, url(seeded), PAGE, query=Y2018)  # the default: a leader
    leader = find(leader, CORRECTED)
    assert not leader.exception
    assert frame(leader, "更正内容（原 → 新）").iloc[0]["说明或原因"] == "错别字"
    assert "仅本单位工作人员和管理员可以更正或撤回；您可以查看记录。" in [c.value for c in leader.caption]
    assert not [b for b in leader.button if b.label in ("保存更正", "撤回该信息")]


def test_an_admin_restores_a_withdrawn_item(monkeypatch, seeded):
    at = run(monkeypatch, url(seeded), PAGE, query=Y2018, who=staff(seeded))
    at = find(at, WITHDRAWN)
    scope = f"qingyang_{WITHDRAWN}_0"
    at.text_input(key=f"fix_reason_{scope}").input("误发")
    at.checkbox(key=f"fix_wsure_{scope}").check()
    at = button(at, "撤回该信息").click().run()
    with db.read_session(seeded) as s:
        admin = auth.principal_for_username(s, "demo_admin")
    at = run(monkeypatch, url(seeded), PAGE, query=Y2018, who=admin)
    at = find(at, WITHDRAWN)
    scope = f"qingyang_{WITHDRAWN}_0"
    at.text_input(key=f"fix_rreason_{scope}").input("核实无误")
    at.checkbox(key=f"fix_rsure_{scope}").check()
    at = button(at, "恢复该信息").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"已恢复：{WITHDRAWN}（")
    assert counts(seeded) == (2, 0)
    history = frame(at, "更正内容（原 → 新）")
    assert list(history["操作"]) == ["撤回", "恢复"]
