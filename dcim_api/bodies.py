"""The small JSON bodies the API adds to the contract's formats: a commit and an action.

Their fields use the project's shared field types, so that a name or a note
sent over HTTP is held to what the command line and the files are held to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dcim.errors import InputError
from dcim.i18n.validation import problems_of
from dcim.inventory.fields import Name, line_type, text_type

MAX_NOTE = 2000
Model = TypeVar("Model", bound=BaseModel)


class CommitBody(BaseModel):
    """``POST /holds/{code}/commit``: the installed device's name, its serial, the day."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    serial: line_type(100, min_length=1) | None = None  # the width of devices.serial
    on: dt.date | None = None


class ActBody(BaseModel):
    """``POST /requests/{code}/actions/{action}``: a note and the action's data (as ``--data``)."""

    model_config = ConfigDict(extra="forbid")

    note: text_type(MAX_NOTE) | None = Field(default=None, description="Said with the action.")
    # Each action has its own fields (the SOP's checklist, tests, dispositions...): the service
    # validates them against the action's model and names each wrong one under ``data``.
    data: dict[str, object] | None = Field(
        default=None,
        description="The action's data, as `--data` gives it (its fields depend on the action).",
    )


def validated(model: type[Model], data: Any, lang: str) -> Model:
    """The body as the model; an :class:`InputError` naming each wrong field in the language otherwise."""
    try:
        return model.model_validate({} if data is None else data)
    except ValidationError as exc:
        raise InputError(problems_of(exc, lang)) from exc
