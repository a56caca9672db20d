"""An independent judge of a plan's purchases, for the plan tests.

It does not reuse the planner's code: the catalogue items are written into the
inventory *document* (the export), the result is loaded into a fresh database
through ``load_file`` (so every inventory rule applies), and the servers are
held one by one, in date order, with the public ``reserve`` service.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from capacity.holds import reserve
from capacity.request import parse_request
from dcim.accounts import operator
from dcim.db import get_engine
from dcim.inventory.load import load_file
from dcim.inventory.yamlio import dump_yaml, read_yaml_file
from dcim_demo import DEMO_DIR

ITEM_KEYS = {"id", "kind", "price_idr", "lead_time_working_days", "description"}


def with_items(document: dict[str, Any], items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The inventory document with the catalogue items (raw plan mappings) bought."""
    doc = copy.deepcopy(document)
    for raw in items:
        item = {k: v for k, v in raw.items() if k not in ITEM_KEYS}
        kind = raw["kind"]
        if kind == "ups":
            known = [u for u in doc.setdefault("ups", []) if u["name"] == item["name"]]
            if known:
                known[0].update(item)
            else:
                doc["ups"].append(item)
        elif kind == "rack":
            doc.setdefault("power_feeds", []).extend(item.pop("power_feeds", []))
            doc.setdefault("racks", []).append(item)
        elif kind == "feed_upgrade":
            # The feed's name is taken out once: the rest of the item is what changes.
            name = item.pop("feed")
            feed = next(f for f in doc["power_feeds"] if f["name"] == name)
            feed.update(item)
        elif kind == "uplink_upgrade":
            uplink = next(u for u in doc["uplinks"] if u["name"] == item["uplink"])
            uplink["capacity_mbps"] = item["capacity_mbps"]
        elif kind == "prefix":
            doc.setdefault("prefixes", []).append(item)
    return doc


def demo_database(template: Path, path: Path) -> str:
    """A copy of the empty schema with the built-in catalog and the demo inventory; its URL."""
    from dcim.catalog import import_builtin_catalog

    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    import_builtin_catalog(engine, operator())
    load_file(engine, DEMO_DIR / "inventory.yaml", actor=operator())
    return url


def server_requests(plan_path: Path) -> list[tuple[str, dt.date, Any]]:
    """The plan's servers as (name, date, request), in date order, read from the raw YAML."""
    raw = read_yaml_file(plan_path)
    servers = []
    for index, entry in enumerate(raw["servers"]):
        entry = dict(entry)
        on = entry.pop("on", None) or entry.pop(True)
        name = entry.pop("name", None) or f"servers[{index}]"
        servers.append((name, on, parse_request(entry)))
    return sorted(servers, key=lambda s: s[1])


def failures_with(
    template: Path,
    workdir: Path,
    document: dict[str, Any],
    items: Iterable[dict[str, Any]],
    servers: list[tuple[str, dt.date, Any]],
    on: dt.date,
    stop_early: bool = False,
) -> list[str]:
    """The servers that cannot be held, in order, on the inventory with the items bought."""
    name = uuid.uuid4().hex[:8]
    database = workdir / f"judge-{name}.db"
    shutil.copyfile(template, database)
    inventory = workdir / f"judge-{name}.yaml"
    inventory.write_text(dump_yaml(with_items(document, items)), encoding="utf-8")
    engine = get_engine(f"sqlite:///{database}")
    try:
        load_file(engine, inventory, actor=operator())
        failed = []
        for label, _, request in servers:
            outcome = reserve(engine, request, on=on, actor=operator())
            if outcome.reservation_code is None:
                failed.append(label)
                if stop_early:
                    break
        return failed
    finally:
        engine.dispose()
