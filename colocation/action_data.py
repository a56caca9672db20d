"""The data each kind of action takes (``dcim request act ... --data FILE``), as pydantic models.

Every field is optional where the SOP lets the office leave it out; unknown
fields are refused, so that a misspelt key is never silently ignored. Text
is bounded and printable (no control or bidirectional-override characters,
which would hide what a letter or a log really says), lists and mappings
are bounded, and dates lie in the working calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from dcim.errors import InputError, Problem
from dcim.inventory.fields import line_type, text_type
from dcim.inventory.pydantic_errors import problems_from
from dcim.workdays import calendar_range

from .choices import ChecklistStatus, LetterUrgency, TestResult

# A deadline an action sets (a disposition's batas waktu, a delivery date) lies at most this far ahead.
MAX_DEADLINE_WORKING_DAYS = 365
MAX_ITEMS = 50


def _in_calendar(value: dt.date) -> dt.date:
    first, last = calendar_range()
    if not first <= value <= last:
        # A typed error with its bounds, so that each language can say it (dcim.i18n.validation).
        raise PydanticCustomError(
            "date_out_of_range",
            "must lie between {first} and {last}",
            {"first": first.isoformat(), "last": last.isoformat()},
        )
    return value


# Printable (they end up on letters, where a control character cannot even be written); several
# lines are allowed in a detail, a short text is one line.
Detail = text_type(2000, min_length=1)
ShortText = line_type(200, min_length=1)
CalendarDate = Annotated[dt.date, AfterValidator(_in_calendar)]


class ActionData(BaseModel):
    """The data of an action: a mapping whose unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class NoData(ActionData):
    """An action that takes nothing but an optional note."""


class RegisterData(ActionData):
    """Registering the incoming letter in the agenda: its urgency (sifat) and the day it arrived."""

    urgency: LetterUrgency = LetterUrgency.BIASA
    received_on: CalendarDate | None = None


class DispositionData(ActionData):
    """One hop of the Lembar Disposisi: what to do (isi disposisi) and by when (batas waktu).

    ``deadline`` is a date, or a whole number of working days after the disposition.
    """

    instruction: Detail | None = None
    deadline: CalendarDate | Annotated[int, Ge(0), Le(MAX_DEADLINE_WORKING_DAYS)] | None = None


class ReplyData(ActionData):
    """The reply letter; for an acceptance, the date by which the OPD delivers its server."""

    delivery_deadline: CalendarDate | None = None


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

    items: Annotated[dict[ShortText, ChecklistItem], Field(max_length=MAX_ITEMS)]


class TestItem(ActionData):
    """One performance test: its verdict and what was measured."""

    result: TestResult
    detail: Detail


class PerformanceTestData(ActionData):
    """Every test of step 11, by key."""

    tests: Annotated[dict[ShortText, TestItem], Field(max_length=MAX_ITEMS)]


class MonitoringData(ActionData):
    """Overrides of the monitoring hand-off: the address, port, job, Zabbix groups and templates."""

    address: Annotated[str, StringConstraints(min_length=1, max_length=45)] | None = None
    port: Annotated[int, Ge(1), Le(65535)] | None = None
    job: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z_][a-zA-Z0-9_:.-]*$")] | None = None
    zabbix_groups: list[ShortText] | None = Field(default=None, min_length=1, max_length=MAX_ITEMS)
    zabbix_templates: list[ShortText] | None = Field(default=None, max_length=MAX_ITEMS)


def parse_data(model: type[ActionData], data: Any, source: str | None) -> ActionData:
    """The action's data checked against its kind's model; an :class:`InputError` names each wrong field."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            [Problem.of("data", "sop.data_not_mapping", "must be a mapping of fields")], source
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, ("data",)), source) from exc


_NOTE = TypeAdapter(Detail)


def parse_note(note: str | None) -> str | None:
    """An action's note, trimmed; None when empty; an :class:`InputError` naming ``note`` when wrong."""
    text = (note or "").strip()
    if not text:
        return None
    try:
        return _NOTE.validate_python(text)
    except ValidationError as exc:
        raise InputError(problems_from(exc, ("note",))) from exc
