"""Power (Listrik): each chosen feed keeps its load within its usable power, compared exactly.

Most scenarios use feeds of 100 V x 10 A at 100 % (usable 1000 W), so that
the limits are round numbers; UPS-1 is large enough to limit nothing.
"""

from __future__ import annotations

import pytest
from scenario_data import DAY, device, feed, hold, inventory, rack, request, two_feed_rack
from scenario_support import Scenario, refused_racks

KILOWATT_FEED = {"voltage": 100, "amperage": 10, "max_utilization": 100}


def kilowatt_rack(*, policy: dict | None = None, **inventory_parts: object) -> dict:
    """R01 on two 1000 W feeds PDU-R01-A and PDU-R01-B, with the given devices, holds, policy."""
    r01, feeds = two_feed_rack("R01", feed_fields=KILOWATT_FEED)
    return inventory(racks=[r01], power_feeds=feeds, policy=policy, **inventory_parts)


def on_both(name: str, power_w: float, position: int = 1, **fields: object) -> dict:
    """A device in R01 on both feeds."""
    return device(
        name, "R01", position, power_w=power_w, feeds=["PDU-R01-A", "PDU-R01-B"], **fields
    )


def verdicts(result: dict) -> tuple:
    """The ok of space, power and UPS, in that order."""
    return tuple(result["checks"][name]["ok"] for name in ("space", "power", "ups"))


# --- 2N ---------------------------------------------------------------------------------------


def test_2n_load_of_exactly_the_usable_power_fits(scenario: Scenario) -> None:
    # 600 W on each feed already; 2N adds the whole 400 W to each: 1000 <= 1000.
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 600)]))
    result = scenario.check(request(power_w=400, psu=2))
    assert result["feasible"] is True
    assert sorted(result["proposal"]["feeds"]) == ["PDU-R01-A", "PDU-R01-B"]


def test_2n_one_watt_over_the_usable_power_fails(scenario: Scenario) -> None:
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 600)]))
    assert verdicts(scenario.check(request(power_w=401, psu=2))) == (True, False, None)


def test_2n_is_the_default_redundancy(scenario: Scenario) -> None:
    # Under N the server would add 300 W per feed and fit; under 2N it adds 600 W and does not.
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 600)]))
    assert refused_racks(scenario.check(request(power_w=600, psu=2)), "power") == {"R01": "over"}


def test_2n_counts_each_occupant_in_full_on_every_feed_it_uses(scenario: Scenario) -> None:
    # Two devices of 300 W on both feeds load each feed with 600 W under 2N.
    devices = [on_both("SRV-01", 300, 1), on_both("SRV-02", 300, 2)]
    scenario.load(kilowatt_rack(devices=devices))
    assert scenario.check(request(power_w=400))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=401)), "power") == {"R01": "over"}


def test_2n_single_psu_server_adds_its_draw_to_one_feed(scenario: Scenario) -> None:
    a_only = device("SRV-01", "R01", 1, power_w=900, feeds=["PDU-R01-A"])
    scenario.load(kilowatt_rack(devices=[a_only]))
    proposal = scenario.check(request(power_w=1000, psu=1))["proposal"]
    assert proposal["feeds"] == ["PDU-R01-B"]


def test_decimal_draws_add_up_exactly_to_the_limit(scenario: Scenario) -> None:
    devices = [on_both("SRV-01", 333.3, 1), on_both("SRV-02", 333.3, 2)]
    scenario.load(kilowatt_rack(devices=devices))
    assert scenario.check(request(power_w=333.4))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=333.401)), "power") == {"R01": "over"}


# --- N ----------------------------------------------------------------------------------------


def test_n_adds_an_even_share_to_each_chosen_feed(scenario: Scenario) -> None:
    # The 1200 W device loads each feed with 600 W; the server adds 800 / 2 = 400 W: exactly 1000.
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 1200)], policy={"redundancy": "N"}))
    assert scenario.check(request(power_w=800, psu=2))["feasible"] is True


def test_n_share_one_watt_over_fails(scenario: Scenario) -> None:
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 1200)], policy={"redundancy": "N"}))
    assert verdicts(scenario.check(request(power_w=802, psu=2))) == (True, False, None)


def test_n_single_psu_server_adds_its_whole_draw_to_one_feed(scenario: Scenario) -> None:
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 1200)], policy={"redundancy": "N"}))
    assert scenario.check(request(power_w=400, psu=1))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=401, psu=1)), "power") == {"R01": "over"}


def test_n_occupant_on_one_feed_loads_that_feed_with_its_whole_draw(scenario: Scenario) -> None:
    a_only = device("SRV-01", "R01", 1, power_w=600, feeds=["PDU-R01-A"])
    scenario.load(kilowatt_rack(devices=[a_only], policy={"redundancy": "N"}))
    assert scenario.check(request(power_w=800, psu=2))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=802, psu=2)), "power") == {"R01": "over"}


# --- usable power -----------------------------------------------------------------------------


def test_single_phase_feed_is_usable_to_volts_times_amps_times_80_percent(
    scenario: Scenario,
) -> None:
    # 230 V x 16 A x 80 % = 2944 W, the contract's example feed.
    r01, feeds = two_feed_rack("R01", feed_fields={"voltage": 230, "amperage": 16})
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    assert scenario.check(request(power_w=2944))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=2945)), "power") == {"R01": "over"}


def test_three_phase_feed_is_usable_to_root_3_times_volts_times_amps(scenario: Scenario) -> None:
    # sqrt(3) x 400 V x 16 A x 80 % = 8868.1 W.
    three = {"voltage": 400, "amperage": 16, "phase": "three"}
    r01, feeds = two_feed_rack("R01", feed_fields=three)
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    assert scenario.check(request(power_w=8868))["feasible"] is True


def test_three_phase_feed_one_watt_over_fails(scenario: Scenario) -> None:
    three = {"voltage": 400, "amperage": 16, "phase": "three"}
    r01, feeds = two_feed_rack("R01", feed_fields=three)
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    assert refused_racks(scenario.check(request(power_w=8869)), "power") == {"R01": "over"}


def test_feed_max_utilization_overrides_a_lower_policy(scenario: Scenario) -> None:
    scenario.load(kilowatt_rack(policy={"feed_max_utilization": 50}))
    assert scenario.check(request(power_w=1000))["feasible"] is True


def test_feed_max_utilization_overrides_a_higher_policy(scenario: Scenario) -> None:
    half = {"voltage": 100, "amperage": 10, "max_utilization": 50}
    r01, feeds = two_feed_rack("R01", feed_fields=half)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, policy={"feed_max_utilization": 100}))
    assert scenario.check(request(power_w=500))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=501)), "power") == {"R01": "over"}


def test_policy_feed_max_utilization_applies_to_feeds_without_their_own(scenario: Scenario) -> None:
    plain = {"voltage": 100, "amperage": 10}
    r01, feeds = two_feed_rack("R01", feed_fields=plain)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, policy={"feed_max_utilization": 50}))
    assert scenario.check(request(power_w=500))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=501)), "power") == {"R01": "over"}


# --- feeds of the rack ------------------------------------------------------------------------


def test_rack_with_fewer_feeds_than_psu_cannot_take_the_server(scenario: Scenario) -> None:
    lone = feed("PDU-R01-A")
    scenario.load(inventory(racks=[rack("R01", feeds=["PDU-R01-A"])], power_feeds=[lone]))
    assert verdicts(scenario.check(request(psu=2))) == (True, False, None)


def test_single_psu_server_fits_a_rack_with_one_feed(scenario: Scenario) -> None:
    lone = feed("PDU-R01-A")
    scenario.load(inventory(racks=[rack("R01", feeds=["PDU-R01-A"])], power_feeds=[lone]))
    assert scenario.check(request(psu=1))["proposal"]["feeds"] == ["PDU-R01-A"]


def test_server_has_two_power_supplies_by_default(scenario: Scenario) -> None:
    lone = feed("PDU-R01-A")
    scenario.load(inventory(racks=[rack("R01", feeds=["PDU-R01-A"])], power_feeds=[lone]))
    assert refused_racks(scenario.check(request(psu=None)), "power") == {"R01": "few_feeds"}


def test_the_two_feeds_with_room_are_chosen_among_three(scenario: Scenario) -> None:
    feeds = [feed(f"PDU-R01-{x}", **KILOWATT_FEED) for x in "ABC"]
    busy = device("SRV-01", "R01", 1, power_w=900, feeds=["PDU-R01-A"])
    scenario.load(
        inventory(
            racks=[rack("R01", feeds=[f["name"] for f in feeds])], power_feeds=feeds, devices=[busy]
        )
    )
    assert sorted(scenario.check(request(power_w=200))["proposal"]["feeds"]) == [
        "PDU-R01-B",
        "PDU-R01-C",
    ]


def test_rack_with_room_but_no_power_is_passed_over_for_one_with_both(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", feed_fields=KILOWATT_FEED)
    r02, f02 = two_feed_rack("R02", feed_fields=KILOWATT_FEED)
    busy = on_both("SRV-01", 900)
    scenario.load(inventory(racks=[r01, r02], power_feeds=f01 + f02, devices=[busy]))
    assert scenario.check(request(power_w=200))["proposal"]["rack"] == "R02"


def test_rack_with_power_but_no_space_is_not_a_power_candidate(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", u_height=1, feed_fields=KILOWATT_FEED)
    r02, f02 = two_feed_rack("R02", feed_fields=KILOWATT_FEED)
    devices = [
        device("SRV-01", "R01", 1),
        device("SRV-02", "R02", 1, power_w=900, feeds=["PDU-R02-A", "PDU-R02-B"]),
    ]
    scenario.load(inventory(racks=[r01, r02], power_feeds=f01 + f02, devices=devices))
    assert verdicts(scenario.check(request(power_w=200))) == (True, False, None)


def test_power_is_not_evaluated_when_no_rack_has_space(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", u_height=1, feed_fields=KILOWATT_FEED)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, devices=[device("SRV-01", "R01", 1)]))
    assert verdicts(scenario.check(request(power_w=5000))) == (False, None, None)


# --- occupants --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["planned", "offline"])
def test_device_of_every_status_loads_its_feeds(scenario: Scenario, status: str) -> None:
    scenario.load(kilowatt_rack(devices=[on_both("SRV-01", 600, status=status)]))
    assert refused_racks(scenario.check(request(power_w=401)), "power") == {"R01": "over"}


def test_live_hold_loads_its_feeds(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100", "R01", 1, expires_at=DAY, power_w=600, feeds=["PDU-R01-A", "PDU-R01-B"]
    )
    scenario.load(kilowatt_rack(reservations=[held]))
    assert refused_racks(scenario.check(request(power_w=401), on=DAY), "power") == {"R01": "over"}


def test_expired_hold_loads_no_feed(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100",
        "R01",
        1,
        expires_at="2026-11-26",
        power_w=600,
        feeds=["PDU-R01-A", "PDU-R01-B"],
    )
    scenario.load(kilowatt_rack(reservations=[held]))
    assert scenario.check(request(power_w=1000), on=DAY)["feasible"] is True


def test_n_share_divides_by_the_number_of_feeds_the_occupant_uses(scenario: Scenario) -> None:
    # A 1500 W device on three feeds puts 500 W on each; the server adds 1000 / 2 to two of them.
    feeds = [feed(f"PDU-R01-{x}", **KILOWATT_FEED) for x in "ABC"]
    triple = device("SRV-01", "R01", 1, power_w=1500, feeds=[f["name"] for f in feeds])
    scenario.load(
        inventory(
            racks=[rack("R01", feeds=[f["name"] for f in feeds])],
            power_feeds=feeds,
            devices=[triple],
            policy={"redundancy": "N"},
        )
    )
    assert scenario.check(request(power_w=1000, psu=2))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=1002, psu=2)), "power") == {"R01": "over"}


def test_fractional_usable_power_is_compared_exactly(scenario: Scenario) -> None:
    # 230 V x 13 A x 75 % = 2242.5 W.
    r01, feeds = two_feed_rack(
        "R01", feed_fields={"voltage": 230, "amperage": 13, "max_utilization": 75}
    )
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    assert scenario.check(request(power_w=2242.5))["feasible"] is True
    assert refused_racks(scenario.check(request(power_w=2242.501)), "power") == {"R01": "over"}
