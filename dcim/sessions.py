"""App sessions: a signed cookie that keeps a browser signed in for a working day.

The cookie holds nothing but a session's id, signed with itsdangerous (an
HMAC over the value and the time it was signed) so that a forged or altered
cookie is refused before the database is asked. Everything that decides
whether the session still counts lives in its ``app_sessions`` row, so every
app process on one database agrees and a revocation counts at once:

- the absolute lifetime (:data:`DEFAULT_LIFETIME`, a working day) from sign-in;
- the idle timeout (:data:`DEFAULT_IDLE`) since the browser was last seen;
- revocation at sign-out, at a password change (one's own: every *other*
  session; an administrator's reset: all) and when the account is switched off.

Both times are office settings (``session.lifetime_minutes`` and
``session.idle_minutes`` in the ``settings`` table, see
:func:`set_session_policy`).

The signing key is ``$DCIM_SESSION_SECRET`` when set (the same value in every
process), otherwise a random key made once and kept in the ``settings`` table
(``session.signing_key``), which every process sharing the database reads.
Removing that row (or changing the variable) signs everyone out.

A browser gets its cookie through a one-time ticket: signing in (a form in a
script run, which has no HTTP response to set a cookie on) starts the session
and returns a ticket; the browser then opens the interface's exchange
address with it, and that response sets the cookie. A ticket works once,
within :data:`TICKET_LIFETIME`; only its SHA-256 is stored.

No web framework here: the app's route and its pages call these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.db import is_sqlite, read_session, write_session
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import OPERATOR_ROLE, AppSession, Role, SessionEnd, Setting, User
from dcim.signin import utc_now

COOKIE_NAME = "dcim_session"
SIGNING_KEY_ENV = "DCIM_SESSION_SECRET"
SIGNING_KEY_SETTING = "session.signing_key"
IDLE_SETTING = "session.idle_minutes"
LIFETIME_SETTING = "session.lifetime_minutes"
#: A working day in the office, with its breaks: signed in once in the morning is enough.
DEFAULT_LIFETIME = dt.timedelta(hours=10)
#: Long enough for a meeting away from the desk; short enough for a forgotten browser.
DEFAULT_IDLE = dt.timedelta(hours=2)
#: The bounds an administrator may set, in minutes: at least 5, at most a week.
MIN_MINUTES = 5
MAX_MINUTES = 7 * 24 * 60
#: A ticket is used by the browser's very next request; a minute covers a slow network.
TICKET_LIFETIME = dt.timedelta(seconds=60)
#: ``last_seen_at`` is written at most this often, so that every click is not a write.
TOUCH_EVERY = dt.timedelta(seconds=60)
#: Rows that ended this long ago are deleted when a new session starts (kept a while for a look).
KEEP_ENDED = dt.timedelta(days=30)
MIN_KEY_CHARS = 32
_SALT = "dcim-lite app session"
_ID_BYTES = 32
_USER_AGENT_CHARS = 200
_ADDRESS_CHARS = 64
SESSION_ADMIN_ROLES = (Role.ADMIN, OPERATOR_ROLE)


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts: ``lifetime`` from sign-in, ``idle`` since it was last seen."""

    lifetime: dt.timedelta = DEFAULT_LIFETIME
    idle: dt.timedelta = DEFAULT_IDLE


@dataclass(frozen=True)
class StartedSession:
    """A session just started: its id (for the cookie) and the one-time ticket that hands it over."""

    id: str
    ticket: str
    expires_at: dt.datetime


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _minutes(value: object, default: dt.timedelta) -> dt.timedelta:
    """A stored number of minutes within the bounds; the default for anything else."""
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        return default
    return dt.timedelta(minutes=value)


def session_policy(session: Session) -> SessionPolicy:
    """The office's session times (the defaults where none, or nothing sensible, is stored)."""
    # One query for both: it runs on every click in the app.
    wanted = (LIFETIME_SETTING, IDLE_SETTING)
    stored = {
        key: value
        for key, value in session.execute(
            select(Setting.key, Setting.value).where(Setting.key.in_(wanted))
        )
    }
    return SessionPolicy(
        lifetime=_minutes(stored.get(LIFETIME_SETTING), DEFAULT_LIFETIME),
        idle=_minutes(stored.get(IDLE_SETTING), DEFAULT_IDLE),
    )


def set_session_policy(
    session: Session,
    actor: Actor,
    *,
    lifetime_minutes: int,
    idle_minutes: int,
    lang: str = "id",
) -> SessionPolicy:
    """Set the absolute lifetime and the idle timeout (administrator); sessions running keep theirs.

    The idle timeout may not exceed the lifetime: it could never apply.
    """
    require_role(actor, SESSION_ADMIN_ROLES, "set how long sessions last")
    problems = [
        Problem(field, t("sessions.minutes_range", lang, min=MIN_MINUTES, max=MAX_MINUTES))
        for field, value in (("lifetime_minutes", lifetime_minutes), ("idle_minutes", idle_minutes))
        if isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_MINUTES <= value <= MAX_MINUTES
    ]
    if not problems and idle_minutes > lifetime_minutes:
        problems.append(Problem("idle_minutes", t("sessions.idle_over_lifetime", lang)))
    if problems:
        raise InputError(problems)
    for key, value in ((LIFETIME_SETTING, lifetime_minutes), (IDLE_SETTING, idle_minutes)):
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    record(
        session,
        actor,
        "session.policy",
        "settings",
        "session",
        f"lifetime {lifetime_minutes} min, idle {idle_minutes} min",
        {"lifetime_minutes": lifetime_minutes, "idle_minutes": idle_minutes},
    )
    return SessionPolicy(
        lifetime=dt.timedelta(minutes=lifetime_minutes), idle=dt.timedelta(minutes=idle_minutes)
    )


# --- the signing key and the cookie's value -------------------------------------------------------


def signing_key(engine: Engine) -> str:
    """The key cookies are signed with: ``$DCIM_SESSION_SECRET``, else the database's, made once."""
    configured = os.environ.get(SIGNING_KEY_ENV, "")
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise ValueError(f"{SIGNING_KEY_ENV} must be at least {MIN_KEY_CHARS} characters long")
        return configured
    with read_session(engine) as session:
        stored = session.get(Setting, SIGNING_KEY_SETTING)
        if stored is not None and isinstance(stored.value, str) and stored.value:
            return stored.value
    # Two processes starting at once may both get here; the first insert wins and both read it.
    with write_session(engine) as session:
        dialect_insert = sqlite.insert if is_sqlite(session) else postgresql.insert
        session.execute(
            dialect_insert(Setting)
            .values(key=SIGNING_KEY_SETTING, value=secrets.token_urlsafe(48))
            .on_conflict_do_nothing(index_elements=["key"])
        )
    with read_session(engine) as session:
        stored = session.get(Setting, SIGNING_KEY_SETTING)
        assert stored is not None and isinstance(stored.value, str)
        return stored.value


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=_SALT)


def cookie_value(key: str, session_id: str) -> str:
    """The session cookie's value: the id, signed and time-stamped."""
    return _serializer(key).dumps(session_id)


def session_id_from_cookie(key: str, value: str | None, max_age: dt.timedelta) -> str | None:
    """The session id a cookie carries; None for a missing, altered, foreign or too old cookie."""
    if not value or len(value) > 512:
        return None
    try:
        loaded = _serializer(key).loads(value, max_age=int(max_age.total_seconds()))
    except BadSignature:  # SignatureExpired is one too
        return None
    return loaded if isinstance(loaded, str) else None


# --- starting, handing over, checking and ending ------------------------------------------------


def start_session(
    engine: Engine,
    user_id: int,
    *,
    address: str | None = None,
    user_agent: str | None = None,
    at: dt.datetime | None = None,
) -> StartedSession:
    """Start a session for a person who has just proved who they are, with its one-time ticket.

    ``at`` (UTC, no zone) is for tests; it defaults to now.
    """
    at = at or utc_now()
    session_id = secrets.token_urlsafe(_ID_BYTES)
    ticket = secrets.token_urlsafe(_ID_BYTES)
    with write_session(engine) as session:
        policy = session_policy(session)
        row = AppSession(
            id=session_id,
            user_id=user_id,
            created_at=at,
            last_seen_at=at,
            expires_at=at + policy.lifetime,
            client_address=(address or None) and address[:_ADDRESS_CHARS],
            user_agent=_printable(user_agent)[:_USER_AGENT_CHARS] if user_agent else None,
            ticket_sha256=_sha256(ticket),
            ticket_expires_at=at + TICKET_LIFETIME,
        )
        session.add(row)
        # Housekeeping while a write is open anyway: long-ended sessions are of no more use.
        session.execute(delete(AppSession).where(AppSession.expires_at < at - KEEP_ENDED))
    return StartedSession(id=session_id, ticket=ticket, expires_at=row.expires_at)


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else "?" for char in text)


def redeem_ticket(
    engine: Engine, ticket: str | None, *, at: dt.datetime | None = None
) -> str | None:
    """The id of the session a ticket hands over, once; None for an unknown, used or late ticket.

    One UPDATE clears the ticket where it still matches and is in time, so two
    requests with the same ticket cannot both get the session.
    """
    if not ticket or len(ticket) > 128:
        return None
    at = at or utc_now()
    with write_session(engine) as session:
        row = session.execute(
            update(AppSession)
            .where(
                AppSession.ticket_sha256 == _sha256(ticket),
                AppSession.ticket_expires_at > at,
                AppSession.revoked_at.is_(None),
            )
            .values(ticket_sha256=None, ticket_expires_at=None)
            .returning(AppSession.id)
        ).first()
    return row[0] if row else None


def check_session(
    engine: Engine, session_id: str | None, *, at: dt.datetime | None = None
) -> int | None:
    """The user a session stands for while it counts; None once it ended (see the module's rules).

    A session that counts is marked as seen (at most once per :data:`TOUCH_EVERY`).
    """
    if not session_id or len(session_id) > 64:
        return None
    at = at or utc_now()
    with read_session(engine) as session:
        found = session.execute(
            select(AppSession, User.active)
            .join(User, User.id == AppSession.user_id)
            .where(AppSession.id == session_id)
        ).first()
        if found is None:
            return None
        row, active = found
        policy = session_policy(session)
    if (
        not active
        or row.revoked_at is not None
        or row.expires_at <= at
        or row.last_seen_at + policy.idle <= at
    ):
        return None
    if at - row.last_seen_at >= TOUCH_EVERY:
        with write_session(engine) as session:
            session.execute(
                update(AppSession)
                .where(AppSession.id == session_id, AppSession.last_seen_at < at)
                .values(last_seen_at=at)
            )
    return row.user_id


def end_session(
    engine: Engine,
    session_id: str | None,
    reason: SessionEnd = SessionEnd.SIGN_OUT,
    *,
    at: dt.datetime | None = None,
) -> None:
    """End one session (signing out): every tab and process using it is signed out at its next step."""
    if not session_id:
        return
    with write_session(engine) as session:
        session.execute(
            update(AppSession)
            .where(AppSession.id == session_id, AppSession.revoked_at.is_(None))
            .values(
                revoked_at=at or utc_now(),
                revoked_reason=reason.value,
                ticket_sha256=None,
                ticket_expires_at=None,
            )
        )


def revoke_user_sessions(
    session: Session,
    user_id: int,
    reason: SessionEnd,
    *,
    keep: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """End every running session of a user but ``keep``, in the caller's transaction; how many ended.

    Called by the account services (password set or changed, account switched
    off), so that the change and the sign-out commit together.
    """
    condition = [AppSession.user_id == user_id, AppSession.revoked_at.is_(None)]
    if keep:
        condition.append(AppSession.id != keep)
    result = session.execute(
        update(AppSession)
        .where(*condition)
        .values(
            revoked_at=at or utc_now(),
            revoked_reason=reason.value,
            ticket_sha256=None,
            ticket_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
