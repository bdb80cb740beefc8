"""月度上传: check a monthly spreadsheet against the database, confirm it, see the history, undo."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import upload_register, upload_view
from dashboard.reads import cache
from dashboard.reads import records as records_reads
from dashboard.writes import records as records_writes
from data_access import settings
from data_access.rules.permissions import Principal


def _controls(units: list[tuple[str, str, int]], principal: Principal) -> tuple[str, str, str | None]:
    codes = [code for code, _name, _depth in units]
    labels = {code: "　" * (depth - units[0][2]) + name for code, name, depth in units}
    left, middle, right = st.columns(3)
    kind = left.selectbox(
        t("upload.kind"),
        records_reads.KINDS,
        format_func=lambda k: records_reads.SPECS[k].title,
        key="upload_kind",
        help=t("upload.kind.help"),
    )
    unit = middle.selectbox(
        t("upload.unit"),
        codes,
        index=codes.index(principal.unit_code) if principal.unit_code in codes else 0,
        format_func=labels.get,
        key="upload_unit",
    )
    monthly = records_reads.SPECS[kind].period == "month"
    period = right.text_input(
        t("upload.period"),
        placeholder=t("upload.period.month_hint" if monthly else "upload.period.year_hint"),
        help=t("upload.period.help"),
        key="upload_period",
    )
    st.caption(t(f"upload.kind_help.{kind}"))
    return kind, unit, period.strip() or None


def _preview(principal: Principal, data: bytes, kind: str, unit: str, period: str | None, name: str,  # type: ignore[no-untyped-def]
             register: str | None = None):  # fmt: skip
    """The file's preview, worked out once per file, choice and data version."""
    key = (hashlib.sha256(data).hexdigest(), kind, unit, period, register, cache.data_version())
    memo = st.session_state.get("upload_preview")
    if memo is None or memo[0] != key:
        memo = (key, records_writes.preview_upload(principal, data, kind, unit, period, name, register))
        st.session_state["upload_preview"] = memo
    return memo[1]


def _commit(  # noqa: PLR0913
    principal: Principal,
    data: bytes,
    kind: str,
    unit: str,
    period: str | None,
    name: str,
    removals: int,
    register: str | None = None,
    cross: dict[str, str] | None = None,
) -> None:
    with st.status(t("upload.commit.status"), expanded=True) as status:
        st.write(t("upload.commit.step_check"))
        st.write(t("upload.commit.step_write"))
        result = records_writes.commit_upload(
            principal, data, kind, unit, period, name, removals, register, cross
        )
        if result.status in ("rejected", "conflict"):
            status.update(label=t("upload.commit.status_failed"), state="error")
        else:
            st.write(t("upload.commit.step_refresh"))
            status.update(label=t("upload.commit.status_done"), state="complete", expanded=False)
    if result.status in ("rejected", "conflict"):  # nothing was written
        st.session_state.pop("upload_preview", None)
        errors = [i.message for i in result.issues if i.level == records_reads.ERROR]
        st.error(
            t("upload.commit.rejected")
            if result.status == "rejected" and not errors
            else "".join(errors[-1:])
        )
        return
    if result.status == "unchanged":
        message = ("info", t("upload.status.unchanged", batch=result.batch_id))
    else:
        counts = dict(added=len(result.added), changed=len(result.changed), removed=len(result.removed))
        done = t("upload.commit.done", batch=result.batch_id, rows=result.rows, **counts)
        message = ("success", f"{done} {result.zero_report}" if result.zero_report else done)
    st.session_state["upload_flash"] = message
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.session_state.pop("upload_preview", None)
    st.rerun()


def render() -> None:
    """Draw the page."""
    st.title(t("upload.title"))
    principal = session.current()
    units = records_reads.units_for(principal)
    if not units:
        st.info(t("upload.no_units"))
        return
    upload_view.flash()
    st.caption(t("upload.help"))
    kind, unit, period = _controls(units, principal)
    register = upload_register.picker(kind)
    max_mb = settings.get_float("UPLOAD_MAX_MB")
    uploaded = st.file_uploader(
        t("upload.file", mb=f"{max_mb:g}"),
        max_upload_size=max(1, math.ceil(max_mb)),
        key=f"upload_file_{st.session_state.get('upload_round', 0)}",
    )
    if uploaded is None:
        st.info(t("upload.drop_hint", kind=records_reads.SPECS[kind].title))
    else:
        data = uploaded.getvalue()
        try:
            preview = _preview(principal, data, kind, unit, period, uploaded.name, register)
        except ValueError as exc:  # importing.UsageError, records.RecordError: Chinese messages
            st.error(str(exc))
        else:
            upload_register.register_line(preview, register)
            removals_confirmed = upload_view.show_preview(preview, data, uploaded.name, period is not None)
            cross = upload_register.cross_rows(preview)
            if st.button(
                t("upload.confirm"),
                type="primary",
                disabled=preview.status != "valid" or not removals_confirmed,
                icon=":material/check:",
            ):
                _commit(
                    principal, data, kind, unit, period, uploaded.name, len(preview.removed), register, cross
                )
    st.divider()
    upload_view.history(principal, unit)
    st.divider()
    year = int(period[:4]) if period and period[:4].isdigit() else dt.date.today().year
    upload_view.templates(unit, year)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
