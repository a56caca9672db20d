"""pydantic's validation errors in the user's language, with the field named as people name it.

pydantic writes its errors in English for programmers (``Input should be a
valid integer``, at ``server.power_w``). This module is the one place that
turns such an error into a sentence an OPD clerk can act on, in Bahasa
Indonesia or English: ``Daya server (W): harus berupa angka (diberikan:
'dua')``.

* Every error type pydantic_core knows (:data:`PYDANTIC_ERROR_TYPES`, read
  from pydantic_core itself, so a new pydantic version with a new type fails
  the test that renders them all) and the project's own
  ``PydanticCustomError`` types (:data:`PROJECT_ERROR_TYPES`) have a template
  in ``locales/<lang>/validation.yaml`` under ``errors``.
* Fields are named from the ``labels`` table of the same files, keyed by the
  path without list indices (``server.power_w``; ``ipv4.*`` for any key of a
  mapping). A path the table does not know is named by its last key, quoted:
  the user's own word, never an internal one.

The ``field`` of an API error keeps the path (for programs); the message
carries the label (for people).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from dcim.errors import Problem
from dcim.i18n import t
from dcim.i18n.pydantic_words import (
    label,
    message,
    shown,
)
from dcim.inventory.problems import format_path


def _pydantic_error_types() -> tuple[str, ...]:
    # pydantic_core's own list of every error type it raises (with an example context for each).
    from pydantic_core._pydantic_core import list_all_errors

    return tuple(entry["type"] for entry in list_all_errors())


#: Every error type of pydantic_core, as the installed version lists them.
PYDANTIC_ERROR_TYPES: tuple[str, ...] = _pydantic_error_types()
#: The project's own ``PydanticCustomError`` types (dcim.inventory.fields, dcim.catalog, ...).
PROJECT_ERROR_TYPES: tuple[str, ...] = (
    "unprintable",
    "untrimmed",
    "number_type",
    "number_too_large",
    "number_precision",
    "content_type",
    "array",
    "version_type",
    "unit_bound",
    "half_unit",
    "date_out_of_range",
    "slug",
)

#: Union members add their type to the location (``literal[1]``, ``function-after[...]``).
_UNION_TAG = re.compile(r"^(?:function-.*|[A-Za-z][\w-]*\[.*\])$", re.DOTALL)
#: Where FastAPI says the error is (the body, the query, ...), which is not part of the field.
_WHERE = frozenset({"body", "query", "path", "header", "cookie"})


def field_location(
    loc: Iterable[str | int], kind: str = "", *, http: bool = False
) -> tuple[str | int, ...]:
    """The field's path from pydantic's location, without union members' tags.

    ``http``: the location is an HTTP framework's, whose first part says where
    the value was (``query``, ``path``, ``body``), which is not part of the
    field. The key an unknown-field error is about is always kept, however it
    is spelt, and a location is never left empty.
    """
    given = tuple(loc)
    if http and len(given) > 1 and given[0] in _WHERE:
        given = given[1:]
    last = len(given) - 1 if kind == "extra_forbidden" else -1
    kept = tuple(
        part
        for index, part in enumerate(given)
        if index == last or not (isinstance(part, str) and _UNION_TAG.match(part))
    )
    return kept or given


def problem(
    error: Mapping[str, Any],
    lang: str | None = None,
    prefix: tuple[str | int, ...] = (),
    *,
    http: bool = False,
) -> Problem:
    """One pydantic error as a :class:`Problem`: the path for programs, a sentence for people.

    ``http``: the error comes from an HTTP framework (see :func:`field_location`).
    """
    kind = str(error.get("type", ""))
    location = prefix + field_location(error.get("loc", ()), kind, http=http)
    path = format_path(location)
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        key = shown(location[-1], lang) if location else "''"
        if len(location) <= 1:
            return Problem(path, t("validation.unknown_top_key", lang, key=key))
        return Problem(
            path, t("validation.unknown_key", lang, key=key, label=label(location[:-1], lang))
        )
    return Problem(
        path, t("validation.line", lang, label=label(location, lang), message=message(error, lang))
    )


def problems(
    errors: Iterable[Mapping[str, Any] | ErrorDetails],
    lang: str | None = None,
    prefix: tuple[str | int, ...] = (),
    *,
    http: bool = False,
) -> list[Problem]:
    """Every error of a validation as a problem in the language (see :func:`problem`)."""
    return [problem(error, lang, prefix, http=http) for error in errors]


def problems_of(
    exc: ValidationError, lang: str | None = None, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """:func:`problems` of a pydantic :class:`ValidationError`."""
    return problems(exc.errors(), lang, prefix)


def in_language(exc: Exception, found: list[Problem], lang: str | None = None) -> list[Problem]:
    """The problems of an input error raised from a pydantic :class:`ValidationError`, in the language.

    The services write pydantic's errors once, in English, and raise their
    :class:`~dcim.inventory.problems.InputError` *from* the ``ValidationError``;
    an interface that knows the caller's language renders the same errors again
    here. Only when each problem is one error at the same field (the services
    list them one for one) are they replaced; anything else is left as it is.
    """
    cause = exc.__cause__
    if not isinstance(cause, ValidationError):
        return found
    errors = cause.errors()
    if len(errors) != len(found):
        return found
    rendered: list[Problem] = []
    for error, given in zip(errors, found, strict=True):
        location = field_location(error["loc"], error["type"])
        suffix = format_path(location)
        if not given.path.endswith(suffix):
            return found
        # A service may name the field under a prefix of its own (``data.``, ``numbering.``).
        head = given.path[: len(given.path) - len(suffix)].rstrip(".")
        prefix = tuple(head.split(".")) if head and "[" not in head else ()
        if head and not prefix:
            return found
        rendered.append(Problem(given.path, problem(error, lang, prefix).message))
    return rendered
