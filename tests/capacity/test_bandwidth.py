"""Bandwidth: an uplink keeps committed + requested within capacity x oversubscription."""

from __future__ import annotations

from scenario_data import DAY, SITE, device, hold, inventory, request
from scenario_support import Scenario


def uplink(name: str, capacity_mbps: float, site: str = SITE) -> dict:
    """An uplink entry."""
    return {"name": name, "site": site, "capacity_mbps": capacity_mbps}


def user(name: str, mbps: float, link: str = "ISP-1", position: int = 1, **fields: object) -> dict:
    """A device in R01 committing bandwidth on an uplink."""
    return device(name, "R01", position, uplink=link, bandwidth_mbps=mbps, **fields)


def short_mbps(result: dict) -> dict[str, float]:
    """Each uplink by the Mbps it would be short with the server, once the check failed."""
    outcome = result["checks"]["bandwidth"]
    assert outcome["ok"] is False, outcome["message"]
    assert result["feasible"] is False
    wanted = outcome["requested_mbps"]
    return {
        u["uplink"]: round(u["committed_mbps"] + wanted - u["usable_mbps"], 3)
        for u in outcome["uplinks"]
    }


def test_no_bandwidth_needs_no_uplink_and_proposes_none(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[]))
    result = scenario.check(request(bandwidth_mbps=0))
    assert result["checks"]["bandwidth"]["ok"] is True
    assert result["proposal"]["uplink"] is None


def test_bandwidth_defaults_to_zero(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[]))
    assert scenario.check(request(bandwidth_mbps=None))["proposal"]["uplink"] is None


def test_bandwidth_without_any_uplink_fails(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[]))
    assert short_mbps(scenario.check(request(bandwidth_mbps=10))) == {}


def test_bandwidth_of_exactly_the_uplink_capacity_fits(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], devices=[user("SRV-01", 60)]))
    result = scenario.check(request(bandwidth_mbps=40))
    assert result["proposal"]["uplink"] == "ISP-1"


def test_bandwidth_one_mbps_over_the_uplink_capacity_fails(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], devices=[user("SRV-01", 60)]))
    assert short_mbps(scenario.check(request(bandwidth_mbps=41))) == {"ISP-1": 1}


def test_bandwidth_failing_leaves_the_rack_checks_ok(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], devices=[user("SRV-01", 60)]))
    checks = scenario.check(request(bandwidth_mbps=41))["checks"]
    assert [checks[name]["ok"] for name in ("space", "power", "ups", "ip", "domain")] == [True] * 5


def test_oversubscription_multiplies_the_usable_bandwidth(scenario: Scenario) -> None:
    scenario.load(
        inventory(
            uplinks=[uplink("ISP-1", 100)],
            devices=[user("SRV-01", 150)],
            policy={"bandwidth_oversubscription": 2.0},
        )
    )
    assert scenario.check(request(bandwidth_mbps=50))["feasible"] is True
    assert short_mbps(scenario.check(request(bandwidth_mbps=51))) == {"ISP-1": 1}


def test_decimal_commitments_add_up_exactly_to_the_capacity(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], devices=[user("SRV-01", 99.5)]))
    assert scenario.check(request(bandwidth_mbps=0.5))["feasible"] is True
    assert short_mbps(scenario.check(request(bandwidth_mbps=0.501))) == {"ISP-1": 0.001}


def test_uplink_with_room_is_chosen_over_a_full_one(scenario: Scenario) -> None:
    scenario.load(
        inventory(
            uplinks=[uplink("ISP-1", 100), uplink("ISP-2", 100)], devices=[user("SRV-01", 100)]
        )
    )
    assert scenario.check(request(bandwidth_mbps=20))["proposal"]["uplink"] == "ISP-2"


def test_device_of_every_status_commits_its_bandwidth(scenario: Scenario) -> None:
    scenario.load(
        inventory(uplinks=[uplink("ISP-1", 100)], devices=[user("SRV-01", 60, status="offline")])
    )
    assert short_mbps(scenario.check(request(bandwidth_mbps=41))) == {"ISP-1": 1}


def test_live_hold_commits_its_bandwidth(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY, uplink="ISP-1", bandwidth_mbps=60)
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], reservations=[held]))
    assert short_mbps(scenario.check(request(bandwidth_mbps=41), on=DAY)) == {"ISP-1": 1}


def test_expired_hold_commits_no_bandwidth(scenario: Scenario) -> None:
    held = hold(
        "RSV-2026-0100", "R01", 1, expires_at="2026-11-26", uplink="ISP-1", bandwidth_mbps=60
    )
    scenario.load(inventory(uplinks=[uplink("ISP-1", 100)], reservations=[held]))
    assert scenario.check(request(bandwidth_mbps=100), on=DAY)["proposal"]["uplink"] == "ISP-1"


def test_fractional_oversubscription_is_compared_exactly(scenario: Scenario) -> None:
    scenario.load(
        inventory(
            uplinks=[uplink("ISP-1", 100)],
            devices=[user("SRV-01", 100)],
            policy={"bandwidth_oversubscription": 1.5},
        )
    )
    assert scenario.check(request(bandwidth_mbps=50))["feasible"] is True
    assert short_mbps(scenario.check(request(bandwidth_mbps=50.001))) == {"ISP-1": 0.001}


def test_no_bandwidth_proposes_no_uplink_even_when_one_has_room(scenario: Scenario) -> None:
    scenario.load(inventory(uplinks=[uplink("ISP-1", 1000)]))
    assert scenario.check(request(bandwidth_mbps=0))["proposal"]["uplink"] is None
