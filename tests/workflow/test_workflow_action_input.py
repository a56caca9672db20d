"""What an action's data may say: one server per serial number, monitoring of the server itself,
printable and bounded text; and, for random and hostile data and dates, every ``request act``
ends in a clean answer naming the field, and a refused action changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from workflow_support import (
    HAPPY_PATH,
    SIMPEG,
    SUBMITTED_ON,
    TEST_TODAY,
    act,
    flow_data,
    snapshot,
    submit_file,
    token_of,
    user,
    walk,
)

from colocation.workflow import submit
from dcim.errors import InputError
from dcim.inventory.yamlio import read_yaml_file
from dcim_cli.main import invoke

HOSTILE_TEXT = ["", " x", "a\x00b", "a\x1b[31mb", "abc\u202edef", "x" * 5000, "\u200b", "ok"]


def test_a_serial_number_already_installed_is_refused_naming_the_field(demo: Engine) -> None:
    first = submit_file(demo, SIMPEG)
    walk(demo, first, HAPPY_PATH[:8])
    second = _another(demo, 1)
    walk(demo, second, HAPPY_PATH[:7])
    before = snapshot(demo, second)
    with pytest.raises(InputError) as refused:
        act(demo, second, "install", "timdc", data=flow_data("install-dell-r640.yaml"))
    assert [p.path for p in refused.value.problems] == ["data.serial"]
    assert "CN7R640BKP01" in refused.value.problems[0].message
    assert snapshot(demo, second) == before


def _at_monitoring(engine: Engine) -> str:
    code = submit_file(engine, SIMPEG)
    walk(engine, code, HAPPY_PATH[:10])
    return code


def test_monitoring_an_address_that_is_not_the_servers_is_refused(demo: Engine) -> None:
    code = _at_monitoring(demo)
    before = snapshot(demo, code)
    with pytest.raises(InputError) as refused:
        act(demo, code, "monitor", "timdc", data={"address": "8.8.8.8"})
    assert [p.path for p in refused.value.problems] == ["data.address"]
    assert "8.8.8.8 bukan alamat server" in refused.value.problems[0].message
    assert snapshot(demo, code) == before


@pytest.mark.parametrize("address", ["fe80::1%eth0", "not-an-address"])
def test_monitoring_an_address_with_a_zone_or_no_address_is_refused(
    demo: Engine, address: str
) -> None:
    code = _at_monitoring(demo)
    with pytest.raises(InputError) as refused:
        act(demo, code, "monitor", "timdc", data={"address": address})
    assert refused.value.problems[0].path == "data.address"
    assert "bukan alamat IP" in refused.value.problems[0].message


def test_monitoring_one_of_the_servers_own_addresses_is_recorded(demo: Engine) -> None:
    code = _at_monitoring(demo)
    default = act(demo, code, "monitor", "timdc")
    assert default.to_step == 13


@pytest.mark.parametrize("text", ["a\x00b", "a\x1b[31mb", "abc\u202edef", "x" * 2001])
def test_a_checklist_detail_that_is_not_printable_or_too_long_is_refused(
    demo: Engine, text: str
) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:8])
    data = flow_data("configure.yaml")
    first = next(iter(data["items"]))
    data["items"][first]["detail"] = text
    before = snapshot(demo, code)
    with pytest.raises(InputError) as refused:
        act(demo, code, "configure", "timdc", data=data)
    assert [p.path for p in refused.value.problems] == [f"data.items.{first}.detail"]
    assert snapshot(demo, code) == before


@pytest.mark.parametrize("note", ["a\x1b]0;owned\x07", "x" * 2001, "\u202eevil"])
def test_a_note_that_is_not_printable_or_too_long_is_refused_naming_note(
    demo: Engine, note: str
) -> None:
    code = submit_file(demo, SIMPEG)
    before = snapshot(demo, code)
    with pytest.raises(InputError) as refused:
        act(demo, code, "register", "kadis", note=note)
    assert [p.path for p in refused.value.problems] == ["note"]
    assert snapshot(demo, code) == before


# --- random and hostile action data through the command line ------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.dates().map(dt.date.isoformat),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "urgency",
    "received_on",
    "instruction",
    "deadline",
    "delivery_deadline",
    "model",
    "u_height",
    "psu",
    "serial",
    "name",
    "items",
    "tests",
    "address",
    "port",
    "job",
    "zabbix_groups",
    "zabbix_templates",
    "status",
    "detail",
]
DATA = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5),
    VALUES,
)
ON = st.one_of(
    st.none(),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "tomorrow", "2027-07-01"]),
)
# Where the SIMPEG request stands (steps of the happy path done) and the action taken there.
STAGES = [
    (0, "register", "kadis"),
    (1, "dispose", "kadis"),
    (8, "configure", "timdc"),
    (9, "test", "timdc"),
    (10, "monitor", "timdc"),
    (6, "reply", "kasi"),
]


@pytest.fixture
def tokens(demo: Engine) -> dict[str, str]:
    """A personal access token of each person who acts at a stage under test."""
    return {who: token_of(demo, who) for _, _, who in STAGES}


@pytest.fixture
def stages(demo: Engine) -> dict[str, str]:
    """One request waiting at each stage under test, by action name."""
    return {
        action: _waiting_at(demo, done, index) for index, (done, action, _) in enumerate(STAGES)
    }


def _waiting_at(engine: Engine, done: int, index: int) -> str:
    """A new request walked through the first ``done`` steps, its server with a serial of its own."""
    code = _another(engine, index)
    for action, who, name in HAPPY_PATH[:done]:
        data = flow_data(name)
        if action == "install":
            # No model: the small server names none, so the delivered one is not compared.
            data = {key: value for key, value in data.items() if key != "model"}
            data["serial"] = f"PROP{index:04d}"
        act(engine, code, action, who, data)
    return code


def _another(engine: Engine, index: int) -> str:
    """A request of its own letter number and name, for a small server the demo has room for."""
    data = {
        **read_yaml_file(SIMPEG),
        "number": f"800/{700 + index}/BKPSDM/2026",
        "server": {"form_factor": "rack", "u_height": 1, "power_w": 30, "psu": 2},
        "ipv4": {"server": 1},
        "domains": [f"prop-{index}.sumbawakab.go.id"],
    }
    return submit(engine, data, user(engine, "opd.bkpsdm"), on=SUBMITTED_ON)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stage=st.sampled_from(STAGES), data=DATA, on=ON, note=st.none() | st.sampled_from(HOSTILE_TEXT)
)
def test_any_action_data_and_date_end_cleanly_and_a_refusal_changes_nothing(
    demo: Engine,
    stages: dict[str, str],
    tokens: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    stage: tuple[int, str, str],
    data: Any,
    on: str | None,
    note: str | None,
) -> None:
    _, action, who = stage
    code = stages[action]
    before = snapshot(demo, code)
    path = tmp_path_factory.mktemp("data") / "data.json"
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    argv = [
        "--db",
        demo.url.render_as_string(hide_password=False),
        "request",
        "act",
        code,
        action,
        "--as",
        who,
        "--token",
        tokens[who],
        "--data",
        str(path),
    ]
    argv += ["--on", on] if on is not None else []
    argv += ["--note", note] if note is not None else []
    capsys.readouterr()
    exit_code = invoke(argv)
    _, err = capsys.readouterr()
    assert exit_code in (0, 2), err
    assert "kesalahan internal" not in err and "Traceback" not in err, err
    if exit_code == 2:
        assert snapshot(demo, code) == before
        assert any(name in err for name in ("data", "--on", "--note", "action")), err
    else:
        # Accepted: it was recorded for today or earlier, once.
        assert snapshot(demo, code)["version"] == before["version"] + 1
        assert on is None or dt.date.fromisoformat(on) <= TEST_TODAY
        # Put the request back where it was for the next example: start a fresh one there.
        done = next(d for d, a, _ in STAGES if a == action)
        stages[action] = _waiting_at(demo, done, 100 + before["events"])


def test_keeping_the_hold_until_the_delivery_date_is_in_the_audit_log(demo: Engine) -> None:
    from sqlalchemy import select

    from dcim.db import read_session
    from dcim.models import AuditEntry

    code = submit_file(demo, SIMPEG)
    results = walk(demo, code, HAPPY_PATH[:6])
    hold = results[4].reservation_code
    act(demo, code, "reply", "kasi", data={"delivery_deadline": "2026-12-30"})
    with read_session(demo) as session:
        entries = session.execute(
            select(AuditEntry.username, AuditEntry.data).where(
                AuditEntry.action == "extend", AuditEntry.entity_key == hold
            )
        ).all()
    assert entries == [("kasi", {"expires_at": {"from": "2026-12-11", "to": "2026-12-30"}})]
