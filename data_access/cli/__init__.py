"""The command line, `python -m data_access` or `gongkai`: main.py parses and dispatches, and
each other module adds one group of subcommands. May import anything in data_access; never
streamlit.
"""
