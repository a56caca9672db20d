"""Daily utilization snapshots and the forecast of when a resource is full."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dcim.accounts import operator
from dcim.db import read_session
from dcim.inventory.load import load_file
from dcim.models import UtilizationSnapshot
from dcim.snapshots import Point, ensure_daily_snapshot, forecast, history, take_snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
DAY = dt.date(2026, 11, 27)


def _line(start_percent: float, per_day: float, days: int, every: int = 1) -> list[Point]:
    return [
        Point(DAY + dt.timedelta(days=d), start_percent + per_day * d, 100.0)
        for d in range(0, days, every)
    ]


def test_a_snapshot_records_totals_and_every_rack(engine: Engine) -> None:
    load_file(engine, FIXTURE, actor=operator())
    rows = take_snapshot(engine, DAY, actor=operator())
    with read_session(engine) as session:
        space = history(session, "space")
        r02 = history(session, "space", "racks:R02")
        ipv4 = history(session, "ip", "role:public")
    assert rows > 0
    assert [(p.day, p.used, p.usable) for p in space] == [(DAY, 9.0, 125.0)]  # 1 + 4 + 4 units
    assert r02[0].used == 4.0 and ipv4[0].usable == 11.0


def test_taking_the_days_snapshot_again_replaces_it(engine: Engine) -> None:
    load_file(engine, FIXTURE, actor=operator())
    first = take_snapshot(engine, DAY, actor=operator())
    second = take_snapshot(engine, DAY, actor=operator())
    with read_session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(UtilizationSnapshot))
    assert first == second == stored


def test_the_app_takes_one_snapshot_a_day(engine: Engine) -> None:
    load_file(engine, FIXTURE, actor=operator())
    assert ensure_daily_snapshot(engine, DAY, actor=operator()) is True
    assert ensure_daily_snapshot(engine, DAY, actor=operator()) is False


def test_ipv6_pools_are_left_out_of_the_history(engine: Engine) -> None:
    load_file(engine, FIXTURE, actor=operator())
    take_snapshot(engine, DAY, actor=operator())
    with read_session(engine) as session:
        assert history(session, "ip", "prefixes:2001:db8:10::/64") == []


def test_too_little_history_gives_no_forecast() -> None:
    assert forecast(_line(40, 1, 2)).state == "not_enough_history"
    assert forecast(_line(40, 1, 5)).state == "not_enough_history"  # five days, under a week
    assert forecast([]).state == "not_enough_history"


def test_a_steady_rise_forecasts_the_day_it_is_full() -> None:
    result = forecast(_line(40, 1, 10))  # 40 % today, one point more each day
    assert result.state == "growing"
    assert result.full_on == DAY + dt.timedelta(days=60)
    assert result.alert_on == DAY + dt.timedelta(days=40)
    assert result.percent_per_30_days == pytest.approx(30)


def test_a_flat_or_falling_trend_is_not_growing() -> None:
    assert forecast(_line(40, 0, 10)).state == "not_growing"
    assert forecast(_line(40, -0.5, 10)).state == "not_growing"


def test_a_full_resource_says_so() -> None:
    assert forecast(_line(97, 1, 10)).state == "full"


def test_a_slow_rise_is_beyond_ten_years() -> None:
    assert forecast(_line(10, 0.001, 30)).state == "beyond"


def test_gaps_between_snapshots_do_not_bend_the_line() -> None:
    result = forecast(_line(40, 1, 30, every=7))  # weekly snapshots
    assert result.full_on == DAY + dt.timedelta(days=60)
