"""Accounting identities on hand-built statements: they pass when the arithmetic holds and name the numbers when not."""

from __future__ import annotations

from finsheet.extraction.checks import run_checks
from finsheet.model import LineItem, Period, Statement, StatementType

BOX = (0.0, 0.0, 1.0, 1.0)


def line(label: str, value: float | None, *, total: bool = False, raw: str | None = None) -> LineItem:
    values = {} if value is None else {"2023": value}
    return LineItem(label=label, page=1, box=BOX, is_total=total, values=values,
                    raw={} if value is None else {"2023": raw or f"{value:,.0f}"})


def statement(kind: StatementType, items: list[LineItem]) -> Statement:
    return Statement(type=kind, title="t", pages=[1], confidence=1.0, periods=[Period(key="2023", label="2023")],
                     items=items)


def balance(total_assets: float) -> Statement:
    return statement(StatementType.BALANCE, [
        line("Current assets", None), line("Cash", 100), line("Receivables", 50),
        line("Total current assets", 150, total=True), line("Property", 350),
        line("Total assets", total_assets, total=True),
        line("Total liabilities", 200, total=True), line("Total equity", 300, total=True),
    ])


def test_balance_identity_and_subtotals_pass() -> None:
    """Assets = liabilities + equity and a subtotal that adds up both pass."""
    checks = run_checks(balance(500))
    assert {c.name for c in checks} == {"assets_equal_liabilities_plus_equity", "subtotal_foots"}
    assert all(c.ok for c in checks)


def test_balance_identity_failure_names_the_numbers() -> None:
    """When assets differ from liabilities plus equity, the check says both figures and the difference."""
    failed = [c for c in run_checks(balance(510)) if not c.ok]
    assert len(failed) == 1 and failed[0].name == "assets_equal_liabilities_plus_equity"
    assert "510" in failed[0].detail and "500" in failed[0].detail and "differs by" in failed[0].detail
    assert failed[0].expected == 510 and failed[0].actual == 500


def test_subtotal_that_does_not_foot_fails() -> None:
    """A "Total current assets" that is not the sum of its lines fails with the gap."""
    items = balance(500).items
    items[3] = line("Total current assets", 160, total=True)
    failed = [c for c in run_checks(statement(StatementType.BALANCE, items)) if c.name == "subtotal_foots"]
    assert failed and not failed[0].ok and "10" in failed[0].detail


def test_rounding_differences_are_tolerated() -> None:
    """Lines rounded to units may miss their total by a unit or so; that still passes."""
    items = [line("Current assets", None), line("A", 100.4, raw="100"), line("B", 50.4, raw="50"),
             line("Total current assets", 151, total=True)]
    assert all(c.ok for c in run_checks(statement(StatementType.BALANCE, items)))


def test_cash_roll_forward() -> None:
    """Cash at the start plus the net change (plus exchange effects) is cash at the end."""
    items = [line("Net cash provided by operating activities", 120, total=True),
             line("Net cash used in investing activities", -50, total=True),
             line("Net cash used in financing activities", -30, total=True),
             line("Effect of exchange rate changes on cash", 5),
             line("Net increase in cash and cash equivalents", 45, total=True),
             line("Cash and cash equivalents at beginning of year", 200),
             line("Cash and cash equivalents at end of year", 245, total=True)]
    checks = {c.name: c for c in run_checks(statement(StatementType.CASH_FLOW, items))}
    assert checks["cash_roll_forward"].ok
    assert checks["cash_activities_sum_to_change"].ok
    items[-1] = line("Cash and cash equivalents at end of year", 250, total=True)
    broken = {c.name: c for c in run_checks(statement(StatementType.CASH_FLOW, items))}
    assert not broken["cash_roll_forward"].ok and "250" in broken["cash_roll_forward"].detail


def test_a_figure_that_breaks_a_footing_is_doubtful_and_its_misreading_named() -> None:
    """OCR read 58,240 as "$8,240": the line is shown as doubtful and the check names the reading that foots;
    lines confirmed by an identity that holds keep their confidence."""
    items = [line("Current assets", None), line("Stocks", 50000, raw="50,000"),
             line("Debtors", 8240, raw="$8,240"), line("Total current assets", 108240, total=True, raw="108,240"),
             line("Property", 100000, raw="100,000"), line("Total assets", 208240, total=True, raw="208,240"),
             line("Total liabilities", 100000, total=True), line("Total equity", 108240, total=True)]
    for it in items:
        it.confidence = 0.9
    checks = run_checks(statement(StatementType.BALANCE, items))
    failed = [c for c in checks if not c.ok]
    assert len(failed) == 1 and "'Debtors' printed '$8,240' may be 58,240" in failed[0].detail
    by_label = {it.label: it.confidence for it in items}
    assert by_label["Debtors"] <= 0.5 and by_label["Stocks"] <= 0.5
    assert by_label["Total assets"] == 0.9 and by_label["Total equity"] == 0.9


def test_figures_of_identities_that_hold_keep_their_confidence() -> None:
    """Nothing is marked doubtful when every identity holds."""
    st = balance(500)
    run_checks(st)
    assert all(it.confidence == 1.0 for it in st.items)
