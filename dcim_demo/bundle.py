"""Where the demo's files are and who may load them, for the package and each demo step.

A module of its own so that the step modules (holds, users, requests) need not
import the package that runs them: that was an import cycle.
"""

from __future__ import annotations

from dcim.models import OPERATOR_ROLE, Role
from dcim.package_data import shipped_path

#: The demo's files (inventory, users, requests, the walk's step data, a plan), shipped here.
DEMO_DIR = shipped_path("dcim_demo", "data")
#: The demo plan for next year's purchases, which the Rencana page offers.
DEMO_PLAN = DEMO_DIR / "plan-2027.yaml"
#: Who may load the demo (its users included): the administrator and the operator.
DEMO_ROLES = (Role.ADMIN, OPERATOR_ROLE)
