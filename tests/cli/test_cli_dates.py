"""Dates on the command line: every ``--on`` and date argument is read the same way, and a wrong
one is refused naming the option, in the language chosen, before anything changes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from dcim.db import read_session
from dcim.models import LocalHoliday


@pytest.mark.parametrize(
    "command",
    [
        ("check", "request.yaml"),
        ("utilization",),
        ("snapshot",),
        ("request", "list"),
    ],
    ids=lambda command: command[0] if command[0] != "request" else "request-list",
)
def test_a_wrong_on_date_is_refused_naming_the_option(
    engine: Engine, run_cli: Any, command: tuple[str, ...]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, *command, "--on", "27-11-2026")
    assert result.exit_code == 2
    assert "--on: bukan tanggal berbentuk YYYY-MM-DD: '27-11-2026'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_date_is_refused_in_english_when_asked(engine: Engine, run_cli: Any) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "--lang", "en", "utilization", "--on", "2026-13-01")
    assert result.exit_code == 2
    assert "--on: not a date in the form YYYY-MM-DD: '2026-13-01'" in result.stderr


def test_a_holiday_with_a_wrong_date_is_refused_and_not_added(engine: Engine, run_cli: Any) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "holidays", "add", "1 Desember 2026", "Hari Jadi")
    assert result.exit_code == 2
    assert "date: bukan tanggal berbentuk YYYY-MM-DD: '1 Desember 2026'" in result.stderr
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(LocalHoliday)) == 0
