"""Where the demo's files are and who may load them, for the package and each demo step.

A module of its own so that the step modules (holds, users, requests) need not
import the package that runs them: that was an import cycle.
"""

from __future__ import annotations

from pathlib import Path

from dcim.models import OPERATOR_ROLE, Role

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
#: Who may load the demo (its users included): the administrator and the operator.
DEMO_ROLES = (Role.ADMIN, OPERATOR_ROLE)
