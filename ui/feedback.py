"""Showing what went wrong, the way the command line says it, without tracebacks."""

from __future__ import annotations

import streamlit as st

from dcim.accounts import PermissionDenied
from dcim.db import DatabaseError
from dcim.inventory import InputError

from .context import tr


def show_input_error(exc: InputError, title: str | None = None) -> None:
    """Every problem of a refused input, one line each, naming the file and the field."""
    lines = "\n".join(f"- `{line}`" for line in exc.lines())
    st.error(f"**{title or tr('feedback.refused')}**\n\n{lines}", icon=":material/block:")


def show_denied(exc: PermissionDenied) -> None:
    """A write the person's role may not make."""
    st.error(tr("feedback.denied", reason=str(exc)), icon=":material/lock:")


def show_database_error(exc: DatabaseError) -> None:
    """The database could not be used; nothing was changed."""
    st.error(tr("feedback.database", reason=str(exc)), icon=":material/database:")
