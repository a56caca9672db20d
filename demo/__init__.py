"""The bundled demo data center: the inventory, then what each layer adds to it.

Both interfaces offer it (``dcim init --demo``, and the app on an empty
database). Each extra step is a module of this package with ``load(engine)``;
they run in the order of :data:`STEPS` (holds need the inventory, requests
need users).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from sqlalchemy import Engine

from dcim.inventory.load import LoadSummary, load_file

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
STEPS = ("holds", "users", "requests")


def load_demo(engine: Engine) -> LoadSummary:
    """Load the demo inventory into an empty database, then the extra steps that exist."""
    summary = load_file(engine, DEMO_DIR / "inventory.yaml")
    for step in STEPS:
        try:
            module = importlib.import_module(f"demo.{step}")
        except ModuleNotFoundError as exc:
            if exc.name != f"demo.{step}":
                raise
            continue
        module.load(engine)
    return summary
