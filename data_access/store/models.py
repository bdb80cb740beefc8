"""The whole product's data model (SQLAlchemy 2.0 typed models).

Glossary: ../README.md and DOMAIN names — publication (主动公开), disclosure_request
(依申请公开), project / project_progress (重点项目), board / board_update (公开栏),
delivery (送交两馆), appeal (行政复议/诉讼/申诉举报), org_unit (街道/社区).
Every imported row points at the upload batch that brought it (`batch_id`).
Strings carry lengths and text that must be indexed stays a VARCHAR so the same
schema works on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from data_access.rules.vocab import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    APPLICANT_TYPES,
    ATTRIBUTES,
    BATCH_STATUSES,
    BOARD_KINDS,
    BOARD_UPDATE_KINDS,
    LITIGATION_PATHS,
    PAUSE_KINDS,
    PUBLICATION_CHANNELS,
    RECIPIENTS,
    RECORD_KINDS,
    REQUEST_CHANNELS,
    ROLES,
    UNIT_LEVELS,
)

# Named constraints so Alembic can alter them later (and SQLite batch mode can rebuild).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(14, 2)  # 万元, two decimals


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class OrgUnit(Base):
    """A unit in the hierarchy city → sub-district → community/department."""

    __tablename__ = "org_unit"
    __table_args__ = (CheckConstraint(_in("level", UNIT_LEVELS), name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    hotline: Mapped[str | None] = mapped_column(String(40))

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


class Category(Base):
    """The catalogue (政务公开目录): three levels with index codes, e.g. 06 / 0601 / 060101."""

    __tablename__ = "category"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The level-one category this row rolls up to (itself for level one): saves a
    # recursive join in every statistics query.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))


class Topic(Base):
    """A 重点领域 topic: 财政资金, 重大建设项目, 公共服务, 监督检查, 其他."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class AppUser(Base):
    """A person who logs in; the password is stored only as an argon2 hash."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    """Append-only record of logins, uploads, undos, settings and exports."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))


# The keys of spreadsheet uploads: monthly kinds store 'YYYY-MM', yearly kinds 'YYYY' or ''
# (importing.kinds.SPECS). Forms (data_access.write.records) file their batches of yearly kinds under
# the record's month 'YYYY-MM', so they never share a key with a spreadsheet and may coexist.
MONTHLY_UPLOAD_KINDS = ("publications", "projects")
YEARLY_UPLOAD_KINDS = ("requests", "boards", "deliveries")
ACTIVE_UPLOAD_SQL = (
    f"CASE WHEN status = 'active' AND ({_in('kind', MONTHLY_UPLOAD_KINDS)} OR "
    f"({_in('kind', YEARLY_UPLOAD_KINDS)} AND length(period_key) <> 7)) THEN 1 END"
)


class UploadBatch(Base):
    """One uploaded file (or the seed): who, when, what, and whether it is in force.

    The unique constraint makes two simultaneous uploads of the same file for the
    same (kind, unit, period) produce one batch, not two. `active_upload` is 1 while the
    batch is the spreadsheet upload in force for its (kind, unit, period) and NULL
    otherwise (computed by the database), and a unique index on it lets the database hold
    at most one such batch per key, whoever writes.
    """

    __tablename__ = "upload_batch"
    __table_args__ = (
        UniqueConstraint("kind", "unit_id", "period_key", "file_hash"),
        CheckConstraint(_in("kind", RECORD_KINDS), name="kind"),
        CheckConstraint(_in("status", BATCH_STATUSES), name="status"),
        Index("ix_upload_batch_scope", "kind", "unit_id", "period_key", "status"),
        Index("uq_upload_batch_active_upload", "kind", "unit_id", "period_key", "active_upload", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    # 'YYYY-MM' for monthly files, 'YYYY' for yearly ones, '' when rows carry their own dates.
    period_key: Mapped[str] = mapped_column(String(7), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    status: Mapped[str] = mapped_column(String(20), default="active")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batch.id"))
    note: Mapped[str | None] = mapped_column(Text)
    active_upload: Mapped[int | None] = mapped_column(
        SmallInteger, Computed(ACTIVE_UPLOAD_SQL, persisted=True)
    )


class UploadLock(Base):
    """The row an upload or an undo of (kind, unit) locks first (data_access.write.importing.batches.lock).

    Writers for the same kind and unit queue on it (an upsert takes the row lock on
    PostgreSQL and MariaDB; SQLite's writers are serial anyway) and read the database only
    once they hold it. `version` counts the writes that took it.
    """

    __tablename__ = "upload_lock"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Publication(Base):
    """An item of the proactive publication register (主动公开信息目录)."""

    __tablename__ = "publication"
    __table_args__ = (
        UniqueConstraint("unit_id", "index_no"),
        CheckConstraint(_in("attribute", ATTRIBUTES), name="attribute"),
        CheckConstraint(_in("channel", PUBLICATION_CHANNELS), name="channel"),
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
        Index("ix_project_progress_scope", "unit_id", "year", "month"),
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


class DisclosureRequest(Base):
    """A request for disclosure (依申请公开), with its outcome in the 2021 categories.

    `outcome` holds the 2021 report's wording, e.g. '予以公开', '部分公开',
    '不予公开-个人隐私', '无法提供-本机关不掌握相关政府信息'; the old four replies are
    derived from it (data_access.rules.vocab.old_reply).
    """

    __tablename__ = "disclosure_request"
    __table_args__ = (
        UniqueConstraint("unit_id", "request_no"),
        CheckConstraint(_in("channel", REQUEST_CHANNELS), name="channel"),
        CheckConstraint(_in("applicant_type", APPLICANT_TYPES), name="applicant_type"),
        CheckConstraint("extension_days BETWEEN 0 AND 20", name="extension_days"),
        Index("ix_disclosure_request_scope", "unit_id", "received_year", "channel"),
        # Open requests (no reply date) and the year's answered ones, grouped by what fixes the deadline.
        Index(
            "ix_disclosure_request_reply",
            "unit_id",
            "reply_date",
            "received_date",
            "channel",
            "extension_approved",
            "extension_days",
            "outcome",
        ),
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
    reply_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(60))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    # Bumped by every form save (its pauses included); a form's save is refused unless the row
    # still has the version and batch it loaded (data_access.write.records, optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    pauses: Mapped[list[RequestPause]] = relationship(back_populates="request", cascade="all, delete-orphan")


class RequestPause(Base):
    """Time not counted against a request's deadline: a 补正 wait or a third-party consultation."""

    __tablename__ = "request_pause"
    __table_args__ = (CheckConstraint(_in("kind", PAUSE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("disclosure_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))

    request: Mapped[DisclosureRequest] = relationship(back_populates="pauses")


class Appeal(Base):
    """An administrative reconsideration, a lawsuit, or a complaint (申诉举报)."""

    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint(_in("kind", APPEAL_KINDS), name="kind"),
        CheckConstraint(
            "litigation_path IS NULL OR " + _in("litigation_path", LITIGATION_PATHS),
            name="litigation_path",
        ),
        CheckConstraint("result IS NULL OR " + _in("result", APPEAL_RESULTS), name="result"),
        Index("ix_appeal_scope", "unit_id", "filed_year", "kind"),
        Index("ix_appeal_filed", "unit_id", "kind", "filed_date"),
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


class Board(Base):
    """A bulletin board (公开栏) or the lobby LED screen."""

    __tablename__ = "board"
    __table_args__ = (
        UniqueConstraint("unit_id", "name"),
        CheckConstraint(_in("kind", BOARD_KINDS), name="kind"),
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
        CheckConstraint(_in("kind", BOARD_UPDATE_KINDS), name="kind"),
        Index("ix_board_update_board_date", "board_id", "update_date"),
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
        CheckConstraint(_in("recipient", RECIPIENTS), name="recipient"),
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
    """A turn on the 市长专线 (mayor's hotline) answered by one of the unit's leaders."""

    __tablename__ = "hotline_duty"
    __table_args__ = (Index("ix_hotline_duty_date", "unit_id", "duty_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    duty_date: Mapped[dt.date] = mapped_column(Date)
    duty_year: Mapped[int] = mapped_column(Integer)
    official: Mapped[str] = mapped_column(String(60))
    topics: Mapped[str | None] = mapped_column(String(500))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)


class AnnualTarget(Base):
    """An annual target, per unit, year and (optionally) category; NULL category = total."""

    __tablename__ = "annual_target"
    __table_args__ = (UniqueConstraint("unit_id", "year", "metric", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(40))  # e.g. 'publications'
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # Written only through the ORM: every UPDATE/DELETE checks and bumps it (version_id_col), and
    # the targets editor refuses a save whose loaded versions are no longer current.
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class WorkdayOverride(Base):
    """A day whose working status the office entered itself; wins over the library calendar."""

    __tablename__ = "workday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str | None] = mapped_column(String(60))


class PublicationDue(Base):
    """Each day's publication due date (the 20th working day after it) under the current calendar,
    kept by data_access.store.publication_due so the running counts can judge timeliness in SQL."""

    __tablename__ = "publication_due"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    due: Mapped[dt.date] = mapped_column(Date)


class WorkdayCount(Base):
    """For each day, how many working days lie between 1990-01-01 and it (before it / through it)
    under the current calendar, kept by data_access.store.publication_due: the n-th working day after a
    day, and so a request's on-time judgement, becomes arithmetic the database can do."""

    __tablename__ = "workday_count"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    before_n: Mapped[int] = mapped_column(Integer)
    through_n: Mapped[int] = mapped_column(Integer)


class ScreenSlide(Base):
    """One entry of the lobby screen's playlist: which slide, in what order, for how long."""

    __tablename__ = "screen_slide"
    __table_args__ = (
        UniqueConstraint("unit_id", "slide_key"),
        CheckConstraint("seconds BETWEEN 3 AND 600", name="seconds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    slide_key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer, default=15)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class StatTally(Base):
    """Running counts per unit, dim and month, kept exact by database triggers (data_access.store.tally)."""

    __tablename__ = "stat_tally"
    __table_args__ = {"sqlite_with_rowid": False}

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    dim: Mapped[str] = mapped_column(String(2), primary_key=True)
    attribute: Mapped[str] = mapped_column(String(20), primary_key=True)
    ym: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class AppMeta(Base):
    """Small key/value facts about the database, e.g. the data version caches key on."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ImportChange(Base):
    """What one upload did to a live row, so undo restores it exactly (data_access.write.importing).

    op 'insert': the batch created the row (only logged for tables without batch_id);
    'update' / 'delete': the row existed, `before` holds its JSON image before the batch.
    """

    __tablename__ = "import_change"
    __table_args__ = (
        CheckConstraint(_in("op", ("insert", "update", "delete")), name="op"),
        Index("ix_import_change_row", "table_name", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    before: Mapped[str | None] = mapped_column(Text)


class LoginSession(Base):
    """One login a browser's cookie stands for, checked on the server (data_access.write.auth).

    The cookie's value is never stored: `token_hash` is its keyed hash (HMAC with the session
    secret). `handoff_hash` is the hash of a one-time code the browser trades, within a minute of
    logging in, for the HttpOnly cookie. Logging out, a password change and disabling the user
    set `revoked_at`; a row is deleted a day after it expired."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(100))


class LoginThrottle(Base):
    """Failed logins from one client address, so every process delays the same guesser."""

    __tablename__ = "login_throttle"

    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
