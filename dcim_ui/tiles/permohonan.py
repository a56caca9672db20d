"""Dashboard tile: open colocation requests by SOP step, and the overdue ones."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from colocation.queries import StepCount
from dcim_ui import fmt, registry, style
from dcim_ui.context import tr
from dcim_ui.registry import INTERNAL_ROLES, TileSpec
from dcim_ui.workflow import look, reads

PERMOHONAN_PAGE = "permohonan"  # a page key; registry.page_file turns it into the page's file
LISTED = 5


def render() -> None:
    """Draw the tile: counts, open requests per step (overdue in red), the most overdue ones."""
    look.inject()
    counts, late = reads.by_step()
    total = sum(count.open for count in counts)
    overdue = sum(count.overdue for count in counts)
    mine = len(reads.tasks())
    with st.container(border=True):
        st.subheader(tr("req.tile_title"))
        left, right = st.columns([1, 2.6], gap="large")
        with left:
            st.html(look.count_box(tr("req.tile_open"), fmt.num(total), style.NAVY))
            st.write("")
            colour = style.RED if overdue else style.GREEN
            st.html(look.count_box(tr("req.tile_overdue"), fmt.num(overdue), colour))
            st.write("")
            st.html(look.count_box(tr("req.tile_mine"), fmt.num(mine), style.BLUE))
        with right:
            st.altair_chart(_chart(counts), width="stretch", height=300)
        if late:
            st.markdown(f"**{tr('req.tile_late_list')}**")
            for row in late[:LISTED]:
                st.page_link(
                    registry.page_file(PERMOHONAN_PAGE),
                    label=tr(
                        "req.tile_late_row",
                        code=row.code,
                        office=row.tenant.upper(),
                        step=row.step,
                        date=fmt.day(row.due_on),
                    ),
                    icon=":material/warning:",
                    query_params={"kode": row.code},
                )
            if len(late) > LISTED:
                st.caption(tr("req.tile_more", count=len(late) - LISTED))
        st.page_link(
            registry.page_file(PERMOHONAN_PAGE),
            label=tr("req.tile_open_page"),
            icon=":material/arrow_forward:",
        )


def _chart(counts: list[StepCount]) -> alt.Chart:
    """Open requests per SOP step as stacked bars: on time in blue, overdue in red."""
    rows = []
    for count in counts:
        on_time = count.open - count.overdue
        step = tr("req.step_n", step=count.step)
        rows.append(
            {
                "step": count.step,
                "label": step,
                "title": count.title,
                "kind": tr("req.tile_on_time"),
                "n": on_time,
            }
        )
        rows.append(
            {
                "step": count.step,
                "label": step,
                "title": count.title,
                "kind": tr("req.tile_late"),
                "n": count.overdue,
            }
        )
    frame = pd.DataFrame(rows)
    top = max(1, int(frame.groupby("step")["n"].sum().max())) if not frame.empty else 1
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X("step:O", title=tr("req.tile_axis_step"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "n:Q",
                title=tr("req.tile_axis_open"),
                stack=True,
                scale=alt.Scale(domain=[0, top]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "kind:N",
                title=None,
                legend=alt.Legend(orient="top", direction="horizontal"),
                scale=alt.Scale(
                    domain=[tr("req.tile_on_time"), tr("req.tile_late")],
                    range=[style.BLUE, style.RED],
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=tr("req.step")),
                alt.Tooltip("title:N", title=tr("req.col_state")),
                alt.Tooltip("kind:N", title=" "),
                alt.Tooltip("n:Q", title=tr("req.tile_axis_open")),
            ],
        )
        .properties(height=230)
    )


TILE = TileSpec(key="permohonan", order=10, roles=INTERNAL_ROLES, render=render)
