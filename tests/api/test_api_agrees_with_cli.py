"""The API and the command line on the same database give the same documents and see each other's changes."""

from __future__ import annotations

import json
from typing import Any

from api_support import ON, SIMPEG_JSON, submitted
from workflow_support import CCTV, SIMPEG

from dcim.inventory.yamlio import read_yaml_file


def _cli_json(run_cli: Any, *args: Any) -> Any:
    result = run_cli(*args)
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def test_the_check_is_exactly_the_document_of_dcim_check_json(api, run_cli) -> None:
    response = api.post(f"/api/v1/check?on={ON}", user="timdc", content=SIMPEG_JSON)
    assert response.status_code == 200
    cli = _cli_json(run_cli, "--db", api.db_url, "check", SIMPEG, "--on", ON, "--json")
    assert response.json() == cli and cli["feasible"] is True


def test_an_infeasible_check_is_still_200_with_feasible_false_as_the_cli_document(
    api, run_cli
) -> None:
    body = json.dumps(read_yaml_file(CCTV), default=str)
    response = api.post(f"/api/v1/check?on={ON}", user="kasi", content=body, lang="en")
    assert response.status_code == 200
    cli = _cli_json(
        run_cli, "--db", api.db_url, "--lang", "en", "check", CCTV, "--on", ON, "--json"
    )
    assert response.json() == cli and cli["feasible"] is False


def test_a_check_on_a_day_outside_the_calendar_is_refused_as_the_cli_refuses_it(
    api, run_cli
) -> None:
    # A check reads, yet the far future was accepted by the API and refused by `dcim check`.
    response = api.post("/api/v1/check?on=9999-12-31", user="timdc", content=SIMPEG_JSON)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["on"]
    assert "9999" in response.json()["errors"][0]["message"]
    cli = run_cli("--db", api.db_url, "check", SIMPEG, "--on", "9999-12-31")
    assert cli.exit_code == 2 and "--on" in cli.stderr and "9999" in cli.stderr


def test_utilization_is_exactly_dcim_utilization_json(api, run_cli) -> None:
    response = api.get(f"/api/v1/utilization?on={ON}", user="pemantau")
    cli = _cli_json(run_cli, "--db", api.db_url, "utilization", "--on", ON, "--json")
    assert response.status_code == 200 and response.json() == cli


def _rack_used(document: dict[str, Any], rack: str) -> int:
    return next(r["units_used"] for r in document["racks"] if r["name"] == rack)


def test_a_hold_made_through_the_api_is_seen_and_released_by_the_cli(api, run_cli) -> None:
    before = _cli_json(run_cli, "--db", api.db_url, "utilization", "--on", ON, "--json")
    made = api.post(f"/api/v1/holds?on={ON}", user="timdc", content=SIMPEG_JSON)
    assert made.status_code == 201, made.text
    hold = made.json()
    code, rack = hold["reservation"]["id"], hold["proposal"]["rack"]
    held = _cli_json(run_cli, "--db", api.db_url, "utilization", "--on", ON, "--json")
    assert _rack_used(held, rack) == _rack_used(before, rack) + hold["proposal"]["u_height"]
    # The CLI's check of the same request now finds the name the API's hold keeps taken.
    again = _cli_json(run_cli, "--db", api.db_url, "check", SIMPEG, "--on", ON, "--json")
    assert again["feasible"] is False and again["checks"]["domain"]["ok"] is False, again["checks"]
    assert run_cli("--db", api.db_url, "release", code).exit_code == 0
    after = api.get(f"/api/v1/utilization?on={ON}", user="timdc").json()
    assert _rack_used(after, rack) == _rack_used(before, rack)


def test_a_hold_released_through_the_api_frees_what_the_cli_held(api, run_cli) -> None:
    reserved = _cli_json(run_cli, "--db", api.db_url, "reserve", SIMPEG, "--on", ON, "--json")
    code = reserved["reservation"]["id"]
    # The service's rule: an OPD may end its own office's hold, never another office's.
    refused = api.call("DELETE", f"/api/v1/holds/{code}", user="opd.dishub")
    assert refused.status_code == 403, refused.text
    assert api.call("DELETE", f"/api/v1/holds/{code}", user="timdc").status_code == 204
    # Released once: the CLI's second release is refused as the API's would be.
    assert run_cli("--db", api.db_url, "release", code).exit_code == 2


def test_a_hold_committed_through_the_api_becomes_a_device_the_lists_show(api) -> None:
    hold = api.post(f"/api/v1/holds?on={ON}", user="timdc", content=SIMPEG_JSON).json()
    code = hold["reservation"]["id"]
    missing = api.post(f"/api/v1/holds/{code}/commit", user="timdc", json={"serial": 5}, lang="en")
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"name", "serial"}
    done = api.post(
        f"/api/v1/holds/{code}/commit",
        user="timdc",
        json={"name": "srv-api-commit", "serial": "SN-API-1", "on": ON},
    )
    assert done.status_code == 200, done.text
    assert done.json() == {"reservation": code, "device": "srv-api-commit"}
    devices = api.get("/api/v1/devices?q=api-commit", user="pemantau").json()
    assert [d["name"] for d in devices["results"]] == ["srv-api-commit"]
    assert devices["results"][0]["rack"] == hold["proposal"]["rack"]


def test_request_show_is_exactly_the_document_of_dcim_request_show_json(api, run_cli) -> None:
    code = submitted(api, "opd.bkpsdm")
    response = api.get(f"/api/v1/requests/{code}?on={ON}", user="opd.bkpsdm")
    cli = _cli_json(
        run_cli,
        "--db",
        api.db_url,
        "request",
        "show",
        code,
        "--as",
        "opd.bkpsdm",
        "--on",
        ON,
        "--json",
    )
    assert response.status_code == 200 and response.json() == cli


def test_an_action_through_the_api_moves_the_request_as_the_cli_shows(api, run_cli) -> None:
    code = submitted(api, "opd.bkpsdm")
    register = read_yaml_file(SIMPEG.parent.parent / "requests-workflow" / "register.yaml")
    response = api.post(
        f"/api/v1/requests/{code}/actions/register?on={ON}",
        user="kadis",
        content=json.dumps({"data": register}, default=str),
    )
    assert response.status_code == 200, response.text
    assert (response.json()["from_step"], response.json()["step"]) == (1, 2)
    shown = _cli_json(run_cli, "--db", api.db_url, "request", "show", code, "--json")
    assert shown["step"] == 2 and shown["history"][-1]["action"] == "register"
