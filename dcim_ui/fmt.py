"""Numbers, dates and times as Indonesians read them (babel ``id_ID``; times in the data center's zone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from dcim import i18n

from .context import current, language


def num(value: Decimal | Fraction | float | int | None, decimals: int = 0) -> str:
    """A number with the locale's separators (``2.944`` / ``2,944``); ``–`` for none."""
    if value is None:
        return "–"
    if isinstance(value, Fraction):
        value = float(value)
    return i18n.number(value, language(), decimals=decimals)


def pct(value: float | Decimal | None) -> str:
    """A percentage with one decimal (``81,2%``); ``–`` for none."""
    if value is None:
        return "–"
    return i18n.percent(Decimal(str(round(float(value), 1))), language())


def day(value: dt.date | None, style: str = "long") -> str:
    """A date (``27 November 2026``); ``–`` for none."""
    if value is None:
        return "–"
    return i18n.date(value, language(), style=style)


def moment(value: dt.datetime | None) -> str:
    """A date and time in the data center's zone, named (``27 Nov 2026 14:05 WITA``).

    Naive times are taken as that zone's: SQLite keeps the wall-clock time
    the audit log was written with, in the data center's zone.
    """
    if value is None:
        return "–"
    zone = current().zone
    local = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return f"{i18n.datetime(local, language())} {local.tzname()}"


def zone_name() -> str:
    """The data center's time zone as people name it (``WITA``, ``WIB``, ``WIT``)."""
    zone = current().zone
    return dt.datetime.now(zone).tzname() or str(zone)


def watts(value: float | Decimal | Fraction | None) -> str:
    """Power in W, or kW from 10 kW up."""
    if value is None:
        return "–"
    number = float(value)
    if abs(number) >= 10_000:
        return f"{num(number / 1000, 1)} kW"
    return f"{num(number, 0)} W"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def big(value: float | int | Decimal | None) -> str:
    """A count that may be astronomically large (IPv6 pools): ``≈1,8×10¹⁹`` from a trillion up."""
    if value is None:
        return "–"
    number = float(value)
    if abs(number) < 1e12:
        return num(number, 1)
    exponent = len(str(int(abs(number)))) - 1
    mantissa = number / 10**exponent
    return f"≈{num(mantissa, 1)}×10{str(exponent).translate(_SUPERSCRIPT)}"


def upload_megabytes(max_bytes: int) -> int:
    """A byte limit as the whole megabytes Streamlit's uploader takes (its own "… MB per file").

    Rounded up, so that a file the server accepts is never refused by the widget first.
    """
    mib = 1024 * 1024
    return max(1, -(-max_bytes // mib))
