"""Rendering and page limits: a decompression bomb and a giant page end with a one-line reason in little memory,
a large page is rendered smaller, a long PDF is refused; and PDFium's error codes give each file its own reason."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pypdfium2 as pdfium
import pytest
from pdf_pages import encrypted

from finsheet.bench_memory import image_pdf
from finsheet.errors import PdfError
from finsheet.extraction.ocr import ocr_pages
from finsheet.extraction.pdf import open_pdf
from finsheet.extraction.render import PageTooLarge, render_page
from finsheet.settings import load_settings

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

# The child's own peak is VmHWM (its address space's high-water mark, new at exec): getrusage's ru_maxrss would
# carry over the RSS the parent had when it forked (the test process, hundreds of MB late in a full run).
_EXTRACT_PEAK = """
import json, re, sys
from pathlib import Path
from finsheet import extract
doc = extract(open(sys.argv[1], "rb").read())
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"error": doc.error, "statements": len(doc.statements), "peak_mb": peak_kb / 1024}))
"""


@pytest.mark.parametrize(
    ("page", "image", "reason"),
    [
        ((612, 792), (20000, 20000), "page 1 holds a 20,000 × 20,000 pixel image (400 megapixels, over the 100 "
                                     "limit, FINSHEET_MAX_IMAGE_MEGAPIXELS): not rendered"),
        ((20000, 20000), (1000, 1000), "page 1 is 20,000 × 20,000 pt (278 × 278 in): even at 72 dpi it would take "
                                       "400 megapixels, over the 25 limit (FINSHEET_MAX_RENDER_MEGAPIXELS): not "
                                       "rendered"),
    ],
    ids=["decompression-bomb", "giant-page"],
)
def test_hostile_scans_end_with_one_line_in_little_memory(tmp_path, page, image, reason) -> None:
    """A 0.4 MB PDF whose image decodes to 400 MB, and a 278-inch page: extract() ends with a one-line error
    naming the limit, its process peaking far under 500 MB (a fresh process, measured by the kernel)."""
    path = tmp_path / "hostile.pdf"
    path.write_bytes(image_pdf(*page, *image, level=6))
    assert path.stat().st_size < 2_000_000
    done = subprocess.run([sys.executable, "-c", _EXTRACT_PEAK, str(path)], capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statements"] == 0 and "\n" not in result["error"]
    assert result["error"] == f"the PDF has no text layer and no page could be OCR'd: {reason}"
    assert result["peak_mb"] < 500


def _blank_pdf(*sizes: tuple[float, float]) -> bytes:
    doc = pdfium.PdfDocument.new()
    for width, height in sizes:
        doc.new_page(width, height)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_large_page_is_rendered_within_the_pixel_limit() -> None:
    """A 40 × 40 inch page asked for at 300 dpi (144 megapixels) comes out at the limit (25 megapixels, 125 dpi);
    a letter page at the resolution asked for."""
    settings = load_settings(env={})
    with open_pdf(_blank_pdf((2880, 2880), (612, 792))) as doc:
        big = render_page(doc, 0, dpi=300, settings=settings)
        letter = render_page(doc, 1, dpi=150, settings=settings)
    assert 24_500_000 < big.width * big.height <= 25_000_000
    assert abs(letter.width - 1275) <= 1 and abs(letter.height - 1650) <= 1  # PDFium rounds up


def test_a_page_beyond_the_hard_limit_is_refused() -> None:
    """A page that even at 72 dpi passes the limit is not rendered at all: PageTooLarge with the reason."""
    with open_pdf(_blank_pdf((20000, 20000))) as doc, pytest.raises(PageTooLarge, match="^page 1 is 20,000 × 20,"):
        render_page(doc, 0, dpi=150, settings=load_settings(env={}))


@needs_tesseract
def test_ocr_reads_the_pages_it_can_and_says_why_not_the_others(statement_pdf) -> None:
    """One page too large among pages that fit: the others are OCR'd, the large one comes back empty with the
    reason in its warnings."""
    scan = pdfium.PdfDocument(statement_pdf(0))[0].render(scale=150 / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    scan.save(buffer, format="PDF", resolution=150)
    settings = load_settings(env={}, max_render_megapixels=4)
    merged = pdfium.PdfDocument(buffer.getvalue())
    merged.import_pages(pdfium.PdfDocument(_blank_pdf((20000, 20000))))
    out = io.BytesIO()
    merged.save(out)
    with open_pdf(out.getvalue()) as doc:
        pages = ocr_pages(doc, [0, 1], dpi=150, settings=settings)
    assert [p.number for p in pages] == [1, 2]
    assert "BALANCE" in pages[0].text and not pages[0].warnings
    assert pages[1].words == [] and pages[1].warnings[0].startswith("page 2 is 20,000 × 20,000 pt")


def test_a_pdf_over_the_page_limit_is_refused() -> None:
    """open_pdf with max_pages refuses a longer PDF with the count and the setting to change."""
    data = _blank_pdf(*[(612, 792)] * 3)
    with open_pdf(data, "long.pdf", max_pages=3) as doc:
        assert len(doc) == 3
    with pytest.raises(PdfError, match=r"^long.pdf: the PDF has 3 pages, over the limit of 2 \(FINSHEET_MAX_PAGES\)$"):
        with open_pdf(data, "long.pdf", max_pages=2):
            pass


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_blank_pdf(), "empty.pdf: the PDF has no pages"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
         "empty.pdf: the PDF is damaged and cannot be opened"),
    ],
    ids=["no-pages", "damaged"],
)
def test_a_failure_after_an_encrypted_pdf_has_its_own_reason(data: bytes, reason: str) -> None:
    """PDFium keeps its last error code across documents: a PDF opened after an encrypted one is not reported
    "encrypted" unless it is."""
    with pytest.raises(PdfError, match="encrypted"):
        with open_pdf(encrypted("x"), "locked.pdf"):
            pass
    with pytest.raises(PdfError) as caught:
        with open_pdf(data, "empty.pdf"):
            pass
    assert str(caught.value).startswith(reason) and "encrypted" not in str(caught.value)
