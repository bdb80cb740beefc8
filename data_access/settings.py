"""Every setting of the product, declared once: name, default and help.

Values come from the environment (or a `.env`-style deployment) and never from
Streamlit, so the command line, the seed and the app read the same thing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "gongkai.sqlite3"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"


@dataclass(frozen=True)
class Setting:
    """One declared setting: its environment name, default (as text) and help."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "SQLAlchemy URL of the shared database. Default: an embedded SQLite file "
        "under data/ (created, migrated and seeded with the 2018 demo on first start). "
        "PostgreSQL: postgresql+psycopg://user@host/db; MariaDB: "
        "mysql+pymysql://user:pw@host/db?charset=utf8mb4.",
    ),
    Setting(
        "DEFAULT_UNIT",
        "qingyang",
        "Code of the org unit shown first and used by the command line when --unit is not given.",
    ),
    Setting(
        "SEED_DEMO",
        "auto",
        "Load the 2018 Qingyang demo data into an empty database at first start: "
        "auto (only for the embedded default SQLite file), yes, or no.",
    ),
    Setting(
        "LAG_THRESHOLD_PP",
        "10",
        "A key project lags when its 1-N month cumulative ÷ annual plan is more than "
        "this many percentage points below N/12.",
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT_MS",
        "30000",
        "How long (ms) a SQLite writer waits for another writer before giving up.",
    ),
    Setting(
        "SQLITE_CACHE_MB",
        "16",
        "Each SQLite connection's page cache (MB), filled only as pages are read: what a city's "
        "views read stays in memory between them (SQLite's own default is 2 MB).",
    ),
    Setting(
        "WRITE_WAIT_SECONDS",
        "600",
        "How long (s) an upload or an undo keeps trying while other writers hold the database "
        "(SQLite busy, a deadlock, a lock wait timeout) before it asks the user to try again.",
    ),
    Setting(
        "CACHE_TTL_SECONDS",
        "30",
        "How often (s) the app re-checks the database's data version; a new upload "
        "shows on every page and replica within this interval. An open browser session "
        "re-checks that its login has not been ended (logout elsewhere, password change, "
        "disabled user) as often.",
    ),
    Setting(
        "SESSION_SECRET",
        "",
        "Key that derives login cookies and the hashes the database keeps of them. Empty: a random "
        "key is generated once and kept in the database (app_meta), so every replica on that "
        "database shares it. Changing it ends every login.",
    ),
    Setting("SESSION_HOURS", "12", "How many hours a login lasts (also across page reloads)."),
    Setting(
        "LOGIN_MAX_FAILURES",
        "5",
        "Consecutive wrong passwords after which an account is locked. An admin account is never "
        "locked: past this many, each further wrong password blocks the address it came from for "
        "LOGIN_LOCK_MINUTES instead.",
    ),
    Setting(
        "LOGIN_LOCK_MINUTES", "15", "How many minutes a locked account (or a blocked address) stays locked."
    ),
    Setting(
        "LOGIN_THROTTLE_FAILURES",
        "10",
        "Failed logins from one client address, within LOGIN_THROTTLE_WINDOW_MINUTES, after which "
        "that address must wait before trying again: 2 s, then twice as long after each further "
        "failure (at most the window). Refused attempts check no password and count against no "
        "account. 0: off.",
    ),
    Setting(
        "LOGIN_THROTTLE_WINDOW_MINUTES",
        "15",
        "An address's failed logins are forgotten after this many minutes without one (counted "
        "from the end of its last wait).",
    ),
    Setting("UPLOAD_MAX_MB", "10", "Largest spreadsheet (MB) an upload or the import command accepts."),
    Setting(
        "IMPORT_MAX_ROWS",
        "100000",
        "Most data rows one imported sheet may hold. A sheet spanning more than this + 1,000 rows "
        "(titles, headers, notes, blank rows) is rejected before it is parsed.",
    ),
    Setting(
        "IMPORT_MAX_COLUMNS",
        "200",
        "Most columns a sheet of an uploaded file may span (up to its last used cell); a wider "
        "sheet is rejected before it is parsed.",
    ),
    Setting(
        "IMPORT_MAX_CELLS",
        "3000000",
        "Most cells (rows × columns of each sheet's used range, summed over the sheets) an uploaded "
        "file may span; a larger one is rejected before it is parsed.",
    ),
    Setting(
        "IMPORT_PARSE_MAX_MB",
        "1024",
        "Memory (MB) the child process that parses an .xlsx/.xls upload may allocate; past it the "
        "file is rejected and the server is unharmed.",
    ),
    Setting(
        "IMPORT_PARSE_TIMEOUT_SECONDS",
        "60",
        "Seconds the child process that parses an .xlsx/.xls upload may take before the file is rejected.",
    ),
    Setting(
        "ADMIN_INITIAL_PASSWORD",
        "",
        "Password of the first account `admin`, created when the database has no user. "
        "Empty: a random one is printed once. It must be changed at first login.",
    ),
    Setting(
        "TRUSTED_USER_HEADER",
        "",
        "Name of an HTTP header set by a trusted single-sign-on proxy that carries the "
        "username (e.g. X-Remote-User). Empty: off. Only safe behind a proxy that strips it from clients.",
    ),
    Setting(
        "SCREEN_SLIDE_SECONDS",
        "15",
        "Seconds each lobby-screen slide shows when staff have not set a playlist.",
    ),
    Setting(
        "SCREEN_RELOAD_AT",
        "03:30",
        "Local time (HH:MM) at which the lobby screen reloads itself each night to bound browser "
        "memory. Empty: never.",
    ),
    Setting(
        "PUBLIC_BASE_URL",
        "http://localhost:8501",
        "用户在浏览器中打开本系统的地址（如 https://gongkai.example.gov.cn），提醒消息中的链接以此开头。",
    ),
    Setting(
        "SMTP_HOST",
        "",
        "发送提醒邮件的 SMTP 服务器地址。留空：不发邮件（只发 webhook，若已设置）。",
    ),
    Setting("SMTP_PORT", "25", "SMTP 服务器端口（STARTTLS 通常为 587，SSL 通常为 465）。"),
    Setting(
        "SMTP_TLS",
        "starttls",
        "与 SMTP 服务器的加密方式：starttls（先明文连接再升级加密）、ssl（直接加密连接）或 none（不加密，仅限内网）。",
    ),
    Setting("SMTP_USER", "", "SMTP 登录用户名。留空：不登录（服务器允许匿名投递时）。"),
    Setting("SMTP_PASSWORD", "", "SMTP 登录密码（与 SMTP_USER 一起使用）。"),
    Setting("SMTP_FROM", "gongkai@localhost", "提醒邮件的发件人地址。"),
    Setting(
        "REMIND_WEBHOOK_URLS",
        "",
        "提醒推送的 webhook 地址（如政务微信、钉钉等工作群机器人），多个用逗号分隔。每次运行对每位收件人向每个地址各发一条消息。留空：不推送。",
    ),
    Setting(
        "REMIND_WEBHOOK_SHAPE",
        "markdown",
        'webhook 消息的格式：markdown（{"msgtype": "markdown", "markdown": {"content": …}}，工作群机器人通用）或 json（含收件人和事项列表的普通 JSON）。',
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Return the value of a declared setting (environment first, then its default)."""
    setting = _BY_NAME[name]  # KeyError for an undeclared name is deliberate
    value = os.environ.get(name, "").strip()
    return value or setting.default


def get_int(name: str) -> int:
    """Return a declared setting as an integer, with a clear error naming it."""
    raw = get(name)
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"设置 {name} 应为整数，实际为 {raw!r}") from exc


def get_float(name: str) -> float:
    """Return a declared setting as a number, with a clear error naming it."""
    raw = get(name)
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"设置 {name} 应为数字，实际为 {raw!r}") from exc


def database_url() -> str:
    """The configured database URL."""
    return get("DATABASE_URL")


def is_embedded_default(url: str) -> bool:
    """True when the URL is the embedded default SQLite file."""
    return url == DEFAULT_DATABASE_URL


# The deployment's environment file (deploy/gongkai.env.example, read by the systemd units): every
# setting above with its default, the database an embedded SQLite file of the install folder.
DEPLOY_ROOT = "/opt/gongkai"
ENV_EXAMPLE_HEADER = """\
# 政务公开看板的设置：复制为 /etc/gongkai/gongkai.env（systemd 单元的 EnvironmentFile），按需修改后
#   systemctl restart 'gongkai@*'
# 每个设置都列出并取默认值；值为空等于默认值。说明见 README 的设置一节。
# 本文件由 data_access.settings.env_example() 生成，测试检查它列出每个设置。
"""


def env_example() -> str:
    """The text of deploy/gongkai.env.example."""
    import textwrap

    parts = [ENV_EXAMPLE_HEADER]
    for s in SETTINGS:
        default = f"sqlite:///{DEPLOY_ROOT}/data/gongkai.sqlite3" if s.name == "DATABASE_URL" else s.default
        parts.append(
            "\n" + "".join(f"# {line}\n" for line in textwrap.wrap(s.help, 98)) + f"{s.name}={default}\n"
        )
    return "".join(parts)
