"""Several sites: the proposal keeps the rack, the uplink and every site-bound prefix in one site.

The room has two sites, ``dc-kominfo`` (rack RK, UPS-K, uplink ISP-K) and
``dc-cadangan`` (rack RC, UPS-C, uplink ISP-C); each rack has one unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from scenario_data import device, inventory, prefix, request, two_feed_rack, ups
from scenario_support import Scenario

MAIN, BACKUP = "dc-kominfo", "dc-cadangan"


def two_sites(
    *,
    full: tuple[str, ...] = (),
    uplinks: tuple[str, ...] = (MAIN, BACKUP),
    prefixes: Sequence[dict] = (),
) -> dict:
    """Both sites; ``full`` names the racks already taken, ``uplinks`` the sites with an uplink."""
    rk, fk = two_feed_rack("RK", u_height=1, site=MAIN, ups_a="UPS-K", ups_b="UPS-K")
    rc, fc = two_feed_rack("RC", u_height=1, site=BACKUP, ups_a="UPS-C", ups_b="UPS-C")
    links = {MAIN: "ISP-K", BACKUP: "ISP-C"}
    return inventory(
        racks=[rk, rc],
        power_feeds=fk + fc,
        ups_list=[ups("UPS-K", site=MAIN), ups("UPS-C", site=BACKUP)],
        uplinks=[{"name": links[s], "site": s, "capacity_mbps": 1000} for s in uplinks],
        prefixes=list(prefixes),
        devices=[device(f"SRV-{name}", name, 1) for name in full],
    )


def test_uplink_is_taken_from_the_racks_site(scenario: Scenario) -> None:
    scenario.load(two_sites(full=("RK",)))
    proposal = scenario.check(request(bandwidth_mbps=10))["proposal"]
    assert (proposal["site"], proposal["rack"], proposal["uplink"]) == (BACKUP, "RC", "ISP-C")


def test_site_bound_prefix_follows_the_rack_not_the_address_order(scenario: Scenario) -> None:
    nets = [
        prefix("10.1.0.0/24", "server", site=MAIN),
        prefix("10.2.0.0/24", "server", site=BACKUP),
    ]
    scenario.load(two_sites(full=("RK",), prefixes=nets))
    proposal = scenario.check(request(ipv4={"server": 1}))["proposal"]
    assert (proposal["rack"], proposal["ipv4"]) == ("RC", {"server": ["10.2.0.1"]})


def test_prefix_without_a_site_serves_any_site(scenario: Scenario) -> None:
    scenario.load(two_sites(full=("RK",), prefixes=[prefix("10.9.0.0/24", "server", site=None)]))
    proposal = scenario.check(request(ipv4={"server": 1}))["proposal"]
    assert (proposal["rack"], proposal["ipv4"]) == ("RC", {"server": ["10.9.0.1"]})


def test_siteless_prefix_competes_with_site_prefixes_in_address_order(scenario: Scenario) -> None:
    nets = [
        prefix("10.5.0.0/24", "server", site=BACKUP),
        prefix("10.0.0.0/24", "server", site=None),
    ]
    scenario.load(two_sites(full=("RK",), prefixes=nets))
    assert scenario.check(request(ipv4={"server": 1}))["proposal"]["ipv4"] == {
        "server": ["10.0.0.1"]
    }


def test_request_site_is_honoured_when_both_sites_have_room(scenario: Scenario) -> None:
    scenario.load(two_sites())
    proposal = scenario.check(request(site=BACKUP, bandwidth_mbps=10))["proposal"]
    assert (proposal["site"], proposal["rack"], proposal["uplink"]) == (BACKUP, "RC", "ISP-C")


def test_request_for_the_other_site_is_honoured_too(scenario: Scenario) -> None:
    scenario.load(two_sites())
    proposal = scenario.check(request(site=MAIN, bandwidth_mbps=10))["proposal"]
    assert (proposal["site"], proposal["rack"], proposal["uplink"]) == (MAIN, "RK", "ISP-K")


def test_request_site_keeps_its_prefixes(scenario: Scenario) -> None:
    nets = [
        prefix("10.1.0.0/24", "server", site=MAIN),
        prefix("10.2.0.0/24", "server", site=BACKUP),
    ]
    scenario.load(two_sites(prefixes=nets))
    proposal = scenario.check(request(site=BACKUP, ipv4={"server": 1}))["proposal"]
    assert proposal["ipv4"] == {"server": ["10.2.0.1"]}


def test_room_in_one_site_and_uplink_in_another_is_not_feasible(scenario: Scenario) -> None:
    # Space, power and UPS pass in dc-cadangan; bandwidth passes on ISP-K; no one site has both.
    scenario.load(two_sites(full=("RK",), uplinks=(MAIN,)))
    result = scenario.check(request(bandwidth_mbps=10))
    assert result["feasible"] is False
    assert result["proposal"] is None


def test_room_in_one_site_and_addresses_in_another_is_not_feasible(scenario: Scenario) -> None:
    scenario.load(two_sites(full=("RK",), prefixes=[prefix("10.1.0.0/24", "server", site=MAIN)]))
    result = scenario.check(request(ipv4={"server": 1}))
    assert result["feasible"] is False
    assert result["proposal"] is None


def test_the_one_site_offering_everything_is_found(scenario: Scenario) -> None:
    # dc-kominfo has the only uplink, dc-cadangan the only prefix, except a siteless one.
    nets = [
        prefix("10.2.0.0/24", "server", site=BACKUP),
        prefix("10.9.0.0/24", "server", site=None),
    ]
    scenario.load(two_sites(uplinks=(MAIN,), prefixes=nets))
    proposal = scenario.check(request(bandwidth_mbps=10, ipv4={"server": 1}))["proposal"]
    assert (proposal["site"], proposal["uplink"], proposal["ipv4"]) == (
        MAIN,
        "ISP-K",
        {"server": ["10.9.0.1"]},
    )


def test_site_with_the_only_uplink_is_chosen_when_both_have_room(scenario: Scenario) -> None:
    scenario.load(two_sites(uplinks=(BACKUP,)))
    proposal = scenario.check(request(bandwidth_mbps=10))["proposal"]
    assert (proposal["site"], proposal["rack"], proposal["uplink"]) == (BACKUP, "RC", "ISP-C")


def test_site_with_the_only_uplink_is_chosen_in_the_other_direction_too(scenario: Scenario) -> None:
    scenario.load(two_sites(uplinks=(MAIN,)))
    proposal = scenario.check(request(bandwidth_mbps=10))["proposal"]
    assert (proposal["site"], proposal["rack"], proposal["uplink"]) == (MAIN, "RK", "ISP-K")


def test_site_with_free_addresses_is_chosen_when_both_have_room(scenario: Scenario) -> None:
    nets = [
        prefix("10.1.0.0/30", "server", site=MAIN, reserved_ranges=["10.1.0.1-10.1.0.2"]),
        prefix("10.2.0.0/24", "server", site=BACKUP),
    ]
    scenario.load(two_sites(prefixes=nets))
    proposal = scenario.check(request(ipv4={"server": 1}))["proposal"]
    assert (proposal["site"], proposal["ipv4"]) == (BACKUP, {"server": ["10.2.0.1"]})


def test_request_site_without_the_needed_uplink_is_not_feasible(scenario: Scenario) -> None:
    scenario.load(two_sites(uplinks=(MAIN,)))
    result = scenario.check(request(site=BACKUP, bandwidth_mbps=10))
    assert result["feasible"] is False
    assert result["proposal"] is None
