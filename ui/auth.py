"""Signing in and out: the sign-in page, and the person kept in the browser session.

Only the user's id is kept in the session; every run reads the account
again, so a switched-off account or a changed role takes effect at once.
Repeated wrong passwords slow the next attempt down.
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import PermissionDenied, acting, authenticate
from dcim.db import read_session
from dcim.models import Channel, Organization, Tenant, User
from dcim.users import demo_sign_in

from . import style
from .context import SignedIn, current, tr

USER_KEY = "_dcim_user_id"
FAILURES_KEY = "_dcim_sign_in_failures"
SLOW_DOWN_AFTER = 3


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


def sign_in_page(engine: Engine) -> None:
    """The sign-in form, with the office's name and, for the demo, how to sign in."""
    with read_session(engine) as session:
        org = session.get(Organization, 1)
        demo = demo_sign_in(session)
    office = org.office if org and org.office else None
    government = org.government if org and org.government else None
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        lines = "".join(f"<p>{style.esc(text)}</p>" for text in (office, government) if text)
        st.html(
            f'<div class="dcim-login-head"><h1>dcim-lite</h1>'
            f"<p><b>{style.esc(tr('app.tagline'))}</b></p>{lines}</div>"
        )
        with st.form("sign_in", border=True):
            st.subheader(tr("auth.title"))
            username = st.text_input(tr("auth.username"), key="sign_in_username")
            password = st.text_input(tr("auth.password"), type="password", key="sign_in_password")
            submitted = st.form_submit_button(tr("auth.submit"), type="primary", width="stretch")
        if submitted:
            _attempt(engine, username.strip(), password)
        if demo:
            with st.expander(tr("auth.demo_title")):
                st.caption(tr("auth.demo_hint", password=demo.get("password", "")))
                st.markdown(", ".join(f"`{name}`" for name in demo.get("users", [])))


def _attempt(engine: Engine, username: str, password: str) -> None:
    failures = st.session_state.get(FAILURES_KEY, 0)
    if failures >= SLOW_DOWN_AFTER:
        time.sleep(min(5, failures - SLOW_DOWN_AFTER + 1))
    if not username or not password:
        st.error(tr("auth.missing"))
        return
    with read_session(engine) as session:
        user = authenticate(session, username, password)
        user_id = user.id if user is not None else None
    if user_id is None:
        st.session_state[FAILURES_KEY] = failures + 1
        st.error(tr("auth.wrong"))
        return
    st.session_state.pop(FAILURES_KEY, None)
    st.session_state[USER_KEY] = user_id
    st.rerun()
