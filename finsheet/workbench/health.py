"""Health checks for `finsheet doctor` and the admin page: database, disk, tesseract, the job queue (in the app,
where one runs) and the optional services.

Each check is one `HealthCheck(name, ok, detail)`. An optional service that is switched off is healthy ("off");
one that is configured but does not answer is not.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from finsheet.errors import FinsheetError
from finsheet.settings import Settings
from finsheet.store import SCHEMA_VERSION, HealthCheck, Store

if TYPE_CHECKING:
    from finsheet.jobs.queue import JobQueue

MIN_FREE_BYTES = 1024**3
"""Below 1 GB free in the data dir, uploads and the database may soon fail."""


def health(
    settings: Settings, store: Store | None = None, *, check_services: bool = True, queue: JobQueue | None = None
) -> list[HealthCheck]:
    """Every check, in a fixed order. Without `store`, the database is opened (and closed) to check it. With
    `queue` (the app's), its workers too."""
    checks = [check_database(settings, store), check_disk(settings.data_dir), check_tesseract(), check_smtp(settings)]
    if queue is not None:
        checks.insert(1, check_queue(queue))
    checks.extend(engine_checks(settings, check=check_services))
    return checks


def check_queue(queue: JobQueue) -> HealthCheck:
    """The job queue's workers: all alive and every finished job recorded. A dead worker is restarted by the
    queue's supervisor within a second or two; this says how often that happened and the last error."""
    state = queue.health()
    return HealthCheck(name="job queue", ok=state.ok, detail=state.summary)


def check_database(settings: Settings, store: Store | None = None) -> HealthCheck:
    try:
        own = store is None
        db = store or Store.open(settings)
        try:
            version = db.schema_version
            counts = db.job_counts()
        finally:
            if own:
                db.close()
    except FinsheetError as exc:
        return HealthCheck(name="database", ok=False, detail=str(exc))
    path = Path(db.path)
    # The write-ahead log holds what is not yet checkpointed into the file: the size on disk is both.
    wal = path.with_name(path.name + ".wal")
    on_disk = sum(p.stat().st_size for p in (path, wal) if p.is_file())
    size = f", {on_disk / 1024 / 1024:.1f} MB" if path.is_file() else ""
    jobs = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no jobs"
    ok = version == SCHEMA_VERSION
    detail = f"{db.path} (schema {version}{'' if ok else f', expected {SCHEMA_VERSION}'}{size}; {jobs})"
    return HealthCheck(name="database", ok=ok, detail=detail)


def check_disk(directory: Path) -> HealthCheck:
    probe = directory
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent  # the data dir may not exist yet: measure where it will be created
    try:
        free = shutil.disk_usage(probe).free
    except OSError as exc:
        return HealthCheck(name="disk", ok=False, detail=f"cannot measure free space in {directory}: {exc}")
    detail = f"{free / 1024**3:.1f} GB free in {probe.resolve()}"
    return HealthCheck(name="disk", ok=free >= MIN_FREE_BYTES, detail=detail)


def check_tesseract() -> HealthCheck:
    from finsheet.extraction.ocr import tesseract_path

    path = tesseract_path()
    if path is None:
        return HealthCheck(name="tesseract", ok=False, detail="not installed: scanned pages cannot be OCR'd")
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return HealthCheck(name="tesseract", ok=False, detail=f"{path} does not run: {exc}")
    version = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "unknown version"
    return HealthCheck(name="tesseract", ok=out.returncode == 0, detail=f"{version} ({path})")


def check_smtp(settings: Settings) -> HealthCheck:
    from finsheet.jobs.notify import check_smtp as probe

    if not settings.smtp_enabled:
        return HealthCheck(name="email", ok=True, detail="off: set FINSHEET_SMTP_HOST to email job outcomes")
    try:
        return HealthCheck(name="email", ok=True, detail=probe(settings))
    except FinsheetError as exc:
        return HealthCheck(name="email", ok=False, detail=str(exc))


def engine_checks(settings: Settings, *, check: bool = True) -> list[HealthCheck]:
    """The optional engines' own status functions (`engines.whisperer.status`, `engines.llm.status`)."""
    results: list[HealthCheck] = []
    for module in ("finsheet.engines.whisperer", "finsheet.engines.llm"):
        try:
            status: Callable[..., object] = importlib.import_module(module).status
        except (ImportError, AttributeError):
            continue
        try:
            engine = status(settings, check=check)
        except FinsheetError as exc:
            results.append(HealthCheck(name=module.rsplit(".", 1)[1], ok=False, detail=str(exc)))
            continue
        name = str(getattr(engine, "name", module))
        reachable = getattr(engine, "reachable", None)
        results.append(HealthCheck(name=name, ok=reachable is not False, detail=str(getattr(engine, "detail", ""))))
    return results
