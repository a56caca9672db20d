"""``dcim utilization --json`` against figures worked out by hand for the contract's example.

Feeds: 230 V x 16 A x 80 % = 2944 W usable. UPS: 10 kVA x 0.9 x 80 % = 7200 W.
Under 2N every occupant counts in full on each of its feeds and once per UPS.
Until 2026-12-15 the hold RSV-2026-0001 (300 W on both R02 feeds, 20 Mbps on
ISP-1, 203.0.113.6 and 10.10.1.12) counts as an occupant:

- PDU-R01-A/B: SW-CORE-01 150 W.
- PDU-R02-A/B: SRV-BKPSDM-01 450 + SRV-DUKCAPIL-01 350 + hold 300 = 1100 W.
- PDU-R03-A: NAS-BAPPEDA-01 300 W.
- UPS-A (R01-A, R02-A, R03-A): 150 + 1100 + 300 = 1550 W; UPS-B: 150 + 1100 = 1250 W.
- ISP-1: 50 + 100 + 20 = 170 Mbps of 500.
"""

from __future__ import annotations

import pytest
from scenario_data import spec_inventory, spec_request
from scenario_support import Scenario, one_json_document

LIVE, EXPIRED = "2026-11-27", "2026-12-16"


@pytest.fixture
def example(scenario: Scenario) -> Scenario:
    """The example inventory, loaded."""
    return scenario.load(spec_inventory())


def figures(scenario: Scenario, on: str) -> dict:
    """The utilization document for a date."""
    done = scenario.run("utilization", "--on", on, "--json")
    assert done.exit_code == 0, done.stderr
    return one_json_document(done.stdout)


def by_name(entries: list[dict]) -> dict[str, dict]:
    """Entries of one kind by name."""
    return {entry["name"]: entry for entry in entries}


def test_every_feed_is_usable_to_2944_watts(example: Scenario) -> None:
    feeds = by_name(figures(example, LIVE)["feeds"])
    assert {name: float(f["usable_w"]) for name, f in feeds.items()} == dict.fromkeys(
        ["PDU-R01-A", "PDU-R01-B", "PDU-R02-A", "PDU-R02-B", "PDU-R03-A"], 2944.0
    )


def test_every_ups_is_usable_to_7200_watts(example: Scenario) -> None:
    units = by_name(figures(example, LIVE)["ups"])
    assert {name: float(u["usable_w"]) for name, u in units.items()} == {
        "UPS-A": 7200.0,
        "UPS-B": 7200.0,
    }


def test_feed_loads_count_the_live_hold(example: Scenario) -> None:
    feeds = by_name(figures(example, LIVE)["feeds"])
    assert {name: float(f["load_w"]) for name, f in feeds.items()} == {
        "PDU-R01-A": 150.0,
        "PDU-R01-B": 150.0,
        "PDU-R02-A": 1100.0,
        "PDU-R02-B": 1100.0,
        "PDU-R03-A": 300.0,
    }


def test_ups_loads_count_each_occupant_once(example: Scenario) -> None:
    units = by_name(figures(example, LIVE)["ups"])
    assert {name: float(u["load_w"]) for name, u in units.items()} == {
        "UPS-A": 1550.0,
        "UPS-B": 1250.0,
    }


def test_uplink_commitments_count_the_live_hold(example: Scenario) -> None:
    links = by_name(figures(example, LIVE)["uplinks"])
    assert float(links["ISP-1"]["committed_mbps"]) == 170
    assert float(links["ISP-2"]["committed_mbps"]) == 0


def test_expired_hold_is_left_out_of_the_loads(example: Scenario) -> None:
    document = figures(example, EXPIRED)
    feeds, units = by_name(document["feeds"]), by_name(document["ups"])
    assert float(feeds["PDU-R02-A"]["load_w"]) == 800
    assert (float(units["UPS-A"]["load_w"]), float(units["UPS-B"]["load_w"])) == (1250, 950)
    assert float(by_name(document["uplinks"])["ISP-1"]["committed_mbps"]) == 150


def test_new_hold_is_counted_at_once(example: Scenario) -> None:
    rack = example.reserve(spec_request("simpeg"), on=LIVE)["proposal"]["rack"]
    feeds = by_name(figures(example, LIVE)["feeds"])
    expected = {"R01": 150 + 450, "R02": 1100 + 450}[rack]
    assert float(feeds[f"PDU-{rack}-A"]["load_w"]) == expected
    assert float(by_name(figures(example, LIVE)["ups"])["UPS-A"]["load_w"]) == 1550 + 450


def test_utilization_changes_nothing(example: Scenario) -> None:
    before = example.export()
    figures(example, LIVE)
    assert example.export() == before


def test_three_phase_feed_is_usable_to_root_3_volts_amps_and_its_share(scenario: Scenario) -> None:
    # sqrt(3) x 400 V x 32 A x 80 % = 17736.3 W.
    document = spec_inventory()
    document["power_feeds"].append(
        {
            "name": "PDU-R04-3P",
            "site": "dc-kominfo",
            "ups": "UPS-A",
            "voltage": 400,
            "amperage": 32,
            "phase": "three",
        }
    )
    document["racks"][3]["feeds"] = ["PDU-R04-3P"]
    scenario.load(document)
    feeds = by_name(figures(scenario, LIVE)["feeds"])
    assert float(feeds["PDU-R04-3P"]["usable_w"]) == pytest.approx(17736.3, abs=0.1)


def test_text_table_keeps_columns_aligned_with_long_rack_and_feed_names(scenario: Scenario) -> None:
    from scenario_data import inventory, two_feed_rack

    short, short_feeds = two_feed_rack("R1")
    long, long_feeds = two_feed_rack("Comms closet (ams01-dc-west)")
    scenario.load(inventory(racks=[short, long], power_feeds=short_feeds + long_feeds))
    done = scenario.run("--lang", "en", "utilization", "--on", LIVE)
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    racks = [line for line in lines if " used " in line and "U  free" in line]
    feeds = [line for line in lines if " normal " in line]
    assert len(racks) == 2 and len(feeds) == 4, done.stdout
    # Every rack line's "used" and every feed line's "normal" start in the same column.
    assert len({line.index(" used ") for line in racks}) == 1, "\n".join(racks)
    assert len({line.index(" normal ") for line in feeds}) == 1, "\n".join(feeds)
