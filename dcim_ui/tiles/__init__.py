"""Extra tiles of the Ringkasan dashboard, added by other parts of dcim-lite.

A module here defines ``TILE = TileSpec(key, order, roles, render)``;
``render()`` draws the tile with Streamlit, reading the run's context from
:func:`ui.context.current`.
"""
