"""Letter numbers, agenda numbers and request codes: yearly sequences in the database.

Each series (``surat_keluar``, ``laporan``, ``agenda``, ...) counts from 1
every year, in the shared ``sequences`` table (:mod:`dcim.sequences`). The
next number is taken in the caller's transaction, so that two letters issued
at the same moment never share a number and a refused action never uses one up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.errors import InputError, Problem
from dcim.inventory.pydantic_errors import problems_from
from dcim.models import OPERATOR_ROLE, Role, Setting
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


def _checked(
    sop: Sop, overrides: dict[str, Any], path: Callable[[str], str], source: str | None = None
) -> Numbering:
    """The SOP's numbering with the overrides over it, checked against every numbering rule.

    An :class:`InputError` names each wrong field (``pattern``, ``kode_unit``,
    ``agenda_pattern``, or ``series`` for two document series that would share
    numbers) as ``path`` writes it for the caller's input.
    """

    def refused(problems: list[Problem]) -> InputError:
        return InputError([replace(p, path=path(p.path.split(".")[-1])) for p in problems], source)

    try:
        numbering = Numbering.model_validate(sop.numbering.model_dump() | overrides)
    except ValidationError as exc:
        raise refused(problems_from(exc, ("numbering",))) from exc
    problems = numbering_problems(numbering) + series_problems(sop, numbering.pattern)
    if problems:
        raise refused(problems)
    return numbering


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
            [
                Problem.of(
                    NUMBERING_SETTING,
                    "sop.numbering_not_mapping",
                    "must be a mapping of pattern, kode_unit, agenda_pattern",
                )
            ],
            "settings",
        )
    return _checked(sop, stored.value, lambda name: f"{NUMBERING_SETTING}.{name}", "settings")


#: Who may change the office's letter numbering: the administrator and the operator.
NUMBERING_ROLES = (Role.ADMIN, OPERATOR_ROLE)


def set_numbering(
    session: Session, actor: Actor, sop: Sop, changes: dict[str, str | None]
) -> Numbering:
    """Store the operator's numbering over the SOP's (``pattern``, ``kode_unit``, ``agenda_pattern``).

    The result is checked before it is stored; a pattern that breaks a rule
    is refused by its option (``--pattern``) and the stored setting stays as it was.
    Only :data:`NUMBERING_ROLES` may.
    """
    require_role(actor, NUMBERING_ROLES, "change the letter numbering")
    stored = session.get(Setting, NUMBERING_SETTING)
    current = dict(stored.value) if stored is not None and isinstance(stored.value, dict) else {}
    merged = current | {key: value for key, value in changes.items() if value is not None}
    candidate = _checked(sop, merged, lambda name: f"--{name.replace('_', '-')}")
    if stored is None:
        session.add(Setting(key=NUMBERING_SETTING, value=merged))
    else:
        stored.value = merged
    record(session, actor, "settings.numbering", "setting", NUMBERING_SETTING, None, merged)
    session.flush()
    return candidate


def format_number(pattern: str, *, on: dt.date | None = None, **fields: Any) -> str:
    """The pattern with its fields filled in; unknown fields were refused when the SOP was read.

    With ``on``, the date's fields (``tahun``, ``bulan``, ``bulan_romawi``) come from that date.
    """
    values = {name: fields.get(name, "") for name in PATTERN_FIELDS}
    if on is not None:
        values |= {"tahun": on.year, "bulan": on.month, "bulan_romawi": roman_month(on.month)}
    return pattern.format(**values)


def letter_number(session: Session, sop: Sop, kind: str, on: dt.date) -> str:
    """The next number of a document of this kind, in its series, for the date it is issued."""
    spec = sop.documents[kind]
    assert spec.series is not None and spec.kode_klasifikasi is not None
    numbering = numbering_for(session, sop)
    return format_number(
        numbering.pattern,
        on=on,
        kode_klasifikasi=spec.kode_klasifikasi,
        nomor_urut=next_in_series(session, spec.series, on.year),
        kode_unit=numbering.kode_unit,
    )


def agenda_number(session: Session, sop: Sop, on: dt.date) -> str:
    """The next number of the incoming-letter agenda book for the date the letter is registered."""
    numbering = numbering_for(session, sop)
    return format_number(
        numbering.agenda_pattern,
        on=on,
        nomor_urut=next_in_series(session, AGENDA_SERIES, on.year),
        kode_unit=numbering.kode_unit,
    )


def request_code(session: Session, on: dt.date) -> str:
    """The next request code of the year: ``REQ-2026-0001``."""
    return f"REQ-{on.year}-{next_in_series(session, REQUEST_SERIES, on.year):04d}"
