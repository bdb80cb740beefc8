"""The annual-targets editor saves only over the values it was drawn with: a target another admin
changed meanwhile refuses the save ("该记录已被他人修改，请刷新后重试"); untouched ones do not."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AnnualTarget
from data_access.write import catalogue as admin_catalogue
from tests.helpers.builders import UNIT, setup_unit

STALE = "该记录已被他人修改，请刷新后重试"


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def test_targets_saved_over_a_newer_value_are_refused(engine: Engine) -> None:
    with db.write_session(engine) as s:
        admin_catalogue.save_targets(s, UNIT, 2019, {None: 150, "01": 30}, loaded={}, actor=OPERATOR)
    with db.read_session(engine) as s:
        drawn = {r.category_code: r.version for r in admin_catalogue.list_targets(s, UNIT, 2019)}
    assert (drawn[None], drawn["01"], drawn["02"]) == (1, 1, None)
    with db.write_session(engine) as s:  # another admin raises the total
        assert admin_catalogue.save_targets(s, UNIT, 2019, {None: 170}, loaded=drawn, actor=OPERATOR) == 1
    with db.write_session(engine) as s, pytest.raises(ValueError, match=STALE):
        admin_catalogue.save_targets(s, UNIT, 2019, {None: 160, "02": 5}, loaded=drawn, actor=OPERATOR)
    with db.write_session(engine) as s:  # a cell the other admin did not touch still saves
        assert (
            admin_catalogue.save_targets(s, UNIT, 2019, {None: 170, "02": 5}, loaded=drawn, actor=OPERATOR)
            == 1
        )
    with db.read_session(engine) as s:
        rows = {r.category_code: (r.target, r.version) for r in admin_catalogue.list_targets(s, UNIT, 2019)}
        assert s.scalar(select(func.count()).select_from(AnnualTarget)) == 3
    assert (rows[None], rows["01"], rows["02"]) == ((170, 2), (30, 1), (5, 1))
