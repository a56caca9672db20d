"""``dcim import netbox``: one command, all or nothing, the report's counts, the round trip, hostile dumps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from netbox_fixture import netbox_dump, obj, write_dump

from dcim.errors import InputError
from dcim.netbox.dump import DUMP_LIMITS, build_dump, read_dump_file

pytestmark = pytest.mark.postgres


@pytest.fixture
def dump_file(tmp_path: Path) -> Path:
    """The NetBox-shaped fixture as a dumpdata file."""
    return write_dump(tmp_path / "netbox.json", netbox_dump())


def dcim(run_cli: Callable[..., Any], db_url: str, *args: Any) -> Any:
    """``dcim --db URL ARGS``."""
    return run_cli("--db", db_url, *args)


def exported(run_cli: Callable[..., Any], db_url: str) -> dict:
    """The inventory as ``dcim export`` writes it."""
    done = dcim(run_cli, db_url, "export")
    assert done.exit_code == 0, done.stderr
    return yaml.safe_load(done.stdout)


# --- one command ----------------------------------------------------------------------------------


def test_import_loads_what_the_report_counts(run_cli, db_url: str, dump_file: Path) -> None:
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--json")
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    inventory = exported(run_cli, db_url)
    for kind in ("racks", "devices", "power_feeds", "prefixes", "ip_addresses"):
        assert report["counts"][kind]["out"] == len(inventory[kind]), kind
    assert report["counts"]["devices"] == {"in": 12, "out": 8}


def test_utilization_equals_the_units_netbox_shows_occupied(
    run_cli, db_url: str, dump_file: Path
) -> None:
    assert dcim(run_cli, db_url, "import", "netbox", dump_file).exit_code == 0
    done = dcim(run_cli, db_url, "utilization", "--json")
    racks = {r["name"]: r for r in json.loads(done.stdout)["racks"]}
    # NetBox's elevation of R01: U10-U11, U1 (rear), U12, U14, U20 (two half-U), U30 occupied;
    # U40-U41 reserved.
    assert (racks["R01"]["units_used"], racks["R01"]["units_unusable"]) == (7, 2)


def test_proposal_is_free_in_netbox_elevation(
    run_cli, db_url: str, dump_file: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "ups": [{"name": "UPS-1", "site": "dc-kominfo", "capacity_kva": 20}],
                "power_feeds": [
                    {"name": "Feed 1 (Panel A)", "ups": "UPS-1"},
                    {"name": "Feed 1 (Panel B)", "ups": "UPS-1"},
                ],
            }
        ),
        encoding="utf-8",
    )
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--companion", extra)
    assert done.exit_code == 0, done.stderr
    request = {
        "tenant": "dinkes",
        "site": "dc-kominfo",
        "server": {"u_height": 2, "power_w": 100, "psu": 2},
    }
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(request), encoding="utf-8")
    result = json.loads(dcim(run_cli, db_url, "check", path, "--json").stdout)
    assert result["feasible"] is True, result["checks"]
    proposal = result["proposal"]
    netbox_taken = {1, 10, 11, 12, 14, 20, 30, 40, 41}
    units = set(range(proposal["position"], proposal["position"] + 2))
    assert proposal["rack"] == "R01" and not units & netbox_taken, proposal


def test_device_types_land_in_the_catalog(run_cli, db_url: str, dump_file: Path) -> None:
    assert dcim(run_cli, db_url, "import", "netbox", dump_file).exit_code == 0
    done = dcim(run_cli, db_url, "catalog", "list", "--json")
    types = {t["slug"]: t for t in json.loads(done.stdout)["device_types"]}
    assert types["dell-r640"]["power_w"] == 350 and types["half-u"]["u_height"] == 0.5


def test_round_trip_import_export_load_gives_an_equal_export(
    run_cli, db_url: str, dump_file: Path, make_database: Callable[[], str], tmp_path: Path
) -> None:
    assert dcim(run_cli, db_url, "import", "netbox", dump_file).exit_code == 0
    first = dcim(run_cli, db_url, "export").stdout
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")
    fresh = make_database()
    loaded = dcim(run_cli, fresh, "load", path)
    assert loaded.exit_code == 0, loaded.stderr
    assert dcim(run_cli, fresh, "export").stdout == first


# --- all or nothing -------------------------------------------------------------------------------


def test_a_control_character_in_a_name_is_refused_naming_the_record(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    records = netbox_dump()
    device = next(r for r in records if r["model"] == "dcim.device" and r["pk"] == 11)
    device["fields"]["name"] = "SRV\x1b[31m"
    done = dcim(run_cli, db_url, "import", "netbox", write_dump(tmp_path / "bad.json", records))
    assert done.exit_code == 2
    # In the operator's language (Bahasa Indonesia by default), the escape named by its code.
    assert (
        "dcim.device 11.fields.name: berisi karakter tak terlihat atau karakter kendali U+001B"
        in done.stderr
    )
    assert "\x1b" not in done.stderr, "the escape is shown, never sent to the terminal"


def test_a_value_the_inventory_refuses_writes_nothing_and_names_the_netbox_object(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    records = netbox_dump()
    rack = next(r for r in records if r["model"] == "dcim.rack" and r["pk"] == 2)
    rack["fields"]["u_height"] = 500  # NetBox allows it; the format's racks stop at 100 U
    done = dcim(run_cli, db_url, "import", "netbox", write_dump(tmp_path / "bad.json", records))
    assert done.exit_code == 2
    assert "racks[1] (dcim.rack 2).u_height" in done.stderr, done.stderr
    assert "kesalahan internal" not in done.stderr and "Traceback" not in done.stderr
    assert not exported(run_cli, db_url).get("racks"), "nothing was written"


def test_importing_the_same_site_twice_is_refused_whole(
    run_cli, db_url: str, dump_file: Path
) -> None:
    assert dcim(run_cli, db_url, "import", "netbox", dump_file).exit_code == 0
    before = exported(run_cli, db_url)
    again = dcim(run_cli, db_url, "import", "netbox", dump_file)
    assert again.exit_code == 2 and "R01" in again.stderr, again.stderr
    assert exported(run_cli, db_url) == before


def test_dry_run_reports_and_writes_nothing(run_cli, db_url: str, dump_file: Path) -> None:
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--dry-run", "--json")
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dry_run"] is True and report["loaded"]["racks"] == 3
    assert not exported(run_cli, db_url).get("racks")


# --- the companion file ---------------------------------------------------------------------------


def test_companion_adds_ups_and_completes_feeds_and_uplinks(
    run_cli, db_url: str, dump_file: Path, tmp_path: Path
) -> None:
    companion = {
        "version": 1,
        "ups": [{"name": "UPS-1", "site": "dc-kominfo", "capacity_kva": 20}],
        "power_feeds": [
            {"name": "Feed 1 (Panel A)", "ups": "UPS-1"},
            {"name": "Feed 1 (Panel B)", "ups": "UPS-1"},
        ],
        "uplinks": [{"name": "WAN-002", "site": "dc-kominfo", "capacity_mbps": 100}],
    }
    path = tmp_path / "extra.yaml"
    path.write_text(yaml.safe_dump(companion), encoding="utf-8")
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--companion", path, "--json")
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["still_to_fill_in"] == {} and report["companion"] == {"added": 2, "completed": 2}
    feeds = {f["name"]: f for f in exported(run_cli, db_url)["power_feeds"]}
    assert feeds["Feed 1 (Panel A)"]["ups"] == "UPS-1"


def test_without_companion_the_report_lists_what_is_still_to_fill_in(
    run_cli, db_url: str, dump_file: Path
) -> None:
    report = json.loads(dcim(run_cli, db_url, "import", "netbox", dump_file, "--json").stdout)
    todo = report["still_to_fill_in"]
    assert [r["name"] for r in todo["ups"]] == ["dc-kominfo"]
    assert {r["pk"] for r in todo["feed_ups"]} == {1, 2}
    assert [r["name"] for r in todo["uplink_capacity"]] == ["WAN-002"]


def test_wrong_companion_entry_is_named_by_its_file_and_writes_nothing(
    run_cli, db_url: str, dump_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        "ups:\n  - {name: UPS-1, site: dc-kominfo, capacity_kva: -5}\n", encoding="utf-8"
    )
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--companion", path)
    assert done.exit_code == 2 and f"({path} ups[0]).capacity_kva" in done.stderr, done.stderr
    assert not exported(run_cli, db_url).get("racks")


# --- the report's languages -------------------------------------------------------------------------


def test_report_text_is_indonesian_by_default_and_english_on_request(
    run_cli, db_url: str, dump_file: Path
) -> None:
    indonesian = dcim(run_cli, db_url, "import", "netbox", dump_file, "--dry-run")
    english = dcim(run_cli, db_url, "--lang", "en", "import", "netbox", dump_file, "--dry-run")
    assert "Masih perlu diisi" in indonesian.stdout and "rak" in indonesian.stdout
    assert "Still to fill in" in english.stdout and "racks" in english.stdout
    assert "Comms closet (bupati)" in english.stdout


# --- hostile dumps (no database) ------------------------------------------------------------------


def refused(records: Any) -> str:
    """The message of refusing parsed dump data."""
    with pytest.raises(InputError) as caught:
        build_dump(records, "dump.json")
    return str(caught.value)


def test_a_dump_that_is_not_a_list_is_refused() -> None:
    assert "JSON list" in refused({"model": "dcim.site"})


def test_wrong_field_type_is_refused_naming_the_record_and_field() -> None:
    records = netbox_dump()
    rack = next(r for r in records if r["model"] == "dcim.rack")
    rack["fields"]["u_height"] = "forty-two"
    index = records.index(rack)
    message = refused(records)
    assert f"[{index}] dcim.rack 1.fields.u_height" in message, message


def test_malformed_model_label_is_refused() -> None:
    assert "[0].model" in refused([{"model": "DROP TABLE", "pk": 1, "fields": {}}])


def test_unknown_models_are_counted_not_refused() -> None:
    dump = build_dump([obj("netbox_plugin.widget", 1, name="x"), obj("extras.tag", 2)])
    assert dict(dump.others) == {"netbox_plugin.widget": [1], "extras.tag": [2]}


def test_a_pk_that_is_not_a_whole_number_is_refused() -> None:
    assert "dcim.site.pk" in refused(
        [{"model": "dcim.site", "pk": "1", "fields": {"name": "A", "slug": "a"}}]
    )


def test_deeply_nested_json_is_refused_as_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="deeper"):
        read_dump_file(path)


def test_a_repeated_key_and_nan_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '[{"model": "dcim.site", "model": "x", "pk": 1, "fields": {}}]', encoding="utf-8"
    )
    with pytest.raises(InputError, match="duplicate key"):
        read_dump_file(path)
    path.write_text(
        '[{"model": "dcim.rack", "pk": 1, "fields": {"u_height": NaN}}]', encoding="utf-8"
    )
    with pytest.raises(InputError, match="NaN"):
        read_dump_file(path)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(DUMP_LIMITS.max_bytes + 10)
    with pytest.raises(InputError, match="larger than"):
        read_dump_file(path)


def test_too_many_elements_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.json"
    path.write_text("[" + ",".join(["[]"] * (DUMP_LIMITS.max_elements + 1)) + "]", encoding="utf-8")
    with pytest.raises(InputError, match="elements"):
        read_dump_file(path)


def test_sites_and_tenants_already_in_the_inventory_are_used_not_added_again(
    run_cli, db_url: str, dump_file: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "existing.yaml"
    existing.write_text(
        "version: 1\nsites:\n  - {slug: dc-kominfo, name: Data Center Kominfo}\n"
        "tenants:\n  - {slug: dinkes, name: Dinas Kesehatan}\n",
        encoding="utf-8",
    )
    assert dcim(run_cli, db_url, "load", existing).exit_code == 0
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--json")
    assert done.exit_code == 0, done.stderr
    reused = {(r["model"], r["to"]) for r in json.loads(done.stdout)["adaptations"]["existing"]}
    assert reused == {("dcim.site", "dc-kominfo"), ("tenancy.tenant", "dinkes")}
    inventory = exported(run_cli, db_url)
    assert [s["name"] for s in inventory["sites"] if s["slug"] == "dc-kominfo"] == [
        "Data Center Kominfo"
    ]
    assert len(inventory["racks"]) == 3


def test_a_position_too_large_to_be_equipment_is_refused_naming_the_field() -> None:
    records = netbox_dump()
    device = next(r for r in records if r["model"] == "dcim.device")
    device["fields"]["position"] = "1E+999999"
    assert "dcim.device 1.fields.position: must be at most" in refused(records)


def test_models_without_a_place_are_named_by_pk_in_the_json_report(
    run_cli, db_url: str, dump_file: Path
) -> None:
    report = json.loads(dcim(run_cli, db_url, "import", "netbox", dump_file, "--json").stdout)
    assert report["not_carried"] == {"dcim.cable": [1, 2, 3], "extras.tag": [1]}


def test_command_line_options_reach_the_conversion(run_cli, db_url: str, dump_file: Path) -> None:
    done = dcim(
        run_cli,
        db_url,
        "import",
        "netbox",
        dump_file,
        "--vrf",
        "MGMT",
        "--status-map",
        "rack:available=planned",
        "--rack-reservations",
        "hold",
        "--hold-tenant",
        "dinkes",
        "--hold-expires",
        "2026-12-31",
        "--json",
    )
    assert done.exit_code == 0, done.stderr
    inventory = exported(run_cli, db_url)
    assert [p["prefix"] for p in inventory["prefixes"]] == ["10.10.1.0/24"]
    racks = {r["name"]: r for r in inventory["racks"]}
    assert racks["Comms closet (bupati)"]["status"] == "planned"
    holds = inventory["reservations"]
    assert [(h["id"], h["tenant"], str(h["expires_at"])) for h in holds] == [
        ("NB-RR-1", "dinkes", "2026-12-31")
    ]


def test_a_wrong_option_value_is_refused_naming_the_option(
    run_cli, db_url: str, dump_file: Path
) -> None:
    done = dcim(run_cli, db_url, "import", "netbox", dump_file, "--containers", "maybe")
    assert done.exit_code == 2 and "--containers: must be one of drop, keep" in done.stderr
