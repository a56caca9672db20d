"""The errors every layer raises and every interface catches, defined once.

Nothing below the interfaces prints or exits: a service raises one of these,
and the command line turns it into exit code 2 (or the app into a message on
the page, the HTTP API into a 4xx answer). They live in one small module with
no imports of the project's own, so that an interface can catch all of them
without loading the database layer or the password hasher, and so that no
layer has to import another layer's internals to name an error.

- :class:`Problem` / :class:`InputError`: input that cannot be accepted, with
  every problem found and where it is (``racks[2].feeds``).
- :class:`PermissionDenied`: the acting person's role may not do this.
- :class:`DatabaseError`: the database cannot be reached or used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DatabaseError", "InputError", "PermissionDenied", "Problem"]


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
    """The database cannot be reached or used; the message says why, for the operator."""
