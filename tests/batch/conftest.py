"""Fixtures of the batch tests: folders of generated filings, a slow scanned filing, a real Dask cluster."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

StatementPdf = Callable[..., bytes]
Filings = Callable[..., list[Path]]
ScannedPdf = Callable[..., bytes]


@pytest.fixture
def filings(statement_pdf: StatementPdf) -> Filings:
    """`filings(folder, n)` writes n distinct generated filings (balance sheet + income statement that foot) as
    folder/filing-<k>.pdf and returns their paths."""

    def make(folder: Path, n: int, *, first: int = 0) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for k in range(first, first + n):
            path = folder / f"filing-{k}.pdf"
            path.write_bytes(statement_pdf(k, company=f"COMPANY {k} INC."))
            paths.append(path)
        return paths

    return make


@pytest.fixture
def scanned_pdf(statement_pdf: StatementPdf) -> ScannedPdf:
    """`scanned_pdf(seed, copies)`: a generated filing printed and scanned — its pages as images, repeated
    `copies` times — which only OCR can read: seconds of work per copy, the slow document of a batch."""
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    import pypdfium2 as pdfium

    def make(seed: int = 0, copies: int = 2) -> bytes:
        doc = pdfium.PdfDocument(statement_pdf(seed, company="SCANNED HOLDINGS PLC"))
        images = [doc[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(doc))] * copies
        buf = io.BytesIO()
        images[0].save(buf, format="PDF", resolution=150, save_all=True, append_images=images[1:])
        return buf.getvalue()

    return make


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A real LocalCluster of 2 worker processes (one thread each, nannies that restart them) that gives up on a
    document at its first worker death (allowed_failures = 0); its scheduler's address, for `--scheduler`."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                             memory_limit="2GiB", env={"OMP_THREAD_LIMIT": "1"})
    try:
        yield str(local.scheduler_address)
    finally:
        local.close()
