"""``dcim serve``: the HTTP JSON API (dcim_api) on uvicorn, over the database ``--db`` names."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from dcim.i18n import t

from . import context


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Worker processes (share one database).")
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI at /api/docs and /api/schema); tokens: `dcim token create`."""
    import uvicorn

    from dcim.db import ensure_schema, get_engine, resolve_url

    lang = context.language()
    url = resolve_url(context.state.db_url)
    # Migrate once here, not in every worker at the same moment.
    context.load_layers()
    ensure_schema(get_engine(url))
    context.settle()  # uvicorn serves from this process (one worker) or supervises its workers
    # Workers are separate processes: they find the database through the environment.
    os.environ["DCIM_DATABASE_URL"] = url
    shown = get_engine(url).url.render_as_string(hide_password=True)
    context.err(t("api.serving", lang, host=host, port=port, url=shown))
    uvicorn.run(
        "dcim_api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``dcim serve`` to the application."""
    app.command()(serve)
