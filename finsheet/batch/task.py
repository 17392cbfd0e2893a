"""What runs on a Dask worker: one document extracted with `finsheet.extract()` and written to the output folder.

The task is the same call `finsheet extract --json` makes, on the same file, with the batch's settings; its rows go
straight from the worker to the output folder (which a cluster's workers must see at the same path as the machine
that starts the batch, as they must see the PDFs) and only a small `TaskResult` goes back through the scheduler.

Bad input is an outcome, not an exception: a PDF that does not open, or an extraction that raises, returns a failed
result with the one-line reason for the failures table. What cannot return — a crash of the worker process, a
worker over its memory limit, a document past its timeout — the runner records from outside.

Every worker keeps the documents it is extracting and since when (`running()`), which the runner reads to stop a
document that runs past the per-document timeout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from finsheet.batch.output import write_document
from finsheet.batch.sources import Source
from finsheet.batch.tables import FailureKind, document_tables
from finsheet.errors import FinsheetError, PdfError
from finsheet.settings import Settings

_RUNNING: dict[str, float] = {}
"""sha256 -> time.monotonic() when its extraction started, in this worker process."""


@dataclass(frozen=True, slots=True)
class TaskResult:
    sha256: str
    status: Literal["done", "failed"]
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of the worker process meanwhile (OCR's tesseract children not counted): on a shared machine a
    steadier measure of the work than the wall clock."""
    statements: int = 0
    error: str | None = None
    """For "done": the document's own error (a PDF that opens but holds no statement). For "failed": the reason."""
    kind: FailureKind | None = None


def extract_document(source: Source, out: str, settings: Settings, ocr: bool = True, pin: bool = False) -> TaskResult:
    """Extract one document and write its tables to `out`; the outcome (never raises for bad input). `ocr` as
    `finsheet extract` has it: on unless `--no-ocr`. `pin`: keep this worker (and the OCR it starts) on one core
    of its own (a LocalCluster's workers, numbered 0..n-1, one per core)."""
    from finsheet.extraction.pipeline import extract

    if pin:
        _pin_to_own_core()
    _RUNNING[source.sha256] = time.monotonic()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        try:
            doc = extract(Path(source.path), ocr=ocr, settings=settings)
        except PdfError as exc:
            return TaskResult(source.sha256, "failed", error=str(exc), kind="pdf")
        except FinsheetError as exc:
            return TaskResult(source.sha256, "failed", error=str(exc), kind="error")
        except Exception as exc:  # a bug in the pipeline: this document fails, the batch goes on
            return TaskResult(source.sha256, "failed", error=f"internal error: {type(exc).__name__}: {exc}",
                              kind="error")
        if doc.sha256 != source.sha256:
            return TaskResult(source.sha256, "failed", kind="error",
                              error=f"{source.name}: the file changed while the batch ran; run the batch again")
        write_document(Path(out), doc.sha256, document_tables(doc, path=source.path))
        return TaskResult(source.sha256, "done", pages=doc.pages, seconds=round(time.perf_counter() - started, 3),
                          cpu_seconds=round(time.process_time() - cpu, 3), statements=len(doc.statements),
                          error=doc.error)
    finally:
        _RUNNING.pop(source.sha256, None)


def running() -> dict[str, float]:
    """sha256 -> seconds since its extraction started, for every document this worker is extracting now."""
    now = time.monotonic()
    return {sha: now - since for sha, since in _RUNNING.items()}


def _pin_to_own_core() -> None:
    """Run this thread, and the tesseract processes it starts, on the core numbered like the worker.

    OCR starts one tesseract per core it may run on (`ocr.usable_cores`); without this, each of n workers on n
    cores would start n of them and a worker would stop being one core's worth of work (the unit the batch's
    figures and the local cluster's one-worker-per-core are counted in). Pinned, a worker's OCR starts one.
    Linux only; elsewhere nothing changes.
    """
    import os

    from distributed import get_worker

    name, cores = get_worker().name, os.cpu_count() or 1
    if isinstance(name, int) and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {name % cores})
