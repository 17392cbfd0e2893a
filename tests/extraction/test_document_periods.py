"""Periods decided across the document: a column headed only by a year takes the end date the filing's other
statements print for that year, where they print exactly one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from layouts import the

from finsheet import StatementType, extract
from finsheet.extraction.document_periods import settle_periods
from finsheet.model import LineItem, Period, Statement

TwoStatements = Callable[..., bytes]


@pytest.mark.parametrize(("dates", "ends"), [
    (("31 December 2022", "31 December 2021"), ["2022-12-31", "2021-12-31"]),
    (("May 29, 2022", "May 30, 2021"), ["2022-05-29", "2021-05-30"]),  # a fiscal year to May
    (("30.06.2022", "30.06.2021"), ["2022-06-30", "2021-06-30"]),
])
def test_bare_years_take_the_balance_sheet_dates(
    dates: tuple[str, str], ends: list[str], two_statements: TwoStatements
) -> None:
    """The income statement prints only '2022 2021'; the balance sheet dates the same years: those are the ends,
    and the values move to the dated keys."""
    st = the(extract(two_statements(bs_headings=dates, is_headings=("2022", "2021"))), StatementType.INCOME)
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ends
    assert [p.key for p in st.periods] == ends
    revenue = next(i for i in st.items if i.label == "Revenue")
    assert revenue.values == {ends[0]: 10_000, ends[1]: 9_000}


def test_a_year_end_in_january_is_not_matched_to_a_bare_year(two_statements: TwoStatements) -> None:
    """'2022' beside a balance sheet dated 29 January 2022 may be fiscal 2021 (retailers name a year ending in
    January for the year before): the end stays unknown."""
    st = the(extract(two_statements(bs_headings=("January 28, 2023", "January 29, 2022"),
                                    is_headings=("2022", "2021"))), StatementType.INCOME)
    assert [p.end for p in st.periods] == [None, None]


def test_two_dates_in_one_year_decide_nothing(two_statements: TwoStatements) -> None:
    """A balance sheet with two dates in the year (an interim and a year end) does not say which one '2022' means."""
    st = the(extract(two_statements(bs_headings=("June 30, 2022", "December 31, 2022"),
                                    is_headings=("2022", "2021"))), StatementType.INCOME)
    assert st.periods[0].end is None


def test_bracketed_words_beside_a_year_do_not_stop_the_dating(two_statements: TwoStatements) -> None:
    """'2021 (as restated)' is still the year 2021: words in brackets without a digit date nothing."""
    st = the(extract(two_statements(bs_headings=("31 December 2022", "31 December 2021"),
                                    is_headings=("2022", "2021 (as restated)"))), StatementType.INCOME)
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ["2022-12-31", "2021-12-31"]


@pytest.mark.parametrize("heading", ["Fiscal Year {}", "Fiscal {}", "FY{}", "FY {}", "Financial year {}"])
def test_a_fiscal_year_named_by_its_year_takes_the_balance_sheet_date(
    heading: str, two_statements: TwoStatements
) -> None:
    """'Fiscal Year 2022' is a bare year too: it takes the balance sheet's date for 2022 and stays twelve months."""
    st = the(extract(two_statements(bs_headings=("May 29, 2022", "May 30, 2021"),
                                    is_headings=(heading.format(2022), heading.format(2021)))), StatementType.INCOME)
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ["2022-05-29", "2021-05-30"]
    if "Financial" not in heading:  # "Fiscal year" and "FY" say twelve months; "Financial year" may be shorter
        assert [p.months for p in st.periods] == [12, 12]


def _company_over_columns(company: str) -> bytes:
    """An income statement whose company line is set right-aligned over its columns (as many 10-Ks print it),
    then a balance sheet that dates the years."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for title, heads, rows in (
        ("Consolidated Statements of Earnings", ("2022", "2021"),
         [("Net sales", "10,000", "9,000"), ("Cost of sales", "6,000", "5,500"), ("Gross profit", "4,000", "3,500"),
          ("Selling expenses", "1,500", "1,400"), ("Operating profit", "2,500", "2,100"),
          ("Income before income taxes", "2,500", "2,100"), ("Income taxes", "1,000", "900"),
          ("Net earnings", "1,500", "1,200")]),
        ("Consolidated Balance Sheets", ("May 29, 2022", "May 30, 2021"),
         [("Cash", "1,200", "1,000"), ("Total assets", "6,300", "5,800"), ("Total liabilities", "2,900", "2,950"),
          ("Total equity", "3,400", "2,850"), ("Total liabilities and equity", "6,300", "5,800")]),
    ):
        c.setFont("Helvetica-Bold", 10)
        c.drawRightString(540, 740, title)
        c.drawRightString(540, 726, company)
        c.drawRightString(540, 712, "(In Millions)")
        c.setFont("Helvetica", 9)
        c.drawRightString(460, 696, heads[0])
        c.drawRightString(540, 696, heads[1])
        y = 680.0
        for label, a, b in rows:
            c.drawString(72, y, label)
            c.drawRightString(460, y, a)
            c.drawRightString(540, y, b)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("company", ["GENERAL WIDGETS, INC. AND SUBSIDIARIES", "Northwind Holdings plc",
                                     "Acme Widget Manufacturing Corp.", "Widget Brands Ltd and its subsidiaries"])
def test_the_company_line_over_the_columns_is_no_column_heading(company: str) -> None:
    """The company's name set over the columns names the entity; the column under it is still headed '2022'."""
    st = the(extract(_company_over_columns(company)), StatementType.INCOME)
    assert [p.label for p in st.periods] == ["2022", "2021"]
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ["2022-05-29", "2021-05-30"]


def _under_running_header(header: str, years: tuple[str, str]) -> bytes:
    """A small company's balance sheet under a running header that states the period of the accounts."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica", 9)
    c.drawString(72, 760, "Heavy Widgets Limited")
    if header:
        c.drawString(72, 746, header)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, 716, "Balance sheet")
    c.setFont("Helvetica", 9)
    c.drawRightString(460, 698, years[0])
    c.drawRightString(540, 698, years[1])
    c.drawRightString(460, 686, "£")
    c.drawRightString(540, 686, "£")
    y = 668.0
    for label, a, b in [("Fixed assets", "", ""), ("Investments", "25,019", "25,019"), ("Current assets", "", ""),
                        ("Debtors", "2,808", "2,808"), ("Cash at bank and in hand", "433", "120"),
                        ("Creditors: amounts falling due within one year", "(1,589)", "(1,276)"),
                        ("Net assets", "26,671", "26,671"), ("Capital and reserves", "", ""),
                        ("Called up share capital", "500", "500"), ("Profit and loss account", "26,171", "26,171"),
                        ("Shareholders' funds", "26,671", "26,671")]:
        c.drawString(72, y, label)
        c.drawRightString(460, y, a)
        c.drawRightString(540, y, b)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(("header", "ends"), [
    ("Financial statements for the year ended 31 January 2016", ["2016-01-31", "2015-01-31"]),
    ("Annual report and accounts for the year ended 30 June 2016", ["2016-06-30", "2015-06-30"]),
    ("Report and financial statements for the period ended 31 December 2016", ["2016-12-31", "2015-12-31"]),
    ("Financial statements for the year ended 31 January 2017", [None, None]),  # no column is that year
    ("", [None, None]),
])
def test_a_running_header_stating_the_period_dates_bare_years(header: str, ends: list[str | None]) -> None:
    """'Financial statements for the year ended 31 January 2016' above a statement headed '2016 2015' dates its
    columns; a header whose date no column carries (a retailer's year named for the year before) dates none."""
    doc = extract(_under_running_header(header, ("2016", "2015")))
    (bs,) = [s for s in doc.statements if s.type == StatementType.BALANCE]
    assert [p.end.isoformat() if p.end else None for p in bs.periods] == ends


def _flow(kind: StatementType, columns: list[tuple[str, str, date | None]]) -> Statement:
    """A flow statement of one line whose columns are (key, heading, end), twelve months each."""
    periods = [Period(key=key, label=label, end=end, months=12) for key, label, end in columns]
    item = LineItem(label="Net income", page=1, box=(0.0, 0.0, 1.0, 1.0),
                    values={key: 100.0 * (k + 1) for k, (key, _, _) in enumerate(columns)})
    return Statement(type=kind, title=kind.display_name, pages=[1], confidence=0.9, periods=periods, items=[item])


YEARS_LOST = [("Year ended December 31/12m", "Year ended December 31", None),
              ("Year ended December 31/12m#2", "Year ended December 31", None),
              ("Year ended December 31/12m#3", "Year ended December 31", None)]
DATED = [(f"{y}-12-31", f"December 31, {y}", date(y, 12, 31)) for y in (2021, 2020, 2019)]


@pytest.mark.parametrize(("other", "ends"), [
    (DATED, ["2021-12-31", "2020-12-31", "2019-12-31"]),
    # another statement's days differ from the heading's: nothing says which ends these are
    ([(f"{y}-06-30", f"June 30, {y}", date(y, 6, 30)) for y in (2021, 2020, 2019)], [None, None, None]),
    # two columns only: not set alike
    (DATED[:2], [None, None, None]),
])
def test_a_statement_whose_years_ocr_lost_takes_the_ends_of_one_set_alike(
    other: list[tuple[str, str, date | None]], ends: list[str | None]
) -> None:
    """The income statement's line of years lost ("Year ended December 31" over each of three columns): the cash
    flow's three columns, dated, of the same length, each on the day the headings name, date them in order, and the
    figures move to the dated keys. A statement set otherwise dates nothing."""
    income = _flow(StatementType.INCOME, YEARS_LOST)
    settle_periods([income, _flow(StatementType.CASH_FLOW, other)], scanned={1})
    assert [p.end.isoformat() if p.end else None for p in income.periods] == ends
    if ends[0]:
        assert income.items[0].values == {"2021-12-31": 100.0, "2020-12-31": 200.0, "2019-12-31": 300.0}
