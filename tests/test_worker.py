"""Extraction in a child process: results, errors of the right class, stopping from outside, recycling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from finsheet import worker
from finsheet.errors import JobCancelled, PdfError
from finsheet.pipeline import extract
from finsheet.settings import Settings, load_settings
from finsheet.worker import ExtractionProcess


@pytest.fixture
def child() -> Iterator[ExtractionProcess]:
    process = ExtractionProcess()
    yield process
    process.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path)})


def nothing() -> None:
    """A check that never stops the work."""


def test_child_extracts_what_extract_does(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                          statement_pdf) -> None:
    """The Document from the child equals the one extract() gives in-process (but for the timings)."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))
    stages: list[str] = []
    got = child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: stages.append(s),
                        check=nothing)
    want = extract(path, settings=settings, name="acme.pdf")
    fields = {"seconds", "timings"}
    assert got.model_dump(exclude=fields) == want.model_dump(exclude=fields)
    assert stages[0] == "scan" and stages[-1] == "done"


def test_pipeline_error_keeps_its_class_and_the_child(child: ExtractionProcess, settings: Settings,
                                                      tmp_path: Path) -> None:
    """A PdfError in the child is a PdfError in the parent, and the child stays up for the next document."""
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(PdfError, match="bad.pdf: the PDF is damaged"):
        child.extract(path, name="bad.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    pid = child.pid
    assert pid is not None
    with pytest.raises(PdfError):
        child.extract(path, name="bad.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    assert child.pid == pid


def test_stopping_from_outside_kills_the_child(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                               statement_pdf) -> None:
    """What progress raises (a cancel) propagates, and the child is gone; the next call starts a new one."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))

    def cancel(stage: str, fraction: float) -> None:
        raise JobCancelled(f"cancelled at {stage}")

    with pytest.raises(JobCancelled, match="cancelled at scan"):
        child.extract(path, name="acme.pdf", settings=settings, progress=cancel, check=nothing)
    assert child.pid is None
    doc = child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
    assert doc.sha256 and child.pid is not None


def test_child_is_replaced_after_its_quota(child: ExtractionProcess, settings: Settings, tmp_path: Path,
                                           statement_pdf, monkeypatch: pytest.MonkeyPatch) -> None:
    """After JOBS_PER_CHILD extractions the next one runs in a fresh process."""
    monkeypatch.setattr(worker, "JOBS_PER_CHILD", 2)
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(4))
    pids = []
    for _ in range(3):
        child.extract(path, name="acme.pdf", settings=settings, progress=lambda s, f: None, check=nothing)
        pids.append(child.pid)
    assert pids[0] == pids[1] != pids[2]
