"""Signing in, guarded: lock-outs per account and per address, kept in the database; fair timing.

Issue 8, item 1. Most people here get a quick argon2 hash (the parameters
travel inside the hash), so that each rule is checked in milliseconds; the
timing test uses the real, default-cost hash.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

import dcim.accounts
from dcim.accounts import authenticate, create_user, operator
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.errors import PermissionDenied
from dcim.inventory.load import load_file
from dcim.models import Rack, Role, SignInThrottle, User
from dcim.signin import ACCOUNT_FAILURES, ADDRESS_FAILURES, LOCKOUT, WINDOW, sign_in
from dcim.users import add_user, change_own_password, demo_sign_in, set_active, set_password
from dcim_demo import DEMO_DIR, load_demo_as
from dcim_demo.users import load as load_demo_users

START = dt.datetime(2026, 12, 1, 8, 0, 0)
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "rahasia-2026"
HOME = "10.0.0.7"
ELSEWHERE = "10.0.0.99"


def _person(engine: Engine, username: str = "budi", role: str = Role.TIM_DC) -> int:
    """A user whose password is checked quickly; gives the user's id."""
    with write_session(engine) as session:
        user = create_user(session, username, role, None)
        user.password_hash = QUICK_HASHER.hash(PASSWORD)
        return user.id


@pytest.fixture
def demo_people(engine: Engine) -> Engine:
    """The demo's offices (the tenants its users belong to), then the demo users."""
    load_file(engine, DEMO_DIR / "inventory.yaml", actor=operator())
    load_demo_users(engine, operator())
    return engine


@pytest.fixture
def quick_decoy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown names are checked against a quick decoy too (only where timing is not the point)."""
    decoy = QUICK_HASHER.hash("never-typed")
    monkeypatch.setattr(dcim.accounts, "_decoy_hash", lambda: decoy)


def _fail(engine: Engine, times: int, *, username: str = "budi", address: str = HOME) -> None:
    for attempt in range(times):
        result = sign_in(
            engine, username, "salah-sekali", address, at=START + dt.timedelta(seconds=attempt)
        )
        assert not result.signed_in


# --- per account --------------------------------------------------------------------------------


def test_the_fifth_failure_locks_the_account_for_fifteen_minutes(engine: Engine) -> None:
    _person(engine)
    _fail(engine, ACCOUNT_FAILURES - 1)
    fifth = sign_in(engine, "budi", "salah", HOME, at=START + dt.timedelta(minutes=1))
    assert fifth.locked_until == START + dt.timedelta(minutes=1) + LOCKOUT
    right = sign_in(engine, "BUDI", PASSWORD, ELSEWHERE, at=START + dt.timedelta(minutes=2))
    assert not right.signed_in, "a locked account is refused even with the right password"
    assert right.locked_until == fifth.locked_until
    assert right.minutes_left(START + dt.timedelta(minutes=2)) == 14


def test_a_locked_account_opens_again_when_the_lock_ends(engine: Engine) -> None:
    user_id = _person(engine)
    _fail(engine, ACCOUNT_FAILURES)
    later = START + LOCKOUT + dt.timedelta(seconds=ACCOUNT_FAILURES)
    assert sign_in(engine, "budi", PASSWORD, HOME, at=later).user_id == user_id


def test_failures_in_different_windows_do_not_add_up(engine: Engine) -> None:
    user_id = _person(engine)
    _fail(engine, ACCOUNT_FAILURES - 1)
    next_window = START + WINDOW + dt.timedelta(minutes=1)
    for attempt in range(ACCOUNT_FAILURES - 1):
        at = next_window + dt.timedelta(seconds=attempt)
        assert sign_in(engine, "budi", "salah", HOME, at=at).locked_until is None
    at = next_window + dt.timedelta(minutes=1)
    assert sign_in(engine, "budi", PASSWORD, HOME, at=at).user_id == user_id


def test_a_success_forgives_the_accounts_earlier_failures(engine: Engine) -> None:
    user_id = _person(engine)
    _fail(engine, ACCOUNT_FAILURES - 1)
    at = START + dt.timedelta(minutes=1)
    assert sign_in(engine, "budi", PASSWORD, HOME, at=at).user_id == user_id
    for attempt in range(ACCOUNT_FAILURES - 1):
        at = START + dt.timedelta(minutes=2, seconds=attempt)
        assert sign_in(engine, "budi", "salah", HOME, at=at).locked_until is None


def test_an_unknown_name_is_locked_exactly_like_a_real_one(engine: Engine, quick_decoy) -> None:
    _person(engine)
    _fail(engine, ACCOUNT_FAILURES, username="budi")
    _fail(engine, ACCOUNT_FAILURES, username="siapa", address=ELSEWHERE)
    at = START + dt.timedelta(minutes=1)
    real = sign_in(engine, "budi", "salah", "10.9.9.9", at=at)
    unknown = sign_in(engine, "siapa", "salah", "10.9.9.9", at=at)
    assert real.locked_until == unknown.locked_until == START + dt.timedelta(seconds=4) + LOCKOUT


# --- per client address -------------------------------------------------------------------------


def test_an_address_is_locked_after_twenty_failures_whatever_names_it_tries(
    engine: Engine, quick_decoy
) -> None:
    user_id = _person(engine)
    for attempt in range(ADDRESS_FAILURES):
        at = START + dt.timedelta(seconds=attempt)
        result = sign_in(engine, f"tebakan{attempt}", "salah", HOME, at=at)
        assert result.locked_until is None or attempt == ADDRESS_FAILURES - 1
    at = START + dt.timedelta(minutes=1)
    from_home = sign_in(engine, "budi", PASSWORD, HOME, at=at)
    assert not from_home.signed_in, "the locked address is refused even for a real account"
    assert from_home.locked_until == START + dt.timedelta(seconds=ADDRESS_FAILURES - 1) + LOCKOUT
    assert sign_in(engine, "budi", PASSWORD, ELSEWHERE, at=at).user_id == user_id


def test_signing_in_to_ones_own_account_does_not_reset_the_addresss_count(
    engine: Engine, quick_decoy
) -> None:
    _person(engine)
    for attempt in range(ADDRESS_FAILURES - 1):
        sign_in(
            engine, f"tebakan{attempt}", "salah", HOME, at=START + dt.timedelta(seconds=attempt)
        )
    at = START + dt.timedelta(minutes=1)
    assert sign_in(engine, "budi", PASSWORD, HOME, at=at).signed_in
    last = sign_in(engine, "tebakan-lagi", "salah", HOME, at=at + dt.timedelta(seconds=1))
    assert last.locked_until is not None, "one success must not buy another twenty guesses"


def test_failures_are_counted_in_the_database_per_account_name_and_address(engine: Engine) -> None:
    _person(engine)
    _fail(engine, 2, username=" Budi ")
    with read_session(engine) as session:
        rows = {
            (row.kind, row.key): row.failures for row in session.scalars(select(SignInThrottle))
        }
    assert rows == {("account", "budi"): 2, ("address", HOME): 2}


def test_attempts_sent_at_once_get_no_more_guesses_than_the_limit(
    engine: Engine, quick_decoy
) -> None:
    _person(engine)
    attempts = ACCOUNT_FAILURES * 3

    def attempt(number: int) -> bool:
        address = f"10.1.0.{number}"
        return sign_in(engine, "budi", "salah", address, at=START).locked_until is not None

    with ThreadPoolExecutor(max_workers=6) as pool:
        locked = list(pool.map(attempt, range(attempts)))
    with read_session(engine) as session:
        counted = session.scalar(
            select(SignInThrottle.failures).where(SignInThrottle.kind == "account")
        )
    assert counted == ACCOUNT_FAILURES, "attempts after the lock are refused, not counted"
    assert locked.count(False) == ACCOUNT_FAILURES - 1, "only the first four fail without a lock"


def test_counts_that_ended_are_forgotten(engine: Engine, quick_decoy) -> None:
    _person(engine)
    _fail(engine, 3, username="lama")
    later = START + WINDOW + dt.timedelta(minutes=1)
    sign_in(engine, "budi", "salah", ELSEWHERE, at=later)
    with read_session(engine) as session:
        keys = {
            (kind, key)
            for kind, key in session.execute(select(SignInThrottle.kind, SignInThrottle.key))
        }
    assert keys == {("account", "budi"), ("address", ELSEWHERE)}


def test_a_very_long_name_or_password_is_just_wrong(engine: Engine, quick_decoy) -> None:
    _person(engine)
    result = sign_in(engine, "b" * 10_000, PASSWORD * 1000, "x" * 500, at=START)
    assert not result.signed_in and result.locked_until is None


# --- fair timing --------------------------------------------------------------------------------


def test_an_unknown_name_takes_as_long_as_a_real_one(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    ensure_schema(engine)
    with write_session(engine) as session:
        add_user(session, operator(), "budi", Role.TIM_DC, PASSWORD)  # the real, default-cost hash
        add_user(session, operator(), "mantan", Role.TIM_DC, PASSWORD)
        set_active(session, operator(), "mantan", False)

    def median_seconds(username: str) -> float:
        samples = []
        for _ in range(5):
            with read_session(engine) as session:
                started = time.perf_counter()
                assert authenticate(session, username, "salah-sekali") is None
                samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    median_seconds("nobody")  # the decoy hash is made once per process; not part of the answer
    known, unknown, switched_off = (median_seconds(n) for n in ("budi", "nobody", "mantan"))
    assert 0.5 <= unknown / known <= 2, f"unknown {unknown:.3f} s against known {known:.3f} s"
    assert 0.5 <= switched_off / known <= 2, f"off {switched_off:.3f} s, known {known:.3f} s"


# --- passwords someone else chose ---------------------------------------------------------------


def test_a_user_added_by_someone_else_must_change_the_password(engine: Engine) -> None:
    with write_session(engine) as session:
        add_user(session, operator(), "budi", Role.TIM_DC, PASSWORD)
    with write_session(engine) as session:
        user = session.scalar(select(User).where(User.username == "budi"))
        assert user is not None and user.must_change_password
        change_own_password(session, user, PASSWORD, "pilihan-saya-sendiri")
    with read_session(engine) as session:
        assert not session.scalar(select(User.must_change_password).where(User.username == "budi"))


def test_a_password_reset_by_an_administrator_must_be_changed_but_ones_own_need_not(
    engine: Engine,
) -> None:
    with write_session(engine) as session:
        admin = add_user(session, operator(), "admin1", Role.ADMIN, PASSWORD)
        add_user(session, operator(), "budi", Role.TIM_DC, PASSWORD)
        add_user(session, operator(), "citra", Role.VIEWER, PASSWORD)
    with write_session(engine) as session:
        for user in session.scalars(select(User)):
            user.must_change_password = False  # as if each had chosen their own by now
        set_password(session, admin, "budi", "sementara-123")
        set_password(session, operator(), "citra", "dari-operator-123")  # `dcim user passwd`
        set_password(session, admin, "admin1", "pilihan-admin-sendiri")
    with read_session(engine) as session:
        flags = {
            name: flag
            for name, flag in session.execute(select(User.username, User.must_change_password))
        }
    assert flags == {"budi": True, "citra": True, "admin1": False}


def test_demo_users_keep_their_published_password_without_being_asked(demo_people: Engine) -> None:
    engine = demo_people
    with read_session(engine) as session:
        asked = session.scalar(
            select(func.count()).select_from(User).where(User.must_change_password.is_(True))
        )
    assert asked == 0


def test_the_sign_in_result_says_the_password_must_be_changed(engine: Engine) -> None:
    with write_session(engine) as session:
        add_user(session, operator(), "budi", Role.TIM_DC, PASSWORD)
    result = sign_in(engine, "budi", PASSWORD, HOME, at=START)
    assert result.signed_in and result.must_change_password


# --- the demo's sign-in hint --------------------------------------------------------------------


def test_the_demo_hint_lists_only_accounts_still_on_the_demo_password(demo_people: Engine) -> None:
    engine = demo_people
    with read_session(engine) as session:
        before = demo_sign_in(session)
    assert before is not None and "timdc" in before.users and "kadis" in before.users
    with write_session(engine) as session:
        timdc = session.scalar(select(User).where(User.username == "timdc"))
        assert timdc is not None
        change_own_password(session, timdc, before.password, "bukan-demo-lagi")
        set_active(session, operator(), "kadis", False)
    with read_session(engine) as session:
        after = demo_sign_in(session)
    assert after is not None
    assert set(after.users) == set(before.users) - {"timdc", "kadis"}


def test_the_demo_hint_disappears_once_every_demo_password_changed(demo_people: Engine) -> None:
    engine = demo_people
    with read_session(engine) as session:
        demo = demo_sign_in(session)
    assert demo is not None
    with write_session(engine) as session:
        for name in demo.users:
            set_password(session, operator(), name, f"baru-{name}-2026")
    with read_session(engine) as session:
        assert demo_sign_in(session) is None


# --- loading the demo ---------------------------------------------------------------------------


def test_only_an_administrator_may_load_the_demo(engine: Engine) -> None:
    with write_session(engine) as session:
        clerk = add_user(session, operator(), "budi", Role.TIM_DC, PASSWORD)
    with pytest.raises(PermissionDenied, match="load the demo"):
        load_demo_as(engine, clerk)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Rack)) == 0
        assert session.scalar(select(func.count()).select_from(User)) == 1
