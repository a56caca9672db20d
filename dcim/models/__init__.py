"""The inventory schema: one module per area, as NetBox splits ``dcim/models``."""

from dcim.choices import (
    FREE_UNITS,
    OPERATOR_ROLE,
    UNIT_CLAIMED,
    UNIT_FREE,
    UNIT_UNUSABLE,
    Channel,
    DeviceStatus,
    Face,
    FormFactor,
    HoldStatus,
    IPStatus,
    Phase,
    RackStatus,
    RecordType,
    Redundancy,
    Role,
    SessionEnd,
    ThrottleKind,
    UnitClaimKind,
    occupied_faces,
)
from dcim.defaults import DEFAULT_RESERVED_LABELS
from dcim.sqltypes import Milli

from .accounts import AccessToken, AppSession, AuditEntry, SignInThrottle, User
from .aggregates import (
    DeviceFeedShare,
    DeviceUplinkTotal,
    DeviceUPSShare,
    FeedDeviceTotal,
    PrefixAddressTotal,
    UPSDeviceTotal,
)
from .base import Base
from .circuits import Uplink
from .devices import Device, PowerConnection
from .devicetypes import DeviceType
from .dns import NameClaim, Record, Zone
from .ipam import IPAddress, Prefix, PrefixReservedRange
from .placement import Placement, copy_placement
from .power import UPS, PowerFeed
from .racks import Rack, RackUnit
from .reservations import Reservation
from .settings import (
    LocalHoliday,
    Organization,
    Policy,
    Sequence,
    Setting,
)
from .sites import Site
from .snapshots import UtilizationSnapshot
from .tenancy import Tenant

__all__ = [
    "DEFAULT_RESERVED_LABELS",
    "FREE_UNITS",
    "OPERATOR_ROLE",
    "UNIT_CLAIMED",
    "UNIT_FREE",
    "UNIT_UNUSABLE",
    "UPS",
    "AccessToken",
    "AppSession",
    "AuditEntry",
    "Base",
    "Channel",
    "Device",
    "DeviceFeedShare",
    "DeviceStatus",
    "DeviceType",
    "DeviceUPSShare",
    "DeviceUplinkTotal",
    "Face",
    "FeedDeviceTotal",
    "FormFactor",
    "HoldStatus",
    "IPAddress",
    "IPStatus",
    "LocalHoliday",
    "Milli",
    "NameClaim",
    "Organization",
    "Phase",
    "Placement",
    "Policy",
    "PowerConnection",
    "PowerFeed",
    "Prefix",
    "PrefixAddressTotal",
    "PrefixReservedRange",
    "Rack",
    "RackStatus",
    "RackUnit",
    "Record",
    "RecordType",
    "Redundancy",
    "Reservation",
    "Role",
    "Sequence",
    "SessionEnd",
    "Setting",
    "SignInThrottle",
    "Site",
    "Tenant",
    "ThrottleKind",
    "UPSDeviceTotal",
    "UnitClaimKind",
    "Uplink",
    "User",
    "UtilizationSnapshot",
    "Zone",
    "copy_placement",
    "occupied_faces",
]
