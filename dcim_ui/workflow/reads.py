"""Cached reads of the request workflow, keyed on the change stamp, the person and the language.

Every action records an audit entry, so the stamp (:func:`dcim.changes.change_stamp`)
moves with each step a request takes, in this app or any other process. What
a list or a request shows depends on who looks (an OPD user sees only its
own office's requests; the actions offered are those of the person's role),
so the person's id, role and office are part of every key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from colocation.documents import DocumentInfo
from colocation.queries import (
    RequestDetail,
    RequestRow,
    StepCount,
    count_requests,
    list_requests,
    my_tasks,
    open_by_step,
    request_detail,
)
from dcim.db import get_engine, read_session
from dcim.errors import InputError
from dcim.models import User

from .. import auth
from ..context import current, language

TTL_S = 600


@dataclass(frozen=True)
class Filters:
    """The list's filters: status, step, office, overdue only, and text in code, number or purpose."""

    status: str | None = None
    step: int | None = None
    tenant: str | None = None
    overdue: bool = False
    search: str = ""


def _who() -> tuple[str, tuple[int, ...], tuple[int, str, int | None], str, dt.date]:
    """The cache key of this run: database, change stamp, person, language, today."""
    ctx = current()
    user = ctx.user
    assert user is not None
    return ctx.url, ctx.stamp, (user.id, user.role, user.tenant_id), language(), ctx.today


def _user(session: Session, who: tuple[int, str, int | None]) -> User:
    """The signed-in person as the services take them."""
    return auth.actor(session, who[0])


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _tasks(url: str, stamp: tuple[int, ...], who: Any, lang: str, on: dt.date) -> list[RequestRow]:
    """The read behind the public function of the same name, cached on its arguments."""
    with read_session(get_engine(url)) as session:
        return my_tasks(session, _user(session, who), on=on, lang=lang)


def tasks() -> list[RequestRow]:
    """The signed-in person's inbox: open requests waiting at a state of their role, most urgent first."""
    return _tasks(*_who())


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _page(
    url: str,
    stamp: tuple[int, ...],
    who: Any,
    lang: str,
    on: dt.date,
    filters: Filters,
    offset: int,
    limit: int,
) -> tuple[list[RequestRow], int]:
    """The read behind the public function of the same name, cached on its arguments."""
    with read_session(get_engine(url)) as session:
        user = _user(session, who)
        given = {
            "status": filters.status,
            "step": filters.step,
            "tenant": filters.tenant,
            "overdue": filters.overdue,
            "search": filters.search or None,
        }
        rows = list_requests(session, user, on=on, lang=lang, limit=limit, offset=offset, **given)
        return rows, count_requests(session, user, on=on, **given)


def page_of_requests(filters: Filters, offset: int, limit: int) -> tuple[list[RequestRow], int]:
    """One page of the requests the person may see, and how many match the filters in all."""
    return _page(*_who(), filters, offset, limit)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _by_step(
    url: str, stamp: tuple[int, ...], who: Any, lang: str, on: dt.date
) -> tuple[list[StepCount], list[RequestRow]]:
    """The read behind the public function of the same name, cached on its arguments."""
    with read_session(get_engine(url)) as session:
        user = _user(session, who)
        late = list_requests(session, user, overdue=True, on=on, lang=lang)
        return open_by_step(session, user, on=on, lang=lang), late


def by_step() -> tuple[list[StepCount], list[RequestRow]]:
    """Open requests counted by SOP step, and the overdue ones (most overdue first)."""
    return _by_step(*_who())


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=128)
def _detail(
    url: str, stamp: tuple[int, ...], who: Any, lang: str, on: dt.date, code: str
) -> tuple[RequestDetail | None, list[DocumentInfo], str | None]:
    """The read behind the public function of the same name, cached on its arguments."""
    with read_session(get_engine(url)) as session:
        user = _user(session, who)
        try:
            detail = request_detail(session, code, user, on=on, lang=lang)
        except InputError as exc:
            return None, [], "; ".join(problem.text(lang) for problem in exc.problems)
        return detail, detail.downloads, None


def detail(code: str) -> tuple[RequestDetail | None, list[DocumentInfo], str | None]:
    """One request as the person may see it, its documents, or why it cannot be shown."""
    return _detail(*_who(), code)
