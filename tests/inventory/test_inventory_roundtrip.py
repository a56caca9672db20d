"""Load, export, load again: an inventory survives the database unchanged.

``dcim export`` writes the format ``dcim load`` reads, so an export loaded into
a fresh database exports the same text again; and what a file says comes back
out, only in stored form (IDNA names, canonical addresses).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, select

from dcim.db import read_session
from dcim.inventory.schema import InventoryFile
from dcim.models import NameClaim

INVENTORY = Path(__file__).resolve().parents[1] / "fixtures" / "inventory"
EXAMPLE = INVENTORY.parent / "spec-example" / "inventory.yaml"
EVERY_FIELD = INVENTORY / "every-field.yaml"


def _load(run_cli: Callable[..., Any], db_url: str, path: Path) -> None:
    result = run_cli("--db", db_url, "load", path)
    assert result.exit_code == 0, result.stderr


def _export(run_cli: Callable[..., Any], db_url: str) -> str:
    result = run_cli("--db", db_url, "export")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _as_loaded(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the format reads it, with every default filled in."""
    return InventoryFile.model_validate(document).model_dump(mode="json")


def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", [EXAMPLE, EVERY_FIELD], ids=["spec example", "every field"])
def test_an_export_loaded_into_a_fresh_database_exports_the_same(
    source: Path,
    engine: Engine,
    db_url: str,
    make_database: Callable[[], str],
    run_cli: Callable[..., Any],
    tmp_path: Path,
) -> None:
    _load(run_cli, db_url, source)
    first = _export(run_cli, db_url)
    exported = tmp_path / "ekspor.yaml"
    exported.write_text(first, encoding="utf-8")
    fresh = make_database()
    _load(run_cli, fresh, exported)
    assert _export(run_cli, fresh) == first


def test_the_export_says_what_the_example_says(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    _load(run_cli, db_url, EXAMPLE)
    expected = _read(EXAMPLE)
    # The example names no policy; the export writes the contract's defaults.
    expected["policy"] = {}
    assert _as_loaded(yaml.safe_load(_export(run_cli, db_url))) == _as_loaded(expected)


def test_the_export_keeps_every_field_of_the_file(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    _load(run_cli, db_url, EVERY_FIELD)
    expected = _read(EVERY_FIELD)
    # Stored forms: a one-address reserved range, IDNA labels, names in lower case.
    expected["prefixes"][0]["reserved_ranges"][1] = "203.0.113.62-203.0.113.62"
    expected["zones"][0]["records"][8]["name"] = "perpustakaan.xn--bcher-kva"
    expected["reservations"][0]["fqdns"] = [
        "xn--bcher-kva.sumbawakab.go.id",
        "simrs.sumbawakab.go.id",
    ]
    assert _as_loaded(yaml.safe_load(_export(run_cli, db_url))) == _as_loaded(expected)


def test_the_export_writes_three_phase_power_ipv6_unusable_units_and_rear_equipment(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    _load(run_cli, db_url, EVERY_FIELD)
    exported = yaml.safe_load(_export(run_cli, db_url))
    feeds = {feed["name"]: feed for feed in exported["power_feeds"]}
    assert (feeds["PDU-A01-A"]["phase"], feeds["PDU-A01-A"]["voltage"]) == ("three", 400)
    assert [p["prefix"] for p in exported["prefixes"]][2] == "2001:db8:30::/48"
    assert exported["racks"][0]["unusable_units"] == [1, 2, 47]
    rear = [d["name"] for d in exported["devices"] if d["face"] == "rear" and not d["full_depth"]]
    assert rear == ["PATCH-A01-R"]
    assert exported["reservations"][0]["ips"][1] == "2001:db8:30::120"


def test_an_internationalised_name_is_stored_in_its_idna_form(
    engine: Engine, db_url: str, run_cli: Callable[..., Any]
) -> None:
    _load(run_cli, db_url, EVERY_FIELD)
    with read_session(engine) as session:
        held = set(session.scalars(select(NameClaim.fqdn)))
    assert held == {"xn--bcher-kva.sumbawakab.go.id", "simrs.sumbawakab.go.id"}
    exported = _export(run_cli, db_url)
    assert "ücher" not in exported
    assert "xn--bcher-kva.sumbawakab.go.id" in exported


def test_an_internationalised_name_clashes_with_its_idna_form_in_any_case(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    _load(run_cli, db_url, EVERY_FIELD)
    later = {
        "version": 1,
        "reservations": [
            {
                "id": "RSV-2026-0013",
                "rack": "A03",
                "position": 1,
                "u_height": 1,
                "fqdns": ["BÜCHER.Sumbawakab.go.id."],
                "expires_at": "2026-12-31",
            }
        ],
    }
    path = tmp_path / "permohonan.yaml"
    path.write_text(yaml.safe_dump(later, allow_unicode=True), encoding="utf-8")
    code, _, err = run_cli("--db", db_url, "--lang", "en", "load", path)
    assert code == 2
    assert err.splitlines() == [
        f"{path}: reservations[0].fqdns[0]: 'xn--bcher-kva.sumbawakab.go.id' is already held by "
        "reservation 'RSV-2026-0011'"
    ]
