"""Who may call what over HTTP: 401 without proof, 403 for a wrong role, 404 across offices, 422 naming the field."""

from __future__ import annotations

import json

from api_support import SIMPEG_JSON, submitted
from sqlalchemy import func, select

from dcim.db import get_engine, read_session, write_session
from dcim.models import Reservation


def test_a_call_without_a_token_is_refused_with_401_saying_how_to_sign_in(api) -> None:
    response = api.get("/api/v1/racks")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Token"
    [error] = response.json()["errors"]
    assert error["field"] == "Authorization"
    assert "dcim token create" in error["message"] and "Masuk dulu" in error["message"]


def test_the_refusal_speaks_english_when_the_caller_asks_for_it(api) -> None:
    response = api.get("/api/v1/racks", lang="en-US,en;q=0.9")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("Sign in first")


def test_a_wrong_token_and_a_wrong_scheme_are_401(api) -> None:
    secret = api.tokens["timdc"]
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert api.get("/api/v1/sites", token=f"Token {forged}").status_code == 401
    basic = api.get("/api/v1/sites", token=f"Basic {secret}")
    assert basic.status_code == 401
    assert "'Token <token>'" in basic.json()["errors"][0]["message"]


def test_netbox_token_and_bearer_schemes_both_sign_in(api) -> None:
    secret = api.tokens["pemantau"]
    assert api.get("/api/v1/sites", token=f"Token {secret}").status_code == 200
    assert api.get("/api/v1/sites", token=f"Bearer {secret}").status_code == 200


def test_a_revoked_token_no_longer_signs_in(api) -> None:
    from dcim.accounts import operator
    from dcim.tokens import create_token, revoke_token

    with write_session(get_engine(api.db_url)) as session:
        made = create_token(session, operator(), "pemantau")
    assert api.get("/api/v1/sites", token=f"Token {made.text}").status_code == 200
    with write_session(get_engine(api.db_url)) as session:
        revoke_token(session, operator(), made.id)
    response = api.get("/api/v1/sites", token=f"Token {made.text}", lang="en")
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"][0]["message"]


def test_a_viewer_may_read_but_not_hold_capacity_403_and_nothing_is_held(api) -> None:
    assert api.get("/api/v1/utilization", user="pemantau").status_code == 200
    with read_session(get_engine(api.db_url)) as session:
        before = session.scalar(select(func.count()).select_from(Reservation))
    response = api.post("/api/v1/holds?on=2026-11-27", user="pemantau", content=SIMPEG_JSON)
    assert response.status_code == 403
    # The role as people name it, not its code (issue 9, item 1).
    assert "peran Pemantau tidak berwenang" in response.json()["errors"][0]["message"]
    with read_session(get_engine(api.db_url)) as session:
        assert session.scalar(select(func.count()).select_from(Reservation)) == before


def test_an_opd_token_lists_only_its_own_offices_requests(api) -> None:
    submitted(api, "opd.dishub")
    submitted(api, "opd.bkpsdm")
    mine = api.get("/api/v1/requests?limit=1000", user="opd.bkpsdm").json()
    everyone = api.get("/api/v1/requests?limit=1000", user="kasi").json()
    assert {row["tenant"] for row in mine["results"]} == {"bkpsdm"}
    assert mine["count"] == len(mine["results"]) < everyone["count"]
    assert "dishub" in {row["tenant"] for row in everyone["results"]}


def test_an_opd_probing_another_offices_request_is_told_it_does_not_exist(api) -> None:
    code = submitted(api, "opd.dishub")
    assert api.get(f"/api/v1/requests/{code}", user="opd.dishub").status_code == 200
    for response in (
        api.get(f"/api/v1/requests/{code}", user="opd.bkpsdm"),
        api.get(f"/api/v1/requests/{code}/documents", user="opd.bkpsdm"),
        api.post(f"/api/v1/requests/{code}/actions/withdraw", user="opd.bkpsdm", json={}),
        api.get(f"/api/v1/requests/{code}/documents/lembar_disposisi", user="opd.bkpsdm"),
    ):
        assert response.status_code == 404, response.text
        assert code in response.json()["errors"][0]["message"]
    unknown = api.get("/api/v1/requests/REQ-2026-9999", user="opd.bkpsdm")
    assert unknown.status_code == 404
    # The same answer for a request that exists elsewhere and one that does not: nothing leaks.
    assert unknown.json()["errors"][0]["message"].replace("9999", "") == api.get(
        f"/api/v1/requests/{code}", user="opd.bkpsdm"
    ).json()["errors"][0]["message"].replace(code.rsplit("-", 1)[1], "")


def test_an_opd_may_not_act_at_another_roles_step_403(api) -> None:
    code = submitted(api, "opd.bkpsdm")
    response = api.post(
        f"/api/v1/requests/{code}/actions/register", user="opd.bkpsdm", json={}, lang="en"
    )
    assert response.status_code == 403, response.text
    assert api.get(f"/api/v1/requests/{code}", user="kasi").json()["step"] == 1


def test_a_wrong_field_of_the_request_is_422_naming_it_in_the_callers_words(api) -> None:
    body = json.loads(SIMPEG_JSON)
    body["server"]["u_height"] = "two"
    response = api.post("/api/v1/check", user="timdc", json=body, lang="en")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "server.u_height",
            "message": "Server height (U): must be a whole number, got 'two'",
        }
    ]


def test_a_wrong_field_is_told_in_indonesian_by_default_with_its_label_not_its_key(api) -> None:
    body = json.loads(SIMPEG_JSON)
    body["server"]["power_w"] = "lima ratus"
    response = api.post("/api/v1/check", user="timdc", json=body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "server.power_w"  # the path, for programs
    assert error["message"] == "Daya server (W): harus berupa angka (diberikan: 'lima ratus')"


def test_a_wrong_query_parameter_is_told_in_indonesian_with_its_label(api) -> None:
    response = api.get("/api/v1/racks?limit=5000", user="pemantau")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "limit", "message": "Jumlah per halaman: paling banyak 1000 (diberikan: '5000')"}
    ]


def test_a_wrong_action_body_is_told_in_the_callers_language(api) -> None:
    code = submitted(api, "opd.bkpsdm")
    path = f"/api/v1/requests/{code}/actions/register"
    for lang, expected in (
        ("id", "Catatan: harus berupa teks (diberikan: 5)"),
        ("en", "Note: must be text, got 5"),
    ):
        response = api.post(path, user="kadis", json={"note": 5}, lang=lang)
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "note", "message": expected}]


def test_a_query_parameter_out_of_bounds_is_422_naming_it(api) -> None:
    response = api.get("/api/v1/racks?limit=5000", user="pemantau")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "limit" and "1000" in error["message"]
    bad_date = api.get("/api/v1/utilization?on=2026-13-45", user="pemantau")
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "on"


def test_a_body_that_is_not_json_is_400_and_a_list_is_422(api) -> None:
    broken = api.post("/api/v1/check", user="timdc", content=b"{server: [", lang="en")
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["field"] == "body"
    listed = api.post("/api/v1/check", user="timdc", json=[1, 2])
    assert listed.status_code == 422
    assert "pemetaan kunci dan nilai" in listed.json()["errors"][0]["message"]
    english = api.post("/api/v1/check", user="timdc", json=[1, 2], lang="en")
    assert "a request must be a mapping" in english.json()["errors"][0]["message"]


def test_a_body_with_a_duplicate_key_is_refused_by_the_input_gate(api) -> None:
    text = SIMPEG_JSON.replace('"server":', '"tenant": "dinkes", "server":', 1)
    doubled = '{"tenant": "bkpsdm", ' + text.lstrip()[1:]
    response = api.post("/api/v1/check", user="timdc", content=doubled.encode(), lang="en")
    assert response.status_code == 422
    assert "tenant" in json.dumps(response.json()["errors"])


def test_an_unknown_address_is_404_in_the_api_error_shape(api) -> None:
    response = api.get("/api/v1/nothing-here", user="pemantau", lang="en")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "This address is not part of the API."


def test_a_body_over_the_document_limit_is_refused_naming_the_body(api) -> None:
    huge = b'{"purpose": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = api.post("/api/v1/check", user="timdc", content=huge, lang="en")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "body" and "1 MB" in error["message"]


def test_an_expired_token_is_401_saying_since_when(api) -> None:
    import datetime as dt

    from sqlalchemy import update

    from dcim.accounts import operator
    from dcim.models import AccessToken
    from dcim.tokens import create_token

    with write_session(get_engine(api.db_url)) as session:
        made = create_token(session, operator(), "pemantau")
        # Made valid, then its last day moved into the past: as if days had gone by.
        session.execute(
            update(AccessToken)
            .where(AccessToken.id == made.id)
            .values(expires_at=dt.date(2026, 1, 31))
        )
    response = api.get("/api/v1/sites", token=f"Bearer {made.text}", lang="en")
    assert response.status_code == 401
    assert "2026-01-31" in response.json()["errors"][0]["message"]


def test_a_control_character_in_a_path_or_query_is_422_naming_it_not_a_database_error(api) -> None:
    for path, field in (
        ("/api/v1/requests/REQ%00-1", "code"),
        ("/api/v1/racks/R%0001", "name"),
        ("/api/v1/zones/x%00y/records", "name"),
        ("/api/v1/devices?q=a%00b", "q"),
        ("/api/v1/requests?tenant=bk%1bpsdm", "tenant"),
    ):
        response = api.get(path, user="kasi", lang="en")
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"] == [
            {"field": field, "message": "must be printable text of at most 500 characters"}
        ]
    deleted = api.call("DELETE", "/api/v1/holds/RSV%00", user="timdc")
    assert deleted.status_code == 422 and deleted.json()["errors"][0]["field"] == "code"


def test_an_unprintable_note_or_device_name_is_422_from_the_shared_field_types(api) -> None:
    code = submitted(api, "opd.bkpsdm")
    note = api.post(
        f"/api/v1/requests/{code}/actions/register",
        user="kadis",
        json={"note": "ok\u202eevil"},
        lang="en",
    )
    assert note.status_code == 422
    [error] = note.json()["errors"]
    assert error["field"] == "note" and "U+202E" in error["message"]
    extra = api.post(
        f"/api/v1/requests/{code}/actions/register", user="kadis", json={"notes": "typo"}, lang="en"
    )
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"] == "notes"
    named = api.post("/api/v1/holds/RSV-2026-0001/commit", user="timdc", json={"name": "srv\x00"})
    assert named.status_code == 422 and named.json()["errors"][0]["field"] == "name"
    assert api.get(f"/api/v1/requests/{code}", user="kadis").json()["step"] == 1
