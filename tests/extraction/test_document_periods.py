"""Periods decided across the document: a column headed only by a year takes the end date the filing's other
statements print for that year, where they print exactly one."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.model import Document, Statement

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


def page(c: canvas.Canvas, title: str, headings: Sequence[str], rows: Sequence[tuple[str, int, int]]) -> None:
    y = 720.0
    c.setFont("Helvetica", 11)
    for line in ("NORTHWIND TRADING PLC", title, "(in thousands)"):
        c.drawCentredString(306, y, line)
        y -= 16
    c.setFont("Helvetica", 9)
    for x, text in zip((430, 530), headings, strict=True):
        c.drawRightString(x, y, text)
    y -= 18
    for label, a, b in rows:
        c.drawString(72, y, label)
        c.drawRightString(430, y, f"{a:,}")
        c.drawRightString(530, y, f"{b:,}")
        y -= 14
    c.showPage()


def document(bs_dates: Sequence[str], is_years: Sequence[str] = ("2022", "2021")) -> Document:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    page(c, "Consolidated Income Statement", is_years, INCOME)
    page(c, "Consolidated Balance Sheet", bs_dates, BALANCE)
    c.save()
    return extract(buf.getvalue())


def income(doc: Document) -> Statement:
    (found,) = [s for s in doc.statements if s.type == StatementType.INCOME]
    return found


@pytest.mark.parametrize(("dates", "ends"), [
    (("31 December 2022", "31 December 2021"), ["2022-12-31", "2021-12-31"]),
    (("May 29, 2022", "May 30, 2021"), ["2022-05-29", "2021-05-30"]),  # a fiscal year to May
    (("30.06.2022", "30.06.2021"), ["2022-06-30", "2021-06-30"]),
])
def test_bare_years_take_the_balance_sheet_dates(dates: tuple[str, str], ends: list[str]) -> None:
    """The income statement prints only '2022 2021'; the balance sheet dates the same years: those are the ends,
    and the values move to the dated keys."""
    st = income(document(dates))
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ends
    assert [p.key for p in st.periods] == ends
    revenue = next(i for i in st.items if i.label == "Revenue")
    assert revenue.values == {ends[0]: 10_000, ends[1]: 9_000}


def test_a_year_end_in_january_is_not_matched_to_a_bare_year() -> None:
    """'2022' beside a balance sheet dated 29 January 2022 may be fiscal 2021 (retailers name a year ending in
    January for the year before): the end stays unknown."""
    st = income(document(("January 28, 2023", "January 29, 2022")))
    assert [p.end for p in st.periods] == [None, None]


def test_two_dates_in_one_year_decide_nothing() -> None:
    """A balance sheet with two dates in the year (an interim and a year end) does not say which one '2022' means."""
    st = income(document(("June 30, 2022", "December 31, 2022"), is_years=("2022", "2021")))
    assert st.periods[0].end is None


def test_bracketed_words_beside_a_year_do_not_stop_the_dating() -> None:
    """'2021 (as restated)' is still the year 2021: words in brackets without a digit date nothing."""
    st = income(document(("31 December 2022", "31 December 2021"), is_years=("2022", "2021 (as restated)")))
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ["2022-12-31", "2021-12-31"]
