"""Statutory letters for a disclosure request, as .docx for the office to edit and seal.

- 补正告知书 (kind 'correction'): asks the applicant to correct an unclear request;
- 延期答复告知书 (kind 'extension'): the reply period is extended, to the date the deadline
  engine works out;
- 政府信息公开申请答复书 (kind 'reply'): the reply, worded by the outcome.

Names, numbers and dates come from the record and the deadline engine; the issuing office's name
and phone from the unit's profile (its full name, else its name; its phone, else the nearest
ancestor's). The articles cited depend on which regulations applied to the request (2008 or 2019,
by the date received).
Building a letter reads personal data, so it is audited as 'export_personal'.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data_access.rules.deadlines import Deadline, deadline_for_request
from data_access.rules.printing import A4_MM, OFFICIAL_MARGINS_MM, file_safe
from data_access.store import audit
from data_access.store.holidays import load_calendar
from data_access.store.models import DisclosureRequest, OrgUnit
from data_access.store.reference import unit_profile

KINDS = {
    "correction": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "reply": "政府信息公开申请答复书",
}
LAW = "《中华人民共和国政府信息公开条例》"

# How the reply is worded for each 2021 outcome group (2019 rules; articles of the 2019 条例).
_REPLY_2019 = {
    "予以公开": "经审查，您申请获取的政府信息属于公开范围。根据{law}第三十六条第（二）项的规定，现向您提供该政府信息（见附件）。",
    "部分公开": "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{law}第三十七条的规定，现向您提供可以公开的部分（见附件），不予公开部分的理由为：{detail}。",
    "不予公开": "经审查，您申请获取的政府信息{detail}。根据{law}第三十六条第（三）项的规定，本机关决定不予公开。",
    "无法提供-本机关不掌握相关政府信息": "经检索查找，本机关未制作、未获取您申请的政府信息。根据{law}第三十六条第（四）项的规定，告知您该政府信息不存在。",
    "无法提供-没有现成信息需要另行制作": "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析。根据{law}第三十八条的规定，本机关可以不予提供。",
    "无法提供-补正后申请内容仍不明确": "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息。根据{law}第三十条的规定，本机关无法提供。",
    "不予处理-重复申请": "本机关已就您提出的相同政府信息公开申请作出答复。根据{law}第三十六条第（六）项的规定，不予重复处理。",
}
LAW_2008 = "《中华人民共和国政府信息公开条例》（2008 年施行）"
# The same for requests received before 2019-05-15 (articles of the 2008 条例).
_REPLY_2008 = {
    "予以公开": "经审查，您申请获取的政府信息属于公开范围。根据{law}第二十一条第（一）项的规定，现向您提供该政府信息（见附件）。",
    "部分公开": "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{law}第二十二条的规定，现向您提供可以公开的部分（见附件），不予公开部分的理由为：{detail}。",
    "不予公开": "经审查，您申请获取的政府信息{detail}，不属于公开范围。根据{law}第二十一条第（二）项的规定，本机关决定不予公开。",
    "无法提供-本机关不掌握相关政府信息": "经检索查找，您申请获取的政府信息不存在。根据{law}第二十一条第（三）项的规定，特此告知。",
    "无法提供-补正后申请内容仍不明确": "您的申请内容不明确，经告知后仍未能明确所需的政府信息。根据{law}第二十一条第（四）项的规定，本机关无法提供。",
}
_REPLY_OTHER = "经审查，本机关对您的申请作如下处理：{outcome}。本答复依据{law}的有关规定作出。"


class LetterError(ValueError):
    """A letter that cannot be written from the record (message in Chinese)."""


@dataclass(frozen=True)
class Letter:
    """A finished letter: its title, paragraphs (for display), the .docx bytes and the name to save
    it under (某某街道YSQ-2018-001政府信息公开申请答复书.docx)."""

    kind: str
    title: str
    paragraphs: tuple[str, ...]
    docx: bytes
    file_name: str


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reply_paragraph(outcome: str, rule: str) -> str:
    """The body of the reply for an outcome under the rules that applied (pure)."""
    table, law = (_REPLY_2008, LAW_2008) if rule == "2008" else (_REPLY_2019, LAW)
    group, _, detail = outcome.partition("-")
    template = table.get(outcome) or table.get(group)
    if template is None:
        return _REPLY_OTHER.format(outcome=outcome.replace("-", "："), law=law)
    return template.format(law=law, detail=detail or "依法不予公开")


def paragraphs(kind: str, request: DisclosureRequest, deadline: Deadline, unit: str, hotline: str | None,
               today: dt.date) -> tuple[str, ...]:  # fmt: skip
    """The letter's paragraphs, from the record and its deadline (pure)."""
    applicant = request.applicant_name or "申请人"
    opening = (
        f"本机关于{_d(request.received_date)}收到您提出的政府信息公开申请（申请编号：{request.request_no}），"
        f"申请内容为：“{request.summary}”。"
    )
    law = LAW if deadline.rule == "2019" else LAW_2008  # the version the articles are numbered in
    if kind == "correction":
        article = "第三十条" if deadline.rule == "2019" else "第二十一条第（四）项"
        body = (
            f"经审查，您的申请内容不明确。根据{law}{article}的规定，请您自收到本告知书之日起 15 个工作日内"
            "对申请作出补正，说明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
        )
        after = "答复期限自本机关收到补正后的申请之日起重新计算。"
    elif kind == "extension":
        # Worked out whenever the clock runs; None only while it is stopped (a 补正 or a
        # third-party consultation still open): there is no period to extend yet.
        if deadline.due is None or deadline.extended_due is None:
            raise LetterError("答复期限正在暂停（补正或征求第三方意见尚未结束），暂不能出具延期答复告知书")
        article = "第三十三条第二款" if deadline.rule == "2019" else "第二十四条第二款"
        body = (
            f"因需要延长答复期限，经本机关政府信息公开工作机构负责人同意，根据{law}{article}的规定，"
            f"答复期限延长 {deadline.extension_days} 个工作日，本机关将于{_d(deadline.extended_due)}前作出答复。"
        )
        after = f"原答复期限为{_d(deadline.due)}。"
    elif kind == "reply":
        if not request.outcome or request.reply_date is None:
            raise LetterError(f"申请 {request.request_no} 尚未登记答复日期和答复结果，无法生成答复书")
        body = reply_paragraph(request.outcome, deadline.rule)
        after = (
            "如您对本答复不服，可以自收到本答复之日起 60 日内依法申请行政复议，"
            "或者自收到本答复之日起 6 个月内依法向人民法院提起行政诉讼。"
        )
    else:
        raise LetterError(f"未知的文书类型：{kind}（可选：{'、'.join(KINDS)}）")
    contact = f"联系电话：{hotline}。" if hotline else ""
    return (f"{applicant}：", opening, body, after + contact, unit, _d(today))


def build(session: Session, unit_code: str, request_no: str, kind: str, *, today: dt.date | None = None,
          username: str | None = None, source: str | None = None) -> Letter:  # fmt: skip
    """Write one letter for a request of the unit (call inside a write session: it is audited)."""
    if kind not in KINDS:
        raise LetterError(f"未知的文书类型：{kind}（可选：{'、'.join(KINDS)}）")
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise LetterError(f"未知单位代码：{unit_code}")
    request = session.scalar(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses))
        .where(DisclosureRequest.unit_id == unit.id, DisclosureRequest.request_no == request_no)
    )
    if request is None:
        raise LetterError(f"{unit.name}没有编号为 {request_no} 的依申请公开记录")
    deadline = deadline_for_request(request, load_calendar(session))
    today = today or dt.date.today()
    profile = unit_profile(session, unit)
    body = paragraphs(kind, request, deadline, profile.full_name, profile.phone, today)
    audit.record(session, "export_personal", username=username, source=source,
                 detail=f"生成{KINDS[kind]}：{unit.code} {request_no}")  # fmt: skip
    name = file_safe(f"{unit.name}{request_no}{KINDS[kind]}") + ".docx"
    return Letter(kind, KINDS[kind], body, _docx(KINDS[kind], profile.full_name, body), name)


def _a4(doc) -> None:  # type: ignore[no-untyped-def]
    """Portrait A4 with the margins of official documents (GB/T 9704), not python-docx's US Letter."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.top_margin = Mm(OFFICIAL_MARGINS_MM["top"])
        section.bottom_margin = Mm(OFFICIAL_MARGINS_MM["bottom"])
        section.left_margin = Mm(OFFICIAL_MARGINS_MM["left"])
        section.right_margin = Mm(OFFICIAL_MARGINS_MM["right"])


def _docx(title: str, unit: str, body: tuple[str, ...]) -> bytes:
    doc = Document()
    _a4(doc)
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(16)  # 三号, as the body of an official document
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")  # the Chinese text too
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(unit)
    run.bold, run.font.size = True, Pt(20)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold, run.font.size = True, Pt(22)  # 二号
    salutation, *paragraphs_, signer, date = body
    doc.add_paragraph(salutation)
    for text in paragraphs_:
        para = doc.add_paragraph(text)
        para.paragraph_format.first_line_indent = Pt(32)  # two characters
    for text in (f"{signer}（印章）", date):
        para = doc.add_paragraph(text)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
