"""``dcim import netbox FILE``: a NetBox site in one command, with a migration report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dcim.errors import InputError, Problem

from . import context
from .identity import operator_actor

import_app = typer.Typer(
    rich_markup_mode=None,
    name="import",
    help="Import an inventory from another tool (NetBox).",
    no_args_is_help=True,
)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise InputError([Problem(option, f"must be one of {', '.join(allowed)}, got '{value}'")])
    return value


@import_app.command("netbox")
def netbox(
    file: Annotated[Path, typer.Argument(help="JSON written by NetBox's manage.py dumpdata.")],
    companion: Annotated[
        Path | None,
        typer.Option(
            "--companion",
            help="YAML in the inventory format with what NetBox lacks (UPS, feeds' UPS, uplinks).",
        ),
    ] = None,
    vrf: Annotated[
        str | None,
        typer.Option(
            "--vrf", help="Import the prefixes and addresses of this VRF (default: global)."
        ),
    ] = None,
    duplicates: Annotated[
        str,
        typer.Option(
            "--duplicates", help="Names used twice: qualify (by site, panel, provider) or refuse."
        ),
    ] = "qualify",
    unnamed: Annotated[
        str,
        typer.Option(
            "--unnamed", help="Unnamed devices: name (after chassis or type and id) or skip."
        ),
    ] = "name",
    status_map: Annotated[
        list[str] | None,
        typer.Option(
            "--status-map", help="KIND:NETBOX=OURS, e.g. rack:available=planned (repeatable)."
        ),
    ] = None,
    containers: Annotated[
        str, typer.Option("--containers", help="Container prefixes: drop or keep.")
    ] = "drop",
    nested: Annotated[
        str,
        typer.Option(
            "--nested", help="Nested prefixes: keep the inner (narrower) or the outer one."
        ),
    ] = "inner",
    role_map: Annotated[
        list[str] | None,
        typer.Option("--role-map", help="NETBOX-ROLE=our-role for prefixes (repeatable)."),
    ] = None,
    default_role: Annotated[
        str, typer.Option("--default-role", help="Role of prefixes without one.")
    ] = "unassigned",
    ip_ranges: Annotated[
        str,
        typer.Option(
            "--ip-ranges", help="IP ranges: reserve (reserved ranges of their prefix) or skip."
        ),
    ] = "reserve",
    rack_reservations: Annotated[
        str,
        typer.Option(
            "--rack-reservations",
            help="Rack reservations: unusable (units), hold (for a tenant) or skip.",
        ),
    ] = "unusable",
    hold_tenant: Annotated[
        str | None,
        typer.Option(
            "--hold-tenant", help="Tenant slug of holds made from reservations without one."
        ),
    ] = None,
    hold_expires: Annotated[
        str | None,
        typer.Option(
            "--hold-expires", help="Expiry YYYY-MM-DD of those holds (default: 30 days on)."
        ),
    ] = None,
    no_power_paths: Annotated[
        bool,
        typer.Option(
            "--no-power-paths", help="Do not follow power cables to give devices their feeds."
        ),
    ] = False,
    no_device_types: Annotated[
        bool,
        typer.Option("--no-device-types", help="Do not add NetBox's device types to the catalog."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report everything, write nothing.")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON document.")
    ] = False,
) -> None:
    """Import a NetBox dumpdata JSON (dcim, ipam, tenancy, circuits) all or nothing, with a report."""
    from dcim.netbox import ImportOptions, import_netbox, parse_role_map, parse_status_map

    lang = context.language()
    options = ImportOptions(
        duplicates=_choice(duplicates, ("qualify", "refuse"), "--duplicates"),  # type: ignore[arg-type]
        unnamed=_choice(unnamed, ("name", "skip"), "--unnamed"),  # type: ignore[arg-type]
        status_map=parse_status_map(status_map or []),
        containers=_choice(containers, ("drop", "keep"), "--containers"),  # type: ignore[arg-type]
        nested=_choice(nested, ("inner", "outer"), "--nested"),  # type: ignore[arg-type]
        vrf=vrf,
        role_map=parse_role_map(role_map or []),
        default_role=next(iter(parse_role_map([f"x={default_role}"]).values())),
        ip_ranges=_choice(ip_ranges, ("reserve", "skip"), "--ip-ranges"),  # type: ignore[arg-type]
        rack_reservations=_choice(
            rack_reservations, ("unusable", "hold", "skip"), "--rack-reservations"
        ),  # type: ignore[arg-type]
        hold_tenant=hold_tenant,
        hold_expires=context.parse_date(hold_expires, "--hold-expires") if hold_expires else None,
        power_paths=not no_power_paths,
        device_types=not no_device_types,
    )
    report = import_netbox(
        context.engine(),
        file,
        actor=operator_actor(),
        options=options,
        companion=companion,
        dry_run=dry_run,
    )
    if json_out:
        context.print_json(report.to_json())
        return
    for line in report.text(lang):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``dcim import`` to the application."""
    app.add_typer(import_app)
