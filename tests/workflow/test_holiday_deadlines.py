"""A local holiday declared after deadlines were set moves them (issue 9, item 8).

The SOP counts its service-time standard in working days; a day off declared
later (a Bupati's decree a week ahead) must count too. 2026-12-01 is a
Tuesday: a letter registered that day is due on Wednesday the 2nd (one
working day); a holiday on the 2nd makes it Thursday the 3rd.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, select
from workflow_support import DEMO, SIMPEG, act, flow_data, request_row, user

from colocation.holidays import add_holiday, remove_holiday
from colocation.workflow import submit
from dcim.accounts import operator
from dcim.db import read_session, write_session
from dcim.errors import PermissionDenied
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import AuditEntry, LocalHoliday, Reservation

TUESDAY = dt.date(2026, 12, 1)
WEDNESDAY, THURSDAY = dt.date(2026, 12, 2), dt.date(2026, 12, 3)
HOLD_REQUEST = DEMO / "requests" / "01-simpeg-cadangan-bkpsdm.yaml"


def _registered_on(engine: Engine, on: dt.date, number: str = "800/131/BKPSDM/2026") -> str:
    data = read_yaml_file(SIMPEG) | {"date": on - dt.timedelta(days=1), "number": number}
    return submit(engine, data, user(engine, "opd.bkpsdm"), on=on)


def _add(engine: Engine, day: dt.date, name: str = "Hari Jadi Kabupaten Sumbawa") -> list[str]:
    with write_session(engine) as session:
        change = add_holiday(session, operator(), day, name)
    return [m.code for m in change.moved]


def test_a_holiday_on_a_due_date_moves_it_to_the_next_working_day(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    assert request_row(demo, code).due_on == WEDNESDAY
    assert _add(demo, WEDNESDAY) == [code]
    assert request_row(demo, code).due_on == THURSDAY


def test_each_moved_deadline_is_audited_with_its_dates_and_the_holiday(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    _add(demo, WEDNESDAY)
    with read_session(demo) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.deadlines"))
    assert entry is not None and entry.entity_key == code
    assert entry.data == {
        "due_on": {"from": "2026-12-02", "to": "2026-12-03"},
        "holiday": "2026-12-02",
    }


def test_removing_the_holiday_moves_the_deadline_back(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    _add(demo, WEDNESDAY)
    with write_session(demo) as session:
        change = remove_holiday(session, operator(), WEDNESDAY)
    assert [(m.code, m.before, m.after) for m in change.moved] == [(code, THURSDAY, WEDNESDAY)]
    assert request_row(demo, code).due_on == WEDNESDAY


def test_a_holiday_after_the_due_date_moves_nothing(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    assert _add(demo, dt.date(2026, 12, 4)) == []
    assert request_row(demo, code).due_on == WEDNESDAY


def test_a_deadline_an_official_wrote_stays_as_written(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    act(demo, code, "register", "kadis", flow_data("register.yaml"), on=TUESDAY)
    act(demo, code, "dispose", "kadis", flow_data("dispose-deadline.yaml"), on=TUESDAY)
    written = request_row(demo, code).due_on
    assert written is not None, "the disposition's batas waktu is the step's due date"
    assert _add(demo, written) == []
    assert request_row(demo, code).due_on == written


def test_a_closed_request_keeps_its_history(demo: Engine) -> None:
    code = _registered_on(demo, TUESDAY)
    act(demo, code, "withdraw", "opd.bkpsdm", on=TUESDAY)
    _add(demo, WEDNESDAY)
    assert request_row(demo, code).due_on is None


def test_only_those_who_keep_the_calendar_may_add_a_day_and_nothing_moves_otherwise(
    demo: Engine,
) -> None:
    code = _registered_on(demo, TUESDAY)
    with write_session(demo) as session, pytest.raises(PermissionDenied):
        add_holiday(session, user(demo, "kasi"), WEDNESDAY, "Libur")
    assert request_row(demo, code).due_on == WEDNESDAY
    with read_session(demo) as session:
        assert session.get(LocalHoliday, WEDNESDAY) is None


def test_the_command_line_says_which_deadlines_moved(demo: Engine, run_cli) -> None:
    code = _registered_on(demo, TUESDAY)
    url = demo.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "holidays", "add", "2026-12-02", "Hari Jadi")
    assert result.exit_code == 0, result.stderr
    assert f"Tenggat {code} bergeser dari 2 Desember 2026 ke 3 Desember 2026." in result.stdout
    again = run_cli("--db", url, "holidays", "add", "2026-12-04", "Cuti")
    assert "Tidak ada tenggat permohonan yang bergeser." in again.stdout


def test_a_holiday_also_moves_a_live_hold_and_the_command_line_names_it(
    demo: Engine, run_cli
) -> None:
    # Held on Friday 2026-12-18 for ten working days: until Thursday 2027-01-07 (the test's
    # today is 2026-12-31). A local holiday on Monday 2027-01-04 makes it Friday the 8th.
    url = demo.url.render_as_string(hide_password=False)
    held = run_cli("--db", url, "reserve", HOLD_REQUEST, "--on", "2026-12-18", "--json")
    assert held.exit_code == 0, held.stderr
    code = json.loads(held.stdout)["reservation"]["id"]
    result = run_cli("--db", url, "holidays", "add", "2027-01-04", "Hari Jadi")
    assert result.exit_code == 0, result.stderr
    assert f"Hold {code} kini berakhir 8 Januari 2027 (sebelumnya 7 Januari 2027)." in result.stdout
    with read_session(demo) as session:
        end = session.scalar(select(Reservation.expires_at).where(Reservation.code == code))
    assert end == dt.date(2027, 1, 8)
