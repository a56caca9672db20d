"""Altair charts of the app: rack elevations, utilization bars, trends and the power chain.

Charts take plain data from the services and return Altair charts; the
pages decide where to show them. A rack elevation, drawn six at a time, is
returned as its Vega-Lite spec instead (:func:`elevation_chart` says why).
Colours come from :mod:`ui.style` so that the same tenant has the same colour
in every rack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from dcim.elevations import Elevation, Occupant

from . import fmt, style
from .context import tr
from .data import thresholds as data_thresholds

UNIT_PX = 15
CHART_PX = 250
# A face is a little under 100 px wide at CHART_PX; labels are cut to fit inside it.
LABEL_PX = 90
FACE_X = {"front": (0.0, 1.0), "rear": (1.18, 2.18)}
PICK = "pick"


def elevation_labels() -> dict[str, str]:
    """Words the elevation chart writes, in the session's language."""
    names = {key: tr(f"rack.{key}") for key in ("front", "rear", "unusable", "held", "expires")}
    names["free"] = tr("rack.free_block")
    for key in ("name", "units", "face", "tenant", "status", "model"):
        names[f"tt_{key}"] = tr(f"rack.tt_{key}")
    for status in ("active", "planned", "offline", "held", "unusable"):
        names[f"status_{status}"] = tr(f"status.{status}")
    return names


def tenant_colours(slugs: Sequence[str]) -> dict[str, str]:
    """A colour per tenant slug, stable for a given list of tenants."""
    palette = style.TENANT_PALETTE
    return {slug: palette[i % len(palette)] for i, slug in enumerate(sorted(slugs))}


def _fill(occ: Occupant, colour_by: str, colours: Mapping[str, str]) -> str:
    if occ.kind == "unusable":
        return style.STATUS_COLOURS["unusable"]
    if occ.kind == "proposal":
        return "#ff5a1f"
    if colour_by == "tenant":
        return colours.get(occ.tenant or "", style.GREY)
    return style.STATUS_COLOURS.get(occ.status, style.GREY)


def elevation_chart(
    elevation: Elevation,
    *,
    colour_by: str,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    extra: Sequence[Occupant] = (),
    selectable: bool = True,
) -> dict[str, Any]:
    """One rack, front and rear side by side, unit 1 at the bottom, as a Vega-Lite spec for
    ``st.vega_lite_chart``.

    ``labels`` names the faces and states (``front``, ``rear``, ``free``,
    ``unusable``, ``held``, ``expires``); ``extra`` adds occupants that are
    not in the inventory (the capacity check's proposal).

    The Rak page draws six of these at every rerun, and drawn as Altair charts they took
    most of its two seconds: ``st.altair_chart`` checks the whole spec against the
    Vega-Lite schema each time, Altair sanitises and converts a data frame per layer, and a
    channel written as a ``"field:type"`` string is looked up by hashing the schema's every
    class. So the layers read named datasets attached to the spec as plain rows, channels
    are objects, and the spec is not checked here: ``tests/ui/test_charts.py`` checks it
    against the schema for every kind of occupant.
    """
    u = elevation.u_height
    blocks: list[dict[str, Any]] = []
    hatch: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for occ in [*elevation.occupants, *extra]:
        for face in occ.faces:
            x0, x1 = FACE_X[face]
            fill = _fill(occ, colour_by, colours)
            detail = occ.model or ""
            if occ.kind == "hold":
                request = f" {occ.request_number}" if occ.request_number else ""
                until = fmt.day(occ.expires_at, "medium") if occ.expires_at else ""
                detail = f"{labels['held']}{request} · {labels['expires']} {until}"
            elif occ.kind == "unusable":
                detail = labels["unusable"]
            blocks.append(
                {
                    "x": x0,
                    "x2": x1,
                    "y": occ.position - 1,
                    "y2": occ.top,
                    "fill": fill,
                    "key": occ.key,
                    "kind": occ.kind,
                    "face": labels[face],
                    "name": labels["unusable"] if occ.kind == "unusable" else occ.key,
                    "units": f"U{occ.position}" + (f"–U{occ.top}" if occ.u_height > 1 else ""),
                    "tenant": occ.tenant_name or occ.tenant or "–",
                    "status": labels.get(f"status_{occ.status}", occ.status),
                    "model": detail or "–",
                    "opacity": 1.0 if face == occ.face or occ.kind == "unusable" else 0.55,
                }
            )
            if occ.kind in ("hold", "unusable", "proposal"):
                step = 0.125
                for unit in range(occ.position - 1, occ.top):
                    for i in range(int((x1 - x0) / step)):
                        hatch.append(
                            {
                                "x": x0 + i * step,
                                "x2": x0 + (i + 1) * step,
                                "y": unit,
                                "y2": unit + 1,
                            }
                        )
            if face == occ.face or (occ.kind == "unusable" and face == "front"):
                label = occ.key if occ.kind != "unusable" else labels["unusable"]
                if occ.u_height >= 2 and occ.kind == "hold" and occ.expires_at:
                    label = f"{occ.key}\n{labels['expires']} {fmt.day(occ.expires_at, 'medium')}"
                elif occ.u_height >= 2 and occ.kind != "unusable" and occ.model:
                    label = f"{occ.key}\n{occ.model}"
                # Two-line labels start half a unit higher so that both lines sit inside the block.
                middle = occ.position - 1 + occ.u_height / 2 + (0.45 if "\n" in label else 0)
                texts.append({"x": x0 + 0.04, "y": middle, "text": label, "key": occ.key})
    for face, face_blocks in elevation.free_blocks.items():
        x0, x1 = FACE_X[face]
        for start, length in face_blocks:
            if length >= 2:
                texts.append(
                    {
                        "x": (x0 + x1) / 2 - 0.3,
                        "y": start - 1 + length / 2,
                        "text": labels["free"].format(units=length),
                        "key": "",
                        "free": True,
                    }
                )
    datasets: dict[str, list[dict[str, Any]]] = {
        "frame": [
            {"x": x0, "x2": x1, "y": 0, "y2": u, "face": labels[f]}
            for f, (x0, x1) in FACE_X.items()
        ],
        "grid": [
            {"x": x0, "x2": x1, "y": unit} for x0, x1 in FACE_X.values() for unit in range(1, u)
        ],
        "numbers": [{"x": -0.05, "y": unit - 0.5, "text": str(unit)} for unit in range(1, u + 1)],
        "heads": [
            {"x": (x0 + x1) / 2, "y": u + 0.9, "text": labels[f]} for f, (x0, x1) in FACE_X.items()
        ],
        "blocks": blocks,
        "hatch": hatch,
        "labels": [t for t in texts if not t.get("free")],
        "free": [t for t in texts if t.get("free")],
    }

    x_scale = alt.Scale(domain=[-0.35, 2.2], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, u + 1.6], nice=False, zero=True)
    x = alt.X("x:Q", scale=x_scale, axis=None)
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    x2, y2, text = alt.X2("x2:Q"), alt.Y2("y2:Q"), alt.Text("text:N")

    base_layer = (
        alt.Chart(alt.NamedData(name="frame"))
        .mark_rect(fill="#fbfcfe", stroke="#2c3440", strokeWidth=1.5)
        .encode(x=x, x2=x2, y=y, y2=y2)
    )
    grid_layer = (
        alt.Chart(alt.NamedData(name="grid"))
        .mark_rule(stroke="#e6e9ef", strokeWidth=0.6)
        .encode(x=x, x2=x2, y=y)
    )
    number_layer = (
        alt.Chart(alt.NamedData(name="numbers"))
        .mark_text(align="right", baseline="middle", fontSize=8, color="#7b8594")
        .encode(x=x, y=y, text=text)
    )
    head_layer = (
        alt.Chart(alt.NamedData(name="heads"))
        .mark_text(fontSize=11, fontWeight="bold", color="#2c3440")
        .encode(x=x, y=y, text=text)
    )
    layers: list[alt.Chart] = [base_layer, grid_layer, number_layer, head_layer]
    tooltip = [
        alt.Tooltip("name:N", title=labels["tt_name"]),
        alt.Tooltip("units:N", title=labels["tt_units"]),
        alt.Tooltip("face:N", title=labels["tt_face"]),
        alt.Tooltip("tenant:N", title=labels["tt_tenant"]),
        alt.Tooltip("status:N", title=labels["tt_status"]),
        alt.Tooltip("model:N", title=labels["tt_model"]),
    ]
    block_layer = (
        alt.Chart(alt.NamedData(name="blocks"))
        .mark_rect(stroke="#ffffff", strokeWidth=1, cursor="pointer")
        .encode(
            x=x,
            x2=x2,
            y=y,
            y2=y2,
            color=alt.Color("fill:N", scale=None, legend=None),
            opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
            tooltip=tooltip,
        )
    )
    if selectable:
        pick = alt.selection_point(fields=["kind", "key"], name=PICK, on="click", empty=False)
        picked = {"param": PICK, "empty": False}
        block_layer = block_layer.add_params(pick).encode(
            strokeWidth=alt.StrokeWidthValue(1, condition={**picked, "value": 3}),
            stroke=alt.StrokeValue("#ffffff", condition={**picked, "value": "#111827"}),
        )
    layers.append(block_layer)
    if hatch:
        layers.append(
            alt.Chart(alt.NamedData(name="hatch"))
            .mark_rule(stroke="#ffffff", strokeWidth=1.1, opacity=0.75)
            .encode(x=x, x2=x2, y=y, y2=y2)
        )
    if texts:
        layers.append(
            alt.Chart(alt.NamedData(name="labels"))
            .mark_text(
                align="left",
                baseline="middle",
                fontSize=9,
                color="#ffffff",
                fontWeight=600,
                lineBreak="\n",
                limit=LABEL_PX,
            )
            .encode(x=x, y=y, text=text)
        )
        layers.append(
            alt.Chart(alt.NamedData(name="free"))
            .mark_text(
                align="left", baseline="middle", fontSize=9, color="#9aa3af", fontStyle="italic"
            )
            .encode(x=x, y=y, text=text)
        )
    spec: dict[str, Any] = (
        alt.layer(*layers)
        .properties(
            width=CHART_PX,
            height=int((u + 1.6) * UNIT_PX),
            title=alt.TitleParams(elevation.name, anchor="middle", fontSize=14),
        )
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )
    spec["datasets"] = datasets
    return spec


def rack_chart(
    elevation: Elevation, tenants: Sequence[str], extra: Sequence[Occupant] = ()
) -> dict[str, Any]:
    """One rack coloured by tenant (``tenants`` are every tenant's slug), to show a placement.

    Nothing in it can be picked; ``extra`` adds occupants not in the inventory.
    """
    return elevation_chart(
        elevation,
        colour_by="tenant",
        colours=tenant_colours(tenants),
        labels=elevation_labels(),
        extra=extra,
        selectable=False,
    )


def usage_bars(
    rows: Sequence[Mapping[str, Any]], *, label: str, value_title: str, height_per_row: int = 26
) -> alt.Chart:
    """Horizontal bars of percent used, coloured by the office's thresholds (60/80 % by default).

    Each row has ``name``, ``percent`` and ``text`` (what the tooltip says).
    """
    data = pd.DataFrame(list(rows))
    if data.empty:
        data = pd.DataFrame({"name": [], "percent": [], "text": []})
    data["colour"] = [style.level_colour(p) for p in data["percent"]]
    data["shown"] = data["percent"].clip(upper=100)
    base = alt.Chart(data).encode(
        y=alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=160))
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=14).encode(
        x=alt.X("shown:Q", scale=alt.Scale(domain=[0, 100]), title=value_title),
        color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("name:N", title=label), alt.Tooltip("text:N", title=value_title)],
    )
    levels = data_thresholds()
    lines = pd.DataFrame(
        {"x": [float(levels.warn), float(levels.alert)], "c": [style.AMBER, style.RED]}
    )
    marks = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[4, 3], opacity=0.7)
        .encode(x="x:Q", color=alt.Color("c:N", scale=None, legend=None))
    )
    return (bars + marks).properties(height=alt.Step(height_per_row))


def power_graph(
    graph: Any, node_state: Mapping[tuple[str, str], str], labels: Mapping[str, str]
) -> alt.LayerChart:
    """The power chain drawn left to right: UPS, feeds, racks, devices.

    ``graph`` is the networkx graph of :meth:`dcim.powerchain.PowerChain.graph`;
    ``node_state`` colours nodes (``ok``, ``warn``, ``over_limit``,
    ``tripped``, ``lost``, ``dark``); ``labels`` names the four columns.
    """
    layers: dict[int, list[Any]] = {}
    for node, attrs in graph.nodes(data=True):
        layers.setdefault(attrs["layer"], []).append(node)
    positions: dict[Any, tuple[float, float]] = {}
    for layer, nodes in layers.items():
        ordered = sorted(nodes, key=lambda n: _order_key(graph, n))
        count = len(ordered)
        for i, node in enumerate(ordered):
            positions[node] = (float(layer), 1 - (i + 0.5) / count)
    colour = {
        "ok": style.GREEN,
        "warn": style.AMBER,
        "alert": style.RED,
        "over_limit": "#8e1b19",
        "tripped": "#4d0b0a",
        "lost": "#111827",
        "dark": "#111827",
        "neutral": "#5b6677",
    }
    nodes = pd.DataFrame(
        [
            {
                "x": positions[n][0],
                "y": positions[n][1],
                "label": attrs["label"],
                "kind": labels[f"kind_{n[0]}"],
                "state": labels.get(f"state_{node_state.get(n, 'neutral')}", ""),
                "colour": colour.get(node_state.get(n, "neutral"), style.GREY),
                "size": 260 if n[0] in ("ups", "feed") else 120,
            }
            for n, attrs in graph.nodes(data=True)
        ]
    )
    edges = pd.DataFrame(
        [
            {
                "x": positions[a][0],
                "y": positions[a][1],
                "x2": positions[b][0],
                "y2": positions[b][1],
                "lost": node_state.get(a) in ("lost", "dark")
                or node_state.get(b) in ("lost", "dark"),
            }
            for a, b in graph.edges()
        ],
        columns=["x", "y", "x2", "y2", "lost"],
    )
    heads = pd.DataFrame([{"x": float(i), "y": 1.04, "text": labels[f"col_{i}"]} for i in range(4)])
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.3, 3.6]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.02, 1.08]))
    edge_layer = (
        alt.Chart(edges)
        .mark_rule(strokeWidth=1.2)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.condition("datum.lost", alt.value("#c8322f"), alt.value("#b8c2d1")),
            strokeDash=alt.condition("datum.lost", alt.value([4, 3]), alt.value([1, 0])),
        )
    )
    node_layer = (
        alt.Chart(nodes)
        .mark_circle(opacity=1, stroke="#ffffff", strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("colour:N", scale=None, legend=None),
            size=alt.Size("size:Q", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("kind:N", title=labels["tt_kind"]),
                alt.Tooltip("label:N", title=labels["tt_name"]),
                alt.Tooltip("state:N", title=labels["tt_state"]),
            ],
        )
    )
    text_layer = (
        alt.Chart(nodes)
        .mark_text(align="left", dx=9, fontSize=10, color="#1c2634")
        .encode(x=x, y=y, text="label:N")
    )
    head_layer = (
        alt.Chart(heads)
        .mark_text(fontWeight="bold", fontSize=11, color="#123a6b")
        .encode(x=x, y=y, text="text:N")
    )
    tallest = max((len(v) for v in layers.values()), default=1)
    return (
        alt.layer(edge_layer, node_layer, text_layer, head_layer)
        .properties(height=max(260, min(1400, tallest * 22)))
        .configure_view(stroke=None)
    )


def _order_key(graph: Any, node: tuple[str, str]) -> tuple[Any, ...]:
    """Keep children near their parents: order by the first predecessor's name, then by name."""
    parents = sorted(graph.predecessors(node))
    return (parents[0][1] if parents else "", node[1])
