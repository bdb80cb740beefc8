"""What the pages read, and the only code that touches Streamlit's caches.

cache.py holds the plumbing: one engine per database URL, the data version (re-read at most every
CACHE_TTL_SECONDS) and the two decorators, `cached_read` (a read cached by database URL and data
version, so a write shows at once) and `cached_pure` (a pure computation cached by its arguments).
The other modules are the reads themselves, grouped by the pages that ask for them.

May import: data_access (rules, settings, store, read, write — the last only for the reads it
offers), streamlit, and dashboard.reads itself. Never dashboard.writes, dashboard.panels or
dashboard.widgets (tests/test_architecture.py).
"""
