"""``dcim app``: Streamlit runs the entry script shipped in dcim_ui.launch, with the shipped settings.

An installed wheel has neither the clone's ``streamlit_app.py`` nor its
``.streamlit/`` folder; these tests hold the pieces that replace them. The
whole path (a wheel in a clean venv answering ``/_stcore/health``) is
``make wheel-test``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from dcim_cli.main import invoke
from dcim_ui.launch import (
    ENTRY_SCRIPT,
    SERVE_SCRIPT,
    SETTINGS_FILE,
    settings_options,
    streamlit_command,
)

REPO = Path(__file__).resolve().parents[2]


def test_nested_settings_become_dotted_options_with_tomls_booleans() -> None:
    options = settings_options({"server": {"headless": True}, "theme": {"sidebar": {"x": "#fff"}}})
    # Streamlit refuses Python's "True"; TOML's "true" is what it parses.
    assert options == ["--server.headless=true", "--theme.sidebar.x=#fff"]


def test_the_command_carries_the_shipped_settings_before_the_callers_port() -> None:
    command = streamlit_command(port=8600, address="127.0.0.1")
    # The app with its session cookie: the entry script as an st.App beside the cookie's routes.
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(SERVE_SCRIPT)]
    assert "st.App(str(ENTRY_SCRIPT)" in SERVE_SCRIPT.read_text(encoding="utf-8")
    # The upload limit users meet is the one in the settings file, even outside a clone.
    assert "--server.maxUploadSize=20" in command
    assert "--client.showErrorDetails=none" in command
    # The caller's port comes last, so it wins over a port in the settings file.
    assert command[-2:] == ["--server.port=8600", "--server.address=127.0.0.1"]


def test_a_caller_port_overrides_one_in_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "streamlit.toml"
    settings.write_text("[server]\nport = 9000\n", encoding="utf-8")
    command = streamlit_command(port=8600, settings_file=settings)
    assert command.index("--server.port=9000") < command.index("--server.port=8600")


def test_the_clones_streamlit_config_is_the_shipped_settings_file_not_a_copy() -> None:
    # `streamlit run streamlit_app.py` in a clone reads .streamlit/config.toml; one file, two names.
    assert (REPO / ".streamlit" / "config.toml").resolve() == SETTINGS_FILE.resolve()
    assert tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8"))["server"]["headless"] is True


def test_the_entry_scripts_folder_puts_no_app_module_on_the_import_path() -> None:
    # Streamlit adds the script's folder to sys.path: a module beside it would become a top-level
    # name (and a pages/ folder would become Streamlit's own page list).
    beside = {p.name for p in ENTRY_SCRIPT.parent.iterdir() if p.name != "__pycache__"}
    assert beside == {
        "__init__.py",
        "dcim_streamlit_main.py",
        "dcim_streamlit_serve.py",
        "streamlit.toml",
    }


def test_dcim_app_hands_streamlit_the_database_it_migrated_and_exits_with_its_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict[str, Any] = {}

    class Streamlit:
        """Stands in for the Streamlit process: records how it was started, ends with code 3."""

        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            started.update(command=command, env=env)

        def wait(self) -> int:
            return 3

        def terminate(self) -> None:
            started["terminated"] = True

    monkeypatch.setattr(subprocess, "Popen", Streamlit)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert invoke(["--db", url, "app", "--port", "8600"]) == 3
    # The app runs in another process: it finds the --db database through the environment.
    assert started["env"]["DCIM_DATABASE_URL"] == url
    assert started["command"][4] == str(SERVE_SCRIPT)
    assert "--server.port=8600" in started["command"]
    # Migrated before Streamlit starts, so that a broken database is said on the terminal.
    assert (tmp_path / "app.db").stat().st_size > 0


def test_dcim_app_passes_a_sigterm_on_to_streamlit_and_then_lets_go_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminated: list[bool] = []

    class Streamlit:
        """Stands in for the Streamlit process; a service manager stops `dcim app` while it runs."""

        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            pass

        def wait(self) -> int:
            if not terminated:
                signal.raise_signal(signal.SIGTERM)
            return -signal.SIGTERM

        def terminate(self) -> None:
            terminated.append(True)

    monkeypatch.setattr(subprocess, "Popen", Streamlit)
    before = signal.getsignal(signal.SIGTERM)
    invoke(["--db", f"sqlite:///{tmp_path / 'app.db'}", "app"])
    # Without the hand-over Streamlit would keep serving after `dcim app` was told to stop.
    assert terminated == [True]
    assert signal.getsignal(signal.SIGTERM) == before
