"""A local holiday added (or removed) later moves the end of the holds counted in working days.

A hold made by ``reserve`` lives a number of working days from the day it
was made (:mod:`capacity.holds`); a day off the office declares afterwards
(a Bupati's decree a week ahead) is not a working day either, so the hold's
end is counted again with the new calendar, as the SOP's deadlines are
(:mod:`colocation.holidays`, which calls this in the same transaction).

Only live holds whose end is a count move (``counted_from`` and
``working_days`` set); an end that was written (an inventory file's date, a
letter's delivery date) stays as written. A hold never lapses because of a
correction: when a holiday removed would end it before today, it ends today.
Each move is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.calendar_settings import CALENDAR_ROLES
from dcim.models import HoldStatus, Reservation
from dcim.workdays import calendar_for, today

#: The audit log's name for an end counted again.
RECOUNT_ACTION = "calendar.hold_expiry"


@dataclass(frozen=True)
class MovedHoldEnd:
    """One hold whose last day moved with the calendar: from which date to which."""

    code: str
    before: dt.date
    after: dt.date


def recount_hold_ends(session: Session, actor: Actor, since: dt.date) -> list[MovedHoldEnd]:
    """Count again the end of every live counted hold ending on or after ``since``; the moved ones.

    The hold rows are locked while they are read, so a hold kept longer or
    committed at the same moment is counted before or after, not halfway.
    """
    require_role(actor, CALENDAR_ROLES, "recount hold expiry")
    calendar = calendar_for(session)
    first_live = today(session)
    rows = session.scalars(
        select(Reservation)
        .where(
            Reservation.status == HoldStatus.HELD.value,
            Reservation.counted_from.is_not(None),
            Reservation.working_days.is_not(None),
            Reservation.expires_at >= max(since, first_live),
        )
        .order_by(Reservation.id)
        .with_for_update()
    )
    moved: list[MovedHoldEnd] = []
    for hold in rows:
        assert hold.counted_from is not None and hold.working_days is not None
        counted = max(calendar.add_working_days(hold.counted_from, hold.working_days), first_live)
        before = hold.expires_at
        if counted == before:
            continue
        hold.expires_at = counted
        moved.append(MovedHoldEnd(hold.code, before, counted))
        record(
            session,
            actor,
            RECOUNT_ACTION,
            "reservation",
            hold.code,
            f"{before.isoformat()} -> {counted.isoformat()} ({since.isoformat()})",
            {
                "expires_at": {"from": before.isoformat(), "to": counted.isoformat()},
                "holiday": since.isoformat(),
            },
        )
    return moved
