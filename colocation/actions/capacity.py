"""The actions that ask the capacity engine for room: the step-5 check, a recheck, the withdrawal.

The check holds what fits (or finds that nothing does, and the request
goes the rejection way); a recheck lets a lapsed hold go and sends the
request back to step 5; a withdrawal lets the office's hold go. The hold
itself lives in :mod:`capacity.holds`, which audits each change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from capacity.holds import hold_expiry, hold_is_held, hold_is_live

from ..choices import ActionKind, EngineCall
from ..engine_calls import HoldOutcome
from .base import ActionContext, ActionHandler


def note_release(ctx: ActionContext, engine_outcome: Any) -> None:
    """Say in the event whether the hold was let go (it may have ended meanwhile)."""
    if ctx.engine_call == EngineCall.RELEASE:
        ctx.event_data["hold_released"] = bool(engine_outcome)


class CapacityCheck(ActionHandler):
    """Step 5: check space, power, UPS, bandwidth, addresses and names; hold them when all fit."""

    kind = ActionKind.CAPACITY_CHECK
    outcomes = ("available", "unavailable")

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """The check runs under the engine's locks, in the action's transaction."""
        ctx.engine_call = EngineCall.RESERVE

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Keep the check's result and the hold; the way the request goes is what it found."""
        hold: HoldOutcome = engine_outcome
        ctx.request.check_result = hold.result
        if hold.feasible:
            ctx.request.reservation_code = hold.reservation_code
        ctx.event_data = {"feasible": hold.feasible, "reservation": hold.reservation_code}
        if hold.expires_at:
            ctx.event_data["expires_at"] = hold.expires_at.isoformat()
        return "available" if hold.feasible else "unavailable"


class Recheck(ActionHandler):
    """Back to step 5 once the hold has run out (the server did not come in time)."""

    kind = ActionKind.RECHECK

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Refused while the hold still counts; a lapsed hold still held is let go."""
        code = ctx.request.reservation_code
        if hold_is_live(session, code, ctx.on):
            until = hold_expiry(session, code) or ctx.on
            raise ctx.refuse(
                "action", "workflow.hold_still_live", code=code, date=ctx.date_text(until)
            )
        if hold_is_held(session, code):
            ctx.engine_call = EngineCall.RELEASE

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """The lapsed hold stays in the history; the request looks for capacity afresh."""
        ctx.event_data["lapsed_hold"] = ctx.request.reservation_code
        ctx.request.reservation_code = None
        note_release(ctx, engine_outcome)
        return None


class Withdraw(ActionHandler):
    """The requesting office withdraws its request; whatever it holds is let go."""

    kind = ActionKind.WITHDRAW

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Let the hold go when there is one."""
        if hold_is_held(session, ctx.request.reservation_code):
            ctx.engine_call = EngineCall.RELEASE

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Record whether a hold was let go."""
        note_release(ctx, engine_outcome)
        return None
