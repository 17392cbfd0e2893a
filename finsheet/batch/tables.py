"""The batch output's tables: a `Document` as rows of six Polars frames, and those rows back into the `Document`.

The schema is the extraction contract's (`finsheet extract --json`, ARCHITECTURE.md) cut into tables that DuckDB
and Polars query directly; every row carries the document's `sha256`, and the rows of one statement its position
in the document (`statement`), so the tables join on (sha256, statement, item):

    documents   one row per document: file, path, pages, seconds, company, engine, warnings, timings, ocr_pages,
                error (a PDF that opens but holds no statement), counts of statements and checks
    statements  one row per statement: type, title, pages, confidence, scale, currency, entity, periods (a list of
                {key, label, end, start, months, restated}), checks passed / failed / not verified
    items       one row per line item: label, level, section, is_total, unit, note, page, box, confidence, engine
    values      one row per line item and period: value (as printed; × scale for money), raw (the printed text),
                page, box (of the printed figure), confidence, and the statement type, label, scale, currency and
                unit beside it so that a query needs no join
    checks      one row per check: name, ok (true / false / null = not verified), detail, period, expected, actual
    failures    one row per document that could not be extracted: the one-line reason and its kind

`document_tables(doc)` and `documents_from_tables(...)` are exact inverses (a test holds them to it): a field the
model gains later that these tables do not name yet travels in an `extra` JSON column of its row, so the rows
still rebuild the document that `finsheet extract --json` prints.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import polars as pl

from finsheet.model import Check, Document, LineItem, Period, Statement

TableName = Literal["documents", "statements", "items", "values", "checks", "failures"]
DOCUMENT_TABLES: tuple[TableName, ...] = ("statements", "items", "values", "checks", "documents")
"""The tables one extracted document writes, in the order they are written: `documents` last, so that a document
listed there has all its rows in the others (a run killed in between leaves nothing a reader would count)."""

FailureKind = Literal["unreadable", "pdf", "error", "timeout", "killed"]
"""Why a document failed: its file could not be read; it is not a PDF that opens (damaged, encrypted, empty);
the extraction raised; it ran past the per-document timeout; it killed its worker too often (crash, memory)."""

_BOX = pl.List(pl.Float64)
_PERIOD = pl.Struct({"key": pl.String, "label": pl.String, "end": pl.Date, "start": pl.Date, "months": pl.Int32,
                     "restated": pl.Boolean, "extra": pl.String})
_TIMING = pl.Struct({"stage": pl.String, "seconds": pl.Float64})

SCHEMAS: dict[TableName, dict[str, pl.DataType]] = {
    "documents": {
        "sha256": pl.String(), "file": pl.String(), "path": pl.String(), "pages": pl.Int32(),
        "seconds": pl.Float64(), "company": pl.String(), "engine": pl.String(), "warnings": pl.List(pl.String),
        "timings": pl.List(_TIMING), "ocr_pages": pl.List(pl.Int32), "error": pl.String(),
        "statements": pl.Int32(), "checks_passed": pl.Int32(), "checks_failed": pl.Int32(),
        "extracted_at": pl.Datetime("us", "UTC"), "extra": pl.String(),
    },
    "statements": {
        "sha256": pl.String(), "statement": pl.Int32(), "type": pl.String(), "title": pl.String(),
        "pages": pl.List(pl.Int32), "confidence": pl.Float64(), "scale": pl.Int64(), "currency": pl.String(),
        "entity": pl.String(), "periods": pl.List(_PERIOD), "checks_passed": pl.Int32(),
        "checks_failed": pl.Int32(), "checks_unverified": pl.Int32(), "extra": pl.String(),
    },
    "items": {
        "sha256": pl.String(), "statement": pl.Int32(), "item": pl.Int32(), "statement_type": pl.String(),
        "label": pl.String(), "level": pl.Int32(), "section": pl.List(pl.String), "is_total": pl.Boolean(),
        "unit": pl.String(), "note": pl.String(), "page": pl.Int32(), "box": _BOX, "confidence": pl.Float64(),
        "engine": pl.String(), "extra": pl.String(),
    },
    "values": {
        "sha256": pl.String(), "statement": pl.Int32(), "item": pl.Int32(), "period": pl.String(),
        "value": pl.Float64(), "in_values": pl.Boolean(), "raw": pl.String(), "page": pl.Int32(), "box": _BOX,
        "confidence": pl.Float64(), "statement_type": pl.String(), "label": pl.String(), "scale": pl.Int64(),
        "currency": pl.String(), "unit": pl.String(),
    },
    "checks": {
        "sha256": pl.String(), "statement": pl.Int32(), "check": pl.Int32(), "statement_type": pl.String(),
        "name": pl.String(), "ok": pl.Boolean(), "detail": pl.String(), "period": pl.String(),
        "expected": pl.Float64(), "actual": pl.Float64(), "extra": pl.String(),
    },
    "failures": {
        "sha256": pl.String(), "file": pl.String(), "path": pl.String(), "kind": pl.String(),
        "reason": pl.String(), "failed_at": pl.Datetime("us", "UTC"),
    },
}

# The model fields each table names in columns of its own; any other field goes to the row's `extra` JSON.
_NAMED: dict[type, set[str]] = {
    Document: {"file", "sha256", "pages", "seconds", "statements", "company", "engine", "warnings", "timings",
               "ocr_pages", "error"},
    Statement: {"type", "title", "pages", "confidence", "scale", "currency", "periods", "items", "checks", "entity"},
    Period: {"key", "label", "end", "start", "months", "restated"},
    LineItem: {"label", "level", "section", "is_total", "page", "box", "confidence", "values", "raw", "unit", "note",
               "boxes", "engine"},
    Check: {"name", "ok", "detail", "period", "expected", "actual"},
}


def _extra(model: Document | Statement | Period | LineItem | Check) -> str | None:
    """The fields of a model that no column names, as JSON (None when there are none)."""
    rest = set(type(model).model_fields) - _NAMED[type(model)]
    if not rest:
        return None
    return json.dumps(model.model_dump(mode="json", include=rest), sort_keys=True)


def _with_extra(fields: dict[str, Any], extra: str | None) -> dict[str, Any]:
    return {**fields, **json.loads(extra)} if extra else fields


def frame(table: TableName, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as a frame of the table's schema (columns in schema order, types fixed even with no rows)."""
    return pl.DataFrame(rows, schema=SCHEMAS[table])


def document_tables(doc: Document, *, path: str, extracted_at: datetime | None = None) -> dict[TableName, pl.DataFrame]:
    """One extracted document as the rows of the five document tables (`path`: where its PDF was read from)."""
    sha = doc.sha256
    rows: dict[TableName, list[dict[str, Any]]] = defaultdict(list)
    for s, st in enumerate(doc.statements):
        kind = st.type.value
        rows["statements"].append({
            "sha256": sha, "statement": s, "type": kind, "title": st.title, "pages": st.pages,
            "confidence": st.confidence, "scale": st.scale, "currency": st.currency, "entity": st.entity,
            "periods": [{**p.model_dump(include=_NAMED[Period]), "extra": _extra(p)} for p in st.periods],
            "checks_passed": sum(c.ok is True for c in st.checks),
            "checks_failed": sum(c.ok is False for c in st.checks),
            "checks_unverified": sum(c.ok is None for c in st.checks), "extra": _extra(st),
        })
        for i, item in enumerate(st.items):
            rows["items"].append({
                "sha256": sha, "statement": s, "item": i, "statement_type": kind, "label": item.label,
                "level": item.level, "section": item.section, "is_total": item.is_total, "unit": item.unit,
                "note": item.note, "page": item.page, "box": list(item.box), "confidence": item.confidence,
                "engine": item.engine, "extra": _extra(item),
            })
            # every period the item prints something for, in the order of its values, then its raw texts and boxes
            keys = list(dict.fromkeys([*item.values, *item.raw, *item.boxes]))
            for key in keys:
                box = item.boxes.get(key)
                rows["values"].append({
                    "sha256": sha, "statement": s, "item": i, "period": key, "value": item.values.get(key),
                    "in_values": key in item.values, "raw": item.raw.get(key), "page": item.page,
                    "box": list(box) if box is not None else None, "confidence": item.confidence,
                    "statement_type": kind, "label": item.label, "scale": st.scale, "currency": st.currency,
                    "unit": item.unit,
                })
        for c, check in enumerate(st.checks):
            rows["checks"].append({
                "sha256": sha, "statement": s, "check": c, "statement_type": kind,
                **check.model_dump(include=_NAMED[Check]), "extra": _extra(check),
            })
    checks = [c for st in doc.statements for c in st.checks]
    rows["documents"].append({
        "sha256": sha, "file": doc.file, "path": path, "pages": doc.pages, "seconds": doc.seconds,
        "company": doc.company, "engine": doc.engine, "warnings": doc.warnings,
        "timings": [{"stage": k, "seconds": v} for k, v in doc.timings.items()], "ocr_pages": doc.ocr_pages,
        "error": doc.error, "statements": len(doc.statements), "checks_passed": sum(c.ok is True for c in checks),
        "checks_failed": sum(c.ok is False for c in checks), "extracted_at": extracted_at or datetime.now(UTC),
        "extra": _extra(doc),
    })
    return {table: frame(table, rows[table]) for table in DOCUMENT_TABLES}


def failure_frame(*, sha256: str | None, file: str, path: str, kind: FailureKind, reason: str) -> pl.DataFrame:
    """The one failures row of a document that could not be extracted."""
    return frame("failures", [{"sha256": sha256, "file": file, "path": path, "kind": kind, "reason": reason,
                               "failed_at": datetime.now(UTC)}])


def documents_from_tables(tables: Mapping[TableName, pl.DataFrame]) -> Iterator[tuple[str, Document]]:
    """(path, Document) for every row of `documents`, rebuilt with its statements, items, values and checks from
    the other tables (any of which may be absent or empty)."""
    empty = {name: frame(name, []) for name in DOCUMENT_TABLES}
    parts = {name: _by_sha(tables.get(name, empty[name])) for name in ("statements", "items", "values", "checks")}
    for row in tables.get("documents", empty["documents"]).iter_rows(named=True):
        sha = row["sha256"]
        statements = _statements(*(parts[name].get(sha, []) for name in ("statements", "items", "values", "checks")))
        doc = Document.model_validate(_with_extra({
            "file": row["file"], "sha256": sha, "pages": row["pages"], "seconds": row["seconds"],
            "statements": statements, "company": row["company"], "engine": row["engine"],
            "warnings": row["warnings"] or [], "timings": {t["stage"]: t["seconds"] for t in row["timings"] or []},
            "ocr_pages": row["ocr_pages"] or [], "error": row["error"],
        }, row["extra"]))
        yield row["path"], doc


def _by_sha(df: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in df.iter_rows(named=True):
        grouped[row["sha256"]].append(row)
    return grouped


def _statements(
    statements: list[dict[str, Any]], items: list[dict[str, Any]], values: list[dict[str, Any]],
    checks: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The statements of one document as the model's fields, from its rows (each table sorted by position)."""
    item_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(items, key=lambda r: (r["statement"], r["item"])):
        item_rows[row["statement"]].append(row)
    value_rows: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in values:  # kept in written order: the order of the item's periods
        value_rows[(row["statement"], row["item"])].append(row)
    check_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(checks, key=lambda r: (r["statement"], r["check"])):
        check_rows[row["statement"]].append(row)
    out = []
    for row in sorted(statements, key=lambda r: r["statement"]):
        s = row["statement"]
        out.append(_with_extra({
            "type": row["type"], "title": row["title"], "pages": row["pages"], "confidence": row["confidence"],
            "scale": row["scale"], "currency": row["currency"], "entity": row["entity"],
            "periods": [_with_extra({k: v for k, v in p.items() if k != "extra"}, p["extra"])
                        for p in row["periods"] or []],
            "items": [_item(r, value_rows[(s, r["item"])]) for r in item_rows[s]],
            "checks": [_with_extra({k: r[k] for k in _NAMED[Check]}, r["extra"]) for r in check_rows[s]],
        }, row["extra"]))
    return out


def _item(row: dict[str, Any], values: list[dict[str, Any]]) -> dict[str, Any]:
    return _with_extra({
        "label": row["label"], "level": row["level"], "section": row["section"] or [], "is_total": row["is_total"],
        "page": row["page"], "box": tuple(row["box"]), "confidence": row["confidence"], "unit": row["unit"],
        "note": row["note"], "engine": row["engine"],
        "values": {v["period"]: v["value"] for v in values if v["in_values"]},
        "raw": {v["period"]: v["raw"] for v in values if v["raw"] is not None},
        "boxes": {v["period"]: tuple(v["box"]) for v in values if v["box"] is not None},
    }, row["extra"])
