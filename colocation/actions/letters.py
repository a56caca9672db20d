"""The actions that write or pass on a letter: reports, replies, the Berita Acara and its signatures.

The document an action issues is named by the SOP file (``document:``);
each kind here says which documents it may issue, and the state machine
numbers and records it. The acceptance letter also keeps the hold until
the delivery date it gives; the rejection letter lets the hold go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from capacity.holds import hold_is_held, hold_is_live, keep_until_in
from dcim.errors import Problem
from dcim.models import Role

from .. import action_data as ad
from ..choices import ActionKind, EngineCall
from .agenda import within_reach
from .base import ActionContext, ActionHandler
from .capacity import note_release

if TYPE_CHECKING:
    from ..sop import ActionSpec, Sop, StateSpec


def require_live_hold(session: Session, ctx: ActionContext) -> None:
    """Refuse an action that needs the request's hold while the hold no longer counts."""
    code = ctx.request.reservation_code
    if not hold_is_live(session, code, ctx.on):
        raise ctx.refuse("action", "workflow.hold_gone", code=code or "-")


class Report(ActionHandler):
    """Steps 6, 8 and 13: the Data Center Team's report to the Section Head."""

    kind = ActionKind.REPORT
    documents = ("laporan_pemeriksaan", "laporan_pelaksanaan")


class Reply(ActionHandler):
    """Steps 7 and 8: the Section Head's reply to the office, rejecting or accepting the request.

    A reply that ends the request lets its hold go; an acceptance asks for
    the server by a delivery date and keeps the hold until then, so that
    the space waits for the server.
    """

    kind = ActionKind.REPLY
    data_model = ad.ReplyData
    documents = ("surat_balasan_penolakan", "surat_balasan_penerimaan")

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """A rejection releases the hold; an acceptance sets the delivery date."""
        assert isinstance(ctx.data, ad.ReplyData)
        if ctx.sop.end(ctx.targets[0]) is not None:
            if hold_is_held(session, ctx.request.reservation_code):
                ctx.engine_call = EngineCall.RELEASE
            return
        require_live_hold(session, ctx)
        # The SOP's delivery time after the letter, or the date the letter gives.
        deadline = ctx.data.delivery_deadline or ctx.calendar.add_working_days(
            ctx.on, ctx.sop.delivery.working_days
        )
        if deadline < ctx.on:
            raise ctx.refuse(
                "data.delivery_deadline",
                "workflow.delivery_range",
                source,
                first=ctx.date_text(ctx.on),
            )
        within_reach(ctx, deadline, "data.delivery_deadline", source)
        ctx.deadline = deadline
        ctx.extra["hold_until"] = deadline

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Keep the hold until the delivery date (audited by the engine), or say it was let go."""
        if "hold_until" in ctx.extra and ctx.request.reservation_code is not None:
            kept = keep_until_in(
                session,
                ctx.request.reservation_code,
                ctx.extra["hold_until"],
                actor=ctx.user,
                lang=ctx.lang,
            )
            if kept is not None:
                ctx.event_data["hold_until"] = kept.isoformat()
        note_release(ctx, engine_outcome)
        return None


class BeritaAcara(ActionHandler):
    """Step 15: the Data Center Team draws up the work completion record."""

    kind = ActionKind.BERITA_ACARA
    documents = ("berita_acara",)


class Acknowledge(ActionHandler):
    """Step 15: the office, then the Head of Office, sign the Berita Acara."""

    kind = ActionKind.ACKNOWLEDGE

    def sop_problems(
        self, sop: Sop, state: StateSpec, action: ActionSpec, state_path: str, action_path: str
    ) -> list[Problem]:
        """Only the office and the Head of Office put their names under the record."""
        if state.role not in (Role.OPD, Role.KEPALA_DINAS):
            return [
                Problem.of(
                    f"{action_path}.kind",
                    "sop.acknowledged_by",
                    "the Berita Acara is acknowledged by the OPD or the Kepala Dinas",
                )
            ]
        return []


class Plain(ActionHandler):
    """A step that only passes the request on (forwarding, receiving a report)."""

    kind = ActionKind.PLAIN
