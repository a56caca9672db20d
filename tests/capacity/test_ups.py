"""UPS: every chosen feed is UPS-backed and every UPS behind them keeps its load within its usable power.

Most scenarios use a UPS of 1.25 kVA at power factor 1 and the default 80 %
maximum load: usable 1.25 x 1000 x 1 x 80 % = 1000 W. The feeds are large
(230 V x 32 A x 80 % = 5888 W), so that only the UPS limits.
"""

from __future__ import annotations

from scenario_data import DAY, device, feed, hold, inventory, rack, request, two_feed_rack, ups
from scenario_support import Scenario

SMALL_UPS = {"capacity_kva": 1.25, "power_factor": 1}


def verdicts(result: dict) -> tuple:
    """The ok of space, power and UPS, in that order."""
    return tuple(result["checks"][name]["ok"] for name in ("space", "power", "ups"))


def ups_short(result: dict, added_w: float) -> dict[str, float]:
    """Each UPS the server would overload, by the watts it would be short, once the UPS check failed.

    ``added_w`` is what the server adds to a UPS (its draw under 2N; under N the shares of
    the feeds the UPS backs); the loads and usable powers are the check's own numbers.
    """
    outcome = result["checks"]["ups"]
    assert outcome["ok"] is False, outcome["message"]
    assert result["feasible"] is False
    shorts = {u["ups"]: round(u["load_w"] + added_w - u["usable_w"], 3) for u in outcome["ups"]}
    return {name: short for name, short in shorts.items() if short > 0}


def one_ups_rack(**parts: object) -> dict:
    """R01 with both feeds behind the 1000 W UPS-1."""
    r01, feeds = two_feed_rack("R01")
    return inventory(racks=[r01], power_feeds=feeds, ups_list=[ups("UPS-1", **SMALL_UPS)], **parts)


def two_ups_rack(**parts: object) -> dict:
    """R01 with PDU-R01-A behind UPS-1 and PDU-R01-B behind UPS-2, each usable to 1000 W."""
    r01, feeds = two_feed_rack("R01", ups_a="UPS-1", ups_b="UPS-2")
    units = [ups("UPS-1", **SMALL_UPS), ups("UPS-2", **SMALL_UPS)]
    return inventory(racks=[r01], power_feeds=feeds, ups_list=units, **parts)


def on_both(name: str, power_w: float, rack_name: str = "R01", position: int = 1) -> dict:
    """A device on both feeds of its rack."""
    feeds = [f"PDU-{rack_name}-A", f"PDU-{rack_name}-B"]
    return device(name, rack_name, position, power_w=power_w, feeds=feeds)


# --- backing ----------------------------------------------------------------------------------


def test_every_chosen_feed_must_be_ups_backed(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", ups_a="UPS-1", ups_b=None)
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    result = scenario.check(request(psu=2))
    assert verdicts(result) == (True, True, False)
    # Refused for the unbacked feed, not for a UPS's load.
    assert ups_short(result, added_w=100) == {}
    assert "PDU-R01-B" in result["checks"]["ups"]["message"]


def test_feed_without_ups_is_avoided_when_the_rack_has_backed_ones(scenario: Scenario) -> None:
    feeds = [feed("PDU-R01-A"), feed("PDU-R01-B", ups=None), feed("PDU-R01-C")]
    scenario.load(
        inventory(racks=[rack("R01", feeds=[f["name"] for f in feeds])], power_feeds=feeds)
    )
    proposal = scenario.check(request(psu=2))["proposal"]
    assert sorted(proposal["feeds"]) == ["PDU-R01-A", "PDU-R01-C"]
    assert proposal["ups"] == ["UPS-1"]


def test_single_psu_server_takes_the_ups_backed_feed(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", ups_a=None, ups_b="UPS-1")
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    proposal = scenario.check(request(psu=1))["proposal"]
    assert (proposal["feeds"], proposal["ups"]) == (["PDU-R01-B"], ["UPS-1"])


def test_proposal_names_each_ups_behind_the_chosen_feeds(scenario: Scenario) -> None:
    scenario.load(two_ups_rack())
    assert sorted(scenario.check(request(power_w=100))["proposal"]["ups"]) == ["UPS-1", "UPS-2"]


# --- 2N ---------------------------------------------------------------------------------------


def test_2n_server_on_two_feeds_of_one_ups_counts_once_for_it(scenario: Scenario) -> None:
    # 400 W already + 600 W once = 1000 W, exactly the usable power.
    scenario.load(one_ups_rack(devices=[on_both("SRV-01", 400)]))
    result = scenario.check(request(power_w=600, psu=2))
    assert result["feasible"] is True
    assert result["proposal"]["ups"] == ["UPS-1"]


def test_2n_one_watt_over_the_ups_limit_fails(scenario: Scenario) -> None:
    scenario.load(one_ups_rack(devices=[on_both("SRV-01", 400)]))
    result = scenario.check(request(power_w=601, psu=2))
    assert verdicts(result) == (True, True, False)
    assert ups_short(result, added_w=601) == {"UPS-1": 1}


def test_2n_each_ups_of_a_split_pair_carries_the_whole_server(scenario: Scenario) -> None:
    scenario.load(two_ups_rack(devices=[on_both("SRV-01", 400)]))
    assert scenario.check(request(power_w=600))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=601)), added_w=601) == {
        "UPS-1": 1,
        "UPS-2": 1,
    }


def test_ups_load_counts_occupants_of_every_rack_it_backs(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01")
    r02, f02 = two_feed_rack("R02", u_height=1)
    scenario.load(
        inventory(
            racks=[r01, r02],
            power_feeds=f01 + f02,
            ups_list=[ups("UPS-1", **SMALL_UPS)],
            devices=[on_both("SRV-02", 400, "R02")],
        )
    )
    assert scenario.check(request(power_w=600))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=601)), added_w=601) == {"UPS-1": 1}


def test_occupant_with_one_feed_on_the_ups_counts_in_full_under_2n(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", ups_a="UPS-1", ups_b="UPS-2")
    r02, f02 = two_feed_rack("R02", u_height=1, ups_a="UPS-1", ups_b="UPS-3")
    units = [ups("UPS-1", **SMALL_UPS), ups("UPS-2"), ups("UPS-3")]
    scenario.load(
        inventory(
            racks=[r01, r02],
            power_feeds=feeds + f02,
            ups_list=units,
            devices=[on_both("SRV-02", 400, "R02")],
        )
    )
    assert scenario.check(request(power_w=600))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=601)), added_w=601) == {"UPS-1": 1}


# --- N ----------------------------------------------------------------------------------------


def test_n_counts_the_share_of_each_feed_a_ups_backs(scenario: Scenario) -> None:
    # The 1000 W device puts 500 W on each UPS; the server's 1000 W adds 500 W to each.
    scenario.load(two_ups_rack(devices=[on_both("SRV-01", 1000)], policy={"redundancy": "N"}))
    assert scenario.check(request(power_w=1000, psu=2))["feasible"] is True


def test_n_share_one_watt_over_the_ups_limit_fails(scenario: Scenario) -> None:
    scenario.load(two_ups_rack(devices=[on_both("SRV-01", 1000)], policy={"redundancy": "N"}))
    result = scenario.check(request(power_w=1002, psu=2))
    assert verdicts(result) == (True, True, False)
    assert ups_short(result, added_w=501) == {"UPS-1": 1, "UPS-2": 1}


def test_n_both_shares_count_when_both_feeds_share_a_ups(scenario: Scenario) -> None:
    scenario.load(one_ups_rack(policy={"redundancy": "N"}))
    assert scenario.check(request(power_w=1000, psu=2))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=1001, psu=2)), added_w=1001) == {"UPS-1": 1}


# --- usable power -----------------------------------------------------------------------------


def test_ups_without_power_factor_takes_the_policy_factor(scenario: Scenario) -> None:
    # 2 kVA x 1000 x 0.5 x 100 % = 1000 W.
    r01, feeds = two_feed_rack("R01")
    policy = {"ups_power_factor": 0.5, "ups_max_load": 100}
    scenario.load(
        inventory(
            racks=[r01], power_feeds=feeds, ups_list=[ups("UPS-1", capacity_kva=2)], policy=policy
        )
    )
    assert scenario.check(request(power_w=1000))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=1001)), added_w=1001) == {"UPS-1": 1}


def test_ups_max_load_policy_limits_the_usable_power(scenario: Scenario) -> None:
    # 1 kVA x 1000 x 1 x 50 % = 500 W.
    r01, feeds = two_feed_rack("R01")
    unit = ups("UPS-1", capacity_kva=1, power_factor=1)
    scenario.load(
        inventory(racks=[r01], power_feeds=feeds, ups_list=[unit], policy={"ups_max_load": 50})
    )
    assert scenario.check(request(power_w=500))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=501)), added_w=501) == {"UPS-1": 1}


def test_example_ups_is_usable_to_7200_watts(scenario: Scenario) -> None:
    # 10 kVA x 1000 x 0.9 x 80 % = 7200 W; feeds large enough not to limit.
    r01, feeds = two_feed_rack(
        "R01", feed_fields={"voltage": 400, "amperage": 32, "phase": "three"}
    )
    unit = ups("UPS-1", capacity_kva=10, power_factor=0.9)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, ups_list=[unit]))
    assert scenario.check(request(power_w=7200))["feasible"] is True
    assert ups_short(scenario.check(request(power_w=7201)), added_w=7201) == {"UPS-1": 1}


# --- joint choice -----------------------------------------------------------------------------


def test_feeds_are_chosen_so_that_power_and_ups_both_pass(scenario: Scenario) -> None:
    # PDU-R01-A's UPS-1 is nearly full (900 of 1000 W, from R02); B and C sit on the empty UPS-2.
    feeds = [
        feed("PDU-R01-A", ups="UPS-1"),
        feed("PDU-R01-B", ups="UPS-2"),
        feed("PDU-R01-C", ups="UPS-2"),
    ]
    r02, f02 = two_feed_rack("R02", u_height=1, ups_a="UPS-1", ups_b="UPS-1")
    scenario.load(
        inventory(
            racks=[rack("R01", feeds=[f["name"] for f in feeds]), r02],
            power_feeds=feeds + f02,
            ups_list=[ups("UPS-1", **SMALL_UPS), ups("UPS-2", **SMALL_UPS)],
            devices=[on_both("SRV-02", 900, "R02")],
        )
    )
    proposal = scenario.check(request(power_w=500, psu=2))["proposal"]
    assert sorted(proposal["feeds"]) == ["PDU-R01-B", "PDU-R01-C"]
    assert proposal["ups"] == ["UPS-2"]


def test_rack_whose_ups_is_full_is_passed_over(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", ups_a="UPS-1", ups_b="UPS-1")
    r02, f02 = two_feed_rack("R02", ups_a="UPS-2", ups_b="UPS-2")
    scenario.load(
        inventory(
            racks=[r01, r02],
            power_feeds=f01 + f02,
            ups_list=[ups("UPS-1", **SMALL_UPS), ups("UPS-2", **SMALL_UPS)],
            devices=[on_both("SRV-01", 900, "R01")],
        )
    )
    assert scenario.check(request(power_w=500))["proposal"]["rack"] == "R02"


# --- not evaluated ----------------------------------------------------------------------------


def test_ups_is_not_evaluated_when_power_failed(scenario: Scenario) -> None:
    lone = feed("PDU-R01-A")
    scenario.load(inventory(racks=[rack("R01", feeds=["PDU-R01-A"])], power_feeds=[lone]))
    assert verdicts(scenario.check(request(psu=2))) == (True, False, None)


def test_ups_is_not_evaluated_when_space_failed(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", u_height=1)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, devices=[device("SRV-01", "R01", 1)]))
    assert verdicts(scenario.check(request())) == (False, None, None)


# --- holds ------------------------------------------------------------------------------------


def test_live_hold_loads_its_ups(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100", "R01", 1, expires_at=DAY, power_w=400, feeds=["PDU-R01-A", "PDU-R01-B"]
    )
    scenario.load(one_ups_rack(reservations=[held]))
    assert ups_short(scenario.check(request(power_w=601), on=DAY), added_w=601) == {"UPS-1": 1}


def test_expired_hold_loads_no_ups(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100",
        "R01",
        1,
        expires_at="2026-11-26",
        power_w=400,
        feeds=["PDU-R01-A", "PDU-R01-B"],
    )
    scenario.load(one_ups_rack(reservations=[held]))
    assert scenario.check(request(power_w=1000), on=DAY)["feasible"] is True


def test_fractional_usable_ups_power_is_compared_exactly(scenario: Scenario) -> None:
    # 1.25 kVA x 1000 x 0.9 x 80 % = 900 W.
    r01, feeds = two_feed_rack("R01")
    unit = ups("UPS-1", capacity_kva=1.25, power_factor=0.9)
    scenario.load(inventory(racks=[r01], power_feeds=feeds, ups_list=[unit]))
    assert scenario.check(request(power_w=900))["feasible"] is True
    result = scenario.check(request(power_w=900.001))
    assert ups_short(result, added_w=900.001) == {"UPS-1": 0.001}
