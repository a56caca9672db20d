"""Racks and the units they hold."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.choices import FREE_UNITS, Face, RackStatus, UnitClaimKind

# The rack height bounds are the inventory file's (one light module, no model imported there).
from dcim.inventory.fields import DEFAULT_RACK_UNITS, MAX_RACK_UNITS
from dcim.sqltypes import Milli

from .base import Base, in_choices, sql_text

if TYPE_CHECKING:
    from .devices import Device
    from .power import PowerFeed
    from .reservations import Reservation
    from .sites import Site


class Rack(Base):
    """A cabinet of ``u_height`` units numbered 1 (bottom) upwards.

    Only ``active`` racks take new equipment. Units listed as unusable
    (blanking, cable trays, damage) hold nothing on either face.
    """

    __tablename__ = "racks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    u_height: Mapped[int] = mapped_column(Integer, default=DEFAULT_RACK_UNITS)
    status: Mapped[str] = mapped_column(String(20), default=RackStatus.ACTIVE.value)
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Milli())
    # Kept by database triggers on rack_units (see migration 0003); never written by the application.
    taken_front: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    taken_rear: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Kept by the same triggers (migration 0014): one character per unit, bottom up, for each
    # face: "0" free, "1" claimed by a device or a hold, "x" unusable. The check reads a rack's
    # free runs from these two short strings instead of every claimed unit.
    front_units: Mapped[str] = mapped_column(
        String(MAX_RACK_UNITS), default=FREE_UNITS, server_default=FREE_UNITS
    )
    rear_units: Mapped[str] = mapped_column(
        String(MAX_RACK_UNITS), default=FREE_UNITS, server_default=FREE_UNITS
    )

    site: Mapped[Site] = relationship()
    feeds: Mapped[list[PowerFeed]] = relationship(back_populates="rack", order_by="PowerFeed.id")
    units: Mapped[list[RackUnit]] = relationship(
        back_populates="rack", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(f"u_height >= 1 AND u_height <= {MAX_RACK_UNITS}", name="u_height_range"),
        in_choices("status", RackStatus),
        CheckConstraint(
            "max_weight_kg IS NULL OR max_weight_kg >= 0", name="max_weight_not_negative"
        ),
    )

    def __repr__(self) -> str:
        return f"<Rack {self.name}>"


class RackUnit(Base):
    """One occupied unit on one face of a rack: the claim that makes double-booking impossible.

    A device or hold writes one row per unit and face it takes (both faces
    when full-depth); an unusable unit is two rows of kind ``unusable``. The
    primary key ``(rack_id, unit, face)`` lets the database refuse a second
    occupant of the same unit even when two writers race.
    """

    __tablename__ = "rack_units"

    rack_id: Mapped[int] = mapped_column(
        ForeignKey("racks.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[int] = mapped_column(Integer, primary_key=True)
    face: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE")
    )

    rack: Mapped[Rack] = relationship(back_populates="units")
    device: Mapped[Device | None] = relationship()
    reservation: Mapped[Reservation | None] = relationship()

    __table_args__ = (
        CheckConstraint(f"unit >= 1 AND unit <= {MAX_RACK_UNITS}", name="unit_range"),
        in_choices("face", Face),
        CheckConstraint(
            f"(kind = {sql_text(UnitClaimKind.DEVICE)} AND device_id IS NOT NULL"
            " AND reservation_id IS NULL)"
            f" OR (kind = {sql_text(UnitClaimKind.HOLD)} AND reservation_id IS NOT NULL"
            " AND device_id IS NULL)"
            f" OR (kind = {sql_text(UnitClaimKind.UNUSABLE)} AND device_id IS NULL"
            " AND reservation_id IS NULL)",
            name="one_occupant",
        ),
        Index("ix_rack_units_device", "device_id"),
        Index("ix_rack_units_reservation", "reservation_id"),
        # Free units per rack and face are counted from this index alone.
        Index("ix_rack_units_rack_face", "rack_id", "face"),
    )
