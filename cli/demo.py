"""The bundled demo data center: inventory, and what the upper layers add to it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from dcim.inventory.load import LoadSummary, load_file

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def load_demo(engine: Engine) -> LoadSummary:
    """Load the demo inventory into an empty database."""
    return load_file(engine, DEMO_DIR / "inventory.yaml")
