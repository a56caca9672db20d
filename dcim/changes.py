"""A cheap stamp of the database's state, so that readers can cache and still see every write.

The stamp is one query of counts and highest ids over the tables that
writes touch (units, connections, addresses, names, holds, devices, the
audit log). Any load, edit, hold, release or commit changes at least one of
them, so a cache keyed on the stamp is invalidated by writes made in any
process, including the command line and other app instances.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim.models import (
    UPS,
    AuditEntry,
    Device,
    DeviceType,
    IPAddress,
    NameClaim,
    PowerConnection,
    PowerFeed,
    Prefix,
    Rack,
    RackUnit,
    Record,
    Reservation,
    Uplink,
    User,
    UtilizationSnapshot,
    Zone,
)

_COUNTED = (
    RackUnit, PowerConnection, IPAddress, NameClaim, Record, Device, Rack, PowerFeed, UPS,
    Uplink, Prefix, Zone, DeviceType, User, UtilizationSnapshot,
)  # fmt: skip


def change_stamp(session: Session) -> tuple[int, ...]:
    """Counts and highest ids that change whenever the inventory, holds or audit log change."""
    columns = [select(func.count()).select_from(model).scalar_subquery() for model in _COUNTED]
    columns.append(select(func.coalesce(func.max(AuditEntry.id), 0)).scalar_subquery())
    columns.append(select(func.coalesce(func.max(Reservation.id), 0)).scalar_subquery())
    columns.append(select(func.coalesce(func.max(Device.id), 0)).scalar_subquery())
    columns.append(select(func.count()).where(Reservation.status == "held").scalar_subquery())
    row = session.execute(select(*columns)).one()
    return tuple(int(value) for value in row)
