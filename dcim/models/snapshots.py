"""Daily utilization snapshots, the history behind trends and forecasts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dcim.sqltypes import Milli

from .base import Base


class UtilizationSnapshot(Base):
    """Used and usable of one resource on one day.

    ``resource`` is ``space``, ``power``, ``ups``, ``bandwidth``, ``ip`` or
    ``domain``; ``scope`` narrows it (``total``, a rack, a feed, a UPS, an
    uplink, an IP role, a zone). One row per day, resource and scope.
    """

    __tablename__ = "utilization_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    resource: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(200))
    used: Mapped[Decimal] = mapped_column(Milli())
    usable: Mapped[Decimal] = mapped_column(Milli())

    __table_args__ = (
        UniqueConstraint("day", "resource", "scope", name="uq_snapshot_day_resource_scope"),
    )
