"""The colocation request workflow: the SOP's fifteen steps as recorded, role-checked actions.

- :mod:`colocation.sop` reads and validates the SOP file (``colocation/sops/``): states, roles,
  actions, time standards, documents, numbering.
- :mod:`colocation.workflow` submits requests and performs actions (the state machine);
  :mod:`colocation.action_data` is the data each kind of action takes.
- :mod:`colocation.queries` lists requests, the inbox, overdue ones, counts by step, and
  one request's timeline and history; :mod:`colocation.access` says who sees what.
- :mod:`colocation.deadlines`, :mod:`colocation.numbering` and :mod:`colocation.terbilang`:
  due dates in working days, letter numbers, dates in Indonesian words.
- :mod:`colocation.documents` builds the letters and reports (DOCX);
  :mod:`colocation.monitoring` the Prometheus and Zabbix exports.
- :mod:`colocation.engine_calls` is where the workflow calls the capacity engine.
"""
