"""The 逐条登记 progress form takes the extension's approval date and the outcomes of a request's other
parts, on every backend: saved with the request (its main outcome the request's own), shown when the
form is drawn again, a late approval judged late, and undo puts the parts back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.store import db
from data_access.store.models import DisclosureRequest, RequestPart, UploadBatch
from data_access.write import records
from data_access.write.undo import undo
from tests.helpers.request_forms import clerk, engine_fixture, form, load, progress, register  # noqa: F401

NONE = "无法提供-本机关不掌握相关政府信息"


def _parts(engine: Engine) -> list[tuple[int, str, bool]]:  # noqa: F811
    with db.read_session(engine) as s:
        return [
            (seq, outcome, bool(main))
            for seq, outcome, main in s.execute(
                select(RequestPart.seq, RequestPart.outcome, RequestPart.is_main).order_by(RequestPart.seq)
            )
        ]


def test_the_form_saves_the_approval_date_and_the_parts(engine: Engine) -> None:  # noqa: F811
    register(engine, "YSQ-2019-009")  # received 2019-09-27: due 2019-10-30
    row = load(engine, "YSQ-2019-009")
    saved = progress(
        engine,
        row,
        form(row, extension_days=10, extension_approved_on="2019-10-25", reply_date="2019-11-12",
             outcome="予以公开", other_outcomes=[NONE]),
    )  # fmt: skip
    assert saved.status == "saved"
    assert _parts(engine) == [(1, "予以公开", True), (2, NONE, False)]
    again = load(engine, "YSQ-2019-009")
    assert again.extension_approved_on == dt.date(2019, 10, 25) and again.other_outcomes == (NONE,)
    assert again.due == dt.date(2019, 11, 13)  # 10 working days after 10-30
    with db.read_session(engine) as s:
        assert s.scalar(select(DisclosureRequest.outcome)) == "予以公开"

    # Approved after the due date: the original date binds, and the clerk is told.
    late = progress(engine, again, form(again, extension_days=10, extension_approved_on="2019-10-31",
                                        other_outcomes=list(again.other_outcomes)))  # fmt: skip
    assert late.status == "saved"
    assert load(engine, "YSQ-2019-009").due == dt.date(2019, 10, 30)

    # A form without the other parts' field keeps them; a new main outcome takes the main part's place.
    third = load(engine, "YSQ-2019-009")
    values = form(third, extension_days=10, extension_approved_on="2019-10-31", outcome="部分公开")
    assert progress(engine, third, values).status == "saved"
    assert _parts(engine) == [(1, "部分公开", True), (2, NONE, False)]
    with db.read_session(engine) as s:
        last = s.scalar(select(UploadBatch.id).order_by(UploadBatch.id.desc()))
    undo(engine, clerk(engine), last)
    assert _parts(engine) == [(1, "予以公开", True), (2, NONE, False)]


def test_an_unknown_part_outcome_is_refused_at_its_field(engine: Engine) -> None:  # noqa: F811
    register(engine, "YSQ-2019-010")
    row = load(engine, "YSQ-2019-010")
    values = form(row, reply_date="2019-10-20", outcome="予以公开", other_outcomes=["随便答复"])
    with pytest.raises(records.RecordError) as refused:
        progress(engine, row, values)
    assert "其他部分的答复类型" in str(refused.value) and "「随便答复」无法识别" in str(refused.value)
    assert _parts(engine) == []
