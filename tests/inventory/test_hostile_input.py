"""Hostile input through the real command line: refused cleanly, quickly, naming the field, changing nothing.

Each case is one hostile value put into an otherwise good file: a name
with a control or bidi character, a number beyond what a column or the
physics allow, an address with a zone id, a file that expands to a billion
elements. Every command that reads such a file answers with exit code 2
(or, for a malformed domain at ``check``, 1 with the domain check's reason),
a message that names the file and the field, never an internal error or a
traceback, within seconds, and the database is what it was.

Limits: docs/input-limits.md.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# The top-level conftest's names, without importing it (tests/capacity has a conftest too).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
CliResult = Any  # conftest.CliResult: exit_code, stdout, stderr

SPEC_INVENTORY = FIXTURES / "spec-example" / "inventory.yaml"
ON = "2026-11-27"
SECONDS = 10.0  # generous on a loaded machine; a refused file takes milliseconds
INTERNAL = ("kesalahan internal", "internal error", "Traceback")

# --- the good documents the hostile cases start from ---------------------------------------------

GOOD_ADDITION: dict[str, Any] = {
    "version": 1,
    "tenants": [{"slug": "dinkes", "name": "Dinas Kesehatan"}],
    "sites": [{"slug": "dc-dua", "name": "Data Center Dua"}],
    "ups": [{"name": "UPS-Z", "site": "dc-dua", "capacity_kva": 10}],
    "power_feeds": [
        {"name": "PDU-Z1", "site": "dc-dua", "ups": "UPS-Z", "voltage": 230, "amperage": 16}
    ],
    "racks": [{"name": "RZ1", "site": "dc-dua", "feeds": ["PDU-Z1"]}],
    "uplinks": [{"name": "ISP-Z", "site": "dc-dua", "capacity_mbps": 100}],
    "prefixes": [
        {"prefix": "198.51.100.0/24", "role": "public", "site": "dc-dua"},
        {"prefix": "fe80::/64", "role": "link", "site": "dc-dua"},
    ],
    "ip_addresses": [{"address": "198.51.100.10", "description": "web"}],
    "zones": [
        {
            "name": "dinkes.example.id",
            "records": [{"name": "www", "type": "A", "value": "198.51.100.10"}],
        }
    ],
    "devices": [
        {
            "name": "SRV-Z1",
            "tenant": "dinkes",
            "rack": "RZ1",
            "position": 10,
            "u_height": 1,
            "feeds": ["PDU-Z1"],
            "power_w": 100,
            "serial": "SN-1",
        }
    ],
}

GOOD_REQUEST: dict[str, Any] = {
    "number": "800/900/BKPSDM/2026",
    "date": "2026-11-20",
    "tenant": "bkpsdm",
    "purpose": "Server aplikasi",
    "server": {"u_height": 1, "power_w": 200, "psu": 2},
    "ipv4": {"public": 1},
    "domains": ["aplikasi.sumbawakab.go.id"],
}

GOOD_DEVICE_TYPE: dict[str, Any] = {
    "manufacturer": "Acme",
    "model": "Box 1",
    "slug": "acme-box-1",
    "u_height": 1,
    "weight": 10,
    "weight_unit": "kg",
    "power-ports": [{"name": "PSU1", "maximum_draw": 500}],
}


def _set(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the document with the value at a dotted path (``devices.0.name``) replaced."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return changed


# --- the cases ---------------------------------------------------------------------------------

HUGE = 9_300_000_000_000_000  # above what a 64-bit column of thousandths holds

INVENTORY_CASES: dict[str, tuple[str, Any, str]] = {
    # id: (where, hostile value, the field the refusal must name)
    "tenant-name-300-characters": ("tenants.0.name", "T" * 300, "tenants[0].name"),
    "tenant-name-with-escape": ("tenants.0.name", "Dinas\x1b[31m", "tenants[0].name"),
    "rack-name-with-nul": ("racks.0.name", "R\x00Z", "racks[0].name"),
    "rack-name-with-bidi-override": ("racks.0.name", "RZ\u202e1", "racks[0].name"),
    "device-name-with-leading-space": ("devices.0.name", " SRV-Z1", "devices[0].name"),
    "device-name-with-newline": ("devices.0.name", "SRV\nZ1", "devices[0].name"),
    "device-serial-150-characters": ("devices.0.serial", "S" * 150, "devices[0].serial"),
    "ip-description-with-delete": (
        "ip_addresses.0.description",
        "web\x7f",
        "ip_addresses[0].description",
    ),
    "tenant-slug-100-characters": ("tenants.0.slug", "d" * 100, "tenants[0].slug"),
    "power-beyond-the-column": ("devices.0.power_w", HUGE, "devices[0].power_w"),
    "power-1e308": ("devices.0.power_w", 1e308, "devices[0].power_w"),
    "power-nan": ("devices.0.power_w", float("nan"), "devices[0].power_w"),
    "power-infinite": ("devices.0.power_w", float("inf"), "devices[0].power_w"),
    "weight-as-boolean": ("devices.0.weight_kg", True, "devices[0].weight_kg"),
    "ups-capacity-1e20": ("ups.0.capacity_kva", 10**20, "ups[0].capacity_kva"),
    "uplink-capacity-beyond-the-column": (
        "uplinks.0.capacity_mbps",
        HUGE,
        "uplinks[0].capacity_mbps",
    ),
    "feed-voltage-1e300": ("power_feeds.0.voltage", 1e300, "power_feeds[0].voltage"),
    "rack-height-a-trillion": ("racks.0.u_height", 10**12, "racks[0].u_height"),
    "rack-weight-beyond-the-column": ("racks.0.max_weight_kg", HUGE, "racks[0].max_weight_kg"),
    "device-position-beyond-the-column": ("devices.0.position", 10**19, "devices[0].position"),
    "unusable-unit-beyond-the-column": (
        "racks.0.unusable_units",
        [10**19],
        "racks[0].unusable_units[0]",
    ),
    "working-days-a-billion": (
        "policy",
        {"reservation_working_days": 10**9},
        "policy.reservation_working_days",
    ),
    "oversubscription-1e18": (
        "policy",
        {"bandwidth_oversubscription": 10**18},
        "policy.bandwidth_oversubscription",
    ),
    "address-with-zone-id": (
        "ip_addresses.0",
        {"address": "fe80::1%eth0"},
        "ip_addresses[0].address",
    ),
    "one-address-written-twice": (
        "ip_addresses",
        [{"address": "fe80::1"}, {"address": "FE80::0001"}],
        "ip_addresses[1].address",
    ),
    "version-as-decimal": ("version", 1.0, "version"),
    "version-as-boolean": ("version", True, "version"),
    "zone-with-invalid-punycode": ("zones.0.name", "xn--zz.example.id", "zones[0].name"),
    "record-name-with-invalid-punycode": (
        "zones.0.records.0.name",
        "xn--zz",
        "zones[0].records[0].name",
    ),
    "aaaa-record-with-zone-id": (
        "zones.0.records.0",
        {"name": "v6", "type": "AAAA", "value": "fe80::1%eth0"},
        "zones[0].records[0].value",
    ),
    "two-thousand-reserved-labels": (
        "policy",
        {"reserved_labels": ["x"] * 2000},
        "policy.reserved_labels",
    ),
}

REQUEST_CASES: dict[str, tuple[str, Any, str]] = {
    "a-billion-ipv6-addresses": ("ipv6", {"public": 1_000_000_000}, "ipv6.public"),
    "addresses-of-a-hundred-roles": ("ipv4", {f"r{i}": 1 for i in range(100)}, "ipv4"),
    "power-1e308": ("server.power_w", 1e308, "server.power_w"),
    "power-nan": ("server.power_w", float("nan"), "server.power_w"),
    "power-beyond-the-column": ("server.power_w", HUGE, "server.power_w"),
    "power-as-boolean": ("server.power_w", True, "server.power_w"),
    "height-ten-billion-units": ("server.u_height", 10**10, "server.u_height"),
    "bandwidth-1e300": ("server.bandwidth_mbps", 1e300, "server.bandwidth_mbps"),
    "weight-infinite": ("server.weight_kg", float("inf"), "server.weight_kg"),
    "tenant-with-escape": ("tenant", "bkpsdm\x1b", "tenant"),
    "purpose-with-bidi-override": ("purpose", "Server \u202eSIMPEG", "purpose"),
    "number-with-nul": ("number", "800\x00/BKPSDM", "number"),
    "model-300-characters": ("server.model", "M" * 300, "server.model"),
    "a-thousand-domains": ("domains", [f"n{i}.sumbawakab.go.id" for i in range(1000)], "domains"),
}

DEVICE_TYPE_CASES: dict[str, tuple[str, Any, str]] = {
    "manufacturer-300-characters": ("manufacturer", "A" * 300, "manufacturer"),
    "model-with-bidi-override": ("model", "Box\u202e1", "model"),
    "draw-beyond-the-column": ("power-ports.0.maximum_draw", HUGE, "power-ports[0].maximum_draw"),
    "height-1e308": ("u_height", 1e308, "u_height"),
    "weight-nan": ("weight", float("nan"), "weight"),
    "weight-twenty-tonnes": ("weight", 20_000, "weight"),
    "part-number-with-escape": ("part_number", "PN\x1b", "part_number"),
}

BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)

# Whole-file cases every command meets: (text or bytes, what the message must say).
FILE_CASES: dict[str, tuple[str | bytes, str]] = {
    # The reason in the operator's language: Bahasa Indonesia, the command line's default.
    "billion-laughs": (BILLION_LAUGHS, "elemen"),
    "alias-to-itself": ("a: &a [*a]\n", "bersarang lebih dalam"),
    "nested-200-levels": ("[" * 200 + "]" * 200 + "\n", "bersarang lebih dalam"),
    "larger-than-the-limit": ("# " + "x" * (21 * 1024 * 1024) + "\n", "lebih besar dari"),
    "duplicate-key": ("version: 1\nversion: 1\n", "kunci 'version' tercantum dua kali"),
    "not-utf8": (b"version: 1\nname: \xff\xfe\n", "bukan teks UTF-8"),
    "huge-integer": ("version: " + "9" * 5000 + "\n", "tidak dapat dibaca"),
}


# --- running -----------------------------------------------------------------------------------


@pytest.fixture
def dcim(
    db_url: str, run_cli: Callable[..., CliResult], tmp_path: Path
) -> Callable[..., CliResult]:
    """``dcim --db URL ...`` on a database holding the contract's example inventory."""

    def run(*args: str | Path) -> CliResult:
        return run_cli("--db", db_url, *args)

    loaded = run("load", SPEC_INVENTORY)
    assert loaded.exit_code == 0, loaded.stderr
    return run


def write(folder: Path, name: str, document: Any) -> Path:
    """A YAML (or raw) file in the folder."""
    path = folder / name
    if isinstance(document, bytes):
        path.write_bytes(document)
    elif isinstance(document, str):
        path.write_text(document, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, allow_unicode=False), encoding="utf-8")
    return path


def state(dcim: Callable[..., CliResult]) -> tuple[str, str]:
    """What the database holds: the inventory export and the device-type catalog."""
    exported = dcim("export")
    catalog = dcim("catalog", "list", "--json")
    assert exported.exit_code == 0 and catalog.exit_code == 0
    return exported.stdout, catalog.stdout


def refused(result: CliResult, started: float, path: Path, field: str) -> None:
    """Exit 2, the file and the field named, no internal error, in time."""
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:], result.stderr[-500:])
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    for marker in INTERNAL:
        assert marker not in result.stderr and marker not in result.stdout
    named = [line for line in result.stderr.splitlines() if str(path) in line]
    assert named, result.stderr
    assert any(f": {field}:" in line for line in named), result.stderr


# --- the tests ---------------------------------------------------------------------------------


def test_the_good_documents_are_accepted_so_each_case_tests_its_one_hostile_value(
    dcim: Callable[..., CliResult], tmp_path: Path
) -> None:
    device_types = tmp_path / "types"
    device_types.mkdir()
    write(device_types, "acme.yaml", GOOD_DEVICE_TYPE)
    assert dcim("load", write(tmp_path, "good.yaml", GOOD_ADDITION)).exit_code == 0
    assert dcim("check", write(tmp_path, "req.yaml", GOOD_REQUEST), "--on", ON).exit_code == 0
    assert dcim("catalog", "import", device_types).exit_code == 0


@pytest.mark.parametrize("case", sorted(INVENTORY_CASES))
def test_a_hostile_inventory_value_is_refused_naming_the_field(
    dcim: Callable[..., CliResult], tmp_path: Path, case: str
) -> None:
    where, value, field = INVENTORY_CASES[case]
    path = write(tmp_path, f"{case}.yaml", _set(GOOD_ADDITION, where, value))
    before = state(dcim)
    started = time.monotonic()
    refused(dcim("load", path), started, path, field)
    assert state(dcim) == before


@pytest.mark.parametrize("command", ["check", "reserve", "request submit"])
@pytest.mark.parametrize("case", sorted(REQUEST_CASES))
def test_a_hostile_request_value_is_refused_naming_the_field(
    dcim: Callable[..., CliResult], tmp_path: Path, case: str, command: str
) -> None:
    where, value, field = REQUEST_CASES[case]
    path = write(tmp_path, f"{case}.yaml", _set(GOOD_REQUEST, where, value))
    before = state(dcim)
    started = time.monotonic()
    refused(dcim(*command.split(), path, "--on", ON), started, path, field)
    assert state(dcim) == before


@pytest.mark.parametrize("case", sorted(DEVICE_TYPE_CASES))
def test_a_hostile_device_type_is_refused_naming_the_field(
    dcim: Callable[..., CliResult], tmp_path: Path, case: str
) -> None:
    where, value, field = DEVICE_TYPE_CASES[case]
    path = write(tmp_path, f"{case}.yaml", _set(GOOD_DEVICE_TYPE, where, value))
    before = state(dcim)
    started = time.monotonic()
    refused(dcim("catalog", "import", path), started, path, field)
    assert state(dcim) == before


FILE_COMMANDS = {
    "load": ("load", "FILE"),
    "check": ("check", "FILE", "--on", ON),
    "reserve": ("reserve", "FILE", "--on", ON),
    "request-submit": ("request", "submit", "FILE", "--on", ON),
    "catalog-import": ("catalog", "import", "FILE"),
    "plan": ("plan", "FILE", "--on", ON),
}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # refused before the database
@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_a_hostile_file_is_refused_by_every_command_that_reads_one(
    dcim: Callable[..., CliResult], tmp_path: Path, case: str, command: str
) -> None:
    content, reason = FILE_CASES[case]
    path = write(tmp_path, f"{case}.yaml", content)
    args = [path if arg == "FILE" else arg for arg in FILE_COMMANDS[command]]
    before = state(dcim)
    started = time.monotonic()
    result = dcim(*args)
    assert result.exit_code == 2, result.stderr[-500:]
    assert time.monotonic() - started < SECONDS
    assert not any(marker in result.stderr for marker in INTERNAL)
    assert any(str(path) in line and reason in line for line in result.stderr.splitlines()), (
        result.stderr[-500:]
    )
    assert state(dcim) == before


# A date the calendar does not have, written where each file keeps a date: (file, command,
# the field the message must name). YAML reads 2026-13-45 as a date it cannot build; the
# file's schema refuses it, naming the field, instead of the parser refusing the whole file.
SPEC_FILES = SPEC_INVENTORY.parent
PLAN_EXAMPLE = Path(__file__).resolve().parents[2] / "dcim_demo" / "data" / "plan-2027.yaml"
IMPOSSIBLE_DATES = {
    "load": (SPEC_INVENTORY, "expires_at: 2026-12-15", "reservations[0].expires_at"),
    "check": (SPEC_FILES / "request-simpeg.yaml", "date: 2026-11-20", "date"),
    "reserve": (SPEC_FILES / "request-simpeg.yaml", "date: 2026-11-20", "date"),
    "request-submit": (SPEC_FILES / "request-simpeg.yaml", "date: 2026-11-20", "date"),
    "plan": (PLAN_EXAMPLE, "on: 2027-02-01", "servers[0].on"),
}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # refused before the database
@pytest.mark.parametrize("command", sorted(IMPOSSIBLE_DATES))
def test_an_impossible_date_is_refused_naming_its_field(
    dcim: Callable[..., CliResult], tmp_path: Path, command: str
) -> None:
    source, written, field = IMPOSSIBLE_DATES[command]
    text = source.read_text(encoding="utf-8")
    assert written in text
    key = written.split(":")[0]
    path = write(tmp_path, "impossible-date.yaml", text.replace(written, f"{key}: 2026-13-45", 1))
    args = [path if arg == "FILE" else arg for arg in FILE_COMMANDS[command]]
    before = state(dcim)
    result = dcim(*args)
    assert result.exit_code == 2, result.stderr[-500:]
    assert not any(marker in result.stderr for marker in INTERNAL)
    # One line names the field and quotes the value, in the operator's language.
    assert any(
        f"{field}: harus berupa tanggal" in line and "2026-13-45" in line
        for line in result.stderr.splitlines()
    ), result.stderr[-500:]
    assert state(dcim) == before


def test_a_malformed_domain_fails_the_domain_check_with_its_reason(
    dcim: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = write(tmp_path, "req.yaml", _set(GOOD_REQUEST, "domains", ["xn--zz.sumbawakab.go.id"]))
    result = dcim("check", path, "--on", ON, "--json")
    assert result.exit_code == 1, result.stderr
    domain = json.loads(result.stdout)["checks"]["domain"]
    assert domain["ok"] is False
    assert "xn--zz" in domain["message"]


def test_a_malformed_domain_is_refused_at_submission_naming_it(
    dcim: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "req.yaml",
        _set(GOOD_REQUEST, "domains", ["ok.sumbawakab.go.id", "xn--zz.sumbawakab.go.id"]),
    )
    before = state(dcim)
    started = time.monotonic()
    result = dcim("request", "submit", path, "--on", ON, "--lang", "en")
    refused(result, started, path, "domains[1]")
    assert "IDNA" in result.stderr
    assert state(dcim) == before


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        # The reason in the operator's language (Bahasa Indonesia by default).
        (" SRV-X", "spasi"),
        ("SRV\x1bX", "U+001B"),
        ("SRV\u202eX", "U+202E"),
        ("S" * 101, "lebih panjang dari 100"),
    ],
    ids=["leading-space", "escape", "bidi-override", "101-characters"],
)
def test_commit_refuses_a_device_name_that_export_and_load_would_not_take_back(
    dcim: Callable[..., CliResult], tmp_path: Path, name: str, reason: str
) -> None:
    held = dcim("reserve", write(tmp_path, "req.yaml", GOOD_REQUEST), "--on", ON, "--json")
    assert held.exit_code == 0, held.stderr
    code = json.loads(held.stdout)["reservation"]["id"]
    before = state(dcim)
    result = dcim("commit", code, "--name", name, "--on", ON)
    assert result.exit_code == 2
    assert any(line.startswith("--name:") and reason in line for line in result.stderr.splitlines())
    assert state(dcim) == before


def test_the_apps_upload_limit_is_the_inventory_files_limit() -> None:
    import tomllib

    from dcim.inventory.yamlio import INVENTORY_LIMITS, MIB
    from dcim_ui.launch import SETTINGS_FILE

    config = tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * MIB == INVENTORY_LIMITS.max_bytes


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("config", "timezone", "Asia/" + "x" * 5000), "timezone"),
        (("config", "timezone", "Asia/Makassar\x00"), "timezone"),
        (("holidays", "add", "2026-01-22", "H" * 201), "name"),
        (("holidays", "add", "2026-01-22", "Hari\x1b[2J"), "name"),
    ],
    ids=[
        "timezone-5000-characters",
        "timezone-with-nul",
        "holiday-201-characters",
        "holiday-with-escape",
    ],
)
def test_a_hostile_calendar_argument_is_refused_naming_the_field(
    dcim: Callable[..., CliResult], args: tuple[str, ...], field: str
) -> None:
    before = dcim("holidays", "list", "--year", "2026", "--json")
    result = dcim(*args)
    assert result.exit_code == 2, result.stderr[-300:]
    assert not any(marker in result.stderr for marker in INTERNAL)
    assert any(line.startswith(f"{field}:") for line in result.stderr.splitlines()), result.stderr[
        -300:
    ]
    assert dcim("holidays", "list", "--year", "2026", "--json").stdout == before.stdout


ACTION_DATA_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "instruction-with-escape": (
        "disposition",
        {"instruction": "Segera\x1b[2J"},
        "data.instruction",
    ),
    "serial-with-bidi-override": (
        "install",
        {"u_height": 1, "psu": 2, "serial": "SN\u202e1"},
        "data.serial",
    ),
    "serial-longer-than-its-column": (
        "install",
        {"u_height": 1, "psu": 2, "serial": "S" * 101},
        "data.serial",
    ),
    "checklist-detail-with-nul": (
        "checklist",
        {"items": {"rack": {"status": "done", "detail": "ok\x00"}}},
        "data.items.rack.detail",
    ),
}


@pytest.mark.parametrize("case", sorted(ACTION_DATA_CASES))
def test_hostile_action_data_is_refused_naming_the_field(tmp_path: Path, case: str) -> None:
    from colocation.action_data import parse_data
    from colocation.actions import ACTIONS
    from dcim.errors import InputError
    from dcim.inventory.yamlio import read_yaml_file

    kind, data, field = ACTION_DATA_CASES[case]
    path = write(tmp_path, f"{case}.yaml", data)
    with pytest.raises(InputError) as refused_data:
        parse_data(ACTIONS.handler(kind).data_model, read_yaml_file(path), str(path))
    assert [problem.path for problem in refused_data.value.problems] == [field]


@pytest.mark.parametrize(
    "domain",
    ["a\x1b[31mb.sumbawakab.go.id", "x\u202eb.sumbawakab.go.id"],
    ids=["escape", "bidi-override"],
)
def test_a_domain_with_a_control_character_fails_the_check_and_is_shown_escaped(
    dcim: Callable[..., CliResult], tmp_path: Path, domain: str
) -> None:
    path = write(tmp_path, "req.yaml", _set(GOOD_REQUEST, "domains", [domain]))
    result = dcim("check", path, "--on", ON, "--json", "--lang", "en")
    assert result.exit_code == 1, result.stderr
    message = json.loads(result.stdout)["checks"]["domain"]["message"]
    assert "\\u" in message
    assert all(char.isprintable() for char in message), message


def test_an_endless_scanned_letter_is_refused_as_too_big_without_being_read_whole(
    dcim: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = write(tmp_path, "req.yaml", GOOD_REQUEST)
    started = time.monotonic()
    result = dcim("request", "submit", path, "--attach", "/dev/zero", "--on", ON)
    assert result.exit_code == 2
    assert time.monotonic() - started < SECONDS
    assert any(line.startswith("zero: attachment:") for line in result.stderr.splitlines())
