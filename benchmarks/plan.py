"""Benchmark of ``dcim plan`` (issue #14): the demo with 50 servers over 12 months and a
20-item catalogue (target <= 10 s), and the national inventory with 200 servers (<= 60 s).

Usage: ``python benchmarks/plan.py [--only demo|national] [--keep DIR]``. The plans are
generated (deterministically) next to the databases, and each answer is written beside them
as ``<scenario>-answer.json`` (to compare two versions of the planner). The time is that of
``make_plan`` in process, from reading the real inventory to the minimal purchase list; ``cpu_s`` is the
CPU time of the process and of the worker processes that replay the year without each
purchase (``children_cpu_s`` of it), which is what to compare on a shared machine.
``--workers N`` sets their number (1: sequential; default: the planner's choice).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ON = dt.date(2026, 11, 27)
DEMO_TENANTS = [
    "bkpsdm",
    "setda",
    "bappeda",
    "bapenda",
    "rsud",
    "dinkes",
    "dishub",
    "dikbud",
    "disdukcapil",
    "bpkad",
]


def _month_day(index: int, count: int, year: int = 2027) -> dt.date:
    """Spread ``count`` servers over the 12 months of ``year``."""
    month = 1 + index * 12 // count
    return dt.date(year, month, 1 + (index * 7) % 27)


def demo_plan() -> dict[str, Any]:
    """50 servers over 2027 and 20 catalogue items on the demo data center."""
    servers = []
    for i in range(50):
        power = (250, 350, 450, 600)[i % 4]
        servers.append(
            {
                "name": f"SRV-2027-{i + 1:02d}",
                "on": _month_day(i, 50),
                "tenant": DEMO_TENANTS[i % 10],
                "server": {"u_height": 1 + i % 2, "power_w": power, "weight_kg": 20},
                "ipv4": {"server": 1, **({"public": 1} if i % 5 == 0 else {})},
            }
        )
    site = "dc-kominfo"
    catalogue: list[dict[str, Any]] = [
        {
            "id": "ups1-30",
            "kind": "ups",
            "name": "UPS-1",
            "site": site,
            "capacity_kva": 30,
            "price_idr": 285_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "ups2-30",
            "kind": "ups",
            "name": "UPS-2",
            "site": site,
            "capacity_kva": 30,
            "price_idr": 285_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "ups1-40",
            "kind": "ups",
            "name": "UPS-1",
            "site": site,
            "capacity_kva": 40,
            "price_idr": 390_000_000,
            "lead_time_working_days": 45,
        },
        {
            "id": "ups2-40",
            "kind": "ups",
            "name": "UPS-2",
            "site": site,
            "capacity_kva": 40,
            "price_idr": 390_000_000,
            "lead_time_working_days": 45,
        },
        {
            "id": "ups3-20",
            "kind": "ups",
            "name": "UPS-3",
            "site": site,
            "capacity_kva": 20,
            "price_idr": 240_000_000,
            "lead_time_working_days": 40,
        },
        {
            "id": "ups4-20",
            "kind": "ups",
            "name": "UPS-4",
            "site": site,
            "capacity_kva": 20,
            "price_idr": 240_000_000,
            "lead_time_working_days": 40,
        },
    ]
    for number, ups in ((8, "UPS-3"), (9, "UPS-3"), (10, "UPS-4"), (11, "UPS-4")):
        catalogue.append(
            {
                "id": f"rak-r{number:02d}",
                "kind": "rack",
                "name": f"R{number:02d}",
                "site": site,
                "feeds": [f"PDU-R{number:02d}-A", f"PDU-R{number:02d}-B"],
                "power_feeds": [
                    {
                        "name": f"PDU-R{number:02d}-{side}",
                        "site": site,
                        "ups": ups,
                        "voltage": 230,
                        "amperage": 32,
                    }
                    for side in "AB"
                ],
                "price_idr": 65_000_000 + number * 1_000_000,
                "lead_time_working_days": 30,
            }
        )
    for rack in ("R05", "R06", "R07"):
        for side in "AB":
            catalogue.append(
                {
                    "id": f"pdu-{rack}{side}-32".lower(),
                    "kind": "feed_upgrade",
                    "feed": f"PDU-{rack}-{side}",
                    "amperage": 32,
                    "price_idr": 9_500_000,
                    "lead_time_working_days": 15,
                }
            )
    catalogue += [
        {
            "id": "ipv4-29",
            "kind": "prefix",
            "prefix": "103.10.21.0/29",
            "role": "public",
            "site": site,
            "price_idr": 12_000_000,
            "lead_time_working_days": 20,
        },
        {
            "id": "ipv4-28",
            "kind": "prefix",
            "prefix": "103.10.22.0/28",
            "role": "public",
            "site": site,
            "price_idr": 22_000_000,
            "lead_time_working_days": 20,
        },
        {
            "id": "iconplus-500",
            "kind": "uplink_upgrade",
            "uplink": "ICONPLUS",
            "capacity_mbps": 500,
            "price_idr": 60_000_000,
            "lead_time_working_days": 25,
        },
        {
            "id": "telkom-2000",
            "kind": "uplink_upgrade",
            "uplink": "TELKOM-ASTINET",
            "capacity_mbps": 2000,
            "price_idr": 120_000_000,
            "lead_time_working_days": 25,
        },
    ]
    assert len(catalogue) == 20, len(catalogue)
    return {"version": 1, "title": "Benchmark 2027", "servers": servers, "catalogue": catalogue}


def national_plan() -> dict[str, Any]:
    """200 servers over 2027 and 20 catalogue items on the national inventory."""
    from national import SITE

    servers = [
        {
            "name": f"NAS-2027-{i + 1:03d}",
            "on": _month_day(i, 200),
            "tenant": f"instansi-{i % 100 + 1:03d}",
            "server": {"u_height": 2, "power_w": 500, "weight_kg": 30, "bandwidth_mbps": 20},
            "ipv4": {"server": 2},
        }
        for i in range(200)
    ]
    catalogue: list[dict[str, Any]] = []
    for number in range(1, 17):
        name = f"RN{number:02d}"
        catalogue.append(
            {
                "id": f"rak-{name.lower()}",
                "kind": "rack",
                "name": name,
                "site": SITE,
                "feeds": [f"PDU-{name}-A", f"PDU-{name}-B"],
                "power_feeds": [
                    {
                        "name": f"PDU-{name}-{side}",
                        "site": SITE,
                        "ups": f"UPS-{(number % 10) + (1 if side == 'A' else 11):02d}",
                        "voltage": 230,
                        "amperage": 32,
                    }
                    for side in "AB"
                ],
                "price_idr": 60_000_000 + number * 500_000,
                "lead_time_working_days": 30,
            }
        )
    catalogue += [
        {
            "id": "ups-01-1200",
            "kind": "ups",
            "name": "UPS-01",
            "site": SITE,
            "capacity_kva": 1200,
            "price_idr": 2_000_000_000,
            "lead_time_working_days": 60,
        },
        {
            "id": "ipv4-publik-24",
            "kind": "prefix",
            "prefix": "100.64.8.0/24",
            "role": "public",
            "site": SITE,
            "price_idr": 40_000_000,
            "lead_time_working_days": 20,
        },
        {
            "id": "server-net-2",
            "kind": "prefix",
            "prefix": "10.21.0.0/16",
            "role": "server",
            "site": SITE,
            "price_idr": 0,
            "lead_time_working_days": 0,
        },
        {
            "id": "isp-1-200g",
            "kind": "uplink_upgrade",
            "uplink": "ISP-1",
            "capacity_mbps": 200000,
            "price_idr": 900_000_000,
            "lead_time_working_days": 40,
        },
    ]
    return {"version": 1, "servers": servers, "catalogue": catalogue}


def _engine_with(url: str, loader: Any) -> Any:
    import importlib

    from dcim.db import ensure_schema, get_engine

    # The workflow's import registers its migrations: the schema is one chain across the layers.
    importlib.import_module("colocation")
    engine = get_engine(url)
    ensure_schema(engine)
    loader(engine)
    return engine


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the plan's workers, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(name: str, workdir: Path, workers: int | None = None) -> dict[str, Any]:
    """Build the scenario's database, write its plan, time make_plan."""
    from capacity.plan import make_plan
    from capacity.planfile import read_plan
    from dcim.accounts import operator
    from dcim.inventory.load import load_file

    url = f"sqlite:///{workdir / f'{name}.db'}"
    if name == "demo":
        from dcim.catalog import import_builtin_catalog
        from dcim_demo import DEMO_DIR

        def loader(engine: Any) -> None:
            import_builtin_catalog(engine, operator())
            load_file(engine, DEMO_DIR / "inventory.yaml", actor=operator())

        plan_doc = demo_plan()
    else:
        import national

        inventory = workdir / "national.yaml"
        national.write(inventory, 1000)

        def loader(engine: Any) -> None:
            load_file(engine, inventory, actor=operator())

        plan_doc = national_plan()
    started = time.perf_counter()
    engine = _engine_with(url, loader)
    load_s = time.perf_counter() - started
    plan_path = workdir / f"{name}-plan.yaml"
    plan_path.write_text(yaml.safe_dump(plan_doc, sort_keys=False), encoding="utf-8")
    plan = read_plan(plan_path)
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    result = make_plan(engine, plan, on=ON, workers=workers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    children = _children_cpu() - children
    # The answer beside the databases, to compare two versions of the planner byte for byte.
    answer = json.dumps(result.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
    (workdir / f"{name}-answer.json").write_text(answer, encoding="utf-8")
    return {
        "scenario": name,
        "servers": len(plan.servers),
        "catalogue": len(plan.catalogue),
        "load_s": round(load_s, 1),
        "plan_s": round(seconds, 2),
        "cpu_s": round(cpu + children, 2),
        "children_cpu_s": round(children, 2),
        "checks": result.checks_run,
        "checks_by_phase": result.checks_by_phase,
        "discarded_checks": result.discarded_checks,
        "purchases": len(result.purchases),
        "total_idr": result.total_idr,
        "optimal": result.optimal,
        "unplaceable": len(result.unplaceable),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["demo", "national"])
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dcim-plan-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        targets = {"demo": 10, "national": 60}
        for name in [args.only] if args.only else ["demo", "national"]:
            row = run(name, workdir, args.workers)
            row["target_s"] = targets[name]
            row["met"] = row["plan_s"] <= targets[name]
            print(row, flush=True)


if __name__ == "__main__":
    main()
