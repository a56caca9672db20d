"""The Streamlit app of dcim-lite: login, navigation by role and one module per page."""
