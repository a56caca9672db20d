"""A refusal for a role is said in the user's language, naming roles as people name them.

Issue 9, item 1. A service refuses with :func:`~dcim.accounts.require_role`
without knowing who reads the refusal; the refusal carries its catalog key and
the role codes, and each interface (command line, API, app) says it in its
user's language with the roles' titles ("Tim Data Center", not ``tim_dc``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from workflow_support import SIMPEG, english_words, snapshot, submit_file

from capacity.holds import HOLD_ROLES
from dcim.accounts import operator, require_role
from dcim.db import write_session
from dcim.errors import PermissionDenied, RoleTitles
from dcim.models import Role, User
from dcim.tokens import create_token

pytestmark = pytest.mark.postgres

ON = "2026-11-27"


def _kasi() -> User:
    return User(username="kasi", role=Role.KASI_APLIKASI, active=True)


def _refusal(actor: User | None) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as refused:
        require_role(actor, HOLD_ROLES, "hold capacity")
    return refused.value


# --- the refusal itself -------------------------------------------------------------------------


def test_a_refused_kasi_reads_the_reason_in_indonesian_with_the_roles_titles() -> None:
    text = _refusal(_kasi()).text("id")
    assert text == (
        "peran Kepala Seksi Aplikasi & E-Government tidak berwenang melakukan ini "
        "(yang berwenang: Operator (akses basis data), Tim Data Center)"
    )
    assert not english_words(text)


def test_the_same_refusal_reads_in_english_with_the_english_titles() -> None:
    text = _refusal(_kasi()).text("en")
    assert text == (
        "the role Head of Applications & E-Government may not do this "
        "(allowed: Operator (database access), Data Center Team)"
    )


def test_without_a_language_the_refusal_is_the_logs_english_naming_the_action_and_codes() -> None:
    refusal = _refusal(_kasi())
    assert refusal.text() == str(refusal)
    assert str(refusal) == (
        "hold capacity: role 'kasi_aplikasi' may not do this (allowed: operator, tim_dc)"
    )


def test_nobody_signed_in_is_asked_to_sign_in_in_either_language() -> None:
    refusal = _refusal(None)
    assert refusal.text("id") == "masuk dulu untuk melakukan ini"
    assert refusal.text("en") == "sign in first to do this"


def test_a_refusal_worded_by_its_raiser_reads_the_same_in_every_language() -> None:
    refusal = PermissionDenied("token dicabut")
    assert refusal.text("id") == refusal.text("en") == "token dicabut"


def test_a_role_the_catalog_does_not_title_is_shown_by_its_code() -> None:
    assert RoleTitles(("tim_dc", "juru_kunci")).text("id") == "Tim Data Center, juru_kunci"


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(demo: Engine, run_cli: Any) -> Any:
    """``dcim --db URL ...`` in this process, over the demo data center and its users."""
    url = demo.url.render_as_string(hide_password=False)

    def run(*args: str | Path) -> Any:
        return run_cli("--db", url, *args)

    return run


def _kasi_token(demo: Engine) -> str:
    with write_session(demo) as session:
        return create_token(session, operator(), "kasi").text


def test_a_kasi_acting_at_the_head_of_offices_step_reads_both_roles_titles_in_indonesian(
    cli: Any, demo: Engine
) -> None:
    code = submit_file(demo, SIMPEG)
    token = _kasi_token(demo)
    before = snapshot(demo, code)
    result = cli("--lang", "id", "request", "act", code, "register", "--token", token, "--on", ON)
    assert result.exit_code == 2
    assert "ditolak: langkah 1" in result.stderr
    assert "dikerjakan oleh Kepala Dinas" in result.stderr
    assert "Anda masuk sebagai Kepala Seksi Aplikasi dan E-Government" in result.stderr
    assert "kasi_aplikasi" not in result.stderr and not english_words(result.stderr)
    assert snapshot(demo, code) == before


def test_the_command_line_says_a_services_role_refusal_in_the_users_language(
    cli: Any, demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workflow checks the step's role first, so a person reaches a service's own role check
    # only through an action's engine call: a stand-in for that call refuses the kasi here.
    import colocation.workflow

    def hold_for(engine: Engine, request_id: str, action: str, user: User, **_: Any) -> None:
        require_role(user, HOLD_ROLES, "hold capacity")

    monkeypatch.setattr(colocation.workflow, "perform", hold_for)
    code = submit_file(demo, SIMPEG)
    token = _kasi_token(demo)
    said = cli("--lang", "id", "request", "act", code, "register", "--token", token, "--on", ON)
    assert said.exit_code == 2
    assert said.stderr.strip() == (
        "ditolak: peran Kepala Seksi Aplikasi & E-Government tidak berwenang melakukan ini "
        "(yang berwenang: Operator (akses basis data), Tim Data Center)"
    )
    english = cli("--lang", "en", "request", "act", code, "register", "--token", token, "--on", ON)
    assert "permission: the role Head of Applications & E-Government" in english.stderr
