"""Why a domain name is refused, in the language asked: the engine's one English wording of a
host-name problem is matched to the catalog, so "(a label is empty)" no longer shows in Indonesian."""

from __future__ import annotations

import pytest

from capacity.messages import Texts, name_problem
from capacity.rules import normalise_requested


@pytest.mark.parametrize(
    ("requested", "indonesian"),
    [
        ("app..sumbawakab.go.id", "ada label yang kosong"),
        ("-app.sumbawakab.go.id", "label '-app' diawali atau diakhiri '-'"),
        ("app_1.sumbawakab.go.id", "label 'app_1' memuat karakter selain a-z, 0-9 dan '-'"),
        ("app baru.sumbawakab.go.id", "mengandung spasi"),
        (("a" * 64) + ".sumbawakab.go.id", "lebih dari 63 karakter"),
    ],
)
def test_a_refused_name_says_why_in_indonesian(requested: str, indonesian: str) -> None:
    _, problem = normalise_requested(requested)
    assert problem is not None
    assert indonesian in name_problem(Texts("id"), problem)


def test_the_same_problem_reads_in_english_with_lang_en() -> None:
    _, problem = normalise_requested("app..sumbawakab.go.id")
    assert problem is not None
    assert name_problem(Texts("en"), problem).startswith("a label is empty")


def test_a_wording_the_catalog_does_not_know_is_shown_as_it_is() -> None:
    assert name_problem(Texts("id"), "something new") == "something new"
