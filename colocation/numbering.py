"""Letter numbers, agenda numbers and request codes: yearly sequences in the database.

Each series (``surat_keluar``, ``laporan``, ``agenda``, ...) counts from 1
every year, in the shared ``sequences`` table (:mod:`dcim.sequences`). The
next number is taken in the caller's transaction, so that two letters issued
at the same moment never share a number and a refused action never uses one up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from dcim.inventory.problems import InputError, Problem
from dcim.inventory.pydantic_errors import problems_from
from dcim.models import Setting
from dcim.sequences import next_number

from .sop import PATTERN_FIELDS, Numbering, Sop, numbering_problems, series_problems
from .terbilang import roman_month

NUMBERING_SETTING = "letter_numbering"
REQUEST_SERIES = "permohonan"
SEQUENCE_PREFIX = "colocation:"
AGENDA_SERIES = "agenda"


def next_in_series(session: Session, series: str, year: int) -> int:
    """The next number of a series in a year (1 for the first), taken under a row lock."""
    return next_number(session, f"{SEQUENCE_PREFIX}{series}:{year}")


def numbering_for(session: Session, sop: Sop) -> Numbering:
    """The SOP's numbering, with the operator's ``letter_numbering`` setting over it.

    The setting is a mapping with any of ``pattern``, ``kode_unit`` and
    ``agenda_pattern``; a setting that breaks a rule is refused by name.
    """
    stored = session.get(Setting, NUMBERING_SETTING)
    if stored is None or not stored.value:
        return sop.numbering
    if not isinstance(stored.value, dict):
        raise InputError(
            [Problem(NUMBERING_SETTING, "must be a mapping of pattern, kode_unit, agenda_pattern")],
            "settings",
        )
    merged = sop.numbering.model_dump() | stored.value
    try:
        numbering = Numbering.model_validate(merged)
    except ValidationError as exc:
        raise InputError(problems_from(exc, (NUMBERING_SETTING,)), "settings") from exc
    problems = numbering_problems(numbering) + series_problems(sop, numbering.pattern)
    if problems:
        raise InputError(
            [Problem(f"{NUMBERING_SETTING}.{p.path.split('.')[-1]}", p.message) for p in problems],
            "settings",
        )
    return numbering


def set_numbering(session: Session, sop: Sop, changes: dict[str, str]) -> Numbering:
    """Store the operator's numbering over the SOP's (``pattern``, ``kode_unit``, ``agenda_pattern``).

    The result is checked before it is stored; a pattern that breaks a rule
    is refused by name and the stored setting stays as it was.
    """
    stored = session.get(Setting, NUMBERING_SETTING)
    current = dict(stored.value) if stored is not None and isinstance(stored.value, dict) else {}
    merged = current | {key: value for key, value in changes.items() if value is not None}
    try:
        candidate = Numbering.model_validate(sop.numbering.model_dump() | merged)
    except ValidationError as exc:
        raise InputError(
            [Problem(f"--{p.path.replace('_', '-')}", p.message) for p in problems_from(exc)]
        ) from exc
    problems = numbering_problems(candidate) + series_problems(sop, candidate.pattern)
    if problems:
        raise InputError(
            [Problem(f"--{p.path.split('.')[-1].replace('_', '-')}", p.message) for p in problems]
        )
    if stored is None:
        session.add(Setting(key=NUMBERING_SETTING, value=merged))
    else:
        stored.value = merged
    session.flush()
    return candidate


def format_number(pattern: str, **fields: Any) -> str:
    """The pattern with its fields filled in; unknown fields were refused when the SOP was read."""
    values = {name: fields.get(name, "") for name in PATTERN_FIELDS}
    return pattern.format(**values)


def letter_number(session: Session, sop: Sop, kind: str, on: dt.date) -> str:
    """The next number of a document of this kind, in its series, for the date it is issued."""
    spec = sop.documents[kind]
    assert spec.series is not None and spec.kode_klasifikasi is not None
    numbering = numbering_for(session, sop)
    sequence = next_in_series(session, spec.series, on.year)
    return format_number(
        numbering.pattern,
        kode_klasifikasi=spec.kode_klasifikasi,
        nomor_urut=sequence,
        kode_unit=numbering.kode_unit,
        tahun=on.year,
        bulan=on.month,
        bulan_romawi=roman_month(on.month),
    )


def agenda_number(session: Session, sop: Sop, on: dt.date) -> str:
    """The next number of the incoming-letter agenda book for the date the letter is registered."""
    numbering = numbering_for(session, sop)
    sequence = next_in_series(session, AGENDA_SERIES, on.year)
    return format_number(
        numbering.agenda_pattern,
        kode_klasifikasi="",
        nomor_urut=sequence,
        kode_unit=numbering.kode_unit,
        tahun=on.year,
        bulan=on.month,
        bulan_romawi=roman_month(on.month),
    )


def request_code(session: Session, on: dt.date) -> str:
    """The next request code of the year: ``REQ-2026-0001``."""
    return f"REQ-{on.year}-{next_in_series(session, REQUEST_SERIES, on.year):04d}"
