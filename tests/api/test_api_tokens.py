"""Tokens over HTTP as on the command line: a person manages their own, the administrator anyone's."""

from __future__ import annotations

from api_support import Api


def _ids(api: Api, user: str, query: str = "") -> set[int]:
    response = api.get(f"/api/v1/tokens?limit=1000{query}", user=user)
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()["results"]}


def test_a_person_makes_a_token_for_themself_and_it_signs_in(api: Api) -> None:
    response = api.post("/api/v1/tokens", user="kasi", json={"name": "skrip harian"})
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["user"] == "kasi" and made["token"].startswith("dcim_")
    assert api.get("/api/v1/sites", token=f"Token {made['token']}").status_code == 200


def test_the_secret_is_shown_once_and_never_in_a_list(api: Api) -> None:
    made = api.post("/api/v1/tokens", user="kasi", json={}).json()
    listed = api.get("/api/v1/tokens?limit=1000", user="kasi")
    # dcim_<key>_<secret>: the secret is URL-safe base64 and may itself hold "_".
    secret = made["token"].split("_", 2)[2]
    assert made["id"] in {row["id"] for row in listed.json()["results"]}
    assert secret not in listed.text and "token" not in listed.json()["results"][0]


def test_a_person_sees_only_their_own_tokens_the_administrator_everyones(api: Api) -> None:
    api.post("/api/v1/tokens", user="kabid", json={})
    api.post("/api/v1/tokens", user="timdc", json={})
    mine = api.get("/api/v1/tokens?limit=1000", user="kabid").json()["results"]
    assert {row["user"] for row in mine} == {"kabid"}
    everyone = {
        row["user"] for row in api.get("/api/v1/tokens?limit=1000", user="admin").json()["results"]
    }
    assert {"kabid", "timdc"} <= everyone
    assert _ids(api, "admin", "&user=kabid") == {row["id"] for row in mine}


def test_a_person_may_not_list_or_make_another_persons_tokens_403_in_indonesian(api: Api) -> None:
    before = _ids(api, "admin", "&user=kadis")
    listed = api.get("/api/v1/tokens?user=kadis", user="opd.bkpsdm")
    made = api.post("/api/v1/tokens", user="opd.bkpsdm", json={"user": "kadis"})
    for response in (listed, made):
        assert response.status_code == 403, response.text
        assert "hanya dapat dikelola administrator" in response.json()["errors"][0]["message"]
    assert _ids(api, "admin", "&user=kadis") == before


def test_the_administrator_makes_a_token_for_a_user_with_an_expiry(api: Api) -> None:
    response = api.post(
        "/api/v1/tokens", user="admin", json={"user": "pemantau", "expires": "2099-12-31"}
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["user"], made["expires_at"]) == ("pemantau", "2099-12-31")
    assert made["id"] in _ids(api, "pemantau")


def test_revoking_a_token_ends_it_and_says_so(api: Api) -> None:
    made = api.post("/api/v1/tokens", user="kasi", json={}).json()
    response = api.call("DELETE", f"/api/v1/tokens/{made['id']}", user="kasi")
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "revoked" and response.json()["revoked_at"]
    assert api.get("/api/v1/sites", token=f"Token {made['token']}").status_code == 401


def test_a_person_may_not_revoke_another_persons_token_and_it_keeps_working(api: Api) -> None:
    made = api.post("/api/v1/tokens", user="timdc", json={}).json()
    refused = api.call("DELETE", f"/api/v1/tokens/{made['id']}", user="opd.dishub", lang="en")
    assert refused.status_code == 403
    assert "only an administrator" in refused.json()["errors"][0]["message"]
    assert api.get("/api/v1/sites", token=f"Token {made['token']}").status_code == 200
    unknown = api.call("DELETE", "/api/v1/tokens/999999", user="admin")
    assert unknown.status_code == 404 and "999999" in unknown.json()["errors"][0]["message"]


def test_a_wrong_token_body_is_422_naming_each_field_in_the_callers_words(api: Api) -> None:
    response = api.post("/api/v1/tokens", user="kasi", json={"expires": "besok", "label": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "expires",
            "message": "Berlaku sampai: harus berupa tanggal (YYYY-MM-DD) (diberikan: 'besok')",
        },
        {"field": "label", "message": "kunci 'label' tidak dikenal"},
    ]
    past = api.post("/api/v1/tokens", user="kasi", json={"expires": "2020-01-01"}, lang="en")
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "expires"
