"""Eight processes uploading to one SQLite file at once: nobody sees "database is locked",
nothing is lost, and eight copies of the same file make exactly one batch."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import func, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Publication, UploadBatch
from data_access.write.importing import commit
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit, xlsx

PROCESSES = 8
ROWS = 300


def _file(month: int) -> bytes:
    rows = [
        [f"QY-T{month:02d}-2018-{i:05d}", *row[1:]] for i, row in enumerate(publication_rows(ROWS, month))
    ]
    return xlsx([PUB_HEADER, *rows])


def _upload(args: tuple[str, bytes, str]) -> str:
    """One process: its own engine, one upload; the outcome or the error it met."""
    url, data, period = args
    engine = db.make_engine(url)
    try:
        return commit(engine, OPERATOR, data, "publications", UNIT, period, f"{period}.xlsx").status
    except Exception as exc:  # the test reports whatever reached the "user"
        return f"error: {type(exc).__name__}: {exc}"
    finally:
        engine.dispose()


def _run_all(jobs: list[tuple[str, bytes, str]]) -> list[str]:
    with mp.get_context("spawn").Pool(PROCESSES) as pool:
        return pool.map(_upload, jobs)


def test_eight_processes_upload_eight_months(empty_sqlite):
    setup_unit(empty_sqlite)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    outcomes = _run_all([(url, _file(m), f"2018-{m:02d}") for m in range(1, PROCESSES + 1)])
    assert outcomes == ["committed"] * PROCESSES, outcomes
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == PROCESSES * ROWS
        assert s.scalar(select(func.count()).where(UploadBatch.status == "active")) == PROCESSES


def test_the_same_file_eight_times_at_once_makes_one_batch(empty_sqlite):
    setup_unit(empty_sqlite)
    url = empty_sqlite.url.render_as_string(hide_password=False)
    data = _file(3)
    outcomes = _run_all([(url, data, "2018-03")] * PROCESSES)
    assert sorted(outcomes) == ["committed"] + ["unchanged"] * (PROCESSES - 1), outcomes
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(func.count()).select_from(UploadBatch)) == 1
        assert s.scalar(select(func.count()).select_from(Publication)) == ROWS
