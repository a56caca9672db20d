"""Daily utilization snapshots and the linear forecast of when each resource is full.

A snapshot stores, for one day, used and usable of every resource total
(space, power, UPS, bandwidth, IP per role, domains) and of every rack,
feed, UPS, uplink and prefix, from :func:`dcim.utilization.utilization`.
``dcim snapshot`` takes one; the app takes one automatically the first time
it runs on a day. Taking a snapshot again on the same day replaces it.

The forecast fits a straight line (least squares) through the daily
percentages and says when it reaches 80 % and 100 %. It refuses to guess
from too little history and says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dcim.accounts import Actor, require_role
from dcim.db import ensure_schema, read_session, write_session
from dcim.models import OPERATOR_ROLE, Role, UtilizationSnapshot
from dcim.utilization import utilization
from dcim.workdays import write_date

TOTAL = "total"
MIN_POINTS = 3
MIN_SPAN_DAYS = 7
HORIZON_DAYS = 3650
ALERT_PERCENT = 80.0
# The largest quantity a Milli column holds (a signed 64-bit count of thousandths).
MAX_STORABLE = Decimal(2**63 - 1) / 1000

# (resource, section of the utilization document, name key, used key, usable key)
_SCOPED = (
    ("space", "racks", "name", "units_used", None),
    ("power", "feeds", "name", "load_w", "usable_w"),
    ("ups", "ups", "name", "load_w", "usable_w"),
    ("bandwidth", "uplinks", "name", "committed_mbps", "usable_mbps"),
    ("ip", "prefixes", "prefix", "used", "usable"),
)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def snapshot_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot rows of one utilization document: totals and every item, ``(resource, scope)``."""
    day = dt.date.fromisoformat(document["evaluated_on"])
    rows: list[dict[str, Any]] = []

    def add(resource: str, scope: str, used: Any, usable: Any) -> None:
        # IPv6 pools hold more addresses than a stored quantity can count; they never fill anyway.
        if max(abs(Decimal(str(used))), abs(Decimal(str(usable)))) > MAX_STORABLE:
            return
        rows.append(
            {
                "day": day,
                "resource": resource,
                "scope": scope,
                "used": _decimal(used),
                "usable": _decimal(usable),
            }
        )

    totals = document["totals"]
    for resource in ("space", "power", "ups", "bandwidth"):
        add(resource, TOTAL, totals[resource]["used"], totals[resource]["usable"])
    for role, entry in totals["ip"].items():
        add("ip", f"role:{role}", entry["used"], entry["usable"])
    domain = totals["domain"]
    # Names have no capacity; the count of names in use is kept for its trend alone.
    add("domain", TOTAL, domain.get("names", 0) + domain.get("held_names", 0), 0)
    for resource, section, name_key, used_key, usable_key in _SCOPED:
        for item in document[section]:
            if resource == "space":
                usable = item["u_height"] - item["units_unusable"]
            else:
                usable = item[usable_key]
            add(resource, f"{section}:{item[name_key]}", item[used_key], usable)
    return rows


#: Who may record the day's utilization: Tim Data Center (and the administrator), and the
#: operator, which is also how the app takes its daily snapshot (channel ``app``).
SNAPSHOT_ROLES = (Role.TIM_DC, OPERATOR_ROLE)


def take_snapshot(engine: Engine, on: dt.date, *, actor: Actor, lang: str = "id") -> int:
    """Record the utilization of the day (replacing that day's rows); returns how many rows.

    A measurement, not a change of the inventory: it is not audited, but
    still only :data:`SNAPSHOT_ROLES` may write it. The day may not be after
    today: a snapshot records what was, not a guess.
    """
    require_role(actor, SNAPSHOT_ROLES, "record a utilization snapshot")
    ensure_schema(engine)
    with read_session(engine) as session:
        write_date(session, on, "on", lang)
        rows = snapshot_rows(utilization(session, on))
    with write_session(engine) as session:
        session.execute(delete(UtilizationSnapshot).where(UtilizationSnapshot.day == on))
        if rows:
            session.execute(insert(UtilizationSnapshot), rows)
    return len(rows)


def has_snapshot(session: Session, on: dt.date) -> bool:
    """Whether the day already has its snapshot."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    UtilizationSnapshot.day == on,
                    UtilizationSnapshot.resource == "space",
                    UtilizationSnapshot.scope == TOTAL,
                )
            )
        )
    )


_taken: set[tuple[str, dt.date]] = set()


def ensure_daily_snapshot(engine: Engine, on: dt.date, *, actor: Actor) -> bool:
    """Take the day's snapshot unless it exists; True when this call took it.

    Cheap after the first call of the day in a process. When two processes
    race, the database's unique key lets one win and the other step back.
    """
    require_role(actor, SNAPSHOT_ROLES, "record a utilization snapshot")
    key = (engine.url.render_as_string(hide_password=True), on)
    if key in _taken:
        return False
    with read_session(engine) as session:
        exists_already = has_snapshot(session, on)
    took = False
    if not exists_already:
        try:
            take_snapshot(engine, on, actor=actor)
            took = True
        except IntegrityError:
            took = False
    _taken.add(key)
    return took


# --- history and forecast -----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One day of a series: used, usable, and used as a percentage of usable."""

    day: dt.date
    used: float
    usable: float

    @property
    def percent(self) -> float | None:
        """Used as a percentage of usable, or None when nothing is usable."""
        return self.used / self.usable * 100 if self.usable else None


def history(
    session: Session, resource: str, scope: str = TOTAL, since: dt.date | None = None
) -> list[Point]:
    """The daily points of one series, oldest first."""
    stmt = select(
        UtilizationSnapshot.day, UtilizationSnapshot.used, UtilizationSnapshot.usable
    ).where(UtilizationSnapshot.resource == resource, UtilizationSnapshot.scope == scope)
    if since is not None:
        stmt = stmt.where(UtilizationSnapshot.day >= since)
    return [
        Point(day, float(used), float(usable))
        for day, used, usable in session.execute(stmt.order_by(UtilizationSnapshot.day))
    ]


def total_series(
    session: Session, since: dt.date | None = None
) -> dict[tuple[str, str], list[Point]]:
    """Every total series (each resource, IP per role), oldest point first, in one query."""
    stmt = select(
        UtilizationSnapshot.resource,
        UtilizationSnapshot.scope,
        UtilizationSnapshot.day,
        UtilizationSnapshot.used,
        UtilizationSnapshot.usable,
    ).where((UtilizationSnapshot.scope == TOTAL) | UtilizationSnapshot.scope.like("role:%"))
    if since is not None:
        stmt = stmt.where(UtilizationSnapshot.day >= since)
    series: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for resource, scope, day, used, usable in session.execute(
        stmt.order_by(UtilizationSnapshot.day)
    ):
        series[(resource, scope)].append(Point(day, float(used), float(usable)))
    return dict(series)


@dataclass(frozen=True)
class Forecast:
    """What the trend says: ``state`` is one of

    - ``not_enough_history``: fewer than 3 days, or under 7 days apart;
    - ``no_capacity``: nothing is usable;
    - ``full``: already at or over 100 %;
    - ``not_growing``: the trend is flat or falling;
    - ``beyond``: growing, but full later than ten years from the last day;
    - ``growing``: full on ``full_on`` (and at 80 % on ``alert_on``).
    """

    state: str
    days_of_history: int
    points: int
    percent_per_30_days: float | None = None
    alert_on: dt.date | None = None
    full_on: dt.date | None = None


def forecast(points: list[Point]) -> Forecast:
    """A linear trend through the daily percentages, and when it reaches 80 % and 100 %."""
    usable_points = [p for p in points if p.percent is not None]
    span = (points[-1].day - points[0].day).days if points else 0
    if len(usable_points) < MIN_POINTS or span < MIN_SPAN_DAYS:
        return Forecast("not_enough_history", span, len(points))
    last = usable_points[-1]
    assert last.percent is not None
    if last.percent >= 100:
        return Forecast("full", span, len(points), full_on=last.day)
    origin = usable_points[0].day
    xs = [(p.day - origin).days for p in usable_points]
    ys = [p.percent for p in usable_points if p.percent is not None]
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    var_x = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var_x
    intercept = mean_y - slope * mean_x
    per_30 = round(slope * 30, 2)
    if slope <= 1e-9:
        return Forecast("not_growing", span, len(points), per_30)

    def reaches(level: float) -> dt.date | None:
        day = (level - intercept) / slope
        if day <= xs[-1]:
            return None
        return origin + dt.timedelta(days=int(day + 0.999999))

    full_on = reaches(100.0)
    alert_on = reaches(ALERT_PERCENT) if last.percent < ALERT_PERCENT else None
    if full_on is None or (full_on - last.day).days > HORIZON_DAYS:
        return Forecast("beyond", span, len(points), per_30, alert_on=None)
    return Forecast("growing", span, len(points), per_30, alert_on=alert_on, full_on=full_on)
