"""The job queue: real workers on a real DuckDB file — crashes, retries, cancels, timeouts, many documents."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finsheet.errors import AuthError, JobError, TransientError
from finsheet.extraction.pipeline import extract
from finsheet.jobs.queue import JobQueue, TaskContext, backoff_seconds, register_task
from finsheet.jobs.uploads import save_upload, write_pdf
from finsheet.logs import LOG_FILE, close_logging
from finsheet.settings import Settings, load_settings
from finsheet.store import JobState, Store, UserRef

ANN = UserRef(username="ann")
BOB = UserRef(username="bob")
ADMIN = UserRef(username="root", role="admin")
TERMINAL = {"job.completed", "job.failed", "job.cancelled"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, max_attempts=4, workers=3)


@pytest.fixture
def queues(store: Store, settings: Settings) -> Iterator[list[JobQueue]]:
    """Queues made by a test; shut down (and the log files closed) when it ends."""
    made: list[JobQueue] = []
    yield made
    for q in made:
        q.shutdown()
    close_logging()


def make_queue(queues: list[JobQueue], store: Store, settings: Settings, **options: Any) -> JobQueue:
    options.setdefault("log_stderr", False)
    queue = JobQueue(store, settings, **options)
    queues.append(queue)
    return queue


def log_events(settings: Settings) -> list[dict[str, Any]]:
    events = []
    for line in (settings.logs_dir / LOG_FILE).read_text().splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut short by kill -9
            continue
    return events


# --------------------------------------------------------------------------- tasks used by these tests

CALLS: dict[str, list[float]] = {}
GATES: dict[str, threading.Event] = {}


def flaky_task(ctx: TaskContext) -> dict[str, Any]:
    """Fails with a passing error on its first two attempts, then succeeds."""
    CALLS.setdefault(ctx.job.payload["name"], []).append(time.monotonic())
    ctx.progress("work", 0.5)
    if ctx.job.attempts <= int(ctx.job.payload.get("failures", 2)):
        raise TransientError("the engine is busy (429)")
    return {"attempts": ctx.job.attempts}


def broken_task(ctx: TaskContext) -> dict[str, Any]:
    """Fails with an error that will not pass (no retry), or a bug."""
    CALLS.setdefault(ctx.job.payload["name"], []).append(time.monotonic())
    if ctx.job.payload.get("bug"):
        raise KeyError("oops")
    raise JobError("the consolidation has no documents")


def staged_task(ctx: TaskContext) -> dict[str, Any]:
    """Stage one, then waits for the test to let it go on to stage two."""
    name = ctx.job.payload["name"]
    ctx.progress("one", 0.2)
    GATES[name + ":started"].set()
    GATES[name + ":release"].wait(30)
    ctx.progress("two", 0.6)
    CALLS.setdefault(name, []).append(time.monotonic())
    return {}


def slow_task(ctx: TaskContext) -> dict[str, Any]:
    """Two stages with a pause between them longer than the test's time limit."""
    ctx.progress("one", 0.2)
    time.sleep(float(ctx.job.payload["pause"]))
    ctx.progress("two", 0.6)
    return {}


def crash_task(ctx: TaskContext) -> dict[str, Any]:
    """Extracts in the worker's child process and kills that child at its first progress report."""
    record = ctx.store.document_by_id(int(ctx.job.payload["document_id"]))

    def progress(stage: str, fraction: float) -> None:
        assert ctx.extractor.pid is not None
        os.kill(ctx.extractor.pid, signal.SIGKILL)

    ctx.extractor.extract(ctx.store.pdf_path(record), name=record.name, settings=ctx.settings, progress=progress,
                          check=ctx.check)
    return {}


register_task("test_crash", crash_task)
register_task("test_flaky", flaky_task)
register_task("test_broken", broken_task)
register_task("test_staged", staged_task)
register_task("test_slow", slow_task)


def gates(name: str) -> tuple[threading.Event, threading.Event]:
    GATES[name + ":started"], GATES[name + ":release"] = threading.Event(), threading.Event()
    return GATES[name + ":started"], GATES[name + ":release"]


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize(("attempt", "seconds"), [(0, 2), (1, 4), (2, 8), (3, 16), (7, 256), (8, 300), (30, 300)])
def test_backoff_is_exponential_and_capped(attempt: int, seconds: float) -> None:
    """The delay before a retry is min(300, 2^(attempt+1)) seconds."""
    assert backoff_seconds(attempt) == seconds


def test_extract_job_stores_the_document(store: Store, settings: Settings, queues, statement_pdf) -> None:
    """An extract job runs the pipeline on the upload and stores what a direct extract() finds."""
    record = save_upload(store, settings, statement_pdf(0), "acme.pdf", "ann")
    expected = extract(statement_pdf(0), settings=settings)
    queue = make_queue(queues, store, settings).start()
    job_id = queue.submit("extract", {"document_id": record.id}, owner="ann")
    [job] = queue.wait([job_id], timeout=120)
    stored = store.load_document(ANN, record.id)
    assert stored is not None
    listed = store.document_by_id(record.id)
    assert (listed.job_id, listed.job_state, listed.job_progress) == (job_id, job.state.value, job.progress)
    assert [s.type for s in stored.statements] == [s.type for s in expected.statements]
    assert [len(s.items) for s in stored.statements] == [len(s.items) for s in expected.statements]
    if expected.statements:
        assert (job.state, job.progress, job.result["statements"]) == ("completed", 100, len(expected.statements))
    else:
        assert job.state == "failed" and job.error and "no financial statements" in job.error
    events = [e for e in log_events(settings) if e.get("job_id") == job_id]
    assert {"job.submitted", "job.started", f"job.{job.state.value}"} <= {e["event"] for e in events}
    assert all(e.get("user") == "ann" and e.get("document_id") == record.id for e in events)


def test_same_document_is_extracted_once(store: Store, settings: Settings, queues, statement_pdf) -> None:
    """Submitting an extract for a document already queued or done returns that job; force queues a new one."""
    record = save_upload(store, settings, statement_pdf(0), "acme.pdf", "ann")
    queue = make_queue(queues, store, settings)
    first = queue.submit("extract", {"document_id": record.id}, owner="ann")
    assert queue.submit("extract", {"document_id": record.id}, owner="ann") == first
    pending = store.document_by_id(record.id)
    assert (pending.job_id, pending.job_state, pending.status) == (first, "pending", None)
    forced = queue.submit("extract", {"document_id": record.id}, owner="ann", force=True)
    assert forced != first and store.document_by_id(record.id).job_id == forced


def test_corrupt_pdf_fails_at_once_among_a_hundred(store: Store, settings: Settings, queues, statement_pdf) -> None:
    """100 documents queued at once all end; a corrupt PDF among them fails with a clear message and no retry;
    the document list can be read throughout while the workers write."""
    expected = len(extract(statement_pdf(0), settings=settings).statements)
    ids = [save_upload(store, settings, statement_pdf(seed), f"doc{seed}.pdf", "ann").id for seed in range(100)]
    bad = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> damaged beyond repair"
    write_pdf(settings.uploads_dir, "ff" * 32, bad)  # as if the file was damaged on disk after the upload
    corrupt, _ = store.add_document(sha256="ff" * 32, name="corrupt.pdf", size=len(bad), pages=1, owner="ann")
    queue = make_queue(queues, store, settings, workers=3).start()
    jobs = [queue.submit("extract", {"document_id": i}, owner="ann") for i in [*ids, corrupt.id]]
    reads, done = 0, 0
    while done < len(jobs):  # the UI side: lists while the workers write
        documents = store.list_documents(ANN)
        frame = store.documents_frame(ANN)
        listed = store.list_jobs(ANN)
        assert len(documents) == frame.height == 101
        now_done = sum(j.state.finished for j in listed)
        assert now_done >= done  # finished jobs never go back
        done, reads = now_done, reads + 1
        time.sleep(0.05)
    assert reads > 1
    records = {j.document_id: j for j in store.list_jobs(ANN)}
    failed = records[corrupt.id]
    assert failed.state == "failed" and failed.attempts == 1
    assert failed.error is not None and "corrupt.pdf" in failed.error and "damaged" in failed.error
    for doc_id in ids:
        assert store.document_by_id(doc_id).statements == expected
        assert records[doc_id].state == ("completed" if expected else "failed")


def test_killed_process_jobs_end_exactly_once(tmp_path: Path, settings: Settings, statement_pdf) -> None:
    """A process killed -9 while its workers run: on restart every job ends exactly once, no duplicate statements."""
    with Store.open(settings) as store:
        ids = [save_upload(store, settings, statement_pdf(seed), f"doc{seed}.pdf", "ann").id for seed in range(30)]
    expected = len(extract(statement_pdf(0), settings=settings).statements)
    child = tmp_path / "child.py"
    child.write_text(
        "import sys, time\n"
        "from finsheet.jobs.queue import JobQueue, extract_task, register_task\n"
        "from finsheet.settings import load_settings\n"
        "from finsheet.store import Store\n"
        "def slow_extract(ctx):\n"
        "    ctx.progress('queued behind a slow engine', 0.01)\n"
        "    time.sleep(0.25)\n"
        "    return extract_task(ctx)\n"
        "register_task('extract', slow_extract)\n"
        "settings = load_settings()\n"
        "queue = JobQueue(Store.open(settings), settings, workers=2).start()\n"
        "ids = [queue.submit('extract', {'document_id': int(a)}, owner='ann') for a in sys.argv[1:]]\n"
        "print('{\"event\": \"all.submitted\"}', file=sys.stderr, flush=True)\n"
        "queue.wait(ids)\n"
    )
    env = {**os.environ, "FINSHEET_DATA_DIR": str(settings.data_dir), "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen([sys.executable, str(child), *map(str, ids)], env=env, stderr=subprocess.PIPE, text=True)
    started: set[int] = set()
    ended: set[int] = set()
    submitted = False  # on a loaded machine four jobs may end before the last is submitted: kill only after
    assert proc.stderr is not None
    for line in proc.stderr:
        event = json.loads(line) if line.startswith("{") else {}
        if event.get("event") == "job.started":
            started.add(event["job_id"])
        elif event.get("event") in TERMINAL:
            ended.add(event["job_id"])
        submitted = submitted or event.get("event") == "all.submitted"
        if len(ended) >= 4 and submitted:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    store = Store.open(settings)
    try:
        before = {j.id: j for j in store.list_jobs(ADMIN)}
        assert len(before) == 30
        assert any(not j.state.finished for j in before.values())  # killed mid-way
        running_at_kill = {i for i, j in before.items() if j.state == JobState.RUNNING}
        queue = JobQueue(store, settings, workers=3, log_stderr=False).start()
        assert set(queue.recovered) == running_at_kill
        jobs = queue.wait(list(before), timeout=300)
        queue.shutdown()
        assert all(j.state.finished for j in jobs)
        assert {j.state for j in jobs} == {JobState.COMPLETED if expected else JobState.FAILED}
        for doc_id in ids:
            assert len(store.list_statements(ANN, doc_id)) == expected
        terminal: dict[int, int] = {}
        for event in log_events(settings):
            if event.get("event") in TERMINAL:
                terminal[event["job_id"]] = terminal.get(event["job_id"], 0) + 1
        assert max(terminal.values()) == 1
    finally:
        close_logging()
        store.close()


def test_passing_error_is_retried_with_backoff(store: Store, settings: Settings, queues) -> None:
    """A task raising a transient error is retried after the (scaled) backoff and then succeeds."""
    queue = make_queue(queues, store, settings, backoff_scale=0.02).start()
    job_id = queue.submit("test_flaky", {"name": "retry"}, owner="ann")
    [job] = queue.wait([job_id], timeout=60)
    assert (job.state, job.attempts, job.result["attempts"], job.error) == ("completed", 3, 3, None)
    calls = CALLS["retry"]
    assert calls[1] - calls[0] >= backoff_seconds(1) * 0.02
    assert calls[2] - calls[1] >= backoff_seconds(2) * 0.02
    retries = [e for e in log_events(settings) if e["event"] == "job.retry" and e["job_id"] == job_id]
    assert [e["delay_s"] for e in retries] == [backoff_seconds(1) * 0.02, backoff_seconds(2) * 0.02]


def test_passing_error_gives_up_after_max_attempts(store: Store, settings: Settings, queues) -> None:
    """A transient error that never passes fails the job after settings.max_attempts attempts."""
    queue = make_queue(queues, store, settings, backoff_scale=0.005).start()
    job_id = queue.submit("test_flaky", {"name": "forever", "failures": 99}, owner="ann")
    [job] = queue.wait([job_id], timeout=60)
    assert (job.state, job.attempts, job.error) == ("failed", 4, "the engine is busy (429)")
    assert len(CALLS["forever"]) == 4


@pytest.mark.parametrize(("bug", "message"), [(False, "the consolidation has no documents"),
                                              (True, "internal error: KeyError: 'oops'")])
def test_lasting_error_is_not_retried(store: Store, settings: Settings, queues, bug: bool, message: str) -> None:
    """An error that will not pass (bad input, a bug) fails the job on its first attempt with a clear message."""
    queue = make_queue(queues, store, settings, backoff_scale=0.005).start()
    name = f"broken-{bug}"
    job_id = queue.submit("test_broken", {"name": name, "bug": bug}, owner="ann")
    [job] = queue.wait([job_id], timeout=60)
    assert (job.state, job.attempts, job.error) == ("failed", 1, message)
    assert len(CALLS[name]) == 1


def test_cancelled_running_job_stops_at_next_stage(store: Store, settings: Settings, queues) -> None:
    """Cancelling a running job stops it at its next progress call; the rest of the task never runs."""
    started, release = gates("cancel")
    queue = make_queue(queues, store, settings).start()
    job_id = queue.submit("test_staged", {"name": "cancel"}, owner="ann")
    assert started.wait(30)
    with pytest.raises(AuthError):
        queue.cancel(job_id, BOB)
    assert queue.cancel(job_id, ANN).state == "running"
    release.set()
    [job] = queue.wait([job_id], timeout=60)
    assert job.state == "cancelled" and job.error is not None and "two" in job.error
    assert "cancel" not in CALLS


def test_cancelled_pending_job_never_runs(store: Store, settings: Settings, queues) -> None:
    """A job cancelled before a worker takes it is cancelled at once and never started."""
    queue = make_queue(queues, store, settings)
    job_id = queue.submit("test_flaky", {"name": "never", "failures": 0}, owner="ann")
    assert queue.cancel(job_id, ADMIN).state == "cancelled"
    other = queue.submit("test_flaky", {"name": "other", "failures": 0}, owner="ann")
    queue.start()
    queue.wait([other], timeout=60)
    assert queue.get(job_id).state == "cancelled"  # type: ignore[union-attr]
    assert "never" not in CALLS


def test_failed_job_can_be_retried(store: Store, settings: Settings, queues) -> None:
    """retry() queues a failed job again from its first attempt; a completed job cannot be retried."""
    queue = make_queue(queues, store, settings).start()
    job_id = queue.submit("test_broken", {"name": "again"}, owner="ann")
    queue.wait([job_id], timeout=60)
    assert queue.retry(job_id, ANN).state in ("pending", "running", "failed")
    [job] = queue.wait([job_id], timeout=60)
    assert job.state == "failed" and len(CALLS["again"]) == 2
    done = queue.submit("test_flaky", {"name": "done", "failures": 0}, owner="ann")
    queue.wait([done], timeout=60)
    with pytest.raises(JobError, match="completed"):
        queue.retry(done, ANN)


def test_job_past_its_time_limit_fails(store: Store, tmp_path: Path, queues) -> None:
    """A task still working after job_timeout_s is stopped at its next stage and fails, without a retry."""
    settings = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")}, job_timeout_s=0.2)
    queue = make_queue(queues, store, settings).start()
    job_id = queue.submit("test_slow", {"pause": 0.5}, owner="ann")
    [job] = queue.wait([job_id], timeout=60)
    assert (job.state, job.attempts) == ("failed", 1)
    assert job.error is not None and "time limit" in job.error and "two" in job.error


def test_shutdown_gives_running_jobs_back(store: Store, settings: Settings, queues) -> None:
    """A graceful shutdown stops a running job at its next stage and leaves it pending, attempt not counted."""
    started, release = gates("shutdown")
    queue = make_queue(queues, store, settings).start()
    job_id = queue.submit("test_staged", {"name": "shutdown"}, owner="ann")
    assert started.wait(30)
    queue.shutdown(wait=False)
    release.set()
    queue.shutdown(wait=True)
    job = store.get_job(job_id)
    assert job is not None and (job.state, job.attempts) == ("pending", 0)
    assert not queue.running


def test_recovery_fails_jobs_that_used_every_attempt(store: Store) -> None:
    """Jobs left running are pending again, except those that already used every attempt: those fail."""
    again = store.insert_job("extract", {}, owner="ann", document_id=None, max_attempts=2)
    spent = store.insert_job("extract", {}, owner="ann", document_id=None, max_attempts=1)
    assert {store.claim_job().id, store.claim_job().id} == {again.id, spent.id}  # type: ignore[union-attr]
    assert store.recover_jobs() == [again.id]
    assert store.get_job(again.id).state == "pending"  # type: ignore[union-attr]
    failed = store.get_job(spent.id)
    assert failed is not None and failed.state == "failed" and "interrupted" in (failed.error or "")


def test_one_queue_per_store(store: Store, settings: Settings, queues) -> None:
    """A second queue on the same store in one process is refused (it would take up the first one's jobs)."""
    make_queue(queues, store, settings).start()
    with pytest.raises(JobError, match="already runs"):
        make_queue(queues, store, settings).start()


def test_unknown_job_kind_is_refused(store: Store, settings: Settings, queues) -> None:
    """Submitting a kind no module registered is an error, and nothing is queued."""
    queue = make_queue(queues, store, settings)
    with pytest.raises(JobError, match="unknown job kind"):
        queue.submit("teleport", {}, owner="ann")
    assert store.list_jobs(ADMIN) == []


@pytest.mark.parametrize(("viewer", "count"), [(ANN, 2), (BOB, 1), (ADMIN, 3)])
def test_jobs_are_listed_per_user(store: Store, settings: Settings, queues, viewer: UserRef, count: int) -> None:
    """list_jobs and jobs_frame show a user's own jobs; an admin sees all."""
    queue = make_queue(queues, store, settings)
    for owner in ("ann", "ann", "bob"):
        queue.submit("test_flaky", {"name": "list"}, owner=owner)
    assert len(queue.list_jobs(viewer)) == count
    assert queue.jobs_frame(viewer).height == count


def test_crashed_extraction_process_fails_only_its_job(
    store: Store, settings: Settings, queues, statement_pdf
) -> None:
    """A child process that dies mid-extraction is retried as a passing error; the worker lives on and the next
    extraction, in a fresh child, stores its statements."""
    record = save_upload(store, settings, statement_pdf(5), "acme.pdf", "ann")
    queue = make_queue(queues, store, settings, workers=1, backoff_scale=0.001).start()
    crashed = queue.submit("test_crash", {"document_id": record.id}, owner="ann")
    after = queue.submit("extract", {"document_id": record.id}, owner="ann")
    jobs = queue.wait([crashed, after], timeout=120)
    assert (jobs[0].state, jobs[0].attempts) == ("failed", settings.max_attempts)
    assert jobs[0].error == "the extraction process stopped unexpectedly (signal 9)"
    expected = len(extract(statement_pdf(5), settings=settings).statements)
    assert jobs[1].state == ("completed" if expected else "failed")
    assert store.document_by_id(record.id).statements == expected
