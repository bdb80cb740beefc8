"""月度上传 and 主动公开 in AppTest with registers: the register picker files a 主动公开 upload under the
chosen register, a row naming an item of another month is shown with 原属 … and a choice (default keep),
the choice goes with the commit, and 主动公开 shows each register's count and the total counted once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from data_access.read.queries import registers as register_counts
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit, Publication
from data_access.write.importing import commit
from seed import qingyang2018
from tests.helpers.builders import PUB_HEADER, XLSX, xlsx
from tests.helpers.pages import frame, run, staff, texts, url

PAGE = "pages/upload.py"
CATS = ["机构职能类", "民政扶贫救灾社会保障就业类", "安全生产、应急管理类", "科教文体卫生类"]
MOVED = "QY-T-2018-00223"


def _row(i: int, month: int, title: str | None = None) -> list[Any]:
    return [f"QY-T-2018-{i:05d}", title or f"测试信息{i}", CATS[i % 4], None, f"2018-{month:02d}-01",
            f"2018-{month:02d}-{10 + i % 9:02d}", "政府门户网站", "是"]  # fmt: skip


@pytest.fixture
def seeded(empty_sqlite: Engine) -> Engine:
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    march = xlsx([["青阳街道2018年3月公开栏信息目录"], PUB_HEADER, *[_row(i, 3) for i in range(221, 226)]])
    done = commit(
        empty_sqlite, OPERATOR, march, "publications", "qingyang", "2018-03", "3月.xlsx", register="公开栏"
    )
    assert done.status == "committed"
    return empty_sqlite


def _year(engine: Engine) -> register_counts.RegisterCounts:
    with db.read_session(engine) as s:
        unit = s.scalar(select(OrgUnit.id).where(OrgUnit.code == "qingyang"))
        return register_counts.year_counts(s, [unit], 2018)


def test_register_picker_and_cross_period_choice(monkeypatch, seeded):
    before = _year(seeded)
    assert before.get("公开栏") == 5 and before.total == before.get("政府网站") + 5
    at = run(monkeypatch, url(seeded), PAGE, who=staff(seeded))
    at.selectbox(key="upload_kind").set_value("publications")
    at = at.run()
    picker = at.selectbox(key="upload_register")
    assert picker.options[:3] == ["自动（按文件推断）", "政府网站", "政务新媒体"]
    picker.set_value("政务新媒体")
    june = [*(_row(i, 6) for i in (231, 232)), _row(223, 6, "测试信息223（更正）")]
    data = xlsx([["青阳街道2018年6月主动公开政府信息目录"], PUB_HEADER, *june])
    at.file_uploader[0].set_value(("6月.xlsx", data, XLSX))
    at = at.run()
    assert not at.exception
    shown = texts(at)
    assert "登记册：政务新媒体" in shown
    assert "已在其他月份登记的信息（1 条）" in " ".join(h.value for h in at.subheader)
    assert "第 5 行 **QY\\-T\\-2018\\-00223**「测试信息223」：原属 2018-03，本文件将其改为 2018-06" in shown
    choice = at.selectbox(key=f"upload_cross_qingyang_2018-06_政务新媒体_{MOVED}_keep")
    assert choice.value == "keep" and choice.options == [
        "保留原月份并更新内容",
        "改为本文件的月份",
        "跳过此行",
    ]
    choice.set_value("move")
    at = at.run()
    at = next(b for b in at.button if b.label.startswith("确认导入")).click().run()
    assert not at.exception and "已导入第" in at.success[0].value
    with db.read_session(seeded) as s:
        moved = s.scalar(select(Publication).where(Publication.index_no == MOVED))
    assert moved is not None and moved.published_ym == 201806 and moved.title == "测试信息223（更正）"
    after = _year(seeded)
    assert (after.get("公开栏"), after.get("政务新媒体")) == (5, 3)
    assert after.total == before.total + 2  # 223 is one item in two registers

    at = run(monkeypatch, url(seeded), "pages/publications.py", who=staff(seeded))
    table = frame(at, "登记册")
    counts = dict(zip(table["登记册"], table["条数"], strict=True))
    assert counts["公开栏"] == 5 and counts["政务新媒体"] == 3 and counts["合计（去重）"] == after.total
    assert "同一索引号在多个登记册登记的是同一条信息在多处公开" in texts(at)
