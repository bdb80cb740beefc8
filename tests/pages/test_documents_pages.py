"""公文类信息主动公开率 on 总览 and its target on 目录与年度目标: "—" with its hint before any
document is entered; after one upload the rate with its counts, "未设年度目标" until an admin sets
the year's target on the 年度目标 tab, then the target beside it."""

from __future__ import annotations

import pytest

from dashboard.reads import cache
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.store.reference import ensure_reference_data
from data_access.write import auth, importing
from tests.helpers.builders import xlsx
from tests.helpers.pages import principal, run, url

HEAD = ["文号", "标题", "成文日期", "公开属性", "不公开理由"]
QUERY = {"unit": "binhai", "year": "2021"}
REQUESTS = [
    ["编号", "收到日期", "申请方式", "申请人类型", "申请内容摘要", "答复日期", "答复类型"],
    ["YSQ-2021-001", "2021-03-01", "网络", "自然人", "申请公开某文件", "2021-03-10", "予以公开"],
]


@pytest.fixture
def office(empty_sqlite, fast_hashing):  # type: ignore[no-untyped-def]
    with db.write_session(empty_sqlite) as s:
        ensure_reference_data(s)
        s.add(OrgUnit(code="binhai", name="滨海街道", level="subdistrict"))
    with db.write_session(empty_sqlite) as s:
        auth.create_user(
            s, "t_admin", role="admin", unit_code="binhai", password="pass-word-1", actor=OPERATOR
        )
    result = importing.commit(empty_sqlite, OPERATOR, xlsx(REQUESTS), "requests", "binhai", None, "r.xlsx")
    assert result.status == "committed", result.issues
    return empty_sqlite


def _card(monkeypatch, engine):  # type: ignore[no-untyped-def]
    at = run(monkeypatch, url(engine), query=QUERY, who=principal("leader", "binhai"))
    metric = next(m for m in at.metric if m.label == "公文类信息主动公开率")
    return metric, " ".join(c.value for c in at.caption)


def test_the_rate_and_its_target(monkeypatch, office):
    metric, captions = _card(monkeypatch, office)
    assert metric.value == "—" and metric.proto.help.startswith("本年度未录入")
    assert "本年度未录入公文" in captions

    rows = [[f"滨政〔2021〕{i}号", f"通知{i}", "2021-05-06", attr, "工作秘密" if attr == "不予公开" else None]
            for i, attr in enumerate(["主动公开"] * 2 + ["依申请公开"] + ["不予公开"] * 2, start=1)]  # fmt: skip
    result = importing.commit(office, OPERATOR, xlsx([HEAD, *rows]), "documents", "binhai", None, "d.xlsx")
    assert result.status == "committed", result.issues
    cache.refresh()
    metric, captions = _card(monkeypatch, office)
    assert metric.value == "40.0%"
    assert "制发公文 5 件，主动公开 2 件、依申请公开 1 件、不予公开 2 件 · 未设年度目标" in captions

    page = "pages/admin_catalogue.py"
    at = run(monkeypatch, url(office), page, query={"unit": "binhai"}, who=principal("admin", "binhai"))
    at = next(n for n in at.number_input if n.label == "年度").set_value(2021).run()
    box = next(t for t in at.text_input if t.label == "目标（%）")
    assert box.value == "" and "本年实际：40.0%" in " ".join(c.value for c in at.caption)
    box.input("百分之五十")
    at = next(b for b in at.button if b.label == "保存公文公开率目标").click().run()
    assert any("0–100 之间的百分数" in e.value for e in at.error)
    next(t for t in at.text_input if t.label == "目标（%）").input("45")
    at = next(b for b in at.button if b.label == "保存公文公开率目标").click().run()
    assert any("已保存公文类信息主动公开率目标" in s.value for s in at.success), [e.value for e in at.error]
    metric, _captions = _card(monkeypatch, office)
    assert metric.value == "40.0%" and metric.delta == "年度目标 45.0%"
