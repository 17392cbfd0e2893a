"""Lines whose figures tesseract read unsure are read again on their own, cut out of the page
(`finsheet.extraction.ocr_lines`); the second reading is taken only where it is sure of every figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from generated_compare import differences
from generated_filings import filing, scanned
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet import extract
from finsheet.extraction.ocr import _read_image
from finsheet.extraction.ocr_lines import reread_unsure_lines
from finsheet.model import Word

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

DPI = 300
POINTS = 72 / DPI  # PDF points per pixel of the page image


def _lines(c: canvas.Canvas) -> None:
    c.setFont("Helvetica", 10)
    for y, label, figures in ((700, "Other income, net", ("(158)", "998")),
                              (686, "Profit before tax", ("15,114", "32,523"))):
        c.drawString(72, y, label)
        for right, figure in zip((400, 480), figures, strict=True):
            c.drawRightString(right, y, figure)


def _page_image(tmp_path: Path) -> Path:
    doc = pdfium.PdfDocument(render(_lines))
    try:
        path = tmp_path / "page.png"
        doc[0].render(scale=DPI / 72, grayscale=True).to_pil().save(path)
        return path
    finally:
        doc.close()


def _first_reading(conf: float) -> list[Word]:
    """The words as a first reading might have them (PDF points from the page's top): the first line sure, the
    second's figures misread ("45,414", "39,523") at `conf`."""
    top = 792 - 686 - 7.5
    return [Word("Other", 72, 792 - 700 - 7.5, 100, 792 - 700 + 2, 0.96),
            Word("(158)", 378, 792 - 700 - 7.5, 400, 792 - 700 + 2, 0.96),
            Word("Profit", 72, top, 100, top + 9.5, 0.96),
            Word("45,414", 368, top, 400, top + 9.5, conf),
            Word("39,523", 448, top, 480, top + 9.5, conf)]


def _reader(exe: str):  # noqa: ANN202 - the reader `reread_unsure_lines` takes
    return lambda path: _read_image(exe, path, POINTS, 60.0)


def test_a_line_read_unsure_is_read_again_alone(tmp_path: Path) -> None:
    """The line whose figures were read unsure is replaced by its sure second reading, in place on the page; the
    line read sure stays as it was."""
    exe = shutil.which("tesseract")
    assert exe is not None
    first = _first_reading(0.4)
    words = reread_unsure_lines(_page_image(tmp_path), first, POINTS, _reader(exe))
    assert first[:2] == words[:2]  # the sure line, untouched
    again = {w.text: w for w in words[2:]}
    assert {"15,114", "32,523"} <= set(again), [w.text for w in words]
    assert not {"45,414", "39,523"} & set(again)
    figure = again["15,114"]
    assert abs(figure.x1 - 400) < 3 and abs(figure.yc - (792 - 686 - 3)) < 4  # where the page prints it
    assert not list(tmp_path.glob("*-lines.png"))  # the strips' image is removed


def test_a_line_read_sure_is_not_read_again(tmp_path: Path) -> None:
    """A first reading sure of its figures stands, whatever the page prints (no second call is made)."""
    calls: list[Path] = []
    first = _first_reading(0.9)
    words = reread_unsure_lines(_page_image(tmp_path), first, POINTS, lambda path: calls.append(path) or [])
    assert words == first and not calls


def test_a_second_reading_unsure_or_short_of_figures_is_not_taken(tmp_path: Path) -> None:
    """The first reading stands when the second is unsure of a figure, loses one, or tesseract fails."""
    first = _first_reading(0.4)
    image = _page_image(tmp_path)

    def reading(*figures: tuple[str, float]):  # noqa: ANN202
        def read(path: Path) -> list[Word]:
            # the strip is placed a strip's height down the stacked image: its words lie in its middle
            from PIL import Image

            with Image.open(path) as stacked:
                middle = stacked.height / 2 * POINTS
            return [Word("Profit", 72, middle - 4, 100, middle + 4, 0.96)] + [
                Word(text, 368 + 80 * k, middle - 4, 400 + 80 * k, middle + 4, conf)
                for k, (text, conf) in enumerate(figures)]
        return read

    assert reread_unsure_lines(image, first, POINTS, reading(("15,114", 0.95), ("32,523", 0.95)))[2:] != first[2:]
    for read in (reading(("15,114", 0.95), ("32,523", 0.5)), reading(("15,114", 0.95)), lambda path: None):
        assert reread_unsure_lines(image, first, POINTS, read) == first
    # a figure the first reading broke into scraps counts once: scraps that are no figure do not count
    top = first[2].top
    scraps = [*first[:3], Word("~~+15,114", 368, top, 385, top + 9.5, 0.07), Word("4", 386, top, 390, top + 9.5, 0.4),
              Word("8,8", 391, top, 400, top + 9.5, 0.4), Word("39,523", 448, top, 480, top + 9.5, 0.4)]
    words = reread_unsure_lines(image, scraps, POINTS, reading(("15,114", 0.95), ("32,523", 0.95)))
    assert [w.text for w in words[2:]] == ["Profit", "15,114", "32,523"]  # the label as first read


def test_a_scanned_row_under_a_totals_rule_reads_exactly() -> None:
    """A generated filing whose total rows sit close under their rules (dot leaders, 7.5 pt): tesseract read
    "15,114  15,909  32,523" as "\\"45.414  ~45,909  39,523" on the page, and the row was lost or wrong."""
    pdf, truth = filing(7)
    problems = [d for d in differences(extract(scanned(pdf)), truth)
                if "Profit before tax" in d or "'Net income'" in d or "Comprehensive income" in d]
    assert not problems, problems
