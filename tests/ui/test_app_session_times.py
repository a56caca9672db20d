"""How long a sign-in lasts, set by the administrator in the app (issue 9, item 3; AppTest).

The same rules as ``dcim session``: whole minutes between the bounds, the idle
timeout no longer than the lifetime. A refusal is in Indonesian naming the
field as the form names it and stores nothing; a change is audited as the
administrator, through the app.
"""

from __future__ import annotations

from sqlalchemy import select

from dcim.db import get_engine, read_session
from dcim.models import AuditEntry
from dcim.sessions import DEFAULT_IDLE, DEFAULT_LIFETIME, session_policy

LIFETIME = "Lama sesi paling lama (menit)"
IDLE = "Berakhir bila tidak dipakai selama (menit)"


def _set(app, lifetime: int, idle: int):
    at = app("admin", "pengguna")
    at.number_input(key="session_lifetime").set_value(lifetime)
    at.number_input(key="session_idle").set_value(idle)
    next(b for b in at.button if b.label == "Simpan lama sesi").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _policy_audits(url: str) -> list[AuditEntry]:
    with read_session(get_engine(url)) as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "session.policy"))
        )


def test_the_form_shows_the_times_in_force(app) -> None:
    at = app("admin", "pengguna")
    assert at.number_input(key="session_lifetime").value == DEFAULT_LIFETIME.total_seconds() // 60
    assert at.number_input(key="session_idle").value == DEFAULT_IDLE.total_seconds() // 60


def test_the_administrator_shortens_sessions_and_the_change_is_audited(app, demo_url: str) -> None:
    at = _set(app, 480, 30)
    assert [s.value for s in at.success] == [
        "Masuk ke aplikasi berlaku paling lama 480 menit, dan berakhir setelah 30 menit tidak dipakai."
    ]
    with read_session(get_engine(demo_url)) as session:
        policy = session_policy(session)
    assert (policy.lifetime.total_seconds(), policy.idle.total_seconds()) == (480 * 60, 30 * 60)
    (entry,) = _policy_audits(demo_url)
    assert (entry.username, entry.role, entry.channel) == ("admin", "admin", "app")
    assert entry.data == {"lifetime_minutes": 480, "idle_minutes": 30}


def test_minutes_out_of_bounds_are_refused_in_indonesian_naming_both_fields(
    app, demo_url: str
) -> None:
    at = _set(app, 3, 20_000)
    (error,) = [e.value for e in at.error]
    assert f"{LIFETIME}: harus antara 5 dan 10080 menit" in error
    assert f"{IDLE}: harus antara 5 dan 10080 menit" in error
    assert "lifetime_minutes" not in error and "idle_minutes" not in error
    assert _policy_audits(demo_url) == []


def test_an_idle_timeout_longer_than_the_lifetime_is_refused_and_nothing_changes(
    app, demo_url: str
) -> None:
    at = _set(app, 60, 120)
    (error,) = [e.value for e in at.error]
    assert f"{IDLE}: tidak boleh lebih lama dari lama sesi" in error
    with read_session(get_engine(demo_url)) as session:
        assert session_policy(session).lifetime == DEFAULT_LIFETIME
    assert _policy_audits(demo_url) == []
