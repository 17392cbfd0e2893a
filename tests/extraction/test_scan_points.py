"""A decimal point OCR lost: on a scanned statement printed to one or two decimals, a figure read with none is read
to the statement's precision (`items.restore_points`); a text layer, or a statement that mixes precisions, is read
as printed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import scanned_copy
from finsheet.extraction.detect import Section
from finsheet.extraction.parse import parse_section
from finsheet.model import LOW_CONFIDENCE, Page, Statement, Word

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

# (label, this year, last year) in millions to one decimal; the line under test is "Inventories"
ROWS = [
    ("Cash and cash equivalents", "569.4", "1,505.2"), ("Receivables", "1,692.1", "1,638.3"),
    ("Inventories", "{inventories}", "1,820.5"), ("Prepaid expenses and other current assets", "790.0", "760.3"),
    ("Total current assets", "{current}", "5,724.3"), ("Land, buildings, and equipment", "3,393.8", "3,606.8"),
    ("Goodwill", "14,378.5", "14,062.4"), ("Total assets", "{total}", "23,393.5"),
    ("Accounts payable", "3,982.3", "3,653.5"), ("Notes payable", "811.4", "361.3"),
    ("Total current liabilities", "4,793.7", "4,014.8"), ("Long-term debt", "9,134.7", "9,100.9"),
    ("Total liabilities", "13,928.4", "13,115.7"), ("Total stockholders' equity", "{equity}", "10,277.8"),
    ("Total liabilities and equity", "{total}", "23,393.5"),
]
INVENTORIES = 1867.3
FIGURES = {"inventories": "1,867.3", "current": "4,918.8", "total": "22,691.1", "equity": "8,762.7"}
# the totals that foot with inventories printed as a negative (in brackets)
NEGATIVE = {"current": "1,184.2", "total": "18,956.5", "equity": "5,028.1"}


def _balance_sheet(inventories: str, *, font: str = "Helvetica", rows: list[tuple[str, str, str]] = ROWS) -> bytes:
    figures = {**FIGURES, **(NEGATIVE if inventories.startswith("(") else {}), "inventories": inventories}

    def draw(c: canvas.Canvas) -> None:
        c.setFont(f"{font}-Bold" if font == "Helvetica" else font, 12)
        c.drawString(72, 720, "Consolidated Balance Sheets")
        c.setFont(font, 9)
        c.drawString(72, 705, "(In millions)")
        for x, heading in ((430, "May 29, 2022"), (520, "May 30, 2021")):
            c.drawRightString(x, 680, heading)
        y = 660.0
        for label, a, b in rows:
            c.drawString(72, y, label)
            c.drawRightString(430, y, a.format(**figures))
            c.drawRightString(520, y, b)
            y -= 15

    return render(draw)


def _inventories(st: Statement) -> tuple[float | None, float]:
    item = next(it for it in st.items if it.label == "Inventories")
    return item.values.get("2022-05-29"), item.confidence


@needs_tesseract
@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman"])
@pytest.mark.parametrize("printed", ["18673", "(18673)", "1.8673", "(1.8673)"])
def test_a_scanned_figure_without_its_point_is_read_to_the_statements_precision(
    tmp_path: Path, printed: str, font: str
) -> None:
    """'18673' among figures printed to one decimal is 1,867.3 read without its point; '(18673)' is -1,867.3. So is
    a figure whose separators fit no figure printed so: '1.8673' (its comma read as a point, its point lost)."""
    pdf = tmp_path / "bs.pdf"
    pdf.write_bytes(_balance_sheet(printed, font=font))
    [st] = [s for s in extract(scanned_copy(pdf, [1])).statements if s.type == StatementType.BALANCE]
    value, confidence = _inventories(st)
    assert value == (-INVENTORIES if printed.startswith("(") else INVENTORIES)
    assert confidence < LOW_CONFIDENCE  # read as the precision says, not as printed: shown to the analyst


def test_a_text_layer_figure_is_read_as_printed(tmp_path: Path) -> None:
    """A text layer holds the figure as printed: it never loses a point, so '18673' stays 18,673."""
    [st] = [s for s in extract(_balance_sheet("18673")).statements if s.type == StatementType.BALANCE]
    assert _inventories(st)[0] == 18673.0


@needs_tesseract
def test_a_statement_of_whole_figures_keeps_them(tmp_path: Path) -> None:
    """A statement whose figures are whole keeps a whole figure whole, though some lines print a decimal."""
    whole = [(label, a.split(".")[0] if k % 3 else a, b.split(".")[0] if k % 3 else b)
             for k, (label, a, b) in enumerate(ROWS)]
    pdf = tmp_path / "bs.pdf"
    pdf.write_bytes(_balance_sheet("18673", rows=whole))
    [st] = [s for s in extract(scanned_copy(pdf, [1])).statements if s.type == StatementType.BALANCE]
    assert _inventories(st)[0] == 18673.0


def _ocr_income(per_share: list[tuple[str, str, str]]) -> Statement:
    """An OCR'd income statement (words as tesseract gives them) whose per-share lines are `per_share`."""
    def words(y: float, *parts: tuple[str, float]) -> list[Word]:
        return [Word(text, x, y, x + 6 * len(text), y + 9, 0.9) for text, x in parts]

    lines = [("Revenue", "10,000", "9,000"), ("Cost of sales", "(6,000)", "(5,500)"), ("Net income", "4,000", "3,500"),
             *per_share]
    page_words = [*words(60, ("Income", 72), ("statement", 116)), *words(80, ("2023", 404), ("2022", 500))]
    for k, (label, a, b) in enumerate(lines):
        x, parts = 72.0, []
        for word in label.split():
            parts.append((word, x))
            x += 6 * len(word) + 6
        page_words += words(100 + 14 * k, *parts, (a, 430 - 6 * len(a)), (b, 526 - 6 * len(b)))
    page = Page(number=1, width=612, height=792, words=page_words, source="ocr")
    statement = parse_section(Section(StatementType.INCOME, "Income statement", [1], 0.9, 60.0, {1: 792.0}), {1: page})
    assert statement is not None
    return statement


def test_a_per_share_figure_without_its_point_reads_the_cents_its_neighbour_prints() -> None:
    """Diluted earnings per share read "256" beside basic "2.58": a point lost makes a figure a hundred times
    larger, and a period's per-share figures differ by a few per cent, so it is 2.56, shown as read again."""
    st = _ocr_income([("Basic earnings per share", "2.58", "2.30"), ("Diluted earnings per share", "256", "228")])
    diluted = next(it for it in st.items if it.label == "Diluted earnings per share")
    assert list(diluted.values.values()) == [2.56, 2.28]
    assert diluted.confidence < LOW_CONFIDENCE


@pytest.mark.parametrize("per_share", [
    [("Basic earnings per share (pence)", "256", "228"), ("Diluted earnings per share (pence)", "254", "226")],
    [("Basic earnings per share", "9.58", "9.30"), ("Diluted earnings per share", "256", "228")],
], ids=["whole-pence", "far-apart"])
def test_a_per_share_run_of_digits_with_no_neighbour_printing_its_cents_is_kept(
        per_share: list[tuple[str, str, str]]) -> None:
    """Pence printed whole have no neighbour printing cents, and a neighbour far from the digits read as cents says
    nothing of them: the figure is kept as read, shown doubtful."""
    st = _ocr_income(per_share)
    diluted = next(it for it in st.items if it.label.startswith("Diluted"))
    assert list(diluted.values.values()) == [float(per_share[1][1]), float(per_share[1][2])]
    assert diluted.confidence < LOW_CONFIDENCE
