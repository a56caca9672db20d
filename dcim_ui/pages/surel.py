"""Surel: where the workflow's e-mail notices go out, a test message, and the outbox (administrator)."""

from __future__ import annotations

import streamlit as st

from colocation.notifications import MAX_ATTEMPTS, outbox_counts, start_from_now
from dcim.db import read_session, write_session
from dcim.i18n import t
from dcim.mail import (
    MailFailed,
    MailSettings,
    Security,
    build_message,
    normalized_email,
    read_mail_settings,
    send,
    write_mail_settings,
)
from dcim.models import Role
from dcim_ui import auth, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="surel",
    icon=":material/mail:",
    section="admin",
    order=30,
    roles=frozenset({Role.ADMIN}),
)


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.surel"), tr("mail.subtitle"))
    with read_session(ctx.engine) as session:
        stored = read_mail_settings(session)
        counts = outbox_counts(session)
    sent, waiting, failed = st.columns(3)
    sent.metric(tr("mail.sent"), counts.sent)
    waiting.metric(tr("mail.waiting"), counts.pending)
    failed.metric(tr("mail.failed", attempts=MAX_ATTEMPTS), counts.failed)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _settings_form(stored)
    with right:
        _test_form()


def _settings_form(stored: MailSettings | None) -> None:
    ctx = current()
    securities = [security.value for security in Security]
    with st.form("mail_settings", border=True):
        st.markdown(f"#### {tr('mail.settings')}")
        host = st.text_input(
            tr("mail.host"), key="mail_host", value=getattr(stored, "host", ""), max_chars=253
        )
        port = st.number_input(
            tr("mail.port"),
            key="mail_port",
            min_value=1,
            max_value=65535,
            value=getattr(stored, "port", 25),
        )
        security = st.selectbox(
            tr("mail.security"),
            securities,
            index=securities.index(getattr(stored, "security", Security.NONE)),
            format_func=lambda value: tr(f"mail.security_{value}"),
        )
        username = st.text_input(
            tr("mail.username"),
            key="mail_username",
            value=getattr(stored, "username", None) or "",
            max_chars=254,
        )
        password_env = st.text_input(
            tr("mail.password_env"),
            key="mail_password_env",
            value=getattr(stored, "password_env", "DCIM_SMTP_PASSWORD"),
            max_chars=100,
            help=tr("mail.password_env_help"),
        )
        sender = st.text_input(
            tr("mail.sender"), key="mail_sender", value=getattr(stored, "sender", ""), max_chars=254
        )
        base_url = st.text_input(
            tr("mail.base_url"),
            key="mail_base_url",
            value=getattr(stored, "base_url", ""),
            max_chars=300,
            help=tr("mail.base_url_help"),
        )
        if not st.form_submit_button(tr("mail.save"), type="primary"):
            return
    values = {
        "host": host.strip(),
        "port": int(port),
        "security": security,
        "username": username.strip() or None,
        "password_env": password_env.strip(),
        "sender": sender.strip(),
        "base_url": base_url.strip(),
    }
    with refusals():
        with write_session(ctx.engine) as session:
            write_mail_settings(session, auth.actor(session), values, ctx.lang)
            start_from_now(session)
        st.success(tr("mail.saved"))


def _test_form() -> None:
    ctx = current()
    # Read again: the settings form, drawn first, may have just saved the first settings.
    with read_session(ctx.engine) as session:
        configured = read_mail_settings(session) is not None
    with st.form("mail_test", border=True):
        st.markdown(f"#### {tr('mail.test')}")
        to = st.text_input(tr("mail.test_to"), key="mail_test_to", max_chars=254)
        if not st.form_submit_button(tr("mail.send_test"), disabled=not configured):
            return
    with read_session(ctx.engine) as session:
        stored = read_mail_settings(session)
    if stored is None:
        return
    with refusals():
        address = normalized_email(to, tr("mail.test_to"), ctx.lang)
        message = build_message(
            stored, address, t("mail.test_subject", ctx.lang), t("mail.test_body", ctx.lang)
        )
        try:
            send(stored, message)
        except MailFailed as exc:
            st.error(t("mail.failed", ctx.lang, error=str(exc)))
        else:
            st.success(t("mail.sent_test", ctx.lang, to=address))


if __name__ == "__main__":
    render()
