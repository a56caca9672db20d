"""The web app with its session cookie, as ``dcim app`` serves it (``streamlit run`` of this file).

``streamlit run`` finds ``app`` below (an ``st.App``, found by reading this
file, not by running it) and serves it with Streamlit's Starlette server,
with the session cookie's two addresses (:mod:`dcim_ui.server`) beside
Streamlit's own. The pages are those of the shipped entry script
(:data:`dcim_ui.launch.ENTRY_SCRIPT`), the same as ``streamlit_app.py`` in a
clone, which ``streamlit run streamlit_app.py`` still serves without the
cookie (a sign-in then lasts until the page is reloaded).
"""

import streamlit as st

from dcim_ui.launch import ENTRY_SCRIPT
from dcim_ui.server import routes

app = st.App(str(ENTRY_SCRIPT), routes=routes())
