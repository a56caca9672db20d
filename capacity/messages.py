"""Explanations of the six verdicts, with their numbers, in Bahasa Indonesia or English.

Each function returns a :class:`~capacity.outcomes.CheckOutcome`-shaped triple
(ok, message, details). Details carry the numbers as plain JSON values so
that the app and the report can show them without re-deriving anything.

A message is written for a person first and an engineer second: its first
line is one sentence — what fails, by how much, and what would make it fit
(or, when it passes, what was found) — and the arithmetic behind it (each
feed's load plus the server against its limit, every rack that could not)
follows after a line break. :func:`lead` and :func:`arithmetic` split them;
the app shows the lead and keeps the sums behind an expander, the command
line indents them under it. The line break keeps the check document of the
contract unchanged: ``message`` is still one string with all the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, overload

from dcim import i18n
from dcim.choices import Redundancy
from dcim.limits import PolicyFacts, runtime_minutes
from dcim.names import NAME_PROBLEMS

from . import rules
from .facts import CountedOutRack, Facts, FeedFacts, PrefixFacts, UplinkFacts, UPSFacts
from .outcomes import CheckOutcome, Deferred, Proposal, RackPlan

if TYPE_CHECKING:
    from .request import ServerNeeds

MAX_LISTED = 8


@dataclass(frozen=True)
class Texts:
    """Message lookup and number formatting in one language."""

    lang: str

    def __call__(self, key: str, **params: Any) -> str:
        return i18n.t(f"capacity.{key}", self.lang, **params)

    def num(self, value: Fraction | float | int, decimals: int = 1) -> str:
        """A number the local way, at most ``decimals`` places."""
        return i18n.number(float(value), self.lang, decimals=decimals)

    def listing(self, items: Sequence[str | Callable[[], str]]) -> str:
        """Items joined with commas, cut after a few with "and N more".

        An item may be a function giving its text, so that texts that will
        not be shown (of a thousand racks, all but a few) are never formatted.
        """
        shown = [item if isinstance(item, str) else item() for item in items[:MAX_LISTED]]
        if len(items) > MAX_LISTED:
            shown.append(self("more", count=len(items) - MAX_LISTED))
        return ", ".join(shown)


class Worded(Sequence[Callable[[], str]]):
    """Items each worded by ``word`` only when taken: :meth:`Texts.listing` shows a few of
    what may be a thousand racks, so the others are never even wrapped in a callable."""

    def __init__(self, items: Sequence[Any], word: Callable[[Any], str]) -> None:
        self._items = items
        self._word = word

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Callable[[], str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[Callable[[], str]]: ...

    def __getitem__(self, index: int | slice) -> Callable[[], str] | list[Callable[[], str]]:
        if isinstance(index, slice):
            return [partial(self._word, item) for item in self._items[index]]
        return partial(self._word, self._items[index])


def _outcome(ok: bool | None, message: str, details: dict[str, Any]) -> CheckOutcome:
    return CheckOutcome(ok=ok, message=message, given_details=details)


def _message(first: str, *rest: str) -> str:
    """The sentence a person reads, then (after a line break) the sums behind it."""
    behind = " ".join(part for part in rest if part)
    return f"{first}\n{behind}" if behind else first


def lead(message: str) -> str:
    """The first line of a check's message: the one sentence that explains the verdict."""
    return message.split("\n", 1)[0]


def arithmetic(message: str) -> str:
    """What follows the lead: the per-feed sums and the racks that could not (may be empty)."""
    parts = message.split("\n", 1)
    return parts[1] if len(parts) > 1 else ""


def explanation(document: dict[str, Any], lang: str) -> list[str]:
    """The summary of a check result's document, then one line per failed check naming it.

    The command line (``check``, ``request act … check``, ``request show``)
    and the app print the same lines, so an answer reads the same wherever
    it is seen.
    """
    lines = [str(document.get("summary") or "")]
    for name, outcome in document.get("checks", {}).items():
        if outcome.get("ok") is False:
            label = i18n.t(f"capacity.names.{name}", lang)
            lines.append(
                f"✘ {label[:1].upper()}{label[1:]}: {lead(str(outcome.get('message', '')))}"
            )
    return [line for line in lines if line]


def _w(value: Fraction) -> float:
    return round(float(value), 3)


# --- space -------------------------------------------------------------------------------------


def space(
    text: Texts,
    verdicts: list[rules.SpaceVerdict],
    needs: ServerNeeds,
    plan: RackPlan | None,
) -> CheckOutcome:
    depth = text("depth.full" if needs.full_depth else "depth.half")
    fitting = [v for v in verdicts if v.fit is not None]
    details: dict[str, Any] = {
        "candidates": Deferred(
            lambda: [
                {
                    "rack": v.rack.name,
                    "position": v.fit.position,
                    "free_block_u": v.fit.block_size,
                    "largest_free_block_u": v.largest_block,
                }
                for v in fitting
                if v.fit is not None
            ]
        ),
        "rejected": Deferred(
            lambda: [
                {"rack": v.rack.name, "reason": v.reason, "largest_free_block_u": v.largest_block}
                for v in verdicts
                if v.fit is None
            ]
        ),
    }
    if not verdicts:
        return _outcome(False, text("space.no_racks"), details)
    if fitting:
        first = text(
            "space.ok",
            count=len(fitting),
            u=needs.u_height,
            depth=depth,
            racks=text.listing([v.rack.name for v in fitting]),
        )
        if plan is not None:
            first += " " + text(
                "space.ok_proposal",
                rack=plan.rack.name,
                units=units(plan.fit.position, plan.fit.position + needs.u_height - 1),
                block=plan.fit.block_size,
            )
        others = Worded(
            [v for v in verdicts if v.fit is None and v.reason != "site"],
            partial(_space_reason, text),
        )
        rest = text("space.others", racks=text.listing(others)) + "." if others else ""
        return _outcome(True, _message(first, rest), details)
    reasons = Worded([v for v in verdicts if v.reason != "site"], partial(_space_reason, text))
    hints: list[tuple[Fraction, Callable[[], str]]] = []
    for v in verdicts:
        rack = v.rack
        if v.reason == "weight":
            assert rack.max_weight_kg is not None and v.weight_after is not None
            excess = v.weight_after - rack.max_weight_kg
            hints.append((excess, partial(_weight_hint, text, rack.name, excess)))
        elif v.reason == "no_block" and not isinstance(rack, CountedOutRack):
            missing = needs.u_height - v.largest_block
            hints.append(
                (
                    Fraction(missing) * 1000,
                    partial(
                        text,
                        "space.hint_block",
                        rack=rack.name,
                        missing=missing,
                        largest=v.largest_block,
                    ),
                )
            )
    first = text("space.fail", u=needs.u_height, depth=depth)
    if hints:
        first = text(
            "space.fail_lead",
            u=needs.u_height,
            depth=depth,
            hint=min(hints, key=lambda h: h[0])[1](),
        )
    rest = text.listing(reasons) + "." if reasons else ""
    return _outcome(False, _message(first, rest), details)


def _weight_hint(text: Texts, rack: str, excess: Fraction) -> str:
    return text("space.hint_weight", rack=rack, excess=text.num(excess))


def units(first: int, last: int) -> str:
    """A run of rack units: ``U7`` or ``U7–U8``."""
    return f"U{first}" if first == last else f"U{first}–U{last}"


def _space_reason(text: Texts, v: rules.SpaceVerdict) -> str:
    rack = v.rack
    if v.reason == "status":
        return text("space.reason_status", rack=rack.name, status=rack.status)
    if v.reason == "weight":
        assert rack.max_weight_kg is not None and v.weight_after is not None
        return text(
            "space.reason_weight",
            rack=rack.name,
            after=text.num(v.weight_after),
            limit=text.num(rack.max_weight_kg),
        )
    if isinstance(rack, CountedOutRack):
        return text("space.reason_counted_out", rack=rack.name, free=max(rack.free_units or 0, 0))
    return text("space.reason_no_block", rack=rack.name, largest=v.largest_block)


# --- power -------------------------------------------------------------------------------------


def _mode(text: Texts, policy: PolicyFacts, psu: int) -> str:
    return (
        text("power.mode_2n")
        if policy.redundancy == Redundancy.TWO_N
        else text("power.mode_n", psu=psu)
    )


def _feed_line(text: Texts, feed: FeedFacts, added: Fraction, redundancy: str) -> str:
    load = feed.load(redundancy)
    return text(
        "power.feed_detail",
        feed=feed.name,
        load=text.num(load),
        added=text.num(added),
        after=text.num(load + added),
        usable=text.num(feed.usable_w),
    )


def _feed_json(feed: FeedFacts, added: Fraction, redundancy: str) -> dict[str, Any]:
    load = feed.load(redundancy)
    return {
        "feed": feed.name,
        "ups": feed.ups_name,
        "load_w": _w(load),
        "added_w": _w(added),
        "after_w": _w(load + added),
        "usable_w": _w(feed.usable_w),
        "headroom_w": _w(feed.usable_w - load - added),
    }


def _power_row(
    rack: str, ok: bool, reason: str | None, choice: rules.FeedChoice, redundancy: str
) -> dict[str, Any]:
    """One rack of the power verdict's details: its feeds with the server on ``choice``."""
    row: dict[str, Any] = {"rack": rack, "ok": ok}
    if reason is not None:
        row["reason"] = reason
    row["feeds"] = [_feed_json(f, choice.added, redundancy) for f in choice.feeds]
    return row


def _power_reason(
    text: Texts, rack: str, feed: FeedFacts, choice: rules.FeedChoice, redundancy: str
) -> str:
    load = feed.load(redundancy)
    return text(
        "power.reason_over",
        rack=rack,
        feed=feed.name,
        load=text.num(load),
        added=text.num(choice.added),
        after=text.num(load + choice.added),
        usable=text.num(feed.usable_w),
        short=text.num(choice.power_shortfall[feed.name]),
    )


def _power_hint(text: Texts, rack: str, choice: rules.FeedChoice) -> str:
    parts = [
        text("power.hint_part", watts=text.num(short), feed=name)
        for name, short in sorted(choice.power_shortfall.items())
    ]
    return text("power.hint", rack=rack, parts=text("and").join(parts))


def power(
    text: Texts,
    verdicts: list[rules.SpaceVerdict],
    with_room: list[rules.SpaceVerdict],
    choices: dict[int, list[rules.FeedChoice]],
    needs: ServerNeeds,
    policy: PolicyFacts,
    plan: RackPlan | None,
    ok: bool | None,
) -> CheckOutcome:
    redundancy = policy.redundancy
    watts = text.num(needs.power_w)
    mode = _mode(text, policy, needs.psu)
    rows: list[Callable[[], dict[str, Any]]] = []
    details: dict[str, Any] = {
        "redundancy": redundancy,
        "psu": needs.psu,
        "racks": Deferred(lambda: [row() for row in rows]),
    }
    if ok is None:
        return _outcome(None, text("not_evaluated_space"), details)
    passing: list[str] = []
    reasons: list[Callable[[], str]] = []
    hints: list[tuple[Fraction, Callable[[], str]]] = []
    for v in with_room:
        rack = v.rack
        rack_choices = choices.get(rack.id)
        if rack_choices is None:
            reasons.append(
                partial(
                    text,
                    "power.reason_few_feeds",
                    rack=rack.name,
                    count=len(rack.feeds),
                    psu=needs.psu,
                )
            )
            rows.append(
                partial(dict, rack=rack.name, ok=False, reason="few_feeds", feeds=len(rack.feeds))
            )
            continue
        good = [c for c in rack_choices if c.power_ok]
        if good:
            passing.append(rack.name)
            best = rules.preferred_choice(good, redundancy)
            assert best is not None
            rows.append(partial(_power_row, rack.name, True, None, best, redundancy))
            continue
        closest = min(rack_choices, key=lambda c: (c.power_short_total, [f.name for f in c.feeds]))
        rows.append(partial(_power_row, rack.name, False, "over", closest, redundancy))
        reasons += [
            partial(_power_reason, text, rack.name, f, closest, redundancy)
            for f in closest.feeds
            if f.name in closest.power_shortfall
        ]
        hints.append((closest.power_short_total, partial(_power_hint, text, rack.name, closest)))
    if passing:
        first = text(
            "power.ok", count=len(passing), watts=watts, mode=mode, racks=text.listing(passing)
        )
        rest = ""
        if plan is not None:
            lines = [_feed_line(text, f, plan.choice.added, redundancy) for f in plan.choice.feeds]
            rest = text("power.ok_detail", rack=plan.rack.name, feeds=text("joiner").join(lines))
        return _outcome(True, _message(first, rest), details)
    if hints:
        first = text(
            "power.fail_lead", watts=watts, mode=mode, hint=min(hints, key=lambda h: h[0])[1]()
        )
        rest = text("power.why_not", racks=text.listing(reasons)) + "."
    else:  # every rack lacks feeds: the reasons are short and are the explanation
        first = text("power.fail", watts=watts, mode=mode) + " " + text.listing(reasons) + "."
        rest = ""
    return _outcome(False, _message(first, rest), details)


# --- UPS ---------------------------------------------------------------------------------------


def _duration(text: Texts, minutes: float | None) -> str:
    if minutes is None:
        return "–"
    total = round(minutes)
    hours, rest = divmod(total, 60)
    return (
        text("ups.hours", hours=hours, minutes=rest) if hours else text("ups.minutes", minutes=rest)
    )


def ups(
    text: Texts,
    with_power: list[rules.SpaceVerdict],
    choices: dict[int, list[rules.FeedChoice]],
    ups_facts: dict[int, UPSFacts],
    needs: ServerNeeds,
    policy: PolicyFacts,
    plan: RackPlan | None,
    ok: bool | None,
) -> CheckOutcome:
    redundancy = policy.redundancy
    power_w = Fraction(needs.power_w)
    details: dict[str, Any] = {"ups": []}
    if ok is None:
        return _outcome(None, text("not_evaluated_power"), details)
    if ok:
        if plan is None:  # UPS fine, but no site offered bandwidth and addresses together
            plan_choice = rules.preferred_choice(
                [c for v in with_power for c in choices[v.rack.id] if c.ok], redundancy
            )
        else:
            plan_choice = plan.choice
        assert plan_choice is not None
        lines = []
        for uid, extra in plan_choice.ups_added.items():
            facts = ups_facts[uid]
            load = facts.load(redundancy)
            # Runtime follows the even shares, whatever the redundancy policy counts.
            normal_after = (
                facts.normal_w
                + rules.ups_addition(plan_choice.feeds, power_w, needs.psu, Redundancy.N)[uid]
            )
            before_rt = runtime_minutes(facts.battery_wh, facts.normal_w)
            after_rt = runtime_minutes(facts.battery_wh, normal_after)
            runtime = (
                text(
                    "ups.runtime",
                    before=_duration(text, before_rt),
                    after=_duration(text, after_rt),
                )
                if facts.battery_wh is not None
                else ""
            )
            lines.append(
                text(
                    "ups.ups_detail",
                    ups=facts.name,
                    before=text.num(load),
                    after=text.num(load + extra),
                    usable=text.num(facts.usable_w),
                    runtime=runtime,
                )
            )
            details["ups"].append(
                {
                    "ups": facts.name,
                    "load_w": _w(load),
                    "added_w": _w(extra),
                    "after_w": _w(load + extra),
                    "usable_w": _w(facts.usable_w),
                    "normal_w": _w(facts.normal_w),
                    "normal_after_w": _w(normal_after),
                    "runtime_min": None if before_rt is None else round(before_rt, 1),
                    "runtime_after_min": None if after_rt is None else round(after_rt, 1),
                }
            )
        message = _message(
            text("ups.ok", watts=text.num(power_w)), text("joiner").join(lines) + "."
        )
        return _outcome(True, message, details)
    reasons, hints = [], []
    for v in with_power:
        rack = v.rack
        good = [c for c in choices[rack.id] if c.power_ok]
        closest = min(
            good,
            key=lambda c: (
                len(c.unbacked),
                sum(c.ups_shortfall.values()),
                [f.name for f in c.feeds],
            ),
        )
        if closest.unbacked:
            reasons.append(
                text("ups.reason_unbacked", rack=rack.name, feeds=", ".join(closest.unbacked))
            )
            continue
        for uid, extra in closest.ups_added.items():
            facts = ups_facts[uid]
            if facts.name in closest.ups_shortfall:
                load = facts.load(redundancy)
                short = closest.ups_shortfall[facts.name]
                reasons.append(
                    text(
                        "ups.reason_over",
                        rack=rack.name,
                        ups=facts.name,
                        load=text.num(load),
                        added=text.num(extra),
                        after=text.num(load + extra),
                        usable=text.num(facts.usable_w),
                        short=text.num(short),
                    )
                )
                hints.append(
                    (short, text("ups.hint", rack=rack.name, watts=text.num(short), ups=facts.name))
                )
    for _uid, facts in sorted(ups_facts.items()):
        details["ups"].append(
            {
                "ups": facts.name,
                "load_w": _w(facts.load(redundancy)),
                "usable_w": _w(facts.usable_w),
            }
        )
    listed = text.listing(sorted(set(reasons), key=reasons.index)) + "."
    if hints:
        first = text("ups.fail_lead", hint=min(hints, key=lambda h: h[0])[1])
        return _outcome(False, _message(first, text("power.why_not", racks=listed)), details)
    return _outcome(False, text("ups.fail") + " " + listed, details)


# --- bandwidth ---------------------------------------------------------------------------------


def bandwidth(
    text: Texts,
    uplinks: list[UplinkFacts],
    mbps: Fraction,
    plan: RackPlan | None,
    preferred: dict[str, UplinkFacts | None],
    ok: bool,
) -> CheckOutcome:
    details: dict[str, Any] = {
        "requested_mbps": _w(mbps),
        "uplinks": [
            {
                "uplink": u.name,
                "site": u.site,
                "committed_mbps": _w(u.committed_mbps),
                "usable_mbps": _w(u.usable_mbps),
                "fits": rules.uplink_fits(u, mbps),
            }
            for u in uplinks
        ],
    }
    if mbps == 0:
        return _outcome(True, text("bandwidth.none"), details)
    if ok:
        chosen = (
            preferred.get(plan.rack.site)
            if plan is not None
            else next((u for u in preferred.values() if u), None)
        )
        assert chosen is not None
        first = text(
            "bandwidth.ok_lead",
            uplink=chosen.name,
            mbps=text.num(mbps),
            left=text.num(chosen.usable_mbps - chosen.committed_mbps - mbps),
        )
        sums = text(
            "bandwidth.ok",
            uplink=chosen.name,
            committed=text.num(chosen.committed_mbps),
            mbps=text.num(mbps),
            after=text.num(chosen.committed_mbps + mbps),
            usable=text.num(chosen.usable_mbps),
        )
        others = [u.name for u in uplinks if u is not chosen and rules.uplink_fits(u, mbps)]
        if others:
            sums += " " + text("bandwidth.others", uplinks=text.listing(others))
        return _outcome(True, _message(first, sums), details)
    if not uplinks:
        return _outcome(False, text("bandwidth.no_uplinks"), details)
    lefts = [
        text(
            "bandwidth.uplink_left",
            uplink=u.name,
            left=text.num(max(u.usable_mbps - u.committed_mbps, Fraction(0))),
            usable=text.num(u.usable_mbps),
        )
        for u in uplinks
    ]
    closest = min(uplinks, key=lambda u: (u.committed_mbps + mbps - u.usable_mbps, u.name))
    hint = text(
        "bandwidth.hint",
        uplink=closest.name,
        short=text.num(closest.committed_mbps + mbps - closest.usable_mbps),
    )
    first = text("bandwidth.fail_lead", mbps=text.num(mbps), hint=hint)
    rest = text("bandwidth.fail", mbps=text.num(mbps), uplinks=text.listing(lefts))
    return _outcome(False, _message(first, rest), details)


# --- IP ----------------------------------------------------------------------------------------


def ip(
    text: Texts,
    roles: list[tuple[int, str, int]],
    facts: Facts,
    addresses: dict[tuple[int, str], tuple[PrefixFacts, list[str]]],
    ok: bool,
) -> CheckOutcome:
    details: dict[str, Any] = {"roles": []}
    if not roles:
        return _outcome(True, text("ip.none"), details)
    parts = []
    for family, role, count in roles:
        prefixes = facts.prefixes.get((family, role), [])
        entry: dict[str, Any] = {
            "role": role,
            "family": family,
            "count": count,
            "prefixes": [
                {
                    "prefix": str(p.network),
                    "site": p.site,
                    "usable": p.usable_count,
                    "free": p.free_count,
                }
                for p in prefixes
            ],
        }
        if (family, role) in addresses:
            prefix, found = addresses[(family, role)]
            entry.update({"prefix": str(prefix.network), "addresses": found})
            parts.append(
                text(
                    "ip.role_ok",
                    role=role,
                    family=family,
                    addresses=", ".join(found),
                    prefix=str(prefix.network),
                    free=text.num(prefix.free_count, 0),
                )
            )
        elif not prefixes:
            parts.append(text("ip.role_missing", role=role, family=family))
        else:
            best = max(prefixes, key=lambda p: p.free_count)
            parts.append(
                text(
                    "ip.role_fail",
                    role=role,
                    family=family,
                    count=count,
                    best=best.free_count,
                    where=text("ip.role_where", prefix=str(best.network)),
                )
            )
        details["roles"].append(entry)
    key = "ip.ok" if ok else "ip.fail"
    return _outcome(ok, text(key, roles=text("joiner").join(parts)), details)


# --- domain ------------------------------------------------------------------------------------


# Why a name is not a host name, as :mod:`dcim.names` says it (in English, its one wording),
# matched here to the catalog's words so that the answer reads in the language asked.
# The engine's English wordings of a host-name problem and their catalog keys (dcim.names).
_NAME_PROBLEMS = NAME_PROBLEMS


def name_problem(text: Texts, problem: str) -> str:
    """A host-name problem in the language asked (an unknown wording is shown as it is)."""
    for pattern, key in _NAME_PROBLEMS:
        found = pattern.match(problem)
        if found:
            return text(f"domain.problem.{key}", **found.groupdict())
    return problem


def _reason(text: Texts, code: str, params: dict[str, str]) -> str:
    if code == "invalid":
        return text("domain.invalid", problem=name_problem(text, params.get("problem", "")))
    return text(f"domain.{code}", **params)


def domain(text: Texts, verdicts: list[rules.NameVerdict], ok: bool) -> CheckOutcome:
    details = {
        "names": [
            {
                "requested": v.requested,
                "name": v.name,
                "zone": v.zone,
                "relative": v.relative,
                "ok": v.ok,
                "reasons": [code for code, _ in v.reasons],
            }
            for v in verdicts
        ],
    }
    if not verdicts:
        return _outcome(True, text("domain.none"), details)
    if ok:
        names = [text("domain.name_ok", name=v.name, zone=v.zone) for v in verdicts]
        return _outcome(True, text("domain.ok", names=", ".join(names)), details)
    refused = [
        text(
            "domain.name_fail",
            name=v.name,
            reasons=", ".join(_reason(text, code, params) for code, params in v.reasons),
        )
        for v in verdicts
        if not v.ok
    ]
    return _outcome(False, text("domain.fail", names=text("joiner").join(refused)), details)


# --- summary -----------------------------------------------------------------------------------


def proposal_reason(
    text: Texts,
    plan: RackPlan,
    ranked: Sequence[rules.SpaceVerdict],
    peaks: dict[int, Fraction],
    warn_at: Fraction,
) -> str:
    """Why the proposal took its rack, in one sentence, with the rule of the preference that decided.

    ``ranked`` is every rack that passes power in the order of preference,
    ``peaks`` the fullest feed of each (percent of usable, with the server).
    """
    rack = plan.rack
    peak = text.num(peaks[rack.id])
    warn = text.num(warn_at, 0)
    if peaks[rack.id] >= warn_at:
        # Every rack that fits would pass the warning level: the usual order decided, and says so.
        return text("reason.all_over", rack=rack.name, peak=peak, warn=warn)
    # A rack the usual order (tenant, in use, best fit) would have taken, passed over for headroom.
    passed_over = [
        v
        for v in ranked
        if peaks[v.rack.id] >= warn_at
        and (not v.rack.tenant_present, not v.rack.in_use)
        < (not rack.tenant_present, not rack.in_use)
    ]
    if passed_over:
        other = passed_over[0].rack
        key = "reason.headroom_tenant" if other.tenant_present else "reason.headroom"
        return text(
            key,
            rack=rack.name,
            peak=peak,
            other=other.name,
            other_peak=text.num(peaks[other.id]),
            warn=warn,
        )
    if rack.tenant_present:
        return text("reason.tenant", rack=rack.name, peak=peak, warn=warn)
    if rack.in_use:
        return text("reason.fill", rack=rack.name, peak=peak, warn=warn, block=plan.fit.block_size)
    return text("reason.empty", rack=rack.name, peak=peak, warn=warn)


def summary(
    text: Texts,
    feasible: bool,
    proposal: Proposal | None,
    checks: dict[str, CheckOutcome],
    all_ok: bool | None,
    reason: str | None = None,
) -> str:
    """One line for the whole answer: the verdict, and either why the rack or what failed."""
    if feasible and proposal is not None:
        uplink = text("summary.uplink", uplink=proposal.uplink) if proposal.uplink else ""
        line = text(
            "summary.feasible",
            rack=proposal.rack,
            units=units(proposal.position, proposal.top_unit),
            feeds=", ".join(proposal.feeds),
            uplink=uplink,
        )
        return f"{line} {reason}" if reason else line
    failed = [text(f"names.{name}") for name, outcome in checks.items() if outcome.ok is False]
    if not failed and all_ok:
        failed = [text("summary.no_site")]
    return text("summary.infeasible", failed=", ".join(failed))
