"""Killing ``dcim request act`` at any moment leaves no orphan and no stuck request.

An action and the hold, release or device it makes commit in one
transaction. Each test here runs the real command in a subprocess and
kills it (SIGKILL) after delays spread over the time the command takes
(measured first), for the three actions that call the capacity engine:
the step-5 check (a hold), the step-9 installation (a device) and a
withdrawal (a release). After every kill: every held hold and every new
device belongs to the request that records it, each request's history,
version and audit agree, and the action can be taken again and works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, func, select
from workflow_support import HAPPY_PATH, SIMPEG, SUBMITTED_ON, act, token_of, user, walk

from colocation.models import ColocationRequest, RequestEvent
from colocation.workflow import submit
from dcim.db import read_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import AuditEntry, Device, HoldStatus, Reservation

KILLS_PER_ACTION = 4
# (action, who, how many steps of the happy path come before it)
ACTIONS = [("check", "timdc", 4), ("install", "timdc", 7), ("withdraw", "opd.bkpsdm", 5)]


def _request_data(index: int) -> dict[str, Any]:
    # A small server of its own name, so that the demo data center has room for every one.
    return {
        **read_yaml_file(SIMPEG),
        "number": f"800/{900 + index}/BKPSDM/2026",
        "server": {
            "form_factor": "rack",
            "u_height": 1,
            "power_w": 30,
            "psu": 2,
            "bandwidth_mbps": 1,
        },
        "ipv4": {"server": 1},
        "domains": [f"kill-{index}.sumbawakab.go.id"],
    }


def _ready(engine: Engine, index: int, steps: int) -> str:
    """A new request walked up to the action under test."""
    code = submit(engine, _request_data(index), user(engine, "opd.bkpsdm"), on=SUBMITTED_ON)
    walk(engine, code, HAPPY_PATH[:steps])
    return code


def _command(
    db_url: str, code: str, action: str, who: str, token: str, data: Path | None
) -> list[str]:
    argv = [sys.executable, "-m", "dcim_cli", "--db", db_url, "request", "act", code, action]
    argv += ["--as", who, "--token", token, "--on", SUBMITTED_ON.isoformat()]
    return argv + (["--data", str(data)] if data else [])


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DCIM_DEBUG"}


def _timed(argv: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, env=_environment(), check=False)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def _killed_after(argv: list[str], delay: float) -> None:
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_environment()
    )
    time.sleep(delay)
    process.kill()
    process.wait(timeout=60)


def _install_data(tmp_path: Path, index: int) -> Path:
    path = tmp_path / f"install-{index}.yaml"
    data = {"u_height": 1, "psu": 2, "serial": f"KILL{index:04d}"}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _inventory_names(engine: Engine) -> tuple[set[str], set[str]]:
    """The held holds and the devices the inventory has before any request acts."""
    with read_session(engine) as session:
        held = select(Reservation.code).where(Reservation.status == HoldStatus.HELD)
        return set(session.scalars(held)), set(session.scalars(select(Device.name)))


def _assert_consistent(engine: Engine, before: tuple[set[str], set[str]]) -> None:
    """No orphan hold or device; every request's history, version, state and audit agree."""
    holds_before, devices_before = before
    with read_session(engine) as session:
        requests = session.scalars(select(ColocationRequest)).all()
        recorded_holds = {r.reservation_code for r in requests if r.reservation_code}
        held = set(
            session.scalars(select(Reservation.code).where(Reservation.status == HoldStatus.HELD))
        )
        orphans = held - holds_before - recorded_holds
        assert not orphans, f"orphan holds: {sorted(orphans)}"
        devices = set(session.scalars(select(Device.name)))
        recorded_devices = {r.device_name for r in requests if r.device_name}
        assert devices - devices_before == recorded_devices
        for request in requests:
            events = session.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request.id)
                .order_by(RequestEvent.seq)
            ).all()
            assert [e.seq for e in events] == list(range(1, request.version + 1)), request.code
            assert events[-1].to_state == request.state, request.code
            audited = session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity_key == request.code, AuditEntry.action.like("request.%"))
            )
            assert audited == len(events), request.code
            if request.status == "open" and request.step in (8, 9):
                assert request.reservation_code in held, request.code


def _kill_at_every_moment(db_url: str, demo: Engine, tmp_path: Path) -> None:
    before = _inventory_names(demo)
    started = time.monotonic()
    _timed([sys.executable, "-m", "dcim_cli", "--help"])
    startup = time.monotonic() - started
    index = 0
    for action, who, steps in ACTIONS:
        token = token_of(demo, who)
        index += 1
        code = _ready(demo, index, steps)
        data = _install_data(tmp_path, index) if action == "install" else None
        duration = _timed(_command(db_url, code, action, who, token, data))
        _assert_consistent(demo, before)
        # Most of a run is starting Python; the kills fall in the part that works on the database.
        delays = [
            startup + (duration - startup) * (k + 0.5) / KILLS_PER_ACTION
            for k in range(KILLS_PER_ACTION)
        ]
        for delay in delays:
            index += 1
            code = _ready(demo, index, steps)
            data = _install_data(tmp_path, index) if action == "install" else None
            version = _version(demo, code)
            _killed_after(_command(db_url, code, action, who, token, data), delay)
            _assert_consistent(demo, before)
            if _version(demo, code) == version:
                # Killed before it committed: nothing happened, and the action works now.
                act(demo, code, action, who, data=read_yaml_file(data) if data else None)
                assert _version(demo, code) == version + 1
            _assert_consistent(demo, before)


def _version(engine: Engine, code: str) -> int:
    with read_session(engine) as session:
        version = session.scalar(
            select(ColocationRequest.version).where(ColocationRequest.code == code)
        )
    assert version is not None
    return version


@pytest.mark.slow
def test_killing_check_install_and_withdraw_at_any_moment_leaves_everything_consistent(
    db_url: str, demo: Engine, tmp_path: Path
) -> None:
    # The subprocesses read the real clock: their --on date is in its past.
    _kill_at_every_moment(db_url, demo, tmp_path)
