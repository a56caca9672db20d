"""Each layer owns its migrations, and the one chain across their folders still upgrades old databases.

The workflow's revisions (0002, 0004, 0008) moved from the inventory's
folder to ``colocation/migrations/versions`` with their ids; a database
made before the move, at 0008, must open and upgrade to the head as it is.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

import colocation
from colocation.models import ColocationRequest, RequestEvent
from colocation.queries import request_detail
from dcim import db
from dcim.aggregates import verify
from dcim.db import (
    current_revision,
    ensure_schema,
    get_engine,
    head_revision,
    migration_dirs,
    read_session,
)
from dcim.errors import DatabaseError
from dcim.models import Rack, RackUnit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OLD_HEAD_DUMP = FIXTURES / "database-0008.sql"
INVENTORY_VERSIONS = Path(db.__file__).resolve().parent / "migrations" / "versions"
WORKFLOW_VERSIONS = Path(colocation.__file__).resolve().parent / "migrations" / "versions"


def _database_at_old_head(tmp_path: Path) -> str:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(OLD_HEAD_DUMP.read_text(encoding="utf-8"))
    return f"sqlite:///{path}"


def test_a_database_made_at_the_old_head_upgrades_and_keeps_its_requests(tmp_path: Path) -> None:
    engine = get_engine(_database_at_old_head(tmp_path))
    assert current_revision(engine) == "0008"
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    with read_session(engine) as session:
        codes = list(session.scalars(select(ColocationRequest.code).order_by(ColocationRequest.id)))
        events = session.scalar(select(func.count()).select_from(RequestEvent))
        detail = request_detail(session, codes[0], None)
    assert len(codes) == 4 and events == 32
    assert detail.row.code == codes[0] and detail.history


def test_an_upgraded_database_has_its_unit_maps_filled_from_the_claims(tmp_path: Path) -> None:
    # 0014 adds the racks' unit maps after the claims exist: they must be filled from them,
    # or every rack of an upgraded database would look empty to the check.
    engine = get_engine(_database_at_old_head(tmp_path))
    ensure_schema(engine)
    with read_session(engine) as session:
        claimed = session.scalar(select(func.count()).select_from(RackUnit))
        taken = sum(
            len(front.rstrip("0").replace("0", "")) + len(rear.rstrip("0").replace("0", ""))
            for front, rear in session.execute(select(Rack.front_units, Rack.rear_units))
        )
        differences = verify(session)
    assert claimed > 0
    assert taken == claimed
    assert differences == []


def test_the_workflow_registers_its_own_folder_beside_the_inventory() -> None:
    assert migration_dirs()[0] == INVENTORY_VERSIONS
    assert WORKFLOW_VERSIONS in migration_dirs()


def test_no_inventory_revision_touches_a_workflow_table() -> None:
    touching = [
        path.name
        for path in INVENTORY_VERSIONS.glob("*.py")
        if "colocation_" in path.read_text(encoding="utf-8")
    ]
    assert touching == []
    workflow = sorted(p.name[:4] for p in WORKFLOW_VERSIONS.glob("*.py"))
    assert workflow == ["0002", "0004", "0008", "0012"]


def test_the_inventory_environment_names_no_upper_layer() -> None:
    env = (INVENTORY_VERSIONS.parent / "env.py").read_text(encoding="utf-8")
    assert "colocation" not in env


@pytest.mark.filterwarnings("ignore:Revision 0002 referenced")  # Alembic's own note of the gap
def test_without_the_workflow_folder_the_gap_in_the_chain_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db, "_VERSION_DIRS", [INVENTORY_VERSIONS])
    with pytest.raises(DatabaseError, match="migrations are incomplete"):
        head_revision()
