"""Rows for the lobby screen's read path: non-public canaries that must never come out of it,
and a proactively published item that must."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from data_access.store import db
from data_access.store.models import Category, DisclosureRequest, OrgUnit, Publication, UploadBatch

CANARY_DOC = "金丝雀-不公开文件-7731"
CANARY_REQUEST = "金丝雀-申请摘要-4412"
CANARY_NAME = "金丝雀申请人"


def add_canaries(session, today: dt.date) -> None:
    """A withheld document and a request with distinctive text, dated today (so 'newest')."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "qingyang"))
    cat = session.scalar(select(Category).where(Category.code == "010101"))
    batch = UploadBatch(
        # A key of its own: the database allows one active batch per (kind, unit, period).
        kind="publications",
        unit_id=unit.id,
        period_key="canary",
        file_name="canary",
        file_hash="c" * 64,
    )
    session.add(batch)
    session.flush()
    common = dict(
        unit_id=unit.id,
        category_id=cat.id,
        category_root_id=cat.root_id,
        formed_date=today,
        published_year=today.year,
        published_ym=today.year * 100 + today.month,
        batch_id=batch.id,
    )
    session.add(
        Publication(
            index_no="CANARY-1",
            title=CANARY_DOC,
            attribute="withheld",
            withheld_reason="个人隐私",
            published_date=today,
            **common,
        )
    )
    session.add(
        Publication(
            index_no="CANARY-2",
            title=CANARY_DOC + "依申请",
            attribute="on_request",
            published_date=today,
            **common,
        )
    )
    session.add(
        DisclosureRequest(
            unit_id=unit.id,
            request_no="CANARY-R",
            received_date=today,
            received_year=today.year,
            channel="网络",
            applicant_type="自然人",
            applicant_name=CANARY_NAME,
            applicant_contact="13800000000",
            summary=CANARY_REQUEST,
            batch_id=batch.id,
        )
    )
    db.bump_data_version(session)


FRESH = "新公开-大屏刷新检查-5521"


def add_public_item(session, title: str, day: dt.date, index_no: str = "FRESH-1") -> None:
    """One proactively published item of the demo unit, published on `day`."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "qingyang"))
    cat = session.scalar(select(Category).where(Category.code == "010101"))
    batch = UploadBatch(
        kind="publications",
        unit_id=unit.id,
        period_key=index_no,  # a key of its own: one active batch per (kind, unit, period)
        file_name=index_no,
        file_hash=hashlib.sha256(index_no.encode()).hexdigest(),
    )
    session.add(batch)
    session.flush()
    session.add(
        Publication(
            unit_id=unit.id,
            index_no=index_no,
            title=title,
            category_id=cat.id,
            category_root_id=cat.root_id,
            formed_date=day,
            published_date=day,
            published_year=day.year,
            published_ym=day.year * 100 + day.month,
            attribute="proactive",
            batch_id=batch.id,
        )
    )
    db.bump_data_version(session)
