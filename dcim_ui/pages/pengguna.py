"""Pengguna: the people who sign in, their roles, adding or switching off accounts, resetting
passwords, and how long a sign-in lasts (:mod:`dcim_ui.session_times`).

For the administrator only. A new account starts at the least-privileged
role (pemantau) so that a hurried click never makes another administrator.
A reset password must be changed at the next sign-in and ends every session
of that person (:func:`dcim.users.set_password`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dcim.db import read_session, write_session
from dcim.i18n import t
from dcim.models import Role
from dcim.users import add_user, list_users, set_active, set_password
from dcim_ui import auth, data, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import PageSpec
from dcim_ui.session_times import session_times_form

#: What a new account starts at: the viewer reads and changes nothing.
LEAST_PRIVILEGED_ROLE = Role.VIEWER

PAGE = PageSpec(
    key="pengguna",
    icon=":material/group:",
    section="admin",
    order=20,
    roles=frozenset({Role.ADMIN}),
)


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.pengguna"), tr("people.subtitle"))
    with read_session(ctx.engine) as session:
        users = list_users(session)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("account.username"): u.username,
                    tr("people.name"): u.full_name,
                    tr("account.role"): tr(f"roles.{u.role}"),
                    tr("account.tenant"): u.tenant or "–",
                    tr("account.nip"): u.nip or "–",
                    tr("account.position"): u.position or "–",
                    tr("people.active"): u.active,
                }
                for u in users
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    left, right = st.columns(2, gap="large")
    with left, st.form("add_user", clear_on_submit=False):
        st.markdown(f"#### {tr('people.add')}")
        username = st.text_input(tr("account.username"))
        full_name = st.text_input(tr("people.name"))
        role = st.selectbox(
            tr("account.role"),
            Role.values(),
            index=Role.values().index(LEAST_PRIVILEGED_ROLE),
            format_func=lambda r: tr(f"roles.{r}"),
        )
        tenants = dict(data.tenants())
        tenant = st.selectbox(
            tr("people.tenant"),
            [None, *tenants],
            format_func=lambda s: "–" if s is None else f"{s} · {tenants[s]}",
        )
        c1, c2 = st.columns(2)
        nip = c1.text_input(tr("account.nip"))
        position = c2.text_input(tr("account.position"))
        password = st.text_input(tr("people.password"), type="password")
        if st.form_submit_button(
            tr("people.add_button"), type="primary", icon=":material/person_add:"
        ):
            _add(
                username.strip(),
                role,
                password,
                full_name.strip() or None,
                tenant,
                nip.strip() or None,
                position.strip() or None,
            )
    with right, st.container(border=True):
        st.markdown(f"#### {tr('people.switch')}")
        others = [
            u.username for u in users if u.username != (ctx.user.username if ctx.user else "")
        ]
        chosen = st.selectbox(tr("account.username"), others, key="people_switch_user")
        state = next((u.active for u in users if u.username == chosen), True)
        label = tr("people.deactivate") if state else tr("people.activate")
        if chosen and st.button(label, key="people_switch"):
            with refusals():
                with write_session(ctx.engine) as session:
                    set_active(session, auth.actor(session), chosen, not state)
                st.rerun()
    with right:
        _reset_form(others)
        session_times_form()


def _reset_form(usernames: list[str]) -> None:
    """Set a temporary password for someone else; they change it at their next sign-in."""
    ctx = current()
    with st.form("people_reset", clear_on_submit=True):
        st.markdown(f"#### {t('people.reset_title', ctx.lang)}")
        st.caption(t("people.reset_hint", ctx.lang))
        username = st.selectbox(
            t("people.reset_user", ctx.lang), usernames, key="people_reset_user"
        )
        password = st.text_input(t("people.reset_password", ctx.lang), type="password")
        repeat = st.text_input(t("people.reset_repeat", ctx.lang), type="password")
        submitted = st.form_submit_button(
            t("people.reset_button", ctx.lang), icon=":material/lock_reset:"
        )
    if not submitted or not username:
        return
    if password != repeat:
        st.error(tr("account.passwords_differ"))
        return
    labels = {
        "username": t("people.reset_user", ctx.lang),
        "password": t("people.reset_password", ctx.lang),
    }
    with refusals(labels=labels) as outcome, write_session(ctx.engine) as session:
        set_password(session, auth.actor(session), username, password)
    if not outcome.refused:
        st.success(t("people.reset_done", ctx.lang, username=username))


def _add_labels() -> dict[str, str]:
    """What the add form calls each field the service names by its path."""
    return {
        "username": tr("account.username"),
        "full_name": tr("people.name"),
        "role": tr("account.role"),
        "tenant": tr("people.tenant"),
        "nip": tr("account.nip"),
        "position": tr("account.position"),
        "password": tr("people.password"),
    }


def _add(
    username: str,
    role: str,
    password: str,
    full_name: str | None,
    tenant: str | None,
    nip: str | None,
    position: str | None,
) -> None:
    ctx = current()
    with refusals(labels=_add_labels()):
        with write_session(ctx.engine) as session:
            add_user(
                session,
                auth.actor(session),
                username,
                role,
                password,
                full_name=full_name,
                tenant=tenant,
                nip=nip,
                position=position,
            )
        st.success(tr("users.added", username=username, role=tr(f"roles.{role}")))


if __name__ == "__main__":
    render()
