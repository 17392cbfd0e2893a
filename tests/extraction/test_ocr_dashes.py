"""Nil dashes tesseract dropped or misread are found on the page image and put back (`ocr_dashes`); a dash inside a
label, a rule under a figure and an underline are no nils.

Each page is drawn in a face and size, rendered at a scan's resolution, and given the words OCR would report: the
text layer's words boxed tight round their ink, less the ones a test takes away (the dashes tesseract dropped)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet.bench_ocr import measure
from finsheet.extraction.ocr_dashes import DASH_CONF, mend_nil_dashes
from finsheet.extraction.pdf import read_page
from finsheet.model import Word

COLUMNS = (400.0, 500.0)  # the right edges of the two value columns
NIL_ROWS = ("Finance costs", "Dividends received", "Taxation")  # one nil each, in the column given by ROWS
ROWS = [  # label, figures (right-aligned at COLUMNS); "{dash}" is a nil printed with the dash under test
    ("Revenue", ("12,431", "11,902")),
    ("Finance costs", ("{dash}", "(340)")),
    ("Dividends received", ("1,205", "{dash}")),
    ("Income per share \u2013 basic", ("0.32", "0.29")),
    ("Taxation", ("{dash}", "(1,020)")),
    ("Other", ("17", "9")),
    ("Preferred stock, no par value; issued {text_dash} none", ("", "16.6")),
    ("Profit for the year", ("13,296", "10,552")),
]


def _statement(font: str, size: float, dash: str) -> bytes:
    """A small statement: its labels, figures right-aligned in two columns, nils printed as `dash`, a short rule
    under the small figures of "Other", an underline under "Revenue"'s label, and a label whose dash (an en dash
    between words) stands under the first column."""

    def draw(c: canvas.Canvas) -> None:
        y = 700.0
        for label, figures in ROWS:
            c.setFont(font, size)
            if "{text_dash}" in label:  # a label running under the first column, its dash inside its text there
                before, after = label.split(" {text_dash} ")
                space = c.stringWidth(" ", font, size)
                c.drawRightString(COLUMNS[0] - 20 - space, y, before)
                c.drawString(COLUMNS[0] - 20, y, "\u2013")
                c.drawString(COLUMNS[0] - 20 + c.stringWidth("\u2013", font, size) + space, y, after)
            else:
                c.drawString(72, y, label)
            for x1, figure in zip(COLUMNS, figures, strict=True):
                c.drawRightString(x1, y, figure.format(dash=dash))
            if label == "Other":  # the rule under a column's small figures, between this line and the next
                c.setLineWidth(0.6)
                c.line(COLUMNS[0] - 0.3 * size, y - 0.35 * size, COLUMNS[0], y - 0.35 * size)
            if label == "Revenue":  # an underline under the label, at its baseline
                c.setLineWidth(0.5)
                c.line(72, y - 0.12 * size, 72 + c.stringWidth("Revenue", font, size), y - 0.12 * size)
            y -= 1.6 * size

    return render(draw)


def _scan(data: bytes, dpi: int) -> tuple[np.ndarray, list[Word]]:
    """The page's grey image at `dpi`, and its words as OCR boxes them: tight round their ink."""
    doc = pdfium.PdfDocument(data)
    try:
        image = np.asarray(doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        words = read_page(doc, 0).words
    finally:
        doc.close()
    ink = image < 128
    scale = dpi / 72
    tight = []
    for w in words:
        x0, top, x1, bottom = (round(w.x0 * scale), round(w.top * scale), round(w.x1 * scale) + 1,
                               round(w.bottom * scale) + 1)
        rows, cols = np.nonzero(ink[top:bottom, x0:x1])
        if len(rows):
            tight.append(Word(w.text, (x0 + cols.min()) / scale, (top + rows.min()) / scale,
                              (x0 + cols.max() + 1) / scale, (top + rows.max() + 1) / scale, 0.95))
    return image, tight


def _is_dash(w: Word) -> bool:
    return w.text in ("\u2014", "\u2013", "-")


CASES = [("Helvetica", 9, "\u2014"), ("Times-Roman", 10, "\u2013"), ("Courier", 10, "-"), ("Helvetica", 12, "-"),
         ("Times-Bold", 8, "\u2014")]


@pytest.mark.parametrize("dpi", [200, 300])  # the reading pass is at 300 dpi; scans come at 200 and over
@pytest.mark.parametrize(("font", "size", "dash"), CASES)
def test_nil_dashes_ocr_dropped_are_put_back(font: str, size: float, dash: str, dpi: int) -> None:
    image, words = _scan(_statement(font, size, dash), dpi)
    nils = [w for w in words if _is_dash(w) and w.x0 > COLUMNS[0] - 15]
    assert len(nils) == len(NIL_ROWS)
    read = [w for w in words if not _is_dash(w)]  # tesseract dropped every dash, the label's too

    mended = mend_nil_dashes(read, image, 72 / dpi)

    added = [w for w in mended if w not in read]
    assert all(w.text == "\u2014" and w.conf == DASH_CONF for w in added)
    assert sorted((round(w.xc), round(w.yc)) for w in added) == sorted((round(w.xc), round(w.yc)) for w in nils)


@pytest.mark.parametrize(("font", "size", "dash"), CASES)
def test_a_nil_dash_read_as_a_letter_or_digit_is_read_as_the_dash(font: str, size: float, dash: str) -> None:
    image, words = _scan(_statement(font, size, dash), 300)
    misread = ["7" if _is_dash(w) and w.x0 > COLUMNS[0] - 15 else w.text for w in words]
    read = [Word(text, w.x0, w.top, w.x1, w.bottom, w.conf) for text, w in zip(misread, words, strict=True)]

    mended = mend_nil_dashes(read, image, 72 / 300)

    assert len(mended) == len(read)
    assert [w.text for w in mended if w.text == "\u2014"] == ["\u2014"] * len(NIL_ROWS)
    assert "7" not in [w.text for w in mended]


def test_a_page_with_its_dashes_read_is_left_as_read() -> None:
    image, words = _scan(_statement("Helvetica", 10, "\u2014"), 300)
    assert mend_nil_dashes(words, image, 72 / 300) == words


def test_dashes_with_no_figures_above_or_below_are_no_nils() -> None:
    """Lone strokes right of lines' words, in no column of figures (marks in a margin beside a paragraph), are left
    alone, even lined up."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "The directors approved the accounts")
        c.drawString(400, 700, "\u2014")
        c.drawString(72, 684, "on 14 March 2023, and signed them")
        c.drawString(400, 684, "\u2014")
        c.drawString(72, 668, "on the board's behalf, as their")
        c.drawString(400, 668, "\u2014")
        c.drawString(72, 652, "minutes record.")

    image, words = _scan(render(draw), 300)
    read = [w for w in words if not _is_dash(w)]
    assert mend_nil_dashes(read, image, 72 / 300) == read


INCOME = [  # label, this year's figure, last year's (None: a nil)
    ("Revenue", "10,482", "9,871"),
    ("Investment revenue", None, "1,204"),
    ("Cost of sales", "(6,120)", "(5,902)"),
    ("Gross profit", "4,362", "5,173"),
    ("Administrative expenses", "(2,511)", "(2,377)"),
    ("Fair value adjustments", None, None),
    ("Operating profit", "1,851", "2,796"),
    ("Finance costs", "(213)", None),
    ("Profit before tax", "1,638", "2,796"),
    ("Taxation", None, "(349)"),
    ("Profit for the year", "1,638", "2,447"),
]


def _income_statement(font: str, size: float, dash: str) -> bytes:
    """An income statement whose nils are printed as `dash`."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 720, "CONSOLIDATED INCOME STATEMENT")
        c.setFont(font, size)
        c.drawString(72, 705, "for the year ended 31 December 2023 (in thousands of pounds)")
        c.drawRightString(430, 685, "2023")
        c.drawRightString(520, 685, "2022")
        y = 665.0
        for label, *figures in INCOME:
            c.drawString(72, y, label)
            for x1, figure in zip((430, 520), figures, strict=True):
                c.drawRightString(x1, y, figure or dash)
            y -= 1.6 * size

    return render(draw)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize(("font", "size", "dash"), [("Helvetica", 9, "\u2014"), ("Times-Roman", 10, "\u2014")])
def test_a_scanned_statement_keeps_its_nils(tmp_path: Path, font: str, size: float, dash: str) -> None:
    """Em dashes that tesseract drops as noise in these faces (every nil of a column, at 200 dpi) are read as
    nils: the scan reads every figure of the text layer, nils included."""
    pdf = tmp_path / "nils.pdf"
    pdf.write_bytes(_income_statement(font, size, dash))
    [result] = measure(pdf)
    assert (result.exact, result.wrong) == (result.figures, 0) == (22, 0), result


def test_a_word_holding_a_dash_and_letters_is_left_as_read() -> None:
    """A word OCR boxed round a label's last letters and a dash after them ("income7") holds more than the dash,
    even where its letters stand left of the columns of figures searched for nils: it stays as read."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        for y, figure in ((700, "1,250"), (684, None), (668, "(340)")):
            c.drawString(72, y, "Other operating income" if figure is None else "Revenue")
            if figure is None:
                c.drawString(400, y, "\u2014")
            else:
                c.drawRightString(440, y, figure)

    image, words = _scan(render(draw), 300)
    [label_end] = [w for w in words if w.text == "income"]
    [dash] = [w for w in words if _is_dash(w)]
    joined = Word("income7", label_end.x0, min(label_end.top, dash.top), dash.x1, label_end.bottom, 0.3)
    read = [w for w in words if w not in (label_end, dash)] + [joined]
    assert mend_nil_dashes(read, image, 72 / 300) == read
