"""Demo step: colocation requests at different places in the SOP, dated back from today.

- e-Kinerja (BKPSDM): walked through all fifteen steps, with one failed
  performance test and its reconfiguration; every document is issued.
- ATCS CCTV analytics (Dishub): rejected at step 7 (not enough power).
- JDIH (Setda): waiting at step 3, past the deadline the Kepala Dinas set.
- SIK (Dinkes): waiting at step 1, past the SOP's one working day.

The SIMPEG backup request (``dcim_demo/data/requests/01-...``) is left for the
walk-through in ``docs/workflow.md``. Offices without a demo user had their
paper letters registered by the operator.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from colocation.models import ColocationRequest
from colocation.workflow import perform, submit
from dcim.accounts import Actor, acting, channel_of, find_user, require_role
from dcim.db import read_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import Channel
from dcim.workdays import WorkingCalendar, calendar_for, today

from .bundle import DEMO_DIR, DEMO_ROLES

REQUESTS = DEMO_DIR / "requests"
FLOW = DEMO_DIR / "requests-workflow"


def _back(calendar: WorkingCalendar, day: dt.date, working_days: int) -> dt.date:
    """The day ``working_days`` working days before ``day``."""
    current, counted = day, 0
    while counted < working_days:
        current -= dt.timedelta(days=1)
        if calendar.is_working_day(current):
            counted += 1
    return current


def _request(path: Path, submitted: dt.date) -> dict[str, Any]:
    # The letter is dated a few days before it reaches the office, whenever the demo is loaded.
    return read_yaml_file(path) | {"date": submitted - dt.timedelta(days=3)}


def _data(name: str | None) -> Any:
    return read_yaml_file(FLOW / name) if name else None


def load(engine: Engine, actor: Actor) -> list[str]:
    """Add the demo requests when the database has none, as the actor loading the demo; their codes.

    Each step is taken by the demo user of its role, marked with the channel
    the loading actor came by; the paper letters are registered by the actor.
    """
    require_role(actor, DEMO_ROLES, "load the demo")
    channel = Channel(channel_of(actor) or Channel.OPERATOR)
    with read_session(engine) as session:
        if session.scalar(select(func.count()).select_from(ColocationRequest)):
            return []
        calendar = calendar_for(session)
        now = today(session)
        found = {
            name: find_user(session, name)
            for name in ("kadis", "kabid", "kasi", "timdc", "opd.bkpsdm")
        }
    users: dict[str, Actor] = {
        name: acting(user, channel) if user is not None else actor for name, user in found.items()
    }

    def walk(code: str, start: dt.date, steps: list[tuple[int, str, str, str | None]]) -> None:
        for offset, action, who, data in steps:
            perform(
                engine,
                code,
                action,
                users[who],
                data=_data(data),
                on=calendar.add_working_days(start, offset),
            )

    codes: list[str] = []
    start = _back(calendar, now, 14)
    done = submit(
        engine, _request(FLOW / "ekinerja-bkpsdm.yaml", start), users["opd.bkpsdm"], on=start
    )
    walk(
        done,
        start,
        [
            (1, "register", "kadis", "register.yaml"),
            (1, "dispose", "kadis", None),
            (2, "verify", "kabid", None),
            (2, "assign", "kasi", None),
            (3, "check", "timdc", None),
            (3, "report", "timdc", None),
            (4, "reply", "kasi", None),
            (6, "install", "timdc", "install-dell-r650.yaml"),
            (7, "configure", "timdc", "configure.yaml"),
            (8, "test", "timdc", "test-fail.yaml"),
            (8, "configure", "timdc", "configure.yaml"),
            (9, "test", "timdc", "test-pass.yaml"),
            (9, "monitor", "timdc", None),
            (10, "report", "timdc", None),
            (10, "forward", "kasi", None),
            (11, "receive", "kabid", None),
            (12, "draft", "timdc", None),
            (12, "acknowledge", "opd.bkpsdm", None),
            (13, "acknowledge", "kadis", None),
        ],
    )
    codes.append(done)

    start = _back(calendar, now, 8)
    rejected = submit(
        engine, _request(REQUESTS / "02-analitik-cctv-dishub.yaml", start), actor, on=start
    )
    walk(
        rejected,
        start,
        [
            (0, "register", "kadis", None),
            (1, "dispose", "kadis", None),
            (1, "verify", "kabid", None),
            (2, "assign", "kasi", None),
            (3, "check", "timdc", None),
            (3, "report", "timdc", None),
            (4, "reply", "kasi", None),
        ],
    )
    codes.append(rejected)

    start = _back(calendar, now, 4)
    waiting = submit(engine, _request(REQUESTS / "03-jdih-baru-setda.yaml", start), actor, on=start)
    walk(
        waiting,
        start,
        [(0, "register", "kadis", None), (1, "dispose", "kadis", "dispose-deadline.yaml")],
    )
    codes.append(waiting)

    start = _back(calendar, now, 3)
    codes.append(
        submit(engine, _request(REQUESTS / "04-sik-dinkes-ip-publik.yaml", start), actor, on=start)
    )
    return codes
