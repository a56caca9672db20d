"""Each closed set of values is written once, as a StrEnum, and everything else follows it.

The inventory file's fields, the request's form factor and the database's
check constraints are built from :mod:`dcim.choices`; these tests pin
what that must keep: the same spellings accepted, the same message for a wrong
one, and constraints built from the set (tests/inventory/test_models_match_migrations.py
checks that their SQL is what the migrations wrote).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from dcim.errors import InputError
from dcim.inventory.fields import choice
from dcim.inventory.load import parse_inventory
from dcim.models import Face, Redundancy, Role
from dcim.models.base import in_choices


class _Mounted(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    face: choice(Face) = Face.FRONT


def _face_error(value: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        _Mounted(face=value)
    (error,) = caught.value.errors()
    return error


def test_a_choice_field_holds_the_enum_member_of_the_value_given() -> None:
    assert _Mounted(face="rear").face is Face.REAR


@pytest.mark.parametrize(
    "value", ["REAR", "Rear", " rear", "rear ", b"rear", 1, True, None, ["rear"]]
)
def test_a_choice_field_takes_only_the_exact_spelling(value: Any) -> None:
    assert _face_error(value)["type"] == "literal_error"


def test_a_wrong_choice_names_every_allowed_value_as_a_literal_did() -> None:
    error = _face_error("side")
    assert error["ctx"] == {"expected": "'front' or 'rear'"}
    assert error["msg"] == "Input should be 'front' or 'rear'"


def test_an_inventory_file_with_a_wrong_choice_gets_the_message_of_the_contract() -> None:
    data = {"version": 1, "policy": {"redundancy": "2n"}}
    with pytest.raises(InputError) as caught:
        parse_inventory(data, source="inventory.yaml")
    assert caught.value.lines() == [
        "inventory.yaml: policy.redundancy: must be one of '2N' or 'N', got '2n'"
    ]


def test_an_inventory_file_reads_a_choice_as_its_enum_member() -> None:
    parsed = parse_inventory({"version": 1, "policy": {"redundancy": "N"}})
    assert parsed.policy is not None and parsed.policy.redundancy is Redundancy.N


def test_a_choice_constraint_lists_the_values_in_the_order_of_the_set() -> None:
    constraint = in_choices("face", Face)
    assert str(constraint.sqltext) == "face IN ('front', 'rear')"
    assert constraint.name == "face_valid"


def test_a_choice_constraint_doubles_a_quote_in_a_value() -> None:
    class Odd(StrEnum):
        QUOTED = "it's"

    assert str(in_choices("word", Odd, name="word_ok").sqltext) == "word IN ('it''s')"


def test_the_role_constraint_names_every_role() -> None:
    constraint = in_choices("role", Role)
    assert all(f"'{role.value}'" in str(constraint.sqltext) for role in Role)
