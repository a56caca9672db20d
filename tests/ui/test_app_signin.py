"""The app's front door (issue 8, item 1): a fresh install, the demo hint, lock-outs, new passwords.

A new ``AppTest`` is a new browser session, as a reconnect is: what must
hold across reconnects is checked with two of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_support import APP, DEMO_PASSWORD, TIMEOUT_S, sign_in
from argon2 import PasswordHasher
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from test_app_pages import texts

import dcim.accounts
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.models import Rack, Role, User
from dcim.signin import ACCOUNT_FAILURES, ADDRESS_FAILURES
from dcim.signin import sign_in as service_sign_in
from dcim.users import add_user, demo_sign_in, set_password

NEW_PASSWORD = "pilihan-saya-2026"


def _open() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    return at.run()


def _labels(at: AppTest) -> list[str]:
    return [button.label for button in at.button]


@pytest.fixture
def fresh_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database as plain ``dcim init`` leaves it: the schema and the built-in catalog, no one."""
    url = f"sqlite:///{tmp_path / 'baru.db'}"
    engine = get_engine(url)
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    monkeypatch.setenv("DCIM_DATABASE_URL", url)
    yield url
    engine.dispose()


def _users(url: str) -> int:
    with read_session(get_engine(url)) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


# --- a fresh install ----------------------------------------------------------------------------


def test_an_anonymous_visitor_of_a_fresh_install_can_create_nothing(fresh_url: str) -> None:
    at = _open()
    assert not at.exception
    shown = texts(at)
    assert "belum memiliki pengguna" in shown
    assert "dcim user add admin --role admin" in shown and "dcim init --demo" in shown
    assert _labels(at) == ["Masuk"], "the only button is the sign-in form's"
    assert DEMO_PASSWORD not in shown
    sign_in(at, "admin", DEMO_PASSWORD)
    assert "Nama pengguna atau kata sandi salah." in [e.value for e in at.error]
    assert _users(fresh_url) == 0


def test_an_administrator_may_load_the_demo_into_an_empty_inventory(fresh_url: str) -> None:
    engine = get_engine(fresh_url)
    with write_session(engine) as session:
        add_user(
            session, operator(), "kepala.ti", Role.ADMIN, NEW_PASSWORD
        ).must_change_password = False
        add_user(
            session, operator(), "staf", Role.TIM_DC, NEW_PASSWORD
        ).must_change_password = False
    clerk = sign_in(_open(), "staf", NEW_PASSWORD)
    assert not clerk.exception
    assert "Muat data demo" not in _labels(clerk), "only the administrator is offered the demo"
    admin = sign_in(_open(), "kepala.ti", NEW_PASSWORD)
    assert not admin.exception
    next(b for b in admin.button if b.label == "Muat data demo").click().run()
    assert not admin.exception
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Rack))
    assert not sign_in(_open(), "kabid").exception


# --- the demo hint ------------------------------------------------------------------------------


def test_the_demo_hint_shows_only_while_a_demo_password_still_works(demo_url: str) -> None:
    shown = texts(_open())
    assert DEMO_PASSWORD in shown and "`timdc`" in shown
    engine = get_engine(demo_url)
    with write_session(engine) as session:
        demo = demo_sign_in(session)
        assert demo is not None
        for name in demo.users:
            if name != "timdc":
                set_password(session, operator(), name, f"baru-{name}-2026")
    shown = texts(_open())
    assert DEMO_PASSWORD in shown and "`timdc`" in shown and "`kadis`" not in shown
    with write_session(engine) as session:
        set_password(session, operator(), "timdc", "baru-timdc-2026")
    shown = texts(_open())
    assert DEMO_PASSWORD not in shown and "timdc" not in shown


# --- lock-outs ----------------------------------------------------------------------------------


def test_a_lock_out_holds_across_a_reconnect(demo_url: str) -> None:
    for _ in range(ACCOUNT_FAILURES):
        sign_in(_open(), "timdc", "salah-sekali")  # every attempt from a new session
    again = sign_in(_open(), "timdc")
    assert not again.exception
    assert any("Coba lagi dalam 15 menit" in e.value for e in again.error), texts(again)
    assert again.text_input(key="sign_in_username") is not None, "still on the sign-in page"


def test_a_lock_out_of_one_client_address_leaves_the_others_alone(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoy = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("never-typed")
    monkeypatch.setattr(dcim.accounts, "_decoy_hash", lambda: decoy)
    engine = get_engine(demo_url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for attempt in range(ADDRESS_FAILURES):
        service_sign_in(engine, f"tebakan{attempt}", "salah", "203.0.113.9", at=now)
    monkeypatch.setattr("dcim_ui.auth.client_address", lambda: "203.0.113.9")
    guesser = sign_in(_open(), "timdc")
    assert any("Coba lagi dalam" in e.value for e in guesser.error)
    monkeypatch.setattr("dcim_ui.auth.client_address", lambda: "198.51.100.4")
    neighbour = sign_in(_open(), "timdc")
    assert not neighbour.exception and not neighbour.error
    assert "Keluar" in _labels(neighbour)


def test_the_client_address_comes_from_the_proxy_only_when_it_is_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import streamlit

    from dcim_ui.auth import TRUSTED_PROXIES_ENV, client_address

    class Headers:
        def get_all(self, key: str) -> list[str]:
            return ["1.1.1.1, 203.0.113.9"] if key == "X-Forwarded-For" else []

    class Context:
        headers = Headers()
        ip_address = "10.0.0.1"

    monkeypatch.setattr(streamlit, "context", Context())
    assert client_address() == "10.0.0.1", "a header a client can write is not believed by default"
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "1")
    assert client_address() == "203.0.113.9", "the entry the trusted proxy added, not the client's"


# --- a password someone else chose --------------------------------------------------------------


def test_a_new_user_must_change_the_password_before_anything_else(demo_url: str) -> None:
    with write_session(get_engine(demo_url)) as session:
        add_user(session, operator(), "budi", Role.TIM_DC, "dari-admin-2026")
    at = sign_in(_open(), "budi", "dari-admin-2026")
    assert not at.exception
    assert "Ganti kata sandi Anda dulu" in texts(at)
    assert "Ruang rak" not in texts(at), "no page opens before the password is changed"
    fields = [t for t in at.text_input if t.label != "Nama pengguna"]
    fields[0].input("dari-admin-2026")
    fields[1].input(NEW_PASSWORD)
    fields[2].input(NEW_PASSWORD)
    next(b for b in at.button if b.label == "Simpan kata sandi").click().run()
    assert not at.exception
    assert "Ruang rak" in texts(at)
    assert "Ganti kata sandi Anda dulu" not in texts(at)
