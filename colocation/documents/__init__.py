"""The documents of a request as DOCX bytes: which exist, and each one built from the records.

A document exists once the action that issues it has been recorded (the
Lembar Disposisi from registration on, the reply letters from the reply, and
so on); until then asking for it is an input error. The bytes are built on
demand, so they always say what the records say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dcim.documents import to_bytes
from dcim.i18n import t
from dcim.inventory.problems import InputError, Problem
from dcim.models import User

from ..access import find_request
from ..models import ColocationRequest, IssuedDocument
from ..sop import DOCUMENT_KINDS, Sop, current_sop
from .builders import BUILDERS
from .context import gather

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class DocumentInfo:
    """A document of a request that can be downloaded: its kind, title, number and file name."""

    kind: str
    title: str
    number: str | None
    filename: str
    media_type: str = DOCX_MEDIA_TYPE


def filename_for(request: ColocationRequest, kind: str) -> str:
    """``REQ-2026-0001-03-surat-balasan-penerimaan.docx``: sortable in the order of the SOP."""
    order = DOCUMENT_KINDS.index(kind) + 1 if kind in DOCUMENT_KINDS else 0
    slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")
    return f"{request.code}-{order:02d}-{slug}.docx"


def _issued(session: Session, request: ColocationRequest) -> list[IssuedDocument]:
    from sqlalchemy import select

    return list(
        session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.request_id == request.id)
            .order_by(IssuedDocument.id)
        )
    )


def available_documents(
    session: Session, code: str, user: User | None, lang: str = "id", sop: Sop | None = None
) -> list[DocumentInfo]:
    """The documents issued so far for a request the user may see, in the order of the SOP.

    A document issued twice (a second examination) is listed once, with its latest number.
    """
    sop = sop or current_sop()
    request = find_request(session, code, user, lang)
    latest = {doc.kind: doc for doc in _issued(session, request) if doc.kind in BUILDERS}
    return [
        DocumentInfo(
            kind=kind,
            title=sop.document_title(kind, lang),
            number=latest[kind].number,
            filename=filename_for(request, kind),
        )
        for kind in DOCUMENT_KINDS
        if kind in latest
    ]


def render_document(
    session: Session,
    code: str,
    kind: str,
    user: User | None,
    lang: str = "id",
    sop: Sop | None = None,
) -> bytes:
    """One document of a request as DOCX bytes; an :class:`InputError` when it was not issued yet."""
    sop = sop or current_sop()
    request = find_request(session, code, user, lang)
    issued = {doc.kind for doc in _issued(session, request)}
    if kind not in BUILDERS or kind not in issued:
        raise InputError(
            [
                Problem(
                    "document",
                    t(
                        "workflow.document_not_issued",
                        lang,
                        kind=kind,
                        code=request.code,
                        issued=", ".join(sorted(issued)) or "-",
                    ),
                )
            ]
        )
    context = gather(session, sop, request, lang)
    return to_bytes(BUILDERS[kind](context))
