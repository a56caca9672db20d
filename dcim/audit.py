"""Browsing the audit log: who changed what and when, filtered and a page at a time.

For a reader outside IT (the Inspektorat's auditor), an entry is also told
in words: :func:`action_label` and :func:`entity_label` name what was done
and to what (``request.submit`` -> "Mendaftarkan surat permohonan"), and
:func:`change_rows` turns the entry's data into rows of field, before and
after. The words live in the ``audit`` catalog (``dcim/i18n/locales``); an
action that has none yet is shown as recorded rather than hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dcim.i18n import catalog, resolve_language, t
from dcim.i18n import date as format_date
from dcim.models import AuditEntry
from dcim.paging import Page

#: How a workflow step is summarised (``colocation.workflow``): "<from step> -> <to step> <state>".
_STEP_SUMMARY = re.compile(r"^(\d+) -> (\d+) ([a-z_]+)$")
#: A changed value is recorded as ``{"from": old, "to": new}``.
_CHANGE_KEYS = frozenset({"from", "to"})
#: The most items of a list shown in one cell; the rest are counted.
MAX_LIST_ITEMS = 12
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Data keys that only group others (the workflow's ``data``): not named in the field's label.
_GROUPING_KEYS = frozenset({"data"})
#: Fields whose values are codes with words of their own in the ``ui`` catalog.
_VALUE_CATALOGS = {"role": "ui.roles"}


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


# --- in words -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    """One field of an entry: its label, the value before ("" when not recorded) and after."""

    field: str
    before: str
    after: str


def _known(key: str, lang: str) -> str | None:
    return catalog(resolve_language(lang)).get(key)


def action_label(action: str, lang: str | None = None) -> str:
    """What was done, in words (the action as recorded when the catalog has no words for it)."""
    return _known(f"audit.actions.{action}", lang or "id") or action


def entity_label(entity: str, lang: str | None = None) -> str:
    """What it was done to, in words."""
    return _known(f"audit.entities.{entity}", lang or "id") or entity


def field_label(path: str, lang: str | None = None) -> str:
    """A field of the data in words: each part of ``proposal.rack`` named, joined by " › "."""
    return " › ".join(
        _known(f"audit.fields.{part}", lang or "id") or part.replace("_", " ")
        for part in path.split(".")
        if part not in _GROUPING_KEYS
    )


def _text(value: Any, lang: str, field: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, str) and field in _VALUE_CATALOGS:
        return _known(f"{_VALUE_CATALOGS[field]}.{value}", lang) or value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(dt.date.fromisoformat(value), lang)
        except ValueError:
            return value
    if isinstance(value, bool):
        return t("audit.yes" if value else "audit.no", lang)
    if isinstance(value, list | tuple):
        shown = ", ".join(_text(item, lang) for item in value[:MAX_LIST_ITEMS])
        hidden = len(value) - MAX_LIST_ITEMS
        return f"{shown} {t('audit.more', lang, count=hidden)}" if hidden > 0 else shown
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(inner, lang)}" for key, inner in value.items())
    return str(value)


def _flatten(prefix: str, data: Any, lang: str, into: list[ChangeRow]) -> None:
    field = prefix.rsplit(".", 1)[-1]
    if isinstance(data, dict) and data and set(data) <= _CHANGE_KEYS:
        before, after = _text(data.get("from"), lang, field), _text(data.get("to"), lang, field)
        into.append(ChangeRow(field_label(prefix, lang), before, after))
        return
    if isinstance(data, dict):
        for key, inner in data.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, lang, into)
        return
    if data is None or data == [] or data == "":
        return  # an empty note or outcome says nothing to the reader
    into.append(ChangeRow(field_label(prefix, lang), "", _text(data, lang, field)))


def change_rows(
    entity: str,
    summary: str | None,
    data: dict[str, Any] | None,
    lang: str | None = None,
    *,
    state_title: Callable[[str], str] | None = None,
) -> list[ChangeRow]:
    """The entry's change as rows of field, before and after, for a reader outside IT.

    A workflow step becomes the step it left and the step it reached (named
    by ``state_title``, which the interface takes from the SOP); a recorded
    change (``{"from", "to"}``) its two values; anything else is the value
    recorded, with nothing before it. Nested data is named by its path.
    """
    lang = lang or "id"
    rows: list[ChangeRow] = []
    step = _STEP_SUMMARY.match(summary or "") if entity == "colocation_request" else None
    if step is not None:
        state = state_title(step.group(3)) if state_title else step.group(3)
        rows.append(
            ChangeRow(field_label("step", lang), step.group(1), f"{step.group(2)} · {state}")
        )
    _flatten("", data or {}, lang, rows)
    return rows
