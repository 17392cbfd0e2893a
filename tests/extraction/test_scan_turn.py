"""Scans laid out sideways or fed upside down: a page whose print runs up or down the image, or stands on its head,
is turned upright before OCR (tesseract's orientation check says which way), and the Review shows it turned the same
way, so a wide statement scanned sideways, or a sheet fed the wrong way round, reads as one scanned upright."""

from __future__ import annotations

import shutil

import pypdfium2 as pdfium
import pytest
from generated_filings import filing
from pdf_pages import image_pdf, page_images
from PIL import Image, ImageDraw

from finsheet import StatementType, extract
from finsheet.bench_ocr import compare
from finsheet.extraction.ocr import ocr_pages
from finsheet.extraction.ocr_turn import scan_turn, sideways, upside_down
from finsheet.workbench.source_page import page_size, render_page

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
DPI = 200


def _pages(pdf: bytes) -> list[Image.Image]:
    return page_images(pdf, DPI)


def _turned(pdf: bytes, degrees: int) -> bytes:
    """An image-only copy of `pdf`, every page turned `degrees` counter-clockwise: as a sheet printed across the
    page and scanned as it lies."""
    return image_pdf([im.rotate(degrees, expand=True) for im in _pages(pdf)], DPI)


def _with_tab(image: Image.Image) -> Image.Image:
    """The page with a solid black tab down its left edge, as a designed report marks its sections."""
    tabbed = image.copy()
    ImageDraw.Draw(tabbed).rectangle((0, 0, round(0.06 * image.width), image.height), fill=0)
    return tabbed


@pytest.mark.parametrize("degrees", [90, 270])
def test_print_running_up_or_down_the_page_is_sideways(two_statements, degrees: int) -> None:
    page = _pages(two_statements())[0]
    assert sideways(page.rotate(degrees, expand=True))
    assert sideways(_with_tab(page.rotate(degrees, expand=True)))


@pytest.mark.parametrize("askew", [-2.5, 1.5])
def test_a_sideways_page_scanned_askew_is_sideways(askew: float) -> None:
    """Askew, a sideways statement's rows drift across the page by several times their height: measured in strips
    they stay sharp. The balance sheet of a generated landscape filing printed sideways, in 9 pt."""
    pdf, truth = filing(5)
    assert truth.choices["sideways"] == "270"
    [balance] = [s for s in truth.statements if s.type == StatementType.BALANCE]
    page = _pages(pdf)[balance.pages[0] - 1]
    assert sideways(page.rotate(askew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255))


def test_an_upright_page_a_tabbed_one_or_a_blank_one_is_not_sideways(two_statements) -> None:
    page = _pages(two_statements())[0]
    assert not sideways(page)
    assert not sideways(_with_tab(page))  # the tab piles ink into columns: it is no print
    assert not sideways(page.rotate(180))  # upside down still runs across: `upside_down` asks about it
    assert not sideways(Image.new("L", page.size, 255))


@pytest.mark.parametrize("seed", [0, 4, 13])
@pytest.mark.parametrize("askew", [0.0, 1.5])
def test_print_standing_on_its_head_is_upside_down(seed: int, askew: float) -> None:
    """The statement pages of generated filings (several faces, sizes and layouts), upright and turned a half, as
    scanned and askew: only the turned ones may be upside down. Their lines carry more ink at the top."""
    pdf, truth = filing(seed)
    numbers = sorted({n for st in truth.statements for n in st.pages})
    pages = _pages(pdf)
    for n in numbers:
        page = pages[n - 1].rotate(askew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        assert not upside_down(page), n
        assert upside_down(page.rotate(180)), n


def test_a_blank_page_a_tabbed_one_or_one_of_a_few_words_is_not_upside_down(two_statements) -> None:
    page = _pages(two_statements())[0]
    assert not upside_down(_with_tab(page))
    assert upside_down(_with_tab(page.rotate(180)))
    assert not upside_down(Image.new("L", page.size, 255))


@needs_tesseract
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_statement_scanned_sideways_reads_like_its_text_layer(two_statements, degrees: int) -> None:
    """Turned upright before OCR, every figure, unit and column of both statements is the text layer's: laid out
    sideways, or fed into the scanner upside down."""
    pdf = two_statements()
    results = compare("sideways.pdf", extract(pdf), extract(_turned(pdf, degrees)))
    assert len(results) == 2
    for r in results:
        assert r.found and r.same_scale and r.same_periods, r
        assert (r.exact, r.wrong) == (r.figures, 0), r


@needs_tesseract
@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_the_review_shows_a_sideways_scan_turned_as_its_words_are_placed(two_statements, degrees: int) -> None:
    """The OCR's words are placed on the page turned upright; the Review draws that page, so each word's box
    covers ink, and the page's size is the turned page's."""
    pdf = _turned(two_statements(), degrees)
    doc = pdfium.PdfDocument(pdf)
    try:
        [page] = ocr_pages(doc, [0], dpi=DPI)
        assert scan_turn(doc, 0, shutil.which("tesseract")) == degrees  # turned back clockwise as far
    finally:
        doc.close()
    shown = render_page(pdf, 1, scale=2.0).convert("L")
    assert shown.size == (round(page.width * 2), round(page.height * 2))
    assert page_size(pdf, 1) == pytest.approx((page.width, page.height), abs=0.01)
    assert page.width < page.height  # the statement's page is upright again
    boxes = [w for w in page.words if w.text in ("Receivables", "6,300", "Cash")]
    assert boxes
    for word in boxes:
        ink = shown.crop((round(word.x0 * 2), round(word.top * 2), round(word.x1 * 2), round(word.bottom * 2)))
        assert ink.getextrema()[0] < 100, word.text
