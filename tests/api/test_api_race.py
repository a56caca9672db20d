"""Racing clients over HTTP: eight holds at once for fewer slots never double-book.

The same race as ``tests/capacity/test_holds_race.py``, through ``dcim serve`` with
two worker processes sharing one database (SQLite, and PostgreSQL when
available): every client sends ``POST /api/v1/holds`` at the same moment.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import BACKENDS, fresh_database, start_server
from sqlalchemy import select
from workflow_support import race_inventory, race_request

from dcim.accounts import create_user, operator
from dcim.aggregates import verify
from dcim.db import get_engine, read_session, write_session
from dcim.inventory.load import load_inventory, parse_inventory
from dcim.models import IPAddress, NameClaim, RackUnit, Reservation
from dcim.tokens import create_token

RACERS = 8
ON = "2026-11-27"


@pytest.fixture(params=BACKENDS)
def race_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A fresh database on the backend holding a 6U rack (room for three 2U servers)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        url = fresh_database(request, request.param, tmp_path, stack)
        engine = get_engine(url)
        load_inventory(engine, parse_inventory(race_inventory(rack_units=6)), actor=operator())
        with write_session(engine) as session:
            create_user(session, "timdc", "tim_dc", None)
        yield url


@pytest.mark.slow
def test_eight_api_clients_for_three_rack_slots_leave_exactly_three_holds(
    race_url: str, tmp_path: Path
) -> None:
    with write_session(get_engine(race_url)) as session:
        tokens = [create_token(session, operator(), "timdc").text for _ in range(RACERS)]
    server = start_server(race_url, tmp_path / "server.log", workers=2)
    try:
        barrier = threading.Barrier(RACERS)
        answers: list[httpx.Response | BaseException] = [ValueError("not run")] * RACERS

        def client(index: int) -> None:
            with httpx.Client(base_url=server.base, timeout=120) as http:
                barrier.wait()
                try:
                    answers[index] = http.post(
                        f"/api/v1/holds?on={ON}",
                        json=race_request(index),
                        headers={"Authorization": f"Token {tokens[index]}"},
                    )
                except httpx.HTTPError as exc:
                    answers[index] = exc

        threads = [threading.Thread(target=client, args=(i,)) for i in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
    finally:
        server.stop()
    responses = [a for a in answers if isinstance(a, httpx.Response)]
    assert len(responses) == RACERS, answers
    assert Counter(r.status_code for r in responses) == Counter({201: 3, 200: RACERS - 3}), [
        r.text for r in responses
    ]
    for response in responses:
        document = response.json()
        won = response.status_code == 201
        assert document["feasible"] is won and ("reservation" in document) is won
        if not won:
            assert document["checks"]["space"]["ok"] is False, document
    _assert_nothing_shared(race_url, holds=3)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def _assert_nothing_shared(db_url: str, holds: int) -> None:
    with read_session(get_engine(db_url)) as session:
        assert len(session.scalars(select(Reservation.id)).all()) == holds
        units = session.execute(select(RackUnit.rack_id, RackUnit.unit, RackUnit.face)).all()
        assert len(units) == len(set(units)) == 4 * holds  # 2U, both faces
        addresses = session.scalars(select(IPAddress.address)).all()
        assert len(addresses) == len(set(addresses)) == 2 * holds
        names = session.scalars(select(NameClaim.fqdn)).all()
        assert len(names) == len(set(names)) == holds
        # The totals the database keeps moved with every hold, whoever won (``dcim verify``).
        assert verify(session) == [], "a maintained total drifted from its base rows"
