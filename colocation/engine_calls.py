"""The workflow's calls into the capacity engine, in one place, one function per :class:`EngineCall`.

An action's handler names the call it needs (``ctx.engine_call``) while it
prepares; the state machine runs it through :data:`ENGINE_CALLS`. Each call
works in the workflow's transaction (the engine's ``*_in`` functions), so
that an action and the hold, release or device it makes are committed
together or not at all; see :func:`colocation.workflow.perform`. The hold's
whole life (reserve, keep, release, expire, commit) lives in
:mod:`capacity.holds`, which audits every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from dcim.errors import InputError

from .choices import EngineCall

if TYPE_CHECKING:
    from capacity.holds import Attempt
    from capacity.request import CapacityRequest

    from .actions.base import ActionContext


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


def serial_installed_as(session: Session, serial: str | None) -> str | None:
    """The device already installed with this serial number, or None."""
    from capacity.holds import serial_in_use

    return serial_in_use(session, serial)


# --- the calls an action makes, by EngineCall ---------------------------------------------------


def reserve_hold(session: Session, attempt: Attempt, ctx: ActionContext) -> HoldOutcome:
    """Run the step-5 check and hold what its proposal names when the server fits."""
    from capacity.holds import reserve_in

    outcome = reserve_in(
        session,
        capacity_request(ctx.request.spec),
        on=ctx.on,
        lang=ctx.lang,
        actor=ctx.user,
        attempt=attempt,
    )
    return HoldOutcome(
        feasible=bool(outcome.result.feasible and outcome.reservation_code),
        result=json_safe(outcome.to_json()),
        reservation_code=outcome.reservation_code,
        expires_at=outcome.expires_at,
    )


def release_hold(session: Session, attempt: Attempt, ctx: ActionContext) -> bool:
    """End the request's hold; False when it had already ended (expired, released or committed).

    A hold past its end date is let go as expired (its time ran out), a
    live one as released (the office or the SOP gave it up).
    """
    from capacity.holds import expire_in, release_in

    code = ctx.request.reservation_code or ""
    if expire_in(session, code, ctx.on, actor=ctx.user, lang=ctx.lang):
        return True
    try:
        release_in(session, code, actor=ctx.user, lang=ctx.lang)
    except InputError:
        # Ended meanwhile: nothing was written, and there is nothing left to free.
        return False
    return True


def commit_hold(session: Session, attempt: Attempt, ctx: ActionContext) -> str:
    """Turn the hold into the installed server; the device's name."""
    from capacity.holds import commit_in

    return commit_in(
        session,
        ctx.request.reservation_code or "",
        name=ctx.extra["device_name"],
        serial=ctx.extra["verified"]["serial"],
        on=ctx.on,
        actor=ctx.user,
        lang=ctx.lang,
    )


ENGINE_CALLS: dict[EngineCall, Callable[[Session, Attempt, ActionContext], Any]] = {
    EngineCall.RESERVE: reserve_hold,
    EngineCall.COMMIT: commit_hold,
    EngineCall.RELEASE: release_hold,
}
