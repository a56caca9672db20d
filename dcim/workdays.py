"""Working days in Indonesia: the clock of every hold and every SOP deadline.

Saturdays, Sundays, national holidays and cuti bersama (the ``holidays``
package's Indonesian ``public`` and ``government`` categories) are not
working days, nor are local holidays the operator adds. "Today" is the
date in the data center's time zone, Asia/Makassar (WITA) unless configured.

Dates have two limits here. The calendar covers the years the holiday data
knows (:func:`calendar_range`); a date outside it is refused as input, since
working days could not be counted there (and near year 9999 the arithmetic
would overflow). And nothing is recorded "in the future": a write dated after
today is refused (:func:`write_date`), because a hold or an event dated ahead
would expire live holds today or lock a request's ordered history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, select

from dcim.core_tables import LocalHoliday, Setting
from dcim.db import Reader, column_rows, held_or_read, session_memo

DEFAULT_TIMEZONE = "Asia/Makassar"
TIMEZONE_SETTING = "timezone"
HOLIDAY_CATEGORIES = ("public", "government")
_WEEKEND = (5, 6)
# Working-day counts the rules ever ask for stay far below this; more would run past the calendar.
MAX_WORKING_DAYS = 3660


@lru_cache(maxsize=64)
def _national(year: int, language: str) -> Mapping[dt.date, str]:
    """Indonesia's national holidays and cuti bersama of a year, named in the language."""
    # The holiday tables are large; only commands that count working days load them.
    import holidays as holiday_data

    return dict(
        holiday_data.country_holidays(
            "ID", years=year, categories=HOLIDAY_CATEGORIES, language=language
        )
    )


@lru_cache(maxsize=1)
def calendar_range() -> tuple[dt.date, dt.date]:
    """The first and last day the calendar knows holidays for (the holiday data's years)."""
    # The years are attributes of the class: reading them spares building a holiday table,
    # which every command given a date (--on) used to pay for at start.
    from holidays.countries.indonesia import Indonesia

    return dt.date(Indonesia.start_year, 1, 1), dt.date(Indonesia.end_year, 12, 31)


def _problem(field: str, key: str, lang: str, **params: object) -> Exception:
    # Imported here: dcim.inventory's modules import this one.
    from dcim import i18n
    from dcim.errors import InputError, Problem

    texts = {name: i18n.date(value, lang) for name, value in params.items()}
    return InputError([Problem(field, i18n.t(key, lang, **texts))])


def require_in_calendar(day: dt.date, field: str, lang: str = "id") -> dt.date:
    """The day, when the calendar covers it; else an :class:`InputError` naming the field."""
    first, last = calendar_range()
    if not first <= day <= last:
        raise _problem(field, "dates.outside_calendar", lang, day=day, first=first, last=last)
    return day


def write_date(
    session: Reader | None, day: dt.date | None, field: str = "on", lang: str = "id"
) -> dt.date:
    """The date a write is recorded for: the one given, else today; never after today.

    A date after today (in the data center's time zone) or outside the
    calendar is an :class:`InputError` naming the field.
    """
    current = today(session)
    if day is None:
        return current
    require_in_calendar(day, field, lang)
    if day > current:
        raise _problem(field, "dates.in_future", lang, day=day, today=current)
    return day


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, with the local holidays of this office."""

    local_holidays: Mapping[dt.date, str] = field(default_factory=dict)

    def holiday_name(self, day: dt.date, lang: str = "id") -> str | None:
        """The name of the holiday (national, cuti bersama or local) on a day, or None."""
        if day in self.local_holidays:
            return self.local_holidays[day]
        return _national(day.year, "id" if lang == "id" else "en_US").get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Not a weekend day, not a holiday."""
        return day.weekday() not in _WEEKEND and self.holiday_name(day) is None

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts).

        With ``days == 0`` it is ``start`` when that is a working day, else the next one.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if days > MAX_WORKING_DAYS:
            raise ValueError(f"at most {MAX_WORKING_DAYS} working days can be counted")
        current = start
        if days == 0:
            while not self.is_working_day(current):
                current += dt.timedelta(days=1)
            return current
        counted = 0
        while counted < days:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def non_working_days(
        self, start: dt.date, end: dt.date, lang: str = "id"
    ) -> list[tuple[dt.date, str]]:
        """The holidays and weekend days from start to end inclusive, with a name."""
        days = []
        current = start
        while current <= end:
            name = self.holiday_name(current, lang)
            if name is not None:
                days.append((current, name))
            elif current.weekday() in _WEEKEND:
                days.append(
                    (current, "Sabtu" if current.weekday() == 5 else "Minggu")
                    if lang == "id"
                    else (current, current.strftime("%A"))
                )
            current += dt.timedelta(days=1)
        return days


def calendar_for(session: Reader) -> WorkingCalendar:
    """The working calendar with the local holidays stored in the database."""
    local = {
        day: name for day, name in column_rows(session, select(LocalHoliday.day, LocalHoliday.name))
    }
    return WorkingCalendar(local_holidays=local)


def timezone_for(session: Reader | None) -> ZoneInfo:
    """The data center's time zone: the ``timezone`` setting, else Asia/Makassar (read once
    per transaction)."""
    if session is None:
        return _zone(DEFAULT_TIMEZONE)
    return session_memo(
        session, "timezone", _SETTING_TABLES, lambda: _zone(_stored_zone_name(session))
    )


_SETTING_TABLES = frozenset({Setting.__table__.name})


def _stored_zone_name(session: Reader) -> str:
    stored = held_or_read(session, Setting, TIMEZONE_SETTING, _timezone_query())
    if stored is not None and isinstance(stored.value, str):
        return stored.value
    return DEFAULT_TIMEZONE


@lru_cache(maxsize=1)
def _timezone_query() -> Select[tuple[object]]:
    return select(Setting.value).where(Setting.key == TIMEZONE_SETTING)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return ZoneInfo(DEFAULT_TIMEZONE)


def _wall_clock(zone: ZoneInfo) -> dt.datetime:
    """The current time in a zone; the one place the program reads the clock (tests set it)."""
    return dt.datetime.now(zone)


def today(session: Reader | None = None) -> dt.date:
    """Today's date in the data center's time zone."""
    return _wall_clock(timezone_for(session)).date()


def now(session: Reader | None = None) -> dt.datetime:
    """The current time in the data center's time zone."""
    return _wall_clock(timezone_for(session))
