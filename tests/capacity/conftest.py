"""The capacity tests' fixture: a :class:`~scenario_support.Scenario` on the test's own database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scenario_support import Scenario
from sqlalchemy import Engine


@pytest.fixture
def scenario(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> Iterator[Scenario]:
    """A scenario on the test's own migrated database (``engine``), once per backend.

    After the test, whatever it loaded, held, committed or released, the totals
    the database maintains must still equal a recomputation from the base rows
    (``dcim verify``): a trigger that missed a write would fail here.
    """
    yield Scenario(db_url, run_cli, tmp_path)
    from dcim.aggregates import verify
    from dcim.db import read_session

    with read_session(engine) as session:
        assert verify(session) == [], "a maintained total drifted from its base rows"
