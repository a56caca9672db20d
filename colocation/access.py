"""Who sees which request: an OPD user its own office's, everyone else all of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dcim.accounts import Actor
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import Role

from .models import ColocationRequest


def can_see_all(user: Actor | None) -> bool:
    """Everyone but an OPD user sees every request; the command line (no user) does too."""
    return user is None or user.role != Role.OPD


def visible(stmt: Select[Any], user: Actor | None) -> Select[Any]:
    """The statement over requests kept to those the user may see (an OPD user: its office's)."""
    if can_see_all(user):
        return stmt
    assert user is not None
    return stmt.where(ColocationRequest.tenant_id == user.tenant_id)


def find_request(
    session: Session, code: str, user: Actor | None, lang: str, *, lock: bool = False
) -> ColocationRequest:
    """The request with this code (or numeric id) that the user may see; else an :class:`InputError`.

    An OPD user is told that another office's request does not exist, so
    that the list of other offices' requests does not leak.
    """
    key = code.strip()
    stmt = select(ColocationRequest)
    if key.isdigit():
        stmt = stmt.where(ColocationRequest.id == int(key))
    else:
        stmt = stmt.where(func.upper(ColocationRequest.code) == key.upper())
    if lock:
        stmt = stmt.with_for_update()
    found = session.scalar(stmt)
    hidden = found is not None and user is not None and not can_see_all(user)
    if found is None or (hidden and found.tenant_id != user.tenant_id):  # type: ignore[union-attr]
        raise InputError([Problem("id", t("workflow.no_such_request", lang, code=code))])
    return found
