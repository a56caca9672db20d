"""Deadlines in working days: the SOP's standards across Idul Fitri and the Christmas cuti
bersama, the batas waktu of a disposition, local holidays, and overdue requests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from workflow_support import (
    HAPPY_PATH,
    SIMPEG,
    act,
    flow_data,
    request_row,
    user,
    walk,
)

from colocation.queries import (
    count_requests,
    list_requests,
    open_by_step,
    overdue_requests,
    request_detail,
)
from colocation.workflow import submit
from dcim.db import read_session, write_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import LocalHoliday


def _submit_on(engine: Engine, on: dt.date, number: str = "800/131/BKPSDM/2026") -> str:
    data = read_yaml_file(SIMPEG) | {"date": on - dt.timedelta(days=1), "number": number}
    return submit(engine, data, user(engine, "opd.bkpsdm"), on=on)


def test_step_one_is_due_one_working_day_after_idul_fitri_and_its_cuti_bersama(
    demo: Engine,
) -> None:
    # 2026: Nyepi cuti bersama 18 March, Nyepi 19, Idul Fitri cuti bersama 20, 23 and 24, the
    # weekend of 21-22 (Idul Fitri itself). The first working day after 17 March is 25 March.
    code = _submit_on(demo, dt.date(2026, 3, 17))
    assert request_row(demo, code).due_on == dt.date(2026, 3, 25)


def test_configuration_is_due_two_working_days_after_installation_across_christmas(
    demo: Engine,
) -> None:
    # 24 December 2026 is cuti bersama, 25 Christmas, 26-27 a weekend: 28 and 29 count.
    code = _submit_on(demo, dt.date(2026, 12, 21))
    walk(demo, code, HAPPY_PATH[:7], on=dt.date(2026, 12, 22))
    act(
        demo,
        code,
        "install",
        "timdc",
        flow_data("install-dell-r640.yaml"),
        on=dt.date(2026, 12, 23),
    )
    assert request_row(demo, code).due_on == dt.date(2026, 12, 29)


def test_the_performance_test_is_due_one_working_day_after_configuration(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 12, 21))
    walk(demo, code, HAPPY_PATH[:8], on=dt.date(2026, 12, 22))
    act(demo, code, "configure", "timdc", flow_data("configure.yaml"), on=dt.date(2026, 12, 23))
    assert request_row(demo, code).due_on == dt.date(2026, 12, 28)


def test_a_retest_gets_a_new_configuration_deadline(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 11, 23))
    walk(demo, code, HAPPY_PATH[:9], on=dt.date(2026, 11, 24))
    act(demo, code, "test", "timdc", flow_data("test-fail.yaml"), on=dt.date(2026, 11, 27))
    assert request_row(demo, code).due_on == dt.date(2026, 12, 1)


def test_a_local_holiday_moves_the_due_date(demo: Engine) -> None:
    with write_session(demo) as session:
        session.add(LocalHoliday(day=dt.date(2026, 11, 24), name="Hari jadi contoh"))
    code = _submit_on(demo, dt.date(2026, 11, 23))
    assert request_row(demo, code).due_on == dt.date(2026, 11, 25)


def test_a_dispositions_deadline_is_the_next_steps_due_date(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 11, 23))
    act(demo, code, "register", "kadis", on=dt.date(2026, 11, 23))
    act(
        demo, code, "dispose", "kadis", flow_data("dispose-deadline.yaml"), on=dt.date(2026, 11, 27)
    )
    row = request_row(demo, code)
    assert (row.step, row.due_on) == (3, dt.date(2026, 12, 1))
    with read_session(demo) as session:
        hop = request_detail(session, code, None, on=dt.date(2026, 11, 27)).dispositions[0]
    assert (hop["deadline"], hop["to_role"]) == (dt.date(2026, 12, 1), "kabid_ti")


def test_a_step_without_a_standard_or_deadline_has_no_due_date(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 11, 23))
    act(demo, code, "register", "kadis", on=dt.date(2026, 11, 23))
    assert request_row(demo, code).due_on is None


def test_a_request_is_overdue_from_the_day_after_its_due_date(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 3, 17))
    with read_session(demo) as session:
        assert overdue_requests(session, None, on=dt.date(2026, 3, 25)) == []
        late = overdue_requests(session, None, on=dt.date(2026, 3, 26))
        assert [row.code for row in late] == [code] and late[0].overdue
        assert list_requests(session, None, on=dt.date(2026, 3, 26))[0].overdue


def test_the_timeline_shows_how_many_working_days_a_step_was_late(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 3, 17))
    act(demo, code, "register", "kadis", on=dt.date(2026, 3, 27))
    with read_session(demo) as session:
        first = request_detail(session, code, None, on=dt.date(2026, 3, 27)).timeline[0]
    assert (first.entered_on, first.due_on, first.done_on) == (
        dt.date(2026, 3, 17),
        dt.date(2026, 3, 25),
        dt.date(2026, 3, 27),
    )
    assert first.late and first.working_days_late == 2


def test_an_action_cannot_be_dated_before_the_request_reached_its_step(demo: Engine) -> None:
    code = _submit_on(demo, dt.date(2026, 11, 23))
    from dcim.errors import InputError

    with pytest.raises(InputError) as refused:
        act(demo, code, "register", "kadis", on=dt.date(2026, 11, 20))
    assert refused.value.problems[0].path == "on"


def test_open_requests_are_counted_by_the_step_they_wait_at(demo: Engine) -> None:
    first = _submit_on(demo, dt.date(2026, 3, 17), number="800/1/BKPSDM/2026")
    _submit_on(demo, dt.date(2026, 11, 23), number="800/2/BKPSDM/2026")
    act(demo, first, "register", "kadis", on=dt.date(2026, 3, 18))
    with read_session(demo) as session:
        counts = {
            c.step: (c.open, c.overdue)
            for c in open_by_step(session, None, on=dt.date(2026, 11, 27))
        }
    assert counts[1] == (1, 1)
    assert counts[2] == (1, 0)
    assert counts[15] == (0, 0)


def test_a_long_list_is_read_a_page_at_a_time_most_urgent_first(demo: Engine) -> None:
    late = _submit_on(demo, dt.date(2026, 3, 17), number="800/1/BKPSDM/2026")
    recent = _submit_on(demo, dt.date(2026, 11, 23), number="800/2/BKPSDM/2026")
    on = dt.date(2026, 11, 27)
    with read_session(demo) as session:
        first = list_requests(session, None, on=on, limit=1)
        second = list_requests(session, None, on=on, limit=1, offset=1)
        assert [row.code for row in first + second] == [late, recent]
        assert count_requests(session, None, on=on) == 2
        assert count_requests(session, None, overdue=True, on=on) == 2
        assert count_requests(session, user(demo, "opd.dishub"), on=on) == 0
