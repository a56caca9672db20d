"""The dcim-lite web app: ``streamlit run streamlit_app.py``.

Everything lives in the :mod:`ui` package; this file only starts it so that
the command in the README stays short.
"""

from dcim_ui.app import main

main()
