"""The state machine: who may act on a request now, and performing the SOP's actions on it.

Submitting a request is :mod:`colocation.submission` (``submit`` is
re-exported here). What each kind of action does is its handler's
(:mod:`colocation.actions`); this module knows no kind by name.

Every action is checked before anything is written: the request must be
open and visible to the user, the action must belong to the state the
request waits at, the user must hold that state's role (an OPD user only
for its own requests), the date and the data must be sound. A refused
action raises :class:`~dcim.accounts.PermissionDenied` or
:class:`~dcim.inventory.InputError` and changes nothing.

An accepted action appends one :class:`~colocation.models.RequestEvent`
(and what its handler issues, and the document the SOP names), moves the
request to the next state with that state's due date, and writes the audit
log, all in one transaction, together with what the capacity engine does
for it (the step-5 hold, the step-9 installation, releasing or keeping a
hold): a process killed at any moment leaves either all of it or none.
The request's row is locked first, so two actions on one request queue;
when the engine's reserve has to start over (PostgreSQL, a proposal that
moved to rows another reserver holds) the whole action starts over.

Dates: an action is recorded for today or an earlier day (``on``), never a
later one, and never before the request reached its step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from capacity.holds import hold_expiry
from dcim import i18n
from dcim.accounts import Actor, record
from dcim.errors import InputError, PermissionDenied, Problem, RoleTitles
from dcim.i18n import t
from dcim.models import Role, User
from dcim.workdays import calendar_for, now, today, write_date

from . import action_data as ad
from .access import find_request
from .actions import ActionContext, ActionHandler
from .choices import RequestStatus
from .deadlines import due_date
from .engine_calls import ENGINE_CALLS, json_safe
from .models import ColocationRequest, IssuedDocument, RequestEvent
from .numbering import letter_number
from .sop import WITHDRAW_ACTION, Sop, StateSpec, current_sop
from .submission import ScannedLetter, check_attachment, submit, submit_in

if TYPE_CHECKING:
    from capacity.holds import Attempt

__all__ = [
    "ActionResult",
    "ScannedLetter",
    "action_refusal",
    "available_actions",
    "check_attachment",
    "perform",
    "submit",
    "submit_in",
]


@dataclass(frozen=True)
class ActionResult:
    """What an action did: where the request was, where it is now, and what was issued."""

    code: str
    action: str
    from_step: int
    to_step: int
    state: str
    status: str
    outcome: str | None
    due_on: dt.date | None
    message: str
    documents: tuple[str, ...] = ()
    reservation_code: str | None = None
    hold_expires_on: dt.date | None = None
    device_name: str | None = None
    failed_tests: tuple[str, ...] = ()


def _d(value: dt.date, lang: str) -> str:
    return i18n.date(value, lang)


# --- what a user may do now --------------------------------------------------------------------


def _role_title(sop: Sop, role: str, lang: str) -> str:
    """A role as the SOP titles it, else as the app does ("Pemantau"), never its code."""
    if role in sop.roles:
        return sop.role_title(role, lang)
    return RoleTitles((str(role),)).text(lang)


def action_refusal(
    sop: Sop, request: ColocationRequest, user: Actor | None, name: str, lang: str = "id"
) -> PermissionDenied | InputError | None:
    """Why the user may not take the named action on the request now, or None when they may.

    Only the role of the state the request waits at may act, an OPD user
    only on its own office's requests; the requesting office may withdraw
    until the SOP's last step for it and before its server is installed.
    A wrong role or office is a :class:`PermissionDenied`, a closed request
    or an action of another step an :class:`InputError`.
    """
    code = request.code
    if not isinstance(user, User):
        # Nobody, or the operator: only a person acts in the SOP.
        return PermissionDenied(t("workflow.sign_in", lang))
    if request.status != RequestStatus.OPEN:
        status = t(f"workflow.status.{request.status}", lang)
        return InputError([Problem("action", t("workflow.closed", lang, code=code, status=status))])
    state = sop.state(request.state)
    if state is None:
        return InputError(
            [Problem("state", t("workflow.state_unknown", lang, state=request.state))]
        )
    own_office = user.role != Role.OPD or user.tenant_id == request.tenant_id
    if name == WITHDRAW_ACTION:
        if user.role != sop.withdrawal.role:
            role = sop.role_title(sop.withdrawal.role, lang)
            return PermissionDenied(t("workflow.withdraw_role", lang, role=role))
        if not own_office:
            return PermissionDenied(t("workflow.not_your_office", lang, code=code))
        if state.step > sop.withdrawal.until_step or request.device_name is not None:
            until, step = sop.withdrawal.until_step, state.step
            message = t("workflow.withdraw_too_late", lang, until=until, step=step)
            return InputError([Problem("action", message)])
        return None
    if state.action(name) is None:
        return InputError([Problem("action", _unknown_action(sop, state, name, code, lang))])
    if user.role != state.role:
        return PermissionDenied(
            t(
                "workflow.wrong_role",
                lang,
                step=state.step,
                state=state.title.get(lang),
                role=sop.role_title(state.role, lang),
                user_role=_role_title(sop, user.role, lang),
            )
        )
    if not own_office:
        return PermissionDenied(t("workflow.not_your_office", lang, code=code))
    return None


def available_actions(sop: Sop, request: ColocationRequest, user: Actor | None) -> list[str]:
    """The names of the actions this user may take on the request now (possibly none).

    Those :func:`action_refusal` does not refuse: the administrator and
    viewers watch.
    """
    state = sop.state(request.state)
    candidates = [action.name for action in state.actions] if state else []
    candidates.append(WITHDRAW_ACTION)
    return [name for name in candidates if action_refusal(sop, request, user, name) is None]


# --- performing an action ----------------------------------------------------------------------


def _plan(
    session: Session,
    sop: Sop,
    request: ColocationRequest,
    action_name: str,
    user: Actor,
    note: str | None,
    data: Any,
    data_source: str | None,
    on: dt.date | None,
    lang: str,
) -> tuple[ActionHandler, ActionContext]:
    """Check everything about an action before anything is written; its handler and context."""
    refusal = action_refusal(sop, request, user, action_name, lang)
    if refusal is not None:
        raise refusal
    assert isinstance(user, User)
    state = sop.state(request.state)
    assert state is not None
    action = None if action_name == WITHDRAW_ACTION else state.action(action_name)
    kind = action.kind if action is not None else WITHDRAW_ACTION
    handler = sop.actions.handler(kind)
    acted_on = write_date(session, on, "on", lang)
    # The history stays in order. A step "entered" after today (recorded before such dates were
    # refused) must not lock the request for ever: the action is then checked against today.
    entered = min(request.entered_on, today(session))
    if acted_on < entered:
        raise InputError(
            [
                Problem(
                    "on",
                    t(
                        "workflow.on_too_early",
                        lang,
                        on=_d(acted_on, lang),
                        entered=_d(entered, lang),
                    ),
                )
            ]
        )
    ctx = ActionContext(
        sop=sop,
        request=request,
        user=user,
        state=state,
        action=action,
        kind=kind,
        data=ad.parse_data(handler.data_model, data, data_source),
        note=ad.parse_note(note),
        on=acted_on,
        lang=lang,
        calendar=calendar_for(session),
    )
    handler.prepare(session, ctx, data_source)
    return handler, ctx


def _unknown_action(sop: Sop, state: StateSpec, name: str, code: str, lang: str) -> str:
    elsewhere = sorted({s.step for s, a in sop.iter_actions() if a.name == name})
    if elsewhere:
        return t(
            "workflow.action_elsewhere",
            lang,
            action=name,
            steps=", ".join(str(step) for step in elsewhere),
            code=code,
            step=state.step,
            state=state.title.get(lang),
        )
    return t(
        "workflow.unknown_action",
        lang,
        action=name,
        step=state.step,
        state=state.title.get(lang),
        available=", ".join([a.name for a in state.actions] + [WITHDRAW_ACTION]),
    )


def perform(
    engine: Engine,
    code: str,
    action: str,
    user: Actor,
    *,
    note: str | None = None,
    data: Any = None,
    data_source: str | None = None,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> ActionResult:
    """Perform an action of the SOP on a request, as the user; what it did.

    Raises :class:`PermissionDenied` for a user whose role does not act at
    the request's step, :class:`InputError` for an action of another step,
    a closed request, a wrong date or wrong data. Nothing changes then.
    The action and what the engine does for it commit in one transaction.
    ``sop`` defaults to the SOP in use; it carries the action kinds it was
    validated against (:attr:`Sop.actions`).
    """
    from capacity.holds import in_transaction

    chosen = sop or current_sop()
    return in_transaction(
        engine,
        lambda session, attempt: _perform_in(
            session, attempt, chosen, code, action, user, note, data, data_source, on, lang
        ),
    )


def _perform_in(
    session: Session,
    attempt: Attempt,
    sop: Sop,
    code: str,
    action: str,
    user: Actor,
    note: str | None,
    data: Any,
    data_source: str | None,
    on: dt.date | None,
    lang: str,
) -> ActionResult:
    request = find_request(session, code, user, lang, lock=True)
    handler, ctx = _plan(session, sop, request, action, user, note, data, data_source, on, lang)
    outcome = ENGINE_CALLS[ctx.engine_call](session, attempt, ctx) if ctx.engine_call else None
    return _apply(session, handler, ctx, outcome)


def _apply(
    session: Session, handler: ActionHandler, ctx: ActionContext, engine_outcome: Any
) -> ActionResult:
    """Record the action and move the request; returns what it did."""
    sop, request, user, lang = ctx.sop, ctx.request, ctx.user, ctx.lang
    ctx.event_data = json_safe(ctx.data.model_dump(exclude_none=True)) or {}
    outcome = handler.apply(session, ctx, engine_outcome)
    # A kind that decides its way names the outcome; the SOP maps it to a state.
    target = (
        ctx.action.outcomes[outcome]
        if ctx.action is not None and ctx.action.outcomes and outcome
        else ctx.targets[0]
    )
    from_step, from_state = request.step, request.state
    next_state = sop.state(target)
    next_due = due_date(ctx.calendar, next_state, ctx.on, ctx.deadline)
    last_seq = session.scalar(
        select(func.max(RequestEvent.seq)).where(RequestEvent.request_id == request.id)
    )
    event = RequestEvent(
        request_id=request.id,
        seq=(last_seq or 0) + 1,
        at=now(session),
        acted_on=ctx.on,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        action=ctx.action.name if ctx.action else WITHDRAW_ACTION,
        from_state=from_state,
        from_step=from_step,
        to_state=target,
        to_step=next_state.step if next_state else from_step,
        outcome=outcome,
        note=ctx.note,
        data=ctx.event_data or None,
        due_on=request.due_on,
        next_due_on=next_due,
    )
    session.add(event)
    session.flush()

    issued = handler.issue(session, ctx, event)
    if ctx.action is not None and ctx.action.document is not None:
        kind = ctx.action.document
        session.add(
            IssuedDocument(
                request_id=request.id,
                event_id=event.id,
                kind=kind,
                number=letter_number(session, sop, kind, ctx.on),
                issued_on=ctx.on,
                username=user.username,
            )
        )
        issued.append(kind)

    request.state = target
    request.version += 1
    end = sop.end(target)
    if end is not None:
        request.status = end.status
        request.closed_on = ctx.on
        request.due_on = None
    else:
        assert next_state is not None
        request.step = next_state.step
        request.entered_on = ctx.on
        request.due_on = next_due
    record(
        session,
        user,
        f"request.{event.action}",
        "colocation_request",
        request.code,
        summary=f"{from_step} -> {request.step} {target}",
        data={
            "note": ctx.note,
            "outcome": outcome,
            **({"data": event.data} if event.data else {}),
        },
    )
    session.flush()
    title = ctx.action.title.get(lang) if ctx.action else t("workflow.withdraw_title", lang)
    message = t(
        "workflow.acted",
        lang,
        code=request.code,
        action=title,
        from_step=from_step,
        to_step=request.step,
        state=sop.title_of(target, lang),
    )
    return ActionResult(
        code=request.code,
        action=event.action,
        from_step=from_step,
        to_step=request.step,
        state=target,
        status=request.status,
        outcome=outcome,
        due_on=request.due_on,
        message=message,
        documents=tuple(issued),
        reservation_code=request.reservation_code,
        hold_expires_on=hold_expiry(session, request.reservation_code),
        device_name=request.device_name,
        failed_tests=tuple(ctx.event_data.get("failed", ())),
    )
