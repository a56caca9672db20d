"""A reserve checks before it locks, then judges its rack and the racks ranked next again.

On PostgreSQL a reserve checks the whole room without holding any lock, side
by side with the other reservers. It then waits, in one ordered pass, for
the prefixes, zone and uplink its proposal names and for the rows of the
proposal's rack and the racks ranked after it (racks, feeds, UPS), and
judges those racks again under the locks: the reservers ahead of it in the
queue took what they proposed, usually the same units and addresses. When
nothing moved, the whole room's answer stands. Only when none of those racks
takes the server any more is the whole room judged again, and the rows of
the rack it moves to are locked without waiting: the attempt starts over
only when another reserver holds them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from workflow_support import race_inventory, race_request

from capacity import holds
from capacity.check import CheckResult, run_check
from capacity.request import parse_request
from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.inventory.load import load_inventory, parse_inventory
from dcim.models import Prefix, Rack, Reservation

ON = dt.date(2026, 11, 27)


def _request(index: int) -> Any:
    return parse_request(race_request(index))


def _two_racks(rack_units: int) -> dict[str, Any]:
    """The race ground with a second, empty rack R02 on its own feeds."""
    document = race_inventory(rack_units)
    document["power_feeds"] += [
        {"name": "F-C", "site": "dc", "ups": "UPS-1", "voltage": 230, "amperage": 63},
        {"name": "F-D", "site": "dc", "ups": "UPS-1", "voltage": 230, "amperage": 63},
    ]
    document["racks"].append({"name": "R02", "site": "dc", "u_height": 42, "feeds": ["F-C", "F-D"]})
    return document


def _checks_recorded(
    monkeypatch: pytest.MonkeyPatch, stale: CheckResult | None = None
) -> list[Any]:
    """Record the racks every check of the reserve is limited to (None: the whole room); with
    ``stale``, its first check of the room returns that instead (recorded as -1), as if another
    reserver wrote meanwhile."""
    calls: list[Any] = []

    def check(session: Any, request: Any, **kwargs: Any) -> CheckResult:
        if stale is not None and not calls and "only_racks" not in kwargs:
            calls.append(-1)
            return stale
        racks = kwargs.get("only_racks")
        calls.append(None if racks is None else list(racks))
        return run_check(session, request, **kwargs)

    monkeypatch.setattr(holds, "run_check", check)
    return calls


def _load(engine: Engine, rack_units: int) -> None:
    load_inventory(engine, parse_inventory(_two_racks(rack_units)), actor=operator())


def _reserve_behind(engine: Engine, holder: Session, outcome: list[Any]) -> threading.Thread:
    """A reserve of another server in a thread of its own, returned once it waits for a lock
    the ``holder`` session holds."""
    holder_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar()
    behind = threading.Thread(
        target=lambda: outcome.append(holds.reserve(engine, _request(1), on=ON, actor=operator()))
    )
    behind.start()
    blocked = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    with engine.connect() as probe:
        for _ in range(400):
            queued = probe.execute(blocked, {"pid": holder_pid}).scalar()
            probe.rollback()
            if queued:
                return behind
            behind.join(0.05)
    pytest.fail("the reserve never queued behind the holder's locks")


@pytest.fixture
def pg_engine(postgres_url: str) -> Engine:
    """A fresh PostgreSQL schema: the locks are PostgreSQL's (SQLite serialises writers)."""
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    return engine


@pytest.mark.postgres
def test_a_reserve_whose_units_were_taken_keeps_its_rack_at_the_next_free_units(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(pg_engine, 42)
    with read_session(pg_engine) as session:
        stale = run_check(session, _request(1), on=ON)
    assert stale.proposal is not None
    # Another reserver gets there first with the same proposal.
    first = holds.reserve(pg_engine, _request(2), on=ON, actor=operator())
    assert first.result.proposal is not None
    assert first.result.proposal.rack == stale.proposal.rack
    assert first.result.proposal.position == stale.proposal.position

    calls = _checks_recorded(monkeypatch, stale)
    second = holds.reserve(pg_engine, _request(1), on=ON, actor=operator())

    assert second.reservation_code is not None
    assert second.result.proposal is not None
    # Same rack, the next free units and addresses: looked for among the racks ranked from it
    # when the reserve began (R01, then R02), not in the whole room.
    assert second.result.proposal.rack == stale.proposal.rack
    assert second.result.proposal.position != stale.proposal.position
    assert set(second.result.proposal.addresses()).isdisjoint(first.result.proposal.addresses())
    assert calls == [-1, list(stale.ranked)]
    assert stale.ranked[0] == stale.proposal.rack_id
    # Its answer speaks of those two racks, and the message beside it says so.
    assert second.result.only_racks == stale.ranked
    assert "menilai ulang" in second.message and "(2 rak), bukan seluruh ruang" in second.message


def _reserve_after_another(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, stale: CheckResult
) -> tuple[holds.ReserveOutcome, list[Any]]:
    """Another reserver holds first; then a reserve whose first check returns ``stale``, with
    the racks each of its checks was limited to."""
    holds.reserve(engine, _request(2), on=ON, actor=operator())
    calls = _checks_recorded(monkeypatch, stale)
    return holds.reserve(engine, _request(1), on=ON, actor=operator()), calls


def _racks_held(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return sorted(
            session.scalars(select(Rack.name).join(Reservation, Reservation.rack_id == Rack.id))
        )


@pytest.mark.postgres
def test_a_reserve_whose_rack_filled_up_meanwhile_takes_the_next_rack_of_its_ranking(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # R01 has room for exactly one 2U server: once it is taken the server must go to R02.
    _load(pg_engine, 2)
    with read_session(pg_engine) as session:
        stale = run_check(session, _request(1), on=ON)
        r01, r02 = (session.scalar(select(Rack.id).where(Rack.name == n)) for n in ("R01", "R02"))
    assert stale.proposal is not None and stale.proposal.rack_id == r01
    assert stale.ranked == (r01, r02)
    second, calls = _reserve_after_another(pg_engine, monkeypatch, stale)

    assert second.reservation_code is not None
    assert second.result.proposal is not None and second.result.proposal.rack == "R02"
    # R01 and R02 judged again under their locks, once; the room was not judged again, and
    # R02's rows were locked before that check, so the attempt did not start over.
    assert calls == [-1, [r01, r02]]
    assert _racks_held(pg_engine) == ["R01", "R02"]


@pytest.mark.postgres
def test_a_reserve_whose_ranked_racks_all_filled_up_judges_the_whole_room_again(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(pg_engine, 2)
    with read_session(pg_engine) as session:
        checked = run_check(session, _request(1), on=ON)
        r01 = session.scalar(select(Rack.id).where(Rack.name == "R01"))
    # As if R02 had had no room when the reserve began: its ranking named R01 alone.
    stale = dataclasses.replace(checked, ranked=(r01,))
    second, calls = _reserve_after_another(pg_engine, monkeypatch, stale)

    assert second.reservation_code is not None
    assert second.result.proposal is not None and second.result.proposal.rack == "R02"
    # R01 alone (full now), then the whole room; R02's rows were free and were locked on the
    # spot without waiting, so the attempt did not start over (no third check of R02).
    assert calls == [-1, [r01], None]
    assert _racks_held(pg_engine) == ["R01", "R02"]


@pytest.mark.postgres
def test_an_attempt_that_starts_over_looks_first_in_the_rack_its_proposal_moved_to(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The try before moved the proposal to R02 and the attempt started over holding R02's
    # rows: the server goes there when it fits, even though R01 is the room's first choice
    # now, so that racing reservers stop chasing the next rack try after try.
    _load(pg_engine, 42)
    with read_session(pg_engine) as session:
        r02 = session.scalar(select(Rack.id).where(Rack.name == "R02"))
        there = run_check(session, _request(1), on=ON, only_racks=[r02])
        assert there.proposal is not None
        locked = holds._resources(there.proposal)
        first_choice = run_check(session, _request(1), on=ON).proposal
    assert first_choice is not None and first_choice.rack == "R01"
    calls = _checks_recorded(monkeypatch)
    with write_session(pg_engine) as session:
        outcome = holds._reserve_once(
            session, _request(1), ON, "id", operator(), None, locked, last_rack=r02
        )
    assert outcome.reservation_code is not None
    assert outcome.result.proposal is not None and outcome.result.proposal.rack == "R02"
    assert calls == [[r02]]  # the one-rack check sufficed; the room was not judged again


@pytest.mark.postgres
def test_a_reserve_queued_for_its_prefix_holds_no_rack_meanwhile(pg_engine: Engine) -> None:
    # Every reserver of an address queues for the prefix after its check. One that waits there
    # must not hold the racks it proposes: the reserver ahead of it, moving to one of them,
    # would find it taken and start over (the prefix is locked before the racks).
    _load(pg_engine, 42)
    outcome: list[Any] = []
    with write_session(pg_engine) as holder:
        holder.execute(select(Prefix.id).with_for_update()).all()
        # The reserve checks, then waits for the prefix before it locks anything else.
        waiting = _reserve_behind(pg_engine, holder, outcome)
        with pg_engine.connect() as probe:
            # Every rack can be locked without waiting: the queued reserve holds none.
            try:
                probe.execute(select(Rack.id).with_for_update(nowait=True)).all()
            except OperationalError as exc:
                pytest.fail(f"a rack was held by the reserve queued for the prefix: {exc}")
            probe.rollback()
    waiting.join(30)
    assert outcome and outcome[0].reservation_code is not None


@pytest.mark.postgres
def test_a_reserve_behind_another_judges_its_ranked_racks_again_once_it_has_committed(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reserver ahead has written its hold and not committed yet. The one behind checks the
    # room meanwhile without seeing that hold, so it proposes the same units and addresses; it
    # then waits for the prefix, and once the one ahead has committed it judges R01 and R02
    # again under their locks: the next units and addresses, without a second check of the room.
    _load(pg_engine, 42)
    outcome: list[Any] = []
    with write_session(pg_engine) as ahead:
        first = holds.reserve_in(ahead, _request(2), ON, actor=operator())
        assert first.result.proposal is not None
        calls = _checks_recorded(monkeypatch)
        behind = _reserve_behind(pg_engine, ahead, outcome)
        assert calls == [None], "the reserve behind did not check before it queued"
    behind.join(30)

    assert outcome and outcome[0].reservation_code is not None
    second = outcome[0].result
    assert second.proposal is not None
    assert second.proposal.rack == first.result.proposal.rack
    assert second.proposal.position != first.result.proposal.position
    assert set(second.proposal.addresses()).isdisjoint(first.result.proposal.addresses())
    with read_session(pg_engine) as session:
        ids = dict(session.execute(select(Rack.name, Rack.id)).all())
    assert calls == [None, [ids["R01"], ids["R02"]]]
    # Its answer was judged over both racks, and names both as having room.
    assert "R01" in second.checks["space"].message and "R02" in second.checks["space"].message


@pytest.mark.postgres
def test_a_reserve_nobody_raced_answers_with_its_check_of_the_whole_room(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(pg_engine, 42)
    with read_session(pg_engine) as session:
        alone = run_check(session, _request(1), on=ON)
        r01 = session.scalar(select(Rack.id).where(Rack.name == "R01"))
    # Judged again under the locks: R01 alone, so that an answer of that check would name
    # R01 alone where the room's names R02 too.
    monkeypatch.setattr(holds, "NEXT_RACKS", 1)
    calls = _checks_recorded(monkeypatch)
    outcome = holds.reserve(pg_engine, _request(1), on=ON, actor=operator())

    assert outcome.reservation_code is not None
    assert calls == [None, [r01]]
    # The same proposal under the locks: the room's answer stands, in its words.
    assert outcome.result.proposal == alone.proposal
    assert outcome.result.only_racks is None and "menilai ulang" not in outcome.message
    assert "R02" in outcome.result.checks["space"].message
    assert {name: c.message for name, c in outcome.result.checks.items()} == {
        name: c.message for name, c in alone.checks.items()
    }


def test_an_attempt_waits_only_for_rows_after_all_it_holds_in_the_lock_order() -> None:
    prefix, zone, rack, other_rack, ups = (
        ("prefixes", 1),
        ("zones", 1),
        ("racks", 1),
        ("racks", 2),
        ("ups", 1),
    )
    # Holding nothing, or only the prefixes it queued for, it may wait for the rest.
    assert holds._waits_in_order(set(), {prefix, zone, rack, ups})
    assert holds._waits_in_order({prefix}, {prefix, zone, rack, ups})
    # Holding a rack, it may not wait for another rack, nor for anything before racks:
    # a reserver holding that one and waiting in order could be waiting for it.
    assert not holds._waits_in_order({prefix, rack}, {other_rack})
    assert not holds._waits_in_order({rack}, {zone})
    assert holds._waits_in_order({prefix, rack}, {ups})
