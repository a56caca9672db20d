"""The colocation request workflow: the SOP's fifteen steps as recorded, role-checked actions.

The SOP itself is data (``data/sop/``), loaded by :mod:`colocation.sop`; the
state machine and its services are in :mod:`colocation.workflow`, the letters
and reports in :mod:`colocation.documents`, and the hand-off to the monitoring
system in :mod:`colocation.monitoring`.
"""
