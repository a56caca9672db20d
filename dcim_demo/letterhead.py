"""Demo step: the office's kop surat lines and logo, from ``dcim_demo/data/letterhead.yaml``.

A letter from the demo office carries the full kop surat the Tata Naskah Dinas asks for
(address, telephone, fax, website, e-mail, postal code and a logo), stored through the same
service as ``dcim letterhead set`` and ``dcim letterhead logo``, so the demo's settings are
checked and audited like the operator's.
"""

from __future__ import annotations

from sqlalchemy import Engine

from dcim.accounts import Actor
from dcim.db import write_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.letterhead import write_letterhead_settings, write_logo

from .bundle import DEMO_DIR

DEMO_LETTERHEAD = DEMO_DIR / "letterhead.yaml"


def load(engine: Engine, actor: Actor) -> None:
    """Store the demo office's kop surat lines and logo, as the actor."""
    data = read_yaml_file(DEMO_LETTERHEAD)
    with write_session(engine) as session:
        write_letterhead_settings(session, actor, dict(data["letterhead"]))
        write_logo(session, actor, (DEMO_DIR / str(data["logo"])).read_bytes())
