"""Who acts on the command line: the operator, or a person who proved who they are.

A command that only needs the database (``init``, ``load``, ``reserve``,
``user add``, ...) acts as the :class:`~dcim.accounts.Operator`, named by
the OS login, and the audit log records the channel ``operator``.

A command that acts as a person (``dcim request submit --as``, ``dcim
request act``) needs proof, in this order:

1. a personal access token, ``--token`` or ``$DCIM_TOKEN`` (it names the
   user; ``--as`` may then be left out, and when given must name the same
   user) — channel ``token``;
2. the password, read from the first line of stdin with
   ``--password-stdin`` — channel ``password``;
3. the password asked for on the terminal — channel ``password``.

Without a terminal and without a token or ``--password-stdin`` the command
is refused with a message that names ``--token``.
"""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from dcim.errors import InputError, PermissionDenied, Problem
from dcim.i18n import t

from .context import read_session, write_session

#: The client address the command line's password attempts are counted under: one console.
CLI_ADDRESS = "cli"

if TYPE_CHECKING:
    from sqlalchemy import Engine

    # dcim.accounts loads the password hasher; the command line imports it only when it acts.
    from dcim.accounts import Operator
    from dcim.models import User

TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="DCIM_TOKEN",
        show_envvar=True,
        help="Personal access token proving who acts (dcim token create).",
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the --as user's password from the first line of stdin.",
    ),
]


def operator_actor() -> Operator:
    """The operator running this command (the OS login), for commands that need no proof."""
    from dcim.accounts import operator
    from dcim.models import Channel

    return operator(Channel.OPERATOR)


def _read_password(name: str, from_stdin: bool, lang: str) -> str:
    """The password: the first line of stdin when asked to, else typed on the terminal."""
    if from_stdin:
        try:
            line = sys.stdin.readline() if sys.stdin is not None else ""
        except (OSError, ValueError, UnicodeDecodeError):
            line = ""  # a closed or unreadable stdin gives no password
        password = line.rstrip("\r\n")
        if not password:
            raise InputError([Problem("--password-stdin", t("identity.password_empty", lang))])
        return password
    if not _on_a_terminal():
        raise InputError([Problem("--token", t("identity.proof_required", lang, user=name))])
    return getpass.getpass(t("identity.password_prompt", lang, user=name))


def _on_a_terminal() -> bool:
    """Whether a person can be asked for the password: stdin is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        # A closed or replaced stdin (a test runner's, a daemon's) is not a terminal.
        return False


def proven_person(
    engine: Engine,
    as_user: str | None,
    token: str | None,
    password_stdin: bool,
    lang: str,
) -> User | None:
    """The person the command acts as, proven; None when neither ``--as`` nor a token names one.

    Raises :class:`PermissionDenied` for a wrong, expired or revoked token, a
    token of another user than ``--as`` names, or a wrong password, and
    :class:`InputError` naming ``--token`` when no proof can be had.
    """
    from dcim.accounts import acting
    from dcim.models import Channel, User
    from dcim.signin import sign_in
    from dcim.tokens import verify_token

    if token:
        with write_session(engine) as session:
            user = verify_token(session, token, lang)
        if as_user is not None and as_user.strip().lower() != user.username.lower():
            raise PermissionDenied(
                t("identity.token_not_as", lang, owner=user.username, user=as_user)
            )
        return acting(user, Channel.TOKEN)
    if as_user is None:
        return None
    password = _read_password(as_user, password_stdin, lang)
    # The same lock-outs as the app's sign-in: a script guessing passwords is stopped as soon.
    attempt = sign_in(engine, as_user, password, CLI_ADDRESS)
    if attempt.locked_until is not None and not attempt.signed_in:
        raise PermissionDenied(t("identity.locked", lang, minutes=attempt.minutes_left()))
    if not attempt.signed_in:
        raise PermissionDenied(t("identity.password_wrong", lang, user=as_user))
    with read_session(engine) as session:
        found = session.get(User, attempt.user_id)
        assert found is not None
    return acting(found, Channel.PASSWORD)
