"""Reading requests: lists, the task inbox, the timeline, overdue requests and counts by step.

Each list is one query over indexed columns (status, due date, tenant,
state); nothing loads every request to filter it in Python. An OPD user
sees only its own office's requests, everyone else sees all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from dcim.i18n import t
from dcim.models import Reservation, Tenant, User
from dcim.workdays import calendar_for, today

from .access import find_request, visible
from .choices import ActionKind, RequestStatus
from .deadlines import is_overdue, lateness
from .documents import DocumentInfo, issued_documents, latest_documents
from .engine_calls import json_safe
from .models import Attachment, ColocationRequest, Disposition, IssuedDocument, RequestEvent
from .sop import WITHDRAW_ACTION, Sop, current_sop
from .workflow import available_actions


@dataclass(frozen=True)
class RequestRow:
    """A request as lists show it: where it waits, for whom, and by when."""

    code: str
    tenant: str
    tenant_name: str
    letter_number: str | None
    letter_date: dt.date | None
    purpose: str | None
    step: int
    state: str
    state_title: str
    role: str | None
    role_title: str | None
    status: str
    status_title: str
    submitted_on: dt.date
    entered_on: dt.date
    due_on: dt.date | None
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        """The row as plain JSON values."""
        return json_safe(asdict(self))


_ROW_COLUMNS = (
    ColocationRequest.code,
    Tenant.slug,
    Tenant.name,
    ColocationRequest.letter_number,
    ColocationRequest.letter_date,
    ColocationRequest.purpose,
    ColocationRequest.step,
    ColocationRequest.state,
    ColocationRequest.status,
    ColocationRequest.submitted_on,
    ColocationRequest.entered_on,
    ColocationRequest.due_on,
)


def _rows(
    session: Session, stmt: Select[Any], sop: Sop, lang: str, on: dt.date
) -> list[RequestRow]:
    rows: list[RequestRow] = []
    statuses = {status: t(f"workflow.status.{status}", lang) for status in RequestStatus.values()}
    for r in session.execute(stmt):
        state = sop.state(r.state)
        open_ = r.status == RequestStatus.OPEN
        rows.append(
            RequestRow(
                code=r.code,
                tenant=r.slug,
                tenant_name=r.name,
                letter_number=r.letter_number,
                letter_date=r.letter_date,
                purpose=r.purpose,
                step=r.step,
                state=r.state,
                state_title=sop.title_of(r.state, lang),
                role=state.role if state and open_ else None,
                role_title=sop.role_title(state.role, lang) if state and open_ else None,
                status=r.status,
                status_title=statuses.get(r.status, r.status),
                submitted_on=r.submitted_on,
                entered_on=r.entered_on,
                due_on=r.due_on,
                overdue=open_ and is_overdue(r.due_on, on),
            )
        )
    return rows


def _base() -> Select[Any]:
    # Only the columns a list shows: the JSON of the request and its check stay in the database.
    return select(*_ROW_COLUMNS).join(Tenant, Tenant.id == ColocationRequest.tenant_id)


def _filtered(
    stmt: Select[Any],
    user: User | None,
    on: dt.date,
    *,
    status: str | None,
    overdue: bool,
    step: int | None,
    tenant: str | None,
    search: str | None,
) -> Select[Any]:
    """The list filters, shared by the list and its count so that paging adds up."""
    stmt = visible(stmt, user)
    if status is not None:
        stmt = stmt.where(ColocationRequest.status == status)
    if step is not None:
        stmt = stmt.where(ColocationRequest.step == step)
    if tenant is not None:
        stmt = stmt.where(
            ColocationRequest.tenant_id
            == select(Tenant.id).where(Tenant.slug == tenant).scalar_subquery()
        )
    if overdue:
        stmt = stmt.where(
            ColocationRequest.status == RequestStatus.OPEN.value, ColocationRequest.due_on < on
        )
    text = (search or "").strip().lower()
    if text:
        columns = (
            ColocationRequest.code,
            ColocationRequest.letter_number,
            ColocationRequest.purpose,
        )
        stmt = stmt.where(
            or_(*(func.lower(column).contains(text, autoescape=True) for column in columns))
        )
    return stmt


def list_requests(
    session: Session,
    user: User | None,
    *,
    status: str | None = None,
    overdue: bool = False,
    step: int | None = None,
    tenant: str | None = None,
    search: str | None = None,
    on: dt.date | None = None,
    limit: int | None = None,
    offset: int = 0,
    lang: str = "id",
    sop: Sop | None = None,
) -> list[RequestRow]:
    """The requests the user may see, open ones first by due date, then the rest newest first.

    ``overdue`` keeps only open requests whose due date has passed on ``on``
    (default today in the data center's time zone); ``tenant`` keeps one
    office's (by slug); ``search`` finds text in the code, the letter's
    number or its purpose; ``limit`` and ``offset`` page through a long list.
    """
    sop = sop or current_sop()
    on = on or today(session)
    stmt = _filtered(
        _base(), user, on, status=status, overdue=overdue, step=step, tenant=tenant, search=search
    )
    stmt = stmt.order_by(
        case((ColocationRequest.status == RequestStatus.OPEN.value, 0), else_=1),
        case((ColocationRequest.due_on.is_(None), 1), else_=0),
        ColocationRequest.due_on,
        ColocationRequest.id.desc(),
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return _rows(session, stmt, sop, lang, on)


def count_requests(
    session: Session,
    user: User | None,
    *,
    status: str | None = None,
    overdue: bool = False,
    step: int | None = None,
    tenant: str | None = None,
    search: str | None = None,
    on: dt.date | None = None,
) -> int:
    """How many requests :func:`list_requests` would give with the same filters (for paging)."""
    on = on or today(session)
    stmt = _filtered(
        select(func.count()).select_from(ColocationRequest),
        user,
        on,
        status=status,
        overdue=overdue,
        step=step,
        tenant=tenant,
        search=search,
    )
    return session.scalar(stmt) or 0


def overdue_requests(
    session: Session,
    user: User | None,
    *,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> list[RequestRow]:
    """Open requests past their due date, the most overdue first."""
    return list_requests(session, user, overdue=True, on=on, lang=lang, sop=sop)


def my_tasks(
    session: Session,
    user: User,
    *,
    on: dt.date | None = None,
    limit: int | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> list[RequestRow]:
    """The user's inbox ("Tugas saya"): open requests waiting at a state of the user's role.

    The most urgent first: by due date, those without one last.
    """
    sop = sop or current_sop()
    on = on or today(session)
    states = [state.key for state in sop.states if state.role == user.role]
    if not states:
        return []
    stmt = visible(_base(), user).where(
        ColocationRequest.status == RequestStatus.OPEN.value,
        ColocationRequest.state.in_(states),
    )
    stmt = stmt.order_by(
        case((ColocationRequest.due_on.is_(None), 1), else_=0),
        ColocationRequest.due_on,
        ColocationRequest.id,
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return _rows(session, stmt, sop, lang, on)


@dataclass(frozen=True)
class StepCount:
    """How many open requests wait at one SOP step, and how many of them are overdue."""

    step: int
    title: str
    open: int
    overdue: int


def open_by_step(
    session: Session,
    user: User | None,
    *,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> list[StepCount]:
    """Open requests counted by the SOP step they wait at (every step, zeros included)."""
    sop = sop or current_sop()
    on = on or today(session)
    overdue = func.sum(case((ColocationRequest.due_on < on, 1), else_=0))
    stmt = visible(
        select(ColocationRequest.step, func.count(), overdue).where(
            ColocationRequest.status == RequestStatus.OPEN.value
        ),
        user,
    ).group_by(ColocationRequest.step)
    counts = {step: (count, late or 0) for step, count, late in session.execute(stmt)}
    titles: dict[int, str] = {}
    for state in sop.states:
        titles.setdefault(state.step, state.title.get(lang))
    return [StepCount(step, titles[step], *counts.get(step, (0, 0))) for step in sorted(titles)]


# --- one request ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One stay of the request at a state: when it arrived, when it was due, when it was done."""

    step: int
    state: str
    title: str
    role: str | None
    entered_on: dt.date
    due_on: dt.date | None
    done_on: dt.date | None
    action: str | None
    by: str | None
    by_name: str | None
    outcome: str | None
    late: bool
    working_days_late: int


@dataclass(frozen=True)
class UpcomingStep:
    """A step still ahead on the way to completion, with its SOP time standard."""

    step: int
    state: str
    title: str
    role: str
    working_days: int | None


@dataclass(frozen=True)
class ActionOption:
    """An action the user may take now, with what a form needs to offer it."""

    name: str
    title: str
    kind: str
    checklist: dict[str, str] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestDetail:
    """Everything about one request that a page or ``dcim request show`` presents.

    ``documents`` is every document issued, in order; ``downloads`` the ones
    to download, each kind once with its latest number.
    """

    row: RequestRow
    agenda_number: str | None
    urgency: str | None
    received_on: dt.date | None
    submitted_by: str | None
    request: dict[str, Any]
    check: dict[str, Any] | None
    reservation: dict[str, Any] | None
    device: str | None
    monitored_on: dt.date | None
    closed_on: dt.date | None
    actions: list[ActionOption]
    timeline: list[TimelineEntry]
    upcoming: list[UpcomingStep]
    history: list[dict[str, Any]]
    dispositions: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    downloads: list[DocumentInfo]

    def to_json(self) -> dict[str, Any]:
        """The whole request as one JSON document (``dcim request show --json``)."""
        row = self.row.to_json()
        document = {
            "code": row.pop("code"),
            "step": row.pop("step"),
            "status": row.pop("status"),
            "due_on": row.pop("due_on"),
            **row,
            "agenda_number": self.agenda_number,
            "urgency": self.urgency,
            "received_on": self.received_on,
            "submitted_by": self.submitted_by,
            "request": self.request,
            "check": self.check,
            "reservation": self.reservation,
            "device": self.device,
            "monitored_on": self.monitored_on,
            "closed_on": self.closed_on,
            "actions": [asdict(action) for action in self.actions],
            "timeline": [asdict(entry) for entry in self.timeline],
            "upcoming": [asdict(step) for step in self.upcoming],
            "history": self.history,
            "dispositions": self.dispositions,
            "documents": self.documents,
            "attachments": self.attachments,
        }
        return json_safe(document)


def request_detail(
    session: Session,
    code: str,
    user: User | None,
    *,
    on: dt.date | None = None,
    lang: str = "id",
    sop: Sop | None = None,
) -> RequestDetail:
    """One request with its timeline, history, dispositions, documents and the user's actions."""
    sop = sop or current_sop()
    on = on or today(session)
    request = find_request(session, code, user, lang)
    stmt = _base().where(ColocationRequest.id == request.id)
    row = _rows(session, stmt, sop, lang, on)[0]
    events = list(
        session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id == request.id)
            .order_by(RequestEvent.seq)
        )
    )
    calendar = calendar_for(session)
    timeline: list[TimelineEntry] = []
    entered = request.submitted_on
    for event in events:
        if event.from_state is not None:
            timeline.append(
                _entry(
                    sop,
                    calendar,
                    event.from_state,
                    event.from_step,
                    entered,
                    event.due_on,
                    event,
                    lang,
                )
            )
        entered = event.acted_on
    if request.status == RequestStatus.OPEN:
        timeline.append(
            _entry(
                sop,
                calendar,
                request.state,
                request.step,
                request.entered_on,
                request.due_on,
                None,
                lang,
                on,
            )
        )
    upcoming = (
        [
            UpcomingStep(s.step, s.key, s.title.get(lang), s.role, s.working_days)
            for s in sop.main_path(request.state)[1:]
        ]
        if request.status == RequestStatus.OPEN
        else []
    )
    state = sop.state(request.state)
    options: list[ActionOption] = []
    for name in available_actions(sop, request, user):
        if name == WITHDRAW_ACTION or state is None:
            options.append(ActionOption(name, t("workflow.withdraw_title", lang), WITHDRAW_ACTION))
            continue
        spec = state.action(name)
        assert spec is not None
        options.append(
            ActionOption(
                name=name,
                title=spec.title.get(lang),
                kind=spec.kind,
                checklist={k: v.get(lang) for k, v in (state.checklist or {}).items()}
                if spec.kind == ActionKind.CHECKLIST
                else {},
                tests={k: v.get(lang) for k, v in (state.tests or {}).items()}
                if spec.kind == ActionKind.PERFORMANCE_TEST
                else {},
            )
        )
    reservation = None
    if request.reservation_code:
        hold = session.execute(
            select(Reservation.status, Reservation.expires_at).where(
                Reservation.code == request.reservation_code
            )
        ).first()
        reservation = {
            "id": request.reservation_code,
            "expires_at": hold.expires_at if hold else None,
            "status": hold.status if hold else None,
        }
    issued = issued_documents(session, request.id)
    return RequestDetail(
        row=row,
        agenda_number=request.agenda_number,
        urgency=request.urgency,
        received_on=request.received_on,
        submitted_by=request.submitted_by,
        request=request.spec,
        check=request.check_result,
        reservation=reservation,
        device=request.device_name,
        monitored_on=request.monitored_on,
        closed_on=request.closed_on,
        actions=options,
        timeline=timeline,
        upcoming=upcoming,
        history=[_history(event) for event in events],
        dispositions=_dispositions(session, request.id, sop, lang),
        documents=_documents(issued, sop, lang),
        attachments=_attachments(session, request.id),
        downloads=latest_documents(request, issued, sop, lang),
    )


def _entry(
    sop: Sop,
    calendar: Any,
    state_key: str,
    step: int | None,
    entered: dt.date,
    due: dt.date | None,
    event: RequestEvent | None,
    lang: str,
    on: dt.date | None = None,
) -> TimelineEntry:
    state = sop.state(state_key)
    done = event.acted_on if event else None
    late = lateness(calendar, due, done or on or entered)
    return TimelineEntry(
        step=step or (state.step if state else 0),
        state=state_key,
        title=sop.title_of(state_key, lang),
        role=state.role if state else None,
        entered_on=entered,
        due_on=due,
        done_on=done,
        action=event.action if event else None,
        by=event.username if event else None,
        by_name=event.full_name if event else None,
        outcome=event.outcome if event else None,
        late=late.late,
        working_days_late=late.working_days_late,
    )


def _history(event: RequestEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "on": event.acted_on,
        "user": event.username,
        "name": event.full_name,
        "role": event.role,
        "action": event.action,
        "from_step": event.from_step,
        "from_state": event.from_state,
        "to_step": event.to_step,
        "to_state": event.to_state,
        "outcome": event.outcome,
        "note": event.note,
        "data": event.data,
        "due_on": event.due_on,
    }


def _dispositions(session: Session, request_id: int, sop: Sop, lang: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Disposition).where(Disposition.request_id == request_id).order_by(Disposition.id)
    )
    return [
        {
            "agenda_number": d.agenda_number,
            "urgency": d.urgency,
            "from_role": d.from_role,
            "from": d.from_name or d.from_username,
            "to_role": d.to_role,
            "to": sop.role_title(d.to_role, lang),
            "instruction": d.instruction,
            "deadline": d.deadline,
            "on": d.acted_on,
        }
        for d in rows
    ]


def _documents(rows: list[IssuedDocument], sop: Sop, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "kind": d.kind,
            "title": sop.document_title(d.kind, lang),
            "number": d.number,
            "issued_on": d.issued_on,
            "by": d.username,
        }
        for d in rows
    ]


def _attachments(session: Session, request_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            Attachment.id,
            Attachment.filename,
            Attachment.media_type,
            Attachment.size_bytes,
            Attachment.sha256,
        )
        .where(Attachment.request_id == request_id)
        .order_by(Attachment.id)
    )
    return [
        {
            "id": r.id,
            "filename": r.filename,
            "media_type": r.media_type,
            "size_bytes": r.size_bytes,
            "sha256": r.sha256,
        }
        for r in rows
    ]


def attachment_content(
    session: Session, code: str, attachment_id: int, user: User | None, lang: str = "id"
) -> tuple[str, str, bytes]:
    """An attachment of a request the user may see: its filename, media type and bytes."""
    request = find_request(session, code, user, lang)
    row = session.scalar(
        select(Attachment).where(
            Attachment.request_id == request.id, Attachment.id == attachment_id
        )
    )
    if row is None:
        from dcim.errors import InputError, Problem

        raise InputError([Problem("attachment", t("workflow.no_attachment", lang))])
    return row.filename, row.media_type, row.content
