"""Every validation error a user can meet is told in their language, naming the field as people do.

The catalog's templates are rendered for every error type pydantic_core
lists (with the example context pydantic_core gives for it) and for the
project's own types: Indonesian must read as Indonesian (no English word,
no catalog key, no unfilled placeholder), and English must be there too.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_core._pydantic_core import list_all_errors
from workflow_support import english_words

from capacity.request import CapacityRequest
from dcim.i18n import catalog
from dcim.i18n.validation import (
    PROJECT_ERROR_TYPES,
    PYDANTIC_ERROR_TYPES,
    label,
    problem,
    problems_of,
)

_EXAMPLES = {entry["type"]: entry["example_context"] or {} for entry in list_all_errors()}
#: A context for the project's own types, as their validators give it.
_PROJECT_CONTEXT: dict[str, dict[str, Any]] = {
    "number_precision": {"digits": 3},
    "unit_bound": {"max": 60},
    "date_out_of_range": {"first": "2024-01-01", "last": "2030-12-31"},
    "slug": {"pattern": r"^[a-z0-9-]+$"},
}


def _error(kind: str) -> dict[str, Any]:
    ctx = dict(_PROJECT_CONTEXT.get(kind) or _EXAMPLES.get(kind, {}))
    msg = "has the invisible or control character U+202E at position 3"
    return {"type": kind, "loc": ("server", "power_w"), "msg": msg, "input": "dua", "ctx": ctx}


@pytest.mark.parametrize("kind", [*PYDANTIC_ERROR_TYPES, *PROJECT_ERROR_TYPES])
def test_every_error_type_has_an_indonesian_sentence_without_english_or_raw_keys(kind: str) -> None:
    found = problem(_error(kind), "id")
    assert found.path == "server.power_w"
    assert english_words(found.message) == [], found.message
    assert "validation." not in found.message and "{" not in found.message, found.message
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        # The key is not the project's: it is the user's own word, quoted, in its parent.
        assert found.message == "kunci 'power_w' tidak dikenal di Data server"
    else:
        assert "power_w" not in found.message  # the field by its label
        assert found.message.startswith("Daya server (W): "), found.message


@pytest.mark.parametrize("kind", [*PYDANTIC_ERROR_TYPES, *PROJECT_ERROR_TYPES])
def test_every_error_type_has_an_english_sentence_of_its_own(kind: str) -> None:
    english = problem(_error(kind), "en").message
    assert "validation." not in english and "{" not in english, english
    assert english != problem(_error(kind), "id").message


def test_every_error_type_pydantic_core_lists_has_a_template_in_both_languages() -> None:
    for lang in ("id", "en"):
        templates = {
            k.removeprefix("validation.errors.")
            for k in catalog(lang)
            if k.startswith("validation.errors.")
        }
        assert set(PYDANTIC_ERROR_TYPES) | set(PROJECT_ERROR_TYPES) <= templates, lang


def _paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    found: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        found.append(path)
        inner = info.annotation
        for candidate in (inner, *getattr(inner, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found += _paths(candidate, f"{path}.")
    return found


def test_every_field_of_the_request_format_has_a_label_in_both_languages() -> None:
    for path in _paths(CapacityRequest):
        for lang in ("id", "en"):
            assert not label(path.split("."), lang).startswith("'"), (path, lang)


def test_a_wrong_request_field_is_named_by_its_label_and_the_value_sent_is_shown() -> None:
    with pytest.raises(ValidationError) as caught:
        CapacityRequest.model_validate({"server": {"u_height": "two", "power_w": 500}})
    [indonesian] = problems_of(caught.value, "id")
    assert indonesian.path == "server.u_height"
    assert indonesian.message == "Tinggi server (U): harus berupa bilangan bulat (diberikan: 'two')"
    [english] = problems_of(caught.value, "en")
    assert english.message == "Server height (U): must be a whole number, got 'two'"


def test_an_unknown_key_is_named_as_the_user_wrote_it_within_its_parent() -> None:
    with pytest.raises(ValidationError) as caught:
        CapacityRequest.model_validate({"server": {"power_w": 500, "watts": 1}})
    [unknown] = problems_of(caught.value, "id")
    assert (unknown.path, unknown.message) == (
        "server.watts",
        "kunci 'watts' tidak dikenal di Data server",
    )


def test_the_choices_of_a_literal_are_joined_in_the_language() -> None:

    with pytest.raises(ValidationError) as caught:
        CapacityRequest.model_validate({"server": {"power_w": 500, "form_factor": "blade"}})
    [refused] = problems_of(caught.value, "id")
    assert (
        refused.message
        == "Bentuk server: harus salah satu dari 'rack' atau 'tower' (diberikan: 'blade')"
    )


def test_a_field_the_table_does_not_know_is_quoted_as_written_never_left_bare() -> None:
    assert label(("data", "batas_waktu"), "id") == "'batas_waktu'"
    assert label((), "id") == "Isi permintaan"


def test_both_languages_have_the_same_validation_api_and_identity_messages() -> None:
    def keys(lang: str) -> set[str]:
        return {k for k in catalog(lang) if k.split(".")[0] in ("validation", "api", "identity")}

    assert keys("id") == keys("en")


def test_where_an_http_framework_found_the_value_is_not_part_of_the_field() -> None:
    error = {"type": "int_parsing", "loc": ("query", "limit"), "msg": "", "input": "x"}
    assert problem(error, "en", http=True).path == "limit"
    # A field of a request that happens to be called "query" keeps its name.
    assert problem(error, "en").path == "query.limit"
