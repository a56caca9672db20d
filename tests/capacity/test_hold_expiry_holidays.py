"""A local holiday declared after a hold was made moves the hold's end (issue 9, item 4).

A hold lives ten working days from the day it was made (inventory-format.md,
``reservation_working_days``): a day off declared later is not a working day
either, so the end is counted again. The test clock's today is 2026-12-31.
A hold made on Friday 2026-12-18 ends on Thursday 2027-01-07 (Christmas, cuti
bersama, New Year and Isra Mi'raj skipped); a local holiday on Monday
2027-01-04 makes it Friday the 8th.
"""

from __future__ import annotations

import datetime as dt

from scenario_data import inventory, request
from scenario_support import Scenario
from sqlalchemy import Engine, select

from capacity.hold_calendar import MovedHoldEnd, recount_hold_ends
from capacity.holds import keep_until_in
from dcim.accounts import operator
from dcim.calendar_settings import add_local_holiday, remove_local_holiday
from dcim.db import read_session, write_session
from dcim.models import AuditEntry, Reservation

MADE_ON = "2026-12-18"
ENDS = dt.date(2027, 1, 7)
MONDAY = dt.date(2027, 1, 4)
ENDS_LATER = dt.date(2027, 1, 8)


def _hold(scenario: Scenario, on: str = MADE_ON) -> str:
    return scenario.reserve(request(), on=on)["reservation"]["id"]


def _end(engine: Engine, code: str) -> dt.date:
    with read_session(engine) as session:
        end = session.scalar(select(Reservation.expires_at).where(Reservation.code == code))
    assert end is not None
    return end


def _holiday(engine: Engine, day: dt.date) -> list[MovedHoldEnd]:
    with write_session(engine) as session:
        add_local_holiday(session, operator(), day, "Hari Jadi Kabupaten Sumbawa")
        session.flush()
        return recount_hold_ends(session, operator(), day)


def _no_holiday(engine: Engine, day: dt.date) -> list[MovedHoldEnd]:
    with write_session(engine) as session:
        remove_local_holiday(session, operator(), day)
        session.flush()
        return recount_hold_ends(session, operator(), day)


def test_a_holiday_within_a_live_holds_days_ends_it_a_working_day_later(
    scenario: Scenario, engine: Engine
) -> None:
    code = _hold(scenario.load(inventory()))
    assert _end(engine, code) == ENDS
    assert _holiday(engine, MONDAY) == [MovedHoldEnd(code, ENDS, ENDS_LATER)]
    assert _end(engine, code) == ENDS_LATER


def test_each_moved_end_is_audited_with_its_dates_and_the_holiday(
    scenario: Scenario, engine: Engine
) -> None:
    code = _hold(scenario.load(inventory()))
    _holiday(engine, MONDAY)
    with read_session(engine) as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "calendar.hold_expiry")
        )
    assert entry is not None and (entry.entity, entry.entity_key) == ("reservation", code)
    assert entry.data == {
        "expires_at": {"from": "2027-01-07", "to": "2027-01-08"},
        "holiday": "2027-01-04",
    }


def test_removing_the_holiday_ends_the_hold_on_its_first_date_again(
    scenario: Scenario, engine: Engine
) -> None:
    code = _hold(scenario.load(inventory()))
    _holiday(engine, MONDAY)
    assert _no_holiday(engine, MONDAY) == [MovedHoldEnd(code, ENDS_LATER, ENDS)]
    assert _end(engine, code) == ENDS


def test_a_holiday_after_the_end_moves_nothing(scenario: Scenario, engine: Engine) -> None:
    code = _hold(scenario.load(inventory()))
    assert _holiday(engine, dt.date(2027, 1, 11)) == []
    assert _end(engine, code) == ENDS


def test_a_hold_kept_until_a_written_date_stays_as_written(
    scenario: Scenario, engine: Engine
) -> None:
    # The acceptance letter's delivery date (SOP step 8) is a date, not a count.
    code = _hold(scenario.load(inventory()))
    written = dt.date(2027, 1, 20)
    with write_session(engine) as session:
        keep_until_in(session, code, written, actor=operator())
    assert _holiday(engine, MONDAY) == []
    assert _end(engine, code) == written


def test_a_lapsed_hold_is_not_brought_back(scenario: Scenario, engine: Engine) -> None:
    # Made on 1 December, ended on the 15th: its resources may be someone else's by now.
    code = _hold(scenario.load(inventory()), on="2026-12-01")
    assert _end(engine, code) == dt.date(2026, 12, 15)
    assert _holiday(engine, dt.date(2026, 12, 10)) == []
    assert _end(engine, code) == dt.date(2026, 12, 15)


def test_a_holiday_removed_never_ends_a_live_hold_before_today(
    scenario: Scenario, engine: Engine
) -> None:
    # With the local holiday on the 22nd, a hold made on the 14th ends today, the 31st;
    # counted without it, it would have ended yesterday. It still counts through today.
    scenario.load(inventory())
    _holiday(engine, dt.date(2026, 12, 22))
    code = _hold(scenario, on="2026-12-14")
    assert _end(engine, code) == dt.date(2026, 12, 31)
    assert _no_holiday(engine, dt.date(2026, 12, 22)) == []
    assert _end(engine, code) == dt.date(2026, 12, 31)
