"""Users and roles: who may sign in, and who may add whom."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dcim.accounts import authenticate, operator
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.inventory.load import load_file
from dcim.models import AuditEntry, Role, User
from dcim.users import add_user, change_own_password, read_demo_users, set_active
from dcim_demo import DEMO_DIR
from dcim_demo.users import load as load_demo_users

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"


@pytest.fixture
def inventory(engine: Engine) -> Engine:
    """A database holding a small data center with the tenants bkpsdm and disdukcapil."""
    load_file(engine, _example_inventory(), actor=operator())
    return engine


def _example_inventory() -> Path:
    bundled = DEMO_DIR / "inventory.yaml"
    return bundled if bundled.exists() else EXAMPLE


def test_user_add_reads_the_password_from_stdin(run_dcim, db_url: str, inventory: Engine) -> None:
    result = run_dcim(
        "--db",
        db_url,
        "user",
        "add",
        "budi",
        "--role",
        "opd",
        "--tenant",
        "bkpsdm",
        "--full-name",
        "Budi Santoso",
        "--nip",
        "198001012005011001",
        stdin="rahasia-123\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "budi" in result.stdout
    with read_session(inventory) as session:
        assert authenticate(session, "budi", "rahasia-123") is not None
        assert authenticate(session, "budi", "salah-sekali") is None


def test_an_opd_user_must_name_a_tenant(
    run_cli, db_url: str, inventory: Engine, monkeypatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("rahasia-123\n"))
    result = run_cli("--db", db_url, "user", "add", "eko", "--role", "opd")
    assert result.exit_code == 2
    assert "tenant" in result.stderr
    with read_session(inventory) as session:
        assert session.scalar(select(User).where(User.username == "eko")) is None


def test_a_short_password_is_refused(run_cli, db_url: str, inventory: Engine, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
    result = run_cli("--db", db_url, "user", "add", "eko", "--role", "viewer")
    assert result.exit_code == 2
    assert "password: paling sedikit 8 karakter" in result.stderr


def test_user_list_prints_json_without_password_hashes(
    run_cli, db_url: str, inventory: Engine
) -> None:
    load_demo_users(inventory, operator())
    result = run_cli("--db", db_url, "user", "list", "--json")
    assert result.exit_code == 0
    users = json.loads(result.stdout)
    assert {user["role"] for user in users} == set(Role.values())
    assert all("password" not in key for user in users for key in user)


def test_demo_users_cover_every_role_once(inventory: Engine) -> None:
    data = read_demo_users(DEMO_DIR / "users.yaml")
    assert sorted(entry["role"] for entry in data["users"]) == sorted(Role.values())
    added = load_demo_users(inventory, operator())
    assert len(added) == len(Role.values())
    with read_session(inventory) as session:
        for entry in data["users"]:
            user = authenticate(session, entry["username"], data["password"])
            assert user is not None and user.role == entry["role"]


def test_loading_demo_users_twice_adds_nobody_twice(inventory: Engine) -> None:
    load_demo_users(inventory, operator())
    assert load_demo_users(inventory, operator()) == []


def test_only_an_administrator_adds_users_in_the_app(inventory: Engine) -> None:
    load_demo_users(inventory, operator())
    with write_session(inventory) as session:
        kabid = session.scalar(select(User).where(User.username == "kabid"))
        with pytest.raises(PermissionDenied):
            add_user(session, kabid, "baru", "viewer", "rahasia-123")
    with write_session(inventory) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        add_user(session, admin, "baru", "viewer", "rahasia-123")
    with read_session(inventory) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_key == "baru"))
        assert entry is not None and entry.username == "admin"


def test_changing_a_password_needs_the_current_one(inventory: Engine) -> None:
    load_demo_users(inventory, operator())
    with write_session(inventory) as session:
        user = session.scalar(select(User).where(User.username == "timdc"))
        with pytest.raises(InputError) as refused:
            change_own_password(session, user, "bukan-itu", "kata-sandi-baru")
        assert refused.value.problems[0].path == "current_password"
        # The app says it in the person's language and names the field as the form does.
        assert refused.value.lines("id", labels=True) == [
            "Kata sandi saat ini: kata sandi saat ini salah"
        ]
        assert refused.value.lines("en", labels=True) == [
            "Current password: the current password is wrong"
        ]
        change_own_password(session, user, "sumbawa2026", "kata-sandi-baru")
    with read_session(inventory) as session:
        assert authenticate(session, "timdc", "kata-sandi-baru") is not None


def test_a_switched_off_account_cannot_sign_in(inventory: Engine) -> None:
    load_demo_users(inventory, operator())
    with write_session(inventory) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        set_active(session, admin, "pemantau", False)
        with pytest.raises(InputError):
            set_active(session, admin, "admin", False)
    with read_session(inventory) as session:
        assert authenticate(session, "pemantau", "sumbawa2026") is None
