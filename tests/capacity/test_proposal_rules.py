"""The independent rule checker itself: it passes a valid proposal and names every broken rule.

Every other test in this package trusts :func:`proposal_rules.proposal_violations`
to catch a proposal that breaks the rules; these tests make sure it can.
The valid proposal is the one worked out by hand for the contract's example:
R02 U13-U14 (R02 holds U10-U12 and the hold at U20), both R02 feeds,
203.0.113.7 and 10.10.1.2.
"""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from proposal_rules import expected_addresses, feed_fits, normalise, proposal_violations
from scenario_data import feed, prefix, spec_inventory, spec_request

ON = "2026-11-27"

VALID = {
    "site": "dc-kominfo",
    "rack": "R02",
    "position": 13,
    "u_height": 2,
    "face": "front",
    "full_depth": True,
    "feeds": ["PDU-R02-A", "PDU-R02-B"],
    "ups": ["UPS-A", "UPS-B"],
    "uplink": "ISP-1",
    "ipv4": {"public": ["203.0.113.7"], "server": ["10.10.1.2"]},
    "ipv6": {},
    "fqdns": ["simpeg-dr.sumbawakab.go.id"],
}


def violations(changes: dict | None = None, server: dict | None = None) -> list[str]:
    """What the checker says of the valid proposal with some keys changed."""
    proposal = copy.deepcopy(VALID) | (changes or {})
    document = spec_request("simpeg")
    if server:
        document["server"] = document["server"] | server
    return proposal_violations(spec_inventory(), document, ON, proposal)


def test_the_hand_worked_proposal_is_valid() -> None:
    assert violations() == []


def test_the_next_free_block_of_r01_is_valid_too() -> None:
    assert violations({"rack": "R01", "position": 2, "feeds": ["PDU-R01-B", "PDU-R01-A"]}) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        pytest.param({"position": 11}, "taken", id="occupied-units"),
        pytest.param({"position": 19}, "taken", id="units-of-a-live-hold"),
        pytest.param({"position": 42}, "outside", id="outside-the-rack"),
        pytest.param({"rack": "R04", "feeds": []}, "active", id="planned-rack"),
        pytest.param({"rack": "R01", "position": 1}, "taken", id="unusable-unit"),
        pytest.param(
            {"feeds": ["PDU-R01-A", "PDU-R01-B"]}, "not a feed of rack", id="feeds-of-another-rack"
        ),
        pytest.param({"feeds": ["PDU-R02-A"]}, "distinct feeds", id="too-few-feeds"),
        pytest.param({"ups": ["UPS-A"]}, "UPS behind", id="ups-left-out"),
        pytest.param({"uplink": None}, "uplink", id="no-uplink-for-bandwidth"),
        pytest.param({"uplink": "ISP-9"}, "uplink", id="unknown-uplink"),
        pytest.param({"site": "dc-lain"}, "site", id="wrong-site"),
        pytest.param({"face": "rear"}, "front", id="rear-face"),
        pytest.param({"u_height": 1}, "u_height", id="wrong-height"),
        pytest.param(
            {"ipv4": {"public": ["203.0.113.6"], "server": ["10.10.1.2"]}},
            "first available",
            id="held-address",
        ),
        pytest.param(
            {"ipv4": {"public": ["203.0.113.8"], "server": ["10.10.1.2"]}},
            "first available",
            id="not-the-lowest",
        ),
        pytest.param({"ipv4": {"public": ["203.0.113.7"]}}, "roles", id="role-left-out"),
        pytest.param({"fqdns": ["www.sumbawakab.go.id"]}, "fqdns", id="other-name"),
    ],
)
def test_checker_names_the_broken_rule(changes: dict, words: str) -> None:
    found = violations(changes)
    assert any(words in line for line in found), found


def test_checker_finds_a_rack_overweight() -> None:
    # R02 carries 64 kg; 537 kg more is over its 600 kg.
    assert any("weight" in line for line in violations(server={"weight_kg": 537}))
    assert violations(server={"weight_kg": 536}) == []


def test_checker_finds_a_feed_overloaded() -> None:
    # R02's feeds carry 1100 W under 2N; 1844 W more is exactly 2944.
    assert violations(server={"power_w": 1844}) == []
    assert any("feed PDU-R02-A" in line for line in violations(server={"power_w": 1845}))


def test_checker_finds_a_name_that_breaks_a_domain_rule() -> None:
    document = spec_request("simpeg")
    document["domains"] = ["sipd.sumbawakab.go.id"]
    found = proposal_violations(
        spec_inventory(), document, ON, VALID | {"fqdns": ["sipd.sumbawakab.go.id"]}
    )
    assert any("held" in line for line in found), found


def test_three_phase_limit_is_compared_exactly() -> None:
    three = feed("F", voltage=400, amperage=16, phase="three")
    policy = {"feed_max_utilization": 80}
    assert feed_fits(three, Fraction(8868), policy)
    assert not feed_fits(three, Fraction(8869), policy)


@pytest.mark.parametrize(
    ("cidr", "extra", "count", "expected"),
    [
        ("10.0.0.0/30", {}, 2, ["10.0.0.1", "10.0.0.2"]),
        ("10.0.0.0/30", {"is_pool": True}, 1, ["10.0.0.0"]),
        ("10.0.0.0/31", {}, 2, ["10.0.0.0", "10.0.0.1"]),
        ("2001:db8::/126", {}, 3, ["2001:db8::1", "2001:db8::2", "2001:db8::3"]),
        ("2001:db8::/127", {}, 2, ["2001:db8::", "2001:db8::1"]),
        (
            "10.0.0.0/24",
            {"gateway": "10.0.0.1", "reserved_ranges": ["10.0.0.2-10.0.0.9"]},
            1,
            ["10.0.0.10"],
        ),
    ],
)
def test_checker_knows_which_addresses_are_usable(
    cidr: str, extra: dict, count: int, expected: list
) -> None:
    inventory = {"prefixes": [prefix(cidr, "r", **extra)]}
    family = 6 if ":" in cidr else 4
    assert expected_addresses(inventory, ON, "r", family, count, "dc-kominfo") == expected


def test_checker_never_splits_a_role_across_prefixes() -> None:
    inventory = {"prefixes": [prefix("10.0.0.0/30", "r"), prefix("10.0.0.4/30", "r")]}
    assert expected_addresses(inventory, ON, "r", 4, 3, "dc-kominfo") is None


def test_checker_normalises_names_like_the_contract() -> None:
    assert normalise("Bücher.SumbawaKab.go.id.") == "xn--bcher-kva.sumbawakab.go.id"
