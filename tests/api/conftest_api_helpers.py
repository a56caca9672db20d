"""Helpers of the API tests: the demo's request as a JSON body, submitting one through the API."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

from workflow_support import SIMPEG, SUBMITTED_ON

from dcim.inventory.yamlio import read_yaml_file

ON = SUBMITTED_ON.isoformat()
SIMPEG_DATA: dict[str, Any] = read_yaml_file(SIMPEG)
SIMPEG_JSON = json.dumps(SIMPEG_DATA, default=str)
_LETTERS = itertools.count(500)


def submitted(api: Any, user: str, data: dict[str, Any] | None = None) -> str:
    """Submit the SIMPEG request (for the user's own office) through the API; its code."""
    body = dict(data or SIMPEG_DATA)
    # Each letter its own number: the same letter twice may be refused as a duplicate.
    body["number"] = f"800/{next(_LETTERS)}/{uuid.uuid4().hex[:6].upper()}/2026"
    if user.startswith("opd."):
        body["tenant"] = user.removeprefix("opd.")
    response = api.post(f"/api/v1/requests?on={ON}", user=user,
                        content=json.dumps(body, default=str).encode())  # fmt: skip
    assert response.status_code == 201, response.text
    return str(response.json()["code"])
