"""App sessions (issue 9, item 1): signed in once for a working day, ended everywhere when it must.

The service alone, on SQLite and PostgreSQL; the cookie's route is in
``tests/ui/test_session_route.py`` and the browser in
``tests/ui/test_browser_session.py``. Times are given explicitly (``at``),
so each rule is checked at its edge without waiting.
"""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from dcim.accounts import create_user, find_user, operator
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.models import AppSession, Role, SessionEnd, Setting, User
from dcim.sessions import (
    DEFAULT_IDLE,
    DEFAULT_LIFETIME,
    SIGNING_KEY_ENV,
    SIGNING_KEY_SETTING,
    TICKET_LIFETIME,
    TOUCH_EVERY,
    check_session,
    cookie_value,
    end_session,
    redeem_ticket,
    session_id_from_cookie,
    set_session_policy,
    signing_key,
    start_session,
)
from dcim.users import change_own_password, set_active, set_password

MORNING = dt.datetime(2026, 12, 1, 0, 30)  # 08:30 WITA, in UTC as the sessions table keeps it
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "rahasia-2026"
NEW_PASSWORD = "sandi-baru-2026"


def _person(engine: Engine, username: str = "budi", role: str = Role.TIM_DC) -> int:
    with write_session(engine) as session:
        user = create_user(session, username, role, None)
        user.password_hash = QUICK_HASHER.hash(PASSWORD)
        return user.id


def _admin(engine: Engine) -> int:
    return _person(engine, "admin", Role.ADMIN)


def _signed_in(engine: Engine, user_id: int, at: dt.datetime = MORNING) -> str:
    """A session started and handed over, as the browser has it after signing in."""
    started = start_session(engine, user_id, address="10.0.0.7", user_agent="Chromium", at=at)
    assert redeem_ticket(engine, started.ticket, at=at) == started.id
    return started.id


# --- a working day ------------------------------------------------------------------------------


def test_a_session_counts_all_working_day_while_the_browser_is_used(engine: Engine) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    at = MORNING
    # Used every hour and a half, never idle for two hours: still signed in at the end of the day.
    while at + dt.timedelta(minutes=90) < MORNING + DEFAULT_LIFETIME:
        at += dt.timedelta(minutes=90)
        assert check_session(engine, sid, at=at) == user_id, f"signed out at {at}"


def test_a_session_ends_after_its_absolute_lifetime_however_busy(engine: Engine) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    end = MORNING + DEFAULT_LIFETIME
    at = MORNING
    while at < end - dt.timedelta(minutes=1):  # used every half hour all day
        at += dt.timedelta(minutes=30)
        check_session(engine, sid, at=min(at, end - dt.timedelta(seconds=1)))
    assert check_session(engine, sid, at=end - dt.timedelta(seconds=1)) == user_id
    assert check_session(engine, sid, at=end) is None, (
        "the lifetime is absolute, use does not extend it"
    )


def test_a_session_left_idle_for_the_idle_timeout_ends(engine: Engine) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    assert (
        check_session(engine, sid, at=MORNING + DEFAULT_IDLE - dt.timedelta(seconds=1)) == user_id
    )
    # Seen just now: the idle time counts from there.
    late = MORNING + DEFAULT_IDLE - dt.timedelta(seconds=1) + DEFAULT_IDLE
    assert check_session(engine, sid, at=late) is None


def test_being_seen_is_written_at_most_once_a_minute(engine: Engine) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    check_session(engine, sid, at=MORNING + TOUCH_EVERY / 2)
    with read_session(engine) as session:
        assert session.get(AppSession, sid).last_seen_at == MORNING  # type: ignore[union-attr]
    check_session(engine, sid, at=MORNING + TOUCH_EVERY)
    with read_session(engine) as session:
        assert session.get(AppSession, sid).last_seen_at == MORNING + TOUCH_EVERY  # type: ignore[union-attr]


def test_the_row_keeps_who_when_and_from_where(engine: Engine) -> None:
    user_id = _person(engine)
    started = start_session(
        engine, user_id, address="10.0.0.7", user_agent="Chromium\x00", at=MORNING
    )
    with read_session(engine) as session:
        row = session.get(AppSession, started.id)
    assert row is not None
    assert (row.user_id, row.created_at, row.expires_at) == (
        user_id,
        MORNING,
        MORNING + DEFAULT_LIFETIME,
    )
    assert (row.client_address, row.user_agent) == ("10.0.0.7", "Chromium?")
    assert row.ticket_sha256 != started.ticket, "only the ticket's hash is stored"


def test_the_office_sets_the_times_and_new_sessions_follow_them(engine: Engine) -> None:
    user_id = _person(engine)
    with write_session(engine) as session:
        set_session_policy(session, operator(), lifetime_minutes=8 * 60, idle_minutes=30)
    sid = _signed_in(engine, user_id)
    assert check_session(engine, sid, at=MORNING + dt.timedelta(minutes=29)) == user_id
    assert check_session(engine, sid, at=MORNING + dt.timedelta(minutes=59)) is None


def test_an_idle_timeout_longer_than_the_lifetime_is_refused_by_name(engine: Engine) -> None:
    with write_session(engine) as session, pytest.raises(InputError) as caught:
        set_session_policy(session, operator(), lifetime_minutes=60, idle_minutes=120)
    assert [p.path for p in caught.value.problems] == ["idle_minutes"]


def test_only_an_administrator_sets_the_session_times(engine: Engine) -> None:
    _person(engine)
    with write_session(engine) as session:
        clerk = find_user(session, "budi")
        with pytest.raises(PermissionDenied, match=r"role 'tim_dc' may not"):
            set_session_policy(session, clerk, lifetime_minutes=600, idle_minutes=120)  # type: ignore[arg-type]


# --- the ticket that hands the cookie over ------------------------------------------------------


def test_a_ticket_hands_its_session_over_only_once(engine: Engine) -> None:
    started = start_session(engine, _person(engine), at=MORNING)
    assert redeem_ticket(engine, started.ticket, at=MORNING) == started.id
    assert redeem_ticket(engine, started.ticket, at=MORNING) is None, (
        "a copied link is worth nothing"
    )


def test_a_ticket_used_too_late_hands_nothing_over(engine: Engine) -> None:
    started = start_session(engine, _person(engine), at=MORNING)
    assert redeem_ticket(engine, started.ticket, at=MORNING + TICKET_LIFETIME) is None


def test_a_made_up_ticket_hands_nothing_over(engine: Engine) -> None:
    start_session(engine, _person(engine), at=MORNING)
    for ticket in ("", "x" * 43, "x" * 5000, None):
        assert redeem_ticket(engine, ticket, at=MORNING) is None


# --- the cookie ---------------------------------------------------------------------------------


def test_the_cookie_carries_the_session_signed_and_an_altered_one_is_refused(
    engine: Engine,
) -> None:
    key = signing_key(engine)
    value = cookie_value(key, "abc")
    assert session_id_from_cookie(key, value, DEFAULT_LIFETIME) == "abc"
    tampered = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    assert session_id_from_cookie(key, tampered, DEFAULT_LIFETIME) is None
    assert (
        session_id_from_cookie("another key of enough length 123456", value, DEFAULT_LIFETIME)
        is None
    )
    assert session_id_from_cookie(key, "abc", DEFAULT_LIFETIME) is None, "an unsigned id is refused"


def test_the_signing_key_is_made_once_and_shared_through_the_database(engine: Engine) -> None:
    first = signing_key(engine)
    assert len(first) >= 32
    assert signing_key(engine) == first, "a second process reads the same key"
    with read_session(engine) as session:
        assert session.get(Setting, SIGNING_KEY_SETTING).value == first  # type: ignore[union-attr]


def test_a_signing_key_from_the_environment_wins_and_must_be_long(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "k" * 40)
    assert signing_key(engine) == "k" * 40
    monkeypatch.setenv(SIGNING_KEY_ENV, "short")
    with pytest.raises(ValueError, match=SIGNING_KEY_ENV):
        signing_key(engine)


# --- ended everywhere ---------------------------------------------------------------------------


def test_signing_out_ends_the_session_for_every_tab_using_it(engine: Engine) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    end_session(engine, sid, at=MORNING + dt.timedelta(minutes=5))
    assert check_session(engine, sid, at=MORNING + dt.timedelta(minutes=6)) is None
    with read_session(engine) as session:
        assert session.get(AppSession, sid).revoked_reason == SessionEnd.SIGN_OUT  # type: ignore[union-attr]


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(engine: Engine) -> None:
    user_id = _person(engine)
    here, elsewhere = _signed_in(engine, user_id), _signed_in(engine, user_id)
    with write_session(engine) as session:
        me = session.get(User, user_id)
        change_own_password(session, me, PASSWORD, NEW_PASSWORD, keep_session=here)
    assert check_session(engine, here, at=MORNING) == user_id
    assert check_session(engine, elsewhere, at=MORNING) is None, (
        "whoever knew the old password is out"
    )


def test_an_administrators_reset_ends_every_session_of_that_person(engine: Engine) -> None:
    user_id = _person(engine)
    _admin(engine)
    sessions = [_signed_in(engine, user_id) for _ in range(2)]
    with write_session(engine) as session:
        set_password(session, operator(), "budi", NEW_PASSWORD)
    assert [check_session(engine, sid, at=MORNING) for sid in sessions] == [None, None]
    with read_session(engine) as session:
        reasons = set(session.scalars(select(AppSession.revoked_reason)))
    assert reasons == {SessionEnd.PASSWORD}


def test_switching_an_account_off_ends_its_sessions_and_on_again_does_not_revive_them(
    engine: Engine,
) -> None:
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    with write_session(engine) as session:
        set_active(session, operator(), "budi", False)
    assert check_session(engine, sid, at=MORNING) is None
    with write_session(engine) as session:
        set_active(session, operator(), "budi", True)
    assert check_session(engine, sid, at=MORNING) is None, "the person signs in again"


def test_a_revoked_session_cannot_be_handed_over_by_its_ticket(engine: Engine) -> None:
    started = start_session(engine, _person(engine), at=MORNING)
    end_session(engine, started.id, at=MORNING)
    assert redeem_ticket(engine, started.ticket, at=MORNING) is None


def test_sessions_long_ended_are_cleared_when_a_new_one_starts(engine: Engine) -> None:
    user_id = _person(engine)
    _signed_in(engine, user_id, at=MORNING - dt.timedelta(days=60))
    _signed_in(engine, user_id, at=MORNING)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AppSession)) == 1


# --- the office sets the times on the command line ----------------------------------------------


def test_the_operator_sets_the_session_times_with_dcim_config_session(
    engine: Engine, run_cli
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    shown = run_cli("--db", url, "config", "session")
    assert "paling lama 600 menit" in shown.stdout and "setelah 120 menit" in shown.stdout
    changed = run_cli(
        "--db", url, "config", "session", "--lifetime-minutes", "480", "--idle-minutes", "60"
    )
    assert changed.exit_code == 0, changed.stderr
    assert "paling lama 480 menit" in changed.stdout and "setelah 60 menit" in changed.stdout
    user_id = _person(engine)
    sid = _signed_in(engine, user_id)
    assert check_session(engine, sid, at=MORNING + dt.timedelta(minutes=61)) is None


def test_an_idle_time_beyond_the_lifetime_is_refused_naming_the_option(
    engine: Engine, run_cli
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    refused = run_cli("--db", url, "config", "session", "--idle-minutes", "900")
    assert refused.exit_code == 2
    assert "--idle-minutes: tidak boleh lebih lama dari lama sesi" in refused.stderr
