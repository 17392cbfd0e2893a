"""From an uploaded file to a queued extraction, and the job list as the Jobs page shows it.

    outcome = submit_upload(store, queue, settings, data, "report.pdf", owner="ann")
    outcome.ok, outcome.message, outcome.job_id      # a rejected file says why at once; nothing is lost
    table = jobs_table(queue, viewer)                # status, progress, duration, error per job

A file that is not a PDF, is empty or too large is rejected before anything is stored (`UploadError`). A PDF that
does not open (encrypted, damaged) is stored with its failed extraction so it shows in the lists with the reason;
it is not queued, since extracting it again cannot help. A file the owner uploaded before (the same bytes) is not
stored or extracted twice: the outcome says so and carries the existing document (`already_present`,
`document_id`) and its extraction job, so the page can link to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from finsheet.errors import FinsheetError, UploadError
from finsheet.jobs.queue import JobQueue
from finsheet.jobs.uploads import MAX_NAME, sanitize_filename, store_upload
from finsheet.settings import Settings
from finsheet.store import JobRecord, JobState, Store, Viewer


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one uploaded file."""

    name: str
    ok: bool
    message: str
    document_id: int | None = None
    job_id: int | None = None
    already_present: bool = False
    """The owner had uploaded these bytes before: `document_id` is that document (`name` its stored name) and
    `job_id` its existing extraction job; nothing new was stored or queued."""


def submit_upload(
    store: Store, queue: JobQueue, settings: Settings, data: bytes, filename: str, *, owner: str
) -> Outcome:
    """Store the file and queue its extraction; never raises for bad input (the outcome says why)."""
    name = sanitize_filename(filename)
    try:
        record, created = store_upload(store, settings, data, filename, owner)
    except UploadError as exc:  # named as uploaded: 'notes.txt', not the stored 'notes.txt.pdf'
        shown = "".join(ch for ch in re.split(r"[\\/]", filename)[-1] if ch.isprintable())[:MAX_NAME] or name
        return Outcome(shown, False, f"{shown}: {str(exc).removeprefix(name + ': ')}")
    except FinsheetError as exc:  # the database refused (a full disk): nothing is lost but this upload
        return Outcome(name, False, f"{name}: could not be stored: {exc}")
    if record.status == "failed":
        return Outcome(record.name, False, f"{record.name}: {record.error}", document_id=record.id,
                       already_present=not created)
    try:
        job_id = queue.submit("extract", {"document_id": record.id}, owner=owner, document_id=record.id)
    except FinsheetError as exc:
        return Outcome(record.name, False, f"{record.name}: stored, but its extraction could not be queued: {exc}",
                       document_id=record.id, already_present=not created)
    if not created:
        same = "" if record.name == name else f" as {record.name}"
        return Outcome(record.name, True, f"{name}: already uploaded{same} (document {record.id}); not stored again",
                       document_id=record.id, job_id=job_id, already_present=True)
    return Outcome(record.name, True, f"{record.name}: queued for extraction", document_id=record.id, job_id=job_id)


def job_seconds(job: JobRecord, *, now: datetime | None = None) -> float | None:
    """How long a job ran (so far, while it runs); None before it started."""
    if job.started_at is None:
        return None
    end = job.finished_at or now or datetime.now()
    return max(0.0, (end - job.started_at).total_seconds())


def job_label(job: JobRecord) -> str:
    """'#12 extract · report.pdf · running 40 %'."""
    state = job.state.value + (f" {job.progress:.0f} %" if job.state == JobState.RUNNING else "")
    return f"#{job.id} {job.kind} · {job.document_name or '—'} · {state}"


def jobs_table(queue: JobQueue, viewer: Viewer, *, limit: int = 200) -> pl.DataFrame:
    """The viewer's jobs (everyone's for an admin), newest first: id, document, kind, state, stage, progress (0–1),
    seconds, attempts, error, owner, created."""
    now = datetime.now()
    rows = [
        {"id": j.id, "document": j.document_name or "", "kind": j.kind, "state": j.state.value,
         "stage": "done" if j.state == JobState.COMPLETED else j.stage,
         "progress": (100.0 if j.state == JobState.COMPLETED else j.progress) / 100, "seconds": job_seconds(j, now=now),
         "attempts": f"{j.attempts}/{j.max_attempts}", "error": j.error or "", "owner": j.owner,
         "created": j.created_at}
        for j in queue.store.list_jobs(viewer, limit=limit)
    ]
    schema = {"id": pl.Int64, "document": pl.Utf8, "kind": pl.Utf8, "state": pl.Utf8, "stage": pl.Utf8,
              "progress": pl.Float64, "seconds": pl.Float64, "attempts": pl.Utf8, "error": pl.Utf8, "owner": pl.Utf8,
              "created": pl.Datetime}
    return pl.DataFrame(rows, schema=schema)


def unfinished(jobs: list[JobRecord]) -> bool:
    """Whether any of the jobs may still change (the page keeps refreshing while so)."""
    return any(not j.state.finished for j in jobs)
