"""The field types every file and form shares: printable text and numbers bounded by columns and physics.

A name is shown on screens, letters and terminals and is a key that people
type again, so it may hold no control character (C0, C1, DEL), no bidi
control (which can make ``SRV-01`` display as something else) and no line
separator. Free text such as a purpose may keep new lines and tabs, nothing
else of the kind.

Quantities are stored as integer thousandths (:class:`dcim.models.Milli`,
64-bit) and summed by the database, so each has an upper bound far above
any real equipment and far below an overflow. The bounds are listed in
docs/input-limits.md.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Ge, Gt, Le
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from .problems import InputError, Problem

MAX_DECIMALS = 3

# Upper bounds of quantities (inclusive), far above real equipment, far below a 64-bit overflow
# even when a million of them are summed as thousandths.
MAX_POWER_W = 1_000_000  # a device's budgeted draw; a whole rack row is less
MAX_WEIGHT_KG = 10_000  # a device's weight
MAX_RACK_WEIGHT_KG = 100_000  # a rack's load limit
MAX_BANDWIDTH_MBPS = 100_000_000  # 100 Tbit/s, a device's or an uplink's
MAX_CAPACITY_KVA = 1_000_000  # a UPS
MAX_BATTERY_WH = 1_000_000_000  # a UPS battery bank
MAX_VOLTAGE = 100_000
MAX_AMPERAGE = 100_000
MAX_OVERSUBSCRIPTION = 1_000
MAX_RACK_UNITS = 100  # the tallest rack and the tallest device
DEFAULT_RACK_UNITS = 42  # the height of a rack that does not say (the common 42U)
MAX_WORKING_DAYS = 260  # a hold's life: one working year
MAX_ADDRESSES_PER_ROLE = 4096  # addresses one request may ask of one role
MAX_ROLES_PER_FAMILY = 32
MAX_DOMAINS = 100  # names one request may ask for
MAX_LIST_ITEMS = 1_000  # names in a short list (feeds of a rack, reserved labels, ...)

# Bidi controls (embeddings, overrides, isolates, marks) and the Arabic letter mark.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Categories never allowed: controls, surrogates (cannot be stored as UTF-8), line and
# paragraph separators, and unassigned code points.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp", "Cn"})
_TEXT_WHITESPACE = frozenset("\n\t\r")


def unprintable_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why a text holds a character that must not be shown or stored, or None.

    ``multiline`` allows new lines and tabs (free text); names allow neither.
    """
    found = unprintable_at(text, multiline=multiline)
    if found is None:
        return None
    code, position = found
    return f"has the invisible or control character U+{code} at position {position}"


def unprintable_at(text: str, *, multiline: bool = False) -> tuple[str, int] | None:
    """The first character that must not be shown or stored, as (``001B``, position), or None."""
    for position, char in enumerate(text, start=1):
        if multiline and char in _TEXT_WHITESPACE:
            continue
        if char in _BIDI or unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            return f"{ord(char):04X}", position
    return None


def _printable_line(value: str) -> str:
    problem = unprintable_problem(value)
    if problem is not None:
        raise PydanticCustomError("unprintable", problem)
    return value


def _printable_text(value: str) -> str:
    problem = unprintable_problem(value, multiline=True)
    if problem is not None:
        raise PydanticCustomError("unprintable", problem)
    return value


def _trimmed(value: str) -> str:
    if value != value.strip():
        raise PydanticCustomError("untrimmed", "must not start or end with spaces")
    return value


def name_type(max_length: int, pattern: str | None = None) -> Any:
    """A one-line name of 1..max_length printable characters, no spaces at either end."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=pattern),
        AfterValidator(_printable_line),
        AfterValidator(_trimmed),
    ]


def line_type(max_length: int, min_length: int = 0) -> Any:
    """A one-line printable text (a label, a serial, a model)."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_printable_line),
    ]


def text_type(max_length: int, min_length: int = 0) -> Any:
    """Free text: printable, new lines and tabs allowed."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_printable_text),
    ]


def as_decimal(value: Any) -> Decimal:
    """Accept an integer or a decimal number (never a boolean or a string) as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise PydanticCustomError("number_type", "must be a number")
    if isinstance(value, int) and value.bit_length() > 256:
        # Far beyond every bound; Decimal(str(...)) of a huge integer would cost time for nothing.
        raise PydanticCustomError("number_too_large", "is far too large a number")
    number = Decimal(str(value))
    if not number.is_finite():
        raise PydanticCustomError("number_type", "must be a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise PydanticCustomError(
            "number_precision", "at most {digits} decimal places", {"digits": MAX_DECIMALS}
        )
    return number


def quantity(*, maximum: int, positive: bool = False) -> Any:
    """An exact number of at most three decimals in ``0..maximum`` (``> 0`` when ``positive``)."""
    lower = Gt(0) if positive else Ge(0)
    return Annotated[Decimal, BeforeValidator(as_decimal), lower, Le(maximum)]


def bounded_int(minimum: int, maximum: int) -> Any:
    """A whole number (never a boolean) in ``minimum..maximum``."""
    return Annotated[int, Ge(minimum), Le(maximum)]


def _spelt_out(values: list[str]) -> str:
    """``'a', 'b' or 'c'``: the choices as pydantic lists a literal's, so messages stay the same."""
    quoted = [repr(value) for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def choice(choices: type[StrEnum]) -> Any:
    """One value of a choice set (a ``StrEnum`` of :mod:`dcim.choices`), spelt exactly.

    The field holds the enum member. Only text equal to one of the set's values
    is taken (not its name, another case, bytes or a number), and a wrong value
    gives the error a ``Literal`` of the same values gives (``literal_error``,
    "must be one of 'a' or 'b'"), so that files and messages read as they did
    when each set was also written out as a ``Literal``.
    """
    members = {member.value: member for member in choices}
    expected = _spelt_out(list(members))

    def member(value: Any) -> StrEnum:
        if isinstance(value, str) and value in members:
            return members[value]
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )

    return Annotated[choices, BeforeValidator(member)]


Name = name_type(100)
"""The name of a rack, feed, UPS, uplink, device or hold: what the inventory refers to it by."""


def name_problems(value: str, path: str, max_length: int = 100) -> list[Problem]:
    """What is wrong with ``value`` as a one-line name of at most ``max_length`` characters."""
    if not value:
        return [Problem.of(path, "loader.name_empty", "must not be empty")]
    if len(value) > max_length:
        return [
            Problem.of(
                path,
                "loader.name_too_long",
                "is longer than {max_length} characters",
                max_length=max_length,
            )
        ]
    unprintable = unprintable_at(value)
    if unprintable is not None:
        code, position = unprintable
        return [
            Problem.of(
                path,
                "validation.errors.unprintable",
                "has the invisible or control character U+{code} at position {position}",
                code=code,
                position=position,
            )
        ]
    if value != value.strip():
        return [Problem.of(path, "loader.name_padded", "must not start or end with spaces")]
    return []


def checked_name(value: str, path: str, max_length: int = 100) -> str:
    """``value`` when it is an acceptable :data:`Name`; else an :class:`InputError` naming ``path``.

    For services that take a name outside a file (a command-line option, a form field).
    """
    problems = name_problems(value, path, max_length)
    if problems:
        raise InputError(problems)
    return value
