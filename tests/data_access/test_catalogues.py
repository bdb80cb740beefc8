"""Every office its own catalogue, by year (issue 15, items 1–3): invented offices with ten and six
level-one categories of their own beside the 2018 demo in one database, each uploading its year in
its own categories and getting its own figures and reports; renames and retirements that leave the
years before them — and the demo's 2018 report — exactly as they were."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from data_access.read import kpis, reports
from data_access.read.queries import publications, register
from data_access.read.queries.register import RegisterFilter
from data_access.read.queries.scope import Scope
from data_access.read.reports.format_2021 import normative_issued
from data_access.rules.permissions import OPERATOR
from data_access.store import catalogue, db, reference
from data_access.store.models import CatalogueScheme, Category, OrgUnit
from data_access.write import catalogue as admin_catalogue
from data_access.write.importing import unit_template
from seed import qingyang2018
from tests.helpers.builders import table_counts, xlsx
from tests.helpers.catalogues import (
    CITY,
    CITY_NAME,
    SIX,
    SIX_CATEGORIES,
    SIX_NAME,
    TEN,
    TEN_CATEGORIES,
    add_offices,
    load_year,
    report_fingerprint,
    upload,
)
from tests.helpers.databases import create_database, migrate

TEN_NAMES = [c[1] for c in TEN_CATEGORIES]
# Items each office publishes in 2019, per category, spread over three monthly uploads.
TEN_COUNTS = {name: i + 1 for i, name in enumerate(TEN_NAMES)}
SIX_COUNTS = {name: 2 * i + 1 for i, name in enumerate(SIX_CATEGORIES)}


@pytest.fixture
def offices(empty_db):
    """The 2018 demo, then the two invented offices with their catalogues and a year of uploads."""
    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
    before = {t: report_fingerprint(empty_db, "qingyang", 2018, t) for t in ("old", "2021")}
    add_offices(empty_db)
    load_year(empty_db, TEN, TEN_COUNTS)
    load_year(empty_db, SIX, SIX_COUNTS)
    return empty_db, before


def test_each_office_counts_in_its_own_categories(offices):
    engine, before = offices
    with db.read_session(engine) as s:
        ten = kpis.compute(s, 2019, None, TEN)
        six = kpis.compute(s, 2019, None, SIX)
        demo = kpis.compute(s, 2018, None, "qingyang")
    assert list(ten["publications"]["by_category"].items()) == list(TEN_COUNTS.items())
    assert list(six["publications"]["by_category"].items()) == list(SIX_COUNTS.items())
    assert ten["publications"]["total"] == sum(TEN_COUNTS.values())
    assert "category_groups" not in ten["publications"]
    assert len(demo["publications"]["by_category"]) == 9  # the demo keeps its nine
    with db.read_session(engine) as s:  # the annual targets are set per category of its own catalogue
        targets = admin_catalogue.list_targets(s, SIX, 2019)
    assert [r.category_name for r in targets] == [None, *SIX_CATEGORIES]
    for template in ("old", "2021"):  # the demo's 2018 report, byte for byte as before
        assert report_fingerprint(engine, "qingyang", 2018, template) == before[template]


def test_both_report_formats_list_the_offices_own_categories(offices):
    engine, _ = offices
    with db.read_session(engine) as s:
        old = reports.build(s, 2019, TEN, "old")
        new = reports.build(s, 2019, SIX, "2021")
    shares = [(c["name"], c["count"]) for c in old["narrative"]["publications"]["by_category"]]
    assert shares == list(TEN_COUNTS.items())
    assert new["unit"] == SIX
    text = " ".join(report_fingerprint(engine, TEN, 2019, "old")[1])
    assert "重点领域信息公开信息6条" in text and "民政扶贫" not in text


def test_table_2_counts_normative_documents_in_the_units_own_catalogue(offices):
    """The check of 行政规范性文件 entered counts the 规范性文件 entry of the catalogue the unit uses:
    none (不适用) for an office whose catalogue has none, though the demo's and another office's have
    one; table 二 itself prints only what was entered (nothing here: 未录入)."""
    engine, _ = offices
    with db.read_session(engine) as s:
        six = reports.build(s, 2019, SIX, "2021")["tables"]["二"]["sections"][0]["rows"][1]
        assert normative_issued(s, [_unit_id(s, SIX)], 2019) == reports.Missing.NOT_APPLICABLE
        assert normative_issued(s, [_unit_id(s, TEN)], 2019) == 0  # it has the entry; nothing filed under it
    assert (six["label"], six["cells"][0]) == ("行政规范性文件", reports.Missing.BLANK)


def _unit_id(s, code: str) -> int:  # type: ignore[no-untyped-def]
    return s.scalar(select(OrgUnit.id).where(OrgUnit.code == code))


def test_uploads_are_checked_against_the_units_own_catalogue(offices):
    engine, _ = offices
    counts = table_counts(engine)
    refused = upload(engine, TEN, 2019, 12, {"民政扶贫救灾社会保障就业类": 1})
    assert refused.status == "rejected"
    message = next(i.message for i in refused.issues if "不在公开目录中" in i.message)
    assert (
        "重点领域信息公开" in message and "指南" in message and "民政扶贫" not in message.split("应为：")[1]
    )
    demo = upload(engine, "qingyang", 2019, 12, {"重点领域信息公开": 1})
    assert demo.status == "rejected"  # the demo's catalogue is not the offices'
    assert table_counts(engine) == counts


def test_the_blank_template_lists_the_units_categories(offices):
    engine, _ = offices
    with db.read_session(engine) as s:
        data = unit_template(s, "publications", SIX, 2019)
        demo = unit_template(s, "publications", "qingyang", 2018)
    lists = [
        dv.formula1 for dv in openpyxl.load_workbook(io.BytesIO(data)).active.data_validations.dataValidation
    ]
    assert any(all(name in f for name in SIX_CATEGORIES) for f in lists)
    assert not any("机构职能类" in f for f in lists)
    demo_lists = [
        dv.formula1 for dv in openpyxl.load_workbook(io.BytesIO(demo)).active.data_validations.dataValidation
    ]
    assert any("机构职能类" in f for f in demo_lists)


def test_a_roll_up_over_different_catalogues_groups_by_domain(offices):
    engine, _ = offices
    with db.read_session(engine) as s:
        city = kpis.compute(s, 2019, None, CITY)
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == CITY))
        ids = (unit_id, *s.scalars(select(OrgUnit.id).where(OrgUnit.parent_id == unit_id)))
        page = publications.summary(s, Scope(unit_id, CITY, CITY_NAME, ids), 2019, dt.date(2019, 12, 31))
    by = city["publications"]["by_category"]
    assert by["重点领域"] == TEN_COUNTS["重点领域信息公开"]
    assert by["其他"] == sum(SIX_COUNTS.values())  # the six map to no 领域
    assert sum(by.values()) == city["publications"]["total"]
    assert city["publications"]["category_groups"] == {"by": "领域", "other_units": [SIX_NAME]}
    assert page.other_units == (SIX_NAME,)
    assert sum(c.count for c in page.categories) == page.total


def test_a_rename_or_retirement_in_2020_leaves_2019_as_it_was(offices):
    engine, before = offices
    load_year(engine, TEN, {"公示公告": 4, "年报": 1}, 2020)
    old_2019 = {t: report_fingerprint(engine, TEN, 2019, t) for t in ("old", "2021")}
    with db.read_session(engine) as s:
        effect = admin_catalogue.preview_rename(s, "07", "公告公示", unit_code=TEN, from_year=2020)
    assert effect == [("2020年起", "公示公告", "公告公示")]
    with db.write_session(engine) as s:
        assert admin_catalogue.rename_category(
            s, "07", "公告公示", unit_code=TEN, from_year=2020, actor=OPERATOR
        )
        assert admin_catalogue.retire_category(s, "10", unit_code=TEN, from_year=2020, actor=OPERATOR)  # 指南
    for template in ("old", "2021"):
        assert report_fingerprint(engine, TEN, 2019, template) == old_2019[template]
        assert report_fingerprint(engine, "qingyang", 2018, template) == before[template]
    with db.read_session(engine) as s:
        y2019 = kpis.compute(s, 2019, None, TEN)["publications"]["by_category"]
        y2020 = kpis.compute(s, 2020, None, TEN)["publications"]["by_category"]
        old_2020 = reports.build(s, 2020, TEN, "old")
    assert "公示公告" in y2019 and "指南" in y2019
    assert y2020["公告公示"] == 4 and "公示公告" not in y2020 and "指南" not in y2020
    assert "公告公示" in [c["name"] for c in old_2020["narrative"]["publications"]["by_category"]]
    with db.read_session(engine) as s:  # the register names each item's category as in force that year
        ten = (s.scalar(select(OrgUnit.id).where(OrgUnit.code == TEN)),)
        rows_2020 = register.page(s, ten, (), RegisterFilter(2020, category="公告公示"), 50, 0)
        rows_2019 = register.page(s, ten, (), RegisterFilter(2019, category="公示公告"), 50, 0)
    assert set(rows_2020["所属类别"]) == {"公告公示"} and len(rows_2020) == 4
    assert set(rows_2019["所属类别"]) == {"公示公告"} and len(rows_2019) == TEN_COUNTS["公示公告"]
    assert upload(engine, TEN, 2020, 12, {"公告公示": 1}).status == "committed"
    assert upload(engine, TEN, 2020, 11, {"指南": 1}).status == "rejected"  # retired from 2020


def test_a_unit_adopts_its_parents_catalogue_again(offices):
    engine, _ = offices
    with db.write_session(engine) as s:
        with pytest.raises(ValueError, match="已被上传的信息或年度目标使用"):
            admin_catalogue.adopt_parent_catalogue(s, SIX, 2019, actor=OPERATOR)
    with db.write_session(engine) as s:
        used = admin_catalogue.adopt_parent_catalogue(s, SIX, 2021, actor=OPERATOR)
    assert used == "默认目录"
    with db.read_session(engine) as s:
        assert admin_catalogue.catalogue_view(s, SIX, 2020).source == "own"
        view = admin_catalogue.catalogue_view(s, SIX, 2021)
    assert view.source == "default" and view.rows[0].name == "机构职能类"


def test_every_units_scheme_read_at_once_is_its_scheme_read_alone(offices):
    """catalogue.schemes_for shares what units inherit from one owner; each unit's reference is the
    one scheme_for gives it alone (its own, its nearest owner's, or the default), before and after
    an office's catalogue starts and after it hands back to its parent's."""
    engine, _ = offices
    with db.write_session(engine) as s:
        admin_catalogue.adopt_parent_catalogue(s, SIX, 2021, actor=OPERATOR)
    with db.read_session(engine) as s:
        ids = list(s.scalars(select(OrgUnit.id)))
        owners = set(s.scalars(select(CatalogueScheme.unit_id)))
        for year in (2018, 2019, 2020, 2021):
            together = catalogue.schemes_for(s, [*ids, 10_000], year)  # and an id no unit has
            assert together == {uid: catalogue.scheme_for(s, uid, year) for uid in [*ids, 10_000]}
            assert any(ref is not None and ref.own for ref in together.values()) is (year >= 2019)
        assert len(owners - {None}) >= 2


def test_export_reads_back_as_the_same_catalogue(offices):
    engine, _ = offices
    with db.read_session(engine) as s:
        data = admin_catalogue.export_catalogue(s, TEN, 2019)
        _ref, items = admin_catalogue.catalogue_items(s, TEN, 2019)
        preview = admin_catalogue.preview_catalogue_import(s, TEN, 2019, data)
    assert preview.parsed.problems == []
    assert [(i.path, i.fields.get("time_limit")) for i in preview.parsed.items] == [
        (i.path, i.fields.get("time_limit")) for i in items
    ]
    assert [i.domain for i in preview.parsed.items if i.level == 1] == [c[0] for c in TEN_CATEGORIES]
    assert preview.diff is not None and preview.diff.empty
    assert [i.limit.kind if i.limit else None for i in items if i.level == 2][:4] == [
        "after_formed", "after_formed", "after_formed", "periodic"
    ]  # fmt: skip


def test_a_bad_catalogue_file_changes_nothing(offices):
    engine, _ = offices
    counts = table_counts(engine)
    bad = xlsx(
        [["序号", "领域", "一级事项", "二级事项", "公开时限"], [1, None, None, "无上级", "每年"]],
        title="目录",
    )
    with db.write_session(engine) as s, pytest.raises(admin_catalogue.CatalogueRejected) as refused:
        admin_catalogue.import_catalogue(s, SIX, 2022, bad, actor=OPERATOR)
    assert refused.value.problems == ["工作表「目录」第 2 行C 列：“一级事项”不能为空（上方也没有可沿用的值）"]
    assert table_counts(engine) == counts


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0012_keeps_the_demo_and_its_report(backend: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Down to 0011 (one global catalogue) and up again: every category lands in the default scheme
    with its id, and the demo's 2018 figures and report come out as before (once the demo's 零报告,
    which live in a table of revision 0014 and so go with any downgrade below it, are filed again)."""

    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        with db.write_session(engine) as s:
            qingyang2018.load(s)
        before = report_fingerprint(engine, "qingyang", 2018, "old")
        with db.read_session(engine) as s:
            categories = sorted(s.execute(select(Category.id, Category.code, Category.name)).all())
        migrate(engine, url, "downgrade", "0011")
        db.upgrade(engine)
        with db.write_session(engine) as s:
            unit = reference.unit_by_code(s, "qingyang")
            assert unit is not None
            qingyang2018.file_zero_reports(s, unit.id)
        with db.read_session(engine) as s:
            assert sorted(s.execute(select(Category.id, Category.code, Category.name)).all()) == categories
            schemes = s.execute(select(CatalogueScheme.unit_id, CatalogueScheme.from_year)).all()
            assert {c for (c,) in s.execute(select(Category.scheme_id))} == {1}
        assert [tuple(r) for r in schemes] == [(None, None)]
        assert report_fingerprint(engine, "qingyang", 2018, "old") == before
    finally:
        engine.dispose()
        drop()
