"""The Streamlit app of dcim-lite: login, navigation by role and one module per page.

``streamlit run streamlit_app.py`` starts it over the database named by
``DCIM_DATABASE_URL`` (else the default SQLite file). Pages only call the
services below the interfaces; every write is checked there as well.

- :mod:`ui.registry` registers the pages of :mod:`ui.pages` (and the
  dashboard tiles of :mod:`ui.tiles`) per role; another part of dcim-lite
  adds a page by adding a module there.
- :mod:`ui.data` caches reads, keyed on the database's change stamp, so
  several app processes over one PostgreSQL database (for example
  ``streamlit run streamlit_app.py --server.port 8501`` and ``--server.port
  8502`` behind a load balancer with sticky sessions) each see every write
  of the others on their next run.
- Messages come from ``dcim/i18n/locales/<lang>/ui.yaml``; numbers and dates
  from :mod:`ui.fmt` (babel ``id_ID``; times in the data center's zone, WITA unless
  configured).
"""
