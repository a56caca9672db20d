"""A proposal knows its names' zones by id: a reserve locks them and claims the names in them
without looking the zones up again by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from capacity.check import run_check
from capacity.holds import reserve
from capacity.request import read_request
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session
from dcim.models import NameClaim, Zone
from dcim_demo import load_demo

ON = dt.date(2026, 11, 27)
REQUEST = (
    Path(__file__).resolve().parents[2] / "dcim_demo/data/requests/01-simpeg-cadangan-bkpsdm.yaml"
)
ZONE = "sumbawakab.go.id"


@pytest.fixture
def demo(tmp_path: Path) -> Engine:
    engine = get_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    return engine


def test_a_proposal_names_the_id_of_each_zone_its_names_fall_in(demo: Engine) -> None:
    with read_session(demo) as session:
        proposal = run_check(session, read_request(REQUEST), on=ON).proposal
        zone_id = session.scalar(select(Zone.id).where(Zone.name == ZONE))
    assert proposal is not None
    assert proposal.zones == {f"simpeg-backup.{ZONE}": ZONE}
    assert proposal.zone_ids == {ZONE: zone_id}


def test_a_held_name_is_claimed_in_its_zone(demo: Engine) -> None:
    outcome = reserve(demo, read_request(REQUEST), on=ON, actor=operator())
    assert outcome.reservation_code is not None, outcome.message
    with read_session(demo) as session:
        claimed_in = session.scalar(
            select(Zone.name)
            .join(NameClaim, NameClaim.zone_id == Zone.id)
            .where(NameClaim.fqdn == f"simpeg-backup.{ZONE}")
        )
    assert claimed_in == ZONE, "the claim must point at the zone, or the install adds no record"
