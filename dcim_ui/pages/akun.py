"""Akun saya: who is signed in, and changing one's own password.

The password form is also the whole app for someone whose password was
chosen by someone else (``must_change_password``), until they change it.
"""

from __future__ import annotations

import streamlit as st

from dcim.db import read_session, write_session
from dcim.users import change_own_password, set_email
from dcim_ui import auth, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import ALL_ROLES, PageSpec

PAGE = PageSpec(key="akun", icon=":material/person:", section="account", order=90, roles=ALL_ROLES)


def render() -> None:
    """Draw the page."""
    ctx = current()
    user = ctx.user
    assert user is not None
    style.page_header(tr("pages.akun"), tr("account.subtitle"))
    left, right = st.columns([1, 1], gap="large")
    with left, st.container(border=True):
        st.markdown(f"#### {user.full_name}")
        rows = [
            (tr("account.username"), user.username),
            (tr("account.role"), tr(f"roles.{user.role}")),
            (tr("account.tenant"), user.tenant or "–"),
            (tr("account.nip"), user.nip or "–"),
            (tr("account.position"), user.position or "–"),
        ]
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows))
    with right:
        password_form()
        email_form()


def password_form() -> bool:
    """The form to change one's own password; whether the password was changed in this run."""
    ctx = current()
    with st.form("change_password", clear_on_submit=True):
        st.markdown(f"#### {tr('account.change_password')}")
        current_password = st.text_input(tr("account.current_password"), type="password")
        new_password = st.text_input(tr("account.new_password"), type="password")
        repeat = st.text_input(tr("account.repeat_password"), type="password")
        if not st.form_submit_button(tr("account.save_password"), type="primary"):
            return False
    if new_password != repeat:
        st.error(tr("account.passwords_differ"))
        return False
    with refusals() as outcome:
        with write_session(ctx.engine) as session:
            stored = auth.actor(session)
            # Every other browser signed in as this person is signed out; this one goes on.
            change_own_password(
                session,
                stored,
                current_password,
                new_password,
                keep_session=st.session_state.get(auth.SESSION_KEY),
            )
        st.success(tr("account.password_changed"))
    return not outcome.refused


def email_form() -> None:
    """Where one's own workflow notices go; empty stops them."""
    ctx = current()
    with read_session(ctx.engine) as session:
        stored = auth.actor(session).email or ""
    with st.form("own_email", border=True):
        st.markdown(f"#### {tr('account.email')}")
        address = st.text_input(
            tr("account.email"),
            key="own_email",
            value=stored,
            max_chars=254,
            help=tr("account.email_help"),
        )
        if not st.form_submit_button(tr("account.save_email")):
            return
    with refusals():
        with write_session(ctx.engine) as session:
            person = auth.actor(session)
            set_email(session, person, person.username, address, ctx.lang)
        st.success(tr("account.email_saved"))


def must_change() -> None:
    """The only page of a person whose password someone else chose, until they change it."""
    style.page_header(tr("account.must_change_title"), tr("account.must_change_hint"))
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        if password_form():
            st.rerun()


if __name__ == "__main__":
    render()
