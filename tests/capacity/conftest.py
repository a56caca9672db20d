"""The capacity tests' fixture: a :class:`~scenario_support.Scenario` on the test's own database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scenario_support import Scenario
from sqlalchemy import Engine


@pytest.fixture
def scenario(engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path) -> Scenario:
    """A scenario on the test's own migrated database (``engine``), once per backend."""
    return Scenario(db_url, run_cli, tmp_path)
