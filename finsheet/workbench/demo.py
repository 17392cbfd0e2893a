"""Demo documents: a few statement pages cut from public SEC filings (`data/demo/*.pdf`), given to each user once.

On a fresh clone `make run` starts with an empty database; the first time a user logs in, the demo PDFs are
stored as their documents and extracted through the job queue, so there is something to review and consolidate
straight away. A store setting remembers that the user had them: deleting the demo documents is final.
"""

from __future__ import annotations

from pathlib import Path

from finsheet.jobs.intake import submit_upload
from finsheet.jobs.queue import JobQueue
from finsheet.logs import log_event
from finsheet.settings import Settings
from finsheet.store import Store

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
"""Beside the package in the repository, whatever FINSHEET_DATA_DIR says (that moves runtime data only)."""
DEMO_COMPANY = "COSTCO WHOLESALE CORPORATION"


def demo_files(directory: Path = DEMO_DIR) -> list[Path]:
    """The demo PDFs, sorted by name (none when the directory is missing)."""
    return sorted(directory.glob("*.pdf")) if directory.is_dir() else []


def _flag(owner: str) -> str:
    return f"demo_loaded:{owner}"


def load_demo(
    store: Store, queue: JobQueue, settings: Settings, owner: str, *, directory: Path = DEMO_DIR
) -> list[int]:
    """Give `owner` the demo documents once and queue their extraction; the job ids (none on later calls)."""
    if store.get_setting(_flag(owner), False):
        return []
    store.set_setting(_flag(owner), True)  # claimed first: two sessions logging in at once load it once
    jobs = []
    for path in demo_files(directory):
        try:
            outcome = submit_upload(store, queue, settings, path.read_bytes(), path.name, owner=owner)
        except OSError as exc:  # an unreadable demo file must not keep anyone out of the app
            log_event("demo.failed", file=path.name, user=owner, error=str(exc))
            continue
        if outcome.document_id is not None and (user := store.get_user(owner)) is not None:
            store.set_company(user, outcome.document_id, DEMO_COMPANY)  # the analyst's name wins over extraction's
        if outcome.job_id is not None:
            jobs.append(outcome.job_id)
        else:
            log_event("demo.failed", file=path.name, user=owner, error=outcome.message)
    if jobs:
        log_event("demo.loaded", user=owner, jobs=jobs)
    return jobs
