"""Outgoing e-mail: the office's SMTP settings and one way to send a message.

The settings are an office setting (the ``settings`` row ``mail``), changed by
the administrator or the operator and audited. The password is never stored:
the settings name an environment variable that holds it, so a database copy
or an export does not carry the mail account. Sending uses the standard
library's :mod:`smtplib` with a bounded timeout; what to send, and to whom, is
the workflow's business (:mod:`colocation.notifications`).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import OPERATOR_ROLE, Role, Setting

MAIL_SETTING = "mail"
DEFAULT_PASSWORD_ENV = "DCIM_SMTP_PASSWORD"
SEND_TIMEOUT_S = 10.0
MAIL_ADMIN_ROLES = (Role.ADMIN, OPERATOR_ROLE)


class Security(StrEnum):
    """How the connection to the mail server is protected."""

    NONE = "none"  # plain SMTP, for a relay on the same host or network
    STARTTLS = "starttls"  # plain connection upgraded to TLS (port 587)
    SSL = "ssl"  # TLS from the first byte (port 465)


class MailSettings(BaseModel):
    """Where the office's mail goes out, and the address of the app for links."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:\[\]-]+$")]
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    security: Security = Security.NONE
    username: Annotated[str, Field(max_length=254)] | None = None
    password_env: Annotated[str, Field(max_length=100, pattern=r"^[A-Z_][A-Z0-9_]*$")] = (
        DEFAULT_PASSWORD_ENV
    )
    sender: Annotated[str, Field(max_length=254)]
    #: The app's address as the office's people reach it, for the link in each notice.
    base_url: Annotated[str, Field(max_length=300, pattern=r"^https?://[^\s]+$")]


class MailFailed(Exception):
    """The mail server refused a message or could not be reached; the text says why."""


def email_problem(value: str, lang: str) -> str | None:
    """Why ``value`` is not an e-mail address one can write to, or None when it is."""
    if len(value) > 254:
        return t("mail.email_too_long", lang)
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return t("mail.email_invalid", lang, value=value[:80])
    return None


def normalized_email(value: str, field: str, lang: str) -> str:
    """The address as it will be stored, or :class:`InputError` naming ``field``."""
    value = value.strip()
    problem = email_problem(value, lang)
    if problem is not None:
        raise InputError([Problem(field, problem)])
    return validate_email(value, check_deliverability=False).normalized


def read_mail_settings(session: Session) -> MailSettings | None:
    """The office's mail settings, or None when mail is not set up."""
    row = session.get(Setting, MAIL_SETTING)
    if row is None or not isinstance(row.value, dict):
        return None
    try:
        return MailSettings.model_validate(row.value)
    except ValidationError:
        return None  # written by an older program: mail stays off until set again


def write_mail_settings(
    session: Session, actor: Actor, values: dict[str, object], lang: str = "id"
) -> MailSettings:
    """Check and store the mail settings; only the administrator or the operator may.

    Every field is checked in one pass, the sender's address with the rest, so
    that one refusal names every problem (the form is not sent back once per field).
    """
    require_role(actor, MAIL_ADMIN_ROLES, "change the mail settings")
    settings, problems = _checked_settings(values, lang)
    if settings is None or problems:
        raise InputError(problems)
    sender = validate_email(settings.sender.strip(), check_deliverability=False).normalized
    settings = settings.model_copy(update={"sender": sender})
    stored = settings.model_dump(mode="json")
    row = session.get(Setting, MAIL_SETTING)
    if row is None:
        session.add(Setting(key=MAIL_SETTING, value=stored))
    else:
        row.value = stored
    record(session, actor, "settings.mail", "setting", MAIL_SETTING, settings.host, stored)
    return settings


def _checked_settings(
    values: dict[str, object], lang: str
) -> tuple[MailSettings | None, list[Problem]]:
    """The settings when the values make them, and every problem of every field, in form order.

    The sender's address is checked as an address even when other fields are
    wrong; a field gets one problem however many rules it breaks.
    """
    found: dict[str, Problem] = {}
    settings: MailSettings | None = None
    try:
        settings = MailSettings.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "host"
            found.setdefault(field, _setting_problem(field, lang))
    sender = values.get("sender")
    if "sender" not in found and isinstance(sender, str):
        problem = email_problem(sender.strip(), lang)
        if problem is not None:
            found["sender"] = Problem(t("mail.field.sender", lang), problem)
    order = list(MailSettings.model_fields)
    ranked = sorted(found, key=lambda f: order.index(f) if f in order else len(order))
    return settings, [found[field] for field in ranked]


def _setting_problem(field: str, lang: str) -> Problem:
    """One bad setting, named as the form and the command line name it, with the rule it breaks."""
    if field not in MailSettings.model_fields:
        return Problem(field, t("mail.rule.unknown", lang))
    return Problem(t(f"mail.field.{field}", lang), t(f"mail.rule.{field}", lang))


def build_message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the office's sender address."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Hand one message to the mail server, or raise :class:`MailFailed` saying why."""
    password = os.environ.get(settings.password_env) if settings.username else None
    try:
        if settings.security is Security.SSL:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=SEND_TIMEOUT_S,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SEND_TIMEOUT_S)
        with client:
            if settings.security is Security.STARTTLS:
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(f"{type(exc).__name__}: {exc}"[:500]) from None
