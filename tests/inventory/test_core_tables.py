"""The engine reads through ``dcim.core_tables``: plain tables written from the models.

A check that only reads maps no class: the tables it reads are written from
:mod:`dcim.models` by ``make tables`` and must stay what the models say, and a
check read through a bare connection must answer exactly as one read through
an ORM session (the workflow's, the API's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from capacity.check import run_check
from capacity.request import read_request
from dcim import core_tables
from dcim.db import read_connection, read_session
from dcim.models import Base
from dcim.models.render_tables import TARGET, render

DEMO_REQUESTS = sorted(
    (Path(__file__).parents[2] / "dcim_demo" / "data" / "requests").glob("*.yaml")
)


def test_the_read_tables_are_written_from_the_models_as_they_are() -> None:
    # A column added to a model and not to dcim.core_tables would be missing from every check.
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make tables`: it is stale"


@pytest.mark.parametrize(
    "mapper",
    sorted(
        (m for m in Base.registry.mappers if m.class_.__module__.startswith("dcim.models.")),
        key=lambda m: m.class_.__name__,
    ),
    ids=lambda m: m.class_.__name__,
)
def test_each_model_has_a_read_table_with_its_columns_and_types(mapper: object) -> None:
    model_table = mapper.local_table  # type: ignore[attr-defined]
    read = getattr(core_tables, mapper.class_.__name__)  # type: ignore[attr-defined]
    assert read.__table__.name == model_table.name
    assert [(c.name, repr(c.type), c.primary_key) for c in read.__table__.columns] == [
        (c.name, repr(c.type), c.primary_key) for c in model_table.columns
    ]
    # The class attributes are the table's own columns, so a statement names the table once.
    assert all(getattr(read, c.key) is c for c in read.__table__.columns)


@pytest.mark.parametrize("request_file", DEMO_REQUESTS, ids=lambda p: p.stem)
def test_a_check_read_through_a_connection_answers_as_one_read_through_a_session(
    engine: Engine, run_cli: Callable[..., object], request_file: Path
) -> None:
    run_cli("--db", engine.url.render_as_string(hide_password=False), "init", "--demo")
    request = read_request(request_file)
    on = dt.date(2026, 7, 1)
    with read_session(engine) as session:
        by_session = run_check(session, request, on=on).to_json()
    with read_connection(engine) as connection:
        by_connection = run_check(connection, request, on=on).to_json()
    assert by_connection == by_session
    assert by_session["checks"]["space"]["message"], "the demo request was not judged"


def test_a_read_of_the_policy_sees_what_the_session_edited_and_has_not_written(
    engine: Engine,
) -> None:
    # The engine reads the policy through dcim.core_tables; a session that edited the row and
    # has not flushed it (a workflow action inside no_autoflush) must still be judged by it.
    from dcim.db import write_session
    from dcim.limits import policy_facts
    from dcim.models import Policy

    with write_session(engine) as session:
        policy = session.get(Policy, 1) or Policy(id=1)
        session.add(policy)
        session.flush()
        assert policy_facts(session).reservation_working_days == 10
        with session.no_autoflush:
            policy.reservation_working_days = 3
            assert policy_facts(session).reservation_working_days == 3
        session.rollback()
