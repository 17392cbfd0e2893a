"""A minus sign tesseract dropped from a figure is found on the page image and put back (`ocr_minus`); a figure's
own first digit, a dash a word space before it, a rule and a speck are no minus.

Each page is drawn in a face and size, rendered at a scan's resolution (blurred as a worn scanner blurs at 150 dpi),
and given the words OCR would report: the text layer's words boxed tight round their ink, with the minus taken
out of the text as tesseract drops it, and out of the box too where a test says so."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
from pdf_pages import render
from PIL import Image, ImageFilter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet.extraction.ocr_image import threshold
from finsheet.extraction.ocr_minus import MINUS_CONF, mend_dropped_minus
from finsheet.extraction.pdf import read_page
from finsheet.model import Word

COLUMNS = (380.0, 470.0)  # the right edges of the two value columns
ROWS = [  # label, figures right-aligned at COLUMNS; every digit starts a figure, with and without a minus
    ("Revenue", ("12,431", "11,902")),
    ("Finance costs", ("-684.8", "-588.2")),
    ("Other gains and losses, net", ("-332.1", "34.7")),
    ("Share of results of associates", ("4,321", "-4,417")),
    ("Taxation", ("-7,013", "7,650")),
    ("Depreciation", ("2,019", "-1,062.9")),
    ("Capital expenditures", ("-2,573.8", "3,456")),
    ("Dividends paid", ("-5,899", "5,678")),
    ("Repayment of borrowings", ("-86,664", "6,789")),
    ("Short-term deposits", ("8,901", "-9,012")),
    ("Net loss", ("-40,760", "0.45")),
]


def _statement(font: str, size: float, minus: str) -> bytes:
    """The rows above, each negative figure printed with `minus` before its first digit."""

    def draw(c: canvas.Canvas) -> None:
        y = 700.0
        for label, figures in ROWS:
            c.setFont(font, size)
            c.drawString(72, y, label)
            for x1, figure in zip(COLUMNS, figures, strict=True):
                c.drawRightString(x1, y, figure.replace("-", minus))
            y -= 1.6 * size

    return render(draw)


def _scan(data: bytes, dpi: int, blur: float) -> tuple[np.ndarray, list[Word]]:
    """The page's ink at `dpi` (blurred by `blur` pixels first), and its words as OCR boxes them: tight round their
    ink."""
    doc = pdfium.PdfDocument(data)
    try:
        image = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        words = read_page(doc, 0).words
    finally:
        doc.close()
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    grey = np.asarray(image)
    ink = grey < threshold(grey)
    return ink, [_tight(w, ink, dpi) for w in words]


def _tight(w: Word, ink: np.ndarray, dpi: float) -> Word:
    """A word boxed as OCR boxes it: tight round its ink."""
    scale = dpi / 72
    x0, top = round(w.x0 * scale), round(w.top * scale)
    x1, bottom = round(w.x1 * scale) + 1, round(w.bottom * scale) + 1
    rows, cols = np.nonzero(ink[top:bottom, x0:x1])
    return Word(w.text, (x0 + cols.min()) / scale, (top + rows.min()) / scale, (x0 + cols.max() + 1) / scale,
                (top + rows.max() + 1) / scale, 0.95)


def _dropped(words: list[Word], font: str, size: float, *, boxed: bool) -> list[Word]:
    """The words as tesseract reads them when it drops each figure's minus: its text without it, and its box round
    the digits only unless `boxed` (tesseract's box often keeps the stroke it did not read)."""
    out = []
    for w in words:
        sign = w.text[:1]
        if sign in ("-", "\u2013") and len(w.text) > 1:
            x0 = w.x0 if boxed else w.x0 + stringWidth(sign, font, size)
            w = Word(w.text[1:], x0, w.top, w.x1, w.bottom, w.conf)
        out.append(w)
    return out


CASES = [("Helvetica", 9, "-"), ("Times-Roman", 10, "-"), ("Courier", 10, "-"), ("Helvetica", 12, "\u2013"),
         ("Helvetica-Bold", 8, "-"), ("Times-Roman", 7, "\u2013")]
SCANS = [(150, 0.8), (200, 0.0), (300, 0.0), (300, 1.6)]  # (dpi, blur in pixels): a worn scanner's, a clean one's


@pytest.mark.parametrize(("dpi", "blur"), SCANS)
@pytest.mark.parametrize(("font", "size", "minus"), CASES)
@pytest.mark.parametrize("boxed", [True, False], ids=["box-keeps-stroke", "box-round-digits"])
def test_a_minus_tesseract_dropped_is_put_back(font: str, size: float, minus: str, dpi: int, blur: float,
                                               boxed: bool) -> None:
    ink, words = _scan(_statement(font, size, minus), dpi, blur)
    read = _dropped(words, font, size, boxed=boxed)

    mended = mend_dropped_minus(read, ink, 72 / dpi)

    assert [w.text for w in mended] == [w.text.replace(minus, "-") for w in words]
    negatives = [w for w, before in zip(mended, read, strict=True) if w.text != before.text]
    assert negatives and all(w.conf == MINUS_CONF for w in negatives)


@pytest.mark.parametrize(("dpi", "blur"), SCANS)
@pytest.mark.parametrize(("font", "size", "minus"), CASES)
def test_a_figure_read_with_its_sign_or_without_one_printed_is_left_as_read(font: str, size: float, minus: str,
                                                                           dpi: int, blur: float) -> None:
    """Every digit's left side, in each face, at each resolution, starts a positive figure without reading as a
    minus; a figure whose minus tesseract read keeps it once."""
    ink, words = _scan(_statement(font, size, minus), dpi, blur)
    read = [Word(w.text.replace("\u2013", "-"), w.x0, w.top, w.x1, w.bottom, w.conf) for w in words]
    assert mend_dropped_minus(read, ink, 72 / dpi) == read


def test_a_minus_read_as_a_tilde_is_read_as_a_minus_where_the_stroke_is_there() -> None:
    ink, words = _scan(_statement("Helvetica", 9, "-"), 200, 0.0)
    misread = [Word("~" + w.text[1:] if w.text[:1] == "-" else w.text, w.x0, w.top, w.x1, w.bottom, w.conf)
               for w in words]

    mended = mend_dropped_minus(misread, ink, 72 / 200)

    assert [w.text for w in mended] == [w.text for w in words]


def test_a_tilde_with_no_stroke_on_the_page_is_left_as_read() -> None:
    """Where the page shows no level stroke before the digits, a "~" tesseract read is no minus it can confirm: the
    figure stays as read, for its low confidence to show."""
    ink, words = _scan(_statement("Helvetica", 9, ""), 200, 0.0)  # every figure printed without a sign
    misread = [Word("~" + w.text if w.text == "684.8" else w.text, w.x0, w.top, w.x1, w.bottom, w.conf)
               for w in words]
    assert mend_dropped_minus(misread, ink, 72 / 200) == misread


def test_a_stroke_tesseract_read_as_a_word_of_its_own_is_left_to_the_rows() -> None:
    ink, words = _scan(_statement("Helvetica", 10, "-"), 300, 0.0)
    read = []
    for w in _dropped(words, "Helvetica", 10, boxed=False):
        if w.text in ("684.8", "588.2"):  # the minus read as a word beside the figure
            read.append(Word("-", w.x0 - stringWidth("-", "Helvetica", 10), w.top, w.x0 - 0.5, w.bottom, 0.9))
        read.append(w)

    mended = mend_dropped_minus(read, ink, 72 / 300)

    assert [w.text for w in mended if w.text.endswith(("684.8", "588.2"))] == ["684.8", "588.2"]


@pytest.mark.parametrize(("font", "size"), [("Helvetica", 9), ("Times-Roman", 10), ("Courier", 10)])
def test_dashes_a_word_space_before_a_figure_rules_and_specks_are_no_minus(font: str, size: float) -> None:
    """A dash in text a word space before a figure ("Dividend per share – 4,321"), a leader of hyphens or em
    dashes spaced from the figure or run up to it, a rule through the digits' foot, a round speck and a short level
    speck before a figure are not its minus."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont(font, size)
        x1 = COLUMNS[0]
        c.drawString(72, 700, "Dividend per share")
        c.drawRightString(x1, 700, "\u2013 4,321")
        c.drawString(72, 684, "Leases")
        c.drawRightString(x1, 684, "- - - - - - - - 1,204")
        c.drawString(72, 668, "Other")
        c.drawRightString(x1, 668, "6,120")
        c.setLineWidth(0.6)  # a rule level with the digits' foot, reaching out before them
        c.line(x1 - stringWidth("6,120", font, size) - 0.6 * size, 668, x1, 668)
        c.drawString(72, 652, "Taxation")
        c.drawRightString(x1, 652, "2,511")
        c.circle(x1 - stringWidth("2,511", font, size) - 0.25 * size, 652 + 0.3 * size, 0.06 * size, fill=1)
        c.drawString(72, 636, "Trade payables")  # a typewriter's leader of hyphens run up to the figure
        c.drawRightString(x1, 636, "-" * 12 + "3,004")
        c.drawString(72, 604, "Provisions")  # a leader of em dashes, one line at the dashes' height, up to the figure
        c.drawRightString(x1, 604, "\u2014" * 20 + "1,950")
        c.drawString(72, 620, "Accruals")  # a short level speck before a figure: a sixth of the digits' height
        c.drawRightString(x1, 620, "7,118")
        c.rect(x1 - stringWidth("7,118", font, size) - 0.2 * size, 620 + 0.25 * size, 0.1 * size, 0.05 * size,
               stroke=0, fill=1)

    for dpi, blur in SCANS:
        ink, words = _scan(render(draw), dpi, blur)
        # tesseract dropped every dash as noise, and read the leader's last hyphens as nothing
        read = [Word(w.text.lstrip("-\u2014"), w.x0 + stringWidth(w.text[:-5], font, size) if w.text[:1] in "-\u2014"
                     else w.x0, w.top, w.x1, w.bottom, w.conf) for w in words if w.text not in ("\u2013", "-")]
        mended = mend_dropped_minus(read, ink, 72 / dpi)
        assert [w.text for w in mended if w.text[-1].isdigit()] == ["4,321", "1,204", "6,120", "2,511", "3,004",
                                                                     "1,950", "7,118"], (dpi, blur)


@pytest.mark.parametrize(("dpi", "blur"), SCANS)
@pytest.mark.parametrize("font", ["Times-Roman", "Helvetica", "Courier"])
def test_a_box_cut_short_of_the_digits_tops_measures_the_figure_by_its_ink(font: str, dpi: int, blur: float) -> None:
    """Tesseract's box may leave out the top of a figure's digits: the figure is measured by its ink, so the foot
    of its first digit (the tail of a "3" or "5", the base of a "2") does not stand at the middle height of a
    box cut short, to be taken for a minus."""
    ink, words = _scan(_statement(font, 10, "-"), dpi, blur)
    cut = [Word(w.text, w.x0, w.top + 0.45 * (w.bottom - w.top), w.x1, w.bottom, w.conf)
           if w.text[:1].isdigit() else w for w in words]
    assert mend_dropped_minus(cut, ink, 72 / dpi) == cut


@pytest.mark.parametrize("size", [6, 7, 8, 10])
@pytest.mark.parametrize("font", ["Times-Roman", "Times-Bold", "Helvetica-Bold"])
def test_the_slant_of_a_4_is_no_minus(font: str, size: float) -> None:
    """A "4" whose bar reaches left of its slant starts with a short level stroke at the middle height that rises
    into the slant: in a note reference ("4") or a figure ("4,417") scanned at 200 dpi and read at 300, as the
    pipeline reads a scan, boxed tight round its ink as tesseract boxes it, it is no minus."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont(font, size)
        for y, (note, figure) in zip((700, 684, 668), (("4", "4,417"), ("14", "41,204"), ("24", "4")), strict=True):
            c.drawString(72, y, "Revenues")
            c.drawRightString(300, y, note)
            c.drawRightString(400, y, figure)

    doc = pdfium.PdfDocument(render(draw))
    try:
        words = read_page(doc, 0).words
        scan = doc[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    grey = np.asarray(scan.resize((scan.width * 3 // 2, scan.height * 3 // 2), Image.Resampling.BICUBIC))
    ink = grey < threshold(grey)
    tight = [_tight(w, ink, 300) for w in words]
    assert mend_dropped_minus(tight, ink, 72 / 300) == tight
