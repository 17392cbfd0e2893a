"""Accounting identities on hand-built statements: they pass when the arithmetic holds, name the numbers when not,
say "not verified" (never a failure) when the structure cannot be decided, warn about a statement cut short, tie
statements to each other, and stay red after a correction in the store."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from finsheet.extraction.checks import check_specs, run_checks
from finsheet.extraction.ties import document_checks
from finsheet.model import Check, Document, LineItem, Period, Statement, StatementType
from finsheet.store import Store, UserRef

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
    assert all(c.ok is not False for c in checks)
    by_detail = {c.detail.split(":")[1].strip(): c.ok for c in checks if c.name == "subtotal_foots"}
    assert by_detail["Total current assets = sum of its 2 lines"] is True
    assert by_detail["Total assets = sum of its 2 lines"] is True
    # "Total liabilities" and "Total equity" are summary lines printed under another total with no lines of their
    # own: nothing to add up, no footing (equity is not taken for "total assets less total liabilities": that is
    # the balance identity, checked as such)
    assert len(by_detail) == 2


def test_balance_identity_failure_names_the_numbers() -> None:
    """When assets differ from liabilities plus equity, the check says both figures and the difference."""
    failed = [c for c in run_checks(balance(510)) if c.ok is False]
    assert len(failed) == 1 and failed[0].name == "assets_equal_liabilities_plus_equity"
    assert "510" in failed[0].detail and "500" in failed[0].detail and "differs by" in failed[0].detail
    assert failed[0].expected == 510 and failed[0].actual == 500


@pytest.mark.parametrize("grand_total", [
    "Total liabilities and stockholders' equity",
    "Total liabilities, preferred interests, stockholders' equity (deficit)",
    "Total liabilities, preferred interests, stockholders' equity (deficit) and non-controlling interests",
    "Total liabilities, mezzanine equity and shareholders' deficit",
])
def test_the_claims_side_grand_total_is_compared_with_assets(grand_total: str) -> None:
    """Equity printed before a line of non-controlling interests does not close the claims side: the grand total
    does, whether or not its label says "and"."""
    st = statement(StatementType.BALANCE, [
        line("Cash", 500), line("Total assets", 500, total=True), line("Total liabilities", 200, total=True),
        line("Total stockholders' equity", 260, total=True), line("Non-controlling interests", 40),
        line(grand_total, 500, total=True),
    ])
    identity = [c for c in run_checks(st) if c.name == "assets_equal_liabilities_plus_equity"]
    assert len(identity) == 1 and identity[0].ok is True, identity


def test_liabilities_printed_in_brackets_are_deducted_from_assets() -> None:
    """A balance sheet that prints its liabilities negative (net assets format) balances when assets less the
    liabilities equal equity; a misprinted equity still fails."""
    def sheet(equity: float) -> Statement:
        return statement(StatementType.BALANCE, [
            line("Cash", 500), line("Total assets", 500, total=True), line("Trade payables", -200),
            line("Total liabilities", -200, total=True), line("Share capital", equity),
            line("Total equity", equity, total=True),
        ])
    held = [c for c in run_checks(sheet(300)) if c.name == "assets_equal_liabilities_plus_equity"]
    assert len(held) == 1 and held[0].ok is True, held
    broken = [c for c in run_checks(sheet(310)) if c.name == "assets_equal_liabilities_plus_equity"]
    assert len(broken) == 1 and broken[0].ok is False, broken


def test_subtotal_that_does_not_foot_fails() -> None:
    """A "Total current assets" that is not the sum of its lines fails with the gap."""
    items = balance(500).items
    items[3] = line("Total current assets", 160, total=True)
    failed = [c for c in run_checks(statement(StatementType.BALANCE, items)) if c.name == "subtotal_foots"]
    assert failed and failed[0].ok is False and "10" in failed[0].detail


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
    assert broken["cash_roll_forward"].ok is False and "250" in broken["cash_roll_forward"].detail


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
    failed = [c for c in checks if c.ok is False]
    assert len(failed) == 1 and "'Debtors' printed '$8,240' may be 58,240" in failed[0].detail
    by_label = {it.label: it.confidence for it in items}
    assert by_label["Debtors"] <= 0.5 and by_label["Stocks"] <= 0.5
    assert by_label["Total assets"] == 0.9 and by_label["Total equity"] == 0.9


def test_figures_of_identities_that_hold_keep_their_confidence() -> None:
    """Nothing is marked doubtful when every identity holds."""
    st = balance(500)
    run_checks(st)
    assert all(it.confidence == 1.0 for it in st.items)


# --------------------------------------------------------------------------- several periods, structure, signs

YEARS = [Period(key=f"{y}-12-31", label=str(y), end=date(y, 12, 31), months=12) for y in (2023, 2022, 2021)]


def multi(kind: StatementType, rows: list[tuple[str, list[float] | None, bool]], periods: list[Period] = YEARS,
          ) -> Statement:
    """rows: (label, values per period or None for a heading, is_total)."""
    items = []
    for label, values, total in rows:
        vals = {} if values is None else {p.key: v for p, v in zip(periods, values, strict=True)}
        items.append(LineItem(label=label, page=1, box=BOX, is_total=total, values=vals,
                              raw={k: f"{v:,.0f}" for k, v in vals.items()}))
    return Statement(type=kind, title="t", pages=[1], confidence=1.0, periods=periods, items=items)


def income() -> Statement:
    """Revenue less cost of sales (printed positive) is gross profit; expenses; other items; tax."""
    return multi(StatementType.INCOME, [
        ("Revenue", [1000, 900, 800], False),
        ("Cost of sales", [600, 560, 500], False),
        ("Gross profit", [400, 340, 300], True),
        ("Selling, general and administrative", [150, 140, 130], False),
        ("Research and development", [50, 40, 30], False),
        ("Operating income", [200, 160, 140], True),
        ("Interest expense", [-20, -20, -25], False),
        ("Other income, net", [5, 8, 1], False),
        ("Income before income taxes", [185, 148, 116], True),
        ("Provision for income taxes", [45, 38, 26], False),
        ("Net income", [140, 110, 90], True),
    ])


def test_minus_lines_and_nested_subtotals_foot_with_their_signs() -> None:
    """Gross profit = revenue − cost of sales; income before tax = operating income + other items (not the lines
    operating income already sums); net income = income before tax − tax: every period passes."""
    st = income()
    specs = {s.check.detail.split(":")[1].strip(): s for s in check_specs(st) if s.check.period == "2023-12-31"}
    gross = specs["Gross profit = Revenue less 1 line"]
    assert [(r.row, r.sign) for r in gross.computed] == [(0, 1), (1, -1)]
    before_tax = specs["Income before income taxes = sum of its 3 lines"]
    assert [(r.row, r.sign) for r in before_tax.computed] == [(5, 1), (6, 1), (7, 1)]
    net = specs["Net income = Income before income taxes less 1 line"]
    assert [(r.row, r.sign) for r in net.computed] == [(8, 1), (9, -1)]
    checks = run_checks(income())
    assert len(checks) == 4 * 3 and all(c.ok is True for c in checks)


def test_a_misread_figure_in_one_period_fails_that_period_only() -> None:
    """Two periods of three decide the structure; the third, with a misread cost of sales, fails red."""
    st = income()
    st.items[1].values["2022-12-31"] = 56.0
    gross = [c for c in run_checks(st) if c.name == "subtotal_foots" and ": Gross profit =" in c.detail]
    assert [c.ok for c in gross] == [True, False, True]
    assert "differs by" in gross[1].detail


def test_comprehensive_income_is_net_income_plus_oci() -> None:
    """Total comprehensive income adds net income and the OCI subtotal, not the OCI lines alone."""
    st = multi(StatementType.COMPREHENSIVE, [
        ("Net income", [140, 110, 90], False),
        ("Foreign currency translation", [10, -5, 3], False),
        ("Unrealised gains on securities", [2, 1, -1], False),
        ("Total other comprehensive income", [12, -4, 2], True),
        ("Total comprehensive income", [152, 106, 92], True),
    ])
    specs = [s for s in check_specs(st) if s.check.period == "2023-12-31"]
    total = next(s for s in specs if "Total comprehensive" in s.check.detail)
    assert [(r.row, r.sign) for r in total.computed] == [(0, 1), (3, 1)]
    assert all(s.check.ok is True for s in specs)


def test_gross_and_net_property_are_not_both_counted() -> None:
    """A 'less accumulated depreciation' pair nets into the net line, which alone counts in total assets."""
    st = multi(StatementType.BALANCE, [
        ("Cash", [100, 90, 80], False),
        ("Property and equipment, at cost", [500, 450, 400], False),
        ("Less accumulated depreciation", [-200, -180, -150], False),
        ("Property and equipment, net", [300, 270, 250], False),
        ("Total assets", [400, 360, 330], True),
        ("Total liabilities", [150, 160, 130], True),
        ("Total equity", [250, 200, 200], True),
        ("Total liabilities and equity", [400, 360, 330], True),
    ])
    specs = [s for s in check_specs(st) if s.check.period == "2023-12-31"]
    assets = next(s for s in specs if s.check.detail.startswith("2023: Total assets"))
    assert [(r.row, r.sign) for r in assets.computed] == [(0, 1), (3, 1)]
    netted = next(s for s in specs if "Property and equipment, net =" in s.check.detail)
    assert [(r.row, r.sign) for r in netted.computed] == [(1, 1), (2, 1)]
    assert all(s.check.ok is not False for s in specs)


def test_undecided_structure_is_not_verified_never_false() -> None:
    """A total no run of lines adds up to, under no heading of its name, is "not verified" (ok None)."""
    st = multi(StatementType.INCOME, [
        ("Revenue", [1000, 900, 800], False),
        ("Costs", [300, 200, 100], False),
        ("Adjusted EBITDA", [777, 555, 333], True),
        ("Net income", [700, 700, 700], False),
    ])
    adjusted = [c for c in run_checks(st) if "Adjusted EBITDA" in c.detail]
    assert len(adjusted) == 3 and all(c.ok is None for c in adjusted)
    assert all("not verified" in c.detail for c in adjusted)
    assert st.checks_failed == 0  # the statement's own checks field is empty here: counts come from what is stored


def test_statement_cut_short_is_flagged() -> None:
    """A balance sheet that stops before total liabilities and equity, a cash flow with no closing cash and an
    income statement with no net income carry a visible (failing) 'closing total' check."""
    bs = multi(StatementType.BALANCE, [("Cash", [1, 2, 3], False), ("Total assets", [1, 2, 3], True),
                                       ("Accounts payable", [1, 1, 1], False)])
    cf = multi(StatementType.CASH_FLOW, [("Net income", [5, 5, 5], False), ("Depreciation", [1, 1, 1], False)])
    inc = multi(StatementType.INCOME, [("Revenue", [10, 9, 8], False), ("Cost of sales", [5, 5, 5], False)])
    oci = multi(StatementType.COMPREHENSIVE, [("Net income", [140, 110, 90], False),
                                              ("Other comprehensive income, net of tax", None, False),
                                              ("Foreign currency translation", [10, -5, 3], False),
                                              ("Unrealised gains", [2, 1, -1], False)])
    equity = multi(StatementType.EQUITY, [("Balance at December 31, 2021", [100, 20, 120], False),
                                          ("Net income", [0, 30, 30], True), ("Dividends", [0, -5, -5], False)])
    for st in (bs, cf, inc, oci, equity):
        cut = [c for c in run_checks(st) if c.name == "closing_total_found"]
        assert len(cut) == 1 and cut[0].ok is False and "cut short" in cut[0].detail
    for complete in (income(), cash_flow()):
        assert not [c for c in run_checks(complete) if c.name == "closing_total_found"]


@pytest.mark.parametrize("closing", ["6363 - Summary Net Income (Loss)", "Summary net loss", "4000 Net surplus"])
def test_income_statement_ending_on_a_coded_net_result_is_complete(closing: str) -> None:
    """Exports from accounting software prefix lines with a ledger code or a report word: the last line still names
    the net result, so the statement is not cut short; a last line naming something else still is."""
    closed = multi(StatementType.INCOME, [("Revenue", [10, 9, 8], False), ("Expenses", [5, 5, 5], True),
                                          (closing, [5, 4, 3], False)])
    assert not [c for c in run_checks(closed) if c.name == "closing_total_found"]
    open_ended = multi(StatementType.INCOME, [("Revenue", [10, 9, 8], False), ("Expenses", [5, 5, 5], True),
                                              ("6300 - Net of tax adjustments", [5, 4, 3], False)])
    assert [c.ok for c in run_checks(open_ended) if c.name == "closing_total_found"] == [False]


@pytest.mark.parametrize("result", ["Profit (loss) for the year", "Profit/(loss) for the period",
                                    "Profit / (loss) after tax",
                                    "Profit and total comprehensive income for the financial year"])
def test_an_income_statement_closing_on_its_result_then_comprehensive_income_is_complete(result: str) -> None:
    """IFRS prints profit or loss and other comprehensive income as one statement: its result ("Profit (loss) for
    the year") comes before the other comprehensive income and the comprehensive income it ends on."""
    st = multi(StatementType.INCOME, [("Revenue", [10, 9, 8], False), ("Expenses", [-5, -5, -5], False),
                                      (result, [5, 4, 3], True), ("Translation differences", [1, 1, 1], False),
                                      ("Comprehensive income", [6, 5, 4], False)])
    assert not [c for c in run_checks(st) if c.name == "closing_total_found"]


def cash_flow(opening_2023: float = 245) -> Statement:
    return multi(StatementType.CASH_FLOW, [
        ("Net income", [140, 110, 90], False),
        ("Depreciation", [10, 10, 10], False),
        ("Net cash provided by operating activities", [150, 120, 100], True),
        ("Capital expenditures", [-50, -40, -30], False),
        ("Net cash used in investing activities", [-50, -40, -30], True),
        ("Dividends paid", [-30, -35, -20], False),
        ("Net cash used in financing activities", [-30, -35, -20], True),
        ("Net increase in cash and cash equivalents", [70, 45, 50], True),
        ("Cash and cash equivalents at beginning of year", [opening_2023, 200, 150], False),
        ("Cash and cash equivalents at end of year", [opening_2023 + 70, 245, 200], True),
    ])


def test_a_roll_forward_under_a_cash_heading_names_only_the_moments() -> None:
    """"Beginning of period" and "End of period" printed under a "Cash and cash equivalents" heading are the opening
    and closing cash: the roll-forward is checked, and the statement is not taken for one cut short."""
    def statement_closing_on(end_2023: float) -> Statement:
        rows = [(label, values, total) for label, values, total in _rows(cash_flow())
                if "beginning" not in label and "end of year" not in label]
        return multi(StatementType.CASH_FLOW, [*rows, ("Cash and cash equivalents", None, False),
                                               ("Beginning of period", [245, 200, 150], False),
                                               ("End of period", [end_2023, 245, 200], True)])
    checks = run_checks(statement_closing_on(315))
    assert not [c for c in checks if c.name == "closing_total_found"]
    rolls = [c for c in checks if c.name == "cash_roll_forward"]
    assert len(rolls) == 3 and all(c.ok for c in rolls), rolls
    assert [c.ok for c in run_checks(statement_closing_on(325)) if c.name == "cash_roll_forward"][0] is False


def _rows(st: Statement) -> list[tuple[str, list[float] | None, bool]]:
    return [(it.label, [it.values[p.key] for p in st.periods] if it.values else None, it.is_total) for it in st.items]


def test_opening_cash_is_the_previous_closing_cash() -> None:
    """Each column's opening cash equals the closing cash of the year before; a break fails."""
    good = [c for c in run_checks(cash_flow()) if c.name == "opening_cash_equals_prior_closing"]
    assert [c.ok for c in good] == [True, True]
    bad = [c for c in run_checks(cash_flow(240)) if c.name == "opening_cash_equals_prior_closing"]
    assert [c.ok for c in bad] == [False, True] and "differs by" in bad[0].detail


def test_document_ties_net_income_and_closing_cash() -> None:
    """Net income on the income statement = the cash flow's opening net income; closing cash = balance sheet cash;
    a different figure fails, a cash flow cash that is another sum in every period is not verified."""
    balance_sheet = multi(StatementType.BALANCE, [
        ("Cash and cash equivalents", [315, 245, 200], False), ("Receivables", [85, 55, 100], False),
        ("Total assets", [400, 300, 300], True), ("Total liabilities", [100, 100, 100], True),
        ("Total equity", [300, 200, 200], True), ("Total liabilities and equity", [400, 300, 300], True)])
    doc = Document(file="d.pdf", sha256="d", pages=3, statements=[income(), balance_sheet, cash_flow()])
    ties = document_checks(doc)
    assert {c.name for c in ties} == {"net_income_ties_to_cash_flow", "closing_cash_ties_to_balance_sheet"}
    assert all(c.ok is True for c in ties) and len(ties) == 6
    doc.statements[0].items[10].values["2022-12-31"] = 120.0
    broken = [c for c in document_checks(doc) if c.ok is False]
    assert len(broken) == 1 and broken[0].name == "net_income_ties_to_cash_flow" and broken[0].period == "2022-12-31"
    for key in ("2023-12-31", "2022-12-31", "2021-12-31"):
        balance_sheet.items[0].values[key] = (balance_sheet.items[0].values[key] or 0) + 7
    cash = [c for c in document_checks(doc) if c.name == "closing_cash_ties_to_balance_sheet"]
    assert all(c.ok is None and "another sum" in c.detail for c in cash)


def test_a_correction_in_the_store_turns_the_check_red() -> None:
    """Saved, then a figure corrected in the store: the statement's checks are re-run and the broken identity is a
    failure, not a check that disappears ("0/0")."""
    store = Store()
    store.create_user("ann", name="Ann", email="ann@example.com", password_hash="h")
    ann = UserRef(username="ann")
    record, _ = store.add_document(sha256="ab" * 32, name="acme.pdf", size=10, pages=1, owner="ann")
    st = balance(500)
    st.checks = run_checks(st)
    store.save_extraction(record.id, Document(file="acme.pdf", sha256="ab" * 32, pages=1, statements=[st]),
                          engine="local", seconds=0.1)
    statement_id = store.list_statements(ann, record.id)[0].statement_id
    before = store.get_statement(ann, statement_id)
    assert before.checks_failed == 0 and before.checks_passed == 3 and before.checks_unverified == 0
    items = store.items_frame(ann, statement_id)
    cash = int(items.filter(pl.col("label") == "Cash")["item_id"][0])
    store.correct_value(ann, cash, "2023", 19.0, raw="19")
    after = store.get_statement(ann, statement_id)
    failed = [c for c in after.checks if c.ok is False]
    assert len(failed) == 1 and "Total current assets" in failed[0].detail and "differs by" in failed[0].detail
    assert len(after.checks) == len(before.checks)
    record_row = store.list_statements(ann, record.id)[0]
    assert (record_row.checks_passed, record_row.checks_total) == (2, len(after.checks))
    assert store.load_document(ann, record.id) is not None


# --------------------------------------------------------------------------- a scanned figure OCR could not read


def unreadable(st: Statement, label: str, key: str, printed: str = "Bg17") -> Statement:
    """The figure of `label` in period `key` as the extraction leaves one OCR could not read: no value, its printed
    text kept, the line's note saying so."""
    item = next(it for it in st.items if it.label == label)
    item.values[key] = None
    item.raw[key] = printed
    item.note = f"unreadable figure: {printed}"
    return st


def names_unreadable(check: Check, label: str, printed: str = "Bg17") -> bool:
    return check.ok is None and f"unreadable figure: {label!r} printed {printed!r}" in check.detail


def test_a_total_whose_part_is_unreadable_is_not_verified_in_that_period() -> None:
    """A part OCR could not read is not counted as nil: the total's check in that period is not verified and names
    the figure; the other periods, which decide the structure, still pass."""
    st = unreadable(income(), "Research and development", "2022-12-31")
    checks = run_checks(st)
    operating = [c for c in checks if ": Operating income" in c.detail]
    assert [c.ok for c in operating] == [True, None, True]
    assert names_unreadable(operating[1], "Research and development")
    assert all(c.ok is not False for c in checks)


def test_an_unreadable_part_of_a_one_period_statement_is_named_never_a_failure() -> None:
    """With a single period nothing else decides the structure: the total is not verified, naming the figure, and
    the balance sheet is neither failed nor taken for one cut short."""
    checks = run_checks(unreadable(balance(500), "Receivables", "2023"))
    assert all(c.ok is not False for c in checks), [c.detail for c in checks if c.ok is False]
    current = [c for c in checks if ": Total current assets" in c.detail]
    assert len(current) == 1 and names_unreadable(current[0], "Receivables")


def test_an_unreadable_total_is_not_verified_not_dropped() -> None:
    """A total OCR could not read keeps its check in that period, not verified and naming it, rather than the
    check disappearing; the identities it closes are not verified either."""
    st = unreadable(income(), "Net income", "2022-12-31")
    checks = run_checks(st)
    net = [c for c in checks if c.detail.split(":")[1].strip().startswith("Net income")]
    assert len(net) == 3
    unread = [c for c in net if c.period == "2022-12-31"]
    assert len(unread) == 1 and names_unreadable(unread[0], "Net income")
    assert all(c.ok is not False for c in checks)
    one = unreadable(balance(500), "Total assets", "2023")
    checks = run_checks(one)
    assert all(c.ok is not False for c in checks), [c.detail for c in checks if c.ok is False]
    identity = [c for c in checks if c.name == "assets_equal_liabilities_plus_equity"]
    assert len(identity) == 1 and names_unreadable(identity[0], "Total assets")


def test_a_one_period_statement_whose_closing_figure_is_unreadable_is_not_cut_short() -> None:
    """The closing line is printed, its figure unreadable: the statement reaches its end, so no "cut short"
    failure; its checks are not verified."""
    for st, label in ((statement(StatementType.INCOME, [line("Revenue", 10), line("Costs", -4),
                                                        line("Net income", 6, total=True)]), "Net income"),
                      (statement(StatementType.CASH_FLOW, [
                          line("Net cash provided by operating activities", 120, total=True),
                          line("Net cash used in investing activities", -50, total=True),
                          line("Net cash used in financing activities", -30, total=True),
                          line("Net increase in cash and cash equivalents", 40, total=True),
                          line("Cash and cash equivalents at beginning of year", 200),
                          line("Cash and cash equivalents at end of year", 240, total=True)]),
                       "Cash and cash equivalents at end of year")):
        checks = run_checks(unreadable(st, label, "2023"))
        assert all(c.ok is not False for c in checks), [c.detail for c in checks if c.ok is False]
        assert any(names_unreadable(c, label) for c in checks)


def test_cash_checks_with_an_unreadable_figure_are_not_verified() -> None:
    """Opening cash unreadable in 2023: the roll-forward of 2023 and its tie to 2022's closing cash are not verified
    and name it; 2022's own checks still pass."""
    checks = run_checks(unreadable(cash_flow(), "Cash and cash equivalents at beginning of year", "2023-12-31"))
    by = {(c.name, c.period): c for c in checks}
    label = "Cash and cash equivalents at beginning of year"
    assert names_unreadable(by["cash_roll_forward", "2023-12-31"], label)
    assert names_unreadable(by["opening_cash_equals_prior_closing", "2023-12-31"], label)
    assert by["cash_roll_forward", "2022-12-31"].ok is True
    assert all(c.ok is not False for c in checks)


def test_an_unreadable_exchange_effect_is_not_left_out_of_the_roll_forward() -> None:
    """The exchange line is part of the roll-forward where it prints: unreadable, the check is not verified rather
    than a sum without it (which would fail)."""
    items = [line("Net cash provided by operating activities", 120, total=True),
             line("Net cash used in investing activities", -50, total=True),
             line("Net cash used in financing activities", -30, total=True),
             line("Net increase in cash and cash equivalents", 40, total=True),
             line("Effect of exchange rate changes on cash", 5),
             line("Cash and cash equivalents at beginning of year", 200),
             line("Cash and cash equivalents at end of year", 245, total=True)]
    st = unreadable(statement(StatementType.CASH_FLOW, items), "Effect of exchange rate changes on cash", "2023")
    checks = {c.name: c for c in run_checks(st)}
    assert names_unreadable(checks["cash_roll_forward"], "Effect of exchange rate changes on cash")
    assert checks["cash_activities_sum_to_change"].ok is True


def test_ties_with_an_unreadable_figure_are_not_verified() -> None:
    """Net income unreadable on the income statement, or the balance sheet's cash unreadable: that period's tie is
    not verified and names the figure, never a failure; the other periods still tie."""
    balance_sheet = multi(StatementType.BALANCE, [
        ("Cash and cash equivalents", [315, 245, 200], False), ("Receivables", [85, 55, 100], False),
        ("Total assets", [400, 300, 300], True), ("Total liabilities", [100, 100, 100], True),
        ("Total equity", [300, 200, 200], True), ("Total liabilities and equity", [400, 300, 300], True)])
    doc = Document(file="d.pdf", sha256="d", pages=3, statements=[
        unreadable(income(), "Net income", "2022-12-31"),
        unreadable(balance_sheet, "Cash and cash equivalents", "2023-12-31", "3l5"),
        cash_flow()])
    ties = {(c.name, c.period): c for c in document_checks(doc)}
    assert names_unreadable(ties["net_income_ties_to_cash_flow", "2022-12-31"], "Net income")
    assert names_unreadable(ties["closing_cash_ties_to_balance_sheet", "2023-12-31"], "Cash and cash equivalents",
                            "3l5")
    assert ties["net_income_ties_to_cash_flow", "2023-12-31"].ok is True
    assert ties["closing_cash_ties_to_balance_sheet", "2022-12-31"].ok is True
    assert all(c.ok is not False for c in ties.values())
    opening = Document(file="d.pdf", sha256="d", pages=3, statements=[
        income(), unreadable(cash_flow(), "Net income", "2021-12-31")])
    ties = {(c.name, c.period): c for c in document_checks(opening)}
    assert names_unreadable(ties["net_income_ties_to_cash_flow", "2021-12-31"], "Net income")


def _cash_flow_with(*, distractor: str, change_label: str, order: str, tail: str, reclass: bool,
                    discontinued: bool) -> Statement:
    """A cash flow statement whose roll-forward is surrounded by lines that look like it but are not it."""
    investing = [line("Purchases of property", -40), line("Net cash used in investing activities", -40, total=True)]
    if discontinued:  # continuing and discontinued investing cash with no combined line
        investing = [line("Purchases of property", -50), line("Net cash used in investing activities", -50, total=True),
                     line("Net cash from discontinued investing activities", 10, total=True)]
    opening = line("Cash and cash equivalents at beginning of year", 200)
    items = [*([opening] if order == "opening first" else []),
             line("Net income", 100), line(distractor, 20),
             line("Net cash provided by operating activities", 120, total=True), *investing,
             line("Net change in short-term borrowings", -10),
             line("Net cash used in financing activities", -30, total=True)]
    move = [line("Cash reclassified as assets held for sale", -15)] if reclass else []
    close = 200 + 50 - (15 if reclass else 0)
    roll = {"us": [line(change_label, 50, total=True), *move, opening],
            "uk": [line("Cash and cash equivalents at 1 January", 200), line(change_label, 50, total=True), *move],
            "opening first": [line(change_label, 50, total=True), *move]}[order]
    if tail == "parts":  # the closing cash split into continuing and discontinued operations before the whole
        roll += [line("Cash of continuing operations, end of year", close - 7),
                 line("Cash of discontinued operations, end of year", 7)]
    items += roll + [line("Cash, cash equivalents and restricted cash at end of year", close, total=True)]
    if tail == "reconciled":  # the reconciliation to the balance sheet's cash printed under the closing line
        items += [line("Less: restricted cash at end of year", 5),
                  line("Cash and cash equivalents at end of year", close - 5, total=True)]
    return statement(StatementType.CASH_FLOW, items)


@pytest.mark.parametrize("distractor", ["Net change in operating assets and liabilities",
                                        "Increase in cash surrender value of life insurance",
                                        "Net increase in deposits"])
@pytest.mark.parametrize("change_label", ["Net increase in cash and cash equivalents",
                                          "Increase (decrease) in cash, cash equivalents and restricted cash",
                                          "Net (decrease) increase in cash", "Net cash inflow", "Net increase"])
@pytest.mark.parametrize("order", ["us", "uk", "opening first"])
@pytest.mark.parametrize(("tail", "reclass", "discontinued"),
                         [("", False, False), ("reconciled", False, False), ("parts", False, False),
                          ("", True, False), ("", False, True), ("reconciled", True, True), ("parts", True, True)])
def test_the_cash_roll_forward_is_found_among_lines_that_look_like_it(
        distractor: str, change_label: str, order: str, tail: str, reclass: bool, discontinued: bool) -> None:
    """The net change is the change in cash (not in borrowings, deposits or operating items), the closing cash is
    the line that closes the roll (not its continuing part, nor the reconciliation under it), a line inside the
    roll moves the cash, and the discontinued operations' share of an activity counts with it: a statement that
    adds up passes every cash check, wherever it prints its opening cash."""
    checks = run_checks(_cash_flow_with(distractor=distractor, change_label=change_label, order=order,
                                        tail=tail, reclass=reclass, discontinued=discontinued))
    by_name = {c.name: c for c in checks if c.name.startswith("cash")}
    assert set(by_name) == {"cash_roll_forward", "cash_activities_sum_to_change"}
    assert all(c.ok is True for c in by_name.values()), [c.detail for c in by_name.values()]


@pytest.mark.parametrize("closing", ["Balance at December 31, 2023", "Ending balance at December 31, 2023",
                                     "Closing balance", "Balances, end of year"])
def test_an_equity_statement_closing_on_its_balance_is_complete(closing: str) -> None:
    """However the closing balance is phrased, an equity statement that reaches it is not cut short."""
    equity = multi(StatementType.EQUITY, [("Balance at December 31, 2022", [100, 20, 120], False),
                                          ("Net income", [0, 30, 30], False), ("Dividends", [0, -5, -5], False),
                                          (closing, [100, 45, 145], False)])
    assert not [c for c in run_checks(equity) if c.name == "closing_total_found"]
