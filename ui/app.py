"""Start of the app: page setup, login and the navigation of the signed-in user's pages."""

from __future__ import annotations

import streamlit as st


def main() -> None:
    """Run one pass of the app."""
    st.set_page_config(page_title="dcim-lite", layout="wide")
    st.title("dcim-lite")
