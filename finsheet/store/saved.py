"""Saved consolidations and the LLM response cache: JSON the other engines define, kept by the store."""

from __future__ import annotations

from typing import Any

from finsheet.errors import StorageError
from finsheet.model import CacheKey
from finsheet.store.base import StoreBase, dumps, loads
from finsheet.store.records import CacheStats, ConsolidationRecord, Viewer

_CONSOLIDATION_COLUMNS = "id, owner, company, name, document_ids, settings, overrides, created_at, updated_at"


def _consolidation(row: tuple[Any, ...]) -> ConsolidationRecord:
    data = dict(zip(_CONSOLIDATION_COLUMNS.split(", "), row, strict=True))
    data["settings"], data["overrides"] = loads(data["settings"], {}), loads(data["overrides"], {})
    return ConsolidationRecord.model_validate(data)


def _pages(key: CacheKey) -> str:
    return ",".join(map(str, key.pages))


class SavedMixin(StoreBase):
    # ------------------------------------------------------------------ consolidations

    def save_consolidation(
        self,
        viewer: Viewer,
        *,
        company: str,
        name: str,
        document_ids: list[int],
        settings: dict[str, Any],
        overrides: dict[str, Any],
        consolidation_id: int | None = None,
    ) -> int:
        """Save a consolidation (update it when `consolidation_id` is given); its id. The documents must be the
        viewer's (or any for an admin)."""
        with self._write() as cur:
            if document_ids:
                marks = ", ".join("?" * len(document_ids))
                owners = cur.execute(
                    f"SELECT id, owner FROM documents WHERE id IN ({marks})", list(document_ids)
                ).fetchall()
                missing = set(document_ids) - {r[0] for r in owners}
                if missing:
                    raise StorageError(f"no such document(s): {', '.join(map(str, sorted(missing)))}")
                for doc_id, owner in owners:
                    self._require_access(viewer, owner, f"document {doc_id}")
            values = [company, name, list(document_ids), dumps(settings), dumps(overrides)]
            if consolidation_id is None:
                row = cur.execute(
                    "INSERT INTO consolidations (owner, company, name, document_ids, settings, overrides) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [viewer.username, *values],
                ).fetchone()
                assert row is not None
                return int(row[0])
            found = cur.execute("SELECT owner FROM consolidations WHERE id = ?", [consolidation_id]).fetchone()
            if found is None:
                raise StorageError(f"consolidation {consolidation_id} does not exist")
            self._require_access(viewer, found[0], f"consolidation {consolidation_id}")
            cur.execute(
                "UPDATE consolidations SET company = ?, name = ?, document_ids = ?, settings = ?, overrides = ?, "
                "updated_at = current_localtimestamp() WHERE id = ?",
                [*values, consolidation_id],
            )
            return consolidation_id

    def get_consolidation(self, viewer: Viewer, consolidation_id: int) -> ConsolidationRecord | None:
        """One consolidation; None when there is none, AuthError when it is another user's."""
        with self._read() as cur:
            row = cur.execute(
                f"SELECT {_CONSOLIDATION_COLUMNS} FROM consolidations WHERE id = ?", [consolidation_id]
            ).fetchone()
        if row is None:
            return None
        record = _consolidation(row)
        self._require_access(viewer, record.owner, f"consolidation {consolidation_id}")
        return record

    def list_consolidations(self, viewer: Viewer, company: str | None = None) -> list[ConsolidationRecord]:
        where, params = self._owner_filter(viewer)
        if company is not None:
            where += " AND company = ?"
            params = [*params, company]
        with self._read() as cur:
            rows = cur.execute(
                f"SELECT {_CONSOLIDATION_COLUMNS} FROM consolidations WHERE {where} ORDER BY updated_at DESC, id DESC",
                params,
            ).fetchall()
        return [_consolidation(r) for r in rows]

    def delete_consolidation(self, viewer: Viewer, consolidation_id: int) -> bool:
        if self.get_consolidation(viewer, consolidation_id) is None:
            return False
        with self._write() as cur:
            cur.execute("DELETE FROM consolidations WHERE id = ?", [consolidation_id])
        return True

    # ------------------------------------------------------------------ LLM response cache

    def cache_get(self, key: CacheKey) -> str | None:
        """The stored answer for this key (counted as a hit), or None."""
        params = [key.sha256, _pages(key), key.engine, key.model, key.prompt_version]
        where = "sha256 = ? AND pages = ? AND engine = ? AND model = ? AND prompt_version = ?"
        with self._write() as cur:
            row = cur.execute(f"SELECT value FROM llm_cache WHERE {where}", params).fetchone()
            if row is not None:
                cur.execute(f"UPDATE llm_cache SET hits = hits + 1 WHERE {where}", params)
        return None if row is None else str(row[0])

    def cache_put(self, key: CacheKey, value: str) -> None:
        with self._write() as cur:
            cur.execute(
                "INSERT INTO llm_cache (sha256, pages, engine, model, prompt_version, value) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET value = excluded.value, created_at = current_localtimestamp()",
                [key.sha256, _pages(key), key.engine, key.model, key.prompt_version, value],
            )

    def cache_entries(self, sha256: str | None = None) -> list[tuple[CacheKey, str]]:
        """Every cached answer (of one PDF when `sha256` is given), to hand to an extraction child process."""
        where, params = ("sha256 = ?", [sha256]) if sha256 is not None else ("true", [])
        with self._read() as cur:
            rows = cur.execute(
                f"SELECT sha256, pages, engine, model, prompt_version, value FROM llm_cache WHERE {where}", params
            ).fetchall()
        return [
            (CacheKey(sha256=r[0], pages=tuple(int(p) for p in r[1].split(",") if p), engine=r[2], model=r[3],
                      prompt_version=r[4]), str(r[5]))
            for r in rows
        ]

    def cache_clear(self) -> int:
        """Empty the cache; the number of answers removed."""
        with self._write() as cur:
            row = cur.execute("SELECT count(*) FROM llm_cache").fetchone()
            cur.execute("DELETE FROM llm_cache")
        return int(row[0]) if row else 0

    def cache_stats(self) -> CacheStats:
        with self._read() as cur:
            row = cur.execute(
                "SELECT count(*), coalesce(sum(strlen(value)), 0), coalesce(sum(hits), 0) FROM llm_cache"
            ).fetchone()
        assert row is not None
        return CacheStats(entries=row[0], bytes=row[1], hits=row[2])
