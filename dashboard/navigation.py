"""The page registry: each page, its title key and the permission that opens it.

Who may do what is declared once, in data_access.rules.permissions.PERMISSIONS; a page names the action
it needs and the menu, the router and each page's own guard ask that table.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access.rules import permissions

# The lobby screen's page: reached only through the screen URL (?mode=screen), never the menu.
SCREEN_PAGE = "pages/screen.py"
LOGIN_PAGE = "pages/login.py"
ACCOUNT_PAGE = "pages/account.py"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under pages/, its title key, icon, section and the action it needs."""

    path: str
    title_key: str
    icon: str
    section_key: str
    permission: str = "view_dashboards"
    default: bool = False

    def allows(self, role: str) -> bool:
        """Whether a role may open this page."""
        return permissions.can(role, self.permission)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", "nav.section.dashboards", default=True),
    PageSpec("pages/publications.py", "nav.publications", ":material/article:", "nav.section.dashboards"),
    PageSpec("pages/projects.py", "nav.projects", ":material/construction:", "nav.section.dashboards"),
    PageSpec("pages/requests.py", "nav.requests", ":material/contact_mail:", "nav.section.dashboards"),
    PageSpec("pages/duties.py", "nav.duties", ":material/event_available:", "nav.section.dashboards"),
    PageSpec("pages/annual_report.py", "nav.annual_report", ":material/summarize:", "nav.section.dashboards", "view_reports"),
    PageSpec("pages/units.py", "nav.units", ":material/leaderboard:", "nav.section.dashboards"),
    # -- leaders' dashboards (add above this line) --
    PageSpec("pages/upload.py", "nav.upload", ":material/upload_file:", "nav.section.records", "upload"),
    PageSpec("pages/records.py", "nav.records", ":material/edit_note:", "nav.section.records", "edit_records"),
    # -- staff: records (add above this line) --
    PageSpec("pages/screen_settings.py", "nav.screen_settings", ":material/tv:", "nav.section.admin", "screen_settings"),
    PageSpec("pages/admin_users.py", "nav.admin_users", ":material/group:", "nav.section.admin", "admin_users"),
    PageSpec("pages/admin_units.py", "nav.admin_units", ":material/account_tree:", "nav.section.admin", "admin_units"),
    PageSpec("pages/admin_balances.py", "nav.admin_balances", ":material/savings:", "nav.section.admin", "admin_units"),
    PageSpec("pages/admin_catalogue.py", "nav.admin_catalogue", ":material/list_alt:", "nav.section.admin", "admin_catalogue"),
    PageSpec("pages/admin_holidays.py", "nav.admin_holidays", ":material/event:", "nav.section.admin", "admin_holidays"),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", ":material/history:", "nav.section.admin", "view_audit"),
    # -- administration (add above this line) --
    PageSpec("pages/help.py", "nav.help", ":material/help:", "nav.section.help"),
)  # fmt: skip


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in registry order."""
    return [p for p in PAGES if p.allows(role)]
