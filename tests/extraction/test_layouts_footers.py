"""A running footer that names the document beside the page's number ("Acme Corporation 2022 Annual Report  2")
is no line of the statement above it, whether the number stands at the right, under the figures, or beside it."""

from __future__ import annotations

import pytest
from pdf_pages import Draw, render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract

ROWS = [("Revenues", "23,182.6", "23,222.9"), ("Operating costs and expenses", "(13,811.6)", "(12,866.3)"),
        ("Operating income", "9,371.0", "10,356.6"), ("Interest expense", "(1,207.0)", "(1,185.8)"),
        ("Income before provision for income taxes", "8,164.0", "9,170.8"),
        ("Provision for income taxes", "(1,986.6)", "(1,625.3)"), ("Net income", "6,177.4", "7,545.5")]


def _prose(c: canvas.Canvas) -> None:
    c.setFont("Helvetica", 9)
    for k in range(20):
        c.drawString(72, 720 - 14 * k, "The Company operates and franchises restaurants in more than 100 markets.")


def _statement(footer: str, x: float) -> Draw:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 720, "CONSOLIDATED STATEMENT OF INCOME")
        c.setFont("Helvetica", 9)
        c.drawString(72, 706, "In millions")
        for column, year in ((430, "2022"), (520, "2021")):
            c.drawRightString(column, 684, year)
        y = 664.0
        for label, a, b in ROWS:
            c.drawString(72, y, label)
            c.drawRightString(430, y, a)
            c.drawRightString(520, y, b)
            y -= 15
        c.drawString(72, 40, footer)
        c.drawRightString(x, 40, "36")  # the page's printed number (not its index in the PDF)

    return draw


@pytest.mark.parametrize("footer", ["Acme Corporation 2022 Annual Report", "ACME INC. | FORM 10-K",
                                    "Acme plc Annual Report and Accounts 2022", "Acme plc Interim Report 2022",
                                    "Acme Ltd Half-Year Financial Report 2022"])
@pytest.mark.parametrize("x", [520, 430, 560])
def test_a_running_footer_is_no_line_of_the_statement(footer: str, x: float) -> None:
    [st] = [s for s in extract(render(_prose, _statement(footer, x))).statements if s.type == StatementType.INCOME]
    assert [it.label for it in st.items if it.values][-1] == "Net income"
    assert not any(footer.split()[0] in it.label for it in st.items)


@pytest.mark.parametrize("year_x", [520, 430])
def test_a_footer_whose_year_stands_in_a_column_is_no_line(year_x: float) -> None:
    """"ACME LIMITED ANNUAL REPORT 2022   36" set at the page's right, its year under a column of figures and its
    page number in none: a footer, not a line with a figure of 2022."""
    def footer(c: canvas.Canvas) -> None:
        _statement("", 560)(c)
        c.drawRightString(year_x - 30, 40, "ACME LIMITED ANNUAL REPORT")
        c.drawRightString(year_x, 40, "2022")

    [st] = [s for s in extract(render(_prose, footer)).statements if s.type == StatementType.INCOME]
    assert [it.label for it in st.items if it.values][-1] == "Net income"


ASSETS = [("Cash and cash equivalents", "4", "716,993", "490,838"), ("Inventory", "5", "130,755", "136,550"),
          ("Property, plant and equipment", "6", "976,206", "991,672"), ("Total assets", "", "1,823,954", "1,619,060")]
LIABILITIES = [("Accounts payable", "10", "112,481", "114,300"), ("Borrowings", "11", "286,922", "260,123"),
               ("Total liabilities", "", "399,403", "374,423"), ("Common stock", "12", "3,677", "3,677"),
               ("Retained earnings", "", "1,420,874", "1,240,960"),
               ("Total stockholders' equity", "", "1,424,551", "1,244,637"),
               ("Total liabilities and stockholders' equity", "", "1,823,954", "1,619,060")]


def _balance_page(title: str, rows: list[tuple[str, str, str, str]], header_year_x: float | None) -> Draw:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 8)
        if header_year_x is not None:  # the running header: the document's name, its year set at the right
            c.drawString(72, 760, "Meridian Components Corporation Annual Report")
            c.drawRightString(header_year_x, 760, "2022")
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 730, title)
        c.setFont("Helvetica", 9)
        c.drawString(72, 716, "$'000")
        for right, text in ((430, "December 31, 2022"), (520, "December 31, 2021")):
            c.drawRightString(right, 700, text)
        c.drawRightString(310, 688, "Notes")
        y = 670.0
        for label, note, a, b in rows:
            c.drawString(72, y, label)
            c.drawRightString(310, y, note)
            c.drawRightString(430, y, a)
            c.drawRightString(520, y, b)
            y -= 15

    return draw


@pytest.mark.parametrize("year_x", [310, 430, 560])
def test_a_running_header_whose_year_stands_over_a_column_is_no_line(year_x: float) -> None:
    """A statement's second page opens with the running header ("... Annual Report  2022"), its year set where the
    notes or a column of figures stand: page furniture, neither the first line of the table nor its heading."""
    pdf = render(_balance_page("CONSOLIDATED BALANCE SHEET", ASSETS, None),
                 _balance_page("CONSOLIDATED BALANCE SHEET (continued)", LIABILITIES, year_x))
    [st] = [s for s in extract(pdf).statements if s.type == StatementType.BALANCE]
    assert [p.key for p in st.periods] == ["2022-12-31", "2021-12-31"]
    assert [(it.label, list(it.values.values())) for it in st.items if it.values][-1] == (
        "Total liabilities and stockholders' equity", [1823954.0, 1619060.0])
    assert not any("Meridian" in it.label for it in st.items)
