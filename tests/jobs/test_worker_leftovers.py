"""The extraction child: nothing left behind when its parent is killed mid-OCR, stale temporary directories
removed, its memory capped, and OCR progress reported page by page."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from finsheet.jobs.worker import ExtractionProcess, remove_stale_temp_dirs
from finsheet.settings import Settings, load_settings

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")})


def _scan(text_pdf: bytes, copies: int = 1) -> bytes:
    """The PDF's pages as images only (a scan, no text layer), repeated `copies` times."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(text_pdf)
    images = [doc[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(doc))] * copies
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _state(pid: int) -> str | None:
    """The process's state letter ("R", "S", "Z" for a zombie...), None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _gone(pid: int) -> bool:
    return _state(pid) in (None, "Z")  # a zombie no longer runs: only its exit status waits to be read


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat.split("(", 1)[1].rsplit(")", 1)
            if int(rest.split()[1]) == pid:
                found.append((int(entry.name), name))
    return found


_PARENT = r"""
import json, sys
from pathlib import Path
from finsheet.jobs.worker import ExtractionProcess
from finsheet.settings import load_settings

child = ExtractionProcess()
def progress(stage, fraction):
    print(json.dumps({"stage": stage, "child": child.pid}), flush=True)
child.extract(Path(sys.argv[1]), name="scan.pdf", settings=load_settings(data_dir=Path(sys.argv[2])),
              progress=progress, check=lambda: None)
print(json.dumps({"stage": "finished"}), flush=True)
"""


@needs_tesseract
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_killing_the_parent_mid_ocr_leaves_no_process_and_no_temp_file(tmp_path: Path, statement_pdf) -> None:
    """kill -9 of the process running a queue worker while tesseract reads a scan: the extraction child and its
    tesseract processes end within seconds and their temporary files are gone."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan(statement_pdf(0), copies=6))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "OMP_THREAD_LIMIT": "1"}
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(scan), str(tmp_path / "data")], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = 0
        for line in parent.stdout:
            report = json.loads(line)
            assert report["stage"] != "finished", "the OCR ended before the test could kill its parent"
            if report["stage"].startswith("ocr"):
                child = report["child"]
                break
        assert child
        deadline = time.monotonic() + 30
        tesseracts: list[int] = []
        while not tesseracts and time.monotonic() < deadline:
            tesseracts = [pid for pid, name in _children(child) if name == "tesseract"]
            time.sleep(0.02)
        assert tesseracts, "tesseract never started"
        assert any(p.name.startswith("finsheet-") for p in temp.iterdir())
        os.kill(parent.pid, signal.SIGKILL)
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    deadline = time.monotonic() + 3  # the watchdog checks twice a second; the OCR alone would take longer
    while time.monotonic() < deadline and not all(_gone(pid) for pid in [child, *tesseracts]):
        time.sleep(0.05)
    assert _gone(child), "the extraction child outlived its parent"
    assert all(_gone(pid) for pid in tesseracts), "tesseract outlived the extraction"
    assert list(temp.iterdir()) == []


@needs_tesseract
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_cancel_mid_ocr_stops_tesseract_and_removes_the_images(settings: Settings, tmp_path: Path,
                                                                  statement_pdf, monkeypatch) -> None:
    """Stopping an extraction while tesseract reads (a cancel, a timeout) kills the child and its tesseract
    processes at once and removes the page images."""
    import tempfile

    from finsheet.errors import JobCancelled

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan(statement_pdf(0), copies=6))
    child = ExtractionProcess()
    seen: dict[str, list[int]] = {}

    def progress(stage: str, fraction: float) -> None:
        if stage.startswith("ocr: page"):
            assert child.pid is not None
            seen["child"] = [child.pid]
            seen["tesseract"] = [pid for pid, name in _children(child.pid) if name == "tesseract"]
            raise JobCancelled("cancelled by the user at the ocr stage")

    with pytest.raises(JobCancelled):
        child.extract(scan, name="scan.pdf", settings=settings, progress=progress, check=lambda: None)
    assert seen["tesseract"], "no tesseract was running at the first OCR'd page"
    deadline = time.monotonic() + 2  # SIGKILL is delivered at once, but not synchronously
    while time.monotonic() < deadline and not all(_gone(pid) for pid in seen["child"] + seen["tesseract"]):
        time.sleep(0.02)
    assert all(_gone(pid) for pid in seen["child"] + seen["tesseract"])
    assert child.pid is None and list(temp.iterdir()) == []


def test_stale_temporary_directories_are_removed(tmp_path: Path) -> None:
    """Directories of finsheet processes that no longer run are removed; a live process's, a recent one without
    a pid, and anything not finsheet's are kept."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    dead = [tmp_path / f"finsheet-worker-{ended.pid}-abc", tmp_path / f"finsheet-ocr-{ended.pid}-def"]
    kept = [tmp_path / f"finsheet-worker-{os.getpid()}-ghi", tmp_path / "finsheet-ocr-jkl", tmp_path / "other-123"]
    for directory in dead + kept:
        directory.mkdir()
        (directory / "page-00001.png").write_bytes(b"x" * 1000)
    removed = remove_stale_temp_dirs(tmp_path)
    assert sorted(removed) == sorted(d.name for d in dead)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(d.name for d in kept)


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads the limits from /proc")
def test_the_child_memory_is_capped(settings: Settings, tmp_path: Path, statement_pdf) -> None:
    """The extraction child runs with the address-space limit of settings.worker_memory_mb."""
    pdf = tmp_path / "acme.pdf"
    pdf.write_bytes(statement_pdf(0))
    child = ExtractionProcess()
    try:
        capped = settings.model_copy(update={"worker_memory_mb": 1536})
        doc = child.extract(pdf, name="acme.pdf", settings=capped, progress=lambda s, f: None, check=lambda: None)
        assert doc.statements
        assert child.pid is not None
        limits = Path(f"/proc/{child.pid}/limits").read_text()
    finally:
        child.close()
    line = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    assert line.split()[3] == str(1536 * 1024 * 1024)


@needs_tesseract
def test_ocr_progress_moves_page_by_page(settings: Settings, tmp_path: Path, statement_pdf) -> None:
    """A scanned document's job reports each OCR'd page, its progress rising between the OCR stage's start and
    the next stage's."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan(statement_pdf(0), copies=2))
    reports: list[tuple[str, float]] = []
    child = ExtractionProcess()
    try:
        doc = child.extract(scan, name="scan.pdf", settings=settings, check=lambda: None,
                            progress=lambda stage, fraction: reports.append((stage, fraction)))
    finally:
        child.close()
    assert doc.ocr_pages
    ocr = [(stage, fraction) for stage, fraction in reports if stage.startswith("ocr: page")]
    assert [stage for stage, _ in ocr] == [f"ocr: page {n} of 4" for n in range(1, 5)]
    fractions = [fraction for _, fraction in ocr]
    assert 0.15 < fractions[0] < fractions[1] < fractions[2] < fractions[3] == pytest.approx(0.6)


def test_a_document_past_the_memory_cap_fails_alone(settings: Settings, tmp_path: Path, statement_pdf) -> None:
    """With the cap 100 MB above what a statement PDF needs here, that PDF extracts; one whose image decodes to
    294 MB of pixels fails with a one-line reason naming the cap, not retried; the next document gets a fresh
    child."""
    from finsheet.bench_memory import image_pdf
    from finsheet.errors import FinsheetError, PdfError

    small, big = tmp_path / "acme.pdf", tmp_path / "big.pdf"
    small.write_bytes(statement_pdf(0))
    big.write_bytes(image_pdf(612, 792, 9900, 9900, level=1, rgb=True))

    def run(child: ExtractionProcess, pdf: Path, cap: int) -> int:
        limits = settings.model_copy(update={"worker_memory_mb": cap})
        doc = child.extract(pdf, name=pdf.name, settings=limits, progress=lambda s, f: None, check=lambda: None)
        return len(doc.statements)

    def passes(cap: int) -> bool:
        child = ExtractionProcess()
        try:
            return run(child, small, cap) > 0
        except FinsheetError:  # out of memory while starting or extracting
            return False
        finally:
            child.close()

    # What a statement PDF needs depends on the machine (libraries, threads): find it within 32 MB.
    low, high = 64, 4096
    assert passes(high)
    while high - low > 32:
        middle = (low + high) // 2
        low, high = (low, middle) if passes(middle) else (middle, high)
    cap = high + 100
    child = ExtractionProcess()
    try:
        assert run(child, small, cap)
        with pytest.raises(PdfError) as caught:
            run(child, big, cap)
        assert str(caught.value) == (f"big.pdf: the extraction ran out of memory (the {cap:,} MB a worker may use, "
                                     "FINSHEET_WORKER_MEMORY_MB)")
        assert not caught.value.transient
        assert run(child, small, cap)
    finally:
        child.close()
