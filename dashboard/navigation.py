"""The page registry: each page, its title key and the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("leader", "staff", "admin")


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under pages/, its title key, icon, section and allowed roles."""

    path: str
    title_key: str
    icon: str
    section_key: str
    roles: tuple[str, ...] = ALL_ROLES
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/overview.py", "nav.overview", ":material/dashboard:", "nav.section.dashboards", default=True
    ),
)


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in registry order."""
    return [p for p in PAGES if role in p.roles]
