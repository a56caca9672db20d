"""The step-5 check: six verdicts and one proposal that satisfies them all at once.

The check reads the inventory (:mod:`capacity.facts`), applies the rules
(:mod:`capacity.rules`) and explains itself (:mod:`capacity.messages`). It
never writes. The proposal follows a fixed preference, so the same
inventory, request and date always give the same answer:

1. a rack whose feeds stay below the warning threshold with the server
   (:mod:`dcim.thresholds`) before one the server would push past it —
   headroom outranks habit, so a tenant's nearly full rack is not filled to
   the brim while another stands half empty;
2. a rack where the requesting OPD already has equipment;
3. a rack already in use before an empty one (fill racks before opening new ones);
4. the tightest free block that takes the server (best fit keeps the largest
   blocks whole), at its lowest unit;
5. the rack's name in natural order (R2 before R10).

Within the rack, the feeds are those on the most distinct UPS, then with the
most power headroom left (keeps A and B balanced), then by name; the uplink
is the one of the rack's site with the most bandwidth left, then by name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from dcim import occupancy
from dcim.choices import Face, RackStatus, Redundancy, occupied_faces
from dcim.core_tables import IPAddress, NameClaim, Rack, Record, Uplink, Zone
from dcim.db import Reader, column_rows
from dcim.limits import policy_facts, uplink_usable
from dcim.names import relative_to
from dcim.thresholds import load_thresholds
from dcim.workdays import require_in_calendar, today

from . import messages, rules
from .facts import (
    Facts,
    PrefixFacts,
    UplinkFacts,
    ZoneFacts,
    feeds_of_racks,
    free_addresses,
    gather,
    load_ups,
    zones_for,
)
from .outcomes import CheckOutcome, Proposal, RackPlan
from .request import CapacityRequest, ServerNeeds, server_needs

CHECK_NAMES = ("space", "power", "ups", "bandwidth", "ip", "domain")


@dataclass
class CheckResult:
    """The answer to step 5 for one request on one date."""

    feasible: bool
    evaluated_on: dt.date
    checks: dict[str, CheckOutcome]
    proposal: Proposal | None
    needs: ServerNeeds
    request: CapacityRequest
    summary: str
    lang: str
    #: The ids of the racks with room and power, best first (the UPS are judged rack by rack
    #: in this order): where a reserve that lost its rack to another looks next.
    ranked: tuple[int, ...] = ()
    #: The racks the check was limited to (a reserve judging them again under its locks);
    #: None when it judged the whole room.
    only_racks: tuple[int, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The document of the contract's check result, plus a summary and the server's needs."""
        return {
            "feasible": self.feasible,
            "evaluated_on": self.evaluated_on.isoformat(),
            "checks": {name: self.checks[name].to_json() for name in CHECK_NAMES},
            "proposal": self.proposal.to_json() if self.proposal else None,
            "summary": self.summary,
            "server": {
                "model": self.needs.model,
                "device_type": self.needs.device_type,
                "u_height": self.needs.u_height,
                "full_depth": self.needs.full_depth,
                "weight_kg": float(self.needs.weight_kg),
                "power_w": float(self.needs.power_w),
                "psu": self.needs.psu,
                "bandwidth_mbps": float(self.needs.bandwidth_mbps),
                "filled_from_catalog": list(self.needs.filled_from_catalog),
            },
        }


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort key that puts R2 before R10."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name))


def requested_roles(request: CapacityRequest) -> list[tuple[int, str, int]]:
    """The address roles the request asks for, as (family, role, how many), none of them zero."""
    wanted = [(4, role, n) for role, n in request.ipv4.items() if n > 0]
    wanted += [(6, role, n) for role, n in request.ipv6.items() if n > 0]
    return wanted


def run_check(
    session: Reader,
    request: CapacityRequest,
    on: dt.date | None = None,
    lang: str = "id",
    source: str | None = None,
    only_racks: Sequence[int] | None = None,
    words: bool = True,
) -> CheckResult:
    """Judge the six resources for a request and propose one placement; never writes.

    ``only_racks`` limits the rack-bound checks to those racks (see :mod:`capacity.holds`).
    ``words=False`` gives the verdicts and the proposal without composing any message
    (empty texts, no details): for callers that only act on the answer, such as the
    purchase plan's replays, never for a result someone reads.
    """
    # The same bounds for every interface: the command line's --on, the API's ?on=, the app.
    on = require_in_calendar(on, "on", lang) if on is not None else today(session)
    needs = server_needs(session, request, source)
    roles = requested_roles(request)
    names = [rules.normalise_requested(d)[0] for d in request.domains]
    facts = gather(
        session,
        on,
        u_height=needs.u_height,
        full_depth=needs.full_depth,
        site=request.site,
        tenant=request.tenant,
        roles=[(family, role) for family, role, _ in roles],
        names=names,
        bandwidth_needed=needs.bandwidth_mbps > 0,
        only_racks=only_racks,
        every_rack=words,
    )
    result = evaluate(session, facts, request, needs, roles, lang, words)
    if only_racks is not None:
        result.only_racks = tuple(only_racks)
    return result


def evaluate(
    session: Reader,
    facts: Facts,
    request: CapacityRequest,
    needs: ServerNeeds,
    roles: list[tuple[int, str, int]],
    lang: str,
    words: bool = True,
) -> CheckResult:
    """Apply the rules to gathered facts and compose the result (its texts only when ``words``)."""
    policy = facts.policy
    power_w = Fraction(needs.power_w)
    text = messages.Texts(lang)

    # Rack-bound: space -> power -> UPS, each narrowing the racks.
    space = rules.judge_space(
        facts.racks, needs.u_height, needs.full_depth, Fraction(needs.weight_kg), request.site
    )
    with_room = [v for v in space if v.fit is not None]
    choices = {
        v.rack.id: rules.feed_choices(v.rack, power_w, needs.psu, policy)
        for v in with_room
        if len(v.rack.feeds) >= needs.psu
    }
    with_power = [v for v in with_room if any(c.power_ok for c in choices.get(v.rack.id, []))]
    space_ok = bool(with_room)
    power_ok: bool | None = bool(with_power) if space_ok else None

    # Site-bound: bandwidth and IP per site.
    mbps = Fraction(needs.bandwidth_mbps)
    uplink_by_site: dict[str, UplinkFacts | None] = {
        site: rules.preferred_uplink(facts.uplinks, mbps, site) for site in facts.sites
    }
    bandwidth_ok = mbps == 0 or any(uplink_by_site.values())
    prefix_by_site = {site: _prefix_choice(facts, roles, site) for site in facts.sites}
    ip_ok = not roles or any(
        all(p is not None for p in chosen.values()) for chosen in prefix_by_site.values()
    )

    name_verdicts = rules.judge_names(
        list(request.domains), facts.zones, facts.held_names, policy.reserved_labels
    )
    domain_ok = all(v.ok for v in name_verdicts)

    # UPS, rack by rack in order of preference: a rack's UPS are read when its turn comes,
    # and the first rack that passes the UPS rule in a site that passes the site-bound
    # checks is the proposal. Only when none does are all racks judged. The even shares
    # are read with the loads: the proposal's runtime estimates need them.
    with_ups: list[rules.SpaceVerdict] = []
    plan = None
    warn_at = load_thresholds(session).warn
    peaks = {v.rack.id: _peak_percent(choices[v.rack.id], policy.redundancy) for v in with_power}

    def preference(verdict: rules.SpaceVerdict) -> tuple[Any, ...]:
        return (peaks[verdict.rack.id] >= warn_at, *_preference(verdict))

    ranked = sorted(with_power, key=preference)
    for verdict in ranked:
        rack_choices = choices[verdict.rack.id]
        needed = {
            f.ups_id for c in rack_choices if c.power_ok for f in c.feeds if f.ups_id is not None
        }
        facts.ups.update(load_ups(session, facts.on, needed - facts.ups.keys(), policy))
        rack_choices = [
            rules.judge_ups(c, policy, facts.ups) if c.power_ok else c for c in rack_choices
        ]
        choices[verdict.rack.id] = rack_choices
        good = [c for c in rack_choices if c.ok]
        if not good:
            continue
        with_ups.append(verdict)
        site = verdict.rack.site
        if mbps > 0 and uplink_by_site.get(site) is None:
            continue
        if roles and not all(p is not None for p in prefix_by_site.get(site, {}).values()):
            continue
        choice = rules.preferred_choice(good, policy.redundancy)
        assert verdict.fit is not None and choice is not None
        plan = RackPlan(verdict.rack, verdict.fit, choice)
        break
    ups_ok: bool | None = bool(with_ups) if with_power else None

    all_ok = space_ok and power_ok and ups_ok and bandwidth_ok and ip_ok and domain_ok
    proposal = None
    # Addresses come from the proposal's site; without a proposal, from the first site
    # that has them all, so that the answer still says which addresses are next.
    ip_site = (
        plan.rack.site
        if plan is not None
        else next(
            (
                site
                for site, chosen in prefix_by_site.items()
                if all(p is not None for p in chosen.values())
            ),
            None,
        )
    )
    addresses: dict[tuple[int, str], tuple[PrefixFacts, list[str]]] = {}
    for family, role, count in roles:
        sites = [ip_site] if ip_site is not None else list(prefix_by_site)
        prefix = next(
            (prefix_by_site[s][(family, role)] for s in sites if prefix_by_site[s][(family, role)]),
            None,
        )
        if prefix is not None:
            found = [str(a) for a in free_addresses(session, facts.on, prefix, count)]
            addresses[(family, role)] = (prefix, found)
    if plan is not None:
        site = plan.rack.site
        if all_ok:
            proposal = _proposal(
                plan,
                needs,
                uplink_by_site.get(site) if mbps > 0 else None,
                roles,
                addresses,
                name_verdicts,
                facts.zones,
            )
    feasible = bool(all_ok and proposal is not None)
    if not words:
        verdicts = {
            "space": space_ok,
            "power": power_ok,
            "ups": ups_ok,
            "bandwidth": bandwidth_ok,
            "ip": ip_ok,
            "domain": domain_ok,
        }
        return CheckResult(
            feasible=feasible,
            evaluated_on=facts.on,
            checks={name: CheckOutcome(ok, "") for name, ok in verdicts.items()},
            proposal=proposal,
            needs=needs,
            request=request,
            summary="",
            lang=text.lang,
            ranked=tuple(v.rack.id for v in ranked),
        )

    reason = (
        messages.proposal_reason(text, plan, ranked, peaks, warn_at) if plan is not None else None
    )
    checks = {
        "space": messages.space(text, space, needs, plan),
        "power": messages.power(text, space, with_room, choices, needs, policy, plan, power_ok),
        "ups": messages.ups(text, with_power, choices, facts.ups, needs, policy, plan, ups_ok),
        "bandwidth": messages.bandwidth(
            text, facts.uplinks, mbps, plan, uplink_by_site, bandwidth_ok
        ),
        "ip": messages.ip(text, roles, facts, addresses, ip_ok),
        "domain": messages.domain(text, name_verdicts, domain_ok),
    }
    summary = messages.summary(text, feasible, proposal, checks, all_ok, reason)
    return CheckResult(
        feasible=feasible,
        evaluated_on=facts.on,
        checks=checks,
        proposal=proposal,
        needs=needs,
        request=request,
        summary=summary,
        lang=text.lang,
        ranked=tuple(v.rack.id for v in ranked),
    )


def _preference(verdict: rules.SpaceVerdict) -> tuple[Any, ...]:
    assert verdict.fit is not None
    rack = verdict.rack
    return (
        not rack.tenant_present,
        not rack.in_use,
        verdict.fit.block_size,
        natural_key(rack.name),
    )


def _peak_percent(rack_choices: list[rules.FeedChoice], redundancy: str) -> Fraction:
    """The fullest feed, in percent of its usable power, after the server on the preferred choice."""
    best = rules.preferred_choice([c for c in rack_choices if c.power_ok], redundancy)
    assert best is not None
    return max(
        ((f.load(redundancy) + best.added) / f.usable_w * 100 if f.usable_w else Fraction(100))
        for f in best.feeds
    )


def _prefix_choice(
    facts: Facts, roles: list[tuple[int, str, int]], site: str
) -> dict[tuple[int, str], PrefixFacts | None]:
    return {
        (family, role): rules.first_prefix_with(
            rules.prefixes_for_site(facts.prefixes.get((family, role), []), site), count
        )
        for family, role, count in roles
    }


def _proposal(
    plan: RackPlan,
    needs: ServerNeeds,
    uplink: UplinkFacts | None,
    roles: list[tuple[int, str, int]],
    addresses: dict[tuple[int, str], tuple[PrefixFacts, list[str]]],
    names: list[rules.NameVerdict],
    zones: dict[str, ZoneFacts],
) -> Proposal:
    feeds = sorted(plan.choice.feeds, key=lambda f: f.name)
    ups_names: list[str] = []
    for feed in feeds:
        if feed.ups_name is not None and feed.ups_name not in ups_names:
            ups_names.append(feed.ups_name)
    return Proposal(
        site=plan.rack.site,
        rack=plan.rack.name,
        position=plan.fit.position,
        u_height=needs.u_height,
        face=Face.FRONT.value,
        full_depth=needs.full_depth,
        feeds=[f.name for f in feeds],
        ups=ups_names,
        uplink=uplink.name if uplink else None,
        ipv4={role: addresses[(4, role)][1] for family, role, _ in roles if family == 4},
        ipv6={role: addresses[(6, role)][1] for family, role, _ in roles if family == 6},
        fqdns=[v.name for v in names],
        rack_id=plan.rack.id,
        feed_ids=[f.id for f in feeds],
        ups_ids=sorted({f.ups_id for f in feeds if f.ups_id is not None}),
        uplink_id=uplink.id if uplink else None,
        address_prefixes={
            address: (prefix.id, str(prefix.network))
            for prefix, found in addresses.values()
            for address in found
        },
        zones={v.name: v.zone for v in names if v.zone is not None},
        zone_ids={
            v.zone: zone_id
            for v in names
            if v.zone is not None and (zone_id := zones[v.zone].id) is not None
        },
    )


def judge_domains(session: Reader, names: list[str], on: dt.date, lang: str = "id") -> CheckOutcome:
    """The domain rule alone for some names (the Domain page's availability check); never writes."""
    normal = [rules.normalise_requested(name)[0] for name in names]
    zones, held = zones_for(session, on, normal)
    verdicts = rules.judge_names(names, zones, held, policy_facts(session).reserved_labels)
    return messages.domain(messages.Texts(lang), verdicts, all(v.ok for v in verdicts))


def still_fits(session: Reader, result: CheckResult, on: dt.date) -> bool:
    """Whether the proposal of an earlier check still satisfies every rule now.

    Reads only what the proposal touches (its units, feeds, UPS, uplink,
    addresses and names), so it is cheap enough to run under row locks.
    """

    proposal = result.proposal
    if proposal is None:
        return False
    needs = result.needs
    policy = policy_facts(session)
    power_w = Fraction(needs.power_w)
    rack = column_rows(
        session,
        select(Rack.id, Rack.status, Rack.u_height, Rack.max_weight_kg).where(
            Rack.id == proposal.rack_id
        ),
    ).first()
    if rack is None or rack.status != RackStatus.ACTIVE:
        return False
    occupied = occupancy.rack_occupancy(session, on, {rack.id: rack.u_height})[rack.id]
    faces = occupied_faces(proposal.face, proposal.full_depth)
    if any(
        u in occupied.taken[f]
        for u in range(proposal.position, proposal.top_unit + 1)
        for f in faces
    ):
        return False
    if rack.max_weight_kg is not None and occupied.weight_kg + Fraction(needs.weight_kg) > Fraction(
        rack.max_weight_kg
    ):
        return False
    shares = policy.redundancy == Redundancy.N
    rack_feeds = feeds_of_racks(session, on, [rack.id], policy).get(rack.id, [])
    feeds = [f for f in rack_feeds if f.id in proposal.feed_ids]
    choice = rules.judge_feeds(feeds, power_w, needs.psu, policy)
    ups = load_ups(session, on, set(choice.ups_added), policy, shares=shares)
    if not rules.judge_ups(choice, policy, ups).ok:
        return False
    if proposal.uplink_id is not None:
        uplink = column_rows(
            session, select(*Uplink.__table__.columns).where(Uplink.id == proposal.uplink_id)
        ).first()
        committed = occupancy.uplink_commitments(session, on, [proposal.uplink_id])
        if uplink is None or not rules.uplink_fits(
            UplinkFacts(
                uplink.id,
                uplink.name,
                "",
                uplink_usable(uplink, policy),
                committed.get(uplink.id, Fraction(0)),
            ),
            Fraction(needs.bandwidth_mbps),
        ):
            return False
    stale = set(occupancy.stale_hold_ids(session, on))
    addresses = proposal.addresses()
    if addresses:
        for (holder,) in column_rows(
            session, select(IPAddress.reservation_id).where(IPAddress.address.in_(addresses))
        ):
            if holder is None or holder not in stale:
                return False
    for fqdn, zone_name in proposal.zones.items():
        relative = relative_to(fqdn, zone_name)
        taken = session.scalar(
            select(Record.id)
            .join(Zone, Zone.id == Record.zone_id)
            .where(Zone.name == zone_name, Record.name == relative)
        )
        if taken is not None:
            return False
    if proposal.fqdns:
        for (holder,) in column_rows(
            session, select(NameClaim.reservation_id).where(NameClaim.fqdn.in_(proposal.fqdns))
        ):
            if holder not in stale:
                return False
    return True
