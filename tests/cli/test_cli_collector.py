"""The ``dcim`` command keeps the garbage collector off what it imported, and never leaves it off.

The console entry point pauses the collector while the command imports what it
runs; once the command has opened its database, what the process holds is
frozen out of the collector's walks and collection starts again
(:mod:`dcim.process`). A command that stopped there would leave a long-lived
process (``dcim serve``, ``dcim app``) collecting nothing, so each of those
settles before it hands over.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dcim_cli import context
from dcim_cli.main import invoke

SPEC_EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"

# Runs the real entry point and says, as the process ends, what the collector was doing.
PROBE = """
import atexit, gc, sys
from dcim_cli.main import run
atexit.register(lambda: print("collector", gc.isenabled(), gc.get_freeze_count() > 0))
run(sys.argv[1:])
"""


@pytest.fixture
def paused_like_the_console() -> Iterator[None]:
    """The state ``dcim_cli.main.run`` leaves before a command; put back afterwards."""
    gc.disable()
    context.state.settle_on_open = True
    try:
        yield
    finally:
        context.state.settle_on_open = False
        gc.enable()
        gc.unfreeze()


def test_a_check_from_the_console_collects_again_with_its_imports_frozen(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'dcim.db'}"
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "--db",
            database,
            "load",
            str(SPEC_EXAMPLES / "inventory.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    checked = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "--db",
            database,
            "check",
            str(SPEC_EXAMPLES / "request-simpeg.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode in (0, 1), checked.stderr
    # Enabled: the command opened its database and settled; frozen: its imports are set aside.
    assert "collector True True" in checked.stdout, checked.stdout[-500:]


def test_serve_starts_collecting_before_uvicorn_takes_over(
    paused_like_the_console: None, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: seen.update(enabled=gc.isenabled()))
    monkeypatch.delenv("DCIM_DATABASE_URL", raising=False)
    assert invoke(["--db", sqlite_url, "serve"]) == 0
    assert seen == {"enabled": True}, "uvicorn would serve with the collector off"


def test_app_starts_collecting_before_it_waits_for_streamlit(
    paused_like_the_console: None, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess as launched

    seen: dict[str, Any] = {}

    class Streamlit:
        def __init__(self, *_a: Any, **_k: Any) -> None:
            seen["enabled"] = gc.isenabled()

        def wait(self) -> int:
            return 0

        def terminate(self) -> None:
            pass

    monkeypatch.setattr(launched, "Popen", Streamlit)
    monkeypatch.delenv("DCIM_DATABASE_URL", raising=False)
    assert invoke(["--db", sqlite_url, "app"]) == 0
    assert seen == {"enabled": True}, "dcim app would wait for Streamlit with the collector off"


def test_commands_run_in_a_test_process_leave_the_collector_alone(sqlite_url: str) -> None:
    # invoke() is what tests and embedders call: it never pauses nor freezes anything.
    frozen = gc.get_freeze_count()
    assert invoke(["--db", sqlite_url, "verify"]) == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
