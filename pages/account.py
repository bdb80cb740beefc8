"""我的账户: who is logged in, change the password (required at first login), log out."""

from __future__ import annotations

from dashboard.panels.account_view import account_view

account_view()
