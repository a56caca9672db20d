"""Where a device or a hold sits and what it takes: the columns both tables share, once.

A hold (:class:`~dcim.models.Reservation`) sets aside exactly what its server
will take once installed (:class:`~dcim.models.Device`): a tenant, a place
in a rack, power, an uplink and its bandwidth. Both tables carry these
columns, with the same names, types and checks, from :class:`Placement`;
:func:`copy_placement` carries them from one to the other when a hold is
committed, so that a column added here cannot be forgotten there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from dcim.choices import Face
from dcim.sqltypes import Milli

from .base import in_choices

if TYPE_CHECKING:
    from .circuits import Uplink
    from .racks import Rack
    from .tenancy import Tenant


class Placement:
    """Declarative mixin: the tenant, rack place, power and bandwidth of a mounted object.

    The object takes units ``position .. position + u_height - 1`` on its face
    (both faces when ``full_depth``), draws ``power_w`` through its feeds and
    commits ``bandwidth_mbps`` on its uplink.
    """

    # Indexed by each table as its queries need: Device and Reservation declare the indexes.
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    rack_id: Mapped[int] = mapped_column(ForeignKey("racks.id", ondelete="RESTRICT"))
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

    # Relationships on a mixin are made per table, hence declared_attr.
    @declared_attr
    def tenant(cls) -> Mapped[Tenant | None]:
        return relationship("Tenant")

    @declared_attr
    def rack(cls) -> Mapped[Rack]:
        return relationship("Rack")

    @declared_attr
    def uplink(cls) -> Mapped[Uplink | None]:
        return relationship("Uplink")

    @property
    def top_unit(self) -> int:
        """The highest unit the object occupies."""
        return self.position + self.u_height - 1


#: The columns :func:`copy_placement` carries over, in table order.
PLACEMENT_COLUMNS: tuple[str, ...] = (
    "tenant_id",
    "rack_id",
    "position",
    "u_height",
    "face",
    "full_depth",
    "weight_kg",
    "power_w",
    "uplink_id",
    "bandwidth_mbps",
)


def placement_checks() -> tuple[CheckConstraint, ...]:
    """The checks every placement table carries (new objects each call: one set per table)."""
    return (
        CheckConstraint("u_height >= 1", name="u_height_positive"),
        CheckConstraint("position >= 1", name="position_positive"),
        in_choices("face", Face),
        CheckConstraint("weight_kg >= 0", name="weight_not_negative"),
        CheckConstraint("power_w >= 0", name="power_not_negative"),
        CheckConstraint("bandwidth_mbps >= 0", name="bandwidth_not_negative"),
    )


def copy_placement(source: Placement, target: Placement) -> None:
    """Give ``target`` the tenant, place, power and bandwidth of ``source``."""
    for column in PLACEMENT_COLUMNS:
        setattr(target, column, getattr(source, column))
