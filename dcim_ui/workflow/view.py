"""One request: where it stands in the SOP, what the person may do now, and everything recorded.

The top shows the request's place among the SOP's steps, its status and due
date, and the forms of the actions the person's role may take now. Tabs
below hold the timeline (each step's arrival, due and actual dates, who
acted and their note), the capacity check recorded at step 5 (drawn as the
Cek kapasitas page draws a check), the Lembar Disposisi, the documents to
download, the letter as submitted, and the audit trail of the request.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from colocation.choices import RequestStatus
from colocation.documents import DocumentInfo
from colocation.documents.pdf import (
    DocumentFormat,
    filename_as,
    media_type_of,
    render_document_as,
)
from colocation.monitoring import prometheus_json, request_targets, zabbix_yaml
from colocation.queries import RequestDetail, TimelineEntry, attachment_content
from colocation.sop import WITHDRAW_ACTION, Sop, current_sop
from dcim.db import get_engine, read_session
from dcim.i18n import t
from dcim.pdf import converter
from dcim_ui import auth, charts, data, fmt, style
from dcim_ui.context import current, language, tr
from dcim_ui.pages.cek import proposal_rows, show_verdicts

from . import actions, look, reads
from .lists import close_request, row_pills

ZABBIX_MEDIA_TYPE = "application/yaml"


def render(code: str) -> None:
    """Draw one request, or say why it cannot be shown."""
    st.button(tr("req.back"), icon=":material/arrow_back:", on_click=close_request, key="wf_back")
    detail, documents, problem = reads.detail(code)
    if detail is None:
        style.page_header(code)
        st.error(problem or tr("req.not_found"), icon=":material/search_off:")
        return
    row = detail.row
    style.page_header(
        f"{row.code} · {row.purpose or tr('req.no_purpose')}",
        tr(
            "req.subtitle_request",
            office=row.tenant_name,
            number=row.letter_number or "–",
            date=fmt.day(row.letter_date),
        ),
    )
    _where(detail)
    actions.show_flash(row.code)
    actions.render(detail)
    st.write("")
    names = ["timeline", "check", "dispositions", "documents", "letter", "history"]
    tabs = st.tabs([tr(f"req.tab_{name}") for name in names])
    with tabs[0]:
        _timeline(detail)
    with tabs[1]:
        _check(detail)
    with tabs[2]:
        _dispositions(detail)
    with tabs[3]:
        _documents(detail, documents)
    with tabs[4]:
        _letter(detail)
    with tabs[5]:
        _history(detail)


def _where(detail: RequestDetail) -> None:
    """The stepper of the SOP's steps, the status, the due date and the hold."""
    row = detail.row
    sop = current_sop()
    lang = language()
    last = sop.max_step()
    done = {entry.step for entry in detail.timeline if entry.done_on is not None}
    reached = max(done | {row.step})
    titles: dict[int, str] = {}
    for state in sop.states:
        titles.setdefault(state.step, state.title.get(lang))
    marks = []
    for step in range(1, last + 1):
        if row.status == RequestStatus.OPEN and step == row.step:
            kind = "late" if row.overdue else "now"
        elif row.status in (RequestStatus.REJECTED, RequestStatus.WITHDRAWN) and step == row.step:
            kind = "ended"
        elif step in done:
            kind = "done"
        elif step < reached or row.status != RequestStatus.OPEN:
            kind = "skipped"
        else:
            kind = ""
        title = tr("req.step_n", step=step) + ": " + titles.get(step, "")
        marks.append(look.StepMark(step, kind, title))
    st.html(look.stepper(marks))
    if row.status == RequestStatus.OPEN:
        where = tr(
            "req.waiting_at",
            step=row.step,
            last=last,
            state=row.state_title,
            role=row.role_title or "–",
        )
    else:
        where = tr(
            "req.ended_at", state=row.state_title, date=fmt.day(detail.closed_on), step=row.step
        )
    extra = []
    reservation = detail.reservation
    if detail.device:
        extra.append(tr("req.device_line", device=detail.device))
    elif reservation:
        extra.append(
            tr(
                "req.hold_line",
                code=reservation["id"],
                status=tr(f"req.hold_{reservation['status']}"),
                date=fmt.day(_date(reservation["expires_at"])),
            )
        )
    st.html(
        f'<div class="wf-where">{style.esc(where)}</div>'
        + row_pills(row)
        + (f'<div class="wf-where">{style.esc(" · ".join(extra))}</div>' if extra else "")
    )


def _date(value: Any) -> dt.date | None:
    """A date from the JSON of a request (ISO text) or as it is."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _action_title(state_key: str, action: str | None) -> str:
    """An action's title as the SOP file names it at that state."""
    if action is None:
        return ""
    if action == WITHDRAW_ACTION:
        return t("workflow.withdraw_title", language())
    state = current_sop().state(state_key)
    spec = state.action(action) if state is not None else None
    return spec.title.get(language()) if spec is not None else action


def _timeline(detail: RequestDetail) -> None:
    """Each stay at a step: arrival, due and done dates, who acted, the outcome and the note."""
    notes = [event["note"] for event in detail.history if event["from_state"] is not None]
    submitted = next((event for event in detail.history if event["from_state"] is None), None)
    items: list[look.TimelineItem] = []
    if submitted is not None:
        items.append(
            look.TimelineItem(
                head=tr("req.submitted"),
                title=detail.row.letter_number or "",
                meta=tr(
                    "req.submitted_meta",
                    date=fmt.day(_date(submitted["on"])),
                    name=submitted["name"] or submitted["user"] or tr("req.operator"),
                ),
                note=None,
                colour=style.GREEN,
            )
        )
    for i, entry in enumerate(detail.timeline):
        note = notes[i] if i < len(notes) else None
        items.append(_timeline_item(entry, note))
    for step in detail.upcoming:
        standard = tr("req.standard", days=step.working_days) if step.working_days else ""
        items.append(
            look.TimelineItem(
                head=tr("req.step_n", step=step.step),
                title=step.title,
                meta=" · ".join(part for part in (tr(f"roles.{step.role}"), standard) if part),
                note=None,
                colour=style.GREY,
                upcoming=True,
            )
        )
    st.html(look.timeline(items))
    st.caption(tr("req.timeline_note"))


def _timeline_item(entry: TimelineEntry, note: str | None) -> look.TimelineItem:
    """One stay at a step as a line of the timeline, coloured by how it went."""
    role = tr(f"roles.{entry.role}") if entry.role else "–"
    parts = [tr("req.arrived", date=fmt.day(entry.entered_on))]
    parts.append(tr("req.due_on", date=fmt.day(entry.due_on)) if entry.due_on else tr("req.no_due"))
    if entry.done_on is not None:
        action = _action_title(entry.state, entry.action)
        outcome = tr(f"req.outcome_{entry.outcome}") if entry.outcome else ""
        who = entry.by_name or entry.by or tr("req.operator")
        parts.append(tr("req.done_by", date=fmt.day(entry.done_on), name=who, role=role))
        parts.append(action + (f" ({outcome})" if outcome else ""))
        if entry.late:
            parts.append(tr("req.late_days", days=entry.working_days_late))
        elif entry.due_on is not None:
            parts.append(tr("req.on_time"))
        # A late step, or one that sent the request back or ended it, stands out from the rest.
        turned = entry.outcome in ("failed", "unavailable")
        colour = style.AMBER if entry.late or turned else style.GREEN
    else:
        parts.append(tr("req.waiting_for", role=role))
        if entry.late:
            parts.append(tr("req.late_days", days=entry.working_days_late))
        colour = style.RED if entry.late else style.BLUE
    return look.TimelineItem(
        head=tr("req.step_n", step=entry.step),
        title=entry.title,
        meta=" · ".join(parts),
        note=note,
        colour=colour,
    )


def _check(detail: RequestDetail) -> None:
    """The capacity check recorded at step 5, drawn as the Cek kapasitas page draws a check."""
    check = detail.check
    if not check:
        st.info(tr("req.no_check"), icon=":material/fact_check:")
        return
    show_verdicts(check)
    proposal = check.get("proposal")
    if not proposal:
        return
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        st.subheader(tr("check.proposal"))
        rows = proposal_rows(proposal)
        reservation = detail.reservation
        if reservation and not detail.device:
            rows.append(
                (
                    tr("req.hold"),
                    tr(
                        "req.hold_value",
                        code=reservation["id"],
                        status=tr(f"req.hold_{reservation['status']}"),
                        date=fmt.day(_date(reservation["expires_at"])),
                    ),
                )
            )
        if detail.device and reservation:
            rows.append(
                (
                    tr("req.device"),
                    tr("req.device_from_hold", device=detail.device, code=reservation["id"]),
                )
            )
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows))
    with right:
        elevation = data.rack_elevations([proposal["rack"]])
        if elevation:
            st.vega_lite_chart(
                spec=charts.rack_chart(elevation[0], [slug for slug, _ in data.tenants()])
            )
            st.caption(tr("req.rack_now"))


def _dispositions(detail: RequestDetail) -> None:
    """The Lembar Disposisi: one line per hop of the chain."""
    if not detail.dispositions:
        st.info(tr("req.no_dispositions"), icon=":material/forward_to_inbox:")
        return
    lang = language()
    first = detail.dispositions[0]
    st.html(
        look.definition_list(
            [
                (tr("req.agenda"), first["agenda_number"] or "–"),
                (tr("req.urgency"), t(f"workflow.urgency.{first['urgency']}", lang)),
                (tr("req.received_on"), fmt.day(detail.received_on)),
            ]
        )
    )
    frame = pd.DataFrame(
        [
            {
                tr("req.col_on"): fmt.day(_date(d["on"]), "medium"),
                tr("req.col_from"): f"{d['from']} ({tr('roles.' + d['from_role'])})",
                tr("req.col_to"): d["to"],
                tr("req.col_instruction"): d["instruction"],
                tr("req.col_deadline"): fmt.day(_date(d["deadline"]), "medium"),
            }
            for d in detail.dispositions
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _documents(detail: RequestDetail, documents: list[DocumentInfo]) -> None:
    """Every document issued so far, built when downloaded; the scanned letter; monitoring exports."""
    ctx = current()
    user = ctx.user
    assert user is not None
    code, url, lang, user_id = detail.row.code, ctx.url, language(), user.id
    if not documents:
        st.info(tr("req.no_documents"), icon=":material/description:")
    # The PDF (what an office sends and signs electronically) needs LibreOffice on the server.
    with_pdf = converter() is not None
    if documents and with_pdf:
        st.caption(tr("req.formats_hint"))
    for doc in documents:
        left, docx_column, pdf_column = st.columns([3, 1.1, 1.1], vertical_alignment="center")
        if doc.number:
            number = tr("req.doc_number", number=doc.number)
        else:
            number = tr("req.doc_agenda", number=detail.agenda_number or "–")
        left.markdown(f"**{doc.title}**  \n{number}")

        def build(kind: str = doc.kind, fmt: str = DocumentFormat.DOCX) -> bytes:
            """The document in the format, built when it is downloaded."""
            with read_session(get_engine(url)) as session:
                actor = auth.actor(session, user_id)
                return render_document_as(session, code, kind, actor, fmt, lang)

        docx_column.download_button(
            tr("req.download"),
            build,
            file_name=doc.filename,
            mime=doc.media_type,
            icon=":material/download:",
            on_click="ignore",
            key=f"wf_doc_{code}_{doc.kind}",
            width="stretch",
        )
        if with_pdf:
            pdf_column.download_button(
                tr("req.download_pdf_button"),
                partial(build, doc.kind, DocumentFormat.PDF),
                file_name=filename_as(doc.filename, DocumentFormat.PDF),
                mime=media_type_of(DocumentFormat.PDF),
                icon=":material/picture_as_pdf:",
                on_click="ignore",
                key=f"wf_pdf_{code}_{doc.kind}",
                width="stretch",
            )
    if detail.attachments:
        st.markdown(f"**{tr('req.attachments')}**")
    for item in detail.attachments:
        left, right = st.columns([3, 1.2], vertical_alignment="center")
        left.markdown(
            f"{item['filename']}  \n{item['media_type']} · {fmt.num(item['size_bytes'] / 1024, 1)} KB"
        )

        def scan(attachment_id: int = item["id"]) -> bytes:
            """The scanned letter's bytes, read when it is downloaded."""
            with read_session(get_engine(url)) as session:
                user_row = auth.actor(session, user_id)
                return attachment_content(session, code, attachment_id, user_row, lang)[2]

        right.download_button(
            tr("req.download"),
            scan,
            file_name=item["filename"],
            mime=item["media_type"],
            icon=":material/attach_file:",
            on_click="ignore",
            key=f"wf_scan_{code}_{item['id']}",
            width="stretch",
        )
    if detail.monitored_on:
        st.markdown(f"**{tr('req.monitoring')}**")
        st.caption(tr("req.monitoring_note", date=fmt.day(detail.monitored_on)))
        version = current_sop().monitoring.zabbix.version

        def targets() -> list[dict[str, Any]]:
            """The request's monitoring target, read when an export is downloaded."""
            with read_session(get_engine(url)) as session:
                return request_targets(session, code, auth.actor(session, user_id), lang)

        c1, c2, _ = st.columns([1, 1, 1.2])
        c1.download_button(
            "Prometheus file_sd (JSON)",
            lambda: prometheus_json(targets()),
            icon=":material/download:",
            file_name=f"{code}-prometheus.json",
            mime="application/json",
            on_click="ignore",
            key=f"wf_prom_{code}",
            width="stretch",
        )
        c2.download_button(
            "Zabbix (YAML)",
            lambda: zabbix_yaml(targets(), version),
            icon=":material/download:",
            file_name=f"{code}-zabbix.yaml",
            mime=ZABBIX_MEDIA_TYPE,
            on_click="ignore",
            key=f"wf_zbx_{code}",
            width="stretch",
        )


def _letter(detail: RequestDetail) -> None:
    """The letter and the request as the office submitted them."""
    request = detail.request
    server = request.get("server") or {}
    row = detail.row
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**{tr('check.letter')}**")
        st.html(
            look.definition_list(
                [
                    (tr("req.col_office"), f"{row.tenant} · {row.tenant_name}"),
                    (tr("check.number"), row.letter_number or "–"),
                    (tr("check.date"), fmt.day(row.letter_date)),
                    (tr("check.purpose"), row.purpose or "–"),
                    (tr("check.site"), request.get("site") or tr("check.any_site")),
                    (tr("req.submitted_on"), fmt.day(row.submitted_on)),
                    (tr("req.submitted_by"), detail.submitted_by or tr("req.operator")),
                    (tr("req.agenda"), detail.agenda_number or "–"),
                ]
            )
        )
    with right:
        st.markdown(f"**{tr('check.server')}**")
        addresses = [
            f"IPv{family} {role}: {count}"
            for family in (4, 6)
            for role, count in (request.get(f"ipv{family}") or {}).items()
        ]
        rows = [
            (tr("check.model"), server.get("model") or "–"),
            (tr("check.form_factor"), tr(f"check.ff_{server.get('form_factor', 'rack')}")),
        ]
        for key, label in (
            ("u_height", "check.u_height"),
            ("power_w", "check.power"),
            ("weight_kg", "check.weight"),
            ("psu", "check.psu"),
        ):
            if server.get(key) is not None:
                rows.append((tr(label), fmt.num(server[key])))
        rows.append((tr("check.bandwidth"), fmt.num(server.get("bandwidth_mbps") or 0)))
        rows.append((tr("check.addresses"), ", ".join(addresses) or "–"))
        rows.append((tr("req.domains"), ", ".join(request.get("domains") or []) or "–"))
        st.html(look.definition_list(rows))
        if not {"u_height", "power_w"} <= set(server):
            st.caption(tr("req.from_catalog"))


def _history(detail: RequestDetail) -> None:
    """The request's audit trail: every recorded action, as stored (it can only grow)."""
    lang = language()
    sop = current_sop()
    frame = pd.DataFrame(
        [
            {
                tr("req.col_at"): fmt.moment(_moment(event["at"])),
                tr("req.col_on"): fmt.day(_date(event["on"]), "medium"),
                tr("req.col_user"): event["name"] or event["user"] or tr("req.operator"),
                tr("req.col_role"): tr(f"roles.{event['role']}") if event["role"] else "–",
                tr("req.col_action"): _history_action(event),
                tr("req.col_move"): _move(event, sop, lang),
                tr("req.col_note"): event["note"] or "",
                tr("req.col_data"): json.dumps(event["data"], ensure_ascii=False, default=str)
                if event["data"]
                else "",
            }
            for event in detail.history
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(tr("req.history_note"))


def _moment(value: Any) -> dt.datetime | None:
    """A moment from the JSON of a request (ISO text) or as it is."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _history_action(event: dict[str, Any]) -> str:
    """What an event of the history did, with its outcome."""
    if event["from_state"] is None:
        return tr("req.submitted")
    title = _action_title(event["from_state"], event["action"])
    return title + (f" ({tr('req.outcome_' + event['outcome'])})" if event["outcome"] else "")


def _move(event: dict[str, Any], sop: Sop, lang: str) -> str:
    """Where an event of the history took the request."""
    to = sop.title_of(event["to_state"], lang) if event["to_state"] else ""
    if event["from_step"] is None:
        return f"→ {event['to_step']}"
    return f"{event['from_step']} → {event['to_step']} · {to}"
