"""Handing an installed server to the monitoring system (SOP step 12).

The data center's monitoring takes its targets from files: Prometheus reads
``file_sd`` JSON target lists, Zabbix imports hosts from its own export
format. Step 12 records which address of the server is watched and how;
these functions write those records in both formats, for one request or
for every monitored server at once.
"""

from __future__ import annotations

import ipaddress
import json
import uuid
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import Device, IPAddress, Prefix, Rack, Site, Tenant, User

from .access import find_request, visible
from .action_data import MonitoringData
from .models import ColocationRequest
from .sop import Sop

# A fixed namespace makes a host group's UUID the same in every export, as Zabbix expects.
ZABBIX_GROUP_NAMESPACE = uuid.UUID("6f1d0c54-8d5e-4b1a-9a8c-3f2b7d9e4c10")


def device_addresses(session: Session, device_id: int) -> list[tuple[str, int, str]]:
    """The device's addresses as (address, family, prefix role): IPv4 first, in the order given."""
    rows = session.execute(
        select(IPAddress.address, IPAddress.family, Prefix.role)
        .join(Prefix, Prefix.id == IPAddress.prefix_id)
        .where(IPAddress.device_id == device_id)
        .order_by(IPAddress.family, IPAddress.id)
    )
    return [(address, family, role) for address, family, role in rows]


def _own_address(given: str, device: str, addresses: list[tuple[str, int, str]], lang: str) -> str:
    """The given address, written the standard way, when it is one of the server's own.

    Monitoring watches the server installed for the request: any other
    address (8.8.8.8, a neighbour's server) would make the monitoring
    system watch something else in the request's name.
    """
    try:
        # A zone id (fe80::1%eth0) names an interface of the watching host, not the server.
        parsed = ipaddress.ip_address(given) if "%" not in given else None
    except ValueError:
        parsed = None
    if parsed is None:
        message = t("workflow.monitor_bad_address", lang, address=given)
        raise InputError([Problem("data.address", message)])
    own = {str(ipaddress.ip_address(address)) for address, _, _ in addresses}
    if str(parsed) not in own:
        message = t(
            "workflow.monitor_not_own",
            lang,
            address=str(parsed),
            device=device,
            own=", ".join(sorted(own)) or "-",
        )
        raise InputError([Problem("data.address", message)])
    return str(parsed)


def monitoring_target(
    session: Session, sop: Sop, request: ColocationRequest, data: MonitoringData, lang: str
) -> dict[str, Any]:
    """What step 12 records: the server, the address watched, and its Prometheus and Zabbix settings.

    The address is the one given, which must be one of the server's own,
    else the server's first IPv4 (then IPv6) address in the first of the
    SOP's ``address_roles`` it has one in.
    """
    device = session.scalar(select(Device).where(Device.name == request.device_name))
    if device is None:
        raise InputError([Problem("action", t("workflow.monitor_no_device", lang))])
    rules = sop.monitoring
    addresses = device_addresses(session, device.id)
    if data.address is not None:
        address = _own_address(data.address, device.name, addresses, lang)
    else:
        ranked = [entry for role in rules.address_roles for entry in addresses if entry[2] == role]
        if not ranked:
            raise InputError(
                [
                    Problem(
                        "data.address",
                        t(
                            "workflow.monitor_no_address",
                            lang,
                            device=device.name,
                            roles=", ".join(rules.address_roles),
                        ),
                    )
                ]
            )
        address = ranked[0][0]
    rack, site, tenant = session.execute(
        select(Rack.name, Site.slug, Tenant.slug)
        .select_from(Device)
        .join(Rack, Rack.id == Device.rack_id)
        .join(Site, Site.id == Rack.site_id)
        .outerjoin(Tenant, Tenant.id == Device.tenant_id)
        .where(Device.id == device.id)
    ).one()
    fqdns = ((request.check_result or {}).get("proposal") or {}).get("fqdns") or []
    return {
        "device": device.name,
        "address": address,
        "fqdn": fqdns[0] if fqdns else None,
        "tenant": tenant,
        "site": site,
        "rack": rack,
        "position": device.position,
        "model": device.model,
        "serial": device.serial,
        "request": request.code,
        "prometheus": {
            "job": data.job or rules.prometheus.job,
            "port": data.port or rules.prometheus.port,
        },
        "zabbix": {
            "groups": data.zabbix_groups or list(rules.zabbix.groups),
            "templates": data.zabbix_templates
            if data.zabbix_templates is not None
            else list(rules.zabbix.templates),
            "port": rules.zabbix.agent_port,
            "version": rules.zabbix.version,
        },
    }


def _host_port(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def prometheus_file_sd(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Prometheus ``file_sd`` target groups: one group per server, labelled with where it stands.

    The scrape job is the configuration's own (``job_name``); the recorded
    job is kept as the ``colocation_job`` label so that one file can feed
    several jobs through relabelling.
    """
    groups = []
    for target in targets:
        labels = {
            "device": target["device"],
            "tenant": target.get("tenant") or "",
            "site": target.get("site") or "",
            "rack": target.get("rack") or "",
            "request": target.get("request") or "",
            "colocation_job": target["prometheus"]["job"],
        }
        if target.get("fqdn"):
            labels["fqdn"] = target["fqdn"]
        groups.append(
            {
                "targets": [_host_port(target["address"], int(target["prometheus"]["port"]))],
                "labels": labels,
            }
        )
    return groups


def group_uuid(name: str) -> str:
    """The host group's UUID: the same for the same name in every export, in the UUIDv4 form Zabbix checks."""
    digest = uuid.uuid5(ZABBIX_GROUP_NAMESPACE, name).bytes
    return uuid.UUID(bytes=digest, version=4).hex


def _version_tuple(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def zabbix_import(targets: list[dict[str, Any]], version: str = "7.0") -> dict[str, Any]:
    """A Zabbix host import document (the ``zabbix_export`` format) for the servers.

    Zabbix 6.2 renamed the top-level ``groups`` to ``host_groups``; the key
    follows the version asked for.
    """
    group_names: list[str] = []
    hosts = []
    for target in targets:
        zabbix = target["zabbix"]
        for name in zabbix["groups"]:
            if name not in group_names:
                group_names.append(name)
        interface: dict[str, Any] = {
            "type": "ZABBIX",
            "ip": target["address"],
            "port": str(zabbix["port"]),
            "useip": "YES",
            "interface_ref": "if1",
        }
        if target.get("fqdn"):
            interface["dns"] = target["fqdn"]
        tags = [
            {"tag": key, "value": str(target[key])}
            for key in ("tenant", "site", "rack", "request")
            if target.get(key)
        ]
        host: dict[str, Any] = {
            "host": target["device"],
            "name": f"{target['device']} ({target['tenant']})"
            if target.get("tenant")
            else target["device"],
            "groups": [{"name": name} for name in zabbix["groups"]],
            "interfaces": [interface],
            "tags": tags,
            "inventory_mode": "MANUAL",
            "inventory": {
                key: value
                for key, value in (
                    (
                        "location",
                        f"{target.get('site')} {target.get('rack')} U{target.get('position')}",
                    ),
                    ("model", target.get("model")),
                    ("serialno_a", target.get("serial")),
                )
                if value
            },
        }
        if zabbix["templates"]:
            host["templates"] = [{"name": name} for name in zabbix["templates"]]
        hosts.append(host)
    groups_key = "host_groups" if _version_tuple(version) >= (6, 2) else "groups"
    return {
        "zabbix_export": {
            "version": version,
            groups_key: [{"uuid": group_uuid(name), "name": name} for name in group_names],
            "hosts": hosts,
        }
    }


def prometheus_json(targets: list[dict[str, Any]]) -> str:
    """The ``file_sd`` document as JSON text."""
    return json.dumps(prometheus_file_sd(targets), indent=2, ensure_ascii=False) + "\n"


def zabbix_yaml(targets: list[dict[str, Any]], version: str = "7.0") -> str:
    """The Zabbix import document as YAML text (Zabbix's default import format)."""
    return yaml.safe_dump(
        zabbix_import(targets, version),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )


def monitored_targets(session: Session, user: User | None = None) -> list[dict[str, Any]]:
    """The recorded targets of every monitored server the user may see, by request code."""
    stmt = visible(
        select(ColocationRequest.monitoring).where(ColocationRequest.monitored_on.is_not(None)),
        user,
    ).order_by(ColocationRequest.code)
    return [target for target in session.scalars(stmt) if target]


def request_targets(
    session: Session, code: str, user: User | None, lang: str = "id"
) -> list[dict[str, Any]]:
    """The recorded target of one request (empty before step 12)."""
    request = find_request(session, code, user, lang)
    return [request.monitoring] if request.monitoring else []
