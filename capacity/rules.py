"""The six step-5 rules as pure functions over :mod:`capacity.facts`.

Space, power and UPS are judged rack by rack and each narrows the racks the
next one looks at; bandwidth and IP are judged per site; domains per name.
Numbers are exact fractions: a load of exactly the limit fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from itertools import combinations
from typing import NamedTuple

from dcim.choices import Face, RackStatus, Redundancy, occupied_faces
from dcim.limits import PolicyFacts
from dcim.names import InvalidName, find_zone, host_name_problem, normalize

from .facts import (
    CountedOutRack,
    FeedFacts,
    PrefixFacts,
    RackFacts,
    UplinkFacts,
    UPSFacts,
    ZoneFacts,
)

# --- space -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceFit:
    """Where a server fits in a rack: the smallest free block that takes it, and its bottom unit."""

    position: int
    block_start: int
    block_size: int


class SpaceVerdict(NamedTuple):
    """A rack's answer to the space rule (a named tuple: one is made per rack of the room)."""

    rack: RackFacts | CountedOutRack
    fit: SpaceFit | None
    largest_block: int
    reason: str | None  # None when it fits: "status", "site", "no_block", "weight"
    weight_after: Fraction | None = None


def best_fit(rack: RackFacts, u_height: int, full_depth: bool) -> tuple[SpaceFit | None, int]:
    """The tightest free block that takes the server (bottom unit), and the largest free block."""
    assert rack.occupancy is not None
    # A proposal always goes in the front; a full-depth server takes the rear of its units too.
    faces = occupied_faces(Face.FRONT, full_depth)
    blocks = rack.occupancy.free_blocks(faces)
    largest = max((size for _, size in blocks), default=0)
    fitting = [(size, start) for start, size in blocks if size >= u_height]
    if not fitting:
        return None, largest
    size, start = min(fitting)
    return SpaceFit(position=start, block_start=start, block_size=size), largest


def judge_space(
    racks: Iterable[RackFacts | CountedOutRack],
    u_height: int,
    full_depth: bool,
    weight_kg: Fraction,
    site: str | None,
) -> list[SpaceVerdict]:
    """Every rack's answer: active, in the site, a free run of units, weight within the limit."""
    verdicts = []
    active = RackStatus.ACTIVE.value  # a plain string: compared once per rack of the room
    for rack in racks:
        if rack.status != active:
            verdicts.append(SpaceVerdict(rack, None, 0, "status"))
            continue
        if site is not None and rack.site != site:
            verdicts.append(SpaceVerdict(rack, None, 0, "site"))
            continue
        if isinstance(rack, CountedOutRack):  # too few free units in total, by its counters
            verdicts.append(SpaceVerdict(rack, None, rack.largest_free_block, "no_block"))
            continue
        fit, largest = best_fit(rack, u_height, full_depth)
        if fit is None:
            verdicts.append(SpaceVerdict(rack, None, largest, "no_block"))
            continue
        after = rack.occupancy.weight_kg + weight_kg
        if rack.max_weight_kg is not None and after > rack.max_weight_kg:
            verdicts.append(SpaceVerdict(rack, None, largest, "weight", after))
            continue
        verdicts.append(SpaceVerdict(rack, fit, largest, None, after))
    return verdicts


# --- power and UPS -----------------------------------------------------------------------------


def added_per_feed(power_w: Fraction, psu: int, redundancy: str) -> Fraction:
    """What the server adds to each of its feeds: all of it under 2N, an even share under N."""
    return power_w if redundancy == Redundancy.TWO_N else power_w / psu


@dataclass(frozen=True)
class FeedChoice:
    """One way to plug the server's supplies into feeds of a rack, with what it does to each."""

    feeds: tuple[FeedFacts, ...]
    added: Fraction
    power_ok: bool
    power_shortfall: dict[str, Fraction]
    # How far the chosen feeds would go over their usable power, added up (0 when none).
    power_short_total: Fraction
    ups_ok: bool
    ups_shortfall: dict[str, Fraction]
    unbacked: tuple[str, ...]
    redundancy: str

    @property
    def ok(self) -> bool:
        """Passes both the power and the UPS rule."""
        return self.power_ok and self.ups_ok

    def min_headroom(self, redundancy: str) -> Fraction:
        """The smallest power headroom left on the chosen feeds after the server."""
        return min(f.usable_w - f.load(redundancy) - self.added for f in self.feeds)

    def distinct_ups(self) -> int:
        """How many different UPS back the chosen feeds (more is more resilient)."""
        return len({f.ups_id for f in self.feeds if f.ups_id is not None})

    @cached_property
    def ups_added(self) -> dict[int, Fraction]:
        """What the server adds to each UPS behind the chosen feeds (:func:`ups_addition`).

        Worked out only for the choices the UPS rule judges: nine racks in ten of a full room
        fail the power rule first.
        """
        return _per_ups(self.feeds, self.added, self.redundancy)


def ups_addition(
    feeds: Sequence[FeedFacts], power_w: Fraction, psu: int, redundancy: str
) -> dict[int, Fraction]:
    """What the server adds to each UPS behind its feeds, counted once per UPS."""
    return _per_ups(feeds, added_per_feed(power_w, psu, redundancy), redundancy)


def _per_ups(feeds: Sequence[FeedFacts], added: Fraction, redundancy: str) -> dict[int, Fraction]:
    """Per UPS, what ``added`` on each of the ``feeds`` comes to: once per UPS under 2N (one
    supply may carry the whole server), the sum of its feeds' shares under N."""
    per_ups: dict[int, Fraction] = {}
    for feed in feeds:
        if feed.ups_id is None:
            continue
        if redundancy == Redundancy.TWO_N:
            per_ups[feed.ups_id] = added
        else:
            per_ups[feed.ups_id] = per_ups.get(feed.ups_id, Fraction(0)) + added
    return per_ups


def judge_feeds(
    feeds: Sequence[FeedFacts], power_w: Fraction, psu: int, policy: PolicyFacts
) -> FeedChoice:
    """One way to plug the server into these feeds, judged by the power rule (UPS judged later)."""
    redundancy = policy.redundancy
    added = added_per_feed(power_w, psu, redundancy)
    shortfall = {}
    total = Fraction(0)
    for feed in feeds:
        after = feed.load(redundancy) + added
        if after > feed.usable_w:
            shortfall[feed.name] = short = after - feed.usable_w
            total += short
    return FeedChoice(
        feeds=tuple(feeds),
        added=added,
        power_ok=not shortfall,
        power_shortfall=shortfall,
        power_short_total=total,
        ups_ok=False,
        ups_shortfall={},
        unbacked=tuple(f.name for f in feeds if f.ups_id is None),
        redundancy=redundancy,
    )


def feed_choices(
    rack: RackFacts, power_w: Fraction, psu: int, policy: PolicyFacts
) -> list[FeedChoice]:
    """Every choice of ``psu`` distinct feeds of the rack, judged by the power rule."""
    return [judge_feeds(feeds, power_w, psu, policy) for feeds in combinations(rack.feeds, psu)]


def judge_ups(choice: FeedChoice, policy: PolicyFacts, ups: dict[int, UPSFacts]) -> FeedChoice:
    """The choice judged by the UPS rule: every feed UPS-backed, every UPS within its usable power."""
    redundancy = policy.redundancy
    short = {
        ups[uid].name: ups[uid].load(redundancy) + extra - ups[uid].usable_w
        for uid, extra in choice.ups_added.items()
        if ups[uid].load(redundancy) + extra > ups[uid].usable_w
    }
    return replace(choice, ups_ok=not choice.unbacked and not short, ups_shortfall=short)


def preferred_choice(choices: Iterable[FeedChoice], redundancy: str) -> FeedChoice | None:
    """The choice to propose: different UPS first, then the most headroom left, then names."""
    ranked = sorted(
        choices,
        key=lambda c: (-c.distinct_ups(), -c.min_headroom(redundancy), [f.name for f in c.feeds]),
    )
    return ranked[0] if ranked else None


# --- bandwidth ---------------------------------------------------------------------------------


def uplink_fits(uplink: UplinkFacts, mbps: Fraction) -> bool:
    """Whether the uplink keeps ``committed + mbps <= usable``."""
    return uplink.committed_mbps + mbps <= uplink.usable_mbps


def preferred_uplink(
    uplinks: Iterable[UplinkFacts], mbps: Fraction, site: str
) -> UplinkFacts | None:
    """The uplink of the site to propose: the one with the most headroom left, then by name."""
    fitting = [u for u in uplinks if u.site == site and uplink_fits(u, mbps)]
    fitting.sort(key=lambda u: (-(u.usable_mbps - u.committed_mbps), u.name))
    return fitting[0] if fitting else None


# --- IP ----------------------------------------------------------------------------------------


def prefixes_for_site(prefixes: Iterable[PrefixFacts], site: str) -> list[PrefixFacts]:
    """Prefixes that may serve a rack of the site (their own site, or none), in address order."""
    return [p for p in prefixes if p.site is None or p.site == site]


def first_prefix_with(prefixes: Iterable[PrefixFacts], count: int) -> PrefixFacts | None:
    """The first prefix, in address order, with ``count`` free addresses."""
    return next((p for p in prefixes if p.free_count >= count), None)


# --- domain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameVerdict:
    """A requested name: its normal form, where it falls, and why it is refused (empty when ok)."""

    requested: str
    name: str
    zone: str | None
    relative: str | None
    reasons: tuple[tuple[str, dict[str, str]], ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No reason to refuse it."""
        return not self.reasons


_SPACES = re.compile(r"\s")


def _shown(name: str) -> str:
    """A refused name as it may be printed: invisible and control characters escaped (``\\u202e``)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)


def normalise_requested(name: str) -> tuple[str, str | None]:
    """(normal form, why it is not a valid host name or None).

    A refused name's form is only ever shown, so its invisible characters are escaped
    (a bidi override must not turn the report's text around).
    """
    if _SPACES.search(name.strip()):
        return _shown(name.strip().lower()), "has a space"
    try:
        normal = normalize(name)
    except InvalidName as exc:
        return _shown(name.strip().lower().rstrip(".")), _shown(str(exc))
    problem = host_name_problem(normal)
    return (normal, None) if problem is None else (_shown(normal), _shown(problem))


def judge_names(
    requested: Sequence[str],
    zones: dict[str, ZoneFacts],
    held: dict[str, str],
    reserved_labels: frozenset[str],
) -> list[NameVerdict]:
    """Each requested name judged by the domain rule, in request order."""
    verdicts = []
    seen: set[str] = set()
    for text in requested:
        name, problem = normalise_requested(text)
        reasons: list[tuple[str, dict[str, str]]] = []
        zone = relative = None
        if problem is not None:
            reasons.append(("invalid", {"problem": problem}))
        else:
            match = find_zone(name, set(zones))
            if match is None:
                reasons.append(("no_zone", {}))
            else:
                zone, relative = match.zone, match.relative
                facts = zones[zone]
                if relative == "@":
                    reasons.append(("apex", {"zone": zone}))
                else:
                    if relative in reserved_labels:
                        reasons.append(("reserved", {"label": relative}))
                    if relative in facts.taken_names:
                        reasons.append(("exists", {"zone": zone}))
                    delegation = next(
                        (
                            d
                            for d in facts.delegations
                            if relative == d or relative.endswith("." + d)
                        ),
                        None,
                    )
                    if delegation is not None:
                        reasons.append(("delegated", {"delegation": f"{delegation}.{zone}"}))
            if name in held:
                reasons.append(("held", {"hold": held[name]}))
            if name in seen:
                reasons.append(("twice", {}))
        seen.add(name)
        verdicts.append(NameVerdict(text, name, zone, relative, tuple(reasons)))
    return verdicts
