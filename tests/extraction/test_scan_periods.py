"""Column headings as OCR reads them: rules and shading glued to heading words, units captions and logo words over
the columns, days run together, days and months OCR could not read. Generated statements, read from their text
layer where the point is the layout (the text printed is what OCR gives), and through tesseract where the point is
OCR. A heading that cannot be read leaves its column's end unknown, never another column's date."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pdf_pages
import pytest
from layouts import income_rows, statement
from pdf_pages import Draw
from reportlab.pdfgen import canvas

from finsheet import StatementType
from finsheet.bench_ocr import scanned_copy
from finsheet.extraction.ocr_headings import ocr_heading_words
from finsheet.model import Word

T = StatementType
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

BALANCE = [
    ("Cash and cash equivalents", ("1,200", "1,000")),
    ("Accounts receivable", ("800", "700")),
    ("Total assets", ("2,000", "1,700")),
    ("Accounts payable", ("900", "850")),
    ("Total equity", ("1,100", "850")),
    ("Total liabilities and equity", ("2,000", "1,700")),
]

# one heading piece: (x, text, alignment "r" right / "c" centred)
Heads = Sequence[Sequence[tuple[float, str, str]]]


def render(pages: Sequence[tuple[str, Heads, Sequence[float], list[tuple[str, tuple[str, ...]]]]], *,
           rule: float = 0.0, font: str = "Times-Bold", size: float = 8.0) -> bytes:
    """Statements one per page: title, units line, heading lines (a rule `rule` points thick under each, spanning
    the columns, as filings print them), rows."""
    def page(title: str, heads: Heads, columns: Sequence[float], rows: list[tuple[str, tuple[str, ...]]]) -> Draw:
        def draw(c: canvas.Canvas) -> None:
            y = 740.0
            c.setFont("Times-Bold", 11)
            c.drawString(72, y, "ACME HOLDINGS PLC")
            c.drawString(72, y - 15, title)
            c.setFont("Times-Roman", 9)
            c.drawString(72, y - 30, "(in millions)")
            y -= 48
            for line in heads:
                c.setFont(font, size)
                for x, text, align in line:
                    (c.drawRightString if align == "r" else c.drawCentredString)(x, y, text)
                if rule:
                    c.setLineWidth(rule)
                    c.line(columns[0] - 45, y - 2, columns[-1], y - 2)
                y -= size + 5
            y -= 4
            for label, values in rows:
                c.setFont("Times-Roman", 9)
                c.drawString(72, y, label)
                for x, v in zip(columns, values, strict=False):
                    c.drawRightString(x, y, v)
                y -= 12

        return draw

    return pdf_pages.render(*(page(*spec) for spec in pages))


def scanned(data: bytes, tmp_path: Path, pages: int = 1) -> bytes:
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(data)
    return scanned_copy(pdf, list(range(1, pages + 1)))


# --------------------------------------------------------------------------- OCR's heading words


def w(text: str, x0: float, x1: float, conf: float = 0.9) -> Word:
    return Word(text, x0, 100.0, x1, 108.0, conf)


@pytest.mark.parametrize(("word", "read"), [
    # a rule glued to a year: the year, its digits each 3/4 of the box's height wide
    (w("2021—~~S~S™”", 556, 591, 0.0), [("2021", 556, 580)]),
    (w("~2022~—~<“«‘C", 364, 448, 0.02), [("2022", 370, 394)]),
    (w("2022,", 434, 591, 0.23), [("2022,", 434, 464)]),  # a box run along the rule: the characters' width
    (w("2O22", 400, 424), [("2022", 400, 424)]),  # letters for digits in a year
    (w("20232022", 400, 448), [("2023", 400, 424), ("2022", 424, 448)]),  # two years run together
    (w("—_________", 388, 544, 0.14), []),  # a rule read as marks
    (w("—_Years", 380, 420), [("Years", 392, 420)]),
    (w("Fieal", 355, 399, 0.03), []),  # a guess that is no date's part
    (w("Group", 266, 391, 0.0), [("Group", 266, 391)]),  # a guess that names a column, boxed along its rule
    (w("3l", 355, 365, 0.2), [("?", 355, 365)]),  # a guess that may have been a day: unreadable, not dropped
    (w("November", 430, 470, 0.3), [("November", 430, 470)]),  # a date's part read right at a low confidence
    (w("27", 470, 480, 0.3), [("27", 470, 480)]),
    (Word("2022~C", 400, 100, 460, 108), [("2022~C", 400, 460)]),  # a text layer's word is as printed
])
def test_ocr_heading_words_read_as_printed(word: Word, read: list[tuple[str, float, float]]) -> None:
    assert [(x.text, round(x.x0, 1), round(x.x1, 1)) for x in ocr_heading_words([word])] == read


# --------------------------------------------------------------------------- through tesseract


@needs_tesseract
@pytest.mark.parametrize("font", ["Times-Bold", "Helvetica-Bold"])
def test_a_heading_underlined_by_a_thick_rule_dates_its_columns(font: str, tmp_path: Path) -> None:
    """A thick rule under "Years Ended December 31," is read glued to its words ("—_Years", "31,_"): the day is
    still read, and the years below take it."""
    heads = [[(470, "Years Ended December 31,", "c")], [(400, "2022", "r"), (470, "2021", "r"), (540, "2020", "r")]]
    data = render([("CONSOLIDATED STATEMENTS OF INCOME", heads, (400, 470, 540), income_rows(3))], rule=1.5,
                  font=font, size=7.5)
    text = [p.key for p in statement(data, T.INCOME).periods]
    assert text == ["2022-12-31", "2021-12-31", "2020-12-31"]
    scan = statement(scanned(data, tmp_path), T.INCOME)
    assert [p.key for p in scan.periods] == text


@needs_tesseract
@pytest.mark.parametrize("caption", ["Figures in Pound Sterling", "Amounts in euros"])
def test_a_units_caption_over_the_columns_heads_none_of_them_in_a_scan(caption: str, tmp_path: Path) -> None:
    """"Figures in Pound Sterling" printed at the right over Group | Company columns is the page's unit: the
    Company columns are keyed by their own heading only."""
    cols = (330, 400, 470, 540)
    heads = [[(540, caption, "r")], [(365, "Group", "c"), (505, "Company", "c")],
             [(330, "2022", "r"), (400, "2021", "r"), (470, "2022", "r"), (540, "2021", "r")]]
    data = render([("STATEMENT OF COMPREHENSIVE INCOME FOR THE YEAR ENDED 31 MARCH 2022", heads, cols,
                    income_rows(4))], font="Times-Roman")
    want = ["2022-03-31", "2021-03-31", "company 2022-03-31", "company 2021-03-31"]
    assert [p.key for p in statement(data, T.INCOME).periods] == want
    assert [p.key for p in statement(scanned(data, tmp_path), T.INCOME).periods] == want


# --------------------------------------------------------------------------- layouts as OCR gives them


@pytest.mark.parametrize("word", ["COMMUNICATIONS", "Consolidated", "Unaudited"])
def test_a_word_over_every_column_tells_no_column_apart(word: str) -> None:
    """A word centred over all the columns (a logo's word read by OCR, "Consolidated") is no column's heading:
    the bare years below take the balance sheet's dates as they do without it."""
    bs = [[(430, "31 December 2022", "r"), (520, "31 December 2021", "r")]]
    income = [[(475, word, "c")], [(430, "2022", "r"), (520, "2021", "r")]]
    data = render([("CONSOLIDATED BALANCE SHEET", bs, (430, 520), BALANCE),
                   ("CONSOLIDATED INCOME STATEMENT", income, (430, 520), income_rows(2))], font="Helvetica")
    assert [p.key for p in statement(data, T.INCOME).periods] == ["2022-12-31", "2021-12-31"]


@pytest.mark.parametrize("days", ["December 3 November 27 November 29", "3 December 27 November 29 November"])
def test_days_run_together_each_head_their_own_column(days: str) -> None:
    """Three days printed (or OCR'd) as one run over three columns, years below: each day its column's."""
    heads = [[(470, "Years Ended", "c")], [(470, days, "c")], [(400, "2021", "r"), (470, "2020", "r"),
                                                            (540, "2019", "r")]]
    st = statement(render([("CONSOLIDATED STATEMENTS OF OPERATIONS", heads, (400, 470, 540), income_rows(3))],
                          font="Helvetica", size=9), T.INCOME)
    assert [p.end for p in st.periods] == [date(2021, 12, 3), date(2020, 11, 27), date(2019, 11, 29)]


@pytest.mark.parametrize("unread", ["1", "8 1", "?"])
def test_a_day_whose_month_was_not_read_takes_no_other_date(unread: str) -> None:
    """"July 1," read as "1" (its month lost) beside "June 25,": the first column's end is unknown, not June 25;
    the second keeps its own."""
    heads = [[(400, "Three Months Ended", "r")], [(400, unread, "r"), (470, "June 25,", "r")],
             [(400, "2023", "r"), (470, "2022", "r")]]
    st = statement(render([("CONDENSED STATEMENTS OF OPERATIONS", heads, (400, 470), income_rows(2))],
                          font="Helvetica"), T.INCOME)
    assert [p.end for p in st.periods] == [None, date(2022, 6, 25)]


@pytest.mark.parametrize("day", ["December 34", "December 0"])
def test_a_day_no_month_has_dates_nothing(day: str) -> None:
    """A day OCR misread as one no month has ("December 34" for "December 31"): the end is unknown, never the
    month's last day guessed."""
    heads = [[(475, "For the Year Ended", "c")], [(475, day, "c")], [(430, "2022", "r"), (520, "2021", "r")]]
    st = statement(render([("STATEMENTS OF OPERATIONS", heads, (430, 520), income_rows(2))], font="Helvetica"),
                   T.INCOME)
    assert [p.end for p in st.periods] == [None, None]


@pytest.mark.parametrize(("day", "end"), [("une 30,", (6, 30)), ("uly 1,", (7, 1))])
def test_june_and_july_without_their_j(day: str, end: tuple[int, int]) -> None:
    """OCR loses the descending J of June and July in some faces ("une 30"): still the month."""
    heads = [[(400, "Three Months Ended", "c"), (540, "Six Months Ended", "c")],
             [(400, day, "c"), (540, day, "c")],
             [(370, "2023", "r"), (430, "2022", "r"), (510, "2023", "r"), (570, "2022", "r")]]
    st = statement(render([("STATEMENT OF INCOME", heads, (370, 430, 510, 570), income_rows(4))],
                          font="Helvetica"), T.INCOME)
    m, d = end
    assert [p.key for p in st.periods] == [f"2023-{m:02}-{d:02}/3m", f"2022-{m:02}-{d:02}/3m",
                                           f"2023-{m:02}-{d:02}/6m", f"2022-{m:02}-{d:02}/6m"]


def test_a_heading_naming_two_years_dates_neither_column() -> None:
    """A line of years OCR ran into one phrase over both columns ("2023 2022"): neither column can tell which
    year is its own, so neither takes the title's day for one of them."""
    income = [[(475, "2023 2022", "c")]]
    data = render([("INCOME STATEMENT FOR THE YEAR ENDED 31 DECEMBER 2023", income, (430, 520), income_rows(2))],
                  font="Helvetica")
    assert [p.end for p in statement(data, T.INCOME).periods] == [None, None]


def _heading_line(y: float, texts: Sequence[str], conf: float = 0.9) -> list[Word]:
    """One OCR'd heading line: its words 40 points apart from x 300, 8 points high."""
    return [Word(text, 300 + 40 * k, y, 330 + 40 * k, y + 8, conf) for k, text in enumerate(texts)]


@pytest.mark.parametrize(("lost", "read"), [
    ("222", "2022"),  # "2022" with a 0 lost: only 2022 beside 2023 can be made of it
    ("022", "2022"),
    ("223", "2023"),
    ("202", "202"),  # 2020-2029 or 2002: 2022 and 2023 both could be, so it stays as read
    ("000", "000"),  # a units caption, never a year
    ("417", "417"),  # no year of the statement's can be made of it
])
def test_a_scanned_year_short_of_a_digit_is_the_one_year_it_can_be(lost: str, read: str) -> None:
    """A comparative column's year read with a digit lost ("Three months ended July 31 222") is the year one digit
    put back makes of it, among the years the statement's other headings print and the years before them, where just
    one can be made; otherwise it stays as read and the column is left undated."""
    words = [*_heading_line(100, ["Three", "months", "ended", "July", "31", "2023"]),
             *_heading_line(120, ["Three", "months", "ended", "July", "31", lost])]
    assert [w.text for w in ocr_heading_words(words)][-1] == read


def test_a_number_on_no_date_line_is_not_taken_for_a_year() -> None:
    """Three digits alone on their line (a page number in the title block) are no year with a digit lost."""
    words = [*_heading_line(80, ["222"]), *_heading_line(100, ["Year", "ended", "December", "31,", "2023"])]
    assert [w.text for w in ocr_heading_words(words)][0] == "222"
