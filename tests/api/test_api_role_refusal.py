"""The API says a role refusal in the caller's language, naming roles as people name them (issue 9)."""

from __future__ import annotations

from api_support import SIMPEG_JSON, Api
from workflow_support import english_words


def test_a_kasi_holding_capacity_is_refused_in_indonesian_with_the_roles_titles(api: Api) -> None:
    response = api.call("POST", "/api/v1/holds", user="kasi", content=SIMPEG_JSON, lang="id")
    assert response.status_code == 403, response.text
    (error,) = response.json()["errors"]
    assert "Kepala Seksi Aplikasi & E-Government tidak berwenang" in error["message"]
    assert "yang berwenang: Operator (akses basis data), Tim Data Center" in error["message"]
    assert "kasi_aplikasi" not in error["message"] and "tim_dc" not in error["message"]
    assert not english_words(error["message"])


def test_the_same_refusal_is_in_english_when_asked(api: Api) -> None:
    response = api.call("POST", "/api/v1/holds", user="kasi", content=SIMPEG_JSON, lang="en")
    assert response.status_code == 403, response.text
    (error,) = response.json()["errors"]
    assert "the role Head of Applications & E-Government may not do this" in error["message"]
    assert "allowed: Operator (database access), Data Center Team" in error["message"]
