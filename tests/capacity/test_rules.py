"""The step-5 rules of capacity/rules.py, called directly: no database, no command line.

Each test is one sentence of the capacity rules (spec: capacity-rules.md) on
hand-made facts, and asserts the reason a rack, feed, UPS, uplink, prefix or
name is refused, not only that it is. They run in milliseconds: the place to
start when a rule changes. The tests through the command line (test_space.py,
test_power.py, ...) check the same rules end to end on a real inventory.
"""

from __future__ import annotations

import ipaddress
from fractions import Fraction

from capacity import rules
from capacity.facts import (
    CountedOutRack,
    FeedFacts,
    PrefixFacts,
    RackFacts,
    UplinkFacts,
    UPSFacts,
    ZoneFacts,
)
from dcim.limits import PolicyFacts
from dcim.models import Face, RackStatus, Redundancy
from dcim.occupancy import RackOccupancy

ZONE = "sumbawakab.go.id"
TWO_N = PolicyFacts(redundancy=Redundancy.TWO_N.value)
N = PolicyFacts(redundancy=Redundancy.N.value)
NO_RESERVED: frozenset[str] = frozenset()


# --- hand-made facts ---------------------------------------------------------------------------


def rack(
    name: str = "R01",
    *,
    u_height: int = 42,
    front: set[int] = frozenset(),
    rear: set[int] = frozenset(),
    status: str = RackStatus.ACTIVE.value,
    site: str = "dc-utama",
    weight_kg: Fraction = Fraction(0),
    max_weight_kg: Fraction | None = None,
    feeds: list[FeedFacts] | None = None,
) -> RackFacts:
    """A rack with the units taken on each face and the weight it carries."""
    occupancy = RackOccupancy(
        rack_id=1,
        u_height=u_height,
        taken={Face.FRONT.value: set(front), Face.REAR.value: set(rear)},
        weight_kg=weight_kg,
    )
    return RackFacts(
        id=1,
        name=name,
        site=site,
        status=status,
        u_height=u_height,
        max_weight_kg=max_weight_kg,
        occupancy=occupancy,
        feeds=list(feeds or []),
    )


def feed(
    name: str, *, usable: int = 4000, worst: int = 0, normal: int = 0, ups: int | None = 1
) -> FeedFacts:
    """A feed of ``usable`` watts carrying ``worst`` (2N) or ``normal`` (N) watts already."""
    return FeedFacts(
        id=hash(name) % 10_000,
        name=name,
        ups_id=ups,
        ups_name=None if ups is None else f"UPS{ups}",
        rated_w=Fraction(usable),
        usable_w=Fraction(usable),
        worst_w=Fraction(worst),
        normal_w=Fraction(normal),
    )


def ups(uid: int, *, usable: int = 7200, worst: int = 0, normal: int = 0) -> UPSFacts:
    """A UPS of ``usable`` watts carrying ``worst`` (2N) or ``normal`` (N) watts already."""
    return UPSFacts(
        id=uid,
        name=f"UPS{uid}",
        usable_w=Fraction(usable),
        worst_w=Fraction(worst),
        normal_w=Fraction(normal),
        battery_wh=None,
    )


def uplink(name: str, *, usable: int, committed: int, site: str = "dc-utama") -> UplinkFacts:
    return UplinkFacts(
        id=hash(name) % 10_000,
        name=name,
        site=site,
        usable_mbps=Fraction(usable),
        committed_mbps=Fraction(committed),
    )


def prefix(network: str, *, free: int, site: str | None = None) -> PrefixFacts:
    return PrefixFacts(
        id=hash(network) % 10_000,
        network=ipaddress.ip_network(network),
        role="server",
        site=site,
        excluded=(),
        usable_count=free,
        used_count=0,
    )


def zone(*taken: str, delegations: tuple[str, ...] = ()) -> dict[str, ZoneFacts]:
    return {ZONE: ZoneFacts(name=ZONE, delegations=delegations, taken_names=frozenset(taken))}


def space(
    target: RackFacts | CountedOutRack,
    u_height: int = 2,
    *,
    full_depth: bool = True,
    weight_kg: Fraction = Fraction(0),
    site: str | None = None,
) -> rules.SpaceVerdict:
    """The space rule's answer for one rack."""
    (verdict,) = rules.judge_space([target], u_height, full_depth, weight_kg, site)
    return verdict


def reasons(
    names: list[str],
    zones: dict[str, ZoneFacts] | None = None,
    held: dict[str, str] | None = None,
    reserved: frozenset[str] = NO_RESERVED,
) -> list[list[str]]:
    """The domain rule's reason codes for each requested name, in request order."""
    verdicts = rules.judge_names(names, zone() if zones is None else zones, held or {}, reserved)
    return [[code for code, _ in verdict.reasons] for verdict in verdicts]


# --- 1. space (Tempat) -------------------------------------------------------------------------


def test_space_a_rack_that_is_not_active_is_no_candidate() -> None:
    verdict = space(rack(status=RackStatus.PLANNED.value))
    assert (verdict.fit, verdict.reason) == (None, "status")


def test_space_a_rack_of_another_site_than_the_request_is_no_candidate() -> None:
    verdict = space(rack(site="dc-cadangan"), site="dc-utama")
    assert (verdict.fit, verdict.reason) == (None, "site")


def test_space_a_request_without_a_site_takes_a_rack_of_any_site() -> None:
    assert space(rack(site="dc-cadangan"), site=None).reason is None


def test_space_the_server_mounts_at_the_lowest_unit_of_the_tightest_free_block() -> None:
    # Free: 1-3 (3 units), 6-42 (37 units); a 2U server goes into the 3-unit block, at unit 1.
    verdict = space(rack(front={4, 5}, rear={4, 5}), u_height=2)
    assert verdict.fit == rules.SpaceFit(position=1, block_start=1, block_size=3)


def test_space_no_free_run_as_long_as_the_server_refuses_and_tells_the_largest_block() -> None:
    taken = set(range(1, 43)) - {10, 11, 20}
    verdict = space(rack(front=taken, rear=taken), u_height=3)
    assert (verdict.fit, verdict.reason, verdict.largest_block) == (None, "no_block", 2)


def test_space_the_server_must_stay_inside_the_rack_height() -> None:
    # Units 41-42 are free, but a 3U server from 41 would end at unit 43.
    taken = set(range(1, 41))
    verdict = space(rack(front=taken, rear=taken), u_height=3)
    assert verdict.reason == "no_block"


def test_space_a_full_depth_server_needs_its_units_free_on_the_rear_face_too() -> None:
    verdict = space(rack(u_height=4, rear={1, 2, 3, 4}), u_height=2, full_depth=True)
    assert verdict.reason == "no_block"


def test_space_a_half_depth_server_ignores_what_is_taken_on_the_rear_face() -> None:
    verdict = space(rack(u_height=4, rear={1, 2, 3, 4}), u_height=2, full_depth=False)
    assert verdict.fit is not None and verdict.fit.position == 1


def test_space_a_rack_counted_out_before_reading_its_units_refuses_with_its_longest_run() -> None:
    counted_out = CountedOutRack(1, "R01", "dc", RackStatus.ACTIVE, free_units=1)
    counted_out.largest_free_block = 1
    verdict = space(counted_out, u_height=2)
    assert (verdict.reason, verdict.largest_block) == ("no_block", 1)


def test_space_the_weight_of_all_occupants_plus_the_server_must_not_exceed_the_rack_limit() -> None:
    heavy = rack(weight_kg=Fraction(480), max_weight_kg=Fraction(500))
    verdict = space(heavy, weight_kg=Fraction(20_001, 1000))
    assert (verdict.fit, verdict.reason, verdict.weight_after) == (
        None,
        "weight",
        Fraction(500_001, 1000),
    )


def test_space_a_weight_of_exactly_the_rack_limit_fits() -> None:
    heavy = rack(weight_kg=Fraction(480), max_weight_kg=Fraction(500))
    assert space(heavy, weight_kg=Fraction(20)).reason is None


def test_space_a_rack_without_a_weight_limit_takes_any_weight() -> None:
    assert space(rack(weight_kg=Fraction(10_000)), weight_kg=Fraction(5_000)).reason is None


# --- 2. power (Listrik) ------------------------------------------------------------------------


def test_power_under_2n_the_server_adds_its_full_draw_to_each_feed() -> None:
    assert rules.added_per_feed(Fraction(450), 2, Redundancy.TWO_N.value) == 450


def test_power_under_n_the_server_adds_an_even_share_to_each_feed() -> None:
    assert rules.added_per_feed(Fraction(450), 2, Redundancy.N.value) == 225


def test_power_a_load_of_exactly_the_usable_power_fits() -> None:
    choice = rules.judge_feeds([feed("A", usable=4000, worst=3550)], Fraction(450), 1, TWO_N)
    assert (choice.power_ok, choice.power_shortfall) == (True, {})


def test_power_a_feed_over_its_usable_power_refuses_with_the_watts_missing() -> None:
    feeds = [feed("A", usable=4000, worst=3550), feed("B", usable=4000, worst=0)]
    choice = rules.judge_feeds(feeds, Fraction(451), 2, TWO_N)
    assert (choice.power_ok, choice.power_shortfall) == (False, {"A": Fraction(1)})


def test_power_under_n_a_feed_counts_the_even_shares_of_its_occupants() -> None:
    # 3550 W at full draw, 1775 W in shares: under N there is room for a 450 W server on 2 feeds.
    feeds = [feed("A", worst=3550, normal=1775), feed("B", worst=3550, normal=1775)]
    assert rules.judge_feeds(feeds, Fraction(900), 2, N).power_ok is True
    assert rules.judge_feeds(feeds, Fraction(900), 2, TWO_N).power_shortfall == {
        "A": Fraction(450),
        "B": Fraction(450),
    }


def test_power_the_server_plugs_into_psu_distinct_feeds_of_its_rack() -> None:
    target = rack(feeds=[feed("A"), feed("B"), feed("C")])
    choices = rules.feed_choices(target, Fraction(450), 2, TWO_N)
    assert [[f.name for f in c.feeds] for c in choices] == [["A", "B"], ["A", "C"], ["B", "C"]]


def test_power_a_rack_with_fewer_feeds_than_supplies_cannot_take_the_server() -> None:
    assert rules.feed_choices(rack(feeds=[feed("A")]), Fraction(450), 2, TWO_N) == []


# --- 3. UPS ------------------------------------------------------------------------------------


def test_ups_under_2n_the_full_draw_counts_once_per_ups() -> None:
    both_on_one = [feed("A", ups=1), feed("B", ups=1)]
    assert rules.ups_addition(both_on_one, Fraction(450), 2, Redundancy.TWO_N.value) == {1: 450}


def test_ups_under_n_a_ups_carries_the_shares_of_the_feeds_it_backs() -> None:
    feeds = [feed("A", ups=1), feed("B", ups=1), feed("C", ups=2)]
    added = rules.ups_addition(feeds, Fraction(600), 3, Redundancy.N.value)
    assert added == {1: 400, 2: 200}


def test_ups_every_chosen_feed_must_be_ups_backed() -> None:
    choice = rules.judge_feeds([feed("A", ups=1), feed("B", ups=None)], Fraction(450), 2, TWO_N)
    judged = rules.judge_ups(choice, TWO_N, {1: ups(1)})
    assert (judged.ups_ok, judged.unbacked, judged.ups_shortfall) == (False, ("B",), {})


def test_ups_a_ups_over_its_usable_power_refuses_with_the_watts_missing() -> None:
    choice = rules.judge_feeds([feed("A", ups=1)], Fraction(601), 1, TWO_N)
    judged = rules.judge_ups(choice, TWO_N, {1: ups(1, usable=7200, worst=6600)})
    assert (judged.ups_ok, judged.ups_shortfall) == (False, {"UPS1": Fraction(1)})


def test_ups_a_load_of_exactly_the_usable_power_fits() -> None:
    choice = rules.judge_feeds([feed("A", ups=1)], Fraction(600), 1, TWO_N)
    judged = rules.judge_ups(choice, TWO_N, {1: ups(1, usable=7200, worst=6600)})
    assert (judged.ups_ok, judged.ok) == (True, True)


def test_ups_a_choice_passes_only_when_it_passes_power_and_ups() -> None:
    choice = rules.judge_feeds([feed("A", usable=100, ups=1)], Fraction(450), 1, TWO_N)
    judged = rules.judge_ups(choice, TWO_N, {1: ups(1)})
    assert (judged.power_ok, judged.ups_ok, judged.ok) == (False, True, False)


# --- proposal: which feeds -----------------------------------------------------------------------


def _choice(*feeds: FeedFacts) -> rules.FeedChoice:
    return rules.judge_feeds(list(feeds), Fraction(100), len(feeds), TWO_N)


def test_proposal_prefers_feeds_on_different_ups() -> None:
    same = _choice(feed("A", ups=1), feed("B", ups=1))
    different = _choice(feed("C", ups=1, worst=3000), feed("D", ups=2, worst=3000))
    assert rules.preferred_choice([same, different], TWO_N.redundancy) is different


def test_proposal_then_prefers_the_most_power_headroom_left() -> None:
    loaded = _choice(feed("A", worst=3000, ups=1), feed("B", ups=2))
    light = _choice(feed("C", worst=1000, ups=1), feed("D", ups=2))
    assert rules.preferred_choice([loaded, light], TWO_N.redundancy) is light


def test_proposal_then_prefers_feeds_by_name() -> None:
    second = _choice(feed("B", ups=1), feed("C", ups=2))
    first = _choice(feed("A", ups=1), feed("C", ups=2))
    assert rules.preferred_choice([second, first], TWO_N.redundancy) is first


def test_proposal_without_any_choice_is_none() -> None:
    assert rules.preferred_choice([], TWO_N.redundancy) is None


# --- 4. bandwidth ------------------------------------------------------------------------------


def test_bandwidth_committed_plus_requested_of_exactly_the_usable_bandwidth_fits() -> None:
    assert rules.uplink_fits(uplink("ISP", usable=1000, committed=950), Fraction(50)) is True


def test_bandwidth_an_uplink_over_its_usable_bandwidth_refuses() -> None:
    assert rules.uplink_fits(uplink("ISP", usable=1000, committed=950), Fraction(51)) is False


def test_bandwidth_the_proposal_takes_an_uplink_of_the_racks_site_only() -> None:
    elsewhere = uplink("ISP-B", usable=10_000, committed=0, site="dc-cadangan")
    assert rules.preferred_uplink([elsewhere], Fraction(50), "dc-utama") is None


def test_bandwidth_the_proposal_takes_the_uplink_with_the_most_headroom_then_by_name() -> None:
    links = [
        uplink("ISP-C", usable=1000, committed=900),
        uplink("ISP-B", usable=1000, committed=0),
        uplink("ISP-A", usable=2000, committed=1000),
    ]
    assert rules.preferred_uplink(links, Fraction(50), "dc-utama").name == "ISP-A"


# --- 5. IP address -----------------------------------------------------------------------------


def test_ip_a_prefix_serves_its_own_site_or_any_site_when_it_has_none() -> None:
    here, anywhere = prefix("10.0.0.0/24", free=5, site="dc-utama"), prefix("10.1.0.0/24", free=5)
    elsewhere = prefix("10.2.0.0/24", free=5, site="dc-cadangan")
    assert rules.prefixes_for_site([here, anywhere, elsewhere], "dc-utama") == [here, anywhere]


def test_ip_all_addresses_of_a_role_come_from_the_first_prefix_with_enough_free() -> None:
    small, large = prefix("10.0.0.0/29", free=1), prefix("10.0.1.0/24", free=200)
    assert rules.first_prefix_with([small, large], 2) is large


def test_ip_a_role_no_prefix_can_satisfy_gets_none() -> None:
    assert rules.first_prefix_with([prefix("10.0.0.0/29", free=1)], 2) is None


# --- 6. domain ---------------------------------------------------------------------------------


def test_domain_a_name_is_lower_cased_without_its_trailing_dot() -> None:
    assert rules.normalise_requested("SimPeg.SumbawaKab.GO.ID.") == (
        "simpeg.sumbawakab.go.id",
        None,
    )


def test_domain_an_internationalised_label_is_compared_in_idna_form() -> None:
    assert rules.normalise_requested("bücher." + ZONE)[0] == "xn--bcher-kva." + ZONE


def test_domain_a_free_name_in_a_managed_zone_passes() -> None:
    (verdict,) = rules.judge_names(["simpeg." + ZONE], zone(), {}, NO_RESERVED)
    assert (verdict.ok, verdict.zone, verdict.relative) == (True, ZONE, "simpeg")


def test_domain_a_name_that_is_not_a_valid_host_name_fails() -> None:
    assert reasons(["my_app." + ZONE, "-app." + ZONE, "a" * 64 + "." + ZONE]) == [
        ["invalid"],
        ["invalid"],
        ["invalid"],
    ]


def test_domain_a_name_with_a_space_is_not_a_host_name() -> None:
    assert rules.normalise_requested("my app." + ZONE)[1] == "has a space"


def test_domain_a_name_outside_every_managed_zone_fails() -> None:
    assert reasons(["simpeg.example.go.id"]) == [["no_zone"]]


def test_domain_the_zone_apex_fails() -> None:
    assert reasons([ZONE]) == [["apex"]]


def test_domain_the_longest_zone_judges_the_name() -> None:
    zones = {**zone("app.dinas"), "dinas." + ZONE: ZoneFacts("dinas." + ZONE, (), frozenset())}
    (verdict,) = rules.judge_names(["app.dinas." + ZONE], zones, {}, NO_RESERVED)
    assert (verdict.ok, verdict.zone, verdict.relative) == (True, "dinas." + ZONE, "app")


def test_domain_a_reserved_label_fails() -> None:
    assert reasons(["www." + ZONE], reserved=frozenset({"www"})) == [["reserved"]]


def test_domain_a_name_with_a_record_of_the_zone_fails() -> None:
    assert reasons(["app." + ZONE], zones=zone("app")) == [["exists"]]


def test_domain_a_name_at_or_below_a_delegation_fails() -> None:
    zones = zone(delegations=("desa",))
    assert reasons(["desa." + ZONE, "kantor.desa." + ZONE, "xdesa." + ZONE], zones=zones) == [
        ["delegated"],
        ["delegated"],
        [],
    ]


def test_domain_a_name_held_by_a_live_hold_fails_and_names_the_hold() -> None:
    (verdict,) = rules.judge_names(
        ["sipd." + ZONE], zone(), {"sipd." + ZONE: "RSV-2026-0100"}, NO_RESERVED
    )
    assert verdict.reasons == (("held", {"hold": "RSV-2026-0100"}),)


def test_domain_a_name_asked_twice_fails_the_second_time() -> None:
    assert reasons(["app." + ZONE, "APP." + ZONE + "."]) == [[], ["twice"]]


def test_domain_every_reason_of_a_name_is_given() -> None:
    zones = zone("www")
    assert reasons(["www." + ZONE], zones=zones, reserved=frozenset({"www"})) == [
        ["reserved", "exists"]
    ]
