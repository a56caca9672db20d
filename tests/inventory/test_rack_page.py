"""The Rak page's list: racks chosen and counted in the database, only the page's racks read unit by unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dcim.accounts import operator
from dcim.db import read_session
from dcim.elevations import FACES, rack_page
from dcim.inventory.load import load_file
from dcim.models import Rack
from dcim.occupancy import rack_occupancy

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
HELD = dt.date(2026, 11, 27)
EXPIRED = dt.date(2026, 12, 16)  # RSV-2026-0001 in R02 held until 15 December


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example data center."""
    load_file(engine, FIXTURE, actor=operator())
    return engine


def _largest_blocks(engine: Engine, on: dt.date) -> dict[str, int]:
    """Each rack's largest run free on both faces, worked out unit by unit."""
    with read_session(engine) as session:
        racks = session.execute(select(Rack.id, Rack.name, Rack.u_height)).all()
        occupancy = rack_occupancy(session, on, {rack_id: u for rack_id, _, u in racks})
    return {
        name: max((n for _, n in occupancy[rack_id].free_blocks(FACES)), default=0)
        for rack_id, name, _ in racks
    }


@pytest.mark.parametrize("on", [HELD, EXPIRED])
def test_the_free_run_filter_keeps_the_racks_a_full_depth_server_fits(
    example: Engine, on: dt.date
) -> None:
    largest = _largest_blocks(example, on)
    for units in range(1, max(largest.values()) + 2):
        with read_session(example) as session:
            found = rack_page(session, on, min_free_block=units, per_page=100)
        expected = sorted(name for name, size in largest.items() if size >= units)
        assert ([r.name for r in found.items], found.total) == (expected, len(expected)), units


def test_an_expired_holds_units_are_free_again(example: Engine) -> None:
    assert _largest_blocks(example, EXPIRED)["R02"] > _largest_blocks(example, HELD)["R02"]


def test_a_page_beyond_the_last_is_empty_but_counts_every_match(example: Engine) -> None:
    with read_session(example) as session:
        beyond = rack_page(session, HELD, page=5, per_page=3)
    assert (beyond.items, beyond.total, beyond.pages) == ([], 4, 2)
