"""Signing in and out: the sign-in page, and the person kept in the browser session.

Who is signed in is an app session (:mod:`dcim.sessions`): its id is kept in
the Streamlit session and, once the browser has been handed its cookie
(:mod:`dcim_ui.server`), in an HttpOnly cookie, so that a reload, a new tab
or a bookmarked link finds it again. Every run asks the database whether the
session still counts and reads the account again, so a sign-out in another
tab, a password reset, a switched-off account or a changed role takes effect
at the next click.
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
import json
import os
from urllib.parse import urlencode, urlsplit

import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import acting
from dcim.db import read_session
from dcim.errors import PermissionDenied
from dcim.models import Channel, Organization, Tenant, User
from dcim.sessions import (
    COOKIE_NAME,
    check_session,
    end_session,
    session_id_from_cookie,
    signing_key,
    start_session,
)
from dcim.signin import sign_in
from dcim.users import demo_sign_in

from . import server, style
from .context import SignedIn, current, tr

#: The app session's id, for the runs of this browser session.
SESSION_KEY = "_dcim_session_id"
#: A one-time ticket waiting to be handed to the browser (set at sign-in, used by the next run).
TICKET_KEY = "_dcim_session_ticket"
#: Set at sign-out: the sign-out token the next run has the browser POST to remove its cookie.
SIGNED_OUT_KEY = "_dcim_signed_out"
#: The oldest cookie worth asking the database about: the longest lifetime an office may set.
MAX_COOKIE_AGE = server.MAX_COOKIE_AGE
TRUSTED_PROXIES_ENV = "DCIM_TRUSTED_PROXIES"
# Longer than any user name or password the app stores; the form takes no more.
MAX_INPUT_CHARS = 1024


def current_session_id(engine: Engine) -> str | None:
    """The app session of this browser: the one signed in in this tab, else the cookie's."""
    held = st.session_state.get(SESSION_KEY)
    if held:
        return str(held)
    value = st.context.cookies.get(COOKIE_NAME)
    if not value:
        return None
    # The cookie's own age is checked against the longest a session may last; the row decides.
    return session_id_from_cookie(signing_key(engine), value, MAX_COOKIE_AGE)


def signed_in(engine: Engine) -> SignedIn | None:
    """The person signed in in this browser, read afresh; None when nobody is (any more)."""
    session_id = current_session_id(engine)
    user_id = check_session(engine, session_id)
    if user_id is None:
        st.session_state.pop(SESSION_KEY, None)
        return None
    st.session_state[SESSION_KEY] = session_id
    with read_session(engine) as session:
        row = session.execute(
            select(User, Tenant.slug)
            .outerjoin(Tenant, Tenant.id == User.tenant_id)
            .where(User.id == user_id, User.active.is_(True))
        ).first()
    if row is None:
        st.session_state.pop(SESSION_KEY, None)
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


def sign_out(engine: Engine) -> None:
    """End the app session everywhere, and forget everything this browser session held for it.

    The session ends in the database, so other tabs and processes sharing it
    are signed out at their next step; the next run then has the browser drop
    its cookie (:func:`hand_over`).
    """
    session_id = current_session_id(engine)
    end_session(engine, session_id)
    lang = st.session_state.get("lang")
    st.session_state.clear()
    if lang:
        st.session_state["lang"] = lang
    if session_id:
        # What the cookie's address asks for before it removes the cookie (a forged sign-out lacks it).
        st.session_state[SIGNED_OUT_KEY] = server.sign_out_token(signing_key(engine), session_id)


def hand_over() -> None:
    """Give the browser the cookie of a sign-in just made, or take a signed-out one away.

    The browser is sent to the server's cookie address and comes back to the
    same page and query. Without that address (the app started without its
    launcher) nothing is sent: the sign-in lasts for this browser session only.
    """
    ticket = st.session_state.pop(TICKET_KEY, None)
    signed_out = st.session_state.pop(SIGNED_OUT_KEY, None)
    if not server.routes_mounted():
        return
    if ticket:
        _go(server.ticket_address(str(ticket), _here()))
    elif isinstance(signed_out, str):
        _post(server.sign_out_address("/"), {server.TOKEN_FIELD: signed_out})


def _here() -> str:
    """This page's path and query, as a deep link back to it."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode(st.query_params.to_dict())
    return f"{path}?{query}" if query else path


def _go(address: str) -> None:
    # Our own address only (built from a ticket of URL-safe characters and an encoded path);
    # "</" is escaped all the same, so nothing in it can end the script element.
    target = json.dumps(address).replace("</", "<\\/")
    st.html(f"<script>window.location.replace({target});</script>", unsafe_allow_javascript=True)


def _post(address: str, fields: dict[str, str]) -> None:
    """Have the browser POST a form of hidden fields to our own address (as a sign-out must be)."""
    # The form is built by the script, not written as HTML, so nothing in a value is markup.
    target = json.dumps(address).replace("</", "<\\/")
    values = json.dumps(fields).replace("</", "<\\/")
    st.html(
        "<script>(() => {"
        "const form = document.createElement('form');"
        f"form.method = 'post'; form.action = {target}; form.style.display = 'none';"
        f"for (const [name, value] of Object.entries({values})) {{"
        "const field = document.createElement('input');"
        "field.type = 'hidden'; field.name = name; field.value = value; form.appendChild(field);"
        "}"
        "document.body.appendChild(form); form.submit();"
        "})();</script>",
        unsafe_allow_javascript=True,
    )


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
        assert result.user_id is not None
        started = start_session(
            engine,
            result.user_id,
            address=client_address(),
            user_agent=st.context.headers.get("User-Agent"),
        )
        st.session_state[SESSION_KEY] = started.id
        st.session_state[TICKET_KEY] = started.ticket
        st.rerun()
    if result.locked_until is not None:
        st.error(tr("auth.locked", minutes=result.minutes_left()), icon=":material/lock_clock:")
    else:
        st.error(tr("auth.wrong"))
