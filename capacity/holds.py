"""Holds, their whole life: reserve what a feasible check proposes, keep it longer, release it,
let it lapse, or commit it as installed. Every change is written to the audit log.

``reserve`` re-runs the check and writes the hold in one transaction that
excludes concurrent reservers of the same resources:

- on SQLite the transaction starts with ``BEGIN IMMEDIATE`` (one writer at
  a time, the others wait on the busy timeout), so the check it runs is
  already the truth at write time;
- on PostgreSQL a reserve checks the whole room before it locks anything,
  side by side with the other reservers (the check is most of a hold's
  work). It then locks, in one ordered pass and waiting as long as it must
  (``SELECT ... FOR UPDATE``), the prefixes, zones and uplink its proposal
  names and the rows of the proposal's rack and of the racks ranked after it
  (:data:`NEXT_RACKS` racks, their feeds and UPS), and judges those racks
  again under the locks. Racing reservers all propose the same units and
  addresses; the reservers ahead in the queue took them, and the racks
  judged again hold the answer: the next units or the next rack, found by a
  check of a few racks instead of the room. When nothing moved, the room's
  answer stands, in its words. When none of those racks takes the server, or
  the answer is "not feasible" (each statement of a check made without locks
  sees the commits made before it, so an install committed in between could
  be counted twice), the whole room is judged again under the locks. Rows
  the answer names that are not locked yet are locked without waiting
  (``NOWAIT``) and re-validated (:func:`capacity.check.still_fits`): when
  another reserver has them, the attempt starts over and locks the old and
  the new ones in one ordered pass. A reserver thus never waits while
  holding rows out of order, and reservers cannot wait on each other in a
  circle;
- the unique keys on units, addresses and names are the last line: a
  violation rolls back and the whole reservation is tried again.

A new hold lives ``reservation_working_days`` working days (weekends,
national holidays and cuti bersama do not count) and counts through its
``expires_at`` date; the hold keeps the day and the count, so that a local
holiday declared later moves its end (:mod:`capacity.hold_calendar`). A hold
kept longer (:func:`keep_until_in`) ends on the date written.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from dcim import occupancy
from dcim.accounts import Actor, record, require_role
from dcim.db import ensure_schema, is_sqlite, write_session
from dcim.errors import DatabaseError, InputError, Problem
from dcim.i18n import t
from dcim.inventory.fields import checked_name
from dcim.limits import advance_free_hints, policy_facts
from dcim.models import (
    OPERATOR_ROLE,
    UPS,
    Device,
    DeviceStatus,
    HoldStatus,
    IPAddress,
    IPStatus,
    NameClaim,
    PowerConnection,
    PowerFeed,
    Prefix,
    Rack,
    RackUnit,
    Record,
    Reservation,
    Role,
    Tenant,
    UnitClaimKind,
    Uplink,
    Zone,
    copy_placement,
    occupied_faces,
)
from dcim.names import relative_to
from dcim.sequences import next_number
from dcim.workdays import MAX_WORKING_DAYS, calendar_for, now, write_date

from .check import CheckResult, Proposal, requested_roles, run_check, still_fits
from .request import CapacityRequest

# Racks that take two more servers each, raced for by eight reservers that all prefer the same
# one, moved a proposal a dozen times in a row; every try is bounded and pauses (below).
MAX_ATTEMPTS = 50
#: How many racks, from its proposal's, a reserve judges again under its locks before the whole
#: room. Each reserver ahead of it in the queue took one; with eight clients holding one-unit
#: servers in a full room, 8 racks sent one hold in six to the whole room, 16 one in fifty.
NEXT_RACKS = 16
#: The first random pause before an attempt starts over, in seconds; it doubles each time.
RETRY_PAUSE_S = 0.005
T = TypeVar("T")

#: Who may hold capacity and install a held server: Tim Data Center (and the administrator),
#: and the operator on the command line.
HOLD_ROLES = (Role.TIM_DC, OPERATOR_ROLE)
#: Who may end any hold: those of :data:`HOLD_ROLES`, and the Section Head, whose rejection
#: letter and re-check (SOP steps 7 and 8) end a request's hold. An OPD user may end only its
#: own office's hold (withdrawing its request): :func:`release` checks the hold's tenant.
RELEASE_ROLES = (*HOLD_ROLES, Role.KASI_APLIKASI)
CODE_PATTERN = re.compile(r"^RSV-(\d{4})-(\d+)$")


@dataclass
class ReserveOutcome:
    """A reservation attempt: the check it ran and, when feasible, the hold it made."""

    result: CheckResult
    reservation_code: str | None = None
    expires_at: dt.date | None = None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        """The check result's document plus ``reservation`` when a hold was made."""
        document = self.result.to_json()
        if self.reservation_code is not None and self.expires_at is not None:
            document["reservation"] = {
                "id": self.reservation_code,
                "expires_at": self.expires_at.isoformat(),
            }
        return document


class _ProposalMoved(Exception):
    """The proposal changed after locking; lock the new resources too and look again."""

    def __init__(self, resources: set[tuple[str, int]], rack: int | None = None) -> None:
        super().__init__("the proposal moved to rows that were not locked")
        self.resources = resources
        self.rack = rack  # the rack the proposal moved to


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, DBAPIError):
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)
        # serialization failure, deadlock detected, lock not available
        return code in ("40001", "40P01", "55P03")
    return False


@dataclass
class Attempt:
    """What the earlier tries of one transaction found out: the rows to lock first (PostgreSQL)."""

    to_lock: set[tuple[str, int]] = field(default_factory=set)
    # The rack the last try's proposal moved to: the next try looks there first.
    last_rack: int | None = None


def in_transaction(engine: Engine, work: Callable[[Session, Attempt], T]) -> T:
    """Run ``work`` in one write transaction, starting it over when a reserve in it must retry.

    A reserve whose proposal moved to rows it had not locked, a unique key
    taken meanwhile, a deadlock or a lock not available roll the whole
    transaction back and run ``work`` again (at most ``MAX_ATTEMPTS`` times),
    so whatever else the transaction writes (a workflow action recording
    the hold) is written with the hold or not at all.
    """
    ensure_schema(engine)
    attempt = Attempt()
    last_error: BaseException | None = None
    for tried in range(MAX_ATTEMPTS):
        if tried >= 2:
            # Reservers that keep colliding on the same next rack would collide again if
            # they all started over at once: a random pause, longer each time, spreads
            # them out (a timing only; what each one holds is still decided under locks).
            time.sleep(random.uniform(0, RETRY_PAUSE_S * 2 ** min(tried - 2, 5)))
        try:
            with write_session(engine) as session:
                return work(session, attempt)
        except _ProposalMoved as moved:
            attempt.to_lock |= moved.resources
            attempt.last_rack = moved.rack
        except (IntegrityError, DBAPIError) as exc:
            if not _is_retryable(exc):
                raise
            last_error = exc
    raise DatabaseError(
        f"could not finish the transaction after {MAX_ATTEMPTS} attempts: {last_error}"
    )


def reserve(
    engine: Engine,
    request: CapacityRequest,
    on: dt.date | None = None,
    lang: str = "id",
    *,
    actor: Actor,
    source: str | None = None,
) -> ReserveOutcome:
    """Check the request and, when feasible, hold what the proposal names; race-safe.

    Only :data:`HOLD_ROLES` may hold capacity: Tim Data Center (SOP step 5),
    the administrator, and the operator on the command line. ``on`` may not
    be after today: a hold made "in the future" would expire holds live today.
    """
    require_role(actor, HOLD_ROLES, "hold capacity", lang)
    return in_transaction(
        engine,
        lambda session, attempt: reserve_in(
            session, request, on, lang, actor=actor, source=source, attempt=attempt
        ),
    )


def reserve_in(
    session: Session,
    request: CapacityRequest,
    on: dt.date | None = None,
    lang: str = "id",
    *,
    actor: Actor,
    source: str | None = None,
    attempt: Attempt | None = None,
) -> ReserveOutcome:
    """:func:`reserve` in the caller's transaction, which :func:`in_transaction` must run.

    On PostgreSQL the attempt may have to start over (the proposal moved to
    rows another reserver holds); that is raised for :func:`in_transaction`.
    """
    require_role(actor, HOLD_ROLES, "hold capacity", lang)
    to_lock = attempt.to_lock if attempt is not None else set()
    last_rack = attempt.last_rack if attempt is not None else None
    on_date = write_date(session, on, "on", lang)
    return _reserve_once(session, request, on_date, lang, actor, source, to_lock, last_rack)


def _reserve_once(
    session: Session,
    request: CapacityRequest,
    on_date: dt.date,
    lang: str,
    actor: Actor,
    source: str | None,
    to_lock: set[tuple[str, int]],
    last_rack: int | None = None,
) -> ReserveOutcome:
    tenant = _require_tenant(session, request, source, lang)
    postgres = not is_sqlite(session)
    result = None
    if postgres and not to_lock:
        # The first attempt checks before it locks anything, side by side with the other
        # reservers; then it waits for the rows of its proposal's rack and of the racks
        # ranked next, and judges those racks again under the locks: the reservers ahead
        # of it in the queue took the first ones.
        result = run_check(session, request, on=on_date, lang=lang, source=source)
        if result.feasible and result.proposal is not None:
            window = _window(result)
            to_lock = _resources(result.proposal) | _rack_rows(session, window)
            _lock(session, to_lock)
            again = run_check(
                session, request, on=on_date, lang=lang, source=source, only_racks=window
            )
            if again.feasible and again.proposal is not None:
                # Nobody took what it proposed: the whole room's answer stands, in its words.
                result = result if again.proposal == result.proposal else again
            else:
                result = run_check(session, request, on=on_date, lang=lang, source=source)
        else:
            # Each of the check's statements sees the commits made before it: an install
            # committed between two of them can count a server twice. "Not feasible" is
            # judged again behind the reservers of the same addresses, as on a retry.
            result = None
            to_lock = _address_prefixes(session, request)
    if postgres and to_lock and result is None:
        _lock(session, to_lock)
        if last_rack is not None:
            # Starting over after the proposal moved to ``last_rack``, now locked. Racks that
            # take two servers each made racing reservers chase the next rack try after try.
            result = _in_locked_rack(session, request, on_date, lang, source, last_rack, to_lock)
    if result is None:
        result = run_check(session, request, on=on_date, lang=lang, source=source)
    if not result.feasible or result.proposal is None:
        return ReserveOutcome(result, message=t("capacity.reserve.not_held", lang))
    if postgres:
        wanted = _resources(result.proposal)
        if not wanted <= to_lock:
            # The check ran before these rows were locked: lock them, then make sure that
            # nobody changed them in between; when somebody did, look again under the locks.
            held = to_lock | wanted
            moved = _ProposalMoved(held, result.proposal.rack_id)
            _lock(session, wanted - to_lock, wait=_waits_in_order(to_lock, wanted), or_else=moved)
            if not still_fits(session, result, on_date):
                result = _look_again(session, request, on_date, lang, source, result, held)
                if not result.feasible or result.proposal is None:
                    return ReserveOutcome(result, message=t("capacity.reserve.not_held", lang))
                moved_to = _resources(result.proposal)
                if not moved_to <= held:
                    # The rack it moved to is usually free: lock it on the spot rather than
                    # start over at the back of the queue (a third of a race's holds did).
                    moved = _ProposalMoved(held | moved_to, result.proposal.rack_id)
                    _lock(session, moved_to - held, wait=False, or_else=moved)
                    if not still_fits(session, result, on_date):
                        raise moved
    return _hold(session, result, request, tenant, on_date, lang, actor)


def _hold(
    session: Session,
    result: CheckResult,
    request: CapacityRequest,
    tenant: Tenant,
    on_date: dt.date,
    lang: str,
    actor: Actor,
) -> ReserveOutcome:
    """Write the hold of a proposal re-validated under its locks, and audit it."""
    assert result.proposal is not None
    code, expires = write_hold(session, result, request, tenant, on_date, lang, actor)
    record(
        session,
        actor,
        "reserve",
        "reservation",
        code,
        summary=result.summary,
        data={
            "request": request.number,
            "proposal": result.proposal.to_json(),
            "expires_at": expires.isoformat(),
        },
    )
    days = policy_facts(session).reservation_working_days
    from dcim import i18n

    message = t(
        "capacity.reserve.held", lang, code=code, expires=i18n.date(expires, lang), days=days
    )
    if result.only_racks is not None:
        # The answer speaks of the racks judged again, not the room: say so beside it.
        racks = len(result.only_racks)
        message += " " + t("capacity.reserve.judged_again", lang, racks=racks)
    return ReserveOutcome(result, code, expires, message)


def _in_locked_rack(
    session: Session,
    request: CapacityRequest,
    on_date: dt.date,
    lang: str,
    source: str | None,
    rack_id: int,
    locked: set[tuple[str, int]],
) -> CheckResult | None:
    """The check of ``rack_id`` alone, when the server fits there with rows already ``locked``.

    A check of one rack is cheap enough to run while other reservers wait for these locks.
    """
    kept = run_check(session, request, on=on_date, lang=lang, source=source, only_racks=(rack_id,))
    if kept.feasible and kept.proposal is not None and _resources(kept.proposal) <= locked:
        return kept
    return None


def _look_again(
    session: Session,
    request: CapacityRequest,
    on_date: dt.date,
    lang: str,
    source: str | None,
    earlier: CheckResult,
    held: set[tuple[str, int]],
) -> CheckResult:
    """The check again, under the locks, after another reserver changed what ``earlier`` named.

    Reservers racing for the same room all propose the same rack; the one that
    waited for its locks finds its units and addresses taken. It holds that
    rack, its feeds, UPS, uplink, prefixes and zones now, so it first looks
    again in that rack alone. When the server fits there with what is locked,
    that is the answer; the rack was the best one when this reserve began.
    Otherwise the whole room is judged again, as before.
    """
    assert earlier.proposal is not None
    rack_id = earlier.proposal.rack_id
    kept = _in_locked_rack(session, request, on_date, lang, source, rack_id, held)
    return kept or run_check(session, request, on=on_date, lang=lang, source=source)


def _require_tenant(
    session: Session, request: CapacityRequest, source: str | None, lang: str
) -> Tenant:
    if request.tenant is None:
        raise InputError([Problem("tenant", t("capacity.reserve.tenant_required", lang))], source)
    tenant = session.scalar(select(Tenant).where(Tenant.slug == request.tenant))
    if tenant is None:
        raise InputError(
            [Problem("tenant", t("capacity.reserve.tenant_unknown", lang, tenant=request.tenant))],
            source,
        )
    return tenant


def _window(result: CheckResult) -> list[int]:
    """The proposal's rack and the racks ranked after it, :data:`NEXT_RACKS` in all."""
    assert result.proposal is not None
    ranked, rack_id = result.ranked, result.proposal.rack_id
    start = ranked.index(rack_id) if rack_id in ranked else len(ranked)
    return [rack_id, *ranked[start + 1 : start + NEXT_RACKS]]


def _rack_rows(session: Session, rack_ids: list[int]) -> set[tuple[str, int]]:
    """The racks, their feeds and the feeds' UPS, as (table, id) pairs."""
    rows = {("racks", rack_id) for rack_id in rack_ids}
    for feed_id, ups_id in session.execute(
        select(PowerFeed.id, PowerFeed.ups_id).where(PowerFeed.rack_id.in_(rack_ids))
    ):
        rows.add(("power_feeds", feed_id))
        if ups_id is not None:
            rows.add(("ups", ups_id))
    return rows


def _address_prefixes(session: Session, request: CapacityRequest) -> set[tuple[str, int]]:
    """Every prefix of the address roles the request asks for, as (table, id) pairs: the ones
    its proposal can draw from, whichever site it ends up in."""
    roles = [(family, role) for family, role, _ in requested_roles(request)]
    if not roles:
        return set()
    ids = session.scalars(select(Prefix.id).where(tuple_(Prefix.family, Prefix.role).in_(roles)))
    return {("prefixes", prefix_id) for prefix_id in ids}


def _waits_in_order(held: set[tuple[str, int]], wanted: set[tuple[str, int]]) -> bool:
    """Whether an attempt holding ``held`` may wait for the rest of ``wanted``: only when every
    row it would wait for comes after every row it holds in the lock order, as it does for an
    attempt holding nothing, or only the prefixes it queued for before its check."""
    last_held = max((_LOCK_RANK[table] for table, _ in held), default=-1)
    return all(_LOCK_RANK[table] > last_held for table, _ in wanted - held)


def _resources(proposal: Proposal) -> set[tuple[str, int]]:
    """The rows a proposal depends on, as (table, id) pairs."""
    wanted = {("racks", proposal.rack_id)}
    wanted |= {("power_feeds", fid) for fid in proposal.feed_ids}
    wanted |= {("ups", uid) for uid in proposal.ups_ids}
    if proposal.uplink_id is not None:
        wanted.add(("uplinks", proposal.uplink_id))
    wanted |= {("prefixes", pid) for pid, _ in proposal.address_prefixes.values()}
    wanted |= {("zones", zone_id) for zone_id in proposal.zone_ids.values()}
    return wanted


_LOCKABLE = {
    "racks": Rack,
    "power_feeds": PowerFeed,
    "ups": UPS,
    "uplinks": Uplink,
    "prefixes": Prefix,
    "zones": Zone,
}
# The rows most reservers share come first: every reserver of an address of a role queues for
# its prefix, and one that waits there holds nothing yet. With racks first, a reserver held the
# next rack while it waited for the prefix, and the one ahead of it, moving to that rack, found
# it taken and started over (114 of 160 holds of an 8-client race).
_LOCK_ORDER = ("prefixes", "zones", "uplinks", "racks", "power_feeds", "ups")
_LOCK_RANK = {table: place for place, table in enumerate(_LOCK_ORDER)}


def _lock(
    session: Session,
    rows: set[tuple[str, int]],
    *,
    wait: bool = True,
    or_else: Exception | None = None,
) -> None:
    """``SELECT ... FOR UPDATE`` on the rows, table by table and id by id, so lockers queue in one order.

    An attempt waits only for rows that come after all it holds in this order
    (:func:`_waits_in_order`). Rows it needs after that are only tried (``NOWAIT``): waiting
    for them while holding later ones could close a circle of reservers each waiting for the
    next. When one is taken, ``or_else`` is raised and the attempt starts over, locking all
    of them in one pass.
    """
    for table in _LOCK_ORDER:
        ids = sorted(i for name, i in rows if name == table)
        if ids:
            model = _LOCKABLE[table]
            stmt = select(model.id).where(model.id.in_(ids)).order_by(model.id)
            try:
                session.execute(stmt.with_for_update(nowait=not wait)).all()
            except DBAPIError as exc:
                if wait or or_else is None or not _is_retryable(exc):
                    raise
                raise or_else from exc


def _highest_code_number(session: Session, year: int) -> int:
    highest = 0
    for (code,) in session.execute(
        select(Reservation.code).where(Reservation.code.like(f"RSV-{year}-%"))
    ):
        match = CODE_PATTERN.match(code)
        if match:
            highest = max(highest, int(match.group(2)))
    return highest


def _new_code(session: Session, year: int) -> str:
    while True:
        number = next_number(
            session, f"reservation:{year}", lambda: _highest_code_number(session, year)
        )
        code = f"RSV-{year}-{number:04d}"
        if session.scalar(select(Reservation.id).where(Reservation.code == code)) is None:
            return code


def _take_over_ended_claims(
    session: Session, proposal: Proposal, on: dt.date, actor: Actor, lang: str
) -> None:
    """End, as expired and audited, the holds past their expiry whose claims still sit on what
    the proposal takes (:func:`expire_in`), so that the new hold can claim them.

    Claims are deleted when a hold ends, so only held holds past their expiry
    can still have any; usually there are none and nothing is read.
    """
    stale = occupancy.stale_hold_ids(session, on)
    if not stale:
        return
    units = select(RackUnit.reservation_id).where(
        RackUnit.rack_id == proposal.rack_id,
        RackUnit.unit.between(proposal.position, proposal.top_unit),
        RackUnit.face.in_(occupied_faces(proposal.face, proposal.full_depth)),
        RackUnit.reservation_id.in_(stale),
    )
    addresses = select(IPAddress.reservation_id).where(
        IPAddress.address.in_(proposal.addresses()), IPAddress.reservation_id.in_(stale)
    )
    names = select(NameClaim.reservation_id).where(
        NameClaim.fqdn.in_(proposal.fqdns), NameClaim.reservation_id.in_(stale)
    )
    ids = set(session.scalars(units.union(addresses, names)))
    if not ids:
        return
    codes = session.scalars(
        select(Reservation.code).where(Reservation.id.in_(ids)).order_by(Reservation.code)
    ).all()
    for code in codes:
        expire_in(session, code, on, actor=actor, lang=lang)
    # The stale list read earlier in this session no longer holds: these holds have ended.
    session.info.get("stale_hold_ids", {}).pop(on, None)


def _free_claims(session: Session, reservation_ids: list[int]) -> None:
    session.execute(delete(RackUnit).where(RackUnit.reservation_id.in_(reservation_ids)))
    session.execute(delete(IPAddress).where(IPAddress.reservation_id.in_(reservation_ids)))
    session.execute(delete(NameClaim).where(NameClaim.reservation_id.in_(reservation_ids)))


def write_hold(
    session: Session,
    result: CheckResult,
    request: CapacityRequest,
    tenant: Tenant,
    on: dt.date,
    lang: str,
    actor: Actor,
) -> tuple[str, dt.date]:
    """Write the hold the check's proposal names, in the caller's transaction; its code and end.

    The caller has checked (and on PostgreSQL locked) what the proposal names;
    the purchase plan also calls this on its scratch copy of the inventory.
    ``actor`` is who reserves: a lapsed hold whose claims the new one takes over
    is ended in that person's name.
    """
    proposal = result.proposal
    assert proposal is not None
    needs = result.needs
    policy = policy_facts(session)
    if policy.reservation_working_days > MAX_WORKING_DAYS:
        # Stored before the inventory file was bounded; counting that far would never end.
        message = t(
            "dates.too_many_working_days",
            lang,
            days=policy.reservation_working_days,
            most=MAX_WORKING_DAYS,
        )
        raise InputError([Problem("policy.reservation_working_days", message)])
    expires = calendar_for(session).add_working_days(on, policy.reservation_working_days)
    units = [
        {"rack_id": proposal.rack_id, "unit": unit, "face": face, "kind": UnitClaimKind.HOLD.value}
        for unit in range(proposal.position, proposal.top_unit + 1)
        for face in occupied_faces(proposal.face, proposal.full_depth)
    ]
    _take_over_ended_claims(session, proposal, on, actor, lang)
    code = _new_code(session, on.year)
    hold = Reservation(
        code=code,
        request_number=request.number,
        tenant_id=tenant.id,
        rack_id=proposal.rack_id,
        position=proposal.position,
        u_height=proposal.u_height,
        face=proposal.face,
        full_depth=proposal.full_depth,
        weight_kg=needs.weight_kg,
        power_w=needs.power_w,
        uplink_id=proposal.uplink_id,
        bandwidth_mbps=needs.bandwidth_mbps,
        expires_at=expires,
        counted_from=on,
        working_days=policy.reservation_working_days,
        status=HoldStatus.HELD.value,
        model=needs.model,
        purpose=request.purpose,
        created_at=now(session),
    )
    session.add(hold)
    session.flush()
    for unit in units:
        session.add(RackUnit(reservation_id=hold.id, **unit))
    for feed_id in proposal.feed_ids:
        session.add(PowerConnection(feed_id=feed_id, reservation_id=hold.id))
    for address in proposal.addresses():
        prefix_id, network = proposal.address_prefixes[address]
        parsed = ipaddress.ip_address(address)
        session.add(
            IPAddress(
                address=address,
                family=parsed.version,
                prefix_id=prefix_id,
                host=int(parsed) - int(ipaddress.ip_network(network).network_address),
                reservation_id=hold.id,
                status=IPStatus.RESERVED.value,
                description=request.purpose,
            )
        )
    session.flush()
    advance_free_hints(session, {prefix_id for prefix_id, _ in proposal.address_prefixes.values()})
    for fqdn in proposal.fqdns:
        zone = proposal.zones.get(fqdn)
        session.add(
            NameClaim(
                fqdn=fqdn,
                zone_id=proposal.zone_ids.get(zone) if zone else None,
                reservation_id=hold.id,
            )
        )
    session.flush()
    return code, expires


# --- release and commit ------------------------------------------------------------------------


def _held(session: Session, code: str, lang: str) -> Reservation:
    hold = session.scalar(select(Reservation).where(Reservation.code == code).with_for_update())
    if hold is None:
        raise InputError([Problem("id", t("capacity.reserve.unknown", lang, code=code))])
    if hold.status != HoldStatus.HELD:
        raise InputError(
            [Problem("id", t("capacity.reserve.ended", lang, code=code, status=hold.status))]
        )
    return hold


def _check_release(actor: Actor, hold: Reservation | None, lang: str = "id") -> None:
    """Refuse an actor who may not end this hold (see :func:`release`)."""
    tenant_id = hold.tenant_id if hold is not None else None
    if actor.role == Role.OPD and tenant_id is not None and actor.tenant_id == tenant_id:
        return
    require_role(actor, RELEASE_ROLES, "release a hold", lang)


def release(engine: Engine, code: str, *, actor: Actor, lang: str = "id") -> None:
    """End a hold: its units, addresses and names are free again; the hold stays as history.

    :data:`RELEASE_ROLES` may end any hold; an OPD user only its own
    office's (the hold of a request it withdraws), never another office's.
    """
    if actor.role != Role.OPD:
        _check_release(actor, None, lang)
    in_transaction(engine, lambda session, _: release_in(session, code, actor=actor, lang=lang))


def release_in(session: Session, code: str, *, actor: Actor, lang: str = "id") -> None:
    """:func:`release` in the caller's transaction, with the same role rule."""
    hold = _held(session, code, lang)
    _check_release(actor, hold, lang)
    _free_claims(session, [hold.id])
    hold.status = HoldStatus.RELEASED.value
    hold.ended_at = now(session)
    record(
        session,
        actor,
        "release",
        "reservation",
        code,
        summary=t("capacity.reserve.released", lang, code=code),
    )


def keep_until_in(
    session: Session,
    code: str,
    until: dt.date,
    *,
    actor: Actor,
    lang: str = "id",
) -> dt.date | None:
    """Keep a held hold at least until a date (never shortened), in the caller's transaction.

    The hold's claims on units, addresses and names stay as they are; only
    its end moves, and the audit log says from when to when. Returns the
    hold's end, or None when there is no such held hold.
    """
    hold = session.scalar(
        select(Reservation)
        .where(Reservation.code == code, Reservation.status == HoldStatus.HELD.value)
        .with_for_update()
    )
    if hold is None:
        return None
    if until > hold.expires_at:
        from dcim import i18n

        before = hold.expires_at
        hold.expires_at = until
        # A written date from now on: a holiday declared later no longer counts it again.
        hold.counted_from = hold.working_days = None
        record(
            session,
            actor,
            "extend",
            "reservation",
            code,
            summary=t("capacity.reserve.extended", lang, code=code, date=i18n.date(until, lang)),
            data={"expires_at": {"from": before.isoformat(), "to": until.isoformat()}},
        )
    return hold.expires_at


def commit(
    engine: Engine,
    code: str,
    name: str,
    serial: str | None = None,
    on: dt.date | None = None,
    *,
    actor: Actor,
    lang: str = "id",
) -> str:
    """Turn a live hold into an installed device with its addresses and DNS records (SOP step 9).

    Only :data:`HOLD_ROLES` may install: Tim Data Center, the administrator
    and the operator; an OPD user never does, not even for its own office.

    Each held name gets an A record to the device's first public IPv4
    address and an AAAA record to its first public IPv6 address; a device
    with no public address points its names at its first address. ``on``
    may not be after today; a serial number already installed is refused.
    """
    require_role(actor, HOLD_ROLES, "install a server", lang)
    return in_transaction(
        engine,
        lambda session, _: commit_in(session, code, name, serial, on, actor=actor, lang=lang),
    )


def commit_in(
    session: Session,
    code: str,
    name: str,
    serial: str | None = None,
    on: dt.date | None = None,
    *,
    actor: Actor,
    lang: str = "id",
) -> str:
    """:func:`commit` in the caller's transaction, with the same role rule."""
    require_role(actor, HOLD_ROLES, "install a server", lang)
    hold = _held(session, code, lang)
    on_date = write_date(session, on, "on", lang)
    if hold.expires_at < on_date:
        from dcim import i18n

        raise InputError(
            [
                Problem(
                    "id",
                    t(
                        "capacity.reserve.expired",
                        lang,
                        code=code,
                        date=i18n.date(hold.expires_at, lang),
                    ),
                )
            ]
        )
    # The device name becomes an inventory key: the same rule as a name in the file,
    # so that export and load take it back.
    checked_name(name, "--name")
    if serial is not None:
        checked_name(serial, "--serial")
    if session.scalar(select(Device.id).where(Device.name == name)) is not None:
        raise InputError([Problem("--name", t("capacity.reserve.device_exists", lang, name=name))])
    installed = serial_in_use(session, serial)
    if installed is not None:
        raise InputError(
            [
                Problem(
                    "--serial",
                    t("capacity.reserve.serial_exists", lang, serial=serial, device=installed),
                )
            ]
        )
    device = Device(name=name, model=hold.model, serial=serial, status=DeviceStatus.ACTIVE.value)
    copy_placement(hold, device)
    session.add(device)
    session.flush()
    session.execute(
        update(RackUnit)
        .where(RackUnit.reservation_id == hold.id)
        .values(kind=UnitClaimKind.DEVICE.value, device_id=device.id, reservation_id=None)
    )
    session.execute(
        update(PowerConnection)
        .where(PowerConnection.reservation_id == hold.id)
        .values(device_id=device.id, reservation_id=None)
    )
    addresses = list(
        session.execute(
            select(IPAddress.id, IPAddress.address, IPAddress.family, Prefix.role)
            .join(Prefix, Prefix.id == IPAddress.prefix_id)
            .where(IPAddress.reservation_id == hold.id)
            .order_by(IPAddress.id)
        )
    )
    session.execute(
        update(IPAddress)
        .where(IPAddress.reservation_id == hold.id)
        .values(device_id=device.id, reservation_id=None, status=IPStatus.ACTIVE.value)
    )
    _records_for_names(session, hold, addresses)
    hold.status = HoldStatus.COMMITTED.value
    hold.ended_at = now(session)
    hold.device_id = device.id
    record(
        session,
        actor,
        "commit",
        "reservation",
        code,
        summary=t("capacity.reserve.committed", lang, code=code, device=name),
        data={"device": name, "serial": serial},
    )
    return name


def serial_in_use(session: Session, serial: str | None) -> str | None:
    """The device that already has this serial number (compared without case), or None.

    A serial number names one physical server; two devices with the same one
    mean a typing error or a server recorded twice.
    """
    if serial is None or not serial.strip():
        return None
    return session.scalar(
        select(Device.name)
        .where(func.upper(Device.serial) == serial.strip().upper())
        .order_by(Device.id)
        .limit(1)
    )


def _records_for_names(session: Session, hold: Reservation, addresses: list[Any]) -> None:
    claims = list(
        session.scalars(
            select(NameClaim).where(NameClaim.reservation_id == hold.id).order_by(NameClaim.id)
        )
    )
    if not claims:
        return
    public4 = next((a.address for a in addresses if a.family == 4 and a.role == "public"), None)
    public6 = next((a.address for a in addresses if a.family == 6 and a.role == "public"), None)
    targets: list[tuple[str, str]] = []
    if public4:
        targets.append(("A", public4))
    if public6:
        targets.append(("AAAA", public6))
    if not targets and addresses:
        first = addresses[0]
        targets.append(("A" if first.family == 4 else "AAAA", first.address))
    if not targets:
        raise InputError(
            [
                Problem.of(
                    "id",
                    "capacity.hold_names_without_address",
                    "hold '{code}' holds names but no address to point them at",
                    code=hold.code,
                )
            ]
        )
    for claim in claims:
        zone = session.get(Zone, claim.zone_id) if claim.zone_id else None
        if zone is None:
            continue
        relative = relative_to(claim.fqdn, zone.name)
        for record_type, value in targets:
            session.add(Record(zone_id=zone.id, name=relative, type=record_type, value=value))
    session.execute(delete(NameClaim).where(NameClaim.reservation_id == hold.id))


# --- the rest of a hold's life: looking it up, keeping it, letting it lapse ---------------------


def hold_is_live(session: Session, code: str | None, on: dt.date) -> bool:
    """Whether the hold still occupies its resources on the date (held, not past its end)."""
    if code is None:
        return False
    hold = session.scalar(select(Reservation).where(Reservation.code == code))
    return hold is not None and hold.is_live(on)


def hold_is_held(session: Session, code: str | None) -> bool:
    """Whether the hold has not ended yet (it may have passed its end date without being let go)."""
    if code is None:
        return False
    status = session.scalar(select(Reservation.status).where(Reservation.code == code))
    return status == HoldStatus.HELD


def hold_expiry(session: Session, code: str | None) -> dt.date | None:
    """The last day the hold counts (or counted, once ended), as the reservation records it."""
    if code is None:
        return None
    return session.scalar(select(Reservation.expires_at).where(Reservation.code == code))


def expire_in(session: Session, code: str, on: dt.date, *, actor: Actor, lang: str = "id") -> bool:
    """End a hold that is past its end date, in the caller's transaction, audited; False when not lapsed.

    A hold past ``expires_at`` already counts for nothing, but its claims on
    units, addresses and names stay until someone lets it go. Ending it as
    ``expired`` (not ``released``) keeps the history true: nobody gave the
    space up, the time ran out. A live hold, or one already ended, is left as
    it is.
    """
    hold = session.scalar(
        select(Reservation)
        .where(Reservation.code == code, Reservation.status == HoldStatus.HELD.value)
        .with_for_update()
    )
    if hold is None or hold.expires_at >= on:
        return False
    from dcim import i18n

    _free_claims(session, [hold.id])
    hold.status = HoldStatus.EXPIRED.value
    hold.ended_at = now(session)
    record(
        session,
        actor,
        "expire",
        "reservation",
        code,
        summary=t(
            "capacity.reserve.lapsed", lang, code=code, date=i18n.date(hold.expires_at, lang)
        ),
        data={"expires_at": hold.expires_at.isoformat(), "on": on.isoformat()},
    )
    return True
