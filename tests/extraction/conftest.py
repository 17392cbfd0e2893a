"""Fixtures of the extraction tests (helpers are fixtures here, never imported from tests)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

BALANCE = [
    ("Cash", 1_200, 1_000), ("Receivables", 800, 700), ("Total current assets", 2_000, 1_700),
    ("Property and equipment", 4_300, 4_100), ("Total assets", 6_300, 5_800),
    ("Payables", 900, 850), ("Long-term debt", 2_000, 2_100), ("Total liabilities", 2_900, 2_950),
    ("Shareholders' equity", 3_400, 2_850), ("Total liabilities and shareholders' equity", 6_300, 5_800),
]
INCOME = [
    ("Revenue", 10_000, 9_000), ("Cost of sales", 6_000, 5_500), ("Gross profit", 4_000, 3_500),
    ("Operating expenses", 2_500, 2_300), ("Operating income", 1_500, 1_200), ("Income tax", 300, 250),
    ("Net income", 1_200, 950),
]
DATES = ("December 31, 2023", "December 31, 2022")

TwoStatements = Callable[..., bytes]


def _page(c: canvas.Canvas, title: str, unit: str | None, headings: Sequence[str],
          rows: Sequence[tuple[str, int, int]], *, cents: bool, font: str, slant: float) -> None:
    y = 720.0
    c.setFont(font, 11)
    for line in ("NORTHWIND TRADING CORP.", title):
        c.drawCentredString(306, y, line)
        y -= 16
    if unit:
        # set level, obliqued by the text matrix (a slant of `slant` across for one up), as producers fake italics
        text = c.beginText()
        text.setTextTransform(1, 0, slant, 1, 306 - stringWidth(unit, font, 11) / 2, y)
        text.setFont(font, 11)
        text.textOut(unit)
        c.drawText(text)
        y -= 16
    c.setFont(font, 9)
    for x, text in zip((430, 530), headings, strict=True):
        c.drawRightString(x, y, text)
    y -= 18
    for label, a, b in rows:
        c.drawString(72, y, label)
        for x, v in ((430, a), (530, b)):
            c.drawRightString(x, y, f"{v * 101:,.2f}" if cents else f"{v:,}")
        y -= 14
    c.showPage()


@pytest.fixture
def two_statements() -> TwoStatements:
    """A factory of small PDFs: an optional page of prose, a balance sheet, then an income statement that foot.

    `bs_unit`/`is_unit`: the unit line under each title (None: none printed), `slant` its obliquing by the text
    matrix; `bs_headings`/`is_headings`: the two column headings; `cents`: figures printed to the cent (×101);
    `font`: a base-14 font name.
    """

    def make(*, bs_unit: str | None = "(in thousands)", is_unit: str | None = "(in thousands)",
             bs_headings: Sequence[str] = DATES, is_headings: Sequence[str] = DATES, prose: str = "",
             cents: bool = False, font: str = "Helvetica", slant: float = 0.0) -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=letter, invariant=True)
        if prose:
            c.setFont(font, 10)
            c.drawString(72, 720, "Notes on the presentation of these accounts")
            for k, line in enumerate(textwrap.wrap(prose, 95)):  # a long prose is a page of running text
                c.drawString(72, 700 - 13 * k, line)
            c.showPage()
        _page(c, "CONSOLIDATED BALANCE SHEETS", bs_unit, bs_headings, BALANCE, cents=cents, font=font, slant=slant)
        _page(c, "CONSOLIDATED STATEMENTS OF INCOME", is_unit, is_headings, INCOME, cents=cents, font=font, slant=slant)
        c.save()
        return buf.getvalue()

    return make
