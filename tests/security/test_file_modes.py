"""What finsheet writes is its owner's only: the DuckDB file and its WAL, the logs, the cookie key and the uploads
are 0600 and their directories 0700, from the app's start (protect_data_dir) and the `make run` bootstrap."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from finsheet.jobs.uploads import save_upload
from finsheet.logs import close_logging, log_event, setup_logging
from finsheet.settings import Settings
from finsheet.store import Store
from finsheet.workbench import auth

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _assert_private(root: Path) -> None:
    loose = {str(p.relative_to(root.parent)): oct(_mode(p)) for p in [root, *root.rglob("*")]
             if _mode(p) & 0o077}
    assert not loose, f"readable by others: {loose}"


@pytest.mark.usefixtures("keep_umask")
def test_everything_created_after_protect_is_private(tmp_path: Path, statement_pdf: Callable[..., bytes]) -> None:
    """Database, WAL, logs, cookie key, uploads: 0600 files in 0700 directories, even under a loose umask."""
    os.umask(0o022)
    settings = Settings(data_dir=tmp_path / "data")
    auth.protect_data_dir(settings)
    setup_logging(settings, stderr=False)
    try:
        store = Store.open(settings)
        auth.cookie_key(settings)
        save_upload(store, settings, statement_pdf(1), "acme.pdf", "ann")
        log_event("test.written")
        logging.getLogger("finsheet").handlers[0].flush()
        wal = settings.db_path.with_name(settings.db_path.name + ".wal")
        assert wal.exists(), "DuckDB keeps a WAL until the checkpoint at close"
        names = {p.name for p in settings.data_dir.rglob("*")}
        assert {"finsheet.duckdb", "finsheet.duckdb.wal", "finsheet.log", "cookie_key", "uploads"} <= names
        _assert_private(settings.data_dir)
        store.close()
    finally:
        close_logging()
    _assert_private(settings.data_dir)


@pytest.mark.usefixtures("keep_umask")
def test_an_old_world_readable_data_dir_is_tightened(tmp_path: Path) -> None:
    """Files an older finsheet left 0644 (and directories 0755) are made private at the next start; other files in
    the data dir (the committed demo documents) are left alone."""
    os.umask(0o022)
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    (data / "demo").mkdir()
    for name in ("finsheet.duckdb", "finsheet.duckdb.wal", "uploads/x.pdf", "demo/sample.pdf"):
        (data / name).write_bytes(b"x")
        (data / name).chmod(0o644)
    auth.protect_data_dir(Settings(data_dir=data))
    for name in ("finsheet.duckdb", "finsheet.duckdb.wal", "uploads/x.pdf"):
        assert _mode(data / name) == 0o600, name
    assert _mode(data / "uploads") == 0o700 and _mode(data) == 0o700
    assert _mode(data / "demo" / "sample.pdf") == 0o644, "the repository's demo files are not finsheet's to change"


def test_make_run_bootstrap_creates_a_private_data_dir(tmp_path: Path) -> None:
    """`python -m finsheet.workbench.auth` (make run's first step) under umask 022 leaves nothing readable."""
    data = tmp_path / "data"
    env = {**os.environ, "FINSHEET_DATA_DIR": str(data)}
    env.pop("FINSHEET_ADMIN_PASSWORD", None)
    done = subprocess.run([sys.executable, "-m", "finsheet.workbench.auth"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=lambda: os.umask(0o022))  # noqa: PLW1509
    assert done.returncode == 0, done.stderr
    assert (data / "finsheet.duckdb").is_file()
    _assert_private(data)
