"""Fixtures of the export tests (helpers are fixtures here, never imported from tests)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Recalculate = Callable[[Path, Path], Path]


@pytest.fixture(scope="session")
def recalculate() -> Recalculate:
    """`recalculate(path, work)`: LibreOffice opens the workbook (formulas without cached results), computes every
    formula, and saves a copy under `work`; returns the copy. Skips the test when LibreOffice is not installed."""

    def run(path: Path, work: Path) -> Path:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            pytest.skip("LibreOffice (soffice) is not installed")
        out = work / "recalculated"
        profile = (work / "lo-profile").as_uri()  # a private profile: other processes may be running soffice too
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to", "xlsx",
                        "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=300)
        assert (out / path.name).is_file(), "LibreOffice wrote nothing"
        return out / path.name

    return run
