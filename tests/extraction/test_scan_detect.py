"""Finding statements on scans: generated statements, rasterised as a scanner would and read through tesseract,
with what OCR makes of a printed page around their titles (a logo beside the title, a speck after it, a margin
decoration before it, a letter misread) and of their unit captions ("£’000" read as "£7000")."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from layouts import BALANCE, Row, line_values, the
from pdf_pages import Draw, render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import measure, scanned_copy
from finsheet.model import Document

T = StatementType

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

INCOME: list[Row] = [
    ("Revenue", ("10,000", "9,000")),
    ("Cost of sales", ("(6,000)", "(5,500)")),
    ("Gross profit", ("4,000", "3,500")),
    ("Administrative expenses", ("(2,100)", "(1,900)")),
    ("Operating profit", ("1,900", "1,600")),
    ("Finance costs", ("(300)", "(250)")),
    ("Profit before taxation", ("1,600", "1,350")),
    ("Taxation", ("(400)", "(340)")),
    ("Profit for the year", ("1,200", "1,010")),
]
CASH: list[Row] = [
    ("Cash flows from operating activities", ()),
    ("Profit for the year", ("1,200", "1,010")),
    ("Depreciation and amortisation", ("400", "380")),
    ("Net cash from operating activities", ("1,600", "1,390")),
    ("Purchases of property and equipment", ("(600)", "(500)")),
    ("Net cash used in investing activities", ("(600)", "(500)")),
    ("Dividends paid", ("(800)", "(700)")),
    ("Net cash used in financing activities", ("(800)", "(700)")),
    ("Net increase in cash and cash equivalents", ("200", "190")),
    ("Cash and cash equivalents at beginning of year", ("1,000", "810")),
    ("Cash and cash equivalents at end of year", ("1,200", "1,000")),
]
ROWS = {T.BALANCE: BALANCE, T.INCOME: INCOME, T.CASH_FLOW: CASH}


def table(c: canvas.Canvas, rows: Sequence[Row], y: float, *, unit: str = "$000", font: str = "Helvetica",
          size: float = 9, note: bool = False) -> None:
    """Rows of figures under two year headings and a units line (headed "Note" over a notes column: a UK
    report's layout)."""
    c.setFont(font, size)
    for line in (("2023", "2022"), (unit, unit)):
        for x, text in zip((430, 520), line, strict=True):
            c.drawRightString(x, y, text)
        y -= 14
    if note:
        c.drawRightString(360, y + 14, "Note")
    y -= 6
    for label, values in rows:
        c.drawString(72, y, label)
        for x, v in zip((430, 520), values, strict=False):
            c.drawRightString(x, y, v)
        y -= 14


def titled(title: str, rows: Sequence[Row], *, font: str = "Helvetica-Bold", size: float = 13,
           beside: Draw | None = None, unit: str = "$000", unit_font: str = "Helvetica", unit_size: float = 9,
           note: bool = False) -> Draw:
    """A statement page: the company, the title at the left margin (and whatever `beside` draws by it), the
    table."""
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 745, "Northwind Trading Limited")
        c.setFont(font, size)
        c.drawString(72, 725, title)
        if beside is not None:
            beside(c)
        c.setFont("Helvetica", 10)
        c.drawString(72, 708, "For the year ended 31 December 2023")
        table(c, rows, 670, unit=unit, font=unit_font, size=unit_size, note=note)

    return draw


def scan(pdf: bytes, tmp_path: Path) -> Document:
    """The document read from a 200 dpi image-only copy of every page."""
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    pages = list(range(1, len(__import__("pypdfium2").PdfDocument(str(path))) + 1))
    return extract(scanned_copy(path, pages))


# a first statement whose title OCR reads cleanly: the document is not one an untitled statement is guessed in
CLEAN = titled("Consolidated Balance Sheet", BALANCE)


def other(kind: T) -> Draw:
    """A clean first statement of another kind than `kind`."""
    return titled("Consolidated Income Statement", INCOME) if kind == T.BALANCE else CLEAN


def spoken(title: str) -> str:
    return " ".join(title.lower().split())


# --------------------------------------------------------------------------- titles


def logo(c: canvas.Canvas) -> None:
    """A company's emblem and word mark at the right of the title's line."""
    c.circle(470, 729, 11, stroke=1, fill=0)
    c.setFont("Times-BoldItalic", 16)
    c.drawString(488, 724, "northwind")


@needs_tesseract
@pytest.mark.parametrize(
    ("title", "kind", "font", "size"),
    [
        ("Statement of profit or loss and other comprehensive income", T.INCOME, "Helvetica-Bold", 11),
        ("CONSOLIDATED STATEMENT OF CASH FLOWS", T.CASH_FLOW, "Times-Bold", 13),
        ("Statement of Financial Position", T.BALANCE, "Helvetica", 14),
    ],
)
def test_a_logo_beside_a_title_is_not_part_of_it(title: str, kind: T, font: str, size: float,
                                                 tmp_path: Path) -> None:
    """OCR reads a logo printed on the title's line as words ("C) northwind"); the title is the title alone."""
    doc = scan(render(other(kind), titled(title, ROWS[kind], font=font, size=size, beside=logo)), tmp_path)
    st = the(doc, kind)
    assert st.pages == [2] and spoken(st.title) == spoken(title)
    label, printed = ROWS[kind][-1]
    assert line_values(st, label) == [float(v.replace(",", "")) for v in printed]


def speck(title: str, font: str, size: float) -> Draw:
    """A speck of dirt on the baseline right after the title's last letter."""
    def draw(c: canvas.Canvas) -> None:
        c.circle(72 + c.stringWidth(title, font, size) + 2.5, 725.8, 0.9, stroke=0, fill=1)

    return draw


@needs_tesseract
@pytest.mark.parametrize(
    ("title", "kind", "font", "size"),
    [
        ("CONSOLIDATED STATEMENT OF CASH FLOWS", T.CASH_FLOW, "Helvetica-Bold", 13),
        ("CONSOLIDATED BALANCE SHEETS", T.BALANCE, "Times-Bold", 12),
        ("GROUP INCOME STATEMENT", T.INCOME, "Courier-Bold", 12),
    ],
)
def test_a_speck_after_a_title_in_capitals_is_not_a_full_stop(title: str, kind: T, font: str, size: float,
                                                               tmp_path: Path) -> None:
    """OCR reads a speck after a title as its full stop ("BALANCE SHEETS."): a line in capitals is a heading,
    never a sentence."""
    page = titled(title, ROWS[kind], font=font, size=size, beside=speck(title, font, size))
    st = the(scan(render(other(kind), page), tmp_path), kind)
    assert st.pages == [2] and spoken(st.title) == spoken(title)


def dots(c: canvas.Canvas) -> None:
    """A decoration of dots in the margin before the title."""
    for i in range(5):
        for j in range(5):
            c.circle(30 + 7 * i, 705 + 7 * j, 1.8 - 0.3 * i, stroke=0, fill=1)


@needs_tesseract
@pytest.mark.parametrize(
    ("title", "kind", "font", "size"),
    [
        ("Consolidated statement of cash flows", T.CASH_FLOW, "Helvetica-Bold", 13),
        ("Consolidated statement of financial position", T.BALANCE, "Times-Roman", 15),
    ],
)
def test_a_margin_decoration_before_a_title_is_not_part_of_it(title: str, kind: T, font: str, size: float,
                                                              tmp_path: Path) -> None:
    """OCR reads a decoration in the margin as a token of symbols before the title ("2:...", "“2")."""
    page = titled(title, ROWS[kind], font=font, size=size, beside=dots)
    st = the(scan(render(other(kind), page), tmp_path), kind)
    assert st.pages == [2] and spoken(st.title) == spoken(title)


@needs_tesseract
@pytest.mark.parametrize(
    ("printed", "kind", "title"),
    [
        ("Conslidated Statements of Earnings", T.INCOME, "Consolidated Statements of Earnings"),
        ("Staternent of Cash Flows", T.CASH_FLOW, "Statement of Cash Flows"),
        ("CONSOLIDATED BALANCE SHEFTS", T.BALANCE, "CONSOLIDATED BALANCE SHEETS"),
    ],
)
def test_a_title_word_with_a_letter_misread_is_still_the_title(printed: str, kind: T, title: str,
                                                               tmp_path: Path) -> None:
    """A title printed as OCR misreads small type (a letter dropped, "m" as "rn", "E" as "F") names its
    statement all the same, spelled as it was meant."""
    st = the(scan(render(other(kind), titled(printed, ROWS[kind])), tmp_path), kind)
    assert st.pages == [2] and st.title == title


# --------------------------------------------------------------------------- units


@needs_tesseract
@pytest.mark.parametrize(
    ("unit", "font", "size"),
    [("£’000", "Times-Roman", 7.5), ("£’000", "Times-Bold", 8), ("£’000", "Times-Bold", 10), ("€’000", "Times-Bold", 8),
     ("$’000", "Times-Bold", 8)],
)
def test_a_thousands_caption_ocr_misreads_is_still_the_unit(unit: str, font: str, size: float,
                                                            tmp_path: Path) -> None:
    """OCR reads the apostrophe of "£’000" as a 7 or a degree sign ("£7000", "£°000"): still the columns' unit,
    never a row of figures of 7,000."""
    pdf = tmp_path / "units.pdf"
    units = {"unit": unit, "unit_font": font, "unit_size": size, "note": True}
    pdf.write_bytes(render(titled("Consolidated Balance Sheet", BALANCE, **units),
                           titled("Consolidated Income Statement", INCOME, **units)))
    results = measure(pdf)
    assert len(results) == 2
    for r in results:
        assert r.found and r.same_scale and r.wrong == 0, r
