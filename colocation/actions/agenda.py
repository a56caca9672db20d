"""The letter's way to the desk that handles it: the agenda entry (step 1) and the disposition hops (2-4).

Registering gives the letter its agenda number and opens the Lembar
Disposisi; each hop after that adds one line to it, with what to do
(isi disposisi) and by when (batas waktu).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from .. import action_data as ad
from ..choices import ActionKind, LetterUrgency
from ..models import Disposition, IssuedDocument, RequestEvent
from ..numbering import agenda_number
from .base import ActionContext, ActionHandler

# The document registering opens; it carries the agenda number, not a letter number.
LEMBAR_DISPOSISI = "lembar_disposisi"


def within_reach(ctx: ActionContext, day: dt.date, path: str, source: str | None) -> None:
    """Refuse a deadline more than ``MAX_DEADLINE_WORKING_DAYS`` working days after the action.

    A typo such as 9999-12-31 would otherwise become a due date (and a hold) that never ends.
    """
    days = ad.MAX_DEADLINE_WORKING_DAYS
    latest = ctx.calendar.add_working_days(ctx.on, days)
    if day > latest:
        raise ctx.refuse(
            path,
            "workflow.deadline_too_far",
            source,
            date=ctx.date_text(day),
            days=days,
            last=ctx.date_text(latest),
        )


def received_on(ctx: ActionContext) -> dt.date:
    """The day the letter reached the office: as given, else the day it was submitted.

    The letter arrived when it was submitted (the timeline's first event), not when the agenda
    desk got round to numbering it, so the Lembar Disposisi's "Diterima tanggal" and the
    timeline read the same day.
    """
    assert isinstance(ctx.data, ad.RegisterData)
    return ctx.data.received_on or ctx.request.submitted_on


class Register(ActionHandler):
    """Step 1: the letter enters the agenda with its urgency and the day it arrived."""

    kind = ActionKind.REGISTER
    data_model = ad.RegisterData

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """The day the letter arrived lies between its submission and the action."""
        assert isinstance(ctx.data, ad.RegisterData)
        received = received_on(ctx)
        if received < ctx.request.submitted_on or received > ctx.on:
            raise ctx.refuse(
                "data.received_on",
                "workflow.received_range",
                source,
                first=ctx.date_text(ctx.request.submitted_on),
                last=ctx.date_text(ctx.on),
            )

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Number the letter in the agenda."""
        assert isinstance(ctx.data, ad.RegisterData)
        request = ctx.request
        request.agenda_number = agenda_number(session, ctx.sop, ctx.on)
        request.urgency = ctx.data.urgency.value
        request.received_on = received_on(ctx)
        ctx.event_data["agenda_number"] = request.agenda_number
        return None

    def issue(self, session: Session, ctx: ActionContext, event: RequestEvent) -> list[str]:
        """Open the Lembar Disposisi."""
        session.add(
            IssuedDocument(
                request_id=ctx.request.id,
                event_id=event.id,
                kind=LEMBAR_DISPOSISI,
                number=None,
                issued_on=ctx.on,
                username=ctx.user.username,
            )
        )
        return [LEMBAR_DISPOSISI]


class Dispose(ActionHandler):
    """Steps 2-4: pass the letter down with an instruction and, perhaps, a deadline."""

    kind = ActionKind.DISPOSITION
    data_model = ad.DispositionData

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """A deadline (a date, or working days from now) lies ahead, and not too far."""
        assert isinstance(ctx.data, ad.DispositionData)
        deadline = ctx.data.deadline
        if isinstance(deadline, int):
            deadline = ctx.calendar.add_working_days(ctx.on, deadline)
        if deadline is not None and deadline < ctx.on:
            raise ctx.refuse(
                "data.deadline", "workflow.deadline_past", source, on=ctx.date_text(ctx.on)
            )
        if deadline is not None:
            within_reach(ctx, deadline, "data.deadline", source)
        ctx.deadline = deadline

    def issue(self, session: Session, ctx: ActionContext, event: RequestEvent) -> list[str]:
        """Add the hop to the Lembar Disposisi (the sheet itself was issued at registration)."""
        assert isinstance(ctx.data, ad.DispositionData) and ctx.action is not None
        request, user = ctx.request, ctx.user
        default = ctx.action.instruction.get(ctx.lang) if ctx.action.instruction else ""
        next_state = ctx.sop.state(event.to_state)
        session.add(
            Disposition(
                request_id=request.id,
                event_id=event.id,
                agenda_number=request.agenda_number or "",
                urgency=request.urgency or LetterUrgency.BIASA.value,
                from_role=user.role,
                from_username=user.username,
                from_name=user.full_name,
                to_role=next_state.role if next_state else user.role,
                instruction=ctx.note or ctx.data.instruction or default,
                deadline=ctx.deadline,
                acted_on=ctx.on,
                at=event.at,
            )
        )
        return []
