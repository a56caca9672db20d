"""The device-type catalog: server models and what they need in a rack."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dcim.catalog_lookup import DeviceTypeTerms
from dcim.sqltypes import Milli

from .base import Base


class DeviceType(DeviceTypeTerms, Base):
    """A model of equipment, as in the NetBox device-type library.

    ``power_w`` is the budget derived from the type's power ports (the largest
    port's allocated draw, else its maximum draw); ``power_budget_w`` is a
    budget the operator set for types whose file models power supplies as
    module bays and so gives none. The operator's budget wins
    (:class:`~dcim.catalog_lookup.DeviceTypeTerms`, shared with the check's lookup).
    """

    __tablename__ = "device_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    manufacturer: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    u_height: Mapped[Decimal] = mapped_column(Milli())
    is_full_depth: Mapped[bool] = mapped_column(default=True)
    weight_kg: Mapped[Decimal | None] = mapped_column(Milli())
    power_w: Mapped[Decimal | None] = mapped_column(Milli())
    psu: Mapped[int | None] = mapped_column(Integer)
    power_budget_w: Mapped[Decimal | None] = mapped_column(Milli())
    part_number: Mapped[str | None] = mapped_column(String(100))
    airflow: Mapped[str | None] = mapped_column(String(50))
    power_ports: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("u_height >= 0", name="u_height_not_negative"),
        CheckConstraint("psu IS NULL OR psu >= 1", name="psu_positive"),
    )

    def __repr__(self) -> str:
        return f"<DeviceType {self.slug}>"
