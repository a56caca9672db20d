"""The answers have exactly the shapes the OpenAPI document gives them (dcim_api/responses.py).

Each documented model is validated against a real answer with unknown
fields forbidden: a field added to a document without its model, or a model
that promises a field the document lacks, fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import ON, SIMPEG_DATA, Api, submitted
from pydantic import TypeAdapter
from workflow_support import FLOW

from dcim.inventory.yamlio import read_yaml_file
from dcim_api import responses as r

INVENTORY: list[tuple[str, Any]] = [
    ("/api/v1/sites", r.Page[r.SiteOut]),
    (f"/api/v1/racks?on={ON}", r.Page[r.RackOut]),
    (f"/api/v1/racks/R01?on={ON}", r.RackDetail),
    ("/api/v1/devices?limit=1000", r.Page[r.DeviceOut]),
    (f"/api/v1/power-feeds?on={ON}&limit=1000", r.Page[r.FeedOut]),
    (f"/api/v1/ups?on={ON}", r.Page[r.UpsOut]),
    (f"/api/v1/uplinks?on={ON}", r.Page[r.UplinkOut]),
    (f"/api/v1/prefixes?on={ON}&limit=1000", r.Page[r.PrefixWithFree]),
    (f"/api/v1/zones?on={ON}", r.Page[r.ZoneOut]),
    ("/api/v1/status", r.StatusOut),
    (f"/api/v1/utilization?on={ON}", r.UtilizationOut),
]


@pytest.mark.parametrize(("path", "model"), INVENTORY, ids=[p for p, _ in INVENTORY])
def test_an_inventory_answer_has_the_documented_shape(api: Api, path: str, model: Any) -> None:
    response = api.get(path, user="pemantau")
    assert response.status_code == 200, response.text
    document = response.json()
    TypeAdapter(model).validate_python(document)
    if "results" in document:
        assert document["results"], "an empty list would prove nothing about its items"


def test_a_zones_records_have_the_documented_shape(api: Api) -> None:
    zone = api.get("/api/v1/zones", user="pemantau").json()["results"][0]["name"]
    records = api.get(f"/api/v1/zones/{zone}/records", user="pemantau").json()
    assert records["results"]
    r.Page[r.RecordOut].model_validate(records)


def test_the_requests_answers_have_the_documented_shapes(api: Api) -> None:
    code = submitted(api, "opd.bkpsdm")
    r.Page[r.RequestRowOut].model_validate(api.get("/api/v1/requests", user="kasi").json())
    r.RequestDetailOut.model_validate(api.get(f"/api/v1/requests/{code}", user="kasi").json())
    body = json.dumps({"data": read_yaml_file(FLOW / "register.yaml")}, default=str)
    acted = api.post(
        f"/api/v1/requests/{code}/actions/register?on={ON}", user="kadis", content=body
    )
    assert acted.status_code == 200, acted.text
    r.ActOut.model_validate(acted.json())
    documents = api.get(f"/api/v1/requests/{code}/documents", user="kadis").json()
    assert documents
    TypeAdapter(list[r.DocumentOut]).validate_python(documents)


def test_a_commit_answer_has_the_documented_shape(api: Api) -> None:
    unnamed = {k: v for k, v in SIMPEG_DATA.items() if k != "domains"}
    held = api.post(
        f"/api/v1/holds?on={ON}", user="timdc", content=json.dumps(unnamed, default=str)
    )
    assert held.status_code == 201, held.text
    r.ReserveOut.model_validate(held.json())
    code = held.json()["reservation"]["id"]
    done = api.post(f"/api/v1/holds/{code}/commit", user="timdc", json={"name": "srv-shape"})
    assert done.status_code == 200, done.text
    r.CommitOut.model_validate(done.json())


def test_a_check_answer_has_the_contracts_shape_feasible_or_not(api: Api) -> None:
    fits = api.post(
        f"/api/v1/check?on={ON}", user="timdc", content=json.dumps(SIMPEG_DATA, default=str)
    )
    assert fits.status_code == 200 and fits.json()["feasible"] is True
    r.CheckOut.model_validate(fits.json())
    too_hungry = {**SIMPEG_DATA, "server": {**SIMPEG_DATA["server"], "power_w": 99000}}
    refused = api.post(
        f"/api/v1/check?on={ON}", user="timdc", content=json.dumps(too_hungry, default=str)
    )
    assert refused.status_code == 200 and refused.json()["feasible"] is False
    assert r.CheckOut.model_validate(refused.json()).proposal is None
