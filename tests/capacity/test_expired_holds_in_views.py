"""A hold past its date shows nowhere: not in the address map or search, the power chain or the zone.

The contract's example holds RSV-2026-0001 (two addresses, a name, 300 W on
two feeds in R02) until 15 December 2026; on the 16th it counts for nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dcim import ipmap
from dcim.accounts import operator
from dcim.db import read_session
from dcim.inventory.load import load_file
from dcim.powerchain import read_chain
from dcim.zonefile import held_names

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
LAST_DAY = dt.date(2026, 12, 15)
AFTER = dt.date(2026, 12, 16)


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example data center."""
    load_file(engine, FIXTURE, actor=operator())
    return engine


def test_an_expired_holds_addresses_are_free_on_the_map(example: Engine) -> None:
    with read_session(example) as session:
        held = ipmap.address_map(session, LAST_DAY, "203.0.113.0/28")
        after = ipmap.address_map(session, AFTER, "203.0.113.0/28")
    state = {cell.address: cell.state for cell in held.cells}
    assert state["203.0.113.6"] == ipmap.HELD
    assert {cell.address: cell.state for cell in after.cells}["203.0.113.6"] == ipmap.FREE


def test_an_expired_hold_is_not_found_by_search(example: Engine) -> None:
    with read_session(example) as session:
        assert ipmap.search(session, LAST_DAY, "RSV-2026-0001")
        assert ipmap.search(session, AFTER, "RSV-2026-0001") == []


def test_an_expired_hold_draws_no_power(example: Engine) -> None:
    with read_session(example) as session:
        held = read_chain(session, LAST_DAY)
        after = read_chain(session, AFTER)
    assert "RSV-2026-0001" in {c.name for c in held.consumers}
    assert "RSV-2026-0001" not in {c.name for c in after.consumers}


def test_an_expired_hold_keeps_no_name(example: Engine) -> None:
    with read_session(example) as session:
        assert held_names(session, "sumbawakab.go.id", LAST_DAY)
        assert held_names(session, "sumbawakab.go.id", AFTER) == []
