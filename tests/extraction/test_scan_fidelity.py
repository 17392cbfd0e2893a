"""Scans read like text layers: generated statements, rasterised as a scanner would and read through tesseract,
give the figures, units and columns their text layer gives (`finsheet.bench_ocr`, run over the corpus by
`make bench ocr`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import compare, measure, scanned_copy

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


@needs_tesseract
@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman", "Courier"])
def test_a_scan_of_generated_statements_reads_like_their_text_layer(two_statements, tmp_path: Path,
                                                                    font: str) -> None:
    pdf = tmp_path / "statements.pdf"
    pdf.write_bytes(two_statements(font=font, bs_unit="(in millions)"))
    results = measure(pdf)
    assert {r.type for r in results} == {StatementType.BALANCE, StatementType.INCOME}
    for r in results:
        assert r.found and r.same_scale and r.same_periods, r
        assert (r.exact, r.wrong) == (r.figures, 0), r


@needs_tesseract
def test_a_figure_the_scan_reads_differently_counts_as_wrong(two_statements, tmp_path: Path) -> None:
    """The measure can fail: a 'scan' of other figures is scored against the text layer, and every figure that
    differs is counted wrong, not exact."""
    truth = two_statements()
    other = two_statements(cents=True)  # the same statements, every figure another number
    (tmp_path / "other.pdf").write_bytes(other)
    scan = extract(scanned_copy(tmp_path / "other.pdf", [1, 2]))
    results = compare("x.pdf", extract(truth), scan)
    assert results and all(r.found and r.exact == 0 and r.wrong == r.figures for r in results)
    # shown with full confidence under dated columns, every one of them is a silent error
    assert all(r.silent == r.wrong for r in results)


def test_a_wrong_figure_shown_doubtful_or_undated_is_not_silent(two_statements) -> None:
    """A misread the analyst is shown (a doubtful line, a column the scan could not date) is wrong, not silent."""
    truth = extract(two_statements())
    scan = extract(two_statements(cents=True))
    for st in scan.statements:
        if st.type == StatementType.BALANCE:
            for item in st.items:
                item.confidence = 0.5
        else:
            for period in st.periods:
                period.end = None
    results = compare("x.pdf", truth, scan)
    assert results and all(r.wrong == r.figures and r.silent == 0 for r in results)


def _dollar_line_statement() -> bytes:
    """A balance sheet whose only unit is a line of currency signs under the years, as Australian and US filers
    print it ("2022  2021" / "$  $")."""
    rows = [("Cash and cash equivalents", "1,204,318", "998,201"), ("Trade receivables", "803,115", "712,908"),
            ("Total current assets", "2,007,433", "1,711,109"), ("Property, plant and equipment", "4,310,972",
                                                                 "4,102,444"),
            ("Total assets", "6,318,405", "5,813,553"), ("Trade payables", "912,310", "851,004"),
            ("Borrowings", "2,001,000", "2,100,000"), ("Total liabilities", "2,913,310", "2,951,004"),
            ("Net assets", "3,405,095", "2,862,549"), ("Total equity", "3,405,095", "2,862,549")]
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 720, "Consolidated statement of financial position")
        c.setFont("Helvetica", 9)
        c.drawString(72, 705, "As at 30 June 2022")
        c.setFont("Helvetica-Bold", 9)
        for x, year in ((430, "2022"), (520, "2021")):
            c.drawRightString(x, 680, year)
            c.drawRightString(x, 668, "$")
        y = 648.0
        c.setFont("Helvetica", 9)
        for label, a, b in rows:
            c.drawString(72, y, label)
            c.drawRightString(430, y, a)
            c.drawRightString(520, y, b)
            y -= 15

    return render(draw)


@needs_tesseract
def test_a_line_of_currency_signs_under_the_years_gives_the_scan_its_unit(tmp_path: Path) -> None:
    """On a scan, "$  $" under the years is the statement's units line (whole dollars), not dirt to drop: the
    scan reads scale 1 as the text layer does, never an unknown or a guessed scale."""
    pdf = tmp_path / "dollars.pdf"
    pdf.write_bytes(_dollar_line_statement())
    [result] = measure(pdf)
    assert result.found and result.same_scale and result.same_periods, result
    scan = extract(scanned_copy(pdf, [1]))
    assert [st.scale for st in scan.statements] == [1]
