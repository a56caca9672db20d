"""Power: UPS units and the feeds (circuits) that bring their power to rack PDUs."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dcim.choices import Phase
from dcim.sqltypes import Milli

from .base import Base, in_choices

if TYPE_CHECKING:
    from .racks import Rack
    from .sites import Site


class UPS(Base):
    """An uninterruptible power supply that backs one or more feeds.

    Its usable power is ``capacity_kva * 1000 * power_factor * ups_max_load / 100``;
    ``power_factor`` falls back to the policy's ``ups_power_factor`` when unset.
    """

    __tablename__ = "ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    capacity_kva: Mapped[Decimal] = mapped_column(Milli())
    power_factor: Mapped[Decimal | None] = mapped_column(Milli())
    battery_wh: Mapped[Decimal | None] = mapped_column(Milli())

    site: Mapped[Site] = relationship()
    feeds: Mapped[list[PowerFeed]] = relationship(back_populates="ups")

    __table_args__ = (
        CheckConstraint("capacity_kva > 0", name="capacity_positive"),
        CheckConstraint(
            "power_factor IS NULL OR (power_factor > 0 AND power_factor <= 1000)",
            name="power_factor_range",
        ),
        CheckConstraint("battery_wh IS NULL OR battery_wh >= 0", name="battery_not_negative"),
    )

    def usable_w(self, default_power_factor: Decimal, max_load_percent: Decimal) -> Decimal:
        """Watts this UPS may carry under the policy."""
        pf = self.power_factor if self.power_factor is not None else default_power_factor
        return self.capacity_kva * 1000 * pf * max_load_percent / 100

    def __repr__(self) -> str:
        return f"<UPS {self.name}>"


class PowerFeed(Base):
    """A circuit that feeds one rack PDU (NetBox's PowerFeed).

    A feed sits in at most one rack (``rack_id``) and may be backed by a UPS.
    Its rated power is ``voltage * amperage``, times √3 when three-phase.
    """

    __tablename__ = "power_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    ups_id: Mapped[int | None] = mapped_column(
        ForeignKey("ups.id", ondelete="RESTRICT"), index=True
    )
    rack_id: Mapped[int | None] = mapped_column(
        ForeignKey("racks.id", ondelete="SET NULL"), index=True
    )
    voltage: Mapped[Decimal] = mapped_column(Milli())
    amperage: Mapped[Decimal] = mapped_column(Milli())
    phase: Mapped[str] = mapped_column(String(10), default=Phase.SINGLE.value)
    max_utilization: Mapped[Decimal | None] = mapped_column(Milli())

    site: Mapped[Site] = relationship()
    ups: Mapped[UPS | None] = relationship(back_populates="feeds")
    rack: Mapped[Rack | None] = relationship(back_populates="feeds")

    __table_args__ = (
        CheckConstraint("voltage > 0", name="voltage_positive"),
        CheckConstraint("amperage > 0", name="amperage_positive"),
        in_choices("phase", Phase),
        CheckConstraint(
            "max_utilization IS NULL OR (max_utilization >= 1000 AND max_utilization <= 100000)",
            name="max_utilization_range",
        ),
    )

    def rated_w(self) -> Decimal:
        """Nameplate power of the circuit in watts (VA compared one to one)."""
        base = self.voltage * self.amperage
        if self.phase == Phase.THREE:
            return base * Decimal(math.sqrt(3))
        return base

    def __repr__(self) -> str:
        return f"<PowerFeed {self.name}>"
