"""A request's documents as PDF: the DOCX of :func:`render_document`, converted by LibreOffice.

Every interface (the API's ``?format=pdf``, ``dcim request documents --format
pdf``) asks here, so a PDF always says what the DOCX says. The conversion
costs seconds (LibreOffice starts for each one); the result is kept in a small
in-process cache keyed by the document's *content*, so a document downloaded
twice is converted once, and a document whose records changed is converted
again: there is no version number that could go stale.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import zipfile
from collections import OrderedDict
from enum import StrEnum

from sqlalchemy.orm import Session

from dcim.i18n import t
from dcim.models import User
from dcim.pdf import PdfUnavailable, docx_to_pdf

from ..sop import Sop

log = logging.getLogger(__name__)

PDF_MEDIA_TYPE = "application/pdf"
#: PDFs kept in memory; a few pages each (tens of kB), so 64 cost a few MB at most.
CACHE_SIZE = 64


class DocumentFormat(StrEnum):
    """The formats a request's document can be downloaded in (the one list every interface offers)."""

    DOCX = "docx"
    PDF = "pdf"


class DocumentPdfUnavailable(PdfUnavailable):
    """The PDF cannot be made here (no LibreOffice, or it failed); the message is in the caller's language."""


_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def content_key(docx: bytes) -> str:
    """A hash of what the DOCX says: every part's name and bytes, not the zip's timestamps.

    python-docx stamps each zip entry with the time it was written, so the
    same document built twice differs in its bytes but not in its parts.
    """
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def docx_as_pdf(docx: bytes, lang: str = "id") -> bytes:
    """The PDF of a DOCX built by dcim-lite, from the cache when the same content was converted."""
    key = content_key(docx)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    # Converted outside the lock: two different documents convert in parallel (each its own
    # LibreOffice profile); the same one asked twice at once is converted twice, harmlessly.
    try:
        pdf = docx_to_pdf(docx)
    except PdfUnavailable as exc:
        # LibreOffice's own words are English and for the administrator: logged, not shown.
        log.warning("PDF conversion failed: %s", exc)
        raise DocumentPdfUnavailable(t("workflow.pdf_unavailable", lang)) from exc
    with _cache_lock:
        _cache[key] = pdf
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return pdf


def render_document_as(
    session: Session,
    code: str,
    kind: str,
    user: User | None,
    fmt: DocumentFormat | str = DocumentFormat.DOCX,
    lang: str = "id",
    sop: Sop | None = None,
) -> bytes:
    """One issued document of a request in the format asked for (the same checks as the DOCX)."""
    from . import render_document

    docx = render_document(session, code, kind, user, lang, sop)
    return docx_as_pdf(docx, lang) if DocumentFormat(fmt) is DocumentFormat.PDF else docx


def render_document_pdf(
    session: Session,
    code: str,
    kind: str,
    user: User | None,
    lang: str = "id",
    sop: Sop | None = None,
) -> bytes:
    """One issued document of a request as PDF; :class:`DocumentPdfUnavailable` when it cannot be made."""
    return render_document_as(session, code, kind, user, DocumentFormat.PDF, lang, sop)


def filename_as(filename: str, fmt: DocumentFormat | str) -> str:
    """The document's file name with the format's extension (``...-lembar-disposisi.pdf``)."""
    stem = filename.rsplit(".", 1)[0]
    return f"{stem}.{DocumentFormat(fmt).value}"


def media_type_of(fmt: DocumentFormat | str) -> str:
    """The media type a document is served with in the format."""
    from . import DOCX_MEDIA_TYPE

    return PDF_MEDIA_TYPE if DocumentFormat(fmt) is DocumentFormat.PDF else DOCX_MEDIA_TYPE
