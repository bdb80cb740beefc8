"""The 公开目录 tab of 目录与年度目标 in AppTest: it says whose catalogue a unit uses in the year,
previews a rename from a year and saves it for that year on, and gives a unit its own copy."""

from __future__ import annotations

from data_access.read import kpis
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import auth
from data_access.write import catalogue as admin_catalogue
from seed import qingyang2018
from tests.helpers.catalogues import CITY, TEN, add_offices, upload
from tests.helpers.pages import run, texts, url


def _admin_of_city(engine):  # type: ignore[no-untyped-def]
    with db.write_session(engine) as s:
        qingyang2018.load(s)
    add_offices(engine)
    assert upload(engine, TEN, 2019, 5, {"公示公告": 2}).status == "committed"
    with db.write_session(engine) as s:
        auth.create_user(
            s,
            "city_admin",
            role="admin",
            unit_code=CITY,
            password="pass-word-1",
            must_change_password=False,
            actor=OPERATOR,
        )
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "city_admin")


def _said(at) -> str:  # type: ignore[no-untyped-def]
    return texts(at) + " ".join(str(e.value) for e in at.success)


def _by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in widgets if w.label == label)


def test_rename_from_a_year_is_previewed_and_leaves_the_year_before(monkeypatch, empty_sqlite):
    admin = _admin_of_city(empty_sqlite)
    at = run(monkeypatch, url(empty_sqlite), "pages/admin_catalogue.py", query={"unit": TEN}, who=admin)
    _by_label(at.number_input, "年度").set_value(2020).run()
    assert "甲街道 2020 年使用本单位的目录" in _said(at)
    _by_label(at.selectbox, "选择目录").set_value("07").run()
    _by_label(at.text_input, "新名称").input("公告公示").run()
    assert "2020年起：“公示公告”改为“公告公示”" in texts(at)
    _by_label(at.button, "自2020年起更名").click().run()
    assert at.success[0].value == "已更名。"
    with db.read_session(empty_sqlite) as s:
        assert "公示公告" in kpis.compute(s, 2019, None, TEN)["publications"]["by_category"]
        view = admin_catalogue.catalogue_view(s, TEN, 2020)
    assert [r.name for r in view.rows if r.code == "07"] == ["公告公示"]


def test_a_unit_of_the_default_catalogue_gets_its_own_copy(monkeypatch, empty_sqlite):
    admin = _admin_of_city(empty_sqlite)
    at = run(monkeypatch, url(empty_sqlite), "pages/admin_catalogue.py", query={"unit": CITY}, who=admin)
    _by_label(at.number_input, "年度").set_value(2021).run()
    assert "试验市 2021 年使用系统默认目录" in texts(at)
    _by_label(at.button, "自2021年起使用本单位目录").click().run()
    assert at.success[0].value.startswith("已新建目录“试验市公开目录")
    assert "试验市 2021 年使用本单位的目录" in _said(at)
    with db.read_session(empty_sqlite) as s:
        assert admin_catalogue.catalogue_view(s, CITY, 2020).source == "default"
        assert admin_catalogue.catalogue_view(s, CITY, 2021).rows[0].name == "机构职能类"
