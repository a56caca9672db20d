"""The capacity engine (check, holds) and the SOP's requests, and the monitoring hand-off.

Thin, like the command line: each endpoint reads its body through the input
gate, calls the same service as the CLI command of the same name with the
token's user as the actor, and answers with the same JSON document.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from capacity.request import CapacityRequest
from colocation.choices import RequestStatus
from colocation.documents.pdf import DocumentFormat
from dcim.db import read_session
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import User

from .bodies import ActBody, CommitBody, validated
from .deps import (
    DB,
    BadBody,
    CurrentUser,
    Lang,
    NotFound,
    PageArgs,
    json_body,
    page,
    parse_json_text,
    printable_parameters,
    read_body,
)
from .responses import (
    ActOut,
    CheckOut,
    CommitOut,
    DocumentOut,
    Page,
    PrometheusTargetGroup,
    RequestDetailOut,
    RequestRowOut,
    ReserveOut,
    StatusOut,
)
from .schemas import BINARY, ok, request_body

if TYPE_CHECKING:
    from colocation.workflow import ScannedLetter

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(printable_parameters)])

OnQuery = Annotated[
    dt.date | None,
    Query(description="The date it counts for, YYYY-MM-DD (default: today in WITA)."),
]

_REQUEST_BODY = request_body(
    CapacityRequest,
    "A request in the request format (the request file of `dcim check`), as JSON.",
)


def _visible_request(session: Session, code: str, user: User, lang: str) -> Any:
    """The request the user may see; 404 otherwise (an OPD is not told another office's exist)."""
    from colocation.access import find_request

    try:
        return find_request(session, code, user, lang)
    except InputError as exc:
        raise NotFound("; ".join(p.message for p in exc.problems)) from exc


# --- capacity: check and holds ------------------------------------------------------------------


async def _capacity_request(request: Request, lang: str) -> Any:
    from capacity.request import parse_request

    return parse_request(await json_body(request, lang), "body", lang)


@router.post(
    "/check",
    tags=["capacity"],
    summary="Capacity check (as `dcim check --json`)",
    response_model=None,
    responses=ok(CheckOut, description="Checked: `feasible` true or false"),
    openapi_extra=_REQUEST_BODY,
)
async def check(
    request: Request, engine: DB, user: CurrentUser, lang: Lang, on: OnQuery = None
) -> Any:
    """The step-5 capacity check; changes nothing. 200 whether feasible or not (see ``feasible``)."""
    parsed = await _capacity_request(request, lang)
    return await _in_thread(_run_check, engine, parsed, on, lang)


def _run_check(engine: Any, parsed: Any, on: dt.date | None, lang: str) -> dict[str, Any]:
    from capacity.check import run_check

    with read_session(engine) as session:
        return run_check(session, parsed, on=on, lang=lang, source="body").to_json()


async def _in_thread(function: Any, *args: Any) -> Any:
    # The services are synchronous (SQLAlchemy); keep the event loop free while they run.
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


@router.post(
    "/holds",
    tags=["capacity"],
    summary="Reserve (as `dcim reserve --json`)",
    openapi_extra=_REQUEST_BODY,
    status_code=201,
    response_model=None,
    responses={
        **ok(ReserveOut, 201, "Held: `reservation` names the hold"),
        **ok(ReserveOut, 200, "Not feasible: nothing held (`feasible` false)"),
    },
)
async def reserve(
    request: Request,
    response: Response,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    on: OnQuery = None,
) -> Any:
    """Check, and hold what the proposal names (race-safe). 201 with ``reservation``, else 200."""
    from capacity.holds import reserve as make_hold

    parsed = await _capacity_request(request, lang)
    outcome = await _in_thread(
        lambda: make_hold(engine, parsed, on=on, lang=lang, actor=user, source="body")
    )
    if not outcome.reservation_code:
        response.status_code = 200
    return outcome.to_json()


@router.delete(
    "/holds/{code}",
    tags=["capacity"],
    summary="Release (as `dcim release`)",
    status_code=204,
    response_class=Response,
)
def release(code: str, engine: DB, user: CurrentUser, lang: Lang) -> Response:
    """End a hold: its units, addresses and names are free again."""
    from capacity.holds import release as end_hold

    end_hold(engine, code, actor=user, lang=lang)
    return Response(status_code=204)


@router.post(
    "/holds/{code}/commit",
    tags=["capacity"],
    summary="Commit (as `dcim commit`)",
    response_model=None,
    responses=ok(CommitOut),
    openapi_extra=request_body(CommitBody, "The installed device's name, serial and day."),
)
async def commit(code: str, request: Request, engine: DB, user: CurrentUser, lang: Lang) -> Any:
    """Turn a hold into an installed device (SOP step 9); ``{"name", "serial"?, "on"?}``."""
    from capacity.holds import commit as install

    body = validated(CommitBody, await json_body(request, lang), lang)
    device = await _in_thread(
        lambda: install(engine, code, body.name, body.serial, on=body.on, actor=user, lang=lang)
    )
    return {"reservation": code, "device": device}


# --- requests -----------------------------------------------------------------------------------


@router.get(
    "/requests",
    tags=["requests"],
    summary="Requests (as `dcim request list --json`)",
    response_model=None,
    responses=ok(Page[RequestRowOut]),
)
def list_requests(
    request: Request,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    args: PageArgs,
    status: Annotated[str | None, Query(description="open, rejected, withdrawn or done.")] = None,
    tenant: Annotated[str | None, Query(description="Only this office's (slug).")] = None,
    step: Annotated[int | None, Query(ge=1, le=99, description="Only at this SOP step.")] = None,
    overdue: Annotated[bool, Query(description="Only open requests past their due date.")] = False,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the code, number or purpose.")
    ] = None,
    on: OnQuery = None,
) -> dict[str, Any]:
    """The requests the token's user may see (an OPD: its own office's), most urgent first."""
    from colocation.queries import count_requests
    from colocation.queries import list_requests as rows_of

    if status is not None and status not in RequestStatus.values():
        allowed = ", ".join(RequestStatus.values())
        raise InputError(
            [Problem("status", t("workflow.cli.one_of", lang, allowed=allowed, got=status))]
        )
    filters = {
        "status": status,
        "tenant": tenant,
        "step": step,
        "overdue": overdue,
        "search": q,
        "on": on,
    }
    with read_session(engine) as session:
        count = count_requests(session, user, **filters)
        rows = rows_of(session, user, limit=args.limit, offset=args.offset, lang=lang, **filters)
    return page(request, args, count, [row.to_json() for row in rows])


#: The parts of a multipart submission: the request (JSON) and the scanned letter.
REQUEST_PART = "request"
LETTER_PART = "letter"
#: Room for the multipart framing (boundaries, part headers) around the two parts.
MULTIPART_OVERHEAD = 64 * 1024

_SUBMIT_BODY = request_body(
    CapacityRequest,
    "A request in the request format, as JSON; or `multipart/form-data` with the request as JSON "
    f"in the part `{REQUEST_PART}` and the OPD's scanned letter (SOP step 1: PDF, JPEG or PNG, "
    f"recognised by its content; the SOP's size limit) in `{LETTER_PART}`.",
    **{
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [REQUEST_PART],
                "properties": {
                    REQUEST_PART: {"type": "string", "description": "The request, as JSON."},
                    LETTER_PART: {
                        "type": "string",
                        "format": "binary",
                        "description": "The scanned letter (PDF, JPEG or PNG).",
                    },
                },
            }
        }
    },
)


async def _submission(request: Request, lang: str) -> tuple[Any, ScannedLetter | None]:
    """The submitted request's data and its scanned letter (None when only JSON was sent).

    A multipart body is read whole, no further than the SOP's letter limit plus a
    document, then parsed; the letter's type is decided by the service from its
    bytes (``check_attachment``), never from the part's ``Content-Type``.
    """
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    from colocation.sop import current_sop
    from colocation.workflow import ScannedLetter
    from dcim.inventory.fields import unprintable_problem
    from dcim.inventory.yamlio import DOCUMENT_LIMITS, MIB

    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        return await json_body(request, lang), None
    limit = current_sop().attachment.max_bytes + DOCUMENT_LIMITS.max_bytes + MULTIPART_OVERHEAD
    raw = await read_body(request, limit, lang)

    async def replay() -> Any:
        yield raw

    parser = MultiPartParser(
        request.headers,
        replay(),
        # One more than expected of each, so that a stray part is named, not a count refused.
        max_files=2,
        max_fields=2,
        max_part_size=DOCUMENT_LIMITS.max_bytes,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        # The parser's own words are English and technical: the caller is told what is accepted.
        raise BadBody([Problem("body", t("api.bad_multipart", lang))]) from exc
    try:
        unknown = [name for name in form if name not in (REQUEST_PART, LETTER_PART)]
        if unknown:
            raise InputError([Problem(name, t("api.unknown_part", lang)) for name in unknown])
        part = form.get(REQUEST_PART)
        if part is None:
            raise InputError([Problem(REQUEST_PART, t("api.request_part_missing", lang))])
        text = await part.read() if isinstance(part, UploadFile) else part.encode("utf-8")
        if len(text) > DOCUMENT_LIMITS.max_bytes:  # a part sent as a file has no part limit
            size = DOCUMENT_LIMITS.max_bytes // MIB
            raise InputError([Problem(REQUEST_PART, t("api.body_too_large", lang, max=size))])
        data = parse_json_text(text, lang, REQUEST_PART)
        upload = form.get(LETTER_PART)
        if upload is None:
            return data, None
        if not isinstance(upload, UploadFile):
            raise InputError([Problem(LETTER_PART, t("api.letter_not_a_file", lang))])
        # Only the last segment of a client's path; a name that cannot be shown is refused.
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "surat"
        if unprintable_problem(name) is not None or len(name) > 255:
            raise InputError([Problem(LETTER_PART, t("api.bad_filename", lang))])
        return data, ScannedLetter(name, await upload.read())
    finally:
        await form.close()


def _announce(engine: Engine) -> None:
    """After the answer is sent: e-mail the people the request now waits for (when mail is set up).

    A mail server that is down fails nothing here: the notice waits in the outbox for the next
    ``dcim notify run``; the log keeps what went wrong.
    """
    from colocation.notifications import dispatch

    try:
        dispatch(engine, after_action=True)
    except Exception:
        log.exception("e-mail notices after an API action")


@router.post(
    "/requests",
    tags=["requests"],
    summary="Submit (as `dcim request submit --json`), with the scanned letter",
    status_code=201,
    response_model=None,
    responses=ok(RequestDetailOut, 201, "Registered: the request's document"),
    openapi_extra=_SUBMIT_BODY,
)
async def submit(
    request: Request,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    tasks: BackgroundTasks,
    on: OnQuery = None,
) -> Any:
    """Register a request letter (SOP step 1) as the token's user; the request's document.

    JSON alone, or multipart with the scanned letter: the same service, checks
    and limits as the app's registration form.
    """
    from capacity.request import parse_request
    from colocation.queries import request_detail
    from colocation.workflow import submit as submit_request

    data, letter = await _submission(request, lang)
    # The request format is checked here first, so that its errors speak the caller's language.
    parse_request(data, "body", lang)

    def work() -> dict[str, Any]:
        code = submit_request(engine, data, user, source="body", letter=letter, on=on, lang=lang)
        with read_session(engine) as session:
            return request_detail(session, code, user, lang=lang).to_json()

    document = await _in_thread(work)
    tasks.add_task(_announce, engine)
    return document


@router.get(
    "/requests/{code}",
    tags=["requests"],
    summary="Show (as `dcim request show --json`)",
    response_model=None,
    responses=ok(RequestDetailOut),
)
def show(code: str, engine: DB, user: CurrentUser, lang: Lang, on: OnQuery = None) -> Any:
    """One request: step, status, due date, timeline, history, and the user's actions now."""
    from colocation.queries import request_detail

    with read_session(engine) as session:
        found = _visible_request(session, code, user, lang)
        return request_detail(session, found.code, user, on=on, lang=lang).to_json()


@router.post(
    "/requests/{code}/actions/{action}",
    tags=["requests"],
    summary="Act (as `dcim request act --json`)",
    response_model=None,
    responses=ok(ActOut),
    openapi_extra=request_body(
        ActBody, "A note, and the action's data (as `--data`).", required=False
    ),
)
async def act(
    code: str,
    action: str,
    request: Request,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    tasks: BackgroundTasks,
    on: OnQuery = None,
) -> Any:
    """Perform the SOP action of the request's current step as the token's user."""
    from colocation.action_document import action_document
    from colocation.workflow import perform

    body = validated(ActBody, await json_body(request, lang), lang)
    with read_session(engine) as session:
        found = _visible_request(session, code, user, lang)
    result = await _in_thread(
        lambda: perform(
            engine,
            found.code,
            action,
            user,
            note=body.note,
            data=body.data,
            data_source="body.data",
            on=on,
            lang=lang,
        )
    )
    tasks.add_task(_announce, engine)
    return action_document(result, with_message=True)


@router.get(
    "/requests/{code}/documents",
    tags=["requests"],
    summary="The request's documents",
    response_model=None,
    responses=ok(list[DocumentOut]),
)
def list_documents(code: str, request: Request, engine: DB, user: CurrentUser, lang: Lang) -> Any:
    """The documents issued so far, each with its download address."""
    from colocation.documents import available_documents

    with read_session(engine) as session:
        found = _visible_request(session, code, user, lang)
        infos = available_documents(session, found.code, user, lang)
    return [
        {
            "kind": info.kind,
            "title": info.title,
            "number": info.number,
            "filename": info.filename,
            "media_type": info.media_type,
            "url": str(request.url_for("download_document", code=found.code, kind=info.kind)),
        }
        for info in infos
    ]


@router.get(
    "/requests/{code}/documents/{kind}",
    tags=["requests"],
    summary="Download a document (DOCX or PDF)",
    response_class=Response,
    name="download_document",
    responses={
        200: {
            "content": {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": BINARY,
                "application/pdf": BINARY,
            }
        },
        503: {"description": "PDF asked for, and it cannot be made on this server"},
    },
)
def download_document(
    code: str,
    kind: str,
    engine: DB,
    user: CurrentUser,
    lang: Lang,
    format: Annotated[
        DocumentFormat, Query(description="docx, or pdf (converted by LibreOffice).")
    ] = DocumentFormat.DOCX,
) -> Response:
    """One issued document, as DOCX or as PDF (the same document; the PDF is cached per content)."""
    from colocation.documents import available_documents
    from colocation.documents.pdf import filename_as, media_type_of, render_document_as

    with read_session(engine) as session:
        found = _visible_request(session, code, user, lang)
        infos = {info.kind: info for info in available_documents(session, found.code, user, lang)}
        if kind not in infos:
            raise NotFound(t("api.no_such_document", lang, kind=kind, code=found.code))
        content = render_document_as(session, found.code, kind, user, format, lang)
    return Response(
        content,
        media_type=media_type_of(format),
        headers={
            "Content-Disposition": attachment_disposition(filename_as(infos[kind].filename, format))
        },
    )


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` for a download: an ASCII name, and the exact one RFC 5987-encoded.

    The name may come from a client (a scanned letter's); quotes, backslashes
    and anything outside printable ASCII never reach the header raw.
    """
    from urllib.parse import quote

    plain = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get(
    "/requests/{code}/attachments/{attachment_id}",
    tags=["requests"],
    summary="Download the scanned letter (an attachment of the request)",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": BINARY, "image/jpeg": BINARY, "image/png": BINARY}}
    },
)
def download_attachment(
    code: str, attachment_id: int, engine: DB, user: CurrentUser, lang: Lang
) -> Response:
    """A file that came with the request (its ``attachments`` list the ids); who may see the request may."""
    from colocation.queries import attachment_content

    with read_session(engine) as session:
        found = _visible_request(session, code, user, lang)
        try:
            name, media_type, content = attachment_content(
                session, found.code, attachment_id, user, lang
            )
        except InputError as exc:
            raise NotFound("; ".join(p.message for p in exc.problems)) from exc
    return Response(
        content,
        media_type=media_type,
        # The type was sniffed at upload; browsers must not guess another one.
        headers={
            "Content-Disposition": attachment_disposition(name),
            "X-Content-Type-Options": "nosniff",
        },
    )


# --- monitoring ---------------------------------------------------------------------------------


@router.get(
    "/monitoring/prometheus",
    tags=["monitoring"],
    summary="Monitored servers for Prometheus's http_sd_configs",
    response_model=None,
    responses=ok(list[PrometheusTargetGroup]),
)
def prometheus(engine: DB, user: CurrentUser) -> Any:
    """The installed, monitored servers (SOP step 12) as Prometheus HTTP service discovery.

    ``[{"targets": ["address:port"], "labels": {...}}]`` with the labels
    ``tenant`` (the OPD), ``site``, ``rack``, ``request``, ``device``,
    ``colocation_job`` and ``fqdn``; an OPD token gets its office's only.
    """
    from colocation.monitoring import monitored_targets, prometheus_file_sd

    with read_session(engine) as session:
        return prometheus_file_sd(monitored_targets(session, user))


@router.get(
    "/monitoring/zabbix",
    tags=["monitoring"],
    summary="Zabbix host import (download)",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {"schema": {"type": "string"}}}}},
)
def zabbix(engine: DB, user: CurrentUser) -> Response:
    """The monitored servers as a Zabbix host import (YAML), as ``dcim request monitoring``."""
    from colocation.monitoring import monitored_targets, zabbix_yaml
    from colocation.sop import current_sop

    with read_session(engine) as session:
        targets = monitored_targets(session, user)
    text = zabbix_yaml(targets, current_sop().monitoring.zabbix.version)
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml",
        headers={"Content-Disposition": 'attachment; filename="dcim-zabbix-hosts.yaml"'},
    )


@router.get(
    "/status",
    tags=["service"],
    summary="Is the API up",
    response_model=None,
    responses=ok(StatusOut),
)
def status() -> dict[str, str]:
    """No token needed: says only that the service answers (for load balancers and tests)."""
    return {"status": "ok", "api": "v1"}
