"""Space (Tempat): free units on the faces the server needs, inside an active rack, within its weight limit."""

from __future__ import annotations

import pytest
from scenario_data import DAY, device, feed, hold, inventory, rack, request, two_feed_rack, ups
from scenario_support import Scenario, refused_racks

DAY_BEFORE = "2026-11-26"
DAY_AFTER = "2026-11-28"


def one_rack(u_height: int = 42, **fields: object) -> dict:
    """The default server room with R01 of the given height and fields."""
    r01, feeds = two_feed_rack("R01", u_height=u_height, **fields)
    return {"racks": [r01], "power_feeds": feeds}


def verdicts(result: dict) -> tuple:
    """The ok of space, power and UPS, in that order."""
    return tuple(result["checks"][name]["ok"] for name in ("space", "power", "ups"))


# --- faces ------------------------------------------------------------------------------------


def test_full_depth_server_needs_the_rear_face_free_too(scenario: Scenario) -> None:
    patch = device("PATCH-01", "R01", 1, face="rear", full_depth=False)
    scenario.load(inventory(**one_rack(1), devices=[patch]))
    result = scenario.check(request(full_depth=True))
    assert verdicts(result) == (False, None, None)
    assert refused_racks(result, "space") == {"R01": "no_block"}


def test_half_depth_server_fits_in_front_of_a_half_depth_rear_device(scenario: Scenario) -> None:
    patch = device("PATCH-01", "R01", 1, face="rear", full_depth=False)
    scenario.load(inventory(**one_rack(1), devices=[patch]))
    proposal = scenario.check(request(full_depth=False))["proposal"]
    assert (proposal["rack"], proposal["position"], proposal["face"]) == ("R01", 1, "front")
    assert proposal["full_depth"] is False


def test_half_depth_front_device_takes_the_front_face(scenario: Scenario) -> None:
    switch = device("SW-01", "R01", 1, face="front", full_depth=False)
    scenario.load(inventory(**one_rack(1), devices=[switch]))
    assert refused_racks(scenario.check(request(full_depth=False)), "space") == {"R01": "no_block"}


def test_full_depth_device_mounted_on_the_rear_takes_the_front_face_too(scenario: Scenario) -> None:
    server = device("SRV-01", "R01", 1, face="rear", full_depth=True)
    scenario.load(inventory(**one_rack(1), devices=[server]))
    assert refused_racks(scenario.check(request(full_depth=False)), "space") == {"R01": "no_block"}


def test_devices_are_full_depth_unless_they_say_otherwise(scenario: Scenario) -> None:
    server = device("SRV-01", "R01", 1, face="rear")
    scenario.load(inventory(**one_rack(1), devices=[server]))
    assert refused_racks(scenario.check(request(full_depth=False)), "space") == {"R01": "no_block"}


def test_requested_server_is_full_depth_by_default(scenario: Scenario) -> None:
    patch = device("PATCH-01", "R01", 1, face="rear", full_depth=False)
    scenario.load(inventory(**one_rack(1), devices=[patch]))
    assert refused_racks(scenario.check(request(full_depth=None)), "space") == {"R01": "no_block"}


# --- units ------------------------------------------------------------------------------------


def test_server_needs_its_whole_height_free_in_one_block(scenario: Scenario) -> None:
    middle = device("SRV-01", "R01", 2)
    scenario.load(inventory(**one_rack(3), devices=[middle]))
    assert refused_racks(scenario.check(request(u_height=2)), "space") == {"R01": "no_block"}


def test_one_unit_server_takes_a_single_free_unit(scenario: Scenario) -> None:
    middle = device("SRV-01", "R01", 2)
    scenario.load(inventory(**one_rack(3), devices=[middle]))
    proposal = scenario.check(request(u_height=1))["proposal"]
    assert proposal["position"] in (1, 3)


def test_server_taller_than_the_rack_does_not_fit(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(2)))
    assert refused_racks(scenario.check(request(u_height=3)), "space") == {"R01": "no_block"}


def test_server_as_tall_as_an_empty_rack_fills_it_from_unit_1(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(2)))
    proposal = scenario.check(request(u_height=2))["proposal"]
    assert (proposal["position"], proposal["u_height"]) == (1, 2)


def test_server_may_end_on_the_top_unit(scenario: Scenario) -> None:
    bottom = device("SRV-01", "R01", 1, u_height=2)
    scenario.load(inventory(**one_rack(4), devices=[bottom]))
    assert scenario.check(request(u_height=2))["proposal"]["position"] == 3


def test_unusable_unit_is_taken_on_the_front_face(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(1, unusable_units=[1])))
    assert refused_racks(scenario.check(request(full_depth=False)), "space") == {"R01": "no_block"}


def test_server_is_placed_beside_unusable_units(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(2, unusable_units=[1])))
    assert scenario.check(request(u_height=1))["proposal"]["position"] == 2


def test_unusable_unit_breaks_a_block(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(3, unusable_units=[2])))
    assert refused_racks(scenario.check(request(u_height=2)), "space") == {"R01": "no_block"}


@pytest.mark.parametrize("status", ["active", "planned", "offline"])
def test_device_of_every_status_occupies_its_units(scenario: Scenario, status: str) -> None:
    scenario.load(inventory(**one_rack(1), devices=[device("SRV-01", "R01", 1, status=status)]))
    assert refused_racks(scenario.check(request()), "space") == {"R01": "no_block"}


# --- holds ------------------------------------------------------------------------------------


def test_live_hold_occupies_its_units(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at="2026-12-31")
    scenario.load(inventory(**one_rack(1), reservations=[held]))
    assert refused_racks(scenario.check(request()), "space") == {"R01": "no_block"}


def test_hold_expiring_on_the_evaluation_date_still_occupies(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY)
    scenario.load(inventory(**one_rack(1), reservations=[held]))
    assert refused_racks(scenario.check(request(), on=DAY), "space") == {"R01": "no_block"}


def test_hold_stops_occupying_the_day_after_it_expires(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY)
    scenario.load(inventory(**one_rack(1), reservations=[held]))
    assert scenario.check(request(), on=DAY_AFTER)["proposal"]["position"] == 1


def test_expired_hold_occupies_nothing(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY_BEFORE)
    scenario.load(inventory(**one_rack(1), reservations=[held]))
    assert scenario.check(request(), on=DAY)["proposal"]["position"] == 1


def test_half_depth_rear_hold_leaves_the_front_free(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at="2026-12-31", face="rear", full_depth=False)
    scenario.load(inventory(**one_rack(1), reservations=[held]))
    assert scenario.check(request(full_depth=False))["proposal"]["position"] == 1


# --- weight -----------------------------------------------------------------------------------


def test_weight_of_exactly_the_rack_limit_fits(scenario: Scenario) -> None:
    heavy = device("SRV-01", "R01", 1, weight_kg=60)
    scenario.load(inventory(**one_rack(max_weight_kg=100), devices=[heavy]))
    assert scenario.check(request(weight_kg=40))["feasible"] is True


def test_weight_one_gram_over_the_rack_limit_does_not_fit(scenario: Scenario) -> None:
    heavy = device("SRV-01", "R01", 1, weight_kg=60)
    scenario.load(inventory(**one_rack(max_weight_kg=100), devices=[heavy]))
    result = scenario.check(request(weight_kg=40.001))
    assert verdicts(result) == (False, None, None)
    assert refused_racks(result, "space") == {"R01": "weight"}


def test_weight_of_a_live_hold_counts_toward_the_limit(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY, weight_kg=60)
    scenario.load(inventory(**one_rack(max_weight_kg=100), reservations=[held]))
    assert refused_racks(scenario.check(request(weight_kg=40.001), on=DAY), "space") == {
        "R01": "weight"
    }


def test_weight_of_an_expired_hold_does_not_count(scenario: Scenario) -> None:
    held = hold("RSV-2026-0100", "R01", 1, expires_at=DAY_BEFORE, weight_kg=60)
    scenario.load(inventory(**one_rack(max_weight_kg=100), reservations=[held]))
    assert scenario.check(request(weight_kg=100), on=DAY)["feasible"] is True


def test_rack_without_a_weight_limit_takes_any_weight(scenario: Scenario) -> None:
    scenario.load(inventory(**one_rack(), devices=[device("SRV-01", "R01", 1, weight_kg=900)]))
    assert scenario.check(request(weight_kg=1500))["feasible"] is True


def test_heavy_server_goes_to_the_rack_that_can_bear_it(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", max_weight_kg=50)
    r02, f02 = two_feed_rack("R02", max_weight_kg=500)
    scenario.load(inventory(racks=[r01, r02], power_feeds=f01 + f02))
    assert scenario.check(request(weight_kg=60))["proposal"]["rack"] == "R02"


# --- racks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["planned", "reserved", "deprecated"])
def test_rack_that_is_not_active_is_never_a_candidate(scenario: Scenario, status: str) -> None:
    scenario.load(inventory(**one_rack(status=status)))
    result = scenario.check(request())
    assert verdicts(result) == (False, None, None)
    assert result["proposal"] is None


def test_active_rack_is_chosen_over_an_empty_planned_one(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", status="planned")
    r02, f02 = two_feed_rack("R02", u_height=2)
    scenario.load(inventory(racks=[r01, r02], power_feeds=f01 + f02))
    assert scenario.check(request())["proposal"]["rack"] == "R02"


def two_sites() -> dict:
    """R01 in dc-kominfo and R02 in dc-cadangan, each with its own feeds and UPS."""
    r01, f01 = two_feed_rack("R01", u_height=2)
    r02, f02 = two_feed_rack("R02", u_height=2, site="dc-cadangan", ups_a="UPS-2", ups_b="UPS-2")
    return {
        "racks": [r01, r02],
        "power_feeds": f01 + f02,
        "ups_list": [ups("UPS-1"), ups("UPS-2", site="dc-cadangan")],
    }


def test_request_site_limits_the_candidate_racks(scenario: Scenario) -> None:
    scenario.load(inventory(**two_sites()))
    proposal = scenario.check(request(site="dc-cadangan"))["proposal"]
    assert (proposal["site"], proposal["rack"]) == ("dc-cadangan", "R02")


def test_request_site_without_room_fails_space_even_when_another_site_has_room(
    scenario: Scenario,
) -> None:
    full = device("SRV-01", "R02", 1, u_height=2)
    scenario.load(inventory(**two_sites(), devices=[full]))
    result = scenario.check(request(site="dc-cadangan"))
    assert verdicts(result) == (False, None, None)


def test_without_a_request_site_any_site_with_room_is_taken(scenario: Scenario) -> None:
    full = device("SRV-01", "R01", 1, u_height=2)
    scenario.load(inventory(**two_sites(), devices=[full]))
    proposal = scenario.check(request())["proposal"]
    assert (proposal["site"], proposal["rack"]) == ("dc-cadangan", "R02")


def test_rack_with_no_room_in_a_room_with_two_racks_is_passed_over(scenario: Scenario) -> None:
    r01, f01 = two_feed_rack("R01", u_height=1)
    r02, f02 = two_feed_rack("R02", u_height=1)
    scenario.load(
        inventory(racks=[r01, r02], power_feeds=f01 + f02, devices=[device("SRV-01", "R01", 1)])
    )
    assert scenario.check(request())["proposal"]["rack"] == "R02"


def test_rack_without_feeds_has_space_but_no_power(scenario: Scenario) -> None:
    scenario.load(inventory(racks=[rack("R01", feeds=[], u_height=2)], power_feeds=[feed("SPARE")]))
    assert verdicts(scenario.check(request())) == (True, False, None)


# --- racks counted out before their units are read ----------------------------------------------


def test_counted_out_rack_reports_its_largest_free_block_not_its_free_total(
    scenario: Scenario,
) -> None:
    # 48 U with U28-U29 taken: 46 U free in total, in blocks of 27 U (U1-U27) and 19 U.
    middle = device("SRV-01", "R01", 28, u_height=2)
    scenario.load(inventory(**one_rack(48), devices=[middle]))
    result = scenario.check(request(u_height=47))
    rejected = result["checks"]["space"]["rejected"]
    assert rejected == [{"rack": "R01", "reason": "no_block", "largest_free_block_u": 27}]


def test_counted_out_rack_message_still_gives_the_free_total(scenario: Scenario) -> None:
    middle = device("SRV-01", "R01", 28, u_height=2)
    scenario.load(inventory(**one_rack(48), devices=[middle]))
    message = scenario.check(request(u_height=47), lang="en")["checks"]["space"]["message"]
    assert "R01: only 46U free" in message


def test_counted_out_rack_with_a_half_depth_rear_device_counts_only_the_faces_asked(
    scenario: Scenario,
) -> None:
    # The rear-only patch panel in U3 splits the rear, not the front a half-depth server needs:
    # the front's U2-U4 is one block of 3 U (counting the rear too would give 1 U).
    patch = device("PATCH-01", "R01", 3, face="rear", full_depth=False)
    front = device("SRV-01", "R01", 1)
    scenario.load(inventory(**one_rack(4), devices=[patch, front]))
    result = scenario.check(request(u_height=4, full_depth=False))
    rejected = result["checks"]["space"]["rejected"]
    assert rejected == [{"rack": "R01", "reason": "no_block", "largest_free_block_u": 3}]
