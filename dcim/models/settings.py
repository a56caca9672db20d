"""Site-wide settings: the capacity policy, the organisation on letters, and local holidays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dcim.choices import Redundancy
from dcim.defaults import (
    DEFAULT_BANDWIDTH_OVERSUBSCRIPTION,
    DEFAULT_FEED_MAX_UTILIZATION,
    DEFAULT_REDUNDANCY,
    DEFAULT_RESERVATION_WORKING_DAYS,
    DEFAULT_RESERVED_LABELS,
    DEFAULT_UPS_MAX_LOAD,
    DEFAULT_UPS_POWER_FACTOR,
)
from dcim.sqltypes import Milli

from .base import Base, in_choices


class Policy(Base):
    """The capacity policy (one row): limits and rules the six step-5 checks apply.

    Column defaults are the contract's defaults, so an inventory that gives
    no policy behaves exactly as the specification describes.
    """

    __tablename__ = "policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    feed_max_utilization: Mapped[Decimal] = mapped_column(
        Milli(), default=DEFAULT_FEED_MAX_UTILIZATION
    )
    redundancy: Mapped[str] = mapped_column(String(4), default=DEFAULT_REDUNDANCY.value)
    ups_power_factor: Mapped[Decimal] = mapped_column(Milli(), default=DEFAULT_UPS_POWER_FACTOR)
    ups_max_load: Mapped[Decimal] = mapped_column(Milli(), default=DEFAULT_UPS_MAX_LOAD)
    bandwidth_oversubscription: Mapped[Decimal] = mapped_column(
        Milli(), default=DEFAULT_BANDWIDTH_OVERSUBSCRIPTION
    )
    reservation_working_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_RESERVATION_WORKING_DAYS
    )
    reserved_labels: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_RESERVED_LABELS)
    )

    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(
            "feed_max_utilization >= 1000 AND feed_max_utilization <= 100000",
            name="feed_max_utilization_range",
        ),
        in_choices("redundancy", Redundancy),
        CheckConstraint(
            "ups_power_factor > 0 AND ups_power_factor <= 1000", name="ups_power_factor_range"
        ),
        CheckConstraint(
            "ups_max_load >= 1000 AND ups_max_load <= 100000", name="ups_max_load_range"
        ),
        CheckConstraint("bandwidth_oversubscription > 0", name="oversubscription_positive"),
        CheckConstraint("reservation_working_days >= 1", name="working_days_positive"),
    )


class Organization(Base):
    """The government office that runs the data center (one row), for letterheads and reports."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    government: Mapped[str | None] = mapped_column(String(200))
    office: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class Setting(Base):
    """An operator setting outside the inventory file (time zone, letter numbering, ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


#: The tables a value read from the policy, or from the settings, depends on: what
#: :func:`dcim.db.session_memo` watches to read such a value again.


class LocalHoliday(Base):
    """A day off declared locally (for example the Kabupaten's anniversary); not a working day."""

    __tablename__ = "local_holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Sequence(Base):
    """A named counter for numbers handed out in order (hold codes, letter numbers per year).

    Writers lock the row (``SELECT ... FOR UPDATE``) while they take the next
    value, so two concurrent transactions never get the same number.
    """

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
