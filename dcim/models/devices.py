"""Installed equipment and its power connections."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Milli, in_choices
from .choices import DeviceStatus, Face

if TYPE_CHECKING:
    from .circuits import Uplink
    from .ipam import IPAddress
    from .power import PowerFeed
    from .racks import Rack
    from .reservations import Reservation
    from .tenancy import Tenant


class Device(Base):
    """A server, switch or appliance mounted in a rack.

    It takes units ``position .. position + u_height - 1`` on its face (both
    faces when ``full_depth``), draws ``power_w`` through the feeds it is
    connected to and commits ``bandwidth_mbps`` on its uplink. Every status
    occupies these resources: a planned server still needs its space.
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="RESTRICT"), index=True
    )
    rack_id: Mapped[int] = mapped_column(ForeignKey("racks.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    u_height: Mapped[int] = mapped_column(Integer)
    face: Mapped[str] = mapped_column(String(10), default=Face.FRONT.value)
    full_depth: Mapped[bool] = mapped_column(default=True)
    weight_kg: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    power_w: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    uplink_id: Mapped[int | None] = mapped_column(
        ForeignKey("uplinks.id", ondelete="RESTRICT"), index=True
    )
    bandwidth_mbps: Mapped[Decimal] = mapped_column(Milli(), default=Decimal(0))
    model: Mapped[str | None] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=DeviceStatus.ACTIVE.value)

    tenant: Mapped[Tenant | None] = relationship()
    rack: Mapped[Rack] = relationship()
    uplink: Mapped[Uplink | None] = relationship()
    connections: Mapped[list[PowerConnection]] = relationship(
        back_populates="device",
        order_by="PowerConnection.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    addresses: Mapped[list[IPAddress]] = relationship(
        back_populates="device", order_by="IPAddress.id"
    )

    __table_args__ = (
        CheckConstraint("u_height >= 1", name="u_height_positive"),
        CheckConstraint("position >= 1", name="position_positive"),
        in_choices("face", Face),
        CheckConstraint("weight_kg >= 0", name="weight_not_negative"),
        CheckConstraint("power_w >= 0", name="power_not_negative"),
        CheckConstraint("bandwidth_mbps >= 0", name="bandwidth_not_negative"),
        CheckConstraint(
            "bandwidth_mbps = 0 OR uplink_id IS NOT NULL", name="bandwidth_needs_uplink"
        ),
        in_choices("status", DeviceStatus),
    )

    @property
    def top_unit(self) -> int:
        """The highest unit the device occupies."""
        return self.position + self.u_height - 1

    def __repr__(self) -> str:
        return f"<Device {self.name}>"


class PowerConnection(Base):
    """A power supply of a device or hold plugged into a feed.

    Exactly one of ``device_id`` and ``reservation_id`` is set; a feed
    appears at most once per owner.
    """

    __tablename__ = "power_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("power_feeds.id", ondelete="RESTRICT"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE")
    )

    feed: Mapped[PowerFeed] = relationship()
    device: Mapped[Device | None] = relationship(back_populates="connections")
    reservation: Mapped[Reservation | None] = relationship(back_populates="connections")

    __table_args__ = (
        CheckConstraint("(device_id IS NULL) <> (reservation_id IS NULL)", name="one_owner"),
        UniqueConstraint("feed_id", "device_id", name="uq_power_connections_feed_device"),
        UniqueConstraint("feed_id", "reservation_id", name="uq_power_connections_feed_reservation"),
        Index("ix_power_connections_device", "device_id"),
        Index("ix_power_connections_reservation", "reservation_id"),
    )
