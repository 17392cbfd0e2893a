"""A scanned figure that breaks a tie between statements is read as the other statement prints it, where that one is
sure (a text layer, or confirmed by a footing of its own statement) and OCR could have misread it so
(`tie_reading.read_by_ties`); otherwise nothing is changed. The statement of comprehensive income's opening net
income is tied to the income statement's (`ties.cross_specs`)."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.extraction.tie_reading import read_by_ties
from finsheet.extraction.ties import document_checks
from finsheet.model import Document, LineItem, Period, Statement, StatementType

T = StatementType
PERIODS = [Period(key="2022-12-31", label="2022", end=date(2022, 12, 31), months=12),
           Period(key="2021-12-31", label="2021", end=date(2021, 12, 31), months=12)]
BOX = (0.0, 0.0, 1.0, 1.0)


def _statement(kind: T, page: int, rows: list[tuple[str, list[float], bool]],
               misread: dict[tuple[str, str], tuple[float, str]] | None = None) -> Statement:
    """rows: (label, values per period, is_total); `misread`: (label, period key) -> what OCR read (value, text)."""
    items = []
    for label, values, total in rows:
        vals = {p.key: float(v) for p, v in zip(PERIODS, values, strict=True)}
        raw = {k: f"{v:,.0f}" if v >= 0 else f"({-v:,.0f})" for k, v in vals.items()}
        for (line, key), (value, text) in (misread or {}).items():
            if line == label:
                vals[key], raw[key] = value, text
        items.append(LineItem(label=label, page=page, box=BOX, is_total=total, values=vals, raw=raw))
    return Statement(type=kind, title=kind.display_name, pages=[page], confidence=0.9, periods=list(PERIODS),
                     items=items)


def _income(misread: dict[tuple[str, str], tuple[float, str]] | None = None) -> Statement:
    return _statement(T.INCOME, 1, [
        ("Revenue", [400_000, 380_000], False),
        ("Cost of sales", [250_000, 240_000], False),
        ("Gross profit", [150_000, 140_000], True),
        ("Income tax expense", [64_997, 49_000], False),
        ("Net income", [85_003, 91_000], True),
    ], misread)


def _comprehensive(misread: dict[tuple[str, str], tuple[float, str]] | None = None) -> Statement:
    return _statement(T.COMPREHENSIVE, 2, [
        ("Net income", [85_003, 91_000], False),
        ("Foreign currency translation adjustments", [-1_200, 800], False),
        ("Comprehensive income", [83_803, 91_800], True),
    ], misread)


def _ni(st: Statement) -> LineItem:
    return next(it for it in st.items if it.label == "Net income")


MISREAD_NI = {("Net income", "2022-12-31"): (65_003.0, "65,003")}


@pytest.mark.parametrize("income_scanned", [False, True])
def test_a_misread_opening_net_income_is_read_as_the_income_statement_prints_it(income_scanned: bool) -> None:
    """'65,003' on the scanned statement of comprehensive income, 85,003 on the income statement (a text layer, or
    a scan whose footings hold on it): read as 85,003, doubtful, with what OCR read in its note."""
    income, comprehensive = _income(), _comprehensive(MISREAD_NI)
    read_by_ties([income, comprehensive], scanned={1, 2} if income_scanned else {2})
    item = _ni(comprehensive)
    assert item.values == {"2022-12-31": 85_003.0, "2021-12-31": 91_000.0}
    assert item.raw["2022-12-31"] == "65,003"
    assert item.confidence < 0.8 and "income statement" in (item.note or "") and "65,003" in (item.note or "")


def test_the_misread_side_is_found_whichever_statement_holds_it() -> None:
    """The income statement's net income misread, the comprehensive income statement's confirmed by its footing:
    the income statement's is read again (its own footing then holds)."""
    income = _income({("Net income", "2022-12-31"): (35_003.0, "35,003")})
    comprehensive = _comprehensive()
    read_by_ties([income, comprehensive], scanned={1, 2})
    assert _ni(income).values["2022-12-31"] == 85_003.0
    assert _ni(comprehensive).values["2022-12-31"] == 85_003.0


def test_nothing_is_read_where_neither_side_is_sure() -> None:
    """The income statement's net income is scanned and no footing confirms it (its tax line misread too): which
    of the two is right, nothing says."""
    income = _income({("Income tax expense", "2022-12-31"): (84_997.0, "84,997")})
    comprehensive = _comprehensive(MISREAD_NI)
    read_by_ties([income, comprehensive], scanned={1, 2})
    assert _ni(comprehensive).values["2022-12-31"] == 65_003.0
    assert _ni(comprehensive).note is None


@pytest.mark.parametrize(("value", "text", "read"), [(12_345.0, "12,345", False), (85_008.0, "85,008", True),
                                                    (-85_003.0, "(85,003)", True), (8_503.0, "8,503", True)])
def test_only_a_figure_ocr_could_have_misread_is_read(value: float, text: str, read: bool) -> None:
    """85,003 read as "85,008" (a digit), "(85,003)" (a bracket gained) or "8,503" (a digit lost) is one misreading
    of it; "12,345" is no misreading of it, and stays as read."""
    comprehensive = _comprehensive({("Net income", "2022-12-31"): (value, text)})
    read_by_ties([_income(), comprehensive], scanned={2})
    assert _ni(comprehensive).values["2022-12-31"] == (85_003.0 if read else value)


def test_a_text_layer_prints_what_the_filing_says() -> None:
    """A mismatch on text-layer pages is the filing's (or a wrong tie): it is reported by the tie, never changed."""
    comprehensive = _comprehensive(MISREAD_NI)
    read_by_ties([_income(), comprehensive], scanned=set())
    assert _ni(comprehensive).values["2022-12-31"] == 65_003.0


def test_a_reading_that_breaks_a_footing_that_held_is_not_made() -> None:
    """The comprehensive income total printed to agree with the misread net income (the footing holds as read):
    reading the net income again would break it, so it stays."""
    comprehensive = _comprehensive({("Net income", "2022-12-31"): (65_003.0, "65,003"),
                                    ("Comprehensive income", "2022-12-31"): (63_803.0, "63,803")})
    read_by_ties([_income(), comprehensive], scanned={2})
    assert _ni(comprehensive).values["2022-12-31"] == 65_003.0


def test_the_comprehensive_income_statement_is_tied_to_the_income_statement() -> None:
    """Its opening net income is the income statement's, per period: a different figure fails the tie."""
    doc = Document(file="d.pdf", sha256="d", pages=2, statements=[_income(), _comprehensive()])
    ties = [c for c in document_checks(doc) if c.name == "net_income_ties_to_comprehensive_income"]
    assert [c.ok for c in ties] == [True, True]
    doc.statements[1] = _comprehensive(MISREAD_NI)
    ties = [c for c in document_checks(doc) if c.name == "net_income_ties_to_comprehensive_income"]
    assert [c.ok for c in ties] == [False, True]


def test_a_figure_confirmed_only_by_a_footing_with_a_doubtful_line_is_not_sure() -> None:
    """The income statement's footing holds on its net income only through a line shown doubtful (a figure read
    again by that footing, or one OCR was unsure of): it confirms nothing, and the tie reads nothing from it."""
    income = _income()
    income.items[3].confidence = 0.7  # the tax line, read again
    comprehensive = _comprehensive(MISREAD_NI)
    read_by_ties([income, comprehensive], scanned={1, 2})
    assert _ni(comprehensive).values["2022-12-31"] == 65_003.0
