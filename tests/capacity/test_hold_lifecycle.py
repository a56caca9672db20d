"""A hold's later life in capacity.holds, each change in the audit log: kept longer, or let go when it lapsed.

The demo's hold RSV-2026-0041 (rack R05, two addresses) is the subject; the
workflow reaches these functions through its recheck and acceptance letter
(tests/workflow/test_workflow_paths.py walks those).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from capacity.holds import expire_in, hold_is_held, hold_is_live, keep_until_in
from dcim.accounts import operator
from dcim.db import read_session, write_session
from dcim.models import AuditEntry, HoldStatus, IPAddress, RackUnit, Reservation

CODE = "RSV-2026-0041"


def _hold(engine: Engine) -> Reservation:
    with read_session(engine) as session:
        hold = session.scalar(select(Reservation).where(Reservation.code == CODE))
        assert hold is not None
        return hold


def _audit(engine: Engine, action: str) -> list[AuditEntry]:
    with read_session(engine) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity_key == CODE)
            )
        )


def _claims(engine: Engine, hold_id: int) -> int:
    with read_session(engine) as session:
        units = session.scalars(select(RackUnit.unit).where(RackUnit.reservation_id == hold_id))
        addresses = session.scalars(
            select(IPAddress.address).where(IPAddress.reservation_id == hold_id)
        )
        return len(list(units)) + len(list(addresses))


def test_a_hold_is_not_let_go_on_its_last_day(demo: Engine) -> None:
    last_day = _hold(demo).expires_at
    with write_session(demo) as session:
        assert expire_in(session, CODE, last_day, actor=operator()) is False
        assert hold_is_live(session, CODE, last_day)
    assert _hold(demo).status == HoldStatus.HELD
    assert _audit(demo, "expire") == []


def test_a_lapsed_hold_ends_as_expired_frees_its_claims_and_says_so_in_the_audit(
    demo: Engine,
) -> None:
    hold = _hold(demo)
    assert _claims(demo, hold.id) > 0
    day_after = hold.expires_at + dt.timedelta(days=1)
    with write_session(demo) as session:
        assert hold_is_held(session, CODE) and not hold_is_live(session, CODE, day_after)
        assert expire_in(session, CODE, day_after, actor=operator()) is True
    assert _hold(demo).status == HoldStatus.EXPIRED
    assert _claims(demo, hold.id) == 0
    [entry] = _audit(demo, "expire")
    assert entry.data == {"expires_at": hold.expires_at.isoformat(), "on": day_after.isoformat()}
    with write_session(demo) as session:
        # Ended once: a second recheck finds nothing to let go and writes nothing.
        assert expire_in(session, CODE, day_after, actor=operator()) is False
    assert len(_audit(demo, "expire")) == 1


def test_keeping_a_hold_longer_is_audited_with_both_dates_and_never_shortens_it(
    demo: Engine,
) -> None:
    before = _hold(demo).expires_at
    later = before + dt.timedelta(days=10)
    with write_session(demo) as session:
        assert keep_until_in(session, CODE, later, actor=operator()) == later
    [entry] = _audit(demo, "extend")
    assert entry.data == {"expires_at": {"from": before.isoformat(), "to": later.isoformat()}}
    with write_session(demo) as session:
        assert keep_until_in(session, CODE, before, actor=operator()) == later
    assert _hold(demo).expires_at == later
    assert len(_audit(demo, "extend")) == 1
