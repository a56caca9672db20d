"""The plan file's growth assumption and its refusals (issue #14): servers nobody has named
yet, a template server a month, and every wrong plan field named in the user's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from plan_support import demo_database

from capacity.plan import make_plan
from capacity.planfile import MAX_SERVERS, parse_plan, read_plan
from dcim.db import get_engine
from dcim.errors import InputError
from dcim.inventory.yamlio import dump_yaml

ON = dt.date(2026, 11, 27)
LISTED = [{"name": "A", "on": dt.date(2027, 2, 1), "server": {"u_height": 1, "power_w": 100}}]
TEMPLATE = {
    "tenant": "bkpsdm",
    "server": {"u_height": 1, "power_w": 150, "weight_kg": 12},
    "ipv4": {"server": 1},
}


@pytest.fixture(scope="module")
def demo_url(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo inventory, loaded once for the module; the plan only reads it."""
    return demo_database(_sqlite_template, tmp_path_factory.mktemp("growth") / "demo.db")


def _plan(growth: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": 1, "servers": LISTED, "growth": growth, **extra}


def _growth(**change: Any) -> dict[str, Any]:
    growth = {
        "per_month": 2,
        "from": dt.date(2027, 1, 31),
        "until": dt.date(2027, 4, 30),
        "template": TEMPLATE,
    }
    return {**growth, **change}


def _refused(plan: dict[str, Any], lang: str = "id") -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        parse_plan(plan, "plan.yaml", lang)
    return {p.path: p.message for p in caught.value.problems}


def test_growth_adds_the_template_server_per_month_on_the_same_day_of_each_month() -> None:
    plan = parse_plan(_plan(_growth()))
    grown = [(s.name, s.on) for where, s in plan.expected() if where == "growth.template"]
    # The 31st does not exist in February or April: the month's last day stands in for it.
    assert grown == [
        ("TREN-2027-01-1", dt.date(2027, 1, 31)),
        ("TREN-2027-01-2", dt.date(2027, 1, 31)),
        ("TREN-2027-02-1", dt.date(2027, 2, 28)),
        ("TREN-2027-02-2", dt.date(2027, 2, 28)),
        ("TREN-2027-03-1", dt.date(2027, 3, 31)),
        ("TREN-2027-03-2", dt.date(2027, 3, 31)),
        ("TREN-2027-04-1", dt.date(2027, 4, 30)),
        ("TREN-2027-04-2", dt.date(2027, 4, 30)),
    ]
    # Each copy needs what the template says; the listed servers come first.
    assert plan.all_servers()[0].name == "A"
    assert {s.server.power_w for s in plan.all_servers()[1:]} == {150}


def test_the_growth_servers_are_placed_with_the_listed_ones_in_date_order(
    demo_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    growth = _growth(per_month=1, until=dt.date(2027, 3, 31))
    path.write_text(dump_yaml(_plan(growth)), encoding="utf-8")
    answer = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    placed = [(p.server, p.needed_on, p.placed) for p in answer.placements]
    assert placed == [
        ("TREN-2027-01-1", dt.date(2027, 1, 31), True),
        ("A", dt.date(2027, 2, 1), True),
        ("TREN-2027-02-1", dt.date(2027, 2, 28), True),
        ("TREN-2027-03-1", dt.date(2027, 3, 31), True),
    ]


def test_a_template_whose_needs_stay_unknown_is_named_once_under_growth_template(
    demo_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    growth = _growth(template={"server": {"u_height": 1}})
    path.write_text(dump_yaml(_plan(growth)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        make_plan(get_engine(demo_url), read_plan(path), on=ON)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["growth.template.server.power_w"]


BAD_GROWTH = [
    (_growth(per_month=0), "growth.per_month", "at least 1"),
    (_growth(per_month=10**20), "growth.per_month", "at most 100"),
    (_growth(until=dt.date(2026, 12, 31)), "growth.until", "before the start"),
    (_growth(until=dt.date(2032, 1, 31)), "growth.until", "at most 60 months"),
    (
        _growth(per_month=100, until=dt.date(2028, 12, 31)),
        "growth.per_month",
        f"more than {MAX_SERVERS}",
    ),
    (_growth(**{"from": dt.date(1, 1, 1)}), "growth.from", "outside the working calendar"),
    (_growth(speed=3), "growth.speed", "unknown field"),
    (_growth(template={**TEMPLATE, "rack": "R01"}), "growth.template.rack", "unknown field"),
]


@pytest.mark.parametrize(
    ("growth", "field", "reason"), BAD_GROWTH, ids=[f"{f}:{r}" for _, f, r in BAD_GROWTH]
)
def test_a_bad_growth_is_refused_naming_the_field(
    growth: dict[str, Any], field: str, reason: str
) -> None:
    problems = _refused(_plan(growth), "en")
    assert reason in problems[field], problems


def test_the_growth_messages_are_indonesian_by_default() -> None:
    problems = _refused(_plan(_growth(until=dt.date(2026, 12, 31))))
    assert problems["growth.until"] == "31 Desember 2026 sebelum awal pertumbuhan (31 Januari 2027)"


HOSTILE = [
    # A date the working calendar does not cover: no order-by date could be counted.
    ({"servers": [{**LISTED[0], "on": dt.date(1, 1, 1)}]}, "servers[0].on"),
    ({"servers": [{**LISTED[0], "on": dt.date(9999, 12, 31)}]}, "servers[0].on"),
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "uplink_upgrade",
                    "uplink": "ICONPLUS",
                    "capacity_mbps": 10**40,
                    "price_idr": 1,
                }
            ]
        },
        "catalogue[0].capacity_mbps",
    ),
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "prefix",
                    "prefix": "10.9.0.0/24",
                    "role": "lab",
                    "price_idr": 10**30,
                }
            ]
        },
        "catalogue[0].price_idr",
    ),
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "prefix",
                    "prefix": "10.9.0.0/24",
                    "role": "lab",
                    "price_idr": 1,
                    "lead_time_working_days": 10**9,
                }
            ]
        },
        "catalogue[0].lead_time_working_days",
    ),
    (
        {
            "catalogue": [
                {
                    "id": "a\u202eb",
                    "kind": "prefix",
                    "prefix": "10.9.0.0/24",
                    "role": "lab",
                    "price_idr": 1,
                }
            ]
        },
        "catalogue[0].id",
    ),
    ({"title": "Rencana\x1b[2J"}, "title"),
    ({"year": 10**12}, "year"),
]


@pytest.mark.parametrize(("change", "field"), HOSTILE, ids=[f for _, f in HOSTILE])
def test_a_hostile_plan_field_is_refused_by_name(change: dict[str, Any], field: str) -> None:
    problems = _refused({"version": 1, "servers": LISTED, **change})
    assert field in problems, problems


def test_a_plan_nested_deeper_than_the_gate_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("version: 1\nservers: " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "deeper than 32" in str(caught.value)


def test_a_plan_larger_than_a_megabyte_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("version: 1\n# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "MB" in str(caught.value) or "bytes" in str(caught.value)
