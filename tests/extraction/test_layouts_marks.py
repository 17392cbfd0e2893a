"""Footnote marks set as superscripts in a label ("Diluted net income per share¹", "Revenue*") on generated layouts:
the mark is no part of the line's name, whatever the face, the size, the mark, how high it stands, and whether the
text layer puts a space before it; a label that ends in a number of its own ("Tier 1 capital", "Level 2") keeps it."""

from __future__ import annotations

import re
import shutil

import pytest
from generated_filings import scanned
from layouts import line_values, statement
from pdf_pages import render
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType

INCOME: list[tuple[str, str | None, tuple[str, str]]] = [
    ("Revenue", "1", ("10,000", "9,000")),
    ("Cost of sales", None, ("(6,000)", "(5,500)")),
    ("Gross profit", None, ("4,000", "3,500")),
    ("Operating expenses", "2", ("(2,500)", "(2,300)")),
    ("Operating income", None, ("1,500", "1,200")),
    ("Income tax expense", None, ("(300)", "(250)")),
    ("Net income", None, ("1,200", "950")),
    ("Basic net income per share", "3", ("1.20", "0.95")),
    ("Diluted net income per share", "3", ("1.18", "0.93")),
]
"""(label, its footnote mark or None, figures): an income statement in thousands that foots."""


def _page(font: str, size: float, mark: str, rise: float, spaced: bool) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(font, 11)
        for y, line in ((720, "NORTHWIND TRADING CORP."), (704, "CONSOLIDATED STATEMENTS OF INCOME"),
                        (688, "(in thousands, except per share data)")):
            c.drawCentredString(306, y, line)
        c.setFont(font, size)
        c.drawRightString(430, 664, "2023")
        c.drawRightString(530, 664, "2022")
        y = 646.0
        for label, note, (a, b) in INCOME:
            c.setFont(font, size)
            c.drawString(72, y, label)
            if note is not None:
                # a superscript: smaller type, raised; set tight against the last letter or after a space
                x = 72 + stringWidth(label + (" " if spaced else ""), font, size)
                c.setFont(font, size * 0.6)
                c.drawString(x, y + rise * size, mark if mark != "n" else note)
                c.setFont(font, size)
            c.drawRightString(430, y, a)
            c.drawRightString(530, y, b)
            y -= size + 5
        c.setFont(font, size - 1)
        for k, text in enumerate(("(1) Revenue is stated net of returns and sales taxes.",
                                  "(2) Includes share-based compensation of $120 and $95.",
                                  "(3) Calculated on the weighted average number of shares outstanding.")):
            c.drawString(72, y - 14 - k * (size + 2), text)

    return render(draw)


@pytest.mark.parametrize(("font", "size", "mark", "rise", "spaced"), [
    ("Helvetica", 9, "n", 0.35, False),
    ("Helvetica", 9, "n", 0.35, True),
    ("Times-Roman", 10.5, "n", 0.4, False),
    ("Times-Roman", 8, "*", 0.35, False),
    ("Courier", 8, "n", 0.45, True),
    ("Helvetica", 10, "\u2020", 0.3, False),
    ("Helvetica", 9, "(n)", 0.35, False),
])
def test_a_superscript_mark_is_no_part_of_the_label(font: str, size: float, mark: str, rise: float,
                                                      spaced: bool) -> None:
    mark = mark.replace("n", "1") if mark == "(n)" else mark
    st = statement(_page(font, size, mark, rise, spaced), StatementType.INCOME)
    assert [it.label for it in st.items if it.values] == [label for label, _, _ in INCOME]
    assert st.scale == 1000 and line_values(st, "Revenue") == [10_000, 9_000]
    assert line_values(st, "Diluted net income per share") == [1.18, 0.93]


def test_a_number_printed_in_the_label_s_own_type_stays() -> None:
    """"Tier 1 capital", "Level 2 assets", "Class 3 units": the same digit in full-size type on the baseline."""

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 11)
        c.drawCentredString(306, 720, "CONSOLIDATED BALANCE SHEETS")
        c.drawCentredString(306, 704, "(in thousands)")
        c.setFont("Helvetica", 9)
        c.drawRightString(430, 680, "2023")
        c.drawRightString(530, 680, "2022")
        rows = [("Cash and cash equivalents", "500", "400"), ("Level 2 investments", "700", "600"),
                ("Total assets", "1,200", "1,000"), ("Deposits", "800", "700"), ("Tier 1 capital", "400", "300"),
                ("Total liabilities and equity", "1,200", "1,000")]
        for k, (label, a, b) in enumerate(rows):
            y = 662 - 14 * k
            c.drawString(72, y, label)
            c.drawRightString(430, y, a)
            c.drawRightString(530, y, b)

    st = statement(render(draw), StatementType.BALANCE)
    assert [it.label for it in st.items if it.values] == [
        "Cash and cash equivalents", "Level 2 investments", "Total assets", "Deposits", "Tier 1 capital",
        "Total liabilities and equity"]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_scanned_superscript_mark_is_no_part_of_the_label() -> None:
    """OCR reads a superscript into its word as a mark ("Revenue’", "share®") or not at all: never as a digit of
    the label, and never as a figure of the line."""
    st = statement(scanned(_page("Helvetica", 10, "n", 0.4, False)), StatementType.INCOME)
    assert [re.sub(r"[^\w ]", "", it.label) for it in st.items if it.values] == [label for label, _, _ in INCOME]
    assert line_values(st, "Net income") == [1_200, 950]
