"""A request walked to SOP step 12 through the API, then handed to monitoring: HTTP service discovery.

The module walks the demo's SIMPEG request from its letter to monitoring
with the tokens of the people of each step, then reads the monitored
servers as Prometheus's HTTP service discovery, and lets a real Prometheus
(Debian's) discover them from the running API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import ON, Api, free_port, submitted
from pydantic import TypeAdapter
from workflow_support import FLOW, HAPPY_PATH

from dcim.inventory.yamlio import read_yaml_file
from dcim_api.responses import PrometheusTargetGroup, RequestDetailOut

UNTIL_MONITORED = HAPPY_PATH[: [a for a, _, _ in HAPPY_PATH].index("monitor") + 1]
PROMETHEUS_TIMEOUT_S = 30
USER_OF_ROLE = {"kepala_dinas": "kadis", "tim_dc": "timdc"}


def walk_over_http(api: Api, code: str, steps: list[tuple[str, str, str | None]]) -> list[Any]:
    """Perform the steps through ``POST /requests/{code}/actions/{action}``, each as its user."""
    answers = []
    for action, who, data_file in steps:
        body = {"data": read_yaml_file(FLOW / data_file)} if data_file else {}
        response = api.post(
            f"/api/v1/requests/{code}/actions/{action}?on={ON}",
            user=who,
            content=json.dumps(body, default=str),
        )
        assert response.status_code == 200, (action, who, response.text)
        answers.append(response.json())
    return answers


@pytest.fixture(scope="module")
def monitored(api: Api) -> str:
    """The code of the SIMPEG request, walked through the API until it is monitored (step 12)."""
    code = submitted(api, "opd.bkpsdm")
    answers = walk_over_http(api, code, UNTIL_MONITORED)
    assert answers[-1]["action"] == "monitor"
    return code


def test_the_walk_reaches_monitoring_and_the_request_shows_it(api: Api, monitored: str) -> None:
    shown = api.get(f"/api/v1/requests/{monitored}", user="opd.bkpsdm").json()
    assert shown["monitored_on"] == ON and shown["device"]
    assert shown["history"][-1]["action"] == "monitor"


def test_prometheus_sd_lists_the_monitored_server_with_its_opd_rack_and_request(
    api: Api, monitored: str
) -> None:
    response = api.get("/api/v1/monitoring/prometheus", user="timdc")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    # The documented shape (dcim_api/responses.py), nothing more.
    TypeAdapter(list[PrometheusTargetGroup]).validate_python(response.json())
    groups = [g for g in response.json() if g["labels"]["request"] == monitored]
    assert len(groups) == 1
    [group] = groups
    shown = api.get(f"/api/v1/requests/{monitored}", user="timdc").json()
    assert group["labels"]["tenant"] == "bkpsdm" and group["labels"]["device"] == shown["device"]
    devices = api.get(f"/api/v1/devices?q={shown['device']}", user="timdc").json()["results"]
    assert group["labels"]["rack"] == devices[0]["rack"]
    [target] = group["targets"]
    assert target.endswith(":9100")


def test_a_request_walked_to_the_end_has_the_documented_shape(api: Api, monitored: str) -> None:
    # Every part filled: dispositions, documents, the hold, the device, the whole history.
    shown = RequestDetailOut.model_validate(
        api.get(f"/api/v1/requests/{monitored}", user="timdc").json()
    )
    assert shown.dispositions and shown.documents and shown.reservation and shown.device


def test_another_offices_token_discovers_none_of_these_servers(api: Api, monitored: str) -> None:
    theirs = api.get("/api/v1/monitoring/prometheus", user="opd.dishub").json()
    ours = api.get("/api/v1/monitoring/prometheus", user="opd.bkpsdm").json()
    assert monitored not in {g["labels"]["request"] for g in theirs}
    assert monitored in {g["labels"]["request"] for g in ours}


def test_the_zabbix_export_downloads_as_a_host_import(api: Api, monitored: str) -> None:
    import yaml

    response = api.get("/api/v1/monitoring/zabbix", user="timdc")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    hosts = yaml.safe_load(response.text)["zabbix_export"]["hosts"]
    shown = api.get(f"/api/v1/requests/{monitored}", user="timdc").json()
    assert shown["device"] in {host["host"] for host in hosts}


def test_an_issued_document_downloads_as_docx_and_as_pdf(api: Api, monitored: str) -> None:
    listed = api.get(f"/api/v1/requests/{monitored}/documents", user="opd.bkpsdm").json()
    assert listed, "the walk issues documents (the check report, the reply)"
    first, last = listed[0], listed[-1]
    docx = httpx.get(first["url"], headers={"Authorization": f"Token {api.tokens['opd.bkpsdm']}"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert first["filename"] in docx.headers["content-disposition"]
    # The last document of the walk (one conversion: LibreOffice takes seconds each).
    pdf = api.get(
        f"/api/v1/requests/{monitored}/documents/{last['kind']}?format=pdf", user="opd.bkpsdm"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert last["filename"].removesuffix(".docx") + ".pdf" in pdf.headers["content-disposition"]


# --- a real Prometheus ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def prometheus_executable() -> str:
    """Debian's Prometheus (``make prometheus``); skips when it is missing."""
    found = os.environ.get("DCIM_PROMETHEUS") or shutil.which("prometheus") or "/usr/bin/prometheus"
    if not os.access(found, os.X_OK):
        pytest.skip("no Prometheus found (apt-get install prometheus, or make prometheus)")
    return found


def _config(api: Api, token: str) -> dict[str, Any]:
    return {
        # Nothing is scraped during the test: an hour between scrapes, and the address of
        # every discovered target is rewritten to the loopback's discard port besides.
        "global": {"scrape_interval": "1h", "evaluation_interval": "1h"},
        "scrape_configs": [
            {
                "job_name": "dcim-colocation",
                "scrape_interval": "1h",
                "http_sd_configs": [
                    {
                        "url": f"{api.base}/api/v1/monitoring/prometheus",
                        "refresh_interval": "1s",
                        "authorization": {"type": "Token", "credentials": token},
                    }
                ],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "server_address"},
                    {"target_label": "__address__", "replacement": "127.0.0.1:9"},
                ],
            }
        ],
    }


@pytest.mark.slow
@pytest.mark.prometheus
def test_a_real_prometheus_discovers_the_monitored_server_from_the_api(
    api: Api, monitored: str, prometheus_executable: str, tmp_path: Path
) -> None:
    import yaml

    expected = next(
        g
        for g in api.get("/api/v1/monitoring/prometheus", user="timdc").json()
        if g["labels"]["request"] == monitored
    )
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(_config(api, api.tokens["timdc"])), encoding="utf-8")
    port = free_port()
    log = (tmp_path / "prometheus.log").open("w")
    process = subprocess.Popen(
        [
            prometheus_executable,
            f"--config.file={config}",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    found: dict[str, Any] | None = None
    try:
        deadline = time.monotonic() + PROMETHEUS_TIMEOUT_S
        while time.monotonic() < deadline and found is None:
            assert process.poll() is None, (tmp_path / "prometheus.log").read_text()
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/targets", timeout=2).json()
                found = next(
                    (
                        t
                        for t in answer["data"]["activeTargets"]
                        if t["labels"].get("request") == monitored
                    ),
                    None,
                )
            except (httpx.TransportError, ValueError, KeyError):
                pass
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert found is not None, (tmp_path / "prometheus.log").read_text()[-3000:]
    # Prometheus got the server's own address and every label from the API's discovery,
    # and would scrape only the loopback.
    assert found["scrapeUrl"].startswith("http://127.0.0.1:9/")
    for key in ("tenant", "rack", "request", "site", "device"):
        assert found["labels"][key] == expected["labels"][key], key
    assert found["labels"]["server_address"] == expected["targets"][0]
    assert found["scrapePool"] == "dcim-colocation"
