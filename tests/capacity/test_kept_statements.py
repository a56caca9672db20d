"""A warm check runs statements it built once: building one cost more than running it.

The rack, feed, UPS, uplink, address and name statements of a check are
built once per shape and kept, their values bound when they run (a rack
query with two correlated sums: 360 µs to build, 80 µs to run). A check that
built them again each time would still give the same answers, only slower;
this catches it.
"""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

import pytest
from sqlalchemy.sql import selectable

from capacity.check import run_check
from capacity.request import read_request
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session
from dcim_demo import load_demo

ON = dt.date(2026, 11, 27)
REQUESTS = Path(__file__).resolve().parents[2] / "dcim_demo" / "data" / "requests"
# The modules whose statements every check runs once per rack scope, feed, UPS, prefix or name.
KEPT_IN = ("dcim/occupancy.py",)
KEPT_FUNCTIONS = {"_racks", "feeds_of_racks", "load_ups", "_tenant_racks", "_uplinks", "zones_for"}


def test_a_warm_check_builds_none_of_its_rack_feed_ups_address_or_name_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    request = read_request(REQUESTS / "01-simpeg-cadangan-bkpsdm.yaml")
    with read_session(engine) as session:
        first = run_check(session, request, on=ON)

    built: list[str] = []
    build = selectable.Select.__init__

    def counting_init(self: selectable.Select, *args: object, **kwargs: object) -> None:
        ours = [f for f in traceback.extract_stack()[:-1] if "site-packages" not in f.filename]
        frame = ours[-1]
        if frame.filename.endswith(KEPT_IN) or frame.name in KEPT_FUNCTIONS:
            built.append(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}")
        build(self, *args, **kwargs)

    monkeypatch.setattr(selectable.Select, "__init__", counting_init)
    with read_session(engine) as session:
        second = run_check(session, request, on=ON)

    assert second.to_json() == first.to_json()
    assert built == [], f"statements built again on a warm check: {built}"
