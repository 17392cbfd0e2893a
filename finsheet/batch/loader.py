"""`finsheet import-batch OUT --user U`: a batch's Parquet output loaded into the workbench's store for a user.

Each document of `documents/` is rebuilt from its rows (tables.py) into the exact `Document` the batch extracted
and saved the way the job queue saves an extraction (`Store.add_document` + `Store.save_extraction`), its PDF
copied into the store's uploads (as an upload is) when the path the batch read it from still holds those bytes —
the Review page shows the source page from there. Each recorded failure that has a sha256 becomes a document
with a failed extraction and its reason, as a damaged upload does.

The user must exist already: a batch imports into an account, it never creates one. A document the user has
already extracted is left as it is (the analyst's corrections stay) unless `force`. Importing twice is harmless.

This is the one module of `finsheet.batch` that imports the store and the job queue's upload code; the rest of the
batch does not need a database (the import-linter contract in pyproject.toml holds the line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finsheet.batch import output
from finsheet.batch.output import BatchOutputError
from finsheet.batch.sources import file_sha256
from finsheet.batch.tables import DOCUMENT_TABLES, documents_from_tables
from finsheet.errors import AuthError, PdfError
from finsheet.extraction.pdf import check_pdf_bytes
from finsheet.jobs.uploads import sanitize_filename, write_pdf
from finsheet.model import Document
from finsheet.settings import Settings
from finsheet.store import Store

CHUNK = 200
"""Documents read from the Parquet at a time: a 10,000-filing batch is never in memory whole."""


@dataclass(slots=True)
class ImportSummary:
    imported: int = 0
    """Documents stored with their extraction."""
    failed: int = 0
    """Recorded failures stored as failed documents."""
    skipped: int = 0
    """Documents the user had extracted already (left as they were)."""
    not_pdf: int = 0
    """Recorded failures whose file is not a PDF at all: not stored, as such an upload is not."""
    without_pdf: list[str] = field(default_factory=list)
    """Files whose PDF is no longer where the batch read it: stored without it (no source page to review)."""
    document_ids: list[int] = field(default_factory=list)


def import_batch(
    out: Path, *, user: str, settings: Settings, force: bool = False, store: Store | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Load a batch's output into the store for `user` (an existing, enabled account). Opens the store from
    settings unless given. Raises AuthError for a missing or disabled user, BatchOutputError for a folder that
    is not a batch's output."""
    if not (out / "documents").is_dir():
        raise BatchOutputError(f"{out} is not the output of `finsheet batch` (it has no documents/ folder)")
    own = store is None
    db = store or Store.open(settings)
    try:
        account = db.get_user(user)
        if account is None:
            raise AuthError(f"no user {user!r}: create the account first (Admin page), then import")
        if account.disabled:
            raise AuthError(f"the account {user!r} is disabled")
        summary = ImportSummary()
        shas = sorted(output.done(out))
        for start in range(0, len(shas), CHUNK):
            chunk = set(shas[start : start + CHUNK])
            tables = {name: output.read_table(out, name, chunk) for name in DOCUMENT_TABLES}
            for path, doc in documents_from_tables(tables):
                _import_document(db, user, path, doc, summary, force=force)
            if progress:
                progress(min(start + CHUNK, len(shas)), len(shas))
        # failures that name a document (an unreadable path has no bytes to store) and that no later run redid
        failures = output.read_table(out, "failures").filter(
            pl.col("sha256").is_not_null() & ~pl.col("sha256").is_in(shas)
        )
        for row in failures.iter_rows(named=True):
            _import_failure(db, user, row["path"], row["sha256"], row["reason"], summary, force=force)
    finally:
        if own:
            db.close()
    return summary


def _import_document(db: Store, user: str, path: str, doc: Document, summary: ImportSummary, *, force: bool) -> None:
    size = _store_pdf(db, path, doc.sha256, doc.file, summary)
    record, created = db.add_document(sha256=doc.sha256, name=sanitize_filename(doc.file), size=size,
                                      pages=doc.pages, owner=user)
    if not created and record.status == "completed" and not force:
        summary.skipped += 1
        return
    db.save_extraction(record.id, doc, engine=doc.engine, seconds=doc.seconds)
    summary.imported += 1
    summary.document_ids.append(record.id)


def _import_failure(
    db: Store, user: str, path: str, sha256: str, reason: str, summary: ImportSummary, *, force: bool
) -> None:
    name = Path(path).name
    if not _looks_like_pdf(path):  # as an upload that is not a PDF, nothing worth keeping
        summary.not_pdf += 1
        return
    size = _store_pdf(db, path, sha256, name, summary)
    record, created = db.add_document(sha256=sha256, name=sanitize_filename(name), size=size, pages=0, owner=user)
    if not created and record.status is not None and not force:
        summary.skipped += 1
        return
    db.record_failure(record.id, reason, engine="batch")
    summary.failed += 1
    summary.document_ids.append(record.id)


def _store_pdf(db: Store, path: str, sha256: str, name: str, summary: ImportSummary) -> int:
    """Copy the PDF into the uploads when its path still holds the bytes the batch read; its size (0 if not)."""
    source = Path(path)
    try:
        digest, size = file_sha256(source)
    except OSError:
        digest, size = "", 0
    if digest != sha256:
        summary.without_pdf.append(name)
        return 0
    write_pdf(db.uploads_dir, sha256, source.read_bytes())
    return size


def _looks_like_pdf(path: str) -> bool:
    """False for bytes that are not a PDF at all; True for a PDF, or a file gone since (the record still helps)."""
    try:
        with open(path, "rb") as handle:
            check_pdf_bytes(handle.read(1024))
    except OSError:
        return True
    except PdfError:
        return False
    return True
