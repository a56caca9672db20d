"""What every command shares: the database it works on and the language it speaks.

Importing the command line must stay light (``dcim --help`` should cost little
more than starting Python): SQLAlchemy and the models are imported by the
functions here, when a command first opens the database, never at import.
``tests/cli/test_cli_startup.py`` guards it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, overload

from dcim.errors import InputError, Problem
from dcim.i18n import resolve_language, t

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session


@dataclass
class State:
    """Options given before the command (``dcim --db URL --lang en COMMAND``)."""

    db_url: str | None = None
    lang: str | None = None
    # Set by the console entry point (not by tests that invoke commands in their own process),
    # which starts with the garbage collector paused: once the command's database is open, what
    # the process imported is set aside from the collector's walks and it runs again
    # (dcim.process). A command that never opens it through engine() calls settle() itself.
    settle_on_open: bool = False


state = State()


def load_layers() -> None:
    """Import the layers the program runs, before a database is opened.

    Importing the workflow registers its migrations (and its words), so that
    the schema is created or upgraded whole. Not when the command line is
    imported: commands start without the workflow (see test_cli_startup).
    """
    importlib.import_module("colocation")


def engine(create_schema: bool = True) -> Engine:
    """The engine of the chosen database, with the schema created or upgraded when asked."""
    load_layers()
    from dcim.db import ensure_schema, get_engine, resolve_url

    eng = get_engine(resolve_url(state.db_url))
    if create_schema:
        ensure_schema(eng)
    settle()
    return eng


def settle() -> None:
    """Once started, from the console: set aside what the process holds from the garbage
    collector's walks and let it collect again (see :class:`State`)."""
    if state.settle_on_open:
        from dcim.process import settle_after_start

        settle_after_start()
        state.settle_on_open = False


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """:func:`dcim.db.read_session`, imported when a command first reads."""
    from dcim.db import read_session as reading

    with reading(engine) as session:
        yield session


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """:func:`dcim.db.read_connection`, for a command that only reads the engine's columns."""
    from dcim.db import read_connection as reading

    with reading(engine) as connection:
        yield connection


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """:func:`dcim.db.write_session`, imported when a command first writes."""
    from dcim.db import write_session as writing

    with writing(engine) as session:
        yield session


def language(override: str | None = None) -> str:
    """The language of messages: the command's ``--lang``, else the global one, else Indonesian."""
    return resolve_language(override or state.lang)


@overload
def parse_date(value: str, option: str, lang: str | None = None) -> dt.date: ...
@overload
def parse_date(value: None, option: str, lang: str | None = None) -> None: ...
def parse_date(value: str | None, option: str, lang: str | None = None) -> dt.date | None:
    """The date an option or argument gives (``YYYY-MM-DD``), None when not given.

    A wrong date, or one outside the working calendar, is a usage error
    naming the option, in the chosen language.
    """
    from dcim.workdays import require_in_calendar

    if value is None:
        return None
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError as exc:
        message = t("cli.not_a_date", language(lang), value=value)
        raise InputError([Problem(option, message)]) from exc
    return require_in_calendar(parsed, option, language(lang))


@contextmanager
def as_options(names: dict[str, str]) -> Iterator[None]:
    """Problems a service names by its parameter (``on``) are named by the option (``--on``)."""
    try:
        yield
    except InputError as exc:
        problems = [replace(p, path=names.get(p.path, p.path)) for p in exc.problems]
        raise InputError(problems, exc.source) from exc


def print_json(document: Any) -> None:
    """Exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def err(line: str) -> None:
    """One line on stderr.

    A message may name what the user typed (a file path, a value): a control or invisible
    character in it is written as its escape (``\\x1b``), so that it cannot move the
    cursor, recolour the terminal or hide part of the message.
    """
    shown = "".join(
        char if char.isprintable() or char in "\n\t" else char.encode("unicode_escape").decode()
        for char in line.rstrip("\n")
    )
    sys.stderr.write(shown + "\n")
