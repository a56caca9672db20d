"""Step 12, the hand-off to monitoring: the Prometheus ``file_sd`` targets and the Zabbix host
import file are written in the formats the tools read, and parse back to the server recorded."""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from workflow_support import (
    HAPPY_PATH,
    SIMPEG,
    act,
    request_row,
    submit_file,
    user,
    walk,
)

from colocation.monitoring import (
    monitored_targets,
    prometheus_file_sd,
    prometheus_json,
    zabbix_import,
    zabbix_yaml,
)
from dcim.db import read_session
from dcim.errors import InputError

LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
UNTIL_MONITORING = HAPPY_PATH[:10]


def _target(**overrides: Any) -> dict[str, Any]:
    target = {
        "device": "SRV-BKPSDM-02",
        "address": "10.10.99.11",
        "fqdn": "simpeg-backup.sumbawakab.go.id",
        "tenant": "bkpsdm",
        "site": "dc-kominfo",
        "rack": "R05",
        "position": 1,
        "model": "Dell PowerEdge R640",
        "serial": "CN7R640BKP01",
        "request": "REQ-2026-0001",
        "prometheus": {"job": "node", "port": 9100},
        "zabbix": {
            "groups": ["Colocation", "OPD/BKPSDM"],
            "templates": ["Linux by Zabbix agent"],
            "port": 10050,
            "version": "7.0",
        },
    }
    target.update(overrides)
    return target


def test_prometheus_targets_are_file_sd_groups_of_host_port_and_labels() -> None:
    groups = json.loads(
        prometheus_json([_target(), _target(device="SRV-X", address="2001:db8:10::7")])
    )
    assert isinstance(groups, list) and len(groups) == 2
    first, second = groups
    assert set(first) == {"targets", "labels"}
    assert first["targets"] == ["10.10.99.11:9100"]
    assert second["targets"] == ["[2001:db8:10::7]:9100"]
    for group in groups:
        host, port = group["targets"][0].rsplit(":", 1)
        ipaddress.ip_address(host.strip("[]"))
        assert 0 < int(port) < 65536
        assert all(LABEL_NAME.match(name) and not name.startswith("__") for name in group["labels"])
        assert all(isinstance(value, str) for value in group["labels"].values())
    assert first["labels"]["device"] == "SRV-BKPSDM-02"
    assert first["labels"]["fqdn"] == "simpeg-backup.sumbawakab.go.id"


def test_zabbix_import_has_host_groups_and_a_host_with_an_agent_interface() -> None:
    document = yaml.safe_load(zabbix_yaml([_target()], "7.0"))
    export = document["zabbix_export"]
    assert export["version"] == "7.0"
    groups = {group["name"]: group["uuid"] for group in export["host_groups"]}
    assert set(groups) == {"Colocation", "OPD/BKPSDM"}
    assert all(uuid.UUID(value).version == 4 for value in groups.values())
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in groups.values())
    (host,) = export["hosts"]
    assert host["host"] == "SRV-BKPSDM-02"
    assert {group["name"] for group in host["groups"]} <= set(groups)
    (interface,) = host["interfaces"]
    assert interface == {
        "type": "ZABBIX",
        "ip": "10.10.99.11",
        "port": "10050",
        "useip": "YES",
        "interface_ref": "if1",
        "dns": "simpeg-backup.sumbawakab.go.id",
    }
    assert host["templates"] == [{"name": "Linux by Zabbix agent"}]
    assert {"tag": "tenant", "value": "bkpsdm"} in host["tags"]
    assert host["inventory"]["serialno_a"] == "CN7R640BKP01"


def test_zabbix_before_6_2_calls_the_host_groups_groups() -> None:
    export = zabbix_import([_target()], "6.0")["zabbix_export"]
    assert "groups" in export and "host_groups" not in export


def test_the_same_group_has_the_same_uuid_in_every_export() -> None:
    one = zabbix_import([_target()])["zabbix_export"]["host_groups"]
    two = zabbix_import([_target(device="SRV-Y")])["zabbix_export"]["host_groups"]
    assert one == two


def test_an_empty_export_is_still_a_valid_document() -> None:
    assert prometheus_file_sd([]) == []
    assert zabbix_import([])["zabbix_export"]["hosts"] == []


def test_step_twelve_records_the_server_and_exports_it_for_both_tools(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, UNTIL_MONITORING)
    act(demo, code, "monitor", "timdc", {"zabbix_groups": ["Colocation", "OPD/BKPSDM"]})
    row = request_row(demo, code)
    assert row.monitored_on is not None and row.state == "implementation_report"
    with read_session(demo) as session:
        targets = monitored_targets(session)
    (group,) = json.loads(prometheus_json(targets))
    management = row.check_result["proposal"]["ipv4"]["management"][0]  # type: ignore[index]
    assert group["targets"] == [f"{management}:9100"]
    assert group["labels"]["request"] == code and group["labels"]["tenant"] == "bkpsdm"
    host = yaml.safe_load(zabbix_yaml(targets))["zabbix_export"]["hosts"][0]
    assert host["host"] == row.device_name
    assert host["interfaces"][0]["ip"] == management


def test_an_opd_exports_only_its_own_servers(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, [*UNTIL_MONITORING, ("monitor", "timdc", None)])
    with read_session(demo) as session:
        assert len(monitored_targets(session, user(demo, "opd.bkpsdm"))) == 1
        assert monitored_targets(session, user(demo, "opd.dishub")) == []


def test_a_monitoring_address_that_is_not_an_address_is_refused(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, UNTIL_MONITORING)
    with pytest.raises(InputError) as refused:
        act(demo, code, "monitor", "timdc", {"address": "srv.local"})
    assert refused.value.problems[0].path == "data.address"
    assert request_row(demo, code).monitored_on is None


def test_the_monitoring_command_prints_every_monitored_server(demo: Engine, run_cli: Any) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, [*UNTIL_MONITORING, ("monitor", "timdc", None)])
    url = demo.url.render_as_string(hide_password=False)
    prometheus = run_cli("--db", url, "request", "monitoring", "--format", "prometheus")
    assert prometheus.exit_code == 0
    assert json.loads(prometheus.stdout)[0]["labels"]["request"] == code
    zabbix = run_cli("--db", url, "request", "monitoring", "--format", "zabbix")
    assert yaml.safe_load(zabbix.stdout)["zabbix_export"]["hosts"][0]["host"].startswith("SRV-")
    assert run_cli("--db", url, "request", "monitoring", "--format", "nagios").exit_code == 2
