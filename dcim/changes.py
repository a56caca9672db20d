"""A cheap stamp of the database's state, so that readers can cache and still see every write.

The stamp is one query, read on every run of every app page, so it never
scans a table that grows with the devices, addresses or history:

- the highest id of the audit log: every edit, hold, release, commit,
  account change and workflow step writes an entry, in the same
  transaction, whatever it updates or deletes;
- the highest id of each large table a load or an import adds to (devices,
  holds, addresses, connections, records, name claims, snapshots): an
  insert raises it even without an audit entry, as ``dcim load`` makes;
- row counts of the small tables (sites, tenants, racks, feeds, UPS,
  uplinks, prefixes, zones, device types, users) and of the held holds;
- the claimed rack units, which the racks' trigger-kept ``taken_front`` and
  ``taken_rear`` sum without reading a claim.

Rows of the large tables are deleted only by audited writes (inventory
edits, holds, the workflow), so the audit log's id moves with them. A cache
keyed on the stamp is thus invalidated by writes made in any process,
including the command line and other app instances.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim.models import (
    UPS,
    AuditEntry,
    Device,
    DeviceType,
    HoldStatus,
    IPAddress,
    NameClaim,
    PowerConnection,
    PowerFeed,
    Prefix,
    Rack,
    Record,
    Reservation,
    Site,
    Tenant,
    Uplink,
    User,
    UtilizationSnapshot,
    Zone,
)

# Tables that grow with the inventory: read by their highest id (the end of the primary key).
_ADDED_TO = (
    AuditEntry,
    Device,
    Reservation,
    IPAddress,
    PowerConnection,
    Record,
    NameClaim,
    UtilizationSnapshot,
)
# Tables of a few rows per rack or fewer: counted.
_COUNTED = (Site, Tenant, Rack, PowerFeed, UPS, Uplink, Prefix, Zone, DeviceType, User)


def change_stamp(session: Session) -> tuple[int, ...]:
    """Highest ids, small counts and claimed units, which change whenever the database does."""
    columns = [
        select(func.coalesce(func.max(model.id), 0)).scalar_subquery() for model in _ADDED_TO
    ]
    columns += [select(func.count()).select_from(model).scalar_subquery() for model in _COUNTED]
    columns.append(
        select(func.count()).where(Reservation.status == HoldStatus.HELD.value).scalar_subquery()
    )
    columns.append(
        select(func.coalesce(func.sum(Rack.taken_front + Rack.taken_rear), 0)).scalar_subquery()
    )
    row = session.execute(select(*columns)).one()
    return tuple(int(value) for value in row)
