"""The batch output folder: one Parquet file per document and table, each written atomically.

    OUT/documents/<sha256>.parquet     OUT/statements/<sha256>.parquet    OUT/items/<sha256>.parquet
    OUT/values/<sha256>.parquet        OUT/checks/<sha256>.parquet        OUT/failures/<key>.parquet

Read a table whole with a glob: `duckdb.sql("SELECT * FROM 'OUT/values/*.parquet'")`,
`pl.scan_parquet("OUT/values/*.parquet")`, or `read_table(out, "values")` here.

Each file is written under a temporary name beside its final one and renamed into place (a rename is atomic), so a
reader never sees half a file and a killed run loses nothing it had written. A document's `documents` file is
renamed last: a document listed there is complete, and that listing is what a rerun skips (`done()`). The files are
named by sha256, so writing a document again replaces its files: never a duplicate row. A document with no rows
for a table (no checks, say) has no file in it. A failure is a file in `failures/` until the document succeeds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from finsheet.batch.tables import DOCUMENT_TABLES, SCHEMAS, TableName, frame
from finsheet.errors import FinsheetError

SUFFIX = ".parquet"
PATH_KEY = "path-"
"""The failures of paths that could not be read are named PATH_KEY + the path's hash."""
_TMP = ".tmp"


class BatchOutputError(FinsheetError):
    """The output folder cannot be used: not writable, or another batch is writing to it."""


def write_document(out: Path, sha256: str, tables: Mapping[TableName, pl.DataFrame]) -> None:
    """Write one document's tables, the `documents` row last; tables with no rows remove any older file."""
    for table in DOCUMENT_TABLES:
        target = out / table / f"{sha256}{SUFFIX}"
        rows = tables.get(table)
        if rows is None or rows.is_empty():
            target.unlink(missing_ok=True)
            continue
        _write_atomic(rows, target)


def write_failure(out: Path, key: str, rows: pl.DataFrame) -> None:
    """Record why a document (or an unreadable path) failed; `key` is its sha256, or `failure_key(path)`."""
    _write_atomic(rows, out / "failures" / f"{key}{SUFFIX}")


def clear_failure(out: Path, key: str) -> None:
    (out / "failures" / f"{key}{SUFFIX}").unlink(missing_ok=True)


def failure_key(path: str) -> str:
    """The failures file of a path that has no sha256 (it could not be read): named by the path's own hash."""
    return PATH_KEY + hashlib.sha256(path.encode()).hexdigest()


def done(out: Path) -> set[str]:
    """The sha256s of the documents completely written."""
    return _keys(out / "documents")


def failed(out: Path) -> set[str]:
    """The keys of the failures recorded (sha256s, and `failure_key`s of unreadable paths)."""
    return _keys(out / "failures")


def read_table(out: Path, table: TableName, shas: set[str] | None = None) -> pl.DataFrame:
    """One table of the output (only these documents' rows when `shas` is given), in the table's schema."""
    files = sorted((out / table).glob(f"*{SUFFIX}"))
    if shas is not None:
        files = [f for f in files if f.stem in shas]
    if not files:
        return frame(table, [])
    # file by file: files written by another finsheet version may lack a column (it reads as null)
    parts = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    schema = SCHEMAS[table]
    return parts.select(
        [pl.col(c).cast(t) if c in parts.columns else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()]
    )


@contextmanager
def open_output(out: Path) -> Iterator[Path]:
    """The output folder, created with its table folders and held for this run: a second batch on the same folder
    is refused while this one runs (two writers would redo each other's work). Left-over temporary files of a run
    that was killed are removed."""
    try:
        for table in SCHEMAS:
            (out / table).mkdir(parents=True, exist_ok=True)
        handle = (out / ".lock").open("w")
    except OSError as exc:
        raise BatchOutputError(f"cannot write the batch output to {out}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BatchOutputError(f"another batch is writing to {out}: wait for it to finish") from exc
        for table in SCHEMAS:
            for leftover in (out / table).glob(f".*{_TMP}"):
                leftover.unlink(missing_ok=True)
        yield out.resolve()
    finally:
        handle.close()


def _keys(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {entry.name[: -len(SUFFIX)] for entry in os.scandir(folder) if entry.name.endswith(SUFFIX)
            and not entry.name.startswith(".")}


def _write_atomic(rows: pl.DataFrame, target: Path) -> None:
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}{_TMP}")
    try:
        rows.write_parquet(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
