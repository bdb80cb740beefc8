"""Rules: what the law and the office's practice say, as pure functions and vocabularies.

Working days and statutory holidays, request deadlines, publication and delivery duties,
lagging projects, the labels of every kind, who may do what, when a figure counts as
entered (never a guessed zero) and what an opening balance holds. Dates and numbers in, answers
out: nothing here touches a database, so each rule has table-driven tests.
May import: the standard library, chinese_calendar, data_access.settings and other rules.
Never: SQLAlchemy, data_access.store/read/write/cli, streamlit.
"""
