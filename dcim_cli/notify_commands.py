"""``dcim notify``: e-mail notices of the workflow — the mail settings, a run, the outbox.

``dcim notify run`` is what a timer calls (every few minutes, and once in the
morning for the overdue reminders); the app and ``dcim request act`` also run
it after each action. Changing the settings needs only database access (the
operator), as every operator command here does.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import operator_actor

notify_app = typer.Typer(
    help="E-mail notices: mail settings, sending what is owed, the outbox.",
    no_args_is_help=True,
)
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of messages: id or en.")]


@notify_app.command("settings")
def settings(
    host: Annotated[str, typer.Option("--host", help="The SMTP server.")],
    sender: Annotated[str, typer.Option("--sender", help="The From address of every notice.")],
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="The app's address for links, e.g. https://dc.example"),
    ],
    port: Annotated[int, typer.Option("--port", help="The SMTP port.")] = 25,
    security: Annotated[
        str, typer.Option("--security", help="none, starttls (port 587) or ssl (port 465).")
    ] = "none",
    username: Annotated[
        str | None, typer.Option("--username", help="The SMTP account, when it needs one.")
    ] = None,
    password_env: Annotated[
        str,
        typer.Option(
            "--password-env",
            help="The environment variable holding the SMTP password (never stored).",
        ),
    ] = "DCIM_SMTP_PASSWORD",
    lang: LangOption = None,
) -> None:
    """Set where notices go out; from now on every step is announced by e-mail."""
    from colocation.notifications import start_from_now
    from dcim.mail import write_mail_settings

    language = context.language(lang)
    values = {
        "host": host,
        "port": port,
        "security": security,
        "username": username,
        "password_env": password_env,
        "sender": sender,
        "base_url": base_url,
    }
    with write_session(context.engine()) as session:
        saved = write_mail_settings(session, operator_actor(), values, language)
        start_from_now(session)
    typer.echo(
        t("mail.settings_saved", language, host=saved.host, port=saved.port, sender=saved.sender)
    )


@notify_app.command("run")
def run(lang: LangOption = None) -> None:
    """Queue the notices new steps and today's overdue steps owe, and send what is owed."""
    from colocation.notifications import dispatch
    from dcim.mail import read_mail_settings

    language = context.language(lang)
    engine = context.engine()
    with read_session(engine) as session:
        if read_mail_settings(session) is None:
            context.err(t("mail.not_configured", language))
            raise typer.Exit(2)
    result = dispatch(engine, lang=language)
    typer.echo(
        t(
            "mail.run_done",
            language,
            queued=result.queued,
            sent=result.sent,
            failed=result.failed,
        )
    )
    if result.failed:
        raise typer.Exit(1)


@notify_app.command("status")
def status(lang: LangOption = None) -> None:
    """How many notices were sent, still wait, or were given up."""
    from colocation.notifications import MAX_ATTEMPTS, outbox_counts

    language = context.language(lang)
    with read_session(context.engine()) as session:
        counts = outbox_counts(session)
    typer.echo(
        t(
            "mail.status",
            language,
            sent=counts.sent,
            pending=counts.pending,
            failed=counts.failed,
            attempts=MAX_ATTEMPTS,
        )
    )


@notify_app.command("test")
def test(
    to: Annotated[str, typer.Argument(help="Where the test message goes.")],
    lang: LangOption = None,
) -> None:
    """Send one test message with the stored settings (exit 1 when the server refuses it)."""
    from dcim.mail import MailFailed, build_message, normalized_email, read_mail_settings, send

    language = context.language(lang)
    address = normalized_email(to, "TO", language)
    with read_session(context.engine()) as session:
        stored = read_mail_settings(session)
    if stored is None:
        context.err(t("mail.not_configured", language))
        raise typer.Exit(2)
    message = build_message(
        stored, address, t("mail.test_subject", language), t("mail.test_body", language)
    )
    try:
        send(stored, message)
    except MailFailed as exc:
        context.err(t("mail.failed", language, error=str(exc)))
        raise typer.Exit(1) from None
    typer.echo(t("mail.sent_test", language, to=address))


def register(app: typer.Typer) -> None:
    """Add the ``notify`` command group to the application."""
    app.add_typer(notify_app, name="notify")
