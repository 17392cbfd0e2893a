"""A balance sheet lists what its assets are: a table titled like one that prints only totals above "Total assets"
(the parent entity's note of an Australian report, a five-year summary) is no statement, while a small balance
sheet that itemises its assets, and one continued from the page before, are."""

from __future__ import annotations

import pytest
from pdf_pages import Draw, render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract

FULL = [
    ("Cash and cash equivalents", "2,287,673", "1,993,700"), ("Trade receivables", "1,373,477", "96,705"),
    ("Total current assets", "3,661,150", "2,090,405"), ("Total assets", "3,661,150", "2,090,405"),
    ("Trade payables", "1,669,157", "327,908"), ("Total liabilities", "1,669,157", "327,908"),
    ("Issued capital", "39,992,575", "39,992,575"), ("Accumulated losses", "(38,000,582)", "(38,230,078)"),
    ("Total equity", "1,991,993", "1,762,497"),
]
SUMMARY = [
    ("Total current assets", "2,287,673", "1,993,700"), ("Total assets", "3,661,150", "2,090,405"),
    ("Total current liabilities", "2,292,003", "318,016"), ("Total liabilities", "1,669,157", "327,908"),
    ("Issued capital", "39,992,575", "39,992,575"), ("Accumulated losses", "(38,000,582)", "(38,230,078)"),
    ("Total equity", "1,991,993", "1,762,497"),
]


Rows = list[tuple[str, str, str]]


def _page(lines: list[str], title: str, rows: Rows) -> Draw:
    """A page: lines of text, a statement title, "2022 / 2021" and "$" over two columns, then the rows."""
    def draw(c: canvas.Canvas) -> None:
        y = 740.0
        c.setFont("Helvetica", 9)
        for line in lines:
            c.drawString(72, y, line)
            y -= 14
        c.setFont("Helvetica-Bold", 11)
        c.drawString(72, y - 6, title)
        y -= 34
        c.setFont("Helvetica-Bold", 9)
        for x, head in ((430, "2022"), (520, "2021")):
            c.drawRightString(x, y, head)
            c.drawRightString(x, y - 12, "$")
        y -= 30
        c.setFont("Helvetica", 9)
        for label, a, b in rows:
            c.drawString(72, y, label)
            c.drawRightString(430, y, a)
            c.drawRightString(520, y, b)
            y -= 15

    return draw


def _notes(c: canvas.Canvas) -> None:
    """A page of notes between the statements and the parent entity's note."""
    c.setFont("Helvetica", 9)
    for k in range(30):
        c.drawString(72, 720 - 14 * k, f"Note {k // 6 + 1}. The accounting policies applied are consistent with those "
                                       "of the previous financial year.")


def _report(note_title: str, note_rows: Rows) -> bytes:
    return render(
        _page(["Acme Technologies Ltd", "30 June 2022"], "Statement of financial position", FULL),
        _notes,
        _page(["Acme Technologies Ltd", "Notes to the financial statements", "30 June 2022",
               "Note 33. Parent entity information",
               "Set out below is the supplementary information about the parent entity."], note_title, note_rows),
    )


def _balance_sheets(pdf: bytes) -> list[list[int]]:
    return [st.pages for st in extract(pdf).statements if st.type == StatementType.BALANCE]


@pytest.mark.parametrize("title", ["Statement of financial position", "STATEMENT OF FINANCIAL POSITION",
                                   "Balance sheet"])
def test_a_table_of_totals_titled_as_a_balance_sheet_is_no_statement(title: str) -> None:
    assert _balance_sheets(_report(title, SUMMARY)) == [[1]]


def test_a_small_balance_sheet_that_itemises_its_assets_is_one() -> None:
    """The parent company's own statement, itemised, is a statement (reported apart from the consolidated one)."""
    assert _balance_sheets(_report("Statement of financial position", FULL)) == [[1], [3]]


def test_a_balance_sheet_continued_from_the_page_before_keeps_its_second_page() -> None:
    """A second page that opens on "Total assets" continues the assets itemised on the first."""
    assets = [("Inventories", "812,004", "790,112"), ("Prepayments", "51,220", "48,901"),
              ("Other receivables", "12,877", "10,301"), ("Contract assets", "220,415", "198,330"),
              ("Current tax assets", "9,100", "8,750"), ("Derivative assets", "4,410", "3,920"), *FULL[:3]]
    pdf = render(_page(["Acme Technologies Ltd"], "Statement of financial position", assets),
                 _page(["Acme Technologies Ltd"], "Statement of financial position (continued)", FULL[3:]))
    [pages] = _balance_sheets(pdf)
    assert pages == [1, 2]
