"""The ``dcim`` command starts light: what only some commands need is loaded by those commands.

``dcim --help`` should cost little more than starting Python (issue 12: at most
1.5x a bare ``import sqlalchemy``); the check for that is the benchmark, and
this test guards the cause instead of the time: it lists the modules a
``dcim --help`` process holds at its end and fails when a heavy one creeps
back in through a top-level import.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# Loaded by the commands that use them, never at start-up.
LATE = (
    "argon2",  # user administration: the password hasher
    "holidays",  # working days: the national holiday tables
    "dcim.catalog",  # device-type library files: pydantic and the inventory schema
    "dcim.inventory.load",
    "dcim.inventory.schema",
    "dcim.snapshots",
    "docx",  # documents
    "capacity",
    "colocation",
    "dcim_ui",  # `dcim app` finds the entry script only when it runs
    "sqlalchemy",  # the database: only a command that opens it needs it (0.3 s)
    "dcim.db",
    "dcim.models",
    "alembic",  # only to create or upgrade the schema (0.4 s)
    "yaml",  # message catalogs are compiled to JSON; request files are read by their commands
    "babel",  # number and date formatting, with its locale data
    "pandas",
    "networkx",
    "rich",  # Typer's rich help formatter: plain click help is enough (0.1 s)
    "fastapi",
    "uvicorn",
    "streamlit",
)

# Runs the real command line with the arguments given and lists what it loaded on the way.
PROBE = """
import sys
from dcim_cli.main import invoke
code = invoke(sys.argv[1:])
sys.stdout.flush()
print("\\n---modules---")
print("\\n".join(sys.modules))
sys.exit(code)
"""


def _run_probe(*args: str, ok: tuple[int, ...] = (0,)) -> tuple[str, set[str]]:
    """What a ``dcim ARGS...`` process printed, and the modules it holds when it is done; its
    exit code must be one of ``ok``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode in ok, done.stderr
    output, _, modules = done.stdout.partition("---modules---")
    return output, set(modules.split())


def _loaded(modules: set[str], module: str) -> set[str]:
    return {name for name in modules if name == module or name.startswith(module + ".")}


@pytest.fixture(scope="module")
def loaded_at_start() -> set[str]:
    """The modules a ``dcim --help`` process holds when it is done."""
    help_text, modules = _run_probe("--help")
    assert "check" in help_text, "the probe did not print the command list"
    return modules


@pytest.mark.parametrize("module", LATE)
def test_the_command_line_starts_without_loading(loaded_at_start: set[str], module: str) -> None:
    loaded = _loaded(loaded_at_start, module)
    assert not loaded, f"`dcim --help` imported {sorted(loaded)[:5]}"


# What a check never needs: it reads columns through a bare connection (dcim.core_tables).
NOT_FOR_A_CHECK = (
    "sqlalchemy.orm",  # the ORM: importing it, mapping the models and configuring them
    "dcim.models",
    "dcim.accounts",  # the password hasher and the user model: a check changes nothing
    "dcim.catalog",  # reading library files; the check's lookup is dcim.catalog_lookup
    "argon2",
    "alembic",
    "holidays",
    "babel",  # numbers use the symbols compiled from babel; its locale data cost 58 ms
    "docx",
    "pandas",
    "networkx",
    "rich",
)


@pytest.fixture(scope="module")
def loaded_by_a_check(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules a ``dcim check`` process on the demo holds when it is done."""
    from pathlib import Path

    folder = tmp_path_factory.mktemp("check-start")
    url = f"sqlite:///{folder / 'demo.db'}"
    subprocess.run(
        [sys.executable, "-m", "dcim_cli", "--db", url, "init", "--demo"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    request = Path(__file__).parents[2] / "dcim_demo" / "data" / "requests"
    answer, modules = _run_probe(
        "--db", url, "check", str(sorted(request.glob("*.yaml"))[0]), "--json", ok=(0, 1)
    )
    assert '"feasible"' in answer, "the probe did not print the check's document"
    return modules


@pytest.mark.parametrize("module", NOT_FOR_A_CHECK)
def test_a_check_runs_without_loading(loaded_by_a_check: set[str], module: str) -> None:
    loaded = _loaded(loaded_by_a_check, module)
    assert not loaded, f"`dcim check` imported {sorted(loaded)[:5]}"
