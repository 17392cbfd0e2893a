"""A statement's scale: read from its headings, from figures printed to the cent, inferred from the rest of the
document where it agrees, and otherwise unknown (None, with a warning and a lower confidence), never a silent 1."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from generated_filings import scanned
from layouts import the

from finsheet import StatementType, extract
from finsheet.extraction.numbers import cents_scale

TwoStatements = Callable[..., bytes]

@pytest.mark.parametrize(("unit", "scale"), [
    ("(in thousands)", 1_000),
    ("(In millions, except per share data)", 1_000_000),
    ("(Amounts in thousands of U.S. dollars)", 1_000),
    ("$ million", 1_000_000),
    ("£'000", 1_000),
    ("€m", 1_000_000),
    ("(In U.S. dollars, except per share data)", 1),  # a currency in words and no multiplier: units
    ("Expressed in Canadian dollars", 1),
    ("Figures in Pound Sterling", 1),  # a currency's name in the singular
    ("Amounts in euro", 1),
])
@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman"])
@pytest.mark.parametrize("slant", [0.0, 0.21])  # upright, and obliqued 12 degrees by the text matrix (a faked italic)
def test_printed_units_are_read_on_every_statement(
    unit: str, scale: int, font: str, slant: float, two_statements: TwoStatements
) -> None:
    """A unit printed under each title is that statement's scale; nothing is inferred, nothing warned."""
    doc = extract(two_statements(bs_unit=unit, is_unit=unit, font=font, slant=slant))
    assert [the(doc, k).scale for k in (StatementType.BALANCE, StatementType.INCOME)] == [scale, scale]
    assert not [w for w in doc.warnings if "unit" in w]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize(("unit", "scale"), [("£m", 1_000_000), ("€m", 1_000_000), ("$m", 1_000_000),
                                             ("£'000", 1_000), ("(in millions)", 1_000_000)])
def test_a_short_unit_on_its_own_line_is_read_from_a_scan(unit: str, scale: int, two_statements: TwoStatements) -> None:
    """A scan's units line "£m" is a sign and one letter: too little to be a word, yet no speck of dirt. It states
    the multiplier; read as dirt, the figures became whole pounds, a million times too small."""
    doc = extract(scanned(two_statements(bs_unit=unit, is_unit=unit)))
    assert [the(doc, k).scale for k in (StatementType.BALANCE, StatementType.INCOME)] == [scale, scale]


@pytest.mark.parametrize(("printed", "scale"), [("(in thousands)", 1_000), ("(in millions)", 1_000_000)])
def test_a_statement_without_a_unit_takes_the_documents(
    printed: str, scale: int, two_statements: TwoStatements
) -> None:
    """The balance sheet prints no unit; the income statement does: the balance sheet takes it, with a lower
    confidence and a warning that says it was inferred."""
    doc = extract(two_statements(bs_unit=None, is_unit=printed))
    bs, income = the(doc, StatementType.BALANCE), the(doc, StatementType.INCOME)
    assert bs.scale == income.scale == scale
    printed_both = extract(two_statements(bs_unit=printed, is_unit=printed))
    assert bs.confidence < the(printed_both, StatementType.BALANCE).confidence
    assert any(w.startswith("Balance sheet") and "no unit printed; taken as" in w for w in doc.warnings)


def test_prose_states_the_unit_for_statements_that_print_none(two_statements: TwoStatements) -> None:
    """No statement prints a unit, but the accounts say they are rounded to the nearest thousand."""
    prose = "All amounts are rounded to the nearest thousand dollars unless stated."
    doc = extract(two_statements(bs_unit=None, is_unit=None, prose=prose))
    assert {s.scale for s in doc.statements} == {1_000}


def test_nothing_said_means_unknown_not_one(two_statements: TwoStatements) -> None:
    """No unit anywhere: the scale is unknown (None), each statement says so, and its confidence drops."""
    doc = extract(two_statements(bs_unit=None, is_unit=None))
    assert [s.scale for s in doc.statements] == [None, None]
    assert all(s.confidence <= 0.6 for s in doc.statements)
    assert sum("scale unknown" in w for w in doc.warnings) == 2


def test_disagreeing_sources_leave_the_scale_unknown(two_statements: TwoStatements) -> None:
    """The prose names two units and no statement prints one: the unit is not guessed."""
    prose = "Segment figures are presented in millions; all amounts are in thousands."
    doc = extract(two_statements(bs_unit=None, is_unit=None, prose=prose))
    assert [s.scale for s in doc.statements] == [None, None]


@pytest.mark.parametrize("sign", ["$", "£", "USD"])
def test_columns_headed_by_a_currency_sign_take_the_documents_stated_multiplier(
    sign: str, two_statements: TwoStatements
) -> None:
    """A balance sheet headed only "$" beside an income statement "(in thousands)": a document keeps one unit, so
    the sign is the thousands' currency; inferred, so its confidence drops and a warning says so."""
    doc = extract(two_statements(bs_unit=sign, is_unit="(in thousands)"))
    bs = the(doc, StatementType.BALANCE)
    assert bs.scale == 1_000
    assert bs.confidence < the(extract(two_statements(bs_unit="(in thousands)")), StatementType.BALANCE).confidence
    assert any(w.startswith("Balance sheet") and "only a currency sign" in w for w in doc.warnings)


def test_columns_headed_by_a_currency_sign_alone_are_whole_units(two_statements: TwoStatements) -> None:
    """Every statement headed "£" alone: whole pounds, read, not a guess (no warning); prose naming thousands does
    not overrule what the statements print."""
    for prose in ("", "All amounts are rounded to the nearest thousand dollars unless stated."):
        doc = extract(two_statements(bs_unit="£", is_unit="£", prose=prose))
        assert [s.scale for s in doc.statements] == [1, 1]
        assert not [w for w in doc.warnings if "unit" in w or "currency sign" in w]


def test_figures_printed_to_the_cent_are_whole_units(two_statements: TwoStatements) -> None:
    """Amounts in thousands are never printed with cents: '101,000.00' columns are read as units."""
    doc = extract(two_statements(bs_unit=None, is_unit=None, cents=True))
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
