"""Racing reservers: many ``dcim reserve`` processes at once never double-book.

Each test starts more reserving processes than there are slots, all at the
same moment, against one database (SQLite, and PostgreSQL when available),
and checks the exact number of winners, that no unit, address or name was
handed out twice, and that every loser ended cleanly with exit code 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from workflow_support import race_inventory

from dcim.aggregates import verify
from dcim.db import get_engine, read_session
from dcim.models import IPAddress, NameClaim, RackUnit, Reservation

RACERS = 8
ON = "2026-11-27"


def _request(index: int, domain: str | None) -> dict[str, Any]:
    return {
        "number": f"005/{index:03d}/BKPSDM/2026",
        "tenant": "bkpsdm",
        "server": {"u_height": 2, "power_w": 100, "psu": 2, "bandwidth_mbps": 10},
        "ipv4": {"public": 1, "server": 1},
        "domains": [domain or f"app{index}.example.go.id"],
    }


def _race(
    tmp_path: Path, db_url: str, inventory: dict[str, Any], requests: list[dict[str, Any]]
) -> list[tuple[int, dict[str, Any] | None, str]]:
    (tmp_path / "inventory.yaml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DCIM_DEBUG"}
    loaded = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcim_cli",
            "--db",
            db_url,
            "load",
            str(tmp_path / "inventory.yaml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    paths = []
    for i, request in enumerate(requests):
        path = tmp_path / f"request-{i}.yaml"
        path.write_text(yaml.safe_dump(request), encoding="utf-8")
        paths.append(path)
    # Start every racer before any can finish, so they really overlap.
    start_at = time.time() + 1.0
    launcher = (
        "import sys, time; time.sleep(max(0, float(sys.argv[1]) - time.time())); "
        "sys.argv = sys.argv[2:]; sys.exit(__import__('dcim_cli.main', fromlist=['run']).run())"
    )
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                launcher,
                str(start_at),
                "dcim",
                "--db",
                db_url,
                "reserve",
                str(p),
                "--on",
                ON,
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for p in paths
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        results.append((proc.returncode, json.loads(out) if out.strip() else None, err))
    return results


def _assert_clean(results: list[tuple[int, dict[str, Any] | None, str]], winners: int) -> None:
    codes = Counter(code for code, _, _ in results)
    assert codes == Counter({0: winners, 1: len(results) - winners}), [
        (c, e) for c, _, e in results
    ]
    for code, document, err in results:
        assert "Traceback" not in err and "database is locked" not in err, err
        assert document is not None, err
        if code == 0:
            assert document["feasible"] is True and "reservation" in document
        else:
            assert document["feasible"] is False and "reservation" not in document


def _assert_nothing_shared(db_url: str, holds: int) -> None:
    engine = get_engine(db_url)
    with read_session(engine) as session:
        assert len(session.scalars(select(Reservation.id)).all()) == holds
        units = session.execute(select(RackUnit.rack_id, RackUnit.unit, RackUnit.face)).all()
        assert len(units) == len(set(units))
        per_hold = Counter(
            rid for (rid,) in session.execute(select(RackUnit.reservation_id)) if rid
        )
        assert sorted(per_hold.values()) == [4] * holds  # 2U, both faces
        addresses = session.scalars(select(IPAddress.address)).all()
        assert len(addresses) == len(set(addresses)) == 2 * holds
        names = session.scalars(select(NameClaim.fqdn)).all()
        assert len(names) == len(set(names)) == holds
        codes = session.scalars(select(Reservation.code)).all()
        assert len(codes) == len(set(codes))
        # The totals the database keeps moved with every hold, whoever won (``dcim verify``).
        assert verify(session) == [], "a maintained total drifted from its base rows"


@pytest.mark.slow
def test_racers_for_three_rack_slots_leave_exactly_three_holds(tmp_path: Path, db_url: str) -> None:
    inventory = race_inventory(rack_units=6, public_prefix="192.0.2.0/24")
    results = _race(tmp_path, db_url, inventory, [_request(i, None) for i in range(RACERS)])
    _assert_clean(results, winners=3)
    _assert_nothing_shared(db_url, holds=3)


@pytest.mark.slow
def test_racers_for_two_public_addresses_leave_exactly_two_holds(
    tmp_path: Path, db_url: str
) -> None:
    # A /30 has two usable addresses; the rack has room for everyone.
    inventory = race_inventory(rack_units=42, public_prefix="192.0.2.0/30")
    results = _race(tmp_path, db_url, inventory, [_request(i, None) for i in range(RACERS)])
    _assert_clean(results, winners=2)
    _assert_nothing_shared(db_url, holds=2)


@pytest.mark.slow
def test_racers_for_one_domain_name_leave_exactly_one_hold(tmp_path: Path, db_url: str) -> None:
    inventory = race_inventory(rack_units=42, public_prefix="192.0.2.0/24")
    requests = [_request(i, "simpeg.example.go.id") for i in range(RACERS)]
    results = _race(tmp_path, db_url, inventory, requests)
    _assert_clean(results, winners=1)
    _assert_nothing_shared(db_url, holds=1)


# Each racer makes several holds in turn, as the app's users do through a day.
_SERIAL_RACER = """
import datetime as dt, json, sys, time
from sqlalchemy import event
from capacity.holds import reserve
from capacity.request import read_request
from dcim.accounts import operator
from dcim.db import get_engine

time.sleep(max(0, float(sys.argv[1]) - time.time()))
engine = get_engine(sys.argv[2])
deadlocks = []
event.listen(engine, "handle_error", lambda context: deadlocks.append(
    getattr(context.original_exception, "sqlstate", None) == "40P01"))
codes = [
    reserve(engine, read_request(path), on=dt.date.fromisoformat(sys.argv[3]), actor=operator()).reservation_code
    for path in sys.argv[4:]
]
print(json.dumps({"codes": codes, "deadlocks": sum(deadlocks)}))
"""


@pytest.mark.slow
def test_racers_filling_rack_after_rack_all_finish_and_share_nothing(
    tmp_path: Path, db_url: str
) -> None:
    # Twelve 2 U racks take one 2 U server each: with every hold, every racer's proposal moves
    # on to the next rack while the others hold locks on it, which must not end in a deadlock.
    inventory = race_inventory(rack_units=2, public_prefix="192.0.2.0/24")
    racks = range(1, 13)
    inventory["power_feeds"] = [
        {"name": f"F-{n}{side}", "site": "dc", "ups": "UPS-1", "voltage": 230, "amperage": 16}
        for n in racks
        for side in "AB"
    ]
    inventory["racks"] = [
        {"name": f"R{n:02d}", "site": "dc", "u_height": 2, "feeds": [f"F-{n}A", f"F-{n}B"]}
        for n in racks
    ]
    _race(tmp_path, db_url, inventory, [])
    per_racer = 3
    start_at = time.time() + 1.0
    procs = []
    for racer in range(RACERS):
        paths = []
        for turn in range(per_racer):
            path = tmp_path / f"request-{racer}-{turn}.yaml"
            path.write_text(yaml.safe_dump(_request(racer * per_racer + turn, None)))
            paths.append(str(path))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", _SERIAL_RACER, str(start_at), db_url, ON, *paths],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    made = deadlocks = 0
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcome = json.loads(out)
        made += sum(code is not None for code in outcome["codes"])
        # A deadlock is retried and would go unseen, but it means lockers waited in a circle.
        deadlocks += outcome["deadlocks"]
    assert (made, deadlocks) == (12, 0)
    _assert_nothing_shared(db_url, holds=12)
