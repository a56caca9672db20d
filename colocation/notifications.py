"""Who is told, by e-mail, that a request waits for them; and the delivery of what is owed.

Three reasons to write (:class:`~colocation.models.NotificationReason`):

* **step**: a request reached a state; the active users of the role that acts
  there, with an address, are told (for the OPD's steps, only the users of
  that OPD). The person who moved it there is not told about his own act.
* **letter**: the action issued a letter addressed to the OPD (the SOP's
  documents say which, ``addressed_to: opd``); the OPD's users are told.
* **overdue**: on a working day, a step past its deadline is recalled to its
  role, once a day.

Finding the reasons never touches the workflow's own transaction: new events
are read after the watermark kept in ``settings`` (``notifications.after_event``)
and turned into outbox rows (:class:`~colocation.models.Notification`) in one
transaction; the outbox's unique key makes a second finder harmless. Mail
starts from the moment it is switched on (:func:`start_from_now`): history is
never mailed. Delivery (:func:`deliver`) claims a row, sends it outside any
transaction and records the outcome; a row is tried :data:`MAX_ATTEMPTS` times.
A crash between the send and the record can send one notice twice (at least
once, never lost).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from colocation.choices import NotificationReason, RequestStatus
from colocation.models import ColocationRequest, IssuedDocument, Notification, RequestEvent
from colocation.sop import Sop, current_sop
from dcim.choices import Role
from dcim.db import read_session, write_session
from dcim.i18n import date as fmt_date
from dcim.i18n import resolve_language, t
from dcim.mail import MailFailed, MailSettings, build_message, read_mail_settings, send
from dcim.models import Setting, User
from dcim.workdays import calendar_for, now, today

WATERMARK_SETTING = "notifications.after_event"
MAX_ATTEMPTS = 5
#: How many events or notices one run handles, so a long outage drains in bounded steps.
BATCH = 500
REQUEST_PAGE = "permohonan"
CODE_PARAM = "kode"


@dataclass(frozen=True)
class DispatchResult:
    """What one run queued and delivered."""

    queued: int
    sent: int
    failed: int


def request_link(settings: MailSettings, code: str) -> str:
    """The app's page of one request (what the ``?kode=`` deep link of the app opens)."""
    return f"{settings.base_url.rstrip('/')}/{REQUEST_PAGE}?{CODE_PARAM}={code}"


def start_from_now(session: Session) -> None:
    """Begin notifying from the newest event on: what happened before mail was on is not sent."""
    if session.get(Setting, WATERMARK_SETTING) is None:
        newest = session.scalar(select(func.max(RequestEvent.id))) or 0
        session.add(Setting(key=WATERMARK_SETTING, value=newest))


def _recipients(session: Session, role: str, request: ColocationRequest) -> list[User]:
    """The active users of a role who have an address; for the OPD, that request's office only."""
    stmt = select(User).where(User.role == role, User.active.is_(True), User.email.is_not(None))
    if role == Role.OPD:
        stmt = stmt.where(User.tenant_id == request.tenant_id)
    return list(session.scalars(stmt.order_by(User.id)))


def _queue(
    session: Session,
    request: ColocationRequest,
    reason: NotificationReason,
    key: str,
    people: list[User],
    subject: str,
    body: str,
) -> int:
    """Add one outbox row per person not already owed this notice; how many were added."""
    if not people:
        return 0
    owed = set(
        session.scalars(
            select(Notification.recipient).where(
                Notification.dedupe_key == key,
                Notification.recipient.in_([person.email for person in people]),
            )
        )
    )
    stamp = now(session)
    added = 0
    for person in people:
        if person.email in owed:
            continue
        owed.add(person.email)
        session.add(
            Notification(
                request_id=request.id,
                reason=reason.value,
                dedupe_key=key,
                recipient=person.email,
                subject=subject[:300],
                body=body,
                created_at=stamp,
                attempts=0,
            )
        )
        added += 1
    return added


def _step_text(
    sop: Sop,
    request: ColocationRequest,
    settings: MailSettings,
    lang: str,
    key: str,
) -> tuple[str, str]:
    """Subject and body of a notice about the step the request waits at."""
    title = sop.title_of(request.state, lang)
    due = fmt_date(request.due_on, lang) if request.due_on else t("notify.no_deadline", lang)
    params = {
        "code": request.code,
        "step": sop.step_of(request.state),
        "title": title,
        "opd": request.tenant.name,
        "due": due,
        "role": sop.role_title(sop.state(request.state).role, lang),
        "link": request_link(settings, request.code),
        "purpose": request.purpose or "-",
    }
    return t(f"notify.{key}_subject", lang, **params), t(f"notify.{key}_body", lang, **params)


def queue_new_steps(session: Session, sop: Sop, settings: MailSettings, lang: str) -> int:
    """Outbox rows for the events recorded since the last run; how many rows were added."""
    mark = session.get(Setting, WATERMARK_SETTING, with_for_update=True)
    if mark is None:
        return 0  # mail was never switched on with start_from_now
    events = session.scalars(
        select(RequestEvent)
        .where(RequestEvent.id > int(mark.value))
        .order_by(RequestEvent.id)
        .limit(BATCH)
    ).all()
    added = 0
    for event in events:
        request = event.request
        state = sop.state(event.to_state)
        # Only the step the request still waits at: a notice about a step already passed
        # (two actions between runs) would send somebody to a request with nothing to do.
        if (
            request.status == RequestStatus.OPEN
            and state is not None
            and request.state == event.to_state
        ):
            people = [
                person
                for person in _recipients(session, state.role, request)
                if person.username != event.username
            ]
            subject, body = _step_text(sop, request, settings, lang, "step")
            added += _queue(
                session,
                request,
                NotificationReason.STEP,
                f"step:{event.id}",
                people,
                subject,
                body,
            )
        added += _queue_letters(session, sop, request, event, settings, lang)
    if events:
        mark.value = events[-1].id
    return added


def _queue_letters(
    session: Session,
    sop: Sop,
    request: ColocationRequest,
    event: RequestEvent,
    settings: MailSettings,
    lang: str,
) -> int:
    """Outbox rows telling the OPD that a letter addressed to it was issued by this event."""
    added = 0
    documents = session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.event_id == event.id)
        .order_by(IssuedDocument.id)
    )
    for document in documents:
        spec = sop.documents.get(document.kind)
        if spec is None or spec.addressed_to != Role.OPD:
            continue
        params = {
            "code": request.code,
            "title": spec.title.get(lang),
            "number": document.number or "-",
            "opd": request.tenant.name,
            "link": request_link(settings, request.code),
        }
        added += _queue(
            session,
            request,
            NotificationReason.LETTER,
            f"letter:{document.id}",
            _recipients(session, Role.OPD, request),
            t("notify.letter_subject", lang, **params),
            t("notify.letter_body", lang, **params),
        )
    return added


def queue_overdue(
    session: Session, sop: Sop, settings: MailSettings, lang: str, on: dt.date
) -> int:
    """On a working day, one reminder per overdue open request to the role it waits for."""
    if not calendar_for(session).is_working_day(on):
        return 0
    overdue = session.scalars(
        select(ColocationRequest)
        .where(
            ColocationRequest.status == RequestStatus.OPEN,
            ColocationRequest.due_on < on,
        )
        .order_by(ColocationRequest.due_on, ColocationRequest.id)
        .limit(BATCH)
    ).all()
    added = 0
    for request in overdue:
        state = sop.state(request.state)
        if state is None:
            continue
        subject, body = _step_text(sop, request, settings, lang, "overdue")
        added += _queue(
            session,
            request,
            NotificationReason.OVERDUE,
            f"overdue:{request.id}:{request.state}:{on.isoformat()}",
            _recipients(session, state.role, request),
            subject,
            body,
        )
    return added


def _claim(engine: Engine, row_id: int, attempts: int) -> bool:
    """Take one owed notice for this sender; False when another sender took it first."""
    with write_session(engine) as session:
        claimed = session.execute(
            update(Notification)
            .where(
                Notification.id == row_id,
                Notification.sent_at.is_(None),
                Notification.attempts == attempts,
            )
            .values(attempts=attempts + 1)
        )
        return claimed.rowcount == 1


def _settle(engine: Engine, row_id: int, error: str | None) -> None:
    with write_session(engine) as session:
        row = session.get(Notification, row_id)
        if row is None:
            return
        if error is None:
            row.sent_at = now(session)
            row.last_error = None
        else:
            row.last_error = error[:500]


def deliver(
    engine: Engine,
    settings: MailSettings,
    limit: int = BATCH,
    *,
    stop_after_failure: bool = False,
) -> tuple[int, int]:
    """Send what is owed, oldest first; (sent, failed) in this run."""
    with read_session(engine) as session:
        owed = session.execute(
            select(
                Notification.id,
                Notification.attempts,
                Notification.recipient,
                Notification.subject,
                Notification.body,
            )
            .where(Notification.sent_at.is_(None), Notification.attempts < MAX_ATTEMPTS)
            .order_by(Notification.id)
            .limit(limit)
        ).all()
    sent = failed = 0
    for row_id, attempts, recipient, subject, body in owed:
        if not _claim(engine, row_id, attempts):
            continue
        try:
            send(settings, build_message(settings, recipient, subject, body))
        except MailFailed as exc:
            _settle(engine, row_id, str(exc))
            failed += 1
            if stop_after_failure:
                break
        else:
            _settle(engine, row_id, None)
            sent += 1
    return sent, failed


def dispatch(
    engine: Engine,
    *,
    lang: str | None = None,
    on: dt.date | None = None,
    sop: Sop | None = None,
    after_action: bool = False,
) -> DispatchResult:
    """Queue what the new events and today's overdue steps owe, then deliver; nothing without mail.

    Interfaces call it after an action (``after_action``: delivery stops at the first failure,
    so a mail server that is down costs the person who acted one timeout, not one per notice),
    and ``dcim notify run`` from a timer. A failing mail server never fails the action: the
    notice stays in the outbox for the next run.
    """
    with read_session(engine) as session:
        if read_mail_settings(session) is None:
            return DispatchResult(0, 0, 0)
    sop = sop or current_sop()
    lang = resolve_language(lang)
    with write_session(engine) as session:
        settings = read_mail_settings(session)
        if settings is None:
            return DispatchResult(0, 0, 0)
        queued = queue_new_steps(session, sop, settings, lang)
        queued += queue_overdue(session, sop, settings, lang, on or today(session))
    sent, failed = deliver(engine, settings, stop_after_failure=after_action)
    return DispatchResult(queued, sent, failed)


@dataclass(frozen=True)
class OutboxCounts:
    """How the outbox stands: delivered, still owed, and given up after every attempt."""

    sent: int
    pending: int
    failed: int


def outbox_counts(session: Session) -> OutboxCounts:
    """Counts for the administrator's view of mail."""
    sent = session.scalar(
        select(func.count()).select_from(Notification).where(Notification.sent_at.is_not(None))
    )
    pending = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.sent_at.is_(None), Notification.attempts < MAX_ATTEMPTS)
    )
    failed = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.sent_at.is_(None), Notification.attempts >= MAX_ATTEMPTS)
    )
    return OutboxCounts(sent or 0, pending or 0, failed or 0)
