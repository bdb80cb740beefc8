"""`python -m data_access kpis --year 2018 --json` on the seeded demo prints DOMAIN.md's table.

Through the command line itself (the parser, JSON output, exit codes), on every backend: the
keys the issue lists, numbers as JSON numbers, names exactly as DOMAIN.md writes them, and a
clear Chinese message with exit code 1 for an unknown unit, a year without data or an
uninitialised database.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from data_access.cli import main as cli
from tests.helpers.figures import CATEGORIES_2018 as CATEGORIES


def _run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--database-url", url, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _numbers_are_numbers(value: object, where: str = "") -> None:
    """Every leaf is a JSON number, null, a list of names, or one of the few strings it should be."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _numbers_are_numbers(inner, f"{where}.{key}")
    elif isinstance(value, list):
        assert all(isinstance(v, str) for v in value), where  # projects.lagging: names
    elif isinstance(value, str):
        assert where in (".unit", ".unit_name"), f"{where} is a string: {value!r}"
    else:
        assert value is None or (isinstance(value, int | float) and not isinstance(value, bool)), where


def test_the_2018_table_from_the_command_line(seeded_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, _url(seeded_db), "kpis", "--year", "2018", "--json")
    assert (code, err) == (0, "")
    k = json.loads(out)
    _numbers_are_numbers(k)
    assert (k["year"], k["month"], k["unit"]) == (2018, 12, "qingyang")
    pub = k["publications"]
    assert (pub["total"], pub["cumulative"], pub["full_text_rate"]) == (158, 954, 1.0)
    assert pub["by_category"] == CATEGORIES and list(pub["by_category"]) == list(CATEGORIES)
    assert pub["by_topic"] == {"财政资金": 21, "重大建设项目": 13, "公共服务": 40, "监督检查": 38}
    assert pub["by_channel"] == {"政府门户网站": 158, "政府公报": 0}
    assert pub["cumulative_by_channel"] == {"政府门户网站": 954, "政府公报": 0}
    req = k["requests"]
    assert (req["received"], req["by_channel"]) == (1, {"当面": 0, "网络": 1, "信函、传真": 0})
    assert req["replies"] == {"同意公开": 0, "同意部分公开": 0, "不予公开": 0, "其他": 1}
    assert (req["reconsiderations"], req["litigations"], req["complaints"]) == (0, 0, 0)
    assert (req["cumulative"]["received"], req["cumulative"]["replies"]["其他"]) == (1, 1)
    assert k["deliveries"] == {"archive": 158, "library": 158}
    assert (k["interpretations"], k["hotline_duties"]) == (0, 2)
    proj = k["projects"]
    assert set(proj) >= {"count", "ytd_invested", "annual_plan", "completion_rate", "lagging"}
    assert (proj["count"], proj["annual_plan"]) == (25, 281026)
    assert proj["completion_rate"] == round(proj["ytd_invested"] / proj["annual_plan"], 4)


def test_october_is_the_office_s_october_table(seeded_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, _url(seeded_db), "kpis", "--year", "2018", "--month", "10", "--json")
    k = json.loads(out)
    assert (code, k["month"], k["publications"]["total"]) == (0, 10, 132)
    assert k["deliveries"] == {"archive": 132, "library": 132}  # January–October
    proj = k["projects"]
    assert (proj["count"], proj["ytd_invested"], proj["annual_plan"], proj["completion_rate"]) == (
        25,
        231200,
        281026,
        0.8227,
    )
    assert len(proj["lagging"]) == 7 and "青阳街道消防站建设" in proj["lagging"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--unit", "nowhere"), "错误：未知单位代码：nowhere。可用的单位代码：jinjiang、qingyang"),
        (("--year", "2031"), "错误：青阳街道（qingyang）2031 年没有任何数据"),
        # 2018 has its board's updates (data, though nothing else was recorded); 2017 has nothing.
        (
            ("--unit", "qingyang-xiyuan", "--year", "2017"),
            "错误：西园社区（qingyang-xiyuan）2017 年没有任何数据",
        ),
        (("--month", "13"), "错误：月份应在 1–12 之间，实际为 13"),
    ],
)
def test_errors_say_what_and_exit_1(
    seeded_db: Engine, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    args = dict(zip(argv[::2], argv[1::2], strict=True))
    year = args.pop("--year", "2018")
    code, out, err = _run(
        capsys, _url(seeded_db), "kpis", "--year", year, *(x for kv in args.items() for x in kv), "--json"
    )
    assert (code, out) == (1, "")
    assert err.startswith(message), err


def test_an_uninitialised_database_is_a_clear_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'nothing.sqlite3'}"
    code, out, err = _run(capsys, url, "kpis", "--year", "2018", "--json")
    assert (code, out) == (1, "")
    assert "数据库尚未初始化：请先运行 python -m data_access init" in err
    with pytest.raises(SystemExit) as exc:  # a year that is not a number: a usage error
        cli.main(["--database-url", url, "kpis", "--year", "二〇一八"])
    assert exc.value.code == 2
