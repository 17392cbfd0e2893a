"""A statement's scale: read from its headings, from figures printed to the cent, inferred from the rest of the
document where it agrees, and otherwise unknown (None, with a warning and a lower confidence), never a silent 1."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.extraction.numbers import cents_scale
from finsheet.model import Document, Statement

BALANCE = [
    ("Cash", 1_200, 1_000), ("Receivables", 800, 700), ("Total current assets", 2_000, 1_700),
    ("Property and equipment", 4_300, 4_100), ("Total assets", 6_300, 5_800),
    ("Payables", 900, 850), ("Long-term debt", 2_000, 2_100), ("Total liabilities", 2_900, 2_950),
    ("Shareholders' equity", 3_400, 2_850), ("Total liabilities and shareholders' equity", 6_300, 5_800),
]
INCOME = [
    ("Revenue", 10_000, 9_000), ("Cost of sales", 6_000, 5_500), ("Gross profit", 4_000, 3_500),
    ("Operating expenses", 2_500, 2_300), ("Operating income", 1_500, 1_200), ("Income tax", 300, 250),
    ("Net income", 1_200, 950),
]


def page(c: canvas.Canvas, title: str, unit: str | None, rows: Sequence[tuple[str, int, int]], *,
         cents: bool = False, font: str = "Helvetica") -> None:
    y = 720.0
    c.setFont(font, 11)
    for line in ("NORTHWIND TRADING CORP.", title, *([unit] if unit else [])):
        c.drawCentredString(306, y, line)
        y -= 16
    c.setFont(font, 9)
    c.drawRightString(430, y, "December 31, 2023")
    c.drawRightString(530, y, "December 31, 2022")
    y -= 18
    for label, a, b in rows:
        c.drawString(72, y, label)
        for x, v in ((430, a), (530, b)):
            c.drawRightString(x, y, f"{v * 101:,.2f}" if cents else f"{v:,}")
        y -= 14
    c.showPage()


def document(bs_unit: str | None, is_unit: str | None, *, prose: str = "", cents: bool = False,
             font: str = "Helvetica") -> Document:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    if prose:
        c.setFont(font, 10)
        c.drawString(72, 720, "Notes on the presentation of these accounts")
        c.drawString(72, 700, prose)
        c.showPage()
    page(c, "CONSOLIDATED BALANCE SHEETS", bs_unit, BALANCE, cents=cents, font=font)
    page(c, "CONSOLIDATED STATEMENTS OF INCOME", is_unit, INCOME, cents=cents, font=font)
    c.save()
    return extract(buf.getvalue())


def of(doc: Document, kind: StatementType) -> Statement:
    (found,) = [s for s in doc.statements if s.type == kind]
    return found


@pytest.mark.parametrize(("unit", "scale"), [
    ("(in thousands)", 1_000),
    ("(In millions, except per share data)", 1_000_000),
    ("(Amounts in thousands of U.S. dollars)", 1_000),
    ("$ million", 1_000_000),
    ("£'000", 1_000),
    ("€m", 1_000_000),
    ("(In U.S. dollars, except per share data)", 1),  # a currency in words and no multiplier: units
    ("Expressed in Canadian dollars", 1),
])
@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman"])
def test_printed_units_are_read_on_every_statement(unit: str, scale: int, font: str) -> None:
    """A unit printed under each title is that statement's scale; nothing is inferred, nothing warned."""
    doc = document(unit, unit, font=font)
    assert [of(doc, k).scale for k in (StatementType.BALANCE, StatementType.INCOME)] == [scale, scale]
    assert not [w for w in doc.warnings if "unit" in w]


@pytest.mark.parametrize(("printed", "scale"), [("(in thousands)", 1_000), ("(in millions)", 1_000_000)])
def test_a_statement_without_a_unit_takes_the_documents(printed: str, scale: int) -> None:
    """The balance sheet prints no unit; the income statement does: the balance sheet takes it, with a lower
    confidence and a warning that says it was inferred."""
    doc = document(None, printed)
    bs, income = of(doc, StatementType.BALANCE), of(doc, StatementType.INCOME)
    assert bs.scale == income.scale == scale
    assert bs.confidence < document(printed, printed).statements[0].confidence
    assert any(w.startswith("Balance sheet") and "no unit printed; taken as" in w for w in doc.warnings)


def test_prose_states_the_unit_for_statements_that_print_none() -> None:
    """No statement prints a unit, but the accounts say they are rounded to the nearest thousand."""
    doc = document(None, None, prose="All amounts are rounded to the nearest thousand dollars unless stated.")
    assert {s.scale for s in doc.statements} == {1_000}


def test_nothing_said_means_unknown_not_one() -> None:
    """No unit anywhere: the scale is unknown (None), each statement says so, and its confidence drops."""
    doc = document(None, None)
    assert [s.scale for s in doc.statements] == [None, None]
    assert all(s.confidence <= 0.6 for s in doc.statements)
    assert sum("scale unknown" in w for w in doc.warnings) == 2


def test_disagreeing_sources_leave_the_scale_unknown() -> None:
    """The prose names two units and no statement prints one: the unit is not guessed."""
    doc = document(None, None, prose="Segment figures are presented in millions; all amounts are in thousands.")
    assert [s.scale for s in doc.statements] == [None, None]


def test_figures_printed_to_the_cent_are_whole_units() -> None:
    """Amounts in thousands are never printed with cents: '101,000.00' columns are read as units."""
    doc = document(None, None, cents=True)
    assert [s.scale for s in doc.statements] == [1, 1]
    assert not [w for w in doc.warnings if "unit" in w]


@pytest.mark.parametrize(("raw", "scale"), [
    (["181,366.42", "0.00", "1,066,440.23", "(822.43)"], 1),
    (["1,234.5", "987.6", "2,222.1"], None),  # one decimal: millions printed to a tenth
    (["12.50", "3.25", "0.75"], None),  # cents but nothing past a thousand: per-share figures
    (["1,234", "5,678", "6,912"], None),
])
def test_cents_scale(raw: list[str], scale: int | None) -> None:
    """Only figures with cents that run past a thousand say 'whole units'."""
    assert cents_scale(raw) == scale
