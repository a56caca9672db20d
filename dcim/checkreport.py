"""The step-5 examination report of one capacity check, as a Word document (python-docx).

It is built from the check result's JSON document (the contract's
``check-result.md`` shape plus the ``summary`` and ``server`` the engine
adds), so it needs nothing from the layers above: the letterhead comes from
the organization in the database, the signature block from the person who
ran the check (name, NIP, jabatan).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlalchemy.orm import Session

from dcim.i18n import date as format_date
from dcim.i18n import number, t
from dcim.models import Organization

CHECKS = ("space", "power", "ups", "bandwidth", "ip", "domain")


@dataclass(frozen=True)
class Signer:
    """Who signs the report."""

    full_name: str
    nip: str | None
    position: str | None


def _text(key: str, lang: str, **params: Any) -> str:
    return t(f"ui.report.{key}", lang, **params)


def check_report(
    session: Session,
    result: dict[str, Any],
    request: dict[str, Any],
    signer: Signer | None,
    lang: str = "id",
    issued_on: dt.date | None = None,
) -> bytes:
    """The report as DOCX bytes: letterhead, the request, the six verdicts, the proposal, signature."""
    org = session.get(Organization, 1)
    issued = issued_on or dt.date.fromisoformat(result["evaluated_on"])
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)

    for line, size, bold in (
        ((org.government if org else None) or "", 13, True),
        ((org.office if org else None) or "", 12, True),
        (_text("division", lang), 11, True),
    ):
        if line:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(line.upper())
            run.bold = bold
            run.font.size = Pt(size)
    document.add_paragraph("_" * 90).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_text("title", lang))
    run.bold = True
    run.font.size = Pt(12)

    document.add_paragraph(_text("intro", lang, date=format_date(issued, lang)))
    server = result.get("server", {})
    rows = [
        (_text("letter_number", lang), request.get("number") or "–"),
        (_text("letter_date", lang), format_date(request["date"], lang) if request.get("date") else "–"),
        (_text("tenant", lang), request.get("tenant") or "–"),
        (_text("purpose", lang), request.get("purpose") or "–"),
        (_text("model", lang), server.get("model") or "–"),
        (_text("needs", lang), _text("needs_value", lang, u=server.get("u_height", "–"),
                                     power=number(server.get("power_w", 0), lang, 0),
                                     psu=server.get("psu", "–"),
                                     bandwidth=number(server.get("bandwidth_mbps", 0), lang, 0))),
    ]  # fmt: skip
    _table(document, rows)

    document.add_paragraph()
    heading = document.add_paragraph()
    heading.add_run(_text("checks", lang)).bold = True
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, (_text("resource", lang), _text("verdict", lang),
                                                 _text("explanation", lang)), strict=True):  # fmt: skip
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for index, name in enumerate(CHECKS, start=1):
        outcome = result["checks"][name]
        cells = table.add_row().cells
        cells[0].text = f"{index}) {_text(f'name_{name}', lang)}"
        cells[1].text = _text(
            {True: "ok", False: "fail", None: "not_evaluated"}[outcome["ok"]], lang
        )
        cells[2].text = outcome.get("message", "")

    document.add_paragraph()
    proposal = result.get("proposal")
    conclusion = document.add_paragraph()
    conclusion.add_run(_text("conclusion", lang) + " ").bold = True
    conclusion.add_run(result.get("summary", ""))
    if proposal:
        units = f"U{proposal['position']}–U{proposal['position'] + proposal['u_height'] - 1}"
        addresses = [
            f"IPv{family} {role}: {', '.join(values)}"
            for family, group in ((4, proposal.get("ipv4", {})), (6, proposal.get("ipv6", {})))
            for role, values in group.items()
        ]
        _table(
            document,
            [
                (_text("rack", lang), f"{proposal['rack']} ({proposal['site']}), {units}"),
                (_text("feeds", lang), ", ".join(proposal.get("feeds", [])) or "–"),
                ("UPS", ", ".join(proposal.get("ups", [])) or "–"),
                (_text("uplink", lang), proposal.get("uplink") or "–"),
                (_text("addresses", lang), "; ".join(addresses) or "–"),
                (_text("names", lang), ", ".join(proposal.get("fqdns", [])) or "–"),
            ],
        )
        if result.get("reservation"):
            hold = result["reservation"]
            document.add_paragraph(
                _text("held", lang, code=hold["id"],
                      date=format_date(dt.date.fromisoformat(hold["expires_at"]), lang))
            )  # fmt: skip

    document.add_paragraph()
    place = (org.city if org and org.city else "") or ""
    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run(f"{place}, {format_date(issued, lang)}" if place else format_date(issued, lang))
    sign.add_run("\n" + _text("signer_role", lang))
    sign.add_run("\n\n\n\n")
    if signer is not None:
        name = sign.add_run(signer.full_name)
        name.bold = True
        name.underline = True
        if signer.position:
            sign.add_run("\n" + signer.position)
        if signer.nip:
            sign.add_run("\nNIP " + signer.nip)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = str(value)
