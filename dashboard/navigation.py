"""The page registry: each page, its title key and the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("leader", "staff", "admin")
# The lobby screen's page: reached only through the screen URL (?mode=screen), never the menu.
SCREEN_PAGE = "pages/screen.py"
LOGIN_PAGE = "pages/login.py"
ACCOUNT_PAGE = "pages/account.py"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under pages/, its title key, icon, section and allowed roles."""

    path: str
    title_key: str
    icon: str
    section_key: str
    roles: tuple[str, ...] = ALL_ROLES
    default: bool = False


STAFF_AND_ADMIN = ("staff", "admin")

ADMIN_ONLY = ("admin",)

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", "nav.section.dashboards", default=True),
    PageSpec("pages/publications.py", "nav.publications", ":material/article:", "nav.section.dashboards"),
    PageSpec("pages/projects.py", "nav.projects", ":material/construction:", "nav.section.dashboards"),
    PageSpec("pages/requests.py", "nav.requests", ":material/contact_mail:", "nav.section.dashboards"),
    PageSpec("pages/duties.py", "nav.duties", ":material/event_available:", "nav.section.dashboards"),
    PageSpec("pages/annual_report.py", "nav.annual_report", ":material/summarize:", "nav.section.dashboards"),
    PageSpec("pages/units.py", "nav.units", ":material/leaderboard:", "nav.section.dashboards"),
    # -- leaders' dashboards (add above this line) --
    PageSpec("pages/upload.py", "nav.upload", ":material/upload_file:", "nav.section.records", STAFF_AND_ADMIN),
    PageSpec("pages/records.py", "nav.records", ":material/edit_note:", "nav.section.records", STAFF_AND_ADMIN),
    # -- staff: records (add above this line) --
    PageSpec("pages/screen_settings.py", "nav.screen_settings", ":material/tv:", "nav.section.admin", STAFF_AND_ADMIN),
    PageSpec("pages/admin_users.py", "nav.admin_users", ":material/group:", "nav.section.admin", ADMIN_ONLY),
    PageSpec("pages/admin_units.py", "nav.admin_units", ":material/account_tree:", "nav.section.admin", ADMIN_ONLY),
    PageSpec("pages/admin_catalogue.py", "nav.admin_catalogue", ":material/list_alt:", "nav.section.admin", ADMIN_ONLY),
    PageSpec("pages/admin_holidays.py", "nav.admin_holidays", ":material/event:", "nav.section.admin", ADMIN_ONLY),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", ":material/history:", "nav.section.admin", ADMIN_ONLY),
    # -- administration (add above this line) --
)  # fmt: skip


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in registry order."""
    return [p for p in PAGES if role in p.roles]
