"""Totals the database maintains for what never expires: what installed devices use.

Migration 0009 creates these tables and the triggers that keep them, in the
same transaction as any write to ``devices`` or ``ip_addresses`` (a load, an
edit, a commit, a delete, the NetBox import), so that a check reads one row
per resource instead of summing every device. Live holds expire by date and
are added at query time (:mod:`dcim.occupancy`). Nothing in Python writes
these rows; ``dcim verify`` (:mod:`dcim.aggregates`) recomputes them from
the base rows and reports any difference.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Milli


class DeviceUplinkTotal(Base):
    """Bandwidth installed devices commit on one uplink, and how many devices do."""

    __tablename__ = "device_uplink_totals"

    uplink_id: Mapped[int] = mapped_column(
        ForeignKey("uplinks.id", ondelete="CASCADE"), primary_key=True
    )
    bandwidth_mbps: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    devices: Mapped[int] = mapped_column(default=0)


class PrefixAddressTotal(Base):
    """Address rows recorded in one prefix: device entries and the claims of holds."""

    __tablename__ = "prefix_address_totals"

    prefix_id: Mapped[int] = mapped_column(
        ForeignKey("prefixes.id", ondelete="CASCADE"), primary_key=True
    )
    recorded: Mapped[int] = mapped_column(BigInteger, default=0)
