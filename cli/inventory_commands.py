"""Commands over the inventory: init, load, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import func, select

from dcim.db import read_session, upgrade
from dcim.i18n import t
from dcim.inventory.export import prune_empty, read_inventory
from dcim.inventory.load import LoadSummary, load_file
from dcim.inventory.yamlio import dump_yaml
from dcim.models import Rack

from . import context


def summary_text(summary: LoadSummary, lang: str) -> str:
    """``4 OPD, 3 rak, ...``: the non-zero counts of a load."""
    parts = [
        f"{count} {t(f'cli.sections.{section}', lang)}"
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
    lang = context.language()
    engine = context.engine(create_schema=False)
    upgrade(engine)
    from dcim.catalog import import_builtin_catalog

    import_builtin_catalog(engine)
    typer.echo(t("cli.init_done", lang, url=engine.url.render_as_string(hide_password=True)))
    if demo:
        with read_session(engine) as session:
            has_data = session.scalar(select(func.count()).select_from(Rack)) or 0
        if has_data:
            typer.echo(t("cli.demo_present", lang))
            return
        from .demo import load_demo

        summary = load_demo(engine)
        typer.echo(t("cli.demo_loaded", lang, summary=summary_text(summary, lang)))


def load(
    file: Annotated[Path, typer.Argument(help="Inventory YAML file (format version 1).")],
) -> None:
    """Add the inventory in FILE (all or nothing)."""
    lang = context.language()
    summary = load_file(context.engine(), file)
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
    with read_session(context.engine()) as session:
        text = dump_yaml(prune_empty(read_inventory(session)))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        context.err(t("cli.exported", context.language(), file=output))


def register(app: typer.Typer) -> None:
    """Add these commands to the application."""
    app.command()(init)
    app.command()(load)
    app.command()(export)
