"""Roles in the service layer: only the role of the current step acts, an OPD sees only its own
requests, and the record of what happened cannot be edited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError
from workflow_support import (
    CCTV,
    HAPPY_PATH,
    ROLE_USERS,
    SIMPEG,
    SUBMITTED_ON,
    act,
    flow_data,
    snapshot,
    submit_file,
    user,
    walk,
)

from colocation.documents import available_documents
from colocation.models import HistoryIsAppendOnly, RequestEvent
from colocation.queries import list_requests, my_tasks, request_detail
from colocation.sop import current_sop
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.models import AuditEntry

SOP = current_sop()


def test_the_demo_has_one_user_for_every_role_of_the_sop(demo: Engine) -> None:
    """Every role the SOP names can be played on the demo data."""
    for role, name in ROLE_USERS.items():
        assert user(demo, name).role == role


def _refused_to_everyone_else(engine: Engine, code: str, action: str, data: object) -> None:
    """Every user but the one whose role acts now is refused, and nothing changes."""
    state = SOP.state(snapshot(engine, code)["state"])
    assert state is not None
    others = [name for role, name in ROLE_USERS.items() if role != state.role] + (
        ["opd.dishub"] if state.role == "opd" else []
    )
    for name in others:
        before = snapshot(engine, code)
        with pytest.raises((PermissionDenied, InputError)):
            act(engine, code, action, name, data)
        assert snapshot(engine, code) == before, (state.key, name)


def test_each_action_of_the_accepted_path_is_refused_to_every_other_role(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    for action, who, data_file in HAPPY_PATH:
        data = flow_data(data_file)
        _refused_to_everyone_else(demo, code, action, data)
        act(demo, code, action, who, data)
    assert snapshot(demo, code)["status"] == "done"


def test_each_action_of_the_rejection_path_is_refused_to_every_other_role(demo: Engine) -> None:
    code = submit_file(demo, CCTV, username="opd.dishub")
    walk(demo, code, HAPPY_PATH[:4])
    for action, who in (("check", "timdc"), ("report", "timdc"), ("reply", "kasi")):
        _refused_to_everyone_else(demo, code, action, None)
        act(demo, code, action, who)
    assert snapshot(demo, code)["status"] == "rejected"


def test_a_wrong_role_is_told_which_role_acts_at_the_step(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    with pytest.raises(PermissionDenied, match=r"langkah 1 .* Kepala Dinas"):
        act(demo, code, "register", "timdc")


def test_an_action_of_another_step_is_refused_and_changes_nothing(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:2])
    before = snapshot(demo, code)
    for action, who, data_file in HAPPY_PATH[3:]:
        if action == "verify":
            continue
        with pytest.raises(InputError, match="langkah 3"):
            act(demo, code, action, who, flow_data(data_file))
        assert snapshot(demo, code) == before, action


def test_the_administrator_watches_but_does_not_act_for_an_official(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    with read_session(demo) as session:
        detail = request_detail(session, code, user(demo, "admin"), on=SUBMITTED_ON)
    assert detail.actions == []
    with pytest.raises(PermissionDenied):
        act(demo, code, "register", "admin")


def test_an_opd_sees_only_its_own_requests(demo: Engine) -> None:
    own = submit_file(demo, SIMPEG)
    other = submit_file(demo, CCTV, username="opd.dishub")
    with read_session(demo) as session:
        bkpsdm = user(demo, "opd.bkpsdm")
        assert [row.code for row in list_requests(session, bkpsdm, on=SUBMITTED_ON)] == [own]
        assert {row.code for row in list_requests(session, user(demo, "pemantau"))} == {own, other}
        with pytest.raises(InputError, match="tidak ada permohonan"):
            request_detail(session, other, bkpsdm)
        with pytest.raises(InputError):
            available_documents(session, other, bkpsdm)


def test_an_opd_cannot_act_on_another_offices_request(demo: Engine) -> None:
    code = submit_file(demo, CCTV, username="opd.dishub")
    before = snapshot(demo, code)
    with pytest.raises(InputError):
        act(demo, code, "withdraw", "opd.bkpsdm")
    assert snapshot(demo, code) == before


def test_an_opd_submits_only_for_its_own_office(demo: Engine) -> None:
    with pytest.raises(InputError, match="OPD Anda sendiri"):
        submit_file(demo, CCTV, username="opd.bkpsdm")


def test_officials_cannot_submit_a_request_for_an_office(demo: Engine) -> None:
    with pytest.raises(PermissionDenied):
        submit_file(demo, SIMPEG, username="kasi")


def test_the_inbox_holds_the_requests_waiting_for_the_users_role(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    with read_session(demo) as session:
        assert [row.code for row in my_tasks(session, user(demo, "kadis"))] == [code]
        assert my_tasks(session, user(demo, "timdc")) == []
    walk(demo, code, HAPPY_PATH[:4])
    with read_session(demo) as session:
        assert my_tasks(session, user(demo, "kadis")) == []
        assert [row.code for row in my_tasks(session, user(demo, "timdc"))] == [code]


def test_every_action_is_in_the_audit_log_with_who_and_in_which_role(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:3], on=SUBMITTED_ON)
    with read_session(demo) as session:
        entries = session.execute(
            select(AuditEntry.username, AuditEntry.role, AuditEntry.action)
            .where(AuditEntry.entity == "colocation_request", AuditEntry.entity_key == code)
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(entry) for entry in entries] == [
        ("opd.bkpsdm", "opd", "request.submit"),
        ("kadis", "kepala_dinas", "request.register"),
        ("kadis", "kepala_dinas", "request.dispose"),
        ("kabid", "kabid_ti", "request.verify"),
    ]


def test_the_request_history_cannot_be_edited_through_the_application(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    act(demo, code, "register", "kadis", note="Diterima lewat loket")
    with pytest.raises(HistoryIsAppendOnly), write_session(demo) as session:
        event = session.scalar(select(RequestEvent).where(RequestEvent.action == "register"))
        assert event is not None
        event.note = "diubah"
    with pytest.raises(HistoryIsAppendOnly), write_session(demo) as session:
        event = session.scalar(select(RequestEvent).where(RequestEvent.action == "register"))
        session.delete(event)


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_rewrite_the_request_history(demo: Engine, statement: str) -> None:
    code = submit_file(demo, SIMPEG)
    act(demo, code, "register", "kadis")
    change = (
        update(RequestEvent).values(note="diubah")
        if statement == "update"
        else delete(RequestEvent)
    )
    with pytest.raises(DBAPIError, match="append-only"), demo.begin() as conn:
        conn.execute(change)
    with demo.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM colocation_request_events")).scalar() == 2
