"""The documents (公文) a unit made in a year, each with its disclosure attribute: what the
公文类信息主动公开率 (documents published proactively ÷ documents made) is computed from.

Rows come from the yearly `documents` upload (one file per unit and year, superseding the unit's
documents of that year); an item may name the 索引号 of its publication in the register.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.rules.vocab import ATTRIBUTES
from data_access.store.models.base import Base, in_sql


class Document(Base):
    """A document (公文) the unit made in `year`: 文号, 标题, 成文日期 and 公开属性."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "doc_no"),
        CheckConstraint(in_sql("attribute", ATTRIBUTES), name="attribute"),
        CheckConstraint("attribute <> 'withheld' OR withheld_reason IS NOT NULL", name="withheld_reason"),
        Index("ix_document_scope", "unit_id", "year", "attribute"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    doc_no: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    formed_date: Mapped[dt.date] = mapped_column(Date)
    attribute: Mapped[str] = mapped_column(String(20))
    withheld_reason: Mapped[str | None] = mapped_column(String(20))
    # The 索引号 of the item in the unit's publication register, when the office links it.
    index_no: Mapped[str | None] = mapped_column(String(60))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
