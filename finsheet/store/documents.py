"""Documents: one row per uploaded PDF and owner, with the outcome of its latest extraction and the state of its
latest extraction job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from finsheet.errors import StorageError
from finsheet.store.base import StoreBase
from finsheet.store.records import DocumentRecord, Viewer

# The latest extraction of each document and how many statements it stored.
_DOCUMENTS = """
    SELECT d.id, d.sha256, d.name, d.size, d.pages, d.owner, d.uploaded_at, d.company,
           e.status, e.error, coalesce(s.n, 0)::INTEGER AS statements, e.created_at AS extracted_at,
           j.id AS job_id, j.state AS job_state, j.progress AS job_progress
    FROM documents d
    LEFT JOIN (SELECT document_id, max(id) AS id FROM extractions GROUP BY document_id) latest
           ON latest.document_id = d.id
    LEFT JOIN extractions e ON e.id = latest.id
    LEFT JOIN (SELECT document_id, max(id) AS id FROM jobs WHERE kind = 'extract' GROUP BY document_id) last_job
           ON last_job.document_id = d.id
    LEFT JOIN jobs j ON j.id = last_job.id
    LEFT JOIN (SELECT document_id, count(*) AS n FROM statements GROUP BY document_id) s ON s.document_id = d.id
"""
_FIELDS = list(DocumentRecord.model_fields)


def _record(row: tuple[Any, ...]) -> DocumentRecord:
    return DocumentRecord.model_validate(dict(zip(_FIELDS, row, strict=True)))


class DocumentsMixin(StoreBase):
    def add_document(
        self, *, sha256: str, name: str, size: int, pages: int, owner: str
    ) -> tuple[DocumentRecord, bool]:
        """The owner's document with these bytes, created if new; (record, created). uploads.py writes the file."""
        with self._write() as cur:
            row = cur.execute("SELECT id FROM documents WHERE owner = ? AND sha256 = ?", [owner, sha256]).fetchone()
            created = row is None
            if row is None:
                row = cur.execute(
                    "INSERT INTO documents (sha256, name, size, pages, owner) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    [sha256, name, size, pages, owner],
                ).fetchone()
            assert row is not None
            record = cur.execute(_DOCUMENTS + " WHERE d.id = ?", [row[0]]).fetchone()
        assert record is not None
        return _record(record), created

    def list_documents(self, viewer: Viewer, *, company: str | None = None) -> list[DocumentRecord]:
        """The viewer's documents (all of them for an admin), newest first, optionally of one company."""
        where, params = self._documents_where(viewer, company)
        with self._read() as cur:
            rows = cur.execute(_DOCUMENTS + f" WHERE {where} ORDER BY d.id DESC", params).fetchall()
        return [_record(r) for r in rows]

    def documents_frame(self, viewer: Viewer, *, company: str | None = None) -> pl.DataFrame:
        """`list_documents` as a Polars frame for tables (columns = DocumentRecord fields)."""
        where, params = self._documents_where(viewer, company)
        return self._frame(_DOCUMENTS + f" WHERE {where} ORDER BY d.id DESC", params)

    def get_document(self, viewer: Viewer, document_id: int) -> DocumentRecord | None:
        """One document; None when there is no such document, AuthError when it is another user's."""
        with self._read() as cur:
            row = cur.execute(_DOCUMENTS + " WHERE d.id = ?", [document_id]).fetchone()
        if row is None:
            return None
        record = _record(row)
        self._require_access(viewer, record.owner, f"document {document_id}")
        return record

    def document_by_id(self, document_id: int) -> DocumentRecord:
        """A document for the job queue, which acts for its owner (no viewer); StorageError when it is gone."""
        with self._read() as cur:
            row = cur.execute(_DOCUMENTS + " WHERE d.id = ?", [document_id]).fetchone()
        if row is None:
            raise StorageError(f"document {document_id} no longer exists")
        return _record(row)

    def pdf_path(self, record: DocumentRecord) -> Path:
        """Where the uploaded bytes of a document live: `uploads_dir/<sha256>.pdf`."""
        return self.uploads_dir / f"{record.sha256}.pdf"

    def companies(self, viewer: Viewer) -> list[str]:
        """The distinct company names among the viewer's documents, sorted."""
        where, params = self._owner_filter(viewer)
        with self._read() as cur:
            rows = cur.execute(
                f"SELECT DISTINCT company FROM documents WHERE company IS NOT NULL AND {where} ORDER BY company",
                params,
            ).fetchall()
        return [r[0] for r in rows]

    def set_company(self, viewer: Viewer, document_id: int, company: str | None) -> DocumentRecord:
        """The analyst names the reporting company; later extractions no longer overwrite it (None: let them)."""
        self._checked_document(viewer, document_id)
        name = (company or "").strip() or None
        with self._write() as cur:
            cur.execute(
                "UPDATE documents SET company = ?, company_fixed = ? WHERE id = ?",
                [name, name is not None, document_id],
            )
        record = self.get_document(viewer, document_id)
        assert record is not None
        return record

    def find_document(self, viewer: Viewer, sha256: str) -> DocumentRecord | None:
        """The viewer's own document with these bytes, if they uploaded them before."""
        with self._read() as cur:
            row = cur.execute(_DOCUMENTS + " WHERE d.owner = ? AND d.sha256 = ?", [viewer.username, sha256]).fetchone()
        return None if row is None else _record(row)

    def delete_document(self, viewer: Viewer, document_id: int) -> bool:
        """Remove a document with its extractions, statements and finished jobs; a pending job is cancelled and a
        running one asked to stop. The deletion is audited (who, when, which file) and the audit rows of its
        corrections are kept. The PDF file is removed when no other document (another owner's upload of the same
        bytes) still uses it. False when there is no such document; AuthError when it is another user's."""
        record = self.get_document(viewer, document_id)
        if record is None:
            return False
        with self._write() as cur:
            self._delete_statements(cur, document_id)
            cur.execute("DELETE FROM extractions WHERE document_id = ?", [document_id])
            cur.execute(
                "UPDATE jobs SET state = 'cancelled', error = 'the document was deleted', "
                "finished_at = current_localtimestamp() WHERE document_id = ? AND state = 'pending'",
                [document_id],
            )
            cur.execute("UPDATE jobs SET cancel_requested = true WHERE document_id = ? AND state = 'running'",
                        [document_id])
            cur.execute("DELETE FROM jobs WHERE document_id = ? AND state IN ('completed', 'failed', 'cancelled')",
                        [document_id])
            cur.execute(
                "INSERT INTO audit_log (username, document_id, statement_id, item_id, table_name, field, old, new, "
                "owner) VALUES (?, ?, 0, NULL, 'documents', 'deleted', ?, ?, ?)",
                [viewer.username, document_id, record.name, f"{record.statements} statement(s)", record.owner],
            )
            cur.execute("DELETE FROM documents WHERE id = ?", [document_id])
            others = cur.execute("SELECT count(*) FROM documents WHERE sha256 = ?", [record.sha256]).fetchone()
        if others and others[0] == 0:
            self.pdf_path(record).unlink(missing_ok=True)
        return True

    # ------------------------------------------------------------------ helpers shared with extractions

    def _checked_document(self, viewer: Viewer, document_id: int) -> DocumentRecord:
        record = self.get_document(viewer, document_id)
        if record is None:
            raise StorageError(f"document {document_id} does not exist")
        return record

    def _documents_where(self, viewer: Viewer, company: str | None) -> tuple[str, list[Any]]:
        where, params = self._owner_filter(viewer, "d.owner")
        if company is not None:
            where += " AND d.company = ?"
            params = [*params, company]
        return where, params

    @staticmethod
    def _delete_statements(cur: Any, document_id: int) -> None:
        found = cur.execute("SELECT list(id) FROM statements WHERE document_id = ?", [document_id]).fetchone()
        ids = found[0] if found and found[0] else []
        if not ids:  # a first extraction: nothing to replace
            return
        marks = ", ".join("?" * len(ids))
        for table in ("item_values", "checks", "periods", "line_items"):
            cur.execute(f"DELETE FROM {table} WHERE statement_id IN ({marks})", ids)
        cur.execute("DELETE FROM statements WHERE document_id = ?", [document_id])
