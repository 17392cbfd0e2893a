"""Many scanned pages shared among tesseract processes: every page comes back as its own, in the order asked."""

from __future__ import annotations

import io
import os
import shutil

import pypdfium2 as pdfium
import pytest
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet.extraction.ocr import _batches, ocr_pages, usable_cores
from finsheet.extraction.render import ocr_progress

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

FOLIOS = [f"Folio {100 + n}" for n in range(9)]


def _folio(text: str):
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 28)
        c.drawString(150, 600, text)

    return draw


def _scanned(pdf: bytes) -> pdfium.PdfDocument:
    """The PDF's pages as images only, as a scanner gives them."""
    doc = pdfium.PdfDocument(pdf)
    images = [doc[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(doc))]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    return pdfium.PdfDocument(buffer.getvalue())


def test_pages_are_shared_in_runs_of_neighbours_with_several_per_process() -> None:
    assert _batches(list(range(9)), 2) == [[0, 1], [2, 3], [4, 5], [6, 7], [8]]
    assert _batches([4, 7], 2) == [[4], [7]]
    assert all(len(batch) == 8 for batch in _batches(list(range(400)), 2))


@needs_tesseract
def test_more_batches_than_processes_each_page_read_as_its_own() -> None:
    doc = _scanned(render(*(_folio(text) for text in FOLIOS)))
    order = [8, 0, 4, 1, 7, 2, 6, 3, 5]
    heard: list[tuple[int, int]] = []
    with ocr_progress(lambda done, total: heard.append((done, total))):
        pages = ocr_pages(doc, order, dpi=150, processes=2, mended=False)
    assert [page.number for page in pages] == [index + 1 for index in order]
    for index, page in zip(order, pages, strict=True):
        assert " ".join(word.text for word in page.words) == FOLIOS[index]
        assert page.source == "ocr" and 140 < page.words[0].x0 < 160
    # each report counts pages done (several when a process wrote them between two looks), up to all nine
    done = [done for done, _ in heard]
    assert done == sorted(set(done)) and done[-1] == 9 and {total for _, total in heard} == {9}


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux's CPU affinity")
def test_a_process_pinned_to_one_core_starts_one_tesseract() -> None:
    """A batch worker pinned to its own core (and a container's cpuset) runs one tesseract, not one per core of
    the machine."""
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, before)
    assert usable_cores() == len(before)
