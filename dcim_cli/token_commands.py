"""``dcim token``: personal access tokens that prove who acts on the command line.

Making, listing and revoking tokens needs only database access (the
operator); the token is printed once, on stdout, and stored only as a hash.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import operator_actor

token_app = typer.Typer(
    rich_markup_mode=None,
    help="Personal access tokens: proof of who acts (dcim request act --token).",
    no_args_is_help=True,
)
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of messages: id or en.")]


@token_app.command("create")
def create(
    user: Annotated[str, typer.Argument(help="The user the token proves.")],
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="The last day it works, YYYY-MM-DD (default: no end)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="A label, e.g. the machine it is kept on.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Make a token for USER and print it once; keep it like a password."""
    from dcim.tokens import create_token

    language = context.language(lang)
    expires_at = context.parse_date(expires, "--expires", language)
    with write_session(context.engine()) as session:
        made = create_token(
            session, operator_actor(), user, expires_at=expires_at, label=name, lang=language
        )
    until = (
        t("identity.created_until", language, date=made.expires_at.isoformat())
        if made.expires_at
        else ""
    )
    context.err(t("identity.created", language, key=made.key, user=made.username, until=until))
    typer.echo(made.text)


@token_app.command("list")
def list_(
    user: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    lang: LangOption = None,
) -> None:
    """The tokens (never their secrets): whose, until when, last used, active or not."""
    from dcim.tokens import list_tokens
    from dcim.workdays import today

    language = context.language(lang)
    with read_session(context.engine()) as session:
        rows = list_tokens(session, user)
        day = today(session)
    if as_json:
        context.print_json(
            [
                {
                    "id": row.id,
                    "key": row.key,
                    "user": row.username,
                    "label": row.label,
                    "created_at": row.created_at.isoformat(),
                    "expires_at": row.expires_at.isoformat() if row.expires_at else None,
                    "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
                    "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
                    "state": row.state(day),
                }
                for row in rows
            ]
        )
        return
    if not rows:
        typer.echo(t("identity.none", language))
        return
    keys = ("id", "key", "user", "label", "expires", "last_used", "state")
    table = [[t(f"identity.header.{key}", language) for key in keys]] + [
        [
            str(row.id),
            row.key,
            row.username,
            row.label or "-",
            row.expires_at.isoformat() if row.expires_at else "-",
            row.last_used_at.strftime("%Y-%m-%d %H:%M") if row.last_used_at else "-",
            t(f"identity.state.{row.state(day)}", language),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(keys))]
    for line in table:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


@token_app.command("revoke")
def revoke(
    token_id: Annotated[
        int, typer.Argument(metavar="ID", help="The token's id (dcim token list).")
    ],
    lang: LangOption = None,
) -> None:
    """Revoke a token for good: it proves nobody any more."""
    from dcim.tokens import revoke_token

    language = context.language(lang)
    with write_session(context.engine()) as session:
        row = revoke_token(session, operator_actor(), token_id, language)
    typer.echo(t("identity.revoked", language, key=row.key, user=row.username))


def register(app: typer.Typer) -> None:
    """Add the ``token`` command group to the application."""
    app.add_typer(token_app, name="token")
