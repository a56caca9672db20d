"""Nothing is recorded "in the future", and no date outside the working calendar is accepted.

A write dated after today (in the data center's time zone) is refused by the
service and named ``--on`` on the command line, and changes nothing: a hold
made for a later day expired holds that are live today, and a workflow
event dated 9999-12-31 locked its request for ever. Reads (``check``,
``utilization``) may still look at a later day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from workflow_support import (
    HAPPY_PATH,
    SIMPEG,
    TEST_TODAY,
    act,
    request_row,
    snapshot,
    submit_file,
    token_of,
    walk,
)

from colocation.models import ColocationRequest
from dcim.accounts import operator
from dcim.db import read_session, write_session
from dcim.errors import InputError
from dcim.inventory.load import load_file
from dcim.models import Reservation, UtilizationSnapshot

TODAY = TEST_TODAY
TOMORROW = TODAY + dt.timedelta(days=1)
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"
REQUEST = EXAMPLE / "request-simpeg.yaml"


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _holds(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(Reservation)) or 0


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example inventory."""
    load_file(engine, EXAMPLE / "inventory.yaml", actor=operator())
    return engine


def test_reserve_for_tomorrow_is_refused_naming_on_and_holds_nothing(
    example: Engine, run_cli: Any
) -> None:
    before = _holds(example)
    result = run_cli("--db", _url(example), "reserve", REQUEST, "--on", TOMORROW.isoformat())
    assert result.exit_code == 2
    assert "--on: tanggal 1 Januari 2027 belum tiba (hari ini 31 Desember 2026)" in result.stderr
    assert _holds(example) == before


def test_reserve_for_today_and_for_an_earlier_day_hold(example: Engine, run_cli: Any) -> None:
    before = _holds(example)
    assert run_cli("--db", _url(example), "reserve", REQUEST).exit_code == 0
    other = run_cli("--db", _url(example), "reserve", REQUEST, "--on", "2026-12-01")
    # The same domain is held already, so the second is not feasible: evaluated, not refused.
    assert other.exit_code == 1 and "simpeg-dr.sumbawakab.go.id" in other.stdout
    assert _holds(example) == before + 1


def test_the_refusal_speaks_english_when_asked(example: Engine, run_cli: Any) -> None:
    result = run_cli(
        "--db", _url(example), "--lang", "en", "reserve", REQUEST, "--on", "9999-12-31"
    )
    assert result.exit_code == 2
    assert "--on: the date 9999-12-31" not in result.stderr  # dates are written out
    assert "--on: the date December 31, 9999 is outside the working calendar" in result.stderr


def test_commit_for_tomorrow_is_refused_and_the_hold_stays(example: Engine, run_cli: Any) -> None:
    held = run_cli("--db", _url(example), "reserve", REQUEST, "--json")
    code = held.stdout.split('"id": "')[1].split('"')[0]
    result = run_cli(
        "--db", _url(example), "commit", code, "--name", "SRV-X", "--on", TOMORROW.isoformat()
    )
    assert result.exit_code == 2 and "--on:" in result.stderr
    with read_session(example) as session:
        assert session.scalar(select(Reservation.status).where(Reservation.code == code)) == "held"


def test_a_snapshot_for_tomorrow_is_refused(example: Engine, run_cli: Any) -> None:
    result = run_cli("--db", _url(example), "snapshot", "--on", TOMORROW.isoformat())
    assert result.exit_code == 2 and "--on: tanggal 1 Januari 2027 belum tiba" in result.stderr
    with read_session(example) as session:
        assert session.scalar(select(func.count()).select_from(UtilizationSnapshot)) == 0


def test_check_and_utilization_still_evaluate_a_later_day(example: Engine, run_cli: Any) -> None:
    checked = run_cli("--db", _url(example), "check", REQUEST, "--on", "2028-01-03", "--json")
    assert checked.exit_code == 0 and '"evaluated_on": "2028-01-03"' in checked.stdout
    assert run_cli("--db", _url(example), "utilization", "--on", "2028-01-03").exit_code == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-06-01"])
def test_a_day_outside_the_working_calendar_is_an_input_error(
    example: Engine, run_cli: Any, day: str
) -> None:
    result = run_cli("--db", _url(example), "check", REQUEST, "--on", day)
    assert result.exit_code == 2
    assert "--on: tanggal" in result.stderr and "di luar kalender kerja" in result.stderr
    assert "kesalahan internal" not in result.stderr


def test_an_action_dated_tomorrow_is_refused_and_changes_nothing(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    before = snapshot(demo, code)
    with pytest.raises(InputError) as refused:
        act(demo, code, "register", "kadis", on=TOMORROW)
    assert refused.value.problems[0].path == "on"
    assert "belum tiba" in refused.value.problems[0].message
    assert snapshot(demo, code) == before


def test_a_letter_cannot_be_submitted_for_tomorrow(demo: Engine) -> None:
    with pytest.raises(InputError) as refused:
        submit_file(demo, SIMPEG, on=TOMORROW)
    assert [p.path for p in refused.value.problems] == ["on"]
    with read_session(demo) as session:
        assert session.scalar(select(func.count()).select_from(ColocationRequest)) == 0


def test_the_command_line_names_the_option_of_a_future_action(
    demo: Engine, run_cli: Any, tmp_path: Path
) -> None:
    code = submit_file(demo, SIMPEG)
    result = run_cli(
        "--db",
        _url(demo),
        "request",
        "act",
        code,
        "register",
        "--as",
        "kadis",
        "--token",
        token_of(demo, "kadis"),
        "--on",
        "9000-01-01",
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("--on: tanggal 1 Januari 9000 di luar kalender kerja")


def test_a_request_stuck_by_a_future_dated_step_can_still_be_withdrawn(demo: Engine) -> None:
    # Data made before the rule: an action recorded for 9999-12-31 put the request "there".
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:4])
    with write_session(demo) as session:
        session.execute(
            update(ColocationRequest)
            .where(ColocationRequest.code == code)
            .values(entered_on=dt.date(9999, 12, 31))
        )
    result = act(demo, code, "withdraw", "opd.bkpsdm", on=None)
    assert (result.status, request_row(demo, code).closed_on) == ("withdrawn", TODAY)


def test_a_request_stuck_by_a_future_dated_step_goes_on_from_today(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    with write_session(demo) as session:
        session.execute(
            update(ColocationRequest)
            .where(ColocationRequest.code == code)
            .values(entered_on=dt.date(9999, 12, 31))
        )
    with pytest.raises(InputError, match="lebih awal dari tanggal permohonan tiba"):
        act(demo, code, "register", "kadis", on=TODAY - dt.timedelta(days=1))
    assert act(demo, code, "register", "kadis", on=TODAY).to_step == 2


@pytest.mark.parametrize(
    ("action_steps", "action", "who", "data", "field"),
    [
        (6, "reply", "kasi", {"delivery_deadline": "9999-12-31"}, "data.delivery_deadline"),
        (6, "reply", "kasi", {"delivery_deadline": "2099-12-31"}, "data.delivery_deadline"),
        (1, "dispose", "kadis", {"deadline": "2099-01-05"}, "data.deadline"),
    ],
    ids=["delivery-9999", "delivery-2099", "disposition-2099"],
)
def test_a_deadline_far_ahead_is_refused_naming_the_field(
    demo: Engine,
    action_steps: int,
    action: str,
    who: str,
    data: dict[str, str],
    field: str,
) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:action_steps])
    before = snapshot(demo, code)
    with pytest.raises(InputError) as refused:
        act(demo, code, action, who, data=data)
    assert [p.path for p in refused.value.problems] == [field]
    assert snapshot(demo, code) == before


def test_a_stored_hold_length_too_long_to_count_is_refused_naming_the_policy(
    example: Engine, run_cli: Any
) -> None:
    # Stored before the inventory file was bounded: counting 10^9 working days would never end.
    from dcim.models import Policy

    with write_session(example) as session:
        policy = session.get(Policy, 1) or Policy(id=1)
        policy.reservation_working_days = 1_000_000_000
        session.add(policy)
    before = _holds(example)
    result = run_cli("--db", _url(example), "reserve", REQUEST)
    assert result.exit_code == 2
    assert "policy.reservation_working_days: 1000000000 hari kerja terlalu banyak" in result.stderr
    assert _holds(example) == before
