"""Start of the app: page setup, the database, sign-in, and the navigation of the person's pages.

Every run: the stylesheet, the language switch, the database (schema made
current), the SOP file (a broken one is shown with its problems, like a
database that cannot be opened, and nothing else runs), the signed-in
person read afresh (nobody: the sign-in page, under every address; someone
whose password another person chose: only the change-password form), the
daily utilization snapshot when none was taken today, then the pages the
person's role may open.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine, func, select

from colocation.sop import current_sop
from dcim.accounts import operator
from dcim.changes import change_stamp
from dcim.db import ensure_schema, get_engine, read_session, resolve_url
from dcim.errors import DatabaseError, InputError
from dcim.i18n import LANGUAGES
from dcim.models import Channel, User
from dcim.snapshots import ensure_daily_snapshot
from dcim.workdays import timezone_for, today

from . import auth, registry, style
from .context import CONTEXT_KEY, LANG_KEY, PageContext, SignedIn, current, tr
from .feedback import show_input_error
from .pages import akun

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
PAGE_ICONS = {"app": ":material/dns:"}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    ensure_schema(engine)
    return engine


def main() -> None:
    """Run one pass of the app."""
    st.set_page_config(
        page_title="dcim-lite · Data Center Kominfo",
        page_icon=":material/dns:",
        layout="wide",
        # "auto": open on a desk, closed on a phone, where an open sidebar covers the page
        # (the sign-in form first of all); the menu button opens it.
        initial_sidebar_state="auto",
    )
    style.inject()
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = "id"
    url = resolve_url(None)
    try:
        engine = _engine(url)
        user = auth.signed_in(engine)
        with read_session(engine) as session:
            stamp = change_stamp(session)
            zone = timezone_for(session)
            # The program's one clock, so that the app's "today" is the services' today.
            on = today(session)
            has_users = bool(session.scalar(select(func.count()).select_from(User)))
    except DatabaseError as exc:
        st.error(tr("app.database_error", error=str(exc)))
        st.stop()
        return
    try:
        # Read once here, so that the workflow's pages, its tile and the navigation can rely on it.
        current_sop()
    except InputError as exc:
        show_input_error(exc, tr("app.sop_error"))
        st.stop()
        return
    st.session_state[CONTEXT_KEY] = PageContext(
        engine=engine,
        url=url,
        user=user,
        lang=st.session_state[LANG_KEY],
        today=on,
        stamp=stamp,
        zone=zone,
    )
    # A sign-in just made gets its cookie (a sign-out loses it): the browser goes and comes back.
    auth.hand_over()
    if user is None:
        # No anonymous path creates anything: an empty install shows the sign-in page too,
        # saying which commands make the first account.
        _language_switch()
        page = st.navigation(_sign_in_everywhere(engine, no_users=not has_users), position="hidden")
        page.run()
        return
    if user.must_change_password:
        _sidebar(user)
        page = st.navigation(_must_change_everywhere(), position="hidden")
        page.run()
        return
    # Today's utilization is recorded once a day, the first time anyone opens the app.
    # The app's own work, not the visitor's: the app process acts as the operator (channel app).
    ensure_daily_snapshot(engine, on, actor=operator(Channel.APP))
    _sidebar(user)
    # Every page the role may open stays listed: collapsed, the list would hide the last ones.
    page = st.navigation(_navigation(user), position="sidebar", expanded=True)
    page.run()


def _sign_in_everywhere(engine: Engine, *, no_users: bool) -> list[st.Page]:
    """The sign-in page under every page's address, so a bookmarked page asks to sign in first."""
    return _everywhere(
        lambda: auth.sign_in_page(engine, no_users=no_users), tr("auth.title"), "masuk"
    )


def _must_change_everywhere() -> list[st.Page]:
    """The change-password page under every page's address, until the password is changed."""
    return _everywhere(akun.must_change, tr("account.must_change_title"), "ganti-sandi")


def _everywhere(draw: Callable[[], None], title: str, home: str) -> list[st.Page]:
    """One page under its own address and under every page's, as the only page to open."""
    pages = [st.Page(draw, title=title, url_path=home, default=True)]
    for page in registry.all_pages():
        pages.append(st.Page(draw, title=title, url_path=page.spec.key))
    return pages


def _navigation(user: SignedIn) -> dict[str, list[st.Page]]:
    """The pages of the person's role, grouped in sections."""
    sections: dict[str, list[st.Page]] = {}
    first = True
    for page in registry.pages_for(user.role):
        spec = page.spec
        sections.setdefault(tr(f"nav.{spec.section}"), []).append(
            st.Page(
                page.path,
                title=tr(f"pages.{spec.key}"),
                icon=spec.icon,
                url_path=spec.key,
                default=first,
            )
        )
        first = False
    return sections


def _language_switch() -> None:
    with st.sidebar:
        st.segmented_control(
            tr("app.language"),
            LANGUAGES,
            format_func=lambda code: LANGUAGE_NAMES[code],
            key=LANG_KEY,
            required=True,
        )


def _sidebar(user: SignedIn) -> None:
    with st.sidebar:
        st.html(
            f'<div class="dcim-brand">dcim-lite<small>{style.esc(tr("app.tagline"))}</small></div>'
        )
        tenant = f" · {style.esc(user.tenant)}" if user.tenant else ""
        st.html(
            f'<div class="dcim-user"><b>{style.esc(user.full_name)}</b><br>'
            f"{style.esc(tr(f'roles.{user.role}'))}{tenant}</div>"
        )
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            auth.sign_out(current().engine)
            st.rerun()
    _language_switch()
