"""Uplinks: internet or WAN links whose bandwidth is committed to servers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.sqltypes import Milli

from .base import Base

if TYPE_CHECKING:
    from .sites import Site


class Uplink(Base):
    """A link of ``capacity_mbps``; usable bandwidth is that times the policy's oversubscription."""

    __tablename__ = "uplinks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    capacity_mbps: Mapped[Decimal] = mapped_column(Milli())

    site: Mapped[Site] = relationship()

    __table_args__ = (CheckConstraint("capacity_mbps > 0", name="capacity_positive"),)

    def __repr__(self) -> str:
        return f"<Uplink {self.name}>"
