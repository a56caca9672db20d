"""Numbers handed out in order, safely under concurrency (hold codes, letter numbers)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dcim.models import Sequence


def next_number(session: Session, name: str, start_after: Callable[[], int] | None = None) -> int:
    """The next value of the named counter, in the caller's transaction.

    The counter row is locked until the transaction ends, so concurrent
    callers queue for it. A new counter starts after ``start_after()`` (for
    example the highest number already used by imported data), else at 1.
    """
    counter = select(Sequence).where(Sequence.name == name).with_for_update()
    row = session.execute(counter).scalar_one_or_none()
    if row is None:
        # Only a new counter asks where to start (which may read every number used so far);
        # when two callers start it at once, the first insert wins and both then queue on it.
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        initial = start_after() if start_after is not None else 0
        session.execute(insert(Sequence).values(name=name, value=initial).on_conflict_do_nothing())
        row = session.execute(counter).scalar_one()
    row.value += 1
    session.flush()
    return row.value
