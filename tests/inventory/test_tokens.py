"""Identity on the command line: personal access tokens, the password, and the audit channel.

A person who acts (``dcim request act``, ``dcim request submit --as``) proves
who they are with a token or the password; the operator commands need only
the database and are recorded as the operator, by the OS login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pty
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy import select as sql_select
from workflow_support import SIMPEG, dcim_executable, snapshot, submit_file

from dcim.accounts import hash_password, operator
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.models import AccessToken, AuditEntry, User
from dcim.tokens import create_token, list_tokens, revoke_token, verify_token
from dcim.users import set_active

pytestmark = pytest.mark.postgres

ON = "2026-11-27"
PASSWORD = "sumbawa2026"


def _token(engine: Engine, username: str, **options: Any) -> Any:
    with write_session(engine) as session:
        return create_token(session, operator(), username, **options)


def _verify(engine: Engine, text: str, lang: str = "id") -> str:
    with write_session(engine) as session:
        return verify_token(session, text, lang).username


def _expire(engine: Engine, token_id: int) -> None:
    with write_session(engine) as session:
        session.execute(
            update(AccessToken)
            .where(AccessToken.id == token_id)
            .values(expires_at=dt.date(2020, 1, 1))
        )


def _last_audit(engine: Engine) -> AuditEntry:
    with read_session(engine) as session:
        entry = session.scalars(sql_select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    return entry


def _give_password(engine: Engine, username: str) -> None:
    with write_session(engine) as session:
        session.execute(
            update(User)
            .where(User.username == username)
            .values(password_hash=hash_password(PASSWORD))
        )


@pytest.fixture
def cli(demo: Engine, run_cli: Any) -> Any:
    """``dcim --db URL ...`` in this process, over the demo data center and its users."""
    url = demo.url.render_as_string(hide_password=False)

    def run(*args: str | Path) -> Any:
        return run_cli("--db", url, *args)

    return run


# --- the token service --------------------------------------------------------------------------


def test_a_new_token_proves_its_user_and_only_its_hash_is_stored(demo: Engine) -> None:
    made = _token(demo, "kadis", label="laptop kantor")
    assert _verify(demo, made.text) == "kadis"
    secret = made.text.split("_", 2)[2]
    with read_session(demo) as session:
        row = session.get(AccessToken, made.id)
    assert row is not None and row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    with read_session(demo) as session:
        assert secret not in repr(list_tokens(session))
        assert all(
            secret not in repr(value)
            for value in session.execute(sql_select(AccessToken.__table__)).one()
        )


def test_using_a_token_records_when_it_was_last_used(demo: Engine) -> None:
    made = _token(demo, "kasi")
    _verify(demo, made.text)
    with read_session(demo) as session:
        (row,) = list_tokens(session, "kasi")
    assert row.last_used_at is not None and row.state(dt.date.today()) == "active"


def test_a_token_with_a_wrong_secret_is_refused(demo: Engine) -> None:
    made = _token(demo, "kadis")
    forged = made.text[:-4] + ("AAAA" if not made.text.endswith("AAAA") else "BBBB")
    with pytest.raises(PermissionDenied, match="salah atau tidak dikenal"):
        _verify(demo, forged)


def test_text_that_is_not_a_token_is_refused_saying_what_a_token_looks_like(demo: Engine) -> None:
    with pytest.raises(PermissionDenied, match="dcim_<key>_<secret>"):
        _verify(demo, "sumbawa2026", lang="en")


def test_an_expired_token_is_refused_with_the_day_it_expired(demo: Engine) -> None:
    made = _token(demo, "kadis", expires_at=dt.date.today() + dt.timedelta(days=30))
    _expire(demo, made.id)
    with pytest.raises(PermissionDenied, match="kedaluwarsa pada 2020-01-01"):
        _verify(demo, made.text)
    with pytest.raises(PermissionDenied, match="expired on 2020-01-01"):
        _verify(demo, made.text, lang="en")


def test_a_token_cannot_be_made_to_expire_in_the_past(demo: Engine) -> None:
    with pytest.raises(InputError) as refused:
        _token(demo, "kadis", expires_at=dt.date(2020, 1, 1))
    assert refused.value.problems[0].path == "expires"


def test_a_revoked_token_is_refused_for_good(demo: Engine) -> None:
    made = _token(demo, "kadis")
    with write_session(demo) as session:
        revoke_token(session, operator(), made.id)
    with pytest.raises(PermissionDenied, match="dicabut"):
        _verify(demo, made.text)


def test_the_token_of_a_switched_off_account_proves_nobody(demo: Engine) -> None:
    made = _token(demo, "kasi")
    with write_session(demo) as session:
        set_active(session, operator(), "kasi", False)
    with pytest.raises(PermissionDenied, match="tidak aktif"):
        _verify(demo, made.text)


def test_a_person_may_make_a_token_for_themselves_but_not_for_another(demo: Engine) -> None:
    with read_session(demo) as session:
        kasi = session.scalar(sql_select(User).where(User.username == "kasi"))
    with write_session(demo) as session:
        own = create_token(session, kasi, "kasi")
    assert _verify(demo, own.text) == "kasi"
    with write_session(demo) as session, pytest.raises(PermissionDenied):
        create_token(session, kasi, "kadis")


# --- the command line ---------------------------------------------------------------------------


def test_token_create_prints_the_token_once_and_the_list_never_shows_it(cli: Any) -> None:
    made = cli("token", "create", "kadis", "--name", "laptop", "--expires", "2099-12-31")
    assert made.exit_code == 0, made.stderr
    text = made.stdout.strip()
    assert text.startswith("dcim_") and "2099-12-31" in made.stderr
    listed = cli("token", "list", "kadis")
    assert listed.exit_code == 0 and "laptop" in listed.stdout and "aktif" in listed.stdout
    assert text.split("_", 2)[2] not in listed.stdout


def test_token_revoke_ends_the_token(cli: Any, demo: Engine) -> None:
    text = cli("token", "create", "kadis").stdout.strip()
    with read_session(demo) as session:
        (row,) = list_tokens(session, "kadis")
    assert cli("token", "revoke", str(row.id)).exit_code == 0
    refused = cli("request", "list", "--as", "kadis")  # a read: no proof needed, still works
    assert refused.exit_code == 0
    code = submit_file(demo, SIMPEG)
    acted = cli("request", "act", code, "register", "--token", text, "--on", ON)
    assert acted.exit_code == 2 and "dicabut" in acted.stderr


def test_request_act_without_proof_is_refused_naming_the_token_option(
    cli: Any, demo: Engine
) -> None:
    code = submit_file(demo, SIMPEG)
    before = snapshot(demo, code)
    result = cli("request", "act", code, "register", "--as", "kadis", "--on", ON)
    assert result.exit_code == 2
    assert "--token" in result.stderr and "DCIM_TOKEN" in result.stderr
    assert snapshot(demo, code) == before


def test_request_act_with_a_token_acts_as_its_user_and_the_audit_says_token(
    cli: Any, demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = submit_file(demo, SIMPEG)
    monkeypatch.setenv("DCIM_TOKEN", _token(demo, "kadis").text)
    result = cli("request", "act", code, "register", "--on", ON)
    assert result.exit_code == 0, result.stderr
    entry = _last_audit(demo)
    assert (entry.username, entry.role, entry.channel) == ("kadis", "kepala_dinas", "token")
    assert entry.entity_key == code


def test_acting_as_kadis_with_the_token_of_kasi_is_refused(cli: Any, demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    kasi_token = _token(demo, "kasi").text
    before = snapshot(demo, code)
    result = cli("request", "act", code, "register", "--as", "kadis", "--token", kasi_token)
    assert result.exit_code == 2
    assert "'kasi'" in result.stderr and "'kadis'" in result.stderr
    assert snapshot(demo, code) == before


def test_an_expired_token_is_refused_on_the_command_line_in_english_too(
    cli: Any, demo: Engine
) -> None:
    code = submit_file(demo, SIMPEG)
    made = _token(demo, "kadis")
    _expire(demo, made.id)
    result = cli("--lang", "en", "request", "act", code, "register", "--token", made.text)
    assert result.exit_code == 2 and "expired on 2020-01-01" in result.stderr


def test_submit_without_as_is_the_operator_registering_a_paper_letter(
    cli: Any, demo: Engine
) -> None:
    result = cli("request", "submit", SIMPEG, "--on", ON, "--json")
    assert result.exit_code == 0, result.stderr
    entry = _last_audit(demo)
    assert (entry.action, entry.role, entry.channel) == ("request.submit", "operator", "operator")
    assert entry.username == operator().username


def test_operator_commands_are_recorded_with_the_os_login_and_channel_operator(
    cli: Any, demo: Engine
) -> None:
    assert cli("holidays", "add", "2027-02-01", "Hari Jadi").exit_code == 0
    entry = _last_audit(demo)
    assert (entry.username, entry.role, entry.channel) == (
        operator().username,
        "operator",
        "operator",
    )


# --- the password, in a real process ------------------------------------------------------------


def _dcim(url: str, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Any:
    environment = {k: v for k, v in os.environ.items() if k not in ("DCIM_TOKEN", "DCIM_DEBUG")}
    return subprocess.run(
        [dcim_executable(), "--db", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment | (env or {}),
    )


def test_the_password_on_stdin_proves_the_person_and_the_audit_says_password(
    demo: Engine,
) -> None:
    code = submit_file(demo, SIMPEG)
    _give_password(demo, "kadis")
    url = demo.url.render_as_string(hide_password=False)
    args = ("request", "act", code, "register", "--as", "kadis", "--on", ON, "--password-stdin")
    wrong = _dcim(url, *args, stdin="not-the-password\n")
    assert wrong.returncode == 2
    assert "'kadis'" in wrong.stderr
    done = _dcim(url, *args, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    entry = _last_audit(demo)
    assert (entry.username, entry.channel) == ("kadis", "password")


def test_without_a_terminal_or_a_token_a_real_process_refuses_and_names_the_token(
    demo: Engine,
) -> None:
    code = submit_file(demo, SIMPEG)
    url = demo.url.render_as_string(hide_password=False)
    result = _dcim(url, "request", "act", code, "register", "--as", "kadis", stdin="")
    assert result.returncode == 2
    assert "--token" in result.stderr and "Traceback" not in result.stderr


def test_on_a_terminal_the_password_is_asked_for(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    _give_password(demo, "kadis")
    url = demo.url.render_as_string(hide_password=False)
    environment = {k: v for k, v in os.environ.items() if k not in ("DCIM_TOKEN", "DCIM_DEBUG")}
    primary, secondary = pty.openpty()
    # A new session has no controlling terminal, so getpass reads the pty given as stdin.
    process = subprocess.Popen(
        [
            dcim_executable(),
            "--db",
            url,
            "request",
            "act",
            code,
            "register",
            "--as",
            "kadis",
            *("--on", ON),
        ],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=environment,
        start_new_session=True,
    )
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while b"kadis" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1)
            if ready:
                seen += os.read(primary, 1024)
        assert b"Kata sandi kadis" in seen, seen
        os.write(primary, (PASSWORD + "\n").encode())
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    entry = _last_audit(demo)
    assert (entry.username, entry.channel) == ("kadis", "password")


@pytest.mark.parametrize(
    "text",
    [
        "dcim_\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00_secret",
        "dcim_0123456789ab_\udcff\ud800",
        "dcim_" + "a" * 12 + "_" + "x" * 100_000,
    ],
    ids=["nul-key", "lone-surrogates", "huge-secret"],
)
def test_a_hostile_token_is_refused_cleanly(demo: Engine, text: str) -> None:
    with pytest.raises(PermissionDenied):
        _verify(demo, text)


def test_a_hostile_user_name_with_a_nul_finds_nobody(
    cli: Any, demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = submit_file(demo, SIMPEG)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    result = cli("token", "list", "kadis\x00")
    assert result.exit_code == 0 and "kesalahan internal" not in result.stderr
    made = cli("token", "create", "kadis\x00")
    assert made.exit_code == 2 and "user:" in made.stderr
    acted = cli("request", "act", code, "register", "--as", "ka\x00dis", "--password-stdin")
    assert acted.exit_code == 2 and "kesalahan internal" not in acted.stderr


def test_the_operator_is_named_by_the_os_login_kept_printable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGNAME", "ops\x1b[31m\u202ebudi")
    assert operator().username == "ops[31mbudi"
    assert operator().role == "operator" and operator().channel == "operator"
