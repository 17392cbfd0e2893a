"""Fixtures of the security tests: settings and a store on disk in a tmp dir, the process umask kept, and the server
`make run` starts (bootstrap, then `streamlit run app.py`) on a free loopback port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from finsheet.settings import Settings
from finsheet.store import Store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", login_max_failures=5, login_client_max_failures=20,
                    login_lockout_minutes=15)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings) as db:
        yield db


@pytest.fixture
def keep_umask() -> Iterator[None]:
    """protect_data_dir sets the process umask: give the other tests theirs back."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """What `make run` does, in a tmp data dir: the bootstrap step (its printed one-time admin password is
    returned), then `streamlit run app.py` with the repo's .streamlit/config.toml. Yields (url, password)."""
    env = {**os.environ, "FINSHEET_DATA_DIR": str(tmp_path / "data"), "FINSHEET_OCR": "false",
           "OMP_THREAD_LIMIT": "1"}
    env.pop("FINSHEET_ADMIN_PASSWORD", None)
    boot = subprocess.run([sys.executable, "-m", "finsheet.workbench.auth"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    found = re.search(r"one-time password\s+(\S+)", boot.stdout)
    assert found, boot.stdout + boot.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                                  cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx.get(url + "/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.5)
        yield url, found.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
