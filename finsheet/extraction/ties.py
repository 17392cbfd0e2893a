"""The ties between a document's statements: the identities that hold across them, not within one.

    cross_specs(statements by type) -> list[CheckSpec]   the ties with the lines they compare (the workbook's formulas)
    statement_ties(statements) -> list[Check]             the ties of the first statement of each type
    document_checks(document) -> list[Check]              the same, for an extracted document

* net income on the income statement = the net income opening the cash flow (the line of the same name, or the
  income statement's net income line printing the cash flow's figures), and the one opening the statement of
  comprehensive income where that is a statement of its own;
* closing cash on the cash flow = cash on the balance sheet, where they are the same line (not where the cash
  flow's cash is another sum: net of overdrafts, with restricted cash).

A statement's own identities are `checks.py`'s (`run_checks` stays the one entry for those); the ties use its
machinery (`CheckSpec`, `Ref`, the comparison and its "not verified") so both read alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from finsheet.extraction.checks import _END, _NET_INCOME, CheckSpec, Ref, _absent, _compare, _has_figures, _norm
from finsheet.extraction.structure import statement_unit, tolerance
from finsheet.model import Check, Document, LineItem, Statement, StatementType

T = StatementType


def cross_specs(statements: Mapping[StatementType, Statement]) -> list[CheckSpec]:
    """Ties between statements: net income on the income statement = the net income opening the cash flow and the
    statement of comprehensive income, and the cash flow's closing cash = balance-sheet cash where they name the
    same line."""
    out: list[CheckSpec] = []
    income, cash, balance = statements.get(T.INCOME), statements.get(T.CASH_FLOW), statements.get(T.BALANCE)
    if income is not None and cash is not None:
        out.extend(_net_income_tie(income, cash))
    comprehensive = statements.get(T.COMPREHENSIVE)
    if income is not None and comprehensive is not None:
        out.extend(_net_income_tie(income, comprehensive))
    if balance is not None and cash is not None:
        out.extend(_closing_cash_tie(balance, cash))
    return out


def document_checks(document: Document) -> list[Check]:
    """The cross-statement ties of one document."""
    return statement_ties(document.statements)


def statement_ties(statements: Sequence[Statement]) -> list[Check]:
    """The ties between statements (the first of each type): net income, closing cash. Consolidate calls it on
    its consolidated statements (`ConsolidatedStatement.to_statement`)."""
    firsts: dict[StatementType, Statement] = {}
    for st in statements:
        firsts.setdefault(st.type, st)
    return [s.check for s in cross_specs(firsts)]


def _money_rows(st: Statement) -> list[int]:
    return [i for i, it in enumerate(st.items) if it.unit is None and _has_figures(it)]


def _net_income_tie(income: Statement, opener: Statement) -> list[CheckSpec]:
    """The income statement's net income = the net income opening `opener`: the cash flow, or the statement of
    comprehensive income (which starts from the income statement's profit)."""
    opener_rows = _money_rows(opener)
    if not opener_rows:
        return []
    opening = opener_rows[0]
    label = _norm(opener.items[opening].label)
    if not re.match(_NET_INCOME, label):
        return []
    rows = _money_rows(income)
    same = [r for r in rows if _norm(income.items[r].label) == label]
    candidates = [r for r in rows if re.match(_NET_INCOME, _norm(income.items[r].label))
                  and not re.search(r"non-?controlling|minority", _norm(income.items[r].label))]
    row: int | None
    if same:
        row = same[0]
    elif re.search(r"non-?controlling|minority", label) or not candidates:
        row = None  # the cash flow starts before minorities; the income statement may print only the share after
    else:
        # Of the income statement's net income lines (consolidated, attributable, ...) the one the statement opens
        # with is the one printing its figures; the first when none does (and the tie fails).
        def agree(r: int) -> int:
            return sum(income.items[r].values.get(k) == v for k, v in opener.items[opening].values.items())

        row = max(candidates, key=lambda r: (agree(r), -r))
    unit = min(statement_unit(income), statement_unit(opener))
    out = []
    keys = {p.key for p in income.periods}
    name, where = (("net_income_ties_to_cash_flow", "the cash flow") if opener.type == T.CASH_FLOW else
                   ("net_income_ties_to_comprehensive_income", "the statement of comprehensive income"))
    for period in opener.periods:
        if period.key not in keys or _absent(opener.items[opening], period.key):
            continue
        printed = [Ref(opener.type, opening, period.key)]
        computed = [Ref(T.INCOME, row, period.key)] if row is not None else []

        def item(ref: Ref) -> LineItem:
            return (income if ref.kind == T.INCOME else opener).items[ref.row]

        def value(ref: Ref) -> float | None:
            return item(ref).values.get(ref.period)

        out.append(_compare(
            name, period.label or period.key,
            f"net income on the income statement = net income opening {where}", printed, computed,
            tolerance(unit, 1), value, item=item, verdict=None if row is None else True,
            why="the income statement prints no net income line of the same name",
        ))
    return out


def _closing_cash_tie(balance: Statement, cash: Statement) -> list[CheckSpec]:
    end = next((r for r in reversed(_money_rows(cash)) if re.search(_END, _norm(cash.items[r].label))), None)
    if end is None:
        return []
    cash_label = _norm(cash.items[end].label)
    bs_row = next((r for r in _money_rows(balance)
                   if re.match(r"^cash and (?:cash )?equivalents$|^cash and short-term|^cash$|^cash at bank",
                               _norm(balance.items[r].label))), None)
    # The same line only when the cash flow's cash is plain cash: restricted cash or overdrafts make it another sum.
    same = bs_row is not None and not re.search(r"restricted|overdraft|held for sale", cash_label)
    unit = min(statement_unit(balance), statement_unit(cash))
    out = []
    keys = {p.key for p in balance.periods}
    why = "the cash flow's cash is not the balance sheet's cash line"
    if same and bs_row is not None:
        # A misread differs in one period; a cash flow whose cash is another sum (net of overdrafts, with restricted
        # cash) under a plain label differs in every one, and then the two are not the same line.
        gaps = [abs(a - b) for k, a in cash.items[end].values.items()
                if k in keys and a is not None and (b := balance.items[bs_row].values.get(k)) is not None]
        if gaps and all(gap > tolerance(unit, 1) for gap in gaps):
            same = False
            why = "it differs in every period: the cash flow's cash is another sum (overdrafts, restricted cash)"
    for period in cash.periods:
        if period.key not in keys or _absent(cash.items[end], period.key):
            continue

        def item(ref: Ref) -> LineItem:
            return (balance if ref.kind == T.BALANCE else cash).items[ref.row]

        def value(ref: Ref) -> float | None:
            return item(ref).values.get(ref.period)

        out.append(_compare(
            "closing_cash_ties_to_balance_sheet", period.label or period.key,
            "cash at end on the cash flow = cash on the balance sheet", [Ref(T.CASH_FLOW, end, period.key)],
            [Ref(T.BALANCE, bs_row, period.key)] if same and bs_row is not None else [],
            tolerance(unit, 1), value, item=item, verdict=True if same else None, why=why,
        ))
    return out
