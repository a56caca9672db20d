"""Due dates of the SOP's steps, in working days, and whether a request is late.

The SOP's service-time standard (step 1: 1 hari kerja, step 10: 2, step 11:
1) counts working days after the day the request arrived at the step:
weekends, national holidays, cuti bersama and local holidays do not count
(:mod:`dcim.workdays`). Where the SOP gives no standard, the deadline an
official writes on the Lembar Disposisi (*batas waktu*) or the delivery
date of the acceptance letter is the due date; otherwise there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dcim.workdays import WorkingCalendar

from .sop import StateSpec


@dataclass(frozen=True)
class Lateness:
    """How late a step is or was: working days past its due date (0 when on time)."""

    due_on: dt.date | None
    working_days_late: int

    @property
    def late(self) -> bool:
        """Whether the due date has passed."""
        return self.working_days_late > 0


def due_date(
    calendar: WorkingCalendar,
    state: StateSpec | None,
    entered_on: dt.date,
    set_by_action: dt.date | None = None,
) -> dt.date | None:
    """The due date of a state entered on a date.

    The SOP's own standard wins; a deadline set by the action that led here
    (a disposition's batas waktu, a delivery date) applies where the SOP
    gives none.
    """
    if state is None:
        return None
    if state.working_days is not None:
        return calendar.add_working_days(entered_on, state.working_days)
    return set_by_action


def lateness(calendar: WorkingCalendar, due_on: dt.date | None, done_on: dt.date) -> Lateness:
    """Working days from the due date to the day the step was (or is still not) done."""
    if due_on is None or done_on <= due_on:
        return Lateness(due_on, 0)
    return Lateness(due_on, max(calendar.working_days_between(due_on, done_on), 1))


def is_overdue(due_on: dt.date | None, today: dt.date) -> bool:
    """A step is overdue from the day after its due date."""
    return due_on is not None and today > due_on
