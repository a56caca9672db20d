"""The colocation request (the surat permohonan in data form) and how the catalog completes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
)

from dcim.catalog_lookup import AmbiguousModel, CatalogType, find_device_type, whole_units
from dcim.choices import FormFactor
from dcim.db import Reader
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.inventory.fields import (
    MAX_ADDRESSES_PER_ROLE,
    MAX_BANDWIDTH_MBPS,
    MAX_DOMAINS,
    MAX_POWER_W,
    MAX_RACK_UNITS,
    MAX_ROLES_PER_FAMILY,
    MAX_WEIGHT_KG,
    bounded_int,
    choice,
    line_type,
    name_type,
    quantity,
    text_type,
)
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.yamlio import read_yaml_file

RoleName = name_type(64, pattern=r"^[a-z0-9_-]+$")
AddressCount = bounded_int(0, MAX_ADDRESSES_PER_ROLE)
# Addresses by role; the bounds keep one request from asking the engine for millions of rows.
AddressNeeds = Annotated[dict[RoleName, AddressCount], Field(max_length=MAX_ROLES_PER_FAMILY)]


class ServerSpec(BaseModel):
    """The server as the letter describes it; what it leaves out may come from the catalog."""

    model_config = ConfigDict(extra="forbid", strict=True)

    model: line_type(200, min_length=1) | None = None
    form_factor: choice(FormFactor) = FormFactor.RACK
    u_height: bounded_int(1, MAX_RACK_UNITS) | None = None
    full_depth: bool | None = None
    weight_kg: quantity(maximum=MAX_WEIGHT_KG) | None = None
    power_w: quantity(maximum=MAX_POWER_W, positive=True) | None = None
    psu: Literal[1, 2] | None = None
    bandwidth_mbps: quantity(maximum=MAX_BANDWIDTH_MBPS) = Decimal(0)


class CapacityRequest(BaseModel):
    """A colocation request file (see the contract's request format)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    number: line_type(100, min_length=1) | None = None
    date: dt.date | None = Field(default=None, strict=False)
    tenant: name_type(64) | None = None
    purpose: text_type(500) | None = None
    site: name_type(64) | None = None
    server: ServerSpec
    ipv4: AddressNeeds = Field(default_factory=dict)
    ipv6: AddressNeeds = Field(default_factory=dict)
    # A name that is text but not a host name is judged by the domain check, not refused here.
    domains: Annotated[list[str], Field(max_length=MAX_DOMAINS)] = Field(default_factory=list)


@dataclass(frozen=True)
class ServerNeeds:
    """The server's needs with every value known: the request's, else the catalog's, else the defaults."""

    model: str | None
    device_type: str | None
    form_factor: FormFactor
    u_height: int
    full_depth: bool
    weight_kg: Decimal
    power_w: Decimal
    psu: int
    bandwidth_mbps: Decimal
    filled_from_catalog: tuple[str, ...] = ()


def parse_request(data: Any, source: str | None = None, lang: str | None = None) -> CapacityRequest:
    """A request from parsed YAML; an :class:`InputError` names each wrong field."""
    if not isinstance(data, dict):
        raise InputError([Problem("", t("capacity.request_not_mapping", lang))], source)
    try:
        return CapacityRequest.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc), source) from exc


def read_request(path: str | Path) -> CapacityRequest:
    """A request from a YAML file."""
    return parse_request(read_yaml_file(path), str(path))


def server_needs(
    session: Reader, request: CapacityRequest, source: str | None = None
) -> ServerNeeds:
    """Complete the server's needs from the catalog; values the request gives win.

    Raises :class:`InputError` when the power budget or the height is still
    unknown, or the model is ambiguous.
    """
    spec = request.server
    device_type: CatalogType | None = None
    problems: list[Problem] = []
    if spec.model is not None:
        try:
            device_type = find_device_type(session, spec.model)
        except AmbiguousModel as exc:
            problems.append(
                Problem.of(
                    "server.model",
                    "capacity.ambiguous_model",
                    "model '{model}' matches several device types: {names}",
                    model=exc.model,
                    names=exc.names,
                )
            )
    filled: list[str] = []

    def pick(name: str, given: Any, from_type: Any) -> Any:
        if given is not None:
            return given
        if from_type is not None:
            filled.append(name)
        return from_type

    u_height = pick(
        "u_height", spec.u_height, whole_units(device_type.u_height) if device_type else None
    )
    full_depth = pick(
        "full_depth", spec.full_depth, device_type.is_full_depth if device_type else None
    )
    weight = pick("weight_kg", spec.weight_kg, device_type.weight_kg if device_type else None)
    power = pick("power_w", spec.power_w, device_type.effective_power_w if device_type else None)
    psu = pick(
        "psu", spec.psu, min(device_type.psu, 2) if device_type and device_type.psu else None
    )
    if power is None or power <= 0:
        if device_type is None:
            problems.append(
                Problem.of(
                    "server.power_w",
                    "capacity.power_required",
                    "required: the server's budgeted draw in watts",
                )
            )
        else:
            problems.append(
                Problem.of(
                    "server.power_w",
                    "capacity.power_required_type",
                    "required: the server's budgeted draw in watts (device type '{slug}' has no"
                    " power budget; set one with `dcim catalog set-power`)",
                    slug=device_type.slug,
                )
            )
    if u_height is None:
        problems.append(
            Problem.of(
                "server.u_height",
                "capacity.height_required",
                "required: the units the server needs (no catalog model gives it)",
            )
        )
    if problems:
        raise InputError(problems, source)
    return ServerNeeds(
        model=spec.model,
        device_type=device_type.slug if device_type else None,
        form_factor=spec.form_factor,
        u_height=u_height,
        full_depth=True if full_depth is None else full_depth,
        weight_kg=Decimal(0) if weight is None else Decimal(weight),
        power_w=Decimal(power),
        psu=2 if psu is None else psu,
        bandwidth_mbps=spec.bandwidth_mbps,
        filled_from_catalog=tuple(filled),
    )
