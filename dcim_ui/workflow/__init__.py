"""The colocation request workflow in the app: the pages' reads, views and forms.

- :mod:`ui.workflow.reads` reads the lists, the inbox, one request and the
  counts by step through :mod:`colocation.queries`, cached on the
  database's change stamp and on the person (what a request offers depends
  on who looks).
- :mod:`ui.workflow.lists` draws the inbox "Tugas saya" and the paged,
  filtered list of requests; :mod:`ui.workflow.view` one request: its place
  in the SOP, timeline, capacity check, dispositions, documents and history.
- :mod:`ui.workflow.actions` turns each action the person may take now into
  a form; every submission goes through :func:`colocation.workflow.perform`,
  which checks the role and the step again.
- :mod:`ui.workflow.register` is the OPD's form for a new request letter.
- :mod:`ui.workflow.look` holds the stylesheet and HTML pieces these share.

The pages are :mod:`ui.pages.permohonan` and :mod:`ui.pages.permohonan_baru`;
the dashboard tile is :mod:`ui.tiles.permohonan`.
"""
