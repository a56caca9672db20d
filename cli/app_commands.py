"""Commands the app relies on: ``dcim snapshot`` records the day's utilization for the trends."""

from __future__ import annotations

from typing import Annotated

import typer

from dcim.i18n import date as format_date
from dcim.i18n import t

from . import context
from .context import read_session
from .identity import operator_actor


def snapshot(
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Day to record, YYYY-MM-DD, today or earlier (default: today in WITA)."
        ),
    ] = None,
) -> None:
    """Record used and usable of every resource for the day (replaces that day's snapshot)."""
    from dcim.snapshots import take_snapshot
    from dcim.workdays import today

    lang = context.language()
    engine = context.engine()
    day = context.parse_date(on, "--on", lang)
    if day is None:
        with read_session(engine) as session:
            day = today(session)
    with context.as_options({"on": "--on"}):
        rows = take_snapshot(engine, day, actor=operator_actor(), lang=lang)
    typer.echo(t("ui.snapshot.taken", lang, day=format_date(day, lang), rows=rows))


def register(app: typer.Typer) -> None:
    """Add these commands to the application."""
    app.command()(snapshot)
