"""The Dask cluster a batch runs on: a `LocalCluster` of worker processes on this machine, or an existing one.

Local workers are processes with one thread each (PDFium is not thread-safe, and one extraction keeps one core
busy), OCR limited to one thread (`OMP_THREAD_LIMIT=1`), and a memory limit each: past 95 % of it the worker's
nanny restarts the worker, and its document is retried elsewhere — up to `allowed_failures` times, after which
Dask gives up on it (`KilledWorker`) and the runner records it failed. The workers hold no data between tasks, so
Dask's spilling and pausing are off: only that hard limit applies.

An existing cluster (`--scheduler tcp://HOST:8786`) keeps its own settings; start its scheduler with
`DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=2` for the same retry policy, and its workers with
`--nthreads 1 --memory-limit 4GiB` and `OMP_THREAD_LIMIT=1` in their environment.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from finsheet.errors import FinsheetError

if TYPE_CHECKING:
    from distributed import Client

DEFAULT_MEMORY_LIMIT = 4 * 1024**3
"""Per worker, unless the machine has less to give each: a 300-page scan OCR'd at 300 dpi stays well under it."""
ALLOWED_FAILURES = 2
"""A document whose worker dies this many times more than once is recorded failed, not retried again."""


class ClusterError(FinsheetError):
    """The local Dask cluster did not start, or the existing one cannot be reached."""


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    scheduler: str | None = None
    """Address of an existing scheduler; None starts a LocalCluster."""
    workers: int | None = None
    """Local worker processes; None: one per core."""
    memory_limit: int | str | None = None
    """Per local worker (bytes, or Dask's "4GiB"); None: DEFAULT_MEMORY_LIMIT or the machine's share if smaller."""
    allowed_failures: int = ALLOWED_FAILURES
    dashboard: bool = True
    """Serve the Dask dashboard on :8787 (or a free port) when bokeh is installed."""


def dashboard_available() -> bool:
    return importlib.util.find_spec("bokeh") is not None


@contextmanager
def connect(options: ClusterOptions) -> Iterator[Client]:
    """A connected `distributed.Client`: to an existing scheduler, or to a LocalCluster closed afterwards."""
    import dask
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}") from exc
        with client:
            yield client
        return
    workers = options.workers or os.cpu_count() or 1
    config = {
        "distributed.scheduler.allowed-failures": options.allowed_failures,
        # one document at a time per worker: a worker that dies takes no queued document down with it
        "distributed.scheduler.worker-saturation": 1.0,
        "distributed.worker.memory.target": False,
        "distributed.worker.memory.spill": False,
        "distributed.worker.memory.pause": False,
        "distributed.worker.memory.terminate": 0.95,
        "distributed.nanny.pre-spawn-environ.OMP_THREAD_LIMIT": 1,
    }
    with dask.config.set(config):
        try:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                memory_limit=_memory_limit(options, workers),
                dashboard_address=":8787" if options.dashboard and dashboard_available() else None,
                silence_logs=logging.ERROR, env={"OMP_THREAD_LIMIT": "1"},
            )
        except (RuntimeError, OSError, TimeoutError) as exc:  # a worker process died while starting, no port...
            raise ClusterError(f"the local Dask cluster did not start: {exc}") from exc
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()


def _memory_limit(options: ClusterOptions, workers: int) -> int | str:
    if options.memory_limit is not None:
        return options.memory_limit
    from distributed.system import MEMORY_LIMIT

    return min(DEFAULT_MEMORY_LIMIT, int(MEMORY_LIMIT / workers))
