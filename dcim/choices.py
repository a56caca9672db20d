"""The closed sets of values the inventory uses, in one place.

Each choice set is a ``StrEnum`` so that the value stored in the database,
written to the inventory file and shown in JSON is the same plain string.
"""

from __future__ import annotations

from enum import StrEnum

# The rack height bound is the inventory file's (one light module, no model imported there).
from dcim.inventory.fields import MAX_RACK_UNITS


class _Choices(StrEnum):
    @classmethod
    def values(cls) -> tuple[str, ...]:
        """All values of the set, in declaration order."""
        return tuple(member.value for member in cls)


class RackStatus(_Choices):
    """Whether a rack can take new equipment; only ``active`` racks can."""

    ACTIVE = "active"
    PLANNED = "planned"
    RESERVED = "reserved"
    DEPRECATED = "deprecated"


class DeviceStatus(_Choices):
    """Lifecycle of installed equipment; every status occupies its resources."""

    ACTIVE = "active"
    PLANNED = "planned"
    OFFLINE = "offline"


class Face(_Choices):
    """The side of a rack a device is mounted on."""

    FRONT = "front"
    REAR = "rear"


class Phase(_Choices):
    """Electrical phase of a power feed."""

    SINGLE = "single"
    THREE = "three"


class IPStatus(_Choices):
    """Status of an address in use; every status counts as used."""

    ACTIVE = "active"
    RESERVED = "reserved"
    DHCP = "dhcp"
    DEPRECATED = "deprecated"


class Redundancy(_Choices):
    """How a server's draw is counted on the feeds it plugs into."""

    TWO_N = "2N"
    N = "N"


class HoldStatus(_Choices):
    """Life of a reservation (hold); only ``held`` ones can still occupy anything."""

    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


class UnitClaimKind(_Choices):
    """What occupies a rack unit on a face."""

    DEVICE = "device"
    HOLD = "hold"
    UNUSABLE = "unusable"


class RecordType(_Choices):
    """DNS record types the inventory accepts in its zones."""

    A = "A"
    AAAA = "AAAA"
    CNAME = "CNAME"
    NS = "NS"
    MX = "MX"
    TXT = "TXT"
    SRV = "SRV"
    PTR = "PTR"
    CAA = "CAA"


class FormFactor(_Choices):
    """Shape of a requested server."""

    RACK = "rack"
    TOWER = "tower"


class Role(_Choices):
    """The people who use dcim-lite, as the SOP names them."""

    ADMIN = "admin"
    KEPALA_DINAS = "kepala_dinas"
    KABID_TI = "kabid_ti"
    KASI_APLIKASI = "kasi_aplikasi"
    TIM_DC = "tim_dc"
    OPD = "opd"
    VIEWER = "viewer"


class ThrottleKind(_Choices):
    """What a count of failed sign-ins is kept for: an account name, or a client address."""

    ACCOUNT = "account"
    ADDRESS = "address"


class SessionEnd(_Choices):
    """Why an app session stopped counting before its time ran out (``app_sessions.revoked_reason``)."""

    SIGN_OUT = "sign_out"
    PASSWORD = "password"
    DISABLED = "disabled"


#: The pseudo-role of the operator: whoever runs ``dcim`` with direct access to the database.
#: It is not a :class:`Role` (no row of the users table carries it); role tables name it
#: beside the roles when the operator may do what they allow.
OPERATOR_ROLE = "operator"


class Channel(_Choices):
    """How a change reached dcim-lite, as the audit log records it.

    ``operator``: a command run with database access only (no person proven);
    ``token``: a person proven by a personal access token; ``password``: a
    person proven by the password asked for on the command line; ``app``:
    the person signed in to the app (or the app's own daily work); ``api``:
    reserved for the HTTP interface.
    """

    OPERATOR = "operator"
    TOKEN = "token"
    PASSWORD = "password"
    APP = "app"
    API = "api"


# --- how a rack's unit map spells its units, and which faces a mounted object takes ----------

#: A face with nothing claimed, as ``racks.front_units`` / ``rear_units`` spell it.
FREE_UNITS = "0" * MAX_RACK_UNITS
#: The character of a unit in those strings: free, claimed by a device or hold, unusable.
UNIT_FREE, UNIT_CLAIMED, UNIT_UNUSABLE = "0", "1", "x"


def occupied_faces(face: str, full_depth: bool) -> tuple[str, ...]:
    """The faces a mounted object takes: both when it is full-depth, else its own."""
    if full_depth:
        return (Face.FRONT.value, Face.REAR.value)
    return (face,)
