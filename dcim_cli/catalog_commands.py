"""Commands over the device-type catalog: import library files, list the types, set a power budget."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dcim.errors import InputError, Problem
from dcim.i18n import number, t

from . import context
from .context import read_session
from .identity import operator_actor

if TYPE_CHECKING:
    from dcim.models import DeviceType

catalog_app = typer.Typer(
    rich_markup_mode=None,
    name="catalog",
    help="The device-type catalog (NetBox device-type library format).",
    no_args_is_help=True,
)

# Column keys of ``catalog list``, in order; headings come from the catalog area of the messages.
COLUMNS = ("slug", "manufacturer", "model", "u", "full_depth", "weight", "power", "source", "psu")
NUMERIC_COLUMNS = frozenset({"u", "weight", "power", "psu"})


def power_source(device_type: DeviceType) -> str | None:
    """Where a type's power budget comes from: ``operator``, ``ports`` or None when it has none."""
    if device_type.power_budget_w is not None:
        return "operator"
    if device_type.power_w is not None:
        return "ports"
    return None


def _json_number(value: Decimal | None) -> int | float | None:
    """A stored quantity as a JSON number: whole numbers as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def type_document(device_type: DeviceType) -> dict[str, Any]:
    """One type as the ``catalog list --json`` document shows it."""
    return {
        "slug": device_type.slug,
        "manufacturer": device_type.manufacturer,
        "model": device_type.model,
        "u_height": _json_number(device_type.u_height),
        "full_depth": device_type.is_full_depth,
        "weight_kg": _json_number(device_type.weight_kg),
        "power_w": _json_number(device_type.effective_power_w),
        "power_source": power_source(device_type),
        "ports_power_w": _json_number(device_type.power_w),
        "operator_power_w": _json_number(device_type.power_budget_w),
        "psu": device_type.psu,
        "part_number": device_type.part_number,
        "airflow": device_type.airflow,
        "source": device_type.source,
    }


def _row(device_type: DeviceType, lang: str) -> dict[str, str]:
    """One type's cells of the ``catalog list`` table, formatted for the language."""

    def quantity(value: Decimal | None, decimals: int) -> str:
        return "-" if value is None else number(value, lang, decimals=decimals)

    source = power_source(device_type)
    return {
        "slug": device_type.slug,
        "manufacturer": device_type.manufacturer,
        "model": device_type.model,
        "u": quantity(device_type.u_height, 1),
        "full_depth": t("catalog.yes" if device_type.is_full_depth else "catalog.no", lang),
        "weight": quantity(device_type.weight_kg, 2),
        "power": quantity(device_type.effective_power_w, 1),
        "source": t(f"catalog.sources.{source}", lang) if source else "-",
        "psu": "-" if device_type.psu is None else str(device_type.psu),
    }


def render_table(rows: list[dict[str, str]], lang: str) -> str:
    """Rows as a plain-text table with a heading line; numbers right-aligned."""
    headings = {key: t(f"catalog.columns.{key}", lang) for key in COLUMNS}
    widths = {
        key: max(len(headings[key]), *(len(row[key]) for row in rows))
        if rows
        else len(headings[key])
        for key in COLUMNS
    }

    def line(cells: dict[str, str]) -> str:
        parts = [
            cells[key].rjust(widths[key])
            if key in NUMERIC_COLUMNS
            else cells[key].ljust(widths[key])
            for key in COLUMNS
        ]
        return "  ".join(parts).rstrip()

    rule = {key: "-" * widths[key] for key in COLUMNS}
    return "\n".join([line(headings), line(rule), *(line(row) for row in rows)])


@catalog_app.command("import")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Device-type YAML files or folders of them (searched recursively)."),
    ],
) -> None:
    """Add or update device types from NetBox device-type library files; wrong files are reported and skipped."""
    from dcim.catalog import import_paths

    lang = context.language()
    report = import_paths(context.engine(), paths, actor=operator_actor())
    for line in report.lines(lang):
        context.err(line)
    typer.echo(t("catalog.imported", lang, count=len(report.imported)))
    if report.problems:
        refused = len({path for path, _ in report.problems})
        context.err(t("catalog.skipped", lang, count=refused))
        raise typer.Exit(2)


@catalog_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """The device types known, by manufacturer and model, with the power budget a request inherits."""
    from dcim.catalog import list_types

    lang = context.language()
    with read_session(context.engine()) as session:
        types = list_types(session)
        if as_json:
            context.print_json({"device_types": [type_document(item) for item in types]})
            return
        rows = [_row(item, lang) for item in types]
    if not rows:
        typer.echo(t("catalog.empty", lang))
        return
    typer.echo(render_table(rows, lang))


def _parse_watts(text: str) -> Decimal:
    """The WATTS argument as an exact number; an :class:`InputError` naming it otherwise."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InputError(
            [
                Problem.of(
                    "watts",
                    "catalog.watts_not_number",
                    "must be a number of watts, got {text!r}",
                    text=text,
                )
            ]
        ) from None
    return value


@catalog_app.command("set-power")
def set_power_command(
    slug: Annotated[str, typer.Argument(help="The device type's slug (see `dcim catalog list`).")],
    watts: Annotated[
        str,
        typer.Argument(
            help="The server's budgeted draw in watts (each redundant supply must carry it)."
        ),
    ],
    psu: Annotated[
        int | None, typer.Option("--psu", help="Power supplies to connect: 1 or 2.")
    ] = None,
) -> None:
    """Set the operator's power budget of a type (for files that give no power ports)."""
    from dcim.catalog import set_power_budget

    lang = context.language()
    device_type = set_power_budget(
        context.engine(), slug, _parse_watts(watts), psu, actor=operator_actor()
    )
    typer.echo(
        t(
            "catalog.power_set",
            lang,
            name=device_type.display_name,
            slug=device_type.slug,
            watts=number(device_type.power_budget_w or 0, lang, decimals=3),
            psu="-" if device_type.psu is None else device_type.psu,
        )
    )


def register(app: typer.Typer) -> None:
    """Add the ``catalog`` command group to the application."""
    app.add_typer(catalog_app)
