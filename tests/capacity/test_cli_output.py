"""The command line's edges: one JSON document on stdout, exit codes, languages, dates.

A few of these run the real ``dcim`` console script in a subprocess, as an
operator would; the rest run in this process.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scenario_data import SPEC_EXAMPLE, inventory, request, spec_inventory, spec_request, write_yaml
from scenario_support import CHECKS, Scenario, assert_result_shape, one_json_document
from sqlalchemy import func, select
from workflow_support import TEST_NOW, TEST_TODAY, dcim_executable

from dcim.db import get_engine, read_session
from dcim.models import HoldStatus, Reservation
from dcim_cli.main import OUTPUT_CLOSED_EXIT

ON = "2026-11-27"


@pytest.fixture
def example(scenario: Scenario) -> Scenario:
    """The example inventory, loaded."""
    return scenario.load(spec_inventory())


# --- the real console script ------------------------------------------------------------------


def test_console_script_check_prints_one_json_document(
    db_url: str, run_dcim: Callable[..., Any]
) -> None:
    assert run_dcim("--db", db_url, "load", SPEC_EXAMPLE / "inventory.yaml").exit_code == 0
    done = run_dcim(
        "--db", db_url, "check", SPEC_EXAMPLE / "request-simpeg.yaml", "--on", ON, "--json"
    )
    assert done.exit_code == 0, done.stderr
    result = one_json_document(done.stdout)
    assert_result_shape(result, ON)
    assert result["proposal"]["ipv4"] == {"public": ["203.0.113.7"], "server": ["10.10.1.2"]}


def test_a_reserve_whose_reader_left_keeps_its_hold_and_does_not_exit_1(
    db_url: str, run_dcim: Callable[..., Any]
) -> None:
    # `dcim reserve REQUEST | head -1`: the reader goes before the answer is written. Typer
    # exited with 1 there, the contract's "not feasible; nothing was held", after the hold
    # had been made; a shell reports a filter its reader left as 141 (128 + SIGPIPE).
    assert run_dcim("--db", db_url, "load", SPEC_EXAMPLE / "inventory.yaml").exit_code == 0
    held_before = _holds_held(db_url)
    command = [
        dcim_executable(),
        *("--db", db_url, "reserve", str(SPEC_EXAMPLE / "request-simpeg.yaml"), "--on", ON),
    ]
    reserving = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reserving.stdout is not None
    reserving.stdout.close()  # long before the process has imported what it runs
    _, stderr = reserving.communicate(timeout=120)
    assert reserving.returncode == OUTPUT_CLOSED_EXIT, stderr
    assert stderr == b"", "nothing is said on stderr: nobody is left to read the answer"
    assert _holds_held(db_url) == held_before + 1, "the hold was made before the answer"


def _holds_held(url: str) -> int:
    with read_session(get_engine(url)) as session:
        statement = select(func.count()).select_from(Reservation)
        return session.scalar(statement.where(Reservation.status == HoldStatus.HELD.value)) or 0


def test_console_script_infeasible_check_exits_1_with_one_json_document(
    db_url: str, run_dcim: Callable[..., Any]
) -> None:
    assert run_dcim("--db", db_url, "load", SPEC_EXAMPLE / "inventory.yaml").exit_code == 0
    done = run_dcim(
        "--db", db_url, "check", SPEC_EXAMPLE / "request-too-big.yaml", "--on", ON, "--json"
    )
    assert done.exit_code == 1, done.stderr
    result = one_json_document(done.stdout)
    assert_result_shape(result, ON)
    assert [result["checks"][name]["ok"] for name in CHECKS] == [
        True,
        False,
        None,
        True,
        True,
        False,
    ]


def test_console_script_reserve_prints_one_json_document_with_the_reservation(
    db_url: str, run_dcim: Callable[..., Any]
) -> None:
    assert run_dcim("--db", db_url, "load", SPEC_EXAMPLE / "inventory.yaml").exit_code == 0
    done = run_dcim(
        "--db", db_url, "reserve", SPEC_EXAMPLE / "request-simpeg.yaml", "--on", ON, "--json"
    )
    assert done.exit_code == 0, done.stderr
    result = one_json_document(done.stdout)
    assert result["reservation"]["expires_at"] == "2026-12-11"
    assert result["reservation"]["id"]


def test_console_script_bad_request_exits_2_without_a_traceback(
    db_url: str, run_dcim: Callable[..., Any], tmp_path: Path
) -> None:
    assert run_dcim("--db", db_url, "load", SPEC_EXAMPLE / "inventory.yaml").exit_code == 0
    wrong = write_yaml(tmp_path / "salah.yaml", request(psu=3))
    done = run_dcim("--db", db_url, "check", wrong, "--on", ON, "--json")
    assert done.exit_code == 2
    assert "salah.yaml" in done.stderr and "server.psu" in done.stderr
    assert "Traceback" not in done.stderr


# --- JSON on stdout ---------------------------------------------------------------------------


def test_reserve_json_is_one_document(example: Scenario) -> None:
    done = example.run(
        "reserve", example.file("request", spec_request("simpeg")), "--on", ON, "--json"
    )
    assert done.exit_code == 0
    assert_result_shape(one_json_document(done.stdout), ON)


def test_infeasible_reserve_json_is_one_document(example: Scenario) -> None:
    done = example.run(
        "reserve", example.file("request", spec_request("too-big")), "--on", ON, "--json"
    )
    assert done.exit_code == 1
    assert_result_shape(one_json_document(done.stdout), ON)


def test_utilization_json_is_one_document(example: Scenario) -> None:
    done = example.run("utilization", "--on", ON, "--json")
    assert done.exit_code == 0
    one_json_document(done.stdout)


# --- languages --------------------------------------------------------------------------------


def messages(scenario: Scenario, document: dict, lang: str | None = None) -> dict[str, str]:
    """The message of each check of a ``check --json`` run, in the language asked."""
    options = ["--lang", lang] if lang else []
    done = scenario.check_run(document, "--on", ON, "--json", *options)
    assert done.exit_code in (0, 1), done.stderr
    return {
        name: outcome["message"]
        for name, outcome in one_json_document(done.stdout)["checks"].items()
    }


def test_messages_are_indonesian_by_default(example: Scenario) -> None:
    power = messages(example, spec_request("too-big"))["power"]
    assert "2.944" in power and "3.000" in power


def test_lang_en_gives_english_messages_with_english_numbers(example: Scenario) -> None:
    power = messages(example, spec_request("too-big"), "en")["power"]
    assert "2,944" in power and "3,000" in power


def test_every_message_changes_with_the_language(example: Scenario) -> None:
    indonesian = messages(example, spec_request("too-big"))
    english = messages(example, spec_request("too-big"), "en")
    assert [name for name in CHECKS if indonesian[name] == english[name]] == []


def test_lang_en_before_the_command_works_too(example: Scenario) -> None:
    done = example.run_cli(
        "--db",
        example.db_url,
        "--lang",
        "en",
        "check",
        example.file("request", spec_request("too-big")),
        "--on",
        ON,
        "--json",
    )
    assert done.exit_code == 1
    assert "2,944" in one_json_document(done.stdout)["checks"]["power"]["message"]


def test_unknown_language_is_a_usage_error(example: Scenario) -> None:
    done = example.check_run(spec_request("simpeg"), "--on", ON, "--json", "--lang", "fr")
    assert done.exit_code == 2


# --- dates ------------------------------------------------------------------------------------


def test_evaluation_date_defaults_to_today_in_makassar(scenario: Scenario) -> None:
    scenario.load(inventory())
    done = scenario.check_run(request(), "--json")
    assert done.exit_code == 0, done.stderr
    # The tests' clock stands where it is still the day before in UTC.
    assert TEST_NOW.date() != TEST_TODAY
    assert one_json_document(done.stdout)["evaluated_on"] == TEST_TODAY.isoformat()


def test_wrong_date_is_a_usage_error_naming_the_option(example: Scenario) -> None:
    done = example.check_run(spec_request("simpeg"), "--on", "27-11-2026", "--json")
    assert done.exit_code == 2
    assert "--on" in done.stderr
    assert done.stdout.strip() == ""


# --- edges of the database --------------------------------------------------------------------


def test_check_on_a_new_empty_database_creates_the_schema_and_finds_no_room(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'baru.db'}"
    asked = write_yaml(tmp_path / "permohonan.yaml", request())
    done = run_cli("--db", url, "check", asked, "--on", ON, "--json")
    assert done.exit_code == 1, done.stderr
    result = one_json_document(done.stdout)
    assert_result_shape(result, ON)
    assert [result["checks"][name]["ok"] for name in CHECKS] == [
        False,
        None,
        None,
        True,
        True,
        True,
    ]


def test_check_without_json_keeps_the_exit_codes(example: Scenario) -> None:
    feasible = example.check_run(spec_request("simpeg"), "--on", ON)
    not_feasible = example.check_run(spec_request("too-big"), "--on", ON)
    assert (feasible.exit_code, not_feasible.exit_code) == (0, 1)
    assert feasible.stdout.strip() and not_feasible.stdout.strip()
