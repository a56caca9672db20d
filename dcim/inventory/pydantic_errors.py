"""Turning pydantic's validation errors into problems people can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from dcim.errors import PYDANTIC_KEY

from .problems import Problem, format_path

_PLAIN = {
    "missing": "required field is missing",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "dict_type": "must be a mapping",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD), without a time",
    "string_too_short": "must not be empty",
}


def _shown(value: Any) -> str:
    if isinstance(value, int) and value.bit_length() > 200:
        # repr of a huge integer is refused by Python (and would say nothing readable).
        return f"a number of {value.bit_length() * 30103 // 100000}+ digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bound(value: Any) -> str:
    """A bound as people write it: ``1000000``, not ``Decimal('1000000')``."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _message(error: Any, top_level: bool) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return "unknown top-level key" if top_level else "unknown field"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}, got {_shown(value)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[a-z0-9-]+$":
            return f"must be a slug of a-z, 0-9 and '-', got {_shown(value)}"
        if ctx.get("pattern") == r"^\S(.*\S)?$":
            return f"must not start or end with spaces, got {_shown(value)}"
        return f"has characters that are not allowed, got {_shown(value)}"
    if kind == "greater_than":
        return f"must be greater than {_bound(ctx['gt'])}, got {_shown(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {_bound(ctx['ge'])}, got {_shown(value)}"
    if kind == "less_than_equal":
        return f"must be at most {_bound(ctx['le'])}, got {_shown(value)}"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} items"
    if kind in _PLAIN:
        plain = _PLAIN[kind]
        return plain if kind in ("missing", "string_too_short") else f"{plain}, got {_shown(value)}"
    if kind in ("number_type", "number_precision"):
        return f"{error['msg']}, got {_shown(value)}"
    return f"{error['msg']}, got {_shown(value)}"


_UNION_TAG = re.compile(r"^(?:function-.*|[A-Za-z][\w-]*\[.*\])$", re.DOTALL)


def problems_from(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """One problem per pydantic error, with the path written the inventory way."""
    return problems_from_errors(exc.errors(), prefix)


def problems_from_errors(
    errors: Iterable[Any], prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """:func:`problems_from` for errors already listed (an HTTP framework hands them over so)."""
    problems: list[Problem] = []
    for error in errors:
        given = prefix + tuple(error["loc"])
        # Union members add their own type name to the location (``literal[1]``,
        # ``function-after[...]``); drop those segments. The key an unknown-field error is
        # about is always kept, however it is spelt, and a path is never left empty.
        last = len(given) - 1 if error["type"] == "extra_forbidden" else -1
        location = (
            tuple(
                part
                for index, part in enumerate(given)
                if index == last or not (isinstance(part, str) and _UNION_TAG.match(part))
            )
            or given
        )
        top_level = len(location) == 1 and not prefix
        # The English wording for logs; the error itself for the user's language (PYDANTIC_KEY).
        kept = {name: error[name] for name in ("type", "ctx", "input", "msg") if name in error}
        problems.append(
            Problem(
                format_path(location),
                _message(error, top_level),
                PYDANTIC_KEY,
                (("error", {**kept, "loc": location}),),
            )
        )
    return problems
