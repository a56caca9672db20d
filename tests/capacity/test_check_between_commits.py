"""A check whose statements straddle another reserver's commit still answers about one room.

On PostgreSQL each statement of a transaction at READ COMMITTED sees the
commits made before that statement began, so the check's first statement
(the racks and their counters) and the later ones (their units, feeds and
loads) may see two different moments. A reserve's first check runs so, in
its write transaction before it locks anything; a read session reads one
snapshot. Here a hold takes the rack's last free units right after the
check has listed the racks: the answer must be about a room that existed
(the rack free, or the rack full), never a mix in which the full rack looks
empty and has no feeds (an eight-client race once answered a loser so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event
from workflow_support import race_inventory, race_request

from capacity import holds
from capacity.check import CheckResult, run_check
from capacity.request import parse_request
from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.inventory.load import load_inventory, parse_inventory

ON = dt.date(2026, 11, 27)


def _request(index: int) -> Any:
    return parse_request(race_request(index))


@contextmanager
def _hold_taken_after_the_rack_list(engine: Engine) -> Iterator[list[str]]:
    """Reserve the rack's last units from another connection as soon as a statement that lists
    racks with their counters has run (the check's first look at the room)."""
    taken: list[str] = []

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not taken and statement.lstrip().startswith("SELECT racks.id, racks.name"):
            taken.append("pending")
            outcome = holds.reserve(engine, _request(2), on=ON, actor=operator())
            assert outcome.reservation_code is not None, outcome.message
            taken[0] = outcome.reservation_code

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield taken
    finally:
        event.remove(engine, "after_cursor_execute", after)


def _assert_about_one_room(result: CheckResult) -> None:
    document = result.to_json()
    if result.feasible:
        # The room before the hold: the rack was free.
        assert result.proposal is not None and result.proposal.rack == "R01"
    else:
        # The room after it: the rack is full, and that is the reason. The rack's two feeds
        # have room for a hundred watts either way.
        assert document["checks"]["space"]["ok"] is False, document
        assert document["checks"]["power"]["ok"] is not False, document


@pytest.fixture
def one_slot(engine: Engine) -> Engine:
    """The race ground with a 2U rack: room for exactly one 2U server."""
    load_inventory(engine, parse_inventory(race_inventory(rack_units=2)), actor=operator())
    return engine


@pytest.mark.postgres
def test_a_check_in_a_write_transaction_sees_the_full_rack_as_full(postgres_url: str) -> None:
    # A reserve's first check runs before it locks anything. (On SQLite a write transaction
    # holds the database's write lock from its first statement: nobody commits meanwhile.)
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    load_inventory(engine, parse_inventory(race_inventory(rack_units=2)), actor=operator())
    with _hold_taken_after_the_rack_list(engine) as taken, write_session(engine) as session:
        result = run_check(session, _request(1), on=ON)
    assert taken and taken[0].startswith("RSV-")
    _assert_about_one_room(result)


def test_a_check_in_a_read_session_answers_about_the_moment_it_began(one_slot: Engine) -> None:
    # A read session is one snapshot (SQLite's read transaction, PostgreSQL's REPEATABLE
    # READ): the hold committed after the racks were listed is not seen by any statement.
    with _hold_taken_after_the_rack_list(one_slot) as taken, read_session(one_slot) as session:
        result = run_check(session, _request(1), on=ON)
    assert taken and taken[0].startswith("RSV-")
    assert result.feasible, result.to_json()
    _assert_about_one_room(result)
