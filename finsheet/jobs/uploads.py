"""Uploads: check the bytes, store them once as `uploads_dir/<sha256>.pdf`, and record the document.

What is checked, cheapest first: not empty, under the size limit, starts like a PDF (these are rejected with an
UploadError and nothing is stored — there is nothing worth keeping). Then whether the PDF opens: a damaged or
encrypted PDF *is* kept, with a failed extraction saying why, so the analyst sees it in the list with a clear
message instead of losing the upload. The same bytes uploaded twice by one owner are one document.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from finsheet.errors import PdfError, UploadError
from finsheet.extraction.pdf import check_pdf_bytes, open_pdf, sha256
from finsheet.settings import Settings
from finsheet.store import DocumentRecord, Store

MAX_NAME = 120


def sanitize_filename(name: str) -> str:
    """A display name safe to show and to put in a download: no directories, control characters or odd
    punctuation; always ends in .pdf. 'C:\\tmp\\..\\Annual Report 2023!.PDF' -> 'Annual Report 2023.pdf'."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if ch.isprintable())
    stem = re.sub(r"\.pdf$", "", base.strip(), flags=re.IGNORECASE)
    stem = re.sub(r"[^\w\s.,()&+-]", "", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-") or "document"
    return stem[: MAX_NAME - 4] + ".pdf"


def count_pages(data: bytes, name: str, *, max_pages: int | None = None) -> int:
    """Pages of a PDF; PdfError when it does not open (damaged, encrypted, no pages) or has over `max_pages`."""
    with open_pdf(data, name, max_pages=max_pages) as doc:
        return len(doc)


def save_upload(store: Store, settings: Settings, data: bytes, filename: str, owner: str) -> DocumentRecord:
    """Validate and store an upload; the owner's document for these bytes (the existing one for a re-upload).

    Raises UploadError for an empty file, one over `settings.max_upload_mb`, or one that is not a PDF. A PDF that
    does not open (or has more than `settings.max_pages`) is stored with a failed extraction: the returned record
    has status "failed" and the reason.
    """
    return store_upload(store, settings, data, filename, owner)[0]


def store_upload(
    store: Store, settings: Settings, data: bytes, filename: str, owner: str
) -> tuple[DocumentRecord, bool]:
    """`save_upload`, and whether the document is new (False: the owner had uploaded these bytes before)."""
    name = sanitize_filename(filename)
    if not data:
        raise UploadError(f"{name}: the file is empty")
    if len(data) > settings.max_upload_bytes:
        raise UploadError(
            f"{name}: the file is {len(data) / 1024 / 1024:.1f} MB, over the {settings.max_upload_mb} MB limit"
        )
    try:
        check_pdf_bytes(data, name)
    except PdfError as exc:
        raise UploadError(str(exc)) from exc
    digest = sha256(data)
    problem: str | None = None
    try:
        pages = count_pages(data, name, max_pages=settings.max_pages)
    except PdfError as exc:
        pages, problem = 0, str(exc)
    write_pdf(store.uploads_dir, digest, data)
    record, created = store.add_document(sha256=digest, name=name, size=len(data), pages=pages, owner=owner)
    if created and problem:
        store.record_failure(record.id, problem, engine="upload")
        record = store.document_by_id(record.id)
    return record, created


def write_pdf(directory: Path, digest: str, data: bytes) -> Path:
    """Write the bytes as `<sha256>.pdf` atomically (a crash never leaves half a file under the final name)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{digest}.pdf"
    if target.is_file() and target.stat().st_size == len(data):
        return target
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UploadError(f"cannot store the upload in {directory}: {exc.strerror}") from exc
    return target
