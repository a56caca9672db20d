"""The office's calendar settings: its time zone and the local holidays it adds.

National holidays and cuti bersama come from the ``holidays`` package; an
office adds its own days off (the Kabupaten's anniversary, a regional
holiday) here, and every working-day count — hold expiry, SOP deadlines —
skips them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.errors import InputError, Problem
from dcim.inventory.fields import name_problems
from dcim.models import OPERATOR_ROLE, LocalHoliday, Role, Setting
from dcim.workdays import DEFAULT_TIMEZONE, TIMEZONE_SETTING

#: Who may change the calendar (every deadline and hold expiry counts on it): Tim Data
#: Center (and the administrator), and the operator.
CALENDAR_ROLES = (Role.TIM_DC, OPERATOR_ROLE)


def set_timezone(session: Session, actor: Actor, name: str) -> str:
    """Store the data center's time zone (an IANA name such as ``Asia/Makassar``)."""
    require_role(actor, CALENDAR_ROLES, "set the time zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a name too long
        raise InputError(
            [
                Problem.of(
                    "timezone",
                    "calendar.unknown_time_zone",
                    "unknown time zone '{name}' (for example {default_timezone})",
                    name=name,
                    default_timezone=DEFAULT_TIMEZONE,
                )
            ]
        ) from exc
    row = session.get(Setting, TIMEZONE_SETTING)
    if row is None:
        session.add(Setting(key=TIMEZONE_SETTING, value=name))
    else:
        row.value = name
    record(session, actor, "settings.timezone", "setting", TIMEZONE_SETTING, name)
    return name


def add_local_holiday(session: Session, actor: Actor, day: dt.date, name: str) -> LocalHoliday:
    """Add a local day off, or rename it when the day is already one."""
    require_role(actor, CALENDAR_ROLES, "add a local holiday")
    problems = name_problems(name.strip(), "name", LocalHoliday.__table__.c.name.type.length)
    if problems:
        raise InputError(problems)
    row = session.get(LocalHoliday, day)
    if row is None:
        row = LocalHoliday(day=day, name=name.strip())
        session.add(row)
    else:
        row.name = name.strip()
    record(session, actor, "calendar.holiday_add", "local_holiday", day.isoformat(), row.name)
    return row


def remove_local_holiday(session: Session, actor: Actor, day: dt.date) -> None:
    """Remove a local day off; a day that is not one is an input error."""
    require_role(actor, CALENDAR_ROLES, "remove a local holiday")
    row = session.get(LocalHoliday, day)
    if row is None:
        raise InputError(
            [
                Problem.of(
                    "date",
                    "calendar.not_a_holiday",
                    "{date} is not a local holiday",
                    date=day.isoformat(),
                )
            ]
        )
    session.delete(row)
    record(session, actor, "calendar.holiday_remove", "local_holiday", day.isoformat(), row.name)


def local_holidays(session: Session, year: int | None = None) -> list[LocalHoliday]:
    """The local days off, by date (of one year when given)."""
    stmt = select(LocalHoliday).order_by(LocalHoliday.day)
    if year is not None:
        stmt = stmt.where(
            LocalHoliday.day >= dt.date(year, 1, 1), LocalHoliday.day <= dt.date(year, 12, 31)
        )
    return list(session.scalars(stmt))
