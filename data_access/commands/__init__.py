"""Subcommands of `python -m data_access`, one module each (see data_access.cli)."""
