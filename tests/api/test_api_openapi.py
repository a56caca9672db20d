"""The OpenAPI document is valid, the docs page is served, and every documented operation answers."""

from __future__ import annotations

import json

import api_support
from api_support import ON, SIMPEG_DATA, Api, submitted
from openapi_spec_validator import validate
from workflow_support import FLOW

from dcim.inventory.yamlio import read_yaml_file


def test_the_schema_served_at_api_schema_is_a_valid_openapi_document(api: Api) -> None:
    response = api.get("/api/schema")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises, naming what is wrong, on an invalid document
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    # Every operation but the health check asks for the token.
    guarded = [
        (path, verb)
        for path, operations in schema["paths"].items()
        for verb, operation in operations.items()
        if path != "/api/v1/status" and not operation.get("security")
    ]
    assert guarded == []


def test_the_interactive_docs_are_served_at_api_docs(api: Api) -> None:
    response = api.get("/api/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower() and "/api/schema" in response.text


def test_every_documented_operation_is_exercised_and_answers(api: Api) -> None:
    api_support.CALLED.clear()

    def hit(method: str, path: str, status: int, **kwargs: object) -> dict | list | None:
        response = api.call(method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        return response.json() if "json" in response.headers.get("content-type", "") else None

    # inventory
    hit("GET", "/api/v1/status", 200)
    for path in (
        "sites",
        "racks",
        "devices",
        "power-feeds",
        "ups",
        "uplinks",
        "prefixes",
        "zones",
        "utilization",
    ):
        hit(
            "GET",
            f"/api/v1/{path}?on={ON}" if path != "sites" else "/api/v1/sites",
            200,
            user="pemantau",
        )
    rack = hit("GET", "/api/v1/racks/R01", 200, user="pemantau")
    assert rack["elevation"]["occupants"] and rack["name"] == "R01"
    assert hit("GET", "/api/v1/racks/R99", 404, user="pemantau", lang="en")
    zone = hit("GET", "/api/v1/zones", 200, user="pemantau")["results"][0]["name"]
    records = hit("GET", f"/api/v1/zones/{zone}/records?type=A", 200, user="pemantau")
    assert records["count"] > 0 and {r["type"] for r in records["results"]} == {"A"}
    # capacity: check, hold, commit, release (no name asked, so the holds do not collide)
    unnamed = {k: v for k, v in SIMPEG_DATA.items() if k != "domains"}
    body = json.dumps(unnamed, default=str)
    assert hit("POST", f"/api/v1/check?on={ON}", 200, user="timdc", content=body)["feasible"]
    first = hit("POST", f"/api/v1/holds?on={ON}", 201, user="timdc", content=body)
    hit(
        "POST",
        f"/api/v1/holds/{first['reservation']['id']}/commit",
        200,
        user="timdc",
        json={"name": "srv-openapi-walk"},
    )
    second = hit("POST", f"/api/v1/holds?on={ON}", 201, user="timdc", content=body)
    hit("DELETE", f"/api/v1/holds/{second['reservation']['id']}", 204, user="timdc")
    # requests: submit, list, show, act, documents
    code = submitted(api, "opd.bkpsdm")
    listed = hit("GET", "/api/v1/requests?status=open&limit=1", 200, user="kadis")
    assert listed["count"] >= 1 and len(listed["results"]) == 1
    assert hit("GET", f"/api/v1/requests/{code}", 200, user="opd.bkpsdm")["code"] == code
    register = {"data": read_yaml_file(FLOW / "register.yaml")}
    hit(
        "POST",
        f"/api/v1/requests/{code}/actions/register?on={ON}",
        200,
        user="kadis",
        content=json.dumps(register, default=str),
    )
    documents = hit("GET", f"/api/v1/requests/{code}/documents", 200, user="kadis")
    assert [d["kind"] for d in documents] == ["lembar_disposisi"]  # registering issues it
    hit("GET", f"/api/v1/requests/{code}/documents/lembar_disposisi", 200, user="kadis")
    hit("GET", f"/api/v1/requests/{code}/documents/laporan_pemeriksaan", 404, user="kadis")
    # the scanned letter: submitted with the request (multipart), then downloaded
    scan = (FLOW / "surat-permohonan-bkpsdm.pdf").read_bytes()
    letter = dict(SIMPEG_DATA, number="800/OPENAPI-WALK/2026", tenant="bkpsdm")
    parts = {"request": (None, json.dumps(letter, default=str)), "letter": ("s.pdf", scan)}
    with_scan = hit("POST", f"/api/v1/requests?on={ON}", 201, user="opd.bkpsdm", files=parts)
    attachment = with_scan["attachments"][0]["id"]
    hit("GET", f"/api/v1/requests/{with_scan['code']}/attachments/{attachment}", 200, user="kasi")
    # tokens: make one, list them, revoke it
    made = hit("POST", "/api/v1/tokens", 201, user="kasi", json={"name": "walk"})
    assert made["id"] in {
        row["id"] for row in hit("GET", "/api/v1/tokens", 200, user="kasi")["results"]
    }
    assert hit("DELETE", f"/api/v1/tokens/{made['id']}", 200, user="kasi")["state"] == "revoked"
    # monitoring
    assert isinstance(hit("GET", "/api/v1/monitoring/prometheus", 200, user="timdc"), list)
    hit("GET", "/api/v1/monitoring/zabbix", 200, user="timdc")

    schema = api.get("/api/schema").json()
    documented = {(verb.upper(), path) for path, ops in schema["paths"].items() for verb in ops}
    assert documented - api_support.CALLED == set()
