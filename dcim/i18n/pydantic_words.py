"""pydantic's errors put into words, in Bahasa Indonesia or English, without the field's name.

The words only: :mod:`dcim.i18n.validation` builds the problems (and the HTTP
API's answers) from them, and :class:`dcim.errors.Problem` renders a pydantic
error it carries (``PYDANTIC_KEY``) with :func:`error_text` when it is shown.
This module imports neither pydantic nor :mod:`dcim.errors`, so that rendering
a problem does not load the validation machinery and the two never import
each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from dcim.i18n import catalog, resolve_language, t

#: Patterns of the project's field types that have a message of their own.
_PATTERN_TYPES = {r"^[a-z0-9-]+$": "slug", r"^\S(.*\S)?$": "untrimmed"}
#: Error types whose message reads better without the value sent (it is missing, or too long).
_NO_VALUE = frozenset(
    {"missing", "extra_forbidden", "string_too_long", "too_long", "unprintable", "json_invalid"}
)
#: The ``unprintable`` message of dcim.inventory.fields carries the character and its position.
_UNPRINTABLE = re.compile(r"U\+(?P<code>[0-9A-F]{4,6}) at position (?P<position>\d+)")


def label(path: Iterable[str | int], lang: str | None = None) -> str:
    """The field at ``path`` as people name it (``('server', 'power_w')`` -> ``Daya server (W)``)."""
    keys = [str(part) for part in path if not isinstance(part, int)]
    labels = catalog(resolve_language(lang))
    for candidate in (keys, [*keys[:-1], "*"]):
        if candidate and (found := labels.get("validation.labels." + ".".join(candidate))):
            return found
    # Not in the table: the last key as the user wrote it, quoted, never an internal name.
    return repr(keys[-1]) if keys else t("validation.labels.body", lang)


def shown(value: Any, lang: str | None = None) -> str:
    """A value sent, short and safe to print: a huge number is described, a long text cut."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return t("validation.huge_number", lang, digits=value.bit_length() * 30103 // 100000)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bound(value: Any) -> str:
    """A bound as people write it: ``1000000``, not ``Decimal('1000000')``."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _choices(expected: Any, lang: str | None) -> str:
    # pydantic joins the choices as "'a', 'b' or 'c'": the last joiner is English.
    return re.sub(r" or (?=[^ ]+$)", f" {t('validation.or', lang)} ", str(expected))


def error_type(error: Mapping[str, Any]) -> str:
    """The template an error is rendered with: its type, or the project's name for its pattern."""
    kind = str(error.get("type", ""))
    if kind == "string_pattern_mismatch":
        return _PATTERN_TYPES.get(str((error.get("ctx") or {}).get("pattern")), kind)
    return kind


def message(error: Mapping[str, Any], lang: str | None = None) -> str:
    """What is wrong, in the language, without the field's name (``harus berupa angka``)."""
    kind = error_type(error)
    ctx: dict[str, Any] = {key: _bound(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = _choices(ctx["expected"], lang)
    if kind == "unprintable":
        found = _UNPRINTABLE.search(str(error.get("msg", "")))
        ctx.update(found.groupdict() if found else {"code": "?", "position": "?"})
    key = f"validation.errors.{kind}"
    known = key in catalog(resolve_language(lang))
    text = t(key if known else "validation.unknown_type", lang, **ctx)
    if kind in _NO_VALUE or "input" not in error:
        return text
    return t("validation.given", lang, message=text, value=shown(error["input"], lang))


def error_text(error: Mapping[str, Any], lang: str | None = None) -> str:
    """What one pydantic error says, in the language, for a problem that names the field itself.

    The error's ``loc`` is the field's path already (as
    :mod:`dcim.inventory.pydantic_errors` keeps it): an unknown key is named
    with the field it is in, any other error is :func:`message`.
    """
    location = tuple(error.get("loc", ()))
    if str(error.get("type", "")) in ("extra_forbidden", "unexpected_keyword_argument"):
        key = shown(location[-1], lang) if location else "''"
        if len(location) <= 1:
            return t("validation.unknown_top_key", lang, key=key)
        return t("validation.unknown_key", lang, key=key, label=label(location[:-1], lang))
    return message(error, lang)
