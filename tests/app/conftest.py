"""Fixtures of the AppTest tests (helpers are fixtures here; the login steps they share are in app_session.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from app_session import PASSWORDS

from finsheet.settings import Settings, load_settings


@pytest.fixture
def app_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The environment the app reads (a data dir under tmp_path, the admin's password, no OCR) and the settings it
    gives; the app's cached store and job queue are released after the test."""
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINSHEET_ADMIN_PASSWORD", PASSWORDS["admin"])
    monkeypatch.setenv("FINSHEET_OCR", "false")
    yield load_settings()
    st.cache_resource.clear()  # stops the job queue and closes the database of this test
