"""The bundled demo data center: it loads, round-trips, keeps the README's promises, and the
demo requests fail or fit for the reasons the README gives."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from colocation.models import ColocationRequest
from dcim.accounts import operator
from dcim.catalog import import_builtin_catalog
from dcim.catalog_lookup import find_device_type
from dcim.db import get_engine, read_session
from dcim.inventory.export import prune_empty, read_inventory
from dcim.inventory.load import load_file, parse_inventory
from dcim.inventory.schema import InventoryFile, MountedEntry
from dcim.inventory.yamlio import dump_yaml, read_yaml_file
from dcim.models import Device, Record
from dcim.workdays import WorkingCalendar
from dcim_cli.main import invoke
from dcim_demo import DEMO_DIR

INVENTORY = DEMO_DIR / "inventory.yaml"
README = DEMO_DIR / "README.md"
REQUESTS = DEMO_DIR / "requests"
DEMO_DAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo_file() -> InventoryFile:
    """The demo inventory file, parsed."""
    return parse_inventory(read_yaml_file(INVENTORY), str(INVENTORY))


def exported(engine: Engine) -> str:
    """The database's inventory as ``dcim export`` writes it."""
    with read_session(engine) as session:
        return dump_yaml(prune_empty(read_inventory(session)))


def occupants(inventory: InventoryFile) -> list[MountedEntry]:
    """Devices and holds: everything that takes room, power and bandwidth."""
    return [*inventory.devices, *inventory.reservations]


def usable_watts(inventory: InventoryFile, feed_name: str) -> Decimal:
    """A single-phase feed's rated power times its allowed utilisation."""
    feed = next(f for f in inventory.power_feeds if f.name == feed_name)
    assert feed.phase == "single"
    limit = feed.max_utilization or (
        inventory.policy.feed_max_utilization if inventory.policy else 80
    )
    return feed.voltage * feed.amperage * limit / 100


def feed_load(inventory: InventoryFile, feed_name: str) -> Decimal:
    """Watts on a feed under 2N: each occupant's whole budget on every feed it lists."""
    return sum((o.power_w for o in occupants(inventory) if feed_name in o.feeds), Decimal(0))


def free_front_units(inventory: InventoryFile, rack_name: str) -> set[int]:
    """Units where a full-depth server could go: free on both faces and usable."""
    rack = next(r for r in inventory.racks if r.name == rack_name)
    taken = set(rack.unusable_units)
    for item in occupants(inventory):
        if item.rack == rack_name and (item.full_depth or item.face == "front"):
            taken.update(range(item.position, item.position + item.u_height))
    return set(range(1, rack.u_height + 1)) - taken


# --- loading -------------------------------------------------------------------------------------


def test_the_demo_inventory_loads(engine: Engine) -> None:
    summary = load_file(engine, INVENTORY, actor=operator())
    assert summary.counts["devices"] > 0
    assert summary.counts["reservations"] == 3


def test_the_demo_inventory_round_trips_through_export_and_load(
    engine: Engine, make_database: Callable[[], str], tmp_path: Path
) -> None:
    load_file(engine, INVENTORY, actor=operator())
    text = exported(engine)
    copy = tmp_path / "export.yaml"
    copy.write_text(text, encoding="utf-8")
    second = get_engine(make_database())
    load_file(second, copy, actor=operator())
    assert exported(second) == text


def test_the_cli_loads_the_demo_and_exits_0(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(["--db", db_url, "load", str(INVENTORY)]) == 0
    assert "43 perangkat" in capsys.readouterr().out


def test_init_demo_loads_the_bundled_demo(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoke(["--db", db_url, "init", "--demo"]) == 0
    with read_session(get_engine(db_url)) as session:
        # The inventory's devices; the demo's requests install theirs through the workflow.
        installed = select(ColocationRequest.device_name).where(
            ColocationRequest.device_name.is_not(None)
        )
        inventory = select(func.count()).select_from(Device).where(Device.name.not_in(installed))
        assert session.scalar(inventory) == 43


# --- what the README promises ------------------------------------------------------------------


def readme_counts() -> dict[str, int]:
    """The README's table: ``| ... (`section`) | count |``."""
    counts = {
        key: int(value)
        for key, value in re.findall(r"\(`(\w+)`\)\s*\|\s*(\d+)\s*\|", README.read_text("utf-8"))
    }
    assert counts, "the README lost its table of counts"
    return counts


def test_the_loaded_demo_has_the_counts_the_readme_promises(engine: Engine) -> None:
    summary = load_file(engine, INVENTORY, actor=operator())
    promised = readme_counts()
    with read_session(engine) as session:
        actual = dict(summary.counts)
        actual["records"] = session.scalar(select(func.count()).select_from(Record)) or 0
        actual["servers"] = (
            session.scalar(
                select(func.count()).select_from(Device).where(Device.name.like("SRV-%"))
            )
            or 0
        )
    assert {key: actual[key] for key in promised} == promised


def test_the_demo_is_sized_as_a_kabupaten_data_center(demo_file: InventoryFile) -> None:
    counts = readme_counts()
    assert 25 <= counts["servers"] <= 40
    assert 28 <= len(demo_file.tenants) <= 35
    assert len(demo_file.racks) == 7
    assert all(rack.u_height == 42 for rack in demo_file.racks)
    assert sorted(u.capacity_kva for u in demo_file.ups) == [20, 20]
    assert sorted(u.capacity_mbps for u in demo_file.uplinks) == [300, 1000]


def test_the_spec_tenant_slugs_are_there(demo_file: InventoryFile) -> None:
    slugs = {tenant.slug for tenant in demo_file.tenants}
    assert {"diskominfo", "bkpsdm", "disdukcapil", "bappeda", "rsud", "bpkad"} <= slugs


# --- built the way the README says -----------------------------------------------------------


def test_every_rack_has_an_a_feed_from_ups_1_and_a_b_feed_from_ups_2(
    demo_file: InventoryFile,
) -> None:
    ups_of = {feed.name: feed.ups for feed in demo_file.power_feeds}
    for rack in demo_file.racks:
        assert [ups_of[name] for name in rack.feeds] == ["UPS-1", "UPS-2"], rack.name
        assert [name[-1] for name in rack.feeds] == ["A", "B"], rack.name


def test_every_powered_device_is_dual_corded(demo_file: InventoryFile) -> None:
    single = [o for o in occupants(demo_file) if o.power_w > 0 and len(o.feeds) != 2]
    assert single == []


def test_devices_of_catalog_models_use_the_catalogs_height_weight_and_budget(
    engine: Engine, demo_file: InventoryFile
) -> None:
    import_builtin_catalog(engine, operator())
    matched = 0
    with read_session(engine) as session:
        for device in demo_file.devices:
            device_type = find_device_type(session, device.model or "")
            if device_type is None:
                continue
            matched += 1
            facts = (device.u_height, device.full_depth, device.weight_kg, device.power_w)
            wanted = (
                int(device_type.u_height),
                device_type.is_full_depth,
                device_type.weight_kg,
                device_type.effective_power_w,
            )
            assert facts == wanted, device.name
    assert matched >= readme_counts()["servers"]


def test_r02_is_full(demo_file: InventoryFile) -> None:
    assert free_front_units(demo_file, "R02") == set()


def test_r04_has_room_but_its_feeds_are_near_the_limit(demo_file: InventoryFile) -> None:
    assert len(free_front_units(demo_file, "R04")) >= 10
    smallest_budget = min(
        d.power_w for d in demo_file.devices if (d.model or "").startswith("Dell")
    )
    for feed in ("PDU-R04-A", "PDU-R04-B"):
        headroom = usable_watts(demo_file, feed) - feed_load(demo_file, feed)
        assert 0 < headroom < smallest_budget


def test_every_other_powered_rack_has_room_for_a_one_u_server(demo_file: InventoryFile) -> None:
    for rack in ("R01", "R03", "R05", "R06", "R07"):
        assert free_front_units(demo_file, rack), rack
        for feed in (f"PDU-{rack}-A", f"PDU-{rack}-B"):
            assert usable_watts(demo_file, feed) - feed_load(demo_file, feed) >= 500, feed


def test_the_300_mbps_uplink_is_nearly_committed(demo_file: InventoryFile) -> None:
    committed = sum(o.bandwidth_mbps for o in occupants(demo_file) if o.uplink == "ICONPLUS")
    assert Decimal(270) <= committed < 300


def test_the_ups_pair_still_carries_everything_under_2n(demo_file: InventoryFile) -> None:
    total = sum(o.power_w for o in occupants(demo_file))
    policy = demo_file.policy
    assert policy is not None
    for ups in demo_file.ups:
        usable = ups.capacity_kva * 1000 * (ups.power_factor or policy.ups_power_factor)
        assert total < usable * policy.ups_max_load / 100


def test_the_public_ipv4_block_has_only_a_few_free_addresses(demo_file: InventoryFile) -> None:
    prefix = next(p for p in demo_file.prefixes if p.role == "public" and ":" not in p.prefix)
    network = ipaddress.ip_network(prefix.prefix)
    assert network.prefixlen == 27
    usable = set(network.hosts()) - {ipaddress.ip_address(prefix.gateway or "0.0.0.0")}
    for text in prefix.reserved_ranges:
        first, last = (ipaddress.ip_address(part) for part in text.split("-"))
        usable -= {a for a in network if first <= a <= last}
    used = {ipaddress.ip_address(a.address) for a in demo_file.ip_addresses}
    used |= {ipaddress.ip_address(a) for hold in demo_file.reservations for a in hold.ips}
    assert len(usable - used) == 3


def test_the_zone_has_the_services_and_a_delegated_subdomain(demo_file: InventoryFile) -> None:
    zone = next(z for z in demo_file.zones if z.name == "sumbawakab.go.id")
    by_name = Counter((record.name, record.type) for record in zone.records)
    for name in ("simpeg", "sipd", "e-office", "lpse", "jdih", "ppid", "ns1", "ns2", "mail"):
        assert (name, "A") in by_name, name
    assert ("@", "A") in by_name
    assert ("@", "MX") in by_name
    assert ("www", "CNAME") in by_name
    assert by_name[("desa", "NS")] == 2


def test_holds_carry_indonesian_letter_numbers(demo_file: InventoryFile) -> None:
    for hold in demo_file.reservations:
        assert re.fullmatch(r"\d{3}/\d{3}/[A-Z]+/2026", hold.request or ""), hold.id


def test_holds_expire_three_to_nine_working_days_after_the_demo_day(
    demo_file: InventoryFile,
) -> None:
    calendar = WorkingCalendar()
    days = sorted(
        calendar.working_days_between(DEMO_DAY, h.expires_at) for h in demo_file.reservations
    )
    assert days[0] >= 3
    assert days[-1] <= 9


# --- the demo requests, through the capacity check -------------------------------------------


@pytest.fixture
def demo_db(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with the built-in catalog and the demo inventory."""
    assert invoke(["--db", db_url, "init"]) == 0
    load_file(get_engine(db_url), INVENTORY, actor=operator())
    capsys.readouterr()
    return db_url


def check(db_url: str, request: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    """``dcim check --json`` of one demo request on the demo day: exit code and document."""
    code = invoke(
        ["--db", db_url, "check", str(REQUESTS / request), "--on", DEMO_DAY.isoformat(), "--json"]
    )
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, json.loads(out)


def verdicts(document: dict) -> dict[str, bool | None]:
    """Each check's ``ok``."""
    return {name: check["ok"] for name, check in document["checks"].items()}


def test_there_are_four_demo_requests() -> None:
    assert len(sorted(REQUESTS.glob("*.yaml"))) == 4


def test_the_simpeg_backup_request_fits_with_the_catalogs_r640(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = check(demo_db, "01-simpeg-cadangan-bkpsdm.yaml", capsys)
    assert code == 0
    assert document["feasible"] is True
    assert document["proposal"]["rack"] != "R04"
    assert document["proposal"]["rack"] != "R02"


def test_the_cctv_request_fails_on_power_and_leaves_ups_unevaluated(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = check(demo_db, "02-analitik-cctv-dishub.yaml", capsys)
    assert code == 1
    assert verdicts(document) == {
        "space": True,
        "power": False,
        "ups": None,
        "bandwidth": True,
        "ip": True,
        "domain": True,
    }


def test_the_jdih_request_fails_only_on_its_existing_domain(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = check(demo_db, "03-jdih-baru-setda.yaml", capsys)
    assert code == 1
    assert verdicts(document) == {
        "space": True,
        "power": True,
        "ups": True,
        "bandwidth": True,
        "ip": True,
        "domain": False,
    }


def test_the_health_request_fails_only_on_public_addresses(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = check(demo_db, "04-sik-dinkes-ip-publik.yaml", capsys)
    assert code == 1
    assert verdicts(document) == {
        "space": True,
        "power": True,
        "ups": True,
        "bandwidth": True,
        "ip": False,
        "domain": True,
    }
