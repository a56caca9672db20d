"""The demo's requests: one at each kind of place in the SOP, and room left for the walk-through."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from workflow_support import HAPPY_PATH, SIMPEG, submit_file, walk

from colocation.documents import available_documents
from colocation.queries import list_requests, overdue_requests, request_detail
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import read_session
from dcim.workdays import today
from dcim_demo import load_demo


@pytest.fixture
def full_demo(engine: Engine) -> Engine:
    """What ``dcim init --demo`` loads: catalog, inventory, holds, users and requests."""
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    return engine


def test_the_demo_holds_a_done_a_rejected_and_two_overdue_requests(full_demo: Engine) -> None:
    with read_session(full_demo) as session:
        rows = {row.tenant: row for row in list_requests(session, None)}
        late = {row.tenant for row in overdue_requests(session, None, on=today(session))}
        done = request_detail(session, rows["bkpsdm"].code, None)
        documents = available_documents(session, rows["bkpsdm"].code, None)
    assert {tenant: (row.status, row.step) for tenant, row in rows.items()} == {
        "bkpsdm": ("done", 15),
        "dishub": ("rejected", 7),
        "setda": ("open", 3),
        "dinkes": ("open", 1),
    }
    assert late == {"setda", "dinkes"}
    assert [event["outcome"] for event in done.history if event["action"] == "test"] == [
        "failed",
        "passed",
    ]
    assert len(documents) == 5


def test_the_walk_through_request_still_fits_after_the_demo(full_demo: Engine) -> None:
    code = submit_file(full_demo, SIMPEG, on=None)
    assert walk(full_demo, code, HAPPY_PATH[:5], on=None)[-1].outcome == "available"
