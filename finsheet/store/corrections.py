"""An analyst's corrections: each one updates the stored value, marks the item as the analyst's, writes an
audit row (who, when, what, old → new) and re-runs the statement's checks, all in one transaction."""

from __future__ import annotations

from typing import Any

import polars as pl

from finsheet.errors import StorageError
from finsheet.extraction.checks import run_checks
from finsheet.store.base import Cursor
from finsheet.store.extractions import ExtractionsMixin, check_rows, insert_rows
from finsheet.store.records import AuditEntry, Viewer

ANALYST = "analyst"
_AUDIT_SELECT = (
    'SELECT a.id, a.changed_at AS "at", a.username, a.document_id, a.statement_id, a.item_id, a.table_name, '
    "a.field, a.old, a.new FROM audit_log a JOIN documents d ON d.id = a.document_id"
)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class CorrectionsMixin(ExtractionsMixin):
    def correct_value(
        self, viewer: Viewer, item_id: int, period_key: str, new_value: float | None, *, raw: str | None = None
    ) -> None:
        """Set one value of a line item (None: no value); `raw` is the text to show for it (default: the number)."""
        with self._write() as cur:
            document_id, statement_id = self._item_for_edit(cur, viewer, item_id)
            if not cur.execute(
                "SELECT 1 FROM periods WHERE statement_id = ? AND key = ?", [statement_id, period_key]
            ).fetchone():
                raise StorageError(f"the statement has no period {period_key!r}")
            old = cur.execute(
                "SELECT value, raw FROM item_values WHERE item_id = ? AND period_key = ?", [item_id, period_key]
            ).fetchone()
            raw_text = raw if raw is not None else ("" if new_value is None else f"{new_value:,.10g}")
            if old is None:
                position = cur.execute(
                    "SELECT count(*) FROM item_values WHERE item_id = ?", [item_id]
                ).fetchone()
                insert_rows(cur, "item_values", [{
                    "item_id": item_id, "statement_id": statement_id, "position": position[0] if position else 0,
                    "period_key": period_key, "in_values": True, "value": new_value, "raw": raw_text, "box": None,
                }])
            else:
                cur.execute(
                    "UPDATE item_values SET in_values = true, value = ?, raw = ? WHERE item_id = ? AND period_key = ?",
                    [new_value, raw_text, item_id, period_key],
                )
            self._audit(cur, viewer, document_id, statement_id, item_id, "item_values", f"value[{period_key}]",
                        old[0] if old else None, new_value)
            self._after_edit(cur, statement_id, item_id)

    def correct_label(self, viewer: Viewer, item_id: int, new_label: str) -> None:
        """Rename a line item."""
        self._correct_item_field(viewer, item_id, "label", new_label.strip())

    def correct_level(self, viewer: Viewer, item_id: int, level: int) -> None:
        """Change a line item's indentation level."""
        self._correct_item_field(viewer, item_id, "level", int(level))

    def correct_total(self, viewer: Viewer, item_id: int, is_total: bool) -> None:
        """Mark or unmark a line item as a total (the checks use it)."""
        self._correct_item_field(viewer, item_id, "is_total", bool(is_total))

    def audit_log(self, viewer: Viewer, document_id: int | None = None) -> list[AuditEntry]:
        """The corrections on the viewer's documents (every document for an admin), newest first."""
        rows = self.audit_frame(viewer, document_id).rows()
        fields = list(AuditEntry.model_fields)
        return [AuditEntry.model_validate(dict(zip(fields, r, strict=True))) for r in rows]

    def audit_frame(self, viewer: Viewer, document_id: int | None = None) -> pl.DataFrame:
        """`audit_log` as a Polars frame (the `table_name` column is AuditEntry.table)."""
        where, params = self._owner_filter(viewer, "d.owner")
        if document_id is not None:
            where += " AND a.document_id = ?"
            params = [*params, document_id]
        return self._frame(f"{_AUDIT_SELECT} WHERE {where} ORDER BY a.id DESC", params)

    # ------------------------------------------------------------------ internals

    def _correct_item_field(self, viewer: Viewer, item_id: int, field: str, value: Any) -> None:
        if field == "label" and not value:
            raise StorageError("a line item label cannot be empty")
        with self._write() as cur:
            document_id, statement_id = self._item_for_edit(cur, viewer, item_id)
            old = cur.execute(f"SELECT {field} FROM line_items WHERE id = ?", [item_id]).fetchone()
            cur.execute(f"UPDATE line_items SET {field} = ? WHERE id = ?", [value, item_id])
            self._audit(cur, viewer, document_id, statement_id, item_id, "line_items", field,
                        old[0] if old else None, value)
            self._after_edit(cur, statement_id, item_id)

    def _item_for_edit(self, cur: Cursor, viewer: Viewer, item_id: int) -> tuple[int, int]:
        row = cur.execute(
            "SELECT d.id, s.id, d.owner FROM line_items i JOIN statements s ON s.id = i.statement_id "
            "JOIN documents d ON d.id = s.document_id WHERE i.id = ?",
            [item_id],
        ).fetchone()
        if row is None:
            raise StorageError(f"line item {item_id} does not exist (the document may have been re-extracted)")
        self._require_access(viewer, row[2], f"line item {item_id}")
        return int(row[0]), int(row[1])

    def _after_edit(self, cur: Cursor, statement_id: int, item_id: int) -> None:
        """Mark the item as the analyst's and store the statement's checks recomputed on the corrected figures."""
        cur.execute("UPDATE line_items SET engine = ? WHERE id = ?", [ANALYST, item_id])
        statement = self._load_statements(cur, "id = ?", [statement_id])[0][1]
        cur.execute("DELETE FROM checks WHERE statement_id = ?", [statement_id])
        insert_rows(cur, "checks", check_rows(statement_id, run_checks(statement)))

    @staticmethod
    def _audit(
        cur: Cursor, viewer: Viewer, document_id: int, statement_id: int, item_id: int | None, table: str,
        field: str, old: Any, new: Any,
    ) -> None:
        cur.execute(
            "INSERT INTO audit_log (username, document_id, statement_id, item_id, table_name, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [viewer.username, document_id, statement_id, item_id, table, field, _text(old), _text(new)],
        )
