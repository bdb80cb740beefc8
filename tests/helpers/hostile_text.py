"""Hostile strings (script, HTML, Markdown, formulas) and a demo database holding them in every
kind of stored text field.

`hostile_database` loads the 2018 demo and then puts each string of the XSS list into every
text field people type or upload: publication titles, project names, request summaries and
applicants' names and contacts, interpretation titles, hotline officials and topics, board names
and update notes, upload file names, unit names, catalogue names, holiday names, user names and
audit details; and the city's name is all Markdown.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from data_access.rules import workdays
from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db
from data_access.store.models import (
    Board,
    BoardUpdate,
    DisclosureRequest,
    HotlineDuty,
    OrgUnit,
    PolicyInterpretation,
    Project,
    Publication,
    UploadBatch,
)
from data_access.store.reference import unit_by_code
from data_access.write import auth
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue
from seed import qingyang2018

# Stored as a display name, a unit name and an audit detail: each must come back as the same text.
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)",
    "<iframe src=javascript:alert(1)>",
    "<a href='javascript:alert(1)'>点我</a>",
    "<body onload=alert(1)>",
    "'';!--\"<XSS>=&{()}",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>",
    "{{constructor.constructor('alert(1)')()}}",
    "**粗体**<b>b</b>",
    "[点我](data:text/html,<script>alert(1)</script>)",
    "<style>*{display:none}</style>",
    '=HYPERLINK("http://evil","x")',
    "<input autofocus onfocus=alert(1)>",
    "`<script>`alert(1)",
    ":red[<u>红</u>]",
]


# Each kind of stored text gets the XSS list with its own tag, so a page is seen to show its own data.
TAGS: dict[str, str] = {
    "unit": "（单位）", "user": "（用户）", "audit": "（日志）", "category": "（目录{i}）", "holiday": "（假日）",
    "title": "（标题）", "project": "（项目）", "summary": "（申请）", "applicant": "（申请人）",
    "contact": "（联系）", "interpretation": "（解读）", "board": "（公开栏）", "note": "（更新）",
    "official": "（值班）", "topics": "（话题）", "file": "（文件）.xlsx",
}  # fmt: skip


def stored(field: str) -> list[str]:
    """The XSS list as stored in one kind of field."""
    return [x + TAGS[field].format(i=i) for i, x in enumerate(XSS)]


# The city is renamed to Markdown: the dashboards are opened on it (with its figures) as its admin.
MARKDOWN_UNIT = ("jinjiang", "[链](javascript:alert(1))**粗**`码`:red[红]&lt;b&gt;![图](http://evil/x.png)")
ALL_STORED = sorted({text for field in TAGS for text in stored(field)} | {MARKDOWN_UNIT[1]})


def hostile_database(engine) -> None:  # type: ignore[no-untyped-def]
    """The demo, with every XSS string in every kind of stored text (see the module docstring)."""
    with db.write_session(engine) as s:
        qingyang2018.load(s)
    with db.write_session(engine) as s:
        qy = unit_by_code(s, "qingyang")
        assert qy is not None
        for i in range(len(XSS)):
            unit, user = stored("unit")[i], stored("user")[i]
            s.add(
                OrgUnit(code=f"xss-{i:02d}", name=unit, level="community", parent_id=qy.id, sort_order=50 + i)
            )
            s.flush()
            auth.create_user(
                s, f"xss{i:02d}", role="leader", unit_code="qingyang", display_name=user, actor=OPERATOR
            )
            audit.record(s, "settings_change", username="xss", detail=stored("audit")[i])
            name = stored("category")[i]
            admin_catalogue.add_category(
                s, parent_code="0601", code=f"0601{70 + i:02d}", name=name, actor=OPERATOR
            )
        city = unit_by_code(s, MARKDOWN_UNIT[0])
        assert city is not None
        city.name = MARKDOWN_UNIT[1]
        newest = s.scalars(
            select(Publication)
            .where(Publication.unit_id == qy.id, Publication.attribute == "proactive")
            .order_by(Publication.published_date.desc(), Publication.id.desc())
            .limit(len(XSS))
        ).all()
        for publication, text in zip(newest, stored("title"), strict=True):
            publication.title = text
        projects = s.scalars(select(Project).where(Project.unit_id == qy.id).order_by(Project.id)).all()
        for project, text in zip(projects, stored("project"), strict=False):
            project.name = text
        demo = s.scalars(select(DisclosureRequest).where(DisclosureRequest.unit_id == qy.id)).first()
        assert demo is not None
        for i in range(len(XSS)):
            answered = i % 2 == 1
            s.add(
                DisclosureRequest(
                    unit_id=qy.id,
                    request_no=f"YSQ-2018-X{i:02d}",
                    received_date=demo.received_date,
                    received_year=demo.received_year,
                    channel=demo.channel,
                    applicant_type=demo.applicant_type,
                    applicant_name=stored("applicant")[i],
                    applicant_contact=stored("contact")[i],
                    summary=stored("summary")[i],
                    reply_date=demo.reply_date if answered else None,
                    outcome=demo.outcome if answered else None,
                    batch_id=demo.batch_id,
                )
            )
            s.add(
                PolicyInterpretation(
                    unit_id=qy.id,
                    title=stored("interpretation")[i],
                    published_date=dt.date(2018, 12, 1 + i),
                    published_year=2018,
                    batch_id=demo.batch_id,
                )
            )
        boards = s.scalars(select(Board).where(Board.unit_id == qy.id).order_by(Board.id)).all()
        for board, text in zip(boards, stored("board"), strict=False):
            board.name = text
        updates = s.scalars(select(BoardUpdate).order_by(BoardUpdate.id)).all()
        for update, text in zip(updates, stored("note"), strict=False):
            update.note = text
        duties = s.scalars(select(HotlineDuty).order_by(HotlineDuty.id)).all()
        for n, duty in enumerate(duties):
            duty.official, duty.topics = stored("official")[n], stored("topics")[n]
        batches = s.scalars(select(UploadBatch).order_by(UploadBatch.id)).all()
        for n, batch in enumerate(batches):
            batch.file_name = stored("file")[n % len(XSS)]
        days = [
            workdays.DayOverride(dt.date(2031, 1, 1) + dt.timedelta(days=n), False, text)
            for n, text in enumerate(stored("holiday"))
        ]
        admin_calendar.save_year_schedule(s, 2031, days, actor=OPERATOR)
        db.bump_data_version(s)
