"""DNS: the zones the data center manages, their records, and names held for requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

if TYPE_CHECKING:
    from .reservations import Reservation


class Zone(Base):
    """A DNS zone, named in lower case IDNA form without the trailing dot."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(253), unique=True)

    records: Mapped[list[Record]] = relationship(
        back_populates="zone",
        order_by="Record.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Zone {self.name}>"


class Record(Base):
    """A resource record; ``name`` is relative to its zone (``@`` for the apex), normalised."""

    __tablename__ = "dns_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(253))
    type: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(Text)
    ttl: Mapped[int | None] = mapped_column(Integer)

    zone: Mapped[Zone] = relationship(back_populates="records")

    __table_args__ = (
        CheckConstraint("ttl IS NULL OR ttl >= 0", name="ttl_not_negative"),
        Index("ix_dns_records_zone_name", "zone_id", "name"),
        # The delegations (NS below the apex) of a zone are read by every check of a name,
        # from the index alone (migration 0015: SQLite's statistics did not pick it without).
        Index("ix_dns_records_zone_type", "zone_id", "type", "name"),
    )

    def __repr__(self) -> str:
        return f"<Record {self.name} {self.type} {self.value}>"


class NameClaim(Base):
    """A fully qualified name held by a reservation, unique so no two holds take one name."""

    __tablename__ = "dns_name_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    fqdn: Mapped[str] = mapped_column(String(253), unique=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="SET NULL"))
    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), index=True
    )

    reservation: Mapped[Reservation] = relationship(back_populates="names")
