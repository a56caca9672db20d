"""Problems found in input: each names where it is and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable

# The error types are defined once in dcim.errors; they are re-exported here so that the
# old import path keeps working until every caller imports them from dcim.errors.
from dcim.errors import InputError, PermissionDenied, Problem

__all__ = ["InputError", "PermissionDenied", "Problem", "format_path"]


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
