"""A refused action names its fields as the action's form does, not by their place in its data.

:func:`colocation.workflow.perform` checks an action's data (``data.serial``,
``data.zabbix_groups[0]``) and its note (``note``); the catalog's field
labels do not know these paths, so the refusal would show them as they are.
The form knows what it called each field, and renames the problems with it.
"""

from __future__ import annotations

import re

from colocation.sop import WITHDRAW_ACTION
from dcim.errors import InputError

from ..context import tr
from ..feedback import named_by_form

#: The UI catalog key of the form's label of each field of an action's data.
DATA_LABELS = {
    "urgency": "req.urgency",
    "received_on": "req.received_on",
    "deadline": "req.deadline",
    "delivery_deadline": "req.delivery_deadline",
    "model": "req.model_arrived",
    "u_height": "check.u_height",
    "psu": "check.psu",
    "serial": "req.serial",
    "name": "req.device_name",
    "address": "req.monitor_address",
    "job": "req.monitor_job",
    "port": "req.monitor_port",
    "zabbix_groups": "req.zabbix_groups",
    "zabbix_templates": "req.zabbix_templates",
}
_DATA_PATH = re.compile(r"^data\.([a-z_]+)(?:\[\d+\])?$")


def note_label(kind: str) -> str:
    """What the form calls the action's note: the disposition's instruction, a withdrawal's reason."""
    if kind == "disposition":
        return tr("req.instruction")
    return tr("req.note_reason") if kind == WITHDRAW_ACTION else tr("req.note")


def form_label(path: str, kind: str) -> str | None:
    """The form's label for a problem's path in an action's data or note; None for any other."""
    if path == "note":
        return note_label(kind)
    found = _DATA_PATH.match(path)
    key = DATA_LABELS.get(found.group(1)) if found else None
    return tr(key) if key else None


def named_as_in_form(error: InputError, kind: str) -> InputError:
    """The refusal with every field the form has named by its label; other problems as they are."""
    paths = {problem.path for problem in error.problems}
    labels = {path: label for path in paths if (label := form_label(path, kind)) is not None}
    return named_by_form(error, labels)
