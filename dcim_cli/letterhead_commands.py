"""``dcim letterhead``: the kop surat's address, contacts and logo, and the language of letters.

Like every operator command these need only database access; the inventory
file's ``organization`` still names the government, the office and the city.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dcim.errors import InputError, Problem
from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import operator_actor

letterhead_app = typer.Typer(
    help="The kop surat: address, telephone, website, e-mail, logo; the letters' language.",
    no_args_is_help=True,
)


@letterhead_app.command("show")
def show() -> None:
    """Print the stored kop surat lines as JSON (the logo as its size in bytes)."""
    from dcim.letterhead import read_letterhead_settings, read_logo

    with read_session(context.engine()) as session:
        settings = read_letterhead_settings(session)
        logo = read_logo(session)
    document = settings.model_dump(mode="json")
    document["logo_bytes"] = len(logo) if logo else None
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@letterhead_app.command("set")
def set_(
    address: Annotated[str | None, typer.Option("--address", help="Street address.")] = None,
    postal_code: Annotated[
        str | None, typer.Option("--postal-code", help="Kode pos (5 digits).")
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Telephone.")] = None,
    fax: Annotated[str | None, typer.Option("--fax", help="Fax.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="The office's e-mail.")] = None,
    website: Annotated[str | None, typer.Option("--website", help="The office's website.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="The letters' language: id or en.")
    ] = None,
) -> None:
    """Change the given lines and keep the others; an empty value ('') removes a line."""
    from dcim.letterhead import read_letterhead_settings, write_letterhead_settings

    lang = context.language()
    given = {
        "address": address,
        "postal_code": postal_code,
        "phone": phone,
        "fax": fax,
        "email": email,
        "website": website,
        "language": language,
    }
    with write_session(context.engine()) as session:
        values = read_letterhead_settings(session).model_dump(mode="json")
        values.update({key: value for key, value in given.items() if value is not None})
        write_letterhead_settings(session, operator_actor(), values, lang)
    typer.echo(t("letterhead.saved", lang))


@letterhead_app.command("logo")
def logo(
    file: Annotated[
        Path | None, typer.Argument(help="A PNG or JPEG file (at most 512 KB).")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the logo.")] = False,
) -> None:
    """Put a logo (the regional government's) on the kop surat, or remove it."""
    from dcim.letterhead import MAX_LOGO_BYTES, write_logo

    lang = context.language()
    if file is None and not remove:
        raise InputError([Problem("FILE", t("letterhead.field.logo", lang))])
    content = None
    if file is not None:
        try:
            with file.open("rb") as handle:
                content = handle.read(MAX_LOGO_BYTES + 1)
        except OSError as exc:
            raise InputError([Problem("FILE", exc.strerror or str(exc))], str(file)) from exc
    with write_session(context.engine()) as session:
        write_logo(session, operator_actor(), content, lang)
    typer.echo(t("letterhead.logo_saved" if content else "letterhead.logo_removed", lang))


def register(app: typer.Typer) -> None:
    """Add the ``letterhead`` command group to the application."""
    app.add_typer(letterhead_app, name="letterhead")
