"""What the office did, one row per thing: publications, key projects and their monthly
progress, disclosure requests with their pauses and appeals, bulletin boards and their updates,
deliveries to the archive and library, policy interpretations and hotline duties. Every row
points at the upload batch that brought it (`batch_id`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data_access.rules.vocab import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    APPLICANT_TYPES,
    ATTRIBUTES,
    BOARD_KINDS,
    BOARD_UPDATE_KINDS,
    LITIGATION_PATHS,
    PAUSE_KINDS,
    PUBLICATION_CHANNELS,
    RECIPIENTS,
    REQUEST_CHANNELS,
)
from data_access.store.models.base import Base, Money, in_sql


class Publication(Base):
    """An item of the proactive publication register (主动公开信息目录)."""

    __tablename__ = "publication"
    __table_args__ = (
        UniqueConstraint("unit_id", "index_no"),
        CheckConstraint(in_sql("attribute", ATTRIBUTES), name="attribute"),
        CheckConstraint(in_sql("channel", PUBLICATION_CHANNELS), name="channel"),
        CheckConstraint("attribute <> 'withheld' OR withheld_reason IS NOT NULL", name="withheld_reason"),
        CheckConstraint("attribute <> 'proactive' OR published_date IS NOT NULL", name="proactive_published"),
        # Covering index for the statistics: unit × year × month → category, topic, channel, and the
        # two dates that decide timeliness.
        Index(
            "ix_publication_stats",
            "unit_id",
            "published_year",
            "published_ym",
            "attribute",
            "category_root_id",
            "topic_id",
            "channel",
            "full_text",
            "formed_date",
            "published_date",
        ),
        # The lobby screen's newest items: per unit, newest first (SQLite appends the id).
        Index("ix_publication_newest", "unit_id", "attribute", "published_date"),
        # The annual report's 行政规范性文件 formed in the year: a few catalogue entries × one year
        # (without it a city's count read every one of its publications: 2 s at 5M rows).
        Index("ix_publication_formed", "category_id", "formed_date", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    index_no: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(500))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    category_root_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    doc_no: Mapped[str | None] = mapped_column(String(100))
    is_official_document: Mapped[bool] = mapped_column(Boolean, default=False)
    formed_date: Mapped[dt.date] = mapped_column(Date)
    published_date: Mapped[dt.date | None] = mapped_column(Date)
    # Stored year and YYYYMM of the publication date: grouping by month uses an
    # index instead of a date function (see README, performance).
    published_year: Mapped[int | None] = mapped_column(Integer)
    published_ym: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20), default="政府门户网站")
    full_text: Mapped[bool] = mapped_column(Boolean, default=True)
    attribute: Mapped[str] = mapped_column(String(20), default="proactive")
    withheld_reason: Mapped[str | None] = mapped_column(String(20))
    withheld_note: Mapped[str | None] = mapped_column(String(500))
    secrecy_reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    secrecy_reviewer: Mapped[str | None] = mapped_column(String(60))
    secrecy_review_date: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    # Bumped by every write (an upload's update, a 更正, a 撤回 or 恢复): a correction or withdrawal
    # form saves only while the item still has the version and batch it loaded (migration 0019).
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class Project(Base):
    """A key project (重点项目) of one unit's list for one year."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("unit_id", "year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    total_investment: Mapped[Decimal | None] = mapped_column(Money)
    annual_plan: Mapped[Decimal | None] = mapped_column(Money)


class ProjectProgress(Base):
    """One month's line of the 重大项目完成情况表 for one project (money in 万元)."""

    __tablename__ = "project_progress"
    __table_args__ = (
        UniqueConstraint("project_id", "ym"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        # The month's lines read from the index alone (migration 0025).
        Index(
            "ix_project_progress_month",
            "unit_id",
            "year",
            "month",
            "project_id",
            "ytd_invested",
            "annual_plan",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    ym: Mapped[int] = mapped_column(Integer)
    month_invested: Mapped[Decimal] = mapped_column(Money)
    ytd_invested: Mapped[Decimal] = mapped_column(Money)
    annual_plan: Mapped[Decimal] = mapped_column(Money)
    # The monthly plan curve (1-N月计划累计), where the office gives one.
    plan_ytd: Mapped[Decimal | None] = mapped_column(Money)
    total_investment: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str | None] = mapped_column(String(500))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)


# The backends that have partial indexes (CREATE INDEX … WHERE …).
PARTIAL_INDEXES = ("sqlite", "postgresql")


def _partial(name: str, sqlite_where: str, postgresql_where: str | None = None, *more: str) -> Index:
    """A request index of (unit, reply day, `more` columns) holding only the rows the condition picks."""
    return Index(
        name,
        "unit_id",
        "reply_date",
        *more,
        sqlite_where=text(sqlite_where),
        postgresql_where=text(postgresql_where or sqlite_where),
    ).ddl_if(dialect=PARTIAL_INDEXES)


class DisclosureRequest(Base):
    """A request for disclosure (依申请公开), with its outcome in the 2021 categories.

    `outcome` holds the 2021 report's wording, e.g. '予以公开', '部分公开',
    '不予公开-个人隐私', '无法提供-本机关不掌握相关政府信息'; the old four replies are
    derived from it (data_access.rules.vocab.old_reply).
    """

    __tablename__ = "disclosure_request"
    __table_args__ = (
        UniqueConstraint("unit_id", "request_no"),
        CheckConstraint(in_sql("channel", REQUEST_CHANNELS), name="channel"),
        CheckConstraint(in_sql("applicant_type", APPLICANT_TYPES), name="applicant_type"),
        CheckConstraint("extension_days BETWEEN 0 AND 20", name="extension_days"),
        Index("ix_disclosure_request_scope", "unit_id", "received_year", "channel"),
        # Open requests (no reply date) and the year's answered ones, grouped by what fixes the deadline
        # (an extension's approval date and whether it has pauses too: the open requests' counts are
        # read from the index alone).
        Index(
            "ix_disclosure_request_reply",
            "unit_id",
            "reply_date",
            "received_date",
            "channel",
            "extension_approved",
            "extension_days",
            "outcome",
            "extension_approved_on",
            "paused",
        ),
        # The few requests the running counts judge without all they depend on, found without
        # reading the year's others: the paused ones (with what fixes their deadline, which their
        # correction reads from the index alone), and those whose extension has an approval date.
        # Partial indexes, so SQLite and PostgreSQL only (MariaDB has none: it reads them from
        # ix_disclosure_request_reply).
        _partial(
            "ix_disclosure_request_paused",
            "paused = 1",
            "paused",
            "received_date",
            "channel",
            "extension_approved",
            "extension_days",
            "extension_approved_on",
        ),
        _partial("ix_disclosure_request_ext_dated", "extension_approved_on IS NOT NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    request_no: Mapped[str] = mapped_column(String(60))
    received_date: Mapped[dt.date] = mapped_column(Date)
    received_year: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    applicant_type: Mapped[str] = mapped_column(String(20))
    # Personal fields: shown only to staff and admin of the unit, never on the screen.
    applicant_name: Mapped[str | None] = mapped_column(String(100))
    applicant_contact: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(1000))
    extension_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    # The day the extension was approved (延期批准日期); None when not recorded.
    extension_approved_on: Mapped[dt.date | None] = mapped_column(Date)
    reply_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(60))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    # Bumped by every form save (its pauses included); a form's save is refused unless the row
    # still has the version and batch it loaded (data_access.write.records, optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # Whether the request has any pause: kept by triggers on request_pause
    # (data_access.store.tally.pauses), never written by the application.
    paused: Mapped[bool] = mapped_column(Boolean, server_default=false())

    pauses: Mapped[list[RequestPause]] = relationship(back_populates="request", cascade="all, delete-orphan")
    parts: Mapped[list[RequestPart]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestPart.seq"
    )


class RequestPause(Base):
    """Time not counted against a request's deadline: a 补正 wait or a third-party consultation."""

    __tablename__ = "request_pause"
    __table_args__ = (CheckConstraint(in_sql("kind", PAUSE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))

    request: Mapped[DisclosureRequest] = relationship(back_populates="pauses")


class RequestPart(Base):
    """One part of a request and its outcome: a request asking for several things may be answered
    differently for each. `is_main` marks the one the 2021 table counts the request under (the
    request's own `outcome` holds the same outcome); the register shows them all."""

    __tablename__ = "request_part"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_request.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(60))
    is_main: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[DisclosureRequest] = relationship(back_populates="parts")


class Appeal(Base):
    """An administrative reconsideration, a lawsuit, or a complaint (申诉举报)."""

    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint(in_sql("kind", APPEAL_KINDS), name="kind"),
        CheckConstraint(
            "litigation_path IS NULL OR " + in_sql("litigation_path", LITIGATION_PATHS),
            name="litigation_path",
        ),
        CheckConstraint("result IS NULL OR " + in_sql("result", APPEAL_RESULTS), name="result"),
        Index("ix_appeal_scope", "unit_id", "filed_year", "kind"),
        Index("ix_appeal_filed", "unit_id", "kind", "filed_date", "filed_year", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_request.id"))
    kind: Mapped[str] = mapped_column(String(20))
    litigation_path: Mapped[str | None] = mapped_column(String(30))
    filed_date: Mapped[dt.date] = mapped_column(Date)
    filed_year: Mapped[int] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(20))
    closed_date: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(String(1000))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    # A complaint's source channel (rules.vocab.COMPLAINT_SOURCES) and how it was handled (0017).
    source: Mapped[str | None] = mapped_column(String(20))
    handling: Mapped[str | None] = mapped_column(String(1000))


class Board(Base):
    """A bulletin board (公开栏) or the lobby LED screen."""

    __tablename__ = "board"
    __table_args__ = (
        UniqueConstraint("unit_id", "name"),
        CheckConstraint(in_sql("kind", BOARD_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="other")


class BoardUpdate(Base):
    """One renewal, update or repair of a board."""

    __tablename__ = "board_update"
    __table_args__ = (
        CheckConstraint(in_sql("kind", BOARD_UPDATE_KINDS), name="kind"),
        Index("ix_board_update_board_kind", "board_id", "update_date", "kind"),  # the kind: migration 0028
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    update_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(500))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)


class Delivery(Base):
    """Delivery of one month's published material to the city archive or library."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("unit_id", "period_ym", "recipient"),
        CheckConstraint(in_sql("recipient", RECIPIENTS), name="recipient"),
        CheckConstraint("item_count >= 0", name="item_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    period_ym: Mapped[int] = mapped_column(Integer)  # the month covered, YYYYMM
    recipient: Mapped[str] = mapped_column(String(10))
    delivered_date: Mapped[dt.date | None] = mapped_column(Date)
    item_count: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # as DisclosureRequest.version


class PolicyInterpretation(Base):
    """A policy interpretation (政策解读) published by the unit."""

    __tablename__ = "policy_interpretation"
    __table_args__ = (Index("ix_policy_interpretation_date", "unit_id", "published_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    published_date: Mapped[dt.date] = mapped_column(Date)
    published_year: Mapped[int] = mapped_column(Integer)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)


class HotlineDuty(Base):
    """A turn on the hotline duty (the unit's profile names it: a mayor's hotline, 12345 …) answered
    by one of the unit's leaders."""

    __tablename__ = "hotline_duty"
    __table_args__ = (Index("ix_hotline_duty_date", "unit_id", "duty_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    duty_date: Mapped[dt.date] = mapped_column(Date)
    duty_year: Mapped[int] = mapped_column(Integer)
    official: Mapped[str] = mapped_column(String(60))
    topics: Mapped[str | None] = mapped_column(String(500))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
