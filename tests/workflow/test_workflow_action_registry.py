"""A new kind of action is one handler registered, and nothing else: the state machine knows none by name.

The throw-away kind here, a site survey after the letter is registered,
exists only in this file: its handler, its registry and the SOP that uses
it. Walking a request through it shows the state machine validating the
SOP against the registry, parsing the kind's data, letting the kind decide
its way and recording what it wrote.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import Field
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from workflow_support import SIMPEG, SUBMITTED_ON, request_row, submit_file, user

from colocation.action_data import ActionData
from colocation.actions import ACTIONS, ActionContext, ActionHandler, ActionRegistry
from colocation.choices import ActionKind, RequestStatus
from colocation.models import RequestEvent
from colocation.sop import DEFAULT_SOP_FILE, Sop, parse_sop
from colocation.workflow import perform
from dcim.db import read_session
from dcim.errors import InputError
from dcim.inventory.yamlio import read_yaml_file

SURVEY_KIND = "site_survey"


class SurveyData(ActionData):
    """What the surveyor found: the free units in the room."""

    free_units: int = Field(ge=0, le=1000)


class SiteSurvey(ActionHandler):
    """A survey of the room: enough free units for the server, or not."""

    kind = SURVEY_KIND
    data_model = SurveyData
    outcomes = ("room", "no_room")

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        assert isinstance(ctx.data, SurveyData)
        ctx.event_data["surveyed_by"] = ctx.user.username
        return "room" if ctx.data.free_units >= 2 else "no_room"


def _sop_data_with_survey() -> dict[str, Any]:
    """The bundled SOP with a survey state between registration and the first disposition."""
    data = copy.deepcopy(read_yaml_file(DEFAULT_SOP_FILE))
    registration = data["states"][0]
    registration["actions"][0]["to"] = "survey"
    survey = {
        "key": "survey",
        "step": 1,
        "role": "kepala_dinas",
        "title": {"id": "Survei ruang server", "en": "Survey of the server room"},
        "actions": [
            {
                "name": "survey",
                "kind": SURVEY_KIND,
                "outcomes": {"room": "disposition_kadis", "no_room": "rejected"},
                "title": {"id": "Catat hasil survei", "en": "Record the survey"},
            }
        ],
    }
    data["states"].insert(1, survey)
    return data


@pytest.fixture
def registry() -> ActionRegistry:
    return ACTIONS.extended(SiteSurvey())


@pytest.fixture
def survey_sop(registry: ActionRegistry) -> Sop:
    return parse_sop(_sop_data_with_survey(), "survey-sop.yaml", registry)


def _registered(engine: Engine, sop: Sop) -> str:
    code = submit_file(engine, SIMPEG, on=SUBMITTED_ON)
    kadis = user(engine, "kadis")
    perform(engine, code, "register", kadis, data={}, on=SUBMITTED_ON, sop=sop)
    assert request_row(engine, code).state == "survey"
    return code


def test_an_sop_naming_a_kind_nobody_registered_is_refused_at_that_action() -> None:
    with pytest.raises(InputError) as refused:
        parse_sop(_sop_data_with_survey(), "survey-sop.yaml")
    assert [p.path for p in refused.value.problems] == ["states[1].actions[0].kind"]
    assert "register" in refused.value.problems[0].message


def test_the_sop_keeps_the_registry_it_was_checked_against(survey_sop: Sop) -> None:
    assert SURVEY_KIND in survey_sop.actions
    assert SURVEY_KIND not in ACTIONS


def test_a_registered_kind_must_decide_exactly_the_outcomes_it_declares(
    registry: ActionRegistry,
) -> None:
    data = _sop_data_with_survey()
    data["states"][1]["actions"][0]["outcomes"] = {"room": "disposition_kadis"}
    with pytest.raises(InputError) as refused:
        parse_sop(data, "survey-sop.yaml", registry)
    assert [p.path for p in refused.value.problems] == ["states[1].actions[0].outcomes"]
    assert "room, no_room" in refused.value.problems[0].message


def test_a_survey_that_finds_room_moves_the_request_on_to_the_disposition(
    demo: Engine, survey_sop: Sop
) -> None:
    code = _registered(demo, survey_sop)
    result = perform(
        demo,
        code,
        "survey",
        user(demo, "kadis"),
        data={"free_units": 4},
        on=SUBMITTED_ON,
        sop=survey_sop,
    )
    assert (result.outcome, result.state, result.status) == (
        "room",
        "disposition_kadis",
        RequestStatus.OPEN,
    )
    with read_session(demo) as session:
        event = session.scalar(
            select(RequestEvent).where(RequestEvent.action == "survey").order_by(RequestEvent.id)
        )
    assert event is not None
    assert event.data == {"free_units": 4, "surveyed_by": "kadis"}


def test_a_survey_without_room_ends_the_request_as_rejected(demo: Engine, survey_sop: Sop) -> None:
    code = _registered(demo, survey_sop)
    result = perform(
        demo,
        code,
        "survey",
        user(demo, "kadis"),
        data={"free_units": 1},
        on=SUBMITTED_ON,
        sop=survey_sop,
    )
    assert (result.outcome, result.status) == ("no_room", RequestStatus.REJECTED)


def test_the_kind_data_is_checked_by_its_own_model_naming_the_field(
    demo: Engine, survey_sop: Sop
) -> None:
    code = _registered(demo, survey_sop)
    with pytest.raises(InputError) as refused:
        perform(
            demo,
            code,
            "survey",
            user(demo, "kadis"),
            data={"free_units": -3},
            on=SUBMITTED_ON,
            sop=survey_sop,
        )
    assert [p.path for p in refused.value.problems] == ["data.free_units"]
    assert request_row(demo, code).state == "survey"


def test_every_bundled_kind_has_exactly_one_handler() -> None:
    assert set(ACTIONS.kinds()) == set(ActionKind.values())
    with pytest.raises(ValueError, match="registered twice"):
        ACTIONS.extended(SiteSurvey(), SiteSurvey())
