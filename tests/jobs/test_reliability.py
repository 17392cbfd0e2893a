"""The job queue under failure: a full disk, a worker thread that dies, duplicate files in one import, uploads of
a file already present, and the page limit. Every job ends with a reason and the queue keeps running."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finsheet.jobs.importer import import_files
from finsheet.jobs.intake import submit_upload
from finsheet.jobs.queue import JobQueue, TaskContext, register_task
from finsheet.jobs.uploads import save_upload
from finsheet.logs import close_logging
from finsheet.settings import Settings, load_settings
from finsheet.store import JobState, Store
from finsheet.workbench.health import check_queue, health


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, workers=2, max_attempts=1, ocr=False)


@pytest.fixture
def queue(store: Store, settings: Settings) -> Iterator[JobQueue]:
    q = JobQueue(store, settings, log_stderr=False).start()
    yield q
    q.shutdown()
    close_logging()


class _WorkerKiller(BaseException):
    """Not an Exception: nothing in a task's error handling catches it, so it ends the worker thread."""


def _fatal_task(ctx: TaskContext) -> dict[str, Any]:
    """Ends the worker thread running it (a bug of the worst kind)."""
    ctx.progress("work", 0.3)
    raise _WorkerKiller("the thread is gone")


def _echo_task(ctx: TaskContext) -> dict[str, Any]:
    ctx.progress("work", 0.5)
    return {"echo": ctx.job.payload.get("n")}


register_task("test_fatal", _fatal_task)
register_task("test_echo", _echo_task)


def _wait_for(condition: Any, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# --------------------------------------------------------------------------- a worker that dies


def test_a_dead_worker_is_restarted_and_its_job_fails_with_the_reason(queue: JobQueue) -> None:
    """A worker thread killed by its job: that job fails saying so, the supervisor starts a new thread, health
    counts the restart, and the queue goes on with the next jobs."""
    fatal = queue.submit("test_fatal", {}, owner="ann")
    [job] = queue.wait([fatal], timeout=30)
    assert job.state == JobState.FAILED
    assert job.error is not None and "worker finsheet-worker-" in job.error and "_WorkerKiller" in job.error
    assert _wait_for(lambda: queue.health().restarts == 1 and queue.health().alive == 2)
    state = queue.health()
    assert state.last_error is not None and "the thread is gone" in state.last_error
    assert "2 of 2 workers alive, 1 restart" in state.summary
    done = queue.wait([queue.submit("test_echo", {"n": n}, owner="ann") for n in range(4)], timeout=30)
    assert [j.state for j in done] == [JobState.COMPLETED] * 4 and [j.result["echo"] for j in done] == [0, 1, 2, 3]


def test_queue_health_is_one_of_the_checks(queue: JobQueue, store: Store, settings: Settings) -> None:
    """health() with the app's queue reports its workers; a stopped queue is not healthy."""
    checks = {c.name: c for c in health(settings, store, check_services=False, queue=queue)}
    assert checks["job queue"].ok and checks["job queue"].detail.startswith("2 of 2 workers alive, 0 restarts")
    queue.shutdown()
    assert not check_queue(queue).ok and check_queue(queue).detail == "not running"


# --------------------------------------------------------------------------- a full disk

# The queue in a child process whose disk fills up during a job: a file-size limit (RLIMIT_FSIZE) at the
# write-ahead log's current size makes the kernel refuse DuckDB's next write ("File too large", as ENOSPC would).
_FULL_DISK_QUEUE = r"""
import json, os, resource, signal, sys, time
from pathlib import Path
from finsheet.jobs.queue import JobQueue, register_task
from finsheet.jobs.uploads import save_upload
from finsheet.settings import load_settings
from finsheet.store import Store

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
SOFT, HARD = resource.getrlimit(resource.RLIMIT_FSIZE)
settings = load_settings(data_dir=Path(sys.argv[1]), workers=2, max_attempts=1, ocr=False)
store = Store.open(settings)
wal = Path(str(settings.db_path) + ".wal")

def fill_disk(ctx):
    ctx.progress("one", 0.2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max(wal.stat().st_size if wal.exists() else 0, 1), HARD))
    ctx.progress("two", 0.6)  # this write is refused
    return {}

register_task("fill_disk", fill_disk)
queue = JobQueue(store, settings, log_stderr=False).start()
job = queue.submit("fill_disk", {}, owner="ann")
deadline = time.monotonic() + 60
while queue.health().unsaved == 0 and time.monotonic() < deadline:
    time.sleep(0.05)
during = queue.health()
try:
    queue.submit("fill_disk", {}, owner="ann")
    refused = "accepted"
except Exception as exc:
    refused = type(exc).__name__ + ": " + str(exc)
resource.setrlimit(resource.RLIMIT_FSIZE, (SOFT, HARD))  # room again
docs = [save_upload(store, settings, Path(p).read_bytes(), Path(p).name, "ann").id for p in sys.argv[2:]]
later = [queue.submit("extract", {"document_id": d}, owner="ann") for d in docs]
jobs = queue.wait([job, *later], timeout=120)
after = queue.health()
queue.shutdown()
store.close()
print(json.dumps({
    "during": {"alive": during.alive, "unsaved": during.unsaved, "restarts": during.restarts,
               "last_error": during.last_error},
    "refused": refused,
    "jobs": [[j.state.value, j.error] for j in jobs],
    "after": {"alive": after.alive, "unsaved": after.unsaved, "restarts": after.restarts},
}))
"""


def test_a_full_disk_fails_the_job_with_the_reason_and_the_queue_goes_on(tmp_path: Path, statement_pdf) -> None:
    """The disk fills during a job: no worker dies, the job's ending is kept until the database has room and
    then recorded as failed with the disk's reason, and the jobs queued afterwards complete."""
    pdfs = []
    for seed in range(2):
        pdfs.append(tmp_path / f"acme-{seed}.pdf")
        pdfs[-1].write_bytes(statement_pdf(seed))
    done = subprocess.run([sys.executable, "-c", _FULL_DISK_QUEUE, str(tmp_path / "data"), *map(str, pdfs)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    during = report["during"]
    assert (during["alive"], during["unsaved"], during["restarts"]) == (2, 1, 0)
    assert "File too large" in during["last_error"]
    assert report["refused"].startswith("StorageError: database write failed") and "no transaction" not in report[
        "refused"]
    (state, error), *later = report["jobs"]
    assert state == "failed" and error.startswith("database write failed: ") and "File too large" in error
    assert later == [["completed", None], ["completed", None]]
    assert report["after"] == {"alive": 2, "unsaved": 0, "restarts": 0}


# --------------------------------------------------------------------------- correct reasons per file


def test_the_same_bytes_twice_in_one_import_each_get_a_result(tmp_path: Path, settings: Settings, statement_pdf,
                                                               store: Store) -> None:
    """Two files with the same bytes in one import: one document, one extraction; both completed, the second
    saying whose duplicate it is; imported again later, each says it was already imported."""
    first, copy = tmp_path / "acme.pdf", tmp_path / "acme copy.pdf"
    first.write_bytes(statement_pdf(3))
    copy.write_bytes(statement_pdf(3))
    results = import_files([first, copy], user="ann", settings=settings, store=store)
    assert [r.status for r in results] == ["completed", "completed"]
    assert results[0].error is None and results[0].note is None and results[0].statements == 2
    assert results[1].document_id == results[0].document_id and results[1].statements == 2
    assert results[1].note == f"same bytes as acme.pdf in this import (document {results[0].document_id}): " \
                              "extracted once"
    again = import_files([copy], user="ann", settings=settings, store=store)
    assert again[0].status == "completed" and again[0].note is not None
    assert again[0].note.startswith(f"already imported as document {results[0].document_id} (acme.pdf)")
    assert len(store.list_jobs(store.get_user("ann") or _admin())) == 1
    close_logging()


def _admin() -> Any:
    from finsheet.store import UserRef

    return UserRef(username="root", role="admin")


def test_an_encrypted_then_an_empty_pdf_each_get_their_own_reason(tmp_path: Path, settings: Settings,
                                                                   store: Store) -> None:
    """An encrypted PDF, then one with no pages, in one import: "encrypted" for the first, "no pages" for the
    second (PDFium's error code of the first must not leak into the second)."""
    import io

    import pypdfium2 as pdfium
    from pdf_pages import encrypted

    locked, empty = tmp_path / "locked.pdf", tmp_path / "empty.pdf"
    locked.write_bytes(encrypted("Balance sheet"))
    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)
    empty.write_bytes(buffer.getvalue())
    results = import_files([locked, empty], user="ann", settings=settings, store=store)
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].error is not None and "encrypted" in results[0].error
    assert results[1].error == "empty.pdf: the PDF has no pages"
    close_logging()


def test_an_upload_already_present_says_so_with_the_document(queue: JobQueue, store: Store,
                                                              settings: Settings, statement_pdf) -> None:
    """Uploading bytes the user uploaded before: the outcome says so, names the existing document and its job,
    and nothing new is stored or queued."""
    first = submit_upload(store, queue, settings, statement_pdf(4), "acme 2023.pdf", owner="ann")
    assert first.ok and not first.already_present
    again = submit_upload(store, queue, settings, statement_pdf(4), "renamed.pdf", owner="ann")
    assert again.ok and again.already_present
    assert (again.document_id, again.job_id, again.name) == (first.document_id, first.job_id, "acme 2023.pdf")
    assert again.message == f"renamed.pdf: already uploaded as acme 2023.pdf (document {first.document_id}); " \
                            "not stored again"
    other = submit_upload(store, queue, settings, statement_pdf(4), "acme 2023.pdf", owner="bob")
    assert other.ok and not other.already_present and other.document_id != first.document_id


def test_a_pdf_over_the_page_limit_is_stored_failed_and_its_job_refused(tmp_path: Path, statement_pdf) -> None:
    """With FINSHEET_MAX_PAGES=1 a two-page upload is stored as failed with the reason; a document stored before
    the limit was lowered fails its extraction job with the same reason."""
    roomy = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, workers=1, max_attempts=1, ocr=False)
    strict = roomy.model_copy(update={"max_pages": 1})
    with Store.open(roomy) as store:
        refused = save_upload(store, strict, statement_pdf(1), "long.pdf", "ann")
        assert refused.status == "failed"
        assert refused.error == "long.pdf: the PDF has 2 pages, over the limit of 1 (FINSHEET_MAX_PAGES)"
        earlier = save_upload(store, roomy, statement_pdf(2), "earlier.pdf", "ann")
        queue = JobQueue(store, strict, log_stderr=False).start()
        try:
            [job] = queue.wait([queue.submit("extract", {"document_id": earlier.id}, owner="ann")], timeout=120)
        finally:
            queue.shutdown()
            close_logging()
    assert job.state == JobState.FAILED
    assert job.error == "earlier.pdf: the PDF has 2 pages, over the limit of 1 (FINSHEET_MAX_PAGES)"
