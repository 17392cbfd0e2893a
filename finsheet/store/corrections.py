"""An analyst's corrections: each one updates the stored value, marks the item as the analyst's, writes an
audit row (who, when, what, old → new) and re-runs the statement's checks, all in one transaction.

Nothing is ever taken out of the audit log. Undoing a correction is itself a correction, audited like any other,
that puts back the value the undone one replaced and names it (`undoes`); "revert to extracted" puts back, for
every field of a line item the analyst changed, the value the extraction gave it (the `old` of the first
correction of that field). An item back at its extracted values is the extraction's again (its engine).
"""

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
    "a.field, a.old, a.new, a.undoes, a.owner FROM audit_log a"
)
_ITEM_FIELDS = ("label", "level", "is_total")
Target = tuple[int, int, str]
"""(document id, statement id, owner) of the line item being corrected."""


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _value_key(field: str) -> str | None:
    """'value[2023-12-31]' -> '2023-12-31'; None for an item field (label, level, is_total)."""
    return field[len("value["):-1] if field.startswith("value[") and field.endswith("]") else None


def _parse(field: str, text: str | None) -> Any:
    """An audit row's text back to the field's value (the audit stores str(value))."""
    if _value_key(field) is not None:
        return None if text is None else float(text)
    if field == "level":
        return int(text or 0)
    if field == "is_total":
        return text == "True"
    return text or ""


class CorrectionsMixin(ExtractionsMixin):
    def correct_value(
        self, viewer: Viewer, item_id: int, period_key: str, new_value: float | None, *, raw: str | None = None
    ) -> None:
        """Set one value of a line item (None: no value); `raw` is the text to show for it (default: the number)."""
        with self._write() as cur:
            self._set_value(cur, viewer, item_id, period_key, new_value, raw=raw)

    def correct_label(self, viewer: Viewer, item_id: int, new_label: str) -> None:
        """Rename a line item."""
        with self._write() as cur:
            self._set_item_field(cur, viewer, item_id, "label", new_label.strip())

    def correct_level(self, viewer: Viewer, item_id: int, level: int) -> None:
        """Change a line item's indentation level."""
        with self._write() as cur:
            self._set_item_field(cur, viewer, item_id, "level", int(level))

    def correct_total(self, viewer: Viewer, item_id: int, is_total: bool) -> None:
        """Mark or unmark a line item as a total (the checks use it)."""
        with self._write() as cur:
            self._set_item_field(cur, viewer, item_id, "is_total", bool(is_total))

    def undo_correction(self, viewer: Viewer, audit_id: int) -> None:
        """Undo one correction: put back the value it replaced, as a new audited correction naming it. Refused
        (StorageError) when a later correction has changed the field since: undo that one first."""
        with self._write() as cur:
            row = cur.execute(
                "SELECT item_id, table_name, field, old, new, owner FROM audit_log WHERE id = ?", [audit_id]
            ).fetchone()
            if row is None or row[1] not in ("line_items", "item_values") or row[0] is None:
                raise StorageError(f"there is no correction #{audit_id} to undo")
            item_id, _, field, old, new, owner = row
            self._require_access(viewer, owner, f"correction #{audit_id}")
            if _text(self._current(cur, item_id, field)) != new:
                raise StorageError("a later correction changed this value since: undo that one first")
            self._apply(cur, viewer, item_id, field, _parse(field, old), undoes=audit_id)

    def revert_item(self, viewer: Viewer, item_id: int) -> int:
        """Put every field of a line item the analyst changed back to what the extraction gave it; how many fields
        changed (0 when there was nothing to revert). Each is an audited correction."""
        with self._write() as cur:
            self._item_for_edit(cur, viewer, item_id)
            rows = cur.execute(
                "SELECT field, arg_min(old, id), max(id) FROM audit_log WHERE item_id = ? AND table_name IN "
                "('line_items', 'item_values') GROUP BY field ORDER BY min(id)", [item_id]
            ).fetchall()
            changed = 0
            for field, first_old, last_id in rows:
                if _text(self._current(cur, item_id, field)) != first_old:
                    self._apply(cur, viewer, item_id, field, _parse(field, first_old), undoes=int(last_id))
                    changed += 1
        return changed

    def audit_log(self, viewer: Viewer, document_id: int | None = None) -> list[AuditEntry]:
        """The corrections on the viewer's documents (every document for an admin), newest first."""
        fields = list(AuditEntry.model_fields)
        rows = self.audit_frame(viewer, document_id).rename({"table_name": "table"}).select(fields).rows()
        return [AuditEntry.model_validate(dict(zip(fields, r, strict=True))) for r in rows]

    def audit_frame(self, viewer: Viewer, document_id: int | None = None) -> pl.DataFrame:
        """`audit_log` as a Polars frame (the `table_name` column is AuditEntry.table), with `undoes` (the id of
        the correction a row undoes) and `owner` (of the document, kept after the document is deleted)."""
        where, params = self._owner_filter(viewer, "a.owner")
        if document_id is not None:
            where += " AND a.document_id = ?"
            params = [*params, document_id]
        return self._frame(f"{_AUDIT_SELECT} WHERE {where} ORDER BY a.id DESC", params)

    # ------------------------------------------------------------------ internals

    def _apply(self, cur: Cursor, viewer: Viewer, item_id: int, field: str, value: Any, *, undoes: int) -> None:
        key = _value_key(field)
        if key is not None:
            self._set_value(cur, viewer, item_id, key, value, undoes=undoes)
        else:
            self._set_item_field(cur, viewer, item_id, field, value, undoes=undoes)

    def _set_value(
        self, cur: Cursor, viewer: Viewer, item_id: int, period_key: str, new_value: float | None, *,
        raw: str | None = None, undoes: int | None = None,
    ) -> None:
        new_value = None if new_value is None else float(new_value)  # the audit compares texts: '999.0', not '999'
        target = self._item_for_edit(cur, viewer, item_id)
        statement_id = target[1]
        if not cur.execute(
            "SELECT 1 FROM periods WHERE statement_id = ? AND key = ?", [statement_id, period_key]
        ).fetchone():
            raise StorageError(f"the statement has no period {period_key!r}")
        old = cur.execute(
            "SELECT value, raw FROM item_values WHERE item_id = ? AND period_key = ?", [item_id, period_key]
        ).fetchone()
        raw_text = raw if raw is not None else ("" if new_value is None else f"{new_value:,.10g}")
        if old is None:
            position = cur.execute("SELECT count(*) FROM item_values WHERE item_id = ?", [item_id]).fetchone()
            insert_rows(cur, "item_values", [{
                "item_id": item_id, "statement_id": statement_id, "position": position[0] if position else 0,
                "period_key": period_key, "in_values": True, "value": new_value, "raw": raw_text, "box": None,
            }])
        else:
            cur.execute(
                "UPDATE item_values SET in_values = true, value = ?, raw = ? WHERE item_id = ? AND period_key = ?",
                [new_value, raw_text, item_id, period_key],
            )
        self._audit(cur, viewer, target, item_id, "item_values", f"value[{period_key}]", old[0] if old else None,
                    new_value, undoes=undoes)
        self._after_edit(cur, statement_id, item_id)

    def _set_item_field(
        self, cur: Cursor, viewer: Viewer, item_id: int, field: str, value: Any, *, undoes: int | None = None
    ) -> None:
        if field not in _ITEM_FIELDS:
            raise StorageError(f"a line item has no correctable field {field!r}")
        if field == "label" and not value:
            raise StorageError("a line item label cannot be empty")
        target = self._item_for_edit(cur, viewer, item_id)
        old = cur.execute(f"SELECT {field} FROM line_items WHERE id = ?", [item_id]).fetchone()
        cur.execute(f"UPDATE line_items SET {field} = ? WHERE id = ?", [value, item_id])
        self._audit(cur, viewer, target, item_id, "line_items", field, old[0] if old else None, value, undoes=undoes)
        self._after_edit(cur, target[1], item_id)

    @staticmethod
    def _current(cur: Cursor, item_id: int, field: str) -> Any:
        """The stored value of an audited field of an item now."""
        key = _value_key(field)
        if key is not None:
            row = cur.execute(
                "SELECT value FROM item_values WHERE item_id = ? AND period_key = ? AND in_values", [item_id, key]
            ).fetchone()
        elif field in _ITEM_FIELDS:
            row = cur.execute(f"SELECT {field} FROM line_items WHERE id = ?", [item_id]).fetchone()
        else:
            raise StorageError(f"a line item has no correctable field {field!r}")
        return row[0] if row else None

    def _item_for_edit(self, cur: Cursor, viewer: Viewer, item_id: int) -> Target:
        row = cur.execute(
            "SELECT d.id, s.id, d.owner FROM line_items i JOIN statements s ON s.id = i.statement_id "
            "JOIN documents d ON d.id = s.document_id WHERE i.id = ?",
            [item_id],
        ).fetchone()
        if row is None:
            raise StorageError(f"line item {item_id} does not exist (the document may have been re-extracted)")
        self._require_access(viewer, row[2], f"line item {item_id}")
        return int(row[0]), int(row[1]), str(row[2])

    def _after_edit(self, cur: Cursor, statement_id: int, item_id: int) -> None:
        """Mark the item as the analyst's (or the extraction's again when every field the analyst touched is back
        at its extracted value) and store the statement's checks recomputed on the corrected figures."""
        fields = cur.execute(
            "SELECT field, arg_min(old, id) FROM audit_log WHERE item_id = ? AND table_name IN "
            "('line_items', 'item_values') GROUP BY field", [item_id]
        ).fetchall()
        untouched = all(_text(self._current(cur, item_id, field)) == first for field, first in fields)
        engine: str = ANALYST
        if untouched:
            row = cur.execute(
                "SELECT e.doc_engine FROM statements s JOIN extractions e ON e.id = s.extraction_id WHERE s.id = ?",
                [statement_id],
            ).fetchone()
            engine = str(row[0]) if row else ANALYST
        cur.execute("UPDATE line_items SET engine = ? WHERE id = ?", [engine, item_id])
        statement = self._load_statements(cur, "id = ?", [statement_id])[0][1]
        cur.execute("DELETE FROM checks WHERE statement_id = ?", [statement_id])
        insert_rows(cur, "checks", check_rows(statement_id, run_checks(statement)))

    @staticmethod
    def _audit(
        cur: Cursor, viewer: Viewer, target: Target, item_id: int | None, table: str, field: str, old: Any, new: Any,
        *, undoes: int | None = None,
    ) -> None:
        document_id, statement_id, owner = target
        cur.execute(
            "INSERT INTO audit_log (username, document_id, statement_id, item_id, table_name, field, old, new, "
            "undoes, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [viewer.username, document_id, statement_id, item_id, table, field, _text(old), _text(new), undoes, owner],
        )
