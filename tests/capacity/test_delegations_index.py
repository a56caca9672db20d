"""A check of a name reads the zone's delegations from an index, not from the zone's records.

A national zone holds thousands of ``A`` records and no ``NS`` delegation.
After ``ANALYZE`` SQLite's statistics then say that a zone and a type
select the whole zone; with an index that did not also hold the name,
SQLite read every record of the zone on every check (migration 0015).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from scenario_data import ZONE, inventory, record, zone
from sqlalchemy import event

from capacity.facts import zones_for
from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, read_session
from dcim.inventory.load import load_inventory, parse_inventory

ON = dt.date(2026, 11, 27)


def test_a_zone_of_host_records_alone_is_not_read_through_to_find_its_delegations(
    tmp_path: Path,
) -> None:
    hosts = [record(f"host{i}", "A", f"10.0.{i // 250}.{i % 250 + 1}") for i in range(600)]
    engine = get_engine(f"sqlite:///{tmp_path / 'zone.db'}")
    ensure_schema(engine)
    load_inventory(
        engine,
        parse_inventory(inventory(zones=[zone(ZONE, *hosts)])),
        actor=operator(),
    )  # the load ends with ANALYZE, whose statistics misled the planner
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "dns_records.type" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    with read_session(engine) as session:
        zones, _ = zones_for(session, ON, [f"app.{ZONE}"])
        event.remove(engine, "before_cursor_execute", keep)
        connection = session.connection()
        plans = [
            " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params))
            )
            for sql, params in seen
        ]
    assert zones[ZONE].delegations == ()
    assert len(plans) == 1
    assert "COVERING INDEX ix_dns_records_zone_type" in plans[0], plans[0]
