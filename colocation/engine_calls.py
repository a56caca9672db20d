"""The workflow's calls into the capacity engine (SOP step 5 and step 9), in one place.

Each call works in the workflow's transaction (the engine's ``*_in``
functions), so that an action and the hold, release or device it makes are
committed together or not at all; see :func:`colocation.workflow.perform`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.accounts import Actor
from dcim.inventory.problems import InputError
from dcim.models import HoldStatus, Reservation

if TYPE_CHECKING:
    from capacity.holds import Attempt
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
    session: Session,
    spec: dict[str, Any],
    on: dt.date,
    lang: str,
    actor: Actor,
    attempt: Attempt,
) -> HoldOutcome:
    """Run the step-5 check and hold what its proposal names when the server fits."""
    from capacity.holds import reserve_in

    outcome = reserve_in(
        session, capacity_request(spec), on=on, lang=lang, actor=actor, attempt=attempt
    )
    return HoldOutcome(
        feasible=bool(outcome.result.feasible and outcome.reservation_code),
        result=json_safe(outcome.to_json()),
        reservation_code=outcome.reservation_code,
        expires_at=outcome.expires_at,
    )


def release_hold(session: Session, code: str, actor: Actor, lang: str) -> bool:
    """End a hold; False when it had already ended (expired, released or committed)."""
    from capacity.holds import release_in

    try:
        release_in(session, code, actor=actor, lang=lang)
    except InputError:
        # Ended meanwhile: nothing was written, and there is nothing left to free.
        return False
    return True


def commit_hold(
    session: Session,
    code: str,
    name: str,
    serial: str | None,
    on: dt.date,
    actor: Actor,
    lang: str,
) -> str:
    """Turn the hold into an installed device; the device's name."""
    from capacity.holds import commit_in

    return commit_in(session, code, name=name, serial=serial, on=on, actor=actor, lang=lang)


def serial_installed_as(session: Session, serial: str | None) -> str | None:
    """The device already installed with this serial number, or None."""
    from capacity.holds import serial_in_use

    return serial_in_use(session, serial)


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


def keep_hold_until(
    session: Session, code: str | None, until: dt.date, actor: Actor, lang: str
) -> dt.date | None:
    """Keep a live hold at least until a date (never shortened), audited; its end, or None."""
    from capacity.holds import keep_until_in

    if code is None:
        return None
    return keep_until_in(session, code, until, actor=actor, lang=lang)
