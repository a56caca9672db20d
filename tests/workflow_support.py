"""Shared ground for the workflow tests: the demo data center, its users, and walking the SOP.

The demo inventory and the demo users (one per role) are loaded into the
``engine`` fixture's fresh database by the ``demo`` fixture (this module is
a plugin of ``tests/conftest.py``); the request files and the data of the
steps come from the demo's files (``dcim_demo/data``), the same files the documentation walks
through. The helpers are imported by the tests that walk requests, the
app's tests among them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from colocation.models import ColocationRequest, Disposition, RequestEvent
from colocation.workflow import ActionResult, perform, submit
from dcim.accounts import create_user, find_user, operator
from dcim.catalog import import_builtin_catalog
from dcim.db import read_session, write_session
from dcim.inventory.load import load_file
from dcim.inventory.yamlio import read_yaml_file
from dcim.models import AuditEntry, Device, Reservation, User
from dcim_demo import DEMO_DIR

DEMO = DEMO_DIR
FLOW = DEMO / "requests-workflow"
SIMPEG = DEMO / "requests" / "01-simpeg-cadangan-bkpsdm.yaml"  # fits
CCTV = DEMO / "requests" / "02-analitik-cctv-dishub.yaml"  # fails on power
SUBMITTED_ON = dt.date(2026, 11, 27)
# The tests' "now" (conftest sets the program's clock to it): after every date the tests record
# actions for, since nothing may be recorded for a day after today. In UTC it is still the 30th,
# in WITA (and WIB, WIT) already the 31st, so a date taken in the wrong zone shows. ``dcim``
# subprocesses read the real clock, so they act on dates in its past.
TEST_NOW = dt.datetime(2026, 12, 30, 20, 0, tzinfo=dt.UTC)
TEST_TODAY = dt.date(2026, 12, 31)

# The main path of the SOP for the SIMPEG request: (action, user, data file) from step 1 to the end.
HAPPY_PATH: list[tuple[str, str, str | None]] = [
    ("register", "kadis", "register.yaml"),
    ("dispose", "kadis", None),
    ("verify", "kabid", None),
    ("assign", "kasi", None),
    ("check", "timdc", None),
    ("report", "timdc", None),
    ("reply", "kasi", None),
    ("install", "timdc", "install-dell-r640.yaml"),
    ("configure", "timdc", "configure.yaml"),
    ("test", "timdc", "test-pass.yaml"),
    ("monitor", "timdc", None),
    ("report", "timdc", None),
    ("forward", "kasi", None),
    ("receive", "kabid", None),
    ("draft", "timdc", None),
    ("acknowledge", "opd.bkpsdm", None),
    ("acknowledge", "kadis", None),
]
ROLE_USERS = {
    "kepala_dinas": "kadis",
    "kabid_ti": "kabid",
    "kasi_aplikasi": "kasi",
    "tim_dc": "timdc",
    "opd": "opd.bkpsdm",
    "admin": "admin",
    "viewer": "pemantau",
}


def load_demo(engine: Engine) -> Engine:
    """The built-in catalog, the demo inventory and the demo users, in the engine's database."""
    import_builtin_catalog(engine, operator())
    load_file(engine, DEMO / "inventory.yaml", actor=operator())
    # The demo users without their password: hashing one takes a third of a second.
    people = read_yaml_file(DEMO / "users.yaml")["users"]
    with write_session(engine) as session:
        for person in people:
            create_user(session, password=None, **person)
        create_user(
            session,
            "opd.dishub",
            "opd",
            None,
            tenant="dishub",
            full_name="Made Wirawan, S.T.",
            nip="198901012014021001",
            position="Pranata Komputer Dinas Perhubungan",
        )
    return engine


@pytest.fixture
def demo(engine: Engine) -> Engine:
    """A fresh database holding the demo data center and its users, once per backend."""
    return load_demo(engine)


def user(engine: Engine, name: str) -> User:
    """The user of that name, as the services take it."""
    with read_session(engine) as session:
        found = find_user(session, name)
    assert found is not None, name
    return found


def flow_data(name: str | None) -> Any:
    """The data of a step, from ``dcim_demo/data/requests-workflow``."""
    return read_yaml_file(FLOW / name) if name else None


def submit_file(
    engine: Engine,
    path: Path,
    username: str | None = "opd.bkpsdm",
    on: dt.date | None = SUBMITTED_ON,
) -> str:
    """Submit a request file as the user (None: the operator registering a paper letter)."""
    return submit(
        engine,
        read_yaml_file(path),
        user(engine, username) if username else operator(),
        source=str(path),
        on=on,
    )


def act(
    engine: Engine,
    code: str,
    action: str,
    username: str,
    data: Any = None,
    on: dt.date | None = SUBMITTED_ON,
    note: str | None = None,
) -> ActionResult:
    """Perform one action as the named user."""
    return perform(engine, code, action, user(engine, username), data=data, note=note, on=on)


def walk(
    engine: Engine,
    code: str,
    steps: list[tuple[str, str, str | None]],
    on: dt.date | None = SUBMITTED_ON,
) -> list[ActionResult]:
    """Perform the steps in order, each with its data file."""
    return [act(engine, code, action, who, flow_data(name), on) for action, who, name in steps]


def snapshot(engine: Engine, code: str) -> dict[str, Any]:
    """Everything an action could change, to compare before and after a refused one."""
    with read_session(engine) as session:
        request = session.scalar(select(ColocationRequest).where(ColocationRequest.code == code))
        assert request is not None

        def count(model: Any) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        return {
            "state": request.state,
            "step": request.step,
            "status": request.status,
            "due_on": request.due_on,
            "version": request.version,
            "events": count(RequestEvent),
            "dispositions": count(Disposition),
            "audit": count(AuditEntry),
            "holds": count(Reservation),
            "devices": count(Device),
            "requests": count(ColocationRequest),
        }


def request_row(engine: Engine, code: str) -> ColocationRequest:
    """The request's row as stored now."""
    with read_session(engine) as session:
        row = session.scalar(select(ColocationRequest).where(ColocationRequest.code == code))
        assert row is not None
        return row


def hold_expires_on(engine: Engine, code: str) -> dt.date | None:
    """The last day the request's hold counts, as its reservation records it."""
    with read_session(engine) as session:
        return session.scalar(
            select(Reservation.expires_at)
            .join(ColocationRequest, ColocationRequest.reservation_code == Reservation.code)
            .where(ColocationRequest.code == code)
        )


def dcim_executable() -> str:
    """The installed ``dcim`` console script of the interpreter running the tests.

    Kept here, in a module importable by name: ``from conftest import`` would reach
    whichever of the suite's conftest files was loaded last.
    """
    beside = Path(sys.executable).parent / "dcim"
    if beside.exists():
        return str(beside)
    found = shutil.which("dcim")
    if found is None:
        pytest.fail("the dcim console script is not installed (pip install -e .)")
    return found


def token_of(engine: Engine, username: str) -> str:
    """A fresh personal access token of the user, as ``dcim token create`` prints it."""
    from dcim.tokens import create_token

    with write_session(engine) as session:
        return create_token(session, operator(), username).text


def race_inventory(rack_units: int, public_prefix: str = "192.0.2.0/24") -> dict[str, Any]:
    """One rack, two feeds, one uplink, a public and a server prefix: the races' small ground."""
    return {
        "version": 1,
        "tenants": [{"slug": "bkpsdm", "name": "BKPSDM"}],
        "sites": [{"slug": "dc", "name": "DC"}],
        "ups": [{"name": "UPS-1", "site": "dc", "capacity_kva": 200}],
        "power_feeds": [
            {"name": "F-A", "site": "dc", "ups": "UPS-1", "voltage": 230, "amperage": 63},
            {"name": "F-B", "site": "dc", "ups": "UPS-1", "voltage": 230, "amperage": 63},
        ],
        "racks": [{"name": "R01", "site": "dc", "u_height": rack_units, "feeds": ["F-A", "F-B"]}],
        "uplinks": [{"name": "ISP", "site": "dc", "capacity_mbps": 10000}],
        "prefixes": [
            {"prefix": public_prefix, "role": "public", "site": "dc"},
            {"prefix": "10.0.0.0/16", "role": "server", "site": "dc"},
        ],
        "zones": [
            {"name": "example.go.id", "records": [{"name": "@", "type": "A", "value": "192.0.2.1"}]}
        ],
    }


def race_request(index: int) -> dict[str, Any]:
    """Request number ``index`` of the races: a 2U server of BKPSDM with one public and one server
    address and a name of its own in the race ground's zone."""
    return {
        "number": f"005/{index:03d}/BKPSDM/2026",
        "tenant": "bkpsdm",
        "server": {"u_height": 2, "power_w": 100, "psu": 2, "bandwidth_mbps": 10},
        "ipv4": {"public": 1, "server": 1},
        "domains": [f"app{index}.example.go.id"],
    }


#: Words that give an English sentence away: none may appear in a message meant in Indonesian.
ENGLISH_WORDS = (
    "should",
    "input",
    "required",
    "field",
    "must",
    "valid",
    "string",
    "integer",
    "error",
    "value",
    "number",
    "greater",
    "less",
    "least",
    "most",
    "expected",
    "missing",
    "allowed",
    "characters",
    "instance",
    "mapping",
    "list",
    "not ",
    "may ",
    "role",
    "unknown",
    "found",
    "sign in",
    "the ",
)


def english_words(text: str) -> list[str]:
    """The words of :data:`ENGLISH_WORDS` in the text (whole words, any case)."""
    import re

    lowered = text.lower()
    return [word for word in ENGLISH_WORDS if re.search(rf"\b{re.escape(word)}", lowered)]
