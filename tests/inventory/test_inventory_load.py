"""Adding inventory files with ``dcim load``: a later file builds on what is stored.

A second file may use the racks, feeds, UPS, uplinks, prefixes and zones of
the first; it is checked together with them, and written only when all of it
is right. The command says what it added, in Bahasa Indonesia or English.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, func, select, text

from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, read_session
from dcim.inventory.load import BULK_LOAD, load_inventory, parse_inventory
from dcim.models import Device, IPAddress, PowerConnection, RackUnit

INVENTORY = Path(__file__).resolve().parents[1] / "fixtures" / "inventory"
EXAMPLE = INVENTORY.parent / "spec-example" / "inventory.yaml"
ADDITION = INVENTORY / "addition.yaml"


def _export(run_cli: Callable[..., Any], db_url: str) -> dict[str, Any]:
    result = run_cli("--db", db_url, "export")
    assert result.exit_code == 0, result.stderr
    return yaml.safe_load(result.stdout)


def _names(entries: list[dict[str, Any]], key: str = "name") -> list[str]:
    return [entry[key] for entry in entries]


def test_a_second_file_adds_to_the_racks_and_pools_of_the_first(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    first = _export(run_cli, db_url)
    result = run_cli("--db", db_url, "load", ADDITION)
    assert result.exit_code == 0, result.stderr
    both = _export(run_cli, db_url)
    added = yaml.safe_load(ADDITION.read_text(encoding="utf-8"))
    for section, key in (("racks", "name"), ("devices", "name"), ("reservations", "id")):
        assert _names(both[section], key) == _names(first[section], key) + _names(
            added[section], key
        )
    assert both["tenants"][: len(first["tenants"])] == first["tenants"]
    devices = {device["name"]: device for device in both["devices"]}
    assert (devices["SRV-DINKES-01"]["rack"], devices["SRV-DINKES-01"]["position"]) == ("R01", 20)
    assert devices["SRV-DINKES-02"]["feeds"] == ["PDU-R05-A", "PDU-R05-B"]
    racks = {rack["name"]: rack for rack in both["racks"]}
    assert racks["R05"]["feeds"] == ["PDU-R05-A", "PDU-R05-B"]
    assert racks["R01"]["feeds"] == ["PDU-R01-A", "PDU-R01-B"]


def test_what_a_second_file_adds_occupies_units_addresses_and_feeds(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    assert run_cli("--db", db_url, "load", ADDITION).exit_code == 0
    with read_session(engine) as session:
        dinkes = session.scalar(select(Device.id).where(Device.name == "SRV-DINKES-01"))
        units = session.scalar(
            select(func.count()).select_from(RackUnit).where(RackUnit.device_id == dinkes)
        )
        addresses = set(
            session.scalars(select(IPAddress.address).where(IPAddress.device_id == dinkes))
        )
        feeds = session.scalar(
            select(func.count())
            .select_from(PowerConnection)
            .where(PowerConnection.device_id == dinkes)
        )
    assert units == 4  # two units, front and rear
    assert addresses == {"203.0.113.7", "10.10.1.13"}
    assert feeds == 2


def test_the_combined_inventory_exports_and_loads_as_one_file(
    engine: Engine,
    db_url: str,
    make_database: Callable[[], str],
    run_cli: Callable[..., Any],
    tmp_path: Path,
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    assert run_cli("--db", db_url, "load", ADDITION).exit_code == 0
    exported = tmp_path / "gabungan.yaml"
    assert run_cli("--db", db_url, "export", "-o", exported).exit_code == 0
    fresh = make_database()
    assert run_cli("--db", fresh, "load", exported).exit_code == 0
    assert _export(run_cli, fresh) == _export(run_cli, db_url)


def test_a_later_file_changes_only_the_policy_keys_it_names(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    path = tmp_path / "kebijakan.yaml"
    path.write_text("version: 1\npolicy:\n  redundancy: N\n  ups_max_load: 75\n", "utf-8")
    assert run_cli("--db", db_url, "load", path).exit_code == 0
    policy = _export(run_cli, db_url)["policy"]
    assert (policy["redundancy"], policy["ups_max_load"]) == ("N", 75)
    assert (policy["feed_max_utilization"], policy["reservation_working_days"]) == (80, 10)


def test_the_load_says_what_it_added_in_bahasa_indonesia(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("--db", db_url, "load", ADDITION.with_name("base.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Dimuat dari ")
    assert "2 rak" in result.stdout


def test_the_load_says_what_it_added_in_english_when_asked(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("--lang", "en", "--db", db_url, "load", ADDITION.with_name("base.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "2 racks" in result.stdout


def test_a_file_with_only_the_version_adds_nothing(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    before = _export(run_cli, db_url)
    path = tmp_path / "kosong.yaml"
    path.write_text("version: 1\n", encoding="utf-8")
    result = run_cli("--lang", "en", "--db", db_url, "load", path)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"File {path} holds no new entries."
    assert _export(run_cli, db_url) == before


def test_a_file_that_does_not_exist_is_named_in_the_message(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    missing = tmp_path / "tidak-ada.yaml"
    code, _, err = run_cli("--db", db_url, "load", missing)
    assert code == 2
    assert err.splitlines() == [f"{missing}: berkas tidak ada"]


@pytest.mark.postgres
def test_a_bulk_load_on_postgresql_rewrites_the_trigger_kept_tables(postgres_url: str) -> None:
    # Every claim rewrites its rack's row (counters, unit map) inside the load's one
    # transaction, where no dead version can be pruned: unless the load compacts the table
    # afterwards, each check scans a rack table many times its size (23 MB for 1,000 racks).
    # What VACUUM FULL can drop depends on other transactions open on the server (the test
    # suite's own, in parallel), so the test asks whether the table was rewritten: a new
    # file (relfilenode) for it, which neither a plain VACUUM nor ANALYZE makes.
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    file_of = text("SELECT pg_relation_filenode('racks')")
    with engine.connect() as conn:
        before = conn.execute(file_of).scalar_one()
    racks = [{"name": f"R{i:02d}", "site": "dc", "u_height": 42} for i in range(1, 31)]
    devices = [
        {"name": f"srv-{r:02d}-{u:02d}", "rack": f"R{r:02d}", "position": u, "u_height": 1}
        for r in range(1, 31)
        for u in range(1, 41)
    ]
    document = {
        "version": 1,
        "sites": [{"slug": "dc", "name": "DC"}],
        "racks": racks,
        "devices": devices,
    }
    summary = load_inventory(engine, parse_inventory(document), actor=operator())
    assert summary.total() >= BULK_LOAD
    with engine.connect() as conn:
        after = conn.execute(file_of).scalar_one()
    assert after != before
