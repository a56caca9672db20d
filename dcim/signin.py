"""Signing in, guarded: failed attempts counted per account name and per client address.

The counts live in the database (``sign_in_throttle``), so a reconnect, a
new browser session or a second app process sees the same count. No
Streamlit here: the app calls :func:`sign_in`, and a future HTTP interface
can call it the same way.

The rules (fixed windows):

- an account name with :data:`ACCOUNT_FAILURES` failures within
  :data:`WINDOW` is locked for :data:`LOCKOUT`; unknown names are counted
  and locked exactly like real ones, so a lock-out tells nothing about
  whether an account exists;
- a client address with :data:`ADDRESS_FAILURES` failures within
  :data:`WINDOW` is locked for :data:`LOCKOUT`, whatever names it tries;
- while either is locked, no password is checked at all.

An attempt is counted *before* its password is checked and forgiven after
a success, so that many attempts sent at once cannot slip more guesses past
the limit than it allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dcim.accounts import authenticate
from dcim.db import is_sqlite, read_session, write_session
from dcim.models import SignInThrottle, ThrottleKind

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
KEY_LENGTH = 64  # the column's width; a longer name or address is cut, never refused
# Longer passwords are never checked (they cannot be a stored one: nothing sets one that long),
# so that a huge form field costs no more than an ordinary wrong password.
MAX_PASSWORD_LENGTH = 1024
UNKNOWN_ADDRESS = "unknown"

LIMITS = {ThrottleKind.ACCOUNT: ACCOUNT_FAILURES, ThrottleKind.ADDRESS: ADDRESS_FAILURES}


@dataclass(frozen=True)
class SignInResult:
    """What one attempt came to.

    ``user_id`` is set exactly when the person is signed in. ``locked_until``
    (UTC, no zone) is set when the attempt was refused by a lock-out, or when
    this failure started one: no new attempt is heard before that time.
    """

    user_id: int | None
    must_change_password: bool = False
    locked_until: dt.datetime | None = None

    @property
    def signed_in(self) -> bool:
        """Whether the attempt signed the person in."""
        return self.user_id is not None

    def minutes_left(self, at: dt.datetime | None = None) -> int:
        """Whole minutes, rounded up, until the lock-out ends (0 when there is none)."""
        if self.locked_until is None:
            return 0
        seconds = (self.locked_until - (at or utc_now())).total_seconds()
        return max(1, -int(-seconds // 60)) if seconds > 0 else 0


def utc_now() -> dt.datetime:
    """Now in UTC without a zone, as the throttle's columns store times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _printable(text: str) -> str:
    # A typed name may hold anything (a NUL, a control character) and no column takes a NUL on
    # PostgreSQL; an unprintable character is counted as '?', so the name is still throttled.
    return "".join(char if char.isprintable() else "?" for char in text)


def account_key(username: str) -> str:
    """The name an account's failures are counted under: as typed, trimmed, lower-cased, cut."""
    return _printable(username.strip().lower()[:KEY_LENGTH])


def address_key(address: str | None) -> str:
    """The key a client address's failures are counted under (one key for an unknown address)."""
    key = _printable((address or UNKNOWN_ADDRESS).strip().lower()[:KEY_LENGTH])
    return key or UNKNOWN_ADDRESS


def sign_in(
    engine: Engine,
    username: str,
    password: str,
    address: str | None,
    *,
    at: dt.datetime | None = None,
) -> SignInResult:
    """Check a sign-in attempt against the lock-outs, then the password; count it either way.

    ``address`` is the client's address as the interface knows it (None when
    it does not). ``at`` (UTC, no zone) is for tests; it defaults to now.
    """
    at = at or utc_now()
    keys = {
        ThrottleKind.ACCOUNT: account_key(username),
        ThrottleKind.ADDRESS: address_key(address),
    }
    with write_session(engine) as session:
        locked_until, locked_now = _count_attempt(session, keys, at)
    with write_session(engine) as session:
        _forget_stale(session, at)
    if locked_until is not None:
        return SignInResult(None, locked_until=locked_until)
    user_id, must_change = _check_password(engine, username, password)
    if user_id is None:
        return SignInResult(None, locked_until=max(locked_now.values(), default=None))
    with write_session(engine) as session:
        _forgive(session, keys, locked_now)
    return SignInResult(user_id, must_change_password=must_change)


def _lock_end(rows: list[SignInThrottle], at: dt.datetime) -> dt.datetime | None:
    """The latest end of a lock-out still running among the rows, or None."""
    ends = [row.locked_until for row in rows if row.locked_until and row.locked_until > at]
    return max(ends, default=None)


def _count_attempt(
    session: Session, keys: dict[ThrottleKind, str], at: dt.datetime
) -> tuple[dt.datetime | None, dict[ThrottleKind, dt.datetime]]:
    """Refuse while locked; else count the attempt as a failure until its password proves right.

    Gives the end of a lock-out already running (or None), and the locks this
    attempt started, by kind.
    """
    # Rows are locked in one order, account before address (inserts too), so that two attempts
    # sharing a name or an address wait for each other instead of deadlocking.
    for kind, key in keys.items():
        _ensure_row(session, kind, key, at)
    rows = list(
        session.scalars(
            select(SignInThrottle)
            .where(
                or_(
                    *(
                        (SignInThrottle.kind == kind.value) & (SignInThrottle.key == key)
                        for kind, key in keys.items()
                    )
                )
            )
            .order_by(SignInThrottle.kind, SignInThrottle.key)
            .with_for_update()
        )
    )
    running = _lock_end(rows, at)
    if running is not None:
        return running, {}
    locked_now: dict[ThrottleKind, dt.datetime] = {}
    for row in rows:
        if row.window_start + WINDOW <= at:
            row.failures = 0
            row.window_start = at
        row.failures += 1
        kind = ThrottleKind(row.kind)
        if row.failures >= LIMITS[kind]:
            row.locked_until = at + LOCKOUT
            locked_now[kind] = row.locked_until
    return None, locked_now


def _ensure_row(session: Session, kind: ThrottleKind, key: str, at: dt.datetime) -> None:
    """Insert the counter unless it exists; two processes inserting it at once both succeed."""
    dialect_insert = sqlite.insert if is_sqlite(session) else postgresql.insert
    session.execute(
        dialect_insert(SignInThrottle)
        .values(kind=kind.value, key=key, failures=0, window_start=at, locked_until=None)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )


def _forget_stale(session: Session, at: dt.datetime) -> None:
    """Drop counters whose window is over and whose lock (if any) has ended: they count nothing.

    Its own transaction, skipping rows another attempt holds: it never waits, so it can never
    be part of a deadlock.
    """
    stale = (
        select(SignInThrottle.kind, SignInThrottle.key)
        .where(
            SignInThrottle.window_start <= at - WINDOW,
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until <= at),
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(SignInThrottle).where(tuple_(SignInThrottle.kind, SignInThrottle.key).in_(stale))
    )


def _check_password(engine: Engine, username: str, password: str) -> tuple[int | None, bool]:
    """The user's id and must-change flag when the password is right; (None, False) otherwise."""
    # A name one character longer than the column cannot match, yet costs no more to look up.
    # Outside any write transaction: argon2 takes a while, and must not hold SQLite's write lock.
    if len(password) > MAX_PASSWORD_LENGTH:
        password = ""  # still checked, so that the answer takes as long as any other
    with read_session(engine) as session:
        user = authenticate(session, username[: KEY_LENGTH + 1], password)
        if user is None or not password:
            return None, False
        return user.id, bool(user.must_change_password)


def _forgive(
    session: Session, keys: dict[ThrottleKind, str], locked_now: dict[ThrottleKind, dt.datetime]
) -> None:
    """After a success: the account's failures are forgiven; the address's, only this attempt.

    Forgiving the whole address on one success would let someone with one
    real account guess at others from the same address without limit.
    """
    session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.kind == ThrottleKind.ACCOUNT.value,
            SignInThrottle.key == keys[ThrottleKind.ACCOUNT],
        )
    )
    row = session.get(SignInThrottle, (ThrottleKind.ADDRESS.value, keys[ThrottleKind.ADDRESS]))
    if row is None:
        return
    row.failures = max(0, row.failures - 1)
    if ThrottleKind.ADDRESS in locked_now and row.locked_until == locked_now[ThrottleKind.ADDRESS]:
        row.locked_until = None
