"""Problems found in input: each names where it is and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, at a path such as ``racks[2].feeds``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(Exception):
    """Input that cannot be accepted; carries every problem found, and the source's name."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, prefixed with the source (file) when known."""
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{problem}" for problem in self.problems]


class PermissionDenied(Exception):
    """The user's role may not do this; the message says which role may."""


class DatabaseError(Exception):
    """The database cannot be reached or used; the message says why, for the operator.

    Defined here, beside the other errors an interface turns into exit code 2,
    so that the command line can name it without importing SQLAlchemy;
    :mod:`dcim.db` re-exports it as ``dcim.db.DatabaseError``.
    """


def format_path(location: Iterable[str | int]) -> str:
    """``('racks', 2, 'feeds')`` -> ``racks[2].feeds``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part)
            if not name or not name.isprintable() or name != name.strip():
                # An empty, padded or unprintable key is shown quoted and escaped, never raw.
                name = repr(name)
            text += f".{name}" if text else name
    return text
