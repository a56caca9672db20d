"""The JSON document of an action performed: what ``dcim request act --json`` prints and the API answers.

One builder, so that a script may switch between the command line and the
HTTP API without a field changing name or shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the workflow module is large; the document needs only its result's fields
    from .workflow import ActionResult


def action_document(result: ActionResult, *, with_message: bool = False) -> dict[str, Any]:
    """The action's result as JSON: steps, state, deadline, documents issued, hold and device.

    ``with_message`` adds the sentence the command line prints without
    ``--json`` (the API has no other way to say it).
    """
    document: dict[str, Any] = {
        "code": result.code,
        "action": result.action,
        "from_step": result.from_step,
        "step": result.to_step,
        "state": result.state,
        "status": result.status,
        "outcome": result.outcome,
        "due_on": result.due_on.isoformat() if result.due_on else None,
        "documents": list(result.documents),
        "reservation": result.reservation_code,
        "hold_expires_on": result.hold_expires_on.isoformat() if result.hold_expires_on else None,
        "device": result.device_name,
        "failed_tests": list(result.failed_tests),
    }
    if with_message:
        document["message"] = result.message
    return document
