"""The proposal says why it took its rack, and prefers headroom over habit at the warning level.

Two racks of 230 V x 32 A feeds: 5.888 W usable each (80 %), so the 60 %
warning level is 3.532,8 W. R01 holds the requesting OPD's server, R02 one
of Diskominfo's. The new server draws 600 W on both feeds (2N).
"""

from __future__ import annotations

from scenario_data import device, inventory, request, two_feed_rack
from scenario_support import Scenario


def two_racks(tenant_w: float, other_w: float) -> dict:
    """R01 with a BKPSDM server of ``tenant_w``, R02 with a Diskominfo one of ``other_w``."""
    r01, feeds_1 = two_feed_rack("R01")
    r02, feeds_2 = two_feed_rack("R02")
    devices = [
        device("BKPSDM-01", "R01", 1, power_w=tenant_w, feeds=["PDU-R01-A", "PDU-R01-B"]),
        device(
            "KOMINFO-01",
            "R02",
            1,
            power_w=other_w,
            feeds=["PDU-R02-A", "PDU-R02-B"],
            tenant="diskominfo",
        ),
    ]
    return inventory(racks=[r01, r02], power_feeds=feeds_1 + feeds_2, devices=devices)


def test_the_tenants_rack_is_passed_over_when_the_server_would_push_it_past_the_warning_level(
    scenario: Scenario,
) -> None:
    # R01: 3.000 + 600 = 3.600 W = 61,1 % >= 60 %; R02: 500 + 600 = 1.100 W = 18,7 %.
    result = scenario.load(two_racks(3000, 500)).check(request(power_w=600))
    assert result["proposal"]["rack"] == "R02"
    assert "R02 dipilih karena sisa dayanya" in result["summary"]
    assert (
        "rak OPD pemohon R01 akan mencapai 61,1% setelah server, melewati batas waspada 60%"
        in (result["summary"])
    )


def test_the_tenants_rack_is_kept_when_it_stays_below_the_warning_level(
    scenario: Scenario,
) -> None:
    # R01: 2.000 + 600 = 2.600 W = 44,2 %: the OPD's own rack, as before.
    result = scenario.load(two_racks(2000, 500)).check(request(power_w=600))
    assert result["proposal"]["rack"] == "R01"
    assert "R01 dipilih karena OPD pemohon sudah memiliki perangkat di rak itu" in result["summary"]
    assert "44,2%" in result["summary"]


def test_when_every_rack_would_pass_the_warning_level_the_usual_order_decides_and_says_so(
    scenario: Scenario,
) -> None:
    result = scenario.load(two_racks(3000, 3100)).check(request(power_w=600), lang="en")
    assert result["proposal"]["rack"] == "R01"
    assert result["summary"].endswith(
        "Note: every rack that fits would pass the 60% warning level; R01 was chosen by the usual"
        " order (the OPD's rack, racks in use, best-fitting block) and its fullest feed reaches"
        " 61.1%."
    )
