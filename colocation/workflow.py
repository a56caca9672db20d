"""The state machine: submitting a request and performing the SOP's actions on it.

Every action is checked before anything is written: the request must be
open and visible to the user, the action must belong to the state the
request waits at, the user must hold that state's role (an OPD user only
for its own requests), the date and the data must be sound. A refused
action raises :class:`~dcim.accounts.PermissionDenied` or
:class:`~dcim.inventory.InputError` and changes nothing.

An accepted action appends one :class:`~colocation.models.RequestEvent`
(and the Lembar Disposisi hop or the document number it issues), moves the
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
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dcim import i18n
from dcim.accounts import Actor, Operator, PermissionDenied, record, role_allows
from dcim.db import write_session
from dcim.i18n import t
from dcim.inventory.problems import InputError, Problem
from dcim.models import Device, Role, Site, Tenant, User
from dcim.models.choices import ChecklistStatus, RequestStatus, TestResult
from dcim.workdays import WorkingCalendar, calendar_for, now, require_in_calendar, today, write_date

from . import action_data as ad
from . import engine_calls
from .access import find_request
from .deadlines import due_date
from .models import Attachment, ColocationRequest, Disposition, IssuedDocument, RequestEvent
from .monitoring import monitoring_target
from .numbering import agenda_number, letter_number, request_code
from .sop import WITHDRAW_ACTION, ActionSpec, Sop, StateSpec, current_sop

if TYPE_CHECKING:
    from capacity.holds import Attempt

SUBMIT_ACTION = "submit"
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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


@dataclass
class _Plan:
    """An action checked and ready to record."""

    sop: Sop
    request: ColocationRequest
    user: User
    state: StateSpec
    action: ActionSpec | None  # None for withdrawal
    kind: str
    data: ad.ActionData
    note: str | None
    on: dt.date
    lang: str
    calendar: WorkingCalendar
    engine_call: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def action_name(self) -> str:
        return self.action.name if self.action else WITHDRAW_ACTION


def _d(value: dt.date, lang: str) -> str:
    return i18n.date(value, lang)


# --- submission (SOP step 1: the letter comes in) ----------------------------------------------


@dataclass(frozen=True)
class ScannedLetter:
    """The scanned letter that comes with a request."""

    filename: str
    content: bytes


def _media_type(content: bytes) -> str | None:
    if content.startswith(PDF_MAGIC):
        return "application/pdf"
    if content.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if content.startswith(PNG_MAGIC):
        return "image/png"
    return None


def check_attachment(sop: Sop, letter: ScannedLetter, lang: str) -> str:
    """The scanned letter's media type, read from its content; an :class:`InputError` when refused."""
    source = letter.filename
    size = len(letter.content)
    if size == 0:
        raise InputError([Problem("attachment", t("workflow.attachment_empty", lang))], source)
    if size > sop.attachment.max_bytes:
        raise InputError(
            [
                Problem(
                    "attachment",
                    t(
                        "workflow.attachment_too_big",
                        lang,
                        size=i18n.number(size / 1048576, lang, decimals=1),
                        limit=i18n.number(sop.attachment.max_bytes / 1048576, lang, decimals=1),
                    ),
                )
            ],
            source,
        )
    media_type = _media_type(letter.content)
    if media_type is None or media_type not in sop.attachment.media_types:
        raise InputError(
            [
                Problem(
                    "attachment",
                    t(
                        "workflow.attachment_type",
                        lang,
                        allowed=", ".join(sop.attachment.media_types),
                    ),
                )
            ],
            source,
        )
    return media_type


def submit(
    engine: Engine,
    data: Any,
    user: Actor,
    *,
    source: str | None = None,
    letter: ScannedLetter | None = None,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> str:
    """Register a request letter (SOP step 1); its code (``REQ-2026-0001``).

    ``data`` is the request as the contract's request format gives it. An
    OPD user submits for its own office (the file may leave ``tenant`` out);
    the operator (:class:`~dcim.accounts.Operator`) registers a paper letter
    for the office the file names. The letter's number and date are required.
    """
    sop = sop or current_sop()
    with write_session(engine) as session:
        return submit_in(
            session, data, user, source=source, letter=letter, on=on, lang=lang, sop=sop
        )


def submit_in(
    session: Session,
    data: Any,
    user: Actor,
    *,
    source: str | None = None,
    letter: ScannedLetter | None = None,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> str:
    """:func:`submit` in the caller's transaction."""
    sop = sop or current_sop()
    # The operator registers paper letters; a person must hold a submitting role.
    person = user if isinstance(user, User) else None
    if person is None and not isinstance(user, Operator):
        raise PermissionDenied(t("workflow.sign_in", lang))
    if person is not None and not role_allows(person.role, sop.submission.roles):
        allowed = ", ".join(sop.role_title(role, lang) for role in sop.submission.roles)
        raise PermissionDenied(t("workflow.submit_role", lang, role=user.role, allowed=allowed))
    if (
        isinstance(data, dict)
        and person is not None
        and person.role == Role.OPD
        and "tenant" not in data
    ):
        data = {
            **data,
            "tenant": session.scalar(select(Tenant.slug).where(Tenant.id == user.tenant_id)),
        }
    request = engine_calls.capacity_request(data, source)
    problems: list[Problem] = []
    if request.number is None:
        problems.append(Problem("number", t("workflow.letter_number_required", lang)))
    if request.date is None:
        problems.append(Problem("date", t("workflow.letter_date_required", lang)))
    tenant = None
    if request.tenant is None:
        problems.append(Problem("tenant", t("workflow.tenant_required", lang)))
    else:
        tenant = session.scalar(select(Tenant).where(Tenant.slug == request.tenant))
        if tenant is None:
            problems.append(
                Problem("tenant", t("workflow.unknown_tenant", lang, tenant=request.tenant))
            )
        elif person is not None and person.role == Role.OPD and tenant.id != person.tenant_id:
            problems.append(
                Problem("tenant", t("workflow.tenant_not_yours", lang, tenant=tenant.slug))
            )
    # The whole request is judged now, with the rule the step-5 domain check uses, so that a
    # malformed name is refused at the desk and not after four officials have acted on it.
    for index, name in enumerate(request.domains):
        problem = engine_calls.domain_problem(name)
        if problem is not None:
            problems.append(
                Problem(
                    f"domains[{index}]",
                    t("workflow.domain_invalid", lang, name=repr(name)[1:-1][:80], problem=problem),
                )
            )
    if (
        request.site is not None
        and session.scalar(select(Site.id).where(Site.slug == request.site)) is None
    ):
        problems.append(Problem("site", t("workflow.unknown_site", lang, site=request.site)))
    if request.number is not None and tenant is not None:
        existing = session.scalar(
            select(ColocationRequest.code).where(
                ColocationRequest.tenant_id == tenant.id,
                ColocationRequest.letter_number == request.number,
            )
        )
        if existing:
            problems.append(
                Problem(
                    "number",
                    t("workflow.letter_registered", lang, number=request.number, code=existing),
                )
            )
    if problems:
        raise InputError(problems, source)
    engine_calls.check_needs(session, request, source)
    media_type = check_attachment(sop, letter, lang) if letter is not None else None

    on = write_date(session, on, "on", lang)
    if request.date is not None:
        require_in_calendar(request.date, "date", lang)
    if request.date is not None and on < request.date:
        raise InputError(
            [
                Problem(
                    "date",
                    t(
                        "workflow.letter_after_submission",
                        lang,
                        date=_d(request.date, lang),
                        on=_d(on, lang),
                    ),
                )
            ],
            source,
        )
    calendar = calendar_for(session)
    first = sop.state(sop.submission.first_state)
    assert first is not None and tenant is not None
    spec = engine_calls.json_safe(request.model_dump(mode="python", exclude_none=True))
    row = ColocationRequest(
        code=request_code(session, on),
        tenant_id=tenant.id,
        letter_number=request.number,
        letter_date=request.date,
        purpose=request.purpose,
        spec=spec,
        state=first.key,
        step=first.step,
        status=RequestStatus.OPEN.value,
        entered_on=on,
        due_on=due_date(calendar, first, on),
        submitted_on=on,
        submitted_at=now(session),
        submitted_by=person.username if person else None,
        version=1,
    )
    session.add(row)
    session.flush()
    event = RequestEvent(
        request_id=row.id,
        seq=1,
        at=now(session),
        acted_on=on,
        username=person.username if person else None,
        full_name=person.full_name if person else None,
        role=person.role if person else None,
        action=SUBMIT_ACTION,
        from_state=None,
        from_step=None,
        to_state=first.key,
        to_step=first.step,
        data={"request": spec},
        next_due_on=row.due_on,
    )
    session.add(event)
    if letter is not None and media_type is not None:
        session.add(
            Attachment(
                request_id=row.id,
                filename=letter.filename.rsplit("/", 1)[-1][:255],
                media_type=media_type,
                size_bytes=len(letter.content),
                sha256=hashlib.sha256(letter.content).hexdigest(),
                content=letter.content,
                uploaded_at=now(session),
                uploaded_by=person.username if person else None,
            )
        )
    record(
        session,
        user,
        "request.submit",
        "colocation_request",
        row.code,
        summary=f"{tenant.slug} {request.number}",
        data={"letter_number": request.number, "tenant": tenant.slug},
    )
    session.flush()
    return row.code


# --- what a user may do now --------------------------------------------------------------------


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
                user_role=user.role,
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
) -> _Plan:
    """Check everything about an action before anything is written."""
    refusal = action_refusal(sop, request, user, action_name, lang)
    if refusal is not None:
        raise refusal
    assert isinstance(user, User)
    state = sop.state(request.state)
    assert state is not None
    action = None if action_name == WITHDRAW_ACTION else state.action(action_name)
    kind = action.kind if action is not None else WITHDRAW_ACTION
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
    parsed = ad.parse_data(kind, data, data_source)
    checked_note = ad.parse_note(note)
    plan = _Plan(
        sop=sop,
        request=request,
        user=user,
        state=state,
        action=action,
        kind=kind,
        data=parsed,
        note=checked_note,
        on=acted_on,
        lang=lang,
        calendar=calendar_for(session),
    )
    _prepare(session, plan, data_source)
    return plan


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


def _prepare(session: Session, plan: _Plan, source: str | None) -> None:
    """The checks and choices of each kind of action that need the database."""
    request, lang, data = plan.request, plan.lang, plan.data
    if plan.kind == "register":
        assert isinstance(data, ad.RegisterData)
        received = data.received_on or plan.on
        if received < request.submitted_on or received > plan.on:
            raise InputError(
                [
                    Problem(
                        "data.received_on",
                        t(
                            "workflow.received_range",
                            lang,
                            first=_d(request.submitted_on, lang),
                            last=_d(plan.on, lang),
                        ),
                    )
                ],
                source,
            )
    elif plan.kind == "disposition":
        assert isinstance(data, ad.DispositionData)
        deadline = data.deadline
        if isinstance(deadline, int):
            deadline = plan.calendar.add_working_days(plan.on, deadline)
        if deadline is not None and deadline < plan.on:
            raise InputError(
                [Problem("data.deadline", t("workflow.deadline_past", lang, on=_d(plan.on, lang)))],
                source,
            )
        if deadline is not None:
            _within_reach(plan, deadline, "data.deadline", source)
        plan.extra["deadline"] = deadline
    elif plan.kind == "capacity_check":
        plan.engine_call = "reserve"
    elif plan.kind == "reply":
        assert isinstance(data, ad.ReplyData)
        target = _targets(plan)[0]
        if plan.sop.end(target) is not None:
            if engine_calls.hold_is_held(session, request.reservation_code):
                plan.engine_call = "release"
        else:
            _prepare_delivery(session, plan, data, source)
    elif plan.kind == "install":
        assert isinstance(data, ad.InstallData)
        _prepare_install(session, plan, data, source)
        plan.engine_call = "commit"
    elif plan.kind == "checklist":
        assert isinstance(data, ad.ChecklistData)
        expected = plan.state.checklist or {}
        _check_keys(expected, data.items, "data.items", "workflow.checklist", lang, source)
    elif plan.kind == "performance_test":
        assert isinstance(data, ad.PerformanceTestData)
        expected = plan.state.tests or {}
        _check_keys(expected, data.tests, "data.tests", "workflow.tests", lang, source)
    elif plan.kind == "monitoring":
        assert isinstance(data, ad.MonitoringData)
        plan.extra["target"] = monitoring_target(session, plan.sop, request, data, lang)
    elif plan.kind == "recheck":
        code = request.reservation_code
        if engine_calls.hold_is_live(session, code, plan.on):
            until = engine_calls.hold_expiry(session, code) or plan.on
            message = t("workflow.hold_still_live", lang, code=code, date=_d(until, lang))
            raise InputError([Problem("action", message)])
        if engine_calls.hold_is_held(session, code):
            plan.engine_call = "release"
    elif plan.kind == WITHDRAW_ACTION and engine_calls.hold_is_held(
        session, request.reservation_code
    ):
        plan.engine_call = "release"


def _prepare_delivery(
    session: Session, plan: _Plan, data: ad.ReplyData, source: str | None
) -> None:
    """The acceptance letter's delivery date: the SOP's delivery time after the letter, or the one given.

    The hold must still count; it is kept until the delivery date (see :func:`_apply`).
    """
    request, lang = plan.request, plan.lang
    if not engine_calls.hold_is_live(session, request.reservation_code, plan.on):
        raise InputError(
            [Problem("action", t("workflow.hold_gone", lang, code=request.reservation_code or "-"))]
        )
    deadline = data.delivery_deadline or plan.calendar.add_working_days(
        plan.on, plan.sop.delivery.working_days
    )
    if deadline < plan.on:
        raise InputError(
            [
                Problem(
                    "data.delivery_deadline",
                    t("workflow.delivery_range", lang, first=_d(plan.on, lang)),
                )
            ],
            source,
        )
    _within_reach(plan, deadline, "data.delivery_deadline", source)
    plan.extra["deadline"] = deadline
    plan.extra["hold_until"] = deadline


def _within_reach(plan: _Plan, day: dt.date, path: str, source: str | None) -> None:
    """A deadline an action sets lies at most ``MAX_DEADLINE_WORKING_DAYS`` working days ahead.

    A typo such as 9999-12-31 would otherwise become a due date and a hold
    that never ends.
    """
    days = ad.MAX_DEADLINE_WORKING_DAYS
    latest = plan.calendar.add_working_days(plan.on, days)
    if day > latest:
        message = t(
            "workflow.deadline_too_far",
            plan.lang,
            date=_d(day, plan.lang),
            days=days,
            last=_d(latest, plan.lang),
        )
        raise InputError([Problem(path, message)], source)


def _prepare_install(
    session: Session, plan: _Plan, data: ad.InstallData, source: str | None
) -> None:
    """Verify the delivered server against the request (model, height, power supplies, serial)."""
    request, lang = plan.request, plan.lang
    if not engine_calls.hold_is_live(session, request.reservation_code, plan.on):
        raise InputError(
            [Problem("action", t("workflow.hold_gone", lang, code=request.reservation_code or "-"))]
        )
    needs = engine_calls.check_needs(
        session, engine_calls.capacity_request(request.spec, request.code), request.code
    )
    problems: list[Problem] = []
    if needs.model and data.model and needs.model.casefold() != data.model.casefold():
        problems.append(
            Problem(
                "data.model", t("workflow.install_model", lang, got=data.model, want=needs.model)
            )
        )
    if data.u_height != needs.u_height:
        problems.append(
            Problem(
                "data.u_height",
                t("workflow.install_u", lang, got=data.u_height, want=needs.u_height),
            )
        )
    if data.psu != needs.psu:
        problems.append(
            Problem("data.psu", t("workflow.install_psu", lang, got=data.psu, want=needs.psu))
        )
    name = data.name or _device_name(session, request)
    if session.scalar(select(Device.id).where(Device.name == name)) is not None:
        problems.append(Problem("data.name", t("workflow.install_name_taken", lang, name=name)))
    installed = engine_calls.serial_installed_as(session, data.serial)
    if installed is not None:
        message = t("capacity.reserve.serial_exists", lang, serial=data.serial, device=installed)
        problems.append(Problem("data.serial", message))
    if problems:
        raise InputError(problems, source)
    plan.extra["device_name"] = name
    plan.extra["verified"] = {
        "model": data.model or needs.model,
        "u_height": data.u_height,
        "psu": data.psu,
        "serial": data.serial,
    }


def _device_name(session: Session, request: ColocationRequest) -> str:
    """``SRV-BKPSDM-02``: the office's next free server name."""
    slug = session.scalar(select(Tenant.slug).where(Tenant.id == request.tenant_id)) or "opd"
    stem = f"SRV-{slug.upper()}-"
    taken = set(session.scalars(select(Device.name).where(Device.name.like(f"{stem}%"))))
    number = 1
    while f"{stem}{number:02d}" in taken:
        number += 1
    return f"{stem}{number:02d}"


def _check_keys(
    expected: dict[str, Any],
    given: dict[str, Any],
    path: str,
    area: str,
    lang: str,
    source: str | None,
) -> None:
    problems = [
        Problem(f"{path}.{key}", t(f"{area}_missing", lang, item=title.get(lang)))
        for key, title in expected.items()
        if key not in given
    ]
    problems += [
        Problem(f"{path}.{key}", t(f"{area}_unknown", lang, known=", ".join(expected)))
        for key in given
        if key not in expected
    ]
    if problems:
        raise InputError(problems, source)


def _targets(plan: _Plan) -> list[str]:
    if plan.action is None:
        return [plan.sop.withdrawal.to]
    return plan.action.targets()


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
    plan = _plan(session, sop, request, action, user, note, data, data_source, on, lang)
    outcome = _call_engine(session, attempt, plan) if plan.engine_call else None
    return _apply(session, plan, outcome)


def _call_engine(session: Session, attempt: Attempt, plan: _Plan) -> Any:
    request, user, lang = plan.request, plan.user, plan.lang
    if plan.engine_call == "reserve":
        return engine_calls.reserve_hold(session, request.spec, plan.on, lang, user, attempt)
    if plan.engine_call == "commit":
        verified = plan.extra["verified"]
        return engine_calls.commit_hold(
            session,
            request.reservation_code or "",
            plan.extra["device_name"],
            verified["serial"],
            plan.on,
            user,
            lang,
        )
    if plan.engine_call == "release":
        return engine_calls.release_hold(session, request.reservation_code or "", user, lang)
    raise AssertionError(plan.engine_call)  # pragma: no cover


def _apply(session: Session, plan: _Plan, engine_outcome: Any) -> ActionResult:
    """Record the action and move the request; returns what it did."""
    sop, request, user, lang = plan.sop, plan.request, plan.user, plan.lang
    targets = _targets(plan)
    outcome: str | None = None
    event_data: dict[str, Any] = (
        engine_calls.json_safe(plan.data.model_dump(exclude_none=True)) or {}
    )
    deadline: dt.date | None = plan.extra.get("deadline")

    if plan.kind == "register":
        assert isinstance(plan.data, ad.RegisterData)
        request.agenda_number = agenda_number(session, sop, plan.on)
        request.urgency = plan.data.urgency.value
        request.received_on = plan.data.received_on or plan.on
        event_data["agenda_number"] = request.agenda_number
    elif plan.kind == "capacity_check":
        hold: engine_calls.HoldOutcome = engine_outcome
        request.check_result = hold.result
        outcome = "available" if hold.feasible else "unavailable"
        if hold.feasible:
            request.reservation_code = hold.reservation_code
        event_data = {"feasible": hold.feasible, "reservation": hold.reservation_code}
        if hold.expires_at:
            event_data["expires_at"] = hold.expires_at.isoformat()
    elif plan.kind == "install":
        request.device_name = str(engine_outcome)
        event_data = {**plan.extra["verified"], "device": request.device_name}
    elif plan.kind == "performance_test":
        assert isinstance(plan.data, ad.PerformanceTestData)
        failed = [key for key, item in plan.data.tests.items() if item.result == TestResult.FAIL]
        outcome = "failed" if failed else "passed"
        event_data["failed"] = failed
    elif plan.kind == "checklist":
        assert isinstance(plan.data, ad.ChecklistData)
        event_data["not_applicable"] = [
            key
            for key, item in plan.data.items.items()
            if item.status == ChecklistStatus.NOT_APPLICABLE
        ]
    elif plan.kind == "reply" and "hold_until" in plan.extra:
        # The hold lasts until the delivery date the letter gives, so the space waits for the server.
        kept = engine_calls.keep_hold_until(
            session, request.reservation_code, plan.extra["hold_until"], user, lang
        )
        if kept is not None:
            event_data["hold_until"] = kept.isoformat()
    elif plan.kind == "recheck":
        # The lapsed hold stays in the history; the request looks for capacity afresh.
        event_data["lapsed_hold"] = request.reservation_code
        request.reservation_code = None
    elif plan.kind == "monitoring":
        event_data = plan.extra["target"]
        request.monitored_on = plan.on
        request.monitoring = plan.extra["target"]
    if plan.engine_call == "release":
        event_data["hold_released"] = bool(engine_outcome)

    target = (
        plan.action.outcomes[outcome]
        if plan.action and plan.action.outcomes and outcome
        else targets[0]
    )
    from_step = request.step
    from_state = request.state
    next_state = sop.state(target)
    next_due = due_date(plan.calendar, next_state, plan.on, deadline)
    seq = (
        session.scalar(
            select(func.max(RequestEvent.seq)).where(RequestEvent.request_id == request.id)
        )
        or 0
    ) + 1
    event = RequestEvent(
        request_id=request.id,
        seq=seq,
        at=now(session),
        acted_on=plan.on,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        action=plan.action_name,
        from_state=from_state,
        from_step=from_step,
        to_state=target,
        to_step=next_state.step if next_state else from_step,
        outcome=outcome,
        note=plan.note,
        data=event_data or None,
        due_on=request.due_on,
        next_due_on=next_due,
    )
    session.add(event)
    session.flush()

    issued: list[str] = []
    if plan.kind == "register":
        session.add(
            IssuedDocument(
                request_id=request.id,
                event_id=event.id,
                kind="lembar_disposisi",
                number=None,
                issued_on=plan.on,
                username=user.username,
            )
        )
        issued.append("lembar_disposisi")
    if plan.kind == "disposition":
        assert isinstance(plan.data, ad.DispositionData) and plan.action is not None
        default = plan.action.instruction.get(lang) if plan.action.instruction else ""
        session.add(
            Disposition(
                request_id=request.id,
                event_id=event.id,
                agenda_number=request.agenda_number or "",
                urgency=request.urgency or "biasa",
                from_role=user.role,
                from_username=user.username,
                from_name=user.full_name,
                to_role=next_state.role if next_state else user.role,
                instruction=plan.note or plan.data.instruction or default,
                deadline=deadline,
                acted_on=plan.on,
                at=now(session),
            )
        )
    if plan.action is not None and plan.action.document is not None:
        kind = plan.action.document
        session.add(
            IssuedDocument(
                request_id=request.id,
                event_id=event.id,
                kind=kind,
                number=letter_number(session, sop, kind, plan.on),
                issued_on=plan.on,
                username=user.username,
            )
        )
        issued.append(kind)

    request.state = target
    request.version += 1
    end = sop.end(target)
    if end is not None:
        request.status = end.status
        request.closed_on = plan.on
        request.due_on = None
    else:
        assert next_state is not None
        request.step = next_state.step
        request.entered_on = plan.on
        request.due_on = next_due
    record(
        session,
        user,
        f"request.{plan.action_name}",
        "colocation_request",
        request.code,
        summary=f"{from_step} -> {request.step} {target}",
        data={
            "note": plan.note,
            "outcome": outcome,
            **({"data": event.data} if event.data else {}),
        },
    )
    session.flush()
    message = t(
        "workflow.acted",
        lang,
        code=request.code,
        action=(plan.action.title.get(lang) if plan.action else t("workflow.withdraw_title", lang)),
        from_step=from_step,
        to_step=request.step,
        state=sop.title_of(target, lang),
    )
    return ActionResult(
        code=request.code,
        action=plan.action_name,
        from_step=from_step,
        to_step=request.step,
        state=target,
        status=request.status,
        outcome=outcome,
        due_on=request.due_on,
        message=message,
        documents=tuple(issued),
        reservation_code=request.reservation_code,
        hold_expires_on=engine_calls.hold_expiry(session, request.reservation_code),
        device_name=request.device_name,
        failed_tests=tuple(event_data.get("failed", ())) if plan.kind == "performance_test" else (),
    )
