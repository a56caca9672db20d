"""The change stamp moves with every kind of write, from any process, and stays put otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from capacity.holds import release
from dcim.accounts import operator
from dcim.changes import change_stamp
from dcim.db import read_session, write_session
from dcim.inventory.edit import apply_changes, diff, section_rows
from dcim.inventory.export import read_inventory
from dcim.inventory.load import load_file
from dcim.models import User
from dcim.snapshots import take_snapshot
from dcim.tables import entries_from_rows, frame
from dcim.users import add_user

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"
ON = dt.date(2026, 11, 27)


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The contract's example data center, with Tim Data Center's account."""
    load_file(engine, FIXTURE, actor=operator())
    with write_session(engine) as session:
        add_user(session, operator(), "timdc", "tim_dc", "sumbawa2026")
    return engine


def _stamp(engine: Engine) -> tuple[int, ...]:
    with read_session(engine) as session:
        return change_stamp(session)


def _edit_devices(engine: Engine, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """An edit of the devices table, as the app's editor makes it."""
    with read_session(engine) as session:
        rows = entries_from_rows(
            "devices",
            frame("devices", section_rows(read_inventory(session), "devices")).to_dict("records"),
        )
        actor = session.scalar(select(User).where(User.username == "timdc"))
    edited = [dict(row) for row in rows]
    change(edited)
    apply_changes(engine, [diff("devices", rows, edited)], actor)


def _move_a_device(engine: Engine) -> None:
    def move(rows: list[dict[str, Any]]) -> None:
        next(r for r in rows if r["name"] == "SRV-BKPSDM-01")["position"] = 30

    _edit_devices(engine, move)


def _remove_a_device(engine: Engine) -> None:
    _edit_devices(
        engine, lambda rows: rows.remove(next(r for r in rows if r["name"] == "SW-CORE-01"))
    )


def _load_an_address(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "printer.yaml"
    path.write_text("version: 1\nip_addresses:\n  - {address: 10.10.1.50, description: printer}\n")
    load_file(engine, path, actor=operator())


WRITES: dict[str, Callable[[Engine, Path], None]] = {
    "a device moved in place": lambda engine, _: _move_a_device(engine),
    "a device removed": lambda engine, _: _remove_a_device(engine),
    "an address loaded without an audit entry": _load_an_address,
    "a hold released": lambda engine, _: release(engine, "RSV-2026-0001", actor=operator()),
    "an account added": lambda engine, _: _add_user(engine),
    "the day's snapshot taken": lambda engine, _: take_snapshot(engine, ON, actor=operator()),
}


def _add_user(engine: Engine) -> None:
    with write_session(engine) as session:
        add_user(session, operator(), "kabid", "kabid_ti", "sumbawa2026")


@pytest.mark.parametrize("write", list(WRITES))
def test_the_stamp_moves_with_a_write(example: Engine, tmp_path: Path, write: str) -> None:
    before = _stamp(example)
    WRITES[write](example, tmp_path)
    assert _stamp(example) != before


def test_the_stamp_stays_put_when_nothing_is_written(example: Engine) -> None:
    assert _stamp(example) == _stamp(example)


def test_a_load_that_only_changes_the_policy_moves_the_stamp(
    example: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("version: 1\npolicy:\n  feed_max_utilization: 70\n")
    before = _stamp(example)
    load_file(example, path, actor=operator())
    assert _stamp(example) != before
