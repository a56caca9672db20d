"""Daya: the power chain from UPS to devices, loads against limits, and a failure simulation."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from dcim.powerchain import LOST, OK, FailureResult, PowerChain, simulate
from dcim_ui import charts, data, fmt, style
from dcim_ui.context import tr
from dcim_ui.registry import INTERNAL_ROLES, PageSpec

PAGE = PageSpec(
    key="daya", icon=":material/bolt:", section="infrastructure", order=20, roles=INTERNAL_ROLES
)
# Above this many devices the graph groups them per rack, so it stays readable.
GRAPH_DEVICE_LIMIT = 60
GRAPH_ALL_UPS = 4


def _percent(load: Fraction, usable: Fraction) -> float:
    return float(load / usable * 100) if usable else 0.0


def render() -> None:
    """Draw the page."""
    style.page_header(tr("pages.daya"), tr("power.subtitle"))
    site_options = data.sites()
    site = None
    if len(site_options) > 1:
        site = st.selectbox(
            tr("rack.site"), [slug for slug, _ in site_options], format_func=dict(site_options).get
        )
    chain: PowerChain = data.power_chain(site)
    doc = data.utilization()
    if not chain.feeds:
        st.info(tr("power.empty"))
        return

    _ups_cards(doc, site)
    st.subheader(tr("power.feeds"))
    _feed_table(doc, site)

    st.subheader(tr("power.simulation"))
    st.caption(tr("power.simulation_hint"))
    c1, c2 = st.columns(2)
    lost_ups = c1.multiselect(
        tr("power.lose_ups"), list(chain.ups), key="daya_lose_ups", placeholder=tr("common.choose")
    )
    lost_feeds = c2.multiselect(
        tr("power.lose_feeds"),
        list(chain.feeds),
        key="daya_lose_feeds",
        placeholder=tr("common.choose"),
    )
    result = simulate(chain, feeds=lost_feeds, ups=lost_ups) if (lost_ups or lost_feeds) else None
    if result is not None:
        _simulation(result)

    st.subheader(tr("power.chain"))
    _graph(chain, result)


def _ups_cards(doc: dict[str, Any], site: str | None) -> None:
    units = [u for u in doc["ups"] if site is None or u["site"] == site]
    if not units:
        return
    for start in range(0, len(units), 4):
        for col, unit in zip(st.columns(4), units[start : start + 4], strict=False):
            runtime = (
                tr("power.runtime", minutes=fmt.num(unit["runtime_min"]))
                if unit.get("runtime_min") is not None
                else tr("power.no_runtime")
            )
            col.html(
                style.tile(
                    unit["name"],
                    fmt.pct(unit["percent"]),
                    tr("power.ups_sub", load=fmt.watts(unit["load_w"]), usable=fmt.watts(unit["usable_w"]),
                       normal=fmt.watts(unit["normal_w"])),
                    unit["percent"],
                    runtime,
                )
            )  # fmt: skip


def _feed_table(doc: dict[str, Any], site: str | None) -> None:
    rows = [
        {
            tr("power.feed"): feed["name"],
            tr("power.rack"): feed["rack"] or "–",
            "UPS": feed["ups"] or "–",
            tr("power.normal"): round(feed["normal_w"]),
            tr("power.worst"): round(feed["worst_case_w"]),
            tr("power.usable"): round(feed["usable_w"]),
            tr("power.rated"): round(feed["rated_w"]),
            tr("power.percent"): feed["percent"],
        }
        for feed in doc["feeds"]
        if site is None or feed["site"] == site
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            tr("power.percent"): st.column_config.ProgressColumn(
                tr("power.percent"), min_value=0, max_value=100, format="localized"
            ),
            tr("power.normal"): st.column_config.NumberColumn(format="localized"),
            tr("power.worst"): st.column_config.NumberColumn(format="localized"),
            tr("power.usable"): st.column_config.NumberColumn(format="localized"),
            tr("power.rated"): st.column_config.NumberColumn(format="localized"),
        },
    )
    st.caption(tr("power.feed_note", redundancy=doc.get("redundancy", "2N")))


def _simulation(result: FailureResult) -> None:
    dark = result.dark
    over_feeds = result.overloaded_feeds
    over_ups = result.overloaded_ups
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("power.dark_count"), len(dark), border=True)
    c2.metric(tr("power.over_feeds"), len(over_feeds), border=True)
    c3.metric(tr("power.over_ups"), len(over_ups), border=True)
    if not dark and not over_feeds and not over_ups:
        st.success(tr("power.survives"), icon=":material/verified:")
    if dark:
        st.error(tr("power.dark_title"), icon=":material/power_off:")
        st.dataframe(
            pd.DataFrame(
                [
                    {tr("power.name"): c.name, tr("power.kind"): tr(f"power.kind_{c.kind}"),
                     tr("power.rack"): c.rack, tr("rack.tenant"): c.tenant or "–",
                     tr("power.draw"): fmt.watts(c.power_w), tr("power.plugged"): ", ".join(c.feeds)}
                    for c in dark
                ]
            ),
            hide_index=True,
            width="stretch",
        )  # fmt: skip
    if over_feeds or over_ups:
        st.warning(tr("power.over_title"), icon=":material/warning:")
    changed = [f for f in result.feeds if f.state != OK or f.after_w != f.before_w]
    if changed:
        st.markdown(f"**{tr('power.feeds_after')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {tr("power.feed"): f.name, "UPS": f.ups or "–",
                     tr("power.before"): fmt.num(f.before_w), tr("power.after"): fmt.num(f.after_w),
                     tr("power.usable"): fmt.num(f.usable_w), tr("power.rated"): fmt.num(f.rated_w),
                     tr("power.percent"): fmt.pct(_percent(f.after_w, f.usable_w)),
                     tr("power.state"): tr(f"power.state_{f.state}")}
                    for f in changed
                ]
            ),
            hide_index=True,
            width="stretch",
        )  # fmt: skip
    st.markdown(f"**{tr('power.ups_after')}**")
    st.dataframe(
        pd.DataFrame(
            [
                {"UPS": u.name, tr("power.before"): fmt.num(u.before_w),
                 tr("power.after"): fmt.num(u.after_w), tr("power.usable"): fmt.num(u.usable_w),
                 tr("power.percent"): fmt.pct(_percent(u.after_w, u.usable_w)),
                 tr("power.runtime_after"): tr("power.minutes", minutes=fmt.num(u.runtime_after_min)) if u.runtime_after_min else "–",
                 tr("power.state"): tr(f"power.state_{u.state}")}
                for u in result.ups
            ]
        ),
        hide_index=True,
        width="stretch",
    )  # fmt: skip


def _graph(chain: PowerChain, result: FailureResult | None) -> None:
    shown = chain
    grouped = len(chain.consumers) > GRAPH_DEVICE_LIMIT
    if len(chain.ups) > 1:
        # A large room is drawn one UPS at a time unless asked otherwise.
        first = 0 if len(chain.ups) <= GRAPH_ALL_UPS else 1
        pick = st.selectbox(
            tr("power.graph_ups"),
            [None, *chain.ups],
            index=first,
            format_func=lambda u: tr("rack.all") if u is None else u,
        )
        if pick is not None:
            feeds = {n: f for n, f in chain.feeds.items() if f.ups == pick}
            shown = PowerChain(
                ups={pick: chain.ups[pick]},
                feeds=feeds,
                consumers=[c for c in chain.consumers if any(f in feeds for f in c.feeds)],
            )
            grouped = len(shown.consumers) > GRAPH_DEVICE_LIMIT
    graph = shown.graph(consumers=not grouped)
    if grouped:
        counts: dict[str, int] = {}
        for consumer in shown.consumers:
            counts[consumer.rack] = counts.get(consumer.rack, 0) + 1
        for rack, count in counts.items():
            node = ("group", rack)
            graph.add_node(node, layer=3, label=tr("power.devices_in", count=count))
            graph.add_edge(("rack", rack), node)
        st.caption(tr("power.grouped", limit=GRAPH_DEVICE_LIMIT))
    states: dict[tuple[str, str], str] = {}
    feed_loads, ups_loads = shown.normal_loads()
    for name, feed in shown.feeds.items():
        states[("feed", name)] = _level(_percent(feed_loads.get(name, Fraction(0)), feed.usable_w))
    for name, unit in shown.ups.items():
        states[("ups", name)] = _level(_percent(ups_loads.get(name, Fraction(0)), unit.usable_w))
    if result is not None:
        for feed in result.feeds:
            states[("feed", feed.name)] = (
                "lost"
                if feed.state == LOST
                else (
                    feed.state
                    if feed.state != OK
                    else _level(_percent(feed.after_w, feed.usable_w))
                )
            )
        for unit in result.ups:
            states[("ups", unit.name)] = (
                "lost"
                if unit.state == LOST
                else (
                    unit.state
                    if unit.state != OK
                    else _level(_percent(unit.after_w, unit.usable_w))
                )
            )
        for consumer in result.dark:
            states[(consumer.kind, consumer.name)] = "dark"
    labels = {
        "kind_ups": "UPS", "kind_feed": tr("power.feed"), "kind_rack": tr("power.rack"),
        "kind_device": tr("power.kind_device"), "kind_hold": tr("power.kind_hold"), "kind_group": tr("power.kind_device"),
        "col_0": "UPS", "col_1": tr("power.feeds"), "col_2": tr("power.racks"), "col_3": tr("power.devices"),
        "tt_kind": tr("power.kind"), "tt_name": tr("power.name"), "tt_state": tr("power.state"),
    }  # fmt: skip
    for state in ("ok", "warn", "over_limit", "tripped", "lost", "dark"):
        labels[f"state_{state}"] = tr(f"power.state_{state}")
    st.altair_chart(charts.power_graph(graph, states, labels), width="stretch")
    st.html(
        style.legend(
            [(tr("power.state_ok"), style.GREEN), (tr("power.state_warn"), style.AMBER),
             (tr("power.state_over_limit"), style.RED), (tr("power.state_dark"), "#111827")]
        )
    )  # fmt: skip


def _level(percent: float) -> str:
    if percent >= style.ALERT_AT:
        return "over_limit" if percent > 100 else "warn"
    if percent >= style.WARN_AT:
        return "warn"
    return "ok"


if __name__ == "__main__":
    render()
