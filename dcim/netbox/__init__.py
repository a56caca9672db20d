"""Migration from NetBox: a ``manage.py dumpdata`` JSON into the inventory, with a report.

:func:`import_netbox` is the service (``dcim import netbox``); the reading,
the conversion and the report are in :mod:`.dump`, :mod:`.convert` and
:mod:`.report`. See docs/netbox-import.md.
"""

from .convert import ImportOptions, parse_role_map, parse_status_map
from .report import MigrationReport
from .service import import_netbox

__all__ = [
    "ImportOptions",
    "MigrationReport",
    "import_netbox",
    "parse_role_map",
    "parse_status_map",
]
