"""Keep the demo's holds live: their expiry dates move with the day the demo is loaded.

The demo inventory was written on 27 November 2026 with holds expiring a
few working days later. Loaded on another day, each hold keeps the same
number of working days ahead of today, so the demo always shows live holds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from dcim.accounts import Actor, require_role
from dcim.db import write_session
from dcim.models import HoldStatus, Reservation
from dcim.workdays import calendar_for, today

from .bundle import DEMO_ROLES

WRITTEN_ON = dt.date(2026, 11, 27)


def load(engine: Engine, actor: Actor) -> None:
    """Shift every held reservation's expiry by the working days between the writing date and today."""
    require_role(actor, DEMO_ROLES, "load the demo")
    with write_session(engine) as session:
        calendar = calendar_for(session)
        now = today(session)
        for hold in session.scalars(
            select(Reservation).where(Reservation.status == HoldStatus.HELD.value)
        ):
            ahead = max(1, calendar.working_days_between(WRITTEN_ON, hold.expires_at))
            hold.expires_at = calendar.add_working_days(now, ahead)
            hold.counted_from, hold.working_days = now, ahead
