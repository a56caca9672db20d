"""The policy, the thresholds and the time zone are read once per transaction, never stale.

A hold read the policy four times and the settings three (each a round trip to
PostgreSQL); :func:`dcim.db.session_memo` keeps such a value for the rest of
the transaction, and reads it again when the session changes its rows or a new
transaction begins.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from sqlalchemy import Engine, event

from dcim.db import ensure_schema, read_session, write_session
from dcim.limits import policy_facts
from dcim.models import LocalHoliday, Policy, Setting
from dcim.thresholds import THRESHOLDS_SETTING, load_thresholds
from dcim.workdays import TIMEZONE_SETTING, timezone_for


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    return seen


def _with_policy(engine: Engine) -> None:
    ensure_schema(engine)
    with write_session(engine) as session:
        if session.get(Policy, 1) is None:
            session.add(Policy(id=1))


def test_the_policy_is_read_once_however_often_a_transaction_asks(engine: Engine) -> None:
    _with_policy(engine)
    with read_session(engine) as session:
        first = policy_facts(session)
        seen = _statements(engine)
        again = [policy_facts(session) for _ in range(3)]
    assert again == [first] * 3
    assert not [s for s in seen if "FROM policy" in s], "the policy was read again"


def test_writing_other_rows_in_the_transaction_keeps_the_policy_read(engine: Engine) -> None:
    _with_policy(engine)
    with write_session(engine) as session:
        first = policy_facts(session)
        seen = _statements(engine)
        # A hold flushes several times (each flush is a subtransaction of its own).
        session.add(LocalHoliday(day=dt.date(2027, 1, 4), name="Libur daerah"))
        session.flush()
        assert policy_facts(session) == first
    assert not [s for s in seen if "FROM policy" in s], "a flush of other rows forgot the policy"


def test_a_policy_changed_in_the_same_transaction_is_read_again(engine: Engine) -> None:
    _with_policy(engine)
    with write_session(engine) as session:
        before = policy_facts(session)
        row = session.get(Policy, 1)
        assert row is not None
        row.redundancy = "N" if before.redundancy == "2N" else "2N"
        # Pending (not yet flushed): the change is seen all the same.
        assert policy_facts(session).redundancy == row.redundancy
        session.flush()
        assert policy_facts(session).redundancy == row.redundancy


def test_a_new_transaction_sees_what_another_session_committed(engine: Engine) -> None:
    _with_policy(engine)
    with read_session(engine) as reader:
        assert load_thresholds(reader).warn == Fraction(60)
        with write_session(engine) as writer:
            writer.merge(Setting(key=THRESHOLDS_SETTING, value={"warn": "50", "alert": "90"}))
            writer.merge(Setting(key=TIMEZONE_SETTING, value="Asia/Jakarta"))
        reader.rollback()  # the reader's next transaction begins after the commit
        assert load_thresholds(reader).warn == Fraction(50)
        assert timezone_for(reader).key == "Asia/Jakarta"
