"""Browsing the audit log: who changed what and when, filtered and a page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dcim.models import AuditEntry
from dcim.paging import Page


@dataclass(frozen=True)
class AuditRow:
    """One entry of the log as the browser shows it."""

    id: int
    at: dt.datetime
    username: str | None
    role: str | None
    channel: str | None
    action: str
    entity: str
    key: str | None
    summary: str | None
    data: dict[str, Any] | None


def audit_page(
    session: Session,
    *,
    username: str | None = None,
    entity: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    text: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[AuditRow]:
    """The entries matching the filters, newest first, one page of them."""
    conditions = []
    if username:
        conditions.append(AuditEntry.username == username)
    if entity:
        conditions.append(AuditEntry.entity == entity)
    if action:
        conditions.append(AuditEntry.action == action)
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    if text and text.strip():
        # A % or _ typed by the person is a character to find, not a wildcard.
        needle = text.strip().lower()
        conditions.append(
            or_(
                func.lower(AuditEntry.entity_key).contains(needle, autoescape=True),
                func.lower(AuditEntry.summary).contains(needle, autoescape=True),
            )
        )
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    page = max(1, page)
    rows = session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return Page(
        [
            AuditRow(
                e.id,
                e.at,
                e.username,
                e.role,
                e.channel,
                e.action,
                e.entity,
                e.entity_key,
                e.summary,
                e.data,
            )
            for e in rows
        ],
        total,
        page,
        per_page,
    )


def audit_choices(session: Session) -> dict[str, list[str]]:
    """The people, entities and actions that appear in the log, for the filters."""

    def distinct(column: Any) -> list[str]:
        return [
            value
            for (value,) in session.execute(select(column).distinct().order_by(column))
            if value
        ]

    return {
        "usernames": distinct(AuditEntry.username),
        "entities": distinct(AuditEntry.entity),
        "actions": distinct(AuditEntry.action),
    }
