"""Backups and restores of the database.

SQLite: a consistent snapshot through SQLite's online backup API (never a file
copy), taken while the app keeps writing: the copy holds one read transaction in
WAL mode, so it contains every committed transaction up to that moment, whole.
A restore first checks the file (SQLite header, `PRAGMA integrity_check`, our
`alembic_version`), saves the current database beside itself, then copies the
file in through the same API and bumps the data version so every replica reloads.

PostgreSQL / MariaDB: this module does not run `pg_dump` / `mariadb-dump` itself
(their version must match the server's and they need the server's password); it
raises UnsupportedBackend with the exact commands for the configured URL instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from data_access import settings

SQLITE_HEADER = b"SQLite format 3\x00"
_REQUIRED_TABLES = frozenset({"alembic_version", "app_meta", "org_unit", "app_user"})


class BackupError(Exception):
    """A backup or restore that cannot be done, with a Chinese message."""


class UnsupportedBackend(BackupError):
    """The database is not SQLite; the message tells which command to run instead."""


@dataclass(frozen=True)
class BackupInfo:
    """A written backup: where, how big, and at which schema revision."""

    path: Path
    size_bytes: int
    revision: str


@dataclass(frozen=True)
class RestoreInfo:
    """A finished restore: the revision restored, whether it needs `init`, and the saved old database."""

    revision: str
    needs_upgrade: bool
    previous_saved_as: Path | None


def _sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "mysql", "mariadb"):
        raise UnsupportedBackend(backend)
    if backend != "sqlite":
        raise BackupError(f"不支持的数据库类型：{backend}")
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("内存数据库无法备份或恢复")
    return Path(parsed.database).resolve()


def _timeout() -> float:
    return settings.get_int("SQLITE_BUSY_TIMEOUT_MS") / 1000


def _online_copy(source: Path, dest: Path) -> None:
    """Copy a SQLite database with the backup API into a temporary file, then move it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        src = sqlite3.connect(source, timeout=_timeout())
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # one step: a single read transaction, a consistent snapshot
                dst.execute("PRAGMA journal_mode = DELETE")  # a self-contained file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _known_revisions() -> tuple[set[str], set[str]]:
    """(every revision of our migrations, the heads)."""
    from alembic.script import ScriptDirectory

    from data_access.store.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {r.revision for r in script.walk_revisions()}, set(script.get_heads())


def verify_backup_file(path: Path) -> str:
    """Check that a file is a sound SQLite database of this product; return its schema revision."""
    if not path.is_file():
        raise BackupError(f"文件不存在：{path}")
    with path.open("rb") as f:
        if f.read(16) != SQLITE_HEADER:
            raise BackupError(f"{path} 不是 SQLite 数据库文件")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{path} 未通过完整性检查（已损坏）：{'；'.join(problems[:3])}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = sorted(_REQUIRED_TABLES - tables)
            if missing:
                raise BackupError(f"{path} 不是本系统的数据库（缺少表：{'、'.join(missing)}）")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 无法作为 SQLite 数据库读取（可能已损坏）：{exc}") from exc
    if row is None:
        raise BackupError(f"{path} 没有数据库结构版本（alembic_version 为空），不是完整的本系统数据库")
    known, _ = _known_revisions()
    if row[0] not in known:
        raise BackupError(f"{path} 的数据库结构版本 {row[0]} 不为本程序所知：请用生成该备份的程序版本恢复")
    return str(row[0])


def backup_database(url: str, dest: Path) -> BackupInfo:
    """Write a consistent backup of the database at `url` to `dest` (SQLite only)."""
    try:
        source = _sqlite_path(url)
    except UnsupportedBackend:
        raise UnsupportedBackend(guidance(url, dest)) from None
    dest = Path(dest).resolve()
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}")
    if dest == source:
        raise BackupError("备份文件不能是数据库文件本身")
    if dest.is_dir():
        raise BackupError(f"{dest} 是目录：请给出备份文件名")
    _online_copy(source, dest)
    try:
        revision = verify_backup_file(dest)
    except BackupError as exc:
        dest.unlink(missing_ok=True)
        raise BackupError(
            f"数据库本身未通过检查，未保留备份：{exc}（数据库尚未初始化时请先运行 init）"
        ) from exc
    return BackupInfo(dest, dest.stat().st_size, revision)


def _data_version(conn: sqlite3.Connection) -> int:
    try:
        row = conn.execute("SELECT value FROM app_meta WHERE key = 'data_version'").fetchone()
    except sqlite3.DatabaseError:
        return 0
    try:
        return int(row[0]) if row else 0
    except ValueError:
        return 0


def restore_database(url: str, source: Path, *, now: dt.datetime | None = None) -> RestoreInfo:
    """Replace the database at `url` with a checked backup file (SQLite only)."""
    try:
        target = _sqlite_path(url)
    except UnsupportedBackend:
        raise UnsupportedBackend(guidance(url, source, restore=True)) from None
    source = Path(source).resolve()
    if source == target:
        raise BackupError("备份文件就是当前数据库文件本身")
    revision = verify_backup_file(source)
    saved: Path | None = None
    if target.is_file() and target.stat().st_size > 0:
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        saved = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        _online_copy(target, saved)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target, timeout=_timeout())
            try:
                before = _data_version(dst)
                src.backup(dst)
                version = max(before, _data_version(dst)) + 1
                dst.execute(
                    "INSERT OR REPLACE INTO app_meta (key, value) VALUES ('data_version', ?)", (str(version),)
                )
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        where = f"；恢复前的数据库已另存为 {saved}" if saved else ""
        raise BackupError(f"恢复失败：{exc}{where}") from exc
    _, heads = _known_revisions()
    return RestoreInfo(revision, revision not in heads, saved)


def guidance(url: str, file: Path, *, restore: bool = False) -> str:
    """Chinese instructions with the exact dump (or restore) command for a PostgreSQL/MariaDB URL."""
    parsed = make_url(url)
    file_arg = str(file)
    if parsed.get_backend_name() == "postgresql":
        conn: list[str] = []
        if parsed.host:
            conn += ["-h", parsed.host]
        if parsed.port:
            conn += ["-p", str(parsed.port)]
        if parsed.username:
            conn += ["-U", parsed.username]
        conn += ["-d", parsed.database or "postgres"]
        dump = shlex.join(["pg_dump", "-Fc", *conn, "-f", file_arg])
        load = shlex.join(["pg_restore", "--clean", "--if-exists", "--no-owner", *conn, file_arg])
        name, password_note = (
            "PostgreSQL",
            "密码请用 PGPASSWORD 环境变量或 ~/.pgpass 提供；pg_dump 的版本不能低于服务器版本。",
        )
    else:
        conn = []
        if parsed.host:
            conn += ["-h", parsed.host]
        if parsed.port:
            conn += ["-P", str(parsed.port)]
        if parsed.username:
            conn += ["-u", parsed.username]
        if parsed.password:
            conn += ["-p"]
        options = ["--single-transaction", "--routines", "--triggers", "--default-character-set=utf8mb4"]
        dump = shlex.join(
            ["mariadb-dump", *options, *conn, f"--result-file={file_arg}", parsed.database or ""]
        )
        load = shlex.join(["mariadb", "--default-character-set=utf8mb4", *conn, parsed.database or ""])
        load += f" < {shlex.quote(file_arg)}"
        name, password_note = "MariaDB", "-p 会提示输入密码。"
    action, command = ("恢复", load) if restore else ("备份", dump)
    return (
        f"当前数据库是 {name}：本命令只直接{action}内置的 SQLite 数据库。"
        f"请在能连到数据库服务器的机器上运行：\n  {command}\n{password_note}"
    )


# Backups on a timer (`backup --to DIR --keep-days N`): one file per run, named by its local time.
BACKUP_NAME = re.compile(r"gongkai-(\d{8}-\d{6})(?:-\d+)?\.sqlite3")
BACKUP_ACTION = "backup"


@dataclass(frozen=True)
class ScheduledBackup:
    """A backup written into a folder: the file, its row count (checked), and the old files removed."""

    info: BackupInfo
    rows: int
    removed: tuple[Path, ...]


def _stamp(path: Path) -> dt.datetime | None:
    match = BACKUP_NAME.fullmatch(path.name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None


def _new_file(folder: Path, now: dt.datetime) -> Path:
    name = f"gongkai-{now:%Y%m%d-%H%M%S}"
    dest, n = folder / f"{name}.sqlite3", 1
    while dest.exists():
        n += 1
        dest = folder / f"{name}-{n}.sqlite3"
    return dest


def _sqlite_rows(path: Path) -> dict[str, int]:
    """Each table's row count in a backup file, read back from the file itself."""
    from data_access.store import db, transfer

    engine = db.make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return transfer.counts(conn)
    finally:
        engine.dispose()


def _server_copy(url: str, dest: Path) -> BackupInfo:
    """A PostgreSQL or MariaDB database copied, table by table from one snapshot, into a SQLite file
    (restored with `migrate-data --from sqlite:///FILE --to URL`); the file is then read back and
    each table's count compared with the snapshot's."""
    from data_access.store import db, transfer

    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    source, target = db.make_engine(url), db.make_engine(f"sqlite:///{tmp}")
    try:
        db.upgrade(target)
        result = transfer.copy_database(source, target)
        target.dispose()
        with sqlite3.connect(tmp) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        revision = verify_backup_file(tmp)
        found = _sqlite_rows(tmp)
        if found != result.counts:
            differ = [name for name, n in result.counts.items() if found.get(name) != n]
            raise BackupError(f"备份文件读回后行数与数据库不一致（表 {'、'.join(differ)}），未保留备份")
        os.replace(tmp, dest)
    except transfer.TransferError as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    finally:
        source.dispose()
        target.dispose()
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return BackupInfo(dest, dest.stat().st_size, revision)


def rotate(folder: Path, keep_days: int, now: dt.datetime) -> tuple[Path, ...]:
    """Remove this product's backup files in `folder` older than `keep_days`, never the newest."""
    ours = sorted((stamp, path) for path in folder.iterdir() if (stamp := _stamp(path)) and path.is_file())
    cutoff = now - dt.timedelta(days=keep_days)
    removed = tuple(path for stamp, path in ours[:-1] if stamp < cutoff)
    for path in removed:
        path.unlink()
    return removed


def backup_to_folder(
    url: str, folder: Path, keep_days: int | None = None, *, now: dt.datetime | None = None
) -> ScheduledBackup:
    """Write a checked backup of the database into `folder` (any backend), record it in the audit
    log of the database itself (so every replica and the admin page see when the last one was
    made), then remove the folder's backups older than `keep_days`."""
    from data_access.store import audit, db

    if keep_days is not None and keep_days < 1:
        raise BackupError("--keep-days 至少为 1")
    now = now or audit.local_now()
    folder = Path(folder).resolve()
    if folder.exists() and not folder.is_dir():
        raise BackupError(f"{folder} 不是目录")
    folder.mkdir(parents=True, exist_ok=True)
    dest = _new_file(folder, now)
    backend = make_url(url).get_backend_name()
    info = (
        _server_copy(url, dest)
        if backend in ("postgresql", "mysql", "mariadb")
        else backup_database(url, dest)
    )
    rows = sum(_sqlite_rows(info.path).values())
    engine = db.make_engine(url)
    try:
        with db.write_session(engine) as session:
            detail = (
                f"已备份到 {info.path}（{info.size_bytes / 1024 / 1024:.1f} MB，{rows} 行，"
                f"结构版本 {info.revision}，已通过检查）"
            )
            audit.record(session, BACKUP_ACTION, username="命令行", detail=detail, source="备份命令")
    finally:
        engine.dispose()
    removed = rotate(folder, keep_days, now) if keep_days is not None else ()
    return ScheduledBackup(info, rows, removed)


def last_backup_at(session) -> dt.datetime | None:  # type: ignore[no-untyped-def]
    """When the last backup was recorded in the database's audit log (None: never)."""
    from data_access.store import audit

    return audit.last_at(session, BACKUP_ACTION)
