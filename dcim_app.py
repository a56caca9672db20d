"""The dcim-lite web app with its session cookie: ``streamlit run dcim_app.py`` (``make app``).

``streamlit run`` finds ``app`` below (an ``st.App``) and serves it with
Streamlit's Starlette server, with the session cookie's two addresses
(:mod:`dcim_ui.server`) beside Streamlit's own. The pages are those of
``streamlit_app.py``, which ``streamlit run streamlit_app.py`` still serves
without the cookie (a sign-in then lasts until the page is reloaded).
"""

import streamlit as st

from dcim_ui.server import routes

app = st.App("streamlit_app.py", routes=routes())
