"""The web app's commands: ``dcim app`` serves it, ``dcim snapshot`` records the day's utilization.

``dcim app`` works from any folder and from an installed wheel: it runs
Streamlit on the entry script and settings shipped in :mod:`dcim_ui.launch`,
not on the clone's ``streamlit_app.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
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


def serve_app(
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port (default: 8501).")
    ] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Address to listen on (default: every interface)."),
    ] = None,
) -> None:
    """Serve the web app (Streamlit) over the database --db names, until Ctrl+C."""
    from dcim.db import ensure_schema, get_engine, resolve_url
    from dcim_ui.launch import streamlit_command

    url = resolve_url(context.state.db_url)
    # Migrated once here, so that a broken database is said on the terminal, not in a browser.
    ensure_schema(get_engine(url))
    context.settle()  # this process now only waits for Streamlit's
    # Streamlit runs the app in another process, which finds the database through the environment.
    env = {**os.environ, "DCIM_DATABASE_URL": url}
    process = subprocess.Popen(streamlit_command(port, address), env=env)
    # A service manager stops `dcim app` with SIGTERM: pass it on, or Streamlit would outlive us.
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        # The terminal sent Ctrl+C to Streamlit too; let it shut down and report how it ended.
        code = process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add these commands to the application."""
    app.command("app")(serve_app)
    app.command()(snapshot)
