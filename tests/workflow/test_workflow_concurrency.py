"""Two people acting on one request at the same moment: one action is recorded, the other is
refused, and the data center never holds capacity for a request that no longer wants it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, func, select
from workflow_support import HAPPY_PATH, SIMPEG, act, request_row, submit_file, walk

from dcim.db import read_session
from dcim.errors import InputError, PermissionDenied
from dcim.models import HoldStatus, Reservation


def _race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at once; each one's result or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except (InputError, PermissionDenied) as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _live_holds(engine: Engine, number: str) -> int:
    with read_session(engine) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Reservation)
                .where(
                    Reservation.request_number == number,
                    Reservation.status == HoldStatus.HELD.value,
                )
            )
            or 0
        )


def test_two_checks_at_once_make_one_hold(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:4])
    results = _race(
        lambda: act(demo, code, "check", "timdc"), lambda: act(demo, code, "check", "timdc")
    )
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert sum(isinstance(result, InputError) for result in results) == 1
    assert _live_holds(demo, "800/131/BKPSDM/2026") == 1
    assert request_row(demo, code).step == 8


def test_a_withdrawal_racing_the_check_leaves_no_hold_behind(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:4])
    _race(
        lambda: act(demo, code, "check", "timdc"),
        lambda: act(demo, code, "withdraw", "opd.bkpsdm"),
    )
    row = request_row(demo, code)
    if row.status == "withdrawn":
        assert _live_holds(demo, "800/131/BKPSDM/2026") == 0
    else:
        assert (row.status, row.step) == ("open", 8)
        assert _live_holds(demo, "800/131/BKPSDM/2026") == 1
