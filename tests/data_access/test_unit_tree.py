"""Any hierarchy and each unit's own words (issue 15, items 4 and 5), on every backend.

- levels are rows: the six built in, and an office's own added by an admin; any level renamed, an
  unused own level deleted; any level under any other, any depth; scope ("this unit and every unit under it") follows the tree;
- the profile: full name, archive, library, hotline duty, phone and signature, with neutral
  fallbacks, printed by the old-format and the 2021 reports, the letters and the screen.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from dashboard.screen.slides import SLIDES
from data_access.read import letters, public, reports
from data_access.read.reports.docx import docx_bytes
from data_access.read.reports.format_2021 import overview_sentences
from data_access.read.reports.old_format import narrative_sentences
from data_access.rules import permissions
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import (
    AuditLog,
    Category,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    OrgUnit,
    Publication,
    UploadBatch,
)
from data_access.store.reference import (
    ensure_reference_data,
    scope_codes,
    unit_and_descendants,
    unit_levels,
    unit_profile,
    visible_unit_ids,
)
from data_access.write import admin, auth
from tests.helpers.builders import table_counts

# (code, name, level, parent): a province, its city, a district (区) under the city with two
# sub-districts and a department under it, a community under a sub-district, a department under the
# city, and an office's own level (开发区) under the city with a sub-district under it.
TREE = (
    ("prov", "某省", "province", None),
    ("city", "某市", "city", "prov"),
    ("dist", "某区", "district", "city"),
    ("sd-east", "东街道", "subdistrict", "dist"),
    ("sd-west", "西街道", "subdistrict", "dist"),
    ("east-c1", "东一社区", "community", "sd-east"),
    ("dist-office", "区政务公开办", "department", "dist"),
    ("city-bureau", "市民政局", "department", "city"),
    ("zone", "高新区", "zone", "city"),
    ("zone-sd", "园区街道", "subdistrict", "zone"),
)


def _tree(engine: Engine) -> None:
    with db.write_session(engine) as s:
        ensure_reference_data(s)
        admin.add_level(s, "zone", "开发区", actor=OPERATOR)
        for code, name, level, parent in TREE:
            admin.add_unit(s, code=code, name=name, level=level, parent_code=parent, actor=OPERATOR)


def _ids(s, *codes: str) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(s.scalars(select(OrgUnit.id).where(OrgUnit.code.in_(codes))))


def test_any_level_under_any_other_at_any_depth_and_scope_follows_the_tree(empty_db: Engine) -> None:
    _tree(empty_db)
    with db.read_session(empty_db) as s:
        rows = {r.code: r for r in admin.list_unit_rows(s)}
        assert [r.code for r in admin.list_unit_rows(s)][:6] == [
            "prov",
            "city",
            "dist",
            "sd-east",
            "east-c1",
            "sd-west",
        ]
        assert (rows["east-c1"].depth, rows["east-c1"].parent_code) == (4, "sd-east")
        assert (rows["dist"].level_label, rows["zone"].level_label, rows["zone-sd"].depth) == (
            "区（县）",
            "开发区",
            3,
        )
        dist = s.scalar(select(OrgUnit.id).where(OrgUnit.code == "dist"))
        # the district and everything under it, 3 levels down: not the city's own department
        assert unit_and_descendants(s, dist) == _ids(
            s, "dist", "sd-east", "sd-west", "east-c1", "dist-office"
        )
        assert set(scope_codes(s, "prov")) == {code for code, *_ in TREE}  # 5 levels under the province
        assert set(scope_codes(s, "city")) == {code for code, *_ in TREE} - {"prov"}
        assert set(scope_codes(s, "sd-east")) == {"sd-east", "east-c1"}
    with db.write_session(empty_db) as s:
        leader, _ = auth.create_user(s, "dist-leader", role="leader", unit_code="dist", actor=OPERATOR)
        # moving a sub-district from the district to the development zone moves its community with it
        assert admin.move_unit(s, "sd-east", "zone", actor=OPERATOR)
    with db.read_session(empty_db) as s:
        assert visible_unit_ids(s, leader) == _ids(s, "dist", "sd-west", "dist-office")
        assert set(scope_codes(s, "zone")) == {"zone", "zone-sd", "sd-east", "east-c1"}
    with (
        pytest.raises(ValueError, match="不能把 某区 调整到它自己或它的下级单位之下"),
        db.write_session(empty_db) as s,
    ):
        admin.move_unit(s, "dist", "sd-west", actor=OPERATOR)


def test_the_level_is_a_foreign_key(empty_db: Engine) -> None:
    _tree(empty_db)
    with pytest.raises(IntegrityError), db.write_session(empty_db) as s:
        s.add(OrgUnit(code="x", name="无此层级", level="galaxy"))
    with pytest.raises(ValueError, match="未知的单位层级：galaxy"), db.write_session(empty_db) as s:
        admin.add_unit(s, code="x", name="无此层级", level="galaxy", parent_code="city", actor=OPERATOR)


def _settings_changes(engine: Engine) -> list[str]:
    with db.read_session(engine) as s:
        return list(s.scalars(select(AuditLog.detail).where(AuditLog.action == "settings_change")))


def test_levels_are_renamed_everywhere_and_only_an_unused_own_level_is_deleted(empty_db: Engine) -> None:
    _tree(empty_db)
    with db.write_session(empty_db) as s:
        assert admin.rename_level(s, "district", " 县（市、区） ", actor=OPERATOR)  # a built-in level
        assert not admin.rename_level(s, "district", "县（市、区）", actor=OPERATOR)  # unchanged
        assert admin.rename_level(s, "zone", "经济开发区", actor=OPERATOR)  # an office's own
        admin.add_level(s, "park", "园区", actor=OPERATOR)
    with db.read_session(empty_db) as s:
        levels = unit_levels(s)
        rows = {r.code: r for r in admin.list_unit_rows(s)}
    assert (levels["district"], levels["zone"]) == ("县（市、区）", "经济开发区")
    assert (rows["dist"].level, rows["dist"].level_label) == ("district", "县（市、区）")  # the code stays
    assert rows["zone"].level_label == "经济开发区"
    assert "单位层级 district 改名：区（县） → 县（市、区）" in _settings_changes(empty_db)

    before = table_counts(empty_db)
    refusals = (
        (lambda s: admin.rename_level(s, "zone", "街道（乡镇）", actor=OPERATOR), "层级名称“街道（乡镇）”已被使用"),
        (lambda s: admin.rename_level(s, "zone", " ", actor=OPERATOR), "层级名称不能为空"),
        (lambda s: admin.rename_level(s, "galaxy", "星系", actor=OPERATOR), "未知的单位层级：galaxy"),
        (lambda s: admin.delete_level(s, "zone", actor=OPERATOR), "层级“经济开发区”（zone）有 1 个单位在用，不能删除"),
        (lambda s: admin.delete_level(s, "subdistrict", actor=OPERATOR), "是系统内置的层级，不能删除"),
        (lambda s: admin.delete_level(s, "department", actor=OPERATOR), "是系统内置的层级，不能删除"),
        (lambda s: admin.delete_level(s, "galaxy", actor=OPERATOR), "未知的单位层级：galaxy"),
    )  # fmt: skip
    for call, message in refusals:
        with pytest.raises(ValueError, match=re.escape(message)), db.write_session(empty_db) as s:
            call(s)
    assert table_counts(empty_db) == before  # nothing changed, not even the audit log
    with db.write_session(empty_db) as s:
        assert admin.delete_level(s, "park", actor=OPERATOR) == "园区"
    with db.read_session(empty_db) as s:
        assert "park" not in unit_levels(s)
    assert "删除单位层级 园区（park）" in _settings_changes(empty_db)
    with db.write_session(empty_db) as s:  # a deleted level's code may be added again
        admin.add_level(s, "park", "园区", actor=OPERATOR)


def test_profile_fallbacks_and_inheritance(empty_db: Engine) -> None:
    _tree(empty_db)
    with db.write_session(empty_db) as s:
        assert admin.set_profile(
            s, "dist",
            {"full_name": "某市某区人民政府", "archive_name": "区档案馆", "library_name": "区图书馆",
             "hotline_name": "12345热线", "phone": "0000-1234567", "signature": None},
            actor=OPERATOR,
        )  # fmt: skip
        assert not admin.set_profile(s, "dist", {"archive_name": " 区档案馆 "}, actor=OPERATOR)
        assert admin.set_profile(s, "sd-east", {"full_name": "某区人民政府东街道办事处"}, actor=OPERATOR)
    with db.read_session(empty_db) as s:
        unit = {
            code: s.scalar(select(OrgUnit).where(OrgUnit.code == code))
            for code in ("dist", "sd-east", "city")
        }
        dist, east, city = (unit_profile(s, unit[c]) for c in ("dist", "sd-east", "city"))
        changes = [e.detail for e in admin_entries(s)]
    assert (dist.full_name, dist.signature, dist.hotline_name, dist.phone) == (
        "某市某区人民政府",
        "某市某区人民政府",
        "12345热线",
        "0000-1234567",
    )
    # a sub-district delivers where its district does, shows its phone, signs with its own full name,
    # and takes no hotline duty of its own
    assert (east.archive_name, east.library_name, east.phone) == ("区档案馆", "区图书馆", "0000-1234567")
    assert (east.full_name, east.signature, east.hotline_name) == ("某区人民政府东街道办事处",) * 2 + (None,)
    # nothing entered anywhere above: neutral words that name no office
    assert (
        city.full_name,
        city.archive_name,
        city.library_name,
        city.hotline_name,
        city.phone,
        city.signature,
    ) == ("某市", "档案馆", "图书馆", None, None, "某市")
    assert (
        "单位 某区（dist）资料：单位全称：无 → 某市某区人民政府；送交的档案馆：无 → 区档案馆；" in changes[0]
    )


def admin_entries(s):  # type: ignore[no-untyped-def]
    from data_access.store import audit

    return [e for e in reversed(audit.list_entries(s, 100, action="settings_change")) if "资料" in e.detail]


# ------------------------------------------------------------------ the profile's words in print
def _with_a_year(engine: Engine, year: int, *, hotline_duties: int) -> None:
    """The district (with its profile) and a year of records: 2 items, their deliveries, a request."""
    _tree(engine)
    with db.write_session(engine) as s:
        admin.set_profile(
            s, "dist",
            {"full_name": "某市某区人民政府", "archive_name": "区档案馆", "library_name": "区图书馆",
             "hotline_name": "12345热线" if hotline_duties else "", "signature": "某区人民政府办公室"},
            actor=OPERATOR,
        )  # fmt: skip
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "sd-east"))
        batch = UploadBatch(kind="seed", unit_id=unit.id, period_key="", file_name="t", file_hash="h")
        s.add(batch)
        s.flush()
        leaf = s.scalar(select(Category).where(Category.code == "010101"))
        for i in (1, 2):
            day = dt.date(year, 3, i)
            s.add(
                Publication(
                    unit_id=unit.id, index_no=f"T-{year}-{i}", title=f"条目{i}", category_id=leaf.id,
                    category_root_id=leaf.root_id, formed_date=day, published_date=day,
                    published_year=year, published_ym=year * 100 + 3, channel="政府门户网站", batch_id=batch.id,
                )
            )  # fmt: skip
        for recipient in ("archive", "library"):
            s.add(Delivery(unit_id=unit.id, period_ym=year * 100 + 3, recipient=recipient,
                           delivered_date=dt.date(year, 4, 2), item_count=2, batch_id=batch.id))  # fmt: skip
        for i in range(hotline_duties):
            s.add(HotlineDuty(unit_id=unit.id, duty_date=dt.date(year, 5, 1 + i), duty_year=year,
                              official="张三", batch_id=batch.id))  # fmt: skip
        s.add(
            DisclosureRequest(
                unit_id=unit.id, request_no=f"YSQ-{year}-1", received_date=dt.date(year, 6, 3),
                received_year=year, channel="网络", applicant_type="自然人", summary="某项目批复",
                applicant_name="李四", reply_date=dt.date(year, 6, 20), outcome="予以公开",
                extension_approved=False, extension_days=0, batch_id=batch.id,
            )
        )  # fmt: skip


def _docx_text(report: reports.AnnualReport) -> list[str]:
    import io

    import docx

    return [p.text for p in docx.Document(io.BytesIO(docx_bytes(report))).paragraphs]


def test_the_old_format_report_prints_the_profile(empty_db: Engine) -> None:
    _with_a_year(empty_db, 2017, hotline_duties=2)
    with db.read_session(empty_db) as s:
        report = reports.build(s, 2017, "dist", "old")
        east = reports.build(s, 2017, "sd-east", "old")
    # duties recorded by a unit whose profile names no hotline: a neutral name, never an office's
    east_text = "".join(line for lines in narrative_sentences(east).values() for line in lines)
    assert "2017年度轮值接听值班热线2次（张三2次）。" in east_text
    text = "".join(line for lines in narrative_sentences(report).values() for line in lines)
    assert "向区档案馆、区图书馆分别送交政府信息公开材料2份、2份。" in text
    assert "2017年度轮值接听12345热线2次（张三2次）。" in text
    assert report["narrative"]["deliveries"] == {"archive": 2, "library": 2}
    paragraphs = _docx_text(report)
    assert paragraphs[0] == "某区 2017 年政府信息公开工作年度报告"
    assert paragraphs[-2:] == ["某区人民政府办公室", "年    月    日"]


def test_the_2021_report_prints_the_profile_and_no_hotline_sentence_without_a_duty(empty_db: Engine) -> None:
    _with_a_year(empty_db, 2021, hotline_duties=0)
    with db.read_session(empty_db) as s:
        report = reports.build(s, 2021, "dist")
        east = reports.build(s, 2021, "sd-east")
    sentences = overview_sentences(report)
    assert "向区档案馆、区图书馆分别送交政府信息公开材料2份、2份。" in sentences
    assert "本年开展政策解读未录入。" in sentences  # never entered for this office: not a guessed 0
    assert not any("热线" in line for line in sentences)
    assert _docx_text(report)[-2] == "某区人民政府办公室"
    # the sub-district inherits where it delivers, signs with its own name (no full name entered)
    assert "向区档案馆、区图书馆分别送交政府信息公开材料2份、2份。" in overview_sentences(east)
    assert (east["profile"]["signature"], east["profile"]["hotline_name"]) == ("东街道", None)


def test_letters_and_the_screen_take_the_profile(empty_db: Engine) -> None:
    _with_a_year(empty_db, 2021, hotline_duties=1)
    with db.write_session(empty_db) as s:
        admin.set_profile(s, "sd-east", {"full_name": "某区人民政府东街道办事处"}, actor=OPERATOR)
        letter = letters.build(s, "sd-east", "YSQ-2021-1", "reply", today=dt.date(2021, 6, 20))
    assert letter.paragraphs[-2] == "某区人民政府东街道办事处"
    with db.read_session(empty_db) as s:
        data = public.screen_data(s, "sd-east", dt.date(2021, 12, 31))
    assert data is not None and data.recipient_names == {"archive": "区档案馆", "library": "区图书馆"}
    html = SLIDES["duties"].render(data)
    assert "区档案馆 2 份 · 区图书馆 2 份" in html


def test_profile_writes_need_admin_units(empty_db: Engine) -> None:
    _tree(empty_db)
    with db.write_session(empty_db) as s:
        staff, _ = auth.create_user(s, "clerk", role="staff", unit_code="dist", actor=OPERATOR)
    for call in (
        lambda s: admin.set_profile(s, "dist", {"full_name": "x"}, actor=staff),
        lambda s: admin.add_level(s, "town", "镇", actor=staff),
        lambda s: admin.rename_level(s, "zone", "镇", actor=staff),
        lambda s: admin.delete_level(s, "zone", actor=staff),
    ):
        with pytest.raises(permissions.PermissionDenied), db.write_session(empty_db) as s:
            call(s)
