"""The statement's structure: which lines each total adds up, with which signs, decided once from the layout and the
arithmetic of every period — and "not verified" where it cannot be decided."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.consolidate.alignment import consolidate
from finsheet.export.footing import find_footings, model_values, signed_formula
from finsheet.extraction.structure import Line, Structure, decide, rounding_unit, statement_structure
from finsheet.model import Document, LineItem, Period, Statement, StatementType


def lines(*rows: tuple[str, list[float | None] | None, bool]) -> list[Line]:
    """(label, values per period or None for a heading, is_total)."""
    width = max(len(v) for _, v, _ in rows if v is not None)
    return [Line(label, total, tuple(values) if values is not None else (None,) * width)
            for label, values, total in rows]


def parts(structure: Structure, row: int) -> list[tuple[int, int]]:
    return list(structure.footings[row].parts)


def test_nested_subtotals_stand_for_their_lines() -> None:
    """A total over subtotals adds the subtotals, not the lines they already add (and transitively so)."""
    s = decide(lines(
        ("Accounts payable", [100, 90, 80], False),
        ("Accrued liabilities", [20, 10, 10], False),
        ("Total current liabilities", [120, 100, 90], True),
        ("Long-term debt", [50, 60, 70], False),
        ("Total liabilities", [170, 160, 160], True),
        ("Common stock", [4, 4, 4], False),
        ("Retained earnings", [46, 36, 26], False),
        ("Total equity", [50, 40, 30], True),
        ("Total liabilities and equity", [220, 200, 190], True),
    ))
    assert parts(s, 2) == [(0, 1), (1, 1)]
    assert parts(s, 4) == [(2, 1), (3, 1)]
    assert parts(s, 7) == [(5, 1), (6, 1)]
    assert parts(s, 8) == [(4, 1), (7, 1)]
    assert all(f.status == "foots" for f in s.footings.values())


def test_minus_lines_take_a_minus_sign() -> None:
    """Revenue − cost of sales = gross profit; total revenue − expenses (printed positive) = operating income; a
    block of revenue lines above a block of cost lines."""
    s = decide(lines(
        ("Product revenue", [700, 600, 500], False),
        ("Service revenue", [300, 300, 300], False),
        ("Cost of products", [400, 350, 300], False),
        ("Cost of services", [200, 210, 200], False),
        ("Gross profit", [400, 340, 300], True),
        ("Selling, general and administrative", [150, 140, 130], False),
        ("Research and development", [50, 40, 30], False),
        ("Operating income", [200, 160, 140], True),
    ))
    assert parts(s, 4) == [(0, 1), (1, 1), (2, -1), (3, -1)]
    assert parts(s, 7) == [(4, 1), (5, -1), (6, -1)]
    assert signed_formula("C", s.footings[4].parts, 4) == "SUM(C4:C5)-SUM(C6:C7)"
    assert signed_formula("C", s.footings[7].parts, 4) == "C8-SUM(C9:C10)"


@pytest.mark.parametrize("net_line", ["Other income (expense), net", "Other (income) expense, net",
                                      "Interest income/expense", "Other expense (income)"])
def test_a_line_naming_income_and_expense_together_is_added_with_its_sign(net_line: str) -> None:
    """Operating income − interest expense (printed positive) + other income (expense), net (printed with its own
    sign) = income before taxes; income before taxes − provision = net income. The net line names an expense but is
    no expense: it is added. (In one period a loss before tax and a tax benefit, printed negative.)"""
    s = decide(lines(
        ("Income from operations", [-4593, 83174], True),
        ("Interest expense", [45996, 38574], False),
        (net_line, [421, 6951], False),
        ("Income (loss) before income taxes", [-50168, 51551], True),
        ("Provision for income taxes", [-9408, 9663], False),
        ("Net income (loss)", [-40760, 41888], True),
    ))
    assert parts(s, 3) == [(0, 1), (1, -1), (2, 1)]
    assert parts(s, 5) == [(3, 1), (4, -1)]


def test_gross_and_accumulated_depreciation_net_into_the_net_line() -> None:
    """'Property, net' after the gross amount and 'Less accumulated depreciation' is an implicit total, so total
    assets counts it and not the gross amount as well."""
    s = decide(lines(
        ("Cash", [100, 90], False),
        ("Property and equipment", [500, 450], False),
        ("Less accumulated depreciation", [200, 180], False),
        ("Property and equipment, net", [300, 270], False),
        ("Total assets", [400, 360], True),
    ))
    assert s.footings[3].implicit and parts(s, 3) == [(1, 1), (2, -1)]
    assert parts(s, 4) == [(0, 1), (3, 1)]


def test_periods_laid_out_differently_are_decided_apart() -> None:
    """A consolidation joins a filing printing property by kind (first period) with ones printing only the net
    line: where one run adds up everywhere (blanks count nil) it is the footing; otherwise each layout is decided on
    its own lines, and a period nothing explains is not verified, never a failure."""
    s = decide(lines(
        ("Total current assets", [200, 210, 220], True),
        ("Land", [50, None, None], False),
        ("Buildings", [70, None, None], False),
        ("Property and equipment, net", [None, 130, 140], False),
        ("Total assets", [320, 340, 360], True),
    ))
    assert s.footings[4].status == "foots" and parts(s, 4) == [(0, 1), (1, 1), (2, 1), (3, 1)]
    split = decide(lines(
        ("Total current assets", [200, 210, 220], True),
        ("Land (included in property below)", [50, None, None], False),
        ("Property and equipment, net", [120, 130, 140], False),
        ("Other assets", [None, 5, 7], False),
        ("Total assets", [320, 345, 367], True),
    ))
    footing = split.footings[4]
    assert footing.terms(0) is None and footing.terms(1) == ((0, 1), (2, 1), (3, 1))
    assert [split.ok(footing, i) for i in range(3)] == [None, True, True]
    odd = decide(lines(
        ("Total current assets", [200, 210, 220], True),
        ("Other", [999, None, None], False),
        ("Property and equipment, net", [None, 130, 140], False),
        ("Total assets", [320, 340, 360], True),
    ))
    assert odd.footings[3].unverified == {0} and [odd.ok(odd.footings[3], i) for i in range(3)] == [None, True, True]


def test_a_figure_ocr_could_not_read_makes_no_layout_of_its_own() -> None:
    """A line whose figure OCR could not read in one period still prints one there: that period is laid out as the
    others are, not searched alone, where a total and its first line that both lost their minus (2,500 for
    (2,500), 2,300 for (2,300)) would pass as "capital expenditures less proceeds"."""
    s = decide([
        Line("Investing activities", False, (None, None, None)),
        Line("Other investing", False, (30, None, 40), unread=(False, True, False)),
        Line("Capital expenditures", False, (-2000, 2500, -3000)),
        Line("Proceeds from sale of equipment", False, (170, 200, 260)),
        Line("Net cash used in investing activities", True, (-1800, 2300, -2700)),
    ])
    footing = s.footings[4]
    assert parts(s, 4) == [(1, 1), (2, 1), (3, 1)] and footing.terms(1) == footing.parts
    assert [s.ok(footing, i) for i in range(3)] == [True, False, True]


def test_a_period_with_an_unread_figure_does_not_hide_another_periods_misread_one() -> None:
    """Three periods: the lines add up in the first, OCR surely misread a figure in the second (54,919 as 64,919),
    and could not read one in the third. The third can neither agree nor disagree, so the first decides the run
    for a whole block, and the second fails, red, rather than every period turning "not verified" and the misread
    figure passing unseen."""
    s = decide([
        Line("Operating activities", False, (None, None, None)),
        Line("Net income", False, (1412, 1150, 1407)),
        Line("Stock-based compensation", False, (87, 89, None), unread=(False, False, True)),
        Line("Accounts receivable", False, (-209, -65, -143)),
        Line("Net cash provided by operating activities", True, (1290, 1164, 1346)),
    ])
    footing = s.footings[4]
    assert parts(s, 4) == [(1, 1), (2, 1), (3, 1)]
    assert [s.ok(footing, i) for i in range(2)] == [True, False]


def test_a_run_every_judged_period_agrees_on_wins_over_a_shorter_chance_match() -> None:
    """OCR could not read R&D's middle figure, so two periods judge operating income. SG&A + R&D makes 200 in the
    first by chance and misses the last; gross profit less both makes it in both: that run is the total's, and
    the unread period is not verified rather than decided by the chance match."""
    s = decide([
        Line("Gross profit", True, (400, 340, 300)),
        Line("Selling, general and administrative", False, (150, 140, 130)),
        Line("Research and development", False, (50, None, 30), unread=(False, True, False)),
        Line("Operating income", True, (200, 160, 140)),
    ])
    footing = s.footings[3]
    assert parts(s, 3) == [(0, 1), (1, -1), (2, -1)]
    assert [s.ok(footing, i) for i in (0, 2)] == [True, True]


@pytest.mark.parametrize(("periods", "edited", "block", "verdicts"), [
    (3, False, False, [True, False, True]),  # two periods of three decide; the misread one fails
    (2, False, True, [True, False]),  # one of two, for a whole block of lines added: the misread one fails
    (2, False, False, [None, None]),  # one of two for a run that is not a whole block is no evidence
    (2, True, False, [True, False]),  # unless an analyst corrected a figure: the correction fails, red
])
def test_most_periods_decide_and_the_odd_one_fails(
    periods: int, edited: bool, block: bool, verdicts: list[bool | None],
) -> None:
    """A structure most periods show is kept; the period that does not add up fails rather than vanishing."""
    above = Line("Current assets", False, (None,) * periods) if block else Line("Goodwill", False, (7, 7, 7)[:periods])
    cash = Line("Cash", False, (100, 56, 80)[:periods], edited=edited)
    rest = [Line("Receivables", False, (50, 40, 30)[:periods]), Line("Total current assets", True,
                                                                      (150, 130, 110)[:periods])]
    s = decide([above, cash, *rest])
    assert [s.ok(s.footings[3], i) for i in range(periods)] == verdicts


@pytest.mark.parametrize("misread", [0, 1])
def test_of_two_periods_a_block_that_foots_with_its_labels_signs_decides(misread: int) -> None:
    """Under a total, operating income less interest expense plus other income (expense) makes the profit before
    tax: one period adding up that way is evidence enough for a whole block, so the other period, whose total OCR
    misread ("$1,551" for 51,551), fails red rather than going unverified."""
    before_tax = [-50_168, 51_551]
    before_tax[misread] = {0: -168, 1: 1_551}[misread]
    s = decide(lines(
        ("Total operating expenses", [760_219, 634_728], True),
        ("Income (loss) from operations", [-4_593, 83_174], False),
        ("Interest expense", [45_996, 38_574], False),
        ("Other income (expense), net", [421, 6_951], False),
        ("Income (loss) before income taxes", before_tax, True),
    ))
    footing = s.footings[4]
    assert parts(s, 4) == [(1, 1), (2, -1), (3, 1)]
    assert [s.ok(footing, i) for i in range(2)] == [i != misread for i in range(2)]


def test_layout_decides_when_the_arithmetic_cannot() -> None:
    """One period that does not add up: "Total current assets" under "Current assets" still closes that block."""
    s = decide(lines(
        ("Current assets", None, False),
        ("Cash", [100], False),
        ("Receivables", [50], False),
        ("Total current assets", [160], True),
    ))
    assert parts(s, 3) == [(1, 1), (2, 1)] and s.ok(s.footings[3], 0) is False


def test_an_unlabeled_total_after_other_totals_is_not_decided_by_the_layout() -> None:
    """An unlabeled total closing plain lines under a heading adds them; one printed after other totals of the
    block (a UK balance sheet's net current assets, then the creditors it subtracts) is not verified when nothing
    adds up, rather than failed as the sum of everything since the heading."""
    plain = decide([*lines(("Current assets", None, False), ("Stocks", [20], False), ("Debtors", [30], False)),
                    Line("", True, (60.0,), unlabeled=True)])
    assert parts(plain, 3) == [(1, 1), (2, 1)] and plain.ok(plain.footings[3], 0) is False
    netted = decide([*lines(("Current assets", None, False), ("Stocks", [20], False), ("Debtors", [30], False),
                            ("Total current assets", [50], True), ("Creditors due within one year", [70], False),
                            ("Net current liabilities", [-20], True), ("Creditors due after one year", [400], False),
                            ("Provisions", [25], False)),
                     Line("", True, (-430.0,), unlabeled=True)])
    footing = netted.footings[8]
    assert footing.status == "not_verified" and netted.ok(footing, 0) is None


def test_undecidable_total_is_not_verified() -> None:
    """No run of lines adds up and no heading names it: not verified (no parts, verdict None)."""
    s = decide(lines(("Revenue", [10, 20], False), ("Adjusted EBITDA", [7, 9], True)))
    footing = s.footings[1]
    assert footing.status == "not_verified" and footing.parts == () and s.ok(footing, 0) is None


def test_zero_lines_above_a_block_belong_to_it() -> None:
    """A line printing only zeros ("Preferred stock —") directly above the lines a total adds is named too."""
    s = decide(lines(
        ("Equity", None, False),
        ("Preferred stock", [0, 0], False),
        ("Common stock", [4, 4], False),
        ("Retained earnings", [46, 36], False),
        ("Total equity", [50, 40], True),
    ))
    assert parts(s, 4) == [(1, 1), (2, 1), (3, 1)]


def test_equity_is_not_assets_less_liabilities_but_net_assets_is() -> None:
    """A total with no lines of its own is not 'total assets less total liabilities' unless it says net assets."""
    rows = [("Cash", [500, 400], False), ("Total assets", [500, 400], True), ("Loans", [200, 100], False),
            ("Total liabilities", [200, 100], True)]
    equity = decide(lines(*rows, ("Total equity", [300, 300], True)))
    assert 4 not in equity.footings  # a summary line straight under another total: nothing of its own to add up
    net = decide(lines(*rows, ("Net assets", [300, 300], True)))
    assert parts(net, 4) == [(1, 1), (3, -1)]


def test_an_opening_total_has_no_footing_and_rounding_is_tolerated() -> None:
    """A total with nothing above it (net income opening a cash flow) is no footing; a total a unit off the sum of
    its rounded lines still foots."""
    s = decide(lines(("Net income", [100, 90], True), ("Depreciation", [10.4, 10], False),
                     ("Net cash from operations", [111, 100], True)), unit=1.0)
    assert 0 not in s.footings
    assert s.footings[2].status == "foots" and s.ok(s.footings[2], 0) is True


def test_rounding_unit_from_values() -> None:
    """Figures known only as numbers give their printed rounding unit."""
    assert rounding_unit([1.0, 20.0, None]) == 1.0
    assert rounding_unit([1.5, 20.0]) == pytest.approx(0.1)
    assert rounding_unit([1.25, 3.333333]) == pytest.approx(0.01)


def test_extraction_and_workbook_decide_the_same_structure() -> None:
    """One algorithm: the extracted statement and its consolidation give the same parts for every total, and the
    workbook's computed values are the printed ones where the totals foot."""
    periods = [Period(key=f"{y}-12-31", label=str(y), end=date(y, 12, 31), months=12) for y in (2023, 2022)]
    rows = [("Revenue", [1000, 900], False), ("Cost of sales", [600, 560], False), ("Gross profit", [400, 340], True),
            ("Expenses", [200, 180], False), ("Operating income", [200, 160], True), ("Tax", [50, 40], False),
            ("Net income", [150, 120], True)]
    items = [LineItem(label=label, is_total=total, page=1, box=(0.0, 0.0, 1.0, 1.0),
                      values={p.key: v for p, v in zip(periods, values, strict=True)})
             for label, values, total in rows]
    st = Statement(type=StatementType.INCOME, title="t", pages=[1], confidence=1.0, scale=1000, currency="USD",
                   periods=periods, items=items)
    extracted = statement_structure(st)
    consolidated = consolidate([Document(file="a.pdf", sha256="a", pages=1, statements=[st])])
    workbook = find_footings(consolidated.statements[StatementType.INCOME])
    keys = [p.key for p in consolidated.statements[StatementType.INCOME].periods]
    flip = [keys.index(p.key) for p in periods]  # the consolidation orders periods oldest first
    assert {t: f.parts for t, f in extracted.footings.items()} == {t: f.parts for t, f in workbook.footings.items()}
    computed = model_values(workbook)
    assert [computed[6][flip[i]] for i in range(2)] == [150, 120]
