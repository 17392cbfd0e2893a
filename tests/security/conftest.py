"""Fixtures of the security tests: a settings object and a store on disk in a tmp dir, the process umask kept."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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
