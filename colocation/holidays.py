"""A local holiday added (or removed) later moves the SOP deadlines and hold ends it falls within.

``dcim.calendar_settings`` keeps the office's days off, but it sits below the
workflow and cannot see requests. This module is what the interfaces call
(``dcim calendar holidays add/remove``, and any page that edits the calendar):
the day is stored, then every open request whose due date lies on or after it
has its deadline counted again with the new calendar, in the same
transaction, each move recorded in the audit log.

The live holds counted in working days move with them
(:func:`capacity.hold_calendar.recount_hold_ends`), in the same transaction.

Only deadlines the SOP counts in working days (its service-time standard)
move. A date an official wrote (the *batas waktu* of a disposition, the
delivery date of an acceptance letter) is a date, not a count, and stays as
written: the official can write a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from capacity.hold_calendar import MovedHoldEnd, recount_hold_ends
from colocation.choices import RequestStatus
from dcim.accounts import Actor, record, require_role
from dcim.calendar_settings import CALENDAR_ROLES, add_local_holiday, remove_local_holiday
from dcim.models import LocalHoliday
from dcim.workdays import calendar_for

from .deadlines import due_date
from .models import ColocationRequest
from .sop import current_sop


@dataclass(frozen=True)
class MovedDeadline:
    """One request whose current step's deadline moved: from which date to which."""

    code: str
    state: str
    before: dt.date
    after: dt.date


@dataclass(frozen=True)
class CalendarChange:
    """A holiday added or removed, and the deadlines and hold ends that moved with it."""

    day: dt.date
    name: str
    moved: list[MovedDeadline]
    holds: list[MovedHoldEnd] = field(default_factory=list)


def add_holiday(session: Session, actor: Actor, day: dt.date, name: str) -> CalendarChange:
    """Add a local day off and move the deadlines and hold ends it falls within (later)."""
    holiday: LocalHoliday = add_local_holiday(session, actor, day, name)
    session.flush()
    moved = recompute_deadlines(session, actor, day)
    return CalendarChange(day, holiday.name, moved, recount_hold_ends(session, actor, day))


def remove_holiday(session: Session, actor: Actor, day: dt.date) -> CalendarChange:
    """Remove a local day off and move the deadlines and hold ends it had pushed back (earlier)."""
    name = (session.get(LocalHoliday, day) or LocalHoliday(name="")).name
    remove_local_holiday(session, actor, day)
    session.flush()
    moved = recompute_deadlines(session, actor, day)
    return CalendarChange(day, name, moved, recount_hold_ends(session, actor, day))


def recompute_deadlines(session: Session, actor: Actor, since: dt.date) -> list[MovedDeadline]:
    """Count again the deadline of every open request due on or after ``since``; the ones that moved.

    The request rows are locked while they are read, so an action taken at
    the same moment either sees the new deadline or is counted before it.
    """
    require_role(actor, CALENDAR_ROLES, "recompute deadlines")
    calendar = calendar_for(session)
    sop = current_sop()
    moved: list[MovedDeadline] = []
    rows = session.scalars(
        select(ColocationRequest)
        .where(
            ColocationRequest.status == RequestStatus.OPEN.value,
            ColocationRequest.due_on.is_not(None),
            ColocationRequest.due_on >= since,
        )
        .order_by(ColocationRequest.id)
        .with_for_update()
    )
    for request in rows:
        state = sop.state(request.state)
        if state is None or state.working_days is None:
            continue  # a written date, not a count of working days: it stays as written
        counted = due_date(calendar, state, request.entered_on)
        before = request.due_on
        if counted is None or before is None or counted == before:
            continue
        request.due_on = counted
        moved.append(MovedDeadline(request.code, request.state, before, counted))
        record(
            session,
            actor,
            "calendar.deadlines",
            "colocation_request",
            request.code,
            f"{before.isoformat()} -> {counted.isoformat()} ({since.isoformat()})",
            {
                "due_on": {"from": before.isoformat(), "to": counted.isoformat()},
                "holiday": since.isoformat(),
            },
        )
    return moved
