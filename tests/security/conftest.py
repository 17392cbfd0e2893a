"""Fixtures of the security tests: settings on disk in a tmp dir (the store on them is tests/conftest.py's), the
process umask kept, and the server `make run` starts (bootstrap, then `streamlit run app.py`) on a free loopback
port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from finsheet.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", login_max_failures=5, login_client_max_failures=20,
                    login_lockout_minutes=15)


@pytest.fixture
def keep_umask() -> Iterator[None]:
    """protect_data_dir sets the process umask: give the other tests theirs back."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


ROOT = Path(__file__).resolve().parents[2]
StartApp = Callable[[dict[str, str], Sequence[str]], str]
"""The `streamlit_app` fixture (tests/conftest.py)."""


@pytest.fixture
def served(tmp_path: Path, streamlit_app: StartApp) -> tuple[str, str]:
    """What `make run` does, in a tmp data dir: the bootstrap step (its printed one-time admin password is
    returned), then `streamlit run app.py` with the repo's .streamlit/config.toml. Returns (url, password)."""
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "data"), "FINSHEET_OCR": "false",
           "OMP_THREAD_LIMIT": "1"}
    env.pop("FINSHEET_ADMIN_PASSWORD", None)
    boot = subprocess.run([sys.executable, "-m", "finsheet.workbench.auth"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    found = re.search(r"one-time password\s+(\S+)", boot.stdout)
    assert found, boot.stdout + boot.stderr
    return streamlit_app(env, ()), found.group(1)
