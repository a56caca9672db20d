"""``dcim verify``: recompute the totals the database maintains and report any difference."""

from __future__ import annotations

from typing import Annotated

import typer

from dcim.i18n import t

from . import context
from .context import read_session


def verify(
    json_out: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON document.")
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages: id or en.")
    ] = None,
) -> int:
    """Recompute every maintained total from the base rows; exit 1 when one differs."""
    from dcim.aggregates import verify as recompute

    language = context.language(lang)
    with read_session(context.engine()) as session:
        differences = recompute(session)
    if json_out:
        context.print_json(
            {"ok": not differences, "differences": [d.to_json() for d in differences]}
        )
    elif not differences:
        typer.echo(t("cli.verify.clean", language))
    else:
        for difference in differences:
            typer.echo(
                t(
                    "cli.verify.difference",
                    language,
                    total=t(f"cli.verify.names.{difference.total}", language),
                    key=difference.key,
                    stored=difference.stored,
                    recomputed=difference.recomputed,
                )
            )
        context.err(t("cli.verify.found", language, count=len(differences)))
    return 1 if differences else 0


def register(app: typer.Typer) -> None:
    """Add ``dcim verify`` to the application."""
    app.command()(verify)
