"""A refusal of a service is a message on the page, and the rest of the refused block does not run."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from capacity.holds import HOLD_ROLES
from dcim.accounts import operator, require_role
from dcim.db import read_session, write_session
from dcim.errors import DatabaseError, InputError, PermissionDenied, Problem
from dcim.models import Role, User
from dcim.users import add_user, set_active
from dcim_ui import auth, feedback
from dcim_ui.context import LANG_KEY


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, str | None]]:
    """The refusals shown on the page, with their titles."""
    seen: list[tuple[object, str | None]] = []
    monkeypatch.setattr(feedback, "show_refusal", lambda exc, title=None: seen.append((exc, title)))
    return seen


@pytest.mark.parametrize(
    "error",
    [
        InputError([Problem("server.psu", "must be 1 or 2")], "request.yaml"),
        PermissionDenied("only tim_dc may reserve"),
        DatabaseError("database is locked"),
    ],
)
def test_a_refusal_is_shown_with_its_title_and_not_raised(shown: list, error: Exception) -> None:
    with feedback.refusals("Ditolak") as outcome:
        raise error
    assert outcome.refused and outcome.error is error
    assert shown == [(error, "Ditolak")]


def test_a_refused_field_is_named_as_the_form_names_it(shown: list) -> None:
    refused = InputError(
        [
            Problem.of("password", "loader.password_required", "a password is required"),
            Problem("racks[0].u_height", "must be at most 100"),
        ],
        "formulir",
    )
    with feedback.refusals(labels={"password": "Kata sandi awal"}):
        raise refused
    ((error, _),) = shown
    assert [p.path for p in error.problems] == ["Kata sandi awal", "racks[0].u_height"]
    assert error.source == "formulir"
    # What is wrong, and its catalog key, stay as the service said them.
    assert [(p.key, p.message) for p in error.problems] == [
        (p.key, p.message) for p in refused.problems
    ]


def test_a_block_that_goes_through_shows_nothing(shown: list) -> None:
    with feedback.refusals() as outcome:
        pass
    assert not outcome.refused
    assert shown == []


def test_a_fault_that_is_not_a_refusal_is_not_hidden(shown: list) -> None:
    with pytest.raises(KeyError), feedback.refusals():
        raise KeyError("bug")
    assert shown == []


def test_the_acting_person_is_read_afresh_and_a_switched_off_account_is_refused(
    engine: Engine,
) -> None:
    with write_session(engine) as session:
        add_user(session, operator(), "timdc", "tim_dc", "sumbawa2026")
    with read_session(engine) as session:
        person = auth.actor(session, _id(engine, "timdc"))
        assert person.username == "timdc"
    with write_session(engine) as session:
        set_active(session, operator(), "timdc", False)
    with read_session(engine) as session, pytest.raises(PermissionDenied):
        auth.actor(session, _id(engine, "timdc"))


def _id(engine: Engine, username: str) -> int:
    with read_session(engine) as session:
        found = session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "id",
            "Ditolak: peran Kepala Seksi Aplikasi & E-Government tidak berwenang melakukan ini "
            "(yang berwenang: Operator (akses basis data), Tim Data Center).",
        ),
        (
            "en",
            "Refused: the role Head of Applications & E-Government may not do this "
            "(allowed: Operator (database access), Data Center Team).",
        ),
    ],
)
def test_a_role_refusal_is_shown_in_the_persons_language_with_the_roles_titles(
    monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(feedback.st, "session_state", {LANG_KEY: lang})
    monkeypatch.setattr(feedback.st, "error", lambda text, **_: shown.append(text))
    with feedback.refusals():
        require_role(User(username="kasi", role=Role.KASI_APLIKASI), HOLD_ROLES, "hold capacity")
    assert shown == [said]
