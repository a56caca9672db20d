"""The errors every layer raises and every interface catches, defined once.

Nothing below the interfaces prints or exits: a service raises one of these,
and the command line turns it into exit code 2 (or the app into a message on
the page, the HTTP API into a 4xx answer). They live in one small module with
no imports of the project's own at import time (the catalogs are read only
when a problem is put into words), so that an interface can catch all of them
without loading the database layer or the password hasher, and so that no
layer has to import another layer's internals to name an error.

- :class:`Problem` / :class:`InputError`: input that cannot be accepted, with
  every problem found and where it is (``racks[2].feeds``), in the user's
  language when the problem carries a catalog key (:func:`field_label` names
  the field as people do).
- :class:`PermissionDenied`: the acting person's role may not do this.
- :class:`DatabaseError`: the database cannot be reached or used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PYDANTIC_KEY",
    "DatabaseError",
    "InputError",
    "PermissionDenied",
    "Phrase",
    "Problem",
    "RoleTitles",
    "field_label",
]

#: The key of a problem that is one pydantic error (its ``error`` param is pydantic's
#: error, location included); :mod:`dcim.i18n.validation` words it in the language.
PYDANTIC_KEY = "validation.pydantic"


@dataclass(frozen=True)
class Phrase:
    """A value of a problem that is itself words (``zones[0] in the database``), in any language.

    Its English wording is what ``str`` gives (the problem's English message
    is formatted with it); :meth:`text` words it from the catalogs.
    """

    key: str
    english: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, english: str, /, **params: Any) -> Phrase:
        """A phrase with its catalog key, its English wording and the values both fill in."""
        return cls(key, english.format(**params), tuple(sorted(params.items())))

    def text(self, lang: str | None = None) -> str:
        """The phrase in the language (its own English wording in English, or without one)."""
        if lang is None or lang == "en":
            return self.english
        from dcim.i18n import t

        return t(self.key, lang, **dict(self.params))

    @classmethod
    def library(cls, reason: object) -> Phrase:
        """What a library (the YAML parser, openpyxl, pandas) said, in its own English.

        Its words have no translation; in another language the phrase says only that
        the library could not read the file there, and the problem around it says where.
        """
        return cls("loader.library_reason", str(reason))

    def problem(self, path: str) -> Problem:
        """A problem at ``path`` that says this phrase."""
        return Problem(path, self.english, self.key, self.params)

    def __str__(self) -> str:
        return self.english


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, at a path such as ``racks[2].feeds``.

    ``message`` is the English wording (logs, and every problem not yet in
    the catalogs). A problem with a catalog ``key`` and its ``params`` is
    shown in the user's language by :meth:`text`; the path then reads as a
    person names the field (:func:`field_label`).
    """

    path: str
    message: str
    key: str | None = field(default=None, compare=False)
    params: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, path: str, key: str, english: str, /, **params: Any) -> Problem:
        """A problem with its catalog key, its English wording and the values both fill in."""
        return cls(path, english.format(**params), key, tuple(sorted(params.items())))

    def text(self, lang: str | None = None) -> str:
        """What is wrong, in the language (the English wording when it has no catalog key)."""
        if self.key is None or lang is None:
            return self.message
        if self.key == PYDANTIC_KEY:
            if lang == "en":
                return self.message  # the loader's English wording, which the spec quotes
            # Imported here: only a pydantic error needs it.
            from dcim.i18n.pydantic_words import error_text

            return error_text(dict(self.params)["error"], lang)
        from dcim.i18n import t

        values = {
            name: value.text(lang) if isinstance(value, Phrase) else value
            for name, value in self.params
        }
        return t(self.key, lang, **values)

    def render(self, lang: str | None = None, *, labels: bool = False) -> str:
        """``where: what``; with ``labels``, the path as a person names the field."""
        where = field_label(self.path, lang) if labels and lang and self._known_key() else self.path
        message = self.text(lang)
        return f"{where}: {message}" if where else message

    def _known_key(self) -> bool:
        """False for a key the schema does not have: its path is the user's word, not a field."""
        if self.key != PYDANTIC_KEY:
            return True
        kind = dict(self.params)["error"].get("type")
        return kind not in ("extra_forbidden", "unexpected_keyword_argument")

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def field_label(path: str, lang: str | None, labels: Mapping[str, str] | None = None) -> str:
    """``server.power_w`` as "Daya server (W)", ``devices[35].feeds`` as "Perangkat, baris 36:
    Jalur daya"; a path the label table does not know is shown as it is."""
    if not path or lang is None:
        return path
    from dcim.i18n import catalog, t

    known = labels if labels is not None else catalog(lang)
    names: list[str] = []
    row: int | None = None
    for index, name in _PATH_PART.findall(path):
        if index:
            row = int(index) if row is None else row
        else:
            names.append(name)
    if not names:
        return path
    section = known.get(f"fields.section.{names[0]}")
    if row is not None and len(names) == 1 and section is not None:
        return t("fields.row", lang, section=section, row=row + 1)
    dotted = ".".join(names)
    # The inventory's names first, then those of the validation messages (a request's fields).
    label = known.get(f"fields.{dotted}") or known.get(f"validation.labels.{dotted}")
    if label is None:
        return path
    if row is None or section is None:
        return label
    return t("fields.row_field", lang, section=section, row=row + 1, field=label)


class InputError(Exception):
    """Input that cannot be accepted; carries every problem found, and the source's name."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self, lang: str | None = None, *, labels: bool = False) -> list[str]:
        """One line per problem, prefixed with the source (file) when known.

        With ``lang``, each problem that has a catalog key reads in that
        language; with ``labels`` too, fields are named as people name them
        (the app); the command line keeps the paths, which the operator edits.
        """
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{problem.render(lang, labels=labels)}" for problem in self.problems]


@dataclass(frozen=True)
class RoleTitles:
    """Role codes to be named in a message by their titles, "Tim Data Center, OPD".

    A :class:`PermissionDenied` keeps the codes (``tim_dc``), not words of one
    language, so that every interface names the roles in its user's language.
    """

    codes: tuple[str, ...]

    def text(self, lang: str) -> str:
        """The roles' titles in the language, in the order given, joined by commas."""
        from dcim.i18n import catalog, resolve_language

        titles = catalog(resolve_language(lang))
        return ", ".join(titles.get(f"ui.roles.{code}", code) for code in self.codes)

    def __str__(self) -> str:
        return ", ".join(self.codes)


class PermissionDenied(Exception):
    """The user's role may not do this; the message says which role may.

    ``str()`` is the English wording (logs, the operator's console). A refusal
    with a catalog ``key`` and its ``params`` is said in the user's language by
    :meth:`text`; a :class:`RoleTitles` parameter names roles as people do.
    A refusal without a key was already worded by its raiser, in the
    language it was given, and reads the same in every language.
    """

    def __init__(
        self, message: str, *, key: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.params: dict[str, Any] = dict(params or {})

    def text(self, lang: str | None = None) -> str:
        """Why the action was refused, in the language (the English wording without one)."""
        if self.key is None or lang is None:
            return self.message
        from dcim.i18n import t

        words = {
            name: value.text(lang) if isinstance(value, RoleTitles) else value
            for name, value in self.params.items()
        }
        return t(self.key, lang, **words)


class DatabaseError(Exception):
    """The database cannot be reached or used; the message says why, for the operator."""
