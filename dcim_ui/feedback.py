"""Showing what went wrong, the way the command line says it, without tracebacks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from dcim.errors import DatabaseError, InputError, PermissionDenied

from .context import language, tr

# What the services raise when they refuse and change nothing.
REFUSED = (InputError, PermissionDenied, DatabaseError)


def named_by_form(exc: InputError, labels: Mapping[str, str]) -> InputError:
    """The refusal with each problem at a path of ``labels`` named by the form's own label.

    A service names a field by its path (``username``, ``name``); where the
    form knows what it called that field, the person reads that name.
    """
    problems = [
        dataclasses.replace(problem, path=labels[problem.path])
        if problem.path in labels
        else problem
        for problem in exc.problems
    ]
    return InputError(problems, exc.source)


def show_input_error(exc: InputError, title: str | None = None) -> None:
    """Every problem of a refused input, one line each, naming the file and the field.

    In the person's language where the problem has a catalog key, and the field named as
    people name it ("Daya server (W)", not ``server.power_w``).
    """
    lines = "\n".join(f"- `{line}`" for line in exc.lines(language(), labels=True))
    st.error(f"**{title or tr('feedback.refused')}**\n\n{lines}", icon=":material/block:")


def show_denied(exc: PermissionDenied) -> None:
    """A write the person's role may not make."""
    st.error(tr("feedback.denied", reason=exc.text(language())), icon=":material/lock:")


def show_database_error(exc: DatabaseError) -> None:
    """The database could not be used; nothing was changed."""
    st.error(tr("feedback.database", reason=str(exc)), icon=":material/database:")


def show_refusal(
    exc: InputError | PermissionDenied | DatabaseError, title: str | None = None
) -> None:
    """Any refusal of a service as its own kind of message; ``title`` heads a refused input."""
    if isinstance(exc, InputError):
        show_input_error(exc, title)
    elif isinstance(exc, PermissionDenied):
        show_denied(exc)
    else:
        show_database_error(exc)


@dataclass
class Refusal:
    """What the block under :func:`refusals` was refused with; None while nothing was."""

    error: InputError | PermissionDenied | DatabaseError | None = None

    @property
    def refused(self) -> bool:
        """Whether the block was refused (and so changed nothing)."""
        return self.error is not None


@contextmanager
def refusals(
    title: str | None = None, labels: Mapping[str, str] | None = None
) -> Iterator[Refusal]:
    """Run a block of service calls; a refusal is shown on the page and ends the block.

    The rest of the block is the success path: a refused input, a denied
    write or an unusable database skips it, and the yielded
    :class:`Refusal` says which it was. ``labels`` names the form's fields
    by the service's paths (see :func:`named_by_form`).
    """
    outcome = Refusal()
    try:
        yield outcome
    except REFUSED as exc:
        outcome.error = exc
        if labels and isinstance(exc, InputError):
            exc = named_by_form(exc, labels)
        show_refusal(exc, title)
