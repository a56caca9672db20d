"""Numbers and dates in Indonesian words, as a Berita Acara writes its date.

"Pada hari ini Senin tanggal dua puluh tiga bulan Maret tahun dua ribu dua
puluh enam": the day, the date, the month and the year are spelled out so
that the record cannot be altered by changing a digit.
"""

from __future__ import annotations

import datetime as dt

_ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"))
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _below_thousand(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        head = f"{_ONES[tens]} puluh"
        return head if rest == 0 else f"{head} {_ONES[rest]}"
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
    return head if rest == 0 else f"{head} {_below_thousand(rest)}"


def terbilang(n: int) -> str:
    """The whole number in Indonesian words: 23 -> ``dua puluh tiga``, 2026 -> ``dua ribu dua puluh enam``."""
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n < 1000:
        return _below_thousand(n)
    for scale, word in _SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            # 1000 is "seribu", not "satu ribu"; larger scales keep "satu" (satu juta).
            lead = "seribu" if scale == 1000 and head == 1 else f"{terbilang(head)} {word}"
            return lead if rest == 0 else f"{lead} {terbilang(rest)}"
    raise AssertionError("unreachable")  # pragma: no cover


def day_name(day: dt.date) -> str:
    """The Indonesian name of the weekday: ``Senin`` ... ``Minggu``."""
    return DAY_NAMES[day.weekday()]


def month_name(month: int) -> str:
    """The Indonesian name of the month (1-12)."""
    return MONTH_NAMES[month - 1]


def roman_month(month: int) -> str:
    """The month in Roman numerals, as many letter numbers carry it (``XI`` for November)."""
    return ROMAN_MONTHS[month - 1]


def date_in_words(day: dt.date) -> str:
    """``Senin, tanggal dua puluh tiga, bulan Maret, tahun dua ribu dua puluh enam``.

    Each part of the date is set off by a comma, as a Berita Acara's opening writes it.
    """
    return (
        f"{day_name(day)}, tanggal {terbilang(day.day)}, bulan {month_name(day.month)}, "
        f"tahun {terbilang(day.year)}"
    )
