"""Where a consolidation's documents come from: PDF files (extracted now, no database) or the store.

    from_files(paths, *, settings, overrides) -> Consolidation
    from_store(store, viewer, *, company=..., consolidation_id=...) -> Gathered
    save(store, viewer, gathered, *, name) -> consolidation id

These are the plain functions the CLI, the job queue and the Consolidate page call; the work itself is
`consolidate.consolidate` and `workbook.build_workbook_bytes`. `consolidate_task` and `workbook_task` are the job
kinds "consolidate" and "workbook" (registered below; the queue imports this module as it starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finsheet.consolidate.alignment import Consolidation, consolidate
from finsheet.consolidate.mapping import ConsolidationSettings, Overrides
from finsheet.errors import PdfError, StorageError
from finsheet.jobs.queue import TaskContext, register_task
from finsheet.model import Document
from finsheet.settings import Settings

if TYPE_CHECKING:
    from finsheet.store import Store, Viewer


@dataclass(slots=True)
class Gathered:
    """A consolidation built from stored documents, with what is needed to save it again."""

    consolidation: Consolidation
    company: str
    document_ids: list[int]
    consolidation_id: int | None = None
    name: str = ""
    skipped: list[str] = field(default_factory=list)


def extract_files(paths: Sequence[Path], *, settings: Settings | None = None) -> list[Document]:
    """Each PDF extracted; one that cannot be read becomes a Document with `error` set, so the others go on."""
    from finsheet.extraction.pipeline import extract

    docs = []
    for path in paths:
        try:
            docs.append(extract(path, settings=settings))
        except PdfError as exc:
            docs.append(Document(file=Path(path).name, sha256="", pages=0, error=str(exc)))
    return docs


def from_files(
    paths: Sequence[Path],
    *,
    settings: ConsolidationSettings | None = None,
    overrides: Overrides | None = None,
    extract_settings: Settings | None = None,
) -> Consolidation:
    """Extract the PDFs and consolidate them (files that fail are named in `warnings`)."""
    return consolidate(extract_files(paths, settings=extract_settings), settings=settings, overrides=overrides)


def from_store(
    store: Store,
    viewer: Viewer,
    *,
    company: str | None = None,
    consolidation_id: int | None = None,
    settings: ConsolidationSettings | None = None,
) -> Gathered:
    """A saved consolidation by id, else the company's most recent saved one, else all the company's documents.

    Raises StorageError when there is no such consolidation or the company has no extracted document.
    """
    record = None
    if consolidation_id is not None:
        record = store.get_consolidation(viewer, consolidation_id)
        if record is None:
            raise StorageError(f"consolidation {consolidation_id} does not exist")
    elif company is not None:
        saved = store.list_consolidations(viewer, company)
        record = saved[0] if saved else None
    else:
        raise StorageError("name a company or a saved consolidation")
    if record is not None:
        company = record.company
        ids = list(record.document_ids)
        settings = settings or ConsolidationSettings.model_validate(record.settings)
        overrides = Overrides.model_validate(record.overrides)
    else:
        assert company is not None
        ids = sorted(d.id for d in store.list_documents(viewer, company=company) if d.status == "completed")
        overrides = Overrides()
        if not ids:
            known = ", ".join(store.companies(viewer)) or "none yet"
            raise StorageError(f"no extracted document of company {company!r} (companies: {known})")
    result, skipped = consolidate_stored(store, viewer, ids, settings=settings, overrides=overrides, company=company)
    return Gathered(result, company, ids, record.id if record else None, record.name if record else "", skipped)


def consolidate_stored(
    store: Store, viewer: Viewer, ids: Sequence[int], *, settings: ConsolidationSettings | None,
    overrides: Overrides | None, company: str | None,
) -> tuple[Consolidation, list[str]]:
    """Consolidate stored documents; those never extracted are named (first) in the result's warnings."""
    docs, skipped = [], []
    for doc_id in ids:
        doc = store.load_document(viewer, doc_id)
        if doc is None:
            skipped.append(f"document {doc_id} was never extracted")
        else:
            docs.append(doc)
    result = consolidate(docs, settings=settings, overrides=overrides, company=company)
    result.warnings[:0] = skipped
    return result, skipped


def save(store: Store, viewer: Viewer, gathered: Gathered, *, name: str | None = None) -> int:
    """Save (or update) the consolidation's documents, settings and overrides; its id."""
    c = gathered.consolidation
    return store.save_consolidation(
        viewer,
        company=gathered.company,
        name=name or gathered.name or gathered.company,
        document_ids=gathered.document_ids,
        settings=c.settings.model_dump(mode="json"),
        overrides=c.overrides.model_dump(mode="json"),
        consolidation_id=gathered.consolidation_id,
    )


# --------------------------------------------------------------------------- job queue tasks


def _viewer(owner: str) -> Viewer:
    from finsheet.store import UserRef

    return UserRef(username=owner)  # a job sees what its owner sees


def _summary(gathered: Gathered) -> dict[str, Any]:
    c = gathered.consolidation
    return {
        "company": gathered.company,
        "documents": len(c.documents),
        "statements": {k.value: f"{len(s.periods)} periods × {len(s.accounts)} accounts"
                       for k, s in c.statements.items()},
        "restatements": len(c.restatements),
        "suggestions": sum(not s.applied for s in c.suggestions),
        "warnings": c.warnings[:20],
    }


def consolidate_task(ctx: TaskContext) -> dict[str, Any]:
    """Job "consolidate": payload {"consolidation_id": 7} or {"company": "ACME"}, optionally "name" to save it."""
    payload = ctx.job.payload
    ctx.progress("load", 0.1)
    gathered = from_store(ctx.store, _viewer(ctx.job.owner), company=payload.get("company"),
                          consolidation_id=payload.get("consolidation_id"))
    ctx.progress("save", 0.9)
    result = _summary(gathered)
    if payload.get("name"):
        result["consolidation_id"] = save(ctx.store, _viewer(ctx.job.owner), gathered, name=payload["name"])
    return result


def workbook_task(ctx: TaskContext) -> dict[str, Any]:
    """Job "workbook": the same payload; writes data/workbooks/<owner>-<company>-<time>.xlsx and returns its path."""
    from datetime import datetime

    from finsheet.export.workbook import write_workbook

    payload = ctx.job.payload
    ctx.progress("load", 0.1)
    gathered = from_store(ctx.store, _viewer(ctx.job.owner), company=payload.get("company"),
                          consolidation_id=payload.get("consolidation_id"))
    ctx.progress("write", 0.6)
    folder = ctx.settings.data_dir / "workbooks"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() else "-" for ch in f"{ctx.job.owner}-{gathered.company}")[:80]
    path = folder / f"{safe}-{datetime.now():%Y%m%d-%H%M%S}-{ctx.job.id}.xlsx"
    write_workbook(gathered.consolidation, path)
    return {**_summary(gathered), "path": str(path), "bytes": path.stat().st_size}


register_task("consolidate", consolidate_task)
register_task("workbook", workbook_task)
