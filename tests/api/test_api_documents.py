"""The request's paper over HTTP: documents as PDF, and the OPD's scanned letter that comes with step 1."""

from __future__ import annotations

import json
import subprocess
import uuid
from typing import Any

from api_support import ON, SIMPEG_DATA, Api, submitted
from workflow_support import FLOW

from dcim.inventory.yamlio import read_yaml_file

SCAN = FLOW / "surat-permohonan-bkpsdm.pdf"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
OPD_NAME = "Badan Kepegawaian"


def _registered(api: Api) -> str:
    """A request of BKPSDM registered by the Kadis (SOP step 2): its Lembar Disposisi is issued."""
    code = submitted(api, "opd.bkpsdm")
    body = json.dumps({"data": read_yaml_file(FLOW / "register.yaml")}, default=str)
    done = api.post(f"/api/v1/requests/{code}/actions/register?on={ON}", user="kadis", content=body)
    assert done.status_code == 200, done.text
    return code


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(done.stdout.decode("utf-8").split())


def _submit_with_letter(
    api: Api, user: str, letter: tuple[str, bytes, str], lang: str = "id", **extra: Any
) -> Any:
    body = dict(
        SIMPEG_DATA, number=f"800/SCAN/{uuid.uuid4().hex[:8].upper()}/2026", tenant="bkpsdm"
    )
    files = {"request": (None, json.dumps(body, default=str)), "letter": letter, **extra}
    return api.post(f"/api/v1/requests?on={ON}", user=user, files=files, lang=lang)


def test_a_document_downloads_as_a_pdf_that_says_what_the_docx_says(api: Api) -> None:
    code = _registered(api)
    number = api.get(f"/api/v1/requests/{code}", user="kadis").json()["letter_number"]
    response = api.get(
        f"/api/v1/requests/{code}/documents/lembar_disposisi?format=pdf", user="kadis"
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{code}-01-lembar-disposisi.pdf" in response.headers["content-disposition"]
    text = _pdf_text(response.content)
    assert number in text and OPD_NAME in text


def test_the_same_document_asked_twice_as_pdf_is_served_from_the_cache(api: Api) -> None:
    # A second conversion would take seconds more; the cache answers with the same bytes.
    code = _registered(api)
    path = f"/api/v1/requests/{code}/documents/lembar_disposisi?format=pdf"
    first = api.get(path, user="kadis").content
    assert api.get(path, user="kadis").content == first


def test_a_format_other_than_docx_or_pdf_is_422_naming_the_parameter(api: Api) -> None:
    code = _registered(api)
    path = f"/api/v1/requests/{code}/documents/lembar_disposisi?format=odt"
    response = api.get(path, user="kadis", lang="en")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "format" and "'docx'" in error["message"]


def test_an_opd_may_not_fetch_another_offices_document_as_pdf(api: Api) -> None:
    code = _registered(api)
    path = f"/api/v1/requests/{code}/documents/lembar_disposisi?format=pdf"
    assert api.get(path, user="opd.dishub").status_code == 404


def test_the_scanned_letter_comes_with_the_submission_and_downloads_unchanged(api: Api) -> None:
    scan = SCAN.read_bytes()
    response = _submit_with_letter(api, "opd.bkpsdm", ("surat.pdf", scan, "application/pdf"))
    assert response.status_code == 201, response.text
    document = response.json()
    [attachment] = document["attachments"]
    assert (attachment["media_type"], attachment["size_bytes"]) == ("application/pdf", len(scan))
    path = f"/api/v1/requests/{document['code']}/attachments/{attachment['id']}"
    download = api.get(path, user="kasi")
    assert download.status_code == 200
    assert download.content == scan and download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"


def test_the_letters_type_is_read_from_its_bytes_not_from_what_the_client_says(api: Api) -> None:
    # Labelled a PDF, but a PNG: stored as the PNG it is.
    png = _submit_with_letter(api, "opd.bkpsdm", ("scan.pdf", PNG, "application/pdf"))
    assert png.status_code == 201, png.text
    assert png.json()["attachments"][0]["media_type"] == "image/png"
    # Labelled a PNG, but a script: refused, and no request is registered.
    before = api.get("/api/v1/requests?limit=1", user="kasi").json()["count"]
    script = _submit_with_letter(
        api, "opd.bkpsdm", ("scan.png", b"#!/bin/sh\nrm -rf /\n", "image/png")
    )
    assert script.status_code == 422
    [error] = script.json()["errors"]
    assert error["field"] == "attachment" and "dibaca dari isinya" in error["message"]
    assert api.get("/api/v1/requests?limit=1", user="kasi").json()["count"] == before


def test_a_letter_over_the_sops_limit_is_refused_before_it_is_stored(api: Api) -> None:
    from colocation.sop import current_sop

    limit = current_sop().attachment.max_bytes
    huge = b"%PDF-1.4\n" + b"0" * limit
    response = _submit_with_letter(
        api, "opd.bkpsdm", ("big.pdf", huge, "application/pdf"), lang="en"
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "attachment" and "over the 5 MB limit" in error["message"]


def test_a_part_the_api_does_not_know_is_422_naming_it(api: Api) -> None:
    response = _submit_with_letter(
        api,
        "opd.bkpsdm",
        ("surat.pdf", SCAN.read_bytes(), "application/pdf"),
        lampiran=("x.pdf", b"%PDF-1.4", "application/pdf"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lampiran"]


def test_another_office_cannot_fetch_the_scanned_letter(api: Api) -> None:
    response = _submit_with_letter(
        api, "opd.bkpsdm", ("surat.pdf", SCAN.read_bytes(), "application/pdf")
    )
    assert response.status_code == 201, response.text
    document = response.json()
    path = f"/api/v1/requests/{document['code']}/attachments/{document['attachments'][0]['id']}"
    assert api.get(path, user="opd.bkpsdm").status_code == 200
    refused = api.get(path, user="opd.dishub")
    assert refused.status_code == 404 and document["code"] in refused.json()["errors"][0]["message"]
    assert api.get(path.rsplit("/", 1)[0] + "/999999", user="opd.bkpsdm").status_code == 404


def test_a_submission_without_the_request_part_is_422_naming_it(api: Api) -> None:
    files = {"letter": ("surat.pdf", SCAN.read_bytes(), "application/pdf")}
    response = api.post(f"/api/v1/requests?on={ON}", user="opd.bkpsdm", files=files)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "request", "message": "bagian 'request' (permohonan dalam JSON) wajib ada"}
    ]


def test_two_letters_are_refused_saying_what_is_accepted_in_indonesian(api: Api) -> None:
    scan = ("surat.pdf", SCAN.read_bytes(), "application/pdf")
    files = [("request", (None, "{}")), ("letter", scan), ("letter", scan), ("letter", scan)]
    response = api.post(f"/api/v1/requests?on={ON}", user="opd.bkpsdm", files=files)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "body" and "paling banyak satu berkas 'letter'" in error["message"]


def test_a_request_part_sent_as_a_huge_file_is_refused_by_the_document_limit(api: Api) -> None:
    huge = b'{"purpose": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    files = {"request": ("request.json", huge, "application/json")}
    response = api.post(f"/api/v1/requests?on={ON}", user="opd.bkpsdm", files=files, lang="en")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "request" and "1 MB" in error["message"]
