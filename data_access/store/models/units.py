"""What the office is and how it is set up: its units and their levels, the catalogue and topics,
the annual targets, and the lobby screen's playlist."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data_access.store.models.base import Base


class UnitLevel(Base):
    """A level of the unit tree: 省, 市, 区（县）, 街道（乡镇）, 社区（村）, 部门 (rules.vocab.UNIT_LEVELS,
    inserted by migration 0013) or an office's own, added by an admin. Levels are labels only: any
    level may sit under any other, at any depth."""

    __tablename__ = "unit_level"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(40), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class OrgUnit(Base):
    """A unit of the tree (any depth: 省 → 市 → 区 → 街道 → 社区, departments under any of them),
    with its profile: the words its reports, letters and screen use (store.reference.unit_profile
    fills in what is left empty)."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(ForeignKey("unit_level.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The public phone (政务热线 number) shown on the screen and in letters; inherited downwards.
    hotline: Mapped[str | None] = mapped_column(String(40))
    # Full name for letters, e.g. XX市人民政府XX街道办事处 (empty: the name).
    full_name: Mapped[str | None] = mapped_column(String(200))
    # The archive and the library the unit delivers to (empty: the nearest ancestor's, else 档案馆/图书馆).
    archive_name: Mapped[str | None] = mapped_column(String(100))
    library_name: Mapped[str | None] = mapped_column(String(100))
    # The hotline duty its leaders take turns on, e.g. 12345热线 (empty: none, and no sentence about it).
    hotline_name: Mapped[str | None] = mapped_column(String(100))
    # Who signs the annual report (empty: the full name, else the name).
    signature: Mapped[str | None] = mapped_column(String(200))

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
