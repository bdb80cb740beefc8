"""The domain and its storage, without streamlit: rules/ (pure), store/ (schema, engines,
running counts), read/ (queries, KPIs, reports, the screen's public path), write/ (uploads,
forms, accounts, administration), cli/ (the command line); settings.py is read by all.
"""
