"""Scans fed askew: the page's skew is measured from its rows of text, the page is read straightened, and the
Review shows it straightened the same way, so a statement scanned at an angle reads as one scanned straight."""

from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from generated_filings import filing, worn
from pdf_pages import image_pdf, page_images
from PIL import Image, ImageFilter

from finsheet import extract
from finsheet.bench_ocr import compare
from finsheet.extraction.ocr_skew import MIN_SKEW_DEGREES, skew_angle
from finsheet.workbench.source_page import render_page

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
DPI = 200


def _pages(pdf: bytes) -> list[Image.Image]:
    return page_images(pdf, DPI)


def _askew(pdf: bytes, degrees: float) -> bytes:
    """An image-only copy of `pdf` with every page turned `degrees` counter-clockwise, as a sheet fed askew."""
    return image_pdf([im.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
                      for im in _pages(pdf)], DPI)


@pytest.mark.parametrize("degrees", [-2.6, -1.0, 0.6, 1.8])
def test_the_skew_of_a_page_of_rows_is_measured(two_statements, degrees: float) -> None:
    page = _pages(two_statements())[0]
    turned = page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert skew_angle(turned) == pytest.approx(degrees, abs=0.1)


@pytest.mark.parametrize("degrees", [-0.4, 0.65])
def test_a_worn_scans_slight_skew_is_measured(degrees: float) -> None:
    """A worn office scanner's page, blurred and saved as a poor JPEG, fed under a degree askew, its balance sheet
    set in small type with the figures far right of the labels: measured on a copy of 150 dpi, where the rows
    still pile up sharply, not on one of 100."""
    pdf, _ = filing(20)
    page = page_images(pdf, 300)[0].convert("L")
    turned = page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    jpeg = io.BytesIO()
    turned.filter(ImageFilter.GaussianBlur(1.2)).save(jpeg, format="JPEG", quality=35)
    assert skew_angle(Image.open(io.BytesIO(jpeg.getvalue()))) == pytest.approx(degrees, abs=0.1)


def test_a_sparse_worn_pages_skew_is_measured() -> None:
    """The second page of a worn scan's balance sheet, fed 0.63 degrees askew: half a page of short labels far left
    of their figures, whose rows' counts barely change with the angle (4 % at most); where the rows begin and end
    does, and measures it."""
    pdf, _ = filing(20)
    page = pdfium.PdfDocument(worn(pdf, 20))[1]
    assert skew_angle(page.render(scale=300 / 72, grayscale=True).to_pil()) == pytest.approx(0.63, abs=0.1)


@pytest.mark.parametrize("degrees", [-1.5, 0.8])
def test_a_scanners_border_does_not_set_the_skew(two_statements, degrees: float) -> None:
    """A sheet fed askew on a scanner whose dark border lies along the image's top and foot, straight: the print's
    rows set the skew, not the bed's edges."""
    page = _pages(two_statements())[0]
    turned = page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    bordered = turned.copy()
    bordered.paste(0, (0, 0, bordered.width, 12))
    bordered.paste(0, (0, bordered.height - 12, bordered.width, bordered.height))
    assert skew_angle(bordered) == pytest.approx(degrees, abs=0.1)


def test_a_page_whose_rows_line_up_turned_either_way_is_not_turned_the_wrong_way() -> None:
    """A worn scan's cash flow fed 0.39 degrees askew, its labels far left of its figures: turned 0.3 degrees the
    other way, each label's row lines up with the figures of a neighbouring row nearly as well as its own does.
    Straightened the wrong way the page would sit twice as far askew, every figure read against the wrong label;
    where the two ways are that close, the page is read as scanned."""
    pdf, _ = filing(20)
    page = pdfium.PdfDocument(worn(pdf, 20))[4]
    assert skew_angle(page.render(scale=300 / 72, grayscale=True).to_pil()) >= 0


def test_a_straight_page_or_a_blank_one_is_left_as_it_is(two_statements) -> None:
    page = _pages(two_statements())[0]
    assert skew_angle(page) == 0.0
    assert skew_angle(page.rotate(MIN_SKEW_DEGREES / 3, fillcolor=255)) == 0.0  # within a straight scan's noise
    assert skew_angle(Image.new("L", page.size, 255)) == 0.0


@needs_tesseract
@pytest.mark.parametrize("degrees", [-1.5, 2.5])
def test_a_statement_scanned_askew_reads_like_its_text_layer(two_statements, degrees: float) -> None:
    """At 1–3° a row's figures stand a line away from its label; read straightened, every figure, unit and column
    is the text layer's."""
    pdf = two_statements()
    results = compare("askew.pdf", extract(pdf), extract(_askew(pdf, degrees)))
    assert len(results) == 2
    for r in results:
        assert r.found and r.same_scale and r.same_periods, r
        assert (r.exact, r.wrong) == (r.figures, 0), r


def test_the_review_shows_a_scanned_page_straightened_and_a_text_page_as_drawn(two_statements) -> None:
    """The words' boxes of a scan are the straightened page's, so the Review draws that page; a page with a text
    layer is drawn as it is."""
    pdf = two_statements()
    shown = render_page(_askew(pdf, 2.0), 1, scale=DPI / 72)
    assert skew_angle(shown) == 0.0
    text_page = render_page(pdf, 1, scale=DPI / 72)
    assert text_page.size == _pages(pdf)[0].size
