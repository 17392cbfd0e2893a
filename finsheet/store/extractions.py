"""Extraction results: statements, periods, line items, values and checks, saved and rebuilt exactly.

A document keeps only its latest statements: saving an extraction replaces the previous one in one transaction,
so a job that runs twice (a retry, a restart after a crash) never leaves duplicate statements. The extraction
rows themselves are kept as history (engine, timings, warnings, error).

Statements and line items get ids from sequences; they are stable until the document is extracted again, and are
what corrections and the review page address.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl

from finsheet.errors import StorageError
from finsheet.extraction.company import company_key
from finsheet.extraction.ties import statement_ties
from finsheet.model import Check, Document, LineItem, Period, Statement
from finsheet.store.base import Cursor, dumps, loads
from finsheet.store.documents import DocumentsMixin
from finsheet.store.records import StatementRecord, Viewer

# Columns of the bulk inserts, in order.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("id", "document_id", "extraction_id", "position", "type", "title", "pages", "confidence", "scale",
                   "currency", "entity"),
    "periods": ("statement_id", "position", "key", "label", "end", "start", "months", "restated"),
    "line_items": ("id", "statement_id", "position", "label", "level", "section", "is_total", "unit", "note", "page",
                   "box", "confidence", "engine"),
    "item_values": ("item_id", "statement_id", "position", "period_key", "in_values", "value", "raw", "box"),
    "checks": ("statement_id", "position", "name", "ok", "detail", "period", "expected", "actual"),
}
_CHUNK = 500


def insert_rows(cur: Cursor, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one multi-row INSERT per 500 (DuckDB's executemany runs a statement per row, and
    registering a frame costs more than it saves at the size of a statement)."""
    columns = _COLUMNS[table]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        params = [row[c] for row in chunk for c in columns]
        cur.execute(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([marks] * len(chunk)), params)


def check_rows(statement_id: int, checks: list[Check]) -> list[dict[str, Any]]:
    return [{"statement_id": statement_id, "position": i, **c.model_dump()} for i, c in enumerate(checks)]


class ExtractionsMixin(DocumentsMixin):
    def save_extraction(self, document_id: int, doc: Document, *, engine: str, seconds: float) -> int:
        """Store an extraction result, replacing the document's previous statements atomically; the extraction id.

        A Document with `error` set (no statements found) is stored as a failed extraction with that message.
        """
        with self._write() as cur:
            statement_ids = self._reserve(cur, "statement_ids", len(doc.statements))
            item_ids = self._reserve(cur, "item_ids", sum(len(s.items) for s in doc.statements))
            row = cur.execute("SELECT sha256, company_fixed FROM documents WHERE id = ?", [document_id]).fetchone()
            if row is None:
                raise StorageError(f"document {document_id} no longer exists")
            if row[0] != doc.sha256:
                raise StorageError(f"the extraction is of another file than document {document_id} (sha256 differs)")
            self._delete_statements(cur, document_id)
            extraction_id = self._insert_extraction(
                cur, document_id, engine=engine, seconds=seconds, doc=doc,
                status="failed" if doc.error else "completed", error=doc.error,
            )
            self._insert_statements(cur, document_id, extraction_id, doc.statements, statement_ids, item_ids)
            cur.execute("UPDATE documents SET pages = ? WHERE id = ?", [doc.pages, document_id])
            if not row[1]:
                company = self._known_spelling(cur, document_id, doc.company) if doc.company else None
                cur.execute("UPDATE documents SET company = ? WHERE id = ?", [company, document_id])
        return extraction_id

    @staticmethod
    def _known_spelling(cur: Cursor, document_id: int, company: str) -> str:
        """The spelling the store already knows a company by, where another document names it differently (in
        capitals, without a point): one company's documents are consolidated together."""
        key = company_key(company)
        names = cur.execute("SELECT DISTINCT company FROM documents WHERE company IS NOT NULL AND id <> ? "
                            "ORDER BY company", [document_id]).fetchall()
        return next((name for (name,) in names if company_key(name) == key), company)

    def record_failure(self, document_id: int, error: str, *, engine: str = "local", seconds: float = 0.0) -> int:
        """Store a failed extraction (the PDF could not be read at all); the statements already stored stay."""
        with self._write() as cur:
            row = cur.execute("SELECT name, sha256, pages FROM documents WHERE id = ?", [document_id]).fetchone()
            if row is None:
                raise StorageError(f"document {document_id} no longer exists")
            doc = Document(file=row[0], sha256=row[1], pages=row[2], engine=engine, error=error)
            return self._insert_extraction(
                cur, document_id, engine=engine, seconds=seconds, doc=doc, status="failed", error=error
            )

    def load_document(self, viewer: Viewer, document_id: int) -> Document | None:
        """The stored extraction rebuilt as the exact `Document` that was saved (with the analyst's corrections
        and the company as last set); None when the document was never extracted. AuthError: not the viewer's."""
        record = self._checked_document(viewer, document_id)
        with self._read() as cur:
            row = cur.execute(
                "SELECT file, pages, doc_seconds, doc_engine, warnings, timings, ocr_pages, error FROM extractions "
                "WHERE id = coalesce((SELECT max(extraction_id) FROM statements WHERE document_id = ?), "
                "(SELECT max(id) FROM extractions WHERE document_id = ?))",
                [document_id, document_id],
            ).fetchone()
            if row is None:
                return None
            statements = self._load_statements(cur, "document_id = ?", [document_id])
        file, pages, seconds, engine, warnings, timings, ocr_pages, error = row
        return Document(
            file=file, sha256=record.sha256, pages=pages, seconds=seconds, company=record.company, engine=engine,
            statements=[s for _, s in statements], warnings=loads(warnings, []), timings=loads(timings, {}),
            ocr_pages=loads(ocr_pages, []), error=error,
            # the ties between statements are recomputed from the stored (possibly corrected) figures, not stored
            checks=statement_ties([s for _, s in statements]),
        )

    def list_statements(self, viewer: Viewer, document_id: int) -> list[StatementRecord]:
        """The stored statements of a document with their ids, in document order."""
        self._checked_document(viewer, document_id)
        with self._read() as cur:
            rows = cur.execute(
                """SELECT s.id, s.document_id, s.position, s.type, s.title, s.pages, s.confidence, s.scale,
                          s.currency, s.entity,
                          (SELECT count(*) FROM line_items i WHERE i.statement_id = s.id),
                          (SELECT count(*) FILTER (ok) FROM checks c WHERE c.statement_id = s.id),
                          (SELECT count(*) FROM checks c WHERE c.statement_id = s.id)
                   FROM statements s WHERE s.document_id = ? ORDER BY s.position""",
                [document_id],
            ).fetchall()
        fields = list(StatementRecord.model_fields)
        return [StatementRecord.model_validate(dict(zip(fields, r, strict=True))) for r in rows]

    def get_statement(self, viewer: Viewer, statement_id: int) -> Statement:
        """One stored statement as the model; StorageError when it is gone, AuthError when not the viewer's."""
        document_id = self._statement_document(viewer, statement_id)
        with self._read() as cur:
            found = self._load_statements(cur, "id = ? AND document_id = ?", [statement_id, document_id])
        return found[0][1]

    def items_frame(self, viewer: Viewer, statement_id: int) -> pl.DataFrame:
        """A statement's line items, one row each: `item_id`, label, level, is_total, unit, page, engine, ... and
        one Float64 column per period key (in the statement's period order) holding the printed value."""
        self._statement_document(viewer, statement_id)
        with self._read() as cur:
            items = cur.execute(
                "SELECT id, position, label, level, section, is_total, unit, note, page, confidence, engine "
                "FROM line_items WHERE statement_id = ? ORDER BY position",
                [statement_id],
            ).fetchall()
            keys = [r[0] for r in cur.execute(
                "SELECT key FROM periods WHERE statement_id = ? ORDER BY position", [statement_id]
            ).fetchall()]
            values = cur.execute(
                "SELECT item_id, period_key, value FROM item_values WHERE statement_id = ? AND in_values",
                [statement_id],
            ).fetchall()
        by_item: dict[int, dict[str, float | None]] = defaultdict(dict)
        for item_id, key, value in values:
            by_item[item_id][key] = value
        columns = ["item_id", "position", "label", "level", "section", "is_total", "unit", "note", "page",
                   "confidence", "engine"]
        rows = [{**dict(zip(columns, r, strict=True)), **{k: by_item[r[0]].get(k) for k in keys}} for r in items]
        schema: dict[str, Any] = {
            "item_id": pl.Int64, "position": pl.Int32, "label": pl.Utf8, "level": pl.Int32,
            "section": pl.List(pl.Utf8), "is_total": pl.Boolean, "unit": pl.Utf8, "note": pl.Utf8,
            "page": pl.Int32, "confidence": pl.Float64, "engine": pl.Utf8, **{k: pl.Float64 for k in keys},
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    # ------------------------------------------------------------------ internals

    def _statement_document(self, viewer: Viewer, statement_id: int) -> int:
        with self._read() as cur:
            row = cur.execute(
                "SELECT d.id, d.owner FROM statements s JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
                [statement_id],
            ).fetchone()
        if row is None:
            raise StorageError(f"statement {statement_id} does not exist (the document may have been re-extracted)")
        self._require_access(viewer, row[1], f"statement {statement_id}")
        return int(row[0])

    @staticmethod
    def _reserve(cur: Cursor, sequence: str, count: int) -> list[int]:
        if count == 0:
            return []
        rows = cur.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count]).fetchall()
        return [int(r[0]) for r in rows]

    @staticmethod
    def _insert_extraction(
        cur: Cursor, document_id: int, *, engine: str, seconds: float, doc: Document, status: str, error: str | None
    ) -> int:
        row = cur.execute(
            """INSERT INTO extractions (document_id, engine, status, file, pages, doc_engine, seconds, doc_seconds,
                                        timings, warnings, ocr_pages, error)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            [document_id, engine, status, doc.file, doc.pages, doc.engine, seconds, doc.seconds,
             dumps(doc.timings), dumps(doc.warnings), dumps(doc.ocr_pages), error],
        ).fetchone()
        assert row is not None
        return int(row[0])

    @staticmethod
    def _insert_statements(
        cur: Cursor,
        document_id: int,
        extraction_id: int,
        statements: list[Statement],
        statement_ids: list[int],
        item_ids: list[int],
    ) -> None:
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        next_item = iter(item_ids)
        for position, (sid, st) in enumerate(zip(statement_ids, statements, strict=True)):
            tables["statements"].append({
                "id": sid, "document_id": document_id, "extraction_id": extraction_id, "position": position,
                "type": st.type.value, "title": st.title, "pages": st.pages, "confidence": st.confidence,
                "scale": st.scale, "currency": st.currency, "entity": st.entity,
            })
            tables["periods"].extend(
                {"statement_id": sid, "position": i, **p.model_dump()} for i, p in enumerate(st.periods)
            )
            for i, item in enumerate(st.items):
                item_id = next(next_item)
                tables["line_items"].append({
                    "id": item_id, "statement_id": sid, "position": i, "label": item.label, "level": item.level,
                    "section": item.section, "is_total": item.is_total, "unit": item.unit, "note": item.note,
                    "page": item.page, "box": list(item.box), "confidence": item.confidence, "engine": item.engine,
                })
                tables["item_values"].extend(value_rows(item_id, sid, item))
            tables["checks"].extend(check_rows(sid, st.checks))
        for table in ("statements", "periods", "line_items", "item_values", "checks"):
            insert_rows(cur, table, tables[table])

    @staticmethod
    def _load_statements(cur: Cursor, where: str, params: list[Any]) -> list[tuple[int, Statement]]:
        """(id, Statement) of the statements matching `where` (on the statements table), in document order."""
        heads = cur.execute(
            "SELECT id, type, title, pages, confidence, scale, currency, entity FROM statements "
            f"WHERE {where} ORDER BY document_id, position",
            params,
        ).fetchall()
        if not heads:
            return []
        ids = [h[0] for h in heads]
        marks = ", ".join("?" * len(ids))
        periods: dict[int, list[Period]] = defaultdict(list)
        for r in cur.execute(
            f'SELECT statement_id, key, label, "end", start, months, restated FROM periods '
            f"WHERE statement_id IN ({marks}) ORDER BY statement_id, position", ids
        ).fetchall():
            periods[r[0]].append(Period(key=r[1], label=r[2], end=r[3], start=r[4], months=r[5], restated=r[6]))
        checks: dict[int, list[Check]] = defaultdict(list)
        for r in cur.execute(
            "SELECT statement_id, name, ok, detail, period, expected, actual FROM checks "
            f"WHERE statement_id IN ({marks}) ORDER BY statement_id, position", ids
        ).fetchall():
            checks[r[0]].append(Check(name=r[1], ok=r[2], detail=r[3], period=r[4], expected=r[5], actual=r[6]))
        cells: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for r in cur.execute(
            "SELECT item_id, period_key, in_values, value, raw, box FROM item_values "
            f"WHERE statement_id IN ({marks}) ORDER BY item_id, position", ids
        ).fetchall():
            cells[r[0]].append(r[1:])
        items: dict[int, list[LineItem]] = defaultdict(list)
        for r in cur.execute(
            "SELECT id, statement_id, label, level, section, is_total, unit, note, page, box, confidence, engine "
            f"FROM line_items WHERE statement_id IN ({marks}) ORDER BY statement_id, position", ids
        ).fetchall():
            item = LineItem(
                label=r[2], level=r[3], section=list(r[4]), is_total=r[5], unit=r[6], note=r[7], page=r[8],
                box=tuple(r[9]), confidence=r[10], engine=r[11],
            )
            for key, in_values, value, raw, box in cells[r[0]]:
                if in_values:
                    item.values[key] = value
                if raw is not None:
                    item.raw[key] = raw
                if box is not None:
                    item.boxes[key] = tuple(box)
            items[r[1]].append(item)
        return [
            (h[0], Statement(
                type=h[1], title=h[2], pages=list(h[3]), confidence=h[4], scale=h[5], currency=h[6], entity=h[7],
                periods=periods[h[0]], items=items[h[0]], checks=checks[h[0]],
            ))
            for h in heads
        ]


def value_rows(item_id: int, statement_id: int, item: LineItem) -> list[dict[str, Any]]:
    """One row per period key the item mentions in any of values / raw / boxes, in first-seen order."""
    keys = list(dict.fromkeys([*item.values, *item.raw, *item.boxes]))
    return [
        {
            "item_id": item_id, "statement_id": statement_id, "position": i, "period_key": key,
            "in_values": key in item.values, "value": item.values.get(key), "raw": item.raw.get(key),
            "box": list(item.boxes[key]) if key in item.boxes else None,
        }
        for i, key in enumerate(keys)
    ]
