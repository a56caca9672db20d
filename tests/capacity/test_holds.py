"""Holds: reserve what a feasible proposal names, for a number of working days; release; commit.

Scenarios start from the contract's example room. Its own hold RSV-2026-0001
(R02 U20, 203.0.113.6, 10.10.1.12, sipd.sumbawakab.go.id) lives until 2026-12-15.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest
from scenario_data import inventory, request, spec_inventory, spec_request, two_feed_rack
from scenario_support import Scenario, one_json_document, refused_names

ON = "2026-11-27"  # a Friday


@pytest.fixture
def example(scenario: Scenario) -> Scenario:
    """The example inventory, loaded."""
    return scenario.load(spec_inventory())


def simpeg(domain: str = "simpeg-dr.sumbawakab.go.id", **changes: object) -> dict:
    """The example's feasible request, with another domain or other changes."""
    document = spec_request("simpeg")
    document["domains"] = [domain]
    return document | changes


def holds_of(scenario: Scenario) -> dict[str, dict]:
    """The holds in the export, by id."""
    return {entry["id"]: entry for entry in scenario.export().get("reservations") or []}


# --- reserve ----------------------------------------------------------------------------------


def test_reserve_prints_the_check_result_and_the_reservation(example: Scenario) -> None:
    checked = example.check(simpeg(), on=ON)
    reserved = example.reserve(simpeg(), on=ON)
    assert set(reserved["reservation"]) >= {"id", "expires_at"}
    assert reserved["proposal"] == checked["proposal"]


def test_reserve_holds_what_the_proposal_names(example: Scenario) -> None:
    reserved = example.reserve(simpeg(), on=ON)
    proposal, code = reserved["proposal"], reserved["reservation"]["id"]
    held = holds_of(example)[code]
    assert (held["rack"], held["position"], held["u_height"]) == (
        proposal["rack"],
        proposal["position"],
        proposal["u_height"],
    )
    assert sorted(held["feeds"]) == sorted(proposal["feeds"])
    assert held.get("uplink") == proposal["uplink"]
    assert sorted(held["ips"]) == ["10.10.1.2", "203.0.113.7"]
    assert held["fqdns"] == ["simpeg-dr.sumbawakab.go.id"]
    assert str(held["expires_at"]) == reserved["reservation"]["expires_at"]


def test_reserve_of_an_infeasible_request_exits_1_and_holds_nothing(example: Scenario) -> None:
    before = example.export()
    done = example.run(
        "reserve", example.file("too-big", spec_request("too-big")), "--on", ON, "--json"
    )
    assert done.exit_code == 1
    result = one_json_document(done.stdout)
    assert result["feasible"] is False
    assert result.get("reservation") is None
    assert example.export() == before


def test_reserve_needs_a_known_tenant(example: Scenario) -> None:
    before = example.export()
    done = example.run(
        "reserve", example.file("request", simpeg(tenant="dinas-tak-dikenal")), "--on", ON
    )
    assert done.exit_code == 2
    assert "tenant" in done.stderr
    assert example.export() == before


def test_second_reserve_never_reuses_held_units_addresses_or_names(example: Scenario) -> None:
    first = example.reserve(simpeg("simpeg-dr.sumbawakab.go.id"), on=ON)["proposal"]
    second = example.reserve(simpeg("simpeg-dr2.sumbawakab.go.id"), on=ON)["proposal"]
    assert second["ipv4"] == {"public": ["203.0.113.8"], "server": ["10.10.1.3"]}
    if second["rack"] == first["rack"]:
        first_units = set(range(first["position"], first["position"] + first["u_height"]))
        assert not first_units & set(
            range(second["position"], second["position"] + second["u_height"])
        )


def test_second_reserve_of_a_held_name_is_not_feasible(example: Scenario) -> None:
    example.reserve(simpeg(), on=ON)
    again = example.reserve(simpeg(), on=ON)
    assert refused_names(again) == {"simpeg-dr.sumbawakab.go.id": ["held"]}
    assert again.get("reservation") is None


def test_hold_counts_on_its_expiry_date_and_not_the_day_after(example: Scenario) -> None:
    expires = example.reserve(simpeg(), on=ON)["reservation"]["expires_at"]
    after = (dt.date.fromisoformat(expires) + dt.timedelta(days=1)).isoformat()
    asked = simpeg("lain.sumbawakab.go.id")
    assert example.check(asked, on=expires)["proposal"]["ipv4"]["public"] == ["203.0.113.8"]
    assert example.check(asked, on=after)["proposal"]["ipv4"]["public"] == ["203.0.113.7"]


# --- expiry in working days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expires_at"),
    [
        pytest.param("2026-11-27", "2026-12-11", id="two-plain-weeks"),
        pytest.param("2026-11-28", "2026-12-11", id="from-a-saturday"),
        pytest.param("2026-12-18", "2027-01-07", id="christmas-cuti-bersama-new-year-isra-miraj"),
        pytest.param("2026-03-16", "2026-04-07", id="nyepi-idul-fitri-cuti-bersama-good-friday"),
    ],
)
def test_hold_lives_ten_working_days(scenario: Scenario, on: str, expires_at: str) -> None:
    # The room has no holds of its own, so that any date works.
    scenario.load(inventory())
    assert scenario.reserve(request(), on=on)["reservation"]["expires_at"] == expires_at


def test_policy_sets_how_many_working_days_a_hold_lives(scenario: Scenario) -> None:
    scenario.load(inventory(policy={"reservation_working_days": 3}))
    assert scenario.reserve(request(), on="2026-11-27")["reservation"]["expires_at"] == "2026-12-02"


# --- release ----------------------------------------------------------------------------------


def test_release_frees_units_addresses_and_names(example: Scenario) -> None:
    before = example.check(simpeg(), on=ON)["proposal"]
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    done = example.run("release", code)
    assert done.exit_code == 0, done.stderr
    assert code not in holds_of(example)
    assert example.check(simpeg(), on=ON)["proposal"] == before


def test_release_of_an_unknown_hold_is_an_input_error(example: Scenario) -> None:
    done = example.run("release", "RSV-2026-9999")
    assert done.exit_code == 2
    assert "RSV-2026-9999" in done.stderr


def test_release_twice_is_an_input_error(example: Scenario) -> None:
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    assert example.run("release", code).exit_code == 0
    assert example.run("release", code).exit_code == 2


# --- commit -----------------------------------------------------------------------------------


def test_commit_installs_a_device_where_the_hold_was(example: Scenario) -> None:
    reserved = example.reserve(simpeg(), on=ON)
    proposal, code = reserved["proposal"], reserved["reservation"]["id"]
    done = example.run("commit", code, "--name", "SRV-SIMPEG-DR", "--serial", "CN7X2", "--on", ON)
    assert done.exit_code == 0, done.stderr
    exported = example.export()
    installed = {d["name"]: d for d in exported["devices"]}["SRV-SIMPEG-DR"]
    assert (installed["rack"], installed["position"], installed["u_height"]) == (
        proposal["rack"],
        proposal["position"],
        2,
    )
    assert sorted(installed["feeds"]) == sorted(proposal["feeds"])
    assert float(installed["power_w"]) == 450
    assert installed.get("serial") == "CN7X2"
    assert installed.get("tenant") == "bkpsdm"
    assert code not in {h["id"] for h in exported.get("reservations") or []}


def test_commit_gives_the_device_the_holds_addresses(example: Scenario) -> None:
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    assert example.run("commit", code, "--name", "SRV-SIMPEG-DR", "--on", ON).exit_code == 0
    owned = {
        a["address"] for a in example.export()["ip_addresses"] if a.get("device") == "SRV-SIMPEG-DR"
    }
    assert owned == {"203.0.113.7", "10.10.1.2"}


def test_commit_points_the_names_at_the_first_public_addresses(example: Scenario) -> None:
    asked = simpeg(ipv6={"public": 1})
    code = example.reserve(asked, on=ON)["reservation"]["id"]
    assert example.run("commit", code, "--name", "SRV-SIMPEG-DR", "--on", ON).exit_code == 0
    zone = {z["name"]: z for z in example.export()["zones"]}["sumbawakab.go.id"]
    records = {
        (r["type"], str(ipaddress.ip_address(r["value"])))
        for r in zone["records"]
        if r["name"] == "simpeg-dr"
    }
    assert records == {("A", "203.0.113.7"), ("AAAA", "2001:db8:10::2")}


def test_committed_device_keeps_its_units_and_addresses(example: Scenario) -> None:
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    assert example.run("commit", code, "--name", "SRV-SIMPEG-DR", "--on", ON).exit_code == 0
    later = example.check(simpeg("lain.sumbawakab.go.id"), on="2027-06-01")
    assert later["proposal"]["ipv4"] == {"public": ["203.0.113.6"], "server": ["10.10.1.3"]}


def test_committed_name_is_no_longer_free(example: Scenario) -> None:
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    assert example.run("commit", code, "--name", "SRV-SIMPEG-DR", "--on", ON).exit_code == 0
    # The committed device's name is now a record of the zone.
    later = example.check(simpeg(), on="2027-06-01")
    assert refused_names(later) == {"simpeg-dr.sumbawakab.go.id": ["exists"]}


def test_commit_refuses_an_expired_hold(example: Scenario) -> None:
    reserved = example.reserve(simpeg(), on=ON)["reservation"]
    before = example.export()
    done = example.run("commit", reserved["id"], "--name", "SRV-SIMPEG-DR", "--on", "2026-12-14")
    assert done.exit_code == 2
    assert reserved["expires_at"] < "2026-12-14"
    assert example.export() == before


def test_commit_on_the_expiry_date_is_still_allowed(example: Scenario) -> None:
    reserved = example.reserve(simpeg(), on=ON)["reservation"]
    done = example.run(
        "commit", reserved["id"], "--name", "SRV-SIMPEG-DR", "--on", reserved["expires_at"]
    )
    assert done.exit_code == 0, done.stderr


def test_commit_refuses_a_device_name_already_taken(example: Scenario) -> None:
    code = example.reserve(simpeg(), on=ON)["reservation"]["id"]
    before = example.export()
    done = example.run("commit", code, "--name", "SW-CORE-01", "--on", ON)
    assert done.exit_code == 2
    assert "SW-CORE-01" in done.stderr
    assert example.export() == before


def test_commit_of_an_unknown_hold_is_an_input_error(example: Scenario) -> None:
    assert example.run("commit", "RSV-2026-9999", "--name", "SRV-X", "--on", ON).exit_code == 2


# --- export -----------------------------------------------------------------------------------


def test_export_after_reserve_round_trips_through_load(example: Scenario, tmp_path: Path) -> None:
    example.reserve(simpeg(), on=ON)
    exported = example.export()
    (tmp_path / "copy").mkdir()
    copy = Scenario(
        f"sqlite:///{tmp_path / 'copy' / 'dcim.db'}", example.run_cli, tmp_path / "copy"
    )
    copy.load(exported)
    assert copy.export() == exported


def test_hold_of_a_half_depth_single_psu_server_is_exported_as_such(scenario: Scenario) -> None:
    r01, feeds = two_feed_rack("R01", u_height=1)
    scenario.load(inventory(racks=[r01], power_feeds=feeds))
    code = scenario.reserve(request(full_depth=False, psu=1))["reservation"]["id"]
    held = holds_of(scenario)[code]
    assert (held.get("full_depth"), len(held["feeds"]), held.get("face", "front")) == (
        False,
        1,
        "front",
    )
