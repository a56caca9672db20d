"""Rencana kebutuhan: the Kepala Bidang's page for next year's purchases (issue #14).

Upload a plan file (or take the demo's), see what to buy and by when against the
utilization forecast, and download the Nota Dinas to attach to the budget proposal.
The plan reads the inventory and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from capacity.plan import PlanResult, make_plan
from capacity.plan_memo import plan_memo_bytes
from capacity.planfile import PLAN_LIMITS, PlanFile, parse_plan
from dcim import i18n
from dcim.db import read_session
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.inventory.yamlio import DOCUMENT_LIMITS, parse_yaml
from dcim.models import Role
from dcim.snapshots import total_series
from dcim_demo import DEMO_PLAN
from dcim_ui import plan_chart, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import show_input_error
from dcim_ui.fmt import upload_megabytes
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="rencana",
    icon=":material/shopping_cart:",
    section="overview",
    order=30,
    roles=frozenset({Role.KABID_TI.value}),
)
RESULT_KEY = "rencana_result"


def _p(key: str, **params: Any) -> str:
    return t(f"plan.ui.{key}", current().lang, **params)


def _read(text: str, source: str) -> PlanFile | None:
    try:
        return parse_plan(parse_yaml(text, source, PLAN_LIMITS), source, current().lang)
    except InputError as exc:
        show_input_error(exc)
        return None


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.rencana"), _p("subtitle"))
    choices = [_p("source_upload"), _p("source_demo")]
    picked = st.radio(_p("source"), choices, horizontal=True, key="rencana_source")
    source = "demo" if picked == choices[1] else "upload"
    plan: PlanFile | None = None
    if source == "upload":
        upload = st.file_uploader(
            _p("upload"),
            type=["yaml", "yml"],
            key="rencana_upload",
            max_upload_size=upload_megabytes(DOCUMENT_LIMITS.max_bytes),
        )
        if upload is not None:
            try:
                plan = _read(upload.getvalue().decode("utf-8"), upload.name)
            except UnicodeDecodeError:
                problem = Problem.of("", "ui.check.not_utf8", "The file is not UTF-8 text.")
                show_input_error(InputError([problem], upload.name))
    else:
        plan = _read(DEMO_PLAN.read_text(encoding="utf-8"), DEMO_PLAN.name)
    on = st.date_input(_p("evaluated_on"), value=ctx.today, key="rencana_on")
    if plan is not None and st.button(_p("run"), type="primary", key="rencana_run"):
        with st.spinner(_p("running")):
            try:
                result = make_plan(ctx.engine, plan, on=on, lang=ctx.lang, source="plan")
            except InputError as exc:
                show_input_error(exc)
                return
        st.session_state[RESULT_KEY] = (plan, result)
    stored = st.session_state.get(RESULT_KEY)
    if stored is not None:
        _show(*stored)


def _show(plan: PlanFile, result: PlanResult) -> None:
    ctx = current()
    lang = ctx.lang
    c1, c2, c3 = st.columns(3)
    c1.metric(_p("total"), f"Rp {i18n.number(result.total_idr, lang, decimals=0)}")
    c2.metric(_p("purchases"), len(result.purchases))
    c3.metric(_p("unplaceable"), len(result.unplaceable))
    st.caption(_p("exact") if result.optimal else _p("heuristic"))
    until = max([s.on for s in plan.all_servers()] + [ctx.today])
    with read_session(ctx.engine) as session:
        series = total_series(session, since=ctx.today - dt.timedelta(days=365))
    labels = {r: t(f"capacity.names.{r}", lang) for r in plan_chart.RESOURCES}
    titles = {
        k: _p(f"chart.{k}")
        for k in ("date", "percent", "resource", "kind", "item", "order_by", "needed_on", "price")
    }
    chart = plan_chart.timeline_chart(
        plan_chart.utilization_frame(series, labels, until),
        plan_chart.purchase_frame(result.purchases),
        titles,
    )
    st.altair_chart(chart, use_container_width=True)
    st.subheader(_p("table"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _p("chart.item"): p.description or p.item_id,
                    _p("chart.price"): p.price_idr,
                    _p("chart.order_by"): i18n.date(p.order_by, lang),
                    _p("chart.needed_on"): i18n.date(p.needed_on, lang),
                    _p("unlocks"): ", ".join(p.unlocks),
                    _p("late"): "⚠" if p.late else "",
                }
                for p in result.purchases
            ]
        ),
        hide_index=True,
        use_container_width=True,
    )
    if result.unplaceable:
        st.subheader(_p("unplaceable"))
        for placement in result.unplaceable:
            st.error(
                f"**{placement.server}** ({i18n.date(placement.needed_on, lang)}): "
                + "; ".join(placement.reasons.values())
            )
    docx = plan_memo_bytes(ctx.engine, plan, result, lang)
    d1, d2 = st.columns(2)
    d1.download_button(
        _p("download_docx"),
        docx,
        file_name="nota-dinas-rencana-kebutuhan.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    if d2.button(_p("make_pdf"), key="rencana_pdf"):
        from dcim.pdf import PdfUnavailable, docx_to_pdf

        try:
            pdf = docx_to_pdf(docx)
        except PdfUnavailable as exc:
            st.error(str(exc))
        else:
            d2.download_button(
                _p("download_pdf"),
                pdf,
                file_name="nota-dinas-rencana-kebutuhan.pdf",
                mime="application/pdf",
            )


if __name__ == "__main__":
    render()
