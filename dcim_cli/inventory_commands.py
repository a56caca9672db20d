"""Commands over the inventory: init, load, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dcim.i18n import t

from . import context
from .context import read_session
from .identity import operator_actor

if TYPE_CHECKING:
    from dcim.inventory.load import LoadSummary


def summary_text(summary: LoadSummary, lang: str) -> str:
    """``4 OPD, 3 rak, ...``: the non-zero counts of a load."""
    parts = [
        f"{count} {t(('cli.section.' if count == 1 else 'cli.sections.') + section, lang)}"
        for section, count in summary.counts.items()
        if count
    ]
    return ", ".join(parts)


def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Also load the bundled demo data center.")
    ] = False,
) -> None:
    """Create or upgrade the schema; --demo also loads the bundled demo data center."""
    from dcim.catalog import import_builtin_catalog

    lang = context.language()
    engine = context.engine(create_schema=False)
    from dcim.db import upgrade

    upgrade(engine)

    import_builtin_catalog(engine, operator_actor())
    typer.echo(t("cli.init_done", lang, url=engine.url.render_as_string(hide_password=True)))
    if demo:
        from dcim_demo import load_demo

        summary = load_demo(engine, operator_actor())
        if summary is None:
            typer.echo(t("cli.demo_present", lang))
            return
        typer.echo(t("cli.demo_loaded", lang, summary=summary_text(summary, lang)))


def load(
    file: Annotated[Path, typer.Argument(help="Inventory YAML file (format version 1).")],
) -> None:
    """Add the inventory in FILE (all or nothing)."""
    from dcim.inventory.load import load_file

    lang = context.language()
    summary = load_file(context.engine(), file, actor=operator_actor())
    if summary.total():
        typer.echo(t("cli.loaded", lang, file=file, summary=summary_text(summary, lang)))
    else:
        typer.echo(t("cli.loaded_nothing", lang, file=file))


def export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write the inventory as YAML (stdout by default)."""
    from dcim.inventory.export import prune_empty, read_inventory
    from dcim.inventory.yamlio import dump_yaml

    with read_session(context.engine()) as session:
        text = dump_yaml(prune_empty(read_inventory(session)))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        context.err(t("cli.exported", context.language(), file=output))


def utilization(
    on: Annotated[
        str | None, typer.Option("--on", help="Evaluation date YYYY-MM-DD (default: today).")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document.")
    ] = False,
) -> None:
    """Used and usable of every resource."""
    from dcim.i18n import date as fmt_date
    from dcim.i18n import number, percent
    from dcim.utilization import utilization as compute
    from dcim.workdays import today

    lang = context.language()
    given = context.parse_date(on, "--on")
    engine = context.engine()
    with read_session(engine) as session:
        day = given or today(session)
        document = compute(session, day)
    if json_out:
        context.print_json(document)
        return

    def line(key: str, **params: object) -> None:
        typer.echo("  " + t(f"cli.utilization.{key}", lang, **params))

    def n(value: float | int | None) -> str:
        return "–" if value is None else number(value, lang, 1)

    def width(rows: list[dict], key: str) -> int:
        # A long name widens its column instead of pushing the rest of its line out of line.
        return max((len(str(row[key] or "–")) for row in rows), default=0)

    rack_w = width(document["racks"], "name")
    feed_w, feed_rack_w = width(document["feeds"], "name"), width(document["feeds"], "rack")
    ups_w, uplink_w = width(document["ups"], "name"), width(document["uplinks"], "name")
    prefix_w, role_w = width(document["prefixes"], "prefix"), width(document["prefixes"], "role")

    typer.echo(
        t(
            "cli.utilization.title",
            lang,
            date=fmt_date(day, lang),
            redundancy=document["redundancy"],
        )
    )
    typer.echo(t("cli.utilization.racks", lang))
    for r in document["racks"]:
        limit = (
            t("cli.utilization.weight_limit", lang, limit=n(r["max_weight_kg"]))
            if r["max_weight_kg"]
            else ""
        )
        line(
            "rack_line",
            name=r["name"].ljust(rack_w),
            status=r["status"],
            used=r["units_used"],
            free=r["units_free"],
            block=r["largest_free_block"],
            weight=n(r["weight_kg"]),
            limit=limit,
        )
    typer.echo(t("cli.utilization.feeds", lang))
    for f in document["feeds"]:
        line(
            "feed_line",
            name=f["name"].ljust(feed_w),
            rack=(f["rack"] or "–").ljust(feed_rack_w),
            normal=n(f["normal_w"]),
            worst=n(f["worst_case_w"]),
            usable=n(f["usable_w"]),
            percent=percent(f["percent"], lang),
        )
    typer.echo(t("cli.utilization.ups", lang))
    for u in document["ups"]:
        runtime = "–" if u["runtime_min"] is None else f"{n(u['runtime_min'])} min"
        line(
            "ups_line",
            name=u["name"].ljust(ups_w),
            load=n(u["load_w"]),
            usable=n(u["usable_w"]),
            percent=percent(u["percent"], lang),
            runtime=runtime,
        )
    typer.echo(t("cli.utilization.uplinks", lang))
    for u in document["uplinks"]:
        line(
            "uplink_line",
            name=u["name"].ljust(uplink_w),
            committed=n(u["committed_mbps"]),
            usable=n(u["usable_mbps"]),
            percent=percent(u["percent"], lang),
        )
    typer.echo(t("cli.utilization.prefixes", lang))
    for p in document["prefixes"]:
        line(
            "prefix_line",
            prefix=p["prefix"].ljust(prefix_w),
            role=p["role"].ljust(role_w),
            used=n(p["used"]),
            free=n(p["free"]),
            percent=percent(p["percent"], lang),
        )
    typer.echo(t("cli.utilization.zones", lang))
    for z in document["zones"]:
        line("zone_line", name=z["name"], records=z["records"], held=z["held_names"])
    typer.echo(t("cli.utilization.totals", lang))
    for key in ("space", "power", "ups", "bandwidth"):
        total = document["totals"][key]
        line(
            "total_line",
            label=t(f"capacity.names.{key}", lang),
            used=n(total["used"]),
            usable=n(total["usable"]),
            percent=percent(total["percent"], lang),
        )
    for role, total in document["totals"]["ip"].items():
        line(
            "total_line",
            label=f"IP {role}",
            used=n(total["used"]),
            usable=n(total["usable"]),
            percent=percent(total["percent"], lang),
        )


def register(app: typer.Typer) -> None:
    """Add these commands to the application."""
    app.command()(init)
    app.command()(load)
    app.command()(export)
    app.command()(utilization)
