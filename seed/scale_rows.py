"""Row builders of the city-scale generator: one (sub-district, year) block per call.

Every builder draws from the one numpy Generator it is given, in a fixed order, so the
same spec and seed give the same rows. Rows are tuples in the order of `COLUMNS`.
Dates are working days (weekends skipped; the generator does not need holidays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from seed import scale_data as S

COLUMNS = {
    "publication": (
        "id", "unit_id", "index_no", "title", "category_id", "category_root_id", "topic_id", "doc_no",
        "is_official_document", "formed_date", "published_date", "published_year", "published_ym",
        "channel", "full_text", "attribute", "withheld_reason", "withheld_note", "secrecy_reviewed",
        "secrecy_reviewer", "secrecy_review_date", "batch_id",
    ),
    "policy_interpretation": ("id", "unit_id", "title", "published_date", "published_year",
                              "publication_id", "batch_id"),
    "project": ("id", "unit_id", "year", "seq", "name", "total_investment", "annual_plan"),
    "project_progress": ("id", "project_id", "unit_id", "year", "month", "ym", "month_invested",
                         "ytd_invested", "annual_plan", "plan_ytd", "total_investment", "notes", "batch_id"),
    "disclosure_request": ("id", "unit_id", "request_no", "received_date", "received_year", "channel",
                           "applicant_type", "applicant_name", "applicant_contact", "summary",
                           "extension_approved", "extension_days", "reply_date", "outcome", "batch_id"),
    "request_pause": ("id", "request_id", "kind", "start_date", "end_date", "note"),
    "appeal": ("id", "unit_id", "request_id", "kind", "litigation_path", "filed_date", "filed_year",
               "result", "closed_date", "summary", "batch_id"),
    "board": ("id", "unit_id", "name", "location", "kind"),
    "board_update": ("id", "board_id", "update_date", "kind", "note", "batch_id"),
    "delivery": ("id", "unit_id", "period_ym", "recipient", "delivered_date", "item_count", "batch_id"),
    "hotline_duty": ("id", "unit_id", "duty_date", "duty_year", "official", "topics", "batch_id"),
    "annual_target": ("id", "unit_id", "year", "metric", "category_id", "target"),
    "stat_tally": ("unit_id", "dim", "attribute", "ym", "item", "n"),
}  # fmt: skip


@dataclass
class Reference:
    """Ids the rows point at: catalogue roots and leaves (catalogue order) and topics by code."""

    roots: list[int]
    leaves: list[list[tuple[int, str]]]  # per root: (leaf id, level-two code)
    topics: dict[str | None, int | None]


@dataclass
class Unit:
    """A generated sub-district with its communities' ids."""

    id: int
    code: str
    name: str
    communities: list[tuple[int, str]] = field(default_factory=list)


class Ids:
    """Explicit primary keys, so child rows can point at parents before anything is read back."""

    def __init__(self, start: dict[str, int]) -> None:
        self.next = dict(start)

    def take(self, table: str, n: int = 1) -> int:
        first = self.next.get(table, 1)
        self.next[table] = first + n
        return first


def _dates(values: np.ndarray) -> list[dt.date]:
    return values.astype("datetime64[D]").tolist()


def _cents(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-2)


def workdays_in_months(rng: np.random.Generator, year: int, months: np.ndarray) -> np.ndarray:
    """One random working day in each given month (0-based month numbers)."""
    starts = np.array([f"{year}-{m:02d}-01" for m in range(1, 13)] + [f"{year + 1}-01-01"], "datetime64[D]")
    first = np.busday_offset(starts[:12], 0, roll="forward")
    count = np.busday_count(starts[:12], starts[1:])
    pick = (rng.random(len(months)) * count[months]).astype(np.int64)
    return np.busday_offset(first[months], pick)


def publications(
    rng: np.random.Generator, ids: Ids, ref: Reference, unit: Unit, year: int,
    month_counts: np.ndarray, batches: list[int],
) -> tuple[list[tuple], np.ndarray, list[tuple[int, dt.date, str]]]:  # fmt: skip
    """The unit's items of a year; also the proactive count per month and the policy items."""
    n = int(month_counts.sum())
    month = np.repeat(np.arange(12), month_counts)
    published = workdays_in_months(rng, year, month)
    order = np.argsort(published, kind="stable")
    published, month = published[order], month[order]
    cat = rng.choice(9, n, p=S.CATEGORY_P)
    leaf_pick = rng.random(n)
    late = rng.random(n) < S.LATE_SHARE
    lag = np.where(late, rng.integers(23, 80, n), np.minimum(rng.geometric(0.2, n) - 1, 17))
    formed = np.busday_offset(published, -lag, roll="backward")
    attribute = rng.choice(3, n, p=S.ATTRIBUTE_P)
    topic = rng.choice(len(S.TOPIC_CODES), n, p=S.TOPIC_P)
    channel = rng.choice(len(S.CHANNELS), n, p=S.CHANNEL_P)
    full_text = rng.random(n) < S.FULL_TEXT_P
    official = rng.random(n) < S.OFFICIAL_DOCUMENT_P
    phrase = rng.integers(0, 1 << 20, n)
    reason = rng.integers(0, len(S.WITHHELD_REASONS), n)

    first_id = ids.take("publication", n)
    # Dates as ISO text (what SQLAlchemy stores on SQLite; COPY and MariaDB parse it too).
    pub_text = np.datetime_as_string(published).tolist()
    formed_text = np.datetime_as_string(formed).tolist()
    review_text = np.datetime_as_string(published - np.timedelta64(1, "D")).tolist()
    month_l, cat_l, leaf_l = month.tolist(), cat.tolist(), leaf_pick.tolist()
    kind_l = [S.ATTRIBUTES[a] for a in attribute.tolist()]
    topic_l = [ref.topics[S.TOPIC_CODES[t]] for t in topic.tolist()]
    channel_l = [S.CHANNELS[c] for c in channel.tolist()]
    full_l, official_l, phrase_l = full_text.tolist(), official.tolist(), phrase.tolist()
    reason_l = [S.WITHHELD_REASONS[r] for r in reason.tolist()]
    words_of = [S.PHRASES[name] for name in S.CATEGORY_NAMES]
    project_topic = ref.topics["projects"]
    prefix, code, short = f"{unit.name}{year}年", unit.code.upper(), unit.name[:2]
    rows, policy = [], []
    proactive = [0] * 12
    seq_doc = 0
    for i in range(n):
        c, m, kind = cat_l[i], month_l[i], kind_l[i]
        leaves = ref.leaves[c]
        leaf_id, level2 = leaves[int(leaf_l[i] * len(leaves))]
        words = words_of[c]
        title = f"{prefix}{m + 1}月{words[phrase_l[i] % len(words)]}（{i + 1:05d}）"
        doc_no = None
        if official_l[i]:
            seq_doc += 1
            doc_no = f"{short}街〔{year}〕{seq_doc}号"
        if kind == "proactive":
            proactive[m] += 1
            if c == S.POLICY_CATEGORY:
                policy.append((first_id + i, dt.date.fromisoformat(pub_text[i]), title))
            shown: tuple = (pub_text[i], year, year * 100 + m + 1)
            withheld: tuple = (None, None)
            reviewed = review_text[i]
        else:
            shown = (None, None, None)
            withheld = (reason_l[i], "依法不予公开") if kind == "withheld" else (None, None)
            reviewed = formed_text[i]
        rows.append(
            (
                first_id + i, unit.id, f"{code}-{level2}-{year}-{i + 1:05d}", title, leaf_id, ref.roots[c],
                project_topic if c == S.PROJECT_CATEGORY else topic_l[i], doc_no, official_l[i],
                formed_text[i], *shown, channel_l[i], full_l[i], kind, *withheld, True, "党政办", reviewed,
                batches[m],
            )
        )  # fmt: skip
    return rows, np.array(proactive), policy


def projects(
    rng: np.random.Generator, ids: Ids, unit: Unit, year: int, months: int, batches: list[int],
    with_plan_curve: bool,
) -> tuple[list[tuple], list[tuple]]:  # fmt: skip
    """The unit's key projects of a year and their monthly figures (1-N月累计 = last month + this month).

    Each project follows its own curve: plan × pace × (m/12)^shape, so some finish early,
    some lag behind N/12 and a few never reach the plan.
    """
    n = int(rng.integers(18, 25))
    words = rng.permutation(len(S.PROJECT_WORDS) * 2)[:n]
    total = np.round(rng.lognormal(np.log(20000), 0.9, n) * 100).astype(np.int64)  # cents of 万元
    plan = np.round(total * rng.uniform(0.15, 0.5, n)).astype(np.int64)
    pace = np.clip(rng.normal(0.95, 0.22, n), 0.3, 1.25)
    shape = rng.uniform(0.7, 1.7, n)
    first = ids.take("project", n)
    projects_rows, progress = [], []
    curve = (np.arange(1, 13) / 12.0)[None, :] ** shape[:, None] * pace[:, None]
    cumulative = np.round(plan[:, None] * curve).astype(np.int64)
    base = unit.name[:2]
    for j in range(n):
        word = S.PROJECT_WORDS[int(words[j]) % len(S.PROJECT_WORDS)]
        name = f"{base}{word}" + ("（二期）" if words[j] >= len(S.PROJECT_WORDS) else "")
        pid = first + j
        projects_rows.append((pid, unit.id, year, j + 1, name, _cents(total[j]), _cents(plan[j])))
        previous = 0
        for m in range(months):
            ytd = int(cumulative[j, m])
            plan_ytd = _cents(plan[j] * (m + 1) // 12) if with_plan_curve else None
            progress.append(
                (
                    ids.take("project_progress"), pid, unit.id, year, m + 1, year * 100 + m + 1,
                    _cents(ytd - previous), _cents(ytd), _cents(plan[j]), plan_ytd, _cents(total[j]),
                    S.progress_note(ytd / plan[j] if plan[j] else 0.0), batches[m],
                )
            )  # fmt: skip
            previous = ytd
    return projects_rows, progress


def requests(
    rng: np.random.Generator, ids: Ids, unit: Unit, year: int, n: int, end: dt.date, batch: int
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """A year's disclosure requests with their pauses and appeals.

    Most are answered in time; a few were extended, a few answered late, the most recent
    ones are still open and a handful of old ones were never answered (overdue).
    """
    months = rng.choice(12, n, p=S.SEASON_P)
    received = np.sort(workdays_in_months(rng, year, months))
    end64 = np.datetime64(end)
    received = np.minimum(received, np.busday_offset(end64, 0, roll="backward"))
    new_rules = received >= np.datetime64("2019-05-15")
    limit = np.where(new_rules, 20, 15)
    draw = rng.random(n)
    extended = draw < 0.04
    late = (draw >= 0.04) & (draw < 0.07)
    ext_days = np.where(extended, (rng.random(n) * limit).astype(np.int64) + 1, 0)
    lag = (rng.random(n) * limit).astype(np.int64) + 1
    lag = np.where(extended, limit + (rng.random(n) * ext_days).astype(np.int64) + 1, lag)
    lag = np.where(late, limit + rng.integers(1, 15, n), lag)
    replied = np.busday_offset(received, lag)
    never = rng.random(n) < 0.005
    open_ = (replied > end64) | never
    channel = rng.choice(len(S.REQUEST_CHANNELS), n, p=S.REQUEST_CHANNEL_P)
    applicant = rng.choice(len(S.APPLICANT_TYPES), n, p=S.APPLICANT_P)
    outcome = rng.choice(len(S.OUTCOMES), n, p=S.OUTCOME_P)
    summary = rng.integers(0, len(S.REQUEST_SUMMARIES), n)
    pause_draw = rng.random(n)
    pause_len = rng.integers(3, 12, n)
    appeal_draw = rng.random(n)
    appeal_kind = rng.choice(len(S.APPEAL_KINDS), n, p=S.APPEAL_KIND_P)
    appeal_result = rng.choice(len(S.APPEAL_RESULTS), n, p=S.APPEAL_RESULT_P)
    filed_after = rng.integers(5, 60, n)
    closed_after = rng.integers(30, 120, n)
    path = rng.random(n) < 0.6
    first = ids.take("disclosure_request", n)
    rec_dates, rep_dates = _dates(received), _dates(replied)
    rows, pauses, appeals = [], [], []
    for i in range(n):
        rid = first + i
        reply = None if open_[i] else rep_dates[i]
        rows.append(
            (
                rid, unit.id, f"{unit.code.upper()}-YSQ-{year}-{i + 1:05d}", rec_dates[i], year,
                S.REQUEST_CHANNELS[channel[i]], S.APPLICANT_TYPES[applicant[i]], f"申请人{rid}",
                f"1380000{rid % 10000:04d}", S.REQUEST_SUMMARIES[summary[i]], bool(extended[i]),
                int(ext_days[i]), reply, None if reply is None else S.OUTCOMES[outcome[i]], batch,
            )
        )  # fmt: skip
        if pause_draw[i] < 0.06:
            start = rec_dates[i] + dt.timedelta(days=2)
            kind = "correction" if pause_draw[i] < 0.05 else "third_party"
            note = "通知申请人补正" if kind == "correction" else "征求第三方意见"
            pause_end = start + dt.timedelta(days=int(pause_len[i]))
            pauses.append((ids.take("request_pause"), rid, kind, start, min(pause_end, end), note))
        if reply is None or appeal_draw[i] >= 0.03:
            continue
        filed = reply + dt.timedelta(days=int(filed_after[i]))
        if filed > end:
            continue
        kind = S.APPEAL_KINDS[appeal_kind[i]]
        result = S.APPEAL_RESULTS[appeal_result[i]]
        closed = filed + dt.timedelta(days=int(closed_after[i])) if result != "尚未审结" else None
        if closed is not None and closed > end:
            result, closed = "尚未审结", None
        litigation = ("direct" if path[i] else "after_reconsideration") if kind == "litigation" else None
        appeals.append(
            (ids.take("appeal"), unit.id, rid, kind, litigation, filed, filed.year, result, closed,
             "对答复不服", batch)
        )  # fmt: skip
    return rows, pauses, appeals


def deliveries(
    rng: np.random.Generator, ids: Ids, unit: Unit, year: int, proactive: np.ndarray, months: int, batch: int
) -> list[tuple]:
    """Each month's delivery to the archive and the library: mostly within 3 working days, a few late,
    a few missing, a few with a count that differs from what was published."""
    rows = []
    draw = rng.random((months, 2))
    delay = rng.integers(3, 10, (months, 2))
    early = rng.integers(0, 3, (months, 2))
    off = rng.integers(1, 4, (months, 2))
    for m in range(months):
        start = np.datetime64(dt.date(year + (m + 1) // 12, (m + 1) % 12 + 1, 1))
        first = np.busday_offset(start, 0, roll="forward")
        for k, recipient in enumerate(("archive", "library")):
            if draw[m, k] < 0.02:
                continue
            late = draw[m, k] > 0.90
            day = np.busday_offset(first, int(delay[m, k] if late else early[m, k])).item()
            count = int(proactive[m]) + (int(off[m, k]) if draw[m, k] > 0.99 else 0)
            rows.append((ids.take("delivery"), unit.id, year * 100 + m + 1, recipient, day, count, batch))
    return rows


def boards(ids: Ids, unit: Unit) -> list[tuple]:
    """The sub-district's gate board and LED screen, and one board in each community."""
    rows = [
        (ids.take("board"), unit.id, f"{unit.name}机关大院公开栏", f"{unit.name}办公楼大门", "gate"),
        (ids.take("board"), unit.id, f"{unit.name}办公楼LED屏", f"{unit.name}办公楼大厅", "led"),
    ]
    for cid, name in unit.communities:
        rows.append((ids.take("board"), cid, f"{name}居务公开栏", f"{name}服务中心", "community"))
    return rows


def board_updates(
    rng: np.random.Generator, ids: Ids, board_rows: list[tuple], year: int, months: int, batch: int
) -> list[tuple]:
    """A year of updates per board: the yearly renewal (a few boards miss it), quarterly
    updates, updates as events require and the odd repair."""
    rows = []
    for board in board_rows:
        bid, kind = board[0], board[4]
        events: list[tuple[int, str, str]] = []
        if rng.random() >= 0.05:
            events.append((int(rng.integers(0, min(3, months))), "年度换新", "全面更新公开内容"))
        if kind != "led":
            events += [(q, "季度更新", f"第{q // 3 + 1}季度公开内容") for q in range(0, months, 3)]
        for _ in range(int(rng.poisson(8 if kind == "led" else 4))):
            events.append((int(rng.integers(0, months)), "即时更新", "发布最新通知公告"))
        if rng.random() < 0.2:
            events.append((int(rng.integers(0, months)), "修缮", "栏面破损修复"))
        days = _dates(workdays_in_months(rng, year, np.array([m for m, _k, _n in events], dtype=np.int64)))
        seen = set()
        for (_m, what, note), day in zip(events, days, strict=True):
            if (day, what) not in seen:
                seen.add((day, what))
                rows.append((ids.take("board_update"), bid, day, what, note, batch))
    return rows


def small_tables(
    rng: np.random.Generator, ids: Ids, unit: Unit, year: int, published: int,
    policy: list[tuple[int, dt.date, str]], batches: tuple[int, int],
) -> tuple[list[tuple], list[tuple], list[tuple]]:  # fmt: skip
    """Policy interpretations of some policy documents, hotline duties and the year's target."""
    interpretations = [
        (ids.take("policy_interpretation"), unit.id, f"《{title}》政策解读", day, day.year, pid, batches[0])
        for pid, day, title in policy
        if rng.random() < 0.3
    ]
    duty_days = _dates(workdays_in_months(rng, year, rng.integers(0, 12, int(rng.integers(1, 4)))))
    duties = [
        (ids.take("hotline_duty"), unit.id, day, day.year, "街道办事处主任", "市民来电咨询", batches[1])
        for day in sorted(duty_days)
    ]
    target = round(published * float(rng.uniform(0.9, 1.1)))
    targets = [(ids.take("annual_target"), unit.id, year, "publications", None, Decimal(target))]
    return interpretations, duties, targets
