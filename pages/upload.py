"""Upload: drop several PDFs; each becomes an extraction job whose progress updates live."""

import streamlit as st

from finsheet.jobs.intake import Outcome, submit_upload, unfinished
from finsheet.workbench.review import already_uploaded, name_once, plain
from finsheet.workbench.session import UPLOAD_OUTCOMES, UPLOAD_SEEN
from pages._common import current_user, workbench

user = current_user()
wb = workbench()

st.title("Upload")
st.caption(
    f"Annual reports, 10-Ks, 10-Qs, audited accounts — text PDFs or scans, up to {wb.settings.max_upload_mb} MB "
    "each. Every file is extracted in the background; you can leave this page while it runs."
)

files = st.file_uploader("Financial statement PDFs", accept_multiple_files=True, key="upload_files")
seen: set[str] = st.session_state.setdefault(UPLOAD_SEEN, set())
outcomes: list = st.session_state.setdefault(UPLOAD_OUTCOMES, [])
for file in files or []:
    if file.file_id in seen:  # the uploader hands the same files back on every rerun
        continue
    seen.add(file.file_id)
    data = file.getvalue()
    if (existing := already_uploaded(wb.store, user, data)) is not None:  # the same bytes: one document, one job
        outcomes.insert(0, Outcome(existing.name, False, "already uploaded", document_id=existing.id))
        continue
    outcomes.insert(0, submit_upload(wb.store, wb.queue, wb.settings, data, file.name, owner=user.username))

for outcome in outcomes:
    if outcome.message == "already uploaded" and outcome.document_id is not None:
        a, b = st.columns([4, 1], vertical_alignment="center")
        a.info(f"**{plain(outcome.name)}** is already here (the same file was uploaded before): nothing was queued "
               "again.", icon=":material/content_copy:")
        b.page_link("pages/review.py", label="Open it in Review", icon=":material/fact_check:",
                    query_params={"document": str(outcome.document_id)})
    elif not outcome.ok:
        st.error(plain(name_once(outcome.name, outcome.message)), icon=":material/block:")


def _jobs() -> list:
    return [job for o in outcomes if o.job_id is not None and (job := wb.queue.get(o.job_id)) is not None]


def _progress() -> None:
    jobs = _jobs()
    if not jobs:
        st.info("Nothing uploaded in this session yet. The demo documents are on the Review page.")
        return
    for job in jobs:
        name = job.document_name or f"job {job.id}"
        if job.state.value == "completed":
            found = job.result.get("statements", 0)
            st.progress(1.0, text=f"**{plain(name)}** — done: {found} statement(s) in "
                        f"{job.result.get('seconds', 0):.2f} s")
        elif job.state.value in ("failed", "cancelled"):
            st.progress(job.progress / 100, text=f"**{plain(name)}** — {job.state.value}: "
                        f"{plain(name_once(name, job.error or '').removeprefix(name + ': '))}")
        else:
            stage = f"{plain(job.stage)} " if job.stage else ""
            st.progress(job.progress / 100, text=f"**{plain(name)}** — {job.state.value} {stage}{job.progress:.0f} %")
    if not unfinished(jobs):
        if pending:  # everything finished while this fragment was ticking: one full rerun stops the timer
            st.rerun()
        st.page_link("pages/review.py", label="Review the statements", icon=":material/fact_check:")


pending = unfinished(_jobs())
st.subheader("This session's uploads")
st.fragment(_progress, run_every=1.0 if pending else None)()
