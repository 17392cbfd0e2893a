"""Column headings and periods on generated layouts: each rule about how a heading dates its column, varied in date
format, heading line order, fonts and sizes, and column order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pdf_pages
import pytest
from layouts import BALANCE, CASH, income_rows, statement
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.model import Statement

T = StatementType


@dataclass
class Head:
    """One piece of heading text: right-aligned at x (a column's right edge) unless `centre` or `left` says."""

    x: float
    text: str
    size: float = 9
    bold: bool = True
    align: str = "right"


@dataclass
class Layout:
    title: str
    rows: Sequence[tuple[str, Sequence[str]]]
    heads: Sequence[Sequence[Head]] = ()
    columns: Sequence[float] = (430, 520)
    lines_under_title: Sequence[str] = ("(in thousands of U.S. dollars)",)
    extra: list[Layout] = field(default_factory=list)


def render(*pages: Layout) -> bytes:
    """One statement per page, drawn the way filings print them: title, lines under it, heading lines, rows."""
    return pdf_pages.render(*(lambda c, layout=layout: draw(c, layout) for layout in pages))


def draw(c: canvas.Canvas, layout: Layout) -> None:
    y = 740.0
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, y, "ACME HOLDINGS INC.")
    y -= 15
    c.drawString(72, y, layout.title)
    y -= 15
    c.setFont("Helvetica", 9)
    for line in layout.lines_under_title:
        c.drawString(72, y, line)
        y -= 13
    for line in layout.heads:
        tallest = max((h.size for h in line), default=9)
        for h in line:
            c.setFont("Helvetica-Bold" if h.bold else "Helvetica", h.size)
            text = {"right": c.drawRightString, "centre": c.drawCentredString, "left": c.drawString}[h.align]
            text(h.x, y, h.text)
        y -= tallest + 3
    y -= 6
    for label, values in layout.rows:
        c.setFont("Helvetica-Bold" if label.lower().startswith("total") else "Helvetica", 9)
        c.drawString(72, y, label)
        for x, v in zip(layout.columns, values, strict=False):
            if v:
                c.drawRightString(x, y, v)
        y -= 13


INCOME = income_rows(3)

THREE = (380, 460, 540)


def ends(st: Statement) -> list[date | None]:
    return [p.end for p in st.periods]


# --------------------------------------------------------------------------- a date over bare years


@pytest.mark.parametrize("day_heading", ["December 31,", "December 31", "Dec. 31,", "31 December"])
@pytest.mark.parametrize("over", ["first", "centre"])
@pytest.mark.parametrize("ascending", [False, True])
def test_a_date_without_year_dates_every_year_below_it(day_heading: str, over: str, ascending: bool) -> None:
    """"December 31," printed once over "2022 2021" (right over the first column, or centred) is every column's
    day: a balance sheet of two instants, in printed order."""
    years = ["2021", "2022"] if ascending else ["2022", "2021"]
    x = 425 if over == "first" else 475
    heads = [[Head(x, day_heading, align="right" if over == "first" else "centre")],
             [Head(430, years[0]), Head(520, years[1])]]
    bs = statement(render(Layout("CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(int(y), 12, 31) for y in years]
    assert all(p.months is None and p.start is None for p in bs.periods)


@pytest.mark.parametrize("as_of", ["As of", "As at", ""])
def test_a_date_line_under_an_as_of_line(as_of: str) -> None:
    """"As of / December 31, / 2022 2021" on three lines: the middle line spans both years."""
    heads = [[Head(475, as_of, align="centre")]] if as_of else []
    heads += [[Head(475, "June 30,", align="centre")], [Head(430, "2022"), Head(520, "2021")]]
    bs = statement(render(Layout("CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2022, 6, 30), date(2021, 6, 30)]


@pytest.mark.parametrize("words", ["Years ended December 31, 2022", "Year ended 31 December 2022"])
def test_a_dated_first_column_dates_its_bare_neighbours(words: str) -> None:
    """"Years ended December 31, 2022   2021   2020" on one line: the bare years share the first column's day."""
    heads = [[Head(380, words), Head(460, "2021"), Head(540, "2020")]]
    st = statement(render(Layout("CONSOLIDATED STATEMENTS OF OPERATIONS", INCOME, heads, THREE)), T.INCOME)
    assert ends(st) == [date(2022, 12, 31), date(2021, 12, 31), date(2020, 12, 31)]
    assert [p.months for p in st.periods] == [12, 12, 12]


def test_two_dateless_days_on_one_line_each_date_their_own_column() -> None:
    """"June 30, | December 31," over "2023 | 2022": each day belongs to the year under it."""
    heads = [[Head(430, "June 30,"), Head(520, "December 31,")], [Head(430, "2023"), Head(520, "2022")]]
    bs = statement(render(Layout("CONDENSED CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2023, 6, 30), date(2022, 12, 31)]


# --------------------------------------------------------------------------- the date in the title


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("For the years ended December 31, 2022, 2021 and 2020", ["2022-12-31", "2021-12-31", "2020-12-31"]),
        ("For the fiscal years ended December 31, 2022, December 25, 2021 and December 26, 2020",
         ["2022-12-31", "2021-12-25", "2020-12-26"]),
        ("for the year ended 30 June 2022", ["2022-06-30", "2021-06-30", "2020-06-30"]),
        ("Years ended 2 October 2022, 3 October 2021 and 27 September 2020",
         ["2022-10-02", "2021-10-03", "2020-09-27"]),
    ],
)
@pytest.mark.parametrize("ascending", [False, True])
def test_the_title_line_dates_bare_year_columns(line: str, expected: list[str], ascending: bool) -> None:
    """A line under the title names the year end (once, or once per year): each bare year takes its own date."""
    years = ["2022", "2021", "2020"]
    if ascending:
        years, expected = years[::-1], expected[::-1]
        rows = [(label, tuple(reversed(values))) for label, values in INCOME]
    else:
        rows = INCOME
    heads = [[Head(x, y) for x, y in zip(THREE, years, strict=True)]]
    st = statement(render(Layout("CONSOLIDATED STATEMENTS OF INCOME", rows, heads, THREE,
                                 lines_under_title=(line, "(in thousands)"))), T.INCOME)
    assert [p.key for p in st.periods] == expected


def test_a_year_the_page_does_not_date_stays_undated() -> None:
    """Bare years with no date anywhere on the page: the end is unknown (null), never guessed."""
    heads = [[Head(430, "2022"), Head(520, "2021")]]
    rows = [(label, values[:2]) for label, values in INCOME]
    st = statement(render(Layout("INCOME STATEMENT", rows, heads)), T.INCOME)
    assert ends(st) == [None, None]
    assert [p.key for p in st.periods] == ["2022", "2021"]


def test_a_half_year_title_does_not_date_the_full_year_column() -> None:
    """"For the six months ended 30 June 2023" dates the six-month columns; the "Year 2022" column ends on a day
    the page does not print, so it stays undated."""
    heads = [[Head(380, "Six months"), Head(460, "Six months"), Head(540, "Year")],
             [Head(380, "2023"), Head(460, "2022"), Head(540, "2022")]]
    st = statement(render(Layout("CONSOLIDATED INCOME STATEMENT", INCOME, heads, THREE,
                                 lines_under_title=("For the six months ended 30 June 2023", "£'000"))), T.INCOME)
    assert ends(st)[:2] == [date(2023, 6, 30), date(2022, 6, 30)]
    assert ends(st)[2] is None
    assert [p.months for p in st.periods] == [6, 6, 12]
    assert len({p.key for p in st.periods}) == 3


# --------------------------------------------------------------------------- several dates close together


@pytest.mark.parametrize("fmt", ["{m} {d}, {y}", "{d} {m} {y}"])
def test_dates_printed_close_together_each_stand_over_their_column(fmt: str) -> None:
    """Three dates with little space between them read as one run of text; each is still its own column's,
    with a group heading over the first ("53 Weeks Ended") and over the other two ("52 Weeks Ended")."""
    days = [(31, "December", 2022), (25, "December", 2021), (26, "December", 2020)]
    columns = (380, 452, 524)
    heads = [[Head(380, "53 Weeks Ended"), Head(490, "52 Weeks Ended", align="centre")],
             [Head(x, fmt.format(m=m, d=d, y=y), size=8) for x, (d, m, y) in zip(columns, days, strict=True)]]
    st = statement(render(Layout("CONSOLIDATED STATEMENTS OF INCOME", INCOME, heads, columns)), T.INCOME)
    assert [p.key for p in st.periods] == ["2022-12-31", "2021-12-25", "2020-12-26"]


# --------------------------------------------------------------------------- date formats


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("31.12.22", "31.12.21"), [date(2022, 12, 31), date(2021, 12, 31)]),
        (("31.12.2022", "31.12.2021"), [date(2022, 12, 31), date(2021, 12, 31)]),
        (("30/06/2022", "30/06/2021"), [date(2022, 6, 30), date(2021, 6, 30)]),
        (("2022-03-31", "2021-03-31"), [date(2022, 3, 31), date(2021, 3, 31)]),
        (("Sept. 30, 2022", "Sept. 30, 2021"), [date(2022, 9, 30), date(2021, 9, 30)]),
    ],
)
def test_numeric_and_abbreviated_dates(texts: tuple[str, str], expected: list[date]) -> None:
    """Dotted, slashed (day first where the day is above 12), ISO and abbreviated dates date their columns."""
    heads = [[Head(430, texts[0]), Head(520, texts[1])]]
    bs = statement(render(Layout("BALANCE SHEET", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == expected


@pytest.mark.parametrize(
    ("texts", "start", "end"),
    [
        (("1 January to", "31 December 2022"), date(2022, 1, 1), date(2022, 12, 31)),
        (("01.01.2022 -", "31.12.2022"), date(2022, 1, 1), date(2022, 12, 31)),
        (("1 July 2021 to", "30 June 2022"), date(2021, 7, 1), date(2022, 6, 30)),
        (("January 1, 2022 through", "December 31, 2022"), date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_a_range_heading_gives_start_and_end(texts: tuple[str, str], start: date, end: date) -> None:
    """"1 January to / 31 December 2022": the first date is the start, the second the end; twelve months."""
    prior = [start.replace(year=start.year - 1), end.replace(year=end.year - 1)]
    first, second = (re.sub(r"(?:19|20)\d\d", lambda m: str(int(m.group()) - 1), t) for t in texts)
    heads = [[Head(400, texts[0], size=8), Head(540, first, size=8)],
             [Head(400, texts[1], size=8), Head(540, second, size=8)]]
    rows = [(label, values[:2]) for label, values in INCOME]
    st = statement(render(Layout("INCOME STATEMENT", rows, heads, (400, 540))), T.INCOME)
    assert [(p.start, p.end, p.months) for p in st.periods] == [(start, end, 12), (prior[0], prior[1], 12)]


# --------------------------------------------------------------------------- units, footnotes, fonts


@pytest.mark.parametrize("unit", ["£'000", "£000", "£m"])
@pytest.mark.parametrize("order", ["unit first", "year first"])
def test_a_unit_inside_a_heading_keeps_the_year(unit: str, order: str) -> None:
    """"£'000 2022" on one heading line: the year is the column's, the unit is the statement's scale."""
    def head(year: str) -> str:
        return f"{unit} {year}" if order == "unit first" else f"{year} {unit}"

    heads = [[Head(430, head("2022")), Head(520, head("2021"))]]
    bs = statement(render(Layout("STATEMENT OF FINANCIAL POSITION", BALANCE, heads,
                                 lines_under_title=("As at 31 December 2022",))), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]
    assert bs.scale == (1_000_000 if unit == "£m" else 1000)
    assert bs.currency == "GBP"


def test_a_footnote_mark_glued_to_a_year_is_not_part_of_it() -> None:
    """"2021" with a footnote "1" printed against it reads "20211": the column is 2021."""
    heads = [[Head(475, "December 31,", align="centre")], [Head(430, "2022"), Head(520, "20211")]]
    bs = statement(render(Layout("CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]


@pytest.mark.parametrize("sizes", [(11, 8, 7), (7, 9, 11), (9, 9, 6)])
def test_heading_lines_of_mixed_sizes(sizes: tuple[float, float, float]) -> None:
    """The day, the current year and the prior year in three font sizes (a bold current year is common)."""
    day, current, prior = sizes
    heads = [[Head(475, "December 31,", size=day, align="centre")],
             [Head(430, "2022", size=current), Head(520, "2021", size=prior, bold=False)]]
    bs = statement(render(Layout("CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]


# --------------------------------------------------------------------------- lengths and keys


def test_quarter_and_year_to_date_columns_keep_distinct_keys() -> None:
    """A 10-Q's 13-week and 39-week columns ending on the same days: keys say the length."""
    columns = (340, 410, 480, 550)
    heads = [[Head(375, "13 Weeks Ended", align="centre"), Head(515, "39 Weeks Ended", align="centre")],
             [Head(375, "October 29,", align="centre"), Head(515, "October 29,", align="centre")],
             [Head(340, "2022"), Head(410, "2021"), Head(480, "2022"), Head(550, "2021")]]
    rows = [(label, (values[0], values[1], values[0], values[1])) for label, values in INCOME]
    st = statement(render(Layout("CONSOLIDATED STATEMENTS OF OPERATIONS", rows, heads, columns)), T.INCOME)
    assert [p.key for p in st.periods] == ["2022-10-29/3m", "2021-10-29/3m", "2022-10-29/9m", "2021-10-29/9m"]


@pytest.mark.parametrize("first", ["1 Jan {y} to", "Year ended"])
def test_a_balance_sheet_column_is_an_instant_whatever_its_heading_says(first: str) -> None:
    """A balance sheet headed like a period (a range, "Year ended 31 Dec 2022") is still dated at its end."""
    heads = [[Head(430, first.format(y=2022), size=8), Head(520, first.format(y=2021), size=8)],
             [Head(430, "31 Dec 2022", size=8), Head(520, "31 Dec 2021", size=8)]]
    bs = statement(render(Layout("BALANCE SHEET", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]
    assert all(p.start is None and p.months is None for p in bs.periods)


# --------------------------------------------------------------------------- columns that are not periods


ACTIVITY = [
    ("Contributions", ("1,000", "500", "1,500", "1,400")),
    ("Grants", ("2,000", "", "2,000", "1,800")),
    ("Total revenue", ("3,000", "500", "3,500", "3,200")),
    ("Program services", ("(2,500)", "", "(2,500)", "(2,300)")),
    ("Change in net assets", ("500", "500", "1,000", "900")),
]


@pytest.mark.parametrize("year_over", ["total", "all three"])
def test_donor_restriction_columns_are_parts_of_the_year(year_over: str) -> None:
    """"Without donor restrictions | With donor restrictions | Total" under one year: only the total is the
    period; the parts are kept, keyed by their heading, with no date of their own."""
    cols = (330, 410, 490, 570)
    year = [Head(490, "2022")] if year_over == "total" else [Head(450, "2022", align="centre")]
    heads = [[*year, Head(570, "2021")],
             [Head(330, "Without Donor", size=8), Head(410, "With Donor", size=8)],
             [Head(330, "Restrictions", size=8), Head(410, "Restrictions", size=8), Head(490, "Total", size=8),
              Head(570, "Total", size=8)]]
    st = statement(render(Layout("STATEMENT OF ACTIVITIES", ACTIVITY, heads, cols,
                                 lines_under_title=("For the year ended June 30, 2022",))), T.INCOME)
    assert ends(st) == [None, None, date(2022, 6, 30), date(2021, 6, 30)]
    assert [p.key for p in st.periods][2:] == ["2022-06-30", "2021-06-30"]
    assert len({p.key for p in st.periods}) == 4


@pytest.mark.parametrize("centred_on", ["cells", "figures"])
@pytest.mark.parametrize("width", [70, 90])
def test_a_year_centred_over_three_columns_dates_each_of_them(centred_on: str, width: float) -> None:
    """"2022" centred over "Without Donor Restrictions | With Donor Restrictions | Total" (on the columns' cells or
    on their figures), beside "2021" over one total: the year is each of the three columns', so the parts are keyed
    by their heading and the year ("without donor restrictions 2022-06-30"), the total is the period."""
    cols = tuple(570 - width * (3 - k) for k in range(4))
    figure = stringWidth("3,500", "Helvetica", 9)
    mid = (cols[0] - width + cols[2]) / 2 if centred_on == "cells" else (cols[0] + cols[2] - figure) / 2
    heads = [[Head(mid, "2022", align="centre"), Head(cols[3], "2021")],
             [Head(cols[0], "Without Donor", size=8), Head(cols[1], "With Donor", size=8)],
             [Head(cols[0], "Restrictions", size=8), Head(cols[1], "Restrictions", size=8),
              Head(cols[2], "Total", size=8), Head(cols[3], "Total", size=8)]]
    st = statement(render(Layout("STATEMENT OF ACTIVITIES", ACTIVITY, heads, cols,
                                 lines_under_title=("For the year ended June 30, 2022",))), T.INCOME)
    assert [p.key for p in st.periods] == ["without donor restrictions 2022-06-30", "with donor restrictions "
                                           "2022-06-30", "2022-06-30", "2021-06-30"]
    assert ends(st) == [None, None, date(2022, 6, 30), date(2021, 6, 30)]


def test_a_line_listing_years_dates_the_table_not_a_column() -> None:
    """"December 31, 2022 and 2021" printed under the title, over the first column: the table's dates, like the
    title; each column keeps its own year."""
    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 10)
        for y, text in ((740, "Cedar Valley Food Bank"), (727, "Statements of Financial Position"),
                        (714, "December 31, 2022 and 2021")):
            c.drawCentredString(400, y, text)
        c.setFont("Helvetica", 9)
        c.drawRightString(430, 696, "2022")
        c.drawRightString(520, 696, "2021")
        for k, (label, (a, b)) in enumerate(BALANCE):
            c.drawString(72, 680 - 13 * k, label)
            c.drawRightString(430, 680 - 13 * k, a)
            c.drawRightString(520, 680 - 13 * k, b)

    bs = statement(pdf_pages.render(page), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]


@pytest.mark.parametrize(("whole", "part"), [("Total", "Revenue"), ("Statutory", "Underlying"), ("Group", "Company")])
def test_a_part_column_under_the_same_date_loses_the_date(whole: str, part: str) -> None:
    """Two columns dated alike, one headed as the whole (total, statutory, group), the other as a part: the
    whole is the period, the part keeps its values under a key naming it."""
    heads = [[Head(430, part), Head(520, whole)], [Head(430, "31 March 2022"), Head(520, "31 March 2022")]]
    rows = [(label, (values[0], values[0])) for label, values in INCOME]
    st = statement(render(Layout("INCOME STATEMENT", rows, heads)), T.INCOME)
    assert ends(st) == [None, date(2022, 3, 31)]
    assert [p.key for p in st.periods] == [f"{part.lower()} 2022-03-31", "2022-03-31"]


@pytest.mark.parametrize("offset", [0, 15, -15])
def test_group_and_company_headings_centred_over_two_years(offset: float) -> None:
    """"Group" and "Company" each centred (roughly) over "2022 2021": the company's columns are not the group's
    periods."""
    cols = (330, 410, 490, 570)
    heads = [[Head(360 + offset, "Group", align="centre"), Head(520 + offset, "Company", align="centre")],
             [Head(x, y) for x, y in zip(cols, ("2022", "2021", "2022", "2021"), strict=True)],
             [Head(x, "£'000", size=8) for x in cols]]
    rows = [(label, (a, b, a, b)) for label, (a, b) in BALANCE]
    bs = statement(render(Layout("STATEMENT OF FINANCIAL POSITION", rows, heads, cols,
                                 lines_under_title=("As at 31 December 2022",))), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31), None, None]
    assert [p.key for p in bs.periods][2:] == ["company 2022-12-31", "company 2021-12-31"]


@pytest.mark.parametrize("dates", [("2022", "2021"), ("31 December 2022", "31 December 2021"),
                                   ("31.12.2022", "31.12.2021")])
@pytest.mark.parametrize("restated", [False, True])
def test_group_and_company_centred_on_their_cells_span_both_years(dates: tuple[str, str], restated: bool) -> None:
    """"Group" and "Company" centred on the cells of their two years (cells 90 pt wide, figures right-aligned in
    them) stand just right of the first year's figures, nearer them than the midpoint of the two years' figures,
    with that year's date right under them: in the gap between two dated columns, each still spans both years."""
    cols = (300, 390, 480, 570)
    heads = [[Head(302, "Group", align="centre"), Head(482, "Company", align="centre")],
             [Head(x, d) for x, d in zip(cols, dates * 2, strict=True)]]
    if restated:
        heads.append([Head(390, "Restated", size=8), Head(570, "Restated", size=8)])
    rows = [(label, (a, b, a, b)) for label, (a, b) in BALANCE]
    bs = statement(render(Layout("STATEMENT OF FINANCIAL POSITION", rows, heads, cols,
                                 lines_under_title=("As at 31 December 2022",))), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31), None, None]
    assert [p.key for p in bs.periods][2:] == ["company 2022-12-31", "company 2021-12-31"]
    assert [p.restated for p in bs.periods] == [False, restated, False, restated]


def test_a_company_name_above_the_title_heads_no_column() -> None:
    """The company's name centred above the title, over the first column and narrower than the columns' spacing,
    names the reporting entity: it is no heading of the group's years, which stay the group's."""
    cols = (330, 410, 490, 570)

    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 9)
        for y, text in ((740, "Tallis plc"), (728, "Balance sheet (continued)"), (716, "As at 31 December 2022")):
            c.drawCentredString(318, y, text)
        c.drawCentredString(336, 698, "Group")
        c.drawCentredString(496, 698, "Company")
        for x, year in zip(cols, ("2022", "2021", "2022", "2021"), strict=True):
            c.drawRightString(x, 686, year)
        c.setFont("Helvetica", 9)
        for k, (label, (a, b)) in enumerate(BALANCE):
            c.drawString(72, 668 - 13 * k, label)
            for x, v in zip(cols, (a, b, a, b), strict=True):
                c.drawRightString(x, 668 - 13 * k, v)

    bs = statement(pdf_pages.render(page), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31), None, None]
    assert [p.key for p in bs.periods][2:] == ["company 2022-12-31", "company 2021-12-31"]


def test_columns_alike_but_for_a_restatement_stay_periods() -> None:
    """The same date twice with nothing naming a whole ("2022 | 2022 Restated") is not a period and its parts."""
    heads = [[Head(430, "2022"), Head(520, "2022")], [Head(520, "Restated", size=8)]]
    rows = [(label, values[:2]) for label, values in INCOME]
    st = statement(render(Layout("INCOME STATEMENT", rows, heads, lines_under_title=("Year ended 31 December 2022",))),
                   T.INCOME)
    assert ends(st) == [date(2022, 12, 31), date(2022, 12, 31)]
    assert [p.restated for p in st.periods] == [False, True]


@pytest.mark.parametrize("sign", ["£", "$", "€"])
def test_inner_and_outer_columns_headed_by_a_currency_sign_are_one_year(sign: str) -> None:
    """Two sub-columns per year, each headed only "£" (details left, totals right): one period per year."""
    cols = (360, 430, 500, 570)
    heads = [[Head(430, "2022"), Head(570, "2021")], [Head(x, sign, size=8) for x in cols]]
    rows = [("Tangible assets", ("", "10,000", "", "9,000")),
            ("Debtors", ("5,000", "", "4,000", "")), ("Cash at bank", ("3,000", "", "2,000", "")),
            ("Creditors: due within one year", ("(2,000)", "", "(1,500)", "")),
            ("Net current assets", ("", "6,000", "", "4,500")),
            ("Net assets", ("", "16,000", "", "13,500")), ("Called up share capital", ("", "100", "", "100")),
            ("Profit and loss account", ("", "15,900", "", "13,400")),
            ("Shareholders' funds", ("", "16,000", "", "13,500"))]
    bs = statement(render(Layout("BALANCE SHEET", rows, heads, cols, lines_under_title=("AS AT 31 DECEMBER 2022",))),
                   T.BALANCE)
    assert [p.key for p in bs.periods] == ["2022-12-31", "2021-12-31"]
    debtors = next(it for it in bs.items if it.label == "Debtors")
    assert debtors.values == {"2022-12-31": 5000.0, "2021-12-31": 4000.0}


UK_SUB_COLUMNS = [  # (label, inner this year, outer this year, inner last year, outer last year)
    ("Fixed assets", "", "", "", ""), ("Tangible assets", "", "4,210,079", "", "4,338,048"),
    ("Investments", "", "2", "", "2"), ("Current assets", "", "", "", ""),
    ("Stocks", "4,437,178", "", "4,456,993", ""), ("Debtors", "4,269,622", "", "4,252,633", ""),
    ("Cash at bank and in hand", "250", "", "108,541", ""), ("", "8,707,050", "", "8,818,167", ""),
    ("Creditors: amounts falling due within one year", "(4,509,847)", "", "(4,724,476)", ""),
    ("Net current assets", "", "4,197,203", "", "4,093,691"),
    ("Net assets", "", "8,407,284", "", "8,461,741"), ("Called up share capital", "", "103,000", "", "103,000"),
    ("Profit and loss account", "", "8,304,284", "", "8,358,741"),
    ("Shareholders' funds", "", "8,407,284", "", "8,461,741")]


@pytest.mark.parametrize("date_line", ["31 December 2015", "December 31, 2015", "31st December 2015"])
@pytest.mark.parametrize(("axis", "columns"), [(297, (327, 394, 459, 526)), (280, (300, 360, 450, 510)),
                                               (310, (350, 410, 470, 530))])
@pytest.mark.parametrize("years", ["centred", "outer"])
def test_a_date_under_a_centred_title_dates_the_statement_not_the_column_below_it(
        date_line: str, axis: float, columns: tuple[float, ...], years: str) -> None:
    """A UK balance sheet's title block centred on the page ("Balance Sheet / 31 December 2015") above inner and
    outer columns per year: the date line happens to stand over this year's inner column, but it is the title's
    date (a title block's lines share its axis), so the inner and outer columns stay one year each."""

    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(axis, 790, "Harbour Lane Limited (Registered number: 00477955)")
        c.drawCentredString(axis, 776, "Balance Sheet")
        c.drawCentredString(axis, 764, date_line)
        c.setFont("Helvetica-Bold", 9)
        for k, year in ((0, "2015"), (2, "2014")):
            if years == "centred":  # the year over the gap between its inner and outer columns
                c.drawCentredString((columns[k] + columns[k + 1]) / 2 - 18, 742, year)
            else:
                c.drawRightString(columns[k + 1], 742, year)
        c.setFont("Helvetica", 9)
        for x in columns:
            c.drawRightString(x - 15, 730, "£")
        for k, (label, *figures) in enumerate(UK_SUB_COLUMNS):
            c.drawString(56, 716 - 12 * k, label)
            for x, v in zip(columns, figures, strict=True):
                c.drawRightString(x, 716 - 12 * k, v)

    bs = statement(pdf_pages.render(page, size=(595, 842)), T.BALANCE)
    assert ends(bs) == [date(2015, 12, 31), date(2014, 12, 31)]
    values = {it.label: list(it.values.values()) for it in bs.items if it.values}
    assert values["Investments"] == [2, 2] and values["Debtors"] == [4_269_622, 4_252_633]


def test_a_date_centred_over_columns_centred_under_the_title_heads_them() -> None:
    """When the columns themselves stand centred under the title, a date centred there is theirs: it still dates
    both columns, whichever way it is read."""

    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(400, 776, "Balance Sheet")
        c.setFont("Helvetica-Bold", 9)
        c.drawCentredString(400, 760, "December 31,")
        c.drawRightString(380, 748, "2015")
        c.drawRightString(450, 748, "2014")
        c.setFont("Helvetica", 9)
        for k, (label, (a, b)) in enumerate(BALANCE):
            c.drawString(56, 730 - 12 * k, label)
            c.drawRightString(380, 730 - 12 * k, a)
            c.drawRightString(450, 730 - 12 * k, b)

    bs = statement(pdf_pages.render(page), T.BALANCE)
    assert ends(bs) == [date(2015, 12, 31), date(2014, 12, 31)]


@pytest.mark.parametrize("heading", ["Year ended 31 March {y}", "{y}"])
def test_revenue_capital_total_under_each_year(heading: str) -> None:
    """An investment trust's "Revenue | Capital | Total" under each year's centred heading: the totals are the
    periods, revenue and capital their parts."""
    cols = (300, 360, 420, 480, 540, 600)
    heads = [[Head(360, heading.format(y=2022), align="centre", size=8),
              Head(540, heading.format(y=2021), align="centre", size=8)],
             [Head(x, t, size=8) for x, t in zip(cols, ["Revenue", "Capital", "Total"] * 2, strict=True)],
             [Head(x, "£'000", size=8) for x in cols]]
    rows = [("Gains on investments", ("-", "5,000", "5,000", "-", "4,000", "4,000")),
            ("Investment income", ("1,000", "-", "1,000", "900", "-", "900")),
            ("Management fee", ("(100)", "(300)", "(400)", "(90)", "(270)", "(360)")),
            ("Return before taxation", ("900", "4,700", "5,600", "810", "3,730", "4,540")),
            ("Return after taxation", ("900", "4,700", "5,600", "810", "3,730", "4,540"))]
    st = statement(render(Layout("INCOME STATEMENT", rows, heads, cols,
                                 lines_under_title=("for the year ended 31 March 2022",))), T.INCOME)
    assert ends(st) == [None, None, date(2022, 3, 31), None, None, date(2021, 3, 31)]
    assert [p.key for p in st.periods] == ["revenue 2022-03-31", "capital 2022-03-31", "2022-03-31",
                                          "revenue 2021-03-31", "capital 2021-03-31", "2021-03-31"]


def test_a_wrapped_heading_stays_over_its_own_column() -> None:
    """A column's heading wrapped over three lines ("Accumulated Other / Comprehensive / Income"), standing between
    its narrow figures and the neighbour's, is that column's only: it does not span the neighbour."""
    heads = [[Head(500, "Accumulated Other", size=8)], [Head(500, "Comprehensive", size=8)],
             [Head(400, "Retained Earnings", size=8), Head(500, "Income", size=8)]]
    rows = [("Balance at beginning of year", ("5", "7")), ("Net income", ("3", "")),
            ("Other comprehensive income", ("", "2")), ("Dividends", ("(1)", "")),
            ("Balance at end of year", ("7", "9"))]
    data = render(Layout("STATEMENT OF CHANGES IN EQUITY", rows, heads, (400, 500)))
    found = [st for st in extract(data).statements if st.periods]
    assert found and found[0].periods[0].label == "Retained Earnings"
    assert found[0].periods[1].label == "Accumulated Other Comprehensive Income"


def test_a_dateless_date_in_the_label_area_is_not_a_heading() -> None:
    """"Balance at January 1," printed at the left of the years' line is that line's label: it heads no column,
    while "December 31," over the years does."""
    heads = [[Head(475, "December 31,", align="centre")],
             [Head(72, "Balance at January 1,", align="left", bold=False), Head(430, "2022"), Head(520, "2021")]]
    bs = statement(render(Layout("CONSOLIDATED BALANCE SHEETS", BALANCE, heads)), T.BALANCE)
    assert ends(bs) == [date(2022, 12, 31), date(2021, 12, 31)]
    assert all("Balance" not in p.label for p in bs.periods)


@pytest.mark.parametrize("units", ["(In U.S. dollars, except for number of shares and per share data)",
                                   "(Expressed in Canadian dollars)", "(In euros)", "(in thousands of U.S. dollars)"])
@pytest.mark.parametrize("glued", [False, True])
def test_a_units_line_over_the_columns_is_no_column_heading(units: str, glued: bool) -> None:
    """The units line printed over the first column, and a date line whose text layer ran the month into the word
    before it ("EndedDecember 31,"): the units belong to the statement, the date to every bare year below it."""
    ended = "For the year EndedDecember 31," if glued else "For the year Ended December 31,"
    heads = [[Head(400, units)], [Head(540, ended)], [Head(x, y) for x, y in zip(THREE, ("2022", "2021", "2020"),
                                                                                strict=True)]]
    st = statement(render(Layout("CONSOLIDATED STATEMENTS OF OPERATIONS", INCOME, heads, THREE,
                                 lines_under_title=())), T.INCOME)
    assert [p.label for p in st.periods] == ["2022", "2021", "2020"]
    assert ends(st) == [date(y, 12, 31) for y in (2022, 2021, 2020)]


@pytest.mark.parametrize("unit", ["£", "$", "€'000", "£000"])
def test_a_units_line_under_component_headings_is_not_part_of_their_names(unit: str) -> None:
    """A statement of changes in equity heads its columns with the components of equity and prints the unit
    under each: the columns are 'Share capital', 'Retained earnings', 'Total', not 'Share capital £'."""
    cols = (330, 430, 530)
    heads = [[Head(330, "Share"), Head(430, "Retained"), Head(530, "Total")],
             [Head(330, "capital"), Head(430, "earnings"), Head(530, "equity")],
             [Head(x, unit) for x in cols]]
    rows = [("Balance at 1 January 2022", ("1,000", "2,500", "3,500")), ("Profit for the year", ("-", "700", "700")),
            ("Dividends paid", ("-", "(200)", "(200)")), ("Balance at 31 December 2022", ("1,000", "3,000", "4,000"))]
    st = statement(render(Layout("STATEMENT OF CHANGES IN EQUITY", rows, heads, cols, lines_under_title=())),
                   T.EQUITY)
    assert [p.key for p in st.periods] == ["Share capital", "Retained earnings", "Total equity"]


# --------------------------------------------------------------------------- a statement continued over a page



def _half_year_heads(day: str | None, years: Sequence[str]) -> list[list[Head]]:
    heads = [[Head(475, "Six months ended", align="centre")]]
    if day is not None:
        heads.append([Head(475, day, align="centre")])
    return [*heads, [Head(430, years[0]), Head(520, years[1])]]


@pytest.mark.parametrize("undated", ["first page", "continuation page"])
@pytest.mark.parametrize("day", ["30 June", "June 30,"])
@pytest.mark.parametrize("ascending", [False, True])
def test_a_continued_statement_s_columns_are_the_same_periods_on_both_pages(undated: str, day: str,
                                                                             ascending: bool) -> None:
    """A statement carried over a page repeats its column headings. Where one page's headings lost the day ("Six
    months ended / 2020 2019", as OCR drops a date printed against a rule), the columns are still the other page's
    dated periods: one column a year, every line's figures under it, not four columns of half a statement each."""
    years = ("2019", "2020") if ascending else ("2020", "2019")
    flip = (lambda rows: [(label, tuple(reversed(v))) for label, v in rows]) if ascending else list
    first = Layout("CONSOLIDATED STATEMENT OF CASH FLOWS", flip(CASH[:6]),
                   _half_year_heads(None if undated == "first page" else day, years))
    second = Layout("CONSOLIDATED STATEMENT OF CASH FLOWS (continued)", flip(CASH[6:]),
                    _half_year_heads(None if undated == "continuation page" else day, years))
    cf = statement(render(first, second), T.CASH_FLOW)
    assert cf.pages == [1, 2]
    want = [date(2020, 6, 30), date(2019, 6, 30)]
    assert ends(cf) == (want[::-1] if ascending else want)
    assert [p.months for p in cf.periods] == [6, 6]
    net_income = next(it for it in cf.items if it.label == "Net income")
    closing = next(it for it in cf.items if it.label == "Cash and cash equivalents at end of year")
    assert net_income.values == {"2020-06-30": 1200.0, "2019-06-30": 1010.0}
    assert closing.values == {"2020-06-30": 1200.0, "2019-06-30": 1000.0}


def test_a_continuation_page_of_other_years_keeps_its_own_columns() -> None:
    """The same count of columns over other years is not the same columns read again: both pages' periods stay."""
    first = Layout("CONSOLIDATED STATEMENT OF CASH FLOWS", CASH[:6], _half_year_heads(None, ("2020", "2019")))
    second = Layout("CONSOLIDATED STATEMENT OF CASH FLOWS (continued)", CASH[6:],
                    _half_year_heads("30 June", ("2018", "2017")))
    cf = statement(render(first, second), T.CASH_FLOW)
    assert [p.key for p in cf.periods] == ["2020", "2019", "2018-06-30", "2017-06-30"]
