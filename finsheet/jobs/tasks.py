"""The job kinds a queue can run: the registry, the context a task gets, and the built-in "extract" task.

Other modules add kinds with `register_task(kind, func)` at import time; the modules in TASK_MODULES (`gather`:
consolidation, workbook) are imported when a queue starts so that theirs exist.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finsheet.errors import ExtractionError, PdfError
from finsheet.jobs.worker import ExtractionProcess
from finsheet.settings import Settings
from finsheet.store import JobRecord, Store

TASK_MODULES = ("finsheet.jobs.gather",)
"""Modules that may register job kinds; imported (when present) as the queue starts."""


@dataclass(slots=True)
class TaskContext:
    """What a task gets: its job, the store, the settings, `progress` to call between stages, `check` to call
    while waiting (raises on cancel, timeout or shutdown), and the worker's extraction process."""

    job: JobRecord
    store: Store
    settings: Settings
    progress: Callable[[str, float], None]
    check: Callable[[], None]
    extractor: ExtractionProcess


TaskFunc = Callable[[TaskContext], dict[str, Any]]
"""A task returns its result (JSON-able: shown in the job list and the email) or raises."""

TASKS: dict[str, TaskFunc] = {}


def register_task(kind: str, func: TaskFunc) -> None:
    """Make a job kind available to every queue of the process (a later registration replaces an earlier one)."""
    TASKS[kind] = func


def registered_tasks() -> list[str]:
    return sorted(TASKS)


def task_for(kind: str) -> TaskFunc | None:
    return TASKS.get(kind)


def load_task_modules() -> None:
    for name in TASK_MODULES:
        importlib.import_module(name)


# --------------------------------------------------------------------------- the built-in task


def extract_task(ctx: TaskContext) -> dict[str, Any]:
    """Extract a stored document and save the result. A PDF that cannot be read, or holds no statement, is
    recorded as a failed extraction and fails the job (no retry)."""
    document_id = ctx.job.document_id or int(ctx.job.payload["document_id"])
    record = ctx.store.document_by_id(document_id)
    started = time.perf_counter()
    try:
        doc = ctx.extractor.extract(
            ctx.store.pdf_path(record), name=record.name, settings=ctx.settings, progress=ctx.progress,
            check=ctx.check, cache=ctx.store, sha256=record.sha256,
        )
    except PdfError as exc:
        ctx.store.record_failure(
            document_id, str(exc), engine=ctx.settings.engine, seconds=time.perf_counter() - started
        )
        raise
    ctx.progress("save", 0.98)  # a cancel that arrived during the last stage wins over saving
    seconds = round(time.perf_counter() - started, 3)
    ctx.store.save_extraction(document_id, doc, engine=doc.engine, seconds=seconds)
    if doc.error:
        raise ExtractionError(f"{record.name}: {doc.error}")
    return {"statements": len(doc.statements), "pages": doc.pages, "seconds": seconds, "warnings": len(doc.warnings)}


register_task("extract", extract_task)
