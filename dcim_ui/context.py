"""What every page needs for one run: the database, the signed-in user, the language, today, the zone.

``app.py`` builds a :class:`PageContext` at the start of every run and keeps
it in the session; pages read it with :func:`current`. Messages come from
the ``ui`` catalog through :func:`tr`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy import Engine

from dcim.accounts import role_allows
from dcim.i18n import t

CONTEXT_KEY = "_dcim_context"
LANG_KEY = "lang"


@dataclass(frozen=True)
class SignedIn:
    """The signed-in person, detached from any database session."""

    id: int
    username: str
    full_name: str
    role: str
    tenant_id: int | None
    tenant: str | None
    nip: str | None
    position: str | None
    must_change_password: bool = False

    def may(self, *roles: str) -> bool:
        """Whether this person holds one of the roles (the administrator holds all)."""
        return role_allows(self.role, roles)


@dataclass(frozen=True)
class PageContext:
    """The database, the person, the language, the date and the time zone of one run of the app.

    ``zone`` is the data center's time zone (``dcim config timezone``), the
    one "today" is taken in; times are shown in it too.
    """

    engine: Engine
    url: str
    user: SignedIn | None
    lang: str
    today: dt.date
    stamp: tuple[int, ...]
    zone: ZoneInfo


def current() -> PageContext:
    """The context of this run (set by the app before any page runs)."""
    return st.session_state[CONTEXT_KEY]


def language() -> str:
    """The language chosen in this browser session (Bahasa Indonesia first)."""
    return st.session_state.get(LANG_KEY, "id")


def tr(key: str, **params: Any) -> str:
    """The message ``ui.<key>`` in the session's language."""
    return t(f"ui.{key}", language(), **params)
