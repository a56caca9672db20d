"""Domain: the records of each managed zone, whether a name is free (the engine's rule), the zone file."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from capacity.check import judge_domains
from dcim.db import get_engine, read_session
from dcim.zonefile import zone_file
from dcim_ui import data, fmt, style
from dcim_ui.context import current, language, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import INTERNAL_ROLES, PageSpec

PAGE = PageSpec(
    key="domain",
    icon=":material/language:",
    section="infrastructure",
    order=40,
    roles=INTERNAL_ROLES,
)
MAX_NAMES = 10


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.domain"), tr("domain.subtitle"))
    names, _, _ = data.zone(None)
    if not names:
        st.info(tr("domain.empty"))
        return
    chosen = st.selectbox(tr("domain.zone"), names, key="domain_zone")
    _, records, held = data.zone(chosen)

    st.subheader(tr("domain.check"))
    st.caption(tr("domain.check_hint"))
    with st.form("domain_check", border=True):
        wanted = st.text_area(
            tr("domain.names"), placeholder=f"simpeg-dr.{chosen}\nsiskeudes.{chosen}", height=90
        )
        submitted = st.form_submit_button(
            tr("domain.check_button"), type="primary", icon=":material/search:"
        )
    if submitted:
        _availability(wanted)

    left, right = st.columns([2, 1], gap="large")
    with left:
        st.subheader(tr("domain.records", count=len(records)))
        types = sorted({r.type for r in records})
        pick = st.pills(tr("domain.types"), types, selection_mode="multi", key="domain_types")
        shown = [r for r in records if not pick or r.type in pick]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("domain.name"): r.name,
                        tr("domain.type"): r.type,
                        tr("domain.value"): r.value,
                        "TTL": str(r.ttl) if r.ttl is not None else "–",
                    }
                    for r in shown
                ],
                columns=[tr("domain.name"), tr("domain.type"), tr("domain.value"), "TTL"],
            ),
            hide_index=True,
            width="stretch",
            height=min(600, 38 + 35 * max(1, len(shown))),
        )
    with right:
        st.subheader(tr("domain.held", count=len(held)))
        if not held:
            st.caption(tr("domain.none_held"))
        for item in held:
            st.markdown(
                f"- **{item.fqdn}**  \n  {item.hold} · {item.tenant or '–'} · "
                f"{tr('domain.until', date=fmt.day(item.expires_at))}"
            )
        st.subheader(tr("domain.export"))
        url, day = ctx.url, ctx.today
        st.download_button(
            tr("domain.download"),
            lambda: _zone_text(url, chosen, day).encode("utf-8"),
            file_name=f"db.{chosen}",
            mime="text/dns",
            icon=":material/download:",
            type="primary",
            on_click="ignore",
        )
        st.caption(tr("domain.export_note"))
        with st.expander(tr("domain.preview")):
            if st.toggle(tr("domain.show_preview"), key="domain_preview"):
                st.code(_zone_text(url, chosen, day), language=None)


def _zone_text(url: str, zone: str, day: dt.date) -> str:
    """The zone file (read afresh; runs outside the page's run when downloading)."""
    with read_session(get_engine(url)) as session:
        return zone_file(session, zone, day)


def _availability(text: str) -> None:
    ctx = current()
    wanted = [name for name in re.split(r"[\s,;]+", text) if name]
    if not wanted:
        st.warning(tr("domain.no_names"))
        return
    for name in wanted[:MAX_NAMES]:
        with refusals() as refused, read_session(ctx.engine) as session:
            outcome = judge_domains(session, [name], ctx.today, language())
        if refused.refused:
            return
        if outcome.ok:
            st.success(f"**{name}** — {outcome.message}", icon=":material/check_circle:")
        else:
            st.error(f"**{name}** — {outcome.message}", icon=":material/cancel:")
    if len(wanted) > MAX_NAMES:
        st.caption(tr("domain.too_many", limit=MAX_NAMES))


if __name__ == "__main__":
    render()
