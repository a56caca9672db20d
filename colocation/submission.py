"""Submitting a request (SOP step 1): the letter comes in, is checked whole, and waits at the first state.

The request is judged at the desk with the rules the later steps use (the
request format, the step-5 domain rule, the catalog's completion of the
server's needs), so that a malformed request is refused before four
officials act on it. The scanned letter's type is read from its content,
never from its name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim import i18n
from dcim.accounts import Actor, Operator, record, role_allows
from dcim.db import write_session
from dcim.errors import InputError, PermissionDenied, Phrase, Problem
from dcim.i18n import t
from dcim.models import Role, Site, Tenant, User
from dcim.names import reason_phrase
from dcim.workdays import calendar_for, now, require_in_calendar, write_date

from . import engine_calls
from .choices import RequestStatus
from .deadlines import due_date
from .models import Attachment, ColocationRequest, RequestEvent
from .numbering import request_code
from .sop import Sop, current_sop

SUBMIT_ACTION = "submit"
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _in_language(reason: Phrase | str, lang: str) -> str:
    """A name problem's reason in the language (dcim.names words the ones it knows)."""
    return reason.text(lang) if isinstance(reason, Phrase) else reason


def _d(value: dt.date, lang: str) -> str:
    return i18n.date(value, lang)


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
                    t(
                        "workflow.domain_invalid",
                        lang,
                        name=repr(name)[1:-1][:80],
                        problem=_in_language(reason_phrase(problem), lang),
                    ),
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
