"""Every refusal of the API is told in Indonesian by default: 400, 401, 403, 404, 405, 422 alike."""

from __future__ import annotations

import json

import pytest
from api_support import SIMPEG_JSON, Api, submitted
from workflow_support import english_words

WRONG_SERVER = json.dumps({**json.loads(SIMPEG_JSON), "server": {"u_height": "dua", "psu": 3}})


def _calls(api: Api) -> list[tuple[str, str, dict]]:
    code = submitted(api, "opd.bkpsdm")
    return [
        ("GET", "/api/v1/racks", {}),
        ("GET", "/api/v1/racks", {"token": "Basic abc"}),
        ("GET", "/api/v1/racks", {"token": "Token dcim_0123456789ab_salah"}),
        ("POST", "/api/v1/holds", {"user": "pemantau", "content": SIMPEG_JSON}),
        ("POST", f"/api/v1/requests/{code}/actions/register", {"user": "opd.bkpsdm", "json": {}}),
        ("POST", f"/api/v1/requests/{code}/actions/terbang", {"user": "kadis", "json": {}}),
        ("GET", f"/api/v1/requests/{code}", {"user": "opd.dishub"}),
        ("GET", "/api/v1/racks/R99", {"user": "pemantau"}),
        ("GET", "/api/v1/zones/tidak.ada/records", {"user": "pemantau"}),
        ("GET", f"/api/v1/requests/{code}/documents/berita_acara", {"user": "kadis"}),
        ("GET", "/api/v1/nothing-here", {"user": "pemantau"}),
        ("PUT", "/api/v1/racks", {"user": "pemantau"}),
        ("POST", "/api/v1/check", {"user": "timdc", "content": WRONG_SERVER}),
        ("POST", "/api/v1/check", {"user": "timdc", "content": b"{server: ["}),
        ("POST", "/api/v1/check", {"user": "timdc", "json": [1]}),
        ("POST", "/api/v1/check", {"user": "timdc", "json": {"server": {"power_w": 1}, "x": 1}}),
        ("GET", "/api/v1/requests?status=setengah", {"user": "kasi"}),
        ("GET", "/api/v1/utilization?on=2026-13-45", {"user": "pemantau"}),
        ("GET", "/api/v1/requests/REQ%00", {"user": "kasi"}),
        ("DELETE", "/api/v1/holds/RSV-2026-9999", {"user": "timdc"}),
        (
            "POST",
            "/api/v1/holds/RSV-2026-9999/commit",
            {"user": "timdc", "json": {"name": "srv-x"}},
        ),
        ("POST", "/api/v1/holds/RSV-2026-9999/commit", {"user": "timdc", "json": {"nama": 1}}),
        ("POST", "/api/v1/tokens", {"user": "kasi", "json": {"user": "admin"}}),
        ("DELETE", "/api/v1/tokens/999999", {"user": "kasi"}),
    ]


def test_every_refusal_is_in_indonesian_by_default(api: Api) -> None:
    english: list[tuple[str, str, int, str]] = []
    for method, path, kwargs in _calls(api):
        response = api.call(method, path, **kwargs)
        assert 400 <= response.status_code < 500, (method, path, response.text)
        for error in response.json()["errors"]:
            if english_words(error["message"]):
                english.append((method, path, response.status_code, error["message"]))
    assert english == []


@pytest.mark.parametrize("lang", ["en", "en-GB,en;q=0.8"])
def test_the_same_refusals_are_in_english_when_asked(api: Api, lang: str) -> None:
    for method, path, kwargs in _calls(api)[:4]:
        response = api.call(method, path, lang=lang, **kwargs)
        assert english_words(response.json()["errors"][0]["message"]), (path, response.text)
