"""Problems found in input: each names where it is and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable

# The error types are defined once in dcim.errors; they are re-exported here so that the
# old import path keeps working until every caller imports them from dcim.errors.
from dcim.errors import DatabaseError, InputError, PermissionDenied, Problem, field_label

__all__ = [
    "DatabaseError",
    "InputError",
    "PermissionDenied",
    "Problem",
    "field_label",
    "format_path",
]


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
