"""What one server process shares across sessions: one store and one job queue per data directory.

The Streamlit glue (pages/_common.py) caches one `Workbench` per data directory; opening it is here, free of UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsheet.jobs.queue import JobQueue
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth


@dataclass(slots=True)
class Workbench:
    """The settings, store and job queue of one data directory."""

    settings: Settings
    store: Store
    queue: JobQueue

    def close(self) -> None:
        self.queue.shutdown(wait=True, interrupt=True, timeout=30)
        self.store.close()


def open_workbench(settings: Settings) -> tuple[Workbench, str | None]:
    """The data directory made owner-only, its store opened, the first admin created when there is none (its
    one-time password is returned, else None), and the job queue started."""
    auth.protect_data_dir(settings)  # the database, its WAL, logs, uploads and the cookie key: owner only
    store = Store.open(settings)
    password = auth.bootstrap_admin(store, settings)
    queue = JobQueue(store, settings).start()
    return Workbench(settings, store, queue), password
