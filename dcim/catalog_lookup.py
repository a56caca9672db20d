"""Finding the device type a request's ``server.model`` names: the catalog's read side.

Apart from :mod:`dcim.catalog` (which imports library files and writes types through the
models) so that a check finds its type with a query or three and maps no class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from dcim.core_tables import DeviceType
from dcim.db import Reader, column_rows


class DeviceTypeTerms:
    """What a device type's columns mean together: one rule for the model
    (:class:`dcim.models.DeviceType`) and for :class:`CatalogType` alike."""

    power_budget_w: Decimal | None
    power_w: Decimal | None
    manufacturer: str
    model: str

    @property
    def effective_power_w(self) -> Decimal | None:
        """The power budget a request inherits: the operator's, else the ports'."""
        return self.power_budget_w if self.power_budget_w is not None else self.power_w

    @property
    def display_name(self) -> str:
        """Manufacturer and model, as people say it."""
        return f"{self.manufacturer} {self.model}"


@dataclass(frozen=True)
class CatalogType(DeviceTypeTerms):
    """A stored device type as read for a request (the columns of :class:`dcim.models.DeviceType`)."""

    id: int
    slug: str
    manufacturer: str
    model: str
    u_height: Decimal
    is_full_depth: bool
    weight_kg: Decimal | None
    power_w: Decimal | None
    psu: int | None
    power_budget_w: Decimal | None
    part_number: str | None
    airflow: str | None
    power_ports: list[dict[str, Any]]
    source: str | None


class AmbiguousModel(LookupError):
    """A model name that matches several types; the message lists them."""

    def __init__(self, model: str, names: str) -> None:
        self.model = model
        self.names = names
        super().__init__(f"model '{model}' matches several device types: {names}")


def find_device_type(session: Reader, model: str) -> CatalogType | None:
    """The type a request's ``server.model`` names, ignoring case.

    Matches by slug, by "manufacturer model", or by the model alone when only
    one type has that model. Raises :class:`AmbiguousModel` when the model alone
    matches several.
    """
    wanted = " ".join(model.split()).lower()
    by_slug = _types(session, func.lower(DeviceType.slug) == wanted)
    if by_slug:
        return by_slug[0]
    by_full = _types(
        session, func.lower(DeviceType.manufacturer + " " + DeviceType.model) == wanted
    )
    if by_full:
        return by_full[0]
    by_model = _types(session, func.lower(DeviceType.model) == wanted)
    if len(by_model) > 1:
        names = ", ".join(sorted(t.display_name for t in by_model))
        raise AmbiguousModel(model, names)
    return by_model[0] if by_model else None


def _types(session: Reader, condition: Any) -> list[CatalogType]:
    statement = select(*DeviceType.__table__.columns).where(condition).order_by(DeviceType.id)
    return [CatalogType(**row._mapping) for row in column_rows(session, statement)]


def whole_units(u_height: Decimal) -> int:
    """Rack units a type needs, rounded up to whole units (at least 1)."""
    return max(1, math.ceil(u_height))
