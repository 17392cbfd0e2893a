"""Jobs: the user's background jobs (everyone's for an admin) with status, progress, duration and error; cancel
and retry; the queue's health (workers alive, restarts, last error)."""

import streamlit as st

from finsheet.errors import FinsheetError
from finsheet.jobs.intake import job_label, jobs_table, unfinished
from finsheet.workbench.health import check_queue
from pages._common import current_user, show_error, workbench

user = current_user()
wb = workbench()

st.title("Jobs")


def _queue_health() -> None:
    queue_health = check_queue(wb.queue)
    if queue_health.ok:
        st.caption(f"Queue: {queue_health.detail}")
        return
    st.warning(f"Job queue: {queue_health.detail}", icon=":material/warning:")
    if user.is_admin and st.button("Restart dead workers", key="jobs_restart_workers"):
        st.toast(f"{wb.queue.restart_workers()} worker(s) restarted")


st.fragment(_queue_health, run_every=5.0)()
jobs = wb.queue.list_jobs(user)
if not jobs:
    st.info("No jobs yet: upload a PDF to start one.")
    st.stop()


def _table() -> None:
    table = jobs_table(wb.queue, user)
    counts = table["state"].value_counts().sort("state")
    st.caption(" · ".join(f"{n} {state}" for state, n in counts.iter_rows()))
    st.dataframe(
        table,
        hide_index=True,
        column_order=["id", "document", "state", "stage", "progress", "seconds", "attempts", "error"]
        + (["owner"] if user.is_admin else []) + ["created"],
        column_config={
            "progress": st.column_config.ProgressColumn("progress", min_value=0.0, max_value=1.0, format="percent"),
            "seconds": st.column_config.NumberColumn("duration (s)", format="%.1f"),
            "error": st.column_config.TextColumn("error", width="large"),
            "created": st.column_config.DatetimeColumn("created", format="YYYY-MM-DD HH:mm:ss"),
        },
    )


st.fragment(_table, run_every=2.0 if unfinished(jobs) else None)()

st.subheader("Cancel or retry")
chosen = st.selectbox("Job", jobs, format_func=job_label, key="jobs_chosen")
left, right, _ = st.columns([1, 1, 4])
if left.button("Cancel", icon=":material/cancel:", disabled=chosen.state.finished, key="jobs_cancel"):
    try:
        wb.queue.cancel(chosen.id, user)
        st.toast(f"Job #{chosen.id}: cancel requested")
        st.rerun()
    except FinsheetError as exc:
        show_error(exc)
can_retry = chosen.state.value in ("failed", "cancelled")
if right.button("Retry", icon=":material/replay:", disabled=not can_retry, key="jobs_retry"):
    try:
        wb.queue.retry(chosen.id, user)
        st.toast(f"Job #{chosen.id} queued again")
        st.rerun()
    except FinsheetError as exc:
        show_error(exc)
if chosen.error:
    st.error(chosen.error)
