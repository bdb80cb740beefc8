"""The command line, `python -m data_access` or `gongkai`: main.py parses and dispatches, and
each other module adds one group of subcommands. Every write acts as the server's operator,
`permissions.OPERATOR` (or `Principal.operator(NAME)` for a command's --user): an admin over every
unit that is no account, so the audit log records its name and no user id.
May import anything in data_access; never streamlit.
"""
