"""The inventory's tables as SQLAlchemy Core sees them, for reads that map no class.

Generated from :mod:`dcim.models` by ``make tables``; do not edit.
``tests/inventory/test_core_tables.py`` fails when it no longer matches the models.

A ``dcim check`` process is mostly start-up, and most of that start-up was the ORM:
importing it, mapping the models' classes and configuring their relationships cost
about as much as importing SQLAlchemy itself. The capacity engine only reads, so it
reads through these plain tables instead. Each class below holds one table's columns
under the model's attribute names: a query reads as it would on the model
(``select(Rack.id).where(Rack.status == ...)``), runs through an ORM session or a bare
connection alike, and the models stay the one place the schema is written. Writes go
through the models.
"""

from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from dcim.sqltypes import Milli

metadata = MetaData()


class Columns:
    """A table's columns as class attributes; the class itself stands for the table
    (``select_from(Rack)``, ``join(Reservation, ...)``), as a mapped class would."""

    __table__: ClassVar[Table]

    @classmethod
    def __clause_element__(cls) -> Table:
        return cls.__table__


class AccessToken(Columns):
    """The columns of ``access_tokens`` (:class:`dcim.models.AccessToken`)."""

    __table__ = Table(
        "access_tokens",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("user_id", Integer(), ForeignKey("users.id")),
        Column("key", String(length=16)),
        Column("secret_sha256", String(length=64)),
        Column("label", String(length=100)),
        Column("created_at", DateTime(timezone=True)),
        Column("expires_at", Date()),
        Column("last_used_at", DateTime(timezone=True)),
        Column("revoked_at", DateTime(timezone=True)),
    )
    id = __table__.c.id
    user_id = __table__.c.user_id
    key = __table__.c.key
    secret_sha256 = __table__.c.secret_sha256
    label = __table__.c.label
    created_at = __table__.c.created_at
    expires_at = __table__.c.expires_at
    last_used_at = __table__.c.last_used_at
    revoked_at = __table__.c.revoked_at


class AppSession(Columns):
    """The columns of ``app_sessions`` (:class:`dcim.models.AppSession`)."""

    __table__ = Table(
        "app_sessions",
        metadata,
        Column("id", String(length=64), primary_key=True),
        Column("user_id", Integer(), ForeignKey("users.id")),
        Column("created_at", DateTime()),
        Column("last_seen_at", DateTime()),
        Column("expires_at", DateTime()),
        Column("revoked_at", DateTime()),
        Column("revoked_reason", String(length=20)),
        Column("client_address", String(length=64)),
        Column("user_agent", String(length=200)),
        Column("ticket_sha256", String(length=64)),
        Column("ticket_expires_at", DateTime()),
    )
    id = __table__.c.id
    user_id = __table__.c.user_id
    created_at = __table__.c.created_at
    last_seen_at = __table__.c.last_seen_at
    expires_at = __table__.c.expires_at
    revoked_at = __table__.c.revoked_at
    revoked_reason = __table__.c.revoked_reason
    client_address = __table__.c.client_address
    user_agent = __table__.c.user_agent
    ticket_sha256 = __table__.c.ticket_sha256
    ticket_expires_at = __table__.c.ticket_expires_at


class AuditEntry(Columns):
    """The columns of ``audit_log`` (:class:`dcim.models.AuditEntry`)."""

    __table__ = Table(
        "audit_log",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("at", DateTime(timezone=True)),
        Column("username", String(length=64)),
        Column("role", String(length=20)),
        Column("action", String(length=64)),
        Column("channel", String(length=20)),
        Column("entity", String(length=64)),
        Column("entity_key", String(length=200)),
        Column("summary", Text()),
        Column("data", JSON()),
    )
    id = __table__.c.id
    at = __table__.c.at
    username = __table__.c.username
    role = __table__.c.role
    action = __table__.c.action
    channel = __table__.c.channel
    entity = __table__.c.entity
    entity_key = __table__.c.entity_key
    summary = __table__.c.summary
    data = __table__.c.data


class Device(Columns):
    """The columns of ``devices`` (:class:`dcim.models.Device`)."""

    __table__ = Table(
        "devices",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=100)),
        Column("model", String(length=200)),
        Column("serial", String(length=100)),
        Column("status", String(length=20)),
        Column("tenant_id", Integer(), ForeignKey("tenants.id")),
        Column("rack_id", Integer(), ForeignKey("racks.id")),
        Column("position", Integer()),
        Column("u_height", Integer()),
        Column("face", String(length=10)),
        Column("full_depth", Boolean()),
        Column("weight_kg", Milli()),
        Column("power_w", Milli()),
        Column("uplink_id", Integer(), ForeignKey("uplinks.id")),
        Column("bandwidth_mbps", Milli()),
    )
    id = __table__.c.id
    name = __table__.c.name
    model = __table__.c.model
    serial = __table__.c.serial
    status = __table__.c.status
    tenant_id = __table__.c.tenant_id
    rack_id = __table__.c.rack_id
    position = __table__.c.position
    u_height = __table__.c.u_height
    face = __table__.c.face
    full_depth = __table__.c.full_depth
    weight_kg = __table__.c.weight_kg
    power_w = __table__.c.power_w
    uplink_id = __table__.c.uplink_id
    bandwidth_mbps = __table__.c.bandwidth_mbps


class DeviceFeedShare(Columns):
    """The columns of ``device_feed_shares`` (:class:`dcim.models.DeviceFeedShare`)."""

    __table__ = Table(
        "device_feed_shares",
        metadata,
        Column("device_id", Integer(), ForeignKey("devices.id"), primary_key=True),
        Column("feed_id", Integer(), ForeignKey("power_feeds.id"), primary_key=True),
        Column("feeds_of_device", Integer()),
        Column("power_w", Milli()),
    )
    device_id = __table__.c.device_id
    feed_id = __table__.c.feed_id
    feeds_of_device = __table__.c.feeds_of_device
    power_w = __table__.c.power_w


class DeviceType(Columns):
    """The columns of ``device_types`` (:class:`dcim.models.DeviceType`)."""

    __table__ = Table(
        "device_types",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("slug", String(length=200)),
        Column("manufacturer", String(length=100)),
        Column("model", String(length=200)),
        Column("u_height", Milli()),
        Column("is_full_depth", Boolean()),
        Column("weight_kg", Milli()),
        Column("power_w", Milli()),
        Column("psu", Integer()),
        Column("power_budget_w", Milli()),
        Column("part_number", String(length=100)),
        Column("airflow", String(length=50)),
        Column("power_ports", JSON()),
        Column("source", Text()),
    )
    id = __table__.c.id
    slug = __table__.c.slug
    manufacturer = __table__.c.manufacturer
    model = __table__.c.model
    u_height = __table__.c.u_height
    is_full_depth = __table__.c.is_full_depth
    weight_kg = __table__.c.weight_kg
    power_w = __table__.c.power_w
    psu = __table__.c.psu
    power_budget_w = __table__.c.power_budget_w
    part_number = __table__.c.part_number
    airflow = __table__.c.airflow
    power_ports = __table__.c.power_ports
    source = __table__.c.source


class DeviceUPSShare(Columns):
    """The columns of ``device_ups_shares`` (:class:`dcim.models.DeviceUPSShare`)."""

    __table__ = Table(
        "device_ups_shares",
        metadata,
        Column("device_id", Integer(), ForeignKey("devices.id"), primary_key=True),
        Column("ups_id", Integer(), ForeignKey("ups.id"), primary_key=True),
        Column("feeds_on_ups", Integer()),
        Column("feeds_of_device", Integer()),
        Column("power_w", Milli()),
    )
    device_id = __table__.c.device_id
    ups_id = __table__.c.ups_id
    feeds_on_ups = __table__.c.feeds_on_ups
    feeds_of_device = __table__.c.feeds_of_device
    power_w = __table__.c.power_w


class DeviceUplinkTotal(Columns):
    """The columns of ``device_uplink_totals`` (:class:`dcim.models.DeviceUplinkTotal`)."""

    __table__ = Table(
        "device_uplink_totals",
        metadata,
        Column("uplink_id", Integer(), ForeignKey("uplinks.id"), primary_key=True),
        Column("bandwidth_mbps", Milli()),
        Column("devices", Integer()),
    )
    uplink_id = __table__.c.uplink_id
    bandwidth_mbps = __table__.c.bandwidth_mbps
    devices = __table__.c.devices


class FeedDeviceTotal(Columns):
    """The columns of ``feed_device_totals`` (:class:`dcim.models.FeedDeviceTotal`)."""

    __table__ = Table(
        "feed_device_totals",
        metadata,
        Column("feed_id", Integer(), ForeignKey("power_feeds.id"), primary_key=True),
        Column("feeds_of_device", Integer(), primary_key=True),
        Column("power_w", Milli()),
        Column("devices", Integer()),
    )
    feed_id = __table__.c.feed_id
    feeds_of_device = __table__.c.feeds_of_device
    power_w = __table__.c.power_w
    devices = __table__.c.devices


class IPAddress(Columns):
    """The columns of ``ip_addresses`` (:class:`dcim.models.IPAddress`)."""

    __table__ = Table(
        "ip_addresses",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("address", String(length=45)),
        Column("family", Integer()),
        Column("prefix_id", Integer(), ForeignKey("prefixes.id")),
        Column("host", BigInteger()),
        Column("device_id", Integer(), ForeignKey("devices.id")),
        Column("reservation_id", Integer(), ForeignKey("reservations.id")),
        Column("description", String(length=200)),
        Column("status", String(length=20)),
    )
    id = __table__.c.id
    address = __table__.c.address
    family = __table__.c.family
    prefix_id = __table__.c.prefix_id
    host = __table__.c.host
    device_id = __table__.c.device_id
    reservation_id = __table__.c.reservation_id
    description = __table__.c.description
    status = __table__.c.status


class LocalHoliday(Columns):
    """The columns of ``local_holidays`` (:class:`dcim.models.LocalHoliday`)."""

    __table__ = Table(
        "local_holidays",
        metadata,
        Column("day", Date(), primary_key=True),
        Column("name", String(length=200)),
    )
    day = __table__.c.day
    name = __table__.c.name


class NameClaim(Columns):
    """The columns of ``dns_name_claims`` (:class:`dcim.models.NameClaim`)."""

    __table__ = Table(
        "dns_name_claims",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("fqdn", String(length=253)),
        Column("zone_id", Integer(), ForeignKey("zones.id")),
        Column("reservation_id", Integer(), ForeignKey("reservations.id")),
    )
    id = __table__.c.id
    fqdn = __table__.c.fqdn
    zone_id = __table__.c.zone_id
    reservation_id = __table__.c.reservation_id


class Organization(Columns):
    """The columns of ``organization`` (:class:`dcim.models.Organization`)."""

    __table__ = Table(
        "organization",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("government", String(length=200)),
        Column("office", String(length=200)),
        Column("city", String(length=100)),
    )
    id = __table__.c.id
    government = __table__.c.government
    office = __table__.c.office
    city = __table__.c.city


class Policy(Columns):
    """The columns of ``policy`` (:class:`dcim.models.Policy`)."""

    __table__ = Table(
        "policy",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("feed_max_utilization", Milli()),
        Column("redundancy", String(length=4)),
        Column("ups_power_factor", Milli()),
        Column("ups_max_load", Milli()),
        Column("bandwidth_oversubscription", Milli()),
        Column("reservation_working_days", Integer()),
        Column("reserved_labels", JSON()),
    )
    id = __table__.c.id
    feed_max_utilization = __table__.c.feed_max_utilization
    redundancy = __table__.c.redundancy
    ups_power_factor = __table__.c.ups_power_factor
    ups_max_load = __table__.c.ups_max_load
    bandwidth_oversubscription = __table__.c.bandwidth_oversubscription
    reservation_working_days = __table__.c.reservation_working_days
    reserved_labels = __table__.c.reserved_labels


class PowerConnection(Columns):
    """The columns of ``power_connections`` (:class:`dcim.models.PowerConnection`)."""

    __table__ = Table(
        "power_connections",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("feed_id", Integer(), ForeignKey("power_feeds.id")),
        Column("device_id", Integer(), ForeignKey("devices.id")),
        Column("reservation_id", Integer(), ForeignKey("reservations.id")),
    )
    id = __table__.c.id
    feed_id = __table__.c.feed_id
    device_id = __table__.c.device_id
    reservation_id = __table__.c.reservation_id


class PowerFeed(Columns):
    """The columns of ``power_feeds`` (:class:`dcim.models.PowerFeed`)."""

    __table__ = Table(
        "power_feeds",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=100)),
        Column("site_id", Integer(), ForeignKey("sites.id")),
        Column("ups_id", Integer(), ForeignKey("ups.id")),
        Column("rack_id", Integer(), ForeignKey("racks.id")),
        Column("voltage", Milli()),
        Column("amperage", Milli()),
        Column("phase", String(length=10)),
        Column("max_utilization", Milli()),
    )
    id = __table__.c.id
    name = __table__.c.name
    site_id = __table__.c.site_id
    ups_id = __table__.c.ups_id
    rack_id = __table__.c.rack_id
    voltage = __table__.c.voltage
    amperage = __table__.c.amperage
    phase = __table__.c.phase
    max_utilization = __table__.c.max_utilization


class Prefix(Columns):
    """The columns of ``prefixes`` (:class:`dcim.models.Prefix`)."""

    __table__ = Table(
        "prefixes",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("prefix", String(length=50)),
        Column("family", Integer()),
        Column("network_key", String(length=32)),
        Column("prefix_length", Integer()),
        Column("role", String(length=64)),
        Column("site_id", Integer(), ForeignKey("sites.id")),
        Column("vlan", Integer()),
        Column("gateway", String(length=45)),
        Column("is_pool", Boolean()),
        Column("free_hint", BigInteger()),
    )
    id = __table__.c.id
    prefix = __table__.c.prefix
    family = __table__.c.family
    network_key = __table__.c.network_key
    prefix_length = __table__.c.prefix_length
    role = __table__.c.role
    site_id = __table__.c.site_id
    vlan = __table__.c.vlan
    gateway = __table__.c.gateway
    is_pool = __table__.c.is_pool
    free_hint = __table__.c.free_hint


class PrefixAddressTotal(Columns):
    """The columns of ``prefix_address_totals`` (:class:`dcim.models.PrefixAddressTotal`)."""

    __table__ = Table(
        "prefix_address_totals",
        metadata,
        Column("prefix_id", Integer(), ForeignKey("prefixes.id"), primary_key=True),
        Column("recorded", BigInteger()),
    )
    prefix_id = __table__.c.prefix_id
    recorded = __table__.c.recorded


class PrefixReservedRange(Columns):
    """The columns of ``prefix_reserved_ranges`` (:class:`dcim.models.PrefixReservedRange`)."""

    __table__ = Table(
        "prefix_reserved_ranges",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("prefix_id", Integer(), ForeignKey("prefixes.id")),
        Column("first", String(length=45)),
        Column("last", String(length=45)),
    )
    id = __table__.c.id
    prefix_id = __table__.c.prefix_id
    first = __table__.c.first
    last = __table__.c.last


class Rack(Columns):
    """The columns of ``racks`` (:class:`dcim.models.Rack`)."""

    __table__ = Table(
        "racks",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=100)),
        Column("site_id", Integer(), ForeignKey("sites.id")),
        Column("u_height", Integer()),
        Column("status", String(length=20)),
        Column("max_weight_kg", Milli()),
        Column("taken_front", Integer()),
        Column("taken_rear", Integer()),
        Column("front_units", String(length=100)),
        Column("rear_units", String(length=100)),
    )
    id = __table__.c.id
    name = __table__.c.name
    site_id = __table__.c.site_id
    u_height = __table__.c.u_height
    status = __table__.c.status
    max_weight_kg = __table__.c.max_weight_kg
    taken_front = __table__.c.taken_front
    taken_rear = __table__.c.taken_rear
    front_units = __table__.c.front_units
    rear_units = __table__.c.rear_units


class RackUnit(Columns):
    """The columns of ``rack_units`` (:class:`dcim.models.RackUnit`)."""

    __table__ = Table(
        "rack_units",
        metadata,
        Column("rack_id", Integer(), ForeignKey("racks.id"), primary_key=True),
        Column("unit", Integer(), primary_key=True),
        Column("face", String(length=10), primary_key=True),
        Column("kind", String(length=10)),
        Column("device_id", Integer(), ForeignKey("devices.id")),
        Column("reservation_id", Integer(), ForeignKey("reservations.id")),
    )
    rack_id = __table__.c.rack_id
    unit = __table__.c.unit
    face = __table__.c.face
    kind = __table__.c.kind
    device_id = __table__.c.device_id
    reservation_id = __table__.c.reservation_id


class Record(Columns):
    """The columns of ``dns_records`` (:class:`dcim.models.Record`)."""

    __table__ = Table(
        "dns_records",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("zone_id", Integer(), ForeignKey("zones.id")),
        Column("name", String(length=253)),
        Column("type", String(length=10)),
        Column("value", Text()),
        Column("ttl", Integer()),
    )
    id = __table__.c.id
    zone_id = __table__.c.zone_id
    name = __table__.c.name
    type = __table__.c.type
    value = __table__.c.value
    ttl = __table__.c.ttl


class Reservation(Columns):
    """The columns of ``reservations`` (:class:`dcim.models.Reservation`)."""

    __table__ = Table(
        "reservations",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("code", String(length=64)),
        Column("request_number", String(length=100)),
        Column("expires_at", Date()),
        Column("counted_from", Date()),
        Column("working_days", Integer()),
        Column("status", String(length=20)),
        Column("model", String(length=200)),
        Column("purpose", String(length=500)),
        Column("created_at", DateTime(timezone=True)),
        Column("ended_at", DateTime(timezone=True)),
        Column("device_id", Integer(), ForeignKey("devices.id")),
        Column("tenant_id", Integer(), ForeignKey("tenants.id")),
        Column("rack_id", Integer(), ForeignKey("racks.id")),
        Column("position", Integer()),
        Column("u_height", Integer()),
        Column("face", String(length=10)),
        Column("full_depth", Boolean()),
        Column("weight_kg", Milli()),
        Column("power_w", Milli()),
        Column("uplink_id", Integer(), ForeignKey("uplinks.id")),
        Column("bandwidth_mbps", Milli()),
    )
    id = __table__.c.id
    code = __table__.c.code
    request_number = __table__.c.request_number
    expires_at = __table__.c.expires_at
    counted_from = __table__.c.counted_from
    working_days = __table__.c.working_days
    status = __table__.c.status
    model = __table__.c.model
    purpose = __table__.c.purpose
    created_at = __table__.c.created_at
    ended_at = __table__.c.ended_at
    device_id = __table__.c.device_id
    tenant_id = __table__.c.tenant_id
    rack_id = __table__.c.rack_id
    position = __table__.c.position
    u_height = __table__.c.u_height
    face = __table__.c.face
    full_depth = __table__.c.full_depth
    weight_kg = __table__.c.weight_kg
    power_w = __table__.c.power_w
    uplink_id = __table__.c.uplink_id
    bandwidth_mbps = __table__.c.bandwidth_mbps


class Sequence(Columns):
    """The columns of ``sequences`` (:class:`dcim.models.Sequence`)."""

    __table__ = Table(
        "sequences",
        metadata,
        Column("name", String(length=100), primary_key=True),
        Column("value", Integer()),
    )
    name = __table__.c.name
    value = __table__.c.value


class Setting(Columns):
    """The columns of ``settings`` (:class:`dcim.models.Setting`)."""

    __table__ = Table(
        "settings",
        metadata,
        Column("key", String(length=100), primary_key=True),
        Column("value", JSON()),
    )
    key = __table__.c.key
    value = __table__.c.value


class SignInThrottle(Columns):
    """The columns of ``sign_in_throttle`` (:class:`dcim.models.SignInThrottle`)."""

    __table__ = Table(
        "sign_in_throttle",
        metadata,
        Column("kind", String(length=10), primary_key=True),
        Column("key", String(length=64), primary_key=True),
        Column("failures", Integer()),
        Column("window_start", DateTime()),
        Column("locked_until", DateTime()),
    )
    kind = __table__.c.kind
    key = __table__.c.key
    failures = __table__.c.failures
    window_start = __table__.c.window_start
    locked_until = __table__.c.locked_until


class Site(Columns):
    """The columns of ``sites`` (:class:`dcim.models.Site`)."""

    __table__ = Table(
        "sites",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("slug", String(length=64)),
        Column("name", String(length=200)),
    )
    id = __table__.c.id
    slug = __table__.c.slug
    name = __table__.c.name


class Tenant(Columns):
    """The columns of ``tenants`` (:class:`dcim.models.Tenant`)."""

    __table__ = Table(
        "tenants",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("slug", String(length=64)),
        Column("name", String(length=200)),
    )
    id = __table__.c.id
    slug = __table__.c.slug
    name = __table__.c.name


class UPS(Columns):
    """The columns of ``ups`` (:class:`dcim.models.UPS`)."""

    __table__ = Table(
        "ups",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=100)),
        Column("site_id", Integer(), ForeignKey("sites.id")),
        Column("capacity_kva", Milli()),
        Column("power_factor", Milli()),
        Column("battery_wh", Milli()),
    )
    id = __table__.c.id
    name = __table__.c.name
    site_id = __table__.c.site_id
    capacity_kva = __table__.c.capacity_kva
    power_factor = __table__.c.power_factor
    battery_wh = __table__.c.battery_wh


class UPSDeviceTotal(Columns):
    """The columns of ``ups_device_totals`` (:class:`dcim.models.UPSDeviceTotal`)."""

    __table__ = Table(
        "ups_device_totals",
        metadata,
        Column("ups_id", Integer(), ForeignKey("ups.id"), primary_key=True),
        Column("feeds_on_ups", Integer(), primary_key=True),
        Column("feeds_of_device", Integer(), primary_key=True),
        Column("power_w", Milli()),
        Column("devices", Integer()),
    )
    ups_id = __table__.c.ups_id
    feeds_on_ups = __table__.c.feeds_on_ups
    feeds_of_device = __table__.c.feeds_of_device
    power_w = __table__.c.power_w
    devices = __table__.c.devices


class Uplink(Columns):
    """The columns of ``uplinks`` (:class:`dcim.models.Uplink`)."""

    __table__ = Table(
        "uplinks",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=100)),
        Column("site_id", Integer(), ForeignKey("sites.id")),
        Column("capacity_mbps", Milli()),
    )
    id = __table__.c.id
    name = __table__.c.name
    site_id = __table__.c.site_id
    capacity_mbps = __table__.c.capacity_mbps


class User(Columns):
    """The columns of ``users`` (:class:`dcim.models.User`)."""

    __table__ = Table(
        "users",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("username", String(length=64)),
        Column("full_name", String(length=200)),
        Column("role", String(length=20)),
        Column("tenant_id", Integer(), ForeignKey("tenants.id")),
        Column("nip", String(length=30)),
        Column("position", String(length=200)),
        Column("rank", String(length=100)),
        Column("email", String(length=254)),
        Column("password_hash", String(length=200)),
        Column("active", Boolean()),
        Column("must_change_password", Boolean()),
        Column("created_at", DateTime(timezone=True)),
    )
    id = __table__.c.id
    username = __table__.c.username
    full_name = __table__.c.full_name
    role = __table__.c.role
    tenant_id = __table__.c.tenant_id
    nip = __table__.c.nip
    position = __table__.c.position
    rank = __table__.c.rank
    email = __table__.c.email
    password_hash = __table__.c.password_hash
    active = __table__.c.active
    must_change_password = __table__.c.must_change_password
    created_at = __table__.c.created_at


class UtilizationSnapshot(Columns):
    """The columns of ``utilization_snapshots`` (:class:`dcim.models.UtilizationSnapshot`)."""

    __table__ = Table(
        "utilization_snapshots",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("day", Date()),
        Column("resource", String(length=20)),
        Column("scope", String(length=200)),
        Column("used", Milli()),
        Column("usable", Milli()),
    )
    id = __table__.c.id
    day = __table__.c.day
    resource = __table__.c.resource
    scope = __table__.c.scope
    used = __table__.c.used
    usable = __table__.c.usable


class Zone(Columns):
    """The columns of ``zones`` (:class:`dcim.models.Zone`)."""

    __table__ = Table(
        "zones",
        metadata,
        Column("id", Integer(), primary_key=True),
        Column("name", String(length=253)),
    )
    id = __table__.c.id
    name = __table__.c.name
