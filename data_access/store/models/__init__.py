"""The whole product's data model (SQLAlchemy 2.0 typed models), one module per what it records.

Glossary: ../README.md and DOMAIN names — publication (主动公开), disclosure_request
(依申请公开), project / project_progress (重点项目), board / board_update (公开栏),
delivery (送交两馆), appeal (行政复议/诉讼/申诉举报), org_unit (any level: 省…社区, 部门; unit_level).
Every imported row points at the upload batch that brought it (`batch_id`).
Strings carry lengths and text that must be indexed stays a VARCHAR so the same
schema works on SQLite, PostgreSQL and MariaDB.

- `base`: the declarative `Base` and its constraint naming convention;
- `units`: units and their levels, the catalogue schemes, their items and names by year, topics, annual targets, the screen playlist;
- `records`: what the office did (publications, projects, requests, boards, deliveries, …);
- `uploads`: upload batches and their keys, the upload lock, the change log undo reads;
- `accounts`: users, login sessions and throttle, the audit log;
- `calendar`: the working-day calendar tables, the running counts, app_meta;
- `balances`: opening balances (历年累计 before the first recorded year) and 零报告 (zero reports);
- `documents`: the documents (公文) a unit made in a year and their disclosure attribute;
- `annual`: table 二 of the 2021 report as entered (annual_figure);
- `identity`: an item's 更正 and 撤回 (publication_correction, publication_withdrawal);
- `reminders`: the reminders sent (or tried) by `python -m data_access remind` (reminder_sent);
- `registers`: the publication registers and which registers list each item.

Import models from here: this package imports every module, so `Base.metadata` holds every
table (Alembic's env and the tests compare the migrations with it).
"""

from data_access.store.models.accounts import AppUser, AuditLog, LoginSession, LoginThrottle
from data_access.store.models.annual import AnnualFigure
from data_access.store.models.balances import OpeningBalance, ZeroReport
from data_access.store.models.base import NAMING_CONVENTION, Base, Money
from data_access.store.models.calendar import (
    AppMeta,
    PublicationDue,
    StatRollup,
    StatTally,
    UnitAncestor,
    WorkdayCount,
    WorkdayOverride,
)
from data_access.store.models.documents import Document
from data_access.store.models.identity import (
    CORRECTION_ACTIONS,
    PublicationCorrection,
    PublicationWithdrawal,
)
from data_access.store.models.records import (
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    PolicyInterpretation,
    Project,
    ProjectProgress,
    Publication,
    RequestPart,
    RequestPause,
)
from data_access.store.models.registers import PublicationListing, PublicationRegister
from data_access.store.models.reminders import ReminderSent
from data_access.store.models.units import (
    AnnualTarget,
    CatalogueScheme,
    Category,
    CategoryName,
    OrgUnit,
    ScreenSlide,
    Topic,
    UnitLevel,
)
from data_access.store.models.uploads import (
    ACTIVE_UPLOAD_SQL,
    MONTHLY_UPLOAD_KINDS,
    YEARLY_UPLOAD_KINDS,
    ImportChange,
    UploadBatch,
    UploadLock,
)

__all__ = [
    "AnnualFigure",
    "ACTIVE_UPLOAD_SQL",
    "MONTHLY_UPLOAD_KINDS",
    "NAMING_CONVENTION",
    "YEARLY_UPLOAD_KINDS",
    "AnnualTarget",
    "AppMeta",
    "AppUser",
    "Appeal",
    "AuditLog",
    "Base",
    "Board",
    "CORRECTION_ACTIONS",
    "BoardUpdate",
    "CatalogueScheme",
    "Category",
    "CategoryName",
    "Delivery",
    "DisclosureRequest",
    "Document",
    "HotlineDuty",
    "ImportChange",
    "LoginSession",
    "LoginThrottle",
    "Money",
    "OpeningBalance",
    "OrgUnit",
    "PolicyInterpretation",
    "Project",
    "ProjectProgress",
    "PublicationDue",
    "Publication",
    "PublicationCorrection",
    "PublicationWithdrawal",
    "PublicationListing",
    "PublicationRegister",
    "ReminderSent",
    "RequestPart",
    "RequestPause",
    "ScreenSlide",
    "StatRollup",
    "StatTally",
    "Topic",
    "UnitAncestor",
    "UnitLevel",
    "UploadBatch",
    "UploadLock",
    "WorkdayCount",
    "WorkdayOverride",
    "ZeroReport",
]
