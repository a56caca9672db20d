"""Ringkasan: how full the data center is and where it is heading, for the Kepala Bidang."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dcim.db import read_session
from dcim.models import Role
from dcim.snapshots import MAX_STORABLE, MIN_POINTS, MIN_SPAN_DAYS, TOTAL, Forecast, Point, forecast
from dcim_demo import inventory_is_empty, load_demo_as
from dcim_ui import auth, charts, data, fmt, registry, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import INTERNAL_ROLES, PageSpec

PAGE = PageSpec(
    key="ringkasan",
    icon=":material/monitoring:",
    section="overview",
    order=10,
    roles=INTERNAL_ROLES,
)
TOP_ITEMS = 15
TREND_DAYS = 365
# The trend chart carries a line to "penuh" only when it is this close; later dates are in the tiles.
PROJECTION_DAYS = 730


def forecast_text(result: Forecast) -> str:
    """The forecast in one plain sentence."""
    if result.state == "not_enough_history":
        return tr(
            "dashboard.fc_not_enough",
            points=result.points,
            days=result.days_of_history,
            min_points=MIN_POINTS,
            min_span=MIN_SPAN_DAYS,
        )
    if result.state == "growing":
        assert result.full_on is not None
        text = tr("dashboard.fc_full_on", date=fmt.day(result.full_on))
        if result.alert_on is not None:
            text += " " + tr("dashboard.fc_alert_on", date=fmt.day(result.alert_on))
        return text
    if result.state == "beyond":
        return tr("dashboard.fc_beyond", rate=fmt.pct(result.percent_per_30_days))
    return tr(f"dashboard.fc_{result.state}")


def _tile(
    label: str, total: dict[str, Any], unit: str, series: list[Point], extra: str = ""
) -> str:
    foot = forecast_text(forecast(series))
    if total["usable"] > MAX_STORABLE:
        foot = tr("dashboard.fc_vast")
    used = fmt.big(total["used"])
    usable = fmt.big(total["usable"])
    sub = tr("dashboard.used_of", used=used, usable=usable, unit=unit)
    if extra:
        sub = f"{sub} · {extra}"
    return style.tile(label, fmt.pct(total["percent"]), sub, total["percent"], foot)


def demo_offer() -> None:
    """On an empty inventory, an administrator may load the demo (it adds users, so no one else)."""
    ctx = current()
    if ctx.user is None or ctx.user.role != Role.ADMIN:
        return
    with read_session(ctx.engine) as session:
        if not inventory_is_empty(session):
            return
    with st.container(border=True):
        st.markdown(tr("first_run.demo_admin_only"))
        if not st.button(tr("first_run.load_demo"), type="primary", icon=":material/bolt:"):
            return
        with refusals() as outcome, st.spinner(tr("first_run.loading")):
            # The role is checked again by the service; the demo refuses on its own when the
            # inventory filled meanwhile.
            with read_session(ctx.engine) as session:
                admin = auth.actor(session)
            load_demo_as(ctx.engine, admin)
        if not outcome.refused:
            st.rerun()


def render() -> None:
    """Draw the page."""
    ctx = current()
    demo_offer()
    doc = data.utilization()
    series = data.total_series(ctx.today - dt.timedelta(days=TREND_DAYS))
    style.page_header(tr("pages.ringkasan"), tr("dashboard.subtitle", date=fmt.day(ctx.today)))
    totals = doc["totals"]

    runtimes = [u["runtime_min"] for u in doc["ups"] if u.get("runtime_min") is not None]
    runtime = tr("dashboard.runtime", minutes=fmt.num(min(runtimes))) if runtimes else ""
    cols = st.columns(4)
    tiles = [
        (tr("dashboard.space"), totals["space"], "U", ("space", TOTAL), ""),
        (tr("dashboard.power"), _kw(totals["power"]), "kW", ("power", TOTAL), ""),
        (tr("dashboard.ups"), _kw(totals["ups"]), "kW", ("ups", TOTAL), runtime),
        (tr("dashboard.bandwidth"), totals["bandwidth"], "Mbps", ("bandwidth", TOTAL), ""),
    ]
    for col, (label, total, unit, key, extra) in zip(cols, tiles, strict=True):
        col.html(_tile(label, total, unit, series.get(key, []), extra))

    second = [
        _tile(
            tr("dashboard.ip", role=role),
            total,
            tr("dashboard.addresses"),
            series.get(("ip", f"role:{role}"), []),
        )
        for role, total in totals["ip"].items()
    ]
    domain = totals["domain"]
    second.append(
        style.tile(
            tr("dashboard.domain"),
            fmt.num(domain["names"]),
            tr(
                "dashboard.domain_sub",
                zones=domain["zones"],
                records=domain["records"],
                held=domain["held_names"],
            ),
            None,
        )
    )
    for start in range(0, len(second), 4):
        st.write("")
        for col, html in zip(st.columns(4), second[start : start + 4], strict=False):
            col.html(html)

    user = ctx.user
    assert user is not None
    extra_tiles = registry.tiles_for(user.role)
    if extra_tiles:
        st.write("")
        for tile in extra_tiles:
            tile.render()

    st.write("")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(tr("dashboard.racks"))
        racks = [r for r in doc["racks"] if r["status"] == "active"]
        rows = []
        for rack in racks:
            usable = rack["u_height"] - rack["units_unusable"]
            percent = rack["units_used"] / usable * 100 if usable else 0.0
            rows.append(
                {
                    "name": rack["name"],
                    "percent": percent,
                    "text": f"{rack['units_used']}/{usable} U · {fmt.pct(percent)}",
                }
            )
        _bars(rows, tr("dashboard.rack"), tr("dashboard.percent_used"), "racks")
    with right:
        st.subheader(tr("dashboard.feeds"))
        rows = [
            {
                "name": feed["name"],
                "percent": feed["percent"],
                "text": f"{fmt.watts(feed['load_w'])} / {fmt.watts(feed['usable_w'])} · {fmt.pct(feed['percent'])}",
            }
            for feed in doc["feeds"]
        ]
        _bars(rows, tr("dashboard.feed"), tr("dashboard.percent_load"), "feeds")

    st.subheader(tr("dashboard.trends"))
    _trends(series)


def _kw(total: dict[str, Any]) -> dict[str, Any]:
    return {**total, "used": total["used"] / 1000, "usable": total["usable"] / 1000}


def _bars(rows: list[dict[str, Any]], label: str, value_title: str, key: str) -> None:
    if not rows:
        st.caption(tr("dashboard.nothing"))
        return
    rows.sort(key=lambda r: -r["percent"])
    shown = rows[:TOP_ITEMS]
    if len(rows) > TOP_ITEMS:
        st.caption(tr("dashboard.top", shown=len(shown), total=len(rows)))
    st.altair_chart(charts.usage_bars(shown, label=label, value_title=value_title), width="stretch")
    if len(rows) > TOP_ITEMS:
        with st.expander(tr("dashboard.all", total=len(rows))):
            st.dataframe(
                pd.DataFrame(
                    [{label: r["name"], value_title: fmt.pct(r["percent"])} for r in rows]
                ),
                hide_index=True,
                width="stretch",
                key=f"all_{key}",
            )


def _projections(
    series: dict[tuple[str, str], list[Point]], names: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    """The trend line carried from the last day to "penuh", for each series full within the horizon.

    Two points per series (today's value, 100 % on the forecast day); the
    second carries the label the chart writes at its end. A series full
    later than :data:`PROJECTION_DAYS` is left to its tile's sentence, so the
    chart's time axis stays readable.
    """
    rows = []
    for key, points in series.items():
        if key not in names or not points:
            continue
        result = forecast(points)
        last = points[-1]
        if result.state != "growing" or result.full_on is None or last.percent is None:
            continue
        if (result.full_on - last.day).days > PROJECTION_DAYS:
            continue
        label = tr("dashboard.full_label", date=fmt.day(result.full_on))
        rows.append(
            {
                "day": last.day.isoformat(),
                "series": names[key],
                "percent": round(last.percent, 2),
                "label": "",
            }
        )
        rows.append(
            {
                "day": result.full_on.isoformat(),
                "series": names[key],
                "percent": 100.0,
                "label": label,
            }
        )
    return rows


def _trends(series: dict[tuple[str, str], list[Point]]) -> None:
    names = {
        ("space", TOTAL): tr("dashboard.space"),
        ("power", TOTAL): tr("dashboard.power"),
        ("ups", TOTAL): tr("dashboard.ups"),
        ("bandwidth", TOTAL): tr("dashboard.bandwidth"),
    }
    for resource, scope in series:
        if resource == "ip":
            names[(resource, scope)] = tr("dashboard.ip", role=scope.removeprefix("role:"))
    rows = [
        {"day": point.day.isoformat(), "series": names[key], "percent": round(point.percent, 2)}
        for key, points in series.items()
        if key in names
        for point in points
        if point.percent is not None
    ]
    days = len({row["day"] for row in rows})
    if days < 2:
        st.info(tr("dashboard.trend_empty", days=days), icon=":material/timeline:")
        return
    frame = pd.DataFrame(rows)
    axis_day = alt.X("day:T", title=None, axis=alt.Axis(format="%d/%m/%y", labelAngle=0))
    lines = (
        alt.Chart(frame)
        .mark_line(point=False)
        .encode(
            x=axis_day,
            y=alt.Y(
                "percent:Q", title=tr("dashboard.percent_used"), scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["day:T", "series:N", alt.Tooltip("percent:Q", format=".1f")],
        )
    )
    levels = data.thresholds()
    marks = (
        alt.Chart(
            pd.DataFrame(
                {"y": [float(levels.warn), float(levels.alert)], "c": [style.AMBER, style.RED]}
            )
        )
        .mark_rule(strokeDash=[4, 3], opacity=0.7)
        .encode(y="y:Q", color=alt.Color("c:N", scale=None, legend=None))
    )
    layers = [lines, marks]
    projected = _projections(series, names)
    if projected:
        ahead = pd.DataFrame(projected)
        layers.append(
            alt.Chart(ahead)
            .mark_line(strokeDash=[6, 4])
            .encode(x=axis_day, y="percent:Q", color="series:N", detail="series:N")
        )
        ends = ahead[ahead["label"] != ""]
        layers.append(
            alt.Chart(ends)
            .mark_text(align="right", dx=-4, dy=-8, fontSize=11)
            .encode(x=axis_day, y="percent:Q", text="label:N", color="series:N")
        )
    st.altair_chart(alt.layer(*layers).properties(height=320), width="stretch")
    full = [row for row in projected if row["label"]]
    if full:
        st.markdown(
            " · ".join(f"**{style.md(r['series'])}**: {style.md(r['label'])}" for r in full)
        )
    st.caption(
        tr(
            "dashboard.trend_note",
            days=days,
            warn=fmt.pct(float(levels.warn)),
            alert=fmt.pct(float(levels.alert)),
            horizon=PROJECTION_DAYS // 30,
        )
    )


if __name__ == "__main__":
    render()
