"""Labels wrapped over several lines, on generated balance sheets whose label column is just too narrow for one of
them: the label's later lines open with a figure ("52,345 and 51,987 shares issued"), a bracket ("(loss)") or any
word after a first line that ends on none of the words that announce more ("... 200,000 shares" / "authorized; ...");
the figures stand on the label's last line or on its first, the later lines indented or not; US and UK wording,
three fonts and sizes. Every line of the statement must come out whole, and what is no wrapped label must stay
apart: a heading and its first item, an item that opens with a figure or a bracket under a short heading."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from generated_filings import wrap
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import scanned_copy
from finsheet.model import Statement

Line = tuple[str, int, tuple[str, ...]]
"""A printed line: its whole label, its indentation level, its figures (none: a heading)."""

COMMON_US = "Common stock, $0.01 par value; 200,000 shares authorized; 52,345 and 51,987 shares issued and outstanding"
AOCI_US = "Accumulated other comprehensive income (loss)"
US: list[Line] = [
    ("Assets", 0, ()),
    ("Current assets", 0, ()),  # a heading without a colon, then its first item
    ("Cash and cash equivalents", 1, ("1,200", "1,000")),
    ("Accounts receivable, net", 1, ("800", "700")),
    ("Total current assets", 1, ("2,000", "1,700")),
    ("Property and equipment, net", 0, ("4,300", "4,100")),
    ("Total assets", 0, ("6,300", "5,800")),
    ("Liabilities and stockholders' equity", 0, ()),
    ("Current liabilities", 0, ()),
    ("Accounts payable", 1, ("900", "850")),
    ("Long-term debt", 0, ()),  # a short heading over an item that opens with a figure
    ("6.5% senior notes", 1, ("2,000", "2,100")),
    ("Total liabilities", 0, ("2,900", "2,950")),
    ("Stockholders' equity", 0, ()),
    ("Common stock", 1, ("523", "520")),
    ("Additional paid-in capital", 1, ("1,000", "900")),
    (AOCI_US, 1, ("(12)", "(10)")),
    ("Retained earnings", 1, ("1,889", "1,440")),
    ("Total stockholders' equity", 1, ("3,400", "2,850")),
    ("Total liabilities and stockholders' equity", 0, ("6,300", "5,800")),
]
"""A US balance sheet that foots."""

CAPITAL_UK = ("Called up share capital: 200,000,000 ordinary shares of 1p each authorised; 52,345,000 shares issued "
              "and fully paid")
RESERVE_UK = "Cumulative foreign currency translation reserve (deficit)"
UK: list[Line] = [
    ("Non-current assets", 0, ()),
    ("Property, plant and equipment", 1, ("4,300", "4,100")),
    ("Current assets", 0, ()),
    ("Trade and other receivables", 1, ("800", "700")),
    ("Cash and cash equivalents", 1, ("1,200", "1,000")),
    ("Total current assets", 1, ("2,000", "1,700")),
    ("Total assets", 0, ("6,300", "5,800")),
    ("Current liabilities", 0, ()),
    ("Trade and other payables", 1, ("(900)", "(850)")),
    ("Non-current liabilities", 0, ()),
    ("5.25% bonds", 1, ("(2,000)", "(2,100)")),
    ("Net assets", 0, ("3,400", "2,850")),
    ("Equity", 0, ()),
    ("Called up share capital", 1, ("523", "520")),
    ("Share premium account", 1, ("1,000", "900")),
    (RESERVE_UK, 1, ("(12)", "(10)")),
    ("Retained earnings", 1, ("1,889", "1,440")),
    ("Total equity", 0, ("3,400", "2,850")),
]
"""A UK balance sheet that foots."""

LEFT, RIGHTS = 54.0, (470.0, 550.0)


def _step(size: float) -> float:
    return round(size * 1.1)


def _sheet(rows: Sequence[Line], *, uk: bool, font: str, size: float, width: float, hang: float,
           figures_first: bool, broken: dict[str, tuple[str, ...]] | None = None, leading: float = 3.0) -> bytes:
    """A balance sheet whose labels wrap at `width` from the margin, later lines indented by `hang`, the figures
    on each label's first or last line, lines `leading` points apart beyond the size; the labels in `broken` are
    printed in the lines given there."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont(font, size + 2)
    y = 740.0
    title = ("Northwind Trading plc", "Consolidated balance sheet", "at 31 December 2024") if uk else \
        ("NORTHWIND TRADING CORP.", "CONSOLIDATED BALANCE SHEETS", "(In thousands)")
    for text in title:
        c.drawCentredString(306, y, text)
        y -= size + 8
    c.setFont(font, size)
    heads = (("2024", "2023"), ("£'000", "£'000")) if uk else (("December 31,", "December 31,"), ("2024", "2023"))
    for line in heads:
        for x, text in zip(RIGHTS, line, strict=True):
            c.drawRightString(x, y, text)
        y -= size + 4
    y -= 6
    for label, level, figures in rows:
        x = LEFT + level * _step(size)
        lines = list((broken or {}).get(label, ())) or wrap(label, LEFT + width - x, font, size)
        for k, text in enumerate(lines):
            c.drawString(x + (hang if k else 0), y - k * (size + leading), text)
        figure_y = y - (0 if figures_first else len(lines) - 1) * (size + leading)
        for right, figure in zip(RIGHTS, figures, strict=False):
            c.drawRightString(right, figure_y, figure)
        y -= len(lines) * (size + leading)
    c.showPage()
    c.save()
    return buf.getvalue()


def _balance(pdf: bytes) -> Statement:
    found = [s for s in extract(pdf).statements if s.type == StatementType.BALANCE]
    assert len(found) == 1, [(s.type, s.title) for s in extract(pdf).statements]
    return found[0]


def _figure(text: str) -> float:
    return -float(text.strip("()").replace(",", "")) if text.startswith("(") else float(text.replace(",", ""))


def _lines(rows: Sequence[Line]) -> list[tuple[str, list[float]]]:
    return [(label, [_figure(f) for f in figures]) for label, _, figures in rows]


def _found(st: Statement) -> list[tuple[str, list[float]]]:
    return [(it.label, [v for v in it.values.values() if v is not None]) for it in st.items]


FONTS = [("Helvetica", 9.0), ("Times-Roman", 10.0), ("Courier", 8.0)]

COMMON_ISSUED_US = "Common stock, $0.01 par value; authorized 200,000 shares; issued 52,345 and 51,987 shares"

# (the statement, the line whose label is wrapped, the label printed there, the words its first line holds (the
# label column is just that wide), what its second line opens with)
CASES = [
    # the second line, holding the figures, opens with a figure
    (US, "Common stock", COMMON_US, "Common stock, $0.01 par value; 200,000 shares authorized;", "52,345"),
    (US, "Common stock", COMMON_ISSUED_US, "Common stock, $0.01 par value; authorized 200,000 shares; issued",
     "52,345"),
    (UK, "Called up share capital", CAPITAL_UK,
     "Called up share capital: 200,000,000 ordinary shares of 1p each authorised;", "52,345,000"),
    # the second line opens with a bracket: the alternative to the word before ("income (loss)")
    (US, AOCI_US, AOCI_US, "Accumulated other comprehensive income", "(loss)"),
    (UK, RESERVE_UK, RESERVE_UK, "Cumulative foreign currency translation reserve", "(deficit)"),
    # three lines, the first ending on no connector word
    (US, "Common stock", COMMON_US, "Common stock, $0.01 par value; 200,000 shares", "authorized;"),
    (UK, "Called up share capital", CAPITAL_UK, "Called up share capital: 200,000,000 ordinary", "shares"),
    # a note reference pushed onto the second line, whole or broken inside its bracket
    (US, "Accounts payable", "Accounts payable (Note 7)", "Accounts payable (Note", "7)"),
    (UK, "Trade and other payables", "Trade and other payables (Note 12)", "Trade and other payables", "(Note 12)"),
    (UK, "Trade and other payables", "Trade and other payables (notes 12 and 14)", "Trade and other payables",
     "(notes"),
    # the label column narrower still: many labels wrap, over two, three or four lines (none ends in a number,
    # which would stand where figures stand)
    (US, "", "", "Property and equipment,", "net"),
    (UK, "", "", "Property, plant and", "equipment"),
]


@pytest.mark.parametrize("figures_first", [False, True], ids=["figures-last", "figures-first"])
@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
@pytest.mark.parametrize(("sheet", "line", "label", "first", "opens"), CASES,
                         ids=[f"{'uk' if rows is UK else 'us'}-{opens}" for rows, *_, opens in CASES])
def test_a_label_wrapped_over_several_lines_is_one_line(sheet: list[Line], line: str, label: str, first: str,
                                                        opens: str, font: str, size: float,
                                                        figures_first: bool) -> None:
    """Every label comes out whole with its figures, wherever its lines break and whichever holds the figures."""
    rows = [(label if text == line else text, level, figures) for text, level, figures in sheet]
    wrapped, level, _ = next(row for row in rows if row[0].startswith(first))
    width = level * _step(size) + stringWidth(first, font, size) + 0.5
    lines = wrap(wrapped, width - level * _step(size), font, size)
    assert lines[0] == first and lines[1].startswith(opens)  # the layout is the one the case is about
    hang = {"Helvetica": 0.0, "Times-Roman": size / 2, "Courier": size}[font]
    pdf = _sheet(rows, uk=sheet is UK, font=font, size=size, width=width, hang=hang, figures_first=figures_first)
    assert _found(_balance(pdf)) == _lines(rows)


# (the statement, the line, its label broken where a typesetter breaks it, though the label column is wide)
CLAUSES = [
    (US, "Common stock", COMMON_US,  # after a clause, at its semicolon
     ("Common stock, $0.01 par value;", "200,000 shares authorized; 52,345 and 51,987 shares issued and outstanding")),
    (US, "Accounts payable", "Accounts payable (Note 7)", ("Accounts payable (Note", "7)")),  # inside a bracket
    (UK, "Trade and other payables", "Trade and other payables (Note 12)", ("Trade and other payables", "(Note 12)")),
]


@pytest.mark.parametrize("figures_first", [False, True], ids=["figures-last", "figures-first"])
@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
@pytest.mark.parametrize(("sheet", "line", "label", "printed"), CLAUSES, ids=["semicolon", "in-bracket", "note"])
def test_a_label_broken_mid_clause_in_a_wide_column_is_one_line(sheet: list[Line], line: str, label: str,
                                                                printed: tuple[str, ...], font: str, size: float,
                                                                figures_first: bool) -> None:
    """A line that stops mid-clause (at a semicolon, inside a bracket) or holds only a note reference belongs to
    the label above or below it, however much of the label column is left empty."""
    rows = [(label if text == line else text, level, figures) for text, level, figures in sheet]
    pdf = _sheet(rows, uk=sheet is UK, font=font, size=size, width=400, hang=0, figures_first=figures_first,
                 broken={label: printed})
    assert _found(_balance(pdf)) == _lines(rows)


@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
@pytest.mark.parametrize("blank", ["Intangible assets, net", "Goodwill, net"])
def test_a_label_closing_on_comma_net_over_blank_nils_stays_apart(blank: str, font: str, size: float) -> None:
    """A line whose amounts are nils printed blank shows no figures; closing on ", net", it is a whole label of
    its own, not the first line of the item under it."""
    at = next(k for k, row in enumerate(US) if row[0] == "Property and equipment, net")
    rows = [*US[:at], (blank, 0, ()), *US[at:]]
    pdf = _sheet(rows, uk=False, font=font, size=size, width=300, hang=0, figures_first=False)
    assert _found(_balance(pdf)) == _lines(rows)


@pytest.mark.parametrize(("rows", "heading", "item"), [
    (US, "Long-term debt", "6.5% senior notes"),
    (UK, "Non-current liabilities", "5.25% bonds"),
])
@pytest.mark.parametrize("hang", [0.0, 9.0])
def test_an_item_opening_with_a_figure_under_a_short_heading_stays_apart(rows: list[Line], heading: str, item: str,
                                                                         hang: float) -> None:
    """A heading that leaves most of the label column empty was not broken: the item under it that opens with a
    figure and a word in lower case ("6.5% senior notes due 2030") is a line of its own."""
    pdf = _sheet(rows, uk=rows is UK, font="Helvetica", size=9, width=300, hang=hang, figures_first=False)
    found = _found(_balance(pdf))
    assert (heading, []) in found and found[found.index((heading, [])) + 1][0] == item
    assert found == _lines(rows)


CASH_FLOW: list[Line] = [
    ("Operating activities", 0, ()),
    ("Net income", 1, ("1,200", "950")),
    ("Depreciation and amortization", 1, ("300", "280")),
    ("Changes in operating assets and liabilities", 1, ()),  # a heading without a colon
    ("(Increase) decrease in accounts receivable", 2, ("(100)", "(50)")),
    ("(increase) decrease in inventories", 2, ("(40)", "(30)")),
    ("Increase in accounts payable", 2, ("50", "20")),
    ("Net cash provided by operating activities", 1, ("1,410", "1,170")),
    ("Investing activities", 0, ()),
    ("Purchases of property and equipment", 1, ("(500)", "(450)")),
    ("Net cash used in investing activities", 1, ("(500)", "(450)")),
    ("Net increase in cash and cash equivalents", 0, ("910", "720")),
]


@pytest.mark.parametrize("width", [300.0, 190.0])
def test_an_item_opening_with_a_bracket_under_a_heading_stays_apart(width: float) -> None:
    """Under a heading, items open with a bracket ("(Increase) decrease in ..."; one printed in lower case too):
    they stay lines of their own, the heading a heading."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 11)
    for k, text in enumerate(("NORTHWIND TRADING CORP.", "CONSOLIDATED STATEMENTS OF CASH FLOWS", "(In thousands)")):
        c.drawCentredString(306, 740 - 16 * k, text)
    c.setFont("Helvetica", 9)
    for right, text in zip(RIGHTS, ("Year ended December 31, 2024", "2023"), strict=True):
        c.drawRightString(right, 680, text.rsplit(" ", 1)[-1])
    y = 660.0
    for label, level, figures in CASH_FLOW:
        x = LEFT + level * 10
        for k, text in enumerate(wrap(label, LEFT + width - x, "Helvetica", 9)):
            c.drawString(x + (6 if k else 0), y, text)
            y -= 12
        for right, figure in zip(RIGHTS, figures, strict=False):
            c.drawRightString(right, y + 12, figure)
    c.showPage()
    c.save()
    (cf,) = [s for s in extract(buf.getvalue()).statements if s.type == StatementType.CASH_FLOW]
    assert _found(cf) == _lines(CASH_FLOW)


INCOME: list[Line] = [
    ("Revenue", 0, ("10,000", "9,000")),
    ("Cost of sales", 0, ("(6,000)", "(5,500)")),
    ("Operating expenses", 0, ("(2,500)", "(2,300)")),
    ("Net income", 0, ("1,500", "1,200")),
    ("Less: net income attributable to noncontrolling interests", 1, ("(100)", "(80)")),
    ("Net income attributable to Northwind Trading Corp.", 0, ("1,400", "1,120")),
    ("Net income per share", 0, ()),  # a heading over indented lines, which stay lines of their own
    ("Basic", 1, ("1.40", "1.12")),
    ("Diluted", 1, ("1.38", "1.10")),
]


@pytest.mark.parametrize("figures_first", [False, True], ids=["figures-last", "figures-first"])
@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
def test_a_result_named_over_two_lines_is_one_line(font: str, size: float, figures_first: bool) -> None:
    """A result's name that runs on to an indented line opening with a capital ("Net income attributable to
    Northwind" / "Trading Corp.") is one line, whichever of its lines holds the figures."""
    first = "Net income attributable to Northwind"
    width = stringWidth(first, font, size) + 0.5
    assert wrap(INCOME[5][0], width, font, size) == [first, "Trading Corp."]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont(font, size + 2)
    for k, text in enumerate(("NORTHWIND TRADING CORP.", "CONSOLIDATED STATEMENTS OF INCOME", "(In thousands)")):
        c.drawCentredString(306, 740 - (size + 8) * k, text)
    c.setFont(font, size)
    for right, text in zip(RIGHTS, ("2024", "2023"), strict=True):
        c.drawRightString(right, 680, text)
    y = 660.0
    for label, level, figures in INCOME:
        x = LEFT + level * _step(size)
        lines = wrap(label, LEFT + width - x, font, size)
        for k, text in enumerate(lines):
            c.drawString(x + (_step(size) if k else 0), y - k * (size + 3), text)
        for right, figure in zip(RIGHTS, figures, strict=False):
            c.drawRightString(right, y - (0 if figures_first else len(lines) - 1) * (size + 3), figure)
        y -= len(lines) * (size + 3)
    c.showPage()
    c.save()
    (income,) = [s for s in extract(buf.getvalue()).statements if s.type == StatementType.INCOME]
    assert _found(income) == _lines(INCOME)


# a label whose later line opens with a capital, because it carries on a name ("... of redeemable" / "Class A
# shares", "... shares of Common" / "Stock for services rendered"): only its indent tells it from a new item
NAMED = {
    "Amounts due to holders of redeemable Class A shares": ("Amounts due to holders of redeemable", "Class A shares"),
    "Issuance of 5,675 shares of Common Stock for services rendered": ("Issuance of 5,675 shares of Common",
                                                                       "Stock for services rendered"),
}
LOWER = {"Accounts receivable, net": ("Accounts receivable,", "net")}  # a line surely carried on: lower case


def _named_sheet(label: str) -> list[Line]:
    return [(label if text == "Accounts payable" else text, level, figures) for text, level, figures in US]


@pytest.mark.parametrize("hang_steps", [0.4, 0.6, 1.5], ids=["hang-0.4", "hang-0.6", "hang-1.5"])
@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
@pytest.mark.parametrize("label", sorted(NAMED), ids=["redeemable", "common-stock"])
def test_a_label_carried_on_at_the_hanging_indent_is_one_line(label: str, font: str, size: float,
                                                              hang_steps: float) -> None:
    """A later line that opens with a capital, set at the indent where the statement's other wrapped labels carry
    on (one opening in lower case shows it), belongs to the label above; a heading over one item indented a level
    ("Long-term debt" / "6.5% senior notes") stays a heading."""
    rows = _named_sheet(label)
    pdf = _sheet(rows, uk=False, font=font, size=size, width=400, hang=hang_steps * _step(size), figures_first=False,
                 broken={**LOWER, label: NAMED[label]})
    assert _found(_balance(pdf)) == _lines(rows)


@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
def test_a_capital_line_at_the_level_of_items_is_an_item(font: str, size: float) -> None:
    """Where the later lines of wrapped labels are indented as far as items are, a line opening with a capital
    there cannot be told from an item: it is read as one, and no heading takes in the item under it."""
    named = {"Long-term debt": "Borrowings", "6.5% senior notes": "Senior notes due 2030"}
    rows = [(named.get(text, text), level, figures) for text, level, figures in US]
    pdf = _sheet(rows, uk=False, font=font, size=size, width=400, hang=_step(size), figures_first=False,
                 broken={"Property and equipment, net": ("Property and equipment,", "net")})
    found = _found(_balance(pdf))
    assert ("Borrowings", []) in found and found[found.index(("Borrowings", [])) + 1][0] == "Senior notes due 2030"
    assert found == _lines(rows)


# a label whose later line opens with a capital after a line that cannot end it ("... shares issued at" /
# "December 31, 2024"), with an aside in brackets ("(Net of deferred taxes ...)"), or with a count of shares
# ("110,881,363 (December 31, 2023: ...)", "150,000 authorized ..."), even after a colon
CARRIED_ON = [
    (US, "Common stock", "Common stock, $0.01 par value; 43,448 shares issued at December 31, 2024",
     ("Common stock, $0.01 par value; 43,448 shares issued at", "December 31, 2024")),
    (US, AOCI_US, "Accumulated other comprehensive income (loss) (Net of deferred taxes of $2,342 and $669)",
     ("Accumulated other comprehensive income (loss)", "(Net of deferred taxes of $2,342 and $669)")),
    (US, "Common stock", "Common stock; no par value, issued and outstanding shares: 110,881,363 (2023: 110,618,049)",
     ("Common stock; no par value, issued and outstanding shares:", "110,881,363 (2023: 110,618,049)")),
    (US, "Common stock", "Ordinary shares of NIS 15 par value: 150,000 authorized; 110,041 and 109,954 issued",
     ("Ordinary shares of NIS 15 par value:", "150,000 authorized;", "110,041 and 109,954 issued")),
]


@pytest.mark.parametrize("figures_first", [False, True], ids=["figures-last", "figures-first"])
@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
@pytest.mark.parametrize(("sheet", "line", "label", "printed"), CARRIED_ON, ids=["at-date", "aside", "count", "counts"])
def test_a_label_carried_on_by_a_date_an_aside_or_a_count_is_one_line(sheet: list[Line], line: str, label: str,
                                                                      printed: tuple[str, ...], font: str,
                                                                      size: float, figures_first: bool) -> None:
    """A line opening with a capital still carries on the label above when that label cannot end where it stops
    ("at"), or when the line is an aside in brackets or a count: no line item is named by a number of shares."""
    rows = [(label if text == line else text, level, figures) for text, level, figures in sheet]
    pdf = _sheet(rows, uk=False, font=font, size=size, width=400, hang=_step(size) / 2, figures_first=figures_first,
                 broken={label: printed})
    assert _found(_balance(pdf)) == _lines(rows)


@pytest.mark.parametrize("item", ["$300,000 revolving credit facility", "2030 senior notes", "(Deficit) surplus"])
def test_an_amount_a_year_or_a_bracket_opening_an_item_under_a_heading_stays_apart(item: str) -> None:
    """An item may open with an amount (it carries its currency sign), a year (no separator) or a bracketed word
    that the label goes on after: none of these is a count or an aside, and the item stays a line of its own."""
    rows = [(item if text == "6.5% senior notes" else text, level, figures) for text, level, figures in US]
    pdf = _sheet(rows, uk=False, font="Helvetica", size=9, width=400, hang=0, figures_first=False)
    assert _found(_balance(pdf)) == _lines(rows)


CAPITALS = "LIABILITIES FALLING DUE WITHIN ONE YEAR TO TRADE AND OTHER CREDITORS"


@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
def test_a_heading_in_capitals_wrapped_over_two_lines_is_one_heading(font: str, size: float) -> None:
    """A heading in capitals whose line was full runs on into the line of capitals below it; headings in capitals
    one under the other that end well short of the label column's edge ("CURRENT LIABILITIES" under it) stay
    apart."""
    rows = [(CAPITALS if text == "Current liabilities" else text, level, figures) for text, level, figures in US]
    at = rows.index((CAPITALS, 0, ()))
    rows.insert(at + 1, ("CURRENT LIABILITIES", 0, ()))
    at = rows.index(("Long-term debt", 0, ()))
    rows[at:at] = [("OTHER LONG-TERM ITEMS", 0, ()), ("DEFERRED BALANCES", 0, ())]
    pdf = _sheet(rows, uk=False, font=font, size=size, width=500, hang=0, figures_first=False,
                 broken={CAPITALS: ("LIABILITIES FALLING DUE WITHIN ONE YEAR TO TRADE AND OTHER", "CREDITORS")})
    labels = [it.label for it in _balance(pdf).items]
    assert CAPITALS in labels and labels[labels.index(CAPITALS) + 1] == "CURRENT LIABILITIES"
    assert labels[labels.index("OTHER LONG-TERM ITEMS") + 1] == "DEFERRED BALANCES"


EQUITY_BLOCK: list[Line] = [
    *US[:US.index(("Stockholders' equity", 0, ()))],
    ("Stockholders' equity", 0, ()),
    ("Common stock", 1, ("523", "520")),
    ("Additional paid-in capital", 1, ("1,200", "1,100")),
    ("Retained earnings", 1, ("1,889", "1,440")),
    ("", 1, ("3,612", "3,060")),  # a subtotal printed with no label
    ("Treasury stock, at cost", 1, ("(212)", "(210)")),
    ("Total stockholders' equity", 1, ("3,400", "2,850")),
    ("Total liabilities and stockholders' equity", 0, ("6,300", "5,800")),
]


@pytest.mark.parametrize(("font", "size"), FONTS, ids=[f for f, _ in FONTS])
def test_an_unlabelled_subtotal_above_its_blocks_own_total_is_left_unnamed(font: str, size: float) -> None:
    """The components of equity before treasury stock, added up on a line with no label: the block's own total is
    printed further down with its label, so the subtotal is not given that name; it is left "Total"."""
    pdf = _sheet(EQUITY_BLOCK, uk=False, font=font, size=size, width=400, hang=0, figures_first=False)
    found = _found(_balance(pdf))
    assert found == [("Total" if not text else text, values) for text, values in _lines(EQUITY_BLOCK)]


# labels wrapped on a scan, set with the loose leading many statements use: OCR's box round a line is tight round
# its ink, so the gap between a label's two lines looks wider than on a text layer
SCANNED = [
    (US, AOCI_US, "Accumulated other comprehensive income", "(loss)"),
    (UK, RESERVE_UK, "Cumulative foreign currency translation reserve", "(deficit)"),
]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize(("font", "size"), [("Times-Roman", 10.0), ("Helvetica", 9.0)], ids=["Times", "Helvetica"])
@pytest.mark.parametrize(("sheet", "label", "first", "opens"), SCANNED, ids=["us", "uk"])
def test_a_label_wrapped_on_a_scan_is_one_line(tmp_path: Path, sheet: list[Line], label: str, first: str, opens: str,
                                               font: str, size: float) -> None:
    level = next(level for text, level, _ in sheet if text == label)
    width = level * _step(size) + stringWidth(first, font, size) + 0.5
    assert wrap(label, width - level * _step(size), font, size)[1].startswith(opens)
    text = tmp_path / "sheet.pdf"
    text.write_bytes(_sheet(sheet, uk=sheet is UK, font=font, size=size, width=width, hang=0.0, figures_first=False,
                            leading=0.7 * size))
    found = dict(_found(_balance(scanned_copy(text, [1]))))
    assert found.get(label) == _lines([r for r in sheet if r[0] == label])[0][1], sorted(found)


CAPITALS_TOTAL = "TOTAL LIABILITIES AND STOCKHOLDERS' EQUITY"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize(("font", "size"), [("Courier", 11.0), ("Helvetica", 10.0)], ids=["Courier", "Helvetica"])
@pytest.mark.parametrize("first", ["TOTAL LIABILITIES AND", "TOTAL LIABILITIES AND STOCKHOLDERS'"],
                         ids=["on-a-connector", "on-a-noun"])
def test_a_total_in_capitals_wrapped_on_a_scan_is_one_line(tmp_path: Path, first: str, font: str, size: float) -> None:
    """OCR boxes a line in capitals round the capitals alone, with no descenders under them, so the gap to the line
    below looks a quarter of a line wider than under a line in lower case: lines set at the page's pitch are still
    next to each other, and a total wrapped in capitals under a hanging indent is one line."""
    sheet = [*US[:-1], (CAPITALS_TOTAL, 0, US[-1][2])]
    rest = CAPITALS_TOTAL[len(first):].strip()
    text = tmp_path / "sheet.pdf"
    text.write_bytes(_sheet(sheet, uk=False, font=font, size=size, width=400.0, hang=_step(size),
                            figures_first=False, broken={CAPITALS_TOTAL: (first, rest)}, leading=0.45 * size))
    found = _found(_balance(scanned_copy(text, [1])))
    label, values = found[-1]
    assert (label.replace("'", ""), values) == (CAPITALS_TOTAL.replace("'", ""), [6300.0, 5800.0]), found[-3:]
    assert len(found) == len(sheet)  # OCR may lose the apostrophe
