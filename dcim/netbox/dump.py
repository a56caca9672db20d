"""Reading the JSON that NetBox's ``manage.py dumpdata`` writes, behind the input gate.

A dump is a list of ``{"model": "app.model", "pk": 1, "fields": {...}}``. The
file is bounded before parsing (size) and after (depth, elements) by the same
limits type as every YAML file; a repeated key, ``NaN`` or a number Python
cannot hold is refused. Each record is then checked for the fields the
importer uses, by the model's own pydantic shape below, so a wrong type is
refused naming the record (``[17] dcim.rack 5``) and the field. Fields the
importer does not use are ignored; models it does not use are counted and
named in the report, never refused, unless their label is malformed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from dcim.errors import InputError, Problem
from dcim.inventory.fields import DEFAULT_RACK_UNITS, MAX_LIST_ITEMS, as_decimal, line_type
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.yamlio import MIB, YamlLimits, read_bounded_text, shape_problem

#: A NetBox dump of a large site is a few MB; the bound leaves room for many sites' interfaces.
DUMP_LIMITS = YamlLimits("NetBox dump", max_bytes=64 * MIB, max_depth=32, max_elements=5_000_000)
_MODEL_LABEL = re.compile(r"^[a-z][a-z0-9_]{0,99}\.[a-z][a-z0-9_]{0,99}$")
MAX_PK = 2**63 - 1
MAX_DECIMAL = 10**9  # a weight in grams of the heaviest device fits

Pk = Annotated[int, Ge(1), Le(MAX_PK)]
Ref = Pk | None
Label = line_type(200)


def _decimal(value: Any) -> Decimal | None:
    """Django writes DecimalField as a string (``"10.5"``); a number is accepted too."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError as exc:
            raise PydanticCustomError("number_type", "must be a number") from exc
    number = as_decimal(value)
    if abs(number) > MAX_DECIMAL:
        # A position, height or weight this large is no equipment; rounding it would cost memory.
        raise PydanticCustomError("number_too_large", "must be at most {max}", {"max": MAX_DECIMAL})
    return number


Dec = Annotated[Decimal | None, BeforeValidator(_decimal)]


def _blank_none(value: Any) -> Any:
    """NetBox writes an empty string where a choice is unset."""
    return None if value == "" else value


Choice = Annotated[line_type(50) | None, BeforeValidator(_blank_none)]


def _content_type(value: Any) -> Any:
    """A content type: an id, or with ``--natural-foreign`` ``["dcim", "interface"]``."""
    if isinstance(value, list):
        if len(value) != 2 or not all(isinstance(part, str) for part in value):
            raise PydanticCustomError("content_type", "must be [app, model] or an id")
        return f"{value[0]}.{value[1]}"
    return value


ContentType = Annotated[Pk | line_type(201) | None, BeforeValidator(_content_type)]


def _array(value: Any) -> Any:
    """Django's dumpdata writes an ArrayField as JSON text of its items' text (``'["13", "14"]'``).

    A real list, and items that are numbers, are taken too; an item that is not a
    whole number is left for the field's own check to name.
    """
    if isinstance(value, str):
        if len(value) > 100_000:
            raise PydanticCustomError("array", "must be a list of unit numbers")
        try:
            value = json.loads(value, parse_constant=_no_constant)
        except ValueError as exc:
            raise PydanticCustomError("array", "must be a list of unit numbers") from exc
    if isinstance(value, list):
        return [
            int(v) if isinstance(v, str) and re.fullmatch(r"-?[0-9]{1,6}", v) else v for v in value
        ]
    return value


class Fields(BaseModel):
    """The used fields of one model; the others are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)


class SiteFields(Fields):
    """``dcim.site``."""

    name: Label
    slug: line_type(100)


class TenantFields(Fields):
    """``tenancy.tenant``."""

    name: Label
    slug: line_type(100)


class NamedFields(Fields):
    """Models read for a name only (manufacturer, location, power panel, role, VRF, provider)."""

    name: Label = ""
    slug: line_type(100) | None = None
    site: Ref = None


class RackFields(Fields):
    """``dcim.rack`` (3.x and 4.x)."""

    name: Label
    site: Pk
    location: Ref = None
    tenant: Ref = None
    status: Choice = "active"
    u_height: Annotated[int, Ge(1), Le(1000)] = DEFAULT_RACK_UNITS
    starting_unit: Annotated[int, Ge(-1000), Le(1000)] = 1
    desc_units: bool = False
    max_weight: Annotated[int, Ge(0), Le(10**9)] | None = None
    weight_unit: Choice = None


class DeviceTypeFields(Fields):
    """``dcim.devicetype``."""

    manufacturer: Pk
    model: Label
    slug: line_type(200)
    part_number: line_type(100) | None = None
    u_height: Dec = Decimal(1)
    is_full_depth: bool = True
    weight: Dec = None
    weight_unit: Choice = None
    airflow: Choice = None
    exclude_from_utilization: bool = False


class DeviceFields(Fields):
    """``dcim.device``: ``device_role`` in 3.x, ``role`` in 4.x."""

    name: Label | None = None
    device_type: Pk
    role: Ref = None
    device_role: Ref = None
    tenant: Ref = None
    site: Ref = None
    rack: Ref = None
    position: Dec = None
    face: Choice = None
    status: Choice = "active"
    serial: line_type(100) | None = ""
    virtual_chassis: Ref = None
    vc_position: Annotated[int, Ge(0), Le(10**6)] | None = None


class PowerFeedFields(Fields):
    """``dcim.powerfeed``."""

    name: Label
    power_panel: Pk
    rack: Ref = None
    status: Choice = "active"
    supply: Choice = "ac"
    phase: Choice = "single-phase"
    voltage: Annotated[int, Ge(-100_000), Le(100_000)] = 120
    amperage: Annotated[int, Ge(0), Le(100_000)] = 20
    max_utilization: Annotated[int, Ge(1), Le(100)] = 80
    cable: Ref = None


class PowerPortFields(Fields):
    """``dcim.powerport`` and ``dcim.powerporttemplate``."""

    name: Label = ""
    device: Ref = None
    device_type: Ref = None
    maximum_draw: Annotated[int, Ge(0), Le(10**7)] | None = None
    allocated_draw: Annotated[int, Ge(0), Le(10**7)] | None = None
    cable: Ref = None


class PowerOutletFields(Fields):
    """``dcim.poweroutlet``: the PDU's outlet and the inlet that feeds it."""

    name: Label = ""
    device: Ref = None
    power_port: Ref = None
    cable: Ref = None


class RackReservationFields(Fields):
    """``dcim.rackreservation``."""

    rack: Pk
    units: Annotated[
        list[Annotated[int, Ge(-1000), Le(1000)]],
        Field(max_length=MAX_LIST_ITEMS),
        BeforeValidator(_array),
    ]
    tenant: Ref = None
    description: line_type(200) | None = ""


class PrefixFields(Fields):
    """``ipam.prefix``: ``site`` in 3.x, ``scope_type``/``scope_id`` and ``_site`` from 4.2."""

    prefix: line_type(50)
    vrf: Ref = None
    site: Ref = None
    scope_type: ContentType = None
    scope_id: Ref = None
    site_cached: Ref = Field(default=None, alias="_site")
    vlan: Ref = None
    status: Choice = "active"
    role: Ref = None
    is_pool: bool = False


class IPAddressFields(Fields):
    """``ipam.ipaddress``."""

    address: line_type(60)
    vrf: Ref = None
    status: Choice = "active"
    assigned_object_type: ContentType = None
    assigned_object_id: Ref = None
    description: line_type(200) | None = ""


class IPRangeFields(Fields):
    """``ipam.iprange``."""

    start_address: line_type(60)
    end_address: line_type(60)
    vrf: Ref = None
    status: Choice = "active"


class VLANFields(Fields):
    """``ipam.vlan``."""

    vid: Annotated[int, Ge(1), Le(4094)]
    name: Label = ""


class CircuitFields(Fields):
    """``circuits.circuit``: ``commit_rate`` is in kbit/s."""

    cid: Label
    provider: Pk
    status: Choice = "active"
    commit_rate: Annotated[int, Ge(0), Le(10**12)] | None = None


class TerminationFields(Fields):
    """``circuits.circuittermination``: ``site`` to 4.1, ``termination_type``/``_site`` from 4.2."""

    circuit: Pk
    term_side: Choice = "A"
    site: Ref = None
    termination_type: ContentType = None
    termination_id: Ref = None
    site_cached: Ref = Field(default=None, alias="_site")


class InterfaceFields(Fields):
    """``dcim.interface``: only which device it belongs to."""

    device: Ref = None
    name: Label = ""


class VirtualChassisFields(Fields):
    """``dcim.virtualchassis``."""

    name: Label = ""


class ContentTypeFields(Fields):
    """``contenttypes.contenttype``, present when the dump includes it."""

    app_label: line_type(100)
    model: line_type(100)


#: The models the importer reads, and the shape of their fields.
SHAPES: dict[str, type[Fields]] = {
    "dcim.site": SiteFields,
    "dcim.location": NamedFields,
    "dcim.manufacturer": NamedFields,
    "dcim.devicerole": NamedFields,
    "dcim.rack": RackFields,
    "dcim.devicetype": DeviceTypeFields,
    "dcim.device": DeviceFields,
    "dcim.virtualchassis": VirtualChassisFields,
    "dcim.powerpanel": NamedFields,
    "dcim.powerfeed": PowerFeedFields,
    "dcim.powerport": PowerPortFields,
    "dcim.powerporttemplate": PowerPortFields,
    "dcim.poweroutlet": PowerOutletFields,
    "dcim.rackreservation": RackReservationFields,
    "dcim.interface": InterfaceFields,
    "tenancy.tenant": TenantFields,
    "ipam.vrf": NamedFields,
    "ipam.role": NamedFields,
    "ipam.vlan": VLANFields,
    "ipam.prefix": PrefixFields,
    "ipam.ipaddress": IPAddressFields,
    "ipam.iprange": IPRangeFields,
    "circuits.provider": NamedFields,
    "circuits.circuit": CircuitFields,
    "circuits.circuittermination": TerminationFields,
    "contenttypes.contenttype": ContentTypeFields,
}


@dataclass
class Dump:
    """A parsed dump: the used models' records by pk, and how many records of other models."""

    objects: dict[str, dict[int, Any]] = field(default_factory=lambda: defaultdict(dict))
    others: dict[str, list[int | str]] = field(default_factory=lambda: defaultdict(list))
    raw_fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def of(self, model: str) -> dict[int, Any]:
        """Records of a model by pk (empty when the dump has none)."""
        return self.objects.get(model, {})

    def content_type(self, value: int | str | None) -> str | None:
        """``app.model`` of a content type given by id (resolved through the dump) or by label."""
        if value is None or isinstance(value, str):
            return value
        record = self.of("contenttypes.contenttype").get(value)
        return f"{record.app_label}.{record.model}" if record else None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_dump(text: str, source: str) -> Any:
    """The dump's JSON behind the gate: size, syntax, repeated keys, depth and elements."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > DUMP_LIMITS.max_bytes:
        raise InputError(
            [
                Problem.of(
                    "",
                    "netbox.dump_too_large",
                    "the file is larger than the {mb} MB a NetBox dump may be ({size} bytes)",
                    mb=DUMP_LIMITS.max_bytes // MIB,
                    size=f"{size:,}",
                )
            ],
            source,
        )
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                Problem.of(
                    "",
                    "netbox.json_invalid",
                    "not valid JSON at line {lineno}, column {colno}: {msg}",
                    lineno=exc.lineno,
                    colno=exc.colno,
                    msg=exc.msg,
                )
            ],
            source,
        ) from exc
    except RecursionError as exc:
        raise InputError(
            [
                Problem.of(
                    "",
                    "netbox.too_deep",
                    "nested deeper than {max_depth} levels",
                    max_depth=DUMP_LIMITS.max_depth,
                )
            ],
            source,
        ) from exc
    except ValueError as exc:
        raise InputError(
            [Problem.of("", "netbox.value_unreadable", "a value cannot be read: {exc}", exc=exc)],
            source,
        ) from exc
    if isinstance(data, (dict, list)):
        problem = shape_problem(data, DUMP_LIMITS)
        if problem is not None:
            raise InputError([problem], source)
    return data


def read_dump_file(path: str | Path) -> Dump:
    """Read, bound and check a dumpdata file; an :class:`InputError` names the record and field."""
    source = str(path)
    return build_dump(parse_dump(read_bounded_text(path, DUMP_LIMITS), source), source)


def build_dump(data: Any, source: str | None = None) -> Dump:
    """Check each record of parsed dump data; every wrong record and field is listed at once."""
    if not isinstance(data, list):
        raise InputError(
            [
                Problem.of(
                    "",
                    "netbox.not_a_list",
                    "a NetBox dump is a JSON list of objects (manage.py dumpdata --format json)",
                )
            ],
            source,
        )
    dump = Dump()
    problems: list[Problem] = []
    for index, record in enumerate(data):
        where = f"[{index}]"
        if not isinstance(record, dict):
            problems.append(
                Problem.of(
                    where,
                    "netbox.not_an_object_entry",
                    "must be an object with model, pk and fields",
                )
            )
            continue
        model, pk, fields = record.get("model"), record.get("pk"), record.get("fields")
        if not isinstance(model, str) or not _MODEL_LABEL.match(model):
            problems.append(
                Problem.of(
                    f"{where}.model",
                    "netbox.model_label",
                    "must be a model label such as 'dcim.rack'",
                )
            )
            continue
        if not isinstance(fields, dict):
            problems.append(
                Problem.of(f"{where} {model}.fields", "netbox.not_an_object", "must be an object")
            )
            continue
        shape = SHAPES.get(model)
        if shape is None:
            # Not a model the inventory has room for: counted and named in the report.
            dump.others[model].append(pk if isinstance(pk, (int, str)) else index)
            continue
        if pk is None and model == "contenttypes.contenttype":
            # Dumped with natural primary keys (--natural-primary): references to content
            # types then are [app, model] themselves, so the record is not needed.
            continue
        if type(pk) is not int or not 1 <= pk <= MAX_PK:
            problems.append(
                Problem.of(
                    f"{where} {model}.pk", "netbox.pk_not_number", "must be a whole number id"
                )
            )
            continue
        try:
            parsed = shape.model_validate(fields)
        except ValidationError as exc:
            problems.extend(
                replace(
                    p,
                    path=f"{where} {model} {pk}.fields.{p.path}"
                    if p.path
                    else f"{where} {model} {pk}.fields",
                )
                for p in problems_from(exc)
            )
            continue
        if pk in dump.objects[model]:
            problems.append(
                Problem.of(f"{where} {model} {pk}", "netbox.pk_twice", "the same pk appears twice")
            )
            continue
        dump.objects[model][pk] = parsed
        dump.raw_fields[model].update(fields)
        if len(problems) >= 100:
            break
    if problems:
        raise InputError(problems[:100], source)
    return dump
