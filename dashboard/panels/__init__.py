"""Pieces of pages that read, write or cache: pickers that offer the user's units, forms that save
a record, the upload flow, the letters, the register, empty states that depend on who is logged
in, and the cached chart specs.

May import: streamlit, dashboard.reads, dashboard.writes, dashboard.widgets, dashboard.session,
dashboard.i18n and data_access. Pages import panels; panels never import pages.
"""
