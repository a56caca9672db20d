"""A hold past its expiry gives way: a new hold may take its units, addresses and names."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import select

from dcim.db import get_engine, read_session
from dcim.models import AuditEntry, IPAddress, NameClaim, RackUnit, Reservation

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"


def _inventory_with_an_expired_hold(tmp_path: Path) -> Path:
    """The contract's example, its hold (R02 U20, 203.0.113.6, sipd) expired on 2026-11-20."""
    data = yaml.safe_load((EXAMPLES / "inventory.yaml").read_text(encoding="utf-8"))
    data["reservations"][0]["expires_at"] = "2026-11-20"
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_new_hold_takes_the_address_and_name_of_an_expired_one_and_ends_it(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", _inventory_with_an_expired_hold(tmp_path)).exit_code == 0
    request = tmp_path / "request.yaml"
    request.write_text(
        yaml.safe_dump(
            {
                "tenant": "bappeda",
                "server": {"u_height": 1, "power_w": 200},
                "ipv4": {"public": 1},
                "domains": ["sipd.sumbawakab.go.id"],
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("--db", db_url, "reserve", request, "--on", "2026-11-27", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    # 203.0.113.6 was the old hold's: free again, and the lowest free public address.
    assert document["proposal"]["ipv4"] == {"public": ["203.0.113.6"]}
    with read_session(get_engine(db_url)) as session:
        old = session.scalar(select(Reservation).where(Reservation.code == "RSV-2026-0001"))
        assert old is not None and old.status == "expired"
        assert (
            session.scalars(select(RackUnit).where(RackUnit.reservation_id == old.id)).all() == []
        )
        assert (
            session.scalars(select(IPAddress).where(IPAddress.reservation_id == old.id)).all() == []
        )
        holder = session.scalar(
            select(NameClaim.reservation_id).where(NameClaim.fqdn == "sipd.sumbawakab.go.id")
        )
        assert holder is not None and holder != old.id
        # The audit log says who ended it and why: the time ran out, in the reserver's name.
        ended = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "expire", AuditEntry.entity_key == "RSV-2026-0001"
            )
        ).all()
        assert len(ended) == 1
        assert ended[0].channel == "operator" and ended[0].data["expires_at"] == "2026-11-20"


def test_an_expired_hold_is_left_alone_when_nothing_it_held_is_needed(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", _inventory_with_an_expired_hold(tmp_path)).exit_code == 0
    request = tmp_path / "request.yaml"
    request.write_text(
        yaml.safe_dump({"tenant": "bkpsdm", "server": {"u_height": 1, "power_w": 200}}), "utf-8"
    )
    assert run_cli("--db", db_url, "reserve", request, "--on", "2026-11-27").exit_code == 0
    with read_session(get_engine(db_url)) as session:
        old = session.scalar(select(Reservation).where(Reservation.code == "RSV-2026-0001"))
        assert (
            old is not None and old.status == "held"
        )  # past its date, but nobody needed its claims yet
