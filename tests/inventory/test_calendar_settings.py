"""The office's calendar: local holidays and the time zone, as working-day counts see them."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"


def _spec_file(name: str) -> Path:
    return EXAMPLES / name


def test_a_local_holiday_pushes_a_holds_expiry_one_working_day_later(run_cli, db_url: str) -> None:
    assert run_cli("--db", db_url, "load", _spec_file("inventory.yaml")).exit_code == 0
    added = run_cli("--db", db_url, "holidays", "add", "2026-12-01", "Hari Jadi Kabupaten Sumbawa")
    assert added.exit_code == 0
    result = run_cli(
        "--db", db_url, "reserve", _spec_file("request-simpeg.yaml"), "--on", "2026-11-27", "--json"
    )
    assert result.exit_code == 0, result.stderr
    # Ten working days from Friday 27 November 2026 end on 11 December; the local day off moves it to the 14th.
    assert json.loads(result.stdout)["reservation"]["expires_at"] == "2026-12-14"


def test_local_holidays_are_listed_with_the_national_ones(run_cli, db_url: str) -> None:
    run_cli("--db", db_url, "holidays", "add", "2026-12-01", "Hari Jadi Kabupaten Sumbawa")
    listed = json.loads(
        run_cli("--db", db_url, "holidays", "list", "--year", "2026", "--json").stdout
    )
    by_date = {h["date"]: h for h in listed["holidays"]}
    assert by_date["2026-12-01"]["local"] is True
    assert by_date["2026-12-24"]["name"] == "Cuti Bersama Hari Raya Natal"
    assert by_date["2026-12-24"]["local"] is False


def test_removing_a_day_that_is_not_a_local_holiday_is_refused(run_cli, db_url: str) -> None:
    result = run_cli("--db", db_url, "holidays", "remove", "2026-12-02")
    assert result.exit_code == 2
    # The operator's language (Bahasa Indonesia by default) says why, at the field they gave.
    assert "date: 2026-12-02 bukan hari libur daerah" in result.stderr
    english = run_cli("--db", db_url, "--lang", "en", "holidays", "remove", "2026-12-02")
    assert "date: 2026-12-02 is not a local holiday" in english.stderr


def test_an_unknown_time_zone_is_refused_and_the_old_one_kept(run_cli, db_url: str) -> None:
    assert run_cli("--db", db_url, "config", "timezone", "Mars/Olympus").exit_code == 2
    shown = run_cli("--db", db_url, "--lang", "en", "config", "show")
    assert "Asia/Makassar" in shown.stdout
