"""The read side of the leaders' dashboard pages: SQL aggregates per (session, filters).

Each function takes a session and plain filters and returns a small frozen dataclass or
a tidy DataFrame built from GROUP BY results (the register is paged in SQL), so the
pages can cache the answers keyed by the data version. No Streamlit here.
"""
