"""Daya: the power chain from UPS to devices, loads against limits, and a failure simulation.

One notion of load runs through the page: the load the policy counts
(worst case under 2N — each device's full draw on every feed it uses,
because that is what one feed carries when its partner fails; even shares
under N). The cards, the table, the graph's colours and the simulation's
"before" all show it, and one set of thresholds (:mod:`dcim.thresholds`,
set by the administrator) colours all of them and writes the legend.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from dcim.db import write_session
from dcim.i18n import t
from dcim.models import Role
from dcim.powerchain import LOST, OK, FailureResult, PowerChain, simulate
from dcim.thresholds import Thresholds, set_thresholds
from dcim_ui import auth, charts, data, fmt, style
from dcim_ui.context import current, language, tr
from dcim_ui.feedback import refusals
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
    levels: Thresholds = data.thresholds()
    counted = _counted(doc)
    result = simulate(chain, feeds=lost_feeds, ups=lost_ups) if (lost_ups or lost_feeds) else None
    if result is not None:
        _simulation(result, counted, levels)

    st.subheader(tr("power.chain"))
    _graph(chain, result, counted, levels)
    _threshold_form(levels)


def _threshold_form(levels: Thresholds) -> None:
    """The administrator sets the warning and alert levels every load on every page is coloured by."""
    ctx = current()
    if ctx.user is None or ctx.user.role != Role.ADMIN:
        return
    with st.expander(tr("power.thresholds")), st.form("daya_thresholds", border=False):
        st.caption(tr("power.thresholds_hint"))
        c1, c2 = st.columns(2)
        warn = c1.number_input(
            t("thresholds.warn", language()),
            min_value=1.0,
            max_value=100.0,
            step=5.0,
            value=float(levels.warn),
            format="%.0f",
        )
        alert = c2.number_input(
            t("thresholds.alert", language()),
            min_value=1.0,
            max_value=100.0,
            step=5.0,
            value=float(levels.alert),
            format="%.0f",
        )
        if st.form_submit_button(tr("power.thresholds_save"), type="primary"):
            with refusals() as outcome, write_session(ctx.engine) as session:
                set_thresholds(session, auth.actor(session), warn, alert, language())
            if not outcome.refused:  # the new levels colour the page at once
                st.cache_data.clear()
                st.rerun()


def _counted(doc: dict[str, Any]) -> dict[tuple[str, str], float]:
    """The load the policy counts, per feed and UPS, by (kind, name): what the cards and table show."""
    loads = {("feed", f["name"]): float(f["load_w"]) for f in doc["feeds"]}
    loads.update({("ups", u["name"]): float(u["load_w"]) for u in doc["ups"]})
    return loads


def _state_label(state: str, levels: Thresholds) -> str:
    """A state's name; the two levels carry their threshold (``Waspada (≥60%)``)."""
    if state == "warn":
        return tr("power.state_warn", warn=fmt.pct(float(levels.warn)))
    if state == "alert":
        return tr("power.state_alert", alert=fmt.pct(float(levels.alert)))
    return tr(f"power.state_{state}")


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
                    tr(
                        "power.ups_sub",
                        load=fmt.watts(unit["load_w"]),
                        usable=fmt.watts(unit["usable_w"]),
                        normal=fmt.watts(unit["normal_w"]),
                    ),
                    unit["percent"],
                    runtime,
                )
            )


def _feed_table(doc: dict[str, Any], site: str | None) -> None:
    levels: Thresholds = data.thresholds()
    # Numbers are formatted here, the app's way (2.944 in Indonesian), not by the browser's
    # locale: a dataframe's own number formatting follows the browser.
    rows = [
        {
            tr("power.feed"): feed["name"],
            tr("power.rack"): feed["rack"] or "–",
            "UPS": feed["ups"] or "–",
            tr("power.normal"): fmt.num(feed["normal_w"]),
            tr("power.worst"): fmt.num(feed["worst_case_w"]),
            tr("power.usable"): fmt.num(feed["usable_w"]),
            tr("power.rated"): fmt.num(feed["rated_w"]),
            tr("power.percent"): fmt.pct(feed["percent"]),
            tr("power.state"): _state_label(levels.level(feed["percent"]) or "ok", levels),
        }
        for feed in doc["feeds"]
        if site is None or feed["site"] == site
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("power.feed_note", redundancy=doc.get("redundancy", "2N")))


def _after_state(state: str, after: Fraction, usable: Fraction, levels: Thresholds) -> str:
    """Lost, tripped or over the limit as simulated; otherwise the threshold level of the load."""
    if state != OK:
        return state
    return levels.level(_percent(after, usable)) or "ok"


def _simulation(
    result: FailureResult, counted: dict[tuple[str, str], float], levels: Thresholds
) -> None:
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
                    {
                        tr("power.name"): c.name,
                        tr("power.kind"): tr(f"power.kind_{c.kind}"),
                        tr("power.rack"): c.rack,
                        tr("rack.tenant"): c.tenant or "–",
                        tr("power.draw"): fmt.watts(c.power_w),
                        tr("power.plugged"): ", ".join(c.feeds),
                    }
                    for c in dark
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if over_feeds or over_ups:
        st.warning(tr("power.over_title"), icon=":material/warning:")
    changed = [f for f in result.feeds if f.state != OK or f.after_w != f.before_w]
    # "Before" is the load the policy counts (as the table above), so that a feed at 93,4 % there
    # does not start lower here.
    if changed:
        st.markdown(f"**{tr('power.feeds_after')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("power.feed"): f.name,
                        "UPS": f.ups or "–",
                        tr("power.before"): fmt.num(counted.get(("feed", f.name), f.before_w)),
                        tr("power.after"): fmt.num(f.after_w),
                        tr("power.usable"): fmt.num(f.usable_w),
                        tr("power.rated"): fmt.num(f.rated_w),
                        tr("power.percent"): fmt.pct(_percent(f.after_w, f.usable_w)),
                        tr("power.state"): _state_label(
                            _after_state(f.state, f.after_w, f.usable_w, levels), levels
                        ),
                    }
                    for f in changed
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    st.markdown(f"**{tr('power.ups_after')}**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "UPS": u.name,
                    tr("power.before"): fmt.num(counted.get(("ups", u.name), u.before_w)),
                    tr("power.after"): fmt.num(u.after_w),
                    tr("power.usable"): fmt.num(u.usable_w),
                    tr("power.percent"): fmt.pct(_percent(u.after_w, u.usable_w)),
                    tr("power.runtime_after"): tr(
                        "power.minutes", minutes=fmt.num(u.runtime_after_min)
                    )
                    if u.runtime_after_min
                    else "–",
                    tr("power.state"): _state_label(
                        _after_state(u.state, u.after_w, u.usable_w, levels), levels
                    ),
                }
                for u in result.ups
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def _graph(
    chain: PowerChain,
    result: FailureResult | None,
    counted: dict[tuple[str, str], float],
    levels: Thresholds,
) -> None:
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
    # Coloured by the counted load, as the cards and the table: not by the even shares.
    for name, feed in shown.feeds.items():
        load = Fraction(counted.get(("feed", name), 0.0))
        states[("feed", name)] = _after_state(OK, load, feed.usable_w, levels)
    for name, unit in shown.ups.items():
        load = Fraction(counted.get(("ups", name), 0.0))
        states[("ups", name)] = _after_state(OK, load, unit.usable_w, levels)
    if result is not None:
        for feed in result.feeds:
            states[("feed", feed.name)] = (
                "lost"
                if feed.state == LOST
                else _after_state(feed.state, feed.after_w, feed.usable_w, levels)
            )
        for unit in result.ups:
            states[("ups", unit.name)] = (
                "lost"
                if unit.state == LOST
                else _after_state(unit.state, unit.after_w, unit.usable_w, levels)
            )
        for consumer in result.dark:
            states[(consumer.kind, consumer.name)] = "dark"
    labels = {
        "kind_ups": "UPS",
        "kind_feed": tr("power.feed"),
        "kind_rack": tr("power.rack"),
        "kind_device": tr("power.kind_device"),
        "kind_hold": tr("power.kind_hold"),
        "kind_group": tr("power.kind_device"),
        "col_0": "UPS",
        "col_1": tr("power.feeds"),
        "col_2": tr("power.racks"),
        "col_3": tr("power.devices"),
        "tt_kind": tr("power.kind"),
        "tt_name": tr("power.name"),
        "tt_state": tr("power.state"),
    }
    for state in ("ok", "warn", "alert", "over_limit", "tripped", "lost", "dark"):
        labels[f"state_{state}"] = _state_label(state, levels)
    st.altair_chart(charts.power_graph(graph, states, labels), width="stretch")
    st.html(
        style.legend(
            [
                (labels["state_ok"], style.GREEN),
                (labels["state_warn"], style.AMBER),
                (labels["state_alert"], style.RED),
                (labels["state_over_limit"], "#8e1b19"),
                (labels["state_dark"], "#111827"),
            ]
        )
    )


if __name__ == "__main__":
    render()
