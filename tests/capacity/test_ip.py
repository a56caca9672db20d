"""IP address: first available per role, the n lowest free addresses of ONE prefix."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from scenario_data import DAY, hold, inventory, prefix, request
from scenario_support import Scenario
from sqlalchemy import select

from dcim.db import get_engine, read_session
from dcim.models import Prefix
from dcim.occupancy import free_run


def addresses(
    scenario: Scenario,
    prefixes: list[dict],
    *,
    used: Sequence[str] = (),
    holds: Sequence[dict] = (),
    on: str = DAY,
    **asked: dict,
) -> dict:
    """Load the prefixes (and used addresses, holds) and return the proposal's ipv4 and ipv6."""
    scenario.load(
        inventory(
            prefixes=prefixes,
            ip_addresses=[{"address": address} for address in used],
            reservations=list(holds),
        )
    )
    result = scenario.check(request(**asked), on=on)
    assert result["checks"]["ip"]["ok"] is True, result["checks"]["ip"]["message"]
    return {"ipv4": result["proposal"]["ipv4"], "ipv6": result["proposal"]["ipv6"]}


def ip_verdict(
    scenario: Scenario, prefixes: list[dict], *, used: Sequence[str] = (), **asked: dict
) -> dict:
    """Load the prefixes and return the whole result of the check."""
    scenario.load(inventory(prefixes=prefixes, ip_addresses=[{"address": a} for a in used]))
    return scenario.check(request(**asked))


def unmet(result: dict, role: str, family: int = 4) -> dict[str, int]:
    """The free addresses of each prefix of a role the IP check could not satisfy.

    The role's entry must have no addresses and the check must fail: the free counts are
    the reason (too few in any one prefix, or no prefix of that role and family at all).
    """
    outcome = result["checks"]["ip"]
    assert outcome["ok"] is False, outcome["message"]
    assert result["feasible"] is False
    (entry,) = [e for e in outcome["roles"] if (e["role"], e["family"]) == (role, family)]
    assert "addresses" not in entry, f"{role} was given {entry['addresses']}"
    return {p["prefix"]: p["free"] for p in entry["prefixes"]}


# --- what is usable ---------------------------------------------------------------------------


def test_network_address_is_never_allocated(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.0/24", "server")], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.1"]}


def test_gateway_is_never_allocated(scenario: Scenario) -> None:
    got = addresses(
        scenario, [prefix("10.0.0.0/24", "server", gateway="10.0.0.1")], ipv4={"server": 1}
    )
    assert got["ipv4"] == {"server": ["10.0.0.2"]}


def test_gateway_in_the_middle_is_skipped(scenario: Scenario) -> None:
    got = addresses(
        scenario, [prefix("10.0.0.0/29", "server", gateway="10.0.0.2")], ipv4={"server": 2}
    )
    assert got["ipv4"] == {"server": ["10.0.0.1", "10.0.0.3"]}


def test_reserved_ranges_are_never_allocated(scenario: Scenario) -> None:
    net = prefix(
        "10.0.0.0/24", "server", reserved_ranges=["10.0.0.1-10.0.0.5", "10.0.0.7-10.0.0.7"]
    )
    got = addresses(scenario, [net], ipv4={"server": 2})
    assert got["ipv4"] == {"server": ["10.0.0.6", "10.0.0.8"]}


def test_broadcast_address_is_never_allocated(scenario: Scenario) -> None:
    net = prefix("10.0.0.0/29", "server")
    got = addresses(scenario, [net], used=[f"10.0.0.{i}" for i in range(1, 6)], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.6"]}


def test_slash_30_gives_two_addresses(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.0/30", "server")], ipv4={"server": 2})
    assert got["ipv4"] == {"server": ["10.0.0.1", "10.0.0.2"]}


def test_slash_30_has_no_third_address(scenario: Scenario) -> None:
    result = ip_verdict(scenario, [prefix("10.0.0.0/30", "server")], ipv4={"server": 3})
    assert unmet(result, "server") == {"10.0.0.0/30": 2}


def test_pool_keeps_network_and_broadcast_addresses(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.0/30", "server", is_pool=True)], ipv4={"server": 4})
    assert got["ipv4"] == {"server": ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"]}


def test_pool_starts_at_its_network_address(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.0/24", "server", is_pool=True)], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.0"]}


def test_slash_31_keeps_both_addresses(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.0/31", "link")], ipv4={"link": 2})
    assert got["ipv4"] == {"link": ["10.0.0.0", "10.0.0.1"]}


def test_slash_32_keeps_its_one_address(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("10.0.0.7/32", "loopback")], ipv4={"loopback": 1})
    assert got["ipv4"] == {"loopback": ["10.0.0.7"]}


# --- first available --------------------------------------------------------------------------


def test_the_lowest_free_addresses_are_taken(scenario: Scenario) -> None:
    got = addresses(
        scenario,
        [prefix("10.0.0.0/24", "server")],
        used=["10.0.0.2", "10.0.0.4"],
        ipv4={"server": 3},
    )
    assert got["ipv4"] == {"server": ["10.0.0.1", "10.0.0.3", "10.0.0.5"]}


def test_a_free_run_is_found_past_a_taken_start_and_ends_at_the_next_used_address(
    scenario: Scenario,
) -> None:
    # Offsets 1-3 and 7 are used: asked from 1 (taken), the run is 4-6, ended by 7; asked from
    # a free offset, that offset begins it; past the last used one it runs to the end.
    scenario.load(
        inventory(
            prefixes=[prefix("10.0.0.0/24", "server")],
            ip_addresses=[{"address": a} for a in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.7")],
        )
    )
    with read_session(get_engine(scenario.db_url)) as session:
        prefix_id = session.scalar(select(Prefix.id))
        assert free_run(session, prefix_id, 1, 254) == (4, 7)
        assert free_run(session, prefix_id, 5, 254) == (5, 7)
        assert free_run(session, prefix_id, 8, 254) == (8, None)
        assert free_run(session, prefix_id, 1, 3) is None, "1-3 are all used"


@pytest.mark.parametrize("status", ["active", "reserved", "dhcp", "deprecated"])
def test_address_of_every_status_is_used(scenario: Scenario, status: str) -> None:
    scenario.load(
        inventory(
            prefixes=[prefix("10.0.0.0/24", "server")],
            ip_addresses=[{"address": "10.0.0.1", "status": status}],
        )
    )
    assert scenario.check(request(ipv4={"server": 1}))["proposal"]["ipv4"] == {
        "server": ["10.0.0.2"]
    }


def test_all_addresses_of_a_role_come_from_one_prefix(scenario: Scenario) -> None:
    # 10.0.0.0/29 has only .6 free; two addresses come whole from the next prefix.
    nets = [prefix("10.0.0.0/29", "server"), prefix("10.0.1.0/29", "server")]
    got = addresses(scenario, nets, used=[f"10.0.0.{i}" for i in range(1, 6)], ipv4={"server": 2})
    assert got["ipv4"] == {"server": ["10.0.1.1", "10.0.1.2"]}


def test_a_single_address_still_comes_from_the_first_prefix(scenario: Scenario) -> None:
    nets = [prefix("10.0.0.0/29", "server"), prefix("10.0.1.0/29", "server")]
    got = addresses(scenario, nets, used=[f"10.0.0.{i}" for i in range(1, 6)], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.6"]}


def test_addresses_are_never_split_across_prefixes(scenario: Scenario) -> None:
    # Two /30s hold two usable addresses each: four in all, but never three in one.
    nets = [prefix("10.0.0.0/30", "server"), prefix("10.0.0.4/30", "server")]
    result = ip_verdict(scenario, nets, ipv4={"server": 3})
    assert unmet(result, "server") == {"10.0.0.0/30": 2, "10.0.0.4/30": 2}
    assert result["feasible"] is False


def test_prefixes_are_taken_in_ascending_address_order_not_file_order(scenario: Scenario) -> None:
    nets = [prefix("10.0.10.0/29", "server"), prefix("10.0.9.0/29", "server")]
    got = addresses(scenario, nets, ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.9.1"]}


def test_each_role_gets_its_own_prefix(scenario: Scenario) -> None:
    nets = [
        prefix("203.0.113.0/28", "public", gateway="203.0.113.1"),
        prefix("10.10.1.0/24", "server", gateway="10.10.1.1"),
        prefix("10.10.99.0/24", "management", gateway="10.10.99.1"),
    ]
    got = addresses(scenario, nets, ipv4={"public": 1, "server": 2})
    assert got["ipv4"] == {"public": ["203.0.113.2"], "server": ["10.10.1.2", "10.10.1.3"]}


def test_live_hold_uses_its_addresses(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 40, expires_at=DAY, ips=["10.0.0.1"])
    got = addresses(scenario, [prefix("10.0.0.0/24", "server")], holds=[held], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.2"]}


def test_expired_hold_frees_its_addresses(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 40, expires_at="2026-11-26", ips=["10.0.0.1"])
    got = addresses(scenario, [prefix("10.0.0.0/24", "server")], holds=[held], ipv4={"server": 1})
    assert got["ipv4"] == {"server": ["10.0.0.1"]}


# --- roles and families -----------------------------------------------------------------------


def test_role_without_a_prefix_fails(scenario: Scenario) -> None:
    result = ip_verdict(scenario, [prefix("10.0.0.0/24", "server")], ipv4={"dmz": 1})
    assert unmet(result, "dmz") == {}


def test_role_with_too_few_free_addresses_fails(scenario: Scenario) -> None:
    result = ip_verdict(
        scenario, [prefix("10.0.0.0/30", "server")], used=["10.0.0.1"], ipv4={"server": 2}
    )
    assert unmet(result, "server") == {"10.0.0.0/30": 1}


def test_ip_failing_leaves_the_other_checks_ok(scenario: Scenario) -> None:
    checks = ip_verdict(scenario, [prefix("10.0.0.0/24", "server")], ipv4={"dmz": 1})["checks"]
    assert [checks[n]["ok"] for n in ("space", "power", "ups", "bandwidth", "domain")] == [True] * 5


def test_no_roles_asked_is_ok_with_empty_maps(scenario: Scenario) -> None:
    scenario.load(inventory(prefixes=[]))
    result = scenario.check(request())
    assert result["checks"]["ip"]["ok"] is True
    assert (result["proposal"]["ipv4"], result["proposal"]["ipv6"]) == ({}, {})


def test_ipv6_role_is_served_from_an_ipv6_prefix(scenario: Scenario) -> None:
    nets = [prefix("203.0.113.0/24", "public"), prefix("2001:db8:10::/64", "public")]
    got = addresses(scenario, nets, ipv4={"public": 1}, ipv6={"public": 1})
    assert got["ipv4"] == {"public": ["203.0.113.1"]}
    assert got["ipv6"] == {"public": ["2001:db8:10::1"]}


def test_ipv6_role_with_only_ipv4_prefixes_fails(scenario: Scenario) -> None:
    result = ip_verdict(scenario, [prefix("10.0.0.0/24", "server")], ipv6={"server": 1})
    assert unmet(result, "server", family=6) == {}


def test_ipv4_role_with_only_ipv6_prefixes_fails(scenario: Scenario) -> None:
    result = ip_verdict(scenario, [prefix("2001:db8:10::/64", "server")], ipv4={"server": 1})
    assert unmet(result, "server") == {}


# --- IPv6 -------------------------------------------------------------------------------------


def test_ipv6_subnet_router_anycast_is_never_allocated(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("2001:db8:10::/64", "public")], ipv6={"public": 2})
    assert got["ipv6"] == {"public": ["2001:db8:10::1", "2001:db8:10::2"]}


def test_ipv6_gateway_is_never_allocated(scenario: Scenario) -> None:
    net = prefix("2001:db8:10::/64", "public", gateway="2001:db8:10::1")
    assert addresses(scenario, [net], ipv6={"public": 1})["ipv6"] == {"public": ["2001:db8:10::2"]}


def test_ipv6_slash_126_keeps_its_last_three_addresses(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("2001:db8:10::/126", "link")], ipv6={"link": 3})
    assert got["ipv6"] == {"link": ["2001:db8:10::1", "2001:db8:10::2", "2001:db8:10::3"]}


def test_ipv6_slash_126_has_no_fourth_address(scenario: Scenario) -> None:
    result = ip_verdict(scenario, [prefix("2001:db8:10::/126", "link")], ipv6={"link": 4})
    assert unmet(result, "link", family=6) == {"2001:db8:10::/126": 3}


def test_ipv6_slash_127_keeps_both_addresses(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("2001:db8:10::/127", "link")], ipv6={"link": 2})
    assert got["ipv6"] == {"link": ["2001:db8:10::", "2001:db8:10::1"]}


def test_ipv6_slash_128_keeps_its_one_address(scenario: Scenario) -> None:
    got = addresses(scenario, [prefix("2001:db8:10::5/128", "loopback")], ipv6={"loopback": 1})
    assert got["ipv6"] == {"loopback": ["2001:db8:10::5"]}


def test_ipv6_pool_starts_at_its_first_address(scenario: Scenario) -> None:
    net = prefix("2001:db8:10::/64", "public", is_pool=True)
    assert addresses(scenario, [net], ipv6={"public": 1})["ipv6"] == {"public": ["2001:db8:10::"]}


def test_ipv6_used_addresses_are_skipped(scenario: Scenario) -> None:
    got = addresses(
        scenario,
        [prefix("2001:db8:10::/64", "public")],
        used=["2001:db8:10::1", "2001:db8:10::3"],
        ipv6={"public": 2},
    )
    assert got["ipv6"] == {"public": ["2001:db8:10::2", "2001:db8:10::4"]}


def test_ipv6_prefixes_are_taken_in_ascending_address_order(scenario: Scenario) -> None:
    nets = [prefix("2001:db8:a::/64", "public"), prefix("2001:db8:9::/64", "public")]
    got = addresses(scenario, nets, ipv6={"public": 1})
    assert got["ipv6"] == {"public": ["2001:db8:9::1"]}


def test_ipv6_reserved_range_is_never_allocated(scenario: Scenario) -> None:
    net = prefix("2001:db8:10::/64", "public", reserved_ranges=["2001:db8:10::1-2001:db8:10::ff"])
    assert addresses(scenario, [net], ipv6={"public": 1})["ipv6"] == {
        "public": ["2001:db8:10::100"]
    }


def test_live_hold_uses_its_ipv6_addresses(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 40, expires_at=DAY, ips=["2001:db8:10::1"])
    got = addresses(
        scenario, [prefix("2001:db8:10::/64", "public")], holds=[held], ipv6={"public": 1}
    )
    assert got["ipv6"] == {"public": ["2001:db8:10::2"]}


def test_prefix_wholly_reserved_offers_nothing(scenario: Scenario) -> None:
    net = prefix("10.0.0.0/29", "server", reserved_ranges=["10.0.0.1-10.0.0.6"])
    assert unmet(ip_verdict(scenario, [net], ipv4={"server": 1}), "server") == {"10.0.0.0/29": 0}
