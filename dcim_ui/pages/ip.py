"""IP: prefixes by role with their utilization, an address map per prefix, free ranges, search."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dcim import ipmap
from dcim_ui import data, fmt, style
from dcim_ui.context import tr
from dcim_ui.registry import INTERNAL_ROLES, PageSpec

PAGE = PageSpec(
    key="ip", icon=":material/lan:", section="infrastructure", order=30, roles=INTERNAL_ROLES
)

CELL_COLOURS = {
    ipmap.USED: ("#2364aa", "#ffffff"),
    ipmap.HELD: ("#e0a100", "#1c2634"),
    ipmap.FREE: ("#eef7f1", "#1e6b45"),
    ipmap.RESERVED: ("#d9dee7", "#3b4656"),
    ipmap.GATEWAY: ("#6d597a", "#ffffff"),
    ipmap.NETWORK: ("#3b4656", "#ffffff"),
    ipmap.BROADCAST: ("#3b4656", "#ffffff"),
    ipmap.ANYCAST: ("#3b4656", "#ffffff"),
}


def render() -> None:
    """Draw the page."""
    style.page_header(tr("pages.ip"), tr("ip.subtitle"))
    doc = data.utilization()
    prefixes = doc["prefixes"]
    if not prefixes:
        st.info(tr("ip.empty"))
        return
    rows = [
        {
            tr("ip.prefix"): p["prefix"],
            tr("ip.role"): p["role"],
            tr("ip.site"): p["site"] or "–",
            "VLAN": p["vlan"] if p.get("vlan") is not None else None,
            tr("ip.usable"): fmt.big(p["usable"]),
            tr("ip.used"): fmt.big(p["used"]),
            tr("ip.free"): fmt.big(p["free"]),
            # Formatted here: the dataframe would format numbers by the browser's locale.
            tr("ip.percent"): fmt.pct(p["percent"]),
        }
        for p in prefixes
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={"VLAN": st.column_config.NumberColumn(format="%d")},
    )

    search = st.text_input(
        tr("ip.search"), placeholder=tr("ip.search_hint"), key="ip_search", icon=":material/search:"
    )
    if search.strip():
        hits = data.ip_search(search)
        if not hits:
            st.info(tr("ip.no_hits"))
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            tr("ip.address"): h.address,
                            tr("ip.prefix"): h.prefix,
                            tr("ip.role"): h.role,
                            tr("ip.state"): tr(f"ip.state_{h.state}"),
                            tr("ip.device"): h.device or "–",
                            tr("rack.tenant"): h.tenant or "–",
                            tr("ip.hold"): h.hold or "–",
                            tr("ip.description"): h.description or "",
                        }
                        for h in hits
                    ]
                ),
                hide_index=True,
                width="stretch",
            )

    st.subheader(tr("ip.map"))
    names = [p["prefix"] for p in prefixes]
    chosen = st.selectbox(
        tr("ip.prefix"),
        names,
        format_func=lambda n: f"{n} · {next(p['role'] for p in prefixes if p['prefix'] == n)}",
        key="ip_prefix",
    )
    window = 0
    first_map, _ = data.address_map(chosen, 0)
    if first_map.windows > 1:
        window = (
            int(
                st.number_input(
                    tr("ip.window", count=fmt.big(first_map.windows)),
                    min_value=1,
                    max_value=min(first_map.windows, 2**53),
                    value=1,
                    step=1,
                    key=f"ip_window_{chosen}",
                )
            )
            - 1
        )
    amap, free = data.address_map(chosen, window)
    left, right = st.columns([3, 1], gap="large")
    with left:
        meta = [
            f"{tr('ip.role')}: {amap.role}",
            f"{tr('ip.site')}: {amap.site or '–'}",
            f"VLAN: {amap.vlan or '–'}",
            f"{tr('ip.gateway')}: {amap.gateway or '–'}",
        ]
        if amap.is_pool:
            meta.append(tr("ip.pool"))
        st.caption(" · ".join(meta))
        st.html(_grid(amap))
        st.html(
            style.legend(
                [
                    (tr(f"ip.state_{state}"), colours[0])
                    for state, colours in CELL_COLOURS.items()
                    if state not in (ipmap.BROADCAST, ipmap.ANYCAST)
                ]
            )
        )
    with right:
        st.markdown(f"**{tr('ip.free_ranges')}**")
        if not free:
            st.caption(tr("ip.no_free"))
        for item in free[:25]:
            span = item.first if item.count == 1 else f"{item.first} – {item.last}"
            st.markdown(f"- `{span}` ({fmt.big(item.count)})")
        if len(free) > 25:
            st.caption(tr("ip.more_free", count=len(free) - 25))


def _grid(amap: ipmap.AddressMap) -> str:
    cells = []
    for cell in amap.cells:
        background, colour = CELL_COLOURS[cell.state]
        last = (
            cell.address.rsplit(".", 1)[-1]
            if ":" not in cell.address
            else cell.address.rsplit(":", 1)[-1]
        )
        title = [cell.address, tr(f"ip.state_{cell.state}")]
        title += [part for part in (cell.device, cell.tenant, cell.hold, cell.description) if part]
        cells.append(
            f'<div title="{style.esc(" · ".join(title))}" '
            f'style="background:{background};color:{colour}">{style.esc(last or "0")}</div>'
        )
    return f'<div class="dcim-ipgrid">{"".join(cells)}</div>'


if __name__ == "__main__":
    render()
