"""Demo step: the documented demo users, one per role, from ``dcim_demo/data/users.yaml``."""

from __future__ import annotations

from sqlalchemy import Engine

from dcim.accounts import Actor
from dcim.db import write_session
from dcim.users import add_demo_users

from .bundle import DEMO_DIR


def load(engine: Engine, actor: Actor) -> list[str]:
    """Add the demo users that are not there yet, as the actor; returns their names."""
    with write_session(engine) as session:
        return add_demo_users(session, actor, DEMO_DIR / "users.yaml")
