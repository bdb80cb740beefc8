"""What the office is and how it is set up: its units and their levels, the catalogue schemes and
their items, topics, the annual targets, and the lobby screen's playlist."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
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


class CatalogueScheme(Base):
    """A catalogue (政务公开目录) a unit uses over a span of years, inherited by the units under it.

    A unit's catalogue for year Y is the scheme valid in Y owned by the nearest unit on its path
    to the root (itself first); a scheme without an owner (`unit_id` NULL) is the installation's
    default, used by every unit that finds none on its path. NULL years are open-ended.
    """

    __tablename__ = "catalogue_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    from_year: Mapped[int | None] = mapped_column(Integer)
    to_year: Mapped[int | None] = mapped_column(Integer)


class Category(Base):
    """An item of a catalogue scheme, any number of levels deep, with index codes unique in the
    scheme (e.g. 06 / 0601 / 060101) and the 标准目录 fields.

    `name` is the name the item was created with; a rename from a year is a `CategoryName` row,
    so the name shown for year Y is the latest rename from Y or before. `valid_from`/`valid_to`
    (years, NULL open) retire an item from a year on without touching the years before.
    """

    __tablename__ = "category"
    __table_args__ = (
        CheckConstraint("level >= 1", name="level"),
        UniqueConstraint("scheme_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("catalogue_scheme.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The level-one category this row rolls up to (itself for level one): saves a
    # recursive join in every statistics query.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    # The 标准目录 columns (all optional): the standard 领域 it maps to (roll-ups over units with
    # different catalogues group by it), 公开内容（要素）, 公开依据, 公开时限 as written and parsed
    # (data_access.rules.time_limits), 公开主体, 公开渠道和载体, 公开对象, 公开方式.
    domain: Mapped[str | None] = mapped_column(String(40))
    content: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    time_limit: Mapped[str | None] = mapped_column(String(200))
    limit_kind: Mapped[str | None] = mapped_column(String(20))
    limit_days: Mapped[int | None] = mapped_column(Integer)
    limit_unit: Mapped[str | None] = mapped_column(String(10))
    limit_period: Mapped[str | None] = mapped_column(String(10))
    subject: Mapped[str | None] = mapped_column(String(200))
    channels: Mapped[str | None] = mapped_column(String(200))
    audience: Mapped[str | None] = mapped_column(String(100))
    manner: Mapped[str | None] = mapped_column(String(40))


class CategoryName(Base):
    """A catalogue item's name from a year on (a rename that leaves the earlier years as they were)."""

    __tablename__ = "category_name"
    __table_args__ = (UniqueConstraint("category_id", "from_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    from_year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


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
