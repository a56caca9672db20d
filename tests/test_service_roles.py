"""Roles in the service layer, always: every public write service, called directly as every role.

The table below is the one place the rights are written down for the test:
for each service, who may call it. ``operator`` is the named operator of the
command line (database access, no person); ``opd_other`` is an OPD user of
another office than the one the call concerns (a hold or a request of
BKPSDM). The walk calls every service as each of them and asserts that the
set of actors it let through equals the table, that every refusal is a
:class:`PermissionDenied`, and that a refusal changed nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from workflow_support import ROLE_USERS, user

from capacity.holds import commit, release, reserve
from capacity.request import parse_request
from colocation.numbering import set_numbering
from colocation.sop import current_sop
from colocation.workflow import perform, submit
from dcim.accounts import Actor, create_user, hash_password, operator
from dcim.calendar_settings import add_local_holiday, remove_local_holiday, set_timezone
from dcim.catalog import import_builtin_catalog, import_paths, set_power_budget
from dcim.db import read_session, write_session
from dcim.errors import InputError, PermissionDenied
from dcim.inventory.edit import apply_changes, import_device_types, load_uploaded, upsert
from dcim.inventory.load import load_file, load_inventory, parse_inventory
from dcim.letterhead import write_letterhead_settings, write_logo
from dcim.mail import write_mail_settings
from dcim.models import (
    AccessToken,
    Base,
    DeviceType,
    LocalHoliday,
    Role,
    Setting,
    User,
)
from dcim.netbox import import_netbox
from dcim.snapshots import ensure_daily_snapshot, take_snapshot
from dcim.tokens import create_token, revoke_token
from dcim.users import (
    add_demo_users,
    add_user,
    change_own_password,
    set_active,
    set_email,
    set_password,
    set_rank,
)
from dcim_demo import DEMO_DIR, load_demo
from dcim_demo import holds as demo_holds
from dcim_demo import requests as demo_requests
from dcim_demo import users as demo_users

pytestmark = pytest.mark.postgres

ON = dt.date(2026, 11, 27)
R650 = Path(__file__).resolve().parent / "fixtures" / "devicetypes" / "Dell-PowerEdge-R650.yaml"
R650_SLUG = "dell-poweredge-r650"
LOGO = Path(__file__).resolve().parent / "fixtures" / "logo.png"
OUTSIDER = "pihak.lain"  # a user no actor is: tokens made for someone else
PASSWORD = "sumbawa2026"

ACTORS = (*Role.values(), "operator", "opd_other")
PERSONS = {**ROLE_USERS, "opd_other": "opd.dishub"}
EVERY_PERSON = frozenset(Role.values()) | {"opd_other"}

# Who may call each public write service. admin may do everything the roles may; the operator
# only what is written here; an OPD user only for its own office (release: its own hold).
TABLE: dict[str, frozenset[str]] = {
    "users.add_user": frozenset({"admin", "operator"}),
    "users.set_password": frozenset({"admin", "operator"}),
    "users.set_active": frozenset({"admin", "operator"}),
    "users.add_demo_users": frozenset({"admin", "operator"}),
    "users.change_own_password": EVERY_PERSON,
    "users.set_email": frozenset({"admin", "operator"}),  # of another person; one's own: anyone
    "mail.write_mail_settings": frozenset({"admin", "operator"}),
    "users.set_rank": frozenset({"admin", "operator"}),
    "letterhead.write_letterhead_settings": frozenset({"admin", "operator"}),
    "letterhead.write_logo": frozenset({"admin", "operator"}),
    "tokens.create_token": frozenset({"admin", "operator"}),
    "tokens.revoke_token": frozenset({"admin", "operator"}),
    "inventory.load_file": frozenset({"admin", "tim_dc", "operator"}),
    "inventory.load_inventory": frozenset({"admin", "tim_dc", "operator"}),
    "inventory.load_uploaded": frozenset({"admin", "tim_dc", "operator"}),
    "inventory.apply_changes": frozenset({"admin", "tim_dc", "operator"}),
    "inventory.import_device_types": frozenset({"admin", "tim_dc", "operator"}),
    "netbox.import_netbox": frozenset({"admin", "tim_dc", "operator"}),
    "catalog.import_paths": frozenset({"admin", "tim_dc", "operator"}),
    "catalog.import_builtin_catalog": frozenset({"admin", "tim_dc", "operator"}),
    "catalog.set_power_budget": frozenset({"admin", "tim_dc", "operator"}),
    "calendar.set_timezone": frozenset({"admin", "tim_dc", "operator"}),
    "calendar.add_local_holiday": frozenset({"admin", "tim_dc", "operator"}),
    "calendar.remove_local_holiday": frozenset({"admin", "tim_dc", "operator"}),
    "numbering.set_numbering": frozenset({"admin", "operator"}),
    "snapshots.take_snapshot": frozenset({"admin", "tim_dc", "operator"}),
    "snapshots.ensure_daily_snapshot": frozenset({"admin", "tim_dc", "operator"}),
    "holds.reserve": frozenset({"admin", "tim_dc", "operator"}),
    "holds.release": frozenset({"admin", "tim_dc", "kasi_aplikasi", "operator", "opd"}),
    "holds.commit": frozenset({"admin", "tim_dc", "operator"}),
    "workflow.submit": frozenset({"admin", "opd", "operator"}),
    "workflow.perform": frozenset({"kepala_dinas"}),  # step 1's role only: admin watches
    "dcim_demo.load_demo": frozenset({"admin", "operator"}),
    "dcim_demo.holds.load": frozenset({"admin", "operator"}),
    "dcim_demo.users.load": frozenset({"admin", "operator"}),
    "dcim_demo.requests.load": frozenset({"admin", "operator"}),
}


# Refusals that are not a PermissionDenied, on purpose: another office's request is answered
# as "no such request", so that an OPD user cannot learn which requests other offices made;
# a request for another office is refused by its field (``tenant``), as the form shows it.
HIDDEN = {("workflow.perform", "opd_other"), ("workflow.submit", "opd_other")}


@dataclass(frozen=True)
class Service:
    """One public write service: what to prepare (as the operator) and the call as the actor."""

    name: str
    call: Callable[[Engine, Actor, Any], Any]
    prepare: Callable[[Engine, Actor, int], Any] = lambda engine, actor, n: n


def _session_call(function: Callable[..., Any]) -> Callable[[Engine, Actor, Any], Any]:
    def call(engine: Engine, actor: Actor, context: Any) -> Any:
        with write_session(engine) as session:
            return function(session, actor, context)

    return call


def _request(n: int, tenant: str = "bkpsdm") -> dict[str, Any]:
    return {
        "number": f"800/{n:03d}/ROLES/2026",
        "date": "2026-11-20",
        "tenant": tenant,
        "purpose": "Server uji hak akses",
        "server": {"u_height": 1, "power_w": 100, "psu": 2},
        "ipv4": {"server": 1},
        "domains": [f"peran-{n}.sumbawakab.go.id"],
    }


def _hold(engine: Engine, _actor: Actor, n: int) -> str:
    outcome = reserve(engine, parse_request(_request(n)), on=ON, actor=operator())
    assert outcome.reservation_code is not None, outcome.result.to_json()
    return outcome.reservation_code


def _own_password(engine: Engine, actor: Actor, n: int) -> int:
    if isinstance(actor, User):
        with write_session(engine) as session:
            stored = session.get(User, actor.id)
            assert stored is not None
            stored.password_hash = hash_password(PASSWORD)
    return n


def _outsider_token(engine: Engine, _actor: Actor, _n: int) -> int:
    with write_session(engine) as session:
        return create_token(session, operator(), OUTSIDER).id


def _holiday(engine: Engine, _actor: Actor, n: int) -> dt.date:
    day = dt.date(2027, 3, 1) + dt.timedelta(days=n)
    with write_session(engine) as session:
        add_local_holiday(session, operator(), day, "Libur uji")
    return day


def _submitted(engine: Engine, _actor: Actor, n: int) -> str:
    return submit(engine, _request(n), operator(), on=ON)


def _tenant_file(_engine: Engine, _actor: Actor, n: int) -> Path:
    handle, name = tempfile.mkstemp(suffix=".yaml", prefix=f"roles-{n}-")
    os.close(handle)
    path = Path(name)
    path.write_text(f"version: 1\ntenants:\n  - {{slug: file-{n}, name: Kantor {n}}}\n")
    return path


def _netbox_file(_engine: Engine, _actor: Actor, n: int) -> Path:
    handle, name = tempfile.mkstemp(suffix=".json", prefix=f"netbox-{n}-")
    os.close(handle)
    path = Path(name)
    tenant = {"model": "tenancy.tenant", "pk": 1, "fields": {"slug": f"nb-{n}", "name": f"NB {n}"}}
    path.write_text(json.dumps([tenant]))
    return path


def _tenants(n: int, kind: str) -> dict[str, Any]:
    return {"version": 1, "tenants": [{"slug": f"{kind}-{n}", "name": f"Kantor {kind} {n}"}]}


SERVICES = [
    Service(
        "users.add_user",
        _session_call(lambda s, a, n: add_user(s, a, f"baru{n}", "viewer", "rahasia-123")),
    ),
    Service(
        "users.set_password",
        _session_call(lambda s, a, n: set_password(s, a, "pemantau", "rahasia-456")),
    ),
    Service("users.set_active", _session_call(lambda s, a, n: set_active(s, a, OUTSIDER, True))),
    Service(
        "users.add_demo_users",
        _session_call(lambda s, a, n: add_demo_users(s, a, DEMO_DIR / "users.yaml")),
    ),
    Service(
        "users.change_own_password",
        _session_call(lambda s, a, n: change_own_password(s, a, PASSWORD, f"baru-rahasia-{n}")),
        _own_password,
    ),
    Service("tokens.create_token", _session_call(lambda s, a, n: create_token(s, a, OUTSIDER))),
    Service(
        "tokens.revoke_token", _session_call(lambda s, a, i: revoke_token(s, a, i)), _outsider_token
    ),
    Service("inventory.load_file", lambda e, a, path: load_file(e, path, actor=a), _tenant_file),
    Service(
        "netbox.import_netbox", lambda e, a, path: import_netbox(e, path, actor=a), _netbox_file
    ),
    Service(
        "inventory.load_inventory",
        lambda e, a, n: load_inventory(e, parse_inventory(_tenants(n, "inv")), "uji", actor=a),
    ),
    Service(
        "inventory.load_uploaded",
        lambda e, a, n: load_uploaded(e, _tenants(n, "upload"), "unggah.yaml", a),
    ),
    Service(
        "inventory.apply_changes",
        lambda e, a, n: apply_changes(
            e, [upsert("tenants", [{"slug": f"edit-{n}", "name": f"Kantor {n}"}], set())], a
        ),
    ),
    Service("inventory.import_device_types", lambda e, a, n: import_device_types(e, [R650], a)),
    Service("catalog.import_paths", lambda e, a, n: import_paths(e, [R650], actor=a)),
    Service("catalog.import_builtin_catalog", lambda e, a, n: import_builtin_catalog(e, a)),
    Service(
        "catalog.set_power_budget",
        lambda e, a, n: set_power_budget(e, R650_SLUG, Decimal(500 + n), 2, actor=a),
    ),
    Service(
        "calendar.set_timezone", _session_call(lambda s, a, n: set_timezone(s, a, "Asia/Makassar"))
    ),
    Service(
        "calendar.add_local_holiday",
        _session_call(
            lambda s, a, n: add_local_holiday(s, a, dt.date(2027, 1, 1) + dt.timedelta(n), "Uji")
        ),
    ),
    Service(
        "calendar.remove_local_holiday",
        _session_call(lambda s, a, day: remove_local_holiday(s, a, day)),
        _holiday,
    ),
    Service(
        "numbering.set_numbering",
        _session_call(lambda s, a, n: set_numbering(s, a, current_sop(), {"kode_unit": "DKISS"})),
    ),
    Service("snapshots.take_snapshot", lambda e, a, n: take_snapshot(e, ON, actor=a)),
    Service(
        "snapshots.ensure_daily_snapshot",
        lambda e, a, n: ensure_daily_snapshot(e, ON - dt.timedelta(n), actor=a),
    ),
    Service(
        "holds.reserve",
        lambda e, a, n: reserve(e, parse_request(_request(n)), on=ON, actor=a),
    ),
    Service("holds.release", lambda e, a, code: release(e, code, actor=a), _hold),
    Service(
        "holds.commit",
        lambda e, a, code: commit(e, code, name=f"SRV-{code}", on=ON, actor=a),
        _hold,
    ),
    Service("workflow.submit", lambda e, a, n: submit(e, _request(n), a, on=ON)),
    Service(
        "workflow.perform", lambda e, a, code: perform(e, code, "register", a, on=ON), _submitted
    ),
    Service(
        "users.set_email",
        _session_call(lambda s, a, n: set_email(s, a, OUTSIDER, f"pihak{n}@sumbawakab.example")),
    ),
    Service(
        "mail.write_mail_settings",
        _session_call(
            lambda s, a, n: write_mail_settings(
                s,
                a,
                {
                    "host": f"mail{n}.example",
                    "sender": "dcim@sumbawakab.example",
                    "base_url": "https://dc.example",
                },
            )
        ),
    ),
    Service(
        "users.set_rank",
        _session_call(lambda s, a, n: set_rank(s, a, OUTSIDER, f"Penata ({n})")),
    ),
    Service(
        "letterhead.write_letterhead_settings",
        _session_call(lambda s, a, n: write_letterhead_settings(s, a, {"phone": f"0371 {n}"})),
    ),
    Service(
        "letterhead.write_logo",
        _session_call(lambda s, a, n: write_logo(s, a, LOGO.read_bytes() if n % 2 else None)),
    ),
    Service("dcim_demo.load_demo", lambda e, a, n: load_demo(e, a)),
    Service("dcim_demo.holds.load", lambda e, a, n: demo_holds.load(e, a)),
    Service("dcim_demo.users.load", lambda e, a, n: demo_users.load(e, a)),
    # Last: with requests in the database it adds none, so the allowed call stays quick.
    Service("dcim_demo.requests.load", lambda e, a, n: demo_requests.load(e, a)),
]


def _actor(engine: Engine, key: str) -> Actor:
    return operator() if key == "operator" else user(engine, PERSONS[key])


def _fingerprint(engine: Engine) -> tuple[Any, ...]:
    """Everything a refused call could have touched: every table's rows counted, and the rows
    a write changes in place (settings, passwords, switched-off accounts, tokens, budgets)."""
    with read_session(engine) as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        )
        changed_in_place = (
            sorted(
                (key, repr(value))
                for key, value in session.execute(select(Setting.key, Setting.value))
            ),
            sorted(
                session.execute(
                    select(User.username, User.password_hash, User.active, User.email, User.rank)
                ).all()
            ),
            sorted(session.execute(select(AccessToken.id, AccessToken.revoked_at)).all()),
            sorted(session.execute(select(DeviceType.slug, DeviceType.power_budget_w)).all()),
            sorted(session.execute(select(LocalHoliday.day, LocalHoliday.name)).all()),
        )
    return counts, changed_in_place


def test_every_write_service_lets_exactly_the_roles_of_the_table_through(demo: Engine) -> None:
    with write_session(demo) as session:
        create_user(session, OUTSIDER, "viewer", None)
    import_paths(demo, [R650], actor=operator())
    assert {service.name for service in SERVICES} == set(TABLE), "a service without a row"

    allowed: dict[str, frozenset[str]] = {}
    wrongly_refused: list[str] = []
    changed_by_refusal: list[str] = []
    n = 0
    for service in SERVICES:
        let_through: set[str] = set()
        for key in ACTORS:
            n += 1
            actor = _actor(demo, key)
            context = service.prepare(demo, actor, n)
            before = _fingerprint(demo)
            try:
                service.call(demo, actor, context)
            except (PermissionDenied, InputError) as exc:
                if isinstance(exc, InputError) and (service.name, key) not in HIDDEN:
                    wrongly_refused.append(f"{service.name} as {key}: {exc}")
                elif _fingerprint(demo) != before:
                    changed_by_refusal.append(f"{service.name} as {key}")
                continue
            except Exception as exc:  # a refusal of another kind is a finding too
                wrongly_refused.append(f"{service.name} as {key}: {type(exc).__name__}: {exc}")
                continue
            let_through.add(key)
        allowed[service.name] = frozenset(let_through)

    assert wrongly_refused == []
    assert changed_by_refusal == []
    assert allowed == TABLE
