"""The demo brings months of daily snapshots, so that the Kepala Bidang sees "when will we be
full" on a fresh install, and the history meets the demo's own numbers of the loading day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import read_session
from dcim.snapshots import MIN_POINTS, MIN_SPAN_DAYS, TOTAL, forecast, history, snapshot_rows
from dcim.utilization import utilization
from dcim.workdays import today
from dcim_demo import load_demo
from dcim_demo.history import share


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """The demo, loaded the way `dcim init --demo` loads it."""
    import_builtin_catalog(engine, operator())
    assert load_demo(engine, operator()) is not None
    return engine


def test_a_fresh_demo_forecasts_when_power_is_full(loaded: Engine) -> None:
    with read_session(loaded) as session:
        on = today(session)
        points = history(session, "power", TOTAL)
    # Months of days, ending yesterday: more than the forecast's minimum of 3 days over a week.
    assert len(points) >= 90 > MIN_POINTS and (points[-1].day - points[0].day).days > MIN_SPAN_DAYS
    assert points[-1].day == on - dt.timedelta(days=1)
    result = forecast(points)
    assert result.state == "growing", result
    assert result.full_on is not None and result.full_on > on


def test_every_series_grows_towards_the_demos_own_numbers_of_the_loading_day(
    loaded: Engine,
) -> None:
    with read_session(loaded) as session:
        on = today(session)
        now = {
            (r["resource"], r["scope"]): r["used"] for r in snapshot_rows(utilization(session, on))
        }
        power = history(session, "power", TOTAL)
        space = history(session, "space", TOTAL)
    # Never above today's use, never falling (servers arrive, none leave in the demo's history).
    for points, key in ((power, ("power", TOTAL)), (space, ("space", TOTAL))):
        used = [p.used for p in points]
        assert used == sorted(used), key
        assert used[-1] <= float(now[key]) and used[0] < used[-1], key


def test_the_growth_profile_starts_below_today_and_reaches_today() -> None:
    profile = {"start": {"power": 0.5}, "arrivals": [30, 10]}
    assert share(profile, "power", 40) == pytest.approx(0.5)
    assert share(profile, "power", 20) == pytest.approx(0.75)  # one arrival of two has landed
    assert share(profile, "power", 5) == pytest.approx(1)
