"""The worked example of ``tests/fixtures/spec-example/README.md``, evaluated on 2026-11-27."""

from __future__ import annotations

import pytest
from scenario_data import spec_inventory, spec_request
from scenario_support import Scenario, refused_names, refused_racks

ON = "2026-11-27"


@pytest.fixture
def example(scenario: Scenario) -> Scenario:
    """The example inventory, loaded."""
    return scenario.load(spec_inventory())


def test_simpeg_request_is_feasible(example: Scenario) -> None:
    result = example.check(spec_request("simpeg"), on=ON)
    assert result["feasible"] is True
    assert all(outcome["ok"] is True for outcome in result["checks"].values())


def test_simpeg_gets_the_first_free_public_address_after_gateway_reserved_used_and_held(
    example: Scenario,
) -> None:
    proposal = example.check(spec_request("simpeg"), on=ON)["proposal"]
    assert proposal["ipv4"] == {"public": ["203.0.113.7"], "server": ["10.10.1.2"]}
    assert proposal["ipv6"] == {}


def test_simpeg_goes_to_a_rack_with_room_and_power_never_r03_or_the_planned_r04(
    example: Scenario,
) -> None:
    proposal = example.check(spec_request("simpeg"), on=ON)["proposal"]
    assert proposal["site"] == "dc-kominfo"
    assert proposal["rack"] in ("R01", "R02")
    assert proposal["u_height"] == 2
    assert proposal["face"] == "front"
    assert proposal["full_depth"] is True
    assert sorted(proposal["feeds"]) == sorted(
        [f"PDU-{proposal['rack']}-A", f"PDU-{proposal['rack']}-B"]
    )
    assert sorted(proposal["ups"]) == ["UPS-A", "UPS-B"]
    assert proposal["fqdns"] == ["simpeg-dr.sumbawakab.go.id"]


def test_simpeg_uplink_is_one_with_room_for_50_mbps(example: Scenario) -> None:
    # ISP-1 carries 170 of 500 Mbps, ISP-2 none of 100: both can take 50 more.
    proposal = example.check(spec_request("simpeg"), on=ON)["proposal"]
    assert proposal["uplink"] in ("ISP-1", "ISP-2")


def test_too_big_request_is_not_feasible_with_proposal_null(example: Scenario) -> None:
    result = example.check(spec_request("too-big"), on=ON)
    assert result["feasible"] is False
    assert result["proposal"] is None


def test_too_big_request_has_space_but_no_power_so_ups_is_not_evaluated(
    example: Scenario,
) -> None:
    result = example.check(spec_request("too-big"), on=ON)
    checks = result["checks"]
    assert checks["space"]["ok"] is True
    # R01 and R02: 3000 W more exceeds their feeds; R03 has one feed for two supplies.
    assert refused_racks(result, "power") == {"R01": "over", "R02": "over", "R03": "few_feeds"}
    assert checks["ups"]["ok"] is None


def test_too_big_request_has_bandwidth_and_ip(example: Scenario) -> None:
    checks = example.check(spec_request("too-big"), on=ON)["checks"]
    assert checks["bandwidth"]["ok"] is True
    assert checks["ip"]["ok"] is True


def test_too_big_request_fails_the_domain_check_for_www(example: Scenario) -> None:
    result = example.check(spec_request("too-big"), on=ON)
    # www is a reserved label, and the example zone already has a www record.
    assert refused_names(result) == {"www.sumbawakab.go.id": ["reserved", "exists"]}
    assert "www" in result["checks"]["domain"]["message"]


def test_too_big_power_message_gives_the_numbers_of_the_readme(example: Scenario) -> None:
    # R01: 150 + 3000 > 2944, in Indonesian number formatting.
    message = example.check(spec_request("too-big"), on=ON)["checks"]["power"]["message"]
    assert "3.000" in message
    assert "2.944" in message


def test_check_exit_codes_follow_the_verdict(example: Scenario) -> None:
    feasible = example.check_run(
        example.file("simpeg", spec_request("simpeg")), "--on", ON, "--json"
    )
    not_feasible = example.check_run(
        example.file("too-big", spec_request("too-big")), "--on", ON, "--json"
    )
    assert (feasible.exit_code, not_feasible.exit_code) == (0, 1)


def test_check_changes_nothing(example: Scenario) -> None:
    before = example.export()
    example.check(spec_request("simpeg"), on=ON)
    example.check(spec_request("too-big"), on=ON)
    assert example.export() == before
