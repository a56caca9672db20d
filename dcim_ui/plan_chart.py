"""The purchase timeline of a plan, drawn against the utilization history and its forecast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from dcim.snapshots import Point, forecast

# The resources whose growth the purchases answer, in the order of the legend.
RESOURCES = ("space", "power", "ups", "bandwidth")


def utilization_frame(
    series: Mapping[tuple[str, str], Sequence[Point]], labels: Mapping[str, str], until: dt.date
) -> pd.DataFrame:
    """History (solid) and linear forecast (dashed) per resource, in percent, up to ``until``."""
    rows: list[dict[str, Any]] = []
    for resource in RESOURCES:
        points = [p for p in series.get((resource, "total"), []) if p.percent is not None]
        if not points:
            continue
        label = labels.get(resource, resource)
        rows += [
            {"day": p.day, "percent": p.percent, "resource": label, "kind": "history"}
            for p in points
        ]
        trend = forecast(list(points))
        if trend.percent_per_30_days is not None and until > points[-1].day:
            last = points[-1]
            days = (until - last.day).days
            future = min(100.0, (last.percent or 0) + trend.percent_per_30_days * days / 30)
            rows += [
                {"day": last.day, "percent": last.percent, "resource": label, "kind": "forecast"},
                {"day": until, "percent": future, "resource": label, "kind": "forecast"},
            ]
    return pd.DataFrame(rows, columns=["day", "percent", "resource", "kind"])


def purchase_frame(purchases: Sequence[Any]) -> pd.DataFrame:
    """One row per purchase: order-by and needed-on dates, price, what it is."""
    return pd.DataFrame(
        [
            {
                "item": p.item_id,
                "order_by": p.order_by,
                "needed_on": p.needed_on,
                "price": p.price_idr,
                "late": p.late,
            }
            for p in purchases
        ],
        columns=["item", "order_by", "needed_on", "price", "late"],
    )


def timeline_chart(
    utilization: pd.DataFrame, purchases: pd.DataFrame, titles: Mapping[str, str]
) -> alt.LayerChart:
    """Lines of utilization (history solid, forecast dashed) and a bar per purchase from its
    order-by date to the date it is needed, labelled with the item."""
    layers: list[alt.Chart] = []
    if not utilization.empty:
        layers.append(
            alt.Chart(utilization)
            .mark_line(point=False)
            .encode(
                x=alt.X("day:T", title=titles["date"]),
                y=alt.Y("percent:Q", title=titles["percent"], scale=alt.Scale(domain=[0, 110])),
                color=alt.Color("resource:N", title=titles["resource"]),
                strokeDash=alt.StrokeDash(
                    "kind:N",
                    title=titles["kind"],
                    scale=alt.Scale(domain=["history", "forecast"], range=[[1, 0], [6, 4]]),
                ),
            )
        )
    if not purchases.empty:
        frame = purchases.assign(row=[100 - 6 * i for i in range(len(purchases))])
        base = alt.Chart(frame)
        layers.append(
            base.mark_rule(strokeWidth=6, opacity=0.55, color="#b5121b").encode(
                x="order_by:T",
                x2="needed_on:T",
                y=alt.Y("row:Q"),
                tooltip=[
                    alt.Tooltip("item:N", title=titles["item"]),
                    alt.Tooltip("order_by:T", title=titles["order_by"]),
                    alt.Tooltip("needed_on:T", title=titles["needed_on"]),
                    alt.Tooltip("price:Q", title=titles["price"], format=",.0f"),
                ],
            )
        )
        layers.append(
            base.mark_text(align="left", dx=4, dy=-8, fontSize=11).encode(
                x="order_by:T", y="row:Q", text="item:N"
            )
        )
    return alt.layer(*layers).properties(height=360)
