"""The workflow's calls into the capacity engine (SOP step 5 and step 9), in one place.

The engine works in transactions of its own (``reserve``, ``release`` and
``commit`` take the engine, not a session), so the workflow calls it between
its own transactions; see :func:`colocation.workflow.perform`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import Actor
from dcim.inventory.problems import InputError
from dcim.models import HoldStatus, Reservation

if TYPE_CHECKING:
    from capacity.request import CapacityRequest


@dataclass(frozen=True)
class HoldOutcome:
    """What the step-5 check found, and the hold it made when the server fits."""

    feasible: bool
    result: dict[str, Any]
    reservation_code: str | None
    expires_at: dt.date | None


def json_safe(value: Any) -> Any:
    """Plain JSON values: decimals as numbers, dates as ISO text, recursively."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def capacity_request(spec: dict[str, Any], source: str | None = None) -> CapacityRequest:
    """The stored request as the engine's :class:`capacity.request.CapacityRequest`."""
    from capacity.request import parse_request

    return parse_request(spec, source)


def domain_problem(name: str) -> str | None:
    """Why a requested domain is not an acceptable host name (the step-5 rule), or None."""
    from capacity.rules import normalise_requested

    return normalise_requested(name)[1]


def check_needs(session: Session, request: CapacityRequest, source: str | None) -> Any:
    """The server's needs completed from the catalog; an :class:`InputError` when they cannot be."""
    from capacity.request import server_needs

    return server_needs(session, request, source)


def reserve_hold(
    engine: Engine, spec: dict[str, Any], on: dt.date, lang: str, actor: Actor
) -> HoldOutcome:
    """Run the step-5 check and hold what its proposal names when the server fits."""
    from capacity.holds import reserve

    outcome = reserve(engine, capacity_request(spec), on=on, lang=lang, actor=actor)
    return HoldOutcome(
        feasible=bool(outcome.result.feasible and outcome.reservation_code),
        result=json_safe(outcome.to_json()),
        reservation_code=outcome.reservation_code,
        expires_at=outcome.expires_at,
    )


def release_hold(engine: Engine, code: str, actor: Actor) -> bool:
    """End a hold; False when it had already ended (expired, released or committed)."""
    from capacity.holds import release

    try:
        release(engine, code, actor=actor)
    except InputError:
        return False
    return True


def commit_hold(
    engine: Engine, code: str, name: str, serial: str | None, on: dt.date, actor: Actor
) -> str:
    """Turn the hold into an installed device; the device's name."""
    from capacity.holds import commit

    return commit(engine, code, name=name, serial=serial, on=on, actor=actor)


def hold_is_live(session: Session, code: str | None, on: dt.date) -> bool:
    """Whether the hold still occupies its resources on the date."""
    if code is None:
        return False
    hold = session.scalar(select(Reservation).where(Reservation.code == code))
    return hold is not None and hold.is_live(on)


def hold_expiry(session: Session, code: str | None) -> dt.date | None:
    """The last day the hold counts (or counted, once ended), as the reservation records it."""
    if code is None:
        return None
    return session.scalar(select(Reservation.expires_at).where(Reservation.code == code))


def hold_is_held(session: Session, code: str | None) -> bool:
    """Whether the hold has not ended (it may have passed its expiry date)."""
    if code is None:
        return False
    status = session.scalar(select(Reservation.status).where(Reservation.code == code))
    return status == HoldStatus.HELD


def keep_hold_until(session: Session, code: str | None, until: dt.date) -> dt.date | None:
    """Keep a live hold at least until a date (never shortened), in the caller's transaction.

    The hold's claims on units, addresses and names stay as they are; only
    its end moves. Returns the hold's end, or None when there is no such held hold.
    """
    if code is None:
        return None
    hold = session.scalar(
        select(Reservation)
        .where(Reservation.code == code, Reservation.status == HoldStatus.HELD.value)
        .with_for_update()
    )
    if hold is None:
        return None
    if until > hold.expires_at:
        hold.expires_at = until
    return hold.expires_at
