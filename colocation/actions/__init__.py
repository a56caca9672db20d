"""The SOP's action kinds as data plus one handler each (``kind:`` in the SOP file).

:data:`ACTIONS` is the registry the bundled SOP is validated and run
against; each handler lives in the module named after what it acts on:

- :mod:`.agenda`: the letter's registration and disposition hops (steps 1-4);
- :mod:`.capacity`: the capacity check, a recheck and the withdrawal, which
  hold or let go of room through :mod:`capacity.holds`;
- :mod:`.letters`: reports, replies, the Berita Acara and its signatures;
- :mod:`.server`: installing, configuring, testing and monitoring the server.

A new kind is one more handler class registered here (its name goes in
:class:`colocation.choices.ActionKind`); see docs/architecture.md.
"""

from __future__ import annotations

from ..sop import use_default_actions
from .agenda import Dispose, Register
from .base import ActionContext, ActionHandler, ActionRegistry
from .capacity import CapacityCheck, Recheck, Withdraw
from .letters import Acknowledge, BeritaAcara, Plain, Reply, Report
from .server import Checklist, Install, Monitor, PerformanceTest

ACTIONS = ActionRegistry(
    [
        Register(),
        Dispose(),
        CapacityCheck(),
        Report(),
        Reply(),
        Install(),
        Checklist(),
        PerformanceTest(),
        Monitor(),
        BeritaAcara(),
        Acknowledge(),
        Recheck(),
        Plain(),
        Withdraw(),
    ]
)

use_default_actions(ACTIONS)

__all__ = ["ACTIONS", "ActionContext", "ActionHandler", "ActionRegistry"]
