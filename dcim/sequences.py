"""Numbers handed out in order, safely under concurrency (hold codes, letter numbers)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dcim.models import Sequence


def next_number(session: Session, name: str, start_after: Callable[[], int] | None = None) -> int:
    """The next value of the named counter, in the caller's transaction.

    The counter row is locked until the transaction ends, so concurrent
    callers queue for it. A new counter starts after ``start_after()`` (for
    example the highest number already used by imported data), else at 1.
    """
    # One statement takes the row's lock and the next value; a counter that does not exist
    # yet changes nothing and returns no row.
    bump = (
        update(Sequence)
        .where(Sequence.name == name)
        .values(value=Sequence.value + 1)
        .returning(Sequence.value)
        .execution_options(synchronize_session=False)
    )
    number = session.execute(bump).scalar_one_or_none()
    if number is None:
        # Only a new counter asks where to start (which may read every number used so far);
        # when two callers start it at once, the first insert wins and both then queue on it.
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        initial = start_after() if start_after is not None else 0
        session.execute(insert(Sequence).values(name=name, value=initial).on_conflict_do_nothing())
        number = session.execute(bump).scalar_one()
    return int(number)
