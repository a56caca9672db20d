"""The dcim-lite web app in a clone: ``streamlit run streamlit_app.py``.

Everything lives in the :mod:`dcim_ui` package; this file only starts it, for
hosting that expects a script at the top of the repository. It is not
installed: ``dcim app`` runs the same :func:`dcim_ui.app.main` from the entry
script shipped in :mod:`dcim_ui.launch`, with the same settings (this folder's
``.streamlit/config.toml`` is a link to them).
"""

from dcim_ui.app import main

main()
