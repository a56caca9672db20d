"""Rak: the elevations of a site's racks, front and rear, and the details of what is in them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dcim.elevations import Elevation, OccupantDetail, RackSummary
from dcim.models import RackStatus
from dcim_ui import charts, data, fmt, style
from dcim_ui.context import tr
from dcim_ui.registry import INTERNAL_ROLES, PageSpec

PAGE = PageSpec(
    key="rak", icon=":material/dns:", section="infrastructure", order=10, roles=INTERNAL_ROLES
)

PICKED_KEY = "rak_picked"
PER_PAGE = 6
COLUMNS = 3


def _remember_pick(chart_key: str) -> None:
    state = st.session_state.get(chart_key)
    picked = state.selection.get(charts.PICK) if state is not None else None
    if picked:
        st.session_state[PICKED_KEY] = (picked[0]["kind"], picked[0]["key"])


def render() -> None:
    """Draw the page."""
    style.page_header(tr("pages.rak"), tr("rack.subtitle"))
    site_options = data.sites()
    tenant_options = data.tenants()
    tenant_names = dict(tenant_options)
    with st.container(border=True):
        c1, c2, c3, c4, c5 = st.columns([1.3, 1.3, 1, 1, 1.2])
        site = c1.selectbox(
            tr("rack.site"),
            [slug for slug, _ in site_options],
            format_func=dict(site_options).get,
            key="rak_site",
        )
        tenant = c2.selectbox(
            tr("rack.tenant"),
            [None, *tenant_names],
            format_func=lambda s: tr("rack.all") if s is None else f"{s} · {tenant_names[s]}",
            key="rak_tenant",
        )
        status = c3.selectbox(
            tr("rack.status"),
            [None, *RackStatus.values()],
            format_func=lambda s: tr("rack.all") if s is None else tr(f"rack_status.{s}"),
            key="rak_status",
        )
        min_free = c4.number_input(
            tr("rack.min_free"), min_value=0, max_value=100, value=0, step=1, key="rak_min_free"
        )
        colour_by = c5.segmented_control(
            tr("rack.colour_by"),
            ["tenant", "status"],
            format_func=lambda v: tr(f"rack.colour_{v}"),
            default="tenant",
            required=True,
            key="rak_colour",
        )
    page_no = st.session_state.get("rak_page_no", 1)
    result = data.rack_page(site, status, tenant, int(min_free), page_no, PER_PAGE)
    if result.page > result.pages:
        result = data.rack_page(site, status, tenant, int(min_free), 1, PER_PAGE)
    if not result.items:
        st.info(tr("rack.none_match"))
        return

    main, side = st.columns([3.2, 1], gap="medium")
    colours = charts.tenant_colours([slug for slug, _ in tenant_options])
    with main:
        _legend(colour_by, colours, tenant_names)
        names = [rack.name for rack in result.items]
        chart_labels = charts.elevation_labels()
        elevations = data.rack_elevations(names)
        for start in range(0, len(elevations), COLUMNS):
            cols = st.columns(COLUMNS)
            for col, elevation in zip(cols, elevations[start : start + COLUMNS], strict=False):
                with col:
                    chart_key = f"elev_{elevation.name}"
                    st.vega_lite_chart(
                        spec=charts.elevation_chart(
                            elevation, colour_by=colour_by, colours=colours, labels=chart_labels
                        ),
                        key=chart_key,
                        on_select=lambda k=chart_key: _remember_pick(k),
                        selection_mode=charts.PICK,
                    )
                    summary = next(r for r in result.items if r.name == elevation.name)
                    st.caption(_rack_caption(summary, elevation))
        if result.pages > 1:
            st.segmented_control(
                tr("rack.page", pages=result.pages, total=result.total),
                list(range(1, result.pages + 1)),
                default=result.page,
                key="rak_page_no",
                required=True,
            )
        else:
            st.caption(tr("rack.count", total=result.total))
    with side:
        picked = st.session_state.get(PICKED_KEY)
        detail = data.occupant_detail(*picked) if picked else None
        if detail is None:
            st.info(tr("rack.pick_hint"), icon=":material/touch_app:")
        else:
            show_detail(detail, colours)


def _rack_caption(summary: RackSummary, elevation: Elevation) -> str:
    weight = fmt.num(summary.weight_kg)
    limit = f" / {fmt.num(summary.max_weight_kg)}" if summary.max_weight_kg is not None else ""
    return tr(
        "rack.caption",
        status=tr(f"rack_status.{summary.status}"),
        free=summary.units_free,
        block=summary.largest_free_block,
        weight=f"{weight}{limit}",
        feeds=", ".join(elevation.feeds) or "–",
    )


def _legend(colour_by: str, colours: dict[str, str], tenant_names: dict[str, str]) -> None:
    if colour_by == "tenant":
        items = [(slug, colours[slug]) for slug in tenant_names]
    else:
        items = [
            (tr(f"status.{s}"), style.STATUS_COLOURS[s]) for s in ("active", "planned", "offline")
        ]
    items += [
        (tr("rack.legend_hold"), style.STATUS_COLOURS["held"]),
        (tr("rack.unusable"), style.STATUS_COLOURS["unusable"]),
    ]
    st.html(style.legend(items))


def show_detail(detail: OccupantDetail, colours: dict[str, str]) -> None:
    """The detail panel of a device or hold."""
    with st.container(border=True):
        kind = tr("rack.kind_device") if detail.kind == "device" else tr("rack.kind_hold")
        st.caption(kind)
        st.markdown(f"### {detail.key}")
        colour = colours.get(detail.tenant or "", style.GREY)
        if detail.tenant:
            st.html(
                style.pill(detail.tenant, colour)
                + f"&nbsp;<small>{style.esc(detail.tenant_name)}</small>"
            )
        units = f"U{detail.position}" + (
            f"–U{detail.position + detail.u_height - 1}" if detail.u_height > 1 else ""
        )
        depth = tr("rack.full_depth") if detail.full_depth else tr("rack.half_depth")
        lines = [
            (tr("rack.tt_status"), tr(f"status.{detail.status}")),
            (tr("rack.place"), f"{detail.rack} · {units} · {tr('rack.' + detail.face)} · {depth}"),
            (tr("rack.tt_model"), detail.model or "–"),
            (tr("rack.power"), fmt.watts(detail.power_w)),
            (tr("rack.weight"), f"{fmt.num(detail.weight_kg, 1)} kg"),
            (
                tr("rack.bandwidth"),
                f"{fmt.num(detail.bandwidth_mbps)} Mbps · {detail.uplink or '–'}",
            ),
        ]
        if detail.serial:
            lines.append((tr("rack.serial"), detail.serial))
        if detail.kind == "hold":
            lines.append((tr("rack.request"), detail.request_number or "–"))
            lines.append((tr("rack.expires"), fmt.day(detail.expires_at)))
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
        st.markdown(f"**{tr('rack.feeds')}**")
        if detail.feeds:
            st.table(
                pd.DataFrame(
                    [
                        {
                            tr("rack.feed"): share.feed,
                            "UPS": share.ups or "–",
                            tr("rack.normal"): fmt.watts(share.normal_w),
                            tr("rack.worst"): fmt.watts(share.worst_w),
                        }
                        for share in detail.feeds
                    ]
                ).set_index(tr("rack.feed"))
            )
        else:
            st.caption(tr("rack.no_feeds"))
        st.markdown(f"**{tr('rack.addresses')}**")
        st.markdown(
            "\n".join(
                f"- `{address}`" + (f" · {text}" if text else "")
                for address, text in detail.addresses
            )
            or tr("rack.none")
        )
        st.markdown(f"**{tr('rack.names')}**")
        st.markdown("\n".join(f"- {name}" for name in detail.names) or tr("rack.none"))


if __name__ == "__main__":
    render()
