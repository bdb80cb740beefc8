"""Publication registers and cross-period rows, replaying issue 16's bullets on every backend.

(a) An office keeps its website register and its 政务新媒体 register apart and uploads both for
January: both are kept, shared 索引号 count once, each register counts its own; re-uploading one
register replaces only that register; undo restores exactly.
(b) A June file carrying a March item's 索引号: the preview lists it (原属 2018-03), the default keeps
it in March (January–March unchanged), 'move' moves it, 'skip' leaves it; the figures no longer
depend on the order of uploads.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from data_access.cli import main as cli
from data_access.read.queries import registers as register_counts
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit, Publication, PublicationListing, UploadBatch
from data_access.write.importing import commit, preview
from data_access.write.importing.pipeline import UsageError
from data_access.write.undo import undo
from tests.helpers.builders import PUB_HEADER, UNIT, setup_unit, snapshot, xlsx

LIVE = ("publication", "publication_listing", "upload_batch")
CATS = ["机构职能类", "民政扶贫救灾社会保障就业类", "安全生产、应急管理类", "科教文体卫生类"]


def _row(i: int, month: int, title: str | None = None, day: int | None = None) -> list[Any]:
    d = day if day is not None else 10 + i % 9
    return [
        f"QY-T-2018-{i:05d}",
        title or f"测试信息{i}",
        CATS[i % len(CATS)],
        None,
        f"2018-{month:02d}-0{1 + i % 5}",
        f"2018-{month:02d}-{d:02d}",
        "政府门户网站",
        "是",
    ]


def _file(month: int, ids: list[int], **titles: str) -> bytes:
    rows = [_row(i, month, titles.get(f"t{i}")) for i in ids]
    return xlsx([[f"青阳街道2018年{month}月主动公开政府信息目录"], PUB_HEADER, *rows])


def _unit_id(engine: Engine) -> int:
    with db.read_session(engine) as s:
        return int(s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT)) or 0)


def _counts(engine: Engine, first: int, last: int) -> register_counts.RegisterCounts:
    with db.read_session(engine) as s:
        return register_counts.counts(s, [_unit_id(engine)], first, last)


def _item(engine: Engine, index_no: str) -> Publication | None:
    with db.read_session(engine) as s:
        return s.scalar(select(Publication).where(Publication.index_no == index_no))


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


WEB = list(range(1, 44))  # 43 website items
MEDIA = list(range(1, 11)) + list(range(101, 135))  # 44 new-media items, 10 shared with the website


def test_two_registers_in_one_month_are_both_kept(engine: Engine) -> None:
    web = commit(engine, OPERATOR, _file(1, WEB), "publications", UNIT, "2018-01", "1月网站.xlsx")
    assert web.status == "committed" and web.register == "政府网站" and len(web.added) == 43
    seen = preview(engine, _file(1, MEDIA), "publications", UNIT, "2018-01", "1月公众号.xlsx")
    # Guessed from the file name; the 10 shared items are the same items, nothing is deleted.
    assert seen.register == "政务新媒体" and seen.register_guess is not None
    assert "文件名" in seen.register_guess.message
    assert (len(seen.added), len(seen.removed), seen.unchanged_rows) == (34, 0, 10)
    media = commit(engine, OPERATOR, _file(1, MEDIA), "publications", UNIT, "2018-01", "1月公众号.xlsx")
    assert media.status == "committed" and len(media.removed) == 0
    jan = _counts(engine, 201801, 201801)
    assert jan.total == 43 + 34 and jan.get("政府网站") == 43 and jan.get("政务新媒体") == 44
    assert jan.listed == 87
    with db.read_session(engine) as s:
        active = s.execute(
            select(UploadBatch.register).where(UploadBatch.status == "active").order_by(UploadBatch.id)
        ).all()
    assert [r.register for r in active] == ["政府网站", "政务新媒体"]

    # Re-upload the website register without 1–3 (shared) and 41–43 (website only).
    before = snapshot(engine, LIVE)
    again = list(range(4, 41))
    redo = commit(engine, OPERATOR, _file(1, again), "publications", UNIT, "2018-01", "1月网站（修订）.xlsx")
    assert redo.status == "committed" and redo.register == "政府网站"
    assert sorted(r["index_no"] for r in redo.removed) == [f"QY-T-2018-{i:05d}" for i in (41, 42, 43)]
    assert sorted(r["index_no"] for r in redo.unlisted) == [f"QY-T-2018-{i:05d}" for i in (1, 2, 3)]
    jan = _counts(engine, 201801, 201801)
    assert (jan.total, jan.get("政府网站"), jan.get("政务新媒体")) == (77 - 3, 37, 44)
    assert _item(engine, "QY-T-2018-00001") is not None  # still in 政务新媒体
    assert _item(engine, "QY-T-2018-00041") is None
    with db.read_session(engine) as s:
        media_batch = s.scalar(select(UploadBatch.status).where(UploadBatch.id == media.batch_id))
    assert media_batch == "active"

    assert redo.batch_id is not None
    undo(engine, OPERATOR, redo.batch_id)
    assert snapshot(engine, LIVE) == {
        **before,
        "upload_batch": snapshot(engine, ("upload_batch",))["upload_batch"],
    }
    assert snapshot(engine, ("publication", "publication_listing")) == {
        k: before[k] for k in ("publication", "publication_listing")
    }
    jan = _counts(engine, 201801, 201801)
    assert (jan.total, jan.get("政府网站"), jan.get("政务新媒体")) == (77, 43, 44)


def test_undo_of_the_second_register_keeps_the_first(engine: Engine) -> None:
    commit(engine, OPERATOR, _file(1, WEB), "publications", UNIT, "2018-01", "web.xlsx", register="政府网站")
    before = snapshot(engine, ("publication", "publication_listing"))
    media = commit(
        engine, OPERATOR, _file(1, MEDIA), "publications", UNIT, "2018-01", "m.xlsx", register="政务新媒体"
    )
    assert media.status == "committed" and media.batch_id is not None
    undo(engine, OPERATOR, media.batch_id)
    assert snapshot(engine, ("publication", "publication_listing")) == before
    assert _counts(engine, 201801, 201801).get("政务新媒体") == 0


def test_an_unknown_register_is_refused(engine: Engine) -> None:
    with pytest.raises(UsageError, match="未知的登记册「微博」"):
        preview(engine, _file(1, WEB), "publications", UNIT, "2018-01", "x.xlsx", register="微博")


# (b) January 4, February 3, March 5 items: January–March 12.
JAN, FEB, MAR = [201, 202, 203, 204], [211, 212, 213], [221, 222, 223, 224, 225]
JUNE = [231, 232]
MOVED = "QY-T-2018-00223"


def _quarter(engine: Engine) -> tuple[int, int]:
    return _counts(engine, 201801, 201803).total, _counts(engine, 201806, 201806).total


def _june_with_march_item() -> bytes:
    rows = [_row(i, 6) for i in JUNE] + [_row(223, 6, "测试信息223（更正）")]
    return xlsx([["青阳街道2018年6月主动公开政府信息目录"], PUB_HEADER, *rows])


def _first_quarter(engine: Engine) -> None:
    for month, ids in ((1, JAN), (2, FEB), (3, MAR)):
        result = commit(
            engine, OPERATOR, _file(month, ids), "publications", UNIT, f"2018-{month:02d}", "f.xlsx"
        )
        assert result.status == "committed"


def test_a_june_file_naming_a_march_item_keeps_it_in_march_by_default(engine: Engine) -> None:
    _first_quarter(engine)
    assert _quarter(engine) == (12, 0)
    seen = preview(engine, _june_with_march_item(), "publications", UNIT, "2018-06", "6月.xlsx")
    assert [(c.index_no, c.message, c.choice) for c in seen.cross_period] == [
        (MOVED, "原属 2018-03，本文件将其改为 2018-06", "keep")
    ]
    before = snapshot(engine, LIVE)
    june = commit(engine, OPERATOR, _june_with_march_item(), "publications", UNIT, "2018-06", "6月.xlsx")
    assert june.status == "committed" and [c.choice for c in june.cross_period] == ["keep"]
    assert _quarter(engine) == (12, 2)
    item = _item(engine, MOVED)
    assert item is not None and item.title == "测试信息223（更正）" and item.published_ym == 201803
    # Re-uploading March changes nothing: the figures do not depend on the order of uploads.
    march = _file(3, MAR)
    again = preview(engine, march, "publications", UNIT, "2018-03", "f.xlsx")
    assert again.cross_period == [] and again.removed == [] and again.added == []
    assert _quarter(engine) == (12, 2)
    assert june.batch_id is not None
    undo(engine, OPERATOR, june.batch_id)
    after = snapshot(engine, LIVE)
    assert {k: after[k] for k in ("publication", "publication_listing")} == {
        k: before[k] for k in ("publication", "publication_listing")
    }


def test_move_moves_the_item_and_undo_puts_it_back(engine: Engine) -> None:
    _first_quarter(engine)
    before = snapshot(engine, ("publication", "publication_listing"))
    june = commit(
        engine,
        OPERATOR,
        _june_with_march_item(),
        "publications",
        UNIT,
        "2018-06",
        "6月.xlsx",
        cross_period="move",
    )
    assert june.status == "committed" and [c.choice for c in june.cross_period] == ["move"]
    assert _quarter(engine) == (11, 3)
    item = _item(engine, MOVED)
    assert item is not None and item.published_ym == 201806
    # March's file names it again: now it is the cross-period row (原属 2018-06), kept in June.
    seen = preview(engine, _file(3, MAR), "publications", UNIT, "2018-03", "3月（重传）.xlsx")
    assert [c.message for c in seen.cross_period] == ["原属 2018-06，本文件将其改为 2018-03"]
    assert june.batch_id is not None
    undo(engine, OPERATOR, june.batch_id)
    assert snapshot(engine, ("publication", "publication_listing")) == before
    assert _quarter(engine) == (12, 0)


def test_skip_leaves_the_item_untouched(engine: Engine) -> None:
    _first_quarter(engine)
    item_before = snapshot(engine, ("publication",))
    june = commit(
        engine,
        OPERATOR,
        _june_with_march_item(),
        "publications",
        UNIT,
        "2018-06",
        "6月.xlsx",
        cross_period={MOVED: "skip"},
    )
    assert june.status == "committed" and [c.choice for c in june.cross_period] == ["skip"]
    assert _quarter(engine) == (12, 2)
    moved = [r for r in snapshot(engine, ("publication",))["publication"] if MOVED in r]
    assert moved == [r for r in item_before["publication"] if MOVED in r]
    with db.read_session(engine) as s:
        listed = s.scalar(
            select(func.count())
            .select_from(PublicationListing)
            .join(Publication, Publication.id == PublicationListing.publication_id)
            .where(Publication.index_no == MOVED)
        )
    assert listed == 1  # March's listing only


def test_a_choice_that_is_not_keep_move_or_skip_is_refused(engine: Engine) -> None:
    _first_quarter(engine)
    with pytest.raises(UsageError, match="跨月份处理方式"):
        preview(
            engine, _june_with_march_item(), "publications", UNIT, "2018-06", "6月.xlsx", cross_period="drop"
        )


def test_the_command_line_names_the_register_and_prints_the_cross_period_rows(
    engine: Engine, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    _first_quarter(engine)
    url = engine.url.render_as_string(hide_password=False)
    june = tmp_path / "june.xlsx"
    june.write_bytes(_june_with_march_item())

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["--database-url", url, *argv])
        return code, capsys.readouterr().out

    code, out = run("import", "--kind", "publications", "--period", "2018-06", "--dry-run", str(june))
    assert code == 0 and "登记册：政府网站" in out
    assert f"{MOVED}「测试信息223」：原属 2018-03，本文件将其改为 2018-06——保留原月份并更新内容" in out
    code, out = run(
        "import", "--kind", "publications", "--period", "2018-06", "--register", "政务新媒体",
        "--cross-period", "move", "--json", str(june),
    )  # fmt: skip
    summary = json.loads(out)
    assert code == 0 and summary["status"] == "committed" and summary["register"] == "政务新媒体"
    assert [(c["index_no"], c["choice"]) for c in summary["cross_period"]] == [(MOVED, "move")]
    assert _quarter(engine) == (11, 3)
    assert run("import", "--kind", "publications", "--register", "微博", str(june))[0] == 2
    assert run("import", "--kind", "requests", "--register", "政府网站", str(june))[0] == 2


def test_an_office_adds_its_own_register_and_uploads_under_it(engine: Engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(["--database-url", url, *argv])
        return code, capsys.readouterr().out

    assert run("registers", "add", "街道抖音号") == (0, "已新增登记册：街道抖音号\n")
    assert run("registers", "add", "街道抖音号")[0] == 1  # taken
    code, out = run("registers", "list", "--json")
    assert json.loads(out) == ["政府网站", "政务新媒体", "政府公报", "公开栏", "其他", "街道抖音号"]
    own = tmp_path / "1月街道抖音号目录.xlsx"
    own.write_bytes(_file(1, [1, 2, 3]))
    code, out = run("import", "--kind", "publications", "--period", "2018-01", "--json", str(own))
    summary = json.loads(out)  # guessed from the file name
    assert code == 0 and summary["register"] == "街道抖音号" and "文件名" in summary["register_guess"]
    assert _counts(engine, 201801, 201801).get("街道抖音号") == 3


def test_both_reports_print_each_register_and_the_total_counted_once(engine: Engine) -> None:
    from data_access.read.reports.format_2021 import build_2021, overview_sentences
    from data_access.read.reports.old_format import build_old, narrative_sentences

    commit(engine, OPERATOR, _file(1, WEB), "publications", UNIT, "2018-01", "web.xlsx", register="政府网站")
    commit(
        engine, OPERATOR, _file(1, MEDIA), "publications", UNIT, "2018-01", "m.xlsx", register="政务新媒体"
    )
    expected = (
        "按登记册统计：政府网站43条、政务新媒体44条（同一信息在多个登记册登记的，总数只计一次，共77条）。"
    )
    with db.read_session(engine) as s:
        new = build_2021(s, 2018, UNIT)
        old = build_old(s, 2018, UNIT)
    assert expected in overview_sentences(new)
    assert expected in " ".join(narrative_sentences(old)["一"])
    assert new["narrative"]["publications"]["total"] == 77


def test_a_register_never_uploaded_is_not_entered_and_an_empty_upload_enters_it(engine: Engine) -> None:
    """主动公开's per-register table shows 未登记 (None), not 0, for a register with no upload in the
    months; an upload of a month with nothing to list enters the register with 0 items; undoing the
    only upload of a register takes it back to 未登记."""
    commit(engine, OPERATOR, _file(1, WEB), "publications", UNIT, "2018-01", "web.xlsx", register="政府网站")
    counts = _counts(engine, 201801, 201812)
    shown = dict(counts.shown())
    assert shown["政府网站"] == 43 and shown["政务新媒体"] is None and shown["政府公报"] is None
    empty = commit(
        engine, OPERATOR, _file(2, []), "publications", UNIT, "2018-02", "m.xlsx", register="政务新媒体"
    )
    assert empty.status == "committed", [i.message for i in empty.issues]
    shown = dict(_counts(engine, 201801, 201812).shown())
    assert shown["政务新媒体"] == 0 and shown["政府公报"] is None
    assert dict(_counts(engine, 201801, 201801).shown())["政务新媒体"] is None  # not for January
    assert empty.batch_id is not None
    undo(engine, OPERATOR, empty.batch_id)
    assert dict(_counts(engine, 201801, 201812).shown())["政务新媒体"] is None
