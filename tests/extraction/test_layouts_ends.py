"""Where a statement ends, on generated layouts: the notes that follow it are not a continuation, a sentence of
narrative with a number at its end is no line item, and on a scan a figure OCR could not read neither ends its
row's label nor cuts the statement short."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from layouts import CASH, statement
from pdf_pages import centred_lines, two_columns
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.extraction.detect import Section
from finsheet.extraction.parse import parse_section
from finsheet.extraction.rows import build_rows
from finsheet.model import LOW_CONFIDENCE, Page, Statement, Word

CASH_FLOW: list[tuple[str, str, str]] = [
    ("CASH FLOWS FROM OPERATING ACTIVITIES", "", ""),
    ("Net income", "4,059", "3,704"),
    ("Depreciation and amortization", "1,645", "1,492"),
    ("Net cash provided by operating activities", "5,704", "5,196"),
    ("CASH FLOWS FROM INVESTING ACTIVITIES", "", ""),
    ("Additions to property and equipment", "(2,810)", "(2,998)"),
    ("Net cash used in investing activities", "(2,810)", "(2,998)"),
    ("CASH FLOWS FROM FINANCING ACTIVITIES", "", ""),
    ("Cash dividend payments", "(1,479)", "(1,038)"),
    ("Net cash used in financing activities", "(1,479)", "(1,038)"),
    ("Net change in cash and cash equivalents", "1,415", "1,160"),
    ("CASH AND CASH EQUIVALENTS BEGINNING OF YEAR", "8,384", "7,224"),
    ("CASH AND CASH EQUIVALENTS END OF YEAR", "9,799", "8,384"),
    ("SUPPLEMENTAL DISCLOSURE OF CASH FLOW INFORMATION:", "", ""),
    ("Interest paid", "124", "141"),
]

# a notes page: prose with numbers in it and the cash flow's vocabulary
NOTES_PROSE = (
    "At August 30, 2020, the Company operated 795 warehouses worldwide: 552 in the United States, 101 in Canada,",
    "39 in Mexico, 29 in the United Kingdom, 27 in Japan, 16 in Korea, 13 in Taiwan and 12 in Australia, 3 in Spain.",
    "The Company considers as cash and cash equivalents all highly liquid investments with a maturity of 3 months",
    "or less; credit and debit card receivables were $1,636 and $1,434 at the end of 2020 and 2019, respectively;",
    "net cash provided by operating activities funds the purchase of property (proceeds of 2 sales in 2019 and 4).",
)


def _cash_flow_page(c: canvas.Canvas, rows: Sequence[tuple[str, str, str]], *, tail: Sequence[str] = ()) -> None:
    y = centred_lines(c, ("NORTHWIND TRADING CORP.", "CONSOLIDATED STATEMENTS OF CASH FLOWS", "(amounts in millions)"),
                      740.0)
    y = two_columns(c, ("2020", "2019"), rows, y, columns=(460, 540), size=9)
    for line in tail:  # running text set full width, as a page's narrative is
        y -= 4
        c.drawString(54, y, line)
        y -= 12


def _pdf(*, notes_heading: str | None, tail: Sequence[str] = ()) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    _cash_flow_page(c, CASH_FLOW, tail=tail)
    c.showPage()
    if notes_heading is not None:
        y = centred_lines(c, ("NORTHWIND TRADING CORP.", notes_heading, "(amounts in millions, except per share data)"),
                          740.0)
        c.setFont("Helvetica", 8)
        for line in NOTES_PROSE * 2:
            c.drawString(54, y, line)
            y -= 12
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "heading",
    [
        "NOTES TO CONSOLIDATED FINANCIAL STATEMENTS",
        "Notes to the Consolidated Financial Statements (continued)",
        "Notes to the financial statements",
        "NOTES TO THE ACCOUNTS",
        "Notes forming part of the financial statements",
    ],
)
def test_the_notes_after_a_statement_do_not_continue_it(heading: str) -> None:
    """A page headed as the notes ends the statement on the page before: none of its sentences become lines."""
    cf = statement(_pdf(notes_heading=heading), StatementType.CASH_FLOW)
    assert cf.pages == [1]
    assert all(it.page == 1 for it in cf.items)
    assert cf.items[-1].label == "Interest paid"


def test_a_page_of_figures_with_no_heading_still_continues_a_statement() -> None:
    """The rule is about the notes' heading: an untitled page of the statement's own lines still runs on."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    _cash_flow_page(c, CASH_FLOW[:7])
    c.showPage()
    c.setFont("Helvetica", 9)
    y = 740.0
    for label, a, b in CASH_FLOW[7:]:
        c.drawString(54, y, label)
        c.drawRightString(460, y, a)
        c.drawRightString(540, y, b)
        y -= 14
    c.showPage()
    c.save()
    cf = statement(buf.getvalue(), StatementType.CASH_FLOW)
    assert cf.pages == [1, 2]
    assert cf.items[-1].label == "Interest paid"


@pytest.mark.parametrize(
    "sentence",
    [
        "The Company operated 795 warehouses: 552 in the United States, 101 in Canada, 39 in Mexico and 27",
        "Cash paid for interest, net of amounts capitalized, was reported in note 7 and amounted to 1,636",
        "Non-cash investing activities in the year included equipment acquired under finance leases of (212)",
    ],
)
def test_a_sentence_ending_in_a_number_is_no_line(sentence: str) -> None:
    """Narrative under a table whose last word is a figure stays text: no line item carries its number."""
    cf = statement(_pdf(notes_heading=None, tail=["", sentence]), StatementType.CASH_FLOW)
    assert cf.items[-1].label == "Interest paid"
    assert not any(len(it.label.split()) >= 10 and it.values for it in cf.items)


def _words(y: float, *parts: tuple[str, float], conf: float = 0.9) -> list[Word]:
    """Words of one line: (text, x0), each 6 points a character wide."""
    return [Word(text, x, y, x + 6 * len(text), y + 9, conf) for text, x in parts]


def test_a_long_label_set_apart_from_its_figures_is_a_line() -> None:
    """A label of many words is still a line item when a table's gap stands between it and its figures."""
    label = "Adjustments to reconcile net income to net cash provided by operating activities, net of acquisitions"
    x, words = 54.0, []
    for text in label.split():  # 3.5 points a character, a 2.5-point space: a long label in a small font
        words.append(Word(text, x, 100, x + 3.5 * len(text), 109, 1.0))
        x += 3.5 * len(text) + 2.5
    words += _words(100, ("1,636", 470), ("1,434", 530))
    page = Page(number=1, width=612, height=792, words=words, source="text")
    rows = build_rows(page, Section(StatementType.CASH_FLOW, "", [1], 1.0), False)
    assert [[c.figure.raw for c in r.cells] for r in rows] == [["1,636", "1,434"]]


# --------------------------------------------------------------------------- a scan's unreadable figures


def _ocr_statement(last: list[Word]) -> Statement:
    """An OCR'd profit and loss account whose last line is `last`."""
    head = [*_words(60, ("Profit", 72), ("and", 110), ("loss", 134), ("account", 164)),
            *_words(80, ("2016", 404), ("2015", 500))]
    body: list[Word] = []
    lines = [("Turnover", "62,650", "58,002"), ("Cost", "(24,801)", "(24,308)"), ("Gross", "37,849", "33,694"),
             ("Tax", "(949)", "(577)")]
    for k, (label, a, b) in enumerate(lines):
        body += _words(100 + 14 * k, (label, 72), (a, 430 - 6 * len(a)), (b, 526 - 6 * len(b)))
    page = Page(number=1, width=612, height=792, words=head + body + last, source="ocr")
    section = Section(StatementType.INCOME, "Profit and loss account", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


@pytest.mark.parametrize("misread", ["Bg17", "3,1l7", "S117", "31I7", "3;117", "31:17", "~3,117", "“3,117", "'3,117",
                                     "§3,117", "&3,117"])
def test_an_unreadable_figure_keeps_its_row_and_is_not_guessed(misread: str) -> None:
    """A scanned figure OCR misread ("Bg17" for "3,117") leaves its row in the statement with its other figure;
    the misread one is missing (None), its printed text kept, and the line's confidence low."""
    last = [*_words(170, ("PROFIT", 72), ("FOR", 118), ("THE", 142), ("YEAR", 166)),
            *_words(170, ("2,900", 400), (misread, 526 - 6 * len(misread)))]
    st = _ocr_statement(last)
    profit = st.items[-1]
    assert profit.label == "PROFIT FOR THE YEAR"
    assert list(profit.values.values()) == [2900.0, None]
    assert list(profit.raw.values())[-1] == misread
    assert profit.confidence <= 0.5
    assert "unreadable" in (profit.note or "")


@pytest.mark.parametrize("misread", ["2,9000", "2,90000", "290000", "(2,9000)", "~2,9000"])
def test_a_first_figure_read_without_its_separators_is_unreadable_not_the_label(misread: str) -> None:
    """The row's first figure read with a separator lost or misplaced ("2,9000" for "2,900.0", "290000" on a page
    of grouped figures): it is an unreadable figure of the row, not words of its label, and the row keeps its
    label and its other figure."""
    last = [*_words(170, ("PROFIT", 72), ("FOR", 118), ("THE", 142), ("YEAR", 166)),
            *_words(170, (misread, 430 - 6 * len(misread)), ("3,117", 496))]
    profit = _ocr_statement(last).items[-1]
    assert profit.label == "PROFIT FOR THE YEAR"
    assert list(profit.values.values()) == [None, 3117.0]
    assert list(profit.raw.values())[0] == misread
    assert "unreadable" in (profit.note or "")


@pytest.mark.parametrize("words", [("Notes", "3,4"), ("At", "1.1.2016"), ("Note", "12,13")])
def test_notes_cited_or_a_date_before_the_figures_stay_in_the_label(words: tuple[str, str]) -> None:
    """Numbers a label prints (notes cited, "3,4"; a date) are words of the label, never a misread figure."""
    last = [*_words(170, ("PROFIT", 72), (words[0], 118), (words[1], 160)),
            *_words(170, ("2,900", 400), ("3,117", 496))]
    profit = _ocr_statement(last).items[-1]
    assert profit.label == f"PROFIT {words[0]} {words[1]}"
    assert list(profit.values.values()) == [2900.0, 3117.0]


@pytest.mark.parametrize("scrap", [("nd", 0.0), ("ee", 0.2)])
def test_a_double_rule_read_as_marks_does_not_end_the_table(scrap: tuple[str, float]) -> None:
    """The double rule under a closing total, read by OCR as marks over the columns with a scrap it doubts
    ("—_—==  —————  nd"): no block of headings of another table, so the lines printed below it ("Supplemental
    information", "Interest paid") are still the statement's."""
    text, conf = scrap
    last = [*_words(170, ("PROFIT", 72), ("FOR", 118), ("THE", 142), ("YEAR", 166)),
            *_words(170, ("36,900", 394), ("33,117", 490)),
            *_words(181, ("—_—==", 394)), *_words(181, ("—————", 460), conf=0.0), *_words(181, (text, 500), conf=conf),
            *_words(195, ("Supplemental", 72), ("information", 152)),
            *_words(209, ("Interest", 84), ("paid", 136), ("1,527", 400), ("1,805", 496))]
    st = _ocr_statement(last)
    assert [(it.label, list(it.values.values())) for it in st.items[-3:]] == [
        ("PROFIT FOR THE YEAR", [36900.0, 33117.0]), ("Supplemental information", []),
        ("Interest paid", [1527.0, 1805.0])]


@pytest.mark.parametrize("scrap", ["To", "rT", "|"])
def test_a_scrap_where_a_total_has_no_label_leaves_it_unlabelled(scrap: str) -> None:
    """A total printed with no label, where OCR read the table's rule as a scrap it doubts, is an unlabelled
    total named after its block; a word OCR is sure of stays the label."""
    last = [*_words(170, (scrap, 160), conf=0.05), *_words(170, ("36,900", 394), ("33,117", 490))]
    st = _ocr_statement(last)
    assert st.items[-1].label.startswith("Total")
    sure = [*_words(170, ("Total", 72)), *_words(170, ("36,900", 394), ("33,117", 490))]
    assert _ocr_statement(sure).items[-1].label == "Total"


def test_a_label_word_ocr_boxed_into_the_line_below_stays_in_its_label() -> None:
    """OCR may box a label's last word taller than its line, down into the next ("Adyen" over two lines): grouped
    apart from its line, it is still the end of that label, not a heading of its own."""
    tall = Word("Adyen", 72 + 6 * 32, 170, 72 + 6 * 37, 190, 0.9)
    last = [*_words(170, ("Proceeds", 72), ("from", 126), ("sale", 156), ("of", 186), ("shares", 204), ("in", 246)),
            *_words(170, ("207", 412), ("680", 508)), tall,
            *_words(184, ("Other", 72), ("12", 418), ("(5)", 508))]
    labels = [it.label for it in _ocr_statement(last).items]
    assert labels[-2:] == ["Proceeds from sale of shares in Adyen", "Other"], labels


# --------------------------------------------------------------------------- a total wrapped onto its figures' line


@pytest.mark.parametrize(
    ("first", "second"),
    [("Total comprehensive income (loss) attributable to Northwind", "Trading Corp."),
     ("Total equity attributable to shareholders of Northwind", "Holdings Limited")],
)
def test_a_total_wrapped_onto_the_line_of_its_figures_is_one_line(first: str, second: str) -> None:
    """A total's label that runs on to an indented second line holding the figures is one line: the statement
    keeps its closing total under its whole name, not a line called by the label's tail."""
    rows = [*CASH_FLOW[:3], (first, "", ""), ("   " + second, "5,704", "5,196")]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    _cash_flow_page(c, [(label.strip(), a, b) for label, a, b in rows[:3]])
    c.setFont("Helvetica", 9)
    c.drawString(54, 740 - 3 * 16 - 18 - 3 * 14, first)
    c.drawString(66, 740 - 3 * 16 - 18 - 4 * 14, second)
    c.drawRightString(460, 740 - 3 * 16 - 18 - 4 * 14, "5,704")
    c.drawRightString(540, 740 - 3 * 16 - 18 - 4 * 14, "5,196")
    c.showPage()
    c.save()
    cf = statement(buf.getvalue(), StatementType.CASH_FLOW)
    assert cf.items[-1].label == f"{first} {second}"
    assert list(cf.items[-1].values.values()) == [5704.0, 5196.0]


@pytest.mark.parametrize(
    "lines",
    [("Increase (decrease) in net assets attributable to holders of", "redeemable Class A shares before distributions",
      "and other income (charges) related to Preferred shares"),
     ("NET ASSETS ATTRIBUTABLE TO", "HOLDERS OF REDEEMABLE", "CLASS A SHARES")],
)
def test_a_label_wrapped_over_three_lines_is_one_line(lines: tuple[str, str, str]) -> None:
    """A label whose first two lines run on into the third, which holds the figures, is one line item."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    _cash_flow_page(c, CASH_FLOW[:4])
    c.setFont("Helvetica", 9)
    y = 740 - 3 * 16 - 18 - 4 * 14
    for k, text in enumerate(lines):
        c.drawString(54 if k == 0 else 58, y - 10 * k, text)
    c.drawRightString(460, y - 20, "3,187")
    c.drawRightString(540, y - 20, "6,118")
    c.showPage()
    c.save()
    cf = statement(buf.getvalue(), StatementType.CASH_FLOW)
    assert cf.items[-1].label == " ".join(lines)
    assert list(cf.items[-1].values.values()) == [3187.0, 6118.0]


# --------------------------------------------------------------------------- where a table ends


def _wide_statement(rows: Sequence[tuple[str, int, Sequence[str]]], *, title: str, heads: Sequence[str],
                    xs: Sequence[float]) -> bytes:
    """A statement with many columns close to a narrow label area; rows are (label, indent, figures)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(30, 750, "NORTHWIND TRADING CORP.")
    c.drawString(30, 736, title)
    c.drawString(30, 722, "(amounts in millions)")
    c.setFont("Helvetica", 7)
    for x, head in zip(xs, heads, strict=True):
        c.drawRightString(x, 704, head)
    y = 690.0
    for label, indent, figures in rows:
        c.drawString(30 + indent, y, label)
        for x, fig in zip(xs, figures, strict=False):
            c.drawRightString(x, y, fig)
        y -= 11
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_wrapped_label_in_a_narrow_label_area_does_not_end_the_table() -> None:
    """In a statement of many columns close to its labels, the labels wrap; a label's first line (no figures,
    starting where labels start) is not a new block of column headings, so every line after it is kept."""
    heads = ("2022", "2021", "2020", "2019", "2018", "2017")
    xs = (120, 200, 280, 360, 440, 520)
    fig = ("4,059", "3,704", "3,179", "2,714", "2,679", "2,350")
    rows = [
        ("Net income", 0, fig),
        ("Translation", 0, ("162", "(245)", "(192)", "98", "12", "(4)")),
        ("Comprehensive", 0, ()),
        ("income", 4, ("4,221", "3,459", "2,987", "2,812", "2,691", "2,346")),
        ("Release of", 0, ()),
        ("vested units", 4, ("(330)", "(272)", "(217)", "(210)", "(200)", "(190)")),
        ("Other income of", 0, ()),
        ("investees", 4, ("12", "(4)", "3", "2", "1", "1")),
        ("Comprehensive income attributable", 0, ()),
        ("to Northwind", 4, ("3,903", "3,183", "2,773", "2,604", "2,492", "2,152")),
    ]
    doc = extract(_wide_statement(rows, title="CONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME", heads=heads, xs=xs))
    (ci,) = [s for s in doc.statements if s.type == StatementType.COMPREHENSIVE]
    assert ci.items[-1].label == "Comprehensive income attributable to Northwind"
    assert len([it for it in ci.items if it.values]) == 6


def _cash_flow_over_a_summary(indent: float, summary_x: float) -> bytes:
    """A cash flow whose one label runs on to an indented second line with no figures (its figures stand on the
    first), and below it on the page a summary table whose figures stand further left than the cash flow's."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    y = centred_lines(c, ("NORTHWIND TRADING CORP.", "CONSOLIDATED STATEMENTS OF CASH FLOWS", "(in millions)"), 740.0)
    c.setFont("Helvetica", 9)
    for x, year in zip((460, 540), ("2022", "2021"), strict=True):
        c.drawRightString(x, y, year)
    y -= 18
    for label, a, b in CASH_FLOW[:6]:
        c.drawString(54, y, label)
        c.drawRightString(460, y, a)
        c.drawRightString(540, y, b)
        y -= 14
    c.drawString(54, y, "Proceeds from sale of shares in equity investees held")
    c.drawRightString(460, y, "207")
    c.drawRightString(540, y, "680")
    y -= 14
    c.drawString(54 + indent, y, "at fair value")  # the label's second line: no figures of its own
    y -= 14
    for label, a, b in CASH_FLOW[6:13]:
        c.drawString(54, y, label)
        c.drawRightString(460, y, a)
        c.drawRightString(540, y, b)
        y -= 14
    y -= 30
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(306, y, "Unaudited Summary of Net Revenues by Quarter")
    y -= 20
    c.setFont("Helvetica", 9)
    for k, quarter in enumerate(("Q2 2022", "Q1 2022", "Q4 2021", "Q3 2021")):
        c.drawRightString(summary_x + 70 * k, y, quarter)
    y -= 14
    for label in ("Net revenues", "Marketplace revenues"):
        c.drawString(54, y, label)
        for k, fig in enumerate(("2,540", "2,510", "2,380", "2,422")):
            c.drawRightString(summary_x + 70 * k, y, fig)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("summary_x", [170.0, 230.0])
@pytest.mark.parametrize("indent", [20.0, 40.0])
def test_a_table_below_further_left_does_not_end_the_statement_early(indent: float, summary_x: float) -> None:
    """Where a statement ends is judged against its own figures' columns: a table printed below it, its figures
    further left, does not make an indented second line of a label look like that table's headings."""
    cf = statement(_cash_flow_over_a_summary(indent, summary_x), StatementType.CASH_FLOW)
    labels = [it.label for it in cf.items]
    assert any(label.endswith("at fair value") for label in labels), labels
    assert labels[-1] == "CASH AND CASH EQUIVALENTS END OF YEAR", labels  # the summary's lines are not the cash flow's
    assert list(cf.items[-1].values.values()) == [9799.0, 8384.0]
    assert [p.label for p in cf.periods] == ["2022", "2021"]


@pytest.mark.parametrize("units", [("Cents", "Cents"), ("€", "€"), ("pence", "pence")])
def test_a_units_line_over_the_per_share_lines_does_not_end_the_statement(units: tuple[str, str]) -> None:
    """'Cents  Cents' printed over the columns before the earnings per share is the statement's own unit line."""
    rows = [
        ("Revenue", 0, ("16,257", "13,640")), ("Cost of sales", 0, ("(9,100)", "(7,400)")),
        ("Gross profit", 0, ("7,157", "6,240")), ("Expenses", 0, ("(5,000)", "(4,100)")),
        ("Profit for the year", 0, ("2,157", "2,140")), ("units", 0, ()),  # drawn over each column
        ("Basic earnings per share", 0, ("4.12", "4.09")), ("Diluted earnings per share", 0, ("4.10", "4.05")),
    ]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(30, 750, "NORTHWIND TRADING LIMITED")
    c.drawString(30, 736, "STATEMENT OF PROFIT OR LOSS")
    c.setFont("Helvetica", 8)
    c.drawRightString(460, 716, "2022")
    c.drawRightString(540, 716, "2021")
    c.drawRightString(460, 704, "$")
    c.drawRightString(540, 704, "$")
    y = 690.0
    for label, _, figures in rows:
        if not figures:  # the units line
            c.drawRightString(460, y, units[0])
            c.drawRightString(540, y, units[1])
        else:
            c.drawString(30, y, label)
            for x, fig in zip((460, 540), figures, strict=True):
                c.drawRightString(x, y, fig)
        y -= 12
    c.showPage()
    c.save()
    doc = extract(buf.getvalue())
    (income,) = [s for s in doc.statements if s.type == StatementType.INCOME]
    assert income.items[-1].label == "Diluted earnings per share"
    assert income.items[-1].unit == "per_share"


@pytest.mark.parametrize("heading", ["Net loss per ordinary share", "Total earnings per share"])
def test_a_per_share_heading_over_basic_stays_a_heading(heading: str) -> None:
    """A per-share heading with "Basic" and "Diluted" indented under it is a heading: the lines keep their names."""
    rows = [*CASH_FLOW[:3], (heading, "", "")]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    _cash_flow_page(c, rows)
    c.setFont("Helvetica", 9)
    y = 740 - 3 * 16 - 18 - 4 * 14
    for label, a, b in (("Basic", "(0.39)", "(2.23)"), ("Diluted", "(0.39)", "(2.23)")):
        c.drawString(66, y, label)
        c.drawRightString(460, y, a)
        c.drawRightString(540, y, b)
        y -= 14
    c.showPage()
    c.save()
    cf = statement(buf.getvalue(), StatementType.CASH_FLOW)
    assert [(it.label, it.unit) for it in cf.items[-2:]] == [("Basic", "per_share"), ("Diluted", "per_share")]


def _equity_over_two_pages(balance_word: str, footer: str, see_notes: bool, treasury: str = "(9,072)") -> bytes:
    """A US changes-in-equity statement that runs onto a second page with no title or headings: movements, the
    closing balance (the only line there that fills the shares, amount and paid-in columns), a memo line of the
    shares outstanding "as of" the date, the "See notes" footer and the page's number."""
    columns = (262.0, 318.0, 380.0, 445.0, 510.0, 570.0)
    heads = ("Shares", "Amount", "Paid-in", "Retained", "Treasury", "Total")
    first = [(f"{balance_word} December 31, 2020", ("108,010", "430,996", "1,393,095", "124,762", "(9,072)",
                                                    "1,939,781")),
             ("Exercise of options", ("960", "4,457", "(4,044)", "", "", "413")),
             ("Stock based compensation", ("", "", "25,144", "", "", "25,144")),
             ("Dividends declared", ("", "", "", "(10,000)", "", "(10,000)")),
             ("Profit", ("", "", "", "150,012", "", "150,012")),
             (f"{balance_word} December 31, 2021", ("108,970", "435,453", "1,414,195", "264,774", "(9,072)",
                                                    "2,105,350")),
             ("Exercise of options", ("1,071", "4,697", "(4,653)", "", "", "44"))]
    second = [("Stock based compensation", ("", "", "24,215", "", "", "24,215")),
              ("Dividends declared", ("", "", "", "(12,000)", "", "(12,000)")),
              ("Profit", ("", "", "", "264,569", "", "264,569")),
              (f"{balance_word} December 31, 2022", ("110,041", "440,150", "1,433,757", "517,343", treasury,
                                                     "2,382,178")),
              ("Shares outstanding as of December 31, 2022", ("109,954", "", "", "", "", ""))]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(40, 740, "CONSOLIDATED STATEMENTS OF CHANGES IN SHAREHOLDERS' EQUITY")
    c.setFont("Helvetica", 7.5)
    c.drawString(40, 728, "(U.S. dollars in thousands)")
    for x, head in zip(columns, heads, strict=True):
        c.drawRightString(x, 712, head)
    for rows, last in ((first, False), (second, True)):
        y = 696.0 if not last else 740.0
        c.setFont("Helvetica", 7.5)
        for label, values in rows:
            c.drawString(40, y, label)
            for x, value in zip(columns, values, strict=True):
                c.drawRightString(x, y, value)
            y -= 14
        if last and see_notes:
            c.drawString(40, y - 10, "See notes to consolidated financial statements.")
        c.drawCentredString(306, 40, footer if last else footer.replace("9", "8"))
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("balance_word", ["Balance as of", "Balance at"])
@pytest.mark.parametrize("footer", ["F - 9", "F-9", "9"])
@pytest.mark.parametrize("see_notes", [True, False])
def test_an_equity_statement_continued_on_an_untitled_page_closes_there(balance_word: str, footer: str,
                                                                        see_notes: bool) -> None:
    """The second page carries on the statement (its balances at dates and treasury stock say so, though it has
    no title), keeps the columns of the first page for its closing balance, ends at "See notes to consolidated
    financial statements", makes no line of the page's number ("F - 9"), and the shares outstanding "as of" the
    date after the closing balance leave the statement closed."""
    doc = extract(_equity_over_two_pages(balance_word, footer, see_notes))
    (st,) = [s for s in doc.statements if s.type == StatementType.EQUITY]
    assert st.pages == [1, 2]
    closing = next(it for it in st.items if it.label == f"{balance_word} December 31, 2022")
    assert list(closing.values.values()) == [110041.0, 440150.0, 1433757.0, 517343.0, -9072.0, 2382178.0]
    assert st.items[-1].label.startswith("Shares outstanding")
    assert not [c for c in st.checks if c.ok is False]


def test_a_continuation_page_missing_a_column_keeps_the_others_under_their_headings() -> None:
    """The second page prints no figure in one column (treasury stock, retired: a nil): its other columns are still
    the first page's columns they stand under, not new unnamed periods. (The lone nil itself finds no column on
    that page and is left out, not guessed.)"""
    doc = extract(_equity_over_two_pages("Balance at", "F-9", True, treasury="—"))
    (st,) = [s for s in doc.statements if s.type == StatementType.EQUITY]
    assert [p.key for p in st.periods] == ["Shares", "Amount", "Paid-in", "Retained", "Treasury", "Total"]
    closing = next(it for it in st.items if it.label == "Balance at December 31, 2022")
    assert closing.values == {"Shares": 110041.0, "Amount": 440150.0, "Paid-in": 1433757.0, "Retained": 517343.0,
                              "Total": 2382178.0}


def _ocr_income(gross: tuple[str, str]) -> Statement:
    """An OCR'd profit and loss account whose gross profit, the sum of the two lines above it, is read `gross`."""
    head = [*_words(60, ("Profit", 72), ("and", 110), ("loss", 134), ("account", 164)),
            *_words(80, ("2016", 404), ("2015", 500))]
    lines = [(("Turnover",), "62,650", "58,002"), (("Cost", "of", "sales"), "(24,801)", "(24,308)"),
             (("GROSS", "PROFIT"), *gross), (("Administrative", "expenses"), "(31,249)", "(27,160)"),
             (("OPERATING", "PROFIT"), "6,600", "6,534")]
    body: list[Word] = []
    for k, (label, a, b) in enumerate(lines):
        x, parts = 72.0, []
        for word in label:
            parts.append((word, x))
            x += 6 * len(word) + 6
        body += _words(100 + 14 * k, *parts, (a, 430 - 6 * len(a)), (b, 526 - 6 * len(b)))
    page = Page(number=1, width=612, height=792, words=head + body, source="ocr")
    section = Section(StatementType.INCOME, "Profit and loss account", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


@pytest.mark.parametrize("gross", [("(37,849", "33,694"), ("37,849", "(33,694")])
def test_a_figure_read_with_an_opening_bracket_alone_keeps_its_row_and_is_read_by_its_footing(
        gross: tuple[str, str]) -> None:
    """OCR read a speck before a scanned figure as an opening bracket ("(37,849"), or lost the closing one: the
    figure is still the row's, not a word of its label. Its sign is the footing's to settle (the gross profit is
    the sum of the lines above it), and the line is shown as doubtful, OCR's reading in its note."""
    profit = _ocr_income(gross).items[2]
    assert profit.label == "GROSS PROFIT"
    assert list(profit.values.values()) == [37849.0, 33694.0]
    assert list(profit.raw.values()) == list(gross)
    assert profit.confidence < LOW_CONFIDENCE
    assert "read by the footing" in (profit.note or "")


def test_a_figure_with_an_opening_bracket_alone_that_no_footing_settles_stays_negative_and_doubtful() -> None:
    """Where no footing says otherwise, the bracket printed is taken for the figure's sign, as "1,234)" is, and the
    line is shown as doubtful."""
    st = _ocr_statement([*_words(170, ("PROFIT", 72), ("FOR", 118), ("THE", 142), ("YEAR", 166)),
                         *_words(170, ("(2,900", 394), ("3,117", 496))])
    profit = st.items[-1]
    assert profit.label == "PROFIT FOR THE YEAR"
    assert list(profit.values.values()) == [-2900.0, 3117.0]
    assert profit.confidence < LOW_CONFIDENCE


@pytest.mark.parametrize("marks", [("—_o——", "—————"), ("=====", "_____"), ("-——-", "~~~~")])
def test_rules_read_as_marks_beside_a_totals_figures_are_no_label(marks: tuple[str, str]) -> None:
    """The rules printed over and under a total's figures, read by OCR as runs of marks beside them ("—_o——
    8,261,861 —————"), are neither its label nor the end of its figures: the total keeps both its figures and,
    printing no label, is named after its block."""
    before, between = marks
    last = [*_words(170, (before, 300), ("36,900", 394), (between, 440), ("33,117", 490))]
    total = _ocr_statement(last).items[-1]
    assert list(total.values.values()) == [36900.0, 33117.0]
    assert total.label.startswith("Total")


@pytest.mark.parametrize("nil", ["—", "-", "–"])
def test_a_nil_dash_is_still_a_figure(nil: str) -> None:
    """One dash in a figure's place is a nil, not a rule."""
    last = [*_words(170, ("PROFIT", 72), ("FOR", 118), ("THE", 142), ("YEAR", 166)),
            *_words(170, (nil, 424), ("3,117", 496))]
    profit = _ocr_statement(last).items[-1]
    assert profit.label == "PROFIT FOR THE YEAR"
    assert list(profit.values.values()) == [0.0, 3117.0]


# --------------------------------------------------------------------------- another table's title block below


STORES = [("1st Quarter", "1,308", "10", "0", "1,318"), ("2nd Quarter", "1,318", "7", "0", "1,325"),
          ("3rd Quarter", "1,325", "18", "0", "1,343"), ("4th Quarter", "1,343", "12", "0", "1,355")]


def _cash_flow_then_table(company: str, exhibit: bool, size: float) -> bytes:
    """An earnings release's page: the cash flow statement, then another table of the release under its own title
    block (the company's name and the table's title centred, an "Exhibit 5" marker at the right margin), its
    headings over four columns that start left of the statement's."""
    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, [company, "Condensed Consolidated Statements of Cash Flows", "(In thousands)"], 740)
        y = two_columns(c, ["2023", "2022"], [(label, *(figures or ("", ""))) for label, figures in CASH], y - 8,
                        columns=(470, 540), size=size)
        c.setFont("Helvetica", size)
        if exhibit:
            c.drawRightString(556, y - 8, "Exhibit 5")
        y = centred_lines(c, [company, "Store Update"], y - 22)
        c.setFont("Helvetica", size)
        headings = ("Stores open at beginning", "Stores opened", "Stores closed", "Stores open at end")
        for k, heading in enumerate(headings):
            c.drawRightString(250 + 95 * k, y - 4, heading)
        y -= 22
        for label, *figures in STORES:
            c.drawString(54, y, label)
            for k, figure in enumerate(figures):
                c.drawRightString(250 + 95 * k, y, figure)
            y -= 14

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("company", ["Ulta Beauty, Inc.", "KESTREL LOGISTICS PLC", "Bank of the Ozarks Inc.",
                                     "Tallis Medical Corporation and Subsidiaries"])
@pytest.mark.parametrize("exhibit", [True, False], ids=["exhibit", "no-exhibit"])
@pytest.mark.parametrize("size", [8.0, 9.5])
def test_a_statement_ends_where_another_tables_title_block_begins(company: str, exhibit: bool, size: float) -> None:
    """A line naming only the company, set apart from the labels, opens another table's title block: a statement
    never prints its issuer's name as a line of its own. The statement ends above it (and above the page marker
    over the figure columns that goes with it), with its own two periods and lines only."""
    cf = statement(_cash_flow_then_table(company, exhibit, size), StatementType.CASH_FLOW)
    assert [it.label for it in cf.items if it.values][-1] == "Cash and cash equivalents at end of year"
    assert [p.label for p in cf.periods] == ["2023", "2022"]


@pytest.mark.parametrize("label", ["Net income attributable to Ulta Beauty, Inc.",
                                   "Available-for-sale securities of Northwind Holdings, Inc."])
def test_a_line_that_names_the_company_inside_its_label_is_a_line_of_the_statement(label: str) -> None:
    """A label that ends on the company's name, set at an indent or not, is a line of the statement."""
    rows = [*CASH[:2], (label, ("1,150", "980")), *CASH[2:]]

    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, ["Ulta Beauty, Inc.", "Condensed Consolidated Statements of Cash Flows"], 740)
        two_columns(c, ["2023", "2022"], [(text, *(figures or ("", ""))) for text, figures in rows], y - 8,
                    columns=(470, 540), size=9)

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    draw(c)
    c.showPage()
    c.save()
    cf = statement(buf.getvalue(), StatementType.CASH_FLOW)
    assert label in [it.label for it in cf.items]
    assert [it.label for it in cf.items if it.values][-1] == "Cash and cash equivalents at end of year"


@pytest.mark.parametrize("smear", ["——", "—", "-"])
def test_a_total_read_as_a_nil_over_lines_that_add_up_is_unread(smear: str) -> None:
    """A scanned subtotal read as dashes (a smear, or the rule over it) where its lines add up to an amount is shown
    missing and doubtful, what OCR read in its note; its other period's figure stays as read."""
    profit = _ocr_income((smear, "33,694")).items[2]
    assert profit.label == "GROSS PROFIT"
    assert list(profit.values.values()) == [None, 33694.0]
    assert profit.confidence <= 0.5
    assert "unreadable figure" in (profit.note or "")


def test_a_nil_total_over_nil_lines_stays_nil() -> None:
    """A total printed as a nil over lines that are nil too is a nil."""
    head = [*_words(60, ("Profit", 72), ("and", 110), ("loss", 134), ("account", 164)),
            *_words(80, ("2016", 404), ("2015", 500))]
    lines = [("Turnover", "62,650", "58,002"), ("Grants", "—", "1,200"), ("Levies", "—", "(200)"),
             ("Total", "—", "1,000"), ("Tax", "(949)", "(577)")]
    body: list[Word] = []
    for k, (label, a, b) in enumerate(lines):
        body += _words(100 + 14 * k, (label, 72), (a, 430 - 6 * len(a)), (b, 526 - 6 * len(b)))
    page = Page(number=1, width=612, height=792, words=head + body, source="ocr")
    section = Section(StatementType.INCOME, "Profit and loss account", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    total = next(it for it in statement.items if it.label == "Total")
    assert list(total.values.values()) == [0.0, 1000.0]
