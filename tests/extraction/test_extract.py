"""Extraction end to end on PDFs generated here: each layout the parser must read, and the bad inputs it must refuse."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from datetime import date

import pytest
from layouts import the
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from finsheet import PdfError, StatementType, extract
from finsheet.model import LineItem, Statement

Row = tuple[str, int, Sequence[str]]
"""(label, indent level, printed values by column)."""


def draw_statement(
    c: canvas.Canvas,
    *,
    title: str,
    rows: Sequence[Row],
    headings: Sequence[Sequence[tuple[float, str]]] = ((), ((430, "2023"), (520, "2022"))),
    columns: Sequence[float] = (430, 520),
    units: str = "(in thousands of U.S. dollars)",
    company: str = "ACME HOLDINGS INC.",
    top: float = 740,
    left: float = 72,
    notes: dict[str, str] | None = None,
    note_x: float | None = None,
    dollars: Sequence[str] = (),
) -> float:
    """Draw one statement the way annual reports print them; returns the y under its last row."""
    y = top
    c.setFont("Helvetica-Bold", 11)
    centre = (left + columns[-1]) / 2
    for line in (company, title, units):
        if line:
            c.drawCentredString(centre, y, line)
            y -= 15
    c.setFont("Helvetica-Bold", 9)
    for line in headings:
        for x, text in line:
            c.drawCentredString(x - 15, y, text)
        y -= 12 if line else 0
    y -= 6
    for label, indent, values in rows:
        c.setFont("Helvetica-Bold" if label.lower().startswith("total") else "Helvetica", 9)
        c.drawString(left + 12 * indent, y, label)
        if notes and label in notes and note_x is not None:
            c.drawRightString(note_x, y, notes[label])
        for x, value in zip(columns, values, strict=False):
            if value:
                c.drawRightString(x, y, value)
                if label in dollars:
                    c.drawString(x - 60, y, "$")
        y -= 13
    return y


def pdf(*pages: dict, size: tuple[float, float] = letter) -> bytes:
    """A PDF with one statement (or several, given as a list) per page."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=True)
    for page in pages:
        specs = page if isinstance(page, list) else [page]
        for spec in specs:
            draw_statement(c, **spec)
        c.showPage()
    c.save()
    return buf.getvalue()


def item(statement: Statement, label: str) -> LineItem:
    matches = [it for it in statement.items if it.label == label]
    assert matches, f"no line {label!r} in {[it.label for it in statement.items]}"
    return matches[0]


BALANCE_ROWS: list[Row] = [
    ("ASSETS", 0, ()),
    ("Current assets:", 0, ()),
    ("Cash and cash equivalents", 1, ("1,200", "1,000")),
    ("Accounts receivable, net", 1, ("800", "700")),
    ("Inventories", 1, ("650", "600")),
    ("Total current assets", 1, ("2,650", "2,300")),
    ("Property and equipment, net", 0, ("4,300", "4,100")),
    ("Total assets", 0, ("6,950", "6,400")),
    ("LIABILITIES AND EQUITY", 0, ()),
    ("Accounts payable", 1, ("900", "850")),
    ("Long-term debt", 1, ("2,000", "2,100")),
    ("Total liabilities", 0, ("2,900", "2,950")),
    ("Total stockholders' equity", 0, ("4,050", "3,450")),
    ("Total liabilities and equity", 0, ("6,950", "6,400")),
]


def test_balance_sheet_with_notes_dollars_and_sections() -> None:
    """A 10-K style balance sheet: Notes column, "$" on some rows, sections, totals and checks that pass."""
    rows = BALANCE_ROWS
    heads = (((475, "December 31,"),), ((430, "2023"), (520, "2022")), ((330, "Note"),))
    doc = extract(pdf({"title": "CONSOLIDATED BALANCE SHEETS", "rows": rows, "headings": heads,
                       "notes": {"Inventories": "5", "Long-term debt": "9"}, "note_x": 335,
                       "dollars": ("Cash and cash equivalents", "Total assets")}))
    bs = the(doc, StatementType.BALANCE)
    assert bs.scale == 1000 and bs.currency == "USD"
    assert [p.key for p in bs.periods] == ["2023-12-31", "2022-12-31"]
    cash = item(bs, "Cash and cash equivalents")
    assert cash.values == {"2023-12-31": 1200.0, "2022-12-31": 1000.0}
    assert cash.raw["2023-12-31"] == "1,200"
    assert cash.section == ["Assets", "Current assets"]
    assert item(bs, "Inventories").note == "5"
    assert item(bs, "Total current assets").is_total
    assert not item(bs, "Inventories").is_total
    assert item(bs, "Cash and cash equivalents").level > item(bs, "Property and equipment, net").level
    assert all(c.ok for c in bs.checks), [c.detail for c in bs.checks if not c.ok]
    assert any(c.name == "assets_equal_liabilities_plus_equity" for c in bs.checks)
    assert doc.company == "ACME HOLDINGS INC."
    x0, top, x1, bottom = cash.box
    assert 0 < x0 < x1 and 0 < top < bottom < 792  # origin top-left, in points


def test_a_balance_sheet_that_does_not_foot_names_the_numbers() -> None:
    """A misprinted total fails its check, and the check says by how much."""
    misprint: Row = ("Total current assets", 1, ("2,660", "2,300"))
    rows = [misprint if r[0] == misprint[0] else r for r in BALANCE_ROWS]
    bs = the(extract(pdf({"title": "BALANCE SHEET", "rows": rows})), StatementType.BALANCE)
    failed = [c for c in bs.checks if not c.ok]
    assert failed and "Total current assets" in failed[0].detail and "10" in failed[0].detail


INCOME_ROWS: list[Row] = [
    ("Revenue", 0, ("10,000", "9,000")),
    ("Cost of sales", 0, ("(6,000)", "(5,500)")),
    ("Gross profit", 0, ("4,000", "3,500")),
    ("Other income (expense), net", 0, ("\u2013 120", "\u2014")),
    ("Selling, general and administrative expenses including amounts paid to", 0, ()),
    ("related parties (note 12)", 0, ("(2,500)", "(2,300)")),
    ("Operating income", 0, ("1,380", "1,200")),
    ("Net income", 0, ("1,080", "950")),
    ("Net income per share:", 0, ()),
    ("Basic", 1, ("1.08", "0.95")),
    ("Diluted", 1, ("1.07", "0.94")),
    ("Weighted-average shares outstanding:", 0, ()),
    ("Basic", 1, ("1,000", "1,000")),
]


def test_income_statement_negatives_nil_wrapped_labels_and_per_share() -> None:
    """Parentheses and "– 120" are negatives, "—" is nil, a wrapped label is joined, per-share rows are unscaled."""
    heads = (((475, "Year ended December 31,"),), ((430, "2023"), (520, "2022")))
    ist = the(extract(pdf({"title": "CONSOLIDATED STATEMENTS OF OPERATIONS", "rows": INCOME_ROWS,
                           "headings": heads, "units": "(in millions, except per share data)"})),
              StatementType.INCOME)
    assert ist.scale == 1_000_000
    assert [(p.key, p.months) for p in ist.periods] == [("2023-12-31", 12), ("2022-12-31", 12)]
    assert item(ist, "Cost of sales").values["2023-12-31"] == -6000
    other = item(ist, "Other income (expense), net")
    assert other.values == {"2023-12-31": -120.0, "2022-12-31": 0.0}
    wrapped = item(ist, "Selling, general and administrative expenses including amounts paid to related parties "
                        "(note 12)")
    assert wrapped.values["2022-12-31"] == -2300
    eps = [it for it in ist.items if it.label == "Basic"]
    assert [it.unit for it in eps] == ["per_share", "shares"]
    assert eps[0].values["2023-12-31"] == pytest.approx(1.08)
    assert item(ist, "Gross profit").is_total and item(ist, "Net income").is_total


def test_quarterly_columns_under_group_headings() -> None:
    """"Three Months Ended" and "Six Months Ended" each cover their two columns of dates."""
    columns = (300, 370, 450, 520)
    heads = (((335, "Three Months Ended"), (485, "Six Months Ended")),
             tuple((x, d) for x, d in zip(columns, ("July 29, 2023", "July 30, 2022") * 2, strict=True)))
    rows: list[Row] = [("Revenue", 0, ("9,583", "10,329", "19,050", "20,976")),
                       ("Cost of sales", 0, ("7,363", "8,042", "14,680", "16,336")),
                       ("Gross profit", 0, ("2,220", "2,287", "4,370", "4,640"))]
    ist = the(extract(pdf({"title": "CONDENSED CONSOLIDATED STATEMENTS OF EARNINGS", "rows": rows,
                           "headings": heads, "columns": columns})), StatementType.INCOME)
    assert [(p.end, p.months) for p in ist.periods] == [
        (date(2023, 7, 29), 3), (date(2022, 7, 30), 3), (date(2023, 7, 29), 6), (date(2022, 7, 30), 6)]
    assert item(ist, "Revenue").values[ist.periods[2].key] == 19050
    assert len({p.key for p in ist.periods}) == 4


def test_ascending_restated_columns_and_a_euro_title() -> None:
    """Oldest column first, a "Restated" column flagged, scale and currency from "€m", the date from the title."""
    heads = (((430, "2022"), (520, "2023")), ((430, "Restated"),))
    rows: list[Row] = [("Revenue", 0, ("1.234,5", "1.456,7")), ("Operating costs", 0, ("(1.000,0)", "(1.100,2)")),
                       ("Operating result", 0, ("234,5", "356,5"))]
    ist = the(extract(pdf({"title": "CONSOLIDATED INCOME STATEMENT for the year ended 31 December 2023",
                           "rows": rows, "headings": heads, "units": "\u20acm"})), StatementType.INCOME)
    assert ist.scale == 1_000_000 and ist.currency == "EUR"
    assert [p.end for p in ist.periods] == [date(2022, 12, 31), date(2023, 12, 31)]
    assert [p.restated for p in ist.periods] == [True, False]
    assert item(ist, "Revenue").values[ist.periods[1].key] == pytest.approx(1456.7)
    assert item(ist, "Operating costs").values[ist.periods[0].key] == pytest.approx(-1000.0)


@pytest.mark.parametrize(("first", "second"), [("Non-current assets", "Current liabilities"),
                                               ("Non-Current Assets", "Current Liabilities"),
                                               ("NON-CURRENT ASSETS", "CURRENT LIABILITIES")])
def test_unlabeled_subtotals_in_a_uk_net_assets_layout(first: str, second: str) -> None:
    """Subtotal rows printed with no label are totals, named after the block they close, in running text whatever
    the heading's case ("Total current liabilities", never "Total current Liabilities")."""
    heads = (((430, "2022"), (520, "2021")), ((430, "\u00a3000"), (520, "\u00a3000")))
    rows: list[Row] = [(first, 0, ()), ("Intangible assets", 0, ("6,270", "6,265")),
                       ("Property, plant and equipment", 0, ("420", "807")), ("", 0, ("6,690", "7,072")),
                       (second, 0, ()), ("Trade and other payables", 0, ("(9,310)", "(10,528)")),
                       ("Borrowings", 0, ("(502)", "(737)")), ("", 0, ("(9,812)", "(11,265)")),
                       ("Net assets", 0, ("(3,122)", "(4,193)")), ("Total equity attributable to:", 0, ()),
                       ("Owners of the company", 0, ("(3,222)", "(4,293)")),
                       ("Non-controlling interests", 0, ("100", "100")),
                       ("", 0, ("(3,122)", "(4,193)"))]
    bs = the(extract(pdf({"title": "CONSOLIDATED STATEMENT OF FINANCIAL POSITION as at 31 December 2022",
                          "rows": rows, "headings": heads, "units": ""})), StatementType.BALANCE)
    assert bs.currency == "GBP" and bs.scale == 1000
    totals = [it for it in bs.items if it.note and "no label printed" in it.note]
    # a block headed by its total's name closes on that name, not "Total total ..."
    assert [t.label for t in totals] == ["Total non-current assets", "Total current liabilities",
                                         "Total equity attributable to"]
    assert totals[1].values == {"2022-12-31": -9812.0, "2021-12-31": -11265.0}
    assert all(c.ok for c in bs.checks) and any(c.name == "net_assets_equal_equity" for c in bs.checks)


def test_an_unlabeled_total_under_a_label_s_detail_lines_is_named_after_no_detail() -> None:
    """A share capital line whose details run on below it with no figures ("150,000 authorized ...") heads no
    block: the unlabeled total after the equity lines is "Total", not "Total 150,000 authorized ..."."""
    heads = (((430, "2022"), (520, "2021")),)
    rows: list[Row] = [("Total assets", 0, ("2,000", "1,800")), ("Liabilities", 0, ("900", "850")),
                       ("Ordinary shares of NIS 15 par value:", 0, ("440", "435")),
                       ("150,000 authorized as of December 31, 2022 and 2021", 0, ()),
                       ("Additional paid-in capital", 0, ("700", "600")), ("Accumulated deficit", 0, ("(40)", "(85)")),
                       ("", 0, ("1,100", "950")), ("Total liabilities and equity", 0, ("2,000", "1,800"))]
    bs = the(extract(pdf({"title": "CONSOLIDATED BALANCE SHEETS", "rows": rows, "headings": heads})),
             StatementType.BALANCE)
    totals = [it for it in bs.items if it.note and "no label printed" in it.note]
    assert [t.label for t in totals] == ["Total"]
    assert list(totals[0].values.values()) == [1100.0, 950.0]


def test_two_statements_on_one_page_are_split_at_the_second_title() -> None:
    """An income statement and a statement of comprehensive income printed on one page are two statements."""
    first = {"title": "CONSOLIDATED INCOME STATEMENT", "rows": INCOME_ROWS[:4]}
    second = {"title": "Statement of Comprehensive Income", "rows": [
        ("Profit for the year", 0, ("1,080", "950")), ("Exchange differences", 0, ("25", "(7)")),
        ("Total comprehensive income", 0, ("1,105", "943"))], "top": 480, "company": "", "units": ""}
    doc = extract(pdf([first, second]))
    assert [st.type for st in doc.statements] == [StatementType.INCOME, StatementType.COMPREHENSIVE]
    ci = doc.statements[1]
    assert item(ci, "Exchange differences").values == {"2023": 25.0, "2022": -7.0}
    assert "Exchange differences" not in [it.label for it in doc.statements[0].items]


def test_one_statement_printed_as_two_tables_is_merged() -> None:
    """An earnings release's 13-week and 52-week income statements on one page become one statement, four periods."""
    rows: list[Row] = [("Net sales", 0, ("3,226", "2,729")), ("Cost of sales", 0, ("2,014", "1,702")),
                       ("Gross profit", 0, ("1,212", "1,027"))]
    dates = ((430, "January 28, 2023"), (520, "January 29, 2022"))
    quarter = {"title": "Consolidated Statements of Income", "rows": rows,
               "headings": (((475, "13 Weeks Ended"),), dates)}
    year = {**quarter, "rows": [(label, 0, ("10,208", "8,630")) for label, _, _ in rows], "top": 480,
            "headings": (((475, "52 Weeks Ended"),), dates)}
    ist = the(extract(pdf([quarter, year])), StatementType.INCOME)
    assert [(p.key, p.months) for p in ist.periods] == [
        ("2023-01-28/3m", 3), ("2022-01-29/3m", 3), ("2023-01-28/12m", 12), ("2022-01-29/12m", 12)]
    assert item(ist, "Net sales").values["2023-01-28/12m"] == 10208


def test_two_printed_pages_side_by_side() -> None:
    """A landscape sheet holding two printed pages yields both statements, each with its own lines."""
    left = {"title": "BALANCE SHEET", "rows": BALANCE_ROWS[:8], "columns": (280, 350), "left": 40,
            "headings": ((), ((280, "2023"), (350, "2022")))}
    right = {"title": "INCOME STATEMENT", "rows": INCOME_ROWS[:4], "columns": (680, 750), "left": 440,
             "headings": ((), ((680, "2023"), (750, "2022")))}
    doc = extract(pdf([left, right], size=landscape(letter)))
    bs, ist = the(doc, StatementType.BALANCE), the(doc, StatementType.INCOME)
    assert item(bs, "Total assets").values == {"2023": 6950.0, "2022": 6400.0}
    assert item(ist, "Revenue").values == {"2023": 10000.0, "2022": 9000.0}
    assert "Revenue" not in [it.label for it in bs.items]


def test_statement_continued_on_the_next_page() -> None:
    """A balance sheet carried over to a page titled "(continued)" is one statement over two pages."""
    first = {"title": "CONSOLIDATED BALANCE SHEETS", "rows": BALANCE_ROWS[:8]}
    second = {"title": "CONSOLIDATED BALANCE SHEETS (continued)", "rows": BALANCE_ROWS[8:]}
    bs = the(extract(pdf(first, second)), StatementType.BALANCE)
    assert bs.pages == [1, 2]
    assert item(bs, "Total liabilities and equity").page == 2
    assert any(c.name == "assets_equal_liabilities_plus_equity" and c.ok for c in bs.checks)


def test_contents_and_notes_pages_are_not_statements() -> None:
    """A table of contents and a note that mention the statements produce nothing; the statement is found."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(["Table of Contents", "Consolidated Balance Sheets 3", "Consolidated Statements of "
                              "Operations 4", "Notes to the Consolidated Financial Statements 5"]):
        c.drawString(72, 700 - 16 * i, line)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "The balance sheet shows inventories of 650 as described in note 5.")
    c.drawString(72, 684, "See the consolidated statements of operations for revenue of 10,000.")
    c.showPage()
    draw_statement(c, title="CONSOLIDATED BALANCE SHEETS", rows=BALANCE_ROWS)
    c.showPage()
    c.save()
    doc = extract(buf.getvalue())
    assert [(st.type, st.pages) for st in doc.statements] == [(StatementType.BALANCE, [3])]


def test_a_pdf_with_no_statements_is_an_error_document() -> None:
    """A readable PDF with no statement gives a document whose error says so (not an exception)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawString(72, 700, "Minutes of the annual general meeting.")
    c.save()
    doc = extract(buf.getvalue())
    assert doc.statements == [] and doc.error and "no financial statements" in doc.error


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_scanned_page_is_read_by_ocr(tmp_path: pytest.TempPathFactory) -> None:
    """An image-only page (a scan) is OCR'd into the same statement a text page would give."""
    import pypdfium2 as pdfium

    text_pdf = pdf({"title": "BALANCE SHEET", "rows": BALANCE_ROWS, "units": "", "company": "ACME LIMITED"})
    image = pdfium.PdfDocument(text_pdf)[0].render(scale=200 / 72, grayscale=True).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=200)
    doc = extract(buf.getvalue())
    assert doc.ocr_pages == [1]
    bs = the(doc, StatementType.BALANCE)
    assert item(bs, "Total assets").values == {"2023": 6950.0, "2022": 6400.0}
    assert all(c.ok for c in bs.checks)


def test_scanned_page_without_ocr_is_a_clear_error() -> None:
    """With OCR off, a scan gives a document that says it has no text layer, not an empty success."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(buf, format="PDF", resolution=100)
    doc = extract(buf.getvalue(), ocr=False)
    assert doc.error and "no text layer" in doc.error


def _encrypted() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, encrypt="secret")
    c.drawString(72, 700, "private")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 this is a zip file", "not a PDF"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "damaged"),
        (pytest.param(None, "encrypted", id="encrypted")),
    ],
)
def test_unreadable_files_raise_one_clear_error(data: bytes | None, message: str) -> None:
    """Empty, non-PDF, damaged and password-protected files raise PdfError with a message saying which."""
    with pytest.raises(PdfError, match=message):
        extract(_encrypted() if data is None else data)


def test_pages_limits_the_work() -> None:
    """`pages=` reads only those pages."""
    data = pdf({"title": "BALANCE SHEET", "rows": BALANCE_ROWS}, {"title": "INCOME STATEMENT", "rows": INCOME_ROWS})
    doc = extract(data, pages=[2])
    assert [st.type for st in doc.statements] == [StatementType.INCOME]


def test_dot_leaders_are_not_part_of_labels_or_figures() -> None:
    """Lines printed "Revenue ........ 10,000" keep a clean label and their figures."""
    rows: list[Row] = [("Revenue ..................", 0, ("10,000", "9,000")),
                       ("Cost of sales .............", 0, ("(6,000)", "(5,500)")),
                       ("Gross profit ..............", 0, ("4,000", "3,500"))]
    ist = the(extract(pdf({"title": "INCOME STATEMENT", "rows": rows})), StatementType.INCOME)
    assert [it.label for it in ist.items] == ["Revenue", "Cost of sales", "Gross profit"]
    assert item(ist, "Cost of sales").values == {"2023": -6000.0, "2022": -5500.0}


def test_missing_tesseract_is_a_warning_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without tesseract a scan yields a document that says OCR is unavailable, and no exception."""
    from PIL import Image

    monkeypatch.setenv("PATH", "/nonexistent")
    buf = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(buf, format="PDF", resolution=100)
    doc = extract(buf.getvalue())
    assert any("tesseract is not installed" in w for w in doc.warnings)
    assert doc.error and "tesseract" in doc.error


def test_extractions_from_several_threads_do_not_crash() -> None:
    """PDFium is not thread-safe; extractions started from several threads at once all finish correctly."""
    from concurrent.futures import ThreadPoolExecutor

    data = pdf({"title": "BALANCE SHEET", "rows": BALANCE_ROWS}, {"title": "INCOME STATEMENT", "rows": INCOME_ROWS})
    with ThreadPoolExecutor(max_workers=4) as pool:
        docs = list(pool.map(lambda _: extract(data), range(8)))
    assert all(len(d.statements) == 2 for d in docs)
