"""What a batch reads: PDF files, folders of them, manifests listing them — as documents keyed by their sha256.

    plan = collect(["filings/", "extra.pdf", "manifest.tsv"])
    plan.documents      # one Source per distinct content (the same bytes under two names are one document)
    plan.unreadable     # paths that could not be read, each with its reason

A folder gives every `*.pdf` under it (any case, recursively); a `.tsv` or `.csv` file is a manifest whose `path`
column (or, failing that, `file` column) names the PDFs, relative to the manifest's folder unless absolute; any
other file is taken as a PDF (what it really is, the extraction says). Hashing reads each file once, here, on the
machine that starts the batch: the sha256 is what makes a rerun skip what is done.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_SUFFIXES = {".tsv": "\t", ".csv": ","}
PATH_COLUMNS = ("path", "file")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Source:
    """One document to extract: where its bytes are (absolute), their sha256 and size."""

    path: str
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path given (or listed) that names no readable file: what the failures table records for it."""

    path: str
    reason: str


@dataclass(slots=True)
class Plan:
    documents: list[Source] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    duplicates: int = 0
    """Paths skipped because an earlier one has the same bytes."""


def collect(sources: Sequence[str | Path]) -> Plan:
    """Every document the sources name, in the order given, each distinct content once."""
    plan = Plan()
    seen: set[str] = set()
    for path, problem in _expand(sources):
        if problem:
            plan.unreadable.append(Unreadable(str(path), problem))
            continue
        try:
            digest, size = file_sha256(path)
        except OSError as exc:
            plan.unreadable.append(Unreadable(str(path), f"{path.name}: cannot read the file ({exc.strerror})"))
            continue
        if digest in seen:
            plan.duplicates += 1
            continue
        seen.add(digest)
        plan.documents.append(Source(path=str(path), sha256=digest, size=size))
    return plan


def file_sha256(path: Path) -> tuple[str, int]:
    """The sha256 of a file's bytes (read in chunks: a filing can be large) and its size."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _expand(sources: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(absolute path, None) for each file named, or (path, reason) for one that cannot be."""
    for given in sources:
        path = Path(given).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            yield from ((p.resolve(), None) for p in found)
        elif path.suffix.lower() in MANIFEST_SUFFIXES and path.is_file():
            yield from _manifest(path)
        elif path.is_file():
            yield path.resolve(), None
        else:
            yield path.absolute(), f"{path.name}: no such file or folder"


def _manifest(path: Path) -> Iterator[tuple[Path, str | None]]:
    """The files a manifest lists in its path (or file) column; a manifest without one is itself unreadable."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle, delimiter=MANIFEST_SUFFIXES[path.suffix.lower()]))
            columns = [c.strip().lower() for c in (rows[0].keys() if rows else [])]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        yield path.resolve(), f"{path.name}: cannot read the manifest ({exc})"
        return
    column = next((c for c in PATH_COLUMNS if c in columns), None)
    if column is None:
        yield path.resolve(), f"{path.name}: the manifest has no 'path' or 'file' column"
        return
    for row in rows:
        value = next((v for k, v in row.items() if k and k.strip().lower() == column), None)
        if not value or not value.strip():
            continue
        listed = Path(value.strip()).expanduser()
        listed = listed if listed.is_absolute() else path.parent / listed
        if listed.is_file():
            yield listed.resolve(), None
        else:
            yield listed.absolute(), f"{listed.name}: no such file (listed in {path.name})"
