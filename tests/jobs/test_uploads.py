"""Uploads: validation, sanitised names, storage as uploads/<sha256>.pdf, one document per owner and file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from finsheet.errors import UploadError
from finsheet.jobs.uploads import sanitize_filename, save_upload
from finsheet.settings import Settings, load_settings
from finsheet.store import Store, UserRef


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data"), "FINSHEET_MAX_UPLOAD_MB": "1"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("Annual Report 2023.PDF", "Annual Report 2023.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\ann\\10-K (2023).pdf", "10-K (2023).pdf"),
        ("evil<script>.pdf", "evilscript.pdf"),
        ("tab\tand\nnewline.pdf", "tabandnewline.pdf"),
        ("", "document.pdf"),
        ("....pdf", "document.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_sanitize_filename(given: str, expected: str) -> None:
    """Names lose directories, control characters and markup, keep a .pdf suffix and a sane length."""
    assert sanitize_filename(given) == expected


def test_pdf_is_stored_by_sha256(store: Store, settings: Settings, statement_pdf) -> None:
    """A valid PDF is written to uploads/<sha256>.pdf and recorded with its size and pages."""
    data = statement_pdf(1)
    record = save_upload(store, settings, data, "acme 2023.pdf", "ann")
    digest = hashlib.sha256(data).hexdigest()
    assert (record.sha256, record.size, record.pages, record.name, record.owner) == (
        digest, len(data), 2, "acme 2023.pdf", "ann")
    assert store.pdf_path(record) == settings.uploads_dir / f"{digest}.pdf"
    assert store.pdf_path(record).read_bytes() == data
    assert record.status is None


def test_same_file_twice_is_one_document(store: Store, settings: Settings, statement_pdf) -> None:
    """Uploading the same bytes again (under any name) returns the same document."""
    first = save_upload(store, settings, statement_pdf(1), "a.pdf", "ann")
    second = save_upload(store, settings, statement_pdf(1), "renamed.pdf", "ann")
    assert second.id == first.id
    assert len(store.list_documents(UserRef(username="ann"))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello, not a pdf", "not a PDF"),
        (b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "over the 1 MB limit"),
    ],
)
def test_rejected_uploads_store_nothing(store: Store, settings: Settings, data: bytes, message: str) -> None:
    """Empty, non-PDF and oversized uploads raise UploadError and leave no document or file behind."""
    with pytest.raises(UploadError, match=message):
        save_upload(store, settings, data, "x.pdf", "ann")
    assert store.list_documents(UserRef(username="root", role="admin")) == []
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n1 0 obj garbage that never ends", "damaged"),
        (b"%PDF-1.7\n%%EOF\n", "damaged"),
    ],
)
def test_damaged_pdf_is_kept_with_a_failed_extraction(
    store: Store, settings: Settings, data: bytes, message: str
) -> None:
    """A PDF that does not open is stored (nothing lost) with a failed extraction that says why."""
    record = save_upload(store, settings, data, "broken.pdf", "ann")
    assert record.status == "failed" and record.pages == 0
    assert record.error is not None and message in record.error and "broken.pdf" in record.error
    assert store.pdf_path(record).read_bytes() == data


def test_encrypted_pdf_is_kept_with_a_clear_reason(store: Store, settings: Settings, tmp_path: Path) -> None:
    """A password-protected PDF is recorded as failed with a message that says it is encrypted."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, "Balance sheet")
    c.save()
    record = save_upload(store, settings, path.read_bytes(), "locked.pdf", "ann")
    assert record.status == "failed"
    assert record.error is not None and "encrypted" in record.error


def test_data_dir_moves_database_uploads_and_logs(tmp_path: Path, statement_pdf) -> None:
    """FINSHEET_DATA_DIR puts the database and the uploaded files under one directory."""
    settings = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "elsewhere")})
    with Store.open(settings) as store:
        record = save_upload(store, settings, statement_pdf(2), "a.pdf", "ann")
        assert store.pdf_path(record).parent == tmp_path / "elsewhere" / "uploads"
    assert (tmp_path / "elsewhere" / "finsheet.duckdb").is_file()
    assert settings.logs_dir == tmp_path / "elsewhere" / "logs"
