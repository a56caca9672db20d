"""The SOP's paths on the demo data: accepted and done (1 → 15), rejected (1 → 7), a failed
performance test (11 → 10 → 11), and a request withdrawn by its office."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from workflow_support import (
    CCTV,
    HAPPY_PATH,
    SIMPEG,
    SUBMITTED_ON,
    act,
    flow_data,
    hold_expires_on,
    request_row,
    submit_file,
    walk,
)

from capacity.holds import release
from colocation.documents import available_documents
from colocation.queries import request_detail
from dcim.accounts import operator
from dcim.db import read_session, write_session
from dcim.errors import InputError
from dcim.models import Device, HoldStatus, IPAddress, Record, Reservation

UNTIL_CHECK = HAPPY_PATH[:5]
UNTIL_TEST = HAPPY_PATH[:9]


def test_a_request_accepted_and_installed_walks_all_fifteen_steps(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    assert request_row(demo, code).step == 1
    results = walk(demo, code, HAPPY_PATH)
    assert [r.to_step for r in results] == [
        2,
        3,
        4,
        5,
        8,
        8,
        9,
        10,
        11,
        12,
        13,
        13,
        14,
        15,
        15,
        15,
        15,
    ]
    assert results[-1].status == "done"
    row = request_row(demo, code)
    assert (row.status, row.step, row.state, row.due_on) == ("done", 15, "done", None)
    assert row.closed_on == SUBMITTED_ON
    with read_session(demo) as session:
        detail = request_detail(session, code, None, on=SUBMITTED_ON)
    assert [event["action"] for event in detail.history] == ["submit"] + [
        a for a, _, _ in HAPPY_PATH
    ]
    assert sorted(d["kind"] for d in detail.documents) == sorted(
        [
            "lembar_disposisi",
            "laporan_pemeriksaan",
            "surat_balasan_penerimaan",
            "laporan_pelaksanaan",
            "berita_acara",
        ]
    )
    assert [entry.step for entry in detail.timeline][:5] == [1, 2, 3, 4, 5]
    assert all(entry.done_on == SUBMITTED_ON for entry in detail.timeline)
    assert detail.actions == [] and detail.upcoming == []


def test_a_feasible_check_holds_the_proposal_at_once(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    result = walk(demo, code, UNTIL_CHECK)[-1]
    assert (result.outcome, result.to_step, result.state) == ("available", 8, "report_available")
    with read_session(demo) as session:
        hold = session.scalar(
            select(Reservation).where(Reservation.code == result.reservation_code)
        )
        assert hold is not None and hold.status == HoldStatus.HELD
        assert hold.request_number == "800/131/BKPSDM/2026"
        assert result.hold_expires_on == hold.expires_at
    row = request_row(demo, code)
    assert row.check_result is not None and row.check_result["feasible"] is True
    assert row.check_result["reservation"]["id"] == result.reservation_code


def test_a_requests_page_shows_its_hold_as_the_reservation_records_it(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    hold_code = walk(demo, code, UNTIL_CHECK)[-1].reservation_code
    assert hold_code is not None
    with write_session(demo) as session:
        # The hold's end corrected by hand, outside the workflow.
        hold = session.scalar(select(Reservation).where(Reservation.code == hold_code))
        assert hold is not None
        hold.expires_at = dt.date(2026, 12, 18)
    release(demo, hold_code, actor=operator())
    with read_session(demo) as session:
        reservation = request_detail(session, code, None, on=SUBMITTED_ON).reservation
    assert reservation == {
        "id": hold_code,
        "expires_at": dt.date(2026, 12, 18),
        "status": "released",
    }


def test_the_acceptance_letter_asks_for_the_server_by_the_holds_expiry(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:7])
    row = request_row(demo, code)
    assert row.state == "installation"
    assert row.due_on == hold_expires_on(demo, code)


def test_installation_turns_the_hold_into_a_device_with_addresses_and_dns(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    results = walk(demo, code, HAPPY_PATH[:8])
    device_name = results[-1].device_name
    assert device_name == "SRV-BKPSDM-02"  # the demo already has SRV-BKPSDM-01
    with read_session(demo) as session:
        device = session.scalar(select(Device).where(Device.name == device_name))
        assert device is not None and device.serial == "CN7R640BKP01"
        addresses = session.scalars(
            select(IPAddress.address).where(IPAddress.device_id == device.id)
        )
        assert len(list(addresses)) == 2
        records = session.scalars(select(Record.name).where(Record.name == "simpeg-backup"))
        assert list(records) == ["simpeg-backup"]
        hold = session.scalar(
            select(Reservation).where(Reservation.code == results[4].reservation_code)
        )
        assert hold is not None and hold.status == HoldStatus.COMMITTED


def test_a_server_that_does_not_match_the_request_is_not_installed(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:7])
    wrong = {
        **flow_data("install-dell-r640.yaml"),
        "u_height": 2,
        "model": "HPE ProLiant DL380 Gen10",
    }
    with pytest.raises(InputError) as refused:
        act(demo, code, "install", "timdc", wrong)
    paths = {problem.path for problem in refused.value.problems}
    assert paths == {"data.u_height", "data.model"}
    assert request_row(demo, code).state == "installation"


def test_a_request_without_capacity_is_rejected_at_step_seven(demo: Engine) -> None:
    code = submit_file(demo, CCTV, username="opd.dishub")
    results = walk(demo, code, UNTIL_CHECK)
    assert (results[-1].outcome, results[-1].to_step) == ("unavailable", 6)
    assert results[-1].reservation_code is None
    report = act(demo, code, "report", "timdc")
    assert (report.to_step, report.documents) == (7, ("laporan_pemeriksaan",))
    reply = act(demo, code, "reply", "kasi")
    assert (reply.status, reply.to_step, reply.documents) == (
        "rejected",
        7,
        ("surat_balasan_penolakan",),
    )
    row = request_row(demo, code)
    assert (row.status, row.step, row.due_on, row.reservation_code) == ("rejected", 7, None, None)
    assert row.check_result is not None and row.check_result["checks"]["power"]["ok"] is False


def test_a_rejected_request_takes_no_more_actions(demo: Engine) -> None:
    code = submit_file(demo, CCTV, username="opd.dishub")
    walk(demo, code, [*UNTIL_CHECK, ("report", "timdc", None), ("reply", "kasi", None)])
    with pytest.raises(InputError, match="ditolak"):
        act(demo, code, "reply", "kasi")


def test_a_failed_performance_test_returns_to_configuration_and_is_tested_again(
    demo: Engine,
) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, UNTIL_TEST)
    failed = act(demo, code, "test", "timdc", flow_data("test-fail.yaml"))
    assert (failed.outcome, failed.to_step, failed.state) == ("failed", 10, "configuration")
    assert failed.failed_tests == ("failover",)
    again = act(demo, code, "configure", "timdc", flow_data("configure.yaml"))
    assert again.to_step == 11
    passed = act(demo, code, "test", "timdc", flow_data("test-pass.yaml"))
    assert (passed.outcome, passed.to_step) == ("passed", 12)
    with read_session(demo) as session:
        detail = request_detail(session, code, None, on=SUBMITTED_ON)
    steps = [entry.step for entry in detail.timeline]
    assert steps[-5:] == [10, 11, 10, 11, 12]
    assert detail.row.step == 12


def test_every_checklist_item_must_be_recorded(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:8])
    partial = flow_data("configure.yaml")
    del partial["items"]["security"]
    with pytest.raises(InputError) as refused:
        act(demo, code, "configure", "timdc", partial)
    assert [p.path for p in refused.value.problems] == ["data.items.security"]


def test_the_office_withdraws_its_request_and_the_hold_is_released(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    hold_code = walk(demo, code, UNTIL_CHECK)[-1].reservation_code
    result = act(demo, code, "withdraw", "opd.bkpsdm", note="Anggaran server dialihkan")
    assert (result.status, result.to_step) == ("withdrawn", 8)
    with read_session(demo) as session:
        hold = session.scalar(select(Reservation).where(Reservation.code == hold_code))
        assert hold is not None and hold.status == HoldStatus.RELEASED
        claimed = session.scalars(
            select(IPAddress.address).where(IPAddress.reservation_id == hold.id)
        )
        assert list(claimed) == []
    assert request_row(demo, code).status == "withdrawn"


def test_a_request_cannot_be_withdrawn_once_its_server_is_installed(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:8])
    with pytest.raises(InputError, match="langkah 9"):
        act(demo, code, "withdraw", "opd.bkpsdm")
    assert request_row(demo, code).status == "open"


def test_a_server_that_comes_after_the_hold_ended_needs_a_new_check(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    first_hold = walk(demo, code, HAPPY_PATH[:7])[4].reservation_code
    expired = hold_expires_on(demo, code)
    assert expired == dt.date(2026, 12, 11)
    late = dt.date(2026, 12, 14)
    with pytest.raises(InputError, match="recheck"):
        act(demo, code, "install", "timdc", flow_data("install-dell-r640.yaml"), on=late)
    with pytest.raises(InputError, match="masih berlaku"):
        act(demo, code, "recheck", "timdc", on=expired)
    again = act(demo, code, "recheck", "timdc", on=late)
    assert (again.to_step, again.state) == (5, "capacity_check")
    results = walk(demo, code, HAPPY_PATH[4:8], on=late)
    assert results[0].reservation_code not in (None, first_hold)
    assert results[-1].device_name is not None
    with read_session(demo) as session:
        old = session.scalar(select(Reservation).where(Reservation.code == first_hold))
        assert old is not None and old.status == HoldStatus.EXPIRED  # it ran out; nobody gave it up
        documents = available_documents(session, code, None)
        history = request_detail(session, code, None, on=late).documents
    assert [d.kind for d in documents].count("laporan_pemeriksaan") == 1
    reports = [d["number"] for d in history if d["kind"] == "laporan_pemeriksaan"]
    assert len(reports) == 2 and documents[1].number == reports[-1]


def test_the_hold_is_kept_until_the_delivery_date_of_a_late_acceptance_letter(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    hold_code = walk(demo, code, HAPPY_PATH[:6])[4].reservation_code
    assert hold_expires_on(demo, code) == dt.date(2026, 12, 11)
    act(demo, code, "reply", "kasi", on=dt.date(2026, 12, 9))
    row = request_row(demo, code)
    assert row.due_on == hold_expires_on(demo, code) == dt.date(2026, 12, 23)
    with read_session(demo) as session:
        hold = session.scalar(select(Reservation).where(Reservation.code == hold_code))
        assert hold is not None and hold.expires_at == dt.date(2026, 12, 23)
    act(
        demo,
        code,
        "install",
        "timdc",
        flow_data("install-dell-r640.yaml"),
        on=dt.date(2026, 12, 22),
    )
