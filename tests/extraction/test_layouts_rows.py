"""Rows on generated layouts: word boundaries, reference numbers, bracketed note references, unit headings,
labels wrapped under their figures, %-change columns, and one ruled, specked statement read through the real OCR."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence

import pypdfium2 as pdfium
import pytest
from pdf_pages import render
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.extraction.pdf import open_pdf, read_page
from finsheet.model import LOW_CONFIDENCE, Document, LineItem, Statement, Word

Line = tuple[str, str, Sequence[str]]
"""(label, note, printed values by column)."""

BALANCE: list[Line] = [
    ("Fixed assets", "", ()),
    ("Tangible assets", "9", ("132,363", "125,709")),
    ("Current assets", "", ()),
    ("Stocks", "10", ("1,994", "2,039")),
    ("Debtors", "11", ("4,232", "4,519")),
    ("Cash at bank and in hand", "", ("539", "1,611")),
    ("", "", ("6,765", "8,169")),
    ("Creditors: amounts falling due within one year", "12", ("(14,342)", "(8,006)")),
    ("Net current liabilities", "", ("(7,577)", "163")),
    ("Net assets", "", ("124,786", "125,872")),
    ("Capital and reserves", "", ()),
    ("Called up share capital", "13", ("7,594", "7,594")),
    ("Profit and loss account", "", ("117,192", "118,278")),
    ("Shareholders' funds", "", ("124,786", "125,872")),
]


def draw(
    c: canvas.Canvas,
    rows: Sequence[Line],
    *,
    title: str = "Balance Sheet as at 30 September 2016",
    headings: Sequence[Sequence[tuple[float, str]]] = (((300, "Notes"), (400, "2016"), (500, "2015")),),
    columns: Sequence[float] = (420, 520),
    note_x: float = 310,
    font: str = "Helvetica",
    size: float = 9,
    preamble: Sequence[str] = (),
    registered: str = "",
    bracket_notes: bool = False,
    rules: bool = False,
    specks: bool = False,
) -> None:
    """One statement as UK accounts print it; optionally ruled (vertical lines between the columns) and specked."""
    y = 740.0
    c.setFont(font + ("-Bold" if font == "Helvetica" else ""), size + 2)
    for text in ("WIDGET HOLDINGS LIMITED", title, *preamble):
        c.drawString(72, y, text)
        y -= 16
    c.setFont(font, size)
    if registered:  # printed on a line of its own, right-aligned where a column's figures stand
        c.drawString(72, y, "Registered number")
        c.drawRightString(columns[-1], y, registered)
        y -= 16
    for line in headings:
        for x, text in line:
            c.drawRightString(x + 18, y, text)
        y -= 13
    top = y + 10
    for label, note, values in rows:
        c.drawString(72, y, label)
        if note:
            c.drawRightString(note_x, y, f"({note})" if bracket_notes else note)
        for x, value in zip(columns, values, strict=False):
            c.drawRightString(x, y, value)
        if specks and label == "Current assets":
            c.circle(450, y - 6, 0.9, stroke=0, fill=1)  # dirt between two lines, under a column
            c.drawString(455, y - 6.5, ";")
        y -= 14
    if rules:
        for x in (note_x + 12, columns[0] + 12, columns[1] + 12):
            c.line(x, top, x, y + 8)


def pdf_of(**spec: object) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    draw(c, spec.pop("rows", BALANCE), **spec)  # type: ignore[arg-type]
    c.showPage()
    c.save()
    return buf.getvalue()


def only(doc: Document, kind: StatementType) -> Statement:
    found = [s for s in doc.statements if s.type == kind]
    assert len(found) == 1, [(s.type, s.title) for s in doc.statements]
    return found[0]


def item(st: Statement, label: str) -> LineItem:
    hits = [it for it in st.items if it.label == label]
    assert hits, f"no {label!r} in {[it.label for it in st.items]}"
    return hits[0]


# --------------------------------------------------------------------------- word boundaries


@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman", "Courier"])
@pytest.mark.parametrize("size", [7, 9, 12])
def test_narrow_glyphs_stay_in_their_word(font: str, size: float) -> None:
    """Words are cut where the advance widths leave a gap, not where tight glyph boxes do: "1,311" and "Staff"
    stay whole in every font and size, while two words drawn a space apart stay two."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont(font, size)
    c.drawString(72, 700, "Staff costs")
    c.drawRightString(400, 700, "1,311")
    c.drawRightString(500, 700, "(11,711)")
    c.drawString(72, 680, "Tariffs")
    c.drawRightString(400, 680, "111,111")
    c.showPage()
    c.save()
    with open_pdf(buf.getvalue()) as doc:
        words = [w.text for w in read_page(doc, 0).words]
    assert words == ["Staff", "costs", "1,311", "(11,711)", "Tariffs", "111,111"]


# --------------------------------------------------------------------------- references, notes, units


@pytest.mark.parametrize("number", ["00030177", "06005142", "6005142"])
def test_a_company_number_is_not_an_amount(number: str) -> None:
    """A registered number printed by the title is no figure: the statement's periods and lines are untouched."""
    bs = only(extract(pdf_of(registered=number)), StatementType.BALANCE)
    assert [p.end.isoformat() if p.end else p.key for p in bs.periods] == ["2016-09-30", "2015-09-30"]
    assert not any(float(number) in it.values.values() for it in bs.items)
    assert item(bs, "Net assets").values == {"2016-09-30": 124786.0, "2015-09-30": 125872.0}


@pytest.mark.parametrize("bracket_notes", [False, True])
@pytest.mark.parametrize("note_x", [300, 340])
def test_note_references_in_brackets_are_notes_not_negatives(bracket_notes: bool, note_x: float) -> None:
    """Note "(12)" is note 12: it is the line's note, never a value of -12, wherever the Notes column stands."""
    headings = (((note_x - 10, "Notes"), (400, "2016"), (500, "2015")),)
    bs = only(extract(pdf_of(bracket_notes=bracket_notes, note_x=note_x, headings=headings)), StatementType.BALANCE)
    stocks = item(bs, "Stocks")
    assert stocks.values == {"2016-09-30": 1994.0, "2015-09-30": 2039.0}
    assert stocks.note is not None and "10" in stocks.note
    assert all(v is None or v > -20 or v < -100 for it in bs.items for v in it.values.values())
    assert all(c.ok for c in bs.checks), [c.detail for c in bs.checks if not c.ok]


@pytest.mark.parametrize(
    ("units", "scale"),
    [("£'000", 1000), ("£000", 1000), ("€m", 1_000_000), ("$ million", 1_000_000), ("£m", 1_000_000),
     ("£", 1), ("($)", 1), ("(£)", 1)],
)
def test_a_units_line_under_the_years_sets_the_scale_and_is_no_line(units: str, scale: int) -> None:
    """The units printed under each year ("£'000") give the scale and are not read as a line of noughts; a currency
    sign alone, bare or bracketed ("($)"), says the figures are whole units of it."""
    headings = (((300, "Notes"), (400, "2016"), (500, "2015")), ((400, units), (500, units)))
    bs = only(extract(pdf_of(headings=headings)), StatementType.BALANCE)
    assert bs.scale == scale
    assert bs.items[0].label == "Fixed assets" and not any(units in it.label for it in bs.items)


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("split", [("Creditors: amounts falling due", "", "within one year"),
                                   ("Creditors: amounts", "falling due", "within one year")])
def test_a_label_running_on_under_its_figures_is_one_line(upper: bool, split: tuple[str, str, str]) -> None:
    """A label wrapped over two or three lines with its figures on the first or the middle one ("Creditors:
    amounts falling due" / "within one year") is one line item."""
    first, middle, last = (part.upper() if upper else part for part in split)
    values = ("(14,342)", "(8,006)")
    rows = list(BALANCE)
    at = rows.index(("Creditors: amounts falling due within one year", "12", values))
    wrapped = [(first, "12", values), (last, "", ())] if not middle else [
        (first, "", ()), (middle, "12", values), (last, "", ())]
    rows[at : at + 1] = wrapped
    bs = only(extract(pdf_of(rows=rows)), StatementType.BALANCE)
    creditors = item(bs, " ".join(p for p in (first, middle, last) if p))
    assert creditors.values == {"2016-09-30": -14342.0, "2015-09-30": -8006.0}
    assert item(bs, "Net assets").values["2016-09-30"] == 124786.0


@pytest.mark.parametrize(("header", "cells"), [("% Change", ("12.5", "(3.0)", "8.1", "1.0")),
                                               ("%", ("12.5%", "(3.0%)", "8.1%", "1.0%"))])
def test_a_percent_change_column_is_not_a_period(header: str, cells: Sequence[str]) -> None:
    """A "% Change" column beside the years is no period, whether or not its cells print the % sign."""
    rows: list[Line] = [
        ("Turnover", "", ("4,500", "4,000", cells[0])),
        ("Cost of sales", "", ("(2,500)", "(2,060)", cells[1])),
        ("Gross profit", "", ("2,000", "1,940", cells[2])),
        ("Administrative expenses", "", ("(900)", "(850)", cells[3])),
        ("Operating profit", "", ("1,100", "1,090", "0.9")),
    ]
    headings = (((400, "2016"), (470, "2015"), (540, header)),)
    doc = extract(pdf_of(rows=rows, title="Profit and Loss Account for the year ended 30 September 2016",
                         headings=headings, columns=(420, 490, 560)))
    income = only(doc, StatementType.INCOME)
    assert [p.end.isoformat() if p.end else p.key for p in income.periods] == ["2016-09-30", "2015-09-30"]
    assert item(income, "Gross profit").values == {"2016-09-30": 2000.0, "2015-09-30": 1940.0}


@pytest.mark.parametrize("header", ["%", "% of sales", "% of revenue", "Percent", "of revenue", "of net sales"])
@pytest.mark.parametrize("sign", ["", "%"])
def test_a_share_of_revenue_column_beside_each_year_is_not_a_period(header: str, sign: str) -> None:
    """"2016 | % of sales | 2015 | % of sales": each year's share-of-revenue column is no period, whether its
    cells print the % sign or only its heading does, and however much narrower its heading is than its figures;
    also where OCR lost the heading's small "%" ("of revenue")."""
    shares = [("100.0", "100.0"), ("55.6", "51.5"), ("44.4", "48.5"), ("20.0", "21.3"), ("24.4", "27.3")]
    amounts = [("4,500", "4,000"), ("(2,500)", "(2,060)"), ("2,000", "1,940"), ("(900)", "(850)"),
               ("1,100", "1,090")]
    labels = ["Turnover", "Cost of sales", "Gross profit", "Administrative expenses", "Operating profit"]
    rows: list[Line] = [(label, "", (a, f"{s}{sign}", b, f"{t}{sign}"))
                        for label, (a, b), (s, t) in zip(labels, amounts, shares, strict=True)]
    columns = (360, 430, 500, 570)
    headings = (tuple((x - 18, text) for x, text in zip(columns, ("2016", header, "2015", header), strict=True)),)
    doc = extract(pdf_of(rows=rows, title="Profit and Loss Account for the year ended 30 September 2016",
                         headings=headings, columns=columns))
    income = only(doc, StatementType.INCOME)
    assert [p.end.isoformat() if p.end else p.key for p in income.periods] == ["2016-09-30", "2015-09-30"]
    assert item(income, "Gross profit").values == {"2016-09-30": 2000.0, "2015-09-30": 1940.0}


# --------------------------------------------------------------------------- a scan


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_ruled_specked_scan_reads_like_its_text() -> None:
    """A scanned statement with vertical rules between its columns, notes in brackets, "£'000" under the years
    and dirt between its lines gives the same lines, notes and scale as the printed page."""
    headings = (((300, "Notes"), (400, "2016"), (500, "2015")), ((400, "£'000"), (500, "£'000")))
    text_pdf = pdf_of(headings=headings, bracket_notes=True, rules=True, specks=True)
    image = pdfium.PdfDocument(text_pdf)[0].render(scale=200 / 72, grayscale=True).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=200)
    doc = extract(buf.getvalue())
    assert doc.ocr_pages == [1]
    bs = only(doc, StatementType.BALANCE)
    assert bs.scale == 1000
    assert item(bs, "Net assets").values == {"2016-09-30": 124786.0, "2015-09-30": 125872.0}
    assert item(bs, "Cash at bank and in hand").values == {"2016-09-30": 539.0, "2015-09-30": 1611.0}
    assert item(bs, "Debtors").note is not None and "11" in (item(bs, "Debtors").note or "")
    assert not any(v in (-9.0, -10.0, -11.0, -12.0, -13.0) for it in bs.items for v in it.values.values())


# --------------------------------------------------------------------------- OCR confidence


def ocr_line(y: float, *parts: tuple[str, float, float]) -> list[Word]:
    """Words of one OCR'd line: (text, x0, confidence), each 6 points a character wide."""
    return [Word(text, x, y, x + 6 * len(text), y + 9, conf) for text, x, conf in parts]


@pytest.mark.parametrize("source", ["ocr", "text"])
def test_scraps_ocr_doubts_do_not_break_a_row(source: str) -> None:
    """On a scan, a short scrap OCR doubts ("eno}" after a figure, "oe" before one, a line of "Se ee") is dirt:
    the row keeps its figures and its label; the same words in a text layer (sure of themselves) are kept."""
    from finsheet.extraction.detect import Section
    from finsheet.extraction.rows import build_rows
    from finsheet.model import Page

    sure = 1.0 if source == "text" else 0.1
    words = [
        *ocr_line(100, ("Total", 72, 0.9), ("assets", 110, 0.9), ("127,963", 400, 0.8), ("eno}", 470, sure)),
        *ocr_line(114, ("Se", 72, sure), ("ee", 100, sure)),
        *ocr_line(128, ("Net", 72, 0.9), ("assets", 100, 0.9), ("oe", 160, sure), ("78,293", 400, 0.9),
                  ("78,948", 470, 0.9)),
    ]
    page = Page(number=1, width=612, height=792, words=words, source=source)  # type: ignore[arg-type]
    rows = build_rows(page, Section(StatementType.BALANCE, "", [1], 1.0), False)
    texts = [(r.label, [c.figure.raw for c in r.cells]) for r in rows]
    if source == "ocr":
        assert texts == [("Total assets", ["127,963"]), ("Net assets", ["78,293", "78,948"])]
    else:
        assert texts == [("Total assets 127,963 eno}", []), ("Se ee", []), ("Net assets oe", ["78,293", "78,948"])]


@pytest.mark.parametrize("mark", ["—", "-", "–"])
@pytest.mark.parametrize("gap", [1.0, 3.0])
def test_a_dash_against_a_bracketed_figure_is_a_stray_mark(mark: str, gap: float) -> None:
    """OCR reads the end of a rule beside a figure as a dash set against its bracket ("—(1,963,663)"): a figure in
    brackets carries its own sign, so the dash is no minus and no nil of its own, and the row keeps its figures."""
    from finsheet.extraction.detect import Section
    from finsheet.extraction.rows import build_rows
    from finsheet.model import Page

    dash = Word(mark, 515 - gap - 7, 100, 515 - gap, 109, 0.13)
    words = [*ocr_line(100, ("Income", 31, 0.96), ("tax", 70, 0.96), ("(3,092,565)", 440, 0.9)), dash,
             *ocr_line(100, ("(1,963,663)", 515, 0.96))]
    page = Page(number=1, width=612, height=792, words=words, source="ocr")  # type: ignore[arg-type]
    rows = build_rows(page, Section(StatementType.INCOME, "", [1], 1.0), False)
    assert [(r.label, [c.figure.value for c in r.cells]) for r in rows] == [("Income tax", [-3092565.0,
                                                                                            -1963663.0])]


@pytest.mark.parametrize(("home", "foreign"), [("RMB", "US$"), ("¥", "US$"), ("HK$", "USD")])
def test_a_convenience_translation_column_is_not_a_period(home: str, foreign: str) -> None:
    """The last year printed again in US dollars beside the home currency is no third period."""
    rows: list[Line] = [
        ("Revenues", "", ("45,000", "40,000", "6,524")),
        ("Cost of revenues", "", ("(25,000)", "(20,600)", "(3,625)")),
        ("Gross profit", "", ("20,000", "19,400", "2,899")),
        ("Operating expenses", "", ("(9,000)", "(8,500)", "(1,305)")),
        ("Operating income", "", ("11,000", "10,900", "1,594")),
    ]
    headings = (((400, "2022"), (470, "2021"), (540, "2022")), ((400, home), (470, home), (540, foreign)))
    doc = extract(pdf_of(rows=rows, title="Consolidated Statements of Operations for the year ended December 31",
                         headings=headings, columns=(420, 490, 560)))
    income = only(doc, StatementType.INCOME)
    assert [p.end.isoformat() if p.end else p.key for p in income.periods] == ["2022-12-31", "2021-12-31"]
    assert item(income, "Gross profit").values == {"2022-12-31": 20000.0, "2021-12-31": 19400.0}


@pytest.mark.parametrize("caption", ["(in thousands of Canadian dollars)", "(expressed in thousands of euros)",
                                     "(Amounts in thousands of Australian dollars)"])
@pytest.mark.parametrize("signs", [("$", "$", "$"), ("", "", "")])
def test_a_unit_caption_reaching_into_the_first_column_is_no_heading_of_it(caption: str,
                                                                           signs: tuple[str, ...]) -> None:
    """A centred title or unit caption whose last words stand over the first column heads the table, not that
    column: its currency, unlike the "$" over the columns, makes no convenience translation of the first period."""
    rights = (426.0, 488.0, 550.0)

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(306, 740, "Consolidated income statement")
        c.setFont("Helvetica", 9)
        # centred on the label column and the first figure column: its end stands over that column alone
        c.drawRightString(rights[0] - 25, 726, caption)
        for line in (("30.09.2024", "30.09.2023", "30.09.2022"), signs):
            for right, text in zip(rights, line, strict=True):
                c.drawRightString(right, 706 if line != signs else 694, text)
        y = 676.0
        for label, *figures in (("Turnover", "1,211,445", "1,088,227", "936,530"),
                                ("Cost of revenue", "(773,170)", "(729,580)", "(630,132)"),
                                ("Gross margin", "438,275", "358,647", "306,398"),
                                ("Administrative expenses", "(238,004)", "(221,770)", "(178,181)"),
                                ("Profit for the year", "200,271", "136,877", "128,217")):
            c.drawString(72, y, label)
            for right, figure in zip(rights, figures, strict=True):
                c.drawRightString(right, y, figure)
            y -= 14

    income = only(extract(render(draw)), StatementType.INCOME)
    assert [p.key for p in income.periods] == ["2024-09-30", "2023-09-30", "2022-09-30"]
    assert item(income, "Gross margin").values == {"2024-09-30": 438275.0, "2023-09-30": 358647.0,
                                                   "2022-09-30": 306398.0}


@pytest.mark.parametrize("leader", ["", "....................", " . . . . . . . . . .", " .  .  .  .  ."])
def test_dot_leaders_are_not_part_of_a_label(leader: str) -> None:
    """Dot leaders, run together or spaced apart, lead the eye to the figures; they are not words of the label."""
    rows = [(label + (leader if label and values else ""), note, values) for label, note, values in BALANCE]
    bs = only(extract(pdf_of(rows=rows)), StatementType.BALANCE)
    labels = [i.label for i in bs.items]
    assert "Cash at bank and in hand" in labels and "Shareholders' funds" in labels
    assert not any("." in label for label in labels)


@pytest.mark.parametrize(
    ("home", "foreign", "currency", "scale"),
    [("RMB'000", "US$'000", "CNY", 1000), ("RMB in millions", "US$ in thousands", "CNY", 1_000_000),
     ("¥ millions", "US$ thousands", "JPY", 1_000_000), ("RMB in thousands", "US$ in millions", "CNY", 1000)],
)
def test_a_translation_column_s_unit_is_not_the_statement_s(home: str, foreign: str, currency: str, scale: int) -> None:
    """The statement's currency and scale are its own columns', however wide their headings: the convenience
    translation's "US$ thousands" neither becomes a period nor sets the statement's currency or scale."""
    rows: list[Line] = [
        ("Revenues", "", ("45,000", "40,000", "6,524")),
        ("Cost of revenues", "", ("(25,000)", "(20,600)", "(3,625)")),
        ("Gross profit", "", ("20,000", "19,400", "2,899")),
        ("Operating expenses", "", ("(9,000)", "(8,500)", "(1,305)")),
        ("Operating income", "", ("11,000", "10,900", "1,594")),
    ]
    headings = (((342, "2022"), (442, "2021"), (542, "2022")), ((342, home), (442, home), (542, foreign)))
    doc = extract(pdf_of(rows=rows, title="Consolidated Statements of Operations for the year ended December 31",
                         headings=headings, columns=(360, 460, 560)))
    income = only(doc, StatementType.INCOME)
    assert [p.key for p in income.periods] == ["2022-12-31", "2021-12-31"]
    assert (income.currency, income.scale) == (currency, scale)


@pytest.mark.parametrize("offset", [0.0, 0.3, -0.3])
@pytest.mark.parametrize("size", [8.0, 9.0, 11.0])
def test_a_line_starting_under_the_last_glyph_above_is_a_new_word(offset: float, size: float) -> None:
    """Two heading lines, the second starting right under the closing bracket of the first: the glyphs share an
    x position but not a line, so they are two words ("euros)" and "For"), not one glyph drawn twice."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", size)
    c.drawRightString(400, 700, "(In euros)")
    c.drawString(400 - stringWidth(")", "Helvetica-Bold", size) + offset, 700 - size - 3, "For the year")
    c.showPage()
    c.save()
    with open_pdf(buf.getvalue()) as doc:
        texts = [w.text for w in read_page(doc, 0).words]
    assert texts == ["(In", "euros)", "For", "the", "year"]


@pytest.mark.parametrize(("printed", "value"), [("132.363", 132_363.0), ("(4.441)", -4_441.0), ("9.471", 9_471.0)])
@pytest.mark.parametrize("others", ["whole", "one decimal"])
def test_a_thousands_separator_read_as_a_point_is_a_whole_number(printed: str, value: float, others: str) -> None:
    """A money figure printed to three decimals among figures printed to none or one ('9.471' beside '4,232' or
    '4,232.5') is a whole number whose comma OCR read as a point: one statement prints money to one precision."""
    tail = "" if others == "whole" else ".5"
    rows = [(label, note, tuple(v + tail if v[-1].isdigit() else v for v in values)) for label, note, values in BALANCE]
    rows[1] = (rows[1][0], rows[1][1], (printed, rows[1][2][1]))
    st = only(extract(pdf_of(rows=rows)), StatementType.BALANCE)
    figure = item(st, rows[1][0])
    assert figure.values["2016-09-30"] == value and figure.confidence < LOW_CONFIDENCE
    assert figure.raw["2016-09-30"] == printed


def test_many_thousands_separators_read_as_points_are_whole_numbers_where_others_are_grouped() -> None:
    """A worn scan may read the comma of one figure in three as a point: beside figures grouped as whole numbers
    ("7,594") and none printed to one or two decimals, the statement prints whole units, and every figure to three
    decimals is a whole number however many there are."""
    pointed = {"Tangible assets", "Stocks", "Debtors", "Creditors: amounts falling due within one year",
               "Net current liabilities", "Net assets"}
    rows = [(label, note, (values[0].replace(",", "."), values[1]) if label in pointed else values)
            for label, note, values in BALANCE]
    st = only(extract(pdf_of(rows=rows)), StatementType.BALANCE)
    for label, _, values in BALANCE:
        if label in pointed:
            figure = item(st, label)
            assert figure.values["2016-09-30"] == float(values[0].strip("()").replace(",", "")) * (
                -1 if values[0].startswith("(") else 1), label
            assert figure.confidence < LOW_CONFIDENCE


def _in_millions(printed: str) -> str:
    """'132,363' (thousands) as '132.363' (millions to three decimals); '(539)' as '(0.539)'."""
    digits = printed.strip("()").replace(",", "")
    if not digits.isdigit():
        return printed
    text = f"{int(digits) / 1000:.3f}"
    return f"({text})" if printed.startswith("(") else text


def test_a_statement_printed_to_three_decimals_keeps_them() -> None:
    """Where three decimals are the statement's own precision, a figure printed so is read as printed."""
    rows = [(label, note, tuple(_in_millions(v) for v in values)) for label, note, values in BALANCE]
    st = only(extract(pdf_of(rows=rows)), StatementType.BALANCE)
    assert item(st, "Tangible assets").values["2016-09-30"] == 132.363
    assert item(st, "Net assets").values == {"2016-09-30": 124.786, "2015-09-30": 125.872}


INCOME_WITH_SHARES: list[Line] = [
    ("Revenue", "", ("412,118", "398,702")),
    ("Cost of sales", "", ("(251,360)", "(240,115)")),
    ("Gross profit", "", ("160,758", "158,587")),
    ("Operating expenses", "", ("(98,420)", "(97,003)")),
    ("Profit before tax", "", ("62,338", "61,584")),
    ("Income tax", "", ("(14,121)", "(13,917)")),
    ("Net income", "", ("48,217", "47,667")),
    ("Weighted average shares outstanding:", "", ()),
    ("Basic", "", ("85,042", "84,768")),
    ("Diluted", "", ("{diluted}", "85,210")),
]


@pytest.mark.parametrize(("printed", "value"), [("85.815", 85_815.0), ("1.815", 1_815.0)])
def test_a_share_count_read_with_a_point_among_grouped_counts_is_a_whole_number(printed: str, value: float) -> None:
    """A count of shares printed to three decimals ("85.815") where the statement's other counts print as grouped
    whole numbers ("85,042") is a whole count whose comma OCR read as a point."""
    rows = [(label, note, tuple(v.format(diluted=printed) for v in values))
            for label, note, values in INCOME_WITH_SHARES]
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statement of Income for the year ended 31 December 2016",
                             headings=(((400, "2016"), (500, "2015")),))), StatementType.INCOME)
    diluted = item(st, "Diluted")
    assert diluted.unit == "shares"
    assert diluted.values["2016-12-31"] == value and diluted.confidence < LOW_CONFIDENCE
    assert item(st, "Basic").values == {"2016-12-31": 85_042.0, "2015-12-31": 84_768.0}


def test_share_counts_printed_in_millions_keep_their_decimals() -> None:
    """Counts printed in millions to three decimals, every one of them, are read as printed."""
    rows = [(label, note, tuple(v.format(diluted="85.815") for v in values))
            for label, note, values in INCOME_WITH_SHARES]
    rows[-2:] = [("Basic", "", ("85.042", "84.768")), ("Diluted", "", ("85.815", "85.210"))]
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statement of Income for the year ended 31 December 2016",
                             headings=(((400, "2016"), (500, "2015")),))), StatementType.INCOME)
    assert item(st, "Diluted").values == {"2016-12-31": 85.815, "2015-12-31": 85.21}


# --------------------------------------------------------------------------- dates and nils beside labels

EQUITY: list[Line] = [
    ("Balance at December 31, 2021", "", ("1,000", "2,500", "3,500")),
    ("Net income", "", ("—", "700", "700")),
    ("Dividends", "", ("—", "(200)", "(200)")),
    ("Balance at December 31, 2022", "", ("1,000", "3,000", "4,000")),
]


@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman"])
@pytest.mark.parametrize("month_day", ["December 31,", "June 3,"])
def test_a_label_closing_on_a_us_date_keeps_its_year(font: str, month_day: str) -> None:
    """"Balance at December 31, 2022": the day and the year a word space after the month are the label's date, not
    figures in a column of their own."""
    rows = [(label.replace("December 31,", month_day), note, values) for label, note, values in EQUITY]
    heads = (((300, "Share capital"), (400, "Retained earnings"), (500, "Total")),)
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statement of Changes in Equity", headings=heads,
                             columns=(318, 418, 518), font=font)), StatementType.EQUITY)
    closing = item(st, f"Balance at {month_day} 2022")
    assert sorted(closing.values.values()) == [1000, 3000, 4000]
    assert not any(2022 in it.values.values() for it in st.items)


def test_years_in_their_columns_beside_a_date_heading_stay_periods() -> None:
    """"Year ended December 31," with the years set apart in their columns on the same line: the years head the
    columns (the date rule joins only a year a word space from its day)."""
    heads = (((250, "Year ended December 31,"), (400, "2022"), (500, "2021")),)
    rows = [("Revenue", "", ("10,000", "9,000")), ("Cost of sales", "", ("(6,000)", "(5,500)")),
            ("Gross profit", "", ("4,000", "3,500")), ("Net income", "", ("1,000", "900"))]
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statements of Income", headings=heads)),
              StatementType.INCOME)
    assert [p.end.year if p.end else None for p in st.periods] == [2022, 2021]
    assert item(st, "Revenue").values == {p.key: v for p, v in zip(st.periods, (10000, 9000), strict=True)}


def test_nils_in_a_column_of_nothing_but_nils_are_no_part_of_the_label() -> None:
    """A column that prints only dashes ("—", "$ —") is found no column; its dashes are not words of the labels."""
    rows = [(label, note, ("—", *values)) for label, note, values in EQUITY]
    heads = (((220, "Preferred"), (300, "Share capital"), (400, "Retained earnings"), (500, "Total")),)
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statement of Changes in Equity", headings=heads,
                             columns=(238, 318, 418, 518))), StatementType.EQUITY)
    assert [it.label for it in st.items if it.values] == [label for label, _, _ in EQUITY]


@pytest.mark.parametrize("label", ["Note(s)", "Notes", "Note"])
def test_a_line_of_note_references_under_the_columns_is_no_line(label: str) -> None:
    """"Note(s)  11  11  11" printed under an equity statement's last balance names the notes its columns are
    explained in: no line, no figures of 11."""
    rows = [*EQUITY, (label, "", ("11", "12", "11"))]
    heads = (((300, "Share capital"), (400, "Retained earnings"), (500, "Total")),)
    st = only(extract(pdf_of(rows=rows, title="Consolidated Statement of Changes in Equity", headings=heads,
                             columns=(318, 418, 518))), StatementType.EQUITY)
    assert [it.label for it in st.items if it.values][-1] == "Balance at December 31, 2022"
    assert not [c for c in st.checks if c.ok is False]


@pytest.mark.parametrize("continued", ["(CONTINUED)", "(continued)", "- continued"])
def test_a_title_repeated_over_a_continued_page_is_no_column_heading(continued: str) -> None:
    """A statement continued on the next page repeats its title there with "(continued)", set in wide spacing
    across the columns: its last words stand over a column but are the title's, not the column's heading."""
    from finsheet.extraction.columns import Column
    from finsheet.extraction.headings import column_headings

    def words(y: float, *groups: tuple[float, str]) -> list[Word]:
        """Each group's words a space apart from its x on."""
        out = []
        for x, text in groups:
            for word in text.split(" "):
                out.append(Word(word, x, y, x + 6.0 * len(word), y + 9))
                x += 6.0 * len(word) + 3.0
        return out

    columns = [Column(300, 330), Column(400, 430), Column(500, 530)]
    title_line = words(60, (100, "CONSOLIDATED STATEMENTS"), (280, "OF CHANGES IN"), (420, f"EQUITY {continued}"))
    headings = words(90, (300, "Share capital"), (390, "Retained earnings"), (515, "Total"))
    periods, _ = column_headings(columns, title_line + headings, [], "Consolidated statements of changes in equity")
    assert [p.label for p in periods] == ["Share capital", "Retained earnings", "Total"]


@pytest.mark.parametrize("dash", ["—", "–", "-"])
@pytest.mark.parametrize("sign", ["$", "£", "€"])
@pytest.mark.parametrize("size", [8, 9, 10])
def test_a_nil_set_close_before_the_next_column_s_currency_sign_is_that_column_s_nil(dash: str, sign: str,
                                                                                       size: float) -> None:
    """US statements set each column's currency sign at its left edge, a few points after the nil of the column
    before ("—  $ 728  $ —"): the dash is its own column's nil, not a sign of the next figure, and no figure of
    the line falls into its label."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", size + 2)
    c.drawString(72, 740, "Consolidated Statements of Cash Flows")
    c.setFont("Helvetica", size)
    columns = (420, 480, 540)  # right edges; each sign stands 52 pt left of its column's right edge
    for x, year in zip(columns, ("2021", "2020", "2019"), strict=True):
        c.drawRightString(x, 716, year)
    rows = [
        ("Net income", ("13,608", "5,667", "1,786")),
        ("Depreciation and amortization", ("502", "583", "600")),
        ("Net cash provided by operating activities", ("14,110", "6,250", "2,386")),
        ("Equity investment in Adevinta", ("10,776", dash, dash)),
        ("Equity investment in Gmarket", (dash, "728", dash)),
        ("Cash and cash equivalents at end of year", ("1,406", "1,594", "996")),
    ]
    y = 700.0
    for label, values in rows:
        c.drawString(72, y, label)
        signed = label.startswith(("Equity", "Net income", "Cash"))
        for x, value in zip(columns, values, strict=True):
            if signed:
                c.drawString(x - 52, y, sign)
            c.drawRightString(x, y, value)
        y -= 14
    c.showPage()
    c.save()
    st = only(extract(buf.getvalue()), StatementType.CASH_FLOW)
    keys = [p.key for p in st.periods]
    assert len(keys) == 3
    assert item(st, "Equity investment in Adevinta").values == dict(zip(keys, (10776.0, 0.0, 0.0), strict=True))
    assert item(st, "Equity investment in Gmarket").values == dict(zip(keys, (0.0, 728.0, 0.0), strict=True))


@pytest.mark.parametrize("wrap", ["year", "day and year", "glued"])
@pytest.mark.parametrize("gap", [7.0, 10.0])
def test_an_equity_statement_s_nils_and_wrapped_dates_keep_their_columns(wrap: str, gap: float) -> None:
    """A US changes-in-equity statement: each column's sign at its left edge, a nil dash `gap` points before the
    next column's sign or figure (or run into the sign, "—$", where the text layer set no space), and balance
    labels whose date wraps onto the line of figures ("Balance at January 1," / "2021", "Balance at December" /
    "31, 2022"). Every figure stays in its column, no dash becomes a minus, and each balance is one line."""
    font, size = "Helvetica", 8.0
    dash_width = stringWidth("—", font, size)
    # right edges of Shares, Amount and Preferred; the paid-in column's sign stands `gap` after Preferred's nils
    paid_in = 350.0 + gap + stringWidth("$ 40,443,840", font, size)
    columns = (250.0, 300.0, 350.0, paid_in, paid_in + 80)
    head_date = {"year": ("Balance at January 1,", "2021"), "day and year": ("Balance at December", "31, 2022"),
                 "glued": ("Balance at December", "31,2022")}[wrap]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(24, 740, "Consolidated Statements of Changes in Stockholders' Equity")
    c.setFont(font, size)
    for x, text in zip(columns, ("Shares", "Amount", "Preferred", "Paid-in Capital", "Total"), strict=True):
        c.drawRightString(x, 716, text)

    def line(y: float, label: str, values: Sequence[str], *, signed: bool = False, glue: bool = False) -> None:
        c.drawString(24, y, label)
        for k, (x, value) in enumerate(zip(columns, values, strict=True)):
            if signed and k and not (glue and k == 3):
                c.drawString(x - 44 if k < 3 else x - stringWidth("$ 40,443,840", font, size), y, "$")
            if glue and k == 2:  # the nil and the next column's sign set solid: one word "—$"
                c.drawString(x - dash_width, y, "—$")
                continue
            c.drawRightString(x, y, value)

    y = 700.0
    c.drawString(24, y, head_date[0])
    y -= 9
    line(y, head_date[1], ("8,596,189", "85,962", "—", "40,443,840", "40,529,802"), signed=True,
         glue=wrap == "glued")
    for label, values in (("Stock-based compensation", ("—", "—", "—", "1,736,531", "1,736,531")),
                          ("Issuance of common stock", ("3,164,384", "31,644", "—", "10,456,109", "10,487,753")),
                          ("Conversion of warrants", ("226,300", "2,263", "—", "704,925", "707,188")),
                          ("Balance at the end of the year", ("11,986,873", "119,869", "—", "53,341,405",
                                                              "53,461,274"))):
        y -= 10
        line(y, label, values)
    c.showPage()
    c.save()
    st = only(extract(buf.getvalue()), StatementType.EQUITY)
    keys = [p.key for p in st.periods]
    balance = next(it for it in st.items if it.label.startswith("Balance at"))
    assert balance.label == " ".join(head_date)
    got = [balance.values.get(k) for k in keys]
    assert 40443840.0 in got and -40443840.0 not in got and 8596189.0 in got
    issued = item(st, "Issuance of common stock")
    assert sorted(v for v in issued.values.values() if v) == [31644.0, 3164384.0, 10456109.0, 10487753.0]


@pytest.mark.parametrize(("heading", "date"), [
    ("Changes during the year ended", "December 31, 2022"),
    ("CHANGES DURING THE YEAR ENDED", "DECEMBER 31, 2022"),
    ("Movements in the period ending", "31 December 2022"),
])
def test_a_period_heading_wrapped_before_its_date_is_one_line(heading: str, date: str) -> None:
    """A label that stops on "ended" or "ending" waits for its date: the date on the next line is the rest of the
    same label, never a line of its own, and the lines around it keep their figures."""
    from pdf_pages import statement_page

    rows = [("Balance at the beginning of the year", 0, 1_000, 900), (heading, 0, None, None), (date, 0, None, None),
            ("Net income", 1, 120, 100), ("Dividends paid", 1, -20, 0),
            ("Balance at the end of the year", 0, 1_100, 1_000)]
    pdf = render(statement_page("Acme Holdings Inc.", "Consolidated Statements of Changes in Stockholders' Equity",
                                rows))
    st = only(extract(pdf), StatementType.EQUITY)
    labels = [it.label for it in st.items]
    assert f"{heading} {date}" in labels and date not in labels
    assert sorted(item(st, "Net income").values.values()) == [100.0, 120.0]


@pytest.mark.parametrize(("word", "date"), [
    ("BALANCE", "AS OF DECEMBER 31, 2022"),
    ("Balance", "As at 31 December 2022"),
    ("Balances", "At December 31, 2022"),
])
def test_a_balance_word_on_its_own_line_runs_on_into_its_date(word: str, date: str) -> None:
    """A balance is always a balance at a date: "BALANCE" alone on a line, over "AS OF DECEMBER 31, 2022" and its
    figures, is one label with those figures; a section heading over a dated line is left alone."""
    from pdf_pages import statement_page

    rows = [("Balance at the beginning of the year", 0, 1_000, 900), ("Net income", 1, 120, 100),
            ("Dividends paid", 1, -20, 0), (word, 0, None, None), (date, 0, 1_100, 1_000),
            ("Company", 0, None, None), ("At 31 December 2021", 0, 300, 250)]
    pdf = render(statement_page("Acme Holdings Inc.", "Consolidated Statements of Changes in Stockholders' Equity",
                                rows))
    st = only(extract(pdf), StatementType.EQUITY)
    closing = item(st, f"{word} {date}")
    assert sorted(closing.values.values()) == [1000.0, 1100.0]
    assert date not in [it.label for it in st.items] and "At 31 December 2021" in [it.label for it in st.items]
