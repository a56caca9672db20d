"""The contract's policy defaults (spec: inventory-format.md), for an inventory that gives none.

The inventory file's schema, the policy table's column defaults, the check's policy facts and
the export all read them from here.
"""

from __future__ import annotations

from decimal import Decimal

from dcim.choices import Redundancy

DEFAULT_FEED_MAX_UTILIZATION = Decimal(80)
DEFAULT_REDUNDANCY = Redundancy.TWO_N
DEFAULT_UPS_POWER_FACTOR = Decimal("0.9")
DEFAULT_UPS_MAX_LOAD = Decimal(80)
DEFAULT_BANDWIDTH_OVERSUBSCRIPTION = Decimal(1)
DEFAULT_RESERVATION_WORKING_DAYS = 10
DEFAULT_RESERVED_LABELS: tuple[str, ...] = (
    "www",
    "mail",
    "webmail",
    "ns",
    "ns1",
    "ns2",
    "ftp",
    "smtp",
    "imap",
    "pop",
    "mx",
    "cpanel",
    "whm",
    "admin",
    "localhost",
)
