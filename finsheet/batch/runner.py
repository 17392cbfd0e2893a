"""`finsheet batch`: every document of the sources extracted on a Dask cluster into the output folder.

    report = run_batch(["filings/"], Path("out"), options=BatchOptions(timeout=300))

The plan: hash the sources (sources.py), skip the documents the output folder has done (output.py), submit one
task per remaining document (task.py) — largest first, so the long ones do not finish last alone — and watch:

* a finished task has written its document's tables, or returns why it failed (recorded in `failures/`);
* a worker that dies mid-document (a crash, memory over its limit, killed) has its document retried on another
  worker by Dask itself; a document that has killed `allowed_failures + 1` workers comes back as `KilledWorker`
  and is recorded failed, not retried again;
* a document still running after `timeout` seconds is cancelled and its worker restarted (a thread cannot be
  stopped from outside, a process can), and it is recorded failed.

A rerun (same sources, same output) skips every document done and redoes what failed or was lost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finsheet.batch import output
from finsheet.batch.cluster import ClusterOptions, connect, dashboard_available
from finsheet.batch.progress import Progress
from finsheet.batch.sources import Source, collect
from finsheet.batch.tables import FailureKind, failure_frame
from finsheet.batch.task import TaskResult, extract_document, running
from finsheet.settings import Settings, load_settings

POLL_S = 0.2
"""How often the runner looks for finished documents."""
TIMEOUT_POLL_S = 1.0
"""How often it asks the workers what they are running, when there is a per-document timeout."""


@dataclass(frozen=True, slots=True)
class BatchOptions:
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    timeout: float | None = None
    """Seconds one document may take; None: no limit."""
    settings: Settings | None = None
    """The extraction's settings (engine, OCR resolution, ...); None: load_settings() on this machine."""
    ocr: bool = True
    """OCR pages without a text layer (as `finsheet extract` does unless --no-ocr)."""


@dataclass(slots=True)
class Failure:
    file: str
    path: str
    kind: FailureKind
    reason: str
    sha256: str | None = None


@dataclass(slots=True)
class BatchReport:
    out: Path
    documents: int = 0
    """Distinct documents the sources name (the same bytes under two names count once)."""
    duplicates: int = 0
    progress: Progress = field(default_factory=lambda: Progress(total=0, total_bytes=0))
    failures: list[Failure] = field(default_factory=list)
    dashboard: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


ProgressFn = Callable[[Progress], None]


def run_batch(
    sources: Sequence[str | Path],
    out: Path,
    *,
    options: BatchOptions | None = None,
    progress: ProgressFn | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> BatchReport:
    """Extract every document the sources name into `out`; what was done, skipped and failed (and why)."""
    options = options or BatchOptions()
    settings = options.settings or load_settings()
    plan = collect(sources)
    report = BatchReport(out=out, documents=len(plan.documents), duplicates=plan.duplicates)
    with output.open_output(out) as folder:
        report.out = folder
        for key in output.failed(folder):  # unreadable paths are found again from the sources on every run
            if key.startswith(output.PATH_KEY):
                output.clear_failure(folder, key)
        for bad in plan.unreadable:
            _fail(report, Failure(file=Path(bad.path).name, path=bad.path, kind="unreadable", reason=bad.reason))
        done = output.done(folder)
        for sha in done & output.failed(folder):  # a failure left over from before the document succeeded
            output.clear_failure(folder, sha)
        todo = sorted((s for s in plan.documents if s.sha256 not in done), key=lambda s: -s.size)
        report.progress = Progress(total=len(todo), total_bytes=sum(s.size for s in todo),
                                   skipped=len(plan.documents) - len(todo))
        if todo:
            with connect(options.cluster) as client:
                report.dashboard = _dashboard(client, options.cluster)
                if report.dashboard and on_dashboard:
                    on_dashboard(report.dashboard)
                client.run(_warm_up)  # the pipeline's imports, once per worker, are not the documents' time
                report.progress.started = time.monotonic()
                _Watch(client, folder, settings, options, report, progress).run(todo)
                report.progress.ended = time.monotonic()
        # a document can finish after its failure was recorded (a timeout that raced the end): done wins
        for sha in output.done(folder) & output.failed(folder):
            output.clear_failure(folder, sha)
            report.failures = [f for f in report.failures if f.sha256 != sha]
    return report


def _fail(report: BatchReport, failure: Failure) -> None:
    key = failure.sha256 or output.failure_key(failure.path)
    rows = failure_frame(sha256=failure.sha256, file=failure.file, path=failure.path, kind=failure.kind,
                         reason=failure.reason)
    output.write_failure(report.out, key, rows)
    report.failures.append(failure)


def _dashboard(client: Any, cluster: ClusterOptions) -> str | None:
    """The Dask dashboard's address, when there is one to look at."""
    if cluster.scheduler is None and not (cluster.dashboard and dashboard_available()):
        return None
    services = client.scheduler_info().get("services", {})
    return str(client.dashboard_link) if "dashboard" in services else None


class _Watch:
    """One run's submitted documents, watched until each is done or failed."""

    def __init__(self, client: Any, out: Path, settings: Settings, options: BatchOptions, report: BatchReport,
                 progress: ProgressFn | None) -> None:
        self.client, self.out, self.settings, self.timeout = client, out, settings, options.timeout
        self.ocr = options.ocr
        # a LocalCluster's workers get a core each; an existing cluster's layout is its own business
        cores = os.cpu_count() or 1
        self.pin = options.cluster.scheduler is None and (options.cluster.workers or cores) <= cores
        self.report, self.progress = report, progress or (lambda p: None)
        self.pending: dict[Any, Source] = {}
        self.timed_out: set[str] = set()

    def run(self, todo: list[Source]) -> None:
        from distributed import as_completed

        # One graph for the whole batch, so Dask sees one group of tasks larger than the cluster and queues it on
        # the scheduler, handing each worker one document at a time (worker-saturation 1.0): a worker that dies
        # takes down no queued document with it. `futures` holds every task until the end, so the group stays
        # large enough for that to the last document.
        futures = self.client.map(extract_document, todo, key=[f"finsheet-{n:06d}-{s.sha256}" for n, s in
                                                                enumerate(todo)],
                                  out=str(self.out), settings=self.settings, ocr=self.ocr, pin=self.pin,
                                  pure=False)
        self.pending = dict(zip(futures, todo, strict=True))
        ready = as_completed(futures)
        checked = time.monotonic()
        while not ready.is_empty():
            batch = ready.next_batch(block=False) if ready.has_ready() else []
            for future in batch:
                self._finished(future)
            if self.timeout is not None and time.monotonic() - checked >= TIMEOUT_POLL_S:
                checked = time.monotonic()
                self._stop_overdue()
            if not batch:
                time.sleep(POLL_S)

    def _finished(self, future: Any) -> None:
        from distributed import KilledWorker

        source = self.pending.pop(future, None)
        if source is None or source.sha256 in self.timed_out:
            return  # stopped for its timeout: recorded then
        p = self.report.progress
        if future.status == "finished":
            result: TaskResult = future.result()
            if result.status == "done":
                output.clear_failure(self.out, source.sha256)
                p.done += 1
                p.pages += result.pages
                p.cpu_seconds += result.cpu_seconds
                p.no_statements += result.error is not None
                p.last = f"done {source.name} ({result.pages} pages, {result.seconds:.2f} s)"
            else:
                self._failed(source, result.kind or "error", result.error or "failed")
        elif future.status == "cancelled":  # by the cluster (a scheduler restart), not by us
            self._failed(source, "error", f"{source.name}: the cluster cancelled the extraction; run the batch again")
        else:
            error = future.exception()
            if isinstance(error, KilledWorker):
                reason = (f"{source.name}: the worker process extracting it died (a crash, or memory over the "
                          f"worker's limit), {self._deaths()} time(s) in all; not retried again")
                self._failed(source, "killed", reason)
            else:
                self._failed(source, "error", f"{source.name}: {type(error).__name__}: {error}")
        p.bytes_done += source.size
        self.progress(p)

    def _failed(self, source: Source, kind: FailureKind, reason: str) -> None:
        p = self.report.progress
        p.failed += 1
        p.last = f"failed {source.name}: {reason}"
        _fail(self.report, Failure(file=source.name, path=source.path, kind=kind, reason=reason, sha256=source.sha256))

    def _deaths(self) -> int:
        allowed = self.client.run_on_scheduler(_allowed_failures)
        return int(allowed) + 1

    def _stop_overdue(self) -> None:
        """Cancel the documents past their timeout and restart the workers running them."""
        assert self.timeout is not None
        by_sha = {source.sha256: future for future, source in self.pending.items()}
        answers = self.client.run(running, on_error="return")
        restart: list[str] = []
        overdue: list[Any] = []
        for worker, documents in answers.items():
            if not isinstance(documents, dict):  # a worker that is restarting does not answer
                continue
            for sha, seconds in documents.items():
                future = by_sha.get(sha)
                if future is None or seconds < self.timeout or sha in self.timed_out:
                    continue
                source = self.pending.pop(future)
                self.timed_out.add(sha)
                overdue.append(future)
                restart.append(worker)
                self._failed(source, "timeout",
                             f"{source.name}: the extraction took longer than {self.timeout:g} s (the per-document "
                             "timeout); stopped")
                p = self.report.progress
                p.bytes_done += source.size
                self.progress(p)
        if restart:
            # the worker is restarted before its document is cancelled: a cancelled document frees the worker's
            # slot at once, and the scheduler would hand it the next queued document, which the restart would kill
            self.client.restart_workers(restart, raise_for_error=False)
            self.client.cancel(overdue)


def _allowed_failures(dask_scheduler: Any) -> int:
    return int(dask_scheduler.allowed_failures)


def _warm_up() -> None:
    import finsheet.extraction.pipeline  # noqa: F401
