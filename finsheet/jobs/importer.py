"""`finsheet import`: store files and extract them through the job queue, in this process.

    results = import_files([Path("a.pdf"), Path("b.pdf")], user="ann", settings=settings)

Each file ends as one `ImportResult` (the JSON shape of `finsheet import --json`): stored and extracted
("completed"), or "failed" with the reason — not readable, rejected as an upload, a PDF that does not open, no
statements found, the database refused to save it. A file already imported by the same user is not extracted
again unless `force`; its `note` says so. The same bytes twice in one import are one document and one extraction:
the second file's result is the first's, with a `note` naming it. Whatever happens to the queue or the database
on the way, every file gets a result with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel

from finsheet.errors import FinsheetError, UploadError
from finsheet.jobs.queue import JobQueue
from finsheet.jobs.uploads import sanitize_filename, store_upload
from finsheet.settings import Settings
from finsheet.store import JobRecord, JobState, Store

ProgressFn = Callable[[list[JobRecord]], None]


class ImportResult(BaseModel):
    file: str
    document_id: int | None = None
    status: str = "failed"
    """"completed", "failed" or "cancelled"."""
    statements: int = 0
    error: str | None = None
    note: str | None = None
    """Why this file was not extracted anew: "already imported as document 3 ...", "same bytes as a.pdf ..."."""


def import_files(
    files: Sequence[Path],
    *,
    user: str,
    settings: Settings,
    workers: int | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
    store: Store | None = None,
) -> list[ImportResult]:
    """Store and extract the files (one result each, in order). Opens the store from settings unless given."""
    results = [ImportResult(file=path.name) for path in files]
    own = store is None
    try:
        db = store or Store.open(settings)
    except FinsheetError as exc:  # e.g. the database is in use by the app: every file says so
        return _all_failed(results, str(exc))
    queue = JobQueue(db, settings, workers=workers, log_stderr=False)
    jobs: dict[int, list[ImportResult]] = {}
    first_of: dict[int, ImportResult] = {}  # document id -> the first file of this import that is that document
    try:
        queue.start()
        for path, result in zip(files, results, strict=True):
            try:
                job_id = _store_and_queue(db, queue, settings, path, user, result, force=force, first_of=first_of)
            except FinsheetError as exc:  # the database refused this file: say so, go on with the next
                result.error = f"{sanitize_filename(path.name)}: {exc}"
                continue
            if job_id is not None:
                jobs.setdefault(job_id, []).append(result)
        for job in queue.wait(list(jobs), on_progress=progress):
            for result in jobs.pop(job.id):
                _finish(db, result, job)
    except Exception as exc:  # the queue stopped or the database failed (or a bug): the files not done say why
        reason = str(exc) if isinstance(exc, FinsheetError) else f"internal error: {type(exc).__name__}: {exc}"
        for result in results:
            if result.status == "failed" and not result.error:
                result.error = f"not finished: {reason}"
    finally:
        queue.shutdown()
        if own:
            db.close()
    for result in results:
        if result.status == "failed" and not result.error:  # never "failed" without a reason
            result.error = "failed for an unknown reason (see the log)"
    return results


def _all_failed(results: list[ImportResult], reason: str) -> list[ImportResult]:
    for result in results:
        result.status, result.error = "failed", result.error or reason
    return results


def _finish(store: Store, result: ImportResult, job: JobRecord) -> None:
    result.status = job.state.value
    result.error = None if job.state == JobState.COMPLETED else (job.error or f"the extraction job {job.state.value}")
    if result.document_id is not None:
        try:
            result.statements = store.document_by_id(result.document_id).statements
        except FinsheetError:
            result.statements = int(job.result.get("statements", 0))


def _store_and_queue(
    store: Store,
    queue: JobQueue,
    settings: Settings,
    path: Path,
    user: str,
    result: ImportResult,
    *,
    force: bool,
    first_of: dict[int, ImportResult],
) -> int | None:
    """Save one file as a document and queue its extraction; the job id, or None when it failed already."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.error = f"{sanitize_filename(path.name)}: cannot read the file ({exc.strerror})"
        return None
    try:
        record, created = store_upload(store, settings, data, path.name, user)
    except UploadError as exc:
        result.error = str(exc)
        return None
    result.document_id = record.id
    first = first_of.setdefault(record.id, result)
    if first is not result:
        result.note = f"same bytes as {first.file} in this import (document {record.id}): extracted once"
    elif not created:
        result.note = f"already imported as document {record.id} ({record.name})" + (
            "; extracted again (--force)" if force else "; not extracted again (use --force to)")
    if record.status == "failed" and record.pages == 0:  # stored, but the PDF does not open: nothing to extract
        result.error = record.error or first.error
        return None
    if first is not result:
        force = False  # the first file queued this document's extraction (again, with --force) already
    return queue.submit("extract", {"document_id": record.id}, owner=user, force=force)


class ProgressBar:
    """Import progress for a terminal: one bar redrawn in place; a line per finished job when not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.reported: set[int] = set()

    def __call__(self, jobs: list[JobRecord]) -> None:
        done = [j for j in jobs if j.state.finished]
        if self.stream.isatty():
            percent = sum(100.0 if j.state.finished else j.progress for j in jobs) / max(1, len(jobs))
            running = "; ".join(f"{j.document_name} {j.stage}" for j in jobs if j.state == JobState.RUNNING)
            end = "\n" if len(done) == len(jobs) else ""
            bar = "#" * int(percent / 4)
            print(f"\r[{bar:25s}] {len(done)}/{len(jobs)} {running[:50]:50s}", end=end, file=self.stream, flush=True)
            return
        for job in done:
            if job.id not in self.reported:
                self.reported.add(job.id)
                print(f"[{len(self.reported)}/{len(jobs)}] {job.state.value}: {job.document_name}", file=self.stream)
