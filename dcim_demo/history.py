"""Six months of daily snapshots for the demo, so that the dashboard forecasts on day one.

A fresh install has no history, and the forecast rightly refuses to guess
from less than a week. The demo is meant to show what the office will see
after months of use, so it brings a history: ``dcim_demo/data/history.yaml``
says how the data center grew (the share of today's use it started from,
and the days servers arrived, each bringing an equal part of the growth —
budgets, which the snapshots record, move in steps, not smoothly). The history
is computed backwards from the demo's own snapshot of the loading day, so
it meets today's numbers exactly, and it is deterministic: the same demo
loaded on the same day gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlalchemy.orm import Session

from dcim.accounts import Actor, require_role
from dcim.db import read_session, write_session
from dcim.inventory.yamlio import DOCUMENT_LIMITS, read_yaml_file
from dcim.models import UtilizationSnapshot
from dcim.snapshots import snapshot_rows
from dcim.utilization import utilization
from dcim.workdays import today

from .bundle import DEMO_DIR, DEMO_ROLES

HISTORY_FILE = DEMO_DIR / "history.yaml"


def share(profile: dict[str, Any], resource: str, days_before: int) -> Decimal:
    """The share of today's use a resource had ``days_before`` days ago (1 today)."""
    start = Decimal(str(profile["start"].get(resource, 1)))
    arrivals = sorted(int(day) for day in profile["arrivals"])
    # The arrivals still to come, seen from that day, are the growth not yet there.
    pending = sum(1 for day in arrivals if day < days_before)
    grown = Decimal(len(arrivals) - pending) / len(arrivals) if arrivals else Decimal(1)
    return start + (1 - start) * grown


def _scaled(row: dict[str, Any], factor: Decimal, day: dt.date) -> dict[str, Any]:
    # Counted things (units, addresses, names) stay whole; watts and Mbps keep three decimals.
    whole = row["resource"] in ("space", "ip", "domain")
    used = (row["used"] * factor).quantize(Decimal(1) if whole else Decimal("0.001"))
    return {**row, "day": day, "used": used.quantize(Decimal("0.001"))}


def history_rows(session: Session, on: dt.date, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot rows of the days before ``on``, from the utilization of ``on``."""
    today_rows = snapshot_rows(utilization(session, on))
    rows = []
    for days_before in range(int(profile["days"]), 0, -1):
        day = on - dt.timedelta(days=days_before)
        for row in today_rows:
            rows.append(_scaled(row, share(profile, row["resource"], days_before), day))
    return rows


def load(engine: Engine, actor: Actor) -> int:
    """Write the demo's history (replacing any rows of those days); returns how many rows."""
    require_role(actor, DEMO_ROLES, "load the demo")
    profile = read_yaml_file(HISTORY_FILE, DOCUMENT_LIMITS)
    with read_session(engine) as session:
        on = today(session)
        rows = history_rows(session, on, profile)
    first = on - dt.timedelta(days=int(profile["days"]))
    with write_session(engine) as session:
        session.execute(
            delete(UtilizationSnapshot).where(
                UtilizationSnapshot.day >= first, UtilizationSnapshot.day < on
            )
        )
        if rows:
            session.execute(insert(UtilizationSnapshot), rows)
    return len(rows)
