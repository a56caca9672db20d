"""Commands over users: ``dcim user add`` and ``dcim user list``, and password resets."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dcim.errors import InputError, Problem
from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import operator_actor

user_app = typer.Typer(
    rich_markup_mode=None,
    help="Users who sign in to the app, and their roles.",
    no_args_is_help=True,
)


def _read_password(lang: str) -> str:
    """The new password: asked twice on a terminal, else the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        return typer.prompt(
            t("ui.users.password_prompt", lang), hide_input=True, confirmation_prompt=True
        )
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise InputError([Problem("password", "no password on stdin")], "stdin")
    return password


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="The user's role, e.g. tim_dc or opd (a wrong one is refused with the list).",
        ),
    ],
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Tenant slug (required for role opd).")
    ] = None,
    full_name: Annotated[str | None, typer.Option("--full-name", help="Full name.")] = None,
    nip: Annotated[str | None, typer.Option("--nip", help="NIP (civil servant number).")] = None,
    position: Annotated[str | None, typer.Option("--position", help="Jabatan.")] = None,
    rank: Annotated[
        str | None, typer.Option("--rank", help="Pangkat/golongan, e.g. 'Penata (III/c)'.")
    ] = None,
) -> None:
    """Add a user; the password is asked for, or read from the first line of stdin."""
    # User administration loads the password hasher; only these commands need it.
    from dcim.users import add_user

    lang = context.language()
    engine = context.engine()
    password = _read_password(lang)
    with write_session(engine) as session:
        add_user(
            session,
            operator_actor(),
            name,
            role,
            password,
            full_name=full_name,
            tenant=tenant,
            nip=nip,
            position=position,
            rank=rank,
        )
    typer.echo(t("ui.users.added", lang, username=name, role=t(f"ui.roles.{role}", lang)))


@user_app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """The users, by role."""
    from dcim.users import list_users

    lang = context.language()
    with read_session(context.engine()) as session:
        rows = list_users(session)
    if as_json:
        context.print_json(
            [
                {
                    "username": row.username,
                    "full_name": row.full_name,
                    "role": row.role,
                    "tenant": row.tenant,
                    "nip": row.nip,
                    "position": row.position,
                    "active": row.active,
                }
                for row in rows
            ]
        )
        return
    if not rows:
        typer.echo(t("ui.users.none", lang))
        return
    width = max(len(row.username) for row in rows)
    for row in rows:
        role = row.role + (f":{row.tenant}" if row.tenant else "")
        state = "" if row.active else f"  ({t('ui.users.inactive', lang)})"
        typer.echo(f"{row.username:<{width}}  {role:<22}  {row.full_name}{state}")


@user_app.command("passwd")
def passwd(name: Annotated[str, typer.Argument(help="User whose password to set.")]) -> None:
    """Set a user's password (asked for, or the first line of stdin)."""
    from dcim.users import set_password

    lang = context.language()
    engine = context.engine()
    password = _read_password(lang)
    with write_session(engine) as session:
        set_password(session, operator_actor(), name, password)
    typer.echo(t("ui.users.password_set", lang, username=name))


@user_app.command("email")
def email(
    name: Annotated[str, typer.Argument(help="User whose notices go to the address.")],
    address: Annotated[str, typer.Argument(help="The e-mail address; an empty string removes it.")],
) -> None:
    """Set where a user's workflow notices go (dcim notify), or remove it with ''."""
    from dcim.users import set_email

    lang = context.language()
    with write_session(context.engine()) as session:
        set_email(session, operator_actor(), name, address, lang)
    key = "mail.email_set" if address.strip() else "mail.email_cleared"
    typer.echo(t(key, lang, username=name))


@user_app.command("rank")
def rank(
    name: Annotated[str, typer.Argument(help="User who signs documents.")],
    value: Annotated[str, typer.Argument(help="Pangkat/golongan; an empty string removes it.")],
) -> None:
    """Set the pangkat/golongan printed under the user's name on signed documents."""
    from dcim.users import set_rank

    lang = context.language()
    with write_session(context.engine()) as session:
        set_rank(session, operator_actor(), name, value)
    typer.echo(t("letterhead.rank_saved", lang, username=name))


@user_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="User to switch off.")]) -> None:
    """Switch an account off; it can no longer sign in."""
    from dcim.users import set_active

    with write_session(context.engine()) as session:
        set_active(session, operator_actor(), name, False)
    typer.echo(t("ui.users.disabled", context.language(), username=name))


@user_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="User to switch on again.")]) -> None:
    """Switch an account on again."""
    from dcim.users import set_active

    with write_session(context.engine()) as session:
        set_active(session, operator_actor(), name, True)
    typer.echo(t("ui.users.enabled", context.language(), username=name))


def register(app: typer.Typer) -> None:
    """Add the ``user`` command group to the application."""
    app.add_typer(user_app, name="user")
