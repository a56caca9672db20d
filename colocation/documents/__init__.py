"""The documents of a request as DOCX bytes: which exist, and each one built from the records.

A document exists once the action that issues it has been recorded (the
Lembar Disposisi from registration on, the reply letters from the reply, and
so on); until then asking for it is an input error. The bytes are built on
demand, so they always say what the records say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import User

from ..access import find_request
from ..models import ColocationRequest, IssuedDocument
from ..sop import DOCUMENT_KINDS, Sop, current_sop

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


def issued_documents(session: Session, request_id: int) -> list[IssuedDocument]:
    """Every document issued for a request, in the order issued."""
    return list(
        session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.request_id == request_id)
            .order_by(IssuedDocument.id)
        )
    )


def latest_documents(
    request: ColocationRequest, issued: Iterable[IssuedDocument], sop: Sop, lang: str
) -> list[DocumentInfo]:
    """The documents to download from those issued, in the order of the SOP.

    A document issued twice (a second examination) is listed once, with its
    latest number; ``issued`` comes in the order issued.
    """
    latest = {doc.kind: doc for doc in issued}
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


def available_documents(
    session: Session, code: str, user: User | None, lang: str = "id", sop: Sop | None = None
) -> list[DocumentInfo]:
    """The documents issued so far for a request the user may see (see :func:`latest_documents`)."""
    sop = sop or current_sop()
    request = find_request(session, code, user, lang)
    return latest_documents(request, issued_documents(session, request.id), sop, lang)


def render_document(
    session: Session,
    code: str,
    kind: str,
    user: User | None,
    lang: str = "id",
    sop: Sop | None = None,
) -> bytes:
    """One document of a request as DOCX bytes; an :class:`InputError` when it was not issued yet.

    ``lang`` is the language of the error; the document is written in the office's language
    (:func:`dcim.letterhead.office_language`), whatever the reader's screen or ``--lang`` says:
    a letter is the office's, not the reader's.
    """
    # The builders pull in python-docx; lists of documents do not need it.
    from dcim.documents import to_bytes
    from dcim.letterhead import office_language

    from .builders import BUILDERS
    from .context import gather

    sop = sop or current_sop()
    request = find_request(session, code, user, lang)
    issued = issued_documents(session, request.id)
    kinds = {doc.kind for doc in issued}
    if kind not in BUILDERS or kind not in kinds:
        raise InputError(
            [
                Problem(
                    "document",
                    t(
                        "workflow.document_not_issued",
                        lang,
                        kind=kind,
                        code=request.code,
                        issued=", ".join(sorted(kinds)) or "-",
                    ),
                )
            ]
        )
    office = office_language(session)
    return to_bytes(BUILDERS[kind](gather(session, sop, request, office, issued)))
