"""Statutory letters: wording by outcome and rules (table-driven), and the .docx from a record."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlalchemy import func, select

from data_access.read import letters
from data_access.store import db
from data_access.store.models import AuditLog, DisclosureRequest, OrgUnit, RequestPause, UploadBatch
from seed import qingyang2018

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("outcome", "rule", "expected"),
    [
        ("予以公开", "2019", "第三十六条第（二）项"),
        ("部分公开", "2019", "第三十七条"),
        ("不予公开-个人隐私", "2019", "您申请获取的政府信息个人隐私。根据"),
        ("不予公开-保护第三方合法权益", "2019", "第三十六条第（三）项"),
        ("无法提供-本机关不掌握相关政府信息", "2019", "第三十六条第（四）项"),
        ("无法提供-没有现成信息需要另行制作", "2019", "第三十八条"),
        ("无法提供-补正后申请内容仍不明确", "2019", "第三十条"),
        ("不予处理-重复申请", "2019", "第三十六条第（六）项"),
        ("其他处理-其他", "2019", "作如下处理：其他处理：其他"),
        ("予以公开", "2008", "（2008 年施行）第二十一条第（一）项"),
        ("部分公开", "2008", "第二十二条"),
        ("无法提供-本机关不掌握相关政府信息", "2008", "政府信息不存在。根据《中华人民共和国政府信息公开条例》（2008 年施行）第二十一条第（三）项"),
        ("不予处理-重复申请", "2008", "（2008 年施行）的有关规定"),
    ],
)  # fmt: skip
def test_reply_wording(outcome, rule, expected):
    assert expected in letters.reply_paragraph(outcome, rule)


@pytest.fixture
def request_db(empty_db):
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "qingyang"))
        batch = UploadBatch(
            kind="requests", unit_id=unit.id, period_key="2019", file_name="t", file_hash="9" * 64
        )
        s.add(batch)
        s.flush()
        req = DisclosureRequest(unit_id=unit.id, request_no="YSQ-2019-003", received_date=dt.date(2019, 9, 27),
                                received_year=2019, channel="信函", applicant_type="其他", applicant_name="某公司",
                                summary="<script>alert(1)</script>梅岭片区立项批复", extension_approved=True,
                                extension_days=10, batch_id=batch.id)  # fmt: skip
        req.pauses.append(
            RequestPause(kind="correction", start_date=dt.date(2019, 9, 30), end_date=dt.date(2019, 10, 8))
        )
        s.add(req)
    return empty_db


def test_extension_letter_dates_come_from_the_deadline_engine(request_db):
    with db.write_session(request_db) as s:
        letter = letters.build(
            s, "qingyang", "YSQ-2019-003", "extension", today=dt.date(2019, 11, 1), username="t"
        )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.docx)).paragraphs)
    # The correction restarted the clock on 2019-10-08: 20 working days (the 调休 Saturday 10-12
    # counts) → 2019-11-04; +10 → 2019-11-18.
    assert "原答复期限为2019年11月4日" in text
    assert "答复期限延长 10 个工作日，本机关将于2019年11月18日前作出答复" in text
    assert "第三十三条第二款" in text and "某公司：" in text and "2019年11月1日" in text
    assert "“<script>alert(1)</script>梅岭片区立项批复”" in text  # stored text, shown as text
    with db.read_session(request_db) as s:
        assert (
            s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "export_personal"))
            == 1
        )


def test_reply_needs_an_answer_and_unknown_records_are_clear_errors(request_db):
    with db.write_session(request_db) as s:
        with pytest.raises(letters.LetterError, match="尚未登记答复"):
            letters.build(s, "qingyang", "YSQ-2019-003", "reply")
        with pytest.raises(letters.LetterError, match="没有编号为 YSQ-1 的"):
            letters.build(s, "qingyang", "YSQ-1", "reply")
        with pytest.raises(letters.LetterError, match="未知的文书类型"):
            letters.build(s, "qingyang", "YSQ-2019-003", "thanks")
        correction = letters.build(s, "qingyang", "YSQ-2019-003", "correction")
    assert "第三十条" in "".join(correction.paragraphs)


def test_command_line_writes_the_reply(seeded_sqlite_url, tmp_path):
    out = tmp_path / "reply.docx"
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", seeded_sqlite_url, "letter",
         "--request", "YSQ-2018-001", "--kind", "reply", "--date", "2018-07-26", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "政府信息公开申请答复书" in text and "政府信息不存在" in text and "2018年7月26日" in text


@pytest.mark.parametrize(
    ("kind", "fragments"),
    [
        ("correction", ("第二十一条第（四）项", "答复期限自本机关收到补正后的申请之日起重新计算")),
        ("extension", ("第二十四条第二款", "答复期限延长 15 个工作日，本机关将于2018年8月27日前作出答复",
                       "原答复期限为2018年8月6日")),
        ("reply", ("第二十一条第（三）项", "政府信息不存在")),
    ],
)  # fmt: skip
def test_the_seeded_2018_request_gets_all_three_letters(request_db, kind, fragments):
    """The demo's request (received 2018-07-16, 2008 rules): names, numbers and dates from the record,
    due dates from the deadline engine, articles and the law's name of the 2008 version."""
    with db.write_session(request_db) as s:
        letter = letters.build(s, "qingyang", "YSQ-2018-001", kind, today=dt.date(2018, 7, 20))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(letter.docx)).paragraphs]
    assert paragraphs[:3] == ["晋江市人民政府青阳街道办事处", letters.KINDS[kind], "陈某："]  # the full name
    assert paragraphs[3].startswith(
        "本机关于2018年7月16日收到您提出的政府信息公开申请（申请编号：YSQ-2018-001）"
    )
    assert paragraphs[-2:] == ["晋江市人民政府青阳街道办事处（印章）", "2018年7月20日"]
    text = "\n".join(paragraphs)
    assert f"{letters.LAW_2008}{fragments[0]}" in text
    for fragment in fragments[1:]:
        assert fragment in text


def test_no_extension_letter_while_the_clock_is_stopped(request_db):
    # A 补正 sent and not yet answered: no period runs, so there is nothing to extend.
    with db.write_session(request_db) as s:
        req = s.scalar(select(DisclosureRequest).where(DisclosureRequest.request_no == "YSQ-2019-003"))
        req.pauses.append(RequestPause(kind="correction", start_date=dt.date(2019, 10, 20), end_date=None))
    with db.write_session(request_db) as s:
        with pytest.raises(letters.LetterError, match="答复期限正在暂停"):
            letters.build(s, "qingyang", "YSQ-2019-003", "extension", today=dt.date(2019, 11, 1))


def test_letters_are_on_a4_with_the_margins_of_official_documents(request_db):
    """Not python-docx's US Letter: A4 portrait, GB/T 9704 margins (top 37, bottom 35, left 28,
    right 26 mm), 仿宋 三号 for the Chinese text; saved under the unit's name, number and letter."""
    with db.write_session(request_db) as s:
        letter = letters.build(s, "qingyang", "YSQ-2018-001", "reply", today=dt.date(2018, 7, 20))
    document = docx.Document(io.BytesIO(letter.docx))
    [section] = document.sections
    # Word keeps lengths in twentieths of a point: Word's own A4 is 11906 × 16838.
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.orientation == WD_ORIENT.PORTRAIT
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert letter.file_name == "青阳街道YSQ-2018-001政府信息公开申请答复书.docx"
