"""`python -m data_access users ...` against a temporary SQLite file: in this process (see
tests/helpers/cli.py), and once as a real process through the `gongkai` console script."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from data_access.store import audit, db
from data_access.store.models import AppUser
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.cli import GONGKAI, Ran, run_cli, run_process

NOW = dt.datetime(2024, 1, 2, 9, 0)


def run(
    url: str, *args: str, stdin: str | None = None, module: str = "data_access", env: dict | None = None
) -> Ran:
    return run_cli("--database-url", url, *args, stdin=stdin, env=env, module=module)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file set up by `init` and holding the Qingyang units (tests use distinct usernames)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('users-cli') / 'gk.sqlite3'}"
    done = run(url, "init")
    assert done.returncode == 0, done.stderr
    engine = db.make_engine(url)
    with db.write_session(engine) as s:
        qingyang2018.load(s)
    engine.dispose()
    return url


def login(url: str, username: str, password: str) -> auth.LoginResult:
    engine = db.make_engine(url)
    try:
        with db.write_session(engine) as s:
            return auth.authenticate(s, username, password, "test", now=NOW)
    finally:
        engine.dispose()


def printed_password(stdout: str) -> str:
    match = re.search(r"(?:初始密码|新密码)：(\S+)", stdout)
    assert match, stdout
    return match.group(1)


def test_add_with_a_random_password_printed_once(url):
    done = run(url, "users", "add", "Zhang", "--role", "staff", "--unit", "qingyang-xiyuan", "--name", "张三")
    assert done.returncode == 0, done.stderr
    assert "已创建用户 zhang（工作人员，单位 qingyang-xiyuan）" in done.stdout
    password = printed_password(done.stdout)
    result = login(url, "zhang", password)
    assert result.ok and result.user.must_change_password and result.user.display_name == "张三"
    listed = json.loads(run(url, "users", "list", "--json").stdout)
    row = next(r for r in listed if r["username"] == "zhang")
    assert row == {
        "username": "zhang",
        "display_name": "张三",
        "role": "staff",
        "unit": "qingyang-xiyuan",
        "active": True,
        "must_change_password": True,
        "locked_until": None,
        "last_login_at": NOW.isoformat(sep=" "),
        "email": None,
    }
    assert password not in run(url, "users", "list").stdout


def test_add_with_password_from_stdin(url):
    done = run(
        url,
        "users",
        "add",
        "li",
        "--role",
        "leader",
        "--unit",
        "jinjiang",
        "--password-stdin",
        stdin="li-pass-2024\n",
    )
    assert done.returncode == 0, done.stderr
    assert "li-pass-2024" not in done.stdout and "密码" not in done.stdout
    result = login(url, "li", "li-pass-2024")
    assert result.ok and result.user.role == "leader" and result.user.must_change_password


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "add", "DUP", "--role", "staff", "--unit", "qingyang"), None, "用户名 dup 已存在"),
        (("users", "add", "wu", "--role", "staff", "--unit", "mars"), None, "单位代码 mars 不存在"),
        (("users", "add", "wu", "--role", "chief", "--unit", "qingyang"), None, "角色应为"),
        (
            ("users", "add", "wu", "--role", "staff", "--unit", "qingyang", "--password-stdin"),
            "12345678\n",
            "全是数字",
        ),
        (("users", "add", "wu", "--role", "staff", "--unit", "qingyang", "--password-stdin"), "", "没有密码"),
        (("users", "passwd", "ghost"), None, "用户 ghost 不存在"),
        (("users", "disable", "ghost"), None, "用户 ghost 不存在"),
    ],
)
def test_errors_are_one_chinese_line_and_exit_1(url, args, stdin, message):
    if args[2] == "DUP":  # the name taken, in another case (each case stands alone: xdist may split them)
        first = run(url, "users", "add", "dup", "--role", "staff", "--unit", "qingyang")
        assert first.returncode == 0 or "已存在" in first.stderr, first.stderr
    done = run(url, *args, stdin=stdin)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("错误：") and message in line


def test_passwd_resets_and_forces_a_change(url):
    run(
        url,
        "users",
        "add",
        "chen",
        "--role",
        "staff",
        "--unit",
        "qingyang",
        "--password-stdin",
        stdin="chen-first-1\n",
    )
    engine = db.make_engine(url)
    with db.write_session(engine) as s:
        chen = auth.authenticate(s, "chen", "chen-first-1", "test").user
        auth.change_own_password(s, chen, "chen-first-1", "chen-second-2")
    engine.dispose()
    assert not login(url, "chen", "chen-second-2").user.must_change_password
    done = run(url, "users", "passwd", "chen")
    assert done.returncode == 0 and "已重置用户 chen 的密码" in done.stdout
    new = printed_password(done.stdout)
    assert not login(url, "chen", "chen-second-2").ok
    result = login(url, "chen", new)
    assert result.ok and result.user.must_change_password
    done = run(url, "users", "passwd", "chen", "--password-stdin", stdin="chen-third-3\n")
    assert done.returncode == 0 and "chen-third-3" not in done.stdout
    assert login(url, "chen", "chen-third-3").ok


def test_disable_and_enable(url):
    run(
        url,
        "users",
        "add",
        "zhao",
        "--role",
        "staff",
        "--unit",
        "qingyang",
        "--password-stdin",
        stdin="zhao-pass-1\n",
    )
    done = run(url, "users", "disable", "zhao")
    assert done.returncode == 0 and "已停用用户 zhao" in done.stdout
    assert login(url, "zhao", "zhao-pass-1").message == "账户已停用，请联系管理员"
    again = run(url, "users", "disable", "zhao")
    assert again.returncode == 0 and "本已停用" in again.stdout
    assert "停用" in next(
        line for line in run(url, "users", "list").stdout.splitlines() if line.startswith("zhao")
    )
    assert run(url, "users", "enable", "zhao").returncode == 0
    assert login(url, "zhao", "zhao-pass-1").ok


def test_changes_are_audited_with_the_command_line_as_source(url):
    run(url, "users", "add", "sun", "--role", "admin", "--unit", "qingyang")
    engine = db.make_engine(url)
    with db.read_session(engine) as s:
        entry = next(e for e in audit.list_entries(s, 100, action="user_change") if "sun" in (e.detail or ""))
        user = s.scalar(select(AppUser).where(AppUser.username == "sun"))
    engine.dispose()
    assert entry.detail == "新建用户 sun（管理员，青阳街道）"
    assert entry.source.startswith("命令行（") and entry.user_id is None
    assert user.role == "admin" and user.active


def test_uninitialised_database(tmp_path):
    done = run(f"sqlite:///{tmp_path / 'blank.sqlite3'}", "users", "list")
    assert done.returncode == 1 and "请先运行 python -m data_access init" in done.stderr


def _first_run(url: str, env: dict) -> tuple[str, str]:
    """The run command's two steps before serving: the demo seed (first start only), then init."""
    seed = run(url, "--first-run", module="seed", env=env)
    assert seed.returncode == 0, seed.stderr
    init = run(url, "init", env=env)
    assert init.returncode == 0, init.stderr
    return seed.stdout, init.stdout


def test_the_first_run_prints_the_admins_password_once_and_it_must_be_changed(tmp_path):
    url = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    env = {"SEED_DEMO": "yes", "ADMIN_INITIAL_PASSWORD": ""}
    _seeded, printed = _first_run(url, env)
    assert "已创建管理员账户 admin，初始密码：" in printed and "只显示这一次" in printed
    password = re.search(r"初始密码：(\S+)", printed).group(1)
    _seeded, again = _first_run(url, env)
    assert "管理员账户" not in again and password not in again, "printed only once"
    result = login(url, "admin", password)
    assert result.ok and result.user.role == "admin" and result.user.must_change_password
    assert login(url, "demo_admin", "demo12345").ok, "the demo seed brings its accounts"


def test_the_first_admins_password_from_the_environment_and_no_demo_accounts(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    _seeded, printed = _first_run(url, {"SEED_DEMO": "no", "ADMIN_INITIAL_PASSWORD": "env-admin-pass-1"})
    assert "管理员账户" not in printed, "no unit yet: the first unit's command creates the admin"
    added = run(url, "units", "add", "xiamen", "厦门市", "--level", "city",
                env={"ADMIN_INITIAL_PASSWORD": "env-admin-pass-1"})  # fmt: skip
    assert added.returncode == 0, added.stderr
    result = login(url, "admin", "env-admin-pass-1")
    assert result.ok and result.user.must_change_password
    names = [u["username"] for u in json.loads(run(url, "users", "list", "--json").stdout)]
    assert names == ["admin"], "no demo accounts without the demo"


def test_a_configured_admin_password_is_never_printed(tmp_path):
    url = f"sqlite:///{tmp_path / 'quiet.sqlite3'}"
    assert run(url, "init").returncode == 0
    added = run(url, "units", "add", "xiamen", "厦门市", "--level", "city",
                env={"ADMIN_INITIAL_PASSWORD": "env-admin-pass-1"})  # fmt: skip
    assert added.returncode == 0 and "已创建管理员账户 admin" in added.stdout
    assert "env-admin-pass-1" not in added.stdout


def test_the_console_script_is_the_same_command_line_with_its_exit_codes(tmp_path):
    """The process boundary: `gongkai` runs the command line, reads the password from a pipe and
    exits 0 on success and 1 with one Chinese line on stderr for an error."""
    url = f"sqlite:///{tmp_path / 'process.sqlite3'}"
    blank = run_process("--database-url", url, "users", "list", command=(str(GONGKAI),))
    assert blank.returncode == 1 and "请先运行 python -m data_access init" in blank.stderr
    assert run_process("--database-url", url, "init").returncode == 0
    assert (
        run_process("--database-url", url, "units", "add", "xiamen", "厦门市", "--level", "city").returncode
        == 0
    )
    added = run_process("--database-url", url, "users", "add", "piped", "--role", "staff", "--unit", "xiamen",
                        "--password-stdin", stdin="piped-pass-1\n", command=(str(GONGKAI),))  # fmt: skip
    assert (added.returncode, added.stderr) == (0, ""), added.stderr
    assert login(url, "piped", "piped-pass-1").ok


def test_set_a_users_reminder_email(url):
    assert run(url, "users", "add", "wang", "--role", "staff", "--unit", "qingyang").returncode == 0
    done = run(url, "users", "set", "Wang", "--email", " wang@example.gov.cn ")
    assert done.returncode == 0 and "已设置用户 wang 的提醒邮箱：wang@example.gov.cn" in done.stdout
    assert "未做修改" in run(url, "users", "set", "wang", "--email", "wang@example.gov.cn").stdout
    bad = run(url, "users", "set", "wang", "--email", "wang at example")
    assert bad.returncode == 1 and "邮箱地址格式不正确" in bad.stderr
    assert run(url, "users", "set", "nobody", "--email", "a@b.cn").returncode == 1
    listed = json.loads(run(url, "users", "list", "--json").stdout)
    assert next(r for r in listed if r["username"] == "wang")["email"] == "wang@example.gov.cn"
    assert "已清除用户 wang 的提醒邮箱" in run(url, "users", "set", "wang", "--email", "").stdout
    engine = db.make_engine(url)
    try:
        with db.read_session(engine) as s:
            assert s.scalar(select(AppUser.email).where(AppUser.username == "wang")) is None
            details = [e.detail for e in audit.list_entries(s, 10, action="user_change")]
            assert "设置用户 wang 的提醒邮箱" in details and "清除用户 wang 的提醒邮箱" in details
    finally:
        engine.dispose()
