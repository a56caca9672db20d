"""The inbox "Tugas saya" and the list of every request the person may see.

A request opens on the same page, under ``?kode=REQ-...``, so that its
address can be bookmarked and passed on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from colocation.choices import RequestStatus
from colocation.queries import RequestRow
from colocation.sop import current_sop
from dcim.models import Role
from dcim.paging import page_count
from dcim_ui import data, fmt, style
from dcim_ui.context import current, tr

from . import look, reads

CODE_PARAM = "kode"
PER_PAGE = 25
PAGE_KEY = "wf_list_page"
CODES_KEY = "wf_list_codes"
NONCE_KEY = "wf_list_nonce"


def open_request(code: str) -> None:
    """Show one request (a button's or the table's callback)."""
    st.query_params[CODE_PARAM] = code


def close_request() -> None:
    """Back to the lists; a fresh table, so the row picked before is not picked again."""
    st.query_params.pop(CODE_PARAM, None)
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1


def due_text(row: RequestRow) -> str:
    """When the request's current step is due, or that the SOP sets no date for it."""
    if row.status != RequestStatus.OPEN:
        return "–"
    if row.due_on is None:
        return tr("req.no_due")
    return fmt.day(row.due_on)


def row_pills(row: RequestRow, with_status: bool = True) -> str:
    """The request's status, its due date and the overdue flag, as coloured labels."""
    items = []
    if with_status:
        items.append(
            (row.status_title.capitalize(), look.STATUS_COLOURS.get(row.status, style.GREY))
        )
    if row.overdue:
        items.append((tr("req.overdue_flag"), style.RED))
    meta = ""
    if row.status == RequestStatus.OPEN:
        meta = tr("req.due_on", date=fmt.day(row.due_on)) if row.due_on else tr("req.no_due")
    return look.pills(items, meta)


def inbox() -> None:
    """The requests waiting on the person's role, overdue first, each with a button to open it."""
    user = current().user
    assert user is not None
    rows = reads.tasks()
    if not rows:
        st.info(tr("req.inbox_empty"), icon=":material/task_alt:")
        return
    late = sum(row.overdue for row in rows)
    st.caption(tr("req.inbox_count", count=len(rows), late=late))
    sop = current_sop()
    for row in rows:
        with st.container(border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            letter = f" · {row.letter_number}" if row.letter_number else ""
            left.html(
                f'<div class="wf-card-head">{style.esc(row.code)} · {style.esc(row.tenant_name)}'
                f"<small>{style.esc(letter)}</small></div>"
                f'<div class="wf-card-body">'
                f"{style.esc(tr('req.step_of', step=row.step, last=sop.max_step()))}: "
                f"{style.esc(row.state_title)}<br>{style.esc(row.purpose or '')}</div>"
                f"{row_pills(row, with_status=False)}"
            )
            right.button(
                tr("req.open"),
                key=f"wf_open_{row.code}",
                on_click=open_request,
                args=(row.code,),
                type="primary",
                icon=":material/open_in_new:",
                width="stretch",
            )


def _reset_page() -> None:
    """Back to the first page when a filter changes."""
    st.session_state[PAGE_KEY] = 1


def _filters() -> reads.Filters:
    """The filter row; an OPD user has no office to choose."""
    user = current().user
    assert user is not None
    sop = current_sop()
    everything = tr("req.all")
    with st.container(border=True):
        if user.role == Role.OPD:
            c1, c2, c3, c5 = st.columns([2, 1, 1, 1.2], vertical_alignment="bottom")
            c4 = None
        else:
            c1, c2, c3, c4, c5 = st.columns([1.6, 0.9, 0.9, 1.4, 1.1], vertical_alignment="bottom")
        search = c1.text_input(
            tr("req.search"),
            placeholder=tr("req.search_hint"),
            icon=":material/search:",
            key="wf_f_search",
            on_change=_reset_page,
        )
        status = c2.selectbox(
            tr("req.status"),
            [None, *RequestStatus.values()],
            format_func=lambda s: everything if s is None else tr(f"req.status_{s}"),
            key="wf_f_status",
            on_change=_reset_page,
        )
        steps = sorted({state.step for state in sop.states})
        step = c3.selectbox(
            tr("req.step"),
            [None, *steps],
            format_func=lambda s: everything if s is None else tr("req.step_n", step=s),
            key="wf_f_step",
            on_change=_reset_page,
        )
        tenant = None
        if c4 is not None:
            names = dict(data.tenants())
            tenant = c4.selectbox(
                tr("req.office"),
                [None, *names],
                format_func=lambda s: everything if s is None else f"{s} · {names[s]}",
                key="wf_f_tenant",
                on_change=_reset_page,
            )
        overdue = c5.toggle(tr("req.only_overdue"), key="wf_f_overdue", on_change=_reset_page)
    return reads.Filters(
        status=status, step=step, tenant=tenant, overdue=overdue, search=search.strip()
    )


def _pick_row(key: str) -> None:
    """Open the request whose row was picked in the table."""
    state = st.session_state.get(key)
    rows = state.selection.rows if state is not None else []
    codes = st.session_state.get(CODES_KEY, [])
    if rows and rows[0] < len(codes):
        open_request(codes[rows[0]])


def all_requests() -> None:
    """Every request the person may see, filtered and a page at a time; picking a row opens it."""
    filters = _filters()
    page = max(1, int(st.session_state.get(PAGE_KEY, 1)))
    rows, total = reads.page_of_requests(filters, (page - 1) * PER_PAGE, PER_PAGE)
    pages = page_count(total, PER_PAGE)
    if page > pages:
        st.session_state[PAGE_KEY] = page = pages
        rows, total = reads.page_of_requests(filters, (page - 1) * PER_PAGE, PER_PAGE)
    if not rows:
        st.info(tr("req.none"), icon=":material/inbox:")
        return
    st.session_state[CODES_KEY] = [row.code for row in rows]
    table = pd.DataFrame([_table_row(row) for row in rows])
    key = f"wf_list_{st.session_state.get(NONCE_KEY, 0)}"
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 38 + 35 * PER_PAGE),
        key=key,
        on_select=lambda: _pick_row(key),
        selection_mode="single-row",
        column_config={
            tr("req.col_code"): st.column_config.TextColumn(width=120),
            tr("req.col_office"): st.column_config.TextColumn(width=80),
            tr("req.col_step"): st.column_config.NumberColumn(width=70),
            tr("req.col_status"): st.column_config.TextColumn(width=80),
            tr("req.col_due"): st.column_config.TextColumn(width=140),
            tr("req.col_overdue"): st.column_config.TextColumn(width=95),
            tr("req.col_waiting"): st.column_config.TextColumn(width=170),
            tr("req.col_purpose"): st.column_config.TextColumn(width=260),
            tr("req.col_state"): st.column_config.TextColumn(width=320),
        },
    )
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        tr(
            "req.count",
            first=(page - 1) * PER_PAGE + 1,
            last=(page - 1) * PER_PAGE + len(rows),
            total=total,
        )
        + " · "
        + tr("req.pick_hint")
    )
    if pages > 1:
        right.number_input(tr("req.page", pages=pages), 1, pages, key=PAGE_KEY)


def _table_row(row: RequestRow) -> dict[str, Any]:
    # What a clerk scans for comes first; the long titles last, where the table may cut them.
    """One request as a row of the table."""
    return {
        tr("req.col_code"): row.code,
        tr("req.col_office"): row.tenant.upper(),
        tr("req.col_step"): row.step,
        tr("req.col_status"): row.status_title.capitalize(),
        tr("req.col_due"): due_text(row),
        tr("req.col_overdue"): tr("req.overdue_flag") if row.overdue else "",
        tr("req.col_waiting"): tr(f"roles.{row.role}") if row.role else "–",
        tr("req.col_purpose"): row.purpose or "",
        tr("req.col_state"): row.state_title,
    }
