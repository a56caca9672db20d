"""Every bounded text column is at least as wide as the longest value its input accepts.

A value longer than its column is refused by PostgreSQL with an internal
error (SQLite stores it anyway), so the bound must sit in the input. The
table below says, for every ``String(n)`` column, what feeds it: a field of a
file or form model (its ``max_length`` must fit), a choice set (its longest
value must fit), or a value the program makes itself (its longest form must
fit). A new column that is not in the table fails the test, so the two
cannot drift apart again.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import Engine, String, Text

import colocation.models  # noqa: F401  (registers the workflow's tables)
from capacity.request import CapacityRequest, ServerSpec
from colocation import choices as workflow_choices
from colocation.action_data import InstallData
from dcim import choices
from dcim.accounts import create_user, operator
from dcim.calendar_settings import add_local_holiday
from dcim.catalog import DeviceTypeFile
from dcim.db import write_session
from dcim.errors import InputError
from dcim.inventory import schema
from dcim.inventory.fields import MAX_RACK_UNITS
from dcim.models.base import Base
from dcim.names import MAX_NAME_LENGTH


@dataclass(frozen=True)
class FromField:
    """The column stores a field of a file or form model."""

    model: type[BaseModel]
    field: str


@dataclass(frozen=True)
class FromChoices:
    """The column stores one of a choice set's values."""

    choices: type[StrEnum]


@dataclass(frozen=True)
class Made:
    """The program makes the value; ``longest`` is its longest possible form."""

    longest: int
    why: str


IPV6_TEXT = len("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")  # the longest address text


@dataclass(frozen=True)
class Checked:
    """A service bounds the value by this column itself (tested below by going one over)."""

    service: str


USER_FIELD = Checked("dcim.accounts.create_user")
ROLE = FromChoices(choices.Role)
USERNAME = Made(64, "a username, bounded by users.username")
STATE = Made(64, "an SOP state or action key; colocation.sop bounds keys to 64")

FEEDS: dict[str, FromField | FromChoices | Made | Checked] = {
    "access_tokens.key": Made(12, "dcim.tokens makes a 12-hex-digit key"),
    "access_tokens.secret_sha256": Made(64, "a SHA-256 in hex"),
    "access_tokens.label": Made(100, "dcim.tokens.create_token refuses a longer label"),
    "audit_log.channel": FromChoices(choices.Channel),
    "sign_in_throttle.kind": FromChoices(choices.ThrottleKind),
    "sign_in_throttle.key": Made(64, "dcim.signin cuts a name or an address to 64 characters"),
    "audit_log.username": USERNAME,
    "audit_log.role": ROLE,
    "audit_log.action": Made(40, "an action name written in the code, such as 'inventory.load'"),
    "audit_log.entity": Made(30, "an entity name written in the code"),
    "audit_log.entity_key": Made(200, "dcim.accounts.record keeps a longer key's end"),
    "colocation_attachments.filename": Made(255, "cut to 255 by colocation.workflow"),
    "colocation_attachments.media_type": Made(20, "one of the SOP's media types"),
    "colocation_attachments.sha256": Made(64, "a SHA-256 in hex"),
    "colocation_attachments.uploaded_by": USERNAME,
    "colocation_dispositions.agenda_number": Made(64, "the agenda number colocation makes"),
    "colocation_dispositions.urgency": FromChoices(workflow_choices.LetterUrgency),
    "colocation_dispositions.from_role": ROLE,
    "colocation_dispositions.from_username": USERNAME,
    "colocation_dispositions.from_name": Made(200, "a user's full name, bounded by its column"),
    "colocation_dispositions.to_role": ROLE,
    "colocation_documents.kind": STATE,
    "colocation_documents.number": Made(100, "a letter number colocation makes"),
    "colocation_documents.username": USERNAME,
    "colocation_request_events.username": USERNAME,
    "colocation_request_events.full_name": Made(200, "a user's full name"),
    "colocation_request_events.role": ROLE,
    "colocation_request_events.action": STATE,
    "colocation_request_events.from_state": STATE,
    "colocation_request_events.to_state": STATE,
    "colocation_request_events.outcome": STATE,
    "colocation_requests.code": Made(len("REQ-2026-000000"), "a request code"),
    "colocation_requests.letter_number": FromField(CapacityRequest, "number"),
    "colocation_requests.purpose": FromField(CapacityRequest, "purpose"),
    "colocation_requests.state": STATE,
    "colocation_requests.status": FromChoices(workflow_choices.RequestStatus),
    "colocation_requests.submitted_by": USERNAME,
    "colocation_requests.agenda_number": Made(64, "the agenda number colocation makes"),
    "colocation_requests.urgency": FromChoices(workflow_choices.LetterUrgency),
    "colocation_requests.reservation_code": Made(len("RSV-2026-000000"), "a hold code"),
    "colocation_requests.device_name": FromField(InstallData, "name"),
    "device_types.slug": FromField(DeviceTypeFile, "slug"),
    "device_types.manufacturer": FromField(DeviceTypeFile, "manufacturer"),
    "device_types.model": FromField(DeviceTypeFile, "model"),
    "device_types.part_number": FromField(DeviceTypeFile, "part_number"),
    "device_types.airflow": FromField(DeviceTypeFile, "airflow"),
    "devices.name": FromField(schema.DeviceEntry, "name"),
    "devices.face": FromChoices(choices.Face),
    "devices.model": FromField(schema.DeviceEntry, "model"),
    "devices.serial": FromField(schema.DeviceEntry, "serial"),
    "devices.status": FromChoices(choices.DeviceStatus),
    "dns_name_claims.fqdn": Made(MAX_NAME_LENGTH, "a name normalised by dcim.names"),
    "dns_records.name": Made(MAX_NAME_LENGTH, "a name normalised by dcim.names"),
    "dns_records.type": FromChoices(choices.RecordType),
    "ip_addresses.address": Made(IPV6_TEXT, "an address's text; zone ids are refused"),
    "ip_addresses.description": FromField(schema.IPAddressEntry, "description"),
    "ip_addresses.status": FromChoices(choices.IPStatus),
    "local_holidays.name": Checked("dcim.calendar_settings.add_local_holiday"),
    "organization.government": FromField(schema.OrganizationEntry, "government"),
    "organization.office": FromField(schema.OrganizationEntry, "office"),
    "organization.city": FromField(schema.OrganizationEntry, "city"),
    "policy.redundancy": FromChoices(choices.Redundancy),
    "power_feeds.name": FromField(schema.PowerFeedEntry, "name"),
    "power_feeds.phase": FromChoices(choices.Phase),
    "prefix_reserved_ranges.first": Made(IPV6_TEXT, "an address's text"),
    "prefix_reserved_ranges.last": Made(IPV6_TEXT, "an address's text"),
    "prefixes.prefix": FromField(schema.PrefixEntry, "prefix"),
    "prefixes.network_key": Made(32, "a 128-bit network address in hex"),
    "prefixes.role": FromField(schema.PrefixEntry, "role"),
    "prefixes.gateway": FromField(schema.PrefixEntry, "gateway"),
    "rack_units.face": FromChoices(choices.Face),
    "rack_units.kind": FromChoices(choices.UnitClaimKind),
    "racks.front_units": Made(MAX_RACK_UNITS, "the claim triggers keep one character per unit"),
    "racks.rear_units": Made(MAX_RACK_UNITS, "the claim triggers keep one character per unit"),
    "racks.name": FromField(schema.RackEntry, "name"),
    "racks.status": FromChoices(choices.RackStatus),
    "reservations.code": FromField(schema.ReservationEntry, "id"),
    "reservations.request_number": FromField(schema.ReservationEntry, "request"),
    "reservations.face": FromChoices(choices.Face),
    "reservations.status": FromChoices(choices.HoldStatus),
    "reservations.model": FromField(ServerSpec, "model"),
    "reservations.purpose": FromField(CapacityRequest, "purpose"),
    "sequences.name": Made(40, "a sequence name written in the code"),
    "settings.key": Made(40, "a setting name written in the code"),
    "sites.slug": FromField(schema.SiteEntry, "slug"),
    "sites.name": FromField(schema.SiteEntry, "name"),
    "tenants.slug": FromField(schema.TenantEntry, "slug"),
    "tenants.name": FromField(schema.TenantEntry, "name"),
    "uplinks.name": FromField(schema.UplinkEntry, "name"),
    "ups.name": FromField(schema.UPSEntry, "name"),
    "users.username": USER_FIELD,
    "users.full_name": USER_FIELD,
    "users.role": ROLE,
    "users.nip": USER_FIELD,
    "users.position": USER_FIELD,
    "users.password_hash": Made(100, "an argon2id hash"),
    "users.rank": USER_FIELD,
    "users.email": Made(254, "dcim.mail.normalized_email refuses an address over 254"),
    "app_sessions.id": Made(43, "dcim.sessions: secrets.token_urlsafe of 32 bytes"),
    "app_sessions.ticket_sha256": Made(64, "a SHA-256 in hex"),
    "app_sessions.client_address": Made(64, "dcim.sessions cuts the address to its column"),
    "app_sessions.user_agent": Made(200, "dcim.sessions cuts the user agent to its column"),
    "app_sessions.revoked_reason": FromChoices(choices.SessionEnd),
    "colocation_notifications.reason": FromChoices(workflow_choices.NotificationReason),
    "colocation_notifications.dedupe_key": Made(
        95, "colocation.notifications: kind, ids, an SOP state (at most 64) and a date"
    ),
    "colocation_notifications.recipient": Made(254, "a user's address, at most 254"),
    "colocation_notifications.subject": Made(300, "cut to 300 by colocation.notifications"),
    "colocation_notifications.last_error": Made(500, "cut to 500 by colocation.notifications"),
    "utilization_snapshots.resource": Made(10, "a resource name written in the code"),
    "utilization_snapshots.scope": Made(200, "a rack, feed, UPS, uplink or prefix name"),
    "zones.name": Made(MAX_NAME_LENGTH, "a name normalised by dcim.names"),
}

# Fields stored elsewhere whose bound must also fit: the hold a request makes copies them.
ALSO_FED = {
    "devices.serial": FromField(InstallData, "serial"),
    "devices.model": FromField(InstallData, "model"),
    "devices.name": FromField(InstallData, "name"),
    "device_types.source": None,  # Text since migration 0005: a path has no useful bound
}


def bounded_text_columns() -> dict[str, int]:
    """Every ``String(n)`` column of the schema, by ``table.column``."""
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, String)
        and not isinstance(column.type, Text)
        and column.type.length is not None
    }


def longest_accepted(model: type[BaseModel], field: str) -> int | None:
    """The ``max_length`` of a model's text field (or of a list's items); None when unbounded."""
    info = model.model_fields[field]
    if info.annotation is str:
        return _max_length(info.metadata)
    return _text_bound(info.annotation)


def _max_length(metadata: typing.Iterable[Any]) -> int | None:
    lengths = [m.max_length for m in metadata if getattr(m, "max_length", None) is not None]
    return min(lengths) if lengths else None


def _text_bound(annotation: Any) -> int | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return _max_length(metadata) if base is str else _text_bound(base)
    if origin in (typing.Union, types.UnionType, list):
        bounds = [_text_bound(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return None if None in bounds or not bounds else max(bounds)
    return None


def test_every_bounded_text_column_says_what_feeds_it() -> None:
    columns = bounded_text_columns()
    unlisted = sorted(set(columns) - set(FEEDS))
    gone = sorted(set(FEEDS) - set(columns))
    assert unlisted == [], f"say what feeds these columns in FEEDS: {unlisted}"
    assert gone == [], f"these columns are no longer String(n): {gone}"


@pytest.mark.parametrize(
    "column", sorted({**FEEDS, **{k: v for k, v in ALSO_FED.items() if v is not None}})
)
def test_a_column_is_as_wide_as_the_longest_value_its_input_accepts(column: str) -> None:
    width = bounded_text_columns()[column]
    for feed in (FEEDS.get(column), ALSO_FED.get(column)):
        if isinstance(feed, FromField):
            longest = longest_accepted(feed.model, feed.field)
            assert longest is not None, (
                f"{feed.model.__name__}.{feed.field} accepts text of any length into {column}"
            )
            assert longest <= width, (
                f"{feed.model.__name__}.{feed.field} accepts {longest} characters; {column} holds {width}"
            )
        elif isinstance(feed, FromChoices):
            assert max(len(value) for value in feed.choices.values()) <= width
        elif isinstance(feed, Made):
            assert feed.longest <= width, f"{column}: {feed.why}"


def test_a_device_types_source_path_is_stored_as_text_of_any_length() -> None:
    source = Base.metadata.tables["device_types"].columns["source"]
    assert isinstance(source.type, Text)


@pytest.mark.parametrize("field", ["username", "full_name", "nip", "position", "rank"])
def test_a_user_field_longer_than_its_column_is_refused_naming_the_field(
    engine: Engine, field: str
) -> None:
    width = bounded_text_columns()[f"users.{field}"]
    values = {"username": "budi", field: "a" * (width + 1)}
    with write_session(engine) as session, pytest.raises(InputError) as refused:
        create_user(session, values.pop("username"), "tim_dc", "Sumbawa-2026-kuat!", **values)
    assert [p.path for p in refused.value.problems] == [field]
    assert f"longer than {width} characters" in refused.value.problems[0].message


def test_a_local_holiday_name_longer_than_its_column_is_refused(engine: Engine) -> None:
    width = bounded_text_columns()["local_holidays.name"]
    with write_session(engine) as session, pytest.raises(InputError) as refused:
        add_local_holiday(session, operator(), dt.date(2026, 1, 22), "H" * (width + 1))
    assert [p.path for p in refused.value.problems] == ["name"]
