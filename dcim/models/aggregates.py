"""Totals the database maintains for what never expires: what installed devices use.

Migration 0009 creates these tables and the triggers that keep them, in the
same transaction as any write to ``devices``, ``power_connections``,
``power_feeds`` or ``ip_addresses`` (a load, an
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

from dcim.sqltypes import Milli

from .base import Base


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


class DeviceFeedShare(Base):
    """One device's contribution to one feed: its power, and over how many feeds it spreads.

    Rebuilt by the triggers whenever the device's connections or power change;
    ``feed_device_totals`` is the sum of these rows.
    """

    __tablename__ = "device_feed_shares"

    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("power_feeds.id", ondelete="CASCADE"), primary_key=True
    )
    feeds_of_device: Mapped[int] = mapped_column()
    power_w: Mapped[Decimal] = mapped_column(Milli())


class DeviceUPSShare(Base):
    """One device's contribution to one UPS: its power, m of its n feeds on this UPS."""

    __tablename__ = "device_ups_shares"

    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    ups_id: Mapped[int] = mapped_column(ForeignKey("ups.id", ondelete="CASCADE"), primary_key=True)
    feeds_on_ups: Mapped[int] = mapped_column()
    feeds_of_device: Mapped[int] = mapped_column()
    power_w: Mapped[Decimal] = mapped_column(Milli())


class FeedDeviceTotal(Base):
    """Installed devices' power on a feed, grouped by how many feeds each device spreads over.

    The full draw (2N) is the sum of ``power_w``; the even share (N) is the sum
    of ``power_w / feeds_of_device``, exact because the rows are grouped by it.
    """

    __tablename__ = "feed_device_totals"

    feed_id: Mapped[int] = mapped_column(
        ForeignKey("power_feeds.id", ondelete="CASCADE"), primary_key=True
    )
    feeds_of_device: Mapped[int] = mapped_column(primary_key=True)
    power_w: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    devices: Mapped[int] = mapped_column(default=0)


class UPSDeviceTotal(Base):
    """Installed devices' power on a UPS, grouped by (their feeds on it, all their feeds).

    Each device counts once per UPS at full draw (2N: the sum of ``power_w``)
    and for ``feeds_on_ups / feeds_of_device`` of it as an even share (N).
    """

    __tablename__ = "ups_device_totals"

    ups_id: Mapped[int] = mapped_column(ForeignKey("ups.id", ondelete="CASCADE"), primary_key=True)
    feeds_on_ups: Mapped[int] = mapped_column(primary_key=True)
    feeds_of_device: Mapped[int] = mapped_column(primary_key=True)
    power_w: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    devices: Mapped[int] = mapped_column(default=0)
