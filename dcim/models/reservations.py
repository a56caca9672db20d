"""Holds: capacity set aside for an accepted request until its server is installed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Milli, in_choices
from .choices import Face, HoldStatus

if TYPE_CHECKING:
    from .circuits import Uplink
    from .devices import Device, PowerConnection
    from .dns import NameClaim
    from .ipam import IPAddress
    from .racks import Rack
    from .tenancy import Tenant


class Reservation(Base):
    """A hold: the rack units, feed load, bandwidth, addresses and names of an accepted request.

    A hold counts while ``status`` is ``held`` and the evaluation date is on
    or before ``expires_at``. Committing it turns it into a :class:`Device`;
    releasing or expiring it frees its claims. Ended holds stay as history.
    """

    __tablename__ = "reservations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    request_number: Mapped[str | None] = mapped_column(String(100))
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
    expires_at: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=HoldStatus.HELD.value)
    model: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))

    tenant: Mapped[Tenant | None] = relationship()
    rack: Mapped[Rack] = relationship()
    uplink: Mapped[Uplink | None] = relationship()
    device: Mapped[Device | None] = relationship()
    connections: Mapped[list[PowerConnection]] = relationship(
        back_populates="reservation",
        order_by="PowerConnection.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    addresses: Mapped[list[IPAddress]] = relationship(
        back_populates="reservation", order_by="IPAddress.id", passive_deletes=True
    )
    names: Mapped[list[NameClaim]] = relationship(
        back_populates="reservation",
        order_by="NameClaim.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("u_height >= 1", name="u_height_positive"),
        CheckConstraint("position >= 1", name="position_positive"),
        in_choices("face", Face),
        CheckConstraint("weight_kg >= 0", name="weight_not_negative"),
        CheckConstraint("power_w >= 0", name="power_not_negative"),
        CheckConstraint("bandwidth_mbps >= 0", name="bandwidth_not_negative"),
        in_choices("status", HoldStatus),
        Index("ix_reservations_live", "status", "expires_at"),
    )

    def is_live(self, on: date) -> bool:
        """Whether the hold still occupies its resources on the given date."""
        return self.status == HoldStatus.HELD and self.expires_at >= on

    def __repr__(self) -> str:
        return f"<Reservation {self.code}>"
