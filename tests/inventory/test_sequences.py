"""Numbers handed out in order: a counter starts where it is told and callers queue for it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from dcim.db import ensure_schema, get_engine, write_session
from dcim.sequences import next_number


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = get_engine(db_url)
    ensure_schema(engine)
    return engine


def test_a_new_counter_starts_after_the_highest_number_already_used(engine: Engine) -> None:
    with write_session(engine) as session:
        first = next_number(session, "letters:2026", lambda: 41)
        second = next_number(session, "letters:2026", lambda: 0)
    assert (first, second) == (42, 43), "only a new counter asks where to start"


def test_counters_of_different_names_count_apart(engine: Engine) -> None:
    with write_session(engine) as session:
        numbers = [next_number(session, name) for name in ("a", "b", "a")]
    assert numbers == [1, 1, 2]


@pytest.mark.postgres
def test_a_caller_waits_for_the_number_another_has_not_committed_yet(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    with write_session(engine) as session:
        next_number(session, "reservation:2026")
    taken: list[int] = []
    with write_session(engine) as holder:
        held = next_number(holder, "reservation:2026")
        waiter = threading.Thread(
            target=lambda: taken.append(_next_in_own_transaction(engine, "reservation:2026"))
        )
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive(), "the second caller must wait for the first one's commit"
    waiter.join(timeout=10)
    assert (held, taken) == (2, [3]), "the second caller gets the next number, not the same"


def _next_in_own_transaction(engine: Engine, name: str) -> int:
    with write_session(engine) as session:
        return next_number(session, name)
