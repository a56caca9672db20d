"""Starting the web app from an installed program: the command ``dcim app`` runs.

A wheel has no ``streamlit_app.py`` and no ``.streamlit/`` folder of the
clone, so both travel inside this package: the entry script
(``dcim_streamlit_main.py``) and the app's Streamlit settings
(``streamlit.toml``; the clone's ``.streamlit/config.toml`` is a link to it,
so ``streamlit run streamlit_app.py`` reads the same one file). The settings
are handed to Streamlit as command-line options, which it takes over any
``config.toml`` it finds, whatever folder ``dcim app`` is started from.
Nothing here imports Streamlit: the ``dcim`` command stays quick to start.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dcim.package_data import shipped_path

#: The script Streamlit runs; it calls :func:`dcim_ui.app.main`, as ``streamlit_app.py`` does.
ENTRY_SCRIPT: Path = shipped_path(__name__, "dcim_streamlit_main.py")
#: What ``dcim app`` hands to ``streamlit run``: the entry script as an ``st.App`` with the
#: session cookie's addresses (``dcim_streamlit_serve.py``).
SERVE_SCRIPT: Path = shipped_path(__name__, "dcim_streamlit_serve.py")
#: The app's Streamlit settings (theme, upload limit, no error details for users).
SETTINGS_FILE: Path = shipped_path(__name__, "streamlit.toml")


def settings_options(settings: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Streamlit command-line options for a settings table: ``[theme.sidebar] x = 1`` -> ``--theme.sidebar.x=1``."""
    options: list[str] = []
    for key, value in settings.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            options.extend(settings_options(value, name))
        elif isinstance(value, bool):
            # TOML's true/false; Python's str() would write True/False, which Streamlit refuses.
            options.append(f"--{name}={'true' if value else 'false'}")
        else:
            options.append(f"--{name}={value}")
    return options


def streamlit_command(
    port: int | None = None, address: str | None = None, settings_file: Path = SETTINGS_FILE
) -> list[str]:
    """The command line that serves the app with this Python: the shipped settings, then the caller's."""
    with settings_file.open("rb") as handle:
        options = settings_options(tomllib.load(handle))
    # Later options win, so the caller's port and address override the settings file.
    if port is not None:
        options.append(f"--server.port={port}")
    if address is not None:
        options.append(f"--server.address={address}")
    return [sys.executable, "-m", "streamlit", "run", str(SERVE_SCRIPT), *options]
