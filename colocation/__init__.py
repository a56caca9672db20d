"""The colocation request workflow: the SOP's fifteen steps as recorded, role-checked actions.

- :mod:`colocation.sop` reads and validates the SOP file (``colocation/sops/``): states, roles,
  actions, time standards, documents, numbering.
- :mod:`colocation.submission` registers a request letter (step 1);
  :mod:`colocation.workflow` performs the SOP's actions (the state machine);
  :mod:`colocation.action_data` is the data each kind of action takes.
- :mod:`colocation.queries` lists requests, the inbox, overdue ones, counts by step, and
  one request's timeline and history; :mod:`colocation.access` says who sees what.
- :mod:`colocation.deadlines`, :mod:`colocation.numbering` and :mod:`colocation.terbilang`:
  due dates in working days, letter numbers, dates in Indonesian words.
- :mod:`colocation.documents` builds the letters and reports (DOCX);
  :mod:`colocation.monitoring` the Prometheus and Zabbix exports.
- :mod:`colocation.actions` holds one handler per kind of SOP action;
  :mod:`colocation.choices` the workflow's value sets.
- :mod:`colocation.engine_calls` is where the workflow calls the capacity engine.
- ``colocation/locales`` holds the workflow's messages (area ``workflow``), added to
  :func:`dcim.i18n.t`'s catalogs when this package is imported;
  ``colocation/migrations`` the revisions that create its tables.
"""

from pathlib import Path

from dcim.db import register_migrations
from dcim.i18n import register_catalog

_HERE = Path(__file__).resolve().parent
register_catalog(_HERE / "locales")
# The revisions that create and change the colocation_* tables; they take their places in the
# one chain of revisions by id (0002, 0004, 0008), so existing databases keep their revision.
register_migrations(_HERE / "migrations" / "versions")

# The SOP's action kinds (:mod:`colocation.actions`) register themselves as the default an SOP
# file is checked against when :func:`colocation.sop.default_actions` is first asked: a command
# that never reads the SOP (``dcim check``) does not import the workflow's handlers.
