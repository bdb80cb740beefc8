"""Every figure of DOMAIN.md's 2018 table comes out of the database, on every backend."""

from __future__ import annotations

import pytest

from data_access.read import kpis
from data_access.store import db
from tests.helpers.figures import CATEGORIES_2018

SHARES_2018 = {  # the report's percentages, to two decimals
    "机构职能类": 22.15,
    "政策、规范性文件类": 1.90,
    "规划计划类": 3.80,
    "重大建设项目": 8.23,
    "为民办实事类": 3.16,
    "民政扶贫救灾社会保障就业类": 15.19,
    "国土资源城乡建设环保能源类": 13.92,
    "科教文体卫生类": 12.66,
    "安全生产、应急管理类": 18.99,
}


@pytest.fixture(scope="module")
def k2018(seeded_db):
    with db.read_session(seeded_db) as session:
        return kpis.compute(session, 2018, unit_code="qingyang")


def test_publication_figures(k2018):
    pub = k2018["publications"]
    assert pub["total"] == 158
    assert pub["cumulative"] == 954
    assert pub["full_text_rate"] == 1.0
    assert pub["by_category"] == CATEGORIES_2018
    for name, share in SHARES_2018.items():
        assert round(100 * pub["by_category"][name] / pub["total"], 2) == share
    assert pub["by_topic"] == {"财政资金": 21, "重大建设项目": 13, "公共服务": 40, "监督检查": 38}
    assert pub["by_channel"] == {"政府门户网站": 158, "政府公报": 0}
    assert pub["cumulative_by_channel"] == {"政府门户网站": 954, "政府公报": 0}


def test_request_and_other_figures(k2018):
    req = k2018["requests"]
    assert req["received"] == 1
    assert req["by_channel"] == {"当面": 0, "网络": 1, "信函、传真": 0}
    assert req["replies"] == {"同意公开": 0, "同意部分公开": 0, "不予公开": 0, "其他": 1}
    assert (req["reconsiderations"], req["litigations"], req["complaints"]) == (0, 0, 0)
    assert req["cumulative"]["received"] == 1
    assert k2018["deliveries"] == {"archive": 158, "library": 158}
    assert k2018["interpretations"] == 0
    assert k2018["hotline_duties"] == 2


def test_october_project_table(seeded_db):
    """October's figures are the office's own October table (samples/projects_2018-10.xlsx)."""
    with db.read_session(seeded_db) as session:
        proj = kpis.compute(session, 2018, 10, "qingyang")["projects"]
    assert proj["count"] == 25
    assert proj["ytd_invested"] == 231200
    assert proj["annual_plan"] == 281026
    assert proj["completion_rate"] == round(231200 / 281026, 4)
    assert len(proj["lagging"]) == 7
    assert "和平路拓改工程安置房项目" not in proj["lagging"]
    assert "青阳街道消防站建设" in proj["lagging"]


def test_city_rolls_up_its_subdistrict(seeded_db):
    with db.read_session(seeded_db) as session:
        city = kpis.compute(session, 2018, unit_code="jinjiang")
    assert city["publications"]["total"] == 158
    assert city["unit_name"] == "晋江市"


def test_unknown_unit_and_empty_year_are_clear_errors(seeded_db):
    with db.read_session(seeded_db) as session:
        with pytest.raises(kpis.KpiError, match="未知单位代码：nowhere.*qingyang"):
            kpis.compute(session, 2018, unit_code="nowhere")
        with pytest.raises(kpis.KpiError, match="2031 年没有任何数据"):
            kpis.compute(session, 2031, unit_code="qingyang")
        with pytest.raises(kpis.KpiError, match="月份"):
            kpis.compute(session, 2018, 13, "qingyang")
