"""Building blocks of an Indonesian government document in python-docx.

Kop surat (letterhead with a rule under it), the numbered heading block
(Nomor, Sifat, Lampiran, Hal), label-value lists, bordered tables and
signature blocks with name, NIP and position, on A4 with the margins
offices use. Documents stay editable DOCX: an office corrects a typo in
Word rather than asking for a new print.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from sqlalchemy.orm import Session

from dcim import i18n
from dcim.models import Organization

FONT = "Arial"
FONT_SIZE = Pt(11)
#: The width of the text between the margins of an A4 page (21 cm less 3 cm and 2.5 cm).
TEXT_WIDTH_CM = 15.5


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: the government, the office, the city it writes from, its contacts and logo.

    ``contact_lines`` are the address, telephone, fax and postal code line and the website
    and e-mail line, already worded in the office's language (empty when none is set).
    """

    government: str | None
    office: str | None
    city: str | None
    contact_lines: tuple[str, ...] = ()
    logo: bytes | None = None


@dataclass(frozen=True)
class Signer:
    """Who signs: the capacity they sign in, their name, rank (pangkat/golongan) and NIP.

    ``caption`` may hold several lines: a signature on someone's behalf reads
    ``a.n. Kepala Dinas``, the intermediate official, ``u.b.``, then the signer's own
    position (Tata Naskah Dinas).
    """

    caption: str | tuple[str, ...]
    position: str
    name: str | None
    nip: str | None
    rank: str | None = None


def _contact_lines(session: Session, lang: str) -> tuple[str, ...]:
    from dcim.letterhead import read_letterhead_settings

    settings = read_letterhead_settings(session)
    first = [settings.address] if settings.address else []
    if settings.phone:
        first.append(i18n.t("letterhead.phone_line", lang, phone=settings.phone))
    if settings.fax:
        first.append(i18n.t("letterhead.fax_line", lang, fax=settings.fax))
    if settings.postal_code:
        first.append(i18n.t("letterhead.postal_line", lang, postal_code=settings.postal_code))
    second = []
    if settings.website:
        second.append(i18n.t("letterhead.website_line", lang, website=settings.website))
    if settings.email:
        second.append(i18n.t("letterhead.email_line", lang, email=settings.email))
    return tuple(", ".join(line) for line in (first, second) if line)


def letterhead_for(session: Session, lang: str = "id") -> Letterhead:
    """The kop surat: the inventory's organization and the office's letterhead settings."""
    from dcim.letterhead import read_logo

    org = session.get(Organization, 1)
    contacts = _contact_lines(session, lang)
    logo = read_logo(session)
    if org is None:
        return Letterhead(None, None, None, contacts, logo)
    return Letterhead(org.government, org.office, org.city, contacts, logo)


def date_text(value: dt.date | str | None, lang: str) -> str:
    """A date as a document writes it (``27 November 2026``); ISO text is read, ``-`` for none."""
    if value is None:
        return "-"
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return i18n.date(day, lang)


def place_date(city: str | None, text: str) -> str:
    """``Sumbawa Besar, 27 November 2026``: where and when a document is signed.

    Without a city it is the date alone.
    """
    return f"{city}, {text}" if city else text


#: The language tag a document's text is marked with, by the language it is written in.
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-GB"}


def _mark_language(document: DocxDocument, lang: str) -> None:
    """Mark the text as written in the language, so that Word checks its spelling as such.

    python-docx's template marks every run ``en-US``: Word flagged each Indonesian word.
    """
    tag = LANGUAGE_TAGS.get(lang, LANGUAGE_TAGS["id"])
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    holders = [document.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        holders += list(defaults.iter(qn("w:rPr")))
    for properties in holders:
        mark = properties.find(qn("w:lang"))
        if mark is None:
            mark = OxmlElement("w:lang")
            properties.append(mark)
        mark.set(qn("w:val"), tag)
    document.core_properties.language = tag


def new_document(lang: str = "id") -> DocxDocument:
    """An empty A4 document in the office's font, with 2.5 cm margins (3 cm on the binding side).

    ``lang`` is the language the document is written in (its text is marked so).
    """
    document = Document()
    _mark_language(document, lang)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = Cm(3)
    section.right_margin = Cm(2.5)
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    normal.paragraph_format.space_after = Pt(2)
    # East-Asian font slot too, or Word substitutes its own default for some characters.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    _page_numbers_from_page_two(section)
    return document


def _page_number_field(paragraph: Paragraph) -> None:
    """A PAGE field: the word processor writes the page's number in its place."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = OxmlElement("w:r")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run.append(instruction)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run.append(shown)
        paragraph._p.append(run)
    end = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end.append(char)
    paragraph._p.append(end)


def _page_numbers_from_page_two(section: Section) -> None:
    """Tata Naskah Dinas: pages are numbered from the second on, centred at the foot.

    The first page has a footer of its own, left empty (``titlePg``).
    """
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)


def _rule_below(paragraph: Paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "thickThinSmallGap"),
        ("w:sz", "18"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(key), value)
    border.append(bottom)
    properties.append(border)


def letterhead(document: DocxDocument, head: Letterhead) -> None:
    """The kop surat: the logo on the left, the lines centred beside it, a double rule under it."""
    lines = [
        (head.government, Pt(14), True),
        (head.office, Pt(16), True),
        *((line, Pt(9), False) for line in head.contact_lines),
        (head.city.upper() if head.city else None, Pt(11), True),
    ]
    lines = [line for line in lines if line[0]]
    if not lines and head.logo is None:
        document.add_paragraph()
        return
    table = document.add_table(rows=1, cols=2 if head.logo else 1)
    _no_borders(table)
    text_cell = table.rows[0].cells[-1]
    column_widths(table, [2.4, TEXT_WIDTH_CM - 2.4] if head.logo else [TEXT_WIDTH_CM])
    if head.logo is not None:
        logo_cell = table.rows[0].cells[0]
        logo_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(head.logo), width=Cm(2.1))
    for index, (text, size, bold) in enumerate(lines):
        paragraph = text_cell.paragraphs[0] if index == 0 else text_cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text.upper() if bold and size > Pt(11) else text)
        run.bold = bold
        run.font.size = size
    _rule_below(document.add_paragraph())
    document.add_paragraph()


def title(document: DocxDocument, text: str, number: str | None = None) -> None:
    """A centred, underlined title with the document's number under it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text.upper())
    run.bold = True
    run.underline = True
    run.font.size = Pt(12)
    if number:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(number)
    document.add_paragraph()


def paragraph(
    document: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    justify: bool = True,
    indent_first: bool = False,
    align_right: bool = False,
    italic: Sequence[str] = (),
) -> Paragraph:
    """A body paragraph, justified as letters are; the ``italic`` words in italics."""
    item = document.add_paragraph()
    if align_right:
        item.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif justify:
        item.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent_first:
        item.paragraph_format.first_line_indent = Cm(1.25)
    for run in add_text(item, text, italic):
        run.bold = bold
    return item


def add_text(item: Paragraph, text: str, italic: Sequence[str] = ()) -> list[Run]:
    """The text as runs of the paragraph, each of the ``italic`` words in a run of its own in italics.

    Tata Naskah Dinas (EYD): a foreign term kept in an Indonesian text, such as *colocation*,
    is printed in italics. A word is matched whole and in any case.
    """
    if not italic:
        return [item.add_run(text)]
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(word) for word in italic) + r")\b", re.IGNORECASE
    )
    runs = []
    for index, part in enumerate(pattern.split(text)):
        if not part:
            continue
        run = item.add_run(part)
        if index % 2:
            run.italic = True
        runs.append(run)
    return runs


def numbered(
    document: DocxDocument, items: Sequence[str], *, keep_together: bool = False
) -> list[Paragraph]:
    """A numbered list written out (``1. ...``), so that it survives any template.

    One item is no list: it is written indented, without a number.
    ``keep_together`` keeps the whole list on one page (a tembusan is not split).
    """
    written = []
    for index, text in enumerate(items, start=1):
        item = document.add_paragraph()
        item.paragraph_format.left_indent = Cm(1.0)
        item.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        item.paragraph_format.keep_with_next = keep_together and index < len(items)
        if len(items) > 1:
            item.paragraph_format.first_line_indent = Cm(-0.6)
            item.add_run(f"{index}. {text}")
        else:
            item.add_run(text)
        written.append(item)
    return written


def list_punctuated(items: Sequence[str]) -> list[str]:
    """List items as a sentence lists them: each ends with ``;`` but the last, with ``.``.

    One item is one sentence: it ends with ``.``. The items' own closing ``;`` or ``.``
    is replaced.
    """
    bare = [item.rstrip().rstrip(";.").rstrip() for item in items]
    return [f"{text};" for text in bare[:-1]] + [f"{text}." for text in bare[-1:]]


def page_break(document: DocxDocument) -> None:
    """What follows starts on a new page (an attachment after its letter)."""
    document.add_page_break()


def attachment_head(
    document: DocxDocument,
    heading: str,
    rows: Sequence[tuple[str, str]],
    italic: Sequence[str] = (),
) -> Table:
    """The heading of a letter's attachment in the right half of the page.

    ``Lampiran Surat Kepala Dinas ...``, then its number, date and subject as a label list
    (Tata Naskah Dinas); the ``italic`` words of a value in italics.
    """
    table = document.add_table(rows=1, cols=4)
    _no_borders(table)
    cell = table.rows[0].cells[1].merge(table.rows[0].cells[3])
    cell.text = heading
    for label, value in rows:
        cells = table.add_row().cells
        cells[1].text = label
        cells[2].text = ":"
        cells[3].text = ""
        add_text(cells[3].paragraphs[0], value, italic)
    column_widths(table, [7.0, 2.2, 0.5, TEXT_WIDTH_CM - 9.7])
    document.add_paragraph()
    return table


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def column_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Give the table's columns these widths, in its grid as well as in each cell.

    python-docx writes a grid of equal columns; Word reads the cells' widths, LibreOffice
    the grid's, and spread a label-value list over three equal columns. A fixed layout
    keeps the widths as written whatever the text in the cells.
    """
    table.autofit = False
    properties = table._tbl.tblPr
    layout = properties.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        properties.append(layout)
    layout.set(qn("w:type"), "fixed")
    total = OxmlElement("w:tblW")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    total.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    total.set(qn("w:type"), "dxa")
    properties.append(total)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def keep_rows_whole(table: Table) -> None:
    """No row of the table is split across two pages (a signature block stays in one piece)."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.append(OxmlElement("w:cantSplit"))


def fields(
    document: DocxDocument,
    rows: Sequence[tuple[str, str]],
    *,
    label_cm: float = 4.0,
    italic: Sequence[str] = (),
) -> Table:
    """A label : value list without borders (``Nomor : 555/012/DKISS/2026``)."""
    table = document.add_table(rows=0, cols=3)
    _no_borders(table)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = ":"
        cells[2].text = ""
        add_text(cells[2].paragraphs[0], value, italic)
    column_widths(table, [label_cm, 0.5, TEXT_WIDTH_CM - label_cm - 0.5])
    document.add_paragraph()
    return table


def grid(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float] | None = None,
) -> Table:
    """A bordered table with a bold header row."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if widths_cm:
        column_widths(table, widths_cm)
    keep_rows_whole(table)  # a row's lines are read together: no date cut from its year
    document.add_paragraph()
    return table


def _signature_cell(cell: object, signer: Signer, place_date: str | None) -> None:
    lines: list[tuple[str, bool, bool]] = []
    if place_date:
        lines.append((place_date, False, False))
    captions = (signer.caption,) if isinstance(signer.caption, str) else signer.caption
    lines += [(caption, False, False) for caption in captions]
    if signer.position and signer.position not in captions:
        position = signer.position
        if not isinstance(signer.caption, str) and not position.endswith(","):
            # A signature in the chain (a.n. / u.b.): the signer's jabatan ends with a comma,
            # as every jabatan line above it does.
            position += ","
        lines.append((position, False, False))
    lines += [("", False, False)] * 3
    lines.append((signer.name or "(....................................)", True, True))
    if signer.rank:
        lines.append((signer.rank, False, False))
    lines.append((f"NIP. {signer.nip}" if signer.nip else "NIP. -", False, False))
    first = True
    for text, bold, underline in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = bold
        run.underline = underline


def _keep_last_paragraph_with_next(document: DocxDocument) -> None:
    """The body's last paragraph, if it is the last thing written, stays with what follows."""
    body = document.element.body
    last = next((child for child in reversed(body) if child.tag != qn("w:sectPr")), None)
    if last is not None and last.tag == qn("w:p"):
        Paragraph(last, document._body).paragraph_format.keep_with_next = True


def _copies_row(table: Table, heading: str, recipients: Sequence[str]) -> None:
    """The tembusan as the signature table's last row, across both columns."""
    first, last = table.add_row().cells
    cell = first.merge(last)
    title = cell.paragraphs[0]
    title.add_run(heading).bold = True
    title.paragraph_format.space_before = Pt(12)
    for index, recipient in enumerate(recipients, start=1):
        item = cell.add_paragraph()
        item.paragraph_format.left_indent = Cm(1.0)
        item.paragraph_format.first_line_indent = Cm(-0.6)
        item.add_run(f"{index}. {recipient}" if len(recipients) > 1 else recipient)
    for item in cell.paragraphs:
        item.paragraph_format.space_after = Pt(0)


def signatures(
    document: DocxDocument,
    signers: Sequence[Signer | None],
    place_date: str | None = None,
    copies: tuple[str, Sequence[str]] | None = None,
) -> None:
    """Signature blocks side by side (two to a row); ``None`` leaves a place empty.

    The place and date go over the last block, as in a letter signed on the right.
    ``copies`` is the tembusan (its heading and recipients), written under the signatures in
    the same table: a block that is never split, so the tembusan is never a page of its own.
    The paragraph just above (the closing sentence) goes to the signature's page with it.
    """
    _keep_last_paragraph_with_next(document)
    document.add_paragraph().paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    padded = list(signers) + [None] * (len(signers) % 2)
    for index in range(0, len(padded), 2):
        cells = table.rows[-1].cells if index == 0 else table.add_row().cells
        for offset in (0, 1):
            signer = padded[index + offset]
            if signer is not None:
                is_last = index + offset == len(signers) - 1
                _signature_cell(cells[offset], signer, place_date if is_last else None)
    column_widths(table, [TEXT_WIDTH_CM / 2] * 2)
    if copies is not None:
        _copies_row(table, *copies)
    _whole_block(table)


def _whole_block(table: Table, widths_cm: Sequence[float] | None = None) -> None:
    """A signature table on one page: no row split, each row kept with the next.

    Word keeps rows whose paragraphs are "keep with next" together; LibreOffice reads
    a table whose rows may not split as a table that may not break between pages.
    """
    if widths_cm is not None:
        column_widths(table, widths_cm)
    keep_rows_whole(table)
    rows = table.rows
    for row in rows[:-1]:
        for cell in row.cells:
            for item in cell.paragraphs:
                item.paragraph_format.keep_with_next = True


def centered_signature(document: DocxDocument, signer: Signer) -> None:
    """One signature block in the middle of the page (``Mengetahui``)."""
    document.add_paragraph().paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=1)
    _no_borders(table)
    _signature_cell(table.rows[0].cells[0], signer, None)
    _whole_block(table, [TEXT_WIDTH_CM])


def to_bytes(document: DocxDocument) -> bytes:
    """The document as DOCX bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
