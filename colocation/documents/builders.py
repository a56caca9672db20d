"""The SOP's documents, one function each: Lembar Disposisi, the examination report, the two
reply letters, the implementation report and the Berita Acara.

Each builder takes the gathered :class:`DocumentContext` and returns a
python-docx document. Wording comes from the ``workflow.doc`` messages, so
the Indonesian original and an English reading copy say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument

from capacity import report
from dcim import documents as kit
from dcim.i18n import t
from dcim.models import Role

from ..models import RequestEvent
from ..sop import StateSpec
from ..terbilang import date_in_words, terbilang
from .context import SIGNING_CHAIN, DocumentContext, event_data

#: The head of the office, in whose name letters go out.
SIGNING_HEAD = SIGNING_CHAIN[0]


def _place_date(ctx: DocumentContext, day: dt.date) -> str:
    return kit.place_date(ctx.letterhead.city, kit.date_text(day, ctx.lang))


def _doc(ctx: DocumentContext, kind: str) -> tuple[DocxDocument, str | None, dt.date]:
    """A new document with the kop surat, and the number and date it was issued with.

    Only an issued document is built (see :func:`colocation.documents.render_document`).
    """
    issued = ctx.issued[kind]
    document = kit.new_document(ctx.lang)
    kit.letterhead(document, ctx.letterhead)
    return document, issued.number, issued.issued_on


def _spelled(text: str) -> str:
    """Recorded text as a document writes it (EYD): a percent sign sits against its number."""
    return re.sub(r"(?<=\d) +%", "%", text)


def _text(ctx: DocumentContext, key: str, **params: Any) -> str:
    return t(f"workflow.doc.{key}", ctx.lang, **params)


def _foreign(ctx: DocumentContext) -> tuple[str, ...]:
    """The foreign words a letter to another office keeps, printed in italics (EYD).

    Only the Indonesian original marks them: in the English reading copy they are English.
    """
    return ("colocation",) if ctx.lang == "id" else ()


def _opd_full_name(ctx: DocumentContext) -> str:
    """The requesting office's full name, with its region (``... Kabupaten Sumbawa``).

    The region is the government's name without ``Pemerintah``; a tenant named with its
    region already keeps its name.
    """
    name = ctx.tenant.name
    government = ctx.letterhead.government or ""
    region = government.removeprefix("Pemerintah ").strip()
    if not region or region == government.strip() or region.lower() in name.lower():
        return name
    return f"{name} {region}"


def _letter_reference(ctx: DocumentContext) -> dict[str, str]:
    request = ctx.request
    return {
        "opd": ctx.tenant.name,
        "number": request.letter_number or "-",
        "date": kit.date_text(request.letter_date, ctx.lang),
        "purpose": request.purpose or _text(ctx, "no_purpose"),
    }


def _hold(ctx: DocumentContext) -> tuple[str, dt.date | None] | None:
    """The request's hold, for the placement rows, when it has one."""
    if not ctx.request.reservation_code:
        return None
    return ctx.request.reservation_code, ctx.hold_expires_on


# --- Lembar Disposisi (steps 1-4) ----------------------------------------------------------------


def lembar_disposisi(ctx: DocumentContext) -> DocxDocument:
    """The disposition sheet: the incoming letter, its agenda number, and every hop with its instruction."""
    document, _, _ = _doc(ctx, "lembar_disposisi")
    request, lang = ctx.request, ctx.lang
    kit.title(document, ctx.sop.document_title("lembar_disposisi", lang))
    reference = _letter_reference(ctx)
    urgency = t(f"workflow.urgency.{request.urgency}", lang) if request.urgency else "-"
    kit.fields(
        document,
        [
            (_text(ctx, "letter_from"), reference["opd"]),
            (_text(ctx, "letter_number"), reference["number"]),
            (_text(ctx, "letter_date"), reference["date"]),
            (_text(ctx, "subject"), _text(ctx, "subject_request", purpose=reference["purpose"])),
            (_text(ctx, "received_on"), kit.date_text(request.received_on, lang)),
            (_text(ctx, "agenda_number"), request.agenda_number or "-"),
            (_text(ctx, "urgency"), urgency),
            (_text(ctx, "request_code"), request.code),
        ],
        label_cm=4.5,
    )
    rows = [
        [
            str(index),
            f"{ctx.sop.role_title(hop.from_role, lang)}\n{hop.from_name or hop.from_username or ''}",
            ctx.sop.role_title(hop.to_role, lang),
            hop.instruction,
            kit.date_text(hop.deadline, lang) if hop.deadline else "-",
            kit.date_text(hop.acted_on, lang),
            "",  # paraf: initialled by hand by the official who passed the letter on
        ]
        for index, hop in enumerate(ctx.dispositions, start=1)
    ]
    kit.grid(
        document,
        [
            _text(ctx, "no"),
            _text(ctx, "from"),
            _text(ctx, "forwarded_to"),
            _text(ctx, "instruction"),
            _text(ctx, "deadline"),
            _text(ctx, "date"),
            _text(ctx, "initials"),
        ],
        rows or [["-", "-", "-", _text(ctx, "no_disposition_yet"), "-", "-", ""]],
        widths_cm=[0.9, 3.2, 2.7, 3.2, 1.6, 2.4, 1.5],  # the text width, 15.5 cm
    )
    register = ctx.last_event(action="register")
    if register is not None:
        kit.paragraph(document, _registered(ctx, register))
    return document


def _registered(ctx: DocumentContext, register: RequestEvent) -> str:
    """Who entered the letter in the agenda, and when.

    The agenda desk logs the mail, not the Kepala Dinas: a letter registered from the head's
    own account (the official who then disposes it) is said to be entered in the agenda,
    without putting the head's name on the clerk's line.
    """
    date = kit.date_text(register.acted_on, ctx.lang)
    if register.username is None or register.username == _head_username(ctx):
        return _text(ctx, "registered_on", date=date)
    return _text(ctx, "registered_by", name=register.full_name or register.username, date=date)


def _head_username(ctx: DocumentContext) -> str | None:
    """The Kepala Dinas in person: who made the first disposition, else who holds the post."""
    if ctx.dispositions and ctx.dispositions[0].from_role == SIGNING_HEAD:
        return ctx.dispositions[0].from_username
    head = ctx.sop.role_title(SIGNING_HEAD, ctx.lang)
    return next(
        (u.username for u in ctx.users.values() if u.role == SIGNING_HEAD and u.position == head),
        None,
    )


# --- Laporan Hasil Pemeriksaan (steps 5, 6 and 8) -----------------------------------------------


def laporan_pemeriksaan(ctx: DocumentContext) -> DocxDocument:
    """The Data Center Team's report of the six step-5 checks to the Section Head."""
    document, number, issued_on = _doc(ctx, "laporan_pemeriksaan")
    lang = ctx.lang
    result = ctx.request.check_result or {}
    kit.title(
        document,
        ctx.sop.document_title("laporan_pemeriksaan", lang),
        _text(ctx, "number_line", number=number or "-"),
    )
    kit.fields(
        document,
        [
            (_text(ctx, "to"), ctx.sop.role_title(Role.KASI_APLIKASI, lang)),
            (_text(ctx, "from"), ctx.sop.role_title(Role.TIM_DC, lang)),
            (_text(ctx, "date"), kit.date_text(issued_on, lang)),
            (_text(ctx, "subject"), _text(ctx, "subject_examination", opd=ctx.tenant.name)),
        ],
    )
    kit.paragraph(
        document,
        _text(
            ctx,
            "examination_intro",
            evaluated=kit.date_text(result.get("evaluated_on"), lang),
            **_letter_reference(ctx),
        ),
        indent_first=True,
    )
    report.examination(document, result, ctx.request.spec, lang, _hold(ctx))
    author = ctx.issuer("laporan_pemeriksaan")
    kit.signatures(
        document,
        [
            None,  # a report is signed on the right, as a letter is
            ctx.signer(
                ctx.sop.role_title(Role.TIM_DC, lang),
                author.username if author else None,
                Role.TIM_DC,
            ),
        ],
        _place_date(ctx, issued_on),
    )
    return document


# --- Surat Balasan (steps 7 and 8) ----------------------------------------------------------------


def _reply_head(ctx: DocumentContext, kind: str) -> tuple[DocxDocument, dt.date]:
    document, number, issued_on = _doc(ctx, kind)
    lang = ctx.lang
    # A refusal encloses the examination report; an acceptance, its one-sheet placement.
    enclosure = "enclosure_sheet" if kind == "surat_balasan_penerimaan" else "enclosure_report"
    kit.paragraph(document, _place_date(ctx, issued_on), align_right=True, justify=False)
    kit.fields(
        document,
        [
            (_text(ctx, "number"), number or "-"),
            (_text(ctx, "urgency"), t("workflow.urgency.biasa", lang)),
            (_text(ctx, "enclosure"), _text(ctx, enclosure)),
            (_text(ctx, "subject"), _text(ctx, "subject_reply")),
        ],
        label_cm=2.5,
        italic=_foreign(ctx),
    )
    kit.paragraph(document, _text(ctx, "to_head", opd=ctx.tenant.name), justify=False)
    kit.paragraph(document, _text(ctx, "at_place"), justify=False)
    return document, issued_on


def surat_balasan_penolakan(ctx: DocumentContext) -> DocxDocument:
    """The reply refusing the request, with the reasons from the check."""
    return _reply(ctx, "surat_balasan_penolakan")


def surat_balasan_penerimaan(ctx: DocumentContext) -> DocxDocument:
    """The reply accepting the request and asking the office to deliver its server by a date."""
    return _reply(ctx, "surat_balasan_penerimaan")


def _plain_reasons(ctx: DocumentContext) -> list[str]:
    """Why the request cannot be granted, one plain sentence per resource that is short.

    The domain reason names the requested names that cannot be used: they are the OPD's own
    request. Nothing else engineering-level (watts, feeds, internal addresses) goes to another
    office.
    """
    result = ctx.request.check_result or {}
    checks = result.get("checks") or {}
    server = result.get("server") or {}
    reasons = []
    for name in report.CHECK_ORDER:
        check = checks.get(name) or {}
        if check.get("ok") is not False:
            continue
        params: dict[str, Any] = {"u": server.get("u_height", "-")}
        if name == "domain":
            refused = [
                str(item.get("name") or item.get("requested"))
                for item in (check.get("details") or {}).get("names") or []
                if isinstance(item, dict) and item.get("ok") is False
            ]
            params["names"] = ", ".join(refused) or "-"
        reasons.append(_text(ctx, f"plain_reason.{name}", **params))
    return reasons


def _in_words_list(ctx: DocumentContext, items: list[str]) -> str:
    """``a``, ``a dan b``, ``a, b, dan c``: items as a sentence lists them."""
    if len(items) < 2:
        return "".join(items) or "-"
    conjunction = _text(ctx, "and")
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def _placed_addresses(ctx: DocumentContext) -> list[str]:
    """The addresses held for the server, each with its role in words (``10.10.1.2 (server)``)."""
    proposal = (ctx.request.check_result or {}).get("proposal") or {}
    known = {"server", "management", "public"}
    return [
        _text(
            ctx,
            "address_with_role",
            address=address,
            role=_text(ctx, f"address_role.{role}") if role in known else role,
        )
        for family in ("ipv4", "ipv6")
        for role, values in (proposal.get(family) or {}).items()
        for address in values or []
    ]


def _reply(ctx: DocumentContext, kind: str) -> DocxDocument:
    document, issued_on = _reply_head(ctx, kind)
    lang = ctx.lang
    reference = _letter_reference(ctx)
    examination = ctx.issued.get("laporan_pemeriksaan")
    report_number = examination.number if examination and examination.number else "-"
    accepted = kind == "surat_balasan_penerimaan"
    intro = "reply_intro_accepted" if accepted else "reply_intro"
    kit.paragraph(
        document,
        _text(ctx, intro, report=report_number, **reference),
        indent_first=True,
        italic=_foreign(ctx),
    )
    if not accepted:
        kit.paragraph(document, _text(ctx, "reply_rejected"), indent_first=True)
        # In words another office understands; the watts, feeds and addresses behind each
        # reason are in the examination report sent with the letter.
        kit.numbered(
            document, kit.list_punctuated(_plain_reasons(ctx) or [_text(ctx, "reason_unknown")])
        )
        kit.paragraph(document, _text(ctx, "reply_rejected_detail"), indent_first=True)
        kit.paragraph(document, _text(ctx, "reply_rejected_next"), indent_first=True)
    else:
        event = ctx.issuer(kind)
        deadline = event.next_due_on if event and event.next_due_on else ctx.hold_expires_on
        result = ctx.request.check_result or {}
        server = result.get("server") or {}
        # What the office needs in the letter: where, which addresses and names, by when.
        # Racks, units, feeds and codes are the attachment's, for the technicians.
        domains = ((result.get("proposal") or {}).get("fqdns")) or []
        kit.paragraph(
            document,
            _text(
                ctx,
                "reply_placed_domains" if domains else "reply_placed",
                addresses=_in_words_list(ctx, _placed_addresses(ctx)),
                domains=_in_words_list(ctx, list(domains)),
            ),
            indent_first=True,
        )
        kit.paragraph(
            document,
            _text(
                ctx,
                "reply_deliver",
                model=server.get("model") or "-",
                u=server.get("u_height", "-"),
                psu=server.get("psu", "-"),
                deadline=kit.date_text(deadline, lang),
            ),
            indent_first=True,
        )
        kit.paragraph(document, _text(ctx, "reply_deliver_late"), indent_first=True)
    kit.paragraph(document, _text(ctx, "closing"), indent_first=True)
    author = ctx.issuer(kind)
    signer_role = author.role if author and author.role else Role.KASI_APLIKASI
    signer = ctx.signer(
        ctx.on_behalf(signer_role), author.username if author else None, signer_role
    )
    kit.signatures(
        document,
        [None, signer],
        copies=(
            _text(ctx, "copies"),
            # Officials only (Tata Naskah Dinas): the office's own file copy is not a tembusan.
            [ctx.sop.role_title(Role.KEPALA_DINAS, lang), ctx.sop.role_title(Role.KABID_TI, lang)],
        ),
    )
    if accepted:
        _placement_attachment(ctx, document, issued_on, signer)
    return document


def _placement_attachment(
    ctx: DocumentContext, document: DocxDocument, issued_on: dt.date, signer: kit.Signer
) -> None:
    """The acceptance letter's one-sheet attachment: where the server goes, in the DC's terms."""
    lang = ctx.lang
    number = ctx.issued["surat_balasan_penerimaan"].number
    kit.page_break(document)
    kit.attachment_head(
        document,
        _text(ctx, "attachment_of", signer=ctx.sop.role_title(SIGNING_HEAD, lang)),
        [
            (_text(ctx, "number"), number or "-"),
            (_text(ctx, "date"), kit.date_text(issued_on, lang)),
            (_text(ctx, "subject"), _text(ctx, "subject_reply")),
        ],
        italic=_foreign(ctx),
    )
    kit.title(document, _text(ctx, "attachment_title"))
    addresses_label = t("capacity.report.addresses", lang)
    rows = [
        # The addresses with their roles in words, as in the letter ("(manajemen)").
        (label, ", ".join(_placed_addresses(ctx)) if label == addresses_label else value)
        for label, value in report.placement_rows(ctx.request.check_result or {}, lang)
    ]
    hold = _hold(ctx)
    if hold is not None:
        code, until = hold
        rows.append(
            (
                _text(ctx, "reserved_until"),
                _text(ctx, "reserved_value", date=kit.date_text(until, lang), code=code),
            )
        )
    kit.grid(
        document,
        [_text(ctx, "no"), _text(ctx, "attachment_item"), _text(ctx, "attachment_detail")],
        [[str(index), label, value] for index, (label, value) in enumerate(rows, start=1)]
        or [["-", "-", "-"]],
        widths_cm=[1.0, 4.5, 10.0],
    )
    kit.signatures(document, [None, signer])


# --- Laporan Hasil Pelaksanaan (step 13) ----------------------------------------------------------


def _item_rows(
    ctx: DocumentContext, titles: dict[str, Any], recorded: dict[str, Any], field: str, area: str
) -> list[list[str]]:
    """One row per item the SOP lists, with what was recorded for it (``-`` when nothing was)."""
    rows = []
    for index, (item, title) in enumerate(titles.items(), start=1):
        entry = recorded.get(item) or {}
        value = entry.get(field)
        label = t(f"workflow.{area}.{value}", ctx.lang) if value else "-"
        rows.append([str(index), title.get(ctx.lang), label, _spelled(entry.get("detail", "-"))])
    return rows


def laporan_pelaksanaan(ctx: DocumentContext) -> DocxDocument:
    """The Data Center Team's report of steps 9-12: the server installed, configured, tested, monitored."""
    document, number, issued_on = _doc(ctx, "laporan_pelaksanaan")
    # Its activities table ends with the report itself, not with what followed it.
    ctx = ctx.as_of("laporan_pelaksanaan")
    lang = ctx.lang
    kit.title(
        document,
        ctx.sop.document_title("laporan_pelaksanaan", lang),
        _text(ctx, "number_line", number=number or "-"),
    )
    kit.fields(
        document,
        [
            (_text(ctx, "to"), ctx.sop.role_title(Role.KASI_APLIKASI, lang)),
            (_text(ctx, "from"), ctx.sop.role_title(Role.TIM_DC, lang)),
            (_text(ctx, "date"), kit.date_text(issued_on, lang)),
            (_text(ctx, "subject"), _text(ctx, "subject_implementation", opd=ctx.tenant.name)),
        ],
    )
    kit.paragraph(
        document, _text(ctx, "implementation_intro", **_letter_reference(ctx)), indent_first=True
    )

    install = ctx.last_of_kind("install")
    installed = event_data(install)
    device = ctx.device
    kit.paragraph(document, _text(ctx, "section_server"), bold=True)
    kit.fields(
        document,
        [
            (_text(ctx, "device_name"), ctx.request.device_name or "-"),
            (
                _text(ctx, "model"),
                str(installed.get("model") or (device.model if device else None) or "-"),
            ),
            (
                _text(ctx, "serial"),
                str(installed.get("serial") or (device.serial if device else None) or "-"),
            ),
            (
                _text(ctx, "rack_position"),
                f"{ctx.rack} {report.units(device.position, device.u_height)}"
                if device and ctx.rack
                else "-",
            ),
            (_text(ctx, "addresses"), "; ".join(f"{a} ({r})" for a, r in ctx.addresses) or "-"),
            (
                _text(ctx, "domains"),
                ", ".join(
                    ((ctx.request.check_result or {}).get("proposal") or {}).get("fqdns") or []
                )
                or "-",
            ),
            (
                _text(ctx, "installed_on"),
                kit.date_text(install.acted_on if install else None, lang),
            ),
        ],
        label_cm=4.5,
    )
    configuration = ctx.last_of_kind("checklist")
    state = ctx.sop.state(configuration.from_state) if configuration else None
    kit.paragraph(document, _text(ctx, "section_configuration"), bold=True)
    kit.grid(
        document,
        [_text(ctx, "no"), _text(ctx, "item"), _text(ctx, "status"), _text(ctx, "remarks")],
        _item_rows(
            ctx,
            (state.checklist or {}) if state else {},
            event_data(configuration).get("items", {}),
            "status",
            "checklist_status",
        )
        if state
        else [["-", "-", "-", "-"]],
        widths_cm=[0.8, 4.0, 3.0, 8.0],
    )
    test = ctx.last_of_kind("performance_test")
    test_state = ctx.sop.state(test.from_state) if test else None
    attempts = sum(
        1
        for e in ctx.events
        if e.from_state == (test.from_state if test else None)
        and e.action == (test.action if test else None)
    )
    kit.paragraph(document, _text(ctx, "section_testing"), bold=True)
    kit.grid(
        document,
        [_text(ctx, "no"), _text(ctx, "test"), _text(ctx, "result"), _text(ctx, "remarks")],
        _item_rows(
            ctx,
            (test_state.tests or {}) if test_state else {},
            event_data(test).get("tests", {}),
            "result",
            "test_result",
        )
        if test_state
        else [["-", "-", "-", "-"]],
        widths_cm=[0.8, 4.0, 3.0, 8.0],
    )
    if attempts > 1:
        # A count in running text is written in words ("dua kali").
        count = terbilang(attempts) if lang == "id" else str(attempts)
        kit.paragraph(document, _text(ctx, "testing_attempts", count=count))
        kit.numbered(document, _failed_attempts(ctx, test, test_state))
    monitoring = ctx.request.monitoring or {}
    kit.paragraph(document, _text(ctx, "section_monitoring"), bold=True)
    if monitoring:
        prometheus = monitoring.get("prometheus") or {}
        zabbix = monitoring.get("zabbix") or {}
        kit.fields(
            document,
            [
                (_text(ctx, "monitored_address"), str(monitoring.get("address"))),
                (
                    "Prometheus",
                    f"{monitoring.get('address')}:{prometheus.get('port')} (job {prometheus.get('job')})",
                ),
                (
                    "Zabbix",
                    _text(
                        ctx,
                        "zabbix_line",
                        host=monitoring.get("device"),
                        groups=", ".join(zabbix.get("groups") or []),
                        templates=", ".join(zabbix.get("templates") or []) or "-",
                    ),
                ),
                (_text(ctx, "monitored_on"), kit.date_text(ctx.request.monitored_on, lang)),
            ],
            label_cm=4.5,
        )
    else:
        kit.paragraph(document, "-")
    kit.paragraph(document, _text(ctx, "section_timeline"), bold=True)
    kit.grid(
        document,
        [
            _text(ctx, "step"),
            _text(ctx, "activity"),
            _text(ctx, "due"),
            _text(ctx, "done"),
            _text(ctx, "on_time"),
        ],
        _timeline_rows(ctx),
        widths_cm=[1.6, 4.9, 3.3, 3.3, 2.4],
    )
    author = ctx.issuer("laporan_pelaksanaan")
    kit.signatures(
        document,
        [
            None,  # a report is signed on the right, as a letter is
            ctx.signer(
                ctx.sop.role_title(Role.TIM_DC, lang),
                author.username if author else None,
                Role.TIM_DC,
            ),
        ],
        _place_date(ctx, issued_on),
    )
    return document


def _failed_attempts(
    ctx: DocumentContext, test: RequestEvent | None, state: StateSpec | None
) -> list[str]:
    """Each earlier test run that failed: its date, and which tests failed and why."""
    if test is None or state is None:
        return []
    titles = state.tests or {}
    lines = []
    runs = [e for e in ctx.events if e.from_state == test.from_state and e.action == test.action]
    for number, event in enumerate(runs[:-1], start=1):
        failed = [
            f"{titles[key].get(ctx.lang) if key in titles else key}"
            + (f" ({_spelled(entry.get('detail'))})" if entry.get("detail") else "")
            for key, entry in (event_data(event).get("tests") or {}).items()
            if isinstance(entry, dict) and entry.get("result") == "fail"
        ]
        lines.append(
            _text(
                ctx,
                "testing_failed_run",
                number=number,
                date=kit.date_text(event.acted_on, ctx.lang),
                tests="; ".join(failed) or "-",
            )
        )
    return lines


def _timeline_rows(ctx: DocumentContext) -> list[list[str]]:
    """One row per SOP step, in step order, up to the last step the report's events reached.

    A step is told by its last event (a test run again, or a step of several states, counts
    once, with how it ended); a step the request did not pass on its way (the rejection's
    steps 6 and 7 on an accepted request) is listed with "-", as not applicable.
    """
    last: dict[int, RequestEvent] = {}
    for event in ctx.events:
        if event.from_state is not None and event.from_step is not None:
            last[event.from_step] = event
    if not last:
        return []
    titles: dict[int, str] = {}
    for state in ctx.sop.states:
        titles.setdefault(state.step, ctx.sop.title_of(state.key, ctx.lang))
    rows = []
    for step in sorted(number for number in titles if number <= max(last)):
        event = last.get(step)
        if event is None:
            rows.append([str(step), titles[step], "-", "-", "-"])
            continue
        late = event.due_on is not None and event.acted_on > event.due_on
        rows.append(
            [
                str(step),
                ctx.sop.title_of(event.from_state or "", ctx.lang),
                kit.date_text(event.due_on, ctx.lang) if event.due_on else "-",
                kit.date_text(event.acted_on, ctx.lang),
                "-"
                if event.due_on is None
                else (_text(ctx, "late") if late else _text(ctx, "on_time_yes")),
            ]
        )
    return rows


# --- Berita Acara (step 15) -----------------------------------------------------------------------


def berita_acara(ctx: DocumentContext) -> DocxDocument:
    """The Berita Acara Pekerjaan Colocation Server: the date in words, the two parties, the work, three signatures."""
    document, number, issued_on = _doc(ctx, "berita_acara")
    lang = ctx.lang
    kit.title(
        document,
        ctx.sop.document_title("berita_acara", lang),
        _text(ctx, "number_line", number=number or "-"),
    )
    day_text = date_in_words(issued_on) if lang == "id" else issued_on.strftime("%A, %d %B %Y")
    kit.paragraph(document, _text(ctx, "ba_opening", day=day_text), indent_first=True)

    drafter = ctx.issuer("berita_acara")
    first = ctx.signer(
        _text(ctx, "first_party"), drafter.username if drafter else None, Role.TIM_DC
    )
    opd_event = next(
        (e for e in reversed(ctx.events) if e.role == Role.OPD and e.action == "acknowledge"), None
    )
    opd_username = opd_event.username if opd_event else ctx.request.submitted_by
    opd_user = ctx.users.get(opd_username or "")
    second = ctx.signer(
        _text(ctx, "second_party"),
        opd_username if opd_user is not None and opd_user.role == Role.OPD else None,
        Role.OPD,
    )
    if second.position == ctx.sop.role_title(Role.OPD, lang):
        second = kit.Signer(
            second.caption,
            _text(ctx, "opd_representative", opd=ctx.tenant.name),
            second.name,
            second.nip,
        )
    for index, (party, label) in enumerate(
        ((first, "first_party"), (second, "second_party")), start=1
    ):
        kit.paragraph(document, f"{index}.", justify=False)
        kit.fields(
            document,
            [
                (_text(ctx, "name"), party.name or "...................................."),
                ("NIP", party.nip or "-"),
                (_text(ctx, "position_label"), party.position),
            ],
            label_cm=3.0,
        )
        kit.paragraph(
            document, _text(ctx, f"ba_{label}_is", opd=_opd_full_name(ctx)), indent_first=True
        )
    kit.paragraph(
        document,
        _text(ctx, "ba_statement", **_letter_reference(ctx)),
        indent_first=True,
        italic=_foreign(ctx),
    )
    device = ctx.device
    proposal = (ctx.request.check_result or {}).get("proposal") or {}
    kit.fields(
        document,
        [
            (_text(ctx, "request_code"), ctx.request.code),
            (_text(ctx, "device_name"), ctx.request.device_name or "-"),
            (_text(ctx, "model"), (device.model if device else None) or "-"),
            (_text(ctx, "serial"), (device.serial if device else None) or "-"),
            (
                _text(ctx, "rack_position"),
                f"{ctx.rack} {report.units(device.position, device.u_height)}"
                if device and ctx.rack
                else "-",
            ),
            (_text(ctx, "addresses"), "; ".join(f"{a} ({r})" for a, r in ctx.addresses) or "-"),
            (_text(ctx, "domains"), ", ".join(proposal.get("fqdns") or []) or "-"),
            (_text(ctx, "monitored_on"), kit.date_text(ctx.request.monitored_on, lang)),
        ],
        label_cm=4.5,
    )
    kit.paragraph(document, _text(ctx, "ba_work_done"), indent_first=True)
    kit.paragraph(document, _text(ctx, "ba_closing"), indent_first=True)
    kit.signatures(document, [second, first])
    kadis_event = next(
        (
            e
            for e in reversed(ctx.events)
            if e.role == Role.KEPALA_DINAS and e.action == "acknowledge"
        ),
        None,
    )
    kadis = kadis_event.username if kadis_event else None
    if kadis is None:
        fallback = ctx.first_user_of_role(Role.KEPALA_DINAS)
        kadis = fallback.username if fallback else None
    known = ctx.signer(_text(ctx, "acknowledged_by"), kadis, Role.KEPALA_DINAS)
    kit.centered_signature(document, known)
    return document


BUILDERS: dict[str, Callable[[DocumentContext], DocxDocument]] = {
    "lembar_disposisi": lembar_disposisi,
    "laporan_pemeriksaan": laporan_pemeriksaan,
    "surat_balasan_penolakan": surat_balasan_penolakan,
    "surat_balasan_penerimaan": surat_balasan_penerimaan,
    "laporan_pelaksanaan": laporan_pelaksanaan,
    "berita_acara": berita_acara,
}
