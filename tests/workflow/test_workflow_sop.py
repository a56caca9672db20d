"""The SOP as data: the bundled file says what the SOP says, a broken file is refused by name,
and a revised SOP changes the workflow without a change to the program."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from workflow_support import SIMPEG, load_demo, request_row, submit_file

from colocation.sop import DEFAULT_SOP_FILE, SOP_FILE_ENV, current_sop, parse_sop, read_sop
from dcim.errors import InputError

RAW = yaml.safe_load(DEFAULT_SOP_FILE.read_text(encoding="utf-8"))


def _raw() -> dict[str, Any]:
    return copy.deepcopy(RAW)


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as refused:
        parse_sop(data, "sop.yaml")
    return refused.value.lines()


def test_the_bundled_sop_has_fifteen_steps_with_the_sops_time_standards() -> None:
    sop = read_sop(DEFAULT_SOP_FILE)
    assert sop.sop.number == "556/STO/DKISS/2021"
    assert sorted({state.step for state in sop.states}) == list(range(1, 16))
    standards = {state.step: state.working_days for state in sop.states if state.working_days}
    assert standards == {1: 1, 10: 2, 11: 1}


def test_the_bundled_sop_names_the_acting_official_of_each_step() -> None:
    sop = current_sop()
    roles = {state.step: state.role for state in sop.states if state.step in (1, 2, 3, 4, 5, 7, 14)}
    assert roles == {
        1: "kepala_dinas",
        2: "kepala_dinas",
        3: "kabid_ti",
        4: "kasi_aplikasi",
        5: "tim_dc",
        7: "kasi_aplikasi",
        14: "kabid_ti",
    }
    ends = {key: end.status for key, end in sop.ends.items()}
    assert ends == {"done": "done", "rejected": "rejected", "withdrawn": "withdrawn"}


def test_the_capacity_check_leads_to_step_eight_or_step_six() -> None:
    check = current_sop().state("capacity_check")
    assert check is not None
    assert check.actions[0].outcomes == {
        "available": "report_available",
        "unavailable": "report_unavailable",
    }


def test_a_role_the_sop_does_not_know_is_refused_by_its_path() -> None:
    data = _raw()
    data["states"][0]["role"] = "sekretaris"
    assert _problems(data) == [
        "sop.yaml: states[0].role: must be one of kepala_dinas, kabid_ti, kasi_aplikasi, tim_dc, "
        "opd, got 'sekretaris'"
    ]


def test_an_action_leading_nowhere_is_refused() -> None:
    data = _raw()
    data["states"][1]["actions"][0]["to"] = "verifikasi"
    assert _problems(data) == [
        "sop.yaml: states[1].actions[0]: leads to unknown state or end 'verifikasi'"
    ]


def test_a_check_must_say_where_each_outcome_leads() -> None:
    data = _raw()
    del data["states"][4]["actions"][0]["outcomes"]["unavailable"]
    assert _problems(data) == [
        "sop.yaml: states[4].actions[0].outcomes: must give exactly: available, unavailable"
    ]


def test_a_state_nobody_can_reach_is_refused() -> None:
    data = _raw()
    data["states"][5]["actions"][0]["to"] = "reply_acceptance"  # step 6 skips step 7
    assert _problems(data) == ["sop.yaml: states[6]: state 'reply_rejection' cannot be reached"]


def test_an_unknown_field_in_the_sop_is_refused() -> None:
    data = _raw()
    data["states"][0]["waktu"] = 1
    assert _problems(data) == ["sop.yaml: states[0].waktu: unknown field"]


def test_a_numbering_pattern_with_an_unknown_field_is_refused() -> None:
    data = _raw()
    data["numbering"]["pattern"] = "{kode}/{nomor_urut}/{tahun}"
    assert _problems(data) == [
        "sop.yaml: numbering.pattern: unknown field kode (use kode_klasifikasi, nomor_urut, "
        "kode_unit, tahun, bulan, bulan_romawi)"
    ]


def test_documents_numbered_alike_must_share_a_series() -> None:
    data = _raw()
    data["documents"]["berita_acara"]["kode_klasifikasi"] = "555"
    data["documents"]["berita_acara"]["series"] = "berita_acara"
    assert _problems(data) == [
        "sop.yaml: documents.berita_acara.series: must be 'surat_keluar': documents numbered "
        "alike share one series, or their numbers would repeat"
    ]


def test_the_sop_command_checks_a_file_and_exits_2_when_it_is_broken(
    tmp_path: Path, run_cli: Any
) -> None:
    data = _raw()
    data["states"][0]["role"] = "sekretaris"
    broken = tmp_path / "sop.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run_cli("request", "sop", DEFAULT_SOP_FILE).exit_code == 0
    result = run_cli("request", "sop", broken)
    assert result.exit_code == 2
    assert "states[0].role" in result.stderr


def test_a_revised_sop_changes_the_deadline_without_a_change_to_the_program(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _raw()
    data["states"][0]["working_days"] = 3
    revised = tmp_path / "sop-revisi.yaml"
    revised.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(SOP_FILE_ENV, str(revised))
    demo = load_demo(engine)
    code = submit_file(demo, SIMPEG, on=dt.date(2026, 11, 27))
    assert request_row(demo, code).due_on == dt.date(2026, 12, 2)
