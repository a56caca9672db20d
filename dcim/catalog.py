"""The device-type catalog: NetBox device-type library files in, request defaults out.

``dcim catalog import`` reads files of the community library
(``device-types/<Manufacturer>/<Model>.yaml``) or folders of them. Each file is
checked on its own: a wrong file is reported by path and field and skipped,
the others load. Files that leave ``power-ports`` out (many current server
files model supplies as module bays) load without a power budget, which the
operator can set with ``dcim catalog set-power``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.db import ensure_schema, write_session
from dcim.errors import InputError, Problem
from dcim.inventory.fields import (
    MAX_LIST_ITEMS,
    MAX_POWER_W,
    MAX_RACK_UNITS,
    MAX_WEIGHT_KG,
    as_decimal,
    bounded_int,
    line_type,
    quantity,
)
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import OPERATOR_ROLE, DeviceType, Role
from dcim.package_data import shipped_path

#: The bundled catalog of common server models, shipped inside this package.
BUILTIN_DIR = shipped_path("dcim", "devicetypes")
WEIGHT_TO_KG = {
    "kg": Decimal(1),
    "g": Decimal("0.001"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.028349523125"),
}
MAX_PSU = 2
#: Who may change the catalog: Tim Data Center (and the administrator), and the operator.
CATALOG_ROLES = (Role.TIM_DC, OPERATOR_ROLE)
YAML_SUFFIXES = (".yaml", ".yml")


def _half_units(value: Any) -> Decimal:
    number = as_decimal(value)
    if abs(number) > MAX_RACK_UNITS:
        # Checked before the remainder below, which Decimal cannot take of a huge number.
        raise PydanticCustomError("unit_bound", "must be at most {max}", {"max": MAX_RACK_UNITS})
    if (number * 2) % 1 != 0:
        raise PydanticCustomError("half_unit", "must be a multiple of 0.5")
    return number


class PowerPortFile(BaseModel):
    """A power port of a device type (a power supply's inlet)."""

    model_config = ConfigDict(extra="allow")

    name: line_type(100)
    type: line_type(100) | None = None
    maximum_draw: bounded_int(1, MAX_POWER_W) | None = None
    allocated_draw: bounded_int(1, MAX_POWER_W) | None = None


class DeviceTypeFile(BaseModel):
    """The fields of a NetBox device-type file that a rack planner needs; the rest are ignored."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    # Lengths are those of the device_types columns the values are stored in.
    manufacturer: line_type(100, min_length=1)
    model: line_type(200, min_length=1)
    slug: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[-a-z0-9_]+$")]
    u_height: Annotated[Decimal, BeforeValidator(_half_units), Ge(0), Le(MAX_RACK_UNITS)] = Decimal(
        1
    )
    is_full_depth: bool = True
    # In the file's own unit (grams are the smallest); the weight in kg is bounded on parsing.
    weight: quantity(maximum=MAX_WEIGHT_KG * 1000) | None = None
    weight_unit: Literal["kg", "g", "lb", "oz"] | None = None
    airflow: line_type(50) | None = None
    part_number: line_type(100) | None = None
    power_ports: Annotated[list[PowerPortFile], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=list, alias="power-ports"
    )

    def weight_kg(self) -> Decimal | None:
        """The weight in kilograms, rounded to grams."""
        if self.weight is None:
            return None
        return round(self.weight * WEIGHT_TO_KG[self.weight_unit or "kg"], 3)

    def power_budget(self) -> tuple[Decimal | None, int | None]:
        """(watts, supplies): the largest single port's allocated draw, else its maximum; ports, at most 2."""
        draws = [port.allocated_draw or port.maximum_draw for port in self.power_ports]
        known = [d for d in draws if d is not None]
        watts = Decimal(max(known)) if known else None
        psu = min(len(self.power_ports), MAX_PSU) if self.power_ports else None
        return watts, psu


@dataclass
class ImportReport:
    """What an import did: slugs added or updated, and the files refused with why."""

    imported: list[str] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)

    def lines(self, lang: str | None = None, *, labels: bool = False) -> list[str]:
        """One line per refused file and field, in the language (see :meth:`Problem.render`)."""
        return [f"{path}: {problem.render(lang, labels=labels)}" for path, problem in self.problems]


def _is_library_file(path: Path, root: Path) -> bool:
    """A YAML file under ``root`` that is not hidden (a clone's ``.github`` holds workflow YAML)."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return path.suffix.lower() in YAML_SUFFIXES and path.is_file() and not hidden


def _files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, Problem]]]:
    """The device-type files named or found under the paths, each once, and the paths that are missing."""
    found: list[Path] = []
    seen: set[Path] = set()
    missing: list[tuple[str, Problem]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if _is_library_file(p, path))
        elif path.is_file():
            candidates = [path]
        else:
            missing.append((str(path), Problem.of("", "catalog.no_path", "no such file or folder")))
            continue
        for candidate in candidates:
            # A file named on its own and again inside a folder is one file, not a duplicate slug.
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, missing


def parse_device_type(path: Path) -> DeviceTypeFile:
    """One library file as a :class:`DeviceTypeFile`; raises :class:`InputError` naming the field."""
    data = read_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError(
            [Problem.of("", "catalog.file_not_mapping", "a device-type file must be a mapping")],
            str(path),
        )
    try:
        item = DeviceTypeFile.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc)
        # The library writes "power-ports"; pydantic reports the Python name.
        fixed = [replace(p, path=p.path.replace("power_ports", "power-ports")) for p in problems]
        raise InputError(fixed, str(path)) from exc
    weight = item.weight_kg()
    if weight is not None and weight > MAX_WEIGHT_KG:
        raise InputError(
            [
                Problem.of(
                    "weight",
                    "catalog.too_heavy",
                    "must be at most {max_weight_kg} kg, got {weight} kg",
                    max_weight_kg=MAX_WEIGHT_KG,
                    weight=weight,
                )
            ],
            str(path),
        )
    return item


def import_paths(
    engine: Engine, paths: Sequence[str | Path], *, actor: Actor, only_new: bool = False
) -> ImportReport:
    """Import every device-type file under the paths; wrong files are reported, the rest load.

    Only :data:`CATALOG_ROLES` may; what was imported is recorded in the audit log.
    """
    require_role(actor, CATALOG_ROLES, "import device types")
    ensure_schema(engine)
    report = ImportReport()
    files, missing = _files(paths)
    report.problems.extend(missing)
    parsed: list[tuple[Path, DeviceTypeFile]] = []
    first_file: dict[str, Path] = {}
    for path in files:
        try:
            item = parse_device_type(path)
        except InputError as exc:
            report.problems.extend((str(path), problem) for problem in exc.problems)
            continue
        if item.slug in first_file:
            # Two files of one import claiming a slug would silently overwrite each other.
            report.problems.append(
                (
                    str(path),
                    Problem.of(
                        "slug",
                        "catalog.slug_twice",
                        "'{slug}' is also the slug of {other}",
                        slug=item.slug,
                        other=first_file[item.slug],
                    ),
                )
            )
            continue
        first_file[item.slug] = path
        parsed.append((path, item))
    with write_session(engine) as session:
        for path, item in parsed:
            existing = session.scalar(select(DeviceType).where(DeviceType.slug == item.slug))
            if existing is not None and only_new:
                continue
            watts, psu = item.power_budget()
            values = {
                "manufacturer": item.manufacturer,
                "model": item.model,
                "u_height": item.u_height,
                "is_full_depth": item.is_full_depth,
                "weight_kg": item.weight_kg(),
                "power_w": watts,
                "psu": psu,
                "part_number": item.part_number,
                "airflow": item.airflow,
                "power_ports": [port.model_dump(exclude_none=True) for port in item.power_ports],
                "source": str(path),
            }
            if existing is None:
                session.add(DeviceType(slug=item.slug, **values))
            else:
                for key, value in values.items():
                    setattr(existing, key, value)
            report.imported.append(item.slug)
        if report.imported:
            record(
                session,
                actor,
                "catalog.import",
                "device_type",
                None,
                ", ".join(report.imported),
                {"imported": report.imported},
            )
    return report


def import_builtin_catalog(engine: Engine, actor: Actor) -> ImportReport:
    """Add the bundled catalog of common server models; types already known are left alone."""
    # BUILTIN_DIR exists: dcim.package_data refuses an installation without it at import.
    return import_paths(engine, [BUILTIN_DIR], actor=actor, only_new=True)


def set_power_budget(
    engine: Engine, slug: str, watts: Decimal | None, psu: int | None, *, actor: Actor
) -> DeviceType:
    """Set (or clear, with None) the operator's power budget of a type, and its supply count.

    Only :data:`CATALOG_ROLES` may; the change is recorded in the audit log.
    """
    require_role(actor, CATALOG_ROLES, "set a power budget")
    problems: list[Problem] = []
    if watts is not None:
        if not watts.is_finite() or watts <= 0:
            problems.append(
                Problem.of(
                    "watts",
                    "catalog.watts_positive",
                    "must be greater than 0, got {watts}",
                    watts=watts,
                )
            )
        elif watts > MAX_POWER_W:
            problems.append(
                Problem.of(
                    "watts",
                    "catalog.watts_too_high",
                    "must be at most {max_power_w}, got {watts}",
                    max_power_w=MAX_POWER_W,
                    watts=watts,
                )
            )
        elif isinstance(exponent := watts.as_tuple().exponent, int) and exponent < -3:
            problems.append(
                Problem.of(
                    "watts",
                    "catalog.watts_decimals",
                    "at most 3 decimal places, got {watts}",
                    watts=watts,
                )
            )
    if psu is not None and not 1 <= psu <= MAX_PSU:
        problems.append(
            Problem.of(
                "psu",
                "catalog.psu_count",
                "must be 1 or {max_psu}, got {psu}",
                max_psu=MAX_PSU,
                psu=psu,
            )
        )
    if problems:
        raise InputError(problems)
    ensure_schema(engine)
    with write_session(engine) as session:
        device_type = session.scalar(
            select(DeviceType).where(func.lower(DeviceType.slug) == slug.lower())
        )
        if device_type is None:
            raise InputError(
                [
                    Problem.of(
                        "slug", "catalog.unknown_type", "unknown device type '{slug}'", slug=slug
                    )
                ]
            )
        device_type.power_budget_w = watts
        if psu is not None:
            device_type.psu = psu
        record(
            session,
            actor,
            "catalog.power_budget",
            "device_type",
            device_type.slug,
            f"{watts if watts is not None else '-'} W, psu {device_type.psu}",
            {"watts": str(watts) if watts is not None else None, "psu": device_type.psu},
        )
        return device_type


def list_types(session: Session) -> list[DeviceType]:
    """Every device type, by manufacturer and model."""
    return list(
        session.scalars(select(DeviceType).order_by(DeviceType.manufacturer, DeviceType.model))
    )
