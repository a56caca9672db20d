"""Signing in and out: the sign-in page, and the person kept in the browser session.

Only the user's id is kept in the session; every run reads the account
again, so a switched-off account or a changed role takes effect at once.
Failed attempts are counted in the database per account name and per client
address (:mod:`dcim.signin`), so a reconnect does not start the count afresh.

The client address is the connection's (``st.context.ip_address``; None on
``localhost``, which then counts as one address). Behind a reverse proxy,
set ``DCIM_TRUSTED_PROXIES`` to the number of proxies in front of the app:
the address is then taken from ``X-Forwarded-For``, that many entries from
the right (the entries a client sends itself are further left, so it cannot
choose its own address).
"""

from __future__ import annotations

import ipaddress
import os

import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import PermissionDenied, acting
from dcim.db import read_session
from dcim.models import Channel, Organization, Tenant, User
from dcim.signin import sign_in
from dcim.users import demo_sign_in

from . import style
from .context import SignedIn, current, tr

USER_KEY = "_dcim_user_id"
TRUSTED_PROXIES_ENV = "DCIM_TRUSTED_PROXIES"
# Longer than any user name or password the app stores; the form takes no more.
MAX_INPUT_CHARS = 1024


def signed_in(session: Session) -> SignedIn | None:
    """The person signed in in this browser session, read afresh; None when nobody is."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    row = session.execute(
        select(User, Tenant.slug)
        .outerjoin(Tenant, Tenant.id == User.tenant_id)
        .where(User.id == user_id, User.active.is_(True))
    ).first()
    if row is None:
        st.session_state.pop(USER_KEY, None)
        return None
    user, slug = row
    return SignedIn(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        tenant_id=user.tenant_id,
        tenant=slug,
        nip=user.nip,
        position=user.position,
        must_change_password=bool(user.must_change_password),
    )


def actor(session: Session, user_id: int | None = None) -> User:
    """The signed-in person (or the user ``user_id``) as the services take them, read in ``session``.

    Pass ``user_id`` where the page's context is gone (a download built after
    the run). An account switched off since the page was drawn is refused.
    The person is marked as acting through the app, for the audit log.
    """
    if user_id is None:
        user = current().user
        assert user is not None
        user_id = user.id
    row = session.get(User, user_id)
    if row is None or not row.active:
        raise PermissionDenied(tr("req.signed_out"))
    return acting(row, Channel.APP)


def sign_out() -> None:
    """Forget the signed-in person and everything the session held for them."""
    lang = st.session_state.get("lang")
    st.session_state.clear()
    if lang:
        st.session_state["lang"] = lang


def client_address() -> str | None:
    """The address of the browser this session talks to (see the module's note on proxies)."""
    try:
        proxies = int(os.environ.get(TRUSTED_PROXIES_ENV, "0") or 0)
    except ValueError:
        proxies = 0
    if proxies > 0:
        forwarded = [
            entry.strip()
            for header in st.context.headers.get_all("X-Forwarded-For")
            for entry in header.split(",")
            if entry.strip()
        ]
        if forwarded:
            return _address(forwarded[-min(proxies, len(forwarded))])
    return _address(st.context.ip_address)


def _address(value: object) -> str | None:
    """The value when it is an IP address; None otherwise (it is then counted as "unknown")."""
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def sign_in_page(engine: Engine, *, no_users: bool = False) -> None:
    """The sign-in form, with the office's name and, for the demo, how to sign in.

    ``no_users``: the database has no account yet; the page says so and names
    the commands the operator runs. Nothing here creates a user.
    """
    with read_session(engine) as session:
        org = session.get(Organization, 1)
        demo = None if no_users else demo_sign_in(session)
    office = org.office if org and org.office else None
    government = org.government if org and org.government else None
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        lines = "".join(f"<p>{style.esc(text)}</p>" for text in (office, government) if text)
        st.html(
            f'<div class="dcim-login-head"><h1>dcim-lite</h1>'
            f"<p><b>{style.esc(tr('app.tagline'))}</b></p>{lines}</div>"
        )
        if no_users:
            st.info(tr("first_run.no_users"), icon=":material/person_off:")
            st.markdown(tr("first_run.real_steps"))
            st.markdown(tr("first_run.demo_steps"))
        with st.form("sign_in", border=True):
            st.subheader(tr("auth.title"))
            username = st.text_input(
                tr("auth.username"), key="sign_in_username", max_chars=MAX_INPUT_CHARS
            )
            password = st.text_input(
                tr("auth.password"),
                type="password",
                key="sign_in_password",
                max_chars=MAX_INPUT_CHARS,
            )
            submitted = st.form_submit_button(tr("auth.submit"), type="primary", width="stretch")
        if submitted:
            _attempt(engine, username.strip(), password)
        if demo is not None:
            with st.expander(tr("auth.demo_title")):
                st.caption(tr("auth.demo_hint", password=demo.password))
                st.markdown(", ".join(f"`{name}`" for name in demo.users))


def _attempt(engine: Engine, username: str, password: str) -> None:
    if not username or not password:
        st.error(tr("auth.missing"))
        return
    result = sign_in(engine, username, password, client_address())
    if result.signed_in:
        st.session_state[USER_KEY] = result.user_id
        st.rerun()
    if result.locked_until is not None:
        st.error(tr("auth.locked", minutes=result.minutes_left()), icon=":material/lock_clock:")
    else:
        st.error(tr("auth.wrong"))
