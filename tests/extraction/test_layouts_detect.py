"""Finding statements on generated layouts: every title rule varied (case, letter spacing, fragments, qualifiers,
running headers, the entity on the title's line), types decided by content, and the tables that are not
statements (notes, an exhibit index, MD&A data, a restatement table, a lead-in sentence)."""

from __future__ import annotations

from collections.abc import Sequence

import layouts
import pytest
from layouts import CASH, Row, line_values, the
from pdf_pages import Draw, render
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.model import Document

T = StatementType

# the shared balance sheet under its section headings, as a 10-K prints it
BALANCE: list[Row] = [("ASSETS", ()), *layouts.BALANCE[:6], ("LIABILITIES AND EQUITY", ()), *layouts.BALANCE[6:]]
INCOME: list[Row] = [
    ("Revenue", ("10,000", "9,000")),
    ("Cost of sales", ("(6,000)", "(5,500)")),
    ("Gross profit", ("4,000", "3,500")),
    ("Selling, general and administrative expenses", ("(2,100)", "(1,900)")),
    ("Operating income", ("1,900", "1,600")),
    ("Interest expense", ("(300)", "(250)")),
    ("Income before income taxes", ("1,600", "1,350")),
    ("Income tax expense", ("(400)", "(340)")),
    ("Net income", ("1,200", "1,010")),
]
OCI: list[Row] = [
    ("Other comprehensive income:", ()),
    ("Foreign currency translation", ("25", "(7)")),
    ("Unrealized gains on available-for-sale securities", ("12", "9")),
    ("Cash flow hedges, net of tax", ("(4)", "6")),
    ("Actuarial gains on pension plans", ("10", "(3)")),
    ("Other comprehensive income, net of tax", ("43", "5")),
    ("Total comprehensive income", ("1,243", "1,015")),
]
PROSE = [
    "The company reported strong results for the quarter, with revenue growth across all of its segments and",
    "regions. Management expects the trend to continue into the next fiscal year as new products are launched",
    "and the cost savings programme announced last year begins to show in the operating margin of the group.",
    "Forward-looking statements in this release are subject to risks and uncertainties that could cause the",
    "actual results to differ materially from those expressed or implied by the statements made in it today.",
]


def table(c: canvas.Canvas, rows: Sequence[Row], top: float, *, label_x: float = 72,
          columns: Sequence[float] = (430, 520), years: bool = True, font: float = 9) -> float:
    """Rows of a statement under a line of year headings; returns the y under the last row."""
    y = top
    if years:
        c.setFont("Helvetica-Bold", font)
        for x, year in zip(columns, ("2023", "2022"), strict=True):
            c.drawRightString(x, y, year)
        y -= 18
    for label, values in rows:
        c.setFont("Helvetica", font)
        c.drawString(label_x, y, label)
        for x, value in zip(columns, values, strict=False):
            c.drawRightString(x, y, value)
        y -= 13
    return y


def heading(c: canvas.Canvas, text: str, y: float, *, size: float = 11, char_space: float = 0.0,
            x: float | None = None) -> None:
    """A centred bold heading; `char_space` spaces its letters apart the way some text layers do."""
    c.setFont("Helvetica-Bold", size)
    if not char_space:
        if x is None:
            c.drawCentredString(300, y, text)
        else:
            c.drawString(x, y, text)
        return
    obj = c.beginText(x if x is not None else 160, y)
    obj.setFont("Helvetica-Bold", size)
    obj.setCharSpace(char_space)
    obj.textLine(text)
    obj.setCharSpace(0)  # the spacing is text state: it would carry on to the table drawn next
    c.drawText(obj)


def statement_page(title: str | None, rows: Sequence[Row], *, company: str = "ACME HOLDINGS INC.") -> Draw:
    def draw(c: canvas.Canvas) -> None:
        y = 740.0
        for line in (company, title, "(in thousands of U.S. dollars)"):
            if line:
                heading(c, line, y)
                y -= 15
        table(c, rows, y - 10)

    return draw


def found(doc: Document) -> list[tuple[T, list[int]]]:
    return [(st.type, st.pages) for st in doc.statements]


# --------------------------------------------------------------------------- titles


def prose_page(c: canvas.Canvas) -> None:
    """A page of narrative: with it, a document is not small enough for statements to be guessed untitled."""
    c.setFont("Helvetica", 9)
    for i, line in enumerate(PROSE * 3):
        c.drawString(72, 740 - 13 * i, line)


@pytest.mark.parametrize(
    "title",
    [
        "CONSOLIDATED BALANCE SHEETS",
        "Consolidated balance sheets",  # sentence case
        "Consolidated statement of financial position",
        "U.S. GAAP Consolidated Balance Sheets",  # a qualifier before the name
        "Abbreviated balance sheet",  # a small company's filed accounts
        "CONSOLIDATEDBALANCE SHEETS",  # a text layer that runs words together
        "Consolidated Balance Sheets ACME Holdings Inc.",  # the entity on the title's line
        "Statement of financial position as at 31 December 2023",
    ],
)
def test_balance_sheet_titles_in_any_case_and_form(title: str) -> None:
    """A title is judged by standing alone over the figures, not by its capitals or spacing."""
    doc = extract(render(prose_page, statement_page(title, BALANCE), statement_page("Income Statement", INCOME)))
    bs = the(doc, T.BALANCE)
    assert bs.title and bs.pages == [2]  # found by its title, not guessed from the figures
    assert line_values(bs, "Total assets") == [6950.0, 6400.0]


@pytest.mark.parametrize("char_space", [4.0, 7.0])
def test_letter_spaced_titles(char_space: float) -> None:
    """A title whose text layer spaces every letter apart ("S T A T E M E N T ...") still names its statement."""
    def draw(c: canvas.Canvas) -> None:
        heading(c, "Consolidated Statements of Cash Flows", 740, char_space=char_space, x=72)
        table(c, CASH, 715)

    cf = the(extract(render(prose_page, draw, statement_page("Income Statement", INCOME))), T.CASH_FLOW)
    assert cf.title and cf.pages == [2]
    assert line_values(cf, "Net cash provided by operating activities") == [1600.0, 1390.0]


def test_title_drawn_in_fragments_and_a_split_word() -> None:
    """A title drawn as separate runs, one word broken in two ("Incom e"), reads as one title."""
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        for x, part in ((150, "Consolidated"), (235, "Statements"), (305, "of"), (322, "Incom"), (365, "e")):
            c.drawString(x, 740, part)
        table(c, INCOME, 712)

    ist = the(extract(render(prose_page, draw, statement_page("Balance Sheet", BALANCE))), T.INCOME)
    assert ist.title and ist.pages == [2]
    assert line_values(ist, "Net income") == [1200.0, 1010.0]


def test_title_only_in_a_running_header() -> None:
    """A statement whose name is printed only in the page's running header is found by it."""
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 8)
        c.drawString(72, 770, "Consolidated statement of cash flows")
        c.drawRightString(540, 770, "ACME Holdings Inc.")
        table(c, CASH, 730)

    cf = the(extract(render(prose_page, draw, statement_page("Income Statement", INCOME))), T.CASH_FLOW)
    assert cf.title and cf.pages == [2]
    assert line_values(cf, "Cash and cash equivalents at end of year") == [1200.0, 1000.0]


def test_title_at_a_page_foot_starts_its_statement_on_the_next_page() -> None:
    """An earnings release prints prose, then a statement's title at the foot of a page and its figures over
    the page; the statement before it ends with a closing row above the next title."""
    def first(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        for i, line in enumerate(PROSE):
            c.drawString(72, 740 - 13 * i, line)
        heading(c, "Unaudited Condensed Consolidated Balance Sheet", 420)
        table(c, BALANCE[:-1], 400)
        heading(c, "Unaudited Condensed Consolidated Statement of Cash Flows", 60)

    def second(c: canvas.Canvas) -> None:
        table(c, [BALANCE[-1]], 740, years=False)
        heading(c, "Unaudited Condensed Consolidated Statement of Cash Flows (continued)", 700)
        table(c, CASH, 680)

    doc = extract(render(first, second))
    bs = the(doc, T.BALANCE)
    assert bs.pages == [1, 2]
    assert line_values(bs, "Total liabilities and equity") == [6950.0, 6400.0]
    cf = the(doc, T.CASH_FLOW)
    assert cf.pages == [2]


def test_a_statement_under_a_press_release_s_prose() -> None:
    """Prose above a full statement on the same page (a press release) does not make it a note."""
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        for i, line in enumerate(PROSE):
            c.drawString(72, 740 - 13 * i, line)
        heading(c, "Condensed Consolidated Statement of Income", 560)
        table(c, INCOME, 530)

    assert found(extract(render(draw))) == [(T.INCOME, [1])]


@pytest.mark.parametrize("labels", ["plain", "citing notes"])
@pytest.mark.parametrize("headed", [False, True])
def test_a_wide_landscape_table_is_not_two_printed_pages(labels: str, headed: bool) -> None:
    """A landscape statement whose labels stand far from its figures is one statement, not two pages: not when
    its labels cite notes ("Total current assets (Note 7)"), nor when worded headings stand over its figures."""
    rows = [(f"{label} (Note {k + 3})" if labels == "citing notes" and values else label, values)
            for k, (label, values) in enumerate(BALANCE)]

    def draw(c: canvas.Canvas) -> None:
        heading(c, "Consolidated Statements of Financial Position", 570, x=60)
        if headed:
            c.drawRightString(730, 556, "As at the end of the year")
            for x, year in ((640, "2022"), (730, "2021")):
                c.drawRightString(x, 544, "31 December")
                c.drawRightString(x, 532, year)
                c.drawRightString(x, 520, "Euro million")
        table(c, rows, 500 if headed else 540, label_x=60, columns=(640, 730))

    bs = the(extract(render(draw, size=landscape(letter))), T.BALANCE)
    assert line_values(bs, rows[-1][0]) == [6950.0, 6400.0]


def test_spaced_dot_leaders_do_not_make_labels_prose() -> None:
    """Labels followed by ". . . . ." leaders are still a statement's lines, not sentences."""
    leaders = [(f"{label} " + ". " * 40 if values else label, values) for label, values in BALANCE]
    bs = the(extract(render(statement_page("CONSOLIDATED BALANCE SHEETS", leaders))), T.BALANCE)
    assert any(it.label.startswith("Total assets") and list(it.values.values()) == [6950.0, 6400.0]
               for it in bs.items)


# --------------------------------------------------------------------------- types by content


def test_comprehensive_income_from_revenue_to_profit_is_the_income_statement() -> None:
    """A statement of comprehensive income (loss) that runs from revenue to profit, in a document with no
    separate income statement, is the income statement."""
    doc = extract(render(statement_page("Statements of Comprehensive Income / (Loss)", INCOME + OCI),
                         statement_page("Consolidated Balance Sheets", BALANCE)))
    assert found(doc) == [(T.INCOME, [1]), (T.BALANCE, [2])]


def test_comprehensive_income_beside_an_income_statement_stays_what_it_is() -> None:
    """The two-statement form: the comprehensive statement opens with the profit and stays comprehensive."""
    doc = extract(render(statement_page("Consolidated Statements of Operations", INCOME),
                         statement_page("Consolidated Statements of Comprehensive Income", [INCOME[-1], *OCI])))
    assert found(doc) == [(T.INCOME, [1]), (T.COMPREHENSIVE, [2])]


def test_an_equity_statement_after_a_balance_sheet_is_not_its_continuation() -> None:
    """A page headed by another statement's name (even an unusual one) does not carry on the statement before."""
    equity: list[Row] = [("Total equity, beginning balance", ("3,450", "3,000")),
                         ("Net earnings", ("1,200", "1,010")), ("Other comprehensive income", ("43", "5")),
                         ("Stock compensation plans", ("17", "6")), ("Shares repurchased", ("(60)", "(1)")),
                         ("Dividends declared", ("(600)", "(560)")),
                         ("Total equity, ending balance", ("4,050", "3,450"))]
    doc = extract(render(statement_page("Consolidated Balance Sheets", BALANCE),
                         statement_page("Consolidated Statements of Total Equity and Redeemable Interest", equity)))
    assert found(doc) == [(T.BALANCE, [1]), (T.EQUITY, [2])]


# --------------------------------------------------------------------------- what is not a statement


def test_an_exhibit_index_is_not_a_statement() -> None:
    """An exhibit index lists the statements with page numbers: its "values" are page numbers."""
    def index(c: canvas.Canvas) -> None:
        heading(c, "ITEM 15: EXHIBITS, FINANCIAL STATEMENT SCHEDULES", 740, x=72)
        c.setFont("Helvetica", 10)
        for i, (name, page) in enumerate([("Consolidated Income Statements", "73"),
                                          ("Consolidated Statements of Comprehensive Income", "74"),
                                          ("Consolidated Balance Sheets", "75"),
                                          ("Consolidated Statements of Cash Flows", "77"),
                                          ("Notes to the Consolidated Financial Statements", "78")]):
            c.drawString(100, 700 - 14 * i, name)
            c.drawRightString(520, 700 - 14 * i, page)
        for i, (number, text) in enumerate([("2.1", "Agreement and Plan of Merger, dated August 29, 2016"),
                                            ("3.1", "Articles of Amendment, dated May 8, 2017"),
                                            ("4.1", "Indenture, dated December 21, 2021"),
                                            ("10.1", "Credit Agreement, dated September 21, 2021")]):
            c.drawString(72, 600 - 14 * i, number)
            c.drawString(110, 600 - 14 * i, text)

    doc = extract(render(index, statement_page("Consolidated Balance Sheets", BALANCE)))
    assert found(doc) == [(T.BALANCE, [2])]


@pytest.mark.parametrize(
    "lead_in",
    [
        "Balance Sheet Data",  # MD&A selected data
        "Consolidated Balance Sheets As previously reported Adjustment As restated",  # a restatement note
    ],
)
def test_md_a_data_and_restatement_tables_are_not_statements(lead_in: str) -> None:
    """A table headed "Balance Sheet Data" or a restatement's reconciliation is not the balance sheet."""
    def note(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, 750, "Note 2. Restatement of previously issued financial statements and selected data")
        heading(c, lead_in, 725, x=72)
        table(c, BALANCE, 700)

    doc = extract(render(statement_page("Consolidated Balance Sheets", BALANCE), note))
    assert found(doc) == [(T.BALANCE, [1])]


def test_a_lead_in_sentence_naming_a_statement_is_not_a_title() -> None:
    """"... the amounts shown on the consolidated statements of cash flows (in millions):" introduces a note's
    table; it is not the statement's title."""
    def note(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, 740, "The following table summarises the cash and restricted cash that make up the total")
        c.drawString(72, 727, "statements of cash flows (in millions):")
        table(c, [("Cash and cash equivalents", ("6,795", "6,480")), ("Restricted cash", ("315", "257")),
                  ("Total cash and restricted cash", ("7,110", "6,737"))], 705)
        for i, line in enumerate(PROSE):
            c.drawString(72, 600 - 13 * i, line)

    doc = extract(render(statement_page("Consolidated Statements of Cash Flows", CASH), note))
    assert found(doc) == [(T.CASH_FLOW, [1])]


def test_a_notes_table_amid_prose_is_not_a_statement() -> None:
    """A sentence-case statement name heading a small table inside a note's prose is a notes table."""
    def note(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, 750, "Note 33. Parent entity information")
        for i, line in enumerate(PROSE):
            c.drawString(72, 730 - 13 * i, line)
        heading(c, "Statement of financial position", 640, x=72, size=9)
        table(c, [("Total current assets", ("2,287", "1,993")), ("Total assets", ("3,661", "2,090")),
                  ("Total liabilities", ("1,669", "327")), ("Total equity", ("1,992", "1,763"))], 620)
        c.setFont("Helvetica", 9)
        for i, line in enumerate(PROSE):
            c.drawString(72, 520 - 13 * i, line)

    doc = extract(render(statement_page("Statement of financial position", BALANCE), note))
    assert found(doc) == [(T.BALANCE, [1])]


# --------------------------------------------------------------------------- statements without a title


def test_untitled_statement_is_ranked_by_likeness_not_by_count_of_numbers() -> None:
    """With no titles anywhere, the page whose lines read as a statement (vocabulary, totals that foot) is the
    one read, not the pages holding the most numbers (a table of volunteer hours by year)."""
    def hours(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 9)
        for i in range(30):
            c.drawString(72, 740 - 13 * i, f"Chapter {i + 1}")
            for j, x in enumerate((300, 360, 420, 480)):
                c.drawRightString(x, 740 - 13 * i, str(40 + (i * 7 + j * 3) % 50))

    summary: list[Row] = [("Donations", ("5,200", "4,100")), ("Grants", ("3,000", "2,500")),
                          ("Total receipts", ("8,200", "6,600")), ("Program expenses", ("4,800", "4,000")),
                          ("Administrative expenses", ("1,200", "1,100")), ("Total expenses", ("6,000", "5,100")),
                          ("Net income", ("2,200", "1,500"))]

    def cash_summary(c: canvas.Canvas) -> None:
        table(c, summary, 700)

    doc = extract(render(hours, hours, hours, cash_summary))
    assert found(doc) == [(T.INCOME, [4])]
    assert line_values(the(doc, T.INCOME), "Total receipts") == [8200.0, 6600.0]


@pytest.mark.parametrize("sign", ["$", "£", "€", "€ "])
def test_an_untitled_statement_whose_figures_print_their_currency_sign_is_found(sign: str) -> None:
    """Every figure of a small statement may print its sign ("£5,200", "(€ 4,800)"): it is still a row of figures."""
    def signed(raw: str) -> str:
        return f"({sign}{raw[1:]}" if raw.startswith("(") else f"{sign}{raw}"

    summary: list[Row] = [("Donations", ("5,200", "4,100")), ("Grants", ("3,000", "2,500")),
                          ("Total receipts", ("8,200", "6,600")), ("Program expenses", ("(4,800)", "(4,000)")),
                          ("Administrative expenses", ("(1,200)", "(1,100)")), ("Net income", ("2,200", "1,500"))]

    def cash_summary(c: canvas.Canvas) -> None:
        table(c, [(label, (signed(a), signed(b))) for label, (a, b) in summary], 700)

    doc = extract(render(cash_summary))
    assert found(doc) == [(T.INCOME, [1])]
    assert line_values(the(doc, T.INCOME), "Total receipts") == [8200.0, 6600.0]


def test_a_statement_ends_before_its_footnotes() -> None:
    """A footnote under a statement ("(1) Includes stock-based compensation as follows:") and the footnote's own
    small table are not lines of the statement."""
    def draw(c: canvas.Canvas) -> None:
        heading(c, "Condensed Consolidated Statement of Income", 740)
        y = table(c, INCOME, 715)
        c.setFont("Helvetica", 9)
        c.drawString(72, y - 6, "(1) Includes stock-based compensation as follows:")
        table(c, [("Cost of sales", ("14", "13")), ("Selling and marketing", ("25", "20")),
                  ("Total stock-based compensation", ("39", "33"))], y - 20, years=False)

    ist = the(extract(render(draw)), T.INCOME)
    assert ist.items[-1].label == "Net income"
    assert not any("compensation" in it.label.lower() for it in ist.items)


# --------------------------------------------------------------------------- group and company


def test_parent_company_statements_are_kept_apart_and_the_company_named() -> None:
    """Parent-company statements are real statements of their own (never merged with the consolidated ones), and
    the document's company is the name, not the report's running header nor the parent-company scope."""
    def consolidated(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 8)
        c.drawString(72, 770, "Annual Report 2023 ACME Holdings PLC 45")
        statement_page("Consolidated Balance Sheets", BALANCE, company="")(c)

    parent_rows = [(label, tuple(v.replace(",", "")[:-1] + "0" if v else v for v in values))
                   for label, values in BALANCE]
    doc = extract(render(consolidated, statement_page("Balance Sheets", parent_rows,
                                                      company="ACME Holdings PLC (Parent Company Only)")))
    assert [(st.type, st.pages) for st in doc.statements] == [(T.BALANCE, [1]), (T.BALANCE, [2])]
    assert doc.company == "ACME Holdings PLC"
    assert doc.statements[1].entity == "ACME Holdings PLC (Parent Company Only)"


@pytest.mark.parametrize("page_heading", ["Five Year Record", "Statistical Review", "Ten-Year Summary",
                                          "FINANCIAL RECORD", "Historical summary"])
@pytest.mark.parametrize("section", ["Profit and Loss", "Income Statement", "Balance Sheet"])
def test_a_multi_year_record_is_not_a_statement(page_heading: str, section: str) -> None:
    """A UK report's five-year record reprints each year's headline figures under the statements' own names
    ("Profit and Loss", "Balance Sheet" over five years' columns): a summary of the statements, not one of them."""
    years = ("2019", "2020", "2021", "2022", "2023")
    columns = (300, 360, 420, 480, 540)
    rows = [("Turnover", ("55,231", "56,111", "57,000", "58,002", "62,650")),
            ("Operating profit", ("6,171", "6,267", "6,385", "6,521", "6,578")),
            ("Net interest payable", ("(2,024)", "(2,062)", "(2,067)", "(1,855)", "(1,679)")),
            ("Profit before tax", ("3,729", "3,800", "4,064", "4,436", "4,282")),
            ("Taxation", ("(702)", "(913)", "(700)", "(906)", "(840)")),
            ("Profit for the year", ("3,027", "2,887", "3,364", "3,530", "3,442")),
            ("Fixed assets", ("116,005", "116,802", "118,021", "125,792", "132,404")),
            ("Net current liabilities", ("(8,430)", "(8,904)", "(3,995)", "(8,333)", "(6,901)")),
            ("Net assets", ("77,119", "78,950", "79,147", "78,948", "78,293"))]

    def record(c: canvas.Canvas) -> None:
        heading(c, page_heading, 750, size=20, x=72)
        c.setFont("Helvetica-Bold", 9)
        c.drawString(72, 700, section)
        for x, year in zip(columns, years, strict=True):
            c.drawRightString(x, 700, year)
            c.drawRightString(x, 688, "£'000")
        table(c, rows, 670, columns=columns, years=False)

    doc = extract(render(statement_page("Consolidated Income Statement", INCOME), record,
                         statement_page("Consolidated Balance Sheet", BALANCE)))
    assert found(doc) == [(T.INCOME, [1]), (T.BALANCE, [3])]
