"""The same inventory, request and date always give the same proposal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scenario_data import (
    inventory,
    prefix,
    request,
    spec_inventory,
    spec_request,
    two_feed_rack,
    ups,
)
from scenario_support import Scenario

from dcim.db import get_engine

ON = "2026-11-27"


def roomy() -> dict:
    """Three alike racks on two UPS, two uplinks and two prefixes per role: many valid proposals."""
    racks, feeds = [], []
    for name in ("R01", "R02", "R03"):
        r, f = two_feed_rack(name, ups_a="UPS-1", ups_b="UPS-2")
        racks.append(r)
        feeds += f
    return inventory(
        racks=racks,
        power_feeds=feeds,
        ups_list=[ups("UPS-1"), ups("UPS-2")],
        uplinks=[
            {"name": "ISP-1", "site": "dc-kominfo", "capacity_mbps": 1000},
            {"name": "ISP-2", "site": "dc-kominfo", "capacity_mbps": 1000},
        ],
        prefixes=[prefix("203.0.113.0/26", "public"), prefix("203.0.113.64/26", "public")],
    )


def wide_request() -> dict:
    """A request that every part of the room can serve."""
    return request(
        u_height=2,
        power_w=300,
        bandwidth_mbps=20,
        ipv4={"public": 2},
        domains=["app.sumbawakab.go.id"],
    )


@pytest.fixture
def fresh_sqlite(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> Iterator[Callable[[str], Scenario]]:
    """A new scenario on a new, empty SQLite file."""
    urls: list[str] = []

    def make(name: str) -> Scenario:
        folder = tmp_path / name
        folder.mkdir()
        url = f"sqlite:///{folder / 'dcim.db'}"
        urls.append(url)
        return Scenario(url, run_cli, folder)

    yield make
    for url in urls:
        get_engine(url).dispose()


@pytest.mark.parametrize("build", [roomy, spec_inventory], ids=["roomy", "spec-example"])
def test_same_check_twice_gives_the_same_proposal(
    scenario: Scenario, build: Callable[[], dict]
) -> None:
    scenario.load(build())
    asked = wide_request() if build is roomy else spec_request("simpeg")
    first = scenario.check(asked, on=ON)
    second = scenario.check(asked, on=ON)
    assert first["proposal"] is not None
    assert second["proposal"] == first["proposal"]


def test_same_inventory_in_a_new_database_gives_the_same_proposal(
    scenario: Scenario, fresh_sqlite: Callable[[str], Scenario]
) -> None:
    scenario.load(roomy())
    again = fresh_sqlite("again").load(roomy())
    assert (
        again.check(wide_request(), on=ON)["proposal"]
        == scenario.check(wide_request(), on=ON)["proposal"]
    )


def test_exported_and_reloaded_inventory_gives_the_same_proposal(
    scenario: Scenario, fresh_sqlite: Callable[[str], Scenario]
) -> None:
    scenario.load(spec_inventory())
    reloaded = fresh_sqlite("reloaded").load(scenario.export())
    asked = spec_request("simpeg")
    assert reloaded.check(asked, on=ON)["proposal"] == scenario.check(asked, on=ON)["proposal"]


def test_order_of_entries_in_the_file_does_not_change_the_proposal(
    scenario: Scenario, fresh_sqlite: Callable[[str], Scenario]
) -> None:
    scenario.load(roomy())
    shuffled = roomy()
    for kind in ("racks", "power_feeds", "ups", "uplinks", "prefixes"):
        shuffled[kind] = list(reversed(shuffled[kind]))
    other = fresh_sqlite("reversed").load(shuffled)
    assert (
        other.check(wide_request(), on=ON)["proposal"]
        == scenario.check(wide_request(), on=ON)["proposal"]
    )
