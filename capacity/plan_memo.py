"""The Nota Dinas "Rencana Kebutuhan Data Center": the plan's purchases in the office's letter form.

The Kepala Bidang attaches it to the budget proposal (RKA). It is built with the
office-document kit (:mod:`dcim.documents`: kop surat, tables, signature with NIP)
and converted to PDF with :mod:`dcim.pdf` when asked.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim import documents as kit
from dcim import i18n
from dcim.choices import Role
from dcim.db import read_session
from dcim.i18n import t
from dcim.models import User
from dcim.workdays import today

from .plan import PlanResult
from .planfile import PlanFile


def rupiah(amount: int, lang: str) -> str:
    """``Rp 317.000.000`` (Indonesian grouping) or ``IDR 317,000,000``."""
    prefix = "Rp" if lang == "id" else "IDR"
    return f"{prefix} {i18n.number(amount, lang, decimals=0)}"


def _signer(session: Session, lang: str) -> kit.Signer:
    """The Kepala Bidang TI of the users table, or an empty block to sign by hand."""
    user = session.scalar(
        select(User)
        .where(User.role == Role.KABID_TI.value, User.active.is_(True))
        .order_by(User.id)
    )
    caption = t("plan.memo.signer", lang)
    return kit.Signer(
        caption=caption,
        position=(user.position if user and user.position else caption),
        name=user.full_name if user else None,
        nip=user.nip if user else None,
    )


def plan_memo(
    session: Session, plan: PlanFile, result: PlanResult, lang: str = "id"
) -> DocxDocument:
    """The Nota Dinas for a plan's answer."""
    document = kit.new_document()
    head = kit.letterhead_for(session)
    kit.letterhead(document, head)
    kit.title(document, t("plan.memo.title", lang))
    year = plan.year or min(s.on for s in plan.all_servers()).year
    issued = today(session)
    subject = plan.title or t("plan.memo.subject_year", lang, year=year)
    kit.fields(
        document,
        [
            (t("plan.memo.to", lang), t("plan.memo.to_value", lang)),
            (t("plan.memo.from", lang), t("plan.memo.from_value", lang)),
            (t("plan.memo.date", lang), kit.date_text(issued, lang)),
            (t("plan.memo.number", lang), "-"),
            (t("plan.memo.nature", lang), t("plan.memo.nature_value", lang)),
            (t("plan.memo.attachment", lang), t("plan.memo.attachment_value", lang)),
            (t("plan.memo.subject", lang), subject),
        ],
        label_cm=3.5,
    )
    document.add_paragraph()
    params = {
        "servers": len(plan.all_servers()),
        "year": year,
        "date": kit.date_text(result.evaluated_on, lang),
    }
    if not result.purchases:
        kit.paragraph(document, t("plan.memo.nothing", lang, **params), indent_first=True)
    else:
        kit.paragraph(document, t("plan.memo.opening", lang, **params), indent_first=True)
        descriptions = {item.id: item.description or item.id for item in plan.catalogue}
        rows = [
            [
                str(index),
                descriptions[p.item_id],
                i18n.number(p.price_idr, lang, decimals=0),
                kit.date_text(p.order_by, lang),
                kit.date_text(p.needed_on, lang),
                ", ".join(p.unlocks),
            ]
            for index, p in enumerate(result.purchases, start=1)
        ]
        rows.append(
            [
                "",
                t("plan.memo.total", lang),
                i18n.number(result.total_idr, lang, decimals=0),
                "",
                "",
                "",
            ]
        )
        columns = ("index", "item", "price", "order_by", "needed", "servers")
        kit.grid(
            document,
            [t(f"plan.memo.columns.{c}", lang) for c in columns],
            rows,
            widths_cm=[0.8, 4.6, 2.6, 2.4, 2.4, 3.2],
        )
        document.add_paragraph()
        kit.paragraph(
            document, t("plan.memo.total_text", lang, total=rupiah(result.total_idr, lang))
        )
        kit.paragraph(
            document, t("plan.memo.exact" if result.optimal else "plan.memo.heuristic", lang)
        )
        late = [p for p in result.purchases if p.late]
        if late:
            kit.paragraph(document, t("plan.memo.late", lang, count=len(late)), bold=True)
    if result.unplaceable:
        kit.paragraph(document, t("plan.memo.unplaceable", lang))
        kit.numbered(
            document,
            [
                f"{p.server} ({kit.date_text(p.needed_on, lang)}): " + "; ".join(p.reasons.values())
                for p in result.unplaceable
            ],
        )
    kit.paragraph(document, t("plan.memo.closing", lang), indent_first=True)
    kit.signatures(
        document,
        [None, _signer(session, lang)],
        kit.place_date(head.city, kit.date_text(issued, lang)),
    )
    return document


def plan_memo_bytes(engine: Engine, plan: PlanFile, result: PlanResult, lang: str = "id") -> bytes:
    """The Nota Dinas as DOCX bytes."""
    with read_session(engine) as session:
        return kit.to_bytes(plan_memo(session, plan, result, lang))


def write_plan_memo(
    engine: Engine,
    plan: PlanFile,
    result: PlanResult,
    *,
    docx: Path | None = None,
    pdf: Path | None = None,
    lang: str = "id",
) -> None:
    """Write the Nota Dinas as DOCX and/or PDF files."""
    content = plan_memo_bytes(engine, plan, result, lang)
    if docx is not None:
        docx.write_bytes(content)
    if pdf is not None:
        from dcim.pdf import docx_to_pdf

        pdf.write_bytes(docx_to_pdf(content))
