"""Holds: capacity set aside for an accepted request until its server is installed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.choices import HoldStatus

from .base import Base, in_choices
from .placement import Placement, placement_checks

if TYPE_CHECKING:
    from .devices import Device, PowerConnection
    from .dns import NameClaim
    from .ipam import IPAddress


class Reservation(Placement, Base):
    """A hold: the rack units, feed load, bandwidth, addresses and names of an accepted request.

    A hold counts while ``status`` is ``held`` and the evaluation date is on
    or before ``expires_at``. Committing it turns it into a :class:`Device`;
    releasing or expiring it frees its claims. Ended holds stay as history.

    ``expires_at`` is either counted, ``working_days`` working days after
    ``counted_from`` (a hold made by ``reserve``; a local holiday declared
    later counts it again), or written (both None: an inventory file's date,
    a letter's delivery date), and then it stays as written.
    """

    __tablename__ = "reservations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    request_number: Mapped[str | None] = mapped_column(String(100))
    # tenant_id, rack_id, position ... bandwidth_mbps and their relationships: Placement.
    expires_at: Mapped[date] = mapped_column(Date)
    counted_from: Mapped[date | None] = mapped_column(Date)
    working_days: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=HoldStatus.HELD.value)
    model: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))

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
        *placement_checks(),
        in_choices("status", HoldStatus),
        Index("ix_reservations_live", "status", "expires_at"),
        Index("ix_reservations_tenant_id", "tenant_id"),
        Index("ix_reservations_rack_id", "rack_id"),
    )

    def is_live(self, on: date) -> bool:
        """Whether the hold still occupies its resources on the given date."""
        return self.status == HoldStatus.HELD and self.expires_at >= on

    def __repr__(self) -> str:
        return f"<Reservation {self.code}>"
