"""Upload: drop several PDFs; each becomes an extraction job whose progress updates live."""

import streamlit as st

from finsheet.jobs.intake import submit_upload, unfinished
from pages._common import UPLOAD_OUTCOMES, UPLOAD_SEEN, current_user, workbench

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
    outcomes.insert(0, submit_upload(wb.store, wb.queue, wb.settings, file.getvalue(), file.name, owner=user.username))

for outcome in outcomes:
    if not outcome.ok:
        st.error(outcome.message, icon=":material/block:")


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
            st.progress(1.0, text=f"**{name}** — done: {found} statement(s) in {job.result.get('seconds', 0):.2f} s")
        elif job.state.value in ("failed", "cancelled"):
            st.progress(job.progress / 100, text=f"**{name}** — {job.state.value}: {job.error or ''}")
        else:
            stage = f"{job.stage} " if job.stage else ""
            st.progress(job.progress / 100, text=f"**{name}** — {job.state.value} {stage}{job.progress:.0f} %")
    if not unfinished(jobs):
        if pending:  # everything finished while this fragment was ticking: one full rerun stops the timer
            st.rerun()
        st.page_link("pages/review.py", label="Review the statements", icon=":material/fact_check:")


pending = unfinished(_jobs())
st.subheader("This session's uploads")
st.fragment(_progress, run_every=1.0 if pending else None)()
