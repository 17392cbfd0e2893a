"""The background job queue: the only module in finsheet that starts threads.

    queue = JobQueue(store, settings)          # one per process (the app keeps it in st.cache_resource)
    queue.start()                              # takes up jobs a crashed process left running
    job_id = queue.submit("extract", {"document_id": 3}, owner="ann")
    queue.wait([job_id]); queue.shutdown()

Jobs live in the store, so they survive the process: pending → running → completed | failed | cancelled.
A task reports progress between stages through `TaskContext.progress(stage, fraction)`; that call (and
`TaskContext.check()`) is where a cancel request, the per-task timeout and a shutdown take effect. Extraction runs
in a child process per worker (`finsheet.jobs.worker`: PDFium is not thread-safe), which the worker checks on every
quarter second, so a cancelled or timed-out extraction stops even in the middle of a stage.

Errors marked `transient` are retried after min(300, 2^(attempt+1)) seconds, up to settings.max_attempts
attempts; every other error fails the job at once (a corrupt PDF will not get better). When a job completes or
finally fails, its owner gets an email (when SMTP is configured).

A worker survives anything a job or the store throws at it: the job fails with the reason (a full disk:
"database write failed: ... File too large") and the worker goes on. An ending the database could not record
is kept and written as soon as the database accepts writes again, so every job ends with its reason. A worker
thread that dies all the same is restarted by a supervisor thread; `health()` says how many are alive, how often
they were restarted and the last error (the Jobs page shows it, and `workbench.health` with the app's queue).

Task registry (`finsheet.jobs.tasks`, its names re-exported here): "extract" is built in. Other modules add kinds
with `register_task(kind, func)` at import time; the modules in TASK_MODULES (`gather`: consolidation, workbook)
are imported when the queue starts so that theirs exist.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from finsheet.errors import AuthError, FinsheetError, JobCancelled, JobError
from finsheet.jobs.health import QueueHealth, UnsavedEnding
from finsheet.jobs.notify import notify_job
from finsheet.jobs.tasks import (
    TaskContext,
    TaskFunc,
    extract_task,
    load_task_modules,
    register_task,
    registered_tasks,
    task_for,
)
from finsheet.jobs.worker import ExtractionProcess, remove_stale_temp_dirs
from finsheet.logs import log_event, setup_logging
from finsheet.settings import Settings
from finsheet.store import JobRecord, JobState, Store, Viewer

BACKOFF_CAP_S = 300.0
IDLE_POLL_S = 1.0
SUPERVISE_S = 1.0
"""How often the supervisor looks for dead worker threads."""
STORE_RETRY_S = (0.2, 5.0)
"""A worker whose database calls fail waits from the first to the second figure (doubling) before trying again."""


def backoff_seconds(attempt: int) -> float:
    """Delay before the next try after `attempt` failed tries: 4 s, 8 s, 16 s, ... capped at 5 minutes."""
    return float(min(BACKOFF_CAP_S, 2 ** (attempt + 1)))


def is_transient(exc: BaseException) -> bool:
    """Whether an error may pass on a retry (a busy engine, a network timeout), as opposed to bad input."""
    if isinstance(exc, FinsheetError):
        return exc.transient
    return isinstance(exc, TimeoutError | ConnectionError)


class _Interrupted(Exception):
    """The process is shutting down: the job goes back to pending, its attempt not counted."""


__all__ = [
    "JobQueue", "QueueHealth", "TaskContext", "TaskFunc", "backoff_seconds", "extract_task", "is_transient",
    "register_task", "registered_tasks",
]


class JobQueue:
    """A pool of worker threads running the jobs stored in one Store. One per process and store."""

    _running_on: set[int] = set()  # ids of stores with a started queue in this process
    _registry_lock = threading.Lock()

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        workers: int | None = None,
        backoff_scale: float = 1.0,
        log_stderr: bool = True,
    ) -> None:
        """`backoff_scale` shrinks the retry delays (tests); 1.0 gives the documented delays. `log_stderr=False`
        keeps the JSON logs to the log file (the CLI draws a progress bar on stderr)."""
        self.store = store
        self.settings = settings
        self.workers = max(1, workers if workers is not None else settings.workers)
        self.backoff_scale = backoff_scale
        self.log_stderr = log_stderr
        self._threads: list[threading.Thread] = []
        self._supervisor: threading.Thread | None = None
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._interrupt = threading.Event()
        self._cancelled: set[int] = set()
        self._restart_lock = threading.Lock()
        self._state_lock = threading.Lock()  # guards the fields below, shared by the workers
        self._unsaved: list[UnsavedEnding] = []
        self._current: dict[str, JobRecord] = {}  # worker thread name -> the job it runs
        self._restarts = 0
        self._last_error: tuple[str, datetime] | None = None
        self.recovered: list[int] = []

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        """Whether workers run (or the supervisor does, which restarts them)."""
        supervising = self._supervisor is not None and self._supervisor.is_alive()
        return any(t.is_alive() for t in self._threads) or supervising

    def start(self) -> JobQueue:
        """Start the workers (once; a second call does nothing). Jobs left running by a crashed process are
        taken up again first."""
        if self._threads:
            return self
        with JobQueue._registry_lock:
            if id(self.store) in JobQueue._running_on:
                raise JobError("a job queue already runs on this store in this process; share that one")
            JobQueue._running_on.add(id(self.store))
        setup_logging(self.settings, stderr=self.log_stderr)
        load_task_modules()
        self._stopping.clear()
        self._interrupt.clear()
        try:
            self.recovered = self.store.recover_jobs()
        except BaseException:
            with JobQueue._registry_lock:
                JobQueue._running_on.discard(id(self.store))
            raise
        if self.recovered:
            log_event("queue.recovered", jobs=self.recovered)
        removed = remove_stale_temp_dirs()
        if removed:
            log_event("queue.temp_removed", dirs=removed)
        for n in range(self.workers):
            self._threads.append(self._start_worker(n))
        self._supervisor = threading.Thread(target=self._supervise, name="finsheet-supervisor", daemon=True)
        self._supervisor.start()
        atexit.register(self.shutdown)
        log_event("queue.started", workers=self.workers, db=self.store.path)
        return self

    def shutdown(self, wait: bool = True, *, interrupt: bool = True, timeout: float | None = None) -> None:
        """Stop taking jobs. With `interrupt`, running jobs stop at their next stage boundary and go back to
        pending (they run again on the next start); without, they finish first. `wait` joins the workers."""
        if not self._threads:
            return
        self._stopping.set()
        if interrupt:
            self._interrupt.set()
        with self._wake:
            self._wake.notify_all()
        if wait:
            if self._supervisor is not None:
                self._supervisor.join(timeout)
            for thread in list(self._threads):
                thread.join(timeout)
        if not self.running:
            if self._save_unsaved() is not None:  # the next start's recovery takes these jobs up again
                log_event("queue.endings_lost", level=logging.WARNING, jobs=[e.job.id for e in self._unsaved])
            self._threads.clear()
            self._supervisor = None
            with JobQueue._registry_lock:
                JobQueue._running_on.discard(id(self.store))
            atexit.unregister(self.shutdown)
            log_event("queue.stopped")

    def health(self) -> QueueHealth:
        """Workers alive, restarts, endings waiting for the database, the last error."""
        with self._state_lock:
            last, unsaved, restarts = self._last_error, len(self._unsaved), self._restarts
        return QueueHealth(
            workers=self.workers, alive=sum(t.is_alive() for t in self._threads), restarts=restarts,
            unsaved=unsaved, last_error=last[0] if last else None, last_error_at=last[1] if last else None,
            started=bool(self._threads) and not self._stopping.is_set(),
        )

    def restart_workers(self) -> int:
        """Start a new thread for every dead worker (the supervisor does this every second); how many."""
        restarted = 0
        with self._restart_lock:  # the supervisor and an admin's button may both ask
            for n, thread in enumerate(self._threads):
                if thread.is_alive() or self._stopping.is_set():
                    continue
                self._threads[n] = self._start_worker(n)
                restarted += 1
                with self._state_lock:
                    self._restarts += 1
                log_event("queue.worker_restarted", worker=thread.name, level=logging.WARNING)
        return restarted

    def _start_worker(self, n: int) -> threading.Thread:
        thread = threading.Thread(target=self._worker_main, name=f"finsheet-worker-{n + 1}", daemon=True)
        thread.start()
        return thread

    def _supervise(self) -> None:
        while not self._stopping.wait(SUPERVISE_S):
            try:
                self.restart_workers()
            except Exception as exc:  # (a thread that cannot start: out of memory) try again next round
                self._note_error(f"cannot restart a worker: {exc}")

    def _note_error(self, message: str) -> None:
        with self._state_lock:
            self._last_error = (message, datetime.now())

    # ------------------------------------------------------------------ API for pages and the CLI

    def submit(
        self, kind: str, payload: dict[str, Any], *, owner: str, document_id: int | None = None, force: bool = False
    ) -> int:
        """Queue a job; its id. An "extract" of a document that already has a pending, running, completed or
        failed extraction job returns that job instead (the same upload twice is one extraction); `force` queues a
        new one (re-extract), and so does a document whose last extraction was cancelled."""
        if task_for(kind) is None:
            load_task_modules()
        if task_for(kind) is None:
            raise JobError(f"unknown job kind {kind!r} (known: {', '.join(registered_tasks())})")
        if kind == "extract":
            document_id = document_id or int(payload["document_id"])
            payload = {**payload, "document_id": document_id}
            if not force:
                states = (JobState.PENDING, JobState.RUNNING, JobState.COMPLETED, JobState.FAILED)
                existing = self.store.find_job("extract", document_id, states)
                if existing is not None:
                    return existing.id
        job = self.store.insert_job(
            kind, payload, owner=owner, document_id=document_id, max_attempts=max(1, self.settings.max_attempts)
        )
        log_event("job.submitted", job_id=job.id, kind=kind, document_id=document_id, user=owner)
        self._poke()
        return job.id

    def cancel(self, job_id: int, viewer: Viewer) -> JobRecord:
        """Cancel a pending job now, or a running one at its next stage boundary."""
        self._owned(job_id, viewer)
        self._cancelled.add(job_id)
        job = self.store.request_cancel(job_id)
        assert job is not None
        log_event("job.cancel_requested", job_id=job_id, document_id=job.document_id, user=viewer.username)
        return job

    def retry(self, job_id: int, viewer: Viewer) -> JobRecord:
        """Queue a failed or cancelled job again from its first attempt; JobError for any other state."""
        job = self._owned(job_id, viewer)
        if job.state not in (JobState.FAILED, JobState.CANCELLED):
            raise JobError(f"job {job_id} is {job.state.value}: only failed or cancelled jobs can be retried")
        self._cancelled.discard(job_id)
        job = self.store.reset_job(job_id) or job
        log_event("job.retried", job_id=job_id, document_id=job.document_id, user=viewer.username)
        self._poke()
        return job

    def get(self, job_id: int) -> JobRecord | None:
        return self.store.get_job(job_id)

    def list_jobs(self, viewer: Viewer) -> list[JobRecord]:
        return self.store.list_jobs(viewer)

    def jobs_frame(self, viewer: Viewer) -> pl.DataFrame:
        return self.store.jobs_frame(viewer)

    def wait(
        self,
        job_ids: Iterable[int],
        timeout: float | None = None,
        *,
        on_progress: Callable[[list[JobRecord]], None] | None = None,
        poll: float = 0.2,
    ) -> list[JobRecord]:
        """Block until every job has finished (or `timeout` seconds passed); their records, in the order given.
        `on_progress` is called with the records at each poll (a progress bar)."""
        ids = list(job_ids)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            found = [j for j in (self._known(i) for i in ids) if j is not None]
            if on_progress:
                on_progress(found)
            if all(j.state.finished for j in found):
                return found
            if deadline is not None and time.monotonic() >= deadline:
                return found
            if not self.running:
                raise JobError("the job queue is not running: start() it before waiting")
            time.sleep(poll)

    def _known(self, job_id: int) -> JobRecord | None:
        """A job as the database has it, or as it ended when the database refused to record that yet."""
        with self._state_lock:
            ending = next((e for e in self._unsaved if e.job.id == job_id), None)
        if ending is not None:
            return ending.job.model_copy(update={"state": ending.state, "error": ending.error,
                                                 "result": ending.result or {}})
        return self.store.get_job(job_id)

    # ------------------------------------------------------------------ workers

    def _poke(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def _owned(self, job_id: int, viewer: Viewer) -> JobRecord:
        job = self.store.get_job(job_id)
        if job is None:
            raise JobError(f"job {job_id} does not exist")
        if job.owner != viewer.username and not viewer.is_admin:
            raise AuthError(f"job {job_id} belongs to another user")
        return job

    def _worker_main(self) -> None:
        """A worker thread: `_work`, and whatever still escapes it recorded (the job it ran failed with the
        reason) instead of a silent death; the supervisor then starts a new thread."""
        name = threading.current_thread().name
        try:
            self._work()
        except BaseException as exc:
            message = f"worker {name} stopped: {type(exc).__name__}: {exc}"
            self._note_error(message)
            log_event("queue.worker_died", level=logging.ERROR, error=message, exc_info=True)
            with self._state_lock:
                job = self._current.pop(name, None)
            if job is not None:
                fields = {"job_id": job.id, "document_id": job.document_id, "user": job.owner, "kind": job.kind}
                self._end(job, JobState.FAILED, error=f"internal error: {message}", fields=fields)

    def _work(self) -> None:
        extractor = ExtractionProcess()  # started on this worker's first extraction, reused after
        name = threading.current_thread().name
        pause = STORE_RETRY_S[0]
        try:
            while not self._stopping.is_set():
                try:
                    refused = self._save_unsaved()
                    if refused is not None:  # the database still refuses writes: claim nothing new yet
                        raise refused
                    job = self.store.claim_job()
                    if job is None:
                        with self._wake:
                            self._wake.wait(timeout=self._idle_seconds())
                        continue
                    with self._state_lock:
                        self._current[name] = job
                    self._run(job, extractor)  # what escapes it leaves the job in _current for _worker_main
                    with self._state_lock:
                        self._current.pop(name, None)
                    pause = STORE_RETRY_S[0]
                except Exception as exc:  # the database refused (a full disk), or a bug: say so, wait, go on
                    message = str(exc) if isinstance(exc, FinsheetError) else f"{type(exc).__name__}: {exc}"
                    self._note_error(message)
                    with self._state_lock:
                        job = self._current.pop(name, None)
                    if job is not None:  # it escaped the job's own handling: the job still ends, with the reason
                        fields = {"job_id": job.id, "document_id": job.document_id, "user": job.owner,
                                  "kind": job.kind}
                        self._end(job, JobState.FAILED, error=f"internal error: {message}", fields=fields)
                    log_event("queue.worker_error", level=logging.WARNING, error=message, retry_s=pause,
                              exc_info=not isinstance(exc, FinsheetError))
                    self._stopping.wait(pause)
                    pause = min(STORE_RETRY_S[1], pause * 2)
        finally:
            extractor.close()

    def _save_unsaved(self) -> FinsheetError | None:
        """Write the endings the database refused before; None when none is left, else why it still refuses."""
        with self._state_lock:
            pending, self._unsaved = self._unsaved, []
        for n, ending in enumerate(pending):
            try:
                self._end(ending.job, ending.state, error=ending.error, result=ending.result, fields=ending.fields,
                          keep=False)
            except FinsheetError as exc:
                with self._state_lock:
                    self._unsaved[:0] = pending[n:]
                return exc
        return None

    def _idle_seconds(self) -> float:
        try:
            due = self.store.next_due()
        except FinsheetError:
            return IDLE_POLL_S
        if due is None:
            return IDLE_POLL_S
        return min(IDLE_POLL_S, max(0.01, (due - datetime.now()).total_seconds()))

    def _run(self, job: JobRecord, extractor: ExtractionProcess) -> None:
        fields: dict[str, Any] = {"job_id": job.id, "document_id": job.document_id, "user": job.owner, "kind": job.kind}
        log_event("job.started", attempt=job.attempts, **fields)
        task = task_for(job.kind)
        started = time.monotonic()
        deadline = started + self.settings.job_timeout_s

        current = ["starting"]

        def check(asked: bool = False) -> None:
            if self._interrupt.is_set():
                raise _Interrupted()
            if asked or job.id in self._cancelled:
                raise JobCancelled(f"cancelled by the user at the {current[0]} stage")
            if time.monotonic() > deadline:
                raise JobError(
                    f"stopped after the {self.settings.job_timeout_s:g} s time limit (at the {current[0]} stage)"
                )

        def progress(stage: str, fraction: float) -> None:
            current[0] = stage
            check(self.store.job_progress(job.id, stage, min(99.0, max(0.0, fraction * 100))))

        try:
            if task is None:
                raise JobError(f"no task is registered for job kind {job.kind!r}")
            progress("starting", 0.0)
            context = TaskContext(
                job=job, store=self.store, settings=self.settings, progress=progress, check=check, extractor=extractor
            )
            result = task(context)
        except _Interrupted:
            try:
                self.store.release_job(job.id)
            except FinsheetError as exc:  # still running in the database: the next start takes it up again
                log_event("job.release_failed", error=str(exc), **fields)
            log_event("job.interrupted", **fields)
        except JobCancelled as exc:
            self._end(job, JobState.CANCELLED, error=str(exc), fields=fields)
        except Exception as exc:  # every failure ends in the job's record, never in a dead worker
            self._failed(job, exc, fields)
        else:
            seconds = round(time.monotonic() - started, 3)
            self._end(job, JobState.COMPLETED, result={**result, "job_seconds": seconds}, fields=fields)
        finally:
            self._cancelled.discard(job.id)

    def _failed(self, job: JobRecord, exc: Exception, fields: dict[str, Any]) -> None:
        message = str(exc) if isinstance(exc, FinsheetError) else f"internal error: {type(exc).__name__}: {exc}"
        if is_transient(exc) and job.attempts < job.max_attempts:
            delay = backoff_seconds(job.attempts) * self.backoff_scale
            try:
                requeued = self.store.requeue_job(
                    job.id, not_before=datetime.now() + timedelta(seconds=delay), error=message
                )
            except FinsheetError as write_error:  # the database refuses writes: fail it (recorded when it can)
                message = f"{message}; it could not be queued again: {write_error}"
                requeued = False
            if requeued:
                log_event("job.retry", attempt=job.attempts, delay_s=delay, error=message, **fields)
                return
        log_event("job.failed", error=message, exc_info=not isinstance(exc, FinsheetError), **fields)
        self._end(job, JobState.FAILED, error=message, fields=fields, logged=True)

    def _end(
        self,
        job: JobRecord,
        state: JobState,
        *,
        fields: dict[str, Any],
        error: str | None = None,
        result: dict[str, Any] | None = None,
        logged: bool = False,
        keep: bool = True,
    ) -> None:
        """Record the job's end. When the database refuses, the ending is kept (`keep`) and written later by
        `_save_unsaved`; without `keep` the StorageError propagates (that is `_save_unsaved` calling)."""
        try:
            ended = self.store.finish_job(job.id, state, error=error, result=result)
        except FinsheetError as exc:
            if not keep:
                raise
            log_event("job.finish_failed", error=str(exc), state=state.value, reason=error, **fields)
            self._note_error(f"job {job.id} could not be recorded as {state.value}: {exc}")
            with self._state_lock:
                self._unsaved.append(UnsavedEnding(job, state, error, result, fields))
            return
        if not ended:  # someone else ended it (deleted document, recovery): it ends exactly once
            return
        if not logged or not keep:
            log_event(f"job.{state.value}", error=error, **fields)
        if state in (JobState.COMPLETED, JobState.FAILED) and self.settings.smtp_enabled:
            try:
                final = self.store.get_job(job.id)
                owner = self.store.get_user(job.owner)
            except FinsheetError as exc:  # the mail is best effort; the job has ended
                log_event("job.notify_failed", error=str(exc), **fields)
                return
            if final is not None and owner is not None and not owner.disabled:
                notify_job(self.settings, final, email=owner.email)
