"""Rencana kebutuhan: what the data center must buy, and by when, so that next year's servers fit.

The plan places the expected servers in date order on a scratch copy of the
inventory with the step-5 engine (each placement is held, so the later ones
see it). When one does not fit, it looks for the cheapest set of catalogue
items that makes it fit, adds them to the copy, and goes on. At the end every
purchase is re-checked: the whole year is replayed without it, and a purchase
without which every server still fits is dropped (the answer is minimal); the
servers that fail without it are the ones it unlocks, and the earliest of
them, minus the item's lead time in working days, is the date it must be
ordered by.

Search for the cheapest set (see docs/plan.md):
- exact when at most :data:`EXACT_LIMIT` catalogue items could help the
  checks that failed: every subset, cheapest first, is checked until one fits;
  adding capacity never turns a fit into a misfit, so the first that fits is
  the cheapest, and a subset of a set known not to fit is skipped unchecked;
- beyond that, a heuristic: the better of the exact search over the
  :data:`EXACT_LIMIT` cheapest helpful items and a reverse delete (start from
  every helpful item, drop the dearest ones while it still fits). The answer
  then carries ``optimal: false`` and a lower bound (the dearest of the
  cheapest fixes the failed checks need one each), so the gap is known.

Nothing here writes to the real inventory: it is read once (the inventory
export) and copied into a temporary SQLite file.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.orm import Session

from dcim.accounts import Operator
from dcim.addressing import parse_prefix
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.errors import InputError, Problem
from dcim.inventory.export import read_inventory
from dcim.inventory.load import merge, name_ids, parse_inventory, write
from dcim.inventory.rules import check as inventory_rules
from dcim.inventory.schema import InventoryFile, PrefixEntry, RackEntry, UPSEntry
from dcim.limits import advance_free_hints
from dcim.models import UPS, PowerFeed, Prefix, Rack, Tenant, Uplink
from dcim.workdays import WorkingCalendar, calendar_for, today

from .check import CheckResult, run_check
from .holds import write_hold
from .planfile import (
    FeedUpgradeItem,
    PlanFile,
    PlannedServer,
    PrefixItem,
    RackItem,
    UplinkUpgradeItem,
    UPSItem,
)
from .request import CapacityRequest, ServerSpec, server_needs

#: Up to this many helpful items the search is exact (2^12 = 4,096 subsets at most).
EXACT_LIMIT = 12
#: The checks each kind of purchase can turn from failed to ok.
FIXES: dict[str, frozenset[str]] = {
    "rack": frozenset({"space", "power", "ups"}),
    "feed_upgrade": frozenset({"power", "ups"}),  # UPS only when it moves the feed to another UPS
    "ups": frozenset({"ups"}),
    "uplink_upgrade": frozenset({"bandwidth"}),
    "prefix": frozenset({"ip"}),
}
# Who places the expected servers on the scratch copy (its audit log is thrown away with it).
_PLANNER = Operator("rencana-kebutuhan")
# A tenant the copy gets for servers whose plan names none (a hold needs one).
_NO_TENANT = "rencana-tanpa-opd"


@dataclass
class Purchase:
    """One item to buy: its price, when to order it, and the servers it unlocks."""

    item_id: str
    kind: str
    description: str | None
    price_idr: int
    lead_time_working_days: int
    order_by: dt.date
    needed_on: dt.date
    unlocks: list[str]
    late: bool

    def to_json(self) -> dict[str, Any]:
        """The purchase as the ``--json`` document lists it."""
        return {
            "item": self.item_id,
            "kind": self.kind,
            "description": self.description,
            "price_idr": self.price_idr,
            "lead_time_working_days": self.lead_time_working_days,
            "needed_on": self.needed_on.isoformat(),
            "order_by": self.order_by.isoformat(),
            "late": self.late,
            "unlocks": self.unlocks,
        }


@dataclass
class Placement:
    """Where one expected server goes, or why it cannot go anywhere."""

    server: str
    needed_on: dt.date
    placed: bool
    rack: str | None = None
    position: int | None = None
    bought: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    # What the placement draws on: ("rack", name), ("ups", name), ("feed", name), ...
    uses: frozenset[tuple[str, str]] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """The placement as the ``--json`` document lists it."""
        return {
            "server": self.server,
            "needed_on": self.needed_on.isoformat(),
            "placed": self.placed,
            "rack": self.rack,
            "position": self.position,
            "bought_for_it": self.bought,
            "reasons": self.reasons,
        }


@dataclass
class PlanResult:
    """The answer: purchases, their total, the placements, and what cannot be placed."""

    evaluated_on: dt.date
    purchases: list[Purchase]
    placements: list[Placement]
    optimal: bool
    lower_bound_idr: int
    checks_run: int
    seconds: float
    # Where the checks went (the pass, the whole-year search, the full replays, the replays
    # without a purchase), for benchmarks/plan.py; not part of the answer.
    checks_by_phase: dict[str, int] = field(default_factory=dict)
    # Checks of replays made ahead in worker processes and thrown away (a purchase judged
    # before them was dropped): CPU spent, not part of checks_run, which stays the
    # sequential count.
    discarded_checks: int = 0

    @property
    def total_idr(self) -> int:
        """What the purchases cost together."""
        return sum(p.price_idr for p in self.purchases)

    @property
    def unplaceable(self) -> list[Placement]:
        """The servers that no purchase of the catalogue makes fit."""
        return [p for p in self.placements if not p.placed]

    def to_json(self) -> dict[str, Any]:
        """The document ``dcim plan --json`` prints."""
        return {
            "evaluated_on": self.evaluated_on.isoformat(),
            "total_idr": self.total_idr,
            "optimal": self.optimal,
            "lower_bound_idr": self.lower_bound_idr,
            "purchases": [p.to_json() for p in self.purchases],
            "placements": [p.to_json() for p in self.placements],
            "unplaceable": [
                {"server": p.server, "needed_on": p.needed_on.isoformat(), "reasons": p.reasons}
                for p in self.unplaceable
            ],
            "checks_run": self.checks_run,
        }


# --- working days backwards ---------------------------------------------------------------------


def order_by_date(calendar: WorkingCalendar, needed_on: dt.date, lead_days: int) -> dt.date:
    """The last working day on which an order with ``lead_days`` working days still arrives in time.

    It is ``lead_days`` working days before the last working day on or before
    ``needed_on``: ``add_working_days(result, lead_days)`` is never after ``needed_on``.
    """
    current = needed_on
    # Needed on a holiday: it must be there on the last working day before it.
    while not calendar.is_working_day(current):
        current -= dt.timedelta(days=1)
    counted = 0
    while counted < lead_days:
        current -= dt.timedelta(days=1)
        if calendar.is_working_day(current):
            counted += 1
    while not calendar.is_working_day(current):
        current -= dt.timedelta(days=1)
    return current


# --- the scratch copy ---------------------------------------------------------------------------


class Scratch:
    """A temporary SQLite copy of the inventory; cloned with SQLite's backup API for replays."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / f"{name}.db"
        self.engine = get_engine(f"sqlite:///{self.path}")

    def clone(self, name: str) -> Scratch:
        """An exact copy of this database, in a few milliseconds."""
        other = Scratch(self.path.parent, name)
        source = sqlite3.connect(self.path)
        target = sqlite3.connect(other.path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return other

    def dispose(self) -> None:
        """Close the engine's connections."""
        self.engine.dispose()

    def remove(self) -> None:
        """Close the connections and delete the files (the database, its WAL and index)."""
        self.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def _explicit_request(server: PlannedServer, needs: Any) -> CapacityRequest:
    """The server's request with every need written out, so that the copy needs no catalog."""
    data = server.model_dump(exclude={"on", "name", "server"})
    spec = ServerSpec(
        model=None,
        form_factor=needs.form_factor,
        u_height=needs.u_height,
        full_depth=needs.full_depth,
        weight_kg=needs.weight_kg,
        power_w=needs.power_w,
        psu=needs.psu,
        bandwidth_mbps=needs.bandwidth_mbps,
    )
    return CapacityRequest.model_construct(**data, server=spec)


# --- catalogue items on the copy ----------------------------------------------------------------


def _entry(model: type, item: Any) -> Any:
    """The plain inventory entry inside a catalogue item."""
    return model.model_validate(item.model_dump(include=set(model.model_fields)))


def _additions(items: Iterable[Any], existing_ups: set[str]) -> InventoryFile:
    """The new entries a set of items adds (upgrades of existing rows are not entries)."""
    added = InventoryFile(version=1)
    for item in items:
        if isinstance(item, UPSItem) and item.name not in existing_ups:
            added.ups.append(_entry(UPSEntry, item))
        elif isinstance(item, RackItem):
            added.power_feeds.extend(item.power_feeds)
            added.racks.append(_entry(RackEntry, item))
        elif isinstance(item, PrefixItem):
            added.prefixes.append(_entry(PrefixEntry, item))
    return added


def apply_items(session: Session, items: Sequence[Any]) -> None:
    """Add or upgrade what the items describe, in the caller's transaction."""
    existing_ups = set(session.scalars(select(UPS.name)))
    upgrades = [i for i in items if isinstance(i, UPSItem) and i.name in existing_ups]
    for item in upgrades:
        session.execute(
            update(UPS)
            .where(UPS.name == item.name)
            .values(
                capacity_kva=item.capacity_kva,
                **{k: getattr(item, k) for k in ("power_factor", "battery_wh") if getattr(item, k)},
            )
        )
    added = _additions(items, existing_ups)
    if added.ups or added.racks or added.prefixes:
        before = set(session.scalars(select(Prefix.id)))
        write(session, added)
        new_prefixes = set(session.scalars(select(Prefix.id))) - before
        if new_prefixes:
            advance_free_hints(session, new_prefixes)
    for item in items:
        if isinstance(item, FeedUpgradeItem):
            values = {
                k: getattr(item, k)
                for k in ("amperage", "voltage", "phase", "max_utilization")
                if getattr(item, k) is not None
            }
            if item.ups is not None:
                values["ups_id"] = name_ids(session, UPS.id, UPS.name)[item.ups]
            if values:
                session.execute(
                    update(PowerFeed).where(PowerFeed.name == item.feed).values(**values)
                )
        elif isinstance(item, UplinkUpgradeItem):
            session.execute(
                update(Uplink)
                .where(Uplink.name == item.uplink)
                .values(capacity_mbps=item.capacity_mbps)
            )
    session.flush()


def _unbuy(session: Session, items: Sequence[Any]) -> None:
    """Take back out the new entries of items that nothing uses yet (see :class:`_Snapshots`).

    Only additions can be taken back: a rack with its feeds, a new UPS, an address block.
    Nothing may stand on them (the database refuses to delete a rack a hold or device
    uses); the rack's units and the block's reserved ranges go with them (cascade).
    """
    prefixes = [str(parse_prefix(i.prefix)) for i in items if isinstance(i, PrefixItem)]
    racks = [i for i in items if isinstance(i, RackItem)]
    feeds = [feed.name for rack in racks for feed in rack.power_feeds]
    ups = [i.name for i in items if isinstance(i, UPSItem)]
    if prefixes:
        session.execute(delete(Prefix).where(Prefix.prefix.in_(prefixes)))
    if racks:
        session.execute(delete(Rack).where(Rack.name.in_([r.name for r in racks])))
    if feeds:
        session.execute(delete(PowerFeed).where(PowerFeed.name.in_(feeds)))
    if ups:
        session.execute(delete(UPS).where(UPS.name.in_(ups)))
    session.expire_all()


def _catalogue_problems(inventory: InventoryFile, plan: PlanFile) -> list[Problem]:
    """Items must fit the inventory: upgrades name existing rows, new entries break no rule."""
    problems: list[Problem] = []
    ups_names = {u.name for u in inventory.ups}
    feeds = {f.name for f in inventory.power_feeds}
    uplinks = {u.name for u in inventory.uplinks}
    catalogue_ups = {i.name for i in plan.catalogue if isinstance(i, UPSItem)}
    for index, item in enumerate(plan.catalogue):
        where = f"catalogue[{index}]"
        if isinstance(item, FeedUpgradeItem):
            if item.feed not in feeds:
                problems.append(
                    Problem.of(
                        f"{where}.feed",
                        "plan.no_feed",
                        "no feed '{feed}' in the inventory",
                        feed=item.feed,
                    )
                )
            if item.ups is not None and item.ups not in ups_names | catalogue_ups:
                problems.append(
                    Problem.of(
                        f"{where}.ups",
                        "plan.no_ups",
                        "no UPS '{ups}' in the inventory or the catalogue",
                        ups=item.ups,
                    )
                )
        elif isinstance(item, UplinkUpgradeItem) and item.uplink not in uplinks:
            problems.append(
                Problem.of(
                    f"{where}.uplink",
                    "plan.no_uplink",
                    "no uplink '{uplink}' in the inventory",
                    uplink=item.uplink,
                )
            )
    if problems:
        return problems
    # Every new entry at once, with every UPS the catalogue offers, through the inventory's rules.
    added = _additions(plan.catalogue, ups_names)
    owners: dict[str, list[int]] = {"ups": [], "power_feeds": [], "racks": [], "prefixes": []}
    for index, item in enumerate(plan.catalogue):
        if isinstance(item, UPSItem) and item.name not in ups_names:
            owners["ups"].append(index)
        elif isinstance(item, RackItem):
            owners["power_feeds"].extend([index] * len(item.power_feeds))
            owners["racks"].append(index)
        elif isinstance(item, PrefixItem):
            owners["prefixes"].append(index)
    combined, offsets = merge(inventory, added)
    for problem in inventory_rules(combined, offsets):
        problems.append(_catalogue_path(problem, offsets, owners))
    return problems


def _catalogue_path(
    problem: Problem, offsets: dict[str, int], owners: dict[str, list[int]]
) -> Problem:
    """Name the catalogue item a rule's problem is about instead of the merged inventory's row."""
    import re

    match = re.match(r"^(\w+)\[(\d+)\](.*)$", problem.path)
    if match and match.group(1) in owners:
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        position = index - offsets[section]
        if 0 <= position < len(owners[section]):
            item = owners[section][position]
            prefix = f"catalogue[{item}]" + (".power_feeds" if section == "power_feeds" else "")
            return replace(problem, path=f"{prefix}{rest}")
    return replace(problem, path=f"catalogue ({problem.path})")


# --- the search ---------------------------------------------------------------------------------


@dataclass
class _Search:
    """The state of one plan: the copy's session, the catalogue, and counters."""

    session: Session
    on: dt.date
    lang: str
    catalogue: list[Any]
    requires: dict[int, frozenset[int]]
    checks_run: int = 0
    # Items already applied to the copy (bought for earlier servers).
    bought: frozenset[int] = frozenset()
    # New UPS of the catalogue: they fix nothing on their own, only with what hangs on them.
    inert: frozenset[int] = frozenset()
    # The checks the pass had to buy its way out of, for the whole-year search.
    needed: set[str] = field(default_factory=set)

    def fixes(self, item: int) -> frozenset[str]:
        """The checks an item can turn from failed to ok."""
        if item in self.inert:
            return frozenset()
        entry = self.catalogue[item]
        if isinstance(entry, FeedUpgradeItem) and entry.ups is None:
            # A stronger circuit on the same UPS adds no UPS power.
            return frozenset({"power"})
        return FIXES[entry.kind]

    def check(
        self, request: CapacityRequest, items: Sequence[int] = (), *, words: bool = False
    ) -> CheckResult:
        """The step-5 check with some items added, on a savepoint that is rolled back.

        Without words unless asked: the search acts on the verdicts alone, and only the
        reasons of a server that nothing makes fit are read.
        """
        savepoint = self.session.begin_nested()
        try:
            if items:
                apply_items(self.session, [self.catalogue[i] for i in sorted(items)])
            self.checks_run += 1
            return run_check(self.session, request, on=self.on, lang=self.lang, words=words)
        finally:
            savepoint.rollback()

    def closure(self, chosen: Iterable[int]) -> frozenset[int]:
        """The chosen items with the items they need (a rack's feeds on a catalogue UPS)."""
        result = set(chosen)
        stack = list(result)
        while stack:
            for needed in self.requires.get(stack.pop(), ()):
                if needed not in result:
                    result.add(needed)
                    stack.append(needed)
        return frozenset(result) - self.bought

    def cost(self, items: Iterable[int]) -> int:
        """Their price together."""
        return sum(self.catalogue[i].price_idr for i in items)


def _new_ups(catalogue: Sequence[Any], existing_ups: set[str]) -> frozenset[int]:
    """The catalogue's UPS that are new, not replacements of one in the inventory."""
    return frozenset(
        index
        for index, item in enumerate(catalogue)
        if isinstance(item, UPSItem) and item.name not in existing_ups
    )


def _requirements(catalogue: Sequence[Any], existing_ups: set[str]) -> dict[int, frozenset[int]]:
    """Which items each item needs: the catalogue UPS its new or upgraded feeds hang on."""
    new_ups = {
        item.name: index
        for index, item in enumerate(catalogue)
        if isinstance(item, UPSItem) and item.name not in existing_ups
    }
    requires: dict[int, frozenset[int]] = {}
    for index, item in enumerate(catalogue):
        names: list[str | None] = []
        if isinstance(item, RackItem):
            names = [feed.ups for feed in item.power_feeds]
        elif isinstance(item, FeedUpgradeItem):
            names = [item.ups]
        requires[index] = frozenset(new_ups[n] for n in names if n in new_ups)
    return requires


def _failed(result: CheckResult) -> tuple[set[str], set[str]]:
    """The checks that failed, and those that failed or were not evaluated."""
    strict = {name for name, c in result.checks.items() if c.ok is False}
    return strict, {name for name, c in result.checks.items() if c.ok is not True}


def _helpful(search: _Search, open_checks: set[str], available: Iterable[int]) -> list[int]:
    """Items that could turn one of the open checks, cheapest first (then catalogue order)."""
    items = [i for i in available if search.fixes(i) & open_checks]
    return sorted(items, key=lambda i: (search.catalogue[i].price_idr, i))


def _covers(search: _Search, chosen: frozenset[int], failed: set[str]) -> bool:
    """Every check that failed outright has an item that could fix it."""
    fixed: set[str] = set()
    for i in chosen:
        fixed |= search.fixes(i)
    return failed <= fixed


def _candidates(search: _Search, helpful: Sequence[int], failed: set[str]) -> list[frozenset[int]]:
    """The subsets of ``helpful`` (with what they need) that have an item for every check that
    failed, in the order the exact search tries them: cheapest, then fewest, then catalogue order."""
    candidates: dict[frozenset[int], tuple[int, int, tuple[int, ...]]] = {}
    for size in range(1, len(helpful) + 1):
        for combo in itertools.combinations(helpful, size):
            chosen = search.closure(combo)
            if chosen not in candidates and _covers(search, chosen, failed):
                candidates[chosen] = (search.cost(chosen), len(chosen), tuple(sorted(chosen)))
    return sorted(candidates, key=candidates.__getitem__)


def _exact(
    search: _Search,
    request: CapacityRequest,
    helpful: Sequence[int],
    failed: set[str],
    misfits: Sequence[frozenset[int]] = (),
) -> frozenset[int] | None:
    """The cheapest subset of ``helpful`` (with what it needs) that makes the request fit;
    ``misfits`` are sets already checked that do not."""
    misfits = list(misfits)
    for chosen in _candidates(search, helpful, failed):
        # Adding capacity never breaks a fit, so a subset of a misfit is a misfit too.
        if any(chosen <= misfit for misfit in misfits):
            continue
        if search.check(request, chosen).feasible:
            return chosen
        misfits.append(chosen)
    return None


def _reverse_delete(
    search: _Search, request: CapacityRequest, start: frozenset[int]
) -> frozenset[int]:
    """Drop the dearest items first while the request still fits: a minimal set."""
    chosen = set(start)
    for item in sorted(start, key=lambda i: (-search.catalogue[i].price_idr, -i)):
        if item not in chosen:
            continue
        dependants = {i for i in chosen if item in search.closure([i]) and i != item}
        trial = frozenset(chosen - {item} - dependants)
        if search.check(request, trial).feasible:
            chosen = set(trial)
    return frozenset(chosen)


def _lower_bound(search: _Search, failed: set[str], helpful: Sequence[int]) -> int:
    """No answer costs less than the cheapest fix of its dearest failed check."""
    bound = 0
    for name in failed:
        prices = [search.cost(search.closure([i])) for i in helpful if name in search.fixes(i)]
        if prices:
            bound = max(bound, min(prices))
    return bound


def cheapest_fix(
    search: _Search, request: CapacityRequest, result: CheckResult
) -> tuple[frozenset[int] | None, bool, CheckResult]:
    """The cheapest new items that make the request fit, whether that is proven optimal,
    and the check with every helpful item added (its reasons when nothing helps; when the
    cheapest candidate fits at once, that check is not made and its own is returned)."""
    failed, open_checks = _failed(result)
    available = [i for i in range(len(search.catalogue)) if i not in search.bought]
    helpful = _helpful(search, open_checks, available)
    everything = search.closure(helpful)
    left_out = min((search.cost(search.closure([i])) for i in helpful[EXACT_LIMIT:]), default=None)
    # The exact search's first candidate is checked before everything together: most servers
    # that need a purchase need the cheapest one, and when it fits it is the answer (the
    # check with everything would fit too: more capacity never breaks a fit).
    first = next(iter(_candidates(search, helpful[:EXACT_LIMIT], failed)), None)
    fitted: frozenset[int] | None = None  # the first candidate, when it is known to fit
    tried: list[frozenset[int]] = []
    if first is not None and first != everything:
        trial = search.check(request, first)
        if trial.feasible:
            if left_out is None or search.cost(first) < left_out:
                return first, True, trial
            fitted = first
        else:
            tried = [first]
    best_case = search.check(request, everything)
    if not helpful or not best_case.feasible:
        # Nothing makes it fit: the plan tells why, so this one answer is composed in words.
        return None, True, search.check(request, everything, words=True)
    if first == everything:
        fitted = first  # the check with everything was its check
    if len(helpful) <= EXACT_LIMIT:
        found = fitted if fitted is not None else _exact(search, request, helpful, failed, tried)
        return found, True, best_case
    cheap = (
        fitted
        if fitted is not None
        else _exact(search, request, helpful[:EXACT_LIMIT], failed, tried)
    )
    assert left_out is not None  # more than EXACT_LIMIT helpful items
    if cheap is not None and search.cost(cheap) < left_out:
        # Any set with an item left out of the exact search costs at least that item (prices
        # are never negative): the exact search's answer is the cheapest of all, proven.
        return cheap, True, best_case
    reduced = _reverse_delete(search, request, everything)
    options = [s for s in (cheap, reduced) if s is not None]
    best = min(options, key=lambda s: (search.cost(s), len(s), tuple(sorted(s))))
    return best, False, best_case


# --- the plan -----------------------------------------------------------------------------------


@dataclass
class _Prepared:
    """What the plan needs from the real inventory, read once."""

    inventory: InventoryFile
    requests: list[tuple[str, dt.date, CapacityRequest]]
    calendar: WorkingCalendar
    on: dt.date


def prepare(engine: Engine, plan: PlanFile, on: dt.date | None, source: str | None) -> _Prepared:
    """Read the real inventory once and complete every server's needs from its catalog."""
    problems: list[Problem] = []
    requests: list[tuple[str, dt.date, CapacityRequest]] = []
    with read_session(engine) as session:
        inventory = parse_inventory(read_inventory(session))
        calendar = calendar_for(session)
        evaluated_on = on or today(session)
        for where, server in plan.expected():
            try:
                needs = server_needs(session, server)
            except InputError as exc:
                problems += [replace(p, path=f"{where}.{p.path}") for p in exc.problems]
                if where == "growth.template":
                    break  # every copy of the template has the same problem: say it once
                continue
            label = server.name or server.number or where
            requests.append((label, server.on, _explicit_request(server, needs)))
    problems += _catalogue_problems(inventory, plan)
    if problems:
        raise InputError(problems, source)
    # Date order; servers needed on the same day keep the file's order (sorted is stable).
    requests.sort(key=lambda entry: entry[1])
    return _Prepared(inventory, requests, calendar, evaluated_on)


def _seed(scratch: Scratch, inventory: InventoryFile, requests: Sequence[Any]) -> None:
    """Load the inventory into the copy, with the tenants the plan names that it lacks."""
    ensure_schema(scratch.engine)
    slugs = {t.slug for t in inventory.tenants}
    with write_session(scratch.engine) as session:
        write(session, inventory)
        advance_free_hints(session)
        wanted = {request.tenant or _NO_TENANT for _, _, request in requests}
        for slug in sorted(wanted - slugs):
            session.add(Tenant(slug=slug, name=slug))
        # Statistics, as a load into the real database gathers them: without them SQLite's
        # planner walked every power connection for the holds' loads (11 ms of each check
        # of a national plan, against 0.2 ms).
        session.execute(text("ANALYZE"))


def _hold(session: Session, result: CheckResult, request: CapacityRequest, on: dt.date) -> None:
    """Keep the placement on the copy so that later servers see it."""
    tenant = session.scalar(select(Tenant).where(Tenant.slug == (request.tenant or _NO_TENANT)))
    assert tenant is not None  # seeded
    # The copy is never shown to anyone, so the language of its messages does not matter;
    # its audit log is thrown away with it.
    write_hold(session, result, request, tenant, on, "id", _PLANNER)


def _replay(
    search: _Search,
    requests: Sequence[Any],
    items: frozenset[int],
    skip: set[str],
    stop_early: bool = False,
    start: int = 0,
    removed: frozenset[int] = frozenset(),
) -> tuple[list[str], set[str]]:
    """Place every server in order with ``items`` bought from the start.

    Returns the servers that fail, and the checks that failed for the first of them;
    with ``stop_early`` it stops at that first one. On a snapshot of a replay
    (:class:`_Snapshots`) it starts at server ``start`` after taking the ``removed``
    purchases back out.
    """
    failures: list[str] = []
    first_failed: set[str] = set()
    savepoint = search.session.begin_nested()
    try:
        if removed:
            _unbuy(search.session, [search.catalogue[i] for i in sorted(removed)])
        if items:
            apply_items(search.session, [search.catalogue[i] for i in sorted(items)])
        for label, _, request in requests[start:]:
            if label in skip:
                continue
            search.checks_run += 1
            # A replay acts on the answers only: no message is composed for it.
            result = run_check(search.session, request, on=search.on, lang=search.lang, words=False)
            if result.feasible:
                _hold(search.session, result, request, search.on)
                continue
            if not failures:
                first_failed = _failed(result)[0]
            failures.append(label)
            if stop_early:
                break
    finally:
        savepoint.rollback()
    return failures, first_failed


class _Snapshots:
    """The year replayed once with every kept purchase, and copies of it to resume from.

    Judging a purchase means replaying the year without it. Until the first server
    whose placement draws on what the purchase adds (its rack and feeds, its new UPS,
    its address block), that replay is this one: an option nobody took does not
    change the choice among the others. So the replay without it starts from a copy of
    this one taken just before that server, with the purchase's entries deleted,
    instead of from the start; and a purchase no server draws on is superfluous without
    any replay. Upgrades of rows already there (a UPS, a feed, an uplink) change options
    that were taken or compared, so those are replayed from the start as before.
    """

    def __init__(
        self,
        search: _Search,
        pristine: Scratch,
        requests: Sequence[Any],
        kept: frozenset[int],
        skip: set[str],
        label: str,
    ) -> None:
        self.kept = kept
        self.search = search
        self.skip = skip
        self.copies: dict[int, Scratch] = {}
        # The index of the first server placed on each added item; len(requests) when none.
        self.first_use: dict[int, int] = {}
        self.complete = True
        self.checks_run = 0  # of the full replay
        tokens = {i: _token(search.catalogue[i]) for i in kept if _is_addition(search, i)}
        full = pristine.clone(f"{label}-full")
        try:
            with Session(full.engine) as session:
                session.begin()
                replay = _replace_session(search, session)
                apply_items(session, [search.catalogue[i] for i in sorted(kept)])
                for index, (name, _, request) in enumerate(requests):
                    if name in skip:
                        continue
                    replay.checks_run += 1
                    result = run_check(
                        session, request, on=search.on, lang=search.lang, words=False
                    )
                    if not result.feasible:
                        # The kept purchases do not place the year: judge the slow way.
                        self.complete = False
                        break
                    assert result.proposal is not None
                    uses = _uses(result.proposal)
                    starting = [i for i, t in tokens.items() if t in uses]
                    if starting:
                        # The state before this server is the one to resume from.
                        session.commit()
                        self.copies[index] = full.clone(f"{label}-at-{index}")
                        for i in starting:
                            self.first_use[i] = index
                            del tokens[i]
                    _hold(session, result, request, search.on)
                session.rollback()
                search.checks_run += replay.checks_run
                self.checks_run = replay.checks_run
        finally:
            full.dispose()
        for i in tokens:
            self.first_use[i] = len(requests)

    def without(
        self, removed: frozenset[int], requests: Sequence[Any], skip: set[str], stop_early: bool
    ) -> list[str] | None:
        """The servers that fail without ``removed``; None when it must be replayed in full."""
        task = self.task(removed, requests, stop_early)
        if not isinstance(task, _ReplayTask):
            return task
        start = task.start
        with Session(self.copies[start].engine) as session:
            session.begin()
            replay = _replace_session(self.search, session)
            failures, _ = _replay(replay, requests, frozenset(), skip, stop_early, start, removed)
            session.rollback()
        self.search.checks_run += replay.checks_run
        return failures

    def task(
        self, removed: frozenset[int], requests: Sequence[Any], stop_early: bool
    ) -> _ReplayTask | list[str] | None:
        """What :meth:`without` would replay, for a worker process: the copy to start from
        and what to take out; the answer itself when no check is needed; None when it must
        be replayed in full."""
        if not self.complete or not all(_is_addition(self.search, i) for i in removed):
            return None
        start = min(self.first_use[i] for i in removed)
        if start >= len(requests):
            return []  # nothing stands on them: the year is the same without them
        source = str(self.copies[start].path)
        skip = frozenset(self.skip)
        return _ReplayTask(source, (), start, tuple(sorted(removed)), stop_early, skip)

    def dispose(self) -> None:
        """Close the copies' connections (their files go with the plan's directory)."""
        for copy in self.copies.values():
            copy.dispose()


def _is_addition(search: _Search, item: int) -> bool:
    """Whether the item only adds new entries (which :func:`_unbuy` can take back)."""
    entry = search.catalogue[item]
    return isinstance(entry, RackItem | PrefixItem) or item in search.inert


def _replace_session(search: _Search, session: Session) -> _Search:
    """The same search on another session, counting its own checks."""
    return _Search(
        session,
        search.on,
        search.lang,
        search.catalogue,
        search.requires,
        inert=search.inert,
        needed=search.needed,
    )


#: The global exact search gives up (and says the answer is not proven cheapest) after this
#: many replays of the year.
MAX_REPLAYS = 60


def _global_exact(
    search: _Search, requests: Sequence[Any], skip: set[str], upper: frozenset[int]
) -> tuple[frozenset[int], bool]:
    """The cheapest set of the whole catalogue that places every placeable server, when bought
    up front; and whether the search finished (proven) within :data:`MAX_REPLAYS`.

    Candidates cheaper than ``upper`` (the pass-by-pass answer) are replayed cheapest first. A
    candidate that is a subset of a known misfit is skipped: more capacity never turns a fit
    into a misfit. When a candidate fails, it is widened by every item that cannot help the
    checks that failed and replayed once more; if that fails too, all of its subsets are out.
    """
    size = len(search.catalogue)
    ceiling = search.cost(upper)
    candidates = []
    for mask in range(1 << size):
        chosen = frozenset(i for i in range(size) if mask >> i & 1)
        if search.closure(chosen) != chosen:
            continue
        cost = search.cost(chosen)
        # Without an item for a check the pass had to buy its way out of, the year cannot fit:
        # the other purchases leave that resource's supply as it is (docs/plan.md).
        if cost < ceiling and _covers(search, chosen, search.needed):
            candidates.append((cost, len(chosen), tuple(sorted(chosen)), chosen))
    candidates.sort(key=lambda c: c[:3])
    misfits: list[frozenset[int]] = []
    replays = 0
    for *_, chosen in candidates:
        if any(chosen <= misfit for misfit in misfits):
            continue
        if replays >= MAX_REPLAYS:
            return upper, False
        replays += 1
        failures, failed = _replay(search, requests, chosen, skip, stop_early=True)
        if not failures:
            return chosen, True
        misfits.append(chosen)
        unhelpful = {i for i in range(size) if not search.fixes(i) & failed}
        wider = search.closure(chosen | unhelpful)
        if wider != chosen and replays < MAX_REPLAYS:
            replays += 1
            if _replay(search, requests, wider, skip, stop_early=True)[0]:
                misfits.append(wider)
    return upper, True


def make_plan(
    engine: Engine,
    plan: PlanFile,
    on: dt.date | None = None,
    lang: str = "id",
    source: str | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> PlanResult:
    """Place the plan's servers, buying the cheapest items when one does not fit; never writes.

    The replays that judge each purchase run in up to ``workers`` processes (default: one
    a CPU for a large plan, see :func:`_worker_count`); the answer does not depend on it.

    Raises :class:`InputError` naming the field when a server's needs are unknown or a
    catalogue item does not fit the inventory.
    """
    started = time.perf_counter()
    prepared = prepare(engine, plan, on, source)
    requests = prepared.requests
    with tempfile.TemporaryDirectory(prefix="dcim-plan-") as directory:
        scratch = Scratch(Path(directory), "copy")
        _seed(scratch, prepared.inventory, requests)
        # The replays start from the same copy: cloning it is faster than loading it again.
        pristine = scratch.clone("replay")
        try:
            with Session(scratch.engine) as session:
                session.begin()
                existing_ups = {u.name for u in prepared.inventory.ups}
                search = _Search(
                    session,
                    prepared.on,
                    lang,
                    list(plan.catalogue),
                    _requirements(plan.catalogue, existing_ups),
                    inert=_new_ups(plan.catalogue, existing_ups),
                )
                placements, bought_for, optimal, bound = _run(search, requests, progress)
                session.rollback()
            phases = {"pass": search.checks_run}
            purchases, proven, discarded = _minimal_purchases(
                search, pristine, requests, placements, bought_for, prepared, phases, workers
            )
            # A small catalogue is searched exactly over the whole year; a large one is not,
            # so its answer is not proven the cheapest even when every step was.
            optimal = bool(proven)
        finally:
            scratch.dispose()
            pristine.dispose()
    return PlanResult(
        evaluated_on=prepared.on,
        purchases=purchases,
        placements=placements,
        optimal=optimal,
        lower_bound_idr=bound,
        checks_run=search.checks_run,
        seconds=time.perf_counter() - started,
        checks_by_phase=phases,
        discarded_checks=discarded,
    )


def _run(
    search: _Search, requests: Sequence[Any], progress: Callable[[str], None] | None
) -> tuple[list[Placement], dict[int, str], bool, int]:
    """The main pass: servers in date order, buying when one does not fit."""
    bought_for: dict[int, str] = {}
    placements: list[Placement] = []
    optimal = True
    bound = 0
    for label, needed_on, request in requests:
        if progress:
            progress(label)
        result = _check_here(search, request)
        chosen: frozenset[int] = frozenset()
        if not result.feasible:
            found, exact, best_case = cheapest_fix(search, request, result)
            search.needed |= _failed(result)[0]
            if found is None:
                reasons = {n: c.message for n, c in best_case.checks.items() if c.ok is not True}
                placements.append(Placement(label, needed_on, False, reasons=reasons))
                continue
            optimal = optimal and exact
            # No answer for the year costs less than the cheapest fix of its hardest step.
            failed, _ = _failed(result)
            helpful = _helpful(search, failed, range(len(search.catalogue)))
            bound = max(bound, _lower_bound(search, failed, helpful))
            chosen = found
            apply_items(search.session, [search.catalogue[i] for i in sorted(chosen)])
            search.bought = search.bought | chosen
            for item in chosen:
                bought_for[item] = label
            result = _check_here(search, request)
            assert result.feasible, "a fix that fitted on the savepoint must fit after applying it"
        assert result.proposal is not None
        _hold(search.session, result, request, search.on)
        placements.append(
            Placement(
                label,
                needed_on,
                True,
                result.proposal.rack,
                result.proposal.position,
                [search.catalogue[i].id for i in sorted(chosen)],
                uses=_uses(result.proposal),
            )
        )
    return placements, bought_for, optimal, bound


def _uses(proposal: Any) -> frozenset[tuple[str, str]]:
    """The resources a proposal draws on, as (kind, name) pairs."""
    tokens = {("rack", proposal.rack)}
    tokens |= {("feed", name) for name in proposal.feeds}
    tokens |= {("ups", name) for name in proposal.ups}
    if proposal.uplink:
        tokens.add(("uplink", proposal.uplink))
    tokens |= {
        ("prefix", str(ipaddress.ip_network(net))) for _, net in proposal.address_prefixes.values()
    }
    return frozenset(tokens)


def _token(item: Any) -> tuple[str, str]:
    """The resource a catalogue item adds or upgrades, as :func:`_uses` names it."""
    if isinstance(item, RackItem):
        return ("rack", item.name)
    if isinstance(item, UPSItem):
        return ("ups", item.name)
    if isinstance(item, FeedUpgradeItem):
        return ("feed", item.feed)
    if isinstance(item, UplinkUpgradeItem):
        return ("uplink", item.uplink)
    return ("prefix", str(ipaddress.ip_network(item.prefix, strict=False)))


def _users(item: Any, bought_for: str, placements: Sequence[Placement]) -> list[str]:
    """The server that first needs an item and the later servers placed on what it adds."""
    token = _token(item)
    labels = [p.server for p in placements]
    start = labels.index(bought_for)
    return [bought_for] + [
        p.server for p in placements[start + 1 :] if p.placed and token in p.uses
    ]


def _covered_later(
    search: _Search,
    item: int,
    kept: set[int],
    bought_for: dict[int, str],
    position: dict[str, int],
) -> bool:
    """Whether a purchase made for a later server could do this purchase's job."""
    if item not in bought_for:
        return True
    mine = search.fixes(item) or frozenset(
        name
        for other in kept
        if item in search.requires.get(other, ())
        for name in search.fixes(other)
    )
    when = position[bought_for[item]]
    return any(
        other != item
        and other in bought_for
        and position[bought_for[other]] > when
        and search.fixes(other) & mine
        for other in kept
    )


def _check_here(search: _Search, request: CapacityRequest) -> CheckResult:
    """The check on the copy as it stands (items bought so far included), without words:
    the pass acts on its verdicts and proposal."""
    search.checks_run += 1
    return run_check(search.session, request, on=search.on, lang=search.lang, words=False)


# --- replays in worker processes ----------------------------------------------------------------

#: Below this much work (servers times purchases to judge) the replays stay in this process:
#: starting the worker processes (each imports the project and copies the database) costs
#: more than it saves (measured in docs/plan.md, "Parallel replays").
PARALLEL_MIN_WORK = 400
#: Sets the number of worker processes (1: every replay in this process, the sequential way).
WORKERS_ENV = "DCIM_PLAN_WORKERS"


def _worker_count(requested: int | None, servers: int, purchases: int) -> int:
    """How many processes replay the year without a purchase; 1 means no pool at all.

    ``requested`` (or the :data:`WORKERS_ENV` variable) is taken as it is, so that a test
    can force a pool on a small plan; otherwise as many as there are CPUs, and none for a
    small plan.
    """
    if requested is None and os.environ.get(WORKERS_ENV, "").strip().isdigit():
        # Anything else in the variable is ignored: it tunes speed, never the answer.
        requested = int(os.environ[WORKERS_ENV])
    if requested is not None:
        return max(1, requested)
    if servers * purchases < PARALLEL_MIN_WORK:
        return 1
    # The CPUs this process may run on (a container or taskset may give fewer than the machine's).
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, purchases))


@dataclass(frozen=True)
class _ReplayTask:
    """One replay without a purchase, as plain data for a worker process: the database file
    to start from, the items bought up front, the server to start at and the purchases to
    take back out first (see :func:`_replay`)."""

    source: str
    items: tuple[int, ...]
    start: int
    removed: tuple[int, ...]
    stop_early: bool
    skip: frozenset[str]


@dataclass(frozen=True)
class _WorkerContext:
    """What every replay of one plan shares, sent once to each worker process."""

    catalogue: list[Any]
    requests: Sequence[Any]
    on: dt.date
    lang: str
    requires: dict[int, frozenset[int]]
    inert: frozenset[int]


@dataclass
class _Action:
    """How one purchase is judged against the kept set of the moment: skipped (dropped
    already, or judged against the same set), needed without a replay, known without a
    check, or a replay."""

    item: int
    kind: str
    without: frozenset[int] | None = None
    task: _ReplayTask | None = None
    known: list[str] = field(default_factory=list)


# The worker process's state: the plan's context and its own copies of the databases.
_WORKER: dict[str, Any] = {}
#: A worker keeps this many database copies (the pristine one and the last snapshot).
_WORKER_COPIES = 2


def _worker_start(context: _WorkerContext) -> None:
    """Initialise a worker process with the plan's shared data."""
    _WORKER["context"] = context
    _WORKER["copies"] = {}


def _worker_copy(source: str) -> Scratch:
    """This worker's own copy of a database file: replays write (holds, purchases) before
    they roll back, and SQLite lets one writer at a time work on a file."""
    copies: dict[str, Scratch] = _WORKER["copies"]
    if source in copies:
        copies[source] = copies.pop(source)  # most recently used last
        return copies[source]
    while len(copies) >= _WORKER_COPIES:
        oldest = next(iter(copies))
        copies.pop(oldest).remove()
    path = Path(source)
    copies[source] = Scratch(path.parent, path.stem).clone(f"{path.stem}-w{os.getpid()}")
    return copies[source]


def _worker_warm(source: str) -> None:
    """Copy the database before the first replay asks for it."""
    _worker_copy(source)


def _worker_replay(task: _ReplayTask) -> tuple[list[str], int]:
    """Run one replay in a worker process: the servers that fail, and the checks it made."""
    context: _WorkerContext = _WORKER["context"]
    copy = _worker_copy(task.source)
    with Session(copy.engine) as session:
        session.begin()
        search = _Search(
            session,
            context.on,
            context.lang,
            context.catalogue,
            context.requires,
            inert=context.inert,
        )
        failures, _ = _replay(
            search,
            context.requests,
            frozenset(task.items),
            set(task.skip),
            task.stop_early,
            task.start,
            frozenset(task.removed),
        )
        session.rollback()
    return failures, search.checks_run


class _Results:
    """The answers of a batch of replays, taken in order."""

    def __init__(
        self,
        tasks: Sequence[_ReplayTask],
        here: Callable[[_ReplayTask], list[str]],
        pool: _ReplayPool | None,
    ) -> None:
        self.tasks = list(tasks)
        self.here = here
        self.pool = pool
        self.executor = pool.executor if pool is not None else None
        self.workers = pool.workers if pool is not None else 1
        self.futures: list[Future[tuple[list[str], int]]] = []
        self.taken = 0
        self._submit()

    def _submit(self) -> None:
        """Keep every worker busy, and no more: a replay waiting in the queue would be thrown
        away unstarted anyway if one ahead of it drops its purchase."""
        if self.executor is None:
            return
        while len(self.futures) < len(self.tasks):
            running = sum(1 for f in self.futures[self.taken :] if not f.done())
            if running >= self.workers:
                return
            try:
                future = self.executor.submit(_worker_replay, self.tasks[len(self.futures)])
            except BrokenProcessPool:
                self._broken()
                return
            self.futures.append(future)

    def _broken(self) -> None:
        """A worker could not start or died (e.g. under a script without a ``__main__``
        guard, which every spawned process runs again): the rest is replayed in this
        process, the sequential way, to the same answer."""
        assert self.pool is not None
        self.pool.broken = True
        self.executor = None

    def next(self) -> tuple[list[str], int]:
        """The next replay's failing servers and the checks it made (0 when it ran in this
        process: those are counted as they run)."""
        index = self.taken
        self.taken += 1
        if self.executor is None:
            return self.here(self.tasks[index]), 0
        try:
            while not self.futures[index].done():
                running = [f for f in self.futures[index:] if not f.done()]
                wait(running, return_when=FIRST_COMPLETED)
                self._submit()
            result = self.futures[index].result()
        except BrokenProcessPool:
            self._broken()
            return self.here(self.tasks[index]), 0
        self._submit()
        return result

    def discard(self) -> None:
        """Throw away the replays not taken: cancel those not started; the checks of those
        running are added to the pool's ``discarded`` when they end (not waited for)."""
        for future in self.futures[self.taken :]:
            if not future.cancel():
                assert self.pool is not None
                future.add_done_callback(self.pool.count_discarded)
        self.taken = len(self.tasks)


class _ReplayPool:
    """The worker processes of one plan's judging (none when it runs sequentially)."""

    def __init__(self, workers: int, context: _WorkerContext) -> None:
        self.workers = workers
        self.context = context
        self.executor: ProcessPoolExecutor | None = None
        self.broken = False  # a worker died: the rest runs in this process
        self.discarded = 0  # checks of replays made ahead and thrown away

    def count_discarded(self, future: Future[tuple[list[str], int]]) -> None:
        """Count the checks of a replay thrown away (called when it ends)."""
        if not future.cancelled() and future.exception() is None:
            self.discarded += future.result()[1]

    def start(
        self, tasks: Sequence[_ReplayTask], here: Callable[[_ReplayTask], list[str]]
    ) -> _Results:
        """Start a batch: one replay alone, or any with a single worker, runs in this process."""
        if self.workers <= 1 or len(tasks) <= 1 or self.broken:
            return _Results(tasks, here, None)
        self._executor()
        return _Results(tasks, here, self)

    def warm(self, source: str) -> None:
        """Start the workers now, each copying ``source`` (the replays from the start of the
        year use it), when the plan is to use them."""
        if self.workers > 1 and self.executor is None:
            self._executor()
            for _ in range(self.workers):
                assert self.executor is not None
                self.executor.submit(_worker_warm, source)

    def _executor(self) -> ProcessPoolExecutor:
        """The pool, started at its first use."""
        if self.executor is None:
            # Spawned, not forked: a forked child would share the engines' open connections.
            self.executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
                initargs=(self.context,),
            )
        return self.executor

    def close(self) -> None:
        """Stop the workers (before the plan's directory goes)."""
        if self.executor is None:
            return
        # Their copies lie in the plan's directory, removed with it once they have exited.
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = None


def _minimal_purchases(
    search: _Search,
    scratch: Scratch,
    requests: Sequence[Any],
    placements: Sequence[Placement],
    bought_for: dict[int, str],
    prepared: _Prepared,
    phases: dict[str, int],
    workers: int | None = None,
) -> tuple[list[Purchase], bool | None, int]:
    """Replay the year without each purchase: drop the superfluous, list what each unlocks.

    For a catalogue of at most :data:`EXACT_LIMIT` items the pass-by-pass answer is first
    replaced by the global optimum (:func:`_global_exact`); the second value says whether
    that search finished (None when the catalogue is too large for it). ``phases`` gets the
    number of checks of each part. The replays without a purchase run in up to ``workers``
    processes (see :func:`_worker_count`); the third value is the number of checks of
    replays made ahead in them and thrown away (a purchase before them was dropped).
    """
    optimal: bool | None = None
    skip = {p.server for p in placements if not p.placed}
    needed_on = {label: day for label, day, _ in requests}
    kept = set(bought_for)
    unlocks: dict[int, list[str]] = {}
    with Session(scratch.engine) as session:
        session.begin()
        replay = _replace_session(search, session)
        if len(search.catalogue) <= EXACT_LIMIT:
            best, proven = _global_exact(replay, requests, skip, frozenset(kept))
            kept = set(best)
            optimal = proven
        phases["year_search"] = replay.checks_run
        phases["full_replays"] = 0
        # Dearest first: dropping an expensive superfluous item saves the most.
        order = sorted(kept, key=lambda i: (-search.catalogue[i].price_idr, i))
        # The set each purchase was last judged against: a purchase judged while another one
        # was still there (dropped later) is judged again.
        judged: dict[int, frozenset[int]] = {}
        position = {p.server: index for index, p in enumerate(placements)}
        large = len(search.catalogue) > EXACT_LIMIT
        snapshots: _Snapshots | None = None
        rounds = 0
        pool = _ReplayPool(
            _worker_count(workers, len(requests), len(kept)),
            _WorkerContext(
                search.catalogue,
                requests,
                search.on,
                search.lang,
                search.requires,
                search.inert,
            ),
        )
        # The workers start (and copy the database) while this process makes the year
        # search and the first full replay.
        pool.warm(str(scratch.path))

        def action(item: int, first: bool) -> _Action | None:
            """What judging ``item`` against today's ``kept`` takes; None when it cannot be
            told before the purchases ahead of it are judged (a full replay would be due)."""
            nonlocal snapshots, rounds
            if item not in kept:
                return _Action(item, "skip")
            without = frozenset(i for i in kept if item not in replay.closure([i]))
            if judged.get(item) == without:
                return _Action(item, "skip")
            if large and not _covered_later(replay, item, kept, bought_for, position):
                # Needed when it was bought, and nothing bought later does its job: it is
                # needed still, without a replay.
                return _Action(item, "needed", without)
            removed = frozenset(kept) - without
            if all(_is_addition(replay, i) for i in removed):
                # The full replay is made only when a purchase can resume from it.
                if snapshots is None or snapshots.kept != frozenset(kept):
                    if not first:
                        # Sequentially it is made only when this purchase's turn comes, and
                        # not at all if one ahead is dropped: wait for them.
                        return None
                    if snapshots is not None:
                        snapshots.dispose()
                    rounds += 1
                    snapshots = _Snapshots(
                        replay, scratch, requests, frozenset(kept), skip, f"round{rounds}"
                    )
                    phases["full_replays"] += snapshots.checks_run
                resumed = snapshots.task(removed, requests, large)
                if isinstance(resumed, _ReplayTask):
                    return _Action(item, "replay", without, resumed)
                if resumed is not None:
                    return _Action(item, "known", without, known=resumed)
            task = _ReplayTask(
                str(scratch.path), tuple(sorted(without)), 0, (), large, frozenset(skip)
            )
            return _Action(item, "replay", without, task)

        def run_here(task: _ReplayTask) -> list[str]:
            """The replay in this process, on the copies this process holds (the sequential
            way); its checks are counted on ``replay`` as it goes."""
            if snapshots is not None and task.source != str(scratch.path):
                found = snapshots.without(frozenset(task.removed), requests, skip, task.stop_early)
                assert found is not None
                return found
            return _replay(replay, requests, frozenset(task.items), skip, stop_early=large)[0]

        try:
            changed = True
            while changed:
                changed = False
                index = 0
                while index < len(order):
                    # The purchases from here on that can be judged against today's kept set,
                    # replayed at once; their answers are taken in order, and those after a
                    # dropped purchase are thrown away (they assumed it kept).
                    batch: list[_Action] = []
                    for ahead, item in enumerate(order[index:]):
                        step = action(item, first=ahead == 0)
                        if step is None:
                            break
                        batch.append(step)
                    results = pool.start([a.task for a in batch if a.task is not None], run_here)
                    dropped = False
                    for step in batch:
                        index += 1
                        if step.kind == "skip":
                            continue
                        item = step.item
                        assert step.without is not None
                        if step.kind == "needed":
                            judged[item] = step.without
                            unlocks[item] = _users(
                                search.catalogue[item], bought_for[item], placements
                            )
                            continue
                        if step.task is None:
                            failures = step.known
                        else:
                            failures, checks = results.next()
                            replay.checks_run += checks
                        if not failures:
                            kept = set(step.without)
                            changed = dropped = True
                            break
                        judged[item] = step.without
                        if large:
                            # A large plan is not replayed to its end for every purchase. The
                            # first server that fails without it is the earliest that needs it
                            # (its order-by date comes from that one); the later ones placed on
                            # it are listed too.
                            failures = _users(search.catalogue[item], failures[0], placements)
                        unlocks[item] = failures
                    results.discard()
                    if dropped and not large:
                        unlocks.clear()
                        judged.clear()
                        break
                    # A large plan goes on with this pass after a drop; the next pass judges
                    # again only the purchases judged while the dropped one was there.
        finally:
            pool.close()
        discarded = pool.discarded
        session.rollback()
        if snapshots is not None:
            snapshots.dispose()
        search.checks_run += replay.checks_run
        phases["replays"] = replay.checks_run - phases["year_search"] - phases["full_replays"]
    purchases = []
    for item in kept:
        entry = search.catalogue[item]
        servers = unlocks[item]
        first = min(needed_on[s] for s in servers)
        order_by = order_by_date(prepared.calendar, first, entry.lead_time_working_days)
        purchases.append(
            Purchase(
                entry.id,
                entry.kind,
                entry.description,
                entry.price_idr,
                entry.lead_time_working_days,
                order_by,
                first,
                servers,
                order_by < prepared.on,
            )
        )
    purchases.sort(key=lambda p: (p.order_by, p.item_id))
    return purchases, optimal, discarded
