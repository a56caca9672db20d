"""Log audit: every recorded change — who, in which role, when, what — for the administrator.

Told for a reader outside IT (the Inspektorat's auditor): the action and the
object in words, and a picked entry's data as a table of field, before and
after (:func:`dcim.audit.change_rows`), with the recorded JSON one click
further for a technical check. Times are shown, and the period is read, in
the data center's time zone.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from colocation.sop import current_sop
from dcim.audit import AuditRow, action_label, audit_choices, audit_page, change_rows, entity_label
from dcim.db import read_session
from dcim.i18n import t
from dcim.models import Role
from dcim_ui import fmt, style
from dcim_ui.context import current, tr
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="audit", icon=":material/history:", section="admin", order=10, roles=frozenset({Role.ADMIN})
)
PER_PAGE = 50


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.audit"), tr("audit.subtitle", zone=fmt.zone_name()))
    with read_session(ctx.engine) as session:
        choices = audit_choices(session)
    c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 1.3, 1.3])
    everyone = tr("rack.all")
    username = c1.selectbox(
        tr("audit.user"), [None, *choices["usernames"]], format_func=lambda v: v or everyone
    )
    entity = c2.selectbox(
        tr("audit.entity"),
        [None, *choices["entities"]],
        format_func=lambda v: entity_label(v, ctx.lang) if v else everyone,
    )
    action = c3.selectbox(
        tr("audit.action"),
        [None, *choices["actions"]],
        format_func=lambda v: action_label(v, ctx.lang) if v else everyone,
    )
    period = c4.date_input(tr("audit.period"), value=(), format="DD/MM/YYYY")
    text = c5.text_input(tr("audit.search"), icon=":material/search:")
    since = until = None
    if isinstance(period, tuple) and len(period) >= 1:
        since = dt.datetime.combine(period[0], dt.time.min, tzinfo=ctx.zone)
        last = period[1] if len(period) > 1 else period[0]
        until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=ctx.zone)
    page_no = st.session_state.get("audit_page_no", 1)
    with read_session(ctx.engine) as session:
        result = audit_page(
            session,
            username=username,
            entity=entity,
            action=action,
            since=since,
            until=until,
            text=text,
            page=page_no,
            per_page=PER_PAGE,
        )
    if not result.items:
        st.info(tr("audit.none"))
        return
    table = pd.DataFrame(
        [
            {
                tr("audit.when"): fmt.moment(row.at),
                tr("audit.user"): row.username or tr("audit.operator"),
                tr("audit.role"): tr(f"roles.{row.role}") if row.role else "–",
                tr("audit.channel"): tr(f"audit.channels.{row.channel}") if row.channel else "–",
                tr("audit.action"): action_label(row.action, ctx.lang),
                tr("audit.entity"): entity_label(row.entity, ctx.lang),
                tr("audit.key"): row.key or "",
                tr("audit.summary"): row.summary or "",
            }
            for row in result.items
        ]
    )
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(640, 38 + 35 * len(result.items))
    )
    st.caption(tr("audit.count", shown=len(result.items), total=result.total))
    if result.pages > 1:
        st.number_input(
            tr("audit.page", pages=result.pages), 1, result.pages, result.page, key="audit_page_no"
        )
    # The labels are made here, in the run: a widget's labels may be asked for outside it.
    labels = {
        r.id: f"#{r.id} · {fmt.moment(r.at)} · {action_label(r.action, ctx.lang)} · {r.key or ''}"
        for r in result.items
    }
    pick = tr("audit.pick")
    picked = st.selectbox(
        tr("audit.details"),
        [None, *labels],
        key="audit_pick",
        format_func=lambda i: pick if i is None else labels.get(i, str(i)),
    )
    if picked is not None:
        _details(next(r for r in result.items if r.id == picked), ctx.lang)


def _details(row: AuditRow, lang: str) -> None:
    """One entry as a table of field, before and after; the recorded JSON behind an expander."""
    sop = current_sop()
    rows = change_rows(
        row.entity, row.summary, row.data, lang, state_title=lambda key: sop.title_of(key, lang)
    )
    dash = "–"
    if rows:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("audit.column", lang): r.field,
                        t("audit.before", lang): r.before or dash,
                        t("audit.after", lang): r.after or dash,
                    }
                    for r in rows
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    elif row.summary:
        st.write(row.summary)
    if row.data:
        with st.expander(t("audit.raw", lang)):
            st.code(
                json.dumps(row.data, ensure_ascii=False, indent=2, default=str), language="json"
            )


if __name__ == "__main__":
    render()
