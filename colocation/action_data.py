"""The data each kind of action takes (``dcim request act ... --data FILE``), as pydantic models.

Every field is optional where the SOP lets the office leave it out; unknown
fields are refused, so that a misspelt key is never silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dcim.inventory.fields import line_type, text_type
from dcim.inventory.problems import InputError, Problem
from dcim.inventory.pydantic_errors import problems_from
from dcim.models.choices import ChecklistStatus, LetterUrgency, TestResult

# Printable (they end up on letters, where a control character cannot even be written).
Detail = text_type(2000, min_length=1)
ShortText = line_type(200, min_length=1)


class ActionData(BaseModel):
    """The data of an action: a mapping whose unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class NoData(ActionData):
    """An action that takes nothing but an optional note."""


class RegisterData(ActionData):
    """Registering the incoming letter in the agenda: its urgency (sifat) and the day it arrived."""

    urgency: LetterUrgency = LetterUrgency.BIASA
    received_on: dt.date | None = None


class DispositionData(ActionData):
    """One hop of the Lembar Disposisi: what to do (isi disposisi) and by when (batas waktu).

    ``deadline`` is a date, or a whole number of working days after the disposition.
    """

    instruction: Detail | None = None
    deadline: dt.date | Annotated[int, Ge(0), Le(365)] | None = None


class ReplyData(ActionData):
    """The reply letter; for an acceptance, the date by which the OPD delivers its server."""

    delivery_deadline: dt.date | None = None


class InstallData(ActionData):
    """The server as it arrived, to be verified against the request before it is mounted."""

    model: ShortText | None = None
    u_height: Annotated[int, Ge(1), Le(100)]
    psu: Annotated[int, Ge(1), Le(8)]
    serial: line_type(100, min_length=1)  # the length of devices.serial
    name: (
        Annotated[
            str, StringConstraints(max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
        ]
        | None
    ) = None


class ChecklistItem(ActionData):
    """One installation and configuration item: done or not applicable, and what was done."""

    status: ChecklistStatus
    detail: Detail


class ChecklistData(ActionData):
    """Every item of the step-10 checklist, by key."""

    items: dict[str, ChecklistItem]


class TestItem(ActionData):
    """One performance test: its verdict and what was measured."""

    result: TestResult
    detail: Detail


class PerformanceTestData(ActionData):
    """Every test of step 11, by key."""

    tests: dict[str, TestItem]


class MonitoringData(ActionData):
    """Overrides of the monitoring hand-off: the address, port, job, Zabbix groups and templates."""

    address: ShortText | None = None
    port: Annotated[int, Ge(1), Le(65535)] | None = None
    job: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z_][a-zA-Z0-9_:.-]*$")] | None = None
    zabbix_groups: list[ShortText] | None = Field(default=None, min_length=1)
    zabbix_templates: list[ShortText] | None = None


DATA_MODELS: dict[str, type[ActionData]] = {
    "register": RegisterData,
    "disposition": DispositionData,
    "capacity_check": NoData,
    "report": NoData,
    "reply": ReplyData,
    "install": InstallData,
    "checklist": ChecklistData,
    "performance_test": PerformanceTestData,
    "monitoring": MonitoringData,
    "berita_acara": NoData,
    "acknowledge": NoData,
    "recheck": NoData,
    "plain": NoData,
    "withdraw": NoData,
}


def parse_data(kind: str, data: Any, source: str | None) -> ActionData:
    """The action's data checked against its kind; an :class:`InputError` names each wrong field."""
    model = DATA_MODELS[kind]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError([Problem("data", "must be a mapping of fields")], source)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, ("data",)), source) from exc
