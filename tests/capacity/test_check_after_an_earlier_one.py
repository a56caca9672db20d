"""A reserve's second check takes from its first only what no hold changes.

On PostgreSQL a reserve checks the room, locks, then judges its racks again
(:mod:`capacity.holds`). The second check is given the first one's facts:
the sites, the zones with their delegations and records, the prefixes'
reserved ranges and the UPS themselves change only when someone edits the
inventory, so they are not read again under the locks. Every count, load,
claim and free address is: the reservers ahead took some of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from capacity.check import run_check
from capacity.holds import reserve
from capacity.request import CapacityRequest, read_request
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session
from dcim_demo import load_demo

ON = dt.date(2026, 11, 27)
REQUESTS = Path(__file__).resolve().parents[2] / "dcim_demo" / "data" / "requests"
# The tables of what no hold changes: a second check reads none of them.
FIXED = ("sites", "zones", "dns_records", "prefix_reserved_ranges", "ups")


@pytest.fixture
def demo(tmp_path: Path) -> Engine:
    engine = get_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    return engine


def _request(**changes: Any) -> CapacityRequest:
    request = read_request(REQUESTS / "01-simpeg-cadangan-bkpsdm.yaml")
    return request.model_copy(update=changes)


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """The statements run meanwhile."""
    run: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        run.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def _tables(statements: list[str], clause: str = "FROM|JOIN") -> set[str]:
    """The tables the statements name after ``clause``: a table a statement reads rows of is
    named after FROM; one it only joins to (a rack's site, a feed's UPS name) after JOIN."""
    return {t for s in statements for t in re.findall(rf"\b(?:{clause})\s+(\w+)", s)}


def test_a_second_check_does_not_read_again_what_no_hold_changes(demo: Engine) -> None:
    request = _request()
    with read_session(demo) as session:
        first = run_check(session, request, on=ON)
        with _statements(demo) as statements:
            second = run_check(session, request, on=ON, earlier=first)

    assert second.to_json() == first.to_json()
    read_again = _tables(statements, "FROM") & set(FIXED)
    assert not read_again, f"read again: {sorted(read_again)}"
    # The units, loads, claims and free addresses are read again all the same.
    wanted = {"racks", "feed_device_totals", "ups_device_totals", "ip_addresses", "dns_name_claims"}
    assert wanted <= _tables(statements)


def test_a_second_check_sees_what_a_hold_took_after_the_first(demo: Engine) -> None:
    request = _request()
    with read_session(demo) as session:
        first = run_check(session, request, on=ON)
    assert first.proposal is not None
    # Another reserver holds the same server, and with it the units, addresses and feeds'
    # headroom the first check proposed.
    taken = reserve(demo, _request(domains=["simpeg-dr.sumbawakab.go.id"]), on=ON, actor=operator())
    assert taken.reservation_code is not None, taken.message

    with read_session(demo) as session:
        second = run_check(session, request, on=ON, earlier=first)
        fresh = run_check(session, request, on=ON)

    assert second.to_json() == fresh.to_json()
    assert second.proposal is not None and fresh.proposal is not None
    assert second.proposal.addresses() != first.proposal.addresses(), "the taken addresses"
    assert (second.proposal.rack, second.proposal.position) != (
        first.proposal.rack,
        first.proposal.position,
    ), "the taken units"


def test_a_second_check_for_other_names_reads_their_zone_again(demo: Engine) -> None:
    # "ppid" has a record in the zone (and is no reserved label); the first check asked only
    # for a free name, so its zone facts know nothing of "ppid".
    with read_session(demo) as session:
        first = run_check(session, _request(), on=ON)
        second = run_check(
            session, _request(domains=["ppid.sumbawakab.go.id"]), on=ON, earlier=first
        )

    assert first.checks["domain"].ok is True
    domain = second.checks["domain"]
    assert domain.ok is False, "ppid is taken by a record of the zone"
    assert "ppid" in domain.message
    assert not second.feasible
