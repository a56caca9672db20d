"""The schema version every command compares with is the newest migration shipped."""

from __future__ import annotations

import colocation  # noqa: F401  (registers the workflow's migrations: the chain spans both layers)
from dcim.db import SCHEMA_HEAD, head_revision


def test_the_known_head_is_alembics_head() -> None:
    # A migration added without moving SCHEMA_HEAD would leave databases un-upgraded.
    assert head_revision() == SCHEMA_HEAD
