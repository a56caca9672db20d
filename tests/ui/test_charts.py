"""The rack elevations the app draws are valid Vega-Lite, with every row their layers read.

The pages draw them with ``st.vega_lite_chart`` and skip the schema check that
``st.altair_chart`` made at every drawing (``dcim_ui.charts.elevation_chart``
says why), so it is made here, on racks holding every kind of occupant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import altair as alt
import pytest
from sqlalchemy import select

from dcim.db import get_engine, read_session
from dcim.elevations import Elevation, Occupant, elevations
from dcim.models import Rack
from dcim_ui import charts

ON = dt.date(2026, 11, 27)
LABELS = {
    **{key: key for key in ("front", "rear", "unusable", "held", "expires")},
    "free": "{units}U kosong",
    **{f"tt_{key}": key for key in ("name", "units", "face", "tenant", "status", "model")},
    **{f"status_{s}": s for s in ("active", "planned", "offline", "held", "unusable")},
}


@pytest.fixture(scope="module")
def demo_racks(demo_template: Path) -> list[Elevation]:
    """Every rack of the demo: devices, holds, an unusable run and free blocks between them."""
    engine = get_engine(f"sqlite:///{demo_template}")
    with read_session(engine) as session:
        names = list(session.scalars(select(Rack.name).order_by(Rack.name)))
        return elevations(session, ON, names)


def _proposal(rack: Elevation) -> list[Occupant]:
    """A 2U proposal in the rack's first free front block that takes one, if any does."""
    starts = [start for start, length in rack.free_blocks["front"] if length >= 2]
    return [
        Occupant("proposal", "usulan", s, 2, "front", True, "proposal", model="R640")
        for s in starts[:1]
    ]


def _layer_data(spec: dict[str, Any]) -> list[tuple[str, set[str]]]:
    """Each layer's dataset name and the fields its encoding reads."""
    read = []
    for layer in spec["layer"]:
        fields = set()
        for channel in layer["encoding"].values():
            for item in channel if isinstance(channel, list) else [channel]:
                if "field" in item:
                    fields.add(item["field"])
        read.append((layer["data"]["name"], fields))
    return read


def test_the_demo_racks_hold_every_kind_of_occupant(demo_racks: list[Elevation]) -> None:
    # Without these the checks below would not reach the hatched and labelled layers.
    kinds = {occupant.kind for rack in demo_racks for occupant in rack.occupants}
    assert kinds == {"device", "hold", "unusable"}


@pytest.mark.parametrize("selectable", [True, False], ids=["picked-on-rak", "shown-on-cek"])
def test_every_elevation_is_valid_vega_lite(demo_racks: list[Elevation], selectable: bool) -> None:
    for rack in demo_racks:
        spec = charts.elevation_chart(
            rack,
            colour_by="tenant",
            colours={},
            labels=LABELS,
            extra=_proposal(rack),
            selectable=selectable,
        )
        alt.LayerChart.validate(spec)  # raises, naming the path, when it is not
        assert ("params" in spec) == selectable, "only the Rak page's racks can be picked"


def test_every_layer_reads_rows_that_carry_its_fields(demo_racks: list[Elevation]) -> None:
    for rack in demo_racks:
        spec = charts.elevation_chart(rack, colour_by="status", colours={}, labels=LABELS)
        for name, fields in _layer_data(spec):
            rows = spec["datasets"][name]
            missing = {field for row in rows for field in fields if field not in row}
            assert not missing, f"{rack.name}: rows of '{name}' lack {missing}"
        assert spec["datasets"]["blocks"], f"{rack.name}: no occupant drawn"


def test_a_hold_shows_its_request_and_end_in_the_tooltip(demo_racks: list[Elevation]) -> None:
    rack = next(r for r in demo_racks if any(o.kind == "hold" for o in r.occupants))
    spec = charts.elevation_chart(rack, colour_by="tenant", colours={}, labels=LABELS)
    held = [row for row in spec["datasets"]["blocks"] if row["kind"] == "hold"]
    assert held and all(row["model"].startswith("held") for row in held)
    assert all("expires" in row["model"] for row in held)
