"""The ``dcim`` command starts light: what only some commands need is loaded by those commands."""

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
    "streamlit",
)


@pytest.fixture(scope="module")
def loaded_at_start() -> set[str]:
    """The modules a fresh interpreter holds once the command line is imported."""
    probe = "import sys, dcim_cli.main; print('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("module", LATE)
def test_the_command_line_starts_without_loading(loaded_at_start: set[str], module: str) -> None:
    assert module not in loaded_at_start
