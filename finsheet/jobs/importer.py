"""`finsheet import`: store files and extract them through the job queue, in this process.

    results = import_files([Path("a.pdf"), Path("b.pdf")], user="ann", settings=settings)

Each file ends as one `ImportResult` (the JSON shape of `finsheet import --json`): stored and extracted
("completed"), or "failed" with the reason — not readable, rejected as an upload, a PDF that does not open, no
statements found. A file already imported by the same user is not extracted again unless `force`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel

from finsheet.errors import UploadError
from finsheet.jobs.queue import JobQueue
from finsheet.jobs.uploads import sanitize_filename, save_upload
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
    own = store is None
    db = store or Store.open(settings)
    queue = JobQueue(db, settings, workers=workers, log_stderr=False)
    results: list[ImportResult] = []
    jobs: dict[int, ImportResult] = {}
    try:
        queue.start()
        for path in files:
            result = ImportResult(file=path.name)
            results.append(result)
            job_id = _store_and_queue(db, queue, settings, path, user, result, force=force)
            if job_id is not None:
                jobs[job_id] = result
        for job in queue.wait(list(jobs), on_progress=progress):
            result = jobs[job.id]
            result.status = job.state.value
            result.error = None if job.state == JobState.COMPLETED else job.error
            if result.document_id is not None:
                result.statements = db.document_by_id(result.document_id).statements
    finally:
        queue.shutdown()
        if own:
            db.close()
    return results


def _store_and_queue(
    store: Store, queue: JobQueue, settings: Settings, path: Path, user: str, result: ImportResult, *, force: bool
) -> int | None:
    """Save one file as a document and queue its extraction; the job id, or None when it failed already."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.error = f"{sanitize_filename(path.name)}: cannot read the file ({exc.strerror})"
        return None
    try:
        record = save_upload(store, settings, data, path.name, user)
    except UploadError as exc:
        result.error = str(exc)
        return None
    result.document_id = record.id
    if record.status == "failed" and record.pages == 0:  # stored, but the PDF does not open: nothing to extract
        result.error = record.error
        return None
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
