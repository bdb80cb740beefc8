"""Publication registers (登记册: 政府网站, 政务新媒体, 政府公报, 公开栏, 其他 and the office's own) and
which registers list each publication.

A register is where the office keeps a list of what it published; it is not the item's 公开渠道
(`publication.channel`, one value per item that the old-format report and the running counts read).
One item (one `publication` row, unique on (unit, 索引号)) may be listed in several registers:
`publication_listing` holds one row per (item, register), pointing at the upload batch that listed
it. The statistics count `publication` rows (each item once); the per-register counts count
listings. A publications upload replaces only the listings of its own (unit, month, register): an
item still listed in another register stays.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.store.models.base import Base


class PublicationRegister(Base):
    """A register the office keeps (the five built-in ones and those an admin adds)."""

    __tablename__ = "publication_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class PublicationListing(Base):
    """One item listed in one register, by the batch that listed it."""

    __tablename__ = "publication_listing"
    __table_args__ = (
        UniqueConstraint("publication_id", "register"),
        Index("ix_publication_listing_unit", "unit_id", "register"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    register: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
