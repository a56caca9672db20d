"""The bundled demo data center: the inventory, then what each layer adds to it.

The operator loads it with ``dcim init --demo``; in the app, only a signed-in
administrator may (:func:`load_demo_as`), because the demo brings users with
a published password. After the inventory come the holds, the office's kop surat
(address, contacts, logo), then the users, then the
requests (holds need the inventory, requests need users), and last the
months of daily snapshots built back from the loaded demo. The demo goes
only into an empty inventory; :func:`load_demo` says when it did not load.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import Actor, require_role
from dcim.catalog import import_builtin_catalog
from dcim.db import read_session
from dcim.inventory.load import LoadSummary, load_file
from dcim.models import Rack, Role, User

from .bundle import DEMO_DIR, DEMO_PLAN, DEMO_ROLES

__all__ = [
    "DEMO_DIR",
    "DEMO_PLAN",
    "DEMO_ROLES",
    "inventory_is_empty",
    "load_demo",
    "load_demo_as",
]


def inventory_is_empty(session: Session) -> bool:
    """Whether the inventory has no rack yet, so that the demo may be loaded into it."""
    return session.scalar(select(Rack.id).limit(1)) is None


def load_demo(engine: Engine, actor: Actor) -> LoadSummary | None:
    """Load the demo into an empty inventory, as the actor; None when it is not empty.

    Only :data:`DEMO_ROLES` may: the demo adds users with a published password.
    """
    # The requests step loads the whole workflow; it is imported only when the demo is loaded.
    from dcim_demo import history, holds, letterhead, requests, users

    require_role(actor, DEMO_ROLES, "load the demo")
    with read_session(engine) as session:
        if not inventory_is_empty(session):
            return None
    summary = load_file(engine, DEMO_DIR / "inventory.yaml", actor=actor)
    for step in (holds, letterhead, users, requests, history):
        step.load(engine, actor)
    return summary


def load_demo_as(engine: Engine, actor: User) -> LoadSummary | None:
    """Load the demo for a signed-in person: only an administrator may, as it adds users."""
    require_role(actor, [Role.ADMIN], "load the demo")
    # The same steps as `dcim init --demo`: the built-in catalog first (it is idempotent).
    import_builtin_catalog(engine, actor)
    return load_demo(engine, actor)
