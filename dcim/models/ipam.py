"""IP address management: prefixes (pools by role) and the addresses in use."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.choices import IPStatus

from .base import Base, in_choices

if TYPE_CHECKING:
    from .devices import Device
    from .reservations import Reservation
    from .sites import Site

# Offsets from a prefix's network address are stored as signed 64-bit integers;
# a larger IPv6 offset is stored as NULL and is never reached by first-available.
MAX_HOST_OFFSET = 2**63 - 1


def network_key(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    """A fixed-width hex key that sorts prefixes of one family in address order."""
    return f"{int(network.network_address):032x}"


def host_offset(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
    network: ipaddress.IPv4Network | ipaddress.IPv6Network,
) -> int | None:
    """The address's distance from the network address, or None when it does not fit 63 bits."""
    offset = int(address) - int(network.network_address)
    return offset if offset <= MAX_HOST_OFFSET else None


class Prefix(Base):
    """An IPv4 or IPv6 pool that serves requests asking for addresses by ``role``.

    Usable addresses exclude the network and broadcast addresses (IPv4 /30 or
    shorter) or the subnet-router anycast address (IPv6 /126 or shorter) unless
    ``is_pool``, the ``gateway``, and every reserved range.
    """

    __tablename__ = "prefixes"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(50), unique=True)
    family: Mapped[int] = mapped_column(Integer)
    network_key: Mapped[str] = mapped_column(String(32))
    prefix_length: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="RESTRICT"), index=True
    )
    vlan: Mapped[int | None] = mapped_column(Integer)
    gateway: Mapped[str | None] = mapped_column(String(45))
    is_pool: Mapped[bool] = mapped_column(default=False)
    # No usable address below this offset is free. Triggers lower it when an address is
    # deleted or the prefix's rules change (migration 0003); allocation raises it.
    free_hint: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    site: Mapped[Site | None] = relationship()
    reserved_ranges: Mapped[list[PrefixReservedRange]] = relationship(
        back_populates="prefix",
        order_by="PrefixReservedRange.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("family IN (4, 6)", name="family_valid"),
        CheckConstraint("prefix_length >= 0 AND prefix_length <= 128", name="length_range"),
        Index("ix_prefixes_role_order", "family", "role", "network_key"),
    )

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        """The prefix as an ``ipaddress`` network."""
        return ipaddress.ip_network(self.prefix)

    def __repr__(self) -> str:
        return f"<Prefix {self.prefix} {self.role}>"


class PrefixReservedRange(Base):
    """An inclusive range of addresses inside a prefix that is never allocated."""

    __tablename__ = "prefix_reserved_ranges"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix_id: Mapped[int] = mapped_column(
        ForeignKey("prefixes.id", ondelete="CASCADE"), index=True
    )
    first: Mapped[str] = mapped_column(String(45))
    last: Mapped[str] = mapped_column(String(45))

    prefix: Mapped[Prefix] = relationship(back_populates="reserved_ranges")

    @property
    def text(self) -> str:
        """The range as the inventory file writes it: ``first-last``."""
        return f"{self.first}-{self.last}"


class IPAddress(Base):
    """An address in use, by a device, by a hold, or recorded on its own.

    One row per address with a unique key: an address cannot be handed out
    twice, whatever races to take it. ``host`` is the offset from the
    prefix's network address, indexed so that first-available is a range scan.
    """

    __tablename__ = "ip_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(45), unique=True)
    family: Mapped[int] = mapped_column(Integer)
    prefix_id: Mapped[int] = mapped_column(ForeignKey("prefixes.id", ondelete="RESTRICT"))
    host: Mapped[int | None] = mapped_column(BigInteger)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE")
    )
    description: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=IPStatus.ACTIVE.value)

    device: Mapped[Device | None] = relationship(back_populates="addresses")
    reservation: Mapped[Reservation | None] = relationship(back_populates="addresses")

    __table_args__ = (
        CheckConstraint("family IN (4, 6)", name="family_valid"),
        in_choices("status", IPStatus),
        CheckConstraint("device_id IS NULL OR reservation_id IS NULL", name="device_or_hold"),
        Index("ix_ip_addresses_prefix_host", "prefix_id", "host"),
        Index("ix_ip_addresses_device", "device_id"),
        Index("ix_ip_addresses_reservation", "reservation_id"),
    )

    def __repr__(self) -> str:
        return f"<IPAddress {self.address}>"
