"""The script Streamlit runs for ``dcim app``: the same app as ``streamlit_app.py`` in a clone.

Streamlit puts this script's folder on ``sys.path``; the folder holds nothing
else importable, so no module of :mod:`dcim_ui` (``pages``, ``data``, ...)
becomes a top-level name, and no ``pages/`` folder sits beside the script.
"""

from dcim_ui.app import main

main()
