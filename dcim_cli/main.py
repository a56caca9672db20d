"""Entry point of the ``dcim`` command: global options, the command groups, and error handling.

Exit codes follow the contract: 0 done (feasible), 1 not feasible, 2 bad
input or usage with each problem on stderr. No traceback reaches the user
unless ``DCIM_DEBUG=1`` asks for one.
"""

from __future__ import annotations

import copy
import errno
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import click
import typer

from dcim.errors import DatabaseError, InputError, PermissionDenied
from dcim.i18n import UnknownLanguage, catalog, resolve_language, t
from dcim.process import pause_collection

from . import context, usage_errors
from .context import err
from .help_text import language_of, localize

# Plain click help everywhere (rich_markup_mode=None on every group): Typer's rich help
# formatter costs 0.1 s to import, a third of a bare start.
app = typer.Typer(
    rich_markup_mode=None,
    name="dcim",
    help="dcim-lite: kapasitas dan inventaris data center, dan alur permohonan colocation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLAlchemy database URL (default: $DCIM_DATABASE_URL, else a SQLite file).",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages: id (default) or en.")
    ] = None,
) -> None:
    """Global options."""
    context.state.db_url = db
    context.state.lang = lang


def _register() -> None:
    """Add every ``dcim_cli/*_commands.py`` module's commands; each module owns one area."""
    import importlib
    import pkgutil

    package = Path(__file__).resolve().parent
    for module_info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if module_info.name.endswith("_commands"):
            importlib.import_module(f"dcim_cli.{module_info.name}").register(app)


_register()


def run(argv: list[str] | None = None) -> int:
    """Run the command line and exit with the contract's exit code."""
    # The command imports what it runs before it opens the database; the collector has
    # nothing to free among those and waits till then (dcim.process, context.engine).
    pause_collection()
    context.state.settle_on_open = True
    code = invoke(argv)
    sys.exit(code)


#: The exit code when whoever read the output went away (``dcim reserve ... | head -1``):
#: 128 + SIGPIPE, as a shell reports a filter its reader left. Typer exits with 1 there,
#: which the contract reserves for "not feasible; nothing was held", though a hold may
#: have been made before the answer could be written.
OUTPUT_CLOSED_EXIT = 141


def invoke(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (for tests and embedding)."""
    given = sys.argv[1:] if argv is None else argv
    try:
        command = typer.main.get_command(_only(app, _command_name(given)))
        localize(command, language_of(given))
        result = command.main(args=argv, prog_name="dcim", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except SystemExit as exc:
        if exc.code == 1 and _output_closed():
            return OUTPUT_CLOSED_EXIT
        raise
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.ClickException, typer.TyperException) as exc:
        # Typer bundles its own copy of click; its usage errors derive from TyperException.
        usage_errors.show(exc, language_of(given))
        return 2
    except click.exceptions.Abort:
        err(t("cli.interrupted", _lang()))
        return 2
    except InputError as exc:
        for line in exc.lines(_lang()):
            err(line)
        return 2
    except (DatabaseError, UnknownLanguage) as exc:
        err(f"error: {exc}")
        return 2
    except PermissionDenied as exc:
        err(t("cli.denied", _lang(), reason=exc.text(_lang())))
        return 2
    except KeyboardInterrupt:
        err(t("cli.interrupted", _lang()))
        return 2
    except OSError as exc:
        if exc.filename is None:  # not a file the command line named: a fault of ours
            return _internal_error(exc)
        # A file or folder given on the command line (--report, -o, a request file) that the
        # system refuses: the user's to fix, said in the user's language.
        err(t("cli.file_unusable", _lang(), file=exc.filename, reason=_file_reason(exc)))
        return 2
    except Exception as exc:
        return _internal_error(exc)


def _output_closed() -> bool:
    """Whether Typer found the output's reader gone: it answers a write to a closed pipe by
    exiting with 1 and wrapping the output streams so that their last flush stays quiet
    (click's ``PacifyFlushWrapper``, which Typer bundles a copy of: known here by name)."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _internal_error(exc: BaseException) -> int:
    if os.environ.get("DCIM_DEBUG"):
        traceback.print_exc()
    err(t("cli.internal_error", _lang(), error=f"{type(exc).__name__}: {exc}"))
    return 2


def _file_reason(exc: OSError) -> str:
    """Why the system refused a file, in the user's language when it is a common reason."""
    name = errno.errorcode.get(exc.errno or 0, "")
    known = catalog(resolve_language(_lang())).get(f"cli.file_reasons.{name}")
    return known or exc.strerror or str(exc)


# The global options that take a value (``dcim --db URL check ...``).
_VALUED_OPTIONS = ("--db", "--lang")


def _command_name(argv: list[str]) -> str | None:
    """The command a command line runs (``check``, ``request``), or None for ``dcim --help``."""
    given = iter(argv)
    for word in given:
        if word in _VALUED_OPTIONS:
            next(given, None)
        elif not word.startswith("-"):
            return word
        elif word.split("=", 1)[0] not in _VALUED_OPTIONS:
            return None  # --help, or an option click will refuse: let the whole program answer
    return None


def _only(whole: typer.Typer, name: str | None) -> typer.Typer:
    """The program with only the command ``name``, or the whole program.

    Building click's command from Typer's description inspects every command's
    signature; a run needs only its own command, and building all 48 cost
    0.19 s of a 1.2 s ``dcim check``. ``dcim --help`` and a name no command
    has get the whole program, so that the listing and click's "no such
    command" answer stay as they are.
    """
    if name is None:
        return whole
    commands = [
        c
        for c in whole.registered_commands
        if (c.name or typer.main.get_command_name(c.callback.__name__ if c.callback else ""))
        == name
    ]
    groups = [
        g
        for g in whole.registered_groups
        if (g.name or (g.typer_instance.info.name if g.typer_instance else None)) == name
    ]
    if not commands and not groups:
        return whole
    lite = copy.copy(whole)  # the same settings and global options, fewer commands
    lite.registered_commands = commands
    lite.registered_groups = groups
    return lite


def _lang() -> str:
    try:
        return context.language()
    except UnknownLanguage:
        return "id"
