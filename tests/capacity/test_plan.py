"""``dcim plan``: what to buy, and by when, so that next year's servers fit (issue #14)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from plan_support import demo_database, failures_with, server_requests
from sqlalchemy import Engine, func, select

from capacity import plan as plan_module
from capacity.plan import make_plan, order_by_date
from capacity.planfile import read_plan
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import get_engine, read_session
from dcim.errors import InputError
from dcim.inventory.export import read_inventory
from dcim.inventory.load import load_file
from dcim.inventory.yamlio import dump_yaml, read_yaml_file
from dcim.models import AuditEntry, Reservation
from dcim.workdays import WorkingCalendar
from dcim_demo import DEMO_DIR, DEMO_PLAN

# The demo's holds were made on this day; the plan is judged on it so that the answer never
# depends on the day the tests run.
ON = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo_url(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo inventory (no workflow), loaded once for the module; the plan only reads it."""
    return demo_database(_sqlite_template, tmp_path_factory.mktemp("plan") / "demo.db")


@pytest.fixture(scope="module")
def demo_answer(demo_url: str) -> Any:
    """The demo plan's answer, computed once."""
    return make_plan(get_engine(demo_url), read_plan(DEMO_PLAN), on=ON)


@pytest.fixture(scope="module")
def demo_document(demo_url: str) -> dict[str, Any]:
    """The demo inventory as its export."""
    with read_session(get_engine(demo_url)) as session:
        return read_inventory(session)


def catalogue_of(plan_path: Path) -> dict[str, dict[str, Any]]:
    """The raw catalogue items by id."""
    return {item["id"]: item for item in read_yaml_file(plan_path)["catalogue"]}


DEMO_ANSWER = {"ups1-30kva", "ups2-30kva", "pdu-r07a-32a", "pdu-r07b-32a", "ipv4-publik-29"}


def test_the_demo_year_overflows_the_ups_a_racks_feeds_and_the_public_block(
    demo_answer: Any,
) -> None:
    # One purchase of each kind: the year cannot be placed by buying only some kinds.
    assert {p.kind for p in demo_answer.purchases} == {"ups", "feed_upgrade", "prefix"}
    bought_for = {p.server: set(p.bought) for p in demo_answer.placements}
    # The storage server (2.6 kW) fits no rack's feeds: R07's feeds are upgraded for it.
    assert bought_for["SRV-EARSIP-01"] == {"pdu-r07a-32a", "pdu-r07b-32a"}
    assert next(p for p in demo_answer.placements if p.server == "SRV-EARSIP-01").rack == "R07"
    assert demo_answer.unplaceable == []


def test_the_demo_year_buys_the_cheap_way_out_of_each_overflow(demo_answer: Any) -> None:
    prices = {key: item["price_idr"] for key, item in catalogue_of(DEMO_PLAN).items()}
    # Both UPS at 30 kVA plus R07's feeds (Rp 299 million) cost less than the new rack on a
    # new UPS that would solve both (Rp 305 million), and the /29 less than the /28.
    assert (
        prices["ups1-30kva"]
        + prices["ups2-30kva"]
        + prices["pdu-r07a-32a"]
        + prices["pdu-r07b-32a"]
        < prices["ups3-20kva"] + prices["rak-r08"]
    )
    assert {p.item_id for p in demo_answer.purchases} == DEMO_ANSWER
    assert demo_answer.total_idr == sum(prices[key] for key in DEMO_ANSWER)
    assert demo_answer.optimal is True


def test_each_purchase_is_ordered_its_lead_time_in_working_days_before_the_first_server_it_unlocks(
    demo_answer: Any,
) -> None:
    calendar = WorkingCalendar()
    plan = read_plan(DEMO_PLAN)
    needed = {s.name: s.on for s in plan.servers}
    for purchase in demo_answer.purchases:
        first = min(needed[name] for name in purchase.unlocks)
        assert purchase.needed_on == first, purchase.item_id
        assert purchase.order_by == order_by_date(calendar, first, purchase.lead_time_working_days)
        # Ordered that day, it arrives in time; ordered a working day later, it would not.
        assert (
            calendar.add_working_days(purchase.order_by, purchase.lead_time_working_days) <= first
        )
        later = calendar.add_working_days(purchase.order_by, 1)
        assert calendar.add_working_days(later, purchase.lead_time_working_days) > first


def test_order_by_skips_weekends_and_national_holidays_backwards() -> None:
    calendar = WorkingCalendar()
    # Three working days before Friday 4 June 2027: Thursday 3, Wednesday 2, then Monday
    # 31 May, because 1 June (Hari Lahir Pancasila) is a national holiday.
    assert order_by_date(calendar, dt.date(2027, 6, 4), 3) == dt.date(2027, 5, 31)
    # Needed on a Sunday with no lead time: order by the Friday before.
    # Needed on the holiday itself: it must be there the working day before.
    assert order_by_date(calendar, dt.date(2027, 6, 1), 0) == dt.date(2027, 5, 31)
    assert order_by_date(calendar, dt.date(2027, 3, 7), 0) == dt.date(2027, 3, 5)


def test_applying_the_purchases_makes_every_server_fit_in_date_order(
    demo_answer: Any, demo_document: dict[str, Any], _sqlite_template: Path, tmp_path: Path
) -> None:
    catalogue = catalogue_of(DEMO_PLAN)
    servers = server_requests(DEMO_PLAN)
    items = [catalogue[p.item_id] for p in demo_answer.purchases]
    # Without purchases the year does not fit: the purchases are what makes it fit.
    assert failures_with(_sqlite_template, tmp_path, demo_document, [], servers, ON)
    assert failures_with(_sqlite_template, tmp_path, demo_document, items, servers, ON) == []


def test_removing_any_one_purchase_breaks_at_least_one_server(
    demo_answer: Any, demo_document: dict[str, Any], _sqlite_template: Path, tmp_path: Path
) -> None:
    catalogue = catalogue_of(DEMO_PLAN)
    servers = server_requests(DEMO_PLAN)
    for purchase in demo_answer.purchases:
        others = [catalogue[p.item_id] for p in demo_answer.purchases if p is not purchase]
        if purchase.kind == "ups" and any(p.kind == "rack" for p in demo_answer.purchases):
            # A rack whose feeds hang on this UPS cannot be loaded without it: the rack goes too.
            others = [i for i in others if i["kind"] != "rack"]
        failed = failures_with(_sqlite_template, tmp_path, demo_document, others, servers, ON)
        assert failed, f"{purchase.item_id} is superfluous"
        # The servers it is said to unlock are among those that fail without it.
        assert failed[0] in purchase.unlocks


SMALL_PLAN = {
    "version": 1,
    "servers": [
        {
            "name": "A",
            "on": dt.date(2027, 2, 1),
            "tenant": "bkpsdm",
            "server": {"u_height": 1, "power_w": 600},
            "ipv4": {"public": 2},
        },
        {
            "name": "B",
            "on": dt.date(2027, 3, 1),
            "tenant": "setda",
            "server": {"u_height": 1, "power_w": 600},
            "ipv4": {"public": 2},
        },
        {
            "name": "C",
            "on": dt.date(2027, 4, 1),
            "tenant": "dinkes",
            "server": {"u_height": 2, "power_w": 600},
        },
    ],
    "catalogue": [
        {
            "id": "ups1",
            "kind": "ups",
            "name": "UPS-1",
            "site": "dc-kominfo",
            "capacity_kva": 30,
            "price_idr": 285_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "ups2",
            "kind": "ups",
            "name": "UPS-2",
            "site": "dc-kominfo",
            "capacity_kva": 30,
            "price_idr": 285_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "ups3",
            "kind": "ups",
            "name": "UPS-3",
            "site": "dc-kominfo",
            "capacity_kva": 10,
            "price_idr": 150_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "r08",
            "kind": "rack",
            "name": "R08",
            "site": "dc-kominfo",
            "feeds": ["PDU-R08-A", "PDU-R08-B"],
            "power_feeds": [
                {
                    "name": "PDU-R08-A",
                    "site": "dc-kominfo",
                    "ups": "UPS-3",
                    "voltage": 230,
                    "amperage": 16,
                },
                {
                    "name": "PDU-R08-B",
                    "site": "dc-kominfo",
                    "ups": "UPS-3",
                    "voltage": 230,
                    "amperage": 16,
                },
            ],
            "price_idr": 65_000_000,
            "lead_time_working_days": 30,
        },
        {
            "id": "p29",
            "kind": "prefix",
            "prefix": "103.10.21.0/29",
            "role": "public",
            "site": "dc-kominfo",
            "price_idr": 12_000_000,
            "lead_time_working_days": 20,
        },
        {
            "id": "p28",
            "kind": "prefix",
            "prefix": "103.10.22.0/28",
            "role": "public",
            "site": "dc-kominfo",
            "price_idr": 9_000_000,
            "lead_time_working_days": 20,
        },
    ],
}


@pytest.mark.slow
def test_the_total_equals_a_brute_force_search_over_the_catalogue(
    demo_url: str, demo_document: dict[str, Any], _sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(dump_yaml(SMALL_PLAN), encoding="utf-8")
    answer = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    servers = server_requests(path)
    items = SMALL_PLAN["catalogue"]
    ids = {item["id"] for item in items}
    subsets = [
        combo for size in range(len(items) + 1) for combo in itertools.combinations(items, size)
    ]
    subsets.sort(key=lambda combo: sum(i["price_idr"] for i in combo))
    optimum = None
    for combo in subsets:
        names = {i["id"] for i in combo}
        if "r08" in names and "ups3" not in names:
            continue  # the rack's feeds hang on UPS-3: not a purchase one can make alone
        if not failures_with(_sqlite_template, tmp_path, demo_document, combo, servers, ON, True):
            optimum = combo
            break
    assert optimum is not None and ids
    assert answer.total_idr == sum(i["price_idr"] for i in optimum)
    assert answer.optimal is True


def test_a_server_that_nothing_in_the_catalogue_fits_is_reported_with_its_reasons(
    demo_url: str, tmp_path: Path
) -> None:
    plan = {
        "version": 1,
        "servers": [
            {"name": "BIG", "on": dt.date(2027, 2, 1), "server": {"u_height": 44, "power_w": 100}},
            {"name": "SMALL", "on": dt.date(2027, 3, 1), "server": {"u_height": 1, "power_w": 100}},
        ],
        "catalogue": [SMALL_PLAN["catalogue"][4]],
    }
    path = tmp_path / "plan.yaml"
    path.write_text(dump_yaml(plan), encoding="utf-8")
    answer = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    assert [p.server for p in answer.unplaceable] == ["BIG"]
    # No rack has 44 units and the catalogue offers no rack: space is the reason.
    assert answer.unplaceable[0].reasons["space"]
    assert answer.purchases == []
    assert [p.server for p in answer.placements if p.placed] == ["SMALL"]


def test_the_plan_is_deterministic(demo_url: str, demo_answer: Any) -> None:
    again = make_plan(get_engine(demo_url), read_plan(DEMO_PLAN), on=ON)
    first, second = demo_answer.to_json(), again.to_json()
    first.pop("checks_run"), second.pop("checks_run")
    assert first == second


def test_the_checks_are_counted_by_phase_outside_the_answer(demo_answer: Any) -> None:
    phases = demo_answer.checks_by_phase
    assert set(phases) == {"pass", "year_search", "full_replays", "replays"}
    assert sum(phases.values()) == demo_answer.checks_run
    # One check at least per server in the pass; an 11-item catalogue is searched over the year.
    assert phases["pass"] >= len(demo_answer.placements)
    assert phases["year_search"] > 0
    assert "checks_by_phase" not in demo_answer.to_json()


def test_dcim_plan_json_answers_and_leaves_the_inventory_untouched(
    engine: Engine, run_cli: Callable[..., Any]
) -> None:
    import_builtin_catalog(engine, operator())
    load_file(engine, DEMO_DIR / "inventory.yaml", actor=operator())
    with read_session(engine) as session:
        before = (
            session.scalar(select(func.count()).select_from(Reservation)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )
    url = engine.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "plan", DEMO_PLAN, "--json", "--on", ON.isoformat())
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["total_idr"] == 311_000_000
    assert {p["item"] for p in document["purchases"]} == DEMO_ANSWER
    with read_session(engine) as session:
        after = (
            session.scalar(select(func.count()).select_from(Reservation)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )
    assert after == before, "planning must not hold or log anything in the real inventory"


HOSTILE = [
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "prefix",
                    "prefix": "10.0.0.0/29",
                    "role": "public",
                    "price_idr": -5,
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
                    "kind": "uplink_upgrade",
                    "uplink": "ICONPLUS",
                    "capacity_mbps": 500,
                    "price_idr": 1,
                    "speed": 9,
                }
            ]
        },
        "catalogue[0].speed",
    ),
    ({"catalogue": [{"id": "x", "kind": "teleporter", "price_idr": 1}]}, "catalogue[0]"),
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "feed_upgrade",
                    "feed": "PDU-NOWHERE",
                    "amperage": 32,
                    "price_idr": 1,
                }
            ]
        },
        "catalogue[0].feed",
    ),
    (
        {
            "catalogue": [
                {
                    "id": "x",
                    "kind": "prefix",
                    "prefix": "103.10.20.0/28",
                    "role": "public",
                    "price_idr": 1,
                }
            ]
        },
        "catalogue[0]",
    ),
    ({"servers": [{"name": "A", "server": {"u_height": 1, "power_w": 100}}]}, "servers[0].on"),
    (
        {"servers": [{"name": "A", "on": "2027-02-30", "server": {"u_height": 1, "power_w": 100}}]},
        "servers[0].on",
    ),
    (
        {"servers": [{"name": "A", "on": dt.date(2027, 2, 1), "server": {"u_height": 1}}]},
        "servers[0].server.power_w",
    ),
    (
        {
            "servers": [
                {
                    "name": "A\x00B",
                    "on": dt.date(2027, 2, 1),
                    "server": {"u_height": 1, "power_w": 100},
                }
            ]
        },
        "servers[0].name",
    ),
]


@pytest.mark.parametrize(("change", "field"), HOSTILE, ids=[f for _, f in HOSTILE])
def test_a_bad_plan_is_refused_naming_the_field(
    demo_url: str, tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    plan = {"version": 1, "servers": SMALL_PLAN["servers"][:1], **change}
    path = tmp_path / "bad.yaml"
    path.write_text(dump_yaml(plan), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        make_plan(get_engine(demo_url), read_plan(path), on=ON)
    paths = [p.path for p in caught.value.problems]
    assert any(
        p == field or p.startswith(field + ".") or p.startswith(field + " ") for p in paths
    ), paths


def test_a_yaml_bomb_plan_is_refused_by_the_input_gate(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "elements" in str(caught.value)


def test_the_cli_refuses_a_bad_plan_with_exit_2_and_no_traceback(
    demo_url: str, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nservers: []\n", encoding="utf-8")
    result = run_cli("--db", demo_url, "plan", path)
    assert result.exit_code == 2
    assert "servers" in result.stderr
    assert "Traceback" not in result.stderr and "internal" not in result.stderr


@pytest.mark.slow
def test_the_nota_dinas_reads_back_from_its_pdf_with_every_purchase_and_the_total(
    demo_url: str, demo_answer: Any, tmp_path: Path
) -> None:
    import subprocess

    from capacity.plan_memo import write_plan_memo

    docx, pdf = tmp_path / "nota.docx", tmp_path / "nota.pdf"
    engine = get_engine(demo_url)
    write_plan_memo(engine, read_plan(DEMO_PLAN), demo_answer, docx=docx, pdf=pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "NOTA DINAS" in flat
    assert "PEMERINTAH KABUPATEN SUMBAWA" in flat  # the office's kop surat
    assert "Rencana Kebutuhan Data Center" in flat
    assert "Rp 311.000.000" in flat
    # The table wraps its cells; each purchase is still named by its distinctive words.
    for words in ("UPS-1", "UPS-2", "R07", "/29", "140.000.000", "9.500.000", "12.000.000"):
        assert words in flat, words


@pytest.mark.slow
def test_a_large_catalogue_is_searched_by_the_heuristic_and_its_answer_is_still_minimal(
    demo_url: str, demo_document: dict[str, Any], _sqlite_template: Path, tmp_path: Path
) -> None:
    raw = read_yaml_file(DEMO_PLAN)
    # Five more address blocks of a role nobody asks for: they help nothing, but they make
    # the catalogue larger than the exact whole-year search takes.
    raw["catalogue"] += [
        {
            "id": f"mgmt-{i}",
            "kind": "prefix",
            "prefix": f"10.30.{i}.0/24",
            "role": "lab",
            "price_idr": 1_000_000,
            "lead_time_working_days": 5,
        }
        for i in range(5)
    ]
    path = tmp_path / "large.yaml"
    path.write_text(dump_yaml(raw), encoding="utf-8")
    answer = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    assert len(raw["catalogue"]) > 12
    assert answer.optimal is False
    assert 0 < answer.lower_bound_idr <= answer.total_idr
    assert not {p.item_id for p in answer.purchases} & {f"mgmt-{i}" for i in range(5)}
    catalogue = {item["id"]: item for item in raw["catalogue"]}
    servers = server_requests(path)
    items = [catalogue[p.item_id] for p in answer.purchases]
    assert failures_with(_sqlite_template, tmp_path, demo_document, items, servers, ON) == []
    for purchase in answer.purchases:
        others = [i for i in items if i["id"] != purchase.item_id]
        if purchase.kind == "ups":
            others = [i for i in others if i["kind"] != "rack"]
        failed = failures_with(_sqlite_template, tmp_path, demo_document, others, servers, ON, True)
        assert failed and failed[0] == purchase.unlocks[0], purchase.item_id


@pytest.mark.slow
def test_resuming_the_replays_from_copies_gives_the_answer_of_replaying_from_the_start(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DEMO_PLAN
    resumed_judgements: list[Any] = []
    task = plan_module._Snapshots.task

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = task(*args, **kwargs)
        resumed_judgements.append(found)
        return found

    monkeypatch.setattr(plan_module._Snapshots, "task", counted)
    resumed = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    # The /29 is an addition: its judgement resumed from a copy of the year.
    assert any(found is not None for found in resumed_judgements)
    # The same plan with every judgement replayed from the start of the year.
    monkeypatch.setattr(plan_module._Snapshots, "task", lambda *args, **kwargs: None)
    from_start = make_plan(get_engine(demo_url), read_plan(path), on=ON)
    first, second = resumed.to_json(), from_start.to_json()
    first.pop("checks_run"), second.pop("checks_run")
    assert first == second
